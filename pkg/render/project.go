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
	mercator                          // spherical (Web) Mercator
)

// projection maps a map's coordinates onto the plane. Geographic
// coordinates become kilometres on a sphere of radius
// spatial.EarthRadiusKm (true to scale along the standard parallels, or
// the equator for Mercator), planar ones stay in their own unit. North
// (+y) is up.
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

// The contiguous United States, with a margin: data inside it get the
// standard parallels of the USGS's maps of the country.
const (
	usMinLon, usMaxLon = -125.5, -66
	usMinLat, usMaxLat = 23.5, 50
	usLat1, usLat2     = 29.5, 45.5
)

// newProjection picks the projection for the points of a map.
//
// A planar map is drawn as it is. A geographic one uses the Albers
// equal-area conic projection on a sphere, centred on the data: the
// central meridian halves the smallest arc of longitude that holds every
// point (so data across the antimeridian stays in one piece) and the
// origin's latitude halves the data's range of latitude. Data within the
// contiguous United States get the standard parallels of the USGS's maps
// of the country, 29.5°N and 45.5°N, whatever their extent, so that the
// same region is always drawn alike; other data get standard parallels
// one sixth of the latitude range inside its ends, the usual rule. When
// those are symmetric about the equator the cone opens into a cylinder
// and Lambert's cylindrical equal-area projection with the same standard
// parallel is used.
func newProjection(space territory.Space, pts func(yield func(territory.Point) bool)) projection {
	if space == territory.Planar {
		return projection{kind: planar}
	}
	var occupied [3600]bool // longitude in tenths of a degree
	latMin, latMax := math.Inf(1), math.Inf(-1)
	seen, us := false, true
	for p := range pts {
		seen = true
		occupied[lonBin(p.X)] = true
		latMin, latMax = min(latMin, p.Y), max(latMax, p.Y)
		us = us && p.X >= usMinLon && p.X <= usMaxLon && p.Y >= usMinLat && p.Y <= usMaxLat
	}
	if !seen {
		return projection{kind: cylindrical, cosStd: 1}
	}
	lon0 := centralMeridian(&occupied, pts)
	lat0 := (latMin + latMax) / 2
	if us {
		return albersProjection(lon0, lat0, usLat1, usLat2)
	}
	span := latMax - latMin
	lat1, lat2 := latMin+span/6, latMax-span/6
	const rad = math.Pi / 180
	if n := (math.Sin(lat1*rad) + math.Sin(lat2*rad)) / 2; math.Abs(n) < 1e-6 {
		return projection{kind: cylindrical, lon0: lon0, lat1: lat1, lat2: lat2,
			cosStd: math.Cos(math.Max(math.Abs(lat1), math.Abs(lat2)) * rad)}
	}
	return albersProjection(lon0, lat0, lat1, lat2)
}

// centralMeridian halves the smallest arc of longitude that holds every
// point of pts, whose longitudes, in tenths of a degree, occupied marks.
func centralMeridian(occupied *[3600]bool, pts func(yield func(territory.Point) bool)) float64 {
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
	if bestLen == 0 {
		return 0 // the data goes all the way round
	}
	if bestLen < len(occupied) {
		start = -180 + float64(bestEnd+1)/10
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for p := range pts {
		r := math.Mod(p.X-start+720, 360)
		lo, hi = min(lo, r), max(hi, r)
	}
	return wrapLon(start + (lo+hi)/2)
}

// albersProjection is the Albers equal-area conic projection on the
// sphere with central meridian lon0, origin at latitude lat0 and standard
// parallels lat1 and lat2 (degrees; Snyder, "Map Projections: A Working
// Manual", 1987, eqs. 14-1 to 14-4).
func albersProjection(lon0, lat0, lat1, lat2 float64) projection {
	const rad = math.Pi / 180
	pr := projection{kind: albers, lon0: lon0, lat1: lat1, lat2: lat2}
	s1, s2 := math.Sin(lat1*rad), math.Sin(lat2*rad)
	pr.n = (s1 + s2) / 2
	c1 := math.Cos(lat1 * rad)
	pr.c = float64(c1*c1) + 2*pr.n*s1
	pr.rho0 = math.Sqrt(math.Max(0, pr.c-2*pr.n*math.Sin(lat0*rad))) / pr.n
	return pr
}

// mercatorProjection is the spherical Mercator projection with central
// meridian lon0: the projection of web map tiles (EPSG:3857) when lon0 is
// 0, shifted sideways otherwise.
func mercatorProjection(lon0 float64) projection {
	return projection{kind: mercator, lon0: lon0}
}

// mercatorMaxLat is the latitude at which Web Mercator's square world
// ends, atan(sinh(π)) in degrees.
const mercatorMaxLat = 85.0511287798066

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
	case mercator:
		lam := wrapLon(p.X-pr.lon0) * rad
		lat := math.Max(-mercatorMaxLat, math.Min(mercatorMaxLat, p.Y)) * rad
		return r * lam, r * math.Log(math.Tan(math.Pi/4+lat/2))
	}
	return p.X, p.Y
}

// unproject maps a point of the plane back to the map's coordinates. ok
// is false where no point of the map projects: beyond a pole, where p is
// then the pole in the point's direction (latitude ±90°, the longitude
// of the meridian it lies on), or beyond the edge where the cone or the
// cylinder is cut (the meridian opposite the central one), where p is
// the zero Point. Longitudes are returned as the central meridian plus an
// angle within ±180°, not wrapped into [-180, 180).
func (pr *projection) unproject(x, y float64) (p territory.Point, ok bool) {
	const deg = 180 / math.Pi
	const r = spatial.EarthRadiusKm
	x, y = x/r, y/r
	switch pr.kind {
	case albers:
		dy := pr.rho0 - y
		rho := math.Hypot(x, dy)
		theta := math.Atan2(x, dy)
		if pr.n < 0 {
			rho, theta = -rho, math.Atan2(-x, -dy)
		}
		s := (pr.c - rho*rho*pr.n*pr.n) / (2 * pr.n)
		lam := theta / pr.n
		switch {
		case math.Abs(lam) > math.Pi:
			return territory.Point{}, false
		case math.Abs(s) > 1:
			return territory.Point{X: pr.lon0 + lam*deg, Y: math.Copysign(90, s)}, false
		}
		return territory.Point{X: pr.lon0 + lam*deg, Y: math.Asin(s) * deg}, true
	case cylindrical:
		s := y * pr.cosStd
		lam := x / pr.cosStd
		switch {
		case math.Abs(lam) > math.Pi:
			return territory.Point{}, false
		case math.Abs(s) > 1:
			return territory.Point{X: pr.lon0 + lam*deg, Y: math.Copysign(90, s)}, false
		}
		return territory.Point{X: pr.lon0 + lam*deg, Y: math.Asin(s) * deg}, true
	case mercator:
		if math.Abs(x) > math.Pi {
			return territory.Point{}, false
		}
		return territory.Point{X: pr.lon0 + x*deg, Y: math.Atan(math.Sinh(y)) * deg}, true
	}
	return territory.Point{X: x * r, Y: y * r}, true
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
