package solve

import (
	"cmp"
	"context"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/territory-optimizer/territory/pkg/parallel"
	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// The centre exchange: a variable neighbourhood search over the centres
// of plans whose centres are accounts (centre "unit"), which with a max
// rule on a demand measure is the capacitated p-median problem.
//
// The constrained k-means and the local search move a centre only to the
// best member of its own territory, so a centre never gets far from where
// its start put it; when the best plan needs a territory on the other side
// of the map, they cannot find it. The exchange moves one centre at a
// time to any account:
//
//  1. Screening: for every account c that is not a centre and every
//     territory k, an estimate of the change in cost if k's centre moved
//     to c, as in Whitaker's fast interchange (1983) but measured from the
//     plan's own assignment, in about n²/k steps (see screen).
//  2. Evaluation: the most promising moves, best first, are made for
//     real. The centre moves; the accounts settle (see settle) by moves,
//     swaps and two-move chains that never raise the violation, a local
//     search of the generalised assignment problem the rules make of it;
//     every changed territory's centre moves to its best member. The move
//     is kept if the plan got better (less violation, or as little and a
//     lower cost), and the screening starts again from it.
//  3. When no screened move helps, the search shakes the best plan by
//     moving q random centres to random accounts, settles it, and descends
//     again; q grows by one after every shake that did not lead to a
//     better plan (up to exchangeShakeMax), and falls back to 1 after one
//     that did. This is Mladenović and Hansen's VNS, as Fleszar and Hindi
//     (2008) use it for the capacitated p-median problem.
//
// The search counts its work (distance lookups) and stops at a fixed
// amount per effort level, so it gives the same plan on every machine.

const (
	// exchangeMaxN is the account count up to which the exchange runs:
	// its work budget is quadratic in the accounts up to exchangeCap, and
	// beyond a few thousand accounts it would barely move.
	exchangeMaxN = 5000
	// exchangeMatrixN is the account count up to which the distances
	// between all accounts are computed once and kept (8·n² bytes).
	exchangeMatrixN = 2000
	// exchangeTries is how many screened moves are evaluated before a
	// descent gives up at a local optimum.
	exchangeTries = 8
	// exchangeShakeMax is the most centres a shake moves.
	exchangeShakeMax = 3
	// exchangeBatch is how many moves are evaluated side by side.
	exchangeBatch = 2
	// settleSweeps bounds the sweeps of one settle.
	settleSweeps = 50
	// settleNear is how many of its nearest territories an account's
	// moves look at.
	settleNear = 10
	// exchangeWork is the work of one normal-effort exchange, in distance
	// lookups per account pair (so n² of them is 1), up to exchangeCap
	// lookups (about 12 s on the 2-core machine, for ali535_150).
	exchangeWork = 3200
	exchangeCap  = 1e9
	// exchangeStale ends the search early when this share of its work has
	// passed without a better plan.
	exchangeStale = 1.0 / 2
)

// exchangeable reports whether the exchange applies to the model: centres
// at accounts, no cap on moves, no owners (their stickiness and locks tie
// accounts to territories the exchange would move), no contiguity, and
// few enough accounts.
func (m *model) exchangeable(contiguous bool) bool {
	return m.center == territory.CenterUnit && m.homes == nil && m.maxMoves < 0 && m.owner == nil &&
		!contiguous && m.k > 1 && m.n > m.k && m.n <= exchangeMaxN
}

// exchanger runs the centre exchange on one state.
type exchanger struct {
	s        *state
	m        *model
	rng      *rand.Rand
	dist     []float64 // n×n costs between accounts (nil above exchangeMatrixN)
	isCentre []int32   // the territory whose centre account i is, or -1
	members  [][]int32
	pos      []int32
	// near holds every account's L nearest territories (by the cost to
	// their centres), nearest first, in near[i*L:(i+1)*L].
	L     int
	near  []int32
	nearC []float64 // the costs of near
	// changed marks the territories whose centre or members changed since
	// the local search last looked at them.
	changed, next []bool
	work          float64      // distance lookups so far
	limit         float64      // ... and at most
	tol           float64      // a cost change smaller than this is no change
	forks         []*exchanger // copies that evaluate moves side by side
	// the screening's k-d tree of the accounts, and its scratch
	index        *spatial.Index
	d1, d2, gain []float64
	rk, bestVal  []float64
	bestK        []int32
	close        []float64
	touched      []int32
	ball         []int
	cands        []int32 // settle's candidate centres of a territory
}

// snapshotWithNear is a saved plan of the exchange: the state's snapshot
// (kmeans.go) with what the exchange derives from it and would otherwise
// find again (n·k lookups), every account's nearest-territory lists.
type snapshotWithNear struct {
	*snapshot
	near  []int32
	nearC []float64
}

// exMove is a screened centre move: territory k's centre to account c,
// with the estimated change delta in the cost.
type exMove struct {
	c     int
	k     int32
	delta float64
}

// exchange improves s by moving its centres (see above). It always leaves
// s at the best plan it found, also when the context ends first.
func (s *state) exchange(ctx context.Context, effort float64, rng *rand.Rand, progress func(float64)) error {
	m := s.m
	x := &exchanger{
		s:        s,
		m:        m,
		rng:      rng,
		isCentre: make([]int32, m.n),
		members:  make([][]int32, m.k),
		pos:      make([]int32, m.n),
		L:        min(settleNear, m.k),
		changed:  make([]bool, m.k),
		next:     make([]bool, m.k),
		limit:    effort * math.Min(exchangeWork*float64(m.n)*float64(m.n), exchangeCap),
		d1:       make([]float64, m.n),
		d2:       make([]float64, m.n),
		gain:     make([]float64, m.n),
		rk:       make([]float64, m.n),
		bestVal:  make([]float64, m.n),
		bestK:    make([]int32, m.n),
		close:    make([]float64, m.k),
	}
	if m.accountIndex == nil {
		m.accountIndex = spatial.NewIndex(m.pts)
	}
	x.index = m.accountIndex
	if m.n <= exchangeMatrixN {
		x.dist = make([]float64, m.n*m.n)
		parallel.For(m.n, func(_, i int) {
			row := x.dist[i*m.n : (i+1)*m.n]
			for j, p := range m.pts {
				row[j] = m.cost(spatial.Dist2(m.pts[i], p))
			}
		})
	}
	x.near = make([]int32, m.n*x.L)
	x.nearC = make([]float64, m.n*x.L)
	s.updateCentres()
	if slices.Contains(s.centreAcc, -1) {
		return nil // an empty territory: nothing to exchange
	}
	x.tol = 1e-9 * s.costScale()
	x.reset()
	for k := range x.changed {
		x.changed[k] = true
	}
	x.settle()
	best := x.snapshot()
	q := 1
	found := x.work // the work done when the best plan was found
	for x.work < x.limit && x.work-found < x.limit*exchangeStale {
		if err := ctx.Err(); err != nil {
			x.restore(best)
			s.updateCentres()
			return err
		}
		progress(math.Min(1, x.work/x.limit))
		x.descend(ctx)
		if x.better(best) {
			best = x.snapshot()
			found = x.work
			q = 1
		} else {
			x.restore(best)
			q = q%min(exchangeShakeMax, m.k) + 1
		}
		if x.work >= x.limit {
			break
		}
		x.shake(q)
	}
	x.restore(best)
	// Every centre where Solve's own update puts it (the best member), so
	// that the plan scores the same when read back from its files.
	s.updateCentres()
	return nil
}

// cost is what account i costs in a territory centred at account c.
func (x *exchanger) cost(i, c int) float64 {
	if x.dist != nil {
		return float64(x.dist[i*x.m.n+c] * x.m.multOf(i))
	}
	return float64(x.m.cost(spatial.Dist2(x.m.pts[i], x.m.pts[c])) * x.m.multOf(i))
}

// costIn is what account i costs in territory k.
func (x *exchanger) costIn(i int, k int32) float64 { return x.cost(i, x.s.centreAcc[k]) }

// nearOf is account i's list of nearest territories.
func (x *exchanger) nearOf(i int) []int32 { return x.near[i*x.L : (i+1)*x.L] }

// reset rebuilds everything derived from the assignment and the centres:
// the centre marks, the member lists and the nearest territories.
func (x *exchanger) reset() {
	x.rebuild()
	for i := range x.m.n {
		x.fillNear(i)
	}
	x.work += float64(x.m.n) * float64(x.m.k)
}

// rebuild remakes the centre marks and the member lists.
func (x *exchanger) rebuild() {
	s := x.s
	for i := range x.isCentre {
		x.isCentre[i] = -1
	}
	for k, c := range s.centreAcc {
		if c >= 0 {
			x.isCentre[c] = int32(k)
		}
	}
	for k := range x.members {
		x.members[k] = x.members[k][:0]
	}
	for i, k := range s.assign {
		x.pos[i] = int32(len(x.members[k]))
		x.members[k] = append(x.members[k], int32(i))
	}
}

// fillNear finds account i's nearest territories by trying them all.
func (x *exchanger) fillNear(i int) {
	n := 0
	for k := range x.m.k {
		n = x.insertNear(i, n, int32(k))
	}
}

// insertNear puts territory k into account i's list of nearest
// territories, which holds n of them, if it is near enough; it returns the
// new length.
func (x *exchanger) insertNear(i, n int, k int32) int {
	c := x.costIn(i, k)
	list := x.near[i*x.L : (i+1)*x.L]
	costs := x.nearC[i*x.L : (i+1)*x.L]
	if n == x.L && !(c < costs[n-1] || (c == costs[n-1] && k < list[n-1])) {
		return n
	}
	at := n
	for at > 0 && (c < costs[at-1] || (c == costs[at-1] && k < list[at-1])) {
		at--
	}
	if n < x.L {
		n++
	}
	copy(list[at+1:n], list[at:n-1])
	copy(costs[at+1:n], costs[at:n-1])
	list[at], costs[at] = k, c
	return n
}

// centreMoved updates the nearest-territory lists after territory k's
// centre moved. An account that had k takes it out; if k's new cost still
// falls within its list, k goes back in at its new place, and otherwise
// the list is found again from all territories (a farther one may now
// belong in it). An account that did not have k takes it in if it is now
// near enough.
func (x *exchanger) centreMoved(k int32) {
	m := x.m
	for i := range m.n {
		list := x.near[i*x.L : (i+1)*x.L]
		costs := x.nearC[i*x.L : (i+1)*x.L]
		at := slices.Index(list, k)
		if at < 0 {
			x.insertNear(i, x.L, k)
			continue
		}
		if c := x.costIn(i, k); c > costs[x.L-1] || (c == costs[x.L-1] && at != x.L-1 && k > list[x.L-1]) {
			x.fillNear(i)
			x.work += float64(m.k)
			continue
		}
		copy(list[at:], list[at+1:])
		copy(costs[at:], costs[at+1:])
		x.insertNear(i, x.L-1, k)
	}
	x.work += float64(m.n)
	x.changed[k] = true
}

// move puts account i into territory to, keeping the member lists.
func (x *exchanger) move(i int, to int32) {
	s := x.s
	from := s.assign[i]
	moveMember(x.members, x.pos, i, from, to)
	s.move(i, to)
	x.next[from], x.next[to] = true, true
}

// setCentre makes account c the centre of territory k (and a member of it).
func (x *exchanger) setCentre(k int32, c int) {
	s := x.s
	if old := s.centreAcc[k]; old >= 0 && x.isCentre[old] == k {
		x.isCentre[old] = -1
	}
	s.centreAcc[k] = c
	s.centres[k] = x.m.pts[c]
	x.isCentre[c] = k
	if from := s.assign[c]; from != k {
		x.move(c, k)
		x.changed[from] = true
	}
	x.centreMoved(k)
}

// snapshot saves the plan and the nearest-territory lists.
func (x *exchanger) snapshot() *snapshotWithNear {
	return &snapshotWithNear{snapshot: x.s.snapshot(), near: slices.Clone(x.near), nearC: slices.Clone(x.nearC)}
}

// better reports whether the plan beats the snapshot: less violation, or
// as little and a lower cost.
func (x *exchanger) better(b *snapshotWithNear) bool {
	v, c := x.s.violation(), x.s.objective()
	return v < b.viol-1e-9 || (v <= b.viol+1e-9 && c < b.cost-x.tol)
}

// restore puts the plan back to the snapshot.
func (x *exchanger) restore(b *snapshotWithNear) {
	b.snapshot.restore(x.s)
	copy(x.near, b.near)
	copy(x.nearC, b.nearC)
	x.rebuild()
	clear(x.changed)
	clear(x.next)
}

// descend makes screened centre moves while one improves the plan. The
// moves are evaluated exchangeBatch at a time, each on its own copy of
// the plan and on both cores; the first of a batch, in screened order,
// that improves the plan is kept. The batch is the same on any number of
// cores, and so is the plan.
func (x *exchanger) descend(ctx context.Context) {
	if x.forks == nil {
		for range exchangeBatch {
			x.forks = append(x.forks, x.fork())
		}
	}
	for x.work < x.limit && ctx.Err() == nil {
		moves := x.screen()
		v0, c0 := x.s.violation(), x.s.objective()
		kept := false
		for b := 0; b < len(moves) && !kept; b += exchangeBatch {
			if x.work >= x.limit {
				return
			}
			batch := moves[b:min(b+exchangeBatch, len(moves))]
			ok := make([]bool, len(batch))
			parallel.For(len(batch), func(_, j int) {
				y := x.forks[j]
				y.copyFrom(x)
				y.setCentre(batch[j].k, batch[j].c)
				y.settle()
				v, c := y.s.violation(), y.s.objective()
				ok[j] = v < v0-1e-9 || (v <= v0+1e-9 && c < c0-x.tol)
			})
			for j := range batch {
				x.work += x.forks[j].work
			}
			for j := range batch {
				if ok[j] {
					work := x.work
					x.copyFrom(x.forks[j])
					x.work = work
					kept = true
					break
				}
			}
		}
		if !kept {
			return
		}
	}
}

// fork returns a copy of the exchanger with a plan of its own, for
// evaluating moves beside it.
func (x *exchanger) fork() *exchanger {
	m := x.m
	y := &exchanger{
		s:        newState(m),
		m:        m,
		dist:     x.dist,
		isCentre: make([]int32, m.n),
		members:  make([][]int32, m.k),
		pos:      make([]int32, m.n),
		L:        x.L,
		near:     make([]int32, len(x.near)),
		nearC:    make([]float64, len(x.nearC)),
		changed:  make([]bool, m.k),
		next:     make([]bool, m.k),
		tol:      x.tol,
	}
	return y
}

// copyFrom makes y's plan and everything derived from it a copy of x's,
// and starts y's work count at 0.
func (y *exchanger) copyFrom(x *exchanger) {
	d, o := y.s, x.s
	copy(d.assign, o.assign)
	copy(d.centres, o.centres)
	copy(d.centreAcc, o.centreAcc)
	for r := range d.loads {
		copy(d.loads[r], o.loads[r])
	}
	copy(d.sizes, o.sizes)
	d.moved = o.moved
	copy(y.isCentre, x.isCentre)
	for k := range y.members {
		y.members[k] = append(y.members[k][:0], x.members[k]...)
	}
	copy(y.pos, x.pos)
	copy(y.near, x.near)
	copy(y.nearC, x.nearC)
	copy(y.changed, x.changed)
	copy(y.next, x.next)
	y.work = 0
}

// shake moves up to q centres of distinct territories to random accounts
// that are not centres, then settles the plan.
func (x *exchanger) shake(q int) {
	m := x.m
	moved := make([]bool, m.k)
	for range q {
		k := int32(x.rng.IntN(m.k))
		c := x.rng.IntN(m.n)
		if moved[k] || x.isCentre[c] >= 0 {
			continue
		}
		moved[k] = true
		x.setCentre(k, c)
	}
	x.settle()
}

// screen returns the exchangeTries most promising centre moves, best
// first: for every account c that is not a centre, the territory whose
// centre moving to c changes the cost least, estimated from the plan as
// it is with capacities left out of the change. Every account i has its
// cost d1 where it is and d2 in the cheapest other territory of its
// nearest. When territory k's centre moves to c, i gains d1 − d(i,c) if c
// is cheaper than d1, and an account of k that does not gain goes to the
// nearer of c and its d2. Measuring from the plan's own territory rather
// than from the nearest centre (as Whitaker's fast interchange does for
// the uncapacitated problem) tells the moves that free room from those
// that would not, since a tight capacity is what keeps an account from
// its nearest centre.
//
// Written as close(k) − R(k, c) − gain(c), with close(k) the cost of
// sending all of k's accounts to their d2, only the accounts with
// d(i,c) < d2 contribute to R and gain: each account's ball of radius d2,
// from the k-d tree, holds all the candidates it touches. The screening
// is then O(Σ ball sizes), about n²/k, not n².
func (x *exchanger) screen() []exMove {
	s, m := x.s, x.m
	for k := range x.close {
		x.close[k] = 0
	}
	for i := range m.n {
		a := s.assign[i]
		d2 := math.Inf(1)
		for _, t := range x.nearOf(i) {
			if t != a {
				d2 = x.costIn(i, t)
				break
			}
		}
		x.d1[i], x.d2[i] = x.costIn(i, a), d2
		x.close[a] += d2 - x.d1[i]
	}
	closeMin := int32(0)
	for k, v := range x.close {
		if v < x.close[closeMin] {
			closeMin = int32(k)
		}
	}
	for c := range m.n {
		x.gain[c], x.bestVal[c], x.bestK[c] = 0, math.Inf(1), -1
	}
	balls := 0
	for k := range m.k {
		for _, i32 := range x.members[k] {
			i := int(i32)
			d1, d2 := x.d1[i], x.d2[i]
			r2 := d2 // the squared radius of the ball in Dist2's terms
			if m.obj == territory.Distance {
				r2 = d2 * d2
			}
			x.ball = x.index.Within(m.pts[i], r2*(1+1e-9), x.ball[:0])
			balls += len(x.ball)
			for _, c := range x.ball {
				d := x.cost(i, c)
				if d >= d2 || x.isCentre[c] >= 0 {
					continue
				}
				if d < d1 {
					x.gain[c] += d1 - d
				}
				if x.rk[c] == 0 {
					x.touched = append(x.touched, int32(c))
				}
				x.rk[c] += d2 - math.Max(d, d1)
			}
		}
		for _, c := range x.touched {
			if v := x.close[k] - x.rk[c]; v < x.bestVal[c] {
				x.bestVal[c], x.bestK[c] = v, int32(k)
			}
			x.rk[c] = 0
		}
		x.touched = x.touched[:0]
	}
	x.work += float64(m.n)*float64(x.L) + 2*float64(balls)
	best := make([]exMove, 0, m.n)
	for c := range m.n {
		if x.isCentre[c] >= 0 {
			continue
		}
		v, k := x.bestVal[c], x.bestK[c]
		if x.close[closeMin] < v {
			v, k = x.close[closeMin], closeMin
		}
		best = append(best, exMove{c: c, k: k, delta: v - x.gain[c]})
	}
	slices.SortFunc(best, func(a, b exMove) int {
		if c := cmp.Compare(a.delta, b.delta); c != 0 {
			return c
		}
		return a.c - b.c
	})
	return best[:min(len(best), exchangeTries)]
}

// settle is the assignment's local search with the centres where they
// are, then every changed territory's centre to its best member, again
// while centres move (three times at most).
func (x *exchanger) settle() {
	s := x.s
	for range 3 {
		recentre := slices.Clone(x.changed)
		x.localSearch(recentre)
		moved := false
		for k, d := range recentre {
			mem := x.members[k]
			if !d || len(mem) == 0 {
				continue
			}
			x.work += float64(len(mem)) * float64(len(mem))
			// Every member is a candidate, whatever the territory's size
			// (unlike bestMember's), in ascending order so that a tie goes
			// to the lower account index; the costs come from the matrix when
			// there is one.
			x.cands = append(x.cands[:0], mem...)
			slices.Sort(x.cands)
			if c := cheapestMember(x.m, x.cands, mem, x.dist); c != s.centreAcc[k] {
				x.setCentre(int32(k), c)
				moved = true
			}
		}
		if !moved {
			return
		}
	}
}

// localSearch moves accounts between territories, never raising the
// violation and lowering it or the cost with every step, until no step
// helps: single moves, swaps of two accounts, and chains of two moves
// (i to b, and one of b's accounts on to a third territory), each among
// the accounts' nearest territories. Each sweep looks only at accounts
// near a territory that changed; every territory that changes is marked
// in touched. Centre accounts stay in their territories.
func (x *exchanger) localSearch(touched []bool) {
	s, m := x.s, x.m
	for range settleSweeps {
		infeasible := s.violation() > 0
		clear(x.next)
		improved := false
		for i := range m.n {
			if x.pinned(i) || !x.active(i) {
				continue
			}
			x.work += float64(x.L)
			if x.shift(i, infeasible) || x.swap(i) || x.chain(i) {
				improved = true
			}
		}
		for k, c := range x.next {
			touched[k] = touched[k] || c
		}
		x.changed, x.next = x.next, x.changed
		if !improved {
			break
		}
	}
	clear(x.changed)
}

// pinned reports whether account i may not move: a centre account (it
// stays in its territory) or a locked one.
func (x *exchanger) pinned(i int) bool { return x.isCentre[i] >= 0 || x.m.fixed(i) }

// active reports whether account i is in, or near, a territory that
// changed.
func (x *exchanger) active(i int) bool {
	if x.changed[x.s.assign[i]] {
		return true
	}
	for _, k := range x.nearOf(i) {
		if x.changed[k] {
			return true
		}
	}
	return false
}

// shift moves account i to the near territory that lowers the violation
// most, or without raising it lowers the cost most.
func (x *exchanger) shift(i int, infeasible bool) bool {
	s := x.s
	from := s.assign[i]
	c0 := x.costIn(i, from)
	best, bdv, bdc := int32(-1), 0.0, -x.tol
	for _, t := range x.nearOf(i) {
		if t == from {
			continue
		}
		dc := x.costIn(i, t) - c0
		if !infeasible && dc >= bdc {
			continue
		}
		dv := s.deltaViolation(i, t)
		if dv < bdv-1e-9 || (dv <= bdv+1e-9 && dc < bdc) {
			best, bdv, bdc = t, dv, dc
		}
	}
	if best < 0 {
		return false
	}
	x.move(i, best)
	return true
}

// swap exchanges account i with an account of a near territory where that
// lowers the cost most without raising the violation.
func (x *exchanger) swap(i int) bool {
	s := x.s
	a := s.assign[i]
	cia := x.costIn(i, a)
	ca := s.centreAcc[a]
	bestJ, bestDC := -1, -x.tol
	for _, b := range x.nearOf(i) {
		if b == a {
			continue
		}
		gi := x.costIn(i, b) - cia
		cb := s.centreAcc[b]
		for _, j32 := range x.members[b] {
			j := int(j32)
			if x.pinned(j) {
				continue
			}
			if dc := gi + x.cost(j, ca) - x.cost(j, cb); dc < bestDC && x.swapViolation(i, j) <= 1e-9 {
				bestJ, bestDC = j, dc
			}
		}
		x.work += float64(len(x.members[b]))
	}
	if bestJ < 0 {
		return false
	}
	b := s.assign[bestJ]
	x.move(i, b)
	x.move(bestJ, a)
	return true
}

// chain moves account i to a near territory b and one account of b on to
// a third territory, where the two moves together lower the cost most
// without raising the violation.
func (x *exchanger) chain(i int) bool {
	s := x.s
	a := s.assign[i]
	cia := x.costIn(i, a)
	bestJ, bestB, bestC, bestDC := -1, int32(-1), int32(-1), -x.tol
	for _, b := range x.nearOf(i) {
		if b == a {
			continue
		}
		gi := x.costIn(i, b) - cia
		if gi >= 0 {
			// i costs more in b: the chain can gain only through j, which
			// the chain from j's side finds as well.
			continue
		}
		cb := s.centreAcc[b]
		for _, j32 := range x.members[b] {
			j := int(j32)
			if x.pinned(j) {
				continue
			}
			cjb := x.cost(j, cb)
			for _, c := range x.nearOf(j) {
				if c == a || c == b {
					continue
				}
				dc := gi + x.costIn(j, c) - cjb
				if dc >= bestDC {
					continue
				}
				if x.chainViolation(i, b, j, c) <= 1e-9 {
					bestJ, bestB, bestC, bestDC = j, b, c, dc
				}
			}
			x.work += float64(x.L)
		}
	}
	if bestJ < 0 {
		return false
	}
	x.move(i, bestB)
	x.move(bestJ, bestC)
	return true
}

// chainViolation is the change in total violation if account i moved to
// territory b and account j (of b) on to territory c.
func (x *exchanger) chainViolation(i int, b int32, j int, c int32) float64 {
	s, m := x.s, x.m
	a := s.assign[i]
	d := 0.0
	for r, w := range m.w {
		wi, wj := w[i], w[j]
		la, lb, lc := s.loads[r][a], s.loads[r][b], s.loads[r][c]
		lo, hi := m.lo[r], m.hi[r]
		d += violation(la-wi, lo[a], hi[a]) - violation(la, lo[a], hi[a])
		d += violation(lb+wi-wj, lo[b], hi[b]) - violation(lb, lo[b], hi[b])
		d += violation(lc+wj, lo[c], hi[c]) - violation(lc, lo[c], hi[c])
	}
	return d
}

// swapViolation is the change in total violation if accounts i and j
// exchanged territories.
func (x *exchanger) swapViolation(i, j int) float64 {
	s, m := x.s, x.m
	a, b := s.assign[i], s.assign[j]
	d := 0.0
	for r, w := range m.w {
		dw := w[j] - w[i]
		if dw == 0 {
			continue
		}
		la, lb := s.loads[r][a], s.loads[r][b]
		d += violation(la+dw, m.lo[r][a], m.hi[r][a]) - violation(la, m.lo[r][a], m.hi[r][a])
		d += violation(lb-dw, m.lo[r][b], m.hi[r][b]) - violation(lb, m.lo[r][b], m.hi[r][b])
	}
	return d
}
