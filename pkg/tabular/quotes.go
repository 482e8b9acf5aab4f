package tabular

import (
	"bufio"
	"bytes"
	"io"
	"unicode"
	"unicode/utf8"
)

// bareQuote is a field that is not quoted but holds a '"': read as
// written, with a warning.
type bareQuote struct {
	line  int    // the physical line on which its record starts, 1-based
	field int    // the field's index in its record
	value string // the field as written
}

// quoteFixer passes CSV text on to encoding/csv unchanged, except that a
// field that is not quoted but holds a '"' (37°36'37.8"N) is quoted, its
// quotes doubled, so that encoding/csv reads it as written rather than
// refusing the record. It follows the quoting as encoding/csv does (with
// the same delimiter and leading-space trimming) and leaves every other
// malformation, such as a quoted field that is not closed, for
// encoding/csv to report. encoding/csv's LazyQuotes does not fit: it also
// accepts a lone quote inside a quoted field, so that a field whose quote
// is never closed silently swallows the rows after it.
type quoteFixer struct {
	r     *bufio.Reader
	delim byte
	trim  bool // encoding/csv's TrimLeadingSpace

	state   quoteState
	pending []byte // the unquoted field being read
	bare    bool   // pending holds a '"'
	field   int    // index of the field being read in its record
	line    int    // the physical line being read, 1-based
	rec     int    // the line on which the record being read starts
	out     []byte // bytes to pass on, from off
	off     int
	found   []bareQuote
	eof     bool
}

type quoteState int

const (
	qUnquoted   quoteState = iota // in a field that is not quoted (or at its start)
	qQuoted                       // in a quoted field
	qAfterQuote                   // after a '"' in a quoted field
	qAfterCR                      // after '"' and '\r' in a quoted field
	qBroken                       // a malformed record: passed on as is to the end of the line
)

func newQuoteFixer(r *bufio.Reader, delim rune, trim bool) *quoteFixer {
	return &quoteFixer{r: r, delim: byte(delim), trim: trim, line: 1, rec: 1}
}

// take returns the bare quotes found so far in records that start on
// lines up to line, and forgets them.
func (q *quoteFixer) take(line int) []bareQuote {
	n := 0
	for n < len(q.found) && q.found[n].line <= line {
		n++
	}
	if n == 0 {
		return nil
	}
	got := append([]bareQuote(nil), q.found[:n]...)
	q.found = append(q.found[:0], q.found[n:]...)
	return got
}

// Read implements io.Reader.
func (q *quoteFixer) Read(b []byte) (int, error) {
	for q.off == len(q.out) {
		q.out, q.off = q.out[:0], 0
		if q.eof {
			return 0, io.EOF
		}
		chunk, err := q.r.Peek(max(1, min(q.r.Buffered(), 32<<10)))
		if len(chunk) > 0 {
			q.scan(chunk)
			_, _ = q.r.Discard(len(chunk))
		}
		if err != nil {
			if err != io.EOF {
				return 0, err
			}
			q.finish()
			q.eof = true
		}
	}
	n := copy(b, q.out[q.off:])
	q.off += n
	return n, nil
}

// scan follows the quoting through chunk and appends what to pass on to
// q.out.
func (q *quoteFixer) scan(chunk []byte) {
	for i := 0; i < len(chunk); {
		// Fast paths: passed on in spans, the bytes of a quoted field up to
		// its next quote or line break, and a field that is not quoted
		// when it ends in chunk without a quote.
		switch {
		case q.state == qQuoted:
			j := i
			for j < len(chunk) && chunk[j] != '"' && chunk[j] != '\n' {
				j++
			}
			q.out = append(q.out, chunk[i:j]...)
			if i = j; i == len(chunk) {
				return
			}
		case q.state == qUnquoted && len(q.pending) == 0:
			j := i
			for j < len(chunk) && chunk[j] != q.delim && chunk[j] != '\n' && chunk[j] != '"' {
				j++
			}
			if j < len(chunk) && chunk[j] != '"' {
				q.out = append(q.out, chunk[i:j]...)
				i = j
			}
		}
		c := chunk[i]
		i++
		if q.state == qUnquoted && c != q.delim && c != '\n' && c != '"' {
			q.pending = append(q.pending, c)
			if len(q.pending) > maxRowBytes {
				// Too long to be a row: the row limit stops reading.
				q.out = append(q.out, q.pending...)
				q.pending, q.state = q.pending[:0], qBroken
			}
			continue
		}
		switch q.state {
		case qUnquoted:
			switch c {
			case q.delim:
				q.endField(false)
				q.out = append(q.out, c)
				q.field++
			case '\n':
				q.endField(true)
				q.out = append(q.out, c)
				q.endLine(true)
			case '"':
				if !q.bare && q.leadingSpace() {
					q.out = append(q.out, q.pending...)
					q.out = append(q.out, c)
					q.pending, q.state = q.pending[:0], qQuoted
				} else {
					q.pending = append(q.pending, c)
					q.bare = true
				}
			}
		case qQuoted:
			if c == '"' {
				q.state = qAfterQuote
				continue
			}
			q.out = append(q.out, c)
			if c == '\n' {
				q.endLine(false)
			}
		case qAfterQuote:
			switch c {
			case '"':
				q.out = append(q.out, '"', '"')
				q.state = qQuoted
			case q.delim:
				q.out = append(q.out, '"', c)
				q.state = qUnquoted
				q.field++
			case '\n':
				q.out = append(q.out, '"', c)
				q.state = qUnquoted
				q.endLine(true)
			case '\r':
				q.state = qAfterCR
			default:
				q.out = append(q.out, '"', c)
				q.state = qBroken
			}
		case qAfterCR:
			q.out = append(q.out, '"', '\r', c)
			if c == '\n' {
				q.state = qUnquoted
				q.endLine(true)
			} else {
				q.state = qBroken
			}
		case qBroken:
			q.out = append(q.out, c)
			if c == '\n' {
				q.state = qUnquoted
				q.endLine(true)
			}
		}
	}
}

// finish passes on what is left at the end of the input.
func (q *quoteFixer) finish() {
	switch q.state {
	case qUnquoted:
		q.endField(true)
	case qAfterQuote:
		q.out = append(q.out, '"')
	case qAfterCR:
		q.out = append(q.out, '"', '\r')
	}
}

// endLine counts a line break; at the end of a record the next field is
// the record's first.
func (q *quoteFixer) endLine(record bool) {
	q.line++
	if record {
		q.field = 0
		q.rec = q.line
	}
}

// leadingSpace reports whether a '"' after the pending bytes starts a
// quoted field, as encoding/csv sees it.
func (q *quoteFixer) leadingSpace() bool {
	if !q.trim {
		return len(q.pending) == 0
	}
	return len(bytes.TrimLeftFunc(q.pending, unicode.IsSpace)) == 0
}

// endField passes on the unquoted field that ends here, at the end of a
// line or not: quoted, its quotes doubled, when it holds a '"'.
func (q *quoteFixer) endField(lineEnd bool) {
	p := q.pending
	if !q.bare {
		q.out = append(q.out, p...)
	} else {
		if q.trim {
			t := bytes.TrimLeftFunc(p, unicode.IsSpace)
			q.out = append(q.out, p[:len(p)-len(t)]...)
			p = t
		}
		cr := lineEnd && bytes.HasSuffix(p, []byte{'\r'}) // of a "\r\n" line break
		if cr {
			p = p[:len(p)-1]
		}
		value := string(p)
		if !utf8.ValidString(value) {
			value = cleanText(value)
		}
		q.found = append(q.found, bareQuote{line: q.rec, field: q.field, value: value})
		q.out = append(q.out, '"')
		q.out = append(q.out, bytes.ReplaceAll(p, []byte{'"'}, []byte{'"', '"'})...)
		q.out = append(q.out, '"')
		if cr {
			q.out = append(q.out, '\r')
		}
	}
	q.pending, q.bare = q.pending[:0], false
}
