package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/roster-coalition/roster/internal/roster"
)

// pageSize is how many items a page of the queue shows.
const pageSize = 50

// filterFrom reads the queue filter from a request's query (or form). The
// analyst looking never sees the items they decided blind and that wait
// for a second analyst.
func filterFrom(r *http.Request) QueueFilter {
	get := func(k string) string { return strings.TrimSpace(r.FormValue(k)) }
	f := QueueFilter{Kind: get("kind"), Source: get("source"), Group: get("group"), State: get("state"), AssignedTo: get("assigned"),
		SecondLook: get("second") == "1"}
	f.Voter = sessionFrom(r.Context()).User
	return f
}

// query encodes a filter for links ("" when empty); the voter is the
// session's, never in a link.
func (f QueueFilter) query() string {
	v := url.Values{}
	for k, x := range map[string]string{"kind": f.Kind, "source": f.Source, "group": f.Group, "state": f.State, "assigned": f.AssignedTo} {
		if x != "" {
			v.Set(k, x)
		}
	}
	if f.SecondLook {
		v.Set("second", "1")
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

// checkFilter refuses a filter the queue cannot read.
func checkFilter(f QueueFilter) error {
	if !validState(f.State) {
		return msg(roster.EINVALID, "web.error.state", f.State)
	}
	if f.Kind != "" && !slices.Contains(roster.Kinds, f.Kind) {
		return msg(roster.EINVALID, "web.error.kind", f.Kind, strings.Join(roster.Kinds, ", "))
	}
	return nil
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
	// Paging: links to the previous and next pages ("" when none), and
	// whether this is the first page.
	PrevURL, NextURL string
	Mine             string // the analyst, for the "assigned to me" link
}

func options(values []string, label func(string) string, sel string) []option {
	out := []option{}
	for _, v := range values {
		out = append(out, option{Value: v, Label: label(v), Selected: v == sel})
	}
	return out
}

// queueURL is the queue with a filter, read from a cursor.
func queueURL(f QueueFilter, after, before string) string {
	v, _ := url.ParseQuery(f.query())
	if after != "" {
		v.Set("after", after)
	}
	if before != "" {
		v.Set("before", before)
	}
	if len(v) == 0 {
		return "/queue"
	}
	return "/queue?" + v.Encode()
}

func (s *Server) queuePage(w http.ResponseWriter, r *http.Request) {
	f := filterFrom(r)
	if err := checkFilter(f); err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	after, before := r.URL.Query().Get("after"), r.URL.Query().Get("before")
	cursor, backward := after, false
	if before != "" {
		cursor, backward = before, true
	}
	p, err := s.cfg.Queue.ReviewPage(ctx, f, cursor, pageSize, backward)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	counts, err := s.cfg.Queue.ReviewCounts(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	srcs, err := s.cfg.Registry.Sources(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pr := s.printerFor(r)
	if err := s.hideTitleValues(r, p.Items); err != nil {
		s.fail(w, r, err)
		return
	}
	v := queueView{Filter: f, Query: f.query(), Items: p.Items, Mine: f.Voter}
	// A page read backward has more before it; one read forward has more
	// after it, and something before it when it started from a cursor.
	hasPrev, hasNext := cursor != "" && !backward, p.More && !backward
	if backward {
		hasPrev, hasNext = p.More, true
	}
	if hasPrev && len(p.Items) > 0 {
		v.PrevURL = queueURL(f, "", p.First)
	}
	if hasNext && len(p.Items) > 0 {
		v.NextURL = queueURL(f, p.Last, "")
	}
	kinds := slices.Clone(roster.Kinds)
	for k := range counts {
		if !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	for _, k := range kinds {
		if counts[k] == 0 && k != f.Kind {
			continue
		}
		ff := f
		ff.Kind = k
		v.Counts = append(v.Counts, kindCount{Kind: k, Label: kindLabel(pr, k), N: counts[k], URL: queueURL(ff, "", ""), Current: f.Kind == k})
		v.Total += counts[k]
	}
	v.Kinds = options(kinds, func(k string) string { return kindLabel(pr, k) }, f.Kind)
	var slugs []string
	for _, x := range srcs {
		slugs = append(slugs, x.Slug)
	}
	v.Sources = options(slugs, func(s string) string { return s }, f.Source)
	v.Groups = options(roster.Groups, func(g string) string { return groupLabel(pr, g) }, f.Group)
	v.States = options([]string{"open", "decided", "stale", "all"}, func(s string) string { return stateLabel(pr, s) }, f.State)
	v.Flash = s.flash(r)
	s.render(w, r, http.StatusOK, "queue", pr.T("web.queue.title"), v)
}

// flash is the note shown after a decision, with its undo button.
type flash struct {
	Item    roster.ReviewItem
	Outcome string // decided | unsure | voted | agreed | disagreed | undone
	Verdict string
	By      string
	Other   int64 // the adjudication item opened
	CSRF    string
}

func (s *Server) flash(r *http.Request) *flash {
	q := r.URL.Query()
	key, outcome := "decided", q.Get("outcome")
	if q.Get("undone") != "" {
		key, outcome = "undone", "undone"
	}
	id, err := strconv.ParseInt(q.Get(key), 10, 64)
	if err != nil {
		return nil
	}
	it, err := s.cfg.Queue.ReviewItem(r.Context(), id)
	if err != nil {
		return nil
	}
	f := &flash{Item: it, Outcome: outcome, CSRF: sessionFrom(r.Context()).CSRF}
	f.Other, _ = strconv.ParseInt(q.Get("adjudication"), 10, 64)
	switch outcome {
	case "", "decided", "agreed":
		if it.State != "decided" {
			return nil
		}
		f.Outcome = "decided"
		if last := lastDecision(s.itemHistory(r, id)); last != nil {
			f.Verdict, f.By = last.Verdict, last.Actor
		}
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

// lastDecision is the latest "decide" entry that settles (not an unsure)
// and is not followed by an undo.
func lastDecision(h []AuditEntry) *AuditEntry {
	var last *AuditEntry
	for i := range h {
		switch h[i].Action {
		case "decide":
			if h[i].Verdict != roster.VerdictUnsure {
				last = &h[i]
			}
		case "undo":
			last = nil
		}
	}
	return last
}

func (s *Server) apiQueue(w http.ResponseWriter, r *http.Request) {
	f := filterFrom(r)
	err := checkFilter(f)
	var p QueuePage
	if err == nil {
		p, err = s.cfg.Queue.ReviewPage(r.Context(), f, r.URL.Query().Get("after"), pageSize, false)
	}
	if err == nil {
		err = s.hideTitleValues(r, p.Items)
	}
	if err != nil {
		writeJSONError(w, status(err), s.userMessage(r, err))
		return
	}
	out := struct {
		Items []itemJSON `json:"items"`
		Next  string     `json:"next,omitempty"` // the cursor of the next page (?after=)
	}{Items: []itemJSON{}}
	for _, it := range p.Items {
		out.Items = append(out.Items, toItemJSON(it))
	}
	if p.More {
		out.Next = p.Last
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
			one := []roster.ReviewItem{it}
			if err = s.hideTitleValues(r, one); err == nil {
				writeJSON(w, http.StatusOK, toItemJSON(one[0]))
				return
			}
		}
	}
	writeJSONError(w, status(err), s.userMessage(r, err))
}

type itemJSON struct {
	ID         int64    `json:"id"`
	Kind       string   `json:"kind"`
	State      string   `json:"state"`
	Source     string   `json:"source,omitempty"`
	Group      string   `json:"group,omitempty"`
	PersonID   string   `json:"person_id,omitempty"`
	Records    []string `json:"records"`
	Title      string   `json:"title"`
	Impact     float64  `json:"impact"`
	Version    int64    `json:"version"`
	SecondLook bool     `json:"second_look,omitempty"`
	AssignedTo string   `json:"assigned_to,omitempty"`
}

func toItemJSON(it roster.ReviewItem) itemJSON {
	recs := it.Records
	if recs == nil {
		recs = []string{}
	}
	return itemJSON{ID: it.ID, Kind: it.Kind, State: it.State, Source: it.Source, Group: it.Group, PersonID: it.PersonID,
		Records: recs, Title: it.Title, Impact: it.Impact, Version: it.Version, SecondLook: it.SecondLook, AssignedTo: it.AssignedTo}
}

func itemID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, msg(roster.EINVALID, "web.error.item-number", r.PathValue("id"))
	}
	return id, nil
}
