package scenario

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/territory-optimizer/territory/pkg/derive"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// MaxSize is the largest scenario file Load and Parse accept: 1 MiB. A
// scenario is a few dozen lines; anything near this size is not one.
const MaxSize = 1 << 20

// maxProblems is how many problems an Error prints before it only counts
// the rest.
const maxProblems = 50

// Error lists every problem found in a scenario file. Its message is one
// line per problem:
//
//	scenario "s.yaml": line 7, column 1: unknown key "balence" (did you mean "balance"?)
type Error struct {
	File     string // the name given to Load or Parse; "" for Validate
	Problems []Problem
}

// Problem is one problem in a scenario file, where the file has it.
type Problem struct {
	Line   int // 1-based; 0 when the problem is not on one line
	Column int // 1-based, in characters; 0 when not known
	Msg    string
}

// String writes the problem as "line 3, column 14: msg".
func (p Problem) String() string {
	switch {
	case p.Line > 0 && p.Column > 0:
		return fmt.Sprintf("line %d, column %d: %s", p.Line, p.Column, p.Msg)
	case p.Line > 0:
		return fmt.Sprintf("line %d: %s", p.Line, p.Msg)
	}
	return p.Msg
}

func (e *Error) Error() string {
	prefix := "scenario"
	if e.File != "" {
		prefix += " " + strconv.Quote(e.File)
	}
	var b strings.Builder
	for i, p := range e.Problems {
		if i == maxProblems {
			fmt.Fprintf(&b, "\n%s: and %d more problems", prefix, len(e.Problems)-maxProblems)
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(prefix + ": " + p.String())
	}
	return b.String()
}

// Load reads the scenario file at path: see Parse. Relative paths in it
// are resolved against the file's directory.
func Load(path string) (*Scenario, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, readError(path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, readError(path, err)
	}
	return Parse(data, path)
}

// readError words an I/O error without repeating the path.
func readError(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("read scenario %q: %w", path, err)
}

// Parse reads a scenario file's contents; name is its path, for messages
// and as the directory its relative paths are resolved against (a name
// without a directory leaves them relative to the working directory).
//
// Decoding is strict: an unknown key, a key given twice, a value of the
// wrong type and a value that does not parse are all errors. Parse checks
// the whole file and returns an [*Error] listing every problem with its
// line and column, in the order of the file. An empty file, a file of
// comments only, a file whose top level is not a mapping, a file of more
// than one YAML document and a file larger than [MaxSize] are refused.
//
// A key whose value is empty or null (`seed:`, `seed: ~`) is the same as
// a key left out. When Parse returns no error, [Scenario.Settings] works.
func Parse(data []byte, name string) (*Scenario, error) {
	fail := func(line, col int, format string, args ...any) (*Scenario, error) {
		return nil, &Error{File: name, Problems: []Problem{{Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}}}
	}
	if len(data) > MaxSize {
		return fail(0, 0, "the file is larger than 1 MiB, which no scenario is")
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return fail(0, 0, "the file is empty (expected settings such as \"accounts: {file: accounts.csv}\")")
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			return fail(0, 0, "the file has no settings, only comments (expected settings such as \"accounts: {file: accounts.csv}\")")
		}
		line, msg := syntaxError(err, data)
		return fail(line, 0, "not valid YAML: %s", msg)
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == nil:
		return fail(next.Line, next.Column, "a second YAML document (after ---): a scenario file holds one")
	case err != io.EOF:
		line, msg := syntaxError(err, data)
		return fail(line, 0, "not valid YAML: %s", msg)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return fail(0, 0, "the file has no settings (expected settings such as \"accounts: {file: accounts.csv}\")")
	}
	root := deref(doc.Content[0])
	if isNull(root) {
		return fail(root.Line, root.Column, "the file has no settings (expected settings such as \"accounts: {file: accounts.csv}\")")
	}
	if root.Kind != yaml.MappingNode {
		return fail(root.Line, root.Column, "expected settings as key: value lines, got %s", describe(root))
	}

	s := &Scenario{Dir: filepath.Dir(name)}
	d := &decoder{pos: make(map[string]position)}
	d.scenario(root, s)
	ps := append(d.problems, s.check(d.at)...)
	slices.SortStableFunc(ps, func(a, b Problem) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Column - b.Column
	})
	if len(ps) > 0 {
		return nil, &Error{File: name, Problems: ps}
	}
	return s, nil
}

var (
	yamlLine      = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
	unknownAnchor = regexp.MustCompile(`^(?:yaml: )?unknown anchor '(.*)' referenced$`)
)

// parserProblems are the messages of the YAML parser proper (libyaml's
// parserc), as opposed to its scanner and reader. yaml.v3 reports the
// 0-based line of a parser error's context (the start of the construct
// being parsed) as its line, so these are one line too early.
var parserProblems = []string{
	"did not find expected ',' or ']'",
	"did not find expected ',' or '}'",
	"did not find expected '-' indicator",
	"did not find expected <document start>",
	"did not find expected <stream-start>",
	"did not find expected key",
	"did not find expected node content",
	"found duplicate %TAG directive",
	"found duplicate %YAML directive",
	"found incompatible YAML document",
	"found undefined tag handle",
}

// readerProblems are the messages of the YAML reader, which come without a
// line: the input is not text the way YAML needs it.
var readerProblems = []string{
	"control characters are not allowed",
	"invalid leading UTF-8 octet",
	"incomplete UTF-8 octet sequence",
	"invalid trailing UTF-8 octet",
	"invalid length of a UTF-8 sequence",
	"invalid Unicode character",
}

// syntaxError splits a YAML parser error into the line it is on (0 when
// not known) and its message, correcting yaml.v3's line numbers: parser
// errors are reported one line early, scanner errors on the first line
// without a line, reader errors and unknown aliases without one.
func syntaxError(err error, data []byte) (int, string) {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		if slices.Contains(parserProblems, m[2]) {
			line++
		}
		return line, m[2]
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	switch {
	case slices.Contains(readerProblems, msg):
		return badCharLine(data), msg
	case unknownAnchor.MatchString(msg):
		name := unknownAnchor.FindStringSubmatch(msg)[1]
		if i := bytes.Index(data, []byte("*"+name)); i >= 0 {
			return 1 + bytes.Count(data[:i], []byte("\n")), msg
		}
		return 0, msg
	case strings.HasPrefix(msg, "did not find") || strings.HasPrefix(msg, "found ") ||
		strings.HasPrefix(msg, "could not find") || strings.HasPrefix(msg, "mapping values") ||
		strings.HasPrefix(msg, "block sequence entries"):
		// A parser or scanner error whose marks are all on the first
		// line (line 0 to libyaml), which yaml.v3 reports as no line.
		return 1, msg
	}
	return 0, msg
}

// badCharLine is the line of the first character YAML does not allow in
// UTF-8 input (invalid UTF-8, or a control character other than tab, line
// feed and carriage return), or 0 when there is none or the input is
// UTF-16.
func badCharLine(data []byte) int {
	if bytes.HasPrefix(data, []byte{0xFE, 0xFF}) || bytes.HasPrefix(data, []byte{0xFF, 0xFE}) {
		return 0
	}
	line := 1
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 || !yamlPrintable(r) {
			return line
		}
		if r == '\n' {
			line++
		}
		i += n
	}
	return 0
}

// yamlPrintable reports whether YAML allows r in a stream (YAML 1.2,
// production c-printable, plus line breaks).
func yamlPrintable(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0x7E || r == 0x85 ||
		r >= 0xA0 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// position is where a value is in the file.
type position struct{ line, col int }

// decoder walks the YAML nodes of a scenario into a Scenario, recording
// every problem and where every value is.
type decoder struct {
	problems []Problem
	pos      map[string]position // dotted path ("balance.2") -> its value
}

func (d *decoder) at(path string) position { return d.pos[path] }

func (d *decoder) addf(n *yaml.Node, format string, args ...any) {
	d.problems = append(d.problems, Problem{Line: n.Line, Column: n.Column, Msg: fmt.Sprintf(format, args...)})
}

// typeError reports a value of the wrong type.
func (d *decoder) typeError(n *yaml.Node, path, want string) {
	msg := fmt.Sprintf("%s: expected %s, got %s", path, want, describe(n))
	if n.Kind == yaml.ScalarNode && n.Tag == "!!str" && n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		if _, err := strconv.ParseFloat(n.Value, 64); err == nil || n.Value == "true" || n.Value == "false" {
			msg += " (in quotes, so it is text)"
		}
	}
	d.problems = append(d.problems, Problem{Line: n.Line, Column: n.Column, Msg: msg})
}

func (d *decoder) scenario(root *yaml.Node, s *Scenario) {
	d.mapping(root, "", sectionKeys(""), func(key string, v *yaml.Node) {
		switch key {
		case "accounts":
			d.input(v, key, &s.Accounts, accountColumnKeys)
		case "reps":
			d.input(v, key, &s.Reps, repColumnKeys)
		case "units":
			if v.Kind == yaml.ScalarNode {
				d.text(v, key, "a file name", &s.Units.File)
				return
			}
			d.section(v, key, "{file: counties.geojson, id: geoid}", func(k string, v *yaml.Node) {
				switch k {
				case "file":
					d.text(v, key+"."+k, "a file name", &s.Units.File)
				case "id":
					d.text(v, key+"."+k, "a property name such as geoid", &s.Units.ID)
				}
			})
		case "demo":
			d.bool(v, key, &s.Demo)
		case "plan":
			d.text(v, key, "a file name", &s.Plan)
		case "fix":
			d.text(v, key, "a file name", &s.Fix)
		case "territories":
			var n int64
			if v.Kind == yaml.ScalarNode && strings.EqualFold(strings.TrimSpace(v.Value), "auto") {
				s.Territories = TerritoriesAuto
			} else if d.int(v, key, &n) {
				if n < 1 {
					d.addf(v, "territories: must be at least 1, got %d (leave the key out for one territory per rep)", n)
				} else if n > math.MaxInt32 {
					d.addf(v, "territories: %d is too large", n)
				} else {
					s.Territories = int(n)
				}
			}
		case "group":
			d.text(v, key, "a column name such as region", &s.Group)
		case "measures":
			s.Measures = d.list(v, key, `a list of derived measures such as ["workload=visits*(call_minutes+25)/60"]`,
				`a derived measure such as "workload=visits*(call_minutes+25)/60"`, false)
		case "balance":
			s.Balance = d.list(v, key, `a list of rules such as ["revenue:5%", "workload:max=1800"]`, `a rule such as "revenue:5%"`, false)
		case "levels":
			s.Levels = d.list(v, key, `a list of levels such as ["district=12", "region=3"]`, `a level such as "district=12"`, false)
		case "level_balance":
			s.LevelRules = d.list(v, key, `a list of rules such as ["district:revenue:5%"]`, `a rule such as "district:revenue:5%"`, false)
		case "objective":
			d.text(v, key, "sse or distance", &s.Objective)
		case "weight":
			d.text(v, key, "a measure name such as population", &s.Weight)
		case "center":
			d.text(v, key, "mean, unit or home", &s.Center)
		case "shape":
			d.text(v, key, "regions or free", &s.Shape)
		case "effort":
			d.text(v, key, "quick, normal or thorough", &s.Effort)
		case "time_limit":
			d.text(v, key, "a duration such as 2m", &s.TimeLimit)
		case "seed":
			d.seed(v, key, &s.Seed)
		case "constraints":
			d.section(v, key, "{contiguous: true, max_moves: 10%}", func(k string, v *yaml.Node) {
				path := key + "." + k
				switch k {
				case "contiguous":
					d.bool(v, path, &s.Constraints.Contiguous)
				case "max_moves":
					d.text(v, path, "N or P% such as 200 or 10%", &s.Constraints.MaxMoves)
				case "stickiness":
					d.float(v, path, &s.Constraints.Stickiness)
				}
			})
		case "output":
			d.section(v, key, "{dir: out, formats: [csv, json]}", func(k string, v *yaml.Node) {
				path := key + "." + k
				switch k {
				case "dir":
					d.text(v, path, "a directory name", &s.Output.Dir)
				case "formats":
					s.Output.Formats = d.list(v, path, "a list of formats such as [csv, json]", "a format such as csv", true)
				case "basemap":
					d.text(v, path, "outlines, osm or none", &s.Output.Basemap)
				case "quiet":
					d.bool(v, path, &s.Output.Quiet)
				}
			})
		}
	})
}

// input decodes accounts or reps: a mapping of file, sheet and columns, or
// a file name alone.
func (d *decoder) input(v *yaml.Node, path string, in *Input, columnKeys []string) {
	if v.Kind == yaml.ScalarNode {
		d.text(v, path, "a file name", &in.File)
		return
	}
	d.section(v, path, "{file: "+path+".csv, sheet: "+strings.ToUpper(path[:1])+path[1:]+"}", func(k string, v *yaml.Node) {
		p := path + "." + k
		switch k {
		case "file":
			d.text(v, p, "a file name", &in.File)
		case "sheet":
			d.text(v, p, "a sheet name", &in.Sheet)
		case "columns":
			if v.Kind != yaml.MappingNode {
				d.typeError(v, p, "a mapping of KEY: column name such as {id: Account ID}")
				return
			}
			cols := make(map[string]string)
			d.mapping(v, p, columnKeys, func(k string, v *yaml.Node) {
				var name string
				if d.text(v, p+"."+k, "a column name", &name) {
					cols[k] = name
				}
			})
			in.Columns = cols
		}
	})
}

// section decodes a mapping of the keys below path.
func (d *decoder) section(v *yaml.Node, path, example string, set func(key string, v *yaml.Node)) {
	if v.Kind != yaml.MappingNode {
		d.typeError(v, path, "a mapping such as "+example)
		return
	}
	d.mapping(v, path, sectionKeys(path), set)
}

// mapping walks the pairs of a mapping node whose keys must be among known:
// it reports keys that are not text, unknown or given twice, skips null
// values (a key with an empty value is not set), records where each value
// is and calls set with the key and the value, aliases resolved.
func (d *decoder) mapping(m *yaml.Node, path string, known []string, set func(key string, v *yaml.Node)) {
	where := ""
	if path != "" {
		where = path + ": "
	}
	first := make(map[string]int)
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := deref(m.Content[i]), deref(m.Content[i+1])
		if k.Kind != yaml.ScalarNode || isNull(k) {
			d.addf(k, "%sa key must be a name, got %s", where, describe(k))
			continue
		}
		name := k.Value
		if line, dup := first[name]; dup {
			d.addf(k, "%sduplicate key %q (first at line %d)", where, name, line)
			continue
		}
		first[name] = k.Line
		if !slices.Contains(known, name) {
			d.addf(k, "%sunknown key %q %s", where, shorten(name), hint(path, name, known))
			continue
		}
		if isNull(v) {
			continue
		}
		d.pos[join(path, name)] = position{v.Line, v.Column}
		set(name, v)
	}
}

// text decodes a scalar as text: any scalar but null, as written.
func (d *decoder) text(v *yaml.Node, path, want string, dst *string) bool {
	if v.Kind != yaml.ScalarNode || isNull(v) {
		d.typeError(v, path, want)
		return false
	}
	*dst = v.Value
	return true
}

func (d *decoder) bool(v *yaml.Node, path string, dst *bool) {
	var b bool
	if v.Kind != yaml.ScalarNode || v.Decode(&b) != nil {
		d.typeError(v, path, "true or false")
		return
	}
	*dst = b
}

// int decodes a whole number that fits in an int64.
func (d *decoder) int(v *yaml.Node, path string, dst *int64) bool {
	if v.Kind != yaml.ScalarNode || v.Tag != "!!int" || v.Decode(dst) != nil {
		d.intError(v, path, "")
		return false
	}
	return true
}

// intError reports a value that is not a whole number, or one too large to
// decode (YAML reads a very long run of digits as a float).
func (d *decoder) intError(v *yaml.Node, path, limit string) {
	if v.Kind == yaml.ScalarNode && (v.Tag == "!!int" || v.Tag == "!!float") {
		if _, ok := new(big.Int).SetString(strings.ReplaceAll(v.Value, "_", ""), 0); ok {
			d.addf(v, "%s: %s is too large%s", path, shorten(v.Value), limit)
			return
		}
	}
	d.typeError(v, path, "a whole number")
}

func (d *decoder) seed(v *yaml.Node, path string, dst **uint64) {
	limit := fmt.Sprintf(" (at most %d)", uint64(math.MaxUint64))
	if v.Kind != yaml.ScalarNode || v.Tag != "!!int" {
		d.intError(v, path, limit)
		return
	}
	var n int64
	if err := v.Decode(&n); err == nil && n < 0 {
		d.addf(v, "%s: must be 0 or more, got %d", path, n)
		return
	}
	var u uint64
	if err := v.Decode(&u); err != nil {
		d.intError(v, path, limit)
		return
	}
	*dst = &u
}

// float decodes a finite number.
func (d *decoder) float(v *yaml.Node, path string, dst *float64) {
	var f float64
	if v.Kind != yaml.ScalarNode || (v.Tag != "!!int" && v.Tag != "!!float") || v.Decode(&f) != nil {
		d.typeError(v, path, "a number")
		return
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		d.typeError(v, path, "a finite number")
		return
	}
	*dst = f
}

// list decodes a list of text items. A scalar is a list of one item or,
// with splitCommas, of its comma-separated parts. An empty list gives an
// empty, non-nil slice. Bad items are reported and left out, so that the
// good ones are still checked.
func (d *decoder) list(v *yaml.Node, path, want, wantItem string, splitCommas bool) []string {
	switch v.Kind {
	case yaml.ScalarNode:
		if !splitCommas {
			d.pos[path+".0"] = position{v.Line, v.Column}
			return []string{v.Value}
		}
		var out []string
		for part := range strings.SplitSeq(v.Value, ",") {
			d.pos[fmt.Sprintf("%s.%d", path, len(out))] = position{v.Line, v.Column}
			out = append(out, strings.TrimSpace(part))
		}
		return out
	case yaml.SequenceNode:
		out := make([]string, 0, len(v.Content))
		for _, raw := range v.Content {
			item := deref(raw)
			var s string
			if d.text(item, path, wantItem, &s) {
				d.pos[fmt.Sprintf("%s.%d", path, len(out))] = position{item.Line, item.Column}
				out = append(out, s)
			}
		}
		if len(out) == 0 && len(v.Content) > 0 {
			return nil // every item was bad, and is reported
		}
		return out
	}
	d.typeError(v, path, want)
	return nil
}

// deref resolves an alias to the node it names, at the alias's position.
func deref(n *yaml.Node) *yaml.Node {
	if n.Kind != yaml.AliasNode {
		return n
	}
	t := n
	for i := 0; t.Kind == yaml.AliasNode && t.Alias != nil && i < 8; i++ {
		t = t.Alias
	}
	if t.Kind == yaml.AliasNode {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Line: n.Line, Column: n.Column}
	}
	c := *t
	c.Line, c.Column = n.Line, n.Column
	return &c
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// describe says what a node is, for "expected X, got Y".
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch {
		case n.Tag == "!!null":
			return "nothing"
		case n.Tag == "!!str" || n.Tag == "" || strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!"):
			return strconv.Quote(shorten(n.Value))
		}
		return shorten(n.Value)
	}
	return "nothing"
}

// shorten cuts a value quoted in a message to 60 characters.
func shorten(s string) string {
	if utf8.RuneCountInString(s) <= 60 {
		return s
	}
	r := []rune(s)
	return string(r[:57]) + "..."
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// sectionKeys lists the keys directly below path ("" is the top level),
// in the order of the key table.
func sectionKeys(path string) []string {
	var out []string
	for _, k := range keys {
		rest, ok := k.doc.Key, path == ""
		if path != "" {
			rest, ok = strings.CutPrefix(k.doc.Key, path+".")
		}
		if !ok {
			continue
		}
		name, _, _ := strings.Cut(rest, ".")
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out
}

// check validates the values of a scenario, wherever they came from; at
// says where the value of a dotted path is in the file.
func (s *Scenario) check(at func(path string) position) []Problem {
	var ps []Problem
	add := func(path, format string, args ...any) {
		p := at(path)
		ps = append(ps, Problem{Line: p.line, Column: p.col, Msg: fmt.Sprintf(format, args...)})
	}
	checkColumns := func(path string, cols map[string]string, known []string) {
		for _, k := range slices.Sorted(maps.Keys(cols)) {
			p := path + ".columns." + k
			switch {
			case !slices.Contains(known, k):
				add(p, "%s.columns: unknown key %q (expected %s)", path, k, orList(known))
			case strings.TrimSpace(cols[k]) == "" && !slices.Contains(optionalColumnKeys, k):
				add(p, "%s: empty column name (only an optional key, %s, can be turned off)", p, orList(optionalOf(known)))
			}
		}
	}
	checkColumns("accounts", s.Accounts.Columns, accountColumnKeys)
	checkColumns("reps", s.Reps.Columns, repColumnKeys)
	if s.Demo && (s.Accounts.File != "" || s.Reps.File != "") {
		add("demo", "demo: the demo has its own accounts and reps: leave out accounts.file and reps.file, or demo")
	}
	if s.Territories < 0 && s.Territories != TerritoriesAuto {
		add("territories", "territories: must be at least 1, got %d (leave the key out for one territory per rep)", s.Territories)
	}
	var measures []*derive.Measure
	for i, m := range s.Measures {
		dm, err := derive.Parse(m)
		if err != nil {
			add(fmt.Sprintf("measures.%d", i), "measures: %v", err)
			continue
		}
		measures = append(measures, dm)
	}
	if err := derive.Check(measures); err != nil && len(measures) == len(s.Measures) {
		for _, e := range splitErrors(err) {
			add("measures", "measures: %v", e)
		}
	}
	first := make(map[string]string)
	for i, r := range s.Balance {
		path := fmt.Sprintf("balance.%d", i)
		rule, err := territory.ParseBalanceRule(r)
		if err != nil {
			add(path, "%v", err)
			continue
		}
		if f, dup := first[rule.Measure]; dup {
			add(path, "balance rule %q: a second rule for measure %q (the first is %q): combine them into one", r, rule.Measure, f)
			continue
		}
		first[rule.Measure] = r
	}
	var levels []territory.Level
	for i, l := range s.Levels {
		lv, err := territory.ParseLevel(l)
		if err != nil {
			add(fmt.Sprintf("levels.%d", i), "%v", err)
			continue
		}
		levels = append(levels, lv)
	}
	var levelRules []territory.LevelRule
	for i, r := range s.LevelRules {
		lr, err := territory.ParseLevelRule(r)
		if err != nil {
			add(fmt.Sprintf("level_balance.%d", i), "%v", err)
			continue
		}
		levelRules = append(levelRules, lr)
	}
	if len(levels) == len(s.Levels) && len(levelRules) == len(s.LevelRules) {
		if _, err := territory.ResolveLevels(levels, levelRules, nil); err != nil {
			add("levels", "%v", err)
		}
	}
	if s.Objective != "" {
		if _, err := territory.ParseObjective(s.Objective); err != nil {
			add("objective", "objective: unknown value %q (expected sse or distance)", shorten(s.Objective))
		}
	}
	if s.Weight != "" {
		if _, err := ParseWeight(s.Weight); err != nil {
			add("weight", "weight: %q is not a measure name (expected a column of the accounts, such as population)", shorten(s.Weight))
		}
	}
	if s.Center != "" {
		if _, err := territory.ParseCenter(s.Center); err != nil {
			add("center", "center: unknown value %q (expected mean, unit or home)", shorten(s.Center))
		}
	}
	if s.Shape != "" {
		if _, err := ParseShape(s.Shape); err != nil {
			add("shape", "shape: unknown value %q (expected regions or free)", shorten(s.Shape))
		}
	}
	if _, err := ParseMoveLimit(s.Constraints.MaxMoves); err != nil {
		add("constraints.max_moves", "constraints.max_moves: %v", err)
	}
	if st := s.Constraints.Stickiness; math.IsNaN(st) || math.IsInf(st, 0) || st < 0 {
		add("constraints.stickiness", "constraints.stickiness: must be 0 or more, got %v", st)
	}
	if s.Effort != "" {
		if _, err := ParseEffort(s.Effort); err != nil {
			add("effort", "effort: unknown value %q (expected quick, normal or thorough)", shorten(s.Effort))
		}
	}
	if s.TimeLimit != "" {
		if _, err := parseTimeLimit(s.TimeLimit); err != nil {
			add("time_limit", "time_limit: %v", err)
		}
	}
	if s.Output.Formats != nil {
		if len(s.Output.Formats) == 0 {
			add("output.formats", "output.formats: no formats (expected one or more of %s)", strings.Join(formats, ", "))
		}
		for i, f := range s.Output.Formats {
			if _, err := ParseFormats([]string{f}); err != nil {
				add(fmt.Sprintf("output.formats.%d", i), "output.formats: %v", err)
			}
		}
	}
	if s.Output.Basemap != "" {
		if _, err := ParseBasemap(s.Output.Basemap); err != nil {
			add("output.basemap", "output.basemap: unknown value %q (expected outlines, osm or none)", shorten(s.Output.Basemap))
		}
	}
	return ps
}
