package solve

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// Political districting is territory design on polygons: a state's
// counties into its House districts, populations within ±0.5% of the
// ideal (L = ceil(0.995·P/k), U = floor(1.005·P/k), which is what the rule
// pop2010:0.5% gives for whole-number populations), every district
// contiguous, and as compact as possible: the population-weighted sum of
// squared distances from every county to its district's centre county
// (Hess et al. 1965; --center unit --objective sse --weight pop2010).
// Validi, Buchanan and Lykhovyd (Operations Research 2022) solved the
// contiguous version of this model to proven optimality for the states
// below; Colorado's 64 counties admit no contiguous plan of 7 districts
// at ±0.5%.

// houseSeats are the 2010 apportionment's seats of the states tested.
var houseSeats = map[string]int{
	"AL": 7, "AR": 4, "IA": 4, "ID": 2, "KS": 4, "LA": 6, "ME": 2,
	"MS": 4, "NE": 3, "NM": 3, "OK": 5, "WV": 3, "CO": 7,
}

// stateCounties reads the counties of one state from the shared county
// layer (2010 Census populations; skipping the test where it is absent)
// as the problem of districting them into k districts.
func stateCounties(t *testing.T, state string, k int) *territory.Problem {
	t.Helper()
	p := sharedCounties(t, func(geoid string) bool { return countyState[geoid[:2]] == state })
	if p.Accounts.Len() == 0 {
		t.Fatalf("no counties of %s", state)
	}
	p.Objective, p.Center, p.Weight = territory.SSE, territory.CenterUnit, "pop2010"
	for d := 0; d < k; d++ {
		p.Reps = append(p.Reps, territory.Rep{ID: fmt.Sprintf("D%d", d+1), Capacity: 1})
	}
	p.Rules = mustRules(t, "pop2010:0.5%")
	return p
}

// countyState maps the FIPS state codes (the first two digits of a
// county's GEOID) of the states tested to their letters.
var countyState = map[string]string{
	"01": "AL", "05": "AR", "19": "IA", "16": "ID", "20": "KS", "22": "LA", "23": "ME",
	"28": "MS", "31": "NE", "35": "NM", "40": "OK", "54": "WV", "08": "CO",
}

// provenOptimum is, for every state with a contiguous plan, the
// objective of Validi, Buchanan and Lykhovyd's proven optimal contiguous
// plan scored as this package scores a plan: the same counties, each
// district centred at its best county, on this repository's county
// points, 2010 populations and shared boundaries (their plan meets ±0.5%
// and is contiguous on them too). Their plans are the county-to-district
// files of github.com/zhelih/districting,
// computational_results/results/counties/blk/ (models cut, lcut, mcf and
// shir, all four the same plan); their own objective values differ from
// these by up to 9% because their distances run between other points
// (the counties' population centres). Measured with the plans read from
// there on 2026-12-07; only the numbers are kept here.
var provenOptimum = map[string]float64{
	"AL": 1.646270521e10, "AR": 1.651743914e10, "IA": 1.772744936e10, "ID": 6.100013717e10,
	"KS": 2.366703548e10, "LA": 1.698626988e10, "ME": 1.883467472e10, "MS": 1.590872021e10,
	"NE": 2.211581543e10, "NM": 3.289331015e10, "OK": 2.179488092e10, "WV": 1.197016138e10,
}

func TestDistricting(t *testing.T) {
	if testing.Short() {
		t.Skip("districting: thirteen states")
	}
	states := []string{"AL", "AR", "IA", "ID", "KS", "LA", "ME", "MS", "NE", "NM", "OK", "WV", "CO"}
	gaps := map[string]float64{}
	for _, st := range states {
		t.Run(st, func(t *testing.T) {
			p := stateCounties(t, st, houseSeats[st])
			start := time.Now()
			pl, stats, err := Solve(context.Background(), p, Options{})
			if err != nil {
				t.Fatal(err)
			}
			took := time.Since(start)
			t.Logf("%s: %d counties, %d districts: objective %.6g, feasible %v, connected %v, %v",
				st, p.Accounts.Len(), p.K(), stats.Cost, stats.Feasible, stats.Connected, took.Round(time.Millisecond))
			if st == "CO" {
				// No contiguous plan exists: the solver must say so.
				if stats.Feasible && stats.Connected {
					t.Error("Colorado solved at ±0.5% and contiguous, which is impossible")
				}
				return
			}
			if broken := checkRules(p, pl); len(broken) > 0 {
				t.Errorf("rules broken: %v", broken)
			}
			if !stats.Connected {
				t.Error("a district is in pieces")
			}
			checkRegions(t, p, pl) // the counties' shared boundaries, checked without the solver
			gap := 100 * (weightedCost(p, pl)/provenOptimum[st] - 1)
			t.Logf("%s: %.3f%% above the proven optimum", st, gap)
			gaps[st] = gap
		})
	}
	// Issue 14: the mean gap at most 0.5%, none above 2%.
	if len(gaps) < len(provenOptimum) {
		return // a state failed above
	}
	mean, worst := 0.0, ""
	for st, g := range gaps {
		mean += g / float64(len(gaps))
		if worst == "" || g > gaps[worst] || (g == gaps[worst] && st < worst) {
			worst = st
		}
	}
	t.Logf("gap to the proven optima: mean %.3f%%, largest %.3f%% (%s)", mean, gaps[worst], worst)
	if mean > 0.5 {
		t.Errorf("mean gap %.3f%% above 0.5%%", mean)
	}
	if gaps[worst] > 2 {
		t.Errorf("%s %.3f%% above its proven optimum, more than 2%%", worst, gaps[worst])
	}
}

// weightedCost recomputes the objective of a districting plan from its
// assignment and centres: every county's population times its squared
// distance to its district's centre (the chord, as the solver measures).
func weightedCost(p *territory.Problem, pl *territory.Plan) float64 {
	pop := p.Accounts.Weights("pop2010")
	total := 0.0
	for i, k := range pl.Assign {
		total += pop[i] * spatial.Dist2(spatial.Embed(p.Space, p.Accounts.Locs[i]), spatial.Embed(p.Space, pl.Centers[k]))
	}
	return total
}

// Maine's 16 counties into 2 districts are few enough to enumerate: every
// split into two connected halves within the bands, each half centred at
// its best county. The solver must find that optimum.
func TestDistrictingMaineOptimum(t *testing.T) {
	p := stateCounties(t, "ME", 2)
	best := exactTwoDistricts(p)
	if math.IsInf(best, 1) {
		t.Fatal("no feasible plan found by enumeration")
	}
	t.Logf("Maine: the optimum is %.9g", best)
	pl, st, err := Solve(context.Background(), p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if broken := checkRules(p, pl); len(broken) > 0 {
		t.Fatalf("Maine out of balance: %v", broken)
	}
	t.Logf("Maine: optimum %.6g, solver %.6g (gap %.3f%%)", best, st.Cost, 100*(st.Cost/best-1))
	if st.Cost > best*(1+1e-9) {
		t.Errorf("objective %.9g above the optimum %.9g", st.Cost, best)
	}
}

// exactTwoDistricts returns the least objective of a plan of p's accounts
// in two connected districts within the bands, by enumerating every
// subset that holds account 0 (2^(n-1) of them).
func exactTwoDistricts(p *territory.Problem) float64 {
	n := p.Accounts.Len()
	if n > 24 {
		panic("too many accounts to enumerate")
	}
	band := p.Bands(p.Rules[0])[0]
	pop := p.Accounts.Weights("pop2010")
	pts := make([]spatial.Vec3, n)
	for i, l := range p.Accounts.Locs {
		pts[i] = spatial.Embed(p.Space, l)
	}
	connected := func(mask uint32) bool {
		var first int
		for first = 0; mask&(1<<first) == 0; first++ {
		}
		seen := uint32(1) << first
		stack := []int{first}
		for len(stack) > 0 {
			u := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, v := range p.Adjacency[u] {
				if bit := uint32(1) << v; mask&bit != 0 && seen&bit == 0 {
					seen |= bit
					stack = append(stack, int(v))
				}
			}
		}
		return seen == mask
	}
	cost := func(mask uint32) float64 {
		best := math.Inf(1)
		for c := 0; c < n; c++ {
			if mask&(1<<c) == 0 {
				continue
			}
			total := 0.0
			for i := 0; i < n; i++ {
				if mask&(1<<i) != 0 {
					total += pop[i] * spatial.Dist2(pts[i], pts[c])
				}
			}
			best = math.Min(best, total)
		}
		return best
	}
	all := uint32(1)<<n - 1
	best := math.Inf(1)
	for mask := uint32(1); mask <= all; mask += 2 { // account 0 in the first district
		rest := all &^ mask
		if rest == 0 {
			continue
		}
		load := 0.0
		for i := 0; i < n; i++ {
			if mask&(1<<i) != 0 {
				load += pop[i]
			}
		}
		if load < band.Lo || load > band.Hi {
			continue
		}
		other := 0.0
		for _, v := range pop {
			other += v
		}
		other -= load
		if other < band.Lo || other > band.Hi || !connected(mask) || !connected(rest) {
			continue
		}
		best = math.Min(best, cost(mask)+cost(rest))
	}
	return best
}
