package territory

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// InputError is a problem with the user's input, precise enough to find and
// fix: which input, which file, which row (1-based, as a spreadsheet shows
// it) and which column, and what was expected.
//
// Its message reads like
//
//	read accounts "a.csv": row 12, column "revenue": invalid number "12,5x"
type InputError struct {
	What   string // what was being done or checked: "read accounts", "reps", ...
	File   string // "" when not from a file
	Row    int    // 0 when the problem is not in one row
	Column string // "" when the problem is not in one column
	Msg    string
}

func (e *InputError) Error() string {
	var b strings.Builder
	b.WriteString(e.What)
	if e.File != "" {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.Quote(e.File))
	}
	var where []string
	if e.Row > 0 {
		where = append(where, "row "+strconv.Itoa(e.Row))
	}
	if e.Column != "" {
		where = append(where, "column "+strconv.Quote(e.Column))
	}
	if len(where) > 0 {
		if b.Len() > 0 {
			b.WriteString(": ")
		}
		b.WriteString(strings.Join(where, ", "))
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// MaxListed is how many problems of one input an [InputErrors] lists;
// beyond it, problems are only counted, so that a file with a million bad
// rows gives a readable answer.
const MaxListed = 50

// InputErrors collects the problems of one input, each an [*InputError]:
// the first [MaxListed] of them, and a count of the rest. A reader adds
// every problem it finds and returns [InputErrors.Err] at the end. The zero
// value is ready to use; What and File are those of the problems that
// [InputErrors.Add] makes.
type InputErrors struct {
	What string
	File string
	// Stops says that the reader stops at the first problem past
	// MaxListed: Err then says that it stopped, not how many more there
	// were ("more problems not shown: stopped reading after 50").
	Stops bool

	list []*InputError
	more int
}

// Add adds a problem at row (0 for none) and column ("" for none).
func (l *InputErrors) Add(row int, column, msg string) {
	if len(l.list) >= MaxListed {
		l.more++
		return
	}
	l.list = append(l.list, &InputError{What: l.What, File: l.File, Row: row, Column: column, Msg: msg})
}

// Addf adds a problem whose message is formatted as fmt.Sprintf does; past
// MaxListed the message is not formatted.
func (l *InputErrors) Addf(row int, column, format string, args ...any) {
	if len(l.list) >= MaxListed {
		l.more++
		return
	}
	l.Add(row, column, fmt.Sprintf(format, args...))
}

// AddError adds a problem made elsewhere, as it is.
func (l *InputErrors) AddError(e *InputError) {
	if len(l.list) >= MaxListed {
		l.more++
		return
	}
	l.list = append(l.list, e)
}

// Len is the number of problems added: those listed and those counted.
func (l *InputErrors) Len() int { return len(l.list) + l.more }

// Listed is the number of problems listed, at most MaxListed.
func (l *InputErrors) Listed() int { return len(l.list) }

// More is the number of problems added past MaxListed: counted, not
// listed.
func (l *InputErrors) More() int { return l.more }

// InsertByRow merges extra, in row order, into the problems listed after
// the first start of them (which must be in row order), keeping at most
// MaxListed listed in all and counting the rest. A reader that finds some
// problems in a later pass (ids that repeat, say) puts them among those of
// the rows this way.
func (l *InputErrors) InsertByRow(start int, extra []*InputError) {
	if len(extra) == 0 {
		return
	}
	merged := make([]*InputError, 0, len(l.list)-start+len(extra))
	rest := l.list[start:]
	for len(rest) > 0 || len(extra) > 0 {
		if len(extra) == 0 || len(rest) > 0 && rest[0].Row <= extra[0].Row {
			merged, rest = append(merged, rest[0]), rest[1:]
		} else {
			merged, extra = append(merged, extra[0]), extra[1:]
		}
	}
	keep := min(len(merged), MaxListed-start)
	l.more += len(merged) - keep
	l.list = append(l.list[:start], merged[:keep]...)
}

// SortByRow orders the listed problems by row, those of no row (0) last,
// keeping the order in which they were added among equals.
func (l *InputErrors) SortByRow() {
	slices.SortStableFunc(l.list, func(a, b *InputError) int {
		if (a.Row == 0) != (b.Row == 0) {
			if a.Row == 0 {
				return 1
			}
			return -1
		}
		return a.Row - b.Row
	})
}

// Err returns the problems listed, joined with errors.Join, and after them
// one that says how many more there were (or, with Stops, that reading
// stopped); nil when there are none.
func (l *InputErrors) Err() error {
	if len(l.list) == 0 {
		return nil
	}
	errs := make([]error, len(l.list), len(l.list)+1)
	for i, e := range l.list {
		errs[i] = e
	}
	switch {
	case l.more > 0 && l.Stops:
		errs = append(errs, &InputError{What: l.What, File: l.File,
			Msg: "more problems not shown: stopped reading after " + strconv.Itoa(MaxListed)})
	case l.more == 1:
		errs = append(errs, &InputError{What: l.What, File: l.File, Msg: "1 more problem not shown"})
	case l.more > 1:
		errs = append(errs, &InputError{What: l.What, File: l.File, Msg: fmt.Sprintf("%d more problems not shown", l.more)})
	}
	return errors.Join(errs...)
}
