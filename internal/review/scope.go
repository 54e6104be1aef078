package review

import (
	"fmt"
	"strings"

	"github.com/roster-coalition/roster/internal/roster"
)

// Scope is what a source's list means to cover, as declared (see
// store.Scope). A source's latest edition takes its edition's scope, else
// the source's (Edition "").
type Scope struct {
	Source, Edition string
	Comprehensive   bool
	Groups          []string // group keys; none = every group
	Cases           []string // case names; none = every case
	From, To        string   // arrests in this period; "" = open
	Country         string   // where the persons are held; "" = anywhere
}

// restricts reports whether the scope limits what the list covers.
func (sc *Scope) restricts() bool {
	return len(sc.Groups) > 0 || len(sc.Cases) > 0 || sc.From != "" || sc.To != "" || sc.Country != ""
}

// scopeOf returns the scope of a source's latest edition, nil when it
// declares none.
func (ix *index) scopeOf(src string) *Scope {
	return ix.scopes[src]
}

func (ix *index) setScopes(scopes []Scope) {
	ix.scopes = map[string]*Scope{}
	for i := range scopes {
		sc := &scopes[i]
		if sc.Edition == "" {
			if _, ok := ix.scopes[sc.Source]; !ok {
				ix.scopes[sc.Source] = sc
			}
		}
	}
	for i := range scopes { // an edition's own scope wins
		sc := &scopes[i]
		if sc.Edition != "" && sc.Edition == ix.latest[sc.Source] {
			ix.scopes[sc.Source] = sc
		}
	}
}

// covers reports whether a scope covers a person, from the records other
// lists give of them. Each restriction must be met by what some record
// says: a group of the scope's, a case of its (nested names count), an
// arrest (the earliest known) within its period; a person about whom the
// records say nothing on a restricted point is not covered. A country is
// the other way round: a person is left out only when a record places
// them in another country.
func (ix *index) covers(sc *Scope, rs []*rec) bool {
	if sc == nil {
		return false
	}
	if !sc.restricts() {
		return true
	}
	if len(sc.Groups) > 0 {
		ok := false
		for _, x := range rs {
			ok = ok || (x.Group != "" && contains(sc.Groups, x.Group))
		}
		if !ok {
			return false
		}
	}
	if len(sc.Cases) > 0 {
		ok := false
		for _, x := range rs {
			if x.Case == "" {
				continue
			}
			ck := memo(ix.caseKeys, x.Case, caseKey)
			for _, c := range sc.Cases {
				if casesOverlap([]string{ck, caseKey(c)}) {
					ok = true
				}
			}
		}
		if !ok {
			return false
		}
	}
	if sc.From != "" || sc.To != "" {
		arrest := ""
		for _, x := range rs {
			if x.ArrestDate != "" && (arrest == "" || x.ArrestDate < arrest) {
				arrest = x.ArrestDate
			}
		}
		if arrest == "" || !inPeriod(arrest, sc.From, sc.To) {
			return false
		}
	}
	if sc.Country != "" {
		want := countryOf(sc.Country)
		for _, x := range rs {
			if c := countryOf(x.Place); c != "" && want != "" && c != want {
				return false
			}
		}
	}
	return true
}

// inPeriod compares a (partial) date with a period's (partial) bounds at
// the precision each bound gives: 2023-11-20 is within 2023 to 2023-11.
func inPeriod(date, from, to string) bool {
	if from != "" && prefix(date, len(from)) < from {
		return false
	}
	if to != "" && prefix(date, len(to)) > to {
		return false
	}
	return true
}

func prefix(s string, n int) string {
	if len(s) < n {
		return s
	}
	return s[:n]
}

// countries names the countries a scope or a place of detention may name,
// in Azerbaijani, English and Russian (folded).
var countries = map[string][]string{
	"az": {"azerbaijan", "azərbaycan", "azerbaycan", "азербайджан"},
	"ru": {"russia", "rusiya", "россия", "russian federation"},
	"ge": {"georgia", "gürcüstan", "gurcustan", "грузия"},
	"tr": {"turkey", "türkiye", "türkiyə", "turkiye", "турция"},
	"ir": {"iran", "иран"},
	"ua": {"ukraine", "ukrayna", "украина"},
	"de": {"germany", "almaniya", "германия"},
	"fr": {"france", "fransa", "франция"},
	"by": {"belarus", "belarusiya", "беларусь"},
	"kz": {"kazakhstan", "qazaxıstan", "казахстан"},
}

// countryOf returns the code of the country a text names ("" when it
// names none): a code itself, or a name in one of three languages.
func countryOf(s string) string {
	t := strings.ToLower(strings.TrimSpace(s))
	if t == "" {
		return ""
	}
	if _, ok := countries[t]; ok {
		return t
	}
	for code, names := range countries {
		for _, n := range names {
			if strings.Contains(t, n) {
				return code
			}
		}
	}
	return ""
}

// scopeNote gathers, for a source without a declared scope, what would
// have been raised against it: the persons others list that it lacks,
// and the groups it lacks.
type scopeNote struct {
	omissions int
	examples  []scopeExample
	gaps      []string
}

type scopeExample struct {
	PersonID string   `json:"person_id"`
	Name     string   `json:"name"`
	ListedBy []string `json:"listed_by"`
}

const scopeExamples = 20

// scopeItems asks, once per source without a declared scope, whether its
// list means to cover everyone: until the answer (or a scope), no
// omission or group gap is raised against it.
func scopeItems(ix *index, omissions, gaps map[string]*scopeNote) []roster.ReviewItem {
	var out []roster.ReviewItem
	for _, src := range ix.sources {
		o, g := omissions[src], gaps[src]
		if o == nil && g == nil {
			continue
		}
		n := scopeNote{}
		if o != nil {
			n.omissions, n.examples = o.omissions, o.examples
		}
		if g != nil {
			n.gaps = g.gaps
		}
		var what []string
		if n.omissions > 0 {
			what = append(what, fmt.Sprintf("%d %s other lists name %s missing from it", n.omissions,
				plural(n.omissions, "person", "persons"), plural(n.omissions, "is", "are")))
		}
		if len(n.gaps) > 0 {
			var labels []string
			for _, gk := range n.gaps {
				labels = append(labels, groupLabel(gk))
			}
			what = append(what, "it lists few or no "+strings.Join(labels, ", "))
		}
		title := fmt.Sprintf("%s declares no scope: does its list mean to cover everyone? %s. Until it is confirmed "+
			"comprehensive or given a scope, no omission or group gap is raised against it", src, capitalise(strings.Join(what, "; ")))
		ex := n.examples
		if ex == nil {
			ex = []scopeExample{}
		}
		gl := n.gaps
		if gl == nil {
			gl = []string{}
		}
		out = append(out, roster.ReviewItem{
			Key:     "scope:" + src,
			Kind:    roster.KindScope,
			Source:  src,
			Title:   title,
			Payload: mustJSON(map[string]any{"source": src, "edition": ix.latest[src], "omissions": n.omissions, "examples": ex, "gaps": gl}),
			Impact:  150 + float64(min(n.omissions, 100)) + 10*float64(len(n.gaps)),
		})
	}
	return out
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
