package review

import (
	"fmt"
	"sort"
	"strings"

	"github.com/roster-coalition/roster/internal/roster"
)

// DiffEntry is one person added to or removed from a source between two
// editions.
type DiffEntry struct {
	// ID is the person ID where the record is matched, else its fingerprint.
	ID       string     `json:"id"`
	PersonID string     `json:"person_id,omitempty"`
	Record   RecordView `json:"record"`
	// ListedBy names the other sources whose latest edition lists the person.
	ListedBy []string `json:"listed_by,omitempty"`
}

// Diff says who a source added and removed between two editions.
type Diff struct {
	Source  string      `json:"source"`
	From    string      `json:"from"`
	To      string      `json:"to"`
	Added   []DiffEntry `json:"added"`
	Removed []DiffEntry `json:"removed"`
	Kept    int         `json:"kept"`
}

// Editions returns the editions of a source in the input, oldest first.
func Editions(in Input, source string) []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range in.Records {
		if r.Source == source && !seen[r.Edition] {
			seen[r.Edition] = true
			out = append(out, r.Edition)
		}
	}
	sort.Strings(out)
	return out
}

// DiffEditions compares two editions of a source. A record is the same
// entry in both editions when it belongs to the same person, or (before
// the first match, or where the matcher split them) has the same content
// fingerprint. from and to default to the two latest editions.
func DiffEditions(in Input, source, from, to string) (Diff, error) {
	ix := newIndex(in)
	eds := ix.editions[source]
	if len(eds) == 0 {
		return Diff{}, roster.Errorf(roster.ENOTFOUND, "no source %q", source)
	}
	if to == "" {
		to = eds[len(eds)-1]
	}
	if from == "" {
		for _, e := range eds {
			if e < to {
				from = e
			}
		}
		if from == "" {
			return Diff{}, roster.Errorf(roster.EINVALID, "%s has no edition before %s to compare with", source, to)
		}
	}
	for _, e := range []string{from, to} {
		if !contains(eds, e) {
			return Diff{}, roster.Errorf(roster.ENOTFOUND, "no edition %s@%s (editions: %s)", source, e, strings.Join(eds, ", "))
		}
	}
	return ix.diff(source, from, to), nil
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func (ix *index) diff(source, from, to string) Diff {
	d := Diff{Source: source, From: from, To: to, Added: []DiffEntry{}, Removed: []DiffEntry{}}
	var a, b []*rec
	for i := range ix.recs {
		x := &ix.recs[i]
		if x.Source != source {
			continue
		}
		switch x.Edition {
		case from:
			a = append(a, x)
		case to:
			b = append(b, x)
		}
	}
	idsOf := func(rs []*rec) (persons, fps map[string]bool) {
		persons, fps = map[string]bool{}, map[string]bool{}
		for _, x := range rs {
			if x.person != "" {
				persons[x.person] = true
			}
			fps[x.fp] = true
		}
		return persons, fps
	}
	pa, fa := idsOf(a)
	pb, fb := idsOf(b)
	entry := func(x *rec) DiffEntry {
		e := DiffEntry{ID: x.fp, PersonID: x.person, Record: view(x)}
		if x.person != "" {
			e.ID = x.person
			seen := map[string]bool{}
			for _, y := range ix.latestRecs(x.person) {
				if y.Source != source && !seen[y.Source] {
					seen[y.Source] = true
					e.ListedBy = append(e.ListedBy, y.Source)
				}
			}
		}
		return e
	}
	seen := map[string]bool{}
	for _, x := range a {
		if (x.person != "" && pb[x.person]) || fb[x.fp] {
			if !seen[x.person+x.fp] {
				d.Kept++
			}
			seen[x.person+x.fp] = true
			continue
		}
		e := entry(x)
		if !seen["-"+e.ID] {
			seen["-"+e.ID] = true
			d.Removed = append(d.Removed, e)
		}
	}
	for _, x := range b {
		if (x.person != "" && pa[x.person]) || fa[x.fp] {
			continue
		}
		e := entry(x)
		if !seen["+"+e.ID] {
			seen["+"+e.ID] = true
			d.Added = append(d.Added, e)
		}
	}
	return d
}

// changeItems makes one item per person added to or removed from a source
// between consecutive editions.
func changeItems(ix *index) []roster.ReviewItem {
	var out []roster.ReviewItem
	for _, src := range ix.sources {
		eds := ix.editions[src]
		for i := 1; i < len(eds); i++ {
			d := ix.diff(src, eds[i-1], eds[i])
			age := float64(len(eds) - 1 - i) // 0 for the latest pair
			for _, e := range d.Removed {
				others := "no other source lists them"
				if len(e.ListedBy) > 0 {
					others = "still listed by " + strings.Join(e.ListedBy, ", ")
				}
				out = append(out, changeItem(src, d, "removed", e, 25-5*age,
					fmt.Sprintf("%s@%s dropped %s %s (listed in %s); %s", src, d.To, orName(e), ix.displayName(e.PersonID, e.Record.Name, src),
						e.Record.Ref, others)))
			}
			for _, e := range d.Added {
				out = append(out, changeItem(src, d, "added", e, 20-5*age,
					fmt.Sprintf("%s@%s added %s %s (%s)", src, d.To, orName(e), ix.displayName(e.PersonID, e.Record.Name, src),
						orDash(groupLabel(e.Record.Group)))))
			}
		}
	}
	return out
}

func orName(e DiffEntry) string {
	if e.PersonID != "" {
		return e.PersonID
	}
	return "record " + e.Record.Ref
}

func changeItem(src string, d Diff, what string, e DiffEntry, impact float64, title string) roster.ReviewItem {
	return roster.ReviewItem{
		Key:      "change:" + src + "@" + d.To + ":" + what + ":" + e.ID,
		Kind:     roster.KindChange,
		Source:   src,
		Group:    e.Record.Group,
		PersonID: e.PersonID,
		Records:  []string{e.Record.Ref},
		Title:    title,
		Payload: mustJSON(map[string]any{"source": src, "from": d.From, "to": d.To, "change": what,
			"person_id": e.PersonID, "record": e.Record, "listed_by_others": e.ListedBy}),
		Impact: max(impact, 1),
	}
}
