package tabular

import (
	"bufio"
	"encoding/csv"
	"errors"
	"io"
	"math"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// fuzzSeeds are realistic and broken inputs for both readers.
var fuzzSeeds = []string{
	plainAccounts,
	"\ufeffAccount ID;Name;Latitude;Longitude;Revenue\r\nA1;\"Acme; Inc\";40,5;-74,25;1200,5\r\n\r\nA2;Bolt;41;-73;0,75\r\n",
	"id\tx\ty\tdemand\n1\t2\t62\t3\n2\t80\t25\t14\n",
	"id|lat|lon|owner|locked\n1|1|1|R1|yes\n2|1|1||no\n",
	"rep_id,rep_name,home_lat,home_lon,capacity\nR1,Ann,40.5,-74,1\nR2,Bob,,,50%\n",
	"id,lat,lon\n1,412.5,2\n1,NaN,inf\n,1,1\n",
	"id,lat,lon\n1,\"2\n3,4,5\n",
	"id,lat,lon\nA \"b\" c,1,2\n\"x\"y,1,2\n",
	"id,lat,lon,,\n1,2\n2,1,1,,,\n",
	"id,id,x,y\n1,1,1,1\n",
	"\n\n,,,\n",
	"",
	"PK\x03\x04\x14\x00",
	"\xff\xfei\x00d\x00,\x00x\x00,\x00y\x00\n\x001\x00,\x002\x00,\x003\x00\n\x00",
	"id,name,x,y\nS1,Soci\xe9t\xe9,0,0\n",
	"1,2,3\n4,5,6\n",
	"sep=|\r\nid|x|y\r\n1|2|3\r\n",
	"id,x,y\n1,1e999,2\n2,-0,+3\n",
}

func FuzzReadAccounts(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, "")
	}
	f.Add(plainAccounts, "revenue")
	f.Add("id,x,y,w\n1,0,0,\n2,1,1,abc\n", "w")
	f.Fuzz(func(t *testing.T, in, measure string) {
		opt := Options{}
		if measure != "" {
			opt.Measures = []string{measure}
		}
		a, space, err := ReadAccounts(strings.NewReader(in), "f.csv", opt)
		if err != nil {
			checkProblems(t, err)
			if a.Len() != 0 || a.Locs != nil || a.Measures != nil {
				t.Fatalf("accounts returned with an error: %+v", a)
			}
			return
		}
		n := a.Len()
		if n == 0 {
			t.Fatal("no accounts and no error")
		}
		if space != territory.Geographic && space != territory.Planar {
			t.Fatalf("space %v", space)
		}
		for what, l := range map[string]int{"Locs": len(a.Locs), "Rows": len(a.Rows)} {
			if l != n {
				t.Fatalf("%d %s for %d accounts", l, what, n)
			}
		}
		for what, l := range map[string]int{"Names": len(a.Names), "Owners": len(a.Owners), "Locked": len(a.Locked)} {
			if l != 0 && l != n {
				t.Fatalf("%d %s for %d accounts", l, what, n)
			}
		}
		seen := make(map[string]bool)
		for i, id := range a.IDs {
			if id == "" || seen[id] || !utf8.ValidString(id) {
				t.Fatalf("bad id %q", id)
			}
			seen[id] = true
			if i > 0 && a.Rows[i] <= a.Rows[i-1] {
				t.Fatalf("rows %v not increasing", a.Rows)
			}
			checkPoint(t, space, a.Locs[i])
			if len(a.Locked) > 0 && a.Locked[i] && a.Owners[i] == "" {
				t.Fatalf("account %q locked without an owner", id)
			}
		}
		for _, m := range a.Measures {
			if len(m.Values) != n {
				t.Fatalf("measure %q has %d values for %d accounts", m.Name, len(m.Values), n)
			}
			for _, v := range m.Values {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("measure %q has value %v", m.Name, v)
				}
			}
		}
	})
}

func FuzzReadReps(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		reps, space, err := ReadReps(strings.NewReader(in), "f.csv", Options{})
		if err != nil {
			checkProblems(t, err)
			if reps != nil {
				t.Fatalf("reps returned with an error: %+v", reps)
			}
			return
		}
		if len(reps) == 0 {
			t.Fatal("no reps and no error")
		}
		seen := make(map[string]bool)
		for _, r := range reps {
			if r.ID == "" || seen[r.ID] || r.Row < 1 {
				t.Fatalf("bad rep %+v", r)
			}
			seen[r.ID] = true
			if r.Capacity < 0 || math.IsNaN(r.Capacity) || math.IsInf(r.Capacity, 0) {
				t.Fatalf("rep %q has capacity %v", r.ID, r.Capacity)
			}
			if r.HasHome {
				checkPoint(t, space, r.Home)
			}
		}
	})
}

// checkProblems checks that a reader's error lists at most territory.MaxListed+1
// problems, each a *territory.InputError.
func checkProblems(t *testing.T, err error) {
	t.Helper()
	u, ok := err.(interface{ Unwrap() []error })
	if !ok {
		t.Fatalf("error %q is not joined", err)
	}
	errs := u.Unwrap()
	if len(errs) == 0 || len(errs) > territory.MaxListed+1 {
		t.Fatalf("%d problems", len(errs))
	}
	for _, e := range errs {
		var ie *territory.InputError
		if !errors.As(e, &ie) || ie.Msg == "" || ie.File != "f.csv" {
			t.Fatalf("problem %q (%T) is not a complete InputError", e, e)
		}
	}
}

func checkPoint(t *testing.T, space territory.Space, pt territory.Point) {
	t.Helper()
	if math.IsNaN(pt.X) || math.IsNaN(pt.Y) || math.IsInf(pt.X, 0) || math.IsInf(pt.Y, 0) {
		t.Fatalf("location %v", pt)
	}
	if space == territory.Geographic && (pt.Y < -90 || pt.Y > 90 || pt.X < -180 || pt.X > 180) {
		t.Fatalf("location %v out of range", pt)
	}
}

// FuzzQuoteFixer checks that the quote fixer changes nothing that
// encoding/csv reads without error: the same records, and no bare quote
// found.
func FuzzQuoteFixer(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, false)
	}
	f.Add("a,\"b\"\"c\",d\r\n\"e\r\nf\",g\n", true)
	f.Add("a\t \"b\"\t\"c\"\n", false)
	f.Fuzz(func(t *testing.T, in string, tab bool) {
		delim := ','
		if tab {
			delim = '\t'
		}
		read := func(r io.Reader) ([][]string, error) {
			cr := csv.NewReader(r)
			cr.Comma = delim
			cr.FieldsPerRecord = -1
			cr.TrimLeadingSpace = !tab
			return cr.ReadAll()
		}
		want, err := read(strings.NewReader(in))
		if err != nil {
			return
		}
		fix := newQuoteFixer(bufio.NewReader(strings.NewReader(in)), delim, !tab)
		got, err := read(fix)
		if err != nil {
			t.Fatalf("fixed input fails: %v", err)
		}
		if !slices.EqualFunc(want, got, slices.Equal) {
			t.Fatalf("records differ:\nwant %q\ngot  %q", want, got)
		}
		if b := fix.take(math.MaxInt); len(b) > 0 {
			t.Fatalf("bare quotes found in valid CSV: %+v", b)
		}
	})
}

func FuzzReadPlan(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Add("account_id,territory_id,rep_id,distance_km\na,T01,R1,1\nb,T01,R1,2\n")
	f.Add("id;rep\r\na;R1\r\n\"b\";R2\r\n")
	f.Add("account_id,territory_id,rep_id\na,T01,R1\nb,T01,R2\n")
	f.Add("account_id,territory_id,rep_id\na,T02,R1\nb,T01,R1\nc,T01,R1\nd,T02,R2\ne,T02,R2\n")
	f.Add("account_id,territory_id,rep_id\na,T01,R1\nb,T01,R9\nc,T9,R1\nd,T02,R2\ne,T03,R2\n")
	f.Add("unit_id,territory_id,rep_id,split\n13001,T1,T1,false\n13003,T2,T2,true\n13005,T2,T1,yes\n")
	f.Add("account_id,unit_id,territory_id,rep_id,distance_km\na,13001,T1,T1,1.5\nb,13003,T2,T2,0\n")
	f.Fuzz(func(t *testing.T, in string) {
		pf, err := ReadPlan(strings.NewReader(in), "f.csv", Options{Warn: func(e *territory.InputError) {
			if e.Msg == "" || e.File != "f.csv" {
				t.Fatalf("incomplete warning %+v", e)
			}
		}})
		if err != nil {
			checkProblems(t, err)
			if pf != nil {
				t.Fatalf("a plan returned with an error: %+v", pf)
			}
			return
		}
		if !pf.HasTerritory && !pf.HasRep {
			t.Fatal("a plan without territories or reps")
		}
		for i, id := range pf.IDs {
			if j, ok := pf.Lookup(id); id == "" || !ok || j != i || pf.Key(i) == "" || pf.Rows[i] < 2 {
				t.Fatalf("bad entry %d: %q", i, id)
			}
		}
		// An edits file is the same file, its columns not paired: it reads
		// whenever the plan does.
		if _, err := ReadEdits(strings.NewReader(in), "f.csv", Options{}); err != nil {
			t.Fatalf("a plan that reads is refused as edits: %v", err)
		}
		// With both columns, every territory has one rep and every rep
		// one territory.
		if pf.HasTerritory && pf.HasRep {
			repOf, terOf := map[string]string{}, map[string]string{}
			for i, ter := range pf.Territories {
				r := pf.Reps[i]
				if x, ok := repOf[ter]; ok && x != r {
					t.Fatalf("territory %q has reps %q and %q", ter, x, r)
				}
				if x, ok := terOf[r]; ok && x != ter {
					t.Fatalf("rep %q is in territories %q and %q", r, x, ter)
				}
				repOf[ter], terOf[r] = r, ter
			}
		}
	})
}
