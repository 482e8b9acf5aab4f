package report

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// The sheets of report.xlsx, in workbook order.
const (
	SheetSummary     = "Summary"
	SheetTerritories = "Territories"
	SheetChart       = "Chart"
	SheetAssignments = "Assignments"
	SheetMoves       = "Moves"
	SheetLevels      = "Levels"
	SheetUnits       = "Units"
)

// maxSheetRows is the number of data rows a worksheet holds below its
// header: Excel's 1,048,576 rows less one. A variable only so that a test
// can lower it.
var maxSheetRows = 1048575

// fixedTime is the creation and modification time written into the
// workbook's properties, so that the same run writes the same bytes.
const fixedTime = "2000-01-01T00:00:00Z"

// Assignments lists the accounts of a plan one by one, sorted as
// assignments.csv lists them (by account id with [territory.CompareIDs]),
// for the Assignments and Moves sheets of report.xlsx. Build it with
// [NewAssignments].
type Assignments struct {
	p     *territory.Problem
	pl    *territory.Plan
	order []int // account indices in output order
}

// NewAssignments lists the accounts of plan pl of problem p for
// [WriteXLSX]. It keeps p and pl without copying them, so neither may
// change while the result is in use. It fails when pl does not fit p, or
// when an optional account column (names, owners, a measure) does not have
// one entry per account.
//
// Where the accounts have owners (p.Accounts.Owners, today's rep id of
// each account), an account moves when its owner is known and differs from
// the id of the rep the plan gives it.
func NewAssignments(p *territory.Problem, pl *territory.Plan) (*Assignments, error) {
	if err := pl.Check(p); err != nil {
		return nil, fmt.Errorf("report: list assignments: %w", err)
	}
	ac := &p.Accounts
	n := ac.Len()
	check := func(what string, l int, optional bool) error {
		if l == n || optional && l == 0 {
			return nil
		}
		return fmt.Errorf("report: list assignments: %d %s for %d accounts", l, what, n)
	}
	if err := check("locations", len(ac.Locs), false); err != nil {
		return nil, err
	}
	if err := check("names", len(ac.Names), true); err != nil {
		return nil, err
	}
	if err := check("owners", len(ac.Owners), true); err != nil {
		return nil, err
	}
	for _, ms := range ac.Measures {
		if err := check("values of "+strconv.Quote(ms.Name), len(ms.Values), false); err != nil {
			return nil, err
		}
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(i, j int) int {
		if c := territory.CompareIDs(ac.IDs[i], ac.IDs[j]); c != 0 {
			return c
		}
		return cmp.Compare(i, j) // duplicate ids: input order
	})
	return &Assignments{p: p, pl: pl, order: order}, nil
}

// hasOwners reports whether any account has a known owner.
func (a *Assignments) hasOwners() bool {
	for _, o := range a.p.Accounts.Owners {
		if o != "" {
			return true
		}
	}
	return false
}

// moved reports whether account i has a known owner other than its rep.
func (a *Assignments) moved(i int) bool {
	o := ""
	if a.p.Accounts.Owners != nil {
		o = a.p.Accounts.Owners[i]
	}
	return o != "" && o != a.p.Reps[a.pl.Assign[i]].ID
}

// WriteXLSX writes report.xlsx, a workbook for people, with the sheets
//
//   - Summary: the result (feasible, or how many violations), the
//     settings of run, the problem's size, the accounts that change rep
//     (when owners are known), the objective (its sums labelled "×
//     MEASURE" when weighted by one), the shape (pieces, accounts
//     inside another territory's hull, neighbour agreement), one row per
//     balance rule with its statistics, and every violation;
//   - Territories: one row per territory: rep, capacity, accounts; for
//     each balance rule the load, target, % of target, the band's min and
//     max (blank where open) and a status ("ok", "below" or "above"); the
//     other measures; centre, compactness and distances; pieces, accounts
//     inside another territory's hull and neighbour agreement. The % of
//     target is green where the load is within its band and red where not
//     (conditional formatting keyed to the status column, so that the
//     colours agree with [Metrics]);
//   - Chart (only when there are balance rules): a clustered bar chart of
//     each balanced measure's % of target per territory, drawn from the
//     Territories sheet;
//   - Assignments (only when a is not nil): one row per account, sorted as
//     assignments.csv: account, name, territory, rep, rep name, today's
//     owner, distance to the centre and every account measure; the columns
//     for names, rep names and owners appear only when the inputs have
//     them;
//   - Moves (only when a is not nil and some account has a known owner):
//     one row per account whose rep changes, in the same order: account,
//     name, from (rep and territory), to (rep and territory) and measures.
//
// The table sheets have a frozen header row and first column, an
// autofilter, column widths fitted to their contents and number formats:
// thousands separators, 0.0% for percentages (stored as fractions: 1.125
// is 112.5%). A sheet holds at most 1,048,575 rows below its header; rows
// beyond that are left out and the Summary says so.
//
// Text from the inputs (ids, names, measure columns, file names) is
// always written as a string cell with the text number format "@", never
// as a formula, so that a name such as =HYPERLINK(...) or +1 555 shows as
// typed and stays text when edited. No formula holds text from the
// inputs: the chart's series names refer to header cells, and the
// conditional formats refer only to cells.
//
// The same arguments give the same bytes: the document properties carry a
// fixed time, the zip parts are written in a fixed order and nothing
// depends on map order. The Assignments and Moves sheets are streamed
// (their XML spills to temporary files beyond 16 MiB, removed before
// WriteXLSX returns), but the compressed workbook is held in memory until
// it is written to w: about 75 MB for 1,000,000 accounts. Nothing is
// written when the workbook cannot be built (a number that is not finite,
// or assignments that do not match m).
func WriteXLSX(w io.Writer, run Run, m *Metrics, a *Assignments) error {
	if err := checkFinite(m); err != nil {
		return fmt.Errorf("report: write xlsx: %w", err)
	}
	if a != nil && (a.p.K() != len(m.Territories) || a.p.Accounts.Len() != m.Accounts) {
		return fmt.Errorf("report: write xlsx: assignments of %d accounts in %d territories do not match metrics of %d in %d",
			a.p.Accounts.Len(), a.p.K(), m.Accounts, len(m.Territories))
	}
	f := excelize.NewFile()
	defer f.Close() // removes the stream writers' temporary files
	xw := &xlsxWriter{f: f, run: run, m: m, a: a}
	if err := xw.write(); err != nil {
		return fmt.Errorf("report: write xlsx: %w", err)
	}
	// excelize hands every part to z; z then writes the archive to w, so
	// that nothing reaches w unless the whole workbook was built.
	z := &sortedZip{}
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return z })
	if n, err := f.WriteTo(io.Discard); err != nil {
		return fmt.Errorf("report: write xlsx: %w", err)
	} else if n != 0 {
		return fmt.Errorf("report: write xlsx: excelize wrote %d bytes outside the archive", n)
	}
	if _, err := z.WriteTo(w); err != nil {
		return fmt.Errorf("report: write xlsx: %w", err)
	}
	return nil
}

// checkFinite fails when a number the writers show is NaN or infinite.
// Band limits may be infinite (an open band).
func checkFinite(m *Metrics) error {
	bad := func(where string, vs ...float64) error {
		for _, v := range vs {
			if !territory.Finite(v) {
				return fmt.Errorf("%s: %v is not a finite number", where, v)
			}
		}
		return nil
	}
	if err := bad("objective", m.ObjectiveValue, m.SSE, m.TotalDistance, m.MaxDistance); err != nil {
		return err
	}
	if err := bad("shape", m.Shape.InsideOtherHullShare, m.Shape.NeighbourAgreement); err != nil {
		return err
	}
	for k, ts := range m.Shape.Territories {
		if err := bad("shape of territory "+strconv.Itoa(k+1), ts.NeighbourAgreement); err != nil {
			return err
		}
	}
	for _, st := range m.Balance {
		if err := bad("rule "+st.Rule.String(), st.Total, st.MinLoad, st.MaxLoad, st.MeanLoad,
			st.MinPct, st.MaxPct, st.MeanPct, st.StdDevPct, st.CV, st.MaxDeviationPct); err != nil {
			return err
		}
	}
	for _, t := range m.Territories {
		where := "territory " + t.ID
		if err := bad(where, t.Capacity, t.Center.X, t.Center.Y, t.Compactness, t.MeanDistance, t.MaxDistance); err != nil {
			return err
		}
		for _, l := range t.Loads {
			if err := bad(where, l.Load, l.Target, l.PctTarget, l.Excess); err != nil {
				return err
			}
			if math.IsNaN(l.Lo) || math.IsNaN(l.Hi) {
				return fmt.Errorf("%s: band limit is NaN", where)
			}
		}
		if err := bad(where, t.Others...); err != nil {
			return err
		}
	}
	for _, v := range m.Violations {
		if err := bad("violation "+v.Territory+" "+v.Measure, v.Load, v.Target, v.Limit, v.Excess, v.ExcessPct); err != nil {
			return err
		}
	}
	return nil
}

// kind is how a cell is formatted: its number format, font and fill.
type kind int

const (
	kText    kind = iota // text from the inputs or of the report: format "@"
	kHeader              // a table's header cell: bold, shaded, text
	kTitle               // the workbook's title
	kSection             // a section name on the Summary
	kInt                 // #,##0
	kDec2                // #,##0.00
	kDec3                // #,##0.000
	kPct                 // 0.0%, the value a fraction (1 = 100%)
	kCoord               // 0.000000
	kRatio               // 0.000
	kNum                 // General
	numKinds
)

// newStyles registers the cell styles of the workbook, indexed by kind.
func newStyles(f *excelize.File) ([numKinds]int, error) {
	var ids [numKinds]int
	custom := func(s string) *string { return &s }
	defs := [numKinds]excelize.Style{
		kText: {NumFmt: 49},
		kHeader: {
			NumFmt:    49,
			Font:      &excelize.Font{Bold: true},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
			Border:    []excelize.Border{{Type: "bottom", Color: "8EA9DB", Style: 1}},
			Alignment: &excelize.Alignment{Vertical: "center"},
		},
		kTitle:   {NumFmt: 49, Font: &excelize.Font{Bold: true, Size: 14}},
		kSection: {NumFmt: 49, Font: &excelize.Font{Bold: true}},
		kInt:     {NumFmt: 3},
		kDec2:    {NumFmt: 4},
		kDec3:    {CustomNumFmt: custom("#,##0.000")},
		kPct:     {CustomNumFmt: custom("0.0%")},
		kCoord:   {CustomNumFmt: custom("0.000000")},
		kRatio:   {CustomNumFmt: custom("0.000")},
		kNum:     {},
	}
	for k := range defs {
		id, err := f.NewStyle(&defs[k])
		if err != nil {
			return ids, err
		}
		ids[k] = id
	}
	return ids, nil
}

// cellWidth is the width in characters that v takes when shown as kind k.
func cellWidth(v any, k kind) int {
	switch v := v.(type) {
	case string:
		return utf8.RuneCountInString(v)
	case int:
		return len(grouped(float64(v), 0))
	case float64:
		switch k {
		case kInt:
			return len(grouped(v, 0))
		case kDec2:
			return len(grouped(v, 2))
		case kDec3:
			return len(grouped(v, 3))
		case kPct:
			return len(fixed(v*100, 1)) + 1
		case kCoord:
			return len(fixed(v, 6))
		case kRatio:
			return len(fixed(v, 3))
		}
		return len(strconv.FormatFloat(v, 'g', 11, 64))
	}
	return 0
}

// colWidth turns the widest cell of a column, in characters, into an Excel
// column width: room for the autofilter button, within limits.
func colWidth(chars int) float64 {
	return float64(min(max(chars+3, 8), 60))
}

// column is one column of a table sheet: its header, how its cells are
// formatted, and the widest cell seen.
type column struct {
	header string
	kind   kind
	width  int
}

func (c *column) fit(v any) { c.width = max(c.width, cellWidth(v, c.kind)) }

// newColumn makes a column of a table, at least as wide as its header.
func newColumn(header string, k kind) column {
	return column{header: header, kind: k, width: cellWidth(header, kText) + 1}
}

type xlsxWriter struct {
	f     *excelize.File
	st    [numKinds]int
	run   Run
	m     *Metrics
	a     *Assignments
	notes []string // what the Summary must say about rows left out
}

func (xw *xlsxWriter) write() error {
	f := xw.f
	var err error
	if xw.st, err = newStyles(f); err != nil {
		return err
	}
	if err := f.SetSheetName("Sheet1", SheetSummary); err != nil {
		return err
	}
	sheets := []string{SheetTerritories}
	if len(xw.m.Levels) > 0 {
		sheets = append(sheets, SheetLevels)
	}
	if xw.m.Units != nil {
		sheets = append(sheets, SheetUnits)
	}
	if len(xw.m.Balance) > 0 {
		sheets = append(sheets, SheetChart)
	}
	moves := xw.a != nil && xw.a.hasOwners()
	if xw.a != nil {
		sheets = append(sheets, SheetAssignments)
	}
	if moves {
		sheets = append(sheets, SheetMoves)
	}
	for _, s := range sheets {
		if _, err := f.NewSheet(s); err != nil {
			return err
		}
	}
	// Before the streamed sheets are started: a stream writer writes the
	// sheet's properties when it starts.
	for _, s := range append([]string{SheetSummary}, sheets...) {
		if err := pageSetup(f, s, s != SheetSummary && s != SheetChart); err != nil {
			return err
		}
	}

	pctCols, err := xw.territories()
	if err != nil {
		return err
	}
	if len(xw.m.Levels) > 0 {
		if err := xw.levels(); err != nil {
			return err
		}
	}
	if xw.m.Units != nil {
		if err := xw.units(); err != nil {
			return err
		}
	}
	if len(xw.m.Balance) > 0 {
		if err := xw.chart(pctCols); err != nil {
			return err
		}
	}
	if xw.a != nil {
		if err := xw.assignments(); err != nil {
			return err
		}
	}
	if moves {
		if err := xw.moves(); err != nil {
			return err
		}
	}
	// The Summary comes last, as it reports what the other sheets left out.
	if err := xw.summary(); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	return f.SetDocProps(&excelize.DocProperties{
		Creator:        "territory",
		LastModifiedBy: "territory",
		Title:          "Territory report",
		Created:        fixedTime,
		Modified:       fixedTime,
	})
}

// pageSetup sets how a sheet prints: landscape, scaled to fit one page
// wide and as many pages tall as it takes, and, for a sheet with a header
// row (frozen on screen by freezeHeader), that row repeated on every page.
func pageSetup(f *excelize.File, sheet string, header bool) error {
	landscape, wide, tall := "landscape", 1, 0
	if err := fitToPage(f, sheet); err != nil {
		return err
	}
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{
		Orientation: &landscape, FitToWidth: &wide, FitToHeight: &tall,
	}); err != nil {
		return err
	}
	if !header {
		return nil
	}
	return f.SetDefinedName(&excelize.DefinedName{
		Name: "_xlnm.Print_Titles", RefersTo: fmt.Sprintf("'%s'!$1:$1", sheet), Scope: sheet,
	})
}

// fitToPage makes the sheet's print scaling follow its page layout's
// FitToWidth and FitToHeight. excelize's AutoFilter replaces the sheet's
// properties, and with them this setting: call it again after AutoFilter.
func fitToPage(f *excelize.File, sheet string) error {
	fit := true
	return f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit})
}

// grid writes cells one by one into a sheet in normal (not streamed) mode,
// keeping the first error and the widest cell of every column.
type grid struct {
	f     *excelize.File
	st    *[numKinds]int
	sheet string
	width map[int]int
	err   error
}

func (g *grid) set(row, col int, v any, k kind) {
	if g.err != nil || v == nil {
		return
	}
	cell, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		g.err = err
		return
	}
	switch v := v.(type) {
	case string:
		// A string cell: excelize never turns it into a formula.
		err = g.f.SetCellStr(g.sheet, cell, v)
	case int:
		err = g.f.SetCellInt(g.sheet, cell, int64(v))
	case float64:
		err = g.f.SetCellFloat(g.sheet, cell, v, -1, 64)
	default:
		err = fmt.Errorf("cell %s: unexpected %T", cell, v)
	}
	if err == nil {
		err = g.f.SetCellStyle(g.sheet, cell, cell, g.st[k])
	}
	if err != nil {
		g.err = err
		return
	}
	if k != kTitle && k != kSection {
		w := cellWidth(v, k)
		if k == kHeader {
			w++
		}
		g.width[col] = max(g.width[col], w)
	}
}

// widths sets every written column's width to fit its widest cell.
func (g *grid) widths() {
	cols := make([]int, 0, len(g.width))
	for c := range g.width {
		cols = append(cols, c)
	}
	slices.Sort(cols)
	for _, c := range cols {
		if g.err != nil {
			return
		}
		name, err := excelize.ColumnNumberToName(c)
		if err != nil {
			g.err = err
			return
		}
		g.err = g.f.SetColWidth(g.sheet, name, name, colWidth(g.width[c]))
	}
}

// freezeHeader freezes a table sheet's header row and first column.
func freezeHeader() *excelize.Panes {
	return &excelize.Panes{
		Freeze: true, XSplit: 1, YSplit: 1, TopLeftCell: "B2", ActivePane: "bottomRight",
		Selection: []excelize.Selection{{SQRef: "B2", ActiveCell: "B2", Pane: "bottomRight"}},
	}
}

// tableRange is the range A1:<last column><last row> of a table of cols
// columns and rows data rows below a header.
func tableRange(cols, rows int) (string, error) {
	return excelize.CoordinatesToCellName(cols, rows+1)
}

func (xw *xlsxWriter) summary() error {
	m, run := xw.m, xw.run
	g := &grid{f: xw.f, st: &xw.st, sheet: SheetSummary, width: map[int]int{}}
	row := 1
	g.set(row, 1, "Territory report", kTitle)
	row++
	g.set(row, 1, "Result", kSection)
	g.set(row, 2, resultLine(m), kText)
	row += 2

	pair := func(label string, v any, k kind) {
		g.set(row, 1, label, kText)
		g.set(row, 2, v, k)
		row++
	}
	section := func(name string) {
		g.set(row, 1, name, kSection)
		row++
	}

	section("Settings")
	pair("Version", run.Version, kText)
	// As text: a seed may exceed the 2^53 that a spreadsheet number holds.
	pair("Seed", strconv.FormatUint(run.Seed, 10), kText)
	pair("Objective", run.Objective, kText)
	pair("Weight", run.Weight, kText)
	pair("Centre", run.Center, kText)
	pair("Shape", run.Shape, kText)
	pair("Rules", strings.Join(run.Rules, "; "), kText)
	if len(run.Derived) > 0 {
		pair("Derived measures", strings.Join(run.Derived, "; "), kText)
	}
	pair("Territories (k)", run.K, kInt)
	pair("Accounts input", run.Accounts, kText)
	pair("Reps input", run.Reps, kText)
	pair("Space", run.Space, kText)
	if run.Solver != nil {
		b, err := json.Marshal(run.Solver)
		if err != nil {
			return fmt.Errorf("solver statistics: %w", err)
		}
		pair("Solver", string(b), kText)
	}
	row++

	section("Problem")
	pair("Accounts", m.Accounts, kInt)
	pair("Territories", len(m.Territories), kInt)
	unit := m.DistanceUnit()
	if unit == "" {
		pair("Distance unit", "coordinates' unit", kText)
	} else {
		pair("Distance unit", unit, kText)
	}
	if a := xw.a; a != nil && a.hasOwners() {
		known, moved := 0, 0
		for i, o := range a.p.Accounts.Owners {
			if o != "" {
				known++
				if a.moved(i) {
					moved++
				}
			}
		}
		pair("Accounts with a known owner", known, kInt)
		pair("Accounts changing rep", moved, kInt)
	}
	row++

	section("Objective")
	pair("Objective", m.Objective.String(), kText)
	// With a weight, the sums are weighted; the labels say by what.
	weighted := ""
	if m.Weight != "" {
		weighted = " × " + m.Weight
	}
	pair("Value", m.ObjectiveValue, kDec3)
	pair("Sum of squared distances"+weighted, m.SSE, kDec3)
	pair("Total distance"+weighted, m.TotalDistance, kDec3)
	pair("Largest distance", m.MaxDistance, kDec3)
	row++

	section("Shape")
	// Short labels: they set the width of column A.
	pair("Pieces", m.Shape.Pieces, kInt)
	pair("Territories in several pieces", m.Shape.TerritoriesInPieces, kInt)
	pair("Accounts inside another hull", m.Shape.InsideOtherHull, kInt)
	pair("Share inside another hull", m.Shape.InsideOtherHullShare, kPct)
	pair("Neighbour agreement", m.Shape.NeighbourAgreement, kRatio)
	row++

	section("Balance rules")
	if len(m.Balance) == 0 {
		g.set(row, 1, "no balance rules", kText)
		row++
	} else {
		headers := []string{"Rule", "Measure", "Total", "Min load", "Max load", "Mean load",
			"Min % of target", "Max % of target", "Mean % of target", "Std dev of % of target",
			"CV", "Max deviation from target", "Zero targets", "Violations"}
		for c, h := range headers {
			g.set(row, c+1, h, kHeader)
		}
		row++
		for _, st := range m.Balance {
			k := kDec2
			if whole(st.Total) && whole(st.MinLoad) && whole(st.MaxLoad) {
				k = kInt
			}
			vals := []any{st.Rule.String(), st.Column, st.Total, st.MinLoad, st.MaxLoad, st.MeanLoad}
			kinds := []kind{kText, kText, k, k, k, kDec2}
			if st.ZeroTargets < len(m.Territories) {
				vals = append(vals, st.MinPct/100, st.MaxPct/100, st.MeanPct/100, st.StdDevPct/100, st.CV, st.MaxDeviationPct/100)
			} else {
				vals = append(vals, nil, nil, nil, nil, nil, nil)
			}
			kinds = append(kinds, kPct, kPct, kPct, kPct, kRatio, kPct)
			vals = append(vals, st.ZeroTargets, st.Violations)
			kinds = append(kinds, kInt, kInt)
			for c, v := range vals {
				g.set(row, c+1, v, kinds[c])
			}
			row++
		}
	}
	row++

	section("Violations")
	if len(m.Violations) == 0 {
		g.set(row, 1, "none", kText)
		row++
	} else {
		headers := []string{"Territory", "Rep", "Measure", "Rule", "Load", "Target", "Bound", "Limit", "Excess", "Excess % of target"}
		for c, h := range headers {
			g.set(row, c+1, h, kHeader)
		}
		row++
		for _, v := range m.Violations {
			vals := []any{v.Territory, v.Rep, v.Measure, v.Rule, v.Load, v.Target, v.Bound, v.Limit, v.Excess, v.ExcessPct / 100}
			kinds := []kind{kText, kText, kText, kText, kDec2, kDec2, kText, kDec2, kDec2, kPct}
			for c, val := range vals {
				g.set(row, c+1, val, kinds[c])
			}
			row++
		}
	}
	if len(xw.notes) > 0 {
		row++
		section("Notes")
		for _, n := range xw.notes {
			g.set(row, 1, n, kText)
			row++
		}
	}
	// The labels of column A set its width; the long texts of column B
	// (rules, file names, solver statistics) may spill over.
	g.width[2] = min(g.width[2], 40)
	g.widths()
	return g.err
}

// resultLine says whether every balance rule holds.
func resultLine(m *Metrics) string {
	switch n := len(m.Violations); n {
	case 0:
		return "feasible: all balance rules met"
	case 1:
		return "1 balance rule violation"
	default:
		return strconv.Itoa(n) + " balance rule violations"
	}
}

// measureKind formats a measure as whole numbers when its loads and the
// finite ends of its bands all are, and with 2 decimals otherwise.
func measureKind(m *Metrics, j int) kind {
	for _, t := range m.Territories {
		l := t.Loads[j]
		if !whole(l.Load) || !math.IsInf(l.Lo, 0) && !whole(l.Lo) || !math.IsInf(l.Hi, 0) && !whole(l.Hi) {
			return kDec2
		}
	}
	return kInt
}

// territories writes the Territories sheet and returns, for every balance
// rule, the column of its % of target.
func (xw *xlsxWriter) territories() ([]int, error) {
	m := xw.m
	geo := m.Space == territory.Geographic
	showName := false
	for _, t := range m.Territories {
		showName = showName || t.RepName != ""
	}
	unit := ""
	if u := m.DistanceUnit(); u != "" {
		unit = " (" + u + ")"
	}

	cols := []column{newColumn("Territory", kText)}
	if m.GroupColumn != "" {
		cols = append(cols, newColumn(m.GroupColumn, kText))
	}
	cols = append(cols, newColumn("Rep", kText))
	if showName {
		cols = append(cols, newColumn("Rep name", kText))
	}
	cols = append(cols, newColumn("Capacity", kNum), newColumn("Accounts", kInt))
	pctCols := make([]int, len(m.Balance))
	statusCols := make([]int, len(m.Balance))
	for j, st := range m.Balance {
		k := measureKind(m, j)
		label := st.Column
		cols = append(cols, newColumn(label, k), newColumn(label+" target", kDec2))
		pctCols[j] = len(cols) + 1
		cols = append(cols, newColumn(label+" % of target", kPct),
			newColumn(label+" min", k), newColumn(label+" max", k))
		statusCols[j] = len(cols) + 1
		cols = append(cols, newColumn(label+" status", kText))
	}
	for j, o := range m.Others {
		k := kInt
		for _, t := range m.Territories {
			if !whole(t.Others[j]) {
				k = kDec2
			}
		}
		cols = append(cols, newColumn(o.Column, k))
	}
	if geo {
		cols = append(cols, newColumn("Centre lat", kCoord), newColumn("Centre lon", kCoord))
	} else {
		cols = append(cols, newColumn("Centre x", kCoord), newColumn("Centre y", kCoord))
	}
	cols = append(cols, newColumn("Centre account", kText), newColumn("Compactness", kDec3),
		newColumn("Mean distance"+unit, kDec3), newColumn("Max distance"+unit, kDec3),
		newColumn("Pieces", kInt), newColumn("Inside other hull", kInt), newColumn("Neighbour agreement", kRatio))

	g := &grid{f: xw.f, st: &xw.st, sheet: SheetTerritories, width: map[int]int{}}
	for c, col := range cols {
		g.set(1, c+1, col.header, kHeader)
	}
	vals := make([]any, 0, len(cols))
	for r, t := range m.Territories {
		vals = vals[:0]
		vals = append(vals, t.ID)
		if m.GroupColumn != "" {
			vals = append(vals, t.Group)
		}
		vals = append(vals, t.RepID)
		if showName {
			vals = append(vals, nonEmpty(t.RepName))
		}
		vals = append(vals, t.Capacity, t.Accounts)
		for _, l := range t.Loads {
			var pct any
			if !l.ZeroTarget {
				pct = l.PctTarget / 100
			}
			status := "ok"
			switch {
			case l.Excess > 0:
				status = "above"
			case l.Excess < 0:
				status = "below"
			}
			vals = append(vals, l.Load, l.Target, pct, bandEnd(l.Lo), bandEnd(l.Hi), status)
		}
		for _, v := range t.Others {
			vals = append(vals, v)
		}
		first, second := t.Center.Y, t.Center.X // lat, lon
		if !geo {
			first, second = t.Center.X, t.Center.Y
		}
		ts := m.Shape.territory(r)
		vals = append(vals, first, second, nonEmpty(t.CenterAccount), t.Compactness, t.MeanDistance, t.MaxDistance,
			ts.Pieces, ts.InsideOtherHull, ts.NeighbourAgreement)
		for c, v := range vals {
			g.set(r+2, c+1, v, cols[c].kind)
		}
	}
	g.widths()
	if g.err != nil {
		return nil, g.err
	}

	f, last := xw.f, len(m.Territories)+1
	end, err := tableRange(len(cols), len(m.Territories))
	if err != nil {
		return nil, err
	}
	if err := f.AutoFilter(SheetTerritories, "A1:"+end, nil); err != nil {
		return nil, err
	}
	if err := fitToPage(f, SheetTerritories); err != nil {
		return nil, err
	}
	if err := f.SetPanes(SheetTerritories, freezeHeader()); err != nil {
		return nil, err
	}
	good, err := f.NewConditionalStyle(&excelize.Style{
		Font: &excelize.Font{Color: "006100"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"C6EFCE"}},
	})
	if err != nil {
		return nil, err
	}
	bad, err := f.NewConditionalStyle(&excelize.Style{
		Font: &excelize.Font{Color: "9C0006"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFC7CE"}},
	})
	if err != nil {
		return nil, err
	}
	for j := range m.Balance {
		pc, _ := excelize.ColumnNumberToName(pctCols[j])
		sc, _ := excelize.ColumnNumberToName(statusCols[j])
		// Cell references and fixed text only: no input reaches a formula.
		ok := fmt.Sprintf(`$%s2="ok"`, sc)
		rng := fmt.Sprintf("%s2:%s%d", pc, pc, last)
		if err := f.SetConditionalFormat(SheetTerritories, rng, []excelize.ConditionalFormatOptions{
			{Type: "formula", Criteria: ok, Format: &good},
			{Type: "formula", Criteria: "NOT(" + ok + ")", Format: &bad},
		}); err != nil {
			return nil, err
		}
	}
	return pctCols, nil
}

// bandEnd is a band limit as a cell: blank where the band is open.
func bandEnd(v float64) any {
	if math.IsInf(v, 0) {
		return nil
	}
	return v
}

// nonEmpty is s as a cell: blank when s is empty.
func nonEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// chart draws the % of target of every balance rule per territory as a
// clustered bar chart on the Chart sheet.
func (xw *xlsxWriter) chart(pctCols []int) error {
	m := xw.m
	k := len(m.Territories)
	last := k + 1
	var series []excelize.ChartSeries
	for j := range m.Balance {
		c, _ := excelize.ColumnNumberToName(pctCols[j])
		series = append(series, excelize.ChartSeries{
			// A reference to the header cell, never the measure's name:
			// excelize writes a series name as a formula.
			Name:       fmt.Sprintf("%s!$%s$1", SheetTerritories, c),
			Categories: fmt.Sprintf("%s!$A$2:$A$%d", SheetTerritories, last),
			Values:     fmt.Sprintf("%s!$%s$2:$%s$%d", SheetTerritories, c, c, last),
		})
	}
	// Room for every territory's bars, within what a sheet can show.
	height := min(max(120+k*(8+10*len(m.Balance)), 400), 12000)
	vary := false // one colour per measure, also when there is only one
	return xw.f.AddChart(SheetChart, "A1", &excelize.Chart{
		Type:       excelize.Bar,
		Series:     series,
		VaryColors: &vary,
		Title:      excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "% of target by territory"}}},
		Legend:     excelize.ChartLegend{Position: "bottom"},
		// Territories top down, in sheet order.
		XAxis:     excelize.ChartAxis{ReverseOrder: true},
		YAxis:     excelize.ChartAxis{MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}},
		Dimension: excelize.ChartDimension{Width: 960, Height: uint(height)},
	})
}

// acctCol is one column of the Assignments or Moves sheet: the text or the
// number it shows for account i (one of text and num is set).
type acctCol struct {
	column
	text func(i int) string
	num  func(i int) float64
}

func textCol(header string, text func(i int) string) acctCol {
	return acctCol{column: newColumn(header, kText), text: text}
}

func numCol(header string, k kind, num func(i int) float64) acctCol {
	return acctCol{column: newColumn(header, k), num: num}
}

// accountColumns are the columns that end every row of the Assignments and
// Moves sheets: one per account measure, in the accounts' order, as whole
// numbers where every value is one.
func accountColumns(ac *territory.Accounts) []acctCol {
	cols := make([]acctCol, 0, len(ac.Measures))
	for _, ms := range ac.Measures {
		k := kInt
		for _, v := range ms.Values {
			if v != math.Trunc(v) {
				k = kDec2
				break
			}
		}
		cols = append(cols, numCol(ms.Column, k, func(i int) float64 { return ms.Values[i] }))
	}
	return cols
}

// territoryIDs are the territories' ids, in territory order.
func territoryIDs(m *Metrics) []string {
	ids := make([]string, len(m.Territories))
	for k, t := range m.Territories {
		ids[k] = t.ID
	}
	return ids
}

// units writes the Units sheet of a plan made of units: one row per unit
// of the layer, as units.csv has them, with its accounts, whether it is
// split and its exceptions; then, after a blank row, every exception (an
// account of a split unit away from the unit's territory), up to the
// sheet's rows.
func (xw *xlsxWriter) units() error {
	u := xw.m.Units
	g := &grid{f: xw.f, st: &xw.st, sheet: SheetUnits, width: map[int]int{}}
	cols := []column{newColumn("Unit", kText), newColumn("Territory", kText), newColumn("Rep", kText),
		newColumn("Accounts", kInt), newColumn("Split", kText), newColumn("Exceptions", kInt)}
	for c, col := range cols {
		g.set(1, c+1, col.header, kHeader)
	}
	r := 2
	for _, row := range u.Rows {
		split := ""
		if row.Split {
			split = "yes"
		}
		for c, v := range []any{row.ID, row.TerritoryID, row.RepID, row.Accounts, split, row.ExceptionsInUnit} {
			g.set(r, c+1, v, cols[c].kind)
		}
		r++
	}
	if len(u.Exceptions) > 0 {
		r++
		for c, h := range []string{"Exception (account)", "Unit", "Territory", "Unit's territory"} {
			g.set(r, c+1, h, kHeader)
		}
		r++
		for _, e := range u.Exceptions {
			if r > maxSheetRows {
				break
			}
			for c, v := range []string{e.AccountID, e.UnitID, xw.m.Territories[e.Territory].ID, xw.m.Territories[e.UnitTerritory].ID} {
				g.set(r, c+1, v, kText)
			}
			r++
		}
	}
	g.widths()
	if g.err != nil {
		return g.err
	}
	return xw.f.SetPanes(SheetUnits, freezeHeader())
}

// levels writes the Levels sheet: one row per parent of every level above
// the territories, as levels.csv has them.
func (xw *xlsxWriter) levels() error {
	measures := levelMeasures(xw.m.Levels)
	cols := []column{newColumn("Level", kText), newColumn("Id", kText), newColumn("Parent", kText),
		newColumn("Territories", kInt), newColumn("Accounts", kInt)}
	for _, name := range measures {
		cols = append(cols, newColumn(name, kDec2), newColumn(name+" % of target", kPct))
	}
	cols = append(cols, newColumn("Pieces", kInt), newColumn("Within rules", kText), newColumn("Children", kText))
	g := &grid{f: xw.f, st: &xw.st, sheet: SheetLevels, width: map[int]int{}}
	for c, col := range cols {
		g.set(1, c+1, col.header, kHeader)
	}
	r := 2
	for _, lv := range xw.m.Levels {
		for k, t := range lv.Metrics.Territories {
			vals := []any{lv.Name, t.RepID, nonEmpty(lv.parentOf(k)), lv.Territories[k], lv.Accounts[k]}
			for _, name := range measures {
				load, pct, ruled := lv.parentLoad(k, name)
				var cell any
				if ruled {
					cell = pct / 100
				}
				vals = append(vals, load, cell)
			}
			status := "yes"
			if !lv.parentMet(k) {
				status = "no"
			}
			vals = append(vals, lv.Metrics.Shape.territory(k).Pieces, status, strings.Join(lv.Children[k], " "))
			for c, v := range vals {
				g.set(r, c+1, v, cols[c].kind)
			}
			r++
		}
	}
	g.widths()
	return g.err
}

// assignments writes the Assignments sheet: one row per account.
func (xw *xlsxWriter) assignments() error {
	a := xw.a
	p, ac, pl := a.p, &a.p.Accounts, a.pl
	tids := territoryIDs(xw.m)
	unit := ""
	if u := xw.m.DistanceUnit(); u != "" {
		unit = " (" + u + ")"
	}

	cols := []acctCol{textCol("Account", func(i int) string { return ac.IDs[i] })}
	if ac.Names != nil {
		cols = append(cols, textCol("Name", func(i int) string { return ac.Names[i] }))
	}
	if p.Grouped() && len(ac.Groups) == ac.Len() {
		cols = append(cols, textCol(p.GroupColumn, func(i int) string { return ac.Groups[i] }))
	}
	cols = append(cols,
		textCol("Territory", func(i int) string { return tids[pl.Assign[i]] }),
		textCol("Rep", func(i int) string { return p.Reps[pl.Assign[i]].ID }))
	if slices.ContainsFunc(p.Reps, func(r territory.Rep) bool { return r.Name != "" }) {
		cols = append(cols, textCol("Rep name", func(i int) string { return p.Reps[pl.Assign[i]].Name }))
	}
	if a.hasOwners() {
		cols = append(cols, textCol("Owner today", func(i int) string { return ac.Owners[i] }))
	}
	cols = append(cols, numCol("Distance"+unit, kDec3, func(i int) float64 {
		return spatial.Distance(p.Space, ac.Locs[i], pl.Centers[pl.Assign[i]])
	}))
	cols = append(cols, accountColumns(ac)...)
	return xw.accountSheet(SheetAssignments, cols, a.order)
}

// moves writes the Moves sheet: one row per account whose known owner is
// not the rep the plan gives it.
func (xw *xlsxWriter) moves() error {
	a := xw.a
	p, ac, pl := a.p, &a.p.Accounts, a.pl
	tids := territoryIDs(xw.m)
	// The territory of every rep id; the first, should ids repeat.
	repTerritory := make(map[string]string, len(p.Reps))
	for k, r := range p.Reps {
		if _, ok := repTerritory[r.ID]; !ok {
			repTerritory[r.ID] = tids[k]
		}
	}
	var rows []int
	for _, i := range a.order {
		if a.moved(i) {
			rows = append(rows, i)
		}
	}

	cols := []acctCol{textCol("Account", func(i int) string { return ac.IDs[i] })}
	if ac.Names != nil {
		cols = append(cols, textCol("Name", func(i int) string { return ac.Names[i] }))
	}
	cols = append(cols,
		textCol("From rep", func(i int) string { return ac.Owners[i] }),
		textCol("From territory", func(i int) string { return repTerritory[ac.Owners[i]] }),
		textCol("To rep", func(i int) string { return p.Reps[pl.Assign[i]].ID }),
		textCol("To territory", func(i int) string { return tids[pl.Assign[i]] }))
	cols = append(cols, accountColumns(ac)...)
	return xw.accountSheet(SheetMoves, cols, rows)
}

// accountSheet streams a header and one row per account of rows (account
// indices, in output order) into sheet, with its columns fitted to their
// contents, a frozen header and an autofilter. It fails, before writing a
// row, when a number is not finite.
func (xw *xlsxWriter) accountSheet(sheet string, cols []acctCol, rows []int) error {
	ac := &xw.a.p.Accounts
	if len(rows) > maxSheetRows {
		xw.notes = append(xw.notes, fmt.Sprintf(
			"The %s sheet lists the first %s of %s rows: a sheet holds at most %s below its header.",
			sheet, grouped(float64(maxSheetRows), 0), grouped(float64(len(rows)), 0), grouped(float64(maxSheetRows), 0)))
		rows = rows[:maxSheetRows]
	}

	// Fit the columns before streaming: the widths come first in the XML.
	for c := range cols {
		col := &cols[c]
		if col.text != nil {
			for _, i := range rows {
				col.width = max(col.width, utf8.RuneCountInString(col.text(i)))
			}
			continue
		}
		lo, hi := 0.0, 0.0
		for _, i := range rows {
			v := col.num(i)
			if !territory.Finite(v) {
				return fmt.Errorf("account %q, column %q: %v is not a finite number", ac.IDs[i], col.header, v)
			}
			lo, hi = min(lo, v), max(hi, v)
		}
		col.fit(lo)
		col.fit(hi)
	}

	f := xw.f
	end, err := tableRange(len(cols), len(rows))
	if err != nil {
		return err
	}
	// The autofilter is set on the sheet before the stream writer reads
	// it, which then writes it after the rows.
	if err := f.AutoFilter(sheet, "A1:"+end, nil); err != nil {
		return err
	}
	if err := fitToPage(f, sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	if err := sw.SetPanes(freezeHeader()); err != nil {
		return err
	}
	for c, col := range cols {
		if err := sw.SetColStyle(c+1, c+1, xw.st[col.kind]); err != nil {
			return err
		}
		if err := sw.SetColWidth(c+1, c+1, colWidth(col.width)); err != nil {
			return err
		}
	}
	vals := make([]any, len(cols))
	for c, col := range cols {
		vals[c] = excelize.Cell{StyleID: xw.st[kHeader], Value: col.header}
	}
	if err := sw.SetRow("A1", vals); err != nil {
		return err
	}
	// The data cells take their column's style.
	for r, i := range rows {
		for c := range cols {
			if col := &cols[c]; col.text != nil {
				vals[c] = nonEmpty(col.text(i))
			} else {
				vals[c] = col.num(i)
			}
		}
		cell, err := excelize.CoordinatesToCellName(1, r+2)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, vals); err != nil {
			return err
		}
	}
	return sw.Flush()
}
