package territory_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// planProblem has four accounts and two territories.
func planProblem() *territory.Problem {
	return &territory.Problem{
		Accounts: accountsWith("", 1, 1, 1, 1),
		Reps:     reps(1, 1),
	}
}

func TestPlanCheck(t *testing.T) {
	two := []territory.Point{{X: 0, Y: 0}, {X: 1, Y: 1}}
	tests := []struct {
		name    string
		plan    territory.Plan
		wantErr string // "" for a plan that fits
	}{
		{
			name: "fits",
			plan: territory.Plan{Assign: []int{0, 1, 1, 0}, Centers: two, CenterAccount: []int{-1, -1}},
		},
		{
			name: "empty territory is allowed",
			plan: territory.Plan{Assign: []int{1, 1, 1, 1}, Centers: two},
		},
		{
			name:    "too few assignments",
			plan:    territory.Plan{Assign: []int{0, 1, 1}, Centers: two},
			wantErr: "plan: 3 assignments for 4 accounts",
		},
		{
			name:    "too many assignments",
			plan:    territory.Plan{Assign: []int{0, 1, 1, 0, 0}, Centers: two},
			wantErr: "plan: 5 assignments for 4 accounts",
		},
		{
			name:    "too few centres",
			plan:    territory.Plan{Assign: []int{0, 1, 1, 0}, Centers: two[:1]},
			wantErr: "plan: 1 centres for 2 territories",
		},
		{
			name:    "territory past K",
			plan:    territory.Plan{Assign: []int{0, 1, 2, 0}, Centers: two},
			wantErr: `plan: account "a3" in territory 2, not in 0..1`,
		},
		{
			name:    "negative territory",
			plan:    territory.Plan{Assign: []int{-1, 1, 1, 0}, Centers: two},
			wantErr: `plan: account "a1" in territory -1, not in 0..1`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.plan.Check(planProblem())
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("Check() = %v, want nil", err)
			case tt.wantErr != "" && err == nil:
				t.Errorf("Check() = nil, want %q", tt.wantErr)
			case err != nil && err.Error() != tt.wantErr:
				t.Errorf("Check() = %q, want %q", err.Error(), tt.wantErr)
			}
		})
	}
}

func TestPlanLoads(t *testing.T) {
	tests := []struct {
		name    string
		assign  []int
		k       int
		weights []float64
		want    []float64
	}{
		// 1+4 = 5 in territory 0, 2+3 = 5 in territory 1.
		{name: "two territories", assign: []int{0, 1, 1, 0}, k: 2, weights: []float64{1, 2, 3, 4}, want: []float64{5, 5}},
		{name: "empty territory loads 0", assign: []int{0, 1, 1, 0}, k: 3, weights: []float64{1, 2, 3, 4}, want: []float64{5, 5, 0}},
		{name: "counts", assign: []int{2, 2, 0, 2}, k: 3, weights: []float64{1, 1, 1, 1}, want: []float64{1, 0, 3}},
		{name: "fractions", assign: []int{1, 1}, k: 2, weights: []float64{0.25, 0.5}, want: []float64{0, 0.75}},
		{name: "no accounts", assign: nil, k: 2, weights: nil, want: []float64{0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pl := territory.Plan{Assign: tt.assign}
			if diff := cmp.Diff(tt.want, pl.Loads(tt.k, tt.weights)); diff != "" {
				t.Errorf("Loads mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
