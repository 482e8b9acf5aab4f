package basemap

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
)

// Clip returns the parts of o inside the box of longitudes minLon to
// maxLon and latitudes minLat to maxLat. The box may reach across the
// antimeridian: minLon may be below -180 or maxLon above 180, as long as
// maxLon - minLon is less than 360. What lies beyond ±180 is returned with
// its longitude shifted by 360°, so that the result is continuous across
// the box (a box from 170 to 190 returns Fiji's islands east of the
// antimeridian at 181 and more). Rings are clipped as polygons (their
// parts along the box's sides then run along those sides; fill them, do
// not stroke them); lines are cut where they leave the box.
//
// o is not modified; the result shares nothing with it.
func (o *Outlines) Clip(minLon, minLat, maxLon, maxLat float64) *Outlines {
	out := &Outlines{}
	for shift := -360.0; shift <= 360; shift += 360 {
		// The part of the box within [-180, 180] + shift, in the data's
		// own longitudes.
		lo, hi := math.Max(minLon, -180+shift)-shift, math.Min(maxLon, 180+shift)-shift
		if lo > hi || minLat > maxLat {
			continue
		}
		b := orb.Bound{Min: orb.Point{lo, minLat}, Max: orb.Point{hi, maxLat}}
		for _, r := range o.Land {
			rb := r.Bound()
			if !rb.Intersects(b) {
				continue
			}
			var c orb.Ring
			if b.Contains(rb.Min) && b.Contains(rb.Max) {
				c = r.Clone()
			} else if c = clip.Ring(b, r.Clone()); len(c) < 4 {
				continue
			}
			out.Land = append(out.Land, orb.Ring(shifted(orb.LineString(c), shift)))
		}
		out.Coast = append(out.Coast, clipLines(o.Coast, b, shift)...)
		out.Borders = append(out.Borders, clipLines(o.Borders, b, shift)...)
		out.States = append(out.States, clipLines(o.States, b, shift)...)
		out.Lakes = append(out.Lakes, clipLines(o.Lakes, b, shift)...)
	}
	return out
}

func clipLines(lines []orb.LineString, b orb.Bound, shift float64) []orb.LineString {
	var out []orb.LineString
	for _, ls := range lines {
		lb := ls.Bound()
		if !lb.Intersects(b) {
			continue
		}
		if b.Contains(lb.Min) && b.Contains(lb.Max) {
			out = append(out, shifted(ls.Clone(), shift))
			continue
		}
		for _, part := range clip.LineString(b, ls) {
			if len(part) >= 2 && part.Bound().Min != part.Bound().Max { // not a point where ls touches b
				out = append(out, shifted(part, shift))
			}
		}
	}
	return out
}

// shifted adds shift to the longitude of every point of ls, in place.
func shifted(ls orb.LineString, shift float64) orb.LineString {
	if shift != 0 {
		for i := range ls {
			ls[i][0] += shift
		}
	}
	return ls
}
