package estimate

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// LinkEffect is how much the uncertain links move the estimate.
type LinkEffect struct {
	Pairs     int `json:"pairs"`     // review-band pairs between persons of this estimate
	Resamples int `json:"resamples"` // resamples with an estimate
	// Low and High are the 2.5% and 97.5% points of the estimate over the
	// resamples; SD its standard deviation.
	Low  float64 `json:"low"`
	High float64 `json:"high"`
	SD   float64 `json:"sd"`
	// Lower and Upper are the interval with the links' uncertainty added
	// (never narrower than the sampling interval); Share is the part of
	// its width the links cause.
	Share float64 `json:"share"`
	Lower float64 `json:"lower"`
	Upper float64 `json:"upper"`
}

// linkUncertainty re-estimates over resamples of the review-band links:
// in each, every link joins its two persons with its match probability
// (unless that would put two entries of one list in one person). The
// spread of the estimates is link uncertainty; it is added to the
// sampling interval's spread as an independent source of variation.
func linkUncertainty(in Input, lists []List, r Result, o Options) LinkEffect {
	idx := make(map[string]int, len(in.Persons))
	for i, p := range in.Persons {
		idx[p.ID] = i
	}
	listIdx := make(map[string]int, len(in.Lists))
	names := make([]string, len(in.Lists))
	for i, l := range in.Lists {
		listIdx[l.Name] = i
		names[i] = l.Name
	}
	pats := make([]Pattern, len(in.Persons))
	for i, p := range in.Persons {
		pats[i], _ = patternOf(p.Lists, listIdx)
	}
	type link struct {
		a, b int
		p    float64
	}
	var links []link
	for _, l := range in.Links {
		a, okA := idx[l.A]
		b, okB := idx[l.B]
		if okA && okB && a != b && l.Probability > 0 {
			links = append(links, link{a, b, l.Probability})
		}
	}
	le := LinkEffect{Pairs: len(links)}
	if len(links) == 0 {
		return le
	}
	totals := make([]float64, o.LinkResamples)
	observed := make([]int, o.LinkResamples)
	ok := make([]bool, o.LinkResamples)
	parallel(o.LinkResamples, func(b int) {
		rng := resampleRNG(o.Seed, streamLinks, b)
		parent := make([]int, len(pats))
		set := slices.Clone(pats)
		for i := range parent {
			parent[i] = i
		}
		find := func(i int) int {
			for parent[i] != i {
				parent[i] = parent[parent[i]]
				i = parent[i]
			}
			return i
		}
		for _, l := range links {
			if rng.Float64() >= l.p {
				continue
			}
			ra, rb := find(l.a), find(l.b)
			if ra == rb || set[ra]&set[rb] != 0 {
				continue // already one, or both on one list
			}
			parent[rb] = ra
			set[ra] |= set[rb]
		}
		var merged []Pattern
		for i := range pats {
			if find(i) == i && set[i] != 0 {
				merged = append(merged, set[i])
			}
		}
		t, err := NewTable(names, merged)
		if err != nil {
			return
		}
		t, _, _, _ = prepare(t, slices.Clone(in.Lists), o)
		if total, found := pointEstimate(t, o); found {
			totals[b], observed[b], ok[b] = total, t.Observed(), true
		}
	})
	var kept []float64
	minObserved := r.Observed
	for b, v := range totals {
		if ok[b] {
			kept = append(kept, v)
			minObserved = min(minObserved, observed[b])
		}
	}
	le.Resamples = len(kept)
	if len(kept) < 2 {
		return le
	}
	slices.Sort(kept)
	le.Low, le.High = quantile(kept, (1-o.Level)/2), quantile(kept, 1-(1-o.Level)/2)
	mean := 0.0
	for _, v := range kept {
		mean += v
	}
	mean /= float64(len(kept))
	for _, v := range kept {
		le.SD += (v - mean) * (v - mean)
	}
	le.SD = math.Sqrt(le.SD / float64(len(kept)-1))
	// Each resample is a way the links might be; around its estimate the
	// sampling error spreads as the interval says (a normal with the
	// interval's half-widths below and above). The interval with links is
	// the 2.5% and 97.5% points of that mixture, and at least the sampling
	// interval.
	le.Lower, le.Upper = r.Lower, r.Upper
	if math.IsNaN(r.Lower) || math.IsNaN(r.Upper) {
		return le
	}
	z := math.Sqrt(chi2Quantile1(o.Level))
	sdLo, sdHi := math.Max((r.Estimate-r.Lower)/z, 1e-9), (r.Upper-r.Estimate)/z
	cdf := func(x float64) float64 {
		sum := 0.0
		for _, v := range kept {
			sd := sdLo
			if x > v {
				sd = sdHi
			}
			sum += distuv.UnitNormal.CDF((x - v) / sd)
		}
		return sum / float64(len(kept))
	}
	q := func(p float64) float64 {
		a, b := kept[0]-12*sdLo, kept[len(kept)-1]+12*sdHi
		for range 200 {
			mid := (a + b) / 2
			if cdf(mid) < p {
				a = mid
			} else {
				b = mid
			}
		}
		return (a + b) / 2
	}
	le.Lower = math.Min(r.Lower, math.Max(float64(minObserved), q((1-o.Level)/2)))
	if !math.IsInf(r.Upper, 1) {
		le.Upper = math.Max(r.Upper, q(1-(1-o.Level)/2))
		le.Share = 1 - (r.Upper-r.Lower)/(le.Upper-le.Lower)
	}
	return le
}

// pointEstimate is the estimate alone, as Estimate makes it.
func pointEstimate(t Table, o Options) (float64, bool) {
	if refuse(t) != nil {
		return 0, false
	}
	if t.K() == 2 {
		return Chapman(t.ListTotal(0), t.ListTotal(1), t.Overlap(0, 1)), true
	}
	f, _, _, ok := choose(t, o, true)
	return f.Total, ok
}

// Chapman is the two-list estimate of the total, (n₁+1)(n₂+1)/(m+1) − 1,
// for lists of n₁ and n₂ persons sharing m: Lincoln–Petersen's n₁n₂/m
// with Chapman's (1951) correction of its bias.
func Chapman(n1, n2, m int) float64 {
	return float64(n1+1)*float64(n2+1)/float64(m+1) - 1
}
