package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/territory-optimizer/territory/pkg/scenario"
)

// Output formats of `territory validate`.
const (
	validateText = "text"
	validateJSON = "json"
)

// validateOptions holds the settings of `territory validate`.
type validateOptions struct {
	inputOptions
	Plan   string // today's plan, as for solve; "" for none
	Fix    string // edits, as for solve; "" for none
	Format string // text or json
}

// settings returns what the flags hold, as scenario.Override takes them.
func (o *validateOptions) settings() scenario.Settings {
	s := o.inputOptions.settings()
	s.PlanFile, s.FixFile = o.Plan, o.Fix
	return s
}

func newValidateCmd(env Env, runF func(context.Context, *validateOptions) error) *cobra.Command {
	opts := &validateOptions{}
	cmd := &cobra.Command{
		Use:   "validate (--accounts FILE [--reps FILE] | --config FILE) [flags]",
		Short: "Check input files and list every problem, without solving",
		Long: `Read the accounts and reps as 'territory solve' reads them, check them
against the balance rules and territories given, and list every problem
found, not just the first, without solving.

Errors are what 'territory solve' refuses, with the same message: files
that cannot be read or are not what their name says, missing id or location
columns, empty or duplicate ids, values that are not numbers (or NaN, or
infinite) in a measure, negative values in a balanced measure, latitudes
and longitudes out of range, rows with too few or too many fields, owners
that are not among the reps, invalid locked values, invalid polygons
(unclosed or self-intersecting rings), a rule on a measure the accounts do
not have, a derived measure (--measure) that reads a column the accounts
lack or that divides by zero or gives NaN or an infinity for some account,
a limit on moves without owners, a bad scenario file (each problem with
its line), and in today's plan and the edits (--plan, --fix, or the
scenario's plan and fix, read as 'territory solve' reads them) an account
or territory there is not, an account missing from the plan, an edit of a
locked account.

Warnings do not fail: accounts at exactly 0,0 (usually a missing
location), a measure that is 0 for every account, accounts sharing a
location, a column of numbers with a cell that is not one (the column is
then no measure), a '"' inside a CSV field that is not quoted (read as
written), a workbook or JSON named .csv (read as what it is), a
sheet given for a file that is not a workbook, owners without reps to
match them.

Problems go to stderr, one per line, errors first, each naming the file,
the row (as a spreadsheet numbers it; for GeoJSON the feature) and the
column; then a last line counts them: "2 errors, 1 warning". With --format
json the problems go to stdout as one JSON object instead (valid, errors,
warnings, accounts, reps, problems[] with severity, file, row, column,
message and text), for tools. In text form stdout says what was read.

Without --reps or -k the accounts are checked on their own.

` + exitCodesHelp + `

validate exits 1 when there is an error, 0 when there are only warnings.`,
		Example: `  # a workbook holding the accounts and the reps on two sheets
  territory validate --accounts testdata/examples/accounts.xlsx --accounts-sheet Accounts \
      --reps testdata/examples/accounts.xlsx --reps-sheet Reps --balance "Annual Revenue:5%"

  # counties as polygon units, for a JSON listing of the problems
  territory validate --accounts testdata/examples/counties.geojson -k 8 --balance pop2010:5% --format json

  # a derived measure, people per square mile of land, checked for every county
  territory validate --accounts testdata/examples/counties.geojson --measure "density=pop2010/aland_sqmi"

  # everything a scenario file names, as 'territory solve --config' would read it
  territory example -o demo && territory validate --config demo/scenario.yaml`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Changed = changedFlags(cmd.Flags())
			if err := opts.check(); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runValidate(cmd.Context(), env, opts)
		},
	}
	f := cmd.Flags()
	f.SortFlags = false
	addInputFlags(f, &opts.inputOptions)
	f.StringVar(&opts.Plan, "plan", "", "check today's plan in assignments `FILE`, as solve --plan reads it")
	f.StringVar(&opts.Fix, "fix", "", "check the edits in `FILE`, as solve --fix reads them")
	addTerritoryFlags(f, &opts.inputOptions)
	f.StringVar(&opts.Format, "format", validateText, "list the problems as `FORMAT`: text (stderr) or json (stdout)")
	return cmd
}

// check validates the flags on their own.
func (o *validateOptions) check() error {
	if o.Format != validateText && o.Format != validateJSON {
		return usageErrorf("--format: unknown format %q (expected text or json)", o.Format)
	}
	if err := checkFlags(o.settings(), o.Changed); err != nil {
		return err
	}
	if o.Config == "" {
		s, _, _ := resolveSettings("", o.settings(), o.Changed)
		if err := checkInputSettings(s, false, ""); err != nil {
			return err
		}
		return checkStdin(s)
	}
	return nil
}

func runValidate(ctx context.Context, env Env, opts *validateOptions) error {
	s, sc, err := resolveSettings(opts.Config, opts.settings(), opts.Changed)
	probs := &problemList{}
	var l *loaded
	if err == nil {
		if err := checkInputSettings(s, false, opts.Config); err != nil {
			return err
		}
		if err := checkStdin(s); err != nil {
			return err
		}
		var lerr error
		l, probs, lerr = loadProblem(ctx, env, s, sc, opts.Config, false)
		if lerr != nil {
			return lerr
		}
		checkFixFiles(s, env, l, probs)
	} else {
		// A scenario file that cannot be read or is wrong: its problems
		// are the listing.
		probs.addErr(err)
	}

	errs, warnings := probs.counts()
	list := probs.sorted()
	switch opts.Format {
	case validateJSON:
		doc := validateDoc{Valid: errs == 0, Errors: errs, Warnings: warnings, Problems: list}
		if doc.Problems == nil {
			doc.Problems = []problem{}
		}
		if l != nil {
			doc.Accounts, doc.Reps = describeJSON(l)
		}
		b, err := json.MarshalIndent(doc, "", "  ")
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(env.Out, "%s\n", b); err != nil {
			return err
		}
	default:
		if l != nil {
			for _, line := range describe(l) {
				fmt.Fprintln(env.Out, line)
			}
		}
		for _, p := range list {
			fmt.Fprintln(env.Err, p.line())
		}
	}
	fmt.Fprintln(env.Err, countLine(errs, warnings))
	if errs > 0 {
		return errReported
	}
	return nil
}

// validateDoc is the JSON form of `territory validate`.
type validateDoc struct {
	Valid    bool          `json:"valid"`
	Errors   int           `json:"errors"`
	Warnings int           `json:"warnings"`
	Accounts *accountsDesc `json:"accounts"` // null when the accounts could not be read
	Reps     *repsDesc     `json:"reps"`     // null without reps, or when they could not be read
	Problems []problem     `json:"problems"`
}

// accountsDesc says what was read from the accounts.
type accountsDesc struct {
	inputInfo
	Count    int      `json:"count"`
	Kind     string   `json:"kind"`  // points or units (polygons)
	Space    string   `json:"space"` // geographic or planar
	Measures []string `json:"measures"`
	Adjacent int      `json:"adjacent_pairs"` // units sharing a boundary; 0 for points
	Owners   int      `json:"owners"`         // accounts with an owner
	Locked   int      `json:"locked"`
}

// repsDesc says what was read from the reps.
type repsDesc struct {
	inputInfo
	Count    int     `json:"count"`
	Homes    int     `json:"homes"`
	Capacity float64 `json:"capacity"` // the sum of the capacities
}

func describeJSON(l *loaded) (*accountsDesc, *repsDesc) {
	var a *accountsDesc
	if l.accountsRead {
		a = &accountsDesc{inputInfo: l.accounts, Count: l.accts.Len(), Kind: "points", Space: l.space.String(),
			Measures: []string{}, Owners: nonEmpty(l.accts.Owners), Locked: countTrue(l.accts.Locked)}
		if l.units != nil {
			a.Kind = "units"
			a.Adjacent = len(l.units.Pairs())
		}
		for _, m := range l.accts.Measures {
			a.Measures = append(a.Measures, m.Name)
		}
	}
	var r *repsDesc
	if l.reps != nil && l.repsRead {
		r = &repsDesc{inputInfo: *l.reps, Count: len(l.repList)}
		for _, rep := range l.repList {
			if rep.HasHome {
				r.Homes++
			}
			r.Capacity += rep.Capacity
		}
	}
	return a, r
}

// describe says in a line each what was read, for the text listing.
func describe(l *loaded) []string {
	a, r := describeJSON(l)
	var lines []string
	if a != nil {
		kind := fmt.Sprintf("%d %s at %s points", a.Count, plural(a.Count, "account", "accounts"), coordNames(l.space))
		if a.Kind == "units" {
			kind = fmt.Sprintf("%d polygon %s (%d adjacent pairs)", a.Count, plural(a.Count, "unit", "units"), a.Adjacent)
		}
		line := fmt.Sprintf("accounts %s (%s): %s", strconv.Quote(a.Name), formatName(a.Format), kind)
		if len(a.Measures) > 0 {
			line += "; measures " + strings.Join(a.Measures, ", ")
		}
		if a.Owners > 0 {
			line += fmt.Sprintf("; %d with an owner", a.Owners)
		}
		if a.Locked > 0 {
			line += fmt.Sprintf(", %d locked", a.Locked)
		}
		lines = append(lines, line)
	}
	if r != nil {
		lines = append(lines, fmt.Sprintf("reps %s (%s): %d %s, %d with a home, capacities summing to %s",
			strconv.Quote(r.Name), formatName(r.Format), r.Count, plural(r.Count, "rep", "reps"), r.Homes, formatLoad(r.Capacity)))
	}
	if p := l.problem; p != nil && p.Grouped() {
		groups := p.Groups()
		parts := make([]string, len(groups))
		for i, g := range groups {
			parts[i] = fmt.Sprintf("%s (%d %s, %d %s)", g.Name, len(g.Accounts), plural(len(g.Accounts), "account", "accounts"),
				len(g.Reps), plural(len(g.Reps), "rep", "reps"))
		}
		lines = append(lines, fmt.Sprintf("%d %s by %s, solved apart: %s", len(groups), plural(len(groups), "group", "groups"),
			strconv.Quote(p.GroupColumn), strings.Join(parts, ", ")))
	}
	if len(l.rules) > 0 {
		lines = append(lines, "balance rules: "+strings.Join(ruleStrings(l.rules), ", "))
	}
	return lines
}

func nonEmpty(ss []string) int {
	n := 0
	for _, s := range ss {
		if s != "" {
			n++
		}
	}
	return n
}
