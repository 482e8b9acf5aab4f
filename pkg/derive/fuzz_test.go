package derive

import (
	"slices"
	"strings"
	"testing"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// FuzzParse checks that Parse never panics, that a measure it accepts is
// written back (String) as it reads it, and that its errors are one line
// for an expression of one line. The expression language is expr-lang's,
// fuzzed upstream; what is fuzzed here is the NAME=EXPR split and what
// this package checks around the library.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"workload=visits*(call_minutes+25)/60",
		" Workload Hours = visits * 2 ",
		"w=visits > 0 ? max(hours/visits, 1) : round(abs(hours))",
		"w=visits == 0 ? 1 : 2",
		"travel=0.5",
		"w=1/0",
		"w=(-1)**0.5",
		"w=let h = visits; h",
		`w=$env["x"]`,
		"w=foo(foo)",
		"w=now()",
		"count=1",
		"=",
		"w=",
		"w=visits +\n * 2",
		"w=[1, 2][0]",
		"w={a: 1}.a",
		"w=visits in [1, 2] ? 1 : 0",
		"w=visits ?? 1",
		"w=-visits % 2",
		"w=2 ** 1024",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := Parse(s)
		if err != nil {
			if !strings.Contains(s, "\n") && strings.Contains(err.Error(), "\n") {
				t.Errorf("Parse(%q): an error of more than one line: %q", s, err)
			}
			return
		}
		again, err := Parse(m.String())
		if err != nil || !again.Equal(m) || !slices.Equal(again.Refs(), m.Refs()) {
			t.Errorf("Parse(%q) = %q, which reads back as %v, %v", s, m, again, err)
		}
		for _, r := range m.Refs() {
			if territory.NormalizeName(r) != r {
				t.Errorf("Parse(%q): ref %q is not normalised", s, r)
			}
		}
	})
}
