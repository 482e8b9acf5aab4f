package territory_test

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/territory-optimizer/territory/pkg/territory"
)

func TestParseBalanceRule(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want territory.BalanceRule
		// text is what String gives back: the canonical spelling.
		text string
	}{
		{
			name: "bare measure gets the default tolerance",
			in:   "revenue",
			want: territory.BalanceRule{Measure: "revenue", HasTolerance: true, Tolerance: territory.DefaultTolerance},
			text: "revenue:5%",
		},
		{
			name: "tolerance",
			in:   "revenue:3%",
			want: territory.BalanceRule{Measure: "revenue", HasTolerance: true, Tolerance: 0.03},
			text: "revenue:3%",
		},
		{
			name: "zero tolerance",
			in:   "revenue:0%",
			want: territory.BalanceRule{Measure: "revenue", HasTolerance: true, Tolerance: 0},
			text: "revenue:0%",
		},
		{
			name: "fractional tolerance",
			in:   "revenue:2.5%",
			want: territory.BalanceRule{Measure: "revenue", HasTolerance: true, Tolerance: 0.025},
			text: "revenue:2.5%",
		},
		{
			// Found by FuzzParseBalanceRule: 12 significant digits printed
			// "0:1e+12%", which reads back as another rule.
			name: "tolerance with 13 significant digits",
			in:   "0:1000000000001%",
			want: territory.BalanceRule{Measure: "0", HasTolerance: true, Tolerance: 1000000000001.0 / 100},
			text: "0:1000000000001%",
		},
		{
			name: "max only",
			in:   "demand:max=120",
			want: territory.BalanceRule{Measure: "demand", HasMax: true, Max: 120},
			text: "demand:max=120",
		},
		{
			name: "min only",
			in:   "x:min=5",
			want: territory.BalanceRule{Measure: "x", HasMin: true, Min: 5},
			text: "x:min=5",
		},
		{
			name: "min and max",
			in:   "x:min=1,max=2",
			want: territory.BalanceRule{Measure: "x", HasMin: true, Min: 1, HasMax: true, Max: 2},
			text: "x:min=1,max=2",
		},
		{
			name: "max before min",
			in:   "x:max=2,min=1",
			want: territory.BalanceRule{Measure: "x", HasMin: true, Min: 1, HasMax: true, Max: 2},
			text: "x:min=1,max=2",
		},
		{
			name: "min equal to max",
			in:   "x:min=2,max=2",
			want: territory.BalanceRule{Measure: "x", HasMin: true, Min: 2, HasMax: true, Max: 2},
			text: "x:min=2,max=2",
		},
		{
			name: "tolerance and max in exponent notation",
			in:   "x:3%,max=2e6",
			want: territory.BalanceRule{Measure: "x", HasTolerance: true, Tolerance: 0.03, HasMax: true, Max: 2e6},
			text: "x:3%,max=2e+06",
		},
		{
			name: "tolerance and both bounds",
			in:   "x:10%,min=0.5,max=7",
			want: territory.BalanceRule{Measure: "x", HasTolerance: true, Tolerance: 0.1, HasMin: true, Min: 0.5, HasMax: true, Max: 7},
			text: "x:10%,min=0.5,max=7",
		},
		{
			name: "negative bounds are allowed",
			in:   "margin:min=-10,max=-1",
			want: territory.BalanceRule{Measure: "margin", HasMin: true, Min: -10, HasMax: true, Max: -1},
			text: "margin:min=-10,max=-1",
		},
		{
			name: "measure name is normalised",
			in:   "Annual Revenue:5%",
			want: territory.BalanceRule{Measure: "annual_revenue", HasTolerance: true, Tolerance: 0.05},
			text: "annual_revenue:5%",
		},
		{
			name: "spaces around every part",
			in:   "  Revenue  :  3 %  ,  max = 10 , MIN=1 ",
			want: territory.BalanceRule{Measure: "revenue", HasTolerance: true, Tolerance: 0.03, HasMin: true, Min: 1, HasMax: true, Max: 10},
			text: "revenue:3%,min=1,max=10",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := territory.ParseBalanceRule(tt.in)
			if err != nil {
				t.Fatalf("ParseBalanceRule(%q): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseBalanceRule(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
			if s := got.String(); s != tt.text {
				t.Errorf("ParseBalanceRule(%q).String() = %q, want %q", tt.in, s, tt.text)
			}
			again, err := territory.ParseBalanceRule(got.String())
			if err != nil {
				t.Fatalf("ParseBalanceRule(%q) (round trip): %v", got.String(), err)
			}
			if diff := cmp.Diff(got, again); diff != "" {
				t.Errorf("round trip through %q mismatch (-first +second):\n%s", got.String(), diff)
			}
		})
	}
}

func TestParseBalanceRuleErrors(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantErr string
	}{
		{
			name:    "empty",
			in:      "",
			wantErr: `balance rule "": missing measure name (expected MEASURE, MEASURE:TOL%, MEASURE:max=V or MEASURE:min=V,max=V)`,
		},
		{
			name:    "empty measure before spec",
			in:      ":3%",
			wantErr: `balance rule ":3%": missing measure name (expected MEASURE, MEASURE:TOL%, MEASURE:max=V or MEASURE:min=V,max=V)`,
		},
		{
			name:    "measure of separators only",
			in:      " _-. :3%",
			wantErr: `balance rule " _-. :3%": missing measure name (expected MEASURE, MEASURE:TOL%, MEASURE:max=V or MEASURE:min=V,max=V)`,
		},
		{
			name:    "nothing after colon",
			in:      "x:",
			wantErr: `balance rule "x:": nothing after ':' (expected TOL%, max=V or min=V)`,
		},
		{
			name:    "only spaces after colon",
			in:      "x:   ",
			wantErr: `balance rule "x:   ": nothing after ':' (expected TOL%, max=V or min=V)`,
		},
		{
			name:    "bare word",
			in:      "x:abc",
			wantErr: `balance rule "x:abc": cannot read "abc" (expected TOL%, min=V or max=V)`,
		},
		{
			name:    "trailing comma",
			in:      "x:3%,",
			wantErr: `balance rule "x:3%,": cannot read "" (expected TOL%, min=V or max=V)`,
		},
		{
			name:    "number without percent sign",
			in:      "x:3",
			wantErr: `balance rule "x:3": cannot read "3" (expected TOL%, min=V or max=V)`,
		},
		{
			name:    "negative tolerance",
			in:      "x:-1%",
			wantErr: `balance rule "x:-1%": tolerance -1% is negative`,
		},
		{
			name:    "NaN tolerance",
			in:      "x:NaN%",
			wantErr: `balance rule "x:NaN%": tolerance "NaN%": "NaN" is not a finite number`,
		},
		{
			name:    "tolerance not a number",
			in:      "x:abc%",
			wantErr: `balance rule "x:abc%": tolerance "abc%": "abc" is not a number`,
		},
		{
			name:    "infinite max",
			in:      "x:max=inf",
			wantErr: `balance rule "x:max=inf": max=inf: "inf" is not a finite number`,
		},
		{
			name:    "max not a number",
			in:      "x:max=12,5x",
			wantErr: `balance rule "x:max=12,5x": cannot read "5x" (expected TOL%, min=V or max=V)`,
		},
		{
			name:    "empty min",
			in:      "x:min=",
			wantErr: `balance rule "x:min=": min=: "" is not a number`,
		},
		{
			name:    "min above max",
			in:      "x:min=3,max=2",
			wantErr: `balance rule "x:min=3,max=2": min 3 is above max 2`,
		},
		{
			name:    "unknown bound",
			in:      "x:foo=1",
			wantErr: `balance rule "x:foo=1": unknown bound "foo" (expected min or max)`,
		},
		{
			name:    "min twice",
			in:      "x:min=1,min=2",
			wantErr: `balance rule "x:min=1,min=2": min given twice`,
		},
		{
			name:    "max twice",
			in:      "x:max=1,max=2",
			wantErr: `balance rule "x:max=1,max=2": max given twice`,
		},
		{
			name:    "tolerance twice",
			in:      "x:3%,4%",
			wantErr: `balance rule "x:3%,4%": tolerance given twice`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := territory.ParseBalanceRule(tt.in)
			if err == nil {
				t.Fatalf("ParseBalanceRule(%q) = %+v, want error %q", tt.in, got, tt.wantErr)
			}
			if diff := cmp.Diff(tt.wantErr, err.Error()); diff != "" {
				t.Errorf("ParseBalanceRule(%q) error mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestBalanceRuleString(t *testing.T) {
	tests := []struct {
		name string
		rule territory.BalanceRule
		want string
	}{
		{
			name: "no constraint prints the bare measure",
			rule: territory.BalanceRule{Measure: "revenue"},
			want: "revenue",
		},
		{
			name: "bounds keep min before max",
			rule: territory.BalanceRule{Measure: "x", HasMax: true, Max: 1.5, HasMin: true, Min: -2},
			want: "x:min=-2,max=1.5",
		},
		{
			name: "values of an unset bound are ignored",
			rule: territory.BalanceRule{Measure: "x", HasTolerance: true, Tolerance: 0.2, Min: 9, Max: 10},
			want: "x:20%",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.rule.String(); got != tt.want {
				t.Errorf("%+v.String() = %q, want %q", tt.rule, got, tt.want)
			}
		})
	}
}

// FuzzParseBalanceRule checks that whatever ParseBalanceRule accepts is a
// usable rule that String writes back in a form that reads the same.
func FuzzParseBalanceRule(f *testing.F) {
	for _, s := range []string{
		"revenue", "revenue:3%", "revenue:0%", "demand:max=120", "x:min=5",
		"x:min=1,max=2", "x:3%,max=2e6", "Annual Revenue:5%", " a : 1 % , max = 3 ",
		"x:", "x:abc", "x:-1%", "x:NaN%", "x:max=inf", "x:min=3,max=2", "x:foo=1",
		"x:min=1,min=2", "x:3%,4%", ":", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := territory.ParseBalanceRule(s)
		if err != nil {
			return
		}
		if r.Measure == "" {
			t.Errorf("ParseBalanceRule(%q) accepted an empty measure", s)
		}
		if !r.HasTolerance && !r.HasMin && !r.HasMax {
			t.Errorf("ParseBalanceRule(%q) = %+v: a rule without a constraint", s, r)
		}
		if r.HasTolerance && !(r.Tolerance >= 0 && !math.IsInf(r.Tolerance, 0)) {
			t.Errorf("ParseBalanceRule(%q): tolerance %v", s, r.Tolerance)
		}
		for _, v := range []float64{r.Min, r.Max} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Errorf("ParseBalanceRule(%q): bound %v", s, v)
			}
		}
		if r.HasMin && r.HasMax && r.Min > r.Max {
			t.Errorf("ParseBalanceRule(%q): min %v above max %v", s, r.Min, r.Max)
		}
		again, err := territory.ParseBalanceRule(r.String())
		if err != nil {
			t.Fatalf("ParseBalanceRule(%q) = %+v, but its String %q does not parse: %v", s, r, r.String(), err)
		}
		if diff := cmp.Diff(r, again); diff != "" {
			t.Errorf("ParseBalanceRule(%q): round trip through %q mismatch (-first +second):\n%s", s, r.String(), diff)
		}
	})
}

func TestBandExcess(t *testing.T) {
	inf := math.Inf(1)
	// A band of target 100: the slack is 1e-9·100 = 1e-7.
	band := territory.Band{Target: 100, Lo: 90, Hi: 110}
	tests := []struct {
		name string
		band territory.Band
		load float64
		want float64
	}{
		{name: "inside", band: band, load: 100, want: 0},
		{name: "on the upper edge", band: band, load: 110, want: 0},
		{name: "on the lower edge", band: band, load: 90, want: 0},
		{name: "above", band: band, load: 115, want: 5},
		{name: "below", band: band, load: 80, want: -10},
		{name: "above the edge within the slack", band: band, load: 110 + 5e-8, want: 0},
		{name: "below the edge within the slack", band: band, load: 90 - 5e-8, want: 0},
		// 2⁻¹⁹ ≈ 1.9e-6 is past the slack, and 110 ± 2⁻¹⁹ is exact in
		// float64, so the excess is exactly 2⁻¹⁹: it is measured from Hi
		// (or Lo), not from Hi + slack.
		{name: "above the edge past the slack", band: band, load: 110 + 0x1p-19, want: 0x1p-19},
		{name: "below the edge past the slack", band: band, load: 90 - 0x1p-19, want: -0x1p-19},
		// The slack scales with the target: 1e-9·1e6 = 1e-3.
		{name: "large target widens the slack", band: territory.Band{Target: 1e6, Lo: 9e5, Hi: 1.1e6}, load: 1.1e6 + 5e-4, want: 0},
		// 2⁻⁸ ≈ 3.9e-3 is past that slack; 1.1e6 + 2⁻⁸ is exact.
		{name: "large target past the slack", band: territory.Band{Target: 1e6, Lo: 9e5, Hi: 1.1e6}, load: 1.1e6 + 0x1p-8, want: 0x1p-8},
		{name: "large target below, past the slack", band: territory.Band{Target: 1e6, Lo: 9e5, Hi: 1.1e6}, load: 9e5 - 0x1p-8, want: -0x1p-8},
		// Below a target of 1 the slack stays at 1e-9 (scale max(|target|, 1)).
		{name: "zero target keeps an absolute slack", band: territory.Band{Target: 0, Lo: 0, Hi: 0}, load: 5e-10, want: 0},
		{name: "zero target past the absolute slack", band: territory.Band{Target: 0, Lo: 0, Hi: 0}, load: 1e-8, want: 1e-8},
		{name: "unbounded", band: territory.Band{Target: 5, Lo: -inf, Hi: inf}, load: 1e300, want: 0},
		{name: "unbounded below", band: territory.Band{Target: 5, Lo: -inf, Hi: 10}, load: -1e300, want: 0},
		{name: "unbounded below, above Hi", band: territory.Band{Target: 5, Lo: -inf, Hi: 10}, load: 12, want: 2},
		{name: "unbounded above", band: territory.Band{Target: 5, Lo: 1, Hi: inf}, load: 1e300, want: 0},
		{name: "unbounded above, below Lo", band: territory.Band{Target: 5, Lo: 1, Hi: inf}, load: 0.5, want: -0.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.band.Excess(tt.load)
			if got != tt.want {
				t.Errorf("%+v.Excess(%v) = %v, want %v", tt.band, tt.load, got, tt.want)
			}
			if contains := tt.band.Contains(tt.load); contains != (tt.want == 0) {
				t.Errorf("%+v.Contains(%v) = %v, want %v", tt.band, tt.load, contains, tt.want == 0)
			}
		})
	}
}
