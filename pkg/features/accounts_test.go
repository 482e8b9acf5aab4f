package features

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/paulmach/orb"

	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// kmPerDegree is the length of a degree of a great circle on the sphere
// of radius spatial.EarthRadiusKm.
var kmPerDegree = spatial.EarthRadiusKm * math.Pi / 180

func cosDeg(d float64) float64 { return math.Cos(d * math.Pi / 180) }

// rect gives the area (km²) and the centroid latitude of the lon/lat
// rectangle [x0, x1] × [y0, y1] as the sinusoidal projection sees it: a
// trapezoid whose parallel sides are (x1-x0)·cos(y0) and (x1-x0)·cos(y1),
// with height y1-y0. Its centroid lies (y1-y0)(a+2b)/(3(a+b)) above the
// side of length a.
func rect(x0, x1, y0, y1 float64) (area, lat float64) {
	a, b := (x1-x0)*cosDeg(y0), (x1-x0)*cosDeg(y1)
	h := y1 - y0
	return (a + b) / 2 * h * kmPerDegree * kmPerDegree, y0 + h*(a+2*b)/(3*(a+b))
}

func readFile(t *testing.T, name string, opt Options) (territory.Accounts, *Units, error) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return ReadAccounts(f, name, opt)
}

func TestReadAccounts(t *testing.T) {
	unitArea, unitLat := rect(0, 1, 0, 1)
	upperArea, upperLat := rect(0, 1, 1, 2)
	outerArea, outerLat := rect(0, 2, 0, 2)
	holeArea, holeLat := rect(0.5, 1.5, 0.5, 1.5)
	donutArea := outerArea - holeArea
	donutLat := (outerArea*outerLat - holeArea*holeLat) / donutArea
	sq := func(x0, y0 float64) orb.Polygon {
		return orb.Polygon{{{x0, y0}, {x0 + 1, y0}, {x0 + 1, y0 + 1}, {x0, y0 + 1}, {x0, y0}}}
	}
	tests := []struct {
		name      string
		file      string
		opt       Options
		want      territory.Accounts
		wantUnits *Units
	}{
		{
			name: "two squares sharing an edge",
			file: "two_squares.geojson",
			opt:  Options{Measures: []string{"Pop"}},
			want: territory.Accounts{
				IDs:      []string{"west", "east"},
				Names:    []string{"West", "East"},
				Locs:     []territory.Point{{X: 0.5, Y: unitLat}, {X: 1.5, Y: unitLat}},
				Measures: []territory.Measure{{Name: "pop", Column: "pop", Values: []float64{100, 250.5}}},
				Source:   "two_squares.geojson",
				Rows:     []int{1, 2},
			},
			wantUnits: &Units{
				Geoms: []orb.Geometry{sq(0, 0), orb.Polygon{{{1, 1}, {1, 0}, {2, 0}, {2, 1}, {1, 1}}}},
				Areas: []float64{unitArea, unitArea},
				// The squares share the edge (1,0)-(1,1), walked in
				// opposite directions.
				Adjacency: [][]int32{{1}, {0}},
				Corners:   [][]int32{nil, nil},
			},
		},
		{
			name: "ids mapped to the name property, names off",
			file: "two_squares.geojson",
			opt:  Options{Columns: map[string]string{"id": "Name", "name": ""}},
			want: territory.Accounts{
				IDs:      []string{"West", "East"},
				Locs:     []territory.Point{{X: 0.5, Y: unitLat}, {X: 1.5, Y: unitLat}},
				Measures: []territory.Measure{{Name: "pop", Column: "pop", Values: []float64{100, 250.5}}},
				Source:   "two_squares.geojson",
				Rows:     []int{1, 2},
			},
			wantUnits: &Units{
				Geoms:     []orb.Geometry{sq(0, 0), orb.Polygon{{{1, 1}, {1, 0}, {2, 0}, {2, 1}, {1, 1}}}},
				Areas:     []float64{unitArea, unitArea},
				Adjacency: [][]int32{{1}, {0}},
				Corners:   [][]int32{nil, nil},
			},
		},
		{
			name: "squares touching at a corner",
			file: "corner_squares.geojson",
			want: territory.Accounts{
				IDs:    []string{"01001", "01003"},
				Locs:   []territory.Point{{X: 0.5, Y: unitLat}, {X: 1.5, Y: upperLat}},
				Source: "corner_squares.geojson",
				Rows:   []int{1, 2},
			},
			wantUnits: &Units{
				Geoms: []orb.Geometry{sq(0, 0), sq(1, 1)},
				Areas: []float64{unitArea, upperArea},
				// Not rook neighbours: they share the point (1,1) only.
				Adjacency: [][]int32{nil, nil},
				Corners:   [][]int32{{1}, {0}},
			},
		},
		{
			name: "a MultiPolygon and the squares between its parts",
			file: "multipolygon.geojson",
			want: territory.Accounts{
				// The numeric feature ids win over the fips property.
				IDs: []string{"1", "2", "3"},
				// The parts are symmetric about longitude 2.
				Locs:     []territory.Point{{X: 2, Y: unitLat}, {X: 1.5, Y: unitLat}, {X: 2.5, Y: unitLat}},
				Measures: []territory.Measure{{Name: "area_code", Column: "area_code", Values: []float64{7, 8, 0}}},
				Source:   "multipolygon.geojson",
				Rows:     []int{1, 2, 3},
			},
			wantUnits: &Units{
				Geoms:     []orb.Geometry{orb.MultiPolygon{sq(0, 0), sq(3, 0)}, sq(1, 0), sq(2, 0)},
				Areas:     []float64{2 * unitArea, unitArea, unitArea},
				Adjacency: [][]int32{{1, 2}, {0, 2}, {0, 1}},
				Corners:   [][]int32{nil, nil, nil},
			},
		},
		{
			name: "a boundary split at a T-junction",
			file: "t_junction.geojson",
			want: territory.Accounts{
				IDs:    []string{"south", "northwest", "northeast"},
				Locs:   []territory.Point{{X: 1, Y: unitLat}, {X: 0.5, Y: upperLat}, {X: 1.5, Y: upperLat}},
				Source: "t_junction.geojson",
				Rows:   []int{1, 2, 3},
			},
			wantUnits: &Units{
				Geoms: []orb.Geometry{
					orb.Polygon{{{0, 0}, {2, 0}, {2, 1}, {0, 1}, {0, 0}}}, sq(0, 1), sq(1, 1),
				},
				Areas: []float64{2 * unitArea, upperArea, upperArea},
				// South's one top edge (2,1)-(0,1) meets each northern
				// square's bottom edge along half its length.
				Adjacency: [][]int32{{1, 2}, {0, 2}, {0, 1}},
				Corners:   [][]int32{nil, nil, nil},
			},
		},
		{
			name: "across the antimeridian, and a polygon with a hole",
			file: "antimeridian.geojson",
			want: territory.Accounts{
				IDs:    []string{"dateline", "donut"},
				Locs:   []territory.Point{{X: 180, Y: unitLat}, {X: 1, Y: donutLat}},
				Source: "antimeridian.geojson",
				Rows:   []int{1, 2},
			},
			wantUnits: &Units{
				Geoms: []orb.Geometry{
					orb.MultiPolygon{sq(179, 0), sq(-180, 0)},
					orb.Polygon{
						{{0, 0}, {2, 0}, {2, 2}, {0, 2}, {0, 0}},
						{{0.5, 0.5}, {0.5, 1.5}, {1.5, 1.5}, {1.5, 0.5}, {0.5, 0.5}},
					},
				},
				Areas:     []float64{2 * unitArea, donutArea},
				Adjacency: [][]int32{nil, nil},
				Corners:   [][]int32{nil, nil},
			},
		},
		{
			name: "points with properties",
			file: "points.geojson",
			want: territory.Accounts{
				IDs:   []string{"a1", "a2", "3"},
				Names: []string{"Acme", "Bolt", ""},
				// The altitude of the second point is ignored.
				Locs: []territory.Point{{X: -74.006, Y: 40.7128}, {X: -87.6298, Y: 41.8781}, {X: -118.2437, Y: 34.0522}},
				// "note" holds text, so it is no measure; "lat" is named
				// like a location, so it is neither used nor a measure.
				Measures: []territory.Measure{
					{Name: "annual_revenue", Column: "Annual Revenue", Values: []float64{1200.5, 800, 0}},
					{Name: "visits", Column: "visits", Values: []float64{3, 0, 0}},
				},
				Owners: []string{"r1", "r2", ""},
				Locked: []bool{true, false, false},
				Source: "points.geojson",
				Rows:   []int{1, 2, 3},
			},
		},
	}
	approx := cmpopts.EquateApprox(0, 1e-9)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, u, err := readFile(t, tt.file, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, a, approx, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("accounts (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantUnits, u, approx); diff != "" {
				t.Errorf("units (-want +got):\n%s", diff)
			}
		})
	}
}

// TestBadRings reads the hand-made file of bad rings.
func TestBadRings(t *testing.T) {
	_, _, err := readFile(t, "bad_ring.geojson", Options{})
	want := `read accounts "bad_ring.geojson": row 1: ring 1 is not closed (it starts at [0, 0] and ends at [0, 0.5]; the last position must repeat the first)
read accounts "bad_ring.geojson": row 2: ring 1 has 3 positions (expected at least 4, the last repeating the first)
read accounts "bad_ring.geojson": row 3: ring 1 intersects itself near [0.5, 0.5]
read accounts "bad_ring.geojson": row 4: polygon 1, ring 2, position 3: latitude 200 is not between -90 and 90`
	if err == nil || err.Error() != want {
		t.Errorf("error:\n%v\nwant:\n%s", err, want)
	}
}

// TestRealWorldRings checks what simplified files have and the reader
// accepts: a ring collapsed to a line, a spike retracing the boundary and
// a tiny twist, beside a bow tie, which it refuses.
func TestRealWorldRings(t *testing.T) {
	tests := []struct {
		name    string
		ring    string
		wantErr string
	}{
		{"collapsed ring", `[[0, 0], [1, 1], [0, 0]]`, ""},
		{"collapsed to a point", `[[0, 0], [0, 0]]`, ""},
		{"spike", `[[0, 0], [4, 0], [4, 2], [5, 2], [4, 2], [4, 4], [0, 4], [0, 0]]`, ""},
		{"pinched at a vertex", `[[0, 0], [2, 0], [1, 1], [2, 2], [0, 2], [1, 1], [0, 0]]`, ""},
		// A loop of 0.0005 square degrees in a ring of 16: under 1%.
		{"tiny twist", `[[0, 0], [4, 0], [4, 2], [3.99, 2.05], [3.99, 1.95], [4, 2.1], [4, 4], [0, 4], [0, 0]]`, ""},
		{"bow tie", `[[0, 0], [4, 4], [4, 0], [0, 4], [0, 0]]`, `read accounts "in.geojson": row 1: ring 1 intersects itself near [2, 2]`},
		// The edges (4,2)-(0,4) and (1,5)-(1,3) cross at (1, 3.5), cutting
		// off a loop of 0.75 square degrees from a ring of about 11.
		{"figure of eight", `[[0, 0], [4, 0], [4, 2], [0, 4], [1, 5], [1, 3], [0, 2], [0, 0]]`, `read accounts "in.geojson": row 1: ring 1 intersects itself near [1, 3.5]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := collection(withGeometry("a", `{"type": "Polygon", "coordinates": [`+tt.ring+`]}`))
			a, u, err := ReadAccounts(strings.NewReader(in), "in.geojson", Options{})
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("error %v, want none", err)
			case tt.wantErr != "" && (err == nil || err.Error() != tt.wantErr):
				t.Fatalf("error %v, want %s", err, tt.wantErr)
			case err != nil:
				return
			}
			if a.Len() != 1 || u == nil || u.Len() != 1 {
				t.Fatalf("got %d accounts, units %v; want 1 unit", a.Len(), u)
			}
			loc := a.Locs[0]
			if math.IsNaN(loc.X) || math.IsNaN(loc.Y) || loc.X < 0 || loc.X > 5 || loc.Y < 0 || loc.Y > 5 {
				t.Errorf("centroid %v is not within the ring's bounds", loc)
			}
		})
	}
}

// TestCollapsedUnitLocation checks that a unit of zero area is located at
// the mean of its ring's positions and has no area.
func TestCollapsedUnitLocation(t *testing.T) {
	in := collection(withGeometry("a", `{"type": "Polygon", "coordinates": [[[0, 0], [2, 2], [0, 0]]]}`))
	a, u, err := ReadAccounts(strings.NewReader(in), "in.geojson", Options{})
	if err != nil {
		t.Fatal(err)
	}
	// The mean of (0,0) and (2,2), the first position not repeated.
	want := territory.Point{X: 1, Y: 1}
	if d := math.Hypot(a.Locs[0].X-want.X, a.Locs[0].Y-want.Y); d > 1e-9 || u.Areas[0] != 0 {
		t.Errorf("location %v, area %v; want %v, 0", a.Locs[0], u.Areas[0], want)
	}
}

// TestEscapedProperties checks keys and values written with JSON escapes,
// and white space around them.
func TestEscapedProperties(t *testing.T) {
	in := collection(`{ "type" : "Feature" , "properties" : { "ID" : "a\"1" , "Pop\u0020Total" : "1\u0032" , "tags" : ["x", {"y": "]"}] , "w" : -2.5e1 } ,
	  "geometry" : { "type" : "Point" , "coordinates" : [ 1 , 2 ] } }`)
	a, _, err := ReadAccounts(strings.NewReader(in), "in.geojson", Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := territory.Accounts{
		IDs:  []string{`a"1`},
		Locs: []territory.Point{{X: 1, Y: 2}},
		Measures: []territory.Measure{
			{Name: "pop_total", Column: "Pop Total", Values: []float64{12}},
			{Name: "w", Column: "w", Values: []float64{-25}},
		},
		Source: "in.geojson",
		Rows:   []int{1},
	}
	if diff := cmp.Diff(want, a, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("accounts (-want +got):\n%s", diff)
	}
}

// readWarned reads the accounts and units of a collection, which must
// read without error and with the warnings want.
func readWarned(t *testing.T, in string, want []string) (territory.Accounts, *Units) {
	t.Helper()
	var warnings []string
	a, u, err := ReadAccounts(strings.NewReader(in), "in.geojson", Options{Warn: func(e *territory.InputError) { warnings = append(warnings, e.Error()) }})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, warnings); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	return a, u
}

// TestRingsThatEncloseNothing checks that closed rings of two or three
// positions are dropped with a warning naming the feature and the ring,
// and that a unit left with nothing else keeps its place and no area.
func TestRingsThatEncloseNothing(t *testing.T) {
	const w = `read accounts "in.geojson": row 2: `
	const nothing = "which enclose nothing (a ring needs at least 4, the last repeating the first)"
	tests := []struct {
		name     string
		geometry string
		warnings []string
		parts    int     // polygons of the unit as read
		area     float64 // in square degrees at the equator, as the square's
	}{
		{name: "hole [a, b, a]", geometry: `{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]], [[0.2, 0.2], [0.5, 0.5], [0.2, 0.2]]]}`,
			warnings: []string{w + "ring 2 has only 3 positions, " + nothing + ": it is dropped from the unit's outline"}, parts: 1, area: 1},
		{name: "hole [a, a]", geometry: `{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]], [[0.2, 0.2], [0.2, 0.2]]]}`,
			warnings: []string{w + "ring 2 has only 2 positions, " + nothing + ": it is dropped from the unit's outline"}, parts: 1, area: 1},
		{name: "a sliver beside an island", geometry: `{"type": "MultiPolygon", "coordinates": [[[[5, 5], [6, 6], [5, 5]]], [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]]}`,
			warnings: []string{w + "polygon 1, ring 1 has only 3 positions, " + nothing + ": polygon 1 is dropped from the unit's outline"}, parts: 1, area: 1},
		{name: "nothing else", geometry: `{"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [0, 0]]]}`,
			warnings: []string{w + "ring 1 has only 3 positions, " + nothing + ": the unit has no area, and is located at the mean of its positions"},
			parts:    1, area: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := collection(square("a", 10, ""), withGeometry("b", tt.geometry))
			a, u := readWarned(t, in, tt.warnings)
			parts := 1
			switch g := u.Geoms[1].(type) {
			case orb.MultiPolygon:
				parts = len(g)
			case orb.Polygon:
				if len(g) != 1 {
					t.Errorf("%d rings kept, want the outer ring alone", len(g))
				}
			}
			if parts != tt.parts {
				t.Errorf("%d polygons kept, want %d", parts, tt.parts)
			}
			// A square degree at the equator is (R·π/180)² km², less a
			// little for its latitude: within 0.01%.
			if want := tt.area * kmPerDegree * kmPerDegree; math.Abs(u.Areas[1]-want) > 1e-4*want+1e-9 {
				t.Errorf("area %v km², want about %v", u.Areas[1], want)
			}
			if loc := a.Locs[1]; loc.X < 0 || loc.X > 1 || loc.Y < 0 || loc.Y > 1 {
				t.Errorf("location %v is not in the square", loc)
			}
		})
	}
}

// TestBadHoles checks that a hole that crosses its outer ring, or lies
// outside it, is ignored with a warning naming the feature and the ring,
// so that the unit's area and centroid are its outer ring's; and that a
// hole touching its ring at a vertex is a hole.
func TestBadHoles(t *testing.T) {
	const shell = `[[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]]`
	const w = `read accounts "in.geojson": row 1: `
	tests := []struct {
		name     string
		hole     string
		warnings []string
		hollow   bool // the hole counts
	}{
		{name: "inside", hole: `[[1, 1], [2, 1], [2, 2], [1, 2], [1, 1]]`, hollow: true},
		{name: "touching at a vertex", hole: `[[0, 0], [1, 1], [1, 2], [0, 0]]`, hollow: true},
		// The hole's edge (3, 1)-(5, 1) leaves the square through its side
		// x = 4 at (4, 1).
		{name: "crossing", hole: `[[3, 1], [5, 1], [5, 2], [3, 2], [3, 1]]`,
			warnings: []string{w + "ring 2, a hole, crosses its outer ring near [4, 1]: it is dropped from the unit's outline (the area and the centre are the outer ring's)"}},
		{name: "outside", hole: `[[5, 5], [6, 5], [6, 6], [5, 5]]`,
			warnings: []string{w + "ring 2, a hole, lies outside its outer ring: it is dropped from the unit's outline (the area and the centre are the outer ring's)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := collection(withGeometry("a", `{"type": "Polygon", "coordinates": [`+shell+`, `+tt.hole+`]}`))
			a, u := readWarned(t, in, tt.warnings)
			rings := len(u.Geoms[0].(orb.Polygon))
			square, squareArea := centroidArea(orb.Polygon{orb.Ring{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}})
			switch {
			case tt.hollow && (rings != 2 || !(u.Areas[0] < squareArea)):
				t.Errorf("%d rings, area %v: want the hole kept, the area below the square's %v", rings, u.Areas[0], squareArea)
			case !tt.hollow && (rings != 1 || u.Areas[0] != squareArea || a.Locs[0] != square):
				t.Errorf("%d rings, area %v at %v: want the square's, %v at %v", rings, u.Areas[0], a.Locs[0], squareArea, square)
			}
		})
	}
}

// TestDroppedRingsMakeNeighbours checks that a sliver dropped from a unit's
// outline still makes it a neighbour of the unit whose side it lies
// along, as in simplified county files (San Francisco's sliver on
// Alameda's side of the bay).
func TestDroppedRingsMakeNeighbours(t *testing.T) {
	in := collection(withGeometry("a", `{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}`),
		withGeometry("b", `{"type": "MultiPolygon", "coordinates": [[[[1, 0], [1, 1], [1, 0]]], [[[3, 0], [4, 0], [4, 1], [3, 1], [3, 0]]]]}`))
	var warnings int
	_, u, err := ReadAccounts(strings.NewReader(in), "in.geojson", Options{Warn: func(*territory.InputError) { warnings++ }})
	if err != nil {
		t.Fatal(err)
	}
	if mp, ok := u.Geoms[1].(orb.MultiPolygon); !ok || len(mp) != 1 || warnings != 1 {
		t.Errorf("unit b is %v with %d warnings; want its square alone, and one warning", u.Geoms[1], warnings)
	}
	if diff := cmp.Diff([][2]int32{{0, 1}}, u.Pairs()); diff != "" {
		t.Errorf("neighbours (-want +got):\n%s", diff)
	}
}
