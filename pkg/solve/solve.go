package solve

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// DefaultSeed is the seed used when Options.Seed is 0.
const DefaultSeed = 1

// Effort chooses how much work a solve does; every level is a fixed
// budget of work, so each gives the same plan on every machine.
type Effort int

const (
	// Normal is the default budget.
	Normal Effort = iota
	// Quick does about a quarter of the work: one start, shorter searches.
	Quick
	// Thorough does about four times the work: more starts, longer searches.
	Thorough
)

func (e Effort) String() string {
	switch e {
	case Quick:
		return "quick"
	case Thorough:
		return "thorough"
	}
	return "normal"
}

// ParseEffort reads "quick", "normal" or "thorough".
func ParseEffort(s string) (Effort, error) {
	switch s {
	case "quick":
		return Quick, nil
	case "normal", "":
		return Normal, nil
	case "thorough":
		return Thorough, nil
	}
	return 0, fmt.Errorf("solve: unknown effort %q (expected quick, normal or thorough)", s)
}

// Options tune a solve. The zero value is valid and uses the defaults.
type Options struct {
	// Seed drives every random choice; the same seed gives the same plan.
	// 0 means DefaultSeed.
	Seed uint64
	// Effort sets the work budget.
	Effort Effort
	// TimeLimit, when positive, stops the search after that much wall-clock
	// time and returns the best plan so far (Stats.TimeLimitHit). A plan cut
	// short this way may differ between runs; without a limit it never does.
	TimeLimit time.Duration
	// CapMoves caps, at MaxMoves, how many accounts with a known owner may
	// end in another rep's territory. With a cap, the search starts from
	// today's alignment and spends its moves where they help most.
	CapMoves bool
	MaxMoves int
	// Rebalance starts from today's alignment, every account with an
	// owner in its owner's territory (locked accounts stay there), and
	// makes only the moves that the rules need: the repair of the local
	// search, without a fresh start and without improving the objective
	// afterwards. A plan that meets the rules comes back as it was. It is
	// how a plan edited by hand is rebalanced around the edits, locked as
	// their new owners. Without owners it changes nothing.
	Rebalance bool
	// Stickiness makes a change of rep cost Stickiness times the mean cost
	// of an account (0: moves are free).
	Stickiness float64
	// Shape is what the territories look like on the map: Regions (the
	// default) or Free; see regions.go.
	Shape Shape
	// Contiguous keeps every territory one connected piece of the
	// problem's adjacency graph (for point accounts without one, the
	// Delaunay triangulation of the accounts); see contiguity.go. Regions
	// are always contiguous; with Free, it asks for connected territories
	// without the power diagram.
	Contiguous bool
	// Progress, when set, is called as work advances, by one goroutine at
	// a time (not always the caller's: the offices of a region plan are
	// split on all cores): the phase name and the fraction of it done
	// (0..1).
	Progress func(phase string, done float64)

	// graph, when set, is the proximity graph of the accounts of a
	// problem split off a larger one (offices.go): its accounts' graph in
	// the whole problem, so that the parts are connected as the whole
	// sees them.
	graph *graph
	// bands, when set, replaces the bands of the problem's rules
	// ([rule][territory], in the problem's units): an office's band is
	// the sum of its reps' and a rep's the one it has in the whole problem
	// (offices.go), which rules scaled by capacity cannot say once
	// bands are rounded to whole numbers.
	bands [][]territory.Band
	// oneStart makes a single start, as for an office's split, whose
	// objective the plan does not see.
	oneStart bool
	// part marks a problem solved as a part of a larger one (offices.go):
	// no lower bound, which only the whole plan reports.
	part bool
	// offices marks the office problem of a region plan (offices.go): a
	// part, but its territories' shapes are the plan's between offices,
	// so it gets the hull pass (hulls.go).
	offices bool
	// wholeUnits keeps every unit of SolveUnits whole, however heavy: the
	// tests show with it what the split of heavy units is for.
	wholeUnits bool
	// inOrder marks a problem whose accounts are in the order they are
	// solved in already (order.go), and the problems split off it.
	inOrder bool
}

// Stats describes how a solve went. It holds no timings, so that it can be
// written into outputs that are compared byte for byte.
type Stats struct {
	Starts       int     `json:"starts"`         // independent starts made
	Rounds       int     `json:"rounds"`         // priced assignment rounds of the constrained k-means
	Moves        int     `json:"moves"`          // accepted local-search moves (a swap counts two)
	Feasible     bool    `json:"feasible"`       // every balance rule holds in the returned plan
	Connected    bool    `json:"connected"`      // with Contiguous: every territory is one piece
	TimeLimitHit bool    `json:"time_limit_hit"` // the time limit stopped the search early
	Cost         float64 `json:"-"`              // the objective as the solver measured it
	// LowerBound is a lower bound on the objective (see bound.go) when
	// BoundScope is set: "problem" when it holds for every plan that meets
	// the rules (centres fixed at homes), "assignment" when it holds for
	// every such assignment to the plan's own centres. Too large a problem
	// gets none ("").
	LowerBound float64 `json:"-"`
	BoundScope string  `json:"-"`
}

// budget is the work a solve may do, counted in rounds and sweeps.
type budget struct {
	outer, inner  int // constrained k-means: centre updates, price rounds per update
	repairSweeps  int
	improveRounds int
	startsFactor  float64
	exchange      float64 // the centre exchange's work, in normal exchanges
	hullMost      int     // the most accounts the hull pass takes on (hulls.go)
}

func (e Effort) budget() budget {
	switch e {
	case Quick:
		return budget{outer: 15, inner: 40, repairSweeps: 20, improveRounds: 10, startsFactor: 0, exchange: 0.25, hullMost: hullMostQuick}
	case Thorough:
		return budget{outer: 80, inner: 100, repairSweeps: 80, improveRounds: 120, startsFactor: 4, exchange: 4, hullMost: hullMostThorough}
	}
	return budget{outer: 40, inner: 60, repairSweeps: 40, improveRounds: 40, startsFactor: 1, exchange: 1, hullMost: hullMostNormal}
}

// errTimeLimit stops the search when the time limit is reached.
var errTimeLimit = errors.New("solve: time limit reached")

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
	return solveValid(ctx, p, opt)
}

// solveValid is Solve of a problem known to be valid.
func solveValid(ctx context.Context, p *territory.Problem, opt Options) (*territory.Plan, Stats, error) {
	if !opt.inOrder {
		// Large problems are solved with their accounts in the order of
		// the map (order.go).
		if pl, st, ok, err := solveInOrder(ctx, p, opt); ok {
			return pl, st, err
		}
		opt.inOrder = true
	}
	if p.Grouped() {
		return solveGroups(ctx, p, opt)
	}
	if opt.Shape == Regions && p.Center == territory.CenterHome && !opt.CapMoves && !opt.Rebalance && !opt.offices {
		if groups := officeGroups(p); groups != nil {
			return solveOffices(ctx, p, opt, groups)
		}
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
	// The time limit is a context deadline of its own, told apart from the
	// caller's cancellation.
	search := ctx
	if opt.TimeLimit > 0 {
		var cancel context.CancelFunc
		search, cancel = context.WithTimeoutCause(ctx, opt.TimeLimit, errTimeLimit)
		defer cancel()
	}
	rng := rand.New(rand.NewPCG(seed, 0x7e7a1d0f))
	b := opt.Effort.budget()

	m := newModel(p)
	if opt.bands != nil {
		m.setBands(opt.bands)
	}
	if opt.CapMoves && m.owner != nil {
		m.maxMoves = max(0, opt.MaxMoves)
	}
	if opt.Rebalance && m.owner != nil {
		// A rebalance starts where a capped search starts: from today's
		// alignment, in one start, without an assignment from scratch. A
		// cap of every account is no cap.
		if m.maxMoves < 0 {
			m.maxMoves = m.n
		}
		m.repairOnly = true
	}
	var g *graph
	switch {
	case opt.graph != nil:
		g = opt.graph
	case opt.Contiguous || opt.Shape == Regions:
		g = newGraph(p, m)
	}
	var pm *model
	if opt.Shape == Regions && m.rules() > 0 && m.maxMoves < 0 {
		pm = m.powerModel()
	}
	// Fresh starts first, then half as many again that perturb the best
	// plan so far (an iterated local search).
	fresh := m.starts(b)
	if m.tabuable(g) {
		// The tabu search below does more for these than more starts.
		fresh = min(fresh, tabuFresh)
	}
	if opt.oneStart {
		fresh = 1
	}
	starts := fresh
	if fresh > 1 {
		starts += fresh / 2
	}
	var best *state
	var seeds []*state
	var st Stats
	for start := 0; start < starts; start++ {
		phase := func(name string) func(float64) {
			return func(f float64) {
				progress(name, (float64(start)+f)/float64(starts))
			}
		}
		s, err := m.run(search, b, opt, g, pm, start, fresh, best, rng, phase, &st)
		if s != nil && (best == nil || s.better(best)) {
			best = s
		}
		if s != nil && !s.inPieces {
			seeds = keepBest(seeds, s, tabuSeeds)
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil, st, ctx.Err()
			}
			if errors.Is(context.Cause(search), errTimeLimit) {
				st.TimeLimitHit = true
				break
			}
			return nil, st, err
		}
	}
	if best == nil {
		return nil, st, errTimeLimit
	}
	progress("balance", 1)
	if !st.TimeLimitHit && m.exchangeable(g != nil) {
		if err := best.exchange(search, b.exchange, rng, func(f float64) { progress("exchange", f) }); err != nil {
			if ctx.Err() != nil {
				return nil, st, ctx.Err()
			}
			st.TimeLimitHit = true
		}
		progress("exchange", 1)
	}
	if g != nil && !st.TimeLimitHit && !opt.part {
		// A small contiguous problem gets the tabu search (tabu.go), which
		// walks through plans out of balance to better ones in balance.
		for _, sd := range seeds {
			sd.tabuSearch(search, g, b.startsFactor, rng)
			if sd.better(best) {
				best = sd
			}
		}
	}
	if g != nil && best.violation() > 0 && !st.TimeLimitHit {
		// A tiny contiguous problem the search left out of balance is
		// enumerated (exact.go).
		best.exactSplit(search, g)
	}
	if g != nil && opt.Shape == Regions && p.Adjacency == nil && (!opt.part || opt.offices) && !st.TimeLimitHit && !m.repairOnly {
		// Accounts left inside other territories' hulls (hulls.go); a
		// rebalance moves only what the rules need.
		most := b.hullMost
		if opt.offices {
			most /= officeHullShare
		}
		st.Moves += best.hullRepair(search, g, most, func(f float64) { progress("shape", f) })
		if ctx.Err() != nil {
			return nil, st, ctx.Err()
		}
		// Cut short by the time limit, the pass leaves a complete plan.
		st.TimeLimitHit = search.Err() != nil
	}
	st.Feasible = best.violation() == 0
	st.Cost = best.objective()
	if g != nil {
		st.Connected = newContiguity(g, best).connected()
	}
	pl := best.plan()
	if !opt.part {
		if lb, scope, ok := LowerBound(p, pl); ok {
			st.LowerBound, st.BoundScope = lb, scope
		}
	}
	return pl, st, nil
}

// run makes one start: seeding, the constrained k-means (unless moves are
// capped) and the local search. On an error it returns the state reached,
// which is a complete plan, so that a time limit still leaves a result.
func (m *model) run(ctx context.Context, b budget, opt Options, g *graph, pm *model, start, fresh int, best *state, rng *rand.Rand,
	phase func(string) func(float64), st *Stats) (*state, error) {
	st.Starts++
	s := newState(m)
	switch {
	case start == 0:
		s.initialSplit()
	case start < fresh || best == nil:
		s.spreadStart(rng)
	default:
		s.perturb(best, rng)
	}
	s.setStickiness(opt.Stickiness)
	switch {
	case pm != nil:
		rounds, err := s.powerDiagram(ctx, pm, g, b, phase("assign"))
		st.Rounds += rounds
		if err != nil {
			return s, err
		}
	case m.maxMoves < 0:
		// Territories that must stay connected get their loads aimed at
		// the middle half of each band, so that the moves that make them
		// connected have room.
		inner := 1.0
		if g != nil {
			inner = 0.5
		}
		rounds, err := s.constrainedKMeans(ctx, b, inner, false, phase("assign"))
		st.Rounds += rounds
		if err != nil {
			return s, err
		}
	}
	ls := newLocalSearch(s, rng)
	if g != nil {
		ls.contig = newContiguity(g, s)
		ls.contig.makeContiguous()
	}
	ls.priced = s.power != nil
	err := ls.run(ctx, b, phase("balance"))
	if err == nil && ls.priced {
		err = ls.lastRepair(ctx, b)
	}
	if ls.contig != nil {
		s.inPieces = !ls.contig.connected()
	}
	st.Moves += ls.moves
	return s, err
}

// starts is how many independent starts a solve makes: many for small
// problems, where a start is cheap and local optima are many (64 for a
// hundred accounts in ten territories, a few hundredths of a second
// each); one for large ones and for centres fixed at homes (where starts
// barely differ).
func (m *model) starts(b budget) int {
	if m.homes != nil || m.k == 1 || m.maxMoves >= 0 {
		return 1
	}
	base := 1
	switch work := m.n * m.k; {
	case work <= 2_000:
		base = 64
	case work <= 20_000:
		base = 16
	case work <= 200_000:
		base = 6
	case work <= 2_000_000:
		base = 2
	}
	return max(1, int(float64(base)*b.startsFactor))
}

// better reports whether s beats o: less violation, then every territory
// in one piece where territories must be (a plan whose locks hold apart
// may not be), then lower cost.
func (s *state) better(o *state) bool {
	vs, vo := s.violation(), o.violation()
	if vs < vo-1e-9 {
		return true
	}
	if vs > vo+1e-9 {
		return false
	}
	if s.inPieces != o.inPieces {
		return !s.inPieces
	}
	return s.objective() < o.objective()
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
