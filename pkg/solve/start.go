package solve

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/territory-optimizer/territory/pkg/spatial"
)

// initialSplit gives every account a first territory.
//
// With centres fixed at the reps' homes, every account goes to its nearest
// home. Otherwise the accounts are split by recursive bisection: the set is
// cut across its principal axis where the combined weight on each side
// matches the capacity of the reps on that side, and each half is split
// again until every rep has its piece. The pieces are compact and balanced
// on the combined weight, and their centres seed the constrained k-means.
func (s *state) initialSplit() {
	m := s.m
	if m.homes != nil {
		s.nearestStart()
		s.applyOwners()
		return
	}
	proj := make([]float64, m.n)
	s.bisect(indices(m.n), indices(m.k), proj)
	s.applyOwners()
	s.updateCentres()
}

// bisect assigns the accounts idx to the territories terrs.
func (s *state) bisect(idx, terrs []int, proj []float64) {
	m := s.m
	if len(terrs) == 1 {
		for _, i := range idx {
			s.assign[i] = int32(terrs[0])
		}
		return
	}
	half := len(terrs) / 2
	left, right := terrs[:half], terrs[half:]
	capLeft, capAll := 0.0, 0.0
	active := func(ts []int) int {
		n := 0
		for _, k := range ts {
			if m.share[k] > 0 {
				n++
			}
		}
		return n
	}
	for _, k := range left {
		capLeft += m.share[k]
	}
	for _, k := range terrs {
		capAll += m.share[k]
	}
	frac := 0.5
	if capAll > 0 {
		frac = capLeft / capAll
	}

	axis := principalAxis(m.pts, idx)
	for _, i := range idx {
		p := m.pts[i]
		proj[i] = float64(p[0]*axis[0]) + float64(p[1]*axis[1]) + float64(p[2]*axis[2])
	}
	slices.SortFunc(idx, func(a, b int) int {
		if c := cmp.Compare(proj[a], proj[b]); c != 0 {
			return c
		}
		return a - b
	})
	total := 0.0
	for _, i := range idx {
		total += m.combined[i]
	}
	// Cut where the running weight first reaches the left side's share,
	// leaving at least one account for every active rep on each side.
	minLeft, minRight := active(left), active(right)
	cut, run := 0, 0.0
	for cut < len(idx) && run+m.combined[idx[cut]]/2 < frac*total {
		run += m.combined[idx[cut]]
		cut++
	}
	cut = max(cut, minLeft)
	cut = min(cut, len(idx)-minRight)
	cut = max(cut, 0)
	s.bisect(idx[:cut], left, proj)
	s.bisect(idx[cut:], right, proj)
}

// principalAxis is the direction of largest spread of the points idx: the
// leading eigenvector of their covariance, by power iteration from a fixed
// start (deterministic). Degenerate sets get the x axis.
func principalAxis(pts []spatial.Vec3, idx []int) spatial.Vec3 {
	if len(idx) < 2 {
		return spatial.Vec3{1, 0, 0}
	}
	var mean spatial.Vec3
	for _, i := range idx {
		for d := 0; d < 3; d++ {
			mean[d] += pts[i][d]
		}
	}
	n := float64(len(idx))
	for d := range mean {
		mean[d] /= n
	}
	var cov [3][3]float64
	for _, i := range idx {
		var q spatial.Vec3
		for d := 0; d < 3; d++ {
			q[d] = pts[i][d] - mean[d]
		}
		for a := 0; a < 3; a++ {
			for b := a; b < 3; b++ {
				cov[a][b] += float64(q[a] * q[b])
			}
		}
	}
	for a := 0; a < 3; a++ {
		for b := 0; b < a; b++ {
			cov[a][b] = cov[b][a]
		}
	}
	// Start from the coordinate axis of largest variance, nudged so that it
	// is never orthogonal to the answer.
	v := spatial.Vec3{0.01, 0.02, 0.03}
	best := 0
	for d := 1; d < 3; d++ {
		if cov[d][d] > cov[best][best] {
			best = d
		}
	}
	v[best] = 1
	for iter := 0; iter < 50; iter++ {
		var next spatial.Vec3
		for a := 0; a < 3; a++ {
			next[a] = float64(cov[a][0]*v[0]) + float64(cov[a][1]*v[1]) + float64(cov[a][2]*v[2])
		}
		norm := math.Sqrt(float64(next[0]*next[0]) + float64(next[1]*next[1]) + float64(next[2]*next[2]))
		if norm == 0 || math.IsNaN(norm) {
			return spatial.Vec3{1, 0, 0}
		}
		for d := range next {
			next[d] /= norm
		}
		v = next
	}
	return v
}

// spreadStart starts from centres spread over the accounts as k-means++
// does: the first at a random account, each next one at an account drawn
// with probability proportional to its cost to the nearest centre so far.
// Every account then joins its nearest centre.
func (s *state) spreadStart(rng *rand.Rand) {
	m := s.m
	near := make([]float64, m.n)
	for i := range near {
		near[i] = math.Inf(1)
	}
	pick := rng.IntN(m.n)
	for k := 0; k < m.k; k++ {
		c := m.pts[pick]
		s.centres[k] = c
		total := 0.0
		for i, p := range m.pts {
			near[i] = math.Min(near[i], m.cost(spatial.Dist2(p, c)))
			total += near[i]
		}
		if total <= 0 {
			pick = rng.IntN(m.n)
			continue
		}
		x := rng.Float64() * total
		pick = m.n - 1
		for i, v := range near {
			if x < v {
				pick = i
				break
			}
			x -= v
		}
	}
	s.nearestStart()
	s.applyOwners()
	s.fillEmpty()
	s.updateCentres()
}

// perturb starts from the centres of the best plan so far with one or two
// of them moved to random accounts (an iterated local search: the
// constrained k-means and the local search then settle the rest), which
// often escapes the local optimum that fresh starts keep finding.
func (s *state) perturb(best *state, rng *rand.Rand) {
	m := s.m
	copy(s.centres, best.centres)
	copy(s.centreAcc, best.centreAcc)
	for range 1 + rng.IntN(2) {
		k := rng.IntN(m.k)
		i := rng.IntN(m.n)
		s.centres[k] = m.pts[i]
		if s.centreAcc[k] >= 0 {
			s.centreAcc[k] = i
		}
	}
	s.nearestStart()
	s.applyOwners()
	s.fillEmpty()
}

// nearestStart puts every account in the territory of its nearest centre
// and recounts the loads.
func (s *state) nearestStart() {
	ix := spatial.NewIndex(s.centres)
	var buf []int
	for i, p := range s.m.pts {
		buf = ix.Nearest(p, 1, buf[:0])
		s.assign[i] = int32(buf[0])
	}
	s.recount()
}

// indices returns 0, 1, ..., n-1.
func indices(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}
