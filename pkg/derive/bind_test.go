package derive

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// header is an accounts table's header as a reader finds it: id, lat and
// lon claimed for their roles.
func header(names ...string) (*territory.Columns, func(int) []string) {
	cols := territory.NewColumns("column", "no named columns", names)
	roles := map[string]string{"id": "id", "lat": "latitude", "lon": "longitude"}
	for i, n := range cols.Norm {
		if _, ok := roles[n]; ok {
			cols.Claimed[i] = true
		}
	}
	holds := func(i int) []string { return []string{roles[cols.Norm[i]]} }
	return cols, holds
}

func mustParse(t *testing.T, ss ...string) []*Measure {
	t.Helper()
	var ms []*Measure
	for _, s := range ss {
		m, err := Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		ms = append(ms, m)
	}
	return ms
}

// problems writes the problems of errs, one per line.
func problems(errs *territory.InputErrors) string {
	if err := errs.Err(); err != nil {
		return err.Error()
	}
	return ""
}

func TestBind(t *testing.T) {
	tests := []struct {
		name          string
		header        []string
		measures      []string
		requested     []string // what the caller requests
		wantRequested []string
		wantProblems  string
	}{
		{name: "the columns read are requested, the derived measures are not",
			header: []string{"id", "lat", "lon", "Visits", "Call Minutes", "revenue"}, measures: []string{"workload=visits*(call_minutes+25)/60"},
			requested: []string{"Workload", "revenue"}, wantRequested: []string{"revenue", "visits", "call_minutes"}},
		{name: "a name no column has is left to Apply",
			header: []string{"id", "lat", "lon", "revenue"}, measures: []string{"w=visits*2"},
			requested: []string{"w"}, wantRequested: nil},
		{name: "a derived measure read by another",
			header: []string{"id", "lat", "lon", "visits"}, measures: []string{"hours=visits/2", "w=hours+1"},
			wantRequested: []string{"visits"}},
		{name: "the name of a column",
			header: []string{"id", "lat", "lon", "Revenue", "visits"}, measures: []string{"revenue=visits*1000"},
			wantRequested: []string{"visits"},
			wantProblems:  `read accounts "a.csv": column "Revenue": the derived measure revenue=visits*1000 has the name of this column: give it another name`},
		{name: "the name of a text column",
			header: []string{"id", "lat", "lon", "region", "visits"}, measures: []string{"Region=visits"},
			wantRequested: []string{"visits"},
			wantProblems:  `read accounts "a.csv": column "region": the derived measure Region=visits has the name of this column: give it another name`},
		{name: "a column with a role",
			header: []string{"id", "lat", "lon", "visits"}, measures: []string{"north=lat*visits"},
			wantRequested: []string{"visits"},
			wantProblems:  `read accounts "a.csv": column "lat": the derived measure north=lat*visits reads this column, which holds the latitude, not a measure`},
		{name: "what Check finds",
			header: []string{"id", "lat", "lon", "visits"}, measures: []string{"a=b", "b=a"},
			wantProblems: `read accounts "a.csv": measures "a" and "b" depend on each other: a -> b -> a`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cols, holds := header(tt.header...)
			errs := &territory.InputErrors{What: "read accounts", File: "a.csv"}
			b := Bind(mustParse(t, tt.measures...), cols, holds, errs)
			if diff := cmp.Diff(tt.wantRequested, b.Requested(tt.requested)); diff != "" {
				t.Errorf("Requested (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantProblems, problems(errs)); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestApply(t *testing.T) {
	// Five accounts on rows 2 to 6 of a.csv.
	accounts := func() *territory.Accounts {
		return &territory.Accounts{
			Source: "a.csv",
			IDs:    []string{"a", "b", "c", "d", "e"},
			Rows:   []int{2, 3, 4, 5, 6},
			Measures: []territory.Measure{
				{Name: "visits", Column: "Visits", Values: []float64{12, 4, 0, 6, 24}},
				{Name: "call_minutes", Column: "call_minutes", Values: []float64{35, 5, 30, 25, 20}},
			},
		}
	}
	hdr := []string{"id", "lat", "lon", "Visits", "call_minutes"}
	tests := []struct {
		name         string
		measures     []string
		dirty        bool                // the input has a problem already
		want         []territory.Measure // the derived measures appended
		wantProblems string
	}{
		{name: "the issue's workload", measures: []string{"workload=visits*(call_minutes+25)/60"},
			// 12*(35+25)/60 = 12, 4*30/60 = 2, 0, 6*50/60 = 5, 24*45/60 = 18.
			want: []territory.Measure{{Name: "workload", Column: "workload", Values: []float64{12, 2, 0, 5, 18}}}},
		{name: "a chain, given in any order, kept in the order given",
			measures: []string{"Hours Total=hours+travel", "hours=visits*(call_minutes+25)/60", "travel=0.5"},
			want: []territory.Measure{
				{Name: "hours_total", Column: "Hours Total", Values: []float64{12.5, 2.5, 0.5, 5.5, 18.5}},
				{Name: "hours", Column: "hours", Values: []float64{12, 2, 0, 5, 18}},
				{Name: "travel", Column: "travel", Values: []float64{0.5, 0.5, 0.5, 0.5, 0.5}},
			}},
		{name: "division by zero, on every row it happens",
			measures: []string{"per_visit=call_minutes/visits", "ratio=visits/(call_minutes-25)"},
			wantProblems: `read accounts "a.csv": row 4: derived measure "per_visit": division by zero: visits is 0 (call_minutes = 30, visits = 0)
read accounts "a.csv": row 5: derived measure "ratio": division by zero: call_minutes - 25 is 0 (visits = 6, call_minutes = 25)`},
		{name: "NaN",
			measures: []string{"w=(call_minutes-30)**0.5"}, // -5 and -10 have no square root
			wantProblems: `read accounts "a.csv": row 3: derived measure "w": the result is NaN (not a number) (call_minutes = 5)
read accounts "a.csv": row 5: derived measure "w": the result is NaN (not a number) (call_minutes = 25)
read accounts "a.csv": row 6: derived measure "w": the result is NaN (not a number) (call_minutes = 20)`},
		{name: "a measure that reads one that fails is not computed",
			measures:     []string{"w=1/visits", "x=w*2"},
			wantProblems: `read accounts "a.csv": row 4: derived measure "w": division by zero: visits is 0 (visits = 0)`},
		{name: "a column the accounts lack",
			measures:     []string{"workload=visits*(call_mins+25)/60", "x=workload*2"},
			wantProblems: `read accounts "a.csv": derived measure workload=visits*(call_mins+25)/60: no numeric column "call_mins" in the accounts (numeric columns: "Visits", "call_minutes"; derived measures: "workload" and "x")`},
		{name: "an input with problems: the names only",
			measures: []string{"w=1/visits", "x=region*2"}, dirty: true,
			wantProblems: `read accounts "a.csv": row 9: bad latitude
read accounts "a.csv": derived measure x=region*2: no numeric column "region" in the accounts (numeric columns: "Visits", "call_minutes"; derived measures: "w" and "x")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cols, holds := header(hdr...)
			errs := &territory.InputErrors{What: "read accounts", File: "a.csv"}
			b := Bind(mustParse(t, tt.measures...), cols, holds, errs)
			if errs.Len() > 0 {
				t.Fatalf("Bind: %v", errs.Err())
			}
			if tt.dirty {
				errs.Add(9, "", "bad latitude")
			}
			a := accounts()
			b.Apply(a, errs)
			if diff := cmp.Diff(tt.wantProblems, problems(errs)); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			want := accounts().Measures
			if tt.wantProblems == "" {
				want = append(want, tt.want...)
			}
			if diff := cmp.Diff(want, a.Measures); diff != "" {
				t.Errorf("measures (-want +got):\n%s", diff)
			}
		})
	}
}

func TestApplyListsFifty(t *testing.T) {
	// Every row divides by zero: 50 problems are listed, then a count.
	n := 120
	a := &territory.Accounts{IDs: make([]string, n), Rows: make([]int, n),
		Measures: []territory.Measure{{Name: "visits", Column: "visits", Values: make([]float64, n)}}}
	for i := range n {
		a.Rows[i] = i + 2
	}
	cols, holds := header("id", "lat", "lon", "visits")
	errs := &territory.InputErrors{What: "read accounts", File: "a.csv"}
	Bind(mustParse(t, "w=1/visits"), cols, holds, errs).Apply(a, errs)
	lines := strings.Split(problems(errs), "\n")
	if len(lines) != territory.MaxListed+1 || lines[territory.MaxListed] != `read accounts "a.csv": 70 more problems not shown` {
		t.Errorf("%d lines, the last %q; want %d and a count of 70 more", len(lines), lines[len(lines)-1], territory.MaxListed+1)
	}
}
