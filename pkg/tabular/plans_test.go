package tabular

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// planSummary writes what a plan file holds, one entry per account.
func planSummary(f *PlanFile) []string {
	var out []string
	for i, id := range f.IDs {
		s := id
		if f.HasTerritory {
			s += " " + f.Territories[i]
		}
		if f.HasRep {
			s += " " + f.Reps[i]
		}
		out = append(out, s)
	}
	return out
}

func TestReadPlan(t *testing.T) {
	plain := "account_id,territory_id,rep_id,distance_km\nb,T02,R2,1.5\na,T01,R1,0.25\n"
	tests := []struct {
		name     string
		in       string
		want     []string
		warnings []string
	}{
		{name: "assignments.csv", in: plain, want: []string{"b T02 R2", "a T01 R1"}},
		{name: "byte order mark", in: "\ufeff" + plain, want: []string{"b T02 R2", "a T01 R1"}},
		{name: "UTF-16 with tabs", in: utf16le(strings.ReplaceAll(strings.ReplaceAll(plain, ",", "\t"), "\n", "\r\n")),
			want: []string{"b T02 R2", "a T01 R1"}},
		{name: "semicolons and spelled-out headers", in: "Account ID;Rep\r\na;R1\r\n\r\nb;R2\r\n", want: []string{"a R1", "b R2"}},
		{name: "territory only", in: "id,territory\na,T1\n", want: []string{"a T1"}},
		{name: "bare quote", in: "account_id,rep_id\nJo's \"shop\",R1\n", want: []string{`Jo's "shop" R1`},
			warnings: []string{`read plan "p.csv": row 2, column "account_id": the field Jo's "shop" is not quoted but holds a '"': read as written ` +
				`(to be sure, quote the whole field and double the quotes inside it: "a ""b"" c")`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var warnings []string
			f, err := ReadPlan(strings.NewReader(tt.in), "p.csv", Options{Warn: func(e *territory.InputError) { warnings = append(warnings, e.Error()) }})
			if err != nil {
				t.Fatalf("ReadPlan: %v", err)
			}
			if diff := cmp.Diff(tt.want, planSummary(f)); diff != "" {
				t.Errorf("plan (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.warnings, warnings); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
			if i, ok := f.Lookup(f.IDs[0]); !ok || i != 0 {
				t.Errorf("Lookup(%q) = %d, %v; want 0, true", f.IDs[0], i, ok)
			}
		})
	}
}

func TestReadPlanErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{name: "empty", in: "", want: []string{`read plan "p.csv": ` + planEmptyMsg}},
		{name: "no account column", in: "territory_id\nT01\n", want: []string{
			`read plan "p.csv": row 1: no account_id column: a plan file has a header row with account_id and territory_id or rep_id, as assignments.csv`}},
		{name: "two rep columns", in: "id,rep,rep_id\na,R1,R1\n", want: []string{
			`read plan "p.csv": row 1, column "rep_id": a second column for rep_id (the first is "rep")`}},
		{name: "not closed", in: "account_id,rep_id\n\"a,R1\n", want: []string{
			`read plan "p.csv": row 2: quoted field is not closed properly (a quote inside a quoted field must be doubled, and the closing quote followed by the delimiter)`}},
		{name: "too many problems", in: "account_id,rep_id\n" + strings.Repeat(",R1\n", territory.MaxListed+3), want: func() []string {
			var w []string
			for row := 2; row < 2+territory.MaxListed; row++ {
				w = append(w, `read plan "p.csv": row `+strconv.Itoa(row)+`, column "account_id": empty account id`)
			}
			return append(w, `read plan "p.csv": more problems not shown: stopped reading after 50`)
		}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ReadPlan(strings.NewReader(tt.in), "p.csv", Options{})
			if f != nil {
				t.Errorf("got a plan of %d accounts, want none", f.Len())
			}
			if diff := cmp.Diff(tt.want, messages(t, err)); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

// TestReadPlanFile reads the Assignments sheet of a workbook shaped like
// report.xlsx (a Summary sheet first), and names a missing file.
func TestReadPlanFile(t *testing.T) {
	dir := t.TempDir()
	book := makeWorkbook(t,
		testSheet{name: "Summary", rows: [][]any{{"Territory report"}, {"Accounts", 2}}},
		testSheet{name: "Territories", rows: [][]any{{"Territory", "Rep", "Accounts"}, {"T01", "R1", 2}}},
		testSheet{name: "Assignments", rows: [][]any{{"Account", "Territory", "Rep", "Distance (km)"}, {"a", "T01", "R1", 1}, {"b", "T01", "R1", 2}}})
	path := filepath.Join(dir, "report.xlsx")
	if err := os.WriteFile(path, book, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := ReadPlanFile(path, Options{})
	if err != nil {
		t.Fatalf("ReadPlanFile: %v", err)
	}
	if diff := cmp.Diff([]string{"a T01 R1", "b T01 R1"}, planSummary(f)); diff != "" {
		t.Errorf("plan (-want +got):\n%s", diff)
	}
	if f.KeyColumn() != ColRepID || f.Key(1) != "R1" {
		t.Errorf("key column %q, key %q; want rep_id, R1", f.KeyColumn(), f.Key(1))
	}

	missing := filepath.Join(dir, "nope.csv")
	_, err = ReadPlanFile(missing, Options{})
	var ie *territory.InputError
	if !errors.As(err, &ie) || err.Error() != `read plan "`+missing+`": no such file` {
		t.Errorf("missing file: %v", err)
	}
}
