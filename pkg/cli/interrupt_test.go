package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/territory-optimizer/territory/pkg/scenario"
)

// TestWriteDirInterrupted cancels the context at each stage of writing the
// output directory, and checks that the directory is left as it was, with
// no temporary directory beside it, and that the error is the context's
// (issue 7: an interrupt leaves the previous outputs as they were).
func TestWriteDirInterrupted(t *testing.T) {
	previous := map[string]string{"out/a.csv": "old A\n", "out/b.csv": "old B\n", "out/notes.txt": "mine\n"}
	big := strings.Repeat("x", 64<<10) // more than a write buffer
	tests := []struct {
		name   string
		before map[string]string
		// files are written with a context that cancel cancels.
		files func(cancel func()) []outFile
	}{
		{
			name:   "cancelled before anything is written",
			before: previous,
			files: func(cancel func()) []outFile {
				cancel()
				return []outFile{textFile("a.csv", "new A\n"), textFile("b.csv", "new B\n")}
			},
		},
		{
			name:   "cancelled while a file is written",
			before: previous,
			files: func(cancel func()) []outFile {
				return []outFile{textFile("a.csv", "new A\n"), {Name: "b.csv", Write: func(w io.Writer) error {
					if _, err := io.WriteString(w, big); err != nil {
						return err
					}
					cancel()
					// A writer that goes on writing: writeDirContext does
					// not wait for it.
					for range 4 {
						if _, err := io.WriteString(w, big); err != nil {
							return fmt.Errorf("write rows: %v", err)
						}
					}
					return nil
				}}}
			},
		},
		{
			name:   "cancelled after the last file is written, before the files are moved",
			before: previous,
			files: func(cancel func()) []outFile {
				return []outFile{textFile("a.csv", "new A\n"), {Name: "b.csv", Write: func(w io.Writer) error {
					_, err := io.WriteString(w, "new B\n")
					cancel()
					return err
				}}}
			},
		},
		{
			name:   "cancelled while a writer computes, before it writes",
			before: previous,
			files: func(cancel func()) []outFile {
				return []outFile{textFile("a.csv", "new A\n"), {Name: "b.xlsx", Write: func(w io.Writer) error {
					// A workbook is built in memory before a byte of it is
					// written: writeDirContext does not wait for it.
					cancel()
					time.Sleep(slowWriter)
					_, err := io.WriteString(w, "new B\n")
					return err
				}}}
			},
		},
		{
			name: "cancelled while a new directory is written",
			files: func(cancel func()) []outFile {
				return []outFile{{Name: "a.csv", Write: func(w io.Writer) error {
					cancel()
					_, err := io.WriteString(w, big)
					return err
				}}}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := t.TempDir()
			writeTree(t, base, tt.before)
			before := snapshot(t, base)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			start := time.Now()
			err := writeDir(ctx, filepath.Join(base, "out"), tt.files(cancel))
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("writeDirContext error = %v, want context.Canceled", err)
			}
			if took := time.Since(start); took >= slowWriter {
				t.Errorf("writeDirContext took %v: it waited for the writer", took)
			}
			if diff := cmp.Diff(before, snapshot(t, base)); diff != "" {
				t.Errorf("files changed by an interrupted write (-before +after):\n%s", diff)
			}
		})
	}
}

// slowWriter is how long the writer of TestWriteDirInterrupted that
// computes takes; writeDirContext returns long before.
const slowWriter = 3 * time.Second

// TestInterruptible checks that interruptible returns fn's result when fn
// ends first, and ctx's error as soon as ctx ends, without waiting for fn.
func TestInterruptible(t *testing.T) {
	boom := errors.New("boom")
	if err := interruptible(context.Background(), func() error { return boom }); err != boom {
		t.Errorf("interruptible = %v, want fn's error", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	release := make(chan struct{})
	defer close(release)
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	err := interruptible(ctx, func() error {
		select { // a computation that does not look at ctx
		case <-release:
		case <-time.After(slowWriter):
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("interruptible = %v, want context.Canceled", err)
	}
	if took := time.Since(start); took >= slowWriter {
		t.Errorf("interruptible took %v: it waited for fn", took)
	}
	ran := false
	if err := interruptible(ctx, func() error { ran = true; return nil }); !errors.Is(err, context.Canceled) || ran {
		t.Errorf("with an ended context: %v, ran %v; want context.Canceled without running fn", err, ran)
	}
}

// TestInterruptedExitCodes checks that a run whose context a signal
// cancelled exits as a shell reports that signal, and says so.
func TestInterruptedExitCodes(t *testing.T) {
	tests := []struct {
		name   string
		cause  error // of the cancellation; nil for a plain cancel
		args   []string
		code   int
		stderr string
	}{
		{name: "SIGINT", cause: &signalError{sig: syscall.SIGINT}, args: []string{"solve", "--demo"}, code: 130, stderr: "interrupted\n"},
		{name: "SIGTERM", cause: &signalError{sig: syscall.SIGTERM}, args: []string{"solve", "--demo"}, code: 143, stderr: "terminated\n"},
		{name: "cancelled without a signal", args: []string{"solve", "--demo"}, code: 130, stderr: "interrupted\n"},
		{name: "evaluate, SIGTERM", cause: &signalError{sig: syscall.SIGTERM}, args: []string{"evaluate", "--accounts", "big.csv", "--plan", "plan.csv", "-k", "2"}, code: 143, stderr: "terminated\n"},
		{name: "validate, SIGTERM", cause: &signalError{sig: syscall.SIGTERM}, args: []string{"validate", "--accounts", "big.csv"}, code: 143, stderr: "terminated\n"},
		{name: "diff --exit-code, SIGTERM", cause: &signalError{sig: syscall.SIGTERM},
			args: []string{"diff", "--exit-code", "--accounts", "big.csv", "plan.csv", "plan.csv"}, code: 143, stderr: "terminated\n"},
	}
	dir := t.TempDir()
	// Enough rows for the readers to look at the context.
	var big bytes.Buffer
	big.WriteString("id,lat,lon,revenue\n")
	for i := range 10000 {
		fmt.Fprintf(&big, "a%d,35.%04d,-80.%04d,%d\n", i, i, i, i)
	}
	writeTree(t, dir, map[string]string{"big.csv": big.String(), "plan.csv": "account_id,territory_id\na1,T1\n"})
	t.Chdir(dir)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancelCause(context.Background())
			cancel(tt.cause)
			var out, errb bytes.Buffer
			env := Env{In: strings.NewReader(""), Out: &out, Err: &errb, IsTerminal: func() bool { return false }}
			outDir := filepath.Join(dir, "out-"+strings.ReplaceAll(tt.name, " ", "-"))
			args := tt.args
			if args[0] == "solve" || args[0] == "evaluate" {
				args = append(args, "-o", outDir)
			}
			code := Main(ctx, args, env, BuildInfo{Version: "0.0.0-test"})
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.code, errb.String())
			}
			if got := errb.String(); !strings.HasSuffix(got, tt.stderr) {
				t.Errorf("stderr %q, want it to end in %q", got, tt.stderr)
			}
			if _, err := os.Stat(outDir); err == nil {
				t.Errorf("%s was written", outDir)
			}
		})
	}
}

// TestReadProblemCancelled checks that the context reaches the readers:
// readProblem, which loadProblem runs as interruptible does, stops
// reading a large file when the context ends.
func TestReadProblemCancelled(t *testing.T) {
	var big bytes.Buffer
	big.WriteString("id,lat,lon,revenue\n")
	for i := range 10000 {
		fmt.Fprintf(&big, "a%d,35.%04d,-80.%04d,%d\n", i, i, i, i)
	}
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"big.csv": big.String(), "small.csv": "id,lat,lon\na1,35,-80\na2,36,-81\n"})
	env := Env{In: strings.NewReader(""), Out: io.Discard, Err: io.Discard}
	for _, s := range []scenario.Settings{
		{AccountsFile: filepath.Join(dir, "big.csv"), Territories: 2},
		{AccountsFile: "-", Territories: 2},
		{AccountsFile: filepath.Join(dir, "small.csv"), RepsFile: filepath.Join(dir, "big.csv")},
	} {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		env.In = bytes.NewReader(big.Bytes())
		_, _, err := readProblem(ctx, env, s, nil, "", true)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("accounts %q, reps %q: error %v, want context.Canceled", s.AccountsFile, s.RepsFile, err)
		}
	}
}
