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

// TestReadPlanUnits reads unit tables (units.csv): the unit ids take the
// accounts' place, the split column is read (absent: no unit split), and
// the problems and warnings say "unit".
func TestReadPlanUnits(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		ok       bool     // read without error
		want     []string // the plan read
		split    []bool
		problems []string // the errors; with ok, the warnings
	}{
		{name: "units.csv", in: "unit_id,territory_id,rep_id\n13001,T1,T1\n13003,T2,T2\n", ok: true,
			want: []string{"13001 T1 T1", "13003 T2 T2"}},
		{name: "split column", in: "unit_id,territory_id,rep_id,split\n13001,T1,T1,false\n13003,T2,T2,true\n", ok: true,
			want: []string{"13001 T1 T1", "13003 T2 T2"}, split: []bool{false, true}},
		{name: "territory moved by hand", in: "unit_id,territory_id,rep_id\n1,T1,R1\n2,T1,R1\n3,T2,R1\n4,T2,R2\n5,T2,R2\n", ok: true,
			want: []string{"1 T1 R1", "2 T1 R1", "3 T2 R2", "4 T2 R2", "5 T2 R2"},
			problems: []string{`read plan "u.csv": row 4, column "rep_id": unit "3" is in territory "T2" with rep "R1", the rep of territory "T1": ` +
				`read as rep "R2", the rep of "T2" (a unit moved by changing its territory only)`}},
		{name: "bad rows", in: "unit_id,territory_id,split\n1,T1,false\n1,T2,true\n,T1,false\n2,T1,maybe\n",
			problems: []string{
				`read plan "u.csv": row 3, column "unit_id": unit "1" is listed twice (first on row 2)`,
				`read plan "u.csv": row 4, column "unit_id": empty unit id`,
				`read plan "u.csv": row 5, column "split": invalid split value "maybe" (expected true or false)`,
			}},
		{name: "a rep of no territory", in: "unit_id,territory_id,rep_id\n1,T1,R1\n2,T1,R1\n3,T2,R2\n4,T2,R2\n5,T2,R9\n",
			problems: []string{`read plan "u.csv": row 6, column "rep_id": rep "R9" is not the rep of any territory in the file; ` +
				`territory "T2" has rep "R2" on 2 of its 3 rows (change the rep to "R2" to keep the unit in "T2")`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var warnings []string
			f, err := ReadPlan(strings.NewReader(tt.in), "u.csv", Options{Warn: func(e *territory.InputError) { warnings = append(warnings, e.Error()) }})
			if !tt.ok {
				if diff := cmp.Diff(tt.problems, messages(t, err)); diff != "" {
					t.Errorf("errors (-want +got):\n%s", diff)
				}
				return
			}
			if err != nil {
				t.Fatalf("ReadPlan: %v", err)
			}
			if !f.Units || f.AccountCol != ColUnitID {
				t.Errorf("units %v, id column %q; want a unit table by unit_id", f.Units, f.AccountCol)
			}
			if diff := cmp.Diff(tt.want, planSummary(f)); diff != "" {
				t.Errorf("plan (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.split, f.Split); diff != "" {
				t.Errorf("split (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.problems, warnings); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
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

// TestReadPlanEdited reads plan files edited by hand the way people edit
// them: the territory column of a row changed, its rep column left as it
// was. Such a row is read with the rep of its new territory, and a warning
// names it; the rows that were not edited are read as they are, even when
// the edited row comes first.
func TestReadPlanEdited(t *testing.T) {
	const head = "account_id,territory_id,rep_id\n"
	tests := []struct {
		name     string
		in       string
		want     []string
		warnings []string
	}{
		{
			name: "a row moved from T01 to T02",
			in:   head + "a,T01,R1\nb,T01,R1\nc,T01,R1\nd,T02,R2\ne,T02,R2\nf,T02,R1\ng,T03,R3\n",
			want: []string{"a T01 R1", "b T01 R1", "c T01 R1", "d T02 R2", "e T02 R2", "f T02 R2", "g T03 R3"},
			warnings: []string{`read plan "p.csv": row 7, column "rep_id": account "f" is in territory "T02" with rep "R1", the rep of territory "T01": ` +
				`read as rep "R2", the rep of "T02" (an account moved by changing its territory only)`},
		},
		{
			// Read first, as the old reader did, the edited row set T02's
			// rep to R1 and every later row of T01 and T02 was an error.
			name: "the edited row first",
			in:   head + "a,T02,R1\nb,T01,R1\nc,T01,R1\nd,T02,R2\ne,T02,R2\n",
			want: []string{"a T02 R2", "b T01 R1", "c T01 R1", "d T02 R2", "e T02 R2"},
			warnings: []string{`read plan "p.csv": row 2, column "rep_id": account "a" is in territory "T02" with rep "R1", the rep of territory "T01": ` +
				`read as rep "R2", the rep of "T02" (an account moved by changing its territory only)`},
		},
		{
			// More accounts moved into T02 than it had: the pairs the rows
			// name most (T01-R1 on 4 rows, T02-R2 on 2) still decide.
			name: "a territory that doubled",
			in:   head + "a,T01,R1\nb,T01,R1\nc,T01,R1\nd,T01,R1\ne,T02,R2\nf,T02,R2\ng,T02,R1\nh,T02,R1\nk,T02,R1\n",
			want: []string{"a T01 R1", "b T01 R1", "c T01 R1", "d T01 R1", "e T02 R2", "f T02 R2", "g T02 R2", "h T02 R2", "k T02 R2"},
			warnings: []string{
				`read plan "p.csv": row 8, column "rep_id": account "g" is in territory "T02" with rep "R1", the rep of territory "T01": ` +
					`read as rep "R2", the rep of "T02" (an account moved by changing its territory only)`,
				`read plan "p.csv": row 9, column "rep_id": account "h" is in territory "T02" with rep "R1", the rep of territory "T01": ` +
					`read as rep "R2", the rep of "T02" (an account moved by changing its territory only)`,
				`read plan "p.csv": row 10, column "rep_id": account "k" is in territory "T02" with rep "R1", the rep of territory "T01": ` +
					`read as rep "R2", the rep of "T02" (an account moved by changing its territory only)`,
			},
		},
		{
			// A rep column changed to another territory's rep looks the
			// same as a territory column changed, and is read the same way:
			// the territory column decides.
			name: "only the rep changed, to another territory's rep",
			in:   head + "a,T01,R1\nb,T01,R2\nc,T01,R1\nd,T02,R2\ne,T02,R2\n",
			want: []string{"a T01 R1", "b T01 R1", "c T01 R1", "d T02 R2", "e T02 R2"},
			warnings: []string{`read plan "p.csv": row 3, column "rep_id": account "b" is in territory "T01" with rep "R2", the rep of territory "T02": ` +
				`read as rep "R1", the rep of "T01" (an account moved by changing its territory only)`},
		},
		{
			name: "territory ids that are the rep ids",
			in:   head + "a,R1,R1\nb,R2,R2\nc,R2,R1\nd,R1,R1\n",
			want: []string{"a R1 R1", "b R2 R2", "c R2 R2", "d R1 R1"},
			warnings: []string{`read plan "p.csv": row 4, column "rep_id": account "c" is in territory "R2" with rep "R1", the rep of territory "R1": ` +
				`read as rep "R2", the rep of "R2" (an account moved by changing its territory only)`},
		},
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
		})
	}
}

// TestReadPlanEditedMany checks that the warnings about moved rows stop
// after maxMovedWarnings, and that the rest are counted.
func TestReadPlanEditedMany(t *testing.T) {
	var b strings.Builder
	b.WriteString("account_id,territory_id,rep_id\n")
	for i := range 100 {
		b.WriteString("a" + strconv.Itoa(i) + ",T01,R1\n")
		b.WriteString("b" + strconv.Itoa(i) + ",T02,R2\n")
	}
	const moved = maxMovedWarnings + 5
	for i := range moved {
		b.WriteString("m" + strconv.Itoa(i) + ",T02,R1\n")
	}
	var warnings []string
	f, err := ReadPlan(strings.NewReader(b.String()), "p.csv", Options{Warn: func(e *territory.InputError) { warnings = append(warnings, e.Error()) }})
	if err != nil {
		t.Fatal(err)
	}
	for i := range moved {
		if j, _ := f.Lookup("m" + strconv.Itoa(i)); f.Reps[j] != "R2" {
			t.Errorf("m%d: rep %q, want R2", i, f.Reps[j])
		}
	}
	if len(warnings) != maxMovedWarnings+1 || warnings[maxMovedWarnings] != `read plan "p.csv": 5 more rows read with the rep of their territory (accounts moved by changing the territory only)` {
		t.Errorf("%d warnings, the last %q", len(warnings), warnings[len(warnings)-1])
	}
}

// TestReadPlanConflicts checks rows whose territory and rep columns truly
// conflict: one error for each such row, naming it, and none for the rows
// that agree with the others.
func TestReadPlanConflicts(t *testing.T) {
	const head = "account_id,territory_id,rep_id\n"
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{
			name: "a rep that is no territory's",
			in:   head + "a,T01,R1\nb,T01,R9\nc,T01,R1\nd,T02,R2\n",
			want: []string{`read plan "p.csv": row 3, column "rep_id": rep "R9" is not the rep of any territory in the file; ` +
				`territory "T01" has rep "R1" on 2 of its 3 rows (change the rep to "R1" to keep the account in "T01")`},
		},
		{
			name: "two reps as often in one territory",
			in:   head + "a,T01,R1\nb,T01,R2\nc,T01,R1\nd,T01,R2\ne,T03,R3\n",
			want: func() []string {
				var w []string
				for row := 2; row <= 5; row++ {
					w = append(w, `read plan "p.csv": row `+strconv.Itoa(row)+`, column "territory_id": territory "T01" has no clear rep: `+
						`its rows name rep "R1" (2 rows) and rep "R2" (2 rows): give each territory's rows one rep, or change only the territory column to move an account`)
				}
				return w
			}(),
		},
		{
			name: "a territory no rep is paired with",
			in:   head + "a,T01,R1\nb,T01,R1\nc,T9,R1\nd,T02,R2\n",
			want: []string{`read plan "p.csv": row 4, column "territory_id": territory "T9" has no rep of its own: its rows name rep "R1" (1 row), ` +
				`and rep "R1" is the rep of territory "T01": give each territory's rows one rep, or change only the territory column to move an account`},
		},
		{
			name: "a rep in two territories as often",
			in:   head + "a,T01,R1\nb,T01,R1\nc,T02,R3\nd,T03,R3\n",
			want: []string{
				`read plan "p.csv": row 4, column "territory_id": territory "T02" has no rep of its own: its rows name rep "R3" (1 row), ` +
					`and rep "R3" is in no clear territory (its rows name territory "T02" (1 row) and territory "T03" (1 row)): give each territory's rows one rep, or change only the territory column to move an account`,
				`read plan "p.csv": row 5, column "territory_id": territory "T03" has no rep of its own: its rows name rep "R3" (1 row), ` +
					`and rep "R3" is in no clear territory (its rows name territory "T02" (1 row) and territory "T03" (1 row)): give each territory's rows one rep, or change only the territory column to move an account`,
			},
		},
		{
			name: "a rep with no clear territory, in a territory with a rep",
			in:   head + "a,T01,R1\nb,T01,R1\nc,T01,R3\nd,T02,R3\ne,T03,R3\n",
			want: []string{
				`read plan "p.csv": row 4, column "rep_id": rep "R3" has no clear territory: its rows name territory "T01" (1 row), territory "T02" (1 row) and territory "T03" (1 row); ` +
					`territory "T01" has rep "R1" (change the rep to "R1" to keep the account in "T01")`,
				`read plan "p.csv": row 5, column "territory_id": territory "T02" has no rep of its own: its rows name rep "R3" (1 row), and rep "R3" is in no clear territory ` +
					`(its rows name territory "T01" (1 row), territory "T02" (1 row) and territory "T03" (1 row)): give each territory's rows one rep, or change only the territory column to move an account`,
				`read plan "p.csv": row 6, column "territory_id": territory "T03" has no rep of its own: its rows name rep "R3" (1 row), and rep "R3" is in no clear territory ` +
					`(its rows name territory "T01" (1 row), territory "T02" (1 row) and territory "T03" (1 row)): give each territory's rows one rep, or change only the territory column to move an account`,
			},
		},
		{
			name: "among the other problems, in row order",
			in:   head + "a,T01,R1\nb,T01,R9\n,T01,R1\nc,T01,R1\nd,T01,R8\n",
			want: []string{
				`read plan "p.csv": row 3, column "rep_id": rep "R9" is not the rep of any territory in the file; territory "T01" has rep "R1" on 2 of its 4 rows (change the rep to "R1" to keep the account in "T01")`,
				`read plan "p.csv": row 4, column "account_id": empty account id`,
				`read plan "p.csv": row 6, column "rep_id": rep "R8" is not the rep of any territory in the file; territory "T01" has rep "R1" on 2 of its 4 rows (change the rep to "R1" to keep the account in "T01")`,
			},
		},
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

// TestReadEdits reads edits files: plan files of the accounts moved by
// hand, whose problems say "read edits".
func TestReadEdits(t *testing.T) {
	f, err := ReadEdits(strings.NewReader("account_id,territory_id\nA7,T02\nA9,T05\n"), "edits.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"A7 T02", "A9 T05"}, planSummary(f)); diff != "" {
		t.Errorf("edits (-want +got):\n%s", diff)
	}
	_, err = ReadEdits(strings.NewReader("account_id,territory_id\nA7,T02\nA7,T03\n"), "edits.csv", Options{})
	if diff := cmp.Diff([]string{`read edits "edits.csv": row 3, column "account_id": account "A7" is listed twice (first on row 2)`}, messages(t, err)); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	// Its columns are not paired: a few rows whose territory was changed
	// and rep left say nothing about the pairs, and are read as written.
	f, err = ReadEdits(strings.NewReader("account_id,territory_id,rep_id\nA7,T05,R01\nA9,T07,R01\n"), "edits.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"A7 T05 R01", "A9 T07 R01"}, planSummary(f)); diff != "" {
		t.Errorf("edits with both columns (-want +got):\n%s", diff)
	}
	missing := filepath.Join(t.TempDir(), "edits.csv")
	if _, err := ReadEditsFile(missing, Options{}); err == nil || err.Error() != `read edits "`+missing+`": no such file` {
		t.Errorf("missing file: %v", err)
	}
}
