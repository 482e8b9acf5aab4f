package territory

import "fmt"

// UnitLayer is a layer of units (counties, ZIP codes) that a plan is made
// of: every unit goes to one territory, empty units too, so that the plan
// covers the whole layer, and every account goes with the unit it lies in.
// The geometry stays with the reader; the layer keeps what the optimizer
// and the reports need. Slices are in layer order.
type UnitLayer struct {
	// Source names the layer's file and IDColumn the property that holds
	// its ids ("" when the ids are the features' own), for messages.
	Source   string
	IDColumn string
	IDs      []string
	// Rows holds every unit's 1-based row (feature) in Source.
	Rows []int
	// Locs holds every unit's representative point (for polygons, the
	// area-weighted centroid), in the problem's space.
	Locs []Point
	// Adjacency lists, for every unit, the units that share a boundary
	// with it, as sorted indices.
	Adjacency [][]int32
}

// Len is the number of units.
func (l *UnitLayer) Len() int { return len(l.IDs) }

// UnitPlan says how a plan covers a unit layer: the territory of every
// unit, and the units whose accounts are assigned one by one.
type UnitPlan struct {
	Layer *UnitLayer
	// Of holds the unit of every account of the problem.
	Of []int
	// Owner holds every unit's territory: the one its accounts are in, or,
	// for a split unit, its default owner, the territory of new accounts
	// there.
	Owner []int
	// Split marks units too heavy for one territory, whose accounts are
	// assigned one by one (see [UnitPlan.Exceptions]).
	Split []bool
}

// Exceptions lists the accounts whose territory is not their unit's:
// accounts of split units assigned away from its default owner, which an
// assignment by unit alone would get wrong. assign is the plan's
// assignment of the accounts; the list is in account order.
func (u *UnitPlan) Exceptions(assign []int) []int {
	var out []int
	for i, k := range assign {
		if j := u.Of[i]; k != u.Owner[j] {
			out = append(out, i)
		}
	}
	return out
}

// SplitCount is the number of split units.
func (u *UnitPlan) SplitCount() int {
	n := 0
	for _, s := range u.Split {
		if s {
			n++
		}
	}
	return n
}

// check verifies that the unit plan fits a problem of n accounts and k
// territories, and that accounts of units that are not split are in their
// unit's territory.
func (u *UnitPlan) check(assign []int, k int) error {
	m := u.Layer.Len()
	if len(u.Of) != len(assign) || len(u.Owner) != m || len(u.Split) != m {
		return fmt.Errorf("plan: units of %d accounts, owners of %d and splits of %d units, for %d accounts and %d units",
			len(u.Of), len(u.Owner), len(u.Split), len(assign), m)
	}
	for j, t := range u.Owner {
		if t < 0 || t >= k {
			return fmt.Errorf("plan: unit %q in territory %d, not in 0..%d", u.Layer.IDs[j], t, k-1)
		}
	}
	for i, j := range u.Of {
		if j < 0 || j >= m {
			return fmt.Errorf("plan: account %d in unit %d, not in 0..%d", i, j, m-1)
		}
		if !u.Split[j] && assign[i] != u.Owner[j] {
			return fmt.Errorf("plan: account %d is in territory %d, its unit %q in %d, and the unit is not split", i, assign[i], u.Layer.IDs[j], u.Owner[j])
		}
	}
	return nil
}
