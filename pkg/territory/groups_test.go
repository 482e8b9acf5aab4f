package territory

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// groupedProblem has two groups: West with 3 accounts and 1 rep, East
// with 2 accounts and 2 reps, listed out of order.
func groupedProblem() *Problem {
	return &Problem{
		Space: Planar,
		Accounts: Accounts{
			IDs:      []string{"a", "b", "c", "d", "e"},
			Locs:     []Point{{0, 0}, {1, 0}, {2, 0}, {3, 0}, {4, 0}},
			Measures: []Measure{{Name: "revenue", Column: "Revenue", Values: []float64{1, 2, 3, 4, 6}}},
			Groups:   []string{"West", "East", "West", "East", "West"},
			Rows:     []int{2, 3, 4, 5, 6},
		},
		Reps:        []Rep{{ID: "r1", Group: "East", Capacity: 1}, {ID: "r2", Group: "West", Capacity: 1}, {ID: "r3", Group: "East", Capacity: 1}},
		Rules:       []BalanceRule{{Measure: "revenue", Tolerance: 0.1, HasTolerance: true}},
		Adjacency:   [][]int32{{1}, {0, 2}, {1, 3}, {2, 4}, {3}},
		GroupColumn: "region",
	}
}

func TestGroups(t *testing.T) {
	p := groupedProblem()
	want := []Group{{Name: "East", Accounts: []int{1, 3}, Reps: []int{0, 2}}, {Name: "West", Accounts: []int{0, 2, 4}, Reps: []int{1}}}
	if diff := cmp.Diff(want, p.Groups()); diff != "" {
		t.Errorf("Groups (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"East-T1", "West-T1", "East-T2"}, p.TerritoryIDs()); diff != "" {
		t.Errorf("TerritoryIDs (-want +got):\n%s", diff)
	}
	// Targets are shares of the group's own total: East 2+4 over two reps,
	// West 1+3+6 for its one rep.
	var targets []float64
	for _, b := range p.Bands(p.Rules[0]) {
		targets = append(targets, b.Target)
	}
	if diff := cmp.Diff([]float64{3, 10, 3}, targets); diff != "" {
		t.Errorf("targets (-want +got):\n%s", diff)
	}
	if err := p.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
	p.GroupColumn = ""
	if p.Groups() != nil || p.TerritoryID(2) != "T3" {
		t.Errorf("an ungrouped problem has groups %v, territory ids %v", p.Groups(), p.TerritoryIDs())
	}
}

func TestSubproblem(t *testing.T) {
	p := groupedProblem()
	sub := p.Subproblem(p.Groups()[1])
	want := &Problem{
		Space: Planar,
		Accounts: Accounts{
			IDs:      []string{"a", "c", "e"},
			Locs:     []Point{{0, 0}, {2, 0}, {4, 0}},
			Measures: []Measure{{Name: "revenue", Column: "Revenue", Values: []float64{1, 3, 6}}},
			Groups:   []string{"West", "West", "West"},
			Rows:     []int{2, 4, 6},
		},
		Reps:        []Rep{{ID: "r2", Group: "West", Capacity: 1}},
		Rules:       p.Rules,
		Adjacency:   [][]int32{nil, nil, nil}, // a, c and e touch only East's accounts
		GroupColumn: "region",
	}
	if diff := cmp.Diff(want, sub); diff != "" {
		t.Errorf("Subproblem (-want +got):\n%s", diff)
	}
	east := p.Subproblem(p.Groups()[0])
	if diff := cmp.Diff([][]int32{nil, nil}, east.Adjacency); diff != "" {
		t.Errorf("East adjacency (-want +got):\n%s", diff)
	}
}

func TestValidateGroups(t *testing.T) {
	p := groupedProblem()
	p.Reps[1].Group = "North"
	p.Accounts.Owners = []string{"", "", "", "", "r1"}
	p.Accounts.Locked = []bool{false, false, false, false, true}
	err := p.Validate()
	var msgs []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var ie *InputError
		if errors.As(e, &ie) {
			msgs = append(msgs, ie.Msg)
		}
	}
	got := strings.Join(msgs, "\n")
	for _, want := range []string{
		`group "West" has 3 accounts and no rep (row 2, row 4, row 6)`,
		`rep "r2" is in group "North", which has no accounts`,
		`account "e" of group "West" is locked to rep "r1" of group "East"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("Validate lacks %q; got:\n%s", want, got)
		}
	}
}
