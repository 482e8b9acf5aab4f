package solve

import (
	"context"
	"math"
	"runtime"
	"slices"
	"testing"

	"github.com/territory-optimizer/territory/pkg/demo"
	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// shapeOf measures a plan as a person looking at its map would, without
// the solver's own graph or searches: the pieces of every territory in the
// proximity graph of the accounts (for point accounts their Delaunay
// triangulation in the local projection; counted by territoryPieces, with
// gonum's graph/topo), and the share of accounts strictly inside the
// convex hull of another territory's accounts.
func shapeOf(t *testing.T, p *territory.Problem, pl *territory.Plan) (pieces int, inside float64) {
	t.Helper()
	pts := spatial.Project(p.Space, p.Accounts.Locs)
	for _, n := range territoryPieces(spatial.ProximityGraph(p.Space, p.Accounts.Locs, p.Adjacency), pl, p.K()) {
		pieces += n
	}
	k := p.K()
	hulls := make([][]territory.Point, k)
	for t := 0; t < k; t++ {
		var mem []territory.Point
		for i, a := range pl.Assign {
			if a == t {
				mem = append(mem, pts[i])
			}
		}
		for _, h := range spatial.ConvexHull(mem) {
			hulls[t] = append(hulls[t], mem[h])
		}
	}
	in := 0
	for i, q := range pts {
		for t, h := range hulls {
			if t != pl.Assign[i] && strictlyInside(h, q) {
				in++
				break
			}
		}
	}
	return pieces, float64(in) / float64(len(pts))
}

// strictlyInside reports whether q lies inside the counter-clockwise
// convex polygon h, off its edges.
func strictlyInside(h []territory.Point, q territory.Point) bool {
	if len(h) < 3 {
		return false
	}
	for j := range h {
		a, b := h[j], h[(j+1)%len(h)]
		if (b.X-a.X)*(q.Y-a.Y)-(b.Y-a.Y)*(q.X-a.X) <= 0 {
			return false
		}
	}
	return true
}

// regionFamilies are the instance families the region requirement is
// tested on: clustered planar accounts with free centres, geographic
// accounts with fixed homes, and a CRM-like export with whale accounts
// (lognormal revenue, σ 1, no cap), reps sharing offices and part-time
// capacities.
func regionFamilies(t *testing.T) []struct {
	name string
	p    *territory.Problem
} {
	planar := randomProblem(11, 1500, 12, territory.Planar, false)
	planar.Rules = mustRules(t, "revenue:5%", "workload:5%")
	homes := randomProblem(12, 1500, 12, territory.Geographic, true)
	homes.Rules = mustRules(t, "revenue:5%", "workload:5%")
	crm := generatedProblem(t, demo.Config{Accounts: 4000, Reps: 16, RevenueTail: 1, Offices: 7,
		HalfCapacity: 2, FourFifthsCapacity: 1, States: []string{"GA", "FL", "AL", "SC"}, Seed: 3},
		"count:3%", "revenue:3%")
	return []struct {
		name string
		p    *territory.Problem
	}{
		{"planar, free centres", planar},
		{"geographic, homes", homes},
		{"CRM export: whales, shared offices", crm},
	}
}

// Regions by default: every territory one piece of the accounts'
// Delaunay graph, almost no account inside another territory's hull, and
// every rule met. The free shape of the same problems is in many pieces,
// so the test fails if the region requirement is dropped.
func TestRegionsByDefault(t *testing.T) {
	skipUnderRace(t)
	for _, tt := range regionFamilies(t) {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.p
			pl, st, err := Solve(context.Background(), p, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if broken := checkRules(p, pl); len(broken) > 0 {
				t.Errorf("rules broken: %v", broken)
			}
			if !st.Feasible || !st.Connected {
				t.Errorf("stats: feasible %v, connected %v", st.Feasible, st.Connected)
			}
			sizes := make([]int, p.K())
			for _, k := range pl.Assign {
				sizes[k]++
			}
			for k, n := range sizes {
				if n == 0 && p.Reps[k].Capacity > 0 {
					t.Errorf("territory %d (rep %s) is empty", k, p.Reps[k].ID)
				}
			}
			pieces, inside := shapeOf(t, p, pl)
			t.Logf("%d territories: %d pieces, %.2f%% inside another hull", p.K(), pieces, 100*inside)
			// The solver joins islands to their nearest neighbour across
			// the water (spatial.ProximityGraph); the Delaunay graph has
			// no islands, so a region plan is one piece per territory.
			if pieces != p.K() {
				t.Errorf("%d pieces for %d territories", pieces, p.K())
			}
			// Issue 14 asks for at most 2% on the demo and on a few
			// thousand CRM accounts (3% on 100,000).
			if inside > 0.02 {
				t.Errorf("%.2f%% of accounts inside another territory's hull, want at most 2%%", 100*inside)
			}
			free, _, err := Solve(context.Background(), p, Options{Shape: Free})
			if err != nil {
				t.Fatal(err)
			}
			if fp, _ := shapeOf(t, p, free); fp <= p.K() {
				t.Errorf("the free shape has %d pieces: the problem does not tell regions from free plans", fp)
			}
		})
	}
}

// Reps at one address split their office's area among themselves: each
// gets its own connected region, none is left empty.
func TestRegionsSharedOffice(t *testing.T) {
	p := randomProblem(21, 1200, 9, territory.Geographic, true)
	p.Rules = mustRules(t, "revenue:5%", "workload:5%")
	for k := 1; k < 5; k++ { // reps 0..4 in one office
		p.Reps[k].Home = p.Reps[0].Home
	}
	pl, st, err := Solve(context.Background(), p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if broken := checkRules(p, pl); len(broken) > 0 {
		t.Errorf("rules broken: %v", broken)
	}
	if !st.Connected {
		t.Error("a territory is in pieces")
	}
	pieces, inside := shapeOf(t, p, pl)
	if pieces != p.K() {
		t.Errorf("%d pieces for %d territories", pieces, p.K())
	}
	if inside > 0.03 {
		t.Errorf("%.2f%% inside another hull", 100*inside)
	}
	// The centres stay at the homes the problem fixes.
	for k, c := range pl.Centers {
		if c != p.Reps[k].Home {
			t.Errorf("territory %d centred at %v, not its rep's home %v", k, c, p.Reps[k].Home)
		}
	}
}

// The same region plan on one core and on two.
func TestRegionsDeterministic(t *testing.T) {
	fam := regionFamilies(t)
	p := fam[len(fam)-1].p
	var plans [][]int
	for _, procs := range []int{1, 2} {
		old := runtime.GOMAXPROCS(procs)
		pl, _, err := Solve(context.Background(), p, Options{Seed: 5})
		runtime.GOMAXPROCS(old)
		if err != nil {
			t.Fatal(err)
		}
		plans = append(plans, pl.Assign)
	}
	if !slices.Equal(plans[0], plans[1]) {
		t.Error("GOMAXPROCS 1 and 2 give different plans")
	}
}

// A weight measure weights every account's cost, and the free centre is
// the weighted mean.
func TestWeight(t *testing.T) {
	p := &territory.Problem{
		Space: territory.Planar,
		Accounts: territory.Accounts{
			IDs:  []string{"a", "b", "c"},
			Locs: []territory.Point{{X: 0, Y: 0}, {X: 10, Y: 0}, {X: 0, Y: 10}},
			Measures: []territory.Measure{
				{Name: "pop", Column: "pop", Values: []float64{8, 1, 1}},
			},
		},
		Reps:   []territory.Rep{{ID: "r", Capacity: 1}},
		Weight: "pop",
	}
	pl, st, err := Solve(context.Background(), p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Weighted mean: (8·(0,0) + 1·(10,0) + 1·(0,10)) / 10 = (1, 1).
	if c := pl.Centers[0]; math.Abs(c.X-1) > 1e-9 || math.Abs(c.Y-1) > 1e-9 {
		t.Errorf("centre %v, want the weighted mean (1, 1)", c)
	}
	// Σ pop·d²: 8·2 + 1·(81+1) + 1·(1+81) = 180.
	if math.Abs(st.Cost-180) > 1e-9 {
		t.Errorf("objective %v, want 180", st.Cost)
	}
	p.Weight = "nope"
	if _, _, err := Solve(context.Background(), p, Options{}); err == nil {
		t.Error("an unknown weight measure was accepted")
	}
}

// violationAsRegions is the violation makeContiguous would leave, and
// leaves the state as it was: an account moved into a territory it does
// not touch is a piece of its own, which makeContiguous gives back to its
// neighbours.
func TestViolationAsRegions(t *testing.T) {
	p := randomProblem(3, 400, 5, territory.Planar, true)
	p.Rules = mustRules(t, "count:1%", "revenue:2%")
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	m := newModel(p)
	g := newGraph(p, m)
	s := newState(m)
	s.initialSplit()
	newContiguity(g, s).makeContiguous()
	checked := 0
	for i := 0; i < m.n && checked < 5; i++ {
		from := s.assign[i]
		inner := true
		for _, j := range g.adj[i] {
			inner = inner && s.assign[j] == from
		}
		if !inner {
			continue
		}
		to := (from + 1) % int32(m.k)
		before := s.violation()
		s.move(i, to) // a piece of its own in to
		s.recount()   // as setAssign leaves the loads the centring measures
		assign := slices.Clone(s.assign)
		loads := cloneRows(s.loads)
		plain := s.violation()

		c := newState(m)
		copy(c.assign, s.assign)
		c.recount()
		newContiguity(g, c).makeContiguous()
		want := c.violation()

		got := s.violationAsRegions(g)
		if math.Abs(got-want) > 1e-9*(1+want) {
			t.Errorf("account %d moved from %d to %d: violation as regions %g, makeContiguous leaves %g", i, from, to, got, want)
		}
		if math.Abs(got-before) > 1e-9*(1+before) {
			t.Errorf("account %d: violation as regions %g, %g before it moved away (its piece goes back)", i, got, before)
		}
		if !slices.Equal(assign, s.assign) || !slices.EqualFunc(loads, s.loads, slices.Equal) {
			t.Fatalf("account %d: violationAsRegions changed the state", i)
		}
		if math.Abs(plain-before) > 1e-9 {
			checked++ // the move changed the plain violation: the two measures differ here
		}
		s.move(i, from)
		s.recount()
	}
	if checked == 0 {
		t.Fatal("no move changed the plain violation: the test shows nothing")
	}
}

// An account whose cheapest territory at the diagram's prices is not
// among its candidates gets it added, so that the diagram can be solved
// again with every account able to reach its cell; a few such accounts,
// within the slack, are left as they are.
func TestAddMissingCells(t *testing.T) {
	homes := []territory.Point{{X: 55, Y: 5}, {X: 155, Y: 5}, {X: 255, Y: 5}}
	p := gridProblem(t, 30, 1, homes, "count:5%")
	m := newModel(p)
	fresh := func() *state {
		s := newState(m)
		s.cand = s.candidatesN(1) // each account's nearest home only
		// Territory 2 priced so low that it is every account's cheapest.
		s.lambda = [][]float64{{0, 0, -1e9}}
		return s
	}
	s := fresh()
	if s.addMissingCells(1) {
		t.Error("accounts added with a slack of every account")
	}
	if !s.addMissingCells(0) {
		t.Fatal("no account got its cheapest territory")
	}
	for i := range m.n {
		if !slices.Contains(s.cand.of(i), 2) {
			t.Errorf("account %d (x %g): candidates %v lack territory 2", i, p.Accounts.Locs[i].X, s.cand.of(i))
		}
		if own := fresh().cand.of(i); !slices.Equal(s.cand.of(i)[:len(own)], own) {
			t.Errorf("account %d: candidates %v do not start with its own %v", i, s.cand.of(i), own)
		}
	}
	if s.addMissingCells(0) {
		t.Error("a second check added more")
	}
}
