package render

import (
	"github.com/territory-optimizer/territory/pkg/territory"
)

// prepared is what both writers need of a map: its projection, the
// projected accounts, the hulls of the territories without a boundary and
// the colour of every territory.
type prepared struct {
	m    *Map
	proj projection
	// xy holds the projected location of every account.
	xy [][2]float64
	// hulls holds, for every territory without a boundary, the convex
	// hull of its accounts (indices into xy, counter-clockwise); nil for a
	// territory with a boundary.
	hulls [][]int32
	// members lists every territory's accounts, in account order.
	members [][]int32
	// colors holds every territory's colour index (see Color).
	colors []int
	// bounds is the projected extent of everything drawn.
	bounds box
}

func prepare(m *Map) (*prepared, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	pr := &prepared{m: m}
	pr.proj = newProjection(m.Space, m.points)
	pr.bounds = emptyBox()
	for p := range m.points {
		x, y := pr.proj.project(p)
		pr.bounds.add(x, y)
	}
	pr.xy = make([][2]float64, len(m.Accounts))
	pr.members = make([][]int32, len(m.Territories))
	for i := range m.Accounts {
		a := &m.Accounts[i]
		x, y := pr.proj.project(a.Loc)
		pr.xy[i] = [2]float64{x, y}
		pr.members[a.Territory] = append(pr.members[a.Territory], int32(i))
	}
	pr.hulls = make([][]int32, len(m.Territories))
	for k := range m.Territories {
		if !hasArea(m.Territories[k].Boundary) {
			pr.hulls[k] = convexHull(pr.xy, pr.members[k])
		}
	}
	pr.colors = colorGraph(adjacency(m, pr.xy, pr.hulls))
	return pr, nil
}

// points yields every location of the map: accounts, homes, territory
// centres and boundary vertices.
func (m *Map) points(yield func(territory.Point) bool) {
	for i := range m.Accounts {
		if !yield(m.Accounts[i].Loc) {
			return
		}
	}
	for i := range m.Homes {
		if !yield(m.Homes[i].Loc) {
			return
		}
	}
	for i := range m.Territories {
		t := &m.Territories[i]
		if !yield(t.Center) {
			return
		}
		for _, poly := range t.Boundary {
			for _, ring := range poly {
				for _, p := range ring {
					if !yield(territory.Point{X: p[0], Y: p[1]}) {
						return
					}
				}
			}
		}
	}
}

// color is the colour of territory k.
func (pr *prepared) color(k int) string { return Color(pr.colors[k]) }
