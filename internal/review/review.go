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
	"sort"
	"strings"

	"github.com/roster-coalition/roster/internal/roster"
)

// Pair bands of the matcher that become items.
const (
	BandReview    = "review"
	BandDuplicate = "duplicate"
)

// Pair is a scored pair of records from the last match run.
type Pair struct {
	A, B        roster.Side
	Probability float64
	Band        string // review | duplicate (others are ignored)
	Explanation string // JSON from the matcher
}

// Options tune the builders. The zero value means the defaults.
type Options struct {
	// OmissionMinSources is how many other sources' latest editions must
	// list a person for their absence from a source to be an omission
	// (default 2).
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
}

func (o Options) withDefaults() Options {
	if o.OmissionMinSources <= 0 {
		o.OmissionMinSources = 2
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
	return o
}

// Input is everything the builders read.
type Input struct {
	Records   []roster.Record     // every record of every edition
	Members   []roster.Membership // the current clustering (empty before the first match)
	Pairs     []Pair              // scored pairs of the last run
	Decisions []roster.Decision   // active decisions
	// Fingerprint computes a record's content fingerprint when the
	// clustering does not give one (match.Fingerprint); nil falls back to
	// the record's reference.
	Fingerprint func(roster.Record) string
	Options     Options
}

// rec is a record with its place in the clustering.
type rec struct {
	roster.Record
	key    string // source@edition:ref
	person string // "" before the first match
	fp     string
	latest bool // in its source's latest edition
}

// index is the input arranged for the builders.
type index struct {
	recs      []rec
	byKey     map[string]int
	editions  map[string][]string // source -> editions, oldest first
	latest    map[string]string   // source -> latest edition
	sources   []string            // sorted
	persons   map[string][]int    // person -> records
	personIDs []string            // sorted
	clustered bool
	decisions []roster.Decision
	opts      Options
}

// Key returns a record's full reference, source@edition:ref.
func Key(source, edition, ref string) string { return roster.FormatRef(source, edition, ref, true) }

func newIndex(in Input) *index {
	ix := &index{byKey: map[string]int{}, editions: map[string][]string{}, latest: map[string]string{},
		persons: map[string][]int{}, decisions: in.Decisions, opts: in.Options.withDefaults()}
	mem := map[string]roster.Membership{}
	for _, m := range in.Members {
		mem[Key(m.Source, m.Edition, m.Ref)] = m
	}
	ix.clustered = len(in.Members) > 0
	seenEd := map[string]bool{}
	for _, r := range in.Records {
		k := Key(r.Source, r.Edition, r.Ref)
		if _, dup := ix.byKey[k]; dup {
			continue
		}
		x := rec{Record: r, key: k}
		if m, ok := mem[k]; ok {
			x.person, x.fp = m.PersonID, m.Fingerprint
		}
		if x.fp == "" {
			if in.Fingerprint != nil {
				x.fp = in.Fingerprint(r)
			} else {
				x.fp = "ref:" + r.Source + ":" + r.Ref
			}
		}
		ix.byKey[k] = len(ix.recs)
		ix.recs = append(ix.recs, x)
		if !seenEd[r.Source+"@"+r.Edition] {
			seenEd[r.Source+"@"+r.Edition] = true
			ix.editions[r.Source] = append(ix.editions[r.Source], r.Edition)
		}
	}
	for src, eds := range ix.editions {
		sort.Strings(eds)
		ix.latest[src] = eds[len(eds)-1]
		ix.sources = append(ix.sources, src)
	}
	sort.Strings(ix.sources)
	for i := range ix.recs {
		x := &ix.recs[i]
		x.latest = x.Edition == ix.latest[x.Source]
		if x.person != "" {
			if _, ok := ix.persons[x.person]; !ok {
				ix.personIDs = append(ix.personIDs, x.person)
			}
			ix.persons[x.person] = append(ix.persons[x.person], i)
		}
	}
	sort.Strings(ix.personIDs)
	return ix
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

// latestRecs returns the records of a person in latest editions, by source
// then reference.
func (ix *index) latestRecs(person string) []*rec {
	var out []*rec
	for _, i := range ix.persons[person] {
		if ix.recs[i].latest {
			out = append(out, &ix.recs[i])
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key < out[j].key })
	return out
}

// decisionFor returns the active decision on the pair (a, b), matched by
// reference or by fingerprint within a source, if any.
func (ix *index) decisionFor(a, b *rec) (roster.Decision, bool) {
	same := func(s roster.Side, x *rec) bool {
		if s.Source != x.Source {
			return false
		}
		return (s.Edition == x.Edition && s.Ref == x.Ref) || (s.Fingerprint != "" && s.Fingerprint == x.fp)
	}
	for i := len(ix.decisions) - 1; i >= 0; i-- {
		d := ix.decisions[i]
		if d.Undone || d.A.Source == "" {
			continue
		}
		if (same(d.A, a) && same(d.B, b)) || (same(d.A, b) && same(d.B, a)) {
			return d, true
		}
	}
	return roster.Decision{}, false
}

// Build returns the review items for the input, sorted by key. Items
// already settled by an active pair decision (made on an earlier item or
// with roster decide) carry its DecisionID.
func Build(in Input) []roster.ReviewItem {
	ix := newIndex(in)
	var items []roster.ReviewItem
	items = append(items, pairItems(ix, in.Pairs)...)
	items = append(items, conflictItems(ix)...)
	items = append(items, omissionItems(ix, in.Pairs)...)
	items = append(items, groupGapItems(ix)...)
	items = append(items, unknownGroupItems(ix)...)
	items = append(items, changeItems(ix)...)
	sort.Slice(items, func(i, j int) bool { return items[i].Key < items[j].Key })
	return items
}

// RecordView is a record as shown in an item's payload.
type RecordView struct {
	Ref         string `json:"ref"` // source@edition:ref
	Source      string `json:"source"`
	Edition     string `json:"edition"`
	RecordRef   string `json:"record_ref"`
	PersonID    string `json:"person_id,omitempty"`
	Fingerprint string `json:"fingerprint"`
	Name        string `json:"name"`
	BirthYear   int    `json:"birth_year,omitempty"`
	BirthDate   string `json:"birth_date,omitempty"`
	Gender      string `json:"gender,omitempty"`
	Group       string `json:"group,omitempty"`
	GroupRaw    string `json:"group_raw,omitempty"`
	Case        string `json:"case,omitempty"`
	ArrestDate  string `json:"arrest_date,omitempty"`
	Sentence    string `json:"sentence,omitempty"`
	Status      string `json:"status,omitempty"`
	Location    string `json:"location,omitempty"`
	Raw         string `json:"raw,omitempty"`
}

func view(x *rec) RecordView {
	return RecordView{Ref: x.key, Source: x.Source, Edition: x.Edition, RecordRef: x.Ref, PersonID: x.person,
		Fingerprint: x.fp, Name: x.Name, BirthYear: x.BirthYear, BirthDate: x.BirthDate, Gender: x.Gender,
		Group: x.Group, GroupRaw: x.GroupRaw, Case: x.Case, ArrestDate: x.ArrestDate, Sentence: x.Sentence,
		Status: x.Status, Location: x.Location, Raw: x.Raw}
}

// sideView is what the store reads back to record a pair decision.
type sideView struct {
	Source      string `json:"source"`
	Edition     string `json:"edition"`
	Ref         string `json:"ref"`
	Fingerprint string `json:"fingerprint"`
}

func sides(xs ...*rec) []sideView {
	out := make([]sideView, len(xs))
	for i, x := range xs {
		out[i] = sideView{x.Source, x.Edition, x.Ref, x.fp}
	}
	return out
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("review: payload: %v", err)) // only plain values are marshalled
	}
	return string(b)
}

// pairItems makes match and duplicate items from the scored pairs.
func pairItems(ix *index, pairs []Pair) []roster.ReviewItem {
	var out []roster.ReviewItem
	seen := map[string]bool{}
	for _, p := range pairs {
		if p.Band != BandReview && p.Band != BandDuplicate {
			continue
		}
		ia, oka := ix.byKey[Key(p.A.Source, p.A.Edition, p.A.Ref)]
		ib, okb := ix.byKey[Key(p.B.Source, p.B.Edition, p.B.Ref)]
		if !oka || !okb {
			continue // records gone since the run
		}
		a, b := &ix.recs[ia], &ix.recs[ib]
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
		var expl any = json.RawMessage(p.Explanation)
		if !json.Valid([]byte(p.Explanation)) {
			expl = p.Explanation
		}
		payload := map[string]any{
			"records":     []RecordView{view(a), view(b)},
			"sides":       sides(a, b),
			"probability": p.Probability,
			"explanation": expl,
			"persons":     []string{a.person, b.person},
			"same_person": a.person != "" && a.person == b.person,
		}
		it := roster.ReviewItem{Key: key, Kind: kind, Records: []string{a.key, b.key}, Payload: mustJSON(payload)}
		if kind == roster.KindDuplicate {
			it.Source = a.Source
			it.Title = fmt.Sprintf("%s lists %q (%s) and %q (%s): the same person twice? (p=%.2f)",
				a.Source, a.Name, a.Ref, b.Name, b.Ref, p.Probability)
			it.Impact = 55
		} else {
			it.Title = fmt.Sprintf("Is %q (%s) the same person as %q (%s)? p=%.2f", a.Name, ix.short(a.key), b.Name, ix.short(b.key), p.Probability)
			it.Impact = 50 + 10*p.Probability
		}
		if a.person != "" && a.person == b.person {
			it.PersonID = a.person
		}
		if d, ok := ix.decisionFor(a, b); ok {
			it.DecisionID = d.ID
		}
		out = append(out, it)
	}
	return out
}

// conflictItems flags persons whose sources' latest editions disagree on
// birth year, gender, group, case or status.
func conflictItems(ix *index) []roster.ReviewItem {
	type field struct {
		name   string
		impact float64
		value  func(*rec) (shown, norm string)
	}
	fields := []field{
		{"birth_year", 40, func(x *rec) (string, string) {
			if x.BirthYear == 0 {
				return "", ""
			}
			return fmt.Sprint(x.BirthYear), fmt.Sprint(x.BirthYear)
		}},
		{"gender", 35, func(x *rec) (string, string) { return x.Gender, x.Gender }},
		{"group", 45, func(x *rec) (string, string) { return x.Group, x.Group }},
		{"case", 30, func(x *rec) (string, string) { return x.Case, caseKey(x.Case) }},
		{"status", 45, func(x *rec) (string, string) { return x.Status, foldText(x.Status) }},
	}
	var out []roster.ReviewItem
	for _, pid := range ix.personIDs {
		rs := ix.latestRecs(pid)
		if len(rs) < 2 {
			continue
		}
		for _, f := range fields {
			type val struct {
				shown string
				recs  []*rec
			}
			vals := map[string]*val{}
			var norms []string
			for _, x := range rs {
				shown, norm := f.value(x)
				if norm == "" {
					continue
				}
				v, ok := vals[norm]
				if !ok {
					v = &val{shown: shown}
					vals[norm] = v
					norms = append(norms, norm)
				}
				v.recs = append(v.recs, x)
			}
			if len(norms) < 2 {
				continue
			}
			if f.name == "case" && casesOverlap(norms) {
				continue
			}
			sort.Strings(norms)
			var involved []*rec
			var shown []string
			bySource := map[string]string{}
			for _, n := range norms {
				shown = append(shown, vals[n].shown)
				for _, x := range vals[n].recs {
					involved = append(involved, x)
					bySource[x.Source] = vals[n].shown
				}
			}
			sort.Slice(involved, func(i, j int) bool { return involved[i].key < involved[j].key })
			var keys []string
			var views []RecordView
			for _, x := range involved {
				keys = append(keys, x.key)
				views = append(views, view(x))
			}
			var parts []string
			for _, src := range sortedKeys(bySource) {
				parts = append(parts, src+": "+bySource[src])
			}
			payload := map[string]any{"person_id": pid, "field": f.name, "values": shown, "by_source": bySource, "records": views}
			if len(involved) == 2 {
				payload["sides"] = sides(involved[0], involved[1])
			}
			it := roster.ReviewItem{
				Key:      "conflict:" + pid + ":" + f.name + ":" + strings.Join(norms, "|"),
				Kind:     roster.KindConflict,
				PersonID: pid,
				Records:  keys,
				Title:    fmt.Sprintf("%s %q: lists disagree on %s (%s)", pid, involved[0].Name, strings.ReplaceAll(f.name, "_", " "), strings.Join(parts, "; ")),
				Payload:  mustJSON(payload),
				Impact:   f.impact,
			}
			if f.name == "group" {
				it.Group = norms[0]
			}
			out = append(out, it)
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// omissionItems flags a person listed in the latest edition of at least
// OmissionMinSources other sources but absent from a source's latest
// edition. It leaves out a source whose latest edition predates every
// known arrest date of the person (the list could not have listed them),
// and a source whose latest edition has a record in a pending review pair
// with the person (the match item asks that question first).
func omissionItems(ix *index, pairs []Pair) []roster.ReviewItem {
	if !ix.clustered {
		return nil
	}
	// Pending review pairs: person -> sources it may be listed by.
	maybe := map[string]map[string]string{}
	for _, p := range pairs {
		if p.Band != BandReview {
			continue
		}
		ia, oka := ix.byKey[Key(p.A.Source, p.A.Edition, p.A.Ref)]
		ib, okb := ix.byKey[Key(p.B.Source, p.B.Edition, p.B.Ref)]
		if !oka || !okb {
			continue
		}
		a, b := &ix.recs[ia], &ix.recs[ib]
		if d, ok := ix.decisionFor(a, b); ok && d.Verdict == roster.VerdictDifferent {
			continue
		}
		for _, xy := range [][2]*rec{{a, b}, {b, a}} {
			x, y := xy[0], xy[1]
			if x.person == "" || !y.latest {
				continue
			}
			if maybe[x.person] == nil {
				maybe[x.person] = map[string]string{}
			}
			maybe[x.person][y.Source] = y.key
		}
	}
	var out []roster.ReviewItem
	for _, pid := range ix.personIDs {
		rs := ix.latestRecs(pid)
		listed := map[string]*rec{}
		arrest := ""
		for _, x := range rs {
			if _, ok := listed[x.Source]; !ok {
				listed[x.Source] = x
			}
			if x.ArrestDate != "" && (arrest == "" || x.ArrestDate < arrest) {
				arrest = x.ArrestDate
			}
		}
		if len(listed) < ix.opts.OmissionMinSources {
			continue
		}
		for _, src := range ix.sources {
			if listed[src] != nil {
				continue
			}
			if arrest != "" && ix.latest[src] < arrest {
				continue // the list predates the arrest
			}
			if _, ok := maybe[pid][src]; ok {
				continue
			}
			var by []string
			var views []RecordView
			var keys []string
			for _, s := range sortedKeys(listed) {
				by = append(by, s)
				views = append(views, view(listed[s]))
				keys = append(keys, listed[s].key)
			}
			// Was the person in an earlier edition of src?
			var earlier []string
			for _, i := range ix.persons[pid] {
				if x := ix.recs[i]; x.Source == src {
					earlier = append(earlier, x.key)
				}
			}
			sort.Strings(earlier)
			x := listed[by[0]]
			grp := ""
			for _, v := range views {
				if v.Group != "" {
					grp = v.Group
					break
				}
			}
			payload := map[string]any{"person_id": pid, "source": src, "edition": ix.latest[src], "listed_by": by,
				"records": views, "earlier_editions": earlier}
			title := fmt.Sprintf("%s does not list %s %q (%s), listed by %s", src, pid, x.Name, orDash(groupLabel(grp)), strings.Join(by, ", "))
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
				Payload:  mustJSON(payload),
				Impact:   60 + 10*float64(len(by)),
			})
		}
	}
	return out
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
		var keys []string
		var views []RecordView
		for _, x := range a.recs {
			keys = append(keys, x.key)
			views = append(views, view(x))
		}
		src := a.recs[0].Source
		n := len(a.recs)
		out = append(out, roster.ReviewItem{
			Key:     "unknown-group:" + k,
			Kind:    roster.KindUnknownGroup,
			Source:  src,
			Records: keys,
			Title:   fmt.Sprintf("%s: group label %q maps to no group (%d %s)", src, a.label, n, plural(n, "record", "records")),
			Payload: mustJSON(map[string]any{"source": src, "edition": ix.latest[src], "label": a.label, "records": views,
				"groups": roster.Groups}),
			Impact: 40 + float64(min(n, 20)),
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
