package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/territory-optimizer/territory/pkg/cli"
)

// The README's sample output lies between these lines; scripts/readme_output.sh
// writes it.
const (
	readmeBegin = "<!-- begin generated: territory solve --demo -o out "
	readmeEnd   = "<!-- end generated: territory solve --demo -o out -->"
)

// TestREADMEOutput runs `territory solve --demo -o out` as main does (cli.Main,
// in a temporary directory, stderr not a terminal) and checks that the README
// shows what it prints: stdout, then stderr, with the balance table cut to
// its first two rows, "..." and its last row, as scripts/readme_output.sh
// cuts it. The output holds no timings, so nothing else is normalised. It
// also checks that the README's pictures (docs/img/demo-map*.png) show the
// plan the demo makes now. When the solver's plan changes, this fails until
// the scripts it names are run.
func TestREADMEOutput(t *testing.T) {
	if testing.Short() {
		t.Skip("solves the demo: the plain run checks the README, CI's -race -short run need not")
	}
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(repo, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := readmeBlock(string(readme))
	if err != nil {
		t.Fatalf("README.md: %v", err)
	}

	t.Chdir(t.TempDir())
	var stdout, stderr bytes.Buffer
	env := cli.Env{Out: &stdout, Err: &stderr, IsTerminal: func() bool { return false }}
	code := cli.Main(context.Background(), []string{"solve", "--demo", "-o", "out"}, env, cli.BuildInfo{})
	if code != 0 && code != 3 { // 3 (a rule not met) is a result the README would show
		t.Fatalf("territory solve --demo -o out exited %d:\n%s", code, stderr.String())
	}
	want := cutTable(stdout.String()) + stderr.String()

	if got != want {
		t.Errorf("README.md does not show what `territory solve --demo -o out` prints now: "+
			"run scripts/readme_output.sh and review the diff of README.md (-README +now):\n%s",
			cmp.Diff(strings.Split(got, "\n"), strings.Split(want, "\n")))
	}

	// The README's pictures show the plan whose assignments.csv has the
	// sha256 that scripts/demo_images.sh wrote beside them.
	plan, err := os.ReadFile(filepath.Join("out", "assignments.csv"))
	if err != nil {
		t.Fatal(err)
	}
	const shown = "docs/img/demo-map.plan.sha256"
	line, err := os.ReadFile(filepath.Join(repo, filepath.FromSlash(shown)))
	if err != nil {
		t.Fatal(err)
	}
	if now := fmt.Sprintf("%x", sha256.Sum256(plan)); !strings.HasPrefix(string(line), now+" ") {
		t.Errorf("docs/img/demo-map.png and demo-map-svg.png show another plan than the demo's now "+
			"(%s holds %q, the plan's sha256 is %s): run scripts/demo_images.sh (needs chromium)",
			shown, strings.TrimSpace(string(line)), now)
	}
}

// readmeBlock returns the text of the fenced block between the README's
// begin and end lines.
func readmeBlock(readme string) (string, error) {
	b := strings.Index(readme, "\n"+readmeBegin)
	if b < 0 {
		return "", fmt.Errorf("no line starting %q", readmeBegin)
	}
	rest := readme[b+1:]
	rest = rest[strings.Index(rest, "\n")+1:]
	e := strings.Index(rest, "\n"+readmeEnd+"\n")
	if e < 0 {
		return "", fmt.Errorf("no line %q after %q", readmeEnd, readmeBegin)
	}
	body := rest[:e+1]
	if !strings.HasPrefix(body, "```\n") || !strings.HasSuffix(body, "\n```\n") {
		return "", fmt.Errorf("the lines between %q and %q are not one fenced block", readmeBegin, readmeEnd)
	}
	return strings.TrimSuffix(strings.TrimPrefix(body, "```\n"), "```\n"), nil
}

// cutTable keeps of the balance table (the first line and the rows up to
// the first empty line) the header, the first two rows, "..." and the
// last row, when it has more than four rows; the rest of out as it is.
func cutTable(out string) string {
	lines := strings.SplitAfter(out, "\n")
	end := 1
	for end < len(lines) && lines[end] != "\n" && lines[end] != "" {
		end++
	}
	rows := lines[1:end]
	if len(rows) > 4 {
		rows = []string{rows[0], rows[1], "...\n", rows[len(rows)-1]}
	}
	return lines[0] + strings.Join(rows, "") + strings.Join(lines[end:], "")
}
