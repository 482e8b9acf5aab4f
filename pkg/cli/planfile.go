package cli

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// Columns of a plan file (assignments.csv), as `territory solve` writes
// them. Headers are matched after territory.NormalizeName, so "Account ID"
// is account_id; the short forms in planColumnAliases are accepted too.
const (
	colAccountID   = "account_id"
	colTerritoryID = "territory_id"
	colRepID       = "rep_id"
)

// planColumnAliases maps the normalised header names a plan file may use
// to the column they stand for.
var planColumnAliases = map[string]string{
	colAccountID:   colAccountID,
	"account":      colAccountID,
	"id":           colAccountID,
	colTerritoryID: colTerritoryID,
	"territory":    colTerritoryID,
	colRepID:       colRepID,
	"rep":          colRepID,
}

// readPlanWhat is the What of the errors of a plan file.
const readPlanWhat = "read plan"

// planFile is a plan as an assignments file gives it: one row per account,
// naming its territory, its rep or both. `territory diff` compares two;
// `territory evaluate` and `territory render` score and draw one.
type planFile struct {
	Name string // as given; "stdin" for standard input
	// HasTerritory and HasRep say which of the columns the file has; at
	// least one of them.
	HasTerritory, HasRep bool
	// TerritoryCol and RepCol are the headers as the file spells them.
	AccountCol, TerritoryCol, RepCol string

	// One entry per account, in file order. Territories or Reps is nil
	// when the file lacks the column.
	IDs         []string
	Territories []string
	Reps        []string
	Rows        []int // 1-based row, as a spreadsheet numbers rows

	index map[string]int // account id -> entry
}

// Len is the number of accounts in the file.
func (f *planFile) Len() int { return len(f.IDs) }

// lookup returns the entry of account id and whether the file has it.
func (f *planFile) lookup(id string) (int, bool) {
	i, ok := f.index[id]
	return i, ok
}

// keyColumn is the column that identifies a territory when plan files are
// matched against each other or against the reps: rep_id when the file
// has it (territory ids are positions in the reps list, which another run
// may order differently), else territory_id.
func (f *planFile) keyColumn() string {
	if f.HasRep {
		return colRepID
	}
	return colTerritoryID
}

// key returns the territory key of entry i (see keyColumn).
func (f *planFile) key(i int) string {
	if f.HasRep {
		return f.Reps[i]
	}
	return f.Territories[i]
}

// readPlanPath reads the plan file at path ("-" reads in).
func readPlanPath(path string, in io.Reader) (*planFile, error) {
	if path == "-" {
		return readPlan(in, stdinName)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, &territory.InputError{What: readPlanWhat, File: path, Msg: openMsg(err)}
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, &territory.InputError{What: readPlanWhat, File: path, Msg: "is a directory, not a CSV file"}
	}
	return readPlan(f, path)
}

// openMsg says why a file could not be opened, without repeating its name.
func openMsg(err error) string {
	switch {
	case errors.Is(err, os.ErrNotExist):
		return "no such file"
	case errors.Is(err, os.ErrPermission):
		return "permission denied"
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// readPlan reads a plan file: CSV with a header row naming account_id and
// territory_id, rep_id or both (other columns, such as distance_km, are
// ignored), then one row per account. It checks every row and returns
// every problem found (up to territory.MaxListed; it then stops), each a
// *territory.InputError with the file, row and column, joined with
// errors.Join:
//
//   - a missing or empty account id, territory or rep;
//   - an account listed twice;
//   - a row with another number of fields than the header;
//   - when both territory_id and rep_id are given, a territory with two
//     reps or a rep in two territories (a hand edit that changed one
//     column and not the other).
func readPlan(r io.Reader, name string) (*planFile, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if head, _ := br.Peek(3); string(head) == "\xEF\xBB\xBF" {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true

	f := &planFile{Name: name, index: make(map[string]int)}
	errs := &territory.InputErrors{What: readPlanWhat, File: name, Stops: true}
	inputErr := errs.Addf

	header, err := cr.Read()
	switch {
	case errors.Is(err, io.EOF):
		return nil, &territory.InputError{What: readPlanWhat, File: name,
			Msg: "the file is empty: expected a header row with account_id and territory_id or rep_id"}
	case err != nil:
		return nil, csvError(name, err)
	}
	width := len(header)
	acc, ter, rep := -1, -1, -1
	for j, h := range header {
		h = strings.TrimSpace(h)
		var at *int
		switch planColumnAliases[territory.NormalizeName(h)] {
		case colAccountID:
			at = &acc
		case colTerritoryID:
			at = &ter
		case colRepID:
			at = &rep
		default:
			continue
		}
		if *at >= 0 {
			return nil, &territory.InputError{What: readPlanWhat, File: name, Row: 1, Column: h,
				Msg: fmt.Sprintf("a second column for %s (the first is %q)", planColumnAliases[territory.NormalizeName(h)], header[*at])}
		}
		*at = j
	}
	if acc < 0 || (ter < 0 && rep < 0) {
		var missing []string
		if acc < 0 {
			missing = append(missing, colAccountID)
		}
		if ter < 0 && rep < 0 {
			missing = append(missing, "territory_id or rep_id")
		}
		return nil, &territory.InputError{What: readPlanWhat, File: name, Row: 1,
			Msg: fmt.Sprintf("no %s column: a plan file has a header row with account_id and territory_id or rep_id, as assignments.csv",
				strings.Join(missing, " and no "))}
	}
	f.AccountCol = strings.TrimSpace(header[acc])
	if ter >= 0 {
		f.HasTerritory, f.TerritoryCol = true, strings.TrimSpace(header[ter])
	}
	if rep >= 0 {
		f.HasRep, f.RepCol = true, strings.TrimSpace(header[rep])
	}

	// With both columns, every territory has one rep and every rep one
	// territory: the first row that pairs them sets the pair.
	type firstSeen struct {
		other string
		row   int
	}
	repOf := map[string]firstSeen{}
	terOf := map[string]firstSeen{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				errs.AddError(csvInputError(name, pe))
				if errs.More() > 0 {
					break
				}
				continue
			}
			return nil, fmt.Errorf("read plan %q: %w", name, err)
		}
		row, _ := cr.FieldPos(0)
		if len(rec) != width {
			inputErr(row, "", "%d %s, but the header has %d", len(rec), plural(len(rec), "field", "fields"), width)
			if errs.More() > 0 {
				break
			}
			continue
		}
		id := strings.TrimSpace(rec[acc])
		bad := false
		if id == "" {
			inputErr(row, f.AccountCol, "empty account id")
			bad = true
		} else if prev, dup := f.index[id]; dup {
			inputErr(row, f.AccountCol, "account %q is listed twice (first on row %d)", id, f.Rows[prev])
			bad = true
		}
		var t, p string
		if ter >= 0 {
			if t = strings.TrimSpace(rec[ter]); t == "" {
				inputErr(row, f.TerritoryCol, "empty territory id")
				bad = true
			}
		}
		if rep >= 0 {
			if p = strings.TrimSpace(rec[rep]); p == "" {
				inputErr(row, f.RepCol, "empty rep id")
				bad = true
			}
		}
		if !bad && ter >= 0 && rep >= 0 {
			sr, okr := repOf[t]
			st, okt := terOf[p]
			switch {
			case okr && sr.other != p:
				inputErr(row, f.RepCol, "territory %q has rep %q on row %d, not %q: a territory has one rep (change both columns to move an account)",
					t, sr.other, sr.row, p)
				bad = true
			case okt && st.other != t:
				inputErr(row, f.TerritoryCol, "rep %q is in territory %q on row %d, not %q: a rep has one territory (change both columns to move an account)",
					p, st.other, st.row, t)
				bad = true
			case !okr:
				repOf[t] = firstSeen{p, row}
				terOf[p] = firstSeen{t, row}
			}
		}
		if errs.More() > 0 {
			break
		}
		if bad {
			continue
		}
		f.index[id] = len(f.IDs)
		f.IDs = append(f.IDs, id)
		f.Rows = append(f.Rows, row)
		if ter >= 0 {
			f.Territories = append(f.Territories, t)
		}
		if rep >= 0 {
			f.Reps = append(f.Reps, p)
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return f, nil
}

// csvError turns an encoding/csv error into an InputError at its row.
func csvError(name string, err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return fmt.Errorf("read plan %q: %w", name, err)
	}
	return csvInputError(name, pe)
}

// csvInputError says what is wrong at the row of a parse error.
func csvInputError(name string, pe *csv.ParseError) *territory.InputError {
	msg := pe.Err.Error()
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		msg = `unexpected " in a field that is not quoted (quote the whole field and double the quotes inside it)`
	case errors.Is(pe.Err, csv.ErrQuote):
		msg = "quoted field is not closed properly (a quote inside a quoted field must be doubled)"
	}
	return &territory.InputError{What: readPlanWhat, File: name, Row: pe.StartLine, Msg: msg}
}
