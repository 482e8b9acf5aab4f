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

// withUnits puts the accounts of sortProblem in units, as a run with a
// layer of units (--units) leaves them: every account's unit id.
func withUnits(p *territory.Problem) {
	p.Accounts.Units = []string{"36061", "36061", "06037", "06037", "17031", "17031", "36047", "06037", "17031"}
}

// withGroups makes sortProblem a grouped problem, its groups in column
// "Region".
func withGroups(p *territory.Problem) {
	p.GroupColumn = "Region"
	p.Accounts.Groups = []string{"East", "East", "West", "West", "Central", "Central", "East", "West", "Central"}
	p.Reps[0].Group, p.Reps[1].Group, p.Reps[2].Group = "East", "West", "Central"
}

func TestWriteAssignments(t *testing.T) {
	tests := []struct {
		name   string
		space  territory.Space
		setup  []func(*territory.Problem)
		golden string
	}{
		{name: "geographic", space: territory.Geographic, golden: "assignments_geographic.csv"},
		{name: "planar", space: territory.Planar, golden: "assignments_planar.csv"},
		// unit_id after account_id; after the group column when there is one.
		{name: "units", space: territory.Geographic, setup: []func(*territory.Problem){withUnits}, golden: "assignments_units.csv"},
		{name: "grouped units", space: territory.Geographic, setup: []func(*territory.Problem){withUnits, withGroups},
			golden: "assignments_grouped_units.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, pl := sortProblem(tt.space)
			for _, f := range tt.setup {
				f(p)
			}
			var b bytes.Buffer
			if err := WriteAssignments(&b, p, pl); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.golden, b.Bytes())
		})
	}
}

// TestAssignmentsUnitsRoundTrip reads back assignments.csv with its
// unit_id column: a plan of accounts (not a unit table), the unit column
// ignored, every account in the territory and with the rep it was written
// with.
func TestAssignmentsUnitsRoundTrip(t *testing.T) {
	p, pl := sortProblem(territory.Geographic)
	withUnits(p)
	var b bytes.Buffer
	if err := WriteAssignments(&b, p, pl); err != nil {
		t.Fatal(err)
	}
	if header, _, _ := strings.Cut(b.String(), "\n"); header != "account_id,unit_id,territory_id,rep_id,distance_km" {
		t.Fatalf("header %q", header)
	}
	f, err := ReadPlan(&b, "assignments.csv", Options{Warn: func(e *territory.InputError) { t.Errorf("warning: %v", e) }})
	if err != nil {
		t.Fatal(err)
	}
	if f.Units || f.AccountCol != ColAccountID || !f.HasTerritory || !f.HasRep {
		t.Errorf("read as units %v, id column %q, territory %v, rep %v; want a plan of accounts with both columns",
			f.Units, f.AccountCol, f.HasTerritory, f.HasRep)
	}
	territories := p.TerritoryIDs()
	for i, id := range p.Accounts.IDs {
		j, ok := f.Lookup(id)
		if !ok {
			t.Errorf("account %q not read back", id)
			continue
		}
		k := pl.Assign[i]
		if f.Territories[j] != territories[k] || f.Reps[j] != p.Reps[k].ID {
			t.Errorf("account %q read in %s (%s), written in %s (%s)", id, f.Territories[j], f.Reps[j], territories[k], p.Reps[k].ID)
		}
	}
	if f.Len() != p.Accounts.Len() {
		t.Errorf("%d accounts read back, %d written", f.Len(), p.Accounts.Len())
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
