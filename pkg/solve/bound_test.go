package solve

import (
	"context"
	"math"
	"testing"

	"github.com/territory-optimizer/territory/pkg/territory"
)

func TestLowerBound(t *testing.T) {
	tests := []struct {
		name   string
		homes  bool
		rules  []string
		obj    territory.Objective
		center territory.Center
		scope  string
		exact  bool // the bound must equal the cost
		maxGap float64
	}{
		// Without rules, every account at its nearest home is optimal and
		// the relaxation is the problem itself: the bound is the cost.
		{name: "homes without rules", homes: true, scope: "problem", exact: true},
		{name: "homes with bands", homes: true, rules: []string{"revenue:5%"}, scope: "problem", maxGap: 0.05},
		{name: "unit centres with a max rule", obj: territory.Distance, center: territory.CenterUnit,
			rules: []string{"workload:max=2500"}, scope: "assignment", maxGap: 0.05},
	}
	// 800 accounts; 400 under -short, where the race detector makes the
	// centre exchange of the unit-centre case twenty times slower.
	n := 800
	if testing.Short() {
		n = 400
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := randomProblem(41, n, 8, territory.Planar, tt.homes)
			p.Rules = mustRules(t, tt.rules...)
			if !tt.homes {
				p.Objective, p.Center = tt.obj, tt.center
			}
			// The bound holds for every plan, so a region plan, which pays
			// for its shape, lies farther above it: the gap is measured on
			// the free shape, whose plans it was made to bound.
			pl, st, err := Solve(context.Background(), p, Options{Shape: Free})
			if err != nil {
				t.Fatal(err)
			}
			if st.BoundScope != tt.scope {
				t.Fatalf("bound scope %q, want %q", st.BoundScope, tt.scope)
			}
			cost := planCost(p, pl)
			if st.LowerBound > cost*(1+1e-9) {
				t.Errorf("lower bound %.6g above the plan's cost %.6g", st.LowerBound, cost)
			}
			gap := (cost - st.LowerBound) / cost
			if tt.exact && math.Abs(gap) > 1e-9 {
				t.Errorf("bound %.9g, cost %.9g: want them equal", st.LowerBound, cost)
			}
			if !tt.exact && gap > tt.maxGap {
				t.Errorf("gap %.1f%%, want at most %.0f%%", 100*gap, 100*tt.maxGap)
			}
			t.Logf("cost %.6g bound %.6g gap %.2f%%", cost, st.LowerBound, 100*gap)
		})
	}
}
