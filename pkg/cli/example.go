package cli

import (
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
)

// solveScript is the file `territory example` writes beside the demo's
// inputs: the command line that solves them with the demo's settings.
const solveScript = "solve.sh"

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

  accounts.csv  5,000 accounts: id, name, lat, lon, revenue, workload
  reps.csv      25 reps: id, name, home lat/lon, capacity (a few at 0.5)
  solve.sh      the command line that solves them with the demo's settings

Solving these files gives the same plan as 'territory solve --demo'.
Existing files are not overwritten unless --force is given; other files in
DIR are left alone. The list of files written goes to stderr.

` + exitCodesHelp,
		Example: `  territory example -o demo && territory solve --accounts demo/accounts.csv --reps demo/reps.csv --balance revenue:5% --balance workload:5%
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
	script, err := exampleScript()
	if err != nil {
		return err
	}
	files := []outFile{
		{Name: demo.AccountsFile, Write: writeBytes(demo.AccountsCSV())},
		{Name: demo.RepsFile, Write: writeBytes(demo.RepsCSV())},
		{Name: solveScript, Mode: 0o777, Write: writeBytes([]byte(script))},
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
// as `territory solve --demo` solves the embedded ones.
func exampleScript() (string, error) {
	rules, err := demoRules()
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("#!/bin/sh\n")
	b.WriteString("# Solves the demo's accounts and reps with the settings of 'territory solve --demo'.\n")
	b.WriteString("# Written by 'territory example'. The plan goes into out/ beside this script.\n")
	b.WriteString("cd \"$(dirname \"$0\")\" || exit 1\n")
	b.WriteString("exec territory solve --accounts " + demo.AccountsFile + " --reps " + demo.RepsFile)
	for _, r := range rules {
		b.WriteString(" --balance " + shellQuote(r.String()))
	}
	b.WriteString(" -o out \"$@\"\n")
	return b.String(), nil
}

// shellQuote quotes s for a POSIX shell when it holds anything but
// letters, digits and a few safe punctuation characters.
func shellQuote(s string) string {
	safe := s != ""
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_-.,:=%/+", r)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func writeBytes(b []byte) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	}
}
