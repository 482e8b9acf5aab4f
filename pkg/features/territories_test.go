package features

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"

	"github.com/territory-optimizer/territory/pkg/report"
	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// demoAccounts reads the locations of the demo's accounts (5,000 across
// the contiguous US).
func demoAccounts(t testing.TB) []territory.Point {
	t.Helper()
	f, err := os.Open("../demo/demodata/accounts.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := func(name string) int {
		i := slices.Index(recs[0], name)
		if i < 0 {
			t.Fatalf("accounts.csv has no column %q", name)
		}
		return i
	}
	lat, lon := col("lat"), col("lon")
	var locs []territory.Point
	for _, rec := range recs[1:] {
		y, err1 := strconv.ParseFloat(rec[lat], 64)
		x, err2 := strconv.ParseFloat(rec[lon], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("bad location %v", rec)
		}
		locs = append(locs, territory.Point{X: x, Y: y})
	}
	return locs
}

// nearestOf assigns every location to the nearest of k centres taken at
// evenly spaced indices (a simple deterministic rule; ties to the lower
// centre).
func nearestOf(space territory.Space, locs []territory.Point, k int) []int {
	centres := make([]territory.Point, k)
	for c := range centres {
		centres[c] = locs[c*len(locs)/k]
	}
	assign := make([]int, len(locs))
	for i, p := range locs {
		best := math.Inf(1)
		for c, q := range centres {
			if d := spatial.Distance(space, p, q); d < best {
				best, assign[i] = d, c
			}
		}
	}
	return assign
}

// TestPointCellsDemo checks the outlines of the demo's 5,000 point
// accounts (across the south-eastern US) in 25 territories of nearest
// centres, as a contiguous plan would have them: every polygon valid, no
// two territories overlapping, every account inside its own territory,
// every outline within reach of its accounts (see checkReach), and the
// outlines covering the land around the accounts rather than the box
// around all of them (the Gulf of Mexico and the Atlantic take up about
// half of that box).
func TestPointCellsDemo(t *testing.T) {
	const k = 25
	locs := demoAccounts(t)
	assign := nearestOf(territory.Geographic, locs, k)
	start := time.Now()
	got := PointCells(territory.Geographic, locs, assign, k)
	t.Logf("cells of %d accounts merged into %d territories in %v", len(locs), k, time.Since(start))

	// The box of the cells, back in degrees.
	pr := spatial.NewProjection(territory.Geographic, locs)
	box := spatial.MarginBound(spatial.Project(territory.Geographic, locs), spatial.DefaultMargin)
	lo := pr.Inverse(territory.Point{X: box.Min[0], Y: box.Min[1]})
	hi := pr.Inverse(territory.Point{X: box.Max[0], Y: box.Max[1]})
	boxArea := area(orb.Polygon{{{lo.X, lo.Y}, {hi.X, lo.Y}, {hi.X, hi.Y}, {lo.X, hi.Y}, {lo.X, lo.Y}}})

	total, holes := 0.0, 0
	for k, mp := range got {
		if len(mp) == 0 {
			t.Errorf("territory %d has no outline", k)
		}
		checkValid(t, fmt.Sprint("territory ", k), mp)
		total += area(mp)
		for _, poly := range mp {
			holes += len(poly) - 1
		}
	}
	ratio := total / boxArea
	pair, _ := scanOverlaps(got, 20000)
	worst, i, j := maxPair(pair)
	t.Logf("territories cover %.1f km², the box %.1f km²: ratio %.3f; %d holes; largest pairwise overlap %.3g km², territories %d and %d",
		total, boxArea, ratio, holes, worst, i, j)
	if ratio < 0.3 || ratio > 0.6 {
		t.Errorf("territories cover %.3f of the box, want between 0.3 and 0.6", ratio)
	}
	if worst > 1e-9*boxArea {
		t.Errorf("territories %d and %d overlap by %.3g km², want below %.3g", i, j, worst, 1e-9*boxArea)
	}
	for a, p := range locs {
		if !inMultiPolygon(got[assign[a]], orb.Point{p.X, p.Y}) {
			t.Errorf("account %d at %v is outside its territory %d", a, p, assign[a])
		}
	}
	checkReach(t, territory.Geographic, locs, assign, got)
}

// checkReach checks that every position of every outline, and the middle
// of every edge, lies within 2.25 times the reach of some account of its
// territory (measured in the plane of spatial.Project): the largest reach
// among the account and the accounts two steps from it in the
// triangulation, which is how far spatial.VoronoiCellsWithin lets a cell
// reach, 2.25 being the most it raises the reach at a Voronoi vertex that
// it keeps (1.5 unless it fills a gap there).
func checkReach(t *testing.T, space territory.Space, locs []territory.Point, assign []int, outlines []orb.MultiPolygon) {
	t.Helper()
	pr := spatial.NewProjection(space, locs)
	pts := make([]territory.Point, len(locs))
	for i, p := range locs {
		pts[i] = pr.Forward(p)
	}
	tr, err := spatial.Delaunay(pts)
	if err != nil {
		t.Fatal(err)
	}
	reach := cellReach(tr)
	if reach == nil {
		return // no limit
	}
	nbrs := tr.Neighbours()
	most := make([]float64, len(pts))
	for i := range pts {
		most[i] = reach[i]
		for _, j := range nbrs[i] {
			for _, l := range nbrs[j] {
				most[i] = max(most[i], reach[j], reach[l])
			}
		}
	}
	members := make([][]int, len(outlines))
	for i, k := range assign {
		members[k] = append(members[k], i)
	}
	worst := 0.0
	for k, mp := range outlines {
		check := func(x orb.Point) {
			q := pr.Forward(territory.Point{X: x[0], Y: x[1]})
			best := math.Inf(1)
			for _, i := range members[k] {
				best = min(best, math.Hypot(q.X-pts[i].X, q.Y-pts[i].Y)/most[i])
			}
			worst = max(worst, best)
			if best > 2.25*(1+1e-9) {
				t.Errorf("territory %d: outline position %v is %.3g times the reach from its nearest account", k, x, best)
			}
		}
		for _, poly := range mp {
			for _, r := range poly {
				for j := 0; j+1 < len(r); j++ {
					check(r[j])
					check(orb.Point{r[j][0]/2 + r[j+1][0]/2, r[j][1]/2 + r[j+1][1]/2})
				}
			}
		}
	}
	t.Logf("outlines reach at most %.3f times the reach from their accounts", worst)
}

// TestPointCellsSpread checks that accounts spread evenly, in 12
// territories of nearest centres, have outlines without holes, one
// polygon each, within reach of their accounts.
func TestPointCellsSpread(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	locs := make([]territory.Point, 3000)
	for i := range locs {
		locs[i] = territory.Point{X: 100 * rng.Float64(), Y: 100 * rng.Float64()}
	}
	const k = 12
	assign := nearestOf(territory.Planar, locs, k)
	got := PointCells(territory.Planar, locs, assign, k)
	for k, mp := range got {
		checkValid(t, fmt.Sprint("territory ", k), mp)
		if len(mp) != 1 || len(mp[0]) != 1 {
			t.Errorf("territory %d: %d polygons, the first with %d holes; want one without", k, len(mp), len(mp[0])-1)
		}
	}
	for a, p := range locs {
		if !inMultiPolygon(got[assign[a]], orb.Point{p.X, p.Y}) {
			t.Errorf("account %d at %v is outside its territory %d", a, p, assign[a])
		}
	}
	checkReach(t, territory.Planar, locs, assign, got)
}

// TestPointCellsGap has two clusters of accounts 100 km apart: the gap
// between them stays empty, a territory in both clusters is two polygons,
// and a territory surrounded by another is a hole in it.
func TestPointCellsGap(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	// 400 accounts in each of two discs of radius 20 km, centred 100 km
	// apart on a planar map.
	var locs []territory.Point
	for c := range 2 {
		for range 400 {
			r, a := 20*math.Sqrt(rng.Float64()), 2*math.Pi*rng.Float64()
			locs = append(locs, territory.Point{X: 100*float64(c) + r*math.Cos(a), Y: r * math.Sin(a)})
		}
	}
	clusters := func(p territory.Point) int {
		if p.X < 50 {
			return 0
		}
		return 1
	}
	tests := []struct {
		name   string
		assign func(p territory.Point) int
		k      int
		polys  []int // polygons of each territory
		holes  []int // holes of each territory
	}{
		{"a territory per cluster", clusters, 2, []int{1, 1}, []int{0, 0}},
		{
			// Territory 0 holds the north of both clusters.
			name: "a territory in both clusters",
			assign: func(p territory.Point) int {
				if p.Y > 0 {
					return 0
				}
				return 1 + clusters(p)
			},
			k: 3, polys: []int{2, 1, 1}, holes: []int{0, 0, 0},
		},
		{
			// Territory 1 is the middle of the first cluster.
			name: "a territory around another",
			assign: func(p territory.Point) int {
				if math.Hypot(p.X, p.Y) < 8 {
					return 1
				}
				return 0
			},
			k: 2, polys: []int{2, 1}, holes: []int{1, 0},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assign := make([]int, len(locs))
			for i, p := range locs {
				assign[i] = tt.assign(p)
			}
			got := PointCells(territory.Planar, locs, assign, tt.k)
			for k, mp := range got {
				checkValid(t, fmt.Sprint("territory ", k), mp)
				holes := 0
				for _, poly := range mp {
					holes += len(poly) - 1
				}
				if len(mp) != tt.polys[k] || holes != tt.holes[k] {
					t.Errorf("territory %d: %d polygons with %d holes, want %d with %d", k, len(mp), holes, tt.polys[k], tt.holes[k])
				}
				// Nothing in the gap: the strip 40 to 60 km across between
				// the clusters' edges (at 20 and 80 km).
				if b := mp.Bound(); b.Min[0] < 40 && b.Max[0] > 60 {
					for _, poly := range mp {
						if pb := poly.Bound(); pb.Max[0] > 40 && pb.Min[0] < 60 {
							t.Errorf("territory %d: polygon spanning %v reaches into the gap", k, pb)
						}
					}
				}
			}
			for a, p := range locs {
				if !inMultiPolygon(got[assign[a]], orb.Point{p.X, p.Y}) {
					t.Errorf("account %d at %v is outside its territory %d", a, p, assign[a])
				}
			}
			pair, _ := scanOverlaps(got, 2000)
			if worst, i, j := maxPair(pair); worst > 1e-9 {
				t.Errorf("territories %d and %d overlap by %v", i, j, worst)
			}
			checkReach(t, territory.Planar, locs, assign, got)
		})
	}
}

// TestPointCellsDeterministic writes the demo's territories twice, with
// one core and with two: the same bytes.
func TestPointCellsDeterministic(t *testing.T) {
	locs := demoAccounts(t)
	assign := nearestOf(territory.Geographic, locs, 25)
	var outs [][]byte
	for _, procs := range []int{1, 2, 1, 2} {
		prev := runtime.GOMAXPROCS(procs)
		mp := PointCells(territory.Geographic, locs, assign, 25)
		runtime.GOMAXPROCS(prev)
		var buf bytes.Buffer
		for _, poly := range mp {
			if err := writeMultiPolygon(&buf, poly); err != nil {
				t.Fatal(err)
			}
		}
		outs = append(outs, buf.Bytes())
	}
	for i := 1; i < len(outs); i++ {
		if !bytes.Equal(outs[0], outs[i]) {
			t.Fatalf("run %d wrote different outlines from run 0", i)
		}
	}
}

func inMultiPolygon(mp orb.MultiPolygon, p orb.Point) bool {
	in := false
	for _, poly := range mp {
		for _, r := range poly {
			if inRing(r, p) {
				in = !in
			}
		}
	}
	return in
}

func TestPointCells(t *testing.T) {
	tests := []struct {
		name   string
		space  territory.Space
		locs   []territory.Point
		assign []int
		k      int
		want   []orb.MultiPolygon // nil: only the properties are checked
		// inRange asks for longitudes within ±180 and latitudes within ±90.
		inRange bool
	}{
		{
			// Two columns of accounts: the territories are the halves of
			// the box, [-0.2, 4.2] x [-0.2, 3.2] (a 5% margin of the larger
			// side, 4); the cell corners on x = 2 are dropped.
			name:   "two halves",
			space:  territory.Planar,
			locs:   []territory.Point{{X: 0, Y: 0}, {X: 0, Y: 3}, {X: 4, Y: 0}, {X: 4, Y: 3}, {X: 0, Y: 1.5}, {X: 4, Y: 1.5}},
			assign: []int{0, 0, 1, 1, 0, 1},
			k:      2,
			want: []orb.MultiPolygon{
				{{{{-0.2, -0.2}, {2, -0.2}, {2, 3.2}, {-0.2, 3.2}, {-0.2, -0.2}}}},
				{{{{2, -0.2}, {4.2, -0.2}, {4.2, 3.2}, {2, 3.2}, {2, -0.2}}}},
			},
		},
		{
			name:   "a territory around another",
			space:  territory.Planar,
			locs:   []territory.Point{{X: 0, Y: 0}, {X: 1, Y: 0}, {X: 2, Y: 0}, {X: 0, Y: 1}, {X: 1, Y: 1}, {X: 2, Y: 1}, {X: 0, Y: 2}, {X: 1, Y: 2}, {X: 2, Y: 2}},
			assign: []int{0, 0, 0, 0, 1, 0, 0, 0, 0},
			k:      2,
			want: []orb.MultiPolygon{
				{{
					{{-0.1, -0.1}, {2.1, -0.1}, {2.1, 2.1}, {-0.1, 2.1}, {-0.1, -0.1}},
					{{0.5, 0.5}, {0.5, 1.5}, {1.5, 1.5}, {1.5, 0.5}, {0.5, 0.5}},
				}},
				{{{{0.5, 0.5}, {1.5, 0.5}, {1.5, 1.5}, {0.5, 1.5}, {0.5, 0.5}}}},
			},
		},
		{
			// Co-located accounts share one cell, which goes to the
			// territory of the first of them; territory 1 is left with
			// nothing.
			name:   "accounts at one location",
			space:  territory.Planar,
			locs:   []territory.Point{{X: 0, Y: 0}, {X: 0, Y: 0}, {X: 1, Y: 0}},
			assign: []int{0, 1, 2},
			k:      3,
			want: []orb.MultiPolygon{
				{{{{-0.05, -0.05}, {0.5, -0.05}, {0.5, 0.05}, {-0.05, 0.05}, {-0.05, -0.05}}}},
				{},
				{{{{0.5, -0.05}, {1.05, -0.05}, {1.05, 0.05}, {0.5, 0.05}, {0.5, -0.05}}}},
			},
		},
		{
			name:   "collinear accounts",
			space:  territory.Planar,
			locs:   []territory.Point{{X: 0, Y: 0}, {X: 1, Y: 1}, {X: 2, Y: 2}, {X: 3, Y: 3}},
			assign: []int{0, 0, 1, 1},
			k:      2,
		},
		{
			name:    "geographic, near the antimeridian",
			space:   territory.Geographic,
			locs:    []territory.Point{{X: 179.5, Y: -17}, {X: 179.9, Y: -18}, {X: 178.5, Y: -18.2}, {X: 179, Y: -16.5}},
			assign:  []int{0, 1, 1, 0},
			k:       2,
			inRange: true,
		},
		{
			// The margin would reach past -180 and 90: the box stops there.
			name:    "geographic, near -180 and the pole",
			space:   territory.Geographic,
			locs:    []territory.Point{{X: -179.9, Y: 89.9}, {X: -170, Y: 80}, {X: -175, Y: 85}, {X: -171, Y: 89}},
			assign:  []int{0, 1, 1, 0},
			k:       2,
			inRange: true,
		},
		{
			name:   "geographic, across the antimeridian",
			space:  territory.Geographic,
			locs:   []territory.Point{{X: 179.5, Y: 51}, {X: -179.5, Y: 52}, {X: -178, Y: 51.5}, {X: 178, Y: 52.2}},
			assign: []int{0, 1, 1, 0},
			k:      2,
		},
		{name: "no accounts", space: territory.Geographic, k: 2, want: []orb.MultiPolygon{{}, {}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := PointCells(tt.space, tt.locs, tt.assign, tt.k)
			if len(got) != tt.k {
				t.Fatalf("%d outlines for %d territories", len(got), tt.k)
			}
			for k, mp := range got {
				if mp == nil {
					t.Errorf("territory %d: nil outline, want an empty MultiPolygon", k)
				}
				if tt.want != nil && !sameMultiPolygon(mp, tt.want[k]) {
					t.Errorf("territory %d:\n got %v\nwant %v", k, mp, tt.want[k])
				}
				checkValid(t, fmt.Sprint("territory ", k), mp)
				if tt.inRange {
					if b := mp.Bound(); b.Min[0] < -180 || b.Max[0] > 180 || b.Min[1] < -90 || b.Max[1] > 90 {
						t.Errorf("territory %d spans %v, beyond the range of longitude and latitude", k, b)
					}
				}
			}
			for a, p := range tt.locs {
				if a == 0 || p != tt.locs[a-1] {
					// Across the antimeridian, longitudes run on past ±180.
					in := func(dx float64) bool { return inMultiPolygon(got[tt.assign[a]], orb.Point{p.X + dx, p.Y}) }
					if !in(0) && !in(360) && !in(-360) {
						t.Errorf("account %d at %v is outside its territory %d", a, p, tt.assign[a])
					}
				}
			}
			if tt.space == territory.Geographic && len(tt.locs) > 0 {
				pair, _ := scanOverlaps(got, 1000)
				if worst, i, j := maxPair(pair); worst > 1e-9 {
					t.Errorf("territories %d and %d overlap by %v km²", i, j, worst)
				}
			}
		})
	}
}

// The inputs of the golden files: a planar problem with point accounts,
// and a geographic one with the units of testdata/t_junction.geojson.
func goldenCases(t *testing.T) []struct {
	name       string
	problem    *territory.Problem
	plan       *territory.Plan
	boundaries []orb.MultiPolygon
} {
	t.Helper()
	planar := &territory.Problem{
		Space: territory.Planar,
		Accounts: territory.Accounts{
			IDs:  []string{"a1", "a2", "a3", "a4", "a5", "a6"},
			Locs: []territory.Point{{X: 0, Y: 0}, {X: 1, Y: 2}, {X: 0.5, Y: 4}, {X: 5, Y: 0.5}, {X: 6, Y: 3}, {X: 4.5, Y: 4.5}},
			Measures: []territory.Measure{
				{Name: "revenue", Column: "Revenue", Values: []float64{100, 250.5, 80, 120, 90, 200}},
				{Name: "visits", Column: "visits", Values: []float64{3, 1, 4, 1, 5, 9}},
			},
		},
		Reps: []territory.Rep{
			{ID: "r1", Name: `Ann "West" Smith`, Capacity: 1},
			{ID: "r2", Name: "Bo <East>", Capacity: 0.5},
		},
		Rules: []territory.BalanceRule{{Measure: "revenue", HasTolerance: true, Tolerance: 0.1}},
	}
	planarPlan := &territory.Plan{
		Assign:        []int{0, 0, 0, 1, 1, 1},
		Centers:       []territory.Point{{X: 0.5, Y: 2}, {X: 5.1666666666, Y: 2.6666666666}},
		CenterAccount: []int{-1, -1},
	}

	data, err := os.ReadFile(filepath.Join("testdata", "t_junction.geojson"))
	if err != nil {
		t.Fatal(err)
	}
	a, units, err := ReadAccounts(bytes.NewReader(data), "t_junction.geojson", Options{})
	if err != nil {
		t.Fatal(err)
	}
	geographic := &territory.Problem{
		Space:    territory.Geographic,
		Accounts: a,
		Reps:     []territory.Rep{{ID: "north", Capacity: 1}, {ID: "south", Name: "Södra", Capacity: 1}},
		Rules:    []territory.BalanceRule{{Measure: territory.CountMeasure, HasTolerance: true, Tolerance: 0.5}},
	}
	geoPlan := &territory.Plan{Assign: []int{1, 0, 0}, Centers: []territory.Point{a.Locs[1], a.Locs[0]}, CenterAccount: []int{1, 0}}

	// Two towns of ten point accounts 0.05 degrees apart (a 3 x 3 grid and
	// one more), 300 km apart: the outlines leave the land between them
	// out. The first territory has the first town but its middle account,
	// which the second has (a hole in the first), with three accounts of
	// the other town (a second polygon); the third has the rest of it.
	gap := &territory.Problem{
		Space: territory.Geographic,
		Reps:  []territory.Rep{{ID: "r1", Capacity: 1}, {ID: "r2", Capacity: 1}, {ID: "r3", Capacity: 1}},
		Rules: []territory.BalanceRule{{Measure: territory.CountMeasure}},
	}
	gapPlan := &territory.Plan{Centers: []territory.Point{{X: -84.35, Y: 33.75}, {X: -82.3, Y: 32.8}, {X: -81.05, Y: 32.1}}, CenterAccount: []int{-1, -1, -1}}
	for town, at := range []territory.Point{{X: -84.4, Y: 33.7}, {X: -81.1, Y: 32.05}} {
		for i := range 10 {
			x, y := float64(i%3), float64(i/3)
			if i == 9 {
				x, y = 1.5, 3
			}
			gap.Accounts.IDs = append(gap.Accounts.IDs, fmt.Sprintf("g%02d", 10*town+i))
			gap.Accounts.Locs = append(gap.Accounts.Locs, territory.Point{X: at.X + 0.05*x, Y: at.Y + 0.05*y})
			k := 0
			switch {
			case town == 0 && i == 4, town == 1 && i < 3:
				k = 1
			case town == 1:
				k = 2
			}
			gapPlan.Assign = append(gapPlan.Assign, k)
		}
	}

	return []struct {
		name       string
		problem    *territory.Problem
		plan       *territory.Plan
		boundaries []orb.MultiPolygon
	}{
		{"planar", planar, planarPlan, PointCells(planar.Space, planar.Accounts.Locs, planarPlan.Assign, planar.K())},
		{"units", geographic, geoPlan, DissolveUnits(units, geoPlan.Assign, geographic.K())},
		{"points_gap", gap, gapPlan, PointCells(gap.Space, gap.Accounts.Locs, gapPlan.Assign, gap.K())},
	}
}

func TestWriteTerritoriesGolden(t *testing.T) {
	for _, tc := range goldenCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.problem.Validate(); err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := WriteTerritories(&buf, tc.problem, tc.plan, nil, tc.boundaries); err != nil {
				t.Fatal(err)
			}
			// The same bytes with the metrics given.
			var again bytes.Buffer
			if err := WriteTerritories(&again, tc.problem, tc.plan, report.Evaluate(tc.problem, tc.plan), tc.boundaries); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(buf.Bytes(), again.Bytes()) {
				t.Error("output differs when the metrics are passed in")
			}
			// GeoJSON: one feature per territory and per centre.
			var fc struct {
				Type     string
				Features []struct {
					Type       string
					Properties map[string]any
					Geometry   *struct{ Type string }
				}
			}
			if err := json.Unmarshal(buf.Bytes(), &fc); err != nil {
				t.Fatalf("not JSON: %v", err)
			}
			if fc.Type != "FeatureCollection" || len(fc.Features) != 2*tc.problem.K() {
				t.Errorf("a %s of %d features, want a FeatureCollection of %d", fc.Type, len(fc.Features), 2*tc.problem.K())
			}
			for i, f := range fc.Features {
				want := "MultiPolygon"
				if i >= tc.problem.K() {
					want = "Point"
				}
				if f.Type != "Feature" || f.Geometry == nil || f.Geometry.Type != want {
					t.Errorf("feature %d: %s of %+v, want a Feature of a %s", i, f.Type, f.Geometry, want)
				}
			}
			golden := filepath.Join("testdata", "territories", tc.name+".geojson")
			if *update {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), buf.String()); diff != "" {
				t.Errorf("%s differs (-want +got; go test -update rewrites it):\n%s", golden, diff)
			}
		})
	}
}

func TestWriteTerritoriesErrors(t *testing.T) {
	tc := goldenCases(t)[0]
	bad := slices.Clone(tc.boundaries)
	bad[1] = orb.MultiPolygon{{{{0, 0}, {1, 0}, {math.NaN(), 1}, {0, 0}}}}
	var buf bytes.Buffer
	err := WriteTerritories(&buf, tc.problem, tc.plan, nil, bad)
	if want := "features: write territories: territory T2: NaN is not a finite number"; err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
	if buf.Len() != 0 {
		t.Errorf("wrote %d bytes on error", buf.Len())
	}
	// Without boundaries every territory's geometry is null.
	buf.Reset()
	if err := WriteTerritories(&buf, tc.problem, tc.plan, nil, nil); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), `"geometry":null`); n != 2 {
		t.Errorf("%d null geometries, want 2:\n%s", n, buf.String())
	}
}

// TestRoundMultiPolygon checks the rounding of positions to 6 decimals:
// positions that become equal are merged and rings that collapse are
// dropped with their holes.
func TestRoundMultiPolygon(t *testing.T) {
	mp := orb.MultiPolygon{
		{
			{{0, 0}, {1, 0}, {1, 1e-7}, {1, 1}, {-1e-8, 1}, {0, 0}},
			{{0.5, 0.5}, {0.5000001, 0.5}, {0.5, 0.5000001}, {0.5, 0.5}}, // collapses
		},
		{{{5, 5}, {5.0000001, 5}, {5, 5.0000001}, {5, 5}}}, // collapses, with its polygon
	}
	want := orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}}
	if got := roundMultiPolygon(mp); !got.Equal(want) {
		t.Errorf("roundMultiPolygon = %v, want %v", got, want)
	}
}
