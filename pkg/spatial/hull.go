package spatial

import (
	"cmp"
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
