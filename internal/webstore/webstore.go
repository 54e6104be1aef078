// Package webstore wires the store and the use-cases into the web UI: it
// implements the interfaces internal/web defines (Queue, Users, Registry,
// Privacy) on a *store.Store, so that web itself knows neither SQL nor the store.
package webstore

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/roster-coalition/roster/internal/app"
	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/store"
	"github.com/roster-coalition/roster/internal/web"
)

// New returns the web UI's handler on a store.
func New(s *store.Store, log *slog.Logger) (http.Handler, error) {
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	b := Backend{s: s, app: app.New(s, nil)}
	return web.New(web.Config{Queue: b, Users: b, Registry: b, Privacy: b, Health: s.Ping, Log: log, Now: s.Now,
		Role: func(sess web.Session) string { return sess.Role }})
}

// Backend adapts a store to web.Queue, web.Users and web.Registry.
type Backend struct {
	s   *store.Store
	app *app.Service
}

var (
	_ web.Queue    = Backend{}
	_ web.Users    = Backend{}
	_ web.Registry = Backend{}
)

func filter(f web.QueueFilter) store.ReviewFilter {
	return store.ReviewFilter{Kind: f.Kind, Source: f.Source, Group: f.Group, State: f.State, AssignedTo: f.AssignedTo,
		SecondLook: f.SecondLook, Voter: f.Voter}
}

// ---- Queue ----

func (b Backend) ReviewPage(ctx context.Context, f web.QueueFilter, cursor string, n int, backward bool) (web.QueuePage, error) {
	c, err := store.ParseCursor(cursor)
	if err != nil {
		return web.QueuePage{}, err
	}
	p, err := b.s.ReviewPage(ctx, filter(f), c, n, backward)
	if err != nil {
		return web.QueuePage{}, err
	}
	out := web.QueuePage{Items: p.Items, More: p.More}
	if len(p.Items) > 0 {
		out.First, out.Last = store.CursorOf(p.Items[0]).String(), store.CursorOf(p.Items[len(p.Items)-1]).String()
	}
	return out, nil
}

func (b Backend) ReviewItem(ctx context.Context, id int64) (roster.ReviewItem, error) {
	return b.s.ReviewItem(ctx, id)
}

func (b Backend) Neighbours(ctx context.Context, f web.QueueFilter, it roster.ReviewItem) (int64, int64, error) {
	return b.s.ReviewNeighbours(ctx, filter(f), it)
}

func (b Backend) ReviewCounts(ctx context.Context) (map[string]int, error) {
	return b.s.ReviewCounts(ctx)
}

func (b Backend) DecideItem(ctx context.Context, id, version int64, verdict, reason, by string) (web.Outcome, error) {
	res, err := b.s.DecideItem(ctx, id, version, verdict, reason, by)
	if err != nil {
		return web.Outcome{}, err
	}
	return web.Outcome{Outcome: res.Outcome, DecisionID: res.ID, Verdict: res.Verdict, By: res.By, Adjudication: res.Adjudication}, nil
}

func (b Backend) AssignItem(ctx context.Context, id int64, to, by string) error {
	return b.s.AssignItem(ctx, id, to, by)
}

func (b Backend) UndoItem(ctx context.Context, id int64, by string) error {
	return b.s.UndoItem(ctx, id, by)
}

func toWebAudit(in []store.AuditEntry) []web.AuditEntry {
	out := make([]web.AuditEntry, len(in))
	for i, a := range in {
		out[i] = web.AuditEntry(a)
	}
	return out
}

func (b Backend) AuditPage(ctx context.Context, actor string, before int64, n int) ([]web.AuditEntry, bool, error) {
	es, more, err := b.s.AuditPage(ctx, actor, before, n)
	return toWebAudit(es), more, err
}

func (b Backend) ItemDecisions(ctx context.Context, id int64) ([]web.AuditEntry, error) {
	es, err := b.s.ItemDecisions(ctx, id)
	return toWebAudit(es), err
}

func (b Backend) AuditAbout(ctx context.Context, items, decisions []int64) ([]web.AuditEntry, error) {
	es, err := b.s.AuditAbout(ctx, items, decisions)
	return toWebAudit(es), err
}

func (b Backend) ItemsAbout(ctx context.Context, personID string, refs []string, limit int) ([]roster.ReviewItem, error) {
	return b.s.ItemsAbout(ctx, personID, refs, limit)
}

func (b Backend) MyVote(ctx context.Context, it roster.ReviewItem, user string) (web.Vote, bool, error) {
	v, ok, err := b.s.MyVote(ctx, it, user)
	return web.Vote{Verdict: v.Verdict, Reason: v.Reason, At: v.At}, ok, err
}

func (b Backend) DoubleReviewKinds(ctx context.Context) ([]string, error) {
	return b.s.DoubleReviewKinds(ctx)
}

func (b Backend) SetDoubleReview(ctx context.Context, by string, kinds []string) error {
	return b.s.SetDoubleReview(ctx, by, kinds)
}

func (b Backend) Stats(ctx context.Context) (web.Stats, error) {
	st, err := b.app.ReviewStats(ctx)
	return web.Stats(st), err
}

// ---- Users ----

func (b Backend) CheckPassword(ctx context.Context, name, pw string) error {
	return b.s.CheckPassword(ctx, name, pw)
}

func (b Backend) CreateSession(ctx context.Context, user string) (string, web.Session, error) {
	tok, s, err := b.s.CreateSession(ctx, user)
	return tok, web.Session(s), err
}

func (b Backend) Session(ctx context.Context, token string) (web.Session, error) {
	s, err := b.s.Session(ctx, token)
	return web.Session(s), err
}

func (b Backend) DeleteSession(ctx context.Context, token string) error {
	return b.s.DeleteSession(ctx, token)
}

func (b Backend) LoginLocked(ctx context.Context, name string) (time.Duration, error) {
	return b.s.LoginLocked(ctx, name)
}

func (b Backend) LoginFailed(ctx context.Context, name string) error {
	return b.s.LoginFailed(ctx, name)
}

func (b Backend) LoginSucceeded(ctx context.Context, name string) error {
	return b.s.LoginSucceeded(ctx, name)
}

func (b Backend) Accounts(ctx context.Context) ([]web.Account, error) {
	us, err := b.s.Users(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]web.Account, len(us))
	for i, u := range us {
		out[i] = web.Account{Name: u.Name, Role: u.Role, Sessions: u.Sessions}
	}
	return out, nil
}

func (b Backend) SetRole(ctx context.Context, by, name, role string) error {
	return b.s.SetRole(ctx, by, name, role)
}

func (b Backend) Sessions(ctx context.Context, user string) ([]web.SessionInfo, error) {
	ss, err := b.s.Sessions(ctx, user)
	if err != nil {
		return nil, err
	}
	out := make([]web.SessionInfo, len(ss))
	for i, x := range ss {
		out[i] = web.SessionInfo(x)
	}
	return out, nil
}

func (b Backend) RevokeSessions(ctx context.Context, by, user, id string) (int, error) {
	return b.s.RevokeSessions(ctx, by, user, id)
}

func (b Backend) SetLang(ctx context.Context, user, lang string) error {
	return b.s.SetLang(ctx, user, lang)
}

// ---- Registry ----

func (b Backend) Sources(ctx context.Context) ([]web.SourceInfo, error) {
	lists, err := b.s.ListSummaries(ctx)
	if err != nil {
		return nil, err
	}
	scopes, err := b.s.Scopes(ctx)
	if err != nil {
		return nil, err
	}
	var out []web.SourceInfo
	for _, l := range lists {
		if len(out) == 0 || out[len(out)-1].Slug != l.Source {
			out = append(out, web.SourceInfo{Slug: l.Source, Title: l.SourceTitle})
		}
		si := &out[len(out)-1]
		si.Editions = append(si.Editions, web.EditionInfo{Edition: l.Edition, Title: l.Title, ImportedAt: l.ImportedAt,
			Records: l.Records, Groups: l.Groups, Files: l.Files})
	}
	for i := range out {
		latest := out[i].Editions[len(out[i].Editions)-1].Edition
		for _, sc := range scopes {
			if sc.Source == out[i].Slug && (sc.Edition == latest || (sc.Edition == "" && out[i].Scope == nil)) {
				out[i].Scope = &web.ScopeInfo{Source: sc.Source, Edition: sc.Edition, Comprehensive: sc.Comprehensive, Groups: sc.Groups,
					Cases: sc.Cases, From: sc.From, To: sc.To, Country: sc.Country, Note: sc.Note, SetBy: sc.SetBy}
			}
		}
	}
	return out, nil
}

func (b Backend) Tally(ctx context.Context) (web.Tally, bool, error) {
	t, ok, err := b.s.LoadRegistryTally(ctx)
	return web.Tally{Persons: t.Persons, Groups: t.Groups}, ok, err
}

func (b Backend) FindRecord(ctx context.Context, ref roster.RecordRef) (roster.Record, error) {
	return b.s.FindRecord(ctx, ref)
}

func (b Backend) PersonOf(ctx context.Context, ref roster.RecordRef) (string, error) {
	return b.s.PersonOf(ctx, ref)
}

func (b Backend) Person(ctx context.Context, id string) (roster.Person, []web.PersonEvent, error) {
	p, _, err := b.s.Person(ctx, id)
	if err != nil {
		return p, nil, err
	}
	hist, err := b.s.PersonHistory(ctx, p.ID)
	if err != nil {
		return p, nil, err
	}
	var ev []web.PersonEvent
	for _, h := range hist {
		at, _ := time.Parse(time.RFC3339, h.At)
		ev = append(ev, web.PersonEvent{At: at, Run: h.RunID, Event: h.Event, OtherID: h.Other})
	}
	return p, ev, nil
}

func (b Backend) PersonsPage(ctx context.Context, after string, n int) ([]web.PersonSummary, bool, error) {
	ps, more, err := b.s.PersonsPage(ctx, after, n)
	out := make([]web.PersonSummary, len(ps))
	for i, p := range ps {
		out[i] = web.PersonSummary(p)
	}
	return out, more, err
}

func (b Backend) DecisionsAbout(ctx context.Context, refs []string) ([]roster.Decision, error) {
	return b.s.DecisionsAbout(ctx, refs)
}

// searchIndexNow is the most records a search indexes on the spot; more
// wait for roster match (or roster serve's start).
const searchIndexNow = 20000

func (b Backend) SearchNames(ctx context.Context, q string, limit int) ([]web.NameHit, bool, int, error) {
	unindexed, err := b.s.CountUnindexedNames(ctx)
	if err != nil {
		return nil, false, 0, err
	}
	if unindexed > 0 && unindexed <= searchIndexNow {
		if _, err := b.app.IndexNames(ctx); err != nil {
			return nil, false, 0, err
		}
		unindexed = 0
	}
	query, _ := app.SearchQuery(q)
	hits, more, err := b.s.SearchNames(ctx, query, limit)
	if err != nil {
		return nil, false, 0, err
	}
	out := make([]web.NameHit, len(hits))
	for i, h := range hits {
		out[i] = web.NameHit(h)
	}
	return out, more, unindexed, nil
}

func (b Backend) PersonNames(ctx context.Context, ids []string) (map[string]string, error) {
	return b.s.PersonNamesOf(ctx, ids)
}

func (b Backend) SetScope(ctx context.Context, by string, sc web.ScopeInfo) error {
	return b.s.SetScope(ctx, by, store.Scope{Source: sc.Source, Edition: sc.Edition, Comprehensive: sc.Comprehensive, Groups: sc.Groups,
		Cases: sc.Cases, From: sc.From, To: sc.To, Country: sc.Country, Note: sc.Note})
}

func (b Backend) ClearScope(ctx context.Context, by, source, edition string) error {
	return b.s.ClearScope(ctx, by, source, edition)
}
