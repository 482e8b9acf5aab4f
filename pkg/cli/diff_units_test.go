package cli

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDiffUnitsGolden runs `territory diff` in the three output formats on
// the hand-made unit tables of package plandiff (see
// ../plandiff/testdata/units/README.md), with the accounts placed in the
// units of its layer, and compares its output with plandiff's golden
// files.
func TestDiffUnitsGolden(t *testing.T) {
	t.Chdir(filepath.Join("..", "plandiff"))
	dir := filepath.Join("testdata", "units")
	for _, format := range []string{diffText, diffCSV, diffJSON} {
		t.Run(format, func(t *testing.T) {
			code, stdout, stderr := runDiffCmd(t, "--format", format, "--accounts", filepath.Join(dir, "accounts.csv"),
				"--units", filepath.Join(dir, "layer.geojson"), filepath.Join(dir, "old.csv"), filepath.Join(dir, "new.csv"))
			if code != exitOK {
				t.Fatalf("exit code %d, want 0; stderr:\n%s", code, stderr)
			}
			wantWarning := "warning: 1 unit of the plans is not in \"testdata/units/layer.geojson\": its measures count as 0 (first: \"45001\")\n"
			if stderr != wantWarning {
				t.Errorf("stderr = %q, want %q", stderr, wantWarning)
			}
			golden := filepath.Join(dir, "want."+map[string]string{diffText: "txt", diffCSV: "csv", diffJSON: "json"}[format])
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want), stdout); diff != "" {
				t.Errorf("%s differs from %s (-want +got):\n%s", format, golden, diff)
			}
		})
	}
}

// TestDiffUnitsCounties compares the units.csv of a run on the example
// counties with a copy edited by hand: one county moved to another
// territory, one marked split, one removed and one added. The diff names
// exactly those, in the words of units, and each county's accounts and
// revenue are the sums over the accounts that the run's assignments.csv
// puts in it (its unit_id column).
func TestDiffUnitsCounties(t *testing.T) {
	out := solveCounties(t, "8")
	oldUnits := filepath.Join(out, unitsFile)
	rows := readCSV(t, oldUnits)

	// 13121 (Fulton) moves to the territory of the first county in
	// another; 13089 (DeKalb) becomes split; 13001 is removed; 99999, a
	// unit the layer lacks, is added.
	territoryOf := map[string][2]string{}
	for _, r := range rows[1:] {
		territoryOf[r[0]] = [2]string{r[1], r[2]}
	}
	var to [2]string
	for _, r := range rows[1:] {
		if r[1] != territoryOf["13121"][0] {
			to = [2]string{r[1], r[2]}
			break
		}
	}
	edited := [][]string{{"unit_id", "territory_id", "rep_id", "split"}}
	for _, r := range rows[1:] {
		split := "false"
		switch r[0] {
		case "13001":
			continue
		case "13121":
			r[1], r[2] = to[0], to[1]
		case "13089":
			split = "true"
		}
		edited = append(edited, []string{r[0], r[1], r[2], split})
	}
	edited = append(edited, []string{"99999", to[0], to[1], "false"})
	newUnits := filepath.Join(t.TempDir(), "edited-units.csv")
	var buf bytes.Buffer
	if err := csv.NewWriter(&buf).WriteAll(edited); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(newUnits, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	// Each county's accounts and revenue, from assignments.csv's unit_id
	// and the accounts' revenue.
	revenueOf := map[string]float64{}
	accts := readCSV(t, exampleUnitAcctPath)
	col := func(header []string, name string) int {
		for j, h := range header {
			if h == name {
				return j
			}
		}
		t.Fatalf("no column %q in %q", name, header)
		return -1
	}
	rev := col(accts[0], "revenue")
	for _, r := range accts[1:] {
		v, err := strconv.ParseFloat(r[rev], 64)
		if err != nil {
			t.Fatal(err)
		}
		revenueOf[r[0]] = v
	}
	count, revenue := map[string]float64{}, map[string]float64{}
	for _, r := range readCSV(t, filepath.Join(out, assignmentsFile))[1:] {
		count[r[1]]++
		revenue[r[1]] += revenueOf[r[0]]
	}
	if count["13121"] == 0 || count["13089"] == 0 {
		t.Fatalf("Fulton has %v accounts and DeKalb %v: the test needs both with accounts", count["13121"], count["13089"])
	}

	units := []string{"--accounts", exampleUnitAcctPath, "--units", exampleCountiesPath}
	code, stdout, stderr := runDiffCmd(t, append(units, "--format", "csv", oldUnits, newUnits)...)
	if code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	if w := `warning: 1 unit of the plans is not in "` + exampleCountiesPath + `": its measures count as 0 (first: "99999")`; !strings.Contains(stderr, w) {
		t.Errorf("stderr lacks %q:\n%s", w, stderr)
	}
	got := readCSVText(t, stdout)
	from := territoryOf["13121"]
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	ter := func(id string) (string, string) { return territoryOf[id][0], territoryOf[id][1] }
	t01, r01 := ter("13001")
	t89, r89 := ter("13089")
	want := [][]string{
		{"unit_id", "change", "from_territory_id", "from_rep_id", "to_territory_id", "to_rep_id", "from_split", "to_split", "accounts", "revenue", "workload"},
		{"13001", "removed", t01, r01, "", "", "false", "", f(count["13001"]), f(revenue["13001"])},
		{"13089", "split", t89, r89, t89, r89, "false", "true", f(count["13089"]), f(revenue["13089"])},
		{"13121", "moved", from[0], from[1], to[0], to[1], "false", "false", f(count["13121"]), f(revenue["13121"])},
		{"99999", "added", "", "", to[0], to[1], "", "false", "0", "0"},
	}
	// The workload column is left out of the comparison of the rows.
	for i := 1; i < len(got); i++ {
		got[i] = got[i][:len(got[i])-1]
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diff --format csv (-want +got):\n%s", diff)
	}

	// Text: in the words of units; --exit-code says they differ.
	code, stdout, _ = runDiffCmd(t, append(units, "--exit-code", oldUnits, newUnits)...)
	if code != exitDiffers {
		t.Errorf("--exit-code: exit %d, want %d", code, exitDiffers)
	}
	lines := strings.Split(stdout, "\n")
	wantHead := "1 unit of 305 moved to another territory; 1 added, 1 removed; 1 became split, 0 whole; " +
		strconv.Itoa(int(count["13121"])) + " accounts moved; "
	if !strings.HasPrefix(lines[0], wantHead) {
		t.Errorf("headline %q, want it to start %q", lines[0], wantHead)
	}
	if !strings.HasPrefix(lines[2], "unit ") || !strings.Contains(lines[2], " split ") {
		t.Errorf("table header %q, want unit first and a split column", lines[2])
	}

	// JSON: units[] and the counts of units, not of accounts.
	_, stdout, _ = runDiffCmd(t, "--format", "json", oldUnits, newUnits)
	for _, w := range []string{`"old_units": 305,`, `"new_units": 305,`, `"became_split": 1,`, `"units": [`, `"unit_id": "13121",`} {
		if !strings.Contains(stdout, w) {
			t.Errorf("json lacks %s", w)
		}
	}
	for _, w := range []string{`"old_accounts"`, `"accounts": [`, `"account_id"`} {
		if strings.Contains(stdout, w) {
			t.Errorf("json of unit tables has %s", w)
		}
	}

	// A unit table with itself.
	code, stdout, stderr = runDiffCmd(t, "--exit-code", oldUnits, oldUnits)
	if code != exitOK || stdout != "" || stderr != "no differences: 305 units in both plans\n" {
		t.Errorf("units.csv with itself: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// readCSVText reads CSV text.
func readCSVText(t *testing.T, text string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestDiffUnitTableMismatch checks that a unit table is never compared
// with an account table, --units never used with account tables and edits
// never with unit tables: each is a usage error naming the files, exit 2
// with or without --exit-code, nothing on stdout, found before the
// accounts are read (the accounts file named here does not exist).
func TestDiffUnitTableMismatch(t *testing.T) {
	t.Chdir(t.TempDir())
	for name, text := range map[string]string{
		"units.csv":       "unit_id,territory_id,rep_id\n13001,T1,R1\n13003,T2,R2\n",
		"assignments.csv": "account_id,unit_id,territory_id,rep_id,distance_km\na,13001,T1,R1,1.000\nb,13003,T2,R2,2.000\n",
		"edits.csv":       "account_id,territory_id\na,T2\n",
	} {
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unit table, then account table", []string{"units.csv", "assignments.csv"},
			`diff: "units.csv" is a unit table (unit_id) and "assignments.csv" is an account table (account_id): compare two unit tables (units.csv) or two account tables (assignments.csv)`},
		{"account table, then unit table", []string{"--accounts", "missing.csv", "assignments.csv", "units.csv"},
			`diff: "assignments.csv" is an account table (account_id) and "units.csv" is a unit table (unit_id): compare two unit tables (units.csv) or two account tables (assignments.csv)`},
		{"units with account tables", []string{"--accounts", "missing.csv", "--units", "layer.geojson", "assignments.csv", "assignments.csv"},
			`--units sums the accounts' measures by unit for unit tables, but "assignments.csv" and "assignments.csv" are account tables (account_id): leave out --units`},
		{"edits with unit tables", []string{"--edits", "edits.csv", "units.csv", "units.csv"},
			`diff: edits of unit tables are not supported: "units.csv" and "units.csv" are unit tables, and edits ("edits.csv") name accounts, as solve --fix keeps them`},
	}
	for _, tt := range tests {
		for _, exitFlag := range []bool{false, true} {
			args := tt.args
			if exitFlag {
				args = append([]string{"--exit-code"}, args...)
			}
			code, stdout, stderr := runDiffCmd(t, args...)
			if code != exitUsage {
				t.Errorf("%s (--exit-code %v): exit %d, want %d", tt.name, exitFlag, code, exitUsage)
			}
			if stdout != "" {
				t.Errorf("%s: stdout %q, want nothing", tt.name, stdout)
			}
			if first, _, _ := strings.Cut(stderr, "\n"); first != tt.want {
				t.Errorf("%s: stderr\n%s\nwant first line\n%s", tt.name, stderr, tt.want)
			}
		}
	}
	// The account tables alone compare, unit_id column and all.
	if code, _, stderr := runDiffCmd(t, "assignments.csv", "assignments.csv"); code != exitOK || stderr != "no differences: 2 accounts in both plans\n" {
		t.Errorf("assignments.csv with itself: exit %d, stderr %q", code, stderr)
	}
}
