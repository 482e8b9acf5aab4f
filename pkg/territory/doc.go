// Package territory is the domain model of the territory optimizer: accounts
// and their measures, reps and their capacity shares, balance rules, the
// problem to solve and the plan that solves it; today's plan as the
// owners ([Problem.WithPlan]) and the edits a person made to it, fixed as
// locks ([Fix], [Problem.WithFixes]).
//
// Coordinates are either geographic (X = longitude, Y = latitude, degrees,
// WGS84) or planar (X, Y in any unit, distances Euclidean in that unit); see
// [Space]. The package validates problems and computes each territory's
// bounds for a balance rule; it performs no I/O and knows no file format.
//
// It also holds what every reader of inputs shares, whatever the format:
// [InputError], a problem with the file, row and column it is in;
// [InputErrors], which collects the problems of one input (the first
// [MaxListed] of them, then a count of the rest); [Columns], which finds
// the columns of a header (a table's, or a GeoJSON collection's
// properties) by name or by a user's mapping; [ParseNumber], which reads
// numbers written as text; [GroupDigits], which writes them back with
// thousands separators, as the tables, maps and diffs show them; and
// [Finite].
package territory
