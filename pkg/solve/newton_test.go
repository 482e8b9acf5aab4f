package solve

import (
	"math"
	"testing"

	"github.com/territory-optimizer/territory/pkg/territory"
)

// TestNewtonJacobian checks the Jacobian the Newton step uses against
// finite differences of the smoothed loads.
func TestNewtonJacobian(t *testing.T) {
	nw := smallNewton(t)
	if nw == nil {
		t.Fatal("no Newton solver for two-sided bands")
	}
	for r := range nw.lam {
		for k := range nw.lam[r] {
			nw.lam[r][k] = 0.01 * float64((r+1)*(k%3))
		}
	}
	delta := nw.startDelta()
	ev := nw.newEvaluation()
	nw.evaluate(nw.lam, delta, ev)
	g := newCG(nw)
	g.direction(ev, make([]float64, 12), make([]float64, 12)) // fills g.diag
	R, K := nw.r, nw.k
	// H·e for a unit price change, from the pair blocks.
	const h = 1e-6
	for r := 0; r < R; r++ {
		for k := 0; k < K; k++ {
			lam := cloneRows(nw.lam)
			lam[r][k] += h
			ev2 := nw.newEvaluation()
			nw.evaluate(lam, delta, ev2)
			// Finite difference: d soft[q][j] / d lam[r][k] should be −H.
			for q := 0; q < R; q++ {
				for j := 0; j < K; j++ {
					fd := (ev2.soft[q][j] - ev.soft[q][j]) / h
					want := -hessian(ev, nw, j, q, k, r)
					if math.Abs(fd-want) > 1e-3*(1+math.Abs(want)) {
						t.Errorf("d soft[%d][%d]/d lam[%d][%d] = %g by differences, %g from the blocks", q, j, r, k, fd, want)
					}
				}
			}
		}
	}
}

// hessian is the entry of H at row (j, q), column (k, r), built from the
// evaluation's pair blocks.
func hessian(ev *evaluation, nw *newton, j, q, k, r int) float64 {
	R, K := nw.r, nw.k
	nb := R * (R + 1) / 2
	at := func(blk []float64, a, b int) float64 {
		if a > b {
			a, b = b, a
		}
		n := 0
		for x := 0; x < R; x++ {
			for y := x; y < R; y++ {
				if x == a && y == b {
					return blk[n]
				}
				n++
			}
		}
		return 0
	}
	v := 0.0
	for e, key := range ev.keys {
		a, b := int(key/int64(K)), int(key%int64(K))
		blk := ev.blocks[e*nb : (e+1)*nb]
		w := at(blk, q, r)
		switch {
		case j == k && (a == j || b == j):
			v += w
		case (a == j && b == k) || (a == k && b == j):
			v -= w
		}
	}
	return v
}

// TestNewtonGradient checks that the gradient the Newton step uses is the
// derivative of the dual it maximises, on both sides of 0.
func TestNewtonGradient(t *testing.T) {
	nw := smallNewton(t)
	for r := range nw.lam {
		for k := range nw.lam[r] {
			nw.lam[r][k] = 500 * float64((r+1)*(k%3-1))
		}
	}
	delta := nw.startDelta()
	ev := nw.newEvaluation()
	nw.evaluate(nw.lam, delta, ev)
	g := make([]float64, nw.r*nw.k)
	nw.gradient(nw.lam, delta, ev, g, make([]float64, nw.r*nw.k))
	for r := 0; r < nw.r; r++ {
		for k := 0; k < nw.k; k++ {
			if nw.lam[r][k] == 0 {
				continue
			}
			h := 1e-4 * math.Abs(nw.lam[r][k])
			lam := cloneRows(nw.lam)
			lam[r][k] += h
			ev2 := nw.newEvaluation()
			nw.evaluate(lam, delta, ev2)
			fd := (ev2.phi - ev.phi) / h
			if want := g[k*nw.r+r]; math.Abs(fd-want) > 1e-3*(1+math.Abs(want)) {
				t.Errorf("dΦ/dλ[%d][%d] = %g by differences, %g as computed", r, k, fd, want)
			}
		}
	}
}

// smallNewton is the price solver of a seeded 300-account, 6-territory
// problem with homes and two two-sided rules, on 4 candidates each.
func smallNewton(t *testing.T) *newton {
	t.Helper()
	p := randomProblem(11, 300, 6, territory.Planar, true)
	p.Rules = mustRules(t, "count:2%", "revenue:5%")
	m := newModel(p)
	s := newState(m)
	s.initialSplit()
	nw := newNewton(s, s.candidatesN(4), newPrices(m, 1))
	if nw == nil {
		t.Fatal("no Newton solver for two-sided rules")
	}
	return nw
}

// A warm run never adds candidates, not even once it has smoothed back
// to a temperature at or above its first (a step with no shared marginal
// account quadruples δ); a cold run does at its first temperature. Warm
// prices come from a solve of the same accounts, and candidates added at
// a sharp temperature undo the balance they start from.
func TestWarmRunNeverPrices(t *testing.T) {
	nw := smallNewton(t)
	cold := nw.newRun(10)
	if !cold.pricing() {
		t.Fatal("a cold run may not price at its first temperature")
	}
	cold.delta /= 4
	if cold.pricing() {
		t.Error("a cold run prices at a sharper temperature than its first")
	}
	nw.warm = true
	warm := nw.newRun(10)
	for range 3 {
		if warm.pricing() {
			t.Fatalf("a warm run prices at δ = %g (its first %g)", warm.delta, warm.delta0)
		}
		warm.delta *= 4
	}
}
