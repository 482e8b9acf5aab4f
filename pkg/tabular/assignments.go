package tabular

import (
	"bufio"
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// WriteAssignments writes plan pl of problem p as assignments.csv: a header
// row
//
//	account_id,territory_id,rep_id,distance_km
//
// (the last column is "distance" in a planar space, in the unit of the
// coordinates; a grouped problem has the group column, named as
// territory.Problem.GroupColumn, after account_id; accounts placed in a
// layer of units, whose territory.Accounts.Units holds every account's
// unit, have a unit_id column next, after the group column if there is one;
// a plan with levels above the territories ends with a LEVEL_id column per
// level, bottom up, holding the territory's parent), then one row per
// account, sorted by account id with territory.CompareIDs. The distance is from the account to the centre of
// its territory, with three decimals. Lines end in "\n"; fields are quoted
// only where CSV needs it. The same plan always gives the same bytes.
func WriteAssignments(w io.Writer, p *territory.Problem, pl *territory.Plan) error {
	if err := pl.Check(p); err != nil {
		return fmt.Errorf("write assignments: %w", err)
	}
	a := &p.Accounts
	if len(a.Locs) != a.Len() {
		return fmt.Errorf("write assignments: %d locations for %d accounts", len(a.Locs), a.Len())
	}
	order := make([]int, a.Len())
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(i, j int) int {
		if c := territory.CompareIDs(a.IDs[i], a.IDs[j]); c != 0 {
			return c
		}
		return cmp.Compare(i, j) // duplicate ids: input order
	})
	territories := p.TerritoryIDs()

	bw := bufio.NewWriterSize(w, 64<<10)
	cw := csv.NewWriter(bw) // shares bw: it is large enough
	distance := "distance_km"
	if p.Space == territory.Planar {
		distance = "distance"
	}
	grouped := p.Grouped() && len(a.Groups) == a.Len()
	units := a.Units != nil && len(a.Units) == a.Len()
	rec := []string{"account_id"}
	if grouped {
		rec = append(rec, p.GroupColumn)
	}
	if units {
		rec = append(rec, ColUnitID)
	}
	ter := len(rec) // the territory's column; the rep's and the distance follow
	rec = append(rec, "territory_id", "rep_id", distance)
	for _, lv := range pl.Levels {
		rec = append(rec, lv.Level+"_id")
	}
	parents := pl.TerritoryParents(p.K())
	if err := cw.Write(rec); err != nil {
		return fmt.Errorf("write assignments: %w", err)
	}
	for _, i := range order {
		k := pl.Assign[i]
		rec[0] = a.IDs[i]
		if grouped {
			rec[1] = a.Groups[i]
		}
		if units {
			rec[ter-1] = a.Units[i]
		}
		rec[ter] = territories[k]
		rec[ter+1] = p.Reps[k].ID
		rec[ter+2] = formatDistance(spatial.Distance(p.Space, a.Locs[i], pl.Centers[k]))
		for l, lv := range pl.Levels {
			rec[ter+3+l] = lv.IDs[parents[l][k]]
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write assignments: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write assignments: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write assignments: %w", err)
	}
	return nil
}

// formatDistance writes a distance with three decimals, never as "-0.000".
func formatDistance(v float64) string {
	s := strconv.FormatFloat(v, 'f', 3, 64)
	if s == "-0.000" {
		return "0.000"
	}
	return s
}

// WriteMoves writes the accounts of plan pl that change rep, as moves.csv:
// a header row
//
//	account_id,from_rep_id,to_rep_id,from_territory_id,to_territory_id
//
// then one row per account whose owner (today's rep) is a rep of the
// problem and differs from the rep of its new territory, sorted by account
// id with territory.CompareIDs. Accounts without a known owner are not
// moves. Lines end in "\n"; the same plan always gives the same bytes.
func WriteMoves(w io.Writer, p *territory.Problem, pl *territory.Plan) error {
	if err := pl.Check(p); err != nil {
		return fmt.Errorf("write moves: %w", err)
	}
	a := &p.Accounts
	owners := p.OwnerTerritories()
	var moved []int
	for i, o := range owners {
		if o >= 0 && pl.Assign[i] != o {
			moved = append(moved, i)
		}
	}
	slices.SortFunc(moved, func(i, j int) int {
		if c := territory.CompareIDs(a.IDs[i], a.IDs[j]); c != 0 {
			return c
		}
		return cmp.Compare(i, j)
	})
	bw := bufio.NewWriter(w)
	cw := csv.NewWriter(bw)
	if err := cw.Write([]string{"account_id", "from_rep_id", "to_rep_id", "from_territory_id", "to_territory_id"}); err != nil {
		return fmt.Errorf("write moves: %w", err)
	}
	territories := p.TerritoryIDs()
	for _, i := range moved {
		from, to := owners[i], pl.Assign[i]
		if err := cw.Write([]string{a.IDs[i], p.Reps[from].ID, p.Reps[to].ID, territories[from], territories[to]}); err != nil {
			return fmt.Errorf("write moves: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write moves: %w", err)
	}
	return bw.Flush()
}
