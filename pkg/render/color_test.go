package render

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// checkColoring fails when an edge of adj joins two vertices of one colour.
func checkColoring(t *testing.T, adj [][]int32, colors []int) {
	t.Helper()
	if len(colors) != len(adj) {
		t.Fatalf("%d colours for %d vertices", len(colors), len(adj))
	}
	for v, ns := range adj {
		if colors[v] < 0 {
			t.Fatalf("vertex %d has no colour", v)
		}
		for _, w := range ns {
			if int(w) != v && colors[v] == colors[w] {
				t.Fatalf("neighbours %d and %d share colour %d", v, w, colors[v])
			}
		}
	}
}

// undirected turns a list of edges into sorted adjacency lists.
func undirected(n int, edges [][2]int32) [][]int32 {
	adj := make([][]int32, n)
	for _, e := range edges {
		adj[e[0]] = append(adj[e[0]], e[1])
		adj[e[1]] = append(adj[e[1]], e[0])
	}
	for i := range adj {
		slices.Sort(adj[i])
		adj[i] = slices.Compact(adj[i])
	}
	return adj
}

func TestColorGraphRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		n := 1 + rng.IntN(120)
		p := rng.Float64() * 0.3
		var edges [][2]int32
		for a := range n {
			for b := a + 1; b < n; b++ {
				if rng.Float64() < p {
					edges = append(edges, [2]int32{int32(a), int32(b)})
				}
			}
		}
		adj := undirected(n, edges)
		colors := colorGraph(adj)
		checkColoring(t, adj, colors)
		if again := colorGraph(adj); !slices.Equal(colors, again) {
			t.Fatalf("trial %d: two colourings of one graph differ", trial)
		}
	}
}

func TestColorGraphComplete(t *testing.T) {
	// K12 needs 12 colours: three beyond the palette, all distinct.
	const n = 12
	var edges [][2]int32
	for a := range n {
		for b := a + 1; b < n; b++ {
			edges = append(edges, [2]int32{int32(a), int32(b)})
		}
	}
	adj := undirected(n, edges)
	colors := colorGraph(adj)
	checkColoring(t, adj, colors)
	seen := map[string]bool{}
	for _, c := range colors {
		seen[Color(c)] = true
	}
	if len(seen) != n {
		t.Errorf("%d distinct colour strings for K%d", len(seen), n)
	}
}

func TestColor(t *testing.T) {
	seen := map[string]int{}
	for i := range 200 {
		c := Color(i)
		if len(c) != 7 || c[0] != '#' {
			t.Fatalf("Color(%d) = %q", i, c)
		}
		if j, dup := seen[c]; dup {
			t.Fatalf("Color(%d) = Color(%d) = %s", i, j, c)
		}
		seen[c] = i
	}
	if Color(0) != "#332288" || Color(PaletteSize-1) != "#AA4499" {
		t.Errorf("palette starts %s and ends %s", Color(0), Color(PaletteSize-1))
	}
}

func TestGridAdjacencyAndColors(t *testing.T) {
	// 40 × 25 = 1,000 square territories: each touches the squares beside
	// it (rook adjacency), not the diagonal ones that meet it at a corner.
	const cols, rows = 40, 25
	m := gridMap(cols, rows, 1)
	pr, err := prepare(m)
	if err != nil {
		t.Fatal(err)
	}
	adj := adjacency(m, pr.xy, pr.hulls)
	var edges [][2]int32
	for r := range rows {
		for c := range cols {
			k := int32(r*cols + c)
			if c+1 < cols {
				edges = append(edges, [2]int32{k, k + 1})
			}
			if r+1 < rows {
				edges = append(edges, [2]int32{k, k + cols})
			}
		}
	}
	want := undirected(cols*rows, edges)
	if !slicesEqual(adj, want) {
		t.Fatalf("grid adjacency differs from rook adjacency")
	}
	checkColoring(t, adj, pr.colors)
	if maxColor := slices.Max(pr.colors); maxColor >= PaletteSize {
		t.Errorf("the grid needed colour %d, beyond the palette", maxColor)
	}
	if plain := dsatur(adj, false); slices.Max(plain) != 1 {
		t.Errorf("plain DSATUR coloured a bipartite grid with %d colours, want 2", slices.Max(plain)+1)
	}
}

func slicesEqual(a, b [][]int32) bool {
	return slices.EqualFunc(a, b, func(x, y []int32) bool { return slices.Equal(x, y) })
}

func TestBoundaryAdjacencyTJunction(t *testing.T) {
	// A spans the top of B and C with one edge: no vertex of A sits where
	// B and C meet. D touches C only at a corner; E is apart.
	ring := func(pts ...[2]float64) orb.MultiPolygon {
		r := orb.Ring{}
		for _, p := range pts {
			r = append(r, orb.Point(p))
		}
		return orb.MultiPolygon{{append(r, r[0])}}
	}
	m := &Map{Space: territory.Planar, Territories: []Territory{
		{ID: "A", Boundary: ring([2]float64{0, 0}, [2]float64{2, 0}, [2]float64{2, 1}, [2]float64{0, 1})},
		{ID: "B", Boundary: ring([2]float64{0, -1}, [2]float64{1, -1}, [2]float64{1, 0}, [2]float64{0.5, 0}, [2]float64{0, 0})},
		{ID: "C", Boundary: ring([2]float64{1, -1}, [2]float64{2, -1}, [2]float64{2, 0}, [2]float64{1, 0})},
		{ID: "D", Boundary: ring([2]float64{2, -2}, [2]float64{3, -2}, [2]float64{3, -1}, [2]float64{2, -1})},
		{ID: "E", Boundary: ring([2]float64{5, 5}, [2]float64{6, 5}, [2]float64{6, 6}, [2]float64{5, 6})},
	}}
	adj := adjacency(m, nil, make([][]int32, 5))
	want := [][]int32{{1, 2}, {0, 2}, {0, 1}, nil, nil}
	if !slicesEqual(adj, want) {
		t.Errorf("adjacency = %v, want %v", adj, want)
	}
}

// TestBoundaryAdjacencyGap has territories whose boundaries face each
// other across gaps, as point territories outlined as far as their
// accounts reach do: a gap narrower than gapTolerance of the map keeps
// them neighbours when the boundaries run alongside each other for more
// than gapReach gap widths; a wider gap, a shorter stretch, or corners
// that nearly meet do not.
func TestBoundaryAdjacencyGap(t *testing.T) {
	square := func(x, y, side float64) orb.MultiPolygon {
		return orb.MultiPolygon{{{{x, y}, {x + side, y}, {x + side, y + side}, {x, y + side}, {x, y}}}}
	}
	// The quarter of the ring between radii r0 and r1 around (5, 5), its
	// arcs drawn in 64 chords, each shorter than the gap tolerance
	// (r0 = 0: a quarter disc).
	quarter := func(r0, r1 float64) orb.MultiPolygon {
		at := func(r float64, k int) orb.Point {
			a := float64(k) / 64 * math.Pi / 2
			return orb.Point{5 + r*math.Cos(a), 5 + r*math.Sin(a)}
		}
		var ring orb.Ring
		for k := 0; k <= 64; k++ {
			ring = append(ring, at(r1, k))
		}
		if r0 == 0 {
			ring = append(ring, orb.Point{5, 5})
		} else {
			for k := 64; k >= 0; k-- {
				ring = append(ring, at(r0, k))
			}
		}
		return orb.MultiPolygon{{append(ring, ring[0])}}
	}
	// The boundaries span 10 units: the gap tolerance is 0.05 units, and
	// boundaries must run alongside each other for 0.2.
	m := &Map{Space: territory.Planar, Territories: []Territory{
		{ID: "A", Boundary: square(0, 0, 1)},
		{ID: "B", Boundary: square(1.02, 0, 1)},    // 0.02 right of A: neighbours
		{ID: "C", Boundary: square(0, 1.2, 1)},     // 0.2 above A: apart
		{ID: "D", Boundary: square(2.05, 1.03, 1)}, // off B's corner: apart
		// Curved sides facing each other across 0.03: neighbours.
		{ID: "E", Boundary: quarter(0, 1)},
		{ID: "F", Boundary: quarter(1.03, 2)},
		// Facing across 0.02, but only along 0.15: apart.
		{ID: "G", Boundary: square(8, 8, 0.15)},
		{ID: "H", Boundary: square(8.17, 8, 0.15)},
		{ID: "I", Boundary: square(9, 9, 1)},
	}}
	adj := adjacency(m, nil, make([][]int32, len(m.Territories)))
	want := [][]int32{{1}, {0}, nil, nil, {5}, {4}, nil, nil, nil}
	if !slicesEqual(adj, want) {
		t.Errorf("adjacency = %v, want %v", adj, want)
	}
}

func TestProximityAdjacency(t *testing.T) {
	for _, space := range []territory.Space{territory.Planar, territory.Geographic} {
		for seed := range uint64(5) {
			m := randomMap(seed, 1500, 3+int(seed)*10, space)
			pr, err := prepare(m)
			if err != nil {
				t.Fatal(err)
			}
			adj := adjacency(m, pr.xy, pr.hulls)
			checkColoring(t, adj, pr.colors)
			isAdj := func(a, b int) bool { _, ok := slices.BinarySearch(adj[a], int32(b)); return ok }
			// The nearest neighbour of every account (on the projected map)
			// is in its territory or in a neighbouring one.
			for i := range pr.xy {
				j := nearestOne(pr.xy, i)
				a, b := m.Accounts[i].Territory, m.Accounts[j].Territory
				if a != b && !isAdj(a, b) {
					t.Fatalf("seed %d: accounts %d and %d are nearest neighbours, territories %d and %d are not", seed, i, j, a, b)
				}
			}
			// Overlapping hulls are neighbours.
			for a := range pr.hulls {
				for b := a + 1; b < len(pr.hulls); b++ {
					if len(pr.hulls[a]) >= 3 && len(pr.hulls[b]) >= 3 && convexOverlap(pr.xy, pr.hulls[a], pr.hulls[b]) && !isAdj(a, b) {
						t.Fatalf("hulls %d and %d overlap but are not neighbours", a, b)
					}
				}
			}
		}
	}
}

// nearestOne returns the point nearest to point q, q left out, ties to
// the lower index.
func nearestOne(xy [][2]float64, q int) int {
	best, bestD := -1, 0.0
	for i, p := range xy {
		if d := sqDist(p, xy[q]); i != q && (best < 0 || d < bestD) {
			best, bestD = i, d
		}
	}
	return best
}

func sqDist(a, b [2]float64) float64 {
	dx, dy := a[0]-b[0], a[1]-b[1]
	return dx*dx + dy*dy
}

func TestConvexHull(t *testing.T) {
	xy := [][2]float64{{0, 0}, {2, 0}, {2, 2}, {0, 2}, {1, 1}, {1, 0}, {0, 0}, {2, 2}}
	got := convexHull(xy, []int32{0, 1, 2, 3, 4, 5, 6, 7})
	if want := []int32{0, 1, 2, 3}; !slices.Equal(got, want) {
		t.Errorf("hull = %v, want %v", got, want)
	}
	if got := convexHull(xy, []int32{0, 5, 1}); len(got) != 2 {
		t.Errorf("hull of collinear points = %v, want its two ends", got)
	}
}
