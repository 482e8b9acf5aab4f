package tabular

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"
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
