package main

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
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
			"finite": cmdFinite,
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

// nonFinite matches a NaN or an infinity as Go (NaN, +Inf, -Inf) and
// JavaScript (NaN, Infinity) print them. The scripts that use finite keep
// these words out of their inputs' names.
var nonFinite = regexp.MustCompile(`\b(NaN|Inf|Infinity)\b`)

// nan matches a NaN anywhere in map.html, script included.
var nan = regexp.MustCompile(`\bNaN\b`)

// htmlData matches the JSON blocks of map.html that hold its data; the
// script around them may use Infinity as the start of a minimum.
var htmlData = regexp.MustCompile(`(?s)<script type="application/json"[^>]*>(.*?)</script>`)

// cmdFinite checks that no output file in a directory holds a NaN or an
// infinity:
//
//	finite DIR
//
// It reads every file the solve command writes: the text formats whole,
// the data blocks of map.html (its script may say Infinity; NaN nowhere),
// and the XML parts of report.xlsx (cells, shared strings, the chart).
// "! finite DIR" checks that some file does hold one, which is how
// degenerate_finite.txtar shows that the check can fail.
func cmdFinite(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: finite DIR")
	}
	found := nonFiniteIn(ts, args[0])
	switch {
	case found != "" && !neg:
		ts.Fatalf("%s", found)
	case found == "" && neg:
		ts.Fatalf("%s: no NaN or infinity in any output file", args[0])
	case found != "":
		ts.Logf("%s", found)
	}
}

// nonFiniteIn returns where the first NaN or infinity in the output files
// of dir is, or "" when there is none.
func nonFiniteIn(ts *testscript.TestScript, dir string) string {
	entries, err := os.ReadDir(ts.MkAbs(dir))
	ts.Check(err)
	checked := 0
	find := func(name, text string, re *regexp.Regexp) string {
		m := re.FindStringIndex(text)
		if m == nil {
			return ""
		}
		lo, hi := max(m[0]-40, 0), min(m[1]+40, len(text))
		return fmt.Sprintf("%s: %q in %q", name, text[m[0]:m[1]], text[lo:hi])
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		name := filepath.Join(dir, e.Name())
		data, err := os.ReadFile(ts.MkAbs(name))
		ts.Check(err)
		switch filepath.Ext(e.Name()) {
		case ".csv", ".json", ".md", ".svg", ".geojson":
			if f := find(name, string(data), nonFinite); f != "" {
				return f
			}
		case ".html":
			blocks := htmlData.FindAllStringSubmatch(string(data), -1)
			if len(blocks) == 0 {
				ts.Fatalf("%s: no <script type=\"application/json\"> data block", name)
			}
			for _, b := range blocks {
				if f := find(name, b[1], nonFinite); f != "" {
					return f
				}
			}
			if f := find(name, string(data), nan); f != "" {
				return f
			}
		case ".xlsx":
			zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
			ts.Check(err)
			for _, zf := range zr.File {
				if !strings.HasPrefix(zf.Name, "xl/") || !strings.HasSuffix(zf.Name, ".xml") {
					continue
				}
				rc, err := zf.Open()
				ts.Check(err)
				part, err := io.ReadAll(rc)
				rc.Close()
				ts.Check(err)
				if f := find(name+":"+zf.Name, string(part), nonFinite); f != "" {
					return f
				}
			}
		default:
			continue
		}
		checked++
	}
	if checked == 0 {
		ts.Fatalf("%s: no output files", dir)
	}
	return ""
}
