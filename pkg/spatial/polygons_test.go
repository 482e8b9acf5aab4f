package spatial

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// square is the ring of the axis-aligned square [x, x+s] × [y, y+s],
// counter-clockwise.
func square(x, y, s float64) orb.Ring {
	return orb.Ring{{x, y}, {x + s, y}, {x + s, y + s}, {x, y + s}, {x, y}}
}

func TestPolygonIndexLocate(t *testing.T) {
	// 0 and 1 share the edge x = 1; 2 is a square with a hole, 3 a
	// multipolygon of two squares, one in 2's hole; 4 overlaps 0.
	geoms := []orb.Geometry{
		orb.Polygon{square(0, 0, 1)},
		orb.Polygon{square(1, 0, 1)},
		orb.Polygon{square(3, 0, 3), square(4, 1, 1).Clone()},
		orb.MultiPolygon{{square(4.25, 1.25, 0.5)}, {square(7, 0, 1)}},
		orb.Polygon{square(0.5, 0.5, 1)},
	}
	// The hole runs clockwise, as RFC 7946 asks (even-odd needs no
	// particular winding).
	hole := geoms[2].(orb.Polygon)[1]
	for i, j := 0, len(hole)-1; i < j; i, j = i+1, j-1 {
		hole[i], hole[j] = hole[j], hole[i]
	}
	ix := NewPolygonIndex(territory.Planar, geoms)
	tests := []struct {
		name string
		p    territory.Point
		want int
	}{
		{"inside the first", territory.Point{X: 0.25, Y: 0.25}, 0},
		{"inside the second", territory.Point{X: 1.75, Y: 0.25}, 1},
		{"on the shared edge: the lower index", territory.Point{X: 1, Y: 0.25}, 0},
		{"at a shared vertex", territory.Point{X: 1, Y: 0}, 0},
		{"on the outer edge of the second", territory.Point{X: 2, Y: 0.25}, 1},
		{"on a bottom edge", territory.Point{X: 1.5, Y: 0}, 1},
		{"on a top edge", territory.Point{X: 1.5, Y: 1}, 1},
		{"at the top right corner", territory.Point{X: 2, Y: 1}, 1},
		{"overlap: the lower index", territory.Point{X: 0.75, Y: 0.75}, 0},
		{"in the overlapping one alone", territory.Point{X: 1.25, Y: 1.25}, 4},
		{"outside to the left", territory.Point{X: -1, Y: 0.5}, -1},
		{"between", territory.Point{X: 2.5, Y: 0.5}, -1},
		{"in the ring around the hole", territory.Point{X: 3.5, Y: 2.5}, 2},
		{"in the hole", territory.Point{X: 4.1, Y: 1.1}, -1},
		{"on the hole's edge", territory.Point{X: 4, Y: 1.5}, 2},
		{"in the island in the hole", territory.Point{X: 4.5, Y: 1.5}, 3},
		{"in the multipolygon's other part", territory.Point{X: 7.5, Y: 0.5}, 3},
		{"above everything", territory.Point{X: 3, Y: 10}, -1},
		{"not a number", territory.Point{X: math.NaN(), Y: 0}, -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ix.Locate(tc.p); got != tc.want {
				t.Errorf("Locate(%v) = %d, want %d", tc.p, got, tc.want)
			}
		})
	}
}

func TestPolygonIndexNearest(t *testing.T) {
	geoms := []orb.Geometry{
		orb.Polygon{square(0, 0, 1)},
		orb.Polygon{square(3, 0, 1)},
		orb.LineString{{0, 0}, {1, 1}}, // holds nothing, has no edges
		orb.Polygon{square(0, 3, 1)},
	}
	ix := NewPolygonIndex(territory.Planar, geoms)
	tests := []struct {
		name  string
		p     territory.Point
		want  int
		wantD float64
	}{
		{"nearer the first", territory.Point{X: 1.5, Y: 0.5}, 0, 0.5},
		{"halfway: the lower index", territory.Point{X: 2, Y: 0.5}, 0, 1},
		{"nearer the second", territory.Point{X: 2.6, Y: 0.5}, 1, 0.4},
		{"far off, to a corner", territory.Point{X: 10, Y: 4}, 1, math.Sqrt(6*6 + 3*3)},
		{"above", territory.Point{X: 0.5, Y: 5}, 3, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, d := ix.Nearest(tc.p)
			if got != tc.want || math.Abs(d-tc.wantD) > 1e-12 {
				t.Errorf("Nearest(%v) = %d at %g, want %d at %g", tc.p, got, d, tc.want, tc.wantD)
			}
		})
	}
	if got, _ := NewPolygonIndex(territory.Planar, nil).Nearest(territory.Point{}); got != -1 {
		t.Errorf("Nearest with no polygons = %d, want -1", got)
	}
}

// TestPolygonIndexGeographicNearest checks the kilometres of a
// geographic index: a point 0.1 degrees of longitude east of a square at
// latitude 60 is 0.1 · cos 60° degrees of a great circle away, about 5.56
// km.
func TestPolygonIndexGeographicNearest(t *testing.T) {
	ix := NewPolygonIndex(territory.Geographic, []orb.Geometry{orb.Polygon{square(10, 59.5, 0.5)}})
	got, d := ix.Nearest(territory.Point{X: 10.6, Y: 60})
	want := 0.1 * math.Cos(60*math.Pi/180) * EarthRadiusKm * math.Pi / 180
	if got != 0 || math.Abs(d-want) > 1e-9 {
		t.Errorf("Nearest = %d at %g km, want 0 at %g km", got, d, want)
	}
}

// TestPolygonIndexAgreesWithScan locates random points in a mesh of
// irregular quadrilaterals (shared vertices, as a layer built from a
// topology has them) and compares every answer with a scan of every
// polygon, and the answers of points off the boundaries with orb's
// planar.PolygonContains.
func TestPolygonIndexAgreesWithScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	const side = 12
	// Vertices of a jittered grid; some rounded to 0.25 so that points and
	// edges line up exactly.
	var v [side + 1][side + 1]orb.Point
	for i := range side + 1 {
		for j := range side + 1 {
			x, y := float64(i)+0.3*rng.Float64(), float64(j)+0.3*rng.Float64()
			if rng.IntN(3) == 0 {
				x, y = math.Round(x*4)/4, math.Round(y*4)/4
			}
			v[i][j] = orb.Point{x, y}
		}
	}
	var geoms []orb.Geometry
	for i := range side {
		for j := range side {
			if (i+j)%7 == 3 {
				continue // a gap
			}
			geoms = append(geoms, orb.Polygon{{v[i][j], v[i+1][j], v[i+1][j+1], v[i][j+1], v[i][j]}})
		}
	}
	ix := NewPolygonIndex(territory.Planar, geoms)
	scan := func(p territory.Point) int {
		for i, g := range geoms {
			var edges []edge
			for _, r := range g.(orb.Polygon) {
				for k := 1; k < len(r); k++ {
					a, b := r[k-1], r[k]
					edges = append(edges, edge{a: territory.Point{X: a[0], Y: a[1]}, b: territory.Point{X: b[0], Y: b[1]}, maxX: max(a[0], b[0])})
				}
			}
			if holds(edges, p) {
				return i
			}
		}
		return -1
	}
	pts := make([]territory.Point, 0, 20000)
	for range 10000 {
		pts = append(pts, territory.Point{X: -1 + 15*rng.Float64(), Y: -1 + 15*rng.Float64()})
	}
	for range 10000 { // on the quarter grid: on vertices and edges
		pts = append(pts, territory.Point{X: float64(rng.IntN(56)) / 4, Y: float64(rng.IntN(56)) / 4})
	}
	all := ix.LocateAll(pts)
	in := 0
	for n, p := range pts {
		got, want := ix.Locate(p), scan(p)
		if got != want || all[n] != got {
			t.Fatalf("Locate(%v) = %d (LocateAll %d), a scan says %d", p, got, all[n], want)
		}
		if got >= 0 {
			in++
		}
		// Off every boundary, orb agrees.
		if n < 10000 && got >= 0 && !planar.PolygonContains(geoms[got].(orb.Polygon), orb.Point{p.X, p.Y}) {
			t.Fatalf("Locate(%v) = %d, which orb says does not hold it", p, got)
		}
	}
	if in < len(pts)/2 {
		t.Errorf("only %d of %d points located: the test checks little", in, len(pts))
	}
}
