package solve

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// induced returns the graph of the accounts idx in g: their edges among
// themselves, numbered as idx numbers them.
func (g *graph) induced(idx []int) *graph {
	pos := make(map[int32]int32, len(idx))
	for j, i := range idx {
		pos[int32(i)] = int32(j)
	}
	sub := func(lists [][]int32) [][]int32 {
		out := make([][]int32, len(idx))
		for j, i := range idx {
			for _, nb := range lists[i] {
				if q, ok := pos[nb]; ok {
					out[j] = append(out[j], q)
				}
			}
		}
		return out
	}
	return &graph{adj: sub(g.adj), near: sub(g.near)}
}

// Reps who share an office. With centres at the reps' homes, reps at one
// address are the same distance from every account: only balance tells
// them apart, and a power diagram (regions.go) gives their common cell to
// the one of lowest price and nothing to the others. Their objective does
// not care how they split their office's area, so a region plan splits it
// in two levels:
//
//  1. The office problem: every office one rep, at the office, with the
//     capacity of its reps together. Its bands are the sums of its reps'
//     bands (a tolerance rule's target scales with capacity, and so do
//     min and max), so an office's accounts fit its reps exactly when
//     they fit the office's band.
//  2. For every office of several reps, its accounts are split among its
//     reps as a problem of its own with free centres (compact regions
//     inside the office's region), whose rules are every rep's band of the
//     whole problem, as min and max per unit of capacity (so a rep's band
//     is the one it has in the whole problem, not a share of its office's
//     total).
//
// Both levels are solved by Solve itself.

// sharedHomes returns the groups of territories whose reps share a home,
// each in rep order, the groups in order of their first rep; nil when no
// two reps share one.
func sharedHomes(p *territory.Problem) [][]int {
	byHome := make(map[territory.Point]int)
	var groups [][]int
	for k, r := range p.Reps {
		g, ok := byHome[r.Home]
		if !ok {
			g = len(groups)
			byHome[r.Home] = g
			groups = append(groups, nil)
		}
		groups[g] = append(groups[g], k)
	}
	if len(groups) == len(p.Reps) {
		return nil
	}
	return groups
}

// officeProblem is the problem whose reps are the offices: office g has
// the id, name and home of its first rep and its reps' capacity. Owners
// and locks name the office of their rep.
func officeProblem(p *territory.Problem, groups [][]int) *territory.Problem {
	op := *p
	op.Reps = make([]territory.Rep, len(groups))
	office := make(map[string]string, len(p.Reps)) // rep id -> office rep id
	for g, ks := range groups {
		r := p.Reps[ks[0]]
		r.Capacity = 0
		for _, k := range ks {
			r.Capacity += p.Reps[k].Capacity
			office[p.Reps[k].ID] = r.ID
		}
		op.Reps[g] = r
	}
	if p.Accounts.Owners != nil {
		op.Accounts.Owners = make([]string, len(p.Accounts.Owners))
		for i, o := range p.Accounts.Owners {
			op.Accounts.Owners[i] = office[o]
		}
	}
	return &op
}

// officeSplit is the problem of splitting the accounts idx among the reps
// ks of one office, with free centres (the caller gives it every rep's
// band in the whole problem: see bandsOf).
func officeSplit(p *territory.Problem, idx []int, ks []int) *territory.Problem {
	a := &p.Accounts
	sub := territory.Accounts{
		IDs:    make([]string, len(idx)),
		Locs:   make([]territory.Point, len(idx)),
		Source: a.Source,
	}
	for j, i := range idx {
		sub.IDs[j] = a.IDs[i]
		sub.Locs[j] = a.Locs[i]
	}
	if a.Rows != nil {
		sub.Rows = make([]int, len(idx))
		for j, i := range idx {
			sub.Rows[j] = a.Rows[i]
		}
	}
	for _, m := range a.Measures {
		v := make([]float64, len(idx))
		for j, i := range idx {
			v[j] = m.Values[i]
		}
		sub.Measures = append(sub.Measures, territory.Measure{Name: m.Name, Column: m.Column, Values: v})
	}
	inOffice := make(map[string]bool, len(ks))
	for _, k := range ks {
		inOffice[p.Reps[k].ID] = true
	}
	if a.Owners != nil {
		sub.Owners = make([]string, len(idx))
		for j, i := range idx {
			if inOffice[a.Owners[i]] {
				sub.Owners[j] = a.Owners[i]
			}
		}
	}
	if a.Locked != nil {
		sub.Locked = make([]bool, len(idx))
		for j, i := range idx {
			sub.Locked[j] = a.Locked[i] && sub.Owners != nil && sub.Owners[j] != ""
		}
	}
	sp := &territory.Problem{
		Space:     p.Space,
		Accounts:  sub,
		Objective: p.Objective,
		Center:    territory.CenterMean,
		Weight:    p.Weight,
	}
	for _, k := range ks {
		sp.Reps = append(sp.Reps, p.Reps[k])
	}
	sp.Rules = p.Rules
	return sp
}

// bandsOf returns the bands of the rules of p for groups of its reps: the
// sum of the bands of every group's reps, [rule][group].
func bandsOf(p *territory.Problem, groups [][]int) [][]territory.Band {
	out := make([][]territory.Band, len(p.Rules))
	for r, rule := range p.Rules {
		bands := p.Bands(rule)
		out[r] = make([]territory.Band, len(groups))
		for g, ks := range groups {
			for _, k := range ks {
				out[r][g].Target += bands[k].Target
				out[r][g].Lo += bands[k].Lo
				out[r][g].Hi += bands[k].Hi
			}
		}
	}
	return out
}

// solveOffices solves a region plan for a problem whose reps share homes
// (see the top of this file): the office problem, then every office of
// several reps on its own. The plan's centres are the reps' homes, as the
// problem says.
func solveOffices(ctx context.Context, p *territory.Problem, opt Options, groups [][]int) (*territory.Plan, Stats, error) {
	start := time.Now()
	limit := func() time.Duration {
		if opt.TimeLimit <= 0 {
			return 0
		}
		return max(time.Millisecond, opt.TimeLimit-time.Since(start))
	}
	var st Stats
	progress := func(phase string, done float64) {
		if opt.Progress != nil {
			opt.Progress(phase, done)
		}
	}
	oopt := opt
	oopt.TimeLimit = limit()
	oopt.Progress = func(phase string, done float64) { progress(phase, done/2) }
	oopt.bands = bandsOf(p, groups)
	op, ost, err := Solve(ctx, officeProblem(p, groups), oopt)
	if err != nil {
		return nil, ost, err
	}
	st.add(ost)
	m := newModel(p)
	full := newGraph(p, m)
	members := make([][]int, len(groups))
	for i, g := range op.Assign {
		members[g] = append(members[g], i)
	}
	assign := make([]int, p.Accounts.Len())
	done := 0
	for g, ks := range groups {
		idx := members[g]
		if len(ks) == 1 || len(idx) == 0 {
			for _, i := range idx {
				assign[i] = ks[0]
			}
			continue
		}
		sopt := opt
		sopt.TimeLimit = limit()
		sopt.Progress = nil
		sopt.graph = full.induced(idx)
		sopt.oneStart = true
		each := make([][]int, len(ks))
		for j, k := range ks {
			each[j] = []int{k}
		}
		sopt.bands = bandsOf(p, each)
		split := officeSplit(p, idx, ks)
		sp, sst, err := Solve(ctx, split, sopt)
		if err != nil {
			return nil, st, err
		}
		st.add(sst)
		if !sst.Feasible {
			// One start fits most offices; one that it leaves out of
			// balance gets the starts of a problem of its size.
			sopt.oneStart = false
			sopt.TimeLimit = limit()
			retry, rst, err := Solve(ctx, split, sopt)
			if err != nil {
				return nil, st, err
			}
			st.add(rst)
			if rst.Feasible {
				sp = retry
			}
		}
		for j, i := range idx {
			assign[i] = ks[sp.Assign[j]]
		}
		done += len(idx)
		progress("offices", 0.5+0.5*float64(done)/float64(len(assign)))
	}
	s := newState(m)
	for i, k := range assign {
		s.assign[i] = int32(k)
	}
	s.recount()
	if s.violation() > 0 {
		// An office whose accounts its reps could not split within their
		// bands trades with the territories of its neighbours: the
		// repair of the whole plan, boundary moves that keep every
		// territory connected.
		seed := opt.Seed
		if seed == 0 {
			seed = DefaultSeed
		}
		ls := newLocalSearch(s, rand.New(rand.NewPCG(seed, 0x0ff1ce)))
		ls.contig = newContiguity(full, s)
		ls.priced = true
		ls.cand = s.candidates()
		b := opt.Effort.budget()
		if err := ls.repair(ctx, b.repairSweeps, s.costScale()); err != nil {
			return nil, st, err
		}
		if err := ls.lastRepair(ctx, b); err != nil {
			return nil, st, err
		}
		st.Moves += ls.moves
	}
	st.Feasible = s.violation() == 0
	st.Cost = s.objective()
	st.Connected = newContiguity(full, s).connected()
	pl := s.plan()
	if lb, scope, ok := LowerBound(p, pl); ok {
		st.LowerBound, st.BoundScope = lb, scope
	}
	return pl, st, nil
}

// add counts the work of another solve into st.
func (st *Stats) add(o Stats) {
	st.Starts += o.Starts
	st.Rounds += o.Rounds
	st.Moves += o.Moves
	st.TimeLimitHit = st.TimeLimitHit || o.TimeLimitHit
}
