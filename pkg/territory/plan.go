package territory

import "fmt"

// Plan assigns every account of a problem to one territory and places the
// centre of every territory.
type Plan struct {
	// Assign holds the territory index (0..K-1) of every account, in
	// account order.
	Assign []int
	// Centers holds the centre of every territory, in the problem's space.
	Centers []Point
	// CenterAccount holds, for centres placed at an account (centre
	// "unit"), that account's index; -1 otherwise.
	CenterAccount []int
	// Levels holds the levels of parents above the territories, bottom
	// up (districts, then regions); nil when there are none.
	Levels []Parents
	// Units says how the plan covers a layer of units (--units); nil when
	// the plan is made of accounts alone.
	Units *UnitPlan
}

// Check verifies that the plan fits the problem: one territory per account,
// each in range, and one centre per territory.
func (pl *Plan) Check(p *Problem) error {
	if len(pl.Assign) != p.Accounts.Len() {
		return fmt.Errorf("plan: %d assignments for %d accounts", len(pl.Assign), p.Accounts.Len())
	}
	if len(pl.Centers) != p.K() {
		return fmt.Errorf("plan: %d centres for %d territories", len(pl.Centers), p.K())
	}
	for i, k := range pl.Assign {
		if k < 0 || k >= p.K() {
			return fmt.Errorf("plan: account %q in territory %d, not in 0..%d", p.Accounts.IDs[i], k, p.K()-1)
		}
	}
	if pl.Units != nil {
		if err := pl.Units.check(pl.Assign, p.K()); err != nil {
			return err
		}
	}
	return pl.checkLevels(p.K())
}

// Loads sums the weights of the accounts of every territory.
func (pl *Plan) Loads(k int, weights []float64) []float64 {
	loads := make([]float64, k)
	for i, t := range pl.Assign {
		loads[t] += weights[i]
	}
	return loads
}

// OwnerTerritories maps every account's owner to the territory of that rep:
// the rep's index, or -1 when the account has no owner or the owner is not
// among the reps.
func (p *Problem) OwnerTerritories() []int {
	out := make([]int, p.Accounts.Len())
	byID := make(map[string]int, len(p.Reps))
	for k, r := range p.Reps {
		byID[r.ID] = k
	}
	for i := range out {
		out[i] = -1
		if i < len(p.Accounts.Owners) {
			if k, ok := byID[p.Accounts.Owners[i]]; ok && p.Accounts.Owners[i] != "" {
				out[i] = k
			}
		}
	}
	return out
}

// Moves counts the accounts whose territory in the plan differs from
// their owner's (accounts without a known owner do not count).
func (pl *Plan) Moves(p *Problem) int {
	n := 0
	for i, k := range p.OwnerTerritories() {
		if k >= 0 && pl.Assign[i] != k {
			n++
		}
	}
	return n
}
