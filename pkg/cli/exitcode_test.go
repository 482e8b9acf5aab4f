package cli

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/territory-optimizer/territory/pkg/territory"
)

func TestExitCode(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want int
	}{
		{name: "ok", err: nil, want: 0},
		{name: "plain error", err: errors.New("read accounts: boom"), want: 1},
		{name: "input errors", err: errors.Join(&territory.InputError{What: "accounts", Msg: "no accounts"}), want: 1},
		{name: "usage", err: usageErrorf("unknown flag --x"), want: 2},
		{name: "wrapped usage", err: fmt.Errorf("solve: %w", usageErrorf("-k 0")), want: 2},
		{name: "unmet rules", err: &unmetError{Rules: []string{"revenue:5% in 1 territory"}}, want: 3},
		{name: "cancelled", err: fmt.Errorf("solve: %w", context.Canceled), want: 130},
		{name: "diff: the plans differ", err: errDiffers, want: 1},
		{name: "diff --exit-code: an input error", err: &troubleError{err: errors.New(`read plan "a.csv": no such file`)}, want: 2},
		{name: "diff --exit-code: a usage error", err: &troubleError{err: usageErrorf("--format: unknown format")}, want: 2},
		{name: "diff --exit-code: interrupted", err: &troubleError{err: context.Canceled}, want: 130},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := exitCode(tt.err); got != tt.want {
				t.Errorf("exitCode(%v) = %d, want %d", tt.err, got, tt.want)
			}
		})
	}
}
