package demo

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
)

func generateCSV(t testing.TB, cfg Config) (accounts, reps []byte) {
	t.Helper()
	d, err := Generate(cfg)
	if err != nil {
		t.Fatalf("Generate(%+v): %v", cfg, err)
	}
	var a, r bytes.Buffer
	if err := d.WriteAccountsCSV(&a); err != nil {
		t.Fatal(err)
	}
	if err := d.WriteRepsCSV(&r); err != nil {
		t.Fatal(err)
	}
	return a.Bytes(), r.Bytes()
}

func TestCountyData(t *testing.T) {
	all, err := loadCounties()
	if err != nil {
		t.Fatal(err)
	}
	// 3,220 rows: see data/README.md.
	if len(all) != 3220 {
		t.Errorf("%d counties, want 3220", len(all))
	}
	lower48, err := selectCounties(all, nil)
	if err != nil {
		t.Fatal(err)
	}
	// 3,108: the 3,109 counties of the lower 48 and DC in 2010, less Bedford
	// city, VA (merged into Bedford County).
	if len(lower48) != 3108 {
		t.Errorf("%d counties in the contiguous US, want 3108", len(lower48))
	}
	for _, c := range lower48 {
		if excludedByDefault[c.state] {
			t.Fatalf("county %s (%s) in the default selection", c.geoid, c.state)
		}
		if c.pop <= 0 || c.radiusKm <= 0 {
			t.Errorf("county %s: population %d, radius %g km", c.geoid, c.pop, c.radiusKm)
		}
	}
	// The 2010 Census count of the contiguous US and DC (308,745,538 for
	// the whole US, less AK 710,231 and HI 1,360,301).
	if got := totalPop(lower48); got != 306675006 {
		t.Errorf("population of the contiguous US %d, want 306675006", got)
	}
}

func TestGenerateDeterministic(t *testing.T) {
	for _, cfg := range []Config{
		{Accounts: 2000, Reps: 20, HalfCapacity: 4, Seed: 7},
		{Accounts: 2000, Reps: 20, RevenueTail: 1, Offices: 10, HalfCapacity: 2, FourFifthsCapacity: 1, Seed: 7},
	} {
		a1, r1 := generateCSV(t, cfg)
		a2, r2 := generateCSV(t, cfg)
		if !bytes.Equal(a1, a2) || !bytes.Equal(r1, r2) {
			t.Fatalf("%+v: two runs with the same config differ", cfg)
		}

		cfg.Seed = 8
		a3, r3 := generateCSV(t, cfg)
		if bytes.Equal(a1, a3) {
			t.Errorf("%+v: accounts are the same with seeds 7 and 8", cfg)
		}
		if bytes.Equal(r1, r3) {
			t.Errorf("%+v: reps are the same with seeds 7 and 8", cfg)
		}
	}
}

func TestGenerateStatesAreASet(t *testing.T) {
	a1, r1 := generateCSV(t, Config{Accounts: 300, Reps: 5, States: []string{"GA", "FL"}, Seed: 1})
	a2, r2 := generateCSV(t, Config{Accounts: 300, Reps: 5, States: []string{" fl", "ga", "GA"}, Seed: 1})
	if !bytes.Equal(a1, a2) || !bytes.Equal(r1, r2) {
		t.Error("the order, case or repetition of state codes changes the dataset")
	}
}

func TestRepsDoNotDependOnAccountCount(t *testing.T) {
	for _, cfg := range []Config{
		{Reps: 10, HalfCapacity: 2, Seed: 3},
		{Reps: 10, RevenueTail: 1.5, Offices: 4, HalfCapacity: 1, FourFifthsCapacity: 1, Seed: 3},
	} {
		cfg.Accounts = 100
		_, r1 := generateCSV(t, cfg)
		cfg.Accounts = 5000
		_, r2 := generateCSV(t, cfg)
		if diff := gocmp.Diff(string(r1), string(r2)); diff != "" {
			t.Errorf("%+v: reps change with the number of accounts (-100 +5000):\n%s", cfg, diff)
		}
	}
}

func TestGenerateInvariants(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
	}{
		{"demo", DemoConfig},
		{"whole US", Config{Accounts: 3000, Reps: 40, HalfCapacity: 5, Seed: 11}},
		{"one account", Config{Accounts: 1, Reps: 1, Seed: 1}},
		{"as many reps as accounts", Config{Accounts: 30, Reps: 30, HalfCapacity: 30, States: []string{"TX"}, Seed: 2}},
		{"one county", Config{Accounts: 50, Reps: 3, HalfCapacity: 1, States: []string{"DC"}, Seed: 4}},
		// Delaware has 3 counties: reps 4 to 7 live in the counties' discs.
		{"more reps than counties", Config{Accounts: 100, Reps: 7, States: []string{"DE"}, Seed: 5}},
		{"Alaska when named", Config{Accounts: 200, Reps: 4, States: []string{"AK"}, Seed: 6}},
		{"ids wider than 5 digits", Config{Accounts: 123456, Reps: 100, HalfCapacity: 10, Seed: 9}},
		{"revenue tail, shared offices", Config{Accounts: 3000, Reps: 40, RevenueTail: 1, Offices: 20, HalfCapacity: 4, FourFifthsCapacity: 2, Seed: 11}},
		{"the heaviest tail", Config{Accounts: 3000, Reps: 40, RevenueTail: MaxRevenueTail, Offices: 39, Seed: 11}},
		{"one office", Config{Accounts: 100, Reps: 10, Offices: 1, HalfCapacity: 1, FourFifthsCapacity: 1, States: []string{"GA"}, Seed: 3}},
		{"one office per rep, given", Config{Accounts: 100, Reps: 10, Offices: 10, Seed: 3}},
		{"every rep part time", Config{Accounts: 100, Reps: 30, Offices: 12, HalfCapacity: 20, FourFifthsCapacity: 10, States: []string{"OH"}, Seed: 8}},
		// Delaware has 3 counties: offices 4 and 5 are scattered in the counties' discs.
		{"more offices than counties", Config{Accounts: 100, Reps: 9, Offices: 5, States: []string{"DE"}, Seed: 5}},
	}
	all, err := loadCounties()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Generate(tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			counties, err := selectCounties(all, tt.cfg.States)
			if err != nil {
				t.Fatal(err)
			}
			checkDataset(t, tt.cfg, d, counties)
		})
	}
}

// checkDataset checks what Generate promises about every dataset.
func checkDataset(t *testing.T, cfg Config, d *Dataset, counties []county) {
	t.Helper()
	if len(d.Accounts) != cfg.Accounts || len(d.Reps) != cfg.Reps {
		t.Fatalf("%d accounts and %d reps, want %d and %d", len(d.Accounts), len(d.Reps), cfg.Accounts, cfg.Reps)
	}
	inside := newDiscIndex(counties)

	idWidth := max(5, len(strconv.Itoa(cfg.Accounts)))
	for i, a := range d.Accounts {
		if want := fmt.Sprintf("A%0*d", idWidth, i+1); a.ID != want {
			t.Fatalf("account %d: id %q, want %q", i, a.ID, want)
		}
		if a.Name == "" {
			t.Errorf("%s: empty name", a.ID)
		}
		if !inside(a.Lat, a.Lon) {
			t.Errorf("%s at (%v, %v): not in the disc of any county of %v", a.ID, a.Lat, a.Lon, cfg.States)
		}
		if a.Revenue < 1 || a.Revenue != math.Round(a.Revenue) || (cfg.RevenueTail == 0 && a.Revenue > RevenueCap) {
			t.Errorf("%s: revenue %v, want whole dollars from 1 (to %d without a tail)", a.ID, a.Revenue, RevenueCap)
		}
		if a.Workload < 0.1 || a.Workload > WorkloadCap || a.Workload != round(a.Workload, 10) {
			t.Errorf("%s: workload %v, want from 0.1 to %d, rounded to 0.1", a.ID, a.Workload, WorkloadCap)
		}
		if a.Lat != round(a.Lat, 1e5) || a.Lon != round(a.Lon, 1e5) {
			t.Errorf("%s: location (%v, %v) not rounded to 5 decimals", a.ID, a.Lat, a.Lon)
		}
	}

	repWidth := len(strconv.Itoa(cfg.Reps))
	half, fourFifths := 0, 0
	homes := make(map[[2]float64]int) // reps at each home
	for j, r := range d.Reps {
		if want := fmt.Sprintf("R%0*d", repWidth, j+1); r.ID != want {
			t.Errorf("rep %d: id %q, want %q", j, r.ID, want)
		}
		if first, last, ok := strings.Cut(r.Name, " "); !ok || first == "" || last == "" {
			t.Errorf("%s: name %q is not a first and a last name", r.ID, r.Name)
		}
		switch r.Capacity {
		case 0.5:
			half++
		case 0.8:
			fourFifths++
		case 1:
		default:
			t.Errorf("%s: capacity %v, want 1, 0.8 or 0.5", r.ID, r.Capacity)
		}
		if !inside(r.HomeLat, r.HomeLon) {
			t.Errorf("%s: home (%v, %v) not in the disc of any county of %v", r.ID, r.HomeLat, r.HomeLon, cfg.States)
		}
		homes[[2]float64{r.HomeLat, r.HomeLon}]++
	}
	if half != cfg.HalfCapacity || fourFifths != cfg.FourFifthsCapacity {
		t.Errorf("%d reps at capacity 0.5 and %d at 0.8, want %d and %d", half, fourFifths, cfg.HalfCapacity, cfg.FourFifthsCapacity)
	}
	// Every office has a rep, and offices do not share a home.
	offices := cfg.Offices
	if offices == 0 {
		offices = cfg.Reps // one per rep
	}
	if len(homes) != offices {
		t.Errorf("%d distinct homes, want one per office: %d", len(homes), offices)
	}
	if len(counties) >= len(homes) {
		// Every home is a distinct county's internal point.
		points := make(map[[2]float64]bool, len(counties))
		for _, c := range counties {
			points[[2]float64{round(c.lat, 1e5), round(c.lon, 1e5)}] = true
		}
		for _, r := range d.Reps {
			if !points[[2]float64{r.HomeLat, r.HomeLon}] {
				t.Errorf("%s: home (%v, %v) is not a county's point", r.ID, r.HomeLat, r.HomeLon)
			}
		}
	}
}

// newDiscIndex returns a function that says whether a point lies in the
// disc around some county's point in which Generate scatters accounts
// (allowing for the rounding to 5 decimals). Counties are bucketed by whole
// degree so that large datasets check quickly.
func newDiscIndex(counties []county) func(lat, lon float64) bool {
	const slack = 2e-5 // degrees: rounding to 5 decimals moves a point by at most 0.5e-5 on each axis
	type cell struct{ lat, lon int }
	buckets := make(map[cell][]*county)
	for i := range counties {
		c := &counties[i]
		dLat := c.radiusKm/kmPerDegree + slack
		dLon := c.radiusKm/(kmPerDegree*math.Cos(c.lat*math.Pi/180)) + slack
		for la := int(math.Floor(c.lat - dLat)); la <= int(math.Floor(c.lat+dLat)); la++ {
			for lo := int(math.Floor(c.lon - dLon)); lo <= int(math.Floor(c.lon+dLon)); lo++ {
				buckets[cell{la, lo}] = append(buckets[cell{la, lo}], c)
			}
		}
	}
	return func(lat, lon float64) bool {
		for _, c := range buckets[cell{int(math.Floor(lat)), int(math.Floor(lon))}] {
			// The generator's own flat approximation, inverted: the point is
			// (dy, dx) km from the county's point.
			dy := (lat - c.lat) * kmPerDegree
			dx := (lon - c.lon) * kmPerDegree * math.Cos(c.lat*math.Pi/180)
			tol := slack * kmPerDegree * 2
			if math.Hypot(dx, dy) <= c.radiusKm+tol {
				return true
			}
		}
		return false
	}
}

func TestGenerateFollowsPopulation(t *testing.T) {
	// The discs Generate scatters accounts in reach east to -114.73 in
	// California and west to -111.38 in Wyoming (computed from
	// data/us_counties.csv), so longitude -112 tells the states apart.
	// 2010 populations: CA 37,253,956, WY 563,626, so WY's share is 1.49%.
	const n = 20000
	d, err := Generate(Config{Accounts: n, Reps: 10, States: []string{"CA", "WY"}, Seed: 12})
	if err != nil {
		t.Fatal(err)
	}
	wy := 0
	for _, a := range d.Accounts {
		if a.Lon > -112 {
			wy++
		}
	}
	// Expected 298, standard deviation 17: allow three of them.
	if wy < 298-51 || wy > 298+51 {
		t.Errorf("%d of %d accounts in Wyoming, want about 298", wy, n)
	}
	for _, r := range d.Reps {
		if r.HomeLon > -112 {
			t.Logf("rep %s lives in Wyoming (possible, but unlikely)", r.ID)
		}
	}
}

func TestRevenueModel(t *testing.T) {
	const n = 200000
	d, err := Generate(Config{Accounts: n, Reps: 200, Seed: 13})
	if err != nil {
		t.Fatal(err)
	}
	rev := make([]float64, n)
	var logRev, work []float64
	for i, a := range d.Accounts {
		rev[i] = a.Revenue
		logRev = append(logRev, math.Log(a.Revenue))
		work = append(work, math.Log(a.Workload))
	}
	// Truncating the lognormal at its 97.7th percentile (z = ln 6 / 0.9 =
	// 1.99) leaves the median at its 48.8th percentile: z = -0.029, so
	// 40,000·e^(0.9·-0.029) = 38,970.
	med := quantile(rev, 0.5)
	if math.Abs(med-38970) > 400 {
		t.Errorf("median revenue %.0f, want about 38,970", med)
	}
	if maxRev := quantile(rev, 1); maxRev > RevenueCap || maxRev < 0.99*RevenueCap {
		t.Errorf("largest revenue %.0f, want just under the cap %d", maxRev, RevenueCap)
	}
	if c := correlation(logRev, work); c < 0.5 {
		t.Errorf("correlation of log revenue and log workload %.2f, want at least 0.5", c)
	}
}

// normalQuantile is Φ⁻¹(p), the standard normal quantile.
func normalQuantile(p float64) float64 { return -math.Sqrt2 * math.Erfcinv(2*p) }

// TestRevenueTail checks the uncapped lognormal of Config.RevenueTail: its
// median, the spread of its upper percentiles, and its largest account,
// which, over a rep's mean target, is what makes a tail hard to balance.
func TestRevenueTail(t *testing.T) {
	const (
		n, reps = 100_000, 100
		sigma   = 1.0
	)
	d, err := Generate(Config{Accounts: n, Reps: reps, RevenueTail: sigma, Seed: 15})
	if err != nil {
		t.Fatal(err)
	}
	rev := make([]float64, n)
	var total float64
	for i, a := range d.Accounts {
		rev[i] = a.Revenue
		total += a.Revenue
	}
	// The sample median of n lognormals is within 1.25σ/√n = 0.4% of
	// RevenueMedian one time in three; allow five times that.
	med := quantile(rev, 0.5)
	if math.Abs(med/RevenueMedian-1) > 0.02 {
		t.Errorf("median revenue %.0f, want about %d", med, RevenueMedian)
	}
	// p99/median is e^(σ·Φ⁻¹(0.99)) = e^2.326 = 10.2 at σ 1.
	p99 := quantile(rev, 0.99)
	if want := math.Exp(sigma * normalQuantile(0.99)); p99/med < 5 || math.Abs(p99/med/want-1) > 0.1 {
		t.Errorf("p99/median %.2f, want at least 5 and about %.2f", p99/med, want)
	}
	// The mean is RevenueMedian·e^(σ²/2) = 65,949; its standard error is
	// √(e^σ²-1)/√n = 0.4% of it.
	mean := total / n
	if want := RevenueMedian * math.Exp(sigma*sigma/2); math.Abs(mean/want-1) > 0.03 {
		t.Errorf("mean revenue %.0f, want about %.0f", mean, want)
	}
	// The largest of n draws lies at a z with P(max < z) = (1-q(z))^n
	// ≈ e^(-n·q(z)), q the upper tail: between the z of e^(-n·q) = 0.001
	// and of 0.999, that is q = ln(1000)/n and q = 0.001/n (3.81 and 5.61
	// at n = 100,000); its typical value is the z of q = 1/n (4.26).
	maxRev := quantile(rev, 1)
	zMax := math.Log(maxRev/RevenueMedian) / sigma
	lo, typical, hi := normalQuantile(1-math.Log(1000)/n), normalQuantile(1-1.0/n), normalQuantile(1-0.001/n)
	if zMax < lo || zMax > hi {
		t.Errorf("largest revenue %.0f is at z = %.2f, want from %.2f to %.2f", maxRev, zMax, lo, hi)
	}
	// Over a rep's mean target (total/reps) the largest account is then
	// about reps/n·e^(σ·z - σ²/2): 4.3% at z = 4.26.
	share := maxRev / (total / reps)
	predicted := float64(reps) / n * math.Exp(sigma*typical-sigma*sigma/2)
	t.Logf("σ %g: median %.0f, p99 %.0f (%.1f×), max %.0f: %.2f%% of a rep's mean target, predicted %.2f%% (%.2f%% to %.2f%%)",
		sigma, med, p99, p99/med, maxRev, 100*share, 100*predicted,
		100*float64(reps)/n*math.Exp(sigma*lo-sigma*sigma/2), 100*float64(reps)/n*math.Exp(sigma*hi-sigma*sigma/2))
	if r := share / predicted; r < math.Exp(sigma*(lo-typical))*0.97 || r > math.Exp(sigma*(hi-typical))*1.03 {
		t.Errorf("largest account %.2f%% of a rep's mean target, want near the predicted %.2f%%", 100*share, 100*predicted)
	}
}

// TestWorkloadCap checks that the heaviest tail reaches the workload cap
// and no account goes past it, while workload still follows revenue.
func TestWorkloadCap(t *testing.T) {
	const n = 50_000
	d, err := Generate(Config{Accounts: n, Reps: 10, RevenueTail: MaxRevenueTail, Seed: 16})
	if err != nil {
		t.Fatal(err)
	}
	atCap := 0
	var logRev, logWork []float64
	for _, a := range d.Accounts {
		switch {
		case a.Workload > WorkloadCap:
			t.Fatalf("%s: workload %v above the cap %d", a.ID, a.Workload, WorkloadCap)
		case a.Workload == WorkloadCap:
			atCap++
		}
		logRev = append(logRev, math.Log(a.Revenue))
		logWork = append(logWork, math.Log(a.Workload))
	}
	// Uncapped, log workload is about ln(0.0001·revenue) + 0.3·z: above
	// ln 400 when ln(revenue/4,000,000) + 0.3·z > 0, a normal of mean
	// ln(40,000/4,000,000) = -4.61 and sd √(2² + 0.3²) = 2.02 at σ 2,
	// that is 1.1% of the accounts: 560 of 50,000.
	t.Logf("%d of %d accounts at the cap", atCap, n)
	if atCap < 400 || atCap > 750 {
		t.Errorf("%d accounts at the workload cap, want about 560", atCap)
	}
	if c := correlation(logRev, logWork); c < 0.5 {
		t.Errorf("correlation of log revenue and log workload %.2f, want at least 0.5", c)
	}
}

// TestOffices checks how reps share offices: one home per office, the
// larger office (by its county's population) never with fewer reps, and a
// big-city office holding dozens.
func TestOffices(t *testing.T) {
	all, err := loadCounties()
	if err != nil {
		t.Fatal(err)
	}
	popAt := make(map[[2]float64]int64)
	var largest int64
	for _, c := range all {
		popAt[[2]float64{round(c.lat, 1e5), round(c.lon, 1e5)}] = c.pop
		largest = max(largest, c.pop)
	}

	const reps, offices = 1000, 500
	d, err := Generate(Config{Accounts: reps, Reps: reps, Offices: offices, Seed: 17})
	if err != nil {
		t.Fatal(err)
	}
	count := make(map[[2]float64]int)
	for _, r := range d.Reps {
		count[[2]float64{r.HomeLat, r.HomeLon}]++
	}
	if len(count) != offices {
		t.Fatalf("%d distinct homes, want %d", len(count), offices)
	}
	type office struct {
		pop  int64
		reps int
	}
	var byPop []office
	for home, n := range count {
		pop, ok := popAt[home]
		if !ok {
			t.Fatalf("home %v is not a county's point", home)
		}
		byPop = append(byPop, office{pop, n})
	}
	slices.SortFunc(byPop, func(a, b office) int { return cmp.Compare(b.pop, a.pop) })
	for i := 1; i < len(byPop); i++ {
		if byPop[i].reps > byPop[i-1].reps {
			t.Errorf("an office of population %d holds %d reps, one of %d only %d", byPop[i].pop, byPop[i].reps, byPop[i-1].pop, byPop[i-1].reps)
		}
	}
	// Los Angeles County (9,818,605 people, the largest) is almost surely
	// drawn: it holds 3.2% of the lower 48's people, so about 32 of 1,000
	// reps in proportion, more among the 500 offices only.
	top := byPop[0]
	t.Logf("%d reps in %d offices: the largest (population %d) holds %d, the smallest %d", reps, offices, top.pop, top.reps, byPop[len(byPop)-1].reps)
	if top.pop != largest || top.reps < 20 {
		t.Errorf("the largest office has population %d and %d reps, want Los Angeles County's %d and at least 20", top.pop, top.reps, largest)
	}
}

func TestApportion(t *testing.T) {
	tests := []struct {
		name    string
		weights []float64
		seats   int
		want    []int
	}{
		{"one each", []float64{5, 1, 3}, 3, []int{1, 1, 1}},
		{"in proportion", []float64{3, 1}, 4, []int{3, 1}},
		// Claims w/√(s(s+1)): the seven seats after the first go to
		// parties 0 (3.54), 1 (2.83), 0 (2.04), 1 (1.63), 0 (1.44), 1
		// (1.15) and 0 (1.12); party 2 never claims more than 0.71.
		{"in proportion, three", []float64{5, 4, 1}, 10, []int{5, 4, 1}},
		{"at least one", []float64{98, 1, 1}, 10, []int{8, 1, 1}},
		{"tie to the lower index", []float64{1, 1}, 3, []int{2, 1}},
		{"one party", []float64{7}, 4, []int{4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := gocmp.Diff(tt.want, apportion(tt.weights, tt.seats)); diff != "" {
				t.Errorf("apportion(%v, %d) (-want +got):\n%s", tt.weights, tt.seats, diff)
			}
		})
	}
}

func quantile(v []float64, q float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[int(q*float64(len(s)-1))]
}

func correlation(x, y []float64) float64 {
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= float64(len(x))
	my /= float64(len(y))
	var sxy, sxx, syy float64
	for i := range x {
		sxy += (x[i] - mx) * (y[i] - my)
		sxx += (x[i] - mx) * (x[i] - mx)
		syy += (y[i] - my) * (y[i] - my)
	}
	return sxy / math.Sqrt(sxx*syy)
}

func TestGenerateErrors(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"no accounts", Config{Accounts: 0, Reps: 1}, "demo: 0 accounts: need at least 1"},
		{"negative accounts", Config{Accounts: -5, Reps: 1}, "demo: -5 accounts: need at least 1"},
		{"no reps", Config{Accounts: 10, Reps: 0}, "demo: 0 reps: need at least 1"},
		{"more reps than accounts", Config{Accounts: 10, Reps: 11}, "demo: 11 reps for 10 accounts: need at least one account per rep"},
		{"negative half capacity", Config{Accounts: 10, Reps: 5, HalfCapacity: -1}, "demo: -1 half-capacity reps: need 0 or more"},
		{"too many half capacity", Config{Accounts: 10, Reps: 5, HalfCapacity: 6}, "demo: 6 half-capacity reps but only 5 reps"},
		{"negative four-fifths capacity", Config{Accounts: 10, Reps: 5, FourFifthsCapacity: -1}, "demo: -1 four-fifths-capacity reps: need 0 or more"},
		{"too many part time", Config{Accounts: 10, Reps: 5, HalfCapacity: 3, FourFifthsCapacity: 3}, "demo: 3 half-capacity and 3 four-fifths-capacity reps but only 5 reps"},
		{"negative offices", Config{Accounts: 10, Reps: 5, Offices: -1}, "demo: -1 offices for 5 reps: need from 1 to the number of reps (or 0 for one per rep)"},
		{"more offices than reps", Config{Accounts: 10, Reps: 5, Offices: 6}, "demo: 6 offices for 5 reps: need from 1 to the number of reps (or 0 for one per rep)"},
		{"negative tail", Config{Accounts: 10, Reps: 5, RevenueTail: -0.5}, "demo: revenue tail -0.5: need a sigma from 0 to 2"},
		{"tail too heavy", Config{Accounts: 10, Reps: 5, RevenueTail: 2.5}, "demo: revenue tail 2.5: need a sigma from 0 to 2"},
		{"tail not a number", Config{Accounts: 10, Reps: 5, RevenueTail: math.NaN()}, "demo: revenue tail NaN: need a sigma from 0 to 2"},
		{"unknown state", Config{Accounts: 10, Reps: 5, States: []string{"GA", "XX"}}, `demo: unknown state code "XX" (expected a two-letter USPS code such as "GA")`},
		{"empty state", Config{Accounts: 10, Reps: 5, States: []string{""}}, `demo: unknown state code "" (expected a two-letter USPS code such as "GA")`},
		{"state name", Config{Accounts: 10, Reps: 5, States: []string{"Georgia"}}, `demo: unknown state code "Georgia" (expected a two-letter USPS code such as "GA")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Generate(tt.cfg)
			if err == nil {
				t.Fatalf("Generate(%+v) = %d accounts, want error %q", tt.cfg, len(d.Accounts), tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("Generate(%+v) error\n got %q\nwant %q", tt.cfg, err, tt.want)
			}
		})
	}
}

func TestCSVRoundTrip(t *testing.T) {
	d, err := Generate(Config{Accounts: 500, Reps: 12, HalfCapacity: 2, States: []string{"NY", "NJ"}, Seed: 14})
	if err != nil {
		t.Fatal(err)
	}
	// A hand-made name that needs quoting.
	d.Reps[0].Name = `Smith, "Jo"`

	var a, r bytes.Buffer
	if err := d.WriteAccountsCSV(&a); err != nil {
		t.Fatal(err)
	}
	if err := d.WriteRepsCSV(&r); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(a.Bytes(), []byte("\r")) || bytes.Contains(r.Bytes(), []byte("\r")) {
		t.Error("a CSV file has \\r line ends")
	}

	accountRow := regexp.MustCompile(`^A\d{5},[^,"]+,[A-Z]{2},[A-Za-z ]+,-?\d+\.\d{5},-?\d+\.\d{5},\d+,\d+\.\d$`)
	for i, line := range strings.Split(strings.TrimSuffix(a.String(), "\n"), "\n")[1:] {
		if !accountRow.MatchString(line) {
			t.Fatalf("accounts row %d: %q does not match %v", i+2, line, accountRow)
		}
	}

	var got Dataset
	recs := readCSV(t, a.Bytes(), accountsHeader)
	for _, rec := range recs {
		got.Accounts = append(got.Accounts, Account{ID: rec[0], Name: rec[1], State: rec[2], Region: rec[3],
			Lat: parseFloat(t, rec[4]), Lon: parseFloat(t, rec[5]), Revenue: parseFloat(t, rec[6]), Workload: parseFloat(t, rec[7])})
	}
	for _, rec := range readCSV(t, r.Bytes(), repsHeader) {
		got.Reps = append(got.Reps, Rep{ID: rec[0], Name: rec[1], State: rec[2], Region: rec[3],
			HomeLat: parseFloat(t, rec[4]), HomeLon: parseFloat(t, rec[5]), Capacity: parseFloat(t, rec[6])})
	}
	if diff := gocmp.Diff(d, &got); diff != "" {
		t.Errorf("dataset read back from CSV differs (-generated +read):\n%s", diff)
	}
}

func readCSV(t *testing.T, data []byte, header string) [][]string {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(recs[0], ","); got != header {
		t.Fatalf("header %q, want %q", got, header)
	}
	return recs[1:]
}

func parseFloat(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
