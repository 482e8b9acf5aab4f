package features

import (
	"strconv"

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

// formatValue writes a number in messages.
func formatValue(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
