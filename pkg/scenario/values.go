package scenario

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// MoveLimit bounds how many accounts may change rep (the owner known from
// the accounts) in a plan. The zero value is no limit.
//
// A *MoveLimit is a flag value (it has the String, Set and Type methods of
// pflag.Value), so the command line can bind --max-moves to it directly.
type MoveLimit struct {
	Limited bool    // false: no limit
	Percent bool    // Value is a percentage of the accounts
	Value   float64 // a whole number of accounts, or a percentage from 0 to 100
}

// ParseMoveLimit reads a move limit written as N (a whole number of
// accounts, such as 200) or P% (a percentage of the accounts from 0 to 100,
// such as 10% or 2.5%). The empty string is no limit.
func ParseMoveLimit(s string) (MoveLimit, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return MoveLimit{}, nil
	}
	if p, ok := strings.CutSuffix(t, "%"); ok {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return MoveLimit{}, fmt.Errorf("%q is not a percentage (expected N accounts such as 200, or P%% of them such as 10%%)", s)
		}
		if v < 0 || v > 100 {
			return MoveLimit{}, fmt.Errorf("%q is not between 0%% and 100%%", s)
		}
		return MoveLimit{Limited: true, Percent: true, Value: v}, nil
	}
	n, err := strconv.ParseUint(t, 10, 0)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return MoveLimit{}, fmt.Errorf("%q is too large", s)
		}
		if v, ferr := strconv.ParseInt(t, 10, 64); ferr == nil && v < 0 {
			return MoveLimit{}, fmt.Errorf("%q is negative (expected 0 or more accounts)", s)
		}
		return MoveLimit{}, fmt.Errorf("%q is not a number of accounts (expected N accounts such as 200, or P%% of them such as 10%%)", s)
	}
	return MoveLimit{Limited: true, Value: float64(n)}, nil
}

// String writes the limit as ParseMoveLimit reads it: "" for no limit,
// "200" or "10%".
func (m MoveLimit) String() string {
	switch {
	case !m.Limited:
		return ""
	case m.Percent:
		return strconv.FormatFloat(m.Value, 'g', -1, 64) + "%"
	}
	return strconv.FormatFloat(m.Value, 'f', -1, 64)
}

// Of returns how many of n accounts may change rep: n when there is no
// limit, P% of n rounded down, or N but at most n.
func (m MoveLimit) Of(n int) int {
	switch {
	case !m.Limited:
		return n
	case m.Percent:
		// Value·n is exact for the percentages people write (whole or
		// with a few decimals) and the account counts there are, so
		// 10% of 5000 is 500, not 499.
		return int(math.Floor(m.Value * float64(n) / 100))
	}
	return int(math.Min(m.Value, float64(n)))
}

// Set parses s into m (for pflag).
func (m *MoveLimit) Set(s string) error {
	v, err := ParseMoveLimit(s)
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// Type names the flag's value in help (for pflag).
func (m *MoveLimit) Type() string { return "N|P%" }

// efforts are the search efforts, least first.
var efforts = []string{"quick", "normal", "thorough"}

// Efforts returns the search efforts, least first: quick, normal, thorough.
func Efforts() []string { return slices.Clone(efforts) }

// ParseEffort reads an effort, in any case, and returns its canonical
// spelling.
func ParseEffort(s string) (string, error) {
	e := territory.NormalizeName(s)
	if slices.Contains(efforts, e) {
		return e, nil
	}
	return "", fmt.Errorf("unknown effort %q (expected quick, normal or thorough)", s)
}

// shapes are the shapes of a plan, the default first.
var shapes = []string{"regions", "free"}

// ParseShape reads the shape of a plan, in any case, and returns its
// canonical spelling: "regions" (every territory one connected piece, none
// inside another) or "free" (territories may interleave, as facility-style
// problems want). solve.ParseShape reads the canonical spelling.
func ParseShape(s string) (string, error) {
	sh := territory.NormalizeName(s)
	if slices.Contains(shapes, sh) {
		return sh, nil
	}
	return "", fmt.Errorf("unknown shape %q (expected regions or free)", s)
}

// ParseWeight reads the name of the measure that weights the objective and
// returns it normalised, as measures are matched ("Pop 2010" is pop_2010).
// Empty (or blank) text is no weight, and gives "". Whether the accounts
// have the measure is checked when they are read.
func ParseWeight(s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", nil
	}
	w := territory.NormalizeName(s)
	if w == "" {
		return "", fmt.Errorf("%q is not a measure name (expected a column of the accounts, such as population)", s)
	}
	return w, nil
}

// formats are the output formats, in the order they are listed and
// written.
var formats = []string{"csv", "json", "xlsx", "md", "geojson", "svg", "html"}

// Formats returns every output format, in canonical order: csv
// (assignments.csv, territories.csv), json (summary.json), xlsx
// (report.xlsx), md (report.md), geojson (territories.geojson), svg
// (map.svg) and html (map.html).
func Formats() []string { return slices.Clone(formats) }

// ParseFormats reads a list of output formats, each item one format or
// several separated by commas (as the --formats flag gives them), in any
// case. It returns them in canonical order, each once. The list must name
// at least one format.
func ParseFormats(list []string) ([]string, error) {
	seen := make(map[string]bool)
	for _, item := range list {
		for f := range strings.SplitSeq(item, ",") {
			f = strings.ToLower(strings.TrimSpace(f))
			if !slices.Contains(formats, f) {
				return nil, fmt.Errorf("unknown format %q (expected %s)", f, orList(formats))
			}
			seen[f] = true
		}
	}
	if len(seen) == 0 {
		return nil, fmt.Errorf("no formats (expected one or more of %s)", strings.Join(formats, ", "))
	}
	var out []string
	for _, f := range formats {
		if seen[f] {
			out = append(out, f)
		}
	}
	return out, nil
}

// basemaps are what the maps draw under the territories, the default
// first.
var basemaps = []string{"outlines", "osm", "none"}

// ParseBasemap reads what the maps draw under the territories, in any
// case, and returns its canonical spelling: "outlines" (the land, country
// and US state borders embedded in the binary; no network), "osm"
// (map.html loads OpenStreetMap's tiles) or "none". render.ParseBasemap
// reads the canonical spelling.
func ParseBasemap(s string) (string, error) {
	b := territory.NormalizeName(s)
	if slices.Contains(basemaps, b) {
		return b, nil
	}
	return "", fmt.Errorf("unknown basemap %q (expected outlines, osm or none)", s)
}

// parseTimeLimit reads a time limit as time.ParseDuration does; it must not
// be negative. 0 is no limit.
func parseTimeLimit(s string) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration (expected a number and a unit, such as 90s, 2m or 1h30m)", s)
	}
	if d < 0 {
		return 0, fmt.Errorf("%q is negative", s)
	}
	return d, nil
}

// The keys of a column mapping, for accounts and for reps (as
// tabular.Options.Columns takes them), and the ones that may be turned off
// with an empty column name.
var (
	accountColumnKeys  = []string{"id", "name", "lat", "lon", "x", "y", "owner", "locked", "unit"}
	repColumnKeys      = []string{"id", "name", "lat", "lon", "x", "y", "capacity"}
	optionalColumnKeys = []string{"name", "owner", "locked", "capacity", "unit"}
)

// orList writes "a, b or c".
func orList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}
