package scenario

import (
	"strings"
	"testing"

	"github.com/territory-optimizer/territory/pkg/tabular"
)

// TestColumnKeysMatchTabular checks the column keys a scenario accepts
// against the ones the table readers take, so that the two lists cannot
// drift apart.
func TestColumnKeysMatchTabular(t *testing.T) {
	const accounts = "id,lat,lon\n1,0,0\n"
	const reps = "id\nR1\n"
	for _, tt := range []struct {
		what  string
		keys  []string
		read  func(key string) error
		other string // a key of the other input, which this one refuses
	}{
		{what: "accounts", keys: accountColumnKeys, other: "capacity", read: func(key string) error {
			_, _, err := tabular.ReadAccounts(strings.NewReader(accounts), "a.csv", tabular.Options{Columns: map[string]string{key: "zz"}})
			return err
		}},
		{what: "reps", keys: repColumnKeys, other: "owner", read: func(key string) error {
			_, _, err := tabular.ReadReps(strings.NewReader(reps), "r.csv", tabular.Options{Columns: map[string]string{key: "zz"}})
			return err
		}},
	} {
		for _, k := range tt.keys {
			if err := tt.read(k); err != nil && strings.Contains(err.Error(), "not a key") {
				t.Errorf("%s: the scenario accepts column key %q, tabular does not: %v", tt.what, k, err)
			}
		}
		if err := tt.read(tt.other); err == nil || !strings.Contains(err.Error(), "not a key") {
			t.Errorf("%s: tabular takes column key %q, which the scenario refuses (err %v)", tt.what, tt.other, err)
		}
	}
}
