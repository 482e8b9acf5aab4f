package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/territory-optimizer/territory/pkg/demo"
	"github.com/territory-optimizer/territory/pkg/scenario"
)

func TestNewExampleCmd(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    exampleOptions
		wantErr string
	}{
		{name: "out", args: []string{"-o", "demo"}, want: exampleOptions{OutDir: "demo"}},
		{name: "force", args: []string{"--out", "demo", "--force"}, want: exampleOptions{OutDir: "demo", Force: true}},
		{name: "no out", args: []string{}, wantErr: "no output directory: give -o DIR"},
		{name: "argument", args: []string{"-o", "demo", "extra"}, wantErr: "takes no arguments"},
		{
			name: "generate with defaults",
			args: []string{"-o", "big", "--accounts", "1000", "--reps", "40"},
			// A revenue tail of σ 1; 20 offices; 10% of 40 reps at half
			// time and 5% at four fifths; seed 1.
			want: exampleOptions{OutDir: "big", Generate: &demo.Config{Accounts: 1000, Reps: 40, RevenueTail: 1, Offices: 20, HalfCapacity: 4, FourFifthsCapacity: 2, Seed: 1}},
		},
		{
			name: "generate with every flag",
			args: []string{"-o", "ga", "--accounts", "500", "--reps", "5", "--revenue-tail", "1.5", "--offices", "2", "--half-capacity", "3", "--four-fifths-capacity", "2", "--states", "ga, fl", "--seed", "9"},
			want: exampleOptions{OutDir: "ga", Generate: &demo.Config{Accounts: 500, Reps: 5, RevenueTail: 1.5, Offices: 2, HalfCapacity: 3, FourFifthsCapacity: 2, States: []string{"GA", "FL"}, Seed: 9}},
		},
		{
			name: "the tidy shape",
			args: []string{"-o", "t", "--accounts", "1000", "--reps", "40", "--revenue-tail", "0", "--offices", "40", "--half-capacity", "2", "--four-fifths-capacity", "0"},
			want: exampleOptions{OutDir: "t", Generate: &demo.Config{Accounts: 1000, Reps: 40, Offices: 40, HalfCapacity: 2, Seed: 1}},
		},
		{
			name: "no part-time rep below 10 reps",
			args: []string{"-o", "d", "--accounts", "10", "--reps", "9"},
			want: exampleOptions{OutDir: "d", Generate: &demo.Config{Accounts: 10, Reps: 9, RevenueTail: 1, Offices: 5, Seed: 1}},
		},
		{
			name: "one of each part time from 10 reps",
			args: []string{"-o", "d", "--accounts", "10", "--reps", "10"},
			want: exampleOptions{OutDir: "d", Generate: &demo.Config{Accounts: 10, Reps: 10, RevenueTail: 1, Offices: 5, HalfCapacity: 1, FourFifthsCapacity: 1, Seed: 1}},
		},
		{
			name: "one rep, one office",
			args: []string{"-o", "d", "--accounts", "10", "--reps", "1"},
			want: exampleOptions{OutDir: "d", Generate: &demo.Config{Accounts: 10, Reps: 1, RevenueTail: 1, Offices: 1, Seed: 1}},
		},
		{
			name: "half-capacity 0",
			args: []string{"-o", "d", "--accounts", "100", "--reps", "50", "--half-capacity", "0"},
			want: exampleOptions{OutDir: "d", Generate: &demo.Config{Accounts: 100, Reps: 50, RevenueTail: 1, Offices: 25, FourFifthsCapacity: 2, Seed: 1}},
		},
		{
			// The default four-fifths share gives way to the half-time reps.
			name: "every rep half time",
			args: []string{"-o", "d", "--accounts", "100", "--reps", "20", "--half-capacity", "20"},
			want: exampleOptions{OutDir: "d", Generate: &demo.Config{Accounts: 100, Reps: 20, RevenueTail: 1, Offices: 10, HalfCapacity: 20, Seed: 1}},
		},
		{name: "accounts without reps", args: []string{"-o", "d", "--accounts", "100"}, wantErr: "--accounts needs --reps"},
		{name: "reps without accounts", args: []string{"-o", "d", "--reps", "10"}, wantErr: "--reps needs --accounts"},
		{name: "seed without a dataset", args: []string{"-o", "d", "--seed", "2"}, wantErr: "--seed needs --accounts and --reps"},
		{name: "states without a dataset", args: []string{"-o", "d", "--states", "GA"}, wantErr: "--states needs --accounts and --reps"},
		{name: "half-capacity without a dataset", args: []string{"-o", "d", "--half-capacity", "1"}, wantErr: "--half-capacity needs --accounts and --reps"},
		{name: "revenue-tail without a dataset", args: []string{"-o", "d", "--revenue-tail", "1"}, wantErr: "--revenue-tail needs --accounts and --reps"},
		{name: "offices without a dataset", args: []string{"-o", "d", "--offices", "3"}, wantErr: "--offices needs --accounts and --reps"},
		{name: "four-fifths-capacity without a dataset", args: []string{"-o", "d", "--four-fifths-capacity", "1"}, wantErr: "--four-fifths-capacity needs --accounts and --reps"},
		{name: "no accounts", args: []string{"-o", "d", "--accounts", "0", "--reps", "1"}, wantErr: "--accounts 0: want from 1 to 10000000"},
		{name: "too many accounts", args: []string{"-o", "d", "--accounts", "10000001", "--reps", "1"}, wantErr: "--accounts 10000001: want from 1 to 10000000"},
		{name: "no reps", args: []string{"-o", "d", "--accounts", "10", "--reps", "-1"}, wantErr: "--reps -1: want at least 1"},
		{name: "more reps than accounts", args: []string{"-o", "d", "--accounts", "10", "--reps", "11"}, wantErr: "--reps 11 is more than the 10 accounts"},
		{name: "too many half-time reps", args: []string{"-o", "d", "--accounts", "10", "--reps", "4", "--half-capacity", "5"}, wantErr: "--half-capacity 5: want from 0 to the 4 reps"},
		{name: "negative revenue tail", args: []string{"-o", "d", "--accounts", "10", "--reps", "4", "--revenue-tail", "-1"}, wantErr: "--revenue-tail -1: want a sigma from 0 (capped revenue) to 2"},
		{name: "revenue tail too heavy", args: []string{"-o", "d", "--accounts", "10", "--reps", "4", "--revenue-tail", "2.1"}, wantErr: "--revenue-tail 2.1: want a sigma from 0 (capped revenue) to 2"},
		{name: "revenue tail not a number", args: []string{"-o", "d", "--accounts", "10", "--reps", "4", "--revenue-tail", "NaN"}, wantErr: "--revenue-tail NaN: want a sigma from 0"},
		{name: "no offices", args: []string{"-o", "d", "--accounts", "10", "--reps", "4", "--offices", "0"}, wantErr: "--offices 0: want from 1 to the 4 reps (4 for a home each)"},
		{name: "more offices than reps", args: []string{"-o", "d", "--accounts", "10", "--reps", "4", "--offices", "5"}, wantErr: "--offices 5: want from 1 to the 4 reps (4 for a home each)"},
		{name: "too many four-fifths reps", args: []string{"-o", "d", "--accounts", "10", "--reps", "4", "--half-capacity", "1", "--four-fifths-capacity", "4"}, wantErr: "--four-fifths-capacity 4: want from 0 to the 3 reps not at half capacity"},
		{name: "negative four-fifths reps", args: []string{"-o", "d", "--accounts", "10", "--reps", "4", "--four-fifths-capacity", "-1"}, wantErr: "--four-fifths-capacity -1: want from 0 to the 4 reps not at half capacity"},
		{name: "negative half-time reps", args: []string{"-o", "d", "--accounts", "10", "--reps", "4", "--half-capacity", "-1"}, wantErr: "--half-capacity -1: want from 0 to the 4 reps"},
		{name: "unknown state", args: []string{"-o", "d", "--accounts", "10", "--reps", "4", "--states", "GA,ZZ"}, wantErr: `--states: unknown state code "ZZ" (expected one of AK, AL,`},
		{name: "empty state", args: []string{"-o", "d", "--accounts", "10", "--reps", "4", "--states", "GA,,FL"}, wantErr: "--states: empty state code"},
		{name: "no states", args: []string{"-o", "d", "--accounts", "10", "--reps", "4", "--states", ""}, wantErr: "--states: no state codes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *exampleOptions
			cmd := newExampleCmd(Env{}, func(_ context.Context, o *exampleOptions) error {
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
					t.Errorf("exit code %d, want %d (usage)", code, exitUsage)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, *got); diff != "" {
				t.Errorf("options (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRunExample(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	var stderr bytes.Buffer
	env := Env{Out: &bytes.Buffer{}, Err: &stderr}
	if err := runExample(context.Background(), env, &exampleOptions{OutDir: dir}); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][]byte{demo.AccountsFile: demo.AccountsCSV(), demo.RepsFile: demo.RepsCSV()} {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the embedded demo file", name)
		}
	}
	script, err := os.ReadFile(filepath.Join(dir, solveScript))
	if err != nil {
		t.Fatal(err)
	}
	wantCmd := "exec territory solve --config scenario.yaml \"$@\"\n"
	if !strings.HasSuffix(string(script), wantCmd) {
		t.Errorf("solve.sh =\n%s\nwant it to end in\n%s", script, wantCmd)
	}
	if fi, _ := os.Stat(filepath.Join(dir, solveScript)); runtime.GOOS != "windows" && fi.Mode()&0o100 == 0 {
		t.Errorf("solve.sh mode %v, want it executable", fi.Mode())
	}
	// The scenario names the files beside it, relative to itself, with the
	// demo's rules, and writes into out/ beside it.
	sc, err := scenario.Load(filepath.Join(dir, scenarioFile))
	if err != nil {
		t.Fatalf("scenario.yaml does not load: %v", err)
	}
	if sc.Accounts.File != demo.AccountsFile || sc.Reps.File != demo.RepsFile || sc.Output.Dir != "out" {
		t.Errorf("scenario.yaml: accounts %q, reps %q, output %q; want the relative names %q, %q, %q",
			sc.Accounts.File, sc.Reps.File, sc.Output.Dir, demo.AccountsFile, demo.RepsFile, "out")
	}
	if diff := cmp.Diff(demo.Rules, sc.Balance); diff != "" {
		t.Errorf("scenario.yaml balance rules (-demo +file):\n%s", diff)
	}
	wantStderr := ""
	for _, name := range []string{"accounts.csv", "reps.csv", "scenario.yaml", "solve.sh"} {
		wantStderr += "wrote " + filepath.Join(dir, name) + "\n"
	}
	if stderr.String() != wantStderr {
		t.Errorf("stderr = %q, want %q", stderr.String(), wantStderr)
	}

	// A second run refuses to overwrite, and changes nothing.
	if err := os.WriteFile(filepath.Join(dir, demo.RepsFile), []byte("edited\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)
	err = runExample(context.Background(), env, &exampleOptions{OutDir: dir})
	if err == nil || !strings.Contains(err.Error(), "use --force to overwrite") {
		t.Fatalf("second run: error = %v, want a refusal", err)
	}
	if code := exitCode(err); code != exitError {
		t.Errorf("refusal exits %d, want %d", code, exitError)
	}
	if diff := cmp.Diff(before, snapshot(t, dir)); diff != "" {
		t.Errorf("a refused run changed files (-before +after):\n%s", diff)
	}

	// --force overwrites.
	if err := runExample(context.Background(), env, &exampleOptions{OutDir: dir, Force: true}); err != nil {
		t.Fatalf("--force: %v", err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, demo.RepsFile)); !bytes.Equal(got, demo.RepsCSV()) {
		t.Errorf("--force left reps.csv as it was")
	}
}

// TestExampleScenarioSolvesAsDemo solves the scenario file that `territory
// example` writes, from another directory, and compares the plan with the
// one `territory solve --demo` writes: the same bytes.
func TestExampleScenarioSolvesAsDemo(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	if code, _, stderr := runMain(t, "example", "-o", dir); code != 0 {
		t.Fatalf("example exited %d: %s", code, stderr)
	}
	embedded := filepath.Join(t.TempDir(), "embedded")
	if code, _, stderr := runMain(t, "solve", "--demo", "-o", embedded); code != 0 {
		t.Fatalf("solve --demo exited %d: %s", code, stderr)
	}
	code, _, stderr := runMain(t, "solve", "--config", filepath.Join(dir, scenarioFile))
	if code != 0 {
		t.Fatalf("solve --config exited %d: %s", code, stderr)
	}
	// The plan goes into out/ beside the scenario file.
	for _, name := range []string{assignmentsFile, territoriesFile} {
		want, err := os.ReadFile(filepath.Join(embedded, name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(dir, "out", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s of the example's scenario differs from that of solve --demo", name)
		}
	}
	// summary.json differs only in the names of the inputs.
	want, err := os.ReadFile(filepath.Join(embedded, summaryFile))
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, "out", summaryFile))
	if err != nil {
		t.Fatal(err)
	}
	got = bytes.ReplaceAll(got, []byte(strconv.Quote(filepath.Join(dir, demo.AccountsFile))), []byte(`"demo"`))
	got = bytes.ReplaceAll(got, []byte(strconv.Quote(filepath.Join(dir, demo.RepsFile))), []byte(`"demo"`))
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("summary.json, input names aside (-demo +scenario):\n%s", diff)
	}
}

// TestRunExampleGenerate generates a dataset with --accounts and --reps:
// the row counts asked for, the same bytes from the same flags, a
// scenario with the rules of the scale benchmark, and --force.
func TestRunExampleGenerate(t *testing.T) {
	cfg := demo.Config{Accounts: 3000, Reps: 30, RevenueTail: 1.5, Offices: 12, HalfCapacity: 2, FourFifthsCapacity: 3, States: []string{"TX", "OK"}, Seed: 4}
	dir1 := filepath.Join(t.TempDir(), "gen")
	var stderr bytes.Buffer
	env := Env{Out: &bytes.Buffer{}, Err: &stderr}
	if err := runExample(context.Background(), env, &exampleOptions{OutDir: dir1, Generate: &cfg}); err != nil {
		t.Fatal(err)
	}
	accounts := readFile(t, filepath.Join(dir1, demo.AccountsFile))
	reps := readFile(t, filepath.Join(dir1, demo.RepsFile))
	if got := bytes.Count(accounts, []byte("\n")) - 1; got != cfg.Accounts {
		t.Errorf("accounts.csv has %d rows, want %d", got, cfg.Accounts)
	}
	if got := bytes.Count(reps, []byte("\n")) - 1; got != cfg.Reps {
		t.Errorf("reps.csv has %d rows, want %d", got, cfg.Reps)
	}
	if got := bytes.Count(reps, []byte(",0.5\n")); got != cfg.HalfCapacity {
		t.Errorf("reps.csv has %d reps at capacity 0.5, want %d", got, cfg.HalfCapacity)
	}
	if got := bytes.Count(reps, []byte(",0.8\n")); got != cfg.FourFifthsCapacity {
		t.Errorf("reps.csv has %d reps at capacity 0.8, want %d", got, cfg.FourFifthsCapacity)
	}
	homes := make(map[string]int)
	for _, line := range strings.Split(strings.TrimSpace(string(reps)), "\n")[1:] {
		f := strings.Split(line, ",")
		homes[f[4]+","+f[5]]++
	}
	if len(homes) != cfg.Offices {
		t.Errorf("reps.csv has %d distinct homes, want one per office: %d", len(homes), cfg.Offices)
	}
	if !strings.HasPrefix(string(accounts), "id,name,state,region,lat,lon,revenue,workload\nA00001,") {
		t.Errorf("accounts.csv starts %q", accounts[:min(len(accounts), 60)])
	}

	// The same as pkg/demo generates in memory.
	d, err := demo.Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var wantA, wantR bytes.Buffer
	if err := d.WriteAccountsCSV(&wantA); err != nil {
		t.Fatal(err)
	}
	if err := d.WriteRepsCSV(&wantR); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(accounts, wantA.Bytes()) || !bytes.Equal(reps, wantR.Bytes()) {
		t.Error("the files differ from what demo.Generate writes for the same config")
	}

	// Another run with the same flags, elsewhere: the same bytes.
	dir2 := filepath.Join(t.TempDir(), "again")
	if err := runExample(context.Background(), env, &exampleOptions{OutDir: dir2, Generate: &cfg}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(snapshot(t, dir1), snapshot(t, dir2)); diff != "" {
		t.Errorf("two runs with the same flags differ (-first +second):\n%s", diff)
	}
	// Another seed: other accounts.
	other := cfg
	other.Seed = 5
	dir3 := filepath.Join(t.TempDir(), "other")
	if err := runExample(context.Background(), env, &exampleOptions{OutDir: dir3, Generate: &other}); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(accounts, readFile(t, filepath.Join(dir3, demo.AccountsFile))) {
		t.Error("seeds 4 and 5 write the same accounts")
	}

	// The scenario names the files, with the scale benchmark's rules and
	// every format (3,000 accounts is small).
	sc, err := scenario.Load(filepath.Join(dir1, scenarioFile))
	if err != nil {
		t.Fatalf("scenario.yaml does not load: %v", err)
	}
	if sc.Accounts.File != demo.AccountsFile || sc.Reps.File != demo.RepsFile || sc.Output.Dir != "out" || sc.Output.Formats != nil {
		t.Errorf("scenario.yaml: accounts %q, reps %q, output %q, formats %q; want %q, %q, %q and every format",
			sc.Accounts.File, sc.Reps.File, sc.Output.Dir, sc.Output.Formats, demo.AccountsFile, demo.RepsFile, "out")
	}
	if diff := cmp.Diff([]string{"count:2%", "revenue:2%"}, sc.Balance); diff != "" {
		t.Errorf("scenario.yaml balance rules (-want +got):\n%s", diff)
	}
	script := string(readFile(t, filepath.Join(dir1, solveScript)))
	for _, want := range []string{
		"# Written by 'territory example --accounts 3000 --reps 30 --revenue-tail 1.5 --offices 12 --half-capacity 2 --four-fifths-capacity 3 --states TX,OK --seed 4'.\n",
		"exec territory solve --config scenario.yaml \"$@\"\n",
	} {
		if !strings.Contains(script, want) {
			t.Errorf("solve.sh =\n%s\nwant it to hold %q", script, want)
		}
	}

	// A second run into the same directory refuses without --force and
	// changes nothing; --force writes the new dataset.
	before := snapshot(t, dir1)
	err = runExample(context.Background(), env, &exampleOptions{OutDir: dir1, Generate: &other})
	if err == nil || !strings.Contains(err.Error(), "use --force to overwrite") {
		t.Fatalf("second run: error = %v, want a refusal", err)
	}
	if diff := cmp.Diff(before, snapshot(t, dir1)); diff != "" {
		t.Errorf("a refused run changed files (-before +after):\n%s", diff)
	}
	if err := runExample(context.Background(), env, &exampleOptions{OutDir: dir1, Generate: &other, Force: true}); err != nil {
		t.Fatalf("--force: %v", err)
	}
	if diff := cmp.Diff(snapshot(t, dir3), snapshot(t, dir1)); diff != "" {
		t.Errorf("--force did not write the new dataset (-want +got):\n%s", diff)
	}
}

// TestGenerateCommandRoundTrip checks that the command line solve.sh
// quotes generates the dataset it was written for: parsed back, it gives
// the same Config, with every setting spelled out (Offices 0 as the reps).
func TestGenerateCommandRoundTrip(t *testing.T) {
	for _, cfg := range []demo.Config{
		{Accounts: 1000, Reps: 40, RevenueTail: 1, Offices: 20, HalfCapacity: 4, FourFifthsCapacity: 2, Seed: 1},
		{Accounts: 500, Reps: 5, RevenueTail: 0.35, Offices: 1, HalfCapacity: 5, States: []string{"GA", "FL"}, Seed: 9},
		{Accounts: 3000, Reps: 10, Seed: 3}, // the zero values: capped revenue, a home per rep, no part-time reps
	} {
		line := generateCommand(&cfg)
		args := strings.Fields(strings.TrimPrefix(line, "territory example "))
		var got *exampleOptions
		cmd := newExampleCmd(Env{}, func(_ context.Context, o *exampleOptions) error {
			got = o
			return nil
		})
		cmd.SetArgs(append(args, "-o", "d"))
		cmd.SetOut(&bytes.Buffer{})
		cmd.SetErr(&bytes.Buffer{})
		cmd.SilenceErrors, cmd.SilenceUsage = true, true
		if err := cmd.Execute(); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		want := cfg
		if want.Offices == 0 {
			want.Offices = want.Reps
		}
		if diff := cmp.Diff(&want, got.Generate); diff != "" {
			t.Errorf("%q parses to another config (-want +got):\n%s", line, diff)
		}
	}
}

// TestExampleGeneratedFormats checks that a dataset above allFormatsUpTo
// accounts gets a scenario that writes csv and json only.
func TestExampleGeneratedFormats(t *testing.T) {
	for _, tt := range []struct {
		accounts int
		want     []string
	}{
		{allFormatsUpTo, nil},
		{allFormatsUpTo + 1, []string{"csv", "json"}},
	} {
		files, err := exampleFiles(&demo.Config{Accounts: tt.accounts, Reps: 10, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		for _, f := range files {
			if f.Name == scenarioFile {
				if err := f.Write(&b); err != nil {
					t.Fatal(err)
				}
			}
		}
		sc, err := scenario.Parse(b.Bytes(), "")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, sc.Output.Formats); diff != "" {
			t.Errorf("%d accounts: formats (-want +got):\n%s", tt.accounts, diff)
		}
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
