// Package territory is the domain model of the territory optimizer: accounts
// and their measures, reps and their capacity shares, balance rules, the
// problem to solve and the plan that solves it.
//
// Coordinates are either geographic (X = longitude, Y = latitude, degrees,
// WGS84) or planar (X, Y in any unit, distances Euclidean in that unit); see
// [Space]. The package validates problems and computes each territory's
// bounds for a balance rule; it performs no I/O and knows no file format.
package territory
