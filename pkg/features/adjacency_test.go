package features

import (
	"math"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"
)

// box is the rectangle [x0, x1] x [y0, y1], counter-clockwise.
func box(x0, y0, x1, y1 float64) orb.Polygon {
	return orb.Polygon{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}
}

// round5 rounds v to 5 decimal places, as us-atlas and many web exports
// write positions.
func round5(v float64) float64 { return math.Round(v*1e5) / 1e5 }

func TestAdjacency(t *testing.T) {
	// A T-junction on a slanted line, written with 5 decimals: the vertex
	// p of the right-hand units lies on the left unit's edge (0,0)-(3,1)
	// only before rounding (1/3 is written 0.33333, 3.3e-6 degrees off).
	p := orb.Point{1, round5(1.0 / 3)}
	q := orb.Point{2, round5(2.0 / 3)}
	slanted := []orb.Geometry{
		orb.Polygon{{{0, 0}, {3, 1}, {3, -1}, {0, 0}}},
		orb.Polygon{{{0, 0}, p, q, {1.5, 2}, {0, 0}}},
	}

	// A long edge among many short ones: the cells are sized by the mean
	// edge, and the strip's top edge (0,1)-(100,1) crosses thousands of
	// them; the square at x = 90 sits on its far end. (The old grid put a
	// long edge in its first 64 cells only and missed this.)
	long := []orb.Geometry{box(0, 0, 100, 1), box(90, 1, 91, 2)}
	for i := range 2000 {
		x, y := 200+float64(i%40)*0.01, float64(i/40)*0.01
		long = append(long, box(x, y, x+0.005, y+0.005))
	}

	tests := []struct {
		name           string
		geoms          []orb.Geometry
		rook, corners  [][2]int32
		onlyFirstUnits int // compare the pairs among the first units only (0: all)
	}{
		{
			name:  "an edge both units have",
			geoms: []orb.Geometry{box(0, 0, 1, 1), box(1, 0, 2, 1)},
			rook:  [][2]int32{{0, 1}},
		},
		{
			name:  "the same edge walked the same way (overlapping units)",
			geoms: []orb.Geometry{box(0, 0, 1, 1), reversed(box(1, 0, 2, 1))},
			rook:  [][2]int32{{0, 1}},
		},
		{
			// (1,0)-(1,2) and (1,1)-(1,3): neither has the other's
			// endpoints at both ends; they share (1,1)-(1,2).
			name:  "edges overlapping in part",
			geoms: []orb.Geometry{box(0, 0, 1, 2), box(1, 1, 2, 3)},
			rook:  [][2]int32{{0, 1}},
		},
		{
			name:  "one edge along two (a T-junction)",
			geoms: []orb.Geometry{box(0, 0, 1, 2), box(1, 0, 2, 1), box(1, 1, 2, 2)},
			rook:  [][2]int32{{0, 1}, {0, 2}, {1, 2}},
		},
		{
			name:  "a T-junction on a slanted line rounded to 5 decimals",
			geoms: slanted,
			rook:  [][2]int32{{0, 1}},
		},
		{
			name:           "a long edge among short ones",
			geoms:          long,
			rook:           [][2]int32{{0, 1}},
			onlyFirstUnits: 2,
		},
		{
			// 1e-5 degrees apart along a whole side: within the
			// tolerance (1.5e-5) of positions rounded to 5 decimals.
			name:  "a gap of 1e-5 degrees (rounding)",
			geoms: []orb.Geometry{box(0, 0, 1, 1), box(1.00001, 0, 2, 1)},
			rook:  [][2]int32{{0, 1}},
		},
		{
			// 1e-4 degrees, about 11 m: a gap, not a shared boundary.
			name:  "a gap of 1e-4 degrees",
			geoms: []orb.Geometry{box(0, 0, 1, 1), box(1.0001, 0, 2, 1)},
		},
		{
			name:  "a wide gap",
			geoms: []orb.Geometry{box(0, 0, 1, 1), box(1.1, 0, 2, 1)},
		},
		{
			// They share (1, 0.99998)-(1, 1), 2e-5 degrees: shorter than
			// minShared (3e-5), below what 5 decimals resolve.
			name:  "a shared stretch shorter than twice the tolerance",
			geoms: []orb.Geometry{box(0, 0, 1, 1), box(1, 0.99998, 2, 2)},
		},
		{
			name:    "a corner",
			geoms:   []orb.Geometry{box(0, 0, 1, 1), box(1, 1, 2, 2)},
			corners: [][2]int32{{0, 1}},
		},
		{
			name:    "a corner 1e-5 degrees off",
			geoms:   []orb.Geometry{box(0, 0, 1, 1), box(1.00001, 1.00001, 2, 2)},
			corners: nil, // no shared vertex, and no shared stretch either
		},
		{
			name: "four units at a point",
			geoms: []orb.Geometry{
				box(0, 0, 1, 1), box(1, 0, 2, 1), box(1, 1, 2, 2), box(0, 1, 1, 2),
			},
			rook:    [][2]int32{{0, 1}, {0, 3}, {1, 2}, {2, 3}},
			corners: [][2]int32{{0, 2}, {1, 3}},
		},
		{
			// Triangles side by side on the x axis, meeting at (1,0):
			// their bottom edges are collinear but only touch.
			name: "collinear edges end to end",
			geoms: []orb.Geometry{
				orb.Polygon{{{0, 0}, {1, 0}, {0.5, 1}, {0, 0}}},
				orb.Polygon{{{1, 0}, {2, 0}, {1.5, 1}, {1, 0}}},
			},
			corners: [][2]int32{{0, 1}},
		},
		{
			// A vertex of the triangle touches the square's side: a point
			// contact, neither a shared boundary nor a shared vertex.
			name: "a vertex on an edge",
			geoms: []orb.Geometry{
				box(0, 0, 1, 1),
				orb.Polygon{{{1, 0.5}, {2, 0}, {2, 1}, {1, 0.5}}},
			},
		},
		{
			name: "a MultiPolygon with a part on each side",
			geoms: []orb.Geometry{
				orb.MultiPolygon{box(0, 0, 1, 1), box(2, 0, 3, 1)},
				box(1, 0, 2, 0.5),
				box(3, 0.5, 4, 1),
			},
			rook: [][2]int32{{0, 1}, {0, 2}},
		},
		{
			name: "degenerate rings",
			geoms: []orb.Geometry{
				box(0, 0, 1, 1),
				orb.Polygon{{}},
				orb.Polygon{{{1, 0}}},
				orb.Polygon{{{1, 0}, {1, 0}, {1, 0}, {1, 0}}},
				orb.Polygon{{{1, 0}, {1, 1}, {1, 0}}}, // collapsed onto the square's side
				orb.MultiPolygon{nil, {nil}},
				nil,
				orb.Point{1, 1},
			},
			// Rings without an edge of positive length have no vertices
			// either.
			rook: [][2]int32{{0, 4}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rook, corners := adjacency(tt.geoms)
			checkGraphs(t, len(tt.geoms), rook, corners)
			keep := func(pairs [][2]int32) [][2]int32 {
				if tt.onlyFirstUnits == 0 {
					return pairs
				}
				return slices.DeleteFunc(pairs, func(pr [2]int32) bool { return int(pr[1]) >= tt.onlyFirstUnits })
			}
			if diff := cmp.Diff(tt.rook, keep(pairsOf(rook))); diff != "" {
				t.Errorf("rook pairs (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.corners, keep(pairsOf(corners))); diff != "" {
				t.Errorf("corner pairs (-want +got):\n%s", diff)
			}
		})
	}
}

// checkGraphs checks that rook and corners are neighbour lists of n units:
// sorted, without duplicates or self-loops, symmetric, and disjoint.
func checkGraphs(t *testing.T, n int, rook, corners [][]int32) {
	t.Helper()
	if len(rook) != n || len(corners) != n {
		t.Fatalf("%d rook and %d corner lists for %d units", len(rook), len(corners), n)
	}
	for name, g := range map[string][][]int32{"rook": rook, "corners": corners} {
		for i, ns := range g {
			if !slices.IsSorted(ns) || len(slices.Compact(slices.Clone(ns))) != len(ns) {
				t.Fatalf("%s neighbours of %d not sorted and distinct: %v", name, i, ns)
			}
			for _, j := range ns {
				if int(j) == i || j < 0 || int(j) >= n {
					t.Fatalf("%s: unit %d has neighbour %d", name, i, j)
				}
				if _, ok := slices.BinarySearch(g[j], int32(i)); !ok {
					t.Fatalf("%s not symmetric: %d-%d", name, i, j)
				}
			}
		}
	}
	for i, ns := range corners {
		for _, j := range ns {
			if _, ok := slices.BinarySearch(rook[i], j); ok {
				t.Fatalf("%d-%d both rook and corner", i, j)
			}
		}
	}
}

// FuzzAdjacency builds units from bytes and checks that adjacency does
// not panic and returns consistent graphs that do not depend on the order
// of the units. Byte 0xff starts a new unit, 0xfe a new ring; any other
// byte pair is a position on a coarse grid (eighths of a degree), shifted
// by 0 to 3e-5 degrees by the top bits of each byte so that positions
// fall within, at and beyond the tolerance of each other. Rings need not
// be closed, long or simple.
func FuzzAdjacency(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0, 0, 8, 0, 8, 8, 0, 8, 0, 0, 0xff, 8, 0, 16, 0, 16, 8, 8, 8, 8, 0})
	f.Add([]byte{0, 0, 8, 0, 8, 8, 0, 0, 0xfe, 1, 1, 0xff, 0x48, 0, 16, 0, 16, 8, 0x48, 8, 0x48, 0})
	f.Add([]byte{0, 0, 0xff, 0, 0, 0, 0, 0xff, 0xfe, 0xfe, 0xff, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		coord := func(b byte) float64 { return float64(b&0x3f)/8 + float64(b>>6)*1e-5 }
		var geoms []orb.Geometry
		poly := orb.Polygon{nil}
		for i := 0; i < len(data); i++ {
			switch b := data[i]; {
			case b == 0xff:
				geoms = append(geoms, poly)
				poly = orb.Polygon{nil}
			case b == 0xfe:
				poly = append(poly, nil)
			case i+1 < len(data) && data[i+1] < 0xfe:
				poly[len(poly)-1] = append(poly[len(poly)-1], orb.Point{coord(b), coord(data[i+1])})
				i++
			}
		}
		geoms = append(geoms, poly)
		n := len(geoms)
		rook, corners := adjacency(geoms)
		checkGraphs(t, n, rook, corners)

		// The same units in reverse order have the same graphs.
		rev := slices.Clone(geoms)
		slices.Reverse(rev)
		rrook, rcorners := adjacency(rev)
		back := func(g [][]int32) [][]int32 {
			out := make([][]int32, n)
			for i, ns := range g {
				for _, j := range ns {
					out[n-1-i] = append(out[n-1-i], int32(n-1)-j)
				}
			}
			for i := range out {
				slices.Sort(out[i])
				out[i] = slices.Clip(out[i])
			}
			return out
		}
		if diff := cmp.Diff(rook, back(rrook), cmp.Comparer(func(a, b []int32) bool { return slices.Equal(a, b) })); diff != "" {
			t.Fatalf("rook depends on the order of the units (-forward +reversed):\n%s", diff)
		}
		if diff := cmp.Diff(corners, back(rcorners), cmp.Comparer(func(a, b []int32) bool { return slices.Equal(a, b) })); diff != "" {
			t.Fatalf("corners depend on the order of the units (-forward +reversed):\n%s", diff)
		}
	})
}
