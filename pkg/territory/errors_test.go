package territory_test

import (
	"errors"
	"fmt"
	"slices"
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

// messages lists the lines of an error joined with errors.Join.
func messages(err error) []string {
	if err == nil {
		return nil
	}
	var out []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		out = append(out, e.Error())
	}
	return out
}

func TestInputErrors(t *testing.T) {
	tests := []struct {
		name  string
		n     int  // problems added, at rows 1..n
		stops bool // InputErrors.Stops
		last  string
		lines int
	}{
		{name: "none", n: 0},
		{name: "one", n: 1, last: `read accounts "a.csv": row 1: bad`, lines: 1},
		{name: "all listed", n: territory.MaxListed, last: `read accounts "a.csv": row 50: bad`, lines: territory.MaxListed},
		{name: "one more", n: territory.MaxListed + 1, last: `read accounts "a.csv": 1 more problem not shown`, lines: territory.MaxListed + 1},
		{name: "many more", n: territory.MaxListed + 12, last: `read accounts "a.csv": 12 more problems not shown`, lines: territory.MaxListed + 1},
		{name: "stops", n: territory.MaxListed + 1, stops: true,
			last: `read accounts "a.csv": more problems not shown: stopped reading after 50`, lines: territory.MaxListed + 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := &territory.InputErrors{What: "read accounts", File: "a.csv", Stops: tt.stops}
			for i := 1; i <= tt.n; i++ {
				l.Addf(i, "", "%s", "bad")
			}
			if l.Len() != tt.n {
				t.Errorf("Len = %d, want %d", l.Len(), tt.n)
			}
			got := messages(l.Err())
			if len(got) != tt.lines {
				t.Fatalf("%d lines, want %d: %q", len(got), tt.lines, got)
			}
			if tt.lines > 0 && got[len(got)-1] != tt.last {
				t.Errorf("last line %q, want %q", got[len(got)-1], tt.last)
			}
		})
	}
}

func TestInputErrorsOrder(t *testing.T) {
	l := &territory.InputErrors{What: "read plan", File: "p.csv"}
	l.Add(0, "", "whole file")
	l.Add(2, "id", "two")
	l.Add(5, "", "five")
	// A later pass finds rows 1 and 3: merged among the rows after the
	// first problem (the whole file's, which a reader adds first).
	l.InsertByRow(1, []*territory.InputError{{What: "read plan", File: "p.csv", Row: 1, Msg: "one"}, {What: "read plan", File: "p.csv", Row: 3, Msg: "three"}})
	want := []string{`read plan "p.csv": whole file`, `read plan "p.csv": row 1: one`, `read plan "p.csv": row 2, column "id": two`,
		`read plan "p.csv": row 3: three`, `read plan "p.csv": row 5: five`}
	if got := messages(l.Err()); !slices.Equal(got, want) {
		t.Errorf("after InsertByRow:\n got %q\nwant %q", got, want)
	}
	l.SortByRow()
	want = append(want[1:], want[0])
	if got := messages(l.Err()); !slices.Equal(got, want) {
		t.Errorf("after SortByRow:\n got %q\nwant %q", got, want)
	}
}
