package solve

import "math"

// Deterministic exp and log: e^−z and ln x computed with explicit rounding
// from float64 arithmetic alone (expNeg, logPos), so that the smoothing of
// Newton's method gives the same bits on every machine, where math.Exp and
// math.Log are written in assembly on some architectures.

// expNeg is e^−z for 0 ≤ z ≤ zMax, computed with explicit rounding so
// that it gives the same bits on every machine (math.Exp is written in
// assembly on some of them): z = n·ln2 + t with |t| ≤ ln2/2, and e^−t by
// its Taylor series to the 13th term, below the last bit.
func expNeg(z float64) float64 {
	const (
		ln2Hi = 6.93147180369123816490e-01
		ln2Lo = 1.90821492927058770002e-10
	)
	n := math.Floor(z/math.Ln2 + 0.5)
	t := (z - float64(n*ln2Hi)) - float64(n*ln2Lo)
	// e^−t = Σ (−t)^j / j!, by Horner's rule from the 13th term down.
	u := -t
	p := invFact[13]
	for j := 12; j >= 0; j-- {
		p = float64(p*u) + invFact[j]
	}
	return math.Ldexp(p, -int(n))
}

// invFact[j] is 1/j!.
var invFact = func() [14]float64 {
	var f [14]float64
	v := 1.0
	for j := range f {
		if j > 0 {
			v *= float64(j)
		}
		f[j] = 1 / v
	}
	return f
}()

// logPos is the natural logarithm of x ≥ 1, computed with explicit
// rounding so that it gives the same bits on every machine: x = f·2^e with
// √½ ≤ f < √2, and ln f = 2·atanh(u) with u = (f−1)/(f+1), |u| < 0.172,
// by its series to the u²¹ term, below the last bit.
func logPos(x float64) float64 {
	f, e := math.Frexp(x)
	if f < math.Sqrt2/2 {
		f *= 2
		e--
	}
	u := (f - 1) / (f + 1)
	u2 := float64(u * u)
	p := 1.0 / 21
	for j := 19; j >= 1; j -= 2 {
		p = float64(p*u2) + 1/float64(j)
	}
	return float64(float64(e)*math.Ln2) + float64(2*float64(u*p))
}
