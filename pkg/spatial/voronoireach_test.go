package spatial

import (
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"github.com/paulmach/orb"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// inside is the signed distance from q to the boundary of the closed ring
// r: positive inside (by the even-odd rule), negative outside.
func inside(r orb.Ring, q orb.Point) float64 {
	dist, in := math.Inf(1), false
	for k := 0; k+1 < len(r); k++ {
		a, b := r[k], r[k+1]
		if (a[1] > q[1]) != (b[1] > q[1]) && q[0] < a[0]+(q[1]-a[1])/(b[1]-a[1])*(b[0]-a[0]) {
			in = !in
		}
		dx, dy := b[0]-a[0], b[1]-a[1]
		s := 0.0
		if l2 := dx*dx + dy*dy; l2 > 0 {
			s = min(max(((q[0]-a[0])*dx+(q[1]-a[1])*dy)/l2, 0), 1)
		}
		dist = min(dist, math.Hypot(q[0]-a[0]-s*dx, q[1]-a[1]-s*dy))
	}
	if !in {
		return -dist
	}
	return dist
}

// checkReachCells verifies the cells of tr clipped to box and to the reach
// of radius. Every cell is closed, counter-clockwise and star-shaped
// around its point, and its positions lie in the box, in the point's
// Voronoi cell (so the cells do not overlap: each lies in the convex
// Voronoi cell that holds its positions) and within the largest radius of
// the points whose cells touch its own. Where two neighbours' boundaries run
// along their common bisector, each edge of one is an edge of the other,
// walked the other way (so a Voronoi vertex that one cell reaches along an
// edge is reached by the cell across it, and no pocket can open between
// three cells there). Sample positions within 98% of its radius of their
// nearest point (a margin for the chords between the rays) lie in its
// cell, positions farther from it than its neighbours' radii in none.
func checkReachCells(t *testing.T, tr *Triangulation, box orb.Bound, radius []float64, cells []orb.Polygon, rng *rand.Rand) {
	t.Helper()
	pts := tr.Points
	if len(cells) != len(pts) {
		t.Fatalf("%d cells for %d points", len(cells), len(pts))
	}
	scale := max(box.Max[0]-box.Min[0], box.Max[1]-box.Min[1])
	tol := 1e-9 * scale
	rad := func(i int) float64 {
		if i < len(radius) {
			return radius[i]
		}
		return math.Inf(1)
	}
	nbrs := tr.Neighbours()
	// reach[i] bounds the largest radius of the points whose cells touch
	// i's: those within two steps of i in the triangulation (where more
	// than three points lie on one circle, some of them are not
	// neighbours).
	reach := make([]float64, len(pts))
	least := make([]float64, len(pts)) // and the least
	for i := range pts {
		reach[i], least[i] = rad(i), rad(i)
		for _, j := range nbrs[i] {
			for _, k := range nbrs[j] {
				reach[i] = max(reach[i], rad(int(j)), rad(int(k)))
				least[i] = min(least[i], max(rad(int(j)), 0), max(rad(int(k)), 0))
			}
		}
	}
	// equidistant lists the points nearest to q, up to rounding.
	equidistant := func(q orb.Point) []int {
		best := math.Inf(1)
		for _, p := range pts {
			best = min(best, dist2(q[0], q[1], p.X, p.Y))
		}
		var near []int
		for i, p := range pts {
			if tr.Representative(i) == i && dist2(q[0], q[1], p.X, p.Y) <= best+tol*scale {
				near = append(near, i)
			}
		}
		return near
	}
	type edge struct{ a, b orb.Point }
	edges := make(map[edge]int)
	for i, c := range cells {
		if tr.Representative(i) != i || !(rad(i) > 0) {
			if c != nil {
				t.Fatalf("point %d (a duplicate, or of radius %v) has a cell", i, rad(i))
			}
			continue
		}
		if c == nil {
			if box.Contains(orb.Point{pts[i].X, pts[i].Y}) {
				t.Fatalf("point %d in the box has no cell", i)
			}
			continue
		}
		r := c[0]
		if len(c) != 1 || len(r) < 4 || r[0] != r[len(r)-1] {
			t.Fatalf("cell %d: %d rings, the first of %d positions", i, len(c), len(r))
		}
		if a := ringArea(r); a <= 0 {
			t.Fatalf("cell %d has area %v", i, a)
		}
		o := pts[i]
		for k := 0; k+1 < len(r); k++ {
			p, q := r[k], r[k+1]
			if p == q {
				t.Fatalf("cell %d repeats position %v", i, p)
			}
			edges[edge{p, q}]++
			if !box.Contains(p) {
				t.Fatalf("cell %d: position %v outside the box %v", i, p, box)
			}
			if d := math.Sqrt(dist2(p[0], p[1], o.X, o.Y)); d > (1+2*vertexSlack)*reach[i]*(1+1e-9)+tol {
				t.Fatalf("cell %d: position %v at %v from its point, radii up to %v", i, p, d, reach[i])
			}
			if near := equidistant(p); !slices.Contains(near, i) {
				t.Fatalf("cell %d: position %v is nearer to points %v", i, p, near)
			}
			// Star-shaped: every edge turns counter-clockwise around the
			// point, up to rounding.
			if turn := float64((p[0]-o.X)*(q[1]-o.Y)) - float64((p[1]-o.Y)*(q[0]-o.X)); turn < -tol*scale {
				t.Fatalf("cell %d (point %v, radius %v) turns back at %v: %v", i, o, rad(i), p, r)
			}
		}
	}
	for e, n := range edges {
		if n != 1 {
			t.Fatalf("edge %v appears %d times", e, n)
		}
	}
	for i, ns := range nbrs {
		for _, j32 := range ns {
			j := int(j32)
			if cells[i] == nil || cells[j] == nil {
				continue
			}
			// Every edge of i along the bisector of i and j is an edge of
			// j, walked the other way.
			a, b := pts[i], pts[j]
			mx, my, dx, dy, dd := bisector(a, b)
			l := math.Sqrt(dd)
			off := func(p orb.Point) float64 {
				return math.Abs(float64((p[0]-mx)*dy)-float64((p[1]-my)*dx)) / l
			}
			r := cells[i][0]
			for k := 0; k+1 < len(r); k++ {
				if off(r[k]) <= tol && off(r[k+1]) <= tol && edges[edge{r[k+1], r[k]}] == 0 {
					t.Fatalf("cells %d and %d (points %v, %v, radii %v, %v): edge %v-%v of %d is not an edge of %d;\n%v\n%v",
						i, j, a, b, rad(i), rad(j), r[k], r[k+1], i, j, cells[i], cells[j])
				}
			}
		}
	}
	for range 2000 {
		q := orb.Point{box.Min[0] + rng.Float64()*(box.Max[0]-box.Min[0]), box.Min[1] + rng.Float64()*(box.Max[1]-box.Min[1])}
		near := equidistant(q)[0]
		d := math.Sqrt(dist2(q[0], q[1], pts[near].X, pts[near].Y))
		for i, c := range cells {
			if c == nil {
				continue
			}
			depth := inside(c[0], q)
			switch {
			case i == near && d < 0.98*least[i] && depth < -tol:
				t.Fatalf("%v is %v from its nearest point %d %v (radius %v) but outside its cell %v (box %v)", q, d, i, pts[i], rad(i), c, box)
			case i == near && d > (1+2*vertexSlack)*reach[i]*(1+1e-9) && depth > tol:
				t.Fatalf("%v is %v from its nearest point %d (radii up to %v) but inside its cell", q, d, i, reach[i])
			case i != near && depth > tol:
				t.Fatalf("%v, nearest to point %d, is inside cell %d", q, near, i)
			}
		}
	}
}

func TestVoronoiCellsWithinSmall(t *testing.T) {
	box := orb.Bound{Min: orb.Point{-1, -1}, Max: orb.Point{3, 3}}
	inf := math.Inf(1)
	tests := []struct {
		name   string
		pts    []territory.Point
		radius []float64
		want   []orb.Polygon // nil: checked only by the properties
	}{
		{
			// A disc inside its cell is the whole 32-gon.
			name:   "one point, small disc",
			pts:    []territory.Point{pt(1, 1)},
			radius: []float64{0.5},
		},
		{
			// Radius +Inf, or none given, leaves the cells of VoronoiCells.
			name:   "infinite radius",
			pts:    []territory.Point{pt(0, 1), pt(2, 1)},
			radius: []float64{inf},
			want: []orb.Polygon{
				{{{1, 3}, {-1, 3}, {-1, -1}, {1, -1}, {1, 3}}},
				{{{1, -1}, {3, -1}, {3, 3}, {1, 3}, {1, -1}}},
			},
		},
		{
			// The bisector x = 1 is inside both discs of radius 2 from
			// y = 1 - √3 to 1 + √3; the rest of each cell is a polygon arc.
			name:   "two points, equal discs",
			pts:    []territory.Point{pt(0, 1), pt(2, 1)},
			radius: []float64{2, 2},
		},
		{
			// Point 1's disc reaches the bisector over a shorter stretch
			// than point 0's: point 0's side of the edge is cut there.
			name:   "two points, unequal discs",
			pts:    []territory.Point{pt(0, 1), pt(2, 1)},
			radius: []float64{2, 1.2},
		},
		{
			// The discs do not reach the bisector: two separate polygons.
			name:   "two points, apart",
			pts:    []territory.Point{pt(0, 1), pt(2, 1)},
			radius: []float64{0.7, 0.9},
		},
		{
			name:   "no cell for a radius of 0 or NaN",
			pts:    []territory.Point{pt(0, 0), pt(2, 0), pt(2, 2), pt(0, 2)},
			radius: []float64{0, math.NaN(), 1.5, 1.5},
		},
		{
			name:   "collinear strips",
			pts:    []territory.Point{pt(2, 1), pt(0, 1), pt(1, 1)},
			radius: []float64{0.6, 1, 2},
		},
		{
			name:   "duplicates",
			pts:    []territory.Point{pt(0, 0), pt(2, 2), pt(0, 0), pt(2, 0)},
			radius: []float64{1.5, 1.5, 1.5, 1.5},
		},
		{
			// Points on the box's sides and corner.
			name:   "points on the box",
			pts:    []territory.Point{pt(-1, -1), pt(3, 1), pt(1, 3), pt(1, 1)},
			radius: []float64{1, 1, 2, 1.5},
		},
		{
			// Voronoi vertices exactly on the circles: the four quadrants
			// of the square meet at (1, 1), at distance √2 from each
			// point; the box sides are 1 from the outer points.
			name:   "vertices on the circles",
			pts:    []territory.Point{pt(0, 0), pt(2, 0), pt(2, 2), pt(0, 2)},
			radius: []float64{1, 1, 1, 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, err := Delaunay(tt.pts)
			if err != nil {
				t.Fatal(err)
			}
			cells := VoronoiCellsWithin(tr, box, tt.radius)
			for i := range tt.want {
				if !sameRing(cells[i], tt.want[i]) {
					t.Errorf("cell %d = %v, want %v", i, cells[i], tt.want[i])
				}
			}
			checkReachCells(t, tr, box, tt.radius, cells, rand.New(rand.NewPCG(1, 1)))
		})
	}
}

// TestVoronoiCellsWithinShapes checks the shapes that the small cases
// above only bound.
func TestVoronoiCellsWithinShapes(t *testing.T) {
	box := orb.Bound{Min: orb.Point{-1, -1}, Max: orb.Point{3, 3}}
	cellsOf := func(pts []territory.Point, radius []float64) []orb.Polygon {
		tr, err := Delaunay(pts)
		if err != nil {
			t.Fatal(err)
		}
		return VoronoiCellsWithin(tr, box, radius)
	}
	// A disc inside its cell: the regular 32-gon, from angle 0.
	c := cellsOf([]territory.Point{pt(1, 1)}, []float64{0.5})[0]
	if len(c) != 1 || len(c[0]) != ReachRays+1 || c[0][0] != (orb.Point{1.5, 1}) || c[0][8] != (orb.Point{1, 1.5}) {
		t.Errorf("cell of a disc inside the box = %v, want the 32-gon from (1.5, 1)", c)
	}
	if a, want := ringArea(c[0]), ReachRays/2*0.25*math.Sin(2*math.Pi/ReachRays); math.Abs(a-want) > 1e-12 {
		t.Errorf("area of the 32-gon %v, want %v", a, want)
	}
	// Reaches 2 and 2, or 2 and 1.2, around (0, 1) and (2, 1): the box
	// cuts their bisector x = 1 at y = -1 and 3, where the reach is the
	// mean of theirs, 2 or 1.6, beyond the distance √5 from the points;
	// along the bisector the reach is that mean too, so both cells keep
	// the edge from y = 1 - √(R² - 1) to 1 + √(R² - 1), walked both ways.
	for _, r1 := range []float64{2, 1.2} {
		two := cellsOf([]territory.Point{pt(0, 1), pt(2, 1)}, []float64{2, r1})
		h := math.Sqrt((1+r1/2)*(1+r1/2) - 1)
		near := func(p orb.Point, y float64) bool { return p[0] == 1 && math.Abs(p[1]-y) < 1e-12 }
		found := false
		for r, k := two[1][0], 0; k+1 < len(r); k++ {
			if near(r[k], 1+h) && near(r[k+1], 1-h) {
				for q, j := two[0][0], 0; j+1 < len(q); j++ {
					found = found || q[j] == r[k+1] && q[j+1] == r[k]
				}
			}
		}
		if !found {
			t.Errorf("reaches 2 and %v: cells %v and %v do not share an edge from (1, %v) to (1, %v)", r1, two[0], two[1], 1-h, 1+h)
		}
	}
	// Apart: two separate 32-gons.
	apart := cellsOf([]territory.Point{pt(0, 1), pt(2, 1)}, []float64{0.7, 0.9})
	for i, c := range apart {
		if len(c[0]) != ReachRays+1 {
			t.Errorf("cell %d has %d positions, want the whole 32-gon", i, len(c[0]))
		}
	}
}

func TestVoronoiCellsWithinRandom(t *testing.T) {
	tests := []struct {
		name string
		n    int
		gen  func(r *rand.Rand) territory.Point
		// rad gives a point's radius, given the mean spacing.
		rad func(r *rand.Rand, spacing float64) float64
	}{
		{"uniform, equal radii", 300, func(r *rand.Rand) territory.Point { return pt(r.Float64(), r.Float64()) },
			func(_ *rand.Rand, s float64) float64 { return 1.2 * s }},
		{"uniform, mixed radii", 300, func(r *rand.Rand) territory.Point { return pt(r.Float64()*100, r.Float64()*30) },
			func(r *rand.Rand, s float64) float64 { return (0.3 + 2*r.Float64()) * s }},
		{"lattice with repeats", 300, func(r *rand.Rand) territory.Point { return pt(float64(r.IntN(12)), float64(r.IntN(12))) },
			func(r *rand.Rand, _ float64) float64 { return []float64{0.5, 1, 1.5, 2, math.Inf(1)}[r.IntN(5)] }},
		{"clustered", 400, func(r *rand.Rand) territory.Point {
			c := float64(r.IntN(4))
			return pt(c*10+r.NormFloat64()*0.1, c*c+r.NormFloat64())
		}, func(r *rand.Rand, s float64) float64 { return (0.1 + r.Float64()) * s }},
		{"thin strip", 300, func(r *rand.Rand) territory.Point { return pt(r.Float64()*1000, r.Float64()*1e-3) },
			func(r *rand.Rand, s float64) float64 { return (0.5 + r.Float64()) * s }},
		{"collinear", 50, func(r *rand.Rand) territory.Point { x := r.Float64(); return pt(x, 2*x) },
			func(r *rand.Rand, s float64) float64 { return (0.5 + r.Float64()) * s }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(tt.n), 12))
			pts := make([]territory.Point, tt.n)
			for i := range pts {
				pts[i] = tt.gen(rng)
			}
			tr, err := Delaunay(pts)
			if err != nil {
				t.Fatal(err)
			}
			box := MarginBound(pts, DefaultMargin)
			spacing := math.Sqrt((box.Max[0] - box.Min[0]) * (box.Max[1] - box.Min[1]) / float64(tt.n))
			radius := make([]float64, tt.n)
			for i := range radius {
				radius[i] = tt.rad(rng, spacing)
			}
			checkReachCells(t, tr, box, radius, VoronoiCellsWithin(tr, box, radius), rng)
		})
	}
}

// TestVoronoiCellsWithinDegenerate runs many small sets on a coarse
// lattice with radii of a few lattice steps: Voronoi vertices and box
// corners exactly on circles, edges tangent to them.
func TestVoronoiCellsWithinDegenerate(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for trial := range 1000 {
		n := 1 + rng.IntN(12)
		pts := make([]territory.Point, n)
		radius := make([]float64, n)
		for i := range pts {
			pts[i] = pt(float64(rng.IntN(5)), float64(rng.IntN(4)))
			radius[i] = []float64{0.5, 1, 1.5, 2, 2.5}[rng.IntN(5)]
		}
		tr, err := Delaunay(pts)
		if err != nil {
			t.Fatal(err)
		}
		box := orb.Bound{Min: orb.Point{-float64(rng.IntN(2)), -float64(rng.IntN(2))}, Max: orb.Point{4 + float64(rng.IntN(2)), 3 + float64(rng.IntN(2))}}
		func() {
			defer func() {
				if t.Failed() {
					t.Logf("trial %d: points %v, radii %v, box %v", trial, pts, radius, box)
				}
			}()
			checkReachCells(t, tr, box, radius, VoronoiCellsWithin(tr, box, radius), rng)
		}()
	}
}

// TestVoronoiCellsCores builds the cells of 20,000 points (enough for
// several chunks of half-edges) with one core and with two: the same.
func TestVoronoiCellsCores(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	pts := make([]territory.Point, 20000)
	radius := make([]float64, len(pts))
	for i := range pts {
		pts[i] = pt(rng.Float64(), rng.Float64())
		radius[i] = 0.005 + 0.01*rng.Float64()
	}
	tr, err := Delaunay(pts)
	if err != nil {
		t.Fatal(err)
	}
	box := MarginBound(pts, DefaultMargin)
	var runs [2][2][]orb.Polygon
	for k, procs := range []int{1, 2} {
		prev := runtime.GOMAXPROCS(procs)
		runs[k] = [2][]orb.Polygon{VoronoiCells(tr, box), VoronoiCellsWithin(tr, box, radius)}
		runtime.GOMAXPROCS(prev)
	}
	for j, name := range []string{"VoronoiCells", "VoronoiCellsWithin"} {
		for i := range pts {
			if !slices.EqualFunc(runs[0][j][i], runs[1][j][i], func(a, b orb.Ring) bool { return slices.Equal(a, b) }) {
				t.Fatalf("%s: cell %d differs with one core and with two", name, i)
			}
		}
	}
}
