package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/territory-optimizer/territory/pkg/demo"
	"github.com/territory-optimizer/territory/pkg/report"
	"github.com/territory-optimizer/territory/pkg/solve"
	"github.com/territory-optimizer/territory/pkg/tabular"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// Defaults of `territory solve`.
const (
	defaultSeed   = 1
	defaultOutDir = "territory-out"
)

// Output files of `territory solve`, in the order they are written.
const (
	assignmentsFile = "assignments.csv"
	territoriesFile = "territories.csv"
	summaryFile     = "summary.json"
)

// solveOptions holds the settings of `territory solve`.
type solveOptions struct {
	AccountsFile string // "-" reads stdin
	RepsFile     string // "" when the territories come from -k alone
	Demo         bool
	K            int // 0: one territory per rep
	Rules        []territory.BalanceRule
	Objective    string // "sse" or "distance"; "" picks the default
	Center       string // "mean", "unit" or "home"; "" picks the default
	Seed         uint64
	OutDir       string
	Quiet        bool

	// Version is the territory version recorded in summary.json.
	Version string
}

func newSolveCmd(env Env, build BuildInfo, runF func(context.Context, *solveOptions) error) *cobra.Command {
	opts := &solveOptions{Version: build.resolve().Version}
	cmd := &cobra.Command{
		Use:   "solve (--accounts FILE [--reps FILE] | --demo) [flags]",
		Short: "Split accounts into balanced, compact territories",
		Long: `Split the accounts into territories, one per rep (or -k of them), that
meet every balance rule and are as compact as possible, and write the plan
into the output directory:

  assignments.csv  account_id, territory_id, rep_id and the distance to the
                   territory's centre, one row per account, sorted by id
  territories.csv  one row per territory: rep, accounts, every measure and
                   its % of target, centre, compactness
  summary.json     settings, seed, version, balance statistics, objective
                   and violations

The files are written all or nothing: into a temporary directory beside the
output directory, then moved into place; other files there are left alone.
A balance table is printed on stdout and a one-line summary on stderr.

Inputs are CSV files with a header row. Accounts need an id and a location:
lat/lon (degrees; distances are great-circle km) or x/y (planar; distances
are Euclidean in their unit); every other numeric column is a measure. Reps
need an id and may have a name, a home (lat/lon or x/y, as the accounts) and
a capacity (the share of a full territory; default 1). See docs/formats.md.

A balance RULE bounds a measure in every territory:
  MEASURE              within ±5% of the target
  MEASURE:TOL%         within ±TOL% of the target (revenue:3%)
  MEASURE:max=V        at most V per full-capacity rep (demand:max=120)
  MEASURE:min=V        at least V
  MEASURE:min=V,max=V  between the two
A rep's target is its capacity share of the measure's total, and min and
max scale with its capacity. "count", the number of accounts, is always a
measure.

Defaults: one territory per rep; without --reps, -k N makes N reps T01..TN
of capacity 1 with no home. --demo applies the demo's balance rules unless
--balance is given. The objective is sse (the sum of squared distances to
the centre); distance sums plain distances. The centre is the rep's home
when every rep has one, else the free mean; unit puts it at one of the
accounts, as in the p-median problem. The default seed is fixed, so the
same inputs, seed and version write the same bytes.

` + exitCodesHelp,
		Example: `  # the embedded demo: 5,000 accounts, 25 reps, revenue and workload within ±5%
  territory solve --demo -o out

  # the same, from the demo's files
  territory example -o demo && territory solve --accounts demo/accounts.csv --reps demo/reps.csv --balance revenue:5% --balance workload:5%

  # a capacitated p-median instance (OR-Library pmedcap1 #1): 5 territories without reps
  territory solve --accounts testdata/pmedcap1_01/accounts.csv -k 5 --balance demand:max=120 --objective distance --center unit`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.check(cmd); err != nil {
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
	f.StringVar(&opts.AccountsFile, "accounts", "", "read the accounts from CSV `FILE` (- for stdin)")
	f.StringVar(&opts.RepsFile, "reps", "", "read the reps from CSV `FILE`; optional with -k")
	f.BoolVar(&opts.Demo, "demo", false, "solve the embedded demo (5,000 accounts, 25 reps) with its balance rules")
	f.IntVarP(&opts.K, "territories", "k", 0, "make `N` territories (default: one per rep)")
	f.Var(&rulesValue{rules: &opts.Rules}, "balance", "balance rule: MEASURE[:TOL%][,min=V][,max=V] (repeatable)")
	f.StringVar(&opts.Objective, "objective", "", "`OBJECTIVE` to minimise: sse or distance (default sse)")
	f.StringVar(&opts.Center, "center", "", "where a territory's `CENTER` sits: mean, unit or home\n(default home when every rep has one, else mean)")
	f.Uint64Var(&opts.Seed, "seed", defaultSeed, "random seed `N`: the same seed gives the same plan")
	f.StringVarP(&opts.OutDir, "out", "o", defaultOutDir, "write the plan into directory `DIR`")
	f.BoolVarP(&opts.Quiet, "quiet", "q", false, "print nothing but errors: no table, progress or summary line")
	return cmd
}

// check validates the flags on their own; what needs the inputs is checked
// by runSolve.
func (o *solveOptions) check(cmd *cobra.Command) error {
	switch {
	case cmd.Flags().Changed("territories") && o.K < 1:
		return usageErrorf("-k %d: the number of territories must be at least 1", o.K)
	case o.Demo && (o.AccountsFile != "" || o.RepsFile != ""):
		return usageErrorf("--demo uses the embedded accounts and reps: leave out --accounts and --reps")
	case !o.Demo && o.AccountsFile == "":
		return usageErrorf("no accounts: give --accounts FILE, or --demo")
	case !o.Demo && o.RepsFile == "" && o.K == 0:
		return usageErrorf("no territories: give --reps FILE, or -k N to make N territories")
	case o.AccountsFile == "-" && o.RepsFile == "-":
		return usageErrorf("--accounts and --reps cannot both read stdin")
	case o.OutDir == "":
		return usageErrorf("-o: the output directory must not be empty")
	}
	if o.Objective != "" {
		if _, err := territory.ParseObjective(o.Objective); err != nil {
			return usageErrorf("--objective: %w", err)
		}
	}
	if o.Center != "" {
		if _, err := territory.ParseCenter(o.Center); err != nil {
			return usageErrorf("--center: %w", err)
		}
	}
	return nil
}

// rulesValue is the repeatable --balance flag: every value is parsed as a
// balance rule when given, so that a bad rule is a usage error.
type rulesValue struct {
	rules *[]territory.BalanceRule
}

func (v *rulesValue) Set(s string) error {
	r, err := territory.ParseBalanceRule(s)
	if err != nil {
		return err
	}
	*v.rules = append(*v.rules, r)
	return nil
}

func (v *rulesValue) Type() string { return "RULE" }

func (v *rulesValue) String() string {
	if v.rules == nil {
		return ""
	}
	return strings.Join(ruleStrings(*v.rules), " ")
}

func ruleStrings(rules []territory.BalanceRule) []string {
	s := make([]string, len(rules))
	for i, r := range rules {
		s[i] = r.String()
	}
	return s
}

// solveInputs is what runSolve read: the problem's parts and where they
// came from.
type solveInputs struct {
	accounts     territory.Accounts
	space        territory.Space
	reps         []territory.Rep // nil when the territories come from -k
	accountsName string          // for summary.json and messages
	repsName     string
}

func runSolve(ctx context.Context, env Env, opts *solveOptions) error {
	rules := opts.Rules
	if opts.Demo && len(rules) == 0 {
		var err error
		if rules, err = demoRules(); err != nil {
			return err
		}
	}

	in, err := readSolveInputs(env, opts, rules)
	if err != nil {
		return err
	}
	p, err := buildProblem(opts, in, rules)
	if err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return err
	}

	var progress *progressLine
	sopt := solve.Options{Seed: opts.Seed}
	if !opts.Quiet && env.stderrIsTerminal() {
		progress = &progressLine{w: env.Err}
		sopt.Progress = progress.update
	}
	plan, stats, err := solve.Solve(ctx, p, sopt)
	progress.clear()
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return err
		}
		return fmt.Errorf("solve: %w", err)
	}
	if err := plan.Check(p); err != nil {
		return fmt.Errorf("solve: %w", err)
	}

	m := report.Evaluate(p, plan)
	run := report.Run{
		Version:   opts.Version,
		Seed:      opts.Seed,
		Objective: p.Objective.String(),
		Center:    p.Center.String(),
		Rules:     ruleStrings(p.Rules),
		K:         p.K(),
		Accounts:  in.accountsName,
		Reps:      in.repsName,
		Space:     p.Space.String(),
		Solver:    solverJSON{Rounds: stats.Rounds, Moves: stats.Moves},
	}
	files := []outFile{
		{Name: assignmentsFile, Write: func(w io.Writer) error { return tabular.WriteAssignments(w, p, plan) }},
		{Name: territoriesFile, Write: func(w io.Writer) error { return report.WriteTerritoriesCSV(w, m) }},
		{Name: summaryFile, Write: func(w io.Writer) error { return report.WriteSummaryJSON(w, run, m) }},
	}
	if err := writeDir(opts.OutDir, files); err != nil {
		return err
	}

	if !opts.Quiet {
		if err := report.WriteTable(env.Out, m); err != nil {
			return err
		}
		fmt.Fprintf(env.Err, "solved %d %s into %d %s: %s; wrote %s (%d files)\n",
			p.Accounts.Len(), plural(p.Accounts.Len(), "account", "accounts"),
			p.K(), plural(p.K(), "territory", "territories"),
			rulesOutcome(m), dirName(opts.OutDir), len(files))
	}
	if !m.Feasible() {
		return &unmetError{Rules: unmetRules(m)}
	}
	return nil
}

// solverJSON is what summary.json records of the solver: counts of work
// done, never timings.
type solverJSON struct {
	Rounds int `json:"rounds"`
	Moves  int `json:"moves"`
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

// readSolveInputs reads the accounts and the reps. Both are read even when
// the first fails, so that every problem in either is reported at once.
func readSolveInputs(env Env, opts *solveOptions, rules []territory.BalanceRule) (*solveInputs, error) {
	topt := tabular.Options{Measures: ruleMeasures(rules)}
	in := &solveInputs{}
	var errs []error
	var repSpace territory.Space
	if opts.Demo {
		in.accountsName, in.repsName = "demo", "demo"
		a, s, err := tabular.ReadAccounts(bytes.NewReader(demo.AccountsCSV()), demo.AccountsFile, topt)
		if err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
		in.accounts, in.space = a, s
		reps, rs, err := tabular.ReadReps(bytes.NewReader(demo.RepsCSV()), demo.RepsFile, topt)
		if err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
		in.reps, repSpace = reps, rs
	} else {
		in.accountsName = opts.AccountsFile
		a, s, err := readAccounts(env, opts.AccountsFile, topt)
		if err != nil {
			errs = append(errs, err)
		}
		in.accounts, in.space = a, s
		if opts.RepsFile != "" {
			in.repsName = opts.RepsFile
			reps, rs, err := readReps(env, opts.RepsFile, topt)
			if err != nil {
				errs = append(errs, err)
			}
			if reps == nil {
				reps = []territory.Rep{}
			}
			in.reps, repSpace = reps, rs
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	for _, r := range in.reps {
		if r.HasHome && repSpace != in.space {
			return nil, &territory.InputError{What: "read reps", File: in.repsName,
				Msg: fmt.Sprintf("rep homes are %s (%s) but the accounts are %s (%s): give both files the same kind of coordinates",
					repSpace, coordNames(repSpace), in.space, coordNames(in.space))}
		}
	}
	return in, nil
}

func coordNames(s territory.Space) string {
	if s == territory.Planar {
		return "x/y"
	}
	return "lat/lon"
}

// readAccounts reads the accounts from path, or from env.In for "-".
func readAccounts(env Env, path string, opt tabular.Options) (territory.Accounts, territory.Space, error) {
	if path == "-" {
		return tabular.ReadAccounts(env.In, "stdin", opt)
	}
	return tabular.ReadAccountsFile(path, opt)
}

// readReps reads the reps from path, or from env.In for "-".
func readReps(env Env, path string, opt tabular.Options) ([]territory.Rep, territory.Space, error) {
	if path == "-" {
		return tabular.ReadReps(env.In, "stdin", opt)
	}
	return tabular.ReadRepsFile(path, opt)
}

// ruleMeasures lists the measures the rules balance, for the readers.
func ruleMeasures(rules []territory.BalanceRule) []string {
	var names []string
	for _, r := range rules {
		names = append(names, r.Measure)
	}
	return names
}

// buildProblem puts the problem together: the territories from the reps or
// -k, and the default objective and centre.
func buildProblem(opts *solveOptions, in *solveInputs, rules []territory.BalanceRule) (*territory.Problem, error) {
	p := &territory.Problem{
		Space:    in.space,
		Accounts: in.accounts,
		Rules:    rules,
	}
	n := in.accounts.Len()
	if in.reps != nil {
		if opts.K > 0 && opts.K != len(in.reps) {
			return nil, usageErrorf("-k %d does not match the %d reps in %s: leave out -k, or give one rep per territory",
				opts.K, len(in.reps), in.repsName)
		}
		p.Reps = in.reps
	} else {
		p.Reps = make([]territory.Rep, opts.K)
		for k := range p.Reps {
			p.Reps[k] = territory.Rep{ID: p.TerritoryID(k), Capacity: 1}
		}
	}
	if opts.K > n {
		return nil, usageErrorf("-k %d is more than the %d accounts: every territory needs at least one account", opts.K, n)
	}

	p.Objective = territory.SSE
	if opts.Objective != "" {
		o, err := territory.ParseObjective(opts.Objective)
		if err != nil {
			return nil, usageErrorf("--objective: %w", err)
		}
		p.Objective = o
	}
	p.Center = territory.CenterMean
	if opts.Center != "" {
		c, err := territory.ParseCenter(opts.Center)
		if err != nil {
			return nil, usageErrorf("--center: %w", err)
		}
		p.Center = c
	} else if allHomes(p.Reps) {
		p.Center = territory.CenterHome
	}
	return p, nil
}

// allHomes reports whether there are reps and every one has a home.
func allHomes(reps []territory.Rep) bool {
	for _, r := range reps {
		if !r.HasHome {
			return false
		}
	}
	return len(reps) > 0
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
			line += fmt.Sprintf(" (worst %s: %s, %s %s of %s)", worst.Territory, formatLoad(worst.Load),
				formatLoad(worst.Excess), dir, formatLoad(worst.Limit))
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

// progressLine draws the solver's progress as one line on a terminal,
// rewritten in place: "\r<phase> <pct>%".
type progressLine struct {
	mu    sync.Mutex
	w     io.Writer
	last  string
	width int
}

func (p *progressLine) update(phase string, done float64) {
	pct := int(math.Floor(100 * math.Max(0, math.Min(1, done))))
	s := fmt.Sprintf("%s %d%%", phase, pct)
	p.mu.Lock()
	defer p.mu.Unlock()
	if s == p.last {
		return
	}
	pad := ""
	if n := p.width - len(s); n > 0 {
		pad = strings.Repeat(" ", n)
	}
	fmt.Fprintf(p.w, "\r%s%s", s, pad)
	p.last = s
	p.width = len(s)
}

// clear blanks the progress line, if one was drawn, so that what follows
// starts at the beginning of an empty line. A nil *progressLine does
// nothing.
func (p *progressLine) clear() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.width > 0 {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", p.width))
		p.last, p.width = "", 0
	}
}
