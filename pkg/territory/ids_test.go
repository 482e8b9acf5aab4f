package territory_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/territory-optimizer/territory/pkg/territory"
)

func TestCompareIDs(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want int
	}{
		{name: "numeric, fewer digits first", a: "2", b: "10", want: -1},
		{name: "numeric, more digits last", a: "10", b: "2", want: 1},
		{name: "numeric, same length", a: "12", b: "13", want: -1},
		{name: "numeric equal", a: "10", b: "10", want: 0},
		{name: "leading zeros tie broken by bytes", a: "007", b: "7", want: -1},
		{name: "leading zeros tie broken by bytes, reversed", a: "7", b: "007", want: 1},
		{name: "leading zeros equal strings", a: "007", b: "007", want: 0},
		{name: "zero and double zero", a: "0", b: "00", want: -1},
		{name: "leading zeros do not count as digits", a: "0009", b: "10", want: -1},
		// 20 digits: past the range of int64, still numeric.
		{name: "beyond int64", a: "99999999999999999999", b: "100000000000000000000", want: -1},
		{name: "text by bytes", a: "a", b: "b", want: -1},
		{name: "text with numbers by bytes", a: "A10", b: "A2", want: -1},
		{name: "upper case before lower case", a: "B", b: "a", want: -1},
		{name: "number before letter", a: "10", b: "a", want: -1},
		{name: "letter after number", a: "a", b: "10", want: 1},
		{name: "signed number is text", a: "-5", b: "-10", want: 1},
		{name: "empty after digits: it is not all digits", a: "", b: "0", want: 1},
		{name: "empty equal", a: "", b: "", want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := territory.CompareIDs(tt.a, tt.b); got != tt.want {
				t.Errorf("CompareIDs(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

func TestCompareIDsSort(t *testing.T) {
	want := []string{
		"1", "2", "007", "7", "10", "20", "100",
		"", "A", "B", "a", "a1", "a10", "a2", "b",
	}
	tests := []struct {
		name string
		seed uint64
	}{
		{name: "seed=1", seed: 1},
		{name: "seed=2", seed: 2},
		{name: "seed=3", seed: 3},
		{name: "seed=4", seed: 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ids := slices.Clone(want)
			rng := rand.New(rand.NewPCG(tt.seed, 0))
			rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
			slices.SortFunc(ids, territory.CompareIDs)
			if diff := cmp.Diff(want, ids); diff != "" {
				t.Errorf("sorted ids mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// orderTestIDs mixes numeric ids, ids with leading zeros and text ids,
// including text that sorts by bytes between two numbers ("1a" lies between
// "10" and "2").
var orderTestIDs = []string{
	"", "0", "00", "1", "01", "2", "007", "7", "10", "100",
	"1a", "10a", "2b", "a", "a1", "a10", "A", "-1", " 1",
}

func sign(c int) int {
	switch {
	case c < 0:
		return -1
	case c > 0:
		return 1
	}
	return 0
}

func TestCompareIDsAntisymmetric(t *testing.T) {
	for _, a := range orderTestIDs {
		for _, b := range orderTestIDs {
			ab, ba := territory.CompareIDs(a, b), territory.CompareIDs(b, a)
			if sign(ab) != -sign(ba) {
				t.Errorf("CompareIDs(%q, %q) = %d but CompareIDs(%q, %q) = %d", a, b, ab, b, a, ba)
			}
			// A total order: only identical ids compare equal.
			if (ab == 0) != (a == b) {
				t.Errorf("CompareIDs(%q, %q) = %d", a, b, ab)
			}
		}
	}
}

// TestCompareIDsTransitive checks the other half of "a total order": without
// transitivity slices.SortFunc may give a different order for a different
// input order, and sorted outputs would depend on how the input was sorted.
func TestCompareIDsTransitive(t *testing.T) {
	var broken []string
	for _, a := range orderTestIDs {
		for _, b := range orderTestIDs {
			for _, c := range orderTestIDs {
				if territory.CompareIDs(a, b) < 0 && territory.CompareIDs(b, c) < 0 && territory.CompareIDs(a, c) >= 0 {
					broken = append(broken, fmt.Sprintf("%q < %q < %q but not %q < %q", a, b, c, a, c))
				}
			}
		}
	}
	if len(broken) > 0 {
		t.Errorf("CompareIDs is not transitive in %d triples, such as:\n%s",
			len(broken), strings.Join(broken[:min(len(broken), 5)], "\n"))
	}

	// What intransitivity does to a sort: the same three ids, given in
	// different orders, must sort to one order.
	want := []string{"2", "10", "1a"}
	slices.SortFunc(want, territory.CompareIDs)
	for _, in := range [][]string{{"2", "10", "1a"}, {"1a", "2", "10"}, {"10", "1a", "2"}, {"2", "1a", "10"}} {
		got := slices.Clone(in)
		slices.SortFunc(got, territory.CompareIDs)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("sorting %q gives a different order (-sorted from [2 10 1a] +sorted from %q):\n%s", in, in, diff)
		}
	}
}
