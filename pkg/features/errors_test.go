package features

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// collection wraps features in a FeatureCollection.
func collection(features ...string) string {
	return `{"type": "FeatureCollection", "features": [` + strings.Join(features, ",\n") + `]}`
}

// square is a valid Polygon feature with id and properties.
func square(id string, x float64, props string) string {
	return fmt.Sprintf(`{"type": "Feature", "id": %q, "properties": {%s}, "geometry": {"type": "Polygon", "coordinates": [[[%g, 0], [%g, 0], [%g, 1], [%g, 1], [%g, 0]]]}}`,
		id, props, x, x+1, x+1, x, x)
}

// withGeometry is a feature with the given id and geometry JSON.
func withGeometry(id, geometry string) string {
	return fmt.Sprintf(`{"type": "Feature", "id": %q, "properties": {}, "geometry": %s}`, id, geometry)
}

func point(id string, lon, lat float64, props string) string {
	return fmt.Sprintf(`{"type": "Feature", "id": %q, "properties": {%s}, "geometry": {"type": "Point", "coordinates": [%g, %g]}}`, id, props, lon, lat)
}

func TestReadAccountsErrors(t *testing.T) {
	const p = `read accounts "in.geojson": `
	manyMissing := make([]string, 60)
	for i := range manyMissing {
		manyMissing[i] = fmt.Sprintf(`{"type": "Feature", "id": "%d", "geometry": null}`, i)
	}
	manyWant := make([]string, 0, 51)
	for i := range 50 {
		manyWant = append(manyWant, fmt.Sprintf("%srow %d: missing geometry (expected a Point, Polygon or MultiPolygon)", p, i+1))
	}
	manyWant = append(manyWant, p+"10 more problems not shown")
	tests := []struct {
		name  string
		input string
		opt   Options
		want  []string
	}{
		{"empty file", " \n", Options{},
			[]string{p + "empty file (expected a GeoJSON FeatureCollection)"}},
		{"invalid JSON", "{\"type\": \"FeatureCollection\",\n \"features\": [}", Options{},
			[]string{p + "invalid JSON at line 2, column 15 (byte offset 44): invalid character '}' looking for beginning of value"}},
		{"truncated JSON", `{"type": "FeatureCollection", "features": [`, Options{},
			[]string{p + "invalid JSON at line 1, column 44 (byte offset 43): unexpected end of JSON input"}},
		{"JSON array", `[1, 2]`, Options{},
			[]string{p + "not a GeoJSON FeatureCollection: the file holds a JSON array, not an object"}},
		{"a Feature", point("a", 1, 2, ""), Options{},
			[]string{p + `not a GeoJSON FeatureCollection (its type is "Feature")`}},
		{"no type", `{"features": []}`, Options{},
			[]string{p + `not a GeoJSON FeatureCollection (no "type": "FeatureCollection" member)`}},
		{"no features", `{"type": "FeatureCollection"}`, Options{},
			[]string{p + `the FeatureCollection has no "features" array`}},
		{"features not an array", `{"type": "FeatureCollection", "features": {}}`, Options{},
			[]string{p + `the FeatureCollection has no "features" array`}},
		{"empty collection", collection(), Options{},
			[]string{p + "no features: the FeatureCollection is empty"}},
		{"feature not an object", collection(`"a"`, point("b", 1, 2, "")), Options{},
			[]string{p + "row 1: the feature is a string, not a JSON object"}},
		{"feature of another type", collection(`{"type": "Point", "coordinates": [1, 2]}`), Options{},
			[]string{p + `row 1: the type is "Point", expected "Feature" (the features array holds Feature objects, each with a geometry)`}},
		{"properties not an object", collection(`{"type": "Feature", "id": "a", "properties": [1], "geometry": {"type": "Point", "coordinates": [1, 2]}}`), Options{},
			[]string{p + "row 1: the properties are an array, not a JSON object"}},
		{"missing geometry", collection(point("a", 1, 2, ""), `{"type": "Feature", "id": "b", "properties": {}}`), Options{},
			[]string{p + "row 2: missing geometry (expected a Point, Polygon or MultiPolygon)"}},
		{"geometry not an object", collection(withGeometry("a", `[1, 2]`)), Options{},
			[]string{p + "row 1: the geometry is an array, not a JSON object"}},
		{"geometry without type", collection(withGeometry("a", `{"coordinates": [1, 2]}`)), Options{},
			[]string{p + `row 1: the geometry has no "type" string (expected "Point", "Polygon" or "MultiPolygon")`}},
		{"unsupported geometry", collection(withGeometry("a", `{"type": "LineString", "coordinates": [[1, 2], [3, 4]]}`),
			withGeometry("b", `{"type": "GeometryCollection", "geometries": []}`)), Options{},
			[]string{
				p + `row 1: unsupported geometry type "LineString" (expected Point, Polygon or MultiPolygon)`,
				p + `row 2: unsupported geometry type "GeometryCollection" (expected Point, Polygon or MultiPolygon)`,
			}},
		{"no coordinates", collection(withGeometry("a", `{"type": "Polygon"}`)), Options{},
			[]string{p + "row 1: the Polygon has no coordinates"}},
		{"non-finite coordinate", collection(withGeometry("a", `{"type": "Point", "coordinates": [1e999, 0]}`)), Options{},
			[]string{p + "row 1: invalid Point coordinates: coordinate 1e999 is not a finite number"}},
		{"text coordinate", collection(withGeometry("a", `{"type": "Point", "coordinates": ["1", 0]}`)), Options{},
			[]string{p + "row 1: invalid Point coordinates: found a string in a position (expected numbers: [longitude, latitude])"}},
		{"polygon nested wrong", collection(withGeometry("a", `{"type": "Polygon", "coordinates": [[1, 2], [3, 4]]}`)), Options{},
			[]string{p + "row 1: invalid Polygon coordinates: found a number where a position [longitude, latitude] was expected"}},
		{"one-number position", collection(withGeometry("a", `{"type": "Point", "coordinates": [5]}`),
			withGeometry("b", `{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [], [0, 0]]]}`)), Options{},
			[]string{
				p + "row 1: position [5] has 1 number (expected [longitude, latitude])",
				p + "row 2: ring 1, position 3: position [] has 0 numbers (expected [longitude, latitude])",
			}},
		{"longitude out of range", collection(point("a", 200, 10, "")), Options{},
			[]string{p + "row 1: longitude 200 is not between -180 and 180"}},
		{"latitude out of range", collection(point("a", 40, 100, "")), Options{},
			[]string{p + "row 1: latitude 100 is not between -90 and 90 (GeoJSON positions are [longitude, latitude]: are they swapped?)"}},
		{"ring position out of range", collection(withGeometry("a", `{"type": "Polygon", "coordinates": [[[0, 0], [181, 0], [1, 1], [0, 0]]]}`)), Options{},
			[]string{p + "row 1: ring 1, position 2: longitude 181 is not between -180 and 180"}},
		{"polygon without rings", collection(withGeometry("a", `{"type": "Polygon", "coordinates": []}`),
			withGeometry("b", `{"type": "MultiPolygon", "coordinates": []}`),
			withGeometry("c", `{"type": "MultiPolygon", "coordinates": [[]]}`)), Options{},
			[]string{
				p + "row 1: the Polygon has no rings",
				p + "row 2: the MultiPolygon has no polygons",
				p + "row 3: polygon 1 has no rings",
			}},
		{"short ring", collection(withGeometry("a", `{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 1]]]}`),
			withGeometry("b", `{"type": "Polygon", "coordinates": [[[0, 0]]]}`)), Options{},
			[]string{
				p + "row 1: ring 1 has 3 positions (expected at least 4, the last repeating the first)",
				p + "row 2: ring 1 has 1 position (expected at least 4, the last repeating the first)",
			}},
		{"unclosed ring", collection(withGeometry("a", `{"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]], [[[5, 5], [6, 5], [6, 6], [5, 6]]]]}`)), Options{},
			[]string{p + "row 1: polygon 2, ring 1 is not closed (it starts at [5, 5] and ends at [5, 6]; the last position must repeat the first)"}},
		{"self-intersecting ring", collection(withGeometry("a", `{"type": "Polygon", "coordinates": [[[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]]}`)), Options{},
			[]string{p + "row 1: ring 1 intersects itself near [1, 1]"}},
		{"mixed points and polygons", collection(point("a", 1, 2, ""), square("b", 0, "")), Options{},
			[]string{p + "row 2: Polygon geometry in a collection of points (row 1 is a Point; a file holds either accounts as points or units as polygons)"}},
		{"empty feature id", collection(point("a", 1, 2, ""), point("", 1, 2, "")), Options{},
			[]string{p + "row 2: empty id"}},
		{"missing feature id", collection(point("a", 1, 2, ""), `{"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [1, 2]}}`), Options{},
			[]string{p + `row 2: missing id (the other features have an "id" member)`}},
		{"feature id of the wrong type", collection(`{"type": "Feature", "id": [1], "properties": {}, "geometry": {"type": "Point", "coordinates": [1, 2]}}`), Options{},
			[]string{p + "row 1: the feature id is an array (expected a string or a number)"}},
		{"duplicate ids", collection(point("a", 1, 2, ""), point("b", 1, 2, ""), point("a", 1, 2, ""), point("a", 1, 2, "")), Options{},
			[]string{
				p + `row 3: duplicate id "a" (first at row 1)`,
				p + `row 4: duplicate id "a" (first at row 1)`,
			}},
		{"empty and duplicate property ids", collection(
			`{"type": "Feature", "properties": {"zip": "10001"}, "geometry": {"type": "Point", "coordinates": [1, 2]}}`,
			`{"type": "Feature", "properties": {"zip": " "}, "geometry": {"type": "Point", "coordinates": [1, 2]}}`,
			`{"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [1, 2]}}`,
			`{"type": "Feature", "properties": {"zip": 10001}, "geometry": {"type": "Point", "coordinates": [1, 2]}}`), Options{},
			[]string{
				p + `row 2, column "zip": empty id`,
				p + `row 3, column "zip": missing id`,
				p + `row 4, column "zip": duplicate id "10001" (first at row 1)`,
			}},
		{"no id", collection(`{"type": "Feature", "properties": {"pop": 1}, "geometry": {"type": "Point", "coordinates": [1, 2]}}`), Options{},
			[]string{p + `no id: the features have no "id" member and no id property (expected one of "id", "account_id", "account", "geoid", "geoid20", "geoid10", "geo_id", "fips", "fips_code", "zip", "zip_code", "zipcode", "zcta", "zcta5", "zcta5ce20", "zcta5ce10", "postcode", "postal_code", "code", "rep_id" or "name"; found "pop")`}},
		{"duplicate property names", collection(point("a", 1, 2, `"Pop": 1, "pop": 2`)), Options{},
			[]string{p + `row 1, column "pop": duplicate property name (same as "Pop")`}},
		{"bad measure values", collection(point("a", 1, 2, `"pop": "12,5x"`), point("b", 1, 2, `"pop": true`), point("c", 1, 2, `"pop": "NaN"`), point("d", 1, 2, `"pop": [1]`)),
			Options{Measures: []string{"Pop"}},
			[]string{
				p + `row 1, column "pop": invalid number "12,5x"`,
				p + `row 2, column "pop": invalid number: true (expected a number)`,
				p + `row 3, column "pop": invalid number "NaN" (expected a finite number)`,
				p + `row 4, column "pop": invalid number: an array (expected a number)`,
			}},
		{"missing measure", collection(point("a", 1, 2, `"pop": 1`)), Options{Measures: []string{"revenue", "count"}},
			[]string{p + `no property for measure "revenue" (found "pop")`}},
		{"measure that is the name", collection(point("a", 1, 2, `"name": "x"`)), Options{Measures: []string{"name"}},
			[]string{p + `column "name": measure "name": the property holds the name, not a measure`}},
		{"bad locked values", collection(point("a", 1, 2, `"owner": "r1", "locked": "maybe"`), point("b", 1, 2, `"owner": "", "locked": true`), point("c", 1, 2, `"owner": "r1", "locked": {}`)), Options{},
			[]string{
				p + `row 1, column "locked": invalid locked value "maybe" (expected true/false, yes/no, 1/0 or y/n; empty means false)`,
				p + `row 2, column "locked": account is locked but has no owner (property "owner" is empty)`,
				p + `row 3, column "locked": invalid locked value "an object" (expected true/false, yes/no, 1/0 or y/n; empty means false)`,
			}},
		{"locked without owners", collection(point("a", 1, 2, `"locked": "yes"`), point("b", 1, 2, `"locked": "y"`)), Options{},
			[]string{p + `column "locked": 2 accounts are locked but there is no owner property to keep them with (expected one of "owner", "rep", "current_rep", "territory", "current_owner" or "rep_id")`}},
		{"bad column mappings", collection(point("a", 1, 2, `"pop": 1`)), Options{Columns: map[string]string{"lat": "y", "colour": "c", "name": "label", "id": ""}},
			[]string{
				p + `column mapping "colour": unknown key (expected one of id, name, owner, locked, group, unit)`,
				p + `column mapping id="": empty property name`,
				p + `column mapping "lat": not a key for GeoJSON, whose geometry is the location (expected one of id, name, owner, locked, group, unit)`,
				p + `column mapping name="label": no such property (found "pop")`,
			}},
		{"geometry and property problems together", collection(
			`{"type": "Feature", "id": "a", "properties": {"pop": 1}, "geometry": null}`,
			point("b", 1, 2, `"pop": "x"`), point("a", 200, 2, `"pop": 3`)),
			Options{Measures: []string{"pop"}},
			[]string{
				p + "row 1: missing geometry (expected a Point, Polygon or MultiPolygon)",
				p + `row 2, column "pop": invalid number "x"`,
				p + "row 3: longitude 200 is not between -180 and 180",
				p + `row 3: duplicate id "a" (first at row 1)`,
			}},
		{"problems capped", collection(manyMissing...), Options{}, manyWant},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, u, err := ReadAccounts(strings.NewReader(tt.input), "in.geojson", tt.opt)
			if err == nil {
				t.Fatalf("no error; want %q", tt.want)
			}
			if diff := cmp.Diff(tt.want, strings.Split(err.Error(), "\n")); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			if a.Len() != 0 || u != nil {
				t.Errorf("got %d accounts and units %v with the error, want none", a.Len(), u)
			}
			var ie *territory.InputError
			if !errors.As(err, &ie) {
				t.Errorf("error %T is not a *territory.InputError", err)
			}
		})
	}
}

// TestReadAccountsErrorFields checks what a caller gets from a problem.
func TestReadAccountsErrorFields(t *testing.T) {
	in := collection(point("a", 1, 2, `"pop": 1`), point("b", 1, 2, `"pop": "x"`))
	_, _, err := ReadAccounts(strings.NewReader(in), "in.geojson", Options{Measures: []string{"pop"}})
	var ie *territory.InputError
	if !errors.As(err, &ie) {
		t.Fatalf("error %v is not a *territory.InputError", err)
	}
	want := &territory.InputError{What: "read accounts", File: "in.geojson", Row: 2, Column: "pop", Msg: `invalid number "x"`}
	if diff := cmp.Diff(want, ie); diff != "" {
		t.Errorf("error (-want +got):\n%s", diff)
	}
}
