package solve

import (
	"context"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// Options tune a solve. The zero value is valid and uses the defaults.
type Options struct {
	// Seed drives every random choice; the same seed gives the same plan.
	Seed uint64
	// Progress, when set, is called from the solving goroutine as work
	// advances: the phase name and the fraction of it done (0..1).
	Progress func(phase string, done float64)
}

// Stats describes how a solve went. It holds no timings, so that it can be
// written into outputs that are compared byte for byte.
type Stats struct {
	Rounds   int     // assignment rounds of the constrained k-means phase
	Moves    int     // accepted local-search moves and swaps
	Feasible bool    // every balance rule holds in the returned plan
	Cost     float64 // the objective as the solver measured it
}

// Solve splits the accounts of p into p.K() territories.
func Solve(ctx context.Context, p *territory.Problem, opt Options) (*territory.Plan, Stats, error) {
	panic("solve: not implemented yet")
}
