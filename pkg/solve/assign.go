package solve

import (
	"context"
	"math"
	"slices"

	"github.com/territory-optimizer/territory/pkg/spatial"
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
// first; the price solve (newton.go) may add farther ones. Stored as one
// list with offsets: account i's candidates are list[start[i]:start[i+1]].
type candidates struct {
	per   int // the number of nearest territories every account starts with
	start []int32
	list  []int32
}

func (c *candidates) of(i int) []int32 { return c.list[c.start[i]:c.start[i+1]] }

// with returns the candidates with the territories extra(i) added to
// account i's where they are missing.
func (c *candidates) with(extra func(i int) []int32) *candidates {
	n := len(c.start) - 1
	out := &candidates{per: c.per, start: make([]int32, n+1)}
	// Counted on every core, then placed on every core: each account's
	// list has its own place.
	chunks := (n + chunkSize - 1) / chunkSize
	parallelFor(chunks, func(_, ch int) {
		for i := ch * chunkSize; i < min(n, (ch+1)*chunkSize); i++ {
			own, add := c.of(i), int32(0)
			for _, k := range extra(i) {
				if !slices.Contains(own, k) {
					add++
				}
			}
			out.start[i+1] = int32(len(own)) + add
		}
	})
	for i := 0; i < n; i++ {
		out.start[i+1] += out.start[i]
	}
	out.list = make([]int32, out.start[n])
	parallelFor(chunks, func(_, ch int) {
		for i := ch * chunkSize; i < min(n, (ch+1)*chunkSize); i++ {
			own := c.of(i)
			at := out.start[i] + int32(copy(out.list[out.start[i]:], own))
			for _, k := range extra(i) {
				if !slices.Contains(own, k) {
					out.list[at] = k
					at++
				}
			}
		}
	})
	return out
}

// candidateCount is how many nearest territories every account considers.
const candidateCount = 16

func (s *state) candidates() *candidates { return s.candidatesN(candidateCount) }

// candidatesN lists the per nearest territories of every account.
func (s *state) candidatesN(per int) *candidates {
	m := s.m
	per = min(per, m.k)
	c := &candidates{per: per, start: make([]int32, m.n+1), list: make([]int32, m.n*per)}
	ix := spatial.NewIndex(s.centres)
	// Every account's list has its own place, so the chunks run on every
	// core and the lists do not depend on which ran where.
	bufs := make([][]int, workers())
	parallelFor((m.n+chunkSize-1)/chunkSize, func(worker, ch int) {
		buf := bufs[worker]
		for i := ch * chunkSize; i < min(m.n, (ch+1)*chunkSize); i++ {
			buf = ix.Nearest(m.pts[i], per, buf[:0])
			for j, k := range buf {
				c.list[i*per+j] = int32(k)
			}
			c.start[i+1] = int32((i + 1) * per)
		}
		bufs[worker] = buf
	})
	return c
}

// reverseShare is how many accounts, in multiples of its share of them,
// every territory adds itself to as a candidate (see withReach).
const reverseShare = 3

// withReach adds every territory, as a candidate, to the reverseShare·n_k
// accounts nearest its centre (n_k its share of the accounts). The nearest
// territories of each account leave a territory whose reps are denser
// than its accounts (one rep of many in a region) with too few accounts
// that may join it, and a territory in a city with more accounts than its
// neighbours can take without outlets; no prices can balance such lists.
// With its own nearest accounts, every territory can reach several times
// its share.
func (s *state) withReach(c *candidates) *candidates {
	m := s.m
	total := 0.0
	for _, sh := range m.share {
		total += sh
	}
	if total <= 0 || m.k <= c.per {
		return c
	}
	if m.accountIndex == nil {
		m.accountIndex = spatial.NewIndex(m.pts) // built once, for every centre update and start
	}
	ix := m.accountIndex
	// The searches run on every core; their results are merged in
	// territory order.
	near := make([][]int, m.k)
	parallelFor(m.k, func(_, k int) {
		if want := int(math.Ceil(reverseShare * m.share[k] / total * float64(m.n))); want > 0 {
			near[k] = ix.Nearest(s.centres[k], want, nil)
		}
	})
	// Every account's list grows by the territories that reach it and
	// are not on it yet, in territory order: counted first, then placed.
	out := &candidates{per: c.per, start: make([]int32, m.n+1)}
	for k, list := range near {
		for _, i := range list {
			if !slices.Contains(c.of(i), int32(k)) {
				out.start[i+1]++
			}
		}
	}
	for i := 0; i < m.n; i++ {
		out.start[i+1] += out.start[i] + c.start[i+1] - c.start[i]
	}
	out.list = make([]int32, out.start[m.n])
	fill := make([]int32, m.n) // where account i's next reaching territory goes
	for i := 0; i < m.n; i++ {
		at := out.start[i]
		copy(out.list[at:], c.of(i))
		fill[i] = at + c.start[i+1] - c.start[i]
	}
	for k, list := range near {
		for _, i := range list {
			if !slices.Contains(c.of(i), int32(k)) {
				out.list[fill[i]] = int32(k)
				fill[i]++
			}
		}
	}
	return out
}

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
// through: least violation first, then least cost.
func (s *state) constrainedKMeans(ctx context.Context, b budget, inner float64, progress func(float64)) (rounds int, err error) {
	m := s.m
	p := newPrices(m, 0.05*s.costScale())
	if inner < 1 {
		p.innerBands(m, inner)
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
		// of this update's progress, and gives the first temperature.
		from, startAt := 0.0, 0.0
		if outer == 0 {
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
			nw.progress = func(pass int) {
				f := from + (1-from)*math.Min(1, float64(pass)/float64(b.inner))
				progress((float64(outer) + f) / float64(updates))
			}
			n, err := nw.solve(ctx, b.inner)
			rounds += n
			if err != nil {
				return rounds, err
			}
			s.lambda, s.cand = p.lambda, nw.c
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
