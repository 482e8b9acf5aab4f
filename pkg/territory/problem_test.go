package territory_test

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// reps returns one rep per capacity, with ids r1, r2, ... and homes.
func reps(capacities ...float64) []territory.Rep {
	rs := make([]territory.Rep, len(capacities))
	for i, c := range capacities {
		rs[i] = territory.Rep{
			ID:       "r" + strconv.Itoa(i+1),
			Capacity: c,
			Home:     territory.Point{X: 2.35, Y: 48.85},
			HasHome:  true,
			Row:      i + 2, // row 1 is the header
		}
	}
	return rs
}

// accountsWith returns n accounts a1..an with one measure of the given
// values (the count built-in when name is "").
func accountsWith(name string, values ...float64) territory.Accounts {
	a := territory.Accounts{}
	for i := range values {
		a.IDs = append(a.IDs, "a"+strconv.Itoa(i+1))
		a.Locs = append(a.Locs, territory.Point{})
	}
	if name != "" {
		a.Measures = []territory.Measure{{Name: name, Column: name, Values: values}}
	}
	return a
}

func mustRule(t *testing.T, s string) territory.BalanceRule {
	t.Helper()
	r, err := territory.ParseBalanceRule(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestProblemBands(t *testing.T) {
	inf := math.Inf(1)
	// Revenue of four accounts; not whole numbers, so no widening. The
	// total is 250.5 + 249.5 + 300.25 + 199.75 = 1000.
	revenue := accountsWith("revenue", 250.5, 249.5, 300.25, 199.75)
	// Reps at capacity 1, 1 and 0.5: the capacities sum to 2.5, so the
	// shares are 1/2.5 = 40%, 40% and 0.5/2.5 = 20%, and the targets
	// 400, 400 and 200.
	uneven := reps(1, 1, 0.5)
	// Ten accounts counted one each: a whole-number measure.
	ten := accountsWith("", 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)
	tests := []struct {
		name     string
		accounts territory.Accounts
		reps     []territory.Rep
		rule     string
		want     []territory.Band
	}{
		{
			name:     "tolerance with capacity shares",
			accounts: revenue,
			reps:     uneven,
			// ±25%: 400·0.75 = 300 to 400·1.25 = 500; 200·0.75 = 150 to 250.
			rule: "revenue:25%",
			want: []territory.Band{
				{Target: 400, Lo: 300, Hi: 500},
				{Target: 400, Lo: 300, Hi: 500},
				{Target: 200, Lo: 150, Hi: 250},
			},
		},
		{
			name:     "zero tolerance pins the target",
			accounts: revenue,
			reps:     uneven,
			rule:     "revenue:0%",
			want: []territory.Band{
				{Target: 400, Lo: 400, Hi: 400},
				{Target: 400, Lo: 400, Hi: 400},
				{Target: 200, Lo: 200, Hi: 200},
			},
		},
		{
			name:     "min and max scale with capacity",
			accounts: revenue,
			reps:     uneven,
			// No tolerance: the bounds alone, halved for the rep at 0.5.
			rule: "revenue:min=100,max=300",
			want: []territory.Band{
				{Target: 400, Lo: 100, Hi: 300},
				{Target: 400, Lo: 100, Hi: 300},
				{Target: 200, Lo: 50, Hi: 150},
			},
		},
		{
			name:     "max only is unbounded below",
			accounts: revenue,
			reps:     uneven,
			rule:     "revenue:max=450",
			want: []territory.Band{
				{Target: 400, Lo: -inf, Hi: 450},
				{Target: 400, Lo: -inf, Hi: 450},
				{Target: 200, Lo: -inf, Hi: 225},
			},
		},
		{
			name:     "min only is unbounded above",
			accounts: revenue,
			reps:     uneven,
			rule:     "revenue:min=350",
			want: []territory.Band{
				{Target: 400, Lo: 350, Hi: inf},
				{Target: 400, Lo: 350, Hi: inf},
				{Target: 200, Lo: 175, Hi: inf},
			},
		},
		{
			name:     "tolerance intersected with max",
			accounts: revenue,
			reps:     uneven,
			// Tolerance gives [300, 500] and [150, 250]; max 450 scaled
			// gives 450 and 225, below the tolerance's upper ends.
			rule: "revenue:25%,max=450",
			want: []territory.Band{
				{Target: 400, Lo: 300, Hi: 450},
				{Target: 400, Lo: 300, Hi: 450},
				{Target: 200, Lo: 150, Hi: 225},
			},
		},
		{
			name:     "tolerance intersected with min",
			accounts: revenue,
			reps:     uneven,
			// min 350 scaled: 350 and 175, above the tolerance's lower
			// ends 300 and 150.
			rule: "revenue:25%,min=350",
			want: []territory.Band{
				{Target: 400, Lo: 350, Hi: 500},
				{Target: 400, Lo: 350, Hi: 500},
				{Target: 200, Lo: 175, Hi: 250},
			},
		},
		{
			name:     "looser max leaves the tolerance",
			accounts: revenue,
			reps:     uneven,
			rule:     "revenue:25%,max=1000",
			want: []territory.Band{
				{Target: 400, Lo: 300, Hi: 500},
				{Target: 400, Lo: 300, Hi: 500},
				{Target: 200, Lo: 150, Hi: 250},
			},
		},
		{
			name:     "count widened to whole numbers",
			accounts: ten,
			reps:     reps(1, 1, 1),
			// 10/3 = 3.33 per territory; at 0% no whole load fits, so
			// the band widens to [3, 4].
			rule: "count:0%",
			want: []territory.Band{
				{Target: 10.0 / 3, Lo: 3, Hi: 4},
				{Target: 10.0 / 3, Lo: 3, Hi: 4},
				{Target: 10.0 / 3, Lo: 3, Hi: 4},
			},
		},
		{
			name:     "whole target is not widened",
			accounts: accountsWith("", 1, 1, 1, 1, 1, 1, 1, 1, 1),
			reps:     reps(1, 1, 1),
			// 9/3 = 3 exactly, up to rounding in the share 1/3.
			rule: "count:0%",
			want: []territory.Band{
				{Target: 3, Lo: 3, Hi: 3},
				{Target: 3, Lo: 3, Hi: 3},
				{Target: 3, Lo: 3, Hi: 3},
			},
		},
		{
			name:     "whole measure with tolerance and capacities",
			accounts: ten,
			reps:     uneven,
			// Targets 4, 4 and 2; ±10% gives [3.6, 4.4] and [1.8, 2.2],
			// which hold the whole numbers 4 and 2 only.
			rule: "count:10%",
			want: []territory.Band{
				{Target: 4, Lo: 4, Hi: 4},
				{Target: 4, Lo: 4, Hi: 4},
				{Target: 2, Lo: 2, Hi: 2},
			},
		},
		{
			name:     "whole-number column counts as whole",
			accounts: accountsWith("visits", 3, 0, 4, 3),
			reps:     reps(1, 1, 1),
			// Total 10, targets 10/3, as for count.
			rule: "visits:0%",
			want: []territory.Band{
				{Target: 10.0 / 3, Lo: 3, Hi: 4},
				{Target: 10.0 / 3, Lo: 3, Hi: 4},
				{Target: 10.0 / 3, Lo: 3, Hi: 4},
			},
		},
		{
			name:     "whole measure shrinks scaled bounds to whole numbers",
			accounts: ten,
			reps:     uneven,
			// max=5 scaled by 0.5 is 2.5; loads are whole, so at most 2.
			rule: "count:max=5",
			want: []territory.Band{
				{Target: 4, Lo: -inf, Hi: 5},
				{Target: 4, Lo: -inf, Hi: 5},
				{Target: 2, Lo: -inf, Hi: 2},
			},
		},
		{
			name:     "fractional measure is not widened",
			accounts: accountsWith("hours", 1.5, 2, 2.5, 4),
			reps:     reps(1, 1, 1),
			// Total 10 as above, but one value with a fraction is enough to
			// keep the band at exactly 10/3.
			rule: "hours:0%",
			want: []territory.Band{
				{Target: 10.0 / 3, Lo: 10.0 / 3, Hi: 10.0 / 3},
				{Target: 10.0 / 3, Lo: 10.0 / 3, Hi: 10.0 / 3},
				{Target: 10.0 / 3, Lo: 10.0 / 3, Hi: 10.0 / 3},
			},
		},
		{
			name:     "rep at capacity 0",
			accounts: revenue,
			reps:     reps(1, 0),
			// Shares 1 and 0: the second rep's target and bounds are 0.
			rule: "revenue:5%,max=2000",
			want: []territory.Band{
				{Target: 1000, Lo: 950, Hi: 1050},
				{Target: 0, Lo: 0, Hi: 0},
			},
		},
	}
	// Products like 400·1.25 may be off by an ulp; compare to 1e-12
	// relative (infinities compare exactly).
	approx := cmpopts.EquateApprox(1e-12, 0)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &territory.Problem{Accounts: tt.accounts, Reps: tt.reps}
			got := p.Bands(mustRule(t, tt.rule))
			if diff := cmp.Diff(tt.want, got, approx); diff != "" {
				t.Errorf("Bands(%s) mismatch (-want +got):\n%s", tt.rule, diff)
			}
		})
	}
}

func TestProblemCapacityShares(t *testing.T) {
	tests := []struct {
		name string
		reps []territory.Rep
		want []float64
	}{
		{name: "equal", reps: reps(1, 1, 1, 1), want: []float64{0.25, 0.25, 0.25, 0.25}},
		{name: "half time", reps: reps(1, 1, 0.5), want: []float64{0.4, 0.4, 0.2}},
		{name: "scale does not matter", reps: reps(4, 4, 2), want: []float64{0.4, 0.4, 0.2}},
		{name: "all zero gives zero shares", reps: reps(0, 0), want: []float64{0, 0}},
		{name: "no reps", reps: nil, want: []float64{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &territory.Problem{Reps: tt.reps}
			if diff := cmp.Diff(tt.want, p.CapacityShares(), cmpopts.EquateApprox(1e-15, 0)); diff != "" {
				t.Errorf("CapacityShares mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestProblemTerritoryID(t *testing.T) {
	tests := []struct {
		name string
		k    int // number of territories
		want []string
	}{
		{name: "one", k: 1, want: []string{"T1"}},
		{name: "nine", k: 9, want: []string{"T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9"}},
		{name: "ten pads to two digits", k: 10, want: []string{"T01", "T02", "T03", "T04", "T05", "T06", "T07", "T08", "T09", "T10"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &territory.Problem{Reps: make([]territory.Rep, tt.k)}
			var got []string
			for k := range tt.k {
				got = append(got, p.TerritoryID(k))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("TerritoryID mismatch (-want +got):\n%s", diff)
			}
		})
	}
	p := &territory.Problem{Reps: make([]territory.Rep, 100)}
	if got, want := p.TerritoryID(0)+" "+p.TerritoryID(99), "T001 T100"; got != want {
		t.Errorf("TerritoryID(0), TerritoryID(99) with K=100 = %q, want %q", got, want)
	}
}

// validProblem is a small geographic problem that passes Validate; each
// case of TestProblemValidate breaks one thing in a fresh copy.
func validProblem() *territory.Problem {
	return &territory.Problem{
		Space: territory.Geographic,
		Accounts: territory.Accounts{
			IDs:  []string{"a1", "a2", "a3", "a4"},
			Locs: []territory.Point{{X: 2.35, Y: 48.85}, {X: 4.83, Y: 45.76}, {X: -1.55, Y: 47.22}, {X: 5.37, Y: 43.30}},
			Measures: []territory.Measure{
				{Name: "revenue", Column: "Revenue", Values: []float64{1200.5, 800, 0, 430.25}},
				{Name: "visits", Column: "Visits", Values: []float64{3, 1, 4, 1}},
			},
			Source: "accounts.csv",
			Rows:   []int{2, 3, 4, 5},
		},
		Reps: []territory.Rep{
			{ID: "r1", Capacity: 1, Home: territory.Point{X: 2.35, Y: 48.85}, HasHome: true, Row: 2},
			{ID: "r2", Capacity: 0.5, Home: territory.Point{X: 4.83, Y: 45.76}, HasHome: true, Row: 3},
		},
		Rules: []territory.BalanceRule{
			{Measure: "revenue", HasTolerance: true, Tolerance: 0.05},
			{Measure: "count", HasMax: true, Max: 3},
		},
		Objective: territory.SSE,
		Center:    territory.CenterMean,
	}
}

func TestProblemValidateValid(t *testing.T) {
	tests := []struct {
		name   string
		modify func(p *territory.Problem)
	}{
		{name: "as built", modify: func(*territory.Problem) {}},
		{name: "no rules", modify: func(p *territory.Problem) { p.Rules = nil }},
		{name: "centre home with homes", modify: func(p *territory.Problem) { p.Center = territory.CenterHome }},
		{name: "no homes without centre home", modify: func(p *territory.Problem) {
			p.Reps[0].HasHome, p.Reps[1].HasHome = false, false
		}},
		{name: "one rep at capacity 0", modify: func(p *territory.Problem) { p.Reps[1].Capacity = 0 }},
		{name: "K equal to N", modify: func(p *territory.Problem) {
			p.Reps = append(p.Reps, territory.Rep{ID: "r3", Capacity: 1}, territory.Rep{ID: "r4", Capacity: 1})
		}},
		{name: "negative value in an unbalanced measure", modify: func(p *territory.Problem) {
			p.Accounts.Measures[1].Values[2] = -4
		}},
		{name: "coordinates on the geographic limits", modify: func(p *territory.Problem) {
			p.Accounts.Locs[0] = territory.Point{X: -180, Y: 90}
			p.Accounts.Locs[1] = territory.Point{X: 180, Y: -90}
		}},
		{name: "planar accepts any finite coordinates", modify: func(p *territory.Problem) {
			p.Space = territory.Planar
			p.Accounts.Locs[0] = territory.Point{X: 0, Y: 91}
			p.Accounts.Locs[1] = territory.Point{X: 181, Y: 0}
			p.Reps[0].Home = territory.Point{X: -5000, Y: 12000}
		}},
		{name: "no rows or source", modify: func(p *territory.Problem) {
			p.Accounts.Rows, p.Accounts.Source = nil, ""
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validProblem()
			tt.modify(p)
			if err := p.Validate(); err != nil {
				t.Errorf("Validate() = %v, want nil", err)
			}
		})
	}
}

func TestProblemValidate(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name   string
		modify func(p *territory.Problem)
		// want lists every error Validate reports, in order.
		want []*territory.InputError
		// wantMsg is the joined message, one line per error.
		wantMsg string
	}{
		{
			name:    "no accounts",
			modify:  func(p *territory.Problem) { p.Accounts = territory.Accounts{Source: "accounts.csv"} },
			want:    []*territory.InputError{{What: "accounts", File: "accounts.csv", Msg: "no accounts"}},
			wantMsg: `accounts "accounts.csv": no accounts`,
		},
		{
			name:    "fewer locations than accounts stops the checks",
			modify:  func(p *territory.Problem) { p.Accounts.Locs = p.Accounts.Locs[:3]; p.Reps = nil },
			want:    []*territory.InputError{{What: "accounts", File: "accounts.csv", Msg: "3 locations for 4 accounts"}},
			wantMsg: `accounts "accounts.csv": 3 locations for 4 accounts`,
		},
		{
			name:    "fewer values than accounts",
			modify:  func(p *territory.Problem) { p.Accounts.Measures[0].Values = p.Accounts.Measures[0].Values[:2] },
			want:    []*territory.InputError{{What: "accounts", File: "accounts.csv", Column: "Revenue", Msg: "2 values for 4 accounts"}},
			wantMsg: `accounts "accounts.csv": column "Revenue": 2 values for 4 accounts`,
		},
		{
			name:    "empty id",
			modify:  func(p *territory.Problem) { p.Accounts.IDs[1] = "" },
			want:    []*territory.InputError{{What: "accounts", File: "accounts.csv", Row: 3, Column: "id", Msg: "empty id"}},
			wantMsg: `accounts "accounts.csv": row 3, column "id": empty id`,
		},
		{
			name:   "duplicate id cites the first row",
			modify: func(p *territory.Problem) { p.Accounts.IDs[3] = "a2" },
			want: []*territory.InputError{{What: "accounts", File: "accounts.csv", Row: 5, Column: "id",
				Msg: `duplicate id "a2" (first seen at row 3)`}},
			wantMsg: `accounts "accounts.csv": row 5, column "id": duplicate id "a2" (first seen at row 3)`,
		},
		{
			name: "duplicate id without rows cites the account",
			modify: func(p *territory.Problem) {
				p.Accounts.IDs[3] = "a2"
				p.Accounts.Rows, p.Accounts.Source = nil, ""
			},
			want:    []*territory.InputError{{What: "accounts", Column: "id", Msg: `duplicate id "a2" (first seen at account 2)`}},
			wantMsg: `accounts: column "id": duplicate id "a2" (first seen at account 2)`,
		},
		{
			name: "id three times",
			modify: func(p *territory.Problem) {
				p.Accounts.IDs[2], p.Accounts.IDs[3] = "a1", "a1"
			},
			want: []*territory.InputError{
				{What: "accounts", File: "accounts.csv", Row: 4, Column: "id", Msg: `duplicate id "a1" (first seen at row 2)`},
				{What: "accounts", File: "accounts.csv", Row: 5, Column: "id", Msg: `duplicate id "a1" (first seen at row 2)`},
			},
			wantMsg: `accounts "accounts.csv": row 4, column "id": duplicate id "a1" (first seen at row 2)` + "\n" +
				`accounts "accounts.csv": row 5, column "id": duplicate id "a1" (first seen at row 2)`,
		},
		{
			name:    "latitude 91",
			modify:  func(p *territory.Problem) { p.Accounts.Locs[0].Y = 91 },
			want:    []*territory.InputError{{What: "accounts", File: "accounts.csv", Row: 2, Msg: "latitude 91 is not between -90 and 90"}},
			wantMsg: `accounts "accounts.csv": row 2: latitude 91 is not between -90 and 90`,
		},
		{
			name:    "longitude 181",
			modify:  func(p *territory.Problem) { p.Accounts.Locs[3].X = 181 },
			want:    []*territory.InputError{{What: "accounts", File: "accounts.csv", Row: 5, Msg: "longitude 181 is not between -180 and 180"}},
			wantMsg: `accounts "accounts.csv": row 5: longitude 181 is not between -180 and 180`,
		},
		{
			name: "NaN location, even planar",
			modify: func(p *territory.Problem) {
				p.Space = territory.Planar
				p.Accounts.Locs[1].X = nan
			},
			want:    []*territory.InputError{{What: "accounts", File: "accounts.csv", Row: 3, Msg: "location is not a finite number"}},
			wantMsg: `accounts "accounts.csv": row 3: location is not a finite number`,
		},
		{
			name:    "NaN measure value",
			modify:  func(p *territory.Problem) { p.Accounts.Measures[0].Values[1] = nan },
			want:    []*territory.InputError{{What: "accounts", File: "accounts.csv", Row: 3, Column: "Revenue", Msg: "value NaN is not a finite number"}},
			wantMsg: `accounts "accounts.csv": row 3, column "Revenue": value NaN is not a finite number`,
		},
		{
			name:    "infinite value in an unbalanced measure",
			modify:  func(p *territory.Problem) { p.Accounts.Measures[1].Values[0] = math.Inf(1) },
			want:    []*territory.InputError{{What: "accounts", File: "accounts.csv", Row: 2, Column: "Visits", Msg: "value +Inf is not a finite number"}},
			wantMsg: `accounts "accounts.csv": row 2, column "Visits": value +Inf is not a finite number`,
		},
		{
			name:    "K = 0",
			modify:  func(p *territory.Problem) { p.Reps = nil },
			want:    []*territory.InputError{{What: "problem", Msg: "no territories: give reps or a number of territories"}},
			wantMsg: `problem: no territories: give reps or a number of territories`,
		},
		{
			name: "K > N",
			modify: func(p *territory.Problem) {
				p.Reps = append(p.Reps,
					territory.Rep{ID: "r3", Capacity: 1, Row: 4},
					territory.Rep{ID: "r4", Capacity: 1, Row: 5},
					territory.Rep{ID: "r5", Capacity: 1, Row: 6})
			},
			want:    []*territory.InputError{{What: "problem", Msg: "5 territories for 4 accounts: every territory needs at least one account"}},
			wantMsg: `problem: 5 territories for 4 accounts: every territory needs at least one account`,
		},
		{
			name:    "empty rep id",
			modify:  func(p *territory.Problem) { p.Reps[0].ID = "" },
			want:    []*territory.InputError{{What: "reps", Row: 2, Column: "id", Msg: "empty id"}},
			wantMsg: `reps: row 2, column "id": empty id`,
		},
		{
			name:    "duplicate rep id",
			modify:  func(p *territory.Problem) { p.Reps[1].ID = "r1" },
			want:    []*territory.InputError{{What: "reps", Row: 3, Column: "id", Msg: `duplicate id "r1"`}},
			wantMsg: `reps: row 3, column "id": duplicate id "r1"`,
		},
		{
			name:    "negative capacity",
			modify:  func(p *territory.Problem) { p.Reps[1].Capacity = -1 },
			want:    []*territory.InputError{{What: "reps", Row: 3, Column: "capacity", Msg: "capacity -1 is not a number >= 0"}},
			wantMsg: `reps: row 3, column "capacity": capacity -1 is not a number >= 0`,
		},
		{
			name:    "NaN capacity",
			modify:  func(p *territory.Problem) { p.Reps[1].Capacity = nan },
			want:    []*territory.InputError{{What: "reps", Row: 3, Column: "capacity", Msg: "capacity NaN is not a number >= 0"}},
			wantMsg: `reps: row 3, column "capacity": capacity NaN is not a number >= 0`,
		},
		{
			name:    "all capacities 0",
			modify:  func(p *territory.Problem) { p.Reps[0].Capacity, p.Reps[1].Capacity = 0, 0 },
			want:    []*territory.InputError{{What: "reps", Column: "capacity", Msg: "capacities sum to 0: at least one rep needs a capacity above 0"}},
			wantMsg: `reps: column "capacity": capacities sum to 0: at least one rep needs a capacity above 0`,
		},
		{
			name: "centre home with a rep without home",
			modify: func(p *territory.Problem) {
				p.Center = territory.CenterHome
				p.Reps[1].HasHome = false
			},
			want:    []*territory.InputError{{What: "reps", Row: 3, Msg: `rep "r2" has no home location, which centre "home" needs`}},
			wantMsg: `reps: row 3: rep "r2" has no home location, which centre "home" needs`,
		},
		{
			name:    "rep home off the globe",
			modify:  func(p *territory.Problem) { p.Reps[0].Home.Y = -91 },
			want:    []*territory.InputError{{What: "reps", Row: 2, Msg: "home: latitude -91 is not between -90 and 90"}},
			wantMsg: `reps: row 2: home: latitude -91 is not between -90 and 90`,
		},
		{
			name: "rule on unknown measure",
			modify: func(p *territory.Problem) {
				p.Rules = []territory.BalanceRule{{Measure: "workload", HasTolerance: true, Tolerance: 0.1}}
			},
			want: []*territory.InputError{{What: "problem",
				Msg: `balance rule workload:10%: no measure "workload" in the accounts (have: "count", "revenue", "visits")`}},
			wantMsg: `problem: balance rule workload:10%: no measure "workload" in the accounts (have: "count", "revenue", "visits")`,
		},
		{
			name: "unknown measure lists count once",
			modify: func(p *territory.Problem) {
				p.Accounts.Measures[1].Name, p.Accounts.Measures[1].Column = "count", "Count"
				p.Rules = []territory.BalanceRule{{Measure: "visits", HasMax: true, Max: 2}}
			},
			want: []*territory.InputError{{What: "problem",
				Msg: `balance rule visits:max=2: no measure "visits" in the accounts (have: "count", "revenue")`}},
			wantMsg: `problem: balance rule visits:max=2: no measure "visits" in the accounts (have: "count", "revenue")`,
		},
		{
			name: "two rules on one measure",
			modify: func(p *territory.Problem) {
				p.Rules = append(p.Rules, territory.BalanceRule{Measure: "revenue", HasMax: true, Max: 1000})
			},
			want: []*territory.InputError{{What: "problem",
				Msg: `balance rule revenue:max=1000: measure "revenue" has two rules; combine them into one`}},
			wantMsg: `problem: balance rule revenue:max=1000: measure "revenue" has two rules; combine them into one`,
		},
		{
			name:   "negative value in a balanced measure",
			modify: func(p *territory.Problem) { p.Accounts.Measures[0].Values[2] = -5 },
			want: []*territory.InputError{{What: "accounts", File: "accounts.csv", Row: 4, Column: "Revenue",
				Msg: `negative value -5 in balanced measure "revenue"`}},
			wantMsg: `accounts "accounts.csv": row 4, column "Revenue": negative value -5 in balanced measure "revenue"`,
		},
		{
			name: "negative tolerance built in code",
			modify: func(p *territory.Problem) {
				p.Rules = []territory.BalanceRule{{Measure: "revenue", HasTolerance: true, Tolerance: -0.05}}
			},
			want:    []*territory.InputError{{What: "problem", Msg: "balance rule revenue:-5%: tolerance must be >= 0"}},
			wantMsg: `problem: balance rule revenue:-5%: tolerance must be >= 0`,
		},
		{
			name: "min above max built in code",
			modify: func(p *territory.Problem) {
				p.Rules = []territory.BalanceRule{{Measure: "visits", HasMin: true, Min: 3, HasMax: true, Max: 2}}
			},
			want:    []*territory.InputError{{What: "problem", Msg: "balance rule visits:min=3,max=2: min is above max"}},
			wantMsg: `problem: balance rule visits:min=3,max=2: min is above max`,
		},
		{
			name: "every error is reported, in order",
			modify: func(p *territory.Problem) {
				p.Accounts.IDs[0] = ""
				p.Accounts.Locs[2].Y = 91
				p.Reps[1].Capacity = -2
				p.Rules = append(p.Rules, territory.BalanceRule{Measure: "margin", HasMin: true, Min: 1})
			},
			want: []*territory.InputError{
				{What: "accounts", File: "accounts.csv", Row: 2, Column: "id", Msg: "empty id"},
				{What: "accounts", File: "accounts.csv", Row: 4, Msg: "latitude 91 is not between -90 and 90"},
				{What: "reps", Row: 3, Column: "capacity", Msg: "capacity -2 is not a number >= 0"},
				{What: "problem", Msg: `balance rule margin:min=1: no measure "margin" in the accounts (have: "count", "revenue", "visits")`},
			},
			wantMsg: strings.Join([]string{
				`accounts "accounts.csv": row 2, column "id": empty id`,
				`accounts "accounts.csv": row 4: latitude 91 is not between -90 and 90`,
				`reps: row 3, column "capacity": capacity -2 is not a number >= 0`,
				`problem: balance rule margin:min=1: no measure "margin" in the accounts (have: "count", "revenue", "visits")`,
			}, "\n"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validProblem()
			tt.modify(p)
			err := p.Validate()
			if err == nil {
				t.Fatalf("Validate() = nil, want %q", tt.wantMsg)
			}
			if got := err.Error(); got != tt.wantMsg {
				t.Errorf("Validate() message mismatch (-want +got):\n%s", cmp.Diff(tt.wantMsg, got))
			}

			// errors.As finds the first input error in the joined error.
			var first *territory.InputError
			if !errors.As(err, &first) {
				t.Fatalf("Validate() = %v, not an *InputError", err)
			}
			if diff := cmp.Diff(tt.want[0], first); diff != "" {
				t.Errorf("first InputError mismatch (-want +got):\n%s", diff)
			}

			// Every joined error is an *InputError.
			joined, ok := err.(interface{ Unwrap() []error })
			if !ok {
				t.Fatalf("Validate() returned %T, want a joined error", err)
			}
			var got []*territory.InputError
			for _, e := range joined.Unwrap() {
				var ie *territory.InputError
				if !errors.As(e, &ie) {
					t.Fatalf("Validate(): %v (%T) is not an *InputError", e, e)
				}
				got = append(got, ie)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("InputErrors mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseObjective(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    territory.Objective
		wantErr string
	}{
		{name: "sse", in: "sse", want: territory.SSE},
		{name: "sse upper case", in: "SSE", want: territory.SSE},
		{name: "distance with spaces", in: "  Distance ", want: territory.Distance},
		{name: "empty", in: "", wantErr: `unknown objective "" (expected sse or distance)`},
		{name: "unknown", in: "k-means", wantErr: `unknown objective "k-means" (expected sse or distance)`},
		{name: "misspelt", in: "distnace", wantErr: `unknown objective "distnace" (expected sse or distance)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := territory.ParseObjective(tt.in)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("ParseObjective(%q) = %v, %v; want error %q", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseObjective(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
			if again, err := territory.ParseObjective(got.String()); err != nil || again != got {
				t.Errorf("ParseObjective(%q) = %v, %v; want %v", got.String(), again, err, got)
			}
		})
	}
}

func TestParseCenter(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    territory.Center
		wantErr string
	}{
		{name: "mean", in: "mean", want: territory.CenterMean},
		{name: "unit", in: "unit", want: territory.CenterUnit},
		{name: "home upper case with spaces", in: " HOME ", want: territory.CenterHome},
		{name: "empty", in: "", wantErr: `unknown centre "" (expected mean, unit or home)`},
		{name: "unknown", in: "centroid", wantErr: `unknown centre "centroid" (expected mean, unit or home)`},
		{name: "median", in: "median", wantErr: `unknown centre "median" (expected mean, unit or home)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := territory.ParseCenter(tt.in)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("ParseCenter(%q) = %v, %v; want error %q", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseCenter(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
			if again, err := territory.ParseCenter(got.String()); err != nil || again != got {
				t.Errorf("ParseCenter(%q) = %v, %v; want %v", got.String(), again, err, got)
			}
		})
	}
}

func TestEnumStringOutOfRange(t *testing.T) {
	tests := []struct {
		name string
		got  string
		want string
	}{
		{name: "objective", got: territory.Objective(7).String(), want: "Objective(7)"},
		{name: "center", got: territory.Center(9).String(), want: "Center(9)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("String() = %q, want %q", tt.got, tt.want)
			}
		})
	}
}
