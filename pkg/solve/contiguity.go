package solve

import (
	"math"
	"slices"

	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// graph is the adjacency of the accounts that contiguity is measured on:
// [spatial.ProximityGraph], the problem's own adjacency (polygon units
// sharing a boundary) or, for points, the Delaunay triangulation of the
// accounts, made connected: an island joins the territory that holds its
// nearest neighbour across the water.
type graph struct {
	adj [][]int32
	// points marks the triangulation of point accounts (not polygon units'
	// shared boundaries).
	points bool
	// near lists, for every account, its neighbours across a short edge:
	// for point accounts, the edges at most nearReach times the longer of
	// the two accounts' shortest edges; for polygon units, every edge.
	// The local search moves accounts only across these: a long edge of
	// the triangulation spans an empty stretch (a lake, a desert, the
	// outside of the data), and an account that crossed it would stretch
	// its new territory over its neighbours.
	near [][]int32
}

// nearReach is how many times its accounts' shortest edges an edge of the
// triangulation may be long for a move across it.
const nearReach = 4

func newGraph(p *territory.Problem, m *model) *graph {
	g := &graph{adj: spatial.ProximityGraph(p.Space, p.Accounts.Locs, p.Adjacency)}
	g.near = g.adj
	if p.Adjacency == nil {
		g.near = g.shortEdges(m)
		g.points = true
	}
	return g
}

// shortEdges returns, for every account, its neighbours across edges at
// most nearReach times the longer of the two accounts' shortest edges of
// positive length (see graph.near).
func (g *graph) shortEdges(m *model) [][]int32 {
	shortest := make([]float64, len(g.adj))
	for i, nb := range g.adj {
		shortest[i] = math.Inf(1)
		for _, j := range nb {
			if d := spatial.Dist2(m.pts[i], m.pts[j]); d > 0 && d < shortest[i] {
				shortest[i] = d
			}
		}
	}
	near := make([][]int32, len(g.adj))
	for i, nb := range g.adj {
		for _, j := range nb {
			limit := math.Max(shortest[i], shortest[j])
			if math.IsInf(limit, 1) || spatial.Dist2(m.pts[i], m.pts[j]) <= nearReach*nearReach*limit {
				near[i] = append(near[i], j)
			}
		}
	}
	return near
}

// contiguity keeps territories connected in the graph.
type contiguity struct {
	g *graph
	s *state
	// Scratch for the searches, stamped so that they need no clearing.
	mark  []int32
	stamp int32
	// connectedWithout's searches: the search that reached each account
	// (valid where mark holds the stamp), each search's queue and next
	// account, and which search each has joined.
	group  []int32
	queues [][]int32
	heads  []int
	parent []int32
}

func newContiguity(g *graph, s *state) *contiguity {
	return &contiguity{g: g, s: s, mark: make([]int32, len(g.adj))}
}

// canMove reports whether account i may move to territory to without
// breaking contiguity: it touches to (or to is empty), and its own
// territory stays connected without it.
func (c *contiguity) canMove(i int, to int32) bool {
	s := c.s
	from := s.assign[i]
	touches := s.sizes[to] == 0
	var inFrom []int32
	for _, j := range c.g.adj[i] {
		switch s.assign[j] {
		case to:
			touches = true
		case from:
			inFrom = append(inFrom, j)
		}
	}
	if !touches {
		return false
	}
	if len(inFrom) <= 1 {
		// A leaf (or the last account) leaves the rest connected; an
		// account with no neighbour in its territory is a piece of its own.
		return len(inFrom) == 1 || s.sizes[from] == 1
	}
	if c.linked(inFrom) {
		return true
	}
	return c.connectedWithout(i, from, inFrom)
}

// linked reports whether the accounts nb (neighbours of one account) are
// connected by the edges among themselves alone: then they stay connected
// when the account between them leaves, and no search of the territory is
// needed. Most accounts on a boundary pass this test; the others (an
// account that joins two arms of its territory) are searched.
func (c *contiguity) linked(nb []int32) bool {
	if len(nb) > 16 {
		return false
	}
	var reached uint32 = 1 // bit j: nb[j] is reached from nb[0]
	for grew := true; grew; {
		grew = false
		for a := range nb {
			if reached&(1<<a) == 0 {
				continue
			}
			for _, v := range c.g.adj[nb[a]] {
				for b := range nb {
					if reached&(1<<b) == 0 && nb[b] == v {
						reached |= 1 << b
						grew = true
					}
				}
			}
		}
	}
	return reached == 1<<len(nb)-1
}

// connectedWithout reports whether the neighbours targets of account i in
// territory t stay connected to each other inside t once i has left it.
// It searches from every target at once, one account from each search in
// turn, and joins two searches when they meet: the targets are connected
// when one search is left, and not when a search runs out of accounts
// before meeting the others. A move that would cut a territory in two
// then costs a search of the smaller side (often a handful of accounts
// beyond the move), not of the whole territory, which a search from one
// target would cover before it could answer no (in a territory of 200,000
// accounts, 30 s of a 45 s solve). The answer is the same either way.
func (c *contiguity) connectedWithout(i int, t int32, targets []int32) bool {
	s := c.s
	c.stamp++
	if c.stamp == 0 { // wrapped: clear and start again
		clear(c.mark)
		c.stamp = 1
	}
	if c.group == nil {
		c.group = make([]int32, len(c.mark))
	}
	nt := len(targets)
	c.mark[i] = c.stamp // i is gone
	c.group[i] = -1
	c.parent, c.heads = c.parent[:0], c.heads[:0]
	for len(c.queues) < nt {
		c.queues = append(c.queues, nil)
	}
	for j, v := range targets {
		c.parent = append(c.parent, int32(j))
		c.heads = append(c.heads, 0)
		c.queues[j] = append(c.queues[j][:0], v)
		c.mark[v] = c.stamp
		c.group[v] = int32(j)
	}
	find := func(j int32) int32 {
		for c.parent[j] != j {
			c.parent[j] = c.parent[c.parent[j]]
			j = c.parent[j]
		}
		return j
	}
	searches := nt
	for searches > 1 {
		for j := int32(0); j < int32(nt); j++ {
			if c.parent[j] != j {
				continue // joined another search, which carries on its queue
			}
			if c.heads[j] == len(c.queues[j]) {
				return false // all of this side seen, and no other target
			}
			u := c.queues[j][c.heads[j]]
			c.heads[j]++
			for _, v := range c.g.adj[u] {
				if s.assign[v] != t {
					continue
				}
				if c.mark[v] != c.stamp {
					c.mark[v] = c.stamp
					c.group[v] = j
					c.queues[j] = append(c.queues[j], v)
					continue
				}
				g := c.group[v]
				if g < 0 {
					continue // i
				}
				if r := find(g); r != j {
					c.parent[r] = j
					c.queues[j] = append(c.queues[j], c.queues[r][c.heads[r]:]...)
					searches--
					if searches == 1 {
						return true
					}
				}
			}
		}
	}
	return true
}

// pieces returns, for territory t, its connected pieces (each a list of
// accounts), largest first.
func (c *contiguity) pieces(t int32, members []int) [][]int {
	s := c.s
	c.stamp++
	if c.stamp == 0 {
		clear(c.mark)
		c.stamp = 1
	}
	var out [][]int
	for _, start := range members {
		if c.mark[start] == c.stamp {
			continue
		}
		piece := []int{start}
		c.mark[start] = c.stamp
		for head := 0; head < len(piece); head++ {
			for _, v := range c.g.adj[piece[head]] {
				if c.mark[v] != c.stamp && s.assign[v] == t {
					c.mark[v] = c.stamp
					piece = append(piece, int(v))
				}
			}
		}
		out = append(out, piece)
	}
	slices.SortStableFunc(out, func(a, b []int) int { return len(b) - len(a) })
	return out
}

// makeContiguous gives every territory a single piece: the pieces other
// than the largest join the neighbouring territory that costs least, one
// account at a time from the piece's edge inward, until no territory is in
// more than one piece. Locked accounts stay, and no move passes a cap on
// moves, so a territory whose locked accounts lie apart, or whose pieces
// the cap leaves no moves for, may stay in pieces.
func (c *contiguity) makeContiguous() {
	s := c.s
	for round := 0; round < 2*s.m.n+1; round++ {
		moved := false
		members := s.members()
		for t := range members {
			ps := c.pieces(int32(t), members[t])
			if len(ps) < 2 {
				continue // empty, or one piece already
			}
			for _, piece := range ps[1:] {
				for _, i := range piece {
					if s.m.fixed(i) || s.assign[i] != int32(t) {
						continue
					}
					best, bestCost := int32(-1), 0.0
					for _, j := range c.g.adj[i] {
						to := s.assign[j]
						if to == int32(t) || !s.canMove(i, to) {
							continue
						}
						if cost := s.costOf(i, to); best < 0 || cost < bestCost || (cost == bestCost && to < best) {
							best, bestCost = to, cost
						}
					}
					if best >= 0 {
						s.move(i, best)
						moved = true
					}
				}
			}
		}
		if !moved {
			return
		}
	}
}

// connected reports whether every territory is one piece.
func (c *contiguity) connected() bool {
	members := c.s.members()
	for t := range members {
		if len(members[t]) > 0 && len(c.pieces(int32(t), members[t])) > 1 {
			return false
		}
	}
	return true
}
