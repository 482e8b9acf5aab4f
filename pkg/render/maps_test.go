package render

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/paulmach/orb"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// hostile is a name that would run a script, break out of an attribute
// or end the JSON block if it were not escaped.
const hostile = `<script>alert(1)</script> "quoted" & 'single' </script><!-- x`

// randomMap places n accounts uniformly in a box and assigns each to the
// nearest of k random territory centres, so that territories are compact
// and neighbouring, as a solver's would be. Geographic maps lie in the
// south-eastern US; planar ones in a 1000 × 600 box. Territories have no
// boundaries, homes sit at the centres.
func randomMap(seed uint64, n, k int, space territory.Space) *Map {
	rng := rand.New(rand.NewPCG(seed, 7))
	x0, y0, w, h := 0.0, 0.0, 1000.0, 600.0
	if space == territory.Geographic {
		x0, y0, w, h = -90, 25, 14, 11
	}
	pt := func() territory.Point {
		return territory.Point{X: x0 + rng.Float64()*w, Y: y0 + rng.Float64()*h}
	}
	m := &Map{Space: space, Title: "Random", Measures: []string{"revenue", "workload"}}
	for t := range k {
		c := pt()
		id := fmt.Sprintf("T%03d", t+1)
		m.Territories = append(m.Territories, Territory{
			ID: id, Rep: fmt.Sprintf("R%03d", t+1), Name: fmt.Sprintf("Rep %d", t+1), Center: c,
			Stats: []Stat{{"Accounts", "?"}},
		})
		m.Homes = append(m.Homes, Home{Rep: fmt.Sprintf("R%03d", t+1), Name: fmt.Sprintf("Rep %d", t+1), Loc: c, Territory: t})
	}
	for i := range n {
		p := pt()
		best, bestD := 0, math.Inf(1)
		for t := range m.Territories {
			c := m.Territories[t].Center
			if d := math.Hypot(p.X-c.X, p.Y-c.Y); d < bestD {
				best, bestD = t, d
			}
		}
		m.Accounts = append(m.Accounts, Account{
			ID: fmt.Sprintf("A%06d", i+1), Name: fmt.Sprintf("Account %d", i+1), Loc: p, Territory: best,
			Values: []float64{math.Round(rng.Float64() * 100000), math.Round(rng.Float64()*100) / 10},
		})
	}
	return m
}

// gridMap is a planar map of cols × rows unit squares, each a territory
// with a boundary and perAccounts accounts inside.
func gridMap(cols, rows, perAccounts int) *Map {
	m := &Map{Space: territory.Planar, Title: "Grid", Unit: "mi"}
	for r := range rows {
		for c := range cols {
			k := len(m.Territories)
			x, y := float64(c), float64(r)
			m.Territories = append(m.Territories, Territory{
				ID: fmt.Sprintf("T%04d", k+1), Rep: fmt.Sprintf("R%04d", k+1),
				Boundary: orb.MultiPolygon{{{{x, y}, {x + 1, y}, {x + 1, y + 1}, {x, y + 1}, {x, y}}}},
				Center:   territory.Point{X: x + 0.5, Y: y + 0.5},
			})
			for a := range perAccounts {
				f := (float64(a) + 0.5) / float64(perAccounts)
				m.Accounts = append(m.Accounts, Account{
					ID:  fmt.Sprintf("A%d-%d", k+1, a+1),
					Loc: territory.Point{X: x + 0.1 + 0.8*f, Y: y + 0.2 + 0.6*f*f}, Territory: k,
				})
			}
		}
	}
	return m
}

// smallMap is the golden case: four territories of a 2 × 2 block of
// squares in Georgia, one of them split into two parts and one with a
// hole, a fifth without a boundary, accounts with names and values, homes,
// and a hostile rep name.
func smallMap() *Map {
	sq := func(x, y, s float64) orb.Ring {
		return orb.Ring{{x, y}, {x + s, y}, {x + s, y + s}, {x, y + s}, {x, y}}
	}
	m := &Map{
		Space:    territory.Geographic,
		Title:    "Small & <simple>",
		Measures: []string{"revenue", "workload"},
		Territories: []Territory{
			{ID: "T1", Rep: "R1", Name: "Ada Lovelace", Boundary: orb.MultiPolygon{{sq(-85, 32, 1)}, {sq(-83.5, 34.2, 0.3)}},
				Center: territory.Point{X: -84.5, Y: 32.5}, Stats: []Stat{{"Accounts", "3"}, {"revenue", "300 (100.0% of target)"}}},
			{ID: "T2", Rep: "R2", Name: hostile, Boundary: orb.MultiPolygon{{sq(-84, 32, 1)}},
				Center: territory.Point{X: -83.5, Y: 32.5}, Stats: []Stat{{"Accounts", "3"}}},
			{ID: "T3", Rep: "R3", Name: "Grace Hopper", Boundary: orb.MultiPolygon{{sq(-85, 33, 1), sq(-84.7, 33.3, 0.4)}},
				Center: territory.Point{X: -84.5, Y: 33.5}, Stats: []Stat{{"Accounts", "2"}}},
			{ID: "T4", Rep: "R4", Boundary: orb.MultiPolygon{{sq(-84, 33, 1)}},
				Center: territory.Point{X: -83.5, Y: 33.5}},
			{ID: "T5", Rep: "R5", Name: "Hull Only", Center: territory.Point{X: -82.2, Y: 32.6}},
		},
		Accounts: []Account{
			{ID: "A1", Name: "Acme", Loc: territory.Point{X: -84.8, Y: 32.2}, Territory: 0, Values: []float64{100, 1.5}},
			{ID: "A2", Name: "Bolt & Nut", Loc: territory.Point{X: -84.3, Y: 32.7}, Territory: 0, Values: []float64{120, 2}},
			{ID: "A3", Loc: territory.Point{X: -83.4, Y: 34.35}, Territory: 0, Values: []float64{80, 0.5}},
			{ID: "A4", Name: hostile, Loc: territory.Point{X: -83.8, Y: 32.3}, Territory: 1, Values: []float64{90, 1}},
			{ID: "A5", Loc: territory.Point{X: -83.2, Y: 32.8}, Territory: 1, Values: []float64{110, 1.2}},
			{ID: "A6", Loc: territory.Point{X: -83.5, Y: 32.1}, Territory: 1, Values: []float64{100, 1}},
			{ID: "A7", Loc: territory.Point{X: -84.9, Y: 33.9}, Territory: 2, Values: []float64{150, 3}},
			{ID: "A8", Loc: territory.Point{X: -84.1, Y: 33.1}, Territory: 2, Values: []float64{50, 0.5}},
			{ID: "A9", Loc: territory.Point{X: -83.5, Y: 33.6}, Territory: 3, Values: []float64{100, 1}},
			{ID: "A10", Loc: territory.Point{X: -82.5, Y: 32.2}, Territory: 4, Values: []float64{70, 1}},
			{ID: "A11", Loc: territory.Point{X: -81.9, Y: 32.4}, Territory: 4, Values: []float64{60, 1}},
			{ID: "A12", Loc: territory.Point{X: -82.2, Y: 33.0}, Territory: 4, Values: []float64{65, 1}},
		},
		Homes: []Home{
			{Rep: "R1", Name: "Ada Lovelace", Loc: territory.Point{X: -84.6, Y: 32.4}, Territory: 0},
			{Rep: "R2", Name: hostile, Loc: territory.Point{X: -83.6, Y: 32.6}, Territory: 1},
		},
	}
	return m
}

// levelsMap is gridMap(4, 3, 2) with two levels above its territories:
// districts of two columns by the lower two rows or the top row (4), and
// regions of two columns (2), outlined by the rectangles they cover.
func levelsMap() *Map {
	m := gridMap(4, 3, 2)
	rect := func(x0, y0, x1, y1 float64) orb.MultiPolygon {
		return orb.MultiPolygon{{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}}
	}
	district := Level{Name: "district", IDs: []string{"d1", "d2", "d3", "d4"},
		Boundaries: []orb.MultiPolygon{rect(0, 0, 2, 2), rect(2, 0, 4, 2), rect(0, 2, 2, 3), rect(2, 2, 4, 3)}}
	region := Level{Name: "region", IDs: []string{"West", "East"},
		Boundaries: []orb.MultiPolygon{rect(0, 0, 2, 3), rect(2, 0, 4, 3)}}
	for k := range m.Territories {
		c, r := k%4, k/4
		district.Of = append(district.Of, c/2+2*(r/2))
		region.Of = append(region.Of, c/2)
	}
	m.Levels = []Level{district, region}
	return m
}

// withRules gives m the balance rules revenue:5% (its first measure; none
// when it has no measures) and count:10%, every territory's target an
// equal share of the total, as FromPlan gives a plan's rules, and returns
// m.
func withRules(m *Map) *Map {
	k := float64(len(m.Territories))
	var revenue float64
	for i := range m.Accounts {
		if len(m.Accounts[i].Values) > 0 {
			revenue += m.Accounts[i].Values[0]
		}
	}
	band := func(total, tol float64) []Band {
		bs := make([]Band, len(m.Territories))
		for t := range bs {
			bs[t] = Band{Target: total / k, Lo: total / k * (1 - tol), Hi: total / k * (1 + tol)}
		}
		return bs
	}
	m.Rules = []Rule{
		{Name: "revenue:5%", Measure: 0, Bands: band(revenue, 0.05)},
		{Name: "count:10%", Measure: -1, Bands: band(float64(len(m.Accounts)), 0.1)},
	}
	if len(m.Measures) == 0 {
		m.Rules = m.Rules[1:]
	}
	return m
}
