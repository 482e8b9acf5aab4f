// Package plandiff compares two plans, each as a plan file gives it
// ([tabular.PlanFile]: one row per account naming its territory, its rep
// or both), and writes the comparison for people (text), for spreadsheets
// (CSV) and for tools (JSON).
//
// [Compare] lists every account that moved to another territory, that is
// only in the new plan (added) or only in the old one (removed), and what
// each territory gained and lost, with the accounts' measures when they
// are given. Territories are matched by rep_id when both plans have that
// column (territory ids are positions in the reps list, which another run
// may order differently), else by territory_id.
//
// Two unit tables (units.csv, [tabular.PlanFile.Units]) are compared the
// same way, unit by unit: the units that moved, were added or removed,
// and those that became split or whole (a split unit's territory is its
// default owner), with the measures of each unit when the accounts placed
// in the layer give them ([UnitMeasures]). A unit table is never compared
// with an account table: [Compare] refuses the pair with a [TableError]
// naming both files.
//
// [CompareEdits] also tells the changes that edits made by hand (an edits
// file, as `territory solve --fix` keeps them) from those the rebalance
// around them made, and lists the edits the new plan does not keep.
//
// The comparison is deterministic: accounts are sorted by id and
// territories by territory then rep id, with [territory.CompareIDs], and
// the writers give the same bytes for the same plans. Numbers in the JSON
// form are rounded to six decimals; the text form groups thousands.
package plandiff
