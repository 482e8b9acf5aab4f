package cli

import (
	"bytes"
	"encoding/csv"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// The example layer and accounts of a plan made of units (see
// ../../testdata/examples/README.md): the 305 counties of Georgia and the
// Carolinas, and 1,000 accounts placed in them.
var (
	exampleCountiesPath = filepath.Join("..", "..", "testdata", "examples", "counties.geojson")
	exampleUnitAcctPath = filepath.Join("..", "..", "testdata", "examples", "county_accounts.csv")
)

// solveCounties solves the example accounts on the example counties into
// k territories balanced on revenue (±5%), with the csv format only, into
// a new directory, and returns it.
func solveCounties(t *testing.T, k string, extra ...string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	args := append([]string{"solve", "--accounts", exampleUnitAcctPath, "--units", exampleCountiesPath, "-k", k,
		"--balance", "revenue:5%", "--formats", "csv", "-q", "-o", out}, extra...)
	if code, _, stderr := runMain(t, args...); code != exitOK {
		t.Fatalf("solve exits %d:\n%s", code, stderr)
	}
	return out
}

// readCSV reads a whole CSV file.
func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestUnitsAssignmentsColumn checks the unit_id column of assignments.csv
// in a run made of units: after account_id, every account's county, and
// each account in its county's territory (no county is split at 8
// territories); evaluate --plan assignments.csv reads it back and scores
// the same plan: the same territories.csv and assignments.csv.
func TestUnitsAssignmentsColumn(t *testing.T) {
	out := solveCounties(t, "8")
	rows := readCSV(t, filepath.Join(out, assignmentsFile))
	if want := []string{"account_id", "unit_id", "territory_id", "rep_id", "distance_km"}; !slices.Equal(rows[0], want) {
		t.Fatalf("assignments.csv header %q, want %q", rows[0], want)
	}
	units := readCSV(t, filepath.Join(out, unitsFile))
	if len(units[0]) != 3 {
		t.Fatalf("units.csv header %q: no county should be split at 8 territories", units[0])
	}
	territoryOf := map[string]string{}
	for _, r := range units[1:] {
		territoryOf[r[0]] = r[1]
	}
	for _, r := range rows[1:] {
		ter, ok := territoryOf[r[1]]
		if !ok {
			t.Fatalf("account %s: unit %q is not in units.csv", r[0], r[1])
		}
		if ter != r[2] {
			t.Errorf("account %s in %s, its county %s in %s", r[0], r[2], r[1], ter)
		}
	}
	if len(rows) != 1001 {
		t.Errorf("%d accounts, want 1,000", len(rows)-1)
	}

	eval := filepath.Join(t.TempDir(), "eval")
	code, _, stderr := runMain(t, "evaluate", "--accounts", exampleUnitAcctPath, "--units", exampleCountiesPath, "-k", "8",
		"--balance", "revenue:5%", "--plan", filepath.Join(out, assignmentsFile), "--formats", "csv", "-q", "-o", eval)
	if code != exitOK {
		t.Fatalf("evaluate --plan assignments.csv exits %d:\n%s", code, stderr)
	}
	for _, name := range []string{territoriesFile, assignmentsFile} {
		want, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(eval, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("evaluate --plan assignments.csv writes another %s than solve", name)
		}
	}
}

// TestUnitsAssignmentsReaders checks that the other readers of plan files
// take assignments.csv with its unit_id column: render --plan draws it,
// solve --plan starts from it (with --stickiness, so that the plan read
// matters), and solve --fix of the whole file without --units keeps every
// account where it is.
func TestUnitsAssignmentsReaders(t *testing.T) {
	out := solveCounties(t, "8")
	plan := filepath.Join(out, assignmentsFile)
	dir := t.TempDir()
	units := []string{"--accounts", exampleUnitAcctPath, "--units", exampleCountiesPath, "-k", "8", "--balance", "revenue:5%", "-q"}
	if code, _, stderr := runMain(t, append([]string{"render", "--plan", plan, "--formats", "svg", "-o", filepath.Join(dir, "render")}, units...)...); code != exitOK {
		t.Errorf("render --plan assignments.csv exits %d:\n%s", code, stderr)
	}
	if code, _, stderr := runMain(t, append([]string{"solve", "--plan", plan, "--stickiness", "1", "--formats", "csv", "-o", filepath.Join(dir, "sticky")}, units...)...); code != exitOK {
		t.Errorf("solve --plan assignments.csv exits %d:\n%s", code, stderr)
	}
	fixed := filepath.Join(dir, "fixed")
	if code, _, stderr := runMain(t, "solve", "--accounts", exampleUnitAcctPath, "-k", "8", "--plan", plan, "--fix", plan,
		"--formats", "csv", "-q", "-o", fixed); code != exitOK {
		t.Fatalf("solve --fix assignments.csv exits %d:\n%s", code, stderr)
	}
	want := map[string]string{}
	for _, r := range readCSV(t, plan)[1:] {
		want[r[0]] = r[2]
	}
	got := map[string]string{}
	for _, r := range readCSV(t, filepath.Join(fixed, assignmentsFile))[1:] {
		got[r[0]] = r[1] // no unit_id column without --units
	}
	if !maps.Equal(got, want) {
		t.Error("solve --fix with the whole plan as edits moved accounts")
	}
}

// TestUnitsAssignmentsColumnByID checks that accounts placed by their
// county id, not their location, have that county as their unit_id.
func TestUnitsAssignmentsColumnByID(t *testing.T) {
	dir := t.TempDir()
	accounts := filepath.Join(dir, "byid.csv")
	if err := os.WriteFile(accounts, []byte("id,geoid,revenue\na1,13121,100\na2,13089,120\na3,37119,90\na4,45019,110\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	if code, _, stderr := runMain(t, "solve", "--accounts", accounts, "--units", exampleCountiesPath, "-k", "2",
		"--formats", "csv", "-q", "-o", out); code != exitOK {
		t.Fatalf("solve exits %d:\n%s", code, stderr)
	}
	got := map[string]string{}
	for _, r := range readCSV(t, filepath.Join(out, assignmentsFile))[1:] {
		got[r[0]] = r[1]
	}
	want := map[string]string{"a1": "13121", "a2": "13089", "a3": "37119", "a4": "45019"}
	if !maps.Equal(got, want) {
		t.Errorf("unit_id of the accounts %v, want their geoid %v", got, want)
	}
}
