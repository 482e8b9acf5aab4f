package solve

import (
	"context"
	"slices"

	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// The accounts in the order of the map.
//
// Every pass of the solver reads each account's candidates, costs and
// weights and writes its territory, and it goes through the accounts by
// territory, by chunk or by neighbour: through accounts that lie near each
// other. A CRM export lists them by id or name, in no order of place, so
// that every account read is a miss of the processor's caches. A problem of
// at least orderLeast accounts is therefore solved in the order of a Hilbert
// curve through their locations (spatial.HilbertOrder), which keeps
// neighbours near each other in memory, and the plan is put back in the
// accounts' own order. Measured on `territory example` data (whales, shared
// offices; 2 cores), end to end, medians: 100,000 x 100 at 3%, 2.96 s
// before and 1.94 s after (the same plan); 1,000,000 x 1,000 at 2%, 61.2 s
// before and 46.9 s after (docs/benchmarks.md, the realistic scaling
// curve).
//
// The plan is a function of the accounts and their order; the curve's
// order is a function of the locations alone, so a plan stays the same on
// any machine and core count.

// orderLeast is the fewest accounts solved in the curve's order: below it
// the accounts' arrays fit the caches and the order gains nothing. (A
// variable so that the tests can order small problems.)
var orderLeast = 20_000

// solveInOrder solves p with its accounts in the curve's order (see the top
// of this file) and returns the plan in p's order; ok is false, and nothing
// is solved, when p is not to be reordered: fewer than orderLeast accounts,
// adjacency given (polygon units, whose lists index the accounts), or an
// order that is p's already.
func solveInOrder(ctx context.Context, p *territory.Problem, opt Options) (pl *territory.Plan, st Stats, ok bool, err error) {
	if p.Accounts.Len() < orderLeast || p.Adjacency != nil || opt.graph != nil {
		return nil, Stats{}, false, nil
	}
	order := spatial.HilbertOrder(spatial.Project(p.Space, p.Accounts.Locs))
	if slices.IsSortedFunc(order, func(a, b int32) int { return int(a - b) }) {
		return nil, Stats{}, false, nil
	}
	q := reordered(p, order) // valid, as p is
	opt.inOrder = true
	pl, st, err = solveValid(ctx, q, opt)
	if pl != nil {
		assign := make([]int, len(order))
		for j, i := range order {
			assign[i] = pl.Assign[j]
		}
		pl.Assign = assign
		for k, j := range pl.CenterAccount {
			if j >= 0 {
				pl.CenterAccount[k] = int(order[j])
			}
		}
	}
	return pl, st, true, err
}

// reordered returns p with its accounts in the order order (account j of
// the result is account order[j] of p): what the solver reads of them. The
// names and rows, which only messages about the input use, are left out.
func reordered(p *territory.Problem, order []int32) *territory.Problem {
	q := *p
	a, b := &p.Accounts, &q.Accounts
	b.Names, b.Rows = nil, nil
	b.IDs = permuted(a.IDs, order)
	b.Locs = permuted(a.Locs, order)
	b.Owners = permuted(a.Owners, order)
	b.Locked = permuted(a.Locked, order)
	b.Groups = permuted(a.Groups, order)
	b.Units = permuted(a.Units, order)
	b.Measures = make([]territory.Measure, len(a.Measures))
	for r, m := range a.Measures {
		m.Values = permuted(m.Values, order)
		b.Measures[r] = m
	}
	return &q
}

// permuted returns xs in the order order (nil for nil).
func permuted[T any](xs []T, order []int32) []T {
	if xs == nil {
		return nil
	}
	out := make([]T, len(order))
	for j, i := range order {
		out[j] = xs[i]
	}
	return out
}
