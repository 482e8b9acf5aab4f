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
	// Standard parallels one sixth inside 25.1 and 48.4: 28.98 and 44.52.
	if math.Abs(pr.lat1-28.983) > 0.01 || math.Abs(pr.lat2-44.517) > 0.01 || math.Abs(pr.lon0+95.85) > 0.01 {
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
