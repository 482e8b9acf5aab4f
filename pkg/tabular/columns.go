package tabular

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/territory-optimizer/territory/pkg/derive"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// Options says how to find the columns of a table. The zero value detects
// every column by name.
type Options struct {
	// Columns maps a key to the name of the column that holds it, matched
	// after normalising (see territory.NormalizeName). Keys are id, name,
	// lat, lon, x, y, owner, locked and group for accounts, and id, name,
	// lat, lon, x, y, capacity and group for reps. A mapping overrides
	// detection. An empty column name turns an optional key (name, owner,
	// locked, capacity, group) off: no column is used for it. The group
	// column is never detected: only a mapping splits a problem into
	// groups (see territory.Problem.GroupColumn).
	Columns map[string]string
	// Measures lists the measures that must be present and numeric in
	// accounts (the CLI passes the measures of the balance rules). Names
	// are normalised; the built-in count measure needs no column, and
	// neither does a derived measure. Reps have no measures and ignore
	// this field.
	Measures []string
	// Derived lists derived measures to compute for every account from
	// its numeric columns (see package derive), appended to the measures
	// read, in this order. A derived measure may not have the name of a
	// column; the columns its expression reads must be present and every
	// cell a number. An account for which an expression cannot be computed
	// (a division by zero, NaN or an infinity) is a problem naming its
	// row. Reps ignore this field.
	Derived []*derive.Measure
	// UnitColumns lists the names a column of unit ids may have in the
	// accounts (normalised), when the accounts are placed in a layer of
	// units: the first found is the unit column, unless Columns maps the
	// key unit. Its cells are read into territory.Accounts.Units (an empty
	// cell: the account is placed by its location). Without a layer (nil)
	// no unit column is read, and a mapping of unit is refused.
	UnitColumns []string
	// Sheet names the sheet of an XLSX workbook to read (case does not
	// matter). When empty, the only sheet of a workbook is read, and
	// otherwise the first sheet whose header row has the columns needed
	// (an id and a location for accounts, an id for reps) is read,
	// preferring a sheet or an id column named for what is read
	// ("Accounts", "Account ID"; "Reps", "Rep ID"), so that one workbook
	// may hold both, and visible sheets to hidden ones. CSV input ignores
	// it.
	Sheet string
	// Warn, when not nil, receives the warnings of a read: things that
	// are read but look wrong, such as a column of numbers with a cell
	// that is not one (the column is then not a measure). A read whose
	// error is not nil may have warned too.
	Warn func(*territory.InputError)
}

// rowSource yields the rows of one table, the header row first. It is
// what a tabular format (CSV, XLSX) implements.
type rowSource interface {
	// Next returns the fields of the next row and its 1-based row number
	// as a spreadsheet shows it. At the end of the table it returns
	// io.EOF. A *problem error reports a malformed row: reading may go on
	// after it. Any other error ends reading.
	Next() (fields []string, row int, err error)
}

// format describes what a row source needs the readers to know about its
// cells.
type format struct {
	// decimalComma accepts "12,5" as 12.5 (files whose delimiter is not a
	// comma).
	decimalComma bool
	// tooManyHint is added to the message of a row with too many fields.
	tooManyHint string
	// rowsHint estimates the number of rows (0 = unknown), to size slices.
	rowsHint int
}

// problem is something wrong with the input, found by a row source, at
// Row (0 when not in one row).
type problem struct {
	row int
	msg string
}

func (e *problem) Error() string { return e.msg }

// kind is what a table holds.
type kind int

const (
	accountsKind kind = iota
	repsKind
	planKind  // a plan file, such as assignments.csv
	editsKind // an edits file: a plan file of the accounts moved by hand
)

func (k kind) what() string {
	switch k {
	case repsKind:
		return "read reps"
	case planKind:
		return "read plan"
	case editsKind:
		return "read edits"
	}
	return "read accounts"
}

// role is what a column means to the readers.
type role int

const (
	roleID role = iota
	roleLat
	roleLon
	roleX
	roleY
	roleName
	roleOwner
	roleLocked
	roleCapacity
	roleGroup
	roleUnit
	numRoles
)

// roleKeys are the keys of Options.Columns, in the order messages list
// them.
var roleKeys = []struct {
	key  string
	role role
}{
	{"id", roleID}, {"name", roleName}, {"lat", roleLat}, {"lon", roleLon},
	{"x", roleX}, {"y", roleY}, {"owner", roleOwner}, {"locked", roleLocked},
	{"capacity", roleCapacity}, {"group", roleGroup}, {"unit", roleUnit},
}

func (r role) key() string {
	for _, rk := range roleKeys {
		if rk.role == r {
			return rk.key
		}
	}
	return "role" + strconv.Itoa(int(r))
}

// describe says what a column of this role holds, for messages.
func (r role) describe() string {
	switch r {
	case roleID:
		return "id"
	case roleLat:
		return "latitude"
	case roleLon:
		return "longitude"
	case roleName:
		return "name"
	case roleOwner:
		return "owner"
	case roleLocked:
		return "locked"
	case roleCapacity:
		return "capacity"
	case roleGroup:
		return "group"
	case roleUnit:
		return "unit"
	}
	return r.key()
}

func (r role) optional() bool {
	return r == roleName || r == roleOwner || r == roleLocked || r == roleCapacity || r == roleGroup || r == roleUnit
}

var (
	latNames = []string{"lat", "latitude", "home_lat", "home_latitude"}
	lonNames = []string{"lon", "lng", "long", "longitude", "home_lon", "home_lng", "home_longitude"}
)

// aliases lists the normalised names that stand for role r in a table of
// kind k, the preferred one first; nil when k has no such column.
func (k kind) aliases(r role) []string {
	switch r {
	case roleID:
		if k == repsKind {
			return []string{"id", "rep_id", "rep", "account_id", "account"}
		}
		return []string{"id", "account_id", "account", "rep_id"}
	case roleName:
		// A rep's name in an accounts file is not the account's name.
		if k == repsKind {
			return []string{"name", "rep_name"}
		}
		return []string{"name", "account_name"}
	case roleLat:
		return latNames
	case roleLon:
		return lonNames
	case roleX:
		return []string{"x"}
	case roleY:
		return []string{"y"}
	case roleOwner:
		if k == accountsKind {
			// rep_id is the owner when another column is the id.
			return []string{"owner", "rep", "current_rep", "territory", "current_owner", "rep_id"}
		}
	case roleLocked:
		if k == accountsKind {
			return []string{"locked"}
		}
	case roleCapacity:
		if k == repsKind {
			return []string{"capacity"}
		}
	case roleGroup:
		// Only a mapping (--group) splits a problem into groups: a column
		// named "region" alone does not.
		if k != planKind {
			return []string{}
		}
	case roleUnit:
		// Found among Options.UnitColumns, with a layer of units.
		if k == accountsKind {
			return []string{}
		}
	}
	return nil
}

// keys lists the keys of Options.Columns that apply to k.
func (k kind) keys() string {
	var s []string
	for _, rk := range roleKeys {
		if k.aliases(rk.role) != nil {
			s = append(s, rk.key)
		}
	}
	return strings.Join(s, ", ")
}

// layout is where the columns of a table are, as the header says.
type layout struct {
	kind    kind
	columns *territory.Columns
	header  []string // as written, trimmed: columns.Names
	norm    []string // normalised; "" for a column without a name: columns.Norm
	cols    [numRoles]int
	space   territory.Space
	// located is set when the table has location columns (lat/lon or x/y).
	located bool
	// measures are the candidate measure columns, in header order.
	measures []*measureColumn
	// derived are Options.Derived bound to the header; nil without any.
	derived *derive.Binding
	// minFields is the fewest fields a row may have: up to the last named
	// column.
	minFields int
	format    format
}

// measureColumn collects the values of a column that may be a measure.
type measureColumn struct {
	index     int
	requested bool // asked for in Options.Measures: every cell must be numeric
	numeric   bool // every non-empty cell so far is a number
	nonEmpty  bool // some cell is not empty
	values    []float64
	// Once a cell is not a number, the column is text; the cells are
	// still counted, to warn about a column of numbers with a few cells
	// that are not (a typo that drops the column from the measures).
	numbers  int    // cells that are numbers
	texts    int    // non-empty cells that are not
	firstRow int    // the row of the first cell that is not a number
	first    string // and its text
	plainly  bool   // text: the cells are no longer counted
}

// mostlyNumbers reports whether a column that is not a measure because of
// some cells holds numbers in most of its non-empty cells: at least two
// numbers and more numbers than other cells.
func (m *measureColumn) mostlyNumbers() bool {
	return !m.numeric && !m.plainly && m.texts > 0 && m.numbers >= 2 && m.numbers > m.texts
}

// countText counts a cell of a text column, while the column may still be
// mostly numbers: once the text cells outnumber the numbers and are more
// than two, the column is plainly text and is no longer looked at.
func (m *measureColumn) countText(cell string, decimalComma bool) {
	if m.plainly {
		return
	}
	switch _, st := territory.ParseNumber(cell, decimalComma); st {
	case territory.NumberOK:
		m.numbers++
	case territory.NumberEmpty:
	default:
		m.texts++
		m.plainly = m.texts > max(2, m.numbers)
	}
}

// col returns the index of role r's column, or -1.
func (l *layout) col(r role) int { return l.cols[r] }

// name is the header name of column i, as written.
func (l *layout) name(i int) string { return l.header[i] }

// find returns the index of the column whose normalised name is n, or -1.
func (l *layout) find(n string) int { return l.columns.Find(n) }

// detect finds the columns of a table of kind k from its header row and
// the options. It reports every problem it finds to p and returns nil when
// the rows cannot be read (a required column is missing).
func detect(k kind, header []string, headerRow int, opt Options, f format, p *problems) *layout {
	names := make([]string, len(header))
	for i, h := range header {
		names[i] = cleanText(strings.TrimPrefix(h, "\ufeff"))
	}
	cols := territory.NewColumns("column", "no named columns", names)
	l := &layout{kind: k, columns: cols, header: cols.Names, norm: cols.Norm, format: f}
	for r := range l.cols {
		l.cols[r] = -1
	}
	for i, n := range l.norm {
		if n != "" {
			l.minFields = i + 1
		}
	}
	if l.minFields == 0 {
		p.Add(headerRow, "", "the header row has no column names (expected a name for every column)")
		return nil
	}
	for i, n := range l.norm {
		if j := cols.Find(n); j >= 0 && j < i {
			p.Addf(headerRow, l.header[i], "duplicate column name (same as column %s, %q)", colLetter(j), l.header[j])
		}
	}

	mapErrs := p.Len()
	var mapped [numRoles]bool // in Options.Columns: not detected
	for _, key := range slices.Sorted(maps.Keys(opt.Columns)) {
		r, ok := roleOf(territory.NormalizeName(key))
		if ok {
			// Asked for: never detected, even when the mapping fails.
			mapped[r] = true
		}
		switch {
		case !ok:
			p.Addf(0, "", "column mapping %q: unknown key (expected one of %s)", key, k.keys())
			continue
		case k.aliases(r) == nil:
			p.Addf(0, "", "column mapping %q: not a key for %s (expected one of %s)", key, strings.TrimPrefix(k.what(), "read "), k.keys())
			continue
		case r == roleUnit && opt.UnitColumns == nil:
			p.Addf(0, "", "column mapping %q: the unit column places accounts in a layer of units: give the layer (--units FILE)", key)
			continue
		}
		l.cols[r] = cols.Map(r.key(), opt.Columns[key], r.optional(), &p.InputErrors)
	}
	if p.Len() > mapErrs {
		return nil // a column mapping failed: detecting around it would mislead
	}
	geoMapped := mapped[roleLat] || mapped[roleLon]
	planarMapped := mapped[roleX] || mapped[roleY]
	if geoMapped && planarMapped {
		p.Add(0, "", "column mapping: map lat and lon, or x and y, not both")
		return nil
	}

	for r := range numRoles {
		switch {
		case mapped[r]:
			continue
		case geoMapped && (r == roleX || r == roleY), planarMapped && (r == roleLat || r == roleLon):
			continue
		}
		if r == roleUnit {
			if k == accountsKind {
				l.cols[r] = cols.Detect(opt.UnitColumns)
			}
			continue
		}
		l.cols[r] = cols.Detect(k.aliases(r))
	}

	hasLat, hasLon := l.cols[roleLat] >= 0, l.cols[roleLon] >= 0
	hasX, hasY := l.cols[roleX] >= 0, l.cols[roleY] >= 0
	unset := func(rs ...role) {
		for _, r := range rs {
			if i := l.cols[r]; i >= 0 {
				cols.Claimed[i] = false
				l.cols[r] = -1
			}
		}
	}
	fatal := false
	if l.cols[roleID] < 0 {
		if msg := l.idTaken(); msg != "" {
			p.Add(0, "", msg)
		} else {
			p.Addf(0, "", "no id column (expected one of %s; found %s)%s", territory.QuoteList(k.aliases(roleID), "or"), cols.Found(), l.headerHint())
		}
		fatal = true
	}
	switch {
	case hasLat && hasLon:
		l.space, l.located = territory.Geographic, true
		unset(roleX, roleY)
	case hasX && hasY:
		l.space, l.located = territory.Planar, true
		unset(roleLat, roleLon)
	case hasLat:
		p.Addf(0, l.name(l.cols[roleLat]), "latitude column without a longitude column (expected one of %s)", territory.QuoteList(lonNames, "or"))
		fatal = true
	case hasLon:
		p.Addf(0, l.name(l.cols[roleLon]), "longitude column without a latitude column (expected one of %s)", territory.QuoteList(latNames, "or"))
		fatal = true
	case hasX:
		p.Add(0, l.name(l.cols[roleX]), `no "y" column beside it (planar coordinates need both x and y)`)
		fatal = true
	case hasY:
		p.Add(0, l.name(l.cols[roleY]), `no "x" column beside it (planar coordinates need both x and y)`)
		fatal = true
	case k == accountsKind && l.cols[roleUnit] >= 0:
		// Every account is then placed by its unit.
	case k == accountsKind:
		p.Addf(0, "", "no location columns: expected latitude and longitude (%s; %s) or planar \"x\" and \"y\"; found %s%s",
			territory.QuoteList(latNames, "or"), territory.QuoteList(lonNames, "or"), cols.Found(), l.headerHint())
		fatal = true
	}
	if fatal {
		return nil
	}

	if k != accountsKind {
		return l
	}
	// Measures: every column not used for a role and not named like one,
	// plus the ones asked for by name.
	isAlias := make(map[string]bool)
	for r := range numRoles {
		for _, a := range k.aliases(r) {
			isAlias[a] = true
		}
	}
	holds := func(i int) []string {
		var what []string
		for r := range numRoles {
			if l.cols[r] == i {
				what = append(what, r.describe())
			}
		}
		return what
	}
	requested := opt.Measures
	if len(opt.Derived) > 0 {
		l.derived = derive.Bind(opt.Derived, cols, holds, &p.InputErrors)
		requested = l.derived.Requested(opt.Measures)
	}
	for _, m := range cols.Measures(func(n string) bool { return isAlias[n] }, requested, holds, &p.InputErrors) {
		l.measures = append(l.measures, &measureColumn{index: m.Col, requested: m.Requested, numeric: true})
	}
	return l
}

// idTaken explains a missing id column when a column named like one is
// mapped to other keys (--columns x=id,y=id); "" when none is.
func (l *layout) idTaken() string {
	for _, a := range l.kind.aliases(roleID) {
		i := l.find(a)
		if i < 0 || !l.columns.Claimed[i] {
			continue
		}
		var keys []string
		for _, rk := range roleKeys {
			if l.cols[rk.role] == i {
				keys = append(keys, rk.key)
			}
		}
		if len(keys) == 0 {
			continue
		}
		return fmt.Sprintf("no id column: column %q is mapped to %s, so it is not the id (map each key to a column of its own)",
			l.name(i), strings.Join(keys, " and "))
	}
	return ""
}

// headerHint adds a hint when no column of the header is known: the first
// row is probably data, or, when the header is one column holding ':',
// the file's delimiter is one that is not detected.
func (l *layout) headerHint() string {
	if len(l.header) == 1 && strings.Contains(l.header[0], ":") {
		return fmt.Sprintf(" (the header row is one column, %q: the delimiter may be ':', which is not read; "+
			"the delimiter must be ',', ';', tab or '|')", l.header[0])
	}
	for r := range numRoles {
		for _, a := range l.kind.aliases(r) {
			if l.find(a) >= 0 {
				return ""
			}
		}
	}
	return " (the first row must hold the column names)"
}

func roleOf(key string) (role, bool) {
	for _, rk := range roleKeys {
		if rk.key == key {
			return rk.role, true
		}
	}
	return 0, false
}

// checkEvery is how many rows a reader reads between two looks at its
// context: a million rows are read in about a second, so a cancelled read
// stops within a few milliseconds.
const checkEvery = 4096

// rows reads the data rows of a table: it skips blank rows, reports
// malformed rows and rows with the wrong number of fields, and returns the
// others. It stops when ctx ends.
type rows struct {
	ctx    context.Context
	src    rowSource
	l      *layout
	p      *problems
	quotes quoteWarnings
	seen   int   // data rows seen, malformed ones included
	read   int   // rows read from src, blank ones included
	done   bool  // at the end, or broken
	broken bool  // reading failed before the end
	err    error // ctx's error, when it ended reading
}

// next returns the next well-formed data row, or ok = false at the end.
// After it returns false, rs.err is not nil when ctx ended reading.
func (rs *rows) next() (fields []string, row int, ok bool) {
	for !rs.done {
		if rs.read++; rs.read%checkEvery == 0 {
			if err := rs.ctx.Err(); err != nil {
				rs.done, rs.broken, rs.err = true, true, err
				break
			}
		}
		fields, row, err := rs.src.Next()
		if err != nil {
			var pr *problem
			switch {
			case err == io.EOF:
				rs.done = true
			case errors.As(err, &pr):
				rs.seen++
				rs.p.Add(pr.row, "", pr.msg)
			default:
				rs.done, rs.broken = true, true
				rs.p.Add(0, "", "cannot read: "+err.Error())
			}
			continue
		}
		rs.quotes.warn(rs.src, rs.p, rs.column)
		if blank(fields) {
			continue
		}
		rs.seen++
		n, want := len(fields), len(rs.l.header)
		switch {
		case n < rs.l.minFields:
			if rs.l.minFields == want {
				rs.p.Addf(row, "", "expected %d fields, found %d", want, n)
			} else {
				rs.p.Addf(row, "", "expected at least %d fields, found %d", rs.l.minFields, n)
			}
			continue
		case n > want && !blank(fields[want:]):
			rs.p.Addf(row, "", "expected %d fields, found %d%s", want, n, rs.l.format.tooManyHint)
			continue
		}
		return fields, row, true
	}
	rs.quotes.finish(rs.p)
	return nil, 0, false
}

// column names field i of a row in messages: its header, or its letter
// when the header has no name for it.
func (rs *rows) column(i int) string {
	if i < len(rs.l.header) && rs.l.norm[i] != "" {
		return rs.l.name(i)
	}
	return colLetter(i)
}

// maxQuoteWarnings is how many fields holding a bare quote a reader warns
// about one by one before it only counts the rest.
const maxQuoteWarnings = 5

// quoteSource is a row source that reads fields holding a bare quote as
// written (CSV).
type quoteSource interface {
	bareQuotes() []bareQuote
}

// quoteWarnings warns about the fields that are not quoted but hold a '"',
// which are read as written: one by one up to maxQuoteWarnings, then a
// count of the rest when finished.
type quoteWarnings struct {
	n int // fields found
}

// warn warns about the fields with a bare quote of the row src returned
// last; column names a field by its index.
func (q *quoteWarnings) warn(src rowSource, p *problems, column func(int) string) {
	qs, ok := src.(quoteSource)
	if !ok {
		return
	}
	for _, b := range qs.bareQuotes() {
		if q.n++; q.n > maxQuoteWarnings {
			continue
		}
		p.warn(b.line, column(b.field), bareQuoteMsg(b.value))
	}
}

// finish warns about the fields that were not warned about one by one.
func (q *quoteWarnings) finish(p *problems) {
	if more := q.n - maxQuoteWarnings; more > 0 {
		p.warn(0, "", fmt.Sprintf(`%d more %s not quoted but %s a '"', read as written`,
			more, plural(more, "field is", "fields are"), plural(more, "holds", "hold")))
		q.n = maxQuoteWarnings
	}
}

// bareQuoteMsg says that a field holding a bare quote is read as written.
func bareQuoteMsg(value string) string {
	return fmt.Sprintf(`the field %s is not quoted but holds a '"': read as written `+
		`(to be sure, quote the whole field and double the quotes inside it: "a ""b"" c")`, value)
}

// readHeader returns the first non-blank row of src.
func readHeader(src rowSource, p *problems, empty string) (header []string, row int, ok bool) {
	for {
		fields, row, err := src.Next()
		if err != nil {
			var pr *problem
			switch {
			case err == io.EOF:
				p.Add(0, "", empty)
			case errors.As(err, &pr):
				p.Add(pr.row, "", "header row: "+pr.msg)
			default:
				p.Add(0, "", "cannot read: "+err.Error())
			}
			return nil, 0, false
		}
		if blank(fields) {
			continue
		}
		header = make([]string, len(fields))
		for i, f := range fields {
			header[i] = strings.Clone(f)
		}
		if qs, ok := src.(quoteSource); ok {
			for _, b := range qs.bareQuotes() {
				p.warn(b.line, colLetter(b.field), bareQuoteMsg(b.value))
			}
		}
		return header, row, true
	}
}

// blank reports whether every field is empty or white space.
func blank(fields []string) bool {
	for _, f := range fields {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// problems collects the problems of one input (see territory.InputErrors)
// and passes its warnings on.
type problems struct {
	territory.InputErrors
	warnFn func(*territory.InputError) // Options.Warn; nil drops warnings
}

// warn passes a warning to Options.Warn.
func (p *problems) warn(row int, column, msg string) {
	if p.warnFn != nil {
		p.warnFn(p.problem(row, column, msg))
	}
}

func newProblems(k kind, file string) *problems {
	return &problems{InputErrors: territory.InputErrors{What: k.what(), File: file}}
}

// problem makes a problem without adding it.
func (p *problems) problem(row int, column, msg string) *territory.InputError {
	return &territory.InputError{What: p.What, File: p.File, Row: row, Column: column, Msg: msg}
}

// cleanText trims a text cell. A cell that is not valid UTF-8 is taken to
// be Windows-1252 (what Excel writes for "CSV (Comma delimited)" on
// Windows) and converted.
func cleanText(s string) string {
	s = strings.TrimSpace(s)
	if !utf8.ValidString(s) {
		if t, err := charmap.Windows1252.NewDecoder().String(s); err == nil {
			s = t
		} else {
			s = strings.ToValidUTF8(s, "\uFFFD")
		}
		// A decoded byte may be a space ("\xa0" is U+00A0), which would
		// leave an id that keepText trims to "".
		s = strings.TrimSpace(s)
	}
	return s
}

// keepText is cleanText for a value that is kept: it does not share memory
// with the row it came from.
func keepText(s string) string {
	t := strings.TrimSpace(s)
	if utf8.ValidString(t) {
		return strings.Clone(t)
	}
	return cleanText(t)
}

// numberMsg says what is wrong with a cell that parseNumber refused.
func numberMsg(cell string, st territory.NumberState) string {
	cell = cleanText(cell)
	if st == territory.NumberNotFinite {
		return fmt.Sprintf("invalid number %q (expected a finite number)", cell)
	}
	if strings.HasPrefix(cell, "#") {
		return fmt.Sprintf("invalid number %q (a spreadsheet error value)", cell)
	}
	return fmt.Sprintf("invalid number %q", cell)
}

// formatValue writes a number in messages.
func formatValue(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// colLetter is the spreadsheet letter of column i (0 -> A, 26 -> AA).
func colLetter(i int) string {
	var b []byte
	for i++; i > 0; i = (i - 1) / 26 {
		b = append(b, byte('A'+(i-1)%26))
	}
	slices.Reverse(b)
	return string(b)
}
