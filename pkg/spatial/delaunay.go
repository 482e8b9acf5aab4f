package spatial

import (
	"cmp"
	"fmt"
	"math"
	"math/big"
	"slices"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// Triangulation is the Delaunay triangulation of a set of points in the
// plane, in the half-edge layout of Mapbox's Delaunator: triangle t has
// the vertices Triangles[3t], Triangles[3t+1] and Triangles[3t+2], in
// counter-clockwise order, and half-edge e runs from Triangles[e] to the
// next vertex of its triangle.
//
// Points that share a position with an earlier point are left out of the
// triangles and listed in Duplicates. When every other point lies on one
// line there are no triangles and Hull lists the points in order along
// that line (the triangulation degrades to a path).
type Triangulation struct {
	// Points are the points as given, in the plane.
	Points []territory.Point
	// Triangles holds three point indices per triangle, counter-clockwise.
	Triangles []int32
	// Halfedges holds, for every half-edge, the opposite half-edge in the
	// neighbouring triangle, or -1 on the convex hull.
	Halfedges []int32
	// Hull lists the points on the convex hull, counter-clockwise
	// (including points that lie on a hull edge); for collinear input, all
	// distinct points in order along their line; for one distinct point,
	// that point.
	Hull []int32
	// Duplicates lists the points left out because an earlier point has
	// the same position, by increasing index.
	Duplicates []Duplicate

	rep []int32 // the lowest index at each point's position
}

// Duplicate is a point left out of a triangulation: it has the same
// position as point Of, the lowest-indexed point there.
type Duplicate struct {
	Index, Of int32
}

// Representative returns the lowest index of the points at point i's
// position: i itself unless i is a duplicate.
func (t *Triangulation) Representative(i int) int { return int(t.rep[i]) }

// Delaunay triangulates pts in the plane. Geographic points must be
// projected first (see [Project]).
//
// The result depends only on pts: the same points give the same
// triangles, in the same order, on every machine. Points at the same
// position are merged into the lowest-indexed one and reported in
// Duplicates; when the distinct points all lie on one line, there are no
// triangles and Hull holds the path through them. Where points are
// cocircular the triangulation is one of the Delaunay triangulations,
// always the same one.
//
// The algorithm is Delaunator's sweep (Agafonkin, after Sinclair's
// s-hull): points are added in order of distance from a seed triangle,
// each joined to the convex hull it sees and the new triangles flipped
// until they are locally Delaunay. Orientation and in-circle tests are
// exact: a floating-point filter decides all but nearly degenerate cases,
// which are decided with exact arithmetic. A point that the sweep finds
// inside the hull (possible when distances tie within rounding) is
// inserted into the triangle or edge that holds it. It takes O(n log n)
// time: about 0.1 s for 100,000 points (0.3 s on a lattice, where every
// in-circle test is a tie decided exactly).
//
// The error reports a coordinate that is not a finite number, or more
// points than an int32 can index.
func Delaunay(pts []territory.Point) (*Triangulation, error) {
	n := len(pts)
	if n > math.MaxInt32 {
		return nil, fmt.Errorf("spatial: delaunay: %d points, at most %d", n, math.MaxInt32)
	}
	for i, p := range pts {
		if !territory.Finite(p.X) || !territory.Finite(p.Y) {
			return nil, fmt.Errorf("spatial: delaunay: point %d (%v, %v) is not finite", i, p.X, p.Y)
		}
	}
	t := &Triangulation{Points: pts, rep: make([]int32, n)}
	uniq := t.merge()
	if len(uniq) < 3 {
		t.Hull = collinearPath(pts, uniq)
		return t, nil
	}
	b := newSweep(pts, uniq)
	if !b.seed() {
		t.Hull = collinearPath(pts, uniq)
		return t, nil
	}
	if err := b.run(); err != nil {
		return nil, err
	}
	t.Triangles = slices.Clip(b.triangles)
	t.Halfedges = slices.Clip(b.halfedges)
	t.Hull = b.hull()
	return t, nil
}

// merge sets the representative of every point and fills Duplicates; it
// returns the indices of the distinct points (their representatives), in
// increasing order.
func (t *Triangulation) merge() []int32 {
	n := len(t.Points)
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	pts := t.Points
	slices.SortFunc(order, func(a, b int32) int {
		if c := cmp.Compare(pts[a].X, pts[b].X); c != 0 {
			return c
		}
		if c := cmp.Compare(pts[a].Y, pts[b].Y); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	for k, i := range order {
		t.rep[i] = i
		if k > 0 {
			if j := order[k-1]; pts[j] == pts[i] {
				t.rep[i] = t.rep[j]
			}
		}
	}
	uniq := make([]int32, 0, n)
	for i, r := range t.rep {
		if int(r) == i {
			uniq = append(uniq, int32(i))
		} else {
			t.Duplicates = append(t.Duplicates, Duplicate{Index: int32(i), Of: r})
		}
	}
	return uniq
}

// collinearPath orders points that lie on one line along it: by x, or by
// y on a vertical line (exactly collinear points are ordered along their
// line by either).
func collinearPath(pts []territory.Point, uniq []int32) []int32 {
	path := slices.Clone(uniq)
	slices.SortFunc(path, func(a, b int32) int {
		if c := cmp.Compare(pts[a].X, pts[b].X); c != 0 {
			return c
		}
		if c := cmp.Compare(pts[a].Y, pts[b].Y); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	return path
}

// Neighbours returns the proximity graph of the points: for every point,
// the points it shares a triangle edge with, in increasing order. For
// collinear points it is the path along their line. A point's duplicates
// are its neighbours, and share its other neighbours: the points at one
// position form a clique joined to everything their position is joined
// to, so the graph stays symmetric and connected.
func (t *Triangulation) Neighbours() [][]int32 {
	n := len(t.Points)
	adj := make([][]int32, n)
	if n == 0 {
		return adj
	}
	var pairs [][2]int32
	if len(t.Triangles) == 0 {
		for k := 1; k < len(t.Hull); k++ {
			pairs = append(pairs, [2]int32{t.Hull[k-1], t.Hull[k]})
		}
	} else {
		pairs = make([][2]int32, 0, len(t.Halfedges)/2+len(t.Hull))
		for e, h := range t.Halfedges {
			if h == -1 || int32(e) < h {
				pairs = append(pairs, [2]int32{t.Triangles[e], t.Triangles[nextHalfedge(int32(e))]})
			}
		}
	}
	// Members of each position, representative first.
	var members map[int32][]int32
	if len(t.Duplicates) > 0 {
		members = make(map[int32][]int32)
		for _, d := range t.Duplicates {
			if members[d.Of] == nil {
				members[d.Of] = []int32{d.Of}
			}
			members[d.Of] = append(members[d.Of], d.Index)
		}
	}
	group := func(r int32) []int32 {
		if g, ok := members[r]; ok {
			return g
		}
		return []int32{r}
	}
	degree := make([]int32, n)
	for _, pr := range pairs {
		degree[pr[0]] += int32(len(group(pr[1])))
		degree[pr[1]] += int32(len(group(pr[0])))
	}
	total := 0
	for _, d := range degree {
		total += int(d)
	}
	backing := make([]int32, 0, total)
	for i := range adj {
		adj[i] = backing[len(backing) : len(backing) : len(backing)+int(degree[i])]
		backing = backing[:len(backing)+int(degree[i])]
	}
	for _, pr := range pairs {
		adj[pr[0]] = append(adj[pr[0]], group(pr[1])...)
		adj[pr[1]] = append(adj[pr[1]], group(pr[0])...)
	}
	for r, g := range members {
		base := adj[r]
		for _, i := range g {
			list := make([]int32, 0, len(base)+len(g)-1)
			list = append(list, base...)
			for _, j := range g {
				if j != i {
					list = append(list, j)
				}
			}
			adj[i] = list
		}
	}
	for i := range adj {
		slices.Sort(adj[i])
		adj[i] = slices.Compact(adj[i])
	}
	return adj
}

func nextHalfedge(e int32) int32 {
	if e%3 == 2 {
		return e - 2
	}
	return e + 1
}

func prevHalfedge(e int32) int32 {
	if e%3 == 0 {
		return e + 2
	}
	return e - 1
}

// sweep builds a triangulation (see Delaunay).
type sweep struct {
	pts  []territory.Point
	uniq []int32

	triangles, halfedges []int32

	// The convex hull as a circular doubly-linked list over point indices
	// (counter-clockwise: hullNext), the half-edge of every hull vertex
	// that runs along the hull to its successor (hullTri), and a hash of
	// hull vertices by their angle around the seed's circumcentre.
	hullPrev, hullNext, hullTri []int32
	hullHash                    []int32
	hullStart                   int32
	cx, cy                      float64

	i0, i1, i2 int32
	stack      []int32
	// inside counts the points inserted inside the hull (for tests).
	inside int
}

func newSweep(pts []territory.Point, uniq []int32) *sweep {
	n := len(pts)
	nu := len(uniq)
	maxTriangles := max(2*nu-5, 1)
	return &sweep{
		pts:       pts,
		uniq:      uniq,
		triangles: make([]int32, 0, 3*maxTriangles),
		halfedges: make([]int32, 0, 3*maxTriangles),
		hullPrev:  make([]int32, n),
		hullNext:  make([]int32, n),
		hullTri:   make([]int32, n),
	}
}

// seed picks the first triangle: the point nearest the centre of the
// bounding box, its nearest neighbour, and the point that makes the
// smallest circumcircle with them. It reports false when the points are
// collinear.
func (b *sweep) seed() bool {
	pts := b.pts
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	for _, i := range b.uniq {
		p := pts[i]
		minX, maxX = min(minX, p.X), max(maxX, p.X)
		minY, maxY = min(minY, p.Y), max(maxY, p.Y)
	}
	cx, cy := minX/2+maxX/2, minY/2+maxY/2
	i0 := b.uniq[0]
	best := math.Inf(1)
	for _, i := range b.uniq {
		if d := dist2(cx, cy, pts[i].X, pts[i].Y); d < best {
			i0, best = i, d
		}
	}
	p0 := pts[i0]
	i1 := int32(-1)
	best = math.Inf(1)
	for _, i := range b.uniq {
		if i == i0 {
			continue
		}
		if d := dist2(p0.X, p0.Y, pts[i].X, pts[i].Y); d < best || i1 == -1 {
			i1, best = i, d
		}
	}
	p1 := pts[i1]
	i2 := int32(-1)
	best = math.Inf(1)
	for _, i := range b.uniq {
		if i == i0 || i == i1 || orient(p0, p1, pts[i]) == 0 {
			continue
		}
		r := circumradius2(p0, p1, pts[i])
		if !(r < math.MaxFloat64) { // infinite or NaN: nearly collinear
			r = math.MaxFloat64
		}
		if r < best || i2 == -1 {
			i2, best = i, r
		}
	}
	if i2 == -1 {
		return false
	}
	if orient(p0, p1, pts[i2]) < 0 {
		i1, i2 = i2, i1
	}
	b.i0, b.i1, b.i2 = i0, i1, i2
	b.cx, b.cy = circumcentre(pts[i0], pts[i1], pts[i2])
	if !territory.Finite(b.cx) || !territory.Finite(b.cy) {
		// A nearly flat seed: order by distance from its centroid instead.
		b.cx = (pts[i0].X + pts[i1].X + pts[i2].X) / 3
		b.cy = (pts[i0].Y + pts[i1].Y + pts[i2].Y) / 3
	}
	return true
}

// run adds the points to the seed triangle.
func (b *sweep) run() error {
	pts := b.pts
	type keyed struct {
		d float64
		i int32
	}
	order := make([]keyed, len(b.uniq))
	for k, i := range b.uniq {
		order[k] = keyed{dist2(b.cx, b.cy, pts[i].X, pts[i].Y), i}
	}
	slices.SortFunc(order, func(a, c keyed) int {
		if x := cmp.Compare(a.d, c.d); x != 0 {
			return x
		}
		return cmp.Compare(a.i, c.i)
	})

	hashSize := int(math.Ceil(math.Sqrt(float64(len(b.uniq)))))
	b.hullHash = make([]int32, hashSize)
	for k := range b.hullHash {
		b.hullHash[k] = -1
	}
	i0, i1, i2 := b.i0, b.i1, b.i2
	b.hullStart = i0
	b.hullNext[i0], b.hullPrev[i2] = i1, i1
	b.hullNext[i1], b.hullPrev[i0] = i2, i2
	b.hullNext[i2], b.hullPrev[i1] = i0, i0
	b.hullTri[i0], b.hullTri[i1], b.hullTri[i2] = 0, 1, 2
	b.hullHash[b.hashKey(pts[i0])] = i0
	b.hullHash[b.hashKey(pts[i1])] = i1
	b.hullHash[b.hashKey(pts[i2])] = i2
	b.addTriangle(i0, i1, i2, -1, -1, -1)

	for _, o := range order {
		i := o.i
		if i == i0 || i == i1 || i == i2 {
			continue
		}
		p := pts[i]
		// A hull vertex near p's angle around the centre, by the hash.
		start := int32(-1)
		key := b.hashKey(p)
		for j := 0; j < hashSize; j++ {
			start = b.hullHash[(key+j)%hashSize]
			if start != -1 && start != b.hullNext[start] {
				break
			}
		}
		// Walk the hull to an edge that p sees (p strictly to its right).
		start = b.hullPrev[start]
		e := start
		for {
			q := b.hullNext[e]
			if orient(pts[e], pts[q], p) < 0 {
				break
			}
			e = q
			if e == start {
				e = -1
				break
			}
		}
		if e == -1 {
			// p lies inside the hull or on it: distances that tie within
			// rounding can bring a point late.
			if err := b.insertInside(i, start); err != nil {
				return err
			}
			continue
		}

		t := b.addTriangle(e, i, b.hullNext[e], -1, -1, b.hullTri[e])
		b.hullTri[i] = b.legalize(t + 2)
		b.hullTri[e] = t

		// Forward along the hull.
		n := b.hullNext[e]
		for {
			q := b.hullNext[n]
			if orient(pts[n], pts[q], p) >= 0 {
				break
			}
			t = b.addTriangle(n, i, q, b.hullTri[i], -1, b.hullTri[n])
			b.hullTri[i] = b.legalize(t + 2)
			b.hullNext[n] = n // removed from the hull
			n = q
		}
		// Backward, when the first visible edge was where the walk began.
		if e == start {
			for {
				q := b.hullPrev[e]
				if orient(pts[q], pts[e], p) >= 0 {
					break
				}
				t = b.addTriangle(q, i, e, -1, b.hullTri[e], b.hullTri[q])
				b.legalize(t + 2)
				b.hullTri[q] = t
				b.hullNext[e] = e
				e = q
			}
		}
		b.hullStart = e
		b.hullPrev[i] = e
		b.hullNext[e] = i
		b.hullPrev[n] = i
		b.hullNext[i] = n
		b.hullHash[b.hashKey(p)] = i
		b.hullHash[b.hashKey(pts[e])] = e
	}
	return nil
}

// hull lists the hull counter-clockwise from hullStart.
func (b *sweep) hull() []int32 {
	var h []int32
	e := b.hullStart
	for {
		h = append(h, e)
		e = b.hullNext[e]
		if e == b.hullStart {
			return h
		}
	}
}

func (b *sweep) hashKey(p territory.Point) int {
	n := len(b.hullHash)
	return int(math.Floor(pseudoAngle(p.X-b.cx, p.Y-b.cy)*float64(n))) % n
}

// pseudoAngle increases monotonically with the angle of (dx, dy), from 0
// to 1 over a full turn.
func pseudoAngle(dx, dy float64) float64 {
	s := math.Abs(dx) + math.Abs(dy)
	if s == 0 {
		return 0
	}
	p := dx / s
	if dy > 0 {
		return (3 - p) / 4
	}
	return (1 + p) / 4
}

func (b *sweep) addTriangle(i0, i1, i2, a, bb, c int32) int32 {
	t := int32(len(b.triangles))
	b.triangles = append(b.triangles, i0, i1, i2)
	b.halfedges = append(b.halfedges, -1, -1, -1)
	b.link(t, a)
	b.link(t+1, bb)
	b.link(t+2, c)
	return t
}

func (b *sweep) link(a, c int32) {
	b.halfedges[a] = c
	if c != -1 {
		b.halfedges[c] = a
	}
}

// legalize flips the edge a, whose opposite vertex is the point being
// added, and recursively the edges it exposes, until every one is locally
// Delaunay. It returns the half-edge that runs from the added point to
// the other end of the edge before a in a's triangle (Delaunator's
// bookkeeping of the hull).
//
//	      pl                    pl
//	     /||\                  /  \
//	  al/ || \bl            al/    \a
//	   /  ||  \              /      \
//	  /  a||b  \    flip    /___ar___\
//	p0\   ||   /p1   =>   p0\---bl---/p1
//	   \  ||  /              \      /
//	  ar\ || /br             b\    /br
//	     \||/                  \  /
//	      pr                    pr
func (b *sweep) legalize(a int32) int32 {
	tr, he, pts := b.triangles, b.halfedges, b.pts
	stack := b.stack[:0]
	var ar int32
	for {
		bb := he[a]
		a0 := a - a%3
		ar = a0 + (a+2)%3
		if bb == -1 {
			if len(stack) == 0 {
				break
			}
			a = stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			continue
		}
		b0 := bb - bb%3
		al := a0 + (a+1)%3
		bl := b0 + (bb+2)%3
		p0, pr, pl, p1 := tr[ar], tr[a], tr[al], tr[bl]
		if inCircle(pts[p0], pts[pr], pts[pl], pts[p1]) > 0 {
			tr[a] = p1
			tr[bb] = p0
			hbl := he[bl]
			if hbl == -1 {
				// Edge p1->pl is on the hull and moves from bl to a.
				b.hullTri[p1] = a
			}
			b.link(a, hbl)
			b.link(bb, he[ar])
			b.link(ar, bl)
			stack = append(stack, b0+(bb+1)%3)
		} else {
			if len(stack) == 0 {
				break
			}
			a = stack[len(stack)-1]
			stack = stack[:len(stack)-1]
		}
	}
	b.stack = stack
	return ar
}

// insertInside adds point i, which lies inside the current hull or on its
// boundary: it splits the triangle or the edge that holds it and
// legalizes the new triangles. start is a hull vertex to search from.
func (b *sweep) insertInside(i, start int32) error {
	b.inside++
	tr, he, pts := b.triangles, b.halfedges, b.pts
	p := pts[i]
	t, ok := b.locate(p, b.hullTri[start]/3)
	if !ok {
		return fmt.Errorf("spatial: delaunay: internal error: point %d (%v, %v) is in no triangle", i, p.X, p.Y)
	}
	on := int32(-1) // the half-edge p lies on
	for j := int32(0); j < 3; j++ {
		e := 3*t + j
		if orient(pts[tr[e]], pts[tr[nextHalfedge(e)]], p) == 0 {
			on = e
		}
	}
	if on == -1 {
		// Split triangle (a, b, c) into (a, b, p), (b, c, p), (c, a, p).
		t0 := 3 * t
		a, bv, c := tr[t0], tr[t0+1], tr[t0+2]
		hb, hc := he[t0+1], he[t0+2]
		tr[t0+2] = i // (a, b, p); a->b keeps its twin
		t1 := b.addTriangle(bv, c, i, hb, -1, t0+1)
		t2 := b.addTriangle(c, a, i, hc, t0+2, t1+1)
		// Hull edges that moved: b->c to t1, c->a to t2.
		if hb == -1 {
			b.hullTri[bv] = t1
		}
		if hc == -1 {
			b.hullTri[c] = t2
		}
		b.legalize(t0)
		b.legalize(t1)
		b.legalize(t2)
		return nil
	}
	// p lies on edge a->b of triangle (a, b, c): triangle (a, b, c) becomes
	// (c, a, p) and (b, c, p).
	e := on
	a, bv, c := tr[e], tr[nextHalfedge(e)], tr[prevHalfedge(e)]
	hB, hC := he[nextHalfedge(e)], he[prevHalfedge(e)]
	f := he[e]
	t0 := e - e%3
	tr[t0], tr[t0+1], tr[t0+2] = c, a, i
	b.link(t0, hC)
	t2 := b.addTriangle(bv, c, i, hB, t0+2, -1)
	if hC == -1 {
		b.hullTri[c] = t0
	}
	if hB == -1 {
		b.hullTri[bv] = t2
	}
	if f == -1 {
		// On the hull: p joins it between a and b.
		b.halfedges[t0+1] = -1
		b.hullNext[a], b.hullPrev[i] = i, a
		b.hullNext[i], b.hullPrev[bv] = bv, i
		b.hullTri[a] = t0 + 1
		b.hullTri[i] = t2 + 2
		b.hullHash[b.hashKey(p)] = i
		b.legalize(t0)
		b.legalize(t2)
		return nil
	}
	// An interior edge: triangle (b, a, d) across it becomes (a, d, p) and
	// (d, b, p).
	// (addTriangle may have grown the slices: index them afresh.)
	tr, he = b.triangles, b.halfedges
	t1 := f - f%3
	d := tr[prevHalfedge(f)]
	hD1, hD2 := he[nextHalfedge(f)], he[prevHalfedge(f)]
	tr[t1], tr[t1+1], tr[t1+2] = a, d, i
	b.link(t1, hD1)
	b.link(t0+1, t1+2) // a->p and p->a
	t3 := b.addTriangle(d, bv, i, hD2, t2+2, t1+1)
	if hD1 == -1 {
		b.hullTri[a] = t1
	}
	if hD2 == -1 {
		b.hullTri[d] = t3
	}
	b.legalize(t0)
	b.legalize(t2)
	b.legalize(t1)
	b.legalize(t3)
	return nil
}

// locate finds a triangle that holds p (on its boundary or inside),
// walking from triangle t towards p and, should the walk not arrive,
// scanning every triangle.
func (b *sweep) locate(p territory.Point, t int32) (int32, bool) {
	tr, he, pts := b.triangles, b.halfedges, b.pts
	nt := int32(len(tr) / 3)
	for steps := int32(0); steps <= nt; steps++ {
		moved := false
		for j := int32(0); j < 3; j++ {
			e := 3*t + (j+steps)%3 // rotate the first edge tried, so the walk cannot cycle on ties
			if orient(pts[tr[e]], pts[tr[nextHalfedge(e)]], p) < 0 {
				if he[e] == -1 {
					break
				}
				t = he[e] / 3
				moved = true
				break
			}
		}
		if !moved {
			if b.contains(t, p) {
				return t, true
			}
			break
		}
	}
	for t := int32(0); t < nt; t++ {
		if b.contains(t, p) {
			return t, true
		}
	}
	return 0, false
}

func (b *sweep) contains(t int32, p territory.Point) bool {
	tr, pts := b.triangles, b.pts
	a, bb, c := pts[tr[3*t]], pts[tr[3*t+1]], pts[tr[3*t+2]]
	return orient(a, bb, p) >= 0 && orient(bb, c, p) >= 0 && orient(c, a, p) >= 0
}

func dist2(ax, ay, bx, by float64) float64 {
	dx, dy := ax-bx, ay-by
	return float64(dx*dx) + float64(dy*dy)
}

// circumradius2 is the squared circumradius of triangle (a, b, c): +Inf
// or NaN when the triangle is flat.
func circumradius2(a, b, c territory.Point) float64 {
	x, y := circumOffset(a, b, c)
	return float64(x*x) + float64(y*y)
}

// circumcentre is the centre of the circle through a, b and c.
func circumcentre(a, b, c territory.Point) (float64, float64) {
	x, y := circumOffset(a, b, c)
	return a.X + x, a.Y + y
}

// circumOffset is the circumcentre of (a, b, c) relative to a. The
// explicit conversions keep the compiler from fusing multiply-adds, so
// every machine computes the same bits.
func circumOffset(a, b, c territory.Point) (float64, float64) {
	dx, dy := b.X-a.X, b.Y-a.Y
	ex, ey := c.X-a.X, c.Y-a.Y
	bl := float64(dx*dx) + float64(dy*dy)
	cl := float64(ex*ex) + float64(ey*ey)
	d := 0.5 / (float64(dx*ey) - float64(dy*ex))
	x := (float64(ey*bl) - float64(dy*cl)) * d
	y := (float64(dx*cl) - float64(ex*bl)) * d
	return x, y
}

// Orient reports on which side of the line through a and b the point c
// lies: 1 when to the left (a, b, c counter-clockwise), -1 when to the
// right, 0 when exactly on the line. The answer is exact.
func Orient(a, b, c territory.Point) int {
	v := orient(a, b, c)
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

// Error bounds of the floating-point filters, from Shewchuk, "Adaptive
// precision floating-point arithmetic and fast robust geometric
// predicates" (1997): with ε = 2⁻⁵³, ccwerrboundA = (3 + 16ε)ε and
// iccerrboundA = (10 + 96ε)ε.
const (
	epsilon      = 1.0 / (1 << 53)
	ccwErrBound  = (3 + 16*epsilon) * epsilon
	iccErrBound  = (10 + 96*epsilon) * epsilon
	exactBitsMax = 1 << 14 // more than an exact degree-4 polynomial of float64 differences needs
)

// Cross is twice the signed area of triangle a, b, c: (b - a) × (c - a),
// positive when c lies left of the line from a to b. It is computed in
// floating point, each product rounded on its own so that every
// architecture gives the same bits, and its sign may be wrong for points
// that are nearly on one line: [Orient] gives the sign exactly. Use Cross
// for its value (where two segments cross, say).
func Cross(a, b, c territory.Point) float64 {
	return float64((b.X-a.X)*(c.Y-a.Y)) - float64((b.Y-a.Y)*(c.X-a.X))
}

// orient is positive when a, b, c turn counter-clockwise, negative when
// clockwise and zero when collinear, with the sign always right: it is
// [Cross] when Shewchuk's error bound proves its sign (Cross(a, b, c) is
// his orient2d(b, c, a), the same turn), and the exact sign otherwise.
func orient(a, b, c territory.Point) float64 {
	detLeft := float64((b.X - a.X) * (c.Y - a.Y))
	detRight := float64((b.Y - a.Y) * (c.X - a.X))
	det := detLeft - detRight // Cross(a, b, c)
	var sum float64
	switch {
	case detLeft > 0:
		if detRight <= 0 {
			return det
		}
		sum = detLeft + detRight
	case detLeft < 0:
		if detRight >= 0 {
			return det
		}
		sum = -detLeft - detRight
	default:
		return det
	}
	if bound := ccwErrBound * sum; det >= bound || -det >= bound {
		return det
	}
	return float64(orientExact(a, b, c))
}

// inCircle is positive when d lies inside the circle through the
// counter-clockwise triangle (a, b, c), negative outside and zero on it,
// with the sign always right.
func inCircle(a, b, c, d territory.Point) float64 {
	adx, ady := a.X-d.X, a.Y-d.Y
	bdx, bdy := b.X-d.X, b.Y-d.Y
	cdx, cdy := c.X-d.X, c.Y-d.Y
	bdxcdy, cdxbdy := float64(bdx*cdy), float64(cdx*bdy)
	cdxady, adxcdy := float64(cdx*ady), float64(adx*cdy)
	adxbdy, bdxady := float64(adx*bdy), float64(bdx*ady)
	alift := float64(adx*adx) + float64(ady*ady)
	blift := float64(bdx*bdx) + float64(bdy*bdy)
	clift := float64(cdx*cdx) + float64(cdy*cdy)
	det := float64(alift*(bdxcdy-cdxbdy)) + float64(blift*(cdxady-adxcdy)) + float64(clift*(adxbdy-bdxady))
	permanent := float64((math.Abs(bdxcdy)+math.Abs(cdxbdy))*alift) +
		float64((math.Abs(cdxady)+math.Abs(adxcdy))*blift) +
		float64((math.Abs(adxbdy)+math.Abs(bdxady))*clift)
	if bound := iccErrBound * permanent; det > bound || -det > bound {
		return det
	}
	return float64(inCircleExact(a, b, c, d))
}

func exact(v float64) *big.Float { return new(big.Float).SetPrec(exactBitsMax).SetFloat64(v) }

func newExact() *big.Float { return new(big.Float).SetPrec(exactBitsMax) }

func orientExact(a, b, c territory.Point) int {
	acx := newExact().Sub(exact(a.X), exact(c.X))
	acy := newExact().Sub(exact(a.Y), exact(c.Y))
	bcx := newExact().Sub(exact(b.X), exact(c.X))
	bcy := newExact().Sub(exact(b.Y), exact(c.Y))
	l := newExact().Mul(acx, bcy)
	r := newExact().Mul(acy, bcx)
	return l.Cmp(r)
}

func inCircleExact(a, b, c, d territory.Point) int {
	sub := func(x, y float64) *big.Float { return newExact().Sub(exact(x), exact(y)) }
	adx, ady := sub(a.X, d.X), sub(a.Y, d.Y)
	bdx, bdy := sub(b.X, d.X), sub(b.Y, d.Y)
	cdx, cdy := sub(c.X, d.X), sub(c.Y, d.Y)
	lift := func(x, y *big.Float) *big.Float {
		return newExact().Add(newExact().Mul(x, x), newExact().Mul(y, y))
	}
	cross := func(x1, y1, x2, y2 *big.Float) *big.Float {
		return newExact().Sub(newExact().Mul(x1, y2), newExact().Mul(y1, x2))
	}
	det := newExact().Mul(lift(adx, ady), cross(bdx, bdy, cdx, cdy))
	det.Add(det, newExact().Mul(lift(bdx, bdy), cross(cdx, cdy, adx, ady)))
	det.Add(det, newExact().Mul(lift(cdx, cdy), cross(adx, ady, bdx, bdy)))
	return det.Sign()
}
