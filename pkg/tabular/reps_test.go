package tabular

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/territory-optimizer/territory/pkg/territory"
)

func TestReadReps(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		opt       Options
		want      []territory.Rep
		wantSpace territory.Space
	}{
		{
			name: "homes and capacities",
			in:   "Rep ID,Rep Name,Home Lat,Home Lon,Capacity\nR1,Ann,40.5,-74,1\nR2,Bob,41,-73,0.5\nR3,Cy,39,-75,\n",
			want: []territory.Rep{
				{ID: "R1", Name: "Ann", Home: territory.Point{X: -74, Y: 40.5}, HasHome: true, Capacity: 1, Row: 2},
				{ID: "R2", Name: "Bob", Home: territory.Point{X: -73, Y: 41}, HasHome: true, Capacity: 0.5, Row: 3},
				{ID: "R3", Name: "Cy", Home: territory.Point{X: -75, Y: 39}, HasHome: true, Capacity: 1, Row: 4},
			},
			wantSpace: territory.Geographic,
		},
		{
			name: "no location columns, no capacity column",
			in:   "rep,name,region\nR1,Ann,East\nR2,Bob,West\n",
			want: []territory.Rep{
				{ID: "R1", Name: "Ann", Capacity: 1, Row: 2},
				{ID: "R2", Name: "Bob", Capacity: 1, Row: 3},
			},
			wantSpace: territory.Geographic,
		},
		{
			name: "planar homes, some missing",
			in:   "id;x;y;capacity\nR1;1,5;2;50%\nR2;;;0\n",
			want: []territory.Rep{
				{ID: "R1", Home: territory.Point{X: 1.5, Y: 2}, HasHome: true, Capacity: 0.5, Row: 2},
				{ID: "R2", Capacity: 0, Row: 3},
			},
			wantSpace: territory.Planar,
		},
		{
			name: "explicit mapping",
			in:   "code,fte,base_lat,base_lon\n7,0.8,10,20\n",
			opt:  Options{Columns: map[string]string{"id": "code", "capacity": "FTE", "lat": "base_lat", "lon": "base_lon"}},
			want: []territory.Rep{
				{ID: "7", Home: territory.Point{X: 20, Y: 10}, HasHome: true, Capacity: 0.8, Row: 2},
			},
			wantSpace: territory.Geographic,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, space, err := ReadReps(strings.NewReader(tt.in), "r.csv", tt.opt)
			if err != nil {
				t.Fatalf("ReadReps: %v", err)
			}
			if space != tt.wantSpace {
				t.Errorf("space = %v, want %v", space, tt.wantSpace)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("reps (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadRepsErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		opt  Options
		want []string
	}{
		{name: "empty file", in: "",
			want: []string{`read reps "r.csv": file is empty (expected a header row with column names, then one row per rep)`}},
		{name: "header only", in: "id,name\n",
			want: []string{`read reps "r.csv": no reps: the file has a header row but no data rows`}},
		{name: "no id column", in: "name,capacity\nAnn,1\n",
			want: []string{`read reps "r.csv": no id column (expected one of "id", "rep_id", "rep", "account_id" or "account"; found "name", "capacity")`}},
		{name: "owner is not a rep key", in: "id\nR1\n", opt: Options{Columns: map[string]string{"owner": "id"}},
			want: []string{`read reps "r.csv": column mapping "owner": not a key for reps (expected one of id, name, lat, lon, x, y, capacity, group)`}},
		{name: "ids", in: "id\nR1\n\nR1\n \n",
			want: []string{
				`read reps "r.csv": row 4, column "id": duplicate id "R1" (first at row 2)`,
			}},
		{name: "empty id", in: "id,name\n,Ann\n",
			want: []string{`read reps "r.csv": row 2, column "id": empty id`}},
		{name: "capacities", in: "id,capacity\nR1,-1\nR2,full\nR3,NaN\nR4,%\nR5,-50%\n",
			want: []string{
				`read reps "r.csv": row 2, column "capacity": capacity -1 is negative (expected a share of a full territory, such as 1 or 0.5)`,
				`read reps "r.csv": row 3, column "capacity": invalid capacity "full" (expected a share of a full territory, such as 1 or 0.5)`,
				`read reps "r.csv": row 4, column "capacity": invalid number "NaN" (expected a finite number)`,
				`read reps "r.csv": row 5, column "capacity": invalid capacity "%" (expected a share of a full territory, such as 1 or 0.5)`,
				`read reps "r.csv": row 6, column "capacity": capacity -0.5 is negative (expected a share of a full territory, such as 1 or 0.5)`,
			}},
		{name: "homes", in: "id,home_lat,home_lon\nR1,40,\nR2,,-73\nR3,95,0\nR4,x,1\n",
			want: []string{
				`read reps "r.csv": row 2, column "home_lon": empty longitude (expected a number between -180 and 180, or both coordinates empty for no home)`,
				`read reps "r.csv": row 3, column "home_lat": empty latitude (expected a number between -90 and 90, or both coordinates empty for no home)`,
				`read reps "r.csv": row 4, column "home_lat": latitude 95 is not between -90 and 90 (are latitude and longitude swapped?)`,
				`read reps "r.csv": row 5, column "home_lat": invalid number "x"`,
			}},
		{name: "too few fields", in: "id,name,capacity\nR1,Ann\n",
			want: []string{`read reps "r.csv": row 2: expected 3 fields, found 2`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reps, _, err := ReadReps(strings.NewReader(tt.in), "r.csv", tt.opt)
			if diff := cmp.Diff(tt.want, messages(t, err)); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			if err != nil && reps != nil {
				t.Errorf("reps returned with an error: %+v", reps)
			}
		})
	}
}

func TestReadRepsFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "reps.csv")
	if err := os.WriteFile(path, []byte("id,capacity\nR1,1\nR2,0.5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	reps, _, err := ReadRepsFile(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []territory.Rep{{ID: "R1", Capacity: 1, Row: 2}, {ID: "R2", Capacity: 0.5, Row: 3}}
	if diff := cmp.Diff(want, reps); diff != "" {
		t.Errorf("reps (-want +got):\n%s", diff)
	}
	_, _, err = ReadRepsFile(dir, Options{})
	if diff := cmp.Diff([]string{`read reps "` + dir + `": is a directory, not a CSV file`}, messages(t, err)); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}
