package spatial

import (
	"math"
	"math/bits"
	"slices"
)

// Index answers nearest-neighbour queries over a fixed set of points: the
// nearest points ordered by squared distance ([Dist2]), ties broken by the
// lower point index, exactly as a linear scan sorted that way would give.
//
// It is a k-d tree kept in two flat arrays. The build reorders a copy of the
// points so that every node is a range of that copy, splitting each range at
// its median on the axis where its points spread most (planar points, all
// at z = 0, are thus never split on z). Ranges of up to leafSize points are
// leaves, scanned linearly. Points at one location are never split apart: a
// split moves to the edge of the run of points at the median's location, so
// a range of many points at one spot becomes one leaf, kept in index order,
// of which a search reads only as many points as it wants.
//
// Every decision, in the build and in a search, is a comparison of
// coordinates or of values computed by [Dist2], so an Index gives the same
// answers on every machine.
type Index struct {
	pts   []Vec3  // the points, reordered by the build
	idx   []int32 // idx[i] is the index of pts[i] in the points given to NewIndex
	nodes []node  // the tree in preorder: the root is nodes[0], a node's left child follows it
}

// node is the range pts[lo:hi] of the tree. An inner node splits it on
// axis at val: points of its left child (the next node) have p[axis] <= val,
// those of its right child (nodes[right]) p[axis] >= val.
type node struct {
	val    float64
	lo, hi int32
	right  int32 // 0 for a leaf (the root is nobody's child)
	axis   uint8
	same   bool // a leaf whose points all share one location, in index order
}

const (
	// scanLimit is the set size up to which the whole set is one leaf,
	// scanned without a tree.
	scanLimit = 48
	// leafSize is the largest range that a larger set's tree leaves
	// unsplit.
	leafSize = 8
)

// NewIndex builds an index over pts. The index holds a copy of the
// points: pts may change afterwards. It panics if pts holds more than
// math.MaxInt32 points.
func NewIndex(pts []Vec3) *Index {
	if len(pts) > math.MaxInt32 {
		panic("spatial: NewIndex: more than math.MaxInt32 points")
	}
	ix := &Index{pts: slices.Clone(pts), idx: make([]int32, len(pts))}
	if len(pts) == 0 {
		return ix
	}
	bx := emptyBox()
	for i := range pts {
		ix.idx[i] = int32(i)
		bx.add(&pts[i])
	}
	// Median splits make a tree with a power of two leaves of up to
	// leafSize points, unless groups at one location skew them.
	leaves := 1 << bits.Len(uint((len(pts)-1)/leafSize))
	b := builder{pts: ix.pts, idx: ix.idx, nodes: make([]node, 0, 2*leaves-1)}
	b.build(0, len(pts), max(leafSize, scanLimit), bx)
	ix.nodes = b.nodes
	return ix
}

// builder builds the tree: it reorders pts and idx together and appends
// to nodes.
type builder struct {
	pts   []Vec3
	idx   []int32
	nodes []node
}

// swap exchanges points i and j.
func (b *builder) swap(i, j int) {
	b.pts[i], b.pts[j] = b.pts[j], b.pts[i]
	b.idx[i], b.idx[j] = b.idx[j], b.idx[i]
}

// box is the bounding box of some points.
type box struct{ least, most Vec3 }

func emptyBox() box {
	inf := math.Inf(1)
	return box{Vec3{inf, inf, inf}, Vec3{-inf, -inf, -inf}}
}

func (bx *box) add(p *Vec3) {
	for a := range 3 {
		if p[a] < bx.least[a] {
			bx.least[a] = p[a]
		}
		if p[a] > bx.most[a] {
			bx.most[a] = p[a]
		}
	}
}

// build appends the subtree over pts[lo:hi], whose bounding box is bx, to
// nodes; a range of at most limit points is a leaf.
func (b *builder) build(lo, hi, limit int, bx box) {
	ni := len(b.nodes)
	b.nodes = append(b.nodes, node{lo: int32(lo), hi: int32(hi)})
	if hi-lo <= limit {
		return
	}
	// The axis of largest spread, the first of equals. With no spread at
	// all every point is at one location: the range stays a leaf, in index
	// order, whatever its size.
	axis, spread := -1, 0.0
	for a := range 3 {
		if s := bx.most[a] - bx.least[a]; s > spread {
			axis, spread = a, s
		}
	}
	if axis < 0 {
		slices.Sort(b.idx[lo:hi])
		b.nodes[ni].same = true
		return
	}
	m := lo + (hi-lo)/2
	b.selectNth(lo, hi, m, axis)
	// Gather the points at the median's location L next to it, as
	// pts[g0:g1], measuring the others on either side.
	loc := b.pts[m]
	left, right := emptyBox(), emptyBox()
	g0, g1 := m, m+1
	for i := m - 1; i >= lo; i-- {
		if b.pts[i] == loc {
			g0--
			b.swap(i, g0)
		} else {
			left.add(&b.pts[i])
		}
	}
	for i := m + 1; i < hi; i++ {
		if b.pts[i] == loc {
			b.swap(i, g1)
			g1++
		} else {
			right.add(&b.pts[i])
		}
	}
	// Split at the edge of L's group nearer to the median, never leaving a
	// side empty (the group is not all of the range: there is spread).
	mid := g0
	if g0 == lo || (g1 < hi && g1-m < m-g0) {
		mid = g1
		left.add(&loc)
	} else {
		right.add(&loc)
	}
	b.nodes[ni].axis = uint8(axis)
	b.nodes[ni].val = loc[axis]
	b.build(lo, mid, leafSize, left)
	b.nodes[ni].right = int32(len(b.nodes))
	b.build(mid, hi, leafSize, right)
}

// selectNth reorders pts[lo:hi] so that pts[m] is the point that sorting
// them would put there, no point before it coming after it and none after
// it before it. The order is lexicographic on the coordinates starting at
// axis a (a, a+1, a+2, modulo 3), so that only points at one location
// compare equal.
func (b *builder) selectNth(lo, hi, m, a int) {
	a1, a2 := (a+1)%3, (a+2)%3
	pts := b.pts
	less := func(p, q *Vec3) bool {
		if p[a] != q[a] {
			return p[a] < q[a]
		}
		if p[a1] != q[a1] {
			return p[a1] < q[a1]
		}
		return p[a2] < q[a2]
	}
	// Quickselect with Hoare's partition around the median of the first,
	// middle and last points. A run that takes too many rounds (an unlucky
	// input for the median of three) heap-sorts what is left.
	l, r := lo, hi
	for rounds := 2*bits.Len(uint(hi-lo)) + 4; r-l > 1; rounds-- {
		if rounds == 0 {
			b.heapSort(l, r, less)
			return
		}
		mi := l + (r-l)/2
		if less(&pts[mi], &pts[l]) {
			b.swap(mi, l)
		}
		if less(&pts[r-1], &pts[mi]) {
			b.swap(r-1, mi)
			if less(&pts[mi], &pts[l]) {
				b.swap(mi, l)
			}
		}
		// The pivot goes first: then the partition leaves neither side
		// empty.
		b.swap(mi, l)
		pv := pts[l]
		i, j := l-1, r
		for {
			for i++; less(&pts[i], &pv); i++ {
			}
			for j--; less(&pv, &pts[j]); j-- {
			}
			if i >= j {
				break
			}
			b.swap(i, j)
		}
		// pts[l:j+1] <= pv <= pts[j+1:r]
		if m <= j {
			r = j + 1
		} else {
			l = j + 1
		}
	}
}

// heapSort sorts pts[lo:hi] by less, moving idx along.
func (b *builder) heapSort(lo, hi int, less func(p, q *Vec3) bool) {
	n := hi - lo
	down := func(i, n int) {
		for {
			c := 2*i + 1
			if c >= n {
				return
			}
			if c+1 < n && less(&b.pts[lo+c], &b.pts[lo+c+1]) {
				c++
			}
			if !less(&b.pts[lo+i], &b.pts[lo+c]) {
				return
			}
			b.swap(lo+i, lo+c)
			i = c
		}
	}
	for i := n/2 - 1; i >= 0; i-- {
		down(i, n)
	}
	for k := n - 1; k > 0; k-- {
		b.swap(lo, lo+k)
		down(0, k)
	}
}

// Len is the number of indexed points.
func (ix *Index) Len() int { return len(ix.pts) }

// Nearest appends to dst the indices of the n indexed points nearest to q
// (fewer when the index holds fewer, none when n <= 0), nearest first, ties
// broken by the lower index, and returns the extended slice.
//
// Several goroutines may call Nearest on one Index at once: an Index never
// changes after NewIndex, and each call keeps its own state. For n up to
// sortedLimit (64) that state lives on the caller's stack, so that the
// only allocation is dst's growth; a larger n allocates a scratch array
// of n candidates.
func (ix *Index) Nearest(q Vec3, n int, dst []int) []int {
	n = min(n, len(ix.pts))
	switch {
	case n <= 0:
		return dst
	case n <= 16:
		var buf [16]cand
		return ix.nearest(q, buf[:n], dst)
	case n <= sortedLimit:
		var buf [sortedLimit]cand
		return ix.nearest(q, buf[:n], dst)
	}
	return ix.nearest(q, make([]cand, n), dst)
}

// Within appends to dst the indices of the indexed points p with
// Dist2(q, p) < r2, in the tree's order (the same on every machine, not
// sorted), and returns the extended slice. Like Nearest, it may be called
// from several goroutines at once.
func (ix *Index) Within(q Vec3, r2 float64, dst []int) []int {
	if len(ix.pts) == 0 || !(r2 > 0) {
		return dst
	}
	return ix.within(0, q, q, r2, dst)
}

// within collects the points of node ni, whose region's nearest point to q
// is c, that lie within r2 of q.
func (ix *Index) within(ni int32, q, c Vec3, r2 float64, dst []int) []int {
	for {
		nd := &ix.nodes[ni]
		if nd.right == 0 {
			for i := nd.lo; i < nd.hi; i++ {
				if Dist2(q, ix.pts[i]) < r2 {
					dst = append(dst, int(ix.idx[i]))
				}
			}
			return dst
		}
		a := nd.axis
		near, far := ni+1, nd.right
		if q[a] > nd.val {
			near, far = far, near
		}
		dst = ix.within(near, q, c, r2, dst)
		// As in visit: Dist2 to the far side's nearest point bounds Dist2
		// to every point in it from below.
		c[a] = nd.val
		if !(Dist2(q, c) < r2) {
			return dst
		}
		ni = far
	}
}

// Groups partitions the indexed points into groups of at most size points
// (size >= 1), each the points of one subtree of the index, so that the
// points of a group lie near one another. A subtree of more than size
// points at one location is cut into runs of size. The groups come in the
// tree's order, the points of each in the index's order within its
// subtree; the same on every machine.
func (ix *Index) Groups(size int) [][]int32 {
	if len(ix.pts) == 0 {
		return nil
	}
	size = max(1, size)
	var out [][]int32
	var walk func(ni int32)
	walk = func(ni int32) {
		nd := &ix.nodes[ni]
		if int(nd.hi-nd.lo) <= size || nd.right == 0 {
			for lo := nd.lo; lo < nd.hi; lo += int32(size) {
				out = append(out, slices.Clone(ix.idx[lo:min(nd.hi, lo+int32(size))]))
			}
			return
		}
		walk(ni + 1)
		walk(nd.right)
	}
	walk(0)
	return out
}

// sortedLimit is the number of candidates up to which a search keeps them
// in a sorted array (inserting by shifting, which is cheaper there than a
// heap and leaves them in order); beyond, a heap bounds each insertion by
// log n steps.
const sortedLimit = 64

// nearest finds the len(h) points nearest to q, keeping the candidates in
// h, and appends their indices to dst in order.
func (ix *Index) nearest(q Vec3, h []cand, dst []int) []int {
	s := search{pts: ix.pts, idx: ix.idx, nodes: ix.nodes, q: q, h: h, worst: math.Inf(1), sorted: len(h) <= sortedLimit}
	s.visit(0, q)
	start := len(dst)
	dst = slices.Grow(dst, len(h))[:start+len(h)]
	if s.sorted {
		for i, c := range h {
			dst[start+i] = int(c.idx)
		}
		return dst
	}
	// A heap sort: the farthest left goes last.
	for k := len(h); k > 0; k-- {
		dst[start+k-1] = int(h[0].idx)
		h[0] = h[k-1]
		siftDown(h[:k-1])
	}
	return dst
}

// cand is a candidate point: its squared distance to the query and its index.
type cand struct {
	d   float64
	idx int32
}

// farther reports whether x comes after y in the order of the answer: by
// distance, then by index.
func farther(x, y cand) bool {
	return x.d > y.d || x.d == y.d && x.idx > y.idx
}

// search is the state of one query: the best len(h) candidates found so
// far, h[:len], sorted by farther if sorted is set, else a max-heap by
// farther.
type search struct {
	pts    []Vec3
	idx    []int32
	nodes  []node
	q      Vec3
	h      []cand // its header never changes, so that it may point to the stack
	len    int
	worst  float64 // the farthest candidate's distance once h is full, +Inf until then
	sorted bool
}

// visit searches node ni, whose region's nearest point to q is c.
func (s *search) visit(ni int32, c Vec3) {
	for {
		nd := &s.nodes[ni]
		if nd.right == 0 {
			s.scan(nd)
			return
		}
		a := nd.axis
		near, far := ni+1, nd.right
		if s.q[a] > nd.val {
			near, far = far, near
		}
		s.visit(near, c)
		// The far side begins at the split plane. Dist2 to the nearest
		// point of its region is a lower bound, in floating point too, of
		// Dist2 to any point in it (rounding is monotonic and Dist2 sums in
		// a fixed order): skip the side only when that bound is beyond the
		// worst candidate; at equal distance, a lower index there could
		// still win.
		c[a] = nd.val
		if Dist2(s.q, c) > s.worst {
			return
		}
		ni = far
	}
}

// scan offers the points of a leaf.
func (s *search) scan(nd *node) {
	pts, idx := s.pts[nd.lo:nd.hi], s.idx[nd.lo:nd.hi]
	if nd.same {
		// One distance for all, indices ascending: after the first point
		// turned away, so are the rest.
		d := Dist2(s.q, pts[0])
		for _, i := range idx {
			if d > s.worst || !s.offer(cand{d, i}) {
				return
			}
		}
		return
	}
	for i := range pts {
		if d := Dist2(s.q, pts[i]); !(d > s.worst) {
			s.offer(cand{d, idx[i]})
		}
	}
}

// offer adds x to the candidates if x is among the best so far, and reports
// whether it did.
func (s *search) offer(x cand) bool {
	h := s.h
	if s.sorted {
		if s.len == len(h) {
			if !farther(h[s.len-1], x) {
				return false
			}
			s.len--
		}
		i := s.len
		for i > 0 && farther(h[i-1], x) {
			h[i] = h[i-1]
			i--
		}
		h[i] = x
		s.len++
		if s.len == len(h) {
			s.worst = h[s.len-1].d
		}
		return true
	}
	if s.len < len(h) {
		i := s.len
		for i > 0 {
			p := (i - 1) / 2
			if !farther(x, h[p]) {
				break
			}
			h[i] = h[p]
			i = p
		}
		h[i] = x
		s.len++
		if s.len == len(h) {
			s.worst = h[0].d
		}
		return true
	}
	if !farther(h[0], x) {
		return false
	}
	h[0] = x
	siftDown(h)
	s.worst = h[0].d
	return true
}

// siftDown restores the heap order of h after a change of h[0].
func siftDown(h []cand) {
	n := len(h)
	if n < 2 {
		return
	}
	i, x := 0, h[0]
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && farther(h[c+1], h[c]) {
			c++
		}
		if !farther(h[c], x) {
			break
		}
		h[i] = h[c]
		i = c
	}
	h[i] = x
}
