package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/territory-optimizer/territory/pkg/demo"
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
	wantCmd := "exec territory solve --accounts accounts.csv --reps reps.csv --balance revenue:5% --balance workload:5% -o out \"$@\"\n"
	if !strings.HasSuffix(string(script), wantCmd) {
		t.Errorf("solve.sh =\n%s\nwant it to end in\n%s", script, wantCmd)
	}
	if fi, _ := os.Stat(filepath.Join(dir, solveScript)); runtime.GOOS != "windows" && fi.Mode()&0o100 == 0 {
		t.Errorf("solve.sh mode %v, want it executable", fi.Mode())
	}
	wantStderr := "wrote " + filepath.Join(dir, "accounts.csv") + "\nwrote " + filepath.Join(dir, "reps.csv") +
		"\nwrote " + filepath.Join(dir, "solve.sh") + "\n"
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

func TestShellQuote(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{name: "rule", in: "revenue:5%", want: "revenue:5%"},
		{name: "bounds", in: "demand:min=1,max=120", want: "demand:min=1,max=120"},
		{name: "space", in: "annual revenue", want: "'annual revenue'"},
		{name: "quote", in: "it's", want: `'it'\''s'`},
		{name: "empty", in: "", want: "''"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := shellQuote(tt.in); got != tt.want {
				t.Errorf("shellQuote(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
