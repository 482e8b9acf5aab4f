package solve

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// pathProblem is a row of accounts, each adjacent to the next, with the
// given weights, split into len(split) territories of split[t] accounts
// each in order, under the rule w:tol.
func pathProblem(t *testing.T, weights []float64, split []int, tol string) (*territory.Problem, []int32) {
	t.Helper()
	n := len(weights)
	p := &territory.Problem{Space: territory.Planar}
	p.Adjacency = make([][]int32, n)
	for i := range n {
		p.Accounts.IDs = append(p.Accounts.IDs, fmt.Sprintf("A%d", i))
		p.Accounts.Locs = append(p.Accounts.Locs, territory.Point{X: float64(i)})
		if i > 0 {
			p.Adjacency[i] = append(p.Adjacency[i], int32(i-1))
		}
		if i+1 < n {
			p.Adjacency[i] = append(p.Adjacency[i], int32(i+1))
		}
	}
	p.Accounts.Measures = []territory.Measure{{Name: "w", Column: "w", Values: weights}}
	var assign []int32
	for k, size := range split {
		p.Reps = append(p.Reps, territory.Rep{ID: fmt.Sprintf("R%d", k), Capacity: 1})
		for range size {
			assign = append(assign, int32(k))
		}
	}
	p.Rules = mustRules(t, "w:"+tol)
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	return p, assign
}

// ejectorOn sets up a local search on the given assignment, with or
// without contiguity, and returns it with its ejector.
func ejectorOn(p *territory.Problem, assign []int32, contiguous bool) (*localSearch, *ejector) {
	m := newModel(p)
	s := newState(m)
	copy(s.assign, assign)
	s.recount()
	s.updateCentres()
	ls := newLocalSearch(s, rand.New(rand.NewPCG(1, 2)))
	ls.cand = s.candidates()
	if contiguous {
		ls.contig = newContiguity(newGraph(p, s.m), s)
	}
	return ls, newEjector(ls)
}

// A row of three territories whose loads are 5, 4 and 3 against a band of
// 3.5..4.5, kept contiguous: no single move helps (each only passes the
// excess on), and the chain that does must carry a unit of weight from the
// first territory through the second to the third.
func TestEjectorCarriesThroughATerritory(t *testing.T) {
	p, assign := pathProblem(t, []float64{2, 2, 1, 1, 2, 1, 1, 1, 1}, []int{3, 3, 3}, "12.5%")
	ls, e := ejectorOn(p, assign, true)
	s := ls.s
	if s.violation() == 0 {
		t.Fatal("the start already meets the rule")
	}
	for i := range s.assign {
		for _, k := range ls.targets(i) {
			if ls.contig.canMove(i, k) && s.deltaViolation(i, k) < -1e-9 {
				t.Fatalf("a single move (account %d to %d) lowers the violation: the test needs none to", i, k)
			}
		}
	}
	if err := e.run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if v := s.violation(); v != 0 {
		t.Fatalf("violation %g after the chains, want 0 (assignment %v)", v, s.assign)
	}
	if broken := checkRules(p, s.plan()); len(broken) > 0 {
		t.Errorf("rules broken: %v", broken)
	}
	if pieces := brokenTerritories(ls.contig.g.adj, s.plan(), p.K()); len(pieces) > 0 {
		t.Errorf("territories in pieces: %v (assignment %v)", pieces, s.assign)
	}
	if ls.moves != 2 {
		t.Errorf("%d moves counted, want the chain's 2", ls.moves)
	}
}

// With lumpy weights the move that fixes a territory need not be its
// cheapest: the first territory (9, 1, 4: load 14, band 9..11) must give
// exactly its account of weight 4 to the second (1, 5: load 6). Giving
// the 1 leaves both out of band, and giving the 9 overfills the second.
func TestEjectorChoosesByWeight(t *testing.T) {
	p, assign := pathProblem(t, []float64{9, 1, 4, 1, 5}, []int{3, 2}, "10%")
	ls, e := ejectorOn(p, assign, false)
	s := ls.s
	if err := e.run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if v := s.violation(); v != 0 {
		t.Fatalf("violation %g, want 0 (assignment %v)", v, s.assign)
	}
	if want := []int32{0, 0, 1, 1, 1}; fmt.Sprint(s.assign) != fmt.Sprint(want) {
		t.Errorf("assignment %v, want %v", s.assign, want)
	}
}

// Nothing that breaks no rule is touched.
func TestEjectorLeavesFeasiblePlans(t *testing.T) {
	p, assign := pathProblem(t, []float64{1, 1, 1, 1, 1, 1}, []int{2, 2, 2}, "10%")
	ls, e := ejectorOn(p, assign, true)
	if err := e.run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(ls.s.assign) != fmt.Sprint(assign) || ls.moves != 0 {
		t.Errorf("assignment %v after %d moves, want %v unchanged", ls.s.assign, ls.moves, assign)
	}
}
