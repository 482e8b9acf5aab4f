package features

import (
	"context"
	"fmt"
	"hash/maphash"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// repKeys are the keys of Options.Columns for reps, in the order messages
// list them.
var repKeys = []string{"id", "name", "capacity", "group"}

// repAliases lists the normalised property names that stand for each key
// of a rep, the preferred one first (the tabular reader's names for reps).
var repAliases = map[string][]string{
	"id":       {"id", "rep_id", "rep", "account_id", "account"},
	"name":     {"name", "rep_name"},
	"capacity": {"capacity"},
	"group":    nil, // never detected: only a mapping (--group) names it
}

// ReadReps reads reps from a GeoJSON FeatureCollection of Points: one rep
// per feature, in the order of the features array, whose home is the
// point. name is the file name used in messages; each rep's Row is its
// 1-based feature index.
//
// The properties are found as ReadAccounts finds them, but the keys of
// Options.Columns are id, name and capacity (Options.Measures is
// ignored):
//
//	id        the feature "id" member when any feature has one; otherwise
//	          the first property of id, rep_id, rep, account_id, account
//	name      name, rep_name
//	capacity  capacity: the rep's share of a full territory, a number or
//	          text such as "0.5" or "50%"; missing, null or empty is 1
//
// Every feature needs a Point geometry (longitude and latitude in
// degrees): it is the rep's home, and every rep has one. Other properties
// are ignored. The error, when not nil, joins every problem found (up to
// 50) as *territory.InputError values; the reps are then nil.
func ReadReps(r io.Reader, name string, opt Options) ([]territory.Rep, error) {
	return ReadRepsContext(context.Background(), r, name, opt)
}

// ReadRepsContext is [ReadReps], stopped when ctx ends, as
// [ReadAccountsContext] is.
func ReadRepsContext(ctx context.Context, r io.Reader, name string, opt Options) ([]territory.Rep, error) {
	p := newProblems("read reps", name, opt.Warn)
	data, err := readAll(r)
	if err != nil {
		p.Add(0, "", "cannot read: "+err.Error())
		return nil, p.err()
	}
	if err := ctx.Err(); err != nil {
		return nil, cancelled(p, err)
	}
	raws := decodeCollection(data, p)
	if raws == nil {
		return nil, p.err()
	}
	feats, cols, anyID, decoded, err := decodeFeatures(ctx, raws, p, func(f *feature, typ string) {
		if f.kind == kindPolygon {
			p.Addf(f.row, "", "%s geometry: a rep's home is a Point (a file of reps holds Point features)", typ)
			f.kind = kindBad
		}
	})
	if err != nil {
		return nil, cancelled(p, err)
	}
	if decoded == 0 {
		return nil, p.err()
	}
	l := detectReps(cols, anyID, opt, p)
	if l == nil {
		return nil, p.err()
	}
	reps := l.reps(feats, p)
	if p.Len() > 0 {
		return nil, p.err()
	}
	return reps, nil
}

// repLayout says which property holds each key of a rep; -1 for none.
type repLayout struct {
	cols      *columns
	featureID bool // the id is the feature "id" member
	id        int
	name      int
	capacity  int
	group     int
}

// detectReps finds the properties of a rep's keys.
func detectReps(cols *columns, anyID bool, opt Options, p *problems) *repLayout {
	l := &repLayout{cols: cols, id: -1, name: -1, capacity: -1, group: -1}
	slot := map[string]*int{"id": &l.id, "name": &l.name, "capacity": &l.capacity, "group": &l.group}
	mapped := map[string]bool{}
	before := p.Len()
	for _, key := range slices.Sorted(maps.Keys(opt.Columns)) {
		k := territory.NormalizeName(key)
		if slot[k] == nil {
			switch k {
			case "lat", "lon", "x", "y":
				p.Addf(0, "", "column mapping %q: not a key for GeoJSON, whose geometry is the location (expected one of %s)", key, strings.Join(repKeys, ", "))
			default:
				p.Addf(0, "", "column mapping %q: unknown key for reps (expected one of %s)", key, strings.Join(repKeys, ", "))
			}
			continue
		}
		mapped[k] = true
		if i := cols.Map(k, opt.Columns[key], k != "id", &p.InputErrors); i >= 0 {
			*slot[k] = i
		}
	}
	if p.Len() > before {
		return nil
	}
	for _, k := range repKeys {
		if mapped[k] {
			continue
		}
		if k == "id" && anyID {
			l.featureID = true
			continue
		}
		*slot[k] = cols.Detect(repAliases[k])
	}
	if !l.featureID && l.id < 0 {
		p.Addf(0, "", "no id: the features have no \"id\" member and no id property (expected one of %s; found %s)",
			territory.QuoteList(repAliases["id"], "or"), cols.Found())
		return nil
	}
	return l
}

// reps builds the reps from the features and reports what is wrong with
// their properties.
func (l *repLayout) reps(feats []feature, p *problems) []territory.Rep {
	n := len(feats)
	reps := make([]territory.Rep, n)
	ids := make([]string, n)
	rows := make([]int, n)
	idColumn := ""
	if !l.featureID {
		idColumn = l.cols.Names[l.id]
	}
	seed := maphash.MakeSeed()
	hashes := make([]uint64, 0, n)
	vals := make([]any, len(l.cols.Norm))
	has := make([]bool, len(l.cols.Norm))
	for i := range feats {
		f := &feats[i]
		rows[i] = f.row
		rep := territory.Rep{Row: f.row, Capacity: 1}
		if f.kind == kindPoint {
			rep.Home, rep.HasHome = territory.Point{X: f.point[0], Y: f.point[1]}, true
		}
		if f.undecoded {
			reps[i] = rep
			continue
		}
		clear(vals)
		clear(has)
		for _, pr := range f.props {
			vals[pr.col], has[pr.col] = pr.val, true
		}
		id := ""
		if l.featureID {
			switch {
			case !f.hasID:
				p.Add(f.row, "", "missing id (the other features have an \"id\" member)")
			case !f.badID && f.id == "":
				p.Add(f.row, "", "empty id")
			}
			id = f.id
		} else {
			s, ok := text(vals[l.id])
			switch {
			case !ok:
				p.Addf(f.row, idColumn, "the id is %s (expected a string or a number)", jsonKind(vals[l.id]))
			case !has[l.id]:
				p.Add(f.row, idColumn, "missing id")
			case s == "":
				p.Add(f.row, idColumn, "empty id")
			}
			id = s
		}
		if id != "" {
			hashes = append(hashes, maphash.String(seed, id))
		}
		ids[i], rep.ID = id, id
		if c := l.name; c >= 0 {
			s, ok := text(vals[c])
			if !ok {
				p.Addf(f.row, l.cols.Names[c], "the name is %s (expected a string)", jsonKind(vals[c]))
			}
			rep.Name = s
		}
		if c := l.capacity; c >= 0 {
			rep.Capacity = repCapacity(vals[c], f.row, l.cols.Names[c], p)
		}
		if c := l.group; c >= 0 {
			rep.Group = readGroup(vals[c], f.row, l.cols.Names[c], p)
		}
		reps[i] = rep
	}
	duplicates(ids, rows, hashes, seed, idColumn, p)
	return reps
}

// readGroup reads the group of an account or a rep: a string or a
// number, not empty.
func readGroup(v any, row int, column string, p *problems) string {
	s, ok := text(v)
	switch {
	case !ok:
		p.Addf(row, column, "the group is %s (expected a string or a number)", jsonKind(v))
	case strings.TrimSpace(s) == "":
		p.Add(row, column, "empty group (every account and rep of a grouped problem needs one)")
	}
	return strings.TrimSpace(s)
}

// repCapacity reads a rep's capacity: a number, or text holding one or a
// percentage ("50%"); missing, null or empty is 1. It must not be
// negative.
func repCapacity(v any, row int, column string, p *problems) float64 {
	s, isText := text(v)
	if _, isBool := v.(bool); isBool || !isText {
		what := s
		if !isText {
			what = jsonKind(v)
		}
		p.Addf(row, column, "invalid capacity: %s (expected a share of a full territory, such as 1 or 0.5)", what)
		return 1
	}
	percent := strings.HasSuffix(s, "%")
	c, st := territory.ParseNumber(strings.TrimSuffix(s, "%"), false)
	switch {
	case st == territory.NumberEmpty && !percent:
		return 1
	case st == territory.NumberNotFinite:
		p.Addf(row, column, "invalid capacity %q (expected a finite number)", s)
		return 1
	case st != territory.NumberOK:
		p.Addf(row, column, "invalid capacity %q (expected a share of a full territory, such as 1 or 0.5)", s)
		return 1
	}
	if percent {
		c /= 100
	}
	if c < 0 {
		p.Add(row, column, fmt.Sprintf("capacity %s is negative (expected a share of a full territory, such as 1 or 0.5)", formatValue(c)))
	}
	return c
}
