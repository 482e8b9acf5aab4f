package solve

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// grid6 is a 4 × 4 grid layer with 6 accounts in every unit.
func grid6(seed uint64) (*territory.UnitLayer, territory.Accounts, []int) {
	per := make([]int, 16)
	for j := range per {
		per[j] = 6
	}
	a, of := unitAccounts(4, per, seed)
	return gridLayer(4), a, of
}

// TestTidyUnits: a 4 × 4 grid of units of 6 accounts, the left half in
// territory 0 and the right half in 1, except for a few accounts of units
// next to the boundary on the other side (those nearest it), 48 accounts
// in each territory.
//   - Unit 5 (left) has 2 accounts in territory 1, unit 10 (right) 2 in
//     territory 0. With a band of ±10% both are made whole, one at a time;
//     with count:0% (a band of one load) either alone breaks the band, and
//     they are made whole as a pair.
//   - Unit 5 has 2 in territory 1, units 10 and 14 (right) 1 each in
//     territory 0: at count:0% no unit alone and no pair keeps the band,
//     and all three stay split.
func TestTidyUnits(t *testing.T) {
	layer, a, of := grid6(7)
	for _, tc := range []struct {
		tol   float64
		away  map[int]int // unit -> its accounts on the other side
		split int         // units split after
	}{
		{0.10, map[int]int{5: 2, 10: 2}, 0},
		{0, map[int]int{5: 2, 10: 2}, 0},
		{0, map[int]int{5: 2, 10: 1, 14: 1}, 3},
	} {
		start := make([]int, len(of))
		byUnit := make(map[int][]int)
		for i, j := range of {
			if j%4 >= 2 {
				start[i] = 1
			}
			byUnit[j] = append(byUnit[j], i)
		}
		for j, n := range tc.away {
			accs := byUnit[j]
			// Nearest the boundary (x = -99.8) first.
			d := func(i int) float64 { x := a.Locs[i].X + 99.8; return x * x }
			slices.SortFunc(accs, func(p, q int) int { return cmp.Compare(d(p), d(q)) })
			for _, i := range accs[:n] {
				start[i] = 1 - start[i]
			}
		}
		p0 := &territory.Problem{Space: territory.Geographic, Accounts: a, Reps: reps(2)}
		if pieces := checkRegions(t, p0, PlaceCentres(p0, start)); slices.Max(pieces) > 1 {
			t.Fatal("the start is in pieces: the test is built wrong")
		}
		rules := []territory.BalanceRule{{Measure: "count", HasTolerance: true, Tolerance: tc.tol}}
		p := &territory.Problem{Space: territory.Geographic, Accounts: a, Rules: rules, Reps: reps(2)}
		if broken := checkRules(p, PlaceCentres(p, start)); len(broken) > 0 {
			t.Fatalf("the start breaks %v: the test is built wrong", broken)
		}
		assign := slices.Clone(start)
		moved := tidyUnits(p, layer, assign, of, make([]bool, 16), accountGraph(p, layer, of))
		n := 0
		for _, s := range unitsInPieces(of, assign, 16, make([]bool, 16)) {
			if s {
				n++
			}
		}
		want := 0
		if tc.split == 0 {
			for _, k := range tc.away {
				want += k
			}
		}
		if n != tc.split || moved != want {
			t.Errorf("count:%g%%, %v away: %d units split after %d moves, want %d after %d", 100*tc.tol, tc.away, n, moved, tc.split, want)
		}
		checkRegions(t, p, PlaceCentres(p, assign))
		if broken := checkRules(p, PlaceCentres(p, assign)); len(broken) > 0 {
			t.Errorf("count:%g%%: rules broken: %v", 100*tc.tol, broken)
		}
	}
}

// TestMendCrossings: a 4 × 4 grid of units of 6 accounts, the left half in
// territory 0 and the right half in 1, except one account of the far
// right corner unit (15) in territory 0 and one of the far left corner
// unit (0) in territory 1: each territory's units are in two pieces on the
// map. At count:0% (48 each) neither stray can go home alone (a snap
// would refuse it); mended, both go home at once, both territories are
// one piece of units and the rule holds.
func TestMendCrossings(t *testing.T) {
	layer, a, of := grid6(8)
	assign := make([]int, len(of))
	done := map[int]bool{}
	for i, j := range of {
		if j%4 >= 2 {
			assign[i] = 1
		}
		if (j == 0 || j == 15) && !done[j] {
			assign[i] = 1 - assign[i]
			done[j] = true
		}
	}
	rules := []territory.BalanceRule{{Measure: "count", HasTolerance: true, Tolerance: 0}}
	p := &territory.Problem{Space: territory.Geographic, Accounts: a, Rules: rules, Reps: reps(2)}
	split := make([]bool, 16)
	table := newUnitTable(p, layer, of, assign, split)
	n := 0
	for _, ps := range table.footprintPieces(table.owners(nil)) {
		n += len(ps)
	}
	if n != 4 {
		t.Fatalf("%d pieces of units before, want 4: the test is built wrong", n)
	}
	moved, err := mendCrossings(context.Background(), p, layer, assign, of, split, accountGraph(p, layer, of), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, j := range of {
		if want := map[bool]int{true: 0, false: 1}[j%4 < 2]; assign[i] != want {
			t.Errorf("account %d of unit %d is in territory %d, want %d (moved %d)", i, j, assign[i], want, moved)
		}
	}
	if broken := checkRules(p, PlaceCentres(p, assign)); len(broken) > 0 {
		t.Errorf("rules broken: %v", broken)
	}
}

// TestAccountGraph: a row of three units (0, 1, 2; 0 and 2 not adjacent)
// and an island (3) that borders none. The accounts' edges from unit 0 to
// unit 2 go when unit 1 between them has accounts, and stay when it is
// empty; edges to the island stay (its only links).
func TestAccountGraph(t *testing.T) {
	layer := &territory.UnitLayer{
		IDs:       []string{"a", "b", "c", "d"},
		Rows:      []int{1, 2, 3, 4},
		Locs:      []territory.Point{{X: -100, Y: 40}, {X: -99.9, Y: 40}, {X: -99.8, Y: 40}, {X: -99.9, Y: 40.3}},
		Adjacency: [][]int32{{1}, {0, 2}, {1}, {}},
	}
	for _, middle := range []bool{true, false} {
		a := territory.Accounts{Source: "accounts.csv"}
		var of []int
		add := func(x, y float64, unit int) {
			a.IDs = append(a.IDs, fmt.Sprint(len(a.IDs)))
			a.Rows = append(a.Rows, len(a.IDs)+1)
			a.Locs = append(a.Locs, territory.Point{X: x, Y: y})
			of = append(of, unit)
		}
		// Unit 0's accounts on its east edge, unit 2's on its west edge,
		// so that the triangulation joins them directly, and unit 1's (if
		// any) north of the line between them.
		add(-99.96, 39.99, 0)
		add(-99.96, 40.01, 0)
		add(-99.84, 39.99, 2)
		add(-99.84, 40.01, 2)
		add(-99.9, 40.3, 3)
		if middle {
			add(-99.9, 40.04, 1)
		}
		p := &territory.Problem{Space: territory.Geographic, Accounts: a, Reps: reps(2)}
		g := accountGraph(p, layer, of)
		cross, island := false, false
		for i, nb := range g.adj {
			for _, j := range nb {
				if of[i] == 0 && of[j] == 2 {
					cross = true
				}
				if of[j] == 3 {
					island = true
				}
			}
		}
		if cross == middle {
			t.Errorf("unit 1 with accounts %v: edges from unit 0 to unit 2 %v", middle, cross)
		}
		if !island {
			t.Errorf("unit 1 with accounts %v: no edge to the island", middle)
		}
	}
}
