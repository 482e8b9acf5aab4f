package spatial

import (
	"math"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// EarthRadiusKm is the mean Earth radius (IUGG), in kilometres.
const EarthRadiusKm = 6371.0088

// Distance is the distance between a and b: great-circle kilometres
// (haversine) in a geographic space, Euclidean in a planar one.
func Distance(s territory.Space, a, b territory.Point) float64 {
	if s == territory.Planar {
		return math.Hypot(a.X-b.X, a.Y-b.Y)
	}
	const rad = math.Pi / 180
	lat1, lat2 := a.Y*rad, b.Y*rad
	dLat := lat2 - lat1
	dLon := (b.X - a.X) * rad
	// Explicit conversions keep the compiler from fusing multiply-adds on
	// some architectures, so that every machine computes the same bits.
	sLat, sLon := math.Sin(dLat/2), math.Sin(dLon/2)
	h := float64(sLat*sLat) + float64(math.Cos(lat1)*math.Cos(lat2)*sLon*sLon)
	h = math.Min(1, math.Max(0, h))
	return 2 * EarthRadiusKm * math.Asin(math.Sqrt(h))
}

// Vec3 is a point embedded in three dimensions (see Embed).
type Vec3 [3]float64

// Embed places p in three dimensions: on the sphere of radius EarthRadiusKm
// for a geographic space, in the z = 0 plane for a planar one.
func Embed(s territory.Space, p territory.Point) Vec3 {
	if s == territory.Planar {
		return Vec3{p.X, p.Y, 0}
	}
	const rad = math.Pi / 180
	lat, lon := p.Y*rad, p.X*rad
	c := math.Cos(lat)
	return Vec3{EarthRadiusKm * c * math.Cos(lon), EarthRadiusKm * c * math.Sin(lon), EarthRadiusKm * math.Sin(lat)}
}

// Unembed is the inverse of Embed. A geographic vector off the sphere (such
// as the mean of several embedded points) is projected onto it along the
// ray from the Earth's centre; the zero vector maps to (0, 0).
func Unembed(s territory.Space, v Vec3) territory.Point {
	if s == territory.Planar {
		return territory.Point{X: v[0], Y: v[1]}
	}
	const deg = 180 / math.Pi
	r := math.Sqrt(float64(v[0]*v[0]) + float64(v[1]*v[1]) + float64(v[2]*v[2]))
	if r == 0 {
		return territory.Point{}
	}
	lat := math.Asin(math.Max(-1, math.Min(1, v[2]/r))) * deg
	lon := math.Atan2(v[1], v[0]) * deg
	return territory.Point{X: lon, Y: lat}
}

// Dist2 is the squared straight-line distance between a and b.
func Dist2(a, b Vec3) float64 {
	dx, dy, dz := a[0]-b[0], a[1]-b[1], a[2]-b[2]
	return float64(dx*dx) + float64(dy*dy) + float64(dz*dz) // no fused multiply-add: same bits everywhere
}

// ChordToArc converts a straight-line distance between two points on the
// sphere into the great-circle distance between them. In a planar space the
// two are the same and the distance is returned unchanged.
func ChordToArc(s territory.Space, chord float64) float64 {
	if s == territory.Planar {
		return chord
	}
	x := chord / (2 * EarthRadiusKm)
	if x >= 1 {
		return math.Pi * EarthRadiusKm
	}
	return 2 * EarthRadiusKm * math.Asin(x)
}
