package solve

import (
	"context"
	"slices"
)

// Weight-aware ejection chains. The chains of localsearch.go follow the
// cheapest move between each pair of territories whatever it weighs; with
// lumpy accounts (a county of a million people beside ones of a thousand)
// the cheapest move overshoots the room at the end of the chain, and the
// chain is refused. Here a chain is grown one move at a time from a
// territory that breaks a rule, and every move is chosen for its weight:
// among the moves into or out of the territory that carry weight the way
// its broken rules need, those that leave least violation in total come
// first. When a move passes the violation on (to the territory at its
// other end, or back to this one by overshooting), the chain continues
// from the territory it touched that now breaks its rules most; no
// account moves twice in a chain. The first chain that lowers the total
// violation is kept.

const (
	ejectDepth  = 4 // moves in a chain at most
	ejectBranch = 3 // moves tried at each step
	ejectPasses = 8 // passes over the territories that break a rule
	// ejectWork bounds the moves one run may consider, in multiples of a
	// repair sweep's (every account's candidates once).
	ejectWork = 2
)

// ejectMove is one move a chain may make, with what it does to the total
// violation and to the (priced) cost.
type ejectMove struct {
	acc      int
	from, to int32
	dv, dc   float64
}

// ejector grows the chains of one local search.
type ejector struct {
	ls      *localSearch
	members [][]int32 // the accounts of every territory, kept up to date
	pos     []int32   // the index of every account in its territory's list
	// rev lists, for every territory, the accounts that have it among their
	// candidates (without contiguity; with it the graph says who borders).
	rev   [][]int32
	start int32       // the territory the chain started from
	chain []ejectMove // the moves made so far
	touch []int32     // scratch for touched
	work  int         // moves considered so far
	limit int         // ... and at most
}

func newEjector(ls *localSearch) *ejector {
	s := ls.s
	e := &ejector{
		ls:      ls,
		members: make([][]int32, s.m.k),
		pos:     make([]int32, s.m.n),
	}
	e.limit = ejectWork * (s.m.n + len(ls.cand.list))
	for i, k := range s.assign {
		e.pos[i] = int32(len(e.members[k]))
		e.members[k] = append(e.members[k], int32(i))
	}
	if ls.contig == nil {
		e.rev = make([][]int32, s.m.k)
		for i := range s.assign {
			for _, k := range ls.cand.of(i) {
				e.rev[k] = append(e.rev[k], int32(i))
			}
		}
	}
	return e
}

// move moves account i to territory to, keeping the member lists.
func (e *ejector) move(i int, to int32) {
	moveMember(e.members, e.pos, i, e.ls.s.assign[i], to)
	e.ls.s.move(i, to)
}

// moveMember takes account i out of territory from's list in members
// (the last one takes its place) and appends it to territory to's,
// keeping pos, every account's index in its list, current.
func moveMember(members [][]int32, pos []int32, i int, from, to int32) {
	list := members[from]
	last := list[len(list)-1]
	list[pos[i]] = last
	pos[last] = pos[i]
	members[from] = list[:len(list)-1]
	pos[i] = int32(len(members[to]))
	members[to] = append(members[to], int32(i))
}

// territoryViolation is how far territory k lies outside its bands.
func (s *state) territoryViolation(k int32) float64 {
	v := 0.0
	for r := range s.loads {
		v += violation(s.loads[r][k], s.m.lo[r][k], s.m.hi[r][k])
	}
	return v
}

// run makes passes over the territories that break a rule, growing a
// chain from each, until a pass keeps none or the context ends.
func (e *ejector) run(ctx context.Context) error {
	s := e.ls.s
	for pass := 0; pass < ejectPasses; pass++ {
		kept := false
		for t := int32(0); t < int32(s.m.k); t++ {
			if t%256 == 255 && ctx.Err() != nil {
				return ctx.Err()
			}
			if e.work > e.limit {
				return nil
			}
			if s.territoryViolation(t) > 0 {
				e.start = t
				if e.grow(0, 0) {
					kept = true
				}
			}
		}
		if !kept || s.violation() == 0 {
			return nil
		}
	}
	return nil
}

// grow adds a move to the chain (depth moves so far, which changed the
// total violation by gain) at the territory the chain touched that now
// breaks its rules most. It reports whether it kept a chain; if not, the
// state is as it was.
func (e *ejector) grow(depth int, gain float64) bool {
	ls := e.ls
	s := ls.s
	t, worst := e.start, -1.0
	for _, k := range e.touched() {
		if v := s.territoryViolation(k); v > worst {
			t, worst = k, v
		}
	}
	if worst <= 0 || e.work > e.limit {
		return false
	}
	tried := 0
	for _, mv := range e.candidates(t) {
		if tried == ejectBranch {
			break
		}
		if s.assign[mv.acc] != mv.from || (ls.contig != nil && !ls.contig.canMove(mv.acc, mv.to)) {
			continue
		}
		tried++
		e.move(mv.acc, mv.to)
		if !s.withinMoves() {
			e.move(mv.acc, mv.from)
			continue
		}
		e.chain = append(e.chain, mv)
		g := gain + mv.dv
		if g < -1e-9 || depth+1 < ejectDepth && e.grow(depth+1, g) {
			if depth == 0 {
				e.keep()
			}
			return true
		}
		e.chain = e.chain[:len(e.chain)-1]
		e.move(mv.acc, mv.from)
	}
	return false
}

// touched lists the territories the chain has moved accounts into or out
// of, and the one it started from.
func (e *ejector) touched() []int32 {
	out := append(e.touch[:0], e.start)
	for _, mv := range e.chain {
		for _, k := range [2]int32{mv.from, mv.to} {
			if !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	e.touch = out
	return out
}

// keep records the chain's moves for the tabu list and the move count,
// and starts a new chain.
func (e *ejector) keep() {
	ls := e.ls
	for _, mv := range e.chain {
		ls.movedOff[mv.acc] = mv.from
		ls.movedAt[mv.acc] = ls.sweep
		ls.moves++
	}
	e.chain = e.chain[:0]
}

// inChain reports whether the chain has already moved account i.
func (e *ejector) inChain(i int) bool {
	for _, mv := range e.chain {
		if mv.acc == i {
			return true
		}
	}
	return false
}

// candidates returns the best moves into or out of territory t that carry
// weight the way t's broken rules need, of accounts the chain has not
// moved yet: least total violation first, then least priced cost. The
// contiguity test, which is dear, is left to the caller; twice ejectBranch
// moves are returned so that some may fail it.
func (e *ejector) candidates(t int32) []ejectMove {
	ls := e.ls
	s := ls.s
	const keep = 2 * ejectBranch
	out := make([]ejectMove, 0, keep+1)
	less := func(a, b *ejectMove) bool {
		if a.dv != b.dv {
			return a.dv < b.dv
		}
		if a.dc != b.dc {
			return a.dc < b.dc
		}
		if a.acc != b.acc {
			return a.acc < b.acc
		}
		return a.to < b.to
	}
	// A move may serve t when it carries weight out of t in a rule that t
	// is over, or into t in a rule that t is under.
	var overR, underR []int
	for r := range s.loads {
		switch l := s.loads[r][t]; {
		case l > s.m.hi[r][t]+1e-9:
			overR = append(overR, r)
		case l < s.m.lo[r][t]-1e-9:
			underR = append(underR, r)
		}
	}
	consider := func(i int, to int32) {
		e.work++
		from := s.assign[i]
		if from == to || !s.canMove(i, to) || e.inChain(i) {
			return
		}
		rs := underR
		if from == t {
			rs = overR
		}
		serves := false
		for _, r := range rs {
			if s.m.w[r][i] > 0 {
				serves = true
				break
			}
		}
		if !serves {
			return
		}
		mv := ejectMove{acc: i, from: from, to: to, dv: s.deltaViolation(i, to)}
		if len(out) == keep && mv.dv > out[keep-1].dv {
			return
		}
		mv.dc = s.repairCost(i, to) - s.repairCost(i, from)
		if len(out) == keep && !less(&mv, &out[keep-1]) {
			return
		}
		for _, o := range out {
			if o.acc == i && o.to == to {
				return
			}
		}
		// Insert in order, dropping the worst beyond keep.
		at := len(out)
		for at > 0 && less(&mv, &out[at-1]) {
			at--
		}
		out = slices.Insert(out, at, mv)
		if len(out) > keep {
			out = out[:keep]
		}
	}
	for _, i32 := range e.members[t] {
		i := int(i32)
		if ls.contig != nil {
			for _, j := range ls.contig.g.near[i] {
				if u := s.assign[j]; u != t {
					consider(i, u)      // out of t
					consider(int(j), t) // into t
				}
			}
			continue
		}
		for _, u := range ls.cand.of(i) {
			consider(i, u)
		}
	}
	if e.rev != nil {
		for _, j := range e.rev[t] {
			consider(int(j), t)
		}
	}
	return out
}
