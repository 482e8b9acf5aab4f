package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/territory-optimizer/territory/pkg/demo"
	"github.com/territory-optimizer/territory/pkg/scenario"
	"github.com/territory-optimizer/territory/pkg/territory"
)

func TestNewEvaluateCmd(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    evaluateOptions
		wantErr string // a substring of the error; "" for none
	}{
		{
			name: "demo with a plan",
			args: []string{"--demo", "--plan", "out/assignments.csv"},
			want: evaluateOptions{inputOptions: inputOptions{Demo: true, Changed: []string{"demo", "plan"}},
				Plan: "out/assignments.csv", OutDir: defaultOutDir, Formats: scenario.Formats(), Basemap: "outlines"},
		},
		{
			name: "every flag",
			args: []string{"--accounts", "a.csv", "--reps", "r.csv", "--plan", "-", "-k", "3", "--balance", "revenue:3%",
				"--objective", "distance", "--weight", "revenue", "--center", "unit", "-o", "eval", "--formats", "csv,json", "--formats", "MD", "--basemap", "none", "-q"},
			want: evaluateOptions{
				inputOptions: inputOptions{AccountsFile: "a.csv", RepsFile: "r.csv", K: 3,
					Rules:   []territory.BalanceRule{{Measure: "revenue", HasTolerance: true, Tolerance: 0.03}},
					Changed: []string{"accounts", "reps", "plan", "territories", "balance", "objective", "weight", "center", "out", "formats", "basemap", "quiet"}},
				Plan: "-", Objective: "distance", Weight: "revenue", Center: "unit", OutDir: "eval", Formats: []string{"csv,json", "MD"}, Basemap: "none", Quiet: true,
			},
		},
		{
			name: "today's alignment",
			args: []string{"--accounts", "a.csv", "--reps", "r.csv"},
			want: evaluateOptions{inputOptions: inputOptions{AccountsFile: "a.csv", RepsFile: "r.csv", Changed: []string{"accounts", "reps"}},
				OutDir: defaultOutDir, Formats: scenario.Formats(), Basemap: "outlines"},
		},
		{name: "owners need reps", args: []string{"--accounts", "a.csv", "-k", "3"}, wantErr: "no plan: give --plan FILE, or --reps FILE"},
		{name: "bad weight", args: []string{"--demo", "--plan", "p.csv", "--weight", "_"},
			wantErr: `--weight: "_" is not a measure name (expected a column of the accounts, such as population)`},
		{name: "no shape: evaluate solves nothing", args: []string{"--demo", "--plan", "p.csv", "--shape", "free"},
			wantErr: `unknown flag: --shape`},
		{name: "no accounts", args: []string{"--plan", "p.csv", "-k", "3"}, wantErr: "no accounts"},
		{name: "bad format", args: []string{"--demo", "--plan", "p.csv", "--formats", "pdf"}, wantErr: `unknown format "pdf"`},
		{name: "empty formats", args: []string{"--demo", "--plan", "p.csv", "--formats", ""}, wantErr: "--formats"},
		{name: "bad basemap", args: []string{"--demo", "--plan", "p.csv", "--basemap", "tiles"}, wantErr: `--basemap: unknown basemap "tiles"`},
		{name: "stdin twice", args: []string{"--accounts", "-", "--plan", "-", "-k", "2"}, wantErr: "cannot both read stdin"},
		{name: "argument", args: []string{"--demo", "plan.csv"}, wantErr: `takes no arguments, got "plan.csv"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *evaluateOptions
			cmd := newEvaluateCmd(Env{}, BuildInfo{}, func(_ context.Context, o *evaluateOptions) error {
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
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			got.Version = ""
			if diff := cmp.Diff(tt.want, *got, cmp.AllowUnexported(evaluateOptions{})); diff != "" {
				t.Errorf("options (-want +got):\n%s", diff)
			}
		})
	}
}

// writeDemoSubset writes the first n accounts of the embedded demo as a
// CSV file in dir, and returns its path.
func writeDemoSubset(t *testing.T, dir string, n int) string {
	t.Helper()
	lines := strings.SplitAfter(string(demo.AccountsCSV()), "\n")
	path := filepath.Join(dir, "accounts.csv")
	if err := os.WriteFile(path, []byte(strings.Join(lines[:n+1], "")), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// summaryResults reads a summary.json and returns what a plan's numbers
// are: everything but the settings and the version.
func summaryResults(t *testing.T, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	delete(doc, "settings")
	delete(doc, "version")
	return doc
}

// TestEvaluateMatchesSolve solves, evaluates the assignments.csv that
// solve wrote, and checks that evaluate reports the same numbers: the
// objective, every balance statistic, every territory (centre,
// compactness, loads) and the violations, for every kind of centre (which
// evaluate places itself: see solve.PlaceCentres).
func TestEvaluateMatchesSolve(t *testing.T) {
	dir := t.TempDir()
	accounts := writeDemoSubset(t, dir, 600)
	pmedcap := filepath.Join("..", "..", "testdata", "pmedcap1_01", "accounts.csv")
	counties := filepath.Join("..", "..", "testdata", "examples", "counties.geojson")
	tests := []struct {
		name string
		args []string // the inputs and problem, given to both commands
	}{
		{name: "demo: centres at the homes", args: []string{"--demo"}},
		{name: "free mean, sse", args: []string{"--accounts", accounts, "-k", "7", "--balance", "revenue:5%"}},
		{name: "geometric median, distance", args: []string{"--accounts", accounts, "-k", "7", "--balance", "revenue:5%", "--objective", "distance"}},
		{name: "at an account, sse", args: []string{"--accounts", accounts, "-k", "4", "--balance", "workload:10%", "--center", "unit"}},
		{name: "p-median, planar", args: []string{"--accounts", pmedcap, "-k", "5", "--balance", "demand:max=120", "--objective", "distance", "--center", "unit"}},
		// With a weight, both report the weighted objective, and evaluate
		// places the free centres weighted as solve does.
		{name: "weighted free mean, sse", args: []string{"--accounts", accounts, "-k", "7", "--balance", "revenue:5%", "--weight", "workload"}},
		{name: "weighted at an account, distance", args: []string{"--accounts", accounts, "-k", "4", "--balance", "revenue:10%",
			"--objective", "distance", "--center", "unit", "--weight", "Revenue"}},
		{name: "counties weighted by population", args: []string{"--accounts", counties, "-k", "8", "--balance", "pop2010:5%", "--weight", "pop2010"}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			solved := filepath.Join(dir, fmt.Sprint("solve", i))
			evaluated := filepath.Join(dir, fmt.Sprint("evaluate", i))
			code, _, stderr := runMain(t, append(append([]string{"solve"}, tt.args...), "-o", solved, "-q")...)
			if code != exitOK && code != exitUnmet {
				t.Fatalf("solve exit %d; stderr:\n%s", code, stderr)
			}
			plan := filepath.Join(solved, assignmentsFile)
			ecode, _, stderr := runMain(t, append(append([]string{"evaluate"}, tt.args...), "--plan", plan, "-o", evaluated, "--formats", "csv,json", "-q")...)
			if ecode != code {
				t.Fatalf("evaluate exit %d, solve %d; stderr:\n%s", ecode, code, stderr)
			}
			want := summaryResults(t, filepath.Join(solved, summaryFile))
			got := summaryResults(t, filepath.Join(evaluated, summaryFile))
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("summary.json of evaluate differs from solve's (-solve +evaluate):\n%s", diff)
			}
			for _, name := range []string{assignmentsFile, territoriesFile} {
				w, _ := os.ReadFile(filepath.Join(solved, name))
				g, _ := os.ReadFile(filepath.Join(evaluated, name))
				if !bytes.Equal(w, g) {
					t.Errorf("%s of evaluate differs from solve's", name)
				}
			}
		})
	}
}

// TestEvaluateTodaysAlignment scores the accounts' owner column and checks
// the per-rep totals in territories.csv against sums computed from the
// input file with encoding/csv alone (issue 5, acceptance 4).
func TestEvaluateTodaysAlignment(t *testing.T) {
	dir := t.TempDir()
	reps := "id,name,lat,lon,capacity\nR1,Ann,35,-80,1\nR2,Bob,40,-75,1\nR3,Cy,33,-97,0.5\n"
	var b strings.Builder
	b.WriteString("id,lat,lon,revenue,owner\n")
	for i := range 90 {
		// Owners cycle through the reps; locations spread over a box.
		fmt.Fprintf(&b, "a%02d,%.3f,%.3f,%d,R%d\n", i, 33+float64(i%9)*0.7, -97+float64(i/9)*2.1, 100+37*(i%11), 1+i%3)
	}
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	accounts, repsFile := write("accounts.csv", b.String()), write("reps.csv", reps)
	out := filepath.Join(dir, "today")
	code, stdout, stderr := runMain(t, "evaluate", "--accounts", accounts, "--reps", repsFile, "--balance", "revenue:5%", "-o", out)
	if code != exitUnmet && code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "evaluated today's alignment of 90 accounts in 3 territories") {
		t.Errorf("stderr = %q, want the summary line", stderr)
	}
	if !strings.Contains(stdout, "revenue:5%") {
		t.Errorf("stdout lacks the balance table:\n%s", stdout)
	}

	// The totals from the input file, by owner.
	rows, err := csv.NewReader(strings.NewReader(b.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{}
	count := map[string]int{}
	for _, r := range rows[1:] {
		v, err := strconv.ParseFloat(r[3], 64)
		if err != nil {
			t.Fatal(err)
		}
		want[r[4]] += v
		count[r[4]]++
	}
	f, err := os.Open(filepath.Join(out, territoriesFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for j, h := range got[0] {
		col[h] = j
	}
	if len(got) != 4 {
		t.Fatalf("territories.csv has %d rows, want a header and 3", len(got))
	}
	for _, r := range got[1:] {
		rep := r[col["rep_id"]]
		if r[col["revenue"]] != strconv.FormatFloat(want[rep], 'f', 2, 64) {
			t.Errorf("rep %s: revenue %s, want %.2f", rep, r[col["revenue"]], want[rep])
		}
		if r[col["accounts"]] != strconv.Itoa(count[rep]) {
			t.Errorf("rep %s: %s accounts, want %d", rep, r[col["accounts"]], count[rep])
		}
	}
	// Today's alignment moves nobody.
	md, err := os.ReadFile(filepath.Join(out, reportMDFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(md) == 0 {
		t.Error("report.md is empty")
	}
}

// TestEvaluateErrors checks the plans evaluate refuses, each problem with
// its file, row and column, and the settings it needs.
func TestEvaluateErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	accounts := write("accounts.csv", "id,lat,lon,revenue\na,35.1,-80.2,10\nb,35.2,-80.1,20\nc,35.3,-80.3,30\nd,35.4,-80.0,5\n")
	owners := write("owners.csv", "id,lat,lon,revenue,owner\na,35.1,-80.2,10,r1\nb,35.2,-80.1,20,\nc,35.3,-80.3,30,r2\n")
	reps := write("reps.csv", "id,name\nr1,Ann\nr2,Bob\n")
	plan := write("plan.csv", "account_id,rep_id\na,r1\nb,r9\nc,r2\nz,r1\n")
	byTerritory := write("byterritory.csv", "account_id,territory_id\na,T1\nb,T2\nc,T7\nd,T1\n")

	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStderr []string // substrings, each on some line
	}{
		{
			name:     "every problem of the plan",
			args:     []string{"--accounts", accounts, "--reps", reps, "--plan", plan},
			wantCode: exitError,
			wantStderr: []string{
				`read plan "` + plan + `": row 3, column "rep_id": rep "r9" is not among the reps in "` + reps + `"`,
				`read plan "` + plan + `": row 5, column "account_id": account "z" is not among the accounts in "` + accounts + `"`,
				`read plan "` + plan + `": account "d" (row 5 of "` + accounts + `") is not in the plan: every account needs a territory`,
			},
		},
		{
			name:       "territory ids of -k",
			args:       []string{"--accounts", accounts, "-k", "2", "--plan", byTerritory},
			wantCode:   exitError,
			wantStderr: []string{`row 4, column "territory_id": territory "T7" is not one of the 2 territories (T1, T2)`},
		},
		{
			name:       "accounts without an owner",
			args:       []string{"--accounts", owners, "--reps", reps},
			wantCode:   exitError,
			wantStderr: []string{`accounts "` + owners + `": row 3: account "b" has no owner: today's alignment needs every account's owner (or give --plan)`},
		},
		{
			name:       "no owner column",
			args:       []string{"--accounts", accounts, "--reps", reps},
			wantCode:   exitUsage,
			wantStderr: []string{`the accounts in "accounts.csv" have no owners: give --plan FILE, or map their owner column with --columns owner=NAME`},
		},
		{
			name:       "a missing plan and a bad input are reported together",
			args:       []string{"--accounts", write("bad.csv", "id,lat,lon\na,95,0\n"), "-k", "1", "--plan", filepath.Join(dir, "nope.csv")},
			wantCode:   exitError,
			wantStderr: []string{`latitude 95`, `read plan "` + filepath.Join(dir, "nope.csv") + `": no such file`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			code, stdout, stderr := runMain(t, append(append([]string{"evaluate"}, tt.args...), "-o", out)...)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.wantCode, stderr)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
			for _, w := range tt.wantStderr {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q; stderr:\n%s", w, stderr)
				}
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("%s was written despite the error", out)
			}
		})
	}
}

// TestEvaluateHandEditedPlan scores the demo's plan with five accounts
// moved by changing their territory column alone (issue 18): each is
// scored in its new territory, with its rep, and a warning names its row.
func TestEvaluateHandEditedPlan(t *testing.T) {
	if testing.Short() {
		t.Skip("scores the demo; TestDiffTerritoryOnlyEdits reads such a plan in short runs")
	}
	edited, moved := editDemoPlan(t, 5, false)
	out := filepath.Join(t.TempDir(), "eval")
	code, _, stderr := runMain(t, "evaluate", "--demo", "--plan", edited, "-o", out, "--formats", "csv")
	if code != exitOK && code != exitUnmet {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	if n := strings.Count(stderr, "warning: read plan "+strconv.Quote(edited)+": row "); n != len(moved) {
		t.Errorf("%d warnings about the edited rows, want %d; stderr:\n%s", n, len(moved), stderr)
	}
	f, err := os.Open(filepath.Join(out, assignmentsFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][2]string{}
	for _, r := range rows[1:] {
		if _, ok := moved[r[0]]; ok {
			got[r[0]] = [2]string{r[1], r[2]}
		}
	}
	if diff := cmp.Diff(moved, got); diff != "" {
		t.Errorf("scored territories of the edited accounts (-edited +scored):\n%s", diff)
	}
}

// TestEvaluateScenarioPlan scores the plan a scenario file's plan key
// names (relative to the file), as --plan would; the flag overrides it.
func TestEvaluateScenarioPlan(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	write("accounts.csv", "id,x,y\na,0,0\nb,1,0\nc,5,0\nd,6,0\n")
	today := write("today.csv", "account_id,territory_id\na,T1\nb,T1\nc,T2\nd,T2\n")
	other := write("other.csv", "account_id,territory_id\na,T1\nb,T2\nc,T2\nd,T2\n")
	config := write("s.yaml", "accounts: accounts.csv\nterritories: 2\nplan: today.csv\noutput: {formats: [csv]}\n")
	code, _, stderr := runMain(t, "evaluate", "--config", config, "-o", filepath.Join(dir, "out"))
	if code != exitOK || !strings.Contains(stderr, "evaluated the plan "+strconv.Quote(today)) {
		t.Errorf("exit %d, want 0 and the scenario's plan scored; stderr:\n%s", code, stderr)
	}
	code, _, stderr = runMain(t, "evaluate", "--config", config, "--plan", other, "-o", filepath.Join(dir, "out2"))
	if code != exitOK || !strings.Contains(stderr, "evaluated the plan "+strconv.Quote(other)) {
		t.Errorf("exit %d, want 0 and --plan scored; stderr:\n%s", code, stderr)
	}
}
