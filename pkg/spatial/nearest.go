package spatial

import (
	"cmp"
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
		nodes := make(nodeList, len(pts))
		for i, p := range pts {
			nodes[i] = &node{p: p, idx: i, dims: dims}
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
		// Ask for one more than needed: when the extra one lies strictly
		// farther than the n-th, the n nearest are settled. Otherwise points
		// tied with the n-th may have been left out in an order that depends
		// on the tree, so collect every point within that distance and let
		// the index break the tie below.
		q := &node{p: q, idx: -1, dims: ix.dims}
		keep := kdtree.NewNKeeper(min(n+1, len(ix.pts)))
		ix.tree.NearestSet(keep, q)
		heap := keep.Heap
		if len(heap) > n && heap[n].Dist == heap[n-1].Dist {
			within := kdtree.NewDistKeeper(heap[n-1].Dist)
			ix.tree.NearestSet(within, q)
			heap = within.Heap
		}
		best = make([]cand, 0, len(heap))
		for _, c := range heap {
			best = append(best, cand{c.Dist, c.Comparable.(*node).idx})
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
	idx  int
	dims int
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
