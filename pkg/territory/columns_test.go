package territory_test

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/territory-optimizer/territory/pkg/territory"
)

func TestParseNumber(t *testing.T) {
	tests := []struct {
		name         string
		in           string
		decimalComma bool
		want         float64
		state        territory.NumberState
	}{
		{name: "integer", in: "42", want: 42},
		{name: "decimal", in: "-12.5", want: -12.5},
		{name: "leading plus", in: "+3.25", want: 3.25},
		{name: "surrounding spaces", in: "  7 ", want: 7},
		{name: "exponent", in: "1.5e3", want: 1500},
		{name: "leading dot", in: ".5", want: 0.5},
		{name: "underflow is zero", in: "1e-400", want: 0},
		{name: "empty", in: "  ", state: territory.NumberEmpty},
		{name: "garbage", in: "12,5x", state: territory.NumberInvalid},
		{name: "comma without decimal comma", in: "12,5", state: territory.NumberInvalid},
		{name: "decimal comma", in: "12,5", decimalComma: true, want: 12.5},
		{name: "two commas", in: "1,234,5", decimalComma: true, state: territory.NumberInvalid},
		{name: "comma and dot", in: "1.234,5", decimalComma: true, state: territory.NumberInvalid},
		{name: "hex", in: "0x1p4", state: territory.NumberInvalid},
		{name: "underscore", in: "1_000", state: territory.NumberInvalid},
		{name: "currency", in: "$5", state: territory.NumberInvalid},
		{name: "NaN", in: "NaN", state: territory.NumberNotFinite},
		{name: "inf", in: "-Inf", state: territory.NumberNotFinite},
		{name: "infinity", in: "+infinity", state: territory.NumberNotFinite},
		{name: "overflow", in: "1e400", state: territory.NumberNotFinite},
		{name: "sign only", in: "-", state: territory.NumberInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, st := territory.ParseNumber(tt.in, tt.decimalComma)
			if st != tt.state || got != tt.want {
				t.Errorf("territory.ParseNumber(%q) = %v, %d; want %v, %d", tt.in, got, st, tt.want, tt.state)
			}
		})
	}
}

func TestColumns(t *testing.T) {
	c := territory.NewColumns("column", "no named columns", []string{"Account ID", "Lat", "Longitude", "", "Revenue", "latitude", "Notes"})
	errs := &territory.InputErrors{What: "read accounts", File: "a.csv"}
	if i := c.Map("id", "account id", false, errs); i != 0 || !c.Claimed[0] {
		t.Errorf("Map(id) = %d, claimed %v; want 0, claimed", i, c.Claimed[0])
	}
	if i := c.Map("owner", " ", true, errs); i != -1 {
		t.Errorf("Map(owner) to nothing = %d, want -1", i)
	}
	if i := c.Map("name", "Kunde", false, errs); i != -1 {
		t.Errorf("Map(name) to a missing column = %d, want -1", i)
	}
	if got, want := c.Detect([]string{"lat", "latitude"}), 1; got != want {
		t.Errorf("Detect(lat) = %d, want %d", got, want)
	}
	// The first alias is claimed now: the second one is found.
	if got, want := c.Detect([]string{"lat", "latitude"}), 5; got != want {
		t.Errorf("Detect(lat) again = %d, want %d", got, want)
	}
	c.Claimed[5] = false // as a reader releases a role it does not use
	notRole := func(n string) bool { return n == "lat" || n == "latitude" || n == "longitude" }
	holds := func(i int) []string { return []string{"id"} }
	got := c.Measures(notRole, []string{"Notes", "count", "Account ID", "profit"}, holds, errs)
	want := []territory.MeasureColumn{{Col: 4}, {Col: 6, Requested: true}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("measures (-want +got):\n%s", diff)
	}
	var msgs []string
	if err := errs.Err(); err != nil {
		for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
			msgs = append(msgs, e.Error())
		}
	}
	wantMsgs := []string{
		`read accounts "a.csv": column mapping name="Kunde": no such column (found "Account ID", "Lat", "Longitude", "Revenue", "latitude", "Notes")`,
		`read accounts "a.csv": column "Account ID": measure "account_id": the column holds the id, not a measure`,
		`read accounts "a.csv": no column for measure "profit" (found "Account ID", "Lat", "Longitude", "Revenue", "latitude", "Notes")`,
	}
	if diff := cmp.Diff(wantMsgs, msgs); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if got := territory.NewColumns("property", "no properties", nil).Found(); got != "no properties" {
		t.Errorf("Found of no names = %q", got)
	}
}

func TestColumnsAdd(t *testing.T) {
	c := territory.NewColumns("property", "no properties", nil)
	for _, n := range []string{"Revenue", "revenue", "", "_", "NAME"} {
		c.Add(n)
	}
	if want := []string{"Revenue", "", "NAME"}; !slices.Equal(c.Names, want) {
		t.Errorf("names %q, want %q (the first spelling of each normalised name)", c.Names, want)
	}
	if c.Find("") != -1 || c.Find("name") != 2 {
		t.Errorf("Find: %d, %d", c.Find(""), c.Find("name"))
	}
}

func TestQuoteList(t *testing.T) {
	for _, tt := range []struct {
		names []string
		want  string
	}{{nil, ""}, {[]string{"a"}, `"a"`}, {[]string{"a", "b"}, `"a" or "b"`}, {[]string{"a", "b", "c"}, `"a", "b" or "c"`}} {
		if got := territory.QuoteList(tt.names, "or"); got != tt.want {
			t.Errorf("QuoteList(%q) = %s, want %s", tt.names, got, tt.want)
		}
	}
}
