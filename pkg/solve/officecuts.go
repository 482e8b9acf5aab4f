package solve

import (
	"cmp"
	"math"
	"slices"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// Cuts: an office's accounts split among its reps by straight lines.
//
// Reps at one address are the same distance from every account, so how
// their office's accounts are split among them changes nothing in the
// objective: only shape and balance. The balanced k-means split of
// offices.go finds compact pieces, but where every rep of the office sits
// at the edge of its band its repair trades single accounts across the
// boundaries, and one rep's piece wraps around another's.
//
// A split by straight cuts cannot wrap: the reps in two halves, the
// accounts in two by a line, each side again, so every rep's accounts lie
// in a convex cell of its own and no rep of the office has an account
// inside another's hull. Every cut is the one, over cutDirections
// directions and every position along each, that puts both sides within
// their reps' bands (the sums of every rule's band over the side's reps)
// and leaves the least sum of squared distances from the accounts to their
// side's mean: the straightest, most compact cut that balance allows. A
// cut whose sides sit near the middle of what the bands allow is taken
// first (cutInner), so that the cuts below it have room too; of the best
// cuts, the first whose two sides are connected in the proximity graph
// (an office's region need not be convex: a line across a bay or a U
// leaves a side in two).
//
// Two rules at the edges of their bands, with whale accounts, may leave
// no straight cut at all. The cut then bends (bentCut): a few accounts
// next to the line change sides, so that the sides' hulls overlap by a
// sliver at most.
//
// An office that no sequence of cuts splits within the bands into
// connected pieces keeps the k-means split.
//
// Measured on twelve instances of 3,000 accounts and 12 reps with whales
// and shared offices (territory example --revenue-tail 1 --offices 6),
// accounts inside another territory's hull after the whole solve, mean
// and worst, with the k-means split alone and with cuts:
//
//	count and revenue   k-means split     cuts
//	5%                  0.73%, 2.17%      0.29%, 1.10%
//	3%                  2.46%, 8.10%      0.67%, 2.53%
//	2%                  4.05%, 10.33%     2.27%, 6.83%
//
// and on 100,000 accounts and 100 reps in 50 offices at 3%, 1.92% in
// 5.0 s before and 1.08% in 2.9 s with cuts (2 cores).

const (
	// cutDirections is how many directions, over a half-turn, every cut
	// tries: every 3.75°.
	cutDirections = 48
	// cutInner is the share of the window of feasible loads, about its
	// middle, that a cut keeps to when any cut can.
	cutInner = 0.5
)

// cutter splits offices by straight cuts. xy are the accounts' projected
// locations, g their proximity graph, w, lo and hi the model's normalised
// weights and bands.
type cutter struct {
	xy     []territory.Point
	g      *graph
	w      [][]float64
	lo, hi [][]float64

	keyed []keyedAccount
	// at numbers the office's accounts; label marks the accounts of a
	// cut being checked for connectivity or bent, gen being the mark of
	// this check, and place is an account's position in the order a cut
	// is bent along.
	at    map[int32]int32
	label []int32
	place []int32
	gen   int32
	queue []int32
	// sorted holds the accounts of the cut being found in increasing
	// order (setAccounts); radix is the radix sort's scratch.
	sorted []int32
	radix  []radixItem
}

type keyedAccount struct {
	key float64
	i   int32
}

func newCutter(m *model, g *graph, xy []territory.Point) *cutter {
	return &cutter{xy: xy, g: g, w: m.w, lo: m.lo, hi: m.hi}
}

// split assigns the accounts idx to the reps ks (territory numbers) by
// straight cuts, writing assign[j] for idx[j]. It reports false when some
// cut finds no position that meets the bands.
func (c *cutter) split(idx []int, ks []int, assign []int) bool {
	c.office(idx)
	var cut func(acc []int32, ks []int) bool
	cut = func(acc []int32, ks []int) bool {
		if len(ks) == 1 {
			for _, i := range acc {
				assign[c.at[i]] = ks[0]
			}
			return true
		}
		a, b := ks[:len(ks)/2], ks[len(ks)/2:]
		low, ok := c.bisect(acc, a, b)
		if !ok {
			return false
		}
		// bisect leaves acc ordered with a's accounts first.
		return cut(acc[:low], a) && cut(acc[low:], b)
	}
	acc := make([]int32, len(idx))
	for j, i := range idx {
		acc[j] = int32(i)
	}
	return cut(acc, ks)
}

// office numbers the accounts idx of the office to be cut.
func (c *cutter) office(idx []int) {
	c.at = make(map[int32]int32, len(idx))
	for j, i := range idx {
		c.at[int32(i)] = int32(j)
	}
	c.label = make([]int32, len(idx))
	c.place = make([]int32, len(idx))
}

// window is the range of side a's load of one rule that keeps both a and
// b within the sums of their reps' bands.
type window struct{ lo, hi, total float64 }

// windows returns, for every rule, the window of the accounts acc's loads
// that side a may take; false when one is empty.
func (c *cutter) windows(acc []int32, a, b []int) ([]window, bool) {
	wins := make([]window, len(c.w))
	for r := range wins {
		var t, loA, hiA, loB, hiB float64
		for _, i := range acc {
			t += c.w[r][i]
		}
		for _, k := range a {
			loA += c.lo[r][k]
			hiA += c.hi[r][k]
		}
		for _, k := range b {
			loB += c.lo[r][k]
			hiB += c.hi[r][k]
		}
		lo, hi := max(loA, t-hiB), min(hiA, t-loB)
		if lo > hi+1e-9 {
			return nil, false
		}
		wins[r] = window{lo: lo, hi: hi, total: t}
	}
	return wins, true
}

// cutChoice is a cut: along direction dir, after pos accounts, side a on
// the high side when aHigh; score is the sum of squares it leaves.
type cutChoice struct {
	score    float64
	dir, pos int
	aHigh    bool
}

// cutsChecked is the most cuts, best first, that bisect checks for
// connected sides before it settles for the best.
const cutsChecked = 12

// bisect reorders acc so that its first low accounts go to the reps a and
// the rest to b, by the best straight cut (see the top of this file) whose
// sides are connected, else the best; by a bent cut (bentCut) when no
// straight one meets the bands. It reports false when no cut does.
func (c *cutter) bisect(acc []int32, a, b []int) (low int, ok bool) {
	wins, ok := c.windows(acc, a, b)
	if !ok {
		return 0, false
	}
	rules := len(wins)
	// The accounts about their mean, for sums of squares without
	// cancellation.
	mx, my := c.mean(acc)

	if cap(c.keyed) < len(acc) {
		c.keyed = make([]keyedAccount, len(acc))
	}
	keyed := c.keyed[:len(acc)]
	c.setAccounts(acc)
	load := make([]float64, rules)
	// in reports whether side a's loads lie in the windows, shrunk to
	// frac of their width about their middles.
	in := func(aHigh bool, frac float64) bool {
		for r, wn := range wins {
			l := load[r]
			if aHigh {
				l = wn.total - l
			}
			mid, half := (wn.lo+wn.hi)/2, (wn.hi-wn.lo)/2*frac
			if l < mid-half-1e-9 || l > mid+half+1e-9 {
				return false
			}
		}
		return true
	}
	// The best cut of every direction, within the inner windows and
	// within the whole.
	var inner, whole []cutChoice
	n := len(acc)
	for d := range cutDirections {
		c.sortDir(keyed, d, mx, my)
		clear(load)
		var sx, sy, sq, tx, ty, tq float64
		for _, ka := range keyed {
			p := c.xy[ka.i]
			x, y := p.X-mx, p.Y-my
			tx += x
			ty += y
			tq += x*x + y*y
		}
		bi := cutChoice{score: math.Inf(1)}
		bw := bi
		for pos := 1; pos < n; pos++ {
			i := keyed[pos-1].i
			p := c.xy[i]
			x, y := p.X-mx, p.Y-my
			sx += x
			sy += y
			sq += x*x + y*y
			for r := range rules {
				load[r] += c.w[r][i]
			}
			if keyed[pos].key == keyed[pos-1].key {
				continue // no line parts equal keys
			}
			nl, nh := float64(pos), float64(n-pos)
			score := sq - (sx*sx+sy*sy)/nl + (tq - sq) - ((tx-sx)*(tx-sx)+(ty-sy)*(ty-sy))/nh
			for _, aHigh := range [2]bool{false, true} {
				if score < bi.score && in(aHigh, cutInner) {
					bi = cutChoice{score: score, dir: d, pos: pos, aHigh: aHigh}
				}
				if score < bw.score && in(aHigh, 1) {
					bw = cutChoice{score: score, dir: d, pos: pos, aHigh: aHigh}
				}
			}
		}
		if !math.IsInf(bi.score, 1) {
			inner = append(inner, bi)
		}
		if !math.IsInf(bw.score, 1) {
			whole = append(whole, bw)
		}
	}
	byScore := func(x, y cutChoice) int { return cmp.Or(cmp.Compare(x.score, y.score), x.dir-y.dir) }
	slices.SortFunc(inner, byScore)
	slices.SortFunc(whole, byScore)
	cands := append(inner, whole...)
	if len(cands) == 0 {
		return c.bentCut(acc, keyed, wins, mx, my)
	}
	apply := func(ch cutChoice) int {
		c.sortDir(keyed, ch.dir, mx, my)
		pos := ch.pos
		if ch.aHigh {
			slices.Reverse(keyed) // a takes the high side: put it first
			pos = n - pos
		}
		for j, ka := range keyed {
			acc[j] = ka.i
		}
		return pos
	}
	for _, ch := range cands[:min(len(cands), cutsChecked)] {
		pos := apply(ch)
		if c.connected(acc[:pos]) && c.connected(acc[pos:]) {
			return pos, true
		}
	}
	return apply(cands[0]), true
}

// bentCut is bisect's way out when no straight cut meets the windows (two
// rules at the edges of their bands, whale accounts): along every
// direction, the cut nearest the windows, and then the fewest accounts
// within bentReach places of it that change sides, one at a time or in
// pairs, until both sides meet the windows (in their inner parts when it
// can). Of the cuts bent so, the one of least sum of squares whose sides
// are connected is taken. It reorders acc as bisect does; acc must be the
// accounts of setAccounts, as bisect leaves them.
func (c *cutter) bentCut(acc []int32, keyed []keyedAccount, wins []window, mx, my float64) (int, bool) {
	n := len(acc)
	reach := min(n/2, max(bentReachLeast, min(bentReachMost, n/bentReachShare)))
	var found [2][]bent // inner, whole
	ord := make([]int32, n)
	// The reach doubles until some cut bends into the windows.
	reaches := []int{reach}
	for r := reach; r < min(n/2, bentReachWide); {
		r = min(2*r, n/2, bentReachWide)
		reaches = append(reaches, r)
	}
	for _, reach := range reaches {
		for d := range cutDirections {
			c.sortDir(keyed, d, mx, my)
			for o := range 2 {
				for j, ka := range keyed {
					if o == 0 {
						ord[j] = ka.i
					} else {
						ord[n-1-j] = ka.i
					}
				}
				for q, b := range c.bendAlong(ord, reach, wins) {
					if b != nil {
						found[q] = append(found[q], *b)
					}
				}
			}
		}
		if len(found[0])+len(found[1]) > 0 {
			break
		}
	}
	for _, list := range found {
		slices.SortStableFunc(list, func(x, y bent) int { return cmp.Compare(x.score, y.score) })
		for _, b := range list[:min(len(list), cutsChecked)] {
			if c.connected(b.order[:b.low]) && c.connected(b.order[b.low:]) {
				copy(acc, b.order)
				return b.low, true
			}
		}
	}
	for _, list := range found {
		if len(list) > 0 {
			copy(acc, list[0].order)
			return list[0].low, true
		}
	}
	return 0, false
}

// bent is a bent cut: order lists the accounts with side a's low first;
// score is the sum of squares it leaves.
type bent struct {
	score float64
	order []int32
	low   int
}

// outside is how far the loads l of side a lie outside the windows,
// shrunk to frac of their width about their middles, over the rules.
func outside(wins []window, l []float64, frac float64) float64 {
	v := 0.0
	for r, wn := range wins {
		mid, half := (wn.lo+wn.hi)/2, (wn.hi-wn.lo)/2*frac
		v += max(0, mid-half-l[r], l[r]-mid-half)
	}
	return v
}

// bendAlong bends the cut nearest the windows of the accounts in order ord
// (side a first), moving accounts within reach places of it (see
// bentCut). It returns the cut bent into the inner windows and the one
// bent into the whole (nil where none).
func (c *cutter) bendAlong(ord []int32, reach int, wins []window) [2]*bent {
	n := len(ord)
	var out [2]*bent
	// The cut nearest the whole windows.
	load := make([]float64, len(wins))
	pos, least := -1, math.Inf(1)
	var at []float64
	for q := 1; q < n; q++ {
		for r := range wins {
			load[r] += c.w[r][ord[q-1]]
		}
		if v := outside(wins, load, 1); v < least {
			pos, least = q, v
			at = append(at[:0], load...)
		}
	}
	if pos < 0 {
		return out
	}
	lo, hi := max(0, pos-reach), min(n, pos+reach)
	inA := make([]bool, hi-lo)
	for j := range inA {
		inA[j] = lo+j < pos
	}
	c.gen += 2
	for j, a := range ord {
		c.label[c.at[a]] = c.gen
		c.place[c.at[a]] = int32(j)
	}
	// touches reports whether account a has a neighbour on side a (toA)
	// or b, as flip says for the accounts near the cut.
	gen := c.gen
	touches := func(a int32, toA bool, flip []bool) bool {
		for _, nb := range c.g.adj[a] {
			q, ok := c.at[nb]
			if !ok || c.label[q] != gen {
				continue
			}
			p := int(c.place[q])
			side := p < pos
			if p >= lo && p < hi {
				side = flip[p-lo]
			}
			if side == toA {
				return true
			}
		}
		return false
	}
	trial := make([]float64, len(wins))
	for q, frac := range [2]float64{cutInner, 1} {
		l := slices.Clone(at)
		flip := slices.Clone(inA)
		if !c.bend(ord[lo:hi], flip, l, trial, func(l []float64) float64 { return outside(wins, l, frac) },
			func(a int32, toA bool) bool { return touches(a, toA, flip) }) {
			continue
		}
		order := make([]int32, 0, n)
		order = append(order, ord[:lo]...)
		for j, a := range flip {
			if a {
				order = append(order, ord[lo+j])
			}
		}
		low := len(order)
		for j, a := range flip {
			if !a {
				order = append(order, ord[lo+j])
			}
		}
		order = append(order, ord[hi:]...)
		out[q] = &bent{score: c.sse(order[:low]) + c.sse(order[low:]), order: order, low: low}
	}
	return out
}

// bentCut may move accounts across a cut from as many places on either
// side of it as one bentReachShare-th of the accounts, at least
// bentReachLeast and at most bentReachMost. Bends reaching farther move
// accounts that lie far from the line and overlap the sides' hulls:
// measured on twelve instances of 3,000 accounts and 12 reps in shared
// offices at 3%, accounts inside another hull were 0.67% on average
// with a fiftieth of the accounts and 0.89% with 64 places.
//
// Where no cut bends into the windows so, the reach doubles, up to
// bentReachWide places, until one does (a 7-rep office of 2,500 accounts
// and 12 reps at 5%, seed 22: a sub-office of 385 accounts found no bend
// within 8 places, and its k-means split left 3.96% of the plan's
// accounts inside another hull; a reach of 192 at once 2.60%, doubling
// 1.80%).
const (
	bentReachShare = 50
	bentReachLeast = 8
	bentReachMost  = 64
	bentReachWide  = 256
)

// bend moves accounts of near (in a where inA is set, else in b) across
// the cut, one at a time or a pair of opposite sides at once, the move
// that lowers viol of a's loads l the most each time, until viol is 0.
// An account moves only to a side it touches. It updates inA and l and
// reports whether it got there.
func (c *cutter) bend(near []int32, inA []bool, l, trial []float64, viol func([]float64) float64, touches func(a int32, toA bool) bool) bool {
	can := make([]bool, len(near))
	for step := 0; step < 4*len(l)+8; step++ {
		v := viol(l)
		if v == 0 {
			return true
		}
		bestV, bi, bj := v, -1, -1
		for i, ai := range near {
			can[i] = touches(ai, !inA[i])
		}
		for i, ai := range near {
			if !can[i] {
				continue
			}
			sign := 1.0
			if inA[i] {
				sign = -1
			}
			for r := range l {
				trial[r] = l[r] + sign*c.w[r][ai]
			}
			if tv := viol(trial); tv < bestV {
				bestV, bi, bj = tv, i, -1
			}
			if !inA[i] {
				continue
			}
			for j, aj := range near {
				if inA[j] || !can[j] {
					continue
				}
				for r := range l {
					trial[r] = l[r] - c.w[r][ai] + c.w[r][aj]
				}
				if tv := viol(trial); tv < bestV {
					bestV, bi, bj = tv, i, j
				}
			}
		}
		if bi < 0 {
			return false
		}
		for _, x := range []int{bi, bj} {
			if x < 0 {
				continue
			}
			sign := 1.0
			if inA[x] {
				sign = -1
			}
			for r := range l {
				l[r] += sign * c.w[r][near[x]]
			}
			inA[x] = !inA[x]
		}
	}
	return viol(l) == 0
}

// mean is the mean of the accounts acc's projected locations.
func (c *cutter) mean(acc []int32) (x, y float64) {
	for _, i := range acc {
		x += c.xy[i].X
		y += c.xy[i].Y
	}
	return x / float64(len(acc)), y / float64(len(acc))
}

// sse is the sum of squared distances of the accounts acc from their mean.
func (c *cutter) sse(acc []int32) float64 {
	if len(acc) == 0 {
		return 0
	}
	mx, my := c.mean(acc)
	v := 0.0
	for _, i := range acc {
		dx, dy := c.xy[i].X-mx, c.xy[i].Y-my
		v += dx*dx + dy*dy
	}
	return v
}

// sortDir orders the accounts of the cut (setAccounts) into keyed by
// their position along direction d (about the point mx, my), ties by
// account. The accounts are read in increasing order and keyed sorted by
// a radix sort of the positions, which keeps that order among equal ones:
// the order of sorting by position and then account, faster than a sort
// by comparisons (the cuts of 100,000 accounts in 50 offices sort 48
// directions at every cut).
func (c *cutter) sortDir(keyed []keyedAccount, d int, mx, my float64) {
	th := math.Pi * float64(d) / cutDirections
	cs, sn := math.Cos(th), math.Sin(th)
	for j, i := range c.sorted {
		p := c.xy[i]
		keyed[j] = keyedAccount{key: (p.X-mx)*cs + (p.Y-my)*sn, i: i}
	}
	c.radix = radixSortKeyed(keyed, c.radix)
}

// setAccounts makes acc the accounts sortDir sorts, kept in increasing
// order.
func (c *cutter) setAccounts(acc []int32) {
	c.sorted = append(c.sorted[:0], acc...)
	slices.Sort(c.sorted)
}

// radixBits is the width of one digit of radixSortKeyed; below
// radixLeast keys a sort by comparisons is faster.
const (
	radixBits  = 11
	radixLeast = 256
)

// radixItem is an account of radixSortKeyed with its key's bits in
// unsigned order.
type radixItem struct {
	bits uint64
	ka   keyedAccount
}

// radixSortKeyed sorts keyed by key, stably, with tmp as scratch (grown
// when short and returned for the next call): a least significant digit
// first radix sort of the keys' bits, mapped so that unsigned order is the
// keys' order (the sign bit set for positive keys, every bit flipped for
// negative ones; -0 counts as 0). Digits that every key shares are
// skipped.
func radixSortKeyed(keyed []keyedAccount, tmp []radixItem) []radixItem {
	n := len(keyed)
	if n < radixLeast {
		slices.SortStableFunc(keyed, func(x, y keyedAccount) int { return cmp.Compare(x.key, y.key) })
		return tmp
	}
	const digits = (64 + radixBits - 1) / radixBits
	const size = 1 << radixBits
	if cap(tmp) < 2*n {
		tmp = make([]radixItem, 2*n)
	}
	src, dst := tmp[:n], tmp[n:2*n]
	var count [digits][size]int32
	for j, ka := range keyed {
		b := uint64(1) << 63 // 0 and -0
		if ka.key != 0 {
			if b = math.Float64bits(ka.key); b>>63 == 1 {
				b = ^b
			} else {
				b |= 1 << 63
			}
		}
		src[j] = radixItem{bits: b, ka: ka}
		for d := range digits {
			count[d][(b>>(d*radixBits))&(size-1)]++
		}
	}
	for d := range digits {
		cnt := &count[d]
		shift := uint(d * radixBits)
		if cnt[(src[0].bits>>shift)&(size-1)] == int32(n) {
			continue // every key has this digit
		}
		var at int32
		for v := range cnt {
			c := cnt[v]
			cnt[v] = at
			at += c
		}
		for _, it := range src {
			v := (it.bits >> shift) & (size - 1)
			dst[cnt[v]] = it
			cnt[v]++
		}
		src, dst = dst, src
	}
	for j := range keyed {
		keyed[j] = src[j].ka
	}
	return tmp
}

// connected reports whether the accounts side are one piece of the
// proximity graph.
func (c *cutter) connected(side []int32) bool {
	if len(side) == 0 {
		return true
	}
	c.gen += 2
	in, seen := c.gen, c.gen+1
	for _, i := range side {
		c.label[c.at[i]] = in
	}
	c.label[c.at[side[0]]] = seen
	c.queue = append(c.queue[:0], side[0])
	reached := 1
	for len(c.queue) > 0 {
		i := c.queue[len(c.queue)-1]
		c.queue = c.queue[:len(c.queue)-1]
		for _, nb := range c.g.adj[i] {
			if j, ok := c.at[nb]; ok && c.label[j] == in {
				c.label[j] = seen
				reached++
				c.queue = append(c.queue, nb)
			}
		}
	}
	return reached == len(side)
}

// connectedReps reports whether every rep's accounts among idx, as
// assign gives them, are one piece of the proximity graph (after split,
// which numbered the office's accounts).
func (c *cutter) connectedReps(idx []int, assign []int) bool {
	by := make(map[int][]int32)
	var reps []int
	for j, i := range idx {
		if by[assign[j]] == nil {
			reps = append(reps, assign[j])
		}
		by[assign[j]] = append(by[assign[j]], int32(i))
	}
	for _, k := range reps {
		if !c.connected(by[k]) {
			return false
		}
	}
	return true
}
