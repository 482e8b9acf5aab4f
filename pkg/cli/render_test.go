package cli

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/territory-optimizer/territory/pkg/report"
)

func TestNewRenderCmd(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    renderOptions
		wantErr string // a substring of the error; "" for none
	}{
		{
			name: "defaults: both maps",
			args: []string{"--demo", "--plan", "p.csv"},
			want: renderOptions{inputOptions: inputOptions{Demo: true, Changed: []string{"demo", "plan"}}, Plan: "p.csv",
				OutDir: defaultOutDir, Formats: []string{"svg", "html"}, Basemap: "outlines"},
		},
		{
			name: "one map",
			args: []string{"--accounts", "a.csv", "--reps", "r.csv", "--formats", "html", "-o", "maps", "--basemap", "osm", "-q"},
			want: renderOptions{inputOptions: inputOptions{AccountsFile: "a.csv", RepsFile: "r.csv",
				Changed: []string{"accounts", "reps", "formats", "out", "basemap", "quiet"}}, OutDir: "maps", Formats: []string{"html"},
				Basemap: "osm", Quiet: true},
		},
		{name: "bad basemap", args: []string{"--demo", "--plan", "p.csv", "--basemap", ""}, wantErr: `--basemap: unknown basemap ""`},
		{name: "not a map", args: []string{"--demo", "--plan", "p.csv", "--formats", "svg,csv"},
			wantErr: `format "csv" is not written by this command (expected svg or html)`},
		{name: "no plan and no reps", args: []string{"--accounts", "a.csv", "-k", "2"}, wantErr: "no plan"},
		{
			name: "weight",
			args: []string{"--demo", "--plan", "p.csv", "--weight", "Revenue"},
			want: renderOptions{inputOptions: inputOptions{Demo: true, Changed: []string{"demo", "plan", "weight"}}, Plan: "p.csv",
				Weight: "Revenue", OutDir: defaultOutDir, Formats: []string{"svg", "html"}, Basemap: "outlines"},
		},
		{name: "bad weight", args: []string{"--demo", "--plan", "p.csv", "--weight", " - "}, wantErr: `--weight: " - " is not a measure name`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *renderOptions
			cmd := newRenderCmd(Env{}, func(_ context.Context, o *renderOptions) error {
				got = o
				return nil
			})
			cmd.SetArgs(tt.args)
			cmd.SetIn(&bytes.Buffer{})
			cmd.SetOut(&bytes.Buffer{})
			cmd.SetErr(&bytes.Buffer{})
			cmd.SilenceErrors, cmd.SilenceUsage = true, true
			_, err := cmd.ExecuteC()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if diff := cmp.Diff(tt.want, *got, cmp.AllowUnexported(renderOptions{})); diff != "" {
				t.Errorf("options (-want +got):\n%s", diff)
			}
		})
	}
}

// dirFiles lists the names of the files in dir, sorted.
func dirFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	slices.Sort(names)
	return names
}

// checkXML parses an SVG file to its end with encoding/xml.
func checkXML(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	d := xml.NewDecoder(bytes.NewReader(b))
	root := ""
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s is not well-formed XML: %v", path, err)
		}
		if se, ok := tok.(xml.StartElement); ok && root == "" {
			root = se.Name.Local
		}
	}
	if root != "svg" {
		t.Errorf("%s: root element %q, want svg", path, root)
	}
}

// TestRenderWritesMapsOnly draws the demo's golden plan: map.svg and
// map.html and nothing else; --formats svg draws one.
func TestRenderWritesMapsOnly(t *testing.T) {
	dir := t.TempDir()
	plan := filepath.Join("testdata", "demo", assignmentsFile)
	out := filepath.Join(dir, "maps")
	code, stdout, stderr := runMain(t, "render", "--demo", "--plan", plan, "-o", out)
	if code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	if stdout != "" {
		t.Errorf("stdout = %q, want nothing", stdout)
	}
	if want := "wrote " + out + "/ (2 files)"; !strings.Contains(stderr, want) {
		t.Errorf("stderr = %q, want it to say %q", stderr, want)
	}
	if diff := cmp.Diff([]string{mapHTMLFile, mapSVGFile}, dirFiles(t, out)); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	checkXML(t, filepath.Join(out, mapSVGFile))
	html, err := os.ReadFile(filepath.Join(out, mapHTMLFile))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(html, []byte("<!DOCTYPE html>")) || !bytes.Contains(html, []byte("25 territories of demo")) {
		t.Errorf("map.html does not look like the demo's map: %.200s", html)
	}

	one := filepath.Join(dir, "svg")
	if code, _, stderr := runMain(t, "render", "--demo", "--plan", plan, "-o", one, "--formats", "svg", "-q"); code != exitOK {
		t.Fatalf("--formats svg: exit %d; stderr:\n%s", code, stderr)
	}
	if diff := cmp.Diff([]string{mapSVGFile}, dirFiles(t, one)); diff != "" {
		t.Errorf("--formats svg: files (-want +got):\n%s", diff)
	}
	// The same plan draws the same bytes.
	a, _ := os.ReadFile(filepath.Join(out, mapSVGFile))
	b, _ := os.ReadFile(filepath.Join(one, mapSVGFile))
	if !bytes.Equal(a, b) {
		t.Error("map.svg differs between two renders of one plan")
	}
}

// TestOutputsEscapeUserText writes every output of a plan whose rep and
// account names are markup and formulas, and checks that the maps hold
// them only escaped and the workbook only as text (issue 7: injection).
func TestOutputsEscapeUserText(t *testing.T) {
	const (
		script  = `<script>alert(1)</script>`
		formula = `=HYPERLINK("http://example.com","x")`
		comment = `--><img src=x onerror=alert(2)>`
	)
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	reps := write("reps.csv", "id,name,lat,lon\nR1,\""+script+"\",35,-80\nR2,\""+strings.ReplaceAll(formula, `"`, `""`)+"\",36,-81\n")
	accounts := write("accounts.csv", "id,name,lat,lon,revenue,owner\n"+
		"a1,\""+comment+"\",35.1,-80.1,10,R1\n"+
		"a2,\""+strings.ReplaceAll(formula, `"`, `""`)+"\",35.2,-80.2,20,R1\n"+
		"a3,plain,36.1,-81.1,15,R2\n"+
		"a4,\""+script+"\",36.2,-81.2,15,R2\n")
	out := filepath.Join(dir, "out")
	code, _, stderr := runMain(t, "solve", "--accounts", accounts, "--reps", reps, "--balance", "revenue:50%", "-o", out, "-q")
	if code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	if diff := cmp.Diff([]string{assignmentsFile, mapHTMLFile, mapSVGFile, movesFile, reportMDFile, reportXLSXFile, summaryFile,
		territoriesFile, territoriesGeoJSON}, dirFiles(t, out)); diff != "" {
		t.Fatalf("files (-want +got):\n%s", diff)
	}

	for _, name := range []string{mapHTMLFile, mapSVGFile} {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		for _, raw := range []string{script, comment, "<img"} {
			if bytes.Contains(b, []byte(raw)) {
				t.Errorf("%s holds %q unescaped", name, raw)
			}
		}
	}
	svg, _ := os.ReadFile(filepath.Join(out, mapSVGFile))
	if !bytes.Contains(svg, []byte("&lt;script&gt;alert(1)&lt;/script&gt;")) {
		t.Errorf("map.svg lacks the rep's name, escaped")
	}
	checkXML(t, filepath.Join(out, mapSVGFile))
	html, _ := os.ReadFile(filepath.Join(out, mapHTMLFile))
	if !bytes.Contains(html, []byte(`\u003cscript\u003ealert(1)\u003c/script\u003e`)) {
		t.Errorf("map.html lacks the rep's name, escaped in its data")
	}
	if n := bytes.Count(html, []byte("<script")); n != 2 {
		t.Errorf("map.html has %d <script elements, want 2 (its data and its own script)", n)
	}

	// The workbook: every such name is a text cell, never a formula.
	f, err := excelize.OpenFile(filepath.Join(out, reportXLSXFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	found := map[string]bool{}
	for _, sheet := range []string{report.SheetTerritories, report.SheetAssignments} {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, v := range row {
				if v != script && v != formula && v != comment {
					continue
				}
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if fm, _ := f.GetCellFormula(sheet, cell); fm != "" {
					t.Errorf("%s!%s is the formula %q", sheet, cell, fm)
				}
				typ, err := f.GetCellType(sheet, cell)
				if err != nil {
					t.Fatal(err)
				}
				if typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
					t.Errorf("%s!%s holding %q has cell type %v, want a string", sheet, cell, v, typ)
				}
				found[v] = true
			}
		}
	}
	for _, v := range []string{script, formula, comment} {
		if !found[v] {
			t.Errorf("report.xlsx does not hold %q as typed", v)
		}
	}
}
