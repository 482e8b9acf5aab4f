package report

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// Level holds the metrics of one level of parents above the territories
// (districts, regions).
type Level struct {
	Name string
	K    int
	// Metrics are those of the level's problem, whose accounts are the
	// units of the level below and whose territories are the parents:
	// Metrics.Territories[k].RepID is parent k's id, its Loads are
	// against the level's rules, and Metrics.Shape.Pieces counts the
	// parents' pieces in the units' adjacency.
	Metrics *Metrics
	// Children lists the ids of every parent's units, in unit order.
	Children [][]string
	// Territories counts the territories under every parent; Accounts
	// their accounts.
	Territories, Accounts []int
	// Parents holds the id of every parent's own parent in the next level
	// up; nil for the top level.
	Parents []string
}

// Met reports whether every parent of the level is within its rules and
// one piece.
func (l *Level) Met() bool {
	for _, st := range l.Metrics.Balance {
		if st.Violations > 0 {
			return false
		}
	}
	return l.Metrics.Shape.TerritoriesInPieces == 0
}

// EvaluateLevels adds to m the metrics of the levels of plan pl above the
// territories: problems[i] and plans[i] are level i's problem and plan, as
// solve.SolveLevels returns them, and pl.Levels their parents. Every
// territory of m gets its parent at each level (Territory.Parents).
func EvaluateLevels(m *Metrics, pl *territory.Plan, problems []*territory.Problem, plans []*territory.Plan) {
	m.Levels = nil
	parents := pl.TerritoryParents(len(m.Territories))
	for k := range m.Territories {
		t := &m.Territories[k]
		t.Parents = make([]string, len(pl.Levels))
		for l, lv := range pl.Levels {
			t.Parents[l] = lv.IDs[parents[l][k]]
		}
	}
	for l, lv := range pl.Levels {
		lp, lpl := problems[l], plans[l]
		level := Level{
			Name:        lv.Level,
			K:           len(lv.IDs),
			Metrics:     Evaluate(lp, lpl),
			Children:    make([][]string, len(lv.IDs)),
			Territories: make([]int, len(lv.IDs)),
			Accounts:    make([]int, len(lv.IDs)),
		}
		terrs := lp.Accounts.Weights(territory.TerritoriesMeasure)
		accounts := lp.Accounts.Weights(territory.CountMeasure)
		for u, p := range lpl.Assign {
			level.Children[p] = append(level.Children[p], lp.Accounts.IDs[u])
			level.Territories[p] += int(terrs[u])
			level.Accounts[p] += int(accounts[u])
		}
		if l+1 < len(pl.Levels) {
			up := pl.Levels[l+1]
			level.Parents = make([]string, len(lv.IDs))
			for p := range level.Parents {
				level.Parents[p] = up.IDs[up.Of[p]]
			}
		}
		m.Levels = append(m.Levels, level)
	}
}

// WriteLevelsCSV writes levels.csv: one row per parent, level by level
// bottom up, parents in order, with the columns
//
//	level, id, parent_id ("" at the top level), children (the ids of its
//	units, separated by spaces), territories, accounts,
//	MEASURE, MEASURE_pct_target   (for each rule of any level, in order of
//	                               first appearance; the % is of that
//	                               level's target, "" where the level has
//	                               no rule for the measure)
//	pieces, within_rules (true or false)
//
// Loads and percentages have 2 decimals. Lines end in \n.
func WriteLevelsCSV(w io.Writer, m *Metrics) error {
	measures := levelMeasures(m.Levels)
	header := []string{"level", "id", "parent_id", "children", "territories", "accounts"}
	for _, name := range measures {
		header = append(header, name, name+"_pct_target")
	}
	header = append(header, "pieces", "within_rules")
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, lv := range m.Levels {
		for k, t := range lv.Metrics.Territories {
			row := []string{lv.Name, t.RepID, lv.parentOf(k), strings.Join(lv.Children[k], " "),
				strconv.Itoa(lv.Territories[k]), strconv.Itoa(lv.Accounts[k])}
			for _, name := range measures {
				load, pct, ruled := lv.parentLoad(k, name)
				cell := ""
				if ruled {
					cell = fixed(pct, 2)
				}
				row = append(row, fixed(load, 2), cell)
			}
			row = append(row, strconv.Itoa(lv.Metrics.Shape.territory(k).Pieces), strconv.FormatBool(lv.parentMet(k)))
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// levelMeasures lists the measures of every level's rules, in order of
// first appearance: the measure columns of levels.csv and the Levels
// sheet.
func levelMeasures(levels []Level) []string {
	var measures []string
	for _, lv := range levels {
		for _, st := range lv.Metrics.Balance {
			if !slices.Contains(measures, st.Name) {
				measures = append(measures, st.Name)
			}
		}
	}
	return measures
}

// parentOf is the id of parent k's own parent in the next level up, ""
// at the top level.
func (lv *Level) parentOf(k int) string {
	if lv.Parents == nil {
		return ""
	}
	return lv.Parents[k]
}

// parentLoad is parent k's load of a measure and, when the level has a
// rule for it (ruled), the load's % of target; a measure the level does
// not balance is among its others (0 when the level's problem lacks it).
func (lv *Level) parentLoad(k int, name string) (load, pct float64, ruled bool) {
	lm := lv.Metrics
	for j, st := range lm.Balance {
		if st.Name == name {
			l := lm.Territories[k].Loads[j]
			return l.Load, l.PctTarget, true
		}
	}
	for j, o := range lm.Others {
		if o.Name == name {
			return lm.Territories[k].Others[j], 0, false
		}
	}
	return 0, 0, false
}

// parentMet reports whether parent k is within every rule of its level
// and one piece.
func (lv *Level) parentMet(k int) bool {
	for _, l := range lv.Metrics.Territories[k].Loads {
		if l.Excess != 0 {
			return false
		}
	}
	return lv.Metrics.Shape.territory(k).Pieces <= 1
}

// levelSummary says in a line how a level meets its rules, for the
// Markdown report and the table.
func levelSummary(lv *Level) string {
	rules := make([]string, len(lv.Metrics.Balance))
	unmet := 0
	for j, st := range lv.Metrics.Balance {
		rules[j] = st.Rule.String()
		if st.Violations > 0 {
			unmet++
		}
	}
	s := fmt.Sprintf("%s: %d parents", lv.Name, lv.K)
	if len(rules) > 0 {
		s += " balanced on " + strings.Join(rules, ", ")
	}
	switch {
	case len(rules) == 0:
	case unmet == 0:
		s += ", all met"
	default:
		s += fmt.Sprintf(", %d of %d not met", unmet, len(rules))
	}
	if n := lv.Metrics.Shape.TerritoriesInPieces; n > 0 {
		s += fmt.Sprintf("; %d in more than one piece", n)
	} else {
		s += "; every parent one piece"
	}
	return s
}
