package scenario_test

import (
	"fmt"
	"os"
	"slices"

	"github.com/territory-optimizer/territory/pkg/scenario"
)

func ExampleParse() {
	file := `accounts: {file: data/accounts.xlsx, sheet: Accounts, columns: {id: "Account ID"}}
reps: data/reps.csv
plan: out/assignments.csv
fix: edits.csv
balance: ["revenue:5%", "workload:max=1800"]
constraints: {max_moves: 10%}
time_limit: 2m
`
	s, err := scenario.Parse([]byte(file), "jobs/weekly.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	st := s.Settings()
	fmt.Println("accounts:", st.AccountsFile, "sheet", st.AccountsSheet, "id column", st.AccountColumns["id"])
	fmt.Println("reps:", st.RepsFile)
	fmt.Println("today's plan:", st.PlanFile, "edits:", st.FixFile)
	fmt.Println("rules:", st.Balance[0], st.Balance[1])
	fmt.Println("max moves of 5000 accounts:", st.MaxMoves.Of(5000))
	fmt.Println("time limit:", st.TimeLimit, "seed:", st.Seed, "objective:", st.Objective, "out:", st.OutDir)

	// Every problem is reported, with its line and column.
	bad := `territories: twenty
balence: ["revenue:5%"]
output: {formats: [csv, pdf]}
`
	_, err = scenario.Parse([]byte(bad), "bad.yaml")
	fmt.Println(err)
	// Output:
	// accounts: jobs/data/accounts.xlsx sheet Accounts id column Account ID
	// reps: jobs/data/reps.csv
	// today's plan: jobs/out/assignments.csv edits: jobs/edits.csv
	// rules: revenue:5% workload:max=1800
	// max moves of 5000 accounts: 500
	// time limit: 2m0s seed: 1 objective: sse out: territory-out
	// scenario "bad.yaml": line 1, column 14: territories: expected a whole number, got "twenty"
	// scenario "bad.yaml": line 2, column 1: unknown key "balence" (did you mean "balance"?)
	// scenario "bad.yaml": line 3, column 25: output.formats: unknown format "pdf" (expected csv, json, xlsx, md, geojson, svg or html)
}

func ExampleOverride() {
	s, err := scenario.Parse([]byte("accounts: a.csv\nterritories: 10\nseed: 7\n"), "s.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	// The command line: territory solve --config s.yaml -k 12 --effort quick
	// parsed into flags, with flag defaults where a flag was not given.
	flags := scenario.Defaults()
	flags.Territories = 12
	flags.Effort = "quick"
	given := []string{"territories", "effort"}
	changed := func(flag string) bool { return slices.Contains(given, flag) }

	st := scenario.Override(s.Settings(), flags, changed)
	fmt.Println("accounts:", st.AccountsFile)   // from the file
	fmt.Println("territories:", st.Territories) // the flag beats the file
	fmt.Println("effort:", st.Effort)           // the flag
	fmt.Println("seed:", st.Seed)               // from the file
	fmt.Println("out:", st.OutDir)              // the default
	// Output:
	// accounts: a.csv
	// territories: 12
	// effort: quick
	// seed: 7
	// out: territory-out
}

func ExampleWrite() {
	s := scenario.Demo("accounts.csv", "reps.csv", []string{"revenue:5%", "workload:5%"})
	// Facility-style territories that may interleave, each still in one
	// connected piece.
	s.Shape = "free"
	s.Constraints.Contiguous = true
	if err := scenario.Write(os.Stdout, s); err != nil {
		fmt.Println(err)
	}
	// Output:
	// # territory scenario: the settings of one 'territory solve' run.
	// #
	// #   territory solve --config scenario.yaml [flags]
	// #
	// # Every key is optional, but the accounts must come from somewhere
	// # (accounts.file, demo, or --accounts on the command line). A flag given on
	// # the command line overrides its key; --balance replaces the whole list.
	// # Relative paths are resolved against the directory of this file. Keys
	// # after '# ' are left out and take their defaults: remove the '# ' to set
	// # one. Every key, its flag and its default: docs/scenario.md.
	//
	// accounts:                         # where the accounts come from
	//   file: accounts.csv              # the accounts: CSV, XLSX or GeoJSON; - reads stdin (--accounts)
	//   # sheet: Accounts               # XLSX: the sheet to read; default found by its columns (--accounts-sheet)
	//   # columns: {id: Account ID, lat: Latitude}  # column names by key: id, name, lat, lon, x, y, owner, locked, unit; default found by name (--columns)
	//
	// reps:                             # where the reps come from
	//   file: reps.csv                  # the reps, one per territory: CSV, XLSX or GeoJSON (--reps)
	//   # sheet: Reps                   # XLSX: the sheet to read; default found by its columns (--reps-sheet)
	//   # columns: {capacity: FTE}      # column names by key: id, name, lat, lon, x, y, capacity; default found by name (--rep-columns)
	//
	// # units:                          # the layer of units the territories are made of
	// #   file: counties.geojson        # a layer of units (GeoJSON polygons) the territories are made of, empty units too; default none (territories of accounts alone) (--units)
	// #   id: geoid                     # the property of the layer that holds the unit ids; default the features' id, else found by name (zip, zcta, geoid, fips, ...) (--unit-id)
	//
	// # demo: false                     # solve the embedded demo instead of files (--demo)
	// # plan: today/assignments.csv     # today's plan, an assignments file: where --fix starts and moves are counted from; default the accounts' owners (--plan)
	// # fix: edits.csv                  # edits to keep (account_id, territory_id): the rest is rebalanced around them; default none (--fix)
	// # territories: 25                 # the number of territories; auto: the fewest that meet every max= rule (see territory size); default one per rep (-k, --territories)
	// # group: region                   # the column of accounts and reps that splits them into groups, solved apart; default none (--group)
	// # measures: ["hours=workload+0.5"]  # derived measures: NAME is EXPR, computed for each account from its numeric columns; default none (--measure)
	// balance:                          # balance rules, one per measure (--balance)
	//   - revenue:5%
	//   - workload:5%
	// # levels: ["district=12", "region=3"]  # levels of parents above the territories, bottom up, each contiguous and balanced; default none (--level)
	// # level_balance: ["district:revenue:5%"]  # balance rules of the levels; default the territories' rules (--balance-level)
	// objective: sse                    # sum of squared distances (sse) or of distances to the centre (--objective)
	// # weight: population              # the measure that weights each account's distance in the objective; default none (--weight)
	// center: home                      # where a centre sits: free (mean), at an account (unit), at the rep's home (--center)
	// shape: free                       # regions: every territory one connected piece, side by side; free: they may interleave (--shape)
	//
	// constraints:                      # limits on a plan beyond balance
	//   contiguous: true                # keep every territory in one connected piece (regions always are) (--contiguous)
	//   # max_moves: 10%                # at most N accounts, or P% of them, change rep; default no limit (--max-moves)
	//   # stickiness: 0                 # the penalty weight of an account changing rep (--stickiness)
	//
	// # effort: normal                  # how much the solver searches, counted in work, not time (--effort)
	// # time_limit: 2m                  # stop early after this long (90s, 2m, 1h30m); default no limit (--time-limit)
	// seed: 1                           # the random seed: the same seed, the same plan (--seed)
	//
	// output:                           # what is written, and where
	//   dir: out                        # the directory to write the plan into (-o, --out)
	//   # formats: [csv, json, xlsx, md, geojson, svg, html]  # the files to write (--formats)
	//   # basemap: outlines             # under the maps: embedded outlines (offline), OpenStreetMap tiles in map.html, or nothing (--basemap)
	//   # quiet: false                  # print nothing but errors (-q, --quiet)
}
