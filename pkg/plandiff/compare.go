package plandiff

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/territory-optimizer/territory/pkg/tabular"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// Kinds of change of one account (or unit) between two plans.
const (
	Moved   = "moved"   // in both plans, in another territory
	Added   = "added"   // only in the new plan
	Removed = "removed" // only in the old plan
	// Unit tables only: a unit in the same territory in both plans that
	// is split in the new plan and not in the old one, or the reverse.
	BecameSplit = "split"
	BecameWhole = "whole"
)

// Place is where an account is in one plan: its territory and rep, each
// "" when the file does not say.
type Place struct {
	Territory string `json:"territory_id"`
	Rep       string `json:"rep_id"`
}

// String writes a place for people: "T03 (R03)", or the one id known, or
// one id when both are the same.
func (p Place) String() string {
	switch {
	case p.Territory == "" && p.Rep == "":
		return "-"
	case p.Territory == "" || p.Rep == "" || p.Territory == p.Rep:
		return cmp.Or(p.Territory, p.Rep)
	}
	return p.Territory + " (" + p.Rep + ")"
}

// AccountChange is one account that changed between the plans; when the
// plans are unit tables ([Diff.Units]), one unit.
type AccountChange struct {
	ID     string
	Change string // moved, added or removed; for a unit, also split or whole
	// Cause, with edits ([CompareEdits]), says why a moved or added
	// account changed: ByEdit, ByRebalance or NotAsEdited; "" otherwise.
	Cause  string
	From   Place // zero when added
	To     Place // zero when removed
	Values []float64
	// FromSplit and ToSplit say, for a unit, whether it is split in the
	// old and in the new plan (false when it is not in that plan).
	FromSplit, ToSplit bool
}

// TerritoryChange sums up what one territory gained and lost: accounts,
// or units when the plans are unit tables.
type TerritoryChange struct {
	Territory, Rep string
	Old, New       int // accounts in the territory in each plan
	Gained, Lost   int // accounts moved in or added; moved out or removed
	// GainedValues and LostValues sum the measures of those accounts.
	GainedValues, LostValues []float64
}

// Totals counts the accounts (or units) of the comparison. Unchanged
// counts those in both plans, in the same territory and, for units, split
// in both or in neither; Old is Unchanged + Moved + Removed + the units
// that became split or whole in the same territory.
type Totals struct {
	Old, New                         int // accounts in each plan
	Unchanged, Moved, Added, Removed int
	// Split and Whole count the units in both plans that became split
	// and that became whole, moved or not.
	Split, Whole int
	// MovedValues sums the measures of the moved accounts.
	MovedValues []float64
}

// Diff is the comparison of two plans.
type Diff struct {
	Old, New  string // the plans' names
	MatchedBy string // rep_id or territory_id
	// Units says that the plans are unit tables (units.csv): the ids are
	// unit ids, and Accounts lists the units that changed.
	Units bool
	// Measures names the accounts' measures, as their columns are
	// spelled, when accounts are given; nil otherwise. Every Values slice
	// has one value per measure.
	Measures    []string
	Accounts    []AccountChange   // sorted by id
	Territories []TerritoryChange // those that gained or lost, sorted by territory then rep
	Totals      Totals

	// Missing counts the accounts of the plans that the accounts given
	// lack: their measures count as 0. FirstMissing is the first of them
	// by id.
	Missing      int
	FirstMissing string

	// Edits, with edits ([CompareEdits]), says what they did; nil
	// otherwise.
	Edits *Edits
}

// Differs reports whether some account moved, was added or was removed,
// or some unit became split or whole.
func (d *Diff) Differs() bool { return len(d.Accounts) > 0 }

// TableError says that the files of a comparison do not go together: a
// unit table (units.csv) and an account table (assignments.csv), or edits
// with unit tables. It is a mistake in what was asked, not in a file.
type TableError struct {
	Msg string
}

func (e *TableError) Error() string { return "diff: " + e.Msg }

// tableKind names what a plan file is, for messages: "a unit table
// (unit_id)" or "an account table (account_id)".
func tableKind(f *tabular.PlanFile) string {
	if f.Units {
		return "a unit table (" + tabular.ColUnitID + ")"
	}
	return "an account table (" + tabular.ColAccountID + ")"
}

// CheckTables checks that two plans, and edits when not nil, can be
// compared: both unit tables or both account tables, and edits with
// account tables only. It returns a *TableError naming the files
// otherwise. [Compare] and [CompareEdits] check the same; a caller can
// check first, before it reads what the comparison needs.
func CheckTables(oldPlan, newPlan, edits *tabular.PlanFile) error {
	switch {
	case oldPlan.Units != newPlan.Units:
		return &TableError{Msg: fmt.Sprintf("%q is %s and %q is %s: compare two unit tables (units.csv) or two account tables (assignments.csv)",
			oldPlan.Name, tableKind(oldPlan), newPlan.Name, tableKind(newPlan))}
	case edits == nil:
		return nil
	case oldPlan.Units:
		return &TableError{Msg: fmt.Sprintf("edits of unit tables are not supported: %q and %q are unit tables, and edits (%q) name accounts, as solve --fix keeps them",
			oldPlan.Name, newPlan.Name, edits.Name)}
	case edits.Units:
		return &TableError{Msg: fmt.Sprintf("the edits %q are %s, but %q and %q are account tables: edits name accounts, as solve --fix keeps them",
			edits.Name, tableKind(edits), oldPlan.Name, newPlan.Name)}
	}
	return nil
}

// Compare compares two plans: two account tables (assignments.csv) or two
// unit tables (units.csv), whose split units are compared too. accounts,
// when not nil, gives the measures, by account id or, for unit tables, by
// unit id (see [UnitMeasures]). It fails with a *TableError, naming both
// files, when one plan is a unit table and the other is not, and naming
// the new plan when the plans have no territory column in common to match
// territories by.
func Compare(oldPlan, newPlan *tabular.PlanFile, accounts *territory.Accounts) (*Diff, error) {
	if err := CheckTables(oldPlan, newPlan, nil); err != nil {
		return nil, err
	}
	var key string
	switch {
	case oldPlan.HasRep && newPlan.HasRep:
		key = tabular.ColRepID
	case oldPlan.HasTerritory && newPlan.HasTerritory:
		key = tabular.ColTerritoryID
	default:
		return nil, &territory.InputError{What: "diff", File: newPlan.Name,
			Msg: fmt.Sprintf("nothing to match territories by: %q has only %s and %q only %s (give both files rep_id or territory_id)",
				oldPlan.Name, oldPlan.KeyColumn(), newPlan.Name, newPlan.KeyColumn())}
	}
	keyOf := func(f *tabular.PlanFile, i int) string {
		if key == tabular.ColRepID {
			return f.Reps[i]
		}
		return f.Territories[i]
	}
	d := &Diff{Old: oldPlan.Name, New: newPlan.Name, MatchedBy: key, Units: oldPlan.Units}
	nm := 0
	var index map[string]int
	if accounts != nil {
		nm = len(accounts.Measures)
		d.Measures = make([]string, nm)
		for m, ms := range accounts.Measures {
			d.Measures[m] = ms.Column
		}
		index = make(map[string]int, accounts.Len())
		for i, id := range accounts.IDs {
			index[id] = i
		}
	}
	d.Totals.Old, d.Totals.New = oldPlan.Len(), newPlan.Len()
	d.Totals.MovedValues = make([]float64, nm)

	// Territories by key, with the Place shown for them: the new plan's
	// when it has the territory, else the old one's.
	terr := map[string]*TerritoryChange{}
	territoryOf := func(k string, p Place) *TerritoryChange {
		t := terr[k]
		if t == nil {
			t = &TerritoryChange{Territory: p.Territory, Rep: p.Rep,
				GainedValues: make([]float64, nm), LostValues: make([]float64, nm)}
			terr[k] = t
		}
		return t
	}
	for i := range newPlan.IDs {
		territoryOf(keyOf(newPlan, i), placeOf(newPlan, i)).New++
	}
	for i := range oldPlan.IDs {
		territoryOf(keyOf(oldPlan, i), placeOf(oldPlan, i)).Old++
	}

	valuesOf := func(id string) []float64 {
		if accounts == nil {
			return nil
		}
		v := make([]float64, nm)
		j, ok := index[id]
		if !ok {
			d.Missing++
			if d.FirstMissing == "" || territory.CompareIDs(id, d.FirstMissing) < 0 {
				d.FirstMissing = id
			}
			return v
		}
		for m := range v {
			v[m] = accounts.Measures[m].Values[j]
		}
		return v
	}
	add := func(dst, v []float64) {
		for m := range v {
			dst[m] += v[m]
		}
	}

	// splitChange counts a unit in both plans that became split or whole.
	splitChange := func(c *AccountChange) {
		switch {
		case c.ToSplit && !c.FromSplit:
			d.Totals.Split++
		case c.FromSplit && !c.ToSplit:
			d.Totals.Whole++
		}
	}

	for i, id := range oldPlan.IDs {
		j, ok := newPlan.Lookup(id)
		switch {
		case !ok:
			c := AccountChange{ID: id, Change: Removed, From: placeOf(oldPlan, i), Values: valuesOf(id), FromSplit: splitOf(oldPlan, i)}
			t := territoryOf(keyOf(oldPlan, i), c.From)
			t.Lost++
			add(t.LostValues, c.Values)
			d.Totals.Removed++
			d.Accounts = append(d.Accounts, c)
		case keyOf(oldPlan, i) != keyOf(newPlan, j):
			c := AccountChange{ID: id, Change: Moved, From: placeOf(oldPlan, i), To: placeOf(newPlan, j), Values: valuesOf(id),
				FromSplit: splitOf(oldPlan, i), ToSplit: splitOf(newPlan, j)}
			from, to := territoryOf(keyOf(oldPlan, i), c.From), territoryOf(keyOf(newPlan, j), c.To)
			from.Lost++
			to.Gained++
			add(from.LostValues, c.Values)
			add(to.GainedValues, c.Values)
			add(d.Totals.MovedValues, c.Values)
			d.Totals.Moved++
			splitChange(&c)
			d.Accounts = append(d.Accounts, c)
		case splitOf(oldPlan, i) != splitOf(newPlan, j):
			// A unit in the same territory, split in one plan only.
			c := AccountChange{ID: id, Change: BecameSplit, From: placeOf(oldPlan, i), To: placeOf(newPlan, j), Values: valuesOf(id),
				FromSplit: splitOf(oldPlan, i), ToSplit: splitOf(newPlan, j)}
			if c.FromSplit {
				c.Change = BecameWhole
			}
			splitChange(&c)
			d.Accounts = append(d.Accounts, c)
		default:
			d.Totals.Unchanged++
		}
	}
	for j, id := range newPlan.IDs {
		if _, ok := oldPlan.Lookup(id); ok {
			continue
		}
		c := AccountChange{ID: id, Change: Added, To: placeOf(newPlan, j), Values: valuesOf(id), ToSplit: splitOf(newPlan, j)}
		t := territoryOf(keyOf(newPlan, j), c.To)
		t.Gained++
		add(t.GainedValues, c.Values)
		d.Totals.Added++
		d.Accounts = append(d.Accounts, c)
	}
	sortByID(d.Accounts, func(c AccountChange) string { return c.ID })

	for _, t := range terr {
		if t.Gained > 0 || t.Lost > 0 {
			d.Territories = append(d.Territories, *t)
		}
	}
	slices.SortFunc(d.Territories, func(a, b TerritoryChange) int {
		if c := territory.CompareIDs(a.Territory, b.Territory); c != 0 {
			return c
		}
		return territory.CompareIDs(a.Rep, b.Rep)
	})
	return d, nil
}

// placeOf is where entry i of plan file f puts its account.
func placeOf(f *tabular.PlanFile, i int) Place {
	var p Place
	if f.HasTerritory {
		p.Territory = f.Territories[i]
	}
	if f.HasRep {
		p.Rep = f.Reps[i]
	}
	return p
}

// splitOf says whether entry i of plan file f is a split unit: false in
// an account table, or in a unit table without a split column (no unit is
// split).
func splitOf(f *tabular.PlanFile, i int) bool {
	return f.Split != nil && f.Split[i]
}

// UnitMeasures gives the measures of the units of layer for comparing unit
// tables, from the accounts placed in them (account i is in unit of[i],
// as features.Layer.Place places it): one entry per unit, in the layer's
// order and with its id, holding the number of its accounts (measure
// territory.CountMeasure, shown as "accounts"; left out when the accounts
// have a count or accounts column of their own) and then every measure of
// the accounts summed over the unit's accounts. An empty unit has zeros.
// A split unit has all its accounts, wherever they are assigned.
func UnitMeasures(layer *territory.UnitLayer, accounts *territory.Accounts, of []int) (*territory.Accounts, error) {
	if len(of) != accounts.Len() {
		return nil, fmt.Errorf("plandiff: units of %d accounts for %d accounts", len(of), accounts.Len())
	}
	m := layer.Len()
	for i, j := range of {
		if j < 0 || j >= m {
			return nil, fmt.Errorf("plandiff: account %q in unit %d, not in 0..%d", accounts.IDs[i], j, m-1)
		}
	}
	u := &territory.Accounts{IDs: layer.IDs, Source: layer.Source}
	count := true
	for _, ms := range accounts.Measures {
		if ms.Name == territory.CountMeasure || territory.NormalizeName(ms.Column) == "accounts" {
			count = false
		}
	}
	if count {
		v := make([]float64, m)
		for _, j := range of {
			v[j]++
		}
		u.Measures = append(u.Measures, territory.Measure{Name: territory.CountMeasure, Column: "accounts", Values: v})
	}
	for _, ms := range accounts.Measures {
		v := make([]float64, m)
		for i, j := range of {
			v[j] += ms.Values[i]
		}
		u.Measures = append(u.Measures, territory.Measure{Name: ms.Name, Column: ms.Column, Values: v})
	}
	return u, nil
}

// sortByID sorts list by the id of each element, with territory.CompareIDs.
func sortByID[T any](list []T, id func(T) string) {
	slices.SortFunc(list, func(a, b T) int { return territory.CompareIDs(id(a), id(b)) })
}
