package cli

import (
	"bytes"
	"context"
	"github.com/territory-optimizer/territory/pkg/solve"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/territory-optimizer/territory/pkg/report"
	"github.com/territory-optimizer/territory/pkg/scenario"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// smallRun is a planar problem of six accounts in two territories, with
// its plan and metrics.
func smallRun(t *testing.T) *runResult {
	t.Helper()
	p := &territory.Problem{
		Space: territory.Planar,
		Accounts: territory.Accounts{
			IDs:      []string{"1", "2", "3", "4", "5", "6"},
			Locs:     []territory.Point{{X: 0, Y: 0}, {X: 1, Y: 0}, {X: 0, Y: 1}, {X: 5, Y: 5}, {X: 6, Y: 5}, {X: 5, Y: 6}},
			Measures: []territory.Measure{{Name: "demand", Column: "Demand", Values: []float64{1, 2, 3, 3, 2, 1}}},
		},
		Reps:      []territory.Rep{{ID: "R1", Name: "Ann", Capacity: 1}, {ID: "R2", Name: "Bob", Capacity: 1}},
		Rules:     []territory.BalanceRule{{Measure: "demand", HasTolerance: true, Tolerance: 0.05}},
		Objective: territory.SSE,
		Center:    territory.CenterMean,
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	plan := solve.PlaceCentres(p, []int{0, 0, 0, 1, 1, 1})
	return &runResult{problem: p, plan: plan, metrics: report.Evaluate(p, plan),
		run: report.Run{Version: "test", Objective: "sse", Center: "mean", K: 2, Accounts: "small.csv", Space: "planar"}}
}

func TestOutputFiles(t *testing.T) {
	all := []string{assignmentsFile, territoriesFile, summaryFile, reportXLSXFile, reportMDFile, territoriesGeoJSON, mapSVGFile, mapHTMLFile}
	tests := []struct {
		name    string
		formats []string
		want    []string
		wantErr string
	}{
		{name: "all", formats: scenario.Formats(), want: all},
		{name: "lean batch run", formats: []string{"csv", "json"}, want: []string{assignmentsFile, territoriesFile, summaryFile}},
		{name: "order of the formats does not matter", formats: []string{"html", "md", "csv"},
			want: []string{assignmentsFile, territoriesFile, reportMDFile, mapHTMLFile}},
		{name: "maps", formats: mapFormats, want: []string{mapSVGFile, mapHTMLFile}},
		{name: "boundaries alone", formats: []string{"geojson"}, want: []string{territoriesGeoJSON}},
		{name: "unknown", formats: []string{"csv", "pdf"}, wantErr: `unknown output format "pdf"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files, err := outputFiles(context.Background(), tt.formats, smallRun(t))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, f := range files {
				names = append(names, f.Name)
				var buf bytes.Buffer
				if err := f.Write(&buf); err != nil {
					t.Errorf("write %s: %v", f.Name, err)
				} else if buf.Len() == 0 {
					t.Errorf("%s is empty", f.Name)
				}
			}
			if diff := cmp.Diff(tt.want, names); diff != "" {
				t.Errorf("files (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.want, filesOf(tt.formats)); diff != "" {
				t.Errorf("filesOf (-want +got):\n%s", diff)
			}
		})
	}
}

// TestOutputBoundaries checks that the point accounts' territories get
// outlines (merged cells), which territories.geojson holds as
// MultiPolygons, not nulls.
func TestOutputBoundaries(t *testing.T) {
	r := smallRun(t)
	b := territoryBoundaries(r)
	if len(b) != 2 {
		t.Fatalf("%d boundaries, want 2", len(b))
	}
	for k, mp := range b {
		if len(mp) == 0 {
			t.Errorf("territory %d has no outline", k)
		}
	}
	files, err := outputFiles(context.Background(), []string{"geojson"}, r)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := files[0].Write(&buf); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), `"type":"MultiPolygon"`); n != 2 {
		t.Errorf("territories.geojson has %d MultiPolygons, want 2:\n%s", n, buf.String())
	}
}

func TestFormatsValue(t *testing.T) {
	tests := []struct {
		name    string
		allowed []string
		sets    []string
		want    []string // after scenario.ParseFormats
		wantErr string
	}{
		{name: "default", want: scenario.Formats()},
		{name: "one list", sets: []string{"csv,json"}, want: []string{"csv", "json"}},
		{name: "repeated, any case, any order", sets: []string{"SVG", "csv", "svg"}, want: []string{"csv", "svg"}},
		{name: "unknown", sets: []string{"csv,pdf"}, wantErr: `unknown format "pdf"`},
		{name: "empty", sets: []string{""}, wantErr: `unknown format ""`},
		{name: "not allowed", allowed: mapFormats, sets: []string{"json"}, wantErr: `format "json" is not written by this command`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			formats := scenario.Formats()
			v := &formatsValue{formats: &formats, allowed: tt.allowed}
			var err error
			for _, s := range tt.sets {
				if err = v.Set(s); err != nil {
					break
				}
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, err := scenario.ParseFormats(formats)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("formats (-want +got):\n%s", diff)
			}
		})
	}
}
