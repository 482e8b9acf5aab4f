package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Exit codes. They are decided here and nowhere else, and documented in
// the help of every command (see exitCodesHelp) and in docs/formats.md.
const (
	exitOK    = 0 // done
	exitError = 1 // the input could not be read or is wrong, or a file could not be written
	exitUsage = 2 // bad flags or arguments
	exitUnmet = 3 // a plan was written, but some balance rule or constraint is not met
	// With `territory diff --exit-code`, as with `git diff --exit-code`
	// and diff(1): exitDiffers means the plans differ, and every error,
	// usage or not, is exitTrouble, so that a CI job can tell the two apart.
	exitDiffers = 1
	exitTrouble = 2
	// exitInterrupted and exitTerminated are the shell's codes for a
	// process stopped by SIGINT (128 + 2) and SIGTERM (128 + 15); see
	// SignalContext. A context cancelled otherwise is taken to be an
	// interrupt.
	exitInterrupted = 130
	exitTerminated  = 143
)

// exitCodesHelp is the paragraph on exit codes that ends every command's
// long help.
const exitCodesHelp = `Exit codes:
  0    done
  1    error: an input could not be read or is wrong, or an output could not be written
  2    usage: bad flags or arguments
  3    a plan was written, but some balance rule or constraint (regions, --contiguous, a level's
       rules) is not met; for size, no number of territories meets the rules (stderr says which)
  130  interrupted (SIGINT, Ctrl-C); nothing was written
  143  terminated (SIGTERM); nothing was written`

// usageError is a mistake in the command line itself: an unknown flag or
// command, a bad flag value, a missing or conflicting flag. It exits 2.
type usageError struct {
	err error
}

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// usageErrorf formats a usage error; %w wraps as in fmt.Errorf.
func usageErrorf(format string, args ...any) error {
	return &usageError{err: fmt.Errorf(format, args...)}
}

// unmetError reports that a plan was written although some balance rules
// or constraints are not met in it. It exits 3.
type unmetError struct {
	// Rules describes each rule that is not met.
	Rules []string
	// Constraints describes each other constraint that is not met
	// (regions or contiguity: a territory in more than one piece).
	Constraints []string
	// Fixed, when not empty, says which edits were kept fixed (solve
	// --fix): "around 6 edits of "edits.csv"".
	Fixed string
}

func (e *unmetError) Error() string {
	var parts []string
	with := ""
	if e.Fixed != "" {
		with = " " + e.Fixed
	}
	if len(e.Rules) > 0 {
		parts = append(parts, "balance rules not met"+with+": "+strings.Join(e.Rules, "; "))
	}
	if len(e.Constraints) > 0 {
		parts = append(parts, "constraints not met"+with+": "+strings.Join(e.Constraints, "; "))
	}
	return strings.Join(parts, "\n")
}

// errDiffers ends `territory diff --exit-code` when the plans differ: it
// exits exitDiffers and prints nothing.
var errDiffers = fmt.Errorf("plans differ: %w", errReported)

// troubleError is an error of `territory diff --exit-code`, where exit 1
// means "the plans differ": it exits exitTrouble (2), or 130 or 143 when
// interrupted.
type troubleError struct{ err error }

func (e *troubleError) Error() string { return e.err.Error() }
func (e *troubleError) Unwrap() error { return e.err }

// exitCode maps the error a command returned to the process exit code.
func exitCode(err error) int {
	var (
		usage   *usageError
		unmet   *unmetError
		trouble *troubleError
	)
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errDiffers):
		return exitDiffers
	case errors.As(err, &trouble):
		if errors.Is(err, context.Canceled) {
			return interruptedCode(err)
		}
		return exitTrouble
	case errors.As(err, &usage):
		return exitUsage
	case errors.As(err, &unmet):
		return exitUnmet
	case errors.Is(err, context.Canceled):
		return interruptedCode(err)
	}
	return exitError
}

// interruptedCode is the exit code of a cancelled run: that of the signal
// that cancelled it when err carries one (see withCause), else
// exitInterrupted.
func interruptedCode(err error) int {
	var sig *signalError
	if errors.As(err, &sig) {
		return sig.exitCode()
	}
	return exitInterrupted
}

// withCause adds the cause of ctx's cancellation, the signal that stopped
// the run, to err, a context.Canceled that a command returned: commands
// return ctx.Err(), which does not say why.
func withCause(ctx context.Context, err error) error {
	if !errors.Is(err, context.Canceled) {
		return err
	}
	var sig *signalError
	if errors.As(err, &sig) {
		return err
	}
	if errors.As(context.Cause(ctx), &sig) {
		return fmt.Errorf("%w (%w)", err, sig)
	}
	return err
}
