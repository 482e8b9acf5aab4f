package scenario

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/territory-optimizer/territory/pkg/derive"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// Key documents one key of the scenario file and the flag of `territory
// solve` that overrides it. [Keys] lists them all; the command line's help
// and docs/scenario.md are written from the same table.
type Key struct {
	Key     string // the dotted path in the file: "constraints.max_moves"
	Flag    string // the long flag, without dashes: "max-moves"
	Short   string // the one-letter flag, or ""
	Type    string // what the value is, in words
	Default string // what a run uses when neither the flag nor the key is given
	Example string // a value, as the file writes it
	Doc     string // what the key does, in one line
}

// keySpec is a Key and how its flag overrides a setting.
type keySpec struct {
	doc Key
	// apply copies the key's setting from the command line's settings
	// into dst.
	apply func(dst *Settings, flags Settings)
	// dflt is the default as the file writes it, when there is one to
	// write: Write shows a key left out with it.
	dflt string
}

// keys is every key of the scenario file, in the order the file is
// written. The top-level sections accounts, reps, constraints and output
// hold the keys below them.
var keys = []keySpec{
	{Key{Key: "accounts.file", Flag: "accounts", Type: "path", Default: "none (then --accounts or demo is needed)",
		Example: "accounts.csv", Doc: "the accounts: CSV, XLSX or GeoJSON; - reads stdin"},
		func(d *Settings, f Settings) { d.AccountsFile = f.AccountsFile }, ""},
	{Key{Key: "accounts.sheet", Flag: "accounts-sheet", Type: "text", Default: "found by its columns",
		Example: "Accounts", Doc: "XLSX: the sheet to read"},
		func(d *Settings, f Settings) { d.AccountsSheet = f.AccountsSheet }, ""},
	{Key{Key: "accounts.columns", Flag: "columns", Type: "mapping of KEY: column name", Default: "found by name",
		Example: "{id: Account ID, lat: Latitude}", Doc: "column names by key: id, name, lat, lon, x, y, owner, locked, unit"},
		func(d *Settings, f Settings) { d.AccountColumns = mergeColumns(d.AccountColumns, f.AccountColumns) }, ""},
	{Key{Key: "reps.file", Flag: "reps", Type: "path", Default: "none (then territories is needed)",
		Example: "reps.csv", Doc: "the reps, one per territory: CSV, XLSX or GeoJSON"},
		func(d *Settings, f Settings) { d.RepsFile = f.RepsFile }, ""},
	{Key{Key: "reps.sheet", Flag: "reps-sheet", Type: "text", Default: "found by its columns",
		Example: "Reps", Doc: "XLSX: the sheet to read"},
		func(d *Settings, f Settings) { d.RepsSheet = f.RepsSheet }, ""},
	{Key{Key: "reps.columns", Flag: "rep-columns", Type: "mapping of KEY: column name", Default: "found by name",
		Example: "{capacity: FTE}", Doc: "column names by key: id, name, lat, lon, x, y, capacity"},
		func(d *Settings, f Settings) { d.RepColumns = mergeColumns(d.RepColumns, f.RepColumns) }, ""},
	{Key{Key: "units.file", Flag: "units", Type: "path", Default: "none (territories of accounts alone)",
		Example: "counties.geojson", Doc: "a layer of units (GeoJSON polygons) the territories are made of, empty units too"},
		func(d *Settings, f Settings) { d.UnitsFile = f.UnitsFile }, ""},
	{Key{Key: "units.id", Flag: "unit-id", Type: "property name", Default: "the features' id, else found by name (zip, zcta, geoid, fips, ...)",
		Example: "geoid", Doc: "the property of the layer that holds the unit ids"},
		func(d *Settings, f Settings) { d.UnitID = strings.TrimSpace(f.UnitID) }, ""},
	{Key{Key: "demo", Flag: "demo", Type: "true or false", Default: "false",
		Example: "false", Doc: "solve the embedded demo instead of files"},
		func(d *Settings, f Settings) { d.Demo = f.Demo }, "false"},
	{Key{Key: "plan", Flag: "plan", Type: "path", Default: "the accounts' owners",
		Example: "today/assignments.csv", Doc: "today's plan, an assignments file: where --fix starts and moves are counted from"},
		func(d *Settings, f Settings) { d.PlanFile = f.PlanFile }, ""},
	{Key{Key: "fix", Flag: "fix", Type: "path", Default: "none",
		Example: "edits.csv", Doc: "edits to keep (account_id, territory_id): the rest is rebalanced around them"},
		func(d *Settings, f Settings) { d.FixFile = f.FixFile }, ""},
	{Key{Key: "territories", Flag: "territories", Short: "k", Type: "whole number, 1 or more, or auto", Default: "one per rep",
		Example: "25", Doc: "the number of territories; auto: the fewest that meet every max= rule (see territory size)"},
		func(d *Settings, f Settings) { d.Territories = f.Territories }, ""},
	{Key{Key: "group", Flag: "group", Type: "column name", Default: "none",
		Example: "region", Doc: "the column of accounts and reps that splits them into groups, solved apart"},
		func(d *Settings, f Settings) { d.Group = strings.TrimSpace(f.Group) }, ""},
	{Key{Key: "measures", Flag: "measure", Type: "list of derived measures NAME=EXPR", Default: "none",
		Example: `["hours=workload+0.5"]`, Doc: "derived measures: NAME is EXPR, computed for each account from its numeric columns"},
		func(d *Settings, f Settings) { d.Measures = mergeMeasures(d.Measures, f.Measures) }, ""},
	{Key{Key: "balance", Flag: "balance", Type: "list of rules MEASURE[:TOL%][,min=V][,max=V]", Default: "none (the demo: its rules)",
		Example: `["revenue:5%", "workload:max=1800"]`, Doc: "balance rules, one per measure"},
		func(d *Settings, f Settings) { d.Balance = slices.Clone(f.Balance) }, ""},
	{Key{Key: "levels", Flag: "level", Type: "list of NAME=K", Default: "none",
		Example: `["district=12", "region=3"]`, Doc: "levels of parents above the territories, bottom up, each contiguous and balanced"},
		func(d *Settings, f Settings) { d.Levels = slices.Clone(f.Levels) }, ""},
	{Key{Key: "level_balance", Flag: "balance-level", Type: "list of LEVEL:RULE", Default: "the territories' rules",
		Example: `["district:revenue:5%"]`, Doc: "balance rules of the levels"},
		func(d *Settings, f Settings) { d.LevelRules = slices.Clone(f.LevelRules) }, ""},
	{Key{Key: "objective", Flag: "objective", Type: "sse | distance", Default: DefaultObjective,
		Example: "sse", Doc: "sum of squared distances (sse) or of distances to the centre"},
		func(d *Settings, f Settings) { d.Objective = canonical(f.Objective, parseObjective) }, "sse"},
	{Key{Key: "weight", Flag: "weight", Type: "measure name", Default: "none",
		Example: "population", Doc: "the measure that weights each account's distance in the objective"},
		func(d *Settings, f Settings) { d.Weight = canonical(f.Weight, ParseWeight) }, ""},
	{Key{Key: "center", Flag: "center", Type: "mean | unit | home", Default: "home when every rep has one, else mean",
		Example: "home", Doc: "where a centre sits: free (mean), at an account (unit), at the rep's home"},
		func(d *Settings, f Settings) { d.Center = canonical(f.Center, parseCenter) }, ""},
	{Key{Key: "shape", Flag: "shape", Type: "regions | free", Default: DefaultShape,
		Example: "regions", Doc: "regions: every territory one connected piece, side by side; free: they may interleave"},
		func(d *Settings, f Settings) { d.Shape = canonical(f.Shape, ParseShape) }, DefaultShape},
	{Key{Key: "constraints.contiguous", Flag: "contiguous", Type: "true or false", Default: "false",
		Example: "false", Doc: "keep every territory in one connected piece (regions always are)"},
		func(d *Settings, f Settings) { d.Contiguous = f.Contiguous }, "false"},
	{Key{Key: "constraints.max_moves", Flag: "max-moves", Type: "N or P%", Default: "no limit",
		Example: "10%", Doc: "at most N accounts, or P% of them, change rep"},
		func(d *Settings, f Settings) { d.MaxMoves = f.MaxMoves }, ""},
	{Key{Key: "constraints.stickiness", Flag: "stickiness", Type: "number, 0 or more", Default: "0",
		Example: "0", Doc: "the penalty weight of an account changing rep"},
		func(d *Settings, f Settings) { d.Stickiness = f.Stickiness }, "0"},
	{Key{Key: "effort", Flag: "effort", Type: "quick | normal | thorough", Default: DefaultEffort,
		Example: "normal", Doc: "how much the solver searches, counted in work, not time"},
		func(d *Settings, f Settings) { d.Effort = canonical(f.Effort, ParseEffort) }, "normal"},
	{Key{Key: "time_limit", Flag: "time-limit", Type: "duration", Default: "no limit",
		Example: "2m", Doc: "stop early after this long (90s, 2m, 1h30m)"},
		func(d *Settings, f Settings) { d.TimeLimit = f.TimeLimit }, ""},
	{Key{Key: "seed", Flag: "seed", Type: "whole number, 0 or more", Default: "1",
		Example: "1", Doc: "the random seed: the same seed, the same plan"},
		func(d *Settings, f Settings) { d.Seed = f.Seed }, "1"},
	{Key{Key: "output.dir", Flag: "out", Short: "o", Type: "path", Default: DefaultOutDir,
		Example: "out", Doc: "the directory to write the plan into"},
		func(d *Settings, f Settings) { d.OutDir = f.OutDir }, "territory-out"},
	{Key{Key: "output.formats", Flag: "formats", Type: "list of csv, json, xlsx, md, geojson, svg, html", Default: "all",
		Example: "[csv, json]", Doc: "the files to write"},
		func(d *Settings, f Settings) {
			if fs, err := ParseFormats(f.Formats); err == nil {
				d.Formats = fs
			} else {
				d.Formats = slices.Clone(f.Formats)
			}
		}, "[csv, json, xlsx, md, geojson, svg, html]"},
	{Key{Key: "output.basemap", Flag: "basemap", Type: "outlines | osm | none", Default: DefaultBasemap,
		Example: "outlines", Doc: "under the maps: embedded outlines (offline), OpenStreetMap tiles in map.html, or nothing"},
		func(d *Settings, f Settings) { d.Basemap = canonical(f.Basemap, ParseBasemap) }, DefaultBasemap},
	{Key{Key: "output.quiet", Flag: "quiet", Short: "q", Type: "true or false", Default: "false",
		Example: "false", Doc: "print nothing but errors"},
		func(d *Settings, f Settings) { d.Quiet = f.Quiet }, "false"},
}

// Keys returns every key of the scenario file with its flag, in the order
// the file is written.
func Keys() []Key {
	out := make([]Key, len(keys))
	for i, k := range keys {
		out[i] = k.doc
	}
	return out
}

// Override returns the settings of a run: base (a scenario's
// [Scenario.Settings], or [Defaults] without one) with every setting whose
// flag was given on the command line taken from flags instead. changed
// reports whether the flag of that long name was given (cobra's
// cmd.Flags().Changed); flags holds the values the command line parsed.
//
// Each key is overridden on its own, with these exceptions:
//
//   - --balance replaces the file's whole list of rules;
//   - --measure replaces the file's derived measure of the same name, in
//     its place, and adds the others after the file's;
//   - --columns and --rep-columns are merged into the file's mapping, key
//     by key, the command line winning;
//   - --demo replaces the file's accounts.file and reps.file (the demo has
//     its own), and --accounts or --reps turns the file's demo off.
//
// Objective, center, shape, effort, formats and basemap are written canonically
// (lower case; formats in the order of [Formats], each once) and weight
// normalised, as measure names are, when they parse; the
// command line checks them first with [CheckFlags]. Neither argument is
// modified, and the result shares no slice or map with them.
func Override(base, flags Settings, changed func(flag string) bool) Settings {
	out := base.clone()
	for _, k := range keys {
		if changed(k.doc.Flag) {
			k.apply(&out, flags)
		}
	}
	switch {
	case changed("demo") && flags.Demo:
		if !changed("accounts") {
			out.AccountsFile = ""
		}
		if !changed("reps") {
			out.RepsFile = ""
		}
	case changed("accounts") || changed("reps"):
		if !changed("demo") {
			out.Demo = false
		}
	}
	return out.clone()
}

// clone returns a copy of s that shares no slice or map with it.
func (s Settings) clone() Settings {
	s.AccountColumns = maps.Clone(s.AccountColumns)
	s.RepColumns = maps.Clone(s.RepColumns)
	s.Measures = slices.Clone(s.Measures)
	s.Balance = slices.Clone(s.Balance)
	s.Levels = slices.Clone(s.Levels)
	s.LevelRules = slices.Clone(s.LevelRules)
	s.Formats = slices.Clone(s.Formats)
	return s
}

// mergeMeasures returns base with each derived measure of over in the
// place of base's of the same name, or after them.
func mergeMeasures(base, over []*derive.Measure) []*derive.Measure {
	out := slices.Clone(base)
	for _, m := range over {
		if i := slices.IndexFunc(out, func(b *derive.Measure) bool { return b.Name() == m.Name() }); i >= 0 {
			out[i] = m
		} else {
			out = append(out, m)
		}
	}
	return out
}

// mergeColumns returns base with the mappings of over added, over winning.
func mergeColumns(base, over map[string]string) map[string]string {
	if len(over) == 0 {
		return maps.Clone(base)
	}
	out := maps.Clone(base)
	if out == nil {
		out = make(map[string]string, len(over))
	}
	maps.Copy(out, over)
	return out
}

// canonical returns the canonical spelling of s, or s when it does not
// parse.
func canonical(s string, parse func(string) (string, error)) string {
	if c, err := parse(s); err == nil {
		return c
	}
	return s
}

func parseObjective(s string) (string, error) {
	o, err := territory.ParseObjective(s)
	return o.String(), err
}

func parseCenter(s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", nil // the default: home when every rep has one, else mean
	}
	c, err := territory.ParseCenter(s)
	return c.String(), err
}

// CheckFlags checks the values of the flags the command line gave (those
// changed reports), as Parse checks a file's, and returns every problem
// found, joined, each naming its flag:
//
//	--effort: unknown effort "fast" (expected quick, normal or thorough)
//
// The command line reports them as usage errors, before [Override]. What a
// flag's own parser checks (a number for --seed, a duration for
// --time-limit, N or P% for --max-moves bound to a *MoveLimit, the syntax
// of a --balance rule) is left to it.
func CheckFlags(flags Settings, changed func(flag string) bool) error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if changed("territories") && flags.Territories < 1 && flags.Territories != TerritoriesAuto {
		add("-k %d: the number of territories must be at least 1", flags.Territories)
	}
	checkColumns := func(flag string, cols map[string]string, known []string) {
		for _, k := range slices.Sorted(maps.Keys(cols)) {
			switch {
			case !slices.Contains(known, k):
				add("--%s: unknown key %q (expected %s)", flag, k, orList(known))
			case strings.TrimSpace(cols[k]) == "" && !slices.Contains(optionalColumnKeys, k):
				add("--%s: %s: empty column name (only an optional key, %s, can be turned off)", flag, k, orList(optionalOf(known)))
			}
		}
	}
	if changed("columns") {
		checkColumns("columns", flags.AccountColumns, accountColumnKeys)
	}
	if changed("rep-columns") {
		checkColumns("rep-columns", flags.RepColumns, repColumnKeys)
	}
	if changed("measure") {
		if err := derive.Check(flags.Measures); err != nil {
			for _, e := range splitErrors(err) {
				add("--measure: %w", e)
			}
		}
	}
	if changed("balance") {
		first := make(map[string]territory.BalanceRule)
		for _, r := range flags.Balance {
			if f, dup := first[r.Measure]; dup {
				add("--balance %s: a second rule for measure %q (the first is %s): combine them into one", r, r.Measure, f)
				continue
			}
			first[r.Measure] = r
		}
	}
	if changed("level") || changed("balance-level") {
		if _, err := territory.ResolveLevels(flags.Levels, flags.LevelRules, nil); err != nil && (changed("level") || len(flags.Levels) > 0) {
			add("--level: %w", err)
		}
	}
	if changed("objective") {
		if _, err := territory.ParseObjective(flags.Objective); err != nil {
			add("--objective: %w", err)
		}
	}
	if changed("weight") {
		if _, err := ParseWeight(flags.Weight); err != nil {
			add("--weight: %w", err)
		}
	}
	if changed("center") {
		if _, err := territory.ParseCenter(flags.Center); err != nil {
			add("--center: %w", err)
		}
	}
	if changed("shape") {
		if _, err := ParseShape(flags.Shape); err != nil {
			add("--shape: %w", err)
		}
	}
	if changed("stickiness") {
		if st := flags.Stickiness; math.IsNaN(st) || math.IsInf(st, 0) || st < 0 {
			add("--stickiness: must be 0 or more, got %v", st)
		}
	}
	if changed("effort") {
		if _, err := ParseEffort(flags.Effort); err != nil {
			add("--effort: %w", err)
		}
	}
	if changed("time-limit") && flags.TimeLimit < 0 {
		add("--time-limit: must not be negative, got %v", flags.TimeLimit)
	}
	if changed("formats") {
		if _, err := ParseFormats(flags.Formats); err != nil {
			add("--formats: %w", err)
		}
	}
	if changed("basemap") {
		if _, err := ParseBasemap(flags.Basemap); err != nil {
			add("--basemap: %w", err)
		}
	}
	return errors.Join(errs...)
}

// splitErrors returns the errors joined in err, or err alone.
func splitErrors(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// optionalOf lists the optional keys among known.
func optionalOf(known []string) []string {
	var out []string
	for _, k := range known {
		if slices.Contains(optionalColumnKeys, k) {
			out = append(out, k)
		}
	}
	return out
}
