package estimate

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Interaction is a pair of lists (I < J, indices into a Table's lists)
// whose captures depend on each other.
type Interaction struct{ I, J int }

// Model is a log-linear model: an intercept, a main effect for every list
// and the two-way Interactions, in their order.
type Model struct {
	Interactions []Interaction
}

// Params is the number of parameters for k lists.
func (m Model) Params(k int) int { return 1 + k + len(m.Interactions) }

// Name writes the model with the lists' names: "independence", or the
// interactions as "ipm×mhm + azk×fpc".
func (m Model) Name(lists []string) string {
	if len(m.Interactions) == 0 {
		return "independence"
	}
	parts := make([]string, len(m.Interactions))
	for n, x := range m.Interactions {
		parts[n] = lists[x.I] + "×" + lists[x.J]
	}
	return strings.Join(parts, " + ")
}

// Pairs names the interactions: [["ipm","mhm"], …].
func (m Model) Pairs(lists []string) [][2]string {
	out := make([][2]string, len(m.Interactions))
	for n, x := range m.Interactions {
		out[n] = [2]string{lists[x.I], lists[x.J]}
	}
	return out
}

func (m Model) has(x Interaction) bool { return slices.Contains(m.Interactions, x) }

// with returns the model plus x, interactions kept in (I, J) order.
func (m Model) with(x Interaction) Model {
	xs := append(slices.Clone(m.Interactions), x)
	slices.SortFunc(xs, func(a, b Interaction) int {
		if a.I != b.I {
			return a.I - b.I
		}
		return a.J - b.J
	})
	return Model{Interactions: xs}
}

// allInteractions lists every pair of k lists in order.
func allInteractions(k int) []Interaction {
	var out []Interaction
	for i := 0; i < k; i++ {
		for j := i + 1; j < k; j++ {
			out = append(out, Interaction{i, j})
		}
	}
	return out
}

// row writes the design row of pattern h into dst (len Params).
func (m Model) row(k int, h Pattern, dst []float64) {
	clear(dst)
	for _, c := range m.cols(k, h, nil) {
		dst[c] = 1
	}
}

// cols appends the columns where the design row of pattern h is 1 (the
// design is all zeros and ones), in increasing order.
func (m Model) cols(k int, h Pattern, dst []int32) []int32 {
	dst = append(dst, 0)
	for i := 0; i < k; i++ {
		if h.Has(i) {
			dst = append(dst, int32(1+i))
		}
	}
	for n, x := range m.Interactions {
		if h.Has(x.I) && h.Has(x.J) {
			dst = append(dst, int32(1+k+n))
		}
	}
	return dst
}

// design is the design over the cells from first to 2ᵏ−1 (first = 1 for
// the observed cells, 0 for the complete table), as each row's columns of
// ones.
func (m Model) design(k, first int) [][]int32 {
	cells := 1<<uint(k) - first
	pool := make([]int32, 0, cells*(1+k+len(m.Interactions)))
	x := make([][]int32, cells)
	for c := 0; c < cells; c++ {
		start := len(pool)
		pool = m.cols(k, Pattern(c+first), pool)
		x[c] = pool[start:len(pool):len(pool)]
	}
	return x
}

// Fit is a model fitted to a table by Poisson maximum likelihood.
type Fit struct {
	Model  Model
	Params int
	// Coef and SE: intercept, the main effects in list order, then the
	// interactions in the model's order.
	Coef, SE []float64
	// Fitted are the expected counts by pattern; Fitted[0] = exp(β₀) is
	// the expected number of persons on no list.
	Fitted   []float64
	Deviance float64 // against the saturated model of the observed cells
	LogLik   float64
	AIC, BIC float64
	Unseen   float64 // exp(β₀)
	Total    float64 // observed + Unseen
	Iter     int
}

// errNoConvergence says IRLS did not settle: the estimate does not exist
// or the table is too sparse for the model.
var errNoConvergence = errors.New("the fit did not converge")

// FitModel fits m to the observed cells of t.
func FitModel(t Table, m Model) (Fit, error) {
	return fitModel(t, m, nil)
}

func fitModel(t Table, m Model, start []float64) (Fit, error) {
	k := t.K()
	p := m.Params(k)
	x := m.design(k, 1)
	y := make([]float64, len(t.Counts)-1)
	for i := range y {
		y[i] = float64(t.Counts[i+1])
	}
	var mu0 []float64
	if start != nil {
		mu0 = start[1:]
	}
	res, err := irls(x, y, p, mu0)
	if err != nil {
		return Fit{}, fmt.Errorf("%s: %w", m.Name(t.Lists), err)
	}
	f := Fit{Model: m, Params: p, Coef: res.beta, SE: res.se, Iter: res.iter}
	f.Fitted = append([]float64{math.Exp(res.beta[0])}, res.mu...)
	f.Deviance = res.deviance
	f.LogLik = poissonLogLik(y, res.mu)
	n := float64(t.Observed())
	f.AIC = -2*f.LogLik + 2*float64(p)
	f.BIC = -2*f.LogLik + math.Log(n)*float64(p)
	f.Unseen = f.Fitted[0]
	f.Total = n + f.Unseen
	return f, nil
}

func poissonLogLik(y, mu []float64) float64 {
	ll := 0.0
	for i := range y {
		if y[i] > 0 {
			lg, _ := math.Lgamma(y[i] + 1)
			ll += y[i]*math.Log(mu[i]) - lg
		}
		ll -= mu[i]
	}
	return ll
}

func poissonDeviance(y, mu []float64) float64 {
	d := 0.0
	for i := range y {
		if y[i] > 0 {
			d += y[i] * math.Log(y[i]/mu[i])
		}
		d -= y[i] - mu[i]
	}
	return 2 * d
}

type irlsResult struct {
	beta, se, mu []float64
	deviance     float64
	iter         int
}

// irls fits a Poisson GLM with log link by iteratively reweighted least
// squares: x gives each row's columns of ones (p columns), y the counts,
// start the starting means (nil: y + 0.1, as R's glm does). It stops when
// the relative change of the deviance is below 1e-12.
func irls(x [][]int32, y []float64, p int, start []float64) (irlsResult, error) {
	n := len(y)
	mu := make([]float64, n)
	eta := make([]float64, n)
	for i := range y {
		if start != nil {
			mu[i] = math.Max(start[i], 1e-8)
		} else {
			mu[i] = y[i] + 0.1
		}
		eta[i] = math.Log(mu[i])
	}
	dev := poissonDeviance(y, mu)
	xtwx := make([]float64, p*p)
	xtwz := make([]float64, p)
	beta := make([]float64, p)
	const maxIter = 100
	for it := 1; it <= maxIter; it++ {
		clear(xtwx)
		clear(xtwz)
		for i := 0; i < n; i++ {
			w := mu[i]
			wz := w*eta[i] + (y[i] - mu[i])
			row := x[i]
			for ai, a := range row {
				xtwz[a] += wz
				for _, b := range row[:ai+1] {
					xtwx[int(a)*p+int(b)] += w
				}
			}
		}
		chol, err := cholesky(xtwx, p)
		if err != nil {
			return irlsResult{}, err
		}
		copy(beta, xtwz)
		chol.solve(beta)
		for i := 0; i < n; i++ {
			e := 0.0
			for _, a := range x[i] {
				e += beta[a]
			}
			eta[i] = e
			mu[i] = math.Exp(e)
		}
		nd := poissonDeviance(y, mu)
		if math.IsNaN(nd) || math.IsInf(nd, 0) {
			return irlsResult{}, errNoConvergence
		}
		if math.Abs(nd-dev)/(math.Abs(nd)+0.1) < 1e-12 {
			return irlsResult{beta: beta, se: chol.invDiagSqrt(), mu: mu, deviance: nd, iter: it}, nil
		}
		dev = nd
	}
	return irlsResult{}, errNoConvergence
}

// choleskyFactor is the lower-triangular L of A = L·Lᵀ (row-major p×p).
type choleskyFactor struct {
	l []float64
	p int
}

var errSingular = errors.New("the model is not identifiable from this table (singular information matrix)")

// cholesky factors the symmetric matrix whose lower triangle is in a.
func cholesky(a []float64, p int) (choleskyFactor, error) {
	l := make([]float64, p*p)
	maxDiag := 0.0
	for i := 0; i < p; i++ {
		maxDiag = math.Max(maxDiag, a[i*p+i])
	}
	for i := 0; i < p; i++ {
		for j := 0; j <= i; j++ {
			s := a[i*p+j]
			for k := 0; k < j; k++ {
				s -= l[i*p+k] * l[j*p+k]
			}
			if i == j {
				if s <= maxDiag*1e-13 {
					return choleskyFactor{}, errSingular
				}
				l[i*p+i] = math.Sqrt(s)
			} else {
				l[i*p+j] = s / l[j*p+j]
			}
		}
	}
	return choleskyFactor{l: l, p: p}, nil
}

// solve overwrites b with A⁻¹b.
func (c choleskyFactor) solve(b []float64) {
	p, l := c.p, c.l
	for i := 0; i < p; i++ {
		s := b[i]
		for k := 0; k < i; k++ {
			s -= l[i*p+k] * b[k]
		}
		b[i] = s / l[i*p+i]
	}
	for i := p - 1; i >= 0; i-- {
		s := b[i]
		for k := i + 1; k < p; k++ {
			s -= l[k*p+i] * b[k]
		}
		b[i] = s / l[i*p+i]
	}
}

// invDiagSqrt is the square root of the diagonal of A⁻¹: the standard
// errors when A is the Fisher information.
func (c choleskyFactor) invDiagSqrt() []float64 {
	out := make([]float64, c.p)
	e := make([]float64, c.p)
	for i := range out {
		clear(e)
		e[i] = 1
		c.solve(e)
		out[i] = math.Sqrt(e[i])
	}
	return out
}
