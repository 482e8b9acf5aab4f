package solve

import (
	"context"
	"math"
	"slices"

	"github.com/territory-optimizer/territory/pkg/spatial"
)

// newton finds the prices of the constrained k-means by Newton's method,
// for problems whose every band is finite on both sides (the usual
// "measure within ±x% of its target" rules).
//
// With prices λ, account i costs v_ik = cost_ik + Σ_r λ_rk·w_ri in
// territory k and goes where that is least. Finding prices at which every
// load lies in its band is the dual of a transport problem with bounds;
// its loads are step functions of the prices, so they are smoothed: at
// temperature δ an account is spread over its candidates in proportions
// P_ik ∝ exp(−(v_ik − min_j v_ij)/δ). The smoothed dual
//
//	Φ(λ) = Σ_i softmin_k v_ik − Σ_rk (mid_rk·λ_rk + half_rk·√(λ_rk² + δ²))
//
// is concave and smooth (see gradient for its band term, the smooth form
// of max(λ·hi, λ·lo)); its Hessian is a graph Laplacian over pairs of
// territories that share marginal accounts, one R×R block per pair, plus
// the band terms' curvature. Each step solves that system by conjugate
// gradients with a block-Jacobi preconditioner and a little damping (see
// cg), caps every price's change at τ·δ (a trust region), and takes the
// longer of the capped step and a quarter of it if it raises Φ enough
// (Armijo). Once the smoothed loads are near the bands they aim for, δ
// shrinks fourfold, until the plain assignment at the current prices
// meets every band. This is the damped Newton method for semi-discrete
// optimal transport (Kitagawa, Mérigot and Thibert, 2019), with bands in
// place of targets.
//
// A sign-based price update needs many rounds to carry excess weight from
// a dense city through several territories to reps with room; a Newton
// step moves every price at once, as far as the whole chain requires.
//
// Every operation is plain float64 arithmetic with explicit rounding (no
// fused multiply-add), exp and log are computed here, and parallel passes
// add their chunks' sums in a fixed order, so the prices, and hence the
// plan, are the same bits on every machine and at any GOMAXPROCS.
type newton struct {
	s        *state
	c        *candidates
	r, k     int
	cost     []float64   // cost[c.start[i]+j]: account i's cost in its j-th candidate
	lam      [][]float64 // the prices [rule][territory], shared with prices.lambda
	tlo, thi [][]float64 // the bands the smoothed loads aim for (inside lo, hi)
	scale    [][]float64 // half the width of each band (the unit of error)
	lo, hi   [][]float64 // the bands that end the search
	closed   []bool      // territories of capacity 0: never a candidate
	fixed    [][]float64 // the loads of locked accounts
	reach    [][]int32   // per territory, the priceReach nearest (see price)
	// order lists the accounts that are not locked, by their nearest
	// territory, so that a chunk of them touches few pairs of
	// territories; locked lists the others.
	order, locked []int32
	span          int // how many accounts of order a chunk of a pass covers
	chunks        []*chunk
	scratch       []*scratch // one per goroutine of a parallel pass
	lamT          []float64  // the prices of a pass, by territory (see evalChunk)
	// progress, when set, hears the number of passes made after each.
	progress func(passes int)
	// spread, when positive, replaces startSpread (coarse.go).
	spread float64
	// startAt, when positive, is the first temperature (a coarser level's
	// last, coarse.go). temps, when positive, ends the search once the
	// loads have converged at its temps-th temperature, keeping those
	// prices (a coarse level); reached is the temperature it ended at.
	startAt float64
	temps   int
	reached float64
}

// newNewton returns the solver for the prices p, or nil when Newton's
// method does not apply: no rules, one territory, or a band open on one
// side (a bare max or min, where the sign-based update is kept).
func newNewton(s *state, c *candidates, p *prices) *newton {
	m := s.m
	if m.rules() == 0 || m.k < 2 {
		return nil
	}
	nw := &newton{s: s, c: c, r: m.rules(), k: m.k, lam: p.lambda, lo: p.lo, hi: p.hi}
	nw.closed = make([]bool, m.k)
	for k := range nw.closed {
		nw.closed[k] = m.share[k] <= 0
	}
	for r := 0; r < m.rules(); r++ {
		for k := 0; k < m.k; k++ {
			if math.IsInf(p.lo[r][k], 0) || math.IsInf(p.hi[r][k], 0) {
				return nil
			}
		}
	}
	nw.c = s.withReach(c)
	c = nw.c
	nw.aims()
	nw.fixed = make([][]float64, nw.r)
	for r := range nw.fixed {
		nw.fixed[r] = make([]float64, m.k)
	}
	if m.locked != nil {
		for i, l := range m.locked {
			if l {
				for r, w := range m.w {
					nw.fixed[r][s.assign[i]] += w[i]
				}
			}
		}
	}
	nw.costs()
	for i := 0; i < m.n; i++ {
		if m.fixed(i) {
			nw.locked = append(nw.locked, int32(i))
		} else {
			nw.order = append(nw.order, int32(i))
		}
	}
	nw.order = byNearest(nw.order, c, m.k)
	// Long candidate lists (every territory, on a coarse level) make
	// shorter chunks, so that both cores share the pass; the chunks
	// depend on the lists only, never on the cores.
	nw.span = chunkSize
	if avg := len(c.list) / max(1, m.n); avg > 2*candidateCount {
		nw.span = max(64, chunkSize*2*candidateCount/avg)
	}
	nw.scratch = make([]*scratch, workers())
	return nw
}

// byNearest returns the accounts idx ordered by their nearest territory
// (their first candidate), keeping their order within each: a counting
// sort.
func byNearest(idx []int32, c *candidates, k int) []int32 {
	start := make([]int, k+1)
	for _, i := range idx {
		start[c.of(int(i))[0]+1]++
	}
	for t := 0; t < k; t++ {
		start[t+1] += start[t]
	}
	out := make([]int32, len(idx))
	for _, i := range idx {
		t := c.of(int(i))[0]
		out[start[t]] = i
		start[t]++
	}
	return out
}

// costs caches every account's cost in each of its candidates.
func (nw *newton) costs() {
	s, c := nw.s, nw.c
	nw.cost = slices.Grow(nw.cost[:0], len(c.list))[:len(c.list)]
	n := s.m.n
	parallelFor((n+chunkSize-1)/chunkSize, func(_, ch int) {
		for i := ch * chunkSize; i < min(n, (ch+1)*chunkSize); i++ {
			at := int(c.start[i])
			for j, k := range c.of(i) {
				nw.cost[at+j] = s.costOf(i, k)
			}
		}
	})
}

// aimShare is the part of every band, around its middle, that the
// smoothed loads aim for: rounding the smoothed assignment to the plain
// one then still lands inside the band.
const aimShare = 0.5

// aims sets the bands the smoothed loads aim for: the middle aimShare of
// every band, or the whole band for a rule whose middles cannot hold its
// total (explicit min and max bounds need not be centred on the targets).
func (nw *newton) aims() {
	m := nw.s.m
	nw.tlo, nw.thi, nw.scale = make([][]float64, nw.r), make([][]float64, nw.r), make([][]float64, nw.r)
	for r := 0; r < nw.r; r++ {
		tlo, thi, sc := make([]float64, m.k), make([]float64, m.k), make([]float64, m.k)
		total, sumLo, sumHi := 0.0, 0.0, 0.0
		for _, w := range m.w[r] {
			total += w
		}
		for k := range tlo {
			if nw.closed[k] {
				continue
			}
			lo, hi := nw.lo[r][k], nw.hi[r][k]
			mid, half := (lo+hi)/2, (hi-lo)/2
			tlo[k], thi[k] = mid-float64(aimShare*half), mid+float64(aimShare*half)
			sc[k] = math.Max(half, 1e-3)
			sumLo += tlo[k]
			sumHi += thi[k]
		}
		if sumLo > total || sumHi < total {
			for k := range tlo {
				if !nw.closed[k] {
					tlo[k], thi[k] = nw.lo[r][k], nw.hi[r][k]
				}
			}
		}
		nw.tlo[r], nw.thi[r], nw.scale[r] = tlo, thi, sc
	}
}

// evaluation is the outcome of one pass over the accounts at given prices
// and temperature: smoothed and plain loads, the dual, and the Hessian's
// blocks.
type evaluation struct {
	soft, hard [][]float64
	pairs      *pairIndex
	keys       []int64   // the territory pairs a·K+b (a < b) with a block
	blocks     []float64 // per pair, the upper triangle of its R×R block
	assign     []int32   // every account's plain territory
	vbest      []float64 // every account's least priced cost
	phi        float64   // the smoothed dual Φ
	hardViol   float64   // Σ of the plain loads' violations of the bands
}

func (nw *newton) newEvaluation() *evaluation {
	ev := &evaluation{pairs: newPairIndex(nw.k), assign: make([]int32, nw.s.m.n), vbest: make([]float64, nw.s.m.n)}
	ev.soft = make([][]float64, nw.r)
	ev.hard = make([][]float64, nw.r)
	for r := range ev.soft {
		ev.soft[r] = make([]float64, nw.k)
		ev.hard[r] = make([]float64, nw.k)
	}
	return ev
}

// zMax bounds the exponent of the smoothing: a candidate more than
// zMax·δ dearer than an account's best gets none of it (e^−12 ≈ 6·10⁻⁶).
// pairMin is the least product of two shares that adds to the Hessian.
const (
	zMax    = 12
	pairMin = 1e-6
)

// chunkSize is how many accounts one unit of a parallel pass covers. The
// chunks, and the order in which their sums are added, do not depend on
// how many goroutines run them, so neither do the sums.
const chunkSize = 4096

// chunk is one chunk's share of an evaluation: its partial loads and dual,
// and its Hessian blocks in the order it first met their pairs.
type chunk struct {
	soft, hard []float64 // [rule·K + territory]
	phi        float64
	keys       []int64
	blocks     []float64
}

// scratch is one goroutine's working memory for a pass.
type scratch struct {
	v, pe []float64
	wi    []float64 // the account's weights, by rule
	act   []int
	ww    []float64
	pairs *pairIndex
}

// evaluate makes one pass over the accounts at prices lam and temperature
// delta, filling ev. The accounts are split into chunks that run on every
// core; their results are added in chunk order.
func (nw *newton) evaluate(lam [][]float64, delta float64, ev *evaluation) {
	n, span := len(nw.order), nw.span
	chunks := (n + span - 1) / span
	for len(nw.chunks) < chunks {
		nw.chunks = append(nw.chunks, &chunk{soft: make([]float64, nw.r*nw.k), hard: make([]float64, nw.r*nw.k)})
	}
	// The prices by territory, so that an account's candidates read them
	// from one place each.
	nw.lamT = slices.Grow(nw.lamT[:0], nw.k*nw.r)[:nw.k*nw.r]
	for r := range lam {
		for k, l := range lam[r] {
			nw.lamT[k*nw.r+r] = l
		}
	}
	parallelFor(chunks, func(worker, c int) {
		if nw.scratch[worker] == nil {
			nw.scratch[worker] = &scratch{ww: make([]float64, nw.r*(nw.r+1)/2), wi: make([]float64, nw.r), pairs: newPairIndex(nw.k)}
		}
		nw.evalChunk(nw.lamT, delta, nw.order[c*span:min(n, (c+1)*span)], nw.chunks[c], nw.scratch[worker], ev)
	})
	nb := nw.r * (nw.r + 1) / 2
	for r := range ev.soft {
		copy(ev.soft[r], nw.fixed[r])
		copy(ev.hard[r], nw.fixed[r])
	}
	for _, key := range ev.keys {
		ev.pairs.set(key, -1)
	}
	ev.keys, ev.blocks = ev.keys[:0], ev.blocks[:0]
	phi := 0.0
	for _, ch := range nw.chunks[:chunks] {
		for r := range ev.soft {
			for k := range ev.soft[r] {
				ev.soft[r][k] += ch.soft[r*nw.k+k]
				ev.hard[r][k] += ch.hard[r*nw.k+k]
			}
		}
		phi += ch.phi
		for e, key := range ch.keys {
			at, ok := ev.pairs.get(key)
			if !ok {
				at = len(ev.keys)
				ev.pairs.set(key, at)
				ev.keys = append(ev.keys, key)
				ev.blocks = append(ev.blocks, ch.blocks[e*nb:(e+1)*nb]...)
				continue
			}
			blk := ev.blocks[at*nb : (at+1)*nb]
			for q := range blk {
				blk[q] += ch.blocks[e*nb+q]
			}
		}
	}
	for _, i := range nw.locked {
		ev.assign[i] = nw.s.assign[i]
	}
	ev.hardViol = 0
	for r := 0; r < nw.r; r++ {
		for k := 0; k < nw.k; k++ {
			if nw.closed[k] {
				ev.hardViol += math.Abs(ev.hard[r][k])
				continue
			}
			l := lam[r][k]
			mid, half := (nw.tlo[r][k]+nw.thi[r][k])/2, (nw.thi[r][k]-nw.tlo[r][k])/2
			phi += float64(l*nw.fixed[r][k]) - float64(l*mid) - float64(half*math.Sqrt(float64(l*l)+float64(delta*delta)))
			ev.hardViol += violation(ev.hard[r][k], nw.lo[r][k], nw.hi[r][k])
		}
	}
	ev.phi = phi
}

// evalChunk runs the pass over the accounts idx into ch, at the prices
// lamT (lamT[k·R+r] is rule r's price in territory k), and writes their
// plain territories and least priced costs into ev.
func (nw *newton) evalChunk(lamT []float64, delta float64, idx []int32, ch *chunk, sc *scratch, ev *evaluation) {
	assign := ev.assign
	s, c, m := nw.s, nw.c, nw.s.m
	K := nw.k
	nb := nw.r * (nw.r + 1) / 2
	clear(ch.soft)
	clear(ch.hard)
	ch.keys, ch.blocks, ch.phi = ch.keys[:0], ch.blocks[:0], 0
	defer func() {
		// The scratch table goes back empty for the next chunk.
		for _, key := range ch.keys {
			sc.pairs.set(key, -1)
		}
	}()
	for _, i32 := range idx {
		i := int(i32)
		// An account that stands for mult of them (a group, coarse.go)
		// is smoothed at mult·δ: its costs are mult times its mean's, so
		// that it spreads as its members would.
		di := float64(delta * m.multOf(i))
		inv := 1 / di
		list, costs := c.of(i), nw.cost[c.start[i]:c.start[i+1]]
		sc.v = slices.Grow(sc.v[:0], len(list))[:len(list)]
		sc.pe = slices.Grow(sc.pe[:0], len(list))[:len(list)]
		v, pe := sc.v, sc.pe
		best, vb := -1, math.Inf(1)
		wi := sc.wi
		for r, w := range m.w {
			wi[r] = w[i]
		}
		for j, k := range list {
			if nw.closed[k] {
				v[j] = math.Inf(1)
				continue
			}
			x := costs[j]
			lk := lamT[int(k)*len(wi) : int(k+1)*len(wi)]
			for r, w := range wi {
				x += float64(lk[r] * w)
			}
			v[j] = x
			if x < vb {
				best, vb = j, x
			}
		}
		if best < 0 {
			// Every candidate is closed: the account stays where it is.
			k := int(s.assign[i])
			assign[i] = s.assign[i]
			ev.vbest[i] = math.Inf(1)
			for r, w := range m.w {
				ch.hard[r*K+k] += w[i]
				ch.soft[r*K+k] += w[i]
			}
			continue
		}
		kb := int(list[best])
		assign[i] = list[best]
		ev.vbest[i] = vb
		for r, w := range m.w {
			ch.hard[r*K+kb] += w[i]
		}
		act := sc.act[:0]
		sum := 0.0
		for j := range list {
			if j == best {
				pe[len(act)] = 1
				sum++
				act = append(act, j)
				continue
			}
			z := float64((v[j] - vb) * inv)
			if z < zMax {
				pe[len(act)] = expNeg(z)
				sum += pe[len(act)]
				act = append(act, j)
			}
		}
		sc.act = act
		if len(act) == 1 {
			ch.phi += vb
			for r, w := range m.w {
				ch.soft[r*K+kb] += w[i]
			}
			continue
		}
		ch.phi += vb - float64(di*logPos(sum))
		for a := range act {
			pe[a] /= sum
			k := int(list[act[a]])
			for r, w := range m.w {
				ch.soft[r*K+k] += float64(w[i] * pe[a])
			}
		}
		q := 0
		for r := 0; r < nw.r; r++ {
			for r2 := r; r2 < nw.r; r2++ {
				sc.ww[q] = float64(m.w[r][i] * m.w[r2][i])
				q++
			}
		}
		for a := range act {
			for b := a + 1; b < len(act); b++ {
				pp := float64(pe[a] * pe[b])
				if pp < pairMin {
					continue
				}
				ka, kb := list[act[a]], list[act[b]]
				if ka > kb {
					ka, kb = kb, ka
				}
				coef := float64(pp * inv)
				key := int64(ka)*int64(K) + int64(kb)
				at, ok := sc.pairs.get(key)
				if !ok {
					at = len(ch.keys)
					sc.pairs.set(key, at)
					ch.keys = append(ch.keys, key)
					ch.blocks = append(ch.blocks, make([]float64, nb)...)
				}
				blk := ch.blocks[at*nb : (at+1)*nb]
				for q := range blk {
					blk[q] += float64(coef * sc.ww[q])
				}
			}
		}
	}
}

// gradient fills g with the dual's gradient at prices lam and
// temperature delta (indexed k·R+r), and curv with the curvature of its
// band term, which adds to the Hessian's diagonal. It returns the largest
// distance of a smoothed load outside the band it aims for, in units of
// scale.
//
// The band term of the dual, mid·λ + half·√(λ² + δ²), is the smooth form
// of max(λ·hi, λ·lo): its slope runs from the band's low edge (λ ≪ −δ)
// through its middle (λ = 0) to its high edge (λ ≫ δ). A price thus feels
// no pull while its load is anywhere in the band, and, unlike the sharp
// form, the dual stays smooth at 0, so no price has to switch on and off.
func (nw *newton) gradient(lam [][]float64, delta float64, ev *evaluation, g, curv []float64) float64 {
	worst := 0.0
	for k := 0; k < nw.k; k++ {
		for r := 0; r < nw.r; r++ {
			x := k*nw.r + r
			g[x], curv[x] = 0, 0
			if nw.closed[k] {
				continue
			}
			soft, l := ev.soft[r][k], lam[r][k]
			lo, hi := nw.tlo[r][k], nw.thi[r][k]
			mid, half := (lo+hi)/2, (hi-lo)/2
			root := math.Sqrt(float64(l*l) + float64(delta*delta))
			g[x] = soft - mid - float64(half*l)/root
			curv[x] = float64(half*delta) * delta / (root * root * root)
			out := math.Max(lo-soft, soft-hi)
			worst = math.Max(worst, out/nw.scale[r][k])
		}
	}
	return worst
}

// startDelta is the first temperature: the median, over a sample of
// accounts, of the gap between an account's best and second-best priced
// cost (per account it stands for), so that about half of the accounts
// start out spread.
func (nw *newton) startDelta() float64 {
	c, m := nw.c, nw.s.m
	step := max(1, m.n/4096)
	var gaps []float64
	for i := 0; i < m.n; i += step {
		if m.fixed(i) {
			continue
		}
		b1, b2 := math.Inf(1), math.Inf(1)
		for j, k := range c.of(i) {
			if nw.closed[k] {
				continue
			}
			x := nw.cost[int(c.start[i])+j]
			for r, w := range m.w {
				x += float64(nw.lam[r][k] * w[i])
			}
			switch {
			case x < b1:
				b1, b2 = x, b1
			case x < b2:
				b2 = x
			}
		}
		if !math.IsInf(b2, 1) {
			gaps = append(gaps, (b2-b1)/m.multOf(i))
		}
	}
	if len(gaps) == 0 {
		return nw.s.costScale()
	}
	slices.Sort(gaps)
	d := gaps[len(gaps)/2]
	if d <= 0 {
		d = 1e-3 * nw.s.costScale()
	}
	return d
}

// damping is the Levenberg–Marquardt damping of the Newton step: the
// share of its own diagonal, and of the median diagonal, added to every
// diagonal entry of the Hessian. The second keeps a territory with
// (almost) no marginal accounts from a step without bound; rules whose
// weights nearly coincide (count, and a revenue about the same for every
// account) need the first.
const damping = 1e-3

// The trust region of a step, in units of δ: where it starts, and where a
// refused step gives up on it.
const (
	tauStart = 4.0
	tauMin   = 1.0 / 64
)

// After stallSteps accepted steps in a row that each left the worst error
// above stallShare of what it was, the pricing runs (see price).
const (
	stallSteps = 1
	stallShare = 0.8
)

// idlePasses is how many passes past the first temperature may leave the
// plain assignment no better (by idleGain) before the search ends, and
// idleTempsMax how many sharper temperatures in a row may: what is left
// is rounding, which the repair does faster.
const (
	idlePasses   = 12
	idleGain     = 0.8
	idleTempsMax = 2
)

// startSpread is the first temperature in multiples of the median gap
// between an account's best and second-best priced cost. At the gap
// itself the smoothing reaches only the accounts at the territories'
// edges; where a dense city must send its accounts several territories
// away, the prices that do it lie dozens of gaps apart, and steps of a
// few δ take the whole pass budget to get there.
const startSpread = 4

// sharpenAt is the worst error (in half-widths of a band, past the part
// it aims for) at which the temperature drops fourfold; after
// tempIdlePasses passes that did not lower it by a quarter (below
// tempGain of the least so far), nearBand will do.
const (
	sharpenAt      = 1.0
	nearBand       = 4.0
	tempIdlePasses = 4
	tempGain       = 0.75
)

// solve runs Newton steps for at most passes passes over the accounts and
// leaves the state in the plain assignment at the best prices found (least
// violation of the bands). It returns the number of passes made.
//
// The first temperature is also where candidates are added (see price):
// the prices that carry the flow between regions are found there, and new
// candidates at a sharper temperature would undo the progress made.
func (nw *newton) solve(ctx context.Context, passes int) (int, error) {
	spread := float64(startSpread)
	if nw.spread > 0 {
		spread = nw.spread
	}
	delta := spread * nw.startDelta()
	if nw.startAt > 0 {
		delta = nw.startAt
	}
	delta0 := delta
	nw.reached = delta
	cur, trial := nw.newEvaluation(), nw.newEvaluation()
	nw.evaluate(nw.lam, delta, cur)
	done := 1
	best := cloneRows(nw.lam)
	bestAssign := slices.Clone(cur.assign)
	bestViol := cur.hardViol
	// since counts the passes since the plain assignment last improved
	// by a fifth on mark: smaller gains are rounding, which the repair
	// does faster (a million accounts: 30 passes of a third of a second,
	// each lowering a violation of 600 by a few percent, or one sweep of
	// the repair).
	since, mark := 0, bestViol
	keep := func(ev *evaluation, lam [][]float64) {
		since++
		if ev.hardViol < bestViol {
			bestViol = ev.hardViol
			copy(bestAssign, ev.assign)
			copyRows(best, lam)
		}
		if ev.hardViol < idleGain*mark {
			since, mark = 0, ev.hardViol
		}
	}
	next := cloneRows(nw.lam)
	cg := newCG(nw)
	g := make([]float64, nw.r*nw.k)
	curv := make([]float64, nw.r*nw.k)
	tau := tauStart
	stalled, prevWorst, moved := 0, math.Inf(1), false
	tempBest, tempIdle := math.Inf(1), 0 // the least worst error at this temperature, and passes since
	// idleTemps counts the temperatures in a row past the first that did
	// not lower the plain violation by a fifth (from tempMark).
	idleTemps, tempMark := 0, bestViol
	for done < passes && bestViol > 0 && (delta >= delta0 || since < idlePasses && idleTemps < idleTempsMax) {
		if err := ctx.Err(); err != nil {
			return done, err
		}
		if nw.progress != nil {
			nw.progress(done)
		}
		worst := nw.gradient(nw.lam, delta, cur, g, curv)
		if moved {
			// Steps that raise the dual without bringing the loads closer
			// mean that no prices can balance these candidates: the dual
			// grows without bound. Widen them.
			moved = false
			if worst > stallShare*prevWorst {
				stalled++
			} else {
				stalled = 0
			}
			prevWorst = worst
			if stalled >= stallSteps && worst > priceAbove && delta >= delta0 {
				stalled = 0
				if nw.price(delta, cur) > 0 {
					nw.evaluate(nw.lam, delta, cur)
					keep(cur, nw.lam)
					done++
					continue
				}
			}
		}
		// Passes at one temperature that no longer bring the loads closer
		// end it once they are near their bands: what is left at this
		// smoothing is spread, not error, and a sharper one may place it.
		if worst < tempGain*tempBest {
			tempBest, tempIdle = worst, 0
		} else {
			tempIdle++
		}
		if worst <= sharpenAt || worst <= nearBand && tempIdle >= tempIdlePasses {
			if nw.temps > 0 {
				if nw.temps--; nw.temps == 0 {
					break
				}
			}
			// The smoothed loads are in band: sharpen. The idle passes
			// that end the search count from the first temperature's end.
			tempBest, tempIdle = math.Inf(1), 0
			if delta >= delta0 {
				since, mark = 0, bestViol
			} else if bestViol >= idleGain*tempMark {
				idleTemps++
			} else {
				idleTemps = 0
			}
			tempMark = bestViol
			delta /= 4
			nw.reached = delta
			tau = tauStart
			nw.evaluate(nw.lam, delta, cur)
			keep(cur, nw.lam)
			done++
			continue
		}
		d := cg.direction(cur, g, curv)
		if d == nil {
			// No two territories share a marginal account: smooth more.
			delta *= 4
			nw.evaluate(nw.lam, delta, cur)
			done++
			continue
		}
		// The step is capped at tau·δ per price (a trust region: the
		// smoothing is only accurate over a few δ), and shortened fourfold
		// when it does not raise the dual enough (Armijo).
		dmax := 0.0
		for _, v := range d {
			dmax = math.Max(dmax, math.Abs(v))
		}
		alpha := math.Min(1, tau*delta/dmax)
		accepted := false
		for try := 0; try < 2 && done < passes; try, alpha = try+1, alpha/4 {
			rise := 0.0
			for k := 0; k < nw.k; k++ {
				for r := 0; r < nw.r; r++ {
					x := k*nw.r + r
					l := nw.lam[r][k]
					n := l + float64(alpha*d[x])
					next[r][k] = n
					rise += float64(g[x] * (n - l))
				}
			}
			nw.evaluate(next, delta, trial)
			done++
			keep(trial, next)
			if trial.phi >= cur.phi+1e-4*rise {
				accepted = true
				break
			}
		}
		if !accepted {
			tau = alpha * dmax / delta
			if tau < tauMin {
				// Not even a short step helps: widen the candidates, or
				// else smooth more.
				tau = tauStart
				if delta < delta0 || nw.price(delta, cur) == 0 {
					delta *= 2
				}
				nw.evaluate(nw.lam, delta, cur)
				done++
			}
			continue
		}
		if alpha*dmax >= 0.9*tau*delta {
			tau *= 2 // the cap held the step back: widen it
		}
		moved = true
		copyRows(nw.lam, next)
		cur, trial = trial, cur
	}
	if nw.temps != 0 {
		// A coarse level: its smoothed loads, not its plain ones, are
		// what the prices balance (a group is too heavy to round).
		copy(nw.s.assign, cur.assign)
		nw.s.recount()
		return done, nil
	}
	copyRows(nw.lam, best)
	copy(nw.s.assign, bestAssign)
	nw.s.recount()
	return done, nil
}

// priceReach is how many nearest territories the pricing looks through;
// it adds those within zPrice·δ of an account's best, and runs only while
// the worst error is above priceAbove (a search that stalls below it is
// close enough for the next temperature).
const priceReach = 4 * candidateCount

const (
	zPrice     = 4.0
	priceAbove = 4.0
)

// price adds candidates where the nearest ones cannot carry the flow
// (column generation): with reps denser than accounts in one region, the
// accounts that have its reps among their nearest are too few to fill
// them, and in a dense city too many; no prices can then balance the
// loads, and the dual grows without bound. Every account with a candidate
// whose load is out of band gets, from its priceReach nearest
// territories (as seen from its nearest territory's centre), those that
// the current prices make about as cheap as its best. It returns how many
// were added.
func (nw *newton) price(delta float64, ev *evaluation) int {
	c, m := nw.c, nw.s.m
	reach := min(m.k, priceReach)
	if reach <= c.per {
		return 0
	}
	hot := make([]bool, nw.k)
	for k := 0; k < nw.k; k++ {
		for r := 0; r < nw.r; r++ {
			soft := ev.soft[r][k]
			if !nw.closed[k] && math.Max(nw.tlo[r][k]-soft, soft-nw.thi[r][k]) > 0.1*nw.scale[r][k] {
				hot[k] = true
			}
		}
	}
	// No territory beyond an account's first per candidates is nearer than
	// the last of them, nor priced below the least price of each rule:
	// accounts whose bound is already too dear are skipped.
	least := make([]float64, nw.r)
	for r := range least {
		least[r] = math.Inf(1)
		for k := 0; k < nw.k; k++ {
			if !nw.closed[k] {
				least[r] = math.Min(least[r], nw.lam[r][k])
			}
		}
	}
	if nw.reach == nil {
		// The territories an account may reach are those nearest to the
		// centre of its nearest territory: one search per territory, not
		// one per account.
		ix := spatial.NewIndex(nw.s.centres)
		nw.reach = make([][]int32, nw.k)
		var buf []int
		for k := range nw.reach {
			buf = ix.Nearest(nw.s.centres[k], reach, buf[:0])
			for _, t := range buf {
				nw.reach[k] = append(nw.reach[k], int32(t))
			}
		}
	}
	limit := float64(zPrice * delta)
	type found struct{ i, k int32 }
	adds := make([][]found, (m.n+chunkSize-1)/chunkSize)
	type priceScratch struct {
		stamp []int32
	}
	scr := make([]*priceScratch, workers())
	parallelFor(len(adds), func(worker, ch int) {
		if scr[worker] == nil {
			scr[worker] = &priceScratch{stamp: make([]int32, nw.k)}
		}
		sc := scr[worker]
		var out []found
		for i := ch * chunkSize; i < min(m.n, (ch+1)*chunkSize); i++ {
			own := c.of(i)
			if m.fixed(i) || !slices.ContainsFunc(own, func(k int32) bool { return hot[k] }) {
				continue
			}
			vb := ev.vbest[i]
			bound := nw.cost[int(c.start[i])+c.per-1]
			for r, w := range m.w {
				bound += float64(least[r] * w[i])
			}
			limit := float64(limit * m.multOf(i))
			if bound-vb >= limit {
				continue
			}
			for _, k := range own {
				sc.stamp[k] = int32(i + 1)
			}
			for _, k := range nw.reach[own[0]] {
				if nw.closed[k] || sc.stamp[k] == int32(i+1) {
					continue
				}
				if nw.priced(i, k, nw.lam)-vb < limit {
					out = append(out, found{int32(i), k})
				}
			}
		}
		adds[ch] = out
	})
	added := 0
	for _, a := range adds {
		added += len(a)
	}
	if added == 0 {
		return 0
	}
	start := make([]int32, m.n+1)
	list := make([]int32, 0, len(c.list)+added)
	for ch, a := range adds {
		for i := ch * chunkSize; i < min(m.n, (ch+1)*chunkSize); i++ {
			list = append(list, c.of(i)...)
			for len(a) > 0 && int(a[0].i) == i {
				list = append(list, a[0].k)
				a = a[1:]
			}
			start[i+1] = int32(len(list))
		}
	}
	c.start, c.list = start, list
	nw.costs()
	return added
}

// zSupport is how much dearer than an account's best, in units of its
// temperature, a territory may be and still count in its support: its
// share of the account is then at least e^−zSupport (about 3·10⁻⁴).
const zSupport = 8

// support lists, for every account, the candidates that hold a share of
// it at the prices and temperature the search ended at (its own
// territory first): where a coarse level spreads a group, its members
// may go (coarse.go).
func (nw *newton) support() *candidates {
	c, m := nw.c, nw.s.m
	chunks := (m.n + chunkSize - 1) / chunkSize
	parts := make([][]int32, chunks)
	counts := make([][]int32, chunks)
	parallelFor(chunks, func(_, ch int) {
		var list, cnt []int32
		var v []float64 // the priced costs of an account's candidates, from the cached costs
		for i := ch * chunkSize; i < min(m.n, (ch+1)*chunkSize); i++ {
			own, costs := c.of(i), nw.cost[c.start[i]:c.start[i+1]]
			v = v[:0]
			best, vb := int32(-1), math.Inf(1)
			for j, k := range own {
				x := costs[j]
				for r, w := range m.w {
					x += float64(nw.lam[r][k] * w[i])
				}
				v = append(v, x)
				if !nw.closed[k] && x < vb {
					best, vb = k, x
				}
			}
			if best < 0 {
				best = nw.s.assign[i]
			}
			n := len(list)
			list = append(list, best)
			limit := float64(zSupport * float64(nw.reached*m.multOf(i)))
			for j, k := range own {
				if k != best && !nw.closed[k] && v[j]-vb < limit {
					list = append(list, k)
				}
			}
			cnt = append(cnt, int32(len(list)-n))
		}
		parts[ch], counts[ch] = list, cnt
	})
	out := &candidates{start: make([]int32, m.n+1)}
	i := 0
	for ch := range parts {
		out.list = append(out.list, parts[ch]...)
		for _, n := range counts[ch] {
			out.start[i+1] = out.start[i] + n
			i++
		}
	}
	return out
}

// priced is account i's priced cost in territory k at prices lam.
func (nw *newton) priced(i int, k int32, lam [][]float64) float64 {
	x := nw.s.costOf(i, k)
	for r, w := range nw.s.m.w {
		x += float64(lam[r][k] * w[i])
	}
	return x
}

// cg solves the damped Newton system (H + ridge)·d = g (the prices of
// closed territories keep d = 0) by conjugate gradients with a
// block-Jacobi preconditioner, where H is the Laplacian of the
// evaluation's pair blocks and the ridge holds the band terms' curvature
// and a little damping.
type cg struct {
	nw                  *newton
	diag                []float64 // per territory, its R×R diagonal block (full)
	chol                []float64 // per territory, the Cholesky factor of the preconditioner block
	x, res, z, p, ap, g []float64
}

func newCG(nw *newton) *cg {
	n := nw.r * nw.k
	c := &cg{nw: nw, diag: make([]float64, nw.k*nw.r*nw.r), chol: make([]float64, nw.k*nw.r*nw.r)}
	for _, v := range []*[]float64{&c.x, &c.res, &c.z, &c.p, &c.ap, &c.g} {
		*v = make([]float64, n)
	}
	return c
}

// cgIterations caps the conjugate-gradient iterations of one Newton step.
const cgIterations = 200

// direction returns the Newton step for the evaluation, indexed k·R+r, or
// nil when the Jacobian is empty.
func (c *cg) direction(ev *evaluation, g, curv []float64) []float64 {
	nw := c.nw
	R, K := nw.r, nw.k
	nb := R * (R + 1) / 2
	clear(c.diag)
	for e, key := range ev.keys {
		a, b := int(key/int64(K)), int(key%int64(K))
		blk := ev.blocks[e*nb : (e+1)*nb]
		for _, t := range []int{a, b} {
			d := c.diag[t*R*R : (t+1)*R*R]
			n := 0
			for r := 0; r < R; r++ {
				for q := r; q < R; q++ {
					d[r*R+q] += blk[n]
					if q != r {
						d[q*R+r] += blk[n]
					}
					n++
				}
			}
		}
	}
	// The ridge: the damping and the band terms' curvature.
	ridge := make([]float64, R*K)
	for r := 0; r < R; r++ {
		var ds []float64
		for k := 0; k < K; k++ {
			if !nw.closed[k] {
				ds = append(ds, c.diag[k*R*R+r*R+r])
			}
		}
		slices.Sort(ds)
		med := ds[len(ds)/2]
		if med <= 0 {
			return nil
		}
		for k := 0; k < K; k++ {
			ridge[k*R+r] = float64(damping*c.diag[k*R*R+r*R+r]) + damping*med + curv[k*R+r]
		}
	}
	for k := 0; k < K; k++ {
		blk := c.chol[k*R*R : (k+1)*R*R]
		copy(blk, c.diag[k*R*R:(k+1)*R*R])
		for r := 0; r < R; r++ {
			blk[r*R+r] += ridge[k*R+r]
		}
		cholesky(blk, R)
	}
	apply := func(x, y []float64) {
		for i := range y {
			y[i] = float64(ridge[i] * x[i])
		}
		for e, key := range ev.keys {
			a, b := int(key/int64(K)), int(key%int64(K))
			blk := ev.blocks[e*nb : (e+1)*nb]
			n := 0
			for r := 0; r < R; r++ {
				for q := r; q < R; q++ {
					m := blk[n]
					n++
					dq := x[a*R+q] - x[b*R+q]
					y[a*R+r] += float64(m * dq)
					y[b*R+r] -= float64(m * dq)
					if q != r {
						dr := x[a*R+r] - x[b*R+r]
						y[a*R+q] += float64(m * dr)
						y[b*R+q] -= float64(m * dr)
					}
				}
			}
		}
		for k := 0; k < K; k++ {
			if nw.closed[k] {
				clear(y[k*R : (k+1)*R])
			}
		}
	}
	precond := func(x, y []float64) {
		for k := 0; k < K; k++ {
			if nw.closed[k] {
				clear(y[k*R : (k+1)*R])
				continue
			}
			cholSolve(c.chol[k*R*R:(k+1)*R*R], R, x[k*R:(k+1)*R], y[k*R:(k+1)*R])
		}
	}
	copy(c.g, g)
	clear(c.x)
	copy(c.res, c.g)
	precond(c.res, c.z)
	copy(c.p, c.z)
	rz := dot(c.res, c.z)
	r0 := dot(c.res, c.res)
	if r0 == 0 {
		return nil
	}
	for it := 0; it < cgIterations; it++ {
		apply(c.p, c.ap)
		pap := dot(c.p, c.ap)
		if pap <= 0 {
			break
		}
		alpha := rz / pap
		for i := range c.x {
			c.x[i] += float64(alpha * c.p[i])
			c.res[i] -= float64(alpha * c.ap[i])
		}
		if dot(c.res, c.res) <= 1e-8*r0 {
			break
		}
		precond(c.res, c.z)
		rz2 := dot(c.res, c.z)
		beta := rz2 / rz
		rz = rz2
		for i := range c.p {
			c.p[i] = c.z[i] + float64(beta*c.p[i])
		}
	}
	return c.x
}

// dot is the inner product, summed in index order without fused
// multiply-add.
func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += float64(a[i] * b[i])
	}
	return s
}

// cholesky factors the symmetric positive definite n×n matrix a (row-major)
// in place into its lower-triangular factor.
func cholesky(a []float64, n int) {
	for j := 0; j < n; j++ {
		d := a[j*n+j]
		for q := 0; q < j; q++ {
			d -= float64(a[j*n+q] * a[j*n+q])
		}
		d = math.Sqrt(math.Max(d, 1e-300))
		a[j*n+j] = d
		for i := j + 1; i < n; i++ {
			v := a[i*n+j]
			for q := 0; q < j; q++ {
				v -= float64(a[i*n+q] * a[j*n+q])
			}
			a[i*n+j] = v / d
		}
	}
}

// cholSolve solves L·Lᵀ·y = x for the factor of cholesky.
func cholSolve(l []float64, n int, x, y []float64) {
	for i := 0; i < n; i++ {
		v := x[i]
		for q := 0; q < i; q++ {
			v -= float64(l[i*n+q] * y[q])
		}
		y[i] = v / l[i*n+i]
	}
	for i := n - 1; i >= 0; i-- {
		v := y[i]
		for q := i + 1; q < n; q++ {
			v -= float64(l[q*n+i] * y[q])
		}
		y[i] = v / l[i*n+i]
	}
}

// expNeg is e^−z for 0 ≤ z ≤ zMax, computed with explicit rounding so
// that it gives the same bits on every machine (math.Exp is written in
// assembly on some of them): z = n·ln2 + t with |t| ≤ ln2/2, and e^−t by
// its Taylor series to the 13th term, below the last bit.
func expNeg(z float64) float64 {
	const (
		ln2Hi = 6.93147180369123816490e-01
		ln2Lo = 1.90821492927058770002e-10
	)
	n := math.Floor(z/math.Ln2 + 0.5)
	t := (z - float64(n*ln2Hi)) - float64(n*ln2Lo)
	// e^−t = Σ (−t)^j / j!, by Horner's rule from the 13th term down.
	u := -t
	p := invFact[13]
	for j := 12; j >= 0; j-- {
		p = float64(p*u) + invFact[j]
	}
	return math.Ldexp(p, -int(n))
}

// invFact[j] is 1/j!.
var invFact = func() [14]float64 {
	var f [14]float64
	v := 1.0
	for j := range f {
		if j > 0 {
			v *= float64(j)
		}
		f[j] = 1 / v
	}
	return f
}()

// logPos is the natural logarithm of x ≥ 1, computed with explicit
// rounding so that it gives the same bits on every machine: x = f·2^e with
// √½ ≤ f < √2, and ln f = 2·atanh(u) with u = (f−1)/(f+1), |u| < 0.172,
// by its series to the u²¹ term, below the last bit.
func logPos(x float64) float64 {
	f, e := math.Frexp(x)
	if f < math.Sqrt2/2 {
		f *= 2
		e--
	}
	u := (f - 1) / (f + 1)
	u2 := float64(u * u)
	p := 1.0 / 21
	for j := 19; j >= 1; j -= 2 {
		p = float64(p*u2) + 1/float64(j)
	}
	return float64(float64(e)*math.Ln2) + float64(2*float64(u*p))
}

func cloneRows(a [][]float64) [][]float64 {
	out := make([][]float64, len(a))
	for i := range a {
		out[i] = slices.Clone(a[i])
	}
	return out
}

func copyRows(dst, src [][]float64) {
	for i := range dst {
		copy(dst[i], src[i])
	}
}
