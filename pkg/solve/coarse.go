package solve

import (
	"context"
	"math"

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
// factor (model.mult). The coarse problem is solved to the end, with every
// territory a candidate of every group while that is affordable (see
// coarseStart), so that its prices and its assignment carry the flow
// between regions; a coarse problem too large for that gets both from a
// coarser one. The prices are normalised alike on every level (the
// weights by the same mean account, the bands the same), so the coarse
// prices start the fine solve as they are, and every account also gets
// the territory its group ended in as a candidate; the fine solve then
// only corrects the edges.

// coarseMin is the size (accounts × territories) from which the prices
// start on a coarse problem. Below it, the first temperature is short
// anyway (100,000 accounts in 100 territories: about ten passes); on
// three such problems the coarse start moved the time by ±10% and the
// objective by −0.5% to +0.01%, no clear gain. A variable so that tests
// can lower it.
var coarseMin = 30_000_000

const (
	// coarseGroup is the most accounts a group of the coarse problem holds.
	coarseGroup = 12
	// coarseLeast is the least number of groups per territory of a coarse
	// problem: with fewer, the coarse prices say little.
	coarseLeast = 8
	// coarseAllMax is the size (groups × territories) up to which a coarse
	// problem gives every group every territory as a candidate.
	coarseAllMax = 20_000_000
	// coarseSpread is the first temperature of a coarse problem with every
	// candidate, in multiples of the median best/second gap: with all
	// candidates there is no flood of new ones to fear, and a smoother
	// start converges in fewer passes (measured on 200k x 300 grouped by
	// ten: 22 passes at 4, 9 at 32).
	coarseSpread = 32
	// coarseShare is the share of the first centre update's progress that
	// the coarse start reports in.
	coarseShare = 1.0 / 3
	// coarseWide is how many nearest territories a coarse problem too
	// large for every candidate gives each group (with its coarser
	// problem's territory).
	coarseWide = 64
)

// coarsen returns the problem with the accounts in groups of at most
// coarseGroup, and no locks or owners (the caller skips the coarse start
// when there are any).
func (m *model) coarsen() (*model, [][]int32) {
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
	return c, groups
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
// large enough and nothing ties accounts to territories, and returns, for
// every account, the territory its group ended in (nil without a coarse
// start): the caller adds it to the account's candidates, so that the fine
// problem can send every account where the coarse one sent its group. The
// coarse problem's centres are the state's.
//
// A coarse problem small enough (coarseAllMax) gives every group every
// territory as a candidate. With only the nearest ones, no prices may
// balance the lists (a city with more accounts than its neighbours can
// take): the first temperature then wanders for its whole budget while
// column generation floods far territories (measured on 200k x 300
// grouped by ten: 60 passes without converging; with every candidate,
// 9). A larger coarse problem gets its prices and those territories from
// a coarser one first, and its coarseWide nearest territories.
//
// progress hears the share of the coarse work done (0..1): a level with a
// coarser one gives it the first half.
func (s *state) coarseStart(ctx context.Context, p *prices, passes int, progress func(float64)) ([]int32, error) {
	m := s.m
	if m.n*m.k < coarseMin || m.locked != nil || m.owner != nil || m.maxMoves >= 0 {
		return nil, nil
	}
	cm, groups := m.coarsen()
	if cm.n < coarseLeast*m.k {
		return nil, nil
	}
	cs := newState(cm)
	copy(cs.centres, s.centres)
	cs.seedNearest()
	cp := &prices{lambda: cloneRows(p.lambda), lo: p.lo, hi: p.hi}
	all := cm.n*cm.k <= coarseAllMax
	var c *candidates
	if all {
		c = cs.candidatesN(cm.k)
	} else {
		hint, err := cs.coarseStart(ctx, cp, passes, func(f float64) { progress(f / 2) })
		if err != nil {
			return nil, err
		}
		c = cs.candidatesN(coarseWide).with(hint)
	}
	nw := newNewton(cs, c, cp)
	if nw == nil {
		return nil, nil
	}
	from := 0.5
	if all {
		from = 0
	}
	nw.progress = func(pass int) {
		progress(from + (1-from)*math.Min(1, float64(pass)/float64(passes)))
	}
	if all {
		nw.spread = coarseSpread
	}
	if _, err := nw.solve(ctx, passes); err != nil {
		return nil, err
	}
	copyRows(p.lambda, cp.lambda)
	hint := make([]int32, m.n)
	for g, members := range groups {
		for _, i := range members {
			hint[i] = cs.assign[g]
		}
	}
	return hint, nil
}
