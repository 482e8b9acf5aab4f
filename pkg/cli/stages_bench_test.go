package cli

import (
	"cmp"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/territory-optimizer/territory/pkg/demo"
	"github.com/territory-optimizer/territory/pkg/report"
	"github.com/territory-optimizer/territory/pkg/scenario"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// The stage benchmarks of issue 6: reading the accounts, writing the plan
// and the whole solve, on the generated datasets of `territory example
// --accounts N --reps K` at the issue's sizes (1,000 accounts a rep but for
// the smallest), in the tidy shape the issue was measured on
// (docs/benchmarks.md): capped revenue, a home per rep and 5% of the reps
// at half time, which is --revenue-tail 0 --offices K --half-capacity 5%
// --four-fifths-capacity 0 since issue 15. CI runs every benchmark once
// (-benchtime 1x), so only the smallest size runs by default;
// TERRITORY_BENCH_LARGE=1 adds the others:
//
//	TERRITORY_BENCH_LARGE=1 go test ./pkg/cli -run '^$' -bench 'Stage' -benchtime 3x
var stageSizes = []struct {
	accounts, reps int
	large          bool
}{
	{10_000, 10, false},
	{100_000, 100, true},
	{1_000_000, 1_000, true},
}

// stageRules are the balance rules of the issue 6 scale benchmark.
var stageRules = []string{"count:2%", "revenue:2%"}

// forStageSizes runs bench for every size, as N=<accounts>, on the files
// of `territory example --accounts N --reps K` in a temporary directory.
// The large sizes are skipped unless TERRITORY_BENCH_LARGE=1.
func forStageSizes(b *testing.B, bench func(b *testing.B, accounts, reps string)) {
	for _, s := range stageSizes {
		b.Run("N="+strconv.Itoa(s.accounts), func(b *testing.B) {
			if s.large && os.Getenv("TERRITORY_BENCH_LARGE") != "1" {
				b.Skip("set TERRITORY_BENCH_LARGE=1 to run the 100k and 1M sizes")
			}
			dir := b.TempDir()
			cfg := demo.Config{Accounts: s.accounts, Reps: s.reps, HalfCapacity: max(1, s.reps*5/100), Seed: 1}
			files, err := exampleFiles(&cfg)
			if err != nil {
				b.Fatal(err)
			}
			if err := writeDir(context.Background(), dir, files); err != nil {
				b.Fatal(err)
			}
			bench(b, filepath.Join(dir, demo.AccountsFile), filepath.Join(dir, demo.RepsFile))
		})
	}
}

// stageSettings are the settings of `territory solve --accounts A --reps
// R --balance count:2% --balance revenue:2% --formats csv,json -o out`.
func stageSettings(b *testing.B, accounts, reps, out string) scenario.Settings {
	s := scenario.Defaults()
	s.AccountsFile, s.RepsFile, s.OutDir = accounts, reps, out
	for _, r := range stageRules {
		rule, err := territory.ParseBalanceRule(r)
		if err != nil {
			b.Fatal(err)
		}
		s.Balance = append(s.Balance, rule)
	}
	s.Formats = []string{"csv", "json"}
	return s
}

// BenchmarkStageRead reads the accounts and reps files and builds the
// problem, as `territory solve` does before solving.
func BenchmarkStageRead(b *testing.B) {
	forStageSizes(b, func(b *testing.B, accounts, reps string) {
		s := stageSettings(b, accounts, reps, "")
		fi, err := os.Stat(accounts)
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(fi.Size())
		b.ReportAllocs()
		for b.Loop() {
			in, probs, err := loadProblem(context.Background(), Env{}, s, nil, "", true)
			if err != nil {
				b.Fatal(err)
			}
			if errs, _ := probs.counts(); errs > 0 || in.problem == nil {
				b.Fatalf("%d input errors: %v", errs, probs.sorted())
			}
		}
	})
}

// BenchmarkStageWrite writes a plan's csv and json files (assignments.csv,
// territories.csv, summary.json) into a directory, all or nothing, as
// `territory solve --formats csv,json` does. The plan is not solved: the
// accounts are cut into K strips of equal count by longitude, each
// centred on its mean, which writes the same amount of text.
func BenchmarkStageWrite(b *testing.B) {
	forStageSizes(b, func(b *testing.B, accounts, reps string) {
		out := filepath.Join(b.TempDir(), "out")
		s := stageSettings(b, accounts, reps, out)
		in, probs, err := loadProblem(context.Background(), Env{}, s, nil, "", true)
		if err != nil || in.problem == nil {
			b.Fatalf("read: %v %v", err, probs.sorted())
		}
		p := in.problem
		plan := stripPlan(p)
		m := report.Evaluate(p, plan)
		r := &runResult{problem: p, plan: plan, metrics: m, run: report.Run{
			Version: "bench", Seed: s.Seed, Objective: p.Objective.String(), Center: p.Center.String(),
			Rules: ruleStrings(p.Rules), K: p.K(), Accounts: accounts, Reps: reps, Space: p.Space.String(),
		}}
		b.ReportAllocs()
		for b.Loop() {
			files, err := outputFiles(context.Background(), s.Formats, r)
			if err != nil {
				b.Fatal(err)
			}
			if err := writeDir(context.Background(), out, files); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// stripPlan cuts the accounts of p into p.K() strips of (nearly) equal
// count by longitude, each centred on the mean of its accounts.
func stripPlan(p *territory.Problem) *territory.Plan {
	n, k := p.Accounts.Len(), p.K()
	locs := p.Accounts.Locs
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(i, j int) int {
		return cmp.Or(cmp.Compare(locs[i].X, locs[j].X), cmp.Compare(i, j))
	})
	plan := &territory.Plan{Assign: make([]int, n), Centers: make([]territory.Point, k), CenterAccount: make([]int, k)}
	count := make([]float64, k)
	for rank, i := range order {
		t := rank * k / n
		plan.Assign[i] = t
		plan.Centers[t].X += locs[i].X
		plan.Centers[t].Y += locs[i].Y
		count[t]++
	}
	for t := range plan.Centers {
		plan.Centers[t].X /= count[t]
		plan.Centers[t].Y /= count[t]
		plan.CenterAccount[t] = -1
	}
	return plan
}

// BenchmarkStageSolve runs `territory solve --accounts A --reps R
// --balance count:2% --balance revenue:2% --formats csv,json -o out -q`
// through Main: reading, solving, reporting and writing. A plan that
// misses a rule (exit 3) counts: the time is what is measured here.
func BenchmarkStageSolve(b *testing.B) {
	forStageSizes(b, func(b *testing.B, accounts, reps string) {
		out := filepath.Join(b.TempDir(), "out")
		args := []string{"solve", "--accounts", accounts, "--reps", reps,
			"--balance", stageRules[0], "--balance", stageRules[1], "--formats", "csv,json", "-o", out, "-q"}
		b.ReportAllocs()
		for b.Loop() {
			code, _, stderr := runMain(b, args...)
			if code != exitOK && code != exitUnmet {
				b.Fatalf("territory solve exited %d: %s", code, stderr)
			}
		}
	})
}
