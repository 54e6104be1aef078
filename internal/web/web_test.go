package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/roster-coalition/roster/internal/app"
	"github.com/roster-coalition/roster/internal/match"
	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/store"
	"github.com/roster-coalition/roster/internal/web"
	"github.com/roster-coalition/roster/internal/webstore"
)

// The UI's tests run on a real store (a file under t.TempDir()) wired by
// webstore, as roster serve wires it. All the people are made up.

const hostile = `<script>alert(1)</script>`

const matchPayload = `{"probability":0.72,"explanation":{"reason":"review band","prior_weight":-6.5,"weight":1.4,"probability":0.72,
 "fields":[{"field":"surname","level":"variant","a":"Həsənov","b":"Гасанов","weight":5.1,"rules":["h → Г (Russian route)","-ov → -ов"]},
           {"field":"given","level":"equal","weight":4.2},
           {"field":"birth_year","level":"different","a":"1985","b":"1986","weight":-2.4},
           {"field":"group","level":"equal","weight":1.0}],
 "name_rules":["h → Г (Russian route)","ə → а"]},"persons":["P-000001","P-000002"],"same_person":false}`

type fixture struct {
	t     *testing.T
	path  string
	s     *store.Store
	srv   *httptest.Server
	items map[string]int64 // by key
}

var now = func() time.Time { return time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC) }

func openStore(t *testing.T, path string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	s.Now = now
	return s
}

// newFixture seeds two lists (a journalist in both, spelled on two routes;
// a hostile name; a namesake), matches them, queues a few items and adds
// alice (admin), bob and carol (analysts) and vera (a viewer).
func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "roster.db")
	s := openStore(t, path)
	t.Cleanup(func() { s.Close() })
	imp := func(src, ed string, recs ...roster.Record) {
		f := store.ImportFile{Name: src + ".csv", SHA256: "sha-" + src, Format: "csv", Size: 100}
		for i := range recs {
			recs[i].Row, recs[i].Location, recs[i].Raw = i+1, fmt.Sprintf("row %d", i+1), recs[i].Name+";"+fmt.Sprint(recs[i].BirthYear)
		}
		f.Records = recs
		if _, err := s.Import(ctx, store.ImportRequest{Source: src, Edition: ed, Files: []store.ImportFile{f}}); err != nil {
			t.Fatal(err)
		}
	}
	imp("ipm", "2025-06-01",
		roster.Record{Ref: "1", Name: "Həsənov Əli Vaqif oğlu", BirthYear: 1985, Group: "journalist", GroupRaw: "Jurnalistlər", Case: "Abzas Media"},
		roster.Record{Ref: "2", Name: hostile, BirthYear: 1990, Group: "anti-war", GroupRaw: "Müharibə əleyhinə"},
		roster.Record{Ref: "3", Name: "Məmmədov Rəşad Tofiq oğlu", BirthYear: 1979, Group: "", GroupRaw: "Mühacirlər"})
	imp("cdr", "2025-09-01",
		roster.Record{Ref: "7", Name: "Гасанов Али Вагиф оглы", BirthYear: 1986, Group: "journalist", GroupRaw: "Журналисты", Case: "Абзас Медиа"},
		roster.Record{Ref: "8", Name: "Мамедова Лейла", BirthYear: 1979, Group: "journalist", GroupRaw: "Журналисты"})
	if _, err := app.New(s, now).Match(ctx, match.Config{}); err != nil {
		t.Fatal(err)
	}
	pid := func(ref string) string {
		r, _ := roster.ParseRef(ref)
		p, err := s.PersonOf(ctx, r)
		if err != nil || p == "" {
			t.Fatalf("person of %s: %q %v", ref, p, err)
		}
		return p
	}
	items := []roster.ReviewItem{
		{Key: "match:cdr@2025-09-01:7|ipm@2025-06-01:1", Kind: roster.KindMatch, Group: "journalist",
			Records: []string{"ipm@2025-06-01:1", "cdr@2025-09-01:7"}, Title: "Is Həsənov Əli (ipm:1) the same person as Гасанов Али (cdr:7)?",
			Payload: matchPayload, Impact: 80},
		{Key: "omission:cdr:" + pid("ipm@2025-06-01:2"), Kind: roster.KindOmission, Source: "cdr", PersonID: pid("ipm@2025-06-01:2"),
			Group: "anti-war", Records: []string{"ipm@2025-06-01:2"}, Title: "cdr does not list " + hostile, Payload: `{"source":"cdr"}`, Impact: 40},
		{Key: "group-gap:cdr:anti-war", Kind: roster.KindGroupGap, Source: "cdr", Group: "anti-war", Title: "cdr lists no anti-war activists",
			Payload: `{"source":"cdr","group":"anti-war","count":0,"others":{"ipm":1}}`, Impact: 90},
		{Key: "unknown-group:ipm:muhacirler", Kind: roster.KindUnknownGroup, Source: "ipm", Records: []string{"ipm@2025-06-01:3"},
			Title: `ipm: group label "Mühacirlər" maps to no group (1 record)`, Payload: `{"label":"Mühacirlər","source":"ipm"}`, Impact: 41},
		{Key: "duplicate:cdr@2025-09-01:7|cdr@2025-09-01:8", Kind: roster.KindDuplicate, Source: "cdr",
			Records: []string{"cdr@2025-09-01:7", "cdr@2025-09-01:8"}, Title: "an old decided one", Payload: `{}`, Impact: 99},
	}
	if _, err := s.SaveReviewItems(ctx, 1, items); err != nil {
		t.Fatal(err)
	}
	// The registry's tally, as a rebuild of the queue keeps it.
	if err := s.SaveRegistryTally(ctx, store.RegistryTally{Persons: 4, Groups: map[string]int{"journalist": 2, "anti-war": 1, "": 1}}); err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, path: path, s: s, items: map[string]int64{}}
	all, err := s.ReviewItems(ctx, store.ReviewFilter{State: "all"})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range all {
		f.items[it.Key] = it.ID
	}
	for _, u := range []struct{ name, role string }{{"alice", ""}, {"bob", "analyst"}, {"carol", "analyst"}, {"vera", "viewer"}} {
		if err := s.AddUserRole(ctx, "", u.name, u.name+"-password", u.role); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.DecideItem(ctx, f.id("duplicate:"), -1, roster.VerdictDifferent, "two people", "alice"); err != nil {
		t.Fatal(err)
	}
	f.serve(s)
	return f
}

// serve (re)starts the UI on a store.
func (f *fixture) serve(s *store.Store) {
	h, err := webstore.New(s, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		f.t.Fatal(err)
	}
	if f.srv != nil {
		f.srv.Close()
	}
	f.srv = httptest.NewServer(h)
	f.t.Cleanup(f.srv.Close)
}

// id is the ID of the item whose key starts with prefix.
func (f *fixture) id(prefix string) int64 {
	for k, id := range f.items {
		if strings.HasPrefix(k, prefix) {
			return id
		}
	}
	f.t.Fatalf("no item %s", prefix)
	return 0
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

func (c *client) login(name string) {
	c.t.Helper()
	r := c.post("/login", url.Values{"name": {name}, "password": {name + "-password"}})
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

// decide posts a verdict on an item as the page shows it.
func (c *client) decide(id int64, verdict, reason string, extra ...string) resp {
	c.t.Helper()
	page := c.get(fmt.Sprintf("/items/%d", id))
	m := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(page.Body)
	version := "0"
	if m != nil {
		version = m[1]
	}
	form := url.Values{"csrf": {csrf(c.t, page.Body)}, "version": {version}, "verdict": {verdict}, "reason": {reason}}
	for i := 0; i+1 < len(extra); i += 2 {
		form.Set(extra[i], extra[i+1])
	}
	return c.post(fmt.Sprintf("/items/%d/decide", id), form)
}

func (f *fixture) audit() []store.AuditEntry {
	a, err := f.s.Audit(context.Background())
	if err != nil {
		f.t.Fatal(err)
	}
	return a
}

// Every page and API needs a session; without one, pages redirect to the
// login, APIs answer 401 and writes change nothing.
func TestAuthRequired(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	before := len(f.audit())
	for _, p := range []string{"/", "/queue", "/queue?kind=match", "/items/1", "/persons", "/persons/P-000001",
		"/record?ref=ipm:1", "/sources", "/search?q=Hasanov", "/audit", "/stats", "/admin", "/nope"} {
		r := c.get(p)
		if r.Code != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login?next=") {
			t.Errorf("GET %s without session: %d %q, want 303 to /login", p, r.Code, r.Header.Get("Location"))
		}
		if strings.Contains(r.Body, "Həsənov") {
			t.Errorf("GET %s leaks data without a session", p)
		}
	}
	for _, p := range []string{"/api/queue", "/api/items/1", "/api/counts"} {
		if r := c.get(p); r.Code != http.StatusUnauthorized || strings.Contains(r.Body, "Həsənov") {
			t.Errorf("GET %s without session: %d, want 401", p, r.Code)
		}
	}
	u, _ := url.Parse(f.srv.URL)
	c.jar.SetCookies(u, []*http.Cookie{{Name: web.CookieName, Value: "forged"}})
	if r := c.get("/queue"); r.Code != http.StatusSeeOther {
		t.Errorf("forged cookie: %d", r.Code)
	}
	for _, p := range []string{"/items/1/decide", "/items/5/undo", "/logout", "/admin/role", "/sources/ipm/scope"} {
		r := c.post(p, url.Values{"csrf": {"x"}, "version": {"0"}, "verdict": {"same"}, "reason": {"r"}})
		if r.Code != http.StatusUnauthorized {
			t.Errorf("POST %s without session: %d, want 401", p, r.Code)
		}
	}
	if len(f.audit()) != before {
		t.Fatal("writes without a session changed the audit log")
	}
	if r := c.get("/static/app.css"); r.Code != http.StatusOK {
		t.Errorf("app.css: %d", r.Code)
	}
}

// Roles are checked on every request: a viewer reads but decides nothing,
// an analyst decides but manages nothing.
func TestRoles(t *testing.T) {
	f := newFixture(t)
	vera := f.client(t)
	vera.login("vera")
	id := f.id("match:")
	page := vera.get(fmt.Sprintf("/items/%d", id))
	if page.Code != 200 || strings.Contains(page.Body, `id="decide"`) || !strings.Contains(page.Body, "deciding it is for analysts and admins") {
		t.Errorf("a viewer's item page offers a decision (%d)", page.Code)
	}
	before := len(f.audit())
	r := vera.post(fmt.Sprintf("/items/%d/decide", id), url.Values{"csrf": {csrf(t, page.Body)}, "version": {"0"}, "verdict": {"same"},
		"reason": {"looks alike"}})
	if r.Code != http.StatusForbidden || !strings.Contains(r.Body, "Only analysts and admins decide review items") {
		t.Errorf("a viewer's decision: %d", r.Code)
	}
	if r := vera.post(fmt.Sprintf("/items/%d/undo", f.id("duplicate:")), url.Values{"csrf": {csrf(t, page.Body)}}); r.Code != http.StatusForbidden {
		t.Errorf("a viewer's undo: %d", r.Code)
	}
	if len(f.audit()) != before {
		t.Fatal("a viewer's request changed the audit log")
	}
	bob := f.client(t)
	bob.login("bob")
	for _, p := range []string{"/admin"} {
		if r := bob.get(p); r.Code != http.StatusForbidden {
			t.Errorf("an analyst GET %s: %d, want 403", p, r.Code)
		}
	}
	tok := csrf(t, bob.get("/queue").Body)
	for _, p := range []string{"/admin/role", "/admin/revoke", "/admin/double", "/sources/ipm/scope"} {
		if r := bob.post(p, url.Values{"csrf": {tok}, "name": {"bob"}, "role": {"admin"}, "all": {"1"}}); r.Code != http.StatusForbidden {
			t.Errorf("an analyst POST %s: %d, want 403", p, r.Code)
		}
	}
	if role, _ := f.s.RoleOf(context.Background(), "bob"); role != "analyst" {
		t.Fatalf("bob made himself %s", role)
	}
	// The store checks too: a viewer named as the decider is refused.
	if _, err := f.s.DecideItem(context.Background(), id, -1, roster.VerdictSame, "r", "vera"); roster.ErrorCode(err) != roster.EFORBIDDEN {
		t.Errorf("store: a viewer's decision: %v", err)
	}
}

func TestLoginLogout(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	if r := c.get("/login"); r.Code != 200 || !strings.Contains(r.Body, `autocomplete="current-password"`) {
		t.Fatalf("login page: %d", r.Code)
	}
	r := c.post("/login", url.Values{"name": {"alice"}, "password": {"wrong"}})
	if r.Code != http.StatusUnauthorized || !strings.Contains(r.Body, "Unknown user name or wrong password") {
		t.Fatalf("wrong password: %d", r.Code)
	}
	r = c.post("/login", url.Values{"name": {"alice"}, "password": {"alice-password"}, "next": {"//evil.example/x"}})
	if r.Code != http.StatusSeeOther || r.Header.Get("Location") != "/queue" {
		t.Fatalf("login: %d %q (an off-site next must not be followed)", r.Code, r.Header.Get("Location"))
	}
	ck := r.Header.Get("Set-Cookie")
	for _, want := range []string{web.CookieName + "=", "HttpOnly", "SameSite=Strict", "Path=/"} {
		if !strings.Contains(ck, want) {
			t.Errorf("session cookie %q lacks %s", ck, want)
		}
	}
	q := c.get("/queue")
	if q.Code != 200 || !strings.Contains(q.Body, "Signed in as <strong>alice</strong>") {
		t.Fatalf("queue after login: %d", q.Code)
	}
	if r := c.post("/logout", url.Values{"csrf": {csrf(t, q.Body)}}); r.Code != http.StatusSeeOther {
		t.Fatalf("logout: %d", r.Code)
	}
	if ss, _ := f.s.Sessions(context.Background(), "alice"); len(ss) != 0 {
		t.Fatal("logout left the session alive")
	}
	if r := c.get("/queue"); r.Code != http.StatusSeeOther {
		t.Fatalf("queue after logout: %d", r.Code)
	}
}

// Five failures lock a name; the lockout and the sessions are in the
// database, so a restart of the server (a new store on the same file)
// keeps both.
func TestLockoutAndSessionsSurviveRestart(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	bob := f.client(t)
	bob.login("bob")
	for range 5 {
		c.post("/login", url.Values{"name": {"alice"}, "password": {"guess"}})
	}
	if r := c.post("/login", url.Values{"name": {"alice"}, "password": {"alice-password"}}); r.Code != http.StatusTooManyRequests {
		t.Fatalf("after 5 failures: %d, want 429", r.Code)
	}
	// Restart: close the store, open the file again, serve anew.
	f.s.Close()
	s2 := openStore(t, f.path)
	t.Cleanup(func() { s2.Close() })
	f.s = s2
	f.serve(s2)
	r := c.post("/login", url.Values{"name": {"ALICE"}, "password": {"alice-password"}})
	if r.Code != http.StatusTooManyRequests || !strings.Contains(r.Body, "Too many failed attempts") {
		t.Fatalf("after a restart: %d, want the lockout kept (429)", r.Code)
	}
	if r := bob.get("/queue"); r.Code != 200 {
		t.Fatalf("bob's session after a restart: %d", r.Code)
	}
	// The lockout ends in time.
	s2.Now = func() time.Time { return now().Add(time.Hour) }
	if r := c.post("/login", url.Values{"name": {"alice"}, "password": {"alice-password"}}); r.Code != http.StatusSeeOther {
		t.Fatalf("an hour later: %d", r.Code)
	}
	// Sessions expire.
	s2.Now = func() time.Time { return now().Add(store.SessionTTL + 2*time.Hour) }
	if r := bob.get("/queue"); r.Code != http.StatusSeeOther {
		t.Fatalf("bob's session after it expired: %d", r.Code)
	}
}

// An admin ends another analyst's sessions and changes roles; the change
// holds on the next request.
func TestAdminRevokesAndSetsRoles(t *testing.T) {
	f := newFixture(t)
	alice, bob := f.client(t), f.client(t)
	alice.login("alice")
	bob.login("bob")
	page := alice.get("/admin")
	if page.Code != 200 || !strings.Contains(page.Body, `id="accounts"`) || !strings.Contains(page.Body, "<code>") {
		t.Fatalf("admin page: %d", page.Code)
	}
	tok := csrf(t, page.Body)
	if r := alice.post("/admin/revoke", url.Values{"csrf": {tok}, "name": {"bob"}}); r.Code != http.StatusSeeOther {
		t.Fatalf("revoke: %d", r.Code)
	}
	if r := bob.get("/queue"); r.Code != http.StatusSeeOther {
		t.Errorf("bob's revoked session still works: %d", r.Code)
	}
	if r := alice.post("/admin/role", url.Values{"csrf": {tok}, "name": {"bob"}, "role": {"viewer"}}); r.Code != http.StatusSeeOther {
		t.Fatalf("set role: %d", r.Code)
	}
	bob.login("bob")
	if r := bob.decide(f.id("match:"), "same", "x"); r.Code != http.StatusForbidden {
		t.Errorf("bob the viewer decides: %d", r.Code)
	}
	if r := alice.post("/admin/role", url.Values{"csrf": {tok}, "name": {"alice"}, "role": {"analyst"}}); r.Code != http.StatusConflict {
		t.Errorf("the last admin demoted: %d", r.Code)
	}
}

// Every state-changing request needs the session's CSRF token, and
// cross-origin writes are refused outright.
func TestCSRF(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	c.login("alice")
	id := f.id("match:")
	page := c.get(fmt.Sprintf("/items/%d", id))
	tok := csrf(t, page.Body)
	form := url.Values{"version": {"0"}, "verdict": {"same"}, "reason": {"same case and father"}}
	before := len(f.audit())
	for name, tc := range map[string]struct {
		tok string
		hdr []string
	}{
		"missing":      {"", nil},
		"wrong":        {"not-the-token", nil},
		"cross-origin": {tok, []string{"Sec-Fetch-Site", "cross-site"}},
		"other origin": {tok, []string{"Origin", "https://evil.example"}},
	} {
		fm := url.Values{}
		for k, v := range form {
			fm[k] = v
		}
		if tc.tok != "" {
			fm.Set("csrf", tc.tok)
		}
		if r := c.post(fmt.Sprintf("/items/%d/decide", id), fm, tc.hdr...); r.Code != http.StatusForbidden {
			t.Errorf("%s token: %d, want 403", name, r.Code)
		}
	}
	if len(f.audit()) != before {
		t.Fatal("a refused request was recorded")
	}
	if r := c.post("/logout", url.Values{}); r.Code != http.StatusForbidden {
		t.Errorf("logout without token: %d", r.Code)
	}
	form.Set("csrf", tok)
	if r := c.post(fmt.Sprintf("/items/%d/decide", id), form); r.Code != http.StatusSeeOther {
		t.Fatalf("decide with token: %d\n%s", r.Code, r.Body)
	}
	a := f.audit()
	if last := a[len(a)-1]; last.Actor != "alice" || last.Verdict != "same" {
		t.Fatalf("audit %+v, want alice's decision", last)
	}
	b := f.client(t)
	b.login("bob")
	btok := csrf(t, b.get("/queue").Body)
	if btok == tok {
		t.Fatal("two sessions share a CSRF token")
	}
	if r := c.post(fmt.Sprintf("/items/%d/undo", id), url.Values{"csrf": {btok}}); r.Code != http.StatusForbidden {
		t.Errorf("another session's token: %d", r.Code)
	}
}

// Two analysts decide the same item: the second is told who decided it
// and nothing is overwritten.
func TestConcurrentDecision(t *testing.T) {
	f := newFixture(t)
	alice, bob := f.client(t), f.client(t)
	alice.login("alice")
	bob.login("bob")
	id := f.id("match:")
	p := fmt.Sprintf("/items/%d", id)
	pa, pb := alice.get(p), bob.get(p)
	if !strings.Contains(pb.Body, `name="version" value="0"`) {
		t.Fatal("the decision form does not carry the item version")
	}
	r := alice.post(p+"/decide", url.Values{"csrf": {csrf(t, pa.Body)}, "version": {"0"}, "verdict": {"same"}, "reason": {"same father, same case"}})
	if r.Code != http.StatusSeeOther || !strings.Contains(r.Header.Get("Location"), fmt.Sprintf("decided=%d", id)) {
		t.Fatalf("alice: %d %q", r.Code, r.Header.Get("Location"))
	}
	r = bob.post(p+"/decide", url.Values{"csrf": {csrf(t, pb.Body)}, "version": {"0"}, "verdict": {"different"}, "reason": {"born a year apart"}})
	if r.Code != http.StatusConflict {
		t.Fatalf("bob: %d, want 409", r.Code)
	}
	for _, want := range []string{"already decided by alice", "Your decision was not recorded", "born a year apart", "Different people"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("bob's page lacks %q", want)
		}
	}
	page := bob.get(p)
	if !strings.Contains(page.Body, "decided by <strong>alice</strong>") || strings.Contains(page.Body, `id="decide"`) {
		t.Errorf("decided item page:\n%s", page.Body)
	}
	if r := bob.post(p+"/undo", url.Values{"csrf": {csrf(t, page.Body)}}); r.Code != http.StatusSeeOther {
		t.Fatalf("undo: %d", r.Code)
	}
	a := f.audit()
	if last := a[len(a)-1]; last.Actor != "bob" || last.Action != "undo" {
		t.Fatalf("undo entry %+v", last)
	}
}

// A hostile name renders as text on every page that shows it.
func TestHostileNamesEscaped(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	c.login("alice")
	pid, _ := f.s.PersonOf(context.Background(), roster.RecordRef{Source: "ipm", Edition: "2025-06-01", Ref: "2"})
	for _, p := range []string{"/queue", fmt.Sprintf("/items/%d", f.id("omission:")), "/persons/" + pid, "/persons",
		"/record?ref=ipm@2025-06-01:2", "/api/queue"} {
		r := c.get(p)
		if r.Code != 200 {
			t.Errorf("GET %s: %d", p, r.Code)
			continue
		}
		if strings.Contains(r.Body, "<script>alert(1)") {
			t.Errorf("GET %s: the hostile name is not escaped", p)
		}
		if p != "/api/queue" && !strings.Contains(r.Body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("GET %s: the hostile name is not shown as text", p)
		}
		if strings.Count(r.Body, "<script") != strings.Count(r.Body, `<script src="/static/app.js" defer></script>`) {
			t.Errorf("GET %s: a script other than /static/app.js", p)
		}
	}
}

func TestSecurityHeaders(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	for _, p := range []string{"/login", "/static/app.js", "/static/app.css"} {
		r := c.get(p)
		if r.Code != 200 {
			t.Fatalf("%s: %d", p, r.Code)
		}
		if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || strings.Contains(csp, "unsafe") {
			t.Errorf("%s: CSP %q", p, csp)
		}
		if r.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", p)
		}
	}
}

func TestQueuePage(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	c.login("alice")
	r := c.get("/queue")
	gap, m, om := f.id("group-gap:"), f.id("match:"), f.id("omission:")
	// Open only, highest impact first: the gap (90), the match (80), the
	// omission (40); the decided duplicate is not shown.
	ig, im, io := strings.Index(r.Body, fmt.Sprintf(`href="/items/%d"`, gap)), strings.Index(r.Body, fmt.Sprintf(`href="/items/%d"`, m)),
		strings.Index(r.Body, fmt.Sprintf(`href="/items/%d"`, om))
	if !(ig > 0 && ig < im && im < io) || strings.Contains(r.Body, "an old decided one") {
		t.Errorf("queue order: %d %d %d", ig, im, io)
	}
	if !strings.Contains(r.Body, `Doubtful match <span class="badge">1</span>`) {
		t.Error("no count per kind")
	}
	r = c.get("/queue?kind=match")
	if strings.Contains(r.Body, fmt.Sprintf(`href="/items/%d?`, gap)) || !strings.Contains(r.Body, fmt.Sprintf(`href="/items/%d?kind=match"`, m)) {
		t.Error("kind filter")
	}
	// A match has no source of its own: it is found by its records'.
	r = c.get("/queue?source=cdr")
	for _, id := range []int64{gap, m, om} {
		if !strings.Contains(r.Body, fmt.Sprintf(`/items/%d?`, id)) {
			t.Errorf("source filter lacks item %d", id)
		}
	}
	if r := c.get("/queue?state=all"); !strings.Contains(r.Body, "an old decided one") {
		t.Error("state=all")
	}
	if r := c.get("/queue?state=bogus"); r.Code != http.StatusBadRequest {
		t.Errorf("bad state: %d", r.Code)
	}
	if r := c.get("/queue?after=bogus"); r.Code != http.StatusBadRequest {
		t.Errorf("bad cursor: %d", r.Code)
	}
	if r := c.get("/api/counts"); r.Code != 200 || !strings.Contains(r.Body, `"match": 1`) {
		t.Errorf("api counts: %s", r.Body)
	}
}

// The queue is read page by page through its index: every item once,
// in order, forward and back.
func TestQueuePaging(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var items []roster.ReviewItem
	for i := range 130 {
		items = append(items, roster.ReviewItem{Key: fmt.Sprintf("change:ipm@2025-06-01:added:P-%06d", 900+i), Kind: roster.KindChange,
			Source: "ipm", Title: fmt.Sprintf("change %03d", i), Payload: `{}`, Impact: float64(10 + i%3)})
	}
	// Keep the seeded items, add the changes.
	all, _ := f.s.ReviewItems(ctx, store.ReviewFilter{State: "all"})
	for _, it := range all {
		if it.Kind != roster.KindAdjudication {
			items = append(items, it)
		}
	}
	if _, err := f.s.SaveReviewItems(ctx, 2, items); err != nil {
		t.Fatal(err)
	}
	c := f.client(t)
	c.login("alice")
	linkRE := regexp.MustCompile(`<a rel="next" href="([^"]+)">next page`)
	prevRE := regexp.MustCompile(`<a rel="prev" href="([^"]+)">← previous page`)
	titleRE := regexp.MustCompile(`class="item-link" href="[^"]+">change (\d+)</a>`)
	seen := map[string]bool{}
	var pages []string
	path := "/queue?kind=change"
	for n := 0; n < 10 && path != ""; n++ {
		r := c.get(strings.ReplaceAll(path, "&amp;", "&"))
		if r.Code != 200 {
			t.Fatalf("GET %s: %d", path, r.Code)
		}
		pages = append(pages, path)
		for _, m := range titleRE.FindAllStringSubmatch(r.Body, -1) {
			if seen[m[1]] {
				t.Errorf("change %s on two pages", m[1])
			}
			seen[m[1]] = true
		}
		path = ""
		if m := linkRE.FindStringSubmatch(r.Body); m != nil {
			path = m[1]
		}
	}
	if len(seen) != 130 || len(pages) != 3 {
		t.Fatalf("paged through %d changes on %d pages, want 130 on 3", len(seen), len(pages))
	}
	// Back from the last page: the previous page is the second.
	last := c.get(strings.ReplaceAll(pages[2], "&amp;", "&"))
	m := prevRE.FindStringSubmatch(last.Body)
	if m == nil {
		t.Fatal("the last page has no previous link")
	}
	back := c.get(strings.ReplaceAll(m[1], "&amp;", "&"))
	second := c.get(strings.ReplaceAll(pages[1], "&amp;", "&"))
	if fmt.Sprint(titleRE.FindAllString(back.Body, -1)) != fmt.Sprint(titleRE.FindAllString(second.Body, -1)) {
		t.Error("the previous page of the last is not the second page")
	}
	// The item page's previous and next follow the same order.
	var p struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
		Next string `json:"next"`
	}
	if err := json.Unmarshal([]byte(c.get("/api/queue?kind=change").Body), &p); err != nil || len(p.Items) != 50 || p.Next == "" {
		t.Fatalf("api queue: %d items, next %q (%v)", len(p.Items), p.Next, err)
	}
	item := c.get(fmt.Sprintf("/items/%d?kind=change", p.Items[1].ID))
	if !strings.Contains(item.Body, fmt.Sprintf(`rel="prev" href="/items/%d?kind=change"`, p.Items[0].ID)) ||
		!strings.Contains(item.Body, fmt.Sprintf(`rel="next" href="/items/%d?kind=change"`, p.Items[2].ID)) {
		t.Error("the item page's previous and next are not its neighbours in the queue")
	}
}

// Each kind offers only the actions it can take, named for people.
func TestItemActionsPerKind(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	c.login("alice")
	for _, tc := range []struct {
		key       string
		want, not []string
	}{
		{"match:", []string{`value="same"`, `value="different"`, `value="unsure"`, `value="dismiss"`, "Why it is here:",
			"in the review band", "Birth year", "Given name", "Same person"}, []string{`value="confirm"`, ">birth_year<"}},
		{"omission:", []string{`value="confirm"`, `value="not-omission"`, `value="out-of-scope"`, `value="unsure"`, "Not an omission",
			"the list does not mean to cover this person"}, []string{`value="same"`, `value="different"`}},
		{"group-gap:", []string{`value="confirm"`, `value="out-of-scope"`, `value="dismiss"`}, []string{`value="same"`, `value="different"`}},
		{"unknown-group:", []string{`value="map"`, `<select id="group" name="group">`, "Map to a group"}, []string{`value="same"`}},
	} {
		r := c.get(fmt.Sprintf("/items/%d", f.id(tc.key)))
		for _, w := range tc.want {
			if !strings.Contains(r.Body, w) {
				t.Errorf("%s: page lacks %q", tc.key, w)
			}
		}
		for _, w := range tc.not {
			if strings.Contains(r.Body, w) {
				t.Errorf("%s: page has %q", tc.key, w)
			}
		}
	}
	// A verdict the kind does not take is refused, and the reason is kept.
	r := c.decide(f.id("omission:"), "same", "typed with care")
	if r.Code != http.StatusBadRequest || !strings.Contains(r.Body, "typed with care") || !strings.Contains(r.Body, "is not about two records") {
		t.Errorf("same on an omission: %d", r.Code)
	}
	// A reason is capped at 4,000 characters, with a message saying so.
	r = c.decide(f.id("omission:"), "confirm", strings.Repeat("é", 4001))
	if r.Code != http.StatusBadRequest || !strings.Contains(r.Body, "the reason is 4001 characters long; the audit log keeps at most 4000") {
		t.Errorf("a long reason: %d", r.Code)
	}
	// Mapping a label from the queue gives its records the group.
	if r := c.decide(f.id("unknown-group:"), "map", "emigrants jailed abroad", "group", "deported-refugee"); r.Code != http.StatusSeeOther {
		t.Fatalf("map: %d\n%s", r.Code, r.Body)
	}
	rec, err := f.s.FindRecord(context.Background(), roster.RecordRef{Source: "ipm", Edition: "2025-06-01", Ref: "3"})
	if err != nil || rec.Group != "deported-refugee" {
		t.Errorf("the mapped record's group: %q (%v)", rec.Group, err)
	}
	if labels, _ := f.s.GroupLabels(context.Background(), "ipm"); labels["mühacirlər"] != "deported-refugee" {
		t.Errorf("mapped labels: %v", labels)
	}
}

// unsure keeps an item open, marked for a second look, and can ask
// someone for it.
func TestUnsureKeepsOpen(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	c.login("alice")
	id := f.id("omission:")
	r := c.decide(id, "unsure", "need the court record", "assign", "carol")
	if r.Code != http.StatusSeeOther || !strings.Contains(r.Header.Get("Location"), fmt.Sprintf("/items/%d?", id)) {
		t.Fatalf("unsure: %d %q", r.Code, r.Header.Get("Location"))
	}
	it, _ := f.s.ReviewItem(context.Background(), id)
	if it.State != "open" || !it.SecondLook || it.AssignedTo != "carol" {
		t.Fatalf("after unsure: %+v", it)
	}
	carol := f.client(t)
	carol.login("carol")
	q := carol.get("/queue?assigned=carol")
	if !strings.Contains(q.Body, fmt.Sprintf(`href="/items/%d?assigned=carol"`, id)) || !strings.Contains(q.Body, "second look: carol") {
		t.Error("carol's queue lacks the item assigned to her")
	}
	if q := carol.get("/queue?second=1"); !strings.Contains(q.Body, fmt.Sprintf(`/items/%d?`, id)) {
		t.Error("the second-look queue lacks the item")
	}
	if r := carol.decide(id, "confirm", "the court record names him"); r.Code != http.StatusSeeOther {
		t.Fatalf("carol decides: %d", r.Code)
	}
	if it, _ := f.s.ReviewItem(context.Background(), id); it.State != "decided" {
		t.Fatalf("after carol: %s", it.State)
	}
}

// Blind double review over HTTP: two analysts decide an item without
// seeing each other's decision; agreement settles it; disagreement opens
// an adjudication that shows both, for a third analyst.
func TestDoubleReview(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	alice, bob, carol := f.client(t), f.client(t), f.client(t)
	alice.login("alice")
	bob.login("bob")
	carol.login("carol")
	page := alice.get("/admin")
	if r := alice.post("/admin/double", url.Values{"csrf": {csrf(t, page.Body)}, "kinds": {"match", "omission"}}); r.Code != http.StatusSeeOther {
		t.Fatalf("set double review: %d", r.Code)
	}
	// Disagreement on the match.
	m := f.id("match:")
	r := bob.decide(m, "same", "same father's name")
	if r.Code != http.StatusSeeOther || !strings.Contains(r.Header.Get("Location"), "outcome=voted") {
		t.Fatalf("bob's vote: %d %q", r.Code, r.Header.Get("Location"))
	}
	if it, _ := f.s.ReviewItem(ctx, m); it.State != "open" {
		t.Fatalf("one vote decided the item: %s", it.State)
	}
	// Bob sees his own vote and no form; the item left his queue.
	if p := bob.get(fmt.Sprintf("/items/%d", m)); !strings.Contains(p.Body, `id="myvote"`) || strings.Contains(p.Body, `id="decide"`) {
		t.Error("bob's item page after his vote")
	}
	if q := bob.get("/queue"); strings.Contains(q.Body, fmt.Sprintf(`href="/items/%d"`, m)) {
		t.Error("the item bob voted on is still in his queue")
	}
	// Carol sees nothing of bob's vote.
	cp := carol.get(fmt.Sprintf("/items/%d", m))
	if strings.Contains(cp.Body, "same father's name") || !strings.Contains(cp.Body, `id="decide"`) {
		t.Error("carol's page shows bob's vote, or no form")
	}
	if a := carol.get("/audit"); strings.Contains(a.Body, "same father's name") {
		t.Error("the audit log shows a pending vote")
	}
	r = carol.decide(m, "different", "born a year apart")
	if r.Code != http.StatusSeeOther || !strings.Contains(r.Header.Get("Location"), "outcome=disagreed") {
		t.Fatalf("carol's vote: %d %q", r.Code, r.Header.Get("Location"))
	}
	adj, err := f.s.ReviewItemByKey(ctx, fmt.Sprintf("adjudication:%d:0", m))
	if err != nil || adj.Kind != roster.KindAdjudication || adj.State != "open" {
		t.Fatalf("adjudication: %+v %v", adj, err)
	}
	ap := bob.get(fmt.Sprintf("/items/%d", adj.ID))
	for _, want := range []string{"same father&#39;s name", "born a year apart", `id="barred"`} {
		if !strings.Contains(ap.Body, want) {
			t.Errorf("the adjudication page (to bob) lacks %q", want)
		}
	}
	if r := bob.decide(adj.ID, "same", "I insist"); r.Code != http.StatusForbidden || !strings.Contains(r.Body, "a third analyst or an admin adjudicates") {
		t.Errorf("bob adjudicates his own vote: %d", r.Code)
	}
	if it, _ := f.s.ReviewItem(ctx, m); it.State != "open" || !it.Held {
		t.Fatalf("a voter adjudicated: %+v", it)
	}
	// Alice (an admin who did not vote) adjudicates.
	if r := alice.decide(adj.ID, "different", "the birth certificates differ"); r.Code != http.StatusSeeOther {
		t.Fatalf("alice adjudicates: %d\n%s", r.Code, r.Body)
	}
	if it, _ := f.s.ReviewItem(ctx, m); it.State != "decided" {
		t.Fatalf("after adjudication: %s", it.State)
	}
	// Agreement on the omission settles it under both names.
	om := f.id("omission:")
	bob.decide(om, "confirm", "listed by the others, not by cdr")
	r = carol.decide(om, "confirm", "cdr missed him")
	if !strings.Contains(r.Header.Get("Location"), "outcome=agreed") {
		t.Fatalf("agreement: %q", r.Header.Get("Location"))
	}
	it, _ := f.s.ReviewItem(ctx, om)
	d, _ := f.s.Decision(ctx, it.DecisionID)
	if it.State != "decided" || d.By != "bob+carol" {
		t.Fatalf("agreed item %+v by %q", it, d.By)
	}
	// The agreement page: 2 items decided twice, 1 agreed.
	st := alice.get("/stats")
	for _, want := range []string{`id="by-kind"`, "Doubtful match", "Omission", "bob &amp; carol", `id="pace"`} {
		if !strings.Contains(st.Body, want) {
			t.Errorf("stats page lacks %q", want)
		}
	}
}

func TestPersonsSourcesSearchAudit(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	c.login("alice")
	pid, _ := f.s.PersonOf(context.Background(), roster.RecordRef{Source: "ipm", Edition: "2025-06-01", Ref: "1"})
	r := c.get("/persons/" + pid)
	for _, want := range []string{"Həsənov Əli Vaqif oğlu", "✓ listed", "2025-06-01 (#1)", "Review items about this person"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("person page lacks %q", want)
		}
	}
	if r := c.get("/persons/P-999"); r.Code != http.StatusNotFound {
		t.Errorf("unknown person: %d", r.Code)
	}
	if r := c.get("/persons"); !strings.Contains(r.Body, `href="/persons/`+pid+`"`) {
		t.Error("the list of persons lacks a person")
	}
	r = c.get("/sources")
	for _, want := range []string{"<svg", `role="img"`, "Journalists and bloggers", "ipm@2025-06-01", "unified registry", `class="sreg"`,
		"No scope declared", `action="/sources/ipm/scope"`} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("sources page lacks %q", want)
		}
	}
	// The legend comes before the bars.
	if il, ib := strings.Index(r.Body, `class="legend"`), strings.Index(r.Body, `class="val"`); il < 0 || ib < 0 || il > ib {
		t.Errorf("the chart's legend (at %d) is not before the bars (at %d)", il, ib)
	}
	// An admin declares a scope from the page.
	tok := csrf(t, r.Body)
	if r := c.post("/sources/cdr/scope", url.Values{"csrf": {tok}, "groups": {"journalist"}, "note": {"journalists only"}}); r.Code != http.StatusSeeOther {
		t.Fatalf("set scope: %d", r.Code)
	}
	if r := c.get("/sources"); !strings.Contains(r.Body, "Covers the groups journalists and bloggers (declared by alice: journalists only)") {
		t.Error("the sources page does not show cdr's scope")
	}
	// Any spelling: Cyrillic finds the Latin record, and Mamedov Məmmədov.
	r = c.get("/search?q=" + url.QueryEscape("Гасанов Али"))
	if !strings.Contains(r.Body, "Həsənov Əli Vaqif oğlu") {
		t.Errorf("search Гасанов Али does not find Həsənov Əli:\n%s", r.Body)
	}
	r = c.get("/search?q=Mamedov")
	if !strings.Contains(r.Body, "Məmmədov Rəşad Tofiq oğlu") {
		t.Error("search Mamedov does not find Məmmədov")
	}
	if strings.Contains(r.Body, "Həsənov") {
		t.Error("search Mamedov shows an unrelated name")
	}
	// Audit: a decision shows up under the analyst's name, newest first.
	c.decide(f.id("group-gap:"), "dismiss", "listed elsewhere")
	r = c.get("/audit")
	if !strings.Contains(r.Body, "<td>alice</td>") || !strings.Contains(r.Body, "listed elsewhere") {
		t.Errorf("audit page:\n%s", r.Body)
	}
}
