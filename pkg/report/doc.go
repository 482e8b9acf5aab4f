// Package report measures a plan against its problem and writes what it
// finds: territories.csv, summary.json, report.xlsx, report.md and the
// table printed on stdout.
//
// [Evaluate] is pure: it reads a validated problem and a plan that fits it
// and returns [Metrics], from which every writer works, so that all outputs
// of one run agree. It computes
//
//   - compactness: the distance from every account to the centre of its
//     territory, summed per territory and overall, both plain (the
//     "distance" objective, p-median) and squared (the "sse" objective,
//     k-means), with the mean and the largest distance. When the problem
//     weights its objective by a measure ([territory.Problem.Weight]),
//     the sums that make the objective (SSE, total distance, every
//     territory's compactness) weight each account's term by its value of
//     the measure, Σ w·d² and Σ w·d, as the solver does, so that the
//     objective reported is the one it minimised; the mean and the largest
//     distance stay plain distances per account;
//   - balance: for every balance rule, every territory's load, target
//     (its rep's capacity share of the measure's total), band
//     ([territory.Problem.Bands]), % of target and excess, and per rule the
//     spread of the loads as ratios to their targets (so that a rep at half
//     capacity with half the load counts as on target);
//   - violations: every load outside its band, by how much;
//   - the loads of the account measures no rule balances, for reference;
//   - shape ([Shape]): how far each territory is a region: its connected
//     pieces in the graph the solver keeps territories connected in (the
//     Delaunay triangulation of point accounts, the shared boundaries of
//     polygon units), its accounts that lie inside the convex hull of
//     another territory's accounts, and its neighbour agreement (the share
//     of each account's 10 nearest accounts in the same territory).
//
// # Units
//
// Distances are great-circle kilometres in a geographic problem (squared
// distances km²) and Euclidean distances in the coordinates' own unit in a
// planar one. Measures keep the unit of their input column. Percentages are
// percent (100 = on target); the coefficient of variation is a plain ratio.
// A territory whose target is 0 (a measure that sums to 0, or a rep of
// capacity 0) has its % of target reported as 0 and is marked ZeroTarget; it
// takes no part in the ratio statistics.
//
// # Determinism
//
// Everything is listed in a fixed order: territories by index (T01, T02,
// ...), balance rules in the problem's order, other measures in the
// accounts' order, violations by territory and then measure name. Sums run
// in account order, so the same problem and plan give the same numbers, and
// the writers the same bytes. The shape metrics are computed on all cores,
// but are counts added up in account order, so they too are the same bits
// whatever GOMAXPROCS is. No output holds a time or a duration.
//
// # Numbers in the outputs
//
// summary.json writes every number in plain decimal notation, rounded to at
// most six digits after the point, with trailing zeros dropped (1.5, not
// 1.500000; 2, not 2.0) and negative zero written as 0. A band limit that
// does not exist (no minimum or no maximum) is null. NaN and infinities
// never appear: the writer fails rather than write one.
//
// territories.csv writes measures and percentages with 2 decimals,
// coordinates with 6, distances, compactness and the neighbour agreement
// with 3, capacities in their shortest exact form, with \n line endings and
// quotes only where needed.
//
// The table on stdout is for people: thousands separators, a trailing "!"
// on a % of target outside its band, "n/a" where the target is 0.
//
// # report.xlsx
//
// [WriteXLSX] writes the workbook (with github.com/xuri/excelize/v2): the
// sheets Summary, Territories, Chart (a clustered bar chart of every
// balanced measure's % of target per territory), Assignments (one row per
// account, from [NewAssignments], in the order of assignments.csv) and
// Moves (the accounts whose known owner is not their new rep). Numbers
// are stored as numbers, percentages as fractions shown as 0.0%; the
// table sheets have a frozen header, an autofilter and fitted column
// widths, and the % of target is green inside its band and red outside.
// Every text from the inputs is a string cell in the text format "@",
// never a formula, and no formula or chart reference holds input text, so
// a name such as =HYPERLINK(...) shows as typed and stays text when
// edited. The Assignments and Moves sheets are streamed; a sheet holds at
// most 1,048,575 rows below its header, and the Summary notes any rows
// left out. The same arguments give the same bytes: fixed document times,
// the zip parts in a fixed order, nothing taken from map order.
//
// # report.md
//
// [WriteMarkdown] writes the summary for a pull-request comment in
// GitHub-flavoured Markdown: a headline (feasible, or the number of
// violations), the settings, the balance rules, the shape, the territories
// and the violations (each list at most 50 rows, with a note when longer)
// and the objective. Input text is backslash-escaped wherever Markdown or
// GitHub could read it as markup (tables, code, emphasis, links, HTML,
// mentions, headings), and control characters become spaces.
package report
