// Package estimate answers "how many are there, counting those no list
// has found?" from the overlap of lists: multiple systems estimation
// (capture–recapture with two or more lists) by Poisson log-linear models.
//
// The package is pure: values in, values out. The caller says which lists
// there are and which lists hold each person; the package counts the
// overlap table, fits the models, chooses one, and returns the estimate,
// its interval, the table of candidate models and warnings as values
// (codes with their facts, which the caller words in its own language).
//
// # The model
//
// With k lists, every person has a capture pattern: the set of lists that
// hold them. The overlap table counts persons by pattern; the cell of the
// empty pattern (on no list) is the unknown. A log-linear model says
//
//	log E[count of pattern h] = β₀ + Σᵢ βᵢ·hᵢ + Σ_{(i,j) ∈ M} γᵢⱼ·hᵢ·hⱼ
//
// where hᵢ is 1 when pattern h includes list i and M is a set of pairs of
// lists whose captures depend on each other (a positive γ: being on one
// list makes the other likelier; negative: less likely). The model is
// fitted to the 2ᵏ−1 observed cells by Poisson maximum likelihood (IRLS);
// the unseen cell's expected count is exp(β₀), and the total is the
// observed count plus exp(β₀). Models range from independence (M empty)
// to all two-way interactions; higher-order interactions are not
// identifiable from one table and are left out.
//
// # Choosing a model
//
// Every model of two-way interactions (up to six lists; a forward search
// beyond) is fitted and ranked by AIC and by BIC; BIC's penalty uses the
// number of persons observed, as Rcapture does. The Bales–Hesketh–
// Silverman rule (2015, the UK modern-slavery estimate) is the stepwise
// alternative: start from independence, add the interaction that lowers
// AIC most, keep it only when its Wald p-value is below a threshold
// (0.05), stop when none qualifies.
//
// # Intervals
//
// The default 95% interval is the profile likelihood of the total N under
// the chosen model (Cormack 1992, as Rcapture's closedpCI): for each N the
// model is fitted to the complete table with N − observed persons in the
// unseen cell, and the interval holds the N whose multinomial profile
// log-likelihood is within χ²₁(0.95)/2 of its maximum. The alternative is
// a parametric bootstrap that draws tables from the fitted model, chooses
// a model again in each draw and takes the 2.5% and 97.5% points.
//
// # When there is no estimate
//
// Before fitting, the table is checked: an estimate is refused, with the
// reason, when fewer than two lists hold anyone or a list shares nobody
// with the other lists. A model is left out when its maximum-likelihood
// estimate does not exist (Fienberg & Rinaldo 2012: zero cells that let
// the likelihood grow without bound, checked by a linear programme) or is
// not identifiable.
//
// # Links and copies
//
// The overlap comes from the matcher's clustering, which is uncertain for
// the pairs it left for review. LinkUncertainty re-estimates over
// resamples in which each review-band pair is linked with its match
// probability, and says how much of the interval's width that
// uncertainty causes. A list that is (nearly) contained in another is
// named as a likely copy: it is not an independent capture, and it is
// merged into the list it copies before estimating.
package estimate
