// Package tabular reads accounts, reps and plans from tables, and writes
// plans as tables.
//
// A table is a header row of column names followed by one row per account
// or rep. Every tabular format (CSV and XLSX) is read through the
// same column model ([territory.Columns], which package features shares):
// names are normalised with [territory.NormalizeName]
// ("Account ID" and "account_id" are the same column) and the columns that
// matter are found by common names or mapped explicitly through
// [Options.Columns]:
//
//	id        accounts: id, account_id, account, rep_id
//	          reps:     id, rep_id, rep, account_id, account
//	name      accounts: name, account_name; reps: name, rep_name
//	lat, lon  lat, latitude, home_lat, home_latitude and
//	          lon, lng, long, longitude, home_lon, home_lng, home_longitude
//	          (longitude and latitude in degrees: a geographic space)
//	x, y      planar coordinates in any unit (a planar space)
//	owner     accounts only: owner, rep, current_rep, territory,
//	          current_owner, then rep_id when it is not the id
//	locked    accounts only: true/false, yes/no, 1/0, y/n, any case; empty
//	          is false; a locked account needs an owner
//	capacity  reps only: a share of a full territory; empty means 1
//
// Any other column of accounts whose non-empty cells are all numbers is a
// measure, named by its normalised header ([territory.Measure]); empty
// cells count as 0. Columns with text in them are ignored, unless
// [Options.Measures] asks for them, in which case every non-empty cell must
// be a finite number. Columns named like a role but not used for it (a
// second latitude column, say) are neither. A capacity may be written as a
// percentage ("50%"). [Options.Derived] adds derived measures (see package
// derive), computed for each account from its measures once the rows are
// read, after the measures read.
//
// Readers never stop at the first problem: they check the whole file and
// return every problem found (up to 50, then a count of the rest) joined
// with [errors.Join], each a [*territory.InputError] naming the file, the
// row as a spreadsheet numbers it (the header is row 1) and the column as
// the header spells it.
//
// CSV files are read as they are exported in the wild: UTF-8 with or
// without a byte order mark (UTF-16 with a byte order mark, as Excel's
// "Unicode Text" is, and Windows-1252 text cells are converted), a
// delimiter among ',' ';' tab and '|' sniffed from the header line (or
// named by Excel's "sep=;" first line), quoted fields with embedded
// delimiters, quotes and line breaks, a '"' inside a field that is not
// quoted (read as written, with a warning through Options.Warn; a quoted
// field that is not closed properly stays a problem), CRLF or LF line
// endings, blank lines
// and rows of empty cells anywhere, and trailing empty cells. Numbers may
// have surrounding spaces and a leading '+'; NaN and infinities are
// refused. In files whose delimiter is not a comma, a number with one
// decimal comma ("12,5") is read as 12.5. Row numbers are the physical line
// on which a row starts, the header being row 1 when it is the first line.
// Reading streams: only the values kept are held in memory, and a file
// that is plainly something else (XLS, gzip, PDF, JSON, binary) is
// refused with its name. A row may take at most 1 MiB: a longer one (the
// rest of a file after a quote that is never closed, say) is a problem
// naming its row, and reading stops there.
//
// XLSX workbooks are recognised by their content (a ZIP archive), or by a
// name ending in .xlsx, and read with excelize, streaming the rows of one
// sheet: [Options.Sheet] names it, and otherwise the sheet is chosen by
// its header row (see [Options]). Cells are read as stored, not as their
// number format shows them, so a latitude formatted "0.00" keeps its
// digits; numbers stored as text are read as numbers; formula cells give
// the value Excel cached when it last saved the workbook (a formula that
// was never calculated reads as an empty cell). Row numbers are the
// sheet's own, as Excel shows them. Empty rows and empty cells after the
// data are ignored; a value right of the last column of the header row is
// a problem. A workbook may unzip to at most 1 GiB, and its XML parts
// other than worksheets and the shared strings table to at most 64 MiB
// each; larger worksheets and shared strings tables are unzipped to
// temporary files rather than held in memory. Before excelize opens it,
// every part is unzipped once, streaming, and the workbook is refused when
// a part unzips to more than it declares or fails its checksum, holds more
// than 1 MiB of text in one place, or a worksheet has more rows or a row
// more cells than Excel allows, so that a crafted workbook (a ZIP bomb)
// cannot exhaust memory or time. Legacy .xls workbooks (and password-protected
// ones) are refused with a message saying to save them as .xlsx or CSV.
//
// The Context variants of the readers ([ReadAccountsContext] and the
// others) stop when their context ends: they look at it every few
// thousand rows, and return its error wrapped with the file's name.
//
// [ReadAccountsFile] and [ReadRepsFile] open a file and judge its format
// ([Sniff]: a ZIP archive or a name ending in .xlsx is a workbook, an OLE2
// file a legacy or password-protected one, anything else CSV) once;
// [ReadAccountsFromFile] and [ReadRepsFromFile] read a file a caller has
// opened and judged, through that open file.
//
// [WriteAssignments] writes a plan as assignments.csv, canonically: rows
// sorted by account id with [territory.CompareIDs], distances with three
// decimals, "\n" line endings, so that the same plan gives the same bytes.
// [ReadPlan] and [ReadPlanFile] read such a plan file back ([PlanFile]):
// CSV or a workbook's sheet, through the same sources as the accounts, with
// account_id and territory_id, rep_id or both. With both, the columns are
// paired by what most rows say (planpairs.go): a row whose territory alone
// was changed by hand is read with its new territory's rep and a warning,
// and only the rows that truly conflict with the pairing are errors.
package tabular
