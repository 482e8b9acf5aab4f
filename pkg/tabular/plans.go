package tabular

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// Columns of a plan file (assignments.csv), as [WriteAssignments] writes
// them. Headers are matched after territory.NormalizeName, so "Account
// ID" is account_id; "account", "id", "territory" and "rep" are accepted
// too.
const (
	ColAccountID   = "account_id"
	ColTerritoryID = "territory_id"
	ColRepID       = "rep_id"
)

// planColumnAliases maps the normalised header names a plan file may use
// to the column they stand for.
var planColumnAliases = map[string]string{
	ColAccountID:   ColAccountID,
	"account":      ColAccountID,
	"id":           ColAccountID,
	ColTerritoryID: ColTerritoryID,
	"territory":    ColTerritoryID,
	ColRepID:       ColRepID,
	"rep":          ColRepID,
	ColUnitID:      ColUnitID,
}

// PlanFile is a plan as an assignments file gives it: one row per
// account, naming its territory, its rep or both. `territory diff`
// compares two; `territory evaluate` and `territory render` score and
// draw one.
type PlanFile struct {
	Name string // as given to the reader
	// HasTerritory and HasRep say which of the columns the file has; at
	// least one of them.
	HasTerritory, HasRep bool
	// AccountCol, TerritoryCol and RepCol are the headers as the file
	// spells them.
	AccountCol, TerritoryCol, RepCol string
	// Units says that the file is a unit table (units.csv, with a unit_id
	// column and no account_id): its IDs are unit ids, and every account
	// goes with its unit.
	Units bool
	// Split holds a unit table's split column (a unit whose accounts were
	// assigned one by one; its territory is its default owner); nil
	// without one.
	Split []bool

	// One entry per account, in file order. Territories or Reps is nil
	// when the file lacks the column.
	IDs         []string
	Territories []string
	Reps        []string
	Rows        []int // 1-based row, as a spreadsheet numbers rows

	index map[string]int // account id -> entry
}

// noun is what the file's rows are, for messages: "unit" in a unit
// table, else "account".
func (f *PlanFile) noun() string {
	if f.Units {
		return "unit"
	}
	return "account"
}

// Len is the number of accounts in the file.
func (f *PlanFile) Len() int { return len(f.IDs) }

// Lookup returns the entry of account id and whether the file has it.
func (f *PlanFile) Lookup(id string) (int, bool) {
	i, ok := f.index[id]
	return i, ok
}

// KeyColumn is the column that identifies a territory when plan files are
// matched against each other or against the reps: rep_id when the file
// has it (territory ids are positions in the reps list, which another run
// may order differently), else territory_id.
func (f *PlanFile) KeyColumn() string {
	if f.HasRep {
		return ColRepID
	}
	return ColTerritoryID
}

// Key returns the territory key of entry i (see KeyColumn).
func (f *PlanFile) Key(i int) string {
	if f.HasRep {
		return f.Reps[i]
	}
	return f.Territories[i]
}

// ReadPlanFile reads the plan file at path, as [ReadPlan] does. It refuses
// a directory and says why a file cannot be opened.
func ReadPlanFile(path string, opt Options) (*PlanFile, error) {
	return readPlanFile(path, opt, planKind)
}

// ReadEditsFile reads the edits file at path, as [ReadEdits] does.
func ReadEditsFile(path string, opt Options) (*PlanFile, error) {
	return readPlanFile(path, opt, editsKind)
}

func readPlanFile(path string, opt Options, k kind) (*PlanFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &territory.InputError{What: k.what(), File: path, Msg: planOpenMsg(err)}
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, &territory.InputError{What: k.what(), File: path, Msg: "is a directory, not a CSV file"}
	}
	return readPlanAs(f, path, opt, k)
}

// ReadEdits reads an edits file: the accounts a person moved, each with
// its new territory, as `territory solve --fix` keeps them. It is a plan
// file that need not list every account (a whole plan is one too), read
// as [ReadPlan] reads one, except that its territory and rep columns are
// not paired by what most rows say: most rows of an edits file are edits,
// so the rows say nothing about which rep a territory has, and the caller
// matches each row's territory as the problem has it. Its problems say
// "read edits".
func ReadEdits(r io.Reader, name string, opt Options) (*PlanFile, error) {
	return readPlanAs(r, name, opt, editsKind)
}

// planOpenMsg says why a plan file could not be opened, without repeating
// its name, in the words `territory diff` has always used for plan files.
func planOpenMsg(err error) string {
	if errors.Is(err, os.ErrNotExist) {
		return "no such file"
	}
	return strings.TrimPrefix(openMsg(err), "cannot open: ")
}

// ReadPlan reads a plan file: a table, CSV or XLSX as the accounts are
// read (byte order mark, UTF-16, the delimiter sniffed; for a workbook,
// the sheet opt.Sheet names, else the first whose header has the plan's
// columns, such as the Assignments sheet of report.xlsx), with a header
// row naming account_id and territory_id, rep_id or both (other columns,
// such as distance_km, are ignored), then one row per account. Blank rows
// are skipped. Only opt.Sheet and opt.Warn are used.
//
// It checks every row and returns every problem found (up to
// territory.MaxListed; it then stops), each a *territory.InputError with
// the file, row and column, joined with errors.Join:
//
//   - a missing or empty account id, territory or rep;
//   - an account listed twice;
//   - a row with another number of fields than the header;
//   - when both territory_id and rep_id are given, a row whose territory
//     and rep are not paired as the other rows pair them, unless only its
//     territory column was changed: see pairPlan.
//
// A row whose territory column alone was changed (its rep column still
// names the rep of the territory the account was in) is read with the rep
// of its new territory, and a warning names it (to opt.Warn).
func ReadPlan(r io.Reader, name string, opt Options) (*PlanFile, error) {
	return readPlanAs(r, name, opt, planKind)
}

// readPlanAs is ReadPlan for a file of kind k (a plan or edits).
func readPlanAs(r io.Reader, name string, opt Options, k kind) (*PlanFile, error) {
	p := newProblems(k, name)
	p.warnFn = opt.Warn
	p.Stops = true
	src, _, err := openCSV(r, k)
	var z *zipInput
	if errors.As(err, &z) {
		wb, werr := openWorkbookReader(z.r)
		if werr != nil {
			p.addErr(werr)
			return nil, p.Err()
		}
		defer wb.close()
		sheet, ok := wb.choosePlan(k, opt, p)
		if !ok {
			return nil, p.Err()
		}
		xs, werr := wb.open(sheet)
		if werr != nil {
			p.addErr(werr)
			return nil, p.Err()
		}
		defer xs.close()
		src, err = xs, nil
	}
	if err != nil {
		p.addErr(err)
		return nil, p.Err()
	}
	f, ok := readPlan(src, name, p, k == planKind)
	if err := p.Err(); err != nil || !ok {
		return nil, err
	}
	return f, nil
}

// planEmptyMsg is the problem of a plan file without a header row.
const planEmptyMsg = "the file is empty: expected a header row with account_id and territory_id or rep_id"

// planHeader finds the plan's columns in its header row: the index of the
// account, territory and rep columns (-1 when absent), or a problem.
func planHeader(header []string) (acc, ter, rep int, msg, column string) {
	acc, ter, rep = -1, -1, -1
	unit := -1
	defer func() {
		// A unit table (units.csv): its units take the accounts' place.
		if acc < 0 && unit >= 0 && msg == "" || acc < 0 && unit >= 0 && strings.HasPrefix(msg, "no account_id column") {
			acc, msg, column = unit, "", ""
		}
	}()
	for j, h := range header {
		var at *int
		switch planColumnAliases[territory.NormalizeName(h)] {
		case ColUnitID:
			at = &unit
		case ColAccountID:
			at = &acc
		case ColTerritoryID:
			at = &ter
		case ColRepID:
			at = &rep
		default:
			continue
		}
		if *at >= 0 {
			return acc, ter, rep, fmt.Sprintf("a second column for %s (the first is %q)", planColumnAliases[territory.NormalizeName(h)], header[*at]), h
		}
		*at = j
	}
	if acc < 0 || (ter < 0 && rep < 0) {
		var missing []string
		if acc < 0 {
			missing = append(missing, ColAccountID)
		}
		if ter < 0 && rep < 0 {
			missing = append(missing, "territory_id or rep_id")
		}
		return acc, ter, rep, fmt.Sprintf("no %s column: a plan file has a header row with account_id and territory_id or rep_id, as assignments.csv",
			strings.Join(missing, " and no ")), ""
	}
	return acc, ter, rep, "", ""
}

// choosePlan returns the sheet named by opt.Sheet, the only sheet, or the
// first whose header row has the columns of a plan.
func (wb *workbook) choosePlan(k kind, opt Options, p *problems) (string, bool) {
	if opt.Sheet != "" || len(wb.sheets) == 1 {
		return wb.choose(k, opt, p)
	}
	for _, s := range wb.sheets {
		src, err := wb.open(s)
		if err != nil {
			continue
		}
		src.limit = xlsxHeaderScan
		header, _, ok := readHeader(src, newProblems(k, ""), "")
		src.close()
		if !ok {
			continue
		}
		for i := range header {
			header[i] = cleanText(header[i])
		}
		if _, _, _, msg, _ := planHeader(header); msg == "" {
			return s, true
		}
	}
	p.Addf(0, "", "no sheet has a header row with account_id and territory_id or rep_id: %s; name the sheet to read", wb.list())
	return "", false
}

// readPlan reads the rows of a plan file from src into a PlanFile,
// reporting its problems to p; ok is false when the header row cannot be
// read. With pair, a file with both territory and rep columns has them
// paired (see pairPlan).
func readPlan(src rowSource, name string, p *problems, pair bool) (f *PlanFile, ok bool) {
	header, headerRow, ok := readHeader(src, p, planEmptyMsg)
	if !ok {
		return nil, false
	}
	for i, h := range header {
		header[i] = cleanText(strings.TrimPrefix(h, "\ufeff"))
	}
	width := len(header)
	acc, ter, rep, msg, column := planHeader(header)
	if msg != "" {
		p.Add(headerRow, column, msg)
		return nil, false
	}
	f = &PlanFile{Name: name, index: make(map[string]int), AccountCol: header[acc]}
	f.Units = planColumnAliases[territory.NormalizeName(header[acc])] == ColUnitID
	if ter >= 0 {
		f.HasTerritory, f.TerritoryCol = true, header[ter]
	}
	if rep >= 0 {
		f.HasRep, f.RepCol = true, header[rep]
	}
	split := -1
	if f.Units {
		for j, h := range header {
			if territory.NormalizeName(h) == ColSplit {
				split = j
			}
		}
	}

	rowProblems := p.Listed()
	quotes := &quoteWarnings{}
	complete := false // read to the end
	for {
		rec, row, err := src.Next()
		if err == io.EOF {
			complete = true
			break
		}
		if err != nil {
			var pr *problem
			if !errors.As(err, &pr) {
				p.Add(0, "", "cannot read: "+err.Error())
				break
			}
			p.Add(pr.row, "", pr.msg)
			if p.More() > 0 {
				break
			}
			continue
		}
		quotes.warn(src, p, func(field int) string {
			if field < width && header[field] != "" {
				return header[field]
			}
			return colLetter(field)
		})
		if blank(rec) {
			continue
		}
		if len(rec) != width {
			p.Addf(row, "", "%d %s, but the header has %d", len(rec), plural(len(rec), "field", "fields"), width)
			if p.More() > 0 {
				break
			}
			continue
		}
		id := keepText(rec[acc])
		bad := false
		if id == "" {
			p.Add(row, f.AccountCol, "empty "+f.noun()+" id")
			bad = true
		} else if prev, dup := f.index[id]; dup {
			p.Addf(row, f.AccountCol, "%s %q is listed twice (first on row %d)", f.noun(), id, f.Rows[prev])
			bad = true
		}
		var t, r string
		if ter >= 0 {
			if t = keepText(rec[ter]); t == "" {
				p.Add(row, f.TerritoryCol, "empty territory id")
				bad = true
			}
		}
		if rep >= 0 {
			if r = keepText(rec[rep]); r == "" {
				p.Add(row, f.RepCol, "empty rep id")
				bad = true
			}
		}
		if p.More() > 0 {
			break
		}
		if bad {
			continue
		}
		f.index[id] = len(f.IDs)
		f.IDs = append(f.IDs, id)
		f.Rows = append(f.Rows, row)
		if ter >= 0 {
			f.Territories = append(f.Territories, t)
		}
		if rep >= 0 {
			f.Reps = append(f.Reps, r)
		}
		if split >= 0 {
			sp, ok := territory.ParseLocked(rec[split])
			if !ok {
				p.Addf(row, header[split], "invalid split value %q (expected true or false)", cleanText(rec[split]))
			}
			f.Split = append(f.Split, sp)
		}
	}
	quotes.finish(p)
	// With both columns, every territory has one rep and every rep one
	// territory; a file not read to the end is not checked further.
	if pair && ter >= 0 && rep >= 0 && complete {
		pairPlan(f, p, rowProblems)
	}
	return f, true
}
