// Package solve is the optimizer: it splits the accounts of a
// territory.Problem into balanced, compact territories.
//
// # Entry points
//
//   - [Solve] returns the plan, its [Stats] and an error: it assigns every
//     account to one of p.K() territories so that every balance rule holds
//     where it can, at the least objective it finds.
//   - [Options] tunes a solve: the Seed (0 means [DefaultSeed]), the
//     [Effort] (Quick, Normal, Thorough; [ParseEffort] reads their names),
//     a TimeLimit, a cap on moves, Stickiness, a Rebalance of today's
//     alignment (only the moves the rules need), Contiguous and Progress.
//   - [PlaceCentres] puts the centres of a given assignment where Solve
//     would put them, so that a plan read from a file scores as Solve
//     scored it.
//   - [LowerBound] is the lower bound on the objective that Solve reports in
//     Stats, for any plan.
//
// # Space
//
// The solver works on the accounts' points embedded in three dimensions
// (spatial.Embed): geographic points on a sphere of the Earth's radius in
// kilometres, planar points in the z = 0 plane. It optimises straight-line
// (chord) distances in that space; the reports measure great-circle ones.
// Measures are normalised per rule so that the mean account weighs 1.
//
// # Steps, and the files that hold them
//
//   - solve.go: Solve, Options, Stats, the effort budgets and the starts
//     (several for small problems, the best plan wins).
//   - order.go: large problems solved with their accounts in the order of
//     a Hilbert curve through their locations, for the caches, and the
//     plan put back in their own order.
//   - model.go: the problem as the solver sees it: embedded points,
//     normalised weights and bands, the cost of an account at a centre.
//   - state.go: the plan under construction, its loads and violation, and
//     the centre update (mean, geometric median, or best member account);
//     PlaceCentres.
//   - start.go: the first territories: recursive bisection, or the nearest
//     home; k-means++ spread starts; the perturbation of the best plan.
//   - kmeans.go: the constrained k-means, priced assignment alternating
//     with centre updates, keeping the best snapshot.
//   - candidates.go: every account's candidate territories, the nearest
//     ones and the reverse neighbours.
//   - prices.go: the prices (one per rule and territory) and their
//     sign-based steps, where a band is open on one side.
//   - newton.go: Newton's method for the prices where every band is closed:
//     construction, the temperature schedule and the Newton step.
//     newton_eval.go holds a pass over the accounts (smoothed loads, dual,
//     Hessian blocks, gradient); newton_price.go the pricing that widens
//     the candidates; newton_cg.go the preconditioned conjugate gradients
//     and their Cholesky factors; detmath.go the deterministic exp and log.
//   - coarse.go: the multilevel start of the prices for large problems.
//   - localsearch.go: the repair and the improvement (moves, swaps, tabu,
//     ejection chains along the cheapest path of territories).
//   - eject.go: the weight-aware ejection chains of the repair.
//   - exchange.go: the centre exchange for centres at accounts (a variable
//     neighbourhood search).
//   - disruption.go: today's alignment: owners, locks, stickiness and the
//     cap on moves (a rebalance starts as a capped search does, and its
//     local search only repairs).
//   - contiguity.go: the adjacency graph and territories in one piece.
//   - bound.go: the Lagrangian lower bound; LowerBound.
//   - regions.go: the default shape, a balanced power diagram;
//     offices.go: reps who share a home (officecuts.go: an office's
//     accounts split by straight cuts); hulls.go: accounts out of other
//     territories' hulls; swaps.go: boundary trades.
//   - units.go: plans made of a layer of units (SolveUnits); unitsnap.go:
//     the accounts solved as points where whole units cannot meet the
//     rules, and units made whole again where the bands allow;
//     unitowners.go: every unit's owner, chosen for one piece per
//     territory on the map.
//
// Parallel passes use pkg/parallel and combine their results in index
// order.
//
// docs/algorithm.md explains each step so that a reviewer can check it
// against the code.
//
// # Determinism
//
// Solve is deterministic: the same problem and Options (including the seed)
// give the same plan, bit for bit, on every machine and whatever GOMAXPROCS
// is. Budgets are counted in work (rounds, sweeps, passes, lookups), never
// in wall-clock time; randomness comes from one seeded PCG; ties are broken
// by index; parallel passes add their chunks' results in chunk order; and
// the price solve rounds every operation explicitly (no fused multiply-add)
// and computes exp and log itself.
//
// The exception is Options.TimeLimit (--time-limit): when the limit passes
// first, Solve returns the best plan found so far, with Stats.TimeLimitHit
// set, and where the search stood at that moment depends on the machine and
// its load, so a plan cut short may differ between runs. A run that ends
// within its work budget before the limit gives the same plan as one
// without a limit.
package solve
