package render

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"

	"github.com/territory-optimizer/territory/pkg/territory"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func svgOf(t testing.TB, m *Map, opt SVGOptions) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteSVG(&b, m, opt); err != nil {
		t.Fatalf("WriteSVG: %v", err)
	}
	return b.Bytes()
}

func htmlOf(t testing.TB, m *Map) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteHTML(&b, m, HTMLOptions{}); err != nil {
		t.Fatalf("WriteHTML: %v", err)
	}
	return b.Bytes()
}

func TestSVGGolden(t *testing.T) {
	tests := []struct {
		name string
		m    *Map
		opt  SVGOptions
	}{
		{name: "small", m: smallMap()},
		{name: "grid_planar", m: gridMap(4, 3, 2)},
		{name: "random_hulls", m: randomMap(1, 60, 4, territory.Planar), opt: SVGOptions{Width: 800, Height: 500, MaxDots: 30}},
		{name: "levels", m: levelsMap(), opt: SVGOptions{Width: 800, Height: 500}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := svgOf(t, tt.m, tt.opt)
			path := filepath.Join("testdata", tt.name+".svg")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./pkg/render -run TestSVGGolden -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("SVG differs from %s (-want +got):\n%s", path, diff)
			}
		})
	}
}

// parseXML decodes every token of doc and returns the character data of
// every element, by element name.
func parseXML(t *testing.T, doc []byte) map[string][]string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = true
	texts := map[string][]string{}
	var stack []string
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("invalid XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			stack = append(stack, tok.Name.Local)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 && strings.TrimSpace(string(tok)) != "" {
				name := stack[len(stack)-1]
				texts[name] = append(texts[name], string(tok))
			}
		}
	}
	if len(stack) != 0 {
		t.Fatalf("unclosed elements %v", stack)
	}
	return texts
}

func TestValidOutputs(t *testing.T) {
	bad := smallMap()
	bad.Title = "control \x01\x1b chars, invalid UTF-8 \xff\xfe, and ]]> <![CDATA["
	bad.Territories[0].Name = "\x00nul"
	bad.Territories[0].Stats = append(bad.Territories[0].Stats, Stat{"<b>", "&amp; \"\n\t"})
	tests := []struct {
		name string
		m    *Map
	}{
		{"small", smallMap()},
		{"hostile text", bad},
		{"empty", &Map{}},
		{"territories without accounts", &Map{Territories: []Territory{{ID: "T1"}, {ID: "T2", Center: territory.Point{X: 1, Y: 1}}}}},
		{"one point", &Map{Territories: []Territory{{ID: "T1", Center: territory.Point{X: 10, Y: 50}}},
			Accounts: []Account{{ID: "a", Loc: territory.Point{X: 10, Y: 50}}, {ID: "b", Loc: territory.Point{X: 10, Y: 50}}}}},
		{"many at one point, many territories", func() *Map {
			m := randomMap(3, 300, 30, territory.Geographic)
			for i := range m.Accounts {
				m.Accounts[i].Loc = territory.Point{X: -84, Y: 33}
			}
			return m
		}()},
		{"antimeridian", &Map{Territories: []Territory{{ID: "T1", Center: territory.Point{X: 179.5, Y: -17}}, {ID: "T2", Center: territory.Point{X: -179.5, Y: -17}}},
			Accounts: []Account{{ID: "a", Loc: territory.Point{X: 179, Y: -16}}, {ID: "b", Loc: territory.Point{X: -179, Y: -18}, Territory: 1}}}},
		{"equator", randomMapShifted(4, 200, 5, 0, -30)},
		{"1000 territories", gridMap(40, 25, 1)},
		{"planar random", randomMap(2, 500, 12, territory.Planar)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := svgOf(t, tt.m, SVGOptions{})
			texts := parseXML(t, doc)
			if got, want := texts["title"][0], tt.m.title(); got != strings.ToValidUTF8(want, "\uFFFD") && !strings.Contains(want, "\x01") {
				t.Errorf("title = %q, want %q", got, want)
			}
			if bytes.Contains(doc, []byte("NaN")) || bytes.Contains(doc, []byte("Inf")) {
				t.Errorf("SVG holds NaN or Inf")
			}
			// The page of the same map holds valid JSON without NaN or Inf.
			data := dataBlock(t, htmlOf(t, tt.m))
			if !json.Valid(data) || bytes.Contains(data, []byte("NaN")) || bytes.Contains(data, []byte("Inf")) {
				t.Errorf("the page's data are not valid JSON of finite numbers")
			}
		})
	}
}

// randomMapShifted is randomMap moved by (dx, dy) degrees.
func randomMapShifted(seed uint64, n, k int, dx, dy float64) *Map {
	m := randomMap(seed, n, k, territory.Geographic)
	for i := range m.Accounts {
		m.Accounts[i].Loc.X += dx
		m.Accounts[i].Loc.Y += dy
	}
	for i := range m.Territories {
		m.Territories[i].Center.X += dx
		m.Territories[i].Center.Y += dy
	}
	for i := range m.Homes {
		m.Homes[i].Loc.X += dx
		m.Homes[i].Loc.Y += dy
	}
	return m
}

func TestSVGEscaping(t *testing.T) {
	m := smallMap()
	m.Title = hostile
	doc := svgOf(t, m, SVGOptions{})
	texts := parseXML(t, doc) // the hostile text did not break the XML
	if _, ok := texts["script"]; ok || bytes.Contains(doc, []byte("<script")) {
		t.Errorf("the SVG holds a <script> element")
	}
	if bytes.Contains(doc, []byte("<!-- x")) {
		t.Errorf("the SVG holds the hostile comment")
	}
	// The hostile text is there, as text: in the title, the labels, the
	// legend and the tooltips.
	found := 0
	for _, name := range []string{"title", "text"} {
		for _, s := range texts[name] {
			if strings.Contains(s, "<script>alert(1)</script>") || strings.Contains(s, "<script>alert(1)</sc") {
				found++
			}
		}
	}
	if found < 3 {
		t.Errorf("the hostile name appears as text %d times, want at least 3 (title, legend, home)", found)
	}
}

// dataBlock returns the JSON between the data block's tags: everything up
// to the first "</script", as a browser would cut it.
func dataBlock(t *testing.T, page []byte) []byte {
	t.Helper()
	const open = `<script type="application/json" id="data">`
	i := bytes.Index(page, []byte(open))
	if i < 0 {
		t.Fatalf("no data block")
	}
	rest := page[i+len(open):]
	j := bytes.Index(bytes.ToLower(rest), []byte("</script"))
	if j < 0 {
		t.Fatalf("data block not closed")
	}
	return rest[:j]
}

func TestHTMLEscaping(t *testing.T) {
	m := smallMap()
	m.Title = hostile
	m.Measures = []string{"rev</script>enue", "<!--work"}
	m.Territories[2].Stats = append(m.Territories[2].Stats, Stat{"</SCRIPT>", "<img src=x onerror=alert(1)>"})
	page := htmlOf(t, m)

	// Exactly two scripts, the data block and the page's own; the hostile
	// text opens none and closes neither early.
	if n := bytes.Count(bytes.ToLower(page), []byte("<script")); n != 2 {
		t.Errorf("%d <script tags, want 2", n)
	}
	if bytes.Contains(page, []byte("<img")) || bytes.Contains(page, []byte("alert(1)</script>")) {
		t.Errorf("hostile markup reached the page unescaped")
	}
	data := dataBlock(t, page)
	var d struct {
		Title       string   `json:"title"`
		Measures    []string `json:"measures"`
		Territories []struct {
			Name  string      `json:"name"`
			Stats [][2]string `json:"stats"`
		} `json:"territories"`
		Accounts struct {
			Names []string `json:"names"`
		} `json:"accounts"`
	}
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatalf("the data block is not the whole JSON: %v", err)
	}
	if d.Title != hostile || d.Territories[1].Name != hostile || d.Accounts.Names[3] != hostile {
		t.Errorf("hostile names do not round-trip: %q, %q, %q", d.Title, d.Territories[1].Name, d.Accounts.Names[3])
	}
	if d.Measures[0] != "rev</script>enue" || d.Territories[2].Stats[len(d.Territories[2].Stats)-1][0] != "</SCRIPT>" {
		t.Errorf("measure or stat names do not round-trip: %q", d.Measures)
	}
	for _, s := range []string{"<", ">", "&"} {
		if bytes.Contains(data, []byte(s)) {
			t.Errorf("the data block holds a raw %q", s)
		}
	}
	// The title in <title> and <h1> is escaped text.
	if !bytes.Contains(page, []byte("<title>&lt;script&gt;alert(1)&lt;/script&gt; &#34;quoted&#34; &amp; &#39;single&#39; &lt;/script&gt;&lt;!-- x</title>")) {
		t.Errorf("the page title is not escaped as expected")
	}
	// The page's script writes data only as text.
	if bytes.Contains(mapJS, []byte("innerHTML")) || bytes.Contains(mapJS, []byte("insertAdjacentHTML")) ||
		bytes.Contains(mapJS, []byte("document.write")) || bytes.Contains(mapJS, []byte("eval(")) {
		t.Errorf("map.js writes markup")
	}
}

func TestHTMLSelfContained(t *testing.T) {
	page := htmlOf(t, randomMap(5, 2000, 20, territory.Geographic))
	lower := strings.ToLower(string(page))
	for _, s := range []string{"http://", "https://", "//cdn", " src=", "href=", "@import", "fetch(", "xmlhttprequest", "websocket", "<link", "<iframe", "<object", "<embed", "@font-face"} {
		if strings.Contains(lower, s) {
			t.Errorf("the page refers to something outside it: %q", s)
		}
	}
	// CSS's url(), but not the script's URL.createObjectURL( of its
	// downloads, which point into the page.
	if regexp.MustCompile(`(^|[^a-z])url\(`).MatchString(lower) {
		t.Errorf("the page refers to something outside it: url(")
	}
	for name, a := range map[string][]byte{"map.js": mapJS, "map.css": mapCSS} {
		l := bytes.ToLower(a)
		if bytes.Contains(l, []byte("</script")) || bytes.Contains(l, []byte("</style")) || bytes.Contains(l, []byte("<!--")) {
			t.Errorf("%s holds a sequence that would end its element early", name)
		}
	}
	// The policy admits exactly the embedded script and style sheet.
	re := regexp.MustCompile(`script-src '(sha256-[^']+)'; style-src '(sha256-[^']+)'`)
	mt := re.FindSubmatch(page)
	if mt == nil || string(mt[1]) != hashOf(mapJS) || string(mt[2]) != hashOf(mapCSS) {
		t.Fatalf("Content-Security-Policy does not pin the script and style sheet")
	}
	if !bytes.Contains(page, append(append([]byte("<script>"), mapJS...), "</script>"...)) ||
		!bytes.Contains(page, append(append([]byte("<style>"), mapCSS...), "</style>"...)) {
		t.Errorf("the script or style sheet is not embedded byte for byte, so its hash would not match")
	}
}

func TestHTMLData(t *testing.T) {
	m := smallMap()
	page := htmlOf(t, m)
	var d htmlDataJSON
	if err := json.Unmarshal(dataBlock(t, page), &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Accounts.IDs) != len(m.Accounts) || len(d.Accounts.XY) != 2*len(m.Accounts) || len(d.Accounts.T) != len(m.Accounts) {
		t.Fatalf("accounts: %d ids, %d coordinates, %d territories for %d accounts", len(d.Accounts.IDs), len(d.Accounts.XY), len(d.Accounts.T), len(m.Accounts))
	}
	for i, a := range m.Accounts {
		if d.Accounts.IDs[i] != a.ID || d.Accounts.T[i] != a.Territory ||
			math.Abs(d.Accounts.XY[2*i]-a.Loc.X) > 5e-6 || math.Abs(d.Accounts.XY[2*i+1]-a.Loc.Y) > 5e-6 {
			t.Errorf("account %d: got %s at (%v, %v) in %d", i, d.Accounts.IDs[i], d.Accounts.XY[2*i], d.Accounts.XY[2*i+1], d.Accounts.T[i])
		}
		for j, v := range a.Values {
			if d.Accounts.Values[j][i] != v {
				t.Errorf("account %s measure %d = %v, want %v", a.ID, j, d.Accounts.Values[j][i], v)
			}
		}
	}
	pr, err := prepare(m)
	if err != nil {
		t.Fatal(err)
	}
	for k, tt := range d.Territories {
		if tt.Color != pr.color(k) {
			t.Errorf("territory %d colour %s, the SVG's is %s", k, tt.Color, pr.color(k))
		}
	}
	if !d.Territories[4].Hull || len(d.Territories[4].Rings) != 1 || len(d.Territories[4].Rings[0]) != 6 {
		t.Errorf("territory without a boundary: hull %v, rings %v; want its 3 accounts' hull", d.Territories[4].Hull, d.Territories[4].Rings)
	}
	if d.Territories[2].Hull || len(d.Territories[2].Rings) != 2 {
		t.Errorf("territory with a hole: %d rings, want 2", len(d.Territories[2].Rings))
	}
	if d.Proj.Kind != "albers" {
		t.Errorf("projection %q, want albers", d.Proj.Kind)
	}
}

type htmlDataJSON struct {
	Proj        struct{ Kind string } `json:"proj"`
	Territories []struct {
		Color string      `json:"color"`
		Hull  bool        `json:"hull"`
		Rings [][]float64 `json:"rings"`
	} `json:"territories"`
	Accounts struct {
		IDs    []string    `json:"ids"`
		XY     []float64   `json:"xy"`
		T      []int       `json:"t"`
		Values [][]float64 `json:"values"`
	} `json:"accounts"`
}

func TestDeterministic(t *testing.T) {
	for _, m := range []*Map{smallMap(), randomMap(9, 3000, 40, territory.Geographic), gridMap(10, 10, 3)} {
		a, b := svgOf(t, m, SVGOptions{MaxDots: 1000}), svgOf(t, m, SVGOptions{MaxDots: 1000})
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two SVGs of one map differ", m.Title)
		}
		c, d := htmlOf(t, m), htmlOf(t, m)
		if !bytes.Equal(c, d) {
			t.Errorf("%s: two pages of one map differ", m.Title)
		}
	}
}

func TestThinning(t *testing.T) {
	m := randomMap(11, 1000, 5, territory.Planar)
	count := func(m *Map) (n int, ids map[string]bool) {
		keep := thin(m.Accounts, 90)
		ids = map[string]bool{}
		for i, k := range keep {
			if k {
				ids[m.Accounts[i].ID] = true
			}
		}
		return bytes.Count(svgOf(t, m, SVGOptions{MaxDots: 90}), []byte("<circle")) - 1, ids // one circle is the key's
	}
	n, ids := count(m)
	// ceil(1000/90) = 12: positions 0, 12, ..., 996 of the id order.
	if n != 84 || len(ids) != 84 {
		t.Errorf("%d dots drawn (%d ids), want 84", n, len(ids))
	}
	// The same accounts are drawn whatever the input order.
	rev := *m
	rev.Accounts = make([]Account, len(m.Accounts))
	for i, a := range m.Accounts {
		rev.Accounts[len(m.Accounts)-1-i] = a
	}
	if _, ids2 := count(&rev); !cmp.Equal(ids, ids2) {
		t.Errorf("thinning depends on the input order")
	}
	if !bytes.Contains(svgOf(t, m, SVGOptions{MaxDots: 90}), []byte("Account (1 in 12 shown)")) {
		t.Errorf("the legend does not say that accounts were thinned")
	}
	if n := bytes.Count(svgOf(t, m, SVGOptions{MaxDots: -1}), []byte("<circle")); n != 0 {
		t.Errorf("MaxDots -1 drew %d circles", n)
	}
}

func TestManyTerritories(t *testing.T) {
	m := gridMap(40, 25, 1)
	doc := string(svgOf(t, m, SVGOptions{}))
	if !strings.Contains(doc, "… and ") || !strings.Contains(doc, " more</text>") {
		t.Errorf("the legend of 1,000 territories is not capped")
	}
	labels := strings.Count(doc, `font-weight="bold">T`)
	if labels == 0 || labels >= 1000 {
		t.Errorf("%d of 1,000 labels drawn, want some but not all", labels)
	}
	if !strings.Contains(doc, "labels left out where labels would overlap") {
		t.Errorf("the legend does not say that labels were left out")
	}
	if !strings.Contains(doc, `font-size="8.0">`) {
		t.Errorf("labels of 1,000 territories are not at the smallest size")
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(m *Map)
		want string
	}{
		{"territory out of range", func(m *Map) { m.Accounts[0].Territory = 5 }, `account "A1": territory 5 is not in 0..4`},
		{"negative territory", func(m *Map) { m.Homes[0].Territory = -1 }, `home of rep "R1": territory -1`},
		{"NaN location", func(m *Map) { m.Accounts[1].Loc.X = math.NaN() }, `account "A2": location (NaN, 32.7) is not finite`},
		{"latitude", func(m *Map) { m.Accounts[1].Loc.Y = 91 }, `account "A2": longitude -84.3, latitude 91`},
		{"infinite value", func(m *Map) { m.Accounts[2].Values[1] = math.Inf(1) }, `account "A3": value +Inf`},
		{"values", func(m *Map) { m.Accounts[2].Values = []float64{1} }, `account "A3": 1 values for 2 measures`},
		{"boundary", func(m *Map) { m.Territories[1].Boundary[0][0][1][0] = math.NaN() }, `territory "T2": boundary`},
		{"centre", func(m *Map) { m.Territories[1].Center.Y = math.Inf(-1) }, `territory "T2": centre`},
		{"space", func(m *Map) { m.Space = 7 }, "unknown coordinate space"},
		{"level parents", func(m *Map) { m.Levels = []Level{{Name: "district", IDs: []string{"d1"}, Of: []int{0, 0}}} }, `level "district": parents of 2 territories, not 5`},
		{"level parent", func(m *Map) { m.Levels = []Level{{Name: "district", IDs: []string{"d1"}, Of: []int{0, 0, 1, 0, 0}}} }, `level "district": territory "T3": parent 1 is not in 0..0`},
		{"level boundary", func(m *Map) {
			m.Levels = []Level{{Name: "district", IDs: []string{"d1"}, Of: []int{0, 0, 0, 0, 0},
				Boundaries: []orb.MultiPolygon{{{{{0, 0}, {math.NaN(), 1}, {1, 1}, {0, 0}}}}}}}
		}, `level "district": "d1": boundary`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := smallMap()
			tt.edit(m)
			var b bytes.Buffer
			err := WriteSVG(&b, m, SVGOptions{})
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "render: ") {
				t.Errorf("WriteSVG error %v, want one containing %q", err, tt.want)
			}
			if err2 := WriteHTML(&b, m, HTMLOptions{}); err2 == nil || err2.Error() != err.Error() {
				t.Errorf("WriteHTML error %v, want %v", err2, err)
			}
			if b.Len() != 0 {
				t.Errorf("%d bytes written despite the error", b.Len())
			}
		})
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		v    float64
		prec int
		want string
	}{
		{1234567.891, 2, "1,234,567.89"},
		{-1234.5, 2, "-1,234.5"},
		{999, 0, "999"},
		{1000, 0, "1,000"},
		{12.5, 2, "12.5"},
		{3, 2, "3"},
		{-0.001, 2, "0"},
		{100000, 1, "100,000"},
	}
	for _, tt := range tests {
		if got := grouped(tt.v, tt.prec); got != tt.want {
			t.Errorf("grouped(%v, %d) = %q, want %q", tt.v, tt.prec, got, tt.want)
		}
	}
	for v, want := range map[float64]float64{0.7: 0.5, 1: 1, 3.3: 2, 9.99: 5, 2500: 2000, 0.00123: 0.001} {
		if got := roundLength(v); math.Abs(got-want) > 1e-12 {
			t.Errorf("roundLength(%v) = %v, want %v", v, got, want)
		}
	}
	if got := lengthLabel(0.5, "km"); got != "500 m" {
		t.Errorf("lengthLabel(0.5 km) = %q", got)
	}
	if got := truncate("Maximilian Alexander von Humboldt-Bonpland", 24); got != "Maximilian Alexander vo…" || len([]rune(got)) != 24 {
		t.Errorf("truncate = %q", got)
	}
}

// TestLevelBorders checks that both maps draw the borders of the levels
// above the territories: the SVG a group of one path per parent, titled
// with its id, widest for the highest level, and a legend entry per level;
// the page the parents' rings, the level of every territory and its
// legend entries.
func TestLevelBorders(t *testing.T) {
	m := levelsMap()
	doc := string(svgOf(t, m, SVGOptions{}))
	start := strings.Index(doc, `<g id="levels"`)
	if start < 0 {
		t.Fatalf("the SVG has no level borders")
	}
	group := doc[start : start+strings.Index(doc[start:], "</g>\n</g>")]
	if n := strings.Count(group, "<path d=\"M"); n != 6 {
		t.Errorf("%d level border paths, want 6 (4 districts and 2 regions)", n)
	}
	for _, want := range []string{"<title>District d1</title>", "<title>Region East</title>", `stroke-width="4.5"`, `stroke-width="2.0"`} {
		if !strings.Contains(group, want) {
			t.Errorf("the level borders lack %s", want)
		}
	}
	// The regions (4.5 px) are drawn before the districts, over the
	// accounts and under the labels.
	if strings.Index(group, `stroke-width="4.5"`) > strings.Index(group, `stroke-width="2.0"`) {
		t.Errorf("the districts are drawn under the regions")
	}
	if a, l := strings.Index(doc, `<g id="accounts"`), strings.Index(doc, `<g id="labels"`); !(a < start && start < l) {
		t.Errorf("level borders at %d, want between the accounts (%d) and the labels (%d)", start, a, l)
	}
	for _, want := range []string{">District border</text>", ">Region border</text>"} {
		if !strings.Contains(doc, want) {
			t.Errorf("the legend lacks %s", want)
		}
	}
	// Without levels, no group.
	if strings.Contains(string(svgOf(t, gridMap(4, 3, 2), SVGOptions{})), `id="levels"`) {
		t.Errorf("a map without levels draws level borders")
	}

	page := htmlOf(t, m)
	var d struct {
		Levels []struct {
			Name  string        `json:"name"`
			IDs   []string      `json:"ids"`
			Of    []int         `json:"of"`
			Rings [][][]float64 `json:"rings"`
		} `json:"levels"`
	}
	if err := json.Unmarshal(dataBlock(t, page), &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Levels) != 2 || d.Levels[1].Name != "region" || !cmp.Equal(d.Levels[0].Of, m.Levels[0].Of) ||
		len(d.Levels[0].Rings) != 4 || len(d.Levels[0].Rings[3]) != 1 || len(d.Levels[0].Rings[3][0]) != 10 {
		t.Errorf("the page's levels: %+v", d.Levels)
	}
	if !bytes.Contains(page, []byte(`data-layer="levels"`)) {
		t.Errorf("the page has no switch for the level borders")
	}
}
