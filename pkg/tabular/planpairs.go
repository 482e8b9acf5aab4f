package tabular

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// maxMovedWarnings is how many rows read as moved (see pairPlan) are
// warned about one by one; one more warning counts the rest.
const maxMovedWarnings = 20

// planPair is a territory and a rep that rows of a plan file name
// together, and how many rows do.
type planPair struct {
	ter, rep string
	rows     int
}

// planPairing is the rep of every territory and the territory of every
// rep, as the rows of a plan file agree on them (see pairPlan).
type planPairing struct {
	repOf, terOf map[string]string // "" or absent: no partner
	// tied marks the territories and reps whose rows name two partners
	// as often, where pairing them would have been a guess.
	tiedTer, tiedRep map[string]bool
	// pairs lists every pair the rows name, by territory and rep.
	pairs []planPair
	// terRows and repRows count the rows of each territory and rep.
	terRows, repRows map[string]int
	// noun is what the rows are: "account", or "unit" in a unit table.
	noun string
}

// pairPlanColumns pairs the territories and reps of a plan file's rows:
// pairs are taken in order of how many rows name them, most first; a pair
// is made when neither its territory nor its rep has a partner yet; and
// where pairs named by as many rows compete for one territory or one rep,
// none of them is made and that territory or rep gets no partner (it has
// no clear majority). Where every territory's rows name mostly one rep
// and that rep's rows mostly that territory, those are the pairs.
func pairPlanColumns(ters, reps []string) *planPairing {
	pp := &planPairing{
		repOf: map[string]string{}, terOf: map[string]string{},
		tiedTer: map[string]bool{}, tiedRep: map[string]bool{},
		terRows: map[string]int{}, repRows: map[string]int{},
		noun: "account",
	}
	count := map[[2]string]int{}
	for i, t := range ters {
		count[[2]string{t, reps[i]}]++
		pp.terRows[t]++
		pp.repRows[reps[i]]++
	}
	for k, n := range count {
		pp.pairs = append(pp.pairs, planPair{ter: k[0], rep: k[1], rows: n})
	}
	// Most rows first; the ids make the order total, though no decision
	// depends on it within a count.
	slices.SortFunc(pp.pairs, func(a, b planPair) int {
		if c := cmp.Compare(b.rows, a.rows); c != 0 {
			return c
		}
		if c := territory.CompareIDs(a.ter, b.ter); c != 0 {
			return c
		}
		return territory.CompareIDs(a.rep, b.rep)
	})
	free := func(p planPair) bool {
		return pp.repOf[p.ter] == "" && pp.terOf[p.rep] == "" && !pp.tiedTer[p.ter] && !pp.tiedRep[p.rep]
	}
	for lo := 0; lo < len(pp.pairs); {
		hi := lo
		for hi < len(pp.pairs) && pp.pairs[hi].rows == pp.pairs[lo].rows {
			hi++
		}
		// The pairs of one count that could still be made: a territory or
		// rep in two of them is tied.
		terSeen, repSeen := map[string]int{}, map[string]int{}
		for _, p := range pp.pairs[lo:hi] {
			if free(p) {
				terSeen[p.ter]++
				repSeen[p.rep]++
			}
		}
		for _, p := range pp.pairs[lo:hi] {
			if !free(p) {
				continue
			}
			if terSeen[p.ter] > 1 {
				pp.tiedTer[p.ter] = true
			}
			if repSeen[p.rep] > 1 {
				pp.tiedRep[p.rep] = true
			}
		}
		for _, p := range pp.pairs[lo:hi] {
			if free(p) {
				pp.repOf[p.ter], pp.terOf[p.rep] = p.rep, p.ter
			}
		}
		lo = hi
	}
	return pp
}

// pairPlan checks that the territory and rep columns of a plan file agree,
// and reads the rows where only the territory was changed. The territories
// and reps are paired as pairPlanColumns pairs them; then each row
// (territory t, rep r):
//
//   - agrees when t and r are paired with each other;
//   - was moved when t is paired with another rep r' and r with another
//     territory: only its territory column was changed (the rep column
//     still names the rep of the territory the account was in). The row is
//     read as (t, r'), with a warning naming it;
//   - conflicts otherwise (t or r has no partner): an error naming the row.
//
// Rows that agree are never named. The errors are added to p in row order,
// after the first start problems listed.
func pairPlan(f *PlanFile, p *problems, start int) {
	pp := pairPlanColumns(f.Territories, f.Reps)
	pp.noun = f.noun()
	var errs []*territory.InputError
	moved := 0
	for i := range f.IDs {
		t, r := f.Territories[i], f.Reps[i]
		rt, tr := pp.repOf[t], pp.terOf[r]
		switch {
		case rt == r:
		case rt != "" && tr != "":
			moved++
			if moved <= maxMovedWarnings {
				p.warn(f.Rows[i], f.RepCol, fmt.Sprintf(
					"%s %q is in territory %q with rep %q, the rep of territory %q: read as rep %q, the rep of %q (%s moved by changing its territory only)",
					pp.noun, f.IDs[i], t, r, tr, rt, t, article(pp.noun)))
			}
			f.Reps[i] = rt
		case rt == "":
			errs = append(errs, p.problem(f.Rows[i], f.TerritoryCol, pp.noRepMsg(t, r)))
		default:
			errs = append(errs, p.problem(f.Rows[i], f.RepCol, pp.noTerritoryMsg(t, r)))
		}
	}
	if more := moved - maxMovedWarnings; more > 0 {
		p.warn(0, "", fmt.Sprintf("%d more %s read with the rep of %s territory (%ss moved by changing the territory only)",
			more, plural(more, "row", "rows"), plural(more, "its", "their"), pp.noun))
	}
	p.InsertByRow(start, errs)
}

// article writes a plan file's noun with its indefinite article: "an
// account", "a unit".
func article(noun string) string {
	if noun == "account" {
		return "an account"
	}
	return "a " + noun
}

// noRepMsg says why territory t, named on a row with rep r, has no rep.
func (pp *planPairing) noRepMsg(t, r string) string {
	fix := "give each territory's rows one rep, or change only the territory column to move " + article(pp.noun)
	if pp.tiedTer[t] {
		return fmt.Sprintf("territory %q has no clear rep: its rows name %s: %s", t, pp.partners(t, true), fix)
	}
	// Every rep its rows name is another territory's (or tied there).
	return fmt.Sprintf("territory %q has no rep of its own: its rows name %s, and rep %q is %s: %s",
		t, pp.partners(t, true), r, pp.repWhere(r), fix)
}

// noTerritoryMsg says why rep r, named on a row of territory t (which has
// a rep), has no territory.
func (pp *planPairing) noTerritoryMsg(t, r string) string {
	rt := pp.repOf[t]
	if pp.tiedRep[r] {
		return fmt.Sprintf("rep %q has no clear territory: its rows name %s; territory %q has rep %q (change the rep to %q to keep the %s in %q)",
			r, pp.partners(r, false), t, rt, rt, pp.noun, t)
	}
	return fmt.Sprintf("rep %q is not the rep of any territory in the file; territory %q has rep %q on %d of its %d rows (change the rep to %q to keep the %s in %q)",
		r, t, rt, pp.rows(t, rt), pp.terRows[t], rt, pp.noun, t)
}

// repWhere says where rep r belongs: "the rep of territory "T01"", or why
// it belongs nowhere.
func (pp *planPairing) repWhere(r string) string {
	if t := pp.terOf[r]; t != "" {
		return fmt.Sprintf("the rep of territory %q", t)
	}
	if pp.tiedRep[r] {
		return "in no clear territory (its rows name " + pp.partners(r, false) + ")"
	}
	return "the rep of no territory"
}

// rows is how many rows name territory t with rep r.
func (pp *planPairing) rows(t, r string) int {
	for _, p := range pp.pairs {
		if p.ter == t && p.rep == r {
			return p.rows
		}
	}
	return 0
}

// partners lists the reps that rows of territory id name (ofTer), or the
// territories that rows of rep id name, most rows first: "rep "R1" (3
// rows) and rep "R2" (3 rows)"; at most four, then how many more.
func (pp *planPairing) partners(id string, ofTer bool) string {
	var parts []string
	n := 0
	for _, p := range pp.pairs {
		other := p.ter
		if ofTer {
			if p.ter != id {
				continue
			}
			other = p.rep
		} else if p.rep != id {
			continue
		}
		if n++; n <= 4 {
			what := "territory"
			if ofTer {
				what = "rep"
			}
			parts = append(parts, fmt.Sprintf("%s %q (%d %s)", what, other, p.rows, plural(p.rows, "row", "rows")))
		}
	}
	if n > 4 {
		parts = append(parts, fmt.Sprintf("%d more", n-4))
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}
