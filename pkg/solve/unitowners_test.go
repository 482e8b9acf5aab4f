package solve

import (
	"testing"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// TestUnitOwnersContiguous: on a 3 × 3 grid of units, territory 0 has the
// two lower corners whole and 3 of the 8 accounts of the unit between
// them; territory 1 has the rest. The majority gives the middle unit to 1
// and cuts 0 in two; the owners chosen for contiguity give it to 0, and
// both territories are one piece (1 keeps its six units above).
func TestUnitOwnersContiguous(t *testing.T) {
	layer := gridLayer(3)
	per := []int{4, 8, 4, 4, 4, 4, 4, 4, 4}
	a, of := unitAccounts(3, per, 5)
	p := &territory.Problem{Space: territory.Geographic, Accounts: a, Reps: reps(2)}
	assign := make([]int, len(of))
	seen := 0
	for i, j := range of {
		switch {
		case j == 0 || j == 2:
			assign[i] = 0
		case j == 1:
			if seen < 3 {
				assign[i] = 0
			} else {
				assign[i] = 1
			}
			seen++
		default:
			assign[i] = 1
		}
	}
	split := unitsInPieces(of, assign, layer.Len(), make([]bool, layer.Len()))
	if !split[1] {
		t.Fatal("the middle unit is not split: the test is built wrong")
	}
	u := newUnitTable(p, layer, of, assign, split)
	majority := make([]int, layer.Len())
	for j := range majority {
		majority[j] = u.majority(j)
	}
	if majority[1] != 1 || u.drawnPieces(majority) != 3 {
		t.Fatalf("majority owners %v in %d pieces, want unit 1 to territory 1 and 3 pieces", majority, u.drawnPieces(majority))
	}
	owner := u.owners(nil)
	if owner[1] != 0 {
		t.Errorf("the middle unit's owner is %d, want 0 (which joins territory 0's corners)", owner[1])
	}
	if n := u.drawnPieces(owner); n != 2 {
		t.Errorf("owners %v make %d pieces, want 2", owner, n)
	}
}

// TestUnitOwnersEmpty: empty units take the owner of most of their
// neighbours, filled from the units with accounts inward, and an island of
// empty units with no owned neighbour at all takes territory 0.
func TestUnitOwnersEmpty(t *testing.T) {
	layer := gridLayer(4)
	// Accounts in the left column (territory 0) and the right column
	// (territory 1) only.
	per := make([]int, 16)
	for r := range 4 {
		per[4*r] = 2
		per[4*r+3] = 2
	}
	a, of := unitAccounts(4, per, 6)
	p, assign := eastColumnPlan(a, of, 4)
	u := newUnitTable(p, layer, of, assign, make([]bool, 16))
	owner := u.owners(nil)
	for j, o := range owner {
		if want := map[bool]int{true: 0, false: 1}[j%4 < 2]; o != want {
			t.Errorf("unit %d (column %d): owner %d, want %d", j, j%4, o, want)
		}
	}
	if n := u.drawnPieces(owner); n != 2 {
		t.Errorf("%d pieces, want 2", n)
	}
}

// TestUnitOwnersIslands: two empty islands east of a 3 × 3 grid (units 9
// and 10, each the other's neighbour, 9 nearest the grid's east column,
// territory 1), owned by territory 0 in the plan of units, cut off from
// its units in the two west columns. They go to territory 1 together,
// the island with no neighbour of territory 1 as well.
func TestUnitOwnersIslands(t *testing.T) {
	layer := gridLayer(3)
	layer.IDs = append(layer.IDs, "10", "11")
	layer.Rows = append(layer.Rows, 10, 11)
	layer.Locs = append(layer.Locs, territory.Point{X: -99.2, Y: 40.25}, territory.Point{X: -99.1, Y: 40.25})
	layer.Adjacency = append(layer.Adjacency, []int32{10}, []int32{9})
	per := []int{3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 0}
	a, of := unitAccounts(3, per[:9], 9)
	p, assign := eastColumnPlan(a, of, 3)
	u := newUnitTable(p, layer, of, assign, make([]bool, 11))
	planned := []int{0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0}
	owner := u.owners(planned)
	if owner[9] != 1 || owner[10] != 1 {
		t.Errorf("the islands' owners are %d and %d, want 1 and 1", owner[9], owner[10])
	}
	if n := u.drawnPieces(owner); n != 2 {
		t.Errorf("owners %v make %d pieces, want 2", owner, n)
	}
}

// eastColumnPlan returns the problem of accounts a and two reps, and the
// plan that gives territory 1 the accounts of the east column of a grid of
// side units a side (of: every account's unit) and territory 0 the rest.
func eastColumnPlan(a territory.Accounts, of []int, side int) (*territory.Problem, []int) {
	p := &territory.Problem{Space: territory.Geographic, Accounts: a, Reps: reps(2)}
	assign := make([]int, len(of))
	for i, j := range of {
		if j%side == side-1 {
			assign[i] = 1
		}
	}
	return p, assign
}
