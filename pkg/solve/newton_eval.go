package solve

import (
	"math"
	"slices"

	"github.com/territory-optimizer/territory/pkg/parallel"
)

// One pass of Newton's method over the accounts at given prices and
// temperature (evaluate), run in chunks on every core and added in chunk
// order: the smoothed and plain loads, the dual Φ, the Hessian's pair
// blocks (evaluation, chunk, scratch, evalChunk), and the dual's gradient
// (gradient).

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
	parallel.For(chunks, func(worker, c int) {
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
