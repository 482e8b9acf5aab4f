package features

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/territory-optimizer/territory/pkg/derive"
	"github.com/territory-optimizer/territory/pkg/territory"
)

func TestReadAccountsDerived(t *testing.T) {
	stores, err := derive.Parse("stores=ceil(pop2010/10000)")
	if err != nil {
		t.Fatal(err)
	}
	density, err := derive.Parse("density=pop2010/aland_sqmi")
	if err != nil {
		t.Fatal(err)
	}
	// Three counties, the third with no land area.
	in := collection(
		square("a", 0, `"pop2010": 54571, "aland_sqmi": 594.436, "state": "AL"`),
		square("b", 1, `"pop2010": 182265, "aland_sqmi": 1589.784, "state": "AL"`),
		square("c", 2, `"pop2010": "9000", "aland_sqmi": 0, "state": "AL"`),
	)

	a, _, err := ReadAccounts(strings.NewReader(in), "in.geojson", Options{Measures: []string{"stores"}, Derived: []*derive.Measure{stores}})
	if err != nil {
		t.Fatal(err)
	}
	want := territory.Measure{Name: "stores", Column: "stores", Values: []float64{6, 19, 1}}
	if diff := cmp.Diff(&want, a.Measure("stores")); diff != "" {
		t.Errorf("stores (-want +got):\n%s", diff)
	}

	tests := []struct {
		name    string
		derived []*derive.Measure
		want    string
	}{
		{name: "division by zero: the feature's row", derived: []*derive.Measure{density},
			want: `read accounts "in.geojson": row 3: derived measure "density": division by zero: aland_sqmi is 0 (pop2010 = 9000, aland_sqmi = 0)`},
		{name: "a text property", derived: []*derive.Measure{mustDerive(t, "w=state*2")},
			want: `read accounts "in.geojson": row 1, column "state": invalid number "AL"
read accounts "in.geojson": row 2, column "state": invalid number "AL"
read accounts "in.geojson": row 3, column "state": invalid number "AL"`},
		{name: "a property the features lack", derived: []*derive.Measure{mustDerive(t, "w=population*2")},
			want: `read accounts "in.geojson": derived measure w=population*2: no numeric property "population" in the accounts (numeric properties: "pop2010", "aland_sqmi")`},
		{name: "the name of a property", derived: []*derive.Measure{mustDerive(t, "State=1")},
			want: `read accounts "in.geojson": column "state": the derived measure State=1 has the name of this property: give it another name`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, u, err := ReadAccounts(strings.NewReader(in), "in.geojson", Options{Derived: tt.derived})
			if err == nil {
				t.Fatalf("no error; want %q", tt.want)
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			if a.Len() != 0 || u != nil {
				t.Errorf("got %d accounts and units %v with the error, want none", a.Len(), u)
			}
		})
	}
}

func mustDerive(t *testing.T, s string) *derive.Measure {
	t.Helper()
	m, err := derive.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
