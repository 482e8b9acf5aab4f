package scenario

import (
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/territory-optimizer/territory/pkg/derive"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// Scenario is a scenario file as written: every setting of `territory
// solve`, each left at its zero value when the file leaves it out. Values
// are kept as the file spells them (paths relative, rules as written), so
// that [Write] gives them back; [Scenario.Settings] resolves them.
//
// The yaml tags name the keys of the file. The file is decoded by [Parse],
// not by a yaml.Unmarshal of this struct, so that every problem is reported
// with its line.
type Scenario struct {
	Accounts    Input       `yaml:"accounts,omitempty"`
	Reps        Input       `yaml:"reps,omitempty"`
	Units       Units       `yaml:"units,omitempty"`
	Demo        bool        `yaml:"demo,omitempty"`
	Plan        string      `yaml:"plan,omitempty"`          // today's plan, an assignments file
	Fix         string      `yaml:"fix,omitempty"`           // edits to keep fixed, an assignments file
	Territories int         `yaml:"territories,omitempty"`   // 0: one territory per rep
	Group       string      `yaml:"group,omitempty"`         // the column of accounts and reps that splits the problem into groups; "": none
	Measures    []string    `yaml:"measures,omitempty"`      // derived measures NAME=EXPR, as derive.Parse reads them; nil: not set
	Balance     []string    `yaml:"balance,omitempty"`       // balance rules, as territory.ParseBalanceRule reads them; nil: not set
	Levels      []string    `yaml:"levels,omitempty"`        // levels of parents, NAME=K, bottom up, as territory.ParseLevel reads them
	LevelRules  []string    `yaml:"level_balance,omitempty"` // LEVEL:RULE, as territory.ParseLevelRule reads them
	Objective   string      `yaml:"objective,omitempty"`     // sse or distance
	Weight      string      `yaml:"weight,omitempty"`        // the measure that weights the objective; "": none
	Center      string      `yaml:"center,omitempty"`        // mean, unit or home
	Shape       string      `yaml:"shape,omitempty"`         // regions or free
	Constraints Constraints `yaml:"constraints,omitempty"`
	Effort      string      `yaml:"effort,omitempty"`     // quick, normal or thorough
	TimeLimit   string      `yaml:"time_limit,omitempty"` // a time.ParseDuration string
	Seed        *uint64     `yaml:"seed,omitempty"`       // nil: the default seed
	Output      Output      `yaml:"output,omitempty"`

	// Dir is the directory relative paths are resolved against: the
	// directory of the scenario file, as Load and Parse set it. "" leaves
	// them relative to the working directory.
	Dir string `yaml:"-"`
}

// Input says where one input table comes from and how its columns are
// found.
type Input struct {
	File  string `yaml:"file,omitempty"`  // CSV, XLSX or GeoJSON; "-" is standard input
	Sheet string `yaml:"sheet,omitempty"` // XLSX only: the sheet to read

	// Columns maps a key (id, name, lat, lon, x, y, owner, locked for
	// accounts; id, name, lat, lon, x, y, capacity for reps) to the name of
	// its column. An empty name turns an optional key off.
	Columns map[string]string `yaml:"columns,omitempty"`
}

// Units names a layer of units (polygons: ZIP codes, counties) that the
// territories are made of, and the property that holds the unit ids.
type Units struct {
	File string `yaml:"file,omitempty"` // GeoJSON polygons
	ID   string `yaml:"id,omitempty"`   // the id property; "": found by name
}

// Constraints are the hard and soft limits on a plan beyond balance.
type Constraints struct {
	Contiguous bool    `yaml:"contiguous,omitempty"`
	MaxMoves   string  `yaml:"max_moves,omitempty"` // "N" or "P%", see ParseMoveLimit
	Stickiness float64 `yaml:"stickiness,omitempty"`
}

// Output says where the plan is written and what is written.
type Output struct {
	Dir     string   `yaml:"dir,omitempty"`
	Formats []string `yaml:"formats,omitempty"` // nil: every format
	Basemap string   `yaml:"basemap,omitempty"` // outlines, osm or none
	Quiet   bool     `yaml:"quiet,omitempty"`
}

// Defaults of `territory solve`, for a setting that neither the command
// line nor the scenario file gives.
const (
	DefaultObjective = "sse"
	DefaultShape     = "regions"
	DefaultEffort    = "normal"
	DefaultSeed      = 1
	DefaultOutDir    = "territory-out"
	DefaultBasemap   = "outlines"
)

// Settings are the resolved settings of one run: what the command line,
// the scenario file and the defaults add up to. Paths are as the run uses
// them (a scenario's relative paths already joined to its directory).
type Settings struct {
	AccountsFile   string // "" when none; "-" is standard input
	AccountsSheet  string
	AccountColumns map[string]string // nil when no column is mapped
	RepsFile       string
	RepsSheet      string
	RepColumns     map[string]string
	UnitsFile      string // the layer of units; "" when the territories are made of accounts alone
	UnitID         string // the layer's id property; "": found by name
	Demo           bool
	PlanFile       string // today's plan; "" when none (the accounts' owners); "-" is standard input
	FixFile        string // edits to keep fixed; "" when none; "-" is standard input

	Territories int                     // 0: one territory per rep
	Group       string                  // the column, as given, that splits accounts and reps into groups; "": none
	Measures    []*derive.Measure       // derived measures, in the order given
	Balance     []territory.BalanceRule // in the order given
	Levels      []territory.Level       // levels of parents above the territories, bottom up, without rules
	LevelRules  []territory.LevelRule   // the levels' rules (a level without any takes Balance)
	Objective   string                  // "sse" or "distance"
	Weight      string                  // the normalised name of the measure that weights the objective; "": none
	Center      string                  // "mean", "unit", "home", or "": home when every rep has one, else mean
	Shape       string                  // "regions" or "free"

	Contiguous bool
	MaxMoves   MoveLimit
	Stickiness float64

	Effort    string        // "quick", "normal" or "thorough"
	TimeLimit time.Duration // 0: no limit
	Seed      uint64

	OutDir  string
	Formats []string // in the order of Formats(), each once
	Basemap string   // "outlines", "osm" or "none"
	Quiet   bool
}

// TerritoriesAuto is Settings.Territories (and Scenario.Territories) for
// "territories: auto" (-k auto): as many territories as the fewest that
// meet every rule with a maximum, found as 'territory size' finds it.
const TerritoriesAuto = -1

// Defaults returns the settings of a run that sets nothing.
func Defaults() Settings {
	return Settings{
		Objective: DefaultObjective,
		Shape:     DefaultShape,
		Effort:    DefaultEffort,
		Seed:      DefaultSeed,
		OutDir:    DefaultOutDir,
		Formats:   Formats(),
		Basemap:   DefaultBasemap,
	}
}

// Settings resolves the scenario: the defaults, overridden by every key the
// file sets, with relative paths joined to s.Dir and enumerations in their
// canonical lower-case spelling.
//
// s must be valid, as Load and Parse return it or as [Scenario.Validate]
// accepts it; Settings panics on a value that does not parse, which is a
// bug in the caller.
func (s *Scenario) Settings() Settings {
	st := Defaults()
	st.AccountsFile = s.resolve(s.Accounts.File)
	st.AccountsSheet = s.Accounts.Sheet
	st.AccountColumns = maps.Clone(s.Accounts.Columns)
	st.RepsFile = s.resolve(s.Reps.File)
	st.RepsSheet = s.Reps.Sheet
	st.RepColumns = maps.Clone(s.Reps.Columns)
	st.UnitsFile = s.resolve(s.Units.File)
	st.UnitID = strings.TrimSpace(s.Units.ID)
	st.Demo = s.Demo
	st.PlanFile = s.resolve(s.Plan)
	st.FixFile = s.resolve(s.Fix)
	st.Territories = s.Territories
	st.Group = strings.TrimSpace(s.Group)
	for _, m := range s.Measures {
		st.Measures = append(st.Measures, must(derive.Parse(m)))
	}
	if s.Balance != nil {
		st.Balance = make([]territory.BalanceRule, len(s.Balance))
		for i, r := range s.Balance {
			st.Balance[i] = must(territory.ParseBalanceRule(r))
		}
	}
	for _, l := range s.Levels {
		st.Levels = append(st.Levels, must(territory.ParseLevel(l)))
	}
	for _, r := range s.LevelRules {
		st.LevelRules = append(st.LevelRules, must(territory.ParseLevelRule(r)))
	}
	if s.Objective != "" {
		st.Objective = must(territory.ParseObjective(s.Objective)).String()
	}
	if s.Weight != "" {
		st.Weight = must(ParseWeight(s.Weight))
	}
	if s.Center != "" {
		st.Center = must(territory.ParseCenter(s.Center)).String()
	}
	if s.Shape != "" {
		st.Shape = must(ParseShape(s.Shape))
	}
	st.Contiguous = s.Constraints.Contiguous
	st.MaxMoves = must(ParseMoveLimit(s.Constraints.MaxMoves))
	st.Stickiness = s.Constraints.Stickiness
	if s.Effort != "" {
		st.Effort = must(ParseEffort(s.Effort))
	}
	if s.TimeLimit != "" {
		st.TimeLimit = must(parseTimeLimit(s.TimeLimit))
	}
	if s.Seed != nil {
		st.Seed = *s.Seed
	}
	if s.Output.Dir != "" {
		st.OutDir = s.resolve(s.Output.Dir)
	}
	if s.Output.Formats != nil {
		st.Formats = must(ParseFormats(s.Output.Formats))
	}
	if s.Output.Basemap != "" {
		st.Basemap = must(ParseBasemap(s.Output.Basemap))
	}
	st.Quiet = s.Output.Quiet
	return st
}

func must[T any](v T, err error) T {
	if err != nil {
		panic("scenario: Settings of an invalid scenario: " + err.Error())
	}
	return v
}

// resolve joins a relative path to the scenario's directory. "" and "-"
// (standard input) are left alone, as are absolute paths.
func (s *Scenario) resolve(path string) string {
	if path == "" || path == "-" || filepath.IsAbs(path) || s.Dir == "" {
		return path
	}
	return filepath.Join(s.Dir, path)
}

// Validate checks every value of a scenario built in code, as Parse checks
// a file's, and returns an [*Error] listing every problem (without lines),
// or nil.
func (s *Scenario) Validate() error {
	ps := s.check(func(string) position { return position{} })
	if len(ps) == 0 {
		return nil
	}
	return &Error{Problems: ps}
}

// Demo returns the scenario of the demo's files, as `territory example`
// writes it beside them: the accounts and reps files, the balance rules,
// and the settings `territory solve --demo` uses, with the plan written
// into out/ beside the scenario file.
func Demo(accountsFile, repsFile string, rules []string) *Scenario {
	seed := uint64(DefaultSeed)
	return &Scenario{
		Accounts:  Input{File: accountsFile},
		Reps:      Input{File: repsFile},
		Balance:   slices.Clone(rules),
		Objective: DefaultObjective,
		Center:    territory.CenterHome.String(),
		Seed:      &seed,
		Output:    Output{Dir: "out"},
	}
}
