package report

import (
	"bytes"
	"encoding/json"
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

// goldenCases are the small cases whose outputs are kept in testdata as
// <name>.summary.json, <name>.territories.csv and <name>.table.txt.
var goldenCases = []struct {
	name  string
	setup func(testing.TB) (*territory.Problem, *territory.Plan)
	run   Run
}{
	{
		name:  "planar",
		setup: func(t testing.TB) (*territory.Problem, *territory.Plan) { return planarCase(t, territory.SSE) },
		run: Run{
			Version: "v0.0.0-test", Seed: 1, Objective: "sse", Center: "unit",
			Rules: []string{"workload:min=4,max=5", "revenue", "count:max=4"}, K: 2,
			Accounts: "accounts.csv", Reps: "reps.csv", Space: "planar",
			Solver: struct {
				Rounds int     `json:"rounds"`
				Moves  int     `json:"moves"`
				Cost   float64 `json:"cost"`
			}{Rounds: 3, Moves: 7, Cost: 27},
		},
	},
	{
		name:  "geographic",
		setup: geoCase,
		run: Run{
			Version: "v0.0.0-test", Seed: 42, Objective: "distance", Center: "unit",
			Rules: []string{"count:50%"}, K: 2, Accounts: "demo", Space: "geographic",
		},
	},
	{
		name:  "weighted",
		setup: func(t testing.TB) (*territory.Problem, *territory.Plan) { return weightedCase(t, territory.SSE) },
		run: Run{
			Version: "v0.0.0-test", Seed: 1, Objective: "sse", Weight: "visits", Center: "unit", Shape: "regions",
			Rules: []string{"workload:min=4,max=5", "revenue", "count:max=4"}, Derived: []string{"workload=visits*(call_minutes+25)/60"}, K: 2,
			Accounts: "accounts.csv", Reps: "reps.csv", Space: "planar",
		},
	},
	{
		name:  "zero",
		setup: zeroCase,
		run:   Run{Version: "v0.0.0-test", Objective: "sse", Center: "mean", K: 2, Accounts: "zero.csv"},
	},
}

func TestGolden(t *testing.T) {
	writers := []struct {
		suffix string
		write  func(*bytes.Buffer, Run, *Metrics) error
	}{
		{"summary.json", func(b *bytes.Buffer, r Run, m *Metrics) error { return WriteSummaryJSON(b, r, m) }},
		{"territories.csv", func(b *bytes.Buffer, _ Run, m *Metrics) error { return WriteTerritoriesCSV(b, m) }},
		{"table.txt", func(b *bytes.Buffer, _ Run, m *Metrics) error { return WriteTable(b, m) }},
	}
	for _, tc := range goldenCases {
		for _, wr := range writers {
			t.Run(tc.name+"/"+wr.suffix, func(t *testing.T) {
				p, pl := tc.setup(t)
				m := Evaluate(p, pl)
				var got bytes.Buffer
				if err := wr.write(&got, tc.run, m); err != nil {
					t.Fatal(err)
				}
				// Writing again gives the same bytes.
				var again bytes.Buffer
				if err := wr.write(&again, tc.run, Evaluate(p, pl)); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got.Bytes(), again.Bytes()) {
					t.Errorf("two writes differ:\n%s\n---\n%s", got.Bytes(), again.Bytes())
				}
				if bytes.Contains(got.Bytes(), []byte("\r")) {
					t.Errorf("output holds a carriage return")
				}
				if !bytes.HasSuffix(got.Bytes(), []byte("\n")) {
					t.Errorf("output does not end in a newline")
				}
				golden := filepath.Join("testdata", tc.name+"."+wr.suffix)
				if *update {
					if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test -update to create it)", err)
				}
				if diff := cmp.Diff(string(want), got.String()); diff != "" {
					t.Errorf("%s differs from the golden file (-want +got); if intended, run go test -update:\n%s", golden, diff)
				}
			})
		}
	}
}

// TestSummaryJSONFinite checks that a measure summing to 0 and a rep of
// capacity 0 (targets of 0) bring no NaN or infinity into summary.json,
// and that what is written reads back as JSON with the documented keys.
func TestSummaryJSONFinite(t *testing.T) {
	p, pl := zeroCase(t)
	m := Evaluate(p, pl)
	var buf bytes.Buffer
	if err := WriteSummaryJSON(&buf, Run{}, m); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"NaN", "Inf", "-0,", "-0\n"} {
		if strings.Contains(buf.String(), bad) {
			t.Errorf("summary.json holds %q:\n%s", bad, buf.String())
		}
	}
	var doc struct {
		Measures []struct {
			Measure     string   `json:"measure"`
			MinPct      *float64 `json:"min_pct_target"`
			CV          *float64 `json:"cv"`
			ZeroTargets int      `json:"zero_targets"`
		} `json:"measures"`
		Territories []struct {
			Balance []struct {
				PctTarget  *float64 `json:"pct_target"`
				ZeroTarget bool     `json:"zero_target"`
			} `json:"balance"`
		} `json:"territories"`
		Violations []struct {
			ExcessPct *float64 `json:"excess_pct_target"`
		} `json:"violations"`
		Feasible *bool `json:"feasible"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("summary.json does not parse: %v\n%s", err, buf.String())
	}
	if len(doc.Measures) != 2 || doc.Measures[0].MinPct == nil || *doc.Measures[0].MinPct != 0 ||
		doc.Measures[0].CV == nil || *doc.Measures[0].CV != 0 || doc.Measures[0].ZeroTargets != 2 {
		t.Errorf("revenue stats = %+v, want min_pct_target 0, cv 0 and 2 zero targets", doc.Measures)
	}
	for i, tj := range doc.Territories {
		if l := tj.Balance[0]; l.PctTarget == nil || *l.PctTarget != 0 || !l.ZeroTarget {
			t.Errorf("territory %d revenue: pct_target %v, zero_target %v; want 0 and true", i, l.PctTarget, l.ZeroTarget)
		}
	}
	if len(doc.Violations) != 2 || doc.Violations[1].ExcessPct == nil || *doc.Violations[1].ExcessPct != 0 {
		t.Errorf("violations = %+v, want 2, the second with excess_pct_target 0", doc.Violations)
	}
	if doc.Feasible == nil || *doc.Feasible {
		t.Errorf("feasible = %v, want false", doc.Feasible)
	}
}

// TestWritersRejectNonFinite checks that a NaN or an infinity that got into
// the metrics makes the writers fail without writing anything.
func TestWritersRejectNonFinite(t *testing.T) {
	tests := []struct {
		name  string
		spoil func(*Metrics)
	}{
		{name: "objective NaN", spoil: func(m *Metrics) { m.ObjectiveValue = math.NaN() }},
		{name: "load +Inf", spoil: func(m *Metrics) { m.Territories[0].Loads[0].Load = math.Inf(1) }},
		{name: "centre NaN", spoil: func(m *Metrics) { m.Territories[1].Center.X = math.NaN() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, pl := planarCase(t, territory.SSE)
			m := Evaluate(p, pl)
			tt.spoil(m)
			var buf bytes.Buffer
			if err := WriteSummaryJSON(&buf, Run{}, m); err == nil {
				t.Errorf("WriteSummaryJSON: no error")
			}
			if buf.Len() != 0 {
				t.Errorf("WriteSummaryJSON wrote %d bytes despite the error", buf.Len())
			}
		})
	}
	// The CSV writes loads and centres but not the objective.
	for _, tt := range tests[1:] {
		t.Run("csv "+tt.name, func(t *testing.T) {
			p, pl := planarCase(t, territory.SSE)
			m := Evaluate(p, pl)
			tt.spoil(m)
			var buf bytes.Buffer
			if err := WriteTerritoriesCSV(&buf, m); err == nil {
				t.Errorf("WriteTerritoriesCSV: no error")
			}
			if buf.Len() != 0 {
				t.Errorf("WriteTerritoriesCSV wrote %d bytes despite the error", buf.Len())
			}
		})
	}
}

func TestJSONNumber(t *testing.T) {
	tests := []struct {
		name string
		in   float64
		want string
	}{
		{name: "integer", in: 27, want: "27"},
		{name: "fraction", in: 1.5, want: "1.5"},
		{name: "third", in: 1.0 / 3, want: "0.333333"},
		{name: "rounds up", in: 2.0 / 3, want: "0.666667"},
		{name: "negative", in: -7.25, want: "-7.25"},
		{name: "zero", in: 0, want: "0"},
		{name: "negative zero", in: math.Copysign(0, -1), want: "0"},
		{name: "tiny negative", in: -1e-9, want: "0"},
		{name: "large", in: 12345678901.5, want: "12345678901.5"},
		{name: "no exponent", in: 1e21, want: "1000000000000000000000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := jsonNumber(tt.in); got != tt.want {
				t.Errorf("jsonNumber(%v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestGrouped(t *testing.T) {
	tests := []struct {
		name string
		in   float64
		prec int
		want string
	}{
		{name: "small", in: 12.345, prec: 2, want: "12.35"},
		{name: "thousand", in: 1000, prec: 0, want: "1,000"},
		{name: "million", in: 1234567.891, prec: 2, want: "1,234,567.89"},
		{name: "negative", in: -1234.5, prec: 1, want: "-1,234.5"},
		{name: "negative zero", in: -0.001, prec: 1, want: "0.0"},
		{name: "three digits", in: 999, prec: 0, want: "999"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := grouped(tt.in, tt.prec); got != tt.want {
				t.Errorf("grouped(%v, %d) = %q, want %q", tt.in, tt.prec, got, tt.want)
			}
		})
	}
}

// TestTableSanitizes checks that control characters in names from the
// inputs neither break the table's columns nor reach the terminal.
func TestTableSanitizes(t *testing.T) {
	p, pl := planarCase(t, territory.SSE)
	p.Reps[0].Name = "Ann\tSmith\n\x1b[31mred\xff"
	var buf bytes.Buffer
	if err := WriteTable(&buf, Evaluate(p, pl)); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.ContainsAny(out, "\t\x1b\r") || !strings.Contains(out, "Ann Smith  [31mred ") {
		t.Errorf("table holds control characters or lost the name:\n%q", out)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 12 {
		t.Errorf("table has %d lines, want 12 (2 territories, 3 rules):\n%s", len(lines), out)
	}
}
