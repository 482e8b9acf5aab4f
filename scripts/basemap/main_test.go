package main

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"
)

// twoSquares is a quantized topology of two unit squares side by side,
// A from x 0 to 1 and B from 1 to 2, sharing the arc along x = 1:
// arc 0 is A's outer edge (1,0) -> (0,0) -> (0,1) -> (1,1), arc 1 the
// shared edge (1,1) -> (1,0), arc 2 B's outer edge (1,1) -> (2,1) ->
// (2,0) -> (1,0); B goes along the shared edge the other way (~1, that
// is -2). Positions are deltas on a grid of 0.5 from (10, 20).
const twoSquares = `{
  "type": "Topology",
  "transform": {"scale": [0.5, 0.5], "translate": [10, 20]},
  "arcs": [
    [[2, 0], [-2, 0], [0, 2], [2, 0]],
    [[2, 2], [0, -2]],
    [[2, 2], [2, 0], [0, -2], [-2, 0]]
  ],
  "objects": {
    "squares": {"type": "GeometryCollection", "geometries": [
      {"type": "Polygon", "arcs": [[0, 1]]},
      {"type": "MultiPolygon", "arcs": [[[-2, 2]]]}
    ]}
  }
}`

func TestTopology(t *testing.T) {
	var tp topology
	if err := json.Unmarshal([]byte(twoSquares), &tp); err != nil {
		t.Fatal(err)
	}
	if err := tp.decodeArcs(); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(orb.LineString{{11, 21}, {11, 20}}, tp.arcs[1]); diff != "" {
		t.Errorf("arc 1 (-want +got):\n%s", diff)
	}
	g := tp.Objects["squares"].geometries()
	a := tp.ring(g[0].polygons()[0][0])
	b := tp.ring(g[1].polygons()[0][0])
	wantA := orb.Ring{{11, 20}, {10, 20}, {10, 21}, {11, 21}, {11, 20}}
	wantB := orb.Ring{{11, 20}, {11, 21}, {12, 21}, {12, 20}, {11, 20}}
	if diff := cmp.Diff(wantA, a); diff != "" {
		t.Errorf("square A (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantB, b); diff != "" {
		t.Errorf("square B, with the shared arc reversed (-want +got):\n%s", diff)
	}
	shared, err := tp.shared("squares")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]orb.LineString{{{11, 21}, {11, 20}}}, shared); diff != "" {
		t.Errorf("shared arcs (-want +got):\n%s", diff)
	}
}

func TestCutAntimeridian(t *testing.T) {
	tests := []struct {
		name string
		in   orb.Ring
		want []orb.Ring
	}{
		{"away from it", orb.Ring{{10, 0}, {11, 0}, {11, 1}, {10, 0}}, []orb.Ring{{{10, 0}, {11, 0}, {11, 1}, {10, 0}}}},
		// An island from 179°E to 179°W: a square on either side, closed
		// along the antimeridian.
		{"an island across it", orb.Ring{{179, -17}, {-179, -17}, {-179, -16}, {179, -16}, {179, -17}}, []orb.Ring{
			{{179, -17}, {180, -17}, {180, -16}, {179, -16}, {179, -17}},
			{{-180, -17}, {-179, -17}, {-179, -16}, {-180, -16}, {-180, -17}},
		}},
		// A ring round the South Pole from 100°W, crossing the antimeridian
		// once: closed through the pole (a point every 10°), a part on
		// either side.
		{"round the pole", orb.Ring{{-100, -70}, {0, -70}, {179, -70}, {-179, -71}, {-100, -70}}, []orb.Ring{
			append(append(orb.Ring{{-100, -70}, {0, -70}, {179, -70}, {180, -70.5}}, poleLine(180, -100)...), orb.Point{-100, -70}),
			append(append(orb.Ring{{-180, -70.5}, {-179, -71}, {-100, -70}}, poleLine(-100, -180)...), orb.Point{-180, -70.5}),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cutAntimeridian(tt.in)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			for _, r := range got {
				for i := 1; i < len(r); i++ {
					if r[i][0] < -180 || r[i][0] > 180 || r[i][0]-r[i-1][0] > 180 || r[i-1][0]-r[i][0] > 180 {
						t.Errorf("ring %v leaves the world or jumps across it", r)
					}
				}
			}
		})
	}
}

// poleLine is the line along the South Pole from longitude a to b, a
// point every 10°.
func poleLine(a, b float64) orb.Ring {
	var r orb.Ring
	for lon := a; ; lon += 10 * sign(b-a) {
		if (b-a)*(b-lon) <= 0 {
			return append(r, orb.Point{b, -90})
		}
		r = append(r, orb.Point{lon, -90})
	}
}

func sign(v float64) float64 {
	if v < 0 {
		return -1
	}
	return 1
}

func TestSimplifyArc(t *testing.T) {
	// A bump of 0.005° off a line at the equator goes at a tolerance of
	// 0.01°; one of 0.02° stays. At 60°N, where a degree of longitude is
	// half as long, a wiggle of 0.015° along the parallel goes.
	tests := []struct {
		name string
		in   orb.LineString
		want orb.LineString
	}{
		{"small bump", orb.LineString{{0, 0}, {1, 0.005}, {2, 0}}, orb.LineString{{0, 0}, {2, 0}}},
		{"large bump", orb.LineString{{0, 0}, {1, 0.02}, {2, 0}}, orb.LineString{{0, 0}, {1, 0.02}, {2, 0}}},
		{"east-west wiggle at 60°N", orb.LineString{{0, 60}, {0.015, 61}, {0, 62}}, orb.LineString{{0, 60}, {0, 62}}},
		{"north-south wiggle at 60°N", orb.LineString{{0, 60}, {1, 60.015}, {2, 60}}, orb.LineString{{0, 60}, {1, 60.015}, {2, 60}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, simplifyArc(tt.in, 0.01)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
