// Package derive computes derived measures: measures of accounts that are
// not a column of the input but an expression over its numeric columns,
// such as
//
//	workload=visits*(call_minutes+25)/60
//
// evaluated once per account when the accounts are read, before the domain
// sees them, so that a derived measure is then a [territory.Measure] like
// any other: balanced by rules, weighting the objective, in every report
// and map.
//
// Expressions are those of github.com/expr-lang/expr, statically typed and
// compiled once to bytecode: numbers, the names of measures, arithmetic
// (+ - * / and ** or ^ for powers), comparisons and the conditional
// (visits > 0 ? hours/visits : 0), and the functions abs, ceil, floor,
// round, min and max. Every name is a measure, a float64; the result must
// be a number. Other functions of the library (on text, lists, dates and
// the clock), let and $env are refused, so that an expression gives the
// same value for the same row on every run.
//
// A name in an expression is a measure of the accounts, matched after
// normalising as rules match measures ([territory.NormalizeName]: Visits
// and visits are the same column): a numeric column of the input, or
// another derived measure, in any order as long as no derived measure
// depends on itself. A column whose normalised name is not a word of
// letters, digits and underscores cannot be named.
//
// [Parse] and [New] check an expression on its own: its syntax, its types
// and the functions it calls, naming the position of a mistake. [Check]
// checks a list (names given twice, measures that depend on themselves).
// [Bind] binds a list to an input's columns (a derived measure may not
// have the name of a column; the columns it reads must be measures), and
// [Binding.Apply] computes the values, naming the row of every account for
// which an expression divides by zero or gives NaN or an infinity.
package derive
