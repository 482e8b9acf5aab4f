package cli

import (
	"context"
	"fmt"
	"slices"

	"github.com/spf13/cobra"

	"github.com/territory-optimizer/territory/pkg/scenario"
)

// renderOptions holds the settings of `territory render`.
type renderOptions struct {
	inputOptions
	Plan      string // assignments file; "" draws the accounts' owners
	Objective string
	Weight    string
	Center    string
	OutDir    string
	Formats   []string // svg, html or both
	Basemap   string   // "outlines", "osm" or "none"
	Quiet     bool
}

// settings returns what the flags hold, as scenario.Override takes them.
// runRender writes the maps of o.Formats, whatever a scenario file's
// output.formats says: those are the files of solve.
func (o *renderOptions) settings() scenario.Settings {
	s := o.inputOptions.settings()
	s.PlanFile = o.Plan
	s.Objective, s.Weight, s.Center, s.OutDir, s.Formats, s.Quiet = o.Objective, o.Weight, o.Center, o.OutDir, o.Formats, o.Quiet
	s.Basemap = o.Basemap
	return s
}

func newRenderCmd(env Env, runF func(context.Context, *renderOptions) error) *cobra.Command {
	opts := &renderOptions{Formats: slices.Clone(mapFormats)}
	cmd := &cobra.Command{
		Use:   "render (--accounts FILE [--reps FILE] | --demo | --config FILE) [--plan FILE] [flags]",
		Short: "Draw the maps of a plan: map.svg and map.html",
		Long: `Draw the maps of a plan, and nothing else, into the output directory:

` + formatsHelp(mapFormats) + `

map.svg is a static, print-ready map; map.html one self-contained page that
works offline: pan, zoom, hover or click a territory or an account for its
numbers. Territories are outlined by their boundaries as in
territories.geojson: the dissolved units for polygon accounts, merged cells
around point accounts. Under them, on lat/lon, lie the land, the coast and
the borders of countries and US states, embedded in the binary (--basemap
outlines); --basemap osm makes map.html load OpenStreetMap's tiles when
online, --basemap none draws nothing.

The plan comes from --plan FILE (an assignments file, as 'territory solve'
writes assignments.csv) or, without it, from the accounts' owner column
(today's alignment), exactly as 'territory evaluate' reads it; the inputs
and the balance rules (which give the numbers shown for each territory)
are read as 'territory solve' reads them; --weight weights the
compactness shown, and the free centres, as solve does. --formats svg or
--formats html draws one map only.

The files are written all or nothing, as solve writes them. A one-line
summary is printed on stderr.

` + exitCodesHelp + `

render does not judge the plan: it exits 0 when the maps are written,
whether or not the plan meets its balance rules.`,
		Example: `  # the maps of the demo's solved plan
  territory solve --demo -o out --formats csv && territory render --demo --plan out/assignments.csv -o maps

  # 8 territories of counties: their boundaries are the dissolved county polygons
  territory solve --accounts testdata/examples/counties.geojson -k 8 --balance pop2010:5% -o counties --formats csv
  territory render --accounts testdata/examples/counties.geojson -k 8 --balance pop2010:5% \
      --plan counties/assignments.csv -o counties

  # today's alignment (the workbook's Current Rep column), as an interactive page only, with
  # each territory's hours (its Workload Hours plus half an hour per account) on hover
  territory render --accounts testdata/examples/accounts.xlsx --accounts-sheet Accounts \
      --reps testdata/examples/accounts.xlsx --reps-sheet Reps --measure "hours=workload_hours+0.5" \
      --formats html -o today

  # the first example's plan over OpenStreetMap's tiles (map.html loads them when online)
  territory render --demo --plan out/assignments.csv --formats html --basemap osm -o osm`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Changed = changedFlags(cmd.Flags())
			if err := opts.check(); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runRender(cmd.Context(), env, opts)
		},
	}
	f := cmd.Flags()
	f.SortFlags = false
	addInputFlags(f, &opts.inputOptions)
	f.BoolVar(&opts.Demo, "demo", false, "draw on the embedded demo (5,000 accounts, 25 reps) with its balance rules")
	f.StringVar(&opts.Plan, "plan", "", "draw the plan in assignments `FILE` (- for stdin; default: the accounts' owners)")
	addTerritoryFlags(f, &opts.inputOptions)
	f.StringVar(&opts.Objective, "objective", "", "`OBJECTIVE` for the numbers shown: sse or distance (default sse)")
	addWeightFlag(f, &opts.Weight)
	f.StringVar(&opts.Center, "center", "", "where a territory's `CENTER` (and label) sits: mean, unit or home\n(default home when every rep has one, else mean)")
	f.StringVarP(&opts.OutDir, "out", "o", defaultOutDir, "write the maps into directory `DIR`")
	f.Var(&formatsValue{formats: &opts.Formats, allowed: mapFormats}, "formats", "draw the maps of formats `LIST`: svg, html")
	addBasemapFlag(f, &opts.Basemap)
	f.BoolVarP(&opts.Quiet, "quiet", "q", false, "print nothing but errors: no warnings or summary line")
	return cmd
}

// check validates the flags on their own.
func (o *renderOptions) check() error {
	if err := checkFlags(o.settings(), o.Changed); err != nil {
		return err
	}
	if o.Plan == "-" && o.AccountsFile == "-" || o.Plan == "-" && o.RepsFile == "-" {
		return usageErrorf("--plan and --accounts or --reps cannot both read stdin")
	}
	if o.Config == "" {
		s, _, _ := resolveSettings("", o.settings(), o.Changed)
		return checkEvaluateSettings(s, "")
	}
	return nil
}

func runRender(ctx context.Context, env Env, opts *renderOptions) error {
	formats, err := scenario.ParseFormats(opts.Formats)
	if err != nil {
		return usageErrorf("--formats: %w", err)
	}
	s, r, err := loadPlanRun(ctx, env, opts.Config, opts.settings(), opts.Changed)
	if err != nil {
		return err
	}
	files, err := outputFiles(ctx, formats, r)
	if err != nil {
		return err
	}
	if err := writeDir(ctx, s.OutDir, files); err != nil {
		return err
	}
	if !s.Quiet {
		p := r.problem
		fmt.Fprintf(env.Err, "drew %s: %d %s in %d %s; wrote %s (%d %s)\n",
			planSource(s.PlanFile), p.Accounts.Len(), plural(p.Accounts.Len(), "account", "accounts"),
			p.K(), plural(p.K(), "territory", "territories"),
			dirName(s.OutDir), len(files), plural(len(files), "file", "files"))
	}
	return nil
}
