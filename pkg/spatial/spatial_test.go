package spatial

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/territory-optimizer/territory/pkg/territory"
)

func TestDistance(t *testing.T) {
	tests := []struct {
		name  string
		space territory.Space
		a, b  territory.Point
		want  float64 // km for geographic
		tol   float64
	}{
		// One degree of arc on a sphere of radius 6371.0088 km is
		// 6371.0088·π/180 = 111.19508 km.
		{name: "one degree of latitude", a: territory.Point{X: 10, Y: 0}, b: territory.Point{X: 10, Y: 1}, want: 111.19508, tol: 1e-4},
		{name: "one degree of longitude on the equator", a: territory.Point{X: 0, Y: 0}, b: territory.Point{X: 1, Y: 0}, want: 111.19508, tol: 1e-4},
		// At latitude 60° the great circle between two points one degree of
		// longitude apart is 2R·asin(cos 60°·sin 0.5°) = 55.59701 km.
		{name: "one degree of longitude at 60N", a: territory.Point{X: 0, Y: 60}, b: territory.Point{X: 1, Y: 60}, want: 55.59701, tol: 1e-4},
		// Antipodes: half the circumference, π·R.
		{name: "antipodes", a: territory.Point{X: 0, Y: 0}, b: territory.Point{X: 180, Y: 0}, want: math.Pi * EarthRadiusKm, tol: 1e-6},
		{name: "same point", a: territory.Point{X: -87.6, Y: 41.9}, b: territory.Point{X: -87.6, Y: 41.9}, want: 0, tol: 0},
		{name: "planar 3-4-5", space: territory.Planar, a: territory.Point{X: 1, Y: 1}, b: territory.Point{X: 4, Y: 5}, want: 5, tol: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Distance(tt.space, tt.a, tt.b)
			if math.Abs(got-tt.want) > tt.tol {
				t.Errorf("Distance = %.6f, want %.6f ± %g", got, tt.want, tt.tol)
			}
			if back := Distance(tt.space, tt.b, tt.a); back != got {
				t.Errorf("not symmetric: %v and %v", got, back)
			}
		})
	}
}

func TestEmbedRoundTripAndChord(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 1000 {
		a := territory.Point{X: -180 + 360*rng.Float64(), Y: -89 + 178*rng.Float64()}
		b := territory.Point{X: a.X + rng.NormFloat64(), Y: math.Max(-90, math.Min(90, a.Y+rng.NormFloat64()))}
		back := Unembed(territory.Geographic, Embed(territory.Geographic, a))
		if Distance(territory.Geographic, a, back) > 1e-6 {
			t.Fatalf("Unembed(Embed(%v)) = %v", a, back)
		}
		chord := math.Sqrt(Dist2(Embed(territory.Geographic, a), Embed(territory.Geographic, b)))
		arc := Distance(territory.Geographic, a, b)
		if got := ChordToArc(territory.Geographic, chord); math.Abs(got-arc) > 1e-6*math.Max(1, arc) {
			t.Fatalf("ChordToArc(%v) = %v, great-circle distance %v", chord, got, arc)
		}
	}
	p := territory.Point{X: 3, Y: -4}
	if got := Unembed(territory.Planar, Embed(territory.Planar, p)); got != p {
		t.Errorf("planar round trip: %v, want %v", got, p)
	}
}

func TestIndexNearestMatchesScan(t *testing.T) {
	for _, n := range []int{1, 5, scanLimit, scanLimit + 1, 500} {
		rng := rand.New(rand.NewPCG(uint64(n), 3))
		pts := make([]Vec3, n)
		for i := range pts {
			// Coarse grid coordinates make ties common.
			pts[i] = Vec3{float64(rng.IntN(20)), float64(rng.IntN(20)), 0}
		}
		ix := NewIndex(pts)
		for q := 0; q < 200; q++ {
			query := Vec3{float64(rng.IntN(22)) - 1, float64(rng.IntN(22)) - 1, 0}
			for _, want := range []int{1, 3, 16} {
				got := ix.Nearest(query, want, nil)
				ref := scanOrder(pts, query)
				ref = ref[:min(want, n)]
				if !slices.Equal(got, ref) {
					t.Fatalf("n=%d: Nearest(%v, %d) = %v, want %v", n, query, want, got, ref)
				}
			}
		}
	}
}

// The Hilbert order of a 16 x 16 grid of points walks it from each point
// to a neighbour, visiting every point once, and does not depend on the
// order the points are given in beyond ties.
func TestHilbertOrder(t *testing.T) {
	var pts []territory.Point
	for i := range 16 {
		for j := range 16 {
			pts = append(pts, territory.Point{X: 100 + 3*float64(j), Y: -7 + 0.5*float64(i)})
		}
	}
	order := HilbertOrder(pts)
	if len(order) != len(pts) {
		t.Fatalf("%d indices for %d points", len(order), len(pts))
	}
	seen := make([]bool, len(pts))
	for q, i := range order {
		if seen[i] {
			t.Fatalf("point %d twice", i)
		}
		seen[i] = true
		if q == 0 {
			continue
		}
		a, b := pts[order[q-1]], pts[i]
		steps := math.Abs(a.X-b.X)/3 + math.Abs(a.Y-b.Y)/0.5
		if math.Abs(steps-1) > 1e-9 {
			t.Fatalf("step %d from %v to %v is not to a neighbour", q, a, b)
		}
	}
	// Two points at one place keep their order; a point that is not
	// finite comes last.
	pts = []territory.Point{{X: 1, Y: 1}, {X: math.NaN(), Y: 0}, {X: 0, Y: 0}, {X: 1, Y: 1}}
	if got := HilbertOrder(pts); !slices.Equal(got, []int32{2, 0, 3, 1}) {
		t.Errorf("order %v, want [2 0 3 1]", got)
	}
}
