package render

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// twoReps is a planar problem of six accounts and two reps, one at half
// capacity and one without a home, balanced on revenue within 10%.
func twoReps(t *testing.T) (*territory.Problem, *territory.Plan) {
	t.Helper()
	rule, err := territory.ParseBalanceRule("revenue:10%")
	if err != nil {
		t.Fatal(err)
	}
	p := &territory.Problem{
		Space: territory.Planar,
		Accounts: territory.Accounts{
			IDs:   []string{"a1", "a2", "a3", "b1", "b2", "b3"},
			Names: []string{"Alpha", "", "Gamma", "Beta", "", "<b>bold</b>"},
			Locs:  []territory.Point{{X: 0, Y: 0}, {X: 1, Y: 0}, {X: 0, Y: 1}, {X: 5, Y: 5}, {X: 6, Y: 5}, {X: 5, Y: 6}},
			Measures: []territory.Measure{
				{Name: "revenue", Column: "Revenue", Values: []float64{400, 200, 300, 100, 100, 100}},
				{Name: "visits", Column: "Visits", Values: []float64{1, 2, 3, 4, 5, 6}},
			},
		},
		Reps: []territory.Rep{
			{ID: "R1", Name: "Ann", Capacity: 1, Home: territory.Point{X: 0.5, Y: 0.5}, HasHome: true},
			{ID: "R2", Capacity: 0.5},
		},
		Rules: []territory.BalanceRule{rule},
	}
	pl := &territory.Plan{
		Assign:        []int{0, 0, 0, 1, 1, 1},
		Centers:       []territory.Point{{X: 1.0 / 3, Y: 1.0 / 3}, {X: 16.0 / 3, Y: 16.0 / 3}},
		CenterAccount: []int{-1, -1},
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := pl.Check(p); err != nil {
		t.Fatal(err)
	}
	return p, pl
}

func TestFromPlan(t *testing.T) {
	p, pl := twoReps(t)
	square := orb.MultiPolygon{{{{-1, -1}, {2, -1}, {2, 2}, {-1, 2}, {-1, -1}}}}
	m := FromPlan(p, pl, nil, []orb.MultiPolygon{square}) // one boundary for two territories
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	if m.Space != territory.Planar || !cmp.Equal(m.Measures, []string{"Revenue", "Visits"}) {
		t.Errorf("space %v, measures %v", m.Space, m.Measures)
	}
	if len(m.Territories) != 2 || m.Territories[0].ID != "T1" || m.Territories[1].Rep != "R2" || m.Territories[0].Name != "Ann" {
		t.Fatalf("territories %+v", m.Territories)
	}
	if len(m.Territories[0].Boundary) != 1 || m.Territories[1].Boundary != nil {
		t.Errorf("boundaries: %v and %v", m.Territories[0].Boundary, m.Territories[1].Boundary)
	}
	if m.Territories[1].Center != pl.Centers[1] {
		t.Errorf("centre %v, want %v", m.Territories[1].Center, pl.Centers[1])
	}
	// Revenue 1,200 in all, targets 800 and 400 (capacities 1 and 0.5):
	// T1 holds 900 (112.5%), above the band of ±10%. The distances
	// of T1's accounts to (1/3, 1/3) are 0.471, 0.745 and 0.745.
	want := []Stat{
		{"Rep", "Ann (R1)"},
		{"Accounts", "3"},
		{"Revenue", "900 (112.5% of target) outside revenue:10%"},
		{"Visits", "6"},
		{"Mean distance", "0.7"},
		{"Max distance", "0.7"},
	}
	if diff := cmp.Diff(want, m.Territories[0].Stats); diff != "" {
		t.Errorf("T1 stats (-want +got):\n%s", diff)
	}
	if got := m.Territories[1].Stats[2]; got != (Stat{"Capacity", "0.5"}) {
		t.Errorf("T2 third stat %v, want its capacity", got)
	}
	wantAcc := Account{ID: "b3", Name: "<b>bold</b>", Loc: territory.Point{X: 5, Y: 6}, Territory: 1, Values: []float64{100, 6}}
	if diff := cmp.Diff(wantAcc, m.Accounts[5]); diff != "" {
		t.Errorf("account b3 (-want +got):\n%s", diff)
	}
	if want := []Home{{Rep: "R1", Name: "Ann", Loc: territory.Point{X: 0.5, Y: 0.5}, Territory: 0}}; !cmp.Equal(m.Homes, want) {
		t.Errorf("homes %+v, want %+v", m.Homes, want)
	}
	// The map draws.
	svgOf(t, m, SVGOptions{})
	htmlOf(t, m)
	// Changing one account's values leaves the others alone.
	m.Accounts[0].Values = append(m.Accounts[0].Values, 99)
	if m.Accounts[1].Values[0] != 200 {
		t.Errorf("accounts share values")
	}
}

// TestFromPlanLevels checks that the levels of a plan reach the map: every
// territory's parent at each level, and its parents' ids in its
// statistics, after its rep.
func TestFromPlanLevels(t *testing.T) {
	p, pl := twoReps(t)
	pl.Levels = []territory.Parents{
		{Level: "district", IDs: []string{"district-1", "district-2"}, Of: []int{1, 0}},
		{Level: "region", IDs: []string{"region-1"}, Of: []int{0, 0}},
	}
	if err := pl.Check(p); err != nil {
		t.Fatal(err)
	}
	m := FromPlan(p, pl, nil, nil)
	want := []Level{
		{Name: "district", IDs: []string{"district-1", "district-2"}, Of: []int{1, 0}},
		{Name: "region", IDs: []string{"region-1"}, Of: []int{0, 0}},
	}
	if diff := cmp.Diff(want, m.Levels); diff != "" {
		t.Errorf("levels (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]Stat{{"Rep", "Ann (R1)"}, {"District", "district-2"}, {"Region", "region-1"}, {"Accounts", "3"}}, m.Territories[0].Stats[:4]); diff != "" {
		t.Errorf("T1's first stats (-want +got):\n%s", diff)
	}
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
}

// A territory's label sits at its account nearest the middle of its
// accounts, not at its centre: a centre fixed at a rep's home far away
// would put the label outside the territory, on top of its neighbours'.
func TestFromPlanLabelInside(t *testing.T) {
	p, pl := twoReps(t)
	// Both centres far from their accounts, as homes of reps who share an
	// office elsewhere.
	pl.Centers = []territory.Point{{X: 20, Y: 20}, {X: 20, Y: 20}}
	m := FromPlan(p, pl, nil, nil)
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	// The means are (1/3, 1/3) and (16/3, 16/3): a1 at (0, 0) is nearest
	// the first (a2 and a3 tie behind it), b1 at (5, 5) the second.
	want := []territory.Point{{X: 0, Y: 0}, {X: 5, Y: 5}}
	for k, tt := range m.Territories {
		if tt.Center != pl.Centers[k] {
			t.Errorf("territory %s: centre %v, want the plan's %v", tt.ID, tt.Center, pl.Centers[k])
		}
		if tt.Label == nil || *tt.Label != want[k] {
			t.Errorf("territory %s: label at %v, want %v", tt.ID, tt.Label, want[k])
		}
	}
	// At the centres both labels would fall on one spot, and one would be
	// left out.
	var b bytes.Buffer
	if err := WriteSVG(&b, m, SVGOptions{}); err != nil {
		t.Fatal(err)
	}
	svg := b.String()
	for _, tt := range m.Territories {
		if !strings.Contains(svg, ">"+tt.ID+"</text>") {
			t.Errorf("map.svg has no label %s", tt.ID)
		}
	}
	if strings.Contains(svg, "left out") {
		t.Error("map.svg leaves a label out")
	}
}
