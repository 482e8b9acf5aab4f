package basemap

import (
	"bytes"
	"compress/flate"
	_ "embed" // the outlines file
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"sync"

	"github.com/paulmach/orb"
)

// Scale is the number of units per degree in which an outlines file holds
// coordinates: a thousandth of a degree, about 110 m of latitude.
const Scale = 1000

// Tolerance is the Douglas-Peucker tolerance, in degrees of latitude, at
// which scripts/basemap simplified the embedded outlines: about 1.1 km.
const Tolerance = 0.01

// Outlines are the lines of a basemap, in longitude (x) and latitude (y),
// degrees.
type Outlines struct {
	// Land holds the rings of the land's polygons, islands and holes alike:
	// fill them together with the even-odd rule.
	Land []orb.Ring
	// Coast holds the land's rings as lines, cut where a ring runs along
	// the antimeridian or the edge of the map at the South Pole (edges of
	// the data, not coasts). It is derived from Land, not stored.
	Coast []orb.LineString
	// Borders are the borders between countries, each once.
	Borders []orb.LineString
	// States are the borders between the states of the United States (and
	// the District of Columbia), each once.
	States []orb.LineString
	// Lakes are the US shores of the Great Lakes, which Land does not
	// leave out: draw them as coast.
	Lakes []orb.LineString
}

//go:embed outlines.bin
var embedded []byte

var decodeEmbedded = sync.OnceValues(func() (*Outlines, error) { return Decode(embedded) })

// Embedded returns the outlines embedded in the binary, decoded on the
// first call. Callers must not modify them.
func Embedded() (*Outlines, error) {
	return decodeEmbedded()
}

const magic = "TBM1"

// layerNames are the layers of an outlines file, in file order.
var layerNames = []string{"land", "borders", "states", "lakes"}

func (o *Outlines) layers() []*[]orb.LineString {
	land := make([]orb.LineString, len(o.Land))
	for i, r := range o.Land {
		land[i] = orb.LineString(r)
	}
	return []*[]orb.LineString{&land, &o.Borders, &o.States, &o.Lakes}
}

// Encode writes o in the format of the package documentation, its
// coordinates rounded to 1/[Scale] degree; points that round to the point
// before them are left out. The output depends only on o.
func Encode(w io.Writer, o *Outlines) error {
	var raw []byte
	raw = append(raw, magic...)
	raw = binary.AppendUvarint(raw, Scale)
	var px, py int64
	for li, layer := range o.layers() {
		raw = binary.AppendUvarint(raw, uint64(len(layerNames[li])))
		raw = append(raw, layerNames[li]...)
		raw = binary.AppendUvarint(raw, uint64(len(*layer)))
		for _, part := range *layer {
			q := quantize(part)
			raw = binary.AppendUvarint(raw, uint64(len(q)))
			for _, p := range q {
				raw = binary.AppendVarint(raw, p[0]-px)
				raw = binary.AppendVarint(raw, p[1]-py)
				px, py = p[0], p[1]
			}
		}
	}
	zw, err := flate.NewWriter(w, flate.BestCompression)
	if err != nil {
		return err
	}
	if _, err := zw.Write(raw); err != nil {
		return err
	}
	return zw.Close()
}

// quantize rounds a part's points to units, leaving out repeats.
func quantize(ls orb.LineString) [][2]int64 {
	out := make([][2]int64, 0, len(ls))
	for _, p := range ls {
		q := [2]int64{int64(math.Round(p[0] * Scale)), int64(math.Round(p[1] * Scale))}
		if len(out) > 0 && out[len(out)-1] == q {
			continue
		}
		out = append(out, q)
	}
	return out
}

// Decode reads outlines written by [Encode]. It checks the structure and
// that every point is a valid longitude and latitude.
func Decode(data []byte) (*Outlines, error) {
	raw, err := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(data)), 64<<20))
	if err != nil {
		return nil, fmt.Errorf("basemap: %w", err)
	}
	d := decoder{b: raw}
	if len(raw) < len(magic) || string(raw[:len(magic)]) != magic {
		return nil, errors.New("basemap: not an outlines file")
	}
	d.b = raw[len(magic):]
	if scale := d.uvarint(); d.err == nil && scale != Scale {
		return nil, fmt.Errorf("basemap: %d units per degree, want %d", scale, Scale)
	}
	o := &Outlines{}
	var px, py int64
	layers := make([][]orb.LineString, len(layerNames))
	for li, name := range layerNames {
		n := d.uvarint()
		if d.err == nil && (n > uint64(len(d.b)) || string(d.b[:n]) != name) {
			return nil, fmt.Errorf("basemap: layer %d is not %q", li+1, name)
		}
		d.b = d.b[min(n, uint64(len(d.b))):]
		parts := d.count()
		layers[li] = make([]orb.LineString, 0, parts)
		for range parts {
			points := d.count()
			part := make(orb.LineString, points)
			for j := range part {
				px += d.varint()
				py += d.varint()
				part[j] = orb.Point{float64(px) / Scale, float64(py) / Scale}
				if d.err == nil && (px < -180*Scale || px > 180*Scale || py < -90*Scale || py > 90*Scale) {
					return nil, fmt.Errorf("basemap: layer %q: point (%v, %v) is not a longitude and latitude", name, part[j][0], part[j][1])
				}
			}
			if d.err != nil {
				return nil, fmt.Errorf("basemap: layer %q: %w", name, d.err)
			}
			layers[li] = append(layers[li], part)
		}
	}
	if d.err != nil {
		return nil, fmt.Errorf("basemap: %w", d.err)
	}
	if len(d.b) != 0 {
		return nil, fmt.Errorf("basemap: %d bytes after the last layer", len(d.b))
	}
	for _, ls := range layers[0] {
		if len(ls) < 4 || ls[0] != ls[len(ls)-1] {
			return nil, errors.New("basemap: a land ring is not closed")
		}
		o.Land = append(o.Land, orb.Ring(ls))
	}
	o.Borders, o.States, o.Lakes = layers[1], layers[2], layers[3]
	o.Coast = coast(o.Land)
	return o, nil
}

// decoder reads varints from b; the first error sticks.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = errors.New("truncated or invalid number")
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err = errors.New("truncated or invalid number")
		return 0
	}
	d.b = d.b[n:]
	return v
}

// count reads a number of items that each take at least one byte, so
// that a corrupt count cannot make Decode allocate more than the data.
func (d *decoder) count() int {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		if d.err == nil {
			d.err = fmt.Errorf("count %d exceeds the data", n)
		}
		return 0
	}
	return int(n)
}

// coast cuts the land's rings into lines where they run along an edge of
// the data (see [DataEdge]).
func coast(land []orb.Ring) []orb.LineString {
	var out []orb.LineString
	for _, r := range land {
		start := 0
		for i := 1; i < len(r); i++ {
			if DataEdge(r[i-1], r[i]) {
				if i-start >= 2 {
					out = append(out, orb.LineString(r[start:i]))
				}
				start = i
			}
		}
		if len(r)-start >= 2 {
			out = append(out, orb.LineString(r[start:]))
		}
	}
	return out
}

// DataEdge says whether the segment from a to b of a land ring runs along
// an edge of the data rather than a coast: along the antimeridian (at
// 180° or -180°, or those shifted by 360° as [Outlines.Clip] shifts
// them), where the sources cut polygons that cross it, or along the bottom
// of the map at the South Pole, where Antarctica's ring closes.
func DataEdge(a, b orb.Point) bool {
	const eps = 0.5 / Scale
	if a[0] == b[0] && math.Abs(math.Remainder(a[0], 360)) >= 180-eps {
		return true
	}
	return a[1] <= -90+0.5 && b[1] <= -90+0.5
}
