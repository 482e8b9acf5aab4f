package render

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/paulmach/orb"

	"github.com/territory-optimizer/territory/pkg/report"
	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// Map is what the writers draw: territories with their outlines and
// statistics, the accounts as dots and the reps' homes, all in one
// coordinate space. Every string in it is user text and is escaped by the
// writers; none is ever read as markup or code.
//
// Build one with [FromPlan], or by hand. The writers check it first (see
// [Map.Validate]) and do not modify it.
type Map struct {
	// Space says how to read every coordinate: longitude and latitude in
	// degrees ([territory.Geographic]) or planar x, y.
	Space territory.Space
	// Title heads the map; "" draws "Territories".
	Title string
	// Unit names the distance unit of the scale bar for a planar map
	// ("m", "mi"); "" draws "units". A geographic map is always in km.
	Unit string
	// Territories are drawn and listed in this order; Account.Territory
	// and Home.Territory index it.
	Territories []Territory
	// Accounts are drawn as dots in the colour of their territory.
	Accounts []Account
	// Homes are the reps' home locations, drawn as diamonds.
	Homes []Home
	// Measures names the values of every account, in Account.Values order.
	Measures []string
	// Levels are the levels of parents above the territories (districts,
	// then regions), bottom up; their borders are drawn over the
	// territories, thicker level by level.
	Levels []Level

	// What the HTML page's editor needs: the balance rules whose loads it
	// keeps as accounts are moved, the accounts' neighbours for its
	// contiguity check, and the groups of a grouped plan.

	// Rules are the plan's balance rules, with every territory's band.
	Rules []Rule
	// Adjacency optionally lists, for every account, the accounts it
	// touches (polygon units that share a boundary, as
	// territory.Problem.Adjacency); nil for point accounts. The page
	// counts a territory's pieces in the graph spatial.ProximityGraph
	// makes of it and the accounts' locations, as the solver and the
	// reports do.
	Adjacency [][]int32
	// GroupColumn names the column a grouped plan is split by ("" when
	// the plan is not grouped): every account and territory then has a
	// Group, and the editor keeps accounts in their group.
	GroupColumn string
}

// Rule is a balance rule of a [Map]'s plan: the page's editor sums every
// territory's load of its measure as accounts are moved and checks it
// against the territory's band.
type Rule struct {
	// Name is the rule as written ("revenue:5%").
	Name string
	// Measure indexes Map.Measures: the values the rule sums; -1 counts
	// the accounts (the built-in count).
	Measure int
	// Bands holds every territory's target and band, in territory order.
	Bands []Band
}

// Band is a territory's target of a rule and the band its load must lie
// in; Lo is -Inf and Hi +Inf where the rule sets no bound.
type Band struct {
	Target, Lo, Hi float64
}

// Level is one level of parents above the territories of a [Map].
type Level struct {
	// Name is the level's name ("district").
	Name string
	// IDs holds every parent's id.
	IDs []string
	// Of holds the parent (an index into IDs) of every territory, at this
	// level: Of[k] is territory k's district, or its region.
	Of []int
	// Boundaries holds every parent's outline, in the map's space, where
	// known: a parent whose outline is missing or empty is not drawn.
	Boundaries []orb.MultiPolygon
}

// Territory is one territory of a [Map].
type Territory struct {
	// ID is the territory's id (T01), Rep its rep's id and Name the rep's
	// display name ("" when unknown).
	ID, Rep, Name string
	// Boundary is the territory's outline, in the map's space. It may be
	// empty: the territory is then outlined by the convex hull of its
	// accounts (see the package documentation).
	Boundary orb.MultiPolygon
	// Center is the territory's centre as solved (the editor measures the
	// accounts' distances from it).
	Center territory.Point
	// Label is where the territory's label sits; nil puts it at Center.
	// A centre fixed at a rep's home may lie far outside the territory (a
	// rep of a Los Angeles office with a territory in Kansas), so
	// FromPlan puts the label at an account of the territory instead (see
	// labelPoints).
	Label *territory.Point
	// Stats are shown in the HTML map's panel and in the SVG's tooltips,
	// in this order.
	Stats []Stat
	// Group is the territory's group in a grouped plan (Map.GroupColumn).
	Group string
}

// Stat is one labelled, already formatted number of a territory.
type Stat struct {
	Label, Value string
}

// Account is one account of a [Map].
type Account struct {
	ID, Name string
	Loc      territory.Point
	// Territory indexes Map.Territories.
	Territory int
	// Values holds one value per Map.Measures entry (or none).
	Values []float64
	// Group is the account's group in a grouped plan (Map.GroupColumn).
	Group string
}

// Home is a rep's home location.
type Home struct {
	// Rep is the rep's id and Name its display name.
	Rep, Name string
	Loc       territory.Point
	// Territory indexes Map.Territories: the rep's territory.
	Territory int
}

// FromPlan builds the map of plan pl for problem p: one territory per rep,
// outlined by boundaries[k] where boundaries holds one for it (boundaries
// may be nil or shorter than the number of territories; a missing or
// empty one falls back to the convex hull of the territory's accounts),
// labelled at its plan centre, with the statistics of m (account count,
// capacity, the load and % of target of every balanced measure, the loads
// of the other measures, mean and largest distance to the centre). When m
// is nil, it is computed with [report.Evaluate].
//
// Every account carries the values of all account measures, in the
// accounts' measure order. Reps with a home location become [Home]s. The
// map carries what the page's editor needs: the problem's balance rules
// with every territory's band (as m has them), the adjacency of polygon
// units, and the groups of a grouped problem.
// The levels of pl (districts, regions) become the map's Levels, with
// every territory's parent and, in its statistics, the parent's id; their
// Boundaries are left for the caller to fill (package features dissolves
// the territories' outlines into them).
//
// Like [report.Evaluate], FromPlan assumes that p is valid and pl fits it;
// the map it returns is checked again when it is written.
func FromPlan(p *territory.Problem, pl *territory.Plan, m *report.Metrics, boundaries []orb.MultiPolygon) *Map {
	if m == nil {
		m = report.Evaluate(p, pl)
	}
	mp := &Map{
		Space:       p.Space,
		Title:       "Territories",
		Territories: make([]Territory, len(m.Territories)),
		Accounts:    make([]Account, p.Accounts.Len()),
	}
	parents := pl.TerritoryParents(len(mp.Territories))
	for l, lv := range pl.Levels {
		mp.Levels = append(mp.Levels, Level{Name: lv.Level, IDs: lv.IDs, Of: parents[l]})
	}
	unit := m.DistanceUnit()
	labels := labelPoints(p, pl, len(m.Territories))
	for k, t := range m.Territories {
		tt := &mp.Territories[k]
		tt.ID, tt.Rep, tt.Name = t.ID, t.RepID, t.RepName
		tt.Center = t.Center // the plan's centre
		tt.Label = labels[k]
		if k < len(boundaries) {
			tt.Boundary = boundaries[k]
		}
		var up []Stat
		for _, lv := range mp.Levels {
			up = append(up, Stat{capitalized(lv.Name), lv.IDs[lv.Of[k]]})
		}
		tt.Stats = territoryStats(m, &t, unit, up)
		tt.Group = t.Group
	}
	for j, st := range m.Balance {
		r := Rule{Name: st.Rule.String(), Measure: -1, Bands: make([]Band, len(m.Territories))}
		for i := range p.Accounts.Measures {
			if p.Accounts.Measures[i].Name == st.Name {
				r.Measure = i
			}
		}
		for k := range m.Territories {
			if l := m.Territories[k].Loads; j < len(l) {
				r.Bands[k] = Band{Target: l[j].Target, Lo: l[j].Lo, Hi: l[j].Hi}
			}
		}
		mp.Rules = append(mp.Rules, r)
	}
	mp.Adjacency = p.Adjacency
	if p.Grouped() && len(p.Accounts.Groups) == p.Accounts.Len() {
		mp.GroupColumn = p.GroupColumn
	}

	a := &p.Accounts
	for _, ms := range a.Measures {
		mp.Measures = append(mp.Measures, ms.Column)
	}
	nm := len(a.Measures)
	values := make([]float64, a.Len()*nm) // one backing array for every account
	for i := range mp.Accounts {
		acc := &mp.Accounts[i]
		acc.ID = a.IDs[i]
		if i < len(a.Names) {
			acc.Name = a.Names[i]
		}
		acc.Loc = a.Locs[i]
		if i < len(pl.Assign) {
			acc.Territory = pl.Assign[i]
		}
		acc.Values = values[i*nm : (i+1)*nm : (i+1)*nm]
		for j, ms := range a.Measures {
			acc.Values[j] = ms.Values[i]
		}
		if i < len(a.Groups) {
			acc.Group = a.Groups[i]
		}
	}
	for k, r := range p.Reps {
		if r.HasHome {
			mp.Homes = append(mp.Homes, Home{Rep: r.ID, Name: r.Name, Loc: r.Home, Territory: k})
		}
	}
	return mp
}

// territoryStats formats the numbers of territory t for display, with its
// parents (district, region) after its rep.
func territoryStats(m *report.Metrics, t *report.Territory, unit string, parents []Stat) []Stat {
	stats := []Stat{{"Rep", repLabel(t.RepID, t.RepName)}}
	stats = append(stats, parents...)
	stats = append(stats, Stat{"Accounts", grouped(float64(t.Accounts), 0)})
	if t.Capacity != 1 {
		stats = append(stats, Stat{"Capacity", strconv.FormatFloat(t.Capacity, 'f', -1, 64)})
	}
	for j, l := range t.Loads {
		if j >= len(m.Balance) {
			break
		}
		v := grouped(l.Load, 2)
		if !l.ZeroTarget {
			v += " (" + fixed(l.PctTarget, 1) + "% of target)"
		}
		if !l.OK() {
			v += " outside " + m.Balance[j].Rule.String()
		}
		stats = append(stats, Stat{m.Balance[j].Column, v})
	}
	for j, v := range t.Others {
		if j >= len(m.Others) {
			break
		}
		stats = append(stats, Stat{m.Others[j].Column, grouped(v, 2)})
	}
	suffix := ""
	if unit != "" {
		suffix = " " + unit
	}
	stats = append(stats,
		Stat{"Mean distance", grouped(t.MeanDistance, 1) + suffix},
		Stat{"Max distance", grouped(t.MaxDistance, 1) + suffix})
	return stats
}

// capitalized is s with its first letter in upper case: a level's name
// as a label ("district" -> "District").
func capitalized(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// repLabel is "Name (ID)", or the id alone without a name.
func repLabel(id, name string) string {
	switch {
	case name == "" || name == id:
		return id
	case id == "":
		return name
	}
	return name + " (" + id + ")"
}

// Validate checks that every index is in range and every coordinate and
// value is a finite number (and, for a geographic map, a valid longitude
// and latitude), so that no NaN, infinity or dangling index reaches an
// output.
func (m *Map) Validate() error {
	if m.Space != territory.Geographic && m.Space != territory.Planar {
		return fmt.Errorf("render: unknown coordinate space %v", m.Space)
	}
	k := len(m.Territories)
	for i := range m.Territories {
		t := &m.Territories[i]
		if err := m.checkPoint(t.Center); err != nil {
			return fmt.Errorf("render: territory %q: centre: %w", t.ID, err)
		}
		if t.Label != nil {
			if err := m.checkPoint(*t.Label); err != nil {
				return fmt.Errorf("render: territory %q: label: %w", t.ID, err)
			}
		}
		for _, poly := range t.Boundary {
			for _, ring := range poly {
				for _, pt := range ring {
					if err := m.checkPoint(territory.Point{X: pt[0], Y: pt[1]}); err != nil {
						return fmt.Errorf("render: territory %q: boundary: %w", t.ID, err)
					}
				}
			}
		}
	}
	for i := range m.Accounts {
		a := &m.Accounts[i]
		if a.Territory < 0 || a.Territory >= k {
			return fmt.Errorf("render: account %q: territory %d is not in 0..%d", a.ID, a.Territory, k-1)
		}
		if err := m.checkPoint(a.Loc); err != nil {
			return fmt.Errorf("render: account %q: %w", a.ID, err)
		}
		if len(a.Values) != 0 && len(a.Values) != len(m.Measures) {
			return fmt.Errorf("render: account %q: %d values for %d measures", a.ID, len(a.Values), len(m.Measures))
		}
		for _, v := range a.Values {
			if !territory.Finite(v) {
				return fmt.Errorf("render: account %q: value %v is not a finite number", a.ID, v)
			}
		}
	}
	for i := range m.Homes {
		h := &m.Homes[i]
		if h.Territory < 0 || h.Territory >= k {
			return fmt.Errorf("render: home of rep %q: territory %d is not in 0..%d", h.Rep, h.Territory, k-1)
		}
		if err := m.checkPoint(h.Loc); err != nil {
			return fmt.Errorf("render: home of rep %q: %w", h.Rep, err)
		}
	}
	for i := range m.Rules {
		r := &m.Rules[i]
		if r.Measure < -1 || r.Measure >= len(m.Measures) {
			return fmt.Errorf("render: rule %q: measure %d is not in -1..%d", r.Name, r.Measure, len(m.Measures)-1)
		}
		if len(r.Bands) != k {
			return fmt.Errorf("render: rule %q: bands of %d territories, not %d", r.Name, len(r.Bands), k)
		}
		for t, b := range r.Bands {
			if !territory.Finite(b.Target) || math.IsNaN(b.Lo) || math.IsNaN(b.Hi) || math.IsInf(b.Lo, 1) || math.IsInf(b.Hi, -1) {
				return fmt.Errorf("render: rule %q: territory %q: band %v..%v around %v is not a band", r.Name, m.Territories[t].ID, b.Lo, b.Hi, b.Target)
			}
		}
	}
	if m.Adjacency != nil && len(m.Adjacency) != len(m.Accounts) {
		return fmt.Errorf("render: adjacency of %d accounts, not %d", len(m.Adjacency), len(m.Accounts))
	}
	for i, nb := range m.Adjacency {
		for _, j := range nb {
			if j < 0 || int(j) >= len(m.Accounts) {
				return fmt.Errorf("render: account %q: neighbour %d is not in 0..%d", m.Accounts[i].ID, j, len(m.Accounts)-1)
			}
		}
	}
	for i := range m.Levels {
		lv := &m.Levels[i]
		if len(lv.Of) != k {
			return fmt.Errorf("render: level %q: parents of %d territories, not %d", lv.Name, len(lv.Of), k)
		}
		for t, p := range lv.Of {
			if p < 0 || p >= len(lv.IDs) {
				return fmt.Errorf("render: level %q: territory %q: parent %d is not in 0..%d", lv.Name, m.Territories[t].ID, p, len(lv.IDs)-1)
			}
		}
		if len(lv.Boundaries) > len(lv.IDs) {
			return fmt.Errorf("render: level %q: %d boundaries for %d parents", lv.Name, len(lv.Boundaries), len(lv.IDs))
		}
		for p, mp := range lv.Boundaries {
			for _, poly := range mp {
				for _, ring := range poly {
					for _, pt := range ring {
						if err := m.checkPoint(territory.Point{X: pt[0], Y: pt[1]}); err != nil {
							return fmt.Errorf("render: level %q: %q: boundary: %w", lv.Name, lv.IDs[p], err)
						}
					}
				}
			}
		}
	}
	return nil
}

func (m *Map) checkPoint(p territory.Point) error {
	if !territory.Finite(p.X) || !territory.Finite(p.Y) {
		return fmt.Errorf("location (%v, %v) is not finite", p.X, p.Y)
	}
	if m.Space == territory.Geographic && (p.Y < -90 || p.Y > 90 || p.X < -180 || p.X > 180) {
		return fmt.Errorf("longitude %v, latitude %v is not a valid position", p.X, p.Y)
	}
	return nil
}

// title is the map's title, or the default.
func (m *Map) title() string {
	if strings.TrimSpace(m.Title) == "" {
		return "Territories"
	}
	return m.Title
}

// subtitle sums the map up: "25 territories · 5,000 accounts".
func (m *Map) subtitle() string {
	return plural(len(m.Territories), "territory", "territories") + " · " + plural(len(m.Accounts), "account", "accounts")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return grouped(float64(n), 0) + " " + many
}

// unit is the distance unit of the scale bar.
func (m *Map) unit() string {
	switch {
	case m.Space == territory.Geographic:
		return "km"
	case m.Unit != "":
		return m.Unit
	}
	return "units"
}

// fixed formats v with prec digits after the point, never as "-0.0".
func fixed(v float64, prec int) string {
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if strings.HasPrefix(s, "-") && strings.Trim(s[1:], "0.") == "" {
		return s[1:]
	}
	return s
}

// grouped formats v with prec digits after the point and commas between
// groups of three digits: 1234567.891 -> "1,234,567.89". Trailing zeros
// after the point are dropped (12.50 -> "12.5", 3.00 -> "3").
func grouped(v float64, prec int) string {
	s := fixed(v, prec)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return territory.GroupDigits(s)
}

// labelPoints returns, for every territory of plan pl, the location of the
// account nearest the mean of its accounts in the local projection
// ([spatial.Project]): a point of the territory near its middle, where its
// label reads as the territory's; nil for a territory without accounts.
// Ties go to the lower account index.
func labelPoints(p *territory.Problem, pl *territory.Plan, k int) []*territory.Point {
	proj := spatial.Project(p.Space, p.Accounts.Locs)
	sx, sy := make([]float64, k), make([]float64, k)
	count := make([]int, k)
	for i, t := range pl.Assign {
		sx[t] += proj[i].X
		sy[t] += proj[i].Y
		count[t]++
	}
	best := make([]int, k)
	bestD := make([]float64, k)
	for t := range best {
		best[t], bestD[t] = -1, math.Inf(1)
	}
	for i, t := range pl.Assign {
		mx, my := sx[t]/float64(count[t]), sy[t]/float64(count[t])
		if d := (proj[i].X-mx)*(proj[i].X-mx) + (proj[i].Y-my)*(proj[i].Y-my); d < bestD[t] {
			best[t], bestD[t] = i, d
		}
	}
	out := make([]*territory.Point, k)
	for t, i := range best {
		if i >= 0 {
			loc := p.Accounts.Locs[i]
			out[t] = &loc
		}
	}
	return out
}

// labelAt is where the territory's label sits: Label, else Center.
func (t *Territory) labelAt() territory.Point {
	if t.Label != nil {
		return *t.Label
	}
	return t.Center
}
