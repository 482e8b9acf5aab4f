package spatial

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// scanOrder is the reference answer: every index of pts, sorted by Dist2 to
// q, then by index.
func scanOrder(pts []Vec3, q Vec3) []int {
	order := make([]int, len(pts))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		da, db := Dist2(pts[a], q), Dist2(pts[b], q)
		switch {
		case da < db:
			return -1
		case da > db:
			return 1
		}
		return a - b
	})
	return order
}

// pointSet is a named way to draw count points.
type pointSet struct {
	name  string
	count int
	draw  func(rng *rand.Rand, count int) []Vec3
}

func sphereAt(lon, lat float64) Vec3 {
	return Embed(territory.Geographic, territory.Point{X: lon, Y: lat})
}

// randomSphere draws points uniformly over the sphere.
func randomSphere(rng *rand.Rand, count int) []Vec3 {
	pts := make([]Vec3, count)
	for i := range pts {
		pts[i] = sphereAt(-180+360*rng.Float64(), -90+180*rng.Float64())
	}
	return pts
}

// randomRegion draws points over a region the size of the contiguous US,
// as accounts are.
func randomRegion(rng *rand.Rand, count int) []Vec3 {
	pts := make([]Vec3, count)
	for i := range pts {
		pts[i] = sphereAt(-125+58*rng.Float64(), 25+24*rng.Float64())
	}
	return pts
}

// randomPlanar draws planar points (z = 0) over a 1,000 x 1,000 square.
func randomPlanar(rng *rand.Rand, count int) []Vec3 {
	pts := make([]Vec3, count)
	for i := range pts {
		pts[i] = Embed(territory.Planar, territory.Point{X: 1000 * rng.Float64(), Y: 1000 * rng.Float64()})
	}
	return pts
}

// gridPlanar draws planar points on a 12 x 12 integer grid: many points
// share a location, and many locations share a distance to a grid query.
func gridPlanar(rng *rand.Rand, count int) []Vec3 {
	pts := make([]Vec3, count)
	for i := range pts {
		pts[i] = Vec3{float64(rng.IntN(12)), float64(rng.IntN(12)), 0}
	}
	return pts
}

// fewLocations draws points at 5 locations on the sphere, most at the
// first: heavy duplicates.
func fewLocations(rng *rand.Rand, count int) []Vec3 {
	locs := []Vec3{sphereAt(-87.6, 41.9), sphereAt(-87.9, 43.0), sphereAt(-90.2, 38.6), sphereAt(-93.3, 45.0), sphereAt(-87.6, 41.9+1e-9)}
	pts := make([]Vec3, count)
	for i := range pts {
		if rng.IntN(2) == 0 {
			pts[i] = locs[0]
		} else {
			pts[i] = locs[rng.IntN(len(locs))]
		}
	}
	return pts
}

// crossAtOrigin draws half the points at the origin and the rest on the
// axes through it, at integer coordinates: the origin's points tie on one
// coordinate with every other point.
func crossAtOrigin(rng *rand.Rand, count int) []Vec3 {
	pts := make([]Vec3, count)
	for i := range pts {
		switch v := float64(rng.IntN(41) - 20); rng.IntN(4) {
		case 0:
			pts[i] = Vec3{v, 0, 0}
		case 1:
			pts[i] = Vec3{0, v, 0}
		}
	}
	return pts
}

// oneLocation puts every point at one spot, some at -0 for +0.
func oneLocation(rng *rand.Rand, count int) []Vec3 {
	pts := make([]Vec3, count)
	for i := range pts {
		pts[i] = Vec3{0, 3, 0}
		if rng.IntN(2) == 0 {
			pts[i][0] = math.Copysign(0, -1)
		}
	}
	return pts
}

// mixed puts random sphere points and copies of some of them together.
func mixed(rng *rand.Rand, count int) []Vec3 {
	pts := randomRegion(rng, count)
	for i := range pts {
		if rng.IntN(3) == 0 {
			pts[i] = pts[rng.IntN(i+1)]
		}
	}
	return pts
}

var pointSets = []pointSet{
	{"empty", 0, randomSphere},
	{"one point", 1, randomSphere},
	{"two points", 2, randomPlanar},
	{"two at one location", 2, oneLocation},
	{"leaf size", leafSize, randomPlanar},
	{"scan limit", scanLimit, randomRegion},
	{"scan limit + 1", scanLimit + 1, randomRegion},
	{"sphere", 3000, randomSphere},
	{"region", 3000, randomRegion},
	{"planar", 3000, randomPlanar},
	{"planar grid", 2000, gridPlanar},
	{"few locations", 3000, fewLocations},
	{"cross at origin", 3000, crossAtOrigin},
	{"one location", 500, oneLocation},
	{"copies", 3000, mixed},
}

// TestIndexNearestProperty compares Nearest with a scan sorted by (Dist2,
// index) for every set above, for queries drawn like the points, at the
// points themselves (distance 0, ties) and far away, for n from -1 to
// twice the set's size.
func TestIndexNearestProperty(t *testing.T) {
	for si, set := range pointSets {
		t.Run(set.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(si), 17))
			pts := set.draw(rng, set.count)
			ix := NewIndex(pts)
			if ix.Len() != len(pts) {
				t.Fatalf("Len = %d, want %d", ix.Len(), len(pts))
			}
			queries := set.draw(rng, 40)
			for range 20 {
				if len(pts) > 0 {
					queries = append(queries, pts[rng.IntN(len(pts))])
				}
			}
			queries = append(queries, Vec3{}, Vec3{1e7, -1e7, 3}, sphereAt(10, -50), Vec3{0.5, 0.5, 0})
			ns := []int{-1, 0, 1, 2, 3, 7, 8, 9, 16, 17, 63, 64, 65, 200}
			ns = append(ns, len(pts)-1, len(pts), len(pts)+1, 2*len(pts))
			prefix := []int{-7, -8}
			for _, q := range queries {
				want := scanOrder(pts, q)
				for _, n := range ns {
					got := ix.Nearest(q, n, slices.Clip(prefix))
					if !slices.Equal(got[:len(prefix)], prefix) {
						t.Fatalf("Nearest(%v, %d) changed dst's prefix: %v", q, n, got)
					}
					w := want[:max(0, min(n, len(want)))]
					if g := got[len(prefix):]; !slices.Equal(g, w) {
						t.Fatalf("Nearest(%v, %d) = %v,\nscan gives %v", q, n, head(g), head(w))
					}
				}
			}
		})
	}
}

// TestIndexWithinProperty compares Within with a linear scan for every set
// above, for radii from 0 to beyond the whole set.
func TestIndexWithinProperty(t *testing.T) {
	for si, set := range pointSets {
		t.Run(set.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(si), 23))
			pts := set.draw(rng, set.count)
			ix := NewIndex(pts)
			queries := set.draw(rng, 30)
			for range 10 {
				if len(pts) > 0 {
					queries = append(queries, pts[rng.IntN(len(pts))])
				}
			}
			queries = append(queries, Vec3{}, Vec3{1e7, -1e7, 3})
			prefix := []int{-7}
			for _, q := range queries {
				order := scanOrder(pts, q)
				var radii []float64
				for _, at := range []int{0, 1, 5, len(order) / 3, len(order) - 1} {
					if at >= 0 && at < len(order) {
						// Exactly a point's distance (that point excluded),
						// and just beyond it.
						d := Dist2(q, pts[order[at]])
						radii = append(radii, d, math.Nextafter(d, math.Inf(1)))
					}
				}
				radii = append(radii, 0, -1, math.Inf(1))
				for _, r2 := range radii {
					var want []int
					for i, p := range pts {
						if Dist2(q, p) < r2 {
							want = append(want, i)
						}
					}
					got := ix.Within(q, r2, slices.Clip(prefix))
					if got[0] != -7 {
						t.Fatalf("Within changed dst's prefix")
					}
					g := slices.Sorted(slices.Values(got[1:]))
					if !slices.Equal(g, want) {
						t.Fatalf("Within(%v, %g) = %v,\nscan gives %v", q, r2, head(g), head(want))
					}
				}
			}
		})
	}
}

// TestIndexGroups checks that Groups covers every point once, in groups of
// at most the size asked for, whose points are nearer one another than
// the set's spread.
func TestIndexGroups(t *testing.T) {
	for si, set := range pointSets {
		rng := rand.New(rand.NewPCG(uint64(si), 29))
		pts := set.draw(rng, set.count)
		ix := NewIndex(pts)
		for _, size := range []int{1, 8, 16, 100} {
			groups := ix.Groups(size)
			seen := make([]bool, len(pts))
			for _, g := range groups {
				if len(g) == 0 || len(g) > size {
					t.Fatalf("%s: a group of %d points, size %d", set.name, len(g), size)
				}
				for _, i := range g {
					if seen[i] {
						t.Fatalf("%s: point %d in two groups", set.name, i)
					}
					seen[i] = true
				}
			}
			if slices.Contains(seen, false) {
				t.Fatalf("%s: size %d: a point in no group", set.name, size)
			}
			if len(pts) >= 4*size && size >= 8 && len(groups) > 4*len(pts)/size {
				t.Errorf("%s: %d groups of at most %d for %d points: too small", set.name, len(groups), size, len(pts))
			}
		}
	}
}

// head shortens long answers in failure messages.
func head(s []int) string {
	if len(s) > 20 {
		return fmt.Sprintf("%v ... (%d)", s[:20], len(s))
	}
	return fmt.Sprint(s)
}

// TestIndexTreeInvariants checks the tree's shape for every set above:
// nodes cover their range, splits separate their children, no location is
// split between leaves, and a leaf beyond leafSize points is one location in
// index order.
func TestIndexTreeInvariants(t *testing.T) {
	for si, set := range pointSets {
		t.Run(set.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(si), 17))
			pts := set.draw(rng, set.count)
			ix := NewIndex(pts)
			seen := make([]bool, len(pts))
			if len(ix.idx) != len(pts) || len(ix.pts) != len(pts) {
				t.Fatalf("%d points and %d indices for %d points", len(ix.pts), len(ix.idx), len(pts))
			}
			for i, j := range ix.idx {
				if seen[j] || pts[j] != ix.pts[i] {
					t.Fatalf("the index's points are not a permutation of the points: %v at %d", ix.pts[i], j)
				}
				seen[j] = true
			}
			leafOf := make(map[Vec3]int) // location (-0 == +0) -> leaf node
			var walk func(ni int32, lo, hi int32)
			walk = func(ni int32, lo, hi int32) {
				nd := ix.nodes[ni]
				if nd.lo != lo || nd.hi != hi || lo >= hi {
					t.Fatalf("node %d covers [%d, %d), want [%d, %d), nonempty", ni, nd.lo, nd.hi, lo, hi)
				}
				if nd.right == 0 {
					lpts, lidx := ix.pts[lo:hi], ix.idx[lo:hi]
					limit := int32(leafSize)
					if ni == 0 {
						limit = scanLimit // the whole set, scanned
					}
					if hi-lo > limit && !nd.same {
						t.Errorf("leaf %d holds %d points at several locations", ni, hi-lo)
					}
					for i, p := range lpts {
						if l, ok := leafOf[p]; ok && l != int(ni) {
							t.Errorf("location %v is in leaves %d and %d", p, l, ni)
						}
						leafOf[p] = int(ni)
						if nd.same && (p != lpts[0] || i > 0 && lidx[i] < lidx[i-1]) {
							t.Errorf("leaf %d: not one location in index order", ni)
						}
					}
					return
				}
				mid := ix.nodes[ni+1].hi
				for i := lo; i < hi; i++ {
					v := ix.pts[i][nd.axis]
					if i < mid && v > nd.val || i >= mid && v < nd.val {
						t.Fatalf("node %d: point %d at %v is on the wrong side of %v on axis %d", ni, i, v, nd.val, nd.axis)
					}
				}
				if allZ(pts) && nd.axis == 2 {
					t.Errorf("node %d splits planar points on z", ni)
				}
				walk(ni+1, lo, mid)
				walk(nd.right, mid, hi)
			}
			if len(pts) > 0 {
				walk(0, 0, int32(len(pts)))
			}
		})
	}
}

func allZ(pts []Vec3) bool {
	for _, p := range pts {
		if p[2] != 0 {
			return false
		}
	}
	return true
}

// TestBuilderHeapSort checks the fallback of selectNth, which ordinary
// inputs seldom reach: a heap sort of a range, in selectNth's order, that
// moves each point's index with it.
func TestBuilderHeapSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	pts := gridPlanar(rng, 300)
	for i := range pts {
		pts[i][2] = float64(rng.IntN(3)) // ties on x and y decided by z
	}
	b := builder{pts: slices.Clone(pts), idx: make([]int32, len(pts))}
	for i := range b.idx {
		b.idx[i] = int32(i)
	}
	const lo, hi = 10, 290
	less := func(p, q *Vec3) bool { // from axis 1: y, z, x
		return p[1] < q[1] || p[1] == q[1] && (p[2] < q[2] || p[2] == q[2] && p[0] < q[0])
	}
	b.heapSort(lo, hi, less)
	for i := range b.pts {
		if b.pts[i] != pts[b.idx[i]] {
			t.Fatalf("point %d: %v, but its index %d holds %v", i, b.pts[i], b.idx[i], pts[b.idx[i]])
		}
		if (i < lo || i >= hi) && b.idx[i] != int32(i) {
			t.Fatalf("point %d, outside the range, moved", i)
		}
		if i > lo && i < hi && less(&b.pts[i], &b.pts[i-1]) {
			t.Fatalf("points %d and %d out of order: %v, %v", i-1, i, b.pts[i-1], b.pts[i])
		}
	}
}

// TestIndexNearestConcurrent: goroutines sharing one Index get the answers
// sequential queries get (run it with -race).
func TestIndexNearestConcurrent(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	pts := randomRegion(rng, 20_000)
	ix := NewIndex(pts)
	queries := randomRegion(rng, 400)
	ns := []int{1, 16, 64, 100} // both stack scratch sizes, and the heap scratch
	want := make([][]int, len(queries))
	for i, q := range queries {
		want[i] = ix.Nearest(q, ns[i%len(ns)], nil)
	}
	const workers = 4
	got := make([][][]int, workers)
	var wg sync.WaitGroup
	for w := range workers {
		got[w] = make([][]int, len(queries))
		wg.Go(func() {
			// Each worker starts at a different query, so that the
			// workers ask different questions at the same time.
			var buf []int
			for j := range queries {
				i := (j + w*len(queries)/workers) % len(queries)
				buf = ix.Nearest(queries[i], ns[i%len(ns)], buf[:0])
				got[w][i] = slices.Clone(buf)
			}
		})
	}
	wg.Wait()
	for w := range workers {
		for i := range queries {
			if !slices.Equal(got[w][i], want[i]) {
				t.Fatalf("worker %d, query %d: %v, sequentially %v", w, i, got[w][i], want[i])
			}
		}
	}
}

// TestIndexNearestAllocs: with room in dst, Nearest allocates nothing for
// n up to 64.
func TestIndexNearestAllocs(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	pts := randomRegion(rng, 5000)
	ix := NewIndex(pts)
	buf := make([]int, 0, 64)
	for _, n := range []int{1, 16, 17, 64} {
		allocs := testing.AllocsPerRun(100, func() {
			buf = ix.Nearest(pts[rng.IntN(len(pts))], n, buf[:0])
		})
		if allocs != 0 {
			t.Errorf("n=%d: %v allocations per call, want 0", n, allocs)
		}
	}
}

// TestNewIndexCopies: changing the points after NewIndex does not change
// the answers.
func TestNewIndexCopies(t *testing.T) {
	pts := []Vec3{{0, 0, 0}, {10, 0, 0}, {0, 10, 0}}
	ix := NewIndex(pts)
	pts[0] = Vec3{100, 100, 0}
	if got := ix.Nearest(Vec3{1, 1, 0}, 1, nil); !slices.Equal(got, []int{0}) {
		t.Errorf("Nearest = %v, want [0]", got)
	}
}
