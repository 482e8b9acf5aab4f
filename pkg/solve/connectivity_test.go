package solve

import (
	"slices"
	"testing"

	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/graph/topo"

	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// territoryPieces counts the connected pieces of every one of the k
// territories of plan pl in the graph adj (the neighbours of every
// account), with gonum's topo.ConnectedComponents: the graph that holds
// every account and those edges of adj that join two accounts of one
// territory has one component per piece. It shares no code with the
// solver's own searches (contiguity.go) or the report's (report.Shape), so
// a bug in theirs cannot hide here. An empty territory has no piece.
func territoryPieces(adj [][]int32, pl *territory.Plan, k int) []int {
	g := simple.NewUndirectedGraph()
	for i := range pl.Assign {
		g.AddNode(simple.Node(i))
	}
	for i, nb := range adj {
		for _, j := range nb {
			if int(j) != i && pl.Assign[i] == pl.Assign[j] {
				g.SetEdge(g.NewEdge(simple.Node(i), simple.Node(j)))
			}
		}
	}
	pieces := make([]int, k)
	for _, c := range topo.ConnectedComponents(g) {
		pieces[pl.Assign[c[0].ID()]]++
	}
	return pieces
}

// brokenTerritories returns the territories of plan pl (of k) that are in
// more than one piece of the graph adj, by territoryPieces.
func brokenTerritories(adj [][]int32, pl *territory.Plan, k int) []int {
	var broken []int
	for t, n := range territoryPieces(adj, pl, k) {
		if n > 1 {
			broken = append(broken, t)
		}
	}
	return broken
}

// checkRegions fails the test unless every territory of plan pl of
// problem p that holds accounts is one connected piece of the graph that
// contiguity is defined on, [spatial.ProximityGraph] (the accounts'
// Delaunay graph, or the units' shared boundaries, with islands joined to
// their nearest neighbour across the water), built here from the problem,
// not taken from the solver. It returns the territories' pieces.
func checkRegions(t *testing.T, p *territory.Problem, pl *territory.Plan) []int {
	t.Helper()
	adj := spatial.ProximityGraph(p.Space, p.Accounts.Locs, p.Adjacency)
	pieces := territoryPieces(adj, pl, p.K())
	for k, n := range pieces {
		if n > 1 {
			t.Errorf("territory %d (rep %s) is in %d pieces", k, p.Reps[k].ID, n)
		}
	}
	return pieces
}

// TestTerritoryPieces checks the piece count on plans whose pieces are
// known: a path of six accounts 0-1-2-3-4-5 and a triangle 6-7-8 with the
// edge 8-0, listed on one side only (territoryPieces must not depend on adj
// being symmetric).
func TestTerritoryPieces(t *testing.T) {
	adj := [][]int32{{1}, {0, 2}, {1, 3}, {2, 4}, {3, 5}, {4}, {7, 8}, {6, 8}, {6, 7, 0}}
	for _, tt := range []struct {
		name   string
		assign []int
		want   []int
	}{
		{"one territory", []int{0, 0, 0, 0, 0, 0, 0, 0, 0}, []int{1}},
		{"path split in the middle", []int{0, 0, 0, 1, 1, 1, 1, 1, 1}, []int{1, 2}},
		{"alternating", []int{0, 1, 0, 1, 0, 1, 0, 1, 0}, []int{3, 4}},
		{"joined by the one-sided edge", []int{0, 1, 1, 1, 1, 1, 2, 2, 0}, []int{1, 1, 1}},
		{"an empty territory", []int{0, 0, 0, 0, 0, 0, 2, 2, 2}, []int{1, 0, 1}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			pl := &territory.Plan{Assign: tt.assign}
			if got := territoryPieces(adj, pl, len(tt.want)); !slices.Equal(got, tt.want) {
				t.Errorf("pieces %v, want %v", got, tt.want)
			}
		})
	}
}
