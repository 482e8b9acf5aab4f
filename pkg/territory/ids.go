package territory

import "strings"

// CompareIDs orders identifiers the way outputs list them: ids made only of
// digits come first, by numeric value ("2" before "10"; ties such as "7" and
// "007" by byte order), then every other id by byte order. It is a total
// order, so sorted outputs do not depend on the input order.
func CompareIDs(a, b string) int {
	da, db := isDigits(a), isDigits(b)
	switch {
	case da && !db:
		return -1
	case !da && db:
		return 1
	case da && db:
		ta, tb := strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
		if len(ta) != len(tb) {
			if len(ta) < len(tb) {
				return -1
			}
			return 1
		}
		if c := strings.Compare(ta, tb); c != 0 {
			return c
		}
	}
	return strings.Compare(a, b)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
