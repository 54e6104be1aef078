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

	"github.com/roster-coalition/roster/internal/match"
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
	Band        string // match.BandReview or match.BandDuplicate
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

// state is a clustering in progress: a union-find over the records, with
// what each cluster holds, and the pairs and constraints indexed.
type state struct {
	in      *Input
	parent  []int
	members [][]int   // by root
	lists   [][]int32 // by root: the lists its records come from
	cannot  map[pkey]bool
	cannotA [][]int          // by record: its cannot-link partners
	must    map[pkey]bool    // the pairs analysts said are the same
	pairs   map[pkey]float64 // scored pairs, and those Score gave since
	rank    []int32          // by record: its place in key order
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

// Build clusters the records in five steps: set up (every record alone),
// apply the must-links, merge the links greedily, flag the pairs for
// review, and explain each member.
func Build(in Input) Output {
	s := newState(&in)
	var out Output
	out.AnalystLinks, out.Conflicts = s.applyMustLinks()
	var refused map[pkey]string
	out.AutoLinks, out.Refused, refused = s.mergeLinks()
	out.Flagged = s.flagForReview(refused)
	out.Clusters = s.explainMembers()
	return out
}

// newState sets up the clustering: every record its own cluster, the
// records ranked by key, the scored pairs and the cannot-links indexed.
func newState(in *Input) *state {
	n := len(in.Records)
	s := &state{in: in, parent: make([]int, n), members: make([][]int, n), lists: make([][]int32, n),
		cannot: map[pkey]bool{}, cannotA: make([][]int, n), must: map[pkey]bool{}, pairs: make(map[pkey]float64, len(in.Pairs))}
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
	s.rank = make([]int32, n)
	for r, i := range byKey {
		s.rank[i] = int32(r)
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
	return s
}

// key is record i's place in key order.
func (s *state) key(i int) int32 { return s.rank[i] }

// cmpKeys orders pairs by their records' keys.
func (s *state) cmpKeys(a1, b1, a2, b2 int) int {
	x1, y1 := s.key(a1), s.key(b1)
	if x1 > y1 {
		x1, y1 = y1, x1
	}
	x2, y2 := s.key(a2), s.key(b2)
	if x2 > y2 {
		x2, y2 = y2, x2
	}
	return cmp.Or(cmp.Compare(x1, x2), cmp.Compare(y1, y2))
}

// applyMustLinks joins the records analysts said are the same, in key
// order. A must-link that a cannot-link forbids (between the clusters it
// would join) is a conflict and is not applied.
func (s *state) applyMustLinks() (joined, conflicts int) {
	must := slices.Clone(s.in.MustLink)
	slices.SortFunc(must, func(x, y Constraint) int { return s.cmpKeys(x.A, x.B, y.A, y.B) })
	for _, c := range must {
		if c.A == c.B {
			continue
		}
		s.must[mk(c.A, c.B)] = true
		ra, rb := s.find(c.A), s.find(c.B)
		if ra == rb {
			continue
		}
		if s.hasCannot(ra, rb) {
			conflicts++
			continue
		}
		s.union(ra, rb)
		joined++
	}
	return joined, conflicts
}

// mergeLinks merges the pairs of different lists at or above the link
// threshold, strongest first (then by key). A merge is refused when the
// two clusters share a list, a cannot-link joins them, or the evidence of
// all their cross pairs is against it; refused says why, by pair.
func (s *state) mergeLinks() (merged, nrefused int, refused map[pkey]string) {
	in := s.in
	var links []Pair
	for _, p := range in.Pairs {
		if p.A != p.B && p.Probability >= in.LinkThreshold && in.Records[p.A].List != in.Records[p.B].List {
			links = append(links, p)
		}
	}
	slices.SortFunc(links, func(x, y Pair) int {
		return cmp.Or(cmp.Compare(y.Probability, x.Probability), s.cmpKeys(x.A, x.B, y.A, y.B))
	})
	refused = map[pkey]string{}
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
			nrefused++
			refused[mk(p.A, p.B)] = why
			continue
		}
		s.union(ra, rb)
		merged++
	}
	return merged, nrefused, refused
}

// flagForReview returns the pairs an analyst should look at, sorted by
// key: a within-list pair that scores as a link (a duplicate), a link
// refused for a conflict or a cannot-link, and a pair in the review band
// whose records ended apart in clusters that could still be joined. Pairs
// an analyst decided are never flagged.
func (s *state) flagForReview(refused map[pkey]string) []Flagged {
	in := s.in
	var out []Flagged
	for _, p := range in.Pairs {
		if p.A == p.B {
			continue
		}
		k := mk(p.A, p.B)
		if s.cannot[k] || s.must[k] {
			continue
		}
		a, b := int(k.a), int(k.b)
		sameList := in.Records[a].List == in.Records[b].List
		together := s.find(a) == s.find(b)
		switch {
		case sameList && p.Probability >= in.LinkThreshold && !together:
			out = append(out, Flagged{a, b, p.Probability, match.BandDuplicate, ReasonDuplicate})
		case sameList:
		case refused[k] != "" && refused[k] != ReasonSameList && !together:
			out = append(out, Flagged{a, b, p.Probability, match.BandReview, refused[k]})
		case p.Probability >= in.ReviewThreshold && p.Probability < in.LinkThreshold && !together && !s.shareList(s.find(a), s.find(b)):
			out = append(out, Flagged{a, b, p.Probability, match.BandReview, ReasonReviewBand})
		}
	}
	slices.SortFunc(out, func(x, y Flagged) int { return s.cmpKeys(x.A, x.B, y.A, y.B) })
	return out
}

// explainMembers returns the clusters, sorted by their first member's key,
// each member with the link that holds it: an analyst's must-link to
// another member, else its strongest scored pair within the cluster (an
// automatic link), else analyst (joined through others' must-links); a
// record alone is single.
func (s *state) explainMembers() []Cluster {
	var out []Cluster
	for r := range len(s.in.Records) {
		if s.find(r) != r {
			continue
		}
		ms := slices.Clone(s.members[r])
		slices.SortFunc(ms, func(x, y int) int { return cmp.Compare(s.key(x), s.key(y)) })
		c := Cluster{Members: make([]Member, len(ms))}
		for x, i := range ms {
			c.Members[x] = s.explain(i, ms)
		}
		out = append(out, c)
	}
	slices.SortFunc(out, func(x, y Cluster) int {
		return cmp.Compare(s.key(x.Members[0].Record), s.key(y.Members[0].Record))
	})
	return out
}

// explain says why record i is in the cluster of ms (sorted by key).
func (s *state) explain(i int, ms []int) Member {
	m := Member{Record: i, Link: roster.LinkSingle, Via: -1}
	if len(ms) == 1 {
		return m
	}
	m.Link, m.Score = roster.LinkAnalyst, 1
	for _, j := range ms {
		if j != i && s.must[mk(i, j)] {
			m.Via = j
			return m
		}
	}
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
		m.Link, m.Score = roster.LinkAuto, best
	}
	return m
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
