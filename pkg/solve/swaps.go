package solve

import (
	"context"
	"slices"
)

// Boundary swaps: the repair's move for rules that disagree. A territory
// of a region plan with a whale account has its revenue high and its count
// low at once; no single move helps both (one out lowers both, one in
// raises both), and a strip of the boundary moves both the same way. What
// helps is to trade along the boundary: a large account out, a small one
// in, or the other way round. swapRepair looks, for every pair of
// neighbouring territories of which one breaks a rule, at every pair of
// accounts facing each other across their boundary (across short edges)
// and makes the exchange that lowers the violation most, keeping both
// territories connected; it repeats while exchanges help.

// swapCap bounds the accounts of one side of a boundary that swapRepair
// pairs: the ones with the least priced cost to cross it.
const swapCap = 64

// swapRepair makes boundary exchanges that lower the violation (see the
// top of this file) until none does, at most rounds times over every
// boundary of a broken territory. It returns whether it lowered the
// violation, or the context's error.
func (ls *localSearch) swapRepair(ctx context.Context, rounds int) (bool, error) {
	s := ls.s
	if ls.contig == nil {
		return false, nil
	}
	improved := false
	for round := 0; round < rounds && s.violation() > 0; round++ {
		if err := ctx.Err(); err != nil {
			return improved, err
		}
		sides := ls.boundaries()
		changed := false
		for _, pair := range sides.pairs {
			t, u := pair[0], pair[1]
			if s.territoryViolation(t) == 0 && s.territoryViolation(u) == 0 {
				continue
			}
			if ls.bestSwap(t, u, sides.of(t, u), sides.of(u, t)) {
				changed, improved = true, true
			}
		}
		if !changed {
			break
		}
	}
	return improved, nil
}

// boundarySides lists, for every ordered pair of neighbouring territories
// (t, u), the accounts of t with a short edge into u.
type boundarySides struct {
	pairs [][2]int32 // every unordered pair once, t < u, in order
	side  map[[2]int32][]int
}

func (b *boundarySides) of(t, u int32) []int { return b.side[[2]int32{t, u}] }

// boundaries finds the boundary sides of the current plan.
func (ls *localSearch) boundaries() *boundarySides {
	s := ls.s
	b := &boundarySides{side: make(map[[2]int32][]int)}
	for i, t := range s.assign {
		if s.m.fixed(i) {
			continue
		}
		for _, u := range ls.targets(i) {
			key := [2]int32{t, u}
			b.side[key] = append(b.side[key], i)
		}
	}
	// Short edges join both ways, so every boundary has both its sides.
	for key := range b.side {
		if key[0] < key[1] {
			b.pairs = append(b.pairs, key)
		}
	}
	slices.SortFunc(b.pairs, func(x, y [2]int32) int {
		if x[0] != y[0] {
			return int(x[0] - y[0])
		}
		return int(x[1] - y[1])
	})
	return b
}

// bestSwap exchanges the pair of accounts, one of as in territory t and
// one of bs in territory u, whose exchange lowers the violation most
// (ties: the lesser rise of the priced cost, then the lower accounts) and
// keeps both territories connected. It reports whether it made one. The
// sides were listed before earlier swaps of the round: an account that
// has left t (or u) since is passed over.
func (ls *localSearch) bestSwap(t, u int32, as, bs []int) bool {
	s := ls.s
	still := func(idx []int, k int32) []int {
		var out []int
		for _, i := range idx {
			if s.assign[i] == k {
				out = append(out, i)
			}
		}
		return out
	}
	as, bs = still(as, t), still(bs, u)
	if len(as) == 0 || len(bs) == 0 {
		return false
	}
	as, bs = ls.cheapest(as, u), ls.cheapest(bs, t)
	before := s.territoryViolation(t) + s.territoryViolation(u)
	type swap struct {
		i, j   int
		dv, dc float64
	}
	var cands []swap
	for _, i := range as {
		for _, j := range bs {
			dv := ls.swapViolation(i, j, t, u) - before
			if dv >= -1e-12 {
				continue
			}
			dc := s.repairCost(i, u) + s.repairCost(j, t) - s.repairCost(i, t) - s.repairCost(j, u)
			cands = append(cands, swap{i, j, dv, dc})
		}
	}
	slices.SortFunc(cands, func(x, y swap) int {
		switch {
		case x.dv < y.dv:
			return -1
		case x.dv > y.dv:
			return 1
		case x.dc < y.dc:
			return -1
		case x.dc > y.dc:
			return 1
		case x.i != y.i:
			return x.i - y.i
		}
		return x.j - y.j
	})
	for _, c := range cands {
		if !ls.contig.canMove(c.i, u) {
			continue
		}
		s.move(c.i, u)
		if !ls.contig.canMove(c.j, t) || !s.withinMoves() {
			s.move(c.i, t)
			continue
		}
		s.move(c.j, t)
		if !s.withinMoves() {
			s.move(c.j, u)
			s.move(c.i, t)
			continue
		}
		ls.movedOff[c.i], ls.movedAt[c.i] = t, ls.sweep
		ls.movedOff[c.j], ls.movedAt[c.j] = u, ls.sweep
		ls.moves += 2
		return true
	}
	return false
}

// cheapest returns at most swapCap of the accounts idx, those whose move
// to territory to adds least to the priced cost (ties by account).
func (ls *localSearch) cheapest(idx []int, to int32) []int {
	if len(idx) <= swapCap {
		return idx
	}
	s := ls.s
	type scored struct {
		d float64
		i int
	}
	list := make([]scored, len(idx))
	for n, i := range idx {
		list[n] = scored{s.repairCost(i, to) - s.repairCost(i, s.assign[i]), i}
	}
	slices.SortFunc(list, func(x, y scored) int {
		switch {
		case x.d < y.d:
			return -1
		case x.d > y.d:
			return 1
		}
		return x.i - y.i
	})
	out := make([]int, swapCap)
	for n := range out {
		out[n] = list[n].i
	}
	return out
}

// swapViolation is the violation of territories t and u if account i
// (in t) and account j (in u) traded places.
func (ls *localSearch) swapViolation(i, j int, t, u int32) float64 {
	s := ls.s
	m := s.m
	v := 0.0
	for r, w := range m.w {
		d := w[j] - w[i]
		v += violation(s.loads[r][t]+d, m.lo[r][t], m.hi[r][t])
		v += violation(s.loads[r][u]-d, m.lo[r][u], m.hi[r][u])
	}
	return v
}
