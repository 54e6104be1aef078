package match

import (
	"cmp"
	"math"
	"slices"
)

// One person, one line. A list names a person once, so the pairs of a
// record with the records of another list are not independent: at most one
// of them is the same person, and a record whose name meets exactly one
// record of the other list (and that one meets only it) is likelier the
// same person than a pair scored alone says — the more so as the lists
// share more persons. Two records of one list that both meet one record of
// another about as well are a doubt for an analyst, not a link.
//
// After the pairs are scored, each cross-list pair's probability is
// recomputed as a one-to-one posterior (Jaro 1989's one-to-one linkage,
// as a posterior rather than an assignment). For record a of list A and
// the records b of list B, with R(a,b) = 2^(weight − prior) the likelihood
// ratio of the pair:
//
//	P_A(a,b) = (o_AB/n_B)·R(a,b) / ((1 − o_AB) + (o_AB/n_B)·Σ_b' R(a,b'))
//
// where n_B is the size of list B and o_AB the share of A's records whose
// person list B also names — estimated from the pairs themselves, by
// iterating to a fixed point; the pair's posterior is the smaller of
// P_A(a,b) and P_B(b,a). Small groups of competing pairs are solved
// exactly instead (see exactScratch.marginals), so a rival that has a
// better partner of its own does not count against a pair.
//
// The posterior then only raises a pair's probability (uniqueness is
// evidence), except that a pair with a rival at least half as likely —
// its posterior below 2/3 of what it would be alone — is held below the
// link threshold, in review: the scores of the rest stay those of the
// pairwise model, whose prior counts every blocked namesake (at scale,
// lowering every pair by its rivals costs more true links than it saves).
// Pairs of one list keep their score.

// Bounds of the overlap of two lists: never certain that a list names
// everyone of another, never sure it names none.
const (
	minOverlap = 0.02
	maxOverlap = 0.95
	o2oIters   = 12
	// maxExactPairs is the largest group of competing pairs whose
	// matchings are enumerated (2^10 subsets at most, once per run).
	maxExactPairs = 10
	// A pair whose one-to-one probability is below this share of what it
	// would be without rivals is ambiguous: a record of one list has a
	// rival at least half as likely. An ambiguous pair is not linked.
	ambiguousShare = 2.0 / 3
	ambiguousGap   = 0.01 // how far below the link threshold it lands
)

// o2oSum is the summed likelihood ratio of one record's pairs with the
// records of one other list.
type o2oSum struct {
	rec, list int32
	s         float64
}

// o2oState is what the one-to-one step learned in a run, kept to explain
// pairs: each (record, list)'s summed ratio — in a dense table when the
// records times the lists are few enough, else sorted for binary search.
type o2oState struct {
	nl    int
	dense []float64 // [rec*nl+list]
	sums  []o2oSum  // sorted by (rec, list)
}

// maxDenseO2O is the most (record, list) cells kept in a dense table.
const maxDenseO2O = 8 << 20

func newO2OState(nrec, nl int) *o2oState {
	st := &o2oState{nl: nl}
	if nrec*nl <= maxDenseO2O {
		st.dense = make([]float64, nrec*nl)
	}
	return st
}

func (st *o2oState) sum(rec, list int32) float64 {
	if st.dense != nil {
		return st.dense[int(rec)*st.nl+int(list)]
	}
	i, ok := slices.BinarySearchFunc(st.sums, o2oSum{rec: rec, list: list}, cmpO2O)
	if !ok {
		return 0
	}
	return st.sums[i].s
}

// fill sums the entries into the state.
func (st *o2oState) fill(entries []o2oSum) {
	if st.dense != nil {
		for _, e := range entries {
			st.dense[int(e.rec)*st.nl+int(e.list)] += e.s
		}
		return
	}
	slices.SortFunc(entries, cmpO2O)
	sums := entries[:0]
	for _, e := range entries {
		if n := len(sums); n > 0 && sums[n-1].rec == e.rec && sums[n-1].list == e.list {
			sums[n-1].s += e.s
			continue
		}
		sums = append(sums, e)
	}
	st.sums = slices.Clip(sums)
}

func cmpO2O(a, b o2oSum) int { return cmp.Or(cmp.Compare(a.rec, b.rec), cmp.Compare(a.list, b.list)) }

// oneToOne rescales the cross-list pairs' probabilities (see above) and
// sets the model's list overlaps. It keeps what it summed for Explain.
func (m *Matcher) oneToOne(pairs []Pair) {
	nl := len(m.lists)
	if nl < 2 || len(pairs) == 0 {
		return
	}
	size := make([]float64, nl)
	for l, n := range m.listSize {
		size[l] = float64(n)
	}
	prior := m.model.PriorWeight()
	var cross []int32 // indexes of the cross-list pairs
	var ratio []float64
	m.o2o = newO2OState(len(m.ps), nl)
	var entries []o2oSum // without the dense table
	for k, p := range pairs {
		la, lb := m.ps[p.A].list, m.ps[p.B].list
		if la == lb {
			continue
		}
		r := math.Exp2(p.Weight - prior)
		if d := m.o2o.dense; d != nil {
			d[p.A*nl+int(lb)] += r
			d[p.B*nl+int(la)] += r
		} else {
			entries = append(entries, o2oSum{int32(p.A), lb, r}, o2oSum{int32(p.B), la, r})
		}
		cross = append(cross, int32(k))
		ratio = append(ratio, r)
	}
	if len(cross) == 0 {
		m.o2o = nil
		return
	}
	m.o2o.fill(entries)
	sumA := make([]float64, len(cross)) // Σ R of a with list B, and of b with list A
	sumB := make([]float64, len(cross))
	lp := make([]int32, len(cross)) // the pair's two lists, la*nl+lb
	for x, k := range cross {
		p := pairs[k]
		la, lb := m.ps[p.A].list, m.ps[p.B].list
		sumA[x] = m.o2o.sum(int32(p.A), lb)
		sumB[x] = m.o2o.sum(int32(p.B), la)
		lp[x] = la*int32(nl) + lb
	}
	// Competing pairs: the pairs of one pair of lists that share a record,
	// grouped. A small group is solved exactly; a large one (namesakes at
	// scale) by the one-sided formula.
	order, starts := m.o2oGroups(pairs, cross)
	// Iterate: overlaps from the expected matches, probabilities from the
	// overlaps.
	prob := make([]float64, len(cross))
	for x, k := range cross {
		prob[x] = pairs[k].Probability
	}
	overlap := make([]float64, nl*nl)
	expected := make([]float64, nl*nl)
	var ex exactScratch
	for it := range o2oIters {
		clear(expected)
		for x, l := range lp {
			expected[l] += prob[x] // symmetric: folded below
		}
		for a := range nl {
			for b := a + 1; b < nl; b++ {
				e := expected[a*nl+b] + expected[b*nl+a]
				expected[a*nl+b], expected[b*nl+a] = e, e
			}
		}
		change := 0.0
		for a := range nl {
			for b := range nl {
				o := min(maxOverlap, max(minOverlap, expected[a*nl+b]/max(1, size[a])))
				change = max(change, math.Abs(o-overlap[a*nl+b]))
				overlap[a*nl+b] = o
			}
		}
		last := change < 1e-3 || it == o2oIters-1
		for gi := 0; gi+1 < len(starts); gi++ {
			g := order[starts[gi]:starts[gi+1]]
			la, lb := lp[g[0]]/int32(nl), lp[g[0]]%int32(nl)
			oab, oba := overlap[int(la)*nl+int(lb)], overlap[int(lb)*nl+int(la)]
			if !last || len(g) == 1 || len(g) > maxExactPairs {
				// While the overlaps settle, and for lone pairs and large
				// groups: the one-sided formula.
				for _, x := range g {
					prob[x] = o2oProb(ratio[x], sumA[x], oab, size[lb], sumB[x], oba, size[la])
				}
				continue
			}
			// Once they have settled, small groups exactly, with one prior
			// per link for the group: the smaller of the two lists' points
			// of view, as o2oProb takes the smaller.
			lambda := min(oab/((1-oab)*size[lb]), oba/((1-oba)*size[la]))
			ex.marginals(pairs, cross, g, ratio, lambda, prob)
		}
		if last {
			break
		}
	}
	link, review := m.cfg.LinkThreshold, m.cfg.ReviewThreshold
	m.final = m.final[:0]
	for x, k := range cross {
		p := &pairs[k]
		la, lb := lp[x]/int32(nl), lp[x]%int32(nl)
		r := ratio[x]
		alone := o2oProb(r, r, overlap[int(la)*nl+int(lb)], size[lb], r, overlap[int(lb)*nl+int(la)], size[la])
		q := max(prob[x], p.Probability)
		if prob[x] < alone*ambiguousShare && q >= link {
			// A rival record of one list is at least half as likely (after
			// its own better partners are counted): ambiguous, for review.
			q = max(review, min(q, prob[x], link-ambiguousGap))
		}
		if q != p.Probability {
			m.final = append(m.final, finalProb{int32(p.A), int32(p.B), q})
		}
		p.Probability = q
		p.Weight = logOdds(q)
	}
	m.final = slices.Clip(m.final)
	m.model.Lists = slices.Clone(m.lists)
	m.model.Overlap = make([][]float64, nl)
	for a := range nl {
		m.model.Overlap[a] = slices.Clone(overlap[a*nl : (a+1)*nl])
	}
}

// o2oProb is the smaller of the two one-to-one posteriors of a pair with
// likelihood ratio r: from a's side (its ratios with list B sum to sa;
// A's records are in B with probability oab; B has nb records) and from
// b's side.
func o2oProb(r, sa, oab, nb, sb, oba, na float64) float64 {
	pa := oab / nb * r / ((1 - oab) + oab/nb*sa)
	pb := oba / na * r / ((1 - oba) + oba/na*sb)
	return min(pa, pb, 1)
}

// logOdds is the inverse of Probability, bounded so that certainty stays
// finite.
func logOdds(p float64) float64 {
	p = min(max(p, 1e-12), 1-1e-12)
	return math.Log2(p / (1 - p))
}

// finalProb is a pair's probability after the one-to-one step, kept for
// Explain when the step changed it (pairs sorted by A, B).
type finalProb struct {
	a, b int32
	p    float64
}

// o2oGroups groups the cross pairs (indexes into cross) that compete: a
// record's pairs with one other list compete with each other, and so on
// transitively. Groups of one pair are the common case. It returns the
// pairs in group order and where each group starts (group g is
// order[starts[g]:starts[g+1]]). Without the dense sums (too many
// records × lists) every pair is its own group.
func (m *Matcher) o2oGroups(pairs []Pair, cross []int32) (order, starts []int32) {
	st := m.o2o
	order = make([]int32, len(cross))
	if st.dense == nil {
		starts = make([]int32, len(cross)+1)
		for x := range cross {
			order[x], starts[x+1] = int32(x), int32(x+1)
		}
		return order, starts
	}
	nl := st.nl
	parent := make([]int32, len(m.ps)*nl)
	for i := range parent {
		parent[i] = int32(i)
	}
	find := func(x int32) int32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	node := func(rec int, other int32) int32 { return int32(rec*nl) + other }
	for _, k := range cross {
		p := pairs[k]
		a, b := find(node(p.A, m.ps[p.B].list)), find(node(p.B, m.ps[p.A].list))
		if a != b {
			parent[max(a, b)] = min(a, b)
		}
	}
	// Group by root with a counting sort, in the order the groups' first
	// pairs come.
	root := make([]int32, len(cross))
	count := make([]int32, len(parent))
	for x, k := range cross {
		root[x] = find(node(pairs[k].A, m.ps[pairs[k].B].list))
		count[root[x]]++
	}
	cursor := parent // reused: each root's next place; -1 before its first pair
	for i := range cursor {
		cursor[i] = -1
	}
	starts = []int32{0}
	pos := int32(0)
	for _, r := range root {
		if cursor[r] < 0 {
			cursor[r] = pos
			pos += count[r]
			starts = append(starts, pos)
		}
	}
	for x, r := range root {
		order[cursor[r]] = int32(x)
		cursor[r]++
	}
	return order, starts
}

// exactScratch holds the buffers of exact marginals.
type exactScratch struct {
	recs []int32
	ea   []uint8 // each pair's two records, as local indexes
	eb   []uint8
	w    []float64
	acc  []float64
}

// marginals sets prob[x] for the pairs x of group g to the exact
// probability that the pair is in a one-to-one matching of the group,
// when a matching M has probability ∝ Π_{e∈M} λ·R_e (a record unmatched
// costs nothing).
func (ex *exactScratch) marginals(pairs []Pair, cross, g []int32, ratio []float64, lambda float64, prob []float64) {
	ex.recs = ex.recs[:0]
	local := func(r int32) uint8 {
		for i, x := range ex.recs {
			if x == r {
				return uint8(i)
			}
		}
		ex.recs = append(ex.recs, r)
		return uint8(len(ex.recs) - 1)
	}
	n := len(g)
	ex.ea, ex.eb = ex.ea[:0], ex.eb[:0]
	ex.w = ex.w[:0]
	for _, x := range g {
		k := cross[x]
		ex.ea = append(ex.ea, local(int32(pairs[k].A)))
		ex.eb = append(ex.eb, local(int32(pairs[k].B)))
		ex.w = append(ex.w, lambda*ratio[x])
	}
	ex.acc = append(ex.acc[:0], make([]float64, n)...)
	var z float64
	var walk func(i int, used uint64, prod float64, chosen uint32)
	walk = func(i int, used uint64, prod float64, chosen uint32) {
		if i == n {
			z += prod
			for e := range n {
				if chosen&(1<<e) != 0 {
					ex.acc[e] += prod
				}
			}
			return
		}
		walk(i+1, used, prod, chosen)
		m := uint64(1)<<ex.ea[i] | uint64(1)<<ex.eb[i]
		if used&m == 0 {
			walk(i+1, used|m, prod*ex.w[i], chosen|1<<i)
		}
	}
	walk(0, 0, 1, 0)
	for e, x := range g {
		prob[x] = ex.acc[e] / z
	}
}
