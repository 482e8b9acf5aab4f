package solve

import (
	"math"

	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// model is the problem in the form the solver works on: embedded points,
// one weight vector per balance rule, normalised so that the mean account
// weighs 1, and one band per rule and territory in those units.
type model struct {
	space  territory.Space
	obj    territory.Objective
	center territory.Center
	n, k   int

	locs     []territory.Point // the accounts' input locations
	pts      []spatial.Vec3
	homeLocs []territory.Point
	homes    []spatial.Vec3 // nil unless the centre is fixed at the homes

	// Per rule r: w[r][i] is account i's normalised weight, lo[r][k] and
	// hi[r][k] the normalised band of territory k.
	w      [][]float64
	lo, hi [][]float64
	unit   []float64 // per rule: the weight of a mean account, in input units
	// combined is every account's weight summed over the rules (1 each
	// when there are no rules); seeding balances it.
	combined []float64
	share    []float64 // capacity share of every territory

	// Disruption (disruption.go): owner[i] is the territory of account i's
	// current rep (-1 unknown; nil when no account has one), locked marks
	// accounts that must stay with it (nil when none), stick is what a
	// change of rep adds to the cost, and maxMoves caps how many accounts
	// with an owner may change rep (-1: no cap).
	owner    []int32
	locked   []bool
	stick    float64
	maxMoves int
	// repairOnly makes the local search repair the rules and stop there
	// (Options.Rebalance): no move is made for the objective alone.
	repairOnly bool

	// accountIndex finds the accounts nearest a point (nil until the
	// price solve first needs it; see withReach).
	accountIndex *spatial.Index
	// mult is what each account's cost counts for: the problem's weight
	// measure (Problem.Weight), how many accounts a group of a coarse
	// problem stands for (coarse.go), or the merged weight of a power
	// diagram (regions.go). Its costs are that many times its location's,
	// and centres are weighted by it. nil means 1 each.
	mult []float64
	// diagram marks the problem of a balanced power diagram (regions.go).
	diagram bool
}

func newModel(p *territory.Problem) *model {
	m := &model{
		space:    p.Space,
		obj:      p.Objective,
		center:   p.Center,
		n:        p.Accounts.Len(),
		k:        p.K(),
		maxMoves: -1,
	}
	m.setOwners(p)
	m.locs = p.Accounts.Locs
	m.pts = make([]spatial.Vec3, m.n)
	for i, pt := range p.Accounts.Locs {
		m.pts[i] = spatial.Embed(p.Space, pt)
	}
	if p.Center == territory.CenterHome {
		m.homes = make([]spatial.Vec3, m.k)
		m.homeLocs = make([]territory.Point, m.k)
		for k, r := range p.Reps {
			m.homes[k] = spatial.Embed(p.Space, r.Home)
			m.homeLocs[k] = r.Home
		}
	}
	for _, rule := range p.Rules {
		raw := p.Accounts.Weights(rule.Measure)
		total := 0.0
		for _, v := range raw {
			total += v
		}
		unit := total / float64(m.n)
		if unit <= 0 {
			unit = 1
		}
		w := make([]float64, m.n)
		for i, v := range raw {
			w[i] = v / unit
		}
		bands := p.Bands(rule)
		lo := make([]float64, m.k)
		hi := make([]float64, m.k)
		for k, b := range bands {
			lo[k], hi[k] = b.Lo/unit, b.Hi/unit
		}
		m.w = append(m.w, w)
		m.lo = append(m.lo, lo)
		m.hi = append(m.hi, hi)
		m.unit = append(m.unit, unit)
	}
	if p.Weight != "" {
		m.mult = p.Accounts.Weights(p.Weight)
	}
	m.share = p.CapacityShares()
	m.combined = make([]float64, m.n)
	for i := range m.combined {
		if len(m.w) == 0 {
			m.combined[i] = 1
			continue
		}
		for _, w := range m.w {
			m.combined[i] += w[i]
		}
	}
	return m
}

// setBands replaces the band of every rule and territory by bands[r][k],
// in the problem's units.
func (m *model) setBands(bands [][]territory.Band) {
	for r, row := range bands {
		for k, b := range row {
			m.lo[r][k], m.hi[r][k] = b.Lo/m.unit[r], b.Hi/m.unit[r]
		}
	}
}

// rules is the number of balance rules.
func (m *model) rules() int { return len(m.w) }

// fixed reports whether account i may not leave its owner's territory.
func (m *model) fixed(i int) bool { return m.locked != nil && m.locked[i] }

// cost is what assigning a point at squared distance d2 from a centre adds
// to the objective.
func (m *model) cost(d2 float64) float64 {
	if m.obj == territory.Distance {
		return math.Sqrt(d2)
	}
	return d2
}

// violation is how far a normalised load lies outside [lo, hi].
func violation(load, lo, hi float64) float64 {
	const eps = 1e-9
	switch {
	case load > hi+eps:
		return load - hi
	case load < lo-eps:
		return lo - load
	}
	return 0
}
