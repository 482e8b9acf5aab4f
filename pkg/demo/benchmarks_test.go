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

func BenchmarkGenerate(b *testing.B) {
	for _, s := range benchSizes {
		b.Run("accounts="+strconv.Itoa(s.accounts), func(b *testing.B) {
			cfg := Config{Accounts: s.accounts, Reps: s.reps, HalfCapacity: s.reps / 10, Seed: 1}
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
			d, err := Generate(Config{Accounts: s.accounts, Reps: s.reps, Seed: 1})
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
