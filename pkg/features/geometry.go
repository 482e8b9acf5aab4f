package features

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/paulmach/orb"

	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// decodeGeometry decodes and checks the geometry of feature f, setting
// its kind, point or geometry, and returns the geometry type as written.
// The coordinates are decoded here rather than by orb/geojson so that
// every problem can be reported precisely: orb/geojson reads a position of
// one number as [x, 0] and reports an unsupported type without naming it.
//
// pts is a buffer the rings of all features are cut from, so that a
// file's positions take a few large allocations.
func decodeGeometry(raw json.RawMessage, f *feature, pts *[]orb.Point, p *problems) string {
	if isNull(raw) {
		p.Add(f.row, "", "missing geometry (expected a Point, Polygon or MultiPolygon)")
		return ""
	}
	if k := rawKind(raw); k != "an object" {
		p.Addf(f.row, "", "the geometry is %s, not a JSON object", k)
		return ""
	}
	var doc struct{ Type, Coordinates json.RawMessage }
	members(raw, func(key string, val []byte) {
		switch key {
		case "type":
			doc.Type = val
		case "coordinates":
			doc.Coordinates = val
		}
	})
	typ, isString := literal(doc.Type).(string)
	if !isString {
		p.Add(f.row, "", `the geometry has no "type" string (expected "Point", "Polygon" or "MultiPolygon")`)
		return ""
	}
	var depth int // array levels above a position
	switch typ {
	case "Point":
		depth = 0
	case "Polygon":
		depth = 2
	case "MultiPolygon":
		depth = 3
	default:
		p.Addf(f.row, "", "unsupported geometry type %q (expected Point, Polygon or MultiPolygon)", typ)
		return typ
	}
	if isNull(doc.Coordinates) {
		p.Addf(f.row, "", "the %s has no coordinates", typ)
		return typ
	}
	bad := func(msg string) string {
		p.Addf(f.row, "", "invalid %s coordinates: %s", typ, msg)
		return typ
	}
	switch typ {
	case "Point":
		cp := coordParser{b: doc.Coordinates}
		var pos []float64
		if cp.position() && cp.end() {
			pos = cp.pts[0][:]
		} else if json.Unmarshal(doc.Coordinates, &pos) != nil {
			return bad(coordinatesProblem(doc.Coordinates, depth))
		}
		if msg := checkPosition(pos, true); msg != "" {
			p.Add(f.row, "", msg)
			return typ
		}
		f.point, f.kind = orb.Point{pos[0], pos[1]}, kindPoint
	case "Polygon", "MultiPolygon":
		if len(*pts) >= maxPositions {
			return typ // reported at the feature that reached the limit
		}
		var polys [][][][]float64 // only when the fast parser refused them
		start := len(*pts)
		cp := coordParser{b: doc.Coordinates, pts: *pts, limit: min(start+maxFeaturePositions, maxPositions)}
		mp, ok := cp.multiPolygon(typ == "MultiPolygon")
		*pts = cp.pts
		switch {
		case cp.over && len(cp.pts) == maxPositions && start+maxFeaturePositions > maxPositions:
			// The file's limit: pts stays full, so that the polygons after
			// this one are not read.
			p.Addf(f.row, "", "the polygons up to this %s have more than %s positions in all, more than this reader accepts: simplify them (%s)",
				typ, formatCount(maxPositions), simplifyHint)
			return typ
		case cp.over, !ok && bytes.Count(doc.Coordinates, []byte("[")) > maxFeaturePositions:
			// Too many positions, or malformed and too large to decode
			// the slow way.
			*pts = (*pts)[:start]
			p.Addf(f.row, "", "the %s has more than %s positions, more than this reader accepts: simplify it (%s)",
				typ, formatCount(maxFeaturePositions), simplifyHint)
			return typ
		}
		if !ok {
			if typ == "Polygon" {
				var rings [][][]float64
				if json.Unmarshal(doc.Coordinates, &rings) != nil {
					return bad(coordinatesProblem(doc.Coordinates, depth))
				}
				polys = [][][][]float64{rings}
			} else if json.Unmarshal(doc.Coordinates, &polys) != nil {
				return bad(coordinatesProblem(doc.Coordinates, depth))
			}
			mp = make(orb.MultiPolygon, len(polys))
			for i, rings := range polys {
				mp[i] = make(orb.Polygon, len(rings))
				for j, ring := range rings {
					mp[i][j] = make(orb.Ring, len(ring))
					for k, pos := range ring {
						if len(pos) >= 2 {
							mp[i][j][k] = orb.Point{pos[0], pos[1]}
						}
					}
				}
			}
		}
		if typ == "MultiPolygon" && len(mp) == 0 {
			p.Add(f.row, "", "the MultiPolygon has no polygons")
			return typ
		}
		good := true
		kept := mp[:0:0]
		dropped := false // a hole of a polygon kept
		where := func(i int) string {
			if typ == "MultiPolygon" {
				return fmt.Sprintf("polygon %d", i+1)
			}
			return ""
		}
		// A polygon whose outer ring encloses nothing is dropped. A unit
		// with nothing else is kept as it is, with no area, at the mean of
		// its positions, for its neighbours: real files have such units
		// (a small city simplified to a sliver).
		anyArea := slices.ContainsFunc(mp, func(poly orb.Polygon) bool { return len(poly) > 0 && !collapsed(poly[0]) })
		for i, poly := range mp {
			var raw [][][]float64
			if polys != nil {
				raw = polys[i]
			}
			rings, ok := checkPolygon(poly, raw, where(i), f.row, p)
			switch {
			case !ok:
				good = false
			case rings == nil:
				name, then := "ring 1", "the unit has no area, and is located at the mean of its positions"
				if w := where(i); w != "" {
					name = w + ", ring 1"
					if anyArea {
						then = w + " is dropped from the unit's outline"
					}
				}
				p.warn(f.row, "", fmt.Sprintf("%s %s: %s", name, collapsedMsg(len(poly[0])), then))
			default:
				kept = append(kept, rings)
				dropped = dropped || len(rings) != len(poly)
			}
		}
		if !good {
			return typ
		}
		if len(kept) == 0 {
			kept, dropped = mp, false
		}
		f.kind = kindPolygon
		if typ == "Polygon" {
			f.geom = kept[0]
		} else {
			f.geom = kept
		}
		if dropped || len(kept) != len(mp) {
			// Neighbours are found from the rings as read.
			f.read = mp
			if typ == "Polygon" {
				f.read = mp[0]
			}
		}
	}
	return typ
}

// coordinatesProblem says why coordinates that did not decode as depth
// levels of arrays above [longitude, latitude] positions are wrong.
func coordinatesProblem(raw json.RawMessage, depth int) string {
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if dec.Decode(&v) != nil {
		return "not valid JSON"
	}
	expected := [...]string{
		"a position [longitude, latitude]",
		"an array of positions",
		"an array of rings, each an array of positions",
		"an array of polygons, each an array of rings",
	}
	var walk func(v any, d int) string
	walk = func(v any, d int) string {
		arr, ok := v.([]any)
		if !ok {
			return fmt.Sprintf("found %s where %s was expected", jsonKind(v), expected[d])
		}
		for _, e := range arr {
			if d > 0 {
				if msg := walk(e, d-1); msg != "" {
					return msg
				}
				continue
			}
			n, ok := e.(json.Number)
			if !ok {
				return fmt.Sprintf("found %s in a position (expected numbers: [longitude, latitude])", jsonKind(e))
			}
			if x, st := territory.ParseNumber(n.String(), false); st != territory.NumberOK || math.IsInf(x, 0) {
				return fmt.Sprintf("coordinate %s is not a finite number", n)
			}
		}
		return ""
	}
	if msg := walk(v, depth); msg != "" {
		return msg
	}
	return "expected " + expected[depth]
}

// checkPosition reports what is wrong with a position, or "". hint adds
// a hint when latitude and longitude look swapped (for points, which
// people write by hand).
func checkPosition(pos []float64, hint bool) string {
	if len(pos) < 2 {
		return fmt.Sprintf("position %s has %s (expected [longitude, latitude])", formatPosition(pos), plural(len(pos), "number"))
	}
	lon, lat := pos[0], pos[1]
	switch {
	case !territory.Finite(lon) || !territory.Finite(lat):
		return fmt.Sprintf("position %s is not finite", formatPosition(pos))
	case lon < -180 || lon > 180:
		return fmt.Sprintf("longitude %s is not between -180 and 180", formatValue(lon))
	case lat < -90 || lat > 90:
		h := ""
		if hint && lon >= -90 && lon <= 90 && lat >= -180 && lat <= 180 {
			h = " (GeoJSON positions are [longitude, latitude]: are they swapped?)"
		}
		return fmt.Sprintf("latitude %s is not between -90 and 90%s", formatValue(lat), h)
	}
	return ""
}

func formatPosition(pos []float64) string {
	b := []byte{'['}
	for i, v := range pos {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, formatValue(v)...)
	}
	return string(append(b, ']'))
}

// checkPolygon checks the rings of one polygon; where names the polygon
// in a MultiPolygon ("polygon 2"), "" for a Polygon. raw holds the
// positions as decoded when they may have fewer than two numbers, nil
// when they are known to have at least two. It returns the polygon to
// keep: without the rings that enclose nothing (closed rings of two or
// three positions, which simplified files have where an island or a
// sliver collapsed) and without the holes that cross their outer ring or
// lie outside it, each with a warning; nil when its outer ring encloses
// nothing, for the caller to drop (or keep, when nothing else is left).
// ok is false when a ring is wrong, which is an error.
func checkPolygon(poly orb.Polygon, raw [][][]float64, where string, row int, p *problems) (kept orb.Polygon, ok bool) {
	if len(poly) == 0 {
		if where == "" {
			p.Add(row, "", "the Polygon has no rings")
		} else {
			p.Add(row, "", where+" has no rings")
		}
		return nil, false
	}
	ok = true
	ringName := func(j int) string {
		if where != "" {
			return fmt.Sprintf("%s, ring %d", where, j+1)
		}
		return fmt.Sprintf("ring %d", j+1)
	}
	for j, ring := range poly {
		var rawRing [][]float64
		if raw != nil {
			rawRing = raw[j]
		}
		if msg := checkRing(ring, rawRing); msg != "" {
			p.Add(row, "", ringName(j)+msg)
			ok = false
		}
	}
	if !ok {
		return nil, false
	}
	if collapsed(poly[0]) {
		return nil, true // the caller says what becomes of it
	}
	kept = poly[:1:1]
	for j, hole := range poly[1:] {
		j++
		if collapsed(hole) {
			p.warn(row, "", fmt.Sprintf("%s %s: it is dropped from the unit's outline", ringName(j), collapsedMsg(len(hole))))
			continue
		}
		if msg := holeProblem(poly[0], hole); msg != "" {
			p.warn(row, "", fmt.Sprintf("%s, a hole, %s: it is dropped from the unit's outline (the area and the centre are the outer ring's)", ringName(j), msg))
			continue
		}
		kept = append(kept, hole)
	}
	return kept, true
}

// collapsed reports whether a closed ring has two or three positions: it
// encloses nothing.
func collapsed(r orb.Ring) bool { return len(r) >= 2 && len(r) < 4 && r[0] == r[len(r)-1] }

// collapsedMsg says that a closed ring of n positions encloses nothing.
func collapsedMsg(n int) string {
	return fmt.Sprintf("has only %d positions, which enclose nothing (a ring needs at least 4, the last repeating the first)", n)
}

// checkRing checks a linear ring; the message, when not empty, follows
// the ring's name. raw, when not nil, holds the positions as decoded. A
// closed ring of two or three positions passes (checkPolygon drops it).
func checkRing(r orb.Ring, raw [][]float64) string {
	if len(r) < 4 && !collapsed(r) {
		return fmt.Sprintf(" has %s (expected at least 4, the last repeating the first)", plural(len(r), "position"))
	}
	for k, pt := range r {
		pos := pt[:]
		if raw != nil {
			pos = raw[k]
		}
		if msg := checkPosition(pos, false); msg != "" {
			return fmt.Sprintf(", position %d: %s", k+1, msg)
		}
	}
	if first, last := r[0], r[len(r)-1]; first != last {
		return fmt.Sprintf(" is not closed (it starts at %s and ends at %s; the last position must repeat the first)",
			formatPosition(first[:]), formatPosition(last[:]))
	}
	if at, bad := selfIntersection(r); bad {
		return fmt.Sprintf(" intersects itself near %s", formatPosition([]float64{roundTo(at[0], 1e7), roundTo(at[1], 1e7)}))
	}
	return ""
}

func roundTo(v, scale float64) float64 { return math.Round(v*scale) / scale }

// maxPairTests bounds the work of the self-intersection check of one
// ring: a ring whose check would test more pairs of segments than this is
// not checked (real rings need a few per segment).
const maxPairTests = 1 << 24

// selfIntersection reports whether two non-adjacent edges of a closed
// ring cross, cutting off a loop that holds more than maxTwist of the
// ring's area, and where. Edges that merely touch at a point (a ring pinched
// at a vertex) or run along each other (a spike) are accepted, as are
// repeated positions: simplified real-world files have them, and they do
// not make the area or the centroid ambiguous as a crossing does. Edges are swept in order of their
// smallest longitude, so only edges whose longitude ranges overlap are
// tested.
func selfIntersection(r orb.Ring) (orb.Point, bool) {
	// The non-degenerate edges, relative to the first position.
	o := r[0]
	type edge struct {
		a, b       orb.Point
		minX, maxX float64
		seq        int // among the non-degenerate edges
		k          int // the edge runs from r[k] to r[k+1]
	}
	edges := make([]edge, 0, len(r))
	for k := 0; k+1 < len(r); k++ {
		a := orb.Point{r[k][0] - o[0], r[k][1] - o[1]}
		b := orb.Point{r[k+1][0] - o[0], r[k+1][1] - o[1]}
		if a == b {
			continue
		}
		edges = append(edges, edge{a: a, b: b, minX: min(a[0], b[0]), maxX: max(a[0], b[0]), seq: len(edges), k: k})
	}
	m := len(edges)
	if m < 3 {
		return orb.Point{}, false
	}
	order := make([]int32, m)
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(i, j int32) int {
		if c := cmpFloat(edges[i].minX, edges[j].minX); c != 0 {
			return c
		}
		return int(i - j)
	})
	tests := 0
	var total *float64 // the ring's signed area, once needed
	for x, i := range order {
		e := edges[i]
		for _, j := range order[x+1:] {
			f := edges[j]
			if f.minX > e.maxX {
				break
			}
			if tests++; tests > maxPairTests {
				return orb.Point{}, false
			}
			d := e.seq - f.seq
			if d == 1 || d == -1 || d == m-1 || d == 1-m {
				continue // adjacent edges share a position
			}
			if min(e.a[1], e.b[1]) > max(f.a[1], f.b[1]) || min(f.a[1], f.b[1]) > max(e.a[1], e.b[1]) {
				continue
			}
			at, ok := segmentsConflict(e.a, e.b, f.a, f.b)
			if !ok {
				continue
			}
			if total == nil {
				a := ringArea(r, o, 0, len(r)-1, orb.Point{})
				total = &a
			}
			// The crossing splits the ring into a loop and the rest.
			i, j := min(e.k, f.k), max(e.k, f.k)
			tests += j - i
			loop := ringArea(r, o, i+1, j, at)
			small, big := math.Abs(loop), math.Abs(*total-loop)
			if small > big {
				small, big = big, small
			}
			if small > maxTwist*big {
				return orb.Point{at[0] + o[0], at[1] + o[1]}, true
			}
		}
	}
	return orb.Point{}, false
}

// maxTwist is the largest share of a ring's area that a loop cut off by a
// crossing may hold for the crossing to be accepted: simplified files
// (topology quantised to a grid) have rings that cross themselves in tiny
// twists, while a ring drawn in the wrong order (a bow tie) cuts itself in
// comparable halves.
const maxTwist = 0.01

// ringArea is twice the signed area, in squared degrees, of the loop that
// starts at crossing point at (relative to o), runs through r[from..to]
// and returns to at; with from = 0 and to = len(r)-1 and at = o it is the
// whole ring's.
func ringArea(r orb.Ring, o orb.Point, from, to int, at orb.Point) float64 {
	var a float64
	px, py := at[0], at[1]
	for k := from; k <= to; k++ {
		qx, qy := r[k][0]-o[0], r[k][1]-o[1]
		a += float64(px*qy) - float64(qx*py)
		px, py = qx, qy
	}
	return a + float64(px*at[1]) - float64(at[0]*py)
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// asPoint is an orb position as a territory point.
func asPoint(p orb.Point) territory.Point { return territory.Point{X: p[0], Y: p[1]} }

// segmentsConflict reports whether segments p1-p2 and q1-q2 cross at a
// point inside both, and where (from the signed areas spatial.Cross
// gives, which also place the crossing).
func segmentsConflict(p1, p2, q1, q2 orb.Point) (orb.Point, bool) {
	d1, d2 := spatial.Cross(asPoint(q1), asPoint(q2), asPoint(p1)), spatial.Cross(asPoint(q1), asPoint(q2), asPoint(p2))
	d3, d4 := spatial.Cross(asPoint(p1), asPoint(p2), asPoint(q1)), spatial.Cross(asPoint(p1), asPoint(p2), asPoint(q2))
	if (d1 > 0 && d2 < 0 || d1 < 0 && d2 > 0) && (d3 > 0 && d4 < 0 || d3 < 0 && d4 > 0) {
		t := d1 / (d1 - d2)
		return orb.Point{p1[0] + t*(p2[0]-p1[0]), p1[1] + t*(p2[1]-p1[1])}, true
	}
	// Edges that touch at a point, or run along each other (a spike that
	// retraces the boundary, as simplified files have), are accepted.
	return orb.Point{}, false
}

// holeProblem says what is wrong with a hole of a polygon whose outer ring
// is shell: that it crosses the outer ring (and near where), or that it
// lies outside it; "" when it lies within it, touching it or not (holes
// that meet their ring at a vertex are common). Longitudes are unwrapped
// across the antimeridian as centroidArea unwraps them. Edges are swept
// in longitude order, as selfIntersection sweeps them; a pair of rings
// needing more than maxPairTests edge tests is taken to cross nowhere.
func holeProblem(shell, hole orb.Ring) string {
	s, h := shell, hole
	if b := shell.Bound().Union(hole.Bound()); b.Max[0]-b.Min[0] > 180 {
		unwrap := func(r orb.Ring) orb.Ring {
			out := make(orb.Ring, len(r))
			for i, pt := range r {
				if pt[0] < 0 {
					pt[0] += 360
				}
				out[i] = pt
			}
			return out
		}
		s, h = unwrap(shell), unwrap(hole)
	}
	if at, ok := ringsCross(s, h); ok {
		lon := at[0]
		if lon > 180 {
			lon -= 360
		}
		return "crosses its outer ring near " + formatPosition([]float64{roundTo(lon, 1e7), roundTo(at[1], 1e7)})
	}
	// The rings do not cross: the hole is inside or outside as a whole,
	// as its first position off the outer ring says.
	for _, pt := range h[:len(h)-1] {
		switch ringSide(s, pt) {
		case 1:
			return ""
		case -1:
			return "lies outside its outer ring"
		}
	}
	return "" // every position on the outer ring
}

// ringsCross reports whether an edge of ring a crosses an edge of ring b
// at a point inside both, and where. The sides are taken exactly (with
// spatial.Orient); edges that touch or run along each other do not cross.
func ringsCross(a, b orb.Ring) (orb.Point, bool) {
	type edge struct {
		p, q       orb.Point
		minX, maxX float64
		ring       int
	}
	var edges []edge
	for i, r := range []orb.Ring{a, b} {
		for k := 0; k+1 < len(r); k++ {
			if r[k] != r[k+1] {
				edges = append(edges, edge{p: r[k], q: r[k+1], minX: min(r[k][0], r[k+1][0]), maxX: max(r[k][0], r[k+1][0]), ring: i})
			}
		}
	}
	slices.SortStableFunc(edges, func(e, f edge) int { return cmpFloat(e.minX, f.minX) })
	tests := 0
	for x, e := range edges {
		for _, f := range edges[x+1:] {
			if f.minX > e.maxX {
				break
			}
			if f.ring == e.ring || min(e.p[1], e.q[1]) > max(f.p[1], f.q[1]) || min(f.p[1], f.q[1]) > max(e.p[1], e.q[1]) {
				continue
			}
			if tests++; tests > maxPairTests {
				return orb.Point{}, false
			}
			p1, p2, q1, q2 := asPoint(e.p), asPoint(e.q), asPoint(f.p), asPoint(f.q)
			if spatial.Orient(q1, q2, p1)*spatial.Orient(q1, q2, p2) < 0 && spatial.Orient(p1, p2, q1)*spatial.Orient(p1, p2, q2) < 0 {
				d1, d2 := spatial.Cross(q1, q2, p1), spatial.Cross(q1, q2, p2)
				t := 0.5
				if d1 != d2 {
					t = min(max(d1/(d1-d2), 0), 1)
				}
				return orb.Point{e.p[0] + t*(e.q[0]-e.p[0]), e.p[1] + t*(e.q[1]-e.p[1])}, true
			}
		}
	}
	return orb.Point{}, false
}

// ringSide says where pt lies with respect to the closed ring r: 1 inside,
// -1 outside, 0 on its boundary; by the winding number, with exact sides.
func ringSide(r orb.Ring, pt orb.Point) int {
	p := asPoint(pt)
	winding := 0
	for k := 0; k+1 < len(r); k++ {
		a, b := asPoint(r[k]), asPoint(r[k+1])
		side := spatial.Orient(a, b, p)
		if side == 0 && min(a.X, b.X) <= p.X && p.X <= max(a.X, b.X) && min(a.Y, b.Y) <= p.Y && p.Y <= max(a.Y, b.Y) {
			return 0
		}
		switch {
		case a.Y <= p.Y && b.Y > p.Y && side > 0:
			winding++
		case b.Y <= p.Y && a.Y > p.Y && side < 0:
			winding--
		}
	}
	if winding != 0 {
		return 1
	}
	return -1
}

// centroidArea returns the area-weighted centroid of a polygon or
// multipolygon and its area in square kilometres. Positions are projected
// with a sinusoidal projection centred on the geometry (x = (lon - lon0)
// cos(lat), y = lat - lat0, in degrees), which is equal-area, so each
// part weighs by its true area; the planar centroid is then projected
// back. Longitudes of a geometry spanning more than 180 degrees are
// unwrapped across the antimeridian first. A geometry of zero area, or
// whose centroid falls outside its bounds (rings that cross themselves),
// is located at the mean of its outer ring positions.
func centroidArea(g orb.Geometry) (territory.Point, float64) {
	var polys []orb.Polygon
	switch g := g.(type) {
	case orb.Polygon:
		polys = []orb.Polygon{g}
	case orb.MultiPolygon:
		polys = g
	default:
		return territory.Point{}, 0
	}
	b := g.Bound()
	wrap := b.Max[0]-b.Min[0] > 180
	lon := func(x float64) float64 {
		if wrap && x < 0 {
			return x + 360
		}
		return x
	}
	if wrap {
		b = orb.Bound{Min: orb.Point{math.Inf(1), b.Min[1]}, Max: orb.Point{math.Inf(-1), b.Max[1]}}
		for _, poly := range polys {
			for _, pt := range poly[0] {
				b.Min[0], b.Max[0] = min(b.Min[0], lon(pt[0])), max(b.Max[0], lon(pt[0]))
			}
		}
	}
	lon0, lat0 := (b.Min[0]+b.Max[0])/2, (b.Min[1]+b.Max[1])/2
	const rad = math.Pi / 180
	project := func(pt orb.Point) (float64, float64) {
		return float64((lon(pt[0]) - lon0) * math.Cos(pt[1]*rad)), pt[1] - lat0
	}
	var area, cx, cy float64
	var sx, sy float64
	var count int
	for _, poly := range polys {
		for k, ring := range poly {
			var a, x, y float64
			px, py := project(ring[0])
			for _, pt := range ring[1:] {
				qx, qy := project(pt)
				c := float64(px*qy) - float64(qx*py)
				a += c
				x += float64((px + qx) * c)
				y += float64((py + qy) * c)
				px, py = qx, qy
			}
			// Outer rings add, holes subtract, whatever their winding.
			if (k == 0) != (a > 0) {
				a, x, y = -a, -x, -y
			}
			area += a / 2
			cx += x / 6
			cy += y / 6
			if k == 0 {
				for _, pt := range ring[:len(ring)-1] {
					sx, sy = sx+lon(pt[0]), sy+pt[1]
					count++
				}
			}
		}
	}
	var lat, lonC float64
	inBound := func(lon, lat float64) bool {
		const eps = 1e-9
		return lon >= b.Min[0]-eps && lon <= b.Max[0]+eps && lat >= b.Min[1]-eps && lat <= b.Max[1]+eps
	}
	if area > 1e-15 {
		x, y := cx/area, cy/area
		lat, lonC = lat0+y, lon0
		if c := math.Cos(lat * rad); c > 1e-12 {
			lonC += x / c
		}
	}
	switch {
	case area > 1e-15 && inBound(lonC, lat):
		// The centroid of a region lies within its bounds; one outside
		// them comes from a ring that crosses itself once unwrapped
		// across the antimeridian, and takes the mean below.
	case count > 0:
		lonC, lat = sx/float64(count), sy/float64(count)
	default:
		lonC, lat = lon0, lat0
	}
	if lonC > 180 {
		lonC -= 360
	}
	km := spatial.EarthRadiusKm * rad
	return territory.Point{X: lonC, Y: lat}, max(area, 0) * km * km
}

// plural says how many things there are: "1 position", "3 positions".
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

// Limits on the positions of polygons, so that an unsimplified or crafted
// file cannot exhaust memory or time: reading a polygon takes about 300
// bytes and a few microseconds of CPU per position (the rings, their
// check, the centroid, the adjacency), so a unit at the limit reads in a
// few seconds and about 330 MB, and a whole file at the limit in about
// 3 GB.
const maxFeaturePositions = 1_000_000 // in one feature

// maxPositions is the limit in all the features of a file; tests lower it.
var maxPositions = 10_000_000

// simplifyHint says how to make polygons smaller.
const simplifyHint = "for example with mapshaper -simplify, or ogr2ogr -simplify"

// formatCount writes a count with thousands separators: 1,000,000.
func formatCount(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// coordParser reads the coordinates of polygons from JSON text that
// encoding/json has already checked, without reflection and without an
// allocation per position. It accepts only well-formed coordinates, every
// position of at least two numbers; anything else is left to the slower
// decoding that says what is wrong.
type coordParser struct {
	b   []byte
	i   int
	pts []orb.Point // rings are cut from it
	// limit, when not 0, is the most positions pts may hold; over is set
	// when the coordinates have more.
	limit int
	over  bool
}

func (c *coordParser) skipSpace() {
	for c.i < len(c.b) {
		switch c.b[c.i] {
		case ' ', '\t', '\n', '\r':
			c.i++
		default:
			return
		}
	}
}

// is consumes ch, after white space, when it comes next.
func (c *coordParser) is(ch byte) bool {
	c.skipSpace()
	if c.i < len(c.b) && c.b[c.i] == ch {
		c.i++
		return true
	}
	return false
}

// array reads a JSON array, calling elem for each element.
func (c *coordParser) array(elem func() bool) bool {
	if !c.is('[') {
		return false
	}
	if c.is(']') {
		return true
	}
	for {
		if !elem() {
			return false
		}
		if c.is(',') {
			continue
		}
		return c.is(']')
	}
}

func (c *coordParser) number() (float64, bool) {
	c.skipSpace()
	j := c.i
	for c.i < len(c.b) {
		switch ch := c.b[c.i]; {
		case ch >= '0' && ch <= '9', ch == '-', ch == '+', ch == '.', ch == 'e', ch == 'E':
			c.i++
			continue
		}
		break
	}
	if j == c.i {
		return 0, false
	}
	v, err := strconv.ParseFloat(string(c.b[j:c.i]), 64)
	return v, err == nil
}

// position reads [longitude, latitude, ...] onto c.pts.
func (c *coordParser) position() bool {
	var pt orb.Point
	n := 0
	ok := c.array(func() bool {
		v, ok := c.number()
		if n < 2 {
			pt[n] = v
		}
		n++
		return ok
	})
	if !ok || n < 2 {
		return false
	}
	if c.limit > 0 && len(c.pts) >= c.limit {
		c.over = true
		return false
	}
	c.pts = append(c.pts, pt)
	return true
}

func (c *coordParser) ring() (orb.Ring, bool) {
	start := len(c.pts)
	if !c.array(c.position) {
		return nil, false
	}
	return orb.Ring(c.pts[start:len(c.pts):len(c.pts)]), true
}

func (c *coordParser) polygon() (orb.Polygon, bool) {
	poly := orb.Polygon{}
	ok := c.array(func() bool {
		r, ok := c.ring()
		poly = append(poly, r)
		return ok
	})
	return poly, ok
}

// multiPolygon reads the coordinates of a MultiPolygon, or of a Polygon
// as a MultiPolygon of one polygon when multi is false.
func (c *coordParser) multiPolygon(multi bool) (orb.MultiPolygon, bool) {
	var mp orb.MultiPolygon
	var ok bool
	if multi {
		mp = orb.MultiPolygon{}
		ok = c.array(func() bool {
			poly, ok := c.polygon()
			mp = append(mp, poly)
			return ok
		})
	} else {
		var poly orb.Polygon
		poly, ok = c.polygon()
		mp = orb.MultiPolygon{poly}
	}
	return mp, ok && c.end()
}

// end reports whether only white space is left.
func (c *coordParser) end() bool {
	c.skipSpace()
	return c.i == len(c.b)
}
