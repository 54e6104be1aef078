package web

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/roster-coalition/roster/internal/audience"
)

// fakePrivacy keeps marks in memory and resolves them like the store.
type fakePrivacy struct {
	mu   sync.Mutex
	log  []audience.Mark
	next int64
}

func (p *fakePrivacy) marks() audience.Marks {
	p.mu.Lock()
	defer p.mu.Unlock()
	return audience.Resolve(p.log, audience.Lineage{})
}

func (p *fakePrivacy) PersonPrivacy(_ context.Context, id string) (PersonPrivacy, error) {
	pp, ok := p.marks().Person(id)
	if !ok {
		return PersonPrivacy{}, nil
	}
	return PersonPrivacy{Private: true, How: pp.String(), Reason: pp.Mark.Reason, AskedBy: pp.Mark.AskedBy, By: pp.Mark.By}, nil
}

func (p *fakePrivacy) add(m audience.Mark) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.next++
	m.ID = p.next
	p.log = append(p.log, m)
}

func (p *fakePrivacy) MarkPerson(_ context.Context, id, reason, askedBy, by string) error {
	p.add(audience.Mark{Action: audience.ActionMark, PersonID: id, Reason: reason, AskedBy: askedBy, By: by})
	return nil
}

func (p *fakePrivacy) UnmarkPerson(_ context.Context, id, reason, by string) error {
	p.add(audience.Mark{Action: audience.ActionUnmark, PersonID: id, Reason: reason, By: by})
	return nil
}

func (p *fakePrivacy) Policy(_ context.Context, a audience.Audience) (audience.Policy, error) {
	return audience.New(a, p.marks()), nil
}

// privacyServer is the fixture's UI with privacy marks, a role per
// user, a health check and request logs, served over TLS or not.
func privacyServer(t *testing.T, useTLS bool, health func(context.Context) error, logs io.Writer) (*fixture, *fakePrivacy) {
	t.Helper()
	f := newFixture(t)
	priv := &fakePrivacy{}
	f.users.pw["victor"] = "victor-password"
	role := func(s Session) string {
		if s.User == "victor" {
			return audience.RoleViewer
		}
		return audience.RoleAnalyst
	}
	s, err := New(Config{Queue: f.queue, Users: f.users, Registry: f.reg, Privacy: priv, Role: role, Health: health,
		Now: func() time.Time { return time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC) }, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	var h http.Handler = s
	if logs != nil {
		h = LogRequests(slog.New(slog.NewJSONHandler(logs, nil)), s)
	}
	f.srv.Close()
	if useTLS {
		f.srv = httptest.NewTLSServer(h)
	} else {
		f.srv = httptest.NewServer(h)
	}
	t.Cleanup(f.srv.Close)
	return f, priv
}

func (f *fixture) tlsClient(t *testing.T) *client {
	c := f.client(t)
	c.c.Transport = f.srv.Client().Transport
	return c
}

func TestHealthz(t *testing.T) {
	var fail bool
	f, _ := privacyServer(t, false, func(context.Context) error {
		if fail {
			return errors.New("database is locked")
		}
		return nil
	}, nil)
	c := f.client(t)
	if r := c.get("/healthz"); r.Code != 200 || r.Body != `{"status":"ok"}`+"\n" {
		t.Errorf("healthz = %d %q", r.Code, r.Body)
	}
	fail = true
	if r := c.get("/healthz"); r.Code != 503 || strings.Contains(r.Body, "locked") {
		t.Errorf("failing healthz = %d %q; want 503 without the error's text", r.Code, r.Body)
	}
}

// TestHTTPSHeadersAndCookies: over TLS every response carries HSTS and
// the session cookie is Secure (and still HttpOnly, SameSite=Strict);
// over plain HTTP (loopback) there is no HSTS.
func TestHTTPSHeadersAndCookies(t *testing.T) {
	f, _ := privacyServer(t, true, nil, nil)
	c := f.tlsClient(t)
	for _, path := range []string{"/login", "/healthz", "/static/app.css", "/queue"} {
		r := c.get(path)
		if got := r.Header.Get("Strict-Transport-Security"); got != "max-age=63072000; includeSubDomains" {
			t.Errorf("%s over TLS: Strict-Transport-Security %q", path, got)
		}
	}
	r := c.post("/login", url.Values{"name": {"alice"}, "password": {"alice-password"}})
	ck := r.Header.Get("Set-Cookie")
	for _, want := range []string{CookieName + "=", "HttpOnly", "Secure", "SameSite=Strict"} {
		if !strings.Contains(ck, want) {
			t.Errorf("login cookie %q lacks %s", ck, want)
		}
	}
	logout := c.post("/logout", url.Values{"csrf": {csrf(t, c.get("/queue").Body)}})
	if ck := logout.Header.Get("Set-Cookie"); !strings.Contains(ck, "Secure") {
		t.Errorf("logout cookie %q is not Secure", ck)
	}

	plain, _ := privacyServer(t, false, nil, nil)
	if r := plain.client(t).get("/login"); r.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS over plain HTTP")
	}
}

// TestViewerAudience: a viewer gets the coalition view by default and is
// refused the internal one; an analyst gets internal; a private person's
// record is not shown to the public audience.
func TestViewerAudience(t *testing.T) {
	f, priv := privacyServer(t, false, nil, nil)
	priv.add(audience.Mark{Action: audience.ActionMark, Source: "ipm", Column: "Phone", Reason: "contact data", By: "alice"})
	priv.add(audience.Mark{Action: audience.ActionMark, PersonID: "P-000003", Reason: "family asked", By: "alice"})
	viewer := f.client(t)
	viewer.login("victor", "victor-password")
	ref := "/record?ref=" + url.QueryEscape("ipm@2025-06-01:1")
	raw := "Həsənov Əli Vaqif oğlu;1985"
	if r := viewer.get(ref + "&audience=internal"); r.Code != http.StatusForbidden || !strings.Contains(r.Body, "cannot ask for the internal audience") {
		t.Errorf("viewer, internal: %d", r.Code)
	}
	if r := viewer.get(ref); r.Code != 200 || strings.Contains(r.Body, raw) {
		t.Errorf("viewer, default (coalition): %d, raw row shown: %v", r.Code, strings.Contains(r.Body, raw))
	}
	if r := viewer.get("/record?ref=" + url.QueryEscape("ipm@2025-06-01:2") + "&audience=public"); r.Code != http.StatusNotFound {
		t.Errorf("viewer, public, a private person's record: %d; want 404", r.Code)
	}
	analyst := f.client(t)
	analyst.login("alice", "alice-password")
	if r := analyst.get(ref); r.Code != 200 || !strings.Contains(r.Body, raw) {
		t.Errorf("analyst, default (internal): %d, raw row shown: %v", r.Code, strings.Contains(r.Body, raw))
	}
}

func TestMarkPrivateInTheUI(t *testing.T) {
	f, priv := privacyServer(t, false, nil, nil)
	c := f.client(t)
	c.login("alice", "alice-password")
	page := c.get("/persons/P-000001")
	if !strings.Contains(page.Body, "Named in public exports.") || !strings.Contains(page.Body, "Mark private") {
		t.Fatalf("person page has no privacy form:\n%s", page.Body)
	}
	tok := csrf(t, page.Body)
	if r := c.post("/persons/P-000001/privacy", url.Values{"csrf": {tok}, "action": {"mark"}}); r.Code != http.StatusBadRequest {
		t.Errorf("mark without a reason: %d", r.Code)
	}
	if r := c.post("/persons/P-000001/privacy", url.Values{"action": {"mark"}, "reason": {"x"}}); r.Code != http.StatusForbidden {
		t.Errorf("mark without the CSRF token: %d", r.Code)
	}
	r := c.post("/persons/P-000001/privacy", url.Values{"csrf": {tok}, "action": {"mark"}, "reason": {"the family asked"}, "asked_by": {"his mother"}})
	if r.Code != http.StatusSeeOther {
		t.Fatalf("mark: %d %s", r.Code, r.Body)
	}
	if _, ok := priv.marks().Person("P-000001"); !ok {
		t.Fatal("the mark was not recorded")
	}
	if page := c.get("/persons/P-000001"); !strings.Contains(page.Body, "<strong>Private</strong> (marked)") || !strings.Contains(page.Body, "asked by his mother") {
		t.Errorf("person page after the mark:\n%s", page.Body)
	}
	if priv.log[0].By != "alice" {
		t.Errorf("marked by %q; want the session's user", priv.log[0].By)
	}
	viewer := f.client(t)
	viewer.login("victor", "victor-password")
	vt := csrf(t, viewer.get("/persons/P-000002").Body)
	if r := viewer.post("/persons/P-000002/privacy", url.Values{"csrf": {vt}, "action": {"mark"}, "reason": {"x"}}); r.Code != http.StatusForbidden {
		t.Errorf("a viewer marking: %d; want 403", r.Code)
	}
}

// TestRequestLogs: one JSON line per request with the route pattern,
// never the path's query (a searched name), the cookie or the user.
func TestRequestLogs(t *testing.T) {
	var logs bytes.Buffer
	var mu sync.Mutex
	f, _ := privacyServer(t, true, nil, lockedWriter{&mu, &logs})
	c := f.tlsClient(t)
	c.login("alice", "alice-password")
	c.get("/search?q=" + url.QueryEscape("Həsənov Əli"))
	c.get("/persons/P-000001")
	c.get("/no/such/page")
	mu.Lock()
	out := logs.String()
	mu.Unlock()
	for _, want := range []string{`"route":"POST /login"`, `"route":"GET /search"`, `"route":"GET /persons/{id}"`, `"status":303`, `"tls":true`} {
		if !strings.Contains(out, want) {
			t.Errorf("logs lack %s:\n%s", want, out)
		}
	}
	for _, bad := range []string{"Həsənov", "H%C9%99s%C9%99nov", "alice", CookieName, "P-000001"} {
		if strings.Contains(out, bad) {
			t.Errorf("logs hold %q:\n%s", bad, out)
		}
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}
