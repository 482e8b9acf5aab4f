package solve

import (
	"context"
	"math"
	"slices"

	"github.com/territory-optimizer/territory/pkg/spatial"
)

// assignPriced puts every account in the candidate territory of least
// priced cost (ties to the nearer centre) and returns how many accounts
// changed territory.
func (s *state) assignPriced(c *candidates, p *prices) int {
	m := s.m
	changed := 0
	for i := range m.pts {
		if m.fixed(i) {
			continue
		}
		best, bestCost := int32(-1), math.Inf(1)
		for _, k := range c.of(i) {
			v := s.costOf(i, k)
			for r, w := range m.w {
				v += float64(p.lambda[r][k] * w[i]) // no fused multiply-add: same bits on every machine
			}
			if v < bestCost {
				best, bestCost = k, v
			}
		}
		if s.assign[i] != best {
			s.assign[i] = best
			changed++
		}
	}
	s.recount()
	return changed
}

// costScale is the mean cost of an account with the current assignment,
// the yardstick for price steps and penalties (1 when it is 0).
func (s *state) costScale() float64 {
	v := s.objective() / float64(s.m.n)
	if v <= 0 || math.IsNaN(v) {
		return 1
	}
	return v
}

// staleOuter is how many centre updates in a row may pass without a
// better plan before the constrained k-means stops.
const staleOuter = 6

// constrainedKMeans alternates priced assignment with price updates until
// every rule holds (or the round budget is spent), then moves the centres
// and repeats until they settle. It ends in the best state it passed
// through: least violation first, then least cost. With warm set, the
// first price solve starts where the state's last one ended (its prices,
// candidates and temperature) instead of from a coarse start.
func (s *state) constrainedKMeans(ctx context.Context, b budget, inner float64, warm bool, progress func(float64)) (rounds int, err error) {
	m := s.m
	p := newPrices(m, 0.05*s.costScale())
	if inner < 1 {
		p.innerBands(m, inner)
	}
	if s.lambda != nil {
		// Prices of an earlier solve of the same accounts start this one.
		for r := range p.lambda {
			copy(p.lambda[r], s.lambda[r])
		}
	}
	best := s.snapshot()
	prevViol, stale := math.Inf(1), 0
	// With centres at the homes there is one update: its price passes are
	// the whole phase.
	updates := b.outer
	if m.homes != nil {
		updates = 1
	}
	for outer := 0; outer < b.outer; outer++ {
		if err := ctx.Err(); err != nil {
			return rounds, err
		}
		progress(float64(outer) / float64(updates))
		c := s.candidates()
		// A coarse start, when there is one, takes the first coarseShare
		// of this update's progress, and gives the first temperature. A
		// warm solve starts where the last one ended instead: its prices,
		// candidates and temperature.
		from, startAt, fromLast := 0.0, 0.0, false
		if outer == 0 && warm && s.temp > 0 && s.cand != nil {
			c, startAt, fromLast = s.cand, s.temp, true
		} else if outer == 0 {
			cr, err := s.coarseStart(ctx, p, b.inner, func(f float64) {
				progress(coarseShare * f / float64(updates))
			})
			if err != nil {
				return rounds, err
			}
			if cr != nil {
				from, startAt = coarseShare, cr.delta
				c = c.with(cr.extra)
			}
		}
		if nw := newNewton(s, c, p); nw != nil {
			nw.startAt, startAt = startAt, 0
			nw.warm, fromLast = fromLast, false
			nw.progress = func(pass int) {
				f := from + (1-from)*math.Min(1, float64(pass)/float64(b.inner))
				progress((float64(outer) + f) / float64(updates))
			}
			n, err := nw.solve(ctx, b.inner)
			rounds += n
			if err != nil {
				return rounds, err
			}
			s.lambda, s.cand, s.temp = p.lambda, nw.c, nw.reached
		} else {
			rounds += s.signSteps(ctx, c, p, b.inner)
		}
		if err := ctx.Err(); err != nil {
			return rounds, err
		}
		if m.homes != nil {
			best.keepBetter(s)
			break
		}
		s.fillEmpty()
		moved := s.updateCentres()
		if best.keepBetter(s) {
			stale = 0
		} else if stale++; stale >= staleOuter {
			break
		}
		// Centres that stay put give the same candidates: another round
		// can only help when its prices are still lowering the violation.
		v := s.violation()
		if moved <= 1e-9*s.extent() && (v == 0 || v >= prevViol) {
			break
		}
		prevViol = v
	}
	best.restore(s)
	return rounds, nil
}

// snapshot is a saved assignment with its centres, violation and cost.
type snapshot struct {
	assign    []int32
	centres   []spatial.Vec3
	centreAcc []int
	viol      float64
	cost      float64
}

func (s *state) snapshot() *snapshot {
	return &snapshot{
		assign:    slices.Clone(s.assign),
		centres:   slices.Clone(s.centres),
		centreAcc: slices.Clone(s.centreAcc),
		viol:      s.violation(),
		cost:      s.objective(),
	}
}

// keepBetter saves s when it beats the snapshot: less violation (by more
// than rounding), or as little and a lower cost.
// It reports whether it did.
func (b *snapshot) keepBetter(s *state) bool {
	v, c := s.violation(), s.objective()
	if v < b.viol-1e-9 || (v <= b.viol+1e-9 && c < b.cost) {
		copy(b.assign, s.assign)
		copy(b.centres, s.centres)
		copy(b.centreAcc, s.centreAcc)
		b.viol, b.cost = v, c
		return true
	}
	return false
}

func (b *snapshot) restore(s *state) {
	copy(s.assign, b.assign)
	copy(s.centres, b.centres)
	copy(s.centreAcc, b.centreAcc)
	s.recount()
}

// extent is the size of the data: the largest coordinate magnitude, used
// to judge when centres have stopped moving.
func (s *state) extent() float64 {
	e := 1.0
	for _, c := range s.centres {
		for _, v := range c {
			e = math.Max(e, math.Abs(v))
		}
	}
	return e
}

// fillEmpty gives every empty territory of positive capacity the account
// that costs most where it is (from a territory with more than one), so
// that no territory is left without accounts.
func (s *state) fillEmpty() {
	m := s.m
	for k := 0; k < m.k; k++ {
		if s.sizes[k] > 0 || m.share[k] == 0 {
			continue
		}
		worst, worstCost := -1, -1.0
		for i, t := range s.assign {
			if s.sizes[t] < 2 || !s.canMove(i, int32(k)) {
				continue
			}
			if c := s.costOf(i, t); c > worstCost {
				worst, worstCost = i, c
			}
		}
		if worst < 0 {
			return
		}
		s.move(worst, int32(k))
		s.centres[k] = m.pts[worst]
	}
}
