package cli

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/territory-optimizer/territory/pkg/report"
	"github.com/territory-optimizer/territory/pkg/scenario"
	"github.com/territory-optimizer/territory/pkg/tabular"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// readEditsWhat is the What of the errors of an edits file (--fix).
const readEditsWhat = "read edits"

// planRows maps the rows of plan file f onto problem p: for every row (in
// file order), the index of its account and of its territory, matched by
// rep id when the file has a rep_id column, else by territory id; -1 where
// the row names an account or territory p does not have, which is added
// to errs with its row.
//
// An edits file (edits set) is matched by territory id when it has that
// column, as a plan edited by hand is read: the territory column decides.
// A row whose rep column names another rep than its territory's gets a
// warning (to warn; the first maxRepWarnings, then a count).
func planRows(p *territory.Problem, f *tabular.PlanFile, in *loaded, errs *territory.InputErrors,
	edits bool, warn func(*territory.InputError)) (accs, ters []int) {
	useRep := f.HasRep && !(edits && f.HasTerritory)
	byKey := make(map[string]int, p.K())
	var keys []string
	for k, r := range p.Reps {
		key := p.TerritoryID(k)
		if useRep {
			key = r.ID
		}
		byKey[key] = k
		keys = append(keys, key)
	}
	col := f.TerritoryCol
	if useRep {
		col = f.RepCol
	}
	key := func(j int) string {
		if useRep {
			return f.Reps[j]
		}
		return f.Territories[j]
	}
	stale := 0
	a := &p.Accounts
	index := make(map[string]int, a.Len())
	for i, id := range a.IDs {
		index[id] = i
	}
	accs, ters = make([]int, f.Len()), make([]int, f.Len())
	for j, id := range f.IDs {
		accs[j], ters[j] = -1, -1
		i, ok := index[id]
		if !ok {
			errs.AddError(&territory.InputError{What: errs.What, File: f.Name, Row: f.Rows[j], Column: f.AccountCol,
				Msg: fmt.Sprintf("account %q is not among the accounts in %q", id, a.Source)})
			continue
		}
		accs[j] = i
		k, ok := byKey[key(j)]
		if !ok {
			errs.AddError(&territory.InputError{What: errs.What, File: f.Name, Row: f.Rows[j], Column: col,
				Msg: unknownTerritoryMsg(useRep, key(j), keys, in)})
			continue
		}
		ters[j] = k
		if edits && f.HasRep && !useRep && f.Reps[j] != p.Reps[k].ID {
			if stale++; stale <= maxRepWarnings {
				warn(&territory.InputError{What: errs.What, File: f.Name, Row: f.Rows[j], Column: f.RepCol,
					Msg: fmt.Sprintf("account %q is edited into territory %q, whose rep is %q, not %q: the territory column decides", id, f.Territories[j], p.Reps[k].ID, f.Reps[j])})
			}
		}
	}
	if more := stale - maxRepWarnings; more > 0 {
		warn(&territory.InputError{What: errs.What, File: f.Name,
			Msg: fmt.Sprintf("%d more %s the rep of another territory than %s: the territory column decides", more, plural(more, "row names", "rows name"), plural(more, "its own", "their own"))})
	}
	return accs, ters
}

// maxRepWarnings is how many rows of an edits file whose rep is not their
// territory's are warned about one by one.
const maxRepWarnings = 20

// fixedRun is the problem of a `territory solve` run with --plan or --fix:
// today's plan, and what the solver is given.
type fixedRun struct {
	// today is the problem with today's plan as its owners (--plan, or
	// the accounts' owners; see startFrom): the reports count moves from
	// it.
	today *territory.Problem
	// solve is today with the edits applied and locked: what the solver
	// solves. It is today when there are no edits.
	solve *territory.Problem
	// fixes are the rows of the edits file, fixFile its name ("" without
	// --fix); edits are those that move an account from today's plan.
	fixes   []territory.Fix
	edits   []territory.Fix
	fixFile string
	// needStart is set when there are edits but no plan to start from:
	// the run solves without the edits first, and starts from that plan.
	needStart bool
	// rebalance is set when the edits are rebalanced from today's plan
	// (solve.Options.Rebalance).
	rebalance bool
	// from is today's territory of every account (-1 where unknown).
	from []int
	warn func(string)
}

// readFixFiles reads the files of --plan and --fix that s names (nil for
// a file not named), passing their warnings to probs and adding their
// errors to it.
func readFixFiles(s scenario.Settings, in io.Reader, probs *problemList) (plan, fix *tabular.PlanFile) {
	var err error
	if s.PlanFile != "" {
		if plan, err = readPlanPath(s.PlanFile, in, probs.warn); err != nil {
			probs.addErr(err)
		}
	}
	if s.FixFile != "" {
		if fix, err = readEditsPath(s.FixFile, in, probs.warn); err != nil {
			probs.addErr(err)
		}
	}
	return plan, fix
}

// readEditsPath reads the edits file at path ("-" reads in), passing its
// warnings to warn.
func readEditsPath(path string, in io.Reader, warn func(*territory.InputError)) (*tabular.PlanFile, error) {
	opt := tabular.Options{Warn: warn}
	if path == "-" {
		return tabular.ReadEdits(in, stdinName, opt)
	}
	return tabular.ReadEditsFile(path, opt)
}

// fixProblem puts the run together from the problem p and the plan and
// edits files read (either may be nil): today's plan is the plan file's,
// else the accounts' owners; the edits are the rows of the edits file
// that move an account from it. Without either, the run must solve
// without the edits first (needStart; see startFrom). Every problem of the
// files (an account or territory p lacks, an edit of a locked account) is
// returned, each with its file and row; warn takes what is worth a word
// but no error.
func fixProblem(p *territory.Problem, in *loaded, planFile, fixFile *tabular.PlanFile, warn func(string)) (*fixedRun, error) {
	r := &fixedRun{today: p, solve: p, warn: warn}
	if planFile != nil {
		assign, err := assignFromPlan(p, planFile, in)
		if err != nil {
			return nil, err
		}
		if hasOwners(&p.Accounts) {
			warn(fmt.Sprintf("the accounts' owners are not used: --plan %q is today's plan", planFile.Name))
		}
		r.today = p.WithPlan(assign)
		r.solve = r.today
	}
	r.from = r.today.OwnerTerritories()
	if fixFile == nil {
		return r, nil
	}
	r.fixFile = fixFile.Name
	errs := &territory.InputErrors{What: readEditsWhat, File: fixFile.Name, Stops: true}
	accs, ters := planRows(p, fixFile, in, errs, true, func(e *territory.InputError) { warn(e.Error()) })
	for j, i := range accs {
		if i >= 0 && ters[j] >= 0 {
			r.fixes = append(r.fixes, territory.Fix{Account: i, Territory: ters[j], Row: fixFile.Rows[j]})
		}
	}
	if !slices.ContainsFunc(r.from, func(k int) bool { return k >= 0 }) {
		// Nothing to start from: check the rows now, apply them to the
		// plan solved without them.
		if err := errs.Err(); err != nil {
			return nil, err
		}
		r.needStart = len(r.fixes) > 0
		if r.needStart {
			warn(fmt.Sprintf("edits %q: the accounts have no owners and there is no --plan: today's plan is taken to be the one "+
				"these inputs and settings make without the edits (give --plan FILE if the edits were made on another)", fixFile.Name))
		}
		return r, nil
	}
	return r, r.applyEdits(errs)
}

// startFrom makes assign, the plan solved without the edits, today's
// plan, and applies the edits to it.
func (r *fixedRun) startFrom(assign []int) error {
	r.today = r.today.WithPlan(assign)
	r.from = r.today.OwnerTerritories()
	r.needStart = false
	return r.applyEdits(&territory.InputErrors{What: readEditsWhat, File: r.fixFile, Stops: true})
}

// applyEdits applies the fixes to today's plan, adding the errors of the
// edits of locked accounts to errs, which holds the other problems of the
// edits file; it returns them all, in row order.
func (r *fixedRun) applyEdits(errs *territory.InputErrors) error {
	q, edits, err := r.today.WithFixes(r.fixes, r.fixFile)
	if u, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range u.Unwrap() {
			var ie *territory.InputError
			if errors.As(e, &ie) {
				errs.AddError(ie)
			}
		}
	}
	errs.SortByRow()
	if err := errs.Err(); err != nil {
		return err
	}
	r.solve, r.edits, r.rebalance = q, edits, true
	if len(edits) == 0 {
		r.warn(fmt.Sprintf("edits %q: no row moves an account from today's plan: nothing to keep fixed", r.fixFile))
	}
	return nil
}

// editsPhrase names the edits for the summary line and exit-3 messages:
// "around 6 edits of "edits.csv"".
func (r *fixedRun) editsPhrase() string {
	return fmt.Sprintf("around %d %s of %q", len(r.edits), plural(len(r.edits), "edit", "edits"), r.fixFile)
}

// piecesNote says which territories of plan assign are in more than one
// piece, and which edits moved accounts into or out of them: "T03, T07;
// edits into or out of them: A00137 (T03 -> T07)".
func (r *fixedRun) piecesNote(m *report.Metrics, assign []int) string {
	p := r.today
	var split []string
	inPieces := make(map[int]bool)
	for k, ts := range m.Shape.Territories {
		if ts.Pieces > 1 {
			split = append(split, p.TerritoryID(k))
			inPieces[k] = true
		}
	}
	if len(split) == 0 {
		return ""
	}
	note := fmt.Sprintf("%d %s in more than one piece: %s", len(split), plural(len(split), "territory", "territories"), rangeOf(split))
	var culprits []string
	for _, e := range r.edits {
		from := r.from[e.Account]
		if inPieces[e.Territory] || from >= 0 && inPieces[from] {
			name := "-"
			if from >= 0 {
				name = p.TerritoryID(from)
			}
			culprits = append(culprits, fmt.Sprintf("%s (%s -> %s)", p.Accounts.IDs[e.Account], name, p.TerritoryID(assign[e.Account])))
		}
	}
	if len(culprits) > 0 {
		more := ""
		if len(culprits) > 5 {
			more = fmt.Sprintf(" and %d more", len(culprits)-5)
			culprits = culprits[:5]
		}
		note += "; the edits into or out of them: " + strings.Join(culprits, ", ") + more
	}
	return note
}

// movedBesides counts the accounts that plan assign puts elsewhere than
// today's plan with the edits applied: the rebalance's own moves.
func (r *fixedRun) movedBesides(assign []int) int {
	n := 0
	for i, k := range r.solve.OwnerTerritories() {
		if k >= 0 && assign[i] != k {
			n++
		}
	}
	return n
}

// fixSummary is the part of the summary line about the edits: "around 6
// edits of "edits.csv" (1 more account moved)".
func (r *fixedRun) fixSummary(assign []int) string {
	s := " " + r.editsPhrase()
	if r.rebalance {
		n := r.movedBesides(assign)
		s += " (" + strconv.Itoa(n) + " more " + plural(n, "account", "accounts") + " moved)"
	}
	return s
}

// checkFixFiles reads today's plan and the edits that s names, as solve
// reads them, and adds their problems to probs: for `territory validate`.
// They are checked against the problem when the inputs have no error and
// name the territories (reps or -k).
func checkFixFiles(s scenario.Settings, env Env, l *loaded, probs *problemList) {
	planFile, fixFile := readFixFiles(s, env.In, probs)
	if errs, _ := probs.counts(); errs > 0 || l == nil || l.problem == nil || l.reps == nil && s.Territories == 0 && !s.Demo {
		return
	}
	if planFile == nil && fixFile == nil {
		return
	}
	_, err := fixProblem(l.problem, l, planFile, fixFile, func(msg string) {
		probs.list = append(probs.list, problem{Severity: severityWarning, Message: msg, Text: msg})
	})
	probs.addErr(err)
}
