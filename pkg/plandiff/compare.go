package plandiff

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/territory-optimizer/territory/pkg/tabular"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// Kinds of change of one account between two plans.
const (
	Moved   = "moved"   // in both plans, in another territory
	Added   = "added"   // only in the new plan
	Removed = "removed" // only in the old plan
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

// AccountChange is one account that changed between the plans.
type AccountChange struct {
	ID     string
	Change string // moved, added or removed
	// Cause, with edits ([CompareEdits]), says why a moved or added
	// account changed: ByEdit, ByRebalance or NotAsEdited; "" otherwise.
	Cause  string
	From   Place // zero when added
	To     Place // zero when removed
	Values []float64
}

// TerritoryChange sums up what one territory gained and lost.
type TerritoryChange struct {
	Territory, Rep string
	Old, New       int // accounts in the territory in each plan
	Gained, Lost   int // accounts moved in or added; moved out or removed
	// GainedValues and LostValues sum the measures of those accounts.
	GainedValues, LostValues []float64
}

// Totals counts the accounts of the comparison.
type Totals struct {
	Old, New                         int // accounts in each plan
	Unchanged, Moved, Added, Removed int
	// MovedValues sums the measures of the moved accounts.
	MovedValues []float64
}

// Diff is the comparison of two plans.
type Diff struct {
	Old, New  string // the plans' names
	MatchedBy string // rep_id or territory_id
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

// Differs reports whether some account moved, was added or was removed.
func (d *Diff) Differs() bool { return len(d.Accounts) > 0 }

// Compare compares two plans. accounts, when not nil, gives the accounts'
// measures. It fails, naming the new plan, when the plans have no
// territory column in common to match territories by.
func Compare(oldPlan, newPlan *tabular.PlanFile, accounts *territory.Accounts) (*Diff, error) {
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
	d := &Diff{Old: oldPlan.Name, New: newPlan.Name, MatchedBy: key}
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

	for i, id := range oldPlan.IDs {
		j, ok := newPlan.Lookup(id)
		switch {
		case !ok:
			c := AccountChange{ID: id, Change: Removed, From: placeOf(oldPlan, i), Values: valuesOf(id)}
			t := territoryOf(keyOf(oldPlan, i), c.From)
			t.Lost++
			add(t.LostValues, c.Values)
			d.Totals.Removed++
			d.Accounts = append(d.Accounts, c)
		case keyOf(oldPlan, i) != keyOf(newPlan, j):
			c := AccountChange{ID: id, Change: Moved, From: placeOf(oldPlan, i), To: placeOf(newPlan, j), Values: valuesOf(id)}
			from, to := territoryOf(keyOf(oldPlan, i), c.From), territoryOf(keyOf(newPlan, j), c.To)
			from.Lost++
			to.Gained++
			add(from.LostValues, c.Values)
			add(to.GainedValues, c.Values)
			add(d.Totals.MovedValues, c.Values)
			d.Totals.Moved++
			d.Accounts = append(d.Accounts, c)
		default:
			d.Totals.Unchanged++
		}
	}
	for j, id := range newPlan.IDs {
		if _, ok := oldPlan.Lookup(id); ok {
			continue
		}
		c := AccountChange{ID: id, Change: Added, To: placeOf(newPlan, j), Values: valuesOf(id)}
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

// sortByID sorts list by the id of each element, with territory.CompareIDs.
func sortByID[T any](list []T, id func(T) string) {
	slices.SortFunc(list, func(a, b T) int { return territory.CompareIDs(id(a), id(b)) })
}
