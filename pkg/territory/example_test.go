package territory_test

import (
	"fmt"
	"slices"

	"github.com/territory-optimizer/territory/pkg/territory"
)

func ExampleParseBalanceRule() {
	for _, s := range []string{"revenue", "Annual Revenue:3%,max=2e6", "demand:min=10,max=120"} {
		r, err := territory.ParseBalanceRule(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%-28q -> %s\n", s, r)
	}
	_, err := territory.ParseBalanceRule("revenue:min=3,max=2")
	fmt.Println(err)
	// Output:
	// "revenue"                    -> revenue:5%
	// "Annual Revenue:3%,max=2e6"  -> annual_revenue:3%,max=2e+06
	// "demand:min=10,max=120"      -> demand:min=10,max=120
	// balance rule "revenue:min=3,max=2": min 3 is above max 2
}

func ExampleProblem_Bands() {
	// Ten accounts shared by two full-time reps and one half-time rep:
	// capacity shares of 40%, 40% and 20%.
	p := &territory.Problem{
		Space: territory.Planar,
		Accounts: territory.Accounts{
			IDs:  []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"},
			Locs: make([]territory.Point, 10),
			Measures: []territory.Measure{{
				Name: "revenue", Column: "Revenue",
				Values: []float64{120, 80, 95.5, 104.5, 100, 100, 150, 50, 110, 90},
			}},
		},
		Reps: []territory.Rep{
			{ID: "ann", Capacity: 1},
			{ID: "bob", Capacity: 1},
			{ID: "cho", Capacity: 0.5},
		},
	}
	show := func(rule string) {
		r, err := territory.ParseBalanceRule(rule)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(r)
		for k, b := range p.Bands(r) {
			fmt.Printf("  %s %s: target %.4g, band [%.4g, %.4g]\n", p.TerritoryID(k), p.Reps[k].ID, b.Target, b.Lo, b.Hi)
		}
	}
	show("revenue:10%")
	show("revenue:max=420")

	// With three full-time reps, 10 accounts make a target of 3.33 each;
	// counts are whole numbers, so the band widens to 3 or 4.
	p.Reps[2].Capacity = 1
	show("count:0%")
	// Output:
	// revenue:10%
	//   T1 ann: target 400, band [360, 440]
	//   T2 bob: target 400, band [360, 440]
	//   T3 cho: target 200, band [180, 220]
	// revenue:max=420
	//   T1 ann: target 400, band [-Inf, 420]
	//   T2 bob: target 400, band [-Inf, 420]
	//   T3 cho: target 200, band [-Inf, 210]
	// count:0%
	//   T1 ann: target 3.333, band [3, 4]
	//   T2 bob: target 3.333, band [3, 4]
	//   T3 cho: target 3.333, band [3, 4]
}

func ExampleCompareIDs() {
	ids := []string{"10", "b7", "2", "007", "7", "a10", "a2"}
	slices.SortFunc(ids, territory.CompareIDs)
	fmt.Println(ids)
	// Output:
	// [2 007 7 10 a10 a2 b7]
}

func ExampleProblem_WithFixes() {
	// Today's plan (the owners): a1, a2 with r1; a3, a4 with r2. An
	// analyst moves a2 to r2's territory and confirms a3 where it is.
	p := &territory.Problem{
		Space: territory.Planar,
		Accounts: territory.Accounts{
			IDs:    []string{"a1", "a2", "a3", "a4"},
			Locs:   make([]territory.Point, 4),
			Owners: []string{"r1", "r1", "r2", "r2"},
		},
		Reps: []territory.Rep{{ID: "r1", Capacity: 1}, {ID: "r2", Capacity: 1}},
	}
	fixes := []territory.Fix{{Account: 1, Territory: 1, Row: 2}, {Account: 2, Territory: 1, Row: 3}}
	q, edits, err := p.WithFixes(fixes, "edits.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("edits:", len(edits), "(row", edits[0].Row, "moves", q.Accounts.IDs[edits[0].Account]+")")
	fmt.Println("owners:", q.Accounts.Owners)
	fmt.Println("locked:", q.Accounts.Locked)
	// Output:
	// edits: 1 (row 2 moves a2)
	// owners: [r1 r2 r2 r2]
	// locked: [false true false false]
}
