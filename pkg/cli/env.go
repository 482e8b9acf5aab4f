package cli

import (
	"io"
	"os"

	"golang.org/x/term"
)

// Env is what a command may touch of the world outside it: its standard
// streams, whether stderr is a terminal, and the environment variables.
type Env struct {
	In  io.Reader
	Out io.Writer // data: tables, listings
	Err io.Writer // diagnostics, progress, the final summary line

	// IsTerminal reports whether Err is an interactive terminal, which
	// decides whether progress is shown. When nil, Err is a terminal if
	// it is an *os.File on a terminal device.
	IsTerminal func() bool
	// Getenv reads an environment variable; nil means none is set.
	Getenv func(string) string
}

// OSEnv is the Env of the running process: its standard streams and
// environment.
func OSEnv() Env {
	return Env{
		In:     os.Stdin,
		Out:    os.Stdout,
		Err:    os.Stderr,
		Getenv: os.Getenv,
	}
}

// stderrIsTerminal reports whether progress may be drawn on Err.
func (e Env) stderrIsTerminal() bool {
	if e.IsTerminal != nil {
		return e.IsTerminal()
	}
	f, ok := e.Err.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
