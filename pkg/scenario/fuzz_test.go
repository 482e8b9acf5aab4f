package scenario

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// fuzzSeeds are scenario files good and bad, beside the golden files of
// Write.
var fuzzSeeds = []string{
	brief,
	"demo: true\n",
	"accounts: a.csv\nreps: r.csv\nbalance: revenue\n",
	"accounts:\n  file: a.xlsx\n  columns:\n    id: Account ID\n    owner: \"\"\n",
	"territories: twenty\nbalence: [x]\nseed: -1\n",
	"- a\n- b\n",
	"",
	"# only a comment\n",
	"a: 1\n---\nb: 2\n",
	"balance: [revenue:5%\n",
	"x: &a [*a]\nbalance: *a\n",
	"output: &o {dir: out}\nconstraints: *o\n",
	"? [a]\n: 1\n",
	"seed: 0x10\nterritories: 1_000\nconstraints: {stickiness: .inf, max_moves: 100%}\n",
	"seed: 18446744073709551616\n",
	"\ufeffseed: 1\r\ntime_limit: 1h\r\n",
	"\xff\xfes\x00e\x00e\x00d\x00:\x00 \x001\x00\n\x00",
	"accounts: {file: \"a\\u0000b\\x01\", sheet: \"\\t\"}\n",
	"output: {formats: 'csv,,json'}\n",
	"center: !!binary aGVsbG8=\nobjective: !custom sse\n",
	"shape: Free\nweight: Pop 2010\nconstraints: {contiguous: true}\n",
	"shape: blob\nweight: '--'\nconstraints: {shape: free}\n",
	"weight: \"  \"\nshape: [regions]\n",
	"measures: [\"workload=visits*(call_minutes+25)/60\", hours=workload+1]\nbalance: [hours:5%]\n",
	"measures:\n  - a=b\n  - b=a\n  - w=visits*(\n  - count=1\n  - 'x=y > 1'\n",
	"output: {basemap: OSM}\n",
	"output: {basemap: [none]}\n",
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	goldens, _ := filepath.Glob(filepath.Join("testdata", "*.yaml"))
	for _, g := range goldens {
		if b, err := os.ReadFile(g); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse(data, "f.yaml")
		if err != nil {
			if s != nil {
				t.Fatalf("a scenario returned with an error: %+v", s)
			}
			var serr *Error
			if !errors.As(err, &serr) || len(serr.Problems) == 0 {
				t.Fatalf("error %T %q is not an *Error with problems", err, err)
			}
			// YAML counts a lone carriage return as a line break too
			// (files saved with old Mac line endings), so a problem's line
			// may be past the count of newlines: bound it by both.
			lines := bytes.Count(data, []byte("\n")) + bytes.Count(data, []byte("\r")) + 2
			for _, p := range serr.Problems {
				if p.Msg == "" || p.Line < 0 || p.Line > lines || p.Column < 0 {
					t.Fatalf("bad problem %+v in a file of %d lines", p, lines-1)
				}
			}
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("Parse accepted what Validate refuses: %v", err)
		}
		s.Settings() // must not panic
		var b bytes.Buffer
		if err := Write(&b, s); err != nil {
			t.Fatalf("Write of a parsed scenario: %v", err)
		}
		back, err := Parse(b.Bytes(), "f.yaml")
		if err != nil {
			t.Fatalf("Parse of what Write wrote: %v\n%s", err, b.String())
		}
		if diff := cmp.Diff(s, back, cmpopts.IgnoreFields(Scenario{}, "Dir")); diff != "" {
			t.Fatalf("Parse(Write(s)) differs (-s +back):\n%s\n%s", diff, b.String())
		}
	})
}
