package features

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/territory-optimizer/territory/pkg/territory"
)

func TestReadReps(t *testing.T) {
	tests := []struct {
		name  string
		input string
		opt   Options
		want  []territory.Rep
	}{
		{
			name: "feature ids, name and capacity",
			input: collection(
				point("r1", -80.5, 35.25, `"name": "Ann Lee", "capacity": 1`),
				point("r2", -81, 36, `"name": "Bo Chan", "capacity": "50%"`),
				point("r3", -79, 34, `"name": "Cy Diaz", "capacity": null`),
				point("r4", -78, 33, `"capacity": "0.25"`),
			),
			want: []territory.Rep{
				{ID: "r1", Name: "Ann Lee", Home: territory.Point{X: -80.5, Y: 35.25}, HasHome: true, Capacity: 1, Row: 1},
				{ID: "r2", Name: "Bo Chan", Home: territory.Point{X: -81, Y: 36}, HasHome: true, Capacity: 0.5, Row: 2},
				{ID: "r3", Name: "Cy Diaz", Home: territory.Point{X: -79, Y: 34}, HasHome: true, Capacity: 1, Row: 3},
				{ID: "r4", Home: territory.Point{X: -78, Y: 33}, HasHome: true, Capacity: 0.25, Row: 4},
			},
		},
		{
			name: "ids from a property, numbers keep their digits",
			input: collection(
				`{"type": "Feature", "properties": {"Rep ID": 7, "Rep Name": "Di"}, "geometry": {"type": "Point", "coordinates": [1, 2]}}`,
				`{"type": "Feature", "properties": {"Rep ID": "08", "Rep Name": "Ed"}, "geometry": {"type": "Point", "coordinates": [3, 4]}}`,
			),
			want: []territory.Rep{
				{ID: "7", Name: "Di", Home: territory.Point{X: 1, Y: 2}, HasHome: true, Capacity: 1, Row: 1},
				{ID: "08", Name: "Ed", Home: territory.Point{X: 3, Y: 4}, HasHome: true, Capacity: 1, Row: 2},
			},
		},
		{
			name: "mapped properties",
			input: collection(
				`{"type": "Feature", "id": "ignored", "properties": {"code": "R1", "FTE": 0.8, "name": "Fay"}, "geometry": {"type": "Point", "coordinates": [5, 6]}}`,
			),
			opt: Options{Columns: map[string]string{"id": "Code", "capacity": "fte", "name": ""}},
			want: []territory.Rep{
				{ID: "R1", Home: territory.Point{X: 5, Y: 6}, HasHome: true, Capacity: 0.8, Row: 1},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadReps(strings.NewReader(tt.input), "reps.geojson", tt.opt)
			if err != nil {
				t.Fatalf("ReadReps: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("reps (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadRepsErrors(t *testing.T) {
	const p = `read reps "reps.geojson": `
	tests := []struct {
		name  string
		input string
		opt   Options
		want  []string
	}{
		{"empty file", "", Options{},
			[]string{p + "empty file (expected a GeoJSON FeatureCollection)"}},
		{"not a collection", point("r1", 1, 2, ""), Options{},
			[]string{p + `not a GeoJSON FeatureCollection (its type is "Feature")`}},
		{"polygon", collection(square("r1", 0, "")), Options{},
			[]string{p + "row 1: Polygon geometry: a rep's home is a Point (a file of reps holds Point features)"}},
		{"no id", collection(`{"type": "Feature", "properties": {"who": "x"}, "geometry": {"type": "Point", "coordinates": [1, 2]}}`), Options{},
			[]string{p + `no id: the features have no "id" member and no id property (expected one of "id", "rep_id", "rep", "account_id" or "account"; found "who")`}},
		{"duplicate and empty ids", collection(point("r1", 1, 2, ""), point("", 1, 2, ""), point("r1", 3, 4, "")), Options{},
			[]string{p + "row 2: empty id", p + `row 3: duplicate id "r1" (first at row 1)`}},
		{"bad capacities", collection(
			point("r1", 1, 2, `"capacity": -1`),
			point("r2", 1, 2, `"capacity": "half"`),
			point("r3", 1, 2, `"capacity": "NaN"`),
			point("r4", 1, 2, `"capacity": true`),
		), Options{}, []string{
			p + `row 1, column "capacity": capacity -1 is negative (expected a share of a full territory, such as 1 or 0.5)`,
			p + `row 2, column "capacity": invalid capacity "half" (expected a share of a full territory, such as 1 or 0.5)`,
			p + `row 3, column "capacity": invalid capacity "NaN" (expected a finite number)`,
			p + `row 4, column "capacity": invalid capacity: true (expected a share of a full territory, such as 1 or 0.5)`,
		}},
		{"bad mappings", collection(point("r1", 1, 2, `"fte": 1`)), Options{Columns: map[string]string{"lat": "y", "owner": "o", "capacity": "FTE2"}},
			[]string{
				p + `column mapping capacity="FTE2": no such property (found "fte")`,
				p + `column mapping "lat": not a key for GeoJSON, whose geometry is the location (expected one of id, name, capacity, group)`,
				p + `column mapping "owner": unknown key for reps (expected one of id, name, capacity, group)`,
			}},
		{"latitude out of range", collection(point("r1", 10, 95, "")), Options{},
			[]string{p + "row 1: latitude 95 is not between -90 and 90 (GeoJSON positions are [longitude, latitude]: are they swapped?)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reps, err := ReadReps(strings.NewReader(tt.input), "reps.geojson", tt.opt)
			if err == nil {
				t.Fatalf("no error; reps %v", reps)
			}
			if reps != nil {
				t.Errorf("reps = %v alongside an error, want nil", reps)
			}
			var got []string
			for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
				var ie *territory.InputError
				if !errors.As(e, &ie) {
					t.Errorf("%T is not an *InputError: %v", e, e)
				}
				got = append(got, e.Error())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzReadReps checks that no input makes the reps reader panic, and that
// it returns either reps, each with a home and a finite capacity of 0 or
// more, or only input errors.
func FuzzReadReps(f *testing.F) {
	for _, s := range []string{
		``,
		`[]`,
		collection(),
		collection(point("r1", 1, 2, `"name": "Ann", "capacity": "50%"`), point("r2", 3, 4, `"capacity": 1e999`)),
		collection(`{"type": "Feature", "properties": {"rep_id": 3}, "geometry": {"type": "Point", "coordinates": [1, 2]}}`),
		collection(square("r1", 0, "")),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		reps, err := ReadReps(strings.NewReader(string(data)), "fuzz.geojson", Options{})
		if err != nil {
			if reps != nil {
				t.Fatalf("reps alongside an error")
			}
			for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
				var ie *territory.InputError
				if !errors.As(e, &ie) {
					t.Fatalf("%T is not an *InputError: %v", e, e)
				}
			}
			return
		}
		if len(reps) == 0 {
			t.Fatalf("no reps and no error")
		}
		for _, r := range reps {
			if !r.HasHome || r.ID == "" || !(r.Capacity >= 0) || r.Capacity > 1e308 {
				t.Fatalf("bad rep %+v", r)
			}
		}
	})
}
