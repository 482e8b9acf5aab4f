package solve

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// A tabu search for small contiguous problems. Counties into House
// districts at ±0.5% have few feasible plans, far apart: nearly every
// single move takes two districts out of their bands, so the local search
// (which keeps the rules once they hold) stops at the first feasible plan
// it reaches, often several percent above the best. The tabu search walks
// through plans that break the rules as well, at a price for the breach
// that it raises while the walk stays out of balance and lowers while it
// stays in (strategic oscillation: Bozkaya, Erkut and Laporte 2003 for
// political districting; Gendreau, Hertz and Laporte 1994 for the
// adaptive price), and keeps the best plan that meets every rule. Every
// move keeps every territory connected. A move of an account out of a
// territory is then forbidden back for a few iterations (the tenure), so
// that the walk does not undo what it just did. When the walk has found
// nothing better for a while it starts again from the best plan, shaken
// by random moves (an iterated tabu search): one walk stays in the valley
// of its first plan, and the best plans of West Virginia and Alabama lie
// in others.

const (
	// tabuMost is the most accounts the tabu search takes on: it evaluates
	// every boundary move at every iteration.
	tabuMost = 250
	// tabuIters is how many iterations it makes per account at normal
	// effort. tabuKick is how many iterations per account may pass without
	// a better plan before the walk starts again from the best plan,
	// shaken by one random move for every tabuShake accounts.
	tabuIters = 300
	tabuKick  = 10
	tabuShake = 4
	// tabuFresh is the most fresh starts a problem the tabu search takes
	// on gets from the search before it (the model's starts give it 64 or
	// more, each a few milliseconds that the tabu search spends better),
	// and tabuSeeds how many of the best of them it walks from, each for
	// the iterations above.
	tabuFresh = 16
	tabuSeeds = 4
	// tabuMinIters keeps the search long enough on a handful of accounts.
	tabuMinIters = 3000
	// tabuAdapt is how many iterations pass between changes of the price
	// of a breach, and tabuFactor what the price is multiplied or divided
	// by then.
	tabuAdapt  = 10
	tabuFactor = 1.4
	// tabuPriceRange bounds the price of a breach to this factor either
	// side of where it starts.
	tabuPriceRange = 100
)

// tabuMove is one candidate move of the search.
type tabuMove struct {
	i     int
	to    int32
	delta float64 // change of cost plus priced breach
}

// before orders moves: the least delta first, ties by account and
// territory.
func (a tabuMove) before(b tabuMove) bool {
	if a.delta != b.delta {
		return a.delta < b.delta
	}
	if a.i != b.i {
		return a.i < b.i
	}
	return a.to < b.to
}

// tabuable reports whether the tabu search applies: a contiguous problem
// of at most tabuMost accounts and two territories or more, with no locks
// or cap on moves (which the walk would break) and no weight below zero.
func (m *model) tabuable(g *graph) bool {
	if g == nil || m.n > tabuMost || m.k < 2 || m.locked != nil || m.maxMoves >= 0 || m.repairOnly || m.homes != nil {
		return false
	}
	for _, w := range m.w {
		for _, x := range w {
			if x < 0 {
				return false
			}
		}
	}
	return true
}

// tabuSearch improves s, a plan whose territories are connected in g, by
// the tabu search above, for about effort times the normal number of
// iterations. It leaves s at the best plan found that meets every rule
// (or as it was when none beats it) and reports whether s changed.
func (s *state) tabuSearch(ctx context.Context, g *graph, effort float64, rng *rand.Rand) bool {
	m := s.m
	if !m.tabuable(g) || effort <= 0 {
		return false
	}
	c := newContiguity(g, s)
	if !c.connected() {
		return false
	}
	uc := newUnitCentres(s)
	iters := max(tabuMinIters, int(effort*float64(tabuIters*m.n)))

	bestAssign := slices.Clone(s.assign)
	bestCost := math.Inf(1)
	if s.violation() == 0 {
		bestCost = s.objective()
	}
	startCost := bestCost

	// The price of a breach starts at the cost of the mean account: a
	// breach of one mean account's weight costs what that account does.
	price := s.objective() / float64(m.n)
	if price <= 0 {
		price = 1
	}
	price0 := price
	tabu := make([]int, m.n*m.k) // tabu[i·k+t]: the iteration until which i may not enter t
	seen := make([]int32, m.k)   // territories already listed for the account at hand
	for t := range seen {
		seen[t] = -1
	}
	var moves []tabuMove
	lastBest, broken := 0, 0
	lastKick := 0
	for it := 1; it <= iters; it++ {
		if it%64 == 0 && ctx.Err() != nil {
			break
		}
		if it-max(lastBest, lastKick) > tabuKick*m.n {
			// Stalled: start again from the best plan, shaken.
			if !math.IsInf(bestCost, 1) {
				copy(s.assign, bestAssign)
				s.recount()
				uc.reset()
			}
			s.shake(c, g, uc, max(2, m.n/tabuShake), rng)
			clear(tabu)
			price = price0
			lastKick = it
		}
		viol := s.violation()
		cost := s.objective()
		moves = moves[:0]
		for i := 0; i < m.n; i++ {
			from := s.assign[i]
			if s.sizes[from] == 1 {
				continue
			}
			for _, j := range g.near[i] {
				to := s.assign[j]
				if to == from || seen[to] == int32(i) {
					continue
				}
				seen[to] = int32(i)
				dViol := s.deltaViolation(i, to)
				dCost := s.costOf(i, to) - s.costOf(i, from)
				d := dCost + price*dViol
				if tabu[i*m.k+int(to)] >= it {
					// Aspiration: a tabu move is made when it reaches a plan
					// that meets the rules and beats the best (at the
					// centres of now, which the move may still improve).
					if viol+dViol > 1e-9 || cost+dCost >= bestCost {
						continue
					}
				}
				moves = append(moves, tabuMove{i: i, to: to, delta: d})
			}
		}
		for t := range seen {
			seen[t] = -1
		}
		// The best move that keeps its territory connected: the first
		// best nearly always does, so the moves are scanned, not sorted.
		made := false
		for len(moves) > 0 && !made {
			b := 0
			for j := 1; j < len(moves); j++ {
				if moves[j].before(moves[b]) {
					b = j
				}
			}
			mv := moves[b]
			if !c.canMove(mv.i, mv.to) {
				moves[b] = moves[len(moves)-1]
				moves = moves[:len(moves)-1]
				continue
			}
			from := s.assign[mv.i]
			uc.move(mv.i, from, mv.to)
			tabu[mv.i*m.k+int(from)] = it + 5 + rng.IntN(10)
			made = true
		}
		if !made {
			break
		}
		if s.violation() == 0 {
			if cost := s.objective(); cost < bestCost-1e-9*math.Abs(bestCost) {
				bestCost, lastBest = cost, it
				copy(bestAssign, s.assign)
			}
		} else {
			broken++
		}
		if it%tabuAdapt == 0 {
			// Out of balance most of the time: breaches cost more; in
			// balance most of the time: they cost less, so that the walk
			// crosses to other feasible plans.
			if broken == tabuAdapt {
				price = min(price*tabuFactor, price0*tabuPriceRange)
			} else {
				price = max(price/tabuFactor, price0/tabuPriceRange)
			}
			broken = 0
		}
	}
	copy(s.assign, bestAssign)
	s.recount()
	s.updateCentres()
	return bestCost < startCost
}

// unitCentres keeps the centres of a state current through the moves of
// the tabu search. For centres at accounts it keeps, for every account c,
// the cost of its territory were c its centre (sum[c]), so that a move
// updates the sums of the two territories' members and picks their best
// in time linear in their size, instead of trying every member against
// every other (the same choice as cheapestMember's, ties to the lower
// index, up to rounding in the sums); other centres are recomputed.
type unitCentres struct {
	s    *state
	dist []float64 // dist[i·n+c]: account i's cost at centre c, weighted
	sum  []float64
}

func newUnitCentres(s *state) *unitCentres {
	uc := &unitCentres{s: s}
	m := s.m
	if m.center == territory.CenterUnit {
		uc.dist = make([]float64, m.n*m.n)
		for i := 0; i < m.n; i++ {
			w := m.multOf(i)
			for c := 0; c < m.n; c++ {
				uc.dist[i*m.n+c] = m.cost(spatial.Dist2(m.pts[i], m.pts[c])) * w
			}
		}
		uc.sum = make([]float64, m.n)
	}
	uc.reset()
	return uc
}

// reset recomputes every centre (and the sums) from the assignment.
func (uc *unitCentres) reset() {
	s, m := uc.s, uc.s.m
	if uc.dist == nil {
		s.updateCentres()
		return
	}
	clear(uc.sum)
	for i, k := range s.assign {
		for c, kc := range s.assign {
			if kc == k {
				uc.sum[c] += uc.dist[i*m.n+c]
			}
		}
	}
	for k := int32(0); k < int32(m.k); k++ {
		uc.pick(k)
	}
}

// move moves account i from territory from to territory to and updates
// both territories' centres.
func (uc *unitCentres) move(i int, from, to int32) {
	s, m := uc.s, uc.s.m
	s.move(i, to)
	if uc.dist == nil {
		var ma, mb []int
		for j, k := range s.assign {
			switch k {
			case from:
				ma = append(ma, j)
			case to:
				mb = append(mb, j)
			}
		}
		s.centreOf(int(from), ma)
		s.centreOf(int(to), mb)
		return
	}
	row := uc.dist[i*m.n : (i+1)*m.n]
	total := 0.0
	for c, k := range s.assign {
		switch k {
		case from:
			uc.sum[c] -= row[c]
		case to:
			if c != i {
				uc.sum[c] += row[c]
				total += uc.dist[c*m.n+i]
			}
		}
	}
	uc.sum[i] = total
	uc.pick(from)
	uc.pick(to)
}

// pick makes the member of territory k with the least sum its centre.
func (uc *unitCentres) pick(k int32) {
	s := uc.s
	best := -1
	for c, kc := range s.assign {
		if kc == k && (best < 0 || uc.sum[c] < uc.sum[best]) {
			best = c
		}
	}
	if best >= 0 {
		s.centres[k] = s.m.pts[best]
		s.centreAcc[k] = best
	}
}

// shake makes moves random boundary moves that keep every territory
// connected, whatever they do to the rules.
func (s *state) shake(c *contiguity, g *graph, uc *unitCentres, moves int, rng *rand.Rand) {
	m := s.m
	for done, tries := 0, 0; done < moves && tries < 50*moves; tries++ {
		i := rng.IntN(m.n)
		nb := g.near[i]
		if len(nb) == 0 {
			continue
		}
		to := s.assign[nb[rng.IntN(len(nb))]]
		from := s.assign[i]
		if to == from || s.sizes[from] == 1 || !c.canMove(i, to) {
			continue
		}
		uc.move(i, from, to)
		done++
	}
}

// keepBest adds s to list, which holds the best states (by better) at
// most most of them, and returns it.
func keepBest(list []*state, s *state, most int) []*state {
	list = append(list, s)
	slices.SortStableFunc(list, func(a, b *state) int {
		switch {
		case a.better(b):
			return -1
		case b.better(a):
			return 1
		}
		return 0
	})
	if len(list) > most {
		list = list[:most]
	}
	return list
}
