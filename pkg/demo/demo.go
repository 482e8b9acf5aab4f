package demo

import (
	"embed"
	"fmt"
)

//go:generate go run ./internal/gendemo

// DemoConfig makes the embedded demo: 5,000 accounts and 25 reps (3 of
// them half time) in six states of the Southeast, from Tennessee and the
// Carolinas down to the Florida Keys. Its revenue is capped and every rep
// has a home of its own (RevenueTail and Offices left at 0): a small,
// tidy dataset that a ±5% band balances on revenue and workload at once.
// Changing it, or the generator, changes the embedded files: run go
// generate ./pkg/demo.
var DemoConfig = Config{
	Accounts:     5000,
	Reps:         25,
	States:       []string{"AL", "FL", "GA", "NC", "SC", "TN"},
	HalfCapacity: 3,
	Seed:         2010, // the Census year; any fixed value would do
}

// Rules are the balance rules the demo is solved with, in the syntax of
// territory.ParseBalanceRule: revenue and workload each within ±5% of every
// rep's capacity-scaled target.
var Rules = []string{"revenue:5%", "workload:5%"}

// The names of the demo's files, in the embedded data and as `territory
// example` writes them.
const (
	AccountsFile = "accounts.csv"
	RepsFile     = "reps.csv"
)

// demodata holds the files go generate writes from DemoConfig. The whole
// directory is embedded (it always holds its README) so that the package
// still builds, and the generator still runs, when the CSV files are
// missing.
//
//go:embed demodata
var demodata embed.FS

// AccountsCSV returns the demo's accounts file: Generate(DemoConfig)
// written by WriteAccountsCSV. The caller owns the returned slice.
func AccountsCSV() []byte { return demoFile(AccountsFile) }

// RepsCSV returns the demo's reps file: Generate(DemoConfig) written by
// WriteRepsCSV. The caller owns the returned slice.
func RepsCSV() []byte { return demoFile(RepsFile) }

func demoFile(name string) []byte {
	b, err := demodata.ReadFile("demodata/" + name)
	if err != nil {
		// Only a build from a tree without the generated files gets here.
		panic(fmt.Sprintf("demo: embedded demodata/%s is missing: run go generate ./pkg/demo", name))
	}
	return b
}
