package solve

import (
	"math"
	"slices"

	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// state is a plan under construction: the territory of every account, the
// centres, and the load of every rule in every territory.
type state struct {
	m         *model
	assign    []int32
	centres   []spatial.Vec3
	centreAcc []int // account at the centre (centre "unit"), else -1
	loads     [][]float64
	sizes     []int
	moved     int // accounts with an owner that are in another territory
	// lambda holds the prices the assignment ended with ([rule][territory],
	// nil when it set none): the repair ranks its moves by priced cost,
	// which carries the flow between regions that the prices found.
	lambda [][]float64
	// cand holds the candidates the assignment ended with (nil when it
	// set none): its prices may have added farther territories to them.
	cand *candidates
	// temp is the temperature the last price solve ended at (0 when none
	// has run); a warm solve (constrainedKMeans with warm set) starts
	// from it, the prices lambda and the candidates cand.
	temp float64
	// power holds the prices of a balanced power diagram (regions.go),
	// one per territory and the same for every account (nil when the plan
	// is not one): the repair ranks its moves by cost plus power, which
	// keeps the boundaries where the diagram drew them.
	power []float64
	// inPieces marks a finished start whose territories had to be
	// connected and are not all (see better).
	inPieces bool
}

func newState(m *model) *state {
	s := &state{
		m:         m,
		assign:    make([]int32, m.n),
		centres:   make([]spatial.Vec3, m.k),
		centreAcc: make([]int, m.k),
		loads:     make([][]float64, m.rules()),
		sizes:     make([]int, m.k),
	}
	for r := range s.loads {
		s.loads[r] = make([]float64, m.k)
	}
	for k := range s.centreAcc {
		s.centreAcc[k] = -1
	}
	if m.homes != nil {
		copy(s.centres, m.homes)
	}
	return s
}

// recount recomputes the loads and sizes from the assignment.
func (s *state) recount() {
	for r := range s.loads {
		clear(s.loads[r])
	}
	clear(s.sizes)
	s.moved = 0
	for i, k := range s.assign {
		s.sizes[k]++
		if s.m.owner != nil && s.m.owner[i] >= 0 && s.m.owner[i] != k {
			s.moved++
		}
		for r, w := range s.m.w {
			s.loads[r][k] += w[i]
		}
	}
}

// move puts account i into territory to, keeping loads and sizes current.
func (s *state) move(i int, to int32) {
	from := s.assign[i]
	if from == to {
		return
	}
	for r, w := range s.m.w {
		s.loads[r][from] -= w[i]
		s.loads[r][to] += w[i]
	}
	s.sizes[from]--
	s.sizes[to]++
	s.assign[i] = to
	if s.m.owner != nil {
		s.moved += s.m.moveDelta(i, from, to)
	}
}

// violation is the total normalised amount by which loads lie outside
// their bands, over every rule and territory; 0 means every rule holds.
func (s *state) violation() float64 {
	v := 0.0
	for r := range s.loads {
		for k, l := range s.loads[r] {
			v += violation(l, s.m.lo[r][k], s.m.hi[r][k])
		}
	}
	return v
}

// costOf is account i's contribution to the objective in territory k.
func (s *state) costOf(i int, k int32) float64 {
	c := s.m.cost(spatial.Dist2(s.m.pts[i], s.centres[k]))
	if s.m.mult != nil {
		c *= s.m.mult[i]
	}
	if s.m.stick != 0 && s.m.owner[i] >= 0 && s.m.owner[i] != k {
		c += s.m.stick
	}
	return c
}

// repairCost is account i's cost in territory k plus its priced weight
// there (repairCost equals costOf without prices).
func (s *state) repairCost(i int, k int32) float64 {
	c := s.costOf(i, k)
	for r, l := range s.lambda {
		c += float64(l[k] * s.m.w[r][i])
	}
	if s.power != nil {
		c += float64(s.power[k] * s.m.multOf(i))
	}
	return c
}

// objective is the total cost of the assignment with the current centres.
func (s *state) objective() float64 {
	total := 0.0
	for i, k := range s.assign {
		total += s.costOf(i, k)
	}
	return total
}

// members lists the accounts of every territory, in account order.
func (s *state) members() [][]int {
	out := make([][]int, s.m.k)
	for k := range out {
		out[k] = make([]int, 0, s.sizes[k])
	}
	for i, k := range s.assign {
		out[k] = append(out[k], i)
	}
	return out
}

// updateCentres moves every centre to the point that minimises its
// territory's objective under the centre rule: the mean (SSE) or the
// geometric median (Distance) for "mean", the best member account for
// "unit". Fixed centres ("home") stay. It returns the largest distance a
// centre moved.
func (s *state) updateCentres() float64 {
	m := s.m
	if m.center == territory.CenterHome {
		return 0
	}
	moved := 0.0
	for k, mem := range s.members() {
		moved = math.Max(moved, s.centreOf(k, mem))
	}
	return moved
}

// centreOf moves the centre of territory k, whose accounts are mem, as
// updateCentres does, and returns how far it moved (0 for no accounts).
func (s *state) centreOf(k int, mem []int) float64 {
	m := s.m
	if len(mem) == 0 || m.center == territory.CenterHome {
		return 0
	}
	var c spatial.Vec3
	acc := -1
	switch {
	case m.center == territory.CenterUnit:
		acc = s.bestMember(mem, k)
		c = m.pts[acc]
	case m.obj == territory.Distance:
		c = s.geometricMedian(mem)
	default:
		c = s.mean(mem)
	}
	moved := math.Sqrt(spatial.Dist2(c, s.centres[k]))
	s.centres[k] = c
	s.centreAcc[k] = acc
	return moved
}

// onSurface puts a mean of embedded points back where points live: on the
// sphere for geographic problems (the plane needs nothing).
func (s *state) onSurface(c spatial.Vec3) spatial.Vec3 {
	if s.m.space == territory.Planar {
		return c
	}
	r := math.Sqrt(float64(c[0]*c[0]) + float64(c[1]*c[1]) + float64(c[2]*c[2]))
	if r == 0 {
		return c
	}
	f := spatial.EarthRadiusKm / r
	return spatial.Vec3{c[0] * f, c[1] * f, c[2] * f}
}

// mean is the members' mean, weighted by what each stands for in the
// objective (model.mult) when the problem weights its accounts.
func (s *state) mean(mem []int) spatial.Vec3 {
	var c spatial.Vec3
	if s.m.mult != nil {
		total := 0.0
		for _, i := range mem {
			p, f := s.m.pts[i], s.m.mult[i]
			c[0] += float64(f * p[0])
			c[1] += float64(f * p[1])
			c[2] += float64(f * p[2])
			total += f
		}
		if total > 0 {
			return s.onSurface(spatial.Vec3{c[0] / total, c[1] / total, c[2] / total})
		}
		c = spatial.Vec3{}
	}
	for _, i := range mem {
		p := s.m.pts[i]
		c[0] += p[0]
		c[1] += p[1]
		c[2] += p[2]
	}
	n := float64(len(mem))
	return s.onSurface(spatial.Vec3{c[0] / n, c[1] / n, c[2] / n})
}

// geometricMedian approximates the point that minimises the sum of
// distances to the members by Weiszfeld's iteration, started at the mean.
func (s *state) geometricMedian(mem []int) spatial.Vec3 {
	c := s.mean(mem)
	if len(mem) == 1 {
		return c
	}
	for iter := 0; iter < 30; iter++ {
		var num spatial.Vec3
		den := 0.0
		for _, i := range mem {
			p := s.m.pts[i]
			d := math.Sqrt(spatial.Dist2(p, c))
			if d < 1e-12 {
				d = 1e-12
			}
			if s.m.mult != nil {
				d /= s.m.mult[i] // weight f: f/d; a weight of 0 counts as none
				if math.IsInf(d, 1) {
					continue
				}
			}
			num[0] += p[0] / d
			num[1] += p[1] / d
			num[2] += p[2] / d
			den += 1 / d
		}
		if den == 0 {
			break
		}
		next := s.onSurface(spatial.Vec3{num[0] / den, num[1] / den, num[2] / den})
		step := spatial.Dist2(next, c)
		c = next
		if step < float64(1e-18*(1+spatial.Dist2(c, spatial.Vec3{}))) {
			break
		}
	}
	return c
}

// medoidExact is the member count up to which bestMember tries every
// member; larger territories try the members nearest the free centre.
const medoidExact = 1500

// bestMember returns the member account that, as the centre, minimises the
// territory's objective (ties to the lower account index).
func (s *state) bestMember(mem []int, k int) int {
	m := s.m
	cands := mem
	if len(mem) > medoidExact {
		var free spatial.Vec3
		if m.obj == territory.Distance {
			free = s.geometricMedian(mem)
		} else {
			free = s.mean(mem)
		}
		cands = slices.Clone(mem)
		slices.SortFunc(cands, func(a, b int) int {
			da, db := spatial.Dist2(m.pts[a], free), spatial.Dist2(m.pts[b], free)
			switch {
			case da < db:
				return -1
			case da > db:
				return 1
			}
			return a - b
		})
		cands = cands[:64]
	}
	return cheapestMember(m, cands, mem, nil)
}

// cheapestMember returns the account of cands that, as the centre of the
// accounts mem, costs least in total, reading the cost of account i at
// account c from dist[i·n+c] when dist is not nil. A total stops adding up
// once it reaches the least so far, so with cands in ascending order ties
// go to the lower account index; in another order (bestMember's nearest
// 64) a lower index also takes a tie reached partway through its total.
func cheapestMember[T int | int32](m *model, cands, mem []T, dist []float64) int {
	best, bestCost := -1, math.Inf(1)
	for _, c32 := range cands {
		c := int(c32)
		pc := m.pts[c]
		total := 0.0
		for _, i := range mem {
			if dist != nil {
				total += float64(dist[int(i)*m.n+c] * m.multOf(int(i)))
			} else {
				total += float64(m.cost(spatial.Dist2(m.pts[i], pc)) * m.multOf(int(i)))
			}
			if total >= bestCost {
				break
			}
		}
		if total < bestCost || (total == bestCost && c < best) {
			best, bestCost = c, total
		}
	}
	return best
}

// PlaceCentres returns the plan that puts account i in territory assign[i]
// with every centre where Solve would place it for that assignment (the
// same centre update, so the objective is the same to the bit): the rep's
// home for centre "home"; the mean (sse) or geometric median (distance)
// for "mean"; the best member account for "unit". A territory without
// accounts has its centre at its rep's home, or else at the mean of all
// accounts. It lets a plan read from a file be scored as Solve scores its
// own. assign must hold one territory index in 0..p.K()-1 per account.
func PlaceCentres(p *territory.Problem, assign []int) *territory.Plan {
	m := newModel(p)
	s := newState(m)
	for i, k := range assign {
		s.assign[i] = int32(k)
	}
	s.recount()
	s.updateCentres()
	pl := s.plan()
	copy(pl.Assign, assign)
	var all []int
	for k, r := range p.Reps {
		if s.sizes[k] > 0 || m.homes != nil {
			continue
		}
		pl.CenterAccount[k] = -1
		if r.HasHome {
			pl.Centers[k] = r.Home
			continue
		}
		if all == nil {
			all = indices(m.n)
		}
		pl.Centers[k] = spatial.Unembed(m.space, s.mean(all))
	}
	return pl
}
