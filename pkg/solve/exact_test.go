package solve

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// rowProblem is a row of units, each bordering the next, with the given
// populations, split into k territories whose population must be exactly
// equal (a tolerance of 0).
func rowProblem(pops []float64, k int) *territory.Problem {
	p := &territory.Problem{Space: territory.Planar, Objective: territory.SSE, Center: territory.CenterUnit}
	for i := range pops {
		p.Accounts.IDs = append(p.Accounts.IDs, fmt.Sprintf("U%02d", i+1))
		p.Accounts.Locs = append(p.Accounts.Locs, territory.Point{X: float64(i)})
		var nb []int32
		if i > 0 {
			nb = append(nb, int32(i-1))
		}
		if i+1 < len(pops) {
			nb = append(nb, int32(i+1))
		}
		p.Adjacency = append(p.Adjacency, nb)
	}
	p.Accounts.Measures = []territory.Measure{{Name: "pop", Column: "pop", Values: pops}}
	for t := 0; t < k; t++ {
		p.Reps = append(p.Reps, territory.Rep{ID: fmt.Sprintf("R%d", t+1), Capacity: 1})
	}
	p.Rules = []territory.BalanceRule{{Measure: "pop", HasTolerance: true, Tolerance: 0}}
	return p
}

// The exhaustive search finds the one plan of connected territories that
// meets the rule, and leaves the state alone when there is none.
func TestExactSplit(t *testing.T) {
	// Halves of 13 each: only the cut after the fourth unit.
	p := rowProblem([]float64{10, 1, 1, 1, 1, 1, 1, 10}, 2)
	m := newModel(p)
	g := newGraph(p, m)
	s := newState(m)
	for i := range s.assign {
		s.assign[i] = 0 // everything in one territory: far out of balance
	}
	s.recount()
	if !s.exactSplit(context.Background(), g) {
		t.Fatal("no plan found")
	}
	if v := s.violation(); v != 0 {
		t.Fatalf("violation %v", v)
	}
	first := s.assign[0]
	for i, k := range s.assign {
		if want := i >= 4; (k != first) != want {
			t.Fatalf("plan %v: want the cut after the fourth unit", s.assign)
		}
	}

	// 7 + 1 + 1 + 1 = 10 cannot be halved into connected parts of 5.
	p = rowProblem([]float64{7, 1, 1, 1}, 2)
	m = newModel(p)
	g = newGraph(p, m)
	s = newState(m)
	s.recount()
	before := slices.Clone(s.assign)
	if s.exactSplit(context.Background(), g) {
		t.Fatal("a plan was found where none exists")
	}
	if !slices.Equal(s.assign, before) {
		t.Errorf("the state changed: %v, was %v", s.assign, before)
	}

	// Too many units to enumerate: the search declines.
	big := make([]float64, exactMost+1)
	for i := range big {
		big[i] = 1
	}
	p = rowProblem(big, 2)
	m = newModel(p)
	s = newState(m)
	if s.exactSplit(context.Background(), newGraph(p, m)) {
		t.Error("enumerated more than exactMost units")
	}
}
