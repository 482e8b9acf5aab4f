// Package cli is the territory command line: one cobra command per verb,
// built by functions, and the one place where errors become exit codes.
// It holds flags and wiring only: what the commands do lives in the
// packages they call.
//
// Every command reads and writes through an [Env] rather than the process's
// own streams, so tests drive it with in-memory buffers. Data goes to
// Env.Out, diagnostics and progress to Env.Err. [Main] runs a command line
// and returns the exit code documented in each command's help: 0 ok,
// 1 error, 2 usage, 3 a plan was written but some balance rule is not met,
// or (regions, --contiguous) some territory is in more than one piece (and
// for `territory diff --exit-code`, as for git: 0 same, 1 differ, 2 any
// error); 130 or 143 when SIGINT or SIGTERM stopped it ([SignalContext]),
// with the output directory as it was. The codes are decided in
// exitcode.go.
//
// The verbs are solve.go, evaluate.go, render.go, validate.go, diff.go,
// example.go and version.go (root.go puts them together). inputs.go opens
// each input file once, judges its format once and hands the open file to
// its reader: package tabular for CSV and XLSX, package features for
// GeoJSON; it then builds and checks the problem that solve, evaluate,
// render and validate share. problems.go lists what the readers and the
// checks found, errors and warnings, as validate and solve print them.
// Plan files (--plan, diff's OLD and NEW) are read by tabular.ReadPlan,
// and edits files (solve --fix) by tabular.ReadEdits; fix.go maps them
// onto the problem (today's plan as the owners, the edits as locks, see
// territory.Problem.WithFixes) for a rebalance (solve.Options.Rebalance).
// diff.go hands plan files to package plandiff, which compares and writes
// them.
//
// solve, evaluate and render write their files through one list
// (outputs.go), chosen by --formats and written all or nothing (outdir.go).
package cli
