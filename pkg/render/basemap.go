package render

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"

	"github.com/territory-optimizer/territory/pkg/render/basemap"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// Basemap says what a geographic map draws under its territories. Planar
// maps have none, whatever it says.
type Basemap int

const (
	// BasemapOutlines draws the land, the borders between countries and
	// those between the US states, from the outlines embedded in the
	// binary (package basemap): it needs no network. The default.
	BasemapOutlines Basemap = iota
	// BasemapNone draws nothing under the territories.
	BasemapNone
	// BasemapOSM makes the HTML page load OpenStreetMap's tiles from
	// tile.openstreetmap.org, in the Web Mercator projection that they
	// are drawn in, over the outlines (which show while the tiles load,
	// or where they cannot be loaded); its Content-Security-Policy admits
	// images from that host and nothing else from the network. The SVG,
	// which loads nothing, draws the outlines.
	BasemapOSM
)

var basemapNames = [...]string{BasemapOutlines: "outlines", BasemapNone: "none", BasemapOSM: "osm"}

// Basemaps lists the names ParseBasemap takes, the default first.
func Basemaps() []string { return []string{"outlines", "osm", "none"} }

func (b Basemap) String() string {
	if b >= 0 && int(b) < len(basemapNames) {
		return basemapNames[b]
	}
	return fmt.Sprintf("Basemap(%d)", int(b))
}

// ParseBasemap reads a basemap's name: outlines, osm or none.
func ParseBasemap(s string) (Basemap, error) {
	for i, name := range basemapNames {
		if s == name {
			return Basemap(i), nil
		}
	}
	return 0, fmt.Errorf("unknown basemap %q (expected outlines, osm or none)", s)
}

// Attributions of the basemaps, as the maps show them.
const (
	outlinesCredit = "Outlines: Natural Earth; US Census Bureau"
	osmCredit      = "© OpenStreetMap contributors"
	osmCopyright   = "https://www.openstreetmap.org/copyright"
)

// outlinesIn returns the embedded outlines that fall in the view, a box
// of projection pr's plane, clipped to window, a box of longitudes and
// latitudes that holds the view. It returns nil for a planar map.
func outlinesIn(space territory.Space, pr *projection, view box) (o *basemap.Outlines, window orb.Bound, err error) {
	if space != territory.Geographic || view.empty() {
		return nil, window, nil
	}
	all, err := basemap.Embedded()
	if err != nil {
		return nil, window, fmt.Errorf("render: %w", err)
	}
	lo, hi := lonLatWindow(pr, view)
	window = orb.Bound{Min: orb.Point{lo.X, lo.Y}, Max: orb.Point{hi.X, hi.Y}}
	return all.Clip(lo.X, lo.Y, hi.X, hi.Y), window, nil
}

// coastGaps returns the positions k in keep (the points of a clipped
// land ring that are drawn) whose segment from keep[k-1] is not a coast:
// it runs along a side of the clipping window or an edge of the data
// (basemap.DataEdge).
func coastGaps(ring orb.Ring, keep []int, window orb.Bound) []int {
	gaps := []int{}
	const eps = 1e-9
	same := func(u, v, w float64) bool { return math.Abs(u-w) < eps && math.Abs(v-w) < eps }
	for k := 1; k < len(keep); k++ {
		a, b := ring[keep[k-1]], ring[keep[k]]
		if basemap.DataEdge(a, b) ||
			same(a[0], b[0], window.Min[0]) || same(a[0], b[0], window.Max[0]) ||
			same(a[1], b[1], window.Min[1]) || same(a[1], b[1], window.Max[1]) {
			gaps = append(gaps, k)
		}
	}
	return gaps
}

// sideStep is the longest stretch, in degrees, of a clipped ring's side
// along the clipping window that alongSides leaves without a point.
const sideStep = 1.0

// alongSides returns the clipped land ring r with points every sideStep
// degrees along its segments that run on a side of the window. Such a
// segment is straight in longitude and latitude but not in the map's
// projection: drawn straight between two far corners (the page's view of
// the whole United States reaches Antarctica, whose ring the window cuts
// along 77.7° south from 43° east to 158° west), the land's fill crossed
// the map as a thin line; with the points it follows the window's curved
// side, outside the view.
func alongSides(r orb.Ring, window orb.Bound) orb.Ring {
	const eps = 1e-9
	same := func(u, v, w float64) bool { return math.Abs(u-w) < eps && math.Abs(v-w) < eps }
	var out orb.Ring
	for i, b := range r {
		if i > 0 {
			a := r[i-1]
			if same(a[0], b[0], window.Min[0]) || same(a[0], b[0], window.Max[0]) ||
				same(a[1], b[1], window.Min[1]) || same(a[1], b[1], window.Max[1]) {
				steps := int(math.Ceil(math.Max(math.Abs(b[0]-a[0]), math.Abs(b[1]-a[1])) / sideStep))
				for j := 1; j < steps; j++ {
					f := float64(j) / float64(steps)
					out = append(out, orb.Point{a[0] + f*(b[0]-a[0]), a[1] + f*(b[1]-a[1])})
				}
			}
		}
		out = append(out, b)
	}
	return out
}

// lonLatWindow returns a box of longitudes and latitudes that holds every
// point that projects into view, with a margin: the box around the
// inverse projections of a grid over view (the extremes of latitude and
// longitude lie on the view's sides for the projections used here; the
// grid also catches what lies beyond the projection's domain). A part of
// the view beyond a pole widens the box to that pole; one beyond the cut
// opposite the central meridian, to every longitude. Longitudes are within
// 180° of the central meridian, not wrapped, as basemap.Outlines.Clip
// takes them.
func lonLatWindow(pr *projection, view box) (lo, hi territory.Point) {
	const steps = 32
	const edge = 179.999 // the window stays short of the cut opposite lon0
	lo = territory.Point{X: math.Inf(1), Y: math.Inf(1)}
	hi = territory.Point{X: math.Inf(-1), Y: math.Inf(-1)}
	for i := 0; i <= steps; i++ {
		for j := 0; j <= steps; j++ {
			x := view.minX + view.width()*float64(i)/steps
			y := view.minY + view.height()*float64(j)/steps
			p, ok := pr.unproject(x, y)
			if !ok && math.Abs(p.Y) != 90 { // beyond the cut: every longitude
				lo.X, hi.X = pr.lon0-edge, pr.lon0+edge
				continue
			}
			lo.X, lo.Y = min(lo.X, p.X), min(lo.Y, p.Y)
			hi.X, hi.Y = max(hi.X, p.X), max(hi.Y, p.Y)
		}
	}
	if lo.Y > hi.Y { // every sample beyond the cut
		lo.Y, hi.Y = -90, 90
	}
	mx := 0.02*(hi.X-lo.X) + 0.1
	my := 0.02*(hi.Y-lo.Y) + 0.1
	lo = territory.Point{X: math.Max(lo.X-mx, pr.lon0-edge), Y: math.Max(lo.Y-my, -90)}
	hi = territory.Point{X: math.Min(hi.X+mx, pr.lon0+edge), Y: math.Min(hi.Y+my, 90)}
	return lo, hi
}

// simplifyPath returns the indices of the points of pts that the
// Douglas-Peucker algorithm keeps at tolerance tol, in order; the first
// and the last are always kept.
func simplifyPath(pts [][2]float64, tol float64) []int {
	n := len(pts)
	if n <= 2 {
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		return idx
	}
	keep := make([]bool, n)
	keep[0], keep[n-1] = true, true
	stack := [][2]int{{0, n - 1}}
	for len(stack) > 0 {
		seg := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		a, b := pts[seg[0]], pts[seg[1]]
		best, bestD := -1, tol*tol
		for m := seg[0] + 1; m < seg[1]; m++ {
			if d := segmentDist2(a, b, pts[m]); d > bestD {
				best, bestD = m, d
			}
		}
		if best >= 0 {
			keep[best] = true
			stack = append(stack, [2]int{seg[0], best}, [2]int{best, seg[1]})
		}
	}
	idx := make([]int, 0, n)
	for i, k := range keep {
		if k {
			idx = append(idx, i)
		}
	}
	return idx
}

// simplifyZoned simplifies pts as simplifyPath does, at tolerance tolIn
// where the points lie in box inner and tolOut elsewhere: the path is cut
// into runs of points on either side, each run simplified on its own
// (its ends kept, so that the runs still join). It returns the indices of
// the points kept, in order.
func simplifyZoned(pts [][2]float64, inner box, tolIn, tolOut float64) []int {
	n := len(pts)
	if n <= 2 {
		return simplifyPath(pts, tolIn)
	}
	in := func(p [2]float64) bool {
		return p[0] >= inner.minX && p[0] <= inner.maxX && p[1] >= inner.minY && p[1] <= inner.maxY
	}
	idx := []int{0}
	for start := 0; start < n-1; {
		// The run goes on to the first point on the other side (or the
		// last point), which it shares with the next run.
		end := start + 1
		for end < n-1 && in(pts[end]) == in(pts[start]) {
			end++
		}
		tol := tolOut
		if in(pts[start]) {
			tol = tolIn
		}
		for _, i := range simplifyPath(pts[start:end+1], tol)[1:] {
			idx = append(idx, start+i)
		}
		start = end
	}
	return idx
}

// segmentDist2 is the squared distance from p to the segment from a to b.
func segmentDist2(a, b, p [2]float64) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	t := 0.0
	if l := dx*dx + dy*dy; l > 0 {
		t = math.Max(0, math.Min(1, ((p[0]-a[0])*dx+(p[1]-a[1])*dy)/l))
	}
	ex, ey := a[0]+t*dx-p[0], a[1]+t*dy-p[1]
	return ex*ex + ey*ey
}

// projectPart projects the points of a basemap part.
func projectPart(pr *projection, part []orb.Point) [][2]float64 {
	out := make([][2]float64, len(part))
	for i, p := range part {
		out[i][0], out[i][1] = pr.project(territory.Point{X: p[0], Y: p[1]})
	}
	return out
}
