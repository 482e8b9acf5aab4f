package solve

import (
	"math"
	"math/rand/v2"
	"sync"
	"testing"
)

// ulpsOff is how many units in the last place of want got lies from it.
func ulpsOff(got, want float64) float64 {
	ulp := math.Nextafter(math.Abs(want), math.Inf(1)) - math.Abs(want)
	return math.Abs(got-want) / ulp
}

// expInputs are the exponents the smoothing takes (0 ≤ z < zMax): every
// multiple of 2⁻¹⁰ (exact, so the grid is the same on every machine) and
// 100,000 drawn from a fixed PCG.
func expInputs() []float64 {
	var zs []float64
	for j := 0; j <= zMax*1024; j++ {
		zs = append(zs, float64(j)/1024)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 100_000 {
		zs = append(zs, zMax*rng.Float64())
	}
	return zs
}

// logInputs are the sums the smoothing takes the logarithm of: at least 1
// (an account's best candidate has share 1) and at most its number of
// candidates, below 2²⁰ even when every territory is a candidate. They are
// the powers of 2, 1 + j·2⁻³⁰ near 1 (where the result is small and its
// relative error shows), and 100,000 log-uniform draws from a fixed PCG.
func logInputs() []float64 {
	var xs []float64
	for e := 0; e <= 20; e++ {
		xs = append(xs, math.Ldexp(1, e))
	}
	for j := 1; j <= 10_000; j++ {
		xs = append(xs, 1+math.Ldexp(float64(j), -30))
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 100_000 {
		xs = append(xs, math.Exp2(20*rng.Float64()))
	}
	return xs
}

// TestExpNegAccuracy checks expNeg against math.Exp. The tolerance is 2
// units in the last place: math.Exp is within 1 (its documentation), and
// expNeg within about 1 more, from the rounding of t = z − n·ln 2 and of
// its 13 Horner steps (the series' truncation, t¹⁴/14! < 5·10⁻¹⁸ for
// |t| ≤ ln2/2, is below the last bit). The most these inputs show is 2.
func TestExpNegAccuracy(t *testing.T) {
	worst, at := 0.0, 0.0
	for _, z := range expInputs() {
		if d := ulpsOff(expNeg(z), math.Exp(-z)); d > worst {
			worst, at = d, z
		}
	}
	if worst > 2 {
		t.Errorf("expNeg(%v) is %v ulps from math.Exp, want at most 2", at, worst)
	}
}

// TestLogPosAccuracy checks logPos against math.Log. The tolerance is 3
// units in the last place: math.Log is within 1 (its documentation), and
// logPos within about 2 more, from the rounding of u = (f−1)/(f+1) (f+1
// and the division; f−1 is exact), which the result carries at its own
// relative size when e = 0, of the series' Horner steps and of
// e·ln 2 + 2u·p. The most these inputs show is 3, near x = 1.27.
func TestLogPosAccuracy(t *testing.T) {
	worst, at := 0.0, 0.0
	for _, x := range logInputs() {
		got, want := logPos(x), math.Log(x)
		if want == 0 {
			if got != 0 {
				t.Errorf("logPos(%v) = %v, want 0", x, got)
			}
			continue
		}
		if d := ulpsOff(got, want); d > worst {
			worst, at = d, x
		}
	}
	if worst > 3 {
		t.Errorf("logPos(%v) is %v ulps from math.Log, want at most 3", at, worst)
	}
}

// TestDetMathRepeats checks that the same inputs give the same bits, also
// when goroutines compute them at once: expNeg and logPos keep no state
// but the constant table invFact.
func TestDetMathRepeats(t *testing.T) {
	zs, xs := expInputs(), logInputs()
	want := make([]uint64, 0, len(zs)+len(xs))
	for _, z := range zs {
		want = append(want, math.Float64bits(expNeg(z)))
	}
	for _, x := range xs {
		want = append(want, math.Float64bits(logPos(x)))
	}
	const goroutines = 4
	var wg sync.WaitGroup
	diffs := make([]int, goroutines)
	for g := range goroutines {
		wg.Go(func() {
			for i, z := range zs {
				if math.Float64bits(expNeg(z)) != want[i] {
					diffs[g]++
				}
			}
			for i, x := range xs {
				if math.Float64bits(logPos(x)) != want[len(zs)+i] {
					diffs[g]++
				}
			}
		})
	}
	wg.Wait()
	for g, d := range diffs {
		if d > 0 {
			t.Errorf("goroutine %d: %d of %d results differ from the first computation", g, d, len(want))
		}
	}
}

// TestDetMathBits pins a few results to the bit: a machine that gives
// other bits gives other plans. The exact ones are e⁰ and ln 2ᵉ = e·ln 2
// (the float64 product, as logPos forms it). The others were recorded from
// this implementation (linux/amd64, Go 1.26); each changes in its last bit
// when the Horner steps are fused into multiply-adds (checked when they
// were chosen, by evaluating the same steps with math.FMA), and those of
// expNeg(2.25), expNeg(7.25), expNeg(10), logPos(7), logPos(11) and
// logPos(50) are 1 ulp from math.Exp and math.Log: neither fusing nor the
// standard library would pass.
func TestDetMathBits(t *testing.T) {
	tests := []struct {
		name      string
		got, want float64
	}{
		{"expNeg(0)", expNeg(0), 1},
		{"expNeg(2.25)", expNeg(2.25), 0x1.afb718e8457f8p-04},
		{"expNeg(4)", expNeg(4), 0x1.2c155b8213cf4p-06},
		{"expNeg(7.25)", expNeg(7.25), 0x1.7455fe323fafep-11},
		{"expNeg(10)", expNeg(10), 0x1.7cd79b5647c9ap-15},
		{"logPos(1)", logPos(1), 0},
		{"logPos(2)", logPos(2), math.Ln2},
		{"logPos(1024)", logPos(1024), 0x1.bb9d3beb8c86bp+02}, // float64(10·math.Ln2)
		{"logPos(7)", logPos(7), 0x1.f2272ae325a56p+00},
		{"logPos(11)", logPos(11), 0x1.32ee3b77f374bp+01},
		{"logPos(24)", logPos(24), 0x1.96ca77c922cf9p+01},
		{"logPos(50)", logPos(50), 0x1.f4bd2b7ac1baep+01},
	}
	for _, tt := range tests {
		if math.Float64bits(tt.got) != math.Float64bits(tt.want) {
			t.Errorf("%s = %x, want %x", tt.name, tt.got, tt.want)
		}
	}
}
