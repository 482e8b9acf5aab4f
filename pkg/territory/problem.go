package territory

import (
	"errors"
	"fmt"
	"math"
	"strconv"
)

// Objective is what compactness means for a plan.
type Objective int

const (
	// SSE is the sum over accounts of the squared distance to the centre of
	// their territory (the k-means objective).
	SSE Objective = iota
	// Distance is the sum of plain distances to the centre (the p-median
	// objective).
	Distance
)

func (o Objective) String() string {
	switch o {
	case SSE:
		return "sse"
	case Distance:
		return "distance"
	}
	return "Objective(" + strconv.Itoa(int(o)) + ")"
}

// ParseObjective reads "sse" or "distance".
func ParseObjective(s string) (Objective, error) {
	switch NormalizeName(s) {
	case "sse":
		return SSE, nil
	case "distance":
		return Distance, nil
	}
	return 0, fmt.Errorf("unknown objective %q (expected sse or distance)", s)
}

// Center says where a territory's centre may sit.
type Center int

const (
	// CenterMean lets the centre move freely to the point that minimises the
	// objective: the mean for SSE, the geometric median for Distance.
	CenterMean Center = iota
	// CenterUnit puts the centre at one of the territory's accounts, the one
	// that minimises the objective (as in the p-median problem).
	CenterUnit
	// CenterHome fixes the centre at the rep's home.
	CenterHome
)

func (c Center) String() string {
	switch c {
	case CenterMean:
		return "mean"
	case CenterUnit:
		return "unit"
	case CenterHome:
		return "home"
	}
	return "Center(" + strconv.Itoa(int(c)) + ")"
}

// ParseCenter reads "mean", "unit" or "home".
func ParseCenter(s string) (Center, error) {
	switch NormalizeName(s) {
	case "mean":
		return CenterMean, nil
	case "unit":
		return CenterUnit, nil
	case "home":
		return CenterHome, nil
	}
	return 0, fmt.Errorf("unknown centre %q (expected mean, unit or home)", s)
}

// Problem is everything the optimizer needs: the accounts, one rep per
// territory, the balance rules and the objective.
type Problem struct {
	Space    Space
	Accounts Accounts
	// Reps has one entry per territory; territory k belongs to Reps[k].
	Reps      []Rep
	Rules     []BalanceRule
	Objective Objective
	Center    Center
	// Weight optionally names a measure that weights every account's
	// distance term in the objective (population, visits): the objective
	// becomes Σ weight·cost, and free or unit centres become weighted
	// accordingly. "" weights every account 1.
	Weight string
	// Adjacency optionally lists, for every account, the accounts it
	// touches (polygon units sharing a boundary), as sorted indices; nil
	// when the accounts are points or the adjacency is unknown.
	Adjacency [][]int32
	// GroupColumn, when not "", splits the problem into groups (regions,
	// segments: see [Problem.Groups]) by the column of that name, which
	// accounts (Accounts.Groups) and reps (Rep.Group) both carry. Every
	// group is a problem of its own: its accounts go to its reps only, and
	// its balance targets are shares of its own totals.
	GroupColumn string
}

// K is the number of territories.
func (p *Problem) K() int { return len(p.Reps) }

// TerritoryID is the identifier of territory k in outputs (see
// [Problem.TerritoryIDs]; use that for more than a few).
func (p *Problem) TerritoryID(k int) string {
	if !p.Grouped() {
		width := len(strconv.Itoa(p.K()))
		return fmt.Sprintf("T%0*d", width, k+1)
	}
	return p.TerritoryIDs()[k]
}

// CapacityShares returns each rep's capacity divided by the sum of all
// capacities (of its group's reps, in a grouped problem).
func (p *Problem) CapacityShares() []float64 {
	group, _ := p.repGroupIndex()
	total := make([]float64, len(p.Reps))
	for k, r := range p.Reps {
		total[group[k]] += r.Capacity
	}
	s := make([]float64, len(p.Reps))
	for k, r := range p.Reps {
		if t := total[group[k]]; t > 0 {
			s[k] = r.Capacity / t
		}
	}
	return s
}

// repGroupIndex numbers the groups of the reps 0, 1, ... in the order they
// first appear among the reps, and returns every rep's number and the
// number of each group's name (every rep 0, and a nil map, for a problem
// that is not grouped). It reads the reps alone.
func (p *Problem) repGroupIndex() ([]int, map[string]int) {
	of := make([]int, len(p.Reps))
	if !p.Grouped() {
		return of, nil
	}
	index := make(map[string]int)
	for k, r := range p.Reps {
		g, ok := index[r.Group]
		if !ok {
			g = len(index)
			index[r.Group] = g
		}
		of[k] = g
	}
	return of, index
}

// Bands returns, for rule r, the band of every territory. The target is the
// capacity share of the measure's total; a tolerance rule allows
// target·(1±tol); min and max scale with the rep's capacity. When every
// value of the measure is a whole number (as for count), loads are whole
// numbers too: a band that holds a whole number shrinks to the whole numbers
// in it (max 2.5 means at most 2), and one that holds none widens to the
// whole numbers around it (count:0% of 10 accounts in 3 territories allows
// 3 or 4 each).
//
// In a grouped problem, targets are shares of the group's total, and
// whether loads are whole depends on the group's values.
func (p *Problem) Bands(r BalanceRule) []Band {
	w := p.Accounts.Weights(r.Measure)
	group, index := p.repGroupIndex()
	totals := make([]float64, max(1, len(index)))
	wholes := make([]bool, len(totals))
	for g := range wholes {
		wholes[g] = true
	}
	for i, v := range w {
		g := 0
		if index != nil {
			var ok bool
			if g, ok = index[p.Accounts.group(i)]; !ok {
				continue // a group without reps, which Validate refuses
			}
		}
		totals[g] += v
		if wholes[g] && v != math.Trunc(v) {
			wholes[g] = false
		}
	}
	shares := p.CapacityShares()
	bands := make([]Band, len(p.Reps))
	for k := range bands {
		total, whole := totals[group[k]], wholes[group[k]]
		b := Band{Target: total * shares[k], Lo: math.Inf(-1), Hi: math.Inf(1)}
		if r.HasTolerance {
			b.Lo = b.Target * (1 - r.Tolerance)
			b.Hi = b.Target * (1 + r.Tolerance)
		}
		capacity := p.Reps[k].Capacity
		if r.HasMin {
			b.Lo = math.Max(b.Lo, r.Min*capacity)
		}
		if r.HasMax {
			b.Hi = math.Min(b.Hi, r.Max*capacity)
		}
		if whole {
			lo, hi := math.Ceil(b.Lo-1e-9), math.Floor(b.Hi+1e-9)
			if lo > hi {
				lo, hi = math.Floor(b.Lo+1e-9), math.Ceil(b.Hi-1e-9)
			}
			b.Lo, b.Hi = lo, hi
		}
		bands[k] = b
	}
	return bands
}

// Validate checks that the problem is well formed and returns every problem
// it finds, joined (each an *InputError). Cell-level checks of the inputs
// (numbers, coordinates, ids) are the readers' job; Validate repeats the
// ones the optimizer relies on, so that a problem built in code is checked
// too.
func (p *Problem) Validate() error {
	var errs []error
	add := func(e *InputError) { errs = append(errs, e) }
	a := &p.Accounts
	n := a.Len()
	if n == 0 {
		add(&InputError{What: "accounts", File: a.Source, Msg: "no accounts"})
	}
	if len(a.Locs) != n {
		add(&InputError{What: "accounts", File: a.Source, Msg: fmt.Sprintf("%d locations for %d accounts", len(a.Locs), n)})
	}
	for _, m := range a.Measures {
		if len(m.Values) != n {
			add(&InputError{What: "accounts", File: a.Source, Column: m.Column, Msg: fmt.Sprintf("%d values for %d accounts", len(m.Values), n)})
		}
	}
	if errs != nil {
		return errors.Join(errs...)
	}
	seen := make(map[string]int, n)
	for i, id := range a.IDs {
		if id == "" {
			add(&InputError{What: "accounts", File: a.Source, Row: a.row(i), Column: "id", Msg: "empty id"})
			continue
		}
		if j, dup := seen[id]; dup {
			add(&InputError{What: "accounts", File: a.Source, Row: a.row(i), Column: "id",
				Msg: fmt.Sprintf("duplicate id %q (first seen at %s)", id, rowName(a.row(j), j))})
			continue
		}
		seen[id] = i
	}
	for i, pt := range a.Locs {
		if msg := p.checkPoint(pt); msg != "" {
			add(&InputError{What: "accounts", File: a.Source, Row: a.row(i), Msg: msg})
		}
	}
	for _, m := range a.Measures {
		total, finite := 0.0, true
		for i, v := range m.Values {
			if !Finite(v) {
				add(&InputError{What: "accounts", File: a.Source, Row: a.row(i), Column: m.Column, Msg: fmt.Sprintf("value %v is not a finite number", v)})
				finite = false
				continue
			}
			total += math.Abs(v)
		}
		// Totals, loads and targets are sums of the values: they must be
		// numbers too, not +Inf.
		if finite && math.IsInf(total, 0) {
			add(&InputError{What: "accounts", File: a.Source, Column: m.Column,
				Msg: fmt.Sprintf("the values of measure %q add up to more than %g, the largest number there is; give it in larger units", m.Name, math.MaxFloat64)})
		}
	}

	if p.Adjacency != nil {
		if len(p.Adjacency) != n {
			add(&InputError{What: "problem", Msg: fmt.Sprintf("adjacency lists for %d accounts, have %d accounts", len(p.Adjacency), n)})
		} else {
		adjacency:
			for i, nb := range p.Adjacency {
				for _, j := range nb {
					if j < 0 || int(j) >= n || int(j) == i {
						add(&InputError{What: "problem", Msg: fmt.Sprintf("adjacency of account %q lists %d, not another account", a.IDs[i], j)})
						break adjacency
					}
				}
			}
		}
	}

	p.validateGroups(add)

	if len(a.Locked) > 0 {
		owners := p.OwnerTerritories()
		for i, locked := range a.Locked {
			if locked && owners[i] < 0 {
				owner := ""
				if i < len(a.Owners) {
					owner = a.Owners[i]
				}
				add(&InputError{What: "accounts", File: a.Source, Row: a.row(i), Column: "locked",
					Msg: fmt.Sprintf("account %q is locked but its owner %q is not among the reps", a.IDs[i], owner)})
			}
		}
	}

	k := p.K()
	switch {
	case k == 0:
		add(&InputError{What: "problem", Msg: "no territories: give reps or a number of territories"})
	case n > 0 && k > n:
		add(&InputError{What: "problem", Msg: fmt.Sprintf("%d territories for %d accounts: every territory needs at least one account", k, n)})
	}
	repSeen := make(map[string]bool, k)
	totalCapacity := 0.0
	for _, r := range p.Reps {
		switch {
		case r.ID == "":
			add(&InputError{What: "reps", Row: r.Row, Column: "id", Msg: "empty id"})
		case repSeen[r.ID]:
			add(&InputError{What: "reps", Row: r.Row, Column: "id", Msg: fmt.Sprintf("duplicate id %q", r.ID)})
		}
		repSeen[r.ID] = true
		if !Finite(r.Capacity) || r.Capacity < 0 {
			add(&InputError{What: "reps", Row: r.Row, Column: "capacity", Msg: fmt.Sprintf("capacity %v is not a number >= 0", r.Capacity)})
		} else {
			totalCapacity += r.Capacity
		}
		if r.HasHome {
			if msg := p.checkPoint(r.Home); msg != "" {
				add(&InputError{What: "reps", Row: r.Row, Msg: "home: " + msg})
			}
		} else if p.Center == CenterHome {
			add(&InputError{What: "reps", Row: r.Row, Msg: fmt.Sprintf("rep %q has no home location, which centre \"home\" needs", r.ID)})
		}
	}
	if k > 0 && totalCapacity <= 0 {
		add(&InputError{What: "reps", Column: "capacity", Msg: "capacities sum to 0: at least one rep needs a capacity above 0"})
	}

	ruleSeen := make(map[string]bool)
	for _, r := range p.Rules {
		if ruleSeen[r.Measure] {
			add(&InputError{What: "problem", Msg: fmt.Sprintf("balance rule %s: measure %q has two rules; combine them into one", r, r.Measure)})
		}
		ruleSeen[r.Measure] = true
		w := a.Weights(r.Measure)
		if w == nil {
			add(&InputError{What: "problem", Msg: fmt.Sprintf("balance rule %s: no measure %q in the accounts (have: %s)", r, r.Measure, p.measureNames())})
			continue
		}
		m := a.Measure(r.Measure)
		for i, v := range w {
			if v < 0 {
				add(&InputError{What: "accounts", File: a.Source, Row: a.row(i), Column: m.Column,
					Msg: fmt.Sprintf("negative value %v in balanced measure %q", v, r.Measure)})
			}
		}
		if r.HasTolerance && (math.IsNaN(r.Tolerance) || r.Tolerance < 0) {
			add(&InputError{What: "problem", Msg: fmt.Sprintf("balance rule %s: tolerance must be >= 0", r)})
		}
		if r.HasMin && r.HasMax && r.Min > r.Max {
			add(&InputError{What: "problem", Msg: fmt.Sprintf("balance rule %s: min is above max", r)})
		}
	}
	if p.Weight != "" {
		w := a.Weights(p.Weight)
		if w == nil {
			add(&InputError{What: "problem", Msg: fmt.Sprintf("weight: no measure %q in the accounts (have: %s)", p.Weight, p.measureNames())})
		} else if m := a.Measure(p.Weight); m != nil {
			for i, v := range w {
				if v < 0 || !Finite(v) {
					add(&InputError{What: "accounts", File: a.Source, Row: a.row(i), Column: m.Column,
						Msg: fmt.Sprintf("weight %v of measure %q is not a finite number >= 0", v, p.Weight)})
				}
			}
		}
	}
	return errors.Join(errs...)
}

// MaxPlanar is the largest planar coordinate, in absolute value: 1e15 of
// any unit (metres, feet) is far beyond any projection of the Earth, and
// keeps sums of squared distances of millions of accounts finite.
const MaxPlanar = 1e15

func (p *Problem) checkPoint(pt Point) string {
	if !Finite(pt.X) || !Finite(pt.Y) {
		return "location is not a finite number"
	}
	if p.Space == Planar && (math.Abs(pt.X) > MaxPlanar || math.Abs(pt.Y) > MaxPlanar) {
		return fmt.Sprintf("location (%v, %v) is beyond ±%g, the largest planar coordinate (squared distances must stay finite); give it in larger units", pt.X, pt.Y, MaxPlanar)
	}
	if p.Space == Geographic {
		if pt.Y < -90 || pt.Y > 90 {
			return fmt.Sprintf("latitude %v is not between -90 and 90", pt.Y)
		}
		if pt.X < -180 || pt.X > 180 {
			return fmt.Sprintf("longitude %v is not between -180 and 180", pt.X)
		}
	}
	return ""
}

func (p *Problem) measureNames() string {
	s := strconv.Quote(CountMeasure)
	for _, m := range p.Accounts.Measures {
		if m.Name != CountMeasure {
			s += ", " + strconv.Quote(m.Name)
		}
	}
	return s
}

func rowName(row, index int) string {
	if row > 0 {
		return "row " + strconv.Itoa(row)
	}
	return "account " + strconv.Itoa(index+1)
}
