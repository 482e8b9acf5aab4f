package tabular

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"
)

// accountsCSV generates a realistic accounts file of n rows: id, name,
// location, two measures, owner and a text column.
func accountsCSV(n int) []byte {
	rng := rand.New(rand.NewPCG(1, 2)) // fixed seed: the same file every run
	var b bytes.Buffer
	b.WriteString("account_id,name,lat,lon,revenue,workload,owner,city\n")
	for i := range n {
		b.WriteString("A")
		b.WriteString(strconv.Itoa(i + 1))
		fmt.Fprintf(&b, ",Account %d,", i+1)
		b.WriteString(strconv.FormatFloat(25+rng.Float64()*24, 'f', 6, 64))
		b.WriteByte(',')
		b.WriteString(strconv.FormatFloat(-124+rng.Float64()*57, 'f', 6, 64))
		b.WriteByte(',')
		b.WriteString(strconv.FormatFloat(rng.Float64()*1e6, 'f', 2, 64))
		b.WriteByte(',')
		b.WriteString(strconv.Itoa(rng.IntN(2000)))
		b.WriteString(",R")
		b.WriteString(strconv.Itoa(rng.IntN(1000)))
		b.WriteString(",Springfield\n")
	}
	return b.Bytes()
}

func BenchmarkReadAccounts(b *testing.B) {
	for _, n := range []int{10_000, 1_000_000} {
		data := accountsCSV(n)
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				a, _, err := ReadAccounts(bytes.NewReader(data), "bench.csv", Options{Measures: []string{"revenue"}})
				if err != nil {
					b.Fatal(err)
				}
				if a.Len() != n {
					b.Fatalf("read %d accounts, want %d", a.Len(), n)
				}
			}
		})
	}
}

// accountsXLSX writes a workbook of n accounts to path with excelize's
// stream writer: a notes sheet, then an accounts sheet of the columns of
// accountsCSV, numbers stored as numbers.
func accountsXLSX(tb testing.TB, path string, n int) {
	tb.Helper()
	rng := rand.New(rand.NewPCG(1, 2)) // fixed seed: the same workbook every run
	f := excelize.NewFile()
	defer f.Close()
	check := func(err error) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
	}
	check(f.SetSheetName("Sheet1", "Notes"))
	check(f.SetCellValue("Notes", "A1", "Benchmark workbook"))
	_, err := f.NewSheet("Accounts")
	check(err)
	sw, err := f.NewStreamWriter("Accounts")
	check(err)
	check(sw.SetRow("A1", []any{"Account ID", "Name", "Lat", "Lon", "Annual Revenue", "Workload", "Owner", "City"}))
	for i := range n {
		cell, err := excelize.CoordinatesToCellName(1, i+2)
		check(err)
		check(sw.SetRow(cell, []any{
			"A" + strconv.Itoa(i+1), "Account " + strconv.Itoa(i+1),
			25 + rng.Float64()*24, -124 + rng.Float64()*57,
			rng.Float64() * 1e6, rng.IntN(2000),
			"R" + strconv.Itoa(rng.IntN(1000)), "Springfield",
		}))
	}
	check(sw.Flush())
	check(f.SaveAs(path))
}

func BenchmarkReadXLSX(b *testing.B) {
	for _, n := range []int{100_000} {
		path := filepath.Join(b.TempDir(), "accounts.xlsx")
		accountsXLSX(b, path, n)
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				a, _, err := ReadAccountsFile(path, Options{Measures: []string{"annual revenue"}})
				if err != nil {
					b.Fatal(err)
				}
				if a.Len() != n {
					b.Fatalf("read %d accounts, want %d", a.Len(), n)
				}
			}
		})
	}
}
