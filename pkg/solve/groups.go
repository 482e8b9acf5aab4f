package solve

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"sync"

	"github.com/territory-optimizer/territory/pkg/parallel"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// solveGroups solves a grouped problem (territory.Problem.GroupColumn):
// every group is a problem of its own, solved by Solve with the same
// options and seed as if its rows were read alone, so that its plan is the
// same, byte for byte. The groups run side by side on all cores, the
// largest first; their plans are put together in group order, whatever
// order they finish in.
func solveGroups(ctx context.Context, p *territory.Problem, opt Options) (*territory.Plan, Stats, error) {
	groups := p.Groups()
	subs := make([]*territory.Problem, len(groups))
	order := make([]int, len(groups))
	for g := range groups {
		subs[g] = p.Subproblem(groups[g])
		subs[g].GroupColumn, subs[g].Accounts.Groups = "", nil // one group: solved as a whole
		order[g] = g
	}
	// The largest first, so that the last to start is a small one.
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Compare(len(groups[b].Accounts), len(groups[a].Accounts))
	})

	// Progress: the share of accounts whose group is done, plus the parts
	// done of those under way.
	var mu sync.Mutex
	done := make([]float64, len(groups))
	n := float64(p.Accounts.Len())
	report := func(g int, phase string, f float64) {
		if opt.Progress == nil {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		done[g] = f
		total := 0.0
		for h, d := range done {
			total += d * float64(len(groups[h].Accounts))
		}
		opt.Progress(phase, total/n)
	}

	plans := make([]*territory.Plan, len(groups))
	stats := make([]Stats, len(groups))
	errs := make([]error, len(groups))
	parallel.For(len(groups), func(_, i int) {
		g := order[i]
		o := opt
		if opt.Progress != nil {
			o.Progress = func(phase string, f float64) { report(g, phase, f) }
		}
		plans[g], stats[g], errs[g] = Solve(ctx, subs[g], o)
		if errs[g] == nil {
			report(g, "solve", 1)
		}
	})
	for g, err := range errs {
		if err != nil {
			return nil, Stats{}, &GroupError{Group: groups[g].Name, Err: err}
		}
	}

	pl := &territory.Plan{
		Assign:        make([]int, p.Accounts.Len()),
		Centers:       make([]territory.Point, p.K()),
		CenterAccount: make([]int, p.K()),
	}
	st := Stats{Feasible: true, Connected: true, BoundScope: stats[0].BoundScope}
	for g, grp := range groups {
		sub := plans[g]
		for j, i := range grp.Accounts {
			pl.Assign[i] = grp.Reps[sub.Assign[j]]
		}
		for j, k := range grp.Reps {
			pl.Centers[k] = sub.Centers[j]
			pl.CenterAccount[k] = -1
			if j < len(sub.CenterAccount) && sub.CenterAccount[j] >= 0 {
				pl.CenterAccount[k] = grp.Accounts[sub.CenterAccount[j]]
			}
		}
		st.add(stats[g])
		st.Feasible = st.Feasible && stats[g].Feasible
		st.Connected = st.Connected && stats[g].Connected
		st.Cost += stats[g].Cost
		// The groups share nothing, so their bounds add up, when every
		// group has one of the same scope.
		if stats[g].BoundScope != st.BoundScope {
			st.BoundScope = ""
		}
		st.LowerBound += stats[g].LowerBound
	}
	if st.BoundScope == "" {
		st.LowerBound = 0
	}
	return pl, st, nil
}

// GroupError is the error of the solve of one group of a grouped problem:
// the first group's, in group order.
type GroupError struct {
	Group string
	Err   error
}

func (e *GroupError) Error() string { return "group " + strconv.Quote(e.Group) + ": " + e.Err.Error() }

// Unwrap returns the group's error, so that errors.Is finds a context's
// end through it.
func (e *GroupError) Unwrap() error { return e.Err }
