package solve

import (
	"math"
	"slices"

	"github.com/territory-optimizer/territory/pkg/parallel"
	"github.com/territory-optimizer/territory/pkg/spatial"
)

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
	parallel.For(chunks, func(_, ch int) {
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
	parallel.For(chunks, func(_, ch int) {
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
	bufs := make([][]int, parallel.Workers())
	parallel.For((m.n+chunkSize-1)/chunkSize, func(worker, ch int) {
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
	parallel.For(m.k, func(_, k int) {
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
