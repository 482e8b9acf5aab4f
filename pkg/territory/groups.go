package territory

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Group is one group of a grouped problem (see [Problem.GroupColumn]): a
// region, a segment, a country, whose accounts only its own reps may own.
type Group struct {
	// Name is the group's value in the group column.
	Name string
	// Accounts and Reps are the indices, in the problem's order, of the
	// group's accounts and reps.
	Accounts, Reps []int
}

// Grouped reports whether the problem is split into groups.
func (p *Problem) Grouped() bool { return p.GroupColumn != "" }

// Groups returns the groups of a grouped problem, sorted by name with
// [CompareIDs], each listing its accounts and reps in the problem's order;
// a group that only accounts or only reps name is listed too (Validate
// refuses it). It returns nil for a problem that is not grouped.
func (p *Problem) Groups() []Group {
	if !p.Grouped() {
		return nil
	}
	index := make(map[string]int)
	var groups []Group
	at := func(name string) *Group {
		g, ok := index[name]
		if !ok {
			g = len(groups)
			index[name] = g
			groups = append(groups, Group{Name: name})
		}
		return &groups[g]
	}
	for k, r := range p.Reps {
		g := at(r.Group)
		g.Reps = append(g.Reps, k)
	}
	for i := range p.Accounts.IDs {
		g := at(p.Accounts.group(i))
		g.Accounts = append(g.Accounts, i)
	}
	slices.SortFunc(groups, func(a, b Group) int { return CompareIDs(a.Name, b.Name) })
	return groups
}

// group is the group of account i ("" when the accounts have none).
func (a *Accounts) group(i int) string {
	if i < len(a.Groups) {
		return a.Groups[i]
	}
	return ""
}

// Subproblem returns the problem of group g alone: its accounts and reps,
// in the problem's order, with the same rules, objective, centre, weight
// and group column, and the adjacency between its accounts. It is the
// problem that reading only the group's rows gives, so that solving it
// gives the same plan as solving those rows alone. Slices of values are
// copied; the problem is not changed.
func (p *Problem) Subproblem(g Group) *Problem {
	a := &p.Accounts
	sub := &Problem{
		Space:       p.Space,
		Rules:       p.Rules,
		Objective:   p.Objective,
		Center:      p.Center,
		Weight:      p.Weight,
		GroupColumn: p.GroupColumn,
		Reps:        make([]Rep, len(g.Reps)),
	}
	for j, k := range g.Reps {
		sub.Reps[j] = p.Reps[k]
	}
	n := len(g.Accounts)
	sa := &sub.Accounts
	sa.Source = a.Source
	sa.IDs = make([]string, n)
	sa.Locs = make([]Point, n)
	for j, i := range g.Accounts {
		sa.IDs[j], sa.Locs[j] = a.IDs[i], a.Locs[i]
	}
	pick := func(all []string) []string {
		if all == nil {
			return nil
		}
		out := make([]string, n)
		for j, i := range g.Accounts {
			out[j] = all[i]
		}
		return out
	}
	sa.Names, sa.Owners, sa.Groups = pick(a.Names), pick(a.Owners), pick(a.Groups)
	if a.Locked != nil {
		sa.Locked = make([]bool, n)
		for j, i := range g.Accounts {
			sa.Locked[j] = a.Locked[i]
		}
	}
	if a.Rows != nil {
		sa.Rows = make([]int, n)
		for j, i := range g.Accounts {
			sa.Rows[j] = a.Rows[i]
		}
	}
	sa.Measures = make([]Measure, len(a.Measures))
	for m, ms := range a.Measures {
		v := make([]float64, n)
		for j, i := range g.Accounts {
			v[j] = ms.Values[i]
		}
		sa.Measures[m] = Measure{Name: ms.Name, Column: ms.Column, Values: v}
	}
	if p.Adjacency != nil {
		local := make(map[int32]int32, n)
		for j, i := range g.Accounts {
			local[int32(i)] = int32(j)
		}
		sub.Adjacency = make([][]int32, n)
		for j, i := range g.Accounts {
			var nb []int32
			for _, o := range p.Adjacency[i] {
				if l, ok := local[o]; ok {
					nb = append(nb, l)
				}
			}
			sub.Adjacency[j] = nb // sorted: the group keeps the problem's order
		}
	}
	return sub
}

// TerritoryIDs returns the identifier of every territory in outputs: T1..TK,
// zero padded to the width of K (T01..T25); in a grouped problem, the
// group's name, a dash and the territory's number within its group, padded
// to the width of the group's number of territories (East-T1..East-T9,
// West-T01..West-T12).
func (p *Problem) TerritoryIDs() []string {
	ids := make([]string, p.K())
	if !p.Grouped() {
		width := len(strconv.Itoa(p.K()))
		for k := range ids {
			ids[k] = fmt.Sprintf("T%0*d", width, k+1)
		}
		return ids
	}
	// From the reps alone: a problem of a million accounts names its
	// territories without a pass over them.
	count := make(map[string]int)
	for _, r := range p.Reps {
		count[r.Group]++
	}
	seen := make(map[string]int)
	for k, r := range p.Reps {
		seen[r.Group]++
		width := len(strconv.Itoa(count[r.Group]))
		ids[k] = fmt.Sprintf("%s-T%0*d", r.Group, width, seen[r.Group])
	}
	return ids
}

// validateGroups adds the problems of a grouped problem's groups: accounts
// or reps without one, a group of accounts without reps, a group of reps
// without accounts.
func (p *Problem) validateGroups(add func(*InputError)) {
	if !p.Grouped() {
		return
	}
	a := &p.Accounts
	if len(a.Groups) != a.Len() {
		add(&InputError{What: "accounts", File: a.Source, Column: p.GroupColumn,
			Msg: fmt.Sprintf("%d groups for %d accounts", len(a.Groups), a.Len())})
		return
	}
	for _, g := range p.Groups() {
		switch {
		case g.Name == "" && len(g.Accounts) > 0:
			for _, i := range g.Accounts {
				add(&InputError{What: "accounts", File: a.Source, Row: a.row(i), Column: p.GroupColumn, Msg: "empty group"})
			}
		case g.Name == "":
			for _, k := range g.Reps {
				add(&InputError{What: "reps", Row: p.Reps[k].Row, Column: p.GroupColumn, Msg: "empty group"})
			}
		case len(g.Reps) == 0:
			add(&InputError{What: "accounts", File: a.Source, Column: p.GroupColumn,
				Msg: fmt.Sprintf("group %q has %d %s and no rep (%s); give it reps or leave its accounts out",
					g.Name, len(g.Accounts), plural(len(g.Accounts), "account", "accounts"), a.rowList(g.Accounts))})
		case len(g.Accounts) == 0:
			for _, k := range g.Reps {
				add(&InputError{What: "reps", Row: p.Reps[k].Row, Column: p.GroupColumn,
					Msg: fmt.Sprintf("rep %q is in group %q, which has no accounts", p.Reps[k].ID, g.Name)})
			}
		case len(g.Reps) > len(g.Accounts):
			add(&InputError{What: "problem", Msg: fmt.Sprintf("group %q: %d territories for %d accounts: every territory needs at least one account",
				g.Name, len(g.Reps), len(g.Accounts))})
		}
	}
	// A locked account stays with its owner, who must be of its group.
	owners := p.OwnerTerritories()
	for i, locked := range a.Locked {
		if k := owners[i]; locked && k >= 0 && p.Reps[k].Group != a.Groups[i] {
			add(&InputError{What: "accounts", File: a.Source, Row: a.row(i), Column: "locked",
				Msg: fmt.Sprintf("account %q of group %q is locked to rep %q of group %q", a.IDs[i], a.Groups[i], p.Reps[k].ID, p.Reps[k].Group)})
		}
	}
}

// rowList names the rows of accounts: the first few, and how many more.
func (a *Accounts) rowList(idx []int) string {
	const most = 5
	var parts []string
	for _, i := range idx[:min(len(idx), most)] {
		parts = append(parts, rowName(a.row(i), i))
	}
	s := strings.Join(parts, ", ")
	if len(idx) > most {
		s += fmt.Sprintf(" and %d more", len(idx)-most)
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
