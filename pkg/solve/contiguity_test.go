package solve

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/territory-optimizer/territory/pkg/features"
	"github.com/territory-optimizer/territory/pkg/territory"
)

func TestSolveContiguousPoints(t *testing.T) {
	p := randomProblem(31, 3000, 12, territory.Planar, false)
	p.Rules = mustRules(t, "revenue:5%", "workload:5%")
	pl, st, err := Solve(context.Background(), p, Options{Contiguous: true})
	if err != nil {
		t.Fatal(err)
	}
	if !st.Connected {
		t.Error("Stats.Connected = false")
	}
	if !st.Feasible {
		t.Errorf("rules broken: %v", checkRules(p, pl))
	}
	checkRegions(t, p, pl)
}

// lower48 reads the counties of the lower 48 states and DC from the
// shared data (skipping the test where it is absent): every county but
// Alaska's (02), Hawaii's (15) and Puerto Rico's (72).
func lower48(t *testing.T) *territory.Problem {
	t.Helper()
	return sharedCounties(t, func(geoid string) bool {
		st := geoid[:2]
		return st != "02" && st != "15" && st != "72"
	})
}

// sharedCounties reads the counties whose GEOID keep accepts from the
// shared county layer (skipping the test where it is absent): located at
// their centroids, with their 2010 populations and their shared
// boundaries among themselves.
func sharedCounties(t *testing.T, keepID func(geoid string) bool) *territory.Problem {
	t.Helper()
	const path = "../../../shared/data/us_counties.geojson"
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("shared county data not available: %v", err)
	}
	defer f.Close()
	acc, units, err := features.ReadAccounts(f, path, features.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var keep []int
	for i, id := range acc.IDs {
		if keepID(id) {
			keep = append(keep, i)
		}
	}
	index := make(map[int]int32, len(keep))
	for j, i := range keep {
		index[i] = int32(j)
	}
	p := &territory.Problem{Space: territory.Geographic}
	p.Accounts.IDs = make([]string, len(keep))
	p.Accounts.Locs = make([]territory.Point, len(keep))
	for _, m := range acc.Measures {
		p.Accounts.Measures = append(p.Accounts.Measures, territory.Measure{Name: m.Name, Column: m.Column, Values: make([]float64, len(keep))})
	}
	p.Adjacency = make([][]int32, len(keep))
	for j, i := range keep {
		p.Accounts.IDs[j] = acc.IDs[i]
		p.Accounts.Locs[j] = acc.Locs[i]
		for r := range acc.Measures {
			p.Accounts.Measures[r].Values[j] = acc.Measures[r].Values[i]
		}
		for _, nb := range units.Adjacency[i] {
			if v, ok := index[int(nb)]; ok {
				p.Adjacency[j] = append(p.Adjacency[j], v)
			}
		}
		slices.Sort(p.Adjacency[j])
	}
	return p
}

func TestSolveContiguousCounties(t *testing.T) {
	if testing.Short() {
		t.Skip("counties: slow")
	}
	p := lower48(t)
	for k := 0; k < 20; k++ {
		p.Reps = append(p.Reps, territory.Rep{ID: fmt.Sprintf("T%02d", k+1), Capacity: 1})
	}
	p.Rules = mustRules(t, "pop2010:2%")
	start := time.Now()
	pl, st, err := Solve(context.Background(), p, Options{Contiguous: true})
	if err != nil {
		t.Fatal(err)
	}
	broken := checkRules(p, pl)
	t.Logf("%d counties into 20 territories in %v: %d of 20 outside ±2%%, connected %v", p.Accounts.Len(), time.Since(start), len(broken), st.Connected)
	// Connected in the graph the solver documents: shared boundaries, plus
	// one edge joining each island (Nantucket, the San Juan Islands, ...)
	// to its nearest county across the water.
	checkRegions(t, p, pl)
	if !st.Connected {
		t.Error("Stats.Connected = false")
	}
	// Acceptance (#4): every territory within 2%.
	if len(broken) > 0 {
		t.Errorf("%d territories outside ±2%%: %v", len(broken), broken)
	}
}

// TestConnectedWithout checks the searches from every neighbour at once
// against one plain search of the territory, on grids of random
// territories (many of them in pieces, so that both answers occur).
func TestConnectedWithout(t *testing.T) {
	const side = 14
	n := side * side
	adj := make([][]int32, n)
	for y := 0; y < side; y++ {
		for x := 0; x < side; x++ {
			i := y*side + x
			for _, d := range [][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {1, 1}} {
				if xx, yy := x+d[0], y+d[1]; xx >= 0 && yy >= 0 && xx < side && yy < side {
					adj[i] = append(adj[i], int32(yy*side+xx))
				}
			}
		}
	}
	for i := range adj { // the diagonal both ways
		for _, j := range adj[i] {
			if !slices.Contains(adj[j], int32(i)) {
				adj[j] = append(adj[j], int32(i))
			}
		}
	}
	g := &graph{adj: adj}
	rng := rand.New(rand.NewPCG(5, 7))
	yes, no := 0, 0
	for trial := 0; trial < 40; trial++ {
		s := &state{assign: make([]int32, n)}
		for i := range s.assign {
			s.assign[i] = int32(rng.IntN(2 + trial%3))
		}
		c := newContiguity(g, s)
		for i := 0; i < n; i++ {
			from := s.assign[i]
			var targets []int32
			for _, j := range adj[i] {
				if s.assign[j] == from {
					targets = append(targets, j)
				}
			}
			if len(targets) < 2 {
				continue
			}
			// One search from the first target, as plain as can be.
			seen := map[int32]bool{int32(i): true, targets[0]: true}
			queue := []int32{targets[0]}
			for len(queue) > 0 {
				u := queue[0]
				queue = queue[1:]
				for _, v := range adj[u] {
					if !seen[v] && s.assign[v] == from {
						seen[v] = true
						queue = append(queue, v)
					}
				}
			}
			want := true
			for _, v := range targets {
				want = want && seen[v]
			}
			if got := c.connectedWithout(i, from, targets); got != want {
				t.Fatalf("trial %d, account %d: connectedWithout %v, a plain search says %v", trial, i, got, want)
			}
			if want {
				yes++
			} else {
				no++
			}
		}
	}
	if yes == 0 || no == 0 {
		t.Fatalf("only one answer seen (%d connected, %d cut): the test shows nothing", yes, no)
	}
	t.Logf("%d moves that keep the territory connected, %d that cut it", yes, no)
}
