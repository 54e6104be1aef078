package estimate

import (
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"

	"gonum.org/v1/gonum/stat/distuv"
)

// Ways to compute the interval.
const (
	Profile   = "profile"   // profile likelihood of N
	Bootstrap = "bootstrap" // parametric bootstrap with the model chosen again in each draw
)

// Intervals lists the ways to compute the interval.
var Intervals = []string{Profile, Bootstrap}

// profile is the profile log-likelihood of the total N under one model.
type profile struct {
	t     Table
	m     Model
	k, p  int
	n     float64
	x     [][]int32 // design of the complete table (cell 0 first)
	y     []float64
	start []float64
}

func newProfile(t Table, m Model) *profile {
	k := t.K()
	pr := &profile{t: t, m: m, k: k, p: m.Params(k), n: float64(t.Observed()), x: m.design(k, 0)}
	pr.y = make([]float64, len(t.Counts))
	for h := 1; h < len(t.Counts); h++ {
		pr.y[h] = float64(t.Counts[h])
	}
	return pr
}

// logLik is the multinomial log-likelihood of N, maximised over the
// model's parameters (Cormack 1992), up to a constant:
//
//	ℓ(N) = log N! − log (N−n)! + Σₕ yₕ·log(μ̂ₕ/N)
//
// where μ̂ is the model fitted to the complete table with N−n persons in
// the unseen cell (so that Σμ̂ = N).
func (pr *profile) logLik(N float64) (float64, bool) {
	z := N - pr.n
	if z < 0 {
		return math.Inf(-1), false
	}
	pr.y[0] = z
	var start []float64
	if pr.start != nil {
		start = pr.start
		start[0] = z + 0.1
	}
	res, err := irls(pr.x, pr.y, pr.p, start)
	if err != nil {
		return math.NaN(), false
	}
	pr.start = res.mu
	a, _ := math.Lgamma(N + 1)
	b, _ := math.Lgamma(z + 1)
	ll := a - b
	for h, y := range pr.y {
		if y > 0 {
			ll += y * math.Log(res.mu[h]/N)
		}
	}
	return ll, true
}

// profileInterval returns the profile-likelihood interval of N at the
// level; hi is +Inf when the likelihood does not fall far enough however
// large N is.
func profileInterval(t Table, f Fit, level float64) (lo, hi float64, ok bool) {
	pr := newProfile(t, f.Model)
	n := pr.n
	ll := func(N float64) float64 {
		v, ok := pr.logLik(N)
		if !ok {
			return math.Inf(-1)
		}
		return v
	}
	// Bracket the maximum: from the conditional MLE outwards.
	a, c := n, math.Max(f.Total, n+1e-6)
	b := n + 2*(c-n) + 1
	lc := ll(c)
	for i := 0; ll(b) > lc && i < 60; i++ {
		a, c = c, b
		lc = ll(c)
		b = n + 2*(b-n) + 1
	}
	// Golden-section search for the maximum on [a, b].
	const g = 0.3819660112501051
	x1, x2 := a+g*(b-a), b-g*(b-a)
	f1, f2 := ll(x1), ll(x2)
	for i := 0; i < 200 && b-a > 1e-7*(1+b); i++ {
		if f1 < f2 {
			a, x1, f1 = x1, x2, f2
			x2 = b - g*(b-a)
			f2 = ll(x2)
		} else {
			b, x2, f2 = x2, x1, f1
			x1 = a + g*(b-a)
			f1 = ll(x1)
		}
	}
	nMax := (a + b) / 2
	lMax := ll(nMax)
	if math.IsInf(lMax, -1) || math.IsNaN(lMax) {
		return 0, 0, false
	}
	crit := lMax - chi2Quantile1(level)/2
	// Lower end.
	if ll(n) >= crit {
		lo = n
	} else {
		lo = bisect(ll, crit, n, nMax)
	}
	// Upper end: step out until the likelihood falls below crit.
	step := math.Max(1, nMax-n)
	up := nMax + step
	for ll(up) > crit {
		step *= 2
		up = nMax + step
		if step > 1e9 {
			return lo, math.Inf(1), true
		}
	}
	hi = bisect(ll, crit, nMax, up)
	return lo, hi, true
}

// bisect finds x in [a, b] with f(x) = v, f(a) and f(b) on either side.
func bisect(f func(float64) float64, v, a, b float64) float64 {
	fa := f(a) - v
	for i := 0; i < 100 && b-a > 1e-6*(1+math.Abs(b)); i++ {
		mid := (a + b) / 2
		fm := f(mid) - v
		if (fm > 0) == (fa > 0) {
			a, fa = mid, fm
		} else {
			b = mid
		}
	}
	return (a + b) / 2
}

// chi2Quantile1 is the quantile of χ² with one degree of freedom.
func chi2Quantile1(level float64) float64 {
	z := distuv.UnitNormal.Quantile(0.5 + level/2)
	return z * z
}

// resampleRNG is the random source of resample b: the same seed and b give
// the same draws, whatever the order the resamples run in.
func resampleRNG(seed uint64, stream, b int) *rand.Rand {
	return rand.New(rand.NewPCG(seed, uint64(stream)<<32|uint64(b)))
}

// Streams of random numbers, one per use.
const (
	streamBootstrap = 1
	streamLinks     = 2
)

// parallel runs fn(b) for b in [0, n) on all cores.
func parallel(n int, fn func(b int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range next {
				fn(b)
			}
		}()
	}
	for b := range n {
		next <- b
	}
	close(next)
	wg.Wait()
}

// bootstrapInterval draws tables from the chosen fit (Poisson counts with
// the fitted means), chooses a model again in each and estimates the
// unseen count. In each draw the true unseen count is a Poisson draw with
// the fitted mean; the interval comes from the quantiles of the error
// (estimated minus true unseen count) around the estimate (the basic
// bootstrap interval), so that the observed count, which is known, adds no
// spread. Draws with no estimate are counted in failed.
func bootstrapInterval(t Table, f Fit, o Options) (lo, hi float64, failed int) {
	errs := make([]float64, o.Resamples)
	ok := make([]bool, o.Resamples)
	parallel(o.Resamples, func(b int) {
		rng := resampleRNG(o.Seed, streamBootstrap, b)
		bt := Table{Lists: t.Lists, Counts: make([]int, len(t.Counts))}
		for h := 1; h < len(t.Counts); h++ {
			bt.Counts[h] = poisson(rng, f.Fitted[h])
		}
		truth := float64(poisson(rng, f.Unseen))
		if bt.Observed() == 0 {
			return
		}
		total, found := pointEstimate(bt, o)
		if !found {
			return
		}
		errs[b] = total - float64(bt.Observed()) - truth
		ok[b] = true
	})
	var kept []float64
	for b, v := range errs {
		if ok[b] {
			kept = append(kept, v)
		} else {
			failed++
		}
	}
	if len(kept) == 0 {
		return math.NaN(), math.NaN(), failed
	}
	slices.Sort(kept)
	n := float64(t.Observed())
	est := n + f.Unseen
	lo = math.Max(n, est-quantile(kept, 1-(1-o.Level)/2))
	hi = math.Max(n, est-quantile(kept, (1-o.Level)/2))
	return lo, hi, failed
}

func poisson(rng *rand.Rand, lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	return int(distuv.Poisson{Lambda: lambda, Src: rng}.Rand())
}

// quantile is the q-quantile of sorted xs (linear interpolation, R's type 7).
func quantile(xs []float64, q float64) float64 {
	if len(xs) == 1 {
		return xs[0]
	}
	h := q * float64(len(xs)-1)
	i := int(math.Floor(h))
	if i >= len(xs)-1 {
		return xs[len(xs)-1]
	}
	return xs[i] + (h-float64(i))*(xs[i+1]-xs[i])
}
