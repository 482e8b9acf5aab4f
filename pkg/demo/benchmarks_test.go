package demo

import (
	"io"
	"strconv"
	"testing"
)

// The sizes of issue 6: 100,000 accounts into 100 territories and
// 1,000,000 into 1,000, over the contiguous US.
var benchSizes = []struct{ accounts, reps int }{
	{100_000, 100},
	{1_000_000, 1_000},
}

// benchConfig is the dataset `territory example --accounts N --reps K`
// writes by default: a revenue tail of σ 1, reps sharing K/2 offices, 10%
// of them at half capacity and 5% at four fifths.
func benchConfig(accounts, reps int) Config {
	return Config{Accounts: accounts, Reps: reps, RevenueTail: 1, Offices: (reps + 1) / 2,
		HalfCapacity: reps / 10, FourFifthsCapacity: reps / 20, Seed: 1}
}

func BenchmarkGenerate(b *testing.B) {
	for _, s := range benchSizes {
		b.Run("accounts="+strconv.Itoa(s.accounts), func(b *testing.B) {
			cfg := benchConfig(s.accounts, s.reps)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Generate(cfg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkWriteAccountsCSV(b *testing.B) {
	for _, s := range benchSizes {
		b.Run("accounts="+strconv.Itoa(s.accounts), func(b *testing.B) {
			d, err := Generate(benchConfig(s.accounts, s.reps))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := d.WriteAccountsCSV(io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
