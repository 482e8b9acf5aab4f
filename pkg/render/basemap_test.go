package render

import (
	"bytes"
	"encoding/json"
	"math"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"github.com/paulmach/orb"

	"github.com/territory-optimizer/territory/pkg/territory"
)

func TestParseBasemap(t *testing.T) {
	for _, name := range Basemaps() {
		b, err := ParseBasemap(name)
		if err != nil || b.String() != name {
			t.Errorf("ParseBasemap(%q) = %v, %v", name, b, err)
		}
	}
	if b, _ := ParseBasemap("outlines"); b != BasemapOutlines {
		t.Errorf("outlines is %v, want the zero value", b)
	}
	if _, err := ParseBasemap("tiles"); err == nil {
		t.Errorf("ParseBasemap(tiles) accepted an unknown basemap")
	}
}

// pathNumbers returns every number in the d attributes of the paths of
// the SVG element whose id is id.
func pathNumbers(t *testing.T, doc []byte, id string) []float64 {
	t.Helper()
	i := bytes.Index(doc, []byte(`<g id="`+id+`"`))
	if i < 0 {
		return nil
	}
	j := bytes.Index(doc[i:], []byte("</g>"))
	var out []float64
	for _, d := range regexp.MustCompile(` d="([^"]*)"`).FindAllSubmatch(doc[i:i+j], -1) {
		for _, f := range regexp.MustCompile(`-?[0-9]+(\.[0-9]+)?`).FindAll(d[1], -1) {
			v, err := strconv.ParseFloat(string(f), 64)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, v)
		}
	}
	return out
}

func TestSVGBasemap(t *testing.T) {
	m := smallMap()
	doc := svgOf(t, m, SVGOptions{})
	nums := pathNumbers(t, doc, "basemap")
	if len(nums) < 20 {
		t.Fatalf("the SVG of a map of Georgia draws %d basemap coordinates, want its land and state lines", len(nums)/2)
	}
	// Clipped to the map area: x from 24 to 1212, y from 88 to 976 on the
	// default page (svgMargin, svgHeader, the legend's column).
	for k := 0; k+1 < len(nums); k += 2 {
		if x, y := nums[k], nums[k+1]; x < 24 || x > 1212 || y < 88 || y > 976 {
			t.Fatalf("basemap point (%v, %v) outside the map area", x, y)
		}
	}
	if !bytes.Contains(doc, []byte(">"+outlinesCredit+"<")) {
		t.Errorf("the SVG does not credit the outlines")
	}
	if osm := svgOf(t, m, SVGOptions{Basemap: BasemapOSM}); !bytes.Equal(osm, doc) {
		t.Errorf("the SVG with BasemapOSM differs from the outlines': it must load nothing")
	}
	for name, doc := range map[string][]byte{
		"none":   svgOf(t, m, SVGOptions{Basemap: BasemapNone}),
		"planar": svgOf(t, gridMap(3, 2, 2), SVGOptions{}),
	} {
		if bytes.Contains(doc, []byte(`id="basemap"`)) || bytes.Contains(doc, []byte(outlinesCredit)) {
			t.Errorf("%s: the SVG draws a basemap", name)
		}
	}
}

// htmlBasemapJSON is the basemap of a page's data.
type htmlBasemapJSON struct {
	Proj    struct{ Kind string } `json:"proj"`
	Basemap *struct {
		Tiles     string      `json:"tiles"`
		Land      [][]float64 `json:"land"`
		CoastGaps [][]int     `json:"coastGaps"`
		Borders   [][]float64 `json:"borders"`
		States    [][]float64 `json:"states"`
		Lakes     [][]float64 `json:"lakes"`
	} `json:"basemap"`
}

func pageOf(t *testing.T, m *Map, b Basemap) ([]byte, htmlBasemapJSON) {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteHTML(&buf, m, HTMLOptions{Basemap: b}); err != nil {
		t.Fatal(err)
	}
	var d htmlBasemapJSON
	if err := json.Unmarshal(dataBlock(t, buf.Bytes()), &d); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), d
}

func TestHTMLBasemap(t *testing.T) {
	cspImg := regexp.MustCompile(`img-src ([^;]*);`)
	urls := regexp.MustCompile(`https?://[^"'\s<>;]*`)

	t.Run("outlines", func(t *testing.T) {
		page, d := pageOf(t, smallMap(), BasemapOutlines)
		bm := d.Basemap
		if bm == nil || len(bm.Land) == 0 || len(bm.States) == 0 || bm.Tiles != "" {
			t.Fatalf("the page of a map of Georgia has basemap %+v; want land and state lines, no tiles", bm)
		}
		if d.Proj.Kind != "albers" {
			t.Errorf("projection %q, want albers", d.Proj.Kind)
		}
		if got := cspImg.FindSubmatch(page); got == nil || string(got[1]) != "'none'" {
			t.Errorf("img-src %q, want 'none'", got)
		}
		if u := urls.FindAll(page, -1); len(u) != 0 {
			t.Errorf("the offline page holds URLs %q", u)
		}
		if !bytes.Contains(page, []byte(`<div id="credit">`+outlinesCredit+`</div>`)) {
			t.Errorf("the page does not credit the outlines")
		}
		// The window cuts the continent: some segments of its ring are
		// gaps, not coast; its coasts on the Atlantic and the Gulf are not.
		if len(bm.CoastGaps) != len(bm.Land) {
			t.Fatalf("%d lists of coast gaps for %d land rings", len(bm.CoastGaps), len(bm.Land))
		}
		longest := 0
		for i, r := range bm.Land {
			if len(r) > len(bm.Land[longest]) {
				longest = i
			}
			for _, g := range bm.CoastGaps[i] {
				if g < 1 || g >= len(r)/2 {
					t.Errorf("ring %d: gap %d outside its %d points", i, g, len(r)/2)
				}
			}
		}
		if g := len(bm.CoastGaps[longest]); g == 0 || g > len(bm.Land[longest])/4 {
			t.Errorf("the continent's ring has %d coast gaps among %d segments; want the window's sides only", g, len(bm.Land[longest])/2-1)
		}
		for _, part := range append(append(bm.Land, bm.States...), bm.Borders...) {
			for k := 0; k+1 < len(part); k += 2 {
				if part[k] != math.Round(part[k]*1000)/1000 {
					t.Fatalf("coordinate %v has more than 3 decimals", part[k])
				}
			}
		}
	})

	t.Run("osm", func(t *testing.T) {
		page, d := pageOf(t, smallMap(), BasemapOSM)
		if d.Basemap == nil || d.Basemap.Tiles != "https://tile.openstreetmap.org/{z}/{x}/{y}.png" || len(d.Basemap.States) == 0 {
			t.Fatalf("basemap %+v; want OpenStreetMap's tiles over the outlines", d.Basemap)
		}
		if d.Proj.Kind != "mercator" {
			t.Errorf("projection %q, want mercator, the tiles'", d.Proj.Kind)
		}
		if got := cspImg.FindSubmatch(page); got == nil || string(got[1]) != "https://tile.openstreetmap.org" {
			t.Errorf("img-src %q, want the tile host only", got)
		}
		if !bytes.Contains(page, []byte("connect-src 'none'")) {
			t.Errorf("the policy lets the page connect")
		}
		if !bytes.Contains(page, []byte(`<a href="https://www.openstreetmap.org/copyright" target="_blank" rel="noopener">© OpenStreetMap contributors</a>`)) {
			t.Errorf("the page lacks OpenStreetMap's attribution, linked to its copyright page")
		}
		for _, u := range urls.FindAll(page, -1) {
			if s := string(u); s != "https://tile.openstreetmap.org/{z}/{x}/{y}.png" && s != "https://tile.openstreetmap.org" && s != osmCopyright {
				t.Errorf("the page refers to %s", s)
			}
		}
	})

	for _, tc := range []struct {
		name string
		m    *Map
		b    Basemap
	}{
		{"none", smallMap(), BasemapNone},
		{"planar", gridMap(3, 2, 2), BasemapOutlines},
		{"planar osm", gridMap(3, 2, 2), BasemapOSM},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page, d := pageOf(t, tc.m, tc.b)
			if d.Basemap != nil || bytes.Contains(page, []byte(`id="credit"`)) || bytes.Contains(page, []byte(`data-layer="basemap"`)) {
				t.Errorf("the page has a basemap")
			}
			if tc.name == "planar osm" && (d.Proj.Kind != "planar" || !bytes.Contains(page, []byte("img-src https://tile.openstreetmap.org"))) {
				t.Errorf("planar map with BasemapOSM: projection %q", d.Proj.Kind)
			}
		})
	}
}

func TestHTMLBasemapExtent(t *testing.T) {
	// The outlines reach 1.5 times the data's extent beyond its centre,
	// and no farther than the window's margin.
	m := randomMap(3, 200, 5, territory.Geographic) // 90°W to 76°W, 25°N to 36°N
	_, d := pageOf(t, m, BasemapOutlines)
	if d.Basemap == nil {
		t.Fatal("no basemap")
	}
	lo, hi := [2]float64{180, 90}, [2]float64{-180, -90}
	for _, part := range append(d.Basemap.Land, d.Basemap.States...) {
		for k := 0; k+1 < len(part); k += 2 {
			lo = [2]float64{math.Min(lo[0], part[k]), math.Min(lo[1], part[k+1])}
			hi = [2]float64{math.Max(hi[0], part[k]), math.Max(hi[1], part[k+1])}
		}
	}
	// About 1,400 km across: outlines from about 1,700 km west of the
	// centre to 1,700 km east, which is 20 to 26 degrees of longitude each
	// way here; not the whole continent.
	if lo[0] > -100 || hi[0] < -66 || lo[0] < -115 || hi[0] > -50 || hi[1] > 55 || lo[1] < 5 {
		t.Errorf("outlines from %v to %v; want about 105°W-60°W, 10°N-50°N", lo, hi)
	}
}

func TestLonLatWindow(t *testing.T) {
	us := albersProjection(-96, 37.5, 29.5, 45.5)
	around := func(pr projection, lon, lat, halfKm float64) box {
		x, y := pr.project(territory.Point{X: lon, Y: lat})
		return box{x - halfKm, y - halfKm, x + halfKm, y + halfKm}
	}
	tests := []struct {
		name   string
		pr     projection
		view   box
		lo, hi [2]float64 // the window must hold lo..hi and stay within the bounds below
		maxLo  [2]float64
		minHi  [2]float64
	}{
		// 200 km around Atlanta: about 2 degrees each way.
		{"Atlanta", us, around(us, -84.4, 33.7, 200), [2]float64{-86.5, 31.9}, [2]float64{-82.3, 35.5}, [2]float64{-87.5, 31}, [2]float64{-81.3, 36.5}},
		// 6,000 km around Minneapolis reaches beyond the North Pole: the
		// window goes to 90°N, but not round the world.
		// (It gives 227°W to 37°E, 33°S to 90°N.)
		{"beyond the pole", us, around(us, -93.3, 45, 6000), [2]float64{-150, 0}, [2]float64{-40, 90}, [2]float64{-240, -40}, [2]float64{50, 90}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lo, hi := lonLatWindow(&tt.pr, tt.view)
			if lo.X > tt.lo[0] || lo.Y > tt.lo[1] || hi.X < tt.hi[0] || hi.Y < tt.hi[1] {
				t.Errorf("window %v..%v does not hold %v..%v", lo, hi, tt.lo, tt.hi)
			}
			if lo.X < tt.maxLo[0] || lo.Y < tt.maxLo[1] || hi.X > tt.minHi[0] || hi.Y > tt.minHi[1] {
				t.Errorf("window %v..%v is wider than %v..%v", lo, hi, tt.maxLo, tt.minHi)
			}
			if hi.X-lo.X >= 360 {
				t.Errorf("window %v..%v spans 360° or more", lo, hi)
			}
		})
	}
	// A view of a whole hemisphere reaches beyond the cone's cut: every
	// longitude, short of the cut.
	lo, hi := lonLatWindow(&us, around(us, -96, 37.5, 20000))
	if lo.X > -96-179.9 || hi.X < -96+179.9 {
		t.Errorf("window of a hemisphere %v..%v; want every longitude", lo, hi)
	}
}

func TestSimplifyPath(t *testing.T) {
	// A zigzag of amplitude 1 along a line: kept at tolerance 0.5, gone
	// at 2; the ends stay.
	var zig [][2]float64
	for i := range 11 {
		zig = append(zig, [2]float64{float64(i), float64(i % 2)})
	}
	if got := simplifyPath(zig, 0.5); len(got) != len(zig) {
		t.Errorf("tolerance 0.5 kept %v, want every point", got)
	}
	if got := simplifyPath(zig, 2); len(got) != 2 || got[0] != 0 || got[1] != 10 {
		t.Errorf("tolerance 2 kept %v, want the ends", got)
	}
	// Zoned: the zigzag from x = 3 to 7 is inside the box and keeps its
	// detail; outside, it is simplified away but for the points where it
	// crosses into and out of the box.
	got := simplifyZoned(zig, box{2.5, -1, 7.5, 2}, 0.5, 2)
	want := []int{0, 3, 4, 5, 6, 7, 8, 10}
	if !slices.Equal(got, want) {
		t.Errorf("zoned simplification kept %v, want %v", got, want)
	}
}

// A clipped ring's segments along the window get points every sideStep
// degrees, so that the map's projection bends them with the window's
// side; its other segments stay as they are.
func TestAlongSides(t *testing.T) {
	window := orb.Bound{Min: orb.Point{-160, -77.7}, Max: orb.Point{45, 80}}
	ring := orb.Ring{{43, -77.7}, {-158, -77.7}, {-150, -60}, {40, -60}, {43, -77.7}}
	got := alongSides(ring, window)
	if want := len(ring) + 200; len(got) != want { // 201° along the bottom side: 200 points between
		t.Fatalf("%d points, want %d", len(got), want)
	}
	for i := 1; i < len(got); i++ {
		a, b := got[i-1], got[i]
		onSide := a[1] == -77.7 && b[1] == -77.7
		if d := math.Max(math.Abs(a[0]-b[0]), math.Abs(a[1]-b[1])); onSide && d > sideStep+1e-9 {
			t.Errorf("segment %v-%v along the window's side spans %g°", a, b, d)
		}
	}
	if got[0] != ring[0] || got[len(got)-1] != ring[len(ring)-1] || got[len(got)-3] != ring[2] {
		t.Errorf("the ring's own points moved: %v ... %v", got[:2], got[len(got)-3:])
	}
}
