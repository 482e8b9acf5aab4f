package tabular

import (
	"bytes"
	"fmt"
	"io"
)

// maxRowBytes is the most bytes one row of a CSV file may take. A row of
// accounts takes a few hundred bytes, and Excel holds at most 32,767
// characters in a cell; encoding/csv holds a whole row in memory, several
// times over, however long it is, so that a row of a gigabyte (a quote
// that is never closed turns the rest of a file into one field) would
// exhaust memory.
const maxRowBytes = 1 << 20

// longRowMsg says why reading stopped at a row longer than maxRowBytes.
var longRowMsg = fmt.Sprintf("the row is longer than %s, more than this reader accepts "+
	"(a quote that is never closed makes the rest of the file one field); reading stopped there", sizeText(maxRowBytes))

// rowLimit passes the bytes of a CSV file on to encoding/csv and fails,
// with a *problem naming the row, when one row has taken more than
// maxRowBytes. csvSource tells it where each row ends (next); it counts
// the lines to know on which one the row being read starts.
type rowLimit struct {
	r      io.Reader
	passed int64  // bytes passed on
	lines  int    // newlines among them
	tail   []byte // the last bytes passed on: encoding/csv's read-ahead is among them
	start  int64  // offset at which the row being read starts
	row    int    // the line on which it starts, 1-based
	// leading is true while the bytes from start are empty lines, which
	// encoding/csv skips: the row starts after them. cr is true after a
	// '\r' among them.
	leading, cr bool
	err         error
}

// tailSize is how many of the last bytes passed on rowLimit keeps: more
// than the 4096 that encoding/csv's buffer reads ahead.
const tailSize = 8192

func newRowLimit(r io.Reader) *rowLimit {
	return &rowLimit{r: r, row: 1, leading: true}
}

// Read implements io.Reader.
func (l *rowLimit) Read(b []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	if l.passed-l.start > maxRowBytes {
		l.err = &problem{row: l.row, msg: longRowMsg}
		return 0, l.err
	}
	n, err := l.r.Read(b)
	chunk := b[:n]
	l.lines += bytes.Count(chunk, []byte{'\n'})
	if l.leading {
		l.skipEmpty(chunk, l.passed)
	}
	l.passed += int64(n)
	l.tail = append(l.tail, chunk...)
	if len(l.tail) > 2*tailSize {
		l.tail = append(l.tail[:0], l.tail[len(l.tail)-tailSize:]...)
	}
	return n, err
}

// next says that the row read ended at offset (csv.Reader.InputOffset): the
// next row starts there, after any empty lines.
func (l *rowLimit) next(offset int64) {
	ahead := l.tail[max(0, len(l.tail)-int(l.passed-offset)):]
	l.start = offset
	l.row = l.lines - bytes.Count(ahead, []byte{'\n'}) + 1
	l.leading, l.cr = true, false
	l.skipEmpty(ahead, offset)
}

// skipEmpty moves the start of the row past the empty lines ("\n" or
// "\r\n") at the start of b, which is at offset at, while the row has not
// started.
func (l *rowLimit) skipEmpty(b []byte, at int64) {
	for i, c := range b {
		switch {
		case c == '\n':
			l.start, l.row, l.cr = at+int64(i)+1, l.row+1, false
		case c == '\r' && !l.cr:
			l.cr = true
		default:
			l.leading = false
			return
		}
	}
}
