package solve

import (
	"context"
	"math"
	"slices"
)

// An exhaustive search for tiny contiguous problems. A handful of lumpy
// units into a few territories within a narrow band (Maine's 16 counties
// into 2 districts at ±0.5%: a county of 281,000 people beside one of
// 17,000, a band 6,600 wide) has few feasible plans, and boundary moves
// from a plan that misses them rarely reach one: every move overshoots
// the band. When the local search leaves such a problem out of balance,
// exactSplit enumerates its plans instead: every way to cut the accounts
// into connected territories that meet every rule, the cheapest kept.

const (
	// exactMost is the most accounts exactSplit enumerates.
	exactMost = 24
	// exactWork bounds the subsets exactSplit may visit, so that a problem
	// with very many feasible plans ends in a fraction of a second.
	exactWork = 4_000_000
)

// exactSplit looks through every plan of s's accounts in connected
// territories (in g) that meets every rule and, when it finds one, leaves
// s in the cheapest and reports true. It leaves s as it was and reports
// false when the problem is too large or has locks, a weight below zero,
// no such plan, or more plans than exactWork lets it see (or when ctx
// ends). The territories are told apart (their bands and centres differ),
// so the account of lowest index not yet placed is tried in every
// territory not yet filled, with every connected set of the accounts left
// that holds it and fits that territory's bands.
func (s *state) exactSplit(ctx context.Context, g *graph) bool {
	m := s.m
	if m.n > exactMost || m.k < 2 || m.locked != nil || m.maxMoves >= 0 {
		return false
	}
	for _, w := range m.w {
		for _, x := range w {
			if x < 0 {
				return false
			}
		}
	}
	e := &exact{s: s, g: g, assign: make([]int32, m.n), used: make([]bool, m.k)}
	for i := range e.assign {
		e.assign[i] = -1
	}
	e.bestCost = math.Inf(1)
	e.place(ctx, m.n)
	if e.best == nil {
		return false
	}
	copy(s.assign, e.best)
	s.recount()
	s.updateCentres()
	return true
}

// exact is the state of one exhaustive search.
type exact struct {
	s        *state
	g        *graph
	assign   []int32 // -1: not yet placed
	used     []bool  // territories filled so far
	work     int
	best     []int32
	bestCost float64
}

// place fills one more territory: the first account not yet placed goes
// to each territory not yet filled in turn, with every connected set
// around it that fits. left is the number of accounts not yet placed.
func (e *exact) place(ctx context.Context, left int) {
	m := e.s.m
	if e.work > exactWork || ctx.Err() != nil {
		return
	}
	free := 0
	for _, u := range e.used {
		if !u {
			free++
		}
	}
	if left == 0 {
		if free == 0 || e.emptyFits() {
			e.score()
		}
		return
	}
	if free == 0 {
		return
	}
	a := slices.Index(e.assign, -1)
	for t := 0; t < m.k; t++ {
		if e.used[t] {
			continue
		}
		e.used[t] = true
		e.grow(ctx, int32(t), []int{a}, nil, left)
		e.used[t] = false
	}
}

// emptyFits reports whether every territory not filled may stay empty:
// zero lies in its every band.
func (e *exact) emptyFits() bool {
	m := e.s.m
	for t, u := range e.used {
		if u {
			continue
		}
		for r := range m.w {
			if violation(0, m.lo[r][t], m.hi[r][t]) > 0 {
				return false
			}
		}
	}
	return true
}

// grow enumerates the connected sets of unplaced accounts that hold set
// (connected, placed in t) and none of banned, each once: it takes the
// first neighbour of the set that is neither placed nor banned, and
// either adds it or bans it. A set within t's bands on every rule is
// placed, and the next territory filled.
func (e *exact) grow(ctx context.Context, t int32, set, banned []int, left int) {
	m := e.s.m
	e.work++
	if e.work > exactWork {
		return
	}
	loads := make([]float64, len(m.w))
	for r, w := range m.w {
		for _, i := range set {
			loads[r] += w[i]
		}
		if loads[r] > m.hi[r][t]+1e-9 {
			return // weights are not negative: a larger set weighs more
		}
	}
	fits := true
	for r := range m.w {
		if loads[r] < m.lo[r][t]-1e-9 {
			fits = false
		}
	}
	if fits {
		for _, i := range set {
			e.assign[i] = t
		}
		e.place(ctx, left-len(set))
		for _, i := range set {
			e.assign[i] = -1
		}
	}
	next := -1
	for _, i := range set {
		for _, j := range e.g.adj[i] {
			v := int(j)
			if e.assign[v] < 0 && !slices.Contains(set, v) && !slices.Contains(banned, v) && (next < 0 || v < next) {
				next = v
			}
		}
	}
	if next < 0 {
		return
	}
	e.grow(ctx, t, append(slices.Clone(set), next), banned, left)
	e.grow(ctx, t, set, append(slices.Clone(banned), next), left)
}

// score keeps the complete plan in e.assign when every territory is one
// piece and it costs less than the best so far (its centres updated as
// the problem's centre says).
func (e *exact) score() {
	s := e.s
	copy(s.assign, e.assign)
	s.recount()
	s.updateCentres()
	if c := s.objective(); c < e.bestCost {
		e.bestCost = c
		e.best = slices.Clone(e.assign)
	}
}
