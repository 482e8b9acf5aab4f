package features

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// maxProblems is how many problems the reader reports before it only
// counts the rest (as the tabular readers do).
const maxProblems = 50

// problems collects the problems of one input, up to maxProblems, and
// counts the rest.
type problems struct {
	what, file string
	list       []error
	more       int
}

func (p *problems) add(row int, column, msg string) {
	if len(p.list) >= maxProblems {
		p.more++
		return
	}
	p.list = append(p.list, &territory.InputError{What: p.what, File: p.file, Row: row, Column: column, Msg: msg})
}

func (p *problems) addf(row int, column, format string, args ...any) {
	if len(p.list) >= maxProblems {
		p.more++
		return
	}
	p.add(row, column, fmt.Sprintf(format, args...))
}

func (p *problems) empty() bool { return len(p.list) == 0 && p.more == 0 }

// err returns every problem joined with errors.Join, or nil.
func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	// Problems in feature order; those of the whole file after them.
	slices.SortStableFunc(p.list, func(a, b error) int {
		ra, rb := rowOf(a), rowOf(b)
		if (ra == 0) != (rb == 0) {
			if ra == 0 {
				return 1
			}
			return -1
		}
		return ra - rb
	})
	errs := p.list
	if p.more > 0 {
		msg := fmt.Sprintf("%d more problems not shown", p.more)
		if p.more == 1 {
			msg = "1 more problem not shown"
		}
		errs = append(slices.Clip(errs), &territory.InputError{What: p.what, File: p.file, Msg: msg})
	}
	return errors.Join(errs...)
}

// numState is the outcome of reading a number.
type numState int

const (
	numOK numState = iota
	numEmpty
	numInvalid   // not a number
	numNotFinite // NaN, Inf or out of range
)

// parseNumber reads a number written as text: surrounding spaces and a
// leading '+' are accepted; NaN, infinities, hexadecimal and digit
// separators are not (the same rules as the tabular readers, without the
// decimal comma: JSON numbers never have one).
func parseNumber(s string) (float64, numState) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, numEmpty
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9', c == '.', c == '-', c == '+', c == 'e', c == 'E':
		default:
			switch strings.ToLower(strings.TrimLeft(s, "+-")) {
			case "nan", "inf", "infinity":
				return 0, numNotFinite
			}
			return 0, numInvalid
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if errors.Is(err, strconv.ErrRange) {
			if math.IsInf(v, 0) {
				return 0, numNotFinite
			}
			return v, numOK // underflow to (nearly) zero
		}
		return 0, numInvalid
	}
	return v, numOK
}

// formatValue writes a number in messages.
func formatValue(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// quoteList quotes names and joins them: "a", "b" or "c".
func quoteList(names []string, conj string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	if len(q) < 2 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " " + conj + " " + q[len(q)-1]
}

func rowOf(err error) int {
	if e, ok := err.(*territory.InputError); ok {
		return e.Row
	}
	return 0
}
