package spatial

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// BenchmarkIndexNearest builds an index over n points and asks every point
// for its 7 nearest, in a planar and a geographic space (planar points
// once made the tree visit both sides of every z split).
func BenchmarkIndexNearest(b *testing.B) {
	for _, space := range []territory.Space{territory.Planar, territory.Geographic} {
		for _, n := range []int{10_000, 100_000} {
			rng := rand.New(rand.NewPCG(1, uint64(n)))
			pts := make([]Vec3, n)
			for i := range pts {
				pts[i] = Embed(space, territory.Point{X: -100 + 20*rng.Float64(), Y: 30 + 15*rng.Float64()})
			}
			b.Run(fmt.Sprintf("space=%s/points=%d", space, n), func(b *testing.B) {
				b.ReportAllocs()
				var buf []int
				for b.Loop() {
					ix := NewIndex(pts)
					for _, p := range pts {
						buf = ix.Nearest(p, 7, buf[:0])
					}
				}
			})
		}
	}
}

// accountPoints returns n geographic points spread over the contiguous US
// (as accounts and territory centres are), embedded, from a fixed seed.
func accountPoints(n int, seed uint64) []Vec3 {
	rng := rand.New(rand.NewPCG(seed, uint64(n)))
	pts := make([]Vec3, n)
	for i := range pts {
		pts[i] = Embed(territory.Geographic, territory.Point{X: -125 + 58*rng.Float64(), Y: 25 + 24*rng.Float64()})
	}
	return pts
}

// indexSizes are the solver's shapes: candidate lists (the 16 nearest of
// 1,000 centres), the smoothing's reach (64 of 100), and the point graph
// and nearest-other-point searches over a million accounts.
var indexSizes = []struct{ points, nearest int }{
	{1000, 16},
	{100, 64},
	{1_000_000, 1},
	{1_000_000, 16},
}

// BenchmarkIndexBuild measures NewIndex alone.
func BenchmarkIndexBuild(b *testing.B) {
	for _, points := range []int{100, 1000, 1_000_000} {
		b.Run(fmt.Sprintf("points=%d", points), func(b *testing.B) {
			pts := accountPoints(points, 1)
			b.ReportAllocs()
			for b.Loop() {
				NewIndex(pts)
			}
		})
	}
}

// BenchmarkIndexQuery measures one Nearest call (an op is one query) on a
// built index, for queries drawn like the points.
func BenchmarkIndexQuery(b *testing.B) {
	for _, size := range indexSizes {
		b.Run(fmt.Sprintf("points=%d/nearest=%d", size.points, size.nearest), func(b *testing.B) {
			ix := NewIndex(accountPoints(size.points, 1))
			queries := accountPoints(1<<12, 2)
			buf := make([]int, 0, size.nearest)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				buf = ix.Nearest(queries[i&(len(queries)-1)], size.nearest, buf[:0])
				i++
			}
		})
	}
}
