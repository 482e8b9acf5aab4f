package features

import (
	"math"
	"slices"

	"github.com/territory-optimizer/territory/pkg/parallel"
	"github.com/territory-optimizer/territory/pkg/spatial"
)

// The reach of a point account, how far its territory's outline may
// extend around it (see PointCells), follows the local spacing of the
// accounts: reachFactor times the distance from the account's location to
// the reachNeighbours-th nearest other location, at most reachCap times
// the median reach.
//
// The eighth neighbour measures the spacing of a neighbourhood rather
// than of a pair: the distance to the nearest neighbour varies too much
// from one account to the next (two shops on one street), while the
// distance to the eighth changes by no more than the distance between two
// accounts, so the reach changes smoothly from a city to the countryside
// around it. The factor keeps evenly spread accounts free of holes:
// spatial.VoronoiCellsWithin leaves out a Voronoi vertex, the centre of
// an empty circle through three accounts, when the circle's radius ρ
// exceeds 1.25 times their mean reach. For accounts scattered at random
// with density λ, λπρ² has a Gamma(2) distribution and λπd² for the
// distance d to the eighth neighbour a Gamma(8) one, of median about 7.7;
// with a factor of 1.25, a vertex is left out when λπρ² exceeds about
// (1.25·1.25)²·7.7 ≈ 19, which happens to one vertex in about 7 million.
// A larger factor would only widen the band the outlines add around the
// outermost accounts: about the reach, which for the demo's accounts is
// 16 km at the median, 4.6 times the median distance to the nearest
// neighbour (3.5 km). The cap keeps an account far from all others (an
// island, an outlier) from claiming a disc the size of its distance to
// the rest.
const (
	reachNeighbours = 8
	reachFactor     = 1.25
	reachCap        = 5
)

// reachChunk is the most locations in a group whose spacing one
// goroutine measures at a time.
const reachChunk = 4096

// cellReach returns the reach of every point of tr, as
// spatial.VoronoiCellsWithin takes it, in the plane of tr's points; nil
// (no limit) when there are fewer than two distinct locations. Duplicates
// get the reach of their location, which only its representative uses.
// The spacing is measured on all cores, a group of nearby locations at a
// time (in the order of a k-d tree, so that the searches for one group
// walk the same few branches of the tree), each location on its own, so
// the result does not depend on their number.
func cellReach(tr *spatial.Triangulation) []float64 {
	pts := tr.Points
	var distinct []int32
	for i := range pts {
		if tr.Representative(i) == i {
			distinct = append(distinct, int32(i))
		}
	}
	if len(distinct) < 2 {
		return nil
	}
	vecs := make([]spatial.Vec3, len(distinct))
	for u, i := range distinct {
		vecs[u] = spatial.Vec3{pts[i].X, pts[i].Y, 0}
	}
	ix := spatial.NewIndex(vecs)
	groups := ix.Groups(reachChunk)
	k := min(reachNeighbours, len(distinct)-1)
	reach := make([]float64, len(distinct))
	parallel.For(len(groups), func(_, g int) {
		var nb [reachNeighbours + 1]int
		for _, u := range groups[g] {
			// The location itself comes first, then its k nearest others.
			near := ix.Nearest(vecs[u], k+1, nb[:0])
			reach[u] = reachFactor * math.Sqrt(spatial.Dist2(vecs[u], vecs[near[len(near)-1]]))
		}
	})
	sorted := slices.Clone(reach)
	slices.Sort(sorted)
	limit := reachCap * sorted[len(sorted)/2]
	out := make([]float64, len(pts))
	for u, i := range distinct {
		out[i] = min(reach[u], limit)
	}
	for i := range pts {
		if r := tr.Representative(i); r != i {
			out[i] = out[r]
		}
	}
	return out
}
