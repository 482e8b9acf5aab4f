package basemap

import (
	"bytes"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"
)

// onLand says whether p lies inside the land's rings, even-odd.
func onLand(o *Outlines, p orb.Point) bool {
	in := false
	for _, r := range o.Land {
		for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
			a, b := r[i], r[j]
			if (a[1] > p[1]) != (b[1] > p[1]) && p[0] < (b[0]-a[0])*(p[1]-a[1])/(b[1]-a[1])+a[0] {
				in = !in
			}
		}
	}
	return in
}

// nearest is the distance, in degrees, from p to the nearest segment of
// lines.
func nearest(lines []orb.LineString, p orb.Point) float64 {
	best := math.Inf(1)
	for _, ls := range lines {
		for i := 1; i < len(ls); i++ {
			a, b := ls[i-1], ls[i]
			dx, dy := b[0]-a[0], b[1]-a[1]
			t := 0.0
			if l := dx*dx + dy*dy; l > 0 {
				t = math.Max(0, math.Min(1, ((p[0]-a[0])*dx+(p[1]-a[1])*dy)/l))
			}
			best = math.Min(best, math.Hypot(a[0]+t*dx-p[0], a[1]+t*dy-p[1]))
		}
	}
	return best
}

func TestEmbedded(t *testing.T) {
	o, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	// The counts scripts/basemap printed when it wrote outlines.bin.
	counts := []struct {
		layer     string
		got, want int
	}{{"land", len(o.Land), 1426}, {"borders", len(o.Borders), 362}, {"states", len(o.States), 123}, {"lakes", len(o.Lakes), 34}}
	for _, c := range counts {
		if c.got != c.want {
			t.Errorf("%s: %d parts, want %d", c.layer, c.got, c.want)
		}
	}
	places := []struct {
		name string
		p    orb.Point
		land bool
	}{
		{"Atlanta", orb.Point{-84.39, 33.75}, true},
		{"Denver", orb.Point{-104.99, 39.74}, true},
		{"Paris", orb.Point{2.35, 48.86}, true},
		{"Sydney", orb.Point{151.0, -33.8}, true},
		{"Gulf of Mexico", orb.Point{-90, 25}, false},
		{"Atlantic", orb.Point{-40, 30}, false},
		{"Pacific", orb.Point{-150, 0}, false},
	}
	for _, pl := range places {
		if got := onLand(o, pl.p); got != pl.land {
			t.Errorf("%s %v: on land %v, want %v", pl.name, pl.p, got, pl.land)
		}
	}
	// Borders where the Census Bureau and Natural Earth draw them, to within
	// the simplification: Georgia's northern border at about 34.99°N,
	// Colorado's western at 109.05°W, the US-Canada border along 49°N, the
	// French-Spanish in the Pyrenees; Chicago's shore of Lake Michigan.
	lines := []struct {
		name  string
		layer []orb.LineString
		p     orb.Point
	}{
		{"Georgia-Tennessee", o.States, orb.Point{-85.0, 34.99}},
		{"Colorado-Utah", o.States, orb.Point{-109.05, 39.0}},
		{"US-Canada", o.Borders, orb.Point{-105, 49.0}},
		{"France-Spain", o.Borders, orb.Point{0.0, 42.7}},
		{"Lake Michigan at Chicago", o.Lakes, orb.Point{-87.62, 41.9}},
	}
	for _, l := range lines {
		if d := nearest(l.layer, l.p); d > 2*Tolerance {
			t.Errorf("%s: nearest line %.3f° from %v, want the line through it", l.name, d, l.p)
		}
	}
	// Every ring is closed and stays on its side of the antimeridian (the
	// sources' merged land crosses it at Chukotka, Wrangel Island, Fiji and
	// Antarctica; scripts/basemap cuts those rings there).
	for i, r := range o.Land {
		if len(r) < 4 || r[0] != r[len(r)-1] {
			t.Fatalf("land ring %d is not closed", i)
		}
		for j := 1; j < len(r); j++ {
			if math.Abs(r[j][0]-r[j-1][0]) > 180 {
				t.Fatalf("land ring %d jumps across the antimeridian from %v to %v", i, r[j-1], r[j])
			}
		}
	}
}

func TestRoundTrip(t *testing.T) {
	in := &Outlines{
		Land: []orb.Ring{
			{{-84.0004, 33}, {-83, 33}, {-83, 34.0006}, {-84.0004, 33}},
			{{179, -17}, {180, -17}, {180, -16}, {179, -17}},
		},
		Borders: []orb.LineString{{{-180, -90}, {180, 90}}},
		States:  []orb.LineString{{{1, 2}, {1.0001, 2.0001}, {3, 4}}}, // the second point rounds onto the first
		Lakes:   []orb.LineString{},
	}
	var b bytes.Buffer
	if err := Encode(&b, in); err != nil {
		t.Fatal(err)
	}
	got, err := Decode(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	want := &Outlines{
		Land: []orb.Ring{
			{{-84, 33}, {-83, 33}, {-83, 34.001}, {-84, 33}},
			{{179, -17}, {180, -17}, {180, -16}, {179, -17}},
		},
		// The ring along the antimeridian is coast only from 180°E, -16 on.
		Coast: []orb.LineString{
			{{-84, 33}, {-83, 33}, {-83, 34.001}, {-84, 33}},
			{{179, -17}, {180, -17}},
			{{180, -16}, {179, -17}},
		},
		Borders: []orb.LineString{{{-180, -90}, {180, 90}}},
		States:  []orb.LineString{{{1, 2}, {3, 4}}},
		Lakes:   []orb.LineString{},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("decoded outlines differ (-want +got):\n%s", diff)
	}
	var again bytes.Buffer
	if err := Encode(&again, in); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), again.Bytes()) {
		t.Errorf("two encodings of the same outlines differ")
	}
}

func TestDecodeErrors(t *testing.T) {
	encode := func(o *Outlines) []byte {
		var b bytes.Buffer
		if err := Encode(&b, o); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	good := encode(&Outlines{Land: []orb.Ring{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}, States: []orb.LineString{{{1, 2}, {3, 4}}}})
	tests := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"not deflate", []byte("TBM1 plain")},
		{"truncated", good[:len(good)/2]},
		{"off the globe", encode(&Outlines{States: []orb.LineString{{{0, 0}, {200, 0}}}})},
		{"open land ring", encode(&Outlines{Land: []orb.Ring{{{0, 0}, {1, 0}, {1, 1}, {0, 1}}}})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if o, err := Decode(tt.data); err == nil {
				t.Errorf("decoded %d land rings from a bad file, want an error", len(o.Land))
			}
		})
	}
	// Every corruption of one byte is an error or decodes; none panics.
	for i := range good {
		bad := bytes.Clone(good)
		bad[i] ^= 0x5a
		_, _ = Decode(bad)
	}
	if _, err := Decode(good); err != nil {
		t.Errorf("the good file: %v", err)
	}
}

func TestDataEdge(t *testing.T) {
	tests := []struct {
		name string
		a, b orb.Point
		want bool
	}{
		{"along 180°E", orb.Point{180, -16}, orb.Point{180, -17}, true},
		{"along 180°W", orb.Point{-180, 65}, orb.Point{-180, 66}, true},
		{"along 180°E shifted to -180", orb.Point{-180, 10}, orb.Point{-180, 11}, true},
		{"along 540°, shifted twice", orb.Point{540, 10}, orb.Point{540, 11}, true},
		{"across 180°", orb.Point{179.5, 10}, orb.Point{180, 10}, false},
		{"a coast at 179.9°E", orb.Point{179.9, 10}, orb.Point{179.9, 11}, false},
		{"the bottom of Antarctica", orb.Point{-170, -89.999}, orb.Point{170, -89.999}, true},
		{"a coast", orb.Point{-84, 30}, orb.Point{-83, 30}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DataEdge(tt.a, tt.b); got != tt.want {
				t.Errorf("DataEdge(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

func TestClip(t *testing.T) {
	o := &Outlines{
		Land: []orb.Ring{
			{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}},                 // half in the box below
			{{20, 20}, {21, 20}, {21, 21}, {20, 20}},                     // outside
			{{2, 2}, {3, 2}, {3, 3}, {2, 2}},                             // inside, kept as it is
			{{-179.5, 1}, {-178.5, 1}, {-178.5, 2}, {-179.5, 1}},         // across the antimeridian from the box
			{{178.5, 1}, {179.5, 1}, {179.5, 2}, {178.5, 2}, {178.5, 1}}, // outside the second box
		},
		States: []orb.LineString{{{-5, 5}, {15, 5}}, {{-5, -5}, {-1, -1}}},
	}
	got := o.Clip(-1, -1, 5, 20)
	want := &Outlines{
		Land: []orb.Ring{
			{{0, 0}, {5, 0}, {5, 10}, {0, 10}, {0, 0}},
			{{2, 2}, {3, 2}, {3, 3}, {2, 2}},
		},
		States: []orb.LineString{{{-1, 5}, {5, 5}}},
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(ringsEqual)); diff != "" {
		t.Errorf("Clip(-1, -1, 5, 20) (-want +got):\n%s", diff)
	}
	// A box across the antimeridian: what lies beyond 180°E comes back
	// east of it.
	got = o.Clip(179, 0, 182, 3)
	if len(got.Land) != 2 {
		t.Fatalf("Clip(179, 0, 182, 3): %d land rings, want 2: %v", len(got.Land), got.Land)
	}
	for _, r := range got.Land {
		b := r.Bound()
		if b.Min[0] < 179-1e-9 || b.Max[0] > 182+1e-9 {
			t.Errorf("ring %v lies outside longitudes 179 to 182", r)
		}
	}
	if b := got.Land[1].Bound(); math.Abs(b.Min[0]-180.5) > 1e-9 || math.Abs(b.Max[0]-181.5) > 1e-9 {
		t.Errorf("the ring at 179.5°W..178.5°W came back at %v..%v, want 180.5..181.5", b.Min[0], b.Max[0])
	}
	// Clip does not modify its receiver.
	if o.Land[0][1] != (orb.Point{10, 0}) || len(o.Land[0]) != 5 {
		t.Errorf("Clip modified the outlines: %v", o.Land[0])
	}
}

// ringsEqual compares two rings up to their starting point: a clipped
// ring may start anywhere.
func ringsEqual(a, b orb.Ring) bool {
	if len(a) != len(b) {
		return false
	}
	n := len(a) - 1 // closed rings: the last point repeats the first
	for s := range n {
		ok := true
		for i := range n {
			if a[i] != b[(i+s)%n] {
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
