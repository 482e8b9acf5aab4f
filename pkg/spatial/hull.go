package spatial

import (
	"cmp"
	"math"
	"slices"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// ConvexHull returns the convex hull of pts in the plane (project
// geographic points first, with [Project]): the indices of its corners,
// counter-clockwise, starting from the lowest point by x, then y. Points
// that lie on an edge of the hull are left out, and of points at one
// position only the lowest index is kept. Fewer than three distinct
// points, or points all on one line, give the ends of the segment they
// span (one index for one position, none for no points).
//
// It is Andrew's monotone chain, O(n log n), with the exact [Orient]: the
// same points give the same indices on every machine. The points must be
// finite.
func ConvexHull(pts []territory.Point) []int32 {
	order := make([]int32, len(pts))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		if c := cmp.Compare(pts[a].X, pts[b].X); c != 0 {
			return c
		}
		if c := cmp.Compare(pts[a].Y, pts[b].Y); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	order = slices.CompactFunc(order, func(a, b int32) bool { return pts[a] == pts[b] })
	if len(order) < 3 {
		return order
	}
	// The lower chain left to right, then the upper chain back; a corner
	// that does not turn left is dropped.
	hull := make([]int32, 0, len(order)+1)
	for _, i := range order {
		for len(hull) >= 2 && Orient(pts[hull[len(hull)-2]], pts[hull[len(hull)-1]], pts[i]) <= 0 {
			hull = hull[:len(hull)-1]
		}
		hull = append(hull, i)
	}
	lower := len(hull) + 1
	for k := len(order) - 2; k >= 0; k-- {
		i := order[k]
		for len(hull) >= lower && Orient(pts[hull[len(hull)-2]], pts[hull[len(hull)-1]], pts[i]) <= 0 {
			hull = hull[:len(hull)-1]
		}
		hull = append(hull, i)
	}
	// The chain ends where it began.
	return slices.Clip(hull[:len(hull)-1])
}

// Hull is a convex polygon with area, the hull of a set of points (see
// [NewHull]), with its bounding box; Corners is nil when the points span
// no area.
type Hull struct {
	Corners                []territory.Point // counter-clockwise, no three on a line
	MinX, MinY, MaxX, MaxY float64
}

// NewHull returns the convex hull of pts ([ConvexHull]) as a polygon; it
// has no corners when fewer than three distinct points span an area.
func NewHull(pts []territory.Point) Hull {
	idx := ConvexHull(pts)
	if len(idx) < 3 {
		return Hull{}
	}
	h := Hull{Corners: make([]territory.Point, len(idx)),
		MinX: math.Inf(1), MinY: math.Inf(1), MaxX: math.Inf(-1), MaxY: math.Inf(-1)}
	for j, i := range idx {
		c := pts[i]
		h.Corners[j] = c
		h.MinX, h.MaxX = min(h.MinX, c.X), max(h.MaxX, c.X)
		h.MinY, h.MaxY = min(h.MinY, c.Y), max(h.MaxY, c.Y)
	}
	return h
}

// Contains reports whether q lies strictly inside the hull (never for a
// hull without corners), in O(log n) exact orientation tests: it finds
// the wedge of the fan from the first corner that holds q, then the side
// of that wedge's hull edge.
func (h *Hull) Contains(q territory.Point) bool {
	if !(q.X > h.MinX && q.X < h.MaxX && q.Y > h.MinY && q.Y < h.MaxY) {
		return false
	}
	c := h.Corners
	m := len(c)
	if Orient(c[0], c[1], q) <= 0 || Orient(c[0], c[m-1], q) >= 0 {
		return false
	}
	// q is left of c0→c[lo] and not left of c0→c[hi].
	lo, hi := 1, m-1
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if Orient(c[0], c[mid], q) > 0 {
			lo = mid
		} else {
			hi = mid
		}
	}
	return Orient(c[lo], c[hi], q) > 0
}
