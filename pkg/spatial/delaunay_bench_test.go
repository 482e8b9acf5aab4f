package spatial

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// uniformPoints returns n points spread uniformly over a 1,000 x 1,000
// square, from a fixed seed.
func uniformPoints(n int) []territory.Point {
	rng := rand.New(rand.NewPCG(uint64(n), 1))
	pts := make([]territory.Point, n)
	for i := range pts {
		pts[i] = territory.Point{X: rng.Float64() * 1000, Y: rng.Float64() * 1000}
	}
	return pts
}

// latticePoints returns about n points on a square lattice: every
// in-circle test of the sweep is a tie, decided exactly.
func latticePoints(n int) []territory.Point {
	side := 1
	for side*side < n {
		side++
	}
	pts := make([]territory.Point, 0, side*side)
	for y := range side {
		for x := range side {
			pts = append(pts, territory.Point{X: float64(x), Y: float64(y)})
		}
	}
	return pts
}

func BenchmarkDelaunay(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		for _, kind := range []struct {
			name string
			gen  func(int) []territory.Point
		}{{"uniform", uniformPoints}, {"lattice", latticePoints}} {
			pts := kind.gen(n)
			b.Run(fmt.Sprintf("%s/points=%d", kind.name, n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := Delaunay(pts); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkVoronoiCellsWithin clips the cells to reaches of 1.5 times
// the mean spacing, which keeps all of a uniform set (as the interior of
// real data is) and cuts the cells along its edges.
func BenchmarkVoronoiCellsWithin(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		pts := uniformPoints(n)
		tr, err := Delaunay(pts)
		if err != nil {
			b.Fatal(err)
		}
		box := MarginBound(pts, DefaultMargin)
		radius := make([]float64, n)
		for i := range radius {
			radius[i] = 1.5 * math.Sqrt((box.Max[0]-box.Min[0])*(box.Max[1]-box.Min[1])/float64(n))
		}
		b.Run(fmt.Sprintf("uniform/points=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				VoronoiCellsWithin(tr, box, radius)
			}
		})
	}
}

func BenchmarkVoronoiCells(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		for _, kind := range []struct {
			name string
			gen  func(int) []territory.Point
		}{{"uniform", uniformPoints}, {"lattice", latticePoints}} {
			pts := kind.gen(n)
			tr, err := Delaunay(pts)
			if err != nil {
				b.Fatal(err)
			}
			box := MarginBound(pts, DefaultMargin)
			b.Run(fmt.Sprintf("%s/points=%d", kind.name, n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					VoronoiCells(tr, box)
				}
			})
		}
	}
}
