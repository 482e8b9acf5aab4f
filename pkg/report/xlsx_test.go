package report

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// hyperlink is a rep name that Excel would run as a formula if it were
// written as one.
const hyperlink = `=HYPERLINK("http://x","y")`

// ownersCase is planarCase with names and today's owners, and text from
// the inputs that a spreadsheet or Markdown could take for code: a formula
// as a rep name, an account id and names beginning with - + @ and a tab,
// a measure column beginning with @, Markdown syntax. Owners: a1 stays
// with r1, a2 moves r2 -> r1, a3 has no owner, a4 moves r1 -> r2 and a5
// comes from a rep who is gone.
func ownersCase(t testing.TB) (*territory.Problem, *territory.Plan) {
	t.Helper()
	p, pl := planarCase(t, territory.SSE)
	p.Accounts.IDs[2] = "-a3"
	p.Accounts.Names = []string{"Acme | Co", "`tick` *bold*", "+1 555 0100", "@SUM(A1)", "\tTab\r"}
	p.Accounts.Owners = []string{"r1", "r2", "", "r1", "gone"}
	p.Accounts.Measures[0].Column = "@Revenue"
	p.Reps[0].Name = hyperlink
	p.Reps[1].Name = "# -2+3 <b>x</b> @octocat"
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	return p, pl
}

// xlsxCases are the golden cases of report.xlsx and report.md, kept in
// testdata as <name>.xlsx.txt (a text dump of the workbook) and
// <name>.report.md.
func xlsxCases() []struct {
	name  string
	setup func(testing.TB) (*territory.Problem, *territory.Plan)
	run   Run
} {
	cases := slices.Clone(goldenCases)
	cases = append(cases, struct {
		name  string
		setup func(testing.TB) (*territory.Problem, *territory.Plan)
		run   Run
	}{
		name:  "owners",
		setup: ownersCase,
		run: Run{
			Version: "v0.0.0-test", Seed: math.MaxUint64, Objective: "sse", Center: "unit",
			Rules: []string{"workload:min=4,max=5", "revenue", "count:max=4"}, K: 2,
			Accounts: `=cmd|' /C calc'!A0.csv`, Reps: "@reps.csv", Space: "planar",
		},
	})
	return cases
}

// writeXLSX writes the workbook of problem p and plan pl.
func writeXLSX(t testing.TB, run Run, p *territory.Problem, pl *territory.Plan) []byte {
	t.Helper()
	a, err := NewAssignments(p, pl)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, run, Evaluate(p, pl), a); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestXLSXGolden(t *testing.T) {
	for _, tc := range xlsxCases() {
		t.Run(tc.name, func(t *testing.T) {
			p, pl := tc.setup(t)
			got := writeXLSX(t, tc.run, p, pl)
			// Two writes give the same bytes.
			if again := writeXLSX(t, tc.run, p, pl); !bytes.Equal(got, again) {
				t.Errorf("two writes differ: %d and %d bytes; parts:\n%s\n---\n%s",
					len(got), len(again), zipListing(t, got), zipListing(t, again))
			}
			checkGolden(t, filepath.Join("testdata", tc.name+".xlsx.txt"), dumpXLSX(t, got))
		})
	}
}

// checkGolden compares got with the golden file, rewriting it under
// -update.
func checkGolden(t *testing.T, golden, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs from the golden file (-want +got); if intended, run go test -update:\n%s", golden, diff)
	}
}

// zipListing lists the parts of an archive with their sizes and CRCs.
func zipListing(t testing.TB, b []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	for _, f := range zr.File {
		fmt.Fprintf(&out, "%s %d %08x\n", f.Name, f.UncompressedSize64, f.CRC32)
	}
	return out.String()
}

// zipPart reads one part of an archive; "" when there is none.
func zipPartText(t testing.TB, b []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name != name {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		data, err := io.ReadAll(rc)
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	return ""
}

var (
	// excelize writes the chart's elements in the default namespace, other
	// writers with a c: prefix.
	chartRefRE = regexp.MustCompile(`<(?:c:)?f>([^<]*)</(?:c:)?f>`)
	barDirRE   = regexp.MustCompile(`<(?:c:)?barDir val="([a-z]+)"`)
	groupingRE = regexp.MustCompile(`<(?:c:)?grouping val="([a-zA-Z]+)"`)
	seriesRE   = regexp.MustCompile(`<(?:c:)?ser>`)
	autoFiltRE = regexp.MustCompile(`<autoFilter ref="([A-Z0-9:$]+)"`)
	formulaRE  = regexp.MustCompile(`<f[ >]`)
)

// sheetParts maps every sheet's name to its part in the archive.
func sheetParts(t testing.TB, b []byte) map[string]string {
	t.Helper()
	var rels struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.Unmarshal([]byte(zipPartText(t, b, "xl/_rels/workbook.xml.rels")), &rels); err != nil {
		t.Fatal(err)
	}
	targets := map[string]string{}
	for _, r := range rels.Rel {
		targets[r.ID] = path.Join("xl", strings.TrimPrefix(r.Target, "/xl/"))
	}
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := xml.Unmarshal([]byte(zipPartText(t, b, "xl/workbook.xml")), &wb); err != nil {
		t.Fatal(err)
	}
	parts := map[string]string{}
	for _, sh := range wb.Sheets {
		parts[sh.Name] = targets[sh.RID]
	}
	return parts
}

// sheetRels lists the targets of a sheet part's relationships.
func sheetRels(t testing.TB, b []byte, part string) []string {
	t.Helper()
	x := zipPartText(t, b, path.Join(path.Dir(part), "_rels", path.Base(part)+".rels"))
	if x == "" {
		return nil
	}
	var rels struct {
		Rel []struct {
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.Unmarshal([]byte(x), &rels); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rels.Rel {
		out = append(out, r.Target)
	}
	return out
}

// builtinFormats names the built-in number formats the workbook uses.
var builtinFormats = map[int]string{0: "General", 3: "#,##0", 4: "#,##0.00", 49: "@"}

// dumpXLSX reads a workbook back with excelize and writes what it holds as
// text, for golden files: the parts of the archive, the chart, and per
// sheet its frozen panes, autofilter, conditional formats, column widths
// and every cell as Sheet!A1 = value [number format], strings quoted.
// A formula in any cell is dumped as FORMULA, so that the golden file
// shows it.
func dumpXLSX(t testing.TB, b []byte) string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out strings.Builder
	out.WriteString("parts:\n")
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var charts []string
	for _, zf := range zr.File {
		fmt.Fprintf(&out, "  %s\n", zf.Name)
		if strings.HasPrefix(zf.Name, "xl/charts/") && strings.HasSuffix(zf.Name, ".xml") {
			charts = append(charts, zf.Name)
		}
	}
	for _, c := range charts {
		x := zipPartText(t, b, c)
		dir, grouping := barDirRE.FindStringSubmatch(x), groupingRE.FindStringSubmatch(x)
		if dir == nil || grouping == nil {
			t.Fatalf("%s: no barDir or grouping:\n%s", c, x)
		}
		fmt.Fprintf(&out, "chart %s: barDir %s, grouping %s, %d series\n", c, dir[1], grouping[1], len(seriesRE.FindAllString(x, -1)))
		for _, m := range chartRefRE.FindAllStringSubmatch(x, -1) {
			fmt.Fprintf(&out, "  ref %s\n", m[1])
		}
	}
	filters, titles := map[string]string{}, map[string]string{}
	for _, dn := range f.GetDefinedName() {
		switch dn.Name {
		case "_xlnm._FilterDatabase":
			filters[dn.Scope] = dn.RefersTo
		case "_xlnm.Print_Titles":
			titles[dn.Scope] = dn.RefersTo
		}
	}
	sheets := f.GetSheetList()
	fmt.Fprintf(&out, "sheets: %s\n", strings.Join(sheets, ", "))
	parts := sheetParts(t, b)
	for _, sh := range sheets {
		fmt.Fprintf(&out, "\n== %s (%s)\n", sh, parts[sh])
		for _, r := range sheetRels(t, b, parts[sh]) {
			fmt.Fprintf(&out, "related: %s\n", r)
		}
		panes, err := f.GetPanes(sh)
		if err != nil {
			t.Fatal(err)
		}
		if panes.Freeze {
			fmt.Fprintf(&out, "frozen: %d rows, %d columns, top left %s\n", panes.YSplit, panes.XSplit, panes.TopLeftCell)
		}
		if r, ok := filters[sh]; ok {
			fmt.Fprintf(&out, "autofilter: %s\n", r)
		}
		out.WriteString(pageText(t, f, sh))
		if r, ok := titles[sh]; ok {
			fmt.Fprintf(&out, "print titles: %s\n", r)
		}
		cfs, err := f.GetConditionalFormats(sh)
		if err != nil {
			t.Fatal(err)
		}
		ranges := make([]string, 0, len(cfs))
		for r := range cfs {
			ranges = append(ranges, r)
		}
		slices.Sort(ranges)
		for _, r := range ranges {
			for _, cf := range cfs[r] {
				fmt.Fprintf(&out, "conditional %s: %s %s -> format %d\n", r, cf.Type, cf.Criteria, *cf.Format)
			}
		}
		rows, err := f.GetRows(sh, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		width := 0
		for _, row := range rows {
			width = max(width, len(row))
		}
		if width > 0 {
			out.WriteString("widths:")
			for c := 1; c <= width; c++ {
				name, _ := excelize.ColumnNumberToName(c)
				w, err := f.GetColWidth(sh, name)
				if err != nil {
					t.Fatal(err)
				}
				fmt.Fprintf(&out, " %s=%g", name, w)
			}
			out.WriteString("\n")
		}
		for r, row := range rows {
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if formula, err := f.GetCellFormula(sh, cell); err != nil || formula != "" {
					fmt.Fprintf(&out, "%s!%s FORMULA %q (%v)\n", sh, cell, formula, err)
				}
				if v == "" {
					continue
				}
				typ, err := f.GetCellType(sh, cell)
				if err != nil {
					t.Fatal(err)
				}
				val := v
				if typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
					val = strconv.Quote(v)
				}
				format := ""
				if id, err := f.GetCellStyle(sh, cell); err == nil && id != 0 {
					st, err := f.GetStyle(id)
					if err != nil {
						t.Fatal(err)
					}
					if st.CustomNumFmt != nil {
						format = " [" + *st.CustomNumFmt + "]"
					} else {
						format = " [" + builtinFormats[st.NumFmt] + "]"
					}
					if st.Font != nil && st.Font.Bold {
						format += " bold"
					}
				}
				fmt.Fprintf(&out, "%s!%s = %s%s\n", sh, cell, val, format)
			}
		}
	}
	return out.String()
}

// pageText says how a sheet prints: its orientation and how it is scaled.
func pageText(t testing.TB, f *excelize.File, sheet string) string {
	t.Helper()
	pl, err := f.GetPageLayout(sheet)
	if err != nil {
		t.Fatal(err)
	}
	props, err := f.GetSheetProps(sheet)
	if err != nil {
		t.Fatal(err)
	}
	s := "page: " + deref(pl.Orientation, "portrait")
	if deref(props.FitToPage, false) {
		s += fmt.Sprintf(", fit to %d wide by %d tall", deref(pl.FitToWidth, 1), deref(pl.FitToHeight, 1))
	}
	return s + "\n"
}

func deref[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}

// TestXLSXPageSetup reads the written workbook back and checks that every
// sheet prints landscape, one page wide, and that the sheets with a header
// row repeat it on every page and keep it frozen on screen.
func TestXLSXPageSetup(t *testing.T) {
	for _, c := range xlsxCases() {
		t.Run(c.name, func(t *testing.T) {
			p, pl := c.setup(t)
			b := writeXLSX(t, c.run, p, pl)
			f, err := excelize.OpenReader(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			titles := map[string]string{}
			for _, dn := range f.GetDefinedName() {
				if dn.Name == "_xlnm.Print_Titles" {
					titles[dn.Scope] = dn.RefersTo
				}
			}
			for _, sh := range f.GetSheetList() {
				pl, err := f.GetPageLayout(sh)
				if err != nil {
					t.Fatal(err)
				}
				props, err := f.GetSheetProps(sh)
				if err != nil {
					t.Fatal(err)
				}
				if got := deref(pl.Orientation, ""); got != "landscape" {
					t.Errorf("%s: orientation %q, want landscape", sh, got)
				}
				if !deref(props.FitToPage, false) || deref(pl.FitToWidth, -1) != 1 || deref(pl.FitToHeight, -1) != 0 {
					t.Errorf("%s: fit to page %v, %d wide by %d tall; want true, 1 by 0", sh,
						deref(props.FitToPage, false), deref(pl.FitToWidth, -1), deref(pl.FitToHeight, -1))
				}
				panes, err := f.GetPanes(sh)
				if err != nil {
					t.Fatal(err)
				}
				header := sh != SheetSummary && sh != SheetChart
				wantTitles := ""
				if header {
					wantTitles = "'" + sh + "'!$1:$1"
					if !panes.Freeze || panes.YSplit != 1 {
						t.Errorf("%s: panes %+v, want the header row frozen", sh, panes)
					}
				}
				if titles[sh] != wantTitles {
					t.Errorf("%s: print titles %q, want %q", sh, titles[sh], wantTitles)
				}
			}
		})
	}
}

// TestXLSXStructure checks the workbook's sheets, chart, frozen headers and
// autofilters in the written parts themselves.
func TestXLSXStructure(t *testing.T) {
	p, pl := ownersCase(t)
	b := writeXLSX(t, Run{}, p, pl)
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	wantSheets := []string{SheetSummary, SheetTerritories, SheetChart, SheetAssignments, SheetMoves}
	if diff := cmp.Diff(wantSheets, f.GetSheetList()); diff != "" {
		t.Errorf("sheets (-want +got):\n%s", diff)
	}

	// One chart, drawn on the Chart sheet, clustered bars, one series per
	// balance rule (3), each referring to the Territories sheet.
	chart := zipPartText(t, b, "xl/charts/chart1.xml")
	if chart == "" {
		t.Fatalf("no xl/charts/chart1.xml in:\n%s", zipListing(t, b))
	}
	dir, grouping := barDirRE.FindStringSubmatch(chart), groupingRE.FindStringSubmatch(chart)
	if dir == nil || dir[1] != "bar" || grouping == nil || grouping[1] != "clustered" {
		t.Errorf("chart is not a clustered bar chart:\n%s", chart)
	}
	if n := len(seriesRE.FindAllString(chart, -1)); n != 3 {
		t.Errorf("chart has %d series, want 3", n)
	}
	parts := sheetParts(t, b)
	if rels := sheetRels(t, b, parts[SheetChart]); len(rels) != 1 || !strings.Contains(rels[0], "drawings/drawing") {
		t.Errorf("the Chart sheet's relationships are %q, want its drawing", rels)
	}

	// Table sheets: header row and first column frozen, an autofilter over
	// the table, in the defined names and in the sheet's XML.
	filters := map[string]string{}
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm._FilterDatabase" {
			filters[dn.Scope] = dn.RefersTo
		}
	}
	tests := []struct {
		sheet  string
		filter string
	}{
		// Territories: 5 columns, 6 per rule (3), 1 other measure, 6 more
		// and 3 of shape: 33 = AG; 2 territories.
		{SheetTerritories, "$A$1:$AG$3"},
		// Assignments: account, name, territory, rep, rep name, owner,
		// distance, 3 measures = J; 5 accounts.
		{SheetAssignments, "$A$1:$J$6"},
		// Moves: account, name, from and to rep and territory, 3 measures
		// = I; a2, a4 and a5 move.
		{SheetMoves, "$A$1:$I$4"},
	}
	for _, tt := range tests {
		panes, err := f.GetPanes(tt.sheet)
		if err != nil {
			t.Fatal(err)
		}
		if !panes.Freeze || panes.YSplit != 1 || panes.XSplit != 1 || panes.TopLeftCell != "B2" {
			t.Errorf("%s: panes %+v, want the header row and first column frozen", tt.sheet, panes)
		}
		if want := "'" + tt.sheet + "'!" + tt.filter; filters[tt.sheet] != want {
			t.Errorf("%s: filter database %q, want %q", tt.sheet, filters[tt.sheet], want)
		}
		x := zipPartText(t, b, parts[tt.sheet])
		if m := autoFiltRE.FindStringSubmatch(x); m == nil || m[1] != tt.filter {
			t.Errorf("%s: autoFilter element %v, want ref %q", tt.sheet, m, tt.filter)
		}
	}

	// The % of target of every rule is coloured by its status column.
	cfs, err := f.GetConditionalFormats(SheetTerritories)
	if err != nil {
		t.Fatal(err)
	}
	for _, rng := range []string{"H2:H3", "N2:N3", "T2:T3"} {
		if len(cfs[rng]) != 2 {
			t.Errorf("conditional formats on %s: %+v, want 2 (within band, outside)", rng, cfs[rng])
		}
	}
	// T1's workload is above its band and T2's within: the status cells
	// that the colours follow.
	for cell, want := range map[string]string{"K1": "Workload status", "K2": "above", "K3": "ok", "Q2": "below"} {
		if got, _ := f.GetCellValue(SheetTerritories, cell); got != want {
			t.Errorf("Territories!%s = %q, want %q", cell, got, want)
		}
	}
}

// TestXLSXNoFormulas checks that text from the inputs that looks like a
// formula is written as a string cell with the text format, reads back as
// written, and that the workbook holds no formula at all.
func TestXLSXNoFormulas(t *testing.T) {
	p, pl := ownersCase(t)
	run := Run{Accounts: "=1+1", Reps: "-1", Rules: []string{"@x"}, Version: "+v", Weight: "=w+1"}
	b := writeXLSX(t, run, p, pl)
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	tests := []struct {
		sheet, cell, want string
	}{
		{SheetTerritories, "C2", hyperlink},
		{SheetTerritories, "L1", "@Revenue"}, // revenue's columns follow workload's 6
		{SheetAssignments, "A2", "-a3"},
		{SheetAssignments, "B2", "+1 555 0100"},
		{SheetAssignments, "B5", "@SUM(A1)"},
		{SheetAssignments, "B6", "\tTab\r"},
		{SheetAssignments, "E3", hyperlink},
		{SheetMoves, "C4", "gone"},
		{SheetSummary, "B8", "=w+1"},  // Weight
		{SheetSummary, "B13", "=1+1"}, // Accounts input
		{SheetSummary, "B14", "-1"},   // Reps input
	}
	for _, tt := range tests {
		t.Run(tt.sheet+"!"+tt.cell, func(t *testing.T) {
			got, err := f.GetCellValue(tt.sheet, tt.cell, excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("value %q, want %q", got, tt.want)
			}
			formula, err := f.GetCellFormula(tt.sheet, tt.cell)
			if err != nil || formula != "" {
				t.Errorf("formula %q (%v), want none", formula, err)
			}
			typ, _ := f.GetCellType(tt.sheet, tt.cell)
			if typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
				t.Errorf("cell type %v, want a string", typ)
			}
			id, _ := f.GetCellStyle(tt.sheet, tt.cell)
			if st, err := f.GetStyle(id); err != nil || st.NumFmt != 49 {
				t.Errorf("number format %v (%v), want 49 (text, so that an edit keeps it text)", st, err)
			}
		})
	}

	// No <f> element in any sheet, and every chart formula a reference.
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	ref := regexp.MustCompile(`^Territories!\$[A-Z]+\$[0-9]+(:\$[A-Z]+\$[0-9]+)?$`)
	for _, zf := range zr.File {
		x := zipPartText(t, b, zf.Name)
		if strings.HasPrefix(zf.Name, "xl/worksheets/") && formulaRE.MatchString(x) {
			t.Errorf("%s holds a formula", zf.Name)
		}
		if strings.HasPrefix(zf.Name, "xl/charts/") {
			for _, m := range chartRefRE.FindAllStringSubmatch(x, -1) {
				if !ref.MatchString(m[1]) {
					t.Errorf("%s: chart formula %q is not a cell reference", zf.Name, m[1])
				}
			}
		}
	}
}

// TestXLSXMoves checks the Moves sheet against ownersCase's owners, and
// that it is left out when no owner is known.
func TestXLSXMoves(t *testing.T) {
	p, pl := ownersCase(t)
	f, err := excelize.OpenReader(bytes.NewReader(writeXLSX(t, Run{}, p, pl)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(SheetMoves)
	if err != nil {
		t.Fatal(err)
	}
	var got [][]string
	for _, r := range rows {
		got = append(got, r[:6]) // leave out the measures
	}
	want := [][]string{
		{"Account", "Name", "From rep", "From territory", "To rep", "To territory"},
		{"a2", "`tick` *bold*", "r2", "T2", "r1", "T1"},
		{"a4", "@SUM(A1)", "r1", "T1", "r2", "T2"},
		{"a5", "\tTab\r", "gone", "", "r2", "T2"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Moves (-want +got):\n%s", diff)
	}
	for cell, want := range map[string]string{"A21": "Accounts with a known owner", "B21": "4", "A22": "Accounts changing rep", "B22": "3"} {
		if v, _ := f.GetCellValue(SheetSummary, cell); v != want {
			t.Errorf("Summary!%s = %q, want %q", cell, v, want)
		}
	}

	p, pl = ownersCase(t)
	p.Accounts.Owners = []string{"", "", "", "", ""}
	f2, err := excelize.OpenReader(bytes.NewReader(writeXLSX(t, Run{}, p, pl)))
	if err != nil {
		t.Fatal(err)
	}
	defer f2.Close()
	if idx, _ := f2.GetSheetIndex(SheetMoves); idx != -1 {
		t.Errorf("a Moves sheet without owners: %v", f2.GetSheetList())
	}
}

// TestXLSXTruncates checks that rows beyond what a sheet holds are left
// out, and that the Summary says so.
func TestXLSXTruncates(t *testing.T) {
	defer func(n int) { maxSheetRows = n }(maxSheetRows)
	maxSheetRows = 3
	p, pl := ownersCase(t)
	f, err := excelize.OpenReader(bytes.NewReader(writeXLSX(t, Run{}, p, pl)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(SheetAssignments)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[3][0] != "a2" {
		t.Errorf("Assignments has %d rows (last %v), want the header and -a3, a1, a2", len(rows), rows[len(rows)-1])
	}
	summary, err := f.GetRows(SheetSummary)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range summary {
		found = found || len(r) > 0 && strings.HasPrefix(r[0], "The Assignments sheet lists the first 3 of 5 rows")
	}
	if !found {
		t.Errorf("the Summary does not say that Assignments was cut:\n%v", summary)
	}
}

// TestXLSXRejects checks that the writer fails, writing nothing, on a
// number that is not finite and on assignments of another plan.
func TestXLSXRejects(t *testing.T) {
	tests := []struct {
		name  string
		spoil func(*territory.Problem, *Metrics)
	}{
		{name: "objective NaN", spoil: func(_ *territory.Problem, m *Metrics) { m.ObjectiveValue = math.NaN() }},
		{name: "load +Inf", spoil: func(_ *territory.Problem, m *Metrics) { m.Territories[0].Loads[0].Load = math.Inf(1) }},
		{name: "centre NaN", spoil: func(_ *territory.Problem, m *Metrics) { m.Territories[1].Center.X = math.NaN() }},
		{name: "measure NaN", spoil: func(p *territory.Problem, _ *Metrics) { p.Accounts.Measures[2].Values[4] = math.NaN() }},
		{name: "other problem", spoil: func(_ *territory.Problem, m *Metrics) { m.Accounts = 6 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, pl := ownersCase(t)
			m := Evaluate(p, pl)
			a, err := NewAssignments(p, pl)
			if err != nil {
				t.Fatal(err)
			}
			tt.spoil(p, m)
			var buf bytes.Buffer
			if err := WriteXLSX(&buf, Run{}, m, a); err == nil {
				t.Errorf("no error")
			}
			if buf.Len() != 0 {
				t.Errorf("wrote %d bytes despite the error", buf.Len())
			}
		})
	}
}

func TestNewAssignmentsRejects(t *testing.T) {
	tests := []struct {
		name  string
		spoil func(*territory.Problem, *territory.Plan)
	}{
		{name: "plan too short", spoil: func(_ *territory.Problem, pl *territory.Plan) { pl.Assign = pl.Assign[:4] }},
		{name: "names", spoil: func(p *territory.Problem, _ *territory.Plan) { p.Accounts.Names = []string{"x"} }},
		{name: "owners", spoil: func(p *territory.Problem, _ *territory.Plan) { p.Accounts.Owners = []string{"x"} }},
		{name: "measure", spoil: func(p *territory.Problem, _ *territory.Plan) { p.Accounts.Measures[1].Values = nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, pl := ownersCase(t)
			tt.spoil(p, pl)
			if _, err := NewAssignments(p, pl); err == nil || !strings.HasPrefix(err.Error(), "report: ") {
				t.Errorf("error %v, want one prefixed with the package name", err)
			}
		})
	}
}

// TestXLSXWithoutAssignments checks that a nil *Assignments leaves out the
// Assignments and Moves sheets.
func TestXLSXWithoutAssignments(t *testing.T) {
	p, pl := planarCase(t, territory.SSE)
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, Run{}, Evaluate(p, pl), nil); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if diff := cmp.Diff([]string{SheetSummary, SheetTerritories, SheetChart}, f.GetSheetList()); diff != "" {
		t.Errorf("sheets (-want +got):\n%s", diff)
	}
}

// TestXLSXInvalidText checks that characters XML cannot hold (NUL, other
// control characters, invalid UTF-8) in names neither break the workbook
// nor vanish: they read back as U+FFFD.
func TestXLSXInvalidText(t *testing.T) {
	p, pl := ownersCase(t)
	p.Reps[0].Name = "a\x00b\x01c\xffd"
	p.Accounts.Names[0] = "x\x02y"
	f, err := excelize.OpenReader(bytes.NewReader(writeXLSX(t, Run{}, p, pl)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, tt := range []struct{ sheet, cell, want string }{
		{SheetTerritories, "C2", "a\uFFFDb\uFFFDc\uFFFDd"}, // normal mode: shared strings
		{SheetAssignments, "B3", "x\uFFFDy"},               // streamed: inline strings
	} {
		if got, err := f.GetCellValue(tt.sheet, tt.cell); err != nil || got != tt.want {
			t.Errorf("%s!%s = %q (%v), want %q", tt.sheet, tt.cell, got, err, tt.want)
		}
	}
}
