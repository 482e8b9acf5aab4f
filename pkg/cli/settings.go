package cli

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/territory-optimizer/territory/pkg/derive"
	"github.com/territory-optimizer/territory/pkg/scenario"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// inputOptions are the flags that say what to read and what to check it
// against, shared by `territory solve` and `territory validate`. Each
// overrides its key of the scenario file given with --config.
type inputOptions struct {
	Config         string // scenario file; "" for none
	AccountsFile   string // "-" reads stdin
	AccountsSheet  string
	AccountColumns map[string]string
	RepsFile       string // "" when the territories come from -k alone
	RepsSheet      string
	RepColumns     map[string]string
	UnitsFile      string // the layer of units; "" for none
	UnitID         string // the layer's id property; "" finds it
	Demo           bool
	K              int               // 0: one territory per rep
	Group          string            // the column that splits accounts and reps into groups; "": none
	Measures       []*derive.Measure // derived measures, in the order given
	Rules          []territory.BalanceRule

	// Changed lists the long names of the flags given on the command
	// line, in declaration order: those override the scenario file.
	Changed []string
}

// addInputFlags declares the flags that name the inputs: --config, then
// the accounts and the reps with their sheets and column mappings.
func addInputFlags(f *pflag.FlagSet, o *inputOptions) {
	f.StringVar(&o.Config, "config", "", "read the settings from scenario `FILE` (YAML, see docs/scenario.md);\nflags given as well override its keys")
	f.StringVar(&o.AccountsFile, "accounts", "", "read the accounts from `FILE`: CSV, XLSX or GeoJSON (- for stdin)")
	f.StringVar(&o.AccountsSheet, "accounts-sheet", "", "XLSX: read the accounts from sheet `NAME` (default: the first\nsheet with an id and a location column)")
	f.Var(&columnsValue{m: &o.AccountColumns}, "columns", "map account columns by key: id, name, lat, lon, x, y, owner,\nlocked, unit (e.g. 'id=\"Account ID\",owner=Rep'; default: found by name)")
	f.StringVar(&o.RepsFile, "reps", "", "read the reps from `FILE`: CSV, XLSX or GeoJSON points; optional with -k")
	f.StringVar(&o.RepsSheet, "reps-sheet", "", "XLSX: read the reps from sheet `NAME` (default: the first sheet\nwith an id column, preferring one named for reps)")
	f.Var(&columnsValue{m: &o.RepColumns}, "rep-columns", "map rep columns by key: id, name, lat, lon, x, y, capacity\n(e.g. capacity=FTE)")
	f.StringVar(&o.UnitsFile, "units", "", "make the territories of the units of layer `FILE` (GeoJSON polygons: ZIP codes,\ncounties), every unit assigned, empty ones too; each account goes with\nthe unit it lies in, or its unit id (--columns unit=NAME)")
	f.StringVar(&o.UnitID, "unit-id", "", "the layer's property `NAME` that holds the unit ids (default: the features'\nid, else zip, zcta, zcta5ce20, geoid, fips, ...)")
}

// addWeightFlag declares --weight, which solve, evaluate and render share:
// it changes what the objective means.
func addWeightFlag(f *pflag.FlagSet, weight *string) {
	f.StringVar(weight, "weight", "", "weight every account's distance in the objective by `MEASURE`\n(population, visits; default: every account counts once)")
}

// addBasemapFlag declares --basemap, what the maps draw under the
// territories.
func addBasemapFlag(f *pflag.FlagSet, basemap *string) {
	f.StringVar(basemap, "basemap", scenario.DefaultBasemap, "draw `BASEMAP` under the maps: outlines (land, country and US state\nborders, embedded: no network), osm (map.html loads OpenStreetMap\ntiles when online) or none")
}

// addTerritoryFlags declares -k, --group, --measure and --balance.
func addTerritoryFlags(f *pflag.FlagSet, o *inputOptions) {
	f.VarP(&territoriesValue{k: &o.K}, "territories", "k", "make `N` territories (default: one per rep); auto: the fewest that meet\nevery max= rule, as 'territory size' finds them")
	f.StringVar(&o.Group, "group", "", "split accounts and reps into groups by their `COLUMN` (region, segment)\nand solve each group on its own, with its own reps and targets")
	addMeasureFlag(f, &o.Measures)
	f.Var(rulesFlag(&o.Rules), "balance", "balance rule: MEASURE[:TOL%][,min=V][,max=V] (repeatable)")
}

// addMeasureFlag declares --measure, which every command that reads the
// accounts' measures shares.
func addMeasureFlag(f *pflag.FlagSet, measures *[]*derive.Measure) {
	f.Var(measuresFlag(measures), "measure", "derived measure NAME, computed for every account by EXPR from its\n"+
		"numeric columns: 'workload=visits*(call_minutes+25)/60' (repeatable)")
}

// territoriesValue is -k: a number of territories, or auto
// (scenario.TerritoriesAuto).
type territoriesValue struct {
	k *int
}

func (v *territoriesValue) Set(s string) error {
	if strings.EqualFold(strings.TrimSpace(s), "auto") {
		*v.k = scenario.TerritoriesAuto
		return nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return fmt.Errorf("%q is not a number of territories (expected a whole number or auto)", s)
	}
	*v.k = n
	return nil
}

func (v *territoriesValue) Type() string { return "N" }

func (v *territoriesValue) String() string {
	switch {
	case v.k == nil || *v.k == 0:
		return "0"
	case *v.k == scenario.TerritoriesAuto:
		return "auto"
	}
	return strconv.Itoa(*v.k)
}

// changedFlags lists the long names of the flags set on the command line,
// in declaration order.
func changedFlags(f *pflag.FlagSet) []string {
	var names []string
	f.Visit(func(fl *pflag.Flag) { names = append(names, fl.Name) })
	return names
}

// changedFunc reports whether a flag is among names: what
// scenario.Override asks.
func changedFunc(names []string) func(string) bool {
	return func(flag string) bool { return slices.Contains(names, flag) }
}

// settings returns the input settings the flags hold, as
// scenario.Override takes them.
func (o *inputOptions) settings() scenario.Settings {
	return scenario.Settings{
		AccountsFile:   o.AccountsFile,
		AccountsSheet:  o.AccountsSheet,
		AccountColumns: o.AccountColumns,
		RepsFile:       o.RepsFile,
		RepsSheet:      o.RepsSheet,
		RepColumns:     o.RepColumns,
		UnitsFile:      o.UnitsFile,
		UnitID:         o.UnitID,
		Demo:           o.Demo,
		Territories:    o.K,
		Group:          o.Group,
		Measures:       o.Measures,
		Balance:        o.Rules,
	}
}

// checkFlags checks the values of the flags given, as the scenario file's
// are checked: each problem is a usage error.
func checkFlags(flags scenario.Settings, changed []string) error {
	if err := scenario.CheckFlags(flags, changedFunc(changed)); err != nil {
		return &usageError{err: err}
	}
	return nil
}

// resolveSettings returns the settings of a run: the scenario file's, if
// one is given, with the flags given on the command line (changed) over
// them (see scenario.Override). Without a scenario file the flags are the
// settings, whether given or left at their defaults. A scenario file that
// cannot be read or is wrong is an error (exit 1), each of its problems on
// a line.
func resolveSettings(config string, flags scenario.Settings, changed []string) (scenario.Settings, *scenario.Scenario, error) {
	if config == "" {
		return scenario.Override(scenario.Defaults(), flags, changedFunc(keyFlags)), nil, nil
	}
	sc, err := scenario.Load(config)
	if err != nil {
		return scenario.Settings{}, nil, err
	}
	return scenario.Override(sc.Settings(), flags, changedFunc(changed)), sc, nil
}

// keyFlags are the flags of scenario keys that the commands declare. A
// command without some of them (validate has no --seed) leaves their
// settings at the zero value, which is as good as the default for what it
// does.
var keyFlags = []string{
	"accounts", "accounts-sheet", "columns", "reps", "reps-sheet", "rep-columns", "units", "unit-id", "demo", "plan", "fix",
	"territories", "group", "measure", "balance", "level", "balance-level", "objective", "weight", "center", "shape", "contiguous", "max-moves", "stickiness",
	"effort", "time-limit", "seed", "out", "formats", "basemap", "quiet",
}

// checkInputSettings checks that the settings name inputs to read:
// accounts (or the demo) and, for solve, reps or -k.
func checkInputSettings(s scenario.Settings, forSolve bool, config string) error {
	orKey := func(key string) string {
		if config == "" {
			return ""
		}
		return fmt.Sprintf(", or %s in %s", key, config)
	}
	orDemo := ""
	if forSolve {
		orDemo = ", or --demo"
	}
	switch {
	case s.Demo && (s.AccountsFile != "" || s.RepsFile != ""):
		return usageErrorf("--demo uses the embedded accounts and reps: leave out --accounts and --reps")
	case !s.Demo && s.AccountsFile == "":
		return usageErrorf("no accounts: give --accounts FILE%s%s", orDemo, orKey("accounts.file"))
	case forSolve && !s.Demo && s.RepsFile == "" && s.Territories == 0:
		return usageErrorf("no territories: give --reps FILE, or -k N to make N territories%s", orKey("reps.file or territories"))
	case s.AccountsFile == "-" && s.RepsFile == "-":
		return usageErrorf("--accounts and --reps cannot both read stdin")
	}
	return nil
}

// accountColumnKeys are the keys of --columns, as the scenario file and
// the readers know them.
var accountColumnKeys = []string{"id", "name", "lat", "lon", "x", "y", "owner", "locked", "unit"}

// columnsValue is a --columns or --rep-columns flag: KEY=NAME pairs
// separated by commas, merged into one mapping when the flag is repeated.
// Which keys are known is checked with the other flags (checkFlags), so
// that a flag and a scenario file's key get the same message.
type columnsValue struct {
	m *map[string]string
}

func (v *columnsValue) Set(s string) error {
	pairs, err := parseColumns(s)
	if err != nil {
		return err
	}
	if *v.m == nil {
		*v.m = make(map[string]string, len(pairs))
	}
	maps.Copy(*v.m, pairs)
	return nil
}

func (v *columnsValue) Type() string { return "KEY=NAME,..." }

func (v *columnsValue) String() string {
	if v.m == nil || len(*v.m) == 0 {
		return ""
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(*v.m)) {
		parts = append(parts, k+"="+quoteColumn((*v.m)[k]))
	}
	return strings.Join(parts, ",")
}

// quoteColumn quotes a column name for --columns when it needs quotes.
func quoteColumn(name string) string {
	if name == "" || strings.ContainsAny(name, `,"=`) || strings.TrimSpace(name) != name {
		return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
	}
	return name
}

// parseColumns reads KEY=NAME pairs separated by commas. A name, or a
// whole pair, may be in double quotes, so that it can hold commas, equals
// signs or spaces at its ends; a quote inside quotes is doubled:
//
//	id=Account ID,lat="Home Lat"
//	"id=Account ID",name="Name, legal"
//
// Keys are lower-cased; names are kept as written, trimmed outside quotes.
// An empty NAME (owner=) turns an optional key off.
func parseColumns(s string) (map[string]string, error) {
	items, err := splitUnquoted(s, ',')
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(items))
	for _, item := range items {
		item = strings.TrimSpace(item)
		var key, name string
		switch {
		case item == "":
			return nil, fmt.Errorf("empty KEY=NAME pair in %q", s)
		case len(item) >= 2 && item[0] == '"' && item[len(item)-1] == '"' && indexUnquoted(item, '=') < 0:
			// "KEY=NAME", quoted whole.
			whole, _ := unquoteName(item)
			k, n, ok := strings.Cut(whole, "=")
			if !ok {
				return nil, fmt.Errorf("%s: expected KEY=NAME (such as id=\"Account ID\")", item)
			}
			key, name = k, n
		default:
			i := indexUnquoted(item, '=')
			if i < 0 {
				return nil, fmt.Errorf("%s: expected KEY=NAME (such as id=\"Account ID\")", item)
			}
			key = item[:i]
			n, err := unquoteName(strings.TrimSpace(item[i+1:]))
			if err != nil {
				return nil, fmt.Errorf("%s: %w", item, err)
			}
			name = n
		}
		key = strings.ToLower(strings.TrimSpace(key))
		if key == "" {
			return nil, fmt.Errorf("%s: missing KEY before '=' (expected KEY=NAME)", item)
		}
		if strings.ContainsFunc(key, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-')
		}) {
			return nil, fmt.Errorf("%s: the key %q is not a word such as id or lat (expected KEY=NAME)", item, key)
		}
		if prev, dup := out[key]; dup {
			return nil, fmt.Errorf("key %q given twice (%q and %q)", key, prev, name)
		}
		out[key] = name
	}
	return out, nil
}

// splitUnquoted splits s at every sep outside double quotes.
func splitUnquoted(s string, sep byte) ([]string, error) {
	var parts []string
	start, inQuotes := 0, false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '"':
			inQuotes = !inQuotes // a doubled quote toggles twice
		case s[i] == sep && !inQuotes:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	if inQuotes {
		return nil, fmt.Errorf("%q: a quote is not closed", s)
	}
	return append(parts, s[start:]), nil
}

// indexUnquoted returns the index of the first c outside double quotes in
// s, or -1.
func indexUnquoted(s string, c byte) int {
	inQuotes := false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '"':
			inQuotes = !inQuotes
		case s[i] == c && !inQuotes:
			return i
		}
	}
	return -1
}

// unquoteName removes the double quotes around a name, undoubling the
// quotes inside; a name without quotes is returned as it is.
func unquoteName(n string) (string, error) {
	if !strings.Contains(n, `"`) {
		return n, nil
	}
	if len(n) < 2 || n[0] != '"' || n[len(n)-1] != '"' {
		return "", fmt.Errorf("quote the whole name (%s), doubling any quote inside it", `"`+strings.ReplaceAll(n, `"`, `""`)+`"`)
	}
	inner := n[1 : len(n)-1]
	if strings.Contains(strings.ReplaceAll(inner, `""`, ""), `"`) {
		return "", fmt.Errorf("a quote inside a quoted name must be doubled")
	}
	return strings.ReplaceAll(inner, `""`, `"`), nil
}
