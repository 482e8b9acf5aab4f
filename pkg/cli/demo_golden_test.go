package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"flag"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/territory-optimizer/territory/pkg/demo"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestDemoGolden solves the embedded demo and compares every output file
// with its golden copy in testdata/demo (regenerate with -update and review
// the diff).
func TestDemoGolden(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	env := Env{Out: io.Discard, Err: io.Discard, IsTerminal: func() bool { return false }}
	opts := &solveOptions{inputOptions: inputOptions{Demo: true}, Seed: defaultSeed, OutDir: out, Formats: []string{"csv", "json"}, Version: "golden"}
	if err := runSolve(context.Background(), env, opts); err != nil {
		t.Fatalf("runSolve: %v", err)
	}
	for _, name := range []string{assignmentsFile, territoriesFile, summaryFile} {
		got, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", "demo", name)
		if *update {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./pkg/cli -run TestDemoGolden -update)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s (run with -update and review the diff)", name, golden)
		}
	}
}

// TestDemoBalanceFromFiles checks the demo plan the way a user would: it
// reads the written assignments.csv and the demo's own accounts.csv and
// reps.csv with encoding/csv (not the tool's readers), sums revenue and
// workload per rep, and checks every load against ±5% of the rep's
// capacity-scaled target.
func TestDemoBalanceFromFiles(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	env := Env{Out: io.Discard, Err: io.Discard, IsTerminal: func() bool { return false }}
	if err := runSolve(context.Background(), env, &solveOptions{inputOptions: inputOptions{Demo: true}, Seed: defaultSeed, OutDir: out, Formats: []string{"csv"}}); err != nil {
		t.Fatalf("runSolve: %v", err)
	}
	readCSV := func(data []byte) []map[string]string {
		t.Helper()
		recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		var rows []map[string]string
		for _, r := range recs[1:] {
			row := map[string]string{}
			for j, h := range recs[0] {
				row[h] = r[j]
			}
			rows = append(rows, row)
		}
		return rows
	}
	num := func(s string) float64 {
		t.Helper()
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	assignments, err := os.ReadFile(filepath.Join(out, assignmentsFile))
	if err != nil {
		t.Fatal(err)
	}
	repOf := map[string]string{}
	for _, row := range readCSV(assignments) {
		repOf[row["account_id"]] = row["rep_id"]
	}
	accounts := readCSV(demo.AccountsCSV())
	if len(repOf) != len(accounts) {
		t.Fatalf("assignments.csv has %d accounts, the demo %d", len(repOf), len(accounts))
	}
	capacity := map[string]float64{}
	totalCapacity := 0.0
	for _, row := range readCSV(demo.RepsCSV()) {
		capacity[row["id"]] = num(row["capacity"])
		totalCapacity += num(row["capacity"])
	}
	for _, measure := range []string{"revenue", "workload"} {
		loads := map[string]float64{}
		total := 0.0
		for _, row := range accounts {
			rep, ok := repOf[row["id"]]
			if !ok {
				t.Fatalf("account %s is not in assignments.csv", row["id"])
			}
			v := num(row[measure])
			loads[rep] += v
			total += v
		}
		for rep, c := range capacity {
			target := total * c / totalCapacity
			if dev := loads[rep]/target - 1; math.Abs(dev) > 0.05+1e-9 {
				t.Errorf("%s of rep %s: %.1f is %+.2f%% from its target %.1f", measure, rep, loads[rep], 100*dev, target)
			}
		}
	}
}
