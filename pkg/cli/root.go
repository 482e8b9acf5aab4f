package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Main runs the territory command line args (without the program name)
// and returns the process exit code. Errors are printed on env.Err.
func Main(ctx context.Context, args []string, env Env, build BuildInfo) int {
	root := newRootCmd(env, build)
	root.SetArgs(args)
	cmd, err := execute(ctx, root)
	err = withCause(ctx, err)
	if err != nil {
		printError(env, cmd, err)
	}
	return exitCode(err)
}

// execute runs the command line, turning a panic, which is a bug, into an
// error that exits 1 like any other failure (not 2, which Go gives a
// crashing process and which means a usage error here), so that a batch
// job sees the run failed, not that it was called wrongly.
func execute(ctx context.Context, root *cobra.Command) (cmd *cobra.Command, err error) {
	defer func() {
		if v := recover(); v != nil {
			cmd, err = nil, &internalError{v}
		}
	}()
	return root.ExecuteContextC(ctx)
}

// internalError is a panic caught by execute or interruptible.
type internalError struct{ v any }

func (e *internalError) Error() string {
	return fmt.Sprintf("internal error: %v\nthis is a bug in territory: please report it with the command line and, if you can, the input files", e.v)
}

// printError writes err on env.Err, one problem per line. A usage error is
// followed by a pointer to the command's help.
func printError(env Env, cmd *cobra.Command, err error) {
	if errors.Is(err, context.Canceled) {
		if exitCode(err) == exitTerminated {
			fmt.Fprintln(env.Err, "terminated")
		} else {
			fmt.Fprintln(env.Err, "interrupted")
		}
		return
	}
	if errors.Is(err, errReported) {
		return // the command printed its problems itself
	}
	fmt.Fprintln(env.Err, strings.TrimRight(err.Error(), "\n"))
	var usage *usageError
	if errors.As(err, &usage) && cmd != nil {
		fmt.Fprintf(env.Err, "run '%s --help' for usage\n", cmd.CommandPath())
	}
}

// newRootCmd builds the territory command and its subcommands.
func newRootCmd(env Env, build BuildInfo) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "territory <command> [flags]",
		Short: "Split accounts into balanced, compact sales territories",
		Long: `territory splits a sales organisation's accounts into territories that are
balanced on the measures the business cares about (revenue, workload,
account count, ...) and compact on the map, and writes the assignments,
balance reports and maps as files. evaluate scores an existing plan (such
as today's alignment) with the same reports, diff says what moved between
two plans, and render draws a plan's maps.

Start with the embedded demo:

  territory solve --demo -o out

` + exitCodesHelp + `

'territory diff --exit-code' exits 1 when the plans differ and 2 on any
error, as 'git diff --exit-code' and diff(1) do (see 'territory diff --help').`,
		Example: `  territory solve --demo -o out
  territory evaluate --demo --plan out/assignments.csv -o eval
  territory diff --exit-code out/assignments.csv eval/assignments.csv
  territory example -o demo
  territory validate --config demo/scenario.yaml
  territory solve --config demo/scenario.yaml`,
		Version: build.resolve().String(),
		// Args and RunE make an unknown command a usage error (exit 2)
		// rather than cobra's plain error.
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return unknownCommand(cmd, args[0])
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return cmd.Help()
		},
		SilenceUsage:      true,
		SilenceErrors:     true,
		DisableAutoGenTag: true,
	}
	cmd.SetIn(env.In)
	cmd.SetOut(env.Out)
	cmd.SetErr(env.Err)
	cmd.SetVersionTemplate("{{.Version}}\n")
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		if errors.Is(err, pflag.ErrHelp) {
			return err
		}
		// "territory slove --demo": the unknown command is the mistake to
		// report, not the flag the root does not know.
		if !c.HasParent() && c.Flags().NArg() > 0 {
			return unknownCommand(c, c.Flags().Arg(0))
		}
		return &usageError{err: err}
	})
	cmd.Flags().SortFlags = false
	cmd.SuggestionsMinimumDistance = 2

	cmd.AddCommand(
		newSolveCmd(env, build, nil),
		newEvaluateCmd(env, build, nil),
		newDiffCmd(env, nil),
		newValidateCmd(env, nil),
		newRenderCmd(env, nil),
		newSizeCmd(env, nil),
		newExampleCmd(env, nil),
		newVersionCmd(env, build, nil),
	)
	for _, c := range cmd.Commands() {
		c.DisableAutoGenTag = true
	}
	return cmd
}

// unknownCommand is the usage error for a command name that does not
// exist, with cobra's suggestions.
func unknownCommand(cmd *cobra.Command, name string) error {
	msg := fmt.Sprintf("unknown command %q for %q", name, cmd.CommandPath())
	if s := cmd.SuggestionsFor(name); len(s) > 0 {
		msg += "; did you mean " + strings.Join(s, " or ") + "?"
	}
	return &usageError{err: errors.New(msg)}
}

// noArgs accepts no positional arguments: any is a usage error.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageErrorf("%s takes no arguments, got %q", cmd.CommandPath(), args[0])
	}
	return nil
}
