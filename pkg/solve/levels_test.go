package solve

import (
	"context"
	"fmt"
	"testing"

	"github.com/territory-optimizer/territory/pkg/demo"
	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// TestSolveLevels groups 40 territories of a CRM-like export into 8
// districts and those into 2 regions, and checks from the accounts alone
// (not from the levels' own problems) that every district and region is
// one piece of adjacent territories and within its rules. The same
// districts clustered without the level's rules and shape break one or the
// other, so the test fails if either is dropped.
func TestSolveLevels(t *testing.T) {
	if testing.Short() {
		t.Skip("a few seconds, ten times that under the race detector: the plain test run has it")
	}
	p := generatedProblem(t, demo.Config{Accounts: 4000, Reps: 40, RevenueTail: 1, Offices: 25,
		HalfCapacity: 0, FourFifthsCapacity: 0, States: []string{"GA", "FL", "AL", "SC", "NC", "TN"}, Seed: 5},
		"count:5%", "revenue:5%")
	ctx := context.Background()
	pl, _, err := Solve(ctx, p, Options{Seed: 1, Effort: Quick})
	if err != nil {
		t.Fatal(err)
	}
	rules := mustRules(t, "count:10%", "revenue:10%", "territories:0%")
	levels := []territory.Level{{Name: "district", K: 8, Rules: rules}, {Name: "region", K: 2, Rules: rules}}
	lps, err := SolveLevels(ctx, p, pl, levels, Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(pl.Levels) != 2 || len(lps) != 2 {
		t.Fatalf("%d levels in the plan, %d returned; want 2", len(pl.Levels), len(lps))
	}
	if err := pl.Check(p); err != nil {
		t.Fatal(err)
	}

	// The territories' adjacency, from the accounts' Delaunay graph.
	graph := spatial.ProximityGraph(p.Space, p.Accounts.Locs, nil)
	parents := pl.TerritoryParents(p.K())
	for l, lv := range levels {
		if bad := levelProblems(p, graph, pl.Assign, parents[l], lv); len(bad) > 0 {
			for _, b := range bad {
				t.Errorf("level %s: %s", lv.Name, b)
			}
		}
	}

	// Without the level's rules and shape, the districts are neither
	// balanced nor, all of them, connected.
	free, _, err := Solve(ctx, &territory.Problem{Space: lps[0].Problem.Space, Accounts: lps[0].Problem.Accounts,
		Reps: lps[0].Problem.Reps, Objective: territory.SSE, Center: territory.CenterMean}, Options{Seed: 1, Shape: Free})
	if err != nil {
		t.Fatal(err)
	}
	if bad := levelProblems(p, graph, pl.Assign, free.Assign, levels[0]); len(bad) == 0 {
		t.Errorf("clustering the territories freely meets the districts' rules and shape too: the test would not notice them dropped")
	}
}

// levelProblems checks the parents of one level, given every account's
// territory (assign) and every territory's parent: each parent must be one
// piece of the accounts' graph (its territories adjacent) and within the
// level's rules, its target the equal share of each measure's total. It
// returns what is wrong.
func levelProblems(p *territory.Problem, graph [][]int32, assign, parent []int, lv territory.Level) []string {
	var bad []string
	n := len(assign)
	of := func(i int) int { return parent[assign[i]] }
	// Pieces: a search over the accounts' graph within each parent.
	seen := make([]bool, n)
	pieces := make([]int, lv.K)
	for s := range assign {
		if seen[s] {
			continue
		}
		pieces[of(s)]++
		stack := []int{s}
		seen[s] = true
		for len(stack) > 0 {
			i := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, j := range graph[i] {
				if !seen[j] && of(int(j)) == of(i) {
					seen[j] = true
					stack = append(stack, int(j))
				}
			}
		}
	}
	ids := lv.ParentIDs()
	for k, c := range pieces {
		if c != 1 {
			bad = append(bad, fmt.Sprintf("%s is in %d pieces", ids[k], c))
		}
	}
	// Balance.
	for _, r := range lv.Rules {
		loads := make([]float64, lv.K)
		if r.Measure == territory.TerritoriesMeasure {
			for _, k := range parent {
				loads[k]++
			}
		} else {
			w := p.Accounts.Weights(r.Measure)
			for i := range assign {
				loads[of(i)] += w[i]
			}
		}
		total := 0.0
		for _, l := range loads {
			total += l
		}
		target := total / float64(lv.K)
		for k, load := range loads {
			if load < target*(1-r.Tolerance)-1e-6 || load > target*(1+r.Tolerance)+1e-6 {
				bad = append(bad, fmt.Sprintf("%s breaks %s: %g against a target of %g", ids[k], r, load, target))
			}
		}
	}
	return bad
}

// TestSolveLevelsContiguous checks that parents are contiguous where
// compactness alone would not make them so: polygon units in a U, two arms
// of 30 cells joined at one end, into 12 territories and those into 2
// districts. The more compact halves (left and right) would each hold
// pieces of both arms, apart; the districts must be the arms.
func TestSolveLevelsContiguous(t *testing.T) {
	var locs []territory.Point
	for x := 0; x < 30; x++ {
		locs = append(locs, territory.Point{X: float64(x), Y: 0})
	}
	locs = append(locs, territory.Point{X: 29, Y: 1}) // the bend
	for x := 29; x >= 0; x-- {
		locs = append(locs, territory.Point{X: float64(x), Y: 2})
	}
	n := len(locs)
	adj := make([][]int32, n) // a path: the cells touch along the U only
	for i := range n - 1 {
		adj[i] = append(adj[i], int32(i+1))
		adj[i+1] = append(adj[i+1], int32(i))
	}
	p := &territory.Problem{Space: territory.Planar, Objective: territory.SSE, Center: territory.CenterMean, Adjacency: adj,
		Accounts: territory.Accounts{Locs: locs}, Rules: mustRules(t, "count:0%")}
	p.Reps = make([]territory.Rep, 12)
	for i := range locs {
		p.Accounts.IDs = append(p.Accounts.IDs, fmt.Sprintf("c%02d", i))
	}
	for k := range p.Reps {
		p.Reps[k] = territory.Rep{ID: fmt.Sprintf("r%02d", k), Capacity: 1}
	}
	ctx := context.Background()
	pl, _, err := Solve(ctx, p, Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	lv := territory.Level{Name: "district", K: 2, Rules: mustRules(t, "territories:0%")}
	lps, err := SolveLevels(ctx, p, pl, []territory.Level{lv}, Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if bad := levelProblems(p, adj, pl.Assign, pl.Levels[0].Of, lv); len(bad) > 0 {
		t.Errorf("districts: %v", bad)
	}
	// The same balance without the shape splits the U into halves, each
	// in two pieces.
	lp := *lps[0].Problem
	free, _, err := Solve(ctx, &lp, Options{Seed: 1, Shape: Free})
	if err != nil {
		t.Fatal(err)
	}
	if bad := levelProblems(p, adj, pl.Assign, free.Assign, lv); len(bad) == 0 {
		t.Errorf("the free shape's districts are contiguous too: the test would not notice contiguity dropped")
	}
}
