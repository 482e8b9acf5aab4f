package tabular

import (
	"bytes"
	"errors"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/territory-optimizer/territory/pkg/territory"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, diff)
	}
}

// sortProblem has ids that sort differently by bytes and by number, ids
// that need CSV quoting, and three territories.
func sortProblem(space territory.Space) (*territory.Problem, *territory.Plan) {
	p := &territory.Problem{
		Space: space,
		Accounts: territory.Accounts{
			IDs: []string{"10", "2", "A10", "A2", "007", "7", `Say "hi"`, "a,b", "1"},
			Locs: []territory.Point{
				{X: -74, Y: 40.7}, {X: -73.9, Y: 40.8}, {X: -118.2, Y: 34}, {X: -118.3, Y: 34.1},
				{X: -87.6, Y: 41.9}, {X: -87.7, Y: 41.8}, {X: -74, Y: 40.7}, {X: -118.2, Y: 34}, {X: -87.6, Y: 41.9},
			},
		},
		Reps: []territory.Rep{{ID: "NY"}, {ID: "LA"}, {ID: "R,CHI"}},
	}
	pl := &territory.Plan{
		Assign:  []int{0, 0, 1, 1, 2, 2, 0, 1, 2},
		Centers: []territory.Point{{X: -74, Y: 40.7}, {X: -118.25, Y: 34.05}, {X: -87.65, Y: 41.85}},
	}
	return p, pl
}

func TestWriteAssignments(t *testing.T) {
	tests := []struct {
		name   string
		space  territory.Space
		golden string
	}{
		{name: "geographic", space: territory.Geographic, golden: "assignments_geographic.csv"},
		{name: "planar", space: territory.Planar, golden: "assignments_planar.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, pl := sortProblem(tt.space)
			var b bytes.Buffer
			if err := WriteAssignments(&b, p, pl); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.golden, b.Bytes())
		})
	}
}

func TestWriteAssignmentsOrder(t *testing.T) {
	p, pl := sortProblem(territory.Planar)
	var b bytes.Buffer
	if err := WriteAssignments(&b, p, pl); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, line := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")[1:] {
		ids = append(ids, line[:strings.LastIndex(line, ",T")])
	}
	// Numbers by value ("2" before "10", "007" and "7" by bytes as a tie),
	// then everything else by bytes; quoted as CSV needs.
	want := []string{"1", "2", "007", "7", "10", "A10", "A2", `"Say ""hi"""`, `"a,b"`}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("account order (-want +got):\n%s", diff)
	}
	if strings.Contains(b.String(), "\r") {
		t.Error("output has \\r line endings")
	}
}

func TestWriteAssignmentsRejectsMismatchedPlan(t *testing.T) {
	p, pl := sortProblem(territory.Geographic)
	pl.Assign = pl.Assign[:3]
	err := WriteAssignments(&bytes.Buffer{}, p, pl)
	if err == nil || !strings.HasPrefix(err.Error(), "write assignments: plan: 3 assignments for 9 accounts") {
		t.Errorf("WriteAssignments with a short plan: %v", err)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteAssignmentsWriteError(t *testing.T) {
	p, pl := sortProblem(territory.Geographic)
	err := WriteAssignments(failWriter{}, p, pl)
	if err == nil || err.Error() != "write assignments: disk full" {
		t.Errorf("WriteAssignments to a failing writer: %v", err)
	}
}

func TestFormatDistance(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0.000"},
		{math.Copysign(0, -1), "0.000"},
		{-0.0004, "0.000"},
		{1.0005, "1.000"}, // stored as 1.000499999..., so it rounds down
		{12.3456, "12.346"},
		{1234567.5, "1234567.500"},
	}
	for _, tt := range tests {
		if got := formatDistance(tt.in); got != tt.want {
			t.Errorf("formatDistance(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWriteMoves(t *testing.T) {
	p := &territory.Problem{
		Space: territory.Planar,
		Accounts: territory.Accounts{
			IDs:    []string{"10", "2", "b", "a", "c"},
			Locs:   []territory.Point{{}, {}, {}, {}, {}},
			Owners: []string{"r1", "r2", "", "r1", "r2"},
		},
		Reps: []territory.Rep{{ID: "r1", Capacity: 1}, {ID: "r2", Capacity: 1}},
	}
	pl := &territory.Plan{Assign: []int{1, 1, 0, 0, 0}, Centers: make([]territory.Point, 2), CenterAccount: []int{-1, -1}}
	var b strings.Builder
	if err := WriteMoves(&b, p, pl); err != nil {
		t.Fatal(err)
	}
	// "10" moved r1 -> r2 and "c" r2 -> r1; "2" and "a" stayed, "b" has no
	// owner. Numeric ids sort first.
	want := "account_id,from_rep_id,to_rep_id,from_territory_id,to_territory_id\n10,r1,r2,T1,T2\nc,r2,r1,T2,T1\n"
	if got := b.String(); got != want {
		t.Errorf("moves.csv:\n%s\nwant:\n%s", got, want)
	}
}
