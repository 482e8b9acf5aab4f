package spatial

import (
	"math"

	"github.com/paulmach/orb"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// ReachRays is the number of directions around a point, evenly spaced,
// in which [VoronoiCellsWithin] draws the outline of its clipped cell
// where the outline leaves the cell's boundary.
const ReachRays = 32

// VoronoiCellsWithin returns the cells of [VoronoiCells], each clipped to
// the reach of its point, radius[i]: the part of the cell within reach,
// where the reach is a field that runs smoothly from point to point, so
// that neighbouring clipped cells still fit together exactly, without
// slivers or cracks, and leave gaps only where the points lie far apart
// for their reach. A point beyond the end of radius, or with radius +Inf,
// keeps its whole cell; a point whose radius is not positive gets no
// cell, as a duplicate gets none.
//
// The reach is set on the boundary of every cell, the same on both sides
// of it:
//
//   - at a Voronoi vertex, the centre of a circle through three or more
//     points, at distance ρ from them, whose mean reach is m: the vertex
//     is kept when ρ ≤ 1.25·m, and then has the reach max(m, ρ + m/4);
//     otherwise it is left out and has the reach m. The quarter keeps
//     every vertex clear of its reach, in or out, so that no cells nearly
//     meet at a pinch point. A gap of vertices left out (joined by Voronoi
//     edges) that is enclosed (none of its edges runs to infinity, none of
//     its vertices lies outside the box) and shallow (ρ ≤ 2·m at each of
//     them) is kept all the same: it would be a speck or a crack between
//     cells that reach round it on every side;
//   - where the box cuts the Voronoi edge of points i and j, the mean of
//     their reaches; at a box corner in the cell of point i, i's reach;
//   - along each side in between, linearly.
//
// A cell keeps the stretch of each of its sides that lies within the
// reach there of the side's points (a Voronoi edge is as far from both):
// one stretch, holding the side's ends that are kept or within reach. It
// is found on the side taken from its lower end (by x, then y), measured
// from the lower-indexed of its points, so that both cells keep the same
// stretch of their common edge, with bit-identical ends. Inside the cell,
// the reach runs linearly along each ray from the point, from radius[i]
// at the point to the reach of the boundary where the ray meets it, at
// distance D with reach R; where the boundary is beyond reach there, the
// outline crosses the ray short of it, at radius[i]·D / (D - R +
// radius[i]). Between the stretches kept, the outline runs through its
// crossings with the rays at angles 2πm/32 from the point ([ReachRays]),
// leaving out those within a quarter of a step of the stretches' ends (so
// that no edge is much shorter than the rest); a cell that keeps no
// stretch is outlined by those 32 positions alone, the regular 32-gon of
// radius radius[i] when its boundary's reach is radius[i] all round.
//
// So a clipped cell lies in its Voronoi cell (the clipped cells do not
// overlap), holds its point, is star-shaped around it, and lies within
// 1.5 times (2.25 times where a gap is filled) the largest radius of the
// points whose cells touch its own. Merging the clipped cells of a group
// by cancelling the edges they share leaves exactly the group's outline.
func VoronoiCellsWithin(t *Triangulation, clip orb.Bound, radius []float64) []orb.Polygon {
	if radius == nil {
		radius = []float64{} // every point's reach is +Inf
	}
	return voronoiCells(t, clip, radius)
}

// cell closes the boundary pieces of cell i, sc.segs (see ring), and, for
// VoronoiCellsWithin, clips the cell to its reach.
func (v *voronoi) cell(sc *scratch, i int32) orb.Polygon {
	segs := sc.segs
	if v.radius == nil {
		return v.ring(segs, i)
	}
	r := v.radiusOf(i)
	if !(r > 0) {
		return nil
	}
	// The common case, inside the points: every vertex kept and no box
	// side in the cell, which is then whole.
	whole := len(segs) > 0
	for k, s := range segs {
		if !s.ka || !s.kb || segs[(k+len(segs)-1)%len(segs)].b != s.a {
			whole = false
			break
		}
	}
	if whole {
		return v.ring(segs, i)
	}
	return v.reachRing(sc, i, r)
}

// radiusOf is the reach of point i: radius[i], +Inf beyond the end of
// radius, 0 for a radius that is not positive.
func (v *voronoi) radiusOf(i int32) float64 {
	if int(i) >= len(v.radius) {
		return math.Inf(1)
	}
	if r := v.radius[i]; r > 0 {
		return r
	}
	return 0
}

// reaches finds the reach of every Voronoi vertex and whether it is kept.
// A vertex's points (those of the lowest of the triangles that share it)
// have a mean reach m, and the vertex lies at distance ρ from them (from
// that triangle's first point). It is kept when ρ is at most
// (1 + vertexSlack)·m, or when it belongs to a gap that is filled (see
// gapFill), and then has the reach max(m, ρ + vertexSlack·m); otherwise
// it has the reach m.
func (v *voronoi) reaches() {
	t := v.t
	nt := len(t.Triangles) / 3
	v.reach = make([]float64, nt)
	v.keep = make([]bool, nt)
	rho := make([]float64, nt)
	gaps := 0
	for k := range nt {
		if v.group[k] != int32(k) {
			continue
		}
		tri := t.Triangles[3*k : 3*k+3]
		m := (v.radiusOf(tri[0]) + v.radiusOf(tri[1]) + v.radiusOf(tri[2])) / 3
		p, c := t.Points[tri[0]], v.centres[k]
		rho[k] = math.Sqrt(dist2(c[0], c[1], p.X, p.Y))
		v.reach[k] = m
		v.keep[k] = rho[k] <= float64((1+vertexSlack)*m)
		if !v.keep[k] {
			gaps++
		}
	}
	if gaps > 0 {
		v.fillGaps(rho)
	}
	for k := range nt {
		if v.group[k] == int32(k) && v.keep[k] {
			m := v.reach[k]
			v.reach[k] = max(m, rho[k]+float64(vertexSlack*m))
		}
	}
}

// vertexSlack keeps the reach clear of the distance at every Voronoi
// vertex: a vertex kept is within its reach by at least vertexSlack times
// its points' mean reach, one left out beyond it by as much. Without it,
// a vertex at about the reach would be a pinch point where three clipped
// cells nearly meet, leaving a speck of a hole between them.
const vertexSlack = 0.25

// gapFill bounds the gaps that are filled. The vertices left out form
// gaps: groups joined by the Voronoi edges between them. A gap is filled,
// its vertices kept, when it is enclosed (no edge of it runs to infinity
// and no vertex of it lies outside the box) and shallow (every vertex of
// it lies within gapFill times its points' mean reach). Such a gap would
// be a small hole, or a narrow crack, between clipped cells that reach
// round it on every side: the cells of a vertex just beyond reach whose
// neighbours are just within it, say. A deep gap, a lake among the
// points, stays.
const gapFill = 2

// fillGaps keeps the vertices of the gaps that are enclosed and shallow
// (see gapFill); rho holds every vertex's distance from its points, reach
// their mean reach.
func (v *voronoi) fillGaps(rho []float64) {
	t := v.t
	nt := len(t.Triangles) / 3
	// A union-find over the vertices left out; open and deep are kept at
	// each gap's root.
	parent := make([]int32, nt)
	for k := range parent {
		parent[k] = int32(k)
	}
	find := func(k int32) int32 {
		for parent[k] != k {
			parent[k] = parent[parent[k]]
			k = parent[k]
		}
		return k
	}
	open := make([]bool, nt)
	deep := make([]bool, nt)
	for e, h := range t.Halfedges {
		g := v.group[e/3]
		if v.keep[g] {
			continue
		}
		if h == -1 {
			open[g] = true
			continue
		}
		if o := v.group[h/3]; o != g && !v.keep[o] {
			a, b := find(g), find(o)
			parent[max(a, b)] = min(a, b)
		}
	}
	for k := range nt {
		if g := int32(k); v.group[k] == g && !v.keep[k] {
			c := v.centres[k]
			r := find(g)
			open[r] = open[r] || open[k] || !v.box.Contains(c)
			deep[r] = deep[r] || !(rho[k] <= float64(gapFill*v.reach[k]))
		}
	}
	for k := range nt {
		if g := int32(k); v.group[k] == g && !v.keep[k] {
			if r := find(g); !open[r] && !deep[r] {
				v.keep[k] = true
			}
		}
	}
}

// vertexReach is the reach of the centre of triangle k and whether it is
// kept.
func (v *voronoi) vertexReach(k int32) (float64, bool) {
	g := v.group[k]
	return v.reach[g], v.keep[g]
}

// boxReach is the reach of position p where the box cuts the Voronoi edge
// between points a and b, and whether it is kept: the mean of their
// reaches, measured from the lower-indexed of them, so that both cells
// find the same.
func (v *voronoi) boxReach(p orb.Point, a, b int32) (float64, bool) {
	r := v.radiusOf(a)/2 + v.radiusOf(b)/2
	c := v.t.Points[min(a, b)]
	return r, dist2(p[0], p[1], c.X, c.Y) <= float64(r*r)
}

// boundary appends to dst the sides of cell i clipped to the box, in
// counter-clockwise order, each to the start of the next: the boundary
// pieces segs and, between them, the stretches of box sides through the
// corners that the cell owns (see ring), as segments with nb -1.
func (v *voronoi) boundary(segs []segment, i int32, dst []segment) []segment {
	p, r := v.t.Points[i], v.radiusOf(i)
	corner := func(k int) (orb.Point, float64, bool) {
		c := v.corner(k)
		return c, r, dist2(c[0], c[1], p.X, p.Y) <= float64(r*r)
	}
	if len(segs) == 0 {
		if v.owner[0] != i {
			return dst
		}
		for k := range 4 {
			a, ra, ka := corner(k)
			b, rb, kb := corner((k + 1) % 4)
			dst = append(dst, segment{a: a, b: b, nb: -1, ra: ra, rb: rb, ka: ka, kb: kb})
		}
		return dst
	}
	for k, s := range segs {
		prev := segs[(k+len(segs)-1)%len(segs)]
		if prev.b != s.a {
			from := segment{b: prev.b, rb: prev.rb, kb: prev.kb}
			side := func(b orb.Point, rb float64, kb bool) {
				dst = append(dst, segment{a: from.b, b: b, nb: -1, ra: from.rb, rb: rb, ka: from.kb, kb: kb})
				from = segment{b: b, rb: rb, kb: kb}
			}
			v.walk(prev.b, s.a, i, func(c orb.Point) {
				if c != from.b {
					for k := range 4 {
						if v.corner(k) == c {
							side(corner(k))
						}
					}
				}
			})
			if from.b != s.a {
				side(s.a, s.ra, s.ka)
			}
		}
		dst = append(dst, s)
	}
	return dst
}

// keptPiece is the stretch of side edge of a cell that the clipped cell
// keeps, from a to b.
type keptPiece struct {
	a, b orb.Point
	edge int
}

// reachRing clips cell i, with boundary pieces sc.segs, to its reach, r
// around point i (see VoronoiCellsWithin).
func (v *voronoi) reachRing(sc *scratch, i int32, r float64) orb.Polygon {
	c := v.t.Points[i]
	edges := v.boundary(sc.segs, i, sc.edges[:0])
	sc.edges = edges
	if len(edges) == 0 {
		return nil
	}
	pieces := sc.pieces[:0]
	for k, e := range edges {
		// A Voronoi edge is measured from the lower-indexed of its points,
		// so that both cells find the same stretch.
		p := c
		if e.nb >= 0 && e.nb < i {
			p = v.t.Points[e.nb]
		}
		if lessPoint(e.b, e.a) {
			s0, s1, ok := keptStretch(e.reversed(), p)
			if ok {
				pieces = append(pieces, keptPiece{a: pointAt(e.b, e.a, s1), b: pointAt(e.b, e.a, s0), edge: k})
			}
		} else if s0, s1, ok := keptStretch(e, p); ok {
			pieces = append(pieces, keptPiece{a: pointAt(e.a, e.b, s0), b: pointAt(e.a, e.b, s1), edge: k})
		}
	}
	sc.pieces = pieces
	// The ring is built in scratch space and copied out at its size.
	ring := sc.ring[:0]
	add := func(p orb.Point) {
		if len(ring) == 0 || ring[len(ring)-1] != p {
			ring = append(ring, p)
		}
	}
	if len(pieces) == 0 {
		// No side reaches into the cell's reach: the outline goes all
		// round inside the cell.
		for m := range ReachRays {
			if x, ok := reachVertex(c, r, edges, m); ok {
				add(x)
			}
		}
	}
	for k, pc := range pieces {
		if prev := pieces[(k+len(pieces)-1)%len(pieces)]; prev.b != pc.a {
			arc(c, r, edges, prev, pc, add)
		}
		if pc.a != pc.b {
			add(pc.a)
			add(pc.b)
		}
	}
	sc.ring = ring
	for len(ring) > 1 && ring[0] == ring[len(ring)-1] {
		ring = ring[:len(ring)-1]
	}
	if len(ring) < 3 {
		return nil
	}
	out := make(orb.Ring, len(ring)+1)
	copy(out, ring)
	out[len(ring)] = ring[0]
	return orb.Polygon{out}
}

// lessPoint orders positions by x, then y.
func lessPoint(p, q orb.Point) bool {
	return p[0] < q[0] || p[0] == q[0] && p[1] < q[1]
}

// keptStretch returns the stretch [s0, s1] of side e, as positions
// e.a + s·(e.b - e.a), that lies within the reach of p, the reach varying
// linearly from e.ra at a to e.rb at b; false when it is empty. The
// ends' flags ka and kb decide whether the stretch holds them. Within the
// reach means f(s) = |e.a + s·(e.b - e.a) - p| at most R(s), where f is
// convex and R linear: one stretch, whose inner ends are found by
// bisection on the sign of f² - R², exactly as computed here whichever
// cell asks.
func keptStretch(e segment, p territory.Point) (s0, s1 float64, ok bool) {
	if e.ka && e.kb || math.IsInf(e.ra, 1) || math.IsInf(e.rb, 1) {
		return 0, 1, true
	}
	dx, dy := e.b[0]-e.a[0], e.b[1]-e.a[1]
	fx, fy := e.a[0]-p.X, e.a[1]-p.Y
	dr := e.rb - e.ra
	// q(s) = f(s)² - R(s)² = a·s² + 2b·s + cc has the sign of f - R.
	a := float64(dx*dx) + float64(dy*dy) - float64(dr*dr)
	b := float64(fx*dx) + float64(fy*dy) - float64(e.ra*dr)
	cc := float64(fx*fx) + float64(fy*fy) - float64(e.ra*e.ra)
	q := func(s float64) float64 { return float64(float64(a*s)*s) + float64(2*b*s) + cc }
	switch {
	case e.ka:
		s1 = crossing(q, 0, 1, true)
		return 0, s1, s1 > minStretch
	case e.kb:
		s0 = crossing(q, 0, 1, false)
		return s0, 1, s0 < 1-minStretch
	}
	// Both ends outside: q is positive at both, so the stretch is empty
	// unless q is convex with a negative minimum in between.
	if !(a > 0) {
		return 0, 0, false
	}
	m := -b / a
	if !(m > 0 && m < 1) || q(m) >= 0 {
		return 0, 0, false
	}
	s0, s1 = crossing(q, 0, m, false), crossing(q, m, 1, true)
	return s0, s1, s1-s0 > minStretch
}

// minStretch is the shortest stretch of a side, as a fraction of its
// length, that a clipped cell keeps. Where a circle only touches a side,
// or passes through its end, the crossing is found to about 1e-8 (the
// square root of rounding, at a double root) and would leave a needless
// edge about that long.
const minStretch = 1e-6

// crossing finds by bisection where g changes sign between lo and hi:
// from at most 0 to positive when in is set (returning the last position
// found at most 0), the other way otherwise (the first position found at
// most 0).
func crossing(g func(float64) float64, lo, hi float64, in bool) float64 {
	for {
		mid := lo/2 + hi/2
		if mid <= lo || mid >= hi {
			break
		}
		if (g(mid) <= 0) == in {
			lo = mid
		} else {
			hi = mid
		}
	}
	if in {
		return lo
	}
	return hi
}

// pointAt is the position lo + s·(hi - lo): lo itself at 0, hi at 1.
func pointAt(lo, hi orb.Point, s float64) orb.Point {
	switch s {
	case 0:
		return lo
	case 1:
		return hi
	}
	return orb.Point{lo[0] + float64(s*(hi[0]-lo[0])), lo[1] + float64(s*(hi[1]-lo[1]))}
}

// rayGuard is how close, as a fraction of the angle between two rays, a
// ray may come to the ends of an arc and be left out.
const rayGuard = 0.25

// arc adds the outline of the cell of the point at c, of reach r, between
// the end of piece from and the start of piece to, going
// counter-clockwise: its positions in the directions 2πm/32 in between
// (see reachVertex). The arc's angle is measured along the cell's
// boundary between the two pieces, which the clipped cell leaves out, as
// the sum of the angles its sides subtend at c: near zero when the two
// positions nearly coincide, near a full turn when the cell keeps one
// short stretch of its boundary only, whatever rounding does to the
// angles of the two positions themselves.
func arc(c territory.Point, r float64, edges []segment, from, to keptPiece, add func(orb.Point)) {
	angle := func(p, q orb.Point) float64 {
		px, py := p[0]-c.X, p[1]-c.Y
		qx, qy := q[0]-c.X, q[1]-c.Y
		return math.Atan2(float64(px*qy)-float64(py*qx), float64(px*qx)+float64(py*qy))
	}
	span := 0.0
	p := from.b
	for k := from.edge; ; {
		q := edges[k].b
		span += angle(p, q)
		p = q
		k = (k + 1) % len(edges)
		if k == to.edge {
			break
		}
	}
	span += angle(p, to.a)
	span = min(max(span, 0), 2*math.Pi)
	const step = 2 * math.Pi / ReachRays
	theta := math.Atan2(from.b[1]-c.Y, from.b[0]-c.X)
	for m := math.Floor(theta/step+rayGuard) + 1; m*step < theta+span-rayGuard*step; m++ {
		if x, ok := reachVertex(c, r, edges, (int(m)%ReachRays+ReachRays)%ReachRays); ok {
			add(x)
		}
	}
}

// reachVertex is the outline of the cell of the point at c, of reach r,
// in direction m (of ReachRays) from it, where the cell's boundary lies
// beyond reach. The ray from c meets the boundary (edges) at distance D,
// where the boundary's reach is R; along the ray, the reach runs linearly
// from r at c to R at the boundary, and the outline is where the distance
// from c meets it: at r·D / (D - R + r), short of the boundary. It reports
// false when the boundary is within reach there after all (a direction at
// the very end of a kept stretch).
func reachVertex(c territory.Point, r float64, edges []segment, m int) (orb.Point, bool) {
	u := rayUnit[m]
	dist, reach := math.Inf(1), 0.0
	for _, e := range edges {
		// c + t·u = e.a + s·(e.b - e.a)
		ex, ey := e.b[0]-e.a[0], e.b[1]-e.a[1]
		den := float64(u[0]*ey) - float64(u[1]*ex)
		if den <= 0 {
			continue // the side faces away from the ray (or along it)
		}
		wx, wy := e.a[0]-c.X, e.a[1]-c.Y
		t := (float64(wx*ey) - float64(wy*ex)) / den
		s := (float64(wx*u[1]) - float64(wy*u[0])) / den
		// A ray through a corner of the boundary may miss both sides
		// there by rounding; a little slack in s catches it.
		if t > 0 && t < dist && s >= -1e-9 && s <= 1+1e-9 {
			s = min(max(s, 0), 1)
			dist, reach = t, e.ra+float64(s*(e.rb-e.ra))
		}
	}
	if math.IsInf(dist, 1) || !(dist > reach) || math.IsInf(r, 1) {
		return orb.Point{}, false
	}
	t := float64(r*dist) / (dist - reach + r)
	return orb.Point{c.X + float64(t*u[0]), c.Y + float64(t*u[1])}, true
}

// rayUnit holds the positions at angles 2πm/ReachRays on the unit circle;
// those on the axes are exact.
var rayUnit = func() (u [ReachRays][2]float64) {
	for m := range u {
		s, c := math.Sincos(2 * math.Pi * float64(m) / ReachRays)
		switch 4 * m {
		case 0:
			s, c = 0, 1
		case ReachRays:
			s, c = 1, 0
		case 2 * ReachRays:
			s, c = 0, -1
		case 3 * ReachRays:
			s, c = -1, 0
		}
		u[m] = [2]float64{c, s}
	}
	return u
}()
