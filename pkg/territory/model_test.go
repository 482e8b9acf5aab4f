package territory_test

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/territory-optimizer/territory/pkg/territory"
)

func TestNormalizeName(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "space", in: "Annual Revenue", want: "annual_revenue"},
		{name: "surrounding spaces and dash", in: " Home-Lat ", want: "home_lat"},
		{name: "run of underscores", in: "a__b", want: "a_b"},
		{name: "dot", in: "A.B", want: "a_b"},
		{name: "mixed run of separators", in: "a - . _\tb", want: "a_b"},
		{name: "byte order mark", in: "\ufeffAccount ID", want: "account_id"},
		{name: "byte order mark and spaces", in: "\ufeff  id  ", want: "id"},
		{name: "trailing separators", in: "revenue_-. ", want: "revenue"},
		{name: "leading separators", in: "__.revenue", want: "revenue"},
		{name: "tab", in: "\tRevenue\t", want: "revenue"},
		{name: "unicode upper case", in: "ÜMSATZ Ärger", want: "ümsatz_ärger"},
		{name: "greek upper case", in: "ΔΑΠΑΝΗ", want: "δαπανη"},
		{name: "digits and other punctuation kept", in: "Q1/Q2 (EUR)", want: "q1/q2_(eur)"},
		{name: "already normal", in: "annual_revenue", want: "annual_revenue"},
		{name: "empty", in: "", want: ""},
		{name: "separators only", in: " -._ ", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := territory.NormalizeName(tt.in)
			if got != tt.want {
				t.Errorf("NormalizeName(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := territory.NormalizeName(got); again != got {
				t.Errorf("NormalizeName(%q) = %q, not a fixed point", got, again)
			}
		})
	}
}

func TestAccountsWeights(t *testing.T) {
	revenue := territory.Measure{Name: "revenue", Column: "Revenue", Values: []float64{10, 20.5, 0}}
	three := territory.Accounts{
		IDs:      []string{"a", "b", "c"},
		Locs:     make([]territory.Point, 3),
		Measures: []territory.Measure{revenue},
	}
	withCount := territory.Accounts{
		IDs:  []string{"a", "b", "c"},
		Locs: make([]territory.Point, 3),
		Measures: []territory.Measure{
			revenue,
			{Name: "count", Column: "Count", Values: []float64{2, 0, 5}},
		},
	}
	tests := []struct {
		name     string
		accounts territory.Accounts
		measure  string
		want     []float64
	}{
		{name: "built-in count gives ones", accounts: three, measure: "count", want: []float64{1, 1, 1}},
		{name: "built-in count name is normalised", accounts: three, measure: " COUNT ", want: []float64{1, 1, 1}},
		{name: "count of no accounts is empty, not nil", accounts: territory.Accounts{}, measure: "count", want: []float64{}},
		{name: "a count column overrides the built-in", accounts: withCount, measure: "count", want: []float64{2, 0, 5}},
		{name: "measure by normalised name", accounts: three, measure: "Revenue", want: []float64{10, 20.5, 0}},
		{name: "unknown measure", accounts: three, measure: "workload", want: nil},
		{name: "unknown measure without measures", accounts: territory.Accounts{IDs: []string{"a"}}, measure: "revenue", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.accounts.Weights(tt.measure)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Weights(%q) mismatch (-want +got):\n%s", tt.measure, diff)
			}
			if (got == nil) != (tt.want == nil) {
				t.Errorf("Weights(%q) = %#v, want %#v", tt.measure, got, tt.want)
			}
		})
	}
}

func TestAccountsMeasure(t *testing.T) {
	a := territory.Accounts{
		IDs: []string{"a", "b"},
		Measures: []territory.Measure{
			{Name: "revenue", Column: "Revenue", Values: []float64{1, 2}},
			{Name: "visits_per_year", Column: "Visits per year", Values: []float64{3, 4}},
		},
	}
	tests := []struct {
		name       string
		measure    string
		wantColumn string // "" when no measure is expected
	}{
		{name: "exact", measure: "revenue", wantColumn: "Revenue"},
		{name: "spelled as the column", measure: "Visits per year", wantColumn: "Visits per year"},
		{name: "built-in count is not a column", measure: "count", wantColumn: ""},
		{name: "unknown", measure: "margin", wantColumn: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := a.Measure(tt.measure)
			switch {
			case tt.wantColumn == "" && m != nil:
				t.Errorf("Measure(%q) = %+v, want nil", tt.measure, m)
			case tt.wantColumn != "" && m == nil:
				t.Errorf("Measure(%q) = nil, want column %q", tt.measure, tt.wantColumn)
			case m != nil && m.Column != tt.wantColumn:
				t.Errorf("Measure(%q).Column = %q, want %q", tt.measure, m.Column, tt.wantColumn)
			}
		})
	}
	// Measure points into the accounts, not at a copy.
	a.Measure("revenue").Values[0] = 99
	if got := a.Measures[0].Values[0]; got != 99 {
		t.Errorf("after writing through Measure, Measures[0].Values[0] = %v, want 99", got)
	}
}

func TestSpaceString(t *testing.T) {
	tests := []struct {
		name  string
		space territory.Space
		want  string
	}{
		{name: "geographic", space: territory.Geographic, want: "geographic"},
		{name: "planar", space: territory.Planar, want: "planar"},
		{name: "out of range", space: territory.Space(7), want: "Space(7)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.space.String(); got != tt.want {
				t.Errorf("Space(%d).String() = %q, want %q", int(tt.space), got, tt.want)
			}
		})
	}
}

func TestFinite(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		want bool
	}{{0, true}, {-1e308, true}, {math.NaN(), false}, {math.Inf(1), false}, {math.Inf(-1), false}} {
		if got := territory.Finite(tt.v); got != tt.want {
			t.Errorf("Finite(%v) = %v, want %v", tt.v, got, tt.want)
		}
	}
}
