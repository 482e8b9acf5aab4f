package demo_test

import (
	"bytes"
	"fmt"
	"log"
	"os"

	"github.com/territory-optimizer/territory/pkg/demo"
)

func ExampleGenerate() {
	d, err := demo.Generate(demo.Config{
		Accounts:     5,
		Reps:         2,
		States:       []string{"GA"},
		HalfCapacity: 1,
		Seed:         1,
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := d.WriteAccountsCSV(os.Stdout); err != nil {
		log.Fatal(err)
	}
	if err := d.WriteRepsCSV(os.Stdout); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: $%.0f a year\n", d.Accounts[0].Name, d.Accounts[0].Revenue)
	// Output:
	// id,name,state,region,lat,lon,revenue,workload
	// A00001,Beacon Water Holdings,GA,South Atlantic,33.60776,-85.12966,62083,7.3
	// A00002,Magnolia Logistics Holdings,GA,South Atlantic,32.11451,-81.03245,3192,1.3
	// A00003,Silverline Printing Partners,GA,South Atlantic,30.71125,-84.29397,84443,10.4
	// A00004,Frontier Analytics Associates,GA,South Atlantic,33.56050,-84.45715,59747,9.2
	// A00005,Highland Dental Corp.,GA,South Atlantic,33.94344,-83.33154,47207,8.3
	// id,name,state,region,home_lat,home_lon,capacity
	// R1,Keisha Murphy,GA,South Atlantic,31.21275,-81.49652,0.5
	// R2,Ben Evans,GA,South Atlantic,34.64368,-83.74371,1
	// Beacon Water Holdings: $62083 a year
}

func ExampleAccountsCSV() {
	data := demo.AccountsCSV()
	lines := bytes.Count(data, []byte("\n"))
	fmt.Printf("%s: %d accounts, balanced with %v\n", demo.AccountsFile, lines-1, demo.Rules)
	// Output:
	// accounts.csv: 5000 accounts, balanced with [revenue:5% workload:5%]
}

func ExampleStream() {
	// The dataset of ExampleGenerate, written row by row.
	s, err := demo.NewStream(demo.Config{Accounts: 5, Reps: 2, States: []string{"GA"}, HalfCapacity: 1, Seed: 1})
	if err != nil {
		log.Fatal(err)
	}
	if err := s.WriteAccountsCSV(os.Stdout); err != nil {
		log.Fatal(err)
	}
	// Output:
	// id,name,state,region,lat,lon,revenue,workload
	// A00001,Beacon Water Holdings,GA,South Atlantic,33.60776,-85.12966,62083,7.3
	// A00002,Magnolia Logistics Holdings,GA,South Atlantic,32.11451,-81.03245,3192,1.3
	// A00003,Silverline Printing Partners,GA,South Atlantic,30.71125,-84.29397,84443,10.4
	// A00004,Frontier Analytics Associates,GA,South Atlantic,33.56050,-84.45715,59747,9.2
	// A00005,Highland Dental Corp.,GA,South Atlantic,33.94344,-83.33154,47207,8.3
}
