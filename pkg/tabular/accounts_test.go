package tabular

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/territory-optimizer/territory/pkg/territory"
)

func TestReadAccounts(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		opt       Options
		want      territory.Accounts
		wantSpace territory.Space
	}{
		{
			name: "geographic with every column",
			in: "id,name,lat,lon,revenue,workload,owner,locked,city\n" +
				"A1,Acme,40.7,-74.0,100,5,R1,yes,New York\n" +
				"A2,\"Bolt, Inc\",41.0,-73.5,,7.5,R2,no,Boston\n",
			want: territory.Accounts{
				IDs:   []string{"A1", "A2"},
				Names: []string{"Acme", "Bolt, Inc"},
				Locs:  []territory.Point{{X: -74, Y: 40.7}, {X: -73.5, Y: 41}},
				Measures: []territory.Measure{
					{Name: "revenue", Column: "revenue", Values: []float64{100, 0}},
					{Name: "workload", Column: "workload", Values: []float64{5, 7.5}},
				},
				Owners: []string{"R1", "R2"},
				Locked: []bool{true, false},
				Source: "a.csv",
				Rows:   []int{2, 3},
			},
			wantSpace: territory.Geographic,
		},
		{
			name: "planar",
			in:   "ID,X,Y,Demand\n1,2,62,3\n2,80,25,14\n",
			want: territory.Accounts{
				IDs:      []string{"1", "2"},
				Locs:     []territory.Point{{X: 2, Y: 62}, {X: 80, Y: 25}},
				Measures: []territory.Measure{{Name: "demand", Column: "Demand", Values: []float64{3, 14}}},
				Source:   "a.csv",
				Rows:     []int{2, 3},
			},
			wantSpace: territory.Planar,
		},
		{
			name: "rows are physical lines: blank lines, quoted line breaks, empty rows",
			in:   "\nid,name,x,y\n\n1,\"two\nlines\",0,0\n,,,\n   \n2,b,1,1",
			want: territory.Accounts{
				IDs:    []string{"1", "2"},
				Names:  []string{"two\nlines", "b"},
				Locs:   []territory.Point{{X: 0, Y: 0}, {X: 1, Y: 1}},
				Source: "a.csv",
				Rows:   []int{4, 8},
			},
			wantSpace: territory.Planar,
		},
		{
			name: "trailing empty columns and trailing delimiters",
			in:   "id,x,y,,\n1,0,0\n2,1,1,,\n3,2,2,,,,\n",
			want: territory.Accounts{
				IDs:    []string{"1", "2", "3"},
				Locs:   []territory.Point{{X: 0, Y: 0}, {X: 1, Y: 1}, {X: 2, Y: 2}},
				Source: "a.csv",
				Rows:   []int{2, 3, 4},
			},
			wantSpace: territory.Planar,
		},
		{
			name: "spaces around cells and before quotes",
			in:   "id , name , x , y\n 7 , \"Acme, Inc\", +1.5 , -2 \n",
			want: territory.Accounts{
				IDs:    []string{"7"},
				Names:  []string{"Acme, Inc"},
				Locs:   []territory.Point{{X: 1.5, Y: -2}},
				Source: "a.csv",
				Rows:   []int{2},
			},
			wantSpace: territory.Planar,
		},
		{
			name: "text columns are not measures, numeric ones with gaps are",
			in:   "id,x,y,zip,segment,score\n1,0,0,02134,A,\n2,1,1,10001,B,3\n3,2,2,,7,\n",
			want: territory.Accounts{
				IDs:  []string{"1", "2", "3"},
				Locs: []territory.Point{{X: 0, Y: 0}, {X: 1, Y: 1}, {X: 2, Y: 2}},
				Measures: []territory.Measure{
					{Name: "zip", Column: "zip", Values: []float64{2134, 10001, 0}},
					{Name: "score", Column: "score", Values: []float64{0, 3, 0}},
				},
				Source: "a.csv",
				Rows:   []int{2, 3, 4},
			},
			wantSpace: territory.Planar,
		},
		{
			name: "an empty column is not a measure unless asked for",
			in:   "id,x,y,notes,revenue\n1,0,0,,\n2,1,1,,\n",
			opt:  Options{Measures: []string{"Revenue"}},
			want: territory.Accounts{
				IDs:      []string{"1", "2"},
				Locs:     []territory.Point{{X: 0, Y: 0}, {X: 1, Y: 1}},
				Measures: []territory.Measure{{Name: "revenue", Column: "revenue", Values: []float64{0, 0}}},
				Source:   "a.csv",
				Rows:     []int{2, 3},
			},
			wantSpace: territory.Planar,
		},
		{
			name: "Excel sep line",
			in:   "sep=;\r\nid;x;y;w\r\n1;0;0;2,5\r\n",
			want: territory.Accounts{
				IDs:      []string{"1"},
				Locs:     []territory.Point{{X: 0, Y: 0}},
				Measures: []territory.Measure{{Name: "w", Column: "w", Values: []float64{2.5}}},
				Source:   "a.csv",
				Rows:     []int{2},
			},
			wantSpace: territory.Planar,
		},
		{
			name: "a count column is a measure",
			in:   "id,x,y,count\n1,0,0,2\n",
			want: territory.Accounts{
				IDs:      []string{"1"},
				Locs:     []territory.Point{{X: 0, Y: 0}},
				Measures: []territory.Measure{{Name: "count", Column: "count", Values: []float64{2}}},
				Source:   "a.csv",
				Rows:     []int{2},
			},
			wantSpace: territory.Planar,
		},
		{
			name: "owners and locks",
			in:   "id,x,y,Current Rep,Locked\n1,0,0,R1,TRUE\n2,1,1,,\n3,2,2,R1,n\n4,3,3,R2,1\n",
			want: territory.Accounts{
				IDs:    []string{"1", "2", "3", "4"},
				Locs:   []territory.Point{{X: 0, Y: 0}, {X: 1, Y: 1}, {X: 2, Y: 2}, {X: 3, Y: 3}},
				Owners: []string{"R1", "", "R1", "R2"},
				Locked: []bool{true, false, false, true},
				Source: "a.csv",
				Rows:   []int{2, 3, 4, 5},
			},
			wantSpace: territory.Planar,
		},
		{
			name: "explicit mapping",
			in:   "Kunde;Breite;Länge;Umsatz\nK1;48,1;11,5;1000,5\n",
			opt:  Options{Columns: map[string]string{"id": "Kunde", "lat": "breite", "lon": "länge"}, Measures: []string{"umsatz"}},
			want: territory.Accounts{
				IDs:      []string{"K1"},
				Locs:     []territory.Point{{X: 11.5, Y: 48.1}},
				Measures: []territory.Measure{{Name: "umsatz", Column: "Umsatz", Values: []float64{1000.5}}},
				Source:   "a.csv",
				Rows:     []int{2},
			},
			wantSpace: territory.Geographic,
		},
		{
			name: "windows-1252 text is converted",
			in:   "id,name,x,y\nS1,Soci\xe9t\xe9 G\xe9n\xe9rale,0,0\n",
			want: territory.Accounts{
				IDs:    []string{"S1"},
				Names:  []string{"Société Générale"},
				Locs:   []territory.Point{{X: 0, Y: 0}},
				Source: "a.csv",
				Rows:   []int{2},
			},
			wantSpace: territory.Planar,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, space, err := ReadAccounts(strings.NewReader(tt.in), "a.csv", tt.opt)
			if err != nil {
				t.Fatalf("ReadAccounts: %v", err)
			}
			if space != tt.wantSpace {
				t.Errorf("space = %v, want %v", space, tt.wantSpace)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("accounts (-want +got):\n%s", diff)
			}
		})
	}
}

// plainAccounts is the reference file that every dialect below must read
// to the same accounts.
// utf16le encodes s as UTF-16, little endian, with a byte order mark, as
// Excel's "Unicode Text" is.
func utf16le(s string) string {
	var b bytes.Buffer
	b.Write([]byte{0xFF, 0xFE})
	for _, u := range utf16.Encode([]rune(s)) {
		b.WriteByte(byte(u))
		b.WriteByte(byte(u >> 8))
	}
	return b.String()
}

const plainAccounts = "Account ID,Name,Latitude,Longitude,Revenue,Owner\n" +
	"A1,\"Acme; \"\"The\"\" Best\",40.5,-74.25,1200.5,R1\n" +
	"A2,Bolt,41,-73,0.75,R2\n" +
	"A10,Coil,39.125,-75.5,3,R1\n"

func TestReadAccountsDialects(t *testing.T) {
	want, wantSpace, err := ReadAccounts(strings.NewReader(plainAccounts), "a.csv", Options{})
	if err != nil {
		t.Fatalf("plain file: %v", err)
	}
	if want.Len() != 3 || len(want.Measures) != 1 {
		t.Fatalf("plain file read as %+v", want)
	}
	// resep rewrites the plain file with another delimiter and line ending.
	resep := func(delim, eol string) string {
		return strings.ReplaceAll(strings.ReplaceAll(plainAccounts, ",", delim), "\n", eol)
	}
	semicolon := "\ufeffAccount ID;Name;Latitude;Longitude;Revenue;Owner\r\n" +
		"A1;\"Acme; \"\"The\"\" Best\";40,5;-74,25;1200,5;R1\r\n" +
		"\r\n" +
		"A2;Bolt;41;-73;0,75;R2\r\n" +
		"A10;Coil;39,125;-75,5;3;R1\r\n"
	tests := []struct {
		name string
		in   string
	}{
		{name: "BOM, semicolon, CRLF, decimal comma", in: semicolon},
		{name: "semicolon with decimal points", in: resep(";", "\n")},
		{name: "tab", in: resep("\t", "\r\n")},
		{name: "pipe", in: resep("|", "\n")},
		{name: "BOM and CRLF", in: "\ufeff" + strings.ReplaceAll(plainAccounts, "\n", "\r\n")},
		{name: "no final line break", in: strings.TrimSuffix(plainAccounts, "\n")},
		{name: "UTF-16 tab (Excel Unicode Text)", in: utf16le(resep("\t", "\r\n"))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, space, err := ReadAccounts(strings.NewReader(tt.in), "a.csv", Options{})
			if err != nil {
				t.Fatalf("ReadAccounts: %v", err)
			}
			if space != wantSpace {
				t.Errorf("space = %v, want %v", space, wantSpace)
			}
			// Rows differ where the dialect has blank lines; the rest must not.
			got.Rows, want.Rows = nil, nil
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("accounts differ from the plain file's (-plain +got):\n%s", diff)
			}
		})
	}
}

func TestReadAccountsErrors(t *testing.T) {
	const header = "id,lat,lon\n"
	tests := []struct {
		name string
		in   string
		opt  Options
		want []string
	}{
		// The file as a whole.
		{name: "empty file", in: "",
			want: []string{`read accounts "a.csv": file is empty (expected a header row with column names, then one row per account)`}},
		{name: "blank lines only", in: "\n\r\n  \n",
			want: []string{`read accounts "a.csv": file is empty (expected a header row with column names, then one row per account)`}},
		{name: "header only", in: header,
			want: []string{`read accounts "a.csv": no accounts: the file has a header row but no data rows`}},
		{name: "truncated XLSX", in: "PK\x03\x04\x14\x00\x06\x00",
			want: []string{`read accounts "a.csv": this is not a valid XLSX workbook: the ZIP archive is damaged or incomplete (zip: not a valid zip file)`}},
		{name: "XLS", in: "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00",
			want: []string{`read accounts "a.csv": this is a legacy Excel (.xls) workbook, or a password-protected one, not XLSX or CSV: save it as .xlsx (Excel Workbook) or as CSV (UTF-8)`}},
		{name: "GeoJSON", in: "\n {\"type\": \"FeatureCollection\"}",
			want: []string{`read accounts "a.csv": this looks like JSON, not CSV: GeoJSON input is not supported yet`}},
		{name: "gzip", in: "\x1F\x8B\x08\x00",
			want: []string{`read accounts "a.csv": this is a gzip-compressed file, not CSV: decompress it first`}},
		{name: "binary", in: "id,lat\x00\x01,lon\n",
			want: []string{`read accounts "a.csv": this is binary data, not CSV text`}},

		// The header.
		{name: "no id column", in: "name,lat,lon\nAcme,1,2\n",
			want: []string{`read accounts "a.csv": no id column (expected one of "id", "account_id", "account" or "rep_id"; found "name", "lat", "lon")`}},
		{name: "first row is data", in: "1,40.5,-74\n2,41,-73\n",
			want: []string{
				`read accounts "a.csv": no id column (expected one of "id", "account_id", "account" or "rep_id"; found "1", "40.5", "-74") (the first row must hold the column names)`,
				`read accounts "a.csv": no location columns: expected latitude and longitude ("lat", "latitude", "home_lat" or "home_latitude"; "lon", "lng", "long", "longitude", "home_lon", "home_lng" or "home_longitude") or planar "x" and "y"; found "1", "40.5", "-74" (the first row must hold the column names)`,
			}},
		{name: "no location columns", in: "id,name,revenue\n1,a,2\n",
			want: []string{`read accounts "a.csv": no location columns: expected latitude and longitude ("lat", "latitude", "home_lat" or "home_latitude"; "lon", "lng", "long", "longitude", "home_lon", "home_lng" or "home_longitude") or planar "x" and "y"; found "id", "name", "revenue"`}},
		{name: "latitude without longitude", in: "id,Latitude,lon_deg\n1,2,3\n",
			want: []string{`read accounts "a.csv": column "Latitude": latitude column without a longitude column (expected one of "lon", "lng", "long", "longitude", "home_lon", "home_lng" or "home_longitude")`}},
		{name: "longitude without latitude", in: "id,lng\n1,2\n",
			want: []string{`read accounts "a.csv": column "lng": longitude column without a latitude column (expected one of "lat", "latitude", "home_lat" or "home_latitude")`}},
		{name: "x without y", in: "id,X\n1,2\n",
			want: []string{`read accounts "a.csv": column "X": no "y" column beside it (planar coordinates need both x and y)`}},
		{name: "duplicate column names", in: "id,lat,lon,Revenue,revenue,lat\n1,2,3,4,5,6\n",
			want: []string{
				`read accounts "a.csv": row 1, column "revenue": duplicate column name (same as column D, "Revenue")`,
				`read accounts "a.csv": row 1, column "lat": duplicate column name (same as column B, "lat")`,
			}},
		{name: "no column names", in: ",,\n-,_\n1,2\n",
			want: []string{`read accounts "a.csv": row 2: the header row has no column names (expected a name for every column)`}},
		{name: "unknown mapping key", in: header + "1,2,3\n", opt: Options{Columns: map[string]string{"latitude": "lat"}},
			want: []string{`read accounts "a.csv": column mapping "latitude": unknown key (expected one of id, name, lat, lon, x, y, owner, locked, group, unit)`}},
		{name: "mapping key for reps", in: header + "1,2,3\n", opt: Options{Columns: map[string]string{"capacity": "lat"}},
			want: []string{`read accounts "a.csv": column mapping "capacity": not a key for accounts (expected one of id, name, lat, lon, x, y, owner, locked, group, unit)`}},
		{name: "mapping to a missing column", in: header + "1,2,3\n", opt: Options{Columns: map[string]string{"id": "Account Number"}},
			want: []string{`read accounts "a.csv": column mapping id="Account Number": no such column (found "id", "lat", "lon")`}},
		{name: "mapping id to nothing", in: header + "1,2,3\n", opt: Options{Columns: map[string]string{"id": ""}},
			want: []string{`read accounts "a.csv": column mapping id="": empty column name`}},
		{name: "mapping both spaces", in: "id,lat,lon,x,y\n1,2,3,4,5\n", opt: Options{Columns: map[string]string{"lat": "lat", "x": "x"}},
			want: []string{`read accounts "a.csv": column mapping: map lat and lon, or x and y, not both`}},
		{name: "missing measure", in: "id,lat,lon,Revenue Q1\n1,2,3,4\n", opt: Options{Measures: []string{"revenue", "count"}},
			want: []string{`read accounts "a.csv": no column for measure "revenue" (found "id", "lat", "lon", "Revenue Q1")`}},
		{name: "measure on a role column", in: header + "1,2,3\n", opt: Options{Measures: []string{"lat"}},
			want: []string{`read accounts "a.csv": column "lat": measure "lat": the column holds the latitude, not a measure`}},

		// Rows.
		{name: "empty and duplicate ids", in: header + "A,1,1\n,1,1\nB,1,1\nA,1,1\n  ,1,1\nA,1,1\n",
			want: []string{
				`read accounts "a.csv": row 3, column "id": empty id`,
				`read accounts "a.csv": row 5, column "id": duplicate id "A" (first at row 2)`,
				`read accounts "a.csv": row 6, column "id": empty id`,
				`read accounts "a.csv": row 7, column "id": duplicate id "A" (first at row 2)`,
			}},
		{name: "bad numbers in a requested measure", in: "id,lat,lon,revenue\n1,1,1,12,5x\n2,1,1,\"12,5x\"\n3,1,1,NaN\n4,1,1,-inf\n5,1,1,1e999\n6,1,1,#N/A\n",
			opt: Options{Measures: []string{"revenue"}},
			want: []string{
				`read accounts "a.csv": row 2: expected 4 fields, found 5 (a field holding "," must be quoted)`,
				`read accounts "a.csv": row 3, column "revenue": invalid number "12,5x"`,
				`read accounts "a.csv": row 4, column "revenue": invalid number "NaN" (expected a finite number)`,
				`read accounts "a.csv": row 5, column "revenue": invalid number "-inf" (expected a finite number)`,
				`read accounts "a.csv": row 6, column "revenue": invalid number "1e999" (expected a finite number)`,
				`read accounts "a.csv": row 7, column "revenue": invalid number "#N/A" (a spreadsheet error value)`,
			}},
		{name: "bad coordinates", in: "id,lat,lon\n1,412.5,2\n2,abc,2\n3,NaN,2\n4,1,181\n5,,2\n6,1, \n7,120,45\n8,-90,-180\n",
			want: []string{
				`read accounts "a.csv": row 2, column "lat": latitude 412.5 is not between -90 and 90`,
				`read accounts "a.csv": row 3, column "lat": invalid number "abc"`,
				`read accounts "a.csv": row 4, column "lat": invalid number "NaN" (expected a finite number)`,
				`read accounts "a.csv": row 5, column "lon": longitude 181 is not between -180 and 180`,
				`read accounts "a.csv": row 6, column "lat": empty latitude (expected a number between -90 and 90)`,
				`read accounts "a.csv": row 7, column "lon": empty longitude (expected a number between -180 and 180)`,
				`read accounts "a.csv": row 8, column "lat": latitude 120 is not between -90 and 90 (are latitude and longitude swapped?)`,
			}},
		{name: "bad planar coordinates", in: "id,x,y\n1,,2\n2,1,inf\n3,1e6,-1e6\n",
			want: []string{
				`read accounts "a.csv": row 2, column "x": empty x (expected a number)`,
				`read accounts "a.csv": row 3, column "y": invalid number "inf" (expected a finite number)`,
			}},
		{name: "field counts", in: "id,lat,lon,name\n1,2,3\n2,2,3,a,b\n3,2,3,a,,\n",
			want: []string{
				`read accounts "a.csv": row 2: expected 4 fields, found 3`,
				`read accounts "a.csv": row 3: expected 4 fields, found 5 (a field holding "," must be quoted)`,
			}},
		{name: "field counts with trailing unnamed columns", in: "id;lat;lon;;\n1;2\n",
			want: []string{`read accounts "a.csv": row 2: expected at least 3 fields, found 2`}},
		{name: "tab hint", in: "id\tlat\tlon\n1\t2\t3\t4\n",
			want: []string{`read accounts "a.csv": row 2: expected 3 fields, found 4 (a field holding a tab must be quoted)`}},
		{name: "locked values", in: "id,lat,lon,owner,locked\n1,1,1,R1,maybe\n2,1,1,,yes\n3,1,1,,no\n",
			want: []string{
				`read accounts "a.csv": row 2, column "locked": invalid locked value "maybe" (expected true/false, yes/no, 1/0 or y/n; empty means false)`,
				`read accounts "a.csv": row 3, column "locked": account is locked but has no owner (column "owner" is empty)`,
			}},
		{name: "locked without an owner column", in: "id,lat,lon,locked\n1,1,1,yes\n2,1,1,y\n3,1,1,\n",
			want: []string{`read accounts "a.csv": column "locked": 2 accounts are locked but there is no owner column to keep them with (expected one of "owner", "rep", "current_rep", "territory", "current_owner" or "rep_id")`}},
		{name: "the id column mapped to other keys", in: "id,name,lat,lon\n1,a,1,2\n", opt: Options{Columns: map[string]string{"x": "id", "y": "id"}},
			want: []string{`read accounts "a.csv": no id column: column "id" is mapped to x and y, so it is not the id (map each key to a column of its own)`}},
		{name: "a colon delimiter", in: "id:city:lat:lon\n1:a:1:2\n",
			want: []string{
				`read accounts "a.csv": no id column (expected one of "id", "account_id", "account" or "rep_id"; found "id:city:lat:lon") ` +
					`(the header row is one column, "id:city:lat:lon": the delimiter may be ':', which is not read; the delimiter must be ',', ';', tab or '|')`,
				`read accounts "a.csv": no location columns: expected latitude and longitude ("lat", "latitude", "home_lat" or "home_latitude"; ` +
					`"lon", "lng", "long", "longitude", "home_lon", "home_lng" or "home_longitude") or planar "x" and "y"; found "id:city:lat:lon" ` +
					`(the header row is one column, "id:city:lat:lon": the delimiter may be ':', which is not read; the delimiter must be ',', ';', tab or '|')`,
			}},
		{name: "a bare quote does not hide an unclosed one", in: header + "1,2,3\n2 \"in\",\"A,3\n3,2,3\n",
			want: []string{`read accounts "a.csv": row 3: quoted field is not closed properly: it runs on to row 4 (a quote inside a quoted field must be doubled)`}},
		{name: "misplaced quote", in: header + "\"A\"x,2,3\n2,2,3\n",
			want: []string{`read accounts "a.csv": row 2: quoted field is not closed properly (a quote inside a quoted field must be doubled, and the closing quote followed by the delimiter)`}},
		{name: "unclosed quote", in: header + "1,2,3\n\"A,2,3\n3,2,3\n4,2,3\n",
			want: []string{`read accounts "a.csv": row 3: quoted field is not closed properly: it runs on to row 5 (a quote inside a quoted field must be doubled)`}},
		{name: "header with a bad quote", in: "id,\"lat\"x,lon\n1,2,3\n",
			want: []string{`read accounts "a.csv": row 1: header row: quoted field is not closed properly (a quote inside a quoted field must be doubled, and the closing quote followed by the delimiter)`}},
		{name: "problems in the header and in the rows", in: "id,lat,lon,id\n1,2\n",
			want: []string{
				`read accounts "a.csv": row 1, column "id": duplicate column name (same as column A, "id")`,
				`read accounts "a.csv": row 2: expected 4 fields, found 2`,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, _, err := ReadAccounts(strings.NewReader(tt.in), "a.csv", tt.opt)
			got := messages(t, err)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			if err != nil && (a.Len() != 0 || a.Locs != nil || a.Measures != nil) {
				t.Errorf("accounts returned with an error: %+v", a)
			}
		})
	}
}

func TestReadAccountsTooManyProblems(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,lat,lon\n")
	for i := range 60 {
		fmt.Fprintf(&b, "%d,95,-100\n", i+1)
	}
	b.WriteString("1,0,0\n") // a duplicate, found after the scan: not shown
	_, _, err := ReadAccounts(strings.NewReader(b.String()), "a.csv", Options{})
	got := messages(t, err)
	if len(got) != territory.MaxListed+1 {
		t.Fatalf("%d problems reported, want %d", len(got), territory.MaxListed+1)
	}
	if want := `read accounts "a.csv": row 51, column "lat": latitude 95 is not between -90 and 90`; got[territory.MaxListed-1] != want {
		t.Errorf("last problem shown = %q, want %q", got[territory.MaxListed-1], want)
	}
	if want := `read accounts "a.csv": 11 more problems not shown`; got[territory.MaxListed] != want {
		t.Errorf("final message = %q, want %q", got[territory.MaxListed], want)
	}
}

func TestReadAccountsFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	good := write("good.csv", "id,x,y\n1,0,0\n")
	empty := write("empty.csv", "")
	xlsx := write("accounts.xlsx", "PK\x03\x04rest of a zip")
	missing := filepath.Join(dir, "missing.csv")

	a, space, err := ReadAccountsFile(good, Options{})
	if err != nil {
		t.Fatalf("ReadAccountsFile(%q): %v", good, err)
	}
	if a.Source != good || a.Len() != 1 || space != territory.Planar {
		t.Errorf("ReadAccountsFile(%q) = %+v, %v", good, a, space)
	}

	tests := []struct {
		name string
		path string
		want string
	}{
		{name: "directory", path: dir, want: fmt.Sprintf("read accounts %q: is a directory, not a CSV file", dir)},
		{name: "missing", path: missing, want: fmt.Sprintf("read accounts %q: file not found", missing)},
		{name: "empty", path: empty, want: fmt.Sprintf("read accounts %q: file is empty (expected a header row with column names, then one row per account)", empty)},
		{name: "xlsx", path: xlsx, want: fmt.Sprintf("read accounts %q: this is not a valid XLSX workbook: the ZIP archive is damaged or incomplete (zip: not a valid zip file)", xlsx)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ReadAccountsFile(tt.path, Options{})
			if diff := cmp.Diff([]string{tt.want}, messages(t, err)); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadAccountsLarge(t *testing.T) {
	// Big enough to pass the sniffing window, so that the size estimate is
	// used, and with a row of problems far from the start.
	data := accountsCSV(20_000)
	a, space, err := ReadAccounts(bytes.NewReader(data), "big.csv", Options{Measures: []string{"revenue", "workload"}})
	if err != nil {
		t.Fatal(err)
	}
	if a.Len() != 20_000 || space != territory.Geographic || len(a.Measures) != 2 {
		t.Fatalf("read %d accounts in a %v space with %d measures, want 20000, geographic, 2", a.Len(), space, len(a.Measures))
	}
	if a.IDs[19_999] != "A20000" || a.Rows[19_999] != 20_001 || a.Owners[0] == "" {
		t.Errorf("last account %q at row %d, first owner %q", a.IDs[19_999], a.Rows[19_999], a.Owners[0])
	}
	for _, m := range a.Measures {
		if len(m.Values) != a.Len() {
			t.Errorf("measure %s has %d values for %d accounts", m.Name, len(m.Values), a.Len())
		}
	}

	dup := append(bytes.Clone(data), "A17,Dup,40,-100,1,1,R1,X\n"...)
	_, _, err = ReadAccounts(bytes.NewReader(dup), "big.csv", Options{})
	want := []string{`read accounts "big.csv": row 20002, column "account_id": duplicate id "A17" (first at row 18)`}
	if diff := cmp.Diff(want, messages(t, err)); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

// TestReadAccountsFromFile reads accounts from a file opened by the caller,
// whose name is gone by then: the reader reads through the open file and
// does not open it again.
func TestReadAccountsFromFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.csv")
	if err := os.WriteFile(path, []byte(plainAccounts), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	head := make([]byte, SniffLen)
	n, _ := f.ReadAt(head, 0)
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	a, _, err := ReadAccountsFromFile(context.Background(), f, Sniff(path, head[:n]), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Len() == 0 || a.Source != path {
		t.Errorf("%d accounts from %q, want some from %q", a.Len(), a.Source, path)
	}
}

func TestSniff(t *testing.T) {
	tests := []struct {
		name string
		head string
		want FileFormat
	}{
		{name: "a.csv", head: "id,lat,lon\n", want: CSVFile},
		{name: "a.csv", head: "PK\x03\x04rest", want: XLSXFile},
		{name: "a.xlsx", head: "id,lat,lon\n", want: XLSXFile},
		{name: "-", head: "id,lat,lon\n", want: CSVFile},
		{name: "a.xlsx", head: "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", want: XLSFile},
		{name: "", head: "PK\x05\x06", want: XLSXFile},
	}
	for _, tt := range tests {
		if got := Sniff(tt.name, []byte(tt.head)); got != tt.want {
			t.Errorf("Sniff(%q, %q) = %v, want %v", tt.name, tt.head, got, tt.want)
		}
	}
}
