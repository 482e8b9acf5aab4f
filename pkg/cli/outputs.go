package cli

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/paulmach/orb"

	"github.com/territory-optimizer/territory/pkg/features"
	"github.com/territory-optimizer/territory/pkg/render"
	"github.com/territory-optimizer/territory/pkg/report"
	"github.com/territory-optimizer/territory/pkg/scenario"
	"github.com/territory-optimizer/territory/pkg/tabular"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// Output formats (scenario.Formats) and the files each writes.
const (
	formatOutCSV     = "csv"     // assignments.csv, territories.csv
	formatOutJSON    = "json"    // summary.json
	formatOutXLSX    = "xlsx"    // report.xlsx
	formatOutMD      = "md"      // report.md
	formatOutGeoJSON = "geojson" // territories.geojson
	formatOutSVG     = "svg"     // map.svg
	formatOutHTML    = "html"    // map.html
)

// Output files beyond those solve.go names (assignments.csv,
// territories.csv, summary.json).
const (
	reportXLSXFile     = "report.xlsx"
	reportMDFile       = "report.md"
	territoriesGeoJSON = "territories.geojson"
	mapSVGFile         = "map.svg"
	mapHTMLFile        = "map.html"
)

// formatFiles lists the files of every output format, in the order they
// are written.
var formatFiles = []struct {
	format string
	files  []string
}{
	{formatOutCSV, []string{assignmentsFile, territoriesFile}},
	{formatOutJSON, []string{summaryFile}},
	{formatOutXLSX, []string{reportXLSXFile}},
	{formatOutMD, []string{reportMDFile}},
	{formatOutGeoJSON, []string{territoriesGeoJSON}},
	{formatOutSVG, []string{mapSVGFile}},
	{formatOutHTML, []string{mapHTMLFile}},
}

// mapFormats are the formats `territory render` writes.
var mapFormats = []string{formatOutSVG, formatOutHTML}

// filesOf lists the file names the formats write, in writing order.
func filesOf(formats []string) []string {
	var names []string
	for _, ff := range formatFiles {
		if slices.Contains(formats, ff.format) {
			names = append(names, ff.files...)
		}
	}
	return names
}

// formatsHelp describes --formats and the files of each format, for the
// long help of the commands that write them.
func formatsHelp(formats []string) string {
	var b strings.Builder
	for _, ff := range formatFiles {
		if slices.Contains(formats, ff.format) {
			fmt.Fprintf(&b, "  %-8s %s\n", ff.format, strings.Join(ff.files, ", "))
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// runResult is what a run writes: the problem, its plan and the plan's
// metrics, the settings to record, the polygon units when the accounts
// are units (nil for points), and what the maps draw under the
// territories.
type runResult struct {
	problem *territory.Problem
	plan    *territory.Plan
	metrics *report.Metrics
	run     report.Run
	units   *features.Units
	// layer is the layer of units the plan is made of (--units); nil
	// for a plan of accounts alone.
	layer   *features.Layer
	basemap render.Basemap
}

// basemapOf is the basemap that settings s ask for: the default when a
// command has no --basemap (s.Basemap is then empty). The settings have
// been checked, so the name parses.
func basemapOf(s scenario.Settings) render.Basemap {
	b, err := render.ParseBasemap(s.Basemap)
	if err != nil {
		return render.BasemapOutlines
	}
	return b
}

// outputFiles builds the files of the formats (each of scenario.Formats;
// the order does not matter: files are always in formatFiles order).
// What every file needs that can fail without writing, such as the
// territory boundaries shared by territories.geojson and the maps, is
// computed here, before anything is written, so that an error leaves the
// output directory alone.
//
// It returns as soon as ctx ends, as interruptible does: the territory
// cells of a million accounts take seconds.
func outputFiles(ctx context.Context, formats []string, r *runResult) (files []outFile, err error) {
	err = interruptible(ctx, func() (err error) {
		files, err = buildOutputFiles(formats, r)
		return err
	})
	return files, err
}

func buildOutputFiles(formats []string, r *runResult) ([]outFile, error) {
	for _, f := range formats {
		if !slices.Contains(scenario.Formats(), f) {
			return nil, fmt.Errorf("unknown output format %q (expected %s)", f, orList(scenario.Formats()))
		}
	}
	p, plan, m, run := r.problem, r.plan, r.metrics, r.run
	want := func(f string) bool { return slices.Contains(formats, f) }

	var boundaries []orb.MultiPolygon
	if want(formatOutGeoJSON) || want(formatOutSVG) || want(formatOutHTML) {
		boundaries = territoryBoundaries(r)
	}
	var mp *render.Map
	if want(formatOutSVG) || want(formatOutHTML) {
		mp = render.FromPlan(p, plan, m, boundaries)
		mp.Title = mapTitle(r)
		for l := range mp.Levels {
			lv := &mp.Levels[l]
			lv.Boundaries = features.DissolveOutlines(boundaries, lv.Of, len(lv.IDs))
		}
		if err := mp.Validate(); err != nil {
			return nil, fmt.Errorf("draw map: %w", err)
		}
	}
	var assignments *report.Assignments
	if want(formatOutXLSX) {
		var err error
		if assignments, err = report.NewAssignments(p, plan); err != nil {
			return nil, fmt.Errorf("write %s: %w", reportXLSXFile, err)
		}
	}

	var files []outFile
	for _, ff := range formatFiles {
		if !want(ff.format) {
			continue
		}
		switch ff.format {
		case formatOutCSV:
			files = append(files,
				outFile{Name: assignmentsFile, Write: func(w io.Writer) error { return tabular.WriteAssignments(w, p, plan) }},
				outFile{Name: territoriesFile, Write: func(w io.Writer) error { return report.WriteTerritoriesCSV(w, m) }})
			// With today's owners known, the moves are listed too.
			if slices.ContainsFunc(p.OwnerTerritories(), func(k int) bool { return k >= 0 }) {
				files = append(files, outFile{Name: movesFile, Write: func(w io.Writer) error { return tabular.WriteMoves(w, p, plan) }})
			}
			if len(m.Levels) > 0 {
				files = append(files, outFile{Name: levelsFile, Write: func(w io.Writer) error { return report.WriteLevelsCSV(w, m) }})
			}
			if plan.Units != nil {
				files = append(files, outFile{Name: unitsFile, Write: func(w io.Writer) error { return tabular.WriteUnits(w, p, plan) }})
			}
		case formatOutJSON:
			files = append(files, outFile{Name: summaryFile, Write: func(w io.Writer) error { return report.WriteSummaryJSON(w, run, m) }})
		case formatOutXLSX:
			files = append(files, outFile{Name: reportXLSXFile, Write: func(w io.Writer) error { return report.WriteXLSX(w, run, m, assignments) }})
		case formatOutMD:
			files = append(files, outFile{Name: reportMDFile, Write: func(w io.Writer) error { return report.WriteMarkdown(w, run, m) }})
		case formatOutGeoJSON:
			files = append(files, outFile{Name: territoriesGeoJSON, Write: func(w io.Writer) error {
				return features.WriteTerritories(w, p, plan, m, boundaries)
			}})
		case formatOutSVG:
			files = append(files, outFile{Name: mapSVGFile, Write: func(w io.Writer) error { return render.WriteSVG(w, mp, render.SVGOptions{Basemap: r.basemap}) }})
		case formatOutHTML:
			files = append(files, outFile{Name: mapHTMLFile, Write: func(w io.Writer) error { return render.WriteHTML(w, mp, render.HTMLOptions{Basemap: r.basemap}) }})
		}
	}
	return files, nil
}

// territoryBoundaries outlines every territory: the dissolved union of its
// units for polygon accounts, the merged cells around its accounts for
// points (see package features).
func territoryBoundaries(r *runResult) []orb.MultiPolygon {
	p := r.problem
	if r.layer != nil && r.plan.Units != nil {
		return features.DissolveUnits(r.layer.Units, r.plan.Units.Owner, p.K())
	}
	if r.units != nil && r.units.Len() == p.Accounts.Len() {
		return features.DissolveUnits(r.units, r.plan.Assign, p.K())
	}
	return features.PointCells(p.Space, p.Accounts.Locs, r.plan.Assign, p.K())
}

// mapTitle heads the maps: how many territories of which accounts.
func mapTitle(r *runResult) string {
	k := r.problem.K()
	title := fmt.Sprintf("%d %s", k, plural(k, "territory", "territories"))
	if r.run.Accounts != "" && r.run.Accounts != stdinName {
		title += " of " + filepath.Base(r.run.Accounts)
	}
	return title
}

// formatsValue is the --formats flag: a list of output formats, separated
// by commas or given by repeating the flag; the first use replaces the
// default. Each value is checked as it is given, so that an unknown format
// is a usage error; scenario.ParseFormats puts them in canonical order.
type formatsValue struct {
	formats *[]string
	set     bool
	allowed []string // nil: every format of scenario.Formats
}

func (v *formatsValue) Set(s string) error {
	list, err := scenario.ParseFormats([]string{s})
	if err != nil {
		return err
	}
	for _, f := range list {
		if v.allowed != nil && !slices.Contains(v.allowed, f) {
			return fmt.Errorf("format %q is not written by this command (expected %s)", f, orList(v.allowed))
		}
	}
	if !v.set {
		*v.formats = nil
		v.set = true
	}
	*v.formats = append(*v.formats, s)
	return nil
}

func (v *formatsValue) Type() string { return "LIST" }

func (v *formatsValue) String() string {
	if v.formats == nil {
		return ""
	}
	return strings.Join(*v.formats, ",")
}
