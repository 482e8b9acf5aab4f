package features

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/paulmach/orb"

	"github.com/territory-optimizer/territory/pkg/parallel"
	"github.com/territory-optimizer/territory/pkg/report"
	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// PointCells returns the outline of every territory of point accounts:
// the Voronoi cells of its accounts, each clipped to the account's reach,
// merged (assign[i] is the territory of account i, in 0..k-1). An
// outline thus covers the land around its accounts, not the sea or the
// empty country beyond them: where accounts lie far apart for their
// reach (a lake, a desert, the gap between two cities) the outlines
// leave a gap, so that a territory may be several polygons, and a
// territory with another's accounts in its midst has a hole there.
// Territories never overlap, and neighbouring territories share their
// common boundary position for position, without slivers or cracks.
//
// An account's reach follows the local spacing of the accounts: 1.25
// times the distance from its location to the 8th nearest other
// location, at most 5 times the median reach (the constants reachNeighbours,
// reachFactor and reachCap say why), so
// that a territory in a dense city stays close to its accounts and one
// in the sparse countryside around it still covers the land between
// them. The reach blends smoothly from one account to the next, and a
// cell is clipped where the distance from its account passes it, as
// [spatial.VoronoiCellsWithin] describes: every outline lies within 1.5
// times (2.25 times where it closes a small gap) the largest reach of the
// accounts nearby. With fewer than two distinct locations there is no
// reach, and the outlines are the cells in the box.
//
// The cells are computed in the plane of [spatial.Project]: for a
// geographic space, the equirectangular projection centred on the data,
// in kilometres, whose cells are bounded by the perpendicular bisectors
// there and whose reach is measured there; the outlines are mapped back
// to longitude and latitude. The cells are also clipped to the data's
// bounding box in that plane grown by [spatial.DefaultMargin] (5%) of its
// larger side, and kept within latitudes -90 to 90 and, unless the
// accounts themselves straddle the antimeridian, longitudes -180 to 180.
// Accounts that share a location share its cell, which goes to the
// territory of the first of them. Cells of one territory are merged as
// [DissolveUnits] merges units, by cancelling the edges they share
// (exactly: neighbouring cells have bit-identical common edges). The
// result does not depend on the number of cores.
//
// An account with a location that is not a finite number (which
// territory.Problem.Validate rejects) leaves every outline empty.
func PointCells(space territory.Space, locs []territory.Point, assign []int, k int) []orb.MultiPolygon {
	out := make([]orb.MultiPolygon, k)
	for t := range out {
		out[t] = orb.MultiPolygon{}
	}
	pr := spatial.NewProjection(space, locs)
	pts := make([]territory.Point, len(locs))
	for i, p := range locs {
		pts[i] = pr.Forward(p)
	}
	tr, err := spatial.Delaunay(pts)
	if err != nil || len(pts) == 0 {
		return out
	}
	box := spatial.MarginBound(pts, spatial.DefaultMargin)
	clampLon := false
	if space == territory.Geographic {
		data := spatial.MarginBound(pts, 0)
		clampLon = pr.Inverse(territory.Point{X: data.Min[0]}).X >= -180 && pr.Inverse(territory.Point{X: data.Max[0]}).X <= 180
		box = geographicBox(pr, box, clampLon)
	}
	cells := spatial.VoronoiCellsWithin(tr, box, cellReach(tr))
	owner := func(i int) int { // the territory of cell i, or -1
		if cells[i] == nil || i >= len(assign) || assign[i] < 0 || assign[i] >= k {
			return -1
		}
		return assign[i]
	}
	sizes := make([]int, k)
	for i, c := range cells {
		if t := owner(i); t >= 0 {
			sizes[t] += len(c[0]) - 1
		}
	}
	groups := make([][]dirEdge, k)
	for t := range groups {
		groups[t] = make([]dirEdge, 0, sizes[t])
	}
	for i, c := range cells {
		t := owner(i)
		if t < 0 {
			continue
		}
		r := c[0]
		for j := 0; j+1 < len(r); j++ {
			groups[t] = append(groups[t], dirEdge{r[j], r[j+1]})
		}
	}
	// The territories are merged on all cores, each on its own.
	parallel.For(k, func(_, t int) {
		mp := dissolve(groups[t], 0)
		if space == territory.Geographic {
			mp = unproject(pr, mp, clampLon)
		}
		out[t] = mp
	})
	return out
}

// geographicBox keeps a box of the plane of projection pr within the
// latitudes -90 to 90 and, with clampLon, the longitudes -180 to 180.
func geographicBox(pr spatial.Projection, box orb.Bound, clampLon bool) orb.Bound {
	south := pr.Forward(territory.Point{X: pr.Lon0, Y: -90}).Y
	north := pr.Forward(territory.Point{X: pr.Lon0, Y: 90}).Y
	box.Min[1], box.Max[1] = max(box.Min[1], south), min(box.Max[1], north)
	if clampLon {
		box.Min[0] = max(box.Min[0], (-180-pr.Lon0)*pr.KmPerDegLon)
		box.Max[0] = min(box.Max[0], (180-pr.Lon0)*pr.KmPerDegLon)
	}
	return box
}

// unproject maps the positions of mp back from the plane of pr, dropping
// positions that become equal to the one before them and rings that
// become degenerate. Latitudes, and with clampLon longitudes, are kept
// within range (the box's sides map back to ±90 and ±180 up to rounding).
func unproject(pr spatial.Projection, mp orb.MultiPolygon, clampLon bool) orb.MultiPolygon {
	out := mp[:0]
	for _, poly := range mp {
		var np orb.Polygon
		for j, r := range poly {
			nr := make(orb.Ring, 0, len(r))
			for _, p := range r {
				q := pr.Inverse(asPoint(p))
				q.Y = min(max(q.Y, -90), 90)
				if clampLon {
					q.X = min(max(q.X, -180), 180)
				}
				if pt := (orb.Point{q.X, q.Y}); len(nr) == 0 || nr[len(nr)-1] != pt {
					nr = append(nr, pt)
				}
			}
			if len(nr) < 4 || nr[0] != nr[len(nr)-1] {
				if j == 0 {
					break
				}
				continue
			}
			np = append(np, nr)
		}
		if len(np) > 0 {
			out = append(out, np)
		}
	}
	return out
}

// WriteTerritories writes territories.geojson: a GeoJSON FeatureCollection
// (RFC 7946) with one feature per territory, in territory order, whose
// geometry is the territory's outline boundaries[k] (a MultiPolygon; null
// when the territory has no outline), followed by one Point feature per
// territory centre. Territory features have the properties, in this
// order:
//
//	kind               "territory"
//	territory_id, rep_id, rep_name, capacity, accounts
//	MEASURE, MEASURE_pct_target   (for each balance rule, in rule order)
//	MEASURE                       (for each other measure, in account order)
//	compactness
//
// and centre features kind "centre" and territory_id. Measures and
// percentages have 2 decimals and compactness 3, as in territories.csv;
// positions are rounded to 6 decimals (about 10 cm), positions that the
// rounding makes equal to the previous one are dropped, and rings left
// with fewer than 4 positions are left out. A planar problem's x and y are
// written as they are, in place of longitude and latitude.
//
// m holds the plan's metrics; when nil they are computed with
// report.Evaluate. The output depends only on the inputs: one feature per
// line, properties in a fixed order, numbers in fixed formats, \n line
// endings. It fails, writing nothing, when a number is not finite.
func WriteTerritories(w io.Writer, p *territory.Problem, pl *territory.Plan, m *report.Metrics, boundaries []orb.MultiPolygon) error {
	if m == nil {
		m = report.Evaluate(p, pl)
	}
	var buf bytes.Buffer
	buf.WriteString("{\"type\":\"FeatureCollection\",\"features\":[\n")
	first := true
	sep := func() {
		if !first {
			buf.WriteString(",\n")
		}
		first = false
	}
	for k, t := range m.Territories {
		sep()
		buf.WriteString(`{"type":"Feature","properties":{"kind":"territory","territory_id":`)
		writeString(&buf, t.ID)
		buf.WriteString(`,"rep_id":`)
		writeString(&buf, t.RepID)
		buf.WriteString(`,"rep_name":`)
		writeString(&buf, t.RepName)
		buf.WriteString(`,"capacity":`)
		if err := writeNumber(&buf, t.Capacity, -1); err != nil {
			return territoryError(t.ID, err)
		}
		buf.WriteString(`,"accounts":`)
		buf.WriteString(strconv.Itoa(t.Accounts))
		for j, l := range t.Loads {
			name := m.Balance[j].Name
			buf.WriteByte(',')
			writeString(&buf, name)
			buf.WriteByte(':')
			if err := writeNumber(&buf, l.Load, 2); err != nil {
				return territoryError(t.ID, err)
			}
			buf.WriteByte(',')
			writeString(&buf, name+"_pct_target")
			buf.WriteByte(':')
			if err := writeNumber(&buf, l.PctTarget, 2); err != nil {
				return territoryError(t.ID, err)
			}
		}
		for j, v := range t.Others {
			buf.WriteByte(',')
			writeString(&buf, m.Others[j].Name)
			buf.WriteByte(':')
			if err := writeNumber(&buf, v, 2); err != nil {
				return territoryError(t.ID, err)
			}
		}
		buf.WriteString(`,"compactness":`)
		if err := writeNumber(&buf, t.Compactness, 3); err != nil {
			return territoryError(t.ID, err)
		}
		buf.WriteString(`},"geometry":`)
		var mp orb.MultiPolygon
		if k < len(boundaries) {
			mp = roundMultiPolygon(boundaries[k])
		}
		if err := writeMultiPolygon(&buf, mp); err != nil {
			return territoryError(t.ID, err)
		}
		buf.WriteByte('}')
	}
	for _, t := range m.Territories {
		sep()
		buf.WriteString(`{"type":"Feature","properties":{"kind":"centre","territory_id":`)
		writeString(&buf, t.ID)
		buf.WriteString(`},"geometry":{"type":"Point","coordinates":`)
		if err := writePosition(&buf, orb.Point{t.Center.X, t.Center.Y}); err != nil {
			return fmt.Errorf("features: write territories: centre of territory %s: %w", t.ID, err)
		}
		buf.WriteString("}}")
	}
	buf.WriteString("\n]}\n")
	_, err := w.Write(buf.Bytes())
	return err
}

func territoryError(id string, err error) error {
	return fmt.Errorf("features: write territories: territory %s: %w", id, err)
}

// writeString writes s as a JSON string.
func writeString(buf *bytes.Buffer, s string) {
	b, _ := json.Marshal(s) // a string always marshals
	buf.Write(b)
}

// writeNumber writes v with prec digits after the point (the shortest
// exact form for prec -1), never as -0.
func writeNumber(buf *bytes.Buffer, v float64, prec int) error {
	if !territory.Finite(v) {
		return fmt.Errorf("%v is not a finite number", v)
	}
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if s[0] == '-' && isZeroDigits(s[1:]) {
		s = s[1:]
	}
	buf.WriteString(s)
	return nil
}

func isZeroDigits(s string) bool {
	for _, c := range s {
		if c != '0' && c != '.' {
			return false
		}
	}
	return true
}

// coordScale rounds positions to 6 decimals.
const coordScale = 1e6

func roundCoord(v float64) float64 {
	r := math.Round(v*coordScale) / coordScale
	if r == 0 {
		return 0 // no -0
	}
	return r
}

// roundMultiPolygon rounds every position to 6 decimals, drops positions
// equal to the previous one and rings left with fewer than 4 positions
// (a polygon whose outer ring goes with it).
func roundMultiPolygon(mp orb.MultiPolygon) orb.MultiPolygon {
	var out orb.MultiPolygon
	for _, poly := range mp {
		var np orb.Polygon
		for j, r := range poly {
			nr := make(orb.Ring, 0, len(r))
			for _, p := range r {
				q := orb.Point{roundCoord(p[0]), roundCoord(p[1])}
				if len(nr) == 0 || nr[len(nr)-1] != q {
					nr = append(nr, q)
				}
			}
			if len(nr) < 4 || nr[0] != nr[len(nr)-1] {
				if j == 0 {
					break
				}
				continue
			}
			np = append(np, nr)
		}
		if len(np) > 0 {
			out = append(out, np)
		}
	}
	return out
}

// writeMultiPolygon writes a MultiPolygon geometry, or null when mp is
// empty.
func writeMultiPolygon(buf *bytes.Buffer, mp orb.MultiPolygon) error {
	if len(mp) == 0 {
		buf.WriteString("null")
		return nil
	}
	buf.WriteString(`{"type":"MultiPolygon","coordinates":[`)
	for i, poly := range mp {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteByte('[')
		for j, r := range poly {
			if j > 0 {
				buf.WriteByte(',')
			}
			buf.WriteByte('[')
			for k, p := range r {
				if k > 0 {
					buf.WriteByte(',')
				}
				if err := writePosition(buf, p); err != nil {
					return err
				}
			}
			buf.WriteByte(']')
		}
		buf.WriteByte(']')
	}
	buf.WriteString("]}")
	return nil
}

// writePosition writes [x, y] rounded to 6 decimals.
func writePosition(buf *bytes.Buffer, p orb.Point) error {
	buf.WriteByte('[')
	if err := writeNumber(buf, roundCoord(p[0]), -1); err != nil {
		return err
	}
	buf.WriteByte(',')
	if err := writeNumber(buf, roundCoord(p[1]), -1); err != nil {
		return err
	}
	buf.WriteByte(']')
	return nil
}
