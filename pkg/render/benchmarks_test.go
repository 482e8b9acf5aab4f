package render

import (
	"io"
	"testing"

	"github.com/territory-optimizer/territory/pkg/territory"
)

func BenchmarkWriteSVG(b *testing.B) {
	for _, size := range []struct {
		name     string
		accounts int
		k        int
	}{
		{"accounts=5000/territories=25", 5000, 25},
		{"accounts=100000/territories=100", 100000, 100},
	} {
		m := randomMap(1, size.accounts, size.k, territory.Geographic)
		b.Run(size.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := WriteSVG(io.Discard, m, SVGOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkWriteHTML(b *testing.B) {
	for _, size := range []struct {
		name     string
		accounts int
		k        int
	}{
		{"accounts=5000/territories=25", 5000, 25},
		{"accounts=100000/territories=100", 100000, 100},
	} {
		m := randomMap(1, size.accounts, size.k, territory.Geographic)
		b.Run(size.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := WriteHTML(io.Discard, m, HTMLOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkColorGrid(b *testing.B) {
	m := gridMap(40, 25, 1)
	pr, err := prepare(m)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		colorGraph(adjacency(m, pr.xy, pr.hulls))
	}
}
