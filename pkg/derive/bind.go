package derive

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/expr-lang/expr/vm"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// Check checks a list of derived measures together: no name may be given
// twice, and no measure may depend on itself, directly or through others.
// It returns every problem, joined, or nil.
func Check(ms []*Measure) error {
	var errs []error
	first := make(map[string]*Measure)
	for _, m := range ms {
		if f, dup := first[m.name]; dup {
			errs = append(errs, fmt.Errorf("measure %q is defined twice (%s and %s): keep one", m.name, f, m))
			continue
		}
		first[m.name] = m
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	if _, cycles := order(ms); len(cycles) > 0 {
		for _, c := range cycles {
			if len(c) == 1 {
				errs = append(errs, fmt.Errorf("measure %q reads itself (%s): to compute it from a column of that name, give it another name", c[0].column, c[0]))
				continue
			}
			path := make([]string, len(c)+1)
			for i, m := range c {
				path[i] = m.column
			}
			path[len(c)] = c[0].column
			errs = append(errs, fmt.Errorf("measures %s depend on each other: %s", quoteColumns(c), strings.Join(path, " -> ")))
		}
	}
	return errors.Join(errs...)
}

func quoteColumns(ms []*Measure) string {
	names := make([]string, len(ms))
	for i, m := range ms {
		names[i] = m.column
	}
	return territory.QuoteList(names, "and")
}

// order returns the indexes of ms in an order in which every measure comes
// after the derived measures it reads (depth first, in the order given, so
// that the order is the same on every run), and the cycles found, each
// once. ms has no name twice.
func order(ms []*Measure) (out []int, cycles [][]*Measure) {
	index := make(map[string]int, len(ms))
	for i, m := range ms {
		index[m.name] = i
	}
	const (
		unseen = iota
		open
		done
	)
	state := make([]int, len(ms))
	var stack []int
	var visit func(i int)
	visit = func(i int) {
		state[i] = open
		stack = append(stack, i)
		for _, r := range ms[i].Refs() {
			j, derived := index[r]
			if !derived {
				continue
			}
			switch state[j] {
			case unseen:
				visit(j)
			case open:
				k := len(stack) - 1
				for stack[k] != j {
					k--
				}
				c := make([]*Measure, 0, len(stack)-k)
				for _, s := range stack[k:] {
					c = append(c, ms[s])
				}
				cycles = append(cycles, c)
			}
		}
		stack = stack[:len(stack)-1]
		state[i] = done
		out = append(out, i)
	}
	for i := range ms {
		if state[i] == unseen {
			visit(i)
		}
	}
	return out, cycles
}

// Binding is a list of derived measures bound to the columns of one input
// (see [Bind]).
type Binding struct {
	measures []*Measure
	order    []int          // of evaluation: each after the measures it reads
	derived  map[string]int // the index of each measure by name
	noun     string         // "column" or "property"
	broken   []bool         // a problem was found at Bind: not computed
	read     []string       // the columns read, normalised: requested as measures
}

// Bind binds derived measures to the columns of an input (a table's
// header, or a GeoJSON collection's properties), before its rows are read,
// and reports to errs what is wrong already: the problems [Check] finds, a
// derived measure with the name of a column (any column: the reader would
// not know which one a rule means), and a name in an expression that is a
// column the reader uses for something else (the id, the location, ...;
// holds(i) says what column i holds, as for [territory.Columns.Measures]).
//
// The columns an expression reads must be measures, each cell a number:
// [Binding.Requested] adds them to those the reader requests. A name that
// no column has is reported by [Binding.Apply], which lists the numeric
// columns.
func Bind(ms []*Measure, cols *territory.Columns, holds func(i int) []string, errs *territory.InputErrors) *Binding {
	b := &Binding{measures: ms, derived: make(map[string]int, len(ms)), noun: cols.Noun, broken: make([]bool, len(ms))}
	if err := Check(ms); err != nil {
		for _, e := range splitErrors(err) {
			errs.Add(0, "", e.Error())
		}
		for i := range b.broken {
			b.broken[i] = true
		}
		return b
	}
	b.order, _ = order(ms)
	for i, m := range ms {
		b.derived[m.name] = i
	}
	for i, m := range ms {
		if c := cols.Find(m.name); c >= 0 {
			errs.Addf(0, cols.Names[c], "the derived measure %s has the name of this %s: give it another name", m, cols.Noun)
			b.broken[i] = true
		}
		for _, r := range m.Refs() {
			if _, derived := b.derived[r]; derived {
				continue
			}
			c := cols.Find(r)
			switch {
			case c < 0:
				// Apply says so, with the numeric columns.
			case cols.Claimed[c]:
				for _, what := range holds(c) {
					errs.Addf(0, cols.Names[c], "the derived measure %s reads this %s, which holds the %s, not a measure", m, cols.Noun, what)
				}
				b.broken[i] = true
			case !contains(b.read, r):
				b.read = append(b.read, r)
			}
		}
	}
	return b
}

// splitErrors returns the errors joined in err.
func splitErrors(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// Requested returns the measures a reader must request, every cell a
// number, given those the caller requests (the measures of the balance
// rules, the weight): those, less the derived measures, which no column
// holds, and plus the columns the expressions read.
func (b *Binding) Requested(measures []string) []string {
	var out []string
	for _, m := range measures {
		n := territory.NormalizeName(m)
		if _, derived := b.derived[n]; !derived && !contains(out, n) {
			out = append(out, n)
		}
	}
	for _, r := range b.read {
		if !contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// Apply computes the derived measures of the accounts a, whose measures
// are those read from the input, and appends them to a.Measures, in the
// order given to Bind. It reports to errs, which holds the problems of the
// input so far, a name that no numeric column of the accounts has (listing
// those there are) and every account for which an expression cannot be
// computed: a division by zero, a result that is NaN or an infinity, each
// with the account's row, the measure and the values it read.
//
// When errs already holds problems, the values read may be wrong: Apply
// then only checks the names. a is changed only when every derived measure
// is computed.
func (b *Binding) Apply(a *territory.Accounts, errs *territory.InputErrors) {
	clean := errs.Len() == 0
	values := make([][]float64, len(b.measures))
	failed := make([]bool, len(b.measures))
	copy(failed, b.broken)
	for _, i := range b.order {
		if failed[i] {
			continue
		}
		m := b.measures[i]
		cols := make([][]float64, len(m.refs))
		for j, r := range m.refs {
			if d, derived := b.derived[r.name]; derived {
				if failed[d] {
					failed[i] = true // its problem is reported
				}
				cols[j] = values[d]
				continue
			}
			if am := a.Measure(r.name); am != nil {
				cols[j] = am.Values
				continue
			}
			errs.Addf(0, "", "derived measure %s: no numeric %s %q in the accounts (%s)", m, b.noun, r.ident, b.numeric(a))
			failed[i] = true
		}
		if failed[i] || !clean {
			failed[i] = true
			continue
		}
		values[i], failed[i] = m.compute(cols, a, errs)
	}
	for i := range b.measures {
		if failed[i] || !clean {
			return
		}
	}
	for i, m := range b.measures {
		a.Measures = append(a.Measures, territory.Measure{Name: m.name, Column: m.column, Values: values[i]})
	}
}

// numeric lists the measures of a, and the derived measures, for a
// message.
func (b *Binding) numeric(a *territory.Accounts) string {
	var cols []string
	for _, m := range a.Measures {
		cols = append(cols, m.Column)
	}
	nouns := b.noun + "s"
	if strings.HasSuffix(b.noun, "y") {
		nouns = strings.TrimSuffix(b.noun, "y") + "ies" // properties
	}
	var s string
	if len(cols) == 0 {
		s = "they have no numeric " + nouns
	} else {
		s = "numeric " + nouns + ": " + strings.Join(quoteAll(cols), ", ")
	}
	if len(b.measures) > 1 {
		s += "; derived measures: " + quoteColumns(b.measures)
	}
	return s
}

func quoteAll(s []string) []string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = strconv.Quote(v)
	}
	return q
}

// compute evaluates the measure for every account; cols holds the values
// of the names it reads, in the order of m.refs. It reports every account
// whose value cannot be computed, and returns failed = true if there is
// one.
func (m *Measure) compute(cols [][]float64, a *territory.Accounts, errs *territory.InputErrors) (values []float64, failed bool) {
	n := a.Len()
	values = make([]float64, n)
	env := make(map[string]any, len(m.refs))
	var machine vm.VM
	for i := range n {
		for j, r := range m.refs {
			env[r.ident] = cols[j][i]
		}
		v, msg := m.eval(&machine, env)
		if msg != "" {
			row := 0
			if i < len(a.Rows) {
				row = a.Rows[i]
			}
			errs.Addf(row, "", "derived measure %q: %s%s", m.column, msg, m.inputs(env))
			failed = true
			continue
		}
		values[i] = v
	}
	return values, failed
}

// inputs writes the values an expression read, for a message: " (visits =
// 4, call_minutes = 25)", or "" when it reads none.
func (m *Measure) inputs(env map[string]any) string {
	if len(m.refs) == 0 {
		return ""
	}
	parts := make([]string, len(m.refs))
	for j, r := range m.refs {
		v, _ := env[r.ident].(float64)
		parts[j] = r.ident + " = " + strconv.FormatFloat(v, 'g', -1, 64)
	}
	return " (" + strings.Join(parts, ", ") + ")"
}
