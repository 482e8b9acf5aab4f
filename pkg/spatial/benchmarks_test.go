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
