package solve

import (
	"math"
	"slices"

	"github.com/territory-optimizer/territory/pkg/parallel"
	"github.com/territory-optimizer/territory/pkg/spatial"
)

// The candidates of Newton's method, priced: column generation that adds
// territories where the nearest ones cannot carry the flow (price), the
// territories a coarse level spreads an account over (support), and an
// account's priced cost (priced).

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
		nw.reach = nw.s.reachLists(reach)
	}
	limit := float64(zPrice * delta)
	type found struct{ i, k int32 }
	adds := make([][]found, (m.n+chunkSize-1)/chunkSize)
	type priceScratch struct {
		stamp []int32
	}
	scr := make([]*priceScratch, parallel.Workers())
	parallel.For(len(adds), func(worker, ch int) {
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
	parallel.For(chunks, func(_, ch int) {
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

// reachLists returns, for every territory, the reach territories nearest
// its centre, nearest first: the territories an account whose nearest
// territory it is may reach (one search per territory, not one per
// account).
func (s *state) reachLists(reach int) [][]int32 {
	ix := spatial.NewIndex(s.centres)
	out := make([][]int32, len(s.centres))
	var buf []int
	for k := range out {
		buf = ix.Nearest(s.centres[k], reach, buf[:0])
		for _, t := range buf {
			out[k] = append(out[k], int32(t))
		}
	}
	return out
}
