package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/territory-optimizer/territory/pkg/derive"
	"github.com/territory-optimizer/territory/pkg/features"
	"github.com/territory-optimizer/territory/pkg/plandiff"
	"github.com/territory-optimizer/territory/pkg/tabular"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// Output formats of `territory diff`.
const (
	diffText = "text"
	diffCSV  = "csv"
	diffJSON = "json"
)

// diffOptions holds the settings of `territory diff`.
type diffOptions struct {
	Old, New string // plan files; "-" reads stdin

	AccountsFile   string // "" for none: no measures
	AccountsSheet  string
	AccountColumns map[string]string
	Measures       []*derive.Measure // derived measures of the accounts
	// UnitsFile, for unit tables, is the layer the accounts are placed in
	// to sum their measures by unit; "" for none. UnitID names its id
	// property.
	UnitsFile, UnitID string
	Edits             string // edits file; "" for none

	Format   string // text, csv or json
	ExitCode bool   // exit 1 when the plans differ
}

const diffExitCodesHelp = `Exit codes:
  0    done (without --exit-code: whether or not the plans differ)
  1    error: a file could not be read or is wrong
  2    usage: bad flags or arguments
  130  interrupted (SIGINT, Ctrl-C)
  143  terminated (SIGTERM)

With --exit-code, as 'git diff --exit-code' and diff(1):
  0    the plans are the same
  1    the plans differ
  2    error of any kind: usage, a file that cannot be read or is wrong
  130  interrupted (SIGINT, Ctrl-C)
  143  terminated (SIGTERM)`

func newDiffCmd(env Env, runF func(context.Context, *diffOptions) error) *cobra.Command {
	opts := &diffOptions{}
	cmd := &cobra.Command{
		Use:   "diff OLD NEW [flags]",
		Short: "Show which accounts (or units) moved between two plans",
		Long: `Compare two plans, each an assignments file as 'territory solve' and
'territory evaluate' write it (assignments.csv: a header row with
account_id and territory_id, rep_id or both; other columns are ignored;
CSV (comma, semicolon, tab or bar; UTF-8 or UTF-16) or a workbook such as
report.xlsx, whose first sheet with those columns is read), or each a unit
table (units.csv of a run with --units: unit_id instead of account_id),
and list what changed:

  - every account that is in another territory in NEW than in OLD (moved),
    that is only in NEW (added) or only in OLD (removed): account, from, to,
    and with --accounts its measures;
  - every territory that gained or lost accounts: accounts before and
    after, gained, lost, and with --accounts the measures gained and lost;
  - totals.

A territory is matched by its rep_id when both files have that column
(territory ids are positions in the reps list, which another run may
order differently), else by its territory_id. A file that has both gives
every territory one rep: a row whose territory column alone was changed is
read as moved to that territory, with its rep, and a warning names it; a row
whose columns truly conflict (a rep no territory has, a territory whose rows
name two reps as often) is an error naming it. See docs/formats.md.

--format text (the default) is for people: nothing on stdout when the
plans are the same. csv writes one row per changed account, sorted by id:
  account_id,change,from_territory_id,from_rep_id,to_territory_id,to_rep_id,MEASURE...
json writes the whole comparison as one object (old, new, matched_by,
measures, totals, accounts, territories, differs); see docs/formats.md.

--accounts reads the accounts (CSV, XLSX or GeoJSON, as 'territory solve'
reads them) for their measures, with the derived measures of --measure;
accounts of the plans that it lacks count as 0, with a warning.

Two unit tables are compared unit by unit, in the words of units: the units
that moved, were added or removed, and those that became split or whole (a
split unit's territory is its default owner; the split column shows the
change); each territory's units before and after, gained and lost. csv
writes unit_id and, after to_rep_id, from_split and to_split; json writes
units[] and old_units, new_units, became_split and became_whole. With
--accounts and --units FILE (the layer, --unit-id NAME naming its id
property, as for solve), the accounts are placed in the units as solve
places them, and every unit carries the number of its accounts (accounts)
and the sums of their measures; with --accounts alone, its rows are taken
to be the units themselves, by id (a layer of polygons with measures, such
as counties.geojson); without --accounts, units are counted only. A unit
table and an account table are not compared: that, --units with account
tables and --edits with unit tables are usage errors (exit 2).

--edits FILE tells the changes that edits made by hand (an edits file, as
'territory solve --fix' keeps them: account_id and territory_id or rep_id)
from those that came with them, such as the rebalance of solve --fix: every
changed account gets a cause, edit (NEW has it where an edit puts it),
rebalance (no edit names it) or not as edited (an edit names it, but NEW has
it elsewhere), in a column of its own (text and csv: cause; json: cause,
and an edits object with the counts), and the edits that NEW does not keep
are listed after the territories (json: edits.not_kept). The edits'
territories are matched with NEW's by territory_id when both files have it,
else by rep_id.

` + diffExitCodesHelp,
		Example: `  # what moved from today's alignment (the workbook's Current Rep column) to a solved plan,
  # with the revenue and workload that moved
  territory evaluate --accounts testdata/examples/accounts.xlsx --accounts-sheet Accounts \
      --reps testdata/examples/accounts.xlsx --reps-sheet Reps --balance "Annual Revenue:5%" -o today
  territory solve --accounts testdata/examples/accounts.xlsx --accounts-sheet Accounts \
      --reps testdata/examples/accounts.xlsx --reps-sheet Reps --balance "Annual Revenue:5%" -o new
  territory diff --accounts testdata/examples/accounts.xlsx --accounts-sheet Accounts \
      today/assignments.csv new/assignments.csv

  # the same, with the hours that moved: Workload Hours plus half an hour of travel per account
  territory diff --accounts testdata/examples/accounts.xlsx --accounts-sheet Accounts \
      --measure "hours=workload_hours+0.5" today/assignments.csv new/assignments.csv

  # fail a CI job when the demo's plan is no longer the one checked in
  territory solve --demo -o out --formats csv
  territory diff --exit-code pkg/cli/testdata/demo/assignments.csv out/assignments.csv

  # the same comparison for tools
  territory diff --format json pkg/cli/testdata/demo/assignments.csv out/assignments.csv

  # what six edits made by hand on the demo's plan moved, and what the rebalance around them moved
  territory solve --demo --plan pkg/cli/testdata/demo/assignments.csv \
      --fix testdata/examples/demo-edits.csv -o fixed
  territory diff --edits testdata/examples/demo-edits.csv pkg/cli/testdata/demo/assignments.csv fixed/assignments.csv

  # which counties change territory when workload is balanced too, with the accounts and revenue they carry
  territory solve --accounts testdata/examples/county_accounts.csv --units testdata/examples/counties.geojson \
      -k 8 --balance revenue:5% --formats csv -o by-county
  territory solve --accounts testdata/examples/county_accounts.csv --units testdata/examples/counties.geojson \
      -k 8 --balance revenue:5% --balance workload:5% --formats csv -o by-county-hours
  territory diff --accounts testdata/examples/county_accounts.csv --units testdata/examples/counties.geojson \
      by-county/units.csv by-county-hours/units.csv`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 2 {
				return usageErrorf("%s takes two plan files, OLD and NEW; got %d %s", cmd.CommandPath(), len(args), plural(len(args), "argument", "arguments"))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Old, opts.New = args[0], args[1]
			err := opts.check()
			if err == nil {
				if runF != nil {
					err = runF(cmd.Context(), opts)
				} else {
					err = runDiff(cmd.Context(), env, opts)
				}
			}
			if opts.ExitCode && err != nil && !errors.Is(err, errDiffers) {
				return &troubleError{err: err}
			}
			return err
		},
	}
	f := cmd.Flags()
	f.SortFlags = false
	f.StringVar(&opts.AccountsFile, "accounts", "", "read the accounts' measures from `FILE`: CSV, XLSX or GeoJSON")
	f.StringVar(&opts.AccountsSheet, "accounts-sheet", "", "XLSX: read the accounts from sheet `NAME`")
	f.Var(&columnsValue{m: &opts.AccountColumns}, "columns", "map account columns by key (as for solve; e.g. 'id=\"Account ID\"')")
	addMeasureFlag(f, &opts.Measures)
	f.StringVar(&opts.UnitsFile, "units", "", "unit tables: place the accounts in the units of layer `FILE` (GeoJSON polygons)\nand sum their measures by unit")
	f.StringVar(&opts.UnitID, "unit-id", "", "the layer's property `NAME` that holds the unit ids (as for solve)")
	f.StringVar(&opts.Edits, "edits", "", "tell the moves of the edits in `FILE` (as for solve --fix) from the others")
	f.StringVar(&opts.Format, "format", diffText, "write the comparison as `FORMAT`: text, csv or json")
	f.BoolVar(&opts.ExitCode, "exit-code", false, "exit 1 when the plans differ, 0 when they are the same, 2 on any error")
	return cmd
}

// check validates the flags on their own.
func (o *diffOptions) check() error {
	switch o.Format {
	case diffText, diffCSV, diffJSON:
	default:
		return usageErrorf("--format: unknown format %q (expected text, csv or json)", o.Format)
	}
	stdin := 0
	for _, p := range []string{o.Old, o.New, o.AccountsFile, o.UnitsFile, o.Edits} {
		if p == "-" {
			stdin++
		}
	}
	if stdin > 1 {
		return usageErrorf("only one of OLD, NEW, --accounts, --units and --edits can read stdin")
	}
	if o.Old == "" || o.New == "" {
		return usageErrorf("OLD and NEW must name files")
	}
	for k := range o.AccountColumns {
		if !slices.Contains(accountColumnKeys, k) {
			return usageErrorf("--columns: unknown key %q (expected %s)", k, orList(accountColumnKeys))
		}
	}
	if o.AccountsFile == "" && (o.AccountsSheet != "" || o.AccountColumns != nil || o.Measures != nil || o.UnitsFile != "") {
		return usageErrorf("--accounts-sheet, --columns, --measure and --units need --accounts FILE")
	}
	if o.UnitID != "" && o.UnitsFile == "" {
		return usageErrorf("--unit-id names the id property of the layer of --units FILE: give --units")
	}
	if err := derive.Check(o.Measures); err != nil {
		return usageErrorf("--measure: %w", err)
	}
	return nil
}

// orList writes "a, b or c".
func orList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

func runDiff(ctx context.Context, env Env, opts *diffOptions) error {
	// Plans of a million rows take seconds to read and compare: return as
	// soon as ctx ends.
	var d *plandiff.Diff
	var source string // the accounts' file
	err := interruptible(ctx, func() (err error) {
		d, source, err = readDiff(ctx, env, opts)
		return err
	})
	if err != nil {
		return err
	}
	one, many := d.Nouns()
	if d.Missing > 0 {
		hint := ""
		if d.Units && opts.UnitsFile == "" {
			hint = "; to sum the measures of the accounts in each unit, give the layer of units with --units FILE"
		}
		fmt.Fprintf(env.Err, "warning: %d %s of the plans %s not in %q: %s measures count as 0 (first: %q)%s\n",
			d.Missing, plural(d.Missing, one, many), plural(d.Missing, "is", "are"),
			source, plural(d.Missing, "its", "their"), d.FirstMissing, hint)
	}

	w := bufio.NewWriter(env.Out)
	switch opts.Format {
	case diffCSV:
		err = plandiff.WriteCSV(w, d)
	case diffJSON:
		err = plandiff.WriteJSON(w, d)
	default:
		err = plandiff.WriteText(w, d)
		if err == nil && !d.Differs() {
			fmt.Fprintf(env.Err, "no differences: %s in both plans\n", plandiff.Count(d.Totals.Old, one, many))
		}
	}
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		return fmt.Errorf("write diff: %w", err)
	}
	if opts.ExitCode && d.Differs() {
		return errDiffers
	}
	return nil
}

// readDiff reads the plans and the accounts that opts name and compares the
// plans; source names the file the measures come from: the accounts', or
// with --units the layer's ("" without --accounts). Plans that cannot be
// compared (a unit table with an account table, --units with account
// tables, --edits with unit tables) are a usage error, found before the
// accounts are read.
func readDiff(ctx context.Context, env Env, opts *diffOptions) (d *plandiff.Diff, source string, err error) {
	warn := func(e *territory.InputError) { fmt.Fprintln(env.Err, warningPrefix+e.Error()) }
	oldPlan, oldErr := readPlanPath(opts.Old, env.In, warn)
	newPlan, newErr := readPlanPath(opts.New, env.In, warn)
	var edits *tabular.PlanFile
	var editsErr error
	if opts.Edits != "" {
		edits, editsErr = readEditsPath(opts.Edits, env.In, warn)
	}
	if oldErr == nil && newErr == nil && editsErr == nil {
		if err := checkDiffTables(oldPlan, newPlan, edits, opts); err != nil {
			return nil, "", err
		}
	}
	var accounts *territory.Accounts
	var accErr error
	if opts.AccountsFile != "" {
		accounts, source, accErr = readDiffAccounts(ctx, env, opts)
		if isCancel(accErr) {
			return nil, "", accErr
		}
	}
	if err := errors.Join(oldErr, newErr, editsErr, accErr); err != nil {
		return nil, "", err
	}
	d, err = plandiff.CompareEdits(oldPlan, newPlan, edits, accounts)
	return d, source, err
}

// checkDiffTables checks that the plans read can be compared as opts ask:
// two unit tables or two account tables, edits with account tables only,
// and a layer of units (--units) with unit tables only. A mismatch is a
// usage error naming the files.
func checkDiffTables(oldPlan, newPlan, edits *tabular.PlanFile, opts *diffOptions) error {
	if err := plandiff.CheckTables(oldPlan, newPlan, edits); err != nil {
		return &usageError{err: err}
	}
	if opts.UnitsFile != "" && !oldPlan.Units {
		return usageErrorf("--units sums the accounts' measures by unit for unit tables, but %q and %q are account tables (account_id): leave out --units",
			oldPlan.Name, newPlan.Name)
	}
	return nil
}

// readDiffAccounts reads --accounts for its measures, as `territory solve`
// reads accounts, and prints its warnings. With --units it reads the layer
// too, places the accounts in its units as solve places them, and returns
// the measures of the units (plandiff.UnitMeasures) and the layer's name.
func readDiffAccounts(ctx context.Context, env Env, opts *diffOptions) (*territory.Accounts, string, error) {
	probs := &problemList{}
	defer func() {
		for _, w := range probs.warnings() {
			fmt.Fprintln(env.Err, w.line())
		}
	}()
	var layer *features.Layer
	var layerInfo inputInfo
	var layerErr error
	if opts.UnitsFile != "" {
		in := readInput{env: env, path: opts.UnitsFile, probs: probs}
		layer, layerInfo, layerErr = in.layer(ctx, opts.UnitID)
		if isCancel(layerErr) {
			return nil, "", layerErr
		}
	}
	in := readInput{env: env, path: opts.AccountsFile, sheet: opts.AccountsSheet, columns: opts.AccountColumns, derived: opts.Measures,
		unitColumns: unitColumnNames(opts.UnitsFile != "", layer), probs: probs}
	a, space, units, info, err := in.accounts(ctx)
	if err := errors.Join(layerErr, err); err != nil {
		return nil, info.Name, err
	}
	if layer == nil {
		return &a, info.Name, nil
	}
	if units != nil {
		return nil, info.Name, &territory.InputError{What: "read accounts", File: info.Name,
			Msg: "the accounts are polygon units themselves: with --units, give the accounts as points, or with the ids of their units"}
	}
	of, err := layer.Place(&a, space, a.UnitColumn, probs.warn)
	if err != nil {
		return nil, info.Name, err
	}
	u, err := plandiff.UnitMeasures(&layer.UnitLayer, &a, of)
	return u, layerInfo.Name, err
}
