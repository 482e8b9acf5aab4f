package spatial

import (
	"math"
	"slices"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// Projection maps the points of a problem onto a plane, for the planar
// geometry of [Delaunay] and [VoronoiCells]. For a geographic space it is
// the equirectangular projection centred on the data, in kilometres:
//
//	x = R·(lon − Lon0)·cos(Lat0)·π/180,  y = R·(lat − Lat0)·π/180
//
// on a sphere of radius R = [EarthRadiusKm]. Lon0 halves the smallest arc
// of longitude that holds every point (so data across the antimeridian
// stays in one piece) and Lat0 halves the range of latitudes.
// Distances are true along every meridian and along the parallel Lat0;
// east-west distances elsewhere are off by cos(lat)/cos(Lat0) − 1 (for
// the contiguous US, between -18% and +13%), which is harmless for
// neighbourhood graphs and cells. The projection is affine in longitude
// and latitude, so straight lines in the plane are straight lines in
// degrees: a tiling of the plane maps back to a tiling of the map, vertex
// by vertex, with no overlaps or gaps.
//
// For a planar space it is the identity.
type Projection struct {
	Space territory.Space
	// Lon0 and Lat0 are the centre, in degrees (geographic only).
	Lon0, Lat0 float64
	// KmPerDegLon and KmPerDegLat are the scales (geographic only).
	KmPerDegLon, KmPerDegLat float64
}

// minCosLat bounds cos(Lat0) away from zero for data near a pole.
const minCosLat = 0.01

// NewProjection returns the projection for pts in space (see
// [Projection]). Without points, a geographic projection is centred on
// (0, 0).
func NewProjection(space territory.Space, pts []territory.Point) Projection {
	pr := Projection{Space: space}
	if space == territory.Planar {
		return pr
	}
	const rad = math.Pi / 180
	pr.KmPerDegLat = EarthRadiusKm * rad
	if len(pts) == 0 {
		pr.KmPerDegLon = pr.KmPerDegLat
		return pr
	}
	latMin, latMax := math.Inf(1), math.Inf(-1)
	lons := make([]float64, len(pts))
	for i, p := range pts {
		latMin, latMax = min(latMin, p.Y), max(latMax, p.Y)
		lons[i] = wrapLon(p.X)
	}
	slices.Sort(lons)
	// The centre of the smallest arc holding every longitude lies opposite
	// the largest gap between consecutive longitudes (around the circle).
	gap, after := lons[0]+360-lons[len(lons)-1], lons[0]
	for k := 1; k < len(lons); k++ {
		if g := lons[k] - lons[k-1]; g > gap {
			gap, after = g, lons[k]
		}
	}
	span := 360 - gap
	pr.Lon0 = wrapLon(after + span/2)
	pr.Lat0 = latMin/2 + latMax/2
	pr.KmPerDegLon = pr.KmPerDegLat * max(math.Cos(pr.Lat0*rad), minCosLat)
	return pr
}

// wrapLon brings a longitude into [-180, 180).
func wrapLon(lon float64) float64 {
	if lon >= -180 && lon < 180 {
		return lon
	}
	lon = math.Mod(lon+180, 360)
	if lon < 0 {
		lon += 360
	}
	return lon - 180
}

// Forward projects p onto the plane. Longitudes are taken within 180
// degrees of Lon0.
func (pr Projection) Forward(p territory.Point) territory.Point {
	if pr.Space == territory.Planar {
		return p
	}
	return territory.Point{
		X: wrapLon(p.X-pr.Lon0) * pr.KmPerDegLon,
		Y: (p.Y - pr.Lat0) * pr.KmPerDegLat,
	}
}

// Inverse maps a point of the plane back. Longitudes are not wrapped:
// they run on continuously from Lon0, so that a polygon across the
// antimeridian stays in one piece (with longitudes beyond ±180).
func (pr Projection) Inverse(p territory.Point) territory.Point {
	if pr.Space == territory.Planar {
		return p
	}
	return territory.Point{X: pr.Lon0 + p.X/pr.KmPerDegLon, Y: pr.Lat0 + p.Y/pr.KmPerDegLat}
}

// Project projects pts with [NewProjection](space, pts): geographic
// points become kilometres on the local equirectangular projection
// centred on them; planar points are returned as they are (a copy).
func Project(space territory.Space, pts []territory.Point) []territory.Point {
	pr := NewProjection(space, pts)
	out := make([]territory.Point, len(pts))
	for i, p := range pts {
		out[i] = pr.Forward(p)
	}
	return out
}
