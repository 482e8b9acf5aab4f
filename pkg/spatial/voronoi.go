package spatial

import (
	"math"
	"math/big"

	"github.com/paulmach/orb"

	"github.com/territory-optimizer/territory/pkg/parallel"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// DefaultMargin is the margin [MarginBound] adds around the data, as a
// fraction of the larger side of its bounding box.
const DefaultMargin = 0.05

// MarginBound returns the bounding box of pts grown on every side by
// margin times the larger of its width and height (by margin, in the
// points' unit, when all points coincide). It is the clip region of
// [VoronoiCells] that frames the data with some room around it.
func MarginBound(pts []territory.Point, margin float64) orb.Bound {
	if len(pts) == 0 {
		return orb.Bound{}
	}
	b := orb.Bound{Min: orb.Point{pts[0].X, pts[0].Y}, Max: orb.Point{pts[0].X, pts[0].Y}}
	for _, p := range pts[1:] {
		b = b.Extend(orb.Point{p.X, p.Y})
	}
	pad := margin * max(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1])
	if pad == 0 {
		pad = margin
	}
	return b.Pad(pad)
}

// VoronoiCells returns the Voronoi cell of every point of t, clipped to
// the box clip: the part of the box nearer to that point than to any
// other (in the plane of t's points). Each cell is one counter-clockwise
// ring, closed (its last position repeats the first), as RFC 7946 winds
// outer rings.
//
// The cells tile the box: they do not overlap and leave no gaps. Two
// neighbouring cells share their common edge exactly, with bit-identical
// end positions: cell vertices are the circumcentres of the Delaunay
// triangles, computed once (cocircular neighbours share one, so rounding
// leaves no kinks or spikes; a triangle too flat for floating point gets
// its centre computed exactly), and where an edge leaves the box its end
// is computed once, on the box side, from the bisector of the two points.
// Whether a vertex lies inside the box is decided on its coordinates, the
// same way for every edge that ends there.
// Merging the cells of a group by cancelling the edges they share (as
// the features package does for territories) therefore leaves exactly
// the group's outline.
//
// The cells are built on all cores (GOMAXPROCS), each on its own from
// the triangulation, so they do not depend on the number of cores.
//
// A duplicate point (see [Triangulation.Duplicates]) gets no cell (a nil
// polygon): the cell of its position belongs to the lowest-indexed point
// there. So does a point whose cell lies outside the box. For collinear
// points the cells are strips between the bisectors of consecutive
// points. A box corner equidistant from several points goes to the
// lowest-indexed of them. The box must have positive width and height;
// otherwise every cell is nil. t must come from [Delaunay].
func VoronoiCells(t *Triangulation, clip orb.Bound) []orb.Polygon {
	return voronoiCells(t, clip, nil)
}

// voronoiCells builds the cells of [VoronoiCells], each also clipped to
// the reach of its point when radius is not nil (see
// [VoronoiCellsWithin]).
func voronoiCells(t *Triangulation, clip orb.Bound, radius []float64) []orb.Polygon {
	n := len(t.Points)
	cells := make([]orb.Polygon, n)
	if n == 0 || !(clip.Max[0] > clip.Min[0] && clip.Max[1] > clip.Min[1]) {
		return cells
	}
	v := &voronoi{t: t, box: clip, radius: radius}
	v.ownCorners()
	if len(t.Triangles) == 0 {
		v.pathCells(cells)
		return cells
	}
	v.circumcentres()
	if radius != nil {
		v.reaches()
	}
	// An outgoing half-edge of every point; for a hull point the one
	// along the hull, where the walk around it must start.
	out := make([]int32, n)
	for i := range out {
		out[i] = -1
	}
	for e, h := range t.Halfedges {
		from := t.Triangles[e]
		if h == -1 || out[from] == -1 {
			out[from] = int32(e)
		}
	}
	// Points are visited in the order of their outgoing half-edges, which
	// follows the sweep: neighbours in the plane are neighbours in memory.
	// Every cell is built on its own, from what v holds and its scratch
	// space, so the chunks of half-edges are spread over the cores.
	chunks := (len(t.Halfedges) + cellChunk - 1) / cellChunk
	scratches := make([]scratch, parallel.Workers())
	parallel.For(chunks, func(worker, c int) {
		sc := &scratches[worker]
		for e := c * cellChunk; e < min((c+1)*cellChunk, len(t.Halfedges)); e++ {
			i := t.Triangles[e]
			e0 := out[i]
			if e0 != int32(e) {
				continue // visited at another half-edge
			}
			sc.segs = sc.segs[:0]
			e := e0
			for {
				sc.segs = v.appendEdge(sc.segs, e, i)
				p := prevHalfedge(e)
				h := t.Halfedges[p]
				if h == -1 {
					// p runs along the hull into i: its bisector closes the cell.
					sc.segs = v.appendEdge(sc.segs, p, i)
					break
				}
				if h == e0 {
					break
				}
				e = h
			}
			cells[i] = v.cell(sc, i)
		}
	})
	return cells
}

// cellChunk is how many half-edges a goroutine takes at a time when
// building the cells.
const cellChunk = 1 << 14

// scratch is the memory a goroutine reuses from cell to cell.
type scratch struct {
	segs, edges []segment
	pieces      []keptPiece
	ring        orb.Ring
}

// voronoi holds what the cells are built from.
type voronoi struct {
	t   *Triangulation
	box orb.Bound
	// centres holds the circumcentre of every triangle, and group the
	// lowest triangle whose centre it shares (see circumcentres).
	centres []orb.Point
	group   []int32
	owner   [4]int32 // the point nearest each box corner
	// radius holds the reach of every point (see VoronoiCellsWithin), or
	// is nil.
	radius []float64
	// reach and keep hold, for every group of triangles sharing a
	// centre (indexed by the group's lowest triangle), the reach at its
	// centre and whether the clipped cells keep it (see reaches).
	reach []float64
	keep  []bool
}

// maxMergeRounds bounds the rounds of circumcentres merging.
const maxMergeRounds = 16

// circumcentres computes the centre of every triangle. Neighbouring
// triangles that are cocircular (exactly: their four points lie on one
// circle) share one centre, as do neighbours whose centres come out in
// the wrong order along the bisector of their common edge (exactly, that
// order is never wrong: the Voronoi edge of a Delaunay edge has length
// >= 0, so the two are nearly cocircular). Their Voronoi edge is empty;
// left apart, the rounding of their centres would put tiny kinks and
// backward spikes in the cells. A group of such triangles takes the
// centre of its lowest triangle.
func (v *voronoi) circumcentres() {
	t := v.t
	pts := t.Points
	nt := len(t.Triangles) / 3
	exact := make([]orb.Point, nt)
	v.group = make([]int32, nt)
	for k := range exact {
		a, b, c := pts[t.Triangles[3*k]], pts[t.Triangles[3*k+1]], pts[t.Triangles[3*k+2]]
		exact[k] = voronoiVertex(a, b, c)
		v.group[k] = int32(k)
	}
	find := func(k int32) int32 {
		for v.group[k] != k {
			v.group[k] = v.group[v.group[k]]
			k = v.group[k]
		}
		return k
	}
	v.centres = exact
	for range maxMergeRounds {
		merged := false
		for e, h := range t.Halfedges {
			if h == -1 || int32(e) > h {
				continue
			}
			ge, gh := find(int32(e)/3), find(h/3)
			if ge == gh {
				continue
			}
			a, b := pts[t.Triangles[e]], pts[t.Triangles[nextHalfedge(int32(e))]]
			mx, my, dx, dy, dd := bisector(a, b)
			if param(v.centres[gh], mx, my, dx, dy, dd) >= param(v.centres[ge], mx, my, dx, dy, dd) ||
				inCircle(a, b, pts[t.Triangles[prevHalfedge(int32(e))]], pts[t.Triangles[prevHalfedge(h)]]) == 0 {
				v.group[max(ge, gh)] = min(ge, gh)
				merged = true
			}
		}
		if !merged {
			break
		}
		centres := make([]orb.Point, nt)
		for k := range centres {
			centres[k] = exact[find(int32(k))]
		}
		v.centres = centres
	}
	for k := range v.group {
		v.group[k] = find(int32(k))
	}
}

// voronoiVertex is the circumcentre of the counter-clockwise triangle
// (a, b, c). Floating point computes it well unless the triangle is
// nearly flat: then the determinant it divides by may round to zero or
// to the wrong sign, which would put the centre at infinity or on the
// wrong side of the triangle. Such a centre, far away (the triangle is
// flat), is computed exactly and rounded.
func voronoiVertex(a, b, c territory.Point) orb.Point {
	dx, dy := b.X-a.X, b.Y-a.Y
	ex, ey := c.X-a.X, c.Y-a.Y
	l, r := float64(dx*ey), float64(dy*ex)
	if det := l - r; math.Abs(det) > ccwErrBound*(math.Abs(l)+math.Abs(r)) {
		x, y := circumcentre(a, b, c)
		return orb.Point{x, y}
	}
	return circumcentreExact(a, b, c)
}

// circumcentreExact is the circumcentre of (a, b, c), which must not be
// collinear, computed exactly and rounded to the nearest float64 (to
// ±Inf beyond float64's range).
func circumcentreExact(a, b, c territory.Point) orb.Point {
	sub := func(x, y float64) *big.Float { return newExact().Sub(exact(x), exact(y)) }
	mul := func(x, y *big.Float) *big.Float { return newExact().Mul(x, y) }
	dx, dy := sub(b.X, a.X), sub(b.Y, a.Y)
	ex, ey := sub(c.X, a.X), sub(c.Y, a.Y)
	bl := newExact().Add(mul(dx, dx), mul(dy, dy))
	cl := newExact().Add(mul(ex, ex), mul(ey, ey))
	den := newExact().Sub(mul(dx, ey), mul(dy, ex))
	den.Add(den, den)
	x := newExact().Sub(mul(ey, bl), mul(dy, cl))
	y := newExact().Sub(mul(dx, cl), mul(ex, bl))
	x.Quo(x, den).Add(x, exact(a.X))
	y.Quo(y, den).Add(y, exact(a.Y))
	fx, _ := x.Float64()
	fy, _ := y.Float64()
	return orb.Point{fx, fy}
}

// bisector returns the bisector of a and b as a point (mx, my) and a
// direction (dx, dy), (b - a) turned a quarter counter-clockwise (so that
// a lies to its left), and dd = dx² + dy².
func bisector(a, b territory.Point) (mx, my, dx, dy, dd float64) {
	mx, my = a.X/2+b.X/2, a.Y/2+b.Y/2
	dx, dy = a.Y-b.Y, b.X-a.X
	return mx, my, dx, dy, float64(dx*dx) + float64(dy*dy)
}

// param is the position of p along the line (mx, my) + s·(dx, dy).
func param(p orb.Point, mx, my, dx, dy, dd float64) float64 {
	return (float64((p[0]-mx)*dx) + float64((p[1]-my)*dy)) / dd
}

// segment is a piece of a cell's boundary inside the box, from a to b:
// part of the Voronoi edge between the cell's point and point nb, or of
// a box side when nb is -1. For VoronoiCellsWithin, ra and rb are the
// reach at a and b, and ka and kb whether the clipped cells keep a and b
// (see voronoi.reaches).
type segment struct {
	a, b   orb.Point
	nb     int32
	ra, rb float64
	ka, kb bool
}

// reversed is s walked the other way.
func (s segment) reversed() segment {
	s.a, s.b, s.ra, s.rb, s.ka, s.kb = s.b, s.a, s.rb, s.ra, s.kb, s.ka
	return s
}

// The box's corners in counter-clockwise order from (minX, minY); corner
// k sits at perimeter position k (see perimeter).
func (v *voronoi) corner(k int) orb.Point {
	b := v.box
	switch k {
	case 0:
		return b.Min
	case 1:
		return orb.Point{b.Max[0], b.Min[1]}
	case 2:
		return b.Max
	}
	return orb.Point{b.Min[0], b.Max[1]}
}

// ownCorners finds the point nearest each box corner, ties going to the
// lowest index.
func (v *voronoi) ownCorners() {
	pts := v.t.Points
	for k := range v.owner {
		c := v.corner(k)
		best, owner := math.Inf(1), int32(-1)
		for i, p := range pts {
			if v.t.rep[i] != int32(i) {
				continue
			}
			if d := dist2(c[0], c[1], p.X, p.Y); d < best {
				best, owner = d, int32(i)
			}
		}
		v.owner[k] = owner
	}
}

// appendEdge appends to segs the part inside the box of the Voronoi edge
// dual to half-edge e (between its two points), oriented so that cell i
// lies to its left.
func (v *voronoi) appendEdge(segs []segment, e, i int32) []segment {
	t := v.t
	c := e
	if h := t.Halfedges[e]; h != -1 && h < e {
		c = h
	}
	// The canonical half-edge c runs from a to b; the Voronoi edge runs
	// along the bisector in direction D (a to its right, so a's cell to
	// its left), from the centre of the triangle on c's right (or from
	// infinity on the hull) to the centre of c's own triangle.
	a, b := t.Points[t.Triangles[c]], t.Points[t.Triangles[nextHalfedge(c)]]
	var from *orb.Point
	h := t.Halfedges[c]
	if h != -1 {
		if v.group[h/3] == v.group[c/3] {
			return segs // an empty edge between triangles that share their centre
		}
		from = &v.centres[h/3]
	}
	to := &v.centres[c/3]
	s, ok := v.clipBisector(a, b, from, to)
	if !ok {
		return segs
	}
	ia, ib := t.Triangles[c], t.Triangles[nextHalfedge(c)]
	s.nb = ib
	if v.radius != nil {
		// An end is a Voronoi vertex unless the box cut the edge there.
		if from != nil && s.a == *from {
			s.ra, s.ka = v.vertexReach(h / 3)
		} else {
			s.ra, s.ka = v.boxReach(s.a, ia, ib)
		}
		if s.b == *to {
			s.rb, s.kb = v.vertexReach(c / 3)
		} else {
			s.rb, s.kb = v.boxReach(s.b, ia, ib)
		}
	}
	if ia != i {
		s = s.reversed()
		s.nb = ia
	}
	return append(segs, s)
}

// clipBisector clips the piece of the bisector of a and b (directed so
// that a lies to its left) between the positions from and to (nil for
// infinity) to the box, one side at a time. Whether an end lies beyond a
// side is decided on its coordinates alone, exactly, so that a
// circumcentre inside the box is kept by every edge that ends there and
// one outside it is cut off by all of them. An end beyond a side is
// replaced by the crossing with that side: computed on the bisector, set
// exactly on the side (and on a corner within cornerSnap of it) and kept
// between the piece's two ends, which rounding of the centres may leave
// a little off the line. It reports false when no piece of positive
// length remains.
func (v *voronoi) clipBisector(a, b territory.Point, from, to *orb.Point) (segment, bool) {
	box := v.box
	inBox := func(p orb.Point) bool {
		return p[0] >= box.Min[0] && p[0] <= box.Max[0] && p[1] >= box.Min[1] && p[1] <= box.Max[1]
	}
	if from != nil && to != nil && inBox(*from) && inBox(*to) {
		// The common case, and what the clipping below would find.
		if *from == *to {
			return segment{}, false
		}
		return segment{a: *from, b: *to}, true
	}
	mx, my, dx, dy, _ := bisector(a, b)
	line, dir := [2]float64{mx, my}, [2]float64{dx, dy}
	// end[k] is the position of end k of the piece, or, when inf[k] is
	// set, infinitely far along the line: backwards for end 0, forwards
	// for end 1.
	var end [2]orb.Point
	var inf [2]bool
	if from == nil {
		inf[0] = true
	} else {
		end[0] = *from
	}
	if to == nil {
		inf[1] = true
	} else {
		end[1] = *to
	}
	for side := range 4 {
		// The side keeps the half-plane coordinate ax >= c (lower) or
		// coordinate ax <= c.
		var ax int
		var c float64
		var lower bool
		switch side {
		case sideBottom:
			ax, c, lower = 1, box.Min[1], true
		case sideRight:
			ax, c, lower = 0, box.Max[0], false
		case sideTop:
			ax, c, lower = 1, box.Max[1], false
		case sideLeft:
			ax, c, lower = 0, box.Min[0], true
		}
		in := func(k int) bool {
			var x float64
			switch {
			case !inf[k]:
				x = end[k][ax]
			case dir[ax] != 0:
				rising := (dir[ax] > 0) == (k == 1)
				return rising == lower
			case !inf[1-k]:
				// Parallel to the side: on the same side as the other end.
				x = end[1-k][ax]
			default:
				x = line[ax]
			}
			if lower {
				return x >= c
			}
			return x <= c
		}
		in0, in1 := in(0), in(1)
		if in0 && in1 {
			continue
		}
		if !in0 && !in1 {
			return segment{}, false
		}
		o := 0 // the end beyond the side
		if in0 {
			o = 1
		}
		other := 1 - ax
		var y float64
		if dir[ax] != 0 {
			s := (c - line[ax]) / dir[ax]
			y = line[other] + float64(s*dir[other])
		} else {
			// Parallel to the side, yet the ends (off the line by
			// rounding) lie on either side of it: the end beyond is finite
			// (see in).
			y = end[o][other]
		}
		y = clampToPiece(y, other, end, inf, dir)
		lo, hi := box.Min[other], box.Max[other]
		tol := cornerSnap * (hi - lo)
		switch {
		case math.Abs(y-lo) <= tol:
			y = lo
		case math.Abs(y-hi) <= tol:
			y = hi
		}
		end[o][ax], end[o][other], inf[o] = c, y, false
	}
	if end[0] == end[1] {
		return segment{}, false
	}
	return segment{a: end[0], b: end[1]}, true
}

// clampToPiece keeps coordinate ax of a crossing, y, within the range the
// piece with the given ends spans in that coordinate.
func clampToPiece(y float64, ax int, end [2]orb.Point, inf [2]bool, dir [2]float64) float64 {
	lo, hi := math.Inf(-1), math.Inf(1)
	bounded := false
	for k := range 2 {
		if inf[k] {
			continue
		}
		if x := end[k][ax]; !bounded {
			lo, hi, bounded = x, x, true
		} else if x < lo {
			lo = x
		} else if x > hi {
			hi = x
		}
	}
	if !bounded {
		return y
	}
	for k := range 2 {
		if !inf[k] || dir[ax] == 0 {
			continue
		}
		// End k runs off towards +infinity in ax when the line heads that
		// way (end 1) or the other way (end 0).
		if (dir[ax] > 0) == (k == 1) {
			hi = math.Inf(1)
		} else {
			lo = math.Inf(-1)
		}
	}
	return min(max(y, lo), hi)
}

// Box sides, in counter-clockwise order from the bottom.
const (
	sideBottom = iota
	sideRight
	sideTop
	sideLeft
)

// cornerSnap is how close, relative to the box's size, a crossing must
// come to a corner to be put on it: a bisector through a corner crosses
// both of its sides there, and rounding must not place the crossing a few
// units in the last place away, leaving a sliver.
const cornerSnap = 1e-12

// perimeter places a point of the box boundary on the perimeter,
// counter-clockwise from the corner (minX, minY): side k spans [k, k+1).
// A point off the boundary (by rounding) is placed at the nearest side.
func (v *voronoi) perimeter(p orb.Point) float64 {
	b := v.box
	w, h := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
	dists := [4]float64{p[1] - b.Min[1], b.Max[0] - p[0], b.Max[1] - p[1], p[0] - b.Min[0]}
	side := 0
	for k := 1; k < 4; k++ {
		if dists[k] < dists[side] {
			side = k
		}
	}
	var f float64
	switch side {
	case sideBottom:
		f = (p[0] - b.Min[0]) / w
	case sideRight:
		f = (p[1] - b.Min[1]) / h
	case sideTop:
		f = (b.Max[0] - p[0]) / w
	case sideLeft:
		f = (b.Max[1] - p[1]) / h
	}
	s := float64(side) + min(max(f, 0), 1)
	if s >= 4 {
		s -= 4
	}
	return s
}

// ring closes the boundary pieces of cell i, in counter-clockwise order,
// into a polygon: where one piece leaves the box and the next comes back
// in, the cell follows the box boundary counter-clockwise, through the
// corners it owns.
func (v *voronoi) ring(segs []segment, i int32) orb.Polygon {
	var r orb.Ring
	if len(segs) == 0 {
		// The cell's boundary misses the box: the cell holds all of it or
		// none of it.
		if v.owner[0] != i {
			return nil
		}
		r = orb.Ring{v.corner(0), v.corner(1), v.corner(2), v.corner(3)}
	} else {
		r = make(orb.Ring, 0, 2*len(segs)+4)
		add := func(p orb.Point) {
			if len(r) == 0 || r[len(r)-1] != p {
				r = append(r, p)
			}
		}
		for k, s := range segs {
			if exit := segs[(k+len(segs)-1)%len(segs)].b; exit != s.a {
				v.walk(exit, s.a, i, add)
			}
			add(s.a)
			add(s.b)
		}
		for len(r) > 1 && r[0] == r[len(r)-1] {
			r = r[:len(r)-1]
		}
		if len(r) < 3 {
			return nil
		}
	}
	r = append(r, r[0])
	return orb.Polygon{r}
}

// walk adds the box corners that cell i owns between boundary points
// from and to, going counter-clockwise.
func (v *voronoi) walk(from, to orb.Point, i int32, add func(orb.Point)) {
	s0, s1 := v.perimeter(from), v.perimeter(to)
	d := s1 - s0
	if d < 0 {
		d += 4
	}
	// A step back by rounding (the two points are nearly the same) is not a
	// trip around the box.
	const tiny = 1e-12
	if d > 4-tiny {
		return
	}
	for s := math.Floor(s0) + 1; s < s0+d; s++ {
		k := int(s) % 4
		if v.owner[k] == i {
			add(v.corner(k))
		}
	}
}

// pathCells builds the cells of collinear points: strips between the
// bisectors of consecutive points along the path.
func (v *voronoi) pathCells(cells []orb.Polygon) {
	t := v.t
	path := t.Hull
	pts := t.Points
	bisector := func(k int) (segment, bool) { // between path[k] and path[k+1]
		s, ok := v.clipBisector(pts[path[k]], pts[path[k+1]], nil, nil)
		if ok && v.radius != nil {
			s.ra, s.ka = v.boxReach(s.a, path[k], path[k+1])
			s.rb, s.kb = v.boxReach(s.b, path[k], path[k+1])
		}
		return s, ok
	}
	for k, i := range path {
		var segs []segment
		if k+1 < len(path) {
			if s, ok := bisector(k); ok {
				s.nb = path[k+1]
				segs = append(segs, s)
			}
		}
		if k > 0 {
			if s, ok := bisector(k - 1); ok {
				s = s.reversed()
				s.nb = path[k-1]
				segs = append(segs, s)
			}
		}
		cells[i] = v.cell(&scratch{segs: segs}, i)
	}
}
