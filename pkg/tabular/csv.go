package tabular

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// bufferSize is the read buffer of a CSV source; the delimiter is sniffed
// from the header line within it.
const bufferSize = 64 << 10

// delimiters are the field delimiters a CSV file may use, comma first:
// it wins ties.
var delimiters = []byte{',', ';', '\t', '|'}

// csvSource reads the rows of a CSV file through encoding/csv.
type csvSource struct {
	r       *csv.Reader
	limit   *rowLimit   // what r reads from
	fix     *quoteFixer // what limit reads from
	quotes  []bareQuote // of the row Next returned last
	stopped bool        // a row was too long: there is nothing more to read
}

// bareQuotes returns the fields that are not quoted but hold a '"' in the
// row Next returned last (and in malformed rows before it), read as
// written.
func (s *csvSource) bareQuotes() []bareQuote { return s.quotes }

// Next implements rowSource. The row number is the physical line on which
// the record starts, as a spreadsheet numbers it. A row longer than
// maxRowBytes is a problem that ends the table.
func (s *csvSource) Next() ([]string, int, error) {
	s.quotes = nil
	if s.stopped {
		return nil, 0, io.EOF
	}
	rec, err := s.r.Read()
	if err != nil {
		var pe *csv.ParseError
		var pr *problem
		switch {
		case errors.As(err, &pe):
			s.limit.next(s.r.InputOffset())
			return nil, pe.StartLine, &problem{row: pe.StartLine, msg: quoteMsg(pe)}
		case errors.As(err, &pr):
			s.stopped = true
			return nil, pr.row, pr
		}
		return nil, 0, err
	}
	s.limit.next(s.r.InputOffset())
	if len(rec) == 0 {
		return rec, 0, nil
	}
	line, _ := s.r.FieldPos(0)
	s.quotes = s.fix.take(line)
	return rec, line, nil
}

// quoteMsg says what is wrong with the quotes of a record.
func quoteMsg(pe *csv.ParseError) string {
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return `unexpected " in a field that is not quoted (quote the whole field and double the quotes inside it: "a ""b"" c")`
	case errors.Is(pe.Err, csv.ErrQuote) && pe.Line > pe.StartLine:
		return fmt.Sprintf(`quoted field is not closed properly: it runs on to row %d (a quote inside a quoted field must be doubled)`, pe.Line)
	case errors.Is(pe.Err, csv.ErrQuote):
		return `quoted field is not closed properly (a quote inside a quoted field must be doubled, and the closing quote followed by the delimiter)`
	}
	return pe.Err.Error()
}

// openCSV prepares to read r as CSV. It decodes UTF-16 and skips a byte
// order mark, refuses input that is plainly not CSV, and sniffs the
// delimiter from the header line. Its errors are *problem values for input
// that is not CSV, a *zipInput for a ZIP archive (an XLSX workbook, read
// from the zipInput's reader), others for I/O failures.
func openCSV(r io.Reader, k kind) (rowSource, format, error) {
	br := bufio.NewReaderSize(r, bufferSize)
	head, err := peek(br, 512)
	if err != nil {
		return nil, format{}, err
	}
	decoded := false
	if bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}) {
		// UTF-16, as Excel writes "Unicode Text": decode to UTF-8.
		dec := unicode.BOMOverride(unicode.UTF8.NewDecoder())
		br = bufio.NewReaderSize(transform.NewReader(br, dec), bufferSize)
		decoded = true
		if head, err = peek(br, 512); err != nil {
			return nil, format{}, err
		}
	}
	if bytes.HasPrefix(head, []byte("\xEF\xBB\xBF")) {
		_, _ = br.Discard(3)
		head = head[3:]
	}
	if len(bytes.TrimSpace(head)) == 0 && len(head) < 512 {
		return nil, format{}, &problem{msg: emptyMsg(k)}
	}
	if isZip(head) {
		return nil, format{}, &zipInput{r: br}
	}
	if msg := notCSV(head); msg != "" {
		return nil, format{}, &problem{msg: msg}
	}
	delim, sepLen := sepLine(head)
	if sepLen > 0 {
		// Excel's "sep=;" line names the delimiter; Excel hides it, so the
		// header stays row 1.
		_, _ = br.Discard(sepLen)
	}
	line, err := peek(br, bufferSize)
	if err != nil {
		return nil, format{}, err
	}
	if sepLen == 0 {
		delim = sniffDelimiter(line)
	}
	var size int64 // bytes left, when known
	if lr, ok := r.(interface{ Len() int }); ok && !decoded {
		size = int64(lr.Len() + br.Buffered())
	} else if f, ok := r.(*os.File); ok && !decoded {
		if n := fileRemaining(f); n > 0 {
			size = n + int64(br.Buffered())
		}
	}

	// encoding/csv refuses a '"' in a field that is not quoted; the fixer
	// quotes such fields so that they are read as written.
	fix := newQuoteFixer(br, delim, delim != '\t')
	limit := newRowLimit(fix)
	cr := csv.NewReader(limit)
	cr.Comma = delim
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = false
	cr.ReuseRecord = true
	// Leading spaces before a quoted field (`a, "b, c"`) are common in
	// hand-written files; with a tab delimiter trimming would eat empty
	// fields.
	cr.TrimLeadingSpace = delim != '\t'

	f := format{decimalComma: delim != ',', rowsHint: rowsHint(line, size)}
	switch delim {
	case '\t':
		f.tooManyHint = " (a field holding a tab must be quoted)"
	default:
		f.tooManyHint = fmt.Sprintf(" (a field holding %q must be quoted)", string(delim))
	}
	return &csvSource{r: cr, limit: limit, fix: fix}, f, nil
}

// rowsHint estimates the number of rows of a file of size bytes from its
// first bytes, so that readers can size their slices once; 0 when unknown.
// The estimate assumes rows of at least 16 bytes, so that a file whose
// first rows are unusually short cannot make readers reserve much more
// memory than its size warrants.
func rowsHint(start []byte, size int64) int {
	const most = 1 << 26
	lines := bytes.Count(start, []byte{'\n'})
	switch {
	case len(start) < bufferSize:
		return lines + 1 // the whole input is in start
	case size <= 0 || lines < 16:
		return 0
	}
	perRow := max(int64(len(start)/lines), 16)
	return int(min(size/perRow+1, most))
}

// fileRemaining is the number of bytes left to read in a regular file; 0
// when unknown.
func fileRemaining(f *os.File) int64 {
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return 0
	}
	off, err := f.Seek(0, io.SeekCurrent)
	if err != nil {
		return 0
	}
	return st.Size() - off
}

// peek returns up to n bytes from the start of br without consuming them.
func peek(br *bufio.Reader, n int) ([]byte, error) {
	b, err := br.Peek(n)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, err
	}
	return b, nil
}

func emptyMsg(k kind) string {
	switch k {
	case planKind, editsKind:
		return planEmptyMsg
	case repsKind:
		return "file is empty (expected a header row with column names, then one row per rep)"
	}
	return "file is empty (expected a header row with column names, then one row per account)"
}

// notCSV names the format of input that is plainly not CSV text, from its
// first bytes; "" when it may be CSV.
func notCSV(head []byte) string {
	switch {
	case bytes.HasPrefix(head, oleMagic):
		return xlsMsg
	case bytes.HasPrefix(head, []byte("\x1F\x8B")):
		return "this is a gzip-compressed file, not CSV: decompress it first"
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return "this is a PDF document, not CSV"
	case bytes.HasPrefix(bytes.TrimLeft(head, " \t\r\n"), []byte("{")):
		return "this looks like JSON, not CSV: GeoJSON input is not supported yet"
	case bytes.IndexByte(head, 0) >= 0:
		return "this is binary data, not CSV text"
	}
	return ""
}

// sepLine reads the "sep=X" line with which some files tell Excel their
// delimiter, and returns the delimiter and the length of the line; 0 when
// there is no such line.
func sepLine(head []byte) (rune, int) {
	if len(head) < 5 || !bytes.EqualFold(head[:4], []byte("sep=")) {
		return 0, 0
	}
	c, rest := head[4], head[5:]
	switch {
	case c == '"' || c == ' ' || c == '\r' || c == '\n' || c >= 0x80,
		'0' <= c && c <= '9', 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		return 0, 0
	case bytes.HasPrefix(rest, []byte("\r\n")):
		return rune(c), 7
	case bytes.HasPrefix(rest, []byte("\n")):
		return rune(c), 6
	}
	return 0, 0
}

// sniffDelimiter picks the delimiter that splits the header line (the
// first line with something other than spaces and delimiters on it) into
// the most fields; comma wins ties. Delimiters inside quotes do not count.
func sniffDelimiter(b []byte) rune {
	var counts [4]int
	inQuote, started := false, false
scan:
	for _, c := range b {
		switch {
		case c == '"':
			inQuote, started = !inQuote, true
		case inQuote:
		case c == '\n':
			if started {
				break scan
			}
			counts = [4]int{}
		case bytes.IndexByte(delimiters, c) >= 0:
			counts[bytes.IndexByte(delimiters, c)]++
		case c != ' ' && c != '\r':
			started = true
		}
	}
	best := 0
	for i := range counts {
		if counts[i] > counts[best] {
			best = i
		}
	}
	return rune(delimiters[best])
}

// openInput opens the file at path for reading and refuses what cannot
// be a table file.
func openInput(path string, k kind) (*os.File, error) {
	p := newProblems(k, path)
	f, err := os.Open(path)
	if err != nil {
		p.Add(0, "", openMsg(err))
		return nil, p.Err()
	}
	st, err := f.Stat()
	if err == nil && st.IsDir() {
		f.Close()
		p.Add(0, "", "is a directory, not a CSV file")
		return nil, p.Err()
	}
	return f, nil
}

// openMsg says why a file could not be opened.
func openMsg(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "file not found"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return "cannot open: " + pe.Err.Error()
	}
	return "cannot open: " + err.Error()
}
