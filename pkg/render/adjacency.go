package render

import (
	"cmp"
	"math"
	"slices"

	"github.com/paulmach/orb"

	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// proximityK is how many nearest accounts of every account the proximity
// rule looks at. Eight is about the number of Delaunay neighbours of a
// point on the boundary of a territory (six on average inside), so most
// pairs of territories whose accounts' Voronoi cells touch are found.
const proximityK = 8

// edgeTolerance is the distance, as a fraction of the larger side of the
// boundaries' bounding box, within which two boundary segments count as
// lying on one line: under a metre on a map of the contiguous US, well
// above the 1e-7 degrees to which package features rounds positions.
const edgeTolerance = 1e-7

// gapTolerance is the width, as a fraction of the larger side of the
// boundaries' bounding box, below which a gap between two boundaries does
// not keep them apart: about 5 px across the SVG's map, where the two dark
// outlines with a sliver of white between them would read as one line.
// Point territories are outlined only as far as their accounts reach (see
// package features), so neighbours may face each other across such a gap.
const gapTolerance = 0.005

// gapReach is how far, in gap widths, two boundaries must run alongside
// each other across a narrow gap for their territories to touch: two
// corners that nearly meet come within the gap over about one width on
// each of their two sides (and the sampling may add one more).
const gapReach = 4

// adjacency builds the territory graph of a map: adj[k] lists the
// territories that touch territory k, in increasing order.
//
// Two territories touch when
//
//   - both have a boundary and the boundaries share a stretch of edge of
//     positive length (meeting at a corner is not enough); shared
//     stretches are found whether or not both sides have vertices at the
//     same places; or
//   - both have a boundary and the boundaries run alongside each other
//     across a gap narrower than gapTolerance of the map, over gapReach
//     times that width (see gapPairs); or
//   - when some territory has no boundary: an account of one is among the
//     proximityK nearest accounts of an account of the other (on the
//     projected map), or the convex hulls drawn for both overlap.
func adjacency(m *Map, xy [][2]float64, hulls [][]int32) [][]int32 {
	k := len(m.Territories)
	var pairs [][2]int32
	pairs = boundaryPairs(m, pairs)
	missing := false
	for _, t := range m.Territories {
		if !hasArea(t.Boundary) {
			missing = true
			break
		}
	}
	if missing {
		pairs = proximityPairs(m, xy, pairs)
		pairs = hullPairs(xy, hulls, pairs)
	}
	for i, p := range pairs {
		if p[0] > p[1] {
			pairs[i] = [2]int32{p[1], p[0]}
		}
	}
	slices.SortFunc(pairs, func(a, b [2]int32) int {
		if c := cmp.Compare(a[0], b[0]); c != 0 {
			return c
		}
		return cmp.Compare(a[1], b[1])
	})
	pairs = slices.Compact(pairs)
	adj := make([][]int32, k)
	for _, p := range pairs {
		adj[p[0]] = append(adj[p[0]], p[1])
		adj[p[1]] = append(adj[p[1]], p[0])
	}
	for i := range adj {
		slices.Sort(adj[i])
	}
	return adj
}

// segment is one edge of a territory's boundary.
type segment struct {
	ax, ay, bx, by float64
	t              int32
}

// boundaryPairs appends the pairs of territories whose boundaries share
// an edge. Segments are bucketed in a uniform grid; only segments of
// different territories in the same cell are compared.
func boundaryPairs(m *Map, pairs [][2]int32) [][2]int32 {
	var segs []segment
	bb := emptyBox()
	for k, t := range m.Territories {
		for _, poly := range t.Boundary {
			for _, ring := range poly {
				for i := range ring {
					a, b := ring[i], ring[(i+1)%len(ring)]
					if a == b {
						continue
					}
					segs = append(segs, segment{a[0], a[1], b[0], b[1], int32(k)})
					bb.add(a[0], a[1])
				}
			}
		}
	}
	if len(segs) < 2 {
		return pairs
	}
	extent := math.Max(bb.width(), bb.height())
	if extent == 0 {
		return pairs
	}
	pairs = gapPairs(segs, bb, extent*gapTolerance, pairs)
	eps := extent * edgeTolerance
	// About one segment per cell, at most 4096 cells a side.
	side := min(max(int(math.Sqrt(float64(len(segs)))), 1), 4096)
	cell := extent / float64(side)
	type entry struct {
		cell int64
		seg  int32
	}
	var entries []entry
	cellOf := func(v, lo float64) int64 {
		return min(max(int64(math.Floor((v-lo)/cell)), 0), int64(side))
	}
	for i, s := range segs {
		x0, x1 := cellOf(min(s.ax, s.bx)-eps, bb.minX), cellOf(max(s.ax, s.bx)+eps, bb.minX)
		y0, y1 := cellOf(min(s.ay, s.by)-eps, bb.minY), cellOf(max(s.ay, s.by)+eps, bb.minY)
		for cx := x0; cx <= x1; cx++ {
			for cy := y0; cy <= y1; cy++ {
				if segmentNearCell(s, bb.minX+float64(cx)*cell, bb.minY+float64(cy)*cell, cell, eps) {
					entries = append(entries, entry{cx*int64(side+1) + cy, int32(i)})
				}
			}
		}
	}
	slices.SortFunc(entries, func(a, b entry) int {
		if c := cmp.Compare(a.cell, b.cell); c != 0 {
			return c
		}
		return cmp.Compare(a.seg, b.seg)
	})
	for lo := 0; lo < len(entries); {
		hi := lo + 1
		for hi < len(entries) && entries[hi].cell == entries[lo].cell {
			hi++
		}
		for i := lo; i < hi; i++ {
			s := &segs[entries[i].seg]
			for j := i + 1; j < hi; j++ {
				u := &segs[entries[j].seg]
				if s.t != u.t && sharedEdge(s, u, eps) {
					pairs = append(pairs, [2]int32{s.t, u.t})
				}
			}
		}
		lo = hi
	}
	return pairs
}

// gapPairs appends the pairs of territories whose boundaries (segs, within
// the box bb) run alongside each other across a gap narrower than gap, or
// touch, over more than gapReach·gap of the boundary of either. Every
// boundary is sampled every gap/2 or less of its length, each sample
// standing for its share of its segment, and a sample counts for every
// other territory with a boundary segment within gap of it. Segments are
// bucketed in a grid of cells 2·gap wide, each in every cell it passes
// within gap of, so that the cell of a sample holds every segment near it.
func gapPairs(segs []segment, bb box, gap float64, pairs [][2]int32) [][2]int32 {
	side := int(math.Ceil(math.Max(bb.width(), bb.height())/(2*gap))) + 1
	cell := 2 * gap
	cellOf := func(v, lo float64) int64 {
		return min(max(int64(math.Floor((v-lo)/cell)), 0), int64(side))
	}
	type entry struct {
		cell int64
		seg  int32
	}
	var entries []entry
	for i, s := range segs {
		x0, x1 := cellOf(min(s.ax, s.bx)-gap, bb.minX), cellOf(max(s.ax, s.bx)+gap, bb.minX)
		y0, y1 := cellOf(min(s.ay, s.by)-gap, bb.minY), cellOf(max(s.ay, s.by)+gap, bb.minY)
		for cx := x0; cx <= x1; cx++ {
			for cy := y0; cy <= y1; cy++ {
				if segmentNearCell(s, bb.minX+float64(cx)*cell, bb.minY+float64(cy)*cell, cell, gap) {
					entries = append(entries, entry{cx*int64(side+1) + cy, int32(i)})
				}
			}
		}
	}
	slices.SortFunc(entries, func(a, b entry) int {
		if c := cmp.Compare(a.cell, b.cell); c != 0 {
			return c
		}
		return cmp.Compare(a.seg, b.seg)
	})
	// along[{t, u}] is the length of t's boundary within gap of u's.
	along := make(map[[2]int32]float64)
	var near []int32
	for _, s := range segs {
		dx, dy := s.bx-s.ax, s.by-s.ay
		l := math.Hypot(dx, dy)
		n := max(1, int(math.Ceil(l/(gap/2))))
		for k := range n {
			f := (float64(k) + 0.5) / float64(n)
			x, y := s.ax+f*dx, s.ay+f*dy
			c := cellOf(x, bb.minX)*int64(side+1) + cellOf(y, bb.minY)
			lo, _ := slices.BinarySearchFunc(entries, c, func(e entry, c int64) int { return cmp.Compare(e.cell, c) })
			near = near[:0]
			for _, e := range entries[lo:] {
				if e.cell != c {
					break
				}
				if u := &segs[e.seg]; u.t != s.t && !slices.Contains(near, u.t) && pointSegmentDist(x, y, u) <= gap {
					near = append(near, u.t)
				}
			}
			for _, u := range near {
				along[[2]int32{s.t, u}] += l / float64(n)
			}
		}
	}
	for p, length := range along {
		if length > gapReach*gap {
			pairs = append(pairs, p) // in map order: adjacency sorts them
		}
	}
	return pairs
}

// pointSegmentDist is the distance from (x, y) to segment s.
func pointSegmentDist(x, y float64, s *segment) float64 {
	dx, dy := s.bx-s.ax, s.by-s.ay
	t := 0.0
	if l2 := float64(dx*dx) + float64(dy*dy); l2 > 0 {
		t = min(max((float64((x-s.ax)*dx)+float64((y-s.ay)*dy))/l2, 0), 1)
	}
	return math.Hypot(x-s.ax-t*dx, y-s.ay-t*dy)
}

// segmentNearCell reports whether segment s passes within eps of the
// square cell with lower left corner (x, y) and side size, so that a long
// diagonal segment is not entered in every cell of its bounding box.
func segmentNearCell(s segment, x, y, size, eps float64) bool {
	// Clip the segment's line against the cell grown by eps
	// (Liang-Barsky).
	t0, t1 := 0.0, 1.0
	dx, dy := s.bx-s.ax, s.by-s.ay
	clip := func(p, q float64) bool {
		if p == 0 {
			return q >= 0
		}
		r := q / p
		if p < 0 {
			if r > t1 {
				return false
			}
			t0 = max(t0, r)
		} else {
			if r < t0 {
				return false
			}
			t1 = min(t1, r)
		}
		return true
	}
	return clip(-dx, s.ax-(x-eps)) && clip(dx, x+size+eps-s.ax) &&
		clip(-dy, s.ay-(y-eps)) && clip(dy, y+size+eps-s.ay) && t0 <= t1
}

// sharedEdge reports whether segments s and u lie on one line (within
// eps) and overlap along it by more than eps.
func sharedEdge(s, u *segment, eps float64) bool {
	dx, dy := s.bx-s.ax, s.by-s.ay
	l := math.Hypot(dx, dy)
	if l <= eps {
		return false
	}
	ux, uy := dx/l, dy/l
	cross := func(x, y float64) float64 { return float64(ux*(y-s.ay)) - float64(uy*(x-s.ax)) }
	if math.Abs(cross(u.ax, u.ay)) > eps || math.Abs(cross(u.bx, u.by)) > eps {
		return false
	}
	dot := func(x, y float64) float64 { return float64(ux*(x-s.ax)) + float64(uy*(y-s.ay)) }
	ta, tb := dot(u.ax, u.ay), dot(u.bx, u.by)
	return math.Min(l, math.Max(ta, tb))-math.Max(0, math.Min(ta, tb)) > eps
}

// proximityPairs appends the pairs of territories with an account among
// the proximityK nearest accounts of an account of the other.
func proximityPairs(m *Map, xy [][2]float64, pairs [][2]int32) [][2]int32 {
	if len(xy) < 2 {
		return pairs
	}
	pts := make([]spatial.Vec3, len(xy))
	for i, p := range xy {
		pts[i] = spatial.Vec3{p[0], p[1], 0}
	}
	ix := spatial.NewIndex(pts)
	var nb []int
	for i := range xy {
		nb = ix.Nearest(pts[i], proximityK+1, nb[:0])
		ti := m.Accounts[i].Territory
		for _, j := range nb {
			if j == i {
				continue
			}
			if tj := m.Accounts[j].Territory; tj != ti {
				pairs = append(pairs, [2]int32{int32(ti), int32(tj)})
			}
		}
	}
	return pairs
}

// hullPairs appends the pairs of territories whose hulls (in hulls, as
// account indices; nil for territories with a boundary) overlap or touch.
func hullPairs(xy [][2]float64, hulls [][]int32, pairs [][2]int32) [][2]int32 {
	boxes := make([]box, len(hulls))
	for k, h := range hulls {
		boxes[k] = emptyBox()
		for _, i := range h {
			boxes[k].add(xy[i][0], xy[i][1])
		}
	}
	for a := range hulls {
		if len(hulls[a]) < 3 {
			continue
		}
		for b := a + 1; b < len(hulls); b++ {
			if len(hulls[b]) < 3 || !boxes[a].overlaps(boxes[b]) {
				continue
			}
			if convexOverlap(xy, hulls[a], hulls[b]) {
				pairs = append(pairs, [2]int32{int32(a), int32(b)})
			}
		}
	}
	return pairs
}

// convexOverlap reports whether two convex polygons (account indices,
// counter-clockwise) overlap or touch: no edge of either separates them.
func convexOverlap(xy [][2]float64, p, q []int32) bool {
	return !separates(xy, p, q) && !separates(xy, q, p)
}

// separates reports whether some edge of p has all of q strictly outside.
func separates(xy [][2]float64, p, q []int32) bool {
	for i := range p {
		a, b := xy[p[i]], xy[p[(i+1)%len(p)]]
		out := true
		for _, j := range q {
			if spatial.Orient(asPoint(a), asPoint(b), asPoint(xy[j])) >= 0 {
				out = false
				break
			}
		}
		if out {
			return true
		}
	}
	return false
}

// convexHull returns the convex hull of the points idx (indices into xy,
// in increasing order) counter-clockwise, without collinear points,
// starting from the lowest x (then y, then index): spatial.ConvexHull of
// those points.
func convexHull(xy [][2]float64, idx []int32) []int32 {
	pts := make([]territory.Point, len(idx))
	for i, j := range idx {
		pts[i] = asPoint(xy[j])
	}
	hull := spatial.ConvexHull(pts)
	for i, k := range hull {
		hull[i] = idx[k]
	}
	return hull
}

// asPoint is a projected position as a point.
func asPoint(p [2]float64) territory.Point { return territory.Point{X: p[0], Y: p[1]} }

// hasArea reports whether a boundary has any ring that can enclose
// something.
func hasArea(mp orb.MultiPolygon) bool {
	for _, poly := range mp {
		if len(poly) > 0 && len(poly[0]) >= 3 {
			return true
		}
	}
	return false
}
