package estimate

import (
	"cmp"
	"math"
	"slices"
)

// Ways to choose a model.
const (
	ByAIC      = "aic"
	ByBIC      = "bic"
	ByStepwise = "stepwise" // Bales, Hesketh & Silverman (2015)
)

// Criteria lists the ways to choose a model.
var Criteria = []string{ByAIC, ByBIC, ByStepwise}

// exhaustiveLists is the most lists for which every model of two-way
// interactions is fitted (2¹⁰ = 1024 models for five lists); with more,
// a forward search by the criterion visits the candidates.
const exhaustiveLists = 5

// search fits the candidate models of t and returns the fits whose
// estimate exists, in the order visited, and how many were left out
// because their maximum-likelihood estimate does not exist. With
// forwardOnly (or more than exhaustiveLists lists) it searches forward from
// independence instead of fitting every model.
func search(t Table, criterion string, forwardOnly bool) (fits []Fit, leftOut int) {
	k := t.K()
	if k < 3 {
		// With two lists the interaction would leave no degree of freedom
		// for the unseen cell: only independence is identifiable.
		f, ok := tryFit(t, Model{})
		if ok {
			fits = append(fits, f)
		} else {
			leftOut++
		}
		return fits, leftOut
	}
	xs := allInteractions(k)
	if k <= exhaustiveLists && !forwardOnly {
		// A model's estimate exists when a larger model's does, and not
		// when a smaller model's does not: check the largest model, and
		// each model only when all those one interaction smaller exist.
		check := slices.Contains(t.Counts[1:], 0) && !mleExists(t, Model{Interactions: xs})
		models := allModels(k)
		missing := make([]bool, len(models))
		for mask, m := range models {
			for n := range xs {
				if mask&(1<<uint(n)) != 0 {
					missing[mask] = missing[mask] || (check && missing[mask&^(1<<uint(n))])
				}
			}
			if check && (missing[mask] || !mleExists(t, m)) {
				missing[mask] = true
				leftOut++
				continue
			}
			if f, ok := tryFit(t, m); ok {
				fits = append(fits, f)
			} else {
				leftOut++
			}
		}
		return fits, leftOut
	}
	// Forward search: from independence, add the interaction that lowers
	// the criterion most, while one does.
	score := func(f Fit) float64 {
		if criterion == ByBIC {
			return f.BIC
		}
		return f.AIC
	}
	_, fits, leftOut, _ = forward(t, score, func(cur, next Fit) bool { return score(next) < score(cur) })
	return fits, leftOut
}

// forward walks from independence: at each step it fits every model one
// interaction larger (those whose estimate exists), takes the best by
// score, and goes on to it while accept says so. It returns where it
// stopped, every fit it made and how many models it left out.
func forward(t Table, score func(Fit) float64, accept func(cur, next Fit) bool) (cur Fit, fits []Fit, leftOut int, ok bool) {
	cur, ok = tryFit(t, Model{})
	if !ok {
		return Fit{}, nil, 1, false
	}
	fits = append(fits, cur)
	xs := allInteractions(t.K())
	hasZero := slices.Contains(t.Counts[1:], 0)
	for {
		var best Fit
		found := false
		for _, x := range xs {
			if cur.Model.has(x) {
				continue
			}
			m := cur.Model.with(x)
			if hasZero && !mleExists(t, m) {
				leftOut++
				continue
			}
			f, ok := tryFit(t, m)
			if !ok {
				leftOut++
				continue
			}
			fits = append(fits, f)
			if !found || score(f) < score(best) {
				best, found = f, true
			}
		}
		if !found || !accept(cur, best) {
			return cur, fits, leftOut, true
		}
		cur = best
	}
}

// allModels lists every model of two-way interactions of k lists; model
// number mask has interaction n of allInteractions when bit n is set.
func allModels(k int) []Model {
	xs := allInteractions(k)
	out := make([]Model, 1<<uint(len(xs)))
	for mask := range out {
		for n, x := range xs {
			if mask&(1<<uint(n)) != 0 {
				out[mask].Interactions = append(out[mask].Interactions, x)
			}
		}
	}
	return out
}

// tryFit fits m and reports whether it gave a usable estimate.
func tryFit(t Table, m Model) (Fit, bool) {
	f, err := FitModel(t, m)
	if err != nil || math.IsNaN(f.Total) || math.IsInf(f.Total, 0) {
		return Fit{}, false
	}
	return f, true
}

// best returns the index of the fit with the lowest AIC or BIC (ties: the
// fewer parameters, then the first visited), -1 for none.
func best(fits []Fit, criterion string) int {
	bi := -1
	for i, f := range fits {
		if bi < 0 {
			bi = i
			continue
		}
		a, b := f.AIC, fits[bi].AIC
		if criterion == ByBIC {
			a, b = f.BIC, fits[bi].BIC
		}
		if c := cmp.Or(cmp.Compare(a, b), cmp.Compare(f.Params, fits[bi].Params)); c < 0 {
			bi = i
		}
	}
	return bi
}

// stepwise is the Bales–Hesketh–Silverman rule: start from independence;
// add the interaction that lowers AIC most, provided the Wald p-value of
// its coefficient is below pThreshold; stop when no interaction lowers
// AIC or the best one is not significant. Models whose estimate does not
// exist are not considered.
func stepwise(t Table, pThreshold float64) (Fit, bool) {
	if t.K() < 3 {
		return tryFit(t, Model{})
	}
	aic := func(f Fit) float64 { return f.AIC }
	cur, _, _, ok := forward(t, aic, func(cur, next Fit) bool {
		if next.AIC >= cur.AIC {
			return false
		}
		// The Wald p-value of the coefficient just added.
		i := 1 + t.K() + cur.Model.addedIndex(next.Model)
		return math.Erfc(math.Abs(next.Coef[i]/next.SE[i])/math.Sqrt2) <= pThreshold
	})
	return cur, ok
}

// addedIndex is the index in next's interactions of the one m lacks.
func (m Model) addedIndex(next Model) int {
	for n, x := range next.Interactions {
		if !m.has(x) {
			return n
		}
	}
	return -1
}

// choose fits the candidates and picks one by the criterion. In a
// resample only the choice matters: the AIC and BIC choices come from the
// forward search, and the candidates are not returned.
func choose(t Table, o Options, resample bool) (chosen Fit, fits []Fit, leftOut int, ok bool) {
	if o.Criterion == ByStepwise {
		if !resample {
			fits, leftOut = search(t, ByAIC, false)
		}
		chosen, ok = stepwise(t, o.PThreshold)
		return chosen, fits, leftOut, ok
	}
	fits, leftOut = search(t, o.Criterion, resample)
	bi := best(fits, o.Criterion)
	if bi < 0 {
		return Fit{}, fits, leftOut, false
	}
	if resample {
		return fits[bi], nil, leftOut, true
	}
	return fits[bi], fits, leftOut, true
}
