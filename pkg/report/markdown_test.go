package report

import (
	"bytes"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/territory-optimizer/territory/pkg/territory"
)

func TestMarkdownGolden(t *testing.T) {
	for _, tc := range xlsxCases() {
		t.Run(tc.name, func(t *testing.T) {
			p, pl := tc.setup(t)
			var got, again bytes.Buffer
			if err := WriteMarkdown(&got, tc.run, Evaluate(p, pl)); err != nil {
				t.Fatal(err)
			}
			if err := WriteMarkdown(&again, tc.run, Evaluate(p, pl)); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), again.Bytes()) {
				t.Errorf("two writes differ:\n%s\n---\n%s", got.Bytes(), again.Bytes())
			}
			if bytes.ContainsAny(got.Bytes(), "\r\t\x1b") || !bytes.HasSuffix(got.Bytes(), []byte("\n")) {
				t.Errorf("output holds a control character or does not end in a newline:\n%q", got.String())
			}
			checkGolden(t, filepath.Join("testdata", tc.name+".report.md"), got.String())
		})
	}
}

func TestMDEscape(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{name: "plain", in: "Smith, Ann", want: "Smith, Ann"},
		{name: "table pipe", in: "a|b", want: `a\|b`},
		{name: "code", in: "`x`", want: "\\`x\\`"},
		{name: "emphasis", in: "*a* _b_ ~c~", want: `\*a\* \_b\_ \~c\~`},
		{name: "link", in: "[x](http://y)", want: `\[x\](http://y)`},
		{name: "html", in: "<script>alert(1)</script>", want: `\<script\>alert(1)\</script\>`},
		{name: "heading", in: "# title", want: `\# title`},
		{name: "leading list marker", in: "- a - b", want: `\- a - b`},
		{name: "leading plus and equals", in: "+1 =2", want: `\+1 =2`},
		{name: "mention and issue", in: "@octocat #12", want: `\@octocat \#12`},
		{name: "entity and maths", in: "&amp; $x$", want: `\&amp; \$x\$`},
		{name: "backslash", in: `a\|b`, want: `a\\\|b`},
		{name: "control characters", in: "a\tb\nc\r\x1b[31m", want: `a b c  \[31m`},
		{name: "invalid UTF-8", in: "a\xffb", want: "a b"},
		{name: "unicode", in: "Zoë – Straße", want: "Zoë – Straße"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mdEscape(tt.in); got != tt.want {
				t.Errorf("mdEscape(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestMarkdownCaps checks that the territory table and the violations list
// stop at 50 rows and say how many there are.
func TestMarkdownCaps(t *testing.T) {
	const k = 60
	n := 2 * k
	p := &territory.Problem{
		Space: territory.Planar,
		Accounts: territory.Accounts{
			IDs:  make([]string, n),
			Locs: make([]territory.Point, n),
		},
		Reps:      make([]territory.Rep, k),
		Rules:     []territory.BalanceRule{mustRule(t, "count:0%")},
		Objective: territory.SSE,
	}
	pl := &territory.Plan{Assign: make([]int, n), Centers: make([]territory.Point, k)}
	for i := range n {
		p.Accounts.IDs[i] = "a" + strconv.Itoa(i)
		p.Accounts.Locs[i] = territory.Point{X: float64(i)}
		// T01 takes a0..a60, T02..T60 one account each: every territory
		// is off its target of 2.
		pl.Assign[i] = max(0, i-60)
	}
	for k := range p.Reps {
		p.Reps[k] = territory.Rep{ID: "r" + strconv.Itoa(k), Capacity: 1}
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := pl.Check(p); err != nil {
		t.Fatal(err)
	}
	m := Evaluate(p, pl)
	if len(m.Violations) != k {
		t.Fatalf("%d violations, want %d", len(m.Violations), k)
	}
	var buf bytes.Buffer
	if err := WriteMarkdown(&buf, Run{}, m); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"## Territory plan: 60 balance rule violations\n",
		"\n_Showing the first 50 of 60 territories; report.xlsx and territories.csv list them all._\n",
		"\n_Showing the first 50 of 60 violations; summary.json and report.xlsx list them all._\n",
		"| T50 | r49 |",
		"- T50 (r49): count",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report.md lacks %q:\n%s", want, out)
		}
	}
	for _, unwanted := range []string{"| T51 |", "- T51 "} {
		if strings.Contains(out, unwanted) {
			t.Errorf("report.md holds %q beyond the cap", unwanted)
		}
	}
}

func TestMarkdownRejectsNonFinite(t *testing.T) {
	p, pl := planarCase(t, territory.SSE)
	m := Evaluate(p, pl)
	m.Territories[0].Loads[1].PctTarget = math.NaN()
	var buf bytes.Buffer
	if err := WriteMarkdown(&buf, Run{}, m); err == nil {
		t.Errorf("no error")
	}
	if buf.Len() != 0 {
		t.Errorf("wrote %d bytes despite the error", buf.Len())
	}
}
