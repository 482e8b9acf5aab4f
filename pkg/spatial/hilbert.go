package spatial

import (
	"cmp"
	"math"
	"slices"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// hilbertBits is the resolution of HilbertOrder's grid: 2^16 cells a side,
// about 70 m across the lower 48 states.
const hilbertBits = 16

// HilbertOrder returns the indices of pts in the order of a Hilbert curve
// through their bounding box (on a grid of 2^16 cells a side), ties by
// index: points near each other on the plane come near each other in the
// order, so that data kept in this order is read from memory in runs.
// Points that are not finite come last, in index order. The result
// depends only on pts.
func HilbertOrder(pts []territory.Point) []int32 {
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	for _, p := range pts {
		if !finitePoint(p) {
			continue
		}
		minX, maxX = math.Min(minX, p.X), math.Max(maxX, p.X)
		minY, maxY = math.Min(minY, p.Y), math.Max(maxY, p.Y)
	}
	const side = 1 << hilbertBits
	cell := func(v, lo, hi float64) uint32 {
		if !(hi > lo) {
			return 0
		}
		return uint32(min(side-1, max(0, math.Floor((v-lo)/(hi-lo)*side))))
	}
	type keyed struct {
		key uint64
		i   int32
	}
	order := make([]keyed, len(pts))
	for i, p := range pts {
		key := uint64(math.MaxUint64)
		if finitePoint(p) {
			key = hilbertKey(cell(p.X, minX, maxX), cell(p.Y, minY, maxY))
		}
		order[i] = keyed{key, int32(i)}
	}
	slices.SortFunc(order, func(a, b keyed) int { return cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(a.i, b.i)) })
	out := make([]int32, len(pts))
	for j, o := range order {
		out[j] = o.i
	}
	return out
}

// hilbertKey is the position of cell (x, y) along the Hilbert curve
// through a grid of 2^hilbertBits cells a side: at each level, from the
// coarsest, the quadrant's place on the curve, with the cell turned into
// that quadrant's frame.
func hilbertKey(x, y uint32) uint64 {
	var d uint64
	for s := uint32(1) << (hilbertBits - 1); s > 0; s >>= 1 {
		var rx, ry uint32
		if x&s != 0 {
			rx = 1
		}
		if y&s != 0 {
			ry = 1
		}
		d += uint64(s) * uint64(s) * uint64((3*rx)^ry)
		if ry == 0 {
			if rx == 1 {
				x, y = s-1-x&(s-1), s-1-y&(s-1)
			}
			x, y = y, x
		}
	}
	return d
}

func finitePoint(p territory.Point) bool { return territory.Finite(p.X) && territory.Finite(p.Y) }
