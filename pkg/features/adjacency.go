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
// units have and needs no map). Then the edges no other unit has are
// compared within the cells of a uniform grid (collinearPairs): two edges
// of different units that run along each other, within snapTolerance,
// for more than minShared make their units neighbours too. That second
// pass finds boundaries split at different vertices on either side
// (T-junctions), edges that overlap only in part, and boundaries whose
// two sides were rounded apart.
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

// snapTolerance is how far apart, in grid units, a vertex and an edge may
// be for the vertex to count as lying on the edge: 1.5e-5 degrees, about
// 1.7 m of latitude. Rounding positions to 5 decimal places (us-atlas,
// many web exports) moves each by up to sqrt(2)/2 * 1e-5 degrees, so a
// vertex that lay on a neighbour's edge may end up 1.42e-5 degrees from
// the edge's rounded line; positions written with more decimals are
// matched within the same tolerance.
const snapTolerance = 1.5e-5 * gridScale

// minShared is how long, in grid units, a stretch two edges share within
// snapTolerance must be to count as a shared boundary: twice the
// tolerance (about 3.3 m). Edges that meet at a point, or cross, at an
// angle wider than 60 degrees then count only when one of them is so
// short (under 2 snapTolerance / sin(angle)) that it lies wholly within
// the tolerance of the other.
const minShared = 2 * snapTolerance

// collinearPairs returns the pairs of units that have edges sharing a
// stretch of boundary (see sharesStretch) although their endpoints
// differ. Each edge, widened by snapTolerance, is put in every cell of a
// uniform grid it passes through, however long it is, and edges are
// compared within each cell: two edges that share a stretch are both in
// the cell of its ends. The cell side is twice the edges' mean extent
// (|dx| + |dy|), so an edge is put in about its extent over the side
// plus one or two cells (1.5 cells per edge on the US counties, 2.6 on a
// circle of a million edges); within a cell, edges are swept in order
// of their smaller x, so that only edges whose x ranges meet are
// compared.
func collinearPairs(edges []unitEdge) [][2]int32 {
	if len(edges) < 2 {
		return nil
	}
	var total float64
	for _, e := range edges {
		total += math.Abs(float64(e.key.b.x)-float64(e.key.a.x)) + math.Abs(float64(e.key.b.y)-float64(e.key.a.y))
	}
	// The cell is at least four tolerances wide, so that widening an edge
	// adds at most one cell on either side.
	cell := max(2*total/float64(len(edges)), 4*snapTolerance)
	type entry struct {
		cx, cy int64
		x      int64 // the edge's smaller x, a.x
		edge   int32
	}
	// cells calls f for every cell the edge, widened by snapTolerance,
	// passes through, column by column.
	cells := func(e edgeKey, f func(cx, cy int64)) {
		// Keys have a.x <= b.x (the smaller endpoint first).
		ax, ay := float64(e.a.x), float64(e.a.y)
		bx, by := float64(e.b.x), float64(e.b.y)
		c0 := int64(math.Floor((ax - snapTolerance) / cell))
		c1 := int64(math.Floor((bx + snapTolerance) / cell))
		for cx := c0; cx <= c1; cx++ {
			// The part of the edge within snapTolerance of this column.
			lo := max(float64(cx)*cell-snapTolerance, ax)
			hi := min(float64(cx+1)*cell+snapTolerance, bx)
			ylo, yhi := min(ay, by), max(ay, by)
			if bx > ax {
				y0 := ay + (lo-ax)/(bx-ax)*(by-ay)
				y1 := ay + (hi-ax)/(bx-ax)*(by-ay)
				ylo, yhi = min(y0, y1), max(y0, y1)
			}
			r0 := int64(math.Floor((ylo - snapTolerance) / cell))
			r1 := int64(math.Floor((yhi + snapTolerance) / cell))
			for cy := r0; cy <= r1; cy++ {
				f(cx, cy)
			}
		}
	}
	n := 0
	for _, e := range edges {
		cells(e.key, func(int64, int64) { n++ })
	}
	entries := make([]entry, 0, n)
	for i, e := range edges {
		cells(e.key, func(cx, cy int64) { entries = append(entries, entry{cx, cy, e.key.a.x, int32(i)}) })
	}
	slices.SortFunc(entries, func(a, b entry) int {
		if c := cmp.Compare(a.cx, b.cx); c != 0 {
			return c
		}
		if c := cmp.Compare(a.cy, b.cy); c != 0 {
			return c
		}
		if c := cmp.Compare(a.x, b.x); c != 0 {
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
			eylo, eyhi := min(e.key.a.y, e.key.b.y), max(e.key.a.y, e.key.b.y)
			for y := x + 1; y < j; y++ {
				f := edges[entries[y].edge]
				if float64(f.key.a.x) > float64(e.key.b.x)+snapTolerance {
					break // this and the later edges of the cell start beyond e
				}
				if e.unit == f.unit ||
					float64(min(f.key.a.y, f.key.b.y)) > float64(eyhi)+snapTolerance ||
					float64(max(f.key.a.y, f.key.b.y)) < float64(eylo)-snapTolerance {
					continue
				}
				if sharesStretch(e.key, f.key) {
					pairs = append(pairs, [2]int32{e.unit, f.unit})
				}
			}
		}
		i = j
	}
	return pairs
}

// sharesStretch reports whether two edges share a stretch of boundary:
// whether two of their four endpoints, more than minShared apart, each
// lie within snapTolerance of the other edge (an endpoint of e within
// snapTolerance of f, or the other way round). The stretch between two
// such points then lies within snapTolerance of both edges. This covers
// edges split at different vertices on either side (T-junctions) and
// edges that overlap only in part; edges that meet end to end, at a
// corner, or cross do not share a stretch.
func sharesStretch(e, f edgeKey) bool {
	// Coordinates relative to e.a keep the numbers small and exact in
	// float64.
	ox, oy := float64(e.a.x), float64(e.a.y)
	pts := [4][2]float64{
		{0, 0},
		{float64(e.b.x) - ox, float64(e.b.y) - oy},
		{float64(f.a.x) - ox, float64(f.a.y) - oy},
		{float64(f.b.x) - ox, float64(f.b.y) - oy},
	}
	// A point near a segment is near its line. Most pairs of edges that
	// meet in a cell have fewer than two endpoints near the other's
	// line, and this rejects them with a few products.
	const tol2 = snapTolerance * snapTolerance
	ex, ey := pts[1][0], pts[1][1]
	el2 := ex*ex + ey*ey
	c2 := ex*pts[2][1] - ey*pts[2][0]
	c3 := ex*pts[3][1] - ey*pts[3][0]
	lines := 0
	if c2*c2 <= tol2*el2 {
		lines++
	}
	if c3*c3 <= tol2*el2 {
		lines++
	}
	if lines == 0 {
		// Both ends of e must then lie near f.
		fx, fy := pts[3][0]-pts[2][0], pts[3][1]-pts[2][1]
		fl2 := fx*fx + fy*fy
		for _, p := range pts[:2] {
			if c := fx*(p[1]-pts[2][1]) - fy*(p[0]-pts[2][0]); c*c > tol2*fl2 {
				return false
			}
		}
	}
	var near [4]bool
	near[0] = segmentDistance2(pts[0], pts[2], pts[3]) <= tol2
	near[1] = segmentDistance2(pts[1], pts[2], pts[3]) <= tol2
	near[2] = segmentDistance2(pts[2], pts[0], pts[1]) <= tol2
	near[3] = segmentDistance2(pts[3], pts[0], pts[1]) <= tol2
	for i := range pts {
		for j := i + 1; j < len(pts); j++ {
			dx, dy := pts[j][0]-pts[i][0], pts[j][1]-pts[i][1]
			if near[i] && near[j] && dx*dx+dy*dy > minShared*minShared {
				return true
			}
		}
	}
	return false
}

// segmentDistance2 returns the squared distance from p to the segment
// a-b.
func segmentDistance2(p, a, b [2]float64) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	t := 0.0
	if l2 := dx*dx + dy*dy; l2 > 0 {
		t = min(max(((p[0]-a[0])*dx+(p[1]-a[1])*dy)/l2, 0), 1)
	}
	x, y := a[0]+t*dx-p[0], a[1]+t*dy-p[1]
	return x*x + y*y
}
