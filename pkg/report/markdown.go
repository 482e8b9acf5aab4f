package report

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// maxMarkdownRows caps the territory table and the violations list of
// report.md, so that the comment stays readable (and within the 65,536
// characters a GitHub comment holds).
const maxMarkdownRows = 50

// WriteMarkdown writes report.md: the plan's summary for a pull-request
// comment, in GitHub-flavoured Markdown:
//
//   - a headline: "feasible" or the number of balance rule violations;
//   - a settings line (territories, accounts, objective, its weight when
//     there is one, centre, the shape asked of the solver, seed, rules,
//     inputs, version);
//   - a table with one row per balance rule: the lowest, highest and mean
//     % of target and the number of violations;
//   - the shape: territories and their pieces, the accounts inside another
//     territory's hull, the neighbour agreement;
//   - a table with one row per territory (rep, name, accounts, the load
//     and % of target of every balanced measure, in bold outside its band,
//     "n/a" where the target is 0, the other measures, and the pieces, in
//     bold above 1, the accounts inside another hull and the neighbour
//     agreement), at most 50 rows, with a note saying how many were left
//     out;
//   - the violations, at most 50, with a note likewise;
//   - the objective, with the total and the largest distance (weighted
//     sums, said so, when the objective has a weight).
//
// Text from the inputs is escaped so that it shows as written and cannot
// make markup: a backslash goes before every character Markdown or GitHub
// could read as syntax (\ ` * _ [ ] < > | ~ & @ # $ and a leading + - =),
// and control characters and invalid UTF-8 become spaces. Numbers have
// thousands separators; a measure whose loads are whole numbers is shown
// without decimals, otherwise with 2. Lines end in \n and the output is
// the same bytes for the same arguments. Nothing is written when a number
// is not finite.
func WriteMarkdown(w io.Writer, run Run, m *Metrics) error {
	if err := checkFinite(m); err != nil {
		return fmt.Errorf("report: write markdown: %w", err)
	}
	var b bytes.Buffer

	switch n := len(m.Violations); n {
	case 0:
		b.WriteString("## Territory plan: feasible\n\nAll balance rules are met.\n\n")
	case 1:
		b.WriteString("## Territory plan: 1 balance rule violation\n\n")
	default:
		fmt.Fprintf(&b, "## Territory plan: %d balance rule violations\n\n", n)
	}

	// The settings line.
	settings := []string{
		fmt.Sprintf("**%s** territories", grouped(float64(len(m.Territories)), 0)),
		fmt.Sprintf("**%s** accounts", grouped(float64(m.Accounts), 0)),
		"objective " + m.Objective.String(),
	}
	if m.Weight != "" {
		settings = append(settings, "weight "+mdEscape(m.Weight))
	}
	settings = append(settings, "centre "+m.Center.String())
	if run.Shape != "" {
		settings = append(settings, "shape "+mdEscape(run.Shape))
	}
	settings = append(settings, "seed "+strconv.FormatUint(run.Seed, 10))
	if len(run.Rules) > 0 {
		rules := make([]string, len(run.Rules))
		for i, r := range run.Rules {
			rules[i] = mdEscape(r)
		}
		settings = append(settings, "rules "+strings.Join(rules, "; "))
	}
	if len(run.Derived) > 0 {
		derived := make([]string, len(run.Derived))
		for i, d := range run.Derived {
			name, expr, _ := strings.Cut(d, "=")
			derived[i] = mdEscape(name) + " = " + mdEscape(expr)
		}
		settings = append(settings, "derived "+strings.Join(derived, "; "))
	}
	if run.Accounts != "" {
		settings = append(settings, "accounts "+mdEscape(run.Accounts))
	}
	if run.Reps != "" {
		settings = append(settings, "reps "+mdEscape(run.Reps))
	}
	if run.Version != "" {
		settings = append(settings, "territory "+mdEscape(run.Version))
	}
	b.WriteString(strings.Join(settings, " · "))
	b.WriteString("\n\n")

	// Balance rules.
	prec := make([]int, len(m.Balance))
	for j := range m.Balance {
		if measureKind(m, j) == kDec2 {
			prec[j] = 2
		}
	}
	b.WriteString("### Balance rules\n\n")
	if len(m.Balance) == 0 {
		b.WriteString("No balance rules.\n\n")
	} else {
		mdRow(&b, "rule", "min % of target", "max % of target", "mean % of target", "violations")
		b.WriteString("| --- | ---: | ---: | ---: | ---: |\n")
		for _, st := range m.Balance {
			lo, hi, mean := pct(st.MinPct), pct(st.MaxPct), pct(st.MeanPct)
			if st.ZeroTargets == len(m.Territories) {
				lo, hi, mean = "n/a", "n/a", "n/a"
			}
			mdRow(&b, mdEscape(st.Rule.String()), lo, hi, mean, strconv.Itoa(st.Violations))
		}
		b.WriteString("\n")
	}

	// Shape.
	b.WriteString("### Shape\n\n")
	split := ""
	if n := m.Shape.TerritoriesInPieces; n > 0 {
		split = " (" + counted(n, "territory", "territories") + " in more than one piece)"
	}
	fmt.Fprintf(&b, "%s in %s%s; %s (%s) inside another territory's hull; neighbour agreement %s (the share of each account's %d nearest accounts that are in its territory).\n\n",
		counted(len(m.Territories), "territory", "territories"), counted(m.Shape.Pieces, "piece", "pieces"), split,
		counted(m.Shape.InsideOtherHull, "account", "accounts"), pct(100*m.Shape.InsideOtherHullShare),
		fixed(m.Shape.NeighbourAgreement, 2), AgreementNeighbours)

	// Levels.
	if len(m.Levels) > 0 {
		b.WriteString("### Levels\n\n")
		for i := range m.Levels {
			b.WriteString("- " + mdEscape(levelSummary(&m.Levels[i])) + "\n")
		}
		b.WriteString("\n")
	}

	// Units.
	if u := m.Units; u != nil {
		b.WriteString("### Units\n\n")
		fmt.Fprintf(&b, "%s of %s, every one in a territory (%s without accounts); %s split, too heavy for one territory: %s assigned one by one away from their unit's territory.\n\n",
			counted(len(u.Rows), "unit", "units"), mdEscape(u.Layer), strconv.Itoa(u.Empty), strconv.Itoa(len(u.Split)),
			counted(len(u.Exceptions), "account", "accounts"))
		if len(u.Split) > 0 {
			b.WriteString("| split unit | default territory | rep | accounts | exceptions |\n| --- | --- | --- | ---: | ---: |\n")
			for _, r := range u.Split[:min(len(u.Split), maxMarkdownRows)] {
				fmt.Fprintf(&b, "| %s | %s | %s | %d | %d |\n", mdEscape(r.ID), mdEscape(r.TerritoryID), mdEscape(r.RepID), r.Accounts, r.ExceptionsInUnit)
			}
			if len(u.Split) > maxMarkdownRows {
				fmt.Fprintf(&b, "\n%d more split units not shown.\n", len(u.Split)-maxMarkdownRows)
			}
			b.WriteString("\n")
		}
		if len(u.Exceptions) > 0 {
			b.WriteString("| exception | unit | territory | unit's territory |\n| --- | --- | --- | --- |\n")
			for _, e := range u.Exceptions[:min(len(u.Exceptions), maxMarkdownRows)] {
				fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", mdEscape(e.AccountID), mdEscape(e.UnitID),
					mdEscape(m.Territories[e.Territory].ID), mdEscape(m.Territories[e.UnitTerritory].ID))
			}
			if len(u.Exceptions) > maxMarkdownRows {
				fmt.Fprintf(&b, "\n%d more exceptions not shown (every account's territory is in assignments.csv).\n", len(u.Exceptions)-maxMarkdownRows)
			}
			b.WriteString("\n")
		}
	}

	// Territories.
	showName := false
	for _, t := range m.Territories {
		showName = showName || t.RepName != ""
	}
	otherPrec := make([]int, len(m.Others))
	for j := range m.Others {
		for _, t := range m.Territories {
			if !whole(t.Others[j]) {
				otherPrec[j] = 2
			}
		}
	}
	fmt.Fprintf(&b, "### Territories\n\n")
	header := []string{"territory", "rep"}
	align := []string{"---", "---"}
	if showName {
		header, align = append(header, "name"), append(align, "---")
	}
	header, align = append(header, "accounts"), append(align, "---:")
	for _, st := range m.Balance {
		header = append(header, mdEscape(st.Name), mdEscape(st.Name)+" %")
		align = append(align, "---:", "---:")
	}
	for _, o := range m.Others {
		header, align = append(header, mdEscape(o.Name)), append(align, "---:")
	}
	header = append(header, "pieces", "inside other hull", "neighbour agreement")
	align = append(align, "---:", "---:", "---:")
	mdRow(&b, header...)
	mdRow(&b, align...)
	for i, t := range m.Territories {
		if i == maxMarkdownRows {
			break
		}
		row := []string{mdEscape(t.ID), mdEscape(t.RepID)}
		if showName {
			row = append(row, mdEscape(t.RepName))
		}
		row = append(row, grouped(float64(t.Accounts), 0))
		for j, l := range t.Loads {
			p := pct(l.PctTarget)
			if l.ZeroTarget {
				p = "n/a"
			}
			if !l.OK() {
				p = "**" + p + "**"
			}
			row = append(row, grouped(l.Load, prec[j]), p)
		}
		for j, v := range t.Others {
			row = append(row, grouped(v, otherPrec[j]))
		}
		ts := m.Shape.territory(i)
		pieces := grouped(float64(ts.Pieces), 0)
		if ts.Pieces > 1 {
			pieces = "**" + pieces + "**"
		}
		row = append(row, pieces, grouped(float64(ts.InsideOtherHull), 0), fixed(ts.NeighbourAgreement, 2))
		mdRow(&b, row...)
	}
	if n := len(m.Territories); n > maxMarkdownRows {
		fmt.Fprintf(&b, "\n_Showing the first %d of %s territories; report.xlsx and territories.csv list them all._\n",
			maxMarkdownRows, grouped(float64(n), 0))
	}
	b.WriteString("\n")

	// Violations.
	if len(m.Violations) > 0 {
		b.WriteString("### Violations\n\n")
		precOf := make(map[string]int, len(m.Balance))
		for j, st := range m.Balance {
			precOf[st.Name] = prec[j]
		}
		for i, v := range m.Violations {
			if i == maxMarkdownRows {
				break
			}
			p := precOf[v.Measure]
			dir, bound := "above", "maximum"
			if v.Bound == "min" {
				dir, bound = "below", "minimum"
			}
			share := "" // no share of a target of 0
			if v.Target != 0 {
				share = " (" + pct(v.ExcessPct) + " of target)"
			}
			fmt.Fprintf(&b, "- %s (%s): %s %s is %s its %s of %s by %s%s, rule %s\n",
				mdEscape(v.Territory), mdEscape(v.Rep), mdEscape(v.Measure), grouped(v.Load, p),
				dir, bound, grouped(v.Limit, p), grouped(v.Excess, p), share, mdEscape(v.Rule))
		}
		if n := len(m.Violations); n > maxMarkdownRows {
			fmt.Fprintf(&b, "\n_Showing the first %d of %s violations; summary.json and report.xlsx list them all._\n",
				maxMarkdownRows, grouped(float64(n), 0))
		}
		b.WriteString("\n")
	}

	// The objective.
	fmt.Fprintf(&b, "**Objective** %s\n", objectiveLine(m, mdEscape))

	_, err := w.Write(b.Bytes())
	return err
}

// pct formats a percentage with one decimal: 112.5%.
func pct(v float64) string { return grouped(v, 1) + "%" }

// mdRow writes cells as a Markdown table row.
func mdRow(b *bytes.Buffer, cells ...string) {
	b.WriteString("|")
	for _, c := range cells {
		b.WriteString(" ")
		b.WriteString(c)
		b.WriteString(" |")
	}
	b.WriteString("\n")
}

// mdEscape makes text from the inputs safe in Markdown, in a table cell
// or running text: control characters and invalid UTF-8 become spaces,
// and a backslash goes before every character that could start markup
// (emphasis, code, links, HTML, tables, strikethrough, entities, GitHub
// mentions, issue references and maths) and before a leading + - = (list
// items and headings underlined).
func mdEscape(s string) string {
	s = printable(s)
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range s {
		switch {
		case strings.ContainsRune("\\`*_[]<>|~&@#$", r),
			i == 0 && strings.ContainsRune("+-=", r):
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
