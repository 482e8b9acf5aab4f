package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/territory-optimizer/territory/pkg/territory"
)

func TestNewValidateCmd(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    validateOptions
		wantErr string
	}{
		{
			name: "accounts alone",
			args: []string{"--accounts", "a.csv"},
			want: validateOptions{inputOptions: inputOptions{AccountsFile: "a.csv", Changed: []string{"accounts"}}, Format: "text"},
		},
		{
			name: "every flag",
			args: []string{"--config", "s.yaml", "--accounts", "a.xlsx", "--accounts-sheet", "Accounts", "--columns", "id=Account ID",
				"--reps", "r.csv", "--reps-sheet", "Reps", "--rep-columns", "capacity=FTE", "-k", "4", "--balance", "revenue:3%", "--format", "json"},
			want: validateOptions{inputOptions: inputOptions{
				Config: "s.yaml", AccountsFile: "a.xlsx", AccountsSheet: "Accounts", AccountColumns: map[string]string{"id": "Account ID"},
				RepsFile: "r.csv", RepsSheet: "Reps", RepColumns: map[string]string{"capacity": "FTE"}, K: 4,
				Rules:   []territory.BalanceRule{{Measure: "revenue", HasTolerance: true, Tolerance: 0.03}},
				Changed: []string{"config", "accounts", "accounts-sheet", "columns", "reps", "reps-sheet", "rep-columns", "territories", "balance", "format"},
			}, Format: "json"},
		},
		{name: "a config alone", args: []string{"--config", "s.yaml"},
			want: validateOptions{inputOptions: inputOptions{Config: "s.yaml", Changed: []string{"config"}}, Format: "text"}},
		{name: "no accounts", args: []string{"--reps", "r.csv"}, wantErr: "no accounts: give --accounts FILE"},
		{name: "bad format", args: []string{"--accounts", "a.csv", "--format", "yaml"}, wantErr: `--format: unknown format "yaml" (expected text or json)`},
		{name: "no demo flag", args: []string{"--demo"}, wantErr: "unknown flag: --demo"},
		{name: "bad column key", args: []string{"--accounts", "a.csv", "--rep-columns", "owner=x"}, wantErr: `--rep-columns: unknown key "owner"`},
		{name: "both stdin", args: []string{"--accounts", "-", "--reps", "-"}, wantErr: "cannot both read stdin"},
		{name: "argument", args: []string{"a.csv"}, wantErr: `takes no arguments, got "a.csv"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *validateOptions
			cmd := newValidateCmd(Env{}, func(_ context.Context, o *validateOptions) error {
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
				if got != nil {
					t.Errorf("runF was called despite the error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, *got, cmp.AllowUnexported(validateOptions{})); diff != "" {
				t.Errorf("options (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRunValidateJSON checks the JSON listing that tools read: every
// problem with its severity, file, row, column, message and text, and
// what was read.
func TestRunValidateJSON(t *testing.T) {
	dir := t.TempDir()
	accounts := filepath.Join(dir, "a.csv")
	reps := filepath.Join(dir, "r.csv")
	if err := os.WriteFile(accounts, []byte("id,lat,lon,revenue,owner\na,35.1,-80.2,10,r1\nb,0,0,-2,r2\nc,35.3,-80.3,30,r7\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(reps, []byte("id,name\nr1,Ann\nr2,Bob\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	env := Env{Out: &stdout, Err: &stderr}
	opts := &validateOptions{inputOptions: inputOptions{AccountsFile: accounts, RepsFile: reps,
		Rules: []territory.BalanceRule{{Measure: "revenue", HasTolerance: true, Tolerance: 0.05}}}, Format: validateJSON}
	err := runValidate(context.Background(), env, opts)
	if err != errReported || exitCode(err) != exitError {
		t.Fatalf("runValidate = %v, want errReported (exit 1)", err)
	}
	if got, want := stderr.String(), "2 errors, 1 warning\n"; got != want {
		t.Errorf("stderr = %q, want %q", got, want)
	}
	var doc struct {
		Valid    bool
		Errors   int
		Warnings int
		Accounts struct {
			File, Format, Kind, Space string
			Count, Owners             int
			Measures                  []string
		}
		Reps     struct{ Count, Homes int }
		Problems []map[string]any
	}
	if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout.String())
	}
	if doc.Valid || doc.Errors != 2 || doc.Warnings != 1 {
		t.Errorf("valid %v, %d errors, %d warnings; want false, 2, 1", doc.Valid, doc.Errors, doc.Warnings)
	}
	if doc.Accounts.File != accounts || doc.Accounts.Format != "csv" || doc.Accounts.Count != 3 || doc.Accounts.Owners != 3 ||
		doc.Accounts.Kind != "points" || doc.Accounts.Space != "geographic" || !cmp.Equal(doc.Accounts.Measures, []string{"revenue"}) {
		t.Errorf("accounts = %+v", doc.Accounts)
	}
	if doc.Reps.Count != 2 || doc.Reps.Homes != 0 {
		t.Errorf("reps = %+v", doc.Reps)
	}
	want := []map[string]any{
		{"severity": "error", "file": accounts, "row": 3.0, "column": "revenue",
			"message": `negative value -2 in balanced measure "revenue"`,
			"text":    `accounts "` + accounts + `": row 3, column "revenue": negative value -2 in balanced measure "revenue"`},
		{"severity": "error", "file": accounts, "row": 4.0, "column": "",
			"message": `owner "r7" is not among the reps in "` + reps + `"`,
			"text":    `accounts "` + accounts + `": row 4: owner "r7" is not among the reps in "` + reps + `"`},
		{"severity": "warning", "file": accounts, "row": 3.0, "column": "",
			"message": "location is exactly 0,0 (latitude 0, longitude 0, in the Gulf of Guinea): usually a missing location",
			"text":    `accounts "` + accounts + `": row 3: location is exactly 0,0 (latitude 0, longitude 0, in the Gulf of Guinea): usually a missing location`},
	}
	if diff := cmp.Diff(want, doc.Problems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

// TestValidateCountsHidden checks that the count line counts the problems
// a reader found but did not list.
func TestValidateCountsHidden(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("id,lat,lon\n")
	for range 60 {
		b.WriteString("x,95,0\n") // 60 latitudes out of range, 59 duplicate ids
	}
	path := filepath.Join(dir, "a.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runMain(t, "validate", "--accounts", path)
	if code != exitError {
		t.Errorf("exit %d, want %d", code, exitError)
	}
	lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
	if got, want := lines[len(lines)-1], "119 errors, 0 warnings"; got != want {
		t.Errorf("last line %q, want %q", got, want)
	}
	if !strings.HasSuffix(lines[len(lines)-2], ": 69 more problems not shown") {
		t.Errorf("line before the count: %q, want the reader's count of problems not shown", lines[len(lines)-2])
	}
}
