package render

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/json"
	"html"
	"io"
	"math"
	"strconv"

	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

//go:embed assets/map.js assets/map.css
var assets embed.FS

// The page's script and style sheet, and the Content-Security-Policy that
// lets exactly them run and nothing else load.
var (
	mapJS  = mustAsset("assets/map.js")
	mapCSS = mustAsset("assets/map.css")
	csp    = "default-src 'none'; script-src '" + hashOf(mapJS) + "'; style-src '" + hashOf(mapCSS) +
		"'; img-src 'none'; connect-src 'none'; form-action 'none'; base-uri 'none'"
)

func mustAsset(name string) []byte {
	b, err := assets.ReadFile(name)
	if err != nil {
		panic("render: missing embedded " + name) // the build embeds it
	}
	return b
}

func hashOf(b []byte) string {
	h := sha256.Sum256(b)
	return "sha256-" + base64.StdEncoding.EncodeToString(h[:])
}

// WriteHTML writes m as one self-contained HTML page: a map drawn on a
// canvas by the embedded script, which pans (drag) and zooms (wheel,
// buttons, + and - keys), shows a territory's statistics and an
// account's id, name and measures on hover and click, toggles layers and
// lists the territories in a legend. It loads nothing: no script, style,
// font or tile from anywhere else, and its Content-Security-Policy
// forbids the page any other script or connection.
//
// The map's data are embedded as JSON in a <script type="application/json">
// block, escaped so that no user text can end it, and the script shows
// them only as text. The output depends only on m.
func WriteHTML(w io.Writer, m *Map) error {
	pr, err := prepare(m)
	if err != nil {
		return err
	}
	data, err := json.Marshal(newHTMLData(pr))
	if err != nil {
		return err
	}
	// json.Marshal has already written < > & as \u003c \u003e \u0026; this
	// keeps a "</" from ever reaching the page should that change.
	data = bytes.ReplaceAll(data, []byte("</"), []byte(`<\/`))

	var b bytes.Buffer
	title := html.EscapeString(m.title())
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
	b.WriteString(`<meta http-equiv="Content-Security-Policy" content="` + csp + "\">\n")
	b.WriteString("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	b.WriteString("<title>" + title + "</title>\n<style>") // no newline: the hash covers exactly the asset
	b.Write(mapCSS)
	b.WriteString("</style>\n</head>\n<body>\n")
	b.WriteString(`<div id="app">
<div id="view">
<canvas id="map" aria-label="Map of the territories"></canvas>
<div id="tools">
<button id="zoom-in" type="button" title="Zoom in (+)">+</button>
<button id="zoom-out" type="button" title="Zoom out (-)">&#8722;</button>
<button id="zoom-fit" type="button" title="Show everything (0)">&#9634;</button>
</div>
<div id="tip" role="tooltip"></div>
</div>
<aside id="side">
<h1>` + title + `</h1>
<p class="sub">` + html.EscapeString(m.subtitle()) + `</p>
<fieldset id="layers"><legend>Layers</legend>
<label><input type="checkbox" data-layer="territories" checked> Territories</label>
<label><input type="checkbox" data-layer="accounts" checked> Accounts</label>
<label><input type="checkbox" data-layer="homes" checked> Rep homes</label>
<label><input type="checkbox" data-layer="labels" checked> Labels</label>
</fieldset>
<section id="info"><p class="hint">Hover over or click a territory or an account to see its numbers. Drag to pan; use the wheel or the buttons to zoom.</p></section>
<h2>Territories</h2>
<ol id="legend"></ol>
</aside>
</div>
<noscript><p>This map needs JavaScript.</p></noscript>
`)
	b.WriteString(`<script type="application/json" id="data">`)
	b.Write(data)
	b.WriteString("</script>\n<script>")
	b.Write(mapJS)
	b.WriteString("</script>\n</body>\n</html>\n")
	_, err = w.Write(b.Bytes())
	return err
}

// htmlData is the JSON the page's script reads. Coordinates are in the
// map's space (longitude, latitude for a geographic map), as flat
// [x0, y0, x1, y1, ...] arrays; the script projects them as WriteSVG does.
type htmlData struct {
	Title       string          `json:"title"`
	Space       string          `json:"space"`
	Unit        string          `json:"unit"`
	Proj        htmlProj        `json:"proj"`
	Measures    []string        `json:"measures"`
	Territories []htmlTerritory `json:"territories"`
	Accounts    htmlAccounts    `json:"accounts"`
	Homes       []htmlHome      `json:"homes"`
}

// htmlProj holds the parameters of the projection (see projection).
type htmlProj struct {
	Kind   string  `json:"kind"` // "planar", "albers" or "cylindrical"
	R      float64 `json:"r"`    // the Earth's radius in km
	Lon0   float64 `json:"lon0"`
	N      float64 `json:"n"`
	C      float64 `json:"c"`
	Rho0   float64 `json:"rho0"`
	CosStd float64 `json:"cosStd"`
}

type htmlTerritory struct {
	ID       string      `json:"id"`
	Rep      string      `json:"rep"`
	Name     string      `json:"name"`
	Color    string      `json:"color"`
	Accounts int         `json:"n"`
	Center   coords      `json:"center"`
	Stats    [][2]string `json:"stats"`
	// Rings holds every ring of the boundary, or the hull of the
	// accounts when Hull is set.
	Rings []coords `json:"rings"`
	Hull  bool     `json:"hull"`
}

// htmlAccounts holds the accounts as parallel arrays: the most compact
// JSON for many of them.
type htmlAccounts struct {
	IDs       []string  `json:"ids"`
	Names     []string  `json:"names"` // empty when no account has a name
	XY        coords    `json:"xy"`
	Territory []int     `json:"t"`
	Values    []numbers `json:"values"` // one array per measure
}

type htmlHome struct {
	Rep       string `json:"rep"`
	Name      string `json:"name"`
	XY        coords `json:"xy"`
	Territory int    `json:"t"`
}

func newHTMLData(pr *prepared) *htmlData {
	m := pr.m
	prec := coordPrecision(m)
	d := &htmlData{
		Title:       m.title(),
		Space:       m.Space.String(),
		Unit:        m.unit(),
		Measures:    m.Measures,
		Territories: make([]htmlTerritory, len(m.Territories)),
		Homes:       make([]htmlHome, len(m.Homes)),
	}
	if d.Measures == nil {
		d.Measures = []string{}
	}
	p := pr.proj
	d.Proj = htmlProj{Kind: [...]string{"planar", "albers", "cylindrical"}[p.kind], R: spatial.EarthRadiusKm,
		Lon0: p.lon0, N: p.n, C: p.c, Rho0: p.rho0, CosStd: p.cosStd}

	for k := range m.Territories {
		t := &m.Territories[k]
		ht := &d.Territories[k]
		ht.ID, ht.Rep, ht.Name, ht.Color = t.ID, t.Rep, t.Name, pr.color(k)
		ht.Accounts = len(pr.members[k])
		ht.Center = coords{v: []float64{t.Center.X, t.Center.Y}, prec: prec}
		ht.Stats = make([][2]string, len(t.Stats))
		for i, s := range t.Stats {
			ht.Stats[i] = [2]string{s.Label, s.Value}
		}
		ht.Rings = []coords{}
		if hull := pr.hulls[k]; hull != nil {
			ht.Hull = true
			if len(hull) >= 3 {
				c := coords{prec: prec}
				for _, i := range hull {
					c.v = append(c.v, m.Accounts[i].Loc.X, m.Accounts[i].Loc.Y)
				}
				ht.Rings = append(ht.Rings, c)
			}
			continue
		}
		for _, poly := range t.Boundary {
			for _, ring := range poly {
				c := coords{prec: prec, v: make([]float64, 0, 2*len(ring))}
				for _, pt := range ring {
					c.v = append(c.v, pt[0], pt[1])
				}
				ht.Rings = append(ht.Rings, c)
			}
		}
	}

	n := len(m.Accounts)
	a := &d.Accounts
	a.IDs = make([]string, n)
	a.Names = []string{}
	a.XY = coords{v: make([]float64, 2*n), prec: prec}
	a.Territory = make([]int, n)
	a.Values = make([]numbers, len(m.Measures))
	for j := range a.Values {
		a.Values[j] = make(numbers, n)
	}
	named := false
	for i := range m.Accounts {
		acc := &m.Accounts[i]
		a.IDs[i] = acc.ID
		a.XY.v[2*i], a.XY.v[2*i+1] = acc.Loc.X, acc.Loc.Y
		a.Territory[i] = acc.Territory
		for j, v := range acc.Values {
			a.Values[j][i] = v
		}
		named = named || acc.Name != ""
	}
	if named {
		a.Names = make([]string, n)
		for i := range m.Accounts {
			a.Names[i] = m.Accounts[i].Name
		}
	}
	for i := range m.Homes {
		h := &m.Homes[i]
		d.Homes[i] = htmlHome{Rep: h.Rep, Name: h.Name, XY: coords{v: []float64{h.Loc.X, h.Loc.Y}, prec: prec}, Territory: h.Territory}
	}
	return d
}

// coordPrecision is the number of digits after the point that the page's
// coordinates keep: 5 for longitude and latitude (about a metre), and for
// a planar map a millionth of its larger side.
func coordPrecision(m *Map) int {
	if m.Space == territory.Geographic {
		return 5
	}
	b := emptyBox()
	for p := range m.points {
		b.add(p.X, p.Y)
	}
	extent := math.Max(b.width(), b.height())
	if b.empty() || extent == 0 {
		return 6
	}
	return min(max(6-int(math.Floor(math.Log10(extent))), 0), 12)
}

// coords is a flat array of coordinates written with prec digits after the
// point, trailing zeros dropped.
type coords struct {
	v    []float64
	prec int
}

func (c coords) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 2+len(c.v)*12)
	b = append(b, '[')
	for i, v := range c.v {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendTrimmed(b, v, c.prec)
	}
	return append(b, ']'), nil
}

// appendTrimmed appends v with prec digits after the point, trailing zeros
// (and a bare point) dropped, and no sign on zero.
func appendTrimmed(b []byte, v float64, prec int) []byte {
	start := len(b)
	b = strconv.AppendFloat(b, v, 'f', prec, 64)
	if prec > 0 {
		for b[len(b)-1] == '0' {
			b = b[:len(b)-1]
		}
		if b[len(b)-1] == '.' {
			b = b[:len(b)-1]
		}
	}
	if len(b)-start == 2 && b[start] == '-' && b[start+1] == '0' {
		b = append(b[:start], '0')
	}
	return b
}

// numbers is an array of measure values, each written in its shortest
// exact form.
type numbers []float64

func (ns numbers) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 2+len(ns)*8)
	b = append(b, '[')
	for i, v := range ns {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendFloat(b, v, 'g', -1, 64)
	}
	return append(b, ']'), nil
}
