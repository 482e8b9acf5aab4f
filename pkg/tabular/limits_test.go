package tabular

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// cancelRows is how many rows the inputs of TestReadContext have: more
// than the checkEvery rows between two looks at the context.
const cancelRows = checkEvery + 10

// TestReadContext reads tables with a cancelled context, and checks that
// every reader stops with the context's error, and reads them in full with
// a live one.
func TestReadContext(t *testing.T) {
	var accounts, reps bytes.Buffer
	accounts.WriteString("id,lat,lon,revenue\n")
	reps.WriteString("id,lat,lon\n")
	rows := [][]any{{"id", "lat", "lon"}}
	for i := range cancelRows {
		fmt.Fprintf(&accounts, "a%d,35,-80,%d\n", i, i)
		fmt.Fprintf(&reps, "r%d,35,-80\n", i)
		rows = append(rows, []any{fmt.Sprintf("a%d", i), 35, -80})
	}
	book := makeWorkbook(t, testSheet{name: "Accounts", rows: rows})
	csvPath := writeFile(t, "a.csv", accounts.Bytes())
	repsPath := writeFile(t, "r.csv", reps.Bytes())
	bookPath := writeFile(t, "a.xlsx", book)

	tests := []struct {
		name string
		file string // as messages name it
		read func(ctx context.Context) (rows int, err error)
	}{
		{"ReadAccountsContext CSV", "a.csv", func(ctx context.Context) (int, error) {
			a, _, err := ReadAccountsContext(ctx, bytes.NewReader(accounts.Bytes()), "a.csv", Options{})
			return a.Len(), err
		}},
		{"ReadAccountsContext XLSX", "a.xlsx", func(ctx context.Context) (int, error) {
			a, _, err := ReadAccountsContext(ctx, bytes.NewReader(book), "a.xlsx", Options{})
			return a.Len(), err
		}},
		{"ReadAccountsFileContext CSV", csvPath, func(ctx context.Context) (int, error) {
			a, _, err := ReadAccountsFileContext(ctx, csvPath, Options{})
			return a.Len(), err
		}},
		{"ReadAccountsFileContext XLSX", bookPath, func(ctx context.Context) (int, error) {
			a, _, err := ReadAccountsFileContext(ctx, bookPath, Options{})
			return a.Len(), err
		}},
		{"ReadRepsContext", "r.csv", func(ctx context.Context) (int, error) {
			r, _, err := ReadRepsContext(ctx, bytes.NewReader(reps.Bytes()), "r.csv", Options{})
			return len(r), err
		}},
		{"ReadRepsFileContext", repsPath, func(ctx context.Context) (int, error) {
			r, _, err := ReadRepsFileContext(ctx, repsPath, Options{})
			return len(r), err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := tt.read(context.Background())
			if err != nil || n != cancelRows {
				t.Fatalf("with a live context: %d rows, error %v; want %d rows", n, err, cancelRows)
			}
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			n, err = tt.read(ctx)
			if !errors.Is(err, context.Canceled) || n != 0 {
				t.Fatalf("with a cancelled context: %d rows, error %v; want none and context.Canceled", n, err)
			}
			what := "read accounts"
			if strings.HasPrefix(tt.name, "ReadReps") {
				what = "read reps"
			}
			if want := fmt.Sprintf("%s %q: context canceled", what, tt.file); err.Error() != want {
				t.Errorf("error %q, want %q", err, want)
			}
		})
	}
}

// TestReadCSVLongRow checks that a row longer than maxRowBytes is refused,
// naming its row, without holding it in memory, whether the row is one
// line or a quoted field that runs on (issue 7: a CSV with a 40 MB line).
func TestReadCSVLongRow(t *testing.T) {
	long := strings.Repeat("9", 40<<20) // issue 7's 40 MB line
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{
			name: "a 40 MB value",
			in:   "id,lat,lon,revenue\na1,35,-80,1\na2,35,-80," + long + "\na3,35,-80,1\n",
			want: []string{`read accounts "a.csv": row 3: ` + longRowMsg},
		},
		{
			name: "after empty lines",
			in:   "id,lat,lon,revenue\n\r\n\na1,35,-80,1\n\n\n" + "a2,35,-80," + long + "\n",
			want: []string{`read accounts "a.csv": row 7: ` + longRowMsg},
		},
		{
			name: "a quote never closed, over many short lines",
			in:   "id,name,lat,lon\na1,\"Acme,35,-80\n" + strings.Repeat("a2,Bolt,35,-80\n", 200_000),
			want: []string{`read accounts "a.csv": row 2: ` + longRowMsg},
		},
		{
			name: "the header",
			in:   "id,lat,lon," + long + "\na1,35,-80\n",
			want: []string{`read accounts "a.csv": row 1: header row: ` + longRowMsg},
		},
		{
			name: "just under the limit",
			in:   "id,lat,lon,note\na1,35,-80," + strings.Repeat("x", maxRowBytes-16) + "\na2,35,-80,\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &countingReader{r: strings.NewReader(tt.in)}
			_, _, err := ReadAccounts(r, "a.csv", Options{})
			if diff := cmp.Diff(tt.want, messages(t, err)); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			// Reading stopped soon after the limit, not at the end.
			if tt.want != nil && r.n > 2*maxRowBytes {
				t.Errorf("read %d bytes of %d: reading went on past the long row", r.n, len(tt.in))
			}
		})
	}
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n += n
	return n, err
}

// TestRowLimitRows checks the row that rowLimit says a row starts on
// against encoding/csv's, across empty lines, CRLF endings, quoted line
// breaks and rows that straddle its buffer.
func TestRowLimitRows(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,note\r\n")
	for i := range 3000 {
		switch i % 5 {
		case 0:
			b.WriteString("\n\r\n")
		case 1:
			fmt.Fprintf(&b, "a%d,\"two\nlines\"\n", i)
			continue
		case 2:
			fmt.Fprintf(&b, "a%d,%s\r\n", i, strings.Repeat("y", i))
			continue
		}
		fmt.Fprintf(&b, "a%d,x\n", i)
	}
	src, _, err := openCSV(strings.NewReader(b.String()), accountsKind)
	if err != nil {
		t.Fatal(err)
	}
	s := src.(*csvSource)
	for {
		row := s.limit.row
		_, line, err := s.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if !s.limit.leading && row != line {
			t.Fatalf("rowLimit says row %d, encoding/csv %d", row, line)
		}
	}
}

// bombZip builds an XLSX workbook whose sheet1.xml is the header row,
// head, body repeated size/len(body) times, tail: a ZIP bomb of a few
// kilobytes however large size is. The sheet is deflated as pieces that
// each stand alone (a writer flushed after each), the piece of a megabyte
// of body repeated as often as needed, so that building it costs nothing.
// The archive declares the sheet's true size, or 1 KiB with lie, and no
// checksum (archive/zip then checks none), which would cost a pass over
// the whole.
func bombZip(tb testing.TB, head, body, tail string, size int, lie bool) []byte {
	tb.Helper()
	deflate := func(s string, final bool) []byte {
		var b bytes.Buffer
		w, err := flate.NewWriter(&b, flate.BestCompression)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := io.WriteString(w, s); err != nil {
			tb.Fatal(err)
		}
		if final {
			err = w.Close()
		} else {
			err = w.Flush()
		}
		if err != nil {
			tb.Fatal(err)
		}
		return b.Bytes()
	}
	head = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c><c r="B1" t="inlineStr"><is><t>lat</t></is></c><c r="C1" t="inlineStr"><is><t>lon</t></is></c></row>` +
		head
	tail += `</sheetData></worksheet>`
	mb := strings.Repeat(body, (1<<20)/len(body))
	var sheet bytes.Buffer
	sheet.Write(deflate(head, false))
	piece := deflate(mb, false)
	n := len(head) + len(tail)
	for left := size; left > 0; left -= len(mb) {
		if left < len(mb) {
			part := mb[:left/len(body)*len(body)]
			sheet.Write(deflate(part, false))
			n += len(part)
			break
		}
		sheet.Write(piece)
		n += len(mb)
	}
	sheet.Write(deflate(tail, true))
	declared := uint64(n)
	if lie {
		declared = 1024
	}

	parts := []struct{ name, content string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
			`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Accounts" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`},
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, p := range parts {
		w, err := zw.Create(p.name)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := io.WriteString(w, p.content); err != nil {
			tb.Fatal(err)
		}
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate,
		CompressedSize64: uint64(sheet.Len()), UncompressedSize64: declared})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := w.Write(sheet.Bytes()); err != nil {
		tb.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// TestReadXLSXBombs reads workbooks of a few hundred kilobytes whose parts
// unzip to hundreds of megabytes, as issue 7 asks: each is refused, before
// excelize unzips it, with a message naming the part.
func TestReadXLSXBombs(t *testing.T) {
	const sheet = `"xl/worksheets/sheet1.xml"`
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{
			name: "a cell of 900 MiB",
			in:   bombZip(t, `<row r="2"><c r="A2" t="inlineStr"><is><t>`, "A", `</t></is></c></row>`, 900<<20, false),
			want: `part ` + sheet + ` of the workbook holds more than 1 MiB of text in one place (a cell holds at most 32,767 characters in Excel), ` +
				`more than this reader accepts: the workbook is damaged or was made to exhaust memory`,
		},
		{
			name: "an attribute of 900 MiB",
			in:   bombZip(t, `<row r="2" spans="`, "1", `"></row>`, 900<<20, false),
			want: `part ` + sheet + ` of the workbook holds more than 1 MiB of text in one place (a cell holds at most 32,767 characters in Excel), ` +
				`more than this reader accepts: the workbook is damaged or was made to exhaust memory`,
		},
		{
			name: "a row of 40 million cells",
			in:   bombZip(t, `<row r="2">`, `<c r="A2"><v>1</v></c>`, `</row>`, 900<<20, false),
			want: `part ` + sheet + ` of the workbook has a row of more than 16,384 cells (a worksheet holds at most 16,384 columns in Excel), ` +
				`more than this reader accepts: the workbook is damaged or was made to exhaust memory`,
		},
		{
			name: "100 million empty rows",
			in:   bombZip(t, "", `<x:row/>`, "", 900<<20, false),
			want: `part ` + sheet + ` of the workbook has more than 1,048,576 rows (a worksheet holds at most 1,048,576 in Excel), ` +
				`more than this reader accepts: the workbook is damaged or was made to exhaust memory`,
		},
		{
			name: "a sheet that unzips to more than it declares",
			in:   bombZip(t, `<row r="2"><c r="A2"><v>1</v></c></row>`, `<row/>`, "", 1<<20, true),
			want: `this is not a valid XLSX workbook: part ` + sheet + ` is damaged: it unzips to more than the 1024 bytes it declares`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if len(tt.in) > 4<<20 {
				t.Fatalf("the workbook is %d bytes: not a bomb", len(tt.in))
			}
			_, _, err := ReadAccounts(bytes.NewReader(tt.in), "bomb.xlsx", Options{})
			want := []string{`read accounts "bomb.xlsx": ` + tt.want}
			if diff := cmp.Diff(want, messages(t, err)); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}
