package solve

import (
	"math"

	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// boundWorkLimit caps the work of the lower bound: accounts × territories
// × iterations. Larger problems get no bound.
const boundWorkLimit = 400_000_000

// boundIterations is how many subgradient steps the bound takes.
const boundIterations = 300

// lowerBound computes a lower bound on the cost of any assignment that
// meets every rule, with the centres where they are in s: the Lagrangian
// dual of the assignment problem. Relaxing the bands with multipliers
// λ⁺ ≥ 0 (upper bounds) and λ⁻ ≥ 0 (lower bounds) gives
//
//	L(λ) = Σ_i min_k [c(i,k) + Σ_r (λ⁺_rk − λ⁻_rk) w_ri] − Σ_rk λ⁺_rk hi_rk + Σ_rk λ⁻_rk lo_rk
//
// which is at most the cost of every feasible assignment, for any λ.
// Subgradient ascent with Polyak steps towards the plan's own cost raises
// it. Every account considers every territory (not only its candidates),
// as a bound must. With centres fixed at the reps' homes the bound holds
// for the problem itself; with movable centres it bounds the assignment to
// the final centres, so a small gap says the assignment is near-optimal
// for them. Locked accounts count at their owner's territory. It returns
// false when the problem is too large for the work limit.
func (s *state) lowerBound() (float64, bool) {
	m := s.m
	if m.n*m.k*boundIterations > boundWorkLimit || m.n == 0 {
		return 0, false
	}
	upper := 0.0 // the plan's own cost, without stickiness
	for i, k := range s.assign {
		upper += m.cost(spatial.Dist2(m.pts[i], s.centres[k]))
	}
	R := m.rules()
	plus := make([][]float64, R)
	minus := make([][]float64, R)
	gradPlus := make([][]float64, R)  // load − hi
	gradMinus := make([][]float64, R) // lo − load
	for r := range plus {
		plus[r] = make([]float64, m.k)
		minus[r] = make([]float64, m.k)
		gradPlus[r] = make([]float64, m.k)
		gradMinus[r] = make([]float64, m.k)
	}
	// The cost of every account in every territory, computed once.
	cost := make([]float64, m.n*m.k)
	for i := range m.n {
		for k := range m.k {
			cost[i*m.k+k] = m.cost(spatial.Dist2(m.pts[i], s.centres[k]))
		}
	}
	loads := make([][]float64, R)
	for r := range loads {
		loads[r] = make([]float64, m.k)
	}
	best := math.Inf(-1)
	theta := 1.0
	sinceBest := 0
	for iter := 0; iter < boundIterations; iter++ {
		for r := range loads {
			clear(loads[r])
		}
		value := 0.0
		for i := range m.n {
			row := cost[i*m.k : (i+1)*m.k]
			bestK, bestV := -1, math.Inf(1)
			if m.fixed(i) {
				bestK = int(m.owner[i])
				bestV = row[bestK]
				for r, w := range m.w {
					bestV += float64((plus[r][bestK] - minus[r][bestK]) * w[i])
				}
			} else {
				for k, c := range row {
					v := c
					for r, w := range m.w {
						v += float64((plus[r][k] - minus[r][k]) * w[i])
					}
					if v < bestV {
						bestK, bestV = k, v
					}
				}
			}
			value += bestV
			for r, w := range m.w {
				loads[r][bestK] += w[i]
			}
		}
		norm := 0.0
		for r := range plus {
			for k := range m.k {
				hi, lo := m.hi[r][k], m.lo[r][k]
				if !math.IsInf(hi, 1) {
					value -= plus[r][k] * hi
				}
				if !math.IsInf(lo, -1) {
					value += minus[r][k] * lo
				}
				// Subgradients: load − hi for λ⁺ and lo − load for λ⁻,
				// kept only where a step can move the multiplier.
				gp, gm := 0.0, 0.0
				if !math.IsInf(hi, 1) {
					gp = loads[r][k] - hi
					if plus[r][k] == 0 && gp < 0 {
						gp = 0
					}
				}
				if !math.IsInf(lo, -1) {
					gm = lo - loads[r][k]
					if minus[r][k] == 0 && gm < 0 {
						gm = 0
					}
				}
				gradPlus[r][k], gradMinus[r][k] = gp, gm
				norm += float64(gp*gp) + float64(gm*gm)
			}
		}
		if improved := value > best; improved && (math.IsInf(best, -1) || value-best > 1e-9*math.Abs(best)) {
			best, sinceBest = value, 0
		} else if improved {
			best = value
		} else if sinceBest++; sinceBest >= 10 {
			theta /= 2
			sinceBest = 0
		}
		if norm == 0 {
			break // the relaxed assignment is feasible: L equals its cost
		}
		step := theta * math.Max(upper-value, 1e-9*math.Abs(upper)) / norm
		for r := range plus {
			for k := range m.k {
				plus[r][k] = math.Max(0, plus[r][k]+float64(step*gradPlus[r][k]))
				minus[r][k] = math.Max(0, minus[r][k]+float64(step*gradMinus[r][k]))
			}
		}
	}
	return math.Min(best, upper), true
}

// LowerBound returns a lower bound on the objective for plan pl of problem
// p (the bound of Stats.LowerBound: see lowerBound) and its scope,
// "problem" or "assignment"; ok is false when the problem is too large.
// Evaluating a plan read from a file gets the same bound as Solve reported
// for it.
func LowerBound(p *territory.Problem, pl *territory.Plan) (value float64, scope string, ok bool) {
	m := newModel(p)
	s := newState(m)
	for i, k := range pl.Assign {
		s.assign[i] = int32(k)
	}
	s.recount()
	for k, c := range pl.Centers {
		s.centres[k] = spatial.Embed(p.Space, c)
	}
	value, ok = s.lowerBound()
	if !ok {
		return 0, "", false
	}
	if m.homes != nil {
		return value, "problem", true
	}
	return value, "assignment", true
}
