package solve

import (
	"context"
	"slices"

	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// Plans of units that whole units cannot balance: a region plan of the
// accounts, then its units made whole again where the bands allow.
//
// A band 40 accounts wide (2% either side of 1,000) beside counties of
// hundreds of accounts each (a million accounts into the 3,220 US
// counties for 1,000 territories) leaves the plan of whole units far from
// the rules, and a rebalance of its accounts one by one
// (rebalanceAccounts) does not reach them all. The region plan of the
// accounts themselves (Solve on points) meets such rules. Its boundaries
// cross units, though: tidyUnits then gives every unit it split to the
// territory of most of its accounts, the other accounts following, and
// every piece of a territory's units cut off from the rest (an
// independent city inside another territory's county) to the territory
// around it, wherever every band still holds and every territory stays
// one piece; mendCrossings takes a territory's accounts home from across
// water. A unit that cannot be made whole stays split, its accounts the
// plan's named exceptions. accountGraph is the graph a rebalance keeps
// territories connected in.

// snapPasses is how many times at most the split units are gone over: a
// unit made whole frees room in a band that an earlier one needed;
// enclaveRounds how many times at most the pieces of the map of owners
// are given to their neighbours and the units snapped again.
const (
	snapPasses    = 3
	enclaveRounds = 2
)

// solveAccounts solves p's accounts as points, a region plan connected in
// g (accountGraph; nil for their triangulation), and leaves it in assign;
// it returns its stats. With rebalance, the plan starts from assign and
// makes only the moves the rules need (rebalanceAccounts).
func solveAccounts(ctx context.Context, p *territory.Problem, assign []int, g *graph, opt Options, unitStats Stats, rebalance bool) (Stats, error) {
	ap := *p
	ap.Adjacency = nil // the accounts are points: their Delaunay graph
	ap.Accounts.Locked = nil
	if rebalance {
		seedEmpty(p, assign)
		ap.Accounts.Owners = make([]string, len(assign))
		for i, k := range assign {
			ap.Accounts.Owners[i] = p.Reps[k].ID
		}
	}
	aopt := opt
	aopt.Rebalance, aopt.CapMoves, aopt.Stickiness = rebalance, false, 0
	aopt.graph, aopt.bands = g, nil
	// In their own order (not the map's, order.go): solved in the map's
	// order, the million accounts of the counties example met their rules
	// 30% sooner, but with 40 territories across water instead of 25.
	aopt.inOrder = true
	pl, st, err := Solve(ctx, &ap, aopt)
	if err != nil {
		return unitStats, err
	}
	copy(assign, pl.Assign)
	st.Starts += unitStats.Starts
	st.Rounds += unitStats.Rounds
	st.Moves += unitStats.Moves
	return st, nil
}

// snapper moves the accounts of a plan of p's accounts (points) so that
// their units are whole, wherever every band holds as well as before and
// every territory stays one piece of the accounts' graph.
type snapper struct {
	s      *state
	c      *contiguity
	byUnit [][]int // the accounts of every unit
	counts []int   // scratch: a unit's accounts by territory
}

func newSnapper(p *territory.Problem, assign, of []int, units int, g *graph) *snapper {
	ap := *p
	ap.Adjacency = nil
	m := newModel(&ap)
	s := newState(m)
	for i, k := range assign {
		s.assign[i] = int32(k)
	}
	s.recount()
	sn := &snapper{s: s, c: newContiguity(g, s), byUnit: make([][]int, units), counts: make([]int, m.k)}
	for i, j := range of {
		sn.byUnit[j] = append(sn.byUnit[j], i)
	}
	return sn
}

// tidyUnits makes whole, in assign (a plan of p's accounts, of[i] account
// i's unit of units), the units the bands allow: the split units
// (splitUnits), then the pieces of the map of owners (enclaves), then the
// split units again. It returns the accounts moved.
func tidyUnits(p *territory.Problem, layer *territory.UnitLayer, assign, of []int, split []bool, g *graph) int {
	sn := newSnapper(p, assign, of, layer.Len(), g)
	moved := sn.splitUnits()
	if n := sn.pairs(); n > 0 {
		moved += n + sn.splitUnits()
	}
	for round := 0; round < enclaveRounds; round++ {
		sn.write(assign)
		table := newUnitTable(p, layer, of, assign, split)
		n := sn.enclaves(table, table.owners(nil))
		if n == 0 {
			break
		}
		moved += n + sn.splitUnits()
	}
	sn.write(assign)
	return moved
}

// write copies the snapper's assignment into assign.
func (sn *snapper) write(assign []int) {
	for i, k := range sn.s.assign {
		assign[i] = int(k)
	}
}

// splitUnits makes whole the units the plan splits, where the rules and
// contiguity allow: units of fewest accounts outside their main territory
// (the one of most of their accounts, the lowest on a tie) first, each
// unit's other accounts moved into it (snap). It returns the accounts
// moved.
func (sn *snapper) splitUnits() int {
	s := sn.s
	moved := 0
	for pass := 0; pass < snapPasses; pass++ {
		type split struct{ unit, main, out int }
		var list []split
		for j, accs := range sn.byUnit {
			if len(accs) == 0 {
				continue
			}
			clear(sn.counts)
			for _, i := range accs {
				sn.counts[s.assign[i]]++
			}
			main := 0
			for k, v := range sn.counts {
				if v > sn.counts[main] {
					main = k
				}
			}
			if out := len(accs) - sn.counts[main]; out > 0 {
				list = append(list, split{j, main, out})
			}
		}
		slices.SortStableFunc(list, func(a, b split) int { return a.out - b.out })
		changed := false
		for _, u := range list {
			if n := sn.snap(sn.byUnit[u.unit], int32(u.main)); n > 0 {
				moved += n
				changed = true
			}
		}
		if !changed {
			break
		}
	}
	return moved
}

// enclaves gives the units of every piece of a territory in the map of
// owners other than its largest (an independent city inside a county of
// another territory) to the territory that owns most of the units around
// the piece, all its accounts at once, where the bands and contiguity
// allow. It returns the accounts moved.
func (sn *snapper) enclaves(u *unitTable, owner []int) int {
	moved := 0
	for t, ps := range u.pieces(owner) {
		for _, piece := range ps[min(1, len(ps)):] {
			best := u.around(piece, owner, t)
			if best < 0 {
				continue
			}
			var accs []int
			for _, j := range piece {
				accs = append(accs, sn.byUnit[j]...)
			}
			moved += sn.snap(accs, int32(best))
		}
	}
	return moved
}

// snap moves the accounts accs that lie outside territory main into it
// and keeps the moves when all could be made and the plan breaks its
// rules no more than before; otherwise it puts them back. It returns the
// accounts moved.
func (sn *snapper) snap(accs []int, main int32) int {
	before := sn.s.violation()
	done, ok := sn.moveAll(accs, main)
	if ok && sn.s.violation() <= before+1e-9 {
		return len(done)
	}
	sn.undo(done)
	return 0
}

// snapMove is one account moved by a snap, and where it came from.
type snapMove struct {
	i    int
	from int32
}

// moveAll moves the accounts accs that lie outside territory main into
// it, one at a time while any can move (only where it touches main and
// leaves its own territory connected), and reports whether all did.
func (sn *snapper) moveAll(accs []int, main int32) ([]snapMove, bool) {
	s, c := sn.s, sn.c
	var done []snapMove
	left := 0
	for again := true; again; {
		again, left = false, 0
		for _, i := range accs {
			from := s.assign[i]
			if from == main {
				continue
			}
			if s.canMove(i, main) && c.canMove(i, main) {
				s.move(i, main)
				done = append(done, snapMove{i, from})
				again = true
			} else {
				left++
			}
		}
	}
	return done, left == 0
}

// undo puts the moves done back, last first.
func (sn *snapper) undo(done []snapMove) {
	for _, mv := range slices.Backward(done) {
		sn.s.move(mv.i, mv.from)
	}
}

// pairs makes whole two units at once where one alone would break a band:
// units split between the same two territories the other way round (one
// mostly in a with accounts in b, the other mostly in b with accounts in
// a), so that what one snap takes from a band the other gives back. Of
// each pair of territories, the units of fewest accounts outside their
// main territory are tried first, each at most once. It returns the
// accounts moved.
func (sn *snapper) pairs() int {
	s := sn.s
	type half struct{ unit, main, out int }
	lists := make(map[[2]int32][]half) // (from, to): snapping moves from → to
	for j, accs := range sn.byUnit {
		clear(sn.counts)
		var in []int32
		for _, i := range accs {
			k := s.assign[i]
			if sn.counts[k] == 0 {
				in = append(in, k)
			}
			sn.counts[k]++
		}
		if len(in) != 2 {
			continue
		}
		main, other := in[0], in[1]
		if sn.counts[other] > sn.counts[main] || sn.counts[other] == sn.counts[main] && other < main {
			main, other = other, main
		}
		key := [2]int32{other, main}
		lists[key] = append(lists[key], half{j, int(main), sn.counts[other]})
	}
	keys := make([][2]int32, 0, len(lists))
	for key := range lists {
		if key[0] < key[1] && lists[[2]int32{key[1], key[0]}] != nil {
			keys = append(keys, key)
		}
	}
	slices.SortFunc(keys, func(a, b [2]int32) int {
		if a[0] != b[0] {
			return int(a[0] - b[0])
		}
		return int(a[1] - b[1])
	})
	moved := 0
	for _, key := range keys {
		ab, ba := lists[key], lists[[2]int32{key[1], key[0]}]
		slices.SortStableFunc(ab, func(x, y half) int { return x.out - y.out })
		slices.SortStableFunc(ba, func(x, y half) int { return x.out - y.out })
		used := make([]bool, len(ba))
		for _, x := range ab {
			for q, y := range ba {
				if used[q] {
					continue
				}
				before := s.violation()
				d1, ok1 := sn.moveAll(sn.byUnit[x.unit], int32(x.main))
				d2, ok2 := sn.moveAll(sn.byUnit[y.unit], int32(y.main))
				if ok1 && ok2 && s.violation() <= before+1e-9 {
					moved += len(d1) + len(d2)
					used[q] = true
					break
				}
				sn.undo(d2)
				sn.undo(d1)
			}
		}
	}
	return moved
}

// crossingShare is the largest share of its territory's accounts that a
// piece mendCrossings takes out holds: a larger one is a part of the
// territory, not a stray, and the rebalance that follows cannot make up
// for it.
const crossingShare = 0.1

// mendRounds is how many times at most mendCrossings runs while it mends
// something: a rebalance that moved accounts opens new room.
const mendRounds = 3

// mendCrossings takes every territory's accounts out of the pieces of its
// units cut off from the rest (footprintPieces): a territory of Detroit
// with accounts across Lake Erie in Ohio, or of Marin County with accounts
// in San Mateo, linked through the water by long edges of the accounts'
// triangulation. The accounts of such a piece go to the territory of most
// of the other accounts of their unit (or, in a unit of their own, the
// owner of most of its neighbours), whatever the bands say, and the plan
// is then rebalanced one account at a time (rebalanceAccounts). The plan
// is kept when it meets the rules and its units are in fewer pieces, then
// tidied again; otherwise assign is left as it was. It returns the
// accounts moved.
func mendCrossings(ctx context.Context, p *territory.Problem, layer *territory.UnitLayer, assign, of []int, split []bool, g *graph, opt Options) (int, error) {
	table := newUnitTable(p, layer, of, assign, split)
	owner := table.owners(nil)
	before := 0
	byUnit := make([][]int, layer.Len())
	for i, j := range of {
		byUnit[j] = append(byUnit[j], i)
	}
	saved := slices.Clone(assign)
	moved := 0
	for k, pieces := range table.footprintPieces(owner) {
		before += len(pieces)
		total := 0
		for _, piece := range pieces {
			for _, j := range piece {
				total += table.counts[j][k]
			}
		}
		for _, piece := range pieces[min(1, len(pieces)):] {
			n := 0
			for _, j := range piece {
				n += table.counts[j][k]
			}
			if float64(n) > crossingShare*float64(total) {
				continue
			}
			for _, j := range piece {
				to := -1
				best := 0
				for t, n := range table.counts[j] {
					if t != k && (n > best || n == best && t < to) {
						to, best = t, n
					}
				}
				if to < 0 {
					to = table.around([]int32{j}, owner, k)
				}
				if to < 0 {
					continue
				}
				for _, i := range byUnit[j] {
					if assign[i] == k {
						assign[i] = to
						moved++
					}
				}
			}
		}
	}
	if moved == 0 {
		return 0, nil
	}
	st, err := rebalanceAccounts(ctx, p, assign, g, opt, Stats{})
	if err != nil {
		return 0, err
	}
	after := 0
	if st.Feasible {
		split2 := unitsInPieces(of, assign, layer.Len(), split)
		t2 := newUnitTable(p, layer, of, assign, split2)
		for _, ps := range t2.footprintPieces(t2.owners(nil)) {
			after += len(ps)
		}
	}
	if !st.Feasible || after >= before {
		copy(assign, saved)
		return 0, nil
	}
	return moved + st.Moves + tidyUnits(p, layer, assign, of, split, g), nil
}

// accountGraph returns the graph the accounts of a plan made of units are
// kept connected in when they are solved as points: their triangulation
// (spatial.ProximityGraph) without the edges between accounts of two units
// that do not share a boundary (directly or through units without
// accounts) but are joined through others. Such an edge crosses water or a
// third unit: across Long Island Sound or Lake
// Erie, it let one territory hold both shores, which on the map of units
// is two pieces. An edge between units that no chain of shared boundaries
// joins (an island county and the mainland) stays: it is the only link.
func accountGraph(p *territory.Problem, layer *territory.UnitLayer, of []int) *graph {
	ap := *p
	ap.Adjacency = nil
	g := newGraph(&ap, newModel(&ap))
	comp, _ := spatial.Components(layer.Adjacency)
	// reach[u]: the units u borders, directly or through units without
	// accounts (an empty county between two is no gap on the map).
	empty := make([]bool, len(comp))
	for j := range empty {
		empty[j] = true
	}
	for _, j := range of {
		empty[j] = false
	}
	reach := make([][]int32, len(comp))
	seen := make([]int32, len(comp))
	for u := range reach {
		if empty[u] {
			continue
		}
		stamp := int32(u + 1)
		seen[u] = stamp
		stack := []int32{int32(u)}
		for len(stack) > 0 {
			x := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, v := range layer.Adjacency[x] {
				if seen[v] == stamp {
					continue
				}
				seen[v] = stamp
				if empty[v] {
					stack = append(stack, v)
				} else {
					reach[u] = append(reach[u], v)
				}
			}
		}
		slices.Sort(reach[u])
	}
	keep := func(i int, j int32) bool {
		u, v := of[i], of[j]
		if u == v || comp[u] != comp[v] {
			return true
		}
		_, ok := slices.BinarySearch(reach[u], int32(v))
		return ok
	}
	filter := func(adj [][]int32) [][]int32 {
		out := make([][]int32, len(adj))
		for i, nb := range adj {
			for _, j := range nb {
				if keep(i, j) {
					out[i] = append(out[i], j)
				}
			}
		}
		return out
	}
	g.adj, g.near = filter(g.adj), filter(g.near)
	return g
}
