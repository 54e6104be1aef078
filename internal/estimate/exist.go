package estimate

import (
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

// mleExists reports whether the maximum-likelihood estimate of m exists
// (is finite) for the observed cells of t.
//
// The Poisson log-likelihood Σ yₕ·ηₕ − exp(ηₕ), η = Xβ, has no maximum
// exactly when some direction d moves no cell with a positive count
// ((Xd)ₕ = 0 where yₕ > 0) and lowers at least one empty cell ((Xd)ₕ ≤ 0
// where yₕ = 0, < 0 for one): along d the likelihood grows for ever
// (Haberman 1974; Fienberg & Rinaldo 2012). The directions that keep the
// positive cells fixed are the null space of their rows of X; a linear
// programme looks in it for one that lowers an empty cell.
func mleExists(t Table, m Model) bool {
	k := t.K()
	p := m.Params(k)
	var pos, zero []Pattern
	for h := 1; h < len(t.Counts); h++ {
		if t.Counts[h] > 0 {
			pos = append(pos, Pattern(h))
		} else {
			zero = append(zero, Pattern(h))
		}
	}
	if len(pos) == 0 {
		return false
	}
	if len(zero) == 0 {
		return true
	}
	row := make([]float64, p)
	// The null space of the positive cells' rows, from the SVD of the
	// rows padded with zeros to at least p rows.
	nr := max(len(pos), p)
	xp := mat.NewDense(nr, p, nil)
	for r, h := range pos {
		m.row(k, h, row)
		xp.SetRow(r, row)
	}
	var svd mat.SVD
	if !svd.Factorize(xp, mat.SVDFullV) {
		return true // cannot tell; let the fit decide
	}
	sv := svd.Values(nil)
	rank := 0
	for _, s := range sv {
		if s > sv[0]*1e-10 {
			rank++
		}
	}
	if rank == p {
		return true // no direction keeps every positive cell fixed
	}
	var v mat.Dense
	svd.VTo(&v)
	nullDim := p - rank
	// M = X_zero · N: how each null direction moves each empty cell.
	xz := mat.NewDense(len(zero), p, nil)
	for r, h := range zero {
		m.row(k, h, row)
		xz.SetRow(r, row)
	}
	var mz mat.Dense
	mz.Mul(xz, v.Slice(0, p, rank, p))
	var cols [][]float64
	for c := 0; c < nullDim; c++ {
		col := mat.Col(nil, c, &mz)
		if mat.Norm(mat.NewVecDense(len(col), col), 2) > 1e-9 {
			cols = append(cols, col)
		}
	}
	if len(cols) == 0 {
		return true
	}
	// Variables: c⁺, c⁻ (the direction's coordinates), s = −M·c ≥ 0 (how
	// much each empty cell is lowered), t = 1 − s ≥ 0 (s bounded by 1).
	// Minimise −Σs; the MLE does not exist when the optimum is below 0.
	nz, q := len(zero), len(cols)
	nv := 2*q + 2*nz
	a := mat.NewDense(2*nz, nv, nil)
	b := make([]float64, 2*nz)
	c := make([]float64, nv)
	for r := 0; r < nz; r++ {
		for j, col := range cols {
			a.Set(r, j, col[r])
			a.Set(r, q+j, -col[r])
		}
		a.Set(r, 2*q+r, 1)
		a.Set(nz+r, 2*q+r, 1)
		a.Set(nz+r, 2*q+nz+r, 1)
		b[nz+r] = 1
		c[2*q+r] = -1
	}
	basic := make([]int, 2*nz)
	for r := range basic {
		basic[r] = 2*q + r // s then t: s = 0, t = 1 is feasible
	}
	opt, _, err := lp.Simplex(c, a, b, 1e-10, basic)
	if err != nil {
		return true
	}
	return !(opt < -1e-7) || math.IsNaN(opt)
}
