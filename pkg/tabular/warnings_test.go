package tabular

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// readWarnings reads accounts from in and returns the measures read, the
// warnings (as their messages) and the error.
func readWarnings(t *testing.T, in string, opt Options) (measures, warnings []string, err error) {
	t.Helper()
	opt.Warn = func(e *territory.InputError) { warnings = append(warnings, e.Error()) }
	a, _, err := ReadAccounts(strings.NewReader(in), "a.csv", opt)
	for _, m := range a.Measures {
		measures = append(measures, m.Name)
	}
	return measures, warnings, err
}

func TestReadAccountsNumbersWithText(t *testing.T) {
	const head = "id,x,y,revenue,segment\n"
	tests := []struct {
		name         string
		in           string
		opt          Options
		wantMeasures []string
		wantWarnings []string
		wantErr      string // a part of the error; "" for none
	}{
		{
			name:         "one typo among numbers",
			in:           head + "1,0,0,10,A\n2,1,1,12x5,B\n3,2,2,7,C\n4,3,3,9,D\n",
			wantWarnings: []string{`read accounts "a.csv": row 3, column "revenue": "12x5" is not a number although 3 cells of the column are: the column is not read as a measure (fix the cell to use it in a balance rule)`},
		},
		{
			name:         "the typo in the first row",
			in:           head + "1,0,0,n/a,A\n2,1,1,12,B\n3,2,2,7,C\n",
			wantWarnings: []string{`read accounts "a.csv": row 2, column "revenue": "n/a" is not a number although 2 cells of the column are: the column is not read as a measure (fix the cell to use it in a balance rule)`},
		},
		{
			name: "two bad cells and empty ones",
			in:   head + "1,0,0,1,A\n2,1,1,,B\n3,2,2,x,C\n4,3,3,2,D\n5,4,4,3,E\n6,5,5,  Y ,F\n",
			wantWarnings: []string{`read accounts "a.csv": row 4, column "revenue": "x" is not a number (and 1 more cell) although 3 cells of the column are: ` +
				`the column is not read as a measure (fix the cell to use it in a balance rule)`},
		},
		{
			name:         "decimal comma file",
			in:           "id;x;y;revenue\n1;0;0;1,5\n2;1;1;2,5\n3;2;2;3.5.1\n",
			wantWarnings: []string{`read accounts "a.csv": row 4, column "revenue": "3.5.1" is not a number although 2 cells of the column are: the column is not read as a measure (fix the cell to use it in a balance rule)`},
		},
		{
			name:         "numbers in a text column are no warning",
			in:           head + "1,0,0,1,A\n2,1,1,2,B\n3,2,2,3,7\n4,3,3,4,8\n",
			wantMeasures: []string{"revenue"},
		},
		{
			name:         "as many text cells as numbers is text",
			in:           head + "1,0,0,1,A\n2,1,1,2,B\n3,2,2,a,C\n4,3,3,b,D\n",
			wantMeasures: nil,
		},
		{
			name:         "text first, then numbers: plainly text",
			in:           head + "1,0,0,a,A\n2,1,1,b,B\n3,2,2,c,C\n4,3,3,1,D\n5,4,4,2,D\n6,5,5,3,D\n7,6,6,4,D\n",
			wantMeasures: nil,
		},
		{
			name:         "a single number is no column of numbers",
			in:           head + "1,0,0,1,A\n",
			wantMeasures: []string{"revenue"},
		},
		{
			name:    "a measure asked for is an error, not a warning",
			in:      head + "1,0,0,10,A\n2,1,1,12x5,B\n3,2,2,7,C\n",
			opt:     Options{Measures: []string{"revenue"}},
			wantErr: `row 3, column "revenue": invalid number "12x5"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			measures, warnings, err := readWarnings(t, tt.in, tt.opt)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("ReadAccounts: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("ReadAccounts error = %v, want one with %q", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.wantWarnings, warnings, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
			if tt.wantErr == "" {
				if diff := cmp.Diff(tt.wantMeasures, measures, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("measures (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestReadAccountsBareQuotes(t *testing.T) {
	const warnTail = ` is not quoted but holds a '"': read as written (to be sure, quote the whole field and double the quotes inside it: "a ""b"" c")`
	tests := []struct {
		name         string
		in           string
		wantIDs      []string
		wantNames    []string
		wantWarnings []string
	}{
		{
			name:         "degrees, minutes and seconds",
			in:           "id,name,lat,lon\n1,37°36'37.8\"N,1,2\n2,b,1,2\n",
			wantIDs:      []string{"1", "2"},
			wantNames:    []string{`37°36'37.8"N`, "b"},
			wantWarnings: []string{`read accounts "a.csv": row 2, column "name": the field 37°36'37.8"N` + warnTail},
		},
		{
			name:      "quotes inside, at the end of a CRLF line and after a quoted line break",
			in:        "id,lat,lon,name\r\nA \"big\" one,1,2,x\r\n2,1,2,5\"\r\n3,\"1\r\n\",2,q\"\"\"6\"\r\n",
			wantIDs:   []string{`A "big" one`, "2", "3"},
			wantNames: []string{"x", `5"`, `q"""6"`},
			wantWarnings: []string{
				`read accounts "a.csv": row 2, column "id": the field A "big" one` + warnTail,
				`read accounts "a.csv": row 3, column "name": the field 5"` + warnTail,
				`read accounts "a.csv": row 4, column "name": the field q"""6"` + warnTail,
			},
		},
		{
			name:      "spaces before a quote start a quoted field",
			in:        "id,lat,lon,name\n1,1,2,  \"a, b\"\n",
			wantIDs:   []string{"1"},
			wantNames: []string{"a, b"},
		},
		{
			name:         "tab: a quote after a space is literal",
			in:           "id\tlat\tlon\tname\n1\t1\t2\t \"a\"\n",
			wantIDs:      []string{"1"},
			wantNames:    []string{`"a"`},
			wantWarnings: []string{`read accounts "a.csv": row 2, column "name": the field  "a"` + warnTail},
		},
		{
			name:         "in the header and in an unnamed column",
			in:           "id,lat,lon,name\",\n1,1,2,a,b\"\n",
			wantIDs:      []string{"1"},
			wantNames:    nil, // `name"` is no name column
			wantWarnings: []string{`read accounts "a.csv": row 1, column "D": the field name"` + warnTail, `read accounts "a.csv": row 2, column "E": the field b"` + warnTail},
		},
		{
			name:      "the first five, then a count",
			in:        "id,lat,lon,name\n1,1,2,x\"\n2,1,2,x\"\n3,1,2,x\"\n4,1,2,x\"\n5,1,2,x\"\n6,1,2,x\"\n7,1,2,x\"\n",
			wantIDs:   []string{"1", "2", "3", "4", "5", "6", "7"},
			wantNames: []string{`x"`, `x"`, `x"`, `x"`, `x"`, `x"`, `x"`},
			wantWarnings: []string{
				`read accounts "a.csv": row 2, column "name": the field x"` + warnTail,
				`read accounts "a.csv": row 3, column "name": the field x"` + warnTail,
				`read accounts "a.csv": row 4, column "name": the field x"` + warnTail,
				`read accounts "a.csv": row 5, column "name": the field x"` + warnTail,
				`read accounts "a.csv": row 6, column "name": the field x"` + warnTail,
				`read accounts "a.csv": 2 more fields are not quoted but hold a '"', read as written`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var warnings []string
			opt := Options{Warn: func(e *territory.InputError) { warnings = append(warnings, e.Error()) }}
			a, _, err := ReadAccounts(strings.NewReader(tt.in), "a.csv", opt)
			if err != nil {
				t.Fatalf("ReadAccounts: %v", err)
			}
			if diff := cmp.Diff(tt.wantIDs, a.IDs); diff != "" {
				t.Errorf("ids (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantNames, a.Names); diff != "" {
				t.Errorf("names (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantWarnings, warnings, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
		})
	}
}
