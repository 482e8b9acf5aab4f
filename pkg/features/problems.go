package features

import (
	"errors"
	"math"
	"strconv"
	"strings"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// problems collects the problems of one input: see territory.InputErrors.
type problems struct {
	territory.InputErrors
}

func newProblems(what, file string) *problems {
	return &problems{InputErrors: territory.InputErrors{What: what, File: file}}
}

// err returns every problem, in feature order, those of the whole file
// after them, joined with errors.Join; nil when there are none.
func (p *problems) err() error {
	p.SortByRow()
	return p.Err()
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
