package scenario

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/territory-optimizer/territory/pkg/derive"
	"github.com/territory-optimizer/territory/pkg/territory"
)

func rules(t *testing.T, ss ...string) []territory.BalanceRule {
	t.Helper()
	out := make([]territory.BalanceRule, len(ss))
	for i, s := range ss {
		r, err := territory.ParseBalanceRule(s)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = r
	}
	return out
}

// derived parses derived measures; it panics on one that does not parse.
func derived(ss ...string) []*derive.Measure {
	var out []*derive.Measure
	for _, s := range ss {
		m, err := derive.Parse(s)
		if err != nil {
			panic(err)
		}
		out = append(out, m)
	}
	return out
}

// changedOf is the changed function of a command line that set the given
// flags.
func changedOf(flags ...string) func(string) bool {
	return func(f string) bool { return slices.Contains(flags, f) }
}

func TestSettings(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Settings
	}{
		{name: "nothing set", in: "{}\n", want: Defaults()},
		{name: "every key", in: `accounts: {file: a.xlsx, sheet: Accounts, columns: {id: Account ID}}
reps: {file: r.csv, sheet: Reps, columns: {capacity: FTE}}
plan: today/assignments.csv
fix: edits.csv
territories: 7
measures: ["Workload=visits*(call_minutes+25)/60"]
balance: ["Annual Revenue:5%", "workload:max=1800"]
objective: DISTANCE
weight: Annual Visits
center: Unit
shape: FREE
constraints: {contiguous: true, max_moves: 12.5%, stickiness: 2}
effort: Quick
time_limit: 1m30s
seed: 0
output: {dir: out, formats: [svg, CSV, csv], basemap: OSM, quiet: true}
`, want: Settings{
			AccountsFile: "a.xlsx", AccountsSheet: "Accounts", AccountColumns: map[string]string{"id": "Account ID"},
			RepsFile: "r.csv", RepsSheet: "Reps", RepColumns: map[string]string{"capacity": "FTE"},
			PlanFile: "today/assignments.csv", FixFile: "edits.csv",
			Territories: 7,
			Measures:    derived("Workload=visits*(call_minutes+25)/60"),
			Balance:     rules(t, "annual_revenue:5%", "workload:max=1800"),
			Objective:   "distance", Weight: "annual_visits", Center: "unit", Shape: "free",
			Contiguous: true, MaxMoves: MoveLimit{Limited: true, Percent: true, Value: 12.5}, Stickiness: 2,
			Effort: "quick", TimeLimit: 90 * time.Second, Seed: 0,
			OutDir: "out", Formats: []string{"csv", "svg"}, Basemap: "osm", Quiet: true,
		}},
		{name: "demo", in: "demo: true\n", want: func() Settings { s := Defaults(); s.Demo = true; return s }()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse([]byte(tt.in), "s.yaml")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, s.Settings()); diff != "" {
				t.Errorf("Settings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOverride(t *testing.T) {
	file := func() Settings {
		s, err := Parse([]byte(`accounts: {file: a.csv, columns: {id: Account ID, lat: Lat}}
reps: r.csv
measures: [workload=visits*2, hours=workload+1]
balance: [revenue:5%, workload:5%]
objective: distance
weight: population
shape: free
seed: 7
output: {dir: out, formats: [csv, json]}
`), "s.yaml")
		if err != nil {
			t.Fatal(err)
		}
		return s.Settings()
	}
	// flags is what a command line parsed: flag defaults wherever a flag
	// was not given, as cobra leaves them.
	flags := Settings{
		AccountsFile: "cli.csv", AccountColumns: map[string]string{"lat": "Latitude", "lon": "Longitude"},
		Measures: derived("Travel=0.5", "Workload=visits*3"),
		Balance:  rules(t, "count:0%"), Objective: "", Center: "", Effort: "", Seed: 1, OutDir: DefaultOutDir,
		Shape: "Regions", Weight: "Visits",
		Territories: 9, MaxMoves: MoveLimit{Limited: true, Value: 30}, TimeLimit: time.Minute,
	}
	with := func(s Settings, f func(*Settings)) Settings { f(&s); return s }

	tests := []struct {
		name    string
		base    Settings
		flags   Settings
		changed []string
		want    Settings
	}{
		{name: "no flags: the file", base: file(), flags: flags, want: file()},
		{name: "no file, no flags: the defaults", base: Defaults(), flags: flags, want: Defaults()},
		{name: "no file: the flags given, else the defaults", base: Defaults(), flags: flags, changed: []string{"territories", "seed"},
			want: with(Defaults(), func(s *Settings) { s.Territories = 9; s.Seed = 1 })},
		{name: "a flag beats the file", base: file(), flags: flags, changed: []string{"seed", "territories", "max-moves", "time-limit"},
			want: with(file(), func(s *Settings) {
				s.Seed, s.Territories, s.MaxMoves, s.TimeLimit = 1, 9, MoveLimit{Limited: true, Value: 30}, time.Minute
			})},
		{name: "a flag set to its default beats the file", base: file(), flags: flags, changed: []string{"out"},
			want: with(file(), func(s *Settings) { s.OutDir = DefaultOutDir })},
		{name: "--shape and --weight beat the file, canonically", base: file(), flags: flags, changed: []string{"shape", "weight"},
			want: with(file(), func(s *Settings) { s.Shape, s.Weight = "regions", "visits" })},
		{name: "--weight '' turns the file's weight off", base: file(), flags: Settings{Weight: ""}, changed: []string{"weight"},
			want: with(file(), func(s *Settings) { s.Weight = "" })},
		{name: "--balance replaces the list", base: file(), flags: flags, changed: []string{"balance"},
			want: with(file(), func(s *Settings) { s.Balance = rules(t, "count:0%") })},
		{name: "--measure replaces the measure of its name, in its place, and adds the others", base: file(), flags: flags, changed: []string{"measure"},
			want: with(file(), func(s *Settings) { s.Measures = derived("Workload=visits*3", "hours=workload+1", "Travel=0.5") })},
		{name: "--columns merges", base: file(), flags: flags, changed: []string{"columns"},
			want: with(file(), func(s *Settings) {
				s.AccountColumns = map[string]string{"id": "Account ID", "lat": "Latitude", "lon": "Longitude"}
			})},
		{name: "--accounts keeps the file's reps", base: file(), flags: flags, changed: []string{"accounts"},
			want: with(file(), func(s *Settings) { s.AccountsFile = "cli.csv" })},
		{name: "--demo drops the file's inputs", base: file(), flags: Settings{Demo: true}, changed: []string{"demo"},
			want: with(file(), func(s *Settings) { s.Demo, s.AccountsFile, s.RepsFile = true, "", "" })},
		{name: "--demo with --accounts keeps both, for the CLI to refuse", base: file(), flags: Settings{Demo: true, AccountsFile: "x.csv"},
			changed: []string{"demo", "accounts"},
			want:    with(file(), func(s *Settings) { s.Demo, s.AccountsFile, s.RepsFile = true, "x.csv", "" })},
		{name: "--accounts turns the file's demo off", base: with(Defaults(), func(s *Settings) { s.Demo = true }),
			flags: flags, changed: []string{"accounts"},
			want: with(Defaults(), func(s *Settings) { s.AccountsFile = "cli.csv" })},
		{name: "--reps turns the file's demo off", base: with(Defaults(), func(s *Settings) { s.Demo = true }),
			flags: Settings{RepsFile: "r2.csv"}, changed: []string{"reps"},
			want: with(Defaults(), func(s *Settings) { s.RepsFile = "r2.csv" })},
		{name: "--demo=false keeps the file's inputs", base: file(), flags: Settings{}, changed: []string{"demo"}, want: file()},
		{name: "unknown flags are ignored", base: file(), flags: flags, changed: []string{"config", "help"}, want: file()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Override(tt.base, tt.flags, changedOf(tt.changed...))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Override (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOverrideSharesNothing(t *testing.T) {
	base := Defaults()
	base.AccountColumns = map[string]string{"id": "A"}
	base.Balance = rules(t, "revenue")
	flags := Settings{RepColumns: map[string]string{"id": "R"}, Formats: []string{"csv"}}
	got := Override(base, flags, changedOf("rep-columns", "formats"))
	got.AccountColumns["id"] = "changed"
	got.RepColumns["id"] = "changed"
	got.Balance[0].Measure = "changed"
	got.Formats[0] = "changed"
	if base.AccountColumns["id"] != "A" || base.Balance[0].Measure != "revenue" || flags.RepColumns["id"] != "R" || flags.Formats[0] != "csv" {
		t.Errorf("changing the result changed an argument: base %+v, flags %+v", base, flags)
	}
	if Defaults().Formats[0] != "csv" {
		t.Errorf("Defaults shares its formats")
	}
}

// fullSettings has every field set to a value other than its zero value
// and other than the default.
func fullSettings() Settings {
	return Settings{
		AccountsFile: "a", AccountsSheet: "s", AccountColumns: map[string]string{"id": "i"},
		RepsFile: "r", RepsSheet: "t", RepColumns: map[string]string{"id": "j"}, UnitsFile: "u", UnitID: "geoid", Demo: true, PlanFile: "p", FixFile: "f",
		Territories: 3, Group: "g", Measures: derived("d=m*2"), Balance: []territory.BalanceRule{{Measure: "m"}}, Levels: []territory.Level{{Name: "d", K: 2}}, LevelRules: []territory.LevelRule{{Level: "d", Rule: territory.BalanceRule{Measure: "m"}}}, Objective: "distance", Weight: "w", Center: "unit", Shape: "free",
		Contiguous: true, MaxMoves: MoveLimit{Limited: true, Value: 1}, Stickiness: 1,
		Effort: "quick", TimeLimit: time.Second, Seed: 9, OutDir: "o", Formats: []string{"md"}, Basemap: "none", Quiet: true,
	}
}

// TestKeysCoverSettings checks the key table against Settings: every key's
// flag sets exactly one field, and every field has a key.
func TestKeysCoverSettings(t *testing.T) {
	full := reflect.ValueOf(fullSettings())
	typ := full.Type()
	for i := range typ.NumField() {
		if full.Field(i).IsZero() {
			t.Fatalf("fullSettings leaves %s zero", typ.Field(i).Name)
		}
	}
	covered := make(map[string]string)
	flagsSeen := make(map[string]bool)
	for _, k := range keys {
		if flagsSeen[k.doc.Flag] || (k.doc.Short != "" && flagsSeen[k.doc.Short]) {
			t.Errorf("flag %q of key %s is used twice", k.doc.Flag, k.doc.Key)
		}
		flagsSeen[k.doc.Flag], flagsSeen[k.doc.Short] = true, k.doc.Short != ""
		var dst Settings
		k.apply(&dst, fullSettings())
		v := reflect.ValueOf(dst)
		var set []string
		for i := range typ.NumField() {
			if !v.Field(i).IsZero() {
				set = append(set, typ.Field(i).Name)
			}
		}
		if len(set) != 1 {
			t.Errorf("key %s sets %v, want one field", k.doc.Key, set)
			continue
		}
		if other, dup := covered[set[0]]; dup {
			t.Errorf("keys %s and %s both set %s", other, k.doc.Key, set[0])
		}
		covered[set[0]] = k.doc.Key
	}
	for i := range typ.NumField() {
		if _, ok := covered[typ.Field(i).Name]; !ok {
			t.Errorf("Settings.%s has no key", typ.Field(i).Name)
		}
	}
}

// TestKeysMatchScenario checks the key table against the yaml tags of
// Scenario: the same dotted paths, in the same order.
func TestKeysMatchScenario(t *testing.T) {
	var paths []string
	var walk func(typ reflect.Type, prefix string)
	walk = func(typ reflect.Type, prefix string) {
		for i := range typ.NumField() {
			f := typ.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if name == "-" || name == "" {
				continue
			}
			if f.Type.Kind() == reflect.Struct {
				walk(f.Type, prefix+name+".")
				continue
			}
			paths = append(paths, prefix+name)
		}
	}
	walk(reflect.TypeFor[Scenario](), "")
	var table []string
	for _, k := range Keys() {
		table = append(table, k.Key)
	}
	if diff := cmp.Diff(paths, table); diff != "" {
		t.Errorf("Keys() against the yaml tags of Scenario (-tags +keys):\n%s", diff)
	}
}

func TestOverrideCanonical(t *testing.T) {
	flags := Settings{Objective: "SSE", Weight: "Annual Visits", Center: "Home", Shape: " FREE", Effort: " Quick", Formats: []string{"svg,CSV", "csv"}, Basemap: "OSM "}
	got := Override(Defaults(), flags, changedOf("objective", "weight", "center", "shape", "effort", "formats", "basemap"))
	want := Defaults()
	want.Objective, want.Weight, want.Center, want.Shape, want.Effort, want.Formats = "sse", "annual_visits", "home", "free", "quick", []string{"csv", "svg"}
	want.Basemap = "osm"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Override (-want +got):\n%s", diff)
	}
}

func TestCheckFlags(t *testing.T) {
	bad := Settings{
		Territories:    0,
		AccountColumns: map[string]string{"latt": "Lat", "id": ""},
		RepColumns:     map[string]string{"owner": "x", "capacity": ""},
		Measures:       derived("hours=visits", "Hours=2", "a=b", "b=a"),
		Balance:        rules(t, "revenue:5%", "Revenue:max=10"),
		Objective:      "ssee",
		Weight:         "-",
		Center:         "middle",
		Shape:          "blobs",
		Stickiness:     -1,
		Effort:         "fast",
		TimeLimit:      -time.Second,
		Formats:        []string{"csv,pdf"},
		Basemap:        "google",
	}
	tests := []struct {
		name    string
		flags   Settings
		changed []string
		want    []string
	}{
		{name: "nothing given", flags: bad},
		{name: "good values", flags: fullSettings(), changed: []string{"territories", "columns", "rep-columns", "measure", "balance",
			"objective", "weight", "center", "shape", "stickiness", "effort", "time-limit", "formats", "basemap"}},
		{name: "every problem", flags: bad, changed: []string{"territories", "columns", "rep-columns", "measure", "balance",
			"objective", "weight", "center", "shape", "stickiness", "effort", "time-limit", "formats", "basemap"}, want: []string{
			`-k 0: the number of territories must be at least 1`,
			`--columns: id: empty column name (only an optional key, name, owner, locked or unit, can be turned off)`,
			`--columns: unknown key "latt" (expected id, name, lat, lon, x, y, owner, locked or unit)`,
			`--rep-columns: unknown key "owner" (expected id, name, lat, lon, x, y or capacity)`,
			`--measure: measure "hours" is defined twice (hours=visits and Hours=2): keep one`,
			`--balance revenue:max=10: a second rule for measure "revenue" (the first is revenue:5%): combine them into one`,
			`--objective: unknown objective "ssee" (expected sse or distance)`,
			`--weight: "-" is not a measure name (expected a column of the accounts, such as population)`,
			`--center: unknown centre "middle" (expected mean, unit or home)`,
			`--shape: unknown shape "blobs" (expected regions or free)`,
			`--stickiness: must be 0 or more, got -1`,
			`--effort: unknown effort "fast" (expected quick, normal or thorough)`,
			`--time-limit: must not be negative, got -1s`,
			`--formats: unknown format "pdf" (expected csv, json, xlsx, md, geojson, svg or html)`,
			`--basemap: unknown basemap "google" (expected outlines, osm or none)`,
		}},
		{name: "no weight is no problem", flags: Settings{Weight: " "}, changed: []string{"weight"}},
		{name: "no formats", flags: Settings{Formats: []string{}}, changed: []string{"formats"}, want: []string{
			`--formats: no formats (expected one or more of csv, json, xlsx, md, geojson, svg, html)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckFlags(tt.flags, changedOf(tt.changed...))
			var got []string
			if err != nil {
				got = strings.Split(err.Error(), "\n")
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("CheckFlags (-want +got):\n%s", diff)
			}
		})
	}
}
