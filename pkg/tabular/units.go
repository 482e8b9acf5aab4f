package tabular

import (
	"bufio"
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// Columns of a unit table (units.csv), as [WriteUnits] writes them.
const (
	ColUnitID = "unit_id"
	ColSplit  = "split"
)

// WriteUnits writes how plan pl of problem p covers its layer of units
// (pl.Units, which must be set) as units.csv, the lookup table that a
// CRM's assignment rules load: a header row
//
//	unit_id,territory_id,rep_id
//
// then one row per unit of the layer, empty units included, sorted by
// unit id with territory.CompareIDs. When some unit is split (its
// accounts assigned one by one), a last column split says which ("true"
// or "false"), and a split unit's territory is its default owner: the
// territory of new accounts there. Lines end in "\n"; fields are quoted
// only where CSV needs it; the same plan always gives the same bytes.
func WriteUnits(w io.Writer, p *territory.Problem, pl *territory.Plan) error {
	if err := pl.Check(p); err != nil {
		return fmt.Errorf("write units: %w", err)
	}
	u := pl.Units
	if u == nil {
		return fmt.Errorf("write units: the plan is not made of units")
	}
	ids := u.Layer.IDs
	order := make([]int, len(ids))
	for j := range order {
		order[j] = j
	}
	slices.SortFunc(order, func(i, j int) int {
		if c := territory.CompareIDs(ids[i], ids[j]); c != 0 {
			return c
		}
		return cmp.Compare(i, j)
	})
	split := u.SplitCount() > 0
	territories := p.TerritoryIDs()
	bw := bufio.NewWriter(w)
	cw := csv.NewWriter(bw)
	rec := []string{ColUnitID, ColTerritoryID, ColRepID}
	if split {
		rec = append(rec, ColSplit)
	}
	if err := cw.Write(rec); err != nil {
		return fmt.Errorf("write units: %w", err)
	}
	for _, j := range order {
		k := u.Owner[j]
		rec[0], rec[1], rec[2] = ids[j], territories[k], p.Reps[k].ID
		if split {
			rec[3] = strconv.FormatBool(u.Split[j])
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write units: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write units: %w", err)
	}
	return bw.Flush()
}
