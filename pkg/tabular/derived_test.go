package tabular

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/territory-optimizer/territory/pkg/derive"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// derived parses derived measures written NAME=EXPR.
func derived(t *testing.T, ss ...string) []*derive.Measure {
	t.Helper()
	var ms []*derive.Measure
	for _, s := range ss {
		m, err := derive.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		ms = append(ms, m)
	}
	return ms
}

// callPlan is a call plan as a CRM exports it: visits a year, minutes per
// call, and a region that is text.
const callPlan = "id,x,y,Visits,Call Minutes,region,revenue\n" +
	"a,0,0,12,35,east,100\n" +
	"b,1,0,4,5,east,200\n" +
	"c,0,1,,30,west,300\n" +
	"d,1,1,6,25,west,400\n"

func TestReadAccountsDerived(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		measures []string // Options.Measures
		derived  []string
		want     []territory.Measure
	}{
		{name: "the issue's workload, after the columns read",
			in: callPlan, measures: []string{"workload"}, derived: []string{"workload=visits*(call_minutes+25)/60"},
			// 12*60/60 = 12, 4*30/60 = 2, an empty cell is 0, 6*50/60 = 5.
			want: []territory.Measure{
				{Name: "visits", Column: "Visits", Values: []float64{12, 4, 0, 6}},
				{Name: "call_minutes", Column: "Call Minutes", Values: []float64{35, 5, 30, 25}},
				{Name: "revenue", Column: "revenue", Values: []float64{100, 200, 300, 400}},
				{Name: "workload", Column: "workload", Values: []float64{12, 2, 0, 5}},
			}},
		{name: "two, one reading the other, named as given",
			in: callPlan, derived: []string{"Revenue per Visit=revenue/max(visits, 1)", "Hours=visits*0.5"},
			want: []territory.Measure{
				{Name: "visits", Column: "Visits", Values: []float64{12, 4, 0, 6}},
				{Name: "call_minutes", Column: "Call Minutes", Values: []float64{35, 5, 30, 25}},
				{Name: "revenue", Column: "revenue", Values: []float64{100, 200, 300, 400}},
				{Name: "revenue_per_visit", Column: "Revenue per Visit", Values: []float64{100.0 / 12, 50, 300, 400.0 / 6}},
				{Name: "hours", Column: "Hours", Values: []float64{6, 2, 0, 3}},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, _, err := ReadAccounts(strings.NewReader(tt.in), "a.csv", Options{Measures: tt.measures, Derived: derived(t, tt.derived...)})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, a.Measures); diff != "" {
				t.Errorf("measures (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadAccountsDerivedErrors(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		measures []string
		derived  []string
		want     []string
	}{
		{name: "a column the file lacks, with the numeric ones",
			in: callPlan, derived: []string{"workload=visits*(call_mins+25)/60"},
			want: []string{`read accounts "a.csv": derived measure workload=visits*(call_mins+25)/60: no numeric column "call_mins" in the accounts (numeric columns: "Visits", "Call Minutes", "revenue")`}},
		{name: "a text column read: every cell that is not a number, with its row and column",
			in: callPlan, derived: []string{"w=region*2"},
			want: []string{
				`read accounts "a.csv": row 2, column "region": invalid number "east"`,
				`read accounts "a.csv": row 3, column "region": invalid number "east"`,
				`read accounts "a.csv": row 4, column "region": invalid number "west"`,
				`read accounts "a.csv": row 5, column "region": invalid number "west"`,
			}},
		{name: "one bad cell among numbers",
			in: callPlan + "e,2,2,n/a,10,east,500\n", derived: []string{"workload=visits*(call_minutes+25)/60"},
			want: []string{`read accounts "a.csv": row 6, column "Visits": invalid number "n/a"`}},
		{name: "division by zero, with the row and the measure",
			in: callPlan, derived: []string{"per_visit=call_minutes/visits"},
			want: []string{`read accounts "a.csv": row 4: derived measure "per_visit": division by zero: visits is 0 (call_minutes = 30, visits = 0)`}},
		{name: "NaN",
			in: callPlan, derived: []string{"w=(call_minutes-30)**0.5"},
			want: []string{
				`read accounts "a.csv": row 3: derived measure "w": the result is NaN (not a number) (call_minutes = 5)`,
				`read accounts "a.csv": row 5: derived measure "w": the result is NaN (not a number) (call_minutes = 25)`,
			}},
		{name: "an infinity",
			in: callPlan, derived: []string{"w=revenue*1.7e306"}, // 100*1.7e306 is a number, 200*1.7e306 is not
			want: []string{
				`read accounts "a.csv": row 3: derived measure "w": the result is +Inf (too large for a number) (revenue = 200)`,
				`read accounts "a.csv": row 4: derived measure "w": the result is +Inf (too large for a number) (revenue = 300)`,
				`read accounts "a.csv": row 5: derived measure "w": the result is +Inf (too large for a number) (revenue = 400)`,
			}},
		{name: "the name of a column",
			in: callPlan, derived: []string{"Revenue=visits*100"},
			want: []string{`read accounts "a.csv": column "revenue": the derived measure Revenue=visits*100 has the name of this column: give it another name`}},
		{name: "a column with a role",
			in: callPlan, derived: []string{"w=x+visits"},
			want: []string{`read accounts "a.csv": column "x": the derived measure w=x+visits reads this column, which holds the x, not a measure`}},
		{name: "a bad row: nothing computed, the names checked",
			in: callPlan + "e,abc,2,0,10,east,500\n", derived: []string{"per_visit=call_minutes/visits", "w=calls*2"},
			want: []string{
				`read accounts "a.csv": row 6, column "x": invalid number "abc"`,
				`read accounts "a.csv": derived measure w=calls*2: no numeric column "calls" in the accounts (numeric columns: "Visits", "Call Minutes", "revenue"; derived measures: "per_visit" and "w")`,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, _, err := ReadAccounts(strings.NewReader(tt.in), "a.csv", Options{Measures: tt.measures, Derived: derived(t, tt.derived...)})
			if diff := cmp.Diff(tt.want, messages(t, err)); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			if a.Len() != 0 || a.Measures != nil {
				t.Errorf("accounts returned with an error: %+v", a)
			}
		})
	}
}

// TestReadXLSXDerived checks that a workbook's rows are named as Excel
// numbers them, a blank row counted.
func TestReadXLSXDerived(t *testing.T) {
	book := makeWorkbook(t, testSheet{name: "Accounts", rows: [][]any{
		{"Account ID", "Lat", "Lon", "Visits", "Call Minutes"},
		{"A1", 35.1, -80.2, 12, 35},
		{},
		{},
		{"A2", 35.2, -80.1, 0, 25},
	}})
	a, _, err := ReadAccounts(bytes.NewReader(book), "book.xlsx", Options{Derived: derived(t, "per_visit=call_minutes/visits")})
	want := []string{`read accounts "book.xlsx": row 5: derived measure "per_visit": division by zero: visits is 0 (call_minutes = 25, visits = 0)`}
	if diff := cmp.Diff(want, messages(t, err)); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if a.Len() != 0 {
		t.Errorf("accounts returned with an error: %+v", a)
	}
}
