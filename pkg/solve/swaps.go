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

// tradeSmall is the size of a boundary side (after cheapest) up to which
// bestSwap also trades two accounts for one, one for two or two for two,
// and moves one or two accounts alone: lumpy units (counties of very
// different populations) often need more than one account to cross at
// once to land in a narrow band.
const tradeSmall = 16

// bestSwap makes the trade across the boundary of territories t and u,
// some accounts of as (in t) for some of bs (in u), that lowers the
// violation most (ties: the lesser rise of the priced cost, then the
// lower accounts) and keeps both territories connected: one for one, and
// on short sides (tradeSmall) up to two for up to two. It reports whether
// it made one. The sides were listed before earlier trades of the round:
// an account that has left t (or u) since is passed over.
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
	most := 1
	if len(as) <= tradeSmall && len(bs) <= tradeSmall {
		most = 2
	}
	outs, ins := groups(as, most), groups(bs, most)
	before := s.territoryViolation(t) + s.territoryViolation(u)
	type trade struct {
		out, in []int
		dv, dc  float64
	}
	var cands []trade
	for _, out := range outs {
		for _, in := range ins {
			if len(out)+len(in) == 0 || (most == 1 && (len(out) != 1 || len(in) != 1)) {
				continue
			}
			dv := ls.tradeViolation(out, in, t, u) - before
			if dv >= -1e-12 {
				continue
			}
			dc := 0.0
			for _, i := range out {
				dc += s.repairCost(i, u) - s.repairCost(i, t)
			}
			for _, j := range in {
				dc += s.repairCost(j, t) - s.repairCost(j, u)
			}
			cands = append(cands, trade{out, in, dv, dc})
		}
	}
	slices.SortFunc(cands, func(x, y trade) int {
		switch {
		case x.dv < y.dv:
			return -1
		case x.dv > y.dv:
			return 1
		case x.dc < y.dc:
			return -1
		case x.dc > y.dc:
			return 1
		}
		if c := slices.Compare(x.out, y.out); c != 0 {
			return c
		}
		return slices.Compare(x.in, y.in)
	})
	for _, c := range cands {
		if ls.makeTrade(c.out, c.in, t, u) {
			return true
		}
	}
	return false
}

// groups returns the subsets of idx of at most most accounts, the empty
// one first, in a fixed order.
func groups(idx []int, most int) [][]int {
	out := [][]int{nil}
	for a, i := range idx {
		out = append(out, []int{i})
		if most < 2 {
			continue
		}
		for _, j := range idx[a+1:] {
			out = append(out, []int{i, j})
		}
	}
	return out
}

// makeTrade moves the accounts out from t to u and in from u to t, one at
// a time, each keeping both territories connected and within the cap on
// moves; when one cannot, it undoes the others and reports false.
func (ls *localSearch) makeTrade(out, in []int, t, u int32) bool {
	s := ls.s
	var done []tradeStep
	undo := func() {
		for _, st := range slices.Backward(done) {
			s.move(st.acc, st.from)
		}
	}
	for _, st := range append(stepsOf(out, t, u), stepsOf(in, u, t)...) {
		if !ls.contig.canMove(st.acc, st.to) {
			undo()
			return false
		}
		s.move(st.acc, st.to)
		done = append(done, st)
	}
	if !s.withinMoves() {
		undo()
		return false
	}
	for _, st := range done {
		ls.movedOff[st.acc], ls.movedAt[st.acc] = st.from, ls.sweep
		ls.moves++
	}
	return true
}

// tradeStep is one account's move of a trade.
type tradeStep struct {
	acc      int
	from, to int32
}

func stepsOf(idx []int, from, to int32) []tradeStep {
	out := make([]tradeStep, len(idx))
	for n, i := range idx {
		out[n] = tradeStep{i, from, to}
	}
	return out
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

// tradeViolation is the violation of territories t and u if the accounts
// out left t for u and the accounts in left u for t.
func (ls *localSearch) tradeViolation(out, in []int, t, u int32) float64 {
	s := ls.s
	m := s.m
	v := 0.0
	for r, w := range m.w {
		d := 0.0
		for _, j := range in {
			d += w[j]
		}
		for _, i := range out {
			d -= w[i]
		}
		v += violation(s.loads[r][t]+d, m.lo[r][t], m.hi[r][t])
		v += violation(s.loads[r][u]-d, m.lo[r][u], m.hi[r][u])
	}
	return v
}
