package features

import (
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/territory-optimizer/territory/pkg/parallel"
	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// Layer is a layer of units read by [ReadUnits]: polygons with an id each,
// onto which point accounts are placed ([Layer.Place]).
type Layer struct {
	territory.UnitLayer
	// Names holds every unit's name (nil when the features have none).
	Names []string
	// IDColumns are the properties that hold the unit ids, as the file
	// spells them: the id property (not when the ids are the features'
	// "id" members), then every other property named like an id (geoid,
	// fips, zip, ...) whose value is the id in every feature. An accounts
	// column of one of these names holds the accounts' units.
	IDColumns []string
	// Units holds the geometries, areas and adjacency.
	Units *Units

	index *spatial.PolygonIndex // built by the first Place
}

// LayerOptions says how to read a layer of units.
type LayerOptions struct {
	// ID names the property that holds the unit ids (matched after
	// normalising); "" finds it as [ReadAccounts] finds an id: the
	// features' "id" members, else the first of id, geoid, fips, zip,
	// zcta, zcta5ce20, postcode, code, ... (see the package doc).
	ID string
	// Warn receives the warnings of the read, as [Options.Warn] does.
	Warn func(*territory.InputError)
}

// unitsWhat heads the messages of a layer's reader.
const unitsWhat = "read units"

// ReadUnits reads a layer of units from a GeoJSON FeatureCollection of
// Polygons and MultiPolygons (longitude and latitude in degrees), one unit
// per feature: its id, its name when it has one, its geometry, its
// area-weighted centroid as its representative point, and the units it
// shares a boundary with, all as [ReadAccounts] reads polygon units and
// checks them (rings closed, not crossing themselves, ids present and
// unique, ...). A feature of another geometry, a Point among them, is an
// error naming its row: the accounts are placed in the units, and the
// layer holds nothing else. Other properties are ignored. name is the
// file name used in messages. The error, when not nil, joins every
// problem found (up to 50) as *territory.InputError values.
func ReadUnits(ctx context.Context, r io.Reader, name string, opt LayerOptions) (*Layer, error) {
	cols := map[string]string{"owner": "", "locked": ""}
	if opt.ID != "" {
		cols["id"] = opt.ID
	}
	a, u, idColumns, err := readCollection(ctx, r, name, unitsWhat, Options{Columns: cols, Warn: opt.Warn}, true)
	if err != nil {
		return nil, err
	}
	idColumn := idColumns[0]
	idColumns = slices.DeleteFunc(idColumns, func(c string) bool { return c == "" })
	return &Layer{
		UnitLayer: territory.UnitLayer{
			Source:    name,
			IDColumn:  idColumn,
			IDs:       a.IDs,
			Rows:      a.Rows,
			Locs:      a.Locs,
			Adjacency: u.Adjacency,
		},
		Names:     a.Names,
		IDColumns: idColumns,
		Units:     u,
	}, nil
}

// MaxNamed is how many accounts a warning or an error of [Layer.Place]
// names before it only counts the rest.
const MaxNamed = 5

// Place puts every account of a in a unit of the layer and returns the
// unit of every account, in account order:
//
//   - an account with a unit id (a.Units[i] not empty) is in the unit of
//     that id; an id that no unit has is an error naming the account's row
//     and column (column names the accounts' unit column for messages). An
//     account read without a location (NaN) is put at its unit's point:
//     Place sets a.Locs[i];
//   - any other account is in the unit whose polygon holds its location (a
//     location on the boundary of several, or where polygons overlap, is in
//     the first of them in the layer);
//   - an account that no polygon holds is in the unit nearest to it,
//     measured to the polygon's boundary (the few kilometres of a point
//     just off the coast, or in a gap between polygons), and one warning to
//     warn names the first few of them and counts them all.
//
// The accounts must be in longitude and latitude (space
// territory.Geographic), as the layer is; planar accounts are an error,
// unless every one of them has a unit id. The answer is the same on every
// machine and at any number of cores.
func (l *Layer) Place(a *territory.Accounts, space territory.Space, column string, warn func(*territory.InputError)) ([]int, error) {
	n := a.Len()
	of := make([]int, n)
	byID := make(map[string]int, l.Len())
	for j, id := range l.IDs {
		byID[id] = j
	}
	errs := &territory.InputErrors{What: "accounts", File: a.Source}
	needGeometry := false
	for i := range of {
		of[i] = -1
		if i < len(a.Units) && a.Units[i] != "" {
			j, ok := byID[a.Units[i]]
			if !ok {
				errs.Addf(rowOf(a, i), column, "unit %q is not in the layer %q (%s)", a.Units[i], l.Source, l.idRange())
				continue
			}
			of[i] = j
			if math.IsNaN(a.Locs[i].X) || math.IsNaN(a.Locs[i].Y) {
				a.Locs[i] = l.Locs[j] // read without a location
			}
			continue
		}
		needGeometry = true
	}
	if needGeometry && space != territory.Geographic {
		errs.Addf(0, "", "the accounts are in planar x/y, the units of %q in longitude and latitude: give the accounts' latitude and longitude, or the unit of every account", l.Source)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if !needGeometry {
		return of, nil
	}
	if l.index == nil {
		l.index = spatial.NewPolygonIndex(territory.Geographic, l.Units.Geoms)
	}
	ix := l.index
	const chunk = 4096
	parallel.For((n+chunk-1)/chunk, func(_, c int) {
		for i := c * chunk; i < min((c+1)*chunk, n); i++ {
			if of[i] < 0 {
				of[i] = ix.Locate(a.Locs[i])
			}
		}
	})
	var outside []int
	for i, j := range of {
		if j < 0 {
			outside = append(outside, i)
		}
	}
	if len(outside) == 0 {
		return of, nil
	}
	km := make([]float64, len(outside))
	parallel.For(len(outside), func(_, k int) {
		of[outside[k]], km[k] = ix.Nearest(a.Locs[outside[k]])
	})
	if of[outside[0]] < 0 {
		return nil, &territory.InputError{What: unitsWhat, File: l.Source, Msg: "no unit has a boundary to place the accounts in"}
	}
	if warn != nil {
		var named []string
		for k, i := range outside[:min(len(outside), MaxNamed)] {
			named = append(named, fmt.Sprintf("%s to %q, %s km away", rowName(a, i), l.IDs[of[i]], strconv.FormatFloat(km[k], 'f', 1, 64)))
		}
		more := ""
		if len(outside) > MaxNamed {
			more = fmt.Sprintf(" and %d more", len(outside)-MaxNamed)
		}
		what := fmt.Sprintf("%d accounts are", len(outside))
		if len(outside) == 1 {
			what = "1 account is"
		}
		warn(&territory.InputError{What: "accounts", File: a.Source,
			Msg: fmt.Sprintf("%s in no unit of %q and went to the nearest: %s%s", what, l.Source, strings.Join(named, "; "), more)})
	}
	return of, nil
}

// idRange names the layer's ids shortly, for messages: "ids 01001 to
// 72153", or its only id.
func (l *Layer) idRange() string {
	lo, hi := l.IDs[0], l.IDs[0]
	for _, id := range l.IDs[1:] {
		if territory.CompareIDs(id, lo) < 0 {
			lo = id
		}
		if territory.CompareIDs(id, hi) > 0 {
			hi = id
		}
	}
	if lo == hi {
		return "its only unit is " + strconv.Quote(lo)
	}
	return fmt.Sprintf("%d units, %s to %s", l.Len(), lo, hi)
}

// rowOf is account i's row, 0 when unknown.
func rowOf(a *territory.Accounts, i int) int {
	if i < len(a.Rows) {
		return a.Rows[i]
	}
	return 0
}

// rowName cites account i: "row 12", or "account 12" without rows.
func rowName(a *territory.Accounts, i int) string {
	if r := rowOf(a, i); r > 0 {
		return "row " + strconv.Itoa(r)
	}
	return "account " + strconv.Itoa(i+1)
}
