package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/territory-optimizer/territory/pkg/demo"
)

// TestSize runs territory size on the demo's first 1,000 accounts: the
// table and size.csv show the curve around the answer, which meets the
// maximum while the row below it does not.
func TestSize(t *testing.T) {
	dir := t.TempDir()
	lines := bytes.SplitAfterN(demo.AccountsCSV(), []byte("\n"), 1002)
	accounts := filepath.Join(dir, "accounts.csv")
	writeTestFile(t, accounts, bytes.Join(lines[:1001], nil))
	out := filepath.Join(dir, "out")
	code, stdout, stderr := runMain(t, "size", "--accounts", accounts, "--balance", "workload:max=1700", "--effort", "quick", "-o", out)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "<- fewest") || !strings.Contains(stdout, "lower bound") {
		t.Errorf("stdout:\n%s", stdout)
	}
	rows := readRows(t, filepath.Join(out, "size.csv"))
	if want := []string{"k", "solved", "feasible", "workload_worst", "workload_worst_pct_target", "objective"}; !slices.Equal(rows[0], want) {
		t.Fatalf("size.csv header %v, want %v", rows[0], want)
	}
	// The answer's row is the first feasible one; the one before is not.
	answer := -1
	for i, r := range rows[1:] {
		if r[2] == "true" {
			answer = i + 1
			break
		}
	}
	if answer < 2 || rows[answer-1][2] != "false" {
		t.Fatalf("size.csv has no infeasible row before its answer:\n%v", rows)
	}
	if !strings.Contains(stderr, "the fewest territories that meet every rule: "+rows[answer][0]) {
		t.Errorf("stderr does not name K = %s:\n%s", rows[answer][0], stderr)
	}

	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"no maximum", []string{"--balance", "workload:5%"}, "no rule sets a maximum"},
		{"reps", []string{"--balance", "workload:max=1700", "--reps", accounts}, "size finds the number of reps"},
		{"an account above the maximum", []string{"--balance", "workload:max=1"}, "above the maximum of 1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runMain(t, append([]string{"size", "--accounts", accounts, "-o", filepath.Join(dir, "x")}, tt.args...)...)
			if code != 2 || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, want 2 with %q:\n%s", code, tt.want, stderr)
			}
		})
	}
}

// TestSolveTerritoriesAuto checks that solve -k auto solves with the number
// size finds, and gives the plan of -k with that number.
func TestSolveTerritoriesAuto(t *testing.T) {
	dir := t.TempDir()
	lines := bytes.SplitAfterN(demo.AccountsCSV(), []byte("\n"), 1002)
	accounts := filepath.Join(dir, "accounts.csv")
	writeTestFile(t, accounts, bytes.Join(lines[:1001], nil))
	args := func(k, out string) []string {
		return []string{"solve", "--accounts", accounts, "-k", k, "--balance", "workload:max=1700", "--effort", "quick",
			"--formats", "csv", "-o", filepath.Join(dir, out)}
	}
	code, _, stderr := runMain(t, args("auto", "auto")...)
	if code != 0 {
		t.Fatalf("-k auto: exit %d:\n%s", code, stderr)
	}
	m := regexp.MustCompile(`-k auto: (\d+) territories, the fewest`).FindStringSubmatch(stderr)
	if m == nil {
		t.Fatalf("stderr does not say how many territories:\n%s", stderr)
	}
	if code, _, stderr := runMain(t, args(m[1], "fixed")...); code != 0 {
		t.Fatalf("-k %s: exit %d:\n%s", m[1], code, stderr)
	}
	auto, err := os.ReadFile(filepath.Join(dir, "auto", "assignments.csv"))
	if err != nil {
		t.Fatal(err)
	}
	fixed, err := os.ReadFile(filepath.Join(dir, "fixed", "assignments.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(auto, fixed) {
		t.Errorf("-k auto and -k %s write different plans", m[1])
	}
}
