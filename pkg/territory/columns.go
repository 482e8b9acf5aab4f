package territory

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Columns is the header of an input: the names of a table's columns, or
// of the properties of a GeoJSON collection's features. It finds the
// columns that play each role (the id, the location, the owner, ...), by
// the mapping a user gives or by common names, and the columns that may
// be measures, and reports what it cannot find to an [InputErrors]. The
// table readers (package tabular) and the GeoJSON readers (package
// features) both find their columns through it, so that a mapping means
// the same and fails with the same words in both.
type Columns struct {
	// Noun names a column in messages: "column", or "property".
	Noun string
	// None is what [Columns.Found] says of a header without names ("no
	// named columns").
	None string
	// Names are the names as written; Norm the same normalised with
	// NormalizeName ("" for a column without a name).
	Names, Norm []string
	// Claimed marks the columns given a role (by [Columns.Map] or
	// [Columns.Detect]): they are not measures, and not detected again.
	Claimed []bool

	index map[string]int // the first column of each normalised name
}

// NewColumns returns the columns of a header; names as written.
func NewColumns(noun, none string, names []string) *Columns {
	c := &Columns{Noun: noun, None: none, index: make(map[string]int, len(names))}
	for _, n := range names {
		c.append(n)
	}
	return c
}

func (c *Columns) append(name string) int {
	n := NormalizeName(name)
	if _, ok := c.index[n]; !ok {
		c.index[n] = len(c.Norm)
	}
	c.Names = append(c.Names, name)
	c.Norm = append(c.Norm, n)
	c.Claimed = append(c.Claimed, false)
	return len(c.Norm) - 1
}

// Add returns the column of name, adding it when no column has its
// normalised name yet (names that normalise to "" are one column): a
// GeoJSON collection's header grows feature by feature, and spells a
// property as the first feature that has it does.
func (c *Columns) Add(name string) int {
	if i, ok := c.index[NormalizeName(name)]; ok {
		return i
	}
	return c.append(name)
}

// Len is the number of columns.
func (c *Columns) Len() int { return len(c.Norm) }

// Find returns the first column whose normalised name is n, or -1.
func (c *Columns) Find(n string) int {
	if i, ok := c.index[n]; ok && n != "" {
		return i
	}
	return -1
}

// Found lists the names of the header for messages: quoted, at most 20.
func (c *Columns) Found() string {
	const most = 20
	var names []string
	for i, n := range c.Norm {
		if n != "" {
			names = append(names, strconv.Quote(c.Names[i]))
		}
	}
	switch {
	case len(names) == 0:
		return c.None
	case len(names) > most:
		return strings.Join(names[:most], ", ") + fmt.Sprintf(" and %d more", len(names)-most)
	}
	return strings.Join(names, ", ")
}

// Map finds the column that a user's mapping key=name names, claims it
// and returns it. An empty name turns an optional key off (-1, no
// problem); a name no column has is a problem, added to errs (-1).
func (c *Columns) Map(key, name string, optional bool, errs *InputErrors) int {
	if strings.TrimSpace(name) == "" {
		if !optional {
			errs.Addf(0, "", "column mapping %s=%q: empty %s name", key, name, c.Noun)
		}
		return -1
	}
	i := c.Find(NormalizeName(name))
	if i < 0 {
		errs.Addf(0, "", "column mapping %s=%q: no such %s (found %s)", key, name, c.Noun, c.Found())
		return -1
	}
	c.Claimed[i] = true
	return i
}

// Detect returns the first column, in the order of aliases (normalised
// names), that is not claimed yet, and claims it; -1 when there is none.
func (c *Columns) Detect(aliases []string) int {
	for _, a := range aliases {
		if i := c.Find(a); i >= 0 && !c.Claimed[i] {
			c.Claimed[i] = true
			return i
		}
	}
	return -1
}

// MeasureColumn is a column that may be a measure.
type MeasureColumn struct {
	Col int
	// Requested is set when the measure is asked for by name: every cell
	// must then be a number.
	Requested bool
}

// Measures returns the columns that may be measures, in header order:
// every named column that is neither claimed nor named like a role
// (notMeasure), and those that requested names (the measures of the
// balance rules; normalised here). A requested measure that no column
// holds is a problem (but for CountMeasure, which needs none), and so is
// one whose column plays a role: holds(i) lists what column i holds for
// the message ("id", "latitude", ...).
func (c *Columns) Measures(notMeasure func(norm string) bool, requested []string, holds func(i int) []string, errs *InputErrors) []MeasureColumn {
	candidate := make([]bool, len(c.Norm))
	asked := make([]bool, len(c.Norm))
	for i, n := range c.Norm {
		candidate[i] = n != "" && !c.Claimed[i] && !notMeasure(n)
	}
	for _, m := range requested {
		n := NormalizeName(m)
		if n == "" {
			continue
		}
		i := c.Find(n)
		switch {
		case i < 0:
			if n != CountMeasure {
				errs.Addf(0, "", "no %s for measure %q (found %s)", c.Noun, n, c.Found())
			}
			continue
		case c.Claimed[i]:
			for _, what := range holds(i) {
				errs.Addf(0, c.Names[i], "measure %q: the %s holds the %s, not a measure", n, c.Noun, what)
			}
			continue
		}
		candidate[i], asked[i] = true, true
	}
	var out []MeasureColumn
	for i, ok := range candidate {
		if ok {
			out = append(out, MeasureColumn{Col: i, Requested: asked[i]})
		}
	}
	return out
}

// NumberState is the outcome of reading a number written as text.
type NumberState int

const (
	NumberOK NumberState = iota
	NumberEmpty
	NumberInvalid   // not a number
	NumberNotFinite // NaN, Inf or out of range
)

// ParseNumber reads a decimal number written as text, as the readers of
// every input format do: surrounding spaces and a leading '+' are
// accepted; NaN, infinities, hexadecimal and digit separators are not.
// With decimalComma, one comma may stand for the decimal point ("12,5").
// A number too small to represent reads as (nearly) zero.
func ParseNumber(s string, decimalComma bool) (float64, NumberState) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, NumberEmpty
	}
	comma := -1
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9', c == '.', c == '-', c == '+', c == 'e', c == 'E':
		case c == ',' && decimalComma && comma < 0:
			comma = i
		default:
			switch strings.ToLower(strings.TrimLeft(s, "+-")) {
			case "nan", "inf", "infinity":
				return 0, NumberNotFinite
			}
			return 0, NumberInvalid
		}
	}
	if comma >= 0 {
		if strings.ContainsAny(s, ".eE") {
			return 0, NumberInvalid
		}
		s = s[:comma] + "." + s[comma+1:]
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if errors.Is(err, strconv.ErrRange) {
			if math.IsInf(v, 0) {
				return 0, NumberNotFinite
			}
			return v, NumberOK // underflow to (nearly) zero
		}
		return 0, NumberInvalid
	}
	return v, NumberOK
}

// QuoteList quotes names and joins them for messages: "a", "b" or "c"
// with conj "or".
func QuoteList(names []string, conj string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	if len(q) < 2 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " " + conj + " " + q[len(q)-1]
}
