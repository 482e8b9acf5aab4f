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
	// ### Territories
	//
	// | territory | rep | name | accounts | revenue | revenue % |
	// | --- | --- | --- | ---: | ---: | ---: |
	// | T1 | ann | Ann \| East | 2 | 120 | **120.0%** |
	// | T2 | bob |  | 2 | 80 | **80.0%** |
	//
	// ### Violations
	//
	// - T1 (ann): revenue 120 is above its maximum of 110 by 10 (10.0% of target), rule revenue:10%
	// - T2 (bob): revenue 80 is below its minimum of 90 by 10 (10.0% of target), rule revenue:10%
	//
	// **Objective** sse: 4.000 (total distance 4.000, largest distance 1.000)
}
