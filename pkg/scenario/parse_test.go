package scenario

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func ptr[T any](v T) *T { return &v }

// brief is the scenario of the issue that asked for this package.
const brief = `# territory scenario (all keys optional except accounts)
accounts: {file: accounts.xlsx, sheet: Accounts, columns: {id: "Account ID", lat: Latitude}}
reps: {file: reps.csv, columns: {capacity: FTE}}
territories: 25          # -k
balance: ["revenue:5%", "workload:max=1800"]
objective: sse           # sse | distance
center: home             # mean | unit | home
constraints: {contiguous: false, max_moves: "10%", stickiness: 0}
effort: normal           # quick | normal | thorough
time_limit: 2m
seed: 1
output: {dir: out, formats: [csv, json]}
`

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want *Scenario
	}{
		{name: "the brief's example", in: brief, want: &Scenario{
			Accounts:    Input{File: "accounts.xlsx", Sheet: "Accounts", Columns: map[string]string{"id": "Account ID", "lat": "Latitude"}},
			Reps:        Input{File: "reps.csv", Columns: map[string]string{"capacity": "FTE"}},
			Territories: 25,
			Balance:     []string{"revenue:5%", "workload:max=1800"},
			Objective:   "sse",
			Center:      "home",
			Constraints: Constraints{MaxMoves: "10%"},
			Effort:      "normal",
			TimeLimit:   "2m",
			Seed:        ptr(uint64(1)),
			Output:      Output{Dir: "out", Formats: []string{"csv", "json"}},
			Dir:         ".",
		}},
		{name: "units as a file name", in: "accounts: a.csv\nunits: geo/counties.geojson\n", want: &Scenario{
			Accounts: Input{File: "a.csv"}, Units: Units{File: "geo/counties.geojson"}, Dir: ".",
		}},
		{name: "units with an id property", in: "accounts: a.csv\nunits: {file: zips.geojson, id: ZCTA5CE20}\n", want: &Scenario{
			Accounts: Input{File: "a.csv"}, Units: Units{File: "zips.geojson", ID: "ZCTA5CE20"}, Dir: ".",
		}},
		{name: "block style, every key", in: `accounts:
  file: data/accounts.geojson
  sheet: Sheet 1
  columns:
    id: Account ID
    name: ""
    lat: Latitude
    lon: Longitude
    owner: Current Rep
    locked: Fixed
reps:
  file: /abs/reps.xlsx
  sheet: Reps
  columns:
    id: Rep
    x: X
    y: Y
    capacity: FTE
territories: 12
measures:
  - workload=visits*(call_minutes+25)/60
  - "per_visit=visits > 0 ? revenue/visits : 0"
balance:
  - revenue:3%,max=2e6
  - count:0%
objective: Distance
weight: Pop 2010
center: UNIT
shape: Free
constraints:
  contiguous: true
  max_moves: 200
  stickiness: 0.25
effort: thorough
time_limit: 1h30m
seed: 0
output:
  dir: ../out
  formats:
    - html
    - svg
  basemap: None
  quiet: true
`, want: &Scenario{
			Accounts: Input{File: "data/accounts.geojson", Sheet: "Sheet 1", Columns: map[string]string{
				"id": "Account ID", "name": "", "lat": "Latitude", "lon": "Longitude", "owner": "Current Rep", "locked": "Fixed"}},
			Reps:        Input{File: "/abs/reps.xlsx", Sheet: "Reps", Columns: map[string]string{"id": "Rep", "x": "X", "y": "Y", "capacity": "FTE"}},
			Territories: 12,
			Measures:    []string{"workload=visits*(call_minutes+25)/60", "per_visit=visits > 0 ? revenue/visits : 0"},
			Balance:     []string{"revenue:3%,max=2e6", "count:0%"},
			Objective:   "Distance",
			Weight:      "Pop 2010",
			Center:      "UNIT",
			Shape:       "Free",
			Constraints: Constraints{Contiguous: true, MaxMoves: "200", Stickiness: 0.25},
			Effort:      "thorough",
			TimeLimit:   "1h30m",
			Seed:        ptr(uint64(0)),
			Output:      Output{Dir: "../out", Formats: []string{"html", "svg"}, Basemap: "None", Quiet: true},
			Dir:         ".",
		}},
		{name: "demo", in: "demo: true\nbalance: [revenue]\n", want: &Scenario{Demo: true, Balance: []string{"revenue"}, Dir: "."}},
		{name: "an input as a file name alone", in: "accounts: accounts.csv\nreps: reps.csv\n",
			want: &Scenario{Accounts: Input{File: "accounts.csv"}, Reps: Input{File: "reps.csv"}, Dir: "."}},
		{name: "one derived measure alone", in: "measures: hours=workload+0.5\n",
			want: &Scenario{Measures: []string{"hours=workload+0.5"}, Dir: "."}},
		{name: "one rule alone", in: "balance: revenue:3%,max=2e6\n",
			want: &Scenario{Balance: []string{"revenue:3%,max=2e6"}, Dir: "."}},
		{name: "formats as the flag writes them", in: "output: {formats: 'csv, json'}\n",
			want: &Scenario{Output: Output{Formats: []string{"csv", "json"}}, Dir: "."}},
		{name: "an empty list of rules", in: "balance: []\n", want: &Scenario{Balance: []string{}, Dir: "."}},
		{name: "empty values are left out", in: "accounts:\nreps: ~\nseed:\nterritories: null\nconstraints: {max_moves: ~}\noutput: {}\n",
			want: &Scenario{Dir: "."}},
		{name: "YAML 1.1 booleans", in: "demo: yes\nconstraints: {contiguous: on}\noutput: {quiet: No}\n",
			want: &Scenario{Demo: true, Constraints: Constraints{Contiguous: true}, Dir: "."}},
		{name: "YAML integers", in: "seed: 0x10\nterritories: 1_000\n", want: &Scenario{Seed: ptr(uint64(16)), Territories: 1000, Dir: "."}},
		{name: "largest seed", in: "seed: 18446744073709551615\n", want: &Scenario{Seed: ptr(uint64(18446744073709551615)), Dir: "."}},
		{name: "numbers and booleans as text", in: "accounts: {sheet: 2024, columns: {id: 1, name: true}}\nconstraints: {max_moves: 10}\n",
			want: &Scenario{Accounts: Input{Sheet: "2024", Columns: map[string]string{"id": "1", "name": "true"}}, Constraints: Constraints{MaxMoves: "10"}, Dir: "."}},
		{name: "alias", in: "output: &o {dir: out}\nbalance: &b [count]\n", want: &Scenario{
			Output: Output{Dir: "out"}, Balance: []string{"count"}, Dir: "."}},
		{name: "byte order mark and CRLF", in: "\ufeffseed: 7\r\nterritories: 3\r\n", want: &Scenario{Seed: ptr(uint64(7)), Territories: 3, Dir: "."}},
		{name: "document markers", in: "---\nseed: 2\n...\n", want: &Scenario{Seed: ptr(uint64(2)), Dir: "."}},
		{name: "an empty mapping", in: "{}\n", want: &Scenario{Dir: "."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse([]byte(tt.in), "s.yaml")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string // the lines of the error, without the `scenario "s.yaml": ` prefix
	}{
		// The file as a whole.
		{name: "empty", in: "", want: []string{`the file is empty (expected settings such as "accounts: {file: accounts.csv}")`}},
		{name: "blank", in: " \n\t\n", want: []string{`the file is empty (expected settings such as "accounts: {file: accounts.csv}")`}},
		{name: "comments only", in: "# nothing\n\n# yet\n", want: []string{`the file has no settings, only comments (expected settings such as "accounts: {file: accounts.csv}")`}},
		{name: "null document", in: "~\n", want: []string{`line 1, column 1: the file has no settings (expected settings such as "accounts: {file: accounts.csv}")`}},
		{name: "a list", in: "- accounts.csv\n- reps.csv\n", want: []string{`line 1, column 1: expected settings as key: value lines, got a list`}},
		{name: "text", in: "accounts.csv\n", want: []string{`line 1, column 1: expected settings as key: value lines, got "accounts.csv"`}},
		{name: "not YAML", in: "seed: 1\nbalance: [revenue:5%\n", want: []string{`line 2: not valid YAML: did not find expected ',' or ']'`}},
		{name: "tab indentation", in: "accounts:\n\tfile: a.csv\n", want: []string{`line 2: not valid YAML: found character that cannot start any token`}},
		{name: "unclosed mapping", in: "seed: 1\nterritories: 2\naccounts: {file: a.csv\n", want: []string{`line 3: not valid YAML: did not find expected ',' or '}'`}},
		{name: "list item among keys", in: "seed: 1\n- balance\n", want: []string{`line 2: not valid YAML: did not find expected key`}},
		{name: "bad indentation", in: "seed: 1\nbalance:\n  - count\n  objective: sse\n", want: []string{`line 3: not valid YAML: did not find expected '-' indicator`}},
		{name: "colon in a value on line 1", in: "center: mean: unit\n", want: []string{`line 1: not valid YAML: mapping values are not allowed in this context`}},
		{name: "colon in a value", in: "seed: 1\ncenter: mean: unit\n", want: []string{`line 2: not valid YAML: mapping values are not allowed in this context`}},
		{name: "unterminated quote", in: "seed: 1\naccounts: 'a.csv\n", want: []string{`line 2: not valid YAML: found unexpected end of stream`}},
		{name: "unknown alias", in: "seed: 1\nbalance: *rules\n", want: []string{`line 2: not valid YAML: unknown anchor 'rules' referenced`}},
		{name: "control character", in: "seed: 1\naccounts: a\x01.csv\n", want: []string{`line 2: not valid YAML: control characters are not allowed`}},
		{name: "not UTF-8", in: "seed: 1\n\naccounts: caf\xe9.csv\n", want: []string{`line 3: not valid YAML: invalid trailing UTF-8 octet`}},
		{name: "two documents", in: "seed: 1\n---\nseed: 2\n", want: []string{`line 2, column 1: a second YAML document (after ---): a scenario file holds one`}},

		// Keys.
		{name: "misspelt key", in: "seed: 1\nbalence: [revenue]\n", want: []string{`line 2, column 1: unknown key "balence" (did you mean "balance"?)`}},
		{name: "key in another case", in: "Balance: [revenue]\n", want: []string{`line 1, column 1: unknown key "Balance" (did you mean "balance"?)`}},
		{name: "key spelt as its flag", in: "time-limit: 2m\n", want: []string{`line 1, column 1: unknown key "time-limit" (did you mean "time_limit"?)`}},
		{name: "British spelling", in: "centre: home\n", want: []string{`line 1, column 1: unknown key "centre" (did you mean "center"?)`}},
		{name: "short flag as a key", in: "k: 5\n", want: []string{`line 1, column 1: unknown key "k" (did you mean "territories"?)`}},
		{name: "flag name as a key", in: "out: dir\n", want: []string{`line 1, column 1: unknown key "out" (did you mean "output.dir"?)`}},
		{name: "key in the wrong section", in: "max_moves: 10\n", want: []string{`line 1, column 1: unknown key "max_moves" (did you mean "constraints.max_moves"?)`}},
		{name: "top-level key in a section", in: "output:\n  dir: out\n  seed: 3\n", want: []string{`line 3, column 3: output: unknown key "seed" ("seed" is a top-level key)`}},
		{name: "unknown key, no guess", in: "colour: blue\n", want: []string{
			`line 1, column 1: unknown key "colour" (expected accounts, reps, units, demo, plan, fix, territories, group, measures, balance, levels, level_balance, objective, weight, center, shape, constraints, effort, time_limit, seed or output)`}},
		{name: "shape in the constraints", in: "constraints: {shape: free}\n", want: []string{`line 1, column 15: constraints: unknown key "shape" ("shape" is a top-level key)`}},
		{name: "weight misspelt", in: "weights: population\n", want: []string{`line 1, column 1: unknown key "weights" (did you mean "weight"?)`}},
		{name: "unknown section key", in: "accounts: {file: a.csv, shet: A}\n", want: []string{`line 1, column 25: accounts: unknown key "shet" (did you mean "sheet"?)`}},
		{name: "unknown column key", in: "accounts:\n  columns:\n    latitude: Lat\n", want: []string{
			`line 3, column 5: accounts.columns: unknown key "latitude" (expected id, name, lat, lon, x, y, owner, locked or unit)`}},
		{name: "column key of the reps", in: "accounts: {columns: {capacity: FTE}}\n", want: []string{
			`line 1, column 22: accounts.columns: unknown key "capacity" (did you mean "reps.columns.capacity"?)`}},
		{name: "duplicate key", in: "seed: 1\nterritories: 3\nseed: 2\n", want: []string{`line 3, column 1: duplicate key "seed" (first at line 1)`}},
		{name: "duplicate key in a section", in: "reps:\n  file: a.csv\n  file: b.csv\n", want: []string{`line 3, column 3: reps: duplicate key "file" (first at line 2)`}},
		{name: "key that is a list", in: "? [a, b]\n: 1\n", want: []string{`line 1, column 3: a key must be a name, got a list`}},

		// Types and values, key by key.
		{name: "accounts: a list", in: "accounts: [a.csv]\n", want: []string{`line 1, column 11: accounts: expected a mapping such as {file: accounts.csv, sheet: Accounts}, got a list`}},
		{name: "accounts.file: a list", in: "accounts:\n  file: [a.csv]\n", want: []string{`line 2, column 9: accounts.file: expected a file name, got a list`}},
		{name: "reps.sheet: a mapping", in: "reps: {sheet: {name: R}}\n", want: []string{`line 1, column 15: reps.sheet: expected a sheet name, got a mapping`}},
		{name: "columns: a list", in: "reps: {columns: [id]}\n", want: []string{`line 1, column 17: reps.columns: expected a mapping of KEY: column name such as {id: Account ID}, got a list`}},
		{name: "column name: a list", in: "reps: {columns: {id: [a]}}\n", want: []string{`line 1, column 22: reps.columns.id: expected a column name, got a list`}},
		{name: "required column turned off", in: "accounts:\n  columns: {id: \"\", owner: \"\"}\nreps:\n  columns: {lat: \"\"}\n", want: []string{
			`line 2, column 17: accounts.columns.id: empty column name (only an optional key, name, owner, locked or unit, can be turned off)`,
			`line 4, column 18: reps.columns.lat: empty column name (only an optional key, name or capacity, can be turned off)`}},
		{name: "demo: not a boolean", in: "demo: maybe\n", want: []string{`line 1, column 7: demo: expected true or false, got "maybe"`}},
		{name: "demo with files", in: "accounts: a.csv\ndemo: true\n", want: []string{
			`line 2, column 7: demo: the demo has its own accounts and reps: leave out accounts.file and reps.file, or demo`}},
		{name: "territories: words", in: "seed: 1\n\nterritories: twenty\n", want: []string{`line 3, column 14: territories: expected a whole number, got "twenty"`}},
		{name: "territories: a fraction", in: "territories: 2.5\n", want: []string{`line 1, column 14: territories: expected a whole number, got 2.5`}},
		{name: "territories: quoted", in: "territories: \"25\"\n", want: []string{`line 1, column 14: territories: expected a whole number, got "25" (in quotes, so it is text)`}},
		{name: "territories: zero", in: "territories: 0\n", want: []string{`line 1, column 14: territories: must be at least 1, got 0 (leave the key out for one territory per rep)`}},
		{name: "territories: too many", in: "territories: 99999999999\n", want: []string{`line 1, column 14: territories: 99999999999 is too large`}},
		{name: "balance: a mapping", in: "balance: {revenue: 5%}\n", want: []string{
			`line 1, column 10: balance: expected a list of rules such as ["revenue:5%", "workload:max=1800"], got a mapping`}},
		{name: "balance: an item that is a mapping", in: "balance:\n  - revenue:5%\n  - workload: 5%\n", want: []string{
			`line 3, column 5: balance: expected a rule such as "revenue:5%", got a mapping`}},
		{name: "balance: bad rules", in: "balance:\n  - revenue:5x\n  - ':5%'\n  - workload:min=9,max=1\n", want: []string{
			`line 2, column 5: balance rule "revenue:5x": cannot read "5x" (expected TOL%, min=V or max=V)`,
			`line 3, column 5: balance rule ":5%": missing measure name (expected MEASURE, MEASURE:TOL%, MEASURE:max=V or MEASURE:min=V,max=V)`,
			`line 4, column 5: balance rule "workload:min=9,max=1": min 9 is above max 1`}},
		{name: "balance: two rules for a measure", in: "balance: [revenue:5%, workload, Revenue:max=10]\n", want: []string{
			`line 1, column 33: balance rule "Revenue:max=10": a second rule for measure "revenue" (the first is "revenue:5%"): combine them into one`}},
		{name: "measures: a mapping", in: "measures: {workload: visits*2}\n", want: []string{
			`line 1, column 11: measures: expected a list of derived measures such as ["workload=visits*(call_minutes+25)/60"], got a mapping`}},
		{name: "measures: bad ones, each with its line", in: "measures:\n  - workload=visits*(call_minutes+\n  - visits\n  - count=visits\n  - 'w=visits > 2'\n", want: []string{
			`line 2, column 5: measures: measure "workload": cannot compile "visits*(call_minutes+": character 21: unexpected token EOF`,
			`line 3, column 5: measures: "visits": expected NAME=EXPR (such as workload=visits*(call_minutes+25)/60)`,
			`line 4, column 5: measures: measure "count": count is the built-in number of accounts: give the derived measure another name`,
			`line 5, column 5: measures: measure "w": cannot compile "visits > 2": the result is bool, not a number`}},
		{name: "measures: twice, and in a cycle", in: "measures: [a=b+1, b=a*2, c=visits, C=2]\n", want: []string{
			`line 1, column 11: measures: measure "c" is defined twice (c=visits and C=2): keep one`}},
		{name: "measures: in a cycle", in: "measures: [a=b+1, b=a*2]\n", want: []string{
			`line 1, column 11: measures: measures "a" and "b" depend on each other: a -> b -> a`}},
		{name: "objective", in: "objective: ssee\n", want: []string{`line 1, column 12: objective: unknown value "ssee" (expected sse or distance)`}},
		{name: "center", in: "center: middle\n", want: []string{`line 1, column 9: center: unknown value "middle" (expected mean, unit or home)`}},
		{name: "center: a list", in: "center: [home]\n", want: []string{`line 1, column 9: center: expected mean, unit or home, got a list`}},
		{name: "shape", in: "seed: 1\nshape: interleaved\n", want: []string{`line 2, column 8: shape: unknown value "interleaved" (expected regions or free)`}},
		{name: "shape: a boolean", in: "shape: true\n", want: []string{`line 1, column 8: shape: unknown value "true" (expected regions or free)`}},
		{name: "shape: a list", in: "shape: [regions]\n", want: []string{`line 1, column 8: shape: expected regions or free, got a list`}},
		{name: "weight: no name", in: "weight: '--'\n", want: []string{
			`line 1, column 9: weight: "--" is not a measure name (expected a column of the accounts, such as population)`}},
		{name: "weight: a list", in: "weight: [population, visits]\n", want: []string{
			`line 1, column 9: weight: expected a measure name such as population, got a list`}},
		{name: "constraints: not a mapping", in: "constraints: contiguous\n", want: []string{
			`line 1, column 14: constraints: expected a mapping such as {contiguous: true, max_moves: 10%}, got "contiguous"`}},
		{name: "constraints: bad values", in: "constraints:\n  contiguous: 1\n  max_moves: ten\n  stickiness: high\n", want: []string{
			`line 2, column 15: constraints.contiguous: expected true or false, got 1`,
			`line 3, column 14: constraints.max_moves: "ten" is not a number of accounts (expected N accounts such as 200, or P% of them such as 10%)`,
			`line 4, column 15: constraints.stickiness: expected a number, got "high"`}},
		{name: "constraints: out of range", in: "constraints: {max_moves: 101%, stickiness: -0.5}\n", want: []string{
			`line 1, column 26: constraints.max_moves: "101%" is not between 0% and 100%`,
			`line 1, column 44: constraints.stickiness: must be 0 or more, got -0.5`}},
		{name: "max_moves: negative", in: "constraints: {max_moves: -3}\n", want: []string{
			`line 1, column 26: constraints.max_moves: "-3" is negative (expected 0 or more accounts)`}},
		{name: "max_moves: a fraction", in: "constraints: {max_moves: 2.5}\n", want: []string{
			`line 1, column 26: constraints.max_moves: "2.5" is not a number of accounts (expected N accounts such as 200, or P% of them such as 10%)`}},
		{name: "stickiness: not finite", in: "constraints: {stickiness: .inf}\n", want: []string{
			`line 1, column 27: constraints.stickiness: expected a finite number, got .inf`}},
		{name: "effort", in: "effort: fast\n", want: []string{`line 1, column 9: effort: unknown value "fast" (expected quick, normal or thorough)`}},
		{name: "time_limit: no unit", in: "time_limit: 120\n", want: []string{
			`line 1, column 13: time_limit: "120" is not a duration (expected a number and a unit, such as 90s, 2m or 1h30m)`}},
		{name: "time_limit: negative", in: "time_limit: -1m\n", want: []string{`line 1, column 13: time_limit: "-1m" is negative`}},
		{name: "seed: negative", in: "seed: -1\n", want: []string{`line 1, column 7: seed: must be 0 or more, got -1`}},
		{name: "seed: a fraction", in: "seed: 1.5\n", want: []string{`line 1, column 7: seed: expected a whole number, got 1.5`}},
		{name: "seed: text", in: "seed: lucky\n", want: []string{`line 1, column 7: seed: expected a whole number, got "lucky"`}},
		{name: "seed: too large", in: "seed: 18446744073709551616\n", want: []string{
			`line 1, column 7: seed: 18446744073709551616 is too large (at most 18446744073709551615)`}},
		{name: "output.dir: a list", in: "output: {dir: [a]}\n", want: []string{`line 1, column 15: output.dir: expected a directory name, got a list`}},
		{name: "output.formats: unknown", in: "output:\n  formats: [csv, pdf, json]\n", want: []string{
			`line 2, column 18: output.formats: unknown format "pdf" (expected csv, json, xlsx, md, geojson, svg or html)`}},
		{name: "output.formats: empty", in: "output:\n  formats: []\n", want: []string{
			`line 2, column 12: output.formats: no formats (expected one or more of csv, json, xlsx, md, geojson, svg, html)`}},
		{name: "output.formats: a mapping", in: "output: {formats: {csv: true}}\n", want: []string{
			`line 1, column 19: output.formats: expected a list of formats such as [csv, json], got a mapping`}},
		{name: "output.quiet", in: "output: {quiet: very}\n", want: []string{`line 1, column 17: output.quiet: expected true or false, got "very"`}},
		{name: "output.basemap", in: "output: {basemap: google}\n", want: []string{
			`line 1, column 19: output.basemap: unknown value "google" (expected outlines, osm or none)`}},
		{name: "output.basemap: a list", in: "output: {basemap: [osm]}\n", want: []string{
			`line 1, column 19: output.basemap: expected outlines, osm or none, got a list`}},

		// Every problem, in the order of the file.
		{name: "every problem at once", in: `accounts: {file: a.csv, shet: A}
territories: twenty
balance: ["revenue:5%", "revenue:3%"]
objective: sse
balence: 1
constraints: {max_moves: "10 %", stickiness: -1}
seed: -3
`, want: []string{
			`line 1, column 25: accounts: unknown key "shet" (did you mean "sheet"?)`,
			`line 2, column 14: territories: expected a whole number, got "twenty"`,
			`line 3, column 25: balance rule "revenue:3%": a second rule for measure "revenue" (the first is "revenue:5%"): combine them into one`,
			`line 5, column 1: unknown key "balence" (did you mean "balance"?)`,
			`line 6, column 46: constraints.stickiness: must be 0 or more, got -1`,
			`line 7, column 7: seed: must be 0 or more, got -3`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse([]byte(tt.in), "s.yaml")
			if err == nil {
				t.Fatalf("Parse: no error; got %+v", s)
			}
			if s != nil {
				t.Errorf("Parse returned a scenario with its error: %+v", s)
			}
			var want []string
			for _, w := range tt.want {
				want = append(want, `scenario "s.yaml": `+w)
			}
			if diff := cmp.Diff(want, strings.Split(err.Error(), "\n")); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			var serr *Error
			if !errors.As(err, &serr) || serr.File != "s.yaml" || len(serr.Problems) != len(tt.want) {
				t.Errorf("error is %T with %d problems, want *Error with %d", err, len(serr.Problems), len(tt.want))
			}
		})
	}
}

func TestParseManyProblems(t *testing.T) {
	// 60 unknown keys: the message lists 50 and counts the rest.
	var b strings.Builder
	for i := range 60 {
		b.WriteString("key" + strings.Repeat("x", i) + ": 1\n")
	}
	_, err := Parse([]byte(b.String()), "many.yaml")
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 51 {
		t.Fatalf("%d lines, want 51:\n%s", len(lines), err)
	}
	if want := `scenario "many.yaml": and 10 more problems`; lines[50] != want {
		t.Errorf("last line %q, want %q", lines[50], want)
	}
	var serr *Error
	if !errors.As(err, &serr) || len(serr.Problems) != 60 {
		t.Errorf("want an *Error holding all 60 problems")
	}
}

func TestParseTooLarge(t *testing.T) {
	data := []byte("seed: 1\n" + strings.Repeat("#", MaxSize))
	_, err := Parse(data, "big.yaml")
	if want := `scenario "big.yaml": the file is larger than 1 MiB, which no scenario is`; err == nil || err.Error() != want {
		t.Errorf("Parse: %v, want %s", err, want)
	}
	// Exactly MaxSize bytes is fine.
	data = data[:MaxSize]
	if _, err := Parse(data, "max.yaml"); err != nil {
		t.Errorf("Parse of %d bytes: %v", len(data), err)
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	jobs := filepath.Join(dir, "jobs", "weekly")
	if err := os.MkdirAll(jobs, 0o755); err != nil {
		t.Fatal(err)
	}
	abs := filepath.Join(dir, "shared", "reps.csv")
	in := "accounts: {file: data/accounts.csv}\nreps: {file: " + abs + "}\noutput: {dir: ../out}\n"
	path := filepath.Join(jobs, "scenario.yaml")
	if err := os.WriteFile(path, []byte(in), 0o644); err != nil {
		t.Fatal(err)
	}

	s, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if s.Dir != jobs || s.Accounts.File != "data/accounts.csv" {
		t.Errorf("Load kept Dir %q, accounts.file %q; want %q and the path as written", s.Dir, s.Accounts.File, jobs)
	}
	st := s.Settings()
	got := []string{st.AccountsFile, st.RepsFile, st.OutDir}
	want := []string{filepath.Join(jobs, "data", "accounts.csv"), abs, filepath.Join(dir, "jobs", "out")}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("resolved paths (-want +got):\n%s", diff)
	}
}

func TestResolve(t *testing.T) {
	tests := []struct {
		name, dir, path, want string
	}{
		{name: "relative", dir: "jobs", path: "a.csv", want: filepath.Join("jobs", "a.csv")},
		{name: "up", dir: "jobs/weekly", path: "../a.csv", want: filepath.Join("jobs", "a.csv")},
		{name: "dot", dir: "jobs", path: "./in/a.csv", want: filepath.Join("jobs", "in", "a.csv")},
		{name: "working directory", dir: ".", path: "a.csv", want: "a.csv"},
		{name: "no directory", dir: "", path: "a.csv", want: "a.csv"},
		{name: "absolute", dir: "jobs", path: "/data/a.csv", want: "/data/a.csv"},
		{name: "stdin", dir: "jobs", path: "-", want: "-"},
		{name: "not set", dir: "jobs", path: "", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &Scenario{Accounts: Input{File: tt.path}, Reps: Input{File: tt.path}, Output: Output{Dir: tt.path}, Dir: tt.dir}
			st := s.Settings()
			wantDir := tt.want
			if tt.path == "" {
				wantDir = DefaultOutDir
			}
			if diff := cmp.Diff([]string{tt.want, tt.want, wantDir}, []string{st.AccountsFile, st.RepsFile, st.OutDir}); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	// Parse resolves against the directory of the name it is given.
	s, err := Parse([]byte("accounts: a.csv\n"), filepath.Join("jobs", "s.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := s.Settings().AccountsFile, filepath.Join("jobs", "a.csv"); got != want {
		t.Errorf("Parse with a name in jobs/: accounts %q, want %q", got, want)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, []byte(strings.Repeat("# padding\n", MaxSize/10+1)), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.yaml")
	tests := []struct {
		name     string
		path     string
		want     string
		notExist bool
	}{
		{name: "missing", path: missing, want: `read scenario "` + missing + `": no such file or directory`, notExist: true},
		{name: "a directory", path: dir, want: `read scenario "` + dir + `": is a directory`},
		{name: "too large", path: big, want: `scenario "` + big + `": the file is larger than 1 MiB, which no scenario is`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(tt.path)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("Load: %v, want %s", err, tt.want)
			}
			if got := errors.Is(err, fs.ErrNotExist); got != tt.notExist {
				t.Errorf("errors.Is(err, fs.ErrNotExist) = %v", got)
			}
		})
	}
}
