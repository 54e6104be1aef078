package review

import (
	"fmt"
	"sort"
	"strings"

	"github.com/roster-coalition/roster/internal/roster"
)

// Why a pair is in the queue, in words. The matcher says why it flagged a
// pair (the reason in its explanation); the store says which persons the
// two records are in now (the payload's clusters). A link refused at
// p = 1.00 then reads as what it is: joining the two would put two
// records of one list into one person, or go against an analyst's
// decision, or join persons whose other records look like different
// people.

// PairCluster is the person one record of a pair is in, with that
// person's records (as the store completes a pair item's payload).
type PairCluster struct {
	Ref      string          `json:"ref"`
	PersonID string          `json:"person_id"`
	Records  []ClusterRecord `json:"records"`
	Total    int             `json:"total"`
}

// ClusterRecord is a record of a person, by reference and name.
type ClusterRecord struct {
	Ref  string `json:"ref"`
	Name string `json:"name"`
}

// The matcher's reasons for flagging a pair (cluster.Reason…).
const (
	reasonReviewBand = "review band"
	reasonSameList   = "same list"
	reasonConflict   = "link refused: the clusters conflict"
	reasonShareList  = "link refused: the clusters share a list"
	reasonCannotLink = "link refused: an analyst said different"
)

// Why a pair is in the queue: the cases of PairWhy.Case.
const (
	WhyBand     = "band"      // the probability is in the review band
	WhySameList = "same-list" // both records are on one list
	WhyRefused  = "refused"   // a link refused, the two persons not known
	WhyMerge    = "merge"     // a link refused: joining would merge two persons
)

// Why a refused link would be wrong: the values of PairWhy.Because.
const (
	BecauseShared     = "shared"      // it puts records of one list into one person
	BecauseCannotLink = "cannot-link" // an analyst decided they are different people
	BecauseOnBalance  = "on-balance"  // the persons' other records look like different people
)

// PairWhy is why a pair item is in the queue, in parts: WhyPair words it
// in English, the web UI in the reader's language.
type PairWhy struct {
	Case    string
	P       float64
	Refusal string // WhyRefused: the refusal as the matcher gave it ("the clusters conflict")
	// WhyMerge: the two persons, why joining them is refused, and (for
	// BecauseShared) the records of one list it would put together.
	A, B    PairCluster
	Because string
	Shared  []SharedRecords
}

// SharedRecords are two records of one list (source@edition) that a
// merge would put into one person.
type SharedRecords struct {
	A, B, List string
}

// ExplainPair says why a pair item is in the queue, from the matcher's
// reason, its probability and the persons its records are in now.
func ExplainPair(kind, reason string, p float64, clusters []PairCluster) PairWhy {
	w := PairWhy{Case: WhyBand, P: p}
	switch {
	case kind == roster.KindDuplicate || reason == reasonSameList:
		w.Case = WhySameList
	case reason == reasonConflict || reason == reasonShareList || reason == reasonCannotLink:
		if len(clusters) != 2 {
			w.Case, w.Refusal = WhyRefused, strings.TrimPrefix(reason, "link refused: ")
			break
		}
		w.Case, w.A, w.B = WhyMerge, clusters[0], clusters[1]
		if w.Shared = sharedLists(w.A, w.B); len(w.Shared) > 0 {
			w.Because = BecauseShared
		} else if reason == reasonCannotLink {
			w.Because = BecauseCannotLink
		} else {
			w.Because = BecauseOnBalance
		}
	}
	return w
}

// WhyPair says in words why a pair item is in the queue. short formats a
// full reference for display (nil: as it is).
func WhyPair(kind, reason string, p float64, clusters []PairCluster, short func(string) string) string {
	if short == nil {
		short = func(s string) string { return s }
	}
	w := ExplainPair(kind, reason, p, clusters)
	pct := fmt.Sprintf("p = %.2f", p)
	switch w.Case {
	case WhySameList:
		return fmt.Sprintf("Both records are on one list, which names each person once; yet they look like one person (%s). "+
			"The same person twice, or two people?", pct)
	case WhyRefused:
		return fmt.Sprintf("The matcher would link them (%s), but linking them was refused: %s.", pct, w.Refusal)
	case WhyMerge:
		var why string
		switch w.Because {
		case BecauseShared:
			var parts []string
			for _, sh := range w.Shared {
				parts = append(parts, fmt.Sprintf("%s and %s (two records of %s)", short(sh.A), short(sh.B), sh.List))
			}
			why = "it would put " + strings.Join(parts, "; ") + " into one person, and a list names each person once"
		case BecauseCannotLink:
			why = "an analyst decided that records of the two persons are different people"
		default:
			why = "on balance, the other records of the two persons look like different people"
		}
		return fmt.Sprintf("The matcher would link them (%s), but the link was refused: joining them would merge %s with %s, and %s.",
			pct, describeCluster(w.A, short), describeCluster(w.B, short), why)
	}
	return fmt.Sprintf("The match probability (%s) is in the review band: too high to call them different, too low to link "+
		"them without an analyst.", pct)
}

// describeCluster names a person and their records: "P-000012
// (ipm:12 “Həsənov Əli”, mhm:3 “Гасанов Али”)", or the record alone.
func describeCluster(c PairCluster, short func(string) string) string {
	if c.PersonID == "" {
		return "the record " + short(c.Ref)
	}
	var recs []string
	for _, r := range c.Records {
		recs = append(recs, fmt.Sprintf("%s “%s”", short(r.Ref), r.Name))
	}
	if c.Total > len(c.Records) {
		recs = append(recs, fmt.Sprintf("%d more", c.Total-len(c.Records)))
	}
	return fmt.Sprintf("%s (%s)", c.PersonID, strings.Join(recs, ", "))
}

// sharedLists finds the records of the same list (source and edition)
// that joining two persons would put together, sorted.
func sharedLists(a, b PairCluster) []SharedRecords {
	list := func(ref string) string {
		r, err := roster.ParseRef(ref)
		if err != nil {
			return ""
		}
		return r.Source + "@" + r.Edition
	}
	inA := map[string][]string{}
	for _, r := range a.Records {
		inA[list(r.Ref)] = append(inA[list(r.Ref)], r.Ref)
	}
	var out []SharedRecords
	seen := map[string]bool{}
	for _, r := range b.Records {
		l := list(r.Ref)
		if l == "" || len(inA[l]) == 0 || seen[l] {
			continue
		}
		seen[l] = true
		out = append(out, SharedRecords{A: inA[l][0], B: r.Ref, List: l})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].A < out[j].A || out[i].A == out[j].A && out[i].B < out[j].B })
	return out
}
