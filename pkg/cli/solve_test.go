package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/territory-optimizer/territory/pkg/derive"
	"github.com/territory-optimizer/territory/pkg/report"
	"github.com/territory-optimizer/territory/pkg/scenario"
	"github.com/territory-optimizer/territory/pkg/territory"
)

func TestNewSolveCmd(t *testing.T) {
	tol := func(measure string, pct float64) territory.BalanceRule {
		return territory.BalanceRule{Measure: measure, HasTolerance: true, Tolerance: pct / 100}
	}
	defaults := func(o solveOptions) solveOptions {
		o.Seed, o.OutDir, o.Effort, o.Shape, o.Version = defaultSeed, defaultOutDir, "normal", "regions", "1.0.0"
		o.Formats, o.Basemap = scenario.Formats(), "outlines"
		return o
	}
	in := func(o inputOptions, changed ...string) inputOptions {
		o.Changed = changed
		return o
	}
	tests := []struct {
		name    string
		args    []string
		want    solveOptions
		wantErr string // a substring of the error; "" for none
	}{
		{
			name: "demo",
			args: []string{"--demo"},
			want: defaults(solveOptions{inputOptions: in(inputOptions{Demo: true}, "demo")}),
		},
		{
			name: "every flag",
			args: []string{"--config", "s.yaml", "--accounts", "a.xlsx", "--accounts-sheet", "Accounts",
				"--columns", `id="Account ID",lat=Lat`, "--columns", "owner=", "--reps", "r.geojson",
				"--reps-sheet", "Reps", "--rep-columns", "capacity=FTE", "--measure", "hours=workload+0.5", "--plan", "today.csv", "--fix", "edits.csv", "--balance", "revenue:3%",
				"--balance", "workload:max=1800", "--objective", "distance", "--weight", "Pop 2010", "--center", "unit",
				"--shape", "free", "--contiguous", "--max-moves", "10%", "--stickiness", "0.5", "--effort", "thorough",
				"--time-limit", "90s", "--seed", "7", "-o", "plan", "--formats", "csv,JSON", "--formats", "svg", "--basemap", "OSM", "-q"},
			want: solveOptions{
				inputOptions: in(inputOptions{
					Config:         "s.yaml",
					AccountsFile:   "a.xlsx",
					AccountsSheet:  "Accounts",
					AccountColumns: map[string]string{"id": "Account ID", "lat": "Lat", "owner": ""},
					RepsFile:       "r.geojson",
					RepsSheet:      "Reps",
					RepColumns:     map[string]string{"capacity": "FTE"},
					Measures:       measures(t, "hours=workload+0.5"),
					Rules: []territory.BalanceRule{
						tol("revenue", 3),
						{Measure: "workload", HasMax: true, Max: 1800},
					},
				}, "config", "accounts", "accounts-sheet", "columns", "reps", "reps-sheet", "rep-columns",
					"measure", "plan", "fix", "balance", "objective", "weight", "center", "shape", "contiguous", "max-moves", "stickiness", "effort",
					"time-limit", "seed", "out", "formats", "basemap", "quiet"),
				Plan: "today.csv", Fix: "edits.csv",
				Objective: "distance", Weight: "Pop 2010", Center: "unit", Shape: "free", Contiguous: true,
				MaxMoves:   scenario.MoveLimit{Limited: true, Percent: true, Value: 10},
				Stickiness: 0.5, Effort: "thorough", TimeLimit: 90 * time.Second,
				Seed: 7, OutDir: "plan", Formats: []string{"csv,JSON", "svg"}, Basemap: "OSM", Quiet: true, Version: "1.0.0",
			},
		},
		{
			name: "k without reps",
			args: []string{"--accounts", "a.csv", "-k", "5"},
			want: defaults(solveOptions{inputOptions: in(inputOptions{AccountsFile: "a.csv", K: 5}, "accounts", "territories")}),
		},
		{
			name: "long territories flag and a bare measure",
			args: []string{"--accounts", "a.csv", "--territories", "3", "--balance", "Count"},
			want: defaults(solveOptions{inputOptions: in(inputOptions{AccountsFile: "a.csv", K: 3,
				Rules: []territory.BalanceRule{tol("count", 5)}}, "accounts", "territories", "balance")}),
		},
		{
			name: "accounts from stdin",
			args: []string{"--accounts", "-", "--reps", "r.csv", "--out", "x"},
			want: solveOptions{inputOptions: in(inputOptions{AccountsFile: "-", RepsFile: "r.csv"}, "accounts", "reps", "out"),
				Effort: "normal", Shape: "regions", Seed: defaultSeed, OutDir: "x", Formats: scenario.Formats(), Basemap: "outlines", Version: "1.0.0"},
		},
		{
			name: "a config file alone: what it lacks is checked when it is read",
			args: []string{"--config", "s.yaml"},
			want: defaults(solveOptions{inputOptions: in(inputOptions{Config: "s.yaml"}, "config")}),
		},
		{name: "demo with files", args: []string{"--demo", "--accounts", "a.csv"}, wantErr: "--demo uses the embedded"},
		{name: "no accounts", args: []string{"-k", "3"}, wantErr: "no accounts: give --accounts FILE, or --demo"},
		{name: "no territories", args: []string{"--accounts", "a.csv"}, wantErr: "no territories"},
		{name: "k zero", args: []string{"--accounts", "a.csv", "-k", "0"}, wantErr: "-k 0: the number of territories must be at least 1"},
		{name: "k negative", args: []string{"--accounts", "a.csv", "--reps", "r.csv", "-k", "-2"}, wantErr: "-k -2"},
		{name: "both stdin", args: []string{"--accounts", "-", "--reps", "-"}, wantErr: "cannot both read stdin"},
		{name: "edits and plan from stdin", args: []string{"--demo", "--plan", "-", "--fix", "-"},
			wantErr: "only one of --accounts, --reps, --plan and --fix can read stdin"},
		{name: "bad objective", args: []string{"--demo", "--objective", "fast"}, wantErr: `unknown objective "fast"`},
		{name: "bad centre", args: []string{"--demo", "--center", "middle"}, wantErr: `unknown centre "middle"`},
		{name: "shape in any case", args: []string{"--demo", "--shape", "FREE"},
			want: func() solveOptions {
				o := defaults(solveOptions{inputOptions: in(inputOptions{Demo: true}, "demo", "shape")})
				o.Shape = "FREE" // as given: the settings spell it canonically
				return o
			}()},
		{name: "bad shape", args: []string{"--demo", "--shape", "interleaved"},
			wantErr: `--shape: unknown shape "interleaved" (expected regions or free)`},
		{name: "empty shape", args: []string{"--demo", "--shape", ""}, wantErr: `--shape: unknown shape "" (expected regions or free)`},
		{name: "weight", args: []string{"--demo", "--weight", "revenue"},
			want: defaults(solveOptions{inputOptions: in(inputOptions{Demo: true}, "demo", "weight"), Weight: "revenue"})},
		{name: "bad weight", args: []string{"--demo", "--weight", "."},
			wantErr: `--weight: "." is not a measure name (expected a column of the accounts, such as population)`},
		{name: "bad rule", args: []string{"--demo", "--balance", "revenue:5"}, wantErr: `balance rule "revenue:5"`},
		{name: "derived measures", args: []string{"--demo", "--measure", "hours=workload+0.5", "--measure", " Per Visit = revenue / max(workload, 1)"},
			want: defaults(solveOptions{inputOptions: in(inputOptions{Demo: true,
				Measures: measures(t, "hours=workload+0.5", "Per Visit=revenue / max(workload, 1)")}, "demo", "measure")})},
		{name: "a derived measure that does not compile", args: []string{"--demo", "--measure", "workload=visits*(call_minutes+"},
			wantErr: `invalid argument "workload=visits*(call_minutes+" for "--measure" flag: measure "workload": cannot compile "visits*(call_minutes+": character 21: unexpected token EOF`},
		{name: "a derived measure without a name", args: []string{"--demo", "--measure", "visits*2"},
			wantErr: `invalid argument "visits*2" for "--measure" flag: "visits*2": expected NAME=EXPR`},
		{name: "a derived measure given twice", args: []string{"--demo", "--measure", "hours=workload", "--measure", "Hours=2"},
			wantErr: `--measure: measure "hours" is defined twice (hours=workload and Hours=2): keep one`},
		{name: "two rules for a measure", args: []string{"--demo", "--balance", "revenue:5%", "--balance", "Revenue:3%"},
			wantErr: `--balance revenue:3%: a second rule for measure "revenue"`},
		{name: "bad basemap", args: []string{"--demo", "--basemap", "google"},
			wantErr: `--basemap: unknown basemap "google" (expected outlines, osm or none)`},
		{name: "bad effort", args: []string{"--demo", "--effort", "fast"}, wantErr: `--effort: unknown effort "fast" (expected quick, normal or thorough)`},
		{name: "bad move limit", args: []string{"--demo", "--max-moves", "110%"}, wantErr: `invalid argument "110%" for "--max-moves" flag`},
		{name: "negative stickiness", args: []string{"--demo", "--stickiness", "-1"}, wantErr: `--stickiness: must be 0 or more, got -1`},
		{name: "bad seed", args: []string{"--demo", "--seed", "-1"}, wantErr: `invalid argument "-1"`},
		{name: "empty out", args: []string{"--demo", "-o", ""}, wantErr: "output directory must not be empty"},
		{name: "argument", args: []string{"--demo", "accounts.csv"}, wantErr: `takes no arguments, got "accounts.csv"`},
		{name: "unknown column key", args: []string{"--accounts", "a.csv", "-k", "2", "--columns", "revenue=Rev"},
			wantErr: `--columns: unknown key "revenue" (expected id, name, lat, lon, x, y, owner, locked or unit)`},
		{name: "capacity is a rep key", args: []string{"--accounts", "a.csv", "-k", "2", "--columns", "capacity=FTE"},
			wantErr: `--columns: unknown key "capacity"`},
		{name: "unknown rep column key", args: []string{"--accounts", "a.csv", "-k", "2", "--rep-columns", "owner=Rep"},
			wantErr: `--rep-columns: unknown key "owner" (expected id, name, lat, lon, x, y or capacity)`},
		{name: "columns without equals", args: []string{"--accounts", "a.csv", "-k", "2", "--columns", "id"},
			wantErr: `invalid argument "id" for "--columns" flag: id: expected KEY=NAME`},
		{name: "columns with an unclosed quote", args: []string{"--accounts", "a.csv", "-k", "2", "--columns", `id="Account ID`},
			wantErr: `a quote is not closed`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *solveOptions
			cmd := newSolveCmd(Env{}, BuildInfo{Version: "1.0.0"}, func(_ context.Context, o *solveOptions) error {
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
				t.Fatalf("unexpected error: %v", err)
			}
			if diff := cmp.Diff(tt.want, *got, cmp.AllowUnexported(solveOptions{})); diff != "" {
				t.Errorf("options (-want +got):\n%s", diff)
			}
		})
	}
}

// measures parses derived measures written NAME=EXPR.
func measures(t *testing.T, ss ...string) []*derive.Measure {
	t.Helper()
	var out []*derive.Measure
	for _, s := range ss {
		m, err := derive.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

// runMain runs the command line args in dir and returns the exit code,
// stdout and stderr.
func runMain(t testing.TB, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := Env{In: strings.NewReader(""), Out: &out, Err: &errb, IsTerminal: func() bool { return false }}
	code = Main(context.Background(), args, env, BuildInfo{Version: "0.0.0-test", Commit: "test"})
	return code, out.String(), errb.String()
}

func TestSolveInputErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	geo := write("geo.csv", "id,lat,lon,revenue\na,35.1,-80.2,10\nb,35.2,-80.1,20\nc,35.3,-80.3,30\n")
	planar := write("planar.csv", "id,x,y,demand\n1,0,0,1\n2,1,0,1\n3,0,1,1\n")
	bad := write("bad.csv", "id,lat,lon,revenue\na,35.1,-80.2,10\nb,412.5,-80.1,20\nc,35.3,-80.3,12x\n")
	reps2 := write("reps2.csv", "id,name\nr1,Ann\nr2,Bob\n")
	geoReps := write("georeps.csv", "id,lat,lon\nr1,35,-80\nr2,36,-81\n")
	visits := write("visits.csv", "id,x,y,visits\n1,0,0,2\n2,1,0,1\n3,0,1,x\n4,5,5,1\n")
	negVisits := write("negvisits.csv", "id,x,y,visits\n1,0,0,2\n2,1,0,-1\n3,0,1,1\n4,5,5,1\n")

	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStderr []string // regular expressions, each matching some line
	}{
		{
			name:       "missing file",
			args:       []string{"solve", "--accounts", filepath.Join(dir, "nope.csv"), "-k", "2"},
			wantCode:   1,
			wantStderr: []string{`nope\.csv`},
		},
		{
			name:       "every bad cell is listed",
			args:       []string{"solve", "--accounts", bad, "-k", "2", "--balance", "revenue"},
			wantCode:   1,
			wantStderr: []string{`bad\.csv.*row 3.*412\.5`, `bad\.csv.*row 4.*12x`},
		},
		{
			name:       "rule on an unknown measure",
			args:       []string{"solve", "--accounts", geo, "-k", "2", "--balance", "workload"},
			wantCode:   1,
			wantStderr: []string{`workload`},
		},
		{
			name:       "weight on an unknown measure",
			args:       []string{"solve", "--accounts", geo, "-k", "2", "--weight", "population"},
			wantCode:   1,
			wantStderr: []string{`^read accounts ".*geo\.csv": no column for measure "population" \(found "id", "lat", "lon", "revenue"\)$`},
		},
		{
			name:       "weight on an unknown measure, evaluate",
			args:       []string{"evaluate", "--accounts", geo, "-k", "2", "--plan", geo, "--weight", "Pop 2010"},
			wantCode:   1,
			wantStderr: []string{`^read accounts ".*geo\.csv": no column for measure "pop_2010"`},
		},
		{
			name:       "weights that are not numbers 0 or more",
			args:       []string{"solve", "--accounts", visits, "-k", "2", "--weight", "visits"},
			wantCode:   1,
			wantStderr: []string{`^read accounts ".*visits\.csv": row 4, column "visits": invalid number "x"`},
		},
		{
			// What the readers accept and territory.Problem.Validate refuses.
			name:     "a negative weight",
			args:     []string{"solve", "--accounts", negVisits, "-k", "2", "--weight", "visits"},
			wantCode: 1,
			wantStderr: []string{
				`^accounts ".*negvisits\.csv": row 3, column "visits": weight -1 of measure "visits" is not a finite number >= 0$`},
		},
		{
			name:       "homes in another space",
			args:       []string{"solve", "--accounts", planar, "--reps", geoReps},
			wantCode:   1,
			wantStderr: []string{`georeps\.csv.*rep homes are geographic \(lat/lon\) but the accounts are planar \(x/y\)`},
		},
		{
			name:       "k and reps disagree",
			args:       []string{"solve", "--accounts", geo, "--reps", reps2, "-k", "3"},
			wantCode:   2,
			wantStderr: []string{`^-k 3 does not match the 2 reps in .*reps2\.csv`, `^run 'territory solve --help' for usage$`},
		},
		{
			name:       "more territories than accounts",
			args:       []string{"solve", "--accounts", planar, "-k", "4"},
			wantCode:   2,
			wantStderr: []string{`^-k 4 is more than the 3 accounts`},
		},
		{
			name:       "home centre without homes",
			args:       []string{"solve", "--accounts", geo, "--reps", reps2, "--center", "home"},
			wantCode:   1,
			wantStderr: []string{`rep "r1" has no home`, `rep "r2" has no home`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			code, stdout, stderr := runMain(t, append(tt.args, "-o", out)...)
			if code != tt.wantCode {
				t.Errorf("exit code %d, want %d; stderr:\n%s", code, tt.wantCode, stderr)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
			lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
			for _, re := range tt.wantStderr {
				if !anyMatch(lines, regexp.MustCompile(re)) {
					t.Errorf("no stderr line matches %s; stderr:\n%s", re, stderr)
				}
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("output directory exists after a failed run (stat: %v)", err)
			}
		})
	}
}

func anyMatch(lines []string, re *regexp.Regexp) bool {
	for _, l := range lines {
		if re.MatchString(l) {
			return true
		}
	}
	return false
}

func TestRunSolveDemo(t *testing.T) {
	tests := []struct {
		name       string
		terminal   bool
		quiet      bool
		wantStdout bool
		wantStderr string // regular expression for all of stderr
	}{
		{
			name:       "not a terminal",
			wantStdout: true,
			wantStderr: `^solved 5000 accounts into 25 territories: all balance rules met; wrote .*out/ \(8 files\)\n$`,
		},
		{
			name:       "terminal shows progress, then clears it",
			terminal:   true,
			wantStdout: true,
			wantStderr: `^(\r[a-z]+ +(\[[#.]{20}\] +\d+%  (\S+/(s|min)  )?)?\d+:\d\d *)+\r +\rsolved 5000 accounts into 25 territories: all balance rules met; wrote .*out/ \(8 files\)\n$`,
		},
		{
			name:       "quiet",
			terminal:   true,
			quiet:      true,
			wantStderr: `^$`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			env := Env{Out: &stdout, Err: &stderr, IsTerminal: func() bool { return tt.terminal }}
			out := filepath.Join(t.TempDir(), "out")
			opts := &solveOptions{inputOptions: inputOptions{Demo: true}, Seed: defaultSeed, OutDir: out, Quiet: tt.quiet,
				Formats: scenario.Formats(), Version: "test"}
			if err := runSolve(context.Background(), env, opts); err != nil {
				t.Fatalf("runSolve: %v", err)
			}
			// By default every format is written: 8 files.
			for _, name := range filesOf(scenario.Formats()) {
				if fi, err := os.Stat(filepath.Join(out, name)); err != nil || fi.Size() == 0 {
					t.Errorf("%s: missing or empty (%v)", name, err)
				}
			}
			if tt.wantStdout != (stdout.Len() > 0) {
				t.Errorf("stdout = %q, want a table: %v", stdout.String(), tt.wantStdout)
			}
			if tt.wantStdout && !strings.Contains(stdout.String(), "T25") {
				t.Errorf("stdout has no row for territory T25:\n%s", stdout.String())
			}
			if !regexp.MustCompile(tt.wantStderr).MatchString(stderr.String()) {
				t.Errorf("stderr = %q, want a match for %s", stderr.String(), tt.wantStderr)
			}
		})
	}
}

func TestUnmetRules(t *testing.T) {
	revenue, _ := territory.ParseBalanceRule("revenue:5%")
	demand, _ := territory.ParseBalanceRule("demand:max=120")
	count, _ := territory.ParseBalanceRule("count")
	m := &report.Metrics{
		Balance: []report.MeasureStats{
			{Rule: revenue, Measure: report.Measure{Name: "revenue"}, Violations: 2},
			{Rule: demand, Measure: report.Measure{Name: "demand"}, Violations: 1},
			{Rule: count, Measure: report.Measure{Name: "count"}},
		},
		Violations: []report.Violation{
			{Measure: "revenue", Territory: "T02", Load: 1040, Target: 1000, Bound: "max", Limit: 1050 - 20, Excess: 10},
			{Measure: "revenue", Territory: "T05", Load: 900, Target: 1000, Bound: "min", Limit: 950, Excess: 50},
			{Measure: "demand", Territory: "T01", Load: 131.5, Target: 98, Bound: "max", Limit: 120, Excess: 11.5},
		},
	}
	want := []string{
		"revenue:5% in 2 territories (worst T05: 900, 50 below its min of 950)",
		"demand:max=120 in 1 territory (worst T01: 131.5, 11.5 above its max of 120)",
	}
	if diff := cmp.Diff(want, unmetRules(m)); diff != "" {
		t.Errorf("unmetRules (-want +got):\n%s", diff)
	}
	if got, want := rulesOutcome(m), "2 of 3 balance rules not met"; got != want {
		t.Errorf("rulesOutcome = %q, want %q", got, want)
	}
	err := &unmetError{Rules: want}
	if got := exitCode(err); got != exitUnmet {
		t.Errorf("exit code %d, want %d", got, exitUnmet)
	}
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("unmetError is not one line: %q", err.Error())
	}
}
