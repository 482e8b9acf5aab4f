package tabular

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// testSheet is a sheet of a workbook made by a test. A cell is nil (no
// cell), a value for excelize's SetCellValue, a formula or a styled value.
type testSheet struct {
	name string
	rows [][]any
	// tallRows are rows given a height and nothing else: rows that Excel
	// stores without cells.
	tallRows []int
	hidden   bool
}

// formula is a formula cell with the value Excel cached when it last
// calculated the workbook.
type formula struct {
	expr   string
	cached any
}

// styled is a cell shown with one of Excel's built-in number formats
// (2 is "0.00", 3 is "#,##0", 9 is "0%"); a nil value is an empty cell
// that only has the format, as formatting a column leaves behind.
type styled struct {
	value  any
	numFmt int
}

// makeWorkbook builds a workbook of the sheets, in order, and returns its
// bytes.
func makeWorkbook(tb testing.TB, sheets ...testSheet) []byte {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	check := func(err error) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
	}
	for i, s := range sheets {
		if i == 0 {
			check(f.SetSheetName("Sheet1", s.name))
		} else {
			_, err := f.NewSheet(s.name)
			check(err)
		}
		for r, row := range s.rows {
			for c, v := range row {
				cell, err := excelize.CoordinatesToCellName(c+1, r+1)
				check(err)
				switch v := v.(type) {
				case nil:
				case formula:
					// The value first: SetCellValue drops a cell's formula,
					// SetCellFormula keeps its value.
					check(f.SetCellValue(s.name, cell, v.cached))
					check(f.SetCellFormula(s.name, cell, v.expr))
					if got, err := f.GetCellFormula(s.name, cell); err != nil || got != v.expr {
						tb.Fatalf("cell %s: formula %q, %v; want %q", cell, got, err, v.expr)
					}
				case styled:
					if v.value != nil {
						check(f.SetCellValue(s.name, cell, v.value))
					}
					style, err := f.NewStyle(&excelize.Style{NumFmt: v.numFmt})
					check(err)
					check(f.SetCellStyle(s.name, cell, cell, style))
				default:
					check(f.SetCellValue(s.name, cell, v))
				}
			}
		}
		for _, r := range s.tallRows {
			check(f.SetRowHeight(s.name, r, 30))
		}
	}
	for _, s := range sheets {
		if s.hidden {
			check(f.SetSheetVisible(s.name, false))
		}
	}
	var b bytes.Buffer
	check(f.Write(&b))
	return b.Bytes()
}

var (
	notesSheet = testSheet{name: "Notes", rows: [][]any{
		{"Territory test workbook"},
		{"Accounts and reps are on the sheets that follow."},
	}}
	// accountsSheet holds the data of accountsSheetCSV: numbers as numbers
	// (some formatted, which must not change what is read), numbers as
	// text, formulas, booleans, a blank row, and empty rows and cells after
	// the data.
	accountsSheet = testSheet{name: "Accounts", rows: [][]any{
		{"Account ID", "Annual Revenue", "Home Lat", "Home Lon", "Visits", "Name", "Owner", "Locked"},
		{"A1", styled{1200.5, 3}, styled{40.7128, 2}, -74.006, formula{"B2*2", 2401}, "Acme", "R1", true, styled{nil, 2}, styled{nil, 2}},
		{"A2", "950", "41.5", "-73.25", formula{"B3*2", 1900}, "Bolt, Inc", "R2", "no", ""},
		{},
		{7, 0.25, " 42 ", -71, formula{"B5*2", 0.5}, "Cog", nil, false},
		{styled{nil, 2}, styled{nil, 2}},
		{"", " "},
	}, tallRows: []int{9, 10}}
	accountsSheetCSV = "Account ID,Annual Revenue,Home Lat,Home Lon,Visits,Name,Owner,Locked\n" +
		"A1,1200.5,40.7128,-74.006,2401,Acme,R1,TRUE\n" +
		"A2,950,41.5,-73.25,1900,\"Bolt, Inc\",R2,no\n" +
		"\n" +
		"7,0.25, 42 ,-71,0.5,Cog,,FALSE\n"

	repsSheet = testSheet{name: "Reps", rows: [][]any{
		{"Rep ID", "Rep Name", "Home Lat", "Home Lon", "Capacity"},
		{"R1", "Ann", 40.5, -74, 1},
		{"R2", "Bob", nil, nil, "50%"},
		{"R3", "Cy", "41", -72, styled{0.5, 9}},
	}}
	repsSheetCSV = "Rep ID,Rep Name,Home Lat,Home Lon,Capacity\n" +
		"R1,Ann,40.5,-74,1\n" +
		"R2,Bob,,,50%\n" +
		"R3,Cy,41,-72,0.5\n"
)

// writeFile writes data to name in a temporary directory and returns its
// path.
func writeFile(tb testing.TB, name string, data []byte) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

// TestReadXLSX checks that a workbook reads as the same data saved as CSV
// does, whichever way it is read.
func TestReadXLSX(t *testing.T) {
	book := makeWorkbook(t, notesSheet, accountsSheet, repsSheet)
	path := writeFile(t, "book.xlsx", book)
	noExt := writeFile(t, "book", book) // found by its content

	wantOpt := Options{Measures: []string{"annual revenue", "Visits"}}
	want, wantSpace, err := ReadAccounts(strings.NewReader(accountsSheetCSV), "x", wantOpt)
	if err != nil {
		t.Fatal(err)
	}
	// The formula cells must have given their cached values, and the
	// formatted cells their stored ones.
	if got := want.Measure("visits").Values; !cmp.Equal(got, []float64{2401, 1900, 0.5}) {
		t.Fatalf("CSV visits = %v", got)
	}
	wantReps, wantRepsSpace, err := ReadReps(strings.NewReader(repsSheetCSV), "x", Options{})
	if err != nil {
		t.Fatal(err)
	}

	accountsReaders := []struct {
		name string
		opt  Options
		read func(opt Options) (territory.Accounts, territory.Space, error)
	}{
		{name: "file", read: func(opt Options) (territory.Accounts, territory.Space, error) { return ReadAccountsFile(path, opt) }},
		{name: "file without extension", read: func(opt Options) (territory.Accounts, territory.Space, error) { return ReadAccountsFile(noExt, opt) }},
		{name: "reader", read: func(opt Options) (territory.Accounts, territory.Space, error) {
			return ReadAccounts(bytes.NewReader(book), "x", opt)
		}},
		{name: "named sheet", opt: Options{Sheet: " accounts "}, read: func(opt Options) (territory.Accounts, territory.Space, error) {
			return ReadAccountsFile(path, opt)
		}},
	}
	for _, tt := range accountsReaders {
		t.Run("accounts/"+tt.name, func(t *testing.T) {
			opt := tt.opt
			opt.Measures = wantOpt.Measures
			got, space, err := tt.read(opt)
			if err != nil {
				t.Fatal(err)
			}
			if space != wantSpace {
				t.Errorf("space %v, want %v", space, wantSpace)
			}
			got.Source = "x"
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("accounts differ from the CSV's (-csv +xlsx):\n%s", diff)
			}
		})
	}

	repsReaders := []struct {
		name string
		read func() ([]territory.Rep, territory.Space, error)
	}{
		{name: "file", read: func() ([]territory.Rep, territory.Space, error) { return ReadRepsFile(path, Options{}) }},
		{name: "reader", read: func() ([]territory.Rep, territory.Space, error) {
			return ReadReps(bytes.NewReader(book), "x", Options{})
		}},
		{name: "named sheet", read: func() ([]territory.Rep, territory.Space, error) { return ReadRepsFile(path, Options{Sheet: "REPS"}) }},
	}
	for _, tt := range repsReaders {
		t.Run("reps/"+tt.name, func(t *testing.T) {
			got, space, err := tt.read()
			if err != nil {
				t.Fatal(err)
			}
			if space != wantRepsSpace {
				t.Errorf("space %v, want %v", space, wantRepsSpace)
			}
			if diff := cmp.Diff(wantReps, got); diff != "" {
				t.Errorf("reps differ from the CSV's (-csv +xlsx):\n%s", diff)
			}
		})
	}
}

// TestReadXLSXSheetChoice checks which sheet is read when none is named.
func TestReadXLSXSheetChoice(t *testing.T) {
	plain := func(name string, header ...any) testSheet {
		row := []any{"S-" + name}
		for len(row) < len(header) {
			row = append(row, len(row))
		}
		return testSheet{name: name, rows: [][]any{header, row}}
	}
	tests := []struct {
		name         string
		sheets       []testSheet
		wantAccounts string // the first id read: which sheet was read
		wantReps     string
	}{
		{name: "notes, accounts, reps", sheets: []testSheet{notesSheet, accountsSheet, repsSheet}, wantAccounts: "A1", wantReps: "R1"},
		{name: "reps before accounts", sheets: []testSheet{repsSheet, notesSheet, accountsSheet}, wantAccounts: "A1", wantReps: "R1"},
		{name: "sheet names decide between id columns",
			sheets:       []testSheet{plain("Sales reps", "id", "lat", "lon"), plain("Key accounts", "id", "lat", "lon")},
			wantAccounts: "S-Key accounts", wantReps: "S-Sales reps"},
		{name: "id columns decide between sheet names",
			sheets:       []testSheet{plain("Sheet1", "rep_id", "lat", "lon"), plain("Sheet2", "account", "lat", "lon")},
			wantAccounts: "S-Sheet2", wantReps: "S-Sheet1"},
		{name: "otherwise the first that fits",
			sheets:       []testSheet{plain("Notes", "note"), plain("B", "id", "x", "y"), plain("C", "id", "x", "y")},
			wantAccounts: "S-B", wantReps: "S-B"},
		{name: "visible sheets before hidden ones",
			sheets:       []testSheet{notesSheet, {name: "Old accounts", rows: accountsSheet.rows[:2], hidden: true}, plain("Current", "id", "lat", "lon")},
			wantAccounts: "S-Current", wantReps: "S-Current"},
		{name: "a hidden sheet when no visible one will do",
			sheets:       []testSheet{notesSheet, {name: "Old accounts", rows: accountsSheet.rows[:2], hidden: true}},
			wantAccounts: "A1", wantReps: "A1"},
		{name: "reps need no location",
			sheets:       []testSheet{plain("A", "id", "name"), plain("B", "id", "x", "y")},
			wantAccounts: "S-B", wantReps: "S-A"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			book := makeWorkbook(t, tt.sheets...)
			a, _, err := ReadAccounts(bytes.NewReader(book), "book.xlsx", Options{})
			if err != nil {
				t.Fatal(err)
			}
			if a.IDs[0] != tt.wantAccounts {
				t.Errorf("accounts: first id %q, want %q", a.IDs[0], tt.wantAccounts)
			}
			reps, _, err := ReadReps(bytes.NewReader(book), "book.xlsx", Options{})
			if err != nil {
				t.Fatal(err)
			}
			if reps[0].ID != tt.wantReps {
				t.Errorf("reps: first id %q, want %q", reps[0].ID, tt.wantReps)
			}
		})
	}
}

// rawZip builds a ZIP archive whose entries declare the given uncompressed
// sizes without holding that much data: what a ZIP bomb looks like from
// its directory.
func rawZip(tb testing.TB, sizes map[string]uint64) []byte {
	tb.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, name := range []string{"[Content_Types].xml", "xl/styles.xml", "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"} {
		size, ok := sizes[name]
		if !ok {
			continue
		}
		w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Store, CompressedSize64: 1, UncompressedSize64: size})
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := w.Write([]byte("x")); err != nil {
			tb.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

func TestReadXLSXErrors(t *testing.T) {
	book := makeWorkbook(t, notesSheet, accountsSheet, repsSheet)
	var notWorkbook bytes.Buffer
	zw := zip.NewWriter(&notWorkbook)
	if w, err := zw.Create("hello.txt"); err != nil {
		t.Fatal(err)
	} else if _, err := w.Write([]byte("hello")); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		in   []byte
		reps bool // read reps, not accounts
		opt  Options
		want []string
	}{
		{name: "unknown sheet", in: book, opt: Options{Sheet: "Customers"},
			want: []string{`read accounts "book.xlsx": no sheet named "Customers" (the workbook has sheets "Notes", "Accounts" and "Reps")`}},
		{name: "unknown sheet of one", in: makeWorkbook(t, accountsSheet), reps: true, opt: Options{Sheet: "Reps"},
			want: []string{`read reps "book.xlsx": no sheet named "Reps" (the workbook has one sheet, "Accounts")`}},
		{name: "no sheet with an id and a location",
			in: makeWorkbook(t, notesSheet, testSheet{name: "Data", rows: [][]any{{"id", "name", "revenue"}, {"1", "a", 2}}}),
			want: []string{`read accounts "book.xlsx": no sheet has a header row with an id and a location (latitude and longitude, or x and y): ` +
				`the workbook has sheets "Notes" and "Data"; name the sheet to read to see what its header lacks`}},
		{name: "no sheet with an id", reps: true,
			in: makeWorkbook(t, notesSheet, testSheet{name: "Data", rows: [][]any{{"name", "region"}, {"Ann", "West"}}}),
			want: []string{`read reps "book.xlsx": no sheet has a header row with an id: ` +
				`the workbook has sheets "Notes" and "Data"; name the sheet to read to see what its header lacks`}},
		{name: "named sheet without the columns", in: book, opt: Options{Sheet: "notes"},
			want: []string{
				`read accounts "book.xlsx": no id column (expected one of "id", "account_id", "account" or "rep_id"; found "Territory test workbook") (the first row must hold the column names)`,
				`read accounts "book.xlsx": no location columns: expected latitude and longitude ("lat", "latitude", "home_lat" or "home_latitude"; "lon", "lng", "long", "longitude", "home_lon", "home_lng" or "home_longitude") or planar "x" and "y"; found "Territory test workbook" (the first row must hold the column names)`,
			}},
		{name: "bad cells cite the sheet's rows",
			in: makeWorkbook(t, testSheet{name: "Accounts", rows: [][]any{
				{"Account ID", "Home Lat", "Home Lon", "Annual Revenue"},
				{"A1", 40, -74, 100},
				{"A2", "north", -74, "12,5x"},
				nil,
				{"A3", 40, -74, "#N/A"},
				{"A3", 40, 200, 1},
			}}),
			opt: Options{Measures: []string{"Annual Revenue"}},
			want: []string{
				`read accounts "book.xlsx": row 3, column "Home Lat": invalid number "north"`,
				`read accounts "book.xlsx": row 3, column "Annual Revenue": invalid number "12,5x"`,
				`read accounts "book.xlsx": row 5, column "Annual Revenue": invalid number "#N/A" (a spreadsheet error value)`,
				`read accounts "book.xlsx": row 6, column "Home Lon": longitude 200 is not between -180 and 180`,
				`read accounts "book.xlsx": row 6, column "Account ID": duplicate id "A3" (first at row 5)`,
			}},
		{name: "value right of the header",
			in:   makeWorkbook(t, testSheet{name: "Sheet1", rows: [][]any{{"id", "x", "y"}, {"1", 0, 0}, {"2", 1, 1, nil, "oops"}}}),
			want: []string{`read accounts "book.xlsx": row 3: cell E3 holds "oops" but its column has no name in the header row`}},
		{name: "empty sheet", in: makeWorkbook(t, notesSheet, testSheet{name: "Empty"}), opt: Options{Sheet: "Empty"},
			want: []string{`read accounts "book.xlsx": file is empty (expected a header row with column names, then one row per account)`}},
		{name: "corrupt zip", in: []byte("PK\x03\x04 not really a zip"),
			want: []string{`read accounts "book.xlsx": this is not a valid XLSX workbook: the ZIP archive is damaged or incomplete (zip: not a valid zip file)`}},
		{name: "truncated workbook", in: book[:len(book)/2], reps: true,
			want: []string{`read reps "book.xlsx": this is not a valid XLSX workbook: the ZIP archive is damaged or incomplete (zip: not a valid zip file)`}},
		{name: "zip that is not a workbook", in: notWorkbook.Bytes(),
			want: []string{`read accounts "book.xlsx": this is a ZIP archive but not an XLSX workbook (it has no [Content_Types].xml part)`}},
		{name: "part over the XML limit",
			in:   rawZip(t, map[string]uint64{"[Content_Types].xml": 1, "xl/styles.xml": xlsxXMLLimit + 1}),
			want: []string{`read accounts "book.xlsx": part "xl/styles.xml" of the workbook unzips to 67108865 bytes, more than the 64 MiB this reader accepts`}},
		{name: "workbook over the unzip limit",
			in:   rawZip(t, map[string]uint64{"[Content_Types].xml": 1, "xl/worksheets/sheet1.xml": 600 << 20, "xl/worksheets/sheet2.xml": 600 << 20}),
			want: []string{`read accounts "book.xlsx": the workbook unzips to more than 1 GiB, more than this reader accepts`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.reps {
				_, _, err = ReadReps(bytes.NewReader(tt.in), "book.xlsx", tt.opt)
			} else {
				_, _, err = ReadAccounts(bytes.NewReader(tt.in), "book.xlsx", tt.opt)
			}
			if diff := cmp.Diff(tt.want, messages(t, err)); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			// The same from a file, found by its content.
			path := writeFile(t, "book.xlsx", tt.in)
			if tt.reps {
				_, _, err = ReadRepsFile(path, tt.opt)
			} else {
				_, _, err = ReadAccountsFile(path, tt.opt)
			}
			want := make([]string, len(tt.want))
			for i, w := range tt.want {
				want[i] = strings.Replace(w, `"book.xlsx"`, fmt.Sprintf("%q", path), 1)
			}
			if diff := cmp.Diff(want, messages(t, err)); diff != "" {
				t.Errorf("from a file: problems (-want +got):\n%s", diff)
			}
		})
	}
}

// TestReadXLSXFileKinds checks the files that are refused for what they
// are rather than for what they hold.
func TestReadXLSXFileKinds(t *testing.T) {
	xls := writeFile(t, "old.xls", append([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), make([]byte, 504)...))
	csvNamedXLSX := writeFile(t, "accounts.xlsx", []byte("id,lat,lon\n1,2,3\n"))
	tests := []struct {
		name string
		path string
		want string
	}{
		{name: "xls", path: xls,
			want: fmt.Sprintf("%q: this is a legacy Excel (.xls) workbook, or a password-protected one, not XLSX or CSV: save it as .xlsx (Excel Workbook) or as CSV (UTF-8)", xls)},
		{name: "CSV named .xlsx", path: csvNamedXLSX,
			want: fmt.Sprintf("%q: this is not an XLSX workbook: its name ends in .xlsx but it is not a ZIP archive (if it is CSV text, name it .csv)", csvNamedXLSX)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ReadAccountsFile(tt.path, Options{})
			if diff := cmp.Diff([]string{"read accounts " + tt.want}, messages(t, err)); diff != "" {
				t.Errorf("accounts (-want +got):\n%s", diff)
			}
			_, _, err = ReadRepsFile(tt.path, Options{})
			if diff := cmp.Diff([]string{"read reps " + tt.want}, messages(t, err)); diff != "" {
				t.Errorf("reps (-want +got):\n%s", diff)
			}
		})
	}
}

// xlsxFuzzSeeds are small workbooks, whole and damaged.
func xlsxFuzzSeeds(tb testing.TB) [][]byte {
	book := makeWorkbook(tb, notesSheet, accountsSheet, repsSheet)
	planar := makeWorkbook(tb, testSheet{name: "Sheet1", rows: [][]any{{"id", "x", "y", "w"}, {"1", 0, 0, ""}, {"2", 1, 1, "abc"}, {"2", nil, 1, 3, "x"}}})
	reps := makeWorkbook(tb, repsSheet)
	return [][]byte{book, planar, reps, book[:len(book)/2], book[:600], []byte("PK\x03\x04"), []byte("PK\x05\x06" + strings.Repeat("\x00", 18))}
}

func FuzzReadXLSX(f *testing.F) {
	for _, s := range xlsxFuzzSeeds(f) {
		f.Add(s, "")
	}
	f.Add(makeWorkbook(f, accountsSheet), "annual_revenue")
	f.Fuzz(func(t *testing.T, in []byte, measure string) {
		opt := Options{}
		if measure != "" {
			opt.Measures = []string{measure}
		}
		a, space, err := ReadAccounts(bytes.NewReader(in), "f.csv", opt)
		if err != nil {
			checkProblems(t, err)
		} else {
			if a.Len() == 0 || len(a.Locs) != a.Len() || len(a.Rows) != a.Len() {
				t.Fatalf("%d accounts with %d locations and %d rows", a.Len(), len(a.Locs), len(a.Rows))
			}
			for i := range a.Locs {
				checkPoint(t, space, a.Locs[i])
			}
		}
		reps, _, err := ReadReps(bytes.NewReader(in), "f.csv", Options{})
		if err != nil {
			checkProblems(t, err)
		} else if len(reps) == 0 {
			t.Fatal("no reps and no error")
		}
	})
}

// compoundFile builds the smallest OLE2 compound file (MS-CFB, version 3,
// 512-byte sectors) that holds the named streams, empty: a header, one
// FAT sector and one directory sector. A password-protected .xlsx is such
// a file holding "EncryptionInfo" and "EncryptedPackage" streams; a legacy
// .xls holds "Workbook". At most three streams fit in the one directory
// sector beside the root.
func compoundFile(t testing.TB, streams ...string) []byte {
	t.Helper()
	if len(streams) > 3 {
		t.Fatal("compoundFile: at most 3 streams")
	}
	const (
		sector     = 512
		freeSect   = 0xFFFFFFFF
		endOfChain = 0xFFFFFFFE
		fatSect    = 0xFFFFFFFD
		noStream   = 0xFFFFFFFF
	)
	b := make([]byte, 3*sector)
	le := binary.LittleEndian
	copy(b, oleMagic)
	le.PutUint16(b[24:], 0x003E) // minor version
	le.PutUint16(b[26:], 3)      // major version
	le.PutUint16(b[28:], 0xFFFE) // byte order
	le.PutUint16(b[30:], 9)      // sector shift: 512
	le.PutUint16(b[32:], 6)      // mini sector shift: 64
	le.PutUint32(b[44:], 1)      // FAT sectors
	le.PutUint32(b[48:], 1)      // first directory sector
	le.PutUint32(b[56:], 4096)   // mini stream cutoff
	le.PutUint32(b[60:], endOfChain)
	le.PutUint32(b[68:], endOfChain)
	le.PutUint32(b[76:], 0) // DIFAT[0]: the FAT is sector 0
	for i := 1; i < 109; i++ {
		le.PutUint32(b[76+4*i:], freeSect)
	}
	fat := b[sector : 2*sector]
	for i := 0; i < sector/4; i++ {
		le.PutUint32(fat[4*i:], freeSect)
	}
	le.PutUint32(fat[0:], fatSect)
	le.PutUint32(fat[4:], endOfChain)
	dir := b[2*sector:]
	entry := func(i int, name string, typ byte, child, right uint32) {
		e := dir[128*i : 128*(i+1)]
		u := utf16.Encode([]rune(name))
		for j, c := range u {
			le.PutUint16(e[2*j:], c)
		}
		le.PutUint16(e[64:], uint16(2*len(u)+2))
		e[66], e[67] = typ, 1 // black
		le.PutUint32(e[68:], noStream)
		le.PutUint32(e[72:], right)
		le.PutUint32(e[76:], child)
		le.PutUint32(e[116:], endOfChain)
	}
	child := uint32(noStream)
	if len(streams) > 0 {
		child = 1
	}
	entry(0, "Root Entry", 5, child, noStream)
	for i, s := range streams {
		right := uint32(noStream)
		if i+1 < len(streams) {
			right = uint32(i + 2)
		}
		entry(i+1, s, 2, noStream, right)
	}
	for i := len(streams) + 1; i < 4; i++ {
		e := dir[128*i:]
		le.PutUint32(e[68:], noStream)
		le.PutUint32(e[72:], noStream)
		le.PutUint32(e[76:], noStream)
	}
	return b
}

func TestReadEncryptedWorkbook(t *testing.T) {
	encrypted := compoundFile(t, "EncryptionInfo", "EncryptedPackage")
	legacy := compoundFile(t, "Workbook")
	const (
		encMsg = `: this workbook is password-protected (encrypted), so it cannot be read: save it unprotected ` +
			`(in Excel, File > Info > Protect Workbook > Encrypt with Password, clear the password), as .xlsx or as CSV (UTF-8)`
		xlsTail = `: this is a legacy Excel (.xls) workbook, or a password-protected one, not XLSX or CSV: save it as .xlsx (Excel Workbook) or as CSV (UTF-8)`
	)
	tests := []struct {
		name string
		file string
		in   []byte
		want string // the message after "read accounts" or "read reps" and the quoted path
	}{
		{name: "encrypted xlsx", file: "book.xlsx", in: encrypted, want: encMsg},
		{name: "encrypted named .xls", file: "book.xls", in: encrypted, want: encMsg},
		{name: "encrypted named .csv", file: "book.csv", in: encrypted, want: encMsg},
		{name: "legacy xls", file: "book.xls", in: legacy, want: xlsTail},
		{name: "legacy named .xlsx", file: "book.xlsx", in: legacy, want: xlsTail},
		{name: "truncated compound file", file: "book.xlsx", in: encrypted[:600], want: xlsTail},
	}
	// The bad-input case of the CLI is this file.
	shipped, err := os.ReadFile("../../testdata/bad/xlsx_password_protected/accounts.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(shipped, encrypted) {
		t.Errorf("testdata/bad/xlsx_password_protected/accounts.xlsx is not compoundFile(EncryptionInfo, EncryptedPackage)")
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, tt.file, tt.in)
			_, _, err := ReadAccountsFile(path, Options{})
			if got, want := fmt.Sprint(err), "read accounts "+strconv.Quote(path)+tt.want; got != want {
				t.Errorf("ReadAccountsFile error:\n got %s\nwant %s", got, want)
			}
			_, _, err = ReadRepsFile(path, Options{})
			if got, want := fmt.Sprint(err), "read reps "+strconv.Quote(path)+tt.want; got != want {
				t.Errorf("ReadRepsFile error:\n got %s\nwant %s", got, want)
			}
		})
	}
}
