package cli

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// callPlanCSV writes n accounts on a planar grid with a call plan: visits
// a year and minutes per call, which vary with the position so that
// workload is not proportional to the count of accounts. It returns the
// file and each account's workload as the issue defines it,
// visits*(call_minutes+25)/60.
func callPlanCSV(n int) (string, []float64) {
	var b strings.Builder
	b.WriteString("id,x,y,Visits,Call Minutes\n")
	workload := make([]float64, n)
	for i := range n {
		x, y := i%8, i/8
		visits := 2 + (i*7)%11
		minutes := 15 + (i*5)%30
		fmt.Fprintf(&b, "a%03d,%d,%d,%d,%d\n", i, x, y, visits, minutes)
		workload[i] = float64(visits) * (float64(minutes) + 25) / 60
	}
	return b.String(), workload
}

// TestSolveDerivedMeasure solves with a derived measure in a balance rule,
// through the command line: the reports carry it as a measure like any
// other, its totals are the sum of the accounts' values, the rule is met,
// and a second run writes the same bytes.
func TestSolveDerivedMeasure(t *testing.T) {
	dir := t.TempDir()
	in, workload := callPlanCSV(64)
	accounts := filepath.Join(dir, "calls.csv")
	if err := os.WriteFile(accounts, []byte(in), 0o644); err != nil {
		t.Fatal(err)
	}
	solve := func(out string) {
		t.Helper()
		code, stdout, stderr := runMain(t, "solve", "--accounts", accounts, "-k", "4",
			"--measure", "workload=visits*(call_minutes+25)/60", "--balance", "workload:5%",
			"--formats", "csv,json,md", "-o", out)
		if code != exitOK {
			t.Fatalf("solve exited %d; stderr:\n%s", code, stderr)
		}
		if !strings.Contains(stdout, "workload:5%") {
			t.Errorf("the balance table has no row for the rule:\n%s", stdout)
		}
	}
	out := filepath.Join(dir, "out")
	solve(out)

	// territories.csv: the derived measure and its % of target, as a
	// balanced column measure is written.
	f, err := os.Open(filepath.Join(out, territoriesFile))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	header := rows[0]
	wi, pi := slices.Index(header, "workload"), slices.Index(header, "workload_pct_target")
	if wi < 0 || pi < 0 || !slices.Contains(header, "visits") || !slices.Contains(header, "call_minutes") {
		t.Fatalf("territories.csv header %q: want workload, workload_pct_target and the columns read", header)
	}
	total := 0.0
	for _, r := range rows[1:] {
		v, err := strconv.ParseFloat(r[wi], 64)
		if err != nil {
			t.Fatal(err)
		}
		total += v
		if pct, _ := strconv.ParseFloat(r[pi], 64); pct < 95 || pct > 105 {
			t.Errorf("territory %s: workload at %s%% of target, want within ±5%%", r[0], r[pi])
		}
		if r[wi] != strconv.FormatFloat(v, 'f', 2, 64) {
			t.Errorf("territory %s: workload %q, want two decimals as the other measures", r[0], r[wi])
		}
	}
	want := 0.0
	for _, w := range workload {
		want += w
	}
	// Each territory's load is written with two decimals: four of them
	// are off by at most 0.005 each.
	if math.Abs(total-want) > 0.02 {
		t.Errorf("territories' workload sums to %.2f, want the accounts' %.2f", total, want)
	}

	// summary.json: the rule's measure, and the measure's definition.
	var summary struct {
		Settings struct {
			Rules   []string `json:"rules"`
			Derived []string `json:"derived_measures"`
		} `json:"settings"`
		Measures []struct {
			Measure string `json:"measure"`
			Column  string `json:"column"`
		} `json:"measures"`
		Feasible bool `json:"feasible"`
	}
	b, err := os.ReadFile(filepath.Join(out, summaryFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &summary); err != nil {
		t.Fatal(err)
	}
	if len(summary.Measures) != 1 || summary.Measures[0].Measure != "workload" || !summary.Feasible ||
		!slices.Equal(summary.Settings.Derived, []string{"workload=visits*(call_minutes+25)/60"}) {
		t.Errorf("summary.json: %+v", summary)
	}
	md, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(md, []byte("derived workload = visits\\*(call\\_minutes+25)/60")) {
		t.Errorf("report.md does not give the derived measure:\n%s", md)
	}

	// The same bytes again.
	again := filepath.Join(dir, "again")
	solve(again)
	for _, name := range []string{assignmentsFile, territoriesFile, summaryFile, "report.md"} {
		a, errA := os.ReadFile(filepath.Join(out, name))
		b, errB := os.ReadFile(filepath.Join(again, name))
		if errA != nil || errB != nil || !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs (%v, %v)", name, errA, errB)
		}
	}

	// evaluate scores the plan on the derived measure, weighting the
	// objective by it, and validate lists it among the measures.
	code, stdout, stderr := runMain(t, "evaluate", "--accounts", accounts, "-k", "4",
		"--measure", "workload=visits*(call_minutes+25)/60", "--balance", "workload:5%", "--weight", "Workload",
		"--plan", filepath.Join(out, assignmentsFile), "--formats", "json", "-o", filepath.Join(dir, "eval"))
	if code != exitOK || !strings.Contains(stdout, "objective sse weighted by workload") {
		t.Errorf("evaluate exited %d; stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	code, stdout, stderr = runMain(t, "validate", "--accounts", accounts, "--measure", "workload=visits*(call_minutes+25)/60")
	if code != exitOK || !strings.Contains(stdout, "measures visits, call_minutes, workload") {
		t.Errorf("validate exited %d; stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}
