package solve

import (
	"context"
	"math"
	"slices"
	"strconv"
	"testing"

	"github.com/territory-optimizer/territory/pkg/demo"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// TestSize checks the answer of Size on a CRM-like export: the bound is
// the total over the maximum, rounded up; the plan at K meets the rules;
// and K-1 is either below the bound or infeasible at thorough effort. The
// maximum is set so that the bound, 15, needs every territory within 0.2%
// of it (which the solver finds).
func TestSize(t *testing.T) {
	if testing.Short() {
		t.Skip("a few seconds, ten times that under the race detector: the plain test run has it")
	}
	p := generatedProblem(t, demo.Config{Accounts: 1500, Reps: 10, RevenueTail: 1, States: []string{"GA", "SC"}, Seed: 9},
		"revenue:15%")
	total := 0.0
	for _, v := range p.Accounts.Weights("workload") {
		total += v
	}
	limit := math.Round(total / 14.97)
	p.Rules = append(mustRules(t, "workload:max="+strconv.FormatFloat(limit, 'f', -1, 64)), p.Rules...)
	sz, err := Size(context.Background(), p, Options{Seed: 1, Effort: Quick}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if want := int(math.Ceil(total / limit)); sz.LowerBound != want || want != 15 || sz.Bounds[0] != want || sz.Bounds[1] != 0 {
		t.Errorf("bound %d (per rule %v), want %d from a total workload of %g", sz.LowerBound, sz.Bounds, want, total)
	}

	if sz.K < sz.LowerBound || sz.Plan == nil {
		t.Fatalf("K = %d, bound %d, plan %v", sz.K, sz.LowerBound, sz.Plan != nil)
	}
	// The plan at K keeps every territory at or under the maximum.
	loads := sz.Plan.Loads(sz.K, p.Accounts.Weights("workload"))
	for k, l := range loads {
		// Within the slack of territory.Band for floating-point sums.
		if l > limit*(1+1e-9) {
			t.Errorf("territory %d has workload %g, above %g", k, l, limit)
		}
	}
	var below, at bool
	for _, row := range sz.Rows {
		switch row.K {
		case sz.K - 1:
			below = true
			if row.Feasible {
				t.Errorf("K-1 = %d is feasible: K is not the fewest", row.K)
			}
			if row.Solved && row.Effort != Thorough {
				t.Errorf("K-1 = %d was solved at %s effort, want thorough", row.K, row.Effort)
			}
			if !row.Solved && row.K >= sz.LowerBound {
				t.Errorf("K-1 = %d is not below the bound %d but was not solved", row.K, sz.LowerBound)
			}
		case sz.K:
			at = row.Feasible && row.Solved
		}
	}
	if !below || !at {
		t.Errorf("the curve %+v lacks K-1 or a feasible K = %d", sz.Rows, sz.K)
	}
	// An account above the maximum fails every K.
	p.Rules = mustRules(t, "workload:max=0.5")
	if _, err := Size(context.Background(), p, Options{Seed: 1, Effort: Quick}, 0); err == nil {
		t.Error("a maximum below an account's workload: no error")
	}
}

// TestSizeAboveBound checks the search above the bound and the thorough
// confirmation below the answer: 12 accounts of workload 8 with at most 12
// per territory give a bound of 8, but no territory can hold two of them.
func TestSizeAboveBound(t *testing.T) {
	if testing.Short() {
		t.Skip("a few seconds, ten times that under the race detector: the plain test run has it")
	}
	p := randomProblem(3, 12, 1, territory.Planar, false)
	w := p.Accounts.Measure("workload")
	for i := range w.Values {
		w.Values[i] = 8
	}
	p.Rules = mustRules(t, "workload:max=12")
	sz, err := Size(context.Background(), p, Options{Seed: 1}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if sz.LowerBound != 8 || sz.K != 12 {
		t.Fatalf("bound %d, K %d; want 8 and 12", sz.LowerBound, sz.K)
	}
	var ks []int
	for _, row := range sz.Rows {
		ks = append(ks, row.K)
		if row.K == 11 && (row.Feasible || row.Effort != Thorough) {
			t.Errorf("K = 11: %+v, want infeasible at thorough effort", row)
		}
	}
	if !slices.Equal(ks, []int{7, 8, 9, 10, 11, 12}) {
		t.Errorf("curve at K = %v, want 7 (below the bound) to 12", ks)
	}
}
