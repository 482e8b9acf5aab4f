// Package solve is the optimizer: it splits the accounts of a
// territory.Problem into balanced, compact territories.
//
// See docs/algorithm.md for the method. Solve is deterministic: the same
// problem and Options (including the seed) give the same plan, whatever
// GOMAXPROCS is; budgets are counted in work, never in wall-clock time.
package solve
