package plandiff

import (
	"cmp"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/territory-optimizer/territory/pkg/tabular"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// WriteText writes the comparison for people: a headline, the
// accounts that changed, the territories that gained or lost; with edits,
// the cause of each change and the edits the new plan does not keep.
// Nothing when the plans are the same and every edit is kept. Unit tables
// are written in the words of units: the units that changed, with a split
// column when some of them is split in either plan.
func WriteText(w io.Writer, d *Diff) error {
	if d.Differs() {
		if err := writeChanges(w, d); err != nil {
			return err
		}
	}
	if d.Edits == nil || len(d.Edits.NotKept) == 0 {
		return nil
	}
	if d.Differs() {
		fmt.Fprintln(w)
	}
	e := d.Edits
	if _, err := fmt.Fprintf(w, "%s of the %s of %q %s not kept in %q:\n\n", grouped(float64(len(e.NotKept)), 0),
		Count(e.Rows, "edit", "edits"), e.File, plural(len(e.NotKept), "is", "are"), d.New); err != nil {
		return err
	}
	nk := &textTable{}
	nk.row([]string{"account", "row", "edit", "new plan"}, 4)
	for _, n := range e.NotKept {
		nk.row([]string{n.ID, strconv.Itoa(n.Row), n.Edit.String(), n.New.String()}, 4)
	}
	return nk.write(w)
}

// writeChanges writes the headline, the accounts that changed and the
// territories that gained or lost.
func writeChanges(w io.Writer, d *Diff) error {
	t := d.Totals
	one, many := d.Nouns()
	head := fmt.Sprintf("%s of %s moved to another territory", Count(t.Moved, one, many), grouped(float64(t.Old), 0))
	if t.Added > 0 || t.Removed > 0 {
		head += fmt.Sprintf("; %s added, %s removed", grouped(float64(t.Added), 0), grouped(float64(t.Removed), 0))
	}
	if t.Split > 0 || t.Whole > 0 {
		head += fmt.Sprintf("; %s became split, %s whole", grouped(float64(t.Split), 0), grouped(float64(t.Whole), 0))
	}
	if e := d.Edits; e != nil {
		head += fmt.Sprintf("; %s by the edits of %q, %s by the rebalance", grouped(float64(e.ByEdit), 0), e.File, grouped(float64(e.ByRebalance), 0))
		if e.NotAsEdited > 0 {
			head += fmt.Sprintf(", %s not as edited", grouped(float64(e.NotAsEdited), 0))
		}
	}
	for m, name := range d.Measures {
		if t.Moved > 0 {
			head += fmt.Sprintf("; %s %s moved", grouped(t.MovedValues[m], 2), name)
		}
	}
	if _, err := fmt.Fprintln(w, head); err != nil {
		return err
	}

	acc := &textTable{}
	head2 := []string{one, "change"}
	if d.Edits != nil {
		head2 = append(head2, "cause")
	}
	head2 = append(head2, "from", "to")
	split := slices.ContainsFunc(d.Accounts, func(c AccountChange) bool { return c.FromSplit || c.ToSplit })
	if split {
		head2 = append(head2, "split")
	}
	text := len(head2)
	acc.row(append(head2, d.Measures...), text)
	for _, c := range d.Accounts {
		r := []string{c.ID, c.Change}
		if d.Edits != nil {
			r = append(r, cmp.Or(c.Cause, "-"))
		}
		r = append(r, c.From.String(), c.To.String())
		if split {
			r = append(r, splitText(c))
		}
		for _, v := range c.Values {
			r = append(r, grouped(v, 2))
		}
		acc.row(r, text)
	}
	fmt.Fprintln(w)
	if err := acc.write(w); err != nil {
		return err
	}
	if split {
		fmt.Fprintln(w)
		if _, err := fmt.Fprintln(w, "a split unit's territory is its default owner, the territory of new accounts there: assignments.csv holds the territory of each of its accounts"); err != nil {
			return err
		}
	}

	ter := &textTable{}
	h := []string{"territory", "rep", "before", "after", "gained", "lost"}
	for _, name := range d.Measures {
		h = append(h, name+" gained", name+" lost", name+" net")
	}
	ter.row(h, 2)
	for _, tc := range d.Territories {
		r := []string{cmp.Or(tc.Territory, "-"), cmp.Or(tc.Rep, "-"), grouped(float64(tc.Old), 0), grouped(float64(tc.New), 0),
			grouped(float64(tc.Gained), 0), grouped(float64(tc.Lost), 0)}
		for m := range d.Measures {
			r = append(r, grouped(tc.GainedValues[m], 2), grouped(tc.LostValues[m], 2), signed(tc.GainedValues[m]-tc.LostValues[m]))
		}
		ter.row(r, 2)
	}
	fmt.Fprintln(w)
	return ter.write(w)
}

// Nouns names what the plans' rows are, for people: "account" and
// "accounts", or "unit" and "units" for unit tables.
func (d *Diff) Nouns() (one, many string) {
	if d.Units {
		return "unit", "units"
	}
	return "account", "accounts"
}

// splitText says for people whether a unit is split: "split" or "whole"
// in the one plan it is in, or in both, or how that changed ("whole ->
// split").
func splitText(c AccountChange) string {
	word := func(split bool) string {
		if split {
			return "split"
		}
		return "whole"
	}
	switch {
	case c.Change == Added:
		return word(c.ToSplit)
	case c.Change == Removed || c.FromSplit == c.ToSplit:
		return word(c.FromSplit)
	}
	return word(c.FromSplit) + " -> " + word(c.ToSplit)
}

// textTable is an aligned table: text columns left-aligned, numbers
// right-aligned.
type textTable struct {
	rows [][]string
	text int // the first text columns; the rest are numbers
}

func (t *textTable) row(cells []string, text int) {
	t.rows = append(t.rows, cells)
	t.text = text
}

func (t *textTable) write(w io.Writer) error {
	var width []int
	for _, r := range t.rows {
		for j, c := range r {
			if j >= len(width) {
				width = append(width, 0)
			}
			width[j] = max(width[j], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	for _, r := range t.rows {
		b.Reset()
		for j, c := range r {
			pad := strings.Repeat(" ", width[j]-utf8.RuneCountInString(c))
			if j > 0 {
				b.WriteString("  ")
			}
			if j < t.text {
				b.WriteString(c)
				if j < len(r)-1 {
					b.WriteString(pad)
				}
			} else {
				b.WriteString(pad + c)
			}
		}
		if _, err := fmt.Fprintln(w, b.String()); err != nil {
			return err
		}
	}
	return nil
}

// grouped writes v with thousands separators and at most prec decimals,
// trailing zeros dropped.
func grouped(v float64, prec int) string {
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return territory.GroupDigits(s)
}

// signed writes a change with its sign: +12.5, -3, 0.
func signed(v float64) string {
	s := grouped(v, 2)
	if s != "0" && !strings.HasPrefix(s, "-") {
		return "+" + s
	}
	return s
}

// Count writes a count with its noun, for people: "1 account", "1,234
// accounts".
func Count(n int, one, many string) string {
	return grouped(float64(n), 0) + " " + plural(n, one, many)
}

// WriteCSV writes one row per changed account, sorted by id:
// account_id, change, with edits its cause, from_territory_id,
// from_rep_id, to_territory_id, to_rep_id and the value of every measure
// (with --accounts). For unit tables, one row per changed unit: unit_id,
// change, the four territory columns, from_split and to_split (true or
// false; empty when the unit is not in that plan), then the measures.
func WriteCSV(w io.Writer, d *Diff) error {
	cw := csv.NewWriter(w)
	header := []string{tabular.ColAccountID, "change"}
	if d.Units {
		header[0] = tabular.ColUnitID
	}
	if d.Edits != nil {
		header = append(header, "cause")
	}
	header = append(header, "from_territory_id", "from_rep_id", "to_territory_id", "to_rep_id")
	if d.Units {
		header = append(header, "from_split", "to_split")
	}
	if err := cw.Write(append(header, d.Measures...)); err != nil {
		return err
	}
	for _, c := range d.Accounts {
		rec := []string{c.ID, c.Change}
		if d.Edits != nil {
			rec = append(rec, c.Cause)
		}
		rec = append(rec, c.From.Territory, c.From.Rep, c.To.Territory, c.To.Rep)
		if d.Units {
			from, to := strconv.FormatBool(c.FromSplit), strconv.FormatBool(c.ToSplit)
			switch c.Change {
			case Added:
				from = ""
			case Removed:
				to = ""
			}
			rec = append(rec, from, to)
		}
		for _, v := range c.Values {
			rec = append(rec, strconv.FormatFloat(v, 'f', -1, 64))
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// The JSON form of a comparison. Account tables and unit tables share it,
// each with its own names: accounts[] and old_accounts where unit tables
// have units[] and old_units. A list that is nil is left out; an empty one
// is written [].
type (
	diffDoc struct {
		Old         string         `json:"old"`
		New         string         `json:"new"`
		MatchedBy   string         `json:"matched_by"`
		Measures    []string       `json:"measures"`
		Totals      TotalsDoc      `json:"totals"`
		Accounts    []accountDoc   `json:"accounts,omitzero"`
		Units       []unitDoc      `json:"units,omitzero"`
		Territories []territoryDoc `json:"territories"`
		Edits       *editsDoc      `json:"edits,omitempty"`
		Differs     bool           `json:"differs"`
	}
	editsDoc struct {
		File        string       `json:"file"`
		MatchedBy   string       `json:"matched_by"`
		Rows        int          `json:"rows"`
		ByEdit      int          `json:"by_edit"`
		ByRebalance int          `json:"by_rebalance"`
		NotAsEdited int          `json:"not_as_edited"`
		NotKept     []notKeptDoc `json:"not_kept"`
	}
	notKeptDoc struct {
		ID   string `json:"account_id"`
		Row  int    `json:"row"`
		Edit Place  `json:"edit"`
		New  *Place `json:"new"` // null when the account is not in the new plan
	}
	TotalsDoc struct {
		OldAccounts *int                   `json:"old_accounts,omitzero"`
		NewAccounts *int                   `json:"new_accounts,omitzero"`
		OldUnits    *int                   `json:"old_units,omitzero"`
		NewUnits    *int                   `json:"new_units,omitzero"`
		Unchanged   int                    `json:"unchanged"`
		Moved       int                    `json:"moved"`
		Added       int                    `json:"added"`
		Removed     int                    `json:"removed"`
		BecameSplit *int                   `json:"became_split,omitzero"` // unit tables
		BecameWhole *int                   `json:"became_whole,omitzero"` // unit tables
		MovedValues map[string]json.Number `json:"moved_measures"`
	}
	accountDoc struct {
		ID       string                 `json:"account_id"`
		Change   string                 `json:"change"`
		Cause    string                 `json:"cause,omitempty"` // with edits
		From     *Place                 `json:"from"`            // null when added
		To       *Place                 `json:"to"`              // null when removed
		Measures map[string]json.Number `json:"measures,omitempty"`
	}
	unitDoc struct {
		ID       string                 `json:"unit_id"`
		Change   string                 `json:"change"`
		From     *unitPlaceDoc          `json:"from"` // null when added
		To       *unitPlaceDoc          `json:"to"`   // null when removed
		Measures map[string]json.Number `json:"measures,omitempty"`
	}
	unitPlaceDoc struct {
		Territory string `json:"territory_id"`
		Rep       string `json:"rep_id"`
		Split     bool   `json:"split"`
	}
	territoryDoc struct {
		Territory   string                `json:"territory_id"`
		Rep         string                `json:"rep_id"`
		OldAccounts *int                  `json:"old_accounts,omitzero"`
		NewAccounts *int                  `json:"new_accounts,omitzero"`
		OldUnits    *int                  `json:"old_units,omitzero"`
		NewUnits    *int                  `json:"new_units,omitzero"`
		Gained      int                   `json:"gained"`
		Lost        int                   `json:"lost"`
		Measures    []territoryMeasureDoc `json:"measures"`
	}
	territoryMeasureDoc struct {
		Measure string      `json:"measure"`
		Gained  json.Number `json:"gained"`
		Lost    json.Number `json:"lost"`
		Net     json.Number `json:"net"`
	}
)

// WriteJSON writes the comparison as one JSON object, indented by two
// spaces, lists [] rather than null, numbers rounded to six decimals. For
// unit tables the changes are units[] (unit_id, change, from and to with
// their split flag, measures) and the counts old_units and new_units, and
// the totals count the units that became split and whole.
func WriteJSON(w io.Writer, d *Diff) error {
	doc := diffDoc{
		Old: d.Old, New: d.New, MatchedBy: d.MatchedBy,
		Measures: append([]string{}, d.Measures...),
		Totals: TotalsDoc{Unchanged: d.Totals.Unchanged,
			Moved: d.Totals.Moved, Added: d.Totals.Added, Removed: d.Totals.Removed, MovedValues: map[string]json.Number{}},
		Territories: []territoryDoc{},
		Differs:     d.Differs(),
	}
	// counts points old and new at the counts of a plan's rows under the
	// names of accounts or of units.
	counts := func(oldAccounts, newAccounts, oldUnits, newUnits **int, o, n int) {
		if d.Units {
			*oldUnits, *newUnits = &o, &n
		} else {
			*oldAccounts, *newAccounts = &o, &n
		}
	}
	tt := &doc.Totals
	counts(&tt.OldAccounts, &tt.NewAccounts, &tt.OldUnits, &tt.NewUnits, d.Totals.Old, d.Totals.New)
	if d.Units {
		tt.BecameSplit, tt.BecameWhole = &d.Totals.Split, &d.Totals.Whole
		doc.Units = []unitDoc{}
	} else {
		doc.Accounts = []accountDoc{}
	}
	var bad error
	num := func(v float64) json.Number {
		if !territory.Finite(v) {
			bad = fmt.Errorf("a measure sums to %v", v)
			return "0"
		}
		return json.Number(jsonFloat(v))
	}
	for m, name := range d.Measures {
		doc.Totals.MovedValues[name] = num(d.Totals.MovedValues[m])
	}
	for _, c := range d.Accounts {
		var measures map[string]json.Number
		if d.Measures != nil {
			measures = map[string]json.Number{}
			for m, name := range d.Measures {
				measures[name] = num(c.Values[m])
			}
		}
		if d.Units {
			u := unitDoc{ID: c.ID, Change: c.Change, Measures: measures}
			if c.Change != Added {
				u.From = &unitPlaceDoc{Territory: c.From.Territory, Rep: c.From.Rep, Split: c.FromSplit}
			}
			if c.Change != Removed {
				u.To = &unitPlaceDoc{Territory: c.To.Territory, Rep: c.To.Rep, Split: c.ToSplit}
			}
			doc.Units = append(doc.Units, u)
			continue
		}
		a := accountDoc{ID: c.ID, Change: c.Change, Cause: c.Cause, Measures: measures}
		if c.Change != Added {
			a.From = &c.From
		}
		if c.Change != Removed {
			a.To = &c.To
		}
		doc.Accounts = append(doc.Accounts, a)
	}
	for _, t := range d.Territories {
		td := territoryDoc{Territory: t.Territory, Rep: t.Rep,
			Gained: t.Gained, Lost: t.Lost, Measures: []territoryMeasureDoc{}}
		counts(&td.OldAccounts, &td.NewAccounts, &td.OldUnits, &td.NewUnits, t.Old, t.New)
		for m, name := range d.Measures {
			td.Measures = append(td.Measures, territoryMeasureDoc{Measure: name,
				Gained: num(t.GainedValues[m]), Lost: num(t.LostValues[m]), Net: num(t.GainedValues[m] - t.LostValues[m])})
		}
		doc.Territories = append(doc.Territories, td)
	}
	if e := d.Edits; e != nil {
		doc.Edits = &editsDoc{File: e.File, MatchedBy: e.MatchedBy, Rows: e.Rows, ByEdit: e.ByEdit, ByRebalance: e.ByRebalance,
			NotAsEdited: e.NotAsEdited, NotKept: []notKeptDoc{}}
		for _, n := range e.NotKept {
			nd := notKeptDoc{ID: n.ID, Row: n.Row, Edit: n.Edit}
			if n.New != (Place{}) {
				nd.New = &n.New
			}
			doc.Edits.NotKept = append(doc.Edits.NotKept, nd)
		}
	}
	if bad != nil {
		return bad
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// jsonFloat writes v in plain decimal notation rounded to six decimals,
// trailing zeros dropped, never "-0".
func jsonFloat(v float64) string {
	s := strconv.FormatFloat(v, 'f', 6, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" || s == "" {
		return "0"
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
