package render

import (
	"math"

	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// projectionKind says how a projection maps coordinates onto the plane.
type projectionKind int

const (
	planar      projectionKind = iota // x, y as they are
	albers                            // Albers equal-area conic
	cylindrical                       // Lambert cylindrical equal-area
)

// projection maps a map's coordinates onto the plane. Geographic
// coordinates become kilometres on a sphere of radius
// spatial.EarthRadiusKm (true to scale along the standard parallels),
// planar ones stay in their own unit. North (+y) is up.
type projection struct {
	kind projectionKind
	// lon0 is the central meridian in degrees; lat1, lat2 the standard
	// parallels (in degrees) from which n, c and rho0 follow.
	lon0, lat1, lat2 float64
	n, c, rho0       float64
	// cosStd is the cosine of the standard parallel of the cylindrical
	// projection.
	cosStd float64
}

// newProjection picks the projection for the points of a map.
//
// A planar map is drawn as it is. A geographic one uses the Albers
// equal-area conic projection on a sphere, centred on the data: the
// central meridian halves the smallest arc of longitude that holds every
// point (so data across the antimeridian stays in one piece) and the
// standard parallels sit one sixth of the latitude range inside its
// ends, the usual rule (for the contiguous US that gives about 29°N and
// 45°N, close to the 29.5°N and 45.5°N of the USGS maps). When the
// standard parallels are symmetric about the equator the cone opens into
// a cylinder and Lambert's cylindrical equal-area projection with the
// same standard parallel is used.
func newProjection(space territory.Space, pts func(yield func(territory.Point) bool)) projection {
	if space == territory.Planar {
		return projection{kind: planar}
	}
	var occupied [3600]bool // longitude in tenths of a degree
	latMin, latMax := math.Inf(1), math.Inf(-1)
	seen := false
	for p := range pts {
		seen = true
		occupied[lonBin(p.X)] = true
		latMin, latMax = min(latMin, p.Y), max(latMax, p.Y)
	}
	if !seen {
		return projection{kind: cylindrical, cosStd: 1}
	}
	// The longest run of empty bins, around the circle, is the gap the
	// map leaves out; the data's arc starts right after it.
	start := -180.0
	bestLen, bestEnd := 0, -1
	run := 0
	for i := range 2 * len(occupied) {
		if occupied[i%len(occupied)] {
			run = 0
			continue
		}
		run++
		if run > bestLen && run <= len(occupied) {
			bestLen, bestEnd = run, i%len(occupied)
		}
	}
	if bestLen > 0 && bestLen < len(occupied) {
		start = -180 + float64(bestEnd+1)/10
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for p := range pts {
		r := math.Mod(p.X-start+720, 360)
		lo, hi = min(lo, r), max(hi, r)
	}
	pr := projection{lon0: wrapLon(start + (lo+hi)/2)}
	if bestLen == 0 {
		pr.lon0 = 0 // the data goes all the way round
	}

	span := latMax - latMin
	pr.lat1, pr.lat2 = latMin+span/6, latMax-span/6
	const rad = math.Pi / 180
	s1, s2 := math.Sin(pr.lat1*rad), math.Sin(pr.lat2*rad)
	pr.n = (s1 + s2) / 2
	if math.Abs(pr.n) < 1e-6 {
		pr.kind = cylindrical
		pr.cosStd = math.Cos(math.Max(math.Abs(pr.lat1), math.Abs(pr.lat2)) * rad)
		return pr
	}
	pr.kind = albers
	c1 := math.Cos(pr.lat1 * rad)
	pr.c = float64(c1*c1) + 2*pr.n*s1
	lat0 := (latMin + latMax) / 2
	pr.rho0 = math.Sqrt(math.Max(0, pr.c-2*pr.n*math.Sin(lat0*rad))) / pr.n
	return pr
}

// lonBin is the tenth-of-a-degree bin of longitude lon.
func lonBin(lon float64) int {
	return min(max(int(math.Floor((lon+180)*10)), 0), 3599)
}

// wrapLon brings a longitude into [-180, 180).
func wrapLon(lon float64) float64 {
	return math.Mod(math.Mod(lon+180, 360)+360, 360) - 180
}

// project maps p onto the plane.
func (pr *projection) project(p territory.Point) (x, y float64) {
	const rad = math.Pi / 180
	const r = spatial.EarthRadiusKm
	switch pr.kind {
	case albers:
		lam := wrapLon(p.X-pr.lon0) * rad
		rho := math.Sqrt(math.Max(0, pr.c-2*pr.n*math.Sin(p.Y*rad))) / pr.n
		theta := pr.n * lam
		return r * rho * math.Sin(theta), r * (pr.rho0 - rho*math.Cos(theta))
	case cylindrical:
		lam := wrapLon(p.X-pr.lon0) * rad
		return r * lam * pr.cosStd, r * math.Sin(p.Y*rad) / pr.cosStd
	}
	return p.X, p.Y
}

// box is an axis-aligned rectangle.
type box struct {
	minX, minY, maxX, maxY float64
}

func emptyBox() box {
	return box{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
}

func (b *box) add(x, y float64) {
	b.minX, b.minY = min(b.minX, x), min(b.minY, y)
	b.maxX, b.maxY = max(b.maxX, x), max(b.maxY, y)
}

func (b box) empty() bool { return b.minX > b.maxX }

func (b box) width() float64  { return b.maxX - b.minX }
func (b box) height() float64 { return b.maxY - b.minY }

func (b box) overlaps(o box) bool {
	return b.minX <= o.maxX && o.minX <= b.maxX && b.minY <= o.maxY && o.minY <= b.maxY
}

// page maps projected coordinates onto a page: y grows downwards.
type page struct {
	scale      float64 // page units per projected unit
	ox, oy     float64 // page position of (minX, maxY)
	minX, maxY float64
}

// fit places the projected box b in the page rectangle (x, y, w, h),
// centred, at the largest scale that keeps it inside. A box without
// extent (one point, or none) is shown as a square of side minSide
// around its centre.
func fit(b box, x, y, w, h, minSide float64) page {
	if b.empty() {
		b = box{0, 0, 0, 0}
	}
	if b.width() < minSide && b.height() < minSide {
		cx, cy := (b.minX+b.maxX)/2, (b.minY+b.maxY)/2
		b = box{cx - minSide/2, cy - minSide/2, cx + minSide/2, cy + minSide/2}
	}
	s := math.Inf(1)
	if b.width() > 0 {
		s = w / b.width()
	}
	if b.height() > 0 {
		s = math.Min(s, h/b.height())
	}
	return page{
		scale: s,
		ox:    x + (w-b.width()*s)/2,
		oy:    y + (h-b.height()*s)/2,
		minX:  b.minX,
		maxY:  b.maxY,
	}
}

func (p page) at(x, y float64) (px, py float64) {
	return p.ox + (x-p.minX)*p.scale, p.oy + (p.maxY-y)*p.scale
}
