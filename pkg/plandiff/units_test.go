package plandiff

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/territory-optimizer/territory/pkg/tabular"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// testLayer is the layer of testdata/units/README.md: the units of the
// unit tables but 45001, and an empty unit.
func testLayer() *territory.UnitLayer {
	return &territory.UnitLayer{Source: "layer.geojson", IDs: []string{"2", "10", "13001", "13003", "37001", "99001", "55555"}}
}

// testUnitMeasures places the accounts of testdata/units/accounts.csv in
// testLayer by their unit_id column, as features.Layer.Place places
// accounts with a unit id, and sums their measures by unit.
func testUnitMeasures(t *testing.T) *territory.Accounts {
	t.Helper()
	a, _, err := tabular.ReadAccountsFile(filepath.Join("testdata", "units", "accounts.csv"), tabular.Options{UnitColumns: []string{"unit_id"}})
	if err != nil {
		t.Fatal(err)
	}
	layer := testLayer()
	of := make([]int, a.Len())
	for i, u := range a.Units {
		of[i] = -1
		for j, id := range layer.IDs {
			if id == u {
				of[i] = j
			}
		}
		if of[i] < 0 {
			t.Fatalf("account %s: unit %q is not in the layer", a.IDs[i], u)
		}
	}
	u, err := UnitMeasures(layer, &a, of)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// testUnitsDiff compares the unit tables of testdata/units, with the
// measures of its accounts summed by unit.
func testUnitsDiff(t *testing.T) *Diff {
	t.Helper()
	read := func(name string) *tabular.PlanFile {
		f, err := tabular.ReadPlanFile(filepath.Join("testdata", "units", name), tabular.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	d, err := Compare(read("old.csv"), read("new.csv"), testUnitMeasures(t))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestGoldenUnits compares the three output formats of the comparison of
// the hand-made unit tables with their golden files.
func TestGoldenUnits(t *testing.T) {
	d := testUnitsDiff(t)
	for _, tt := range []struct {
		golden string
		write  func(*bytes.Buffer, *Diff) error
	}{
		{"want.txt", func(b *bytes.Buffer, d *Diff) error { return WriteText(b, d) }},
		{"want.csv", func(b *bytes.Buffer, d *Diff) error { return WriteCSV(b, d) }},
		{"want.json", func(b *bytes.Buffer, d *Diff) error { return WriteJSON(b, d) }},
	} {
		t.Run(tt.golden, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.write(&b, d); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "units", tt.golden)
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

// TestCompareUnits checks the comparison of the hand-made unit tables
// against what testdata/units/README.md says changed, independently of
// the golden files.
func TestCompareUnits(t *testing.T) {
	d := testUnitsDiff(t)
	if !d.Units || d.MatchedBy != tabular.ColRepID {
		t.Errorf("units %v, matched by %q; want unit tables matched by rep_id", d.Units, d.MatchedBy)
	}
	type row struct {
		ID, Change, From, To string
		FromSplit, ToSplit   bool
	}
	var got []row
	for _, c := range d.Accounts {
		got = append(got, row{c.ID, c.Change, c.From.Territory, c.To.Territory, c.FromSplit, c.ToSplit})
	}
	want := []row{
		{"10", Moved, "T1", "T2", false, false},
		{"13001", BecameSplit, "T2", "T2", false, true},
		{"13003", BecameWhole, "T2", "T2", true, false},
		{"37001", Moved, "T3", "T1", false, true},
		{"45001", Removed, "T3", "", false, false},
		{"99001", Added, "", "T3", false, false},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("units (-want +got):\n%s", diff)
	}
	wantTotals := Totals{Old: 6, New: 6, Unchanged: 1, Moved: 2, Added: 1, Removed: 1, Split: 2, Whole: 1,
		MovedValues: []float64{4, 675, 6.75}} // accounts, revenue and workload of 10 and 37001
	if diff := cmp.Diff(wantTotals, d.Totals); diff != "" {
		t.Errorf("totals (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"accounts", "revenue", "workload"}, d.Measures); diff != "" {
		t.Errorf("measures (-want +got):\n%s", diff)
	}
	if d.Missing != 1 || d.FirstMissing != "45001" {
		t.Errorf("missing %d (first %q), want 1 (45001): the layer lacks it", d.Missing, d.FirstMissing)
	}
	// Units, not accounts, are counted per territory; revenue net as the
	// README says.
	type ter struct {
		Rep                        string
		Old, New, Gained, Lost     int
		RevenueGained, RevenueLost float64
	}
	var gotT []ter
	for _, tc := range d.Territories {
		gotT = append(gotT, ter{tc.Rep, tc.Old, tc.New, tc.Gained, tc.Lost, tc.GainedValues[1], tc.LostValues[1]})
	}
	wantT := []ter{{"R1", 2, 2, 1, 1, 425, 250}, {"R2", 2, 3, 1, 0, 250, 0}, {"R3", 2, 1, 1, 2, 70, 425}}
	if diff := cmp.Diff(wantT, gotT); diff != "" {
		t.Errorf("territories (-want +got):\n%s", diff)
	}
}

// TestCompareUnitsSplitColumn compares a unit table without a split
// column (no unit split) with one that marks a unit split: the unit
// became split, and nothing else changed.
func TestCompareUnitsSplitColumn(t *testing.T) {
	whole := plan(t, "a.csv", "unit_id,territory_id,rep_id\n1,T1,T1\n2,T2,T2\n")
	split := plan(t, "b.csv", "unit_id,territory_id,rep_id,split\n1,T1,T1,true\n2,T2,T2,false\n")
	d, err := Compare(whole, split, nil)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteCSV(&b, d); err != nil {
		t.Fatal(err)
	}
	want := "unit_id,change,from_territory_id,from_rep_id,to_territory_id,to_rep_id,from_split,to_split\n1,split,T1,T1,T1,T1,false,true\n"
	if b.String() != want {
		t.Errorf("csv = %q, want %q", b.String(), want)
	}
	if d.Totals.Split != 1 || d.Totals.Whole != 0 || d.Totals.Unchanged != 1 || len(d.Territories) != 0 || !d.Differs() {
		t.Errorf("totals %+v, %d territories, differs %v; want 1 split, 1 unchanged, no territory changed", d.Totals, len(d.Territories), d.Differs())
	}
	b.Reset()
	if err := WriteText(&b, d); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"0 units of 2 moved to another territory; 1 became split, 0 whole\n", "\nunit  change  from  to  split\n",
		"\n1     split   T1    T1  whole -> split\n", "\na split unit's territory is its default owner"} {
		if !strings.Contains(b.String(), w) {
			t.Errorf("text lacks %q:\n%s", w, b.String())
		}
	}

	// The same table twice: no difference.
	d, err = Compare(split, split, nil)
	if err != nil || d.Differs() || d.Totals.Unchanged != 2 {
		t.Errorf("a unit table with itself: %+v, %v", d, err)
	}
}

// TestCompareMixedTables checks that a unit table compared with an
// account table is a *TableError naming both files, whichever is first.
func TestCompareMixedTables(t *testing.T) {
	units := plan(t, "units.csv", "unit_id,territory_id,rep_id\n13001,T1,R1\n")
	accounts := plan(t, "assignments.csv", "account_id,unit_id,territory_id,rep_id\na,13001,T1,R1\n")
	for _, tt := range []struct {
		old, new *tabular.PlanFile
		want     string
	}{
		{units, accounts, `diff: "units.csv" is a unit table (unit_id) and "assignments.csv" is an account table (account_id): compare two unit tables (units.csv) or two account tables (assignments.csv)`},
		{accounts, units, `diff: "assignments.csv" is an account table (account_id) and "units.csv" is a unit table (unit_id): compare two unit tables (units.csv) or two account tables (assignments.csv)`},
	} {
		d, err := Compare(tt.old, tt.new, nil)
		var te *TableError
		if !errors.As(err, &te) || err.Error() != tt.want || d != nil {
			t.Errorf("Compare(%s, %s) = %v, %v; want a TableError %s", tt.old.Name, tt.new.Name, d, err, tt.want)
		}
	}
}

// TestCompareEditsUnitTables checks that edits go with account tables
// only.
func TestCompareEditsUnitTables(t *testing.T) {
	units := plan(t, "u.csv", "unit_id,territory_id\n1,T1\n")
	accounts := plan(t, "a.csv", "account_id,territory_id\na,T1\n")
	edits := plan(t, "e.csv", "account_id,territory_id\na,T1\n")
	unitEdits := plan(t, "ue.csv", "unit_id,territory_id\n1,T1\n")
	for _, tt := range []struct {
		name            string
		old, new, edits *tabular.PlanFile
		want            string
	}{
		{"unit tables", units, units, edits,
			`diff: edits of unit tables are not supported: "u.csv" and "u.csv" are unit tables, and edits ("e.csv") name accounts, as solve --fix keeps them`},
		{"unit table as edits", accounts, accounts, unitEdits,
			`diff: the edits "ue.csv" are a unit table (unit_id), but "a.csv" and "a.csv" are account tables: edits name accounts, as solve --fix keeps them`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := CompareEdits(tt.old, tt.new, tt.edits, nil)
			var te *TableError
			if !errors.As(err, &te) || err.Error() != tt.want {
				t.Errorf("error %v, want a TableError %s", err, tt.want)
			}
		})
	}
}

func TestUnitMeasures(t *testing.T) {
	u := testUnitMeasures(t)
	// testdata/units/README.md's table, and 0 for the empty unit 55555.
	want := map[string][]float64{
		"accounts": {1, 2, 1, 1, 2, 1, 0},
		"revenue":  {100, 250, 1000, 300, 425, 70, 0},
		"workload": {1, 2.5, 10, 3, 4.25, 0.7, 0},
	}
	got := map[string][]float64{}
	for _, m := range u.Measures {
		got[m.Column] = m.Values
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("measures by unit (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(testLayer().IDs, u.IDs); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
	if u.Measures[0].Name != territory.CountMeasure {
		t.Errorf("first measure %q, want the count", u.Measures[0].Name)
	}

	// Accounts with a count column of their own: no second count.
	a := &territory.Accounts{IDs: []string{"x", "y"}, Measures: []territory.Measure{{Name: "count", Column: "Count", Values: []float64{2, 3}}}}
	u, err := UnitMeasures(testLayer(), a, []int{0, 0})
	if err != nil {
		t.Fatal(err)
	}
	if len(u.Measures) != 1 || u.Measures[0].Values[0] != 5 {
		t.Errorf("measures %+v, want the accounts' own count, 5 in unit 2", u.Measures)
	}
	if _, err := UnitMeasures(testLayer(), a, []int{0, 7}); err == nil {
		t.Error("an account in unit 7 of 7: no error")
	}
	if _, err := UnitMeasures(testLayer(), a, []int{0}); err == nil {
		t.Error("units of 1 account for 2: no error")
	}
}
