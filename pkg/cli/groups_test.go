package cli

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/territory-optimizer/territory/pkg/demo"
)

// regionRows returns a CSV file of the demo with only the rows whose
// region column keep accepts (nil: all).
func regionRows(t *testing.T, file []byte, keep func(region string) bool) []byte {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(file)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := slices.Index(rows[0], "region")
	if col < 0 {
		t.Fatalf("no region column in %v", rows[0])
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	for r, row := range rows {
		if r > 0 && keep != nil && !keep(row[col]) {
			continue
		}
		if err := w.Write(row); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	return buf.Bytes()
}

func writeTestFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestGroupsSolveAsAlone checks issue 17's first acceptance point: solved
// with --group region, every region's assignment rows are the bytes that
// solving that region's rows alone gives, and the balance targets are the
// region's own. The demo's regions are two Census divisions: the South
// Atlantic (3,799 accounts, 23 reps) and the East South Central (1,201
// accounts, 2 reps).
func TestGroupsSolveAsAlone(t *testing.T) {
	dir := t.TempDir()
	accounts, reps := demo.AccountsCSV(), demo.RepsCSV()
	writeTestFile(t, filepath.Join(dir, "accounts.csv"), accounts)
	writeTestFile(t, filepath.Join(dir, "reps.csv"), reps)
	args := func(accounts, reps, out string) []string {
		return []string{"solve", "--accounts", accounts, "--reps", reps, "--group", "region",
			"--balance", "revenue:5%", "--balance", "count:5%", "--formats", "csv,json", "-o", out}
	}
	code, _, stderr := runMain(t, args(filepath.Join(dir, "accounts.csv"), filepath.Join(dir, "reps.csv"), filepath.Join(dir, "all"))...)
	if code != 0 {
		t.Fatalf("grouped solve: exit %d: %s", code, stderr)
	}
	all := readRows(t, filepath.Join(dir, "all", "assignments.csv"))
	if want := []string{"account_id", "region", "territory_id", "rep_id", "distance_km"}; !slices.Equal(all[0], want) {
		t.Fatalf("assignments header %v, want %v", all[0], want)
	}

	for _, region := range []string{"East South Central", "South Atlantic"} {
		keep := func(r string) bool { return r == region }
		a, r := filepath.Join(dir, region+"-accounts.csv"), filepath.Join(dir, region+"-reps.csv")
		writeTestFile(t, a, regionRows(t, accounts, keep))
		writeTestFile(t, r, regionRows(t, reps, keep))
		out := filepath.Join(dir, region)
		if code, _, stderr := runMain(t, args(a, r, out)...); code != 0 {
			t.Fatalf("%s alone: exit %d: %s", region, code, stderr)
		}
		alone := readRows(t, filepath.Join(out, "assignments.csv"))[1:]
		var grouped [][]string
		for _, row := range all[1:] {
			if row[1] == region {
				grouped = append(grouped, row)
			}
		}
		if len(alone) == 0 {
			t.Fatalf("%s has no accounts", region)
		}
		if diff := cmp.Diff(alone, grouped); diff != "" {
			t.Errorf("%s: grouped rows differ from the region solved alone (-alone +grouped):\n%s", region, diff)
		}
		for _, row := range grouped {
			if !strings.HasPrefix(row[2], region+"-T") {
				t.Fatalf("%s: territory id %q is not the region's", region, row[2])
			}
		}
	}

	// Targets are the region's: every territory's revenue is within 5% of
	// its own region's mean, and the regions' means differ.
	terr := readRows(t, filepath.Join(dir, "all", "territories.csv"))
	head := terr[0]
	if head[1] != "region" {
		t.Fatalf("territories.csv header %v: no region column after the id", head)
	}
	pct := slices.Index(head, "revenue_pct_target")
	pieces := slices.Index(head, "pieces")
	for _, row := range terr[1:] {
		// Shape is measured within the group, as it is solved.
		if row[pieces] != "1" {
			t.Errorf("territory %s in %s pieces of its region", row[0], row[pieces])
		}
		v, err := strconv.ParseFloat(row[pct], 64)
		if err != nil || v < 95 || v > 105 {
			t.Errorf("territory %s: revenue at %s%% of target, want 95..105", row[0], row[pct])
		}
	}
}

func readRows(t *testing.T, path string) [][]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestGroupsInputErrors checks that a grouped input whose groups do not
// match is refused, naming the group and the rows, with no outputs.
func TestGroupsInputErrors(t *testing.T) {
	dir := t.TempDir()
	writeTestFile(t, filepath.Join(dir, "reps.csv"), []byte("id,region\nR1,East\nR2,West\n"))
	out := filepath.Join(dir, "out")
	for _, tt := range []struct {
		name, accounts string
		want           []string
	}{
		{name: "groups that do not match", accounts: "id,region,lat,lon\nA1,East,33,-81\nA2,East,33.1,-81.1\nA3,North,34,-84\n",
			want: []string{`group "North" has 1 account and no rep (row 4)`, `rep "R2" is in group "West", which has no accounts`}},
		{name: "empty group", accounts: "id,region,lat,lon\nA1,East,33,-81\nA2,West,33.1,-81.1\nA3,,34,-84\n",
			want: []string{`row 4, column "region": empty group`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			writeTestFile(t, filepath.Join(dir, "accounts.csv"), []byte(tt.accounts))
			code, _, stderr := runMain(t, "solve", "--accounts", filepath.Join(dir, "accounts.csv"), "--reps", filepath.Join(dir, "reps.csv"),
				"--group", "region", "-o", out)
			if code != 1 {
				t.Fatalf("exit %d, want 1; stderr:\n%s", code, stderr)
			}
			for _, want := range tt.want {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr)
				}
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("the output directory was written: %v", err)
			}
		})
	}

	code, _, stderr := runMain(t, "solve", "--accounts", filepath.Join(dir, "accounts.csv"), "-k", "2", "--group", "region", "-o", out)
	if code != 2 || !strings.Contains(stderr, "--group region: the reps carry the groups too: give --reps FILE") {
		t.Errorf("-k without reps: exit %d, stderr:\n%s", code, stderr)
	}
}
