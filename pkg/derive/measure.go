package derive

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// functions are the functions an expression may call: those of numbers.
var functions = []string{"abs", "ceil", "floor", "round", "min", "max"}

// Measure is a derived measure: a name and the expression that gives its
// value for each account, compiled. It is immutable, and safe to share.
type Measure struct {
	name   string // normalised, as rules name it
	column string // as given, for messages and reports
	expr   string // as given, trimmed

	program  *vm.Program
	refs     []ref     // the names it reads, in order of first appearance
	divisors []divisor // what it divides by, to explain a division by zero
}

// ref is a name an expression reads.
type ref struct {
	ident string // as the expression writes it: the key of the environment
	name  string // normalised: the measure it reads
}

// divisor is the right-hand side of a division (or %) in an expression.
type divisor struct {
	text    string
	program *vm.Program
}

// Parse reads a derived measure written NAME=EXPR, as --measure takes it
// (workload=visits*(call_minutes+25)/60), and compiles it with [New]. The
// name is what precedes the first '='.
func Parse(s string) (*Measure, error) {
	name, expression, ok := strings.Cut(s, "=")
	switch {
	case !ok:
		return nil, fmt.Errorf("%q: expected NAME=EXPR (such as workload=visits*(call_minutes+25)/60)", s)
	case strings.TrimSpace(name) == "":
		return nil, fmt.Errorf("%q: no name before '=' (expected NAME=EXPR)", s)
	}
	return New(name, expression)
}

// New compiles the derived measure name whose value is expression. The
// name is normalised as measure names are; it may not be empty or the
// built-in count. The expression is parsed and type-checked with every
// name in it a number: an error names the position of the mistake
// ("character 12"). An expression that names no measure is a constant,
// computed here, which must be a finite number.
func New(name, expression string) (*Measure, error) {
	m := &Measure{column: strings.TrimSpace(name), expr: strings.TrimSpace(expression)}
	m.name = territory.NormalizeName(m.column)
	switch {
	case m.name == "":
		return nil, fmt.Errorf("%q is not a measure name (expected a name such as workload before '=')", name)
	case m.name == territory.CountMeasure:
		return nil, fmt.Errorf("measure %q: count is the built-in number of accounts: give the derived measure another name", m.column)
	case m.expr == "":
		return nil, fmt.Errorf("measure %q: empty expression (expected NAME=EXPR such as workload=visits*(call_minutes+25)/60)", m.column)
	}
	fail := func(at, msg string) (*Measure, error) {
		if at != "" {
			at += ": "
		}
		return nil, fmt.Errorf("measure %q: cannot compile %q: %s%s", m.column, m.expr, at, msg)
	}

	tree, err := parser.Parse(m.expr)
	if err != nil {
		return fail(errorPosition(m.expr, err))
	}
	names := &names{}
	ast.Walk(&tree.Node, names)
	if names.refused != nil {
		return fail(position(m.expr, names.refused.Location().From), names.why)
	}
	idents := names.measures()
	env := make(map[string]any, len(idents))
	for _, id := range idents {
		env[id] = 0.0
		m.refs = append(m.refs, ref{ident: id, name: territory.NormalizeName(id)})
	}
	m.program, err = expr.Compile(m.expr, compileOptions(env, expr.AsFloat64())...)
	if err != nil {
		return fail(errorPosition(m.expr, err))
	}
	seen := make(map[string]bool)
	for _, d := range names.divisors {
		text := d.String()
		if seen[text] {
			continue
		}
		seen[text] = true
		// A divisor that does not compile on its own is left out: it only
		// serves to explain a division by zero.
		if p, err := expr.Compile(text, compileOptions(env)...); err == nil {
			m.divisors = append(m.divisors, divisor{text: text, program: p})
		}
	}
	if len(m.refs) == 0 {
		var machine vm.VM
		if _, msg := m.eval(&machine, nil); msg != "" {
			return fail("", msg)
		}
	}
	return m, nil
}

// compileOptions are the options of every compilation: the environment
// (every name a float64) and the functions of numbers only.
func compileOptions(env map[string]any, more ...expr.Option) []expr.Option {
	opts := []expr.Option{expr.Env(env), expr.DisableAllBuiltins()}
	for _, f := range functions {
		opts = append(opts, expr.EnableBuiltin(f))
	}
	return append(opts, more...)
}

// names walks an expression's tree: the names it reads, what it divides
// by, and the first construct it may not use.
type names struct {
	idents   []*ast.IdentifierNode
	callees  map[*ast.IdentifierNode]bool // functions called by name: not measures
	divisors []ast.Node
	refused  ast.Node
	why      string
}

func (w *names) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.IdentifierNode:
		if n.Value == "$env" {
			w.refuse(n, "$env is not supported (write the measure's name)")
			return
		}
		w.idents = append(w.idents, n)
	case *ast.CallNode:
		// A function that is not among functions: left to the compiler,
		// which says that it is unknown.
		if id, ok := n.Callee.(*ast.IdentifierNode); ok {
			if w.callees == nil {
				w.callees = make(map[*ast.IdentifierNode]bool)
			}
			w.callees[id] = true
		}
	case *ast.VariableDeclaratorNode:
		w.refuse(n, "let is not supported (make the part a derived measure of its own)")
	case *ast.BinaryNode:
		if n.Operator == "/" || n.Operator == "%" {
			w.divisors = append(w.divisors, n.Right)
		}
	}
}

// measures lists the names the expression reads as measures, in order of
// first appearance, each once.
func (w *names) measures() []string {
	var out []string
	for _, id := range w.idents {
		if !w.callees[id] && !contains(out, id.Value) {
			out = append(out, id.Value)
		}
	}
	return out
}

// refuse records the first construct an expression may not use, in the
// order of the walk.
func (w *names) refuse(n ast.Node, why string) {
	if w.refused == nil {
		w.refused, w.why = n, why
	}
}

// errorPosition splits an error of the expression library into where it
// is ("character 12", or "" when it does not say) and what it is.
func errorPosition(expression string, err error) (at, msg string) {
	var fe *file.Error
	if errors.As(err, &fe) {
		msg = fe.Message
	} else {
		msg, _, _ = strings.Cut(err.Error(), "\n")
	}
	if t, ok := strings.CutPrefix(msg, "expected float64, but got "); ok {
		msg = "the result is " + t + ", not a number"
	}
	if fe == nil || fe.Snippet == "" {
		return "", msg // no position: the whole expression
	}
	return lineChar(expression, fe.Line, fe.Column+1), msg
}

// position says where the character at offset (in characters, from 0) of
// an expression is.
func position(expression string, offset int) string {
	line, char := 1, 1
	for i, r := range []rune(expression) {
		if i == offset {
			break
		}
		if r == '\n' {
			line, char = line+1, 1
		} else {
			char++
		}
	}
	return lineChar(expression, line, char)
}

// lineChar writes a position in an expression: "character 12", or "line
// 2, character 5" in an expression of more than one line.
func lineChar(expression string, line, char int) string {
	if strings.Contains(expression, "\n") {
		return fmt.Sprintf("line %d, character %d", line, char)
	}
	return "character " + strconv.Itoa(char)
}

// Name is the measure's normalised name, by which rules and --weight name
// it.
func (m *Measure) Name() string { return m.name }

// Column is the measure's name as given, as reports head its column.
func (m *Measure) Column() string { return m.column }

// Expr is the expression as given, trimmed.
func (m *Measure) Expr() string { return m.expr }

// String writes the measure as Parse reads it: NAME=EXPR.
func (m *Measure) String() string { return m.column + "=" + m.expr }

// Equal reports whether m and o are written the same.
func (m *Measure) Equal(o *Measure) bool {
	if m == nil || o == nil {
		return m == o
	}
	return m.String() == o.String()
}

// Refs lists the normalised names of the measures the expression reads,
// each once, in order of first appearance.
func (m *Measure) Refs() []string {
	out := make([]string, 0, len(m.refs))
	for _, r := range m.refs {
		if !contains(out, r.name) {
			out = append(out, r.name)
		}
	}
	return out
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// eval runs the expression in env (its names' values) and returns the
// value, or why there is none: a division by zero, NaN, an infinity or an
// error of the run.
func (m *Measure) eval(machine *vm.VM, env map[string]any) (float64, string) {
	out, err := machine.Run(m.program, env)
	v, isFloat := out.(float64)
	if err == nil && isFloat && !math.IsNaN(v) && !math.IsInf(v, 0) {
		return v, ""
	}
	for _, d := range m.divisors {
		if q, err := vm.Run(d.program, env); err == nil && isZero(q) {
			return 0, fmt.Sprintf("division by zero: %s is 0", d.text)
		}
	}
	switch {
	case err != nil:
		_, msg := errorPosition(m.expr, err)
		return 0, msg
	case !isFloat:
		return 0, fmt.Sprintf("the result is %T, not a number", out)
	case math.IsNaN(v):
		return 0, "the result is NaN (not a number)"
	}
	return 0, fmt.Sprintf("the result is %v (too large for a number)", v)
}

// isZero reports whether a value of an expression is the number 0.
func isZero(v any) bool {
	switch v := v.(type) {
	case float64:
		return v == 0
	case int:
		return v == 0
	}
	return false
}
