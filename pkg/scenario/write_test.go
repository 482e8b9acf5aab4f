package scenario

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/ and the key table in docs/scenario.md")

// everyKey sets every key of a scenario, each to a value other than its
// default.
func everyKey() *Scenario {
	return &Scenario{
		Accounts: Input{File: "data/accounts.xlsx", Sheet: "Accounts", Columns: map[string]string{
			"id": "Account ID", "name": "", "lat": "Latitude", "lon": "Longitude", "owner": "Current Rep", "locked": "Fixed"}},
		Reps:        Input{File: "/srv/shared/reps.csv", Sheet: "Reps", Columns: map[string]string{"id": "Rep", "capacity": "FTE"}},
		Units:       Units{File: "geo/zips.geojson", ID: "ZCTA5CE20"},
		Plan:        "today/assignments.csv",
		Fix:         "edits.csv",
		Territories: 25,
		Measures:    []string{"workload=visits*(call_minutes+25)/60", "travel=0.5"},
		Balance:     []string{"revenue:5%", "workload:max=1800", "count:3%,min=100"},
		Objective:   "distance",
		Weight:      "Population",
		Center:      "unit",
		Shape:       "free",
		Constraints: Constraints{Contiguous: true, MaxMoves: "10%", Stickiness: 0.5},
		Effort:      "thorough",
		TimeLimit:   "2m",
		Seed:        ptr(uint64(42)),
		Output:      Output{Dir: "out", Formats: []string{"csv", "json"}, Basemap: "osm", Quiet: true},
	}
}

// awkward holds text that YAML would read as something else if it were
// written plain.
func awkward() *Scenario {
	return &Scenario{
		Accounts: Input{File: "accounts #1.csv", Sheet: "yes", Columns: map[string]string{
			"id": "- id", "name": "1", "lat": "lat: deg", "lon": " lon", "owner": "'owner'", "locked": "null"}},
		Reps:      Input{File: "C:\\data\\reps.csv", Sheet: "Reps\tQ1", Columns: map[string]string{"id": "Rep\nID", "capacity": "é \"FTE\""}},
		Measures:  []string{"per visit=visits > 0 ? revenue/visits : 0", "#hash=- visits"},
		Balance:   []string{"Annual Revenue:5%", "workload:3%,max=1e6"},
		TimeLimit: "1h30m",
		Output:    Output{Dir: "[out]", Formats: []string{"CSV", " json"}},
	}
}

var writeCases = []struct {
	name string
	s    *Scenario
}{
	{name: "demo", s: Demo("accounts.csv", "reps.csv", []string{"revenue:5%", "workload:5%"})},
	{name: "every_key", s: everyKey()},
	{name: "awkward", s: awkward()},
	{name: "empty", s: &Scenario{}},
	{name: "empty_lists", s: &Scenario{Accounts: Input{Columns: map[string]string{}}, Measures: []string{}, Balance: []string{}}},
}

func TestWriteGolden(t *testing.T) {
	for _, tt := range writeCases {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := Write(&b, tt.s); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "write_"+tt.name+".yaml")
			if *update {
				if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./pkg/scenario -run TestWriteGolden -update)", err)
			}
			if diff := cmp.Diff(string(want), b.String()); diff != "" {
				t.Errorf("Write differs from %s (-golden +got; run with -update and review the diff):\n%s", golden, diff)
			}
		})
	}
}

func TestWriteRoundTrip(t *testing.T) {
	for _, tt := range writeCases {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := Write(&b, tt.s); err != nil {
				t.Fatal(err)
			}
			got, err := Parse(b.Bytes(), "s.yaml")
			if err != nil {
				t.Fatalf("Parse of what Write wrote: %v\n%s", err, b.String())
			}
			if diff := cmp.Diff(tt.s, got, cmpopts.IgnoreFields(Scenario{}, "Dir")); diff != "" {
				t.Errorf("Parse(Write(s)) (-s +got):\n%s", diff)
			}
			// Canonical: writing what was read gives the same bytes.
			var again bytes.Buffer
			if err := Write(&again, got); err != nil {
				t.Fatal(err)
			}
			if again.String() != b.String() {
				t.Errorf("Write(Parse(Write(s))) differs from Write(s)")
			}
		})
	}
}

// TestWriteUncommented checks that the commented-out keys Write shows are
// valid settings: a file with every '# ' removed parses, and sets the
// examples and defaults shown.
func TestWriteUncommented(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, &Scenario{}); err != nil {
		t.Fatal(err)
	}
	var lines []string
	for l := range strings.Lines(b.String()) {
		switch {
		case strings.HasPrefix(l, "# ") && !strings.HasPrefix(l, "# territory") && strings.Contains(l, ":"):
			l = strings.TrimPrefix(l, "# ")
		case strings.HasPrefix(l, "{}"):
			continue
		}
		lines = append(lines, l)
	}
	text := strings.Join(lines, "")
	// The header is prose; drop it.
	text = text[strings.Index(text, "\naccounts:")+1:]
	// demo and accounts.file exclude each other.
	text = strings.Replace(text, "demo: false", "demo: true", 1)
	text = strings.Replace(text, "  file: accounts.csv", "  # file: accounts.csv", 1)
	text = strings.Replace(text, "  file: reps.csv", "  # file: reps.csv", 1)
	s, err := Parse([]byte(text), "s.yaml")
	if err != nil {
		t.Fatalf("Parse: %v\n%s", err, text)
	}
	if s.Territories != 25 || s.Output.Dir != DefaultOutDir || len(s.Output.Formats) != len(Formats()) || s.Accounts.Columns["id"] != "Account ID" {
		t.Errorf("the uncommented file reads as %+v", s)
	}
}

func TestWriteErrors(t *testing.T) {
	tests := []struct {
		name string
		s    *Scenario
		want string
	}{
		{name: "invalid", s: &Scenario{Objective: "fast"},
			want: `write scenario: scenario: objective: unknown value "fast" (expected sse or distance)`},
		{name: "not UTF-8", s: &Scenario{Accounts: Input{File: "caf\xe9.csv"}},
			want: `write scenario: accounts.file: "caf\xe9.csv" is not valid UTF-8`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Write(&bytes.Buffer{}, tt.s)
			if err == nil || err.Error() != tt.want {
				t.Errorf("Write: %v, want %s", err, tt.want)
			}
		})
	}
	// A writer's error is returned.
	if err := Write(failWriter{}, everyKey()); !errors.Is(err, errWrite) {
		t.Errorf("Write to a failing writer: %v", err)
	}
}

var errWrite = errors.New("disk full")

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errWrite }
