package spatial

import (
	"cmp"
	"container/heap"
	"fmt"
	"math"
	"slices"
	"testing"

	"gonum.org/v1/gonum/spatial/kdtree"
)

// The k-d tree of gonum (gonum.org/v1/gonum/spatial/kdtree), which Index
// replaced in commit 2eb9a63, measured beside Index so that the decision
// written in docs/algorithm.md ("gonum: where it is used and where not") can
// be checked again on any machine:
//
//	go test ./pkg/spatial -run '^$' -bench 'KDTreeBuild/.*points=1000000$' -benchtime 3x -count 5
//	go test ./pkg/spatial -run '^$' -bench 'KDTreeBuild/.*points=1000$' -benchtime 2000x -count 5
//	go test ./pkg/spatial -run '^$' -bench 'KDTreeQuery' -benchtime 20000x -count 5
//
// Three trees over the same points (accountPoints):
//
//   - tree=index: NewIndex, the flat tree territory uses;
//   - tree=gonum: kdtree.New over kdtree.Points, gonum's own point type,
//     whose pivot is the median of up to 100 points sampled with the global
//     random source (so the tree's shape differs from run to run, and ties
//     come back in no fixed order);
//   - tree=gonum-ordered: kdtree.New over gonumNodes, the adapter Index was
//     until 2eb9a63: one node per distinct location and a pivot by sorting,
//     ties broken by index, so that the answers are a linear scan's. This is
//     what the flat tree replaced.

// gonumNode is a distinct location in the gonum-ordered tree: its point,
// the lowest index of the points there and its dimensions (2 for planar
// points, so that the tree never splits on z = 0).
type gonumNode struct {
	p    Vec3
	idx  int
	dims int
}

func (a *gonumNode) Compare(c kdtree.Comparable, d kdtree.Dim) float64 {
	return a.p[d] - c.(*gonumNode).p[d]
}
func (a *gonumNode) Dims() int { return a.dims }
func (a *gonumNode) Distance(c kdtree.Comparable) float64 {
	return Dist2(a.p, c.(*gonumNode).p)
}

// gonumNodes is a kdtree.Interface whose pivot is the median by
// coordinate, ties broken by index.
type gonumNodes []*gonumNode

func (l gonumNodes) Index(i int) kdtree.Comparable         { return l[i] }
func (l gonumNodes) Len() int                              { return len(l) }
func (l gonumNodes) Slice(start, end int) kdtree.Interface { return l[start:end] }
func (l gonumNodes) Pivot(d kdtree.Dim) int {
	slices.SortFunc(l, func(a, b *gonumNode) int {
		if c := cmp.Compare(a.p[d], b.p[d]); c != 0 {
			return c
		}
		return cmp.Compare(a.idx, b.idx)
	})
	return len(l) / 2
}

// newGonumOrdered builds the gonum-ordered tree over pts, as Index did
// before 2eb9a63: the points sorted to find the distinct locations, one
// node for each.
func newGonumOrdered(pts []Vec3) *kdtree.Tree {
	dims := 2
	for _, p := range pts {
		if p[2] != 0 {
			dims = 3
			break
		}
	}
	order := make([]int, len(pts))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		for d := range 3 {
			if c := cmp.Compare(pts[a][d], pts[b][d]); c != 0 {
				return c
			}
		}
		return a - b
	})
	var nodes gonumNodes
	for j, i := range order {
		if j == 0 || pts[i] != pts[order[j-1]] {
			nodes = append(nodes, &gonumNode{p: pts[i], idx: i, dims: dims})
		}
	}
	return kdtree.New(nodes, false)
}

// gonumKeeper keeps the n nearest nodes by (distance, index), as the
// gonum-ordered Index did: a max-heap with an infinitely far sentinel.
type gonumKeeper struct{ h kdtree.Heap }

func newGonumKeeper(n int) *gonumKeeper {
	k := &gonumKeeper{h: make(kdtree.Heap, 1, n)}
	k.h[0].Dist = math.Inf(1)
	return k
}

// after reports whether a comes after b in the (distance, index) order;
// the sentinel comes after everything.
func after(a, b kdtree.ComparableDist) bool {
	switch {
	case a.Comparable == nil:
		return b.Comparable != nil
	case b.Comparable == nil:
		return false
	case a.Dist != b.Dist:
		return a.Dist > b.Dist
	}
	return a.Comparable.(*gonumNode).idx > b.Comparable.(*gonumNode).idx
}

func (k *gonumKeeper) Keep(c kdtree.ComparableDist) {
	if !after(k.h[0], c) {
		return
	}
	if len(k.h) == cap(k.h) {
		k.h[0] = c
		heap.Fix(k, 0)
		return
	}
	heap.Push(k, c)
}
func (k *gonumKeeper) Max() kdtree.ComparableDist { return k.h[0] }
func (k *gonumKeeper) Len() int                   { return len(k.h) }
func (k *gonumKeeper) Less(i, j int) bool         { return after(k.h[i], k.h[j]) }
func (k *gonumKeeper) Swap(i, j int)              { k.h[i], k.h[j] = k.h[j], k.h[i] }
func (k *gonumKeeper) Push(x any)                 { k.h = append(k.h, x.(kdtree.ComparableDist)) }
func (k *gonumKeeper) Pop() any {
	last := k.h[len(k.h)-1]
	k.h = k.h[:len(k.h)-1]
	return last
}

// gonumPoints converts pts to gonum's point type.
func gonumPoints(pts []Vec3) kdtree.Points {
	out := make(kdtree.Points, len(pts))
	for i, p := range pts {
		out[i] = kdtree.Point{p[0], p[1], p[2]}
	}
	return out
}

// BenchmarkKDTreeBuild builds each tree over the same points. gonum's
// kdtree.New reorders the slice it is given, so tree=gonum copies the slice
// of points (not the points) before each build, as NewIndex copies its
// points.
func BenchmarkKDTreeBuild(b *testing.B) {
	for _, points := range []int{1000, 1_000_000} {
		pts := accountPoints(points, 1)
		b.Run(fmt.Sprintf("tree=index/points=%d", points), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				NewIndex(pts)
			}
		})
		b.Run(fmt.Sprintf("tree=gonum/points=%d", points), func(b *testing.B) {
			src := gonumPoints(pts)
			b.ReportAllocs()
			for b.Loop() {
				kdtree.New(slices.Clone(src), false)
			}
		})
		b.Run(fmt.Sprintf("tree=gonum-ordered/points=%d", points), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				newGonumOrdered(pts)
			}
		})
	}
}

// BenchmarkKDTreeQuery asks each tree for the 16 nearest points (an op is
// one query), the shape of the solver's candidate lists (16 nearest of
// 1,000 centres) and of its searches over a million accounts.
func BenchmarkKDTreeQuery(b *testing.B) {
	const nearest = 16
	queries := accountPoints(1<<12, 2)
	for _, points := range []int{1000, 1_000_000} {
		pts := accountPoints(points, 1)
		b.Run(fmt.Sprintf("tree=index/points=%d", points), func(b *testing.B) {
			ix := NewIndex(pts)
			buf := make([]int, 0, nearest)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				buf = ix.Nearest(queries[i&(len(queries)-1)], nearest, buf[:0])
				i++
			}
		})
		b.Run(fmt.Sprintf("tree=gonum/points=%d", points), func(b *testing.B) {
			tree := kdtree.New(gonumPoints(pts), false)
			qs := gonumPoints(queries)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				tree.NearestSet(kdtree.NewNKeeper(nearest), qs[i&(len(qs)-1)])
				i++
			}
		})
		b.Run(fmt.Sprintf("tree=gonum-ordered/points=%d", points), func(b *testing.B) {
			tree := newGonumOrdered(pts)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				tree.NearestSet(newGonumKeeper(nearest), &gonumNode{p: queries[i&(len(queries)-1)], idx: -1, dims: 3})
				i++
			}
		})
	}
}

// TestGonumOrderedAgrees checks that the gonum-ordered tree measured above
// answers as Index does (the same 16 nearest, in the same order), so that
// the benchmarks compare trees that do the same job.
func TestGonumOrderedAgrees(t *testing.T) {
	pts := accountPoints(5000, 1)
	pts = append(pts, pts[:500]...) // 500 locations held twice: ties by index
	ix := NewIndex(pts)
	tree := newGonumOrdered(pts)
	// The locations held twice: the gonum-ordered tree keeps one node per
	// location, and its Index expanded a node into its points in index
	// order; here a location's points are i and i+5000.
	for qi, q := range accountPoints(200, 2) {
		want := ix.Nearest(q, 16, nil)
		keep := newGonumKeeper(16)
		tree.NearestSet(keep, &gonumNode{p: q, idx: -1, dims: 3})
		slices.SortFunc(keep.h, func(a, b kdtree.ComparableDist) int {
			if c := cmp.Compare(a.Dist, b.Dist); c != 0 {
				return c
			}
			return cmp.Compare(a.Comparable.(*gonumNode).idx, b.Comparable.(*gonumNode).idx)
		})
		var got []int
		for _, c := range keep.h {
			i := c.Comparable.(*gonumNode).idx
			got = append(got, i)
			if i < 500 {
				got = append(got, i+5000)
			}
		}
		got = got[:16]
		if !slices.Equal(got, want) {
			t.Fatalf("query %d: gonum-ordered gives %v, Index %v", qi, got, want)
		}
	}
}
