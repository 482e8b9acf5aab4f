package report

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

var inf = math.Inf(1)

func mustRule(t testing.TB, s string) territory.BalanceRule {
	t.Helper()
	r, err := territory.ParseBalanceRule(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// planarCase is a planar problem solved by hand. Two reps, r1 at full and
// r2 at half capacity, so the capacity shares are 2/3 and 1/3:
//
//	account  (x, y)   revenue  workload  visits  territory
//	a1       (0, 0)     40.5      1        2      T1 (centre at a1)
//	a2       (3, 0)     19.5      2        1      T1
//	a3       (0, 4)     30        3        0      T1
//	a4       (10, 0)    10        1        5      T2 (centre (10, 1))
//	a5       (10, 2)    50        1        1      T2
//
// Rules, in this order: workload:min=4,max=5 (T1 above its max, T2 on its
// min), revenue:5% (T1 below its band, T2 above) and count:max=4 (r2's max
// is 4·0.5 = 2, and T2 is on it);
// visits has no rule.
func planarCase(t testing.TB, objective territory.Objective) (*territory.Problem, *territory.Plan) {
	t.Helper()
	p := &territory.Problem{
		Space: territory.Planar,
		Accounts: territory.Accounts{
			IDs:  []string{"a1", "a2", "a3", "a4", "a5"},
			Locs: []territory.Point{{X: 0, Y: 0}, {X: 3, Y: 0}, {X: 0, Y: 4}, {X: 10, Y: 0}, {X: 10, Y: 2}},
			Measures: []territory.Measure{
				{Name: "revenue", Column: "Revenue", Values: []float64{40.5, 19.5, 30, 10, 50}},
				{Name: "workload", Column: "Workload", Values: []float64{1, 2, 3, 1, 1}},
				{Name: "visits", Column: "visits", Values: []float64{2, 1, 0, 5, 1}},
			},
		},
		Reps: []territory.Rep{
			{ID: "r1", Name: "Smith, Ann", Capacity: 1},
			{ID: "r2", Name: `Bo "the closer"`, Capacity: 0.5},
		},
		Rules: []territory.BalanceRule{
			mustRule(t, "workload:min=4,max=5"), mustRule(t, "revenue"), mustRule(t, "count:max=4"),
		},
		Objective: objective,
		Center:    territory.CenterUnit,
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	pl := &territory.Plan{
		Assign:        []int{0, 0, 0, 1, 1},
		Centers:       []territory.Point{{X: 0, Y: 0}, {X: 10, Y: 1}},
		CenterAccount: []int{0, -1},
	}
	if err := pl.Check(p); err != nil {
		t.Fatal(err)
	}
	return p, pl
}

// planarWant is what Evaluate must find for planarCase, worked out by hand.
func planarWant(objective territory.Objective) *Metrics {
	// Distances: T1 a1 0, a2 3, a3 4 (sum 7, squares 25, max 4);
	// T2 a4 1, a5 1 (sum 2, squares 2, max 1).
	m := &Metrics{
		Space:         territory.Planar,
		Objective:     objective,
		Center:        territory.CenterUnit,
		SSE:           27,
		TotalDistance: 9,
		MaxDistance:   4,
		Accounts:      5,
		Balance: []MeasureStats{
			{
				// workload: total 8, targets 16/3 and 8/3; loads 6 and 2, i.e.
				// 112.5% and 75%: mean 93.75, population standard deviation
				// 18.75, CV 0.2, largest deviation 25.
				Rule:    territory.BalanceRule{Measure: "workload", HasMin: true, Min: 4, HasMax: true, Max: 5},
				Measure: Measure{Name: "workload", Column: "Workload", Total: 8},
				MinLoad: 2, MaxLoad: 6, MeanLoad: 4,
				MinPct: 75, MaxPct: 112.5, MeanPct: 93.75, StdDevPct: 18.75, CV: 0.2,
				MaxDeviationPct: 25,
				Violations:      1,
			},
			{
				// revenue: total 150, targets 150·2/3 = 100 and 150·1/3 = 50;
				// loads 90 and 60, i.e. 90% and 120%: mean 105, deviation 15,
				// CV 15/105 = 1/7, largest deviation 20.
				Rule:    territory.BalanceRule{Measure: "revenue", HasTolerance: true, Tolerance: 0.05},
				Measure: Measure{Name: "revenue", Column: "Revenue", Total: 150},
				MinLoad: 60, MaxLoad: 90, MeanLoad: 75,
				MinPct: 90, MaxPct: 120, MeanPct: 105, StdDevPct: 15, CV: 1.0 / 7,
				MaxDeviationPct: 20,
				Violations:      2,
			},
			{
				// count: total 5, targets 10/3 and 5/3; loads 3 and 2, also
				// 90% and 120%.
				Rule:    territory.BalanceRule{Measure: "count", HasMax: true, Max: 4},
				Measure: Measure{Name: "count", Column: "count", Total: 5},
				MinLoad: 2, MaxLoad: 3, MeanLoad: 2.5,
				MinPct: 90, MaxPct: 120, MeanPct: 105, StdDevPct: 15, CV: 1.0 / 7,
				MaxDeviationPct: 20,
			},
		},
		Others: []Measure{{Name: "visits", Column: "visits", Total: 9}},
		Territories: []Territory{
			{
				ID: "T1", RepID: "r1", RepName: "Smith, Ann", Capacity: 1, Accounts: 3,
				Center: territory.Point{}, CenterAccount: "a1",
				Compactness: 25, MeanDistance: 7.0 / 3, MaxDistance: 4,
				Loads: []Load{
					// workload: 4 to 5 for a full rep; 6 is 1 above.
					{Load: 6, Target: 16.0 / 3, Lo: 4, Hi: 5, PctTarget: 112.5, Excess: 1},
					// revenue band 100 ± 5%: 90 is 5 below 95.
					{Load: 90, Target: 100, Lo: 95, Hi: 105, PctTarget: 90, Excess: -5},
					// count: at most 3 for a full rep; 3 is on the bound.
					{Load: 3, Target: 10.0 / 3, Lo: -inf, Hi: 4, PctTarget: 90},
				},
				Others: []float64{3},
			},
			{
				ID: "T2", RepID: "r2", RepName: `Bo "the closer"`, Capacity: 0.5, Accounts: 2,
				Center:      territory.Point{X: 10, Y: 1},
				Compactness: 2, MeanDistance: 1, MaxDistance: 1,
				Loads: []Load{
					// workload: 4·0.5 = 2 to 5·0.5 = 2.5, which holds the
					// whole number 2 only; 2 is on both bounds.
					{Load: 2, Target: 8.0 / 3, Lo: 2, Hi: 2, PctTarget: 75},
					// revenue band 50 ± 5% (not widened: revenue has
					// fractions): 60 is 7.5 above 52.5.
					{Load: 60, Target: 50, Lo: 47.5, Hi: 52.5, PctTarget: 120, Excess: 7.5},
					// count: at most 4·0.5 = 2; 2 is on it.
					{Load: 2, Target: 5.0 / 3, Lo: -inf, Hi: 2, PctTarget: 120},
				},
				Others: []float64{6},
			},
		},
		// By territory, then measure name: revenue before workload in T1,
		// although the rules list workload first.
		Violations: []Violation{
			{Rule: "revenue:5%", Measure: "revenue", Territory: "T1", Rep: "r1", Load: 90, Target: 100,
				Bound: "min", Limit: 95, Excess: 5, ExcessPct: 5},
			// 1 of a target of 16/3 is 18.75%.
			{Rule: "workload:min=4,max=5", Measure: "workload", Territory: "T1", Rep: "r1", Load: 6, Target: 16.0 / 3,
				Bound: "max", Limit: 5, Excess: 1, ExcessPct: 18.75,
				// Workload totals 8 but the maxima add up to 5 + 2 (r2's
				// 2.5, whole numbers): no plan can meet the rule.
				Cause: "the total 8.00 is above the sum of all territories' maxima 7.00"},
			{Rule: "revenue:5%", Measure: "revenue", Territory: "T2", Rep: "r2", Load: 60, Target: 50,
				Bound: "max", Limit: 52.5, Excess: 7.5, ExcessPct: 15},
		},
		// Each territory is one piece: a2 lies on the bottom edge of the
		// hull of all five, so a1-a2 is a triangle edge, and a1-a3 and
		// a4-a5 are hull edges. T1's hull (a1 a2 a3) holds neither a4
		// nor a5; T2's two accounts have none. Every account's 4 others
		// are its neighbours: 2 of them in its territory in T1, 1 in T2.
		Shape: ShapeStats{
			Pieces: 2, NeighbourAgreement: 8.0 / 20,
			Territories: []TerritoryShape{{Pieces: 1, NeighbourAgreement: 0.5}, {Pieces: 1, NeighbourAgreement: 0.25}},
		},
	}
	if objective == territory.SSE {
		m.ObjectiveValue = 27
	} else {
		m.ObjectiveValue = 9
		m.Territories[0].Compactness = 7
		m.Territories[1].Compactness = 2
	}
	return m
}

// weightedCase is planarCase with its objective weighted by visits
// (Problem.Weight): 2, 1, 0, 5 and 1 for a1..a5.
func weightedCase(t testing.TB, objective territory.Objective) (*territory.Problem, *territory.Plan) {
	t.Helper()
	p, pl := planarCase(t, objective)
	p.Weight = "Visits" // as a user may spell it: the metrics name it normalised
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	return p, pl
}

// weightedWant is what Evaluate must find for weightedCase, worked out by
// hand: planarWant with the objective's sums weighted by visits, the
// distances per account as they were.
func weightedWant(objective territory.Objective) *Metrics {
	m := planarWant(objective)
	m.Weight = "visits"
	// Squared distances 0, 9, 16 | 1, 1 weighted by 2, 1, 0 | 5, 1:
	// T1 0 + 9 + 0 = 9, T2 5 + 1 = 6. Distances 0, 3, 4 | 1, 1: T1
	// 0 + 3 + 0 = 3, T2 5 + 1 = 6.
	m.SSE, m.TotalDistance = 15, 9
	m.Territories[0].Compactness, m.Territories[1].Compactness = 9, 6
	m.ObjectiveValue = 15
	if objective == territory.Distance {
		m.Territories[0].Compactness, m.Territories[1].Compactness = 3, 6
		m.ObjectiveValue = 9
	}
	return m
}

// geoCase is a geographic problem on the equator: three accounts one
// degree apart around (0, 0) and one at (10, 0); two full-time reps; the
// centres sit at accounts (p-median). count:50% allows 1 to 3 accounts for
// a target of 2, and both territories sit exactly on a bound.
func geoCase(t testing.TB) (*territory.Problem, *territory.Plan) {
	t.Helper()
	p := &territory.Problem{
		Space: territory.Geographic,
		Accounts: territory.Accounts{
			IDs:  []string{"g1", "g2", "g3", "g4"},
			Locs: []territory.Point{{X: 0, Y: 0}, {X: 1, Y: 0}, {X: 0, Y: 1}, {X: 10, Y: 0}},
		},
		Reps:      []territory.Rep{{ID: "east", Capacity: 1}, {ID: "west", Capacity: 1}},
		Rules:     []territory.BalanceRule{mustRule(t, "count:50%")},
		Objective: territory.Distance,
		Center:    territory.CenterUnit,
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	pl := &territory.Plan{
		Assign:        []int{0, 0, 0, 1},
		Centers:       []territory.Point{{X: 0, Y: 0}, {X: 10, Y: 0}},
		CenterAccount: []int{0, 3},
	}
	if err := pl.Check(p); err != nil {
		t.Fatal(err)
	}
	return p, pl
}

func geoWant() *Metrics {
	// One degree of a great circle: R·π/180 = 6371.0088·0.0174533 km
	// = 111.195 km, both along the equator (g2) and along the meridian (g3).
	deg := spatial.EarthRadiusKm * math.Pi / 180
	return &Metrics{
		Space:          territory.Geographic,
		Objective:      territory.Distance,
		Center:         territory.CenterUnit,
		ObjectiveValue: 2 * deg,
		SSE:            2 * deg * deg,
		TotalDistance:  2 * deg,
		MaxDistance:    deg,
		Accounts:       4,
		Balance: []MeasureStats{{
			// Targets 2 and 2; loads 3 (150%) and 1 (50%): mean 100,
			// deviation 50, CV 0.5.
			Rule:    territory.BalanceRule{Measure: "count", HasTolerance: true, Tolerance: 0.5},
			Measure: Measure{Name: "count", Column: "count", Total: 4},
			MinLoad: 1, MaxLoad: 3, MeanLoad: 2,
			MinPct: 50, MaxPct: 150, MeanPct: 100, StdDevPct: 50, CV: 0.5,
			MaxDeviationPct: 50,
		}},
		Territories: []Territory{
			{
				ID: "T1", RepID: "east", Capacity: 1, Accounts: 3,
				CenterAccount: "g1",
				Compactness:   2 * deg, MeanDistance: 2 * deg / 3, MaxDistance: deg,
				Loads: []Load{{Load: 3, Target: 2, Lo: 1, Hi: 3, PctTarget: 150}},
			},
			{
				ID: "T2", RepID: "west", Capacity: 1, Accounts: 1,
				Center: territory.Point{X: 10}, CenterAccount: "g4",
				Loads: []Load{{Load: 1, Target: 2, Lo: 1, Hi: 3, PctTarget: 50}},
			},
		},
		// T1 a triangle, T2 one account, far away; the 3 others of g1, g2
		// and g3 hold 2 of T1, those of g4 none of T2.
		Shape: ShapeStats{
			Pieces: 2, NeighbourAgreement: 6.0 / 12,
			Territories: []TerritoryShape{{Pieces: 1, NeighbourAgreement: 2.0 / 3}, {Pieces: 1}},
		},
	}
}

// zeroCase has a balanced measure that sums to 0 and a rep of capacity 0,
// whose targets are all 0.
func zeroCase(t testing.TB) (*territory.Problem, *territory.Plan) {
	t.Helper()
	p := &territory.Problem{
		Space: territory.Planar,
		Accounts: territory.Accounts{
			IDs:      []string{"z1", "z2", "z3"},
			Locs:     []territory.Point{{X: 0, Y: 0}, {X: 1, Y: 0}, {X: 5, Y: 5}},
			Measures: []territory.Measure{{Name: "revenue", Column: "revenue", Values: []float64{0, 0, 0}}},
		},
		Reps:      []territory.Rep{{ID: "full", Capacity: 1}, {ID: "none", Capacity: 0}},
		Rules:     []territory.BalanceRule{mustRule(t, "revenue"), mustRule(t, "count:0%")},
		Objective: territory.SSE,
		Center:    territory.CenterMean,
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	pl := &territory.Plan{
		Assign:  []int{0, 0, 1},
		Centers: []territory.Point{{X: 0.5, Y: 0}, {X: 5, Y: 5}},
	}
	if err := pl.Check(p); err != nil {
		t.Fatal(err)
	}
	return p, pl
}

func zeroWant() *Metrics {
	return &Metrics{
		Space:     territory.Planar,
		Objective: territory.SSE,
		Center:    territory.CenterMean,
		// T1: z1 and z2 each 0.5 from (0.5, 0): 0.25 + 0.25.
		ObjectiveValue: 0.5,
		SSE:            0.5,
		TotalDistance:  1,
		MaxDistance:    0.5,
		Accounts:       3,
		Balance: []MeasureStats{
			{
				// Every target is 0: no ratio statistics at all.
				Rule:        territory.BalanceRule{Measure: "revenue", HasTolerance: true, Tolerance: 0.05},
				Measure:     Measure{Name: "revenue", Column: "revenue"},
				ZeroTargets: 2,
			},
			{
				// Targets 3 (capacity share 1) and 0, bands [3, 3] and [0, 0]:
				// T1 holds 2 of 3, 66.67%, 1 below; T2 holds 1 account for a
				// target of 0, 1 above.
				Rule:    territory.BalanceRule{Measure: "count", HasTolerance: true},
				Measure: Measure{Name: "count", Column: "count", Total: 3},
				MinLoad: 1, MaxLoad: 2, MeanLoad: 1.5,
				MinPct: 200.0 / 3, MaxPct: 200.0 / 3, MeanPct: 200.0 / 3,
				MaxDeviationPct: 100.0 / 3,
				ZeroTargets:     1,
				Violations:      2,
			},
		},
		Territories: []Territory{
			{
				ID: "T1", RepID: "full", Capacity: 1, Accounts: 2,
				Center:      territory.Point{X: 0.5},
				Compactness: 0.5, MeanDistance: 0.5, MaxDistance: 0.5,
				Loads: []Load{
					{Lo: 0, Hi: 0, ZeroTarget: true},
					{Load: 2, Target: 3, Lo: 3, Hi: 3, PctTarget: 200.0 / 3, Excess: -1},
				},
			},
			{
				ID: "T2", RepID: "none", Capacity: 0, Accounts: 1,
				Center: territory.Point{X: 5, Y: 5},
				Loads: []Load{
					{Lo: 0, Hi: 0, ZeroTarget: true},
					{Load: 1, Lo: 0, Hi: 0, ZeroTarget: true, Excess: 1},
				},
			},
		},
		Violations: []Violation{
			{Rule: "count:0%", Measure: "count", Territory: "T1", Rep: "full", Load: 2, Target: 3,
				Bound: "min", Limit: 3, Excess: 1, ExcessPct: 100.0 / 3},
			// No target: no excess % either.
			// Its one account alone is above the capacity-0 rep's max of 0.
			{Rule: "count:0%", Measure: "count", Territory: "T2", Rep: "none", Load: 1,
				Bound: "max", Limit: 0, Excess: 1,
				Cause: "an account alone is above the maximum", Culprits: []string{"z3"}, CulpritCount: 1},
		},
		// Three accounts, one triangle: z1 and z2 each have the other and
		// z3 as their 2 others, half in T1; z3 has none of T2.
		Shape: ShapeStats{
			Pieces: 2, NeighbourAgreement: 2.0 / 6,
			Territories: []TerritoryShape{{Pieces: 1, NeighbourAgreement: 0.5}, {Pieces: 1}},
		},
	}
}

func TestEvaluate(t *testing.T) {
	tests := []struct {
		name  string
		setup func(testing.TB) (*territory.Problem, *territory.Plan)
		want  *Metrics
	}{
		{
			name:  "planar sse",
			setup: func(t testing.TB) (*territory.Problem, *territory.Plan) { return planarCase(t, territory.SSE) },
			want:  planarWant(territory.SSE),
		},
		{
			name:  "planar distance",
			setup: func(t testing.TB) (*territory.Problem, *territory.Plan) { return planarCase(t, territory.Distance) },
			want:  planarWant(territory.Distance),
		},
		{
			name:  "planar sse weighted",
			setup: func(t testing.TB) (*territory.Problem, *territory.Plan) { return weightedCase(t, territory.SSE) },
			want:  weightedWant(territory.SSE),
		},
		{
			name:  "planar distance weighted",
			setup: func(t testing.TB) (*territory.Problem, *territory.Plan) { return weightedCase(t, territory.Distance) },
			want:  weightedWant(territory.Distance),
		},
		{name: "geographic distance", setup: geoCase, want: geoWant()},
		{name: "zero targets", setup: zeroCase, want: zeroWant()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, pl := tt.setup(t)
			got := Evaluate(p, pl)
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateApprox(1e-12, 1e-9), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Evaluate() mismatch (-want +got):\n%s", diff)
			}
			if got.Feasible() != (len(tt.want.Violations) == 0) {
				t.Errorf("Feasible() = %v with %d violations", got.Feasible(), len(got.Violations))
			}
		})
	}
}

// TestEvaluatePure checks that Evaluate changes neither its inputs nor its
// answer from one call to the next.
func TestEvaluatePure(t *testing.T) {
	p, pl := planarCase(t, territory.SSE)
	p0, pl0 := planarCase(t, territory.SSE)
	first := Evaluate(p, pl)
	second := Evaluate(p, pl)
	if diff := cmp.Diff(first, second); diff != "" {
		t.Errorf("second Evaluate differs (-first +second):\n%s", diff)
	}
	if diff := cmp.Diff(p0, p); diff != "" {
		t.Errorf("Evaluate changed the problem (-before +after):\n%s", diff)
	}
	if diff := cmp.Diff(pl0, pl); diff != "" {
		t.Errorf("Evaluate changed the plan (-before +after):\n%s", diff)
	}
}
