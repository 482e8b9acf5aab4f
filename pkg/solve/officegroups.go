package solve

import (
	"math"

	"github.com/territory-optimizer/territory/pkg/parallel"
	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// Which reps share an office, and which rep of an office takes which of
// its pieces.
//
// Reps at one address share an office (offices.go). So, in effect, do reps
// whose homes are close next to the size of a territory: two reps in one
// metro, 80 km apart, each with a territory 500 km across. A power diagram
// parts two such homes by a straight line square to the short segment
// between them, so their two territories become strips as long as both
// together are wide, the strip's direction set by where the reps happen to
// live, not by where their accounts lie (seen on 3,000 accounts and 12
// reps at 2%: two reps near Atlanta split the East by a line from the Gulf
// to Wisconsin, 18% of the accounts inside another territory's hull). As
// one office they are cut by the straightest, most compact cut balance
// allows (officecuts.go), and each piece then goes to the rep whose home
// it is nearer (matchReps).
//
// Homes a and b are one office when they are closer than nearOffice times
// the radius of a territory at either: the distance from the home to its
// n/K-th nearest account (a territory's worth of accounts), measured on
// at most radiusSample accounts spread over the map (every s-th account
// of the solver's order, which is the map's: order.go), so that it costs
// milliseconds at a million accounts. The offices are the connected
// groups of that relation. In a city dense with accounts the radius is
// short and only reps at one address join; in the countryside homes a
// county apart do.
//
// The share is small because a shared office costs objective: its cuts
// look at the accounts, not at the homes. Measured with `territory
// example` data: the Atlanta pair above lies 0.20 radii apart (at 2%, 18%
// of the accounts inside another hull as two homes, 7.8% as one office;
// 2.07% to 1.87% at 3%; with 2,500 accounts instead of 3,000, 17.1% to
// 8.28% at 3% and 1.80% to 1.08% at 5%), another pair of 3,000 x 12 0.19 apart (plans
// alike); the demo's closest pair lies 0.35 apart, and as one office its
// objective rose 1.5% with no account inside another hull either way;
// pairs 0.40 to 0.48 apart in three 100,000 x 100 instances moved the
// accounts inside another hull by chance (0.55% to 1.05%, 1.55% to
// 1.81%, 0.77% to 0.70% at 3%). No two of the 500 offices of `territory
// example --accounts 1000000 --reps 1000` lie closer than 0.49.
const (
	nearOffice   = 0.25
	radiusSample = 20_000
)

// officeGroups returns the groups of territories whose reps share an
// office (see above), each in rep order, the groups in order of their
// first rep; nil when every rep has an office of its own.
func officeGroups(p *territory.Problem) [][]int {
	// The distinct homes, in order of their first rep.
	at := make(map[territory.Point]int)
	var homes []territory.Point
	home := make([]int, len(p.Reps))
	for k, r := range p.Reps {
		h, ok := at[r.Home]
		if !ok {
			h = len(homes)
			at[r.Home] = h
			homes = append(homes, r.Home)
		}
		home[k] = h
	}
	// Union-find over the homes; a root is the home of least index in its
	// group.
	parent := make([]int, len(homes))
	for h := range parent {
		parent[h] = h
	}
	find := func(h int) int {
		for parent[h] != h {
			parent[h] = parent[parent[h]]
			h = parent[h]
		}
		return h
	}
	if r2 := territoryRadii2(p, homes); r2 != nil {
		emb := make([]spatial.Vec3, len(homes))
		for h, loc := range homes {
			emb[h] = spatial.Embed(p.Space, loc)
		}
		for a := range homes {
			for b := a + 1; b < len(homes); b++ {
				if spatial.Dist2(emb[a], emb[b]) > nearOffice*nearOffice*math.Min(r2[a], r2[b]) {
					continue
				}
				ra, rb := find(a), find(b)
				if ra != rb {
					parent[max(ra, rb)] = min(ra, rb)
				}
			}
		}
	}
	group := make(map[int]int) // root home -> group
	var groups [][]int
	for k := range p.Reps {
		root := find(home[k])
		g, ok := group[root]
		if !ok {
			g = len(groups)
			group[root] = g
			groups = append(groups, nil)
		}
		groups[g] = append(groups[g], k)
	}
	if len(groups) == len(p.Reps) {
		return nil
	}
	return groups
}

// territoryRadii2 returns, for every home, the squared distance to its
// n/K-th nearest account, measured on a sample of the accounts (see the
// top of this file); nil when there are fewer than two homes or no
// accounts.
func territoryRadii2(p *territory.Problem, homes []territory.Point) []float64 {
	n, k := p.Accounts.Len(), len(p.Reps)
	if len(homes) < 2 || n == 0 {
		return nil
	}
	step := (n + radiusSample - 1) / radiusSample
	sample := make([]spatial.Vec3, 0, (n+step-1)/step)
	for i := 0; i < n; i += step {
		sample = append(sample, spatial.Embed(p.Space, p.Accounts.Locs[i]))
	}
	// A territory's worth of accounts, in the sample: the rank of the
	// distance wanted.
	rank := max(1, min(len(sample), int(math.Round(float64(n)/float64(k)/float64(step)))))
	r2 := make([]float64, len(homes))
	d2 := make([][]float64, parallel.Workers())
	parallel.For(len(homes), func(w, h int) {
		if d2[w] == nil {
			d2[w] = make([]float64, len(sample))
		}
		c := spatial.Embed(p.Space, homes[h])
		for i, q := range sample {
			d2[w][i] = spatial.Dist2(c, q)
		}
		r2[h] = nthSmallest(d2[w], rank-1)
	})
	return r2
}

// nthSmallest returns the value that sorting xs would put at index nth,
// reordering xs (quickselect, Hoare's partition about the middle value).
func nthSmallest(xs []float64, nth int) float64 {
	lo, hi := 0, len(xs)-1
	for lo < hi {
		pivot := xs[lo+(hi-lo)/2]
		i, j := lo, hi
		for i <= j {
			for xs[i] < pivot {
				i++
			}
			for xs[j] > pivot {
				j--
			}
			if i <= j {
				xs[i], xs[j] = xs[j], xs[i]
				i++
				j--
			}
		}
		switch {
		case nth <= j:
			hi = j
		case nth >= i:
			lo = i
		default:
			return xs[nth]
		}
	}
	return xs[nth]
}

// matchReps gives the pieces of one office's split to its reps so that
// each goes to a rep whose home it is nearer: assign[j] is the territory
// of account idx[j], one piece per rep of ks, and two reps with the same
// bands under every rule trade their pieces while that lowers the
// objective. Reps at one address cost the same for every piece and never
// trade; neither do reps whose bands differ (a part-time rep's piece is
// smaller).
func (o *offices) matchReps(idx, ks []int, assign []int) {
	m := o.m
	if m.homes == nil || len(ks) < 2 {
		return
	}
	pos := make(map[int]int, len(ks)) // territory -> its place in ks
	for q, k := range ks {
		pos[k] = q
	}
	// cost[a][b]: the objective of rep ks[b]'s piece at rep ks[a]'s home.
	cost := make([][]float64, len(ks))
	for a := range cost {
		cost[a] = make([]float64, len(ks))
	}
	for j, i := range idx {
		b := pos[assign[j]]
		for a, k := range ks {
			c := m.cost(spatial.Dist2(m.pts[i], m.homes[k]))
			if m.mult != nil {
				c *= m.mult[i]
			}
			cost[a][b] += c
		}
	}
	sameBands := func(a, b int) bool {
		for r := range m.lo {
			if m.lo[r][a] != m.lo[r][b] || m.hi[r][a] != m.hi[r][b] {
				return false
			}
		}
		return true
	}
	// owner[b] is the place in ks of the rep that takes piece b.
	owner := make([]int, len(ks))
	for b := range owner {
		owner[b] = b
	}
	for swapped := true; swapped; {
		swapped = false
		for b1 := range owner {
			for b2 := b1 + 1; b2 < len(owner); b2++ {
				r1, r2 := owner[b1], owner[b2]
				if !sameBands(ks[r1], ks[r2]) {
					continue
				}
				now := cost[r1][b1] + cost[r2][b2]
				if cost[r2][b1]+cost[r1][b2] < now-1e-9*math.Abs(now) {
					owner[b1], owner[b2] = r2, r1
					swapped = true
				}
			}
		}
	}
	for j, k := range assign {
		assign[j] = ks[owner[pos[k]]]
	}
}
