package spatial

import (
	"cmp"
	"container/heap"
	"math"
	"slices"

	"gonum.org/v1/gonum/spatial/kdtree"
)

// Index answers nearest-neighbour queries over a fixed set of points.
// Small sets are scanned; larger ones are searched with a gonum k-d tree.
// Both give the same answer: the nearest points ordered by distance, ties
// broken by the lower point index.
type Index struct {
	pts  []Vec3
	tree *kdtree.Tree
	dims int // dimensions the tree splits on: 2 for planar points, else 3
	// The tree holds each distinct location once; same[u] lists the
	// points at distinct location u, in index order, so that many points
	// at one spot cost a search no more than one.
	same [][]int
}

// scanLimit is the set size up to which a linear scan beats the tree.
const scanLimit = 48

// NewIndex builds an index over pts. The index keeps pts; do not change
// them while it is in use.
func NewIndex(pts []Vec3) *Index {
	ix := &Index{pts: pts}
	if len(pts) > scanLimit {
		// Planar points all have z = 0: splitting on z would be useless
		// and would make every search visit both sides, so the tree uses
		// the third dimension only when some point has it.
		dims := 2
		for _, p := range pts {
			if p[2] != 0 {
				dims = 3
				break
			}
		}
		ix.dims = dims
		order := make([]int, len(pts))
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(a, b int) int {
			for d := 0; d < 3; d++ {
				if c := cmp.Compare(pts[a][d], pts[b][d]); c != 0 {
					return c
				}
			}
			return a - b
		})
		var nodes nodeList
		for j, i := range order {
			if j == 0 || pts[i] != pts[order[j-1]] {
				// A node's idx is its lowest point index (the order puts it
				// first), so ordering nodes by (distance, idx) orders their
				// first points as the scan would.
				nodes = append(nodes, &node{p: pts[i], idx: i, dims: dims, loc: len(ix.same)})
				ix.same = append(ix.same, nil)
			}
			ix.same[len(ix.same)-1] = append(ix.same[len(ix.same)-1], i)
		}
		ix.tree = kdtree.New(nodes, false)
	}
	return ix
}

// Len is the number of indexed points.
func (ix *Index) Len() int { return len(ix.pts) }

// Nearest appends to dst the indices of the n indexed points nearest to q
// (fewer when the index holds fewer), nearest first, and returns the
// extended slice.
func (ix *Index) Nearest(q Vec3, n int, dst []int) []int {
	n = min(n, len(ix.pts))
	if n <= 0 {
		return dst
	}
	type cand struct {
		d   float64
		idx int
	}
	var best []cand
	if ix.tree == nil {
		best = make([]cand, len(ix.pts))
		for i, p := range ix.pts {
			best[i] = cand{Dist2(q, p), i}
		}
	} else {
		// The n nearest locations by (distance, lowest index) hold the n
		// nearest points by (distance, index): a point left out would have
		// n locations before it, each with a point before it.
		keep := newOrderKeeper(n)
		ix.tree.NearestSet(keep, &node{p: q, idx: -1, dims: ix.dims})
		for _, c := range keep.h {
			same := ix.same[c.Comparable.(*node).loc]
			for _, i := range same[:min(n, len(same))] { // in index order: the first n suffice
				best = append(best, cand{c.Dist, i})
			}
		}
	}
	slices.SortFunc(best, func(a, b cand) int {
		if c := cmp.Compare(a.d, b.d); c != 0 {
			return c
		}
		return cmp.Compare(a.idx, b.idx)
	})
	for _, c := range best[:min(n, len(best))] {
		dst = append(dst, c.idx)
	}
	return dst
}

// node is a point in the k-d tree that remembers its index.
type node struct {
	p    Vec3
	idx  int // the lowest index of the points at p
	dims int
	loc  int // index into Index.same
}

func (a *node) Compare(c kdtree.Comparable, d kdtree.Dim) float64 {
	return a.p[d] - c.(*node).p[d]
}
func (a *node) Dims() int { return a.dims }
func (a *node) Distance(c kdtree.Comparable) float64 {
	return Dist2(a.p, c.(*node).p)
}

// nodeList implements kdtree.Interface with a deterministic pivot: the
// median by coordinate, ties broken by index (gonum's own Points pivot
// samples with a global random source).
type nodeList []*node

func (l nodeList) Index(i int) kdtree.Comparable { return l[i] }
func (l nodeList) Len() int                      { return len(l) }
func (l nodeList) Slice(start, end int) kdtree.Interface {
	return l[start:end]
}
func (l nodeList) Pivot(d kdtree.Dim) int {
	slices.SortFunc(l, func(a, b *node) int {
		if c := cmp.Compare(a.p[d], b.p[d]); c != 0 {
			return c
		}
		return cmp.Compare(a.idx, b.idx)
	})
	return len(l) / 2
}

// orderKeeper keeps the n nearest points by (distance, index): a max-heap
// under that order with an infinitely far sentinel at first, as gonum's
// NKeeper has, but breaking ties by index.
type orderKeeper struct {
	h kdtree.Heap
}

func newOrderKeeper(n int) *orderKeeper {
	k := &orderKeeper{h: make(kdtree.Heap, 1, n)}
	k.h[0].Dist = math.Inf(1)
	return k
}

// farther reports whether a comes after b in the (distance, index) order;
// the sentinel comes after everything.
func farther(a, b kdtree.ComparableDist) bool {
	switch {
	case a.Comparable == nil:
		return b.Comparable != nil
	case b.Comparable == nil:
		return false
	case a.Dist != b.Dist:
		return a.Dist > b.Dist
	}
	return a.Comparable.(*node).idx > b.Comparable.(*node).idx
}

func (k *orderKeeper) Keep(c kdtree.ComparableDist) {
	if !farther(k.h[0], c) {
		return
	}
	if len(k.h) == cap(k.h) {
		k.h[0] = c
		heap.Fix(k, 0)
		return
	}
	heap.Push(k, c)
}

func (k *orderKeeper) Max() kdtree.ComparableDist { return k.h[0] }
func (k *orderKeeper) Len() int                   { return len(k.h) }
func (k *orderKeeper) Less(i, j int) bool         { return farther(k.h[i], k.h[j]) }
func (k *orderKeeper) Swap(i, j int)              { k.h[i], k.h[j] = k.h[j], k.h[i] }
func (k *orderKeeper) Push(x any)                 { k.h = append(k.h, x.(kdtree.ComparableDist)) }
func (k *orderKeeper) Pop() any {
	last := k.h[len(k.h)-1]
	k.h = k.h[:len(k.h)-1]
	return last
}
