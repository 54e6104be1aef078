package web

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/roster-coalition/roster/internal/names"
	"github.com/roster-coalition/roster/internal/roster"
)

// nameKey is what a record's parsed name depends on.
type nameKey struct{ name, surname, given, patronymic string }

type parsedName struct{ n names.Name }

// parseRecordName reads a record's name with the name engine: from the
// list's own columns when it splits the name, else from the name as
// written. Parsed names are cached (they depend only on those strings).
func (s *Server) parseRecordName(rec roster.Record) names.Name {
	k := nameKey{rec.Name, rec.Surname, rec.Given, rec.Patronymic}
	s.namesMu.Lock()
	p, ok := s.names[k]
	s.namesMu.Unlock()
	if ok {
		return p.n
	}
	var n names.Name
	if rec.Surname != "" || rec.Given != "" {
		n = names.FromParts(rec.Surname, rec.Given, rec.Patronymic).Prepared()
		if n.Raw == "" {
			n.Raw = rec.Name
		}
	} else {
		n = names.Parse(rec.Name).Prepared()
	}
	s.namesMu.Lock()
	if len(s.names) > 200000 {
		s.names = map[nameKey]parsedName{}
	}
	s.names[k] = parsedName{n}
	s.namesMu.Unlock()
	return n
}

// hit is one search result: a person (or a record not yet clustered) with
// the spellings that matched.
type hit struct {
	PersonID string
	Name     personName // the person's, in the interface's script
	Best     float64
	Same     bool
	Rules    []string
	Records  []hitRecord
}

type hitRecord struct {
	Key    string
	Record roster.Record
	Score  float64
}

type searchView struct {
	Query      string
	Parsed     names.Name
	Hits       []hit
	Candidates int  // records the index gave
	Capped     bool // the index gave more than searchCandidates
	Shown      int  // persons that matched
	From       int  // 1-based number of the first hit on this page
	PrevURL    string
	NextURL    string
	Unindexed  int
}

// minSearchScore is the least name similarity a search shows.
const minSearchScore = 0.6

// The index gives at most searchCandidates records for a query; they are
// ranked by the name engine and shown searchPage at a time.
const (
	searchCandidates = 2000
	searchPage       = 25
)

func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	p := s.printerFor(r)
	v := searchView{Query: q}
	if q == "" {
		s.render(w, r, http.StatusOK, "search", p.T("web.search.title"), v)
		return
	}
	if len(q) > 200 {
		s.fail(w, r, msg(roster.EINVALID, "web.error.query-long", 200))
		return
	}
	page := 1
	if p := r.URL.Query().Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > searchCandidates/searchPage {
			s.fail(w, r, msg(roster.EINVALID, "web.error.page-number", p))
			return
		}
		page = n
	}
	ctx := r.Context()
	policy, err := s.viewPolicy(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	found, more, unindexed, err := s.cfg.Registry.SearchNames(ctx, q, searchCandidates)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Candidates, v.Capped, v.Unindexed = len(found), more, unindexed
	v.Parsed = names.Parse(q).Prepared()
	byKey := map[string]*hit{}
	var order []string
	for _, h := range found {
		rec := h.Record
		c := names.Compare(v.Parsed, s.parseRecordName(rec))
		if c.Score < minSearchScore && !c.Same {
			continue
		}
		k := recKey(rec.Source, rec.Edition, rec.Ref)
		group := "rec:" + k
		if h.PersonID != "" {
			group = "person:" + h.PersonID
		}
		x := byKey[group]
		if x == nil {
			x = &hit{PersonID: h.PersonID}
			byKey[group] = x
			order = append(order, group)
		}
		if c.Score > x.Best || x.Records == nil {
			x.Best, x.Rules = c.Score, c.Rules
		}
		x.Same = x.Same || c.Same
		x.Records = append(x.Records, hitRecord{Key: k, Record: policy.Record(rec), Score: c.Score})
	}
	var hits []hit
	for _, g := range order {
		x := byKey[g]
		sort.SliceStable(x.Records, func(i, j int) bool { return x.Records[i].Score > x.Records[j].Score })
		hits = append(hits, *x)
	}
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].Same != hits[j].Same {
			return hits[i].Same
		}
		return hits[i].Best > hits[j].Best
	})
	v.Shown = len(hits)
	lo := (page - 1) * searchPage
	if lo > len(hits) {
		lo = len(hits)
	}
	hi := min(lo+searchPage, len(hits))
	v.Hits, v.From = hits[lo:hi], lo+1
	var ids []string
	for _, h := range v.Hits {
		if h.PersonID != "" {
			ids = append(ids, h.PersonID)
		}
	}
	canon, err := s.cfg.Registry.PersonNames(ctx, ids)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for i, h := range v.Hits {
		if c := canon[h.PersonID]; c != "" {
			v.Hits[i].Name = nameIn(p.Lang, c, s.russianOf(h.Records[0].Record.Name), "")
		}
	}
	link := func(p int) string {
		return "/search?" + url.Values{"q": {q}, "page": {strconv.Itoa(p)}}.Encode()
	}
	if page > 1 {
		v.PrevURL = link(page - 1)
	}
	if hi < len(hits) {
		v.NextURL = link(page + 1)
	}
	s.render(w, r, http.StatusOK, "search", p.T("web.search.title.q", q), v)
}
