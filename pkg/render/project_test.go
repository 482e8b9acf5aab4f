package render

import (
	"math"
	"slices"
	"testing"

	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

func seq(pts ...territory.Point) func(func(territory.Point) bool) {
	return slices.Values(pts)
}

func TestProjectionUS(t *testing.T) {
	// The corners of the contiguous US, roughly.
	pr := newProjection(territory.Geographic, seq(
		territory.Point{X: -124.7, Y: 48.4}, territory.Point{X: -67, Y: 44.8},
		territory.Point{X: -80.1, Y: 25.1}, territory.Point{X: -117.1, Y: 32.5}))
	if pr.kind != albers {
		t.Fatalf("kind %v, want albers", pr.kind)
	}
	// The USGS's standard parallels; the central meridian halves -124.7
	// to -67.
	if pr.lat1 != 29.5 || pr.lat2 != 45.5 || math.Abs(pr.lon0+95.85) > 0.01 {
		t.Errorf("lon0 %.3f, parallels %.3f and %.3f", pr.lon0, pr.lat1, pr.lat2)
	}
	// Projected distances are close to great-circle ones near the middle.
	pairs := [][2]territory.Point{
		{{X: -87.6298, Y: 41.8781}, {X: -87.9065, Y: 43.0389}}, // Chicago, Milwaukee
		{{X: -84.388, Y: 33.749}, {X: -86.8025, Y: 33.5207}},   // Atlanta, Birmingham
		{{X: -97.7431, Y: 30.2672}, {X: -95.3698, Y: 29.7604}}, // Austin, Houston
	}
	for _, p := range pairs {
		ax, ay := pr.project(p[0])
		bx, by := pr.project(p[1])
		got := math.Hypot(ax-bx, ay-by)
		want := spatial.Distance(territory.Geographic, p[0], p[1])
		if math.Abs(got/want-1) > 0.02 {
			t.Errorf("%v to %v: %.1f km on the map, %.1f km great-circle", p[0], p[1], got, want)
		}
	}
	// North is up.
	_, ys := pr.project(territory.Point{X: -95, Y: 30})
	_, yn := pr.project(territory.Point{X: -95, Y: 40})
	if yn <= ys {
		t.Errorf("north is not up: y(40N) = %v, y(30N) = %v", yn, ys)
	}
}

func TestProjectionRegions(t *testing.T) {
	tests := []struct {
		name       string
		pts        []territory.Point
		lat1, lat2 float64
	}{
		// Six south-eastern states, as the demo: inside the contiguous US.
		{"south-east US", []territory.Point{{X: -91, Y: 25}, {X: -76, Y: 36.5}}, 29.5, 45.5},
		// Alaska is not in the contiguous US: one sixth inside 55 and 71.
		{"Alaska", []territory.Point{{X: -165, Y: 55}, {X: -141, Y: 71}}, 55 + 16.0/6, 71 - 16.0/6},
		// A point in Mexico takes the data out of the contiguous US.
		{"US and Mexico", []territory.Point{{X: -99.1, Y: 19.4}, {X: -84.4, Y: 33.7}}, 19.4 + 14.3/6, 33.7 - 14.3/6},
		{"western Europe", []territory.Point{{X: -9, Y: 36}, {X: 15, Y: 54}}, 39, 51},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pr := newProjection(territory.Geographic, seq(tt.pts...))
			if pr.kind != albers || math.Abs(pr.lat1-tt.lat1) > 1e-9 || math.Abs(pr.lat2-tt.lat2) > 1e-9 {
				t.Errorf("kind %v, standard parallels %v and %v; want albers, %v and %v", pr.kind, pr.lat1, pr.lat2, tt.lat1, tt.lat2)
			}
		})
	}
}

// TestAlbersKnownValues checks the projection against the worked example
// of Snyder, "Map Projections: A Working Manual" (USGS Professional Paper
// 1395, 1987), p. 291: the sphere of radius 1, standard parallels 29.5°N
// and 45.5°N, origin 23°N 96°W; 35°N 75°W projects to x = 0.2952720,
// y = 0.2416774, with n = 0.6028370.
func TestAlbersKnownValues(t *testing.T) {
	pr := albersProjection(-96, 23, 29.5, 45.5)
	if math.Abs(pr.n-0.6028370) > 5e-8 {
		t.Errorf("n = %.7f, want 0.6028370", pr.n)
	}
	x, y := pr.project(territory.Point{X: -75, Y: 35})
	x, y = x/spatial.EarthRadiusKm, y/spatial.EarthRadiusKm
	if math.Abs(x-0.2952720) > 5e-8 || math.Abs(y-0.2416774) > 5e-8 {
		t.Errorf("35°N 75°W projects to (%.7f, %.7f), want (0.2952720, 0.2416774)", x, y)
	}
}

// TestUnproject checks that unproject inverts project, for every kind of
// projection, and refuses points outside the projection.
func TestUnproject(t *testing.T) {
	projections := []struct {
		name string
		pr   projection
	}{
		{"albers US", albersProjection(-96, 37.5, 29.5, 45.5)},
		{"albers south", albersProjection(150, -30, -40, -20)},
		{"cylindrical", projection{kind: cylindrical, lon0: 10, cosStd: math.Cos(3 * math.Pi / 180)}},
		{"mercator", mercatorProjection(-80)},
	}
	pts := []territory.Point{{X: -96, Y: 37.5}, {X: -120, Y: 48}, {X: -70, Y: 25}, {X: 100, Y: -10}, {X: 179, Y: 60}, {X: -179.5, Y: -45}}
	for _, tc := range projections {
		for _, p := range pts {
			x, y := tc.pr.project(p)
			q, ok := tc.pr.unproject(x, y)
			if !ok || math.Abs(wrapLon(q.X-p.X)) > 1e-9 || math.Abs(q.Y-p.Y) > 1e-9 {
				t.Errorf("%s: %v projects to (%v, %v), which unprojects to %v (ok %v)", tc.name, p, x, y, q, ok)
			}
		}
		if _, ok := tc.pr.unproject(1e6, 1e6); ok {
			t.Errorf("%s: a point 1,000,000 km out unprojects", tc.name)
		}
	}
}

// TestMercator checks Web Mercator's square world: 180° of longitude and
// its largest latitude are both π·R from the centre.
func TestMercator(t *testing.T) {
	pr := mercatorProjection(0)
	half := math.Pi * spatial.EarthRadiusKm
	if x, _ := pr.project(territory.Point{X: 179.9999999, Y: 0}); math.Abs(x-half) > 1e-3 {
		t.Errorf("x(180°E) = %v, want %v", x, half)
	}
	if _, y := pr.project(territory.Point{X: 0, Y: mercatorMaxLat}); math.Abs(y-half) > 1e-6 {
		t.Errorf("y(%v°N) = %v, want %v", mercatorMaxLat, y, half)
	}
	if _, y := pr.project(territory.Point{X: 0, Y: 89.9}); math.Abs(y-half) > 1e-6 {
		t.Errorf("y(89.9°N) = %v: not clamped to the square world", y)
	}
}

func TestProjectionAntimeridian(t *testing.T) {
	pr := newProjection(territory.Geographic, seq(
		territory.Point{X: 178, Y: -16}, territory.Point{X: -179, Y: -18}, territory.Point{X: 179.5, Y: -17}))
	if d := math.Abs(wrapLon(pr.lon0 - 179.5)); d > 0.01 {
		t.Errorf("central meridian %v, want 179.5", pr.lon0)
	}
	ax, _ := pr.project(territory.Point{X: 178, Y: -17})
	bx, _ := pr.project(territory.Point{X: -179, Y: -17})
	if w := bx - ax; w < 300 || w > 330 {
		t.Errorf("3 degrees of longitude across the antimeridian are %.1f km wide, want about 319", w)
	}
}

func TestProjectionEquator(t *testing.T) {
	pr := newProjection(territory.Geographic, seq(territory.Point{X: 10, Y: -5}, territory.Point{X: 12, Y: 5}))
	if pr.kind != cylindrical {
		t.Fatalf("kind %v, want cylindrical for data centred on the equator", pr.kind)
	}
	x, y := pr.project(territory.Point{X: 11, Y: 0})
	if math.Abs(x) > 1e-9 || math.Abs(y) > 1e-9 {
		t.Errorf("the centre projects to (%v, %v), want (0, 0)", x, y)
	}
}

func TestProjectionPlanar(t *testing.T) {
	pr := newProjection(territory.Planar, seq(territory.Point{X: 3, Y: 4}))
	if x, y := pr.project(territory.Point{X: 3, Y: 4}); x != 3 || y != 4 {
		t.Errorf("planar projection moved (3, 4) to (%v, %v)", x, y)
	}
}
