package solve

import (
	"cmp"
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/territory-optimizer/territory/pkg/demo"
	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// cutAll splits every account of p among all its reps by straight cuts,
// as an office of all of them, and returns the plan (nil when the cuts
// cannot meet the bands).
func cutAll(t *testing.T, p *territory.Problem) *territory.Plan {
	t.Helper()
	m := newModel(p)
	assign := make([]int, m.n)
	if !newCutter(m, newGraph(p, m), spatial.Project(p.Space, p.Accounts.Locs)).split(indices(m.n), indices(m.k), assign) {
		return nil
	}
	return &territory.Plan{Assign: assign}
}

// Straight cuts split an office's accounts within every rep's band into
// pieces whose hulls hold none of the others' accounts, and connected
// ones: on one rule (an account count, where a straight cut always
// meets the band) exactly; with whales on a second rule, where cuts bend
// near the line, almost.
func TestOfficeCuts(t *testing.T) {
	count := randomProblem(5, 1500, 7, territory.Geographic, true)
	count.Rules = mustRules(t, "count:3%")
	whales := generatedProblem(t, demo.Config{Accounts: 2000, Reps: 9, RevenueTail: 1,
		HalfCapacity: 1, FourFifthsCapacity: 1, States: []string{"TX", "OK", "LA"}, Seed: 4},
		"count:3%", "revenue:3%")
	for _, tt := range []struct {
		name    string
		p       *territory.Problem
		inside  float64
		perfect bool
	}{
		{"count", count, 0, true},
		{"count and revenue, whales", whales, 0.01, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.p
			pl := cutAll(t, p)
			if pl == nil {
				t.Fatal("no cuts within the bands")
			}
			if broken := checkRules(p, pl); len(broken) > 0 {
				t.Errorf("rules broken: %v", broken)
			}
			pieces, inside := shapeOf(t, p, pl)
			if pieces != p.K() {
				t.Errorf("%d pieces for %d reps", pieces, p.K())
			}
			t.Logf("%.2f%% inside another rep's hull", 100*inside)
			if inside > tt.inside {
				t.Errorf("%.2f%% of accounts inside another rep's hull, want at most %.2f%%", 100*inside, 100*tt.inside)
			}
		})
	}
}

// Bands no cut can meet: the office's accounts outside the sum of its
// reps' bands. split says so instead of returning a plan that breaks
// them.
func TestOfficeCutsInfeasible(t *testing.T) {
	p := randomProblem(6, 300, 3, territory.Planar, true)
	p.Rules = mustRules(t, "count:min=150")
	if pl := cutAll(t, p); pl != nil {
		t.Errorf("cuts returned a plan for bands that 300 accounts cannot meet: %v", checkRules(p, pl))
	}
}

// A region plan whose reps share offices: the offices are split by cuts,
// so that with every other rep elsewhere no account lies inside the hull
// of a rep of its own office.
func TestRegionsOfficeCut(t *testing.T) {
	p := generatedProblem(t, demo.Config{Accounts: 3000, Reps: 12, RevenueTail: 1, Offices: 6,
		HalfCapacity: 1, FourFifthsCapacity: 1, Seed: 5}, "count:5%", "revenue:5%")
	pl, st, err := Solve(context.Background(), p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !st.Feasible || !st.Connected {
		t.Errorf("stats: feasible %v, connected %v", st.Feasible, st.Connected)
	}
	pieces, inside := shapeOf(t, p, pl)
	t.Logf("%d pieces, %.2f%% inside another hull", pieces, 100*inside)
	if pieces != p.K() {
		t.Errorf("%d pieces for %d territories", pieces, p.K())
	}
	// 2.17% when the offices were split by balanced k-means alone.
	if inside > 0.015 {
		t.Errorf("%.2f%% inside another hull, want at most 1.5%%", 100*inside)
	}
}

// A cut bent near its line, as bisect makes where no straight one meets
// two rules' bands (here two reps of 1,000 accounts with whales, count
// and revenue within 1%): both sides within their bands and connected,
// with few accounts inside the other's hull.
func TestOfficeCutsBent(t *testing.T) {
	p := generatedProblem(t, demo.Config{Accounts: 1000, Reps: 2, RevenueTail: 1,
		States: []string{"GA"}, Seed: 2}, "count:1%", "revenue:1%")
	m := newModel(p)
	g := newGraph(p, m)
	c := newCutter(m, g, spatial.Project(p.Space, p.Accounts.Locs))
	idx := indices(m.n)
	acc := make([]int32, m.n)
	for i := range acc {
		acc[i] = int32(i)
	}
	c.office(idx)
	wins, ok := c.windows(acc, []int{0}, []int{1})
	if !ok {
		t.Fatal("no window")
	}
	c.setAccounts(acc)
	low, ok := c.bentCut(acc, make([]keyedAccount, m.n), wins, 0, 0)
	if !ok {
		t.Fatal("no bent cut")
	}
	assign := make([]int, m.n)
	for _, i := range acc[low:] {
		assign[i] = 1
	}
	pl := &territory.Plan{Assign: assign}
	if broken := checkRules(p, pl); len(broken) > 0 {
		t.Errorf("rules broken: %v", broken)
	}
	pieces, inside := shapeOf(t, p, pl)
	if pieces != 2 {
		t.Errorf("%d pieces for two sides", pieces)
	}
	t.Logf("%.2f%% inside the other's hull", 100*inside)
	if inside > 0.02 {
		t.Errorf("%.2f%% inside the other's hull, want at most 2%%", 100*inside)
	}
}

// An office whose reps break their bands between them while their
// accounts fit the bands together is cut again after the repair: every
// rep within its band, each one piece.
func TestOfficeRecut(t *testing.T) {
	p := randomProblem(8, 900, 4, territory.Geographic, true)
	p.Rules = mustRules(t, "count:3%")
	for k := range p.Reps {
		p.Reps[k].Capacity = 1
	}
	for k := 1; k < 3; k++ { // reps 0..2 in one office
		p.Reps[k].Home = p.Reps[0].Home
	}
	groups := officeGroups(p)
	m := newModel(p)
	o := &offices{p: p, groups: groups, m: m, full: newGraph(p, m), xy: spatial.Project(p.Space, p.Accounts.Locs)}
	s := newState(m)
	// Rep 3 takes the quarter of the accounts farthest west; the office
	// the rest, all of it to rep 0 but for a few accounts each to reps 1
	// and 2.
	order := indices(m.n)
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(p.Accounts.Locs[a].X, p.Accounts.Locs[b].X) })
	for j, i := range order {
		switch {
		case j < m.n/4:
			s.assign[i] = 3
		case j < m.n/4+5:
			s.assign[i] = 1
		case j < m.n/4+10:
			s.assign[i] = 2
		}
	}
	s.recount()
	if s.violation() == 0 {
		t.Fatal("the plan to recut breaks no band")
	}
	// Rep 3 holds its target exactly, so the office's accounts fit its
	// reps' bands together.
	if v := violation(s.loads[0][3], m.lo[0][3], m.hi[0][3]); v > 0 {
		t.Fatalf("rep 3 is out of its band by %g", v)
	}
	moved := o.recut(s)
	if moved == 0 {
		t.Fatal("recut moved nothing")
	}
	if v := s.violation(); v > 0 {
		t.Errorf("violation %g after the recut", v)
	}
	if !newContiguity(o.full, s).connected() {
		t.Error("a territory is in pieces after the recut")
	}
	if s.assign[order[0]] != 3 {
		t.Error("the recut moved an account of a rep outside the office")
	}
}

// keyedByComparison is the order radixSortKeyed must give: by key, ties by
// account.
func keyedByComparison(keyed []keyedAccount) {
	slices.SortFunc(keyed, func(x, y keyedAccount) int { return cmp.Or(cmp.Compare(x.key, y.key), cmp.Compare(x.i, y.i)) })
}

// randomKeyed returns n accounts in increasing order with keys of both
// signs, repeated keys (accounts at one address), zeros of both signs and
// keys far apart in magnitude.
func randomKeyed(rng *rand.Rand, n int) []keyedAccount {
	keyed := make([]keyedAccount, n)
	for j := range keyed {
		var key float64
		switch rng.IntN(6) {
		case 0:
			key = float64(rng.IntN(5)) - 2 // many equal keys
		case 1:
			key = math.Copysign(0, -1)
		case 2:
			key = rng.NormFloat64() * 1e-9
		default:
			key = rng.NormFloat64() * 1e5
		}
		keyed[j] = keyedAccount{key: key, i: int32(j)}
	}
	return keyed
}

// The radix sort of the cuts orders accounts as a sort by key and then
// account does, from accounts given in increasing order, on both sides of
// radixLeast.
func TestRadixSortKeyed(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	var tmp []radixItem
	for _, n := range []int{0, 1, 2, 17, radixLeast - 1, radixLeast, 1000, 20000} {
		keyed := randomKeyed(rng, n)
		want := slices.Clone(keyed)
		keyedByComparison(want)
		tmp = radixSortKeyed(keyed, tmp)
		for j := range keyed {
			if keyed[j].i != want[j].i || keyed[j].key != want[j].key {
				t.Fatalf("n=%d: position %d holds account %d (key %g), want %d (key %g)", n, j, keyed[j].i, keyed[j].key, want[j].i, want[j].key)
			}
		}
	}
}

// BenchmarkSortKeyed compares the cuts' radix sort with a sort by
// comparisons, on 10,000 accounts (an office's accounts at 100,000 x 100).
func BenchmarkSortKeyed(b *testing.B) {
	base := randomKeyed(rand.New(rand.NewPCG(7, 7)), 10_000)
	keyed := slices.Clone(base)
	b.Run("radix", func(b *testing.B) {
		var tmp []radixItem
		for b.Loop() {
			copy(keyed, base)
			tmp = radixSortKeyed(keyed, tmp)
		}
	})
	b.Run("comparisons", func(b *testing.B) {
		for b.Loop() {
			copy(keyed, base)
			keyedByComparison(keyed)
		}
	})
}
