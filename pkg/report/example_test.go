package report_test

import (
	"fmt"
	"os"

	"github.com/territory-optimizer/territory/pkg/report"
	"github.com/territory-optimizer/territory/pkg/territory"
)

func ExampleEvaluate() {
	// Four accounts on a planar grid, two reps, revenue within ±10%.
	p := &territory.Problem{
		Space: territory.Planar,
		Accounts: territory.Accounts{
			IDs:  []string{"a", "b", "c", "d"},
			Locs: []territory.Point{{X: 0, Y: 0}, {X: 2, Y: 0}, {X: 10, Y: 0}, {X: 10, Y: 2}},
			Measures: []territory.Measure{
				{Name: "revenue", Column: "revenue", Values: []float64{60.5, 40, 50, 45.5}},
			},
		},
		Reps:      []territory.Rep{{ID: "ann", Capacity: 1}, {ID: "bob", Capacity: 1}},
		Rules:     []territory.BalanceRule{{Measure: "revenue", HasTolerance: true, Tolerance: 0.1}},
		Objective: territory.SSE,
	}
	pl := &territory.Plan{
		Assign:        []int{0, 0, 1, 1},
		Centers:       []territory.Point{{X: 1, Y: 0}, {X: 10, Y: 1}},
		CenterAccount: []int{-1, -1},
	}

	m := report.Evaluate(p, pl)
	fmt.Printf("objective %s = %g\n", m.Objective, m.ObjectiveValue)
	for _, t := range m.Territories {
		l := t.Loads[0]
		fmt.Printf("%s %s: revenue %g of %g (%.1f%%), within band: %v\n", t.ID, t.RepID, l.Load, l.Target, l.PctTarget, l.OK())
	}
	fmt.Println()
	if err := report.WriteTable(os.Stdout, m); err != nil {
		fmt.Println(err)
	}
	// Output:
	// objective sse = 4
	// T1 ann: revenue 100.5 of 98 (102.6%), within band: true
	// T2 bob: revenue 95.5 of 98 (97.4%), within band: true
	//
	// territory  rep  accounts  revenue  revenue %
	// T1         ann         2   100.50    102.6%
	// T2         bob         2    95.50     97.4%
	//
	// rule         min % target  max % target  violations
	// revenue:10%         97.4%        102.6%           0
	//
	// objective sse: 4.000 (total distance 4.000, largest distance 1.000)
	// shape: 2 territories in 2 pieces, 0.0% of accounts inside another territory's hull, neighbour agreement 0.33
	// all balance rules met
}

func ExampleWriteMarkdown() {
	// Two reps, revenue within ±10%; ann's territory holds too much.
	p := &territory.Problem{
		Space: territory.Planar,
		Accounts: territory.Accounts{
			IDs:  []string{"a", "b", "c", "d"},
			Locs: []territory.Point{{X: 0, Y: 0}, {X: 2, Y: 0}, {X: 10, Y: 0}, {X: 10, Y: 2}},
			Measures: []territory.Measure{
				{Name: "revenue", Column: "revenue", Values: []float64{60, 60, 40, 40}},
			},
		},
		Reps:      []territory.Rep{{ID: "ann", Name: "Ann | East", Capacity: 1}, {ID: "bob", Capacity: 1}},
		Rules:     []territory.BalanceRule{{Measure: "revenue", HasTolerance: true, Tolerance: 0.1}},
		Objective: territory.SSE,
	}
	pl := &territory.Plan{
		Assign:        []int{0, 0, 1, 1},
		Centers:       []territory.Point{{X: 1, Y: 0}, {X: 10, Y: 1}},
		CenterAccount: []int{-1, -1},
	}
	run := report.Run{Version: "v1.0.0", Seed: 1, Rules: []string{"revenue:10%"}, Accounts: "accounts.csv"}
	if err := report.WriteMarkdown(os.Stdout, run, report.Evaluate(p, pl)); err != nil {
		fmt.Println(err)
	}
	// Output:
	// ## Territory plan: 2 balance rule violations
	//
	// **2** territories · **4** accounts · objective sse · centre mean · seed 1 · rules revenue:10% · accounts accounts.csv · territory v1.0.0
	//
	// ### Balance rules
	//
	// | rule | min % of target | max % of target | mean % of target | violations |
	// | --- | ---: | ---: | ---: | ---: |
	// | revenue:10% | 80.0% | 120.0% | 100.0% | 2 |
	//
	// ### Shape
	//
	// 2 territories in 2 pieces; 0 accounts (0.0%) inside another territory's hull; neighbour agreement 0.33 (the share of each account's 10 nearest accounts that are in its territory).
	//
	// ### Territories
	//
	// | territory | rep | name | accounts | revenue | revenue % | pieces | inside other hull | neighbour agreement |
	// | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |
	// | T1 | ann | Ann \| East | 2 | 120 | **120.0%** | 1 | 0 | 0.33 |
	// | T2 | bob |  | 2 | 80 | **80.0%** | 1 | 0 | 0.33 |
	//
	// ### Violations
	//
	// - T1 (ann): revenue 120 is above its maximum of 110 by 10 (10.0% of target), rule revenue:10%
	// - T2 (bob): revenue 80 is below its minimum of 90 by 10 (10.0% of target), rule revenue:10%
	//
	// **Objective** sse: 4.000 (total distance 4.000, largest distance 1.000)
}

func ExampleShape() {
	// Ann holds two pairs of accounts, at x = 0 and x = 6; bob a wall of
	// three between them, at x = 3. No triangle edge crosses bob's wall, so
	// ann's territory is in two pieces, and bob's d lies inside the hull of
	// ann's accounts (the rectangle 0-6 by 0-2). Bob's hull, a segment, has
	// no inside.
	p := &territory.Problem{
		Space: territory.Planar,
		Accounts: territory.Accounts{
			IDs: []string{"a", "b", "c", "d", "e", "f", "g"},
			Locs: []territory.Point{
				{X: 0, Y: 0}, {X: 0, Y: 2}, {X: 3, Y: -1}, {X: 3, Y: 1}, {X: 6, Y: 0}, {X: 6, Y: 2}, {X: 3, Y: 3},
			},
		},
		Reps:      []territory.Rep{{ID: "ann", Capacity: 1}, {ID: "bob", Capacity: 1}},
		Objective: territory.SSE,
	}
	pl := &territory.Plan{
		Assign:  []int{0, 0, 1, 1, 0, 0, 1},
		Centers: []territory.Point{{X: 3, Y: 1}, {X: 3, Y: 1}},
	}

	st := report.Shape(p, pl)
	fmt.Printf("pieces %d, territories in several pieces %d, inside another hull %d (%.1f%%), neighbour agreement %.3f\n",
		st.Pieces, st.TerritoriesInPieces, st.InsideOtherHull, 100*st.InsideOtherHullShare, st.NeighbourAgreement)
	for k, t := range st.Territories {
		fmt.Printf("%s %s: pieces %d, inside another hull %d, neighbour agreement %.3f\n",
			p.TerritoryID(k), p.Reps[k].ID, t.Pieces, t.InsideOtherHull, t.NeighbourAgreement)
	}
	// Output:
	// pieces 3, territories in several pieces 1, inside another hull 1 (14.3%), neighbour agreement 0.429
	// T1 ann: pieces 2, inside another hull 0, neighbour agreement 0.500
	// T2 bob: pieces 1, inside another hull 1, neighbour agreement 0.333
}
