package web

import (
	"net/http"
	"sort"
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
	Query   string
	Parsed  names.Name
	Hits    []hit
	Records int
	Shown   int
}

// minSearchScore is the least name similarity a search shows.
const minSearchScore = 0.6

func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	v := searchView{Query: q}
	if q == "" {
		s.render(w, r, http.StatusOK, "search", "Search", v)
		return
	}
	if len(q) > 200 {
		s.fail(w, r, roster.Errorf(roster.EINVALID, "the query is too long (at most 200 bytes)"))
		return
	}
	ctx := r.Context()
	recs, err := s.cfg.Registry.AllRecords(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	persons, err := s.cfg.Registry.Persons(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	idx := personIndex(persons)
	v.Records = len(recs)
	v.Parsed = names.Parse(q).Prepared()
	byKey := map[string]*hit{}
	var order []string
	for _, rec := range recs {
		c := names.Compare(v.Parsed, s.parseRecordName(rec))
		if c.Score < minSearchScore && !c.Same {
			continue
		}
		k := recKey(rec.Source, rec.Edition, rec.Ref)
		group := "rec:" + k
		pid := idx[k]
		if pid != "" {
			group = "person:" + pid
		}
		h := byKey[group]
		if h == nil {
			h = &hit{PersonID: pid}
			byKey[group] = h
			order = append(order, group)
		}
		if c.Score > h.Best || h.Records == nil {
			h.Best, h.Rules = c.Score, c.Rules
		}
		h.Same = h.Same || c.Same
		h.Records = append(h.Records, hitRecord{Key: k, Record: rec, Score: c.Score})
	}
	for _, g := range order {
		h := byKey[g]
		sort.SliceStable(h.Records, func(i, j int) bool { return h.Records[i].Score > h.Records[j].Score })
		v.Hits = append(v.Hits, *h)
	}
	sort.SliceStable(v.Hits, func(i, j int) bool {
		if v.Hits[i].Same != v.Hits[j].Same {
			return v.Hits[i].Same
		}
		return v.Hits[i].Best > v.Hits[j].Best
	})
	const max = 25
	v.Shown = len(v.Hits)
	if len(v.Hits) > max {
		v.Hits = v.Hits[:max]
	}
	s.render(w, r, http.StatusOK, "search", "Search: "+q, v)
}
