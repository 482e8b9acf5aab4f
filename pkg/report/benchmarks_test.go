package report

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// benchProblem builds a geographic problem of n accounts in k territories:
// accounts spread over a 10° by 10° square, assigned to the vertical strip
// they fall in, with revenue and workload balanced within ±5% and count
// at most 2·n/k per full rep.
func benchProblem(b *testing.B, n, k int) (*territory.Problem, *territory.Plan) {
	rng := rand.New(rand.NewPCG(1, 2)) // fixed seed: the same instance every run
	p := &territory.Problem{
		Space: territory.Geographic,
		Accounts: territory.Accounts{
			IDs:  make([]string, n),
			Locs: make([]territory.Point, n),
			Measures: []territory.Measure{
				{Name: "revenue", Column: "revenue", Values: make([]float64, n)},
				{Name: "workload", Column: "workload", Values: make([]float64, n)},
				{Name: "visits", Column: "visits", Values: make([]float64, n)},
			},
		},
		Reps:      make([]territory.Rep, k),
		Objective: territory.SSE,
	}
	pl := &territory.Plan{
		Assign:        make([]int, n),
		Centers:       make([]territory.Point, k),
		CenterAccount: make([]int, k),
	}
	counts := make([]int, k)
	for i := range n {
		x, y := -100+10*rng.Float64(), 35+10*rng.Float64()
		p.Accounts.IDs[i] = "A" + strconv.Itoa(i)
		p.Accounts.Locs[i] = territory.Point{X: x, Y: y}
		p.Accounts.Measures[0].Values[i] = 1000 * rng.ExpFloat64()
		p.Accounts.Measures[1].Values[i] = float64(1 + rng.IntN(20))
		p.Accounts.Measures[2].Values[i] = float64(rng.IntN(5))
		t := min(int((x+100)/10*float64(k)), k-1)
		pl.Assign[i] = t
		pl.Centers[t].X += x
		pl.Centers[t].Y += y
		counts[t]++
	}
	for t := range k {
		p.Reps[t] = territory.Rep{ID: "R" + strconv.Itoa(t), Capacity: 1}
		if t%5 == 0 {
			p.Reps[t].Capacity = 0.5
		}
		pl.Centers[t].X /= float64(max(counts[t], 1))
		pl.Centers[t].Y /= float64(max(counts[t], 1))
		pl.CenterAccount[t] = -1
	}
	for _, s := range []string{"revenue", "workload", "count:max=" + strconv.Itoa(2*n/k)} {
		p.Rules = append(p.Rules, mustRule(b, s))
	}
	if err := p.Validate(); err != nil {
		b.Fatal(err)
	}
	if err := pl.Check(p); err != nil {
		b.Fatal(err)
	}
	return p, pl
}

func BenchmarkEvaluate(b *testing.B) {
	b.Run("accounts=100000/k=100", func(b *testing.B) {
		p, pl := benchProblem(b, 100000, 100)
		b.ReportAllocs()
		for b.Loop() {
			Evaluate(p, pl)
		}
	})
}

// BenchmarkShape measures the shape metrics of compact plans: n accounts
// spread over a 10° by 10° square, each in the territory of its nearest of
// k random seeds, except one in a hundred, given to its second nearest
// (so that boundaries interleave a little, as in a solved plan). The
// 1,000,000 x 1,000 case, the size the product promises, runs only with
// TERRITORY_BENCH_LARGE=1 (CI runs every benchmark once):
//
//	TERRITORY_BENCH_LARGE=1 go test ./pkg/report -run '^$' -bench Shape -benchtime 3x
func BenchmarkShape(b *testing.B) {
	for _, size := range []struct {
		n, k  int
		large bool
	}{{100000, 100, false}, {1000000, 1000, true}} {
		b.Run(fmt.Sprintf("accounts=%d/k=%d", size.n, size.k), func(b *testing.B) {
			if size.large && os.Getenv("TERRITORY_BENCH_LARGE") != "1" {
				b.Skip("set TERRITORY_BENCH_LARGE=1 to run 1,000,000 accounts")
			}
			p, pl := voronoiProblem(b, size.n, size.k)
			b.ReportAllocs()
			for b.Loop() {
				Shape(p, pl)
			}
		})
	}
}

// voronoiProblem builds the geographic problem of BenchmarkShape.
func voronoiProblem(b *testing.B, n, k int) (*territory.Problem, *territory.Plan) {
	rng := rand.New(rand.NewPCG(3, 4)) // fixed seed: the same instance every run
	at := func() territory.Point { return territory.Point{X: -100 + 10*rng.Float64(), Y: 35 + 10*rng.Float64()} }
	seeds := make([]spatial.Vec3, k)
	for t := range seeds {
		seeds[t] = spatial.Embed(territory.Geographic, at())
	}
	ix := spatial.NewIndex(seeds)
	p := &territory.Problem{
		Space:     territory.Geographic,
		Accounts:  territory.Accounts{IDs: make([]string, n), Locs: make([]territory.Point, n)},
		Reps:      make([]territory.Rep, k),
		Objective: territory.SSE,
	}
	pl := &territory.Plan{Assign: make([]int, n), Centers: make([]territory.Point, k)}
	var buf []int
	for i := range n {
		loc := at()
		p.Accounts.IDs[i] = "A" + strconv.Itoa(i)
		p.Accounts.Locs[i] = loc
		buf = ix.Nearest(spatial.Embed(territory.Geographic, loc), 2, buf[:0])
		pl.Assign[i] = buf[0]
		if rng.IntN(100) == 0 {
			pl.Assign[i] = buf[1]
		}
	}
	for t := range k {
		p.Reps[t] = territory.Rep{ID: "R" + strconv.Itoa(t), Capacity: 1}
		pl.Centers[t] = spatial.Unembed(territory.Geographic, seeds[t])
	}
	if err := p.Validate(); err != nil {
		b.Fatal(err)
	}
	if err := pl.Check(p); err != nil {
		b.Fatal(err)
	}
	return p, pl
}

// BenchmarkWriteXLSX writes report.xlsx, its Assignments sheet streamed,
// for the accounts of benchProblem (no owners, so no Moves sheet); the
// workbook's size is reported as bytes/op-file.
func BenchmarkWriteXLSX(b *testing.B) {
	b.Run("accounts=100000/k=100", func(b *testing.B) {
		p, pl := benchProblem(b, 100000, 100)
		m := Evaluate(p, pl)
		a, err := NewAssignments(p, pl)
		if err != nil {
			b.Fatal(err)
		}
		var size countWriter
		b.ReportAllocs()
		for b.Loop() {
			size = 0
			if err := WriteXLSX(&size, Run{}, m, a); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(size), "bytes/file")
	})
}

// countWriter counts the bytes written to it.
type countWriter int64

func (c *countWriter) Write(p []byte) (int, error) {
	*c += countWriter(len(p))
	return len(p), nil
}
