package plandiff

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/territory-optimizer/territory/pkg/tabular"
	"github.com/territory-optimizer/territory/pkg/territory"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// readTestPlan reads a plan file of testdata/.
func readTestPlan(t *testing.T, name string) *tabular.PlanFile {
	t.Helper()
	f, err := tabular.ReadPlanFile(filepath.Join("testdata", "diff", name), tabular.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// plan reads a plan file given as text.
func plan(t *testing.T, name, text string) *tabular.PlanFile {
	t.Helper()
	f, err := tabular.ReadPlan(strings.NewReader(text), name, tabular.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// testDiff compares the hand-made plans of testdata/diff (see its README.md),
// with the measures of testdata/diff/accounts.csv.
func testDiff(t *testing.T) *Diff {
	t.Helper()
	a, _, err := tabular.ReadAccountsFile(filepath.Join("testdata", "diff", "accounts.csv"), tabular.Options{})
	if err != nil {
		t.Fatal(err)
	}
	d, err := Compare(readTestPlan(t, "old.csv"), readTestPlan(t, "new.csv"), &a)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// testEditsDiff is testDiff with the edits of testdata/diff/edits.csv.
func testEditsDiff(t *testing.T) *Diff {
	t.Helper()
	a, _, err := tabular.ReadAccountsFile(filepath.Join("testdata", "diff", "accounts.csv"), tabular.Options{})
	if err != nil {
		t.Fatal(err)
	}
	edits, err := tabular.ReadEditsFile(filepath.Join("testdata", "diff", "edits.csv"), tabular.Options{})
	if err != nil {
		t.Fatal(err)
	}
	d, err := CompareEdits(readTestPlan(t, "old.csv"), readTestPlan(t, "new.csv"), edits, &a)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestGolden compares the three output formats of the comparison of the
// hand-made plans with their golden files, without and with the edits.
func TestGolden(t *testing.T) {
	plain, edits := testDiff(t), testEditsDiff(t)
	for _, tt := range []struct {
		golden string
		d      *Diff
		write  func(*bytes.Buffer, *Diff) error
	}{
		{"want.txt", plain, func(b *bytes.Buffer, d *Diff) error { return WriteText(b, d) }},
		{"want.csv", plain, func(b *bytes.Buffer, d *Diff) error { return WriteCSV(b, d) }},
		{"want.json", plain, func(b *bytes.Buffer, d *Diff) error { return WriteJSON(b, d) }},
		{"want-edits.txt", edits, func(b *bytes.Buffer, d *Diff) error { return WriteText(b, d) }},
		{"want-edits.csv", edits, func(b *bytes.Buffer, d *Diff) error { return WriteCSV(b, d) }},
		{"want-edits.json", edits, func(b *bytes.Buffer, d *Diff) error { return WriteJSON(b, d) }},
	} {
		d := tt.d
		t.Run(tt.golden, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.write(&b, d); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "diff", tt.golden)
			if *update {
				if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./pkg/plandiff -update)", err)
			}
			if diff := cmp.Diff(string(want), b.String()); diff != "" {
				t.Errorf("%s (-want +got):\n%s", golden, diff)
			}
		})
	}
}

// TestCompareCounts checks the comparison of the hand-made plans against
// what testdata/diff/README.md says moved, independently of the golden files.
func TestCompareCounts(t *testing.T) {
	d := testDiff(t)
	if d.MatchedBy != tabular.ColRepID {
		t.Errorf("matched by %q, want rep_id (both files have it)", d.MatchedBy)
	}
	var got []string
	for _, a := range d.Accounts {
		got = append(got, a.ID+":"+a.Change)
	}
	want := []string{"2:moved", "11:moved", "A-7:moved", "fresh:added", "gone:removed"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("accounts (-want +got):\n%s", diff)
	}
	if tt := d.Totals; tt.Unchanged != 5 || tt.Moved != 3 || tt.Added != 1 || tt.Removed != 1 || !d.Differs() {
		t.Errorf("totals = %+v, differs %v; want 5 unchanged, 3 moved, 1 added, 1 removed", tt, d.Differs())
	}
	if d.Missing != 1 || d.FirstMissing != "gone" {
		t.Errorf("missing %d (first %q), want 1 (gone): gone is not in accounts.csv", d.Missing, d.FirstMissing)
	}
	// revenue of 2, 11 and A-7 in accounts.csv: 2500.5 + 4000 + 780.
	rev := -1
	for m, name := range d.Measures {
		if territory.NormalizeName(name) == "revenue" {
			rev = m
		}
	}
	if rev < 0 || d.Totals.MovedValues[rev] != 7280.5 {
		t.Errorf("measures %q, moved %v; want revenue 7280.5 moved", d.Measures, d.Totals.MovedValues)
	}
	// Every change counts once as a gain and once as a loss, except
	// additions (gain only) and removals (loss only); and every
	// territory's count changes by its net gain.
	gained, lost := 0, 0
	for _, tr := range d.Territories {
		gained += tr.Gained
		lost += tr.Lost
		if tr.New-tr.Old != tr.Gained-tr.Lost {
			t.Errorf("territory %s: %d -> %d accounts, but gained %d and lost %d", tr.Territory, tr.Old, tr.New, tr.Gained, tr.Lost)
		}
	}
	if gained != 3+1 || lost != 3+1 {
		t.Errorf("gained %d, lost %d; want 4 each (3 moves, 1 added, 1 removed)", gained, lost)
	}
}

// TestCompareMatchByTerritory checks plans without rep_id, as files edited
// down to two columns are: territories are matched by territory_id.
func TestCompareMatchByTerritory(t *testing.T) {
	d, err := Compare(plan(t, "a.csv", "account_id,territory_id\n1,T01\n2,T01\n3,T02\n"),
		plan(t, "b.csv", "\xEF\xBB\xBFaccount_id,territory_id,rep_id\n1,T01,R9\n2,T02,R8\n3,T02,R8\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteCSV(&b, d); err != nil {
		t.Fatal(err)
	}
	want := "account_id,change,from_territory_id,from_rep_id,to_territory_id,to_rep_id\n2,moved,T01,,T02,R8\n"
	if b.String() != want {
		t.Errorf("csv = %q, want %q", b.String(), want)
	}
}

// TestCompareEdits checks the causes of the changes of the hand-made
// plans against what testdata/diff/README.md says the edits did,
// independently of the golden files.
func TestCompareEdits(t *testing.T) {
	d := testEditsDiff(t)
	var got []string
	for _, a := range d.Accounts {
		got = append(got, a.ID+":"+a.Change+":"+a.Cause)
	}
	want := []string{"2:moved:edit", "11:moved:rebalance", "A-7:moved:not as edited", "fresh:added:rebalance", "gone:removed:"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("accounts (-want +got):\n%s", diff)
	}
	e := d.Edits
	if e.MatchedBy != tabular.ColTerritoryID || e.Rows != 3 || e.ByEdit != 1 || e.ByRebalance != 2 || e.NotAsEdited != 1 {
		t.Errorf("edits %+v; want matched by territory_id, 3 rows, 1 by edit, 2 by rebalance, 1 not as edited", e)
	}
	wantNotKept := []EditNotKept{
		{ID: "3", Row: 4, Edit: Place{Territory: "T02"}, New: Place{Territory: "T01", Rep: "R1"}},
		{ID: "A-7", Row: 3, Edit: Place{Territory: "T02"}, New: Place{Territory: "T01", Rep: "R1"}},
	}
	if diff := cmp.Diff(wantNotKept, e.NotKept); diff != "" {
		t.Errorf("edits not kept (-want +got):\n%s", diff)
	}
}

// TestCompareEditsByTerritory matches edits that have both columns by
// territory: the territory column decides, as solve --fix reads edits.
func TestCompareEditsByTerritory(t *testing.T) {
	old := plan(t, "a.csv", "account_id,territory_id,rep_id\n1,T01,R1\n2,T02,R2\n3,T02,R2\n")
	moved := plan(t, "b.csv", "account_id,territory_id,rep_id\n1,T02,R2\n2,T02,R2\n3,T01,R1\n")
	edits, err := tabular.ReadEdits(strings.NewReader("account_id,territory_id,rep_id\n1,T02,R1\n"), "e.csv", tabular.Options{})
	if err != nil {
		t.Fatal(err)
	}
	d, err := CompareEdits(old, moved, edits, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range d.Accounts {
		got = append(got, a.ID+":"+a.Cause)
	}
	if diff := cmp.Diff([]string{"1:edit", "3:rebalance"}, got); diff != "" || d.Edits.MatchedBy != tabular.ColTerritoryID {
		t.Errorf("causes (-want +got):\n%s\nmatched by %s, want territory_id", diff, d.Edits.MatchedBy)
	}
}

func TestCompareEditsErrors(t *testing.T) {
	old := plan(t, "a.csv", "account_id,territory_id\n1,T01\n2,T02\n")
	byRep := plan(t, "b.csv", "account_id,rep_id\n1,R1\n2,R2\n")
	edits := plan(t, "e.csv", "account_id,territory_id\n1,T02\nzz,T01\n")
	_, err := CompareEdits(old, plan(t, "n.csv", "account_id,territory_id\n1,T02\n2,T02\n"), edits, nil)
	if want := `diff "e.csv": row 3, column "account_id": account "zz" is in neither plan`; err == nil || err.Error() != want {
		t.Errorf("error %v, want %s", err, want)
	}
	_, err = CompareEdits(byRep, byRep, edits, nil)
	if want := `diff "e.csv": nothing to match the edits by: "e.csv" has only territory_id and "b.csv" only rep_id (give both files rep_id or territory_id)`; err == nil || err.Error() != want {
		t.Errorf("error %v, want %s", err, want)
	}
	// Without edits, CompareEdits is Compare.
	d, err := CompareEdits(old, old, nil, nil)
	if err != nil || d.Edits != nil || d.Differs() {
		t.Errorf("without edits: %+v, %v", d, err)
	}
}

func TestCompareSame(t *testing.T) {
	p := plan(t, "a.csv", "account_id,territory_id,rep_id\n1,T01,R1\n2,T02,R2\n")
	d, err := Compare(p, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteText(&b, d); err != nil {
		t.Fatal(err)
	}
	if d.Differs() || b.Len() != 0 || d.Totals.Unchanged != 2 {
		t.Errorf("a plan with itself: differs %v, text %q, totals %+v", d.Differs(), b.String(), d.Totals)
	}
}

func TestCompareNothingToMatchBy(t *testing.T) {
	_, err := Compare(plan(t, "a.csv", "account_id,rep_id\na,R1\n"), plan(t, "b.csv", "account_id,territory_id\na,T01\n"), nil)
	want := `diff "b.csv": nothing to match territories by: "a.csv" has only rep_id and "b.csv" only territory_id (give both files rep_id or territory_id)`
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %s", err, want)
	}
}

func TestGrouped(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		prec int
		want string
	}{
		{0, 2, "0"}, {-0.001, 2, "0"}, {1234567.891, 2, "1,234,567.89"}, {-1234.5, 2, "-1,234.5"}, {999, 0, "999"}, {1000, 0, "1,000"},
	} {
		if got := grouped(tt.v, tt.prec); got != tt.want {
			t.Errorf("grouped(%v, %d) = %q, want %q", tt.v, tt.prec, got, tt.want)
		}
	}
	if got := signed(12.5); got != "+12.5" {
		t.Errorf("signed(12.5) = %q", got)
	}
	if got := jsonFloat(-0.0000001); got != "0" {
		t.Errorf("jsonFloat(-1e-7) = %q, want 0", got)
	}
}
