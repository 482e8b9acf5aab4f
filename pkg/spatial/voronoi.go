package spatial

import (
	"math"

	"github.com/paulmach/orb"

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
// leaves no kinks or spikes), and where an edge leaves the box its end is
// computed once, on the box side, from the bisector of the two points.
// Merging the cells of a group by cancelling the edges they share (as
// the features package does for territories) therefore leaves exactly
// the group's outline.
//
// A duplicate point (see [Triangulation.Duplicates]) gets no cell (a nil
// polygon): the cell of its position belongs to the lowest-indexed point
// there. So does a point whose cell lies outside the box. For collinear
// points the cells are strips between the bisectors of consecutive
// points. A box corner equidistant from several points goes to the
// lowest-indexed of them. The box must have positive width and height;
// otherwise every cell is nil. t must come from [Delaunay].
func VoronoiCells(t *Triangulation, clip orb.Bound) []orb.Polygon {
	n := len(t.Points)
	cells := make([]orb.Polygon, n)
	if n == 0 || !(clip.Max[0] > clip.Min[0] && clip.Max[1] > clip.Min[1]) {
		return cells
	}
	v := &voronoi{t: t, box: clip}
	v.ownCorners()
	if len(t.Triangles) == 0 {
		v.pathCells(cells)
		return cells
	}
	v.circumcentres()
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
	var segs []segment
	// Points are visited in the order of their outgoing half-edges, which
	// follows the sweep: neighbours in the plane are neighbours in memory.
	for e := range t.Halfedges {
		i := t.Triangles[e]
		e0 := out[i]
		if e0 != int32(e) {
			continue // visited at another half-edge
		}
		segs = segs[:0]
		e := e0
		for {
			segs = v.appendEdge(segs, e, i)
			p := prevHalfedge(e)
			h := t.Halfedges[p]
			if h == -1 {
				// p runs along the hull into i: its bisector closes the cell.
				segs = v.appendEdge(segs, p, i)
				break
			}
			if h == e0 {
				break
			}
			e = h
		}
		cells[i] = v.ring(segs, i)
	}
	return cells
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
		x, y := circumcentre(a, b, c)
		exact[k] = orb.Point{x, y}
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

// segment is a piece of a cell's boundary inside the box, from a to b.
type segment struct{ a, b orb.Point }

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
	if h := t.Halfedges[c]; h != -1 {
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
	if t.Triangles[c] != i {
		s.a, s.b = s.b, s.a
	}
	return append(segs, s)
}

// clipBisector clips the part of the bisector of a and b (directed so
// that a lies to its left) between the positions from and to (nil for
// infinity) to the box. Positions inside the box are kept as they are;
// where the bisector crosses the box boundary, the crossing is computed
// on the line and set exactly on the side it crosses.
func (v *voronoi) clipBisector(a, b territory.Point, from, to *orb.Point) (segment, bool) {
	mx, my, dx, dy, dd := bisector(a, b)
	at := func(p *orb.Point, inf float64) float64 {
		if p == nil {
			return inf
		}
		return param(*p, mx, my, dx, dy, dd)
	}
	sFrom, sTo := at(from, math.Inf(-1)), at(to, math.Inf(1))
	fromIn := from != nil && v.inside(*from)
	toIn := to != nil && v.inside(*to)
	if fromIn && toIn {
		return segment{*from, *to}, true
	}
	lo, hi, loSide, hiSide, hit := v.lineBox(mx, my, dx, dy)
	switch {
	case !hit:
		// Only rounding can put an end inside the box while its line
		// misses it: the end is on the boundary.
		if fromIn {
			return segment{*from, *from}, true
		}
		if toIn {
			return segment{*to, *to}, true
		}
		return segment{}, false
	case !fromIn && !toIn && (sFrom > hi || sTo < lo):
		return segment{}, false
	}
	var s segment
	if fromIn {
		s.a = *from
	} else {
		s.a = v.onSide(mx, my, dx, dy, lo, loSide)
	}
	if toIn {
		s.b = *to
	} else {
		s.b = v.onSide(mx, my, dx, dy, hi, hiSide)
	}
	return s, true
}

func (v *voronoi) inside(p orb.Point) bool {
	b := v.box
	return p[0] >= b.Min[0] && p[0] <= b.Max[0] && p[1] >= b.Min[1] && p[1] <= b.Max[1]
}

// Box sides, in counter-clockwise order from the bottom.
const (
	sideBottom = iota
	sideRight
	sideTop
	sideLeft
)

// lineBox intersects the line (mx, my) + s·(dx, dy) with the box: the
// parameters where it enters and leaves, and the sides it crosses there.
func (v *voronoi) lineBox(mx, my, dx, dy float64) (lo, hi float64, loSide, hiSide int, ok bool) {
	b := v.box
	lo, hi = math.Inf(-1), math.Inf(1)
	loSide, hiSide = -1, -1
	clip := func(m, d, min, max float64, minSide, maxSide int) bool {
		if d == 0 {
			return m >= min && m <= max
		}
		s0, s1 := (min-m)/d, (max-m)/d
		side0, side1 := minSide, maxSide
		if d < 0 {
			s0, s1 = s1, s0
			side0, side1 = side1, side0
		}
		if s0 > lo {
			lo, loSide = s0, side0
		}
		if s1 < hi {
			hi, hiSide = s1, side1
		}
		return true
	}
	if !clip(mx, dx, b.Min[0], b.Max[0], sideLeft, sideRight) ||
		!clip(my, dy, b.Min[1], b.Max[1], sideBottom, sideTop) {
		return 0, 0, 0, 0, false
	}
	return lo, hi, loSide, hiSide, lo <= hi
}

// cornerSnap is how close, relative to the box's size, a crossing must
// come to a corner to be put on it: a bisector through a corner crosses
// both of its sides there, and rounding must not place the crossing a few
// units in the last place away, leaving a sliver.
const cornerSnap = 1e-12

// onSide is the point at parameter s of the line, put exactly on side
// (and on a corner within cornerSnap of it).
func (v *voronoi) onSide(mx, my, dx, dy, s float64, side int) orb.Point {
	b := v.box
	x, y := mx+float64(s*dx), my+float64(s*dy)
	snap := func(c, lo, hi float64) float64 {
		tol := cornerSnap * (hi - lo)
		switch {
		case c <= lo+tol:
			return lo
		case c >= hi-tol:
			return hi
		}
		return c
	}
	switch side {
	case sideLeft:
		x, y = b.Min[0], snap(y, b.Min[1], b.Max[1])
	case sideRight:
		x, y = b.Max[0], snap(y, b.Min[1], b.Max[1])
	case sideBottom:
		x, y = snap(x, b.Min[0], b.Max[0]), b.Min[1]
	case sideTop:
		x, y = snap(x, b.Min[0], b.Max[0]), b.Max[1]
	}
	return orb.Point{x, y}
}

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
		return v.clipBisector(pts[path[k]], pts[path[k+1]], nil, nil)
	}
	for k, i := range path {
		var segs []segment
		if k+1 < len(path) {
			if s, ok := bisector(k); ok {
				segs = append(segs, s)
			}
		}
		if k > 0 {
			if s, ok := bisector(k - 1); ok {
				s.a, s.b = s.b, s.a
				segs = append(segs, s)
			}
		}
		cells[i] = v.ring(segs, i)
	}
}
