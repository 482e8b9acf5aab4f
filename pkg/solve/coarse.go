package solve

import (
	"context"

	"github.com/territory-optimizer/territory/pkg/spatial"
)

// A multilevel start for the prices. From prices at zero, Newton's method
// (newton.go) spends its first temperature carrying weight from where the
// accounts are dense to where the reps are: with a few hundred thousand
// accounts that is dozens of passes over all of them. The prices that do
// it are a property of the map at a coarse scale, so they are found on a
// coarse problem first: the accounts grouped by tens (subtrees of the
// accounts' k-d tree), each group one account located at its members'
// mean and weighing their sum. With squared distances a group's cost at a
// centre is exactly its size times the cost of its mean, plus a constant
// that does not depend on the centre, so its cost carries the size as a
// factor (model.mult). The coarse problem gets its prices the same way,
// from a coarser one while it is large. The prices are normalised alike on
// every level (the weights by the same mean account, the bands the same),
// so the coarse prices start the fine solve as they are; the fine solve
// then only corrects the edges.

// coarseMin is the size (accounts × territories) from which the prices
// start on a coarse problem. Below it, the first temperature is short
// anyway (100,000 accounts in 100 territories: about ten passes), and the
// coarse prices, being only near, can leave the later temperatures too
// few passes to end in band (measured: one of three such problems took
// twice as long). A variable so that tests can lower it.
var coarseMin = 30_000_000

const (
	// coarseGroup is the most accounts a group of the coarse problem holds.
	coarseGroup = 12
	// coarsePer is the least number of groups per territory of a coarse
	// problem: with fewer, a group weighs more than a territory's band
	// and the coarse prices say little.
	coarsePer = 40
	// coarseTemps is how many temperatures a coarse solve goes through
	// before its prices are handed on: the first carries the flow between
	// regions, which is what the fine solve needs.
	coarseTemps = 1
)

// coarsen returns the problem with the accounts in groups of at most
// coarseGroup, and no locks or owners (the caller skips the coarse start
// when there are any).
func (m *model) coarsen() *model {
	if m.accountIndex == nil {
		m.accountIndex = spatial.NewIndex(m.pts)
	}
	groups := m.accountIndex.Groups(coarseGroup)
	c := &model{
		space:    m.space,
		obj:      m.obj,
		center:   m.center,
		n:        len(groups),
		k:        m.k,
		homeLocs: m.homeLocs,
		homes:    m.homes,
		lo:       m.lo,
		hi:       m.hi,
		unit:     m.unit,
		share:    m.share,
		maxMoves: -1,
		pts:      make([]spatial.Vec3, len(groups)),
		mult:     make([]float64, len(groups)),
		combined: make([]float64, len(groups)),
		w:        make([][]float64, len(m.w)),
	}
	for r := range c.w {
		c.w[r] = make([]float64, len(groups))
	}
	for g, members := range groups {
		var sum spatial.Vec3
		mult := 0.0
		for _, i := range members {
			f := m.multOf(int(i))
			for a := range sum {
				sum[a] += f * m.pts[i][a]
			}
			mult += f
			c.combined[g] += m.combined[i]
			for r, w := range m.w {
				c.w[r][g] += w[i]
			}
		}
		for a := range sum {
			c.pts[g][a] = sum[a] / mult
		}
		c.mult[g] = mult
	}
	return c
}

// multOf is how many accounts account i stands for (1 but on a coarse
// level).
func (m *model) multOf(i int) float64 {
	if m.mult == nil {
		return 1
	}
	return m.mult[i]
}

// coarseStart sets the prices p from the coarse problem when the state is
// large enough and nothing ties accounts to territories. The coarse
// problem's centres are the state's.
func (s *state) coarseStart(ctx context.Context, p *prices, passes int) error {
	m := s.m
	if m.n*m.k < coarseMin || m.n < coarsePer*m.k || m.locked != nil || m.owner != nil || m.maxMoves >= 0 {
		return nil
	}
	cm := m.coarsen()
	if cm.n < coarsePer*m.k {
		return nil
	}
	cs := newState(cm)
	copy(cs.centres, s.centres)
	cs.seedNearest()
	cp := &prices{lambda: cloneRows(p.lambda), lo: p.lo, hi: p.hi}
	if err := cs.coarseStart(ctx, cp, passes); err != nil {
		return err
	}
	nw := newNewton(cs, cs.candidates(), cp)
	if nw == nil {
		return nil
	}
	nw.temps = coarseTemps
	if _, err := nw.solve(ctx, passes); err != nil {
		return err
	}
	copyRows(p.lambda, cp.lambda)
	return nil
}

// seedNearest puts every account in the territory of its nearest centre.
func (s *state) seedNearest() {
	ix := spatial.NewIndex(s.centres)
	var buf []int
	for i, p := range s.m.pts {
		buf = ix.Nearest(p, 1, buf[:0])
		s.assign[i] = int32(buf[0])
	}
	s.recount()
}
