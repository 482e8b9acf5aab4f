package spatial

import (
	"math"
	"slices"

	"github.com/paulmach/orb"

	"github.com/territory-optimizer/territory/pkg/parallel"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// PolygonIndex finds the polygon that holds a point, among many (the units
// of a layer: counties, ZIP codes), and the polygon nearest to a point that
// none holds. Polygons are taken as they are drawn in their coordinates
// (longitude and latitude degrees, or planar x and y): edges are straight
// lines there, as RFC 7946 says of GeoJSON.
//
// It is a uniform grid over the polygons' bounding box. A cell that no edge
// touches lies wholly inside the same polygons as its centre, and answers
// at once; in a cell that edges cross, a point is tested against the
// polygons whose bounding boxes hold it by counting the edges that a
// horizontal ray from the point to the right crosses (even-odd, so holes
// and the parts of a multipolygon need no special care). The edges are
// kept per polygon and grid row, sorted by their right end, so that a
// cell's test reads only the edges of its row that reach it. Every
// decision is an exact orientation test ([Orient]), so a point is inside
// or not the same way on every machine.
//
// A PolygonIndex is safe for use by any number of goroutines at once.
type PolygonIndex struct {
	n          int         // polygons
	minX, minY float64     // the grid's lower left corner
	cw, ch     float64     // a cell's width and height
	nx, ny     int         // cells across and up
	bounds     []orb.Bound // every polygon's bounding box
	// cells holds, for every cell (row-major), the polygon that holds the
	// whole cell (cellNone when none does), or cellMixed when edges touch
	// it; a mixed cell's tests are entries[entryAt[c]:entryAt[c+1]].
	cells   []int32
	entryAt []int32
	entries []cellEntry
	// edges holds every polygon's edges row by row: polygon i's edges in
	// grid row r are edges[rowAt[...]], sorted by their right end, largest
	// first.
	edges []edge
	// touch lists, for every cell, the polygons with an edge that touches
	// it (for Nearest): touch[touchAt[c]:touchAt[c+1]], increasing.
	touchAt []int32
	touch   []int32
	// own holds every polygon's edges, own[ownAt[i]:ownAt[i+1]], for the
	// distance from a point to the polygon.
	ownAt []int32
	own   []edge
	// geographic says that x is longitude and y latitude, in degrees:
	// Nearest then measures in kilometres.
	geographic bool
}

// Values of PolygonIndex.cells other than a polygon's index.
const (
	cellNone  = -1 // no polygon holds the cell
	cellMixed = -2 // edges touch the cell
)

// cellEntry is one polygon to test in a mixed cell: its index and its
// edges in the cell's row that reach the cell, edges[from:to].
type cellEntry struct {
	poly     int32
	from, to int32
}

// edge is a segment of a ring, from a to b, and its largest x.
type edge struct {
	a, b territory.Point
	maxX float64
}

// NewPolygonIndex indexes geoms, each an orb.Polygon or orb.MultiPolygon
// (any other geometry is a polygon that holds nothing), in space:
// geographic geometries are in longitude and latitude degrees. A polygon's
// index in geoms is its number in the answers.
func NewPolygonIndex(space territory.Space, geoms []orb.Geometry) *PolygonIndex {
	ix := &PolygonIndex{n: len(geoms), geographic: space == territory.Geographic}
	ix.bounds = make([]orb.Bound, len(geoms))
	ix.ownAt = make([]int32, len(geoms)+1)
	total := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	for i, g := range geoms {
		b := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
		eachRing(g, func(r orb.Ring) {
			for j := 1; j < len(r); j++ {
				a, c := r[j-1], r[j]
				if a == c {
					continue
				}
				ix.own = append(ix.own, edge{a: territory.Point{X: a[0], Y: a[1]}, b: territory.Point{X: c[0], Y: c[1]}, maxX: max(a[0], c[0])})
			}
			for _, p := range r {
				b = b.Extend(p)
			}
		})
		ix.bounds[i] = b
		ix.ownAt[i+1] = int32(len(ix.own))
		if ix.ownAt[i+1] > ix.ownAt[i] {
			total = total.Union(b)
		}
	}
	if len(ix.own) == 0 {
		ix.nx, ix.ny = 0, 0
		return ix
	}
	ix.grid(total)
	ix.build()
	return ix
}

// eachRing calls f with every ring of g, a Polygon or MultiPolygon.
func eachRing(g orb.Geometry, f func(orb.Ring)) {
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

// grid chooses the cells: about as many as there are edges (at least
// 1,024, at most 4 million), square in the coordinates, over box.
func (ix *PolygonIndex) grid(box orb.Bound) {
	w, h := box.Max[0]-box.Min[0], box.Max[1]-box.Min[1]
	// A box of no width or height still gets cells of some size.
	side := max(w, h)
	if side == 0 {
		side = 1
	}
	w, h = max(w, side*1e-6), max(h, side*1e-6)
	target := float64(min(max(len(ix.own), 1024), 1<<22))
	cell := math.Sqrt(w * h / target)
	ix.nx = min(max(int(math.Ceil(w/cell)), 1), 1<<16)
	ix.ny = min(max(int(math.Ceil(h/cell)), 1), 1<<16)
	ix.minX, ix.minY = box.Min[0], box.Min[1]
	// The cells reach a little past the box, so that its far edges fall
	// inside the last cells.
	ix.cw = w / float64(ix.nx) * (1 + 1e-9)
	ix.ch = h / float64(ix.ny) * (1 + 1e-9)
}

// col and row return the grid column and row of x and y, clamped to the
// grid.
func (ix *PolygonIndex) col(x float64) int {
	return min(max(int(math.Floor((x-ix.minX)/ix.cw)), 0), ix.nx-1)
}

func (ix *PolygonIndex) row(y float64) int {
	return min(max(int(math.Floor((y-ix.minY)/ix.ch)), 0), ix.ny-1)
}

// build files every edge under the rows it spans and the cells it touches,
// then classifies the cells.
func (ix *PolygonIndex) build() {
	ncell := ix.nx * ix.ny
	// Edges by polygon and row.
	type rowEdge struct {
		poly, row int32
		e         edge
	}
	var byRow []rowEdge
	touched := make([][]int32, ncell) // polygons whose edges touch a cell
	for i := 0; i < ix.n; i++ {
		for _, e := range ix.own[ix.ownAt[i]:ix.ownAt[i+1]] {
			r0, r1 := ix.row(min(e.a.Y, e.b.Y)), ix.row(max(e.a.Y, e.b.Y))
			for r := r0; r <= r1; r++ {
				byRow = append(byRow, rowEdge{int32(i), int32(r), e})
				// The cells of row r the edge touches: those its part in
				// the row spans in x.
				x0, x1 := ix.spanInRow(e, r)
				for c := ix.col(x0); c <= ix.col(x1); c++ {
					cell := r*ix.nx + c
					if t := touched[cell]; len(t) == 0 || t[len(t)-1] != int32(i) {
						touched[cell] = append(t, int32(i))
					}
				}
			}
		}
	}
	slices.SortFunc(byRow, func(p, q rowEdge) int {
		if p.poly != q.poly {
			return int(p.poly - q.poly)
		}
		if p.row != q.row {
			return int(p.row - q.row)
		}
		switch {
		case p.e.maxX > q.e.maxX:
			return -1
		case p.e.maxX < q.e.maxX:
			return 1
		}
		return 0
	})
	ix.edges = make([]edge, len(byRow))
	// rowStart finds the edges of (poly, row): a sorted list of keys.
	type rowKey struct{ poly, row int32 }
	var keys []rowKey
	var starts []int32
	for j, re := range byRow {
		ix.edges[j] = re.e
		if j == 0 || re.poly != byRow[j-1].poly || re.row != byRow[j-1].row {
			keys = append(keys, rowKey{re.poly, re.row})
			starts = append(starts, int32(j))
		}
	}
	starts = append(starts, int32(len(byRow)))
	rowEdges := func(poly, row int32) (int32, int32) {
		k, ok := slices.BinarySearchFunc(keys, rowKey{poly, row}, func(a, b rowKey) int {
			if a.poly != b.poly {
				return int(a.poly - b.poly)
			}
			return int(a.row - b.row)
		})
		if !ok {
			return 0, 0
		}
		return starts[k], starts[k+1]
	}

	// Polygons by the cells their bounding boxes overlap.
	over := make([][]int32, ncell)
	for i, b := range ix.bounds {
		if ix.ownAt[i] == ix.ownAt[i+1] {
			continue
		}
		for r := ix.row(b.Min[1]); r <= ix.row(b.Max[1]); r++ {
			for c := ix.col(b.Min[0]); c <= ix.col(b.Max[0]); c++ {
				over[r*ix.nx+c] = append(over[r*ix.nx+c], int32(i))
			}
		}
	}

	ix.cells = make([]int32, ncell)
	ix.entryAt = make([]int32, ncell+1)
	ix.touchAt = make([]int32, ncell+1)
	for cell := range ncell {
		r, c := cell/ix.nx, cell%ix.nx
		left := ix.minX + float64(c)*ix.cw
		// A point's column is found by division, whose rounding may put a
		// point a hair left of left in this cell.
		reach := left - ix.cw*1e-6
		var entries []cellEntry
		for _, i := range over[cell] {
			from, to := rowEdges(i, int32(r))
			// Only the edges that reach the cell's left side can cross a
			// ray from a point in it.
			n := sortedPrefix(ix.edges[from:to], reach)
			entries = append(entries, cellEntry{poly: i, from: from, to: from + int32(n)})
		}
		if len(touched[cell]) == 0 {
			// No edge touches the cell: its centre says for all of it.
			centre := territory.Point{X: left + ix.cw/2, Y: ix.minY + (float64(r)+0.5)*ix.ch}
			ix.cells[cell] = int32(ix.test(entries, centre))
		} else {
			ix.cells[cell] = cellMixed
			ix.entries = append(ix.entries, entries...)
			ix.touch = append(ix.touch, touched[cell]...)
		}
		ix.entryAt[cell+1] = int32(len(ix.entries))
		ix.touchAt[cell+1] = int32(len(ix.touch))
	}
}

// spanInRow returns the x range of the part of edge e in grid row r.
func (ix *PolygonIndex) spanInRow(e edge, r int) (float64, float64) {
	y0 := ix.minY + float64(r)*ix.ch
	y1 := y0 + ix.ch
	a, b := e.a, e.b
	if a.Y == b.Y {
		return min(a.X, b.X), max(a.X, b.X)
	}
	at := func(y float64) float64 {
		t := (y - a.Y) / (b.Y - a.Y)
		t = min(max(t, 0), 1)
		return a.X + t*(b.X-a.X)
	}
	xa, xb := at(y0), at(y1)
	// A little slack for the rounding of at: a cell more is only a little
	// more work.
	slack := ix.cw * 1e-6
	return min(xa, xb) - slack, max(xa, xb) + slack
}

// sortedPrefix returns how many of edges, sorted by maxX from the largest,
// have maxX >= x.
func sortedPrefix(edges []edge, x float64) int {
	lo, hi := 0, len(edges)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if edges[m].maxX >= x {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// Len is the number of polygons indexed.
func (ix *PolygonIndex) Len() int { return ix.n }

// Locate returns the index of the polygon that holds p, or -1 when none
// does. A point on a polygon's boundary is in it; a point that several
// polygons hold (on the boundary two share, or where polygons overlap) is
// in the one of lowest index.
func (ix *PolygonIndex) Locate(p territory.Point) int {
	if ix.nx == 0 || !(p.X >= ix.minX && p.Y >= ix.minY) ||
		p.X >= ix.minX+float64(ix.nx)*ix.cw || p.Y >= ix.minY+float64(ix.ny)*ix.ch {
		return -1
	}
	cell := ix.row(p.Y)*ix.nx + ix.col(p.X)
	if v := ix.cells[cell]; v != cellMixed {
		return int(v)
	}
	return ix.test(ix.entries[ix.entryAt[cell]:ix.entryAt[cell+1]], p)
}

// test returns the first polygon of entries (in increasing order) that
// holds p, or -1.
func (ix *PolygonIndex) test(entries []cellEntry, p territory.Point) int {
	for _, en := range entries {
		b := ix.bounds[en.poly]
		if p.X < b.Min[0] || p.X > b.Max[0] || p.Y < b.Min[1] || p.Y > b.Max[1] {
			continue
		}
		if holds(ix.edges[en.from:en.to], p) {
			return int(en.poly)
		}
	}
	return -1
}

// holds reports whether p is inside the rings whose edges (all those that
// a ray from p to the right may cross) are given, or on one of them: by
// the parity of the edges the ray crosses, each counted when one end is
// above p and the other not (so a ray through a vertex counts it once).
func holds(edges []edge, p territory.Point) bool {
	inside := false
	for k := range edges {
		e := &edges[k]
		a, b := e.a, e.b
		if (a.Y > p.Y) != (b.Y > p.Y) {
			if e.maxX < p.X {
				continue // wholly left of p
			}
			// Upward, p left of the edge means the edge crosses the ray.
			if a.Y > b.Y {
				a, b = b, a
			}
			switch Orient(a, b, p) {
			case 0:
				return true // on the edge
			case 1:
				inside = !inside
			}
			continue
		}
		if a.Y == p.Y && (a.X == p.X || b.Y == p.Y && min(a.X, b.X) <= p.X && p.X <= max(a.X, b.X)) {
			return true // at a vertex, or on a horizontal edge
		}
	}
	return inside
}

// Nearest returns the polygon nearest to p, measured to its boundary, and
// that distance: in kilometres for geographic polygons (in the
// equirectangular projection at p's latitude, which is close to the
// great-circle distance at the distances a point lies from the polygon
// it missed), in the coordinates' unit for planar ones. Of polygons at the
// same distance, the one of lowest index wins. It returns -1 when no
// polygon has an edge. It is meant for the few points that no polygon
// holds: a point inside a polygon is at distance 0 of it only when on its
// boundary.
func (ix *PolygonIndex) Nearest(p territory.Point) (int, float64) {
	if ix.nx == 0 {
		return -1, math.Inf(1)
	}
	sx, unit := 1.0, 1.0
	if ix.geographic {
		sx = math.Max(math.Cos(p.Y*math.Pi/180), 1e-3)
		unit = EarthRadiusKm * math.Pi / 180
	}
	c0, r0 := ix.col(p.X), ix.row(p.Y)
	best, bestD := -1, math.Inf(1)
	seen := make(map[int32]bool)
	step := math.Min(ix.cw*sx, ix.ch)
	for ring := 0; ring <= max(ix.nx, ix.ny); ring++ {
		if ring >= 1 && float64(ring-1)*step > bestD {
			break
		}
		visit := func(r, c int) {
			cell := r*ix.nx + c
			for _, i := range ix.touch[ix.touchAt[cell]:ix.touchAt[cell+1]] {
				if seen[i] {
					continue
				}
				seen[i] = true
				d := ix.distance(int(i), p, sx)
				if d < bestD || d == bestD && int(i) < best {
					best, bestD = int(i), d
				}
			}
		}
		// The cells of the ring inside the grid: its top and bottom rows
		// whole, its two columns between them.
		cl, ch := max(c0-ring, 0), min(c0+ring, ix.nx-1)
		for r := max(r0-ring, 0); r <= min(r0+ring, ix.ny-1); r++ {
			if r == r0-ring || r == r0+ring {
				for c := cl; c <= ch; c++ {
					visit(r, c)
				}
				continue
			}
			if c0-ring >= 0 {
				visit(r, c0-ring)
			}
			if ring > 0 && c0+ring < ix.nx {
				visit(r, c0+ring)
			}
		}
	}
	return best, bestD * unit
}

// distance is the distance from p to the boundary of polygon i, with x
// scaled by sx.
func (ix *PolygonIndex) distance(i int, p territory.Point, sx float64) float64 {
	best := math.Inf(1)
	for _, e := range ix.own[ix.ownAt[i]:ix.ownAt[i+1]] {
		ax, ay := (e.a.X-p.X)*sx, e.a.Y-p.Y
		bx, by := (e.b.X-p.X)*sx, e.b.Y-p.Y
		dx, dy := bx-ax, by-ay
		t := 0.0
		if l := dx*dx + dy*dy; l > 0 {
			t = min(max(-(ax*dx+ay*dy)/l, 0), 1)
		}
		x, y := ax+t*dx, ay+t*dy
		best = math.Min(best, x*x+y*y)
	}
	return math.Sqrt(best)
}

// LocateAll locates every point of pts, on every core: Locate's answer for
// each, in order.
func (ix *PolygonIndex) LocateAll(pts []territory.Point) []int {
	out := make([]int, len(pts))
	const chunk = 4096
	parallel.For((len(pts)+chunk-1)/chunk, func(_, c int) {
		for i := c * chunk; i < min((c+1)*chunk, len(pts)); i++ {
			out[i] = ix.Locate(pts[i])
		}
	})
	return out
}
