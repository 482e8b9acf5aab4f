package solve

import (
	"context"
	"fmt"
	"math"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// Sizing is the outcome of Size: the smallest number of territories for
// which the solver finds a plan within every rule, and the curve around it.
type Sizing struct {
	// LowerBound is the fewest territories any plan needs: for every rule
	// with a maximum, the measure's total divided by the maximum, rounded
	// up (every territory of capacity 1); the largest of those, and 1.
	LowerBound int
	// Bounds holds that bound for every rule of the problem, in rule
	// order (0 for a rule without a maximum).
	Bounds []int
	// K is the smallest number of territories found feasible; 0 when
	// none up to the search's limit is.
	K int
	// Rows holds every number of territories looked at, by K.
	Rows []SizeRow
	// Plan is the plan found at K (nil when K is 0), with Problem its
	// problem: the accounts, K territories of capacity 1.
	Plan    *territory.Plan
	Problem *territory.Problem
}

// SizeRow is one point of the sizing curve.
type SizeRow struct {
	K int
	// Solved is false for a K below the lower bound, which no plan can
	// meet and which is not solved.
	Solved   bool
	Effort   Effort
	Feasible bool // every rule met (and, for regions, every territory one piece)
	// Worst holds, for every rule, the load of the territory furthest
	// from the middle of its band, and WorstPct that load as % of the
	// territory's target.
	Worst, WorstPct []float64
	Objective       float64
}

// SizeError says why a problem cannot be sized: its rules set no
// maximum, or one no number of territories can meet.
type SizeError struct{ Msg string }

func (e *SizeError) Error() string { return "solve: size: " + e.Msg }

// sizeAbove is how many numbers of territories past the smallest feasible
// one the curve shows; the one below it is always shown.
const sizeAbove = 2

// Size finds the smallest number of territories for which Solve finds a
// plan of problem p that meets every rule, for problems whose rules set a
// maximum (workload:max=1600: how many reps so that nobody has more than
// 1,600 hours?). p's reps are not used: every K gets K territories of
// capacity 1 (ids T1..TK), with centres where p says (not at homes).
//
// The search starts at the lower bound (Sizing.LowerBound) and goes up one
// territory at a time, at opt's effort, until a plan is feasible or maxK is
// passed; the proximity graph of the accounts is built once and shared by
// every solve. The number found is then confirmed from below: K-1, when not
// below the bound, is solved again at Thorough effort, and should that be
// feasible the search goes on down. The curve holds K-1 .. K+2.
func Size(ctx context.Context, p *territory.Problem, opt Options, maxK int) (*Sizing, error) {
	n := p.Accounts.Len()
	if maxK <= 0 || maxK > n {
		maxK = n
	}
	sz := &Sizing{LowerBound: 1, Bounds: make([]int, len(p.Rules))}
	hasMax := false
	for r, rule := range p.Rules {
		if !rule.HasMax {
			continue
		}
		hasMax = true
		w := p.Accounts.Weights(rule.Measure)
		total := 0.0
		for i, v := range w {
			if v > rule.Max {
				return nil, &SizeError{Msg: fmt.Sprintf("account %q alone has %s %g, above the maximum of %g: no number of territories can hold it",
					p.Accounts.IDs[i], rule.Measure, v, rule.Max)}
			}
			total += v
		}
		if rule.Max > 0 {
			sz.Bounds[r] = max(1, int(math.Ceil(total/rule.Max-1e-9)))
		} else if total > 0 {
			return nil, &SizeError{Msg: fmt.Sprintf("rule %s allows no %s at all", rule, rule.Measure)}
		}
		sz.LowerBound = max(sz.LowerBound, sz.Bounds[r])
	}
	if !hasMax {
		return nil, &SizeError{Msg: "no rule sets a maximum (such as workload:max=1600): the fewest territories would be 1"}
	}
	if sz.LowerBound > maxK {
		return nil, &SizeError{Msg: fmt.Sprintf("the bound, %d territories, is above the limit of %d", sz.LowerBound, maxK)}
	}

	// The accounts' proximity graph does not depend on K: built once.
	var shared *graph
	if opt.Shape == Regions || opt.Contiguous {
		shared = newGraph(p, newModel(withTerritories(p, 1)))
	}
	solved := make(map[int]SizeRow)
	plans := make(map[int]*territory.Plan)
	solveAt := func(k int, effort Effort) (SizeRow, error) {
		if r, ok := solved[k]; ok && r.Effort == effort {
			return r, nil
		}
		pk := withTerritories(p, k)
		o := opt
		o.Effort, o.graph = effort, shared
		if o.Progress != nil {
			progress := opt.Progress
			o.Progress = func(phase string, done float64) { progress(fmt.Sprintf("K=%d %s", k, phase), done) }
		}
		pl, st, err := Solve(ctx, pk, o)
		if err != nil {
			return SizeRow{}, err
		}
		row := sizeRow(pk, pl, st, effort, opt.Shape == Regions || opt.Contiguous)
		solved[k], plans[k] = row, pl
		return row, nil
	}

	for k := sz.LowerBound; k <= maxK; k++ {
		row, err := solveAt(k, opt.Effort)
		if err != nil {
			return nil, err
		}
		if row.Feasible {
			sz.K = k
			break
		}
	}
	// Confirm from below, at thorough effort.
	for sz.K > sz.LowerBound {
		row, err := solveAt(sz.K-1, Thorough)
		if err != nil {
			return nil, err
		}
		if !row.Feasible {
			break
		}
		sz.K--
	}
	if sz.K > 0 {
		for k := sz.K + 1; k <= min(maxK, sz.K+sizeAbove); k++ {
			if _, err := solveAt(k, opt.Effort); err != nil {
				return nil, err
			}
		}
		sz.Plan, sz.Problem = plans[sz.K], withTerritories(p, sz.K)
	}
	lo := sz.LowerBound - 1
	if sz.K > 0 {
		lo = min(lo, sz.K-1)
	}
	for k := max(1, lo); k <= maxK; k++ {
		row, ok := solved[k]
		switch {
		case ok:
		case k < sz.LowerBound:
			row = SizeRow{K: k}
		default:
			continue
		}
		sz.Rows = append(sz.Rows, row)
	}
	return sz, nil
}

// withTerritories is p with k territories of capacity 1, T1..Tk, and no
// homes (centres at homes become free).
func withTerritories(p *territory.Problem, k int) *territory.Problem {
	pk := *p
	pk.Reps = make([]territory.Rep, k)
	for t := range pk.Reps {
		pk.Reps[t] = territory.Rep{Capacity: 1}
	}
	ids := pk.TerritoryIDs()
	for t := range pk.Reps {
		pk.Reps[t].ID = ids[t]
	}
	if pk.Center == territory.CenterHome {
		pk.Center = territory.CenterMean
	}
	return &pk
}

// sizeRow measures the plan of one K.
func sizeRow(p *territory.Problem, pl *territory.Plan, st Stats, effort Effort, connected bool) SizeRow {
	row := SizeRow{K: p.K(), Solved: true, Effort: effort, Feasible: st.Feasible && (!connected || st.Connected), Objective: st.Cost}
	for _, rule := range p.Rules {
		loads := pl.Loads(p.K(), p.Accounts.Weights(rule.Measure))
		bands := p.Bands(rule)
		worst, worstPct, dev := 0.0, 0.0, -1.0
		for t, l := range loads {
			b := bands[t]
			mid := b.Target
			if !math.IsInf(b.Lo, 0) && !math.IsInf(b.Hi, 0) {
				mid = (b.Lo + b.Hi) / 2
			} else if !math.IsInf(b.Hi, 0) && !rule.HasTolerance {
				mid = math.Inf(-1) // a maximum alone: the largest load is the worst
			}
			d := math.Abs(l - mid)
			if math.IsInf(mid, -1) {
				d = l
			}
			if d > dev {
				dev, worst = d, l
				worstPct = 0
				if b.Target != 0 {
					worstPct = 100 * l / b.Target
				}
			}
		}
		row.Worst = append(row.Worst, worst)
		row.WorstPct = append(row.WorstPct, worstPct)
	}
	return row
}
