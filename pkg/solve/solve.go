package solve

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// DefaultSeed is the seed used when Options.Seed is 0.
const DefaultSeed = 1

// Options tune a solve. The zero value is valid and uses the defaults.
type Options struct {
	// Seed drives every random choice; the same seed gives the same plan.
	// 0 means DefaultSeed.
	Seed uint64
	// Progress, when set, is called from the solving goroutine as work
	// advances: the phase name and the fraction of it done (0..1).
	Progress func(phase string, done float64)
}

// Stats describes how a solve went. It holds no timings, so that it can be
// written into outputs that are compared byte for byte.
type Stats struct {
	Rounds   int     `json:"rounds"`   // priced assignment rounds of the constrained k-means
	Moves    int     `json:"moves"`    // accepted local-search moves (a swap counts two)
	Feasible bool    `json:"feasible"` // every balance rule holds in the returned plan
	Cost     float64 `json:"-"`        // the objective as the solver measured it
}

// budget is the work a solve may do, counted in rounds and sweeps.
type budget struct {
	outer, inner  int // constrained k-means: centre updates, price rounds per update
	repairSweeps  int
	improveRounds int
}

var defaultBudget = budget{outer: 40, inner: 60, repairSweeps: 40, improveRounds: 40}

// Solve splits the accounts of p into p.K() territories that meet every
// balance rule it can and are as compact as it can make them. The problem
// must be valid (see territory.Problem.Validate); Solve checks it again and
// returns its error. When the rules cannot all be met, Solve still returns
// its best plan, with Stats.Feasible false. It returns ctx.Err() when the
// context ends first.
func Solve(ctx context.Context, p *territory.Problem, opt Options) (*territory.Plan, Stats, error) {
	if err := p.Validate(); err != nil {
		return nil, Stats{}, fmt.Errorf("solve: %w", err)
	}
	seed := opt.Seed
	if seed == 0 {
		seed = DefaultSeed
	}
	progress := func(phase string, done float64) {
		if opt.Progress != nil {
			opt.Progress(phase, done)
		}
	}
	rng := rand.New(rand.NewPCG(seed, 0x7e7a1d0f))
	b := defaultBudget

	m := newModel(p)
	s := newState(m)
	progress("seed", 0)
	s.seed()

	var st Stats
	rounds, err := s.constrainedKMeans(ctx, b, func(f float64) { progress("assign", f) })
	st.Rounds = rounds
	if err != nil {
		return nil, st, err
	}

	ls := newLocalSearch(s, rng)
	for round := 0; round < b.improveRounds; round++ {
		if err := ctx.Err(); err != nil {
			return nil, st, err
		}
		progress("balance", float64(round)/float64(b.improveRounds))
		ls.cand = s.candidates()
		if err := ls.repair(ctx, b.repairSweeps, s.costScale()); err != nil {
			return nil, st, err
		}
		changed := ls.improve()
		moved := s.updateCentres()
		if !changed && moved <= 1e-9*s.extent() {
			break
		}
	}
	progress("balance", 1)
	st.Moves = ls.moves
	st.Feasible = s.violation() == 0
	st.Cost = s.objective()
	return s.plan(), st, nil
}

// plan turns the state into a territory.Plan.
func (s *state) plan() *territory.Plan {
	pl := &territory.Plan{
		Assign:        make([]int, s.m.n),
		Centers:       make([]territory.Point, s.m.k),
		CenterAccount: make([]int, s.m.k),
	}
	for i, k := range s.assign {
		pl.Assign[i] = int(k)
	}
	copy(pl.CenterAccount, s.centreAcc)
	for k, c := range s.centres {
		switch {
		case s.centreAcc[k] >= 0:
			pl.Centers[k] = s.m.locs[s.centreAcc[k]]
		case s.m.homes != nil:
			pl.Centers[k] = s.m.homeLocs[k]
		default:
			pl.Centers[k] = spatial.Unembed(s.m.space, c)
		}
	}
	return pl
}
