// Package match finds the pairs of records that are likely the same
// person, scores them and explains every score. It is pure: values in,
// values out.
//
// # Pipeline
//
//  1. Prepare: each record's name is parsed once by the names engine and its
//     other fields normalised once.
//  2. Block: records sharing a blocking key (the names engine's keys and
//     combinations of coarse surname, given-name and patronymic keys with
//     each other and with the birth year) are compared; blocks above a cap
//     are compared within a sliding window over the sorted block, so work
//     stays near-linear. Each pair is compared once.
//  3. Compare: surname, given name, patronymic, birth year, gender, group,
//     case and arrest date each get a level (exact, variant, …, different,
//     or missing).
//  4. Estimate: a Fellegi–Sunter model — u from random pairs, m (and the
//     name fields' u) by EM on the blocked pairs' comparison patterns, with
//     priors and clamps (see [Model]).
//  5. Score: the match weight is the prior log-odds plus each field's
//     log2(m/u), plus a term-frequency adjustment on surname and given-name
//     agreement (common names weigh less); the probability is
//     1/(1+2^-weight). [Matcher.Explain] gives the waterfall.
//
// Two thresholds split the probabilities: at or above LinkThreshold a pair
// is a link, at or above ReviewThreshold a doubt for review, below it a
// non-link.
package match

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/roster-coalition/roster/internal/names"
	"github.com/roster-coalition/roster/internal/roster"
)

// Default thresholds, chosen on synthetic benchmarks (roster synth, 600
// and 1,500 persons, five lists): a link needs a match probability of 0.8
// (pairwise precision stayed at 0.998–0.999 from 0.5 to 0.95, while recall
// fell from 0.98 at 0.8 to 0.96 at 0.95); from 0.3 up to the link
// threshold a pair goes to review (about two thirds of the pairs in that
// band were the same person; below 0.3, one in five).
const (
	DefaultLinkThreshold   = 0.8
	DefaultReviewThreshold = 0.3
)

// Config tunes a match. The zero value gives the defaults.
type Config struct {
	LinkThreshold   float64 // default DefaultLinkThreshold
	ReviewThreshold float64 // default DefaultReviewThreshold
	MaxBlock        int     // records in a block compared all-pairs; larger blocks use a window (default 400)
	Window          int     // sliding-window width in giant blocks (default 40)
	PairBudget      int64   // the block cap comes down (to 50 at least) until blocking gives about this many pairs (default 60 per record, at least 1,000,000); -1: no budget
	RandomPairs     int     // random pairs for estimating u (default: 5 per record, at least 10,000, at most 50,000)
	KeepFloor       float64 // scored pairs below this probability are not returned (default: the smaller of 0.05 and half the review threshold)
	Workers         int     // goroutines for comparing (default GOMAXPROCS)
	// Model, when set, is used instead of estimating one (for explaining
	// a pair with the model of a stored run).
	Model *Model
	// Independent scores each pair alone, without the one-person-per-list
	// step (see oneToOne).
	Independent bool
	// Progress, when set, is called from the goroutine running Run as
	// the work advances.
	Progress func(stage string, done, total int64)
}

func (c Config) withDefaults() Config {
	if c.LinkThreshold == 0 {
		c.LinkThreshold = DefaultLinkThreshold
	}
	if c.ReviewThreshold == 0 {
		c.ReviewThreshold = DefaultReviewThreshold
	}
	if c.MaxBlock == 0 {
		c.MaxBlock = 400
	}
	if c.Window == 0 {
		c.Window = 40
	}
	if c.RandomPairs == 0 {
		c.RandomPairs = 50000 // New lowers it for small inputs
	}
	if c.KeepFloor == 0 {
		c.KeepFloor = min(0.05, c.ReviewThreshold/2)
	}
	if c.Workers <= 0 {
		c.Workers = runtime.GOMAXPROCS(0)
	}
	return c
}

// Validate checks the thresholds.
func (c Config) Validate() error {
	c = c.withDefaults()
	if c.LinkThreshold <= 0 || c.LinkThreshold > 1 || c.ReviewThreshold <= 0 || c.ReviewThreshold > 1 {
		return roster.Errorf(roster.EINVALID, "thresholds must lie in (0,1]")
	}
	if c.ReviewThreshold > c.LinkThreshold {
		return roster.Errorf(roster.EINVALID, "review threshold %.3g is above the link threshold %.3g", c.ReviewThreshold, c.LinkThreshold)
	}
	return nil
}

// Pair is a scored pair of records, by index into the matcher's input
// (A < B).
type Pair struct {
	A, B        int
	Weight      float64 // match weight: log2 odds
	Probability float64
}

// Band names for pairs.
const (
	BandLink      = "link"
	BandReview    = "review"
	BandNonLink   = "nonlink"
	BandDuplicate = "duplicate" // a within-list pair that looks like a link
)

// Stats summarises a run.
type Stats struct {
	Records       int   `json:"records"`
	Lists         int   `json:"lists"`
	Blocks        int   `json:"blocks"`
	GiantBlocks   int   `json:"giant_blocks"`
	BlockCap      int   `json:"block_cap"` // blocks above this many records were compared by window
	LargestBlock  int   `json:"largest_block"`
	AllPairs      int64 `json:"all_pairs"`
	PairsCompared int64 `json:"pairs_compared"`
	PairsKept     int   `json:"pairs_kept"` // returned (probability at or above the keep floor)
	Links         int   `json:"pairs_link"`
	Reviews       int   `json:"pairs_review"`
}

// Result is the outcome of Run.
type Result struct {
	Pairs []Pair // sorted by (A, B)
	Model Model
	Stats Stats
}

// Matcher scores pairs of one set of records.
type Matcher struct {
	cfg      Config
	recs     []roster.Record
	ps       []prepared
	lists    []string
	nameID   []int32   // per record: its distinct name
	nameRep  []int32   // per distinct name: a record that has it
	tfSur    []float64 // per record: frequency of its surname's coarse key
	tfGiv    []float64
	model    Model
	hasRun   bool
	o2o      *o2oState   // what the one-to-one step summed, for Explain
	final    []finalProb // the pairs whose probability the one-to-one step changed, sorted
	listSize []int       // records per list
}

// New prepares records for matching: each name is parsed once.
func New(records []roster.Record, cfg Config) *Matcher {
	records = bounded(records) // the cost of a comparison grows with the names' lengths: see Bound
	if cfg.RandomPairs == 0 {
		cfg.RandomPairs = max(10000, min(50000, 5*len(records)))
	}
	if cfg.PairBudget == 0 {
		cfg.PairBudget = max(1_000_000, 60*int64(len(records)))
	}
	cfg = cfg.withDefaults()
	if cfg.Progress != nil {
		cfg.Progress("prepare", 0, 1)
	}
	m := &Matcher{cfg: cfg, recs: records, ps: make([]prepared, len(records))}
	listIdx := map[string]int32{}
	lists := make([]int32, len(records))
	for i, r := range records {
		k := r.Source + "@" + r.Edition
		x, ok := listIdx[k]
		if !ok {
			x = int32(len(m.lists))
			listIdx[k] = x
			m.lists = append(m.lists, k)
		}
		lists[i] = x
	}
	m.listSize = make([]int, len(m.lists))
	for _, x := range lists {
		m.listSize[x]++
	}
	// Distinct names as written: each is parsed once, shared by the
	// records that write it alike, and each pair of them compared once.
	ids := map[string]int32{}
	m.nameID = make([]int32, len(records))
	for i, r := range records {
		k := "P\x00" + r.Name
		if r.Surname != "" || r.Given != "" || r.Patronymic != "" {
			k = "F\x00" + r.Surname + "\x00" + r.Given + "\x00" + r.Patronymic + "\x00" + r.Name
		}
		if len(r.Aliases) > 0 {
			k += "\x00A\x00" + strings.Join(r.Aliases, "\x00")
		}
		id, ok := ids[k]
		if !ok {
			id = int32(len(m.nameRep))
			ids[k] = id
			m.nameRep = append(m.nameRep, int32(i))
		}
		m.nameID[i] = id
	}
	ids = nil
	// Compared many times: prepared once, and the parts spelled alike
	// (one surname in a thousand names) prepared and kept once.
	parsed := make([]names.Name, len(m.nameRep))
	aliases := make([][]names.Name, len(m.nameRep))
	pr := names.NewPreparer()
	parallel(len(parsed), cfg.Workers, func(lo, hi int) {
		for x := lo; x < hi; x++ {
			n, as := ParseForms(records[m.nameRep[x]])
			parsed[x] = pr.Prepare(n)
			for k := range as {
				as[k] = pr.Prepare(as[k])
			}
			aliases[x] = as
		}
	})
	parallel(len(records), cfg.Workers, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			m.ps[i] = prepare(records[i], &parsed[m.nameID[i]], lists[i])
			m.ps[i].aliases = aliases[m.nameID[i]]
		}
	})
	surN, givN := map[string]int{}, map[string]int{}
	for i := range m.ps {
		surN[m.ps[i].surTF]++
		givN[m.ps[i].givTF]++
	}
	m.tfSur = make([]float64, len(records))
	m.tfGiv = make([]float64, len(records))
	n := float64(len(records))
	for i := range m.ps {
		if k := m.ps[i].surTF; k != "" {
			m.tfSur[i] = float64(surN[k]) / n
		}
		if k := m.ps[i].givTF; k != "" {
			m.tfGiv[i] = float64(givN[k]) / n
		}
	}
	if cfg.Model != nil {
		m.model = *cfg.Model
		m.hasRun = true
	}
	return m
}

// parallel runs fn over [0,n) split in contiguous chunks.
func parallel(n, workers int, fn func(lo, hi int)) {
	if workers <= 1 || n < 1000 {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	step := (n + workers - 1) / workers
	for lo := 0; lo < n; lo += step {
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			fn(lo, hi)
		}(lo, min(n, lo+step))
	}
	wg.Wait()
}

// Name returns the parsed name of record i.
func (m *Matcher) Name(i int) names.Name { return *m.ps[i].name }

// Model returns the model (estimated by Run, or given in the Config).
func (m *Matcher) Model() Model { return m.model }

// SameList reports whether records i and j come from the same edition of
// the same source.
func (m *Matcher) SameList(i, j int) bool { return m.ps[i].list == m.ps[j].list }

// nameCache is a worker's memory of name comparisons: the levels of
// recently compared pairs of distinct names (blocks of namesakes compare
// the same two spellings again and again), and a names.Comparer that
// remembers comparisons of name parts (the names share their parts).
type nameCache struct {
	cmp   *names.Comparer
	names [1 << 14]struct {
		key uint64 // the two name IDs, smaller first, plus one (0: empty)
		g   gamma
	}
}

func newNameCaches(n int) []nameCache {
	cs := make([]nameCache, n)
	for w := range cs {
		cs[w].cmp = names.NewComparer()
	}
	return cs
}

// gammaWith is gammaOf with the names compared through c.
func (m *Matcher) gammaWith(c *nameCache, i, j int32) gamma {
	a, b := m.nameID[i], m.nameID[j]
	if a > b {
		a, b = b, a
	}
	k := (uint64(a)<<32 | uint64(b)) + 1
	e := &c.names[mix64(k)&(uint64(len(c.names))-1)]
	if e.key != k {
		a, b := &m.ps[i], &m.ps[j]
		fa, fb := 0, 0
		if len(a.aliases) > 0 || len(b.aliases) > 0 {
			fa, fb = bestForms(a, b, func(x, y *names.Name) names.Comparison { return c.cmp.CompareQuick(x, y) })
		}
		e.key, e.g = k, nameGamma(c.cmp.CompareQuick(form(a, fa), form(b, fb)))
	}
	return e.g | otherGamma(&m.ps[i], &m.ps[j])
}

func (m *Matcher) gammaOf(i, j int) gamma {
	a, b := &m.ps[i], &m.ps[j]
	cmp := func(x, y *names.Name) names.Comparison { return names.CompareQuick(*x, *y) }
	fa, fb := bestForms(a, b, cmp)
	return nameGamma(cmp(form(a, fa), form(b, fb))) | otherGamma(a, b)
}

// Run blocks, compares, estimates the model (unless one was given) and
// scores every blocked pair. It returns the pairs at or above the keep
// floor. It stops early with ctx's error when ctx is done.
func (m *Matcher) Run(ctx context.Context) (*Result, error) {
	cfg := m.cfg
	progress := func(stage string, done, total int64) {
		if cfg.Progress != nil {
			cfg.Progress(stage, done, total)
		}
	}
	progress("block", 0, 1)
	res := &Result{}
	res.Stats.Records = len(m.ps)
	res.Stats.Lists = len(m.lists)
	// Block.
	partial := false
	for i := range m.ps {
		if partialName(m.ps[i].name) {
			partial = true
			break
		}
		for k := range m.ps[i].aliases {
			partial = partial || partialName(&m.ps[i].aliases[k])
		}
	}
	all := make([][]blockKey, len(m.ps))
	parallel(len(m.ps), cfg.Workers, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			all[i] = blockKeys(&m.ps[i], partial)
		}
	})
	keys, off, slip := activeKeys(all)
	all = nil
	bl := newBlocking(m.ps, keys, off, slip, cfg.MaxBlock, cfg.Window, max(0, cfg.PairBudget), cfg.Workers)
	res.Stats.Blocks = bl.blocks
	res.Stats.GiantBlocks = bl.giant
	res.Stats.BlockCap = bl.cap
	res.Stats.LargestBlock = bl.maxBlock
	res.Stats.AllPairs = bl.allPairs
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("match: %w", err)
	}
	// Estimate. Pairs are not kept: they are walked once to estimate the
	// model and once to score them.
	if !m.hasRun {
		if err := m.estimate(ctx, bl, res.Stats.AllPairs); err != nil {
			return nil, err
		}
		m.hasRun = true
	}
	// Score every blocked pair, keeping those at or above the keep floor.
	prior := m.model.PriorWeight()
	floor := m.reviewFloor()
	type scored struct {
		pairs          pairChunks
		c              pairCounts
		links, reviews int
		pw             [1 << 12]struct { // pattern weights, direct-mapped
			g       gamma
			ok      bool
			w, attr float64
		}
	}
	outs := make([]scored, cfg.Workers)
	caches := newNameCaches(cfg.Workers)
	err := m.walk(ctx, bl, "compare", func(w int, sp span) {
		o := &outs[w]
		bl.each(sp, nil, &o.c, func(i, j int32) {
			g := m.gammaWith(&caches[w], i, j)
			e := &o.pw[mix64(uint64(g))&(uint64(len(o.pw))-1)]
			if !e.ok || e.g != g {
				rest, attr := m.model.splitWeight(g)
				e.g, e.ok, e.w, e.attr = g, true, prior+rest, attr
			}
			base := e.w + m.tfBits(int(i), int(j), g)
			wt := base + boundAttributes(base, e.attr, floor)
			p := Probability(wt)
			switch cfg.band(p, false) {
			case BandLink:
				o.links++
			case BandReview:
				o.reviews++
			}
			if p >= cfg.KeepFloor {
				o.pairs.add(Pair{A: int(i), B: int(j), Weight: wt, Probability: p})
			}
		})
	})
	if err != nil {
		return nil, err
	}
	n := 0
	for w := range outs {
		n += outs[w].pairs.n
	}
	res.Pairs = make([]Pair, 0, n)
	for w := range outs {
		o := &outs[w]
		for _, c := range o.pairs.chunks {
			res.Pairs = append(res.Pairs, c...)
		}
		o.pairs = pairChunks{}
		res.Stats.PairsCompared += o.c.given
		res.Stats.Links += o.links
		res.Stats.Reviews += o.reviews
	}
	slices.SortFunc(res.Pairs, func(a, b Pair) int {
		if a.A != b.A {
			return a.A - b.A
		}
		return a.B - b.B
	})
	if !cfg.Independent {
		m.oneToOne(res.Pairs)
		res.Stats.Links, res.Stats.Reviews = 0, 0
		for _, p := range res.Pairs {
			switch {
			case p.Probability >= cfg.LinkThreshold:
				res.Stats.Links++
			case p.Probability >= cfg.ReviewThreshold:
				res.Stats.Reviews++
			}
		}
	}
	res.Stats.PairsKept = len(res.Pairs)
	res.Model = m.model
	return res, nil
}

// pairChunks collects pairs in chunks, so that a worker's pairs are never
// copied as they grow.
type pairChunks struct {
	chunks [][]Pair
	n      int
}

func (c *pairChunks) add(p Pair) {
	const size = 1 << 14
	if k := len(c.chunks); k == 0 || len(c.chunks[k-1]) == size {
		c.chunks = append(c.chunks, make([]Pair, 0, size))
	}
	k := len(c.chunks) - 1
	c.chunks[k] = append(c.chunks[k], p)
	c.n++
}

// emSample is about how many blocked pairs EM reads: above it, a sample.
const emSample = 500_000

// estimate estimates the model: u of the fields other than the names
// from random pairs, then EM on the comparison patterns of the blocked
// pairs. Above emSample blocked pairs, EM reads a sample of them: the
// pairs whose first record falls in a fixed pseudo-random 1 in rate of the
// records, so every pair has the same chance whatever its pattern, and
// the counts stand for all the blocked pairs.
func (m *Matcher) estimate(ctx context.Context, bl *blocking, allPairs int64) error {
	cfg := m.cfg
	rate := int64(1)
	if bl.estimate > emSample {
		rate = (bl.estimate + emSample - 1) / emSample
	}
	var sample func(int32) bool
	if rate > 1 {
		sample = func(i int32) bool { return mix64(uint64(i))%uint64(rate) == 0 }
	}
	type acc struct {
		pats map[gamma]int64
		tf   [2]int64 // sums of log2 of the pair frequency, fixed point
		tfN  [2]int64
		c    pairCounts
	}
	accs := make([]acc, cfg.Workers)
	caches := newNameCaches(cfg.Workers)
	for w := range accs {
		accs[w].pats = map[gamma]int64{}
	}
	err := m.walk(ctx, bl, "estimate", func(w int, sp span) {
		a := &accs[w]
		bl.each(sp, sample, &a.c, func(i, j int32) {
			g := m.gammaWith(&caches[w], i, j)
			a.pats[g]++
			for x, tf := range [2][]float64{m.tfSur, m.tfGiv} {
				f := FieldSurname
				if x == 1 {
					f = FieldGiven
				}
				if agreeTF(f, g.level(f)) {
					if t := max(tf[i], tf[j]); t > 0 {
						a.tf[x] += int64(math.Round(math.Log2(t) * tfScale))
						a.tfN[x]++
					}
				}
			}
		})
	})
	if err != nil {
		return err
	}
	counts := map[gamma]int64{}
	var tf, tfN [2]int64
	var sampled int64
	for _, a := range accs {
		for g, n := range a.pats {
			counts[g] += n
		}
		for x := range 2 {
			tf[x] += a.tf[x]
			tfN[x] += a.tfN[x]
		}
		sampled += a.c.given
	}
	pats := make([]pattern, 0, len(counts))
	for g, n := range counts {
		pats = append(pats, pattern{g, float64(n * rate)})
	}
	sortPatterns(pats)
	u, nr := estimateU(m.ps, cfg.RandomPairs, m.gammaOf)
	m.model = estimate(pats, u, allPairs)
	m.model.RandomPairs = nr
	if rate > 1 {
		m.model.EMSampled, m.model.EMRate = sampled, int(rate)
	}
	for x := range 2 {
		if tfN[x] > 0 {
			m.model.TFRef[x] = math.Exp2(float64(tf[x]) / tfScale / float64(tfN[x]))
		}
	}
	return ctx.Err()
}

// tfScale is the fixed point of the term-frequency sums, so that their
// total does not depend on the order the workers add them in.
const tfScale = 1 << 24

// mix64 is a fixed 64-bit mixer (splitmix64's finaliser).
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// walk calls fn(worker, block) for every block on the configured workers,
// reporting progress in blocks from the calling goroutine, and stops early
// when ctx is done.
func (m *Matcher) walk(ctx context.Context, bl *blocking, stage string, fn func(w int, sp span)) error {
	const step = 64
	return m.chunksW(ctx, int64(len(bl.spans)), step, stage, func(w int, lo, hi int64) {
		for _, sp := range bl.spans[lo:hi] {
			fn(w, sp)
		}
	})
}

// chunksW runs fn over [0,total) in steps on the configured workers,
// telling fn which worker runs it, reporting progress from the calling
// goroutine, and stops early when ctx is done.
func (m *Matcher) chunksW(ctx context.Context, total, step int64, stage string, fn func(w int, lo, hi int64)) error {
	cfg := m.cfg
	var next, done atomic.Int64
	var wg sync.WaitGroup
	ctx2, cancel := context.WithCancel(ctx)
	defer cancel()
	for w := 0; w < cfg.Workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx2.Err() == nil {
				lo := next.Add(step) - step
				if lo >= total {
					return
				}
				hi := min(total, lo+step)
				fn(w, lo, hi)
				done.Add(hi - lo)
			}
		}()
	}
	finished := make(chan struct{})
	go func() { wg.Wait(); close(finished) }()
	if cfg.Progress != nil {
		tick := newTicker()
	loop:
		for {
			select {
			case <-finished:
				break loop
			case <-tick.C:
				cfg.Progress(stage, done.Load(), total)
			}
		}
		tick.Stop()
		cfg.Progress(stage, total, total)
	} else {
		<-finished
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("match: %w", err)
	}
	return nil
}

// agreeTF reports whether level l of field f is an agreement that the
// term-frequency adjustment applies to.
func agreeTF(f, l int) bool {
	switch f {
	case FieldSurname:
		return l >= 1 && l <= 3
	case FieldGiven:
		return l == 1 || l == 2
	}
	return false
}

func (m *Matcher) tfBits(i, j int, g gamma) float64 {
	var b float64
	if agreeTF(FieldSurname, g.level(FieldSurname)) {
		b += tfAdjust(m.model.TFRef[0], max(m.tfSur[i], m.tfSur[j]))
	}
	if agreeTF(FieldGiven, g.level(FieldGiven)) {
		b += tfAdjust(m.model.TFRef[1], max(m.tfGiv[i], m.tfGiv[j]))
	}
	return b
}

// Score returns the match weight and probability of records i and j under
// the current model.
func (m *Matcher) Score(i, j int) (weight, probability float64) {
	g := m.gammaOf(i, j)
	rest, attr := m.model.splitWeight(g)
	base := m.model.PriorWeight() + rest + m.tfBits(i, j, g)
	w := base + boundAttributes(base, attr, m.reviewFloor())
	return w, Probability(w)
}

// reviewFloor is the review threshold as log2 odds.
func (m *Matcher) reviewFloor() float64 {
	r := m.cfg.ReviewThreshold
	return math.Log2(r / (1 - r))
}

// Band returns the band of a pair: link, review or nonlink, and duplicate
// for a within-list pair that would be a link.
func (c Config) Band(p float64, sameList bool) string { return c.withDefaults().band(p, sameList) }

// band is Band on a configuration whose defaults are filled in (Run's,
// for every pair it scores).
func (c Config) band(p float64, sameList bool) string {
	switch {
	case p >= c.LinkThreshold && sameList:
		return BandDuplicate
	case p >= c.LinkThreshold:
		return BandLink
	case p >= c.ReviewThreshold:
		return BandReview
	}
	return BandNonLink
}

// Fingerprint returns the fingerprint of record i (see [Fingerprint])
// from its already parsed name.
func (m *Matcher) Fingerprint(i int) string {
	r := m.recs[i]
	return fingerprintOf(r.Source, *m.ps[i].name, r.BirthYear)
}

// Config returns the configuration with its defaults filled in.
func (m *Matcher) Config() Config { return m.cfg }
