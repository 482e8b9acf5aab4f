package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/territory-optimizer/territory/pkg/demo"
)

// The example inputs the repository ships in testdata/examples, which the
// commands' help runs (see testdata/examples/README.md).
const (
	examplesDir      = "../../testdata/examples"
	exampleWorkbook  = "accounts.xlsx"
	exampleCounties  = "counties.geojson"
	exampleDumpFile  = "accounts.xlsx.txt" // the workbook's sheets as text, for review
	exampleCountyIDs = "GA NC SC"          // the states whose counties counties.geojson holds
	exampleUnitAccts = "county_accounts.csv"
)

// countyAccountsConfig makes the accounts placed in counties.geojson's
// counties: 1,000 accounts in Georgia and the Carolinas.
var countyAccountsConfig = demo.Config{Accounts: 1000, Reps: 1, States: []string{"GA", "NC", "SC"}, Seed: 2026}

// countyAccountsCSV is county_accounts.csv as the generator makes it.
func countyAccountsCSV(t *testing.T) []byte {
	t.Helper()
	d, err := demo.Generate(countyAccountsConfig)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := d.WriteAccountsCSV(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// exampleConfig makes the workbook's accounts and reps: 400 accounts in
// the Carolinas, 8 reps, one of them half time.
var exampleConfig = demo.Config{Accounts: 400, Reps: 8, States: []string{"NC", "SC"}, HalfCapacity: 1, Seed: 2024}

// TestExampleFiles checks the example inputs: that they are what the
// generator below makes (the workbook through a text dump of its sheets,
// counties.geojson byte for byte when the shared counties file is there),
// and that `territory validate` and `territory solve` accept them as the
// help's examples run them. With -update it writes them.
func TestExampleFiles(t *testing.T) {
	if *update {
		if err := os.MkdirAll(examplesDir, 0o755); err != nil {
			t.Fatal(err)
		}
		writeExampleWorkbook(t, filepath.Join(examplesDir, exampleWorkbook))
		dump := dumpWorkbook(t, filepath.Join(examplesDir, exampleWorkbook))
		if err := os.WriteFile(filepath.Join(examplesDir, exampleDumpFile), []byte(dump), 0o644); err != nil {
			t.Fatal(err)
		}
		counties, err := exampleCountiesGeoJSON(countiesFile)
		if err != nil {
			t.Fatalf("%v (counties.geojson is made from the shared counties file)", err)
		}
		if err := os.WriteFile(filepath.Join(examplesDir, exampleCounties), counties, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(exampleEdits, []byte(demoEdits(t, 6)), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(examplesDir, exampleUnitAccts), countyAccountsCSV(t), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := os.ReadFile(filepath.Join(examplesDir, exampleUnitAccts)); err != nil || !bytes.Equal(got, countyAccountsCSV(t)) {
		t.Errorf("%s is not what the generator makes (%v; run go test ./pkg/cli -run TestExampleFiles -update)", exampleUnitAccts, err)
	}

	// The workbook holds what the generator makes.
	tmp := filepath.Join(t.TempDir(), exampleWorkbook)
	writeExampleWorkbook(t, tmp)
	want, err := os.ReadFile(filepath.Join(examplesDir, exampleDumpFile))
	if err != nil {
		t.Fatalf("%v (run go test ./pkg/cli -run TestExampleFiles -update)", err)
	}
	if diff := cmp.Diff(string(want), dumpWorkbook(t, tmp)); diff != "" {
		t.Errorf("the generator makes another workbook than %s (-file +generator):\n%s", exampleDumpFile, diff)
	}
	if diff := cmp.Diff(string(want), dumpWorkbook(t, filepath.Join(examplesDir, exampleWorkbook))); diff != "" {
		t.Errorf("%s differs from %s (-dump +workbook):\n%s", exampleWorkbook, exampleDumpFile, diff)
	}
	if _, err := os.Stat(countiesFile); err == nil {
		wantCounties, err := exampleCountiesGeoJSON(countiesFile)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(examplesDir, exampleCounties))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, wantCounties) {
			t.Errorf("%s differs from the counties of %s in %s", exampleCounties, exampleCountyIDs, countiesFile)
		}
	}

	// The help's examples run on them.
	workbook := filepath.Join(examplesDir, exampleWorkbook)
	counties := filepath.Join(examplesDir, exampleCounties)
	for _, tt := range []struct {
		name   string
		args   []string
		stdout string
		stderr string
	}{
		{"workbook", []string{"--accounts", workbook, "--accounts-sheet", "Accounts", "--reps", workbook, "--reps-sheet", "Reps",
			"--balance", "Annual Revenue:5%"},
			`accounts "` + workbook + `" (XLSX): 400 accounts at lat/lon points; measures annual_revenue, workload_hours; 400 with an owner, 8 locked
reps "` + workbook + `" (XLSX): 8 reps, 8 with a home, capacities summing to 7.5
balance rules: annual_revenue:5%
`, "0 errors, 0 warnings\n"},
		{"counties", []string{"--accounts", counties, "-k", "8", "--balance", "pop2010:5%"},
			`accounts "` + counties + `" (GeoJSON): 305 polygon units (808 adjacent pairs); measures pop2010, aland_sqmi
balance rules: pop2010:5%
`,
			// Simplification collapsed a sliver of Pickens County (SC) to a
			// closed ring of three positions, as it does in real files.
			`warning: read accounts "` + counties + `": row 298: polygon 1, ring 1 has only 3 positions, which enclose nothing ` +
				"(a ring needs at least 4, the last repeating the first): polygon 1 is dropped from the unit's outline\n" +
				"0 errors, 1 warning\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runMain(t, append([]string{"validate"}, tt.args...)...)
			if code != exitOK || stderr != tt.stderr {
				t.Errorf("validate: exit %d, stderr:\n%s\nwant:\n%s", code, stderr, tt.stderr)
			}
			if diff := cmp.Diff(tt.stdout, stdout); diff != "" {
				t.Errorf("validate stdout (-want +got):\n%s", diff)
			}
			out := filepath.Join(t.TempDir(), "out")
			if code, _, stderr := runMain(t, append(append([]string{"solve"}, tt.args...), "-o", out)...); code != exitOK {
				t.Errorf("solve: exit %d:\n%s", code, stderr)
			}
		})
	}
}

// writeExampleWorkbook writes the example workbook: a notes sheet, then
// the accounts and the reps on sheets of their own, with headers as a
// spreadsheet user writes them, today's rep of every account (the nearest
// rep) and a few locked accounts.
func writeExampleWorkbook(t *testing.T, path string) {
	t.Helper()
	d, err := demo.Generate(exampleConfig)
	if err != nil {
		t.Fatal(err)
	}
	f := excelize.NewFile()
	defer f.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetSheetName("Sheet1", "Notes"))
	for i, line := range []string{
		"Example input for territory: made-up accounts and reps in North and South Carolina.",
		"Generated by go test ./pkg/cli -run TestExampleFiles -update from pkg/demo (2010 Census county populations, US public domain).",
		"Accounts: one row each. Current Rep is today's owner (a Rep ID); Locked keeps an account with it.",
		"Reps: Capacity is the share of a full territory (0.5 = half time).",
		"territory validate --accounts accounts.xlsx --accounts-sheet Accounts --reps accounts.xlsx --reps-sheet Reps --balance \"Annual Revenue:5%\"",
	} {
		must(f.SetCellValue("Notes", fmt.Sprintf("A%d", i+1), line))
	}
	setRows := func(sheet string, rows [][]any) {
		_, err := f.NewSheet(sheet)
		must(err)
		for r, row := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			must(f.SetSheetRow(sheet, cell, &row))
		}
	}
	accounts := [][]any{{"Account ID", "Account Name", "Lat", "Lon", "Annual Revenue", "Workload Hours", "Current Rep", "Locked"}}
	for i, a := range d.Accounts {
		owner := d.Reps[0].ID
		best := math.Inf(1)
		for _, r := range d.Reps {
			if dist := math.Hypot(a.Lat-r.HomeLat, (a.Lon-r.HomeLon)*math.Cos(a.Lat*math.Pi/180)); dist < best {
				owner, best = r.ID, dist
			}
		}
		locked := ""
		if i%50 == 0 {
			locked = "yes"
		}
		accounts = append(accounts, []any{a.ID, a.Name, a.Lat, a.Lon, a.Revenue, a.Workload, owner, locked})
	}
	setRows("Accounts", accounts)
	reps := [][]any{{"Rep ID", "Rep Name", "Home Lat", "Home Lon", "Capacity"}}
	for _, r := range d.Reps {
		reps = append(reps, []any{r.ID, r.Name, r.HomeLat, r.HomeLon, r.Capacity})
	}
	setRows("Reps", reps)
	must(f.SaveAs(path))
	must(os.Chmod(path, 0o644))
}

// dumpWorkbook writes every sheet of a workbook as text: the sheet's name,
// then one line per row, cells separated by tabs, as excelize reads them.
func dumpWorkbook(t *testing.T, path string) string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	for _, sheet := range f.GetSheetList() {
		fmt.Fprintf(&b, "== %s\n", sheet)
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows {
			b.WriteString(strings.Join(row, "\t") + "\n")
		}
	}
	return b.String()
}

// exampleCountiesGeoJSON returns the features of the counties of
// exampleCountyIDs from the shared counties file, unchanged, one per line.
func exampleCountiesGeoJSON(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var fc struct {
		Features []json.RawMessage `json:"features"`
	}
	if err := json.Unmarshal(data, &fc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	states := strings.Fields(exampleCountyIDs)
	var keep [][]byte
	for _, raw := range fc.Features {
		var f struct {
			Properties struct {
				State string `json:"state"`
			} `json:"properties"`
		}
		if err := json.Unmarshal(raw, &f); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if slices.Contains(states, f.Properties.State) {
			keep = append(keep, raw)
		}
	}
	var b bytes.Buffer
	b.WriteString(`{"type":"FeatureCollection","features":[` + "\n")
	b.Write(bytes.Join(keep, []byte(",\n")))
	b.WriteString("\n]}\n")
	return b.Bytes(), nil
}
