package territory

import "strings"

// GroupDigits puts a comma between every three digits of the integer part
// of s, a decimal number as strconv.FormatFloat writes it in 'f' format
// (an optional leading minus, digits, an optional point and fraction):
// "-1234567.891" -> "-1,234,567.891". The tables, maps and diffs people
// read show numbers this way; each keeps its own rounding and zeros.
func GroupDigits(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	b.Grow(len(sign) + len(s) + len(intPart)/3)
	b.WriteString(sign)
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}
