package solve

import (
	"context"
	"fmt"
	"slices"

	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// LevelPlan is one level of parents above the territories (districts,
// regions), solved as a problem of its own whose accounts are the units of
// the level below.
type LevelPlan struct {
	Level territory.Level
	// Problem has one account per unit of the level below (territories,
	// or the parents of the level before), at the mean position of the
	// unit's accounts, with every account measure summed over them, the
	// number of accounts as "count" and of territories as
	// territory.TerritoriesMeasure, and the units' adjacency; one rep per
	// parent, whose id is the parent's id.
	Problem *territory.Problem
	// Plan assigns every unit to its parent.
	Plan  *territory.Plan
	Stats Stats
}

// SolveLevels groups the territories of plan pl of problem p into the
// levels asked for, bottom up: every level is a problem whose accounts are
// the units of the level below, solved by Solve as regions, so that every
// parent is one connected group of units adjacent to each other (two
// territories are adjacent when an edge of the accounts' proximity graph
// joins them: a shared boundary for polygon units, the Delaunay
// triangulation for points) and within its level's rules. It sets
// pl.Levels and returns every level's problem and plan. Options other than
// the seed, the effort and the progress are not used.
func SolveLevels(ctx context.Context, p *territory.Problem, pl *territory.Plan, levels []territory.Level, opt Options) ([]LevelPlan, error) {
	pl.Levels = nil
	if len(levels) == 0 {
		return nil, nil
	}
	u := territoryUnits(p, pl)
	var out []LevelPlan
	for i, lv := range levels {
		if lv.K > len(u.ids) {
			return nil, fmt.Errorf("solve: level %s: %d parents for %d units below: every parent needs at least one", lv, lv.K, len(u.ids))
		}
		lp := u.problem(p.Space, lv)
		o := Options{Seed: opt.Seed, Effort: opt.Effort, Shape: Regions, Contiguous: true}
		if opt.Progress != nil {
			o.Progress = func(phase string, done float64) {
				opt.Progress("level "+lv.Name, (float64(i)+done)/float64(len(levels)))
			}
		}
		plan, st, err := Solve(ctx, lp, o)
		if err != nil {
			return nil, fmt.Errorf("solve: level %s: %w", lv, err)
		}
		pl.Levels = append(pl.Levels, territory.Parents{Level: lv.Name, IDs: lv.ParentIDs(), Of: slices.Clone(plan.Assign)})
		out = append(out, LevelPlan{Level: lv, Problem: lp, Plan: plan, Stats: st})
		u = u.parents(lv, plan.Assign)
	}
	return out, nil
}

// units are the units of one level: what a level's problem is made of.
type units struct {
	ids      []string
	sum      []spatial.Vec3 // the sum of the embedded positions of every unit's accounts
	accounts []float64      // the number of accounts of every unit
	terrs    []float64      // the number of territories under every unit
	measures []territory.Measure
	adj      [][]int32 // sorted
}

// territoryUnits makes units of the territories of pl.
func territoryUnits(p *territory.Problem, pl *territory.Plan) *units {
	k := p.K()
	a := &p.Accounts
	u := &units{
		ids:      p.TerritoryIDs(),
		sum:      make([]spatial.Vec3, k),
		accounts: make([]float64, k),
		terrs:    make([]float64, k),
	}
	for t := range u.terrs {
		u.terrs[t] = 1
	}
	for i, t := range pl.Assign {
		v := spatial.Embed(p.Space, a.Locs[i])
		s := &u.sum[t]
		s[0], s[1], s[2] = s[0]+v[0], s[1]+v[1], s[2]+v[2]
		u.accounts[t]++
	}
	for _, m := range a.Measures {
		if m.Name == territory.CountMeasure || m.Name == territory.TerritoriesMeasure {
			continue // their places are taken by the level's own
		}
		v := make([]float64, k)
		for i, t := range pl.Assign {
			v[t] += m.Values[i]
		}
		u.measures = append(u.measures, territory.Measure{Name: m.Name, Column: m.Column, Values: v})
	}
	graph := spatial.ProximityGraph(p.Space, a.Locs, p.Adjacency)
	u.adj = unitAdjacency(k, graph, pl.Assign)
	return u
}

// unitAdjacency joins two units when an edge of graph joins two of their
// members; of gives every member's unit.
func unitAdjacency(k int, graph [][]int32, of []int) [][]int32 {
	adj := make([][]int32, k)
	for i, nb := range graph {
		for _, j := range nb {
			if a, b := of[i], of[j]; a != b {
				adj[a] = append(adj[a], int32(b))
			}
		}
	}
	for t := range adj {
		slices.Sort(adj[t])
		adj[t] = slices.Compact(adj[t])
	}
	return adj
}

// parents makes the units of the next level: the parents of level lv,
// given every unit's parent.
func (u *units) parents(lv territory.Level, of []int) *units {
	k := lv.K
	next := &units{
		ids:      lv.ParentIDs(),
		sum:      make([]spatial.Vec3, k),
		accounts: make([]float64, k),
		terrs:    make([]float64, k),
	}
	for i, p := range of {
		s := &next.sum[p]
		s[0], s[1], s[2] = s[0]+u.sum[i][0], s[1]+u.sum[i][1], s[2]+u.sum[i][2]
		next.accounts[p] += u.accounts[i]
		next.terrs[p] += u.terrs[i]
	}
	for _, m := range u.measures {
		v := make([]float64, k)
		for i, p := range of {
			v[p] += m.Values[i]
		}
		next.measures = append(next.measures, territory.Measure{Name: m.Name, Column: m.Column, Values: v})
	}
	next.adj = unitAdjacency(k, u.adj, of)
	return next
}

// problem is the problem of level lv over the units.
func (u *units) problem(space territory.Space, lv territory.Level) *territory.Problem {
	n := len(u.ids)
	lp := &territory.Problem{
		Space:     space,
		Rules:     lv.Rules,
		Objective: territory.SSE,
		Center:    territory.CenterMean,
		Adjacency: u.adj,
		Reps:      make([]territory.Rep, lv.K),
	}
	for k, id := range lv.ParentIDs() {
		lp.Reps[k] = territory.Rep{ID: id, Capacity: 1}
	}
	a := &lp.Accounts
	a.IDs = u.ids
	a.Locs = make([]territory.Point, n)
	for i, s := range u.sum {
		c := max(u.accounts[i], 1)
		a.Locs[i] = spatial.Unembed(space, spatial.Vec3{s[0] / c, s[1] / c, s[2] / c})
	}
	a.Measures = append(slices.Clone(u.measures),
		territory.Measure{Name: territory.CountMeasure, Column: "accounts", Values: u.accounts},
		territory.Measure{Name: territory.TerritoriesMeasure, Column: "territories", Values: u.terrs})
	return lp
}
