package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/territory-optimizer/territory/pkg/scenario"
	"github.com/territory-optimizer/territory/pkg/solve"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// sizeFile is what `territory size` writes: the sizing curve.
const sizeFile = "size.csv"

// sizeOptions holds the settings of `territory size`.
type sizeOptions struct {
	inputOptions
	Objective string
	Weight    string
	Center    string
	Shape     string
	Effort    string
	MaxK      int
	Seed      uint64
	OutDir    string
	Quiet     bool
}

func (o *sizeOptions) settings() scenario.Settings {
	s := o.inputOptions.settings()
	s.Objective, s.Weight, s.Center, s.Shape = o.Objective, o.Weight, o.Center, o.Shape
	s.Effort, s.Seed, s.OutDir, s.Quiet = o.Effort, o.Seed, o.OutDir, o.Quiet
	return s
}

func newSizeCmd(env Env, runF func(context.Context, *sizeOptions) error) *cobra.Command {
	opts := &sizeOptions{}
	cmd := &cobra.Command{
		Use:   "size (--accounts FILE | --demo | --config FILE) --balance MEASURE:max=V [flags]",
		Short: "Find the fewest territories (reps) for which every rule can be met",
		Long: `Find the smallest number of territories, each of capacity 1, for which the
solver finds a plan within every balance rule: how many reps are needed so
that nobody has more than 1,600 hours of work (--balance workload:max=1600)?

The search starts at the lower bound that the rules' maxima give (for each
rule with max=V, the measure's total divided by V, rounded up; the largest
of those) and adds one territory at a time until a plan meets every rule.
The number found is then confirmed from below: one territory fewer is
solved again at thorough effort. Every solve shares the accounts'
proximity graph. A single account above a maximum makes every number
fail, and is named.

The curve around the answer (one territory fewer, the answer, and two
more) is printed as a table and written to size.csv in the output
directory (-o): k, whether it was solved (and at which effort) or is below
the bound, feasible, then for every rule the worst load and its % of
target, and the objective. Reps are not read: territories are T1..TK, with
centres free (or at an account with --center unit). 'territory solve
--territories N' then solves with that many.

` + exitCodesHelp + `

size exits 3 when no number of territories up to --max-k meets the rules.`,
		Example: `  # how many reps, so that nobody has more than 1,700 hours of work a year?
  territory size --demo --balance workload:max=1700 --balance revenue:10% -o sizing

  # the same from files, at most 40 territories tried
  territory example -o demo && territory size --accounts demo/accounts.csv --balance workload:max=1700 --max-k 40`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Changed = changedFlags(cmd.Flags())
			if err := opts.check(); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runSize(cmd.Context(), env, opts)
		},
	}
	f := cmd.Flags()
	f.SortFlags = false
	addInputFlags(f, &opts.inputOptions)
	f.BoolVar(&opts.Demo, "demo", false, "size the embedded demo's 5,000 accounts")
	addMeasureFlag(f, &opts.Measures)
	f.Var(rulesFlag(&opts.Rules), "balance", "balance rule: MEASURE[:TOL%][,min=V][,max=V] (repeatable; one with max= is needed)")
	f.StringVar(&opts.Objective, "objective", "", "`OBJECTIVE` to minimise: sse or distance (default sse)")
	addWeightFlag(f, &opts.Weight)
	f.StringVar(&opts.Center, "center", "", "where a territory's `CENTER` sits: mean or unit (default mean)")
	f.StringVar(&opts.Shape, "shape", "regions", "the `SHAPE` of the territories: regions or free")
	f.StringVar(&opts.Effort, "effort", "normal", "how much each solve searches, `LEVEL` quick, normal or thorough")
	f.IntVar(&opts.MaxK, "max-k", 0, "try at most `N` territories (default: one per account)")
	f.Uint64Var(&opts.Seed, "seed", defaultSeed, "random seed `N`: the same seed gives the same answer")
	f.StringVarP(&opts.OutDir, "out", "o", defaultOutDir, "write size.csv into directory `DIR`")
	f.BoolVarP(&opts.Quiet, "quiet", "q", false, "print nothing but errors: no table or summary line")
	return cmd
}

// check validates the flags on their own.
func (o *sizeOptions) check() error {
	if o.RepsFile != "" {
		return usageErrorf("--reps: size finds the number of reps; it reads no reps")
	}
	if o.MaxK < 0 {
		return usageErrorf("--max-k: must be 1 or more, got %d", o.MaxK)
	}
	if err := checkFlags(o.settings(), o.Changed); err != nil {
		return err
	}
	if o.Config == "" {
		s, _, _ := resolveSettings("", o.settings(), o.Changed)
		return checkInputSettings(s, false, "")
	}
	return nil
}

func runSize(ctx context.Context, env Env, opts *sizeOptions) error {
	s, sc, err := resolveSettings(opts.Config, opts.settings(), opts.Changed)
	if err != nil {
		return err
	}
	if err := checkInputSettings(s, false, opts.Config); err != nil {
		return err
	}
	if s.UnitsFile != "" {
		return usageErrorf("--units: sizing plans made of units is not supported yet")
	}
	s.RepsFile, s.Territories = "", 0 // a scenario's reps and -k are what size replaces
	var progress *progressLine
	if !s.Quiet && env.stderrIsTerminal() {
		progress = startProgress(env.Err, "read")
		defer progress.close()
	}
	in, probs, err := loadProblem(ctx, env, s, sc, opts.Config, false)
	if err != nil {
		return err
	}
	if errs, _ := probs.counts(); errs > 0 {
		return &problemsError{problems: probs.sorted()}
	}
	p := in.problem
	if p.Center == territory.CenterHome {
		if s.Center != "" {
			return usageErrorf("--center home: size has no reps, so no homes: use mean or unit")
		}
		p.Center = territory.CenterMean // the demo's reps have homes; the sized territories do not
	}
	effort, err := solve.ParseEffort(s.Effort)
	if err != nil {
		return usageErrorf("--effort: %w", err)
	}
	shape, err := solve.ParseShape(s.Shape)
	if err != nil {
		return usageErrorf("--shape: %w", err)
	}
	sopt := solve.Options{Seed: s.Seed, Effort: effort, Shape: shape}
	if progress != nil {
		sopt.Progress = func(phase string, done float64) {
			if ctx.Err() == nil {
				progress.update(phase, done)
			}
		}
	}
	var sz *solve.Sizing
	err = interruptible(ctx, func() (err error) {
		sz, err = solve.Size(ctx, p, sopt, opts.MaxK)
		return err
	})
	if err != nil {
		if isCancel(err) {
			return err
		}
		if se, ok := errors.AsType[*solve.SizeError](err); ok {
			return usageErrorf("%s", se.Msg)
		}
		return err
	}
	var table bytes.Buffer
	if err := writeSizeTable(&table, p, sz); err != nil {
		return err
	}
	progress.setPhase("write")
	files := []outFile{{Name: sizeFile, Write: func(w io.Writer) error { return writeSizeCSV(w, p, sz) }}}
	if err := writeDir(ctx, s.OutDir, files); err != nil {
		return err
	}
	progress.close()
	if !s.Quiet {
		if _, err := env.Out.Write(table.Bytes()); err != nil {
			return err
		}
		if sz.K > 0 {
			fmt.Fprintf(env.Err, "the fewest territories that meet every rule: %d (the bound from the maxima: %d); wrote %s\n",
				sz.K, sz.LowerBound, dirName(s.OutDir))
		}
	}
	if sz.K == 0 {
		limit := opts.MaxK
		if limit <= 0 {
			limit = p.Accounts.Len()
		}
		return &unmetError{Constraints: []string{fmt.Sprintf("no number of territories from %d to %d meets every rule", sz.LowerBound, limit)}}
	}
	return nil
}

// sizeColumns are the columns of size.csv and the table: k, how it was
// looked at, feasible, then per rule its worst load and % of target, and
// the objective.
func sizeColumns(p *territory.Problem) []string {
	cols := []string{"k", "solved", "feasible"}
	for _, r := range p.Rules {
		cols = append(cols, r.Measure+"_worst", r.Measure+"_worst_pct_target")
	}
	return append(cols, "objective")
}

// sizeRecord is one row of the curve as text, in sizeColumns' order for
// a problem of rules rules: a K below the bound has no loads.
func sizeRecord(row solve.SizeRow, rules int) []string {
	solved := "below bound"
	if row.Solved {
		solved = row.Effort.String()
	}
	rec := []string{strconv.Itoa(row.K), solved, strconv.FormatBool(row.Feasible)}
	for j := range rules {
		if j < len(row.Worst) {
			rec = append(rec, strconv.FormatFloat(row.Worst[j], 'f', 2, 64), strconv.FormatFloat(row.WorstPct[j], 'f', 2, 64))
		} else {
			rec = append(rec, "", "")
		}
	}
	obj := ""
	if row.Solved {
		obj = strconv.FormatFloat(row.Objective, 'f', 3, 64)
	}
	return append(rec, obj)
}

// writeSizeCSV writes size.csv: the header of sizeColumns and one row per
// K of the curve, by K.
func writeSizeCSV(w io.Writer, p *territory.Problem, sz *solve.Sizing) error {
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	if err := cw.Write(sizeColumns(p)); err != nil {
		return err
	}
	for _, row := range sz.Rows {
		if err := cw.Write(sizeRecord(row, len(p.Rules))); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// writeSizeTable prints the curve for a person, the answer marked.
func writeSizeTable(w io.Writer, p *territory.Problem, sz *solve.Sizing) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := []string{"territories", "solved", "feasible"}
	for _, r := range p.Rules {
		head = append(head, "worst "+r.Measure, "% target")
	}
	head = append(head, "objective", "")
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	for _, row := range sz.Rows {
		rec := sizeRecord(row, len(p.Rules))
		mark := ""
		if row.K == sz.K {
			mark = "<- fewest"
		}
		fmt.Fprintln(tw, strings.Join(append(rec, mark), "\t")+"\t")
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	var parts []string
	for j, r := range p.Rules {
		if sz.Bounds[j] > 0 {
			parts = append(parts, fmt.Sprintf("%s: %d", r, sz.Bounds[j]))
		}
	}
	_, err := fmt.Fprintf(w, "\nlower bound (each measure's total over its maximum, rounded up): %s\n", strings.Join(parts, ", "))
	return err
}
