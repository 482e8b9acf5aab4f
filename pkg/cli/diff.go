package cli

import (
	"bufio"
	"cmp"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/territory-optimizer/territory/pkg/tabular"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// Output formats of `territory diff`.
const (
	diffText = "text"
	diffCSV  = "csv"
	diffJSON = "json"
)

// Kinds of change of one account between two plans.
const (
	changeMoved   = "moved"   // in both plans, in another territory
	changeAdded   = "added"   // only in the new plan
	changeRemoved = "removed" // only in the old plan
)

// diffOptions holds the settings of `territory diff`.
type diffOptions struct {
	Old, New string // plan files; "-" reads stdin

	AccountsFile   string // "" for none: no measures
	AccountsSheet  string
	AccountColumns map[string]string

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
		Short: "Show which accounts moved between two plans",
		Long: `Compare two plans, each an assignments file as 'territory solve' and
'territory evaluate' write it (assignments.csv: a header row with
account_id and territory_id, rep_id or both; other columns are ignored),
and list what changed:

  - every account that is in another territory in NEW than in OLD (moved),
    that is only in NEW (added) or only in OLD (removed): account, from, to,
    and with --accounts its measures;
  - every territory that gained or lost accounts: accounts before and
    after, gained, lost, and with --accounts the measures gained and lost;
  - totals.

A territory is matched by its rep_id when both files have that column
(territory ids are positions in the reps list, which another run may
order differently), else by its territory_id. A file that has both must
give every territory one rep: an account moved by hand needs both columns
changed.

--format text (the default) is for people: nothing on stdout when the
plans are the same. csv writes one row per changed account, sorted by id:
  account_id,change,from_territory_id,from_rep_id,to_territory_id,to_rep_id,MEASURE...
json writes the whole comparison as one object (old, new, matched_by,
measures, totals, accounts, territories, differs); see docs/formats.md.

--accounts reads the accounts (CSV, XLSX or GeoJSON, as 'territory solve'
reads them) for their measures; accounts of the plans that it lacks count
as 0, with a warning.

` + diffExitCodesHelp,
		Example: `  # what moved from today's alignment (the workbook's Current Rep column) to a solved plan,
  # with the revenue and workload that moved
  territory evaluate --accounts testdata/examples/accounts.xlsx --accounts-sheet Accounts \
      --reps testdata/examples/accounts.xlsx --reps-sheet Reps --balance "Annual Revenue:5%" -o today
  territory solve --accounts testdata/examples/accounts.xlsx --accounts-sheet Accounts \
      --reps testdata/examples/accounts.xlsx --reps-sheet Reps --balance "Annual Revenue:5%" -o new
  territory diff --accounts testdata/examples/accounts.xlsx --accounts-sheet Accounts \
      today/assignments.csv new/assignments.csv

  # fail a CI job when the demo's plan is no longer the one checked in
  territory solve --demo -o out --formats csv
  territory diff --exit-code pkg/cli/testdata/demo/assignments.csv out/assignments.csv

  # the same comparison for tools
  territory diff --format json pkg/cli/testdata/demo/assignments.csv out/assignments.csv`,
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
	for _, p := range []string{o.Old, o.New, o.AccountsFile} {
		if p == "-" {
			stdin++
		}
	}
	if stdin > 1 {
		return usageErrorf("only one of OLD, NEW and --accounts can read stdin")
	}
	if o.Old == "" || o.New == "" {
		return usageErrorf("OLD and NEW must name files")
	}
	for k := range o.AccountColumns {
		if !slices.Contains(accountColumnKeys, k) {
			return usageErrorf("--columns: unknown key %q (expected %s)", k, orList(accountColumnKeys))
		}
	}
	if o.AccountsFile == "" && (o.AccountsSheet != "" || o.AccountColumns != nil) {
		return usageErrorf("--accounts-sheet and --columns need --accounts FILE")
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
	var d *planDiff
	var values *accountValues
	err := interruptible(ctx, func() (err error) {
		d, values, err = readDiff(ctx, env, opts)
		return err
	})
	if err != nil {
		return err
	}
	if d.missing > 0 {
		fmt.Fprintf(env.Err, "warning: %d %s of the plans %s not in %q: %s measures count as 0 (first: %q)\n",
			d.missing, plural(d.missing, "account", "accounts"), plural(d.missing, "is", "are"),
			values.source, plural(d.missing, "its", "their"), d.firstMissing)
	}

	w := bufio.NewWriter(env.Out)
	switch opts.Format {
	case diffCSV:
		err = writeDiffCSV(w, d)
	case diffJSON:
		err = writeDiffJSON(w, d)
	default:
		err = writeDiffText(w, d)
		if err == nil && !d.differs() {
			fmt.Fprintf(env.Err, "no differences: %s in both plans\n", countNoun(d.Totals.Old, "account", "accounts"))
		}
	}
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		return fmt.Errorf("write diff: %w", err)
	}
	if opts.ExitCode && d.differs() {
		return errDiffers
	}
	return nil
}

// readDiff reads the plans and the accounts that opts name and compares the
// plans.
func readDiff(ctx context.Context, env Env, opts *diffOptions) (*planDiff, *accountValues, error) {
	warn := func(e *territory.InputError) { fmt.Fprintln(env.Err, warningPrefix+e.Error()) }
	oldPlan, oldErr := readPlanPath(opts.Old, env.In, warn)
	newPlan, newErr := readPlanPath(opts.New, env.In, warn)
	var values *accountValues
	var accErr error
	if opts.AccountsFile != "" {
		values, accErr = readAccountValues(ctx, env, opts)
		if isCancel(accErr) {
			return nil, nil, accErr
		}
	}
	if err := errors.Join(oldErr, newErr, accErr); err != nil {
		return nil, nil, err
	}
	d, err := diffPlans(oldPlan, newPlan, values)
	return d, values, err
}

// accountValues are the measures of the accounts, by account id.
type accountValues struct {
	source   string
	measures []string // column names, in the accounts' order
	index    map[string]int
	values   [][]float64 // [measure][account]
}

// readAccountValues reads --accounts for its measures, as `territory
// solve` reads accounts.
func readAccountValues(ctx context.Context, env Env, opts *diffOptions) (*accountValues, error) {
	probs := &problemList{}
	in := readInput{env: env, path: opts.AccountsFile, sheet: opts.AccountsSheet, columns: opts.AccountColumns, probs: probs}
	a, _, _, info, err := in.accounts(ctx)
	for _, w := range probs.warnings() {
		fmt.Fprintln(env.Err, w.line())
	}
	if err != nil {
		return nil, err
	}
	v := &accountValues{source: info.Name, index: make(map[string]int, a.Len())}
	for i, id := range a.IDs {
		v.index[id] = i
	}
	for _, m := range a.Measures {
		v.measures = append(v.measures, m.Column)
		v.values = append(v.values, m.Values)
	}
	return v, nil
}

// place is where an account is in one plan: its territory and rep, each
// "" when the file does not say.
type place struct {
	Territory string `json:"territory_id"`
	Rep       string `json:"rep_id"`
}

// String writes a place for people: "T03 (R03)", or the one id known, or
// one id when both are the same.
func (p place) String() string {
	switch {
	case p.Territory == "" && p.Rep == "":
		return "-"
	case p.Territory == "" || p.Rep == "" || p.Territory == p.Rep:
		return cmp.Or(p.Territory, p.Rep)
	}
	return p.Territory + " (" + p.Rep + ")"
}

// accountChange is one account that changed between the plans.
type accountChange struct {
	ID     string
	Change string // moved, added or removed
	From   place  // zero when added
	To     place  // zero when removed
	Values []float64
}

// territoryChange sums up what one territory gained and lost.
type territoryChange struct {
	Territory, Rep string
	Old, New       int // accounts in the territory in each plan
	Gained, Lost   int // accounts moved in or added; moved out or removed
	// GainedValues and LostValues sum the measures of those accounts.
	GainedValues, LostValues []float64
}

// diffTotals counts the accounts of the comparison.
type diffTotals struct {
	Old, New                         int // accounts in each plan
	Unchanged, Moved, Added, Removed int
	// MovedValues sums the measures of the moved accounts.
	MovedValues []float64
}

// planDiff is the comparison of two plans.
type planDiff struct {
	Old, New    string
	MatchedBy   string   // rep_id or territory_id
	Measures    []string // with --accounts; nil otherwise
	Accounts    []accountChange
	Territories []territoryChange
	Totals      diffTotals

	missing      int    // accounts without measures
	firstMissing string // the first of them, by id
}

func (d *planDiff) differs() bool { return len(d.Accounts) > 0 }

// diffPlans compares two plans. values, when not nil, gives the accounts'
// measures.
func diffPlans(oldPlan, newPlan *tabular.PlanFile, values *accountValues) (*planDiff, error) {
	var key string
	switch {
	case oldPlan.HasRep && newPlan.HasRep:
		key = tabular.ColRepID
	case oldPlan.HasTerritory && newPlan.HasTerritory:
		key = tabular.ColTerritoryID
	default:
		return nil, &territory.InputError{What: "diff", File: newPlan.Name,
			Msg: fmt.Sprintf("nothing to match territories by: %q has only %s and %q only %s (give both files rep_id or territory_id)",
				oldPlan.Name, oldPlan.KeyColumn(), newPlan.Name, newPlan.KeyColumn())}
	}
	keyOf := func(f *tabular.PlanFile, i int) string {
		if key == tabular.ColRepID {
			return f.Reps[i]
		}
		return f.Territories[i]
	}
	placeOf := func(f *tabular.PlanFile, i int) place {
		var p place
		if f.HasTerritory {
			p.Territory = f.Territories[i]
		}
		if f.HasRep {
			p.Rep = f.Reps[i]
		}
		return p
	}

	d := &planDiff{Old: oldPlan.Name, New: newPlan.Name, MatchedBy: key}
	nm := 0
	if values != nil {
		d.Measures = values.measures
		nm = len(values.measures)
	}
	d.Totals.Old, d.Totals.New = oldPlan.Len(), newPlan.Len()
	d.Totals.MovedValues = make([]float64, nm)

	// Territories by key, with the place shown for them: the new plan's
	// when it has the territory, else the old one's.
	terr := map[string]*territoryChange{}
	territoryOf := func(k string, p place) *territoryChange {
		t := terr[k]
		if t == nil {
			t = &territoryChange{Territory: p.Territory, Rep: p.Rep,
				GainedValues: make([]float64, nm), LostValues: make([]float64, nm)}
			terr[k] = t
		}
		return t
	}
	for i := range newPlan.IDs {
		territoryOf(keyOf(newPlan, i), placeOf(newPlan, i)).New++
	}
	for i := range oldPlan.IDs {
		territoryOf(keyOf(oldPlan, i), placeOf(oldPlan, i)).Old++
	}

	valuesOf := func(id string) []float64 {
		if values == nil {
			return nil
		}
		v := make([]float64, nm)
		j, ok := values.index[id]
		if !ok {
			d.missing++
			if d.firstMissing == "" || territory.CompareIDs(id, d.firstMissing) < 0 {
				d.firstMissing = id
			}
			return v
		}
		for m := range v {
			v[m] = values.values[m][j]
		}
		return v
	}
	add := func(dst, v []float64) {
		for m := range v {
			dst[m] += v[m]
		}
	}

	for i, id := range oldPlan.IDs {
		j, ok := newPlan.Lookup(id)
		switch {
		case !ok:
			c := accountChange{ID: id, Change: changeRemoved, From: placeOf(oldPlan, i), Values: valuesOf(id)}
			t := territoryOf(keyOf(oldPlan, i), c.From)
			t.Lost++
			add(t.LostValues, c.Values)
			d.Totals.Removed++
			d.Accounts = append(d.Accounts, c)
		case keyOf(oldPlan, i) != keyOf(newPlan, j):
			c := accountChange{ID: id, Change: changeMoved, From: placeOf(oldPlan, i), To: placeOf(newPlan, j), Values: valuesOf(id)}
			from, to := territoryOf(keyOf(oldPlan, i), c.From), territoryOf(keyOf(newPlan, j), c.To)
			from.Lost++
			to.Gained++
			add(from.LostValues, c.Values)
			add(to.GainedValues, c.Values)
			add(d.Totals.MovedValues, c.Values)
			d.Totals.Moved++
			d.Accounts = append(d.Accounts, c)
		default:
			d.Totals.Unchanged++
		}
	}
	for j, id := range newPlan.IDs {
		if _, ok := oldPlan.Lookup(id); ok {
			continue
		}
		c := accountChange{ID: id, Change: changeAdded, To: placeOf(newPlan, j), Values: valuesOf(id)}
		t := territoryOf(keyOf(newPlan, j), c.To)
		t.Gained++
		add(t.GainedValues, c.Values)
		d.Totals.Added++
		d.Accounts = append(d.Accounts, c)
	}
	slices.SortFunc(d.Accounts, func(a, b accountChange) int { return territory.CompareIDs(a.ID, b.ID) })

	for _, t := range terr {
		if t.Gained > 0 || t.Lost > 0 {
			d.Territories = append(d.Territories, *t)
		}
	}
	slices.SortFunc(d.Territories, func(a, b territoryChange) int {
		if c := territory.CompareIDs(a.Territory, b.Territory); c != 0 {
			return c
		}
		return territory.CompareIDs(a.Rep, b.Rep)
	})
	return d, nil
}

// writeDiffText writes the comparison for people: a headline, the
// accounts that changed, the territories that gained or lost. Nothing
// when the plans are the same.
func writeDiffText(w io.Writer, d *planDiff) error {
	if !d.differs() {
		return nil
	}
	t := d.Totals
	head := fmt.Sprintf("%s of %s moved to another territory", countNoun(t.Moved, "account", "accounts"), grouped(float64(t.Old), 0))
	if t.Added > 0 || t.Removed > 0 {
		head += fmt.Sprintf("; %s added, %s removed", grouped(float64(t.Added), 0), grouped(float64(t.Removed), 0))
	}
	for m, name := range d.Measures {
		if t.Moved > 0 {
			head += fmt.Sprintf("; %s %s moved", grouped(t.MovedValues[m], 2), name)
		}
	}
	if _, err := fmt.Fprintln(w, head); err != nil {
		return err
	}

	acc := &textTable{}
	acc.row(append([]string{"account", "change", "from", "to"}, d.Measures...), 4)
	for _, c := range d.Accounts {
		r := []string{c.ID, c.Change, c.From.String(), c.To.String()}
		for _, v := range c.Values {
			r = append(r, grouped(v, 2))
		}
		acc.row(r, 4)
	}
	fmt.Fprintln(w)
	if err := acc.write(w); err != nil {
		return err
	}

	ter := &textTable{}
	h := []string{"territory", "rep", "before", "after", "gained", "lost"}
	for _, name := range d.Measures {
		h = append(h, name+" gained", name+" lost", name+" net")
	}
	ter.row(h, 2)
	for _, tc := range d.Territories {
		r := []string{cmp.Or(tc.Territory, "-"), cmp.Or(tc.Rep, "-"), grouped(float64(tc.Old), 0), grouped(float64(tc.New), 0),
			grouped(float64(tc.Gained), 0), grouped(float64(tc.Lost), 0)}
		for m := range d.Measures {
			r = append(r, grouped(tc.GainedValues[m], 2), grouped(tc.LostValues[m], 2), signed(tc.GainedValues[m]-tc.LostValues[m]))
		}
		ter.row(r, 2)
	}
	fmt.Fprintln(w)
	return ter.write(w)
}

// textTable is an aligned table: text columns left-aligned, numbers
// right-aligned.
type textTable struct {
	rows [][]string
	text int // the first text columns; the rest are numbers
}

func (t *textTable) row(cells []string, text int) {
	t.rows = append(t.rows, cells)
	t.text = text
}

func (t *textTable) write(w io.Writer) error {
	var width []int
	for _, r := range t.rows {
		for j, c := range r {
			if j >= len(width) {
				width = append(width, 0)
			}
			width[j] = max(width[j], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	for _, r := range t.rows {
		b.Reset()
		for j, c := range r {
			pad := strings.Repeat(" ", width[j]-utf8.RuneCountInString(c))
			if j > 0 {
				b.WriteString("  ")
			}
			if j < t.text {
				b.WriteString(c)
				if j < len(r)-1 {
					b.WriteString(pad)
				}
			} else {
				b.WriteString(pad + c)
			}
		}
		if _, err := fmt.Fprintln(w, b.String()); err != nil {
			return err
		}
	}
	return nil
}

// grouped writes v with thousands separators and at most prec decimals,
// trailing zeros dropped.
func grouped(v float64, prec int) string {
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	if s == "0" {
		sign = ""
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	b.WriteString(sign)
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteString("." + frac)
	}
	return b.String()
}

// signed writes a change with its sign: +12.5, -3, 0.
func signed(v float64) string {
	s := grouped(v, 2)
	if s != "0" && !strings.HasPrefix(s, "-") {
		return "+" + s
	}
	return s
}

// countNoun writes "1 account" or "1,234 accounts".
func countNoun(n int, one, many string) string {
	return grouped(float64(n), 0) + " " + plural(n, one, many)
}

// writeDiffCSV writes one row per changed account, sorted by id:
// account_id, change, from_territory_id, from_rep_id, to_territory_id,
// to_rep_id and the value of every measure (with --accounts).
func writeDiffCSV(w io.Writer, d *planDiff) error {
	cw := csv.NewWriter(w)
	header := []string{"account_id", "change", "from_territory_id", "from_rep_id", "to_territory_id", "to_rep_id"}
	if err := cw.Write(append(header, d.Measures...)); err != nil {
		return err
	}
	for _, c := range d.Accounts {
		rec := []string{c.ID, c.Change, c.From.Territory, c.From.Rep, c.To.Territory, c.To.Rep}
		for _, v := range c.Values {
			rec = append(rec, strconv.FormatFloat(v, 'f', -1, 64))
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// The JSON form of a comparison.
type (
	diffDoc struct {
		Old         string         `json:"old"`
		New         string         `json:"new"`
		MatchedBy   string         `json:"matched_by"`
		Measures    []string       `json:"measures"`
		Totals      diffTotalsDoc  `json:"totals"`
		Accounts    []accountDoc   `json:"accounts"`
		Territories []territoryDoc `json:"territories"`
		Differs     bool           `json:"differs"`
	}
	diffTotalsDoc struct {
		OldAccounts int                    `json:"old_accounts"`
		NewAccounts int                    `json:"new_accounts"`
		Unchanged   int                    `json:"unchanged"`
		Moved       int                    `json:"moved"`
		Added       int                    `json:"added"`
		Removed     int                    `json:"removed"`
		MovedValues map[string]json.Number `json:"moved_measures"`
	}
	accountDoc struct {
		ID       string                 `json:"account_id"`
		Change   string                 `json:"change"`
		From     *place                 `json:"from"` // null when added
		To       *place                 `json:"to"`   // null when removed
		Measures map[string]json.Number `json:"measures,omitempty"`
	}
	territoryDoc struct {
		Territory   string                `json:"territory_id"`
		Rep         string                `json:"rep_id"`
		OldAccounts int                   `json:"old_accounts"`
		NewAccounts int                   `json:"new_accounts"`
		Gained      int                   `json:"gained"`
		Lost        int                   `json:"lost"`
		Measures    []territoryMeasureDoc `json:"measures"`
	}
	territoryMeasureDoc struct {
		Measure string      `json:"measure"`
		Gained  json.Number `json:"gained"`
		Lost    json.Number `json:"lost"`
		Net     json.Number `json:"net"`
	}
)

// writeDiffJSON writes the comparison as one JSON object, indented by two
// spaces, lists [] rather than null, numbers rounded to six decimals.
func writeDiffJSON(w io.Writer, d *planDiff) error {
	doc := diffDoc{
		Old: d.Old, New: d.New, MatchedBy: d.MatchedBy,
		Measures: append([]string{}, d.Measures...),
		Totals: diffTotalsDoc{OldAccounts: d.Totals.Old, NewAccounts: d.Totals.New, Unchanged: d.Totals.Unchanged,
			Moved: d.Totals.Moved, Added: d.Totals.Added, Removed: d.Totals.Removed, MovedValues: map[string]json.Number{}},
		Accounts:    []accountDoc{},
		Territories: []territoryDoc{},
		Differs:     d.differs(),
	}
	var bad error
	num := func(v float64) json.Number {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			bad = fmt.Errorf("a measure sums to %v", v)
			return "0"
		}
		return json.Number(jsonFloat(v))
	}
	for m, name := range d.Measures {
		doc.Totals.MovedValues[name] = num(d.Totals.MovedValues[m])
	}
	for _, c := range d.Accounts {
		a := accountDoc{ID: c.ID, Change: c.Change}
		if c.Change != changeAdded {
			a.From = &c.From
		}
		if c.Change != changeRemoved {
			a.To = &c.To
		}
		if d.Measures != nil {
			a.Measures = map[string]json.Number{}
			for m, name := range d.Measures {
				a.Measures[name] = num(c.Values[m])
			}
		}
		doc.Accounts = append(doc.Accounts, a)
	}
	for _, t := range d.Territories {
		td := territoryDoc{Territory: t.Territory, Rep: t.Rep, OldAccounts: t.Old, NewAccounts: t.New,
			Gained: t.Gained, Lost: t.Lost, Measures: []territoryMeasureDoc{}}
		for m, name := range d.Measures {
			td.Measures = append(td.Measures, territoryMeasureDoc{Measure: name,
				Gained: num(t.GainedValues[m]), Lost: num(t.LostValues[m]), Net: num(t.GainedValues[m] - t.LostValues[m])})
		}
		doc.Territories = append(doc.Territories, td)
	}
	if bad != nil {
		return bad
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// jsonFloat writes v in plain decimal notation rounded to six decimals,
// trailing zeros dropped, never "-0".
func jsonFloat(v float64) string {
	s := strconv.FormatFloat(v, 'f', 6, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" || s == "" {
		return "0"
	}
	return s
}
