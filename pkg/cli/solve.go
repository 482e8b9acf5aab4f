package cli

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/territory-optimizer/territory/pkg/demo"
	"github.com/territory-optimizer/territory/pkg/derive"
	"github.com/territory-optimizer/territory/pkg/report"
	"github.com/territory-optimizer/territory/pkg/scenario"
	"github.com/territory-optimizer/territory/pkg/solve"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// Defaults of `territory solve`: those of a scenario file that sets nothing.
const (
	defaultSeed   = scenario.DefaultSeed
	defaultOutDir = scenario.DefaultOutDir
)

// Output files of `territory solve`, in the order they are written.
const (
	assignmentsFile = "assignments.csv"
	territoriesFile = "territories.csv"
	movesFile       = "moves.csv"  // written with the csv format when owners are known
	levelsFile      = "levels.csv" // written with the csv format when there are levels
	unitsFile       = "units.csv"  // written with the csv format for a plan made of units
	summaryFile     = "summary.json"
)

// solveOptions holds the settings of `territory solve` as the command
// line gives them; runSolve resolves them against the scenario file.
type solveOptions struct {
	inputOptions
	Plan       string // today's plan, an assignments file; "" for the accounts' owners
	Fix        string // edits to keep fixed, an assignments file; "" for none
	Objective  string // "sse" or "distance"; "" picks the default
	Weight     string // the measure that weights the objective; "" for none
	Center     string // "mean", "unit" or "home"; "" picks the default
	Shape      string // "regions" or "free"
	Levels     []territory.Level
	LevelRules []territory.LevelRule
	Contiguous bool
	MaxMoves   scenario.MoveLimit
	Stickiness float64
	Effort     string // "quick", "normal" or "thorough"
	TimeLimit  time.Duration
	Seed       uint64
	OutDir     string
	Formats    []string // output formats, as given: see scenario.ParseFormats
	Basemap    string   // "outlines", "osm" or "none"
	Quiet      bool

	// Version is the territory version recorded in summary.json.
	Version string
}

// settings returns what the flags hold, as scenario.Override takes them.
func (o *solveOptions) settings() scenario.Settings {
	s := o.inputOptions.settings()
	s.PlanFile, s.FixFile = o.Plan, o.Fix
	s.Objective, s.Weight, s.Center, s.Shape = o.Objective, o.Weight, o.Center, o.Shape
	s.Levels, s.LevelRules = o.Levels, o.LevelRules
	s.Contiguous, s.MaxMoves, s.Stickiness = o.Contiguous, o.MaxMoves, o.Stickiness
	s.Effort, s.TimeLimit = o.Effort, o.TimeLimit
	s.Seed, s.OutDir, s.Formats, s.Basemap, s.Quiet = o.Seed, o.OutDir, o.Formats, o.Basemap, o.Quiet
	return s
}

func newSolveCmd(env Env, build BuildInfo, runF func(context.Context, *solveOptions) error) *cobra.Command {
	opts := &solveOptions{Version: build.resolve().Version, Formats: scenario.Formats()}
	cmd := &cobra.Command{
		Use:   "solve (--accounts FILE [--reps FILE] | --demo | --config FILE) [flags]",
		Short: "Split accounts into balanced, compact territories",
		Long: `Split the accounts into territories, one per rep (or -k of them), that
meet every balance rule and are as compact as possible, and write the plan
into the output directory:

  assignments.csv      account_id, territory_id, rep_id and the distance to
                       the territory's centre, one row per account, by id
                       (with --units, each account's unit_id too)
  territories.csv      one row per territory: rep, accounts, every measure
                       and its % of target, centre, compactness
  summary.json         settings, seed, version, balance statistics,
                       objective and violations
  report.xlsx          Summary, Territories, Chart, Assignments and Moves
                       sheets, for people
  report.md            the summary for a pull-request comment
  territories.geojson  territory boundaries with their statistics, and the
                       centres
  map.svg              a static, print-ready map
  map.html             one self-contained interactive map (works offline)

--formats LIST (or output.formats in a scenario file) chooses them by format
(default: all):

` + formatsHelp(scenario.Formats()) + `

Under the territories of a map on lat/lon, the maps draw the land, the
coast and the borders of countries and US states, embedded in the binary
(--basemap outlines, the default; no network). --basemap osm makes map.html
load OpenStreetMap's tiles when online (map.svg keeps the outlines);
--basemap none draws nothing under them.

The files are written all or nothing: into a temporary directory beside the
output directory, then moved into place; other files there are left alone.
A balance table is printed on stdout and a one-line summary on stderr.

Inputs are CSV files, XLSX workbooks or GeoJSON, chosen by the file's name
and content. Tables (CSV, XLSX) have a header row; accounts need an id and a
location: lat/lon (degrees; distances are great-circle km) or x/y (planar;
distances are Euclidean in their unit); every other numeric column is a
measure. Columns are found by common names ("Account ID", "Latitude", ...)
or mapped with --columns and --rep-columns; --accounts-sheet and
--reps-sheet pick a workbook's sheet. GeoJSON accounts are Points, or
Polygons and MultiPolygons (units such as ZIP codes or counties, located at
their centroids, with the units they share a boundary with); GeoJSON reps
are Points, at their homes. Reps need an id and may have a name, a home and
a capacity (the share of a full territory; default 1). Accounts may name
today's owner (a rep id) and be locked. See docs/formats.md.

--measure NAME=EXPR (repeatable) adds a derived measure, computed for every
account when the accounts are read: EXPR reads the accounts' numeric
columns by normalised name and other derived measures, with + - * / **,
comparisons, COND ? A : B and abs, ceil, floor, round, min and max
('workload=visits*(call_minutes+25)/60'). It is then a measure like any
other: rules balance it, --weight may name it, the reports show it. An
expression that does not compile is a usage error; a column the accounts
lack, and an account for which EXPR divides by zero or gives NaN or an
infinity, are input errors naming the row.

Every input is checked before solving, and every problem is listed, one per
line, as 'territory validate' lists them; with any error nothing is written.
Warnings (accounts at 0,0, ...) are printed and do not stop the run.

A scenario file (--config) holds any of these settings; a flag given as
well overrides its key (--balance replaces the file's rules; --columns is
merged into the file's mapping). Relative paths in the file are relative to
the file. See docs/scenario.md.

A balance RULE bounds a measure in every territory:
  MEASURE              within ±5% of the target
  MEASURE:TOL%         within ±TOL% of the target (revenue:3%)
  MEASURE:max=V        at most V per full-capacity rep (demand:max=120)
  MEASURE:min=V        at least V
  MEASURE:min=V,max=V  between the two
A rep's target is its capacity share of the measure's total, and min and
max scale with its capacity. "count", the number of accounts, is always a
measure. Measures are matched by normalised name: "Annual Revenue:5%" and
annual_revenue:5% are the same rule.

Defaults: one territory per rep; without --reps, -k N makes N reps T01..TN
of capacity 1 with no home. --demo applies the demo's balance rules unless
--balance is given. The objective is sse (the sum of squared distances to
the centre); distance sums plain distances. --weight MEASURE weights every
account's term by its value of the measure (population, visits): the
objective is then the sum of weight times squared distance (or distance),
free centres are weighted alike, and the reports show the weighted sums.
The centre is the rep's home when every rep has one, else the free mean;
unit puts it at one of the accounts, as in the p-median problem. The
default seed is fixed, so the same inputs, seed and version write the same
bytes.

The plan is a set of regions (--shape regions, the default): every
territory one connected piece of the accounts' proximity graph (shared
boundaries of polygon units; for points, their Delaunay triangulation), the
territories side by side with boundaries a person can name; a plan with a
territory in more than one piece exits 3. --shape free lets territories
interleave wherever that lowers the objective, as facility-style problems
(the capacitated p-median benchmarks) want; --contiguous then still keeps
each one connected. summary.json's "shape" counts the pieces.

A plan edited by hand is rebalanced with --fix FILE: the edits in FILE (an
assignments file, account_id and territory_id or rep_id: the moves only, or
a whole edited assignments.csv, of which the rows that move an account are
the edits) are kept fixed, as locked accounts, and the rest of today's plan
moves only where the rules need it: the search starts from today's plan
with the edits applied and moves an account only to bring a rule back into
its band. Today's plan is --plan FILE (an assignments file), else the
accounts' owners, else (with neither) the plan these inputs and settings
make without the edits, solved first. --max-moves still caps the further
moves; --stickiness has no effect. An edit naming an account or territory
there is not, or moving a locked account, is an error naming its row, and
nothing is written; a plan that cannot meet the rules with the edits exits
3, naming the rules, the territories and the locked and edited accounts
behind them. moves.csv lists every move from today's plan, edits and
rebalance alike; 'territory diff --edits FILE' tells them apart.

` + exitCodesHelp,
		Example: `  # the embedded demo: 5,000 accounts, 25 reps, revenue and workload within ±5%
  territory solve --demo -o out

  # keep six moves made by hand on the demo's plan, and rebalance the rest around them
  territory solve --demo --plan pkg/cli/testdata/demo/assignments.csv \
      --fix testdata/examples/demo-edits.csv -o fixed

  # the demo's files and its scenario file, as 'territory example' writes them
  territory example -o demo && territory solve --config demo/scenario.yaml

  # accounts and reps on two sheets of one workbook, with spreadsheet headers
  territory solve --accounts testdata/examples/accounts.xlsx --accounts-sheet Accounts \
      --reps testdata/examples/accounts.xlsx --reps-sheet Reps --balance "Annual Revenue:5%" -o out

  # 305 counties of Georgia and the Carolinas as polygon units, 8 territories of equal population
  territory solve --accounts testdata/examples/counties.geojson -k 8 --balance pop2010:5% -o out

  # the same, compact for the people in them: every county's distance weighted by its population
  territory solve --accounts testdata/examples/counties.geojson -k 8 --balance pop2010:5% --weight pop2010 -o out

  # the demo balanced on revenue and on hours: its workload plus half an hour of travel per account
  territory solve --demo --measure "hours=workload+0.5" --balance revenue:5% --balance hours:5% -o out

  # a capacitated p-median instance (OR-Library pmedcap1 #1): 5 facility-style territories without
  # reps, which may interleave
  territory solve --accounts testdata/pmedcap1_01/accounts.csv -k 5 --balance demand:max=120 \
      --objective distance --center unit --shape free`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Changed = changedFlags(cmd.Flags())
			if err := opts.check(); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runSolve(cmd.Context(), env, opts)
		},
	}

	f := cmd.Flags()
	f.SortFlags = false
	addInputFlags(f, &opts.inputOptions)
	f.BoolVar(&opts.Demo, "demo", false, "solve the embedded demo (5,000 accounts, 25 reps) with its balance rules")
	f.StringVar(&opts.Plan, "plan", "", "today's plan, in assignments `FILE` (- for stdin; default: the accounts'\nowners): where --fix starts, what moves are counted from")
	f.StringVar(&opts.Fix, "fix", "", "keep the edits in `FILE` (account_id, territory_id; - for stdin) and\nrebalance the rest of today's plan with as few moves as the rules need")
	addTerritoryFlags(f, &opts.inputOptions)
	f.StringVar(&opts.Objective, "objective", "", "`OBJECTIVE` to minimise: sse or distance (default sse)")
	addWeightFlag(f, &opts.Weight)
	f.StringVar(&opts.Center, "center", "", "where a territory's `CENTER` sits: mean, unit or home\n(default home when every rep has one, else mean)")
	f.StringVar(&opts.Shape, "shape", scenario.DefaultShape, "the `SHAPE` of the territories: regions (each one connected piece,\nside by side) or free (they may interleave, as facility-style problems\nwant)")
	f.Var(levelsFlag(&opts.Levels), "level", "group the territories into `NAME=K` contiguous, balanced parents\n(repeatable, bottom up: --level district=12 --level region=3)")
	f.Var(levelRulesFlag(&opts.LevelRules), "balance-level", "balance rule of a level, `LEVEL:RULE` (repeatable; e.g. district:revenue:5%;\ndefault: the territories' rules)")
	f.BoolVar(&opts.Contiguous, "contiguous", false, "with --shape free, keep every territory one connected piece\n(polygon units: shared boundaries; points: nearest neighbours);\nregions always are")
	f.Var(&opts.MaxMoves, "max-moves", "let at most `N` accounts, or P% of them, change owner (needs owners)")
	f.Float64Var(&opts.Stickiness, "stickiness", 0, "make a change of owner cost `W` times an account's mean cost")
	f.StringVar(&opts.Effort, "effort", scenario.DefaultEffort, "how much to search, `LEVEL` quick, normal or thorough (counted in work)")
	f.DurationVar(&opts.TimeLimit, "time-limit", 0, "stop searching after `DURATION` (90s, 2m) and write the best plan so far")
	f.Uint64Var(&opts.Seed, "seed", defaultSeed, "random seed `N`: the same seed gives the same plan")
	f.StringVarP(&opts.OutDir, "out", "o", defaultOutDir, "write the plan into directory `DIR`")
	f.Var(&formatsValue{formats: &opts.Formats}, "formats", "write the files of formats `LIST`: csv, json, xlsx, md, geojson, svg, html")
	addBasemapFlag(f, &opts.Basemap)
	f.BoolVarP(&opts.Quiet, "quiet", "q", false, "print nothing but errors: no table, progress, warnings or summary line")
	return cmd
}

// check validates the flags on their own; what needs the scenario file or
// the inputs is checked by runSolve. Without a scenario file the flags are
// all the settings, and are checked as such.
func (o *solveOptions) check() error {
	if err := checkFlags(o.settings(), o.Changed); err != nil {
		return err
	}
	if o.Config == "" {
		s, _, _ := resolveSettings("", o.settings(), o.Changed)
		return checkSolveSettings(s, "")
	}
	return nil
}

// checkSolveSettings checks the settings of a run before reading inputs.
func checkSolveSettings(s scenario.Settings, config string) error {
	if err := checkInputSettings(s, true, config); err != nil {
		return err
	}
	if s.OutDir == "" {
		return usageErrorf("-o: the output directory must not be empty")
	}
	if err := checkStdin(s); err != nil {
		return err
	}
	if len(s.Formats) == 0 {
		return usageErrorf("--formats: no formats (expected one or more of %s)", strings.Join(scenario.Formats(), ", "))
	}
	return nil
}

// checkStdin checks that at most one input reads standard input.
func checkStdin(s scenario.Settings) error {
	stdin := 0
	for _, f := range []string{s.AccountsFile, s.RepsFile, s.PlanFile, s.FixFile} {
		if f == "-" {
			stdin++
		}
	}
	if stdin > 1 {
		return usageErrorf("only one of --accounts, --reps, --plan and --fix can read stdin")
	}
	return nil
}

// measureStrings writes derived measures as given, NAME=EXPR; nil for
// none.
func measureStrings(ms []*derive.Measure) []string {
	var s []string
	for _, m := range ms {
		s = append(s, m.String())
	}
	return s
}

func ruleStrings(rules []territory.BalanceRule) []string {
	s := make([]string, len(rules))
	for i, r := range rules {
		s[i] = r.String()
	}
	return s
}

func runSolve(ctx context.Context, env Env, opts *solveOptions) error {
	s, sc, err := resolveSettings(opts.Config, opts.settings(), opts.Changed)
	if err != nil {
		return err
	}
	if err := checkSolveSettings(s, opts.Config); err != nil {
		return err
	}
	// Progress on a terminal: the command's phases and the solver's.
	var progress *progressLine
	if !s.Quiet && env.stderrIsTerminal() {
		progress = startProgress(env.Err, "read")
		defer progress.close()
	}
	in, probs, err := loadProblem(ctx, env, s, sc, opts.Config, true)
	if err != nil {
		return err
	}
	// Today's plan and the edits are read even when the inputs have
	// errors, so that every problem is listed at once.
	planFile, fixFile := readFixFiles(s, env.In, probs)
	if errs, _ := probs.counts(); errs > 0 {
		return &problemsError{problems: probs.sorted()}
	}
	warn := func(line string) {
		if !s.Quiet {
			progress.interrupt(func() { fmt.Fprintln(env.Err, line) })
		}
	}
	for _, w := range probs.warnings() {
		warn(w.line())
	}
	effort, err := solve.ParseEffort(s.Effort)
	if err != nil {
		return usageErrorf("--effort: %w", err)
	}
	shape, err := solve.ParseShape(s.Shape)
	if err != nil {
		return usageErrorf("--shape: %w", err)
	}
	if s.Territories == scenario.TerritoriesAuto {
		if s.PlanFile != "" || s.FixFile != "" {
			return usageErrorf("-k auto sizes a new plan: it takes no --plan or --fix")
		}
		sopt := solve.Options{Seed: s.Seed, Effort: effort, TimeLimit: s.TimeLimit, Shape: shape, Contiguous: s.Contiguous}
		// -k auto: the fewest territories that meet every rule, as
		// 'territory size' finds them; the plan is then solved as -k K.
		var sz *solve.Sizing
		err = interruptible(ctx, func() (err error) {
			sz, err = solve.Size(ctx, in.problem, sopt, 0)
			return err
		})
		if err != nil {
			if isCancel(err) {
				return err
			}
			if se, ok := errors.AsType[*solve.SizeError](err); ok {
				return usageErrorf("-k auto: %s", se.Msg)
			}
			return fmt.Errorf("-k auto: %w", err)
		}
		if sz.K == 0 {
			return &unmetError{Constraints: []string{fmt.Sprintf("-k auto: no number of territories from %d up meets every rule", sz.LowerBound)}}
		}
		in.problem = sz.Problem
		if !s.Quiet {
			progress.interrupt(func() {
				fmt.Fprintf(env.Err, "-k auto: %d territories, the fewest that meet every rule (the bound from the maxima: %d)\n", sz.K, sz.LowerBound)
			})
		}
	}
	fr, err := fixProblem(in.problem, in, planFile, fixFile, func(msg string) { warn(warningPrefix + msg) })
	if err != nil {
		return err
	}
	if fixFile != nil && s.Stickiness > 0 {
		warn(warningPrefix + "--stickiness has no effect with --fix: the rebalance makes only the moves the rules need")
	}
	sopt := solve.Options{
		Seed:       s.Seed,
		Effort:     effort,
		TimeLimit:  s.TimeLimit,
		CapMoves:   s.MaxMoves.Limited,
		MaxMoves:   s.MaxMoves.Of(in.problem.Accounts.Len()),
		Stickiness: s.Stickiness,
		Rebalance:  fr.rebalance,
		Shape:      shape,
		Contiguous: s.Contiguous,
	}
	if progress != nil {
		sopt.Progress = func(phase string, done float64) {
			if ctx.Err() == nil { // not from a solver left running by an interrupt
				progress.update(phase, done)
			}
		}
	}
	// The solver looks at ctx between its rounds, which take seconds for a
	// million accounts: interruptible returns at once.
	runSolver := func(p *territory.Problem, sopt solve.Options) (plan *territory.Plan, stats solve.Stats, err error) {
		err = interruptible(ctx, func() (err error) {
			if in.layer != nil {
				// A plan made of units: solved on the units, every
				// account with its unit (or, in a unit too heavy for a
				// territory, on its own).
				var us *solve.UnitSolve
				if us, err = solve.SolveUnits(ctx, p, &in.layer.UnitLayer, in.unitOf, sopt); err == nil {
					plan, stats = us.Plan, us.Stats
				}
				return err
			}
			plan, stats, err = solve.Solve(ctx, p, sopt)
			return err
		})
		if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("solve: %w", err)
		}
		return plan, stats, err
	}
	if fr.needStart {
		// Edits, and no plan they were made on: that plan is the one these
		// inputs and settings make without them.
		start, _, err := runSolver(fr.today, sopt)
		if err != nil {
			return err
		}
		if err := fr.startFrom(start.Assign); err != nil {
			return err
		}
		sopt.Rebalance = true
	}
	plan, stats, err := runSolver(fr.solve, sopt)
	if err != nil {
		return err
	}
	// The reports count moves from today's plan, edits and all.
	p := fr.today
	if err := plan.Check(p); err != nil {
		return fmt.Errorf("solve: %w", err)
	}
	var levels []solve.LevelPlan
	if len(s.Levels) > 0 {
		if p.Grouped() {
			return usageErrorf("--level with --group: levels above grouped territories are not supported yet; solve each group with its levels on its own")
		}
		lv, err := territory.ResolveLevels(s.Levels, s.LevelRules, p.Rules)
		if err != nil {
			return usageErrorf("--level: %w", err)
		}
		err = interruptible(ctx, func() (err error) {
			levels, err = solve.SolveLevels(ctx, p, plan, lv, sopt)
			return err
		})
		if err != nil {
			return err
		}
	}

	progress.setPhase("report")
	// The edits are locks: where a rule is not met, its explanation
	// counts them with the accounts' own locks.
	m := report.Evaluate(fr.solve, plan)
	if len(levels) > 0 {
		problems, plans := make([]*territory.Problem, len(levels)), make([]*territory.Plan, len(levels))
		for i, l := range levels {
			problems[i], plans[i] = l.Problem, l.Plan
		}
		report.EvaluateLevels(m, plan, problems, plans)
	}
	run := report.Run{
		Version:   opts.Version,
		Seed:      s.Seed,
		Objective: p.Objective.String(),
		Weight:    p.Weight,
		Center:    p.Center.String(),
		Shape:     shape.String(),
		Rules:     ruleStrings(p.Rules),
		Derived:   measureStrings(s.Measures),
		K:         p.K(),
		Accounts:  in.accounts.Name,
		Space:     p.Space.String(),
	}
	solver := solverJSON{Rounds: stats.Rounds, Moves: stats.Moves, TimeLimitHit: stats.TimeLimitHit,
		Fixed: len(fr.edits), Rebalance: fr.rebalance}
	if in.reps != nil {
		run.Reps = in.reps.Name
	}
	if stats.BoundScope != "" {
		run.Bound = &report.Bound{Value: stats.LowerBound, Scope: stats.BoundScope}
	}
	// Regions are connected by definition, and --contiguous asks for it:
	// either way, whether every territory is one piece is recorded.
	connectedAsked := s.Contiguous || shape == solve.Regions
	if connectedAsked {
		solver.Connected = &stats.Connected
	}
	run.Solver = solver
	files, err := outputFiles(ctx, s.Formats, &runResult{problem: p, plan: plan, metrics: m, run: run, units: in.units, layer: in.layer, basemap: basemapOf(s)})
	if err != nil {
		return err
	}
	progress.setPhase("write")
	if err := writeDir(ctx, s.OutDir, files); err != nil {
		return err
	}
	progress.close()

	if !s.Quiet {
		if err := report.WriteTable(env.Out, m); err != nil {
			return err
		}
		if stats.TimeLimitHit {
			fmt.Fprintf(env.Err, "the time limit (%s) stopped the search: the plan is the best found by then\n", s.TimeLimit)
		}
		fixed := ""
		if fr.fixFile != "" {
			fixed = fr.fixSummary(plan.Assign)
		}
		fmt.Fprintf(env.Err, "solved %d %s into %d %s%s: %s; wrote %s (%d %s)\n",
			p.Accounts.Len(), plural(p.Accounts.Len(), "account", "accounts"),
			p.K(), plural(p.K(), "territory", "territories"), fixed,
			rulesOutcome(m), dirName(s.OutDir), len(files), plural(len(files), "file", "files"))
	}
	unmet := &unmetError{Rules: unmetRules(m)}
	if fr.fixFile != "" {
		unmet.Fixed = fr.editsPhrase()
	}
	if connectedAsked && !stats.Connected {
		what := "contiguous"
		if shape == solve.Regions {
			what = "regions"
		}
		why := "some territory is in more than one piece"
		if note := fr.piecesNote(m, plan.Assign); note != "" {
			why = note
		}
		unmet.Constraints = append(unmet.Constraints, what+" ("+why+")")
	}
	for i := range m.Levels {
		if lv := &m.Levels[i]; !lv.Met() {
			unmet.Constraints = append(unmet.Constraints, "level "+levelOutcome(lv))
		}
	}
	if len(unmet.Rules)+len(unmet.Constraints) > 0 {
		return unmet
	}
	return nil
}

// levelOutcome says how a level falls short: its rules broken and its
// parents in pieces.
func levelOutcome(lv *report.Level) string {
	var parts []string
	for _, st := range lv.Metrics.Balance {
		if st.Violations > 0 {
			parts = append(parts, fmt.Sprintf("%s broken by %d %s", st.Rule, st.Violations, plural(st.Violations, "parent", "parents")))
		}
	}
	if n := lv.Metrics.Shape.TerritoriesInPieces; n > 0 {
		parts = append(parts, fmt.Sprintf("%d %s in more than one piece", n, plural(n, "parent", "parents")))
	}
	return lv.Name + ": " + strings.Join(parts, "; ")
}

// solverJSON is what summary.json records of the solver: counts of work
// done, never timings.
type solverJSON struct {
	Rounds       int   `json:"rounds"`
	Moves        int   `json:"moves"`
	TimeLimitHit bool  `json:"time_limit_hit,omitempty"` // the time limit stopped the search
	Connected    *bool `json:"connected,omitempty"`      // with regions or contiguous: every territory is one piece
	Fixed        int   `json:"fixed,omitempty"`          // with --fix: the accounts the edits moved, kept fixed
	Rebalance    bool  `json:"rebalance,omitempty"`      // with --fix: the rest was rebalanced from today's plan
}

// demoRules are the balance rules of the embedded demo.
func demoRules() ([]territory.BalanceRule, error) {
	rules := make([]territory.BalanceRule, 0, len(demo.Rules))
	for _, s := range demo.Rules {
		r, err := territory.ParseBalanceRule(s)
		if err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
		rules = append(rules, r)
	}
	return rules, nil
}

// rulesOutcome says in a few words how the plan meets its rules.
func rulesOutcome(m *report.Metrics) string {
	if len(m.Balance) == 0 {
		return "no balance rules"
	}
	unmet := 0
	for _, st := range m.Balance {
		if st.Violations > 0 {
			unmet++
		}
	}
	if unmet == 0 {
		if len(m.Balance) == 1 {
			return "the balance rule is met"
		}
		return "all balance rules met"
	}
	return fmt.Sprintf("%d of %d balance %s not met", unmet, len(m.Balance), plural(len(m.Balance), "rule", "rules"))
}

// unmetRules describes every rule that some territory breaks: how many
// territories, and the one furthest outside its band.
func unmetRules(m *report.Metrics) []string {
	var lines []string
	for _, st := range m.Balance {
		if st.Violations == 0 {
			continue
		}
		rule := st.Rule.String()
		var worst *report.Violation
		for i := range m.Violations {
			v := &m.Violations[i]
			if v.Measure != st.Name {
				continue
			}
			if worst == nil || v.Excess/scale(v.Target) > worst.Excess/scale(worst.Target) {
				worst = v
			}
		}
		line := fmt.Sprintf("%s in %d %s", rule, st.Violations, plural(st.Violations, "territory", "territories"))
		if worst != nil {
			dir := "above its max"
			if worst.Bound == "min" {
				dir = "below its min"
			}
			line += fmt.Sprintf(" (worst %s: %s, %s %s of %s", worst.Territory, formatLoad(worst.Load),
				formatLoad(worst.Excess), dir, formatLoad(worst.Limit))
			if worst.Cause != "" {
				line += ": " + worst.Cause
				if len(worst.Culprits) > 0 {
					line += ": " + strings.Join(worst.Culprits, ", ")
					if more := worst.CulpritCount - len(worst.Culprits); more > 0 {
						line += fmt.Sprintf(" and %d more", more)
					}
				}
			}
			line += ")"
		}
		lines = append(lines, line)
	}
	return lines
}

// scale makes excesses of different targets comparable: the target, or 1
// when it is 0.
func scale(target float64) float64 {
	if target == 0 {
		return 1
	}
	return math.Abs(target)
}

// formatLoad writes a load in a short, exact-enough form: at most two
// decimals, none when whole.
func formatLoad(v float64) string {
	s := strconv.FormatFloat(v, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		s = "0"
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// dirName writes a directory name as a directory: with a trailing slash.
func dirName(dir string) string {
	if strings.HasSuffix(dir, "/") || strings.HasSuffix(dir, `\`) {
		return dir
	}
	return dir + "/"
}
