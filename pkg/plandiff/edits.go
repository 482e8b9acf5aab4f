package plandiff

import (
	"fmt"

	"github.com/territory-optimizer/territory/pkg/tabular"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// Causes of a change, when the edits made by hand between the plans are
// known ([CompareEdits]).
const (
	ByEdit      = "edit"          // the account is where an edit puts it
	ByRebalance = "rebalance"     // no edit names the account: the rebalance around the edits moved it
	NotAsEdited = "not as edited" // an edit names the account, but the new plan has it elsewhere
)

// Edits sums up what the edits made by hand did between the two plans.
type Edits struct {
	File      string // the edits file's name
	MatchedBy string // territory_id or rep_id: how the edits' territories are matched with the new plan's
	Rows      int    // rows in the edits file
	// ByEdit, ByRebalance and NotAsEdited count the accounts that changed
	// (moved or added) by cause.
	ByEdit, ByRebalance, NotAsEdited int
	// NotKept lists, sorted by account id, the edits that the new plan
	// does not keep: the account is elsewhere, or not in it.
	NotKept []EditNotKept
}

// EditNotKept is an edit that the new plan does not keep.
type EditNotKept struct {
	ID   string
	Row  int   // the edit's row in its file
	Edit Place // where the edit puts the account
	New  Place // where the new plan has it; zero when the account is not in it
}

// CompareEdits compares two plans as [Compare] does and, when edits is not
// nil, tells the changes that edits made by hand from those that came with
// them (a rebalance around the edits, as `territory solve --fix` makes
// one): every changed account gets its Cause, and d.Edits counts them and
// lists the edits the new plan does not keep. An edit is a row of the
// edits file; its territory is matched with the new plan's by territory_id
// when both files have that column (the territory column decides, as
// `territory solve --fix` reads edits), else by rep_id. An account the
// edits name that is in neither plan is an error naming its row, as is an
// edits file with no column in common with the new plan. Edits go with
// account tables only: with unit tables, or an edits file that is a unit
// table, it fails with a *TableError.
func CompareEdits(oldPlan, newPlan, edits *tabular.PlanFile, accounts *territory.Accounts) (*Diff, error) {
	if err := CheckTables(oldPlan, newPlan, edits); err != nil {
		return nil, err
	}
	d, err := Compare(oldPlan, newPlan, accounts)
	if err != nil || edits == nil {
		return d, err
	}
	var key string
	switch {
	case edits.HasTerritory && newPlan.HasTerritory:
		key = tabular.ColTerritoryID
	case edits.HasRep && newPlan.HasRep:
		key = tabular.ColRepID
	default:
		return nil, &territory.InputError{What: "diff", File: edits.Name,
			Msg: fmt.Sprintf("nothing to match the edits by: %q has only %s and %q only %s (give both files rep_id or territory_id)",
				edits.Name, edits.KeyColumn(), newPlan.Name, newPlan.KeyColumn())}
	}
	keyOf := func(f *tabular.PlanFile, i int) string {
		if key == tabular.ColRepID {
			return f.Reps[i]
		}
		return f.Territories[i]
	}
	e := &Edits{File: edits.Name, MatchedBy: key, Rows: edits.Len()}
	errs := &territory.InputErrors{What: "diff", File: edits.Name}
	cause := make(map[string]string, edits.Len())
	for r, id := range edits.IDs {
		j, inNew := newPlan.Lookup(id)
		if _, inOld := oldPlan.Lookup(id); !inNew && !inOld {
			errs.Addf(edits.Rows[r], edits.AccountCol, "account %q is in neither plan", id)
			continue
		}
		if inNew && keyOf(newPlan, j) == keyOf(edits, r) {
			cause[id] = ByEdit
			continue
		}
		cause[id] = NotAsEdited
		nk := EditNotKept{ID: id, Row: edits.Rows[r], Edit: placeOf(edits, r)}
		if inNew {
			nk.New = placeOf(newPlan, j)
		}
		e.NotKept = append(e.NotKept, nk)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	sortByID(e.NotKept, func(n EditNotKept) string { return n.ID })
	for i := range d.Accounts {
		c := &d.Accounts[i]
		if c.Change == Removed {
			continue
		}
		c.Cause = cause[c.ID]
		switch c.Cause {
		case ByEdit:
			e.ByEdit++
		case NotAsEdited:
			e.NotAsEdited++
		default:
			c.Cause = ByRebalance
			e.ByRebalance++
		}
	}
	d.Edits = e
	return d, nil
}
