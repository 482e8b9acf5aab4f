package solve

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// fingerPlan is a 12×12 grid of accounts (jittered, so that no four lie
// on a circle) split into a left and a right territory, each centred at
// its rep's home, with the left one reaching a finger of three accounts
// into the right one along row 5 and the right one holding three
// accounts of the left column 5 at the bottom in return: both connected,
// both within count:10%, and the left hull over the right's accounts
// around the finger.
func fingerPlan(t *testing.T) (*territory.Problem, []int) {
	t.Helper()
	rng := rand.New(rand.NewPCG(7, 7))
	p := &territory.Problem{Space: territory.Planar, Objective: territory.SSE, Center: territory.CenterHome}
	var assign []int
	for y := range 12 {
		for x := range 12 {
			p.Accounts.IDs = append(p.Accounts.IDs, fmt.Sprintf("A%d-%d", x, y))
			p.Accounts.Locs = append(p.Accounts.Locs, territory.Point{
				X: float64(x) + 0.1*(rng.Float64()-0.5), Y: float64(y) + 0.1*(rng.Float64()-0.5)})
			left := x < 6
			if y == 5 && x >= 6 && x <= 8 {
				left = true // the finger
			}
			if x == 5 && y <= 2 {
				left = false // the trade for it
			}
			if left {
				assign = append(assign, 0)
			} else {
				assign = append(assign, 1)
			}
		}
	}
	p.Reps = []territory.Rep{
		{ID: "L", Capacity: 1, Home: territory.Point{X: 2.5, Y: 5.5}, HasHome: true},
		{ID: "R", Capacity: 1, Home: territory.Point{X: 8.5, Y: 5.5}, HasHome: true},
	}
	p.Rules = mustRules(t, "count:10%")
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	return p, assign
}

// The pass takes the finger back: no account is left inside the other
// territory's hull, the rule still holds, both territories stay
// connected, and the cost rises by no more than the pass allows. Without
// the pass the finger stays, so the test fails if it is removed.
func TestHullRepair(t *testing.T) {
	p, assign := fingerPlan(t)
	pl := &territory.Plan{Assign: assign}
	if _, inside := shapeOf(t, p, pl); inside == 0 {
		t.Fatal("the finger plan has no account inside another hull: the test shows nothing")
	}
	m := newModel(p)
	g := newGraph(p, m)
	s := newState(m)
	for i, k := range assign {
		s.assign[i] = int32(k)
	}
	s.recount()
	if s.violation() != 0 || !newContiguity(g, s).connected() {
		t.Fatal("the finger plan does not start feasible and connected")
	}
	cost := s.objective()

	moves := s.hullRepair(context.Background(), g, hullMostNormal, nil)
	if moves == 0 {
		t.Fatal("the pass moved nothing")
	}
	after := s.plan()
	if pieces, inside := shapeOf(t, p, after); pieces != 2 || inside != 0 {
		t.Errorf("after %d moves: %d pieces, %.2f%% inside another hull; want 2 and none", moves, pieces, 100*inside)
	}
	if broken := checkRules(p, after); len(broken) > 0 {
		t.Errorf("rules broken: %v", broken)
	}
	if got := s.objective(); got > cost*(1+hullCostSlack)+1e-9 {
		t.Errorf("cost %g, was %g: more than the pass's slack of %g", got, cost, hullCostSlack)
	}
}

// A plan with no account inside another hull is left alone.
func TestHullRepairConvex(t *testing.T) {
	p, _ := fingerPlan(t)
	m := newModel(p)
	g := newGraph(p, m)
	s := newState(m)
	for i, loc := range p.Accounts.Locs {
		if loc.X > 5.5 {
			s.assign[i] = 1
		}
	}
	s.recount()
	if moves := s.hullRepair(context.Background(), g, hullMostNormal, nil); moves != 0 {
		t.Errorf("the pass moved %d accounts of a plan with convex territories", moves)
	}
}

// On region plans of random problems (solved without the pass, as a part
// of a larger problem is), the pass never puts more accounts inside other
// hulls, never breaks a rule further, keeps every territory connected and
// stays within its cost slack.
func TestHullRepairInvariants(t *testing.T) {
	moved := 0
	seeds := uint64(6)
	if testing.Short() {
		seeds = 2
	}
	for seed := uint64(1); seed <= seeds; seed++ {
		space := territory.Planar
		if seed%2 == 0 {
			space = territory.Geographic
		}
		p := randomProblem(seed, 400, 6, space, seed%3 == 0)
		p.Rules = mustRules(t, "revenue:3%", "workload:3%")
		pl, _, err := Solve(context.Background(), p, Options{Seed: seed, part: true})
		if err != nil {
			t.Fatal(err)
		}
		m := newModel(p)
		g := newGraph(p, m)
		s := newState(m)
		for i, k := range pl.Assign {
			s.assign[i] = int32(k)
		}
		s.recount()
		if m.homes == nil {
			s.updateCentres()
		}
		_, inside := shapeOf(t, p, s.plan())
		viol, cost := s.violation(), s.objective()
		connected := newContiguity(g, s).connected()

		n := s.hullRepair(context.Background(), g, hullMostNormal, nil)
		moved += n
		_, after := shapeOf(t, p, s.plan())
		t.Logf("seed %d: %d moves, %.2f%% -> %.2f%% inside another hull", seed, n, 100*inside, 100*after)
		if after > inside {
			t.Errorf("seed %d: %.2f%% inside another hull after the pass, %.2f%% before", seed, 100*after, 100*inside)
		}
		if v := s.violation(); v > viol+1e-9 {
			t.Errorf("seed %d: violation %g after the pass, %g before", seed, v, viol)
		}
		if connected && !newContiguity(g, s).connected() {
			t.Errorf("seed %d: a territory is in pieces after the pass", seed)
		}
		if m.homes != nil {
			// Free centres move after the pass; fixed ones do not, and
			// the slack bounds the cost exactly.
			if c := s.objective(); c > cost*(1+hullCostSlack)+1e-9 {
				t.Errorf("seed %d: cost %g after the pass, %g before", seed, c, cost)
			}
		}
	}
	if moved == 0 {
		t.Error("the pass moved nothing on any problem: the test shows nothing")
	}
}
