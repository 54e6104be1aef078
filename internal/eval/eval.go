// Package eval measures a clustering of records against the truth:
// pairwise and B-cubed precision, recall and F1, and examples of what went
// wrong (false merges and missed links) so that an engineer sees why.
//
// Pairwise metrics count record pairs: a pair is predicted when both
// records are in the same predicted person and true when both belong to the
// same true person. Precision = correct/predicted pairs, recall =
// correct/true pairs. With no predicted pairs precision is 1 (nothing was
// wrongly merged); with no true pairs recall is 1.
//
// B-cubed metrics average over records: a record's precision is the share
// of its predicted person that truly is the same person, its recall the
// share of its true person that was put with it (Bagga and Baldwin 1998;
// Amigó et al. 2009). They weigh every record equally, so a large false
// merge costs more than a small one.
//
// The package is pure: values in, values out.
package eval

import (
	"cmp"
	"slices"
)

// Assignment maps a record key ("source@edition:ref") to a cluster: a true
// person ID in the truth, a predicted person ID in a clustering.
type Assignment map[string]string

// Metrics is a precision/recall/F1 triple.
type Metrics struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

// Pairs counts record pairs.
type Pairs struct {
	True      int64 `json:"true"`      // pairs of records of the same true person
	Predicted int64 `json:"predicted"` // pairs of records in the same predicted person
	Correct   int64 `json:"correct"`   // both
}

// Member is one record in an example.
type Member struct {
	Key  string `json:"record"`
	Name string `json:"name,omitempty"`
}

// Part is the records of one cluster inside an example.
type Part struct {
	ID      string   `json:"id"` // a true person ID (in a false merge) or a predicted person ID (in a missed link)
	Records []Member `json:"records"`
}

// Example is one error: a predicted person that joins several true persons
// (false merge), or a true person split over several predicted persons
// (missed link).
type Example struct {
	ID         string `json:"id"`    // the predicted person (false merge) or the true person (missed link)
	WrongPairs int64  `json:"pairs"` // the pairs this error costs
	Parts      []Part `json:"parts"` // the pieces, largest first
}

// Report is the result of Evaluate.
type Report struct {
	Records      int     `json:"records"`       // records in both the truth and the clustering: the ones measured
	NotInTruth   int     `json:"not_in_truth"`  // clustered records the truth does not know (ignored)
	NotClustered int     `json:"not_clustered"` // truth records missing from the clustering (ignored)
	TruePersons  int     `json:"true_persons"`
	PredPersons  int     `json:"predicted_persons"`
	Pairs        Pairs   `json:"pairs"`
	Pairwise     Metrics `json:"pairwise"`
	BCubed       Metrics `json:"bcubed"`

	BySources []SourcePair `json:"by_sources,omitempty"` // pairwise figures per pair of sources (with Options.Source)

	// WithReview is what the clustering would be if analysts said "same"
	// to every review pair (with Options.Review): how many true pairs are
	// either linked or within reach of the queue.
	WithReview *ReviewFigures `json:"with_review,omitempty"`

	FalseMergeCount int       `json:"false_merges"` // predicted persons holding records of more than one true person
	MissedLinkCount int       `json:"missed_links"` // true persons whose records are in more than one predicted person
	FalseMerges     []Example `json:"false_merge_examples"`
	MissedLinks     []Example `json:"missed_link_examples"`
}

// ReviewFigures measures the clustering with every review pair accepted.
type ReviewFigures struct {
	ReviewPairs     int       `json:"review_pairs"` // review pairs among the measured records
	Correct         int64     `json:"correct"`      // true pairs linked or joined through review pairs
	Recall          float64   `json:"recall"`       // Correct / true pairs
	MissedLinkCount int       `json:"missed_links"` // true persons still split
	MissedLinks     []Example `json:"missed_link_examples"`
}

// SourcePair is the pairwise figures over the record pairs whose records
// come from sources A and B (A ≤ B; A = B for within-source pairs).
type SourcePair struct {
	A       string  `json:"a"`
	B       string  `json:"b"`
	Pairs   Pairs   `json:"pairs"`
	Metrics Metrics `json:"metrics"`
}

// Options tunes the report.
type Options struct {
	Examples int                     // how many examples of each error kind to keep (the costliest)
	Names    map[string]string       // record key → name as written, for the examples
	Source   func(key string) string // the source of a record key; when set, the report breaks pairs down by source pair
	// Review lists the pairs of records an analyst is asked about (match
	// and duplicate items); when not nil, the report says what recall
	// would be if each were answered "same".
	Review [][2]string
}

// Evaluate compares pred with truth over the records both know.
func Evaluate(truth, pred Assignment, opts Options) *Report {
	rep := &Report{}
	var recs []keyed
	for k, p := range pred {
		t, ok := truth[k]
		if !ok {
			rep.NotInTruth++
			continue
		}
		recs = append(recs, keyed{k, t, p})
	}
	for k := range truth {
		if _, ok := pred[k]; !ok {
			rep.NotClustered++
		}
	}
	slices.SortFunc(recs, func(a, b keyed) int { return cmp.Compare(a.key, b.key) })
	rep.Records = len(recs)

	trueSize := map[string]int64{}
	predSize := map[string]int64{}
	cell := map[[2]string]int64{} // (true, pred) → records
	for _, r := range recs {
		trueSize[r.t]++
		predSize[r.p]++
		cell[[2]string{r.t, r.p}]++
	}
	rep.TruePersons, rep.PredPersons = len(trueSize), len(predSize)
	for _, n := range trueSize {
		rep.Pairs.True += n * (n - 1) / 2
	}
	for _, n := range predSize {
		rep.Pairs.Predicted += n * (n - 1) / 2
	}
	var bp, br float64
	for k, n := range cell {
		rep.Pairs.Correct += n * (n - 1) / 2
		bp += float64(n*n) / float64(predSize[k[1]])
		br += float64(n*n) / float64(trueSize[k[0]])
	}
	rep.Pairwise = metrics(ratio(rep.Pairs.Correct, rep.Pairs.Predicted), ratio(rep.Pairs.Correct, rep.Pairs.True))
	if rep.Records > 0 {
		rep.BCubed = metrics(bp/float64(rep.Records), br/float64(rep.Records))
	}

	if opts.Source != nil {
		rep.BySources = bySources(recs, opts.Source)
	}

	// Examples: group the records by predicted person (false merges) and
	// by true person (missed links).
	byPred := map[string]map[string][]Member{}
	byTrue := map[string]map[string][]Member{}
	for _, r := range recs {
		m := Member{Key: r.key, Name: opts.Names[r.key]}
		add(byPred, r.p, r.t, m)
		add(byTrue, r.t, r.p, m)
	}
	rep.FalseMerges, rep.FalseMergeCount = examples(byPred, opts.Examples)
	rep.MissedLinks, rep.MissedLinkCount = examples(byTrue, opts.Examples)
	if opts.Review != nil {
		rep.WithReview = withReview(recs, rep.Pairs.True, opts)
	}
	return rep
}

// withReview joins the predicted persons that a review pair connects and
// counts the true pairs that then share a person.
func withReview(recs []keyed, truePairs int64, opts Options) *ReviewFigures {
	parent := map[string]string{}
	var find func(string) string
	find = func(x string) string {
		p, ok := parent[x]
		if !ok || p == x {
			return x
		}
		r := find(p)
		parent[x] = r
		return r
	}
	predOf := make(map[string]string, len(recs))
	for _, r := range recs {
		predOf[r.key] = r.p
	}
	f := &ReviewFigures{}
	for _, pr := range opts.Review {
		a, okA := predOf[pr[0]]
		b, okB := predOf[pr[1]]
		if !okA || !okB {
			continue
		}
		f.ReviewPairs++
		ra, rb := find(a), find(b)
		if ra != rb {
			if rb < ra {
				ra, rb = rb, ra
			}
			parent[rb] = ra
		}
	}
	cell := map[[2]string]int64{}
	byTrue := map[string]map[string][]Member{}
	for _, r := range recs {
		p := find(r.p)
		cell[[2]string{r.t, p}]++
		add(byTrue, r.t, p, Member{Key: r.key, Name: opts.Names[r.key]})
	}
	for _, n := range cell {
		f.Correct += n * (n - 1) / 2
	}
	f.Recall = ratio(f.Correct, truePairs)
	f.MissedLinks, f.MissedLinkCount = examples(byTrue, opts.Examples)
	return f
}

type keyed struct{ key, t, p string }

// bySources counts true, predicted and correct pairs per pair of sources:
// within each cluster, records of sources a and b make n_a·n_b pairs
// (n_a(n_a−1)/2 when a = b).
func bySources(recs []keyed, source func(string) string) []SourcePair {
	type cl = map[string]int64
	trueC, predC, cellC := map[string]cl{}, map[string]cl{}, map[[2]string]cl{}
	inc := func(m cl, s string) { m[s]++ }
	for _, r := range recs {
		s := source(r.key)
		if trueC[r.t] == nil {
			trueC[r.t] = cl{}
		}
		if predC[r.p] == nil {
			predC[r.p] = cl{}
		}
		k := [2]string{r.t, r.p}
		if cellC[k] == nil {
			cellC[k] = cl{}
		}
		inc(trueC[r.t], s)
		inc(predC[r.p], s)
		inc(cellC[k], s)
	}
	acc := map[[2]string]*Pairs{}
	count := func(c cl, field func(*Pairs) *int64) {
		for a, na := range c {
			for b, nb := range c {
				if a > b {
					continue
				}
				n := na * nb
				if a == b {
					n = na * (na - 1) / 2
				}
				if n == 0 {
					continue
				}
				k := [2]string{a, b}
				if acc[k] == nil {
					acc[k] = &Pairs{}
				}
				*field(acc[k]) += n
			}
		}
	}
	for _, c := range trueC {
		count(c, func(p *Pairs) *int64 { return &p.True })
	}
	for _, c := range predC {
		count(c, func(p *Pairs) *int64 { return &p.Predicted })
	}
	for _, c := range cellC {
		count(c, func(p *Pairs) *int64 { return &p.Correct })
	}
	out := make([]SourcePair, 0, len(acc))
	for k, p := range acc {
		out = append(out, SourcePair{A: k[0], B: k[1], Pairs: *p, Metrics: metrics(ratio(p.Correct, p.Predicted), ratio(p.Correct, p.True))})
	}
	slices.SortFunc(out, func(x, y SourcePair) int { return cmp.Or(cmp.Compare(x.A, y.A), cmp.Compare(x.B, y.B)) })
	return out
}

func add(m map[string]map[string][]Member, outer, inner string, mem Member) {
	if m[outer] == nil {
		m[outer] = map[string][]Member{}
	}
	m[outer][inner] = append(m[outer][inner], mem)
}

// examples lists the clusters with more than one part, costliest first.
// The cost is the number of pairs across parts.
func examples(m map[string]map[string][]Member, keep int) ([]Example, int) {
	var out []Example
	for id, parts := range m {
		if len(parts) < 2 {
			continue
		}
		ex := Example{ID: id}
		var total, within int64
		for pid, mem := range parts {
			n := int64(len(mem))
			total += n
			within += n * (n - 1) / 2
			ex.Parts = append(ex.Parts, Part{ID: pid, Records: mem})
		}
		ex.WrongPairs = total*(total-1)/2 - within
		slices.SortFunc(ex.Parts, func(a, b Part) int {
			return cmp.Or(cmp.Compare(len(b.Records), len(a.Records)), cmp.Compare(a.ID, b.ID))
		})
		out = append(out, ex)
	}
	slices.SortFunc(out, func(a, b Example) int {
		return cmp.Or(cmp.Compare(b.WrongPairs, a.WrongPairs), cmp.Compare(a.ID, b.ID))
	})
	n := len(out)
	if len(out) > keep {
		out = out[:keep]
	}
	if out == nil {
		out = []Example{}
	}
	return out, n
}

func ratio(num, den int64) float64 {
	if den == 0 {
		return 1
	}
	return float64(num) / float64(den)
}

func metrics(p, r float64) Metrics {
	m := Metrics{Precision: p, Recall: r}
	if p+r > 0 {
		m.F1 = 2 * p * r / (p + r)
	}
	return m
}
