package cli

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/territory-optimizer/territory/pkg/territory"
)

func TestParseColumns(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    map[string]string
		wantErr string
	}{
		{name: "plain", in: "id=Account ID,lat=Lat", want: map[string]string{"id": "Account ID", "lat": "Lat"}},
		{name: "spaces around", in: " id = Account ID , Lat=Lat ", want: map[string]string{"id": "Account ID", "lat": "Lat"}},
		{name: "quoted name", in: `id="Account ID",name="Name, legal"`, want: map[string]string{"id": "Account ID", "name": "Name, legal"}},
		{name: "quoted pair", in: `"id=Account ID","name=Name, legal"`, want: map[string]string{"id": "Account ID", "name": "Name, legal"}},
		{name: "quotes inside", in: `name="The ""real"" name"`, want: map[string]string{"name": `The "real" name`}},
		{name: "equals in a name", in: `id=a=b`, want: map[string]string{"id": "a=b"}},
		{name: "spaces kept inside quotes", in: `id=" ID "`, want: map[string]string{"id": " ID "}},
		{name: "empty name turns a key off", in: "owner=,locked=", want: map[string]string{"owner": "", "locked": ""}},
		{name: "non-ASCII", in: "lon=Länge", want: map[string]string{"lon": "Länge"}},
		{name: "no equals", in: "id", wantErr: `id: expected KEY=NAME (such as id="Account ID")`},
		{name: "no key", in: "=ID", wantErr: `=ID: missing KEY before '=' (expected KEY=NAME)`},
		{name: "empty pair", in: "id=ID,,lat=Lat", wantErr: `empty KEY=NAME pair in "id=ID,,lat=Lat"`},
		{name: "empty", in: "", wantErr: `empty KEY=NAME pair in ""`},
		{name: "unclosed quote", in: `id="Account ID`, wantErr: `"id=\"Account ID": a quote is not closed`},
		{name: "quote in the middle", in: `id=Account "ID"`, wantErr: `id=Account "ID": quote the whole name ("Account ""ID"""), doubling any quote inside it`},
		{name: "key twice", in: "id=A,ID=B", wantErr: `key "id" given twice ("A" and "B")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseColumns(tt.in)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			// The flag's String reads back to the same mapping.
			v := &columnsValue{m: &got}
			back, err := parseColumns(v.String())
			if err != nil {
				t.Fatalf("String() = %q does not parse: %v", v.String(), err)
			}
			if diff := cmp.Diff(tt.want, back); diff != "" {
				t.Errorf("String() = %q reads back differently (-want +got):\n%s", v.String(), diff)
			}
		})
	}
}

// FuzzParseColumns checks that no --columns value makes the parser panic
// and that whatever it accepts is written back by the flag's String into
// something that parses to the same mapping.
func FuzzParseColumns(f *testing.F) {
	for _, s := range []string{`id=Account ID,lat="Home Lat"`, `"id=a,b"`, `name="x ""y"""`, `owner=`, `=`, `"`, `a=b=c`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := parseColumns(s)
		if err != nil {
			return
		}
		v := &columnsValue{m: &m}
		back, err := parseColumns(v.String())
		if len(m) == 0 {
			return
		}
		if err != nil {
			t.Fatalf("%q parsed to %q, written back as %q, which does not parse: %v", s, m, v.String(), err)
		}
		if !cmp.Equal(m, back) {
			t.Fatalf("%q parsed to %q, written back as %q, which parses to %q", s, m, v.String(), back)
		}
	})
}

func TestSniffFormat(t *testing.T) {
	zip := "PK\x03\x04rest"
	tests := []struct {
		name, path, head string
		want             string
		mismatch         bool
	}{
		{name: "csv", path: "a.csv", head: "id,lat,lon\n", want: formatCSV},
		{name: "no extension", path: "accounts", head: "id;lat;lon\n", want: formatCSV},
		{name: "xlsx", path: "a.xlsx", head: zip, want: formatXLSX},
		{name: "xlsx in any case", path: "A.XLSX", head: zip, want: formatXLSX},
		{name: "xlsx that is text: the workbook reader says so", path: "a.xlsx", head: "id,lat\n", want: formatXLSX},
		{name: "workbook named csv", path: "a.csv", head: zip, want: formatXLSX, mismatch: true},
		{name: "workbook without extension", path: "export", head: zip, want: formatXLSX},
		{name: "workbook on stdin", path: "-", head: zip, want: formatXLSX},
		{name: "geojson", path: "a.geojson", head: `{"type":`, want: formatGeoJSON},
		{name: "json", path: "a.json", head: "[1]", want: formatGeoJSON},
		{name: "geojson that is csv: the GeoJSON reader says so", path: "a.geojson", head: "id,lat\n", want: formatGeoJSON},
		{name: "json with a BOM and space, no extension", path: "features", head: "\xEF\xBB\xBF \n{", want: formatGeoJSON},
		{name: "json on stdin", path: "-", head: "{", want: formatGeoJSON},
		{name: "json named csv", path: "a.csv", head: "{", want: formatGeoJSON, mismatch: true},
		{name: "empty", path: "a.csv", head: "", want: formatCSV},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, mismatch := sniffFormat(tt.path, []byte(tt.head))
			if got != tt.want || (mismatch != "") != tt.mismatch {
				t.Errorf("sniffFormat(%q, %q) = %q, %q; want %q, mismatch %v", tt.path, tt.head, got, mismatch, tt.want, tt.mismatch)
			}
		})
	}
}

func TestSharedLocations(t *testing.T) {
	pts := func(xy ...float64) territory.Accounts {
		var a territory.Accounts
		for i := 0; i < len(xy); i += 2 {
			a.IDs = append(a.IDs, strings.Repeat("a", i/2+1))
			a.Locs = append(a.Locs, territory.Point{X: xy[i], Y: xy[i+1]})
		}
		return a
	}
	tests := []struct {
		name                 string
		a                    territory.Accounts
		count, first, second int
	}{
		{name: "none", a: pts(1, 2, 2, 1, 3, 3), count: 0, first: -1, second: -1},
		{name: "a pair", a: pts(1, 2, 5, 5, 1, 2), count: 2, first: 0, second: 2},
		{name: "a triple and a pair", a: pts(9, 9, 1, 2, 3, 3, 1, 2, 3, 3, 1, 2), count: 5, first: 1, second: 3},
		{name: "minus zero is zero", a: pts(0, 0, math0(), 0), count: 2, first: 0, second: 1},
		{name: "same x, other y", a: pts(1, 2, 1, 3), count: 0, first: -1, second: -1},
		{name: "empty", a: pts(), count: 0, first: -1, second: -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			count, first, second := sharedLocations(&tt.a)
			if count != tt.count || first != tt.first || second != tt.second {
				t.Errorf("sharedLocations = %d, %d, %d; want %d, %d, %d", count, first, second, tt.count, tt.first, tt.second)
			}
		})
	}
}

// math0 is -0.0, which a constant expression cannot write.
func math0() float64 {
	z := 0.0
	return -z
}
