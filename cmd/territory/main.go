// Command territory splits a sales organisation's accounts into balanced,
// compact territories. Run 'territory --help' for the commands.
package main

import (
	"context"
	"os"

	"github.com/territory-optimizer/territory/pkg/cli"
)

// Set by the release build: -ldflags "-X main.version=... -X main.commit=... -X main.date=...".
var (
	version = ""
	commit  = ""
	date    = ""
)

func main() {
	// SIGINT and SIGTERM cancel ctx; the exit code then says which
	// (130, 143).
	ctx, stop := cli.SignalContext(context.Background())
	code := cli.Main(ctx, os.Args[1:], cli.OSEnv(), cli.BuildInfo{Version: version, Commit: commit, Date: date})
	stop()
	os.Exit(code)
}
