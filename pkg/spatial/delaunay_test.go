package spatial

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/territory-optimizer/territory/pkg/territory"
)

func pt(x, y float64) territory.Point { return territory.Point{X: x, Y: y} }

// checkTriangulation verifies the structure of t: counter-clockwise
// triangles, symmetric half-edges, a convex counter-clockwise hull,
// Euler's counts, triangles that cover the hull exactly, and every
// distinct point used. It returns the number of undirected edges.
func checkTriangulation(t *testing.T, tr *Triangulation) int {
	t.Helper()
	pts := tr.Points
	if len(tr.Triangles)%3 != 0 || len(tr.Halfedges) != len(tr.Triangles) {
		t.Fatalf("%d triangle entries, %d half-edges", len(tr.Triangles), len(tr.Halfedges))
	}
	distinct := len(pts) - len(tr.Duplicates)
	for i, d := range tr.Duplicates {
		if pts[d.Index] != pts[d.Of] || d.Of >= d.Index || (i > 0 && tr.Duplicates[i-1].Index >= d.Index) {
			t.Fatalf("bad duplicate %v", d)
		}
	}
	if len(tr.Triangles) == 0 {
		if len(tr.Hull) != distinct {
			t.Fatalf("no triangles and a path of %d of %d distinct points", len(tr.Hull), distinct)
		}
		return max(len(tr.Hull)-1, 0)
	}
	used := make([]bool, len(pts))
	var area float64
	for k := 0; k < len(tr.Triangles); k += 3 {
		a, b, c := pts[tr.Triangles[k]], pts[tr.Triangles[k+1]], pts[tr.Triangles[k+2]]
		if Orient(a, b, c) <= 0 {
			t.Fatalf("triangle %d (%v %v %v) is not counter-clockwise", k/3, a, b, c)
		}
		area += triangleArea(a, b, c)
		for j := range 3 {
			used[tr.Triangles[k+j]] = true
		}
	}
	edges := 0
	for e, h := range tr.Halfedges {
		if h == -1 {
			edges++
			continue
		}
		if tr.Halfedges[h] != int32(e) {
			t.Fatalf("half-edge %d: twin %d has twin %d", e, h, tr.Halfedges[h])
		}
		if tr.Triangles[e] != tr.Triangles[nextHalfedge(h)] || tr.Triangles[h] != tr.Triangles[nextHalfedge(int32(e))] {
			t.Fatalf("half-edges %d and %d do not join the same points", e, h)
		}
		if int32(e) < h {
			edges++
		}
	}
	for i := range pts {
		if tr.Representative(i) == i && !used[i] {
			t.Fatalf("point %d %v is in no triangle", i, pts[i])
		}
	}
	h := len(tr.Hull)
	var hullArea float64
	for k, i := range tr.Hull {
		a, b, c := pts[i], pts[tr.Hull[(k+1)%h]], pts[tr.Hull[(k+2)%h]]
		if Orient(a, b, c) < 0 {
			t.Fatalf("hull turns clockwise at %v", b)
		}
		hullArea += triangleArea(pts[tr.Hull[0]], a, b) * 2
	}
	hullArea /= 2
	// Euler's formula for a triangulation of n points with h on the hull:
	// 2n - 2 - h triangles and 3n - 3 - h edges.
	if got, want := len(tr.Triangles)/3, 2*distinct-2-h; got != want {
		t.Errorf("%d triangles, want 2n-2-h = %d", got, want)
	}
	if want := 3*distinct - 3 - h; edges != want {
		t.Errorf("%d edges, want 3n-3-h = %d", edges, want)
	}
	if math.Abs(area-hullArea) > 1e-9*math.Abs(hullArea) {
		t.Errorf("triangles cover %v, the hull %v", area, hullArea)
	}
	return edges
}

func triangleArea(a, b, c territory.Point) float64 {
	return (float64((b.X-a.X)*(c.Y-a.Y)) - float64((b.Y-a.Y)*(c.X-a.X))) / 2
}

// checkEmptyCircles verifies the Delaunay property: no point lies
// strictly inside the circumcircle of a triangle, on every triangle or on
// every step-th one.
func checkEmptyCircles(t *testing.T, tr *Triangulation, step int) {
	t.Helper()
	pts := tr.Points
	for k := 0; k < len(tr.Triangles); k += 3 * step {
		a, b, c := pts[tr.Triangles[k]], pts[tr.Triangles[k+1]], pts[tr.Triangles[k+2]]
		for i, p := range pts {
			if inCircle(a, b, c, p) > 0 {
				t.Fatalf("point %d %v lies inside the circumcircle of triangle %d (%v %v %v)", i, p, k/3, a, b, c)
			}
		}
	}
}

func TestDelaunaySmall(t *testing.T) {
	tests := []struct {
		name      string
		pts       []territory.Point
		triangles int
		hull      []int32
		dups      []Duplicate
		nbrs      [][]int32
	}{
		{name: "empty"},
		{name: "one point", pts: []territory.Point{pt(1, 2)}, hull: []int32{0}, nbrs: [][]int32{nil}},
		{name: "two points", pts: []territory.Point{pt(1, 2), pt(0, 0)}, hull: []int32{1, 0}, nbrs: [][]int32{{1}, {0}}},
		{
			name:      "triangle",
			pts:       []territory.Point{pt(0, 0), pt(0, 1), pt(1, 0)},
			triangles: 1, nbrs: [][]int32{{1, 2}, {0, 2}, {0, 1}},
		},
		{
			// Four cocircular points: either diagonal is Delaunay; the
			// triangulation picks one, always the same.
			name:      "square",
			pts:       []territory.Point{pt(0, 0), pt(1, 0), pt(1, 1), pt(0, 1)},
			triangles: 2,
		},
		{
			name:      "square and centre",
			pts:       []territory.Point{pt(0, 0), pt(2, 0), pt(2, 2), pt(0, 2), pt(1, 1)},
			triangles: 4, nbrs: [][]int32{{1, 3, 4}, {0, 2, 4}, {1, 3, 4}, {0, 2, 4}, {0, 1, 2, 3}},
		},
		{
			name: "collinear, shuffled",
			pts:  []territory.Point{pt(2, 2), pt(0, 0), pt(3, 3), pt(1, 1), pt(-1, -1)},
			hull: []int32{4, 1, 3, 0, 2},
			nbrs: [][]int32{{2, 3}, {3, 4}, {0}, {0, 1}, {1}},
		},
		{
			name: "vertical line",
			pts:  []territory.Point{pt(5, 2), pt(5, -1), pt(5, 0)},
			hull: []int32{1, 2, 0},
			nbrs: [][]int32{{2}, {2}, {0, 1}},
		},
		{
			name:      "duplicates",
			pts:       []territory.Point{pt(0, 0), pt(1, 0), pt(0, 1), pt(1, 0), pt(0, 0), pt(1, 0)},
			triangles: 1,
			dups:      []Duplicate{{3, 1}, {4, 0}, {5, 1}},
			// Points at one position are neighbours and share the
			// position's neighbours.
			nbrs: [][]int32{{1, 2, 3, 4, 5}, {0, 2, 3, 4, 5}, {0, 1, 3, 4, 5}, {0, 1, 2, 4, 5}, {0, 1, 2, 3, 5}, {0, 1, 2, 3, 4}},
		},
		{
			name: "collinear with a duplicate",
			pts:  []territory.Point{pt(0, 0), pt(2, 0), pt(1, 0), pt(2, 0)},
			hull: []int32{0, 2, 1},
			dups: []Duplicate{{3, 1}},
			nbrs: [][]int32{{2}, {2, 3}, {0, 1, 3}, {1, 2}},
		},
		{
			name: "all the same",
			pts:  []territory.Point{pt(3, 3), pt(3, 3), pt(3, 3)},
			hull: []int32{0},
			dups: []Duplicate{{1, 0}, {2, 0}},
			nbrs: [][]int32{{1, 2}, {0, 2}, {0, 1}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, err := Delaunay(tt.pts)
			if err != nil {
				t.Fatal(err)
			}
			checkTriangulation(t, tr)
			checkEmptyCircles(t, tr, 1)
			if got := len(tr.Triangles) / 3; got != tt.triangles {
				t.Errorf("%d triangles, want %d", got, tt.triangles)
			}
			if tt.hull != nil && !slices.Equal(tr.Hull, tt.hull) {
				t.Errorf("hull %v, want %v", tr.Hull, tt.hull)
			}
			if diff := cmp.Diff(tt.dups, tr.Duplicates); diff != "" {
				t.Errorf("duplicates (-want +got):\n%s", diff)
			}
			nbrs := tr.Neighbours()
			if len(nbrs) != len(tt.pts) {
				t.Fatalf("%d neighbour lists for %d points", len(nbrs), len(tt.pts))
			}
			if tt.nbrs != nil {
				for i := range nbrs {
					if len(nbrs[i]) == 0 {
						nbrs[i] = nil
					}
				}
				if diff := cmp.Diff(tt.nbrs, nbrs); diff != "" {
					t.Errorf("neighbours (-want +got):\n%s", diff)
				}
			}
			checkNeighbours(t, nbrs)
		})
	}
}

// checkNeighbours verifies that the graph is sorted, symmetric and has no
// loops.
func checkNeighbours(t *testing.T, nbrs [][]int32) {
	t.Helper()
	for i, ns := range nbrs {
		if !slices.IsSorted(ns) || len(slices.Compact(slices.Clone(ns))) != len(ns) {
			t.Fatalf("neighbours of %d not sorted and distinct: %v", i, ns)
		}
		for _, j := range ns {
			if int(j) == i {
				t.Fatalf("%d is its own neighbour", i)
			}
			if _, ok := slices.BinarySearch(nbrs[j], int32(i)); !ok {
				t.Fatalf("%d lists %d but not the other way round", i, j)
			}
		}
	}
}

func TestDelaunayGrid(t *testing.T) {
	// A 10 x 10 grid: every square's four corners are cocircular, the
	// hardest case for in-circle tests. 2·81 triangles, 36 hull points.
	var pts []territory.Point
	for y := range 10 {
		for x := range 10 {
			pts = append(pts, pt(float64(x), float64(y)))
		}
	}
	tr, err := Delaunay(pts)
	if err != nil {
		t.Fatal(err)
	}
	edges := checkTriangulation(t, tr)
	checkEmptyCircles(t, tr, 1)
	if len(tr.Triangles)/3 != 162 || len(tr.Hull) != 36 || edges != 261 {
		t.Errorf("%d triangles, %d hull points, %d edges; want 162, 36, 261", len(tr.Triangles)/3, len(tr.Hull), edges)
	}
	// Every triangle is half a unit square.
	for k := 0; k < len(tr.Triangles); k += 3 {
		a, b, c := pts[tr.Triangles[k]], pts[tr.Triangles[k+1]], pts[tr.Triangles[k+2]]
		if got := triangleArea(a, b, c); got != 0.5 {
			t.Fatalf("triangle %v %v %v has area %v", a, b, c, got)
		}
	}
}

func TestDelaunayRandom(t *testing.T) {
	tests := []struct {
		name string
		n    int
		gen  func(r *rand.Rand) territory.Point
		step int // check the empty circle of every step-th triangle
	}{
		{"uniform 1000", 1000, func(r *rand.Rand) territory.Point { return pt(r.Float64(), r.Float64()) }, 1},
		{"uniform 20000", 20000, func(r *rand.Rand) territory.Point { return pt(r.Float64()*1000, r.Float64()*1000) }, 97},
		{"clustered", 5000, func(r *rand.Rand) territory.Point {
			c := float64(r.IntN(5))
			return pt(c*100+r.NormFloat64(), c*50+r.NormFloat64()*0.01)
		}, 7},
		// Small integer coordinates: many duplicates, collinear runs and
		// cocircular quadruples.
		{"lattice with repeats", 3000, func(r *rand.Rand) territory.Point {
			return pt(float64(r.IntN(30)), float64(r.IntN(30)))
		}, 1},
		{"on a circle", 500, func(r *rand.Rand) territory.Point {
			a := r.Float64() * 2 * math.Pi
			return pt(math.Cos(a), math.Sin(a))
		}, 1},
		{"on a few lines", 2000, func(r *rand.Rand) territory.Point {
			x := float64(r.IntN(1000)) / 7
			switch r.IntN(3) {
			case 0:
				return pt(x, 0)
			case 1:
				return pt(x, x*0.5)
			}
			return pt(0, x)
		}, 1},
		{"large offset", 3000, func(r *rand.Rand) territory.Point {
			return pt(1e7+r.Float64(), -3e6+r.Float64())
		}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(tt.n), 7))
			pts := make([]territory.Point, tt.n)
			for i := range pts {
				pts[i] = tt.gen(rng)
			}
			tr, err := Delaunay(pts)
			if err != nil {
				t.Fatal(err)
			}
			checkTriangulation(t, tr)
			checkEmptyCircles(t, tr, tt.step)
			checkNeighbours(t, tr.Neighbours())
			again, err := Delaunay(slices.Clone(pts))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(tr.Triangles, again.Triangles) || !slices.Equal(tr.Halfedges, again.Halfedges) || !slices.Equal(tr.Hull, again.Hull) {
				t.Error("two runs on the same points differ")
			}
		})
	}
}

func TestDelaunayErrors(t *testing.T) {
	_, err := Delaunay([]territory.Point{pt(0, 0), pt(math.NaN(), 1)})
	if got, want := errString(err), "spatial: delaunay: point 1 (NaN, 1) is not finite"; got != want {
		t.Errorf("error %q, want %q", got, want)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestOrientExact(t *testing.T) {
	// Points on the line y = x far from the origin, perturbed by one unit
	// in the last place: naive arithmetic gets the sign wrong or zero.
	a, b := pt(1e15, 1e15), pt(1e15+2, 1e15+2)
	c := pt(1e15+1, math.Nextafter(1e15+1, math.Inf(1)))
	if got := Orient(a, b, c); got != 1 {
		t.Errorf("Orient = %d, want 1 (c just above the line)", got)
	}
	if got := Orient(a, b, pt(1e15+1, 1e15+1)); got != 0 {
		t.Errorf("Orient = %d, want 0", got)
	}
	// Cross is twice the signed area: here the differences are exact
	// (c is 1.125 above a on the line's 1), so it is 2·1.125 - 2·1.
	if got := Cross(a, b, c); got != 0.25 {
		t.Errorf("Cross = %v, want 0.25", got)
	}
	if got := Cross(pt(0, 0), pt(4, 0), pt(1, 3)); got != 12 {
		t.Errorf("Cross of a triangle of area 6 = %v, want 12", got)
	}
	// Nearly cocircular: (0,1) and (1,0) and (-1,0) and a point a hair
	// inside the unit circle.
	d := pt(0, math.Nextafter(-1, 0))
	if got := inCircle(pt(1, 0), pt(0, 1), pt(-1, 0), d); got <= 0 {
		t.Errorf("inCircle = %v, want > 0", got)
	}
	if got := inCircle(pt(1, 0), pt(0, 1), pt(-1, 0), pt(0, -1)); got != 0 {
		t.Errorf("inCircle of a cocircular point = %v, want 0", got)
	}
}

func TestProject(t *testing.T) {
	pts := []territory.Point{pt(-124, 25), pt(-67, 49), pt(-96, 37)}
	pr := NewProjection(territory.Geographic, pts)
	if pr.Lon0 != -95.5 || pr.Lat0 != 37 {
		t.Errorf("centre (%v, %v), want (-95.5, 37)", pr.Lon0, pr.Lat0)
	}
	// Along a meridian the projection keeps distances: one degree of
	// latitude is R·π/180 km.
	p, q := pr.Forward(pt(-100, 30)), pr.Forward(pt(-100, 31))
	if d := math.Hypot(p.X-q.X, p.Y-q.Y); math.Abs(d-EarthRadiusKm*math.Pi/180) > 1e-9 {
		t.Errorf("one degree of latitude is %v km", d)
	}
	for _, x := range pts {
		back := pr.Inverse(pr.Forward(x))
		if math.Abs(back.X-x.X) > 1e-12 || math.Abs(back.Y-x.Y) > 1e-12 {
			t.Errorf("round trip of %v gives %v", x, back)
		}
	}
	// Across the antimeridian the centre lies on it, not half a world away.
	pr = NewProjection(territory.Geographic, []territory.Point{pt(179, 0), pt(-179, 1)})
	if pr.Lon0 != -180 {
		t.Errorf("Lon0 = %v, want -180", pr.Lon0)
	}
	if got := Project(territory.Geographic, []territory.Point{pt(179, 0), pt(-179, 1)}); got[0].X >= got[1].X || got[1].X-got[0].X > 300 {
		t.Errorf("points across the antimeridian projected to %v", got)
	}
	if got := Project(territory.Planar, pts); !slices.Equal(got, pts) {
		t.Errorf("planar projection changed the points: %v", got)
	}
}

// TestInsertInside drives the sweep's fallback, which inserts a point
// that lies inside the hull (the sweep adds points from outside the hull,
// and reaches this only when distances tie within rounding): points
// strictly inside a triangle, on an interior edge and on a hull edge.
func TestInsertInside(t *testing.T) {
	tests := []struct {
		name  string
		first []territory.Point // triangulated by the sweep
		later []territory.Point // then inserted one by one
	}{
		{
			name:  "inside triangles",
			first: []territory.Point{pt(0, 0), pt(10, 0), pt(10, 10), pt(0, 10), pt(3, 7)},
			later: []territory.Point{pt(5, 5), pt(1, 2), pt(8, 3), pt(4, 9), pt(6, 6.5)},
		},
		{
			// The sweep on a coarse lattice, then the midpoints of its
			// edges: every later point lies on an edge, interior or hull.
			name:  "on edges",
			first: []territory.Point{pt(0, 0), pt(4, 0), pt(8, 0), pt(0, 4), pt(4, 4), pt(8, 4), pt(0, 8), pt(4, 8), pt(8, 8)},
			later: []territory.Point{pt(2, 0), pt(6, 0), pt(0, 2), pt(8, 6), pt(4, 2), pt(2, 4), pt(6, 4), pt(4, 6), pt(2, 8), pt(0, 6)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(3, 4))
			for trial := range 20 {
				later := slices.Clone(tt.later)
				if trial > 0 {
					rng.Shuffle(len(later), func(i, j int) { later[i], later[j] = later[j], later[i] })
				}
				pts := append(slices.Clone(tt.first), later...)
				all := make([]int32, len(pts))
				for i := range all {
					all[i] = int32(i)
				}
				b := newSweep(pts, all)
				b.uniq = all[:len(tt.first)]
				if !b.seed() {
					t.Fatal("no seed")
				}
				if err := b.run(); err != nil {
					t.Fatal(err)
				}
				for i := len(tt.first); i < len(pts); i++ {
					if err := b.insertInside(int32(i), b.hullStart); err != nil {
						t.Fatal(err)
					}
				}
				if b.inside != len(later) {
					t.Fatalf("%d points inserted inside, want %d", b.inside, len(later))
				}
				tr := &Triangulation{Points: pts, Triangles: b.triangles, Halfedges: b.halfedges, Hull: b.hull(), rep: all}
				checkTriangulation(t, tr)
				checkEmptyCircles(t, tr, 1)
				checkNeighbours(t, tr.Neighbours())
			}
		})
	}
}

// FuzzDelaunay triangulates points decoded from the input (pairs of
// small signed integers scaled by a power of two, so that duplicates,
// collinear runs and cocircular points are common) and checks the
// structure, the Delaunay property and the Voronoi cells, whole and
// clipped to reaches of a few grid steps.
func FuzzDelaunay(f *testing.F) {
	f.Add([]byte{0, 0, 1, 0, 0, 1, 1, 1}, uint8(0))
	f.Add([]byte{0, 0, 1, 1, 2, 2, 3, 3, 4, 4}, uint8(3))
	f.Add([]byte{5, 5, 5, 5, 5, 5, 1, 2, 2, 1, 0, 0, 255, 255, 128, 7}, uint8(9))
	f.Fuzz(func(t *testing.T, data []byte, scale uint8) {
		if len(data) > 400 {
			return
		}
		s := math.Ldexp(1, int(scale%40)-20)
		var pts []territory.Point
		for k := 0; k+1 < len(data); k += 2 {
			pts = append(pts, pt(float64(int8(data[k]))*s, float64(int8(data[k+1]))*s))
		}
		tr, err := Delaunay(pts)
		if err != nil {
			t.Fatal(err)
		}
		checkTriangulation(t, tr)
		checkEmptyCircles(t, tr, 1)
		checkNeighbours(t, tr.Neighbours())
		if len(pts) > 0 {
			box := MarginBound(pts, DefaultMargin)
			checkCells(t, tr, box, VoronoiCells(tr, box), rand.New(rand.NewPCG(1, 2)))
			// Reaches of 1 to 4 steps of the input's grid.
			radius := make([]float64, len(pts))
			for i := range radius {
				radius[i] = s * float64(1+(i+int(scale))%4)
			}
			checkReachCells(t, tr, box, radius, VoronoiCellsWithin(tr, box, radius), rand.New(rand.NewPCG(1, 2)))
		}
	})
}
