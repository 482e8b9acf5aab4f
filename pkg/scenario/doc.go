// Package scenario reads and writes scenario files: YAML files that hold
// every setting of `territory solve`, so that a batch job is
//
//	territory solve --config scenario.yaml
//
// and resolves them, with the command line's flags, into the [Settings] of
// a run.
//
// A scenario file is one YAML mapping. Every key is optional:
//
//	accounts: {file: accounts.xlsx, sheet: Accounts, columns: {id: "Account ID"}}
//	reps: {file: reps.csv, columns: {capacity: FTE}}
//	territories: 25
//	measures: ["workload=visits*(call_minutes+25)/60"]
//	balance: ["revenue:5%", "workload:max=1800"]
//	objective: sse
//	weight: population
//	center: home
//	shape: regions
//	constraints: {contiguous: false, max_moves: "10%", stickiness: 0}
//	effort: normal
//	time_limit: 2m
//	seed: 1
//	output: {dir: out, formats: [csv, json]}
//
// [Keys] lists every key with its type, default and the flag that
// overrides it; docs/scenario.md is the same table in prose.
//
// [Parse] and [Load] decode strictly and report every problem at once, each
// with its line and column: unknown keys (with a suggestion when a key
// was probably misspelt or put in the wrong place), keys given twice,
// values of the wrong type, and values that do not parse (balance rules as
// [territory.ParseBalanceRule] reads them, derived measures as
// derive.Parse compiles them, enumerations, durations, move limits,
// formats). A key with an empty value counts as left out. Files
// larger than [MaxSize], empty files and files whose top level is not a
// mapping are refused.
//
// Relative paths in a scenario (accounts.file, reps.file, output.dir) are
// resolved against the directory of the scenario file, so a scenario and
// its inputs can move together; paths given as flags stay relative to the
// working directory, as usual. "-" (standard input) is left alone.
//
// Precedence, highest first: a flag given on the command line, the
// scenario's key, the default ([Defaults]). [Override] applies it, given
// which flags the command line set, and [CheckFlags] checks the flags'
// values as Parse checks the file's; neither knows a flag library, so this
// package needs no cobra. [Keys] names the flag of every key.
//
// [Write] writes a scenario back as canonical YAML, with a comment per key
// and the keys left out shown commented out; [Parse] reads it back to the
// same scenario.
package scenario
