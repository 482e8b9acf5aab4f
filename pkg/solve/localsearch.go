package solve

import (
	"cmp"
	"container/heap"
	"context"
	"math"
	"math/rand/v2"
	"slices"
)

// localSearch is the balancer: it first repairs every rule it can, then
// improves the objective without breaking any rule.
type localSearch struct {
	s     *state
	cand  *candidates
	order []int // the order in which sweeps visit accounts (seeded)
	// Tabu: an account that moved may not go back to the territory it left
	// until tenure sweeps have passed.
	movedAt  []int32
	movedOff []int32
	sweep    int32
	moves    int
	// contig, when set, keeps every territory connected.
	contig *contiguity
	// anyEdge lets moves cross every edge of the graph, not only the
	// short ones (graph.near): the last resort of a region plan that
	// breaks a rule (see lastRepair).
	anyEdge bool
	// fitHops makes every hop of an ejection chain move the account that
	// fits (hopAccount) instead of the cheapest: the last repair's.
	fitHops bool
	// priced makes the improvement lower the priced cost (repairCost)
	// instead of the objective's: a region plan (regions.go) keeps the
	// boundaries of its power diagram, moving accounts only where balance
	// needs it.
	priced bool
	buf    []int32 // targets' scratch
	// skipped counts the repair sweeps that only counted, their state
	// unchanged since a sweep that found nothing to do (see repair);
	// everySweep makes them sweep all the same (tests compare the two).
	skipped    int
	everySweep bool
}

// targets lists the territories account i may move to: its candidates
// (the nearest centres), or, when territories must stay connected, the
// territories of its neighbours in the graph, in order of first
// appearance (the only ones it can join without leaving a gap).
func (ls *localSearch) targets(i int) []int32 {
	if ls.contig == nil {
		return ls.cand.of(i)
	}
	s := ls.s
	ls.buf = ls.buf[:0]
	nb := ls.contig.g.near[i]
	if ls.anyEdge {
		nb = ls.contig.g.adj[i]
	}
	for _, j := range nb {
		if t := s.assign[j]; t != s.assign[i] && !slices.Contains(ls.buf, t) {
			ls.buf = append(ls.buf, t)
		}
	}
	return ls.buf
}

// run alternates repair and improvement with centre updates until
// nothing changes or the budget is spent.
func (ls *localSearch) run(ctx context.Context, b budget, progress func(float64)) error {
	s := ls.s
	moved := 0.0 // how far the centres moved in the last round
	idle := 0    // rounds in a row whose repair left the violation as it was
	for round := 0; round < b.improveRounds; round++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		progress(float64(round) / float64(b.improveRounds))
		switch {
		case round == 0 && s.cand != nil:
			// The assignment's candidates, with the farther territories its
			// prices found that the flow between regions needs.
			ls.cand = s.cand
		case ls.cand == nil || moved > 0:
			ls.cand = s.candidates()
		}
		if idle < repairIdleRounds {
			before := s.violation()
			if err := ls.repair(ctx, b.repairSweeps, s.costScale()); err != nil {
				return err
			}
			// Where the nearest territories cannot take the excess (a
			// dense city whose neighbours are all full), look farther: up
			// to four times as many candidates.
			base := ls.cand
			for per := 2 * candidateCount; s.violation() > 0 && ls.contig == nil && per <= 4*candidateCount && base.per < s.m.k; per *= 2 {
				ls.cand = s.candidatesN(per)
				if err := ls.repair(ctx, b.repairSweeps, s.costScale()); err != nil {
					return err
				}
			}
			ls.cand = base
			// After rounds whose repair left the violation where it was,
			// the rest only improve the cost without raising it.
			if v := s.violation(); v > 0 && v >= before-1e-9 {
				idle++
			} else {
				idle = 0
			}
		}
		if s.m.repairOnly {
			// A rebalance makes only the moves the rules need.
			if s.violation() == 0 || idle >= repairIdleRounds {
				break
			}
			moved = s.updateCentres()
			continue
		}
		before := s.objective()
		changed, err := ls.improve(ctx)
		if err != nil {
			return err
		}
		moved = s.updateCentres()
		if !changed && moved <= 1e-9*s.extent() {
			break
		}
		// A round that gains less than idleRound of the objective ends
		// the search: the rounds after it gain less still (a million
		// accounts: 3% in the first, 0.03% in the second, 0.001% in the
		// third, each a second).
		if v := s.violation(); v == 0 && before-s.objective() < idleRound*before {
			break
		}
	}
	return nil
}

// ctxStride is how many accounts a sweep visits between looks at the
// context, so that a cancelled solve of a million accounts stops within a
// fraction of a second, not at the end of the sweep.
const ctxStride = 4096

// idleRound is the least share of the objective a round of the local
// search, with a feasible plan, must gain for another to follow.
const idleRound = 1e-4

// repairIdleRounds is how many rounds in a row the local search repairs
// without lowering the violation before it stops trying.
const repairIdleRounds = 2

// repairIdle is how many sweeps in a row may leave the violation almost
// unchanged before a repair gives up.
const repairIdle = 4

// swapRounds is how many times a repair sweep of a region plan trades
// accounts along the boundaries of its broken territories (swaps.go).
const swapRounds = 8

// tabuTenure is how many sweeps a move may not be undone.
const tabuTenure = 3

func newLocalSearch(s *state, rng *rand.Rand) *localSearch {
	ls := &localSearch{
		s:        s,
		order:    rng.Perm(s.m.n),
		movedAt:  make([]int32, s.m.n),
		movedOff: make([]int32, s.m.n),
	}
	for i := range ls.movedOff {
		ls.movedOff[i] = -1
		ls.movedAt[i] = -tabuTenure - 1
	}
	return ls
}

func (ls *localSearch) tabu(i int, to int32) bool {
	return ls.movedOff[i] == to && ls.sweep-ls.movedAt[i] <= tabuTenure
}

func (ls *localSearch) apply(i int, to int32) {
	ls.movedOff[i] = ls.s.assign[i]
	ls.movedAt[i] = ls.sweep
	ls.s.move(i, to)
	ls.moves++
}

// deltaViolation is the change in total violation if account i moved from
// its territory to territory to.
func (s *state) deltaViolation(i int, to int32) float64 {
	m := s.m
	from := s.assign[i]
	d := 0.0
	for r, w := range m.w {
		wi := w[i]
		if wi == 0 {
			continue
		}
		lf, lt := s.loads[r][from], s.loads[r][to]
		d += violation(lf-wi, m.lo[r][from], m.hi[r][from]) - violation(lf, m.lo[r][from], m.hi[r][from])
		d += violation(lt+wi, m.lo[r][to], m.hi[r][to]) - violation(lt, m.lo[r][to], m.hi[r][to])
	}
	return d
}

// repair drives the violation to zero. Each sweep moves every account to
// the candidate territory that best trades cost against violation
// (cost + penalty·Δviolation), never increasing the violation; the penalty
// doubles after every sweep that leaves a rule broken, so cheap boundary
// moves come first and dearer ones only when needed. Where no single move
// helps, ejection chains carry the excess through a sequence of
// territories to one with room.
//
// A sweep that moves nothing, and finds no move that would lower the
// violation but for its cost (which the next, doubled penalty could pay)
// or its tabu (which may expire), leaves a state every later sweep would
// find unchanged: the sweeps after it only count (penalty, idle sweeps,
// the sweep number the tabu list reads), as they would have, without
// their work. A million accounts whose office problem keeps a violation
// no move can lower spent 17 s of 86 in such sweeps.
func (ls *localSearch) repair(ctx context.Context, sweeps int, penalty float64) error {
	s := ls.s
	last, idle, penalty0 := math.Inf(1), 0, penalty
	stuck := false // the last sweep found nothing a later one could do
	for sweep := 0; sweep < sweeps; sweep++ {
		v := s.violation()
		if v == 0 {
			return nil
		}
		// Sweeps that no longer shrink the violation once the penalty has
		// outgrown every cost are not repeated for long: farther
		// candidates (see run) are the way on.
		if v > 0.99*last && penalty > 1024*penalty0 {
			if idle++; idle >= repairIdle {
				return nil
			}
		} else {
			idle = 0
		}
		last = v
		if err := ctx.Err(); err != nil {
			return err
		}
		ls.sweep++
		if stuck && !ls.everySweep {
			ls.skipped++
			penalty *= 2
			continue
		}
		moves := ls.moves
		waiting := false // a move that lowers the violation waits for a higher penalty or its tabu's end
		order := ls.order
		if ls.priced {
			order = ls.boundaryOrder()
		}
		for n, i := range order {
			if n%ctxStride == ctxStride-1 && ctx.Err() != nil {
				return ctx.Err()
			}
			from := s.assign[i]
			best, bestScore := int32(-1), -1e-12*penalty
			cost0 := s.repairCost(i, from)
			for _, k := range ls.targets(i) {
				if k == from || !s.canMove(i, k) {
					continue
				}
				dv := s.deltaViolation(i, k)
				if dv > 1e-12 || s.m.repairOnly && dv > -1e-12 {
					// A rebalance moves an account only to lower the
					// violation, never for its cost alone.
					continue
				}
				score := s.repairCost(i, k) - cost0 + float64(penalty*dv)
				if ls.tabu(i, k) {
					waiting = waiting || score < bestScore || dv < -1e-12
					continue
				}
				switch {
				case score < bestScore && (ls.contig == nil || ls.contig.canMove(i, k)):
					best, bestScore = k, score
				case score >= bestScore && dv < -1e-12:
					waiting = true
				}
			}
			if best >= 0 {
				ls.apply(i, best)
			}
		}
		if s.violation() > 0 && ls.priced {
			if _, err := ls.swapRepair(ctx, swapRounds); err != nil {
				return err
			}
		}
		if s.violation() > 0 {
			ls.chains()
		}
		if s.violation() > 0 {
			if err := newEjector(ls).run(ctx); err != nil {
				return err
			}
		}
		stuck = ls.moves == moves && !waiting
		penalty *= 2
	}
	return nil
}

// edge is the cheapest single move from one territory to another.
type edge struct {
	from, to int32
	acc      int
	cost     float64
}

// chains looks, for every rule broken in some territory, for a chain of
// moves a → b → … → z along the cheapest boundary moves, from an overfull
// territory to one with room (or from one with surplus to an underfull
// one), and applies it when it lowers the total violation.
func (ls *localSearch) chains() {
	s := ls.s
	m := s.m
	for r := range m.w {
		// The edges are found once per rule; a chain whose moves went stale
		// after an earlier chain is skipped.
		var edges []edge
		var adjs *edgeAdj
		hop := 0.0
		for k := 0; k < m.k; k++ {
			load := s.loads[r][k]
			over := load > m.hi[r][k]+1e-9
			if !over && load >= m.lo[r][k]-1e-9 {
				continue
			}
			if edges == nil {
				edges = ls.edges(r)
				adjs = newEdgeAdj(m.k, edges)
				hop = 1e-6 * s.costScale()
			}
			ls.chain(r, int32(k), over, edges, adjs, hop)
		}
	}
}

// chain runs one ejection chain for rule r at territory k: out of k when
// over is set, into k otherwise. Every hop of a chain costs hop on top of
// its move, so that of equally cheap chains the shortest wins.
func (ls *localSearch) chain(r int, k int32, over bool, edges []edge, adjs *edgeAdj, hop float64) {
	if !ls.fitHops {
		ls.chainTo(r, k, over, edges, adjs, hop, nil)
		return
	}
	// The last repair's chains: to the nearest end with room under every
	// rule, else the next, and again while they help.
	s := ls.s
	skip := make([]bool, s.m.k)
	for failed, made := 0, 0; failed < chainEnds && made < chainsMade; {
		if l := s.loads[r][k]; over && l <= s.m.hi[r][k]+1e-9 || !over && l >= s.m.lo[r][k]-1e-9 {
			return
		}
		end, ok := ls.chainTo(r, k, over, edges, adjs, hop, skip)
		switch {
		case end < 0:
			return
		case ok:
			made++
		default:
			skip[end] = true
			failed++
		}
	}
}

// chainEnds is how many ends, nearest first, the last repair's chains try
// (fitHops): the nearest territory with room under the chain's rule may
// have none under another (a pocket of territories full in count and
// revenue: 1,000 tidy territories of 1,000 accounts, one left 10 accounts
// over its count by its neighbours, the nearest end with room in count
// full in revenue).
const chainEnds = 8

// chainsMade bounds the chains the last repair makes for one territory
// and rule in one sweep.
const chainsMade = 256

// chainTo makes chain's chain to the nearest end not in skip (nil: none
// skipped). It returns that end (-1 when none is found) and whether the
// chain was made.
func (ls *localSearch) chainTo(r int, k int32, over bool, edges []edge, adjs *edgeAdj, hop float64, skip []bool) (int, bool) {
	s := ls.s
	m := s.m
	// Shortest paths over territories, from k along edges (over) or
	// against them (under), until the nearest territory (by chain cost)
	// with room for one more account (over) or one to spare (under) is
	// reached: Dijkstra with a heap ordered by distance, then territory,
	// so that of equally near ends the lowest is taken. Every hop costs
	// more than 0, so every territory at a distance is queued before the
	// first of them is taken.
	adj := adjs.in
	if over {
		adj = adjs.out
	}
	dist := make([]float64, m.k)
	via := make([]int, m.k) // index into edges of the last hop, -1 at k
	for t := range dist {
		dist[t] = math.Inf(1)
		via[t] = -1
	}
	dist[k] = 0
	eligible := func(t int) bool {
		if skip != nil && skip[t] {
			return false
		}
		if ls.fitHops && !ls.roomy(t, over) {
			return false
		}
		if over {
			return s.loads[r][t] < m.hi[r][t]-1e-9
		}
		return s.loads[r][t] > m.lo[r][t]+1e-9
	}
	q := &distHeap{{0, int(k)}}
	end := -1
	for q.Len() > 0 {
		it := heap.Pop(q).(distItem)
		u := it.t
		if it.d > dist[u] {
			continue // a stale entry
		}
		if u != int(k) && eligible(u) {
			end = u
			break
		}
		for _, e := range adj[u] {
			ed := edges[e]
			v := ed.to
			if !over {
				v = ed.from
			}
			if d := dist[u] + math.Max(ed.cost, 0) + hop; d < dist[v] {
				dist[v], via[v] = d, e
				heap.Push(q, distItem{d, int(v)})
			}
		}
	}
	if end < 0 {
		return -1, false
	}
	var path []edge
	for t := end; int32(t) != k; {
		ed := edges[via[t]]
		path = append(path, ed)
		if over {
			t = int(ed.from)
		} else {
			t = int(ed.to)
		}
	}
	for _, ed := range path {
		if s.assign[ed.acc] != ed.from && !ls.fitHops {
			return end, false
		}
	}
	before := s.violation()
	made := make([]edge, 0, len(path)) // the hops made, with the accounts they moved
	undo := func() {
		for _, ed := range slices.Backward(made) {
			s.move(ed.acc, ed.from)
		}
	}
	for _, ed := range path {
		if ls.fitHops && ls.contig != nil {
			ed.acc = ls.hopAccount(ed, r)
			if ed.acc < 0 {
				undo()
				return end, false
			}
		} else if ls.contig != nil && !ls.contig.canMove(ed.acc, ed.to) {
			undo()
			return end, false
		}
		s.move(ed.acc, ed.to)
		made = append(made, ed)
	}
	if s.violation() < before-1e-12 && s.withinMoves() {
		for _, ed := range made {
			ls.movedOff[ed.acc] = ed.from
			ls.movedAt[ed.acc] = ls.sweep
			ls.moves++
		}
		return end, true
	}
	undo()
	return end, false
}

// hopAccount picks the account a chain's hop moves from ed.from to ed.to
// in a region plan: of the hopReach accounts of ed.from nearest the hop's
// cheapest account along the graph (the edge's, found when the chain's
// edges were), those that touch ed.to and keep both territories
// connected, the one whose move leaves the least violation, then carries
// most of the chain's rule r (the room a hop leaves behind is what the hop
// before it, made next, can fill), then adds least to the cost; -1 when
// none may move. The edges are found for one rule, each the cheapest move
// between two territories whatever it weighs under the others; where
// every territory on the way sits at the top of its band under another
// rule too (a pocket of full territories around one over its count), the
// cheapest account tips each one over, and no chain helps. The hops are
// made from the end with room back to the territory the chain serves, so
// every territory has given its account when it receives one: the account
// that fits is the one to take.
func (ls *localSearch) hopAccount(ed edge, r int) int {
	s := ls.s
	best, bestDV, bestW, bestDC := -1, math.Inf(1), math.Inf(-1), math.Inf(1)
	// The search starts at the edge's account, or, where an earlier chain
	// moved it, at its neighbours left in ed.from.
	g := ls.contig.g
	seen := []int{ed.acc}
	if s.assign[ed.acc] != ed.from {
		seen = seen[:0]
		for _, x := range g.adj[ed.acc] {
			if s.assign[x] == ed.from {
				seen = append(seen, int(x))
			}
		}
	}
	try := func(i int) {
		if s.assign[i] != ed.from || !s.canMove(i, ed.to) {
			return
		}
		dv := s.deltaViolation(i, ed.to)
		if dv > bestDV+1e-12 {
			return
		}
		w := s.m.w[r][i]
		dc := s.repairCost(i, ed.to) - s.repairCost(i, ed.from)
		if dv >= bestDV-1e-12 && (w < bestW || w == bestW && (dc > bestDC || dc == bestDC && i > best)) {
			return
		}
		if !ls.contig.canMove(i, ed.to) {
			return
		}
		best, bestDV, bestW, bestDC = i, dv, w, dc
	}
	for q := 0; q < len(seen) && q < hopReach; q++ {
		i := seen[q]
		try(i)
		for _, x := range g.adj[i] {
			if j := int(x); len(seen) < hopReach && s.assign[j] == ed.from && !slices.Contains(seen, j) {
				seen = append(seen, j)
			}
		}
	}
	return best
}

// hopReach is how many accounts of a hop's territory, nearest its
// cheapest account along the graph, hopAccount looks through.
const hopReach = 256

// roomy reports whether territory t can take one more mean account under
// every rule (over), or give one (not over): an end of the last repair's
// chains (normalised weights: a mean account weighs 1).
func (ls *localSearch) roomy(t int, over bool) bool {
	s := ls.s
	for r := range s.m.w {
		lo, hi, l := s.m.lo[r][t], s.m.hi[r][t], s.loads[r][t]
		if over && !math.IsInf(hi, 1) && l+1 > hi || !over && !math.IsInf(lo, -1) && l-1 < lo {
			return false
		}
	}
	return true
}

// edgeAdj lists, for every territory, the edges out of it and into it
// (indices into the edges, in their order).
type edgeAdj struct {
	out, in [][]int
}

func newEdgeAdj(k int, edges []edge) *edgeAdj {
	a := &edgeAdj{out: make([][]int, k), in: make([][]int, k)}
	for e, ed := range edges {
		a.out[ed.from] = append(a.out[ed.from], e)
		a.in[ed.to] = append(a.in[ed.to], e)
	}
	return a
}

// distItem is a territory queued at a distance; distHeap orders them by
// distance, then territory.
type distItem struct {
	d float64
	t int
}

type distHeap []distItem

func (h distHeap) Len() int { return len(h) }
func (h distHeap) Less(i, j int) bool {
	if h[i].d != h[j].d {
		return h[i].d < h[j].d
	}
	return h[i].t < h[j].t
}
func (h distHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *distHeap) Push(x any)   { *h = append(*h, x.(distItem)) }
func (h *distHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	*h = old[:len(old)-1]
	return it
}

// edges finds, for every pair of territories, the cheapest move of an
// account carrying weight in rule r from the first to the second, among
// each account's candidates; listed in a deterministic order.
func (ls *localSearch) edges(r int) []edge {
	s := ls.s
	w := s.m.w[r]
	var out []edge
	at := newPairIndex(s.m.k)
	for i, from := range s.assign {
		if w[i] <= 0 || s.m.fixed(i) {
			continue
		}
		c0 := s.repairCost(i, from)
		for _, to := range ls.targets(i) {
			if to == from {
				continue
			}
			dc := s.repairCost(i, to) - c0
			key := int64(from)*int64(s.m.k) + int64(to)
			e, ok := at.get(key)
			if ok && dc >= out[e].cost {
				continue
			}
			if ls.contig != nil && !ls.contig.canMove(i, to) {
				continue
			}
			if ok {
				if dc < out[e].cost {
					out[e].acc, out[e].cost = i, dc
				}
				continue
			}
			at.set(key, len(out))
			out = append(out, edge{from: from, to: to, acc: i, cost: dc})
		}
	}
	return out
}

// pairIndex maps a pair of territories, as from·K+to, to an index: a
// dense table while K² is small, a map beyond.
type pairIndex struct {
	dense []int32
	m     map[int64]int
}

func newPairIndex(k int) *pairIndex {
	if k <= 2048 {
		d := make([]int32, k*k)
		for i := range d {
			d[i] = -1
		}
		return &pairIndex{dense: d}
	}
	return &pairIndex{m: make(map[int64]int)}
}

func (p *pairIndex) get(key int64) (int, bool) {
	if p.dense != nil {
		v := p.dense[key]
		return int(v), v >= 0
	}
	v, ok := p.m[key]
	return v, ok
}

func (p *pairIndex) set(key int64, v int) {
	if p.dense != nil {
		p.dense[key] = int32(v)
		return
	}
	p.m[key] = v
}

// improve lowers the objective without increasing the violation: sweeps
// of single moves, then swaps between pairs of territories of the moves
// that balance alone would block. It returns whether anything changed, or the context's error when it ends.
func (ls *localSearch) improve(ctx context.Context) (bool, error) {
	s := ls.s
	ls.sweep++
	changed := false
	type blocked struct {
		acc  int
		to   int32
		gain float64
	}
	byPair := make(map[int64][]blocked)
	var pairs []int64
	for n, i := range ls.order {
		if n%ctxStride == ctxStride-1 && ctx.Err() != nil {
			return changed, ctx.Err()
		}
		from := s.assign[i]
		cost0 := ls.improveCost(i, from)
		best, bestGain := int32(-1), float64(1e-12*(1+cost0))
		var blockedTo int32 = -1
		blockedGain := 0.0
		if s.m.fixed(i) {
			continue
		}
		for _, k := range ls.targets(i) {
			if k == from || ls.tabu(i, k) {
				continue
			}
			gain := cost0 - ls.improveCost(i, k)
			if gain <= bestGain && gain <= blockedGain {
				continue
			}
			if s.deltaViolation(i, k) > 1e-12 || !s.canMove(i, k) {
				if gain > blockedGain {
					blockedTo, blockedGain = k, gain
				}
				continue
			}
			if gain > bestGain && (ls.contig == nil || ls.contig.canMove(i, k)) {
				best, bestGain = k, gain
			}
		}
		if best >= 0 {
			ls.apply(i, best)
			changed = true
		} else if blockedTo >= 0 {
			key := int64(from)*int64(s.m.k) + int64(blockedTo)
			if _, ok := byPair[key]; !ok {
				pairs = append(pairs, key)
			}
			byPair[key] = append(byPair[key], blocked{i, blockedTo, blockedGain})
		}
	}
	// Swaps: an account that wants a→b with one that wants b→a.
	slices.Sort(pairs)
	k := int64(s.m.k)
	for _, key := range pairs {
		a, b := key/k, key%k
		if a > b {
			continue
		}
		ab, ba := byPair[key], byPair[b*k+a]
		if len(ab) == 0 || len(ba) == 0 {
			continue
		}
		byGain := func(x, y blocked) int { return cmp.Compare(y.gain, x.gain) }
		slices.SortStableFunc(ab, byGain)
		slices.SortStableFunc(ba, byGain)
		used := make(map[int]bool)
		for _, x := range ab[:min(len(ab), 32)] {
			if used[x.acc] || s.assign[x.acc] != int32(a) {
				continue
			}
			for _, y := range ba[:min(len(ba), 32)] {
				if used[y.acc] || s.assign[y.acc] != int32(b) {
					continue
				}
				if ls.trySwap(x.acc, y.acc) {
					used[x.acc], used[y.acc] = true, true
					changed = true
					break
				}
			}
		}
	}
	return changed, nil
}

// lastRepair is a region plan's last resort when its local search left a
// rule broken: a repair in random order whose moves may cross every edge
// of the graph, the long ones too. Balance comes before the shape of a
// boundary; every territory still stays connected.
func (ls *localSearch) lastRepair(ctx context.Context, b budget) error {
	s := ls.s
	if s.violation() == 0 || ls.contig == nil {
		return nil
	}
	priced, anyEdge := ls.priced, ls.anyEdge
	ls.priced, ls.anyEdge, ls.fitHops = false, true, true
	err := ls.repair(ctx, b.repairSweeps, s.costScale())
	ls.priced, ls.anyEdge, ls.fitHops = priced, anyEdge, false
	return err
}

// boundaryOrder lists the accounts that border another territory (across
// a short edge) by how little their move to the cheapest such territory
// adds to the priced cost, least first (ties by account). A repair sweep
// in this order moves a region's boundary as a price would, a strip at a
// time, rather than picking accounts at random along it, which
// interleaves neighbouring territories where the accounts are dense.
func (ls *localSearch) boundaryOrder() []int {
	s := ls.s
	type margin struct {
		d float64
		i int
	}
	var list []margin
	for i := range s.assign {
		if s.m.fixed(i) {
			continue
		}
		from := s.assign[i]
		c0, best := s.repairCost(i, from), math.Inf(1)
		for _, k := range ls.targets(i) {
			if k != from {
				best = math.Min(best, s.repairCost(i, k)-c0)
			}
		}
		if !math.IsInf(best, 1) {
			list = append(list, margin{best, i})
		}
	}
	slices.SortFunc(list, func(a, b margin) int {
		if c := cmp.Compare(a.d, b.d); c != 0 {
			return c
		}
		return a.i - b.i
	})
	out := make([]int, len(list))
	for j, x := range list {
		out[j] = x.i
	}
	return out
}

// improveCost is what the improvement lowers for account i in territory
// k: its cost, or its priced cost when ls.priced is set.
func (ls *localSearch) improveCost(i int, k int32) float64 {
	if ls.priced {
		return ls.s.repairCost(i, k)
	}
	return ls.s.costOf(i, k)
}

// trySwap exchanges the territories of accounts i and j when that lowers
// the cost without raising the violation.
func (ls *localSearch) trySwap(i, j int) bool {
	s := ls.s
	a, b := s.assign[i], s.assign[j]
	dc := ls.improveCost(i, b) + ls.improveCost(j, a) - ls.improveCost(i, a) - ls.improveCost(j, b)
	if dc >= float64(-1e-12*(1+math.Abs(s.costOf(i, a)))) {
		return false
	}
	before := s.violation()
	if ls.contig != nil && !ls.contig.canMove(i, b) {
		return false
	}
	s.move(i, b)
	if ls.contig != nil && !ls.contig.canMove(j, a) {
		s.move(i, a)
		return false
	}
	s.move(j, a)
	if s.violation() > before+1e-12 || !s.withinMoves() {
		s.move(j, b)
		s.move(i, a)
		return false
	}
	ls.movedOff[i], ls.movedAt[i] = a, ls.sweep
	ls.movedOff[j], ls.movedAt[j] = b, ls.sweep
	ls.moves += 2
	return true
}
