package cli

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// stopSignals are the signals that stop a run: Ctrl-C at a terminal, and
// what a scheduler or a container runtime sends to end a job.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM}

// SignalContext returns a copy of parent that is cancelled when the
// process receives SIGINT or SIGTERM. Its cause ([context.Cause]) records
// the signal, so that [Main] exits as a shell reports a process the signal
// killed: 130 for SIGINT, 143 for SIGTERM. Everything a command does
// checks the context, reading and solving and writing, and a cancelled run
// leaves its output directory as it was.
//
// The signals stay caught until stop is called: a second one does not kill
// the process half-way through putting its files in place. stop releases
// them and the context.
func SignalContext(parent context.Context) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, stopSignals...)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-ch:
			cancel(&signalError{sig: s})
		case <-ctx.Done():
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		close(done)
		cancel(nil)
	}
}

// signalError is the cause of a context that a signal cancelled. It is
// context.Canceled, as errors.Is sees it.
type signalError struct {
	sig os.Signal
}

func (e *signalError) Error() string { return e.sig.String() + " signal received" }

func (e *signalError) Is(target error) bool { return target == context.Canceled }

// exitCode is the shell's code for a process that the signal stopped:
// 128 plus the signal's number.
func (e *signalError) exitCode() int {
	if s, ok := e.sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return exitInterrupted
}

// interruptible runs fn and returns its error, or ctx's error as soon as
// ctx ends, without waiting for fn, which is left to run in the background,
// its results unused. It is for the long computations that do not look at
// ctx often enough for an interrupt to stop a run within a second: the
// solver between its rounds, the territory cells of a million accounts,
// a workbook built in memory. The process exits as soon as Main returns
// (cmd/territory), which ends fn; whatever fn writes must be of no use
// after a cancellation (results in variables the caller no longer reads,
// files in a temporary directory that the caller removes).
func interruptible(ctx context.Context, fn func() error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() {
		defer func() {
			if v := recover(); v != nil {
				done <- &internalError{v}
			}
		}()
		done <- fn()
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
