package solve

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// gridProblem is a planar problem of accounts on a regular grid of
// w x h cells of 10 units each, one account per cell, and reps at the given
// homes, every rep's capacity 1, with centres at the homes.
func gridProblem(t *testing.T, w, h int, homes []territory.Point, rules ...string) *territory.Problem {
	t.Helper()
	p := &territory.Problem{Space: territory.Planar, Center: territory.CenterHome}
	for y := range h {
		for x := range w {
			p.Accounts.IDs = append(p.Accounts.IDs, fmt.Sprintf("A%05d", len(p.Accounts.IDs)+1))
			p.Accounts.Locs = append(p.Accounts.Locs, territory.Point{X: 10*float64(x) + 5, Y: 10*float64(y) + 5})
		}
	}
	for k, home := range homes {
		p.Reps = append(p.Reps, territory.Rep{ID: fmt.Sprintf("R%02d", k+1), Capacity: 1, Home: home, HasHome: true})
	}
	p.Rules = mustRules(t, rules...)
	return p
}

// Reps whose homes are close next to a territory's radius share an
// office; reps at one address always do; reps farther apart do not.
func TestOfficeGroupsNearHomes(t *testing.T) {
	// 3,600 accounts on 600 x 600 among four reps: a territory's 900
	// accounts lie within about 170 units of a home.
	for _, tt := range []struct {
		name   string
		second territory.Point // the second rep's home; the first is at (150, 300)
		want   [][]int
	}{
		{"one address", territory.Point{X: 150, Y: 300}, [][]int{{0, 1}, {2}, {3}}},
		{"30 apart", territory.Point{X: 180, Y: 300}, [][]int{{0, 1}, {2}, {3}}},
		{"80 apart", territory.Point{X: 230, Y: 300}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := gridProblem(t, 60, 60, []territory.Point{{X: 150, Y: 300}, tt.second, {X: 450, Y: 150}, {X: 450, Y: 450}}, "count:3%")
			if got := officeGroups(p); !slices.EqualFunc(got, tt.want, slices.Equal) {
				t.Errorf("officeGroups = %v, want %v", got, tt.want)
			}
		})
	}
}

// The pieces of an office's split go to the reps whose homes they are
// nearer, unless the reps' bands differ or their homes are one.
func TestMatchReps(t *testing.T) {
	for _, tt := range []struct {
		name    string
		homes   []territory.Point
		half    bool // the second rep works half time
		swapped bool
	}{
		{"apart", []territory.Point{{X: 100, Y: 150}, {X: 500, Y: 150}}, false, true},
		{"apart, bands differ", []territory.Point{{X: 100, Y: 150}, {X: 500, Y: 150}}, true, false},
		{"one address", []territory.Point{{X: 300, Y: 150}, {X: 300, Y: 150}}, false, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := gridProblem(t, 60, 30, tt.homes, "count:3%")
			if tt.half {
				p.Reps[1].Capacity = 0.5
			}
			o := &offices{p: p, m: newModel(p)}
			idx := indices(p.Accounts.Len())
			// The west half to the rep in the east and the east half to
			// the rep in the west.
			assign := make([]int, len(idx))
			for j, i := range idx {
				if p.Accounts.Locs[i].X < 300 {
					assign[j] = 1
				}
			}
			before := slices.Clone(assign)
			o.matchReps(idx, []int{0, 1}, assign)
			changed := !slices.Equal(assign, before)
			if changed != tt.swapped {
				t.Fatalf("pieces traded: %v, want %v", changed, tt.swapped)
			}
			if changed {
				for j, i := range idx {
					if west := p.Accounts.Locs[i].X < 300; west != (assign[j] == 0) {
						t.Fatalf("account %d at x %g went to rep %d", i, p.Accounts.Locs[i].X, assign[j])
					}
				}
			}
		})
	}
}

// Two reps 20 units apart in the middle of a strip 1,200 long and 300
// wide: as two homes, a power diagram parts them by a line along the
// strip, each territory a strip as long as the whole; as one office they
// are cut across it, each territory a half of the strip's length.
func TestNearHomesCutAsOneOffice(t *testing.T) {
	p := gridProblem(t, 120, 30, []territory.Point{{X: 600, Y: 140}, {X: 600, Y: 160}}, "count:2%")
	pl, _, err := Solve(context.Background(), p, Options{Seed: 1, Shape: Regions})
	if err != nil {
		t.Fatal(err)
	}
	if broken := checkRules(p, pl); len(broken) > 0 {
		t.Errorf("rules broken: %v", broken)
	}
	least := []float64{math.Inf(1), math.Inf(1)}
	most := []float64{math.Inf(-1), math.Inf(-1)}
	for i, k := range pl.Assign {
		x := p.Accounts.Locs[i].X
		least[k], most[k] = math.Min(least[k], x), math.Max(most[k], x)
	}
	for k := range least {
		t.Logf("territory %d spans x %g to %g", k, least[k], most[k])
		if most[k]-least[k] > 0.6*1200 {
			t.Errorf("territory %d spans %g of the strip's 1,200: a strip along it, not a half", k, most[k]-least[k])
		}
	}
}
