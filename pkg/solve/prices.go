package solve

import (
	"context"
	"math"
)

// prices holds one Lagrangian multiplier per rule and territory. An
// account's priced cost in territory k is its objective cost plus, for every
// rule, the price of k times the account's (normalised) weight: a high
// price pushes weight out of an overfull territory, a negative one pulls
// weight into an underfull one. Prices move by sign-based steps whose
// length adapts per price (growing while the sign holds, halving when it
// flips), which needs no knowledge of the scale of the objective.
type prices struct {
	lambda [][]float64 // [rule][territory]
	step   [][]float64
	last   [][]int8 // sign of the previous step
	// lo and hi are the bands the prices aim for: the rules' bands, or
	// narrower ones that leave the local search room to move accounts
	// (see innerBands).
	lo, hi [][]float64
}

func newPrices(m *model, step0 float64) *prices {
	p := &prices{}
	for r := 0; r < m.rules(); r++ {
		l := make([]float64, m.k)
		st := make([]float64, m.k)
		for k := range st {
			st[k] = step0
		}
		p.lambda = append(p.lambda, l)
		p.step = append(p.step, st)
		p.last = append(p.last, make([]int8, m.k))
	}
	p.lo, p.hi = m.lo, m.hi
	return p
}

// innerBands makes the prices aim for the middle of each band: its inner
// part, a fraction f of it around the target. With every load pinned to
// an edge of its band, a later move that must keep territories connected
// often finds no neighbour with room; loads inside the band leave room.
func (p *prices) innerBands(m *model, f float64) {
	p.lo = make([][]float64, m.rules())
	p.hi = make([][]float64, m.rules())
	for r := range p.lo {
		p.lo[r] = make([]float64, m.k)
		p.hi[r] = make([]float64, m.k)
		for k := 0; k < m.k; k++ {
			lo, hi := m.lo[r][k], m.hi[r][k]
			if math.IsInf(lo, -1) || math.IsInf(hi, 1) {
				p.lo[r][k], p.hi[r][k] = lo, hi
				continue
			}
			mid, half := (lo+hi)/2, (hi-lo)/2*f
			p.lo[r][k], p.hi[r][k] = mid-half, mid+half
		}
	}
}

// update moves every price against its rule's violation and reports
// whether any load was out of its band.
func (p *prices) update(s *state) bool {
	m := s.m
	any := false
	for r := range p.lambda {
		for k := range p.lambda[r] {
			load := s.loads[r][k]
			var g int8
			switch {
			case load > p.hi[r][k]+1e-9:
				g = 1
			case load < p.lo[r][k]-1e-9:
				g = -1
			}
			if g == 0 {
				p.last[r][k] = 0
				continue
			}
			any = true
			switch p.last[r][k] {
			case g:
				p.step[r][k] *= 1.5
			case -g:
				p.step[r][k] *= 0.5
			}
			p.last[r][k] = g
			p.lambda[r][k] += float64(g) * p.step[r][k]
			// A rule with no lower bound can only push weight out, one with
			// no upper bound only pull it in.
			if math.IsInf(m.lo[r][k], -1) && p.lambda[r][k] < 0 {
				p.lambda[r][k] = 0
			}
			if math.IsInf(m.hi[r][k], 1) && p.lambda[r][k] > 0 {
				p.lambda[r][k] = 0
			}
		}
	}
	return any
}

// candidates holds, for every account, the territories it may join: at
// first the per territories whose centres are nearest to it, nearest

// signSteps alternates priced assignment with sign-based price updates
// for at most rounds rounds, or until every load is within its band, and
// returns the rounds made. It sets the prices of bands open on one side,
// where Newton's method (newton.go) does not apply.
func (s *state) signSteps(ctx context.Context, c *candidates, p *prices, rounds int) int {
	for n := 1; n <= rounds; n++ {
		if ctx.Err() != nil {
			return n - 1
		}
		s.assignPriced(c, p)
		if !p.update(s) {
			return n
		}
	}
	return rounds
}
