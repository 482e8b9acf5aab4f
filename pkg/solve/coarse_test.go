package solve

import (
	"math"
	"runtime"
	"slices"
	"testing"

	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// homesProblem is a random problem with centres at the homes and two
// rules, big enough to group (500 accounts per territory, 50 groups).
func homesProblem(t *testing.T) *territory.Problem {
	p := randomProblem(21, 10000, 20, territory.Planar, true)
	p.Rules = mustRules(t, "count:2%", "revenue:2%")
	return p
}

// TestCoarsenKeepsTotals checks the coarse problem: fewer accounts that
// stand for all of them, one rule whose total weight and bands are the
// means of the rules', and with squared distances the same differences of
// cost between any two centres.
func TestCoarsenKeepsTotals(t *testing.T) {
	m := newModel(homesProblem(t))
	c, _ := m.coarsen(m.lo, m.hi, []float64{0.5, 0.5})
	if c.n > m.n/4 || c.n < m.n/coarseGroup {
		t.Fatalf("%d groups of %d accounts", c.n, m.n)
	}
	total := 0.0
	for _, v := range c.mult {
		total += v
	}
	if total != float64(m.n) {
		t.Errorf("the groups stand for %g accounts, want %d", total, m.n)
	}
	if c.rules() != 1 {
		t.Fatalf("the coarse problem has %d rules, want 1", c.rules())
	}
	fine, coarse := 0.0, 0.0
	for r := range m.w {
		for _, v := range m.w[r] {
			fine += v / float64(m.rules())
		}
	}
	for _, v := range c.w[0] {
		coarse += v
	}
	if math.Abs(fine-coarse) > 1e-9*fine {
		t.Errorf("merged rule: total weight %g, want the rules' mean %g", coarse, fine)
	}
	for k := 0; k < m.k; k++ {
		lo, hi := (m.lo[0][k]+m.lo[1][k])/2, (m.hi[0][k]+m.hi[1][k])/2
		if math.Abs(c.lo[0][k]-lo) > 1e-9*hi || math.Abs(c.hi[0][k]-hi) > 1e-9*hi {
			t.Errorf("territory %d: merged band [%g, %g], want [%g, %g]", k, c.lo[0][k], c.hi[0][k], lo, hi)
		}
	}
	// Each group's cost difference between two centres equals the sum of
	// its members' (the constant of the grouping cancels).
	groups := m.accountIndex.Groups(coarseGroup)
	a, b := m.homes[0], m.homes[1]
	cs := newState(c)
	for g, members := range groups {
		fine := 0.0
		for _, i := range members {
			fine += spatial.Dist2(m.pts[i], a) - spatial.Dist2(m.pts[i], b)
		}
		coarse := cs.costOf(g, 0) - cs.costOf(g, 1)
		if math.Abs(fine-coarse) > 1e-9*(math.Abs(fine)+1) {
			t.Fatalf("group %d: cost difference %g, its members' %g", g, coarse, fine)
		}
	}
}

// coarsePasses is how many fine passes TestCoarseStartPrices allows: the
// first temperature's (measured: from zero prices the violation is 6,538
// after them, from the coarse prices and territories 1,590).
const coarsePasses = 6

// TestCoarseStartPrices checks that the prices from the coarse problem
// already balance the fine one far better than no prices do, and that a
// solve that uses them is the same at GOMAXPROCS 1 and 2.
func TestCoarseStartPrices(t *testing.T) {
	defer func(v int) { coarseMin = v }(coarseMin)
	coarseMin = 0
	p := homesProblem(t)
	// The violation after a few Newton passes on the fine problem, from
	// the given prices.
	after := func(coarse bool) float64 {
		m := newModel(p)
		s := newState(m)
		s.seedNearest()
		pr := newPrices(m, 1)
		c := s.candidates()
		var cr *coarseResult
		if coarse {
			var err error
			cr, err = s.coarseStart(t.Context(), pr, Normal.budget().inner, func(float64) {})
			if err != nil {
				t.Fatal(err)
			}
			if cr == nil {
				t.Fatal("no coarse start")
			}
			c = c.with(cr.extra)
		}
		nw := newNewton(s, c, pr)
		if cr != nil {
			nw.startAt = cr.delta
		}
		if _, err := nw.solve(t.Context(), coarsePasses); err != nil {
			t.Fatal(err)
		}
		return s.violation()
	}
	without, with := after(false), after(true)
	t.Logf("violation after %d passes: %.1f from zero prices, %.1f from the coarse ones", coarsePasses, without, with)
	if !(with < without/2) {
		t.Errorf("violation %g from the coarse prices, %g without: want less than half", with, without)
	}

	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	var plans [][]int
	for _, procs := range []int{1, 2} {
		runtime.GOMAXPROCS(procs)
		// The assign phase's progress moves through the coarse start's
		// share and on, never back.
		var seen []float64
		opt := Options{Effort: Quick, Progress: func(phase string, f float64) {
			if phase != "assign" {
				return
			}
			if len(seen) > 0 && f < seen[len(seen)-1] {
				t.Errorf("assign progress went back from %g to %g", seen[len(seen)-1], f)
			}
			seen = append(seen, f)
		}}
		pl, st, err := Solve(t.Context(), p, opt)
		if err != nil {
			t.Fatal(err)
		}
		coarse := slices.ContainsFunc(seen, func(f float64) bool { return f > 0 && f < coarseShare })
		fine := slices.ContainsFunc(seen, func(f float64) bool { return f > coarseShare && f < 1 })
		if !coarse || !fine {
			t.Errorf("assign progress %v: want steps inside the coarse start's share and after it", seen)
		}
		if !st.Feasible {
			t.Errorf("GOMAXPROCS %d: the plan breaks a rule", procs)
		}
		plans = append(plans, slices.Clone(pl.Assign))
	}
	if !slices.Equal(plans[0], plans[1]) {
		t.Error("the plans at GOMAXPROCS 1 and 2 differ")
	}
}
