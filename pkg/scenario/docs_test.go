package scenario

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// docsFile documents the scenario file; its table of keys is written from
// Keys() by this test with -update.
var docsFile = filepath.Join("..", "..", "docs", "scenario.md")

const (
	tableBegin = "<!-- keys: generated from scenario.Keys() by go test ./pkg/scenario -run TestDocsKeyTable -update -->\n"
	tableEnd   = "<!-- end of keys -->\n"
)

// keyTable writes Keys() as a Markdown table.
func keyTable() string {
	var b strings.Builder
	b.WriteString("| key | type | default | flag | example | what it does |\n")
	b.WriteString("| --- | --- | --- | --- | --- | --- |\n")
	cell := func(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
	for _, k := range Keys() {
		b.WriteString("| `" + k.Key + "` | " + cell(k.Type) + " | " + cell(k.Default) + " | `" + flagNames(k) + "` | `" +
			cell(k.Example) + "` | " + cell(k.Doc) + " |\n")
	}
	return b.String()
}

func TestDocsKeyTable(t *testing.T) {
	doc, err := os.ReadFile(docsFile)
	if err != nil {
		t.Fatal(err)
	}
	text := string(doc)
	i, j := strings.Index(text, tableBegin), strings.Index(text, tableEnd)
	if i < 0 || j < i {
		t.Fatalf("%s has no generated key table between %q and %q", docsFile, tableBegin, tableEnd)
	}
	want := text[:i+len(tableBegin)] + keyTable() + text[j:]
	if *update {
		if err := os.WriteFile(docsFile, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if text != want {
		t.Errorf("the key table of %s is not Keys(): run go test ./pkg/scenario -run TestDocsKeyTable -update", docsFile)
	}
}
