package report

import (
	"cmp"
	"slices"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// Units says how a plan made of units (territory.Plan.Units) covers its
// layer: every unit's territory, the units split because they were too
// heavy for one territory, and the accounts assigned away from their
// unit's territory, the exceptions that an assignment by unit alone would
// get wrong.
type Units struct {
	// Layer names the layer's file.
	Layer string
	// Rows holds every unit, sorted by id (territory.CompareIDs): its
	// territory (a split unit's default owner), its accounts, whether it
	// is split and how many of its accounts are exceptions.
	Rows []UnitRow
	// Empty counts the units without accounts.
	Empty int
	// Split lists the split units, by id.
	Split []UnitRow
	// Exceptions lists the accounts assigned away from their unit's
	// territory, by account id.
	Exceptions []Exception
}

// UnitRow is one unit of a layer in a plan.
type UnitRow struct {
	ID                 string
	Territory          int // index into Metrics.Territories
	Accounts           int
	Split              bool
	ExceptionsInUnit   int
	TerritoryID, RepID string
}

// Exception is an account of a split unit assigned away from the unit's
// default owner.
type Exception struct {
	AccountID, UnitID string
	// Territory is the account's territory, UnitTerritory its unit's.
	Territory, UnitTerritory int
}

// MaxExceptionsListed is how many exceptions summary.json and report.md
// list; the workbook lists them all (up to a sheet's rows).
const MaxExceptionsListed = 1000

// evaluateUnits computes m.Units for a plan made of units.
func evaluateUnits(p *territory.Problem, pl *territory.Plan, m *Metrics) *Units {
	u := pl.Units
	layer := u.Layer
	n := layer.Len()
	accounts := make([]int, n)
	excepted := make([]int, n)
	exceptions := u.Exceptions(pl.Assign)
	for _, j := range u.Of {
		accounts[j]++
	}
	out := &Units{Layer: layer.Source}
	for _, i := range exceptions {
		j := u.Of[i]
		excepted[j]++
		out.Exceptions = append(out.Exceptions, Exception{AccountID: p.Accounts.IDs[i], UnitID: layer.IDs[j],
			Territory: pl.Assign[i], UnitTerritory: u.Owner[j]})
	}
	slices.SortStableFunc(out.Exceptions, func(a, b Exception) int { return territory.CompareIDs(a.AccountID, b.AccountID) })
	order := make([]int, n)
	for j := range order {
		order[j] = j
	}
	slices.SortFunc(order, func(a, b int) int {
		if c := territory.CompareIDs(layer.IDs[a], layer.IDs[b]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	for _, j := range order {
		k := u.Owner[j]
		row := UnitRow{ID: layer.IDs[j], Territory: k, Accounts: accounts[j], Split: u.Split[j], ExceptionsInUnit: excepted[j],
			TerritoryID: m.Territories[k].ID, RepID: m.Territories[k].RepID}
		out.Rows = append(out.Rows, row)
		if row.Accounts == 0 {
			out.Empty++
		}
		if row.Split {
			out.Split = append(out.Split, row)
		}
	}
	return out
}
