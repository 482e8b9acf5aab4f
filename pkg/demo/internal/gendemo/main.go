// Command gendemo writes the demo's accounts.csv and reps.csv, generated
// from demo.DemoConfig, into a directory (demodata by default). It is run
// by go generate in pkg/demo:
//
//	go generate ./pkg/demo
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/territory-optimizer/territory/pkg/demo"
)

func main() {
	dir := flag.String("dir", "demodata", "directory to write the files into")
	flag.Parse()
	if err := run(*dir); err != nil {
		fmt.Fprintln(os.Stderr, "gendemo:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	d, err := demo.Generate(demo.DemoConfig)
	if err != nil {
		return err
	}
	var accounts, reps bytes.Buffer
	if err := d.WriteAccountsCSV(&accounts); err != nil {
		return err
	}
	if err := d.WriteRepsCSV(&reps); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, demo.AccountsFile), accounts.Bytes(), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, demo.RepsFile), reps.Bytes(), 0o644)
}
