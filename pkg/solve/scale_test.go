package solve

import (
	"bytes"
	"context"
	"testing"

	"github.com/territory-optimizer/territory/pkg/demo"
	"github.com/territory-optimizer/territory/pkg/tabular"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// TestSolveDenseCities balances accounts spread like the US population
// among reps whose homes are spread over distinct counties: a city holds
// far more accounts than the reps near it can take, so the excess must
// reach reps beyond each account's nearest candidates. The sixteen
// nearest territories alone once left this infeasible.
func TestSolveDenseCities(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	d, err := demo.Generate(demo.Config{Accounts: 20_000, Reps: 60, HalfCapacity: 6, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	var ab, rb bytes.Buffer
	if err := d.WriteAccountsCSV(&ab); err != nil {
		t.Fatal(err)
	}
	if err := d.WriteRepsCSV(&rb); err != nil {
		t.Fatal(err)
	}
	a, space, err := tabular.ReadAccounts(&ab, "accounts.csv", tabular.Options{})
	if err != nil {
		t.Fatal(err)
	}
	reps, _, err := tabular.ReadReps(&rb, "reps.csv", tabular.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := &territory.Problem{Space: space, Accounts: a, Reps: reps, Center: territory.CenterHome}
	p.Rules = mustRules(t, "count:2%", "revenue:2%")
	pl, st, err := Solve(context.Background(), p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if broken := checkRules(p, pl); len(broken) > 0 || !st.Feasible {
		t.Errorf("%d rules broken: %v", len(broken), broken[:min(5, len(broken))])
	}
}
