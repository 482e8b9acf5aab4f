package spatial

import (
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/territory-optimizer/territory/pkg/territory"
)

func TestProximityGraph(t *testing.T) {
	tests := []struct {
		name      string
		pts       []territory.Point
		adjacency [][]int32
		want      [][]int32
	}{
		{name: "no points", want: [][]int32{}},
		{name: "one point", pts: []territory.Point{pt(1, 1)}, want: [][]int32{nil}},
		{
			// The triangulation of a square and its centre, the centre
			// twice: the two copies are joined to each other and to all.
			name: "points",
			pts:  []territory.Point{pt(0, 0), pt(2, 0), pt(2, 2), pt(0, 2), pt(1, 1), pt(1, 1)},
			want: [][]int32{{1, 3, 4, 5}, {0, 2, 4, 5}, {1, 3, 4, 5}, {0, 2, 4, 5}, {0, 1, 2, 3, 5}, {0, 1, 2, 3, 4}},
		},
		{
			name: "collinear points",
			pts:  []territory.Point{pt(2, 0), pt(0, 0), pt(1, 0)},
			want: [][]int32{{2}, {2}, {0, 1}},
		},
		{
			// Two pairs of units sharing a boundary, 0-1 and 2-3, and an
			// island 4 between them, nearer to 1. The island, the smallest
			// piece, joins 1; then {2, 3}, now the smallest, joins through
			// its closest pair, 2 and 4.
			name:      "islands",
			pts:       []territory.Point{pt(0, 0), pt(1, 0), pt(10, 0), pt(11, 0), pt(3, 0)},
			adjacency: [][]int32{{1}, {0}, {3}, {2}, nil},
			want:      [][]int32{{1}, {0, 4}, {3, 4}, {2}, {1, 2}},
		},
		{
			name:      "connected adjacency",
			pts:       []territory.Point{pt(0, 0), pt(5, 0), pt(9, 0)},
			adjacency: [][]int32{{2}, {2}, {0, 1}},
			want:      [][]int32{{2}, {2}, {0, 1}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := cloneGraph(tt.adjacency)
			got := ProximityGraph(territory.Planar, tt.pts, tt.adjacency)
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("ProximityGraph() mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(before, tt.adjacency); diff != "" {
				t.Errorf("ProximityGraph() changed the adjacency (-before +after):\n%s", diff)
			}
		})
	}
}

// TestProximityGraphGeographic checks that geographic points are
// triangulated in their projection.
func TestProximityGraphGeographic(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4)) // fixed seed
	pts := make([]territory.Point, 500)
	for i := range pts {
		pts[i] = pt(-90+5*rng.Float64(), 35+5*rng.Float64())
	}
	tr, err := Delaunay(Project(territory.Geographic, pts))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(tr.Neighbours(), ProximityGraph(territory.Geographic, pts, nil)); diff != "" {
		t.Errorf("graph differs from the projected triangulation (-want +got):\n%s", diff)
	}
}

func cloneGraph(adj [][]int32) [][]int32 {
	if adj == nil {
		return nil
	}
	out := make([][]int32, len(adj))
	for i, nb := range adj {
		out[i] = append([]int32(nil), nb...)
	}
	return out
}
