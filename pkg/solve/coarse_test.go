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
		s.nearestStart()
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

// TestRuleMix checks the shares in which coarse levels merge the rules:
// a count rule takes all of it (its weight never varies), one rule is
// its own mix, and two rules without a count share it, the steadier one
// more, both shares non-negative and summing to 1.
func TestRuleMix(t *testing.T) {
	p := homesProblem(t)
	for _, c := range []struct {
		rules []string
		check func([]float64) string
	}{
		{[]string{"count:2%", "revenue:2%"}, func(mix []float64) string {
			if mix[0] < 1-1e-6 || mix[1] > 1e-6 {
				return "want the count alone"
			}
			return ""
		}},
		{[]string{"revenue:2%", "count:2%"}, func(mix []float64) string {
			if mix[1] < 1-1e-6 || mix[0] > 1e-6 {
				return "want the count alone"
			}
			return ""
		}},
		{[]string{"revenue:5%"}, func(mix []float64) string {
			if mix[0] != 1 {
				return "want 1"
			}
			return ""
		}},
		{[]string{"revenue:5%", "workload:5%"}, func(mix []float64) string {
			// workload (5 + revenue/5000, with noise) varies less than
			// revenue, relative to its mean.
			if !(mix[1] > mix[0]) {
				return "want the steadier workload to weigh more"
			}
			return ""
		}},
	} {
		p.Rules = mustRules(t, c.rules...)
		mix := newModel(p).ruleMix()
		sum := 0.0
		for _, v := range mix {
			if v < 0 {
				t.Errorf("%v: mix %v has a negative share", c.rules, mix)
			}
			sum += v
		}
		if math.Abs(sum-1) > 1e-9 {
			t.Errorf("%v: mix %v sums to %g", c.rules, mix, sum)
		}
		if msg := c.check(mix); msg != "" {
			t.Errorf("%v: mix %v: %s", c.rules, mix, msg)
		}
	}
}

// TestSupport checks the territories a coarse level hands on: every
// account's own best territory first, then exactly the other candidates
// within zSupport temperatures of it.
func TestSupport(t *testing.T) {
	nw := smallNewton(t)
	for r := range nw.lam {
		for k := range nw.lam[r] {
			nw.lam[r][k] = 0.01 * float64((r+1)*(k%3))
		}
	}
	nw.reached = nw.startDelta()
	sup := nw.support()
	m := nw.s.m
	spread := 0
	for i := 0; i < m.n; i++ {
		if len(sup.of(i)) > 1 {
			spread++
		}
		own, got := nw.c.of(i), sup.of(i)
		best, vb := int32(-1), math.Inf(1)
		for _, k := range own {
			if v := nw.priced(i, k, nw.lam); v < vb {
				best, vb = k, v
			}
		}
		if len(got) == 0 || got[0] != best {
			t.Fatalf("account %d: support %v, want its best territory %d first", i, got, best)
		}
		var want []int32
		for _, k := range own {
			if k != best && nw.priced(i, k, nw.lam)-vb < zSupport*nw.reached {
				want = append(want, k)
			}
		}
		if !slices.Equal(got[1:], want) {
			t.Fatalf("account %d: support %v, want %d then %v", i, got, best, want)
		}
	}
	// At the first temperature many accounts are spread: the test
	// checks more than the best territories.
	if spread < m.n/10 {
		t.Errorf("only %d of %d accounts spread over more than one territory", spread, m.n)
	}
}

// TestByNearest checks the pass order: accounts by their nearest
// territory, in their own order within one.
func TestByNearest(t *testing.T) {
	c := &candidates{start: []int32{0, 2, 4, 6, 8, 10}, list: []int32{2, 0, 0, 1, 2, 1, 1, 0, 0, 2}}
	got := byNearest([]int32{0, 1, 2, 3, 4}, c, 3)
	if want := []int32{1, 4, 3, 0, 2}; !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
}
