package solve

import (
	"math"
	"slices"
)

// The linear algebra of a Newton step: the damped system solved by
// preconditioned conjugate gradients (cg, direction), the inner product,
// and the Cholesky factorisation of the preconditioner's blocks (cholesky,
// cholSolve), all without fused multiply-add.

// cg solves the damped Newton system (H + ridge)·d = g (the prices of
// closed territories keep d = 0) by conjugate gradients with a
// block-Jacobi preconditioner, where H is the Laplacian of the
// evaluation's pair blocks and the ridge holds the band terms' curvature
// and a little damping.
type cg struct {
	nw                  *newton
	diag                []float64 // per territory, its R×R diagonal block (full)
	chol                []float64 // per territory, the Cholesky factor of the preconditioner block
	x, res, z, p, ap, g []float64
}

func newCG(nw *newton) *cg {
	n := nw.r * nw.k
	c := &cg{nw: nw, diag: make([]float64, nw.k*nw.r*nw.r), chol: make([]float64, nw.k*nw.r*nw.r)}
	for _, v := range []*[]float64{&c.x, &c.res, &c.z, &c.p, &c.ap, &c.g} {
		*v = make([]float64, n)
	}
	return c
}

// cgIterations caps the conjugate-gradient iterations of one Newton step.
const cgIterations = 200

// damping is the Levenberg–Marquardt damping of the Newton step: the
// share of its own diagonal, and of the median diagonal, added to every
// diagonal entry of the Hessian. The second keeps a territory with
// (almost) no marginal accounts from a step without bound; rules whose
// weights nearly coincide (count, and a revenue about the same for every
// account) need the first.
const damping = 1e-3

// direction returns the Newton step for the evaluation, indexed k·R+r, or
// nil when the Jacobian is empty.
func (c *cg) direction(ev *evaluation, g, curv []float64) []float64 {
	nw := c.nw
	R, K := nw.r, nw.k
	nb := R * (R + 1) / 2
	clear(c.diag)
	for e, key := range ev.keys {
		a, b := int(key/int64(K)), int(key%int64(K))
		blk := ev.blocks[e*nb : (e+1)*nb]
		for _, t := range []int{a, b} {
			d := c.diag[t*R*R : (t+1)*R*R]
			n := 0
			for r := 0; r < R; r++ {
				for q := r; q < R; q++ {
					d[r*R+q] += blk[n]
					if q != r {
						d[q*R+r] += blk[n]
					}
					n++
				}
			}
		}
	}
	// The ridge: the damping and the band terms' curvature.
	ridge := make([]float64, R*K)
	for r := 0; r < R; r++ {
		var ds []float64
		for k := 0; k < K; k++ {
			if !nw.closed[k] {
				ds = append(ds, c.diag[k*R*R+r*R+r])
			}
		}
		slices.Sort(ds)
		med := ds[len(ds)/2]
		if med <= 0 {
			return nil
		}
		for k := 0; k < K; k++ {
			ridge[k*R+r] = float64(damping*c.diag[k*R*R+r*R+r]) + damping*med + curv[k*R+r]
		}
	}
	for k := 0; k < K; k++ {
		blk := c.chol[k*R*R : (k+1)*R*R]
		copy(blk, c.diag[k*R*R:(k+1)*R*R])
		for r := 0; r < R; r++ {
			blk[r*R+r] += ridge[k*R+r]
		}
		cholesky(blk, R)
	}
	apply := func(x, y []float64) {
		for i := range y {
			y[i] = float64(ridge[i] * x[i])
		}
		for e, key := range ev.keys {
			a, b := int(key/int64(K)), int(key%int64(K))
			blk := ev.blocks[e*nb : (e+1)*nb]
			n := 0
			for r := 0; r < R; r++ {
				for q := r; q < R; q++ {
					m := blk[n]
					n++
					dq := x[a*R+q] - x[b*R+q]
					y[a*R+r] += float64(m * dq)
					y[b*R+r] -= float64(m * dq)
					if q != r {
						dr := x[a*R+r] - x[b*R+r]
						y[a*R+q] += float64(m * dr)
						y[b*R+q] -= float64(m * dr)
					}
				}
			}
		}
		for k := 0; k < K; k++ {
			if nw.closed[k] {
				clear(y[k*R : (k+1)*R])
			}
		}
	}
	precond := func(x, y []float64) {
		for k := 0; k < K; k++ {
			if nw.closed[k] {
				clear(y[k*R : (k+1)*R])
				continue
			}
			cholSolve(c.chol[k*R*R:(k+1)*R*R], R, x[k*R:(k+1)*R], y[k*R:(k+1)*R])
		}
	}
	copy(c.g, g)
	clear(c.x)
	copy(c.res, c.g)
	precond(c.res, c.z)
	copy(c.p, c.z)
	rz := dot(c.res, c.z)
	r0 := dot(c.res, c.res)
	if r0 == 0 {
		return nil
	}
	for it := 0; it < cgIterations; it++ {
		apply(c.p, c.ap)
		pap := dot(c.p, c.ap)
		if pap <= 0 {
			break
		}
		alpha := rz / pap
		for i := range c.x {
			c.x[i] += float64(alpha * c.p[i])
			c.res[i] -= float64(alpha * c.ap[i])
		}
		if dot(c.res, c.res) <= 1e-8*r0 {
			break
		}
		precond(c.res, c.z)
		rz2 := dot(c.res, c.z)
		beta := rz2 / rz
		rz = rz2
		for i := range c.p {
			c.p[i] = c.z[i] + float64(beta*c.p[i])
		}
	}
	return c.x
}

// dot is the inner product, summed in index order without fused
// multiply-add.
func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += float64(a[i] * b[i])
	}
	return s
}

// cholesky factors the symmetric positive definite n×n matrix a (row-major)
// in place into its lower-triangular factor.
func cholesky(a []float64, n int) {
	for j := 0; j < n; j++ {
		d := a[j*n+j]
		for q := 0; q < j; q++ {
			d -= float64(a[j*n+q] * a[j*n+q])
		}
		d = math.Sqrt(math.Max(d, 1e-300))
		a[j*n+j] = d
		for i := j + 1; i < n; i++ {
			v := a[i*n+j]
			for q := 0; q < j; q++ {
				v -= float64(a[i*n+q] * a[j*n+q])
			}
			a[i*n+j] = v / d
		}
	}
}

// cholSolve solves L·Lᵀ·y = x for the factor of cholesky.
func cholSolve(l []float64, n int, x, y []float64) {
	for i := 0; i < n; i++ {
		v := x[i]
		for q := 0; q < i; q++ {
			v -= float64(l[i*n+q] * y[q])
		}
		y[i] = v / l[i*n+i]
	}
	for i := n - 1; i >= 0; i-- {
		v := y[i]
		for q := i + 1; q < n; q++ {
			v -= float64(l[q*n+i] * y[q])
		}
		y[i] = v / l[i*n+i]
	}
}
