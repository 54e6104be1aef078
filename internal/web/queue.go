package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/roster-coalition/roster/internal/roster"
)

// filterFrom reads the queue filter from a request's query (or form).
func filterFrom(r *http.Request) QueueFilter {
	get := func(k string) string { return strings.TrimSpace(r.FormValue(k)) }
	return QueueFilter{Kind: get("kind"), Source: get("source"), Group: get("group"), State: get("state")}
}

// query encodes a filter for links ("" when empty).
func (f QueueFilter) query() string {
	v := url.Values{}
	for k, x := range map[string]string{"kind": f.Kind, "source": f.Source, "group": f.Group, "state": f.State} {
		if x != "" {
			v.Set(k, x)
		}
	}
	return v.Encode()
}

func validState(s string) bool {
	switch s {
	case "", "open", "decided", "stale", "all":
		return true
	}
	return false
}

// queueItems returns the filtered items: open first, highest impact first.
func (s *Server) queueItems(r *http.Request, f QueueFilter) ([]roster.ReviewItem, error) {
	if !validState(f.State) {
		return nil, roster.Errorf(roster.EINVALID, "state %q: want open, decided, stale or all", f.State)
	}
	items, err := s.cfg.Queue.ReviewItems(r.Context(), f)
	if err != nil {
		return nil, err
	}
	rank := func(st string) int {
		switch st {
		case "open":
			return 0
		case "decided":
			return 1
		}
		return 2
	}
	slices.SortStableFunc(items, func(a, b roster.ReviewItem) int {
		if ra, rb := rank(a.State), rank(b.State); ra != rb {
			return ra - rb
		}
		if a.Impact != b.Impact {
			if a.Impact > b.Impact {
				return -1
			}
			return 1
		}
		return int(a.ID - b.ID)
	})
	return items, nil
}

type option struct {
	Value, Label string
	Selected     bool
}

type kindCount struct {
	Kind, Label, URL string
	N                int
	Current          bool
}

type queueView struct {
	Filter  QueueFilter
	Query   string
	Items   []roster.ReviewItem
	Counts  []kindCount
	Total   int
	Kinds   []option
	Sources []option
	Groups  []option
	States  []option
	Flash   *flash
}

func options(values []string, label func(string) string, sel string) []option {
	out := []option{}
	for _, v := range values {
		out = append(out, option{Value: v, Label: label(v), Selected: v == sel})
	}
	return out
}

func (s *Server) queuePage(w http.ResponseWriter, r *http.Request) {
	f := filterFrom(r)
	items, err := s.queueItems(r, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	counts, err := s.cfg.Queue.ReviewCounts(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	srcs, err := s.cfg.Registry.Sources(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := queueView{Filter: f, Query: f.query(), Items: items}
	kinds := slices.Clone(roster.Kinds)
	for k := range counts {
		if !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	for _, k := range kinds {
		ff := f
		ff.Kind = k
		v.Counts = append(v.Counts, kindCount{Kind: k, Label: kindLabel(k), N: counts[k], URL: "/queue?" + ff.query(), Current: f.Kind == k})
		v.Total += counts[k]
	}
	v.Kinds = options(kinds, kindLabel, f.Kind)
	var slugs []string
	for _, x := range srcs {
		slugs = append(slugs, x.Slug)
	}
	v.Sources = options(slugs, func(s string) string { return s }, f.Source)
	v.Groups = options(roster.Groups, groupLabel, f.Group)
	v.States = options([]string{"open", "decided", "stale", "all"}, func(s string) string { return s }, f.State)
	v.Flash = s.flash(r)
	s.render(w, r, http.StatusOK, "queue", "Review queue", v)
}

// flash is the note shown after a decision, with its undo button.
type flash struct {
	Item    roster.ReviewItem
	Verdict string
	By      string
	Undone  bool
	CSRF    string
}

func (s *Server) flash(r *http.Request) *flash {
	q := r.URL.Query()
	id, err := strconv.ParseInt(q.Get("decided"), 10, 64)
	if err != nil {
		if id, err = strconv.ParseInt(q.Get("undone"), 10, 64); err != nil {
			return nil
		}
		it, err := s.cfg.Queue.ReviewItem(r.Context(), id)
		if err != nil {
			return nil
		}
		return &flash{Item: it, Undone: true, CSRF: sessionFrom(r.Context()).CSRF}
	}
	it, err := s.cfg.Queue.ReviewItem(r.Context(), id)
	if err != nil || it.State != "decided" {
		return nil
	}
	f := &flash{Item: it, CSRF: sessionFrom(r.Context()).CSRF}
	if last := lastDecision(s.itemHistory(r, id)); last != nil {
		f.Verdict, f.By = last.Verdict, last.Actor
	}
	return f
}

func (s *Server) itemHistory(r *http.Request, id int64) []AuditEntry {
	h, err := s.cfg.Queue.ItemDecisions(r.Context(), id)
	if err != nil {
		s.cfg.Log.Error("item decisions", "item", id, "err", err)
		return nil
	}
	return h
}

// lastDecision is the latest "decide" entry not followed by an undo.
func lastDecision(h []AuditEntry) *AuditEntry {
	var last *AuditEntry
	for i := range h {
		switch h[i].Action {
		case "decide":
			last = &h[i]
		case "undo":
			last = nil
		}
	}
	return last
}

func (s *Server) apiQueue(w http.ResponseWriter, r *http.Request) {
	items, err := s.queueItems(r, filterFrom(r))
	if err != nil {
		writeJSONError(w, status(err), s.userMessage(r, err))
		return
	}
	out := []itemJSON{}
	for _, it := range items {
		out = append(out, toItemJSON(it))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiCounts(w http.ResponseWriter, r *http.Request) {
	c, err := s.cfg.Queue.ReviewCounts(r.Context())
	if err != nil {
		writeJSONError(w, status(err), s.userMessage(r, err))
		return
	}
	writeJSON(w, http.StatusOK, c)
}

func (s *Server) apiItem(w http.ResponseWriter, r *http.Request) {
	id, err := itemID(r)
	if err == nil {
		var it roster.ReviewItem
		if it, err = s.cfg.Queue.ReviewItem(r.Context(), id); err == nil {
			writeJSON(w, http.StatusOK, toItemJSON(it))
			return
		}
	}
	writeJSONError(w, status(err), s.userMessage(r, err))
}

type itemJSON struct {
	ID       int64    `json:"id"`
	Kind     string   `json:"kind"`
	State    string   `json:"state"`
	Source   string   `json:"source,omitempty"`
	Group    string   `json:"group,omitempty"`
	PersonID string   `json:"person_id,omitempty"`
	Records  []string `json:"records"`
	Title    string   `json:"title"`
	Impact   float64  `json:"impact"`
	Version  int64    `json:"version"`
}

func toItemJSON(it roster.ReviewItem) itemJSON {
	recs := it.Records
	if recs == nil {
		recs = []string{}
	}
	return itemJSON{ID: it.ID, Kind: it.Kind, State: it.State, Source: it.Source, Group: it.Group, PersonID: it.PersonID,
		Records: recs, Title: it.Title, Impact: it.Impact, Version: it.Version}
}

func itemID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, roster.Errorf(roster.EINVALID, "item %q: not an item number", r.PathValue("id"))
	}
	return id, nil
}
