package features

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/territory-optimizer/territory/pkg/territory"
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

// BenchmarkAdjacency derives the adjacency of a grid of square units
// whose left and bottom sides have an extra vertex, so that no two units
// have an edge in common and every boundary is a T-junction.
func BenchmarkAdjacency(b *testing.B) {
	for _, side := range []int{100, 300} {
		geoms := make([]orb.Geometry, 0, side*side)
		for i := range side {
			for j := range side {
				x, y := -100+float64(i)*0.01, 40+float64(j)*0.01
				geoms = append(geoms, orb.Polygon{{{x, y}, {x + 0.003, y}, {x + 0.01, y}, {x + 0.01, y + 0.01},
					{x, y + 0.01}, {x, y + 0.007}, {x, y}}})
			}
		}
		b.Run(fmt.Sprintf("units=%d", side*side), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if rook, _ := adjacency(geoms); len(rook[0]) != 2 {
					b.Fatalf("corner unit has neighbours %v, want 2", rook[0])
				}
			}
		})
	}
}

// BenchmarkPointCells outlines 100 territories of nearest centres of
// accounts spread at random over the contiguous US.
func BenchmarkPointCells(b *testing.B) {
	for _, n := range []int{5000, 100000, 1000000} {
		// Accounts spread over the contiguous US, in 100 territories.
		rng := rand.New(rand.NewPCG(uint64(n), 2))
		locs := make([]territory.Point, n)
		for i := range locs {
			locs[i] = territory.Point{X: -124 + 57*rng.Float64(), Y: 25 + 24*rng.Float64()}
		}
		assign := nearestOf(territory.Geographic, locs, 100)
		b.Run(fmt.Sprintf("accounts=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				PointCells(territory.Geographic, locs, assign, 100)
			}
		})
	}
}

// BenchmarkPlace places a million accounts into the 3,220 US counties,
// the acceptance case: each account drawn in a county with the
// county's share of the 2010 population, scattered around its centroid
// over a square of the county's area (so that some fall in neighbouring
// counties, the sea or a lake, and go to the nearest county). Every
// iteration builds the index afresh.
func BenchmarkPlace(b *testing.B) {
	data := readShared(b, countiesPath)
	counties, _, err := ReadAccounts(bytes.NewReader(data), "us_counties.geojson", Options{Measures: []string{"pop2010"}})
	if err != nil {
		b.Fatal(err)
	}
	l, err := ReadUnits(context.Background(), bytes.NewReader(data), "us_counties.geojson", LayerOptions{})
	if err != nil {
		b.Fatal(err)
	}
	pop := counties.Measure("pop2010").Values
	cum := make([]float64, len(pop))
	total := 0.0
	for i, v := range pop {
		total += v
		cum[i] = total
	}
	const n = 1_000_000
	rng := rand.New(rand.NewPCG(1, 2))
	a := &territory.Accounts{Source: "accounts.csv", IDs: make([]string, n), Locs: make([]territory.Point, n)}
	for i := range a.Locs {
		j, _ := slices.BinarySearch(cum, rng.Float64()*total)
		j = min(j, len(cum)-1)
		// Half the side of a square of the county's area, in degrees.
		half := math.Sqrt(l.Units.Areas[j]) / 2 / 111.2
		c := l.Locs[j]
		a.Locs[i] = territory.Point{
			X: c.X + (2*rng.Float64()-1)*half/math.Cos(c.Y*math.Pi/180),
			Y: c.Y + (2*rng.Float64()-1)*half,
		}
		a.IDs[i] = strconv.Itoa(i)
	}
	b.Run("accounts=1000000/units=3220", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			l.index = nil
			if _, err := l.Place(a, territory.Geographic, "unit", nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}
