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
// it are a property of the map at a coarse scale, so they are found on
// coarse problems first: the accounts grouped by about ten (subtrees of
// the accounts' k-d tree), each group one account located at its members'
// mean and weighing their sum, and the groups grouped again, down to a
// few groups per territory. With squared distances a group's cost at a
// centre is exactly its size times the cost of its mean, plus a constant
// that does not depend on the centre, so its cost carries the size as a
// factor (model.mult), and it is smoothed at its size times the
// temperature, as its members would be. The rules are merged into one on
// the coarse levels (see coarsen and ruleMix). The coarsest level gives
// every group every territory as a candidate; every finer level starts
// from the prices and the temperature of the level below, with its
// group's support (the territories the group was spread over) among its
// candidates (see coarseLevel). The prices are normalised alike on every
// level (the weights by the same mean account, the bands the same), so
// the last coarse prices start the fine solve as they are; the fine solve
// then corrects the edges and finds the split between the rules.

// coarseMin is the size (accounts × territories) from which the prices
// start on a coarse problem. Below it, the first temperature is short
// anyway (100,000 accounts in 100 territories: about ten passes); on
// three such problems the coarse start moved the time by ±10% and the
// objective by −0.5% to +0.01%, no clear gain. A variable so that tests
// can lower it.
var coarseMin = 30_000_000

// diagramCoarseMin is coarseMin for the balanced power diagram of a region
// plan (regions.go), whose territories' sizes differ more (an office of
// 19 reps beside one of 1) and whose first temperature is long: the office
// problem of 200,000 accounts in 100 offices spent its whole budget of 60
// passes (48 at the first temperature) without balancing, and ended with a
// violation of 33,000; with the coarse start, 25 passes and 848.
const diagramCoarseMin = 1_000_000

const (
	// coarseGroup is the most accounts a group of the coarse problem holds.
	coarseGroup = 12
	// coarseLeast is the least number of groups per territory of a coarse
	// problem: with fewer, the coarse prices say little.
	coarseLeast = 2
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
	// coarseTau caps a coarse level's trust region (newton.step), in
	// units of its temperature: a coarse level adds candidates whenever its
	// steps stall (widen), and a step of dozens of δ sends groups to
	// territories past their lists, which the pricing then adds, and the
	// worst error swings. On the million-account office problem of 500
	// offices the level of 131,072 groups, its trust region growing to
	// 256δ, ran its whole budget of 60 passes at its first temperature
	// (the worst error between 300 and 1,700, candidates added after
	// nearly every step: 10 s); capped at 8δ, it ends in 10 passes, and
	// the whole coarse start takes 4.4 s instead of 15.
	coarseTau = 8
)

// coarsen returns the problem with the accounts in groups of at most
// coarseGroup, no locks or owners (the caller skips the coarse start when
// there are any), and its rules, with the bands lo and hi, merged into
// one with the shares mix (see ruleMix): every group weighs Σ_r mix_r
// times its summed weights under rule r, and every band is the same mix
// of the rules' bands (all are in the same normalised units, a mean
// account weighing 1).
//
// One rule, because a group's weights under different rules are nearly
// proportional (a group of a dozen accounts has about a dozen times the
// mean revenue): a coarse problem fixes only one mix of its prices, and
// would split it between the rules at random, while the accounts of the
// fine problem, whose revenues differ a hundredfold, respond to the
// split. The merged rule's price λ becomes mix_r·λ for rule r, the same
// split everywhere, and the fine problem adjusts it.
func (m *model) coarsen(lo, hi [][]float64, mix []float64) (*model, [][]int32) {
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
		lo:       [][]float64{mixRows(lo, mix)},
		hi:       [][]float64{mixRows(hi, mix)},
		unit:     []float64{1},
		share:    m.share,
		maxMoves: -1,
		pts:      make([]spatial.Vec3, len(groups)),
		mult:     make([]float64, len(groups)),
		combined: make([]float64, len(groups)),
		w:        [][]float64{make([]float64, len(groups))},
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
				c.w[0][g] += float64(mix[r] * w[i])
			}
		}
		for a := range sum {
			c.pts[g][a] = sum[a] / mult
		}
		c.mult[g] = mult
	}
	return c, groups
}

// mixRows is Σ_r mix_r·rows_r, entry by entry.
func mixRows(rows [][]float64, mix []float64) []float64 {
	out := make([]float64, len(rows[0]))
	for r, row := range rows {
		for k, v := range row {
			out[k] += float64(mix[r] * v)
		}
	}
	return out
}

// ruleMix returns the shares (non-negative, summing to 1) in which
// coarsen merges the rules: those that make the merged weight of a single
// account vary least across the accounts (the minimum-variance mix of the
// rules' weights). A group's merged price then reaches each of its
// members about alike, so the fine problem responds to the coarse prices
// as the groups did. With an account count among the rules (the same
// weight for every account) the mix is that rule alone: balancing the
// count first, with revenue prices found on the fine problem, where a
// few large accounts carry much of the revenue.
func (m *model) ruleMix() []float64 {
	R := m.rules()
	cov := make([]float64, R*R)
	for r := 0; r < R; r++ {
		for q := r; q < R; q++ {
			v := 0.0
			for i := range m.w[r] {
				v += float64((m.w[r][i] - 1) * (m.w[q][i] - 1)) // every rule's mean weight is 1
			}
			cov[r*R+q], cov[q*R+r] = v/float64(m.n), v/float64(m.n)
		}
	}
	trace := 0.0
	for r := 0; r < R; r++ {
		trace += cov[r*R+r]
	}
	ridge := 1e-9*trace/float64(R) + 1e-300
	// Minimise mixᵀ·cov·mix with Σ mix = 1 and mix ≥ 0: mix ∝ cov⁻¹·1 on
	// the rules kept, dropping any whose share comes out negative.
	keep := make([]bool, R)
	for r := range keep {
		keep[r] = true
	}
	mix := make([]float64, R)
	for {
		var idx []int
		for r, k := range keep {
			if k {
				idx = append(idx, r)
			}
		}
		n := len(idx)
		a := make([]float64, n*n)
		for x, r := range idx {
			for y, q := range idx {
				a[x*n+y] = cov[r*R+q]
			}
			a[x*n+x] += ridge
		}
		cholesky(a, n)
		ones := make([]float64, n)
		for x := range ones {
			ones[x] = 1
		}
		sol := make([]float64, n)
		cholSolve(a, n, ones, sol)
		sum, neg := 0.0, -1
		for x, v := range sol {
			sum += v
			if v < 0 && (neg < 0 || v < sol[neg]) {
				neg = x
			}
		}
		if neg >= 0 && n > 1 {
			keep[idx[neg]] = false
			continue
		}
		clear(mix)
		for x, r := range idx {
			mix[r] = sol[x] / sum
		}
		return mix
	}
}

// multOf is how many accounts account i stands for (1 but on a coarse
// level).
func (m *model) multOf(i int) float64 {
	if m.mult == nil {
		return 1
	}
	return m.mult[i]
}

// coarseResult is what a coarse start hands the finer level: the
// territories among which each of its accounts' groups was spread (the
// support of the group, see newton.support), and the temperature at which
// its prices balance the loads.
type coarseResult struct {
	group   []int32     // every account's group
	support *candidates // every group's territories, its own first
	delta   float64
}

// extra is account i's group's support.
func (cr *coarseResult) extra(i int) []int32 { return cr.support.of(int(cr.group[i])) }

// coarseStart sets the prices p from coarse problems when the state is
// large enough and nothing ties accounts to territories, and returns what
// the fine problem needs from them (nil without a coarse start): the
// caller adds every account's group's support to its candidates, so that
// the fine problem can spread every account where the coarse one spread
// its group, and starts its search at the coarse temperature, where the
// prices already balance the loads.
//
// progress hears the share of the coarse work done (0..1).
func (s *state) coarseStart(ctx context.Context, p *prices, passes int, progress func(float64)) (*coarseResult, error) {
	m := s.m
	least := coarseMin
	if m.diagram {
		least = min(least, diagramCoarseMin)
	}
	if m.n*m.k < least || m.rules() == 0 || m.locked != nil || m.owner != nil || m.maxMoves >= 0 {
		return nil, nil
	}
	return s.coarseLevel(ctx, p, passes, progress)
}

// coarseLevel solves the problem one level coarser than the state's (none
// when it would have fewer than coarseLeast groups per territory), after
// the levels coarser still, and returns what coarseStart does.
//
// The coarsest level gives every group every territory as a candidate
// while that is affordable (coarseAllMax). With only the nearest ones, no
// prices may balance the lists (a city with more accounts than its
// neighbours can take): the first temperature then wanders for its whole
// budget while column generation floods far territories (measured on 200k
// x 300 grouped by ten: 60 passes without converging; with every
// candidate, 9). It solves its first temperature and one sharper. Every
// finer level starts from its coarser level's prices and last
// temperature, with its candidates the nearest territories and its
// group's support, so that it can spread its accounts as the coarser
// level spread their groups; it solves that temperature and one sharper.
// A group is smoothed at its size times the temperature, so that it
// spreads as its members would; a coarse level goes no sharper than one
// step past where it started, since a group is too heavy to fit a band on
// its own.
func (s *state) coarseLevel(ctx context.Context, p *prices, passes int, progress func(float64)) (*coarseResult, error) {
	m := s.m
	mix := m.ruleMix()
	cm, groups := m.coarsen(p.lo, p.hi, mix)
	if cm.n < coarseLeast*m.k {
		return nil, nil
	}
	cs := newState(cm)
	copy(cs.centres, s.centres)
	cs.nearestStart()
	// The merged rule's price λ is the sum of the rules' when they are
	// split as the mix splits it (λ_r = mix_r·λ, as coarseLevel leaves
	// them); at the start of a coarse start every price is zero.
	sum := make([]float64, m.k)
	for _, row := range p.lambda {
		for k, l := range row {
			sum[k] += l
		}
	}
	cp := &prices{lambda: [][]float64{sum}, lo: cm.lo, hi: cm.hi}
	coarser, err := cs.coarseLevel(ctx, cp, passes, func(f float64) { progress(f / 2) })
	if err != nil {
		return nil, err
	}
	from := 0.5
	var c *candidates
	switch {
	case coarser != nil:
		c = cs.candidates().with(coarser.extra)
	case cm.n*cm.k <= coarseAllMax:
		c, from = cs.candidatesN(cm.k), 0
	default:
		c, from = cs.candidatesN(coarseWide), 0
	}
	nw := newNewton(cs, c, cp)
	if nw == nil {
		return nil, nil
	}
	nw.progress = func(pass int) {
		progress(from + (1-from)*math.Min(1, float64(pass)/float64(passes)))
	}
	nw.temps = 2
	nw.tauMax = coarseTau
	if coarser != nil {
		nw.startAt = coarser.delta
	} else {
		nw.spread = coarseSpread
	}
	if _, err := nw.solve(ctx, passes); err != nil {
		return nil, err
	}
	for r, row := range p.lambda {
		for k, l := range cp.lambda[0] {
			row[k] = float64(mix[r] * l)
		}
	}
	cr := &coarseResult{group: make([]int32, m.n), support: nw.support(), delta: nw.reached}
	for g, members := range groups {
		for _, i := range members {
			cr.group[i] = int32(g)
		}
	}
	return cr, nil
}
