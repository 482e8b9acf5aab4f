package spatial

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// ringArea is the signed area of a closed ring (positive when
// counter-clockwise), relative to its first position for precision.
func ringArea(r orb.Ring) float64 {
	var a float64
	o := r[0]
	for k := 1; k+1 < len(r); k++ {
		a += float64((r[k][0]-o[0])*(r[k+1][1]-o[1])) - float64((r[k+1][0]-o[0])*(r[k][1]-o[1]))
	}
	return a / 2
}

// clipConvex clips polygon subject by the convex counter-clockwise ring
// clip (Sutherland–Hodgman) and returns the open ring that remains.
func clipConvex(subject, clip orb.Ring) orb.Ring {
	out := subject[:len(subject)-1]
	for k := 0; k+1 < len(clip) && len(out) > 0; k++ {
		a, b := clip[k], clip[k+1]
		side := func(p orb.Point) float64 {
			return float64((b[0]-a[0])*(p[1]-a[1])) - float64((b[1]-a[1])*(p[0]-a[0]))
		}
		in := out
		out = nil
		for j := range in {
			p, q := in[j], in[(j+1)%len(in)]
			sp, sq := side(p), side(q)
			if sp >= 0 {
				out = append(out, p)
			}
			if (sp >= 0) != (sq >= 0) {
				t := sp / (sp - sq)
				out = append(out, orb.Point{p[0] + t*(q[0]-p[0]), p[1] + t*(q[1]-p[1])})
			}
		}
	}
	return out
}

func openArea(r orb.Ring) float64 {
	if len(r) < 3 {
		return 0
	}
	return ringArea(append(r, r[0]))
}

// checkCells verifies the cells of tr clipped to box: closed, convex and
// counter-clockwise; areas summing to the box's; no overlap between
// neighbours or sampled pairs; shared edges identical in both cells; and
// sample positions inside the cell of their nearest point.
func checkCells(t *testing.T, tr *Triangulation, box orb.Bound, cells []orb.Polygon, rng *rand.Rand) {
	t.Helper()
	pts := tr.Points
	if len(cells) != len(pts) {
		t.Fatalf("%d cells for %d points", len(cells), len(pts))
	}
	total := 0.0
	boxArea := (box.Max[0] - box.Min[0]) * (box.Max[1] - box.Min[1])
	type edge struct{ a, b orb.Point }
	edges := make(map[edge]int)
	for i, c := range cells {
		if tr.Representative(i) != i {
			if c != nil {
				t.Fatalf("duplicate %d has a cell", i)
			}
			continue
		}
		if len(c) != 1 {
			t.Fatalf("cell %d has %d rings", i, len(c))
		}
		r := c[0]
		if len(r) < 4 || r[0] != r[len(r)-1] {
			t.Fatalf("cell %d: ring of %d positions, closed %v", i, len(r), r[0] == r[len(r)-1])
		}
		for k := 0; k+1 < len(r); k++ {
			if r[k] == r[k+1] {
				t.Fatalf("cell %d repeats position %v", i, r[k])
			}
			if !box.Contains(r[k]) {
				t.Fatalf("cell %d: position %v outside the box %v", i, r[k], box)
			}
			// Convex: no clockwise turn beyond rounding.
			p, q, s := r[k], r[k+1], r[(k+2)%(len(r)-1)]
			if k+2 == len(r)-1 {
				s = r[0]
			}
			turn := float64((q[0]-p[0])*(s[1]-p[1])) - float64((q[1]-p[1])*(s[0]-p[0]))
			scale := math.Hypot(q[0]-p[0], q[1]-p[1]) * math.Hypot(s[0]-p[0], s[1]-p[1])
			// Rounding may kink an edge between nearly cocircular
			// triangles' centres by a few units in the last place.
			if turn < -1e-9*scale && turn < -1e-12*boxArea {
				t.Fatalf("cell %d turns clockwise at %v", i, q)
			}
			edges[edge{r[k], r[k+1]}]++
		}
		a := ringArea(r)
		if a <= 0 {
			t.Fatalf("cell %d has area %v", i, a)
		}
		total += a
	}
	if math.Abs(total-boxArea) > 1e-9*boxArea {
		t.Errorf("cells cover %v, the box %v (relative error %.2g)", total, boxArea, math.Abs(total-boxArea)/boxArea)
	}
	// Every edge inside the box is shared, exactly, by the cell on its
	// other side.
	onSide := func(p, q orb.Point) bool {
		return p[0] == q[0] && (p[0] == box.Min[0] || p[0] == box.Max[0]) ||
			p[1] == q[1] && (p[1] == box.Min[1] || p[1] == box.Max[1])
	}
	for e, n := range edges {
		if n != 1 {
			t.Fatalf("edge %v appears %d times", e, n)
		}
		if !onSide(e.a, e.b) && edges[edge{e.b, e.a}] != 1 {
			t.Fatalf("edge %v -> %v has no twin", e.a, e.b)
		}
	}
	// No overlaps: between neighbours, and between sampled pairs.
	overlap := func(i, j int) {
		if cells[i] == nil || cells[j] == nil || i == j {
			return
		}
		if a := openArea(clipConvex(cells[i][0], cells[j][0])); a > 1e-9*boxArea {
			t.Fatalf("cells %d and %d overlap by %v", i, j, a)
		}
	}
	nbrs := tr.Neighbours()
	for i, ns := range nbrs {
		for _, j := range ns {
			overlap(i, int(j))
		}
	}
	for range 2000 {
		overlap(rng.IntN(len(pts)), rng.IntN(len(pts)))
	}
	// A position lies in the cell of its nearest point.
	for range 2000 {
		q := orb.Point{box.Min[0] + rng.Float64()*(box.Max[0]-box.Min[0]), box.Min[1] + rng.Float64()*(box.Max[1]-box.Min[1])}
		best, near := math.Inf(1), -1
		for i, p := range pts {
			if d := dist2(q[0], q[1], p.X, p.Y); d < best {
				best, near = d, i
			}
		}
		r := cells[near][0]
		for k := 0; k+1 < len(r); k++ {
			a, b := r[k], r[k+1]
			side := float64((b[0]-a[0])*(q[1]-a[1])) - float64((b[1]-a[1])*(q[0]-a[0]))
			if side < -1e-9*boxArea {
				t.Fatalf("%v is nearest to point %d %v but outside its cell %v", q, near, pts[near], r)
			}
		}
	}
}

func TestVoronoiCellsSmall(t *testing.T) {
	box := orb.Bound{Min: orb.Point{-1, -1}, Max: orb.Point{3, 3}}
	square := func(x0, y0, x1, y1 float64) orb.Polygon {
		return orb.Polygon{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}
	}
	tests := []struct {
		name string
		pts  []territory.Point
		want []orb.Polygon // nil: checked only by the properties
	}{
		{name: "one point", pts: []territory.Point{pt(0, 0)}, want: []orb.Polygon{square(-1, -1, 3, 3)}},
		{
			name: "two points",
			pts:  []territory.Point{pt(0, 1), pt(2, 1)},
			want: []orb.Polygon{
				{{{1, 3}, {-1, 3}, {-1, -1}, {1, -1}, {1, 3}}},
				{{{1, -1}, {3, -1}, {3, 3}, {1, 3}, {1, -1}}},
			},
		},
		{
			name: "square: four quadrants",
			pts:  []territory.Point{pt(0, 0), pt(2, 0), pt(2, 2), pt(0, 2)},
		},
		{
			name: "collinear: strips",
			pts:  []territory.Point{pt(2, 1), pt(0, 1), pt(1, 1)},
			want: []orb.Polygon{
				{{{1.5, -1}, {3, -1}, {3, 3}, {1.5, 3}, {1.5, -1}}},
				{{{0.5, 3}, {-1, 3}, {-1, -1}, {0.5, -1}, {0.5, 3}}},
				{{{0.5, -1}, {1.5, -1}, {1.5, 3}, {0.5, 3}, {0.5, -1}}},
			},
		},
		{
			name: "duplicates get no cell",
			pts:  []territory.Point{pt(0, 0), pt(2, 2), pt(0, 0), pt(2, 0)},
		},
		{
			name: "diagonal collinear",
			pts:  []territory.Point{pt(0, 0), pt(1, 1), pt(2, 2)},
		},
		{
			name: "a point outside the box",
			pts:  []territory.Point{pt(0, 0), pt(2, 2), pt(10, 10), pt(2, 0)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, err := Delaunay(tt.pts)
			if err != nil {
				t.Fatal(err)
			}
			cells := VoronoiCells(tr, box)
			if tt.want != nil {
				for i := range tt.want {
					if !sameRing(cells[i], tt.want[i]) {
						t.Errorf("cell %d = %v, want %v", i, cells[i], tt.want[i])
					}
				}
			}
			if tt.name == "a point outside the box" {
				if cells[2] != nil {
					t.Errorf("the point outside the box has cell %v", cells[2])
				}
				tr.rep[2] = 0 // not checked below
			}
			checkCells(t, tr, box, cells, rand.New(rand.NewPCG(1, 1)))
		})
	}
}

// sameRing reports whether two one-ring polygons have the same positions
// in the same cyclic order, whichever they start with.
func sameRing(p, q orb.Polygon) bool {
	if len(p) != 1 || len(q) != 1 || len(p[0]) != len(q[0]) {
		return false
	}
	a, b := p[0][:len(p[0])-1], q[0][:len(q[0])-1]
	for shift := range a {
		ok := true
		for k := range a {
			if a[(k+shift)%len(a)] != b[k] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func TestVoronoiCellsRandom(t *testing.T) {
	tests := []struct {
		name string
		n    int
		gen  func(r *rand.Rand) territory.Point
	}{
		{"uniform 500", 500, func(r *rand.Rand) territory.Point { return pt(r.Float64(), r.Float64()) }},
		{"uniform 5000", 5000, func(r *rand.Rand) territory.Point { return pt(r.Float64()*100, r.Float64()*30) }},
		{"lattice with repeats", 1000, func(r *rand.Rand) territory.Point {
			return pt(float64(r.IntN(20)), float64(r.IntN(20)))
		}},
		{"clustered", 2000, func(r *rand.Rand) territory.Point {
			c := float64(r.IntN(4))
			return pt(c*10+r.NormFloat64()*0.1, c*c+r.NormFloat64())
		}},
		{"thin strip", 1000, func(r *rand.Rand) territory.Point { return pt(r.Float64()*1000, r.Float64()*1e-3) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(tt.n), 11))
			pts := make([]territory.Point, tt.n)
			for i := range pts {
				pts[i] = tt.gen(rng)
			}
			tr, err := Delaunay(pts)
			if err != nil {
				t.Fatal(err)
			}
			for _, margin := range []float64{DefaultMargin, 0, 1} {
				box := MarginBound(pts, margin)
				if margin == 0 {
					// A box through the outermost points: their cells and
					// bisectors meet its sides.
					box = MarginBound(pts, 0)
				}
				checkCells(t, tr, box, VoronoiCells(tr, box), rng)
			}
		})
	}
}

func TestMarginBound(t *testing.T) {
	b := MarginBound([]territory.Point{pt(0, 0), pt(10, 4)}, 0.1)
	if want := (orb.Bound{Min: orb.Point{-1, -1}, Max: orb.Point{11, 5}}); !b.Equal(want) {
		t.Errorf("MarginBound = %v, want %v", b, want)
	}
	b = MarginBound([]territory.Point{pt(2, 2)}, 0.5)
	if want := (orb.Bound{Min: orb.Point{1.5, 1.5}, Max: orb.Point{2.5, 2.5}}); !b.Equal(want) {
		t.Errorf("MarginBound of one point = %v, want %v", b, want)
	}
}

// TestVoronoiCellsDegenerate runs many small sets on a coarse lattice:
// duplicates, collinear sets, cocircular points, Voronoi vertices on the
// box sides and in its corners.
func TestVoronoiCellsDegenerate(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for trial := range 1000 {
		n := 1 + rng.IntN(12)
		pts := make([]territory.Point, n)
		for i := range pts {
			pts[i] = pt(float64(rng.IntN(5)), float64(rng.IntN(4)))
		}
		tr, err := Delaunay(pts)
		if err != nil {
			t.Fatal(err)
		}
		checkTriangulation(t, tr)
		checkEmptyCircles(t, tr, 1)
		box := orb.Bound{Min: orb.Point{-float64(rng.IntN(2)), -float64(rng.IntN(2))}, Max: orb.Point{4 + float64(rng.IntN(2)), 3 + float64(rng.IntN(2))}}
		cells := VoronoiCells(tr, box)
		if t.Failed() {
			t.Fatalf("trial %d: %v", trial, pts)
		}
		checkCells(t, tr, box, cells, rng)
		if t.Failed() {
			t.Fatalf("trial %d: points %v, box %v", trial, pts, box)
		}
	}
}

// TestVoronoiCellsVertexOnSide has a Voronoi vertex exactly on a side of
// the box (the circumcentre of points 3, 4 and 5 is (-0.63125,
// 0.44140625), on the left side of the margin box), which rounding puts
// one unit in the last place outside it. The Voronoi edge of points 4 and
// 5 runs from there further out; it must be cut off whole, not stretched
// across the box. (The points were found by FuzzDelaunay.)
func TestVoronoiCellsVertexOnSide(t *testing.T) {
	pts := []territory.Point{
		pt(48.0/128, 48.0/128), pt(48.0/128, 48.0/128), pt(48.0/128, 48.0/128),
		pt(48.0/128, 56.0/128), pt(48.0/128, 57.0/128), pt(-72.0/128, -72.0/128),
		pt(48.0/128, 66.0/128), pt(48.0/128, -110.0/128),
	}
	tr, err := Delaunay(pts)
	if err != nil {
		t.Fatal(err)
	}
	box := MarginBound(pts, DefaultMargin)
	if v := voronoiVertex(pts[3], pts[4], pts[5]); v[0] >= box.Min[0] {
		t.Fatalf("the circumcentre %v is not just outside the box %v: the test does not test what it says", v, box)
	}
	cells := VoronoiCells(tr, box)
	// Point 4's cell is the strip between the bisectors y = 56.5/128 and
	// y = 61.5/128 of its neighbours on its line.
	want := orb.Polygon{{{box.Max[0], 61.5 / 128}, {box.Min[0], 61.5 / 128}, {box.Min[0], 56.5 / 128}, {box.Max[0], 56.5 / 128}, {box.Max[0], 61.5 / 128}}}
	if !sameRing(cells[4], want) {
		t.Errorf("cell 4 = %v, want %v", cells[4], want)
	}
	checkCells(t, tr, box, cells, rand.New(rand.NewPCG(1, 2)))
}

func TestVoronoiVertexFlat(t *testing.T) {
	// A triangle flat enough that the floating-point determinant is zero
	// (its exact value is about 1.87e-11); the centre was computed with
	// exact rational arithmetic (Python's fractions) and rounded.
	a, b, c := pt(163.87541502137225, 49.162624506411674), pt(726.3900707339022, 217.91702122017065), pt(697.4917552729883, 209.2475265818965)
	if Orient(a, b, c) != 1 {
		t.Fatal("the triangle is not counter-clockwise")
	}
	if x, y := circumcentre(a, b, c); territory.Finite(x) && territory.Finite(y) {
		t.Fatalf("the floating-point centre (%v, %v) is finite: the test does not test what it says", x, y)
	}
	want := orb.Point{7.587336444091811e+16, -2.5291121480305878e+17}
	if got := voronoiVertex(a, b, c); got != want {
		t.Errorf("voronoiVertex = %v, want %v", got, want)
	}
}

// TestVoronoiCellsNearlyCollinear runs small sets of points on a line,
// some moved off it by about 1e-13: the triangles along the hull are so
// flat that their floating-point circumcentres come out infinite.
func TestVoronoiCellsNearlyCollinear(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	flat := 0 // triangles whose floating-point centre is not finite
	for trial := range 500 {
		n := 3 + rng.IntN(4)
		pts := make([]territory.Point, n)
		for i := range pts {
			x := rng.Float64() * 1000
			pts[i] = pt(x, x*0.3+(rng.Float64()-0.5)*1e-13*float64(rng.IntN(2)))
		}
		tr, err := Delaunay(pts)
		if err != nil {
			t.Fatal(err)
		}
		for k := 0; k < len(tr.Triangles); k += 3 {
			if x, y := circumcentre(pts[tr.Triangles[k]], pts[tr.Triangles[k+1]], pts[tr.Triangles[k+2]]); !territory.Finite(x) || !territory.Finite(y) {
				flat++
			}
		}
		box := MarginBound(pts, DefaultMargin)
		checkCells(t, tr, box, VoronoiCells(tr, box), rng)
		if t.Failed() {
			t.Fatalf("trial %d: points %v", trial, pts)
		}
	}
	if flat == 0 {
		t.Error("no triangle with an infinite floating-point centre: the test does not test what it says")
	}
}
