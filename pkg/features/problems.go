package features

import (
	"strconv"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// problems collects the problems of one input (see territory.InputErrors)
// and passes its warnings on.
type problems struct {
	territory.InputErrors
	warnFn func(*territory.InputError) // Options.Warn; nil drops warnings
}

func newProblems(what, file string, warn func(*territory.InputError)) *problems {
	return &problems{InputErrors: territory.InputErrors{What: what, File: file}, warnFn: warn}
}

// warn passes a warning at row (a feature, 1-based) to Options.Warn.
func (p *problems) warn(row int, column, msg string) {
	if p.warnFn != nil {
		p.warnFn(&territory.InputError{What: p.What, File: p.File, Row: row, Column: column, Msg: msg})
	}
}

// err returns every problem, in feature order, those of the whole file
// after them, joined with errors.Join; nil when there are none.
func (p *problems) err() error {
	p.SortByRow()
	return p.Err()
}

// formatValue writes a number in messages.
func formatValue(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
