package report

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// WriteTerritoriesCSV writes territories.csv: a header and one row per
// territory, in territory order, with the columns
//
//	territory_id, GROUP (a grouped problem: Metrics.GroupColumn),
//	rep_id, rep_name, capacity, accounts,
//	MEASURE, MEASURE_pct_target   (for each balance rule, in rule order)
//	MEASURE                       (for each other measure, in account order)
//	center_lat, center_lon        (center_x, center_y when planar)
//	center_account, compactness,
//	max_distance_km               (max_distance when planar)
//	pieces, inside_other_hull, neighbour_agreement
//	LEVEL_id                      (for each level above the territories,
//	                               bottom up: the territory's parent)
//
// Measures and percentages have 2 decimals, coordinates 6, compactness and
// distances 3, the neighbour agreement 3; capacities are written in their
// shortest exact form. Lines
// end in \n; fields are quoted only where CSV needs it. Nothing is written
// when a number is not finite.
func WriteTerritoriesCSV(w io.Writer, m *Metrics) error {
	geo := m.Space == territory.Geographic
	header := []string{"territory_id", "rep_id", "rep_name", "capacity", "accounts"}
	if m.GroupColumn != "" {
		header = slices.Insert(header, 1, m.GroupColumn)
	}
	for _, st := range m.Balance {
		header = append(header, st.Name, st.Name+"_pct_target")
	}
	for _, o := range m.Others {
		header = append(header, o.Name)
	}
	if geo {
		header = append(header, "center_lat", "center_lon")
	} else {
		header = append(header, "center_x", "center_y")
	}
	header = append(header, "center_account", "compactness")
	if geo {
		header = append(header, "max_distance_km")
	} else {
		header = append(header, "max_distance")
	}
	header = append(header, "pieces", "inside_other_hull", "neighbour_agreement")
	for _, lv := range m.Levels {
		header = append(header, lv.Name+"_id")
	}

	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	if err := cw.Write(header); err != nil {
		return err
	}
	row := make([]string, 0, len(header))
	for k, t := range m.Territories {
		row = row[:0]
		row = append(row, t.ID)
		if m.GroupColumn != "" {
			row = append(row, t.Group)
		}
		row = append(row, t.RepID, t.RepName,
			strconv.FormatFloat(t.Capacity, 'f', -1, 64), strconv.Itoa(t.Accounts))
		nums := []float64{t.Capacity}
		for _, l := range t.Loads {
			row = append(row, fixed(l.Load, 2), fixed(l.PctTarget, 2))
			nums = append(nums, l.Load, l.PctTarget)
		}
		for _, v := range t.Others {
			row = append(row, fixed(v, 2))
			nums = append(nums, v)
		}
		first, second := t.Center.Y, t.Center.X // lat, lon
		if !geo {
			first, second = t.Center.X, t.Center.Y
		}
		row = append(row, fixed(first, 6), fixed(second, 6), t.CenterAccount,
			fixed(t.Compactness, 3), fixed(t.MaxDistance, 3))
		ts := m.Shape.territory(k)
		row = append(row, strconv.Itoa(ts.Pieces), strconv.Itoa(ts.InsideOtherHull), fixed(ts.NeighbourAgreement, 3))
		row = append(row, t.Parents...)
		nums = append(nums, first, second, t.Compactness, t.MaxDistance, ts.NeighbourAgreement)
		for _, v := range nums {
			if !territory.Finite(v) {
				return fmt.Errorf("report: write territories: territory %s: %v is not a finite number", t.ID, v)
			}
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}
