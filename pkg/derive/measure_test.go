package derive

import (
	"strings"
	"testing"

	"github.com/expr-lang/expr/vm"
	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name       string
		in         string
		wantName   string   // normalised
		wantColumn string   // as given
		wantExpr   string   // as given, trimmed
		wantRefs   []string // normalised
	}{
		{name: "the issue's workload", in: "workload=visits*(call_minutes+25)/60",
			wantName: "workload", wantColumn: "workload", wantExpr: "visits*(call_minutes+25)/60", wantRefs: []string{"visits", "call_minutes"}},
		{name: "spaces around both", in: " Workload Hours =  visits * 2 ",
			wantName: "workload_hours", wantColumn: "Workload Hours", wantExpr: "visits * 2", wantRefs: []string{"visits"}},
		{name: "names in any case, each once", in: "w=Visits + visits*VISITS",
			wantName: "w", wantColumn: "w", wantExpr: "Visits + visits*VISITS", wantRefs: []string{"visits"}},
		{name: "a comparison and functions", in: "w=visits > 0 ? max(hours/visits, 1) : round(abs(hours))",
			wantName: "w", wantColumn: "w", wantExpr: "visits > 0 ? max(hours/visits, 1) : round(abs(hours))", wantRefs: []string{"visits", "hours"}},
		{name: "== in the expression", in: "w=visits == 0 ? 1 : 2",
			wantName: "w", wantColumn: "w", wantExpr: "visits == 0 ? 1 : 2", wantRefs: []string{"visits"}},
		{name: "a constant", in: "travel=0.5",
			wantName: "travel", wantColumn: "travel", wantExpr: "0.5", wantRefs: []string{}},
		{name: "a whole number is a number", in: "w=2**3", wantName: "w", wantColumn: "w", wantExpr: "2**3", wantRefs: []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			got := []any{m.Name(), m.Column(), m.Expr(), m.Refs()}
			want := []any{tt.wantName, tt.wantColumn, tt.wantExpr, tt.wantRefs}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("name, column, expr, refs (-want +got):\n%s", diff)
			}
			if m.String() != tt.wantColumn+"="+tt.wantExpr {
				t.Errorf("String() = %q", m.String())
			}
			again, err := Parse(m.String())
			if err != nil || !again.Equal(m) {
				t.Errorf("Parse(String()) = %v, %v; want the same measure", again, err)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "no equals sign", in: "workload", want: `"workload": expected NAME=EXPR (such as workload=visits*(call_minutes+25)/60)`},
		{name: "no name", in: " =visits", want: `" =visits": no name before '=' (expected NAME=EXPR)`},
		{name: "a name of no letters", in: "-=visits", want: `"-" is not a measure name (expected a name such as workload before '=')`},
		{name: "count", in: "Count=visits", want: `measure "Count": count is the built-in number of accounts: give the derived measure another name`},
		{name: "no expression", in: "w= ", want: `measure "w": empty expression (expected NAME=EXPR such as workload=visits*(call_minutes+25)/60)`},
		// expr-lang's messages, with the position as a character count
		// from 1 (the library's column is from 0).
		{name: "unclosed parenthesis", in: "workload=visits*(call_minutes+",
			want: `measure "workload": cannot compile "visits*(call_minutes+": character 21: unexpected token EOF`},
		{name: "two operators", in: "w=visits * / 2",
			want: `measure "w": cannot compile "visits * / 2": character 10: unexpected token Operator("/")`},
		{name: "a bad character", in: "w=visits @ 2",
			want: `measure "w": cannot compile "visits @ 2": character 8: unrecognized character: U+0040 '@'`},
		{name: "a comparison is no number", in: "w=visits > 2",
			want: `measure "w": cannot compile "visits > 2": the result is bool, not a number`},
		{name: "text", in: `w=visits + "a"`,
			want: `measure "w": cannot compile "visits + \"a\"": character 8: invalid operation: + (mismatched types float64 and string)`},
		{name: "a number as condition", in: "w=visits ? 1 : 2",
			want: `measure "w": cannot compile "visits ? 1 : 2": character 1: non-bool expression (type float64) used as condition`},
		{name: "an unknown function", in: "w=sqrt(visits)",
			want: `measure "w": cannot compile "sqrt(visits)": character 1: unknown name sqrt`},
		{name: "the clock", in: "w=now().Unix()",
			want: `measure "w": cannot compile "now().Unix()": character 1: unknown name now`},
		{name: "a function on text", in: `w=len("abc")`,
			want: `measure "w": cannot compile "len(\"abc\")": character 1: unknown name len`},
		{name: "a field of a number", in: "w=visits.x",
			want: `measure "w": cannot compile "visits.x": character 8: type float64 has no field x`},
		{name: "let", in: "w=let h = visits*2; h/60",
			want: `measure "w": cannot compile "let h = visits*2; h/60": character 5: let is not supported (make the part a derived measure of its own)`},
		{name: "$env", in: `w=$env["2023_revenue"]`,
			want: `measure "w": cannot compile "$env[\"2023_revenue\"]": character 1: $env is not supported (write the measure's name)`},
		{name: "a second line", in: "w=visits +\n  * 2",
			want: `measure "w": cannot compile "visits +\n  * 2": line 2, character 3: unexpected token Operator("*")`},
		{name: "a constant division by zero", in: "w=1/0", want: `measure "w": cannot compile "1/0": division by zero: 0 is 0`},
		{name: "a constant NaN", in: "w=(-1)**0.5", want: `measure "w": cannot compile "(-1)**0.5": the result is NaN (not a number)`},
		{name: "a constant overflow", in: "w=1e308*10", want: `measure "w": cannot compile "1e308*10": the result is +Inf (too large for a number)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse(tt.in)
			if err == nil {
				t.Fatalf("Parse(%q) = %v, want an error", tt.in, m)
			}
			if err.Error() != tt.want {
				t.Errorf("error:\n got %s\nwant %s", err, tt.want)
			}
		})
	}
}

func TestEval(t *testing.T) {
	// workload with a visit of call_minutes+25 minutes, and a ratio that
	// divides by a difference.
	m, err := New("w", "visits*(call_minutes+25)/60 + visits/(calls-3)")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		env     map[string]any
		want    float64
		wantMsg string
	}{
		// 4*(35+25)/60 = 4, 4/(5-3) = 2.
		{name: "a number", env: map[string]any{"visits": 4.0, "call_minutes": 35.0, "calls": 5.0}, want: 6},
		{name: "division by zero", env: map[string]any{"visits": 4.0, "call_minutes": 35.0, "calls": 3.0},
			wantMsg: "division by zero: calls - 3 is 0"},
		// 0/0 is NaN: a division by zero too.
		{name: "zero by zero", env: map[string]any{"visits": 0.0, "call_minutes": 35.0, "calls": 3.0},
			wantMsg: "division by zero: calls - 3 is 0"},
		{name: "too large", env: map[string]any{"visits": 1e308, "call_minutes": 1e10, "calls": 5.0},
			wantMsg: "the result is +Inf (too large for a number)"},
	}
	var machine vm.VM
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, msg := m.eval(&machine, tt.env)
			if got != tt.want || msg != tt.wantMsg {
				t.Errorf("eval = %v, %q; want %v, %q", got, msg, tt.want, tt.wantMsg)
			}
		})
	}

	mod, err := New("w", "int(visits) % int(calls)")
	if err == nil {
		t.Fatalf("int is not among functions, but %v compiles", mod)
	}
	nan, err := New("w", "visits ** 0.5")
	if err != nil {
		t.Fatal(err)
	}
	if _, msg := nan.eval(&machine, map[string]any{"visits": -4.0}); msg != "the result is NaN (not a number)" {
		t.Errorf("the square root of -4: %q", msg)
	}
}

func TestCheck(t *testing.T) {
	parse := func(ss ...string) []*Measure {
		var ms []*Measure
		for _, s := range ss {
			m, err := Parse(s)
			if err != nil {
				t.Fatal(err)
			}
			ms = append(ms, m)
		}
		return ms
	}
	tests := []struct {
		name string
		ms   []*Measure
		want string // "" for none
	}{
		{name: "none", ms: nil},
		{name: "a chain in any order", ms: parse("a=b+1", "b=c*2", "c=visits")},
		{name: "twice", ms: parse("hours=visits", "Hours=visits*2"),
			want: `measure "hours" is defined twice (hours=visits and Hours=visits*2): keep one`},
		{name: "itself", ms: parse("visits=visits*2"), want: `measure "visits" reads itself (visits=visits*2): to compute it from a column of that name, give it another name`},
		{name: "a cycle", ms: parse("a=b+1", "b=c*2", "c=a-1", "d=a"),
			want: `measures "a", "b" and "c" depend on each other: a -> b -> c -> a`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Check(tt.ms)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.want {
				t.Errorf("Check:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestErrorsAreOneLine(t *testing.T) {
	// A message of the library holds a snippet of the expression on lines
	// of their own: the messages here are one line (but for an expression
	// of more than one line, quoted).
	for _, in := range []string{"w=visits*(", "w=visits > 2", "w=foo(visits)"} {
		_, err := Parse(in)
		if err == nil || strings.Contains(err.Error(), "\n") {
			t.Errorf("Parse(%q): %q, want one line", in, err)
		}
	}
}
