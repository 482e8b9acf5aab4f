package main

import (
	"encoding/csv"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain makes this test binary double as the territory command, so that
// the scripts run the real main, exit codes and all.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"territory": main})
}

// TestScript runs the end-to-end scenarios in testdata/script/*.txtar.
// $TESTDATA in a script is the repository's testdata directory.
func TestScript(t *testing.T) {
	testdata, err := filepath.Abs(filepath.Join("..", "..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join(testdata, "script"),
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			env.Setenv("TESTDATA", testdata)
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits":  cmdExits,
			"csvmax": cmdCSVMax,
			"csvlen": cmdCSVLen,
			"noglob": cmdNoGlob,
		},
	})
}

// cmdExits runs a program and checks its exit status:
//
//	exits CODE program [args...]
//
// Its stdout and stderr are kept for the stdout and stderr commands, as
// exec keeps them.
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits CODE program [args...]")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			ts.Fatalf("%s: %v", args[1], err)
		}
		got = exitErr.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited %d, want %d", args[1], got, want)
	}
}

// cmdCSVMax checks that no value in a column of a CSV file is above a
// limit:
//
//	csvmax FILE COLUMN LIMIT
func cmdCSVMax(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: csvmax FILE COLUMN LIMIT")
	}
	limit, err := strconv.ParseFloat(args[2], 64)
	ts.Check(err)
	header, rows := readCSV(ts, args[0])
	col := -1
	for i, h := range header {
		if h == args[1] {
			col = i
		}
	}
	if col < 0 {
		ts.Fatalf("%s: no column %q in %q", args[0], args[1], header)
	}
	for i, r := range rows {
		v, err := strconv.ParseFloat(r[col], 64)
		ts.Check(err)
		if v > limit {
			ts.Fatalf("%s: row %d: %s %v is above %v", args[0], i+2, args[1], v, limit)
		}
	}
}

// cmdCSVLen checks the number of data rows (after the header) of a CSV
// file:
//
//	csvlen FILE N
func cmdCSVLen(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: csvlen FILE N")
	}
	want, err := strconv.Atoi(args[1])
	ts.Check(err)
	if _, rows := readCSV(ts, args[0]); len(rows) != want {
		ts.Fatalf("%s: %d rows, want %d", args[0], len(rows), want)
	}
}

func readCSV(ts *testscript.TestScript, name string) (header []string, rows [][]string) {
	f, err := os.Open(ts.MkAbs(name))
	ts.Check(err)
	defer f.Close()
	all, err := csv.NewReader(f).ReadAll()
	ts.Check(err)
	if len(all) == 0 {
		ts.Fatalf("%s: empty", name)
	}
	return all[0], all[1:]
}

// cmdNoGlob checks that no file matches any of the patterns, relative to
// the script's working directory:
//
//	noglob PATTERN...
func cmdNoGlob(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: noglob PATTERN...")
	}
	for _, p := range args {
		m, err := filepath.Glob(ts.MkAbs(p))
		ts.Check(err)
		if len(m) > 0 {
			ts.Fatalf("%s matches %q", p, m)
		}
	}
}
