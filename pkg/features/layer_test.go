package features

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// errorLines splits a joined error into its lines.
func errorLines(err error) []string {
	if err == nil {
		return nil
	}
	return strings.Split(err.Error(), "\n")
}

func TestReadUnits(t *testing.T) {
	// Three squares in a row, ids in a "zcta" property, names, one
	// measure that a layer ignores.
	in := collection(
		`{"type": "Feature", "properties": {"ZCTA": "30301", "name": "A", "pop": 1}, "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}}`,
		`{"type": "Feature", "properties": {"ZCTA": "30302", "name": "B", "pop": 2}, "geometry": {"type": "Polygon", "coordinates": [[[1, 0], [2, 0], [2, 1], [1, 1], [1, 0]]]}}`,
		`{"type": "Feature", "properties": {"ZCTA": "30303", "name": "C", "pop": 3}, "geometry": {"type": "MultiPolygon", "coordinates": [[[[2, 0], [3, 0], [3, 1], [2, 1], [2, 0]]]]}}`)
	l, err := ReadUnits(context.Background(), strings.NewReader(in), "zips.geojson", LayerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"30301", "30302", "30303"}, l.IDs); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
	if !slices.Equal(l.IDColumns, []string{"ZCTA"}) {
		t.Errorf("IDColumns %q, want [ZCTA]", l.IDColumns)
	}
	if l.IDColumn != "ZCTA" || l.Source != "zips.geojson" {
		t.Errorf("IDColumn %q, Source %q; want ZCTA, zips.geojson", l.IDColumn, l.Source)
	}
	if diff := cmp.Diff([]string{"A", "B", "C"}, l.Names); diff != "" {
		t.Errorf("names (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([][]int32{{1}, {0, 2}, {1}}, l.Adjacency); diff != "" {
		t.Errorf("adjacency (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{1, 2, 3}, l.Rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	// The centroid of the middle square.
	if c := l.Locs[1]; c.X < 1.499 || c.X > 1.501 || c.Y < 0.499 || c.Y > 0.501 {
		t.Errorf("centre of 30302 = %v, want about (1.5, 0.5)", c)
	}

	// Feature ids, and a geoid property that holds them too.
	l, err = ReadUnits(context.Background(), strings.NewReader(collection(square("13001", 0, `"geoid": "13001", "fips": 1`), square("13003", 1, `"geoid": "13003", "fips": 3`))), "c.geojson", LayerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(l.IDColumns, []string{"geoid"}) || l.IDColumn != "" {
		t.Errorf("IDColumns %q, IDColumn %q; want [geoid] and none", l.IDColumns, l.IDColumn)
	}

	// --unit-id names another property.
	l, err = ReadUnits(context.Background(), strings.NewReader(in), "zips.geojson", LayerOptions{ID: "name"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"A", "B", "C"}, l.IDs); diff != "" || l.IDColumn != "name" {
		t.Errorf("ids by name (-want +got):\n%s; IDColumn %q", diff, l.IDColumn)
	}
}

func TestReadUnitsErrors(t *testing.T) {
	const p = `read units "units.geojson": `
	tests := []struct {
		name  string
		input string
		opt   LayerOptions
		want  []string
	}{
		{"points, not polygons", collection(point("a", 1, 2, ""), point("b", 2, 3, "")), LayerOptions{},
			[]string{
				p + "row 1: Point geometry in a layer of units, which are Polygons or MultiPolygons (the accounts are placed in them; give points to --accounts)",
				p + "row 2: Point geometry in a layer of units, which are Polygons or MultiPolygons (the accounts are placed in them; give points to --accounts)",
			}},
		{"a point among polygons", collection(square("a", 0, ""), point("b", 2, 3, "")), LayerOptions{},
			[]string{p + "row 2: Point geometry in a layer of units, which are Polygons or MultiPolygons (the accounts are placed in them; give points to --accounts)"}},
		{"no id", collection(
			`{"type": "Feature", "properties": {"pop": 1}, "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}}`),
			LayerOptions{},
			[]string{p + `no id: the features have no "id" member and no id property (expected one of "id", "account_id", "account", "geoid", "geoid20", "geoid10", "geo_id", "fips", "fips_code", "zip", "zip_code", "zipcode", "zcta", "zcta5", "zcta5ce20", "zcta5ce10", "postcode", "postal_code", "code", "rep_id" or "name"; found "pop")`}},
		{"the id property named is missing", collection(square("a", 0, `"geoid": "1"`)), LayerOptions{ID: "zip"},
			[]string{p + `column mapping id="zip": no such property (found "geoid")`}},
		{"duplicate ids", collection(square("a", 0, ""), square("b", 1, ""), square("a", 2, "")), LayerOptions{},
			[]string{p + `row 3: duplicate id "a" (first at row 1)`}},
		{"an unclosed ring", collection(withGeometry("a", `{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}`)), LayerOptions{},
			[]string{p + "row 1: ring 1 is not closed (it starts at [0, 0] and ends at [0, 1]; the last position must repeat the first)"}},
		{"a bow tie", collection(withGeometry("a", `{"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}`)), LayerOptions{},
			[]string{p + "row 1: ring 1 intersects itself near [0.5, 0.5]"}},
		{"not a collection", `{"type": "Feature"}`, LayerOptions{},
			[]string{p + `not a GeoJSON FeatureCollection (its type is "Feature")`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, err := ReadUnits(context.Background(), strings.NewReader(tc.input), "units.geojson", tc.opt)
			if l != nil {
				t.Errorf("got a layer of %d units with the error", l.Len())
			}
			var ie *territory.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v is not an *InputError", err)
			}
			if diff := cmp.Diff(tc.want, errorLines(err)); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

// testLayer is three unit squares side by side, 0 to 3 in longitude and
// latitude, ids "10", "20" and "30".
func testLayer(t *testing.T) *Layer {
	t.Helper()
	in := collection(square("10", 0, ""), square("20", 1, ""), square("30", 2, ""))
	l, err := ReadUnits(context.Background(), strings.NewReader(in), "layer.geojson", LayerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestPlace(t *testing.T) {
	l := testLayer(t)
	pt := func(x, y float64) territory.Point { return territory.Point{X: x, Y: y} }
	a := &territory.Accounts{
		Source: "a.csv",
		IDs:    []string{"a", "b", "c", "d", "e", "f"},
		Rows:   []int{2, 3, 4, 5, 6, 7},
		Locs:   []territory.Point{pt(0.5, 0.5), pt(1, 0.5), pt(2.5, 0.9), pt(3.01, 0.5), pt(-0.5, 0.5), pt(0.5, 0.5)},
		Units:  []string{"", "", "", "", "", "30"},
	}
	var warnings []string
	of, err := l.Place(a, territory.Geographic, "zip", func(e *territory.InputError) { warnings = append(warnings, e.Error()) })
	if err != nil {
		t.Fatal(err)
	}
	// b is on the boundary of 10 and 20: the first; d and e lie beyond the
	// ends; f's unit column wins over its location.
	if diff := cmp.Diff([]int{0, 0, 2, 2, 0, 2}, of); diff != "" {
		t.Errorf("units (-want +got):\n%s", diff)
	}
	want := []string{`accounts "a.csv": 2 accounts are in no unit of "layer.geojson" and went to the nearest: row 5 to "30", 1.1 km away; row 6 to "10", 55.6 km away`}
	if diff := cmp.Diff(want, warnings); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}

	// Every account by its unit id: planar accounts will do.
	byID := &territory.Accounts{Source: "a.csv", IDs: []string{"a", "b"}, Rows: []int{2, 3}, Locs: make([]territory.Point, 2), Units: []string{"20", "10"}}
	if of, err := l.Place(byID, territory.Planar, "zip", nil); err != nil || !cmp.Equal(of, []int{1, 0}) {
		t.Errorf("by id: %v, %v; want [1 0]", of, err)
	}
}

func TestPlaceErrors(t *testing.T) {
	l := testLayer(t)
	tests := []struct {
		name  string
		a     territory.Accounts
		space territory.Space
		want  []string
	}{
		{"unknown unit ids", territory.Accounts{Source: "a.csv", IDs: []string{"a", "b", "c"}, Rows: []int{2, 3, 4},
			Locs: make([]territory.Point, 3), Units: []string{"10", "99", "7"}}, territory.Geographic,
			[]string{
				`accounts "a.csv": row 3, column "zip": unit "99" is not in the layer "layer.geojson" (3 units, 10 to 30)`,
				`accounts "a.csv": row 4, column "zip": unit "7" is not in the layer "layer.geojson" (3 units, 10 to 30)`,
			}},
		{"planar accounts to place by location", territory.Accounts{Source: "a.csv", IDs: []string{"a", "b"}, Rows: []int{2, 3},
			Locs: make([]territory.Point, 2), Units: []string{"10", ""}}, territory.Planar,
			[]string{`accounts "a.csv": the accounts are in planar x/y, the units of "layer.geojson" in longitude and latitude: give the accounts' latitude and longitude, or the unit of every account`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			of, err := l.Place(&tc.a, tc.space, "zip", nil)
			if of != nil {
				t.Errorf("got units %v with the error", of)
			}
			if diff := cmp.Diff(tc.want, errorLines(err)); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}
