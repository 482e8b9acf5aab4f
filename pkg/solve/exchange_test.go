package solve

import (
	"context"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// unitProblem is a random planar problem with centres at accounts and the
// sum of distances as the objective, without balance rules.
func unitProblem(seed uint64, n, k int) *territory.Problem {
	p := randomProblem(seed, n, k, territory.Planar, false)
	p.Center = territory.CenterUnit
	p.Objective = territory.Distance
	return p
}

// badStart puts the centres of s at the first k accounts and every
// account in the territory of its nearest one.
func badStart(s *state) {
	m := s.m
	for i := range m.n {
		best, bestD := int32(0), math.Inf(1)
		for k := range m.k {
			if d := m.cost(distBetween(m, i, k)); d < bestD {
				best, bestD = int32(k), d
			}
		}
		s.assign[i] = best
	}
	s.recount()
	s.updateCentres()
}

func distBetween(m *model, i, j int) float64 {
	dx, dy, dz := m.pts[i][0]-m.pts[j][0], m.pts[i][1]-m.pts[j][1], m.pts[i][2]-m.pts[j][2]
	return dx*dx + dy*dy + dz*dz
}

// TestExchangeReachesOptimum starts the exchange from a poor plan of 30
// accounts in 3 territories and checks that it ends at the optimum, found
// by trying every triple of centre accounts.
func TestExchangeReachesOptimum(t *testing.T) {
	for _, seed := range []uint64{5, 6, 7} {
		p := unitProblem(seed, 30, 3)
		m := newModel(p)
		opt := math.Inf(1)
		for a := 0; a < m.n; a++ {
			for b := a + 1; b < m.n; b++ {
				for c := b + 1; c < m.n; c++ {
					total := 0.0
					for i := range m.n {
						total += min(m.cost(distBetween(m, i, a)), m.cost(distBetween(m, i, b)), m.cost(distBetween(m, i, c)))
					}
					opt = min(opt, total)
				}
			}
		}
		s := newState(m)
		badStart(s)
		start := s.objective()
		if start < opt*1.01 {
			t.Fatalf("seed %d: the start (%g) is already within 1%% of the optimum (%g); the test proves nothing", seed, start, opt)
		}
		if err := s.exchange(t.Context(), 1, rand.New(rand.NewPCG(seed, 1)), func(float64) {}); err != nil {
			t.Fatal(err)
		}
		if got := s.objective(); got > opt*(1+1e-9) {
			t.Errorf("seed %d: exchange ends at %g from %g; the optimum is %g", seed, got, start, opt)
		}
	}
}

// TestExchangeCapacity checks that the exchange keeps a plan that meets
// its max rule within it, and improves it.
func TestExchangeCapacity(t *testing.T) {
	p := unitProblem(8, 120, 6)
	p.Rules = mustRules(t, "workload:max=1000000")
	total := 0.0
	for _, v := range p.Accounts.Weights("workload") {
		total += v
	}
	p.Rules[0].Max = total / 6 * 1.25
	m := newModel(p)
	var st Stats
	s, err := m.run(t.Context(), Normal.budget(), Options{Shape: Free}, nil, nil, 0, 1, nil, rand.New(rand.NewPCG(1, 2)),
		func(string) func(float64) { return func(float64) {} }, &st)
	if err != nil {
		t.Fatal(err)
	}
	if s.violation() > 0 {
		t.Fatalf("the start left violation %g", s.violation())
	}
	before := s.objective()
	if err := s.exchange(t.Context(), 1, rand.New(rand.NewPCG(1, 3)), func(float64) {}); err != nil {
		t.Fatal(err)
	}
	if v := s.violation(); v > 0 {
		t.Errorf("violation %g after the exchange", v)
	}
	if after := s.objective(); after >= before {
		t.Errorf("the exchange did not improve the plan: %g, was %g", after, before)
	}
	loads := slices.Clone(s.loads[0])
	s.recount()
	for k := range loads {
		if math.Abs(loads[k]-s.loads[0][k]) > 1e-9 {
			t.Fatalf("territory %d: load %g kept, %g recounted", k, loads[k], s.loads[0][k])
		}
	}
}

// TestExchangeCancelled checks that an exchange whose context has ended
// returns its error with a complete, consistent plan.
func TestExchangeCancelled(t *testing.T) {
	p := unitProblem(9, 60, 4)
	m := newModel(p)
	s := newState(m)
	badStart(s)
	start := s.objective()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := s.exchange(ctx, 1, rand.New(rand.NewPCG(1, 1)), func(float64) {}); err != context.Canceled {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if got := s.objective(); got > start {
		t.Errorf("objective %g, above the start %g", got, start)
	}
	for k, c := range s.centreAcc {
		if c < 0 || s.assign[c] != int32(k) {
			t.Errorf("territory %d: centre account %d is not a member", k, c)
		}
	}
}

// TestExchangeSameOnAnyCores solves a capacitated p-median instance at
// GOMAXPROCS 1 and 2: the exchange evaluates moves side by side, and the
// plan must not depend on how many cores do it.
func TestExchangeSameOnAnyCores(t *testing.T) {
	p, err := readCPMP("testdata/cpmp/SJC1.dat")
	if err != nil {
		t.Fatal(err)
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	var plans [][]int
	for _, procs := range []int{1, 2} {
		runtime.GOMAXPROCS(procs)
		pl, _, err := Solve(t.Context(), p, Options{Effort: Quick})
		if err != nil {
			t.Fatal(err)
		}
		plans = append(plans, append(slices.Clone(pl.Assign), pl.CenterAccount...))
	}
	if !slices.Equal(plans[0], plans[1]) {
		t.Error("the plans at GOMAXPROCS 1 and 2 differ")
	}
}

// TestCheapestMemberTies checks the centre search settle uses (every
// member a candidate, in ascending order) against trying every member in
// full: the least total, ties to the lower account index, whatever the
// order of the members and whether the costs come from a matrix. The
// points lie on a 4×4 grid of integers and the objective is SSE, so the
// totals are exact integers and ties are common.
func TestCheapestMemberTies(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const n = 60
	m := &model{n: n, obj: territory.SSE}
	for range n {
		m.pts = append(m.pts, spatial.Vec3{float64(rng.IntN(4)), float64(rng.IntN(4)), 0})
	}
	dist := make([]float64, n*n)
	for i := range n {
		for c := range n {
			dist[i*n+c] = m.cost(spatial.Dist2(m.pts[i], m.pts[c]))
		}
	}
	ties := 0
	for trial := range 200 {
		var mem []int32
		for i := range n {
			if rng.IntN(3) == 0 {
				mem = append(mem, int32(i))
			}
		}
		if len(mem) == 0 {
			continue
		}
		rng.Shuffle(len(mem), func(a, b int) { mem[a], mem[b] = mem[b], mem[a] })
		want, least, tied := -1, math.Inf(1), false
		for _, c := range mem {
			total := 0.0
			for _, i := range mem {
				total += dist[int(i)*n+int(c)]
			}
			switch {
			case total < least:
				want, least, tied = int(c), total, false
			case total == least:
				want, tied = min(want, int(c)), true
			}
		}
		if tied {
			ties++
		}
		cands := slices.Sorted(slices.Values(mem))
		for _, d := range [][]float64{dist, nil} {
			if got := cheapestMember(m, cands, mem, d); got != want {
				t.Errorf("trial %d (matrix %v): cheapestMember = %d, want %d", trial, d != nil, got, want)
			}
		}
	}
	if ties == 0 {
		t.Error("no trial had a tie: the test does not test ties")
	}
}
