package solve

import (
	"context"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/territory-optimizer/territory/pkg/parallel"
	"github.com/territory-optimizer/territory/pkg/spatial"
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
// in two levels (reps at homes close together share an office as well:
// officegroups.go):
//
//  1. The office problem: every office one rep, at the office, with the
//     capacity of its reps together. Its bands are the sums of its reps'
//     bands (a tolerance rule's target scales with capacity, and so do
//     min and max), so an office's accounts fit its reps exactly when
//     they fit the office's band.
//  2. For every office of several reps, its accounts are split among its
//     reps by straight cuts (officecuts.go), each rep within its band of
//     the whole problem. An office that cuts cannot split is split as a
//     problem of its own with free centres (compact regions inside the
//     office's region), whose rules are every rep's band of the whole
//     problem, as min and max per unit of capacity (so a rep's band is the
//     one it has in the whole problem, not a share of its office's total).
//
// The office problem is solved by Solve itself, with the hull pass
// between offices (hulls.go), and so are the splits that cuts cannot
// make.

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
// sum of the bands of every group's reps, [rule][group]. A group g with
// narrow[g] set keeps officeSlack of that band's width about its target.
func bandsOf(p *territory.Problem, groups [][]int, narrow []bool) [][]territory.Band {
	out := make([][]territory.Band, len(p.Rules))
	for r, rule := range p.Rules {
		bands := p.Bands(rule)
		out[r] = make([]territory.Band, len(groups))
		for g, ks := range groups {
			b := &out[r][g]
			for _, k := range ks {
				b.Target += bands[k].Target
				b.Lo += bands[k].Lo
				b.Hi += bands[k].Hi
			}
			if narrow != nil && narrow[g] {
				b.Lo = b.Target - (b.Target-b.Lo)*officeSlack
				b.Hi = b.Target + (b.Hi-b.Target)*officeSlack
			}
		}
	}
	return out
}

// officeSlack is the share of its band an office of several reps keeps in
// the office problem when the bands are narrowed: an office whose
// accounts sit at the edge of its band leaves every one of its reps at the
// edge of theirs, which a split of accounts of uneven weight rarely meets;
// one inside its band leaves them room. But a narrower band makes the
// office problem's repair move more accounts, which frays boundaries. So
// a problem of fewer than officeNarrowFrom accounts is solved with the
// whole bands first, and with narrowed ones only when a split breaks a
// rule or cuts cannot split an office (the plan that breaks the rules
// less is kept, and of two that break them alike the one with fewer
// accounts inside other territories' hulls); a larger one, where a split
// breaks rules almost always and a second solve costs seconds, is
// narrowed at once. Measured (accounts with whales, reps in shared offices):
//
//	accounts, offices   whole bands                       narrowed
//	4,000, 7            1.8% inside another hull          5.8%
//	100,000, 50         5.6%, rules met after repair      3.7%, splits met
//	200,000, 100        14.4%, 1 rule broken              8.3%, rules met
const (
	officeSlack      = 0.5
	officeNarrowFrom = 50_000
)

// officeHullShare divides the most accounts the hull pass takes on
// (hulls.go) for the office problem: a quarter of the whole plan's limit,
// 5,000 accounts at normal effort. Between offices the pass lowers the
// share inside another hull on twelve 3,000 x 12 examples from 1.00% to
// 0.67% on average at 3% (0.38% to 0.29% at 5%) in a fraction of a
// second; on 10,000 x 100 (55 offices, 2%) it took 4 s of 12 for 6.6% to
// 5.4%.
const officeHullShare = 4

// offices is the work of solveOffices: the problem, its groups of reps at
// one home, the graph of its accounts and the options of the splits.
type offices struct {
	p      *territory.Problem
	opt    Options
	groups [][]int
	full   *graph
	m      *model            // the whole problem's
	xy     []territory.Point // the accounts, projected
	limit  func() time.Duration
	// progress hears the accounts split so far, from one goroutine at a
	// time.
	progress func(accounts int)
}

// officeResult is the split of one office's accounts among its reps.
type officeResult struct {
	assign []int // the territory of each of the office's accounts
	cut    bool  // split by straight cuts (officecuts.go)
	st     Stats
	err    error
}

// split splits the accounts members[g] of every office g of list among its
// reps, on all cores, and returns the results in list's order.
func (o *offices) split(ctx context.Context, list []int, members [][]int) []officeResult {
	// Largest first, so that the last to finish are small.
	order := slices.Clone(list)
	slices.SortStableFunc(order, func(a, b int) int { return len(members[b]) - len(members[a]) })
	at := make(map[int]int, len(list))
	for j, g := range list {
		at[g] = j
	}
	results := make([]officeResult, len(list))
	var mu sync.Mutex
	done := 0
	parallel.For(len(order), func(_, j int) {
		g := order[j]
		ks, idx := o.groups[g], members[g]
		results[at[g]] = o.splitOne(ctx, idx, ks)
		mu.Lock()
		done += len(idx)
		o.progress(done)
		mu.Unlock()
	})
	return results
}

// splitOne splits the accounts idx of one office among its reps ks: by
// straight cuts where they can, else as a problem of its own.
func (o *offices) splitOne(ctx context.Context, idx, ks []int) officeResult {
	if assign, ok := o.cut(idx, ks); ok {
		return officeResult{assign: assign, cut: true}
	}
	sopt := o.opt
	sopt.TimeLimit = o.limit()
	sopt.Progress = nil
	sopt.graph = o.full.induced(idx)
	sopt.oneStart = true
	sopt.part = true
	each := make([][]int, len(ks))
	for q, k := range ks {
		each[q] = []int{k}
	}
	sopt.bands = bandsOf(o.p, each, nil)
	sp, sst, err := Solve(ctx, officeSplit(o.p, idx, ks), sopt)
	res := officeResult{st: sst, err: err}
	if err == nil {
		res.assign = make([]int, len(idx))
		for q := range idx {
			res.assign[q] = ks[sp.Assign[q]]
		}
		o.matchReps(idx, ks, res.assign)
	}
	return res
}

// cut splits the accounts idx among the reps ks of one office by
// straight cuts (officecuts.go), when the office's accounts may go to any
// of its reps at no cost (none locked, no stickiness), the cuts meet the
// bands and every rep's piece is connected.
func (o *offices) cut(idx []int, ks []int) ([]int, bool) {
	m := o.m
	if m.stick != 0 {
		return nil, false
	}
	if m.locked != nil {
		for _, i := range idx {
			if m.locked[i] {
				return nil, false
			}
		}
	}
	assign := make([]int, len(idx))
	c := newCutter(m, o.full, o.xy)
	if !c.split(idx, ks, assign) || !c.connectedReps(idx, assign) {
		return nil, false
	}
	o.matchReps(idx, ks, assign)
	return assign, true
}

// recut splits again, by straight cuts, the accounts of every office of
// several reps one of which still breaks a rule after the repair of the
// whole plan: the repair traded with the neighbours until the office's
// accounts fit its reps' bands together, but moving accounts one at a
// time between reps at one address it may not reach a split that gives
// each rep its own band, which a cut of the office's accounts as a whole
// does at no cost. It returns how many accounts changed territory.
func (o *offices) recut(s *state) int {
	m := s.m
	broken := make([]bool, m.k)
	for r := range s.loads {
		for k, l := range s.loads[r] {
			if violation(l, m.lo[r][k], m.hi[r][k]) > 0 {
				broken[k] = true
			}
		}
	}
	office := make([]int, m.k)
	for g, ks := range o.groups {
		for _, k := range ks {
			office[k] = g
		}
	}
	members := make([][]int, len(o.groups))
	for i, k := range s.assign {
		g := office[k]
		members[g] = append(members[g], i)
	}
	moved := 0
	for g, ks := range o.groups {
		if len(ks) < 2 || !slices.ContainsFunc(ks, func(k int) bool { return broken[k] }) {
			continue
		}
		assign, ok := o.cut(members[g], ks)
		if !ok {
			continue
		}
		for j, i := range members[g] {
			if int(s.assign[i]) != assign[j] {
				s.move(i, int32(assign[j]))
				moved++
			}
		}
	}
	if moved > 0 {
		s.recount()
	}
	return moved
}

// attempt solves the office problem, every office's band narrowed to
// officeSlack of its width when narrow is set, and splits every office of
// several reps. It returns the plan put together and how many offices
// straight cuts could not split.
func (o *offices) attempt(ctx context.Context, m *model, narrow bool, progress func(string, float64), st *Stats) (*state, int, error) {
	p, groups := o.p, o.groups
	oopt := o.opt
	oopt.TimeLimit = o.limit()
	oopt.Progress = func(phase string, done float64) { progress(phase, done/2) }
	var narrowed []bool
	if narrow {
		narrowed = make([]bool, len(groups))
		for g, ks := range groups {
			narrowed[g] = len(ks) > 1
		}
	}
	oopt.bands = bandsOf(p, groups, narrowed)
	oopt.part = true
	oopt.offices = true
	oopt.graph = o.full // the same accounts: one triangulation
	// The office problem is valid as p is: no need to check it again.
	op, ost, err := solveValid(ctx, officeProblem(p, groups), oopt)
	if err != nil {
		return nil, 0, err
	}
	st.add(ost)
	members := make([][]int, len(groups))
	for i, g := range op.Assign {
		members[g] = append(members[g], i)
	}
	assign := make([]int, len(op.Assign))
	var several []int // the offices of several reps with accounts
	for g, ks := range groups {
		if len(ks) > 1 && len(members[g]) > 0 {
			several = append(several, g)
			continue
		}
		for _, i := range members[g] {
			assign[i] = ks[0]
		}
	}
	uncut := 0
	for j, res := range o.split(ctx, several, members) {
		if res.err != nil {
			return nil, 0, res.err
		}
		if !res.cut {
			uncut++
		}
		st.add(res.st)
		for q, i := range members[several[j]] {
			assign[i] = res.assign[q]
		}
	}
	s := newState(m)
	for i, k := range assign {
		s.assign[i] = int32(k)
	}
	s.recount()
	return s, uncut, nil
}

// solveOffices solves a region plan for a problem whose reps share homes
// (see the top of this file): the office problem, then every office of
// several reps on its own, on all cores, with the offices' bands whole or
// narrowed (see officeSlack); a repair of the whole plan when a split
// still breaks a rule. The plan's centres are the reps' homes, as the
// problem says.
func solveOffices(ctx context.Context, p *territory.Problem, opt Options, groups [][]int) (*territory.Plan, Stats, error) {
	start := time.Now()
	var st Stats
	var mu sync.Mutex // progress is called by one goroutine at a time
	// A phase's fraction never goes back: the office problem reports its
	// phases in their first halves, and a second attempt (or the whole
	// plan's hull pass after the office problem's) starts them again.
	reached := make(map[string]float64)
	progress := func(phase string, done float64) {
		if opt.Progress != nil {
			mu.Lock()
			done = max(done, reached[phase])
			reached[phase] = done
			opt.Progress(phase, done)
			mu.Unlock()
		}
	}
	o := &offices{p: p, opt: opt, groups: groups}
	o.limit = func() time.Duration {
		if opt.TimeLimit <= 0 {
			return 0
		}
		return max(time.Millisecond, opt.TimeLimit-time.Since(start))
	}
	n := p.Accounts.Len()
	o.progress = func(accounts int) { progress("offices", 0.5+0.5*float64(accounts)/float64(n)) }
	m := newModel(p)
	o.m = m
	o.full = opt.graph
	if o.full == nil {
		o.full = newGraph(p, m)
	}
	o.xy = spatial.Project(p.Space, p.Accounts.Locs)
	s, uncut, err := o.attempt(ctx, m, n >= officeNarrowFrom, progress, &st)
	if err != nil {
		return nil, st, err
	}
	if (s.violation() > 0 || uncut > 0) && n < officeNarrowFrom {
		again, _, err := o.attempt(ctx, m, true, progress, &st)
		if err != nil {
			return nil, st, err
		}
		if v, w := again.violation(), s.violation(); v < w || v == w && newHullPass(again, o.full).inside < newHullPass(s, o.full).inside {
			s = again
		}
	}
	if s.violation() > 0 {
		// An office whose accounts its reps still could not split within
		// their bands trades with the territories of its neighbours: the
		// repair of the whole plan, boundary moves that keep every
		// territory connected.
		seed := opt.Seed
		if seed == 0 {
			seed = DefaultSeed
		}
		ls := newLocalSearch(s, rand.New(rand.NewPCG(seed, 0x0ff1ce)))
		ls.contig = newContiguity(o.full, s)
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
		if s.violation() > 0 {
			st.Moves += o.recut(s)
		}
	}
	if p.Adjacency == nil && !st.TimeLimitHit {
		// Accounts left inside other territories' hulls (hulls.go), within
		// what is left of the time limit.
		hctx := ctx
		if opt.TimeLimit > 0 {
			var cancel context.CancelFunc
			hctx, cancel = context.WithTimeoutCause(ctx, o.limit(), errTimeLimit)
			defer cancel()
		}
		st.Moves += s.hullRepair(hctx, o.full, opt.Effort.budget().hullMost, func(f float64) { progress("shape", 0.5+f/2) })
		if ctx.Err() != nil {
			return nil, st, ctx.Err()
		}
		st.TimeLimitHit = hctx.Err() != nil
	}
	st.Feasible = s.violation() == 0
	st.Cost = s.objective()
	st.Connected = newContiguity(o.full, s).connected()
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
