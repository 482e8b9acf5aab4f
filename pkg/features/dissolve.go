package features

import (
	"cmp"
	"math"
	"slices"

	"github.com/paulmach/orb"

	"github.com/territory-optimizer/territory/pkg/spatial"
)

// DissolveUnits returns the outline of every territory: the union of the
// polygons of its units, as one MultiPolygon per territory (assign[i] is
// the territory of unit i, in 0..k-1; units assigned elsewhere are left
// out, and a territory without units gets an empty MultiPolygon).
// Positions are longitude and latitude, rounded to 1e-7 degrees as the
// unit adjacency rounds them.
//
// Units that tile a map, as files built from a topology do, share the
// positions of their common boundaries. The union is found by cancelling
// those shared edges: every ring edge of the territory's units is taken
// with outer rings counter-clockwise and holes clockwise, an edge that a
// neighbouring unit walks the other way cancels out, and what remains is
// the territory's boundary, chained into rings. Boundaries split at
// different positions on either side (T-junctions) are split at the other
// side's positions first, within 1.5e-5 degrees, as the adjacency does.
// Where a boundary touches itself at a position, the rings are separated
// there (two parts touching at a corner stay two polygons; a hole touching
// its shell stays a hole). Rings are then closed, counter-clockwise for
// outer rings and clockwise for holes (RFC 7946), each hole in the
// smallest outer ring that holds it; positions exactly on a straight line
// between their neighbours are dropped. A ring that crosses itself in a
// small twist, as simplified files have, loses the smaller loop at the
// crossing (the same loop on both sides of a boundary between
// territories, so their outlines still meet exactly). Polygons are listed
// by decreasing area, holes by their first position.
//
// Gaps between units (units that do not quite tile) stay as holes or
// separate parts; overlapping units of one territory are not merged.
func DissolveUnits(units *Units, assign []int, k int) []orb.MultiPolygon {
	return dissolveGroups(len(units.Geoms), func(i int) []orb.Polygon {
		switch g := units.Geoms[i].(type) {
		case orb.Polygon:
			return []orb.Polygon{g}
		case orb.MultiPolygon:
			return g
		}
		return nil
	}, assign, k)
}

// DissolveOutlines returns the outline of every parent of a level above
// the territories (a district, a region): the union of the outlines of its
// territories, outlines[t] being territory t's and of[t] its parent, in
// 0..k-1 (a territory with another parent, or none, is left out; a parent
// without territories gets an empty MultiPolygon). The outlines are
// merged as [DissolveUnits] merges units, so that outlines that tile the
// map, as those of [PointCells] and DissolveUnits do, give parents that
// tile it too, each outlined along its territories' own boundaries.
func DissolveOutlines(outlines []orb.MultiPolygon, of []int, k int) []orb.MultiPolygon {
	return dissolveGroups(len(outlines), func(t int) []orb.Polygon { return outlines[t] }, of, k)
}

// dissolveGroups merges the polygons of n items (polys(i) gives item i's)
// into one MultiPolygon per group, assign[i] being item i's group in
// 0..k-1.
func dissolveGroups(n int, polys func(i int) []orb.Polygon, assign []int, k int) []orb.MultiPolygon {
	groups := make([][]dirEdge, k)
	for i := range n {
		if i >= len(assign) || assign[i] < 0 || assign[i] >= k {
			continue
		}
		t := assign[i]
		for _, poly := range polys(i) {
			for j, r := range poly {
				groups[t] = appendRingEdges(groups[t], r, j == 0)
			}
		}
	}
	out := make([]orb.MultiPolygon, k)
	for t, edges := range groups {
		out[t] = dissolve(edges, junctionTolerance)
	}
	return out
}

// junctionTolerance is how far, in degrees, a position may lie from an
// edge of the same territory for the edge to be split there: 1.5e-5, the
// tolerance within which rook adjacency finds T-junctions (snapTolerance
// grid units), so that units found to share a boundary there have it
// cancelled when they are dissolved.
const junctionTolerance = snapTolerance / gridScale

// snap rounds a position to the grid of the adjacency (1e-7 degrees).
func snap(p orb.Point) orb.Point {
	return orb.Point{math.Round(p[0]*gridScale) / gridScale, math.Round(p[1]*gridScale) / gridScale}
}

// appendRingEdges appends the edges of ring r, snapped to the grid and
// wound counter-clockwise for an outer ring, clockwise for a hole. A ring
// that encloses nothing adds no edges.
func appendRingEdges(edges []dirEdge, r orb.Ring, outer bool) []dirEdge {
	if len(r) < 4 {
		return edges
	}
	s := make(orb.Ring, len(r))
	for k, p := range r {
		s[k] = snap(p)
	}
	a := signedArea(s)
	if a == 0 {
		return edges
	}
	reverse := (a > 0) != outer
	for k := 0; k+1 < len(s); k++ {
		p, q := s[k], s[k+1]
		if p == q {
			continue
		}
		if reverse {
			p, q = q, p
		}
		edges = append(edges, dirEdge{p, q})
	}
	return edges
}

// signedArea is the area of a closed ring, positive when it winds
// counter-clockwise, computed relative to its first position.
func signedArea(r orb.Ring) float64 {
	if len(r) < 4 {
		return 0
	}
	o := r[0]
	var a float64
	for k := 1; k+1 < len(r); k++ {
		a += float64((r[k][0]-o[0])*(r[k+1][1]-o[1])) - float64((r[k+1][0]-o[0])*(r[k][1]-o[1]))
	}
	return a / 2
}

// dirEdge is a directed boundary edge.
type dirEdge struct{ a, b orb.Point }

// comparePoints orders positions by x, then y. Positions are finite.
func comparePoints(p, q orb.Point) int {
	switch {
	case p[0] < q[0]:
		return -1
	case p[0] > q[0]:
		return 1
	case p[1] < q[1]:
		return -1
	case p[1] > q[1]:
		return 1
	}
	return 0
}

// dissolve merges the regions whose boundaries are the given directed
// edges (each region to the left of its edges) into a MultiPolygon: edges
// that two regions share, walked in opposite directions, cancel, and the
// rest is chained into rings. With tol > 0, positions within tol of the
// inside of another remaining edge split it first (T-junctions).
func dissolve(edges []dirEdge, tol float64) orb.MultiPolygon {
	edges = cancel(edges)
	if tol > 0 && len(edges) > 0 {
		if split, ok := splitJunctions(edges, tol); ok {
			edges = cancel(split)
		}
	}
	if len(edges) == 0 {
		return orb.MultiPolygon{}
	}
	rings := chain(edges)
	var outers, holes []orb.Ring
	for _, r := range rings {
		r = untwist(r)
		r = dropStraight(r)
		switch a := signedArea(r); {
		case a > 0:
			outers = append(outers, r)
		case a < 0:
			holes = append(holes, r)
		}
	}
	return assemble(outers, holes)
}

// cancel removes the edges walked both ways and returns the rest, one
// edge per remaining boundary segment, sorted by position.
func cancel(edges []dirEdge) []dirEdge {
	type keyed struct {
		lo, hi orb.Point
		dir    int
	}
	ks := make([]keyed, len(edges))
	for i, e := range edges {
		if comparePoints(e.a, e.b) < 0 {
			ks[i] = keyed{e.a, e.b, 1}
		} else {
			ks[i] = keyed{e.b, e.a, -1}
		}
	}
	slices.SortFunc(ks, func(x, y keyed) int {
		if c := comparePoints(x.lo, y.lo); c != 0 {
			return c
		}
		return comparePoints(x.hi, y.hi)
	})
	out := edges[:0]
	for i := 0; i < len(ks); {
		j, net := i, 0
		for j < len(ks) && ks[j].lo == ks[i].lo && ks[j].hi == ks[i].hi {
			net += ks[j].dir
			j++
		}
		switch {
		case net > 0:
			out = append(out, dirEdge{ks[i].lo, ks[i].hi})
		case net < 0:
			out = append(out, dirEdge{ks[i].hi, ks[i].lo})
		}
		i = j
	}
	return out
}

// splitJunctions splits every edge at the edge ends that lie within tol
// of its inside. It reports false when nothing was split.
func splitJunctions(edges []dirEdge, tol float64) ([]dirEdge, bool) {
	verts := make([]orb.Point, 0, 2*len(edges))
	for _, e := range edges {
		verts = append(verts, e.a, e.b)
	}
	slices.SortFunc(verts, comparePoints)
	verts = slices.Compact(verts)
	type cut struct {
		t float64
		p orb.Point
	}
	var out []dirEdge
	var cuts []cut
	split := false
	for _, e := range edges {
		dx, dy := e.b[0]-e.a[0], e.b[1]-e.a[1]
		length := math.Hypot(dx, dy)
		cuts = cuts[:0]
		if length > 2*tol {
			ux, uy := dx/length, dy/length
			loX, hiX := min(e.a[0], e.b[0])-tol, max(e.a[0], e.b[0])+tol
			loY, hiY := min(e.a[1], e.b[1])-tol, max(e.a[1], e.b[1])+tol
			k, _ := slices.BinarySearchFunc(verts, loX, func(p orb.Point, x float64) int { return cmp.Compare(p[0], x) })
			for ; k < len(verts) && verts[k][0] <= hiX; k++ {
				v := verts[k]
				if v[1] < loY || v[1] > hiY || v == e.a || v == e.b {
					continue
				}
				px, py := v[0]-e.a[0], v[1]-e.a[1]
				if math.Abs(float64(ux*py)-float64(uy*px)) > tol {
					continue
				}
				if t := float64(ux*px) + float64(uy*py); t > tol && t < length-tol {
					cuts = append(cuts, cut{t, v})
				}
			}
		}
		if len(cuts) == 0 {
			out = append(out, e)
			continue
		}
		split = true
		slices.SortFunc(cuts, func(x, y cut) int {
			if c := cmp.Compare(x.t, y.t); c != 0 {
				return c
			}
			return comparePoints(x.p, y.p)
		})
		from := e.a
		for _, c := range cuts {
			if c.p != from {
				out = append(out, dirEdge{from, c.p})
				from = c.p
			}
		}
		out = append(out, dirEdge{from, e.b})
	}
	return out, split
}

// chain links edges, sorted by their start, into closed rings. At a
// position where the boundary touches itself (more than one edge leaves
// it), a ring arriving there turns as far left as it can, which keeps
// the rings apart: the region lies to the left of every edge.
func chain(edges []dirEdge) []orb.Ring {
	slices.SortFunc(edges, func(x, y dirEdge) int {
		if c := comparePoints(x.a, y.a); c != 0 {
			return c
		}
		return comparePoints(x.b, y.b)
	})
	n := len(edges)
	next := make([]int32, n)
	for i, e := range edges {
		lo, _ := slices.BinarySearchFunc(edges, e.b, func(f dirEdge, p orb.Point) int { return comparePoints(f.a, p) })
		hi := lo
		for hi < n && edges[hi].a == e.b {
			hi++
		}
		switch hi - lo {
		case 0:
			next[i] = -1 // an open chain: the input did not close
		case 1:
			next[i] = int32(lo)
		default:
			// The first edge clockwise from the way back.
			back := math.Atan2(e.a[1]-e.b[1], e.a[0]-e.b[0])
			best, bestTurn := -1, math.Inf(1)
			for j := lo; j < hi; j++ {
				f := edges[j]
				turn := back - math.Atan2(f.b[1]-f.a[1], f.b[0]-f.a[0])
				for turn <= 0 {
					turn += 2 * math.Pi
				}
				for turn > 2*math.Pi {
					turn -= 2 * math.Pi
				}
				if turn < bestTurn {
					best, bestTurn = j, turn
				}
			}
			next[i] = int32(best)
		}
	}
	used := make([]bool, n)
	var rings []orb.Ring
	for s := range edges {
		if used[s] {
			continue
		}
		var r orb.Ring
		e := int32(s)
		for e != -1 && !used[e] {
			used[e] = true
			r = append(r, edges[e].a)
			e = next[e]
		}
		if len(r) < 3 {
			continue
		}
		r = append(r, r[0])
		rings = append(rings, r)
	}
	return rings
}

// maxUntwist bounds the loops cut from one ring.
const maxUntwist = 64

// untwist cuts the smaller loop off a ring at every point where two of
// its edges cross. The crossing is computed from the two edges in a
// canonical order, so that the ring of the territory on the other side of
// a twisted boundary finds the same point and cuts the same loop.
func untwist(r orb.Ring) orb.Ring {
	for range maxUntwist {
		i, j, at, ok := firstCrossing(r)
		if !ok {
			return r
		}
		// The loop r[i+1..j] between the crossing edges, and the rest.
		loop := append(append(orb.Ring{at}, r[i+1:j+1]...), at)
		rest := append(append(slices.Clone(r[:i+1]), at), r[j+1:]...)
		if math.Abs(signedArea(loop)) > math.Abs(signedArea(rest)) {
			r = loop
		} else {
			r = rest
		}
	}
	return r
}

// firstCrossing finds two edges of a closed ring, r[i]-r[i+1] and
// r[j]-r[j+1] with i < j, that cross at a point inside both, and the
// point. Edges are swept in order of their smallest x.
func firstCrossing(r orb.Ring) (int, int, orb.Point, bool) {
	m := len(r) - 1
	if m < 4 {
		return 0, 0, orb.Point{}, false
	}
	order := make([]int32, m)
	for k := range order {
		order[k] = int32(k)
	}
	minX := func(k int32) float64 { return min(r[k][0], r[k+1][0]) }
	slices.SortFunc(order, func(a, b int32) int {
		if c := cmp.Compare(minX(a), minX(b)); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	bi, bj := -1, -1
	var bestAt orb.Point
	for x, a := range order {
		maxX := max(r[a][0], r[a+1][0])
		for _, b := range order[x+1:] {
			if minX(b) > maxX {
				break
			}
			i, j := int(min(a, b)), int(max(a, b))
			if j == i+1 || (i == 0 && j == m-1) {
				continue
			}
			at, ok := crossing(r[i], r[i+1], r[j], r[j+1])
			if ok && (bi == -1 || i < bi || i == bi && j < bj) {
				bi, bj, bestAt = i, j, at
			}
		}
	}
	return bi, bj, bestAt, bi != -1
}

// crossing reports whether segments p1-p2 and q1-q2 cross at a point
// inside both, and where: the same point whichever way round and in
// whichever order the segments are given.
func crossing(p1, p2, q1, q2 orb.Point) (orb.Point, bool) {
	if comparePoints(p2, p1) < 0 {
		p1, p2 = p2, p1
	}
	if comparePoints(q2, q1) < 0 {
		q1, q2 = q2, q1
	}
	if c := comparePoints(p1, q1); c > 0 || c == 0 && comparePoints(p2, q2) > 0 {
		p1, p2, q1, q2 = q1, q2, p1, p2
	}
	return segmentsConflict(p1, p2, q1, q2)
}

// dropStraight removes the positions of a closed ring that lie exactly
// on the straight line between their neighbours, between them.
func dropStraight(r orb.Ring) orb.Ring {
	pts := r[:len(r)-1]
	if len(pts) < 4 {
		return r
	}
	keep := make([]bool, len(pts))
	kept := 0
	for k, v := range pts {
		u, w := pts[(k+len(pts)-1)%len(pts)], pts[(k+1)%len(pts)]
		keep[k] = !straight(u, v, w)
		if keep[k] {
			kept++
		}
	}
	if kept < 3 || kept == len(pts) {
		return r
	}
	out := make(orb.Ring, 0, kept+1)
	for k, v := range pts {
		if keep[k] {
			out = append(out, v)
		}
	}
	return append(out, out[0])
}

// straight reports whether v lies exactly on the segment from u to w,
// strictly between them.
func straight(u, v, w orb.Point) bool {
	if spatial.Orient(asPoint(u), asPoint(v), asPoint(w)) != 0 {
		return false
	}
	return float64((v[0]-u[0])*(w[0]-v[0]))+float64((v[1]-u[1])*(w[1]-v[1])) > 0
}

// assemble puts every hole into the smallest outer ring that holds it and
// orders the polygons by decreasing area, then by first position. Holes
// that no outer ring holds are left out.
func assemble(outers, holes []orb.Ring) orb.MultiPolygon {
	type shell struct {
		ring  orb.Ring
		area  float64
		bound orb.Bound
		holes []orb.Ring
	}
	shells := make([]shell, len(outers))
	for k, r := range outers {
		shells[k] = shell{ring: r, area: signedArea(r), bound: r.Bound()}
	}
	slices.SortStableFunc(shells, func(a, b shell) int {
		if c := cmp.Compare(b.area, a.area); c != 0 {
			return c
		}
		return comparePoints(a.ring[0], b.ring[0])
	})
	// Smallest first, to find the innermost shell holding a hole.
	bySize := make([]int, len(shells))
	for k := range bySize {
		bySize[k] = len(shells) - 1 - k
	}
	for _, h := range holes {
		probe := orb.Point{h[0][0]/2 + h[1][0]/2, h[0][1]/2 + h[1][1]/2}
		hb := h.Bound()
		for _, k := range bySize {
			s := &shells[k]
			if s.bound.Contains(hb.Min) && s.bound.Contains(hb.Max) && inRing(s.ring, probe) {
				s.holes = append(s.holes, h)
				break
			}
		}
	}
	mp := make(orb.MultiPolygon, len(shells))
	for k, s := range shells {
		slices.SortFunc(s.holes, func(a, b orb.Ring) int { return comparePoints(a[0], b[0]) })
		mp[k] = append(orb.Polygon{s.ring}, s.holes...)
	}
	return mp
}

// inRing reports whether p lies inside the closed ring r (even-odd rule).
func inRing(r orb.Ring, p orb.Point) bool {
	in := false
	for k := 0; k+1 < len(r); k++ {
		a, b := r[k], r[k+1]
		if (a[1] > p[1]) != (b[1] > p[1]) {
			x := a[0] + (p[1]-a[1])/(b[1]-a[1])*(b[0]-a[0])
			if p[0] < x {
				in = !in
			}
		}
	}
	return in
}
