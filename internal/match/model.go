package match

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
)

// Model is a Fellegi–Sunter model: for each field and level, the
// probability m of seeing that level when the two records are the same
// person and u when they are not, and the prior probability Lambda that
// a blocked pair is a match.
//
// u of the fields that blocking does not select on (birth year, gender,
// group, case, arrest date) is estimated from random pairs of records and
// kept fixed; u of the name fields is estimated, with m and Lambda, by
// expectation–maximisation on the blocked pairs (blocking selects pairs by
// their names, so random pairs say little about name agreement among
// them). Dirichlet priors and clamps keep EM from running away on small or
// odd data: every probability stays in [1e-5, 1], agreement at a field's
// best level never counts against a match and disagreement never for it.
type Model struct {
	Lambda      float64              `json:"lambda"`         // prior for any pair of records
	BlockLambda float64              `json:"blocked_lambda"` // share of matches among the blocked pairs (EM)
	BlockU      [NumFields][]float64 `json:"blocked_u"`      // the name fields' u among the blocked pairs (EM)
	M           [NumFields][]float64 `json:"m"`
	U           [NumFields][]float64 `json:"u"`
	USource     [NumFields]string    `json:"u_source"` // "random pairs" or "EM"
	Iterations  int                  `json:"em_iterations"`
	Converged   bool                 `json:"em_converged"`
	RandomPairs int                  `json:"random_pairs"`
	EMPairs     int64                `json:"em_pairs"`             // blocked pairs EM stands for
	EMSampled   int64                `json:"em_sampled,omitempty"` // pairs EM read: 1 in EMRate of the blocked pairs
	EMRate      int                  `json:"em_rate,omitempty"`
	Patterns    int                  `json:"em_patterns"`
	TFRef       [2]float64           `json:"tf_reference"` // surname, given: the frequency that gets no adjustment
	// Lists (source@edition) and Overlap[a][b]: the estimated share of
	// list a's persons that list b names too (the one-to-one step).
	Lists   []string    `json:"lists,omitempty"`
	Overlap [][]float64 `json:"overlap,omitempty"`
}

// Weight returns the weight (log2 Bayes factor) of level l of field f.
// Clamps keep it sane whatever EM estimated: agreement at the best level
// never counts against a match, disagreement never for it, and a level
// between them never weighs less than disagreement.
func (m *Model) Weight(f, l int) float64 {
	if l <= 0 || l >= len(m.M[f]) {
		return 0
	}
	last := len(m.M[f]) - 1
	raw := func(l int) float64 {
		w := math.Log2(m.M[f][l] / m.U[f][l])
		return math.Max(-maxFieldBits, math.Min(maxFieldBits, w))
	}
	w := raw(l)
	switch {
	case l == 1 && w < 0:
		w = 0
	case l == last && w > 0:
		w = 0
	case l > 1 && l < last:
		w = math.Max(w, math.Min(0, raw(last)))
	}
	return w
}

const (
	maxFieldBits = 14.0 // no single field may move the score by more than this
	maxTFBits    = 4.0  // cap of the term-frequency penalty for a common name
	maxTFBonus   = 2.0  // cap of the bonus for a rare one
	probFloor    = 1e-5
)

// freeU reports whether u of field f is estimated by EM (the name fields).
func freeU(f int) bool { return f <= FieldPatronymic }

// Priors: m and u that EM starts from and is pulled toward.
var (
	priorM = [NumFields][]float64{
		FieldSurname:    {0, .52, .25, .07, .07, .04, .05},
		FieldGiven:      {0, .57, .25, .04, .06, .03, .05},
		FieldPatronymic: {0, .57, .25, .05, .06, .07},
		FieldBirthYear:  {0, .85, .08, .04, .03},
		FieldGender:     {0, .97, .03},
		// Real lists file one person under different groups, describe one
		// case in three languages and date different arrests of one man:
		// disagreement on these is common among the same person's records.
		FieldGroup:  {0, .7, .3},
		FieldCase:   {0, .5, .25, .25},
		FieldArrest: {0, .5, .15, .1, .25},
	}
	priorU = [NumFields][]float64{
		FieldSurname:    {0, .01, .01, .005, .01, .015, .95},
		FieldGiven:      {0, .03, .02, .04, .03, .03, .85},
		FieldPatronymic: {0, .03, .02, .04, .03, .88},
		FieldBirthYear:  {0, .03, .06, .1, .81},
		FieldGender:     {0, .55, .45},
		FieldGroup:      {0, .2, .8},
		FieldCase:       {0, .1, .05, .85},
		FieldArrest:     {0, .01, .03, .2, .76},
	}
)

const (
	priorStrengthM = 20.0  // pseudo-pairs behind the m priors
	priorStrengthU = 200.0 // pseudo-pairs behind the random-pair u priors
	emMaxIter      = 200
	emTolerance    = 1e-7
)

// maxMDifferent caps m of the "different" level of the name fields: the
// same person's surname, given name or father's name is seldom spelled
// beyond recognition, and without the cap EM lets namesakes who share a
// case and a birth year into the match class.
var maxMDifferent = [NumFields]float64{FieldSurname: 0.05, FieldGiven: 0.05, FieldPatronymic: 0.1}

func capDifferent(f int, p []float64) {
	c := maxMDifferent[f]
	last := len(p) - 1
	if c == 0 || p[last] <= c {
		return
	}
	rest := 1 - p[last]
	for l := 1; l < last; l++ {
		p[l] *= (1 - c) / rest
	}
	p[last] = c
}

// normalise makes p[1:] sum to one with a floor, leaving p[0] = 0.
func normalise(p []float64) {
	var s float64
	for l := 1; l < len(p); l++ {
		p[l] = math.Max(p[l], probFloor)
		s += p[l]
	}
	for l := 1; l < len(p); l++ {
		p[l] /= s
	}
	p[0] = 0
}

// estimateU estimates u of every field from up to k random pairs of
// records (drawn with a fixed seed, so the result is deterministic).
func estimateU(ps []prepared, k int, cmp func(i, j int) gamma) (u [NumFields][]float64, n int) {
	var counts [NumFields][]float64
	for f := range counts {
		counts[f] = make([]float64, NumLevels(f))
	}
	N := len(ps)
	if N >= 2 {
		all := int64(N) * int64(N-1) / 2
		rng := rand.New(rand.NewPCG(0x726f73746572, 0x6d61746368))
		if all <= int64(k) {
			for i := 0; i < N; i++ {
				for j := i + 1; j < N; j++ {
					g := cmp(i, j)
					for f := range counts {
						counts[f][g.level(f)]++
					}
					n++
				}
			}
		} else {
			for ; n < k; n++ {
				i := rng.IntN(N)
				j := rng.IntN(N - 1)
				if j >= i {
					j++
				}
				g := cmp(i, j)
				for f := range counts {
					counts[f][g.level(f)]++
				}
			}
		}
	}
	for f := range u {
		u[f] = make([]float64, NumLevels(f))
		var tot float64
		for l := 1; l < len(u[f]); l++ {
			tot += counts[f][l]
		}
		for l := 1; l < len(u[f]); l++ {
			u[f][l] = (counts[f][l] + priorStrengthU*priorU[f][l]) / (tot + priorStrengthU)
		}
		normalise(u[f])
	}
	return u, n
}

type pattern struct {
	g gamma
	n float64
}

// patterns counts the distinct comparison vectors: EM runs on these, so
// its cost does not grow with the number of pairs.
func patterns(gs []gamma) []pattern {
	c := map[gamma]float64{}
	for _, g := range gs {
		c[g]++
	}
	out := make([]pattern, 0, len(c))
	for g, n := range c {
		out = append(out, pattern{g, n})
	}
	sortPatterns(out)
	return out
}

// sortPatterns orders patterns by comparison vector, so that EM adds them
// up in the same order on every run.
func sortPatterns(ps []pattern) {
	slices.SortFunc(ps, func(a, b pattern) int { return cmp.Compare(a.g, b.g) })
}

// estimate runs EM on the blocked pairs' comparison patterns, starting
// from the priors, with u of the non-name fields fixed to uRandom.
func estimate(pats []pattern, uRandom [NumFields][]float64, allPairs int64) Model {
	var m Model
	m.Lambda = 0.1
	var total float64
	for _, p := range pats {
		total += p.n
	}
	m.EMPairs = int64(total)
	m.Patterns = len(pats)
	// Start u of the name fields from their distribution over all blocked
	// pairs (mostly non-matches).
	var empU [NumFields][]float64
	for f := 0; f < NumFields; f++ {
		empU[f] = make([]float64, NumLevels(f))
		for _, p := range pats {
			empU[f][p.g.level(f)] += p.n
		}
		normalise(empU[f])
	}
	for f := 0; f < NumFields; f++ {
		m.M[f] = slices.Clone(priorM[f])
		normalise(m.M[f])
		if freeU(f) {
			m.U[f] = slices.Clone(empU[f])
			m.USource[f] = "EM on blocked pairs"
		} else {
			m.U[f] = slices.Clone(uRandom[f])
			m.USource[f] = "random pairs"
		}
	}
	if len(pats) == 0 {
		return m
	}
	// EM from several starting shares of matches, keeping the fit with
	// the highest posterior: on lists of names alone most blocked pairs
	// are matches, and EM started from a low share can settle on a mode
	// where only exact spellings are.
	var best Model
	bestObj := math.Inf(-1)
	for _, start := range emStarts {
		x := m
		x.Lambda = start
		x = runEM(x, pats, total, empU)
		if obj := emObjective(&x, pats, empU); obj > bestObj+1e-9 {
			best, bestObj = x, obj
		}
	}
	m = best
	// Scoring uses u from random pairs for every field, with the prior
	// for any pair of records: the expected number of matches among the
	// blocked pairs spread over all pairs. (Blocked pairs agree on some
	// name key by construction, so the name fields' u among them — which
	// EM needs — would understate the evidence of a name agreement.)
	m.BlockLambda = m.Lambda
	for f := 0; f < NumFields; f++ {
		if freeU(f) {
			m.BlockU[f] = m.U[f]
			m.U[f] = slices.Clone(uRandom[f])
			m.USource[f] = "random pairs (EM on blocked pairs for m)"
		}
	}
	if allPairs > 0 {
		m.Lambda = math.Min(0.5, math.Max(1e-9, m.BlockLambda*total/float64(allPairs)))
	}
	return m
}

// emStarts are the shares of matches among the blocked pairs EM starts
// from.
var emStarts = [...]float64{0.1, 0.5}

// runEM runs EM from m until it converges or emMaxIter.
func runEM(m Model, pats []pattern, total float64, empU [NumFields][]float64) Model {
	post := make([]float64, len(pats))
	for it := 1; it <= emMaxIter; it++ {
		m.Iterations = it
		// E step.
		lw := math.Log2(m.Lambda / (1 - m.Lambda))
		var sumW float64
		for k, p := range pats {
			w := lw + m.patternWeight(p.g)
			post[k] = 1 / (1 + math.Exp2(-w))
			sumW += post[k] * p.n
		}
		// M step.
		next := m
		next.Lambda = math.Min(0.9, math.Max(1e-4, sumW/total))
		for f := 0; f < NumFields; f++ {
			cm := make([]float64, NumLevels(f))
			cu := make([]float64, NumLevels(f))
			var tm, tu float64
			for k, p := range pats {
				l := p.g.level(f)
				if l == 0 {
					continue
				}
				cm[l] += post[k] * p.n
				cu[l] += (1 - post[k]) * p.n
				tm += post[k] * p.n
				tu += (1 - post[k]) * p.n
			}
			nm := make([]float64, len(cm))
			for l := 1; l < len(cm); l++ {
				nm[l] = (cm[l] + priorStrengthM*priorM[f][l]) / (tm + priorStrengthM)
			}
			normalise(nm)
			capDifferent(f, nm)
			next.M[f] = nm
			if freeU(f) {
				nu := make([]float64, len(cu))
				for l := 1; l < len(cu); l++ {
					nu[l] = (cu[l] + priorStrengthM*empU[f][l]) / (tu + priorStrengthM)
				}
				normalise(nu)
				next.U[f] = nu
			}
		}
		delta := math.Abs(next.Lambda - m.Lambda)
		for f := 0; f < NumFields; f++ {
			for l := range next.M[f] {
				delta = math.Max(delta, math.Abs(next.M[f][l]-m.M[f][l]))
				delta = math.Max(delta, math.Abs(next.U[f][l]-m.U[f][l]))
			}
		}
		m = next
		if delta < emTolerance {
			m.Converged = true
			break
		}
	}
	return m
}

// emObjective is the log posterior of a fit: the mixture log-likelihood
// of the patterns plus the log densities of the Dirichlet priors EM is
// pulled toward.
func emObjective(m *Model, pats []pattern, empU [NumFields][]float64) float64 {
	var ll float64
	for _, p := range pats {
		lm, lu := math.Log(m.Lambda), math.Log(1-m.Lambda)
		for f := 0; f < NumFields; f++ {
			if l := p.g.level(f); l > 0 {
				lm += math.Log(m.M[f][l])
				lu += math.Log(m.U[f][l])
			}
		}
		hi := math.Max(lm, lu)
		ll += p.n * (hi + math.Log(math.Exp(lm-hi)+math.Exp(lu-hi)))
	}
	for f := 0; f < NumFields; f++ {
		for l := 1; l < len(m.M[f]); l++ {
			ll += priorStrengthM * priorM[f][l] * math.Log(m.M[f][l])
			if freeU(f) {
				ll += priorStrengthM * empU[f][l] * math.Log(m.U[f][l])
			}
		}
	}
	return ll
}

// patternWeight is the summed field weight of a comparison vector.
func (m *Model) patternWeight(g gamma) float64 {
	var ws [NumFields]float64
	for f := 0; f < NumFields; f++ {
		ws[f] = m.Weight(f, g.level(f))
	}
	return combine(&ws)
}

// contextShare is how much of the agreement weight of the second and third
// context fields (group, case, arrest date) counts: they are far from
// independent (one case means one group and often one arrest day), and
// counting each in full would make namesakes of one case look like one
// person.
const contextShare = 0.25

// combine sums field weights, counting agreement on the context fields
// (group, case, arrest date) as the strongest of them plus a share of the
// others. It rewrites ws so that the parts still add up to the total.
func combine(ws *[NumFields]float64) float64 {
	best := -1
	for _, f := range [...]int{FieldGroup, FieldCase, FieldArrest} {
		if ws[f] > 0 && (best < 0 || ws[f] > ws[best]) {
			best = f
		}
	}
	var w float64
	for f := 0; f < NumFields; f++ {
		if (f == FieldGroup || f == FieldCase || f == FieldArrest) && f != best && ws[f] > 0 {
			ws[f] *= contextShare
		}
		w += ws[f]
	}
	return w
}

// attrField reports the context fields whose disagreement is bounded
// (see boundAttributes): group, case and arrest date.
func attrField(f int) bool { return f == FieldGroup || f == FieldCase || f == FieldArrest }

// splitWeight is patternWeight in two parts: the context fields (group,
// case, arrest date) and the rest.
func (m *Model) splitWeight(g gamma) (rest, attr float64) {
	var ws [NumFields]float64
	for f := 0; f < NumFields; f++ {
		ws[f] = m.Weight(f, g.level(f))
	}
	combine(&ws)
	for f := 0; f < NumFields; f++ {
		if attrField(f) {
			attr += ws[f]
		} else {
			rest += ws[f]
		}
	}
	return rest, attr
}

// attrMargin is how far inside the review band a pair kept there by
// boundAttributes lands, in bits.
const attrMargin = 0.25

// boundAttributes bounds what the context fields can take away: when the
// names and the other fields alone (base, log2 odds) put a pair at or
// above the review threshold (floor, log2 odds), disagreement on group,
// case and arrest date can lower it, but not below the threshold. Real
// lists disagree on these for one person (a re-arrest, a case described
// in another language, another category), so they are evidence, never a
// veto. It returns the context fields' weight as counted.
func boundAttributes(base, attr, floor float64) float64 {
	if attr >= 0 || base < floor {
		return attr
	}
	return max(attr, min(0, floor+attrMargin-base))
}

// PriorWeight is the log2 prior odds of a match.
func (m *Model) PriorWeight() float64 { return math.Log2(m.Lambda / (1 - m.Lambda)) }

// tfAdjust is the term-frequency adjustment, in bits, for agreement on a
// name part whose coarse key has frequency tf among the records: a name
// rarer than the reference frequency adds weight, a commoner one removes
// it (Məmmədov, Əliyev and Hüseynov agree by chance far more often).
func tfAdjust(ref, tf float64) float64 {
	if ref <= 0 || tf <= 0 {
		return 0
	}
	return math.Max(-maxTFBits, math.Min(maxTFBonus, math.Log2(ref/tf)))
}

// Probability turns a match weight (log2 odds) into a probability.
func Probability(w float64) float64 { return 1 / (1 + math.Exp2(-w)) }
