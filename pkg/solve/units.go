package solve

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// UnitSolve is a plan made of units: the problem whose accounts are the
// units of a layer (and the accounts of split units), its plan, and the
// plan of the accounts that follows from it.
type UnitSolve struct {
	// Problem has one account per unit of the layer that is not split, in
	// layer order, at the unit's point, with every account measure summed
	// over the unit's accounts and "count" the number of its accounts (0
	// for an empty unit), adjacent to the units it shares a boundary
	// with; then one per account of a split unit (a pseudo-unit, in
	// account order), at the account, with the account's measures,
	// adjacent to its neighbours in a triangulation of the pseudo-units
	// and of the points of the units around them (see SolveUnits).
	Problem *territory.Problem
	// UnitPlan is Problem's plan.
	UnitPlan *territory.Plan
	Stats    Stats
	// Plan is the plan of the accounts: every account in its unit's
	// territory, or its own as a pseudo-unit; its centres placed for that
	// assignment (PlaceCentres), and Plan.Units says how it covers the
	// layer.
	Plan *territory.Plan
}

// splitUnits says which of the units are split. A unit whose load under
// some rule is above every territory's band for the rule (the largest
// upper bound among the territories) cannot be whole in any territory
// without breaking the rule: its accounts are then assigned one by one.
func splitUnits(p *territory.Problem, of []int, units int) []bool {
	split := make([]bool, units)
	for _, r := range p.Rules {
		bands := p.Bands(r)
		hi := math.Inf(-1)
		for _, b := range bands {
			hi = math.Max(hi, b.Hi)
		}
		if math.IsInf(hi, 1) {
			continue
		}
		w := p.Accounts.Weights(r.Measure)
		load := make([]float64, units)
		for i, j := range of {
			load[j] += w[i]
		}
		for j, v := range load {
			if v > hi {
				split[j] = true
			}
		}
	}
	return split
}

// lumpyUnits reports whether the units kept whole (not split) are too
// lumpy for a plan of whole units to meet some rule: when the median unit
// with accounts weighs more than the narrowest band is wide, a boundary
// moved by one unit jumps over the band, and only a lucky sum of units
// lands in it. Measured: a million accounts into the 3,220 US counties
// for 1,000 territories at count:2% (a median county of 86 accounts, a
// band 40 wide): the plan of units took 4.5 minutes and the rebalance of
// its accounts 3.5 more, and both left over a hundred territories out of
// their bands. Not lumpy: 100,000 accounts into the counties for 100
// territories at 3% (10 accounts, 60 wide: the plan of units came close),
// Georgia's 159 counties into 30 territories at revenue:5% (0.25% of the
// revenue, 0.33% wide: met with two counties split).
func lumpyUnits(p *territory.Problem, of []int, split []bool) bool {
	for _, r := range p.Rules {
		width := math.Inf(1)
		for _, b := range p.Bands(r) {
			width = math.Min(width, b.Hi-b.Lo)
		}
		if math.IsInf(width, 0) || width < 0 {
			continue
		}
		w := p.Accounts.Weights(r.Measure)
		load := make([]float64, len(split))
		has := make([]bool, len(split))
		for i, j := range of {
			if !split[j] {
				load[j] += w[i]
				has[j] = true
			}
		}
		var loads []float64
		for j, v := range load {
			if has[j] {
				loads = append(loads, v)
			}
		}
		if len(loads) == 0 {
			continue
		}
		slices.Sort(loads)
		if loads[len(loads)/2] > width {
			return true
		}
	}
	return false
}

// SolveUnits solves problem p as a plan made of the units of layer, in
// which account i lies in unit of[i] (see features.Layer.Place): every
// unit goes to one territory, empty units too, so that the plan covers
// the whole layer, and every account goes with its unit. The units are
// solved as polygon accounts are, by Solve, on a problem whose accounts
// are the units (see UnitSolve.Problem): their measures are the sums of
// their accounts', they are adjacent where they share a boundary, and with
// regions (or Contiguous) every territory is one connected group of units.
// An empty unit weighs nothing in any rule; it goes to a neighbouring
// territory by compactness and contiguity. Without a Weight every unit
// counts once in the objective.
//
// A unit heavier than a territory's band (its load under some rule above
// the largest upper bound of the rule's bands: a downtown ZIP code with a
// key account, a county of millions) cannot be whole in any territory. It
// is split: its accounts take its place in the problem as pseudo-units,
// one per account at the account's location, each adjacent to its
// neighbours in a Delaunay triangulation of the pseudo-units and of the
// points of the units next to split ones (an edge kept only between
// pseudo-units of one unit or of adjacent units, and between a pseudo-unit
// and a unit adjacent to its own). The split unit's default owner, the
// territory of new accounts there, is the territory of most of its
// accounts (the lowest in territory order on a tie).
//
// Whole units may still not meet the rules: a county of 800 accounts in a
// band 40 accounts wide fits no plan. When the plan of units breaks a
// rule, its accounts are rebalanced one by one (rebalanceAccounts): each
// starts in its unit's territory, and only the moves the rules need are
// made. The accounts that move are exceptions, and their units become
// split, with the territory of most of their accounts as default owner.
// Locks, owners' moves and groups are not supported with units.
func SolveUnits(ctx context.Context, p *territory.Problem, layer *territory.UnitLayer, of []int, opt Options) (*UnitSolve, error) {
	n, m := p.Accounts.Len(), layer.Len()
	if len(of) != n {
		return nil, fmt.Errorf("solve: units of %d accounts for %d accounts", len(of), n)
	}
	if p.Grouped() || opt.CapMoves || slices.Contains(p.Accounts.Locked, true) {
		return nil, fmt.Errorf("solve: units: groups, locked accounts and a cap on moves are not supported with a unit layer yet")
	}
	split := splitUnits(p, of, m)
	if opt.wholeUnits {
		clear(split)
	}

	// The units kept whole, in layer order, then the pseudo-units.
	index := make([]int, m) // unit -> account of the unit problem, -1 when split
	kept := 0
	for j := range index {
		index[j] = -1
		if !split[j] {
			index[j] = kept
			kept++
		}
	}
	var pseudo []int // the accounts of split units, in account order
	for i, j := range of {
		if split[j] {
			pseudo = append(pseudo, i)
		}
	}
	size := kept + len(pseudo)
	if size < p.K() {
		return nil, fmt.Errorf("solve: units: %d territories for %d units: every territory needs at least one unit", p.K(), size)
	}
	at := func(i int) int { // account of p -> account of the unit problem
		if k := index[of[i]]; k >= 0 {
			return k
		}
		k, _ := slices.BinarySearch(pseudo, i)
		return kept + k
	}
	of2 := make([]int, n)
	for i := range of2 {
		of2[i] = at(i)
	}

	up := &territory.Problem{
		Space:     p.Space,
		Reps:      p.Reps,
		Rules:     p.Rules,
		Objective: p.Objective,
		Center:    p.Center,
		Weight:    p.Weight,
	}
	ua := &up.Accounts
	ua.Source = layer.Source
	ua.IDs = make([]string, size)
	ua.Locs = make([]territory.Point, size)
	for j, k := range index {
		if k >= 0 {
			ua.IDs[k] = "u" + strconv.Itoa(j)
			ua.Locs[k] = layer.Locs[j]
		}
	}
	for q, i := range pseudo {
		ua.IDs[kept+q] = "a" + strconv.Itoa(i)
		ua.Locs[kept+q] = p.Accounts.Locs[i]
	}
	hasCount := false
	for _, ms := range p.Accounts.Measures {
		v := make([]float64, size)
		for i, k := range of2 {
			v[k] += ms.Values[i]
		}
		ua.Measures = append(ua.Measures, territory.Measure{Name: ms.Name, Column: ms.Column, Values: v})
		hasCount = hasCount || ms.Name == territory.CountMeasure
	}
	if !hasCount {
		v := make([]float64, size)
		for _, k := range of2 {
			v[k]++
		}
		ua.Measures = append(ua.Measures, territory.Measure{Name: territory.CountMeasure, Column: "accounts", Values: v})
	}
	up.Adjacency = unitGraph(p, layer, index, kept, pseudo, of)

	// Units too lumpy for the rules skip the plan of units: the accounts
	// are solved as points at once.
	lumpy := !opt.wholeUnits && lumpyUnits(p, of, split)
	assign := make([]int, n)
	var plan *territory.Plan
	var st Stats
	if !lumpy {
		var err error
		if plan, st, err = Solve(ctx, up, opt); err != nil {
			return nil, err
		}
		for i, k := range of2 {
			assign[i] = plan.Assign[k]
		}
	}
	rebuilt := false // the accounts' plan is no longer the plan of units'
	if lumpy || !st.Feasible && !opt.wholeUnits {
		unitStats := st
		var g *graph // the graph the accounts are kept connected in
		if !lumpy {
			// Whole units cannot meet the rules: the accounts are
			// rebalanced one by one, and the units they leave become split.
			// The plan of units is connected by shared boundaries, and the
			// rebalance keeps it so (accountGraph).
			g = accountGraph(p, layer, of)
			var err error
			if st, err = rebalanceAccounts(ctx, p, assign, g, opt, unitStats); err != nil {
				return nil, err
			}
		}
		if lumpy || !st.Feasible {
			// A region plan of the accounts, its units made whole where
			// the bands allow (tidyUnits). It is connected in the accounts'
			// triangulation: kept to accountGraph, a million accounts into
			// the counties left 19 and 31 territories out of their bands
			// (the cells of its power diagram reach across water, and the
			// repair may not follow them).
			again := slices.Clone(assign)
			ast, err := solveAccounts(ctx, p, again, nil, opt, unitStats, false)
			if err != nil {
				return nil, err
			}
			if lumpy || ast.Feasible {
				st = ast
				copy(assign, again)
				ap := *p
				ap.Adjacency = nil
				g = newGraph(&ap, newModel(&ap))
			}
		}
		rebuilt = true
		st.Moves += tidyUnits(p, layer, assign, of, split, g)
		for round := 0; round < mendRounds && st.Feasible; round++ {
			n, err := mendCrossings(ctx, p, layer, assign, of, split, g, opt)
			if err != nil {
				return nil, err
			}
			if n == 0 {
				break
			}
			st.Moves += n
		}
		split = unitsInPieces(of, assign, m, split)
	}
	// Owners (unitowners.go): an empty unit keeps its territory in the
	// plan of units, unless the accounts were solved again apart from it.
	var planned []int
	if !rebuilt {
		planned = make([]int, m)
		for j, k := range index {
			if k >= 0 {
				planned[j] = plan.Assign[k]
			}
		}
	}
	owner := newUnitTable(p, layer, of, assign, split).owners(planned)
	if plan == nil {
		// The plan of the unit problem that the owners and accounts make.
		ua := make([]int, size)
		for j, k := range index {
			if k >= 0 {
				ua[k] = owner[j]
			}
		}
		for q, i := range pseudo {
			ua[kept+q] = assign[i]
		}
		plan = PlaceCentres(up, ua)
	}
	pl := PlaceCentres(p, assign)
	pl.Units = &territory.UnitPlan{Layer: layer, Of: of, Owner: owner, Split: split}
	return &UnitSolve{Problem: up, UnitPlan: plan, Stats: st, Plan: pl}, nil
}

// unitGraph is the adjacency of the unit problem: the layer's, among the
// units kept whole (index[j] is unit j's account, -1 for a split unit),
// and the pseudo-units' (accounts kept+q for pseudo[q], of split units),
// from a Delaunay triangulation of the pseudo-units and of the points of
// the kept units adjacent to a split unit.
func unitGraph(p *territory.Problem, layer *territory.UnitLayer, index []int, kept int, pseudo []int, of []int) [][]int32 {
	size := kept + len(pseudo)
	adj := make([][]int32, size)
	for j, nb := range layer.Adjacency {
		a := index[j]
		if a < 0 {
			continue
		}
		for _, o := range nb {
			if b := index[o]; b >= 0 {
				adj[a] = append(adj[a], int32(b))
			}
		}
	}
	if len(pseudo) == 0 {
		return adj
	}
	// unitOf gives the layer unit of every account of the unit problem.
	unitOf := make([]int, size)
	for j, k := range index {
		if k >= 0 {
			unitOf[k] = j
		}
	}
	for q, i := range pseudo {
		unitOf[kept+q] = of[i]
	}
	adjacent := func(a, b int) bool {
		_, ok := slices.BinarySearch(layer.Adjacency[a], int32(b))
		return ok
	}
	// The points to triangulate: the pseudo-units, then the kept units
	// next to a split unit.
	nodes := make([]int, 0, len(pseudo))
	for q := range pseudo {
		nodes = append(nodes, kept+q)
	}
	for j, k := range index {
		if k < 0 {
			continue
		}
		if slices.ContainsFunc(layer.Adjacency[j], func(o int32) bool { return index[o] < 0 }) {
			nodes = append(nodes, k)
		}
	}
	pts := make([]territory.Point, len(nodes))
	for x, k := range nodes {
		if k >= kept {
			pts[x] = p.Accounts.Locs[pseudo[k-kept]]
		} else {
			pts[x] = layer.Locs[unitOf[k]]
		}
	}
	link := func(a, b int) {
		adj[a] = append(adj[a], int32(b))
		adj[b] = append(adj[b], int32(a))
	}
	linked := make(map[[2]int]bool) // (split unit, kept unit) pairs joined
	for x, nb := range spatial.ProximityGraph(p.Space, pts, nil) {
		a := nodes[x]
		for _, y := range nb {
			b := nodes[y]
			if a >= b || a < kept && b < kept {
				continue // each edge once; kept units are joined by the layer
			}
			ua, ub := unitOf[a], unitOf[b]
			if ua != ub && !adjacent(ua, ub) {
				continue
			}
			link(a, b)
			if a < kept {
				linked[[2]int{ub, ua}] = true
			}
		}
	}
	// A kept unit next to a split one that the triangulation did not join
	// to it is joined to the split unit's account nearest to its point.
	members := make([][]int, len(index)) // split unit -> its pseudo-units
	for q, i := range pseudo {
		members[of[i]] = append(members[of[i]], q)
	}
	for j, k := range index {
		if k < 0 {
			continue
		}
		for _, o := range layer.Adjacency[j] {
			if index[o] >= 0 || linked[[2]int{int(o), j}] {
				continue
			}
			near, best := -1, math.Inf(1)
			c := spatial.Embed(p.Space, layer.Locs[j])
			for _, q := range members[o] {
				if d := spatial.Dist2(c, spatial.Embed(p.Space, p.Accounts.Locs[pseudo[q]])); d < best {
					near, best = q, d
				}
			}
			if near >= 0 {
				link(k, kept+near)
			}
		}
	}
	for a := range adj {
		slices.Sort(adj[a])
		adj[a] = slices.Compact(adj[a])
	}
	return adj
}

// rebalanceAccounts rebalances assign, a plan of p's accounts made of
// whole units that breaks a rule, account by account: every account
// starts in its unit's territory and only the moves the rules need are
// made (Options.Rebalance), every territory connected in g. It
// leaves the result in assign and returns its stats. A county of 800
// accounts in a band 40 accounts wide is whole in no plan that meets the
// band: the accounts that move are the plan's named exceptions, and their
// units are split.
func rebalanceAccounts(ctx context.Context, p *territory.Problem, assign []int, g *graph, opt Options, unitStats Stats) (Stats, error) {
	return solveAccounts(ctx, p, assign, g, opt, unitStats, true)
}

// unitsInPieces returns split with every unit whose accounts lie in more
// than one territory marked as well.
func unitsInPieces(of, assign []int, units int, split []bool) []bool {
	out := slices.Clone(split)
	first := make([]int, units)
	for j := range first {
		first[j] = -1
	}
	for i, j := range of {
		switch {
		case first[j] < 0:
			first[j] = assign[i]
		case first[j] != assign[i]:
			out[j] = true
		}
	}
	return out
}

// seedEmpty gives every territory without an account whose rep has a home
// the account nearest that home (of a territory with accounts to spare),
// so that the rebalance, which grows territories across their
// boundaries, can grow it: a territory of no account has no boundary.
func seedEmpty(p *territory.Problem, assign []int) {
	sizes := make([]int, p.K())
	for _, k := range assign {
		sizes[k]++
	}
	for k, r := range p.Reps {
		if sizes[k] > 0 || !r.HasHome {
			continue
		}
		home := spatial.Embed(p.Space, r.Home)
		best, bestD := -1, math.Inf(1)
		for i, l := range p.Accounts.Locs {
			if sizes[assign[i]] < 2 {
				continue
			}
			if d := spatial.Dist2(spatial.Embed(p.Space, l), home); d < bestD {
				best, bestD = i, d
			}
		}
		if best >= 0 {
			sizes[assign[best]]--
			assign[best] = k
			sizes[k]++
		}
	}
}
