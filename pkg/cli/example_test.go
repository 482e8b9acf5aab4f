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
