package features

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"io/fs"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"github.com/territory-optimizer/territory/pkg/derive"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// Options says how to find the properties of the features. The zero value
// detects every property by name. It mirrors tabular.Options.
type Options struct {
	// Columns maps a key to the name of the property that holds it,
	// matched after normalising (see territory.NormalizeName). Keys are
	// id, name, owner, locked and group for accounts, and id, name,
	// capacity and group for reps; the geometry is the location, so lat,
	// lon, x and y are not keys here. A mapping overrides detection (id
	// then comes from the property, not from the feature "id" member). An
	// empty property name turns an optional key (name, owner, locked)
	// off. The group is never detected: only a mapping splits a problem
	// into groups (territory.Problem.GroupColumn).
	Columns map[string]string
	// Measures lists the measures that must be present and numeric (the
	// CLI passes the measures of the balance rules). Names are
	// normalised; the built-in count measure needs no property, and
	// neither does a derived measure.
	Measures []string
	// Derived lists derived measures to compute for every account from
	// its numeric properties (see package derive), appended to the
	// measures read, in this order, as the tabular readers do. Reps
	// ignore this field.
	Derived []*derive.Measure
	// UnitColumns lists the names a property of unit ids may have
	// (normalised), when the accounts are placed in a layer of units: the
	// first found is the unit property, unless Columns maps the key unit
	// (as tabular.Options.UnitColumns). nil: no unit is read.
	UnitColumns []string
	// Warn, when not nil, receives the warnings of a read: things that
	// are read but look wrong and are mended, such as a polygon ring that
	// encloses nothing (it is dropped) or a hole that crosses its outer
	// ring (it is ignored). A read whose error is not nil may have warned
	// too.
	Warn func(*territory.InputError)
}

// Units holds the polygons of polygon features and how they touch. Slices
// are in account order.
type Units struct {
	// Geoms holds each unit's geometry as read: an orb.Polygon or an
	// orb.MultiPolygon, in longitude and latitude degrees.
	Geoms []orb.Geometry
	// Areas holds each unit's area in square kilometres (see the package
	// documentation for how it is computed).
	Areas []float64
	// Adjacency lists, for each unit, the units that share a boundary
	// segment of positive length with it (rook adjacency), in increasing
	// order. It is symmetric: j is in Adjacency[i] when i is in
	// Adjacency[j]. This is the graph contiguity is checked on.
	Adjacency [][]int32
	// Corners lists, for each unit, the units that share a vertex with it
	// but no boundary segment (they touch at a corner, as the Four
	// Corners states do), in increasing order. Adjacency and Corners
	// together make the queen adjacency.
	Corners [][]int32
}

// Len is the number of units.
func (u *Units) Len() int { return len(u.Geoms) }

// Pairs returns every pair (i, j) of rook neighbours with i < j, ordered
// by i then j.
func (u *Units) Pairs() [][2]int32 { return pairsOf(u.Adjacency) }

// CornerPairs returns every pair (i, j) of units that touch only at a
// corner, with i < j, ordered by i then j.
func (u *Units) CornerPairs() [][2]int32 { return pairsOf(u.Corners) }

func pairsOf(adj [][]int32) [][2]int32 {
	var pairs [][2]int32
	for i, ns := range adj {
		for _, j := range ns {
			if int32(i) < j {
				pairs = append(pairs, [2]int32{int32(i), j})
			}
		}
	}
	return pairs
}

// role is what a property means to the reader.
type role int

const (
	roleID role = iota
	roleName
	roleOwner
	roleLocked
	roleGroup
	roleUnit
	numRoles
)

// roleKeys are the keys of Options.Columns, in the order messages list them.
var roleKeys = []string{"id", "name", "owner", "locked", "group", "unit"}

// aliases lists the normalised property names that stand for role r, the
// preferred one first. They extend the tabular reader's names with the
// codes GIS files identify their units by (census GEOIDs, FIPS codes, ZIP
// codes and ZCTAs, postcodes); a name identifies a feature only when
// nothing else does.
func (r role) aliases() []string {
	switch r {
	case roleID:
		return []string{"id", "account_id", "account", "geoid", "geoid20", "geoid10", "geo_id",
			"fips", "fips_code", "zip", "zip_code", "zipcode", "zcta", "zcta5", "zcta5ce20", "zcta5ce10",
			"postcode", "postal_code", "code", "rep_id", "name"}
	case roleName:
		return []string{"name", "account_name", "namelsad"}
	case roleOwner:
		return []string{"owner", "rep", "current_rep", "territory", "current_owner", "rep_id"}
	case roleLocked:
		return []string{"locked"}
	}
	return nil
}

func (r role) optional() bool { return r != roleID }

// locationNames are properties that hold a location: the geometry is the
// location, so they are neither used nor measures (as in the tabular
// readers, where a second latitude column is not a measure).
var locationNames = []string{
	"lat", "latitude", "home_lat", "home_latitude",
	"lon", "lng", "long", "longitude", "home_lon", "home_lng", "home_longitude",
	"x", "y", "intptlat", "intptlon", "intptlat10", "intptlon10", "intptlat20", "intptlon20",
}

// prop is one property of a feature: the index of its column and its
// value as decoded with json.Decoder.UseNumber (string, json.Number, bool,
// nil, []any or map[string]any).
type prop struct {
	col int
	val any
}

// feature is what the reader keeps of one feature between its passes.
type feature struct {
	row   int
	id    string // the feature "id" member as text
	hasID bool   // the member is present and not null
	badID bool   // the member is neither a string nor a number
	// undecoded is set when the feature is not a Feature object: it has
	// been reported and is not checked further.
	undecoded bool
	props     []prop
	point     orb.Point
	geom      orb.Geometry // nil for a point or a bad geometry
	// read is the geometry as read, when rings were dropped from geom:
	// neighbours are found from it. nil when it is geom.
	read orb.Geometry
	kind geomKind
}

// geomKind is what a feature's geometry makes of it.
type geomKind int

const (
	kindBad geomKind = iota
	kindPoint
	kindPolygon
)

// columns is the union of the property names of all features, in order
// of first appearance, each spelled as it first is: the "header" of a
// FeatureCollection, in which the roles and measures are found as a
// table's are (see territory.Columns).
type columns struct {
	*territory.Columns
	// byKey finds a column by its key as quoted in the JSON text, with
	// the key unquoted.
	byKey map[string]keyColumn
	// seenRow and seenKey hold, for each column, the last feature it was
	// found in and how that feature spelled it, to find duplicates.
	seenRow []int
	seenKey []string
}

type keyColumn struct {
	col int
	key string
}

func newColumns() *columns {
	return &columns{Columns: territory.NewColumns("property", "no properties", nil), byKey: make(map[string]keyColumn)}
}

// lookup returns the column of a key given as a JSON string literal, and
// the key.
func (c *columns) lookup(quoted []byte) (int, string) {
	if kc, ok := c.byKey[string(quoted)]; ok {
		return kc.col, kc.key
	}
	key := unquote(quoted)
	kc := keyColumn{c.add(key), key}
	c.byKey[string(quoted)] = kc
	return kc.col, kc.key
}

func (c *columns) add(key string) int {
	i := c.Add(key)
	if i == len(c.seenRow) {
		c.seenRow = append(c.seenRow, 0)
		c.seenKey = append(c.seenKey, "")
	}
	return i
}

// ReadAccounts reads accounts from a GeoJSON FeatureCollection (RFC 7946,
// longitude and latitude in degrees): one account per feature. A Point
// feature is an account at that point; a Polygon or MultiPolygon feature
// is a unit (a county, a ZIP code) located at the area-weighted centroid
// of its polygons. A collection holds either points or polygons. name is
// the file name used in messages and set as Accounts.Source; Accounts.Rows
// holds each account's 1-based feature index.
//
// For polygon features the returned Units holds the geometries, their
// areas, their rook adjacency and the units that touch only at a corner;
// for point features it is nil. The space
// is always territory.Geographic. The error, when not nil, joins every
// problem found (up to 50) as *territory.InputError values; the accounts
// are then empty and the units nil.
func ReadAccounts(r io.Reader, name string, opt Options) (territory.Accounts, *Units, error) {
	return ReadAccountsContext(context.Background(), r, name, opt)
}

// ReadAccountsContext is [ReadAccounts], stopped when ctx ends: it looks at
// ctx between its steps and every few thousand features, and returns its
// error, wrapped, when it ended the read.
func ReadAccountsContext(ctx context.Context, r io.Reader, name string, opt Options) (territory.Accounts, *Units, error) {
	a, u, _, err := readCollection(ctx, r, name, "read accounts", opt, false)
	return a, u, err
}

// readCollection reads a FeatureCollection of points or polygons, as
// accounts, or of polygons alone (layer), as the units of a layer; what
// heads its messages. idColumns are the properties that hold the ids as
// the file spells them: the id property ("" when the ids are the
// features' "id" members), then, for a layer, every other property named
// like an id (geoid, fips, zip, ...) whose value is the id in every
// feature.
func readCollection(ctx context.Context, r io.Reader, name, what string, opt Options, layer bool) (
	a territory.Accounts, u *Units, idColumns []string, err error) {
	p := newProblems(what, name, opt.Warn)
	fail := func() (territory.Accounts, *Units, []string, error) { return territory.Accounts{}, nil, nil, p.err() }
	stopped := func(err error) (territory.Accounts, *Units, []string, error) {
		return territory.Accounts{}, nil, nil, cancelled(p, err)
	}
	data, err := readAll(r)
	if err != nil {
		p.Add(0, "", "cannot read: "+err.Error())
		return fail()
	}
	if err := ctx.Err(); err != nil {
		return stopped(err)
	}
	raws := decodeCollection(data, p)
	if raws == nil {
		return fail()
	}
	var first struct {
		kind geomKind
		row  int
		typ  string
	}
	feats, cols, anyID, decoded, err := decodeFeatures(ctx, raws, p, func(f *feature, typ string) {
		switch {
		case layer && f.kind != kindPolygon:
			p.Addf(f.row, "", "%s geometry in a layer of units, which are Polygons or MultiPolygons (the accounts are placed in them; give points to --accounts)", typ)
			f.kind = kindBad
		case first.kind == kindBad:
			first.kind, first.row, first.typ = f.kind, f.row, typ
		case f.kind != first.kind:
			p.Addf(f.row, "", "%s geometry in a collection of %s (row %d is a %s; a file holds either accounts as points or units as polygons)",
				typ, kindPlural(first.kind), first.row, first.typ)
			f.kind = kindBad
		}
	})
	if err != nil {
		return stopped(err)
	}
	if decoded == 0 {
		return fail() // nothing to find properties in
	}
	l := detect(cols, anyID, opt, p)
	if l == nil {
		return fail()
	}
	if err := ctx.Err(); err != nil {
		return stopped(err)
	}
	a = l.accounts(feats, name, p)
	if p.Len() > 0 {
		return fail()
	}
	if err := ctx.Err(); err != nil {
		return stopped(err)
	}
	idColumns = []string{""}
	if !l.featureID {
		idColumns[0] = l.cols.Names[l.role[roleID]]
	}
	if layer {
		idColumns = append(idColumns, l.sameAsIDs(feats, a.IDs)...)
	}
	if first.kind != kindPolygon {
		return a, nil, idColumns, nil
	}
	u = &Units{Geoms: make([]orb.Geometry, len(feats)), Areas: make([]float64, len(feats))}
	// Neighbours are found from the rings as read: a ring dropped from a
	// unit's outline because it encloses nothing may still lie along a
	// neighbour's boundary.
	read := u.Geoms
	if slices.ContainsFunc(feats, func(f feature) bool { return f.read != nil }) {
		read = make([]orb.Geometry, len(feats))
		for i, f := range feats {
			read[i] = f.read
			if read[i] == nil {
				read[i] = f.geom
			}
		}
	}
	for i := range feats {
		if i%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return stopped(err)
			}
		}
		u.Geoms[i] = feats[i].geom
		c, area := centroidArea(feats[i].geom)
		a.Locs[i] = c
		u.Areas[i] = area
	}
	if err := ctx.Err(); err != nil {
		return stopped(err)
	}
	u.Adjacency, u.Corners = adjacency(read)
	if err := ctx.Err(); err != nil {
		return stopped(err)
	}
	return a, u, idColumns, nil
}

// sameAsIDs lists the properties other than the id's, named like an id
// (geoid, fips, zip, ...), whose value is the id in every feature, in
// column order.
func (l *layout) sameAsIDs(feats []feature, ids []string) []string {
	var out []string
	aliases := roleID.aliases()
	for c, n := range l.cols.Norm {
		if c == l.role[roleID] || n == "name" || !slices.Contains(aliases, n) {
			continue
		}
		same := true
		for i := range feats {
			v := any(nil)
			for _, pr := range feats[i].props {
				if pr.col == c {
					v = pr.val
				}
			}
			if s, ok := text(v); !ok || s != ids[i] {
				same = false
				break
			}
		}
		if same {
			out = append(out, l.cols.Names[c])
		}
	}
	return out
}

// checkEvery is how many features a reader decodes between two looks at
// its context.
const checkEvery = 4096

// decodeFeatures decodes the features of a collection, each with its row
// (1-based), and the union of their property names. It calls check with
// each feature whose geometry was read, and the geometry type as written;
// check may refuse it (kindBad). anyID says whether some feature has an
// "id" member; decoded counts the features whose members could be read.
// It stops with ctx's error when ctx ends.
func decodeFeatures(ctx context.Context, raws []json.RawMessage, p *problems, check func(f *feature, typ string)) (
	feats []feature, cols *columns, anyID bool, decoded int, err error) {
	cols = newColumns()
	feats = make([]feature, len(raws))
	var pts []orb.Point
	for i, raw := range raws {
		if i%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, nil, false, 0, err
			}
		}
		f := &feats[i]
		f.row = i + 1
		typ, ok := decodeFeature(raw, f, cols, &pts, p)
		if ok {
			decoded++
		} else {
			f.undecoded = true
		}
		anyID = anyID || f.hasID
		if f.kind != kindBad {
			check(f, typ)
		}
	}
	return feats, cols, anyID, decoded, nil
}

// readAll reads r to the end, as io.ReadAll does, into a buffer of the
// size of the file when r is one: io.ReadAll's growing buffer would take
// up to twice the size of a large file.
func readAll(r io.Reader) ([]byte, error) {
	f, ok := r.(interface {
		io.Seeker
		Stat() (fs.FileInfo, error)
	})
	if !ok {
		return io.ReadAll(r)
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return io.ReadAll(r)
	}
	off, err := f.Seek(0, io.SeekCurrent)
	if err != nil || off > st.Size() {
		return io.ReadAll(r)
	}
	// With bytes.MinRead to spare, ReadFrom reads to the end without
	// growing the buffer.
	b := bytes.NewBuffer(make([]byte, 0, st.Size()-off+bytes.MinRead))
	_, err = b.ReadFrom(r)
	return b.Bytes(), err
}

// cancelled is the error of a read that ctx ended: ctx's error, naming
// what was being read.
func cancelled(p *problems, err error) error {
	return fmt.Errorf("%s %q: %w", p.What, p.File, err)
}

func kindPlural(k geomKind) string {
	if k == kindPoint {
		return "points"
	}
	return "polygons"
}

// decodeCollection checks that data is a GeoJSON FeatureCollection and
// returns its features, undecoded; nil after reporting a problem.
func decodeCollection(data []byte, p *problems) []json.RawMessage {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if len(bytes.TrimSpace(data)) == 0 {
		p.Add(0, "", "empty file (expected a GeoJSON FeatureCollection)")
		return nil
	}
	var doc struct {
		Type     json.RawMessage   `json:"type"`
		Features []json.RawMessage `json:"features"`
	}
	featuresOK := true
	if err := json.Unmarshal(data, &doc); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			// The offset is just past the offending byte, or the end of
			// the data when it ended too soon.
			off := se.Offset
			if off < int64(len(data)) || !strings.Contains(se.Error(), "end of JSON input") {
				off--
			}
			p.Add(0, "", "invalid JSON at "+position(data, off)+": "+strings.TrimPrefix(se.Error(), "json: "))
			return nil
		case errors.As(err, &te) && te.Field == "":
			p.Addf(0, "", "not a GeoJSON FeatureCollection: the file holds a JSON %s, not an object", te.Value)
			return nil
		case errors.As(err, &te) && te.Field == "features":
			featuresOK = false
		case errors.As(err, &te):
			// The type is checked below.
		default:
			p.Add(0, "", "invalid JSON: "+strings.TrimPrefix(err.Error(), "json: "))
			return nil
		}
	}
	var typ string
	if doc.Type == nil || json.Unmarshal(doc.Type, &typ) != nil {
		p.Add(0, "", `not a GeoJSON FeatureCollection (no "type": "FeatureCollection" member)`)
		return nil
	}
	if typ != "FeatureCollection" {
		p.Addf(0, "", "not a GeoJSON FeatureCollection (its type is %q)", typ)
		return nil
	}
	feats := doc.Features
	if !featuresOK || feats == nil {
		p.Add(0, "", `the FeatureCollection has no "features" array`)
		return nil
	}
	if len(feats) == 0 {
		p.Add(0, "", "no features: the FeatureCollection is empty")
		return nil
	}
	return feats
}

// decodeFeature decodes one feature into f and returns its geometry type
// as written ("" when it has none); ok is false when the feature is not a
// Feature object.
func decodeFeature(raw json.RawMessage, f *feature, cols *columns, pts *[]orb.Point, p *problems) (typ string, ok bool) {
	if rawKind(raw) != "an object" {
		p.Addf(f.row, "", "the feature is %s, not a JSON object", rawKind(raw))
		return "", false
	}
	var doc struct{ Type, ID, Properties, Geometry json.RawMessage }
	members(raw, func(key string, val []byte) {
		switch key {
		case "type":
			doc.Type = val
		case "id":
			doc.ID = val
		case "properties":
			doc.Properties = val
		case "geometry":
			doc.Geometry = val
		}
	})
	if doc.Type != nil {
		if typ, _ := literal(doc.Type).(string); typ != "Feature" {
			p.Addf(f.row, "", "the type is %s, expected \"Feature\" (the features array holds Feature objects, each with a geometry)", doc.Type)
			return "", false
		}
	}
	if !isNull(doc.ID) {
		f.hasID = true
		switch v := literal(doc.ID).(type) {
		case string:
			f.id = strings.TrimSpace(v)
		case json.Number:
			f.id = v.String()
		default:
			f.badID = true
			p.Addf(f.row, "", "the feature id is %s (expected a string or a number)", jsonKind(v))
		}
	}
	if !isNull(doc.Properties) {
		if rawKind(doc.Properties) != "an object" {
			p.Addf(f.row, "", "the properties are %s, not a JSON object", rawKind(doc.Properties))
		} else {
			decodeProperties(doc.Properties, f, cols, p)
		}
	}
	return decodeGeometry(doc.Geometry, f, pts, p), true
}

// decodeProperties decodes a properties object, which encoding/json has
// already checked, in the order written. It scans the text itself:
// json.Decoder's token API allocates several times per value.
func decodeProperties(b []byte, f *feature, cols *columns, p *problems) {
	if f.props == nil {
		f.props = make([]prop, 0, len(cols.Norm)+1)
	}
	eachMember(b, func(quoted, val []byte) {
		col, key := cols.lookup(quoted)
		switch {
		case cols.Norm[col] == "":
		case cols.seenRow[col] == f.row:
			p.Addf(f.row, key, "duplicate property name (same as %q)", cols.seenKey[col])
		default:
			cols.seenRow[col], cols.seenKey[col] = f.row, key
			f.props = append(f.props, prop{col: col, val: literal(val)})
		}
	})
}

// layout is where the roles and measures are among the properties.
type layout struct {
	cols      *columns
	featureID bool // the id is the feature "id" member
	role      [numRoles]int
	measures  []*measureColumn
	derived   *derive.Binding // Options.Derived bound to the properties; nil without any
}

// measureColumn collects the values of a property that may be a measure.
type measureColumn struct {
	col       int
	requested bool
	numeric   bool
	nonEmpty  bool
	values    []float64
}

// detect finds the properties of each role and the measure candidates.
func detect(cols *columns, anyID bool, opt Options, p *problems) *layout {
	l := &layout{cols: cols}
	for r := range l.role {
		l.role[r] = -1
	}
	var mapped [numRoles]bool
	before := p.Len()
	for _, key := range slices.Sorted(maps.Keys(opt.Columns)) {
		r := role(slices.Index(roleKeys, territory.NormalizeName(key)))
		if r < 0 {
			switch territory.NormalizeName(key) {
			case "lat", "lon", "x", "y":
				p.Addf(0, "", "column mapping %q: not a key for GeoJSON, whose geometry is the location (expected one of %s)", key, strings.Join(roleKeys, ", "))
			default:
				p.Addf(0, "", "column mapping %q: unknown key (expected one of %s)", key, strings.Join(roleKeys, ", "))
			}
			continue
		}
		if r == roleUnit && opt.UnitColumns == nil {
			p.Addf(0, "", "column mapping %q: the unit property places accounts in a layer of units: give the layer (--units FILE)", key)
			continue
		}
		mapped[r] = true
		l.role[r] = cols.Map(roleKeys[r], opt.Columns[key], r.optional(), &p.InputErrors)
	}
	if p.Len() > before {
		return nil
	}
	for r := range numRoles {
		if mapped[r] {
			continue
		}
		if r == roleID && anyID {
			l.featureID = true
			continue
		}
		if r == roleUnit {
			l.role[r] = cols.Detect(opt.UnitColumns)
			continue
		}
		l.role[r] = cols.Detect(r.aliases())
	}
	if !l.featureID && l.role[roleID] < 0 {
		p.Addf(0, "", "no id: the features have no \"id\" member and no id property (expected one of %s; found %s)",
			territory.QuoteList(roleID.aliases(), "or"), cols.Found())
		return nil
	}
	isAlias := make(map[string]bool)
	for r := range numRoles {
		for _, a := range r.aliases() {
			isAlias[a] = true
		}
	}
	for _, n := range locationNames {
		isAlias[n] = true
	}
	holds := func(i int) []string {
		var what []string
		for r := range numRoles {
			if l.role[r] == i {
				what = append(what, roleKeys[r])
			}
		}
		return what
	}
	requested := opt.Measures
	if len(opt.Derived) > 0 {
		l.derived = derive.Bind(opt.Derived, cols.Columns, holds, &p.InputErrors)
		requested = l.derived.Requested(opt.Measures)
	}
	for _, m := range cols.Measures(func(n string) bool { return isAlias[n] }, requested, holds, &p.InputErrors) {
		l.measures = append(l.measures, &measureColumn{col: m.Col, requested: m.Requested, numeric: true})
	}
	if p.Len() > before {
		return nil
	}
	return l
}

// text returns a property value as text: strings trimmed, numbers as
// written, booleans as true/false; ok is false for arrays and objects.
func text(v any) (s string, ok bool) {
	switch v := v.(type) {
	case nil:
		return "", true
	case string:
		return strings.TrimSpace(v), true
	case json.Number:
		return v.String(), true
	case bool:
		return strconv.FormatBool(v), true
	}
	return "", false
}

// number reads a measure value: a JSON number or a string holding one.
func number(v any) (float64, territory.NumberState) {
	switch v := v.(type) {
	case nil:
		return 0, territory.NumberEmpty
	case json.Number:
		return territory.ParseNumber(v.String(), false)
	case string:
		return territory.ParseNumber(v, false)
	}
	return 0, territory.NumberInvalid
}

// accounts builds the accounts from the features and reports what is
// wrong with their properties.
func (l *layout) accounts(feats []feature, name string, p *problems) territory.Accounts {
	n := len(feats)
	a := territory.Accounts{
		Source: name,
		IDs:    make([]string, n),
		Rows:   make([]int, n),
		Locs:   make([]territory.Point, n),
	}
	if l.role[roleName] >= 0 {
		a.Names = make([]string, n)
	}
	if l.role[roleOwner] >= 0 {
		a.Owners = make([]string, n)
	}
	if l.role[roleLocked] >= 0 {
		a.Locked = make([]bool, n)
	}
	if l.role[roleGroup] >= 0 {
		a.Groups = make([]string, n)
	}
	if c := l.role[roleUnit]; c >= 0 {
		a.Units = make([]string, n)
		a.UnitColumn = l.cols.Names[c]
	}
	idColumn := ""
	if !l.featureID {
		idColumn = l.cols.Names[l.role[roleID]]
	}
	seed := maphash.MakeSeed()
	hashes := make([]uint64, 0, n)
	vals := make([]any, len(l.cols.Norm))
	has := make([]bool, len(l.cols.Norm))
	lockedNoOwner := 0
	for i := range feats {
		f := &feats[i]
		clear(vals)
		clear(has)
		for _, pr := range f.props {
			vals[pr.col], has[pr.col] = pr.val, true
		}
		a.Rows[i] = f.row
		a.Locs[i] = territory.Point{X: f.point[0], Y: f.point[1]}
		if f.undecoded {
			continue
		}
		// The id.
		id := ""
		if l.featureID {
			if !f.hasID {
				p.Add(f.row, "", "missing id (the other features have an \"id\" member)")
			}
			id = f.id
		} else {
			c := l.role[roleID]
			s, ok := text(vals[c])
			switch {
			case !ok:
				p.Addf(f.row, idColumn, "the id is %s (expected a string or a number)", jsonKind(vals[c]))
			case !has[c]:
				p.Add(f.row, idColumn, "missing id")
			case s == "":
				p.Add(f.row, idColumn, "empty id")
			}
			id = s
		}
		if l.featureID && f.hasID && !f.badID && id == "" {
			p.Add(f.row, "", "empty id")
		}
		if id != "" {
			hashes = append(hashes, maphash.String(seed, id))
		}
		a.IDs[i] = id
		if c := l.role[roleName]; c >= 0 {
			s, ok := text(vals[c])
			if !ok {
				p.Addf(f.row, l.cols.Names[c], "the name is %s (expected a string)", jsonKind(vals[c]))
			}
			a.Names[i] = s
		}
		owner := ""
		if c := l.role[roleOwner]; c >= 0 {
			s, ok := text(vals[c])
			if !ok {
				p.Addf(f.row, l.cols.Names[c], "the owner is %s (expected a rep id)", jsonKind(vals[c]))
			}
			owner = s
			a.Owners[i] = s
		}
		if c := l.role[roleGroup]; c >= 0 {
			a.Groups[i] = readGroup(vals[c], f.row, l.cols.Names[c], p)
		}
		if c := l.role[roleUnit]; c >= 0 {
			s, ok := text(vals[c])
			if !ok {
				p.Addf(f.row, l.cols.Names[c], "the unit is %s (expected a unit id)", jsonKind(vals[c]))
			}
			a.Units[i] = s
		}
		if c := l.role[roleLocked]; c >= 0 {
			s, ok := text(vals[c])
			locked := false
			if ok {
				locked, ok = territory.ParseLocked(s)
			}
			switch {
			case !ok:
				v := s
				if _, isText := text(vals[c]); !isText {
					v = jsonKind(vals[c])
				}
				p.Addf(f.row, l.cols.Names[c], "invalid locked value %q (expected true/false, yes/no, 1/0 or y/n; empty means false)", v)
			case locked && l.role[roleOwner] < 0:
				lockedNoOwner++
			case locked && owner == "":
				p.Addf(f.row, l.cols.Names[c], "account is locked but has no owner (property %q is empty)", l.cols.Names[l.role[roleOwner]])
			}
			a.Locked[i] = locked
		}
		for _, m := range l.measures {
			if !m.numeric {
				continue
			}
			v, st := number(vals[m.col])
			switch st {
			case territory.NumberOK:
				m.nonEmpty = true
			case territory.NumberEmpty:
			default:
				if !m.requested {
					m.numeric, m.values = false, nil
					continue
				}
				p.Add(f.row, l.cols.Names[m.col], numberMsg(vals[m.col], st))
			}
			if m.values == nil {
				m.values = make([]float64, 0, n)
			}
			m.values = append(m.values, v)
		}
	}
	duplicates(a.IDs, a.Rows, hashes, seed, idColumn, p)
	if lockedNoOwner > 0 {
		what := fmt.Sprintf("%d accounts are", lockedNoOwner)
		if lockedNoOwner == 1 {
			what = "1 account is"
		}
		p.Addf(0, l.cols.Names[l.role[roleLocked]], "%s locked but there is no owner property to keep them with (expected one of %s)",
			what, territory.QuoteList(roleOwner.aliases(), "or"))
	}
	for _, m := range l.measures {
		if m.numeric && (m.nonEmpty || m.requested) {
			a.Measures = append(a.Measures, territory.Measure{Name: l.cols.Norm[m.col], Column: l.cols.Names[m.col], Values: m.values})
		}
	}
	if l.derived != nil {
		// After the other problems: it computes nothing when there are
		// some, and checks the names its expressions read.
		l.derived.Apply(&a, &p.InputErrors)
	}
	return a
}

// numberMsg says what is wrong with a measure value.
func numberMsg(v any, st territory.NumberState) string {
	s, isText := text(v)
	if !isText {
		return fmt.Sprintf("invalid number: %s (expected a number)", jsonKind(v))
	}
	if _, isBool := v.(bool); isBool {
		return fmt.Sprintf("invalid number: %s (expected a number)", s)
	}
	if st == territory.NumberNotFinite {
		return fmt.Sprintf("invalid number %q (expected a finite number)", s)
	}
	return fmt.Sprintf("invalid number %q", s)
}

// duplicates reports each later occurrence of an id, citing the first.
// Hashes of the non-empty ids are sorted first so that only ids whose hash
// repeats go into a map.
func duplicates(ids []string, rows []int, hashes []uint64, seed maphash.Seed, column string, p *problems) {
	slices.Sort(hashes)
	repeated := make(map[uint64]bool)
	for i := 1; i < len(hashes); i++ {
		if hashes[i] == hashes[i-1] {
			repeated[hashes[i]] = true
		}
	}
	if len(repeated) == 0 {
		return
	}
	first := make(map[string]int)
	for i, id := range ids {
		if id == "" || !repeated[maphash.String(seed, id)] {
			continue
		}
		if r, dup := first[id]; dup {
			p.Addf(rows[i], column, "duplicate id %q (first at row %d)", id, r)
		} else {
			first[id] = rows[i]
		}
	}
}
