package solve

import (
	"bufio"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// cpmpOptima are the optimal (or best known) objective values for real
// Euclidean distances, from testdata/cpmp/README.md (copied from the
// project's shared benchmark folder; sources and proofs listed there).
var cpmpOptima = map[string]float64{
	"pmedcap1_01": 728.26, "pmedcap1_02": 758.23, "pmedcap1_03": 767.62, "pmedcap1_04": 668.40,
	"pmedcap1_05": 679.53, "pmedcap1_06": 796.65, "pmedcap1_07": 807.51, "pmedcap1_08": 836.45,
	"pmedcap1_09": 732.46, "pmedcap1_10": 843.75, "pmedcap1_11": 1038.04, "pmedcap1_12": 994.93,
	"pmedcap1_13": 1053.12, "pmedcap1_14": 1013.29, "pmedcap1_15": 1125.10, "pmedcap1_16": 986.34,
	"pmedcap1_17": 1063.52, "pmedcap1_18": 1073.21, "pmedcap1_19": 1062.19, "pmedcap1_20": 1040.33,
	"SJC1": 17288.99, "SJC2": 33270.94, "SJC3a": 45335.16, "SJC3b": 40635.90, "SJC4a": 61925.51,
	"SJC4b":      52458.02,
	"lin318_005": 180281.20, "lin318_015": 88901.56, "lin318_040": 47988.38, "lin318_070": 32198.64,
	"lin318_100": 22942.69,
	"ali535_005": 9956.77, "ali535_025": 3695.15, "ali535_050": 2460.93, "ali535_100": 1437.62,
	"ali535_150": 1032.28,
}

// readCPMP reads a capacitated p-median instance (either format described
// in testdata/cpmp/README.md) as a territory problem: planar accounts with
// a demand measure, p territories, demand:max=capacity, sum of distances,
// centres at accounts.
func readCPMP(path string) (*territory.Problem, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var nums [][]float64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		row := make([]float64, len(fields))
		for j, s := range fields {
			if row[j], err = strconv.ParseFloat(s, 64); err != nil {
				return nil, fmt.Errorf("%s: %v", path, err)
			}
		}
		nums = append(nums, row)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	var n, p int
	var capacity float64
	var pts [][]float64 // x, y, demand
	if strings.HasPrefix(filepath.Base(path), "pmedcap") {
		n, p, capacity = int(nums[1][0]), int(nums[1][1]), nums[1][2]
		for _, r := range nums[2 : 2+n] {
			pts = append(pts, []float64{r[1], r[2], r[3]})
		}
	} else {
		n, p = int(nums[0][0]), int(nums[0][1])
		for _, r := range nums[1 : 1+n] {
			pts = append(pts, []float64{r[0], r[1], r[3]})
			capacity = r[2]
		}
	}
	prob := &territory.Problem{
		Space:     territory.Planar,
		Objective: territory.Distance,
		Center:    territory.CenterUnit,
		Rules:     []territory.BalanceRule{{Measure: "demand", HasMax: true, Max: capacity}},
	}
	demand := make([]float64, n)
	for i, r := range pts {
		prob.Accounts.IDs = append(prob.Accounts.IDs, strconv.Itoa(i+1))
		prob.Accounts.Locs = append(prob.Accounts.Locs, territory.Point{X: r[0], Y: r[1]})
		demand[i] = r[2]
	}
	prob.Accounts.Measures = []territory.Measure{{Name: "demand", Column: "demand", Values: demand}}
	for k := 0; k < p; k++ {
		prob.Reps = append(prob.Reps, territory.Rep{ID: fmt.Sprintf("T%d", k+1), Capacity: 1})
	}
	return prob, nil
}

// planCost recomputes the objective of a plan from its assignment and
// centres, independently of the solver's own bookkeeping.
func planCost(p *territory.Problem, pl *territory.Plan) float64 {
	total := 0.0
	for i, k := range pl.Assign {
		d := spatial.Distance(p.Space, p.Accounts.Locs[i], pl.Centers[k])
		if p.Objective == territory.SSE {
			d *= d
		}
		total += d
	}
	return total
}

// checkRules returns every broken rule of a plan, recomputed from scratch.
func checkRules(p *territory.Problem, pl *territory.Plan) []string {
	var broken []string
	for _, r := range p.Rules {
		loads := pl.Loads(p.K(), p.Accounts.Weights(r.Measure))
		for k, b := range p.Bands(r) {
			if !b.Contains(loads[k]) {
				broken = append(broken, fmt.Sprintf("%s: territory %d load %g outside [%g, %g]", r, k, loads[k], b.Lo, b.Hi))
			}
		}
	}
	return broken
}

// cpmpTargets are the quality issue's acceptance gaps per instance
// family: the most the mean and the largest gap may be, in percent.
var cpmpTargets = map[string]struct{ mean, max float64 }{
	"pmedcap1": {0.5, 2},
	"SJC":      {1, 3},
	"lin318":   {1.5, 4},
	"ali535":   {1.5, 4},
}

// cpmpFamily is the family an instance belongs to.
func cpmpFamily(name string) string {
	if strings.HasPrefix(name, "SJC") {
		return "SJC"
	}
	return name[:strings.IndexByte(name, '_')]
}

func TestCPMP(t *testing.T) {
	files, err := filepath.Glob("testdata/cpmp/*.*")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < len(cpmpOptima) {
		t.Fatalf("%d instance files in testdata/cpmp, want %d", len(files), len(cpmpOptima))
	}
	gaps := map[string][]float64{}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), filepath.Ext(f))
		opt, ok := cpmpOptima[name]
		if !ok {
			continue
		}
		if testing.Short() && !strings.HasPrefix(name, "pmedcap1_0") {
			continue
		}
		t.Run(name, func(t *testing.T) {
			p, err := readCPMP(f)
			if err != nil {
				t.Fatal(err)
			}
			// The capacitated p-median problem is facility-style: the free
			// shape, as --shape free.
			pl, st, err := Solve(t.Context(), p, Options{Shape: Free})
			if err != nil {
				t.Fatal(err)
			}
			if broken := checkRules(p, pl); len(broken) > 0 {
				t.Errorf("capacity broken: %v", broken)
			}
			if !st.Feasible {
				t.Errorf("Stats.Feasible = false")
			}
			got := planCost(p, pl)
			gap := (got/opt - 1) * 100
			t.Logf("%s n=%d p=%d optimum=%.2f objective=%.2f gap=%.2f%%", name, p.Accounts.Len(), p.K(), opt, got, gap)
			// Every instance must come back feasible; pmedcap1_01 is the
			// spine's acceptance case (within 1% of the optimum).
			if name == "pmedcap1_01" && gap > 1 {
				t.Errorf("gap %.2f%% above 1%%", gap)
			}
			gaps[cpmpFamily(name)] = append(gaps[cpmpFamily(name)], gap)
		})
	}
	if testing.Short() {
		return
	}
	// Without -short every family whose instances all ran must meet its
	// targets.
	members := map[string]int{}
	for name := range cpmpOptima {
		members[cpmpFamily(name)]++
	}
	for _, fam := range slices.Sorted(maps.Keys(cpmpTargets)) {
		target, g := cpmpTargets[fam], gaps[fam]
		if len(g) < members[fam] {
			continue // some filtered out by -run
		}
		sum, worst := 0.0, 0.0
		for _, v := range g {
			sum += v
			worst = max(worst, v)
		}
		mean := sum / float64(len(g))
		t.Logf("%s: %d instances, mean gap %.2f%%, max %.2f%%", fam, len(g), mean, worst)
		if mean > target.mean || worst > target.max {
			t.Errorf("%s: mean gap %.2f%%, max %.2f%%; the targets are %.1f%% and %.0f%%", fam, mean, worst, target.mean, target.max)
		}
	}
}
