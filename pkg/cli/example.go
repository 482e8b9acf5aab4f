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
}

func newExampleCmd(env Env, runF func(context.Context, *exampleOptions) error) *cobra.Command {
	opts := &exampleOptions{}
	cmd := &cobra.Command{
		Use:   "example -o DIR [--force]",
		Short: "Write the demo's input files, to show the formats",
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
Existing files are not overwritten unless --force is given; other files in
DIR are left alone. The list of files written goes to stderr.

` + exitCodesHelp,
		Example: `  territory example -o demo && territory solve --config demo/scenario.yaml
  territory example -o demo && territory solve --config demo/scenario.yaml --seed 2 -o demo/seed2
  territory example -o demo && sh demo/solve.sh`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.OutDir == "" {
				return usageErrorf("no output directory: give -o DIR")
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runExample(cmd.Context(), env, opts)
		},
	}
	f := cmd.Flags()
	f.SortFlags = false
	f.StringVarP(&opts.OutDir, "out", "o", "", "write the files into directory `DIR` (required)")
	f.BoolVar(&opts.Force, "force", false, "overwrite files that already exist")
	return cmd
}

func runExample(_ context.Context, env Env, opts *exampleOptions) error {
	var sc bytes.Buffer
	if err := scenario.Write(&sc, scenario.Demo(demo.AccountsFile, demo.RepsFile, demo.Rules)); err != nil {
		return fmt.Errorf("write %s: %w", scenarioFile, err)
	}
	files := []outFile{
		{Name: demo.AccountsFile, Write: writeBytes(demo.AccountsCSV())},
		{Name: demo.RepsFile, Write: writeBytes(demo.RepsCSV())},
		{Name: scenarioFile, Write: writeBytes(sc.Bytes())},
		{Name: solveScript, Mode: 0o777, Write: writeBytes([]byte(exampleScript))},
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
	if err := writeDir(opts.OutDir, files); err != nil {
		return err
	}
	for _, f := range files {
		fmt.Fprintf(env.Err, "wrote %s\n", filepath.Join(opts.OutDir, f.Name))
	}
	return nil
}

// exampleScript is solve.sh: the command that solves the example's files
// with its scenario file, as `territory solve --demo` solves the embedded
// ones. Further arguments are passed on: sh solve.sh --seed 2 -o seed2.
const exampleScript = `#!/bin/sh
# Solves the demo's accounts and reps with the settings in scenario.yaml,
# which are those of 'territory solve --demo'. Written by 'territory example'.
# The plan goes into out/ beside this script; flags given to this script
# override the scenario's keys.
cd "$(dirname "$0")" || exit 1
exec territory solve --config ` + scenarioFile + ` "$@"
`

func writeBytes(b []byte) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	}
}
