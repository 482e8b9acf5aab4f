// Package demo holds the embedded demo dataset and the generator that makes
// it, and larger datasets like it: accounts spread like the US population,
// with revenue and workload, and reps with homes.
//
// # Source
//
// Everything is generated from data/us_counties.csv, embedded: the 3,220
// US counties with their 2010 Census population, internal point and land
// area, from the 2010 Census Gazetteer (US public domain; see
// data/README.md). No other data is read, and nothing outside this package
// is needed to build or run it.
//
// # The model
//
// [Generate] places each account in a county drawn with probability
// proportional to its population, at a uniform point of the disc of the
// county's land area around the county's internal point (so a few accounts
// of a coastal or border county fall in the water or across the border).
// Revenue is lognormal with median [RevenueMedian]: with a revenue tail
// ([Config.RevenueTail], σ of log revenue) it has no cap, so that a few
// key accounts carry much of a region, as in real B2B books; without one
// (σ [RevenueSigma], truncated at [RevenueCap]) every account is small
// beside a rep's target. Workload, in hours a year, grows linearly with
// revenue times lognormal noise, up to [WorkloadCap]. Reps work from
// offices at the internal points of distinct counties drawn by population,
// several reps to a big-city office when there are fewer offices than reps
// ([Config.Offices]), each rep's home its office's point; some of them
// work half time (capacity 0.5) and some four days a week (0.8).
// Coordinates are longitude and latitude in degrees (NAD83, which for
// these purposes is WGS84), rounded to 5 decimals (about a metre).
//
// Generation is reproducible: one PCG from math/rand/v2, seeded from
// [Config.Seed], draws everything in a fixed order, so the same Config
// gives the same bytes on every machine. It takes about half a second for
// a million accounts. [Stream] writes the same files row by row without
// holding the accounts, in a few megabytes whatever their number.
//
// # The demo
//
// [DemoConfig] is 5,000 accounts and 25 reps (3 of them half time) in
// Alabama, Florida, Georgia, North Carolina, South Carolina and Tennessee,
// with capped revenue and one home per rep: the zero values of the revenue
// tail and the offices, which keep it as it was before they existed.
// Its files, demodata/accounts.csv and demodata/reps.csv, are embedded and
// returned by [AccountsCSV] and [RepsCSV]; [Rules] are the balance rules it
// is solved with. After changing DemoConfig or the generator, regenerate
// the files with
//
//	go generate ./pkg/demo
//
// A test fails while they differ from what Generate(DemoConfig) writes.
package demo
