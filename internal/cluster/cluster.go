// Package cluster turns scored pairs of records, analyst decisions and the
// previous clustering into persons with stable IDs. It is pure and
// deterministic: the output does not depend on the order of its input.
//
// # Rules
//
//   - Two records of the same list (source + edition) are presumed to be
//     different people. A within-list pair that scores as a link is
//     returned as a duplicate for review, never merged.
//   - Records of different editions of one source can be the same person.
//   - Analyst decisions are hard constraints: "same" is a must-link,
//     "different" a cannot-link.
//   - Links are merged greedily by descending probability. A merge is
//     refused when the two clusters hold records of the same list, when a
//     cannot-link joins them, or when the evidence over all their cross
//     pairs is against it (correlation clustering: the summed log-odds of
//     the cross pairs must be positive). So A~B~C never becomes one person
//     when A and C conflict.
package cluster

import (
	"cmp"
	"math"
	"slices"

	"github.com/roster-coalition/roster/internal/roster"
)

// Record is what clustering needs to know of a record.
type Record struct {
	Key         string // unique and stable: "source@edition:ref"
	List        string // "source@edition"
	Source      string
	Edition     string
	Ref         string
	Fingerprint string
}

// Pair is a scored pair of records, by index.
type Pair struct {
	A, B        int
	Probability float64
}

// Constraint is a must-link or cannot-link between two records, from an
// analyst decision.
type Constraint struct {
	A, B     int
	Decision int64
}

// Input is everything clustering needs.
type Input struct {
	Records         []Record
	Pairs           []Pair // scored pairs; a pair not given counts as a clear non-link
	LinkThreshold   float64
	ReviewThreshold float64
	MustLink        []Constraint
	CannotLink      []Constraint
	// Score, when set, scores a pair that is not in Pairs (blocking did
	// not compare it) when a merge needs it; without it such a pair
	// counts as a clear non-link.
	Score func(a, b int) float64
}

// Member is a record's place in a cluster and why it is there.
type Member struct {
	Record int
	Link   string  // roster.LinkAuto, LinkAnalyst or LinkSingle
	Score  float64 // probability of the link that holds it (1 for analyst, 0 for single)
	Via    int     // the record it is linked to; -1 for a single
}

// Cluster is one person: its members sorted by record key.
type Cluster struct {
	Members []Member
}

// Flag reasons for pairs sent to review.
const (
	ReasonReviewBand = "review band"
	ReasonDuplicate  = "same list"
	ReasonConflict   = "link refused: the clusters conflict"
	ReasonSameList   = "link refused: the clusters share a list"
	ReasonCannotLink = "link refused: an analyst said different"
)

// Flagged is a pair that an analyst should look at.
type Flagged struct {
	A, B        int
	Probability float64
	Band        string // "review" or "duplicate"
	Reason      string
}

// Output is the clustering.
type Output struct {
	Clusters     []Cluster // sorted by their first member's key
	Flagged      []Flagged // sorted by record keys
	AutoLinks    int       // merges made by the matcher
	AnalystLinks int       // merges made by must-links
	Refused      int       // links refused (conflicts, shared lists, cannot-links)
	Conflicts    int       // must-links ignored because a cannot-link forbids them
}

const (
	maxLogit     = 10.0 // log-odds of one cross pair are clamped to ±this
	unknownLogit = -6.0 // a pair that blocking never compared
)

func logit(p float64) float64 {
	p = math.Min(math.Max(p, 1e-9), 1-1e-9)
	return math.Max(-maxLogit, math.Min(maxLogit, math.Log(p/(1-p))))
}

type pkey struct{ a, b int32 }

func mk(a, b int) pkey {
	if a > b {
		a, b = b, a
	}
	return pkey{int32(a), int32(b)}
}

type state struct {
	in      *Input
	parent  []int
	members [][]int   // by root
	lists   [][]int32 // by root: the lists its records come from
	cannot  map[pkey]bool
	cannotA [][]int
	pairs   map[pkey]float64
}

func (s *state) find(x int) int {
	for s.parent[x] != x {
		s.parent[x] = s.parent[s.parent[x]]
		x = s.parent[x]
	}
	return x
}

func (s *state) union(a, b int) {
	ra, rb := s.find(a), s.find(b)
	if ra == rb {
		return
	}
	if len(s.members[ra]) < len(s.members[rb]) || (len(s.members[ra]) == len(s.members[rb]) && s.in.Records[ra].Key > s.in.Records[rb].Key) {
		ra, rb = rb, ra
	}
	s.parent[rb] = ra
	s.members[ra] = append(s.members[ra], s.members[rb]...)
	s.members[rb] = nil
	for _, l := range s.lists[rb] {
		if !slices.Contains(s.lists[ra], l) {
			s.lists[ra] = append(s.lists[ra], l)
		}
	}
	s.lists[rb] = nil
}

func (s *state) hasCannot(ra, rb int) bool {
	if len(s.members[ra]) > len(s.members[rb]) {
		ra, rb = rb, ra
	}
	for _, x := range s.members[ra] {
		for _, y := range s.cannotA[x] {
			if s.find(y) == rb {
				return true
			}
		}
	}
	return false
}

func (s *state) shareList(ra, rb int) bool {
	for _, l := range s.lists[ra] {
		if slices.Contains(s.lists[rb], l) {
			return true
		}
	}
	return false
}

// evidence is the summed log-odds of all cross pairs of two clusters.
func (s *state) evidence(ra, rb int) float64 {
	var sum float64
	for _, x := range s.members[ra] {
		for _, y := range s.members[rb] {
			k := mk(x, y)
			p, ok := s.pairs[k]
			if !ok && s.in.Score != nil {
				p, ok = s.in.Score(x, y), true
				s.pairs[k] = p
			}
			if ok {
				sum += logit(p)
			} else {
				sum += unknownLogit
			}
		}
	}
	return sum
}

// Build clusters the records.
func Build(in Input) Output {
	n := len(in.Records)
	s := &state{in: &in, parent: make([]int, n), members: make([][]int, n), lists: make([][]int32, n),
		cannot: map[pkey]bool{}, cannotA: make([][]int, n), pairs: make(map[pkey]float64, len(in.Pairs))}
	listIdx := map[string]int32{}
	for i := range n {
		s.parent[i] = i
		s.members[i] = []int{i}
		l, ok := listIdx[in.Records[i].List]
		if !ok {
			l = int32(len(listIdx))
			listIdx[in.Records[i].List] = l
		}
		s.lists[i] = []int32{l}
	}
	// Records are ordered by key: sort them once and compare ranks.
	byKey := make([]int32, n)
	for i := range byKey {
		byKey[i] = int32(i)
	}
	slices.SortFunc(byKey, func(a, b int32) int { return cmp.Compare(in.Records[a].Key, in.Records[b].Key) })
	rank := make([]int32, n)
	for r, i := range byKey {
		rank[i] = int32(r)
	}
	byKey = nil
	key := func(i int) int32 { return rank[i] }
	// cmpKeys orders pairs by their records' keys.
	cmpKeys := func(a1, b1, a2, b2 int) int {
		x1, y1 := key(a1), key(b1)
		if x1 > y1 {
			x1, y1 = y1, x1
		}
		x2, y2 := key(a2), key(b2)
		if x2 > y2 {
			x2, y2 = y2, x2
		}
		return cmp.Or(cmp.Compare(x1, x2), cmp.Compare(y1, y2))
	}
	for _, p := range in.Pairs {
		if p.A == p.B {
			continue
		}
		s.pairs[mk(p.A, p.B)] = p.Probability
	}
	for _, c := range in.CannotLink {
		if c.A == c.B {
			continue
		}
		k := mk(c.A, c.B)
		if !s.cannot[k] {
			s.cannot[k] = true
			s.cannotA[c.A] = append(s.cannotA[c.A], c.B)
			s.cannotA[c.B] = append(s.cannotA[c.B], c.A)
		}
	}
	var out Output
	must := slices.Clone(in.MustLink)
	slices.SortFunc(must, func(x, y Constraint) int { return cmpKeys(x.A, x.B, y.A, y.B) })
	mustSet := map[pkey]bool{}
	for _, c := range must {
		if c.A == c.B {
			continue
		}
		mustSet[mk(c.A, c.B)] = true
		ra, rb := s.find(c.A), s.find(c.B)
		if ra == rb {
			continue
		}
		if s.hasCannot(ra, rb) {
			out.Conflicts++
			continue
		}
		s.union(ra, rb)
		out.AnalystLinks++
	}
	// Links, strongest first.
	var links []Pair
	for _, p := range in.Pairs {
		if p.A != p.B && p.Probability >= in.LinkThreshold && in.Records[p.A].List != in.Records[p.B].List {
			links = append(links, p)
		}
	}
	slices.SortFunc(links, func(x, y Pair) int {
		return cmp.Or(cmp.Compare(y.Probability, x.Probability), cmpKeys(x.A, x.B, y.A, y.B))
	})
	refused := map[pkey]string{}
	for _, p := range links {
		ra, rb := s.find(p.A), s.find(p.B)
		if ra == rb {
			continue
		}
		var why string
		switch {
		case s.shareList(ra, rb):
			why = ReasonSameList
		case s.hasCannot(ra, rb):
			why = ReasonCannotLink
		case s.evidence(ra, rb) <= 0:
			why = ReasonConflict
		}
		if why != "" {
			out.Refused++
			refused[mk(p.A, p.B)] = why
			continue
		}
		s.union(ra, rb)
		out.AutoLinks++
	}
	// Pairs for review.
	for _, p := range in.Pairs {
		if p.A == p.B {
			continue
		}
		k := mk(p.A, p.B)
		if s.cannot[k] || mustSet[k] {
			continue
		}
		a, b := int(k.a), int(k.b)
		sameList := in.Records[a].List == in.Records[b].List
		together := s.find(a) == s.find(b)
		switch {
		case sameList && p.Probability >= in.LinkThreshold && !together:
			out.Flagged = append(out.Flagged, Flagged{a, b, p.Probability, "duplicate", ReasonDuplicate})
		case sameList:
		case refused[k] != "" && refused[k] != ReasonSameList && !together:
			out.Flagged = append(out.Flagged, Flagged{a, b, p.Probability, "review", refused[k]})
		case p.Probability >= in.ReviewThreshold && p.Probability < in.LinkThreshold && !together && !s.shareList(s.find(a), s.find(b)):
			out.Flagged = append(out.Flagged, Flagged{a, b, p.Probability, "review", ReasonReviewBand})
		}
	}
	slices.SortFunc(out.Flagged, func(x, y Flagged) int { return cmpKeys(x.A, x.B, y.A, y.B) })
	// Clusters and why each member is in its cluster.
	for r := range n {
		if s.find(r) != r {
			continue
		}
		ms := slices.Clone(s.members[r])
		slices.SortFunc(ms, func(x, y int) int { return cmp.Compare(key(x), key(y)) })
		c := Cluster{Members: make([]Member, len(ms))}
		for x, i := range ms {
			m := Member{Record: i, Link: roster.LinkSingle, Via: -1}
			if len(ms) > 1 {
				m.Link = roster.LinkAnalyst
				m.Score = 1
				analyst := false
				for _, j := range ms {
					if j != i && mustSet[mk(i, j)] {
						m.Via = j
						analyst = true
						break
					}
				}
				if !analyst {
					best := -1.0
					for _, j := range ms {
						if j == i {
							continue
						}
						if p, ok := s.pairs[mk(i, j)]; ok && p > best {
							best, m.Via = p, j
						}
					}
					if best >= 0 {
						m.Link = roster.LinkAuto
						m.Score = best
					}
				}
			}
			c.Members[x] = m
		}
		out.Clusters = append(out.Clusters, c)
	}
	slices.SortFunc(out.Clusters, func(x, y Cluster) int {
		return cmp.Compare(key(x.Members[0].Record), key(y.Members[0].Record))
	})
	return out
}

// Constraints turns analyst decisions into must-links ("same") and
// cannot-links ("different") between current records. Each side of a
// decision is found by (source, edition, ref) when that record still has
// the decision's fingerprint (or no record of the source has it), else by
// (source, fingerprint), in every edition of the source: that is how a
// decision survives a re-import with new references or a new edition.
func Constraints(recs []Record, decisions []roster.Decision) (must, cannot []Constraint) {
	byRef := map[[3]string]int{}
	byFP := map[[2]string][]int{}
	for i, r := range recs {
		byRef[[3]string{r.Source, r.Edition, r.Ref}] = i
		byFP[[2]string{r.Source, r.Fingerprint}] = append(byFP[[2]string{r.Source, r.Fingerprint}], i)
	}
	resolve := func(sd roster.Side) []int {
		fp := byFP[[2]string{sd.Source, sd.Fingerprint}]
		if i, ok := byRef[[3]string{sd.Source, sd.Edition, sd.Ref}]; ok {
			if sd.Fingerprint == "" || recs[i].Fingerprint == sd.Fingerprint || len(fp) == 0 {
				return []int{i}
			}
		}
		if sd.Fingerprint == "" {
			return nil
		}
		// Prefer the decision's own edition when the fingerprint is there.
		var same []int
		for _, i := range fp {
			if recs[i].Edition == sd.Edition {
				same = append(same, i)
			}
		}
		if len(same) > 0 {
			return same
		}
		return fp
	}
	for _, d := range decisions {
		if d.Undone || (d.Verdict != roster.VerdictSame && d.Verdict != roster.VerdictDifferent) {
			continue
		}
		as, bs := resolve(d.A), resolve(d.B)
		for _, a := range as {
			for _, b := range bs {
				if a == b {
					continue
				}
				c := Constraint{A: a, B: b, Decision: d.ID}
				if d.Verdict == roster.VerdictSame {
					must = append(must, c)
				} else {
					cannot = append(cannot, c)
				}
			}
		}
	}
	return must, cannot
}
