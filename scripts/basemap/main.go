// Command basemap converts the outlines that the maps draw under their
// territories from the npm packages us-atlas and world-atlas (TopoJSON,
// ISC licence) into pkg/render/basemap/outlines.bin, the compact file the
// binary embeds (see package basemap for the format). Run it by hand when
// the sources or the simplification change, from the repository root:
//
//	cd "$(mktemp -d)" && npm pack us-atlas@3.0.1 world-atlas@2.0.2 && cd -
//	go run ./scripts/basemap -us-atlas /tmp/.../us-atlas-3.0.1.tgz -world-atlas /tmp/.../world-atlas-2.0.2.tgz
//
// It checks each tarball against the SHA-512 that the npm registry
// publishes for it (its "integrity"), so that the same tarballs always
// give the same bytes, and prints what it wrote. CI does not run it: it
// would need npm, and the converted file is committed.
//
// What it does: it decodes the topologies (arcs delta-decoded and
// un-quantized by their transform), simplifies every arc once by
// Douglas-Peucker at basemap.Tolerance, with longitudes scaled by the
// cosine of the arc's mean latitude so that the tolerance is about the
// same distance everywhere (shared arcs stay shared: borders and the land
// they bound keep the same points), and keeps
//
//   - land: the rings of world-atlas's "land" object (the union of the
//     countries), cut at the antimeridian where they cross it (the merge
//     joins Chukotka, Wrangel Island, a Fijian island and Antarctica
//     across it), less rings that simplify to nothing;
//   - borders: the arcs of world-atlas's "countries" that two countries
//     share;
//   - states: the arcs of us-atlas's "states" that two states share;
//   - lakes: the parts within the Great Lakes' box (greatLakes) of the
//     arcs of us-atlas's "nation": the US shores of the lakes, which
//     Natural Earth's land does not leave out (its countries reach across
//     the lakes to the border), so that Chicago is seen to lie on Lake
//     Michigan.
package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"

	"github.com/territory-optimizer/territory/pkg/render/basemap"
)

// The tarballs' SHA-512, as the npm registry gives them (npm view
// us-atlas@3.0.1 dist.integrity).
const (
	usAtlasIntegrity    = "sha512-wEIZCq0ImPvGblTd8gZMqNNCPkQshugMUG/8nkSWXb02+XqNFREg9atHOKP9w6prLZTpqcLhSvdBW81MkV3/0Q=="
	worldAtlasIntegrity = "sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ=="
)

func main() {
	usAtlas := flag.String("us-atlas", "", "the tarball `FILE` of us-atlas 3.0.1 (npm pack us-atlas@3.0.1)")
	worldAtlas := flag.String("world-atlas", "", "the tarball `FILE` of world-atlas 2.0.2 (npm pack world-atlas@2.0.2)")
	out := flag.String("o", "pkg/render/basemap/outlines.bin", "write the outlines to `FILE`")
	flag.Parse()
	if *usAtlas == "" || *worldAtlas == "" || flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: go run ./scripts/basemap -us-atlas FILE -world-atlas FILE [-o FILE]")
		os.Exit(2)
	}
	if err := run(*usAtlas, *worldAtlas, *out); err != nil {
		fmt.Fprintln(os.Stderr, "basemap:", err)
		os.Exit(1)
	}
}

func run(usAtlas, worldAtlas, out string) error {
	states, err := readTopology(usAtlas, usAtlasIntegrity, "package/states-10m.json")
	if err != nil {
		return err
	}
	world, err := readTopology(worldAtlas, worldAtlasIntegrity, "package/countries-50m.json")
	if err != nil {
		return err
	}
	states.simplify(basemap.Tolerance)
	world.simplify(basemap.Tolerance)

	o := &basemap.Outlines{}
	land, ok := world.Objects["land"]
	if !ok {
		return errors.New("world-atlas: no land object")
	}
	for _, g := range land.geometries() {
		for _, poly := range g.polygons() {
			for _, ring := range poly {
				for _, r := range cutAntimeridian(world.ring(ring)) {
					if len(r) >= 4 && !tiny(r) {
						o.Land = append(o.Land, r)
					}
				}
			}
		}
	}
	if o.Borders, err = world.shared("countries"); err != nil {
		return err
	}
	if o.States, err = states.shared("states"); err != nil {
		return err
	}
	nation, ok := states.Objects["nation"]
	if !ok {
		return errors.New("us-atlas: no nation object")
	}
	for _, g := range nation.geometries() {
		for _, poly := range g.polygons() {
			for _, ring := range poly {
				for _, i := range ring {
					o.Lakes = append(o.Lakes, inside(states.arc(i), greatLakes)...)
				}
			}
		}
	}

	var b bytes.Buffer
	if err := basemap.Encode(&b, o); err != nil {
		return err
	}
	// What the binary will read: decode it again.
	back, err := basemap.Decode(b.Bytes())
	if err != nil {
		return fmt.Errorf("the file written does not decode: %w", err)
	}
	if err := os.WriteFile(out, b.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Printf("wrote %s: %d bytes; land %d rings (%d points), borders %d lines (%d points), states %d lines (%d points), lakes %d lines (%d points)\n",
		out, b.Len(), len(back.Land), points(back.Land), len(back.Borders), points(back.Borders), len(back.States), points(back.States),
		len(back.Lakes), points(back.Lakes))
	return nil
}

func points[T ~[]orb.Point](parts []T) int {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	return n
}

// cutAntimeridian returns ring r as rings within longitudes -180 to 180.
// A ring that crosses the antimeridian (two points in a row more than 180°
// of longitude apart) is unwrapped, so that its longitudes run on past
// ±180, and clipped to the world and to the world shifted by ±360°, whose
// parts are shifted back: each side of the antimeridian gets a ring
// closed along it. A ring that goes round a pole (Antarctica's) is first
// closed through that pole. Other rings are returned as they are.
func cutAntimeridian(r orb.Ring) []orb.Ring {
	u := make(orb.Ring, len(r))
	u[0] = r[0]
	off, crosses := 0.0, false
	for i := 1; i < len(r); i++ {
		switch d := r[i][0] - r[i-1][0]; {
		case d > 180:
			off -= 360
			crosses = true
		case d < -180:
			off += 360
			crosses = true
		}
		u[i] = orb.Point{r[i][0] + off, r[i][1]}
	}
	if !crosses {
		return []orb.Ring{r}
	}
	if off != 0 { // round a pole: close the ring through it, a point every 10°
		pole := -90.0
		if u.Bound().Center()[1] > 0 {
			pole = 90
		}
		last := u[len(u)-1]
		for k := 0.0; k <= 36; k++ {
			u = append(u, orb.Point{last[0] + (u[0][0]-last[0])*k/36, pole})
		}
		u = append(u, u[0])
	}
	var out []orb.Ring
	for shift := -360.0; shift <= 360; shift += 360 {
		b := orb.Bound{Min: orb.Point{-180 + shift, -90}, Max: orb.Point{180 + shift, 90}}
		if !u.Bound().Intersects(b) {
			continue
		}
		c := clip.Ring(b, u.Clone())
		if cb := c.Bound(); len(c) < 4 || cb.Min[0] == cb.Max[0] || cb.Min[1] == cb.Max[1] {
			continue // nothing, or a sliver along the antimeridian
		}
		k := 0
		for i := range c {
			c[i][0] -= shift
			if k == 0 || c[i] != c[k-1] { // clipping repeats points on the edge
				c[k] = c[i]
				k++
			}
		}
		out = append(out, c[:k])
	}
	return out
}

// greatLakes holds the Great Lakes and none of the sea: the US coast
// within it is the lakes' shore.
var greatLakes = orb.Bound{Min: orb.Point{-92.3, 41.3}, Max: orb.Point{-75.9, 49.1}}

// inside returns the runs of ls's points that lie in b, each as a line of
// two points or more.
func inside(ls orb.LineString, b orb.Bound) []orb.LineString {
	var out []orb.LineString
	var run orb.LineString
	for _, p := range ls {
		if b.Contains(p) {
			run = append(run, p)
			continue
		}
		if len(run) >= 2 {
			out = append(out, run)
		}
		run = nil
	}
	if len(run) >= 2 {
		out = append(out, run)
	}
	return out
}

// tiny says whether ring r spans less than twice the tolerance: an islet
// that the map would draw as a speck.
func tiny(r orb.Ring) bool {
	b := r.Bound()
	return b.Max[1]-b.Min[1] < 2*basemap.Tolerance && (b.Max[0]-b.Min[0])*math.Cos(b.Center()[1]*math.Pi/180) < 2*basemap.Tolerance
}

// readTopology reads file name from the npm tarball at path, after
// checking the tarball's SHA-512 against integrity.
func readTopology(tarball, integrity, name string) (*topology, error) {
	data, err := os.ReadFile(tarball)
	if err != nil {
		return nil, err
	}
	sum := sha512.Sum512(data)
	if got := "sha512-" + base64.StdEncoding.EncodeToString(sum[:]); got != integrity {
		return nil, fmt.Errorf("%s: integrity %s, want %s (the wrong version?)", tarball, got, integrity)
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", tarball, err)
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil, fmt.Errorf("%s: no %s", tarball, name)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", tarball, err)
		}
		if path.Clean(h.Name) != name {
			continue
		}
		var t topology
		if err := json.NewDecoder(tr).Decode(&t); err != nil {
			return nil, fmt.Errorf("%s: %s: %w", tarball, name, err)
		}
		if err := t.decodeArcs(); err != nil {
			return nil, fmt.Errorf("%s: %s: %w", tarball, name, err)
		}
		return &t, nil
	}
}

// topology is a TopoJSON topology
// (https://github.com/topojson/topojson-specification): its arcs, once
// decoded, in longitude and latitude.
type topology struct {
	Transform *struct {
		Scale     [2]float64 `json:"scale"`
		Translate [2]float64 `json:"translate"`
	} `json:"transform"`
	Arcs    [][][2]float64       `json:"arcs"`
	Objects map[string]*geometry `json:"objects"`

	arcs []orb.LineString
}

// geometry is a TopoJSON geometry object. Arcs holds, for a Polygon, one
// list of arc indices per ring ([][]int), for a MultiPolygon one such list
// per polygon ([][][]int); an index i < 0 means arc ^i (that is, -i-1)
// reversed.
type geometry struct {
	Type       string          `json:"type"`
	Arcs       json.RawMessage `json:"arcs"`
	Geometries []*geometry     `json:"geometries"`
}

// decodeArcs turns the quantized, delta-encoded arcs into positions.
func (t *topology) decodeArcs() error {
	t.arcs = make([]orb.LineString, len(t.Arcs))
	for i, arc := range t.Arcs {
		ls := make(orb.LineString, len(arc))
		var x, y float64
		for j, p := range arc {
			if t.Transform == nil {
				ls[j] = orb.Point(p)
				continue
			}
			x, y = x+p[0], y+p[1]
			ls[j] = orb.Point{x*t.Transform.Scale[0] + t.Transform.Translate[0], y*t.Transform.Scale[1] + t.Transform.Translate[1]}
		}
		if len(ls) < 2 {
			return fmt.Errorf("arc %d has %d positions", i, len(ls))
		}
		t.arcs[i] = ls
	}
	return nil
}

// simplify simplifies every arc, keeping its ends.
func (t *topology) simplify(tol float64) {
	for i, arc := range t.arcs {
		t.arcs[i] = simplifyArc(arc, tol)
	}
}

// simplifyArc runs Douglas-Peucker on arc in a plane where a degree of
// longitude is cos(mean latitude) wide, so that tol is about the same
// distance everywhere.
func simplifyArc(arc orb.LineString, tol float64) orb.LineString {
	lat := 0.0
	for _, p := range arc {
		lat += p[1]
	}
	k := math.Cos(lat / float64(len(arc)) * math.Pi / 180)
	keep := make([]bool, len(arc))
	keep[0], keep[len(arc)-1] = true, true
	var dp func(i, j int)
	dp = func(i, j int) {
		a := orb.Point{arc[i][0] * k, arc[i][1]}
		b := orb.Point{arc[j][0] * k, arc[j][1]}
		best, bestD := -1, tol*tol
		for m := i + 1; m < j; m++ {
			if d := segDist2(a, b, orb.Point{arc[m][0] * k, arc[m][1]}); d > bestD {
				best, bestD = m, d
			}
		}
		if best >= 0 {
			keep[best] = true
			dp(i, best)
			dp(best, j)
		}
	}
	dp(0, len(arc)-1)
	out := make(orb.LineString, 0, len(arc))
	for i, p := range arc {
		if keep[i] {
			out = append(out, p)
		}
	}
	return out
}

// segDist2 is the squared distance from p to the segment from a to b.
func segDist2(a, b, p orb.Point) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	t := 0.0
	if l := dx*dx + dy*dy; l > 0 {
		t = math.Max(0, math.Min(1, ((p[0]-a[0])*dx+(p[1]-a[1])*dy)/l))
	}
	ex, ey := a[0]+t*dx-p[0], a[1]+t*dy-p[1]
	return ex*ex + ey*ey
}

// arc returns arc i, reversed for a negative index.
func (t *topology) arc(i int) orb.LineString {
	if i >= 0 {
		return t.arcs[i]
	}
	a := t.arcs[^i]
	r := make(orb.LineString, len(a))
	for j, p := range a {
		r[len(a)-1-j] = p
	}
	return r
}

// ring joins arcs into a ring: each arc starts where the one before it
// ends.
func (t *topology) ring(arcs []int) orb.Ring {
	var r orb.Ring
	for k, i := range arcs {
		a := t.arc(i)
		if k > 0 {
			a = a[1:]
		}
		r = append(r, a...)
	}
	return r
}

// geometries lists g's geometries: its members for a collection, else g.
func (g *geometry) geometries() []*geometry {
	if g.Type == "GeometryCollection" {
		return g.Geometries
	}
	return []*geometry{g}
}

// polygons returns the arc indices of g's polygons (ring by ring), or
// none for a geometry without area.
func (g *geometry) polygons() [][][]int {
	switch g.Type {
	case "Polygon":
		var p [][]int
		if json.Unmarshal(g.Arcs, &p) == nil {
			return [][][]int{p}
		}
	case "MultiPolygon":
		var mp [][][]int
		if json.Unmarshal(g.Arcs, &mp) == nil {
			return mp
		}
	}
	return nil
}

// shared returns the arcs that two different features of the collection
// object name share: the borders between them, each once, in arc order.
func (t *topology) shared(name string) ([]orb.LineString, error) {
	obj, ok := t.Objects[name]
	if !ok {
		return nil, fmt.Errorf("no %s object", name)
	}
	users := make([][]int, len(t.arcs)) // the features that use each arc
	for f, g := range obj.geometries() {
		for _, poly := range g.polygons() {
			for _, ring := range poly {
				for _, i := range ring {
					if i < 0 {
						i = ^i
					}
					if i >= len(t.arcs) {
						return nil, fmt.Errorf("%s: arc %d of %d", name, i, len(t.arcs))
					}
					if u := users[i]; len(u) == 0 || u[len(u)-1] != f {
						users[i] = append(users[i], f)
					}
				}
			}
		}
	}
	var out []orb.LineString
	for i, u := range users {
		if len(u) >= 2 {
			out = append(out, t.arcs[i])
		}
	}
	return out, nil
}
