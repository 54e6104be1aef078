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

// WhyPair says in words why a pair item is in the queue. short formats a
// full reference for display (nil: as it is).
func WhyPair(kind, reason string, p float64, clusters []PairCluster, short func(string) string) string {
	if short == nil {
		short = func(s string) string { return s }
	}
	pct := fmt.Sprintf("p = %.2f", p)
	switch {
	case kind == roster.KindDuplicate || reason == reasonSameList:
		return fmt.Sprintf("Both records are on one list, which names each person once; yet they look like one person (%s). "+
			"The same person twice, or two people?", pct)
	case reason == reasonConflict || reason == reasonShareList || reason == reasonCannotLink:
		if len(clusters) != 2 {
			return fmt.Sprintf("The matcher would link them (%s), but linking them was refused: %s.", pct,
				strings.TrimPrefix(reason, "link refused: "))
		}
		a, b := clusters[0], clusters[1]
		var why string
		if shared := sharedLists(a, b, short); shared != "" {
			why = "it would put " + shared + " into one person, and a list names each person once"
		} else if reason == reasonCannotLink {
			why = "an analyst decided that records of the two persons are different people"
		} else {
			why = "on balance, the other records of the two persons look like different people"
		}
		return fmt.Sprintf("The matcher would link them (%s), but the link was refused: joining them would merge %s with %s, and %s.",
			pct, describeCluster(a, short), describeCluster(b, short), why)
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

// sharedLists names the records of the same list (source and edition)
// that joining two persons would put together: "ipm:12 and ipm:40 (two
// records of ipm@2025-06-01)".
func sharedLists(a, b PairCluster, short func(string) string) string {
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
	var parts []string
	seen := map[string]bool{}
	for _, r := range b.Records {
		l := list(r.Ref)
		if l == "" || len(inA[l]) == 0 || seen[l] {
			continue
		}
		seen[l] = true
		parts = append(parts, fmt.Sprintf("%s and %s (two records of %s)", short(inA[l][0]), short(r.Ref), l))
	}
	sort.Strings(parts)
	return strings.Join(parts, "; ")
}
