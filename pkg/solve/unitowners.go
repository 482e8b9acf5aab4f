package solve

import (
	"slices"

	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// The owners of units: the lookup table a CRM's assignment rules load.
//
// A unit whose accounts all lie in one territory belongs to it. A split
// unit's default owner (the territory of new accounts there) is, at
// first, the territory of most of its accounts; an empty unit's, the
// territory most of its neighbours belong to. But the map of owners is
// what a user reads as the territories, and a split unit owned by the
// majority can cut a neighbour's units in two (the neighbour's accounts
// run through it, yet on the map its units lie in two pieces). So the
// owners of split and empty units, which move no account, are then
// chosen to keep every territory's units one piece (ownersContiguous).

// ownerRounds bounds the passes of ownersContiguous over the territories
// in pieces.
const ownerRounds = 20

// unitTable holds, for a plan of accounts in units, what the owners are
// chosen from.
type unitTable struct {
	adj    [][]int32     // the units' adjacency (islands joined)
	counts []map[int]int // accounts of each unit by territory (nil: empty)
	fixed  []bool        // whole units with accounts: their owner is their territory
	k      int
}

// newUnitTable counts the accounts of every unit by territory.
func newUnitTable(p *territory.Problem, layer *territory.UnitLayer, of, assign []int, split []bool) *unitTable {
	m := layer.Len()
	u := &unitTable{
		adj:    spatial.ProximityGraph(p.Space, layer.Locs, layer.Adjacency),
		counts: make([]map[int]int, m),
		fixed:  make([]bool, m),
		k:      p.K(),
	}
	for i, j := range of {
		if u.counts[j] == nil {
			u.counts[j] = make(map[int]int, 1)
		}
		u.counts[j][assign[i]]++
	}
	for j, c := range u.counts {
		u.fixed[j] = len(c) == 1 && !split[j]
	}
	return u
}

// majority is the territory of most of unit j's accounts, the lowest on a
// tie, or -1 for an empty unit.
func (u *unitTable) majority(j int) int {
	best, bestN := -1, 0
	for k, n := range u.counts[j] {
		if n > bestN || n == bestN && k < best {
			best, bestN = k, n
		}
	}
	return best
}

// owners returns every unit's owner: its territory, the majority of a
// split unit, and for an empty unit its owner in plan (when plan is not
// nil: the plan of units placed it) or else the owner of most of its
// neighbours, spreading out from the units with accounts; then made
// contiguous where it can be.
func (u *unitTable) owners(plan []int) []int {
	owner := make([]int, len(u.counts))
	var empty []int
	for j := range owner {
		owner[j] = u.majority(j)
		if owner[j] < 0 {
			if plan != nil {
				owner[j] = plan[j]
			} else {
				empty = append(empty, j)
			}
		}
	}
	u.fillEmpty(owner, empty)
	return u.ownersContiguous(owner)
}

// fillEmpty gives every empty unit in list the owner of most of its
// owned neighbours (the lowest on a tie), in rounds, so that a region of
// empty units fills from its edges inward; a unit with no owned
// neighbour at all (an island of empty units) takes territory 0.
func (u *unitTable) fillEmpty(owner, list []int) {
	votes := make([]int, u.k)
	for len(list) > 0 {
		var next []int
		var set [][2]int
		for _, j := range list {
			clear(votes)
			best := -1
			for _, v := range u.adj[j] {
				if o := owner[v]; o >= 0 {
					votes[o]++
					if best < 0 || votes[o] > votes[best] || votes[o] == votes[best] && o < best {
						best = o
					}
				}
			}
			if best < 0 {
				next = append(next, j)
				continue
			}
			set = append(set, [2]int{j, best})
		}
		for _, s := range set {
			owner[s[0]] = s[1]
		}
		if len(set) == 0 {
			for _, j := range next {
				owner[j] = 0
			}
			return
		}
		list = next
	}
}

// setPieces returns, for every territory k, the pieces of its set of units
// sets[k] (sorted) in the units' graph, in the order of their first unit.
func (u *unitTable) setPieces(sets [][]int32) [][][]int32 {
	out := make([][][]int32, u.k)
	in := make([]int32, len(u.adj))
	seen := make([]int32, len(u.adj))
	for k, units := range sets {
		stamp := int32(k + 1)
		for _, j := range units {
			in[j] = stamp
		}
		for _, s := range units {
			if seen[s] == stamp {
				continue
			}
			seen[s] = stamp
			piece := []int32{s}
			for h := 0; h < len(piece); h++ {
				for _, v := range u.adj[piece[h]] {
					if in[v] == stamp && seen[v] != stamp {
						seen[v] = stamp
						piece = append(piece, v)
					}
				}
			}
			out[k] = append(out[k], piece)
		}
	}
	return out
}

// pieces returns every territory's pieces in the map of owners, the map a
// user sees (largest first, ties by first unit).
func (u *unitTable) pieces(owner []int) [][][]int32 {
	owned := make([][]int32, u.k)
	for j, k := range owner {
		owned[k] = append(owned[k], int32(j))
	}
	out := u.setPieces(owned)
	for t := range out {
		slices.SortStableFunc(out[t], func(a, b []int32) int { return len(b) - len(a) })
	}
	return out
}

// drawnPieces is the number of pieces of the map of owners, a territory
// that owns no unit counting one for every unit its accounts are in (it
// does not show on the map at all).
func (u *unitTable) drawnPieces(owner []int) int {
	n := 0
	owns := make([]bool, u.k)
	for t, ps := range u.pieces(owner) {
		n += len(ps)
		owns[t] = len(ps) > 0
	}
	for _, c := range u.counts {
		for k := range c {
			if !owns[k] {
				n++
			}
		}
	}
	return n
}

// footPieces is the number of pieces of the territories' footprints
// (footprintPieces), as the report counts them.
func (u *unitTable) footPieces(owner []int) int {
	n := 0
	for _, ps := range u.setPieces(u.footprint(owner)) {
		n += len(ps)
	}
	return n
}

// ownersContiguous changes the owners of split and empty units so that
// the map of owners has fewer pieces: a territory that owns no unit gets
// the split unit of most of its accounts; a piece of a territory other
// than its largest is given, where it holds no unit the territory must
// own, to the neighbouring territories (present in each unit, most
// accounts first); where it does hold one, it is joined to the
// territory's largest piece through the split and empty units the
// territory has accounts in (or none, for an empty unit), the shortest
// such path. Owners only move no account. The owners met whose
// footprints are in fewest pieces (as the report counts them), then whose
// map is, are kept.
func (u *unitTable) ownersContiguous(owner []int) []int {
	best := slices.Clone(owner)
	bestFoot, bestDrawn := u.footPieces(owner), u.drawnPieces(owner)
	for round := 0; round < ownerRounds; round++ {
		ps := u.pieces(owner)
		changed := false
		for t := range ps {
			if len(ps[t]) == 0 {
				if j := u.unitOfMost(t, owner); j >= 0 {
					owner[j] = t
					changed = true
				}
				continue
			}
			for _, piece := range ps[t][1:] {
				if u.giveAway(t, piece, owner) || u.join(t, piece, ps[t][0], owner) {
					changed = true
				}
			}
		}
		if foot, drawn := u.footPieces(owner), u.drawnPieces(owner); foot < bestFoot || foot == bestFoot && drawn < bestDrawn {
			best, bestFoot, bestDrawn = slices.Clone(owner), foot, drawn
		}
		if !changed {
			break
		}
	}
	return best
}

// unitOfMost is the split unit owned by another territory in which
// territory t has most accounts, or -1.
func (u *unitTable) unitOfMost(t int, owner []int) int {
	best, bestN := -1, 0
	for j, c := range u.counts {
		if n := c[t]; n > bestN && !u.fixed[j] && owner[j] != t {
			best, bestN = j, n
		}
	}
	return best
}

// giveAway gives every unit of piece, a piece of territory t of free
// units (split or empty), to a neighbouring territory: a split unit to
// the one of most of its accounts among those owning a neighbour of it,
// any other unit (an empty one, or one inside the piece: an island of a
// group of islands) to the territory beside the piece that shares most
// edges with it. It reports whether it did; a piece with a unit t must
// own, or with no other territory beside it, stays.
func (u *unitTable) giveAway(t int, piece []int32, owner []int) bool {
	for _, j := range piece {
		if u.fixed[j] {
			return false
		}
	}
	around := u.around(piece, owner, t)
	if around < 0 {
		return false
	}
	for _, j := range piece {
		to, most := around, 0
		for _, v := range u.adj[j] {
			if o := owner[v]; o != t {
				if n := u.counts[j][o]; n > most || n == most && n > 0 && o < to {
					to, most = o, n
				}
			}
		}
		owner[j] = to
	}
	return true
}

// join links piece, a piece of territory t, to its largest piece main
// through free units: the shortest path of split units that t has
// accounts in, or empty units, whose owners become t. It reports whether
// it found one.
func (u *unitTable) join(t int, piece, main []int32, owner []int) bool {
	inMain := make(map[int]bool, len(main))
	for _, j := range main {
		inMain[int(j)] = true
	}
	from := make(map[int]int, len(piece))
	queue := make([]int, 0, len(piece))
	for _, j := range piece {
		from[int(j)] = -1
		queue = append(queue, int(j))
	}
	for h := 0; h < len(queue); h++ {
		j := queue[h]
		for _, v32 := range u.adj[j] {
			v := int(v32)
			if _, ok := from[v]; ok {
				continue
			}
			if inMain[v] {
				for x := j; x >= 0 && owner[x] != t; x = from[x] {
					owner[x] = t
				}
				return true
			}
			if u.fixed[v] || u.counts[v] != nil && u.counts[v][t] == 0 {
				continue
			}
			from[v] = j
			queue = append(queue, v)
		}
	}
	return false
}

// footprint lists every territory's units: those it owns and those its
// accounts are in (assign, of), sorted.
func (u *unitTable) footprint(owner []int) [][]int32 {
	foot := make([][]int32, u.k)
	for j, k := range owner {
		foot[k] = append(foot[k], int32(j))
	}
	for j, c := range u.counts {
		for k := range c {
			if owner[j] != k {
				foot[k] = append(foot[k], int32(j))
			}
		}
	}
	for k := range foot {
		slices.Sort(foot[k])
		foot[k] = slices.Compact(foot[k])
	}
	return foot
}

// footprintPieces returns, for every territory, the pieces of its
// footprint in the units' graph, the one of most of its accounts first
// (ties by first unit); the report counts the same pieces.
func (u *unitTable) footprintPieces(owner []int) [][][]int32 {
	out := u.setPieces(u.footprint(owner))
	for k := range out {
		accounts := func(piece []int32) int {
			n := 0
			for _, j := range piece {
				n += u.counts[j][k]
			}
			return n
		}
		slices.SortStableFunc(out[k], func(a, b []int32) int { return accounts(b) - accounts(a) })
	}
	return out
}

// around returns the territory other than t that owns most of the units
// next to units, counted once per edge (the lowest on a tie), or -1 when
// none is.
func (u *unitTable) around(units []int32, owner []int, t int) int {
	votes := make(map[int]int)
	best := -1
	for _, j := range units {
		for _, v := range u.adj[j] {
			if o := owner[v]; o != t {
				votes[o]++
				if best < 0 || votes[o] > votes[best] || votes[o] == votes[best] && o < best {
					best = o
				}
			}
		}
	}
	return best
}
