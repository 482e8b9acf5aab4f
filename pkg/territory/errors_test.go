package territory_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/territory-optimizer/territory/pkg/territory"
)

func TestInputErrorError(t *testing.T) {
	tests := []struct {
		name string
		err  territory.InputError
		want string
	}{
		{
			name: "file, row and column",
			err:  territory.InputError{What: "read accounts", File: "a.csv", Row: 12, Column: "revenue", Msg: `invalid number "12,5x"`},
			want: `read accounts "a.csv": row 12, column "revenue": invalid number "12,5x"`,
		},
		{
			name: "no file",
			err:  territory.InputError{What: "reps", Row: 3, Column: "id", Msg: "empty id"},
			want: `reps: row 3, column "id": empty id`,
		},
		{
			name: "no row",
			err:  territory.InputError{What: "read accounts", File: "a.csv", Column: "revenue", Msg: "2 values for 4 accounts"},
			want: `read accounts "a.csv": column "revenue": 2 values for 4 accounts`,
		},
		{
			name: "no column",
			err:  territory.InputError{What: "read accounts", File: "a.csv", Row: 7, Msg: "latitude 91 is not between -90 and 90"},
			want: `read accounts "a.csv": row 7: latitude 91 is not between -90 and 90`,
		},
		{
			name: "file only",
			err:  territory.InputError{What: "read accounts", File: "a.csv", Msg: "no accounts"},
			want: `read accounts "a.csv": no accounts`,
		},
		{
			name: "what only",
			err:  territory.InputError{What: "problem", Msg: "no territories"},
			want: `problem: no territories`,
		},
		{
			name: "message only",
			err:  territory.InputError{Msg: "no territories"},
			want: `no territories`,
		},
		{
			name: "file without what",
			err:  territory.InputError{File: "a.csv", Row: 2, Msg: "empty id"},
			want: `"a.csv": row 2: empty id`,
		},
		{
			name: "row without what",
			err:  territory.InputError{Row: 2, Msg: "empty id"},
			want: `row 2: empty id`,
		},
		{
			name: "row 0 and negative rows are not cited",
			err:  territory.InputError{What: "reps", Row: -1, Msg: "empty id"},
			want: `reps: empty id`,
		},
		{
			name: "file name and column are quoted",
			err:  territory.InputError{What: "read reps", File: `my "reps".csv`, Column: "Home\tLat", Msg: "invalid number"},
			want: `read reps "my \"reps\".csv": column "Home\tLat": invalid number`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestInputErrorWrapped(t *testing.T) {
	in := &territory.InputError{What: "reps", Row: 4, Column: "capacity", Msg: "capacity -1 is not a number >= 0"}
	err := fmt.Errorf("solve: %w", in)
	var got *territory.InputError
	if !errors.As(err, &got) || got != in {
		t.Fatalf("errors.As(%v) = %v, want the wrapped *InputError", err, got)
	}
	if want := `solve: reps: row 4, column "capacity": capacity -1 is not a number >= 0`; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
}
