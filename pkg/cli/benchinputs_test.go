package cli

import (
	"bufio"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/territory-optimizer/territory/pkg/demo"
)

var benchInputs = flag.String("bench-inputs", "", "write the inputs of the load benchmarks in docs/benchmarks.md into `DIR`")

// Sizes of the load benchmarks (docs/benchmarks.md): a million accounts
// as CSV, a hundred thousand as XLSX, over the contiguous US.
var (
	benchCSVConfig  = demo.Config{Accounts: 1_000_000, Reps: 1000, Seed: 1}
	benchXLSXConfig = demo.Config{Accounts: 100_000, Reps: 100, Seed: 1}
)

// TestWriteLoadBenchmarkInputs writes the inputs of the load benchmarks
// into the directory given with -bench-inputs, and is skipped without it:
//
//	go test ./pkg/cli -run TestWriteLoadBenchmarkInputs -bench-inputs /tmp/bench
//
// accounts_1m.csv is what pkg/demo writes for a million accounts;
// accounts_100k.xlsx holds a hundred thousand on an "Accounts" sheet after
// a notes sheet, with spreadsheet headers, streamed as excelize writes
// large sheets.
func TestWriteLoadBenchmarkInputs(t *testing.T) {
	dir := *benchInputs
	if dir == "" {
		t.Skip("give -bench-inputs DIR to write the load benchmark's inputs")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	d, err := demo.Generate(benchCSVConfig)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, "accounts_1m.csv"))
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := d.WriteAccountsCSV(w); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}

	d, err = demo.Generate(benchXLSXConfig)
	if err != nil {
		t.Fatal(err)
	}
	x := excelize.NewFile()
	defer x.Close()
	if err := x.SetSheetName("Sheet1", "Notes"); err != nil {
		t.Fatal(err)
	}
	if err := x.SetCellValue("Notes", "A1", "100,000 generated accounts (pkg/demo) for the XLSX load benchmark"); err != nil {
		t.Fatal(err)
	}
	if _, err := x.NewSheet("Accounts"); err != nil {
		t.Fatal(err)
	}
	sw, err := x.NewStreamWriter("Accounts")
	if err != nil {
		t.Fatal(err)
	}
	if err := sw.SetRow("A1", []any{"Account ID", "Account Name", "Lat", "Lon", "Annual Revenue", "Workload Hours"}); err != nil {
		t.Fatal(err)
	}
	for i, a := range d.Accounts {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, []any{a.ID, a.Name, a.Lat, a.Lon, a.Revenue, a.Workload}); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := x.SaveAs(filepath.Join(dir, "accounts_100k.xlsx")); err != nil {
		t.Fatal(err)
	}
}
