package demo

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// TestEmbeddedFilesUpToDate keeps the embedded demo files from drifting
// away from the generator and DemoConfig.
func TestEmbeddedFilesUpToDate(t *testing.T) {
	accounts, reps := generateCSV(t, DemoConfig)
	for _, f := range []struct {
		name           string
		embedded, want []byte
	}{
		{AccountsFile, AccountsCSV(), accounts},
		{RepsFile, RepsCSV(), reps},
	} {
		if !bytes.Equal(f.embedded, f.want) {
			t.Errorf("demodata/%s is not what Generate(DemoConfig) writes: %s\nrun: go generate ./pkg/demo",
				f.name, firstDifference(f.embedded, f.want))
		}
	}
}

func firstDifference(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d is %q, want %q", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("%d lines, want %d", len(g)-1, len(w)-1)
}

func TestAccessorsReturnCopies(t *testing.T) {
	a := AccountsCSV()
	a[0] = 'X'
	if AccountsCSV()[0] == 'X' {
		t.Error("AccountsCSV returns the embedded bytes themselves; a caller can change them")
	}
}

func TestRules(t *testing.T) {
	columns := strings.Split(accountsHeader, ",")
	for _, s := range Rules {
		r, err := territory.ParseBalanceRule(s)
		if err != nil {
			t.Errorf("rule %q: %v", s, err)
			continue
		}
		if !slices.Contains(columns, r.Measure) {
			t.Errorf("rule %q: no column %q in %s", s, r.Measure, AccountsFile)
		}
	}
}

// TestDemo checks the demo against what it is for: a Southeast region
// whose revenue and workload a ±5% band can balance for every rep. Run it
// with -v to see the demo's statistics.
func TestDemo(t *testing.T) {
	d, err := Generate(DemoConfig)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Accounts) != 5000 || len(d.Reps) != 25 {
		t.Fatalf("%d accounts and %d reps, want 5000 and 25", len(d.Accounts), len(d.Reps))
	}

	// The bounding box of AL, FL, GA, NC, SC and TN (from Key West to the
	// Tennessee-Kentucky line, from Memphis to Cape Hatteras), rounded out
	// to a tenth of a degree, which also covers the few kilometres a
	// border county's disc reaches past the border.
	const minLat, maxLat, minLon, maxLon = 24.3, 36.8, -90.4, -75.3
	in := func(lat, lon float64) bool { return lat >= minLat && lat <= maxLat && lon >= minLon && lon <= maxLon }
	for _, a := range d.Accounts {
		if !in(a.Lat, a.Lon) {
			t.Errorf("%s at (%v, %v): outside the Southeast", a.ID, a.Lat, a.Lon)
		}
	}
	for _, r := range d.Reps {
		if !in(r.HomeLat, r.HomeLon) {
			t.Errorf("%s home (%v, %v): outside the Southeast", r.ID, r.HomeLat, r.HomeLon)
		}
	}

	s := summarize(d)
	t.Logf("demo: %d accounts, %d reps (%d at capacity 0.5, total capacity %g)", len(d.Accounts), len(d.Reps), s.half, s.capacity)
	t.Logf("revenue:  total %.0f, mean %.0f, median %.0f, p90 %.0f, p99 %.0f, max %.0f",
		s.revenue.total, s.revenue.mean, s.revenue.p50, s.revenue.p90, s.revenue.p99, s.revenue.max)
	t.Logf("workload: total %.1f, mean %.2f, median %.1f, p90 %.1f, p99 %.1f, max %.1f",
		s.workload.total, s.workload.mean, s.workload.p50, s.workload.p90, s.workload.p99, s.workload.max)
	for _, m := range []struct {
		name string
		st   stats
	}{{"revenue", s.revenue}, {"workload", s.workload}} {
		perRep := m.st.total / float64(len(d.Reps))
		fullTarget := m.st.total / s.capacity
		t.Logf("%s: largest account = %.2f%% of total/reps, %.2f%% of a full rep's target (%.0f), %.2f%% of a half rep's",
			m.name, 100*m.st.max/perRep, 100*m.st.max/fullTarget, fullTarget, 200*m.st.max/fullTarget)
		// No single account is as large as the ±5% tolerance of a
		// full-time rep, so a territory's load is made of many small steps.
		if tol := 0.05 * fullTarget; m.st.max >= tol {
			t.Errorf("%s: largest account %.1f is not below 5%% of a full-time rep's target (%.1f)", m.name, m.st.max, tol)
		}
	}
}

type stats struct{ total, mean, p50, p90, p99, max float64 }

type summary struct {
	half              int
	capacity          float64
	revenue, workload stats
}

func summarize(d *Dataset) summary {
	var s summary
	for _, r := range d.Reps {
		s.capacity += r.Capacity
		if r.Capacity == 0.5 {
			s.half++
		}
	}
	rev := make([]float64, len(d.Accounts))
	work := make([]float64, len(d.Accounts))
	for i, a := range d.Accounts {
		rev[i], work[i] = a.Revenue, a.Workload
	}
	s.revenue, s.workload = describe(rev), describe(work)
	return s
}

func describe(v []float64) stats {
	var st stats
	for _, x := range v {
		st.total += x
	}
	st.mean = st.total / float64(len(v))
	st.p50, st.p90, st.p99, st.max = quantile(v, 0.5), quantile(v, 0.9), quantile(v, 0.99), quantile(v, 1)
	return st
}
