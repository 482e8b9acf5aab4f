package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// badDir holds the bad-input cases: one directory each, with its input
// files, the arguments of the run (args, one per line) and the problems
// expected on stderr (want.txt). See testdata/README.md.
const badDir = "../../testdata/bad"

// TestBadInputs runs every case of testdata/bad through both `territory
// validate` and `territory solve` with the case's arguments, from the case's
// directory, and checks that both print exactly the lines of want.txt on
// stderr (validate then adds its count line), that both exit 1, and that
// solve creates no output directory. A case whose want.txt holds only
// warnings must pass: both exit 0 and solve writes its plan. Run with
// -update to rewrite want.txt from what validate prints, and review the
// diff.
func TestBadInputs(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join(badDir, "*", "args"))
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) < 25 {
		t.Fatalf("%d cases in %s, want at least 25", len(dirs), badDir)
	}
	errorCases := 0
	for _, argsFile := range dirs {
		dir, err := filepath.Abs(filepath.Dir(argsFile))
		if err != nil {
			t.Fatal(err)
		}
		t.Run(filepath.Base(dir), func(t *testing.T) {
			b, err := os.ReadFile(argsFile)
			if err != nil {
				t.Fatal(err)
			}
			args := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
			wantFile := filepath.Join(dir, "want.txt")
			t.Chdir(dir)

			vcode, vout, verr := runMain(t, append([]string{"validate"}, args...)...)
			if *update {
				lines := strings.SplitAfter(verr, "\n")
				if len(lines) < 2 {
					t.Fatalf("validate printed no problems: %q", verr)
				}
				if err := os.WriteFile(wantFile, []byte(strings.Join(lines[:len(lines)-2], "")), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			wantBytes, err := os.ReadFile(wantFile)
			if err != nil {
				t.Fatalf("%v (run go test ./pkg/cli -run TestBadInputs -update)", err)
			}
			want := string(wantBytes)
			if want == "" {
				t.Fatalf("want.txt is empty: a case must have a problem")
			}
			nerr, nwarn := 0, 0
			for _, l := range strings.Split(strings.TrimRight(want, "\n"), "\n") {
				if strings.HasPrefix(l, warningPrefix) {
					nwarn++
				} else {
					nerr++
				}
			}
			wantCode := exitError
			if nerr == 0 {
				wantCode = exitOK
			} else {
				errorCases++
			}

			// validate: the problems, then the count; stdout says what was
			// read, if anything.
			if diff := cmp.Diff(want+countLine(nerr, nwarn)+"\n", verr); diff != "" {
				t.Errorf("validate stderr (-want +got):\n%s", diff)
			}
			if vcode != wantCode {
				t.Errorf("validate exited %d, want %d", vcode, wantCode)
			}
			if strings.Contains(vout, "error") {
				t.Errorf("validate stdout mentions an error; problems belong on stderr:\n%s", vout)
			}

			// solve: the same lines, and nothing written.
			out := filepath.Join(t.TempDir(), "out")
			scode, sout, serr := runMain(t, append(append([]string{"solve"}, args...), "-o", out)...)
			if scode != wantCode && !(nerr == 0 && scode == exitUnmet) {
				t.Errorf("solve exited %d, want %d; stderr:\n%s", scode, wantCode, serr)
			}
			_, statErr := os.Stat(out)
			if nerr > 0 {
				if diff := cmp.Diff(want, serr); diff != "" {
					t.Errorf("solve stderr (-want +got):\n%s", diff)
				}
				if sout != "" {
					t.Errorf("solve stdout = %q, want nothing", sout)
				}
				if !os.IsNotExist(statErr) {
					t.Errorf("solve created %s (stat: %v)", out, statErr)
				}
				return
			}
			if !strings.HasPrefix(serr, want) || !strings.Contains(serr[len(want):], "solved ") {
				t.Errorf("solve stderr = %q, want the warnings %q then the summary line", serr, want)
			}
			if statErr != nil {
				t.Errorf("solve wrote no plan despite only warnings: %v", statErr)
			}
		})
	}
	if errorCases < 25 {
		t.Errorf("%d cases fail, want at least 25", errorCases)
	}
}
