package tabular

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"math"
	"os"
	"slices"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// ReadAccounts reads accounts from CSV text or an XLSX workbook (whose
// sheet [Options.Sheet] chooses): a header row, then one row per
// account with an id and a location (latitude and longitude, or planar x
// and y), and optionally a name, today's owner, a locked flag and any
// number of measures (see the package documentation for the column
// names). name is the file name used in messages and set as
// Accounts.Source ("-" for standard input); Accounts.Rows holds each
// account's row.
//
// The space is territory.Planar when the location is in x and y columns,
// territory.Geographic for latitude and longitude. The error, when not nil,
// joins every problem found in the file (see the package documentation);
// the accounts are then empty.
func ReadAccounts(r io.Reader, name string, opt Options) (territory.Accounts, territory.Space, error) {
	return ReadAccountsContext(context.Background(), r, name, opt)
}

// ReadAccountsContext is [ReadAccounts], stopped when ctx ends: it looks at
// ctx every few thousand rows, and returns its error, wrapped, when it
// ended the read.
func ReadAccountsContext(ctx context.Context, r io.Reader, name string, opt Options) (territory.Accounts, territory.Space, error) {
	p := newProblems(accountsKind, name)
	p.warnFn = opt.Warn
	src, f, err := openCSV(r, accountsKind)
	var z *zipInput
	if errors.As(err, &z) {
		return readAccountsXLSX(ctx, nil, z.r, name, opt)
	}
	if err != nil {
		p.addErr(err)
		return territory.Accounts{}, territory.Geographic, p.Err()
	}
	return readAccounts(ctx, src, f, name, opt, p)
}

// ReadAccountsFile reads accounts from the CSV file or XLSX workbook at
// path ("-" reads standard input), as ReadAccounts does. A file is read as
// a workbook when it is a ZIP archive or its name ends in .xlsx. It
// refuses a directory, an empty file, legacy .xls workbooks and files that
// are plainly neither CSV nor XLSX, saying what they are.
func ReadAccountsFile(path string, opt Options) (territory.Accounts, territory.Space, error) {
	return ReadAccountsFileContext(context.Background(), path, opt)
}

// ReadAccountsFileContext is [ReadAccountsFile], stopped when ctx ends, as
// [ReadAccountsContext] is.
func ReadAccountsFileContext(ctx context.Context, path string, opt Options) (territory.Accounts, territory.Space, error) {
	if path == "-" {
		return ReadAccountsContext(ctx, os.Stdin, path, opt)
	}
	f, err := openInput(path, accountsKind)
	if err != nil {
		return territory.Accounts{}, territory.Geographic, err
	}
	defer f.Close()
	head := make([]byte, SniffLen)
	n, _ := f.ReadAt(head, 0)
	return ReadAccountsFromFile(ctx, f, Sniff(path, head[:n]), opt)
}

// ReadAccountsFromFile reads accounts from f, a file opened for reading and named
// f.Name() in messages, whose format [Sniff] has judged, as
// [ReadAccountsFileContext] does. It reads f from its start, through f (a
// workbook through excelize, which opens it by name to stream it), and
// leaves it open.
func ReadAccountsFromFile(ctx context.Context, f *os.File, format FileFormat, opt Options) (territory.Accounts, territory.Space, error) {
	name := f.Name()
	switch format {
	case XLSXFile:
		return readAccountsXLSX(ctx, f, nil, name, opt)
	case XLSFile:
		return territory.Accounts{}, territory.Geographic, refuseXLS(accountsKind, name, f)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		p := newProblems(accountsKind, name)
		p.Add(0, "", "cannot read: "+err.Error())
		return territory.Accounts{}, territory.Geographic, p.Err()
	}
	return ReadAccountsContext(ctx, f, name, opt)
}

// cancelled is the error of a read that ctx ended: ctx's error, naming
// what was being read.
func cancelled(k kind, name string, err error) error {
	return fmt.Errorf("%s %q: %w", k.what(), name, err)
}

// addErr reports an error of a row source or of opening one.
func (p *problems) addErr(err error) {
	var pr *problem
	if errors.As(err, &pr) {
		p.Add(pr.row, "", pr.msg)
		return
	}
	p.Add(0, "", "cannot read: "+err.Error())
}

func readAccounts(ctx context.Context, src rowSource, f format, name string, opt Options, p *problems) (territory.Accounts, territory.Space, error) {
	fail := func() (territory.Accounts, territory.Space, error) {
		return territory.Accounts{}, territory.Geographic, p.Err()
	}
	header, headerRow, ok := readHeader(src, p, emptyMsg(accountsKind))
	if !ok {
		return fail()
	}
	l := detect(accountsKind, header, headerRow, opt, f, p)
	if l == nil {
		return fail()
	}
	idCol, nameCol := l.col(roleID), l.col(roleName)
	ownerCol, lockedCol, groupCol := l.col(roleOwner), l.col(roleLocked), l.col(roleGroup)
	unitCol := l.col(roleUnit)

	n := f.rowsHint
	a := territory.Accounts{
		Source: name,
		IDs:    make([]string, 0, n),
		Rows:   make([]int, 0, n),
		Locs:   make([]territory.Point, 0, n),
	}
	if nameCol >= 0 {
		a.Names = make([]string, 0, n)
	}
	if ownerCol >= 0 {
		a.Owners = make([]string, 0, n)
	}
	if lockedCol >= 0 {
		a.Locked = make([]bool, 0, n)
	}
	if groupCol >= 0 {
		a.Groups = make([]string, 0, n)
	}
	if unitCol >= 0 {
		a.Units = make([]string, 0, n)
		a.UnitColumn = l.name(unitCol)
	}
	groups := make(map[string]string) // group names, stored once
	units := make(map[string]string)  // unit ids, stored once
	seed := maphash.MakeSeed()
	hashes := make([]uint64, 0, n)    // of the non-empty ids, to find duplicates
	owners := make(map[string]string) // owner ids, stored once
	lastOwner := ""
	lockedNoOwner := 0 // locked accounts in a file without owners
	rs := &rows{ctx: ctx, src: src, l: l, p: p}
	rowProblems := p.Listed()
	for {
		fields, row, ok := rs.next()
		if !ok {
			break
		}
		id := keepText(fields[idCol])
		if id == "" {
			p.Add(row, l.name(idCol), "empty id")
		} else {
			hashes = append(hashes, maphash.String(seed, id))
		}
		a.IDs = append(a.IDs, id)
		a.Rows = append(a.Rows, row)
		unit := ""
		if unitCol >= 0 {
			unit = cleanText(fields[unitCol])
			if s, ok := units[unit]; ok {
				unit = s
			} else {
				unit = keepText(unit)
				units[unit] = unit
			}
			a.Units = append(a.Units, unit)
			if unit == "" && !l.located {
				p.Addf(row, l.name(unitCol), "empty unit (the accounts have no location columns: every account needs the id of its unit)")
			}
		}
		// An account with a unit needs no location: without one it is at
		// NaN until it is placed at its unit's point.
		pt, has, _ := l.location(fields, row, unit != "", p)
		if !has {
			pt = territory.Point{X: math.NaN(), Y: math.NaN()}
		}
		a.Locs = append(a.Locs, pt)
		if nameCol >= 0 {
			a.Names = append(a.Names, keepText(fields[nameCol]))
		}
		owner := ""
		if ownerCol >= 0 {
			owner = cleanText(fields[ownerCol])
			if owner == lastOwner {
				owner = lastOwner
			} else if o, ok := owners[owner]; ok {
				owner = o
			} else {
				owner = keepText(owner)
				owners[owner] = owner
			}
			lastOwner = owner
			a.Owners = append(a.Owners, owner)
		}
		if groupCol >= 0 {
			g := cleanText(fields[groupCol])
			if g == "" {
				p.Add(row, l.name(groupCol), "empty group (every account of a grouped problem needs one)")
			} else if s, ok := groups[g]; ok {
				g = s
			} else {
				g = keepText(g)
				groups[g] = g
			}
			a.Groups = append(a.Groups, g)
		}
		if lockedCol >= 0 {
			locked, ok := territory.ParseLocked(fields[lockedCol])
			switch {
			case !ok:
				p.Addf(row, l.name(lockedCol), "invalid locked value %q (expected true/false, yes/no, 1/0 or y/n; empty means false)", cleanText(fields[lockedCol]))
			case locked && ownerCol < 0:
				lockedNoOwner++
			case locked && owner == "":
				p.Addf(row, l.name(lockedCol), "account is locked but has no owner (column %q is empty)", l.name(ownerCol))
			}
			a.Locked = append(a.Locked, locked)
		}
		for _, m := range l.measures {
			cell := fields[m.index]
			if !m.numeric {
				m.countText(cell, f.decimalComma)
				continue
			}
			v, st := territory.ParseNumber(cell, f.decimalComma)
			switch st {
			case territory.NumberOK:
				m.nonEmpty = true
				m.numbers++
			case territory.NumberEmpty:
			default:
				if !m.requested {
					// Text: not a measure.
					m.numeric, m.values = false, nil
					m.texts, m.firstRow, m.first = 1, row, cleanText(cell)
					continue
				}
				p.Add(row, l.name(m.index), numberMsg(cell, st))
			}
			if len(m.values) == cap(m.values) && len(m.values) >= 1024 && n > len(m.values) {
				// Numeric so far: likely a measure, make room for every row.
				m.values = slices.Grow(m.values, n-len(m.values))
			}
			m.values = append(m.values, v)
		}
	}
	if rs.err != nil {
		return territory.Accounts{}, territory.Geographic, cancelled(accountsKind, name, rs.err)
	}
	p.InsertByRow(rowProblems, duplicates(a.IDs, a.Rows, hashes, seed, l.name(idCol), p))
	if rs.seen == 0 && !rs.broken {
		p.Add(0, "", "no accounts: the file has a header row but no data rows")
	}
	if lockedNoOwner > 0 {
		what := fmt.Sprintf("%d accounts are", lockedNoOwner)
		if lockedNoOwner == 1 {
			what = "1 account is"
		}
		p.Addf(0, l.name(lockedCol), "%s locked but there is no owner column to keep them with (expected one of %s)",
			what, territory.QuoteList(accountsKind.aliases(roleOwner), "or"))
	}
	for _, m := range l.measures {
		if m.mostlyNumbers() {
			p.warn(m.firstRow, l.name(m.index), textInNumbersMsg(m))
		}
	}
	for _, m := range l.measures {
		if m.numeric && (m.nonEmpty || m.requested) {
			a.Measures = append(a.Measures, territory.Measure{Name: l.norm[m.index], Column: l.name(m.index), Values: m.values})
		}
	}
	if l.derived != nil {
		// After the other problems: it computes nothing when there are
		// some, and checks the names its expressions read.
		l.derived.Apply(&a, &p.InputErrors)
	}
	if p.Len() > 0 {
		return fail()
	}
	return a, l.space, nil
}

// textInNumbersMsg warns about a column of numbers that is not a measure
// because some of its cells are not numbers.
func textInNumbersMsg(m *measureColumn) string {
	others := ""
	if m.texts > 1 {
		others = fmt.Sprintf(" (and %d more %s)", m.texts-1, plural(m.texts-1, "cell", "cells"))
	}
	return fmt.Sprintf("%q is not a number%s although %d cells of the column are: the column is not read as a measure (fix the cell to use it in a balance rule)",
		m.first, others, m.numbers)
}

// plural returns one when n is 1, else many.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// duplicates finds the ids that occur more than once and returns a
// problem for each later occurrence, citing the first, in row order. hashes
// holds the hash of every non-empty id: sorting them finds whether any id
// repeats without a map of every id (a million ids make a slow map), and
// only the ids whose hash repeats are then compared.
func duplicates(ids []string, rows []int, hashes []uint64, seed maphash.Seed, column string, p *problems) []*territory.InputError {
	slices.Sort(hashes)
	var repeated map[uint64]bool
	for i := 1; i < len(hashes); i++ {
		if hashes[i] == hashes[i-1] {
			if repeated == nil {
				repeated = make(map[uint64]bool)
			}
			repeated[hashes[i]] = true
		}
	}
	if repeated == nil {
		return nil
	}
	var dups []*territory.InputError
	first := make(map[string]int)
	for i, id := range ids {
		if id == "" || !repeated[maphash.String(seed, id)] {
			continue
		}
		if r, dup := first[id]; dup {
			dups = append(dups, p.problem(rows[i], column, fmt.Sprintf("duplicate id %q (first at row %d)", id, r)))
		} else {
			first[id] = rows[i]
		}
	}
	return dups
}

// location reads the location of a row and reports what is wrong with it.
// With optional (a rep's home), two empty cells mean no location: has is
// false. ok is false when a problem was reported.
func (l *layout) location(fields []string, row int, optional bool, p *problems) (pt territory.Point, has, ok bool) {
	if !l.located {
		return pt, false, true
	}
	if l.space == territory.Planar {
		xi, yi := l.col(roleX), l.col(roleY)
		x, xs := territory.ParseNumber(fields[xi], l.format.decimalComma)
		y, ys := territory.ParseNumber(fields[yi], l.format.decimalComma)
		if optional && xs == territory.NumberEmpty && ys == territory.NumberEmpty {
			return pt, false, true
		}
		ok = l.coordinate(fields[xi], xs, row, xi, "x", "a number", optional, p)
		ok = l.coordinate(fields[yi], ys, row, yi, "y", "a number", optional, p) && ok
		return territory.Point{X: x, Y: y}, true, ok
	}
	lati, loni := l.col(roleLat), l.col(roleLon)
	lat, lats := territory.ParseNumber(fields[lati], l.format.decimalComma)
	lon, lons := territory.ParseNumber(fields[loni], l.format.decimalComma)
	if optional && lats == territory.NumberEmpty && lons == territory.NumberEmpty {
		return pt, false, true
	}
	ok = l.coordinate(fields[lati], lats, row, lati, "latitude", "a number between -90 and 90", optional, p)
	if ok && (lat < -90 || lat > 90) {
		hint := ""
		if lons == territory.NumberOK && lon >= -90 && lon <= 90 && lat >= -180 && lat <= 180 {
			hint = " (are latitude and longitude swapped?)"
		}
		p.Addf(row, l.name(lati), "latitude %s is not between -90 and 90%s", formatValue(lat), hint)
		ok = false
	}
	lonOK := l.coordinate(fields[loni], lons, row, loni, "longitude", "a number between -180 and 180", optional, p)
	if lonOK && (lon < -180 || lon > 180) {
		p.Addf(row, l.name(loni), "longitude %s is not between -180 and 180", formatValue(lon))
		lonOK = false
	}
	return territory.Point{X: lon, Y: lat}, true, ok && lonOK
}

// coordinate reports a coordinate cell that is not a number.
func (l *layout) coordinate(cell string, st territory.NumberState, row, col int, what, expected string, optional bool, p *problems) bool {
	switch st {
	case territory.NumberOK:
		return true
	case territory.NumberEmpty:
		switch {
		case optional && l.kind == accountsKind:
			p.Addf(row, l.name(col), "empty %s (expected %s, or both coordinates empty to place the account by its unit)", what, expected)
		case optional:
			p.Addf(row, l.name(col), "empty %s (expected %s, or both coordinates empty for no home)", what, expected)
		default:
			p.Addf(row, l.name(col), "empty %s (expected %s)", what, expected)
		}
	default:
		p.Add(row, l.name(col), numberMsg(cell, st))
	}
	return false
}
