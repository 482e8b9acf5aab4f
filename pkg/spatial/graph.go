package spatial

import (
	"slices"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// graphNeighbours is how many nearest points each point is joined to when
// the triangulation fails.
const graphNeighbours = 6

// ProximityGraph returns the graph that contiguity is measured on, for
// accounts at pts in space: for every account, the accounts it is joined
// to, in increasing order, each edge listed at both ends.
//
// With adjacency (polygon units sharing a boundary, as
// [territory.Problem.Adjacency]) the graph is that adjacency; without it
// (nil: point accounts) it is the Delaunay triangulation of the points
// projected by [Project], whose [Triangulation.Neighbours] join points at
// one position to each other and to everything their position is joined
// to. Should the triangulation fail (a coordinate that is not finite),
// each point is joined to its graphNeighbours nearest points instead.
//
// The graph is then made connected: while it has more than one piece, the
// smallest piece (ties: the one holding the lowest index) gets one extra
// edge, from its point nearest to the rest of the points to that point's
// nearest point outside it (nearest by [Dist2] on [Embed]ded points, ties
// by the lower index). An island county thus joins the county nearest to
// it across the water. A triangulation is connected already.
//
// The result depends only on the arguments; adjacency is not modified.
func ProximityGraph(space territory.Space, pts []territory.Point, adjacency [][]int32) [][]int32 {
	n := len(pts)
	emb := make([]Vec3, n)
	for i, p := range pts {
		emb[i] = Embed(space, p)
	}
	adj := make([][]int32, n)
	if adjacency != nil {
		for i, nb := range adjacency {
			adj[i] = slices.Clone(nb)
		}
	} else if tri, err := Delaunay(Project(space, pts)); err == nil {
		adj = tri.Neighbours()
	} else {
		ix := NewIndex(emb)
		var buf []int
		for i, pt := range emb {
			buf = ix.Nearest(pt, graphNeighbours+1, buf[:0])
			for _, j := range buf {
				if j != i {
					adj[i] = append(adj[i], int32(j))
					adj[j] = append(adj[j], int32(i))
				}
			}
		}
	}
	for i := range adj {
		slices.Sort(adj[i])
		adj[i] = slices.Compact(adj[i])
	}
	connect(adj, emb)
	return adj
}

// connect joins the pieces of the graph adj over the points pts until it
// is connected (see ProximityGraph).
func connect(adj [][]int32, pts []Vec3) {
	for {
		comp, count := Components(adj)
		if count <= 1 {
			return
		}
		size := make([]int, count)
		for _, c := range comp {
			size[c]++
		}
		small := int32(0)
		for c := int32(1); c < count; c++ {
			if size[c] < size[small] {
				small = c
			}
		}
		var inside, outside []int
		for i, c := range comp {
			if c == small {
				inside = append(inside, i)
			} else {
				outside = append(outside, i)
			}
		}
		others := make([]Vec3, len(outside))
		for j, i := range outside {
			others[j] = pts[i]
		}
		ix := NewIndex(others)
		bestA, bestB, bestD := -1, -1, 0.0
		var buf []int
		for _, a := range inside {
			buf = ix.Nearest(pts[a], 1, buf[:0])
			b := outside[buf[0]]
			if d := Dist2(pts[a], pts[b]); bestA < 0 || d < bestD {
				bestA, bestB, bestD = a, b, d
			}
		}
		adj[bestA] = insertSorted(adj[bestA], int32(bestB))
		adj[bestB] = insertSorted(adj[bestB], int32(bestA))
	}
}

func insertSorted(s []int32, v int32) []int32 {
	i, found := slices.BinarySearch(s, v)
	if found {
		return s
	}
	return slices.Insert(s, i, v)
}

// Components labels the connected pieces of the undirected graph adj (for
// every node, its neighbours; each edge listed at both ends) and returns
// the labels and their number. Pieces are numbered 0, 1, ... in the order
// of their lowest node.
func Components(adj [][]int32) (comp []int32, count int32) {
	comp = make([]int32, len(adj))
	for i := range comp {
		comp[i] = -1
	}
	var stack []int32
	for s := range adj {
		if comp[s] >= 0 {
			continue
		}
		comp[s] = count
		stack = append(stack[:0], int32(s))
		for len(stack) > 0 {
			u := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, v := range adj[u] {
				if comp[v] < 0 {
					comp[v] = count
					stack = append(stack, v)
				}
			}
		}
		count++
	}
	return comp, count
}
