//go:build unix

package cli

import (
	"context"
	"errors"
	"os"
	"syscall"
	"testing"
	"time"
)

// TestSignalContext sends the test process SIGINT and SIGTERM, which
// SignalContext catches, and checks that each cancels the context with
// the signal as its cause and the exit code the shell gives it.
func TestSignalContext(t *testing.T) {
	for _, tt := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGINT, exitInterrupted}, {syscall.SIGTERM, exitTerminated}} {
		t.Run(tt.sig.String(), func(t *testing.T) {
			ctx, stop := SignalContext(context.Background())
			defer stop()
			if err := syscall.Kill(os.Getpid(), tt.sig); err != nil {
				t.Fatal(err)
			}
			select {
			case <-ctx.Done():
			case <-time.After(10 * time.Second):
				t.Fatalf("%v did not cancel the context", tt.sig)
			}
			var sig *signalError
			if !errors.As(context.Cause(ctx), &sig) || sig.sig != tt.sig {
				t.Errorf("cause %v, want the signal %v", context.Cause(ctx), tt.sig)
			}
			err := withCause(ctx, ctx.Err())
			if !errors.Is(err, context.Canceled) {
				t.Errorf("%v is not context.Canceled", err)
			}
			if got := exitCode(err); got != tt.code {
				t.Errorf("exit code %d, want %d", got, tt.code)
			}
		})
	}

	// stop cancels the context, with no signal as its cause.
	ctx, stop := SignalContext(context.Background())
	stop()
	if ctx.Err() == nil {
		t.Fatal("stop did not cancel the context")
	}
	if got := exitCode(withCause(ctx, ctx.Err())); got != exitInterrupted {
		t.Errorf("exit code after stop %d, want %d", got, exitInterrupted)
	}
}
