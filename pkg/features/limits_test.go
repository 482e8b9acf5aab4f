package features

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"
)

// TestReadContext reads collections of more than checkEvery points and
// polygons with a cancelled context, and checks that the readers stop with
// the context's error, and read them in full with a live one.
func TestReadContext(t *testing.T) {
	const n = checkEvery + 10
	var points, squares []string
	for i := range n {
		points = append(points, point(fmt.Sprintf("p%d", i), -80+float64(i%100)/100, 35+float64(i/100)/100, `"revenue": 1`))
		squares = append(squares, square(fmt.Sprintf("u%d", i), float64(i%170), ""))
	}
	tests := []struct {
		name, what, in string
		reps           bool
	}{
		{name: "points", what: "read accounts", in: collection(points...)},
		{name: "polygons", what: "read accounts", in: collection(squares...)},
		{name: "reps", what: "read reps", in: collection(points...), reps: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			read := func(ctx context.Context) (int, error) {
				if tt.reps {
					reps, err := ReadRepsContext(ctx, strings.NewReader(tt.in), "in.geojson", Options{})
					return len(reps), err
				}
				a, _, err := ReadAccountsContext(ctx, strings.NewReader(tt.in), "in.geojson", Options{})
				return a.Len(), err
			}
			if got, err := read(context.Background()); err != nil || got != n {
				t.Fatalf("with a live context: %d features, error %v; want %d", got, err, n)
			}
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			got, err := read(ctx)
			if !errors.Is(err, context.Canceled) || got != 0 {
				t.Fatalf("with a cancelled context: %d features, error %v; want none and context.Canceled", got, err)
			}
			if want := tt.what + ` "in.geojson": context canceled`; err.Error() != want {
				t.Errorf("error %q, want %q", err, want)
			}
		})
	}
}

// circle is a Polygon feature whose ring has n positions on a circle,
// the last one closing it.
func circle(id string, n int) string {
	b := fmt.Appendf(nil, `{"type": "Feature", "id": %q, "properties": {}, "geometry": {"type": "Polygon", "coordinates": [[`, id)
	for i := range n - 1 {
		a := 2 * math.Pi * float64(i) / float64(n-1)
		b = append(b, '[')
		b = strconv.AppendFloat(b, -100+5*math.Cos(a), 'f', 7, 64)
		b = append(b, ',')
		b = strconv.AppendFloat(b, 40+5*math.Sin(a), 'f', 7, 64)
		b = append(b, "],"...)
	}
	b = append(b, "[-95,40]]]}}"...)
	return string(b)
}

// TestReadHugePolygon reads a polygon of more positions than
// maxFeaturePositions (issue 7: a polygon with millions of vertices; the
// CLI refuses one of 5 million in about 3 seconds and 350 MB), and checks
// that it is refused with a message naming the feature, without reading
// its positions past the limit or decoding it the slow way when it is
// also malformed.
func TestReadHugePolygon(t *testing.T) {
	huge := circle("huge", maxFeaturePositions+1000)
	in := collection(square("a", 0, ""), huge, square("b", 3, ""))
	path := filepath.Join(t.TempDir(), "huge.geojson")
	if err := os.WriteFile(path, []byte(in), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, _, err = ReadAccounts(f, "huge.geojson", Options{})
	want := []string{`read accounts "huge.geojson": row 2: the Polygon has more than 1,000,000 positions, more than this reader accepts: ` +
		`simplify it (for example with mapshaper -simplify, or ogr2ogr -simplify)`}
	if diff := cmp.Diff(want, errorMessages(err)); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}

	bad := collection(strings.Replace(huge, "[-95,40]]", "[-95]]", 1))
	_, _, err = ReadAccounts(strings.NewReader(bad), "bad.geojson", Options{})
	want = []string{`read accounts "bad.geojson": row 1: the Polygon has more than 1,000,000 positions, more than this reader accepts: ` +
		`simplify it (for example with mapshaper -simplify, or ogr2ogr -simplify)`}
	if diff := cmp.Diff(want, errorMessages(err)); diff != "" {
		t.Errorf("malformed: problems (-want +got):\n%s", diff)
	}
}

// TestFeaturePositionsLimit checks that the coordinate parser takes a
// polygon of exactly maxFeaturePositions positions and stops at one more.
func TestFeaturePositionsLimit(t *testing.T) {
	for _, tt := range []struct {
		n    int
		over bool
	}{{maxFeaturePositions, false}, {maxFeaturePositions + 1, true}} {
		c := circle("x", tt.n)
		coords := c[strings.Index(c, "[[[") : len(c)-2]
		cp := coordParser{b: []byte(coords), limit: maxFeaturePositions}
		_, ok := cp.multiPolygon(false)
		if ok == tt.over || cp.over != tt.over {
			t.Errorf("%d positions: ok %v, over %v; want over %v", tt.n, ok, cp.over, tt.over)
		}
		if !tt.over && len(cp.pts) != tt.n {
			t.Errorf("%d positions: read %d", tt.n, len(cp.pts))
		}
	}
}

// TestPositionsLimit checks the limit on the positions of a whole file
// through decodeGeometry, lowered to 1,000 with pts already holding 990:
// the polygon that passes the limit is refused, and the ones after it are
// not read.
func TestPositionsLimit(t *testing.T) {
	defer func(n int) { maxPositions = n }(maxPositions)
	maxPositions = 1000
	pts := make([]orb.Point, maxPositions-10)
	p := newProblems("read accounts", "in.geojson", nil)
	var f1, f2 feature
	f1.row, f2.row = 7, 8
	geom := func(n int) []byte {
		c := circle("x", n)
		return []byte(c[strings.Index(c, `{"type": "Polygon"`) : len(c)-1])
	}
	decodeGeometry(geom(20), &f1, &pts, p)
	decodeGeometry(geom(20), &f2, &pts, p)
	want := []string{`read accounts "in.geojson": row 7: the polygons up to this Polygon have more than 1,000 positions in all, ` +
		`more than this reader accepts: simplify them (for example with mapshaper -simplify, or ogr2ogr -simplify)`}
	if diff := cmp.Diff(want, errorMessages(p.err())); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if f1.kind != kindBad || f2.kind != kindBad {
		t.Errorf("kinds %v, %v: want both bad", f1.kind, f2.kind)
	}
}

// errorMessages lists the messages of the errors that err joins.
func errorMessages(err error) []string {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []string
		for _, e := range j.Unwrap() {
			out = append(out, e.Error())
		}
		return out
	}
	return []string{err.Error()}
}
