package render

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"

	"github.com/territory-optimizer/territory/pkg/render/basemap"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// SVGOptions tunes WriteSVG. The zero value gives the defaults.
type SVGOptions struct {
	// Width and Height are the page size in px (the viewBox); 0 means
	// 1600 × 1000.
	Width, Height int
	// MaxDots is the largest number of account dots drawn; above it
	// every n-th account in id order is drawn (see the package
	// documentation). 0 means DefaultMaxDots; a negative value draws no
	// accounts.
	MaxDots int
	// Basemap is what is drawn under the territories of a geographic map:
	// the embedded outlines (the zero value, and for BasemapOSM too: the
	// SVG loads nothing) or nothing (BasemapNone).
	Basemap Basemap
}

// DefaultMaxDots is the number of account dots above which WriteSVG thins
// them: about 1 MB of SVG.
const DefaultMaxDots = 20000

// Page layout, in px.
const (
	svgMargin     = 24
	svgHeader     = 88 // title and subtitle above the map
	svgLegendW    = 340
	svgLegendRowH = 18
	svgMaxLabel   = 24 // runes of a rep name in a label or the legend
)

// WriteSVG writes m as a static, print-ready SVG map: territories filled
// in their colours and outlined, account dots, rep homes, territory
// labels, a legend, a scale bar and the title. The output depends only on
// m and opt: the same map gives the same bytes.
func WriteSVG(w io.Writer, m *Map, opt SVGOptions) error {
	pr, err := prepare(m)
	if err != nil {
		return err
	}
	s := newSVG(pr, opt)
	if opt.Basemap != BasemapNone {
		if s.outlines, _, err = outlinesIn(m.Space, &pr.proj, s.view()); err != nil {
			return err
		}
	}
	s.write()
	_, err = w.Write(s.buf.Bytes())
	return err
}

type svg struct {
	pr       *prepared
	m        *Map
	buf      bytes.Buffer
	w, h     float64
	maxDots  int
	mapX     float64 // the map area
	mapY     float64
	mapW     float64
	mapH     float64
	pg       page
	thinStep int // 1 in thinStep accounts drawn; 0 when none are
	hidden   int // labels left out because they would overlap
	anyHull  bool
	// outlines are the basemap's outlines in the view, in longitude and
	// latitude; nil when none are drawn.
	outlines *basemap.Outlines
}

func newSVG(pr *prepared, opt SVGOptions) *svg {
	s := &svg{pr: pr, m: pr.m, w: 1600, h: 1000, maxDots: opt.MaxDots}
	if opt.Width > 0 && opt.Height > 0 {
		s.w, s.h = float64(opt.Width), float64(opt.Height)
	}
	if s.maxDots == 0 {
		s.maxDots = DefaultMaxDots
	}
	s.mapX, s.mapY = svgMargin, svgHeader
	s.mapW = s.w - 3*svgMargin - svgLegendW
	s.mapH = s.h - svgHeader - svgMargin
	minSide := 1.0 // a map of one point shows 1 unit around it
	if pr.m.Space == territory.Geographic {
		minSide = 10 // km
	}
	s.pg = fit(pr.bounds, s.mapX, s.mapY, s.mapW, s.mapH, minSide)
	return s
}

func (s *svg) write() {
	b := &s.buf
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	wh := strconv.FormatFloat(s.w, 'f', -1, 64) + `" height="` + strconv.FormatFloat(s.h, 'f', -1, 64)
	vb := strconv.FormatFloat(s.w, 'f', -1, 64) + " " + strconv.FormatFloat(s.h, 'f', -1, 64)
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="` + wh + `" viewBox="0 0 ` + vb +
		`" font-family="Helvetica, Arial, sans-serif">` + "\n")
	b.WriteString("<title>")
	s.text(s.m.title())
	b.WriteString("</title>\n")
	b.WriteString(`<rect width="100%" height="100%" fill="#FFFFFF"/>` + "\n")
	s.basemap()
	s.territories()
	s.accounts()
	s.levels()
	s.homes()
	s.labels()
	s.header()
	s.scaleBar()
	s.credit()
	s.legend()
	b.WriteString("</svg>\n")
}

// num writes v with one digit after the point, never as -0.0.
func (s *svg) num(v float64) {
	if v > -0.05 && v < 0.05 {
		v = 0 // rounds to zero: write it without a sign
	}
	s.buf.Write(strconv.AppendFloat(s.buf.AvailableBuffer(), v, 'f', 1, 64))
}

// text writes s escaped for XML character data or an attribute value:
// & < > " ' and white space other than the space become references, and
// characters XML does not allow (control characters, invalid UTF-8)
// become U+FFFD.
func (s *svg) text(str string) {
	_ = xml.EscapeText(&s.buf, []byte(str)) // writing to a bytes.Buffer cannot fail
}

// pt writes a page position as "x y".
func (s *svg) pt(x, y float64) {
	s.num(x)
	s.buf.WriteByte(' ')
	s.num(y)
}

func (s *svg) territories() {
	b := &s.buf
	b.WriteString(`<g id="territories" stroke-linejoin="round">` + "\n")
	for k := range s.m.Territories {
		t := &s.m.Territories[k]
		col := s.pr.color(k)
		start := b.Len()
		b.WriteString(`<path d="`)
		n := 0
		if hull := s.pr.hulls[k]; hull != nil {
			if len(hull) >= 3 {
				pts := make([][2]float64, len(hull))
				for i, a := range hull {
					pts[i] = s.pr.xy[a]
				}
				n = s.ring(pts)
			}
			b.WriteString(`" fill="` + col + `" fill-opacity="0.15" stroke="` + col + `" stroke-width="1.5" stroke-dasharray="5 3">`)
			s.anyHull = true
		} else {
			for _, poly := range t.Boundary {
				for _, ring := range poly {
					pts := make([][2]float64, len(ring))
					for i, p := range ring {
						pts[i][0], pts[i][1] = s.pr.proj.project(territory.Point{X: p[0], Y: p[1]})
					}
					n += s.ring(pts)
				}
			}
			b.WriteString(`" fill="` + col + `" fill-opacity="0.3" fill-rule="evenodd" stroke="#333333" stroke-width="0.8">`)
		}
		if n == 0 {
			b.Truncate(start) // nothing to draw
			continue
		}
		b.WriteString("<title>")
		s.text(tooltip(t))
		b.WriteString("</title></path>\n")
	}
	b.WriteString("</g>\n")
}

// levelWidth is the width in px of the borders of level l (0 for the
// first level above the territories, districts): 2 px, and 2.5 px more
// for every level above, so that a region's border stands out from a
// district's.
func levelWidth(l int) float64 { return 2 + 2.5*float64(l) }

// levelColor is the colour of the level borders: near black, over the
// territories' outlines (#333333, 0.8 px) and their fills.
const levelColor = "#1A1A1A"

// levels outlines the parents of every level (districts, regions) over
// the territories and their accounts, one path per parent with its id as
// the tooltip: the highest level first and widest, so that every border
// shows the width of the highest level it separates.
func (s *svg) levels() {
	if len(s.m.Levels) == 0 {
		return
	}
	b := &s.buf
	b.WriteString(`<g id="levels" fill="none" stroke="` + levelColor + `" stroke-linejoin="round">` + "\n")
	for l := len(s.m.Levels) - 1; l >= 0; l-- {
		lv := &s.m.Levels[l]
		b.WriteString(`<g class="level" stroke-width="`)
		s.num(levelWidth(l))
		b.WriteString(`">` + "\n")
		for p, mp := range lv.Boundaries {
			start := b.Len()
			b.WriteString(`<path d="`)
			n := 0
			for _, poly := range mp {
				for _, ring := range poly {
					pts := make([][2]float64, len(ring))
					for i, pt := range ring {
						pts[i][0], pts[i][1] = s.pr.proj.project(territory.Point{X: pt[0], Y: pt[1]})
					}
					n += s.ring(pts)
				}
			}
			if n == 0 {
				b.Truncate(start)
				continue
			}
			b.WriteString(`"><title>`)
			s.text(capitalized(lv.Name) + " " + lv.IDs[p])
			b.WriteString("</title></path>\n")
		}
		b.WriteString("</g>\n")
	}
	b.WriteString("</g>\n")
}

// view is the map area in projected coordinates.
func (s *svg) view() box {
	return box{
		minX: s.pg.minX + (s.mapX-s.pg.ox)/s.pg.scale,
		maxX: s.pg.minX + (s.mapX+s.mapW-s.pg.ox)/s.pg.scale,
		minY: s.pg.maxY - (s.mapY+s.mapH-s.pg.oy)/s.pg.scale,
		maxY: s.pg.maxY - (s.mapY-s.pg.oy)/s.pg.scale,
	}
}

// Basemap styles: water, land, coast, the borders of states and those of
// countries. Faint, so that the territories stand out.
const (
	waterColor   = "#EAF0F4"
	landColor    = "#FCFBF8"
	coastColor   = "#9CB3C3"
	stateColor   = "#918C84"
	borderColor  = "#6F6A62"
	basemapSimpl = 0.25 // px: the Douglas-Peucker tolerance on the page
)

// basemap draws the outlines under the territories: the map area in the
// colour of water, the land over it, then the coast and the borders,
// each layer one path, clipped to the map area and simplified to a
// quarter of a pixel.
func (s *svg) basemap() {
	o := s.outlines
	if o == nil {
		return
	}
	b := &s.buf
	b.WriteString(`<g id="basemap" fill="none" stroke-linejoin="round" stroke-linecap="round">` + "\n")
	b.WriteString(`<rect x="`)
	s.num(s.mapX)
	b.WriteString(`" y="`)
	s.num(s.mapY)
	b.WriteString(`" width="`)
	s.num(s.mapW)
	b.WriteString(`" height="`)
	s.num(s.mapH)
	b.WriteString(`" fill="` + waterColor + `"/>` + "\n")
	area := orb.Bound{Min: orb.Point{s.mapX, s.mapY}, Max: orb.Point{s.mapX + s.mapW, s.mapY + s.mapH}}
	layer := func(attrs string, parts []orb.LineString, closed bool) {
		start := b.Len()
		b.WriteString(`<path ` + attrs + ` d="`)
		n := 0
		for _, part := range parts {
			pts := s.onPage(part)
			if closed {
				r := clip.Ring(area, orb.Ring(pts))
				if len(r) >= 4 {
					n += s.pagePath(r, true)
				}
				continue
			}
			for _, piece := range clip.LineString(area, pts) {
				n += s.pagePath(piece, false)
			}
		}
		if n == 0 {
			b.Truncate(start)
			return
		}
		b.WriteString(`"/>` + "\n")
	}
	land := make([]orb.LineString, len(o.Land))
	for i, r := range o.Land {
		land[i] = orb.LineString(r)
	}
	layer(`fill="`+landColor+`" fill-rule="evenodd"`, land, true)
	layer(`stroke="`+coastColor+`" stroke-width="0.7"`, append(slices.Clip(o.Coast), o.Lakes...), false)
	layer(`stroke="`+stateColor+`" stroke-width="0.9"`, o.States, false)
	layer(`stroke="`+borderColor+`" stroke-width="1"`, o.Borders, false)
	b.WriteString("</g>\n")
}

// onPage projects the points of a basemap part onto the page.
func (s *svg) onPage(part []orb.Point) orb.LineString {
	out := make(orb.LineString, len(part))
	for i, p := range part {
		x, y := s.pr.proj.project(territory.Point{X: p[0], Y: p[1]})
		out[i][0], out[i][1] = s.pg.at(x, y)
	}
	return out
}

// pagePath writes points of the page as path data, simplified to
// basemapSimpl, leaving out points that round to the previous one;
// closed paths end with Z. It returns the number of points written (0
// when too few remain to draw).
func (s *svg) pagePath(pts []orb.Point, closed bool) int {
	pp := make([][2]float64, len(pts))
	for i, p := range pts {
		pp[i] = p
	}
	type px struct{ x, y int64 }
	var out []px
	for _, i := range simplifyPath(pp, basemapSimpl) {
		q := px{int64(math.Round(pp[i][0] * 10)), int64(math.Round(pp[i][1] * 10))}
		if len(out) > 0 && out[len(out)-1] == q {
			continue
		}
		out = append(out, q)
	}
	if closed && len(out) > 1 && out[0] == out[len(out)-1] {
		out = out[:len(out)-1]
	}
	if len(out) < 2 || closed && len(out) < 3 {
		return 0
	}
	for i, q := range out {
		switch i {
		case 0:
			s.buf.WriteByte('M')
		case 1:
			s.buf.WriteByte('L')
		default:
			s.buf.WriteByte(' ')
		}
		s.pt(float64(q.x)/10, float64(q.y)/10)
	}
	if closed {
		s.buf.WriteByte('Z')
	}
	return len(out)
}

// credit names the sources of the basemap at the map's lower right.
func (s *svg) credit() {
	if s.outlines == nil {
		return
	}
	b := &s.buf
	b.WriteString(`<text x="`)
	s.num(s.mapX + s.mapW - 6)
	b.WriteString(`" y="`)
	s.num(s.mapY + s.mapH - 6)
	b.WriteString(`" font-size="11" fill="#666666" text-anchor="end">`)
	s.text(outlinesCredit)
	b.WriteString("</text>\n")
}

// ring writes a closed ring of projected points as path data, leaving out
// points that round to the previous one, and returns the number of
// points written (0 when fewer than three remain).
func (s *svg) ring(pts [][2]float64) int {
	type px struct{ x, y int64 }
	var out []px
	for _, p := range pts {
		x, y := s.pg.at(p[0], p[1])
		q := px{int64(math.Round(x * 10)), int64(math.Round(y * 10))}
		if len(out) > 0 && out[len(out)-1] == q {
			continue
		}
		out = append(out, q)
	}
	if len(out) > 1 && out[0] == out[len(out)-1] {
		out = out[:len(out)-1]
	}
	if len(out) < 3 {
		return 0
	}
	for i, q := range out {
		if i == 0 {
			s.buf.WriteByte('M')
		} else if i == 1 {
			s.buf.WriteByte('L')
		} else {
			s.buf.WriteByte(' ')
		}
		s.pt(float64(q.x)/10, float64(q.y)/10)
	}
	s.buf.WriteByte('Z')
	return len(out)
}

// tooltip is a territory's name and statistics, one per line.
func tooltip(t *Territory) string {
	var b strings.Builder
	b.WriteString(t.ID)
	if r := repLabel(t.Rep, t.Name); r != "" {
		b.WriteString(" — " + r)
	}
	for _, st := range t.Stats {
		b.WriteString("\n" + st.Label + ": " + st.Value)
	}
	return b.String()
}

// accounts draws the account dots, one group per territory. Above
// maxDots accounts, every thinStep-th account in id order is drawn.
func (s *svg) accounts() {
	m := s.m
	n := len(m.Accounts)
	if n == 0 || s.maxDots < 0 {
		return
	}
	keep := thin(m.Accounts, s.maxDots)
	s.thinStep = (n + s.maxDots - 1) / s.maxDots
	drawn := n
	if keep != nil {
		drawn = 0
		for _, k := range keep {
			if k {
				drawn++
			}
		}
	}
	r := math.Min(3, math.Max(1, 80/math.Sqrt(float64(drawn))))
	b := &s.buf
	b.WriteString(`<g id="accounts">` + "\n")
	for k, members := range s.pr.members {
		if len(members) == 0 {
			continue
		}
		b.WriteString(`<g fill="` + s.pr.color(k) + `">`)
		for _, i := range members {
			if keep != nil && !keep[i] {
				continue
			}
			x, y := s.pg.at(s.pr.xy[i][0], s.pr.xy[i][1])
			b.WriteString(`<circle cx="`)
			s.num(x)
			b.WriteString(`" cy="`)
			s.num(y)
			b.WriteString(`" r="`)
			s.num(r)
			b.WriteString(`"/>`)
		}
		b.WriteString("</g>\n")
	}
	b.WriteString("</g>\n")
}

// thin returns nil when every account is to be drawn (at most maxDots of
// them), else which ones are: with step = ceil(n/maxDots), the accounts
// at positions 0, step, 2·step, ... of the id order
// ([territory.CompareIDs], ties by input order), so that the choice does
// not depend on the input order or on the plan.
func thin(accts []Account, maxDots int) []bool {
	n := len(accts)
	if n <= maxDots {
		return nil
	}
	step := (n + maxDots - 1) / maxDots
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		if c := territory.CompareIDs(accts[a].ID, accts[b].ID); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	keep := make([]bool, n)
	for j := 0; j < n; j += step {
		keep[order[j]] = true
	}
	return keep
}

func (s *svg) homes() {
	if len(s.m.Homes) == 0 {
		return
	}
	b := &s.buf
	b.WriteString(`<g id="homes" stroke="#000000" stroke-width="1.2" stroke-linejoin="round">` + "\n")
	for i := range s.m.Homes {
		h := &s.m.Homes[i]
		px, py := s.pr.proj.project(h.Loc)
		x, y := s.pg.at(px, py)
		b.WriteString(`<path d="M`)
		s.pt(x, y-7)
		b.WriteString(`l7 7-7 7-7-7z" fill="` + s.pr.color(h.Territory) + `"><title>`)
		s.text("Home of " + repLabel(h.Rep, h.Name))
		b.WriteString("</title></path>\n")
	}
	b.WriteString("</g>\n")
}

// labelFontSize is the label size for k territories: 22 px for 5 or
// fewer, shrinking with the fourth root of k down to 8 px (1,000
// territories get 8 px, 25 get 16 px).
func labelFontSize(k int) float64 {
	return math.Round(math.Min(22, math.Max(8, 36/math.Pow(float64(max(k, 1)), 0.25))))
}

// labels writes the territory ids at their label points (Territory.Label),
// with the rep's name below when there are at most 40 territories. Labels
// are placed largest territory first (by accounts, then index); one at the edge of the map
// area is moved in (by at most its size), and one that would overlap a
// label already placed, or still leave the map area, is left out.
func (s *svg) labels() {
	m := s.m
	k := len(m.Territories)
	if k == 0 {
		return
	}
	fs := labelFontSize(k)
	names := k <= 40
	order := make([]int, k)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Compare(len(s.pr.members[b]), len(s.pr.members[a]))
	})
	type placed struct {
		k        int
		x, y     float64
		name     string
		lo, hi   [2]float64
		nameSize float64
	}
	var done []placed
	const pad = 2
	for _, t := range order {
		tt := &m.Territories[t]
		px, py := s.pr.proj.project(tt.labelAt())
		x, y := s.pg.at(px, py)
		w := textWidth(tt.ID, fs, true)
		h := fs
		name := ""
		nameSize := math.Round(fs * 0.75)
		if names {
			name = truncate(tt.Name, svgMaxLabel)
			if name != "" {
				w = math.Max(w, textWidth(name, nameSize, false))
				h += nameSize + 2
			}
		}
		// A label at the edge of the map is moved in, up to its own size.
		bw, bh := w+2*pad, h+2*pad
		lx := min(max(x-w/2-pad, s.mapX), s.mapX+s.mapW-bw)
		ly := min(max(y-fs*0.8-pad, s.mapY), s.mapY+s.mapH-bh)
		ok := math.Abs(lx-(x-w/2-pad)) <= bw && math.Abs(ly-(y-fs*0.8-pad)) <= bh &&
			lx >= s.mapX && ly >= s.mapY
		x, y = lx+w/2+pad, ly+fs*0.8+pad
		lo := [2]float64{lx, ly}
		hi := [2]float64{lx + bw, ly + bh}
		for _, d := range done {
			if !ok {
				break
			}
			if lo[0] < d.hi[0] && d.lo[0] < hi[0] && lo[1] < d.hi[1] && d.lo[1] < hi[1] {
				ok = false
			}
		}
		if !ok {
			s.hidden++
			continue
		}
		done = append(done, placed{t, x, y, name, lo, hi, nameSize})
	}
	slices.SortFunc(done, func(a, b placed) int { return cmp.Compare(a.k, b.k) })
	b := &s.buf
	b.WriteString(`<g id="labels" text-anchor="middle" fill="#111111" stroke="#FFFFFF" stroke-width="3" stroke-linejoin="round" paint-order="stroke" font-size="`)
	s.num(fs)
	b.WriteString(`">` + "\n")
	for _, d := range done {
		b.WriteString(`<text x="`)
		s.num(d.x)
		b.WriteString(`" y="`)
		s.num(d.y)
		b.WriteString(`" font-weight="bold">`)
		s.text(m.Territories[d.k].ID)
		b.WriteString("</text>")
		if d.name != "" {
			b.WriteString(`<text x="`)
			s.num(d.x)
			b.WriteString(`" y="`)
			s.num(d.y + d.nameSize + 2)
			b.WriteString(`" font-size="`)
			s.num(d.nameSize)
			b.WriteString(`">`)
			s.text(d.name)
			b.WriteString("</text>")
		}
		b.WriteByte('\n')
	}
	b.WriteString("</g>\n")
}

// textWidth estimates the width of s in Helvetica at size px: 0.6 em a
// character (0.66 bold), a little more than the font's average, so that
// estimated boxes rather overlap than labels.
func textWidth(s string, size float64, bold bool) float64 {
	em := 0.6
	if bold {
		em = 0.66
	}
	return float64(utf8.RuneCountInString(s)) * em * size
}

// truncate shortens s to at most n runes, ending it with "…" when cut.
func truncate(s string, n int) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

func (s *svg) header() {
	b := &s.buf
	b.WriteString(`<text x="`)
	s.num(svgMargin)
	b.WriteString(`" y="46" font-size="28" font-weight="bold" fill="#111111">`)
	s.text(truncate(s.m.title(), 90))
	b.WriteString("</text>\n")
	b.WriteString(`<text x="`)
	s.num(svgMargin)
	b.WriteString(`" y="72" font-size="15" fill="#555555">`)
	sub := s.m.subtitle()
	switch s.pr.proj.kind {
	case albers:
		sub += " · Albers equal-area projection"
	case cylindrical:
		sub += " · cylindrical equal-area projection"
	}
	s.text(sub)
	b.WriteString("</text>\n")
}

// scaleBar draws a bar of a round length (1, 2 or 5 times a power of ten)
// of at most a quarter of the map's width, at the map's lower left.
func (s *svg) scaleBar() {
	perUnit := s.pg.scale // px per projected unit (km or the map's unit)
	if !(perUnit > 0) || math.IsInf(perUnit, 0) {
		return
	}
	length := roundLength(s.mapW / 4 / perUnit)
	px := length * perUnit
	x0, y0 := s.mapX+10, s.mapY+s.mapH-12
	b := &s.buf
	b.WriteString(`<g id="scale" font-size="13" fill="#111111">` + "\n")
	b.WriteString(`<path d="M`)
	s.pt(x0, y0-6)
	b.WriteString(`v6h`)
	s.num(px)
	b.WriteString(`v-6" fill="none" stroke="#111111" stroke-width="1.5"/>` + "\n")
	b.WriteString(`<text x="`)
	s.num(x0 + px/2)
	b.WriteString(`" y="`)
	s.num(y0 - 10)
	b.WriteString(`" text-anchor="middle">`)
	s.text(lengthLabel(length, s.m.unit()))
	b.WriteString("</text>\n</g>\n")
}

// roundLength is the largest of 1, 2 and 5 times a power of ten that is
// at most v.
func roundLength(v float64) float64 {
	if !(v > 0) {
		return 0
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, f := range []float64{5, 2, 1} {
		if f*p <= v*(1+1e-9) {
			return f * p
		}
	}
	return p
}

// lengthLabel writes a scale bar length: "500 km", "200 m" for less than
// a kilometre, "0.05 units".
func lengthLabel(v float64, unit string) string {
	if unit == "km" && v < 1 {
		return grouped(v*1000, 3) + " m"
	}
	return grouped(v, 6) + " " + unit
}

func (s *svg) legend() {
	m := s.m
	b := &s.buf
	x := s.w - svgMargin - svgLegendW
	y := float64(svgHeader)
	b.WriteString(`<g id="legend" font-size="13" fill="#111111">` + "\n")
	b.WriteString(`<text x="`)
	s.num(x)
	b.WriteString(`" y="`)
	s.num(y + 14)
	b.WriteString(`" font-size="16" font-weight="bold">Territories</text>` + "\n")
	y += 26

	// The key to the symbols takes the bottom of the column.
	var keys []string
	if len(m.Accounts) > 0 && s.maxDots >= 0 {
		k := "Account"
		if s.thinStep > 1 {
			k += " (1 in " + grouped(float64(s.thinStep), 0) + " shown)"
		}
		keys = append(keys, "dot:"+k)
	}
	if len(m.Homes) > 0 {
		keys = append(keys, "home:Rep home")
	}
	for l := range m.Levels {
		keys = append(keys, "level"+strconv.Itoa(l)+":"+capitalized(m.Levels[l].Name)+" border")
	}
	if s.anyHull {
		keys = append(keys, "hull:Hull of a territory's accounts")
	}
	if s.hidden > 0 {
		keys = append(keys, "note:"+plural(s.hidden, "label", "labels")+" left out where labels would overlap")
	}
	bottom := s.h - svgMargin - float64(len(keys))*svgLegendRowH - 8

	rows := int((bottom - y) / svgLegendRowH)
	k := len(m.Territories)
	shown := k
	if k > rows {
		shown = max(rows-1, 0)
	}
	for t := range shown {
		tt := &m.Territories[t]
		ry := y + float64(t)*svgLegendRowH
		b.WriteString(`<rect x="`)
		s.num(x)
		b.WriteString(`" y="`)
		s.num(ry)
		b.WriteString(`" width="14" height="12" fill="` + s.pr.color(t) + `" stroke="#333333" stroke-width="0.5"/><text x="`)
		s.num(x + 20)
		b.WriteString(`" y="`)
		s.num(ry + 11)
		b.WriteString(`">`)
		s.text(truncate(tt.ID, 12))
		if r := repLabel(tt.Rep, tt.Name); r != "" {
			s.text("  " + truncate(r, 34))
		}
		b.WriteString(`</text><text x="`)
		s.num(x + svgLegendW)
		b.WriteString(`" y="`)
		s.num(ry + 11)
		b.WriteString(`" text-anchor="end" fill="#555555">`)
		s.text(grouped(float64(len(s.pr.members[t])), 0))
		b.WriteString("</text>\n")
	}
	if shown < k {
		b.WriteString(`<text x="`)
		s.num(x + 20)
		b.WriteString(`" y="`)
		s.num(y + float64(shown)*svgLegendRowH + 11)
		b.WriteString(`" fill="#555555">`)
		s.text("… and " + grouped(float64(k-shown), 0) + " more")
		b.WriteString("</text>\n")
	}

	ky := bottom + 8
	for _, key := range keys {
		kind, label, _ := strings.Cut(key, ":")
		cx, cy := x+7, ky+6
		switch {
		case kind == "dot":
			b.WriteString(`<circle cx="`)
			s.num(cx)
			b.WriteString(`" cy="`)
			s.num(cy)
			b.WriteString(`" r="2.5" fill="#555555"/>`)
		case kind == "home":
			b.WriteString(`<path d="M`)
			s.pt(cx, cy-6)
			b.WriteString(`l6 6-6 6-6-6z" fill="#FFFFFF" stroke="#000000" stroke-width="1.2"/>`)
		case strings.HasPrefix(kind, "level"):
			l, _ := strconv.Atoi(strings.TrimPrefix(kind, "level"))
			b.WriteString(`<path d="M`)
			s.pt(x, cy)
			b.WriteString(`h14" stroke="` + levelColor + `" stroke-width="`)
			s.num(levelWidth(l))
			b.WriteString(`"/>`)
		case kind == "hull":
			b.WriteString(`<path d="M`)
			s.pt(x, cy)
			b.WriteString(`h14" stroke="#555555" stroke-width="1.5" stroke-dasharray="5 3"/>`)
		}
		b.WriteString(`<text x="`)
		s.num(x + 20)
		b.WriteString(`" y="`)
		s.num(ky + 11)
		b.WriteString(`">`)
		s.text(label)
		b.WriteString("</text>\n")
		ky += svgLegendRowH
	}
	b.WriteString("</g>\n")
}
