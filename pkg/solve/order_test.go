package solve

import (
	"context"
	"testing"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// A problem solved in the order of the map gets its plan back in its own
// order: the same accounts given in reverse get the same territories and
// centre accounts, account by account (the curve's order depends on the
// locations alone, and no two accounts share one), and the plan fits the
// problem and meets its rules.
func TestSolveInOrder(t *testing.T) {
	defer func(least int) { orderLeast = least }(orderLeast)
	orderLeast = 500
	p := randomProblem(17, 1200, 6, territory.Planar, false)
	p.Center = territory.CenterUnit
	p.Rules = mustRules(t, "revenue:5%")
	r := reversedAccounts(p)

	a, ast, err := Solve(context.Background(), p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := Solve(context.Background(), r, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Check(p); err != nil {
		t.Fatal(err)
	}
	if !ast.Feasible {
		t.Errorf("rules broken: %v", checkRules(p, a))
	}
	n := p.Accounts.Len()
	for i := range n {
		if a.Assign[i] != b.Assign[n-1-i] {
			t.Fatalf("account %s: territory %d, given in reverse %d", p.Accounts.IDs[i], a.Assign[i], b.Assign[n-1-i])
		}
	}
	for k, i := range a.CenterAccount {
		if i < 0 || b.CenterAccount[k] != n-1-i {
			t.Fatalf("territory %d: centre account %d, given in reverse %d (of %d)", k, i, b.CenterAccount[k], n)
		}
		if a.Centers[k] != p.Accounts.Locs[i] {
			t.Errorf("territory %d: centre %v is not at its account %s %v", k, a.Centers[k], p.Accounts.IDs[i], p.Accounts.Locs[i])
		}
	}
}

// reversedAccounts returns p with its accounts in reverse order.
func reversedAccounts(p *territory.Problem) *territory.Problem {
	n := p.Accounts.Len()
	order := make([]int32, n)
	for j := range order {
		order[j] = int32(n - 1 - j)
	}
	return reordered(p, order)
}
