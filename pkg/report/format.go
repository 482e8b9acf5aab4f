package report

import (
	"strconv"
	"strings"
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
	s := fixed(v, prec)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	if len(intPart) <= 3 {
		return sign + s
	}
	var b strings.Builder
	b.WriteString(sign)
	head := len(intPart) % 3
	if head > 0 {
		b.WriteString(intPart[:head])
	}
	for i := head; i < len(intPart); i += 3 {
		if b.Len() > len(sign) {
			b.WriteByte(',')
		}
		b.WriteString(intPart[i : i+3])
	}
	if hasFrac {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}
