package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

func TestMainUsageErrors(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantStderr string // a substring of stderr
	}{
		{name: "unknown command", args: []string{"slove"}, wantStderr: `unknown command "slove" for "territory"; did you mean solve?`},
		{name: "unknown command with flags", args: []string{"slove", "--demo"}, wantStderr: `unknown command "slove" for "territory"; did you mean solve?`},
		{name: "unknown flag", args: []string{"solve", "--demo", "--fast"}, wantStderr: "unknown flag: --fast"},
		{name: "flag without value", args: []string{"solve", "--demo", "-k"}, wantStderr: "flag needs an argument"},
		{name: "bad number", args: []string{"solve", "--demo", "-k", "five"}, wantStderr: `invalid argument "five"`},
		{name: "bad rule", args: []string{"solve", "--demo", "--balance", "revenue:max="}, wantStderr: `balance rule "revenue:max="`},
		{name: "bad objective", args: []string{"solve", "--demo", "--objective", "fast"}, wantStderr: "--objective: unknown objective"},
		{name: "nothing to solve", args: []string{"solve"}, wantStderr: "no accounts"},
		{name: "demo and k disagree", args: []string{"solve", "--demo", "-k", "3"}, wantStderr: "-k 3 does not match the 25 reps in demo"},
		{name: "version takes no arguments", args: []string{"version", "now"}, wantStderr: "territory version takes no arguments"},
		{name: "example without -o", args: []string{"example"}, wantStderr: "give -o DIR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Chdir(t.TempDir())
			code, stdout, stderr := runMain(t, tt.args...)
			if code != exitUsage {
				t.Errorf("exit code %d, want %d; stderr:\n%s", code, exitUsage, stderr)
			}
			if !strings.Contains(stderr, tt.wantStderr) {
				t.Errorf("stderr = %q, want it to contain %q", stderr, tt.wantStderr)
			}
			if !strings.Contains(stderr, "--help' for usage") {
				t.Errorf("stderr = %q, want a pointer to --help", stderr)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
		})
	}
}

func TestMainHelp(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string // substrings of stdout, in this order (long help, usage, examples, flags)
	}{
		{name: "no arguments", args: nil, want: []string{"Exit codes:", "Usage:", "solve"}},
		{
			name: "solve flags in declaration order",
			args: []string{"solve", "--help"},
			want: []string{"Exit codes:", "Examples:", "territory solve --demo -o out", "--accounts FILE", "--reps FILE", "--demo",
				"-k, --territories N", "--balance RULE", "--objective", "--center", "--seed", "-o, --out DIR", "-q, --quiet"},
		},
		{name: "solve help documents exit codes", args: []string{"solve", "-h"}, want: []string{"Exit codes:", "3    a plan was written"}},
		{name: "example", args: []string{"help", "example"}, want: []string{"Exit codes:", "-o, --out DIR", "--force"}},
		{name: "version", args: []string{"version", "--help"}, want: []string{"territory version"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runMain(t, tt.args...)
			if code != exitOK {
				t.Fatalf("exit code %d, want 0; stderr:\n%s", code, stderr)
			}
			rest := stdout
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("help lacks %q after the previous items; help:\n%s", w, stdout)
				}
				rest = rest[i+len(w):]
			}
		})
	}
}

// TestCommandsDocumented checks what every command's help must have.
func TestCommandsDocumented(t *testing.T) {
	root := newRootCmd(Env{}, BuildInfo{})
	for _, c := range append(root.Commands(), root) {
		t.Run(c.Name(), func(t *testing.T) {
			if c.Example == "" {
				t.Error("no Example")
			}
			if !strings.Contains(c.Long, "Exit codes:") {
				t.Error("long help does not document the exit codes")
			}
			if !c.DisableAutoGenTag {
				t.Error("DisableAutoGenTag is not set")
			}
			if c.Flags().SortFlags {
				t.Error("flags are sorted, not in declaration order")
			}
		})
	}
}

// TestPanicExitsOne checks that a bug that panics, in the command or in a
// step run by interruptible, ends the run with exit 1 and a message, not
// with Go's crash code 2, which here means a usage error.
func TestPanicExitsOne(t *testing.T) {
	for _, tt := range []struct {
		name string
		run  func(cmd *cobra.Command, args []string) error
	}{
		{"in the command", func(*cobra.Command, []string) error { panic("boom") }},
		{"in an interruptible step", func(cmd *cobra.Command, _ []string) error {
			return interruptible(cmd.Context(), func() error { panic("boom") })
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			root := &cobra.Command{Use: "territory", RunE: tt.run, SilenceErrors: true, SilenceUsage: true}
			_, err := execute(context.Background(), root)
			if got := exitCode(err); got != exitError {
				t.Fatalf("exit code %d (error %v), want %d", got, err, exitError)
			}
			if !strings.Contains(err.Error(), "internal error: boom") {
				t.Errorf("error %q, want it to name the panic", err)
			}
		})
	}
}
