package review

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/roster-coalition/roster/internal/names"
	"github.com/roster-coalition/roster/internal/roster"
)

// groupLabels are the groups as a press release names them.
var groupLabels = map[string]string{
	roster.GroupReligious:       "religious believers",
	roster.GroupOpposition:      "opposition and civil-society activists",
	roster.GroupJournalist:      "journalists and bloggers",
	roster.GroupRightsDefender:  "human rights defenders",
	roster.GroupEthnicMinority:  "ethnic-minority activists",
	roster.GroupAntiWar:         "anti-war activists",
	roster.GroupDeportedRefugee: "political refugees deported from abroad",
	roster.GroupLifeSentence:    "people serving life sentences",
	roster.GroupSoyudlu:         "people held in the Soyudlu case",
	roster.GroupImishli:         "people arrested over the Imishli protest",
	roster.GroupTartar:          "people convicted in the Tartar case",
	roster.GroupGanja:           "people imprisoned in the Ganja case",
}

// GroupLabel returns the English label of a group key ("anti-war" ->
// "anti-war activists"); "" for "" and the key itself when unknown.
func GroupLabel(key string) string {
	if l, ok := groupLabels[key]; ok {
		return l
	}
	return key
}

func groupLabel(key string) string { return GroupLabel(key) }

// foldText folds free text for comparison: Latin script, lower case,
// letters and digits only, single spaces.
func foldText(s string) string {
	s = strings.ToLower(names.ToLatin(s))
	f := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	return strings.Join(f, " ")
}

// caseKey folds a case name and drops filler words, so that "the Abzas
// Media case" meets "Abzas media".
func caseKey(s string) string {
	var toks []string
	for _, w := range strings.Fields(foldText(s)) {
		switch w {
		case "case", "the", "of", "işi", "isi", "iş", "is", "delo", "po", "delu", "cinayət", "cinayet", "criminal", "işi̇":
			continue
		}
		toks = append(toks, w)
	}
	return strings.Join(toks, " ")
}

// casesOverlap reports whether every two case keys are nested (the words
// of one are among the words of the other): a longer name of the same case
// is not a conflict.
func casesOverlap(keys []string) bool {
	sub := func(a, b string) bool {
		set := map[string]bool{}
		for _, w := range strings.Fields(b) {
			set[w] = true
		}
		for _, w := range strings.Fields(a) {
			if !set[w] {
				return false
			}
		}
		return true
	}
	for i := range keys {
		for j := i + 1; j < len(keys); j++ {
			if !sub(keys[i], keys[j]) && !sub(keys[j], keys[i]) {
				return false
			}
		}
	}
	return true
}

// groupCounts returns, per source, the number of persons (records before
// the first match) its latest edition lists under each group key ("" for
// unmapped or missing groups), and who they are.
func (ix *index) groupCounts() map[string]map[string][]string {
	out := map[string]map[string][]string{}
	type sgi struct{ source, group, id string }
	seen := map[sgi]bool{}
	for _, src := range ix.sources {
		out[src] = map[string][]string{}
	}
	for i := range ix.recs {
		x := &ix.recs[i]
		if !x.latest {
			continue
		}
		id := x.person
		if id == "" {
			id = x.key
		}
		k := sgi{x.Source, x.Group, id}
		if seen[k] {
			continue
		}
		seen[k] = true
		out[x.Source][x.Group] = append(out[x.Source][x.Group], id)
	}
	return out
}

func median(xs []int) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]int(nil), xs...)
	sort.Ints(s)
	n := len(s)
	if n%2 == 1 {
		return float64(s[n/2])
	}
	return float64(s[n/2-1]+s[n/2]) / 2
}

// groupGapItems flags a group for which a source's latest edition lists
// none while some other source lists at least GapMinOthers and the other
// sources' median is at least 1, or lists some but "far fewer": at most
// GapRatio × the other sources' median and at least GapMinShortfall below
// it. Counts are persons (distinct within a list) under the source's own
// group labels; the payload says which of the others' persons the source
// does list, under another group, so a labelling difference is told apart
// from a real omission.
func groupGapItems(ix *index) []roster.ReviewItem {
	if len(ix.sources) < 2 {
		return nil
	}
	counts := ix.groupCounts()
	var out []roster.ReviewItem
	for _, src := range ix.sources {
		sc := ix.scopeOf(src)
		// keep says whether a person the others list is one src's scope
		// covers (every person when it restricts only groups).
		var keep func(string) bool // nil: every person
		if sc != nil && ix.clustered && (len(sc.Cases) > 0 || sc.From != "" || sc.To != "" || sc.Country != "") {
			keep = func(id string) bool { return ix.covers(sc, ix.latestRecs(id)) }
		}
		for _, g := range roster.Groups {
			if sc != nil && len(sc.Groups) > 0 && !contains(sc.Groups, g) {
				continue // not a group the list covers
			}
			n := len(counts[src][g])
			var others []int
			maxOther := 0
			byOther := map[string]int{}
			for _, o := range ix.sources {
				if o == src {
					continue
				}
				c := len(counts[o][g])
				if keep != nil {
					c = 0
					for _, id := range counts[o][g] {
						if keep(id) {
							c++
						}
					}
				}
				others = append(others, c)
				byOther[o] = c
				maxOther = max(maxOther, c)
			}
			med := median(others)
			var gap bool
			if n == 0 {
				gap = maxOther >= ix.opts.GapMinOthers && med >= 1
			} else {
				gap = float64(n) <= ix.opts.GapRatio*med && med-float64(n) >= float64(ix.opts.GapMinShortfall)
			}
			if !gap {
				continue
			}
			if sc == nil && ix.gate {
				note := ix.pendGap[src]
				if note == nil {
					note = &scopeNote{}
					ix.pendGap[src] = note
				}
				note.gaps = append(note.gaps, g)
				continue
			}
			out = append(out, gapItem(ix, src, g, n, med, byOther, counts, keep))
		}
	}
	return out
}

func gapItem(ix *index, src, g string, n int, med float64, byOther map[string]int, counts map[string]map[string][]string,
	keep func(string) bool) roster.ReviewItem {
	// The persons others list in g, and where src has them.
	type person struct {
		PersonID string   `json:"person_id"`
		Name     string   `json:"name"`
		ListedBy []string `json:"listed_by"`
		// InSource is the group src lists them under ("" = not listed at all).
		InSource string `json:"in_source,omitempty"`
		Listed   bool   `json:"listed_by_source"`
	}
	// Every person is counted; the payload lists (and the item names the
	// records of) the first GapMaxPersons by ID, so that a gap of a
	// hundred thousand does not make a payload of megabytes.
	var persons []person
	var records []string
	total, missing, elsewhere := 0, 0, 0
	if ix.clustered {
		ids := map[string][]string{}
		for _, o := range sortedKeys(byOther) {
			for _, id := range counts[o][g] {
				if keep == nil || keep(id) {
					ids[id] = append(ids[id], o)
				}
			}
		}
		for _, id := range sortedKeys(ids) {
			p := person{PersonID: id, ListedBy: ids[id]}
			shown := total < ix.opts.GapMaxPersons
			for _, x := range ix.latestRecs(id) {
				if p.Name == "" {
					p.Name = ix.nameOf(id, x)
				}
				if x.Source == src {
					p.Listed, p.InSource = true, x.Group
				}
				if shown && x.Source != src && x.Group == g {
					records = append(records, x.key)
				}
			}
			if p.InSource == "" && p.Listed {
				p.InSource = "(no group)"
			}
			switch {
			case !p.Listed:
				missing++
			case p.InSource != g:
				elsewhere++
			}
			total++
			if shown {
				persons = append(persons, p)
			}
		}
	}
	lbl := groupLabel(g)
	var title string
	if n == 0 {
		title = fmt.Sprintf("%s lists no %s; %s", src, lbl, othersPhrase(byOther))
	} else {
		title = fmt.Sprintf("%s lists %d %s; %s (median %s)", src, n, lbl, othersPhrase(byOther), fmtMedian(med))
	}
	if ix.clustered && total > 0 {
		title += fmt.Sprintf(" — %s omits %d of the %d persons they list", src, missing, total)
		if elsewhere > 0 {
			title += fmt.Sprintf(" and files %d under another group", elsewhere)
		}
	}
	payload := map[string]any{"source": src, "edition": ix.latest[src], "group": g, "label": lbl, "count": n,
		"others": byOther, "others_median": med, "persons": persons, "listed_elsewhere": elsewhere, "omitted": missing}
	if len(persons) < total {
		payload["persons_total"] = total
	}
	return roster.ReviewItem{
		Key:     "group-gap:" + src + ":" + g,
		Kind:    roster.KindGroupGap,
		Source:  src,
		Group:   g,
		Records: records,
		Title:   title,
		Payload: mustJSON(payload),
		Impact:  100 + med - float64(n),
	}
}

func fmtMedian(m float64) string {
	if m == float64(int(m)) {
		return fmt.Sprint(int(m))
	}
	return fmt.Sprintf("%.1f", m)
}

// othersPhrase says what the other sources list: "ipm and hrc list 2, abc
// lists 1" (sources with none are left out).
func othersPhrase(by map[string]int) string {
	byCount := map[int][]string{}
	var cs []int
	for _, s := range sortedKeys(by) {
		c := by[s]
		if c == 0 {
			continue
		}
		if _, ok := byCount[c]; !ok {
			cs = append(cs, c)
		}
		byCount[c] = append(byCount[c], s)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(cs)))
	var parts []string
	for _, c := range cs {
		ss := byCount[c]
		verb := "lists"
		if len(ss) > 1 {
			verb = "list"
		}
		who := ss[0]
		if len(ss) > 1 {
			who = strings.Join(ss[:len(ss)-1], ", ") + " and " + ss[len(ss)-1]
		}
		parts = append(parts, fmt.Sprintf("%s %s %d", who, verb, c))
	}
	if len(parts) == 0 {
		return "no other source lists any"
	}
	return strings.Join(parts, ", ")
}

// Tally is the table a press release quotes: persons per group per source
// (latest editions) and in the unified registry.
type Tally struct {
	Sources   []string          `json:"sources"`
	Editions  map[string]string `json:"editions"`  // source -> latest edition
	Clustered bool              `json:"clustered"` // false before the first match: counts are records, no registry column
	Rows      []TallyRow        `json:"rows"`      // the 12 groups in display order, then "unknown" (if any), then "total"
}

// TallyRow is one group's counts.
type TallyRow struct {
	Group    string         `json:"group"` // key, "unknown" or "total"
	Label    string         `json:"label"`
	BySource map[string]int `json:"by_source"`
	Registry int            `json:"registry"` // persons in the unified registry whose group this is
	Min      int            `json:"min"`      // smallest count among sources
	Max      int            `json:"max"`
	Spread   int            `json:"spread"` // max - min
	// Gaps names the sources whose count is a group gap.
	Gaps []string `json:"gaps,omitempty"`
}

// Tallies counts persons per group per source (latest editions) and in
// the registry. A registry person is counted once, under the group most of
// their sources' latest editions give (ties: the first in display order);
// persons listed only in superseded editions are not counted.
func Tallies(in Input) Tally {
	ix := newIndex(in)
	counts := ix.groupCounts()
	t := Tally{Sources: ix.sources, Editions: ix.latest, Clustered: ix.clustered}
	if t.Sources == nil {
		t.Sources = []string{}
	}
	registry := map[string]int{}
	total := 0
	if ix.clustered {
		var rs []*rec
		for k := range ix.personIDs {
			rs = ix.appendLatestOf(rs[:0], ix.byPerson[k])
			if len(rs) == 0 {
				continue
			}
			total++
			votes := map[string]int{}
			for _, x := range rs {
				if x.Group != "" {
					votes[x.Group]++
				}
			}
			best, bestN := "", 0
			for _, g := range roster.Groups {
				if votes[g] > bestN {
					best, bestN = g, votes[g]
				}
			}
			registry[best]++
		}
	}
	gaps := map[string][]string{}
	for _, it := range groupGapItems(ix) {
		gaps[it.Group] = append(gaps[it.Group], it.Source)
	}
	mk := func(key, label string, count func(src string) int, reg int) TallyRow {
		r := TallyRow{Group: key, Label: label, BySource: map[string]int{}, Registry: reg, Gaps: gaps[key]}
		for i, src := range ix.sources {
			c := count(src)
			r.BySource[src] = c
			if i == 0 || c < r.Min {
				r.Min = c
			}
			r.Max = max(r.Max, c)
		}
		r.Spread = r.Max - r.Min
		return r
	}
	for _, g := range roster.Groups {
		t.Rows = append(t.Rows, mk(g, groupLabel(g), func(src string) int { return len(counts[src][g]) }, registry[g]))
	}
	unknown := registry[""] > 0
	for _, src := range ix.sources {
		unknown = unknown || len(counts[src][""]) > 0
	}
	if unknown {
		t.Rows = append(t.Rows, mk("unknown", "no or unmapped group", func(src string) int { return len(counts[src][""]) }, registry[""]))
	}
	t.Rows = append(t.Rows, mk("total", "all groups", func(src string) int {
		seen := map[string]bool{}
		for _, ids := range counts[src] {
			for _, id := range ids {
				seen[id] = true
			}
		}
		return len(seen)
	}, total))
	return t
}
