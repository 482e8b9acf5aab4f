package report

import (
	"cmp"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/graph/topo"

	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// shapeProblem makes a planar problem of accounts at pts in k territories,
// account i in territory assign[i], with centres at the origin (Shape
// does not look at them). The problem is valid unless it has fewer
// accounts than territories (which Validate refuses, but Shape must
// survive).
func shapeProblem(t testing.TB, pts []territory.Point, assign []int, k int) (*territory.Problem, *territory.Plan) {
	t.Helper()
	p := &territory.Problem{Space: territory.Planar, Objective: territory.SSE}
	for i, pt := range pts {
		p.Accounts.IDs = append(p.Accounts.IDs, "a"+strconv.Itoa(i))
		p.Accounts.Locs = append(p.Accounts.Locs, pt)
	}
	for t := range k {
		p.Reps = append(p.Reps, territory.Rep{ID: "r" + strconv.Itoa(t), Capacity: 1})
	}
	if len(pts) >= k {
		if err := p.Validate(); err != nil {
			t.Fatal(err)
		}
	}
	pl := &territory.Plan{Assign: assign, Centers: make([]territory.Point, k)}
	if err := pl.Check(p); err != nil {
		t.Fatal(err)
	}
	return p, pl
}

// block returns the points of the grid x0..x0+w-1 by y0..y0+h-1 (step 1),
// row by row.
func block(x0, y0 float64, w, h int) []territory.Point {
	var pts []territory.Point
	for y := range h {
		for x := range w {
			pts = append(pts, territory.Point{X: x0 + float64(x), Y: y0 + float64(y)})
		}
	}
	return pts
}

func repeat(t, n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = t
	}
	return s
}

func TestShape(t *testing.T) {
	tests := []struct {
		name   string
		pts    []territory.Point
		assign []int
		k      int
		adj    [][]int32 // the problem's adjacency (polygon units), or nil
		want   ShapeStats
	}{
		{
			// Two blocks of 3 x 2 accounts far apart, one territory each:
			// every account's 10 nearest others are the 5 of its own block
			// and 5 of the other, so agreement is 5/10 everywhere.
			name:   "side by side",
			pts:    append(block(0, 0, 3, 2), block(100, 0, 3, 2)...),
			assign: append(repeat(0, 6), repeat(1, 6)...),
			k:      2,
			want: ShapeStats{
				Pieces: 2, NeighbourAgreement: 0.5,
				Territories: []TerritoryShape{{Pieces: 1, NeighbourAgreement: 0.5}, {Pieces: 1, NeighbourAgreement: 0.5}},
			},
		},
		{
			// T1 is two squares of 2 x 2 accounts, at x 0-1 and 20-21, y 0-1;
			// T2 a wall of 2 x 12 accounts between them, at x 10-11 and y
			// -5.5 to 5.5, which no triangle edge from one square to the
			// other can pass: T1 is in two pieces. Two of the wall's
			// accounts, at y 0.5, lie inside T1's hull (the rectangle
			// 0-21 by 0-1). A square's account has 3 neighbours in its
			// square, and the wall is nearer than the other square: 3/10;
			// a wall account's 10 nearest are in the wall: 10/10. Overall
			// (8·3 + 24·10)/320 = 0.825.
			name:   "split",
			pts:    append(append(block(0, 0, 2, 2), block(20, 0, 2, 2)...), block(10, -5.5, 2, 12)...),
			assign: append(repeat(0, 8), repeat(1, 24)...),
			k:      2,
			want: ShapeStats{
				Pieces: 3, TerritoriesInPieces: 1, InsideOtherHull: 2, InsideOtherHullShare: 2.0 / 32,
				NeighbourAgreement: 0.825,
				Territories: []TerritoryShape{
					{Pieces: 2, NeighbourAgreement: 0.3},
					{Pieces: 1, InsideOtherHull: 2, NeighbourAgreement: 1},
				},
			},
		},
		{
			// T2, a small square, sits inside T1, the corners of a large
			// one: both are one piece (their sides are triangle edges), but
			// all 4 of T2's accounts lie inside T1's hull. With 8 accounts
			// every account's 7 others are its neighbours, 3 of them in its
			// territory.
			name: "interleaved",
			pts: []territory.Point{
				{X: 0, Y: 0}, {X: 10, Y: 0}, {X: 10, Y: 10}, {X: 0, Y: 10},
				{X: 4, Y: 4}, {X: 6, Y: 4}, {X: 6, Y: 6}, {X: 4, Y: 6},
			},
			assign: []int{0, 0, 0, 0, 1, 1, 1, 1},
			k:      2,
			want: ShapeStats{
				Pieces: 2, InsideOtherHull: 4, InsideOtherHullShare: 0.5, NeighbourAgreement: 3.0 / 7,
				Territories: []TerritoryShape{
					{Pieces: 1, NeighbourAgreement: 3.0 / 7},
					{Pieces: 1, InsideOtherHull: 4, NeighbourAgreement: 3.0 / 7},
				},
			},
		},
		{
			// Four units in a row, T1 = {0, 2}, T2 = {1, 3}; they share
			// boundaries 0-2, 2-3 and 3-1 (not the order of their
			// positions). In the adjacency each territory is one piece; in
			// the positions' path 0-1-2-3 each would be two.
			name:   "adjacency",
			pts:    []territory.Point{{X: 0, Y: 0}, {X: 1, Y: 0}, {X: 2, Y: 0}, {X: 3, Y: 0}},
			assign: []int{0, 1, 0, 1},
			k:      2,
			adj:    [][]int32{{2}, {3}, {0, 3}, {1, 2}},
			want: ShapeStats{
				Pieces: 2, NeighbourAgreement: 1.0 / 3,
				Territories: []TerritoryShape{{Pieces: 1, NeighbourAgreement: 1.0 / 3}, {Pieces: 1, NeighbourAgreement: 1.0 / 3}},
			},
		},
		{
			// Units 0 and 1 share a boundary; unit 2 is an island nearest to
			// 1. The island joins 1 across the water, as the solver's graph
			// has it, so T2 = {1, 2} is one piece.
			name:   "island",
			pts:    []territory.Point{{X: 0, Y: 0}, {X: 1, Y: 0}, {X: 3, Y: 0}},
			assign: []int{0, 1, 1},
			k:      2,
			adj:    [][]int32{{1}, {0}, nil},
			want: ShapeStats{
				Pieces: 2, NeighbourAgreement: 1.0 / 3,
				Territories: []TerritoryShape{{Pieces: 1}, {Pieces: 1, NeighbourAgreement: 0.5}},
			},
		},
		{
			name: "no accounts",
			k:    2,
			want: ShapeStats{Territories: []TerritoryShape{{}, {}}},
		},
		{
			// No other account to agree or disagree with: full agreement.
			name:   "one account",
			pts:    []territory.Point{{X: 5, Y: 5}},
			assign: []int{1},
			k:      2,
			want: ShapeStats{
				Pieces: 1, NeighbourAgreement: 1,
				Territories: []TerritoryShape{{}, {Pieces: 1, NeighbourAgreement: 1}},
			},
		},
		{
			name:   "two accounts",
			pts:    []territory.Point{{X: 0, Y: 0}, {X: 1, Y: 1}},
			assign: []int{0, 1},
			k:      2,
			want: ShapeStats{
				Pieces:      2,
				Territories: []TerritoryShape{{Pieces: 1}, {Pieces: 1}},
			},
		},
		{
			// Alternating along a line: the graph is the path, so T1's 3
			// accounts are 3 pieces and T2's 2 are 2; hulls of collinear
			// accounts have no inside. T3 is empty. Agreement, 4 others
			// each: accounts 0 and 4 have 2 of T1, 2 has 2; 1 and 3 have 1.
			name:   "collinear and empty",
			pts:    []territory.Point{{X: 0, Y: 0}, {X: 1, Y: 1}, {X: 2, Y: 2}, {X: 3, Y: 3}, {X: 4, Y: 4}},
			assign: []int{0, 1, 0, 1, 0},
			k:      3,
			want: ShapeStats{
				Pieces: 5, TerritoriesInPieces: 2, NeighbourAgreement: 8.0 / 20,
				Territories: []TerritoryShape{
					{Pieces: 3, NeighbourAgreement: 6.0 / 12},
					{Pieces: 2, NeighbourAgreement: 2.0 / 8},
					{},
				},
			},
		},
		{
			// Accounts 0, 1 and 2 share a position, and so are neighbours:
			// T1's 0 and 2 are one piece, and T2's 1 joins 3 and 4 through
			// the position's edges. T2's hull is the triangle of the three
			// positions, and T1's accounts sit on its corner, not inside.
			// With 5 accounts, every account's 4 others are its neighbours:
			// 1 of them in T1 for 0 and 2, 2 in T2 for 1, 3 and 4.
			name:   "duplicates",
			pts:    []territory.Point{{X: 0, Y: 0}, {X: 0, Y: 0}, {X: 0, Y: 0}, {X: 5, Y: 0}, {X: 0, Y: 5}},
			assign: []int{0, 1, 0, 1, 1},
			k:      2,
			want: ShapeStats{
				Pieces: 2, NeighbourAgreement: 8.0 / 20,
				Territories: []TerritoryShape{
					{Pieces: 1, NeighbourAgreement: 2.0 / 8},
					{Pieces: 1, NeighbourAgreement: 6.0 / 12},
				},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, pl := shapeProblem(t, tt.pts, tt.assign, tt.k)
			p.Adjacency = tt.adj
			got := Shape(p, pl)
			if diff := gocmp.Diff(tt.want, got, cmpopts.EquateApprox(0, 1e-15)); diff != "" {
				t.Errorf("Shape() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// noisyProblem makes a geographic problem of n accounts over a 4° by 4°
// square in k territories: each account in the territory of its nearest of
// k random seeds, except one in ten, which goes to a random territory, so
// that territories come in pieces and reach into each other's hulls.
// About one account in twenty repeats the position of an earlier one.
func noisyProblem(t testing.TB, n, k int, seed uint64) (*territory.Problem, *territory.Plan) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 7)) // fixed seed: the same instance every run
	at := func() territory.Point { return territory.Point{X: -90 + 4*rng.Float64(), Y: 35 + 4*rng.Float64()} }
	seeds := make([]territory.Point, k)
	for t := range seeds {
		seeds[t] = at()
	}
	pts := make([]territory.Point, n)
	assign := make([]int, n)
	for i := range pts {
		pts[i] = at()
		if i > 0 && rng.IntN(20) == 0 {
			pts[i] = pts[rng.IntN(i)]
		}
		best := 0
		for t, s := range seeds {
			if spatial.Distance(territory.Geographic, pts[i], s) < spatial.Distance(territory.Geographic, pts[i], seeds[best]) {
				best = t
			}
		}
		assign[i] = best
		if rng.IntN(10) == 0 {
			assign[i] = rng.IntN(k)
		}
	}
	p, pl := shapeProblem(t, pts, assign, k)
	p.Space = territory.Geographic
	return p, pl
}

// shapeByScan computes Shape the slow way: pieces as the connected
// components (gonum's graph/topo) of the graph of the edges of
// [spatial.ProximityGraph] within each territory, every account tested
// against every other hull, edge by edge, and every account's neighbours
// found by sorting all the others.
func shapeByScan(p *territory.Problem, pl *territory.Plan) ShapeStats {
	n, numT := p.Accounts.Len(), p.K()
	st := ShapeStats{Territories: make([]TerritoryShape, numT)}

	g := simple.NewUndirectedGraph()
	for i := range n {
		g.AddNode(simple.Node(i))
	}
	for i, nb := range spatial.ProximityGraph(p.Space, p.Accounts.Locs, p.Adjacency) {
		for _, j := range nb {
			if int(j) != i && pl.Assign[i] == pl.Assign[j] {
				g.SetEdge(g.NewEdge(simple.Node(i), simple.Node(j)))
			}
		}
	}
	for _, c := range topo.ConnectedComponents(g) {
		st.Territories[pl.Assign[c[0].ID()]].Pieces++
	}

	proj := spatial.Project(p.Space, p.Accounts.Locs)
	hulls := make([][]territory.Point, numT)
	for t := range numT {
		var pts []territory.Point
		for i, a := range pl.Assign {
			if a == t {
				pts = append(pts, proj[i])
			}
		}
		for _, i := range spatial.ConvexHull(pts) {
			hulls[t] = append(hulls[t], pts[i])
		}
	}
	for i, q := range proj {
		for t, h := range hulls {
			if t == pl.Assign[i] || len(h) < 3 {
				continue
			}
			in := true
			for c := range h {
				in = in && spatial.Orient(h[c], h[(c+1)%len(h)], q) > 0
			}
			if in {
				st.Territories[pl.Assign[i]].InsideOtherHull++
				break
			}
		}
	}

	k := min(AgreementNeighbours, n-1)
	emb := make([]spatial.Vec3, n)
	for i, loc := range p.Accounts.Locs {
		emb[i] = spatial.Embed(p.Space, loc)
	}
	sums := make([]int, numT)
	counts := make([]int, numT)
	total := 0
	for i := range n {
		others := make([]int, 0, n-1)
		for j := range n {
			if j != i {
				others = append(others, j)
			}
		}
		slices.SortStableFunc(others, func(a, b int) int {
			return cmp.Compare(spatial.Dist2(emb[i], emb[a]), spatial.Dist2(emb[i], emb[b]))
		})
		for _, j := range others[:k] {
			if pl.Assign[j] == pl.Assign[i] {
				sums[pl.Assign[i]]++
				total++
			}
		}
		counts[pl.Assign[i]]++
	}
	for t := range st.Territories {
		ts := &st.Territories[t]
		if counts[t] > 0 {
			ts.NeighbourAgreement = float64(sums[t]) / float64(k*counts[t])
		}
		st.Pieces += ts.Pieces
		if ts.Pieces > 1 {
			st.TerritoriesInPieces++
		}
		st.InsideOtherHull += ts.InsideOtherHull
	}
	st.InsideOtherHullShare = float64(st.InsideOtherHull) / float64(n)
	st.NeighbourAgreement = float64(total) / float64(k*n)
	return st
}

// TestShapeMatchesScan checks Shape against shapeByScan on noisy plans.
func TestShapeMatchesScan(t *testing.T) {
	for _, tc := range []struct {
		n, k int
		seed uint64
	}{{1500, 12, 1}, {800, 40, 2}, {200, 3, 3}} {
		t.Run(strconv.Itoa(tc.n)+"x"+strconv.Itoa(tc.k), func(t *testing.T) {
			p, pl := noisyProblem(t, tc.n, tc.k, tc.seed)
			got, want := Shape(p, pl), shapeByScan(p, pl)
			if diff := gocmp.Diff(want, got); diff != "" {
				t.Errorf("Shape() differs from the scan (-scan +Shape):\n%s", diff)
			}
			if got.InsideOtherHull == 0 || got.TerritoriesInPieces == 0 {
				t.Errorf("the noisy plan has %d accounts inside other hulls and %d territories in pieces; the test needs some", got.InsideOtherHull, got.TerritoriesInPieces)
			}
		})
	}
}

// TestShapeGOMAXPROCS checks that Shape gives the same bits on one core
// and on several: 30,000 accounts make eight chunks.
func TestShapeGOMAXPROCS(t *testing.T) {
	p, pl := noisyProblem(t, 30000, 50, 4)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	one := Shape(p, pl)
	for _, procs := range []int{2, 4} {
		runtime.GOMAXPROCS(procs)
		if diff := gocmp.Diff(one, Shape(p, pl)); diff != "" {
			t.Errorf("GOMAXPROCS %d differs from 1 (-1 +%d):\n%s", procs, procs, diff)
		}
	}
}
