package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/territory-optimizer/territory/pkg/report"
	"github.com/territory-optimizer/territory/pkg/scenario"
	"github.com/territory-optimizer/territory/pkg/solve"
	"github.com/territory-optimizer/territory/pkg/tabular"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// evaluateOptions holds the settings of `territory evaluate` as the
// command line gives them; runEvaluate resolves them against the scenario
// file.
type evaluateOptions struct {
	inputOptions
	Plan      string // assignments file; "" scores the accounts' owners
	Objective string
	Weight    string
	Center    string
	OutDir    string
	Formats   []string
	Basemap   string
	Quiet     bool

	// Version is the territory version recorded in summary.json.
	Version string
}

// settings returns what the flags hold, as scenario.Override takes them.
func (o *evaluateOptions) settings() scenario.Settings {
	s := o.inputOptions.settings()
	s.PlanFile = o.Plan
	s.Objective, s.Weight, s.Center, s.OutDir, s.Formats, s.Quiet = o.Objective, o.Weight, o.Center, o.OutDir, o.Formats, o.Quiet
	s.Basemap = o.Basemap
	return s
}

func newEvaluateCmd(env Env, build BuildInfo, runF func(context.Context, *evaluateOptions) error) *cobra.Command {
	opts := &evaluateOptions{Version: build.resolve().Version, Formats: scenario.Formats()}
	cmd := &cobra.Command{
		Use:   "evaluate (--accounts FILE [--reps FILE] | --demo | --config FILE) [--plan FILE] [flags]",
		Short: "Score an existing plan, such as today's alignment, with solve's reports",
		Long: `Score a plan that was not made by this run, with the same balance rules and
objective as 'territory solve', and write the same reports for it:

  - with --plan FILE (or a scenario file's plan key), the plan in an
    assignments file (as 'territory solve' writes assignments.csv: a header
    row with account_id and rep_id or territory_id; other columns are
    ignored; a row whose territory alone was changed by hand is read with
    that territory's rep, and a warning). Territories are matched by
    rep_id when the file has it, else by territory_id (T01, T02, ... in the
    order of the reps, or of -k);
  - without --plan, today's alignment: every account with its owner (the
    owner column of the accounts, a rep id; --columns owner=NAME maps it),
    which needs the reps.

Every account must be in the plan once, and the plan must hold no other
account. The centre of every territory is placed as 'territory solve'
places it (--center, --objective, --weight), so the compactness, balance and
disruption numbers are those solve reports for the same plan; give the
--weight the plan was solved with, if any, to score the objective it
minimised.

The inputs are read as 'territory solve' reads them, with the same flags
and scenario file (see 'territory solve --help'); the solver's settings are
not used. The files written, chosen with --formats (default: all):

` + formatsHelp(scenario.Formats()) + `

They are written all or nothing, as solve writes them. A balance table is
printed on stdout and a one-line summary on stderr.

` + exitCodesHelp + `

evaluate exits 3 when the plan breaks a balance rule: the reports are
written and say which.`,
		Example: `  # score the demo's solved plan: the same numbers as solve's summary.json
  territory solve --demo -o out && territory evaluate --demo --plan out/assignments.csv -o eval

  # 8 territories of counties scored by their population-weighted objective
  territory solve --accounts testdata/examples/counties.geojson -k 8 --balance pop2010:5% --formats csv -o counties
  territory evaluate --accounts testdata/examples/counties.geojson -k 8 --balance pop2010:5% \
      --weight pop2010 --plan counties/assignments.csv -o counties-eval

  # today's alignment: the workbook's Current Rep column, against its reps
  territory evaluate --accounts testdata/examples/accounts.xlsx --accounts-sheet Accounts \
      --reps testdata/examples/accounts.xlsx --reps-sheet Reps --balance "Annual Revenue:5%" -o today

  # the same, scored on hours: the Workload Hours column plus half an hour of travel per account
  territory evaluate --accounts testdata/examples/accounts.xlsx --accounts-sheet Accounts \
      --reps testdata/examples/accounts.xlsx --reps-sheet Reps --measure "hours=workload_hours+0.5" \
      --balance hours:5% -o today-hours`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Changed = changedFlags(cmd.Flags())
			if err := opts.check(); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runEvaluate(cmd.Context(), env, opts)
		},
	}
	f := cmd.Flags()
	f.SortFlags = false
	addInputFlags(f, &opts.inputOptions)
	f.BoolVar(&opts.Demo, "demo", false, "evaluate against the embedded demo (5,000 accounts, 25 reps) and its balance rules")
	f.StringVar(&opts.Plan, "plan", "", "score the plan in assignments `FILE` (- for stdin; default: the accounts' owners)")
	addTerritoryFlags(f, &opts.inputOptions)
	f.StringVar(&opts.Objective, "objective", "", "`OBJECTIVE` the plan is scored by: sse or distance (default sse)")
	addWeightFlag(f, &opts.Weight)
	f.StringVar(&opts.Center, "center", "", "where a territory's `CENTER` sits: mean, unit or home\n(default home when every rep has one, else mean)")
	f.StringVarP(&opts.OutDir, "out", "o", defaultOutDir, "write the reports into directory `DIR`")
	f.Var(&formatsValue{formats: &opts.Formats}, "formats", "write the files of formats `LIST`: csv, json, xlsx, md, geojson, svg, html")
	addBasemapFlag(f, &opts.Basemap)
	f.BoolVarP(&opts.Quiet, "quiet", "q", false, "print nothing but errors: no table, warnings or summary line")
	return cmd
}

// check validates the flags on their own.
func (o *evaluateOptions) check() error {
	if err := checkFlags(o.settings(), o.Changed); err != nil {
		return err
	}
	if o.Plan == "-" && o.AccountsFile == "-" || o.Plan == "-" && o.RepsFile == "-" {
		return usageErrorf("--plan and --accounts or --reps cannot both read stdin")
	}
	if o.Config == "" {
		s, _, _ := resolveSettings("", o.settings(), o.Changed)
		return checkEvaluateSettings(s, "")
	}
	return nil
}

// checkEvaluateSettings checks the settings of an evaluate or render run
// before reading inputs: what solve needs, and reps to match the owners
// with when there is no plan file (--plan, or the scenario's plan).
func checkEvaluateSettings(s scenario.Settings, config string) error {
	if err := checkSolveSettings(s, config); err != nil {
		return err
	}
	if s.PlanFile == "" && !s.Demo && s.RepsFile == "" {
		return usageErrorf("no plan: give --plan FILE, or --reps FILE to score the accounts' owners (rep ids) as today's alignment")
	}
	return nil
}

func runEvaluate(ctx context.Context, env Env, opts *evaluateOptions) error {
	s, r, err := loadPlanRun(ctx, env, opts.Config, opts.settings(), opts.Changed)
	if err != nil {
		return err
	}
	r.run.Version = opts.Version
	files, err := outputFiles(ctx, s.Formats, r)
	if err != nil {
		return err
	}
	if err := writeDir(ctx, s.OutDir, files); err != nil {
		return err
	}
	m := r.metrics
	if !s.Quiet {
		if err := report.WriteTable(env.Out, m); err != nil {
			return err
		}
		p := r.problem
		fmt.Fprintf(env.Err, "evaluated %s of %d %s in %d %s: %s; wrote %s (%d %s)\n",
			planSource(s.PlanFile), p.Accounts.Len(), plural(p.Accounts.Len(), "account", "accounts"),
			p.K(), plural(p.K(), "territory", "territories"),
			rulesOutcome(m), dirName(s.OutDir), len(files), plural(len(files), "file", "files"))
	}
	if !m.Feasible() {
		return &unmetError{Rules: unmetRules(m)}
	}
	return nil
}

// planSource names where a plan came from, for the summary line.
func planSource(plan string) string {
	switch plan {
	case "":
		return "today's alignment"
	case "-":
		return "the plan on stdin"
	}
	return "the plan " + strconv.Quote(plan)
}

// loadPlanRun reads what `territory evaluate` and `territory render`
// need: the settings, the problem as solve reads it, and the plan in the
// settings' plan file (--plan, or the scenario's plan; the accounts'
// owners when there is none), with its centres placed and its metrics
// computed. It returns as soon as ctx ends, as interruptible does: a plan
// of a million rows takes seconds to read.
func loadPlanRun(ctx context.Context, env Env, config string, flags scenario.Settings, changed []string) (s scenario.Settings, r *runResult, err error) {
	err = interruptible(ctx, func() (err error) {
		s, r, err = readPlanRun(ctx, env, config, flags, changed)
		return err
	})
	return s, r, err
}

// readPlanRun is loadPlanRun, run to the end.
func readPlanRun(ctx context.Context, env Env, config string, flags scenario.Settings, changed []string) (scenario.Settings, *runResult, error) {
	s, sc, err := resolveSettings(config, flags, changed)
	if err != nil {
		return s, nil, err
	}
	planPath := s.PlanFile
	if err := checkEvaluateSettings(s, config); err != nil {
		return s, nil, err
	}
	in, probs, err := loadProblem(ctx, env, s, sc, config, true)
	if err != nil {
		return s, nil, err
	}
	// The plan file is read even when the inputs have errors, so that
	// every problem is listed at once.
	var pf *tabular.PlanFile
	if planPath != "" {
		var perr error
		if pf, perr = readPlanPath(planPath, env.In, probs.warn); perr != nil {
			probs.addErr(perr)
		}
	}
	if errs, _ := probs.counts(); errs > 0 {
		return s, nil, &problemsError{problems: probs.sorted()}
	}
	if !s.Quiet {
		for _, w := range probs.warnings() {
			fmt.Fprintln(env.Err, w.line())
		}
	}
	p := in.problem

	var assign []int
	var units *territory.UnitPlan
	switch {
	case pf != nil && pf.Units:
		assign, units, err = assignFromUnits(p, pf, in, func(e *territory.InputError) {
			if !s.Quiet {
				fmt.Fprintln(env.Err, (&problem{Severity: severityWarning, Text: e.Error()}).line())
			}
		})
	case pf != nil:
		assign, err = assignFromPlan(p, pf, in)
	default:
		assign, err = assignFromOwners(p)
	}
	if err != nil {
		return s, nil, err
	}
	plan := solve.PlaceCentres(p, assign)
	plan.Units = units
	if err := plan.Check(p); err != nil {
		return s, nil, fmt.Errorf("evaluate: %w", err)
	}
	r := &runResult{
		problem: p,
		plan:    plan,
		metrics: report.Evaluate(p, plan),
		run: report.Run{
			Objective: p.Objective.String(),
			Weight:    p.Weight,
			Center:    p.Center.String(),
			Rules:     ruleStrings(p.Rules),
			Derived:   measureStrings(s.Measures),
			K:         p.K(),
			Accounts:  in.accounts.Name,
			Space:     p.Space.String(),
		},
		units:   in.units,
		layer:   in.layer,
		basemap: basemapOf(s),
	}
	if in.reps != nil {
		r.run.Reps = in.reps.Name
	}
	if lb, scope, ok := solve.LowerBound(p, plan); ok {
		r.run.Bound = &report.Bound{Value: lb, Scope: scope}
	}
	return s, r, nil
}

// assignFromPlan maps every account of p to the territory the plan file
// gives it: by rep id when the file has a rep_id column, else by territory
// id. Every account of p must be in the file, and the file must hold no
// other account; every problem is reported, with its row.
func assignFromPlan(p *territory.Problem, f *tabular.PlanFile, in *loaded) ([]int, error) {
	// As the plan reader does, the list stops at the first problem past
	// territory.MaxListed.
	errs := &territory.InputErrors{What: readPlanWhat, File: f.Name, Stops: true}
	add := errs.AddError
	a := &p.Accounts
	accs, ters := planRows(p, f, in, errs, false, nil)
	assign := make([]int, a.Len())
	for i := range assign {
		assign[i] = -1
	}
	for j, i := range accs {
		if i >= 0 && ters[j] >= 0 {
			assign[i] = ters[j]
		}
	}
	missing := 0
	for i, k := range assign {
		if k >= 0 {
			continue
		}
		if _, listed := f.Lookup(a.IDs[i]); listed {
			continue // its row was wrong, and is reported
		}
		missing++
		if missing <= territory.MaxListed {
			add(&territory.InputError{What: readPlanWhat, File: f.Name,
				Msg: fmt.Sprintf("account %q (%s of %q) is not in the plan: every account needs a territory", a.IDs[i], rowName(a, i), a.Source)})
		}
	}
	if missing > territory.MaxListed {
		add(&territory.InputError{What: readPlanWhat, File: f.Name,
			Msg: fmt.Sprintf("%d more accounts not in the plan", missing-territory.MaxListed)})
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return assign, nil
}

// assignFromUnits maps every account of p to the territory of its unit in
// a unit table (units.csv), read with the layer of units (--units): every
// unit of the layer must be in the table once, and the table may hold no
// other unit. The accounts of a unit the table marks split (assigned one
// by one when the plan was solved) take the unit's territory, its default
// owner, with a warning: assignments.csv holds their own.
func assignFromUnits(p *territory.Problem, f *tabular.PlanFile, in *loaded, warn func(*territory.InputError)) ([]int, *territory.UnitPlan, error) {
	if in.layer == nil {
		return nil, nil, usageErrorf("the plan %q is a unit table (unit_id): give the layer of its units with --units FILE", f.Name)
	}
	layer := &in.layer.UnitLayer
	byKey := make(map[string]int, p.K())
	var keys []string
	for k, r := range p.Reps {
		key := p.TerritoryID(k)
		if f.HasRep {
			key = r.ID
		}
		byKey[key] = k
		keys = append(keys, key)
	}
	col := f.TerritoryCol
	if f.HasRep {
		col = f.RepCol
	}
	errs := &territory.InputErrors{What: readPlanWhat, File: f.Name, Stops: true}
	index := make(map[string]int, layer.Len())
	for j, id := range layer.IDs {
		index[id] = j
	}
	owner := make([]int, layer.Len())
	for j := range owner {
		owner[j] = -1
	}
	split := make([]bool, layer.Len())
	nsplit := 0
	for row, id := range f.IDs {
		j, ok := index[id]
		if !ok {
			errs.Addf(f.Rows[row], f.AccountCol, "unit %q is not among the units in %q", id, layer.Source)
			continue
		}
		k, ok := byKey[f.Key(row)]
		if !ok {
			errs.Addf(f.Rows[row], col, "%s", unknownTerritoryMsg(f.HasRep, f.Key(row), keys, in))
			continue
		}
		owner[j] = k
		if f.Split != nil && f.Split[row] {
			split[j] = true
			nsplit++
		}
	}
	missing := 0
	for j, k := range owner {
		if k >= 0 {
			continue
		}
		if _, listed := f.Lookup(layer.IDs[j]); listed {
			continue
		}
		if missing++; missing <= territory.MaxListed {
			errs.Addf(0, "", "unit %q (row %d of %q) is not in the plan: every unit needs a territory", layer.IDs[j], layer.Rows[j], layer.Source)
		}
	}
	if missing > territory.MaxListed {
		errs.Addf(0, "", "%d more units not in the plan", missing-territory.MaxListed)
	}
	if err := errs.Err(); err != nil {
		return nil, nil, err
	}
	if nsplit > 0 && warn != nil {
		warn(&territory.InputError{What: readPlanWhat, File: f.Name,
			Msg: fmt.Sprintf("%d %s split: their accounts are scored in their unit's territory, its default owner (assignments.csv holds the territory of each)",
				nsplit, plural(nsplit, "unit is", "units are"))})
	}
	assign := make([]int, p.Accounts.Len())
	for i, j := range in.unitOf {
		assign[i] = owner[j]
	}
	return assign, &territory.UnitPlan{Layer: layer, Of: in.unitOf, Owner: owner, Split: split}, nil
}

// unknownTerritoryMsg says that a plan names a territory (by rep id with
// byRep, else by territory id) the problem does not have, and what it has.
func unknownTerritoryMsg(byRep bool, key string, keys []string, in *loaded) string {
	if byRep {
		where := "the reps"
		if in.reps != nil {
			where += " in " + strconv.Quote(in.reps.Name)
		} else {
			where = "the territories of -k (" + rangeOf(keys) + ")"
		}
		return fmt.Sprintf("rep %q is not among %s", key, where)
	}
	return fmt.Sprintf("territory %q is not one of the %d territories (%s)", key, len(keys), rangeOf(keys))
}

// rangeOf writes a list of ids shortly: "T01, T02, ..., T25".
func rangeOf(ids []string) string {
	if len(ids) <= 4 {
		return strings.Join(ids, ", ")
	}
	return ids[0] + ", " + ids[1] + ", ..., " + ids[len(ids)-1]
}

// assignFromOwners maps every account to its owner's territory: today's
// alignment. Every account needs an owner among the reps (loadProblem has
// checked that the owners given are reps).
func assignFromOwners(p *territory.Problem) ([]int, error) {
	a := &p.Accounts
	if !slices.ContainsFunc(a.Owners, func(o string) bool { return o != "" }) {
		return nil, usageErrorf("the accounts in %s have no owners: give --plan FILE, or map their owner column with --columns owner=NAME",
			strconv.Quote(filepath.Base(a.Source)))
	}
	assign := p.OwnerTerritories()
	var errs []error
	missing := 0
	for i, k := range assign {
		if k >= 0 {
			continue
		}
		missing++
		if missing <= territory.MaxListed {
			errs = append(errs, &territory.InputError{What: "accounts", File: a.Source, Row: rowOf(a, i),
				Msg: fmt.Sprintf("account %q has no owner: today's alignment needs every account's owner (or give --plan)", a.IDs[i])})
		}
	}
	if missing > territory.MaxListed {
		errs = append(errs, &territory.InputError{What: "accounts", File: a.Source,
			Msg: fmt.Sprintf("%d more accounts without an owner", missing-territory.MaxListed)})
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return assign, nil
}

// readPlanWhat is the What of the errors of a plan file.
const readPlanWhat = "read plan"

// readPlanPath reads the plan file at path ("-" reads in), passing its
// warnings to warn.
func readPlanPath(path string, in io.Reader, warn func(*territory.InputError)) (*tabular.PlanFile, error) {
	opt := tabular.Options{Warn: warn}
	if path == "-" {
		return tabular.ReadPlan(in, stdinName, opt)
	}
	return tabular.ReadPlanFile(path, opt)
}
