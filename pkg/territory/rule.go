package territory

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// DefaultTolerance is the band of a rule given as a bare measure name: ±5%
// of the target.
const DefaultTolerance = 0.05

// BalanceRule bounds the load of one measure in every territory.
//
// A tolerance rule (HasTolerance) asks for the target ± Tolerance·target,
// where a territory's target is its rep's capacity share of the measure's
// total. Min and Max are absolute bounds for a territory of capacity 1 and
// scale with the rep's capacity (a rep at 0.5 gets half of them). A rule may
// combine a tolerance with explicit bounds; the band is then the
// intersection.
type BalanceRule struct {
	// Measure is the normalised measure name.
	Measure string

	HasTolerance bool
	Tolerance    float64 // fraction: 0.05 is ±5%

	HasMin, HasMax bool
	Min, Max       float64
}

// String formats the rule in the syntax ParseBalanceRule reads.
func (r BalanceRule) String() string {
	var parts []string
	if r.HasTolerance {
		parts = append(parts, formatPercent(r.Tolerance)+"%")
	}
	var bounds []string
	if r.HasMin {
		bounds = append(bounds, "min="+formatNumber(r.Min))
	}
	if r.HasMax {
		bounds = append(bounds, "max="+formatNumber(r.Max))
	}
	if len(bounds) > 0 {
		parts = append(parts, strings.Join(bounds, ","))
	}
	if len(parts) == 0 {
		return r.Measure
	}
	return r.Measure + ":" + strings.Join(parts, ",")
}

// formatPercent writes a tolerance as a percentage that ParseBalanceRule
// reads back to the same tolerance: with the fewest significant digits from
// 12 up, so that the binary noise of ·100 is hidden (7% is stored as 0.07
// and would print as 7.000000000000001) but 1000000000001% keeps its 13.
func formatPercent(tol float64) string {
	p := tol * 100
	for prec := 12; prec <= 17; prec++ {
		for _, c := range []float64{p, math.Nextafter(p, math.Inf(1)), math.Nextafter(p, math.Inf(-1))} {
			s := strconv.FormatFloat(c, 'g', prec, 64)
			if v, err := strconv.ParseFloat(s, 64); err == nil && v/100 == tol {
				return s
			}
		}
	}
	return strconv.FormatFloat(p, 'g', -1, 64)
}

func formatNumber(v float64) string {
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// ParseBalanceRule reads a rule written as
//
//	MEASURE              within ±5% of the target
//	MEASURE:TOL%         within ±TOL% of the target (e.g. revenue:3%)
//	MEASURE:max=V        at most V (per full-capacity territory)
//	MEASURE:min=V        at least V
//	MEASURE:min=V,max=V  between the two
//
// Parts may be combined with commas (revenue:3%,max=2e6). The measure name
// is normalised (see NormalizeName), so "Annual Revenue:5%" and
// "annual_revenue:5%" are the same rule.
func ParseBalanceRule(s string) (BalanceRule, error) {
	var r BalanceRule
	name, spec, hasSpec := strings.Cut(s, ":")
	r.Measure = NormalizeName(name)
	if r.Measure == "" {
		return r, fmt.Errorf("balance rule %q: missing measure name (expected MEASURE, MEASURE:TOL%%, MEASURE:max=V or MEASURE:min=V,max=V)", s)
	}
	if !hasSpec {
		r.HasTolerance, r.Tolerance = true, DefaultTolerance
		return r, nil
	}
	if strings.TrimSpace(spec) == "" {
		return r, fmt.Errorf("balance rule %q: nothing after ':' (expected TOL%%, max=V or min=V)", s)
	}
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		key, val, isBound := strings.Cut(part, "=")
		switch {
		case isBound:
			v, err := parseFinite(strings.TrimSpace(val))
			if err != nil {
				return r, fmt.Errorf("balance rule %q: %s: %v", s, part, err)
			}
			switch strings.ToLower(strings.TrimSpace(key)) {
			case "min":
				if r.HasMin {
					return r, fmt.Errorf("balance rule %q: min given twice", s)
				}
				r.HasMin, r.Min = true, v
			case "max":
				if r.HasMax {
					return r, fmt.Errorf("balance rule %q: max given twice", s)
				}
				r.HasMax, r.Max = true, v
			default:
				return r, fmt.Errorf("balance rule %q: unknown bound %q (expected min or max)", s, key)
			}
		case strings.HasSuffix(part, "%"):
			if r.HasTolerance {
				return r, fmt.Errorf("balance rule %q: tolerance given twice", s)
			}
			v, err := parseFinite(strings.TrimSpace(strings.TrimSuffix(part, "%")))
			if err != nil {
				return r, fmt.Errorf("balance rule %q: tolerance %q: %v", s, part, err)
			}
			if v < 0 {
				return r, fmt.Errorf("balance rule %q: tolerance %s is negative", s, part)
			}
			r.HasTolerance, r.Tolerance = true, v/100
		default:
			return r, fmt.Errorf("balance rule %q: cannot read %q (expected TOL%%, min=V or max=V)", s, part)
		}
	}
	if r.HasMin && r.HasMax && r.Min > r.Max {
		return r, fmt.Errorf("balance rule %q: min %s is above max %s", s, formatNumber(r.Min), formatNumber(r.Max))
	}
	return r, nil
}

func parseFinite(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	if !Finite(v) {
		return 0, fmt.Errorf("%q is not a finite number", s)
	}
	return v, nil
}

// Band is the allowed range of one measure in one territory, with the
// target it is measured against.
type Band struct {
	Target float64 // capacity share of the total
	Lo, Hi float64 // Lo may be -Inf and Hi +Inf when unbounded
}

// Contains reports whether load lies within the band, allowing a relative
// slack of 1e-9 of the band's scale for floating-point sums.
func (b Band) Contains(load float64) bool {
	return b.Excess(load) == 0
}

// Excess is how far load lies outside the band (0 inside it): positive
// above Hi, negative below Lo.
func (b Band) Excess(load float64) float64 {
	eps := 1e-9 * math.Max(math.Abs(b.Target), 1)
	switch {
	case load > b.Hi+eps:
		return load - b.Hi
	case load < b.Lo-eps:
		return load - b.Lo
	}
	return 0
}
