package review

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/roster-coalition/roster/internal/roster"
)

// conflictField is a field the sources' latest editions may disagree on.
type conflictField struct {
	name   string
	impact float64
	value  func(*index, *rec) (shown, norm string)
}

var conflictFields = []conflictField{
	{"birth_year", 40, func(_ *index, x *rec) (string, string) {
		if x.BirthYear == 0 {
			return "", ""
		}
		s := strconv.Itoa(x.BirthYear)
		return s, s
	}},
	{"gender", 35, func(_ *index, x *rec) (string, string) { return x.Gender, x.Gender }},
	{"group", 45, func(_ *index, x *rec) (string, string) { return x.Group, x.Group }},
	{"case", 30, func(ix *index, x *rec) (string, string) { return x.Case, memo(ix.caseKeys, x.Case, caseKey) }},
	{"status", 45, func(ix *index, x *rec) (string, string) { return x.Status, memo(ix.folded, x.Status, foldText) }},
}

// memo returns f(s) ("" for ""), computed once per distinct s.
func memo(m map[string]string, s string, f func(string) string) string {
	if s == "" {
		return ""
	}
	v, ok := m[s]
	if !ok {
		v = f(s)
		m[s] = v
	}
	return v
}

// conflictItems appends to out an item for each person whose sources'
// latest editions disagree on birth year, gender, group, case or status.
func conflictItems(ix *index, out []roster.ReviewItem) []roster.ReviewItem {
	type val struct {
		shown, norm string
		x           *rec
	}
	var vals []val
	var w jsonw
	var rs []*rec
	for k, pid := range ix.personIDs {
		rs = ix.appendLatestOf(rs[:0], ix.byPerson[k])
		if len(rs) < 2 {
			continue
		}
		for _, f := range conflictFields {
			// The values, in record order; most persons agree, and
			// nothing more is built for them.
			vals = vals[:0]
			distinct := 0
			for _, x := range rs {
				shown, norm := f.value(ix, x)
				if norm == "" {
					continue
				}
				if len(vals) > 0 && norm != vals[0].norm && distinct == 0 {
					distinct = 1
				}
				vals = append(vals, val{shown, norm, x})
			}
			if distinct == 0 {
				continue
			}
			// The distinct values (the first spelling of each), sorted.
			shownOf := map[string]string{}
			var norms []string
			for _, v := range vals {
				if _, ok := shownOf[v.norm]; !ok {
					shownOf[v.norm] = v.shown
					norms = append(norms, v.norm)
				}
			}
			if f.name == "case" && casesOverlap(norms) {
				continue
			}
			sort.Strings(norms)
			var involved []*rec
			var shown []string
			bySource := map[string]string{}
			for _, n := range norms {
				shown = append(shown, shownOf[n])
				for _, v := range vals {
					if v.norm == n {
						involved = append(involved, v.x)
						bySource[v.x.Source] = shownOf[n]
					}
				}
			}
			sort.Slice(involved, func(i, j int) bool { return involved[i].key < involved[j].key })
			keys := make([]string, len(involved))
			for i, x := range involved {
				keys[i] = x.key
			}
			var parts []string
			for _, src := range sortedKeys(bySource) {
				parts = append(parts, src+": "+bySource[src])
			}
			w.b = w.b[:0]
			w.open()
			w.strMap("by_source", bySource)
			w.str("field", f.name)
			w.str("person_id", pid)
			if len(involved) == 2 {
				w.sides(involved[0], involved[1])
			}
			w.strs("values", shown)
			w.close()
			it := roster.ReviewItem{
				Key:      "conflict:" + pid + ":" + f.name + ":" + strings.Join(norms, "|"),
				Kind:     roster.KindConflict,
				PersonID: pid,
				Records:  keys,
				Title:    fmt.Sprintf("%s %s: lists disagree on %s (%s)", pid, ix.display(pid, involved[0]), strings.ReplaceAll(f.name, "_", " "), strings.Join(parts, "; ")),
				Payload:  w.String(),
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
