package territory_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// fixProblem has four accounts of "a.csv" in two territories, owned
// r1, r1, r2, r2 today, with a4 locked.
func fixProblem() *territory.Problem {
	p := planProblem()
	p.Accounts.Source = "a.csv"
	p.Accounts.Rows = []int{2, 3, 4, 5}
	p.Accounts.Owners = []string{"r1", "r1", "r2", "r2"}
	p.Accounts.Locked = []bool{false, false, false, true}
	return p
}

func TestWithPlan(t *testing.T) {
	p := planProblem()
	q := p.WithPlan([]int{1, 0, -1, 1})
	if diff := cmp.Diff([]string{"r2", "r1", "", "r2"}, q.Accounts.Owners); diff != "" {
		t.Errorf("owners (-want +got):\n%s", diff)
	}
	if p.Accounts.Owners != nil {
		t.Errorf("WithPlan changed the problem's owners: %q", p.Accounts.Owners)
	}
}

func TestWithFixes(t *testing.T) {
	p := fixProblem()
	fixes := []territory.Fix{
		{Account: 0, Territory: 1, Row: 2}, // a1: r1 -> r2, an edit
		{Account: 1, Territory: 0, Row: 3}, // a2 where it is: no edit
		{Account: 3, Territory: 1, Row: 4}, // a4, locked, where it is: no edit
	}
	q, edits, err := p.WithFixes(fixes, "edits.csv")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]territory.Fix{fixes[0]}, edits); diff != "" {
		t.Errorf("edits (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"r2", "r1", "r2", "r2"}, q.Accounts.Owners); diff != "" {
		t.Errorf("owners (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]bool{true, false, false, true}, q.Accounts.Locked); diff != "" {
		t.Errorf("locked (-want +got):\n%s", diff)
	}
	// The problem given is as it was.
	if diff := cmp.Diff(fixProblem().Accounts, p.Accounts); diff != "" {
		t.Errorf("WithFixes changed the problem's accounts (-before +after):\n%s", diff)
	}

	// Without owners every fix is an edit.
	free := planProblem()
	q, edits, err = free.WithFixes(fixes[:2], "edits.csv")
	if err != nil || len(edits) != 2 {
		t.Fatalf("without owners: %d edits, %v; want 2", len(edits), err)
	}
	if diff := cmp.Diff([]string{"r2", "r1", "", ""}, q.Accounts.Owners); diff != "" {
		t.Errorf("without owners: owners (-want +got):\n%s", diff)
	}
}

func TestWithFixesLocked(t *testing.T) {
	p := fixProblem()
	q, _, err := p.WithFixes([]territory.Fix{{Account: 0, Territory: 1, Row: 2}, {Account: 3, Territory: 0, Row: 7}}, "edits.csv")
	want := `read edits "edits.csv": row 7: account "a4" is locked with rep "r2" (row 5 of "a.csv"): the edit cannot move it to T1 (rep "r1"); unlock the account or drop the edit`
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %s", err, want)
	}
	if q != nil {
		t.Error("a problem returned with the error")
	}
}
