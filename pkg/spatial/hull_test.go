package spatial

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/territory-optimizer/territory/pkg/territory"
)

func TestConvexHull(t *testing.T) {
	tests := []struct {
		name string
		pts  []territory.Point
		want []int32
	}{
		{name: "no points", pts: nil, want: []int32{}},
		{name: "one point", pts: []territory.Point{pt(3, 4)}, want: []int32{0}},
		{name: "one position", pts: []territory.Point{pt(3, 4), pt(3, 4), pt(3, 4)}, want: []int32{0}},
		{name: "two points", pts: []territory.Point{pt(2, 0), pt(0, 1)}, want: []int32{1, 0}},
		{name: "collinear", pts: []territory.Point{pt(1, 1), pt(3, 3), pt(0, 0), pt(2, 2)}, want: []int32{2, 1}},
		{name: "vertical", pts: []territory.Point{pt(0, 2), pt(0, 0), pt(0, 1)}, want: []int32{1, 0}},
		{name: "triangle clockwise", pts: []territory.Point{pt(0, 0), pt(0, 3), pt(3, 0)}, want: []int32{0, 2, 1}},
		{
			// The corners of a square, a point inside, the middles of two
			// sides (on the hull, left out) and a corner again (a duplicate
			// of a lower index, left out).
			name: "square",
			pts: []territory.Point{
				pt(2, 2), pt(4, 0), pt(4, 4), pt(0, 4), pt(0, 0),
				pt(2, 0), pt(4, 2), pt(4, 4), pt(1, 3),
			},
			want: []int32{4, 1, 2, 3},
		},
		{
			// Two points share the lowest x: the hull starts at the lower y.
			name: "start",
			pts:  []territory.Point{pt(0, 1), pt(2, 2), pt(0, 0), pt(2, -1)},
			want: []int32{2, 3, 1, 0},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ConvexHull(tt.pts)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ConvexHull() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestConvexHullRandom checks the hull of random point sets, on a small
// integer grid so that points repeat and fall on edges: every corner turns
// strictly left, no point lies outside, every distinct point that is not a
// corner lies inside or on an edge, and the corners are the Delaunay hull's
// points that are corners.
func TestConvexHullRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6)) // fixed seed: the same sets every run
	for round := range 300 {
		n := 1 + rng.IntN(60)
		side := 2 + rng.IntN(12)
		pts := make([]territory.Point, n)
		for i := range pts {
			pts[i] = pt(float64(rng.IntN(side)), float64(rng.IntN(side)))
		}
		hull := ConvexHull(pts)
		h := len(hull)
		if h >= 3 {
			for k := range hull {
				a, b, c := pts[hull[k]], pts[hull[(k+1)%h]], pts[hull[(k+2)%h]]
				if Orient(a, b, c) <= 0 {
					t.Fatalf("round %d: the hull %v does not turn left at %v", round, hull, b)
				}
			}
			for i, p := range pts {
				for k := range hull {
					if Orient(pts[hull[k]], pts[hull[(k+1)%h]], p) < 0 {
						t.Fatalf("round %d: point %d %v lies outside the hull", round, i, p)
					}
				}
			}
		}
		tr, err := Delaunay(pts)
		if err != nil {
			t.Fatal(err)
		}
		var corners []int32
		if len(tr.Triangles) == 0 {
			// Collinear: the ends of the path.
			corners = append(corners, tr.Hull[0])
			if len(tr.Hull) > 1 {
				corners = append(corners, tr.Hull[len(tr.Hull)-1])
			}
		} else {
			m := len(tr.Hull)
			for k, i := range tr.Hull {
				if Orient(pts[tr.Hull[(k+m-1)%m]], pts[i], pts[tr.Hull[(k+1)%m]]) > 0 {
					corners = append(corners, i)
				}
			}
		}
		got := slices.Sorted(slices.Values(hull))
		slices.Sort(corners)
		if !slices.Equal(got, corners) {
			t.Fatalf("round %d: hull corners %v, the triangulation's %v (points %v)", round, got, corners, pts)
		}
	}
}
