package tabular_test

import (
	"fmt"
	"strings"

	"github.com/territory-optimizer/territory/pkg/tabular"
)

func ExampleReadAccounts() {
	in := `Account ID,Name,Latitude,Longitude,Annual Revenue,Segment
A1,Acme,40.71,-74.01,1200,Retail
A2,"Bolt, Inc",34.05,-118.24,800,Industry
`
	a, space, err := tabular.ReadAccounts(strings.NewReader(in), "accounts.csv", tabular.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	revenue := a.Measure("annual_revenue")
	fmt.Printf("%d accounts, %s, measures: %d\n", a.Len(), space, len(a.Measures))
	for i, id := range a.IDs {
		fmt.Printf("row %d: %s %q at (%.2f, %.2f), revenue %g\n", a.Rows[i], id, a.Names[i], a.Locs[i].Y, a.Locs[i].X, revenue.Values[i])
	}

	// Every problem of a file is reported, with its row and column.
	bad := "id,lat,lon\nA1,412.5,-74\nA1,40.7,-74\n"
	_, _, err = tabular.ReadAccounts(strings.NewReader(bad), "bad.csv", tabular.Options{})
	fmt.Println(err)
	// Output:
	// 2 accounts, geographic, measures: 1
	// row 2: A1 "Acme" at (40.71, -74.01), revenue 1200
	// row 3: A2 "Bolt, Inc" at (34.05, -118.24), revenue 800
	// read accounts "bad.csv": row 2, column "lat": latitude 412.5 is not between -90 and 90
	// read accounts "bad.csv": row 3, column "id": duplicate id "A1" (first at row 2)
}
