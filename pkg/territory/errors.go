package territory

import (
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
