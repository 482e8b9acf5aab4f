package features

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// BenchmarkReadCounties reads the 3,220 US county polygons and derives
// their adjacency.
func BenchmarkReadCounties(b *testing.B) {
	data := readShared(b, countiesPath)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := ReadAccounts(bytes.NewReader(data), "us_counties.geojson", Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadPoints reads collections of point accounts.
func BenchmarkReadPoints(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		var sb strings.Builder
		sb.WriteString(`{"type": "FeatureCollection", "features": [`)
		for i := range n {
			if i > 0 {
				sb.WriteString(",\n")
			}
			// Points on a grid over the contiguous US.
			fmt.Fprintf(&sb, `{"type": "Feature", "properties": {"account_id": "A%06d", "revenue": %d, "owner": "R%02d"}, "geometry": {"type": "Point", "coordinates": [%.5f, %.5f]}}`,
				i, 1000+i%997, i%40, -124+float64(i%577)*0.1, 25+float64(i/577%250)*0.1)
		}
		sb.WriteString("]}")
		data := []byte(sb.String())
		b.Run(fmt.Sprintf("accounts=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := ReadAccounts(bytes.NewReader(data), "points.geojson", Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
