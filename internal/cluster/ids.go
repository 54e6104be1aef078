package cluster

import (
	"cmp"
	"fmt"
	"slices"
)

// PrevMember is a record's membership in the previous clustering.
type PrevMember struct {
	PersonID    string
	Seq         int64 // the person's sequence number: smaller is older
	Source      string
	Edition     string
	Ref         string
	Fingerprint string
}

// NewPerson is a person ID created by this run.
type NewPerson struct {
	Seq int64
	ID  string
}

// Redirect is a person merged into another.
type Redirect struct {
	From, To string
}

// Event is one line of a person's history.
type Event struct {
	PersonID string
	Event    string // created | merged-into | absorbed | split-from | retired
	Other    string
}

// Assignment gives each cluster its person ID.
type Assignment struct {
	IDs     []string // per cluster, in the order of Output.Clusters
	New     []NewPerson
	Merged  []Redirect
	Retired []string
	Events  []Event
}

// PersonID formats a sequence number as a person ID ("P-000123").
func PersonID(seq int64) string { return fmt.Sprintf("P-%06d", seq) }

// Vote weights: how strongly a current record points to a previous person.
const (
	voteRefAndFP  = 4 // same (source, edition, ref) and same fingerprint
	voteEditionFP = 3 // same (source, edition) and fingerprint, other ref (a re-import)
	voteSourceFP  = 2 // same source and fingerprint, other edition
	voteRefOnly   = 1 // same (source, edition, ref), fingerprint changed (a corrected spelling)
)

// AssignIDs keeps person IDs stable. Each record of a cluster votes for the
// previous person of its previous membership, found by (source, edition,
// ref) and fingerprint, then by (source, fingerprint); a reference whose
// previous record had another fingerprint counts only when no other record
// claimed that previous membership. Then:
//
//   - each previous person goes to the cluster it overlaps most (ties: the
//     cluster whose first key sorts first) — a split keeps the ID on the
//     larger part;
//   - a cluster chosen by several previous persons takes the oldest (the
//     smallest seq) and the others become redirects to it — a merge keeps
//     the older ID;
//   - a cluster left without an ID takes an unused previous person it
//     overlaps, else a new ID (nextSeq, nextSeq+1, … in cluster order);
//   - previous persons left without a cluster are merged into the cluster
//     that holds most of their records, or retired when none does.
func AssignIDs(recs []Record, clusters []Cluster, prev []PrevMember, nextSeq int64) Assignment {
	type ref3 = [3]string
	seqOf := map[string]int64{}
	byRef := map[ref3]int{}
	byEdFP := map[ref3][]int{}
	bySrcFP := map[[2]string][]int{}
	for i, p := range prev {
		seqOf[p.PersonID] = p.Seq
		byRef[ref3{p.Source, p.Edition, p.Ref}] = i
		byEdFP[ref3{p.Source, p.Edition, p.Fingerprint}] = append(byEdFP[ref3{p.Source, p.Edition, p.Fingerprint}], i)
		bySrcFP[[2]string{p.Source, p.Fingerprint}] = append(bySrcFP[[2]string{p.Source, p.Fingerprint}], i)
	}
	// Which previous membership each record takes, and with what weight.
	claim := make([]int, len(recs))
	weight := make([]int, len(recs))
	claimed := make([]bool, len(prev))
	for i := range claim {
		claim[i] = -1
	}
	// Records in key order, so claims are deterministic.
	order := make([]int, len(recs))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(recs[a].Key, recs[b].Key) })
	take := func(i, p, w int) {
		claim[i], weight[i], claimed[p] = p, w, true
	}
	for _, i := range order {
		r := recs[i]
		if p, ok := byRef[ref3{r.Source, r.Edition, r.Ref}]; ok && prev[p].Fingerprint == r.Fingerprint && !claimed[p] {
			take(i, p, voteRefAndFP)
		}
	}
	for _, i := range order {
		if claim[i] >= 0 {
			continue
		}
		r := recs[i]
		for _, p := range byEdFP[ref3{r.Source, r.Edition, r.Fingerprint}] {
			if !claimed[p] {
				take(i, p, voteEditionFP)
				break
			}
		}
	}
	for _, i := range order {
		if claim[i] >= 0 {
			continue
		}
		r := recs[i]
		// Another edition of the source: the membership may be shared by
		// several records (one per edition), so do not mark it claimed.
		best := -1
		for _, p := range bySrcFP[[2]string{r.Source, r.Fingerprint}] {
			if prev[p].Edition != r.Edition && (best < 0 || prev[p].Edition > prev[best].Edition) {
				best = p
			}
		}
		if best >= 0 {
			claim[i], weight[i] = best, voteSourceFP
		}
	}
	for _, i := range order {
		if claim[i] >= 0 {
			continue
		}
		r := recs[i]
		if p, ok := byRef[ref3{r.Source, r.Edition, r.Ref}]; ok && !claimed[p] {
			take(i, p, voteRefOnly)
		}
	}
	// Overlap of clusters with previous persons.
	overlap := make([]map[string]int, len(clusters))
	personClusters := map[string][]int{}
	for c, cl := range clusters {
		overlap[c] = map[string]int{}
		for _, m := range cl.Members {
			if p := claim[m.Record]; p >= 0 {
				id := prev[p].PersonID
				if overlap[c][id] == 0 {
					personClusters[id] = append(personClusters[id], c)
				}
				overlap[c][id] += weight[m.Record]
			}
		}
	}
	firstKey := func(c int) string { return recs[clusters[c].Members[0].Record].Key }
	var persons []string
	for id := range seqOf {
		persons = append(persons, id)
	}
	slices.SortFunc(persons, func(a, b string) int { return cmp.Or(cmp.Compare(seqOf[a], seqOf[b]), cmp.Compare(a, b)) })
	best := map[string]int{}
	for _, id := range persons {
		cs := personClusters[id]
		if len(cs) == 0 {
			continue
		}
		b := cs[0]
		for _, c := range cs[1:] {
			if overlap[c][id] > overlap[b][id] || (overlap[c][id] == overlap[b][id] && firstKey(c) < firstKey(b)) {
				b = c
			}
		}
		best[id] = b
	}
	var a Assignment
	a.IDs = make([]string, len(clusters))
	used := map[string]bool{}
	// Oldest first: each previous person takes its best cluster if free.
	for _, id := range persons {
		c, ok := best[id]
		if !ok || a.IDs[c] != "" {
			continue
		}
		a.IDs[c] = id
		used[id] = true
	}
	// Clusters without an ID: an unused previous person they overlap.
	for c := range clusters {
		if a.IDs[c] != "" {
			continue
		}
		cand := ""
		for id, w := range overlap[c] {
			if used[id] {
				continue
			}
			if cand == "" || w > overlap[c][cand] || (w == overlap[c][cand] && seqOf[id] < seqOf[cand]) {
				cand = id
			}
		}
		if cand != "" {
			a.IDs[c] = cand
			used[cand] = true
		}
	}
	// New IDs, and history for splits.
	for c := range clusters {
		if a.IDs[c] != "" {
			continue
		}
		id := PersonID(nextSeq)
		a.New = append(a.New, NewPerson{Seq: nextSeq, ID: id})
		nextSeq++
		a.IDs[c] = id
		a.Events = append(a.Events, Event{PersonID: id, Event: "created"})
		var from []string
		for pid := range overlap[c] {
			from = append(from, pid)
		}
		slices.SortFunc(from, func(x, y string) int { return cmp.Compare(seqOf[x], seqOf[y]) })
		for _, pid := range from {
			a.Events = append(a.Events, Event{PersonID: id, Event: "split-from", Other: pid})
		}
	}
	// Previous persons left over: merged into where their records went,
	// or retired.
	for _, id := range persons {
		if used[id] {
			continue
		}
		if c, ok := best[id]; ok {
			to := a.IDs[c]
			a.Merged = append(a.Merged, Redirect{From: id, To: to})
			a.Events = append(a.Events, Event{PersonID: id, Event: "merged-into", Other: to},
				Event{PersonID: to, Event: "absorbed", Other: id})
			continue
		}
		a.Retired = append(a.Retired, id)
		a.Events = append(a.Events, Event{PersonID: id, Event: "retired"})
	}
	return a
}
