package estimate

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// List is one list taking part: its name and the edition used.
type List struct {
	Name    string
	Edition string // YYYY-MM-DD, or "" when unknown
}

// Person is one person of the clustering and the lists that hold them.
type Person struct {
	ID    string
	Lists []string // names of Input.Lists
}

// Link is a pair of persons that may be one person: a review-band pair of
// the matcher, with its match probability.
type Link struct {
	A, B        string // person IDs
	Probability float64
}

// Options say how to estimate. The zero value means the defaults.
type Options struct {
	Criterion  string  // ByBIC (default), ByAIC or ByStepwise
	Interval   string  // Profile (default) or Bootstrap
	Level      float64 // of the interval; default 0.95
	Resamples  int     // bootstrap draws for the interval; default 500
	PThreshold float64 // stepwise: the p-value an added interaction must reach; default 0.05
	// LinkResamples is the number of link resamples (default 200; 0 with
	// no links). Negative turns the link analysis off.
	LinkResamples int
	Seed          uint64 // of the resamples
	KeepCopies    bool   // do not merge a list that copies another
	Shown         int    // models in the model table; default 10
}

func (o Options) withDefaults() Options {
	if o.Criterion == "" {
		o.Criterion = ByBIC
	}
	if o.Interval == "" {
		o.Interval = Profile
	}
	if o.Level == 0 {
		o.Level = 0.95
	}
	if o.Resamples == 0 {
		o.Resamples = 500
	}
	if o.PThreshold == 0 {
		o.PThreshold = 0.05
	}
	if o.LinkResamples == 0 {
		o.LinkResamples = 200
	}
	if o.Shown == 0 {
		o.Shown = 10
	}
	return o
}

// Check reports an option that is not one of the known values.
func (o Options) Check() error {
	o = o.withDefaults()
	if !slices.Contains(Criteria, o.Criterion) {
		return fmt.Errorf("criterion %q: want aic, bic or stepwise", o.Criterion)
	}
	if !slices.Contains(Intervals, o.Interval) {
		return fmt.Errorf("interval %q: want profile or bootstrap", o.Interval)
	}
	if o.Level <= 0 || o.Level >= 1 {
		return fmt.Errorf("level %v: want a number between 0 and 1", o.Level)
	}
	return nil
}

// Input is what to estimate from.
type Input struct {
	Lists   []List
	Persons []Person
	Links   []Link
	Options Options
}

// Candidate is one model of the model table.
type Candidate struct {
	Name         string      `json:"model"`
	Interactions [][2]string `json:"interactions"`
	Params       int         `json:"parameters"`
	Deviance     float64     `json:"deviance"`
	AIC          float64     `json:"aic"`
	BIC          float64     `json:"bic"`
	DeltaAIC     float64     `json:"delta_aic"`
	DeltaBIC     float64     `json:"delta_bic"`
	Unseen       float64     `json:"unseen"`
	Total        float64     `json:"total"`
	Lower        float64     `json:"lower"` // profile-likelihood interval of this model
	Upper        float64     `json:"upper"` // +Inf when unbounded
	Chosen       bool        `json:"chosen"`
	BestAIC      bool        `json:"best_aic"`
	BestBIC      bool        `json:"best_bic"`
}

// Result is an estimate, or the reason there is none.
type Result struct {
	Lists    []List // the lists estimated from (empty lists dropped, copies merged)
	Table    Table
	Observed int
	// Refused says why there is no estimate; the fields below are then
	// zero.
	Refused *Refusal

	Estimate float64 // the total: observed + unseen
	Unseen   float64
	Lower    float64
	Upper    float64 // +Inf when the data put no upper limit
	Model    Candidate
	// Criterion and Interval are the options used.
	Criterion string
	Interval  string
	Level     float64
	// Chapman is the two-list estimate (n₁+1)(n₂+1)/(m+1) − 1; with two
	// lists it is the Estimate.
	Chapman float64
	// Models is the model table: the best Options.Shown models by the
	// criterion (AIC for the stepwise rule), the chosen one among them.
	Models      []Candidate
	Fitted      int // models fitted
	LeftOut     int // models whose estimate does not exist
	BootFailed  int // bootstrap draws without an estimate
	Links       *LinkEffect
	Warnings    []Warning
	MergedLists [][2]string // copy, original: lists merged before estimating
}

// Refusal codes.
const (
	RefuseTooFewLists = "too-few-lists" // fewer than two lists hold anyone
	RefuseIsolated    = "isolated-list" // a list shares nobody with the others
	RefuseNoModel     = "no-model"      // no model has an estimate
	RefuseFewPersons  = "few-persons"   // fewer than MinPersons persons observed
)

// MinPersons is the fewest persons an estimate is made from: below it the
// table is too sparse for any model to mean much.
const MinPersons = 10

// Refusal is why there is no estimate.
type Refusal struct {
	Code  string   `json:"code"`
	Lists []string `json:"lists,omitempty"`
	Count int      `json:"count,omitempty"` // few-persons: how many there are
}

// Warning codes.
const (
	WarnEmptyList    = "empty-list"      // a list holds nobody here; left out
	WarnCopy         = "copy"            // Lists[0] looks like a copy of Lists[1]; merged
	WarnSpan         = "editions-span"   // the editions span Months months: is the population closed?
	WarnTwoLists     = "two-lists"       // only two lists: their independence cannot be checked
	WarnSmallOverlap = "small-overlap"   // Lists share only Count persons
	WarnFewPersons   = "few-persons"     // only Count persons observed
	WarnUnbounded    = "unbounded"       // no upper limit
	WarnSensitive    = "model-sensitive" // close models disagree: totals from Low to High
	WarnLeftOut      = "models-left-out" // Count models have no estimate (empty cells)
	WarnLinks        = "links"           // link uncertainty causes Share of the width
	WarnBootFailed   = "bootstrap-failed"
)

// Warning is something the reader should know, as a code and its facts.
type Warning struct {
	Code   string   `json:"code"`
	Lists  []string `json:"lists,omitempty"`
	Count  int      `json:"count,omitempty"`
	Of     int      `json:"of,omitempty"`
	Months int      `json:"months,omitempty"`
	From   string   `json:"from,omitempty"` // editions-span: the earliest edition
	To     string   `json:"to,omitempty"`   // and the latest
	Low    float64  `json:"low,omitempty"`
	High   float64  `json:"high,omitempty"`
	Share  float64  `json:"share,omitempty"`
}

// Estimate estimates the total from the overlap of the lists.
func Estimate(in Input) (Result, error) {
	o := in.Options.withDefaults()
	if err := o.Check(); err != nil {
		return Result{}, err
	}
	t, lists, err := tabulate(in.Lists, in.Persons)
	if err != nil {
		return Result{}, err
	}
	r := Result{Criterion: o.Criterion, Interval: o.Interval, Level: o.Level}
	t, lists, r.Warnings, r.MergedLists = prepare(t, lists, o)
	r.Lists, r.Table, r.Observed = lists, t, t.Observed()
	if ref := refuse(t); ref != nil {
		r.Refused = ref
		return r, nil
	}
	chosen, fits, leftOut, ok := choose(t, o, false)
	r.Fitted, r.LeftOut = len(fits), leftOut
	if t.K() == 2 {
		// Chapman's estimate exists whenever the lists share someone,
		// even where the model's does not (a list wholly inside the
		// other puts nobody in the unseen cell).
		r.Chapman = Chapman(t.ListTotal(0), t.ListTotal(1), t.Overlap(0, 1))
		if !ok {
			chosen, ok = Fit{Model: Model{}, Params: 3, Total: r.Chapman, Unseen: r.Chapman - float64(r.Observed)}, true
		}
	}
	if !ok {
		r.Refused = &Refusal{Code: RefuseNoModel}
		return r, nil
	}
	r.Estimate, r.Unseen = chosen.Total, chosen.Unseen
	if t.K() == 2 {
		r.Estimate, r.Unseen = r.Chapman, r.Chapman-float64(r.Observed)
	}
	switch o.Interval {
	case Bootstrap:
		r.Lower, r.Upper, r.BootFailed = bootstrapInterval(t, chosen, o)
		if r.BootFailed > 0 {
			r.Warnings = append(r.Warnings, Warning{Code: WarnBootFailed, Count: r.BootFailed, Of: o.Resamples})
		}
	default:
		lo, hi, ok := profileInterval(t, chosen, o.Level)
		if !ok {
			lo, hi = math.NaN(), math.NaN()
		}
		r.Lower, r.Upper = lo, hi
	}
	r.Lower = math.Min(r.Lower, r.Estimate)
	r.Upper = math.Max(r.Upper, r.Estimate)
	r.Models = modelTable(t, chosen, fits, o)
	for _, c := range r.Models {
		if c.Chosen {
			r.Model = c
		}
	}
	if r.Model.Name == "" { // the stepwise choice can fall outside the shown models
		r.Model = candidate(t, chosen, fits, o)
		r.Model.Chosen = true
		r.Model.Lower, r.Model.Upper = r.Lower, r.Upper
	}
	r.Warnings = append(r.Warnings, warnings(t, lists, r, fits)...)
	if len(in.Links) > 0 && o.LinkResamples > 0 {
		le := linkUncertainty(in, lists, r, o)
		r.Links = &le
		if le.Share >= 0.25 {
			r.Warnings = append(r.Warnings, Warning{Code: WarnLinks, Count: le.Pairs, Share: le.Share})
		}
	}
	return r, nil
}

// tabulate makes the table of the lists that hold the persons.
func tabulate(lists []List, persons []Person) (Table, []List, error) {
	idx := make(map[string]int, len(lists))
	names := make([]string, len(lists))
	for i, l := range lists {
		if _, dup := idx[l.Name]; dup {
			return Table{}, nil, fmt.Errorf("list %q given twice", l.Name)
		}
		idx[l.Name] = i
		names[i] = l.Name
	}
	pats := make([]Pattern, 0, len(persons))
	for _, p := range persons {
		pat, err := patternOf(p.Lists, idx)
		if err != nil {
			return Table{}, nil, fmt.Errorf("person %s: %w", p.ID, err)
		}
		if pat != 0 {
			pats = append(pats, pat)
		}
	}
	t, err := NewTable(names, pats)
	return t, slices.Clone(lists), err
}

func patternOf(lists []string, idx map[string]int) (Pattern, error) {
	var pat Pattern
	for _, l := range lists {
		i, ok := idx[l]
		if !ok {
			return 0, fmt.Errorf("unknown list %q", l)
		}
		pat |= 1 << uint(i)
	}
	return pat, nil
}

// prepare drops lists that hold nobody and merges copies.
func prepare(t Table, lists []List, o Options) (Table, []List, []Warning, [][2]string) {
	var ws []Warning
	drop := map[int]bool{}
	for i := range t.Lists {
		if t.ListTotal(i) == 0 {
			drop[i] = true
			ws = append(ws, Warning{Code: WarnEmptyList, Lists: []string{t.Lists[i]}})
		}
	}
	if len(drop) > 0 {
		t, lists = t.dropLists(drop), keepLists(lists, drop)
	}
	var merged [][2]string
	if !o.KeepCopies {
		for {
			cp, orig, shared, ok := findCopy(t)
			if !ok || t.K() <= 2 {
				break
			}
			ws = append(ws, Warning{Code: WarnCopy, Lists: []string{t.Lists[cp], t.Lists[orig]}, Count: shared, Of: t.ListTotal(cp)})
			merged = append(merged, [2]string{t.Lists[cp], t.Lists[orig]})
			t = t.mergeInto(cp, orig)
			lists = keepLists(lists, map[int]bool{cp: true})
		}
	}
	return t, lists, ws, merged
}

func keepLists(lists []List, drop map[int]bool) []List {
	var out []List
	for i, l := range lists {
		if !drop[i] {
			out = append(out, l)
		}
	}
	return out
}

// refuse checks that the table can identify an estimate at all.
func refuse(t Table) *Refusal {
	if n := t.Observed(); n < MinPersons {
		return &Refusal{Code: RefuseFewPersons, Count: n}
	}
	if t.K() < 2 {
		return &Refusal{Code: RefuseTooFewLists, Lists: slices.Clone(t.Lists)}
	}
	for i := range t.Lists {
		shared := 0
		for j := range t.Lists {
			if j != i {
				shared += t.Overlap(i, j)
			}
		}
		if shared == 0 {
			return &Refusal{Code: RefuseIsolated, Lists: []string{t.Lists[i]}}
		}
	}
	return nil
}

// candidate describes a fit for the model table.
func candidate(t Table, f Fit, fits []Fit, o Options) Candidate {
	minAIC, minBIC := math.Inf(1), math.Inf(1)
	for _, g := range fits {
		minAIC, minBIC = math.Min(minAIC, g.AIC), math.Min(minBIC, g.BIC)
	}
	return Candidate{Name: f.Model.Name(t.Lists), Interactions: f.Model.Pairs(t.Lists), Params: f.Params,
		Deviance: f.Deviance, AIC: f.AIC, BIC: f.BIC, DeltaAIC: f.AIC - minAIC, DeltaBIC: f.BIC - minBIC,
		Unseen: f.Unseen, Total: f.Total}
}

// modelTable is the best Shown models by the criterion (AIC for the
// stepwise rule) with their profile intervals, the chosen model, the best
// by AIC and the best by BIC marked and always included.
func modelTable(t Table, chosen Fit, fits []Fit, o Options) []Candidate {
	crit := o.Criterion
	if crit == ByStepwise {
		crit = ByAIC
	}
	order := make([]int, len(fits))
	for i := range order {
		order[i] = i
	}
	key := func(f Fit) float64 {
		if crit == ByBIC {
			return f.BIC
		}
		return f.AIC
	}
	slices.SortStableFunc(order, func(a, b int) int {
		fa, fb := fits[a], fits[b]
		if c := compareFloat(key(fa), key(fb)); c != 0 {
			return c
		}
		return fa.Params - fb.Params
	})
	ba, bb := best(fits, ByAIC), best(fits, ByBIC)
	var out []Candidate
	for n, i := range order {
		f := fits[i]
		same := sameModel(f.Model, chosen.Model)
		if n >= o.Shown && !same && i != ba && i != bb {
			continue
		}
		c := candidate(t, f, fits, o)
		c.Chosen, c.BestAIC, c.BestBIC = same, i == ba, i == bb
		if lo, hi, ok := profileInterval(t, f, o.Level); ok {
			c.Lower, c.Upper = lo, hi
		} else {
			c.Lower, c.Upper = math.NaN(), math.NaN()
		}
		out = append(out, c)
	}
	return out
}

func compareFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func sameModel(a, b Model) bool { return slices.Equal(a.Interactions, b.Interactions) }

// warnings lists what the reader should know about this estimate.
func warnings(t Table, lists []List, r Result, fits []Fit) []Warning {
	var ws []Warning
	if months := editionSpan(lists); months >= 6 {
		first, last := spanEnds(lists)
		ws = append(ws, Warning{Code: WarnSpan, From: first, To: last, Months: months})
	}
	if t.K() == 2 {
		ws = append(ws, Warning{Code: WarnTwoLists})
	}
	for i := 0; i < t.K(); i++ {
		for j := i + 1; j < t.K(); j++ {
			if m := t.Overlap(i, j); m < 5 {
				ws = append(ws, Warning{Code: WarnSmallOverlap, Lists: []string{t.Lists[i], t.Lists[j]}, Count: m})
			}
		}
	}
	if r.Observed < 30 {
		ws = append(ws, Warning{Code: WarnFewPersons, Count: r.Observed})
	}
	if math.IsInf(r.Upper, 1) {
		ws = append(ws, Warning{Code: WarnUnbounded})
	}
	if r.LeftOut > 0 {
		ws = append(ws, Warning{Code: WarnLeftOut, Count: r.LeftOut, Of: r.LeftOut + r.Fitted})
	}
	// Close models (within 2 of the best AIC) that disagree by more than
	// a tenth of the estimate.
	lo, hi := r.Estimate, r.Estimate
	minAIC := math.Inf(1)
	for _, f := range fits {
		minAIC = math.Min(minAIC, f.AIC)
	}
	for _, f := range fits {
		if f.AIC-minAIC <= 2 {
			lo, hi = math.Min(lo, f.Total), math.Max(hi, f.Total)
		}
	}
	if hi-lo > 0.1*r.Estimate {
		ws = append(ws, Warning{Code: WarnSensitive, Low: lo, High: hi})
	}
	return ws
}

// editionSpan is the number of whole months between the earliest and the
// latest edition.
func editionSpan(lists []List) int {
	first, last := spanEnds(lists)
	a, err1 := time.Parse(time.DateOnly, first)
	b, err2 := time.Parse(time.DateOnly, last)
	if err1 != nil || err2 != nil {
		return 0
	}
	months := (b.Year()-a.Year())*12 + int(b.Month()-a.Month())
	if b.Day() < a.Day() {
		months--
	}
	return months
}

func spanEnds(lists []List) (first, last string) {
	for _, l := range lists {
		if l.Edition == "" {
			continue
		}
		if first == "" || l.Edition < first {
			first = l.Edition
		}
		if l.Edition > last {
			last = l.Edition
		}
	}
	return first, last
}
