package cli

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/territory-optimizer/territory/pkg/scenario"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// Severities of a problem. An error stops `territory solve` and fails
// `territory validate`; a warning does neither.
const (
	severityError   = "error"
	severityWarning = "warning"
)

// warningPrefix starts the line of a warning on stderr.
const warningPrefix = "warning: "

// problem is one thing wrong, or suspicious, in the inputs of a run: where
// it is and what it is. Both `territory solve` and `territory validate`
// print problems, one per line, with the same text.
type problem struct {
	Severity string `json:"severity"`
	File     string `json:"file"`   // "" when not in one file
	Row      int    `json:"row"`    // 1-based, as a spreadsheet numbers rows (a scenario file: its line); 0 when not in one row
	Column   string `json:"column"` // the column as the header spells it; "" when not in one column
	Message  string `json:"message"`
	// Text is the whole line as printed (without the "warning: " of a
	// warning): what, file, row, column and message.
	Text string `json:"text"`
	// more is how many problems this one stands for when it only counts
	// those not shown ("12 more problems not shown"); 0 otherwise.
	more int
}

// line is the problem as printed on stderr.
func (p problem) line() string {
	if p.Severity == severityWarning {
		return warningPrefix + p.Text
	}
	return p.Text
}

// count is how many problems p stands for.
func (p problem) count() int {
	if p.more > 0 {
		return p.more
	}
	return 1
}

// moreRE matches the message of a reader that stopped listing problems.
var moreRE = regexp.MustCompile(`^(\d+) more problems? not shown$`)

// problemsOf lists the problems an error reports: one for each input
// error (errors joined with errors.Join are taken apart), one for each
// problem of a scenario file, one for any other error (each of its lines).
func problemsOf(err error, severity string) []problem {
	if err == nil {
		return nil
	}
	if u, ok := err.(interface{ Unwrap() []error }); ok {
		var ps []problem
		for _, e := range u.Unwrap() {
			ps = append(ps, problemsOf(e, severity)...)
		}
		return ps
	}
	switch e := err.(type) {
	case *territory.InputError:
		p := problem{Severity: severity, File: e.File, Row: e.Row, Column: e.Column, Message: e.Msg, Text: e.Error()}
		if m := moreRE.FindStringSubmatch(e.Msg); m != nil {
			p.more, _ = strconv.Atoi(m[1])
		}
		return []problem{p}
	case *scenario.Error:
		prefix := "scenario"
		if e.File != "" {
			prefix += " " + strconv.Quote(e.File)
		}
		ps := make([]problem, len(e.Problems))
		for i, sp := range e.Problems {
			ps[i] = problem{Severity: severity, File: e.File, Row: sp.Line, Message: sp.Msg, Text: prefix + ": " + sp.String()}
		}
		return ps
	case *problemsError:
		return e.problems
	}
	var ps []problem
	for _, l := range strings.Split(strings.TrimRight(err.Error(), "\n"), "\n") {
		ps = append(ps, problem{Severity: severity, Message: l, Text: l})
	}
	return ps
}

// problemList collects the problems of a run, errors and warnings.
type problemList struct {
	list []problem
}

// addErr adds the problems of err as errors.
func (l *problemList) addErr(err error) {
	l.list = append(l.list, problemsOf(err, severityError)...)
}

// warn adds a warning.
func (l *problemList) warn(e *territory.InputError) {
	l.list = append(l.list, problem{Severity: severityWarning, File: e.File, Row: e.Row, Column: e.Column, Message: e.Msg, Text: e.Error()})
}

// counts returns the number of errors and of warnings, counting those a
// reader found but did not list.
func (l *problemList) counts() (errs, warnings int) {
	for _, p := range l.list {
		if p.Severity == severityWarning {
			warnings += p.count()
		} else {
			errs += p.count()
		}
	}
	return errs, warnings
}

// sorted returns the problems in the order they are printed: errors, then
// warnings, each in the order found.
func (l *problemList) sorted() []problem {
	out := make([]problem, 0, len(l.list))
	for _, sev := range []string{severityError, severityWarning} {
		for _, p := range l.list {
			if p.Severity == sev {
				out = append(out, p)
			}
		}
	}
	return out
}

// warnings returns the warnings, in the order found.
func (l *problemList) warnings() []problem {
	var out []problem
	for _, p := range l.list {
		if p.Severity == severityWarning {
			out = append(out, p)
		}
	}
	return out
}

// countLine is the last line of `territory validate`: "2 errors, 1 warning".
func countLine(errs, warnings int) string {
	return fmt.Sprintf("%d %s, %d %s", errs, plural(errs, "error", "errors"), warnings, plural(warnings, "warning", "warnings"))
}

// problemsError is the error of a run whose inputs have errors: it holds
// every problem found, errors and warnings, and its message is their
// lines, as `territory validate` prints them. It exits 1.
type problemsError struct {
	problems []problem // sorted: errors, then warnings
}

func (e *problemsError) Error() string {
	lines := make([]string, len(e.problems))
	for i, p := range e.problems {
		lines[i] = p.line()
	}
	return strings.Join(lines, "\n")
}

// errReported ends a command whose problems are already printed: it exits
// 1 and prints nothing more.
var errReported = errors.New("problems reported")
