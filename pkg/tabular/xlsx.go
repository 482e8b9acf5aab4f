package tabular

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/richardlehane/mscfb"
	"github.com/xuri/excelize/v2"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// Size limits of a workbook, so that a crafted file (a "ZIP bomb") cannot
// exhaust memory or disk. The sizes are the uncompressed sizes that the ZIP
// archive declares; archive/zip refuses a part that unzips to more than it
// declares, so they hold.
const (
	// xlsxUnzipLimit bounds the total uncompressed size of a workbook's
	// parts (excelize's UnzipSizeLimit). A sheet of a million rows of a
	// dozen columns unzips to well under it.
	xlsxUnzipLimit = 1 << 30 // 1 GiB
	// xlsxXMLLimit is excelize's UnzipXMLSizeLimit: a worksheet or shared
	// strings table larger than this is unzipped to a temporary file and
	// streamed from there instead of held in memory. A shared strings table
	// held in memory is parsed whole, and takes several times its size, so
	// the limit is lower than the 256 MiB it could be for worksheets alone.
	// It is also the most any other XML part may unzip to (excelize parses
	// the workbook, its relationships, styles, theme and calculation chain
	// whole when it opens a file).
	xlsxXMLLimit = 64 << 20 // 64 MiB
	// xlsxHeaderScan is how many rows of a sheet are searched for its
	// header row when choosing a sheet.
	xlsxHeaderScan = 1000
	// xlsxMaxText is the most bytes an XML part may hold between two
	// tags, or in one tag: a cell holds at most 32,767 characters in
	// Excel, and excelize holds a cell's text in memory several times
	// over, so that one cell of a few hundred megabytes, which unzips from
	// a workbook of a few hundred kilobytes, would take gigabytes.
	xlsxMaxText = 1 << 20 // 1 MiB
	// xlsxMaxRows and xlsxMaxCols are the most rows and columns a
	// worksheet has in Excel.
	xlsxMaxRows     = 1 << 20 // 1,048,576
	xlsxMaxCols     = 1 << 14 // 16,384
	xlsxMaxRowsText = "1,048,576"
	xlsxMaxColsText = "16,384"
)

// zipMagic and oleMagic start ZIP archives (XLSX workbooks among them) and
// OLE2 compound files (legacy .xls workbooks, and password-protected
// workbooks of any kind).
var (
	zipMagic      = []byte("PK\x03\x04")
	zipEmptyMagic = []byte("PK\x05\x06")
	oleMagic      = []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")
)

const (
	notWorkbookMsg = "this is a ZIP archive but not an XLSX workbook (it has no [Content_Types].xml part)"
	noSheetsMsg    = "the workbook has no sheets"
	xlsMsg         = "this is a legacy Excel (.xls) workbook, or a password-protected one, not XLSX or CSV: save it as .xlsx (Excel Workbook) or as CSV (UTF-8)"
)

// isZip reports whether head starts like a ZIP archive.
func isZip(head []byte) bool {
	return bytes.HasPrefix(head, zipMagic) || bytes.HasPrefix(head, zipEmptyMagic)
}

// zipInput is what openCSV returns, as an error, for input that is a ZIP
// archive: the readers then read it as an XLSX workbook from r.
type zipInput struct {
	r io.Reader
}

func (z *zipInput) Error() string { return "XLSX input" }

// FileFormat is what a table file holds, as [Sniff] judges it.
type FileFormat int

const (
	// CSVFile is CSV text, or anything else: the CSV reader refuses what
	// is plainly not CSV, saying what it is.
	CSVFile FileFormat = iota
	// XLSXFile is an XLSX workbook: a ZIP archive, or a file whose name
	// ends in .xlsx.
	XLSXFile
	// XLSFile is an OLE2 compound file: a legacy .xls workbook or a
	// password-protected (encrypted) one, which the readers refuse.
	XLSFile
)

// SniffLen is how many first bytes of a file [Sniff] looks at.
const SniffLen = 8

// Sniff judges what a table file holds from its first bytes (head, at
// least SniffLen of them when the file has that many) and its name: an
// XLSX workbook (a ZIP archive, or any file whose name ends in .xlsx), a
// legacy or password-protected workbook, or anything else, which is read
// as CSV. A name of "" or "-" (standard input) says nothing. This is the
// one place where a table file's format is decided.
func Sniff(name string, head []byte) FileFormat {
	switch {
	case bytes.HasPrefix(head, oleMagic):
		// Before the name: a password-protected .xlsx is one of these.
		return XLSFile
	case isZip(head), strings.EqualFold(filepath.Ext(name), ".xlsx") && name != "-":
		return XLSXFile
	}
	return CSVFile
}

// workbook is an open XLSX workbook.
type workbook struct {
	f      *excelize.File
	sheets []string
}

// openOptions are the options every workbook is opened with.
func openOptions() excelize.Options {
	return excelize.Options{UnzipSizeLimit: xlsxUnzipLimit, UnzipXMLSizeLimit: xlsxXMLLimit}
}

// openWorkbookFile opens the workbook in the open file, checking it
// through that file; excelize then opens it by name, the one way it
// streams a workbook rather than reading it into memory. Its errors are
// *problem values for workbooks that cannot be read, others for I/O
// failures.
func openWorkbookFile(file *os.File) (*workbook, error) {
	st, err := file.Stat()
	if err != nil {
		return nil, err
	}
	head := make([]byte, len(zipMagic))
	if n, _ := file.ReadAt(head, 0); !isZip(head[:n]) {
		return nil, &problem{msg: "this is not an XLSX workbook: its name ends in .xlsx but it is not a ZIP archive (if it is CSV text, name it .csv)"}
	}
	if err := checkZip(file, st.Size()); err != nil {
		return nil, err
	}
	f, err := excelize.OpenFile(file.Name(), openOptions())
	return newWorkbook(f, err)
}

// openWorkbookReader reads a workbook from r (standard input, say) into
// memory and opens it.
func openWorkbookReader(r io.Reader) (*workbook, error) {
	b, err := io.ReadAll(io.LimitReader(r, xlsxUnzipLimit+1))
	if err != nil {
		return nil, err
	}
	if len(b) > xlsxUnzipLimit {
		return nil, &problem{msg: fmt.Sprintf("the workbook is larger than %s", sizeText(xlsxUnzipLimit))}
	}
	if err := checkZip(bytes.NewReader(b), int64(len(b))); err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(b), openOptions())
	return newWorkbook(f, err)
}

func newWorkbook(f *excelize.File, err error) (*workbook, error) {
	if err != nil {
		if f != nil {
			_ = f.Close()
		}
		return nil, &problem{msg: "this is not a valid XLSX workbook: " + err.Error()}
	}
	wb := &workbook{f: f, sheets: f.GetSheetList()}
	if len(wb.sheets) == 0 {
		_ = f.Close()
		return nil, &problem{msg: noSheetsMsg}
	}
	return wb, nil
}

// close closes the workbook and removes its temporary files.
func (wb *workbook) close() { _ = wb.f.Close() }

// checkZip reads the directory of a ZIP archive and refuses an archive
// that is damaged or that unzips to more than the limits allow, before
// excelize unzips anything. It then unzips every part once, streaming,
// to refuse a part that unzips to more than it declares or fails its
// checksum (archive/zip stops at the size declared, and excelize would
// read what came before as the whole part), and an XML part with more
// than xlsxMaxText bytes in one text or tag.
func checkZip(r io.ReaderAt, size int64) error {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return &problem{msg: "this is not a valid XLSX workbook: the ZIP archive is damaged or incomplete (" + err.Error() + ")"}
	}
	var total uint64
	office := false
	for _, f := range zr.File {
		n := f.UncompressedSize64
		total += n
		if total > xlsxUnzipLimit {
			return &problem{msg: fmt.Sprintf("the workbook unzips to more than %s, more than this reader accepts", sizeText(xlsxUnzipLimit))}
		}
		name := strings.ToLower(strings.ReplaceAll(f.Name, `\`, "/"))
		office = office || name == "[content_types].xml"
		streamed := strings.HasPrefix(name, "xl/worksheets/") || name == "xl/sharedstrings.xml"
		parsed := strings.HasSuffix(name, ".xml") || strings.HasSuffix(name, ".rels")
		if parsed && !streamed && n > xlsxXMLLimit {
			return &problem{msg: fmt.Sprintf("part %q of the workbook unzips to %d bytes, more than the %s this reader accepts", f.Name, n, sizeText(xlsxXMLLimit))}
		}
	}
	if !office {
		return &problem{msg: notWorkbookMsg}
	}
	br := bufio.NewReaderSize(nil, 64<<10)
	for _, f := range zr.File {
		if err := checkPart(f, br); err != nil {
			return err
		}
	}
	return nil
}

// checkPart unzips one part of a workbook, as checkZip says. In an XML
// part it measures the longest run of bytes between two '<'; in a
// worksheet it also counts the rows and the cells of each row, which
// Excel limits to xlsxMaxRows and xlsxMaxCols.
func checkPart(f *zip.File, br *bufio.Reader) error {
	if f.FileInfo().IsDir() {
		return nil
	}
	damaged := func(err error) error {
		msg := err.Error()
		switch {
		case errors.Is(err, zip.ErrFormat):
			msg = fmt.Sprintf("it unzips to more than the %d bytes it declares", f.UncompressedSize64)
		case errors.Is(err, zip.ErrChecksum):
			msg = "its checksum does not match"
		}
		return &problem{msg: fmt.Sprintf("this is not a valid XLSX workbook: part %q is damaged: %s", f.Name, msg)}
	}
	crafted := func(format string, args ...any) error {
		return &problem{msg: fmt.Sprintf("part %q of the workbook ", f.Name) + fmt.Sprintf(format, args...) +
			", more than this reader accepts: the workbook is damaged or was made to exhaust memory"}
	}
	rc, err := f.Open()
	if err != nil {
		return damaged(err)
	}
	defer rc.Close()
	name := strings.ToLower(strings.ReplaceAll(f.Name, `\`, "/"))
	if !strings.HasSuffix(name, ".xml") && !strings.HasSuffix(name, ".rels") {
		if _, err := io.CopyBuffer(io.Discard, rc, make([]byte, 32<<10)); err != nil {
			return damaged(err)
		}
		return nil
	}
	sheet := strings.HasPrefix(name, "xl/worksheets/")
	br.Reset(rc)
	run := 0 // bytes since the last '<'
	rows, cells := 0, 0
	for {
		chunk, err := br.ReadSlice('<')
		run += len(chunk)
		if err == nil {
			run-- // the '<'
		}
		if run > xlsxMaxText {
			return crafted("holds more than %s of text in one place (a cell holds at most 32,767 characters in Excel)", sizeText(xlsxMaxText))
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF:
			return nil
		case err != nil:
			return damaged(err)
		}
		run = 0
		if !sheet {
			continue
		}
		next, _ := br.Peek(16)
		switch localName(next) {
		case "row":
			rows, cells = rows+1, 0
			if rows > xlsxMaxRows {
				return crafted("has more than %s rows (a worksheet holds at most %[1]s in Excel)", xlsxMaxRowsText)
			}
		case "c":
			if cells++; cells > xlsxMaxCols {
				return crafted("has a row of more than %s cells (a worksheet holds at most %[1]s columns in Excel)", xlsxMaxColsText)
			}
		}
	}
}

// localName is the name of the XML element whose tag b starts (after the
// '<'), without its namespace prefix: "row" for "x:row r=...".
func localName(b []byte) string {
	end := bytes.IndexAny(b, " \t\r\n>/")
	if end < 0 {
		end = len(b)
	}
	b = b[:end]
	if i := bytes.LastIndexByte(b, ':'); i >= 0 {
		b = b[i+1:]
	}
	return string(b)
}

// sizeText writes a size of whole MiB or GiB.
func sizeText(n int64) string {
	if n >= 1<<30 && n%(1<<30) == 0 {
		return fmt.Sprintf("%d GiB", n>>30)
	}
	return fmt.Sprintf("%d MiB", n>>20)
}

// source chooses the sheet to read as a table of kind k, as opt says, and
// opens it. It reports why when no sheet can be read.
func (wb *workbook) source(k kind, opt Options, p *problems) (*xlsxSource, bool) {
	sheet, ok := wb.choose(k, opt, p)
	if !ok {
		return nil, false
	}
	src, err := wb.open(sheet)
	if err != nil {
		p.addErr(err)
		return nil, false
	}
	return src, true
}

// choose returns the sheet named by opt.Sheet (case and surrounding spaces
// do not matter), the only sheet, or the sheet whose header row suits k
// best.
func (wb *workbook) choose(k kind, opt Options, p *problems) (string, bool) {
	if opt.Sheet != "" {
		want := strings.TrimSpace(opt.Sheet)
		for _, s := range wb.sheets {
			if strings.EqualFold(strings.TrimSpace(s), want) {
				return s, true
			}
		}
		p.Addf(0, "", "no sheet named %q (%s)", opt.Sheet, wb.list())
		return "", false
	}
	if len(wb.sheets) == 1 {
		return wb.sheets[0], true
	}
	best, bestScore := "", 0
	for _, s := range wb.sheets {
		score, ok := wb.suits(s, k, opt)
		if ok && (best == "" || score > bestScore) {
			best, bestScore = s, score
		}
	}
	if best == "" {
		what := "an id and a location (latitude and longitude, or x and y)"
		if k == repsKind {
			what = "an id"
		}
		p.Addf(0, "", "no sheet has a header row with %s: %s; name the sheet to read to see what its header lacks", what, wb.list())
		return "", false
	}
	return best, true
}

// list names the sheets of the workbook, for messages.
func (wb *workbook) list() string {
	if len(wb.sheets) == 1 {
		return fmt.Sprintf("the workbook has one sheet, %q", wb.sheets[0])
	}
	return "the workbook has sheets " + territory.QuoteList(wb.sheets, "and")
}

// suits reports whether the header row of sheet s (its first non-blank
// row) has the columns a table of kind k needs, and scores how well it
// suits k: a sheet named for k ("Accounts", "Sales reps") and an id
// column named for k ("Account ID", "Rep ID") count for it, a sheet or an
// id column named for the other kind against it. A workbook may then hold
// accounts and reps, whose headers could each be read as the other. A
// hidden sheet scores below every visible one.
func (wb *workbook) suits(s string, k kind, opt Options) (int, bool) {
	src, err := wb.open(s)
	if err != nil {
		return 0, false
	}
	defer src.close()
	src.limit = xlsxHeaderScan
	scratch := newProblems(k, "")
	header, row, ok := readHeader(src, scratch, "")
	if !ok {
		return 0, false
	}
	l := detect(k, header, row, opt, format{}, scratch)
	if l == nil {
		return 0, false
	}
	other := accountsKind
	if k == accountsKind {
		other = repsKind
	}
	score := 0
	if visible, err := wb.f.GetSheetVisible(s); err == nil && !visible {
		score -= 16 // a hidden sheet only when no visible one will do
	}
	for _, w := range strings.Split(territory.NormalizeName(s), "_") {
		switch {
		case k.names(w):
			score += 4
		case other.names(w):
			score -= 4
		}
	}
	id := l.norm[l.col(roleID)]
	switch {
	case k.names(strings.TrimSuffix(id, "_id")):
		score += 2
	case other.names(strings.TrimSuffix(id, "_id")):
		score -= 2
	}
	return score, true
}

// names reports whether the word w names tables of kind k.
func (k kind) names(w string) bool {
	if k == repsKind {
		return w == "rep" || w == "reps" || w == "representatives"
	}
	return w == "account" || w == "accounts"
}

// open starts reading the rows of sheet s.
func (wb *workbook) open(s string) (*xlsxSource, error) {
	rows, err := wb.f.Rows(s)
	if err != nil {
		return nil, &problem{msg: fmt.Sprintf("cannot read sheet %q: %v", s, err)}
	}
	return &xlsxSource{rows: rows}, nil
}

// rawValues asks excelize for the values as stored, not as the cell's
// number format displays them: a latitude formatted "0.00" keeps its
// digits and a revenue formatted "$#,##0" reads as a number. Formula cells
// give the value cached when the workbook was last saved.
var rawValues = excelize.Options{RawCellValue: true}

// xlsxSource reads the rows of one worksheet through excelize's streaming
// reader.
type xlsxSource struct {
	rows *excelize.Rows
	// row is the sheet's number of the last row read. excelize's Next
	// steps through the rows one number at a time, rows absent from the
	// file included, so counting calls numbers the rows as the sheet does.
	row int
	// width is the number of fields of the header row, the first row that
	// is not blank (0 before it). Every later row is given as many fields.
	width int
	// limit, when not 0, is how many rows are read at most.
	limit int
}

// Next implements rowSource. Trailing empty cells are dropped and missing
// ones added, so that every row after the header has its width; a value
// right of the last column of the header is a problem.
func (s *xlsxSource) Next() ([]string, int, error) {
	if s.limit > 0 && s.row >= s.limit {
		return nil, 0, io.EOF
	}
	if !s.rows.Next() {
		if err := s.rows.Error(); err != nil {
			return nil, 0, err
		}
		return nil, 0, io.EOF
	}
	s.row++
	cells, err := s.rows.Columns(rawValues)
	if err != nil {
		return nil, s.row, &problem{row: s.row, msg: "cannot read the row: " + err.Error()}
	}
	if s.width == 0 {
		if !blank(cells) {
			s.width = len(cells)
		}
		return cells, s.row, nil
	}
	if len(cells) > s.width {
		for i, c := range cells[s.width:] {
			if strings.TrimSpace(c) != "" {
				ref := colLetter(s.width+i) + fmt.Sprint(s.row)
				return nil, s.row, &problem{row: s.row, msg: fmt.Sprintf("cell %s holds %q but its column has no name in the header row", ref, cleanText(c))}
			}
		}
		cells = cells[:s.width]
	}
	for len(cells) < s.width {
		cells = append(cells, "")
	}
	return cells, s.row, nil
}

func (s *xlsxSource) close() { _ = s.rows.Close() }

// readWorkbook opens the workbook in file, or in r when file is nil, and
// returns the sheet to read as a table of kind k. The caller closes both.
func readWorkbook(file *os.File, r io.Reader, k kind, opt Options, p *problems) (*workbook, *xlsxSource, bool) {
	var wb *workbook
	var err error
	if file == nil {
		wb, err = openWorkbookReader(r)
	} else {
		wb, err = openWorkbookFile(file)
	}
	if err != nil {
		var pr *problem
		if !errors.As(err, &pr) {
			err = &problem{msg: openMsg(err)}
		}
		p.addErr(err)
		return nil, nil, false
	}
	src, ok := wb.source(k, opt, p)
	if !ok {
		wb.close()
		return nil, nil, false
	}
	return wb, src, true
}

// readAccountsXLSX reads accounts from the workbook in file, or in r when
// file is nil.
func readAccountsXLSX(ctx context.Context, file *os.File, r io.Reader, name string, opt Options) (territory.Accounts, territory.Space, error) {
	p := newProblems(accountsKind, name)
	p.warnFn = opt.Warn
	wb, src, ok := readWorkbook(file, r, accountsKind, opt, p)
	if !ok {
		return territory.Accounts{}, territory.Geographic, p.Err()
	}
	defer wb.close()
	defer src.close()
	return readAccounts(ctx, src, format{}, name, opt, p)
}

// readRepsXLSX reads reps from the workbook in file, or in r when
// file is nil.
func readRepsXLSX(ctx context.Context, file *os.File, r io.Reader, name string, opt Options) ([]territory.Rep, territory.Space, error) {
	p := newProblems(repsKind, name)
	p.warnFn = opt.Warn
	wb, src, ok := readWorkbook(file, r, repsKind, opt, p)
	if !ok {
		return nil, territory.Geographic, p.Err()
	}
	defer wb.close()
	defer src.close()
	return readReps(ctx, src, format{}, name, opt, p)
}

// refuseXLS is the error for an OLE2 compound file read from r: a
// password-protected workbook when it holds an encrypted package, else a
// legacy .xls workbook.
func refuseXLS(k kind, name string, r io.Reader) error {
	p := newProblems(k, name)
	if ra, ok := r.(io.ReaderAt); ok && isEncrypted(ra) {
		p.Add(0, "", encryptedMsg)
	} else {
		p.Add(0, "", xlsMsg)
	}
	return p.Err()
}

// encryptedMsg says what to do with a password-protected workbook.
const encryptedMsg = "this workbook is password-protected (encrypted), so it cannot be read: " +
	"save it unprotected (in Excel, File > Info > Protect Workbook > Encrypt with Password, clear the password), " +
	"as .xlsx or as CSV (UTF-8)"

// isEncrypted reports whether the OLE2 compound file in ra holds an
// "EncryptedPackage" stream: it is an encrypted Office document (ECMA-376
// and MS-OFFCRYPTO), such as a password-protected .xlsx workbook.
func isEncrypted(ra io.ReaderAt) bool {
	r, err := mscfb.New(ra)
	if err != nil {
		return false
	}
	for f, err := r.Next(); err == nil; f, err = r.Next() {
		if f.Name == "EncryptedPackage" {
			return true
		}
	}
	return false
}
