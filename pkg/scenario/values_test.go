package scenario

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseMoveLimit(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    MoveLimit
		str     string // String of the result
		of5000  int    // Of(5000)
		of3     int    // Of(3)
		wantErr string
	}{
		{name: "empty: no limit", in: "", want: MoveLimit{}, str: "", of5000: 5000, of3: 3},
		{name: "accounts", in: "200", want: MoveLimit{Limited: true, Value: 200}, str: "200", of5000: 200, of3: 3},
		{name: "zero accounts", in: "0", want: MoveLimit{Limited: true, Value: 0}, str: "0", of5000: 0, of3: 0},
		{name: "percent", in: "10%", want: MoveLimit{Limited: true, Percent: true, Value: 10}, str: "10%", of5000: 500, of3: 0},
		// 7% of 5000 is 350 exactly; 0.07·5000 in floating point is not.
		{name: "percent, exactly", in: "7%", want: MoveLimit{Limited: true, Percent: true, Value: 7}, str: "7%", of5000: 350, of3: 0},
		{name: "fractional percent", in: " 2.5 % ", want: MoveLimit{Limited: true, Percent: true, Value: 2.5}, str: "2.5%", of5000: 125, of3: 0},
		{name: "all", in: "100%", want: MoveLimit{Limited: true, Percent: true, Value: 100}, str: "100%", of5000: 5000, of3: 3},
		{name: "words", in: "ten", wantErr: `"ten" is not a number of accounts (expected N accounts such as 200, or P% of them such as 10%)`},
		{name: "fraction of an account", in: "2.5", wantErr: `"2.5" is not a number of accounts (expected N accounts such as 200, or P% of them such as 10%)`},
		{name: "negative", in: "-1", wantErr: `"-1" is negative (expected 0 or more accounts)`},
		{name: "too large", in: "99999999999999999999", wantErr: `"99999999999999999999" is too large`},
		{name: "bad percent", in: "x%", wantErr: `"x%" is not a percentage (expected N accounts such as 200, or P% of them such as 10%)`},
		{name: "NaN percent", in: "NaN%", wantErr: `"NaN%" is not a percentage (expected N accounts such as 200, or P% of them such as 10%)`},
		{name: "over 100%", in: "100.5%", wantErr: `"100.5%" is not between 0% and 100%`},
		{name: "negative percent", in: "-5%", wantErr: `"-5%" is not between 0% and 100%`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseMoveLimit(tt.in)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("ParseMoveLimit(%q) = %v, %v; want error %s", tt.in, got, err, tt.wantErr)
				}
				var m MoveLimit
				if err := m.Set(tt.in); err == nil || m != (MoveLimit{}) {
					t.Errorf("Set(%q) = %v and changed the limit to %+v", tt.in, err, m)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseMoveLimit (-want +got):\n%s", diff)
			}
			if s := got.String(); s != tt.str {
				t.Errorf("String() = %q, want %q", s, tt.str)
			}
			if n := got.Of(5000); n != tt.of5000 {
				t.Errorf("Of(5000) = %d, want %d", n, tt.of5000)
			}
			if n := got.Of(3); n != tt.of3 {
				t.Errorf("Of(3) = %d, want %d", n, tt.of3)
			}
			var m MoveLimit
			if err := m.Set(tt.in); err != nil || m != got {
				t.Errorf("Set(%q) = %v, %+v; want %+v", tt.in, err, m, got)
			}
			back, err := ParseMoveLimit(got.String())
			if err != nil || back != got {
				t.Errorf("ParseMoveLimit(String()) = %+v, %v; want %+v", back, err, got)
			}
		})
	}
	if typ := new(MoveLimit).Type(); typ != "N|P%" {
		t.Errorf("Type() = %q", typ)
	}
}

func TestParseFormats(t *testing.T) {
	tests := []struct {
		name    string
		in      []string
		want    []string
		wantErr string
	}{
		{name: "one", in: []string{"json"}, want: []string{"json"}},
		{name: "canonical order, each once", in: []string{"html", "CSV", " csv ", "svg"}, want: []string{"csv", "svg", "html"}},
		{name: "as the flag gives them", in: []string{"md,geojson", "xlsx"}, want: []string{"xlsx", "md", "geojson"}},
		{name: "every format", in: Formats(), want: []string{"csv", "json", "xlsx", "md", "geojson", "svg", "html"}},
		{name: "unknown", in: []string{"csv", "pdf"}, wantErr: `unknown format "pdf" (expected csv, json, xlsx, md, geojson, svg or html)`},
		{name: "empty item", in: []string{"csv,"}, wantErr: `unknown format "" (expected csv, json, xlsx, md, geojson, svg or html)`},
		{name: "none", in: []string{}, wantErr: `no formats (expected one or more of csv, json, xlsx, md, geojson, svg, html)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseFormats(tt.in)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("ParseFormats(%q) = %v, %v; want error %s", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseFormats (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseEffort(t *testing.T) {
	for _, in := range []string{"quick", "Normal", " THOROUGH "} {
		got, err := ParseEffort(in)
		if want := strings.ToLower(strings.TrimSpace(in)); err != nil || got != want {
			t.Errorf("ParseEffort(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseEffort("max"); err == nil || err.Error() != `unknown effort "max" (expected quick, normal or thorough)` {
		t.Errorf("ParseEffort(max): %v", err)
	}
	if diff := cmp.Diff([]string{"quick", "normal", "thorough"}, Efforts()); diff != "" {
		t.Errorf("Efforts (-want +got):\n%s", diff)
	}
}

func TestParseShape(t *testing.T) {
	tests := []struct {
		name, in, want, wantErr string
	}{
		{name: "regions", in: "regions", want: "regions"},
		{name: "free in capitals", in: "FREE", want: "free"},
		{name: "spaces around", in: " Regions ", want: "regions"},
		{name: "empty", in: "", wantErr: `unknown shape "" (expected regions or free)`},
		{name: "unknown", in: "interleaved", wantErr: `unknown shape "interleaved" (expected regions or free)`},
		{name: "solve's own spelling only", in: "region", wantErr: `unknown shape "region" (expected regions or free)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseShape(tt.in)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("ParseShape(%q) = %q, %v; want error %s", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("ParseShape(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestParseWeight(t *testing.T) {
	tests := []struct {
		name, in, want, wantErr string
	}{
		{name: "a name", in: "population", want: "population"},
		{name: "normalised as measures are", in: "Pop 2010", want: "pop_2010"},
		{name: "empty is no weight", in: "", want: ""},
		{name: "blank is no weight", in: "  ", want: ""},
		{name: "punctuation only", in: "--", wantErr: `"--" is not a measure name (expected a column of the accounts, such as population)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseWeight(tt.in)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("ParseWeight(%q) = %q, %v; want error %s", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("ParseWeight(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		s    *Scenario
		want []string
	}{
		{name: "zero", s: &Scenario{}},
		{name: "demo", s: Demo("accounts.csv", "reps.csv", []string{"revenue:5%", "workload:5%"})},
		{name: "every problem", s: &Scenario{
			Accounts:    Input{File: "a.csv", Columns: map[string]string{"capacity": "FTE", "id": ""}},
			Demo:        true,
			Territories: -2,
			Balance:     []string{"revenue:5%", "", "Revenue:max=1"},
			Objective:   "fast",
			Weight:      ".",
			Center:      "middle",
			Shape:       "blobs",
			Constraints: Constraints{MaxMoves: "ten", Stickiness: -1},
			Effort:      "max",
			TimeLimit:   "soon",
			Output:      Output{Formats: []string{"csv", "pdf"}},
		}, want: []string{
			`scenario: accounts.columns: unknown key "capacity" (expected id, name, lat, lon, x, y, owner, locked or unit)`,
			`scenario: accounts.columns.id: empty column name (only an optional key, name, owner, locked or unit, can be turned off)`,
			`scenario: demo: the demo has its own accounts and reps: leave out accounts.file and reps.file, or demo`,
			`scenario: territories: must be at least 1, got -2 (leave the key out for one territory per rep)`,
			`scenario: balance rule "": missing measure name (expected MEASURE, MEASURE:TOL%, MEASURE:max=V or MEASURE:min=V,max=V)`,
			`scenario: balance rule "Revenue:max=1": a second rule for measure "revenue" (the first is "revenue:5%"): combine them into one`,
			`scenario: objective: unknown value "fast" (expected sse or distance)`,
			`scenario: weight: "." is not a measure name (expected a column of the accounts, such as population)`,
			`scenario: center: unknown value "middle" (expected mean, unit or home)`,
			`scenario: shape: unknown value "blobs" (expected regions or free)`,
			`scenario: constraints.max_moves: "ten" is not a number of accounts (expected N accounts such as 200, or P% of them such as 10%)`,
			`scenario: constraints.stickiness: must be 0 or more, got -1`,
			`scenario: effort: unknown value "max" (expected quick, normal or thorough)`,
			`scenario: time_limit: "soon" is not a duration (expected a number and a unit, such as 90s, 2m or 1h30m)`,
			`scenario: output.formats: unknown format "pdf" (expected csv, json, xlsx, md, geojson, svg or html)`,
		}},
		{name: "no formats", s: &Scenario{Output: Output{Formats: []string{}}}, want: []string{
			`scenario: output.formats: no formats (expected one or more of csv, json, xlsx, md, geojson, svg, html)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.s.Validate()
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				tt.s.Settings() // must not panic
				return
			}
			if err == nil {
				t.Fatal("Validate: no error")
			}
			if diff := cmp.Diff(tt.want, strings.Split(err.Error(), "\n")); diff != "" {
				t.Errorf("Validate (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSettingsOfInvalidPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Settings of an invalid scenario did not panic")
		}
	}()
	(&Scenario{Objective: "fast"}).Settings()
}
