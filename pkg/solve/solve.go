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
	starts := m.starts()
	var best *state
	var st Stats
	for start := 0; start < starts; start++ {
		phase := func(name string) func(float64) {
			return func(f float64) {
				progress(name, (float64(start)+f)/float64(starts))
			}
		}
		s := newState(m)
		if start == 0 {
			s.seed()
		} else {
			s.seedSpread(rng)
		}
		rounds, err := s.constrainedKMeans(ctx, b, phase("assign"))
		st.Rounds += rounds
		if err != nil {
			return nil, st, err
		}
		ls := newLocalSearch(s, rng)
		if err := ls.run(ctx, b, phase("balance")); err != nil {
			return nil, st, err
		}
		st.Moves += ls.moves
		if best == nil || s.better(best) {
			best = s
		}
	}
	progress("balance", 1)
	st.Feasible = best.violation() == 0
	st.Cost = best.objective()
	return best.plan(), st, nil
}

// starts is how many independent starts a solve makes: many for small
// problems, where a start is cheap and local optima are many; one for
// large ones and for centres fixed at homes (where starts barely differ).
func (m *model) starts() int {
	if m.homes != nil || m.k == 1 {
		return 1
	}
	work := m.n * m.k
	switch {
	case work <= 20_000:
		return 16
	case work <= 200_000:
		return 6
	case work <= 2_000_000:
		return 2
	}
	return 1
}

// better reports whether s beats o: less violation, then lower cost.
func (s *state) better(o *state) bool {
	vs, vo := s.violation(), o.violation()
	if vs < vo-1e-9 {
		return true
	}
	return vs <= vo+1e-9 && s.objective() < o.objective()
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
