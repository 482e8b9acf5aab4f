package scenario

import (
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// header opens every file Write writes.
const header = `# territory scenario: the settings of one 'territory solve' run.
#
#   territory solve --config scenario.yaml [flags]
#
# Every key is optional, but the accounts must come from somewhere
# (accounts.file, demo, or --accounts on the command line). A flag given on
# the command line overrides its key; --balance replaces the whole list.
# Relative paths are resolved against the directory of this file. Keys
# after '# ' are left out and take their defaults: remove the '# ' to set
# one. Every key, its flag and its default: docs/scenario.md.
`

// sectionNotes are the line comments of the top-level mappings.
var sectionNotes = map[string]string{
	"accounts":    "where the accounts come from",
	"reps":        "where the reps come from",
	"units":       "the layer of units the territories are made of",
	"constraints": "limits on a plan beyond balance",
	"output":      "what is written, and where",
}

// noteColumn is the column line comments start at, unless the line is
// longer.
const noteColumn = 34

// Write writes s as a canonical scenario file: a header comment, then
// every key in the order of [Keys], each with a comment saying what it
// does and which flag overrides it. Keys that s leaves out are written
// commented out, with their default or an example value, so that the file
// shows every setting. Values are written as s holds them (relative paths
// stay relative); Parse reads the file back to the same scenario.
//
// Write refuses a scenario that [Scenario.Validate] refuses.
func Write(w io.Writer, s *Scenario) error {
	if err := s.Validate(); err != nil {
		return fmt.Errorf("write scenario: %w", err)
	}
	var ls []line
	for _, top := range sectionKeys("") {
		children := sectionKeys(top)
		if len(children) == 0 { // a key of the top level
			v, err := value(s, top)
			if err != nil {
				return err
			}
			ls = append(ls, keyLines(0, top, v)...)
			continue
		}
		var body []line
		live := false
		for _, c := range children {
			v, err := value(s, top+"."+c)
			if err != nil {
				return err
			}
			live = live || v.set
			body = append(body, keyLines(1, top+"."+c, v)...)
		}
		if !live {
			for i := range body {
				body[i].off, body[i].outer = true, true
			}
		}
		ls = append(ls, line{blank: true}, line{off: !live, outer: !live, text: top + ":", note: sectionNotes[top]})
		ls = append(ls, body...)
		ls = append(ls, line{blank: true})
	}
	var b strings.Builder
	b.WriteString(header)
	b.WriteString("\n")
	if !slices.ContainsFunc(ls, func(l line) bool { return !l.off && !l.blank }) {
		b.WriteString("{}  # nothing is set: every key takes its default\n")
	}
	col := noteColumn
	for i, l := range ls {
		if l.blank {
			if i > 0 && !ls[i-1].blank && i < len(ls)-1 {
				b.WriteString("\n")
			}
			continue
		}
		left := l.render()
		b.WriteString(left)
		if l.note != "" {
			pad := max(col-utf8.RuneCountInString(left), 2)
			b.WriteString(strings.Repeat(" ", pad) + "# " + l.note)
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// line is one line of a written scenario.
type line struct {
	blank  bool   // an empty line between sections
	off    bool   // commented out: a key left at its default
	outer  bool   // commented out at column 0 (the whole section is)
	indent int    // in steps of two spaces
	text   string // "key: value", "key:" or "- item"
	note   string // the line comment, without "# "
}

func (l line) render() string {
	ind := strings.Repeat("  ", l.indent)
	switch {
	case l.off && l.outer:
		return "# " + ind + l.text
	case l.off:
		return ind + "# " + l.text
	}
	return ind + l.text
}

// written is a key's value as lines: inline after the key, or block lines
// below it.
type written struct {
	set    bool
	inline string   // after "key: "; "" with block lines
	block  []string // below the key, one more level in
}

// keyLines writes one key: "key: value  # note", or "key:  # note" and
// its block lines. A key that is not set is commented out, with its
// default, or with an example and the default in words.
func keyLines(indent int, path string, v written) []line {
	spec := keyByPath(path)
	leaf := path[strings.LastIndexByte(path, '.')+1:]
	note := spec.doc.Doc + " (" + flagNames(spec.doc) + ")"
	if !v.set {
		if spec.dflt != "" {
			return []line{{off: true, indent: indent, text: leaf + ": " + spec.dflt, note: note}}
		}
		note = spec.doc.Doc + "; default " + spec.doc.Default + " (" + flagNames(spec.doc) + ")"
		return []line{{off: true, indent: indent, text: leaf + ": " + spec.doc.Example, note: note}}
	}
	if v.block == nil {
		return []line{{indent: indent, text: leaf + ": " + v.inline, note: note}}
	}
	ls := []line{{indent: indent, text: leaf + ":", note: note}}
	for _, b := range v.block {
		ls = append(ls, line{indent: indent + 1, text: b})
	}
	return ls
}

func keyByPath(path string) keySpec {
	for _, k := range keys {
		if k.doc.Key == path {
			return k
		}
	}
	panic("scenario: no key " + path)
}

// flagNames writes a key's flags as help shows them: "-k, --territories".
func flagNames(k Key) string {
	if k.Short != "" {
		return "-" + k.Short + ", --" + k.Flag
	}
	return "--" + k.Flag
}

// value writes the value of the key at path, and whether s sets it.
func value(s *Scenario, path string) (written, error) {
	str := func(v string) (written, error) {
		if v == "" {
			return written{}, nil
		}
		q, err := scalar(path, v)
		return written{set: true, inline: q}, err
	}
	switch path {
	case "accounts.file":
		return str(s.Accounts.File)
	case "accounts.sheet":
		return str(s.Accounts.Sheet)
	case "accounts.columns":
		return columns(path, s.Accounts.Columns, accountColumnKeys)
	case "reps.file":
		return str(s.Reps.File)
	case "reps.sheet":
		return str(s.Reps.Sheet)
	case "reps.columns":
		return columns(path, s.Reps.Columns, repColumnKeys)
	case "units.file":
		return str(s.Units.File)
	case "units.id":
		return str(s.Units.ID)
	case "demo":
		return written{set: s.Demo, inline: "true"}, nil
	case "plan":
		return str(s.Plan)
	case "fix":
		return str(s.Fix)
	case "territories":
		if s.Territories == TerritoriesAuto {
			return written{set: true, inline: "auto"}, nil
		}
		return written{set: s.Territories != 0, inline: strconv.Itoa(s.Territories)}, nil
	case "measures":
		return list(path, s.Measures)
	case "balance":
		return list(path, s.Balance)
	case "group":
		return str(s.Group)
	case "levels":
		return list(path, s.Levels)
	case "level_balance":
		return list(path, s.LevelRules)
	case "objective":
		return str(s.Objective)
	case "weight":
		return str(s.Weight)
	case "center":
		return str(s.Center)
	case "shape":
		return str(s.Shape)
	case "constraints.contiguous":
		return written{set: s.Constraints.Contiguous, inline: "true"}, nil
	case "constraints.max_moves":
		return str(s.Constraints.MaxMoves)
	case "constraints.stickiness":
		return written{set: s.Constraints.Stickiness != 0, inline: strconv.FormatFloat(s.Constraints.Stickiness, 'g', -1, 64)}, nil
	case "effort":
		return str(s.Effort)
	case "time_limit":
		return str(s.TimeLimit)
	case "seed":
		if s.Seed == nil {
			return written{}, nil
		}
		return written{set: true, inline: strconv.FormatUint(*s.Seed, 10)}, nil
	case "output.dir":
		return str(s.Output.Dir)
	case "output.formats":
		if s.Output.Formats == nil {
			return written{}, nil
		}
		if !slices.ContainsFunc(s.Output.Formats, func(f string) bool { return !word.MatchString(f) }) {
			return written{set: true, inline: "[" + strings.Join(s.Output.Formats, ", ") + "]"}, nil
		}
		v := written{set: true, block: []string{}}
		for _, f := range s.Output.Formats {
			q, err := scalar(path, f)
			if err != nil {
				return v, err
			}
			v.block = append(v.block, "- "+q)
		}
		return v, nil
	case "output.basemap":
		return str(s.Output.Basemap)
	case "output.quiet":
		return written{set: s.Output.Quiet, inline: "true"}, nil
	}
	panic("scenario: no value for key " + path)
}

var word = regexp.MustCompile(`^[A-Za-z]+$`)

// list writes a list of text as block lines, one item each; nil is not
// set, and an empty list is [].
func list(path string, items []string) (written, error) {
	if items == nil {
		return written{}, nil
	}
	if len(items) == 0 {
		return written{set: true, inline: "[]"}, nil
	}
	v := written{set: true, block: []string{}}
	for _, item := range items {
		q, err := scalar(path, item)
		if err != nil {
			return v, err
		}
		v.block = append(v.block, "- "+q)
	}
	return v, nil
}

// columns writes a column mapping as block lines, keys in their canonical
// order.
func columns(path string, cols map[string]string, order []string) (written, error) {
	if cols == nil {
		return written{}, nil
	}
	if len(cols) == 0 {
		return written{set: true, inline: "{}"}, nil
	}
	v := written{set: true, block: []string{}}
	for _, k := range order {
		name, ok := cols[k]
		if !ok {
			continue
		}
		q, err := scalar(path+"."+k, name)
		if err != nil {
			return v, err
		}
		v.block = append(v.block, k+": "+q)
	}
	return v, nil
}

// scalar writes text as a YAML scalar in block context: plain when YAML
// reads it back as the same text, else double-quoted.
func scalar(path, s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", fmt.Errorf("write scenario: %s: %q is not valid UTF-8", path, s)
	}
	if out, err := yaml.Marshal(s); err == nil && string(out) == s+"\n" {
		return s, nil
	}
	// Go's escapes of valid UTF-8 (\n, \t, \", \\, \xXX below 0x80,
	// \uXXXX, \UXXXXXXXX) are all YAML double-quoted escapes with the same
	// meaning.
	return strconv.Quote(s), nil
}
