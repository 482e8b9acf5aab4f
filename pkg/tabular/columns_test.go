package tabular

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// messages lists the messages of a reader's error, one per problem, and
// fails the test when one of them is not a *territory.InputError.
func messages(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var errs []error
	if u, ok := err.(interface{ Unwrap() []error }); ok {
		errs = u.Unwrap()
	} else {
		t.Errorf("error %q is not a joined error", err)
		errs = []error{err}
	}
	var msgs []string
	for _, e := range errs {
		var ie *territory.InputError
		if !errors.As(e, &ie) {
			t.Errorf("error %q is a %T, not a *territory.InputError", e, e)
		}
		msgs = append(msgs, e.Error())
	}
	return msgs
}

// describe summarises a layout: the column of every role, the candidate
// measures and the space.
func describe(l *layout) string {
	if l == nil {
		return "<nil>"
	}
	var parts []string
	for _, rk := range roleKeys {
		if i := l.cols[rk.role]; i >= 0 {
			parts = append(parts, fmt.Sprintf("%s=%s", rk.key, l.header[i]))
		}
	}
	for _, m := range l.measures {
		s := "measure=" + l.header[m.index]
		if m.requested {
			s += "!"
		}
		parts = append(parts, s)
	}
	if l.located {
		parts = append(parts, l.space.String())
	}
	return strings.Join(parts, " ")
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name   string
		kind   kind
		header string
		opt    Options
		want   string
	}{
		// Ids.
		{name: "id", header: "id,lat,lon", want: "id=id lat=lat lon=lon geographic"},
		{name: "account_id", header: "account_id,lat,lon", want: "id=account_id lat=lat lon=lon geographic"},
		{name: "account", header: "account,lat,lon", want: "id=account lat=lat lon=lon geographic"},
		{name: "rep_id as account id", header: "rep_id,lat,lon", want: "id=rep_id lat=lat lon=lon geographic"},
		{name: "Account ID normalised", header: "Account ID,Latitude,Longitude", want: "id=Account ID lat=Latitude lon=Longitude geographic"},
		{name: "id preferred over account_id", header: "account_id,id,lat,lon", want: "id=id lat=lat lon=lon geographic"},
		{name: "rep_id is the owner beside an id", header: "account_id,rep_id,lat,lon", want: "id=account_id lat=lat lon=lon owner=rep_id geographic"},
		{name: "reps: rep", kind: repsKind, header: "rep,name", want: "id=rep name=name"},
		{name: "reps: rep_id", kind: repsKind, header: "Rep ID,Rep Name", want: "id=Rep ID name=Rep Name"},
		{name: "reps: id before rep_id", kind: repsKind, header: "rep_id,id", want: "id=id"},

		// Names.
		{name: "name", header: "id,name,lat,lon", want: "id=id name=name lat=lat lon=lon geographic"},
		{name: "account_name", header: "id,Account Name,lat,lon", want: "id=id name=Account Name lat=lat lon=lon geographic"},
		// A candidate measure only: its text cells will rule it out.
		{name: "rep_name is not an account's name", header: "id,rep_name,lat,lon", want: "id=id lat=lat lon=lon measure=rep_name geographic"},

		// Locations.
		{name: "latitude longitude", header: "id,latitude,longitude", want: "id=id lat=latitude lon=longitude geographic"},
		{name: "home_lat home_lon", header: "id,home_lat,home_lon", want: "id=id lat=home_lat lon=home_lon geographic"},
		{name: "home_latitude home_longitude", header: "id,Home Latitude,Home Longitude", want: "id=id lat=Home Latitude lon=Home Longitude geographic"},
		{name: "lng", header: "id,lat,lng", want: "id=id lat=lat lon=lng geographic"},
		{name: "long", header: "id,lat,long", want: "id=id lat=lat lon=long geographic"},
		{name: "home_lng", header: "id,home_lat,home_lng", want: "id=id lat=home_lat lon=home_lng geographic"},
		{name: "lat preferred over latitude", header: "id,latitude,lat,lon", want: "id=id lat=lat lon=lon geographic"},
		{name: "planar", header: "id,x,y", want: "id=id x=x y=y planar"},
		{name: "planar upper case", header: "ID,X,Y", want: "id=ID x=X y=Y planar"},
		{name: "lat/lon preferred over x/y", header: "id,x,y,lat,lon", want: "id=id lat=lat lon=lon geographic"},

		// Owner, locked.
		{name: "owner", header: "id,lat,lon,owner,locked", want: "id=id lat=lat lon=lon owner=owner locked=locked geographic"},
		{name: "rep", header: "id,lat,lon,rep", want: "id=id lat=lat lon=lon owner=rep geographic"},
		{name: "current_rep", header: "id,lat,lon,Current Rep", want: "id=id lat=lat lon=lon owner=Current Rep geographic"},
		{name: "territory", header: "id,lat,lon,territory", want: "id=id lat=lat lon=lon owner=territory geographic"},
		{name: "current_owner", header: "id,lat,lon,current-owner", want: "id=id lat=lat lon=lon owner=current-owner geographic"},

		// Capacity.
		{name: "reps: capacity and home", kind: repsKind, header: "id,capacity,home_lat,home_lon", want: "id=id lat=home_lat lon=home_lon capacity=capacity geographic"},
		{name: "reps: capacity is not an account column", header: "id,lat,lon,capacity", want: "id=id lat=lat lon=lon measure=capacity geographic"},

		// Measures.
		{name: "measures", header: "id,lat,lon,revenue,Annual Workload,city", want: "id=id lat=lat lon=lon measure=revenue measure=Annual Workload measure=city geographic"},
		{name: "unused aliases are not measures", header: "id,account_id,lat,latitude,lon,x,y", want: "id=id lat=lat lon=lon geographic"},
		{name: "requested measure", header: "id,lat,lon,Revenue", opt: Options{Measures: []string{"revenue"}}, want: "id=id lat=lat lon=lon measure=Revenue! geographic"},
		{name: "requested alias column", header: "id,lat,lon,account", opt: Options{Measures: []string{"account"}}, want: "id=id lat=lat lon=lon measure=account! geographic"},
		{name: "count needs no column", header: "id,lat,lon", opt: Options{Measures: []string{"count"}}, want: "id=id lat=lat lon=lon geographic"},
		{name: "reps ignore measures", kind: repsKind, header: "id,revenue", opt: Options{Measures: []string{"revenue", "workload"}}, want: "id=id"},

		// Explicit mapping.
		{name: "map id and location", header: "Kunde,Breite,Länge,id", opt: Options{Columns: map[string]string{"id": "kunde", "lat": "Breite", "LON": "länge"}},
			want: "id=Kunde lat=Breite lon=Länge geographic"},
		{name: "mapping beats detection", header: "id,lat,lon,code", opt: Options{Columns: map[string]string{"id": "code"}}, want: "id=code lat=lat lon=lon geographic"},
		{name: "map planar", header: "id,lat,lon,east,north", opt: Options{Columns: map[string]string{"x": "east", "y": "north"}}, want: "id=id x=east y=north planar"},
		{name: "map owner and locked", header: "id,x,y,who,fixed", opt: Options{Columns: map[string]string{"owner": "who", "locked": "fixed"}},
			want: "id=id x=x y=y owner=who locked=fixed planar"},
		{name: "turn owner off", header: "id,x,y,territory", opt: Options{Columns: map[string]string{"owner": ""}}, want: "id=id x=x y=y planar"},
		{name: "reps: map capacity", kind: repsKind, header: "id,fte", opt: Options{Columns: map[string]string{"capacity": "FTE"}}, want: "id=id capacity=fte"},
		{name: "reps: no location", kind: repsKind, header: "id,name", want: "id=id name=name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newProblems(tt.kind, "t.csv")
			l := detect(tt.kind, strings.Split(tt.header, ","), 1, tt.opt, format{}, p)
			if err := p.Err(); err != nil {
				t.Fatalf("detect: %v", err)
			}
			if diff := cmp.Diff(tt.want, describe(l)); diff != "" {
				t.Errorf("layout (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseBool(t *testing.T) {
	for _, s := range []string{"true", "TRUE", "yes", "Yes", "1", "y", " Y "} {
		if v, ok := territory.ParseLocked(s); !v || !ok {
			t.Errorf("territory.ParseLocked(%q) = %v, %v; want true, true", s, v, ok)
		}
	}
	for _, s := range []string{"", "false", "False", "no", "0", "n", "N"} {
		if v, ok := territory.ParseLocked(s); v || !ok {
			t.Errorf("territory.ParseLocked(%q) = %v, %v; want false, true", s, v, ok)
		}
	}
	for _, s := range []string{"maybe", "2", "x", "on"} {
		if _, ok := territory.ParseLocked(s); ok {
			t.Errorf("territory.ParseLocked(%q) accepted", s)
		}
	}
}

func TestColLetter(t *testing.T) {
	for i, want := range map[int]string{0: "A", 1: "B", 25: "Z", 26: "AA", 27: "AB", 51: "AZ", 52: "BA", 701: "ZZ", 702: "AAA"} {
		if got := colLetter(i); got != want {
			t.Errorf("colLetter(%d) = %q, want %q", i, got, want)
		}
	}
}

func TestSniffDelimiter(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want rune
	}{
		{name: "comma", in: "id,lat,lon\n1;2;3\n", want: ','},
		{name: "semicolon", in: "id;lat;lon\n", want: ';'},
		{name: "tab", in: "id\tlat\tlon", want: '\t'},
		{name: "pipe", in: "id|lat|lon\r\n", want: '|'},
		{name: "tie goes to comma", in: "a,b;c\n", want: ','},
		{name: "single column", in: "id\n1\n", want: ','},
		{name: "quoted delimiters do not count", in: "\"a;b;c\",d,e\n", want: ','},
		{name: "blank lines first", in: "\n;;;\n  \nid|lat|lon\n", want: '|'},
		{name: "quoted line break", in: "\"a\nb\";c;d\n", want: ';'},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sniffDelimiter([]byte(tt.in)); got != tt.want {
				t.Errorf("sniffDelimiter(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestRowsHint(t *testing.T) {
	window := []byte(strings.Repeat(strings.Repeat("x", 63)+"\n", bufferSize/64))
	tests := []struct {
		name  string
		start []byte
		size  int64
		want  int
	}{
		{name: "whole input", start: []byte("id\n1\n2\n"), size: 0, want: 4},
		{name: "estimated from the first rows", start: window, size: 64 * 1000, want: 1001},
		{name: "unknown size", start: window, size: 0, want: 0},
		{name: "short rows count as 16 bytes", start: []byte(strings.Repeat("1\n", bufferSize/2)), size: 16 * 1000, want: 1001},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := rowsHint(tt.start, tt.size); got != tt.want {
				t.Errorf("rowsHint = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestNumberMsg(t *testing.T) {
	tests := []struct{ cell, want string }{
		{"12,5x", `invalid number "12,5x"`},
		{" NaN ", `invalid number "NaN" (expected a finite number)`},
		{"#DIV/0!", `invalid number "#DIV/0!" (a spreadsheet error value)`},
	}
	for _, tt := range tests {
		_, st := territory.ParseNumber(tt.cell, false)
		if got := numberMsg(tt.cell, st); got != tt.want {
			t.Errorf("numberMsg(%q) = %q, want %q", tt.cell, got, tt.want)
		}
	}
}
