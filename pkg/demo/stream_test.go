package demo

import (
	"bytes"
	"io"
	"slices"
	"strconv"
	"testing"
)

func streamCSV(t testing.TB, cfg Config) (accounts, reps []byte) {
	t.Helper()
	s, err := NewStream(cfg)
	if err != nil {
		t.Fatalf("NewStream(%+v): %v", cfg, err)
	}
	var a, r bytes.Buffer
	// The reps first, then the accounts: the order must not matter.
	if err := s.WriteRepsCSV(&r); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteAccountsCSV(&a); err != nil {
		t.Fatal(err)
	}
	return a.Bytes(), r.Bytes()
}

func TestStreamWritesWhatGenerateWrites(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
	}{
		{"demo", DemoConfig},
		{"whole US", Config{Accounts: 3000, Reps: 40, HalfCapacity: 5, Seed: 11}},
		{"one account", Config{Accounts: 1, Reps: 1, Seed: 1}},
		{"more reps than counties", Config{Accounts: 100, Reps: 7, States: []string{"DE"}, Seed: 5}},
		{"ids wider than 5 digits", Config{Accounts: 123456, Reps: 100, HalfCapacity: 10, Seed: 9}},
		{"revenue tail, shared offices", Config{Accounts: 20000, Reps: 100, RevenueTail: 1, Offices: 50, HalfCapacity: 10, FourFifthsCapacity: 5, Seed: 9}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantA, wantR := generateCSV(t, tt.cfg)
			gotA, gotR := streamCSV(t, tt.cfg)
			if !bytes.Equal(gotA, wantA) {
				t.Errorf("accounts differ from Generate's: %s", firstDifference(gotA, wantA))
			}
			if !bytes.Equal(gotR, wantR) {
				t.Errorf("reps differ from Generate's: %s", firstDifference(gotR, wantR))
			}
		})
	}
}

func TestStreamRepeats(t *testing.T) {
	s, err := NewStream(Config{Accounts: 500, Reps: 5, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	var a1, a2 bytes.Buffer
	if err := s.WriteAccountsCSV(&a1); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteAccountsCSV(&a2); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a1.Bytes(), a2.Bytes()) {
		t.Error("a second WriteAccountsCSV writes other accounts")
	}
}

func TestStreamKeepsItsConfig(t *testing.T) {
	states := []string{"GA", "FL"}
	s, err := NewStream(Config{Accounts: 10, Reps: 2, States: states, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	states[0] = "XX"
	if got := s.Config().States; !slices.Equal(got, []string{"GA", "FL"}) {
		t.Errorf("Config().States = %q after the caller's slice changed, want [GA FL]", got)
	}
}

func TestNewStreamErrors(t *testing.T) {
	for _, cfg := range []Config{
		{Accounts: 0, Reps: 1},
		{Accounts: 5, Reps: 6},
		{Accounts: 5, Reps: 2, HalfCapacity: 3},
		{Accounts: 5, Reps: 2, States: []string{"XX"}},
		{Accounts: 5, Reps: 2, Offices: 3},
		{Accounts: 5, Reps: 2, RevenueTail: 3},
	} {
		_, errS := NewStream(cfg)
		_, errG := Generate(cfg)
		if errS == nil || errG == nil || errS.Error() != errG.Error() {
			t.Errorf("%+v: NewStream error %v, Generate error %v; want the same error", cfg, errS, errG)
		}
	}
}

// TestStreamMemoryDoesNotGrow checks that writing the accounts allocates
// as often for 20,000 accounts as for 1,000: nothing is kept per account.
func TestStreamMemoryDoesNotGrow(t *testing.T) {
	allocs := func(n int) float64 {
		s, err := NewStream(Config{Accounts: n, Reps: 10, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		return testing.AllocsPerRun(2, func() {
			if err := s.WriteAccountsCSV(io.Discard); err != nil {
				t.Fatal(err)
			}
		})
	}
	small, large := allocs(1000), allocs(20000)
	if large > small {
		t.Errorf("%v allocations for 20,000 accounts, %v for 1,000: want no more", large, small)
	}
}

func TestStateCodes(t *testing.T) {
	codes, err := StateCodes()
	if err != nil {
		t.Fatal(err)
	}
	// The 50 states, DC and PR (data/README.md).
	if len(codes) != 52 {
		t.Errorf("%d state codes, want 52: %q", len(codes), codes)
	}
	for _, c := range []string{"AK", "AL", "DC", "PR", "WY"} {
		if _, ok := slices.BinarySearch(codes, c); !ok {
			t.Errorf("%s missing from %q", c, codes)
		}
	}
}

func BenchmarkStreamAccountsCSV(b *testing.B) {
	for _, s := range benchSizes {
		b.Run("accounts="+strconv.Itoa(s.accounts), func(b *testing.B) {
			st, err := NewStream(benchConfig(s.accounts, s.reps))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := st.WriteAccountsCSV(io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
