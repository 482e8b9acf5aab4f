package tabular

import (
	"context"
	"errors"
	"io"
	"os"
	"strings"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// ReadReps reads reps from CSV text or an XLSX workbook (whose sheet
// [Options.Sheet] chooses): a header row, then one row per rep
// with an id and optionally a name, a home location (latitude and
// longitude, or planar x and y) and a capacity (a share of a full
// territory, 1 when the column or the cell is empty; "50%" is read as
// 0.5). name is the file name used in messages; each rep's Row is set.
//
// The space is territory.Planar for x and y columns and
// territory.Geographic otherwise; when the file has no location columns no
// rep has a home. A rep whose two location cells are empty has no home.
// The error, when not nil, joins every problem found in the file.
func ReadReps(r io.Reader, name string, opt Options) ([]territory.Rep, territory.Space, error) {
	return ReadRepsContext(context.Background(), r, name, opt)
}

// ReadRepsContext is [ReadReps], stopped when ctx ends, as
// [ReadAccountsContext] is.
func ReadRepsContext(ctx context.Context, r io.Reader, name string, opt Options) ([]territory.Rep, territory.Space, error) {
	p := newProblems(repsKind, name)
	p.warnFn = opt.Warn
	src, f, err := openCSV(r, repsKind)
	var z *zipInput
	if errors.As(err, &z) {
		return readRepsXLSX(ctx, nil, z.r, name, opt)
	}
	if err != nil {
		p.addErr(err)
		return nil, territory.Geographic, p.Err()
	}
	return readReps(ctx, src, f, name, opt, p)
}

// ReadRepsFile reads reps from the CSV file or XLSX workbook at path ("-"
// reads standard input), as ReadReps does, and refuses what
// ReadAccountsFile refuses.
func ReadRepsFile(path string, opt Options) ([]territory.Rep, territory.Space, error) {
	return ReadRepsFileContext(context.Background(), path, opt)
}

// ReadRepsFileContext is [ReadRepsFile], stopped when ctx ends, as
// [ReadAccountsContext] is.
func ReadRepsFileContext(ctx context.Context, path string, opt Options) ([]territory.Rep, territory.Space, error) {
	if path == "-" {
		return ReadRepsContext(ctx, os.Stdin, path, opt)
	}
	f, err := openInput(path, repsKind)
	if err != nil {
		return nil, territory.Geographic, err
	}
	defer f.Close()
	head := make([]byte, SniffLen)
	n, _ := f.ReadAt(head, 0)
	return ReadRepsFromFile(ctx, f, Sniff(path, head[:n]), opt)
}

// ReadRepsFromFile reads reps from f, a file opened for reading and named
// f.Name() in messages, whose format [Sniff] has judged, as
// [ReadRepsFileContext] does. It reads f from its start, through f (a
// workbook through excelize, which opens it by name to stream it), and
// leaves it open.
func ReadRepsFromFile(ctx context.Context, f *os.File, format FileFormat, opt Options) ([]territory.Rep, territory.Space, error) {
	name := f.Name()
	switch format {
	case XLSXFile:
		return readRepsXLSX(ctx, f, nil, name, opt)
	case XLSFile:
		return nil, territory.Geographic, refuseXLS(repsKind, name, f)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		p := newProblems(repsKind, name)
		p.Add(0, "", "cannot read: "+err.Error())
		return nil, territory.Geographic, p.Err()
	}
	return ReadRepsContext(ctx, f, name, opt)
}

func readReps(ctx context.Context, src rowSource, f format, name string, opt Options, p *problems) ([]territory.Rep, territory.Space, error) {
	header, headerRow, ok := readHeader(src, p, emptyMsg(repsKind))
	if !ok {
		return nil, territory.Geographic, p.Err()
	}
	l := detect(repsKind, header, headerRow, opt, f, p)
	if l == nil {
		return nil, territory.Geographic, p.Err()
	}
	idCol, nameCol, capCol, groupCol := l.col(roleID), l.col(roleName), l.col(roleCapacity), l.col(roleGroup)

	var reps []territory.Rep
	seen := make(map[string]int)
	rs := &rows{ctx: ctx, src: src, l: l, p: p}
	for {
		fields, row, ok := rs.next()
		if !ok {
			break
		}
		rep := territory.Rep{Row: row, Capacity: 1}
		id := cleanText(fields[idCol])
		switch first, dup := seen[id]; {
		case id == "":
			p.Add(row, l.name(idCol), "empty id")
		case dup:
			p.Addf(row, l.name(idCol), "duplicate id %q (first at row %d)", id, first)
		default:
			id = keepText(id)
			seen[id] = row
		}
		rep.ID = id
		if nameCol >= 0 {
			rep.Name = keepText(fields[nameCol])
		}
		rep.Home, rep.HasHome, _ = l.location(fields, row, true, p)
		if capCol >= 0 {
			rep.Capacity = l.capacity(fields[capCol], row, capCol, p)
		}
		if groupCol >= 0 {
			if rep.Group = keepText(cleanText(fields[groupCol])); rep.Group == "" {
				p.Add(row, l.name(groupCol), "empty group (every rep of a grouped problem needs one)")
			}
		}
		reps = append(reps, rep)
	}
	if rs.err != nil {
		return nil, territory.Geographic, cancelled(repsKind, name, rs.err)
	}
	if rs.seen == 0 && !rs.broken {
		p.Add(0, "", "no reps: the file has a header row but no data rows")
	}
	if p.Len() > 0 {
		return nil, territory.Geographic, p.Err()
	}
	return reps, l.space, nil
}

// capacity reads a capacity cell: empty is 1, "50%" is 0.5, and it must
// not be negative.
func (l *layout) capacity(cell string, row, col int, p *problems) float64 {
	s := strings.TrimSpace(cell)
	percent := strings.HasSuffix(s, "%")
	v, st := territory.ParseNumber(strings.TrimSuffix(s, "%"), l.format.decimalComma)
	switch {
	case st == territory.NumberEmpty && !percent:
		return 1
	case st == territory.NumberEmpty, st == territory.NumberInvalid:
		p.Addf(row, l.name(col), "invalid capacity %q (expected a share of a full territory, such as 1 or 0.5)", cleanText(cell))
		return 1
	case st != territory.NumberOK:
		p.Add(row, l.name(col), numberMsg(cell, st))
		return 1
	}
	if percent {
		v /= 100
	}
	if v < 0 {
		p.Addf(row, l.name(col), "capacity %s is negative (expected a share of a full territory, such as 1 or 0.5)", formatValue(v))
	}
	return v
}
