package report

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// Metrics is what a plan means for its problem: compactness, balance,
// violations and shape, per territory and overall. Distances are in kilometres for a
// geographic problem and in the coordinates' unit for a planar one.
type Metrics struct {
	Space     territory.Space
	Objective territory.Objective
	Center    territory.Center
	// Weight is the measure that weights every account's distance in the
	// objective (the problem's Weight, normalised), "" when none.
	Weight string
	// GroupColumn names the column that splits a grouped problem into
	// groups (Territory.Group holds each territory's); "" when the problem
	// is not grouped.
	GroupColumn string

	// ObjectiveValue is the plan's objective: SSE for [territory.SSE],
	// TotalDistance for [territory.Distance].
	ObjectiveValue float64
	// SSE is the sum over accounts of the squared distance to their
	// territory's centre; TotalDistance the sum of the plain distances;
	// MaxDistance the largest of them. With a Weight, SSE and
	// TotalDistance weight every account's term by its value of the
	// measure (Σ weight·distance², Σ weight·distance), as the solver
	// does, so that ObjectiveValue is the objective it minimised;
	// MaxDistance is a distance, never weighted.
	SSE, TotalDistance, MaxDistance float64

	// Accounts is the number of accounts.
	Accounts int

	// Balance holds the statistics of every balance rule, in the
	// problem's rule order.
	Balance []MeasureStats
	// Others are the account measures no rule balances, in the accounts'
	// order; their loads are reported for reference.
	Others []Measure

	// Territories holds one entry per territory, in territory order.
	Territories []Territory

	// Violations lists every load outside its band, by territory and then
	// measure name.
	Violations []Violation

	// Levels holds the levels of parents above the territories (see
	// EvaluateLevels), bottom up; nil without levels.
	Levels []Level
	// Units says how a plan made of units covers its layer; nil for a plan
	// of accounts alone.
	Units *Units

	// Shape says how far the territories are regions: pieces, accounts
	// inside another territory's hull, neighbour agreement (see [Shape]).
	Shape ShapeStats
}

// Feasible reports whether every balance rule holds in every territory.
func (m *Metrics) Feasible() bool {
	if len(m.Violations) > 0 {
		return false
	}
	for _, lv := range m.Levels {
		if len(lv.Metrics.Violations) > 0 {
			return false
		}
	}
	return true
}

// DistanceUnit is the unit of distances: "km" for a geographic problem,
// "" (the coordinates' own unit) for a planar one.
func (m *Metrics) DistanceUnit() string {
	if m.Space == territory.Geographic {
		return "km"
	}
	return ""
}

// Measure names an account measure and holds its total over all accounts.
type Measure struct {
	Name   string // normalised name, as rules refer to it
	Column string // as the input spelled it
	Total  float64
}

// MeasureStats sums up how well one balance rule holds across territories.
//
// The ratio statistics (the *Pct fields and CV) compare each territory's
// load with its own target, so that reps of different capacity compare
// fairly; territories whose target is 0 take no part in them, and all of
// them are 0 when no territory has a target above 0.
type MeasureStats struct {
	Rule territory.BalanceRule
	Measure
	// MinLoad, MaxLoad and MeanLoad are over the territories' loads.
	MinLoad, MaxLoad, MeanLoad float64
	// MinPct, MaxPct and MeanPct are over the loads as % of target;
	// StdDevPct is their population standard deviation, in percentage
	// points, and CV the coefficient of variation StdDevPct/MeanPct.
	MinPct, MaxPct, MeanPct, StdDevPct float64
	CV                                 float64
	// MaxDeviationPct is the largest |% of target - 100|.
	MaxDeviationPct float64
	// ZeroTargets counts the territories whose target is 0.
	ZeroTargets int
	// Violations counts the territories whose load is outside the band.
	Violations int
}

// Territory holds the metrics of one territory.
type Territory struct {
	ID string // territory id: T01, T02, ... (East-T01, ... in a grouped problem)
	// Group is the territory's group in a grouped problem (its rep's);
	// "" otherwise.
	Group    string
	RepID    string
	RepName  string
	Capacity float64
	Accounts int
	Center   territory.Point
	// CenterAccount is the id of the account the centre sits at, "" when
	// the centre is not at an account.
	CenterAccount string
	// Compactness is the territory's share of the objective: the sum of
	// the squared (SSE) or plain (Distance) distances of its accounts to
	// the centre, each weighted by the account's Metrics.Weight when there
	// is one.
	Compactness float64
	// MeanDistance and MaxDistance are over the territory's accounts,
	// unweighted; 0 when it has none.
	MeanDistance, MaxDistance float64
	// Loads holds one entry per balance rule, aligned with Metrics.Balance.
	Loads []Load
	// Others holds the load of every unruled measure, aligned with
	// Metrics.Others.
	Others []float64
	// Parents holds the id of the territory's parent at every level above
	// the territories (Metrics.Levels), bottom up; nil without levels.
	Parents []string
}

// Load is one territory's load of a balanced measure, with its band.
type Load struct {
	Load   float64
	Target float64
	// Lo and Hi bound the band; -Inf and +Inf where the rule sets no
	// bound.
	Lo, Hi float64
	// PctTarget is Load/Target·100; 0 when Target is 0 (ZeroTarget).
	PctTarget  float64
	ZeroTarget bool
	// Excess is how far Load lies outside the band, as
	// [territory.Band.Excess]: positive above Hi, negative below Lo, 0
	// inside.
	Excess float64
}

// OK reports whether the load lies within its band.
func (l Load) OK() bool { return l.Excess == 0 }

// Violation is one load outside its band.
type Violation struct {
	Rule      string // the rule as written, e.g. "revenue:5%"
	Measure   string
	Territory string // territory id
	Rep       string // rep id
	Load      float64
	Target    float64
	// Bound is "min" when the load is below the band, "max" when above;
	// Limit is that end of the band.
	Bound string
	Limit float64
	// Excess is how far the load lies beyond Limit (always > 0), in the
	// measure's unit; ExcessPct is Excess as % of Target (0 when Target
	// is 0).
	Excess    float64
	ExcessPct float64
	// Cause says why no plan could avoid the violation, where that is
	// plain from the inputs ("" otherwise), and Culprits names the
	// accounts behind it (at most maxCulprits; CulpritCount has them all).
	Cause        string
	Culprits     []string
	CulpritCount int
}

// maxCulprits is how many culprit accounts a violation names.
const maxCulprits = 10

// Evaluate measures plan pl against problem p. It assumes p is valid
// (p.Validate() == nil) and pl fits it (pl.Check(p) == nil). It does not
// modify either and returns the same numbers for the same inputs.
func Evaluate(p *territory.Problem, pl *territory.Plan) *Metrics {
	numT := p.K()
	m := &Metrics{
		Space:       p.Space,
		Objective:   p.Objective,
		Center:      p.Center,
		Accounts:    p.Accounts.Len(),
		Territories: make([]Territory, numT),
	}
	// mult weights every account's share of the objective (nil: 1 each).
	var mult []float64
	if p.Weight != "" {
		m.Weight = territory.NormalizeName(p.Weight)
		mult = p.Accounts.Weights(p.Weight)
	}

	ids := p.TerritoryIDs()
	if p.Grouped() {
		m.GroupColumn = p.GroupColumn
	}
	for k := range m.Territories {
		rep := p.Reps[k]
		t := &m.Territories[k]
		t.ID = ids[k]
		if p.Grouped() {
			t.Group = rep.Group
		}
		t.RepID, t.RepName, t.Capacity = rep.ID, rep.Name, rep.Capacity
		t.Center = pl.Centers[k]
		if k < len(pl.CenterAccount) {
			if i := pl.CenterAccount[k]; i >= 0 && i < len(p.Accounts.IDs) {
				t.CenterAccount = p.Accounts.IDs[i]
			}
		}
	}

	// Distances, in account order: plain sums for the mean distance, and
	// the objective's sums, weighted when the problem has a weight.
	sumD := make([]float64, numT)
	sumWD := make([]float64, numT)
	sumWD2 := make([]float64, numT)
	for i, k := range pl.Assign {
		d := spatial.Distance(p.Space, p.Accounts.Locs[i], pl.Centers[k])
		t := &m.Territories[k]
		t.Accounts++
		sumD[k] += d
		// The conversions keep every product rounded on its own, so that
		// no platform fuses it with the sum (same bytes on amd64 and
		// arm64).
		wd, wd2 := d, float64(d*d)
		if mult != nil {
			wd, wd2 = float64(mult[i]*d), float64(mult[i]*wd2)
		}
		sumWD[k] += wd
		sumWD2[k] += wd2
		t.MaxDistance = max(t.MaxDistance, d)
	}
	for k := range m.Territories {
		t := &m.Territories[k]
		if t.Accounts > 0 {
			t.MeanDistance = sumD[k] / float64(t.Accounts)
		}
		t.Compactness = sumWD2[k]
		if p.Objective == territory.Distance {
			t.Compactness = sumWD[k]
		}
		m.SSE += sumWD2[k]
		m.TotalDistance += sumWD[k]
		m.MaxDistance = max(m.MaxDistance, t.MaxDistance)
	}
	m.ObjectiveValue = m.SSE
	if p.Objective == territory.Distance {
		m.ObjectiveValue = m.TotalDistance
	}

	// Balance rules, in rule order.
	ruled := make(map[string]bool, len(p.Rules))
	m.Balance = make([]MeasureStats, len(p.Rules))
	for k := range m.Territories {
		m.Territories[k].Loads = make([]Load, len(p.Rules))
	}
	for j, r := range p.Rules {
		ruled[r.Measure] = true
		w := p.Accounts.Weights(r.Measure)
		loads := pl.Loads(numT, w)
		bands := p.Bands(r)
		for k, b := range bands {
			l := Load{Load: loads[k], Target: b.Target, Lo: b.Lo, Hi: b.Hi, Excess: b.Excess(loads[k])}
			if b.Target == 0 {
				l.ZeroTarget = true
			} else {
				l.PctTarget = loads[k] / b.Target * 100
			}
			m.Territories[k].Loads[j] = l
		}
		m.Balance[j] = balanceStats(r, measureOf(p, r.Measure, w), m.Territories, j)
	}

	// The other measures, in account order.
	for _, am := range p.Accounts.Measures {
		if ruled[am.Name] {
			continue
		}
		m.Others = append(m.Others, measureOf(p, am.Name, am.Values))
		loads := pl.Loads(numT, am.Values)
		for k := range m.Territories {
			m.Territories[k].Others = append(m.Territories[k].Others, loads[k])
		}
	}

	m.Violations = violations(m)
	explain(p, pl, m)
	m.Shape = Shape(p, pl)
	if pl.Units != nil {
		m.Units = evaluateUnits(p, pl, m)
	}
	return m
}

// measureOf names measure name, with its total over the weights w.
func measureOf(p *territory.Problem, name string, w []float64) Measure {
	ms := Measure{Name: name, Column: name}
	if am := p.Accounts.Measure(name); am != nil && am.Column != "" {
		ms.Column = am.Column
	}
	for _, v := range w {
		ms.Total += v
	}
	return ms
}

// balanceStats sums up the loads of rule j over the territories.
func balanceStats(r territory.BalanceRule, ms Measure, ts []Territory, j int) MeasureStats {
	st := MeasureStats{Rule: r, Measure: ms}
	n := 0
	for k, t := range ts {
		l := t.Loads[j]
		if k == 0 {
			st.MinLoad, st.MaxLoad = l.Load, l.Load
		}
		st.MinLoad = min(st.MinLoad, l.Load)
		st.MaxLoad = max(st.MaxLoad, l.Load)
		st.MeanLoad += l.Load
		if !l.OK() {
			st.Violations++
		}
		if l.ZeroTarget {
			st.ZeroTargets++
			continue
		}
		if n == 0 {
			st.MinPct, st.MaxPct = l.PctTarget, l.PctTarget
		}
		n++
		st.MinPct = min(st.MinPct, l.PctTarget)
		st.MaxPct = max(st.MaxPct, l.PctTarget)
		st.MeanPct += l.PctTarget
		st.MaxDeviationPct = max(st.MaxDeviationPct, math.Abs(l.PctTarget-100))
	}
	if len(ts) > 0 {
		st.MeanLoad /= float64(len(ts))
	}
	if n == 0 {
		return st
	}
	st.MeanPct /= float64(n)
	ss := 0.0
	for _, t := range ts {
		if l := t.Loads[j]; !l.ZeroTarget {
			d := l.PctTarget - st.MeanPct
			ss += float64(d * d)
		}
	}
	st.StdDevPct = math.Sqrt(ss / float64(n))
	if st.MeanPct != 0 {
		st.CV = st.StdDevPct / st.MeanPct
	}
	return st
}

// violations lists the loads outside their bands, by territory and then
// measure name.
func violations(m *Metrics) []Violation {
	var out []Violation
	for _, t := range m.Territories {
		first := len(out)
		for j, l := range t.Loads {
			if l.OK() {
				continue
			}
			st := &m.Balance[j]
			v := Violation{
				Rule:      st.Rule.String(),
				Measure:   st.Name,
				Territory: t.ID,
				Rep:       t.RepID,
				Load:      l.Load,
				Target:    l.Target,
			}
			if l.Excess > 0 {
				v.Bound, v.Limit, v.Excess = "max", l.Hi, l.Excess
			} else {
				v.Bound, v.Limit, v.Excess = "min", l.Lo, -l.Excess
			}
			if l.Target != 0 {
				v.ExcessPct = v.Excess / l.Target * 100
			}
			out = append(out, v)
		}
		// Rules name distinct measures, so this order is total.
		slices.SortStableFunc(out[first:], func(a, b Violation) int {
			return strings.Compare(a.Measure, b.Measure)
		})
	}
	return out
}

// explain gives the violations whose cause is plain from the inputs their
// cause and culprit accounts:
//
//   - the rule cannot hold in total: the measure's total lies above the sum
//     of the territories' maxima, or below the sum of their minima;
//   - an account alone weighs more than the territory's maximum;
//   - the territory's locked accounts together weigh more than its maximum.
func explain(p *territory.Problem, pl *territory.Plan, m *Metrics) {
	if len(m.Violations) == 0 {
		return
	}
	byID := make(map[string]int, p.K())
	for k, id := range p.TerritoryIDs() {
		byID[id] = k
	}
	owners := p.OwnerTerritories()
	for vi := range m.Violations {
		v := &m.Violations[vi]
		var rule territory.BalanceRule
		for _, st := range m.Balance {
			if st.Name == v.Measure {
				rule = st.Rule
			}
		}
		w := p.Accounts.Weights(rule.Measure)
		bands := p.Bands(rule)
		total, sumLo, sumHi := 0.0, 0.0, 0.0
		for _, x := range w {
			total += x
		}
		for _, b := range bands {
			sumLo += b.Lo
			sumHi += b.Hi
		}
		k := byID[v.Territory]
		switch {
		case v.Bound == "max" && total > sumHi*(1+1e-9):
			v.Cause = fmt.Sprintf("the total %s is above the sum of all territories' maxima %s", fixed(total, 2), fixed(sumHi, 2))
		case v.Bound == "min" && total < sumLo*(1-1e-9):
			v.Cause = fmt.Sprintf("the total %s is below the sum of all territories' minima %s", fixed(total, 2), fixed(sumLo, 2))
		case v.Bound == "max":
			var big, locked []int
			lockedLoad := 0.0
			for i, t := range pl.Assign {
				if t != k {
					continue
				}
				if w[i] > v.Limit {
					big = append(big, i)
				}
				if i < len(p.Accounts.Locked) && p.Accounts.Locked[i] && owners[i] == k {
					locked = append(locked, i)
					lockedLoad += w[i]
				}
			}
			switch {
			case len(big) > 0:
				v.Cause = "an account alone is above the maximum"
				v.setCulprits(p, big)
			case lockedLoad > v.Limit:
				v.Cause = fmt.Sprintf("its locked accounts hold %s, above the maximum", fixed(lockedLoad, 2))
				v.setCulprits(p, locked)
			}
		}
	}
}

func (v *Violation) setCulprits(p *territory.Problem, accounts []int) {
	ids := make([]string, len(accounts))
	for j, i := range accounts {
		ids[j] = p.Accounts.IDs[i]
	}
	slices.SortFunc(ids, territory.CompareIDs)
	v.CulpritCount = len(ids)
	v.Culprits = ids[:min(len(ids), maxCulprits)]
}
