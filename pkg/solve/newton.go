package solve

import (
	"context"
	"math"
	"slices"

	"github.com/territory-optimizer/territory/pkg/parallel"
)

// Newton's method for the prices: the newton type and its construction,
// the cached costs and the bands the loads aim for, and the loop (solve)
// that runs the temperature schedule, one Newton step at a time. A pass
// over the accounts is in newton_eval.go, the pricing that widens the
// candidates in newton_price.go, the linear algebra of a step in
// newton_cg.go, and the portable exp and log in detmath.go.

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
	// warm marks prices that start from an earlier solve of the same
	// accounts at its last temperature (kmeans.go).
	warm    bool
	temps   int
	reached float64
	// tauMax, when positive, caps the trust region (in units of δ) as it
	// grows (a coarse level, coarse.go).
	tauMax float64
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
	nw.scratch = make([]*scratch, parallel.Workers())
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
	parallel.For((n+chunkSize-1)/chunkSize, func(_, ch int) {
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

// The trust region of a step, in units of δ: where it starts, and where a
// refused step gives up on it.
const (
	tauStart = 4.0
	tauMin   = 1.0 / 64
)

// After stallSteps accepted steps in a row that each left the worst error
// above stallShare of what it was, the pricing runs (see widen).
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
// solve is the temperature schedule: it starts at the first temperature
// (newRun), takes Newton steps at the current one (step), and divides it
// by four (sharpen) once the smoothed loads are near the bands they aim
// for. It stops when the plain assignment meets every band, when the
// passes are spent, or once passes past the first temperature stop
// improving the plain assignment (see idlePasses).
//
// The first temperature is also where candidates are added (see widen and
// price): the prices that carry the flow between regions are found there,
// and new candidates at a sharper temperature would undo the progress
// made.
func (nw *newton) solve(ctx context.Context, passes int) (int, error) {
	run := nw.newRun(passes)
	for run.done < passes && run.bestViol > 0 && (run.delta >= run.delta0 || run.since < idlePasses && run.idleTemps < idleTempsMax) {
		if err := ctx.Err(); err != nil {
			return run.done, err
		}
		if nw.progress != nil {
			nw.progress(run.done)
		}
		worst := nw.gradient(nw.lam, run.delta, run.cur, run.g, run.curv)
		if run.widen(worst) {
			continue
		}
		// Passes at one temperature that no longer bring the loads closer
		// end it once they are near their bands: what is left at this
		// smoothing is spread, not error, and a sharper one may place it.
		if worst < tempGain*run.tempBest {
			run.tempBest, run.tempIdle = worst, 0
		} else {
			run.tempIdle++
		}
		if worst <= sharpenAt || worst <= nearBand && run.tempIdle >= tempIdlePasses {
			if nw.temps > 0 {
				if nw.temps--; nw.temps == 0 {
					break
				}
			}
			run.sharpen()
			continue
		}
		run.step()
	}
	if nw.temps != 0 {
		// A coarse level: its smoothed loads, not its plain ones, are
		// what the prices balance (a group is too heavy to round).
		copy(nw.s.assign, run.cur.assign)
		nw.s.recount()
		return run.done, nil
	}
	copyRows(nw.lam, run.best)
	copy(nw.s.assign, run.bestAssign)
	nw.s.recount()
	return run.done, nil
}

// newtonRun is one run of solve: the temperature, the evaluations at the
// current and the trial prices, the best plain assignment so far, and the
// counters of the schedule and of the steps.
type newtonRun struct {
	nw            *newton
	passes, done  int     // the passes allowed, and made
	delta, delta0 float64 // the temperature, and the first one
	// cur is the evaluation at the prices nw.lam, trial the one at next,
	// the prices a step tries; g and curv are the dual's gradient at
	// nw.lam and its band terms' curvature (see gradient).
	cur, trial *evaluation
	next       [][]float64
	g, curv    []float64
	cg         *cg
	tau        float64 // the trust region, in units of δ
	// best and bestAssign are the prices and the plain assignment of
	// least violation so far, bestViol that violation.
	best       [][]float64
	bestAssign []int32
	bestViol   float64
	// since counts the passes since the plain assignment last improved
	// by a fifth on mark: smaller gains are rounding, which the repair
	// does faster (a million accounts: 30 passes of a third of a second,
	// each lowering a violation of 600 by a few percent, or one sweep of
	// the repair).
	since int
	mark  float64
	// moved reports whether the last step was taken; stalled counts the
	// steps in a row that left the worst error above stallShare of
	// prevWorst, the worst error before them (see widen).
	moved     bool
	stalled   int
	prevWorst float64
	// tempBest is the least worst error at this temperature, tempIdle the
	// passes since.
	tempBest float64
	tempIdle int
	// idleTemps counts the temperatures in a row past the first that did
	// not lower the plain violation by a fifth (from tempMark).
	idleTemps int
	tempMark  float64
}

// newRun starts a run of at most passes passes at the first temperature:
// startSpread median gaps (see startDelta), or nw.spread of them, or
// nw.startAt. The evaluation at the first temperature is its first pass.
func (nw *newton) newRun(passes int) *newtonRun {
	spread := float64(startSpread)
	if nw.spread > 0 {
		spread = nw.spread
	}
	delta := spread * nw.startDelta()
	if nw.startAt > 0 {
		delta = nw.startAt
	}
	nw.reached = delta
	run := &newtonRun{nw: nw, passes: passes, delta: delta, delta0: delta}
	if nw.warm {
		// Warm prices are past their first temperature: passes that stop
		// improving the plain assignment end the search.
		run.delta0 = 4 * delta
	}
	run.cur, run.trial = nw.newEvaluation(), nw.newEvaluation()
	nw.evaluate(nw.lam, delta, run.cur)
	run.done = 1
	run.best = cloneRows(nw.lam)
	run.bestAssign = slices.Clone(run.cur.assign)
	run.bestViol = run.cur.hardViol
	run.since, run.mark = 0, run.bestViol
	run.next = cloneRows(nw.lam)
	run.cg = newCG(nw)
	run.g = make([]float64, nw.r*nw.k)
	run.curv = make([]float64, nw.r*nw.k)
	run.tau = tauStart
	run.stalled, run.prevWorst, run.moved = 0, math.Inf(1), false
	run.tempBest, run.tempIdle = math.Inf(1), 0
	run.idleTemps, run.tempMark = 0, run.bestViol
	return run
}

// keep counts a pass that evaluated ev at the prices lam, and keeps its
// plain assignment and prices when they are the least violation so far.
func (run *newtonRun) keep(ev *evaluation, lam [][]float64) {
	run.since++
	if ev.hardViol < run.bestViol {
		run.bestViol = ev.hardViol
		copy(run.bestAssign, ev.assign)
		copyRows(run.best, lam)
	}
	if ev.hardViol < idleGain*run.mark {
		run.since, run.mark = 0, ev.hardViol
	}
}

// sharpen divides the temperature by four, the smoothed loads being in
// band, and evaluates the prices at it (a pass). The idle passes that end
// the search count from the first temperature's end.
func (run *newtonRun) sharpen() {
	nw := run.nw
	run.tempBest, run.tempIdle = math.Inf(1), 0
	if run.delta >= run.delta0 {
		run.since, run.mark = 0, run.bestViol
	} else if run.bestViol >= idleGain*run.tempMark {
		run.idleTemps++
	} else {
		run.idleTemps = 0
	}
	run.tempMark = run.bestViol
	run.delta /= 4
	nw.reached = run.delta
	run.tau = tauStart
	nw.evaluate(nw.lam, run.delta, run.cur)
	run.keep(run.cur, nw.lam)
	run.done++
}

// widen runs the pricing (see price) when the steps stall at the first
// temperature: steps that raise the dual without bringing the loads
// closer mean that no prices can balance these candidates, and the dual
// grows without bound. worst is the worst error at the current prices.
// widen reports whether it added candidates, and then evaluates the
// prices with them (a pass).
func (run *newtonRun) widen(worst float64) bool {
	nw := run.nw
	if !run.moved {
		return false
	}
	run.moved = false
	if worst > stallShare*run.prevWorst {
		run.stalled++
	} else {
		run.stalled = 0
	}
	run.prevWorst = worst
	if run.stalled >= stallSteps && worst > priceAbove && run.pricing() {
		run.stalled = 0
		if nw.price(run.delta, run.cur) > 0 {
			nw.evaluate(nw.lam, run.delta, run.cur)
			run.keep(run.cur, nw.lam)
			run.done++
			return true
		}
	}
	return false
}

// pricing reports whether the run may add candidates (see widen): at its
// first temperature, or smoother, and never when warm. Warm prices and
// candidates come from a solve of the same accounts that ended at a sharp
// temperature; a warm run that must smooth more (a step with no shared
// marginal account quadruples δ) is not at a first temperature, and
// candidates added there undo the balance it started from (seen on
// 100,000 accounts in 50 offices, with other coarse prices: the worst
// error from 15 to 1,800 in one pricing, and the warm centring lost).
func (run *newtonRun) pricing() bool {
	return !run.nw.warm && run.delta >= run.delta0
}

// step makes one Newton step at the current temperature, from the
// gradient in run.g and run.curv: the direction by conjugate gradients,
// capped at tau·δ per price (a trust region: the smoothing is only
// accurate over a few δ), and shortened fourfold when it does not raise
// the dual enough (Armijo). It takes one or two passes; a step that is
// refused shrinks the trust region, and where no step helps the step
// widens the candidates or smooths more.
func (run *newtonRun) step() {
	nw := run.nw
	d := run.cg.direction(run.cur, run.g, run.curv)
	if d == nil {
		// No two territories share a marginal account: smooth more.
		run.delta *= 4
		nw.evaluate(nw.lam, run.delta, run.cur)
		run.done++
		return
	}
	dmax := 0.0
	for _, v := range d {
		dmax = math.Max(dmax, math.Abs(v))
	}
	alpha := math.Min(1, run.tau*run.delta/dmax)
	accepted := false
	for try := 0; try < 2 && run.done < run.passes; try, alpha = try+1, alpha/4 {
		rise := 0.0
		for k := 0; k < nw.k; k++ {
			for r := 0; r < nw.r; r++ {
				x := k*nw.r + r
				l := nw.lam[r][k]
				n := l + float64(alpha*d[x])
				run.next[r][k] = n
				rise += float64(run.g[x] * (n - l))
			}
		}
		nw.evaluate(run.next, run.delta, run.trial)
		run.done++
		run.keep(run.trial, run.next)
		if run.trial.phi >= run.cur.phi+1e-4*rise {
			accepted = true
			break
		}
	}
	if !accepted {
		run.tau = alpha * dmax / run.delta
		if run.tau < tauMin {
			// Not even a short step helps: widen the candidates, or
			// else smooth more.
			run.tau = tauStart
			if !run.pricing() || nw.price(run.delta, run.cur) == 0 {
				run.delta *= 2
			}
			nw.evaluate(nw.lam, run.delta, run.cur)
			run.done++
		}
		return
	}
	if alpha*dmax >= 0.9*run.tau*run.delta {
		run.tau *= 2 // the cap held the step back: widen it
		if nw.tauMax > 0 {
			run.tau = min(run.tau, nw.tauMax)
		}
	}
	run.moved = true
	copyRows(nw.lam, run.next)
	run.cur, run.trial = run.trial, run.cur
}

// cloneRows returns a copy of the rows a.
func cloneRows(a [][]float64) [][]float64 {
	out := make([][]float64, len(a))
	for i := range a {
		out[i] = slices.Clone(a[i])
	}
	return out
}

// copyRows copies the rows of src into those of dst.
func copyRows(dst, src [][]float64) {
	for i := range dst {
		copy(dst[i], src[i])
	}
}
