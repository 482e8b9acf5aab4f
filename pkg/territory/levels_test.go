package territory

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseLevel(t *testing.T) {
	for _, tt := range []struct {
		name, in string
		want     Level
		err      string
	}{
		{name: "plain", in: "district=12", want: Level{Name: "district", K: 12}},
		{name: "normalised", in: "Sales Region = 3", want: Level{Name: "sales_region", K: 3}},
		{name: "no K", in: "district", err: "expected NAME=K"},
		{name: "zero", in: "district=0", err: "not a number of parents"},
		{name: "no name", in: "=3", err: "missing level name"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseLevel(tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("ParseLevel(%q) = %v, %v; want an error with %q", tt.in, got, err, tt.err)
				}
				return
			}
			if err != nil || !cmp.Equal(got, tt.want) {
				t.Fatalf("ParseLevel(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
			if again, _ := ParseLevel(got.String()); !cmp.Equal(again, got) {
				t.Errorf("String %q reads back as %v", got.String(), again)
			}
		})
	}
	ids := Level{Name: "district", K: 12}.ParentIDs()
	if ids[0] != "district-01" || ids[11] != "district-12" {
		t.Errorf("ParentIDs = %v", ids)
	}
}

func TestResolveLevels(t *testing.T) {
	levels := []Level{{Name: "district", K: 12}, {Name: "region", K: 3}}
	rev := BalanceRule{Measure: "revenue", HasTolerance: true, Tolerance: 0.02}
	work := BalanceRule{Measure: "workload", HasMax: true, Max: 1600}
	lr, err := ParseLevelRule("region:revenue:1%")
	if err != nil {
		t.Fatal(err)
	}
	got, err := ResolveLevels(levels, []LevelRule{lr}, []BalanceRule{rev, work})
	if err != nil {
		t.Fatal(err)
	}
	// The district takes the territories' measures at 10% at least, without
	// their max; the region keeps its own rule.
	want := []Level{
		{Name: "district", K: 12, Rules: []BalanceRule{{Measure: "revenue", HasTolerance: true, Tolerance: 0.10}, {Measure: "workload", HasTolerance: true, Tolerance: 0.10}}},
		{Name: "region", K: 3, Rules: []BalanceRule{{Measure: "revenue", HasTolerance: true, Tolerance: 0.01}}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ResolveLevels (-want +got):\n%s", diff)
	}
	for _, tt := range []struct {
		name   string
		levels []Level
		rules  []LevelRule
		err    string
	}{
		{"unknown level", levels, []LevelRule{{Level: "area", Rule: rev}}, `no level "area"`},
		{"twice", []Level{{Name: "d", K: 2}, {Name: "d", K: 1}}, nil, "given twice"},
		{"two rules", levels, []LevelRule{{Level: "region", Rule: rev}, {Level: "region", Rule: rev}}, "a second rule"},
		{"upside down", []Level{{Name: "d", K: 2}, {Name: "r", K: 3}}, nil, "more parents than the level below"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ResolveLevels(tt.levels, tt.rules, nil); err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("error %v, want %q", err, tt.err)
			}
		})
	}
}
