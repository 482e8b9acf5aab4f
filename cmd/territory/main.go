// Command territory splits a sales organisation's accounts into balanced,
// compact territories. Run 'territory --help' for the commands.
package main

import (
	"context"
	"os"
	"runtime/debug"

	"github.com/territory-optimizer/territory/pkg/cli"
)

// Set by the release build: -ldflags "-X main.version=... -X main.commit=... -X main.date=...".
var (
	version = ""
	commit  = ""
	date    = ""
)

// gcPercent is the garbage collector's target when GOGC is not set: the
// heap may grow 30% over what is live before a collection, instead of Go's
// 100%. A solve's live data is a few arrays per account that it keeps to
// the end, and its garbage comes in bursts between them; at 1,000,000
// accounts the default let the heap reach twice the live 500 MB (1.48 GiB
// peak), 30% keeps it near 1.0 GiB for about the same time (GC work grows
// with the live heap, which is small next to the solve's arithmetic).
// GOGC, when set, wins.
const gcPercent = 30

func main() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(gcPercent)
	}
	// SIGINT and SIGTERM cancel ctx; the exit code then says which
	// (130, 143).
	ctx, stop := cli.SignalContext(context.Background())
	code := cli.Main(ctx, os.Args[1:], cli.OSEnv(), cli.BuildInfo{Version: version, Commit: commit, Date: date})
	stop()
	os.Exit(code)
}
