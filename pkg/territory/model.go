package territory

import (
	"fmt"
	"math"
	"strings"
	"unicode"
)

// Space says how account and rep coordinates are to be read.
type Space int

const (
	// Geographic coordinates: X is longitude and Y latitude, in degrees.
	// Distances are great-circle kilometres.
	Geographic Space = iota
	// Planar coordinates: X and Y in any unit; distances are Euclidean in
	// that unit.
	Planar
)

func (s Space) String() string {
	switch s {
	case Geographic:
		return "geographic"
	case Planar:
		return "planar"
	}
	return fmt.Sprintf("Space(%d)", int(s))
}

// Point is a location: (longitude, latitude) in degrees for [Geographic]
// problems, (x, y) for [Planar] ones.
type Point struct {
	X, Y float64
}

// Finite reports whether v is a number: neither NaN nor infinite.
func Finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// CountMeasure is the built-in measure that counts accounts: every account
// weighs 1 in it. A column of that name in the input takes its place.
const CountMeasure = "count"

// Measure is a numeric quantity known for every account, such as revenue
// or workload.
type Measure struct {
	// Name is the normalised name (see [NormalizeName]) by which rules
	// refer to the measure.
	Name string
	// Column is the name as the input spelled it, for messages and reports.
	Column string
	// Values holds one value per account, in account order.
	Values []float64
}

// Accounts holds the accounts of a problem as parallel slices (a struct of
// arrays, so that a million accounts stay compact). IDs and Locs always have
// one entry per account; the optional slices are either nil or of the same
// length.
type Accounts struct {
	IDs      []string
	Names    []string // optional display names
	Locs     []Point
	Measures []Measure
	// Owners holds today's rep id of each account ("" where unknown).
	Owners []string
	// Locked marks accounts that must stay with their owner.
	Locked []bool
	// Groups holds the group of every account in a grouped problem (see
	// [Problem.GroupColumn]); nil otherwise.
	Groups []string
	// Units holds the id of every account's unit, as the accounts give it,
	// when a unit layer is read and the accounts have a unit column ("" for
	// an account placed by its location); nil otherwise. An account with a
	// unit may have no location: its Locs entry is then NaN until it is
	// placed at its unit's point. Once the accounts are placed in the
	// layer, it holds the unit of every account, however placed (the
	// unit_id column of assignments.csv).
	Units []string
	// UnitColumn is the unit column's header, as written, for messages.
	UnitColumn string
	// Source names where the accounts came from (a file name) and Rows the
	// 1-based row of each account in it, as a spreadsheet numbers rows;
	// both only serve messages and may be empty.
	Source string
	Rows   []int
}

// Len is the number of accounts.
func (a *Accounts) Len() int { return len(a.IDs) }

// Measure returns the measure called name (normalised before comparison),
// or nil when there is none.
func (a *Accounts) Measure(name string) *Measure {
	n := NormalizeName(name)
	for i := range a.Measures {
		if a.Measures[i].Name == n {
			return &a.Measures[i]
		}
	}
	return nil
}

// Weights returns the value of the named measure for every account. The
// built-in [CountMeasure] gives 1 for each account unless the accounts have
// a measure of that name. It returns nil when the measure is unknown.
func (a *Accounts) Weights(name string) []float64 {
	if m := a.Measure(name); m != nil {
		return m.Values
	}
	if NormalizeName(name) == CountMeasure {
		w := make([]float64, a.Len())
		for i := range w {
			w[i] = 1
		}
		return w
	}
	return nil
}

// row is the row number to cite for account i.
func (a *Accounts) row(i int) int {
	if i < len(a.Rows) {
		return a.Rows[i]
	}
	return 0
}

// Rep is a sales representative: the owner of one territory.
type Rep struct {
	ID   string
	Name string
	// Home is where the rep is based; valid only when HasHome is set.
	Home    Point
	HasHome bool
	// Capacity is the rep's share of a full territory (1 = full time,
	// 0.5 = half). Targets of tolerance rules and min/max bounds scale
	// with it.
	Capacity float64
	// Group is the rep's group in a grouped problem (see
	// [Problem.GroupColumn]): the rep owns accounts of that group only.
	Group string
	// Row is the rep's 1-based row in its source, for messages (0 = unknown).
	Row int
}

// NormalizeName turns a column or measure name into the form used for
// matching: lower case, with white space (any Unicode space, such as a
// non-breaking one), dashes, dots and underscores turned into single
// underscores, none at either end ("Annual Revenue" -> "annual_revenue").
// It is idempotent: a normalised name normalises to itself.
func NormalizeName(s string) string {
	s = strings.TrimPrefix(s, "\ufeff")
	var b strings.Builder
	b.Grow(len(s))
	prevUnderscore := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r) || r == '-' || r == '.' || r == '_':
			if !prevUnderscore && b.Len() > 0 {
				b.WriteByte('_')
			}
			prevUnderscore = true
		default:
			b.WriteRune(unicode.ToLower(r))
			prevUnderscore = false
		}
	}
	return strings.TrimRight(b.String(), "_")
}

// ParseLocked reads a "locked" cell as the inputs spell it: true/false,
// yes/no, 1/0 or y/n, in any case and with surrounding spaces; empty is
// false. ok is false for anything else.
func ParseLocked(s string) (locked, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "false", "no", "0", "n":
		return false, true
	case "true", "yes", "1", "y":
		return true, true
	}
	return false, false
}
