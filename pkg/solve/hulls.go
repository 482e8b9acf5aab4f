package solve

import (
	"cmp"
	"context"
	"math"
	"slices"

	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// The last pass of a region plan of point accounts: it takes accounts out
// of the convex hulls of other territories. A plan balanced on two
// measures (count and revenue) cannot be a power diagram, whose convex
// cells balance one: the search trades single accounts across the
// boundaries to meet the second, a whale here for a few small accounts
// there, and each trade leaves a spike of one territory's hull over its
// neighbour. A user sees these as accounts inside another rep's area
// (report.Shape counts them, issue 14 bounds them at 2%). The pass moves
// the accounts that sit inside another hull and the corners that make a
// hull reach over its neighbour, each alone where the bands allow it, or
// with a partner move that mends the bands (see try); every move keeps
// every rule at least as well met, every territory connected, and the
// plan's cost within hullCostSlack of where the pass began. A context
// that ends stops it between moves, with a complete plan.

const (
	// The most accounts the pass takes on at each effort: every candidate
	// move recomputes two hulls and the accounts under them, so its time
	// grows with the accounts inside other hulls times the territories'
	// size. Measured on the example's 100,000 x 100 (whales, shared
	// offices): at 3% it takes 1.9% of the accounts inside another hull to
	// 0.18% in 14 s more, at 2% 4.8% to 0.9% in 27 s more; at 20,000 x 40
	// the pass takes 3 s.
	hullMostQuick    = 5000
	hullMostNormal   = 20000
	hullMostThorough = 250000
	// hullCostSlack is how much the pass may raise the plan's cost, as a
	// share of the cost it begins with.
	hullCostSlack = 0.02
	// hullRounds bounds the rounds over all candidate moves; a round that
	// improves nothing ends the pass.
	hullRounds = 20
	// hullPartners is how many partner moves a move that breaks a band
	// is tried with, the cheapest first.
	hullPartners = 8
)

// hullPass holds the hull of every territory and, for every account, how
// many hulls of other territories hold it.
type hullPass struct {
	s      *state
	contig *contiguity
	proj   []territory.Point
	mem    [][]int32 // the accounts of every territory
	pos    []int32   // where each account sits in its territory's mem
	hulls  []spatial.Hull
	cnt    []int32 // hulls of other territories that hold each account
	inside int     // accounts with cnt > 0
	// overlap[t][u] is the area the hulls of t and u share (t < u), and
	// overlapSum their total: where no account lies inside another hull
	// yet, a move that shrinks it is a step towards one that takes one out.
	overlap      [][]float64
	overlapSum   float64
	clipA, clipB []territory.Point
	capBuf       []territory.Point
	// moved marks the accounts a round has swapped: a swap that leaves
	// the count as it was (a step along a plateau) takes none of them.
	moved []bool
	// A uniform grid of the accounts, to find those under a hull's box.
	minX, minY, cellW, cellH float64
	nx, ny                   int
	cellStart                []int32 // cell c holds cellAcc[cellStart[c]:cellStart[c+1]]
	cellAcc                  []int32
	ptsBuf                   []territory.Point
}

// hullRepair runs the pass on s (see the top of this file), when it has
// at most most accounts, and tells progress (when set) the share of its
// rounds made. It returns how many accounts it moved.
func (s *state) hullRepair(ctx context.Context, g *graph, most int, progress func(float64)) int {
	m := s.m
	if m.n > most || m.n < 4 || m.k < 2 {
		return 0
	}
	h := newHullPass(s, g)
	if h.inside == 0 {
		return 0
	}
	budget := hullCostSlack * s.objective()
	if !(budget > 0) {
		return 0
	}
	spent, moves := 0.0, 0
	for round := 0; round < hullRounds && h.inside > 0; round++ {
		if ctx.Err() != nil {
			break
		}
		improved := false
		clear(h.moved)
		cands := h.candidates()
		for j, c := range cands {
			if h.inside == 0 {
				break
			}
			if j%64 == 0 {
				if ctx.Err() != nil {
					break
				}
				if progress != nil {
					progress((float64(round) + float64(j)/float64(len(cands))) / hullRounds)
				}
			}
			if d, n := h.try(c.i, c.to, budget-spent); n > 0 {
				spent += d
				moves += n
				improved = true
			}
		}
		if !improved {
			break
		}
	}
	if moves > 0 {
		// The loads afresh, without the rounding of the moves tried and
		// taken back.
		s.recount()
		if m.homes == nil {
			s.updateCentres()
		}
	}
	return moves
}

func newHullPass(s *state, g *graph) *hullPass {
	m := s.m
	h := &hullPass{
		s:      s,
		contig: newContiguity(g, s),
		proj:   spatial.Project(m.space, m.locs),
		mem:    make([][]int32, m.k),
		pos:    make([]int32, m.n),
		hulls:  make([]spatial.Hull, m.k),
		cnt:    make([]int32, m.n),
		moved:  make([]bool, m.n),
	}
	h.overlap = make([][]float64, m.k)
	for t := range h.overlap {
		h.overlap[t] = make([]float64, m.k)
	}
	for i, t := range s.assign {
		h.pos[i] = int32(len(h.mem[t]))
		h.mem[t] = append(h.mem[t], int32(i))
	}
	h.buildGrid()
	for t := range h.hulls {
		h.setHull(int32(t), h.hullOf(int32(t)))
	}
	return h
}

// buildGrid puts the accounts in a uniform grid of about four per cell.
func (h *hullPass) buildGrid() {
	h.minX, h.minY = math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	for _, p := range h.proj {
		h.minX, maxX = min(h.minX, p.X), max(maxX, p.X)
		h.minY, maxY = min(h.minY, p.Y), max(maxY, p.Y)
	}
	w, ht := max(maxX-h.minX, 1e-9), max(maxY-h.minY, 1e-9)
	cells := float64(len(h.proj)) / 4
	h.nx = min(1024, max(1, int(math.Ceil(math.Sqrt(cells*w/ht)))))
	h.ny = min(1024, max(1, int(math.Ceil(cells/float64(h.nx)))))
	h.cellW, h.cellH = w/float64(h.nx), ht/float64(h.ny)
	h.cellStart = make([]int32, h.nx*h.ny+1)
	cell := make([]int32, len(h.proj))
	for i, p := range h.proj {
		c := int32(h.row(p.Y)*h.nx + h.col(p.X))
		cell[i] = c
		h.cellStart[c+1]++
	}
	for c := range h.nx * h.ny {
		h.cellStart[c+1] += h.cellStart[c]
	}
	h.cellAcc = make([]int32, len(h.proj))
	next := slices.Clone(h.cellStart[:h.nx*h.ny])
	for i, c := range cell {
		h.cellAcc[next[c]] = int32(i)
		next[c]++
	}
}

func (h *hullPass) col(x float64) int { return min(h.nx-1, max(0, int((x-h.minX)/h.cellW))) }
func (h *hullPass) row(y float64) int { return min(h.ny-1, max(0, int((y-h.minY)/h.cellH))) }

// hullOf computes the hull of territory t's accounts.
func (h *hullPass) hullOf(t int32) spatial.Hull {
	h.ptsBuf = h.ptsBuf[:0]
	for _, i := range h.mem[t] {
		h.ptsBuf = append(h.ptsBuf, h.proj[i])
	}
	return spatial.NewHull(h.ptsBuf)
}

// setHull makes nh territory t's hull, recounting the accounts of other
// territories in the region where it differs from the old one (see
// changedCap).
func (h *hullPass) setHull(t int32, nh spatial.Hull) {
	old := h.hulls[t]
	cap, changed := h.changedCap(&old, &nh)
	if !changed {
		return
	}
	h.hulls[t] = nh
	h.setOverlaps(t)
	assign := h.s.assign
	for y := h.row(cap.MinY); y <= h.row(cap.MaxY); y++ {
		for x := h.col(cap.MinX); x <= h.col(cap.MaxX); x++ {
			c := y*h.nx + x
			for _, i := range h.cellAcc[h.cellStart[c]:h.cellStart[c+1]] {
				if assign[i] == t {
					continue
				}
				q := h.proj[i]
				if !cap.holds(q) {
					continue
				}
				was := old.Corners != nil && old.Contains(q)
				is := nh.Corners != nil && nh.Contains(q)
				if was != is {
					h.count(int(i), is)
				}
			}
		}
	}
}

// hullCap is a region that holds every point where two hulls differ: a
// convex polygon with its box, or the box alone (no corners) when one of
// the hulls has no area.
type hullCap struct{ spatial.Hull }

// holds reports whether q lies in the cap or on its boundary.
func (c *hullCap) holds(q territory.Point) bool {
	if q.X < c.MinX || q.X > c.MaxX || q.Y < c.MinY || q.Y > c.MaxY {
		return false
	}
	k := c.Corners
	for j := range k {
		if spatial.Orient(k[j], k[(j+1)%len(k)], q) < 0 {
			return false
		}
	}
	return true
}

// changedCap returns a region that holds every point inside one of the
// hulls a and b and not the other, where one holds the other (a hull
// before and after an account joined or left): the hull of the corners
// that only one of them has, with their neighbours on its ring. changed
// is false when the hulls are the same.
func (h *hullPass) changedCap(a, b *spatial.Hull) (c hullCap, changed bool) {
	switch {
	case a.Corners == nil && b.Corners == nil:
		return c, false
	case a.Corners == nil:
		return hullCap{spatial.Hull{MinX: b.MinX, MinY: b.MinY, MaxX: b.MaxX, MaxY: b.MaxY}}, true
	case b.Corners == nil:
		return hullCap{spatial.Hull{MinX: a.MinX, MinY: a.MinY, MaxX: a.MaxX, MaxY: a.MaxY}}, true
	}
	pts := h.capBuf[:0]
	for _, pair := range [2][2]*spatial.Hull{{a, b}, {b, a}} {
		ring, other := pair[0].Corners, pair[1].Corners
		for j, p := range ring {
			if slices.Contains(other, p) {
				continue
			}
			pts = append(pts, p, ring[(j+len(ring)-1)%len(ring)], ring[(j+1)%len(ring)])
		}
	}
	h.capBuf = pts
	if len(pts) == 0 {
		return c, false
	}
	if c.Hull = spatial.NewHull(pts); c.Corners == nil {
		// The points lie on a line: their box holds them.
		c.MinX, c.MinY, c.MaxX, c.MaxY = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
		for _, p := range pts {
			c.MinX, c.MaxX = min(c.MinX, p.X), max(c.MaxX, p.X)
			c.MinY, c.MaxY = min(c.MinY, p.Y), max(c.MaxY, p.Y)
		}
	}
	return c, true
}

// shrunk returns the hull of territory t's accounts after the account at
// q, on its hull, has left it: only accounts in the triangle of q and its
// neighbouring corners can become corners.
func (h *hullPass) shrunk(t int32, q territory.Point) spatial.Hull {
	hl := h.hulls[t]
	c := hl.Corners
	at := slices.Index(c, q)
	switch {
	case c == nil:
		return h.hullOf(t)
	case at < 0:
		return hl // q lay on an edge: the hull stays
	}
	prev, next := c[(at+len(c)-1)%len(c)], c[(at+1)%len(c)]
	pts := h.ptsBuf[:0]
	for j, p := range c {
		if j != at {
			pts = append(pts, p)
		}
	}
	minX, maxX := min(prev.X, q.X, next.X), max(prev.X, q.X, next.X)
	minY, maxY := min(prev.Y, q.Y, next.Y), max(prev.Y, q.Y, next.Y)
	assign := h.s.assign
	for y := h.row(minY); y <= h.row(maxY); y++ {
		for x := h.col(minX); x <= h.col(maxX); x++ {
			cell := y*h.nx + x
			for _, i := range h.cellAcc[h.cellStart[cell]:h.cellStart[cell+1]] {
				p := h.proj[i]
				if assign[i] != t || p.X < minX || p.X > maxX || p.Y < minY || p.Y > maxY {
					continue
				}
				// In the triangle or on its edges (the corners are
				// counter-clockwise, so is the triangle).
				if spatial.Orient(prev, q, p) >= 0 && spatial.Orient(q, next, p) >= 0 && spatial.Orient(next, prev, p) >= 0 {
					pts = append(pts, p)
				}
			}
		}
	}
	h.ptsBuf = pts
	return spatial.NewHull(pts)
}

// setOverlaps recomputes the areas territory t's hull shares with the
// others.
func (h *hullPass) setOverlaps(t int32) {
	a := &h.hulls[t]
	for u := range h.hulls {
		if int32(u) == t {
			continue
		}
		lo, hi := min(int(t), u), max(int(t), u)
		h.overlapSum -= h.overlap[lo][hi]
		h.overlap[lo][hi] = h.sharedArea(a, &h.hulls[u])
		h.overlapSum += h.overlap[lo][hi]
	}
}

// sharedArea is the area of the intersection of two hulls: a clipped by
// every edge of b (Sutherland and Hodgman), both counter-clockwise.
func (h *hullPass) sharedArea(a, b *spatial.Hull) float64 {
	if a.Corners == nil || b.Corners == nil ||
		a.MaxX <= b.MinX || b.MaxX <= a.MinX || a.MaxY <= b.MinY || b.MaxY <= a.MinY {
		return 0
	}
	poly := append(h.clipA[:0], a.Corners...)
	out := h.clipB[:0]
	m := len(b.Corners)
	for e := range m {
		p, q := b.Corners[e], b.Corners[(e+1)%m]
		side := func(r territory.Point) float64 { return (q.X-p.X)*(r.Y-p.Y) - (q.Y-p.Y)*(r.X-p.X) }
		out = out[:0]
		for v := range poly {
			c, d := poly[v], poly[(v+1)%len(poly)]
			sc, sd := side(c), side(d)
			if sc >= 0 {
				out = append(out, c)
			}
			if (sc >= 0) != (sd >= 0) {
				f := sc / (sc - sd)
				out = append(out, territory.Point{X: c.X + f*(d.X-c.X), Y: c.Y + f*(d.Y-c.Y)})
			}
		}
		poly, out = out, poly
		if len(poly) < 3 {
			h.clipA, h.clipB = poly, out
			return 0
		}
	}
	area := 0.0
	for v := range poly {
		c, d := poly[v], poly[(v+1)%len(poly)]
		area += c.X*d.Y - d.X*c.Y
	}
	h.clipA, h.clipB = poly, out
	return max(0, area/2)
}

// count adds (in) or takes away one hull holding account i.
func (h *hullPass) count(i int, in bool) {
	if in {
		if h.cnt[i] == 0 {
			h.inside++
		}
		h.cnt[i]++
		return
	}
	h.cnt[i]--
	if h.cnt[i] == 0 {
		h.inside--
	}
}

// move puts account i into territory to, with the hulls and counts.
func (h *hullPass) move(i int, to int32) {
	s := h.s
	from := s.assign[i]
	q := h.proj[i]
	// i now counts under from's hull and no longer under to's.
	inFrom, inTo := h.hulls[from].Contains(q), h.hulls[to].Contains(q)
	if inFrom != inTo {
		h.count(i, inFrom)
	}
	s.move(i, to)
	last := h.mem[from][len(h.mem[from])-1]
	h.mem[from][h.pos[i]] = last
	h.pos[last] = h.pos[i]
	h.mem[from] = h.mem[from][:len(h.mem[from])-1]
	h.pos[i] = int32(len(h.mem[to]))
	h.mem[to] = append(h.mem[to], int32(i))
	if !inFrom {
		// i was on from's hull: from may shrink.
		h.setHull(from, h.shrunk(from, q))
	}
	if !inTo {
		// i lies on or outside to's hull, which grows to the hull of its
		// corners and i (the same as that of all its accounts).
		if h.hulls[to].Corners == nil {
			h.setHull(to, h.hullOf(to))
		} else {
			h.ptsBuf = append(h.ptsBuf[:0], h.hulls[to].Corners...)
			h.ptsBuf = append(h.ptsBuf, q)
			h.setHull(to, spatial.NewHull(h.ptsBuf))
		}
	}
}

// hullMove is a candidate move of account i into territory to.
type hullMove struct {
	i  int
	to int32
}

// candidates lists the moves worth trying, in account order: every
// account inside another territory's hull into a territory whose hull
// holds it, and every corner of a hull that holds accounts of another
// territory into a neighbouring territory.
func (h *hullPass) candidates() []hullMove {
	s := h.s
	var out []hullMove
	holders := make([]bool, s.m.k) // hulls that hold an account of another territory
	for i, c := range h.cnt {
		if c == 0 {
			continue
		}
		q := h.proj[i]
		for t := range h.hulls {
			if int32(t) != s.assign[i] && h.hulls[t].Contains(q) {
				holders[t] = true
				out = append(out, hullMove{i, int32(t)})
			}
		}
	}
	for t, hl := range h.hulls {
		if !holders[t] {
			continue
		}
		for _, i := range h.mem[t] {
			if !h.onHull(int(i), hl) {
				continue
			}
			for _, u := range h.neighbourTerritories(int(i)) {
				out = append(out, hullMove{int(i), u})
			}
		}
	}
	slices.SortFunc(out, func(a, b hullMove) int {
		if a.i != b.i {
			return a.i - b.i
		}
		return int(a.to - b.to)
	})
	return slices.Compact(out)
}

// onHull reports whether account i lies on a corner of hull hl.
func (h *hullPass) onHull(i int, hl spatial.Hull) bool {
	return slices.Contains(hl.Corners, h.proj[i])
}

// neighbourTerritories lists the other territories account i touches in
// the graph, in increasing order.
func (h *hullPass) neighbourTerritories(i int) []int32 {
	s := h.s
	var out []int32
	for _, j := range h.contig.g.adj[i] {
		if u := s.assign[j]; u != s.assign[i] && !slices.Contains(out, u) {
			out = append(out, u)
		}
	}
	slices.Sort(out)
	return out
}

// breach is how far territories a and b lie outside their bands, over
// every rule.
func (h *hullPass) breach(a, b int32) float64 {
	return h.breachOf(a) + h.breachOf(b)
}

// breachOf is how far territory t lies outside its bands, over every rule.
func (h *hullPass) breachOf(t int32) float64 {
	s, m := h.s, h.s.m
	v := 0.0
	for r := range s.loads {
		v += violation(s.loads[r][t], m.lo[r][t], m.hi[r][t])
	}
	return v
}

// movable reports whether account i may move into territory to: it is
// not fixed, the cap on moved accounts holds, and both territories stay
// connected.
func (h *hullPass) movable(i int, to int32) bool {
	s := h.s
	if s.assign[i] == to || s.m.fixed(i) {
		return false
	}
	if s.m.maxMoves >= 0 && s.m.owner != nil && s.moved+s.m.moveDelta(i, s.assign[i], to) > s.m.maxMoves {
		return false
	}
	return h.contig.canMove(i, to)
}

// try makes move i → to if it takes accounts out of other hulls, alone
// or with a partner move that keeps the bands: an account of to into a
// territory it touches (from among them), or an account of a neighbour of
// from into from. It returns the cost the moves added and how many
// accounts moved (0 when it made none), within the cost budget left.
func (h *hullPass) try(i int, to int32, left float64) (float64, int) {
	s := h.s
	from := s.assign[i]
	if from == to || !h.movable(i, to) {
		return 0, 0
	}
	const eps = 1e-12
	before, overlap := h.inside, h.overlapSum
	breach := h.breach(from, to) // before the move: what the moves must not exceed
	dc := s.costOf(i, to) - s.costOf(i, from)
	h.move(i, to)
	if h.breach(from, to) <= breach+eps && h.better(before, overlap, dc, left) {
		return dc, 1
	}
	best, bestInside, bestOverlap, bestCost := hullMove{i: -1}, before, overlap, math.Inf(1)
	walk, walkCost := hullMove{i: -1}, 0.0
	tried := 0
	for _, p := range h.partners(i, from, to) {
		if tried == hullPartners || dc+p.cost > left {
			break
		}
		src := s.assign[p.i]
		// The third territory's breach is what it was before i moved.
		third := src
		if third == to {
			third = p.to
		}
		limit := breach
		if third != from && third != to {
			limit += h.breachOf(third)
		}
		if h.loadsBreach(p.i, p.to, from, to, third) > limit+eps || !h.movable(p.i, p.to) {
			continue
		}
		tried++
		h.move(p.i, p.to)
		if h.improves(bestInside, bestOverlap, bestCost, dc+p.cost) {
			best, bestInside, bestOverlap, bestCost = p.hullMove, h.inside, h.overlapSum, dc+p.cost
		} else if best.i < 0 && walk.i < 0 && h.inside == before && !h.moved[i] && !h.moved[p.i] {
			walk, walkCost = p.hullMove, dc+p.cost
		}
		h.move(p.i, src)
	}
	if best.i < 0 && walk.i >= 0 {
		best, bestCost = walk, walkCost
	}
	if best.i >= 0 {
		h.move(best.i, best.to)
		h.moved[i], h.moved[best.i] = true, true
		return bestCost, 2
	}
	h.move(i, from)
	return 0, 0
}

// pricedMove is a partner move with what it adds to the cost.
type pricedMove struct {
	hullMove
	cost float64
}

// partners lists the partner moves for a move of account i from from to
// to (made already), cheapest first (then by account and territory): every
// account of to that touches another territory, into it, and every
// account of a third territory that touches from, into from.
func (h *hullPass) partners(i int, from, to int32) []pricedMove {
	s := h.s
	adj := h.contig.g.adj
	var ps []pricedMove
	add := func(j int, dst int32) {
		ps = append(ps, pricedMove{hullMove{j, dst}, s.costOf(j, dst) - s.costOf(j, s.assign[j])})
	}
	for _, j := range h.mem[to] {
		if int(j) == i || s.m.fixed(int(j)) {
			continue
		}
		for _, k := range adj[j] {
			if u := s.assign[k]; u != to {
				add(int(j), u)
			}
		}
	}
	for _, a := range h.mem[from] {
		for _, k := range adj[a] {
			if u := s.assign[k]; u != from && u != to && !s.m.fixed(int(k)) {
				add(int(k), from)
			}
		}
	}
	slices.SortFunc(ps, func(a, b pricedMove) int {
		if c := cmp.Compare(a.cost, b.cost); c != 0 {
			return c
		}
		if a.i != b.i {
			return a.i - b.i
		}
		return int(a.to - b.to)
	})
	return slices.CompactFunc(ps, func(a, b pricedMove) bool { return a.hullMove == b.hullMove })
}

// better reports whether the plan as it stands, reached at added cost dc
// from one with inside accounts in other hulls and overlap area shared,
// is better (see improves) and within the budget left.
func (h *hullPass) better(inside int, overlap, dc, left float64) bool {
	return dc <= left && h.improves(inside, overlap, math.Inf(1), dc)
}

// improves compares the plan as it stands, at added cost dc, with one of
// inside accounts in other hulls, overlap area shared and added cost
// cost: fewer accounts inside another hull, else less area shared (by
// more than rounding), else no more area and a lower cost. A plan with
// none of these is no step; cost Inf stands for the plan the pass is
// at, which only a lower cost than now (dc < 0) improves on.
func (h *hullPass) improves(inside int, overlap, cost, dc float64) bool {
	const tiny = 1e-9
	switch {
	case h.inside != inside:
		return h.inside < inside
	case h.overlapSum < overlap-tiny*max(1, overlap):
		return true
	case h.overlapSum > overlap+tiny*max(1, overlap):
		return false
	}
	return dc < min(cost, 0)
}

// loadsBreach is how far territories a, b and c (any of them the same)
// would lie outside their bands were account j moved into territory dst:
// a check on the loads alone, before the hulls are touched.
func (h *hullPass) loadsBreach(j int, dst, a, b, c int32) float64 {
	s := h.s
	src := s.assign[j]
	s.move(j, dst)
	v := h.breach(a, b)
	if c != a && c != b {
		v += h.breachOf(c)
	}
	s.move(j, src)
	return v
}
