// Package parallel runs loops over indices on every core the Go scheduler
// may use, for the solver, the reports, the outlines and the Voronoi
// cells alike.
//
// It guarantees nothing about which goroutine runs which index or in what
// order: callers combine results in index order afterwards, which keeps
// every output the same on any number of cores. A panic in a call is
// raised again in the caller's goroutine once every goroutine has stopped.
package parallel
