package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// Run holds the settings a run used, as summary.json records them. It holds
// no times or durations, so that the same run writes the same bytes.
type Run struct {
	Version   string   // the territory version that made the plan
	Seed      uint64   // the solver's seed
	Objective string   // "sse" or "distance"
	Weight    string   // the measure that weights the objective, "" when none
	Center    string   // "mean", "unit" or "home"
	Shape     string   // "regions" or "free", as the solver was asked; "" when no solver made the plan (evaluate)
	Rules     []string // the balance rules as given
	Derived   []string // the derived measures as given, NAME=EXPR; nil when none
	K         int      // the number of territories
	Accounts  string   // the accounts input (a file name, or "demo")
	Reps      string   // the reps input, "" when none
	Space     string   // "geographic" or "planar"
	// Solver holds extra statistics of the solver (such as rounds and
	// moves), or nil. It is written with encoding/json as it is, so it must
	// be deterministic and free of NaN and infinities.
	Solver any
	// Bound is a lower bound on the objective, when the solver found one.
	Bound *Bound
}

// Bound is a lower bound on the objective: no plan that meets every rule
// costs less (Scope says which plans it covers).
type Bound struct {
	Value float64
	// Scope is "problem" when the bound holds for every plan (centres
	// fixed at homes), or "assignment" when it holds for every assignment
	// to the plan's own centres.
	Scope string
}

// The JSON document of summary.json. Field order is the output order; every
// key is always present (except "zero_target", written only when true), so
// that the schema does not depend on the data.
type summaryJSON struct {
	Version     string          `json:"version"`
	Settings    settingsJSON    `json:"settings"`
	Problem     problemJSON     `json:"problem"`
	Objective   objectiveJSON   `json:"objective"`
	Shape       shapeJSON       `json:"shape"`
	Measures    []measureJSON   `json:"measures"`
	Territories []territoryJSON `json:"territories"`
	Violations  []violationJSON `json:"violations"`
	Levels      []levelJSON     `json:"levels,omitempty"`
	Units       *unitsJSON      `json:"units,omitempty"`
	Feasible    bool            `json:"feasible"`
}

// unitsJSON is how a plan made of units covers its layer.
type unitsJSON struct {
	File       string          `json:"file"`
	Units      int             `json:"units"`
	Empty      int             `json:"empty_units"`
	SplitUnits int             `json:"split_units"`
	Split      []splitUnitJSON `json:"split"`
	Exceptions int             `json:"exceptions"`
	Listed     []exceptionJSON `json:"exception_accounts"` // the first MaxExceptionsListed
}

type splitUnitJSON struct {
	UnitID      string `json:"unit_id"`
	TerritoryID string `json:"territory_id"` // the default owner
	RepID       string `json:"rep_id"`
	Accounts    int    `json:"accounts"`
	Exceptions  int    `json:"exceptions"`
}

type exceptionJSON struct {
	AccountID       string `json:"account_id"`
	UnitID          string `json:"unit_id"`
	TerritoryID     string `json:"territory_id"`
	RepID           string `json:"rep_id"`
	UnitTerritoryID string `json:"unit_territory_id"`
}

// unitsSummaryJSON is m.Units in summary.json.
func unitsSummaryJSON(m *Metrics) *unitsJSON {
	u := m.Units
	j := &unitsJSON{File: u.Layer, Units: len(u.Rows), Empty: u.Empty, SplitUnits: len(u.Split), Split: []splitUnitJSON{},
		Exceptions: len(u.Exceptions), Listed: []exceptionJSON{}}
	for _, r := range u.Split {
		j.Split = append(j.Split, splitUnitJSON{UnitID: r.ID, TerritoryID: r.TerritoryID, RepID: r.RepID, Accounts: r.Accounts, Exceptions: r.ExceptionsInUnit})
	}
	for _, e := range u.Exceptions[:min(len(u.Exceptions), MaxExceptionsListed)] {
		t, ut := m.Territories[e.Territory], m.Territories[e.UnitTerritory]
		j.Listed = append(j.Listed, exceptionJSON{AccountID: e.AccountID, UnitID: e.UnitID, TerritoryID: t.ID, RepID: t.RepID, UnitTerritoryID: ut.ID})
	}
	return j
}

type settingsJSON struct {
	Seed      uint64   `json:"seed"`
	Objective string   `json:"objective"`
	Weight    string   `json:"weight"`
	Group     string   `json:"group,omitempty"` // a grouped problem's group column
	Center    string   `json:"center"`
	Shape     string   `json:"shape"`
	Rules     []string `json:"rules"`
	Derived   []string `json:"derived_measures"`
	K         int      `json:"k"`
	Accounts  string   `json:"accounts"`
	Reps      string   `json:"reps"`
	Space     string   `json:"space"`
	Solver    any      `json:"solver"`
}

type problemJSON struct {
	Accounts     int    `json:"accounts"`
	Territories  int    `json:"territories"`
	Space        string `json:"space"`
	DistanceUnit string `json:"distance_unit"`
}

type objectiveJSON struct {
	Name          string `json:"name"`
	Value         number `json:"value"`
	SSE           number `json:"sse"`
	TotalDistance number `json:"total_distance"`
	MaxDistance   number `json:"max_distance"`
	// LowerBound and GapPct are null when no bound was computed; GapPct
	// is how far above the bound the plan is, at most, in % of its value.
	LowerBound *number `json:"lower_bound"`
	GapPct     *number `json:"gap_pct"`
	BoundScope string  `json:"bound_scope"`
}

type shapeJSON struct {
	Pieces               int    `json:"pieces"`
	TerritoriesInPieces  int    `json:"territories_in_pieces"`
	InsideOtherHull      int    `json:"inside_other_hull"`
	InsideOtherHullShare number `json:"inside_other_hull_share"`
	NeighbourAgreement   number `json:"neighbour_agreement"`
}

type measureJSON struct {
	Measure         string `json:"measure"`
	Column          string `json:"column"`
	Rule            string `json:"rule"`
	Total           number `json:"total"`
	MinLoad         number `json:"min_load"`
	MaxLoad         number `json:"max_load"`
	MeanLoad        number `json:"mean_load"`
	MinPct          number `json:"min_pct_target"`
	MaxPct          number `json:"max_pct_target"`
	MeanPct         number `json:"mean_pct_target"`
	StdDevPct       number `json:"stddev_pct_target"`
	CV              number `json:"cv"`
	MaxDeviationPct number `json:"max_deviation_pct"`
	ZeroTargets     int    `json:"zero_targets"`
	Violations      int    `json:"violations"`
}

type territoryJSON struct {
	ID            string     `json:"id"`
	Group         string     `json:"group,omitempty"`
	RepID         string     `json:"rep_id"`
	RepName       string     `json:"rep_name"`
	Capacity      number     `json:"capacity"`
	Accounts      int        `json:"accounts"`
	Center        centerJSON `json:"center"`
	CenterAccount string     `json:"center_account"`
	Compactness   number     `json:"compactness"`
	MeanDistance  number     `json:"mean_distance"`
	MaxDistance   number     `json:"max_distance"`
	// The territory's shape; see shapeJSON for the whole plan's.
	Pieces             int         `json:"pieces"`
	InsideOtherHull    int         `json:"inside_other_hull"`
	NeighbourAgreement number      `json:"neighbour_agreement"`
	Balance            []loadJSON  `json:"balance"`
	Other              []otherJSON `json:"other"`
}

type levelJSON struct {
	Name    string       `json:"name"`
	K       int          `json:"k"`
	Rules   []string     `json:"rules"`
	Met     bool         `json:"met"`
	Parents []parentJSON `json:"parents"`
}

type parentJSON struct {
	ID          string     `json:"id"`
	Parent      string     `json:"parent,omitempty"`
	Children    []string   `json:"children"`
	Territories int        `json:"territories"`
	Accounts    int        `json:"accounts"`
	Pieces      int        `json:"pieces"`
	Balance     []loadJSON `json:"balance"`
}

type loadJSON struct {
	Measure    string `json:"measure"`
	Load       number `json:"load"`
	Target     number `json:"target"`
	PctTarget  number `json:"pct_target"`
	ZeroTarget bool   `json:"zero_target,omitempty"`
	Lo         bound  `json:"lo"`
	Hi         bound  `json:"hi"`
	Excess     number `json:"excess"`
}

type otherJSON struct {
	Measure string `json:"measure"`
	Load    number `json:"load"`
}

type violationJSON struct {
	Territory string `json:"territory"`
	Rep       string `json:"rep"`
	Measure   string `json:"measure"`
	Rule      string `json:"rule"`
	Load      number `json:"load"`
	Target    number `json:"target"`
	Bound     string `json:"bound"`
	Limit     number `json:"limit"`
	Excess    number `json:"excess"`
	ExcessPct number `json:"excess_pct_target"`
	// Cause and culprits: why no plan could avoid this, where plain.
	Cause        string   `json:"cause"`
	Culprits     []string `json:"culprits"`
	CulpritCount int      `json:"culprit_count"`
}

// number is a float written as the package documentation says: at most six
// decimals, no trailing zeros, no negative zero. A NaN or an infinity is an
// error.
type number float64

func (v number) MarshalJSON() ([]byte, error) {
	f := float64(v)
	if !territory.Finite(f) {
		return nil, fmt.Errorf("%v is not a finite number", f)
	}
	return []byte(jsonNumber(f)), nil
}

// bound is a band limit: a number, or null where the band is open.
type bound float64

func (v bound) MarshalJSON() ([]byte, error) {
	if math.IsInf(float64(v), 0) {
		return []byte("null"), nil
	}
	return number(v).MarshalJSON()
}

// centerJSON is a centre: {"lat","lon"} in a geographic problem, {"x","y"}
// in a planar one.
type centerJSON struct {
	space territory.Space
	pt    territory.Point
}

func (c centerJSON) MarshalJSON() ([]byte, error) {
	if !territory.Finite(c.pt.X) || !territory.Finite(c.pt.Y) {
		return nil, fmt.Errorf("centre (%v, %v) is not finite", c.pt.X, c.pt.Y)
	}
	if c.space == territory.Geographic {
		return []byte(`{"lat":` + jsonNumber(c.pt.Y) + `,"lon":` + jsonNumber(c.pt.X) + `}`), nil
	}
	return []byte(`{"x":` + jsonNumber(c.pt.X) + `,"y":` + jsonNumber(c.pt.Y) + `}`), nil
}

// WriteSummaryJSON writes summary.json: the settings of run and the
// metrics m, as one JSON object indented by two spaces and ending in a
// newline:
//
//	{
//	  "version": "v0.1.0",
//	  "settings": {"seed", "objective", "weight", "group" (grouped only),
//	               "center", "shape", "rules": [...],
//	               "derived_measures": [...], "k", "accounts", "reps",
//	               "space", "solver": {...} or null},
//	  "problem": {"accounts", "territories", "space", "distance_unit"},
//	  (every violation also has "cause", "culprits" and "culprit_count")
//	  "objective": {"name", "value", "sse", "total_distance", "max_distance",
//	                "lower_bound" or null, "gap_pct" or null, "bound_scope"},
//	  "shape": {"pieces", "territories_in_pieces", "inside_other_hull",
//	            "inside_other_hull_share", "neighbour_agreement"},
//	  "measures": [{"measure", "column", "rule", "total", "min_load",
//	                "max_load", "mean_load", "min_pct_target",
//	                "max_pct_target", "mean_pct_target", "stddev_pct_target",
//	                "cv", "max_deviation_pct", "zero_targets", "violations"}],
//	  "territories": [{"id", "group" (grouped only), "rep_id", "rep_name",
//	                   "capacity", "accounts",
//	                   "center": {"lat", "lon"} or {"x", "y"},
//	                   "center_account", "compactness", "mean_distance",
//	                   "max_distance", "pieces", "inside_other_hull",
//	                   "neighbour_agreement",
//	                   "balance": [{"measure", "load", "target", "pct_target",
//	                                "zero_target" (only when true),
//	                                "lo", "hi" (null when open), "excess"}],
//	                   "other": [{"measure", "load"}]}],
//	  "violations": [{"territory", "rep", "measure", "rule", "load", "target",
//	                  "bound" ("min" or "max"), "limit", "excess",
//	                  "excess_pct_target"}],
//	  "levels": [{"name", "k", "rules", "met", "parents": [{"id",
//	              "parent" (but at the top level), "children", "territories",
//	              "accounts", "pieces", "balance": [as a territory's]}]}]
//	             (only with levels above the territories),
//	  "units": {"file", "units", "empty_units", "split_units",
//	            "split": [{"unit_id", "territory_id", "rep_id", "accounts",
//	                       "exceptions"}],
//	            "exceptions", "exception_accounts": [{"account_id",
//	            "unit_id", "territory_id", "rep_id", "unit_territory_id"}]}
//	           (only for a plan made of units; the first 1,000 exceptions),
//	  "feasible": true
//	}
//
// "measures" has one entry per balance rule, in rule order; lists are [],
// never null. Distances are in "distance_unit" ("km", or "" for the
// coordinates' own unit). With a "weight", the objective's "value", "sse"
// and "total_distance" and every territory's "compactness" are weighted
// sums (Σ weight·distance², Σ weight·distance; see [Metrics]), and
// "weight" is "" without one. Nothing is written when the document cannot be
// built (a non-finite number, or a Solver value encoding/json rejects).
func WriteSummaryJSON(w io.Writer, run Run, m *Metrics) error {
	doc := summaryJSON{
		Version: run.Version,
		Settings: settingsJSON{
			Seed:      run.Seed,
			Objective: run.Objective,
			Weight:    run.Weight,
			Group:     m.GroupColumn,
			Center:    run.Center,
			Shape:     run.Shape,
			Rules:     nonNil(run.Rules),
			Derived:   nonNil(run.Derived),
			K:         run.K,
			Accounts:  run.Accounts,
			Reps:      run.Reps,
			Space:     run.Space,
			Solver:    run.Solver,
		},
		Problem: problemJSON{
			Accounts:     m.Accounts,
			Territories:  len(m.Territories),
			Space:        m.Space.String(),
			DistanceUnit: m.DistanceUnit(),
		},
		Objective: objectiveJSON{
			Name:          m.Objective.String(),
			Value:         number(m.ObjectiveValue),
			SSE:           number(m.SSE),
			TotalDistance: number(m.TotalDistance),
			MaxDistance:   number(m.MaxDistance),
		},
		Shape: shapeJSON{
			Pieces:               m.Shape.Pieces,
			TerritoriesInPieces:  m.Shape.TerritoriesInPieces,
			InsideOtherHull:      m.Shape.InsideOtherHull,
			InsideOtherHullShare: number(m.Shape.InsideOtherHullShare),
			NeighbourAgreement:   number(m.Shape.NeighbourAgreement),
		},
		Measures:    make([]measureJSON, 0, len(m.Balance)),
		Territories: make([]territoryJSON, 0, len(m.Territories)),
		Violations:  make([]violationJSON, 0, len(m.Violations)),
		Feasible:    m.Feasible(),
	}
	if b := run.Bound; b != nil {
		lb := number(math.Min(b.Value, m.ObjectiveValue))
		gap := number(0)
		if m.ObjectiveValue > 0 {
			gap = number(100 * (m.ObjectiveValue - float64(lb)) / m.ObjectiveValue)
		}
		doc.Objective.LowerBound, doc.Objective.GapPct, doc.Objective.BoundScope = &lb, &gap, b.Scope
	}
	for _, st := range m.Balance {
		doc.Measures = append(doc.Measures, measureJSON{
			Measure:         st.Name,
			Column:          st.Column,
			Rule:            st.Rule.String(),
			Total:           number(st.Total),
			MinLoad:         number(st.MinLoad),
			MaxLoad:         number(st.MaxLoad),
			MeanLoad:        number(st.MeanLoad),
			MinPct:          number(st.MinPct),
			MaxPct:          number(st.MaxPct),
			MeanPct:         number(st.MeanPct),
			StdDevPct:       number(st.StdDevPct),
			CV:              number(st.CV),
			MaxDeviationPct: number(st.MaxDeviationPct),
			ZeroTargets:     st.ZeroTargets,
			Violations:      st.Violations,
		})
	}
	for k, t := range m.Territories {
		ts := m.Shape.territory(k)
		tj := territoryJSON{
			ID:                 t.ID,
			Group:              t.Group,
			RepID:              t.RepID,
			RepName:            t.RepName,
			Capacity:           number(t.Capacity),
			Accounts:           t.Accounts,
			Center:             centerJSON{space: m.Space, pt: t.Center},
			CenterAccount:      t.CenterAccount,
			Compactness:        number(t.Compactness),
			MeanDistance:       number(t.MeanDistance),
			MaxDistance:        number(t.MaxDistance),
			Pieces:             ts.Pieces,
			InsideOtherHull:    ts.InsideOtherHull,
			NeighbourAgreement: number(ts.NeighbourAgreement),
			Balance:            make([]loadJSON, 0, len(t.Loads)),
			Other:              make([]otherJSON, 0, len(t.Others)),
		}
		for j, l := range t.Loads {
			tj.Balance = append(tj.Balance, loadJSON{
				Measure:    m.Balance[j].Name,
				Load:       number(l.Load),
				Target:     number(l.Target),
				PctTarget:  number(l.PctTarget),
				ZeroTarget: l.ZeroTarget,
				Lo:         bound(l.Lo),
				Hi:         bound(l.Hi),
				Excess:     number(l.Excess),
			})
		}
		for j, v := range t.Others {
			tj.Other = append(tj.Other, otherJSON{Measure: m.Others[j].Name, Load: number(v)})
		}
		doc.Territories = append(doc.Territories, tj)
	}
	for _, v := range m.Violations {
		doc.Violations = append(doc.Violations, violationJSON{
			Territory:    v.Territory,
			Rep:          v.Rep,
			Measure:      v.Measure,
			Rule:         v.Rule,
			Load:         number(v.Load),
			Target:       number(v.Target),
			Bound:        v.Bound,
			Limit:        number(v.Limit),
			Excess:       number(v.Excess),
			ExcessPct:    number(v.ExcessPct),
			Cause:        v.Cause,
			Culprits:     nonNil(v.Culprits),
			CulpritCount: v.CulpritCount,
		})
	}
	for _, lv := range m.Levels {
		doc.Levels = append(doc.Levels, levelSummaryJSON(&lv))
	}
	if m.Units != nil {
		doc.Units = unitsSummaryJSON(m)
	}

	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("report: write summary: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// levelSummaryJSON is a level of parents in summary.json.
func levelSummaryJSON(lv *Level) levelJSON {
	lm := lv.Metrics
	j := levelJSON{Name: lv.Name, K: lv.K, Rules: []string{}, Met: lv.Met()}
	for _, st := range lm.Balance {
		j.Rules = append(j.Rules, st.Rule.String())
	}
	for k, t := range lm.Territories {
		pj := parentJSON{ID: t.RepID, Children: nonNil(lv.Children[k]), Territories: lv.Territories[k],
			Accounts: lv.Accounts[k], Pieces: lm.Shape.territory(k).Pieces, Balance: []loadJSON{}}
		if lv.Parents != nil {
			pj.Parent = lv.Parents[k]
		}
		for b, l := range t.Loads {
			pj.Balance = append(pj.Balance, loadJSON{Measure: lm.Balance[b].Name, Load: number(l.Load), Target: number(l.Target),
				PctTarget: number(l.PctTarget), ZeroTarget: l.ZeroTarget, Lo: bound(l.Lo), Hi: bound(l.Hi), Excess: number(l.Excess)})
		}
		j.Parents = append(j.Parents, pj)
	}
	return j
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
