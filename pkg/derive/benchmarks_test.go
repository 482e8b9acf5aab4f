package derive

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// BenchmarkApply computes the workload, and a measure that reads
// it, for every account: what reading a file adds per derived measure.
func BenchmarkApply(b *testing.B) {
	for _, n := range []int{10_000, 1_000_000} {
		rng := rand.New(rand.NewPCG(1, 2)) // fixed seed: the same accounts every run
		visits, minutes := make([]float64, n), make([]float64, n)
		for i := range n {
			visits[i] = float64(1 + rng.IntN(24))
			minutes[i] = float64(10 + rng.IntN(50))
		}
		read := []territory.Measure{
			{Name: "visits", Column: "visits", Values: visits},
			{Name: "call_minutes", Column: "call_minutes", Values: minutes},
		}
		cols := territory.NewColumns("column", "no named columns", []string{"id", "x", "y", "visits", "call_minutes"})
		cols.Claimed[0], cols.Claimed[1], cols.Claimed[2] = true, true, true
		var ms []*Measure
		for _, s := range []string{"workload=visits*(call_minutes+25)/60", "hours=workload+0.5"} {
			m, err := Parse(s)
			if err != nil {
				b.Fatal(err)
			}
			ms = append(ms, m)
		}
		b.Run(fmt.Sprintf("accounts=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				errs := &territory.InputErrors{}
				bd := Bind(ms, cols, func(int) []string { return nil }, errs)
				a := territory.Accounts{IDs: make([]string, n), Measures: slices.Clip(read)}
				bd.Apply(&a, errs)
				if errs.Len() > 0 || len(a.Measures) != 4 {
					b.Fatalf("%d measures, problems: %v", len(a.Measures), errs.Err())
				}
			}
		})
	}
}
