package scenario

import (
	"fmt"
	"strings"
)

// hint says, for an unknown key name in the mapping at path, which key was
// probably meant: the same name spelt with dashes or in another case, a
// key of that mapping a letter or two away, a key of another mapping or a
// flag's name; else it lists the keys there are.
func hint(path, name string, known []string) string {
	norm := normKey(name)
	for _, k := range known {
		if normKey(k) == norm {
			return fmt.Sprintf("(did you mean %q?)", k)
		}
	}
	if best := closest(norm, known); best != "" {
		return fmt.Sprintf("(did you mean %q?)", best)
	}
	if full, ok := elsewhere()[norm]; ok {
		parent, leaf := "", full
		if i := strings.LastIndexByte(full, '.'); i >= 0 {
			parent, leaf = full[:i], full[i+1:]
		}
		switch {
		case parent == path:
			return fmt.Sprintf("(did you mean %q?)", leaf)
		case parent == "":
			return fmt.Sprintf("(%q is a top-level key)", leaf)
		}
		return fmt.Sprintf("(did you mean %q?)", full)
	}
	return "(expected " + orList(known) + ")"
}

// normKey folds case and writes dashes and spaces as underscores.
func normKey(s string) string {
	return strings.NewReplacer("-", "_", " ", "_").Replace(strings.ToLower(strings.TrimSpace(s)))
}

// closest returns the key within a small edit distance of name (1 for
// names of up to 4 letters, else 2), the first of the closest, or "".
func closest(name string, known []string) string {
	if len(name) > 64 {
		return ""
	}
	limit := 2
	if len([]rune(name)) <= 4 {
		limit = 1
	}
	best, bestDist := "", limit+1
	for _, k := range known {
		if d := editDistance(name, k); d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in runes, with
// a transposition of two neighbours counting as one edit.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// elsewhere maps names people write for a key in the wrong place to the
// key's dotted path: the last part of every path that is unambiguous
// ("max_moves", "formats"), every flag name ("out", "k", "time-limit") and
// the column keys that belong to one input only ("owner", "capacity").
func elsewhere() map[string]string {
	m := make(map[string]string)
	ambiguous := make(map[string]bool)
	add := func(alias, path string) {
		alias = normKey(alias)
		if old, ok := m[alias]; ok && old != path {
			ambiguous[alias] = true
		}
		m[alias] = path
	}
	for _, k := range keys {
		add(k.doc.Key[strings.LastIndexByte(k.doc.Key, '.')+1:], k.doc.Key)
	}
	for _, c := range accountColumnKeys {
		add(c, "accounts.columns."+c)
	}
	for _, c := range repColumnKeys {
		add(c, "reps.columns."+c)
	}
	for a := range ambiguous {
		delete(m, a)
	}
	// Flags name their key unambiguously; they go in last so that the
	// flag "accounts" means accounts.file.
	for _, k := range keys {
		m[normKey(k.doc.Flag)] = k.doc.Key
		if k.doc.Short != "" {
			m[k.doc.Short] = k.doc.Key
		}
	}
	return m
}
