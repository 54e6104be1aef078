// Package review builds the analysts' review queue from the current
// clustering: doubtful matches, within-list duplicates, conflicting facts,
// omissions, group gaps, unmapped group labels and edition changes. It is
// pure: values in (records, memberships, scored pairs, active decisions),
// items out, deterministic, no SQL.
//
// # Keys
//
// Every item has a content key, stable across rebuilds, re-imports of the
// same file and re-runs of the match, so that the store keeps the state of
// items that still apply:
//
//	match:A|B                    A, B = "source@edition:ref", sorted
//	duplicate:A|B
//	conflict:PERSON:FIELD:V1|V2  the distinct values, sorted
//	omission:SOURCE:PERSON
//	group-gap:SOURCE:GROUP
//	unknown-group:SOURCE:LABEL   the label folded to lower case
//	change:SOURCE@EDITION:added|removed:PERSON (or the fingerprint when
//	                             there is no clustering yet)
//
// Person IDs are stable across re-matches (merges keep the older ID), so
// keys that name a person survive a re-match; keys that name records use
// the list's own references, which a re-import of the same file repeats.
//
// # Impact
//
// Items are ordered by impact, highest first. Impact is a rough "how much
// does settling this change the published numbers": group gaps 100 + the
// shortfall; omissions 60 + 10 per other source listing the person; match
// 50 + 10 × probability; duplicates 55; conflicts 45 (group, status), 40
// (birth year), 35 (gender), 30 (case); unknown group labels 40 + the
// number of records (at most 20 more); changes 25 (removed) and 20 (added),
// 5 less per older pair of editions.
package review

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/roster-coalition/roster/internal/roster"
)

// Pair bands of the matcher that become items.
const (
	BandReview    = "review"
	BandDuplicate = "duplicate"
)

// Pair is a scored pair of records from the last match run. Its
// explanation is not copied into the item: the store keeps it with the
// pair and adds it to the payload when the item is shown.
type Pair struct {
	A, B        roster.Side
	Probability float64
	Band        string // review | duplicate (others are ignored)
}

// DefaultOmissionMin is how many other sources must list a person for
// their absence from a source to be an omission, unless set otherwise.
const DefaultOmissionMin = 2

// Options tune the builders. The zero value means the defaults.
type Options struct {
	// OmissionMinSources is how many other sources' latest editions must
	// list a person for their absence from a source to be an omission
	// (default DefaultOmissionMin).
	OmissionMinSources int
	// GapMinOthers is the least number of persons some other source must
	// list in a group for a source's zero to be a gap (default 2: "others
	// list several").
	GapMinOthers int
	// GapRatio and GapMinShortfall define "far fewer": a source that lists
	// some of a group is flagged when its count is at most GapRatio times
	// the median of the other sources' counts and at least GapMinShortfall
	// below it (defaults 0.5 and 3).
	GapRatio        float64
	GapMinShortfall int
	// GapMaxPersons caps the persons a group-gap item's payload lists (and
	// the records it names): the first ones by person ID, with the total
	// in persons_total (default 200).
	GapMaxPersons int
}

func (o Options) withDefaults() Options {
	if o.OmissionMinSources <= 0 {
		o.OmissionMinSources = DefaultOmissionMin
	}
	if o.GapMinOthers <= 0 {
		o.GapMinOthers = 2
	}
	if o.GapRatio <= 0 {
		o.GapRatio = 0.5
	}
	if o.GapMinShortfall <= 0 {
		o.GapMinShortfall = 3
	}
	if o.GapMaxPersons <= 0 {
		o.GapMaxPersons = 200
	}
	return o
}

// Input is everything the builders read.
type Input struct {
	Records []roster.Record // every record of every edition
	// Members is the current clustering (empty before the first match).
	// When it lists the memberships in the order of Records (as the store
	// reads them), they are matched by walking both lists; any other
	// order works too, at the cost of a lookup table.
	Members   []roster.Membership
	Pairs     []Pair            // scored pairs of the last run
	Decisions []roster.Decision // active decisions
	// Fingerprint computes a record's content fingerprint when the
	// clustering does not give one (match.Fingerprint); nil falls back to
	// the record's reference.
	Fingerprint func(roster.Record) string
	Options     Options
	// Scopes are the sources' declared scopes. Build raises omissions and
	// group gaps against a source's latest edition only for what its
	// scope covers, and against a source without one none at all: it asks
	// instead, in one item of kind scope, whether the list means to cover
	// everyone.
	Scopes []Scope
	// Names are the persons' canonical names (person ID -> name), which
	// titles show beside a record's own spelling; a person without one
	// is named by a record.
	Names map[string]string
}

// rec is a record, with what the builders read of it, and its place in
// the clustering. (A copy of the fields rather than a pointer into the
// input: Build lets the input's records go, which at a million records
// saves more than the copy costs.)
type rec struct {
	Source, Edition, Ref, Name string
	BirthYear                  int
	BirthDate, Gender          string
	Group, GroupRaw, Case      string
	ArrestDate, Sentence       string
	Status, Location, Raw      string
	Place                      string

	key    string // source@edition:ref
	person string // "" before the first match
	fp     string
	pidx   int32 // index of person in personIDs, -1 for none
	src    int32 // index of Source in sources
	latest bool  // in its source's latest edition
	// clusterFP says fp is the clustering's (the store can look it up).
	clusterFP bool
}

// refKey names a record without building its key string.
type refKey struct{ source, edition, ref string }

// fpKey names a record by content within a source.
type fpKey struct{ source, fp string }

// index is the input arranged for the builders.
type index struct {
	recs      []rec
	edIdx     map[[2]string]int32 // source, edition -> its references in refs
	refs      []map[string]int32  // reference -> record, per edition
	editions  map[string][]string // source -> editions, oldest first
	latest    map[string]string   // source -> latest edition
	sources   []string            // sorted
	persons   map[string][]int32  // person -> records, by key
	personIDs []string            // sorted
	byPerson  [][]int32           // persons[personIDs[k]]
	clustered bool
	decisions []roster.Decision
	// Active pair decisions by the records they name (reference, or
	// fingerprint within a source): indexes into decisions, ascending.
	decByRef map[refKey][]int
	decByFP  map[fpKey][]int
	opts     Options
	// Folded case names and statuses, computed once per distinct value.
	caseKeys, folded map[string]string
	// scopes by source (see scopeOf); gate says that a source without
	// one raises no omission or gap but a scope item (Build does, the
	// tallies do not).
	scopes map[string]*Scope
	gate   bool
	names  map[string]string
	// What sources without a scope would have had raised against them,
	// written by omissionItems and groupGapItems (each its own map: they
	// run at once).
	pendOmit, pendGap map[string]*scopeNote
}

// Key returns a record's full reference, source@edition:ref.
func Key(source, edition, ref string) string { return roster.FormatRef(source, edition, ref, true) }

// memberships returns, for each record of in, its membership (nil where
// it has none).
func memberships(in Input) []*roster.Membership {
	out := make([]*roster.Membership, len(in.Records))
	// Usually the memberships are a subsequence of the records, in order.
	j := 0
	for i := range in.Records {
		r := &in.Records[i]
		if j < len(in.Members) {
			if m := &in.Members[j]; m.Ref == r.Ref && m.Edition == r.Edition && m.Source == r.Source {
				out[i] = m
				j++
			}
		}
	}
	if j == len(in.Members) {
		return out
	}
	// Otherwise by lookup; the last membership of a record wins.
	mem := make(map[refKey]int, len(in.Members))
	for i := range in.Members {
		m := &in.Members[i]
		mem[refKey{m.Source, m.Edition, m.Ref}] = i
	}
	for i := range in.Records {
		r := &in.Records[i]
		out[i] = nil
		if k, ok := mem[refKey{r.Source, r.Edition, r.Ref}]; ok {
			out[i] = &in.Members[k]
		}
	}
	return out
}

func newIndex(in Input) *index {
	ix := &index{edIdx: map[[2]string]int32{}, editions: map[string][]string{}, latest: map[string]string{},
		persons: map[string][]int32{}, decisions: in.Decisions, opts: in.Options.withDefaults(),
		caseKeys: map[string]string{}, folded: map[string]string{}, names: in.Names,
		pendOmit: map[string]*scopeNote{}, pendGap: map[string]*scopeNote{}}
	mem := memberships(in)
	ix.clustered = len(in.Members) > 0
	ix.recs = make([]rec, 0, len(in.Records))
	// Records per edition, to size the reference tables (the store gives
	// them edition by edition).
	sizes := map[[2]string]int{}
	for i, n := 0, 0; i < len(in.Records); i++ {
		n++
		if r := &in.Records[i]; i+1 == len(in.Records) || in.Records[i+1].Source != r.Source || in.Records[i+1].Edition != r.Edition {
			sizes[[2]string{r.Source, r.Edition}] += n
			n = 0
		}
	}
	var refs map[string]int32 // of the current edition
	for i := range in.Records {
		r := &in.Records[i]
		if i == 0 || r.Source != in.Records[i-1].Source || r.Edition != in.Records[i-1].Edition {
			e, ok := ix.edIdx[[2]string{r.Source, r.Edition}]
			if !ok {
				e = int32(len(ix.refs))
				ix.edIdx[[2]string{r.Source, r.Edition}] = e
				ix.refs = append(ix.refs, make(map[string]int32, sizes[[2]string{r.Source, r.Edition}]))
				ix.editions[r.Source] = append(ix.editions[r.Source], r.Edition)
			}
			refs = ix.refs[e]
		}
		if _, dup := refs[r.Ref]; dup {
			continue // a repeated reference: the first record stands
		}
		refs[r.Ref] = int32(len(ix.recs))
		x := rec{Source: r.Source, Edition: r.Edition, Ref: r.Ref, Name: r.Name, BirthYear: r.BirthYear, BirthDate: r.BirthDate,
			Gender: r.Gender, Group: r.Group, GroupRaw: r.GroupRaw, Case: r.Case, ArrestDate: r.ArrestDate, Sentence: r.Sentence,
			Status: r.Status, Location: r.Location, Raw: r.Raw, Place: r.Place, key: Key(r.Source, r.Edition, r.Ref), pidx: -1}
		if m := mem[i]; m != nil {
			x.person, x.fp, x.clusterFP = m.PersonID, m.Fingerprint, m.Fingerprint != ""
		}
		if x.fp == "" {
			if in.Fingerprint != nil {
				x.fp = in.Fingerprint(*r)
			} else {
				x.fp = "ref:" + r.Source + ":" + r.Ref
			}
		}
		ix.recs = append(ix.recs, x)
	}
	for src, eds := range ix.editions {
		sort.Strings(eds)
		ix.latest[src] = eds[len(eds)-1]
		ix.sources = append(ix.sources, src)
	}
	sort.Strings(ix.sources)
	ix.setScopes(in.Scopes)
	srcIdx := map[string]int32{}
	for i, src := range ix.sources {
		srcIdx[src] = int32(i)
	}
	for i := range ix.recs {
		x := &ix.recs[i]
		x.latest = x.Edition == ix.latest[x.Source]
		x.src = srcIdx[x.Source]
		if x.person != "" {
			rs, ok := ix.persons[x.person]
			if !ok {
				ix.personIDs = append(ix.personIDs, x.person)
			}
			ix.persons[x.person] = append(rs, int32(i))
		}
	}
	sort.Strings(ix.personIDs)
	ix.byPerson = make([][]int32, len(ix.personIDs))
	for k, pid := range ix.personIDs {
		rs := ix.persons[pid]
		ix.byPerson[k] = rs
		if len(rs) > 1 {
			sort.Slice(rs, func(i, j int) bool { return ix.recs[rs[i]].key < ix.recs[rs[j]].key })
		}
		for _, i := range rs {
			ix.recs[i].pidx = int32(k)
		}
	}
	ix.decByRef, ix.decByFP = map[refKey][]int{}, map[fpKey][]int{}
	for i, d := range ix.decisions {
		if d.Undone || d.A.Source == "" {
			continue
		}
		for _, s := range []roster.Side{d.A, d.B} {
			ix.decByRef[refKey{s.Source, s.Edition, s.Ref}] = append(ix.decByRef[refKey{s.Source, s.Edition, s.Ref}], i)
			if s.Fingerprint != "" {
				ix.decByFP[fpKey{s.Source, s.Fingerprint}] = append(ix.decByFP[fpKey{s.Source, s.Fingerprint}], i)
			}
		}
	}
	return ix
}

// lookup returns the record a pair side names, if it is in the input.
func (ix *index) lookup(s roster.Side) (*rec, bool) {
	e, ok := ix.edIdx[[2]string{s.Source, s.Edition}]
	if !ok {
		return nil, false
	}
	i, ok := ix.refs[e][s.Ref]
	if !ok {
		return nil, false
	}
	return &ix.recs[i], true
}

// short formats a full reference as the CLI shows it: source:ref when the
// source has a single edition.
func (ix *index) short(key string) string {
	r, err := roster.ParseRef(key)
	if err != nil {
		return key
	}
	return roster.FormatRef(r.Source, r.Edition, r.Ref, len(ix.editions[r.Source]) > 1)
}

// latestRecs returns the records of a person in latest editions, by key
// (source, then edition and reference).
func (ix *index) latestRecs(person string) []*rec {
	return ix.appendLatest(nil, person)
}

// appendLatest appends the records latestRecs returns to out.
func (ix *index) appendLatest(out []*rec, person string) []*rec {
	return ix.appendLatestOf(out, ix.persons[person])
}

// appendLatestOf appends the records of rs in latest editions to out.
func (ix *index) appendLatestOf(out []*rec, rs []int32) []*rec {
	for _, i := range rs {
		if ix.recs[i].latest {
			out = append(out, &ix.recs[i])
		}
	}
	return out
}

// decisionFor returns the active decision on the pair (a, b), matched by
// reference or by fingerprint within a source, if any; the latest one
// when several apply.
func (ix *index) decisionFor(a, b *rec) (roster.Decision, bool) {
	if len(ix.decByRef) == 0 {
		return roster.Decision{}, false
	}
	same := func(s roster.Side, x *rec) bool {
		if s.Source != x.Source {
			return false
		}
		return (s.Edition == x.Edition && s.Ref == x.Ref) || (s.Fingerprint != "" && s.Fingerprint == x.fp)
	}
	best := -1
	// Every decision on the pair names a by reference or by fingerprint.
	for _, cands := range [2][]int{ix.decByRef[refKey{a.Source, a.Edition, a.Ref}], ix.decByFP[fpKey{a.Source, a.fp}]} {
		for _, i := range cands {
			if i <= best {
				continue
			}
			d := ix.decisions[i]
			if (same(d.A, a) && same(d.B, b)) || (same(d.A, b) && same(d.B, a)) {
				best = i
			}
		}
	}
	if best < 0 {
		return roster.Decision{}, false
	}
	return ix.decisions[best], true
}

// Build returns the review items for the input, sorted by key. Items
// already settled by an active pair decision (made on an earlier item or
// with roster decide) carry its DecisionID.
//
// Payloads hold what only the build knows. What the database holds anyway
// is left out, and the store adds it back when it shows an item: the
// records of match, duplicate, conflict and omission items (their
// "records", which are the item's Records in order), a pair's explanation,
// the "sides" of a two-record item when their fingerprints are the
// clustering's, and the source, edition, record_ref, fingerprint, location
// and raw row of the records other kinds list. A rebuild at a million
// records thus writes (and compares) about a hundred bytes per item, not
// kilobytes.
func Build(in Input) []roster.ReviewItem {
	ix := newIndex(in)
	ix.gate = true
	// The records and memberships are in the index now; at a million
	// records, the memory counts.
	in.Records, in.Members = nil, nil
	// The builders only read the index: conflicts and the per-group and
	// per-edition kinds are built alongside the pairs and omissions.
	var others []roster.ReviewItem
	done := make(chan struct{})
	go func() {
		defer close(done)
		others = conflictItems(ix, nil)
		others = append(others, groupGapItems(ix)...)
		others = append(others, unknownGroupItems(ix)...)
		others = append(others, changeItems(ix)...)
	}()
	// Most items are pairs, conflicts and omissions (about 1.8 per person
	// on the test data at a million records).
	items := make([]roster.ReviewItem, 0, len(in.Pairs)+len(ix.personIDs)*3/2)
	items, pending := pairItems(ix, in.Pairs, items)
	in.Pairs = nil
	items = omissionItems(ix, pending, items)
	<-done
	items = append(items, others...)
	items = append(items, scopeItems(ix, ix.pendOmit, ix.pendGap)...)
	sort.Sort(byKey(items))
	return items
}

type byKey []roster.ReviewItem

func (s byKey) Len() int           { return len(s) }
func (s byKey) Less(i, j int) bool { return s[i].Key < s[j].Key }
func (s byKey) Swap(i, j int)      { s[i], s[j] = s[j], s[i] }

// RecordView is a record as shown in an item's payload. Payloads are
// stored lean (see record): the store adds Source, Edition, RecordRef,
// Fingerprint, Aliases, Location and Raw back when it shows an item.
type RecordView = roster.RecordView

func view(x *rec) RecordView {
	return RecordView{Ref: x.key, Source: x.Source, Edition: x.Edition, RecordRef: x.Ref, PersonID: x.person,
		Fingerprint: x.fp, Name: x.Name, BirthYear: x.BirthYear, BirthDate: x.BirthDate, Gender: x.Gender,
		Group: x.Group, GroupRaw: x.GroupRaw, Case: x.Case, ArrestDate: x.ArrestDate, Sentence: x.Sentence,
		Status: x.Status, Location: x.Location, Raw: x.Raw}
}

// record writes a record as payloads store it: the fields of RecordView an
// analyst compares, in its order. What the reference, the records table
// and the clustering give (source, edition, record_ref, fingerprint,
// location, raw) is left to the store to add at display time.
func (w *jsonw) record(x *rec) {
	w.open()
	w.str("ref", x.key)
	w.strOmit("person_id", x.person)
	w.str("name", x.Name)
	if x.BirthYear != 0 {
		w.int("birth_year", x.BirthYear)
	}
	w.strOmit("birth_date", x.BirthDate)
	w.strOmit("gender", x.Gender)
	w.strOmit("group", x.Group)
	w.strOmit("group_raw", x.GroupRaw)
	w.strOmit("case", x.Case)
	w.strOmit("arrest_date", x.ArrestDate)
	w.strOmit("sentence", x.Sentence)
	w.strOmit("status", x.Status)
	w.close()
}

func (w *jsonw) records(k string, xs []*rec) {
	w.key(k)
	if xs == nil {
		w.b = append(w.b, "null"...)
		w.first = false
		return
	}
	w.openArray()
	for _, x := range xs {
		w.elem()
		w.record(x)
	}
	w.closeArray()
}

// sides writes what the store reads back to record a pair decision: the
// records and the fingerprints the build saw. It writes nothing when the
// fingerprints are the clustering's, which the store looks up instead
// (and shows as the sides).
func (w *jsonw) sides(xs ...*rec) {
	clustered := true
	for _, x := range xs {
		clustered = clustered && x.clusterFP
	}
	if clustered {
		return
	}
	w.key("sides")
	w.openArray()
	for _, x := range xs {
		w.elem()
		w.open()
		w.str("source", x.Source)
		w.str("edition", x.Edition)
		w.str("ref", x.Ref)
		w.str("fingerprint", x.fp)
		w.close()
	}
	w.closeArray()
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("review: payload: %v", err)) // only plain values are marshalled
	}
	return string(b)
}

// pairItems appends match and duplicate items from the scored pairs to
// out. It also returns, for omissionItems, the persons in a pending review
// pair (one not decided "different") and the sources whose latest edition
// may list them.
func pairItems(ix *index, pairs []Pair, out []roster.ReviewItem) ([]roster.ReviewItem, map[personSource]bool) {
	seen := make(map[string]bool, len(pairs))
	pending := map[personSource]bool{}
	var w jsonw
	for _, p := range pairs {
		if p.Band != BandReview && p.Band != BandDuplicate {
			continue
		}
		a, oka := ix.lookup(p.A)
		b, okb := ix.lookup(p.B)
		if !oka || !okb {
			continue // records gone since the run
		}
		d, decided := ix.decisionFor(a, b)
		if p.Band == BandReview && ix.clustered && !(decided && d.Verdict == roster.VerdictDifferent) {
			for _, xy := range [2][2]*rec{{a, b}, {b, a}} {
				if x, y := xy[0], xy[1]; x.person != "" && y.latest {
					pending[personSource{x.pidx, y.src}] = true
				}
			}
		}
		if !a.latest && !b.latest {
			continue // superseded on both sides
		}
		if b.key < a.key {
			a, b = b, a
		}
		kind := roster.KindMatch
		if p.Band == BandDuplicate || (a.Source == b.Source && a.Edition == b.Edition) {
			kind = roster.KindDuplicate
		}
		key := kind + ":" + a.key + "|" + b.key
		if seen[key] {
			continue
		}
		seen[key] = true
		// The keys sorted, as encoding/json sorts a map's; the records
		// and the explanation are the store's to add (see Build).
		w.b = w.b[:0]
		w.open()
		w.strs("persons", []string{a.person, b.person})
		w.float("probability", p.Probability)
		w.bool("same_person", a.person != "" && a.person == b.person)
		w.sides(a, b)
		w.close()
		it := roster.ReviewItem{Key: key, Kind: kind, Records: []string{a.key, b.key}, Payload: w.String()}
		if kind == roster.KindDuplicate {
			it.Source = a.Source
			it.Title = duplicateTitle(a, b, p.Probability)
			it.Impact = 55
		} else {
			it.Title = matchTitle(ix, a, b, p.Probability)
			it.Impact = 50 + 10*p.Probability
		}
		if a.person != "" && a.person == b.person {
			it.PersonID = a.person
		}
		if decided {
			it.DecisionID = d.ID
		}
		out = append(out, it)
	}
	return out, pending
}

// duplicateTitle is
//
//	fmt.Sprintf("%s lists %q (%s) and %q (%s): the same person twice? (p=%.2f)",
//		a.Source, a.Name, a.Ref, b.Name, b.Ref, p)
//
// without fmt, which a million titles notice.
func duplicateTitle(a, b *rec, p float64) string {
	t := make([]byte, 0, 64+len(a.Name)+len(b.Name))
	t = append(t, a.Source...)
	t = append(t, " lists "...)
	t = strconv.AppendQuote(t, a.Name)
	t = append(t, " ("...)
	t = append(t, a.Ref...)
	t = append(t, ") and "...)
	t = strconv.AppendQuote(t, b.Name)
	t = append(t, " ("...)
	t = append(t, b.Ref...)
	t = append(t, "): the same person twice? (p="...)
	t = strconv.AppendFloat(t, p, 'f', 2, 64)
	return string(append(t, ')'))
}

// matchTitle is
//
//	fmt.Sprintf("Is %q (%s) the same person as %q (%s)? p=%.2f", a.Name, ix.short(a.key), b.Name, ix.short(b.key), p)
//
// without fmt.
func matchTitle(ix *index, a, b *rec, p float64) string {
	t := make([]byte, 0, 64+len(a.Name)+len(b.Name))
	t = append(t, "Is "...)
	t = strconv.AppendQuote(t, a.Name)
	t = append(t, " ("...)
	t = ix.appendShort(t, a)
	t = append(t, ") the same person as "...)
	t = strconv.AppendQuote(t, b.Name)
	t = append(t, " ("...)
	t = ix.appendShort(t, b)
	t = append(t, ")? p="...)
	t = strconv.AppendFloat(t, p, 'f', 2, 64)
	return string(t)
}

// appendShort appends ix.short(x.key) to t.
func (ix *index) appendShort(t []byte, x *rec) []byte {
	if x.Source == "" || x.Edition == "" || x.Ref == "" || strings.ContainsAny(x.Source, ":@") || strings.ContainsRune(x.Edition, ':') {
		return append(t, ix.short(x.key)...) // what parsing the key gives
	}
	t = append(t, x.Source...)
	if len(ix.editions[x.Source]) > 1 {
		t = append(t, '@')
		t = append(t, x.Edition...)
	}
	t = append(t, ':')
	return append(t, x.Ref...)
}

// personSource is a person and a source that may list them: indexes into
// personIDs and sources.
type personSource [2]int32

// omissionItems appends to out an item for each person listed in the
// latest edition of at least OmissionMinSources other sources but absent
// from a source's latest edition. It leaves out a source whose latest
// edition predates every known arrest date of the person (the list could
// not have listed them), and a source whose latest edition has a record in
// a pending review pair with the person (maybe, from pairItems: the
// match item asks that question first).
func omissionItems(ix *index, maybe map[personSource]bool, out []roster.ReviewItem) []roster.ReviewItem {
	if !ix.clustered {
		return out
	}
	var w jsonw
	var listed []*rec // the first latest record of each source listing the person, by source
	var by []string   // their sources
	var rs []*rec
	for k, pid := range ix.personIDs {
		rs = ix.appendLatestOf(rs[:0], ix.byPerson[k])
		listed, by = listed[:0], by[:0]
		arrest := ""
		for _, x := range rs {
			if !listedBy(listed, x.Source) {
				listed = append(listed, x)
			}
			if x.ArrestDate != "" && (arrest == "" || x.ArrestDate < arrest) {
				arrest = x.ArrestDate
			}
		}
		sort.Slice(listed, func(i, j int) bool { return listed[i].Source < listed[j].Source })
		for _, x := range listed {
			by = append(by, x.Source)
		}
		if len(listed) < ix.opts.OmissionMinSources {
			continue
		}
		for j, src := range ix.sources {
			if contains(by, src) {
				continue
			}
			if arrest != "" && ix.latest[src] < arrest {
				continue // the list predates the arrest
			}
			if maybe[personSource{int32(k), int32(j)}] {
				continue
			}
			sc := ix.scopeOf(src)
			if sc == nil && ix.gate {
				n := ix.pendOmit[src]
				if n == nil {
					n = &scopeNote{}
					ix.pendOmit[src] = n
				}
				n.omissions++
				if len(n.examples) < scopeExamples {
					n.examples = append(n.examples, scopeExample{PersonID: pid, Name: ix.nameOf(pid, listed[0]), ListedBy: slices.Clone(by)})
				}
				continue
			}
			if sc != nil && !ix.covers(sc, rs) {
				continue // the list does not mean to cover them
			}
			keys := make([]string, len(listed))
			grp := ""
			for i, x := range listed {
				keys[i] = x.key
				if grp == "" && x.Group != "" {
					grp = x.Group
				}
			}
			// Was the person in an earlier edition of src?
			var earlier []string
			for _, i := range ix.byPerson[k] {
				if x := &ix.recs[i]; x.Source == src {
					earlier = append(earlier, x.key)
				}
			}
			sort.Strings(earlier)
			w.b = w.b[:0]
			w.open()
			w.strs("earlier_editions", earlier)
			w.str("edition", ix.latest[src])
			w.strs("listed_by", by)
			w.str("person_id", pid)
			w.str("source", src)
			w.close()
			title := fmt.Sprintf("%s does not list %s %s (%s), listed by %s", src, pid, ix.display(pid, listed[0]), orDash(groupLabel(grp)),
				strings.Join(by, ", "))
			if len(earlier) > 0 {
				title += "; it did in " + ix.short(earlier[len(earlier)-1])
			}
			out = append(out, roster.ReviewItem{
				Key:      "omission:" + src + ":" + pid,
				Kind:     roster.KindOmission,
				Source:   src,
				Group:    grp,
				PersonID: pid,
				Records:  keys,
				Title:    title,
				Payload:  w.String(),
				Impact:   60 + 10*float64(len(by)),
			})
		}
	}
	return out
}

// nameOf is a person's canonical name, else the name x writes.
func (ix *index) nameOf(pid string, x *rec) string {
	if n := ix.names[pid]; n != "" {
		return n
	}
	return x.Name
}

// display names a person in a title: the canonical name, with the
// record's own spelling beside it when it differs
// (Qasımov Orxan Elman oğlu ("Gasymov Orkhan" in ipm)); without a
// canonical name, the record's spelling quoted.
func (ix *index) display(pid string, x *rec) string { return ix.displayName(pid, x.Name, x.Source) }

// displayName is display for a name as a source writes it.
func (ix *index) displayName(pid, name, source string) string {
	n := ix.names[pid]
	if n == "" {
		return strconv.Quote(name)
	}
	if strings.EqualFold(strings.Join(strings.Fields(n), " "), strings.Join(strings.Fields(name), " ")) {
		return n
	}
	return n + " (" + strconv.Quote(name) + " in " + source + ")"
}

func listedBy(xs []*rec, source string) bool {
	for _, x := range xs {
		if x.Source == source {
			return true
		}
	}
	return false
}

func orDash(s string) string {
	if s == "" {
		return "no group"
	}
	return s
}

// unknownGroupItems flags group labels of latest editions that mapped to
// no group key, one item per source and label.
func unknownGroupItems(ix *index) []roster.ReviewItem {
	type acc struct {
		label string
		recs  []*rec
	}
	groups := map[string]*acc{}
	for i := range ix.recs {
		x := &ix.recs[i]
		if !x.latest || x.Group != "" || strings.TrimSpace(x.GroupRaw) == "" {
			continue
		}
		k := x.Source + ":" + foldText(x.GroupRaw)
		a, ok := groups[k]
		if !ok {
			a = &acc{label: strings.TrimSpace(x.GroupRaw)}
			groups[k] = a
		}
		a.recs = append(a.recs, x)
	}
	var out []roster.ReviewItem
	for _, k := range sortedKeys(groups) {
		a := groups[k]
		keys := make([]string, len(a.recs))
		for i, x := range a.recs {
			keys[i] = x.key
		}
		src := a.recs[0].Source
		n := len(a.recs)
		var w jsonw
		w.open()
		w.str("edition", ix.latest[src])
		w.strs("groups", roster.Groups)
		w.str("label", a.label)
		w.records("records", a.recs)
		w.str("source", src)
		w.close()
		out = append(out, roster.ReviewItem{
			Key:     "unknown-group:" + k,
			Kind:    roster.KindUnknownGroup,
			Source:  src,
			Records: keys,
			Title:   fmt.Sprintf("%s: group label %q maps to no group (%d %s)", src, a.label, n, plural(n, "record", "records")),
			Payload: w.String(),
			Impact:  40 + float64(min(n, 20)),
		})
	}
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
