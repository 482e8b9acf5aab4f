package demo

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
)

// Config says what Generate makes.
type Config struct {
	// Accounts is the number of accounts, at least 1.
	Accounts int
	// Reps is the number of reps, from 1 to Accounts.
	Reps int
	// States lists the two-letter state codes the accounts and reps are
	// placed in (any order, case-insensitive). Empty means the contiguous
	// US: the lower 48 states and DC, without AK, HI and PR.
	States []string
	// HalfCapacity is how many of the reps work half time (capacity 0.5);
	// the others have capacity 1. From 0 to Reps.
	HalfCapacity int
	// Seed seeds the one random source everything is drawn from.
	Seed uint64
}

// Account is a generated account.
type Account struct {
	ID       string  // A00001, A00002, ...
	Name     string  // a made-up business name, not unique
	Lat, Lon float64 // degrees, rounded to 5 decimals
	Revenue  float64 // dollars a year, whole, from 1 to RevenueCap
	Workload float64 // hours a year, rounded to 0.1, at least 0.1
}

// Rep is a generated sales rep.
type Rep struct {
	ID               string  // R01, R02, ... (zero padded to the width of the count)
	Name             string  // first and last name from fixed lists, not unique beyond 2,500 reps
	HomeLat, HomeLon float64 // degrees, rounded to 5 decimals
	Capacity         float64 // 1, or 0.5 for the HalfCapacity part-time reps
}

// Dataset is what Generate makes: accounts in id order and reps in id order.
type Dataset struct {
	Accounts []Account
	Reps     []Rep
}

// The revenue and workload model. Revenue is lognormal, truncated at
// RevenueCap: a draw above it is drawn again, so the distribution keeps its
// shape below the cap instead of piling accounts up on it.
const (
	// RevenueMedian is the median of the untruncated revenue distribution,
	// in dollars.
	RevenueMedian = 40_000
	// RevenueSigma is the standard deviation of log revenue.
	RevenueSigma = 0.9
	// RevenueCap is the largest revenue an account can have: six times the
	// median, the 97.7th percentile of the untruncated distribution. The
	// mean account is then about 53,000, so with n accounts per rep one
	// account holds at most about 4.5/n of a rep's share of the total
	// (2.3% at the demo's 200 accounts per rep, 0.45% at 1,000 per rep):
	// well inside a ±5% balance band. A cap at a fixed share of a rep's
	// share, whatever n, cannot work: at 200 accounts per rep the mean
	// account already holds 0.5% of it.
	RevenueCap = 6 * RevenueMedian

	// Workload (hours a year) is workloadBase + workloadPerDollar·revenue,
	// times lognormal noise with this sigma: about 7.1 hours per account on
	// average, so that a full-time territory of the demo (213 accounts'
	// worth) holds about 1,500 hours, a plausible year of a rep's time.
	workloadBase      = 1.5
	workloadPerDollar = 0.0001
	workloadSigma     = 0.3
)

// pcgStream is the second word of the PCG state; Config.Seed is the first.
const pcgStream = 0x7465727269746f72 // "territor"

// Generate makes a dataset of cfg.Accounts accounts and cfg.Reps reps in
// the counties of cfg.States, reproducibly: the same Config gives the same
// dataset on every machine.
//
// Every account falls in a county drawn with probability proportional to
// its 2010 population, at a point drawn uniformly from the disc of the
// county's land area (radius sqrt(area/π)) around the county's internal
// point, so accounts follow where people live and stay roughly inside
// their county. Revenue is lognormal with median [RevenueMedian] and sigma
// [RevenueSigma], truncated at [RevenueCap] and rounded to whole dollars;
// workload grows with revenue, with lognormal noise of its own.
//
// Reps live at the internal points of distinct counties, drawn by
// population without replacement, so homes sit in the populous counties
// (when there are more reps than counties, the extra homes are scattered
// in the counties' discs). cfg.HalfCapacity of them, drawn at random, have
// capacity 0.5.
//
// Everything is drawn from one PCG seeded with cfg.Seed, reps first, so
// the reps do not change when only the number of accounts does.
func Generate(cfg Config) (*Dataset, error) {
	counties, err := cfg.counties()
	if err != nil {
		return nil, err
	}
	rng, reps := cfg.reps(counties)
	return &Dataset{Reps: reps, Accounts: generateAccounts(rng, counties, cfg.Accounts)}, nil
}

// counties validates cfg and returns the counties of its states.
func (cfg Config) counties() ([]county, error) {
	all, err := loadCounties()
	if err != nil {
		return nil, err
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	return selectCounties(all, cfg.States)
}

// reps seeds the random source, draws the reps, and returns the source
// ready to draw the accounts.
func (cfg Config) reps(counties []county) (*rand.Rand, []Rep) {
	rng := rand.New(rand.NewPCG(cfg.Seed, pcgStream))
	return rng, generateReps(rng, counties, cfg.Reps, cfg.HalfCapacity)
}

func (cfg Config) validate() error {
	switch {
	case cfg.Accounts < 1:
		return fmt.Errorf("demo: %d accounts: need at least 1", cfg.Accounts)
	case cfg.Reps < 1:
		return fmt.Errorf("demo: %d reps: need at least 1", cfg.Reps)
	case cfg.Reps > cfg.Accounts:
		return fmt.Errorf("demo: %d reps for %d accounts: need at least one account per rep", cfg.Reps, cfg.Accounts)
	case cfg.HalfCapacity < 0:
		return fmt.Errorf("demo: %d half-capacity reps: need 0 or more", cfg.HalfCapacity)
	case cfg.HalfCapacity > cfg.Reps:
		return fmt.Errorf("demo: %d half-capacity reps but only %d reps", cfg.HalfCapacity, cfg.Reps)
	}
	return nil
}

// selectCounties returns the counties of the given states, in the order of
// the data (by geoid), whatever the order of states; all of the contiguous
// US when states is empty.
func selectCounties(all []county, states []string) ([]county, error) {
	known := make(map[string]bool)
	for _, c := range all {
		known[c.state] = true
	}
	want := make(map[string]bool, len(states))
	for _, s := range states {
		code := strings.ToUpper(strings.TrimSpace(s))
		if !known[code] {
			return nil, fmt.Errorf("demo: unknown state code %q (expected a two-letter USPS code such as \"GA\")", s)
		}
		want[code] = true
	}
	var out []county
	for _, c := range all {
		if (len(want) == 0 && !excludedByDefault[c.state]) || want[c.state] {
			out = append(out, c)
		}
	}
	if totalPop(out) == 0 {
		// Not reachable with the embedded data, where every county has people.
		return nil, errors.New("demo: the chosen states have no population")
	}
	return out, nil
}

func totalPop(cs []county) int64 {
	var t int64
	for _, c := range cs {
		t += c.pop
	}
	return t
}

// scatter returns a point drawn uniformly from the disc of c's land area
// around c's point, rounded to 5 decimals.
func scatter(rng *rand.Rand, c *county) (lat, lon float64) {
	r := c.radiusKm * math.Sqrt(rng.Float64())
	sin, cos := math.Sincos(2 * math.Pi * rng.Float64())
	lat = c.lat + r*cos/kmPerDegree
	lon = c.lon + r*sin/(kmPerDegree*math.Cos(c.lat*math.Pi/180))
	return round(lat, 1e5), round(lon, 1e5)
}

// round rounds v to a multiple of 1/scale. Dividing the rounded integer by
// scale gives the float64 nearest to the decimal, which is what parsing the
// written decimal gives back, so the CSV files round-trip exactly.
func round(v, scale float64) float64 {
	return math.Round(v*scale) / scale
}

func generateReps(rng *rand.Rand, counties []county, n, half int) []Rep {
	// A random permutation of the counties, weighted by population
	// (Efraimidis and Spirakis: sort by u^(1/w), here by log(u)/w), so that
	// the first ones are likely the populous ones. Ties, which need equal
	// keys, fall back to the data order.
	order := make([]int, len(counties))
	keys := make([]float64, len(counties))
	for i, c := range counties {
		order[i] = i
		u := 1 - rng.Float64() // in (0, 1]
		if c.pop > 0 {
			keys[i] = math.Log(u) / float64(c.pop)
		} else {
			keys[i] = math.Inf(-1)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(keys[b], keys[a]) })

	names := rng.Perm(len(firstNames) * len(lastNames))
	isHalf := make([]bool, n)
	for _, j := range rng.Perm(n)[:half] {
		isHalf[j] = true
	}

	width := len(strconv.Itoa(n))
	reps := make([]Rep, n)
	for j := range reps {
		c := &counties[order[j%len(order)]]
		lat, lon := round(c.lat, 1e5), round(c.lon, 1e5)
		if j >= len(order) {
			lat, lon = scatter(rng, c)
		}
		nm := names[j%len(names)]
		reps[j] = Rep{
			ID:       "R" + zeroPad(j+1, width),
			Name:     firstNames[nm%len(firstNames)] + " " + lastNames[nm/len(firstNames)],
			HomeLat:  lat,
			HomeLon:  lon,
			Capacity: 1,
		}
		if isHalf[j] {
			reps[j].Capacity = 0.5
		}
	}
	return reps
}

func generateAccounts(rng *rand.Rand, counties []county, n int) []Account {
	src := newAccountSource(rng, counties)

	// Ids and names live in two large strings that every account slices,
	// so that a million accounts cost two allocations, not two million.
	width := idWidth(n)
	ids := make([]byte, 0, n*(1+width))
	names := make([]byte, 0, n*24)
	nameEnd := make([]int, n)

	accounts := make([]Account, n)
	for i := range accounts {
		nm := src.next(&accounts[i])
		ids = append(ids, 'A')
		ids = appendZeroPad(ids, i+1, width)
		names = appendName(names, nm)
		nameEnd[i] = len(names)
	}
	idStr, nameStr := string(ids), string(names)
	start := 0
	for i := range accounts {
		accounts[i].ID = idStr[i*(1+width) : (i+1)*(1+width)]
		accounts[i].Name = nameStr[start:nameEnd[i]]
		start = nameEnd[i]
	}
	return accounts
}

// idWidth is the number of digits of the account ids of n accounts: at
// least 5, so that the demo's ids read A00001.
func idWidth(n int) int { return max(5, len(strconv.Itoa(n))) }

// nNames is the number of distinct account names.
const nNames = len(nameFirst) * len(nameSecond) * len(nameSuffix)

// accountSource draws accounts one at a time, in id order: Generate keeps
// them, Stream writes each and forgets it. Both draw the same numbers in the
// same order from the same source, so they make the same accounts.
type accountSource struct {
	rng      *rand.Rand
	counties []county
	// cum[i] is the population of counties[0..i]; a uniform draw below the
	// total picks the first county whose cum exceeds it.
	cum   []int64
	total int64
	// zMax is the largest standard normal z whose revenue stays at or
	// below the cap: a draw above it is drawn again.
	zMax float64
}

func newAccountSource(rng *rand.Rand, counties []county) *accountSource {
	s := &accountSource{
		rng:      rng,
		counties: counties,
		cum:      make([]int64, len(counties)),
		zMax:     math.Log(RevenueCap/RevenueMedian) / RevenueSigma,
	}
	for i, c := range counties {
		s.total += c.pop
		s.cum[i] = s.total
	}
	return s
}

// next draws the next account's location, revenue and workload into a
// (leaving its ID and Name alone) and returns the number of its name, for
// appendName.
func (s *accountSource) next(a *Account) (name int) {
	rng := s.rng
	x := rng.Int64N(s.total)
	k, _ := slices.BinarySearch(s.cum, x+1) // first k with cum[k] >= x+1, i.e. cum[k] > x
	a.Lat, a.Lon = scatter(rng, &s.counties[k])

	z := rng.NormFloat64()
	for z > s.zMax {
		z = rng.NormFloat64()
	}
	a.Revenue = max(1, math.Round(RevenueMedian*math.Exp(RevenueSigma*z)))
	w := (workloadBase + workloadPerDollar*a.Revenue) * math.Exp(workloadSigma*rng.NormFloat64())
	a.Workload = max(0.1, round(w, 10))
	return rng.IntN(nNames)
}

// appendName appends the business name number nm (from 0 to nNames-1).
func appendName(b []byte, nm int) []byte {
	b = append(b, nameFirst[nm%len(nameFirst)]...)
	nm /= len(nameFirst)
	b = append(b, ' ')
	b = append(b, nameSecond[nm%len(nameSecond)]...)
	nm /= len(nameSecond)
	b = append(b, ' ')
	return append(b, nameSuffix[nm]...)
}

func zeroPad(v, width int) string {
	return string(appendZeroPad(nil, v, width))
}

func appendZeroPad(b []byte, v, width int) []byte {
	var digits [20]byte
	d := strconv.AppendInt(digits[:0], int64(v), 10)
	for range width - len(d) {
		b = append(b, '0')
	}
	return append(b, d...)
}
