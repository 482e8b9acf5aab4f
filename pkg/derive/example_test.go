package derive_test

import (
	"fmt"

	"github.com/territory-optimizer/territory/pkg/derive"
	"github.com/territory-optimizer/territory/pkg/territory"
)

func ExampleParse() {
	m, err := derive.Parse("workload=visits*(call_minutes+25)/60")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Name(), "reads", m.Refs())

	_, err = derive.Parse("workload=visits*(call_minutes+25")
	fmt.Println(err)
	// Output:
	// workload reads [visits call_minutes]
	// measure "workload": cannot compile "visits*(call_minutes+25": character 23: unexpected token EOF
}

func ExampleBinding_Apply() {
	// The header of accounts.csv, as a reader finds it: the id and the
	// location claimed, visits and call_minutes left as measures.
	cols := territory.NewColumns("column", "no named columns", []string{"id", "x", "y", "visits", "call_minutes"})
	cols.Claimed[0], cols.Claimed[1], cols.Claimed[2] = true, true, true
	holds := func(i int) []string { return []string{cols.Norm[i]} }

	m, _ := derive.Parse("workload=visits*(call_minutes+25)/60")
	errs := &territory.InputErrors{What: "read accounts", File: "accounts.csv"}
	b := derive.Bind([]*derive.Measure{m}, cols, holds, errs)
	fmt.Println("request", b.Requested([]string{"workload"}))

	// The rows as read.
	a := territory.Accounts{
		IDs:  []string{"a", "b", "c"},
		Rows: []int{2, 3, 4},
		Measures: []territory.Measure{
			{Name: "visits", Column: "visits", Values: []float64{12, 4, 6}},
			{Name: "call_minutes", Column: "call_minutes", Values: []float64{35, 5, 25}},
		},
	}
	b.Apply(&a, errs)
	fmt.Println(errs.Err())
	w := a.Measure("workload")
	fmt.Println(w.Column, w.Values)
	// Output:
	// request [visits call_minutes]
	// <nil>
	// workload [12 2 5]
}
