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
