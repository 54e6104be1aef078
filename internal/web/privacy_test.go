package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/roster-coalition/roster/internal/app"
	"github.com/roster-coalition/roster/internal/audience"
	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/web"
	"github.com/roster-coalition/roster/internal/webstore"
)

// privacyServer is the fixture's UI served over TLS or not, with request
// logs written to logs (when not nil), as roster serve wires it.
func privacyServer(t *testing.T, useTLS bool, logs io.Writer) *fixture {
	t.Helper()
	f := newFixture(t)
	h, err := webstore.New(f.s, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if logs != nil {
		h = web.LogRequests(slog.New(slog.NewJSONHandler(logs, nil)), h)
	}
	f.srv.Close()
	if useTLS {
		f.srv = httptest.NewTLSServer(h)
	} else {
		f.srv = httptest.NewServer(h)
	}
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fixture) tlsClient(t *testing.T) *client {
	c := f.client(t)
	c.c.Transport = f.srv.Client().Transport
	return c
}

// pid is the person of a record reference.
func (f *fixture) pid(ref string) string {
	f.t.Helper()
	r, _ := roster.ParseRef(ref)
	p, err := f.s.PersonOf(context.Background(), r)
	if err != nil || p == "" {
		f.t.Fatalf("person of %s: %q %v", ref, p, err)
	}
	return p
}

func TestHealthz(t *testing.T) {
	f := privacyServer(t, false, nil)
	c := f.client(t)
	if r := c.get("/healthz"); r.Code != 200 || r.Body != `{"status":"ok"}`+"\n" {
		t.Errorf("healthz = %d %q", r.Code, r.Body)
	}
	f.s.Close() // the database goes away
	if r := c.get("/healthz"); r.Code != 503 || strings.Contains(r.Body, "closed") {
		t.Errorf("failing healthz = %d %q; want 503 without the error's text", r.Code, r.Body)
	}
}

// TestHTTPSHeadersAndCookies: over TLS every response carries HSTS and
// the session cookie is Secure (and still HttpOnly, SameSite=Strict);
// over plain HTTP (loopback) there is no HSTS.
func TestHTTPSHeadersAndCookies(t *testing.T) {
	f := privacyServer(t, true, nil)
	c := f.tlsClient(t)
	for _, path := range []string{"/login", "/healthz", "/static/app.css", "/queue"} {
		r := c.get(path)
		if got := r.Header.Get("Strict-Transport-Security"); got != "max-age=63072000; includeSubDomains" {
			t.Errorf("%s over TLS: Strict-Transport-Security %q", path, got)
		}
	}
	r := c.post("/login", url.Values{"name": {"alice"}, "password": {"alice-password"}})
	ck := r.Header.Get("Set-Cookie")
	for _, want := range []string{web.CookieName + "=", "HttpOnly", "Secure", "SameSite=Strict"} {
		if !strings.Contains(ck, want) {
			t.Errorf("login cookie %q lacks %s", ck, want)
		}
	}
	logout := c.post("/logout", url.Values{"csrf": {csrf(t, c.get("/queue").Body)}})
	if ck := logout.Header.Get("Set-Cookie"); !strings.Contains(ck, "Secure") {
		t.Errorf("logout cookie %q is not Secure", ck)
	}

	plain := privacyServer(t, false, nil)
	if r := plain.client(t).get("/login"); r.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS over plain HTTP")
	}
}

// TestViewerAudience: a viewer gets the coalition view by default and is
// refused the internal one; an analyst gets internal; a private person's
// record is not shown to the public audience.
func TestViewerAudience(t *testing.T) {
	f := privacyServer(t, false, nil)
	ctx := context.Background()
	svc := app.New(f.s, now)
	if _, err := svc.MarkPrivate(ctx, app.PrivacyRequest{Source: "ipm", Column: "Phone", Reason: "contact data", By: "alice"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.MarkPrivate(ctx, app.PrivacyRequest{PersonID: f.pid("ipm@2025-06-01:2"), Reason: "family asked", By: "alice"}); err != nil {
		t.Fatal(err)
	}
	viewer := f.client(t)
	viewer.login("vera")
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
	analyst.login("bob")
	if r := analyst.get(ref); r.Code != 200 || !strings.Contains(r.Body, raw) {
		t.Errorf("analyst, default (internal): %d, raw row shown: %v", r.Code, strings.Contains(r.Body, raw))
	}
}

func TestMarkPrivateInTheUI(t *testing.T) {
	f := privacyServer(t, false, nil)
	ctx := context.Background()
	p1, p2 := f.pid("ipm@2025-06-01:1"), f.pid("ipm@2025-06-01:3")
	c := f.client(t)
	c.login("bob")
	page := c.get("/persons/" + p1)
	if !strings.Contains(page.Body, "Named in public exports.") || !strings.Contains(page.Body, "Mark private") {
		t.Fatalf("person page has no privacy form:\n%s", page.Body)
	}
	tok := csrf(t, page.Body)
	if r := c.post("/persons/"+p1+"/privacy", url.Values{"csrf": {tok}, "action": {"mark"}}); r.Code != http.StatusBadRequest {
		t.Errorf("mark without a reason: %d", r.Code)
	}
	if r := c.post("/persons/"+p1+"/privacy", url.Values{"action": {"mark"}, "reason": {"x"}}); r.Code != http.StatusForbidden {
		t.Errorf("mark without the CSRF token: %d", r.Code)
	}
	r := c.post("/persons/"+p1+"/privacy", url.Values{"csrf": {tok}, "action": {"mark"}, "reason": {"the family asked"}, "asked_by": {"his mother"}})
	if r.Code != http.StatusSeeOther {
		t.Fatalf("mark: %d %s", r.Code, r.Body)
	}
	marks, err := app.New(f.s, now).Marks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pp, ok := marks.Person(p1)
	if !ok {
		t.Fatal("the mark was not recorded")
	}
	if pp.Mark.By != "bob" {
		t.Errorf("marked by %q; want the session's user", pp.Mark.By)
	}
	if page := c.get("/persons/" + p1); !strings.Contains(page.Body, "<strong>Private</strong> (marked)") || !strings.Contains(page.Body, "asked by his mother") {
		t.Errorf("person page after the mark:\n%s", page.Body)
	}
	viewer := f.client(t)
	viewer.login("vera")
	vt := csrf(t, viewer.get("/persons/"+p2).Body)
	if r := viewer.post("/persons/"+p2+"/privacy", url.Values{"csrf": {vt}, "action": {"mark"}, "reason": {"x"}}); r.Code != http.StatusForbidden {
		t.Errorf("a viewer marking: %d; want 403", r.Code)
	}
	if _, ok := marks.Person(p2); ok {
		t.Error("the viewer's mark was recorded")
	}
	_ = audience.Internal
}

// TestRequestLogs: one JSON line per request with the route pattern,
// never the path's query (a searched name), the cookie or the user.
func TestRequestLogs(t *testing.T) {
	var logs bytes.Buffer
	var mu sync.Mutex
	f := privacyServer(t, true, lockedLog{&mu, &logs})
	p1 := f.pid("ipm@2025-06-01:1")
	c := f.tlsClient(t)
	c.login("alice")
	c.get("/search?q=" + url.QueryEscape("Həsənov Əli"))
	c.get("/persons/" + p1)
	c.get("/no/such/page")
	mu.Lock()
	out := logs.String()
	mu.Unlock()
	for _, want := range []string{`"route":"POST /login"`, `"route":"GET /search"`, `"route":"GET /persons/{id}"`, `"status":303`, `"tls":true`} {
		if !strings.Contains(out, want) {
			t.Errorf("logs lack %s:\n%s", want, out)
		}
	}
	for _, bad := range []string{"Həsənov", "H%C9%99s%C9%99nov", "alice", web.CookieName, p1} {
		if strings.Contains(out, bad) {
			t.Errorf("logs hold %q:\n%s", bad, out)
		}
	}
}

type lockedLog struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedLog) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

// TestViewerSeesNoPrivateField: with birth years and cases marked private,
// a viewer (the coalition's view) finds neither on the item page (the
// records side by side, the score's waterfall, the payload), the person
// page, the search results or the queue; an analyst (internal) sees them.
func TestViewerSeesNoPrivateField(t *testing.T) {
	f := privacyServer(t, false, nil)
	ctx := context.Background()
	svc := app.New(f.s, now)
	for _, col := range []string{"birth", "case"} {
		if _, err := svc.MarkPrivate(ctx, app.PrivacyRequest{Column: col, Reason: "dangerous to publish", By: "alice"}); err != nil {
			t.Fatal(err)
		}
	}
	item := fmt.Sprintf("/items/%d", f.id("match:"))
	pages := []string{item, "/persons/" + f.pid("ipm@2025-06-01:1"), "/search?q=" + url.QueryEscape("Həsənov Əli"), "/queue",
		"/api/queue", fmt.Sprintf("/api/items/%d", f.id("match:"))}
	secrets := []string{"1985", "1986", "Abzas Media", "Абзас Медиа"}
	viewer, analyst := f.client(t), f.client(t)
	viewer.login("vera")
	analyst.login("bob")
	for _, page := range pages {
		r := viewer.get(page)
		if r.Code != http.StatusOK {
			t.Fatalf("viewer %s: %d", page, r.Code)
		}
		for _, s := range secrets {
			if strings.Contains(r.Body, s) {
				t.Errorf("viewer %s shows the private %q", page, s)
			}
		}
	}
	for _, page := range pages[:2] {
		if r := analyst.get(page); !strings.Contains(r.Body, "1985") || !strings.Contains(r.Body, "Abzas Media") {
			t.Errorf("analyst %s: the birth year or case is missing (so the viewer's test could not fail)", page)
		}
	}
}
