package solve

import (
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/territory-optimizer/territory/pkg/demo"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// The solver's stages of issue 6, beside pkg/cli's read, write and whole
// solve: the candidates (every account's nearest territories and every
// territory's nearest accounts), the assignment (the constrained k-means:
// coarse start and Newton prices) and the balance (the local search from
// the assignment's plan). The problems are those of `territory example
// --accounts N --reps K` (count:2% revenue:2%, centres at the homes, 5%
// of the reps at half capacity); CI runs every benchmark once, so the
// 100k and 1M sizes run only with TERRITORY_BENCH_LARGE=1:
//
//	TERRITORY_BENCH_LARGE=1 go test ./pkg/solve -run '^$' -bench 'Stage' -benchtime 3x
var stageSizes = []struct {
	accounts, reps int
	large          bool
}{
	{10_000, 10, false},
	{100_000, 100, true},
	{1_000_000, 1_000, true},
}

// forStageSizes runs bench on the generated problem of every size.
func forStageSizes(b *testing.B, bench func(b *testing.B, p *territory.Problem)) {
	for _, sz := range stageSizes {
		b.Run("N="+strconv.Itoa(sz.accounts), func(b *testing.B) {
			if sz.large && os.Getenv("TERRITORY_BENCH_LARGE") != "1" {
				b.Skip("set TERRITORY_BENCH_LARGE=1 to run the 100k and 1M sizes")
			}
			cfg := demo.Config{Accounts: sz.accounts, Reps: sz.reps, HalfCapacity: sz.reps * 5 / 100, Seed: 1}
			bench(b, generatedProblem(b, cfg, "count:2%", "revenue:2%"))
		})
	}
}

// BenchmarkStageCandidates lists every account's 16 nearest territories
// and adds every territory to its nearest accounts (withReach).
func BenchmarkStageCandidates(b *testing.B) {
	forStageSizes(b, func(b *testing.B, p *territory.Problem) {
		s := newState(newModel(p))
		s.initialSplit()
		b.ReportAllocs()
		for b.Loop() {
			s.withReach(s.candidates())
		}
	})
}

// BenchmarkStageAssign runs the constrained k-means from the seeding: the
// coarse start where the problem is large enough, then Newton's method.
func BenchmarkStageAssign(b *testing.B) {
	forStageSizes(b, func(b *testing.B, p *territory.Problem) {
		m := newModel(p)
		b.ReportAllocs()
		for b.Loop() {
			s := newState(m)
			s.initialSplit()
			if _, err := s.constrainedKMeans(b.Context(), Normal.budget(), 1, false, func(float64) {}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkStageBalance runs the local search (repair and improvement)
// from the plan of the constrained k-means, restored before every run,
// and fails if it leaves a rule broken.
func BenchmarkStageBalance(b *testing.B) {
	forStageSizes(b, func(b *testing.B, p *territory.Problem) {
		s := newState(newModel(p))
		s.initialSplit()
		if _, err := s.constrainedKMeans(b.Context(), Normal.budget(), 1, false, func(float64) {}); err != nil {
			b.Fatal(err)
		}
		start := s.snapshot()
		b.ReportAllocs()
		for b.Loop() {
			start.restore(s)
			ls := newLocalSearch(s, rand.New(rand.NewPCG(1, 2)))
			if err := ls.run(b.Context(), Normal.budget(), func(float64) {}); err != nil {
				b.Fatal(err)
			}
			if v := s.violation(); v > 0 {
				b.Fatalf("the local search left a violation of %g", v)
			}
		}
	})
}
