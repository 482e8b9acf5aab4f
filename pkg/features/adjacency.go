package features

import (
	"cmp"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// gridScale is how finely positions are rounded before boundaries are
// compared: 1e-7 degrees, about a centimetre. Positions that agree to
// that precision are the same point.
const gridScale = 1e7

// gridPt is a position rounded to the grid.
type gridPt struct{ x, y int64 }

func toGrid(p orb.Point) gridPt {
	return gridPt{int64(math.Round(p[0] * gridScale)), int64(math.Round(p[1] * gridScale))}
}

func (p gridPt) less(q gridPt) bool { return p.compare(q) < 0 }

func (p gridPt) compare(q gridPt) int {
	if c := cmp.Compare(p.x, q.x); c != 0 {
		return c
	}
	return cmp.Compare(p.y, q.y)
}

// edgeKey is an edge with rounded endpoints, the smaller endpoint first,
// so that the edge a unit walks one way and its neighbour walks the other
// way have the same key.
type edgeKey struct{ a, b gridPt }

// unitEdge is one boundary edge of a unit.
type unitEdge struct {
	key  edgeKey
	unit int32
}

// rings calls f for every ring of a polygon or multipolygon.
func rings(g orb.Geometry, f func(orb.Ring)) {
	switch g := g.(type) {
	case orb.Polygon:
		for _, r := range g {
			f(r)
		}
	case orb.MultiPolygon:
		for _, p := range g {
			for _, r := range p {
				f(r)
			}
		}
	}
}

// adjacency returns the rook adjacency of the units and the pairs that
// touch only at a corner; see Units for the definitions.
//
// Rook neighbours are found in two passes. First every ring edge, its
// endpoints rounded to the grid and ordered, is sorted: units that have
// the same edge are neighbours (this finds every shared boundary of files
// whose neighbours share their vertices, as files built from a topology
// do; sorting rather than hashing keeps every unit of an edge that three
// units have and needs no map). Then the edges no other unit has are put in the
// cells of a uniform grid and compared pairwise within each cell: two
// edges of different units that lie on one line (within tolerance) and
// overlap along a positive length make their units neighbours too. That
// second pass finds boundaries split at different vertices on either side
// (T-junctions).
//
// Corners are found by sorting the rounded vertices: units that share a
// vertex but are not rook neighbours touch at a corner.
func adjacency(geoms []orb.Geometry) (rook, corners [][]int32) {
	n := 0
	for _, g := range geoms {
		rings(g, func(r orb.Ring) { n += len(r) })
	}
	edges := make([]unitEdge, 0, n)
	verts := make([]unitVertex, 0, n)
	for u, g := range geoms {
		rings(g, func(r orb.Ring) {
			for k := 0; k+1 < len(r); k++ {
				a, b := toGrid(r[k]), toGrid(r[k+1])
				if a == b {
					continue
				}
				verts = append(verts, unitVertex{a, int32(u)})
				if b.less(a) {
					a, b = b, a
				}
				edges = append(edges, unitEdge{edgeKey{a, b}, int32(u)})
			}
		})
	}
	// Sorting the edges brings the units that have the same edge together
	// (three or more when units overlap or one collapsed onto a boundary).
	slices.SortFunc(edges, func(e, f unitEdge) int {
		if c := e.key.a.compare(f.key.a); c != 0 {
			return c
		}
		if c := e.key.b.compare(f.key.b); c != 0 {
			return c
		}
		return cmp.Compare(e.unit, f.unit)
	})
	edges = slices.Compact(edges)
	var pairs [][2]int32
	lone := edges[:0:0] // the edges no other unit has, for T-junctions
	for i := 0; i < len(edges); {
		j := i + 1
		for j < len(edges) && edges[j].key == edges[i].key {
			j++
		}
		if j == i+1 {
			lone = append(lone, edges[i])
		}
		for x := i; x < j; x++ {
			for y := x + 1; y < j; y++ {
				pairs = append(pairs, [2]int32{edges[x].unit, edges[y].unit})
			}
		}
		i = j
	}
	pairs = append(pairs, collinearPairs(lone)...)
	rook = neighbours(len(geoms), pairs)
	corners = neighbours(len(geoms), vertexPairs(verts, rook))
	return rook, corners
}

// neighbours turns pairs into sorted, duplicate-free neighbour lists.
func neighbours(n int, pairs [][2]int32) [][]int32 {
	adj := make([][]int32, n)
	for _, pr := range pairs {
		if pr[0] == pr[1] {
			continue
		}
		adj[pr[0]] = append(adj[pr[0]], pr[1])
		adj[pr[1]] = append(adj[pr[1]], pr[0])
	}
	for i := range adj {
		slices.Sort(adj[i])
		adj[i] = slices.Clip(slices.Compact(adj[i]))
	}
	return adj
}

// unitVertex is a rounded vertex of a unit.
type unitVertex struct {
	p    gridPt
	unit int32
}

// vertexPairs returns the pairs of units that share a vertex and are not
// rook neighbours.
func vertexPairs(verts []unitVertex, rook [][]int32) [][2]int32 {
	slices.SortFunc(verts, func(a, b unitVertex) int {
		if c := a.p.compare(b.p); c != 0 {
			return c
		}
		return cmp.Compare(a.unit, b.unit)
	})
	verts = slices.CompactFunc(verts, func(a, b unitVertex) bool { return a == b })
	var pairs [][2]int32
	for i := 0; i < len(verts); {
		j := i + 1
		for j < len(verts) && verts[j].p == verts[i].p {
			j++
		}
		for x := i; x < j; x++ {
			for y := x + 1; y < j; y++ {
				u, v := verts[x].unit, verts[y].unit
				if _, ok := slices.BinarySearch(rook[u], v); !ok {
					pairs = append(pairs, [2]int32{u, v})
				}
			}
		}
		i = j
	}
	return pairs
}

// collinearTolerance is how far, in grid units, an endpoint may be from
// the line of another edge, and how long their overlap must be, for two
// edges to count as one stretch of boundary: 1.5e-7 degrees, so that
// positions rounded independently on either side still match.
const collinearTolerance = 1.5

// maxCellsPerEdge bounds how many grid cells one edge is put in.
const maxCellsPerEdge = 64

// collinearPairs returns the pairs of units that have edges lying on one
// line and overlapping along a positive length. Edges are put in the
// cells of a uniform grid whose cell side is twice their mean length
// (an edge longer than maxCellsPerEdge cells is put in its first cells
// along each axis only, so a very long edge may be missed) and compared
// within each cell.
func collinearPairs(edges []unitEdge) [][2]int32 {
	if len(edges) < 2 {
		return nil
	}
	var total float64
	for _, e := range edges {
		total += math.Hypot(float64(e.key.b.x-e.key.a.x), float64(e.key.b.y-e.key.a.y))
	}
	cell := max(2*total/float64(len(edges)), 1)
	type entry struct {
		cx, cy int64
		edge   int32
	}
	var entries []entry
	for i, e := range edges {
		x0 := int64(math.Floor(float64(min(e.key.a.x, e.key.b.x)) / cell))
		x1 := int64(math.Floor(float64(max(e.key.a.x, e.key.b.x)) / cell))
		y0 := int64(math.Floor(float64(min(e.key.a.y, e.key.b.y)) / cell))
		y1 := int64(math.Floor(float64(max(e.key.a.y, e.key.b.y)) / cell))
		x1, y1 = min(x1, x0+maxCellsPerEdge-1), min(y1, y0+maxCellsPerEdge-1)
		if (x1-x0+1)*(y1-y0+1) > maxCellsPerEdge*2 {
			// A long diagonal edge: only the cells along its line.
			n := max(x1-x0, y1-y0)
			for s := int64(0); s <= n; s++ {
				t := float64(s) / float64(max(n, 1))
				x := float64(e.key.a.x) + t*float64(e.key.b.x-e.key.a.x)
				y := float64(e.key.a.y) + t*float64(e.key.b.y-e.key.a.y)
				entries = append(entries, entry{int64(math.Floor(x / cell)), int64(math.Floor(y / cell)), int32(i)})
			}
			continue
		}
		for cx := x0; cx <= x1; cx++ {
			for cy := y0; cy <= y1; cy++ {
				entries = append(entries, entry{cx, cy, int32(i)})
			}
		}
	}
	slices.SortFunc(entries, func(a, b entry) int {
		if c := cmp.Compare(a.cx, b.cx); c != 0 {
			return c
		}
		if c := cmp.Compare(a.cy, b.cy); c != 0 {
			return c
		}
		return cmp.Compare(a.edge, b.edge)
	})
	var pairs [][2]int32
	for i := 0; i < len(entries); {
		j := i + 1
		for j < len(entries) && entries[j].cx == entries[i].cx && entries[j].cy == entries[i].cy {
			j++
		}
		for x := i; x < j; x++ {
			e := edges[entries[x].edge]
			for y := x + 1; y < j; y++ {
				f := edges[entries[y].edge]
				if e.unit != f.unit && overlapping(e.key, f.key) {
					pairs = append(pairs, [2]int32{e.unit, f.unit})
				}
			}
		}
		i = j
	}
	return pairs
}

// overlapping reports whether two edges lie on one line, within
// collinearTolerance, and overlap along more than collinearTolerance.
func overlapping(e, f edgeKey) bool {
	// Coordinates relative to e.a keep the products small and exact
	// enough in float64.
	ox, oy := e.a.x, e.a.y
	bx, by := float64(e.b.x-ox), float64(e.b.y-oy)
	length := math.Hypot(bx, by)
	if length == 0 {
		return false
	}
	ux, uy := bx/length, by/length
	var t [2]float64
	for i, p := range [2]gridPt{f.a, f.b} {
		px, py := float64(p.x-ox), float64(p.y-oy)
		if math.Abs(float64(ux*py)-float64(uy*px)) > collinearTolerance {
			return false
		}
		t[i] = float64(ux*px) + float64(uy*py)
	}
	lo := max(min(t[0], t[1]), 0)
	hi := min(max(t[0], t[1]), length)
	return hi-lo > collinearTolerance
}
