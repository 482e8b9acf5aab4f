package render

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"html"
	"io"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"

	"github.com/paulmach/orb"

	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

//go:embed assets/map.js assets/map.css
var assets embed.FS

// The page's script and style sheet.
var (
	mapJS  = mustAsset("assets/map.js")
	mapCSS = mustAsset("assets/map.css")
)

// OpenStreetMap's tiles, which the page of BasemapOSM loads.
const (
	osmTileHost = "https://tile.openstreetmap.org"
	osmTiles    = osmTileHost + "/{z}/{x}/{y}.png"
)

// contentSecurityPolicy lets exactly the embedded script and style sheet
// run and, for BasemapOSM, images load from the tile host; nothing else
// loads, and no connection is made.
func contentSecurityPolicy(b Basemap) string {
	img := "'none'"
	if b == BasemapOSM {
		img = osmTileHost
	}
	return "default-src 'none'; script-src '" + hashOf(mapJS) + "'; style-src '" + hashOf(mapCSS) +
		"'; img-src " + img + "; connect-src 'none'; form-action 'none'; base-uri 'none'"
}

// HTMLOptions tunes WriteHTML. The zero value gives the defaults.
type HTMLOptions struct {
	// Basemap is what is drawn under the territories of a geographic map:
	// the embedded outlines (the zero value), OpenStreetMap's tiles over
	// them, or nothing.
	Basemap Basemap
}

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
// lists the territories in a balance table; and an editor of the plan,
// which moves selected accounts between territories, keeps the balance
// and every territory's pieces up to date, and exports the edits (see the
// package documentation). It loads nothing: no script, style,
// font or tile from anywhere else, and its Content-Security-Policy
// forbids the page any other script or connection; with BasemapOSM it
// loads OpenStreetMap's tiles, and its policy admits images from their
// host and nothing else.
//
// The map's data are embedded as JSON in a <script type="application/json">
// block, escaped so that no user text can end it, and the script shows
// them only as text. The output depends only on m and opt.
func WriteHTML(w io.Writer, m *Map, opt HTMLOptions) error {
	pr, err := prepare(m)
	if err != nil {
		return err
	}
	d, err := newHTMLData(pr, opt.Basemap)
	if err != nil {
		return err
	}
	data, err := json.Marshal(d)
	if err != nil {
		return err
	}
	// json.Marshal has already written < > & as \u003c \u003e \u0026; this
	// keeps a "</" from ever reaching the page should that change.
	data = bytes.ReplaceAll(data, []byte("</"), []byte(`<\/`))

	var b bytes.Buffer
	title := html.EscapeString(m.title())
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
	b.WriteString(`<meta http-equiv="Content-Security-Policy" content="` + contentSecurityPolicy(opt.Basemap) + "\">\n")
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
<button id="tool-box" type="button" aria-pressed="false" title="Select with a box (B; or drag with Shift)">&#9645;</button>
<button id="tool-lasso" type="button" aria-pressed="false" title="Select with a lasso (L; or drag with Alt)">&#9676;</button>
</div>
<div id="tip" role="tooltip"></div>
` + credit(d.Basemap) + `</div>
<aside id="side">
<h1>` + title + `</h1>
<p class="sub">` + html.EscapeString(m.subtitle()) + `</p>
<section id="edit" aria-label="Edit the plan">
<p id="selection" class="hint"></p>
<div class="row"><label for="move-to">Move to</label> <select id="move-to"></select> <button id="move" type="button">Move</button> <button id="clear" type="button" title="Clear the selection (Esc)">Clear</button></div>
<div class="row"><button id="undo" type="button" title="Undo (Ctrl+Z)">Undo</button> <button id="redo" type="button" title="Redo (Ctrl+Shift+Z)">Redo</button> <button id="reset" type="button" title="Move every account back to its territory in the plan">Reset</button> <span id="moved"></span></div>
<div class="row">Export <button id="export-edits" type="button" title="The moves, for territory solve --fix">edits.csv</button> <button id="export-plan" type="button" title="The whole edited plan">assignments.csv</button></div>
<p id="overall"></p>
<ul id="warnings" aria-live="polite"></ul>
</section>
<h2>Balance</h2>
<div id="balance-wrap"><table id="balance"><thead><tr id="balance-head"></tr></thead><tbody id="legend"></tbody></table></div>
<fieldset id="layers"><legend>Layers</legend>
<label><input type="checkbox" data-layer="territories" checked> Territories</label>
<label><input type="checkbox" data-layer="accounts" checked> Accounts</label>
<label><input type="checkbox" data-layer="homes" checked> Rep homes</label>
<label><input type="checkbox" data-layer="labels" checked> Labels</label>
` + levelsToggle(m.Levels) + basemapToggle(d.Basemap) + `<label>Colour <select id="color-by"></select></label>
</fieldset>
<ul id="key"></ul>
<section id="info"><p class="hint">Hover over or click a territory or an account to see its numbers. Drag to pan; use the wheel or the buttons to zoom.</p></section>
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

// credit is the attribution of the page's basemap, over the map's lower
// right corner: OpenStreetMap's as its licence asks, linked to its
// copyright page, and that of the outlines.
func credit(bm *htmlBasemap) string {
	switch {
	case bm == nil:
		return ""
	case bm.Tiles != "":
		return `<div id="credit"><a href="` + osmCopyright + `" target="_blank" rel="noopener">` + html.EscapeString(osmCredit) +
			`</a> · ` + html.EscapeString(outlinesCredit) + "</div>\n"
	}
	return `<div id="credit">` + html.EscapeString(outlinesCredit) + "</div>\n"
}

// levelsToggle is the layer switch of the level borders, when there are
// levels.
func levelsToggle(levels []Level) string {
	if len(levels) == 0 {
		return ""
	}
	return "<label><input type=\"checkbox\" data-layer=\"levels\" checked> Level borders</label>\n"
}

// basemapToggle is the layer switch of the basemap, when there is one.
func basemapToggle(bm *htmlBasemap) string {
	if bm == nil {
		return ""
	}
	return "<label><input type=\"checkbox\" data-layer=\"basemap\" checked> Basemap</label>\n"
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
	Levels      []htmlLevel     `json:"levels"`
	// Key identifies the plan (see planKey): the page keeps its edits
	// under it.
	Key string `json:"key"`
	// Rules are the balance rules, with every territory's band.
	Rules []htmlRule `json:"rules"`
	// Graph holds the accounts' neighbours (see encodeGraph).
	Graph string `json:"graph"`
	// Distance names the distance column of an exported assignments.csv.
	Distance string `json:"distance"`
	// Groups is absent unless the plan is grouped.
	Groups *htmlGroups `json:"groups,omitempty"`
	// Basemap is absent when nothing is drawn under the territories.
	Basemap *htmlBasemap `json:"basemap,omitempty"`
}

// htmlBasemap holds the outlines under the map, in longitude and
// latitude, as flat arrays per part (see basemap.Outlines; the coast is
// drawn along the land's rings), and the URL
// template of the tiles to draw over them, if any.
type htmlBasemap struct {
	Tiles string   `json:"tiles,omitempty"`
	Land  []coords `json:"land"`
	// CoastGaps lists, for every ring of Land, the positions k of its
	// points whose segment from point k-1 is not drawn as coast.
	CoastGaps [][]int  `json:"coastGaps"`
	Borders   []coords `json:"borders"`
	States    []coords `json:"states"`
	// Lakes are the US shores of the Great Lakes, drawn as coast.
	Lakes []coords `json:"lakes"`
}

// htmlProj holds the parameters of the projection (see projection).
type htmlProj struct {
	Kind   string  `json:"kind"` // "planar", "albers", "cylindrical" or "mercator"
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
	Label    coords      `json:"label"`
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

// htmlRule is a balance rule: the measure it sums (an index into
// Measures, -1 for the count of accounts) and every territory's target
// and band, null where the band is open.
type htmlRule struct {
	Name   string     `json:"name"`
	M      int        `json:"m"`
	Target numbers    `json:"target"`
	Lo     []*float64 `json:"lo"`
	Hi     []*float64 `json:"hi"`
}

// htmlGroups holds the groups of a grouped plan: the column's name, the
// group names, and every account's and territory's group (indices into
// Names).
type htmlGroups struct {
	Column      string   `json:"column"`
	Names       []string `json:"names"`
	Of          []int    `json:"of"`
	Territories []int    `json:"territories"`
}

// htmlLevel is a level of parents above the territories: their ids, the
// parent of every territory and the rings of every parent's outline.
type htmlLevel struct {
	Name  string     `json:"name"`
	IDs   []string   `json:"ids"`
	Of    []int      `json:"of"`
	Rings [][]coords `json:"rings"`
}

type htmlHome struct {
	Rep       string `json:"rep"`
	Name      string `json:"name"`
	XY        coords `json:"xy"`
	Territory int    `json:"t"`
}

func newHTMLData(pr *prepared, bm Basemap) (*htmlData, error) {
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
	if m.Space == territory.Geographic && bm == BasemapOSM {
		p = mercatorProjection(p.lon0)
	}
	d.Proj = htmlProj{Kind: [...]string{"planar", "albers", "cylindrical", "mercator"}[p.kind], R: spatial.EarthRadiusKm,
		Lon0: p.lon0, N: p.n, C: p.c, Rho0: p.rho0, CosStd: p.cosStd}
	if bm != BasemapNone {
		var err error
		if d.Basemap, err = newHTMLBasemap(m, &p, bm); err != nil {
			return nil, err
		}
	}

	for k := range m.Territories {
		t := &m.Territories[k]
		ht := &d.Territories[k]
		ht.ID, ht.Rep, ht.Name, ht.Color = t.ID, t.Rep, t.Name, pr.color(k)
		ht.Accounts = len(pr.members[k])
		ht.Center = coords{v: []float64{t.Center.X, t.Center.Y}, prec: prec}
		at := t.labelAt()
		ht.Label = coords{v: []float64{at.X, at.Y}, prec: prec}
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
	d.Levels = make([]htmlLevel, len(m.Levels))
	for l := range m.Levels {
		lv := &m.Levels[l]
		hl := &d.Levels[l]
		hl.Name, hl.IDs, hl.Of = lv.Name, lv.IDs, lv.Of
		hl.Rings = make([][]coords, len(lv.IDs))
		for p := range hl.Rings {
			hl.Rings[p] = []coords{}
			if p >= len(lv.Boundaries) {
				continue
			}
			for _, poly := range lv.Boundaries[p] {
				for _, ring := range poly {
					c := coords{prec: prec, v: make([]float64, 0, 2*len(ring))}
					for _, pt := range ring {
						c.v = append(c.v, pt[0], pt[1])
					}
					hl.Rings[p] = append(hl.Rings[p], c)
				}
			}
		}
	}
	d.Key = planKey(m)
	d.Distance = "distance_km"
	if m.Space == territory.Planar {
		d.Distance = "distance"
	}
	d.Rules = make([]htmlRule, len(m.Rules))
	for j := range m.Rules {
		r := &m.Rules[j]
		hr := &d.Rules[j]
		hr.Name, hr.M = r.Name, r.Measure
		hr.Target = make(numbers, len(r.Bands))
		hr.Lo, hr.Hi = make([]*float64, len(r.Bands)), make([]*float64, len(r.Bands))
		for k, b := range r.Bands {
			hr.Target[k] = b.Target
			if !math.IsInf(b.Lo, 0) {
				hr.Lo[k] = &b.Lo
			}
			if !math.IsInf(b.Hi, 0) {
				hr.Hi[k] = &b.Hi
			}
		}
	}
	d.Graph = encodeGraph(neighbourGraph(m))
	if m.GroupColumn != "" {
		d.Groups = newHTMLGroups(m)
	}
	for i := range m.Homes {
		h := &m.Homes[i]
		d.Homes[i] = htmlHome{Rep: h.Rep, Name: h.Name, XY: coords{v: []float64{h.Loc.X, h.Loc.Y}, prec: prec}, Territory: h.Territory}
	}
	return d, nil
}

// newHTMLGroups lists the groups of a grouped map, in the order of their
// names, and the group of every account and territory.
func newHTMLGroups(m *Map) *htmlGroups {
	g := &htmlGroups{Column: m.GroupColumn, Of: make([]int, len(m.Accounts)), Territories: make([]int, len(m.Territories))}
	index := map[string]int{}
	for i := range m.Accounts {
		index[m.Accounts[i].Group] = 0
	}
	for k := range m.Territories {
		index[m.Territories[k].Group] = 0
	}
	for name := range index {
		g.Names = append(g.Names, name)
	}
	slices.Sort(g.Names)
	for i, name := range g.Names {
		index[name] = i
	}
	for i := range m.Accounts {
		g.Of[i] = index[m.Accounts[i].Group]
	}
	for k := range m.Territories {
		g.Territories[k] = index[m.Territories[k].Group]
	}
	return g
}

// neighbourGraph is the graph in which the page counts a territory's
// pieces, as the reports count them: spatial.ProximityGraph of the
// accounts (Delaunay edges, or the units' Adjacency), and for a grouped
// plan that of every group's accounts on their own, as each group is
// solved and measured, so that no edge joins two groups.
func neighbourGraph(m *Map) [][]int32 {
	n := len(m.Accounts)
	locs := make([]territory.Point, n)
	for i := range m.Accounts {
		locs[i] = m.Accounts[i].Loc
	}
	if m.GroupColumn == "" {
		return spatial.ProximityGraph(m.Space, locs, m.Adjacency)
	}
	members := map[string][]int32{}
	for i := range m.Accounts {
		g := m.Accounts[i].Group
		members[g] = append(members[g], int32(i))
	}
	adj := make([][]int32, n)
	local := make([]int32, n) // an account's index in its group
	for _, g := range slices.Sorted(maps.Keys(members)) {
		idx := members[g]
		sub := make([]territory.Point, len(idx))
		for j, i := range idx {
			sub[j] = locs[i]
			local[i] = int32(j)
		}
		var subAdj [][]int32
		if m.Adjacency != nil {
			subAdj = make([][]int32, len(idx))
			for j, i := range idx {
				for _, o := range m.Adjacency[i] {
					if m.Accounts[o].Group == g {
						subAdj[j] = append(subAdj[j], local[o])
					}
				}
			}
		}
		for j, nb := range spatial.ProximityGraph(m.Space, sub, subAdj) {
			out := make([]int32, len(nb))
			for x, o := range nb {
				out[x] = idx[o] // increasing, as idx is
			}
			adj[idx[j]] = out
		}
	}
	return adj
}

// planKey identifies the plan a page shows, so that the edits a browser
// keeps for one page are not applied to another plan's: the first 16 hex
// digits of the SHA-256 of every account's id and territory, and every
// territory's id and rep. Two pages of one plan (say with another
// basemap) share their edits.
func planKey(m *Map) string {
	h := sha256.New()
	var b []byte
	for i := range m.Accounts {
		a := &m.Accounts[i]
		b = strconv.AppendQuote(b[:0], a.ID)
		b = strconv.AppendInt(append(b, ' '), int64(a.Territory), 10)
		h.Write(append(b, '\n'))
	}
	for k := range m.Territories {
		t := &m.Territories[k]
		b = strconv.AppendQuote(b[:0], t.ID)
		b = strconv.AppendQuote(append(b, ' '), t.Rep)
		h.Write(append(b, '\n'))
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// encodeGraph writes the graph adj (every edge listed at both ends) as the
// page reads it: for every account i in order, the number of its
// neighbours j > i, then those neighbours in increasing order as gaps (the
// first j-i, then each from the one before), all as unsigned LEB128
// varints, the whole in standard base64. Each edge is written once; a
// Delaunay graph takes about 3 edges an account, 4 to 10 bytes of base64
// an account depending on how far apart neighbours are in the account
// order.
func encodeGraph(adj [][]int32) string {
	var buf []byte
	for i, nb := range adj {
		up := nb[sort.Search(len(nb), func(k int) bool { return int(nb[k]) > i }):]
		buf = binary.AppendUvarint(buf, uint64(len(up)))
		prev := i
		for _, j := range up {
			buf = binary.AppendUvarint(buf, uint64(int(j)-prev))
			prev = int(j)
		}
	}
	return base64.StdEncoding.EncodeToString(buf)
}

// newHTMLBasemap returns the outlines under a page drawn in projection p:
// those within a square around the map's data, three times the side L of
// its larger extent (the page zooms out to half the scale that fits the
// data), with coordinates rounded to the outlines' own thousandth of a
// degree. They are simplified in the projection's plane to L/2000 (half a
// pixel or less at the fitted scale) within L/4 of the data, and to L/400
// farther out, where they are seen only zoomed out. The coast is stroked
// along the land's rings, less their coastGaps. It returns nil for a
// planar map.
func newHTMLBasemap(m *Map, p *projection, bm Basemap) (*htmlBasemap, error) {
	if m.Space != territory.Geographic {
		return nil, nil
	}
	b := emptyBox()
	for pt := range m.points {
		b.add(p.project(pt))
	}
	if b.empty() {
		return nil, nil
	}
	side := math.Max(math.Max(b.width(), b.height()), 10) // km; as the page's smallest view
	cx, cy := (b.minX+b.maxX)/2, (b.minY+b.maxY)/2
	view := box{cx - 1.5*side, cy - 1.5*side, cx + 1.5*side, cy + 1.5*side}
	o, window, err := outlinesIn(m.Space, p, view)
	if err != nil || o == nil {
		return nil, err
	}
	inner := box{b.minX - side/4, b.minY - side/4, b.maxX + side/4, b.maxY + side/4}
	simplify := func(pts [][2]float64) []int { return simplifyZoned(pts, inner, side/2000, side/400) }
	part := func(ls []orb.Point, keep []int) coords {
		c := coords{prec: 3, v: make([]float64, 0, 2*len(keep))}
		for _, i := range keep {
			c.v = append(c.v, ls[i][0], ls[i][1])
		}
		return c
	}
	lines := func(in []orb.LineString) []coords {
		out := []coords{}
		for _, ls := range in {
			if keep := simplify(projectPart(p, ls)); len(keep) >= 2 {
				out = append(out, part(ls, keep))
			}
		}
		return out
	}
	hb := &htmlBasemap{Land: []coords{}, CoastGaps: [][]int{}, Borders: lines(o.Borders), States: lines(o.States), Lakes: lines(o.Lakes)}
	for _, r := range o.Land {
		r = alongSides(r, window)
		keep := simplify(projectPart(p, r))
		if len(keep) < 4 {
			continue
		}
		hb.Land = append(hb.Land, part(r, keep))
		hb.CoastGaps = append(hb.CoastGaps, coastGaps(r, keep, window))
	}
	if bm == BasemapOSM {
		hb.Tiles = osmTiles
	}
	return hb, nil
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
