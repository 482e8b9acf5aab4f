package territory

import (
	"fmt"
	"slices"
	"strconv"
)

// Fix puts one account in one territory by hand: a row of an edits file,
// kept fixed while the rest of a plan is rebalanced around it.
type Fix struct {
	Account   int // index into the problem's accounts
	Territory int // index into its reps (territory k belongs to Reps[k])
	Row       int // the fix's 1-based row in its file, for messages; 0 when unknown
}

// WithPlan returns a copy of p whose owners are those of plan assign
// (every account's territory, -1 where it has none): today's plan, from
// which moves are counted and a rebalance starts. Locked accounts stay
// with these owners. The copy shares everything with p but its owners.
func (p *Problem) WithPlan(assign []int) *Problem {
	q := *p
	q.Accounts.Owners = make([]string, p.Accounts.Len())
	for i, k := range assign {
		if k >= 0 {
			q.Accounts.Owners[i] = p.Reps[k].ID
		}
	}
	return &q
}

// WithFixes returns a copy of p with every fix applied on top of today's
// alignment (p's owners) and locked there: each fixed account's owner
// becomes the rep of its territory, and it must stay with it, as a locked
// account does. A fix that puts an account where its owner already has it
// changes nothing and is not kept: an edits file may be a whole plan, of
// which only the rows that move an account are edits. edits lists the
// fixes kept, in the order given. p's own locks stay.
//
// Every fix that moves a locked account away from its owner is an error,
// an *InputError of file (what "read edits") naming the fix's row, joined
// with the others; the copy is then nil. p itself is not modified.
func (p *Problem) WithFixes(fixes []Fix, file string) (q *Problem, edits []Fix, err error) {
	a := &p.Accounts
	owners := p.OwnerTerritories()
	errs := &InputErrors{What: "read edits", File: file}
	for _, f := range fixes {
		if f.Territory == owners[f.Account] {
			continue
		}
		if f.Account < len(a.Locked) && a.Locked[f.Account] {
			errs.AddError(&InputError{What: errs.What, File: file, Row: f.Row, Msg: fmt.Sprintf(
				"account %q is locked with rep %q (%s of %q): the edit cannot move it to %s; unlock the account or drop the edit",
				a.IDs[f.Account], a.Owners[f.Account], rowName(a.row(f.Account), f.Account), a.Source, p.territoryName(f.Territory))})
			continue
		}
		edits = append(edits, f)
	}
	if err := errs.Err(); err != nil {
		return nil, nil, err
	}
	c := *p
	c.Accounts.Owners = make([]string, a.Len())
	if a.Owners != nil {
		copy(c.Accounts.Owners, a.Owners)
	}
	c.Accounts.Locked = make([]bool, a.Len())
	copy(c.Accounts.Locked, a.Locked)
	for _, f := range edits {
		c.Accounts.Owners[f.Account] = p.Reps[f.Territory].ID
		c.Accounts.Locked[f.Account] = true
	}
	return &c, slices.Clip(edits), nil
}

// territoryName names territory k for people: "T05 (rep R05)", or its id
// alone when the rep's id is the same.
func (p *Problem) territoryName(k int) string {
	id := p.TerritoryID(k)
	if r := p.Reps[k].ID; r != id {
		return id + " (rep " + strconv.Quote(r) + ")"
	}
	return id
}
