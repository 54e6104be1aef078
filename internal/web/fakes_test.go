package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/roster-coalition/roster/internal/roster"
)

// ---- fakes of the consumer-side interfaces ----

type fakeQueue struct {
	mu    sync.Mutex
	items []roster.ReviewItem
	audit []AuditEntry
	decID int64
	now   func() time.Time
}

func (q *fakeQueue) find(id int64) (*roster.ReviewItem, error) {
	for i := range q.items {
		if q.items[i].ID == id {
			return &q.items[i], nil
		}
	}
	return nil, roster.Errorf(roster.ENOTFOUND, "no review item %d", id)
}

func (q *fakeQueue) ReviewItems(_ context.Context, f QueueFilter) ([]roster.ReviewItem, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	var out []roster.ReviewItem
	for _, it := range q.items {
		st := f.State
		if st == "" {
			st = "open"
		}
		if (f.Kind == "" || f.Kind == it.Kind) && (f.Source == "" || f.Source == it.Source) &&
			(f.Group == "" || f.Group == it.Group) && (st == "all" || st == it.State) {
			out = append(out, it)
		}
	}
	return out, nil
}

func (q *fakeQueue) ReviewItem(_ context.Context, id int64) (roster.ReviewItem, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	it, err := q.find(id)
	if err != nil {
		return roster.ReviewItem{}, err
	}
	return *it, nil
}

func (q *fakeQueue) ReviewCounts(context.Context) (map[string]int, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	m := map[string]int{}
	for _, it := range q.items {
		if it.State == "open" {
			m[it.Kind]++
		}
	}
	return m, nil
}

func (q *fakeQueue) DecideItem(_ context.Context, id, version int64, verdict, reason, by string) (roster.Decision, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	it, err := q.find(id)
	if err != nil {
		return roster.Decision{}, err
	}
	if it.State != "open" || it.Version != version {
		who := ""
		for _, a := range q.audit {
			if a.ItemID == id && a.Action == "decide" {
				who = a.Actor
			}
		}
		return roster.Decision{}, roster.Errorf(roster.ECONFLICT, "item %d was already decided by %s", id, who)
	}
	q.decID++
	it.State, it.DecisionID, it.Version = "decided", q.decID, it.Version+1
	q.audit = append(q.audit, AuditEntry{ID: int64(len(q.audit) + 1), At: q.now(), Actor: by, Action: "decide",
		Verdict: verdict, Reason: reason, DecisionID: q.decID, ItemID: id})
	return roster.Decision{ID: q.decID, ItemID: id, Verdict: verdict, Reason: reason, By: by}, nil
}

func (q *fakeQueue) UndoItem(_ context.Context, id int64, by string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	it, err := q.find(id)
	if err != nil {
		return err
	}
	if it.State != "decided" {
		return roster.Errorf(roster.ECONFLICT, "item %d is %s, not decided: nothing to undo", id, it.State)
	}
	q.audit = append(q.audit, AuditEntry{ID: int64(len(q.audit) + 1), At: q.now(), Actor: by, Action: "undo", DecisionID: it.DecisionID, ItemID: id})
	it.State, it.DecisionID, it.Version = "open", 0, it.Version+1
	return nil
}

func (q *fakeQueue) Audit(context.Context) ([]AuditEntry, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return slices.Clone(q.audit), nil
}

func (q *fakeQueue) ItemDecisions(_ context.Context, id int64) ([]AuditEntry, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	var out []AuditEntry
	for _, a := range q.audit {
		if a.ItemID == id {
			out = append(out, a)
		}
	}
	return out, nil
}

type fakeUsers struct {
	mu       sync.Mutex
	pw       map[string]string
	sessions map[string]Session
	n        int
}

func (u *fakeUsers) CheckPassword(_ context.Context, name, pw string) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	if p, ok := u.pw[name]; ok && p == pw {
		return nil
	}
	return roster.Errorf(roster.EINVALID, "unknown user name or wrong password")
}

func (u *fakeUsers) CreateSession(_ context.Context, user string) (string, Session, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.n++
	tok := fmt.Sprintf("token-%s-%d", user, u.n)
	s := Session{User: user, CSRF: fmt.Sprintf("csrf-%s-%d", user, u.n), ExpiresAt: time.Now().Add(time.Hour)}
	u.sessions[tok] = s
	return tok, s, nil
}

func (u *fakeUsers) Session(_ context.Context, tok string) (Session, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	s, ok := u.sessions[tok]
	if !ok {
		return Session{}, roster.Errorf(roster.ENOTFOUND, "no session")
	}
	return s, nil
}

func (u *fakeUsers) DeleteSession(_ context.Context, tok string) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	delete(u.sessions, tok)
	return nil
}

type fakeRegistry struct {
	sources   []SourceInfo
	records   []roster.Record
	persons   []roster.Person
	decisions []roster.Decision
}

func (f *fakeRegistry) Sources(context.Context) ([]SourceInfo, error)       { return f.sources, nil }
func (f *fakeRegistry) AllRecords(context.Context) ([]roster.Record, error) { return f.records, nil }
func (f *fakeRegistry) Persons(context.Context) ([]roster.Person, error)    { return f.persons, nil }
func (f *fakeRegistry) Decisions(context.Context) ([]roster.Decision, error) {
	return f.decisions, nil
}

func (f *fakeRegistry) FindRecord(_ context.Context, ref roster.RecordRef) (roster.Record, error) {
	for _, r := range f.records {
		if r.Source == ref.Source && r.Ref == ref.Ref && (ref.Edition == "" || ref.Edition == r.Edition) {
			return r, nil
		}
	}
	return roster.Record{}, roster.Errorf(roster.ENOTFOUND, "no record %s", ref)
}

func (f *fakeRegistry) Person(_ context.Context, id string) (roster.Person, []PersonEvent, error) {
	for _, p := range f.persons {
		if p.ID == id {
			return p, []PersonEvent{{Event: "created", Run: 1}}, nil
		}
	}
	return roster.Person{}, nil, roster.Errorf(roster.ENOTFOUND, "no person %s", id)
}

// ---- fixture ----

const hostile = `<script>alert(1)</script>`

func rec(src, ed, ref, name string, year int, group, cas string) roster.Record {
	return roster.Record{Source: src, Edition: ed, Ref: ref, Name: name, BirthYear: year, Group: group, Case: cas,
		Location: "row " + ref, Raw: name + ";" + fmt.Sprint(year)}
}

const matchPayload = `{"probability":0.72,"explanation":{"prior_weight":-6.5,"weight":1.4,"probability":0.72,
 "fields":[{"field":"surname","level":"variant","a":"Həsənov","b":"Гасанов","weight":5.1,"rules":["h → Г (Russian route)","-ov → -ов"]},
           {"field":"given","level":"equal","weight":4.2},
           {"field":"birth_year","level":"different","weight":-2.4},
           {"field":"group","level":"equal","weight":1.0}],
 "name_rules":["h → Г (Russian route)","ə → а"]},"persons":["P-000001","P-000002"],"same_person":false}`

type fixture struct {
	srv   *httptest.Server
	queue *fakeQueue
	users *fakeUsers
	reg   *fakeRegistry
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	now := func() time.Time { return time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC) }
	reg := &fakeRegistry{
		sources: []SourceInfo{
			{Slug: "ipm", Editions: []EditionInfo{{Edition: "2025-06-01", Records: 3, Groups: map[string]int{"journalist": 2, "anti-war": 1}}}},
			{Slug: "cdr", Editions: []EditionInfo{{Edition: "2025-09-01", Records: 2, Groups: map[string]int{"journalist": 2}}}},
		},
		records: []roster.Record{
			rec("ipm", "2025-06-01", "1", "Həsənov Əli Vaqif oğlu", 1985, "journalist", "Abzas Media"),
			rec("cdr", "2025-09-01", "7", "Гасанов Али Вагиф оглы", 1986, "journalist", "Abzas Media"),
			rec("ipm", "2025-06-01", "2", hostile, 1990, "anti-war", ""),
			rec("cdr", "2025-09-01", "8", "Məmmədova Leyla", 1979, "journalist", ""),
		},
		persons: []roster.Person{
			{ID: "P-000001", Status: "active", Members: []roster.Membership{{PersonID: "P-000001", Source: "ipm", Edition: "2025-06-01", Ref: "1", Link: "single"}}},
			{ID: "P-000002", Status: "active", Members: []roster.Membership{{PersonID: "P-000002", Source: "cdr", Edition: "2025-09-01", Ref: "7", Link: "single"}}},
			{ID: "P-000003", Status: "active", Members: []roster.Membership{{PersonID: "P-000003", Source: "ipm", Edition: "2025-06-01", Ref: "2", Link: "single"}}},
		},
	}
	q := &fakeQueue{now: now, items: []roster.ReviewItem{
		{ID: 1, Kind: roster.KindMatch, State: "open", Group: "journalist", Records: []string{"ipm@2025-06-01:1", "cdr@2025-09-01:7"},
			Title: "Həsənov Əli (ipm) and Гасанов Али (cdr)?", Payload: matchPayload, Impact: 80},
		{ID: 2, Kind: roster.KindOmission, State: "open", Source: "cdr", PersonID: "P-000003", Group: "anti-war",
			Records: []string{"ipm@2025-06-01:2"}, Title: "cdr omits " + hostile, Payload: `{"note":` + fmt.Sprintf("%q", hostile) + `}`, Impact: 40},
		{ID: 3, Kind: roster.KindGroupGap, State: "open", Source: "cdr", Group: "anti-war", Title: "cdr lists no anti-war activists", Impact: 90},
		{ID: 4, Kind: roster.KindMatch, State: "decided", Title: "an old decided one", Impact: 99},
	}}
	users := &fakeUsers{pw: map[string]string{"alice": "alice-password", "bob": "bob-password"}, sessions: map[string]Session{}}
	s, err := New(Config{Queue: q, Users: users, Registry: reg, Now: now, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return &fixture{srv: srv, queue: q, users: users, reg: reg}
}

// client is a browser stand-in: a cookie jar and no automatic redirects.
type client struct {
	t   *testing.T
	f   *fixture
	c   *http.Client
	jar *cookiejar.Jar
}

func (f *fixture) client(t *testing.T) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, f: f, jar: jar, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

type resp struct {
	Code   int
	Header http.Header
	Body   string
}

func (c *client) do(method, path string, form url.Values, hdr ...string) resp {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.f.srv.URL+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := c.c.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{res.StatusCode, res.Header, string(b)}
}

func (c *client) get(path string) resp { c.t.Helper(); return c.do("GET", path, nil) }
func (c *client) post(path string, form url.Values, hdr ...string) resp {
	c.t.Helper()
	return c.do("POST", path, form, hdr...)
}

func (c *client) login(name, pw string) {
	c.t.Helper()
	r := c.post("/login", url.Values{"name": {name}, "password": {pw}})
	if r.Code != http.StatusSeeOther {
		c.t.Fatalf("login %s: status %d\n%s", name, r.Code, r.Body)
	}
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf reads the CSRF token from a page's forms.
func csrf(t *testing.T, body string) string {
	t.Helper()
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token in page:\n%s", body)
	}
	return m[1]
}
