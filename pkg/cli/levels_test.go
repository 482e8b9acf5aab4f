package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestSolveLevels runs solve --level on the demo: the outputs carry every
// territory's district, levels.csv lists the districts, summary.json has
// the level; a level whose rules cannot be met is exit 3 with the cause.
func TestSolveLevels(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	// The maps double the run's time under the race detector: -short
	// leaves them out.
	formats := "csv,json,xlsx,md,svg,html"
	if testing.Short() {
		formats = "csv,json,xlsx,md"
	}
	code, _, stderr := runMain(t, "solve", "--demo", "--level", "district=5", "--balance-level", "district:territories:0%",
		"--balance-level", "district:revenue:8%", "--formats", formats, "-o", out)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	rows := readRows(t, filepath.Join(out, "assignments.csv"))
	if got := rows[0][len(rows[0])-1]; got != "district_id" {
		t.Errorf("assignments.csv ends in %q, want district_id", got)
	}
	terr := readRows(t, filepath.Join(out, "territories.csv"))
	district := slices.Index(terr[0], "district_id")
	if district < 0 {
		t.Fatalf("territories.csv has no district_id: %v", terr[0])
	}
	per := map[string]int{}
	for _, r := range terr[1:] {
		per[r[district]]++
	}
	if len(per) != 5 {
		t.Errorf("%d districts in territories.csv, want 5: %v", len(per), per)
	}
	for d, n := range per {
		if n != 5 {
			t.Errorf("%s has %d territories, want 5 (territories:0%%)", d, n)
		}
	}
	levels := readRows(t, filepath.Join(out, "levels.csv"))
	if len(levels) != 6 || !slices.Equal(levels[0][:6], []string{"level", "id", "parent_id", "children", "territories", "accounts"}) {
		t.Errorf("levels.csv:\n%v", levels)
	}
	for _, r := range levels[1:] {
		if r[len(r)-1] != "true" || r[len(r)-2] != "1" {
			t.Errorf("district %s: pieces %s, within rules %s", r[1], r[len(r)-2], r[len(r)-1])
		}
	}
	data, err := os.ReadFile(filepath.Join(out, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var sum struct {
		Levels []struct {
			Name    string
			K       int
			Rules   []string
			Met     bool
			Parents []struct{ Children []string }
		}
	}
	if err := json.Unmarshal(data, &sum); err != nil {
		t.Fatal(err)
	}
	if len(sum.Levels) != 1 || sum.Levels[0].Name != "district" || !sum.Levels[0].Met ||
		!slices.Equal(sum.Levels[0].Rules, []string{"territories:0%", "revenue:8%"}) || len(sum.Levels[0].Parents) != 5 {
		t.Errorf("summary.json levels: %+v", sum.Levels)
	}

	// The maps draw the districts' borders over the territories, each
	// district outlined by its territories' merged outlines, and name
	// every territory's district.
	if !testing.Short() {
		svg, err := os.ReadFile(filepath.Join(out, "map.svg"))
		if err != nil {
			t.Fatal(err)
		}
		borders := regexp.MustCompile(`<path d="M[^"]+"><title>District (district-[0-9])</title></path>`).FindAllSubmatch(svg, -1)
		if len(borders) != 5 || !bytes.Contains(svg, []byte(`<g id="levels"`)) || !bytes.Contains(svg, []byte(">District border</text>")) {
			t.Errorf("map.svg draws %d district borders, want 5 in a levels group with a legend entry", len(borders))
		}
		if !bytes.Contains(svg, []byte("&#xA;District: district-")) {
			t.Errorf("map.svg's tooltips do not name the territories' districts")
		}
		page, err := os.ReadFile(filepath.Join(out, "map.html"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(page, []byte(`"levels":[{"name":"district","ids":["district-1",`)) || !bytes.Contains(page, []byte(`["District","district-`)) {
			t.Errorf("map.html lacks the districts")
		}
	}

	// Two regions of 5 districts cannot hold 10% of revenue each (3 and 2
	// districts: 120% and 80%).
	code, _, stderr = runMain(t, "solve", "--demo", "--level", "district=5", "--level", "region=2", "--formats", "csv", "-o", filepath.Join(dir, "r"))
	if code != 3 || !strings.Contains(stderr, "level region: revenue:10% broken by") {
		t.Errorf("region=2: exit %d, want 3 naming the level:\n%s", code, stderr)
	}

	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown level", []string{"--level", "district=5", "--balance-level", "area:revenue:5%"}, `no level "area"`},
		{"bad level", []string{"--level", "district"}, "expected NAME=K"},
		{"more parents above", []string{"--level", "district=3", "--level", "region=4"}, "more parents than the level below"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runMain(t, append([]string{"solve", "--demo", "-o", filepath.Join(dir, "x")}, tt.args...)...)
			if code != 2 || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, want 2 with %q:\n%s", code, tt.want, stderr)
			}
		})
	}
}
