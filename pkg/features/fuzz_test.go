package features

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// FuzzReadAccounts checks that no input makes the reader panic, and that
// what it returns is consistent: accounts and units of one length, a
// symmetric adjacency, finite locations; or only input errors.
func FuzzReadAccounts(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.geojson"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		``,
		`[]`,
		`{"type": "FeatureCollection", "features": [`,
		collection(),
		collection(`{"type": "Feature", "id": 1, "properties": {"pop": "1e999", "owner": 5, "locked": "y"}, "geometry": {"type": "Point", "coordinates": [1, 2]}}`),
		collection(withGeometry("a", `{"type": "Polygon", "coordinates": [[[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]]}`)),
		collection(withGeometry("a", `{"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 0], [1, 1], [0, 0]]], [[[0, 0]]]]}`)),
		collection(withGeometry("a", `{"type": "Point", "coordinates": [1e999, -1e999]}`)),
		collection(square("a", 0, `"zip": "1"`), square("a", 1, `"zip": "2"`)),
		// Rings that enclose nothing, and holes that cross their outer
		// ring or lie outside it: warnings.
		collection(withGeometry("a", `{"type": "Polygon", "coordinates": [[[0, 0], [4, 0], [4, 4], [0, 0]], [[1, 1], [2, 1], [1, 1]], [[3, 1], [5, 1], [5, 2], [3, 1]]]}`)),
		collection(withGeometry("a", `{"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 1], [0, 0]]], [[[2, 0], [3, 0], [3, 1], [2, 0]], [[5, 5], [6, 5], [6, 6], [5, 5]]]]}`)),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		warn := func(w *territory.InputError) {
			if w.File != "fuzz.geojson" || w.Row < 1 || w.Msg == "" {
				t.Fatalf("warning %q names no feature", w.Error())
			}
		}
		a, u, err := ReadAccounts(bytes.NewReader(data), "fuzz.geojson", Options{Warn: warn})
		if err != nil {
			if a.Len() != 0 || u != nil {
				t.Fatalf("accounts or units returned with error %v", err)
			}
			var joined interface{ Unwrap() []error }
			if !errors.As(err, &joined) {
				t.Fatalf("error %T is not joined input errors", err)
			}
			for _, e := range joined.Unwrap() {
				if _, ok := e.(*territory.InputError); !ok {
					t.Fatalf("error %T (%v) is not a *territory.InputError", e, e)
				}
			}
			return
		}
		n := a.Len()
		if n == 0 || len(a.Locs) != n || len(a.Rows) != n {
			t.Fatalf("%d ids, %d locations, %d rows", n, len(a.Locs), len(a.Rows))
		}
		for _, p := range a.Locs {
			if math.IsNaN(p.X) || math.IsNaN(p.Y) || math.Abs(p.X) > 180 || math.Abs(p.Y) > 90 {
				t.Fatalf("location %v out of range", p)
			}
		}
		for _, m := range a.Measures {
			if len(m.Values) != n {
				t.Fatalf("measure %s has %d values for %d accounts", m.Name, len(m.Values), n)
			}
		}
		if u == nil {
			return
		}
		if u.Len() != n || len(u.Areas) != n || len(u.Adjacency) != n || len(u.Corners) != n {
			t.Fatalf("units of lengths %d, %d, %d, %d for %d accounts", u.Len(), len(u.Areas), len(u.Adjacency), len(u.Corners), n)
		}
		for i, area := range u.Areas {
			if !(area >= 0) || math.IsInf(area, 0) {
				t.Fatalf("unit %d has area %v", i, area)
			}
		}
		for i, ns := range u.Adjacency {
			for _, j := range ns {
				if int(j) == i {
					t.Fatalf("unit %d is its own neighbour", i)
				}
				if _, ok := slices.BinarySearch(u.Adjacency[j], int32(i)); !ok {
					t.Fatalf("adjacency not symmetric: %d-%d", i, j)
				}
			}
		}
	})
}

// FuzzReadUnits checks that no layer makes the reader or the placement
// panic, that a layer read is consistent (ids, rows, points and polygons
// of one length) and that accounts at the units' points and beyond the
// layer are placed in some unit of it.
func FuzzReadUnits(f *testing.F) {
	for _, s := range []string{
		collection(square("10", 0, ""), square("20", 1, ""), square("30", 2, "")),
		collection(point("a", 1, 2, "")),
		collection(square("a", 0, `"zip": "1"`), square("a", 1, `"zip": "2"`)),
		collection(withGeometry("a", `{"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 1], [0, 0]]], [[[2, 0], [3, 0], [3, 1], [2, 0]], [[5, 5], [6, 5], [6, 6], [5, 5]]]]}`)),
		collection(withGeometry("a", `{"type": "Polygon", "coordinates": [[[0, 0], [0, 0], [0, 0], [0, 0]]]}`)),
		collection(withGeometry("a", `{"type": "Polygon", "coordinates": [[[-180, -90], [180, -90], [180, 90], [-180, 90], [-180, -90]]]}`)),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := ReadUnits(context.Background(), bytes.NewReader(data), "fuzz.geojson", LayerOptions{})
		if err != nil {
			if l != nil {
				t.Fatalf("a layer returned with error %v", err)
			}
			return
		}
		n := l.Len()
		if n == 0 || len(l.Rows) != n || len(l.Locs) != n || l.Units.Len() != n || len(l.Adjacency) != n {
			t.Fatalf("%d ids, %d rows, %d points, %d polygons, %d adjacency lists", n, len(l.Rows), len(l.Locs), l.Units.Len(), len(l.Adjacency))
		}
		a := &territory.Accounts{Source: "a.csv", Locs: append(slices.Clone(l.Locs), territory.Point{X: 179.5, Y: 89.5}, territory.Point{X: -179.5, Y: -89.5})}
		a.IDs = make([]string, len(a.Locs))
		of, err := l.Place(a, territory.Geographic, "unit", nil)
		if err != nil {
			return // a layer whose polygons have no boundary at all
		}
		for i, j := range of {
			if j < 0 || j >= n {
				t.Fatalf("account %d at %v placed in unit %d of %d", i, a.Locs[i], j, n)
			}
		}
	})
}
