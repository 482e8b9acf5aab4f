package report

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode"
	"unicode/utf8"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// WriteTable writes the plan's metrics as an aligned text table for a
// terminal:
//
//   - one line per territory: id, rep (and name and capacity when the reps
//     have them), accounts, the load and % of target of every balanced
//     measure (a trailing "!" when the load is outside its band, "n/a" when
//     the target is 0), and the load of every other measure;
//   - one line per balance rule: the lowest and highest % of target and the
//     number of territories outside the band;
//   - the objective, with the total and the largest distance (weighted
//     sums, said so, when the objective has a weight);
//   - the shape: territories and their pieces, the share of accounts
//     inside another territory's hull and the neighbour agreement;
//   - "all balance rules met", or "N balance rule violations".
//
// Numbers are right-aligned, with thousands separators; a measure whose
// loads are all whole numbers is shown without decimals, otherwise with 2.
func WriteTable(w io.Writer, m *Metrics) error {
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)

	showName, showCapacity := false, false
	for _, t := range m.Territories {
		showName = showName || t.RepName != ""
		showCapacity = showCapacity || t.Capacity != 1
	}

	var terr textTable
	terr.col("territory", false)
	terr.col("rep", false)
	if showName {
		terr.col("name", false)
	}
	if showCapacity {
		terr.col("capacity", true)
	}
	terr.col("accounts", true)
	balancePrec := make([]int, len(m.Balance))
	for j, st := range m.Balance {
		terr.col(st.Name, true)
		terr.col(st.Name+" %", true)
		for _, t := range m.Territories {
			if !whole(t.Loads[j].Load) {
				balancePrec[j] = 2
			}
		}
	}
	otherPrec := make([]int, len(m.Others))
	for j, o := range m.Others {
		terr.col(o.Name, true)
		for _, t := range m.Territories {
			if !whole(t.Others[j]) {
				otherPrec[j] = 2
			}
		}
	}
	for _, t := range m.Territories {
		row := []string{t.ID, t.RepID}
		if showName {
			row = append(row, t.RepName)
		}
		if showCapacity {
			row = append(row, strconv.FormatFloat(t.Capacity, 'f', -1, 64))
		}
		row = append(row, grouped(float64(t.Accounts), 0))
		for j, l := range t.Loads {
			pct := grouped(l.PctTarget, 1) + "%"
			if l.ZeroTarget {
				pct = "n/a"
			}
			// Every cell gets a flag character, so that the digits stay
			// aligned whether or not it is "!".
			if l.OK() {
				pct += " "
			} else {
				pct += "!"
			}
			row = append(row, grouped(l.Load, balancePrec[j]), pct)
		}
		for j, v := range t.Others {
			row = append(row, grouped(v, otherPrec[j]))
		}
		terr.add(row)
	}
	terr.write(tw)

	if len(m.Balance) > 0 {
		fmt.Fprintln(tw)
		var rules textTable
		rules.col("rule", false)
		rules.col("min % target", true)
		rules.col("max % target", true)
		rules.col("violations", true)
		for _, st := range m.Balance {
			lo, hi := grouped(st.MinPct, 1)+"%", grouped(st.MaxPct, 1)+"%"
			if st.ZeroTargets == len(m.Territories) {
				lo, hi = "n/a", "n/a"
			}
			rules.add([]string{st.Rule.String(), lo, hi, strconv.Itoa(st.Violations)})
		}
		rules.write(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	fmt.Fprintf(&buf, "\nobjective %s\n", objectiveLine(m, func(s string) string { return s }))
	buf.WriteString("shape: " + shapeLine(m) + "\n")
	switch n := len(m.Violations); n {
	case 0:
		buf.WriteString("all balance rules met\n")
	case 1:
		buf.WriteString("1 balance rule violation\n")
	default:
		fmt.Fprintf(&buf, "%d balance rule violations\n", n)
	}

	_, err := w.Write(trimLines(buf.Bytes()))
	return err
}

// objectiveLine writes the objective in words, after "objective": its
// name, value, total distance and largest distance, with their units:
//
//	sse: 98,882,142.216 km² (total distance 531,114.721 km, largest distance 673.566 km)
//
// With a weight, the sums are weighted and say so; the largest distance is
// a distance:
//
//	sse weighted by pop2010: 1,234.000 km² × pop2010 (weighted total distance 56.000 km × pop2010, largest distance 7.000 km)
//
// esc escapes the measure's name for the output.
func objectiveLine(m *Metrics, esc func(string) string) string {
	unit, unit2 := "", ""
	if u := m.DistanceUnit(); u != "" {
		unit, unit2 = " "+u, " "+u+"²"
	}
	name, total, per := m.Objective.String(), "total distance", ""
	if m.Weight != "" {
		w := esc(m.Weight)
		name += " weighted by " + w
		total = "weighted total distance"
		per = " × " + w
	}
	value := grouped(m.ObjectiveValue, 3) + unit2 + per
	if m.Objective == territory.Distance {
		value = grouped(m.ObjectiveValue, 3) + unit + per
	}
	return fmt.Sprintf("%s: %s (%s %s%s%s, largest distance %s%s)",
		name, value, total, grouped(m.TotalDistance, 3), unit, per, grouped(m.MaxDistance, 3), unit)
}

// shapeLine sums up the plan's shape in words: "25 territories in 25
// pieces, 0.4% of accounts inside another territory's hull, neighbour
// agreement 0.93".
func shapeLine(m *Metrics) string {
	return fmt.Sprintf("%s in %s, %s of accounts inside another territory's hull, neighbour agreement %s",
		counted(len(m.Territories), "territory", "territories"), counted(m.Shape.Pieces, "piece", "pieces"),
		pct(100*m.Shape.InsideOtherHullShare), fixed(m.Shape.NeighbourAgreement, 2))
}

// counted is n and the noun for n: "1 piece", "2 pieces".
func counted(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return grouped(float64(n), 0) + " " + many
}

// whole reports whether v has no fractional part worth showing.
func whole(v float64) bool { return math.Abs(v-math.Round(v)) < 5e-3 }

// textTable collects rows for a tabwriter, right-aligning the columns that
// ask for it by padding their cells to a common width.
type textTable struct {
	right []bool
	rows  [][]string
}

func (tt *textTable) col(header string, right bool) {
	tt.right = append(tt.right, right)
	if len(tt.rows) == 0 {
		tt.rows = append(tt.rows, nil)
	}
	tt.rows[0] = append(tt.rows[0], printable(header))
}

func (tt *textTable) add(row []string) {
	for c, cell := range row {
		row[c] = printable(cell)
	}
	tt.rows = append(tt.rows, row)
}

// printable makes text from the inputs safe for a terminal table: invalid
// UTF-8 and control characters (tabs, newlines, escape sequences) become
// spaces, so that they can neither break the alignment nor reach the
// terminal.
func printable(s string) string {
	s = strings.ToValidUTF8(s, " ")
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

func (tt *textTable) write(w io.Writer) {
	width := make([]int, len(tt.right))
	for _, row := range tt.rows {
		for c, cell := range row {
			width[c] = max(width[c], utf8.RuneCountInString(cell))
		}
	}
	var b strings.Builder
	for _, row := range tt.rows {
		b.Reset()
		for c, cell := range row {
			if tt.right[c] {
				b.WriteString(strings.Repeat(" ", width[c]-utf8.RuneCountInString(cell)))
			}
			b.WriteString(cell)
			b.WriteByte('\t')
		}
		b.WriteByte('\n')
		io.WriteString(w, b.String())
	}
}

// trimLines drops the spaces at the end of every line.
func trimLines(b []byte) []byte {
	lines := bytes.Split(b, []byte("\n"))
	for i, l := range lines {
		lines[i] = bytes.TrimRight(l, " ")
	}
	return bytes.Join(lines, []byte("\n"))
}
