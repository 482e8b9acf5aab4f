package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/territory-optimizer/territory/pkg/demo"
)

// formatsConfig is the dataset every input format is written from: 3,000
// accounts over the contiguous US and 15 reps, 2 of them half time.
var formatsConfig = demo.Config{Accounts: 3000, Reps: 15, HalfCapacity: 2, Seed: 3000}

// TestSameDatasetEveryFormat writes one generated dataset as a plain CSV,
// as an XLSX workbook (a notes sheet first, then the accounts and the reps
// on named sheets with spreadsheet headers), as semicolon CSV with a byte
// order mark, CRLF line ends, decimal commas and German headers mapped with
// --columns, and as GeoJSON points, solves each with the revenue measure
// within 5%, and checks that every one gives the same assignments.csv, byte
// for byte, as the plain CSV.
func TestSameDatasetEveryFormat(t *testing.T) {
	if testing.Short() {
		t.Skip("solves 3,000 accounts five times")
	}
	d, err := demo.Generate(formatsConfig)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := func(name string) string { return filepath.Join(dir, name) }
	writeFile := func(name string, b []byte) {
		t.Helper()
		if err := os.WriteFile(path(name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var accounts, reps bytes.Buffer
	if err := d.WriteAccountsCSV(&accounts); err != nil {
		t.Fatal(err)
	}
	if err := d.WriteRepsCSV(&reps); err != nil {
		t.Fatal(err)
	}
	writeFile("accounts.csv", accounts.Bytes())
	writeFile("reps.csv", reps.Bytes())
	writeDatasetXLSX(t, d, path("accounts.xlsx"))
	writeFile("konten.csv", germanAccountsCSV(d))
	writeFile("accounts.geojson", accountsGeoJSON(d))
	writeFile("reps.geojson", repsGeoJSON(d))

	tests := []struct {
		name string
		args []string
	}{
		{"plain CSV", []string{"--accounts", path("accounts.csv"), "--reps", path("reps.csv"), "--balance", "revenue:5%"}},
		{"XLSX sheets", []string{"--accounts", path("accounts.xlsx"), "--reps", path("accounts.xlsx"), "--reps-sheet", "Reps",
			"--balance", "Annual Revenue:5%"}},
		{"XLSX sheets named", []string{"--accounts", path("accounts.xlsx"), "--accounts-sheet", "accounts",
			"--columns", `id="Account ID",name=Account Name`, "--reps", path("accounts.xlsx"), "--reps-sheet", "REPS",
			"--rep-columns", "capacity=Capacity", "--balance", "annual_revenue:5%"}},
		{"semicolon CSV with BOM, CRLF and decimal commas", []string{"--accounts", path("konten.csv"),
			"--columns", "id=Kunde,name=Firma,lat=Breite,lon=Länge", "--reps", path("reps.csv"), "--balance", "Umsatz:5%"}},
		{"GeoJSON points", []string{"--accounts", path("accounts.geojson"), "--reps", path("reps.geojson"), "--balance", "revenue:5%"}},
	}
	var want []byte
	for i, tt := range tests {
		out := path(fmt.Sprintf("out%d", i))
		code, _, stderr := runMain(t, append(append([]string{"solve"}, tt.args...), "-q", "-o", out)...)
		if code != exitOK {
			t.Fatalf("%s: exit %d:\n%s", tt.name, code, stderr)
		}
		got, err := os.ReadFile(filepath.Join(out, assignmentsFile))
		if err != nil {
			t.Fatal(err)
		}
		if n := bytes.Count(got, []byte("\n")); n != formatsConfig.Accounts+1 {
			t.Fatalf("%s: assignments.csv has %d lines, want %d", tt.name, n, formatsConfig.Accounts+1)
		}
		if i == 0 {
			want = got
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: assignments.csv differs from the plain CSV's", tt.name)
		}
	}
}

// writeDatasetXLSX writes d as a workbook the way a spreadsheet user keeps
// it: a notes sheet first, then "Accounts" and "Reps" with headers as
// people write them, streamed as excelize writes large sheets.
func writeDatasetXLSX(t *testing.T, d *demo.Dataset, path string) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Notes"); err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellValue("Notes", "A1", "Accounts and reps, exported for territory planning"); err != nil {
		t.Fatal(err)
	}
	stream := func(sheet string, header []any, rows func(add func([]any))) {
		if _, err := f.NewSheet(sheet); err != nil {
			t.Fatal(err)
		}
		sw, err := f.NewStreamWriter(sheet)
		if err != nil {
			t.Fatal(err)
		}
		r := 1
		add := func(row []any) {
			cell, _ := excelize.CoordinatesToCellName(1, r)
			if err := sw.SetRow(cell, row); err != nil {
				t.Fatal(err)
			}
			r++
		}
		add(header)
		rows(add)
		if err := sw.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	stream("Accounts", []any{"Account ID", "Account Name", "Lat", "Lon", "Annual Revenue", "Workload Hours"}, func(add func([]any)) {
		for _, a := range d.Accounts {
			add([]any{a.ID, a.Name, a.Lat, a.Lon, a.Revenue, a.Workload})
		}
	})
	stream("Reps", []any{"Rep ID", "Rep Name", "Home Lat", "Home Lon", "Capacity"}, func(add func([]any)) {
		for _, r := range d.Reps {
			add([]any{r.ID, r.Name, r.HomeLat, r.HomeLon, r.Capacity})
		}
	})
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

// germanAccountsCSV writes the accounts as a German Excel exports CSV:
// a byte order mark, semicolons, CRLF, decimal commas and German headers.
func germanAccountsCSV(d *demo.Dataset) []byte {
	num := func(v float64) string {
		return strings.ReplaceAll(strconv.FormatFloat(v, 'f', -1, 64), ".", ",")
	}
	var b bytes.Buffer
	b.WriteString("\ufeffKunde;Firma;Breite;Länge;Umsatz;Aufwand\r\n")
	for _, a := range d.Accounts {
		name := a.Name
		if strings.ContainsAny(name, `;"`) {
			name = `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
		}
		fmt.Fprintf(&b, "%s;%s;%s;%s;%s;%s\r\n", a.ID, name, num(a.Lat), num(a.Lon), num(a.Revenue), num(a.Workload))
	}
	return b.Bytes()
}

// accountsGeoJSON writes the accounts as a FeatureCollection of points.
func accountsGeoJSON(d *demo.Dataset) []byte {
	type feature struct {
		Type       string         `json:"type"`
		ID         string         `json:"id"`
		Properties map[string]any `json:"properties"`
		Geometry   map[string]any `json:"geometry"`
	}
	fc := struct {
		Type     string    `json:"type"`
		Features []feature `json:"features"`
	}{Type: "FeatureCollection"}
	for _, a := range d.Accounts {
		fc.Features = append(fc.Features, feature{Type: "Feature", ID: a.ID,
			Properties: map[string]any{"name": a.Name, "revenue": a.Revenue, "workload": a.Workload},
			Geometry:   map[string]any{"type": "Point", "coordinates": []float64{a.Lon, a.Lat}}})
	}
	b, err := json.Marshal(fc)
	if err != nil {
		panic(err)
	}
	return b
}

// repsGeoJSON writes the reps as a FeatureCollection of points at their
// homes, with a rep_id property rather than a feature id.
func repsGeoJSON(d *demo.Dataset) []byte {
	var b strings.Builder
	b.WriteString(`{"type": "FeatureCollection", "features": [`)
	for i, r := range d.Reps {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "\n"+`{"type": "Feature", "properties": {"rep_id": %q, "name": %q, "capacity": %v}, "geometry": {"type": "Point", "coordinates": [%v, %v]}}`,
			r.ID, r.Name, r.Capacity, r.HomeLon, r.HomeLat)
	}
	b.WriteString("\n]}\n")
	return []byte(b.String())
}
