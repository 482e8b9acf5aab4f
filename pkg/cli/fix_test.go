package cli

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/territory-optimizer/territory/pkg/demo"
	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/tabular"
)

// demoPlan is the demo's solved plan that the repository ships.
var demoPlan = filepath.Join("testdata", "demo", "assignments.csv")

// readCSVMap reads two columns of a CSV file: key column -> value column.
func readCSVMap(t *testing.T, path, key, value string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for j, h := range rows[0] {
		col[h] = j
	}
	out := map[string]string{}
	for _, r := range rows[1:] {
		out[r[col[key]]] = r[col[value]]
	}
	return out
}

// exampleEdits is the edits file the help's examples run: moves made by
// hand on the demo's plan (demoPlan), as demoEdits makes them.
var exampleEdits = filepath.Join(examplesDir, "demo-edits.csv")

// demoEdits makes an edits file of n moves made on the demo's plan the way
// an analyst makes them on the map: each a boundary account (one whose
// nearest other account is in another territory) moved to its
// neighbour's territory. It returns the file's text.
func demoEdits(t *testing.T, n int) string {
	t.Helper()
	a, space, err := tabular.ReadAccounts(bytes.NewReader(demo.AccountsCSV()), demo.AccountsFile, tabular.Options{})
	if err != nil {
		t.Fatal(err)
	}
	plan := readCSVMap(t, demoPlan, "account_id", "territory_id")
	var b strings.Builder
	b.WriteString("account_id,territory_id\n")
	// Every 13th account, so that the moves are spread over the map.
	found := 0
	for i := 0; found < n && i < a.Len(); i += 13 {
		near, nearD := -1, 0.0
		for j, loc := range a.Locs {
			if d := spatial.Distance(space, a.Locs[i], loc); j != i && (near < 0 || d < nearD) {
				near, nearD = j, d
			}
		}
		if to := plan[a.IDs[near]]; to != plan[a.IDs[i]] {
			fmt.Fprintf(&b, "%s,%s\n", a.IDs[i], to)
			found++
		}
	}
	if found < n {
		t.Fatalf("found %d boundary accounts to move, want %d", found, n)
	}
	return b.String()
}

// readExampleEdits reads the example edits file, and checks that every
// row of it moves an account of the demo's plan.
func readExampleEdits(t *testing.T) map[string]string {
	t.Helper()
	edits := readCSVMap(t, exampleEdits, "account_id", "territory_id")
	plan := readCSVMap(t, demoPlan, "account_id", "territory_id")
	for id, to := range edits {
		if plan[id] == to {
			t.Fatalf("%s: %s is in %s in %s already: the edits are not moves of the demo's plan now "+
				"(run go test ./pkg/cli -run TestExampleFiles -update)", exampleEdits, id, to, demoPlan)
		}
	}
	return edits
}

// TestSolveFixDemo is issue 18's rebalance on the demo, as the help's
// example runs it: the moves of the example edits file, made on the
// demo's plan, are kept, every rule is met (exit 0), and few other
// accounts move. It fails if --fix is dropped (the edits are then not in
// the plan) or the rebalance is (more accounts move).
func TestSolveFixDemo(t *testing.T) {
	edits, moves := exampleEdits, readExampleEdits(t)
	out := filepath.Join(t.TempDir(), "out")
	code, _, stderr := runMain(t, "solve", "--demo", "--plan", demoPlan, "--fix", edits, "-o", out, "--formats", "csv,json")
	if code != exitOK {
		t.Fatalf("exit %d, want 0; stderr:\n%s", code, stderr)
	}
	got := readCSVMap(t, filepath.Join(out, assignmentsFile), "account_id", "territory_id")
	for id, to := range moves {
		if got[id] != to {
			t.Errorf("edited account %s is in %s, not %s", id, got[id], to)
		}
	}
	// The moves from today's plan: the edits, and as few more as the
	// rules need (2 when this test was written).
	today := readCSVMap(t, demoPlan, "account_id", "territory_id")
	listed := readCSVMap(t, filepath.Join(out, movesFile), "account_id", "to_territory_id")
	more := 0
	for id, to := range got {
		if to == today[id] {
			continue
		}
		if listed[id] != to {
			t.Errorf("account %s moved %s -> %s but moves.csv says %q", id, today[id], to, listed[id])
		}
		if _, edited := moves[id]; !edited {
			more++
		}
	}
	if more > 10 {
		t.Errorf("%d accounts moved besides the %d edits, want a few", more, len(moves))
	}
	if want := fmt.Sprintf("around %d edits of %q (%d more %s moved): all balance rules met", len(moves), edits, more, plural(more, "account", "accounts")); !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
	var sum struct {
		Settings struct {
			Solver struct {
				Fixed     int  `json:"fixed"`
				Rebalance bool `json:"rebalance"`
			} `json:"solver"`
		} `json:"settings"`
	}
	b, err := os.ReadFile(filepath.Join(out, summaryFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	if s := sum.Settings.Solver; s.Fixed != len(moves) || !s.Rebalance {
		t.Errorf("summary.json settings.solver: fixed %d, rebalance %v; want %d, true", s.Fixed, s.Rebalance, len(moves))
	}
}

// TestSolveFixWithoutStart solves the demo, which has no owners, around
// edits made on its plan without --plan: today's plan is then the one
// solve makes without the edits, which is the demo's plan, so the run
// keeps the edits and moves what TestSolveFixDemo's run moves.
func TestSolveFixWithoutStart(t *testing.T) {
	if testing.Short() {
		t.Skip("solves the demo twice")
	}
	edits, moves := exampleEdits, readExampleEdits(t)
	dir := t.TempDir()
	code, _, stderr := runMain(t, "solve", "--demo", "--fix", edits, "-o", filepath.Join(dir, "out"), "--formats", "csv")
	if code != exitOK {
		t.Fatalf("exit %d, want 0; stderr:\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "today's plan is taken to be the one these inputs and settings make without the edits") {
		t.Errorf("stderr lacks the warning about the start:\n%s", stderr)
	}
	got := readCSVMap(t, filepath.Join(dir, "out", assignmentsFile), "account_id", "territory_id")
	for id, to := range moves {
		if got[id] != to {
			t.Errorf("edited account %s is in %s, not %s", id, got[id], to)
		}
	}
	code, _, stderr = runMain(t, "solve", "--demo", "--plan", demoPlan, "--fix", edits, "-o", filepath.Join(dir, "planned"), "--formats", "csv")
	if code != exitOK {
		t.Fatalf("with --plan: exit %d, want 0; stderr:\n%s", code, stderr)
	}
	for _, name := range []string{assignmentsFile, movesFile} {
		a, _ := os.ReadFile(filepath.Join(dir, "out", name))
		b, _ := os.ReadFile(filepath.Join(dir, "planned", name))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s differs with --plan %s from without it", name, demoPlan)
		}
	}
}

// TestSolveFixErrors checks the edits that are refused: each problem with
// its file and row, exit 1, and no output written.
func TestSolveFixErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	accounts := write("accounts.csv", "id,x,y,owner,locked\na1,0,0,r1,yes\na2,1,1,r1,no\na3,2,0,r1,no\na4,10,0,r2,no\na5,11,1,r2,no\na6,12,0,r2,no\n")
	noOwners := write("plain.csv", "id,x,y\na1,0,0\na2,1,1\na3,2,0\na4,10,0\na5,11,1\na6,12,0\n")
	reps := write("reps.csv", "id,x,y\nr1,1,0\nr2,11,0\n")
	run := []string{"solve", "--accounts", accounts, "--reps", reps, "--balance", "count:0%", "--formats", "csv"}
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStderr []string // the lines of stderr
	}{
		{
			name: "unknown account and territory",
			args: append(run, "--fix", write("unknown.csv", "account_id,territory_id\nzz,T2\na3,T9\na4,T1\n")),
			wantStderr: []string{
				`read edits "` + filepath.Join(dir, "unknown.csv") + `": row 2, column "account_id": account "zz" is not among the accounts in "` + accounts + `"`,
				`read edits "` + filepath.Join(dir, "unknown.csv") + `": row 3, column "territory_id": territory "T9" is not one of the 2 territories (T1, T2)`,
			},
		},
		{
			name: "an unknown rep",
			args: append(run, "--fix", write("reps9.csv", "account_id,rep_id\na3,r9\n")),
			wantStderr: []string{
				`read edits "` + filepath.Join(dir, "reps9.csv") + `": row 2, column "rep_id": rep "r9" is not among the reps in "` + reps + `"`,
			},
		},
		{
			name: "an edit of a locked account",
			args: append(run, "--fix", write("locked.csv", "account_id,territory_id\na3,T2\na1,T2\n")),
			wantStderr: []string{
				`read edits "` + filepath.Join(dir, "locked.csv") + `": row 3: account "a1" is locked with rep "r1" (row 2 of "` + accounts +
					`"): the edit cannot move it to T2 (rep "r2"); unlock the account or drop the edit`,
			},
		},
		{
			name: "a locked account where it is locked is no edit",
			args: append(run, "--fix", write("pinned.csv", "account_id,territory_id\na1,T1\na9,T1\n")),
			wantStderr: []string{
				`read edits "` + filepath.Join(dir, "pinned.csv") + `": row 3, column "account_id": account "a9" is not among the accounts in "` + accounts + `"`,
			},
		},
		{
			name: "an edits file that is no plan",
			args: append(run, "--fix", write("bad.csv", "account,revenue\na1,5\n")),
			wantStderr: []string{`read edits "` + filepath.Join(dir, "bad.csv") +
				`": row 1: no territory_id or rep_id column: a plan file has a header row with account_id and territory_id or rep_id, as assignments.csv`},
		},
		{
			name: "today's plan lacks an account, and a bad edits file is reported with it",
			args: []string{"solve", "--accounts", noOwners, "--reps", reps, "--formats", "csv",
				"--plan", write("today.csv", "account_id,rep_id\na1,r1\na2,r1\na3,r1\na4,r2\na5,r2\n"), "--fix", filepath.Join(dir, "nope.csv")},
			wantStderr: []string{`read edits "` + filepath.Join(dir, "nope.csv") + `": no such file`},
		},
		{
			name: "today's plan lacks an account",
			args: []string{"solve", "--accounts", noOwners, "--reps", reps, "--formats", "csv",
				"--plan", filepath.Join(dir, "today.csv"), "--fix", write("ok.csv", "account_id,territory_id\na3,T2\n")},
			wantStderr: []string{`read plan "` + filepath.Join(dir, "today.csv") + `": account "a6" (row 7 of "` + noOwners + `") is not in the plan: every account needs a territory`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			code, stdout, stderr := runMain(t, append(tt.args, "-o", out)...)
			if code != exitError {
				t.Errorf("exit %d, want 1; stderr:\n%s", code, stderr)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
			if diff := cmp.Diff(tt.wantStderr, strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")); diff != "" {
				t.Errorf("stderr (-want +got):\n%s", diff)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("%s was written despite the error", out)
			}
		})
	}
}

// TestDiffEditsDemo tells the edits from the rebalance (issue 18): after
// solve --fix on the demo, diff --edits against the demo's plan gives the
// six edits the cause edit, every other move the cause rebalance, and
// lists no edit as not kept; a plan without the edits lists all six.
func TestDiffEditsDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("solves around the demo's edits; package plandiff tests the causes in short runs")
	}
	moves := readExampleEdits(t)
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := runMain(t, "solve", "--demo", "--plan", demoPlan, "--fix", exampleEdits, "-o", out, "--formats", "csv", "-q"); code != exitOK {
		t.Fatalf("solve --fix: exit %d; stderr:\n%s", code, stderr)
	}
	code, stdout, stderr := runDiffCmd(t, "--edits", exampleEdits, "--format", "json", demoPlan, filepath.Join(out, assignmentsFile))
	if code != exitOK {
		t.Fatalf("diff --edits: exit %d; stderr:\n%s", code, stderr)
	}
	var doc struct {
		Accounts []struct {
			ID    string `json:"account_id"`
			Cause string `json:"cause"`
		} `json:"accounts"`
		Edits struct {
			ByEdit      int   `json:"by_edit"`
			ByRebalance int   `json:"by_rebalance"`
			NotAsEdited int   `json:"not_as_edited"`
			NotKept     []any `json:"not_kept"`
		} `json:"edits"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	rebalanced := 0
	for _, a := range doc.Accounts {
		_, edited := moves[a.ID]
		switch {
		case edited && a.Cause != "edit", !edited && a.Cause != "rebalance":
			t.Errorf("account %s: cause %q (edited: %v)", a.ID, a.Cause, edited)
		case !edited:
			rebalanced++
		}
	}
	if e := doc.Edits; e.ByEdit != len(moves) || e.ByRebalance != rebalanced || rebalanced == 0 || e.NotAsEdited != 0 || len(e.NotKept) != 0 {
		t.Errorf("edits %+v; want %d by edit, %d (> 0) by rebalance, none not kept", e, len(moves), rebalanced)
	}

	// Had the fix been dropped, the plan would be the demo's: no edit kept.
	code, stdout, _ = runDiffCmd(t, "--edits", exampleEdits, demoPlan, demoPlan)
	want := fmt.Sprintf("%d of the %d edits of %q are not kept in %q:", len(moves), len(moves), exampleEdits, demoPlan)
	if code != exitOK || !strings.HasPrefix(stdout, want) || strings.Count(stdout, "\n") != len(moves)+3 {
		t.Errorf("a plan without the edits: exit %d, stdout\n%s\nwant it to start %q and list %d edits", code, stdout, want, len(moves))
	}
}
