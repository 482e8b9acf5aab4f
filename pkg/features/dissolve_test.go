package features

import (
	"bytes"
	"cmp"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// sqAt is the unit square with lower left corner (x, y), counter-clockwise.
func sqAt(x, y float64) orb.Polygon {
	return orb.Polygon{{{x, y}, {x + 1, y}, {x + 1, y + 1}, {x, y + 1}, {x, y}}}
}

// reversed returns the polygon with every ring walked the other way.
func reversed(p orb.Polygon) orb.Polygon {
	out := make(orb.Polygon, len(p))
	for i, r := range p {
		out[i] = slices.Clone(r)
		slices.Reverse(out[i])
	}
	return out
}

// sameRings reports whether two rings hold the same positions in the same
// cyclic order, whichever they start with.
func sameRings(a, b orb.Ring) bool {
	if len(a) != len(b) || len(a) == 0 {
		return len(a) == len(b)
	}
	a, b = a[:len(a)-1], b[:len(b)-1]
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

func sameMultiPolygon(a, b orb.MultiPolygon) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if !sameRings(a[i][j], b[i][j]) {
				return false
			}
		}
	}
	return true
}

func TestDissolveUnits(t *testing.T) {
	ring := func(pts ...float64) orb.Ring {
		var r orb.Ring
		for k := 0; k+1 < len(pts); k += 2 {
			r = append(r, orb.Point{pts[k], pts[k+1]})
		}
		return append(r, r[0])
	}
	// A 3 x 3 block of unit squares, the centre one first.
	var block []orb.Geometry
	block = append(block, sqAt(1, 1))
	for y := range 3 {
		for x := range 3 {
			if x != 1 || y != 1 {
				block = append(block, sqAt(float64(x), float64(y)))
			}
		}
	}
	tests := []struct {
		name   string
		geoms  []orb.Geometry
		assign []int
		k      int
		want   []orb.MultiPolygon
	}{
		{
			name:   "two squares make a rectangle",
			geoms:  []orb.Geometry{sqAt(0, 0), sqAt(1, 0)},
			assign: []int{0, 0}, k: 1,
			want: []orb.MultiPolygon{{{ring(0, 0, 2, 0, 2, 1, 0, 1)}}},
		},
		{
			name:   "rings wound either way",
			geoms:  []orb.Geometry{reversed(sqAt(0, 0)), sqAt(1, 0), reversed(sqAt(0, 1))},
			assign: []int{0, 0, 0}, k: 1,
			want: []orb.MultiPolygon{{{ring(0, 0, 2, 0, 2, 1, 1, 1, 1, 2, 0, 2)}}},
		},
		{
			name:   "a ring of units around a hole",
			geoms:  block,
			assign: []int{1, 0, 0, 0, 0, 0, 0, 0, 0}, k: 2,
			want: []orb.MultiPolygon{
				{{ring(0, 0, 3, 0, 3, 3, 0, 3), ring(1, 1, 1, 2, 2, 2, 2, 1)}},
				{{ring(1, 1, 2, 1, 2, 2, 1, 2)}},
			},
		},
		{
			name:   "three territories of a block",
			geoms:  block,
			assign: []int{2, 0, 0, 0, 1, 1, 1, 1, 1}, k: 3,
			want: []orb.MultiPolygon{
				{{ring(0, 0, 3, 0, 3, 1, 0, 1)}},
				{{ring(0, 1, 1, 1, 1, 2, 2, 2, 2, 1, 3, 1, 3, 3, 0, 3)}},
				{{ring(1, 1, 2, 1, 2, 2, 1, 2)}},
			},
		},
		{
			name:   "squares touching at a corner stay two polygons",
			geoms:  []orb.Geometry{sqAt(0, 0), sqAt(1, 1)},
			assign: []int{0, 0}, k: 1,
			want: []orb.MultiPolygon{{{ring(0, 0, 1, 0, 1, 1, 0, 1)}, {ring(1, 1, 2, 1, 2, 2, 1, 2)}}},
		},
		{
			// The rectangle's top edge is one segment; the squares above
			// split it at (1, 1).
			name: "a T-junction",
			geoms: []orb.Geometry{
				orb.Polygon{ring(0, 0, 2, 0, 2, 1, 0, 1)},
				sqAt(0, 1), sqAt(1, 1),
			},
			assign: []int{0, 0, 0}, k: 1,
			want: []orb.MultiPolygon{{{ring(0, 0, 2, 0, 2, 2, 0, 2)}}},
		},
		{
			// The lower unit's top edge runs from (3, 1) to (0, 0); the
			// units above split it at (1, 0.33333), 1/3 written with 5
			// decimals, 3.3e-6 degrees below the edge.
			name: "a T-junction rounded to 5 decimals",
			geoms: []orb.Geometry{
				orb.Polygon{ring(0, -1, 3, -1, 3, 1, 0, 0)},
				orb.Polygon{ring(0, 0, 1, 0.33333, 1, 2, 0, 2)},
				orb.Polygon{ring(1, 0.33333, 3, 1, 3, 2, 1, 2)},
			},
			assign: []int{0, 0, 0}, k: 1,
			want: []orb.MultiPolygon{{{ring(0, -1, 3, -1, 3, 2, 0, 2)}}},
		},
		{
			name: "a multipolygon unit and a unit with a hole",
			geoms: []orb.Geometry{
				orb.MultiPolygon{sqAt(0, 0), sqAt(5, 0)},
				orb.Polygon{ring(1, 0, 4, 0, 4, 3, 1, 3), reversed(orb.Polygon{ring(2, 1, 3, 1, 3, 2, 2, 2)})[0]},
			},
			assign: []int{0, 0}, k: 1,
			want: []orb.MultiPolygon{
				{{ring(0, 0, 4, 0, 4, 3, 1, 3, 1, 1, 0, 1), ring(2, 1, 2, 2, 3, 2, 3, 1)}, {ring(5, 0, 6, 0, 6, 1, 5, 1)}},
			},
		},
		{
			name:   "a territory without units and a unit assigned nowhere",
			geoms:  []orb.Geometry{sqAt(0, 0), sqAt(1, 0)},
			assign: []int{0, 7}, k: 2,
			want: []orb.MultiPolygon{{{ring(0, 0, 1, 0, 1, 1, 0, 1)}}, {}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DissolveUnits(&Units{Geoms: tt.geoms}, tt.assign, tt.k)
			if len(got) != len(tt.want) {
				t.Fatalf("%d territories, want %d", len(got), len(tt.want))
			}
			for k := range got {
				if !sameMultiPolygon(got[k], tt.want[k]) {
					t.Errorf("territory %d:\n got %v\nwant %v", k, got[k], tt.want[k])
				}
				checkValid(t, fmt.Sprint("territory ", k), got[k])
			}
		})
	}
}

// TestDissolveTwist dissolves two units whose common boundary crosses
// itself in a small loop (as simplified files have): each territory
// loses the same loop, so both come out valid and they still meet
// without overlap or gap.
func TestDissolveTwist(t *testing.T) {
	// The boundary runs from (2, 1) left to (0.9, 1), loops up through
	// (1, 1.1), crosses itself near (1.083, 1) and ends at (0, 0.98).
	boundary := orb.LineString{{2, 1}, {0.9, 1}, {1, 1.1}, {1.1, 0.98}, {0, 0.98}}
	below := orb.Ring{{0, 0}, {2, 0}}
	below = append(below, boundary...)
	below = append(below, orb.Point{0, 0})
	above := orb.Ring{{0, 2}, {0, 0.98}}
	for k := len(boundary) - 2; k >= 0; k-- {
		above = append(above, boundary[k])
	}
	above = append(above, orb.Point{2, 2}, orb.Point{0, 2})
	units := &Units{Geoms: []orb.Geometry{orb.Polygon{below}, orb.Polygon{above}}}
	got := DissolveUnits(units, []int{0, 1}, 2)
	for k, mp := range got {
		if len(mp) != 1 || len(mp[0]) != 1 {
			t.Fatalf("territory %d: %v, want one ring", k, mp)
		}
		checkValid(t, fmt.Sprint("territory ", k), mp)
	}
	sum := signedArea(got[0][0][0]) + signedArea(got[1][0][0])
	if math.Abs(sum-4) > 1e-12 {
		t.Errorf("the territories cover %v square degrees, want 4", sum)
	}
	pair, _ := scanOverlaps(got, 2000)
	if pair[0][1] > 1e-9 {
		t.Errorf("the territories overlap by %v km²", pair[0][1])
	}
	// Together the two units are one square.
	whole := DissolveUnits(units, []int{0, 0}, 1)
	if want := (orb.MultiPolygon{{{{0, 0}, {2, 0}, {2, 2}, {0, 2}, {0, 0}}}}); !sameMultiPolygon(whole[0], want) {
		t.Errorf("both units dissolve to %v, want %v", whole[0], want)
	}
}

// checkValid verifies a territory's MultiPolygon: rings closed, of at
// least 4 positions, without repeated positions; outer rings
// counter-clockwise and holes clockwise (RFC 7946), each hole inside its
// shell; and no two edges of the MultiPolygon (of any ring) crossing.
func checkValid(t *testing.T, name string, mp orb.MultiPolygon) {
	t.Helper()
	type seg struct {
		a, b       orb.Point
		ring, k, n int
	}
	var segs []seg
	ringNo := 0
	for i, poly := range mp {
		for j, r := range poly {
			if len(r) < 4 || r[0] != r[len(r)-1] {
				t.Errorf("%s: polygon %d ring %d: %d positions, closed %v", name, i, j, len(r), len(r) > 0 && r[0] == r[len(r)-1])
				continue
			}
			if a := signedArea(r); (j == 0) != (a > 0) || a == 0 {
				t.Errorf("%s: polygon %d ring %d has signed area %v", name, i, j, a)
			}
			if j > 0 && !inRing(poly[0], r[0]) && !onRing(poly[0], r[0]) {
				t.Errorf("%s: polygon %d: hole %d is outside its shell", name, i, j)
			}
			for k := 0; k+1 < len(r); k++ {
				if r[k] == r[k+1] {
					t.Errorf("%s: polygon %d ring %d repeats %v", name, i, j, r[k])
				}
				segs = append(segs, seg{r[k], r[k+1], ringNo, k, len(r) - 1})
			}
			ringNo++
		}
	}
	slices.SortFunc(segs, func(x, y seg) int { return cmp.Compare(min(x.a[0], x.b[0]), min(y.a[0], y.b[0])) })
	crossings := 0
	for x, s := range segs {
		maxX := max(s.a[0], s.b[0])
		for _, u := range segs[x+1:] {
			if min(u.a[0], u.b[0]) > maxX {
				break
			}
			if s.ring == u.ring {
				d := s.k - u.k
				if d == 1 || d == -1 || d == s.n-1 || d == 1-s.n {
					continue
				}
			}
			if at, ok := segmentsConflict(s.a, s.b, u.a, u.b); ok {
				if crossings++; crossings <= 5 {
					t.Errorf("%s: edges %v-%v and %v-%v cross at %v", name, s.a, s.b, u.a, u.b, at)
				}
			}
		}
	}
	if crossings > 5 {
		t.Errorf("%s: %d crossings in all", name, crossings)
	}
}

// area is the area in km² on the sphere of radius spatial.EarthRadiusKm of a
// polygon or multipolygon whose edges are straight in longitude and
// latitude (as drawn on a plate carrée map): by Green's theorem the area
// of a region is R²·∬cos φ dλ dφ = -R²·∮ sin φ dλ, and along a straight
// edge from (λ1, φ1) to (λ2, φ2) that integral is exactly
// Δλ·(cos φ1 - cos φ2)/Δφ. Outer rings add and holes subtract, however
// they wind. Unlike a shoelace on a projection, it does not depend on a
// projection centre, so that a territory and its counties measure alike.
func area(g orb.Geometry) float64 {
	const rad = math.Pi / 180
	ring := func(r orb.Ring) float64 {
		var s float64
		for k := 0; k+1 < len(r); k++ {
			l1, p1 := r[k][0]*rad, r[k][1]*rad
			l2, p2 := r[k+1][0]*rad, r[k+1][1]*rad
			if dp := p2 - p1; math.Abs(dp) > 1e-12 {
				s += (l2 - l1) * (math.Cos(p1) - math.Cos(p2)) / dp
			} else {
				s += (l2 - l1) * math.Sin((p1+p2)/2)
			}
		}
		return -s * spatial.EarthRadiusKm * spatial.EarthRadiusKm
	}
	total := 0.0
	var polys []orb.Polygon
	switch g := g.(type) {
	case orb.Polygon:
		polys = []orb.Polygon{g}
	case orb.MultiPolygon:
		polys = g
	}
	for _, poly := range polys {
		for j, r := range poly {
			a := math.Abs(ring(r))
			if j > 0 {
				a = -a
			}
			total += a
		}
	}
	return total
}

func onRing(r orb.Ring, p orb.Point) bool {
	return slices.Contains(r, p)
}

// scanOverlaps measures, on rows horizontal scan lines across all the
// MultiPolygons (longitude and latitude), how much area lies in more than
// one of them: pair[i][j] is the area in both i and j, in km² (each line's
// lengths weighted by the cosine of its latitude). It also returns the
// area each covers, measured the same way.
func scanOverlaps(mps []orb.MultiPolygon, rows int) (pair [][]float64, cover []float64) {
	b := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	for _, mp := range mps {
		for _, poly := range mp {
			b = b.Union(poly.Bound())
		}
	}
	dy := (b.Max[1] - b.Min[1]) / float64(rows)
	type xing struct {
		x float64
		t int
	}
	lines := make([][]xing, rows)
	for t, mp := range mps {
		for _, poly := range mp {
			for _, r := range poly {
				for k := 0; k+1 < len(r); k++ {
					p, q := r[k], r[k+1]
					lo, hi := min(p[1], q[1]), max(p[1], q[1])
					r0 := max(int(math.Ceil((lo-b.Min[1])/dy-0.5)), 0)
					for row := r0; row < rows; row++ {
						y := b.Min[1] + (float64(row)+0.5)*dy
						if y >= hi {
							break
						}
						if (p[1] > y) != (q[1] > y) {
							x := p[0] + (y-p[1])/(q[1]-p[1])*(q[0]-p[0])
							lines[row] = append(lines[row], xing{x, t})
						}
					}
				}
			}
		}
	}
	n := len(mps)
	pair = make([][]float64, n)
	for i := range pair {
		pair[i] = make([]float64, n)
	}
	cover = make([]float64, n)
	const kmPerDeg = spatial.EarthRadiusKm * math.Pi / 180
	inside := make([]bool, n)
	var active []int
	for row, xs := range lines {
		y := b.Min[1] + (float64(row)+0.5)*dy
		w := dy * kmPerDeg * kmPerDeg * math.Cos(y*math.Pi/180)
		slices.SortFunc(xs, func(a, c xing) int { return cmp.Compare(a.x, c.x) })
		clear(inside)
		for k, c := range xs {
			inside[c.t] = !inside[c.t]
			if k+1 == len(xs) {
				break
			}
			length := xs[k+1].x - c.x
			if length <= 0 {
				continue
			}
			active = active[:0]
			for t, in := range inside {
				if in {
					active = append(active, t)
					cover[t] += length * w
				}
			}
			for a := range active {
				for c := a + 1; c < len(active); c++ {
					pair[active[a]][active[c]] += length * w
				}
			}
		}
	}
	return pair, cover
}

// maxPair returns the largest pairwise value and its pair.
func maxPair(pair [][]float64) (float64, int, int) {
	best, bi, bj := 0.0, -1, -1
	for i := range pair {
		for j := i + 1; j < len(pair); j++ {
			if pair[i][j] > best || bi == -1 {
				best, bi, bj = pair[i][j], i, j
			}
		}
	}
	return best, bi, bj
}

// countiesByLongitude reads the county file and splits it into k
// territories of equal count by the longitude of their centroids (a
// deterministic rule: ties by id).
func countiesByLongitude(t testing.TB, k int) (*Units, []int, []string) {
	data := readShared(t, countiesPath)
	a, units, err := ReadAccounts(bytes.NewReader(data), "us_counties.geojson", Options{})
	if err != nil {
		t.Fatal(err)
	}
	order := make([]int, a.Len())
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(i, j int) int {
		if c := cmp.Compare(a.Locs[i].X, a.Locs[j].X); c != 0 {
			return c
		}
		return cmp.Compare(a.IDs[i], a.IDs[j])
	})
	assign := make([]int, a.Len())
	for r, i := range order {
		assign[i] = r * k / len(order)
	}
	return units, assign, a.IDs
}

// TestDissolveCounties checks acceptance 2 of issue 5 on the 3,220 US
// counties (all of them: Alaska's Aleutians cross the antimeridian) in 12
// territories: the territories cover the counties' area within 1%, their
// pairwise overlap is below 1e-6 of the total, and every polygon is
// valid.
func TestDissolveCounties(t *testing.T) {
	const k = 12
	units, assign, _ := countiesByLongitude(t, k)
	var times []time.Duration
	var got []orb.MultiPolygon
	for range 3 {
		start := time.Now()
		got = DissolveUnits(units, assign, k)
		times = append(times, time.Since(start))
	}
	slices.Sort(times)
	t.Logf("dissolve 3,220 counties into %d territories: median of 3 %v (all %v)", k, times[1], times)

	countyArea := 0.0
	for _, g := range units.Geoms {
		countyArea += area(g)
	}
	total := 0.0
	parts := 0
	for k, mp := range got {
		total += area(mp)
		parts += len(mp)
		checkValid(t, fmt.Sprint("territory ", k), mp)
	}
	ratio := total / countyArea
	t.Logf("territories cover %.1f km², the counties %.1f km²: ratio %.9f; %d polygons", total, countyArea, ratio, parts)
	if math.Abs(ratio-1) > 0.01 {
		t.Errorf("area ratio %.6f, want within 1%% of 1", ratio)
	}
	// 20,000 scan lines over 54 degrees of latitude: one every 300 m.
	pair, cover := scanOverlaps(got, 20000)
	worst, i, j := maxPair(pair)
	scanned := 0.0
	for _, c := range cover {
		scanned += c
	}
	t.Logf("scan: territories cover %.1f km² (%.6f of the counties); largest pairwise overlap %.3g km² (%.3g of the total), territories %d and %d",
		scanned, scanned/countyArea, worst, worst/countyArea, i, j)
	if worst > 1e-6*countyArea {
		t.Errorf("territories %d and %d overlap by %.3g km², want below %.3g", i, j, worst, 1e-6*countyArea)
	}
	// Deterministic.
	again := DissolveUnits(units, assign, k)
	for k := range got {
		if !got[k].Equal(again[k]) {
			t.Fatalf("territory %d differs between two runs", k)
		}
	}
}

func BenchmarkDissolveUnits(b *testing.B) {
	units, assign, _ := countiesByLongitude(b, 12)
	b.Run("counties=3220/territories=12", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			DissolveUnits(units, assign, 12)
		}
	})
}

// TestDissolveOutlines merges the cell outlines of the demo's accounts in
// 25 territories into 5 parents (every fifth territory, so that parents
// are in pieces, as levels never are, and many borders meet), and checks
// them against the cells merged by parent at once (PointCells of the
// parents): the same area, the same number of pieces and every
// territory's accounts inside its parent.
func TestDissolveOutlines(t *testing.T) {
	const k, parents = 25, 5
	locs := demoAccounts(t)
	assign := nearestOf(territory.Geographic, locs, k)
	of := make([]int, k)
	for tt := range of {
		of[tt] = tt % parents
	}
	got := DissolveOutlines(PointCells(territory.Geographic, locs, assign, k), of, parents)
	up := make([]int, len(assign))
	for i, tt := range assign {
		up[i] = of[tt]
	}
	want := PointCells(territory.Geographic, locs, up, parents)
	for p := range parents {
		checkValid(t, fmt.Sprint("parent ", p), got[p])
		if a, b := area(got[p]), area(want[p]); math.Abs(a-b) > 1e-6*b {
			t.Errorf("parent %d: area %.6f km², the cells merged by parent %.6f km²", p, a, b)
		}
		if len(got[p]) != len(want[p]) {
			t.Errorf("parent %d: %d polygons, the cells merged by parent %d", p, len(got[p]), len(want[p]))
		}
	}
	for a, pt := range locs {
		if !inMultiPolygon(got[up[a]], orb.Point{pt.X, pt.Y}) {
			t.Errorf("account %d at %v is outside its parent %d", a, pt, up[a])
		}
	}
	// A territory with no parent, or one out of range, is left out.
	none := DissolveOutlines(PointCells(territory.Geographic, locs, assign, k)[:2], []int{-1, 7}, 1)
	if len(none) != 1 || len(none[0]) != 0 {
		t.Errorf("territories without a parent in range gave %v", none)
	}
}
