package cli

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCSVKeepsFormulaText checks the CSV side of issue 7's injection item,
// as docs/formats.md states it: ids and names that a spreadsheet would
// take for formulas are written to assignments.csv as they are, without a
// prefix, so that reading the plan back (evaluate --plan, diff) finds the
// same ids and a second run writes the same bytes.
func TestCSVKeepsFormulaText(t *testing.T) {
	ids := []string{"=1+1", "+1 555 0100", "-a3", "@SUM(A1)", `=HYPERLINK("http://example.com","x")`, "'A6"}
	dir := t.TempDir()
	var accounts bytes.Buffer
	w := csv.NewWriter(&accounts)
	_ = w.Write([]string{"id", "name", "lat", "lon", "revenue"})
	for i, id := range ids {
		_ = w.Write([]string{id, "=cmd|' /C calc'!A0", "35." + string(rune('1'+i)), "-80." + string(rune('1'+i)), "10"})
	}
	w.Flush()
	writeTree(t, dir, map[string]string{
		"accounts.csv": accounts.String(),
		"reps.csv":     "id,name\n=R1,@Ann\n-R2,+Bob\n",
	})
	t.Chdir(dir)

	code, _, stderr := runMain(t, "solve", "--accounts", "accounts.csv", "--reps", "reps.csv", "--formats", "csv", "-o", "out", "-q")
	if code != exitOK {
		t.Fatalf("solve: exit %d\n%s", code, stderr)
	}
	plan, err := os.ReadFile(filepath.Join("out", assignmentsFile))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(plan)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var gotIDs []string
	for _, r := range rows[1:] {
		gotIDs = append(gotIDs, r[0])
		if r[2] != "=R1" && r[2] != "-R2" {
			t.Errorf("account %q: rep_id %q, want =R1 or -R2 as written", r[0], r[2])
		}
	}
	slices.Sort(gotIDs)
	want := slices.Sorted(slices.Values(ids))
	if diff := cmp.Diff(want, gotIDs); diff != "" {
		t.Errorf("account ids in %s (-want +got):\n%s", assignmentsFile, diff)
	}
	// Unquoted where CSV does not need quotes: the cell starts with '='.
	if !bytes.Contains(plan, []byte("\n=1+1,")) || !bytes.Contains(plan, []byte("\n@SUM(A1),")) {
		t.Errorf("%s does not hold =1+1 and @SUM(A1) as written:\n%s", assignmentsFile, plan)
	}

	// The plan read back is the same plan, byte for byte.
	code, _, stderr = runMain(t, "evaluate", "--accounts", "accounts.csv", "--reps", "reps.csv", "--plan", filepath.Join("out", assignmentsFile),
		"--formats", "csv", "-o", "eval", "-q")
	if code != exitOK {
		t.Fatalf("evaluate: exit %d\n%s", code, stderr)
	}
	again, err := os.ReadFile(filepath.Join("eval", assignmentsFile))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(plan, again) {
		t.Errorf("evaluate --plan wrote a different %s:\n%s\nwant:\n%s", assignmentsFile, again, plan)
	}
	if code, stdout, stderr := runMain(t, "diff", "--exit-code", filepath.Join("out", assignmentsFile), filepath.Join("eval", assignmentsFile)); code != exitOK {
		t.Errorf("diff --exit-code: exit %d\n%s%s", code, stdout, stderr)
	}
}
