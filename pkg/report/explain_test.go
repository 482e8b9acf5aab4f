package report

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/territory-optimizer/territory/pkg/territory"
)

func TestExplainViolations(t *testing.T) {
	// Four accounts in two territories; demand 5, 1, 1, 1 (total 8).
	base := func() (*territory.Problem, *territory.Plan) {
		p := &territory.Problem{
			Space: territory.Planar,
			Accounts: territory.Accounts{
				IDs:      []string{"a1", "a2", "a3", "a4"},
				Locs:     []territory.Point{{X: 0, Y: 0}, {X: 1, Y: 0}, {X: 5, Y: 0}, {X: 6, Y: 0}},
				Measures: []territory.Measure{{Name: "demand", Column: "demand", Values: []float64{5, 1, 1, 1}}},
			},
			Reps: []territory.Rep{{ID: "r1", Capacity: 1}, {ID: "r2", Capacity: 1}},
		}
		pl := &territory.Plan{Assign: []int{0, 0, 1, 1}, Centers: []territory.Point{{X: 0, Y: 0}, {X: 5, Y: 0}}, CenterAccount: []int{-1, -1}}
		return p, pl
	}
	type got struct {
		Territory, Cause string
		Culprits         []string
	}
	tests := []struct {
		name  string
		rule  string
		setup func(p *territory.Problem, pl *territory.Plan)
		want  []got
	}{
		{
			// a1 alone (5) is above max=4.
			name: "one account above the max", rule: "demand:max=4",
			want: []got{{"T1", "an account alone is above the maximum", []string{"a1"}}},
		},
		{
			// Total 8 above the sum of maxima 2 × 3 = 6.
			name: "total above the sum of maxima", rule: "demand:max=3",
			want: []got{{"T1", "the total 8.00 is above the sum of all territories' maxima 6.00", nil}},
		},
		{
			// a3 and a4 locked to r2 with demand raised to 3 each: 6 > 5.
			name: "locked load above the max", rule: "demand:max=5",
			setup: func(p *territory.Problem, pl *territory.Plan) {
				p.Accounts.Measures[0].Values = []float64{1, 1, 3, 3}
				p.Accounts.Owners = []string{"", "", "r2", "r2"}
				p.Accounts.Locked = []bool{false, false, true, true}
			},
			want: []got{{"T2", "its locked accounts hold 6.00, above the maximum", []string{"a3", "a4"}}},
		},
		{
			// T1 holds 6 > 5, but a2 could move: no plain cause.
			name: "avoidable", rule: "demand:max=5",
			setup: func(p *territory.Problem, pl *territory.Plan) {
				p.Accounts.Measures[0].Values = []float64{5, 1, 1, 1}
			},
			want: []got{{"T1", "", nil}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, pl := base()
			r, err := territory.ParseBalanceRule(tt.rule)
			if err != nil {
				t.Fatal(err)
			}
			p.Rules = []territory.BalanceRule{r}
			if tt.setup != nil {
				tt.setup(p, pl)
			}
			m := Evaluate(p, pl)
			var out []got
			for _, v := range m.Violations {
				out = append(out, got{v.Territory, v.Cause, v.Culprits})
			}
			if diff := cmp.Diff(tt.want, out); diff != "" {
				t.Errorf("violations (-want +got):\n%s", diff)
			}
		})
	}
}
