package report

import (
	"strconv"
	"strings"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// fixed formats v with prec digits after the point, never as "-0.00".
func fixed(v float64, prec int) string {
	return noNegZero(strconv.FormatFloat(v, 'f', prec, 64))
}

// jsonNumber formats a finite v as summary.json writes it: rounded to six
// digits after the point, trailing zeros dropped, negative zero as 0.
func jsonNumber(v float64) string {
	s := strconv.FormatFloat(v, 'f', 6, 64)
	s = strings.TrimRight(s, "0")
	s = strings.TrimSuffix(s, ".")
	return noNegZero(s)
}

// noNegZero drops the sign of a formatted number whose digits are all 0.
func noNegZero(s string) string {
	if strings.HasPrefix(s, "-") && strings.Trim(s[1:], "0.") == "" {
		return s[1:]
	}
	return s
}

// grouped formats v with prec digits after the point and commas between
// groups of three digits before it: 1234567.891 -> "1,234,567.89".
func grouped(v float64, prec int) string {
	return territory.GroupDigits(fixed(v, prec))
}
