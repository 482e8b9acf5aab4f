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
	p := generatedProblem(t, demo.Config{Accounts: 20_000, Reps: 60, HalfCapacity: 6, Seed: 7}, "count:2%", "revenue:2%")
	pl, st, err := Solve(context.Background(), p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if broken := checkRules(p, pl); len(broken) > 0 || !st.Feasible {
		t.Errorf("%d rules broken: %v", len(broken), broken[:min(5, len(broken))])
	}
}

// generatedProblem is the problem of `territory example` with the
// configuration cfg, as the command's files read it: accounts and reps
// written as CSV and read back, centres at the homes, the squared
// distance, and the balance rules given.
func generatedProblem(tb testing.TB, cfg demo.Config, rules ...string) *territory.Problem {
	tb.Helper()
	st, err := demo.NewStream(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	var accounts, reps bytes.Buffer
	if err := st.WriteAccountsCSV(&accounts); err != nil {
		tb.Fatal(err)
	}
	if err := st.WriteRepsCSV(&reps); err != nil {
		tb.Fatal(err)
	}
	p := &territory.Problem{Objective: territory.SSE, Center: territory.CenterHome}
	if p.Accounts, p.Space, err = tabular.ReadAccounts(&accounts, "accounts.csv", tabular.Options{}); err != nil {
		tb.Fatal(err)
	}
	if p.Reps, _, err = tabular.ReadReps(&reps, "reps.csv", tabular.Options{}); err != nil {
		tb.Fatal(err)
	}
	p.Rules = mustRules(tb, rules...)
	if err := p.Validate(); err != nil {
		tb.Fatal(err)
	}
	return p
}
