package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/territory-optimizer/territory/pkg/plandiff"
)

func TestNewDiffCmd(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    diffOptions
		wantErr string // a substring of the error; "" for none
	}{
		{name: "two files", args: []string{"a.csv", "b.csv"}, want: diffOptions{Old: "a.csv", New: "b.csv", Format: diffText}},
		{
			name: "every flag",
			args: []string{"--accounts", "acc.xlsx", "--accounts-sheet", "Accounts", "--columns", `id="Account ID"`,
				"--edits", "edits.csv", "--format", "json", "--exit-code", "old.csv", "new.csv"},
			want: diffOptions{Old: "old.csv", New: "new.csv", AccountsFile: "acc.xlsx", AccountsSheet: "Accounts",
				AccountColumns: map[string]string{"id": "Account ID"}, Edits: "edits.csv", Format: diffJSON, ExitCode: true},
		},
		{name: "unit tables", args: []string{"--accounts", "acc.csv", "--units", "counties.geojson", "--unit-id", "geoid", "a.csv", "b.csv"},
			want: diffOptions{Old: "a.csv", New: "b.csv", AccountsFile: "acc.csv", UnitsFile: "counties.geojson", UnitID: "geoid", Format: diffText}},
		{name: "flags after the files", args: []string{"old.csv", "-", "--format", "csv"},
			want: diffOptions{Old: "old.csv", New: "-", Format: diffCSV}},
		{name: "one file", args: []string{"a.csv"}, wantErr: "takes two plan files, OLD and NEW; got 1 argument"},
		{name: "three files", args: []string{"a.csv", "b.csv", "c.csv"}, wantErr: "got 3 arguments"},
		{name: "bad format", args: []string{"--format", "xml", "a.csv", "b.csv"}, wantErr: `--format: unknown format "xml" (expected text, csv or json)`},
		{name: "stdin twice", args: []string{"-", "-"}, wantErr: "only one of OLD, NEW, --accounts, --units and --edits can read stdin"},
		{name: "edits from stdin too", args: []string{"--edits", "-", "a.csv", "-"}, wantErr: "only one of OLD, NEW, --accounts, --units and --edits can read stdin"},
		{name: "units from stdin too", args: []string{"--accounts", "acc.csv", "--units", "-", "-", "b.csv"}, wantErr: "only one of OLD, NEW, --accounts, --units and --edits can read stdin"},
		{name: "sheet without accounts", args: []string{"--accounts-sheet", "S", "a.csv", "b.csv"}, wantErr: "need --accounts FILE"},
		{name: "units without accounts", args: []string{"--units", "counties.geojson", "a.csv", "b.csv"},
			wantErr: "--accounts-sheet, --columns, --measure and --units need --accounts FILE"},
		{name: "unit id without units", args: []string{"--accounts", "acc.csv", "--unit-id", "geoid", "a.csv", "b.csv"},
			wantErr: "--unit-id names the id property of the layer of --units FILE: give --units"},
		{name: "unknown column key", args: []string{"--accounts", "x.csv", "--columns", "revenue=R", "a.csv", "b.csv"},
			wantErr: `--columns: unknown key "revenue"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *diffOptions
			cmd := newDiffCmd(Env{}, func(_ context.Context, o *diffOptions) error {
				got = o
				return nil
			})
			cmd.SetArgs(tt.args)
			cmd.SetIn(&bytes.Buffer{})
			cmd.SetOut(&bytes.Buffer{})
			cmd.SetErr(&bytes.Buffer{})
			cmd.SilenceErrors, cmd.SilenceUsage = true, true
			_, err := cmd.ExecuteC()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
				}
				if code := exitCode(err); code != exitUsage {
					t.Errorf("exit code %d, want %d", code, exitUsage)
				}
				if got != nil {
					t.Errorf("runF was called despite the error")
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if diff := cmp.Diff(tt.want, *got); diff != "" {
				t.Errorf("options (-want +got):\n%s", diff)
			}
		})
	}
}

// runDiffCmd runs `territory diff` with args and returns the exit code,
// stdout and stderr.
func runDiffCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runMain(t, append([]string{"diff"}, args...)...)
}

// TestDiffGolden runs `territory diff` in the three output formats on the
// hand-made plans of package plandiff (see
// ../plandiff/testdata/diff/README.md), from that package's directory, and
// compares its output with plandiff's golden files (regenerated with go
// test ./pkg/plandiff -update).
func TestDiffGolden(t *testing.T) {
	t.Chdir(filepath.Join("..", "plandiff"))
	dir := filepath.Join("testdata", "diff")
	for _, format := range []string{diffText, diffCSV, diffJSON} {
		t.Run(format, func(t *testing.T) {
			code, stdout, stderr := runDiffCmd(t, "--format", format, "--accounts", filepath.Join(dir, "accounts.csv"),
				filepath.Join(dir, "old.csv"), filepath.Join(dir, "new.csv"))
			if code != exitOK {
				t.Fatalf("exit code %d, want 0; stderr:\n%s", code, stderr)
			}
			wantWarning := "warning: 1 account of the plans is not in \"testdata/diff/accounts.csv\": its measures count as 0 (first: \"gone\")\n"
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

// TestDiffAcceptance is issue 5's acceptance test: the diff of a plan with
// itself reports nothing and exits 0 with --exit-code; after five accounts
// are moved by hand it reports exactly those five and exits 1.
func TestDiffAcceptance(t *testing.T) {
	plan := filepath.Join("testdata", "demo", "assignments.csv")
	for _, format := range []string{diffText, diffCSV, diffJSON} {
		code, stdout, stderr := runDiffCmd(t, "--exit-code", "--format", format, plan, plan)
		if code != exitOK {
			t.Fatalf("%s: a plan with itself exits %d, want 0; stderr:\n%s", format, code, stderr)
		}
		switch format {
		case diffText:
			if stdout != "" {
				t.Errorf("text: a plan with itself prints %q, want nothing", stdout)
			}
		case diffCSV:
			if strings.Count(stdout, "\n") != 1 {
				t.Errorf("csv: a plan with itself prints %q, want the header only", stdout)
			}
		case diffJSON:
			if !strings.Contains(stdout, `"accounts": [],`) || !strings.Contains(stdout, `"differs": false`) {
				t.Errorf("json: a plan with itself prints\n%s\nwant no accounts and differs false", stdout)
			}
		}
	}

	// Move five accounts by hand: each to the territory (and rep) of the
	// row after the next one that is in another territory.
	f, err := os.Open(plan)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	var moved []string
	for i := 1; len(moved) < 5; i += 997 {
		for j := i + 1; ; j++ {
			if rows[j][1] != rows[i][1] {
				rows[i][1], rows[i][2] = rows[j][1], rows[j][2]
				break
			}
		}
		moved = append(moved, rows[i][0])
	}
	edited := filepath.Join(t.TempDir(), "edited.csv")
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(edited, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	code, stdout, stderr := runDiffCmd(t, "--exit-code", "--format", "csv", plan, edited)
	if code != 1 {
		t.Fatalf("five moves exit %d, want 1; stderr:\n%s", code, stderr)
	}
	if stderr != "" {
		t.Errorf("stderr = %q, want nothing", stderr)
	}
	out, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range out[1:] {
		if r[1] != plandiff.Moved {
			t.Errorf("account %s: change %q, want moved", r[0], r[1])
		}
		got = append(got, r[0])
	}
	slices.Sort(moved)
	if diff := cmp.Diff(moved, got); diff != "" {
		t.Errorf("accounts reported (-moved by hand +reported):\n%s", diff)
	}

	// Without --exit-code the same diff exits 0.
	if code, _, stderr := runDiffCmd(t, plan, edited); code != exitOK {
		t.Errorf("without --exit-code: exit %d, want 0; stderr:\n%s", code, stderr)
	}
}

// TestDiffErrors checks that bad plan files are reported with file, row
// and column, exit 1, and exit 2 with --exit-code, where 1 means "differ".
func TestDiffErrors(t *testing.T) {
	good := "account_id,territory_id,rep_id\na,T01,R1\nb,T02,R2\n"
	tests := []struct {
		name  string
		plan  string
		wants []string // lines of stderr
	}{
		{name: "empty", plan: "", wants: []string{`read plan "bad.csv": the file is empty: expected a header row with account_id and territory_id or rep_id`}},
		{name: "no territory column", plan: "account_id,distance_km\na,1\n",
			wants: []string{`read plan "bad.csv": row 1: no territory_id or rep_id column: a plan file has a header row with account_id and territory_id or rep_id, as assignments.csv`}},
		{name: "no account column", plan: "territory_id\nT01\n", wants: []string{`row 1: no account_id column`}},
		{name: "every bad row", plan: "Account ID,territory_id,rep_id\na,T01,R1\nb,T02,R2\n,T01,R1\na,T02,R2\nc,,R2\nd,T02\ne,T02,R9\nf,T01,R1\ng,T02,R2\n",
			wants: []string{
				`read plan "bad.csv": row 4, column "Account ID": empty account id`,
				`read plan "bad.csv": row 5, column "Account ID": account "a" is listed twice (first on row 2)`,
				`read plan "bad.csv": row 6, column "territory_id": empty territory id`,
				`read plan "bad.csv": row 7: 2 fields, but the header has 3`,
				`read plan "bad.csv": row 8, column "rep_id": rep "R9" is not the rep of any territory in the file; territory "T02" has rep "R2" on 2 of its 3 rows (change the rep to "R2" to keep the account in "T02")`,
			}},
		{name: "bad quotes", plan: "account_id,rep_id\n\"a,R1\n", wants: []string{`read plan "bad.csv": row 2: quoted field is not closed properly`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "good.csv"), []byte(good), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "bad.csv"), []byte(tt.plan), 0o644); err != nil {
				t.Fatal(err)
			}
			t.Chdir(dir)
			for _, exitFlag := range []bool{false, true} {
				args := []string{"good.csv", "bad.csv"}
				want := exitError
				if exitFlag {
					args = append([]string{"--exit-code"}, args...)
					want = exitUsage // 2: "trouble", as diff(1) says
				}
				code, stdout, stderr := runDiffCmd(t, args...)
				if code != want {
					t.Errorf("--exit-code=%v: exit %d, want %d", exitFlag, code, want)
				}
				if stdout != "" {
					t.Errorf("stdout = %q, want nothing", stdout)
				}
				for _, w := range tt.wants {
					if !strings.Contains(stderr, w) {
						t.Errorf("stderr lacks %q; stderr:\n%s", w, stderr)
					}
				}
				// Nothing else: no line for the rows that are right.
				if n := strings.Count(stderr, "\n"); n != len(tt.wants) {
					t.Errorf("stderr has %d lines, want %d:\n%s", n, len(tt.wants), stderr)
				}
			}
		})
	}

	t.Run("missing file", func(t *testing.T) {
		t.Chdir(t.TempDir())
		code, _, stderr := runDiffCmd(t, "--exit-code", "old.csv", "new.csv")
		if code != 2 {
			t.Errorf("exit %d, want 2", code)
		}
		for _, w := range []string{`read plan "old.csv": no such file`, `read plan "new.csv": no such file`} {
			if !strings.Contains(stderr, w) {
				t.Errorf("stderr lacks %q; stderr:\n%s", w, stderr)
			}
		}
	})
	t.Run("nothing to match by", func(t *testing.T) {
		dir := t.TempDir()
		t.Chdir(dir)
		os.WriteFile("a.csv", []byte("account_id,rep_id\na,R1\n"), 0o644)
		os.WriteFile("b.csv", []byte("account_id,territory_id\na,T01\n"), 0o644)
		code, _, stderr := runDiffCmd(t, "a.csv", "b.csv")
		if code != exitError || !strings.Contains(stderr, `nothing to match territories by: "a.csv" has only rep_id and "b.csv" only territory_id`) {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
	})
}

// editDemoPlan writes a copy of the demo's solved plan
// (testdata/demo/assignments.csv) with n accounts moved by hand, each to
// the territory of the next row that is in another territory: with repToo,
// both columns changed; without, only the territory column, as people
// often edit. It returns the file and the moved accounts with the
// territory and rep each moved to.
func editDemoPlan(t *testing.T, n int, repToo bool) (string, map[string][2]string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "demo", "assignments.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	moved := map[string][2]string{}
	for i := 1; len(moved) < n; i += 997 {
		for j := i + 1; ; j++ {
			if rows[j][1] != rows[i][1] {
				rows[i][1] = rows[j][1]
				if repToo {
					rows[i][2] = rows[j][2]
				}
				moved[rows[i][0]] = [2]string{rows[j][1], rows[j][2]}
				break
			}
		}
	}
	path := filepath.Join(t.TempDir(), "edited.csv")
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, moved
}

// TestDiffTerritoryOnlyEdits is issue 18's hand-edited plan: five accounts
// moved by changing their territory column alone are reported as moved to
// their new territory and its rep, with one warning each naming the row,
// and nothing about the rows that were not edited.
func TestDiffTerritoryOnlyEdits(t *testing.T) {
	plan := filepath.Join("testdata", "demo", "assignments.csv")
	edited, moved := editDemoPlan(t, 5, false)
	code, stdout, stderr := runDiffCmd(t, "--exit-code", "--format", "csv", plan, edited)
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr:\n%s", code, stderr)
	}
	out, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][2]string{}
	for _, r := range out[1:] {
		got[r[0]] = [2]string{r[4], r[5]} // to_territory_id, to_rep_id
	}
	if diff := cmp.Diff(moved, got); diff != "" {
		t.Errorf("moves (-edited +reported):\n%s", diff)
	}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if len(lines) != len(moved) {
		t.Fatalf("stderr has %d lines, want one warning per edited row:\n%s", len(lines), stderr)
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, `warning: read plan "`+edited+`": row `) || !strings.Contains(l, "an account moved by changing its territory only") {
			t.Errorf("warning %q does not name the file and row of a move", l)
		}
	}
}
