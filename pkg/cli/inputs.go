package cli

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/territory-optimizer/territory/pkg/demo"
	"github.com/territory-optimizer/territory/pkg/derive"
	"github.com/territory-optimizer/territory/pkg/features"
	"github.com/territory-optimizer/territory/pkg/scenario"
	"github.com/territory-optimizer/territory/pkg/tabular"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// Input formats, as the readers are chosen: by the file's name, then by
// its first bytes.
const (
	formatCSV     = "csv"
	formatXLSX    = "xlsx"
	formatGeoJSON = "geojson"
	formatDemo    = "demo" // the embedded demo's CSV
)

// stdinName names standard input in messages.
const stdinName = "stdin"

// loaded is what loadProblem read and built: the problem and where its
// parts came from.
type loaded struct {
	problem  *territory.Problem // nil when there are errors
	accounts inputInfo
	reps     *inputInfo // nil when the territories come from -k

	// What was read, for validate's listing: set when the file read
	// without error.
	accountsRead bool
	accts        territory.Accounts
	space        territory.Space
	units        *features.Units
	// layer is the layer of units read with --units (nil without one, or
	// when it could not be read), and unitOf the unit of every account.
	layer     *features.Layer
	unitsInfo *inputInfo
	unitOf    []int
	repsRead  bool
	repList   []territory.Rep
	rules     []territory.BalanceRule
}

// inputInfo says what one input file was and what was found in it.
type inputInfo struct {
	Name   string `json:"file"`   // as given; "demo" for the embedded demo
	Format string `json:"format"` // csv, xlsx, geojson or demo
}

// loadProblem reads the inputs that s names, builds the problem and
// checks everything that can be checked without solving: what the
// readers check in every cell, what territory.Problem.Validate checks,
// that every owner is among the reps, and the settings this version cannot
// honour. It returns every problem found, errors and warnings (accounts at
// 0,0, a measure that is 0 everywhere, accounts sharing a location, ...).
// `territory solve` and `territory validate` both load through it, so that
// they read the same and say the same.
//
// needTerritories is false for validate, which may check accounts alone:
// with neither reps nor -k the problem gets one placeholder territory.
// The error, when not nil, is a usage error (-k that disagrees with the
// reps or exceeds the accounts), or ctx's error when it ended the reading;
// problems in the inputs are in the list. The problem is nil when the list
// has errors.
//
// It returns as soon as ctx ends: the readers look at ctx every few
// thousand rows, and the checks after them run as interruptible does.
func loadProblem(ctx context.Context, env Env, s scenario.Settings, sc *scenario.Scenario, config string, needTerritories bool) (*loaded, *problemList, error) {
	var l *loaded
	var probs *problemList
	err := interruptible(ctx, func() (err error) {
		l, probs, err = readProblem(ctx, env, s, sc, config, needTerritories)
		return err
	})
	return l, probs, err
}

// readProblem is loadProblem, run to the end.
func readProblem(ctx context.Context, env Env, s scenario.Settings, sc *scenario.Scenario, config string, needTerritories bool) (*loaded, *problemList, error) {
	probs := &problemList{}

	rules := s.Balance
	if s.Demo && len(rules) == 0 {
		var err error
		if rules, err = demoRules(); err != nil {
			return nil, nil, err
		}
	}
	// The weight is read as the rules' measures are: every cell a number,
	// or an error naming its row.
	measures := ruleMeasures(rules)
	if s.Weight != "" && !slices.Contains(measures, s.Weight) {
		measures = append(measures, s.Weight)
	}
	l := &loaded{rules: rules}
	if s.Group != "" {
		// Both files carry the group column.
		if !s.Demo && s.RepsFile == "" {
			return nil, nil, usageErrorf("--group %s: the reps carry the groups too: give --reps FILE", s.Group)
		}
		s.AccountColumns = mergeMaps(s.AccountColumns, groupColumn(s.Group))
		s.RepColumns = mergeMaps(s.RepColumns, groupColumn(s.Group))
	}

	// The layer of units first: the accounts' unit column may be named
	// like its ids. Every input is read even when one fails, so that every
	// problem in any of them is reported at once.
	if s.UnitsFile != "" {
		in := readInput{env: env, path: s.UnitsFile, probs: probs}
		layer, info, err := in.layer(ctx, s.UnitID)
		l.unitsInfo = &info
		if isCancel(err) {
			return nil, nil, err
		}
		if err != nil {
			probs.addErr(err)
		} else {
			l.layer = layer
		}
	}
	unitColumns := unitColumnNames(s.UnitsFile != "", l.layer)

	var (
		accounts territory.Accounts
		space    territory.Space
		reps     []territory.Rep
		repSpace territory.Space
	)
	if s.Demo {
		l.accounts = inputInfo{Name: "demo", Format: formatDemo}
		l.reps = &inputInfo{Name: "demo", Format: formatDemo}
		// The demo's columns are known: only a group and a unit column
		// are mapped.
		cols := groupColumn(s.Group)
		if name, ok := s.AccountColumns["unit"]; ok {
			cols = mergeMaps(cols, map[string]string{"unit": name})
		}
		topt := tabular.Options{Measures: measures, Columns: cols, Derived: s.Measures, UnitColumns: unitColumns}
		a, sp, err := tabular.ReadAccounts(bytes.NewReader(demo.AccountsCSV()), demo.AccountsFile, topt)
		if err != nil {
			return nil, nil, fmt.Errorf("demo: %w", err)
		}
		r, rs, err := tabular.ReadReps(bytes.NewReader(demo.RepsCSV()), demo.RepsFile, tabular.Options{Columns: groupColumn(s.Group)})
		if err != nil {
			return nil, nil, fmt.Errorf("demo: %w", err)
		}
		accounts, space, reps, repSpace = a, sp, r, rs
		l.accountsRead, l.repsRead = true, true
	} else {
		in := readInput{env: env, path: s.AccountsFile, sheet: s.AccountsSheet, columns: s.AccountColumns, measures: measures,
			derived: s.Measures, unitColumns: unitColumns, probs: probs}
		a, sp, units, info, err := in.accounts(ctx)
		l.accounts = info
		if isCancel(err) {
			return nil, nil, err
		}
		if err != nil {
			probs.addErr(err)
		} else {
			accounts, space, l.units, l.accountsRead = a, sp, units, true
		}
		if s.RepsFile != "" {
			in := readInput{env: env, path: s.RepsFile, sheet: s.RepsSheet, columns: s.RepColumns, probs: probs}
			r, rs, info, err := in.reps(ctx)
			l.reps = &info
			if isCancel(err) {
				return nil, nil, err
			}
			if err != nil {
				probs.addErr(err)
			} else {
				reps, repSpace, l.repsRead = r, rs, true
			}
		}
	}
	if s.UnitsFile != "" && l.layer == nil {
		// Accounts placed by their unit ids have no location to check.
		l.accts, l.space, l.repList = accounts, space, reps
		return l, probs, nil
	}
	if l.layer != nil && l.accountsRead {
		if l.units != nil {
			probs.addErr(&territory.InputError{What: "read accounts", File: l.accounts.Name,
				Msg: "the accounts are polygon units themselves: with --units, give the accounts as points, or with the ids of their units"})
			l.accountsRead = false
		} else if of, err := l.layer.Place(&accounts, space, accounts.UnitColumn, probs.warn); err != nil {
			probs.addErr(err)
			l.accountsRead = false
		} else {
			l.unitOf = of
			// Every account's unit, however it was placed, for the
			// unit_id column of assignments.csv.
			accounts.Units = make([]string, len(of))
			for i, j := range of {
				accounts.Units[i] = l.layer.IDs[j]
			}
			space = territory.Geographic // the layer's: accounts placed by id alone may have had none
		}
	}
	l.accts, l.space, l.repList = accounts, space, reps
	if l.accountsRead {
		warnAccounts(&accounts, space, rules, probs)
	}
	if !l.accountsRead || (l.reps != nil && !l.repsRead) {
		return l, probs, nil
	}
	if reps != nil && anyHome(reps) && repSpace != space {
		probs.addErr(&territory.InputError{What: "read reps", File: l.reps.Name,
			Msg: fmt.Sprintf("rep homes are %s (%s) but the accounts are %s (%s): give both files the same kind of coordinates",
				repSpace, coordNames(repSpace), space, coordNames(space))})
		return l, probs, nil
	}

	p, err := buildProblem(s, accounts, space, reps, rules, l.reps)
	if err != nil {
		return nil, nil, err
	}
	if l.units != nil {
		p.Adjacency = l.units.Adjacency
	}
	if l.layer != nil {
		if err := checkUnitSettings(s, p); err != nil {
			return nil, nil, err
		}
	}
	if p.K() == 0 {
		if needTerritories {
			return nil, nil, usageErrorf("no territories: give --reps FILE, or -k N to make N territories")
		}
		// validate without reps or -k: check the accounts against one
		// placeholder territory, and leave the locks, which need reps, to
		// a run with them.
		p.Reps = []territory.Rep{{ID: "T1", Capacity: 1}}
		p.Accounts.Locked = nil
	}
	probs.addErr(p.Validate())
	if l.reps != nil {
		probs.addErr(checkOwners(&p.Accounts, p.Reps, l.reps.Name))
	} else if hasOwners(&p.Accounts) {
		probs.warn(&territory.InputError{What: "accounts", File: p.Accounts.Source,
			Msg: "the accounts have owners but there are no reps to match them with (give --reps): the owners are ignored"})
	}
	if s.MaxMoves.Limited || s.Stickiness > 0 {
		checkDisruption(s, p, l.reps != nil, probs)
	}
	if errs, _ := probs.counts(); errs == 0 {
		l.problem = p
	}
	return l, probs, nil
}

// checkDisruption checks that the settings that count changes of owner
// have owners to count them from (the accounts', unless a plan file gives
// today's plan): a limit on moves without any is an error, stickiness
// without any a warning.
func checkDisruption(s scenario.Settings, p *territory.Problem, haveReps bool, probs *problemList) {
	if s.PlanFile != "" {
		return // the plan file is today's plan: its territories are the owners
	}
	var why string
	switch {
	case !hasOwners(&p.Accounts):
		why = "the accounts have no owners: add a column of today's rep id (owner, rep, current_rep, territory)"
	case !haveReps:
		why = "the owners cannot be matched without reps: give --reps"
	default:
		return // owners not among the reps are errors of their own
	}
	e := &territory.InputError{What: "accounts", File: p.Accounts.Source}
	if s.MaxMoves.Limited {
		e.Msg = fmt.Sprintf("a limit on moves (max-moves %s) counts accounts that change owner, but %s", s.MaxMoves, why)
		probs.addErr(e)
		return
	}
	e.Msg = "stickiness keeps accounts with their owners, but " + why
	probs.warn(e)
}

// checkUnitSettings refuses the settings that plans made of units do not
// support yet.
func checkUnitSettings(s scenario.Settings, p *territory.Problem) error {
	switch {
	case s.Group != "":
		return usageErrorf("--units with --group: grouped plans made of units are not supported yet")
	case s.Territories == scenario.TerritoriesAuto:
		return usageErrorf("--units with -k auto: sizing plans made of units is not supported yet; give -k N")
	case s.MaxMoves.Limited:
		return usageErrorf("--units with --max-moves: a cap on moves is not supported with units yet")
	case slices.Contains(p.Accounts.Locked, true):
		return usageErrorf("--units with locked accounts: locks are not supported with units yet (--columns locked= ignores them)")
	case s.FixFile != "":
		return usageErrorf("--units with --fix: edits of plans made of units are not supported yet")
	}
	return nil
}

// unitColumnNames lists the names the accounts' unit column may have when
// a layer is read (with is set): unit_id, unit, and the names of the
// layer's properties that hold its ids (features.Layer.IDColumns), but
// those the accounts' own id goes by. nil without a layer.
func unitColumnNames(with bool, layer *features.Layer) []string {
	if !with {
		return nil
	}
	names := []string{"unit_id", "unit"}
	if layer == nil {
		return names
	}
	for _, c := range layer.IDColumns {
		n := territory.NormalizeName(c)
		if !slices.Contains([]string{"id", "account_id", "account", "rep_id", "name"}, n) && !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	return names
}

// readInput reads one input file, accounts or reps, in whatever format it
// is.
type readInput struct {
	env         Env
	path        string // "-" reads env.In
	sheet       string
	columns     map[string]string
	measures    []string
	derived     []*derive.Measure // accounts only
	unitColumns []string          // accounts only: the names of a unit column, with a layer
	probs       *problemList      // takes the warnings about the file itself
}

// layer reads a layer of units (GeoJSON polygons) whose ids are in
// property id ("" finds it). Reading stops when ctx ends. Whatever its
// name, a file is read as GeoJSON, except a ZIP archive or a .shp file,
// which are shapefiles, not read yet.
func (in *readInput) layer(ctx context.Context, id string) (*features.Layer, inputInfo, error) {
	const what = "read units"
	name := in.path
	var r io.Reader
	if in.path == "-" {
		name, r = stdinName, in.env.In
	} else {
		f, err := os.Open(in.path)
		if err != nil {
			msg := "cannot open: " + err.Error()
			var pe *fs.PathError
			switch {
			case errors.Is(err, fs.ErrNotExist):
				msg = "no such file"
			case errors.As(err, &pe):
				msg = "cannot open: " + pe.Err.Error()
			}
			return nil, inputInfo{Name: name, Format: formatGeoJSON}, &territory.InputError{What: what, File: name, Msg: msg}
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil && st.IsDir() {
			return nil, inputInfo{Name: name, Format: formatGeoJSON}, &territory.InputError{What: what, File: name, Msg: "is a directory, not a GeoJSON file"}
		}
		r = f
	}
	br := bufio.NewReader(r)
	head, _ := br.Peek(4)
	info := inputInfo{Name: name, Format: formatGeoJSON}
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) || strings.EqualFold(filepath.Ext(in.path), ".shp") {
		return nil, info, &territory.InputError{What: what, File: name,
			Msg: "a shapefile (or a ZIP archive): shapefiles are not read yet; convert the layer to GeoJSON (ogr2ogr -f GeoJSON units.geojson units.shp, or mapshaper units.shp -o format=geojson)"}
	}
	layer, err := features.ReadUnits(ctx, br, name, features.LayerOptions{ID: id, Warn: in.probs.warn})
	return layer, info, err
}

// open opens the input, once, and judges its format from its first bytes
// and its name, once: it returns the file (nil for standard input), a
// reader positioned at its start, and its format, and for a table file
// what tabular.Sniff made of it. A file that cannot be opened is left to
// the tabular reader, which says why; the reader is then nil.
func (in *readInput) open(what string) (f *os.File, r io.Reader, name, format string, table tabular.FileFormat, closeFn func()) {
	name = in.path
	closeFn = func() {}
	var head []byte
	if in.path == "-" {
		name = stdinName
		br := bufio.NewReaderSize(in.env.In, 64<<10)
		head, _ = br.Peek(512)
		r = br
	} else {
		var err error
		f, err = os.Open(in.path)
		if err != nil {
			return nil, nil, name, formatCSV, tabular.CSVFile, closeFn
		}
		if st, err := f.Stat(); err != nil || st.IsDir() {
			f.Close()
			return nil, nil, name, formatCSV, tabular.CSVFile, closeFn
		}
		head = make([]byte, 512)
		n, _ := f.ReadAt(head, 0)
		head = head[:n]
		r, closeFn = f, func() { f.Close() }
	}
	format, mismatch := sniffFormat(in.path, head)
	if mismatch != "" {
		in.probs.warn(&territory.InputError{What: what, File: name, Msg: mismatch})
	}
	if in.sheet != "" && format != formatXLSX {
		in.probs.warn(&territory.InputError{What: what, File: name,
			Msg: fmt.Sprintf("sheet %q is ignored: the file is %s, not an XLSX workbook", in.sheet, formatName(format))})
	}
	return f, r, name, format, tabular.Sniff(in.path, head), closeFn
}

// sniffFormat says how to read a file: by its content when that is
// unmistakable (a ZIP archive is an XLSX workbook, text that starts with
// '{' or '[' is GeoJSON), else by its name (.xlsx, .geojson, .json), else
// as CSV. mismatch, when not empty, says that the name says otherwise.
// Which table format a file is, tabular.Sniff decides.
func sniffFormat(path string, head []byte) (format, mismatch string) {
	ext := strings.ToLower(filepath.Ext(path))
	if path == "-" {
		ext = ""
	}
	text := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF")), " \t\r\n")
	isZip := tabular.Sniff("", head) == tabular.XLSXFile // by content alone
	isJSON := bytes.HasPrefix(text, []byte("{")) || bytes.HasPrefix(text, []byte("["))
	named := func(f string) string {
		return fmt.Sprintf("the file is %s although its name ends in %s: read as %s", formatArticle(f), ext, formatName(f))
	}
	switch {
	case isZip:
		if ext != "" && ext != ".xlsx" && ext != ".xlsm" {
			return formatXLSX, named(formatXLSX)
		}
		return formatXLSX, ""
	case ext == ".xlsx" || ext == ".xlsm":
		return formatXLSX, "" // the tabular reader says what it is instead
	case ext == ".geojson" || ext == ".json":
		return formatGeoJSON, ""
	case isJSON:
		if ext == ".csv" || ext == ".tsv" || ext == ".txt" {
			return formatGeoJSON, named(formatGeoJSON)
		}
		return formatGeoJSON, ""
	}
	return formatCSV, ""
}

func formatName(f string) string {
	switch f {
	case formatXLSX:
		return "XLSX"
	case formatGeoJSON:
		return "GeoJSON"
	}
	return "CSV"
}

func formatArticle(f string) string {
	switch f {
	case formatXLSX:
		return "an XLSX workbook (a ZIP archive)"
	case formatGeoJSON:
		return "JSON"
	}
	return "CSV text"
}

// accounts reads the accounts: GeoJSON points or polygon units through
// package features, CSV and XLSX through package tabular. Reading stops
// when ctx ends.
func (in *readInput) accounts(ctx context.Context) (territory.Accounts, territory.Space, *features.Units, inputInfo, error) {
	f, r, name, format, table, closeFn := in.open("read accounts")
	defer closeFn()
	info := inputInfo{Name: name, Format: format}
	if format == formatGeoJSON {
		a, units, err := features.ReadAccountsContext(ctx, r, name, features.Options{Columns: in.columns, Measures: in.measures,
			Derived: in.derived, UnitColumns: in.unitColumns, Warn: in.probs.warn})
		return a, territory.Geographic, units, info, err
	}
	topt := tabular.Options{Columns: in.columns, Measures: in.measures, Derived: in.derived, UnitColumns: in.unitColumns,
		Sheet: in.sheet, Warn: in.probs.warn}
	var a territory.Accounts
	var sp territory.Space
	var err error
	switch {
	case in.path == "-":
		a, sp, err = tabular.ReadAccountsContext(ctx, r, name, topt)
	case f != nil:
		a, sp, err = tabular.ReadAccountsFromFile(ctx, f, table, topt)
	default: // it could not be opened: the reader says why
		a, sp, err = tabular.ReadAccountsFileContext(ctx, in.path, topt)
	}
	return a, sp, nil, info, err
}

// reps reads the reps: GeoJSON points through package features, CSV and
// XLSX through package tabular. Reading stops when ctx ends.
func (in *readInput) reps(ctx context.Context) ([]territory.Rep, territory.Space, inputInfo, error) {
	f, r, name, format, table, closeFn := in.open("read reps")
	defer closeFn()
	info := inputInfo{Name: name, Format: format}
	if format == formatGeoJSON {
		reps, err := features.ReadRepsContext(ctx, r, name, features.Options{Columns: in.columns, Warn: in.probs.warn})
		return reps, territory.Geographic, info, err
	}
	topt := tabular.Options{Columns: in.columns, Sheet: in.sheet, Warn: in.probs.warn}
	var reps []territory.Rep
	var sp territory.Space
	var err error
	switch {
	case in.path == "-":
		reps, sp, err = tabular.ReadRepsContext(ctx, r, name, topt)
	case f != nil:
		reps, sp, err = tabular.ReadRepsFromFile(ctx, f, table, topt)
	default: // it could not be opened: the reader says why
		reps, sp, err = tabular.ReadRepsFileContext(ctx, in.path, topt)
	}
	return reps, sp, info, err
}

// mergeMaps returns a new map with the entries of a, then of b.
func mergeMaps(a, b map[string]string) map[string]string {
	m := make(map[string]string, len(a)+len(b))
	maps.Copy(m, a)
	maps.Copy(m, b)
	return m
}

// groupColumn maps the group key to column: the mapping that --group adds
// to both inputs; nil without a group.
func groupColumn(column string) map[string]string {
	if column == "" {
		return nil
	}
	return map[string]string{"group": column}
}

// isCancel reports whether err is a context's error: the run was
// interrupted (or timed out), which is no problem of the input.
func isCancel(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// buildProblem puts the problem together: the territories from the reps or
// -k, and the objective, its weight and the centre (by default home when
// every rep has one, else mean).
func buildProblem(s scenario.Settings, accounts territory.Accounts, space territory.Space, reps []territory.Rep,
	rules []territory.BalanceRule, repsInfo *inputInfo) (*territory.Problem, error) {
	p := &territory.Problem{
		Space:    space,
		Accounts: accounts,
		Rules:    rules,
	}
	n := accounts.Len()
	switch {
	case s.Territories == scenario.TerritoriesAuto:
		// Sized by the run (solve -k auto): one placeholder territory
		// until then; the demo's reps are left out.
		if s.RepsFile != "" {
			return nil, usageErrorf("-k auto finds the number of reps: give no --reps")
		}
		p.Reps = []territory.Rep{{ID: "T1", Capacity: 1}}
	case repsInfo != nil:
		if s.Territories > 0 && s.Territories != len(reps) {
			return nil, usageErrorf("-k %d does not match the %d reps in %s: leave out -k, or give one rep per territory",
				s.Territories, len(reps), repsInfo.Name)
		}
		p.Reps = reps
	default:
		p.Reps = make([]territory.Rep, s.Territories)
		for k := range p.Reps {
			p.Reps[k] = territory.Rep{ID: p.TerritoryID(k), Capacity: 1}
		}
	}
	if s.Territories > n && n > 0 {
		return nil, usageErrorf("-k %d is more than the %d accounts: every territory needs at least one account", s.Territories, n)
	}

	p.Objective = territory.SSE
	if s.Objective != "" {
		o, err := territory.ParseObjective(s.Objective)
		if err != nil {
			return nil, usageErrorf("--objective: %w", err)
		}
		p.Objective = o
	}
	p.Weight = s.Weight
	p.GroupColumn = s.Group
	p.Center = territory.CenterMean
	if s.Center != "" {
		c, err := territory.ParseCenter(s.Center)
		if err != nil {
			return nil, usageErrorf("--center: %w", err)
		}
		p.Center = c
	} else if allHomes(p.Reps) {
		p.Center = territory.CenterHome
	}
	return p, nil
}

// checkOwners checks that every account's owner is one of the reps, and
// names the row of each that is not. Those of locked accounts are left to
// territory.Problem.Validate, which checks them with the lock.
func checkOwners(a *territory.Accounts, reps []territory.Rep, repsName string) error {
	if a.Owners == nil {
		return nil
	}
	ids := make(map[string]bool, len(reps))
	byName := make(map[string]string, len(reps))
	for _, r := range reps {
		ids[r.ID] = true
		if r.Name != "" {
			byName[r.Name] = r.ID
		}
	}
	errs := &territory.InputErrors{What: "accounts", File: a.Source}
	for i, o := range a.Owners {
		if o == "" || ids[o] || (i < len(a.Locked) && a.Locked[i]) {
			continue // a locked account's owner is checked with the lock
		}
		hint := ""
		if id, ok := byName[o]; ok {
			hint = fmt.Sprintf(" (it is the name of rep %q: owners are rep ids)", id)
		}
		errs.Addf(rowOf(a, i), "", "owner %q is not among the reps in %q%s", o, repsName, hint)
	}
	return errs.Err()
}

// warnAccounts adds warnings about accounts that read without error but
// look wrong: at exactly 0,0 (a missing location, usually), measures that
// are 0 for every account, and accounts sharing a location.
func warnAccounts(a *territory.Accounts, space territory.Space, rules []territory.BalanceRule, probs *problemList) {
	n := a.Len()
	if space == territory.Geographic {
		listed := 0
		zero := 0
		for i, pt := range a.Locs {
			if pt.X != 0 || pt.Y != 0 {
				continue
			}
			zero++
			if listed < territory.MaxListed {
				listed++
				probs.warn(&territory.InputError{What: "accounts", File: a.Source, Row: rowOf(a, i),
					Msg: "location is exactly 0,0 (latitude 0, longitude 0, in the Gulf of Guinea): usually a missing location"})
			}
		}
		if zero > listed {
			probs.list = append(probs.list, problem{Severity: severityWarning, File: a.Source, more: zero - listed,
				Message: fmt.Sprintf("%d more accounts at 0,0 not shown", zero-listed),
				Text:    (&territory.InputError{What: "accounts", File: a.Source, Msg: fmt.Sprintf("%d more accounts at 0,0 not shown", zero-listed)}).Error()})
		}
	}
	for _, m := range a.Measures {
		if n == 0 || slices.ContainsFunc(m.Values, func(v float64) bool { return v != 0 }) {
			continue
		}
		msg := fmt.Sprintf("measure %q is 0 for every account", m.Name)
		if slices.ContainsFunc(rules, func(r territory.BalanceRule) bool { return r.Measure == m.Name }) {
			msg += ": its balance rule holds whatever the plan"
		}
		probs.warn(&territory.InputError{What: "accounts", File: a.Source, Column: m.Column, Msg: msg})
	}
	if shared, first, second := sharedLocations(a); shared > 0 {
		probs.warn(&territory.InputError{What: "accounts", File: a.Source,
			Msg: fmt.Sprintf("%d %s share a location with another account (the first: %s and %s): duplicate records, or locations found only to a town or ZIP code?",
				shared, plural(shared, "account", "accounts"), rowName(a, first), rowName(a, second))})
	}
}

// sharedLocations counts the accounts whose location another account has
// too, and returns the first two accounts (in file order) found to share
// one. Hashes of the locations are sorted first, so that only locations
// whose hash repeats go into a map: a million accounts take a few tens of
// milliseconds.
func sharedLocations(a *territory.Accounts) (count, first, second int) {
	first, second = -1, -1
	hash := func(p territory.Point) uint64 {
		x, y := p.X+0, p.Y+0 // -0 is 0
		h := math.Float64bits(x)*0x9E3779B97F4A7C15 ^ math.Float64bits(y)
		h ^= h >> 31
		h *= 0xBF58476D1CE4E5B9
		return h ^ h>>29
	}
	hashes := make([]uint64, a.Len())
	for i, p := range a.Locs {
		hashes[i] = hash(p)
	}
	sorted := slices.Clone(hashes)
	slices.Sort(sorted)
	repeated := make(map[uint64]bool)
	for i := 1; i < len(sorted); i++ {
		if sorted[i] == sorted[i-1] {
			repeated[sorted[i]] = true
		}
	}
	if len(repeated) == 0 {
		return 0, first, second
	}
	firstAt := make(map[territory.Point]int)
	counted := make(map[territory.Point]bool)
	for i, p := range a.Locs {
		if !repeated[hashes[i]] {
			continue
		}
		p.X, p.Y = p.X+0, p.Y+0
		f, seen := firstAt[p]
		if !seen {
			firstAt[p] = i
			continue
		}
		count++
		if !counted[p] {
			counted[p] = true
			count++
		}
		if first < 0 {
			first, second = f, i
		}
	}
	return count, first, second
}

// rowName cites account i: "row 12", or "account 12" without rows.
func rowName(a *territory.Accounts, i int) string {
	if r := rowOf(a, i); r > 0 {
		return "row " + strconv.Itoa(r)
	}
	return "account " + strconv.Itoa(i+1)
}

// rowOf is account i's row in its source, 0 when unknown.
func rowOf(a *territory.Accounts, i int) int {
	if i < len(a.Rows) {
		return a.Rows[i]
	}
	return 0
}

func countTrue(bs []bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

func hasOwners(a *territory.Accounts) bool {
	return slices.ContainsFunc(a.Owners, func(o string) bool { return o != "" })
}

// anyHome reports whether some rep has a home.
func anyHome(reps []territory.Rep) bool {
	return slices.ContainsFunc(reps, func(r territory.Rep) bool { return r.HasHome })
}

// allHomes reports whether there are reps and every one has a home.
func allHomes(reps []territory.Rep) bool {
	for _, r := range reps {
		if !r.HasHome {
			return false
		}
	}
	return len(reps) > 0
}

func coordNames(s territory.Space) string {
	if s == territory.Planar {
		return "x/y"
	}
	return "lat/lon"
}

// ruleMeasures lists the measures the rules balance, for the readers.
func ruleMeasures(rules []territory.BalanceRule) []string {
	var names []string
	for _, r := range rules {
		names = append(names, r.Measure)
	}
	return names
}
