package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/territory-optimizer/territory/pkg/demo"
	"github.com/territory-optimizer/territory/pkg/scenario"
)

// Files `territory example` writes beside the demo's inputs: the scenario
// file that holds the demo's settings, and the command line that solves
// them with it.
const (
	scenarioFile = "scenario.yaml"
	solveScript  = "solve.sh"
)

// exampleOptions holds the settings of `territory example`.
type exampleOptions struct {
	OutDir string
	Force  bool

	// Generate, when set, is the dataset to generate (--accounts and
	// --reps) instead of writing the embedded demo.
	Generate *demo.Config
}

// Limits and defaults of a generated dataset.
const (
	// maxGenAccounts bounds --accounts: ten million accounts make a file
	// of about 630 MB, far past what the issue 6 benchmarks need; a larger
	// number is more likely a typo than a wish.
	maxGenAccounts = 10_000_000
	// defaultRevenueTail is the σ of log revenue when --revenue-tail is
	// not given: an uncapped lognormal, whose 99th percentile is 10 times
	// its median, as in real B2B books where a few key accounts carry a
	// region.
	defaultRevenueTail = 1.0
	// halfCapacityPercent of the reps work half time by default, and
	// fourFifthsPercent four days a week, each at least one when there
	// are minPartTimeReps reps or more.
	halfCapacityPercent = 10
	fourFifthsPercent   = 5
	minPartTimeReps     = 10
	// allFormatsUpTo is the largest generated dataset whose scenario
	// writes every output format; a larger one writes csv and json only,
	// as the issue 6 scale benchmark does (a workbook and an interactive
	// map of a million accounts are large and slow to open).
	allFormatsUpTo = 100_000
)

// generatedRules are the balance rules of a generated dataset's scenario:
// those of the issue 6 scale benchmark.
var generatedRules = []string{"count:2%", "revenue:2%"}

// defaultHalfCapacity is the number of half-time reps among reps when
// --half-capacity is not given: 10%, rounded down, and at least one from
// 10 reps on.
func defaultHalfCapacity(reps int) int {
	return partTime(reps, halfCapacityPercent)
}

// defaultFourFifths is the number of reps at capacity 0.8 when
// --four-fifths-capacity is not given: 5%, rounded down, and at least one
// from 10 reps on, but no more than the reps not at half capacity.
func defaultFourFifths(reps, half int) int {
	return min(partTime(reps, fourFifthsPercent), reps-half)
}

func partTime(reps, percent int) int {
	if reps < minPartTimeReps {
		return 0
	}
	return max(1, reps*percent/100)
}

// defaultOffices is the number of offices when --offices is not given:
// half the reps, rounded up, so that many reps share an office.
func defaultOffices(reps int) int { return (reps + 1) / 2 }

func newExampleCmd(env Env, runF func(context.Context, *exampleOptions) error) *cobra.Command {
	opts := &exampleOptions{}
	var gen genFlags
	cmd := &cobra.Command{
		Use:   "example -o DIR [--accounts N --reps K [--revenue-tail SIGMA] [--offices O] [--half-capacity H] [--four-fifths-capacity F] [--states LIST] [--seed S]] [--force]",
		Short: "Write the demo's input files, or generate larger ones",
		Long: `Write the embedded demo's inputs into DIR, to show what territory reads and
to start from:

  accounts.csv   5,000 accounts: id, name, lat, lon, revenue, workload
  reps.csv       25 reps: id, name, home lat/lon, capacity (a few at 0.5)
  scenario.yaml  the demo's settings as a scenario file: the two files,
                 the balance rules, objective, centre, seed, and out/ as
                 the output directory; every other key shown commented out
  solve.sh       'territory solve --config scenario.yaml', run from DIR

Solving these files gives the same plan as 'territory solve --demo'. Paths in
scenario.yaml are relative to it, so it runs the same from any directory.

With --accounts N and --reps K (both or neither), generate a dataset of that
size instead, in the same four files, shaped like a real CRM export rather
than like the tidy demo:

  accounts   spread like the US population: each in a county drawn by its
             2010 Census population, scattered over the county's land area;
             --states limits them and the reps to some states (default the
             lower 48 and DC)
  revenue    lognormal, median $40,000, with the σ of --revenue-tail
             (default 1) and no cap: real B2B revenue is heavy-tailed, a few
             key accounts carry a region. At σ 1 the 99th percentile is 10
             times the median, and the largest of a million accounts among
             a thousand reps is about 7% of a rep's target. --revenue-tail 0
             gives the demo's tidy revenue instead: σ 0.9, at most $240,000.
             A larger σ (up to 2) makes larger key accounts: from about 1.8
             on, the largest of a million can outweigh a rep's whole
             target, which no plan balances.
  workload   hours a year: 1.5 plus 1 per $10,000 of revenue, with noise,
             and at most 400 for one account (a fifth of a rep's year,
             which one rep can still serve beside others)
  reps       working from --offices offices (default half the reps, rounded
             up): each in a distinct county drawn by population, so offices
             sit in the big cities, and holding reps in proportion to its
             county's population, at least one each (1,000 reps share 500
             homes, dozens of them in Los Angeles). A rep's home is its
             office. --offices K gives every rep a home of its own, in as
             many counties.
  capacity   --half-capacity reps at 0.5 (default 10% of the reps) and
             --four-fifths-capacity others at 0.8 (default 5%), each at
             least 1 from 10 reps on: a part-time rep's targets are scaled
             by its capacity

The scenario balances count and revenue within ±2% of every rep's
capacity-scaled target; above 100,000 accounts it writes only the csv and
json formats (add the others with --formats). The same flags write the same
bytes on any machine; --seed draws another dataset. Files are written row by
row: a million accounts (62 MB) take about a second and little memory.

Existing files are not overwritten unless --force is given; other files in
DIR are left alone. The list of files written goes to stderr.

` + exitCodesHelp,
		Example: `  territory example -o demo && territory solve --config demo/scenario.yaml
  territory example -o demo && territory solve --config demo/scenario.yaml --seed 2 -o demo/seed2
  territory example -o demo && sh demo/solve.sh

  # 100,000 accounts and 100 reps over the lower 48: whale accounts, 50
  # offices, 10 reps at half time and 5 at four fifths
  territory example --accounts 100000 --reps 100 -o big && sh big/solve.sh

  # the issue 6 benchmark: a million accounts, a thousand reps
  territory example --accounts 1000000 --reps 1000 -o scale
  territory solve --accounts scale/accounts.csv --reps scale/reps.csv \
      --balance count:2% --balance revenue:2% --formats csv,json -o scale/out

  # the same, shaped as the issue 6 measurements were: capped revenue, a
  # home per rep, 5% at half time, none at four fifths
  territory example --accounts 1000000 --reps 1000 --revenue-tail 0 --offices 1000 \
      --half-capacity 50 --four-fifths-capacity 0 -o tidy

  # 2,000 accounts and 12 reps, none part time, in Georgia and Florida
  territory example --accounts 2000 --reps 12 --half-capacity 0 --four-fifths-capacity 0 \
      --states GA,FL --seed 7 -o gafl`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.OutDir == "" {
				return usageErrorf("no output directory: give -o DIR")
			}
			cfg, err := gen.config(cmd.Flags().Changed)
			if err != nil {
				return err
			}
			opts.Generate = cfg
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runExample(cmd.Context(), env, opts)
		},
	}
	f := cmd.Flags()
	f.SortFlags = false
	f.StringVarP(&opts.OutDir, "out", "o", "", "write the files into directory `DIR` (required)")
	f.IntVar(&gen.accounts, "accounts", 0, "generate `N` accounts instead of the demo's (with --reps)")
	f.IntVar(&gen.reps, "reps", 0, "generate `K` reps (with --accounts)")
	f.Float64Var(&gen.tail, "revenue-tail", defaultRevenueTail, "draw revenue from a lognormal of `SIGMA` (0 to 2) with no cap, for key\naccounts; 0 for the demo's capped revenue (at most $240,000)")
	f.IntVar(&gen.offices, "offices", 0, "seat the generated reps in `O` offices, from 1 to K, in the most\npopulous counties (default half the reps; K for one home each)")
	f.IntVar(&gen.half, "half-capacity", 0, "make `H` of the generated reps half time, capacity 0.5\n(default 10% of the reps, at least 1 from 10 reps on)")
	f.IntVar(&gen.fourFifths, "four-fifths-capacity", 0, "make `F` other generated reps work four days a week, capacity 0.8\n(default 5% of the reps, at least 1 from 10 reps on)")
	f.StringSliceVar(&gen.states, "states", nil, "place generated accounts and reps in the states `LIST` (two-letter\ncodes: GA,FL; default the lower 48 and DC)")
	f.Uint64Var(&gen.seed, "seed", 1, "random seed `S` of the generated dataset")
	f.BoolVar(&opts.Force, "force", false, "overwrite files that already exist")
	return cmd
}

// genFlags are the flags of a generated dataset as given.
type genFlags struct {
	accounts, reps, offices, half, fourFifths int
	tail                                      float64
	states                                    []string
	seed                                      uint64
}

// config checks the generator's flags and returns the dataset they ask
// for, or nil when they ask for the embedded demo.
func (g *genFlags) config(changed func(string) bool) (*demo.Config, error) {
	if changed("accounts") != changed("reps") {
		given, missing := "--accounts", "--reps"
		if changed("reps") {
			given, missing = missing, given
		}
		return nil, usageErrorf("%s needs %s: give both to generate a dataset, or neither to write the demo", given, missing)
	}
	if !changed("accounts") {
		for _, name := range []string{"revenue-tail", "offices", "half-capacity", "four-fifths-capacity", "states", "seed"} {
			if changed(name) {
				return nil, usageErrorf("--%s needs --accounts and --reps: it applies to a generated dataset, not to the demo", name)
			}
		}
		return nil, nil
	}
	switch {
	case g.accounts < 1 || g.accounts > maxGenAccounts:
		return nil, usageErrorf("--accounts %d: want from 1 to %d", g.accounts, maxGenAccounts)
	case g.reps < 1:
		return nil, usageErrorf("--reps %d: want at least 1", g.reps)
	case g.reps > g.accounts:
		return nil, usageErrorf("--reps %d is more than the %d accounts: every rep needs at least one account", g.reps, g.accounts)
	}
	if !(g.tail >= 0 && g.tail <= demo.MaxRevenueTail) { // NaN too
		return nil, usageErrorf("--revenue-tail %v: want a sigma from 0 (capped revenue) to %v", g.tail, demo.MaxRevenueTail)
	}
	offices := defaultOffices(g.reps)
	if changed("offices") {
		offices = g.offices
		if offices < 1 || offices > g.reps {
			return nil, usageErrorf("--offices %d: want from 1 to the %d reps (%d for a home each)", offices, g.reps, g.reps)
		}
	}
	half := defaultHalfCapacity(g.reps)
	if changed("half-capacity") {
		half = g.half
		if half < 0 || half > g.reps {
			return nil, usageErrorf("--half-capacity %d: want from 0 to the %d reps", half, g.reps)
		}
	}
	fourFifths := defaultFourFifths(g.reps, half)
	if changed("four-fifths-capacity") {
		fourFifths = g.fourFifths
		if fourFifths < 0 || fourFifths > g.reps-half {
			return nil, usageErrorf("--four-fifths-capacity %d: want from 0 to the %d reps not at half capacity", fourFifths, g.reps-half)
		}
	}
	states, err := checkStates(g.states)
	if err != nil {
		return nil, err
	}
	return &demo.Config{
		Accounts: g.accounts, Reps: g.reps, States: states,
		RevenueTail: g.tail, Offices: offices, HalfCapacity: half, FourFifthsCapacity: fourFifths,
		Seed: g.seed,
	}, nil
}

// checkStates checks the --states codes and returns them in upper case.
func checkStates(states []string) ([]string, error) {
	if states == nil {
		return nil, nil
	}
	known, err := demo.StateCodes()
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(states))
	for _, s := range states {
		code := strings.ToUpper(strings.TrimSpace(s))
		if code == "" {
			return nil, usageErrorf("--states: empty state code (expected two-letter codes separated by commas, such as GA,FL)")
		}
		if _, ok := slices.BinarySearch(known, code); !ok {
			return nil, usageErrorf("--states: unknown state code %q (expected one of %s)", s, strings.Join(known, ", "))
		}
		out = append(out, code)
	}
	if len(out) == 0 {
		return nil, usageErrorf("--states: no state codes (leave out --states for the lower 48 and DC)")
	}
	return out, nil
}

func runExample(ctx context.Context, env Env, opts *exampleOptions) error {
	files, err := exampleFiles(opts.Generate)
	if err != nil {
		return err
	}
	if !opts.Force {
		var exist []string
		for _, f := range files {
			path := filepath.Join(opts.OutDir, f.Name)
			if _, err := os.Lstat(path); err == nil {
				exist = append(exist, path)
			} else if !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("write %s: %w", path, err)
			}
		}
		if len(exist) > 0 {
			return fmt.Errorf("write %s: %s already %s (use --force to overwrite)",
				opts.OutDir, strings.Join(exist, ", "), plural(len(exist), "exists", "exist"))
		}
	}
	if err := writeDir(ctx, opts.OutDir, files); err != nil {
		return err
	}
	for _, f := range files {
		fmt.Fprintf(env.Err, "wrote %s\n", filepath.Join(opts.OutDir, f.Name))
	}
	return nil
}

// exampleFiles returns the files of `territory example`: the embedded
// demo's when gen is nil, else those of the dataset gen describes, each
// generated row by row as it is written.
func exampleFiles(gen *demo.Config) ([]outFile, error) {
	sc := scenario.Demo(demo.AccountsFile, demo.RepsFile, demo.Rules)
	accounts, reps := writeBytes(demo.AccountsCSV()), writeBytes(demo.RepsCSV())
	script := exampleScript(demoScriptNote)
	if gen != nil {
		st, err := demo.NewStream(*gen)
		if err != nil {
			return nil, fmt.Errorf("generate: %w", err)
		}
		accounts, reps = st.WriteAccountsCSV, st.WriteRepsCSV
		sc = scenario.Demo(demo.AccountsFile, demo.RepsFile, generatedRules)
		if gen.Accounts > allFormatsUpTo {
			sc.Output.Formats = []string{"csv", "json"}
		}
		script = exampleScript(fmt.Sprintf(generatedScriptNote, generateCommand(gen)))
	}
	var scBuf bytes.Buffer
	if err := scenario.Write(&scBuf, sc); err != nil {
		return nil, fmt.Errorf("write %s: %w", scenarioFile, err)
	}
	return []outFile{
		{Name: demo.AccountsFile, Write: accounts},
		{Name: demo.RepsFile, Write: reps},
		{Name: scenarioFile, Write: writeBytes(scBuf.Bytes())},
		{Name: solveScript, Mode: 0o777, Write: writeBytes([]byte(script))},
	}, nil
}

// generateCommand is the command line that generates gen's dataset, with
// every setting spelled out, for the comment of solve.sh.
func generateCommand(gen *demo.Config) string {
	offices := gen.Offices
	if offices == 0 {
		offices = gen.Reps // demo.Config's one office per rep
	}
	cmd := fmt.Sprintf("territory example --accounts %d --reps %d --revenue-tail %s --offices %d --half-capacity %d --four-fifths-capacity %d",
		gen.Accounts, gen.Reps, strconv.FormatFloat(gen.RevenueTail, 'g', -1, 64), offices, gen.HalfCapacity, gen.FourFifthsCapacity)
	if gen.States != nil {
		cmd += " --states " + strings.Join(gen.States, ",")
	}
	return cmd + fmt.Sprintf(" --seed %d", gen.Seed)
}

// The first lines of solve.sh, after "#!/bin/sh": what it solves.
const (
	demoScriptNote = `# Solves the demo's accounts and reps with the settings in scenario.yaml,
# which are those of 'territory solve --demo'. Written by 'territory example'.`
	generatedScriptNote = `# Solves the generated accounts and reps with the settings in scenario.yaml.
# Written by '%s'.`
)

// exampleScript is solve.sh: the command that solves the example's files
// with its scenario file, as `territory solve --demo` solves the embedded
// ones. Further arguments are passed on: sh solve.sh --seed 2 -o seed2.
func exampleScript(note string) string {
	return `#!/bin/sh
` + note + `
# The plan goes into out/ beside this script; flags given to this script
# override the scenario's keys.
cd "$(dirname "$0")" || exit 1
exec territory solve --config ` + scenarioFile + ` "$@"
`
}

func writeBytes(b []byte) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	}
}
