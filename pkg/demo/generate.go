package demo

import (
	"cmp"
	"container/heap"
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
	// RevenueTail is σ, the standard deviation of log revenue, for revenue
	// drawn from a lognormal with median [RevenueMedian] and no cap: the
	// larger σ, the heavier the tail of large accounts (at σ 1 the 99th
	// percentile is 10 times the median, and the largest of a million
	// accounts about 120 times). 0, the zero value and the demo's, is the
	// capped model instead: σ [RevenueSigma], truncated at [RevenueCap].
	// From 0 to [MaxRevenueTail].
	RevenueTail float64
	// Offices is the number of distinct homes the reps share, from 1 to
	// Reps; 0, the zero value and the demo's, means one home per rep
	// (as Offices = Reps).
	Offices int
	// HalfCapacity is how many of the reps work half time (capacity 0.5).
	// From 0 to Reps.
	HalfCapacity int
	// FourFifthsCapacity is how many other reps work four days a week
	// (capacity 0.8); the rest have capacity 1. From 0 to Reps less
	// HalfCapacity.
	FourFifthsCapacity int
	// Seed seeds the one random source everything is drawn from.
	Seed uint64
}

// Account is a generated account.
type Account struct {
	ID       string  // A00001, A00002, ...
	Name     string  // a made-up business name, not unique
	State    string  // the two-letter code of its county's state
	Region   string  // its state's Census division ("South Atlantic"), the sales region
	Lat, Lon float64 // degrees, rounded to 5 decimals
	Revenue  float64 // dollars a year, whole, from 1 to RevenueCap
	Workload float64 // hours a year, rounded to 0.1, at least 0.1
}

// Rep is a generated sales rep.
type Rep struct {
	ID               string  // R01, R02, ... (zero padded to the width of the count)
	Name             string  // first and last name from fixed lists, not unique beyond 2,500 reps
	State, Region    string  // of the county of its office, as an account's
	HomeLat, HomeLon float64 // degrees, rounded to 5 decimals; reps of one office share them
	Capacity         float64 // 1, or 0.5 and 0.8 for the HalfCapacity and FourFifthsCapacity part-time reps
}

// Dataset is what Generate makes: accounts in id order and reps in id order.
type Dataset struct {
	Accounts []Account
	Reps     []Rep
}

// The revenue and workload model. Revenue is lognormal with median
// RevenueMedian. With a [Config.RevenueTail] σ it is nothing more; with
// none (0) its σ is RevenueSigma and it is truncated at RevenueCap: a draw
// above the cap is drawn again, so the distribution keeps its shape below
// the cap instead of piling accounts up on it.
const (
	// RevenueMedian is the median of the untruncated revenue distribution,
	// in dollars.
	RevenueMedian = 40_000
	// RevenueSigma is the standard deviation of log revenue in the capped
	// model (RevenueTail 0).
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
	// MaxRevenueTail is the largest RevenueTail σ. From about σ 1.8 on,
	// the largest of a million accounts holds more than a full-time rep's
	// whole share of the total when there are a thousand reps (at σ 2,
	// about twice it), so larger values only make plans that cannot be
	// balanced.
	MaxRevenueTail = 2.0

	// Workload (hours a year) is workloadBase + workloadPerDollar·revenue,
	// times lognormal noise with this sigma, at most WorkloadCap: about
	// 7.1 hours per account on average in the capped model, so that a
	// full-time territory of the demo (213 accounts' worth) holds about
	// 1,500 hours, a plausible year of a rep's time.
	workloadBase      = 1.5
	workloadPerDollar = 0.0001
	workloadSigma     = 0.3
	// WorkloadCap is the most hours a year one account takes: 400 hours,
	// about a fifth of a full-time rep's year (1,800 hours), which one rep
	// can still serve beside other accounts. Workload grows with revenue
	// up to it, so only a revenue tail reaches it (around $4 million a
	// year, less with the noise: σ 1 gives a handful of such accounts in a
	// million), never the capped model, whose largest workloads stay under
	// 150 hours.
	WorkloadCap = 400
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
// cfg.RevenueTail, or with sigma [RevenueSigma] truncated at [RevenueCap]
// when RevenueTail is 0, rounded to whole dollars; workload grows with
// revenue, with lognormal noise of its own, up to [WorkloadCap] hours.
//
// Reps work from cfg.Offices offices (one per rep when 0) at the internal
// points of distinct counties, drawn by population without replacement,
// so offices sit in the populous counties (when there are more offices
// than counties, the extra ones are scattered in the counties' discs). The
// reps are shared among the offices in proportion to the population of
// their counties, every office at least one rep, by the method of equal
// proportions that apportions the US House among the states; which rep
// works at which office is drawn at random. A rep's home is its office.
// cfg.HalfCapacity of the reps, drawn at random, have capacity 0.5, and
// cfg.FourFifthsCapacity others capacity 0.8.
//
// Everything is drawn from one PCG seeded with cfg.Seed, reps first, so
// the reps do not change when only the number of accounts does.
func Generate(cfg Config) (*Dataset, error) {
	counties, err := cfg.counties()
	if err != nil {
		return nil, err
	}
	rng, reps := cfg.reps(counties)
	return &Dataset{Reps: reps, Accounts: generateAccounts(rng, counties, cfg.Accounts, cfg.RevenueTail)}, nil
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
	return rng, generateReps(rng, counties, cfg)
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
	case cfg.FourFifthsCapacity < 0:
		return fmt.Errorf("demo: %d four-fifths-capacity reps: need 0 or more", cfg.FourFifthsCapacity)
	case cfg.HalfCapacity+cfg.FourFifthsCapacity > cfg.Reps:
		return fmt.Errorf("demo: %d half-capacity and %d four-fifths-capacity reps but only %d reps",
			cfg.HalfCapacity, cfg.FourFifthsCapacity, cfg.Reps)
	case cfg.Offices < 0 || cfg.Offices > cfg.Reps:
		return fmt.Errorf("demo: %d offices for %d reps: need from 1 to the number of reps (or 0 for one per rep)", cfg.Offices, cfg.Reps)
	case !(cfg.RevenueTail >= 0 && cfg.RevenueTail <= MaxRevenueTail): // NaN too
		return fmt.Errorf("demo: revenue tail %v: need a sigma from 0 to %v", cfg.RevenueTail, MaxRevenueTail)
	}
	return nil
}

// offices is the number of offices: Offices, or Reps when it is 0.
func (cfg Config) offices() int {
	if cfg.Offices == 0 {
		return cfg.Reps
	}
	return cfg.Offices
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

func generateReps(rng *rand.Rand, counties []county, cfg Config) []Rep {
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

	n := cfg.Reps
	names := rng.Perm(len(firstNames) * len(lastNames))
	// The first HalfCapacity reps of a random order work half time, the
	// next FourFifthsCapacity four days a week.
	capacity := make([]float64, n)
	for i, j := range rng.Perm(n) {
		switch {
		case i < cfg.HalfCapacity:
			capacity[j] = 0.5
		case i < cfg.HalfCapacity+cfg.FourFifthsCapacity:
			capacity[j] = 0.8
		default:
			capacity[j] = 1
		}
	}

	// Office o is in county order[o % len(order)]: at its internal point,
	// or, past the number of counties, scattered in its disc. Its weight
	// is its county's population, shared with the county's other offices.
	nOffices := cfg.offices()
	offices := make([][2]float64, nOffices)
	officeState := make([]string, nOffices)
	perCounty := make([]int, len(order))
	for o := range offices {
		c := &counties[order[o%len(order)]]
		officeState[o] = c.state
		lat, lon := round(c.lat, 1e5), round(c.lon, 1e5)
		if o >= len(order) {
			lat, lon = scatter(rng, c)
		}
		offices[o] = [2]float64{lat, lon}
		perCounty[o%len(order)]++
	}
	office := make([]int, n) // the office of each rep
	if nOffices == n {
		for j := range office {
			office[j] = j
		}
	} else {
		weights := make([]float64, nOffices)
		for o := range weights {
			k := o % len(order)
			weights[o] = float64(counties[order[k]].pop) / float64(perCounty[k])
		}
		seats := make([]int, 0, n)
		for o, s := range apportion(weights, n) {
			for range s {
				seats = append(seats, o)
			}
		}
		for j, k := range rng.Perm(n) {
			office[j] = seats[k]
		}
	}

	width := len(strconv.Itoa(n))
	reps := make([]Rep, n)
	for j := range reps {
		nm := names[j%len(names)]
		home := offices[office[j]]
		reps[j] = Rep{
			ID:       "R" + zeroPad(j+1, width),
			Name:     firstNames[nm%len(firstNames)] + " " + lastNames[nm/len(firstNames)],
			State:    officeState[office[j]],
			Region:   regionOf(officeState[office[j]]),
			HomeLat:  home[0],
			HomeLon:  home[1],
			Capacity: capacity[j],
		}
	}
	return reps
}

// apportion shares seats among parties in proportion to their weights,
// every party at least one seat, by the method of equal proportions
// (Huntington-Hill, which apportions the seats of the US House among the
// states): after one seat each, every further seat goes to the party of
// the largest w/√(s(s+1)), where w is its weight and s the seats it holds,
// the lower index first on a tie. seats must be at least len(weights),
// and the weights positive.
func apportion(weights []float64, seats int) []int {
	got := make([]int, len(weights))
	h := make(seatHeap, len(weights))
	for i, w := range weights {
		got[i] = 1
		h[i] = seatClaim{party: i, priority: w / math.Sqrt(2)}
	}
	heap.Init(&h)
	for range seats - len(weights) {
		c := &h[0]
		got[c.party]++
		s := float64(got[c.party])
		c.priority = weights[c.party] / math.Sqrt(s*(s+1))
		heap.Fix(&h, 0)
	}
	return got
}

// seatClaim is a party's claim on the next seat.
type seatClaim struct {
	party    int
	priority float64
}

// seatHeap orders claims by priority, highest first, then by party.
type seatHeap []seatClaim

func (h seatHeap) Len() int { return len(h) }
func (h seatHeap) Less(i, j int) bool {
	if h[i].priority != h[j].priority {
		return h[i].priority > h[j].priority
	}
	return h[i].party < h[j].party
}
func (h seatHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *seatHeap) Push(x any)   { *h = append(*h, x.(seatClaim)) }
func (h *seatHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

func generateAccounts(rng *rand.Rand, counties []county, n int, tail float64) []Account {
	src := newAccountSource(rng, counties, tail)

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
	// Revenue is RevenueMedian·e^(sigma·z) for a standard normal z. zMax
	// is the largest z whose revenue stays at or below the cap, +Inf
	// without one: a draw above it is drawn again.
	sigma, zMax float64
}

// newAccountSource returns the source of accounts whose revenue has the
// given tail (Config.RevenueTail).
func newAccountSource(rng *rand.Rand, counties []county, tail float64) *accountSource {
	s := &accountSource{
		rng:      rng,
		counties: counties,
		cum:      make([]int64, len(counties)),
		sigma:    tail,
		zMax:     math.Inf(1),
	}
	if tail == 0 {
		s.sigma, s.zMax = RevenueSigma, math.Log(RevenueCap/RevenueMedian)/RevenueSigma
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
	a.State = s.counties[k].state
	a.Region = regionOf(a.State)

	z := rng.NormFloat64()
	for z > s.zMax {
		z = rng.NormFloat64()
	}
	a.Revenue = max(1, math.Round(RevenueMedian*math.Exp(s.sigma*z)))
	// The conversion keeps the product from being fused with the sum into
	// one multiply-add, which some machines round differently: the same
	// bytes on every machine.
	w := (workloadBase + float64(workloadPerDollar*a.Revenue)) * math.Exp(workloadSigma*rng.NormFloat64())
	a.Workload = min(WorkloadCap, max(0.1, round(w, 10)))
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
