package web

import (
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Every page and API needs a session; without one, pages redirect to the
// login, APIs answer 401 and writes change nothing.
func TestAuthRequired(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	for _, p := range []string{"/", "/queue", "/queue?kind=match", "/items/1", "/persons/P-000001", "/record?ref=ipm:1",
		"/sources", "/search?q=Hasanov", "/audit", "/nope"} {
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
	// A forged or stale cookie is no session either.
	u, _ := url.Parse(f.srv.URL)
	c.jar.SetCookies(u, []*http.Cookie{{Name: CookieName, Value: "forged"}})
	if r := c.get("/queue"); r.Code != http.StatusSeeOther {
		t.Errorf("forged cookie: %d", r.Code)
	}
	for _, p := range []string{"/items/1/decide", "/items/4/undo", "/logout"} {
		r := c.post(p, url.Values{"csrf": {"x"}, "version": {"0"}, "verdict": {"same"}, "reason": {"r"}})
		if r.Code != http.StatusUnauthorized {
			t.Errorf("POST %s without session: %d, want 401", p, r.Code)
		}
	}
	if len(f.queue.audit) != 0 {
		t.Fatalf("writes without a session changed the audit log: %v", f.queue.audit)
	}
	// The static assets need no session (the login page uses them).
	if r := c.get("/static/app.css"); r.Code != http.StatusOK {
		t.Errorf("app.css: %d", r.Code)
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
	for _, want := range []string{CookieName + "=", "HttpOnly", "SameSite=Strict", "Path=/"} {
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
	if len(f.users.sessions) != 0 {
		t.Fatal("logout left the session alive")
	}
	if r := c.get("/queue"); r.Code != http.StatusSeeOther {
		t.Fatalf("queue after logout: %d", r.Code)
	}
}

func TestLoginThrottle(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	for i := 0; i < 5; i++ {
		c.post("/login", url.Values{"name": {"alice"}, "password": {"guess"}})
	}
	r := c.post("/login", url.Values{"name": {"alice"}, "password": {"alice-password"}})
	if r.Code != http.StatusTooManyRequests {
		t.Fatalf("after 5 failures: %d, want 429", r.Code)
	}
	c.login("bob", "bob-password") // other names are not affected
}

// Every state-changing request needs the session's CSRF token, and
// cross-origin writes are refused outright.
func TestCSRF(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	c.login("alice", "alice-password")
	page := c.get("/items/1")
	tok := csrf(t, page.Body)
	form := url.Values{"version": {"0"}, "verdict": {"same"}, "reason": {"same case and father"}}
	for name, tc := range map[string]struct {
		tok string
		hdr []string
	}{
		"missing":      {"", nil},
		"wrong":        {"csrf-alice-999", nil},
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
		if r := c.post("/items/1/decide", fm, tc.hdr...); r.Code != http.StatusForbidden {
			t.Errorf("%s token: %d, want 403", name, r.Code)
		}
	}
	if len(f.queue.audit) != 0 {
		t.Fatalf("a refused request was recorded: %v", f.queue.audit)
	}
	// Logout is a write too.
	if r := c.post("/logout", url.Values{}); r.Code != http.StatusForbidden {
		t.Errorf("logout without token: %d", r.Code)
	}
	form.Set("csrf", tok)
	r := c.post("/items/1/decide", form)
	if r.Code != http.StatusSeeOther {
		t.Fatalf("decide with token: %d\n%s", r.Code, r.Body)
	}
	if len(f.queue.audit) != 1 || f.queue.audit[0].Actor != "alice" || f.queue.audit[0].Verdict != "same" {
		t.Fatalf("audit = %+v, want alice's decision", f.queue.audit)
	}
	// The token is per session: bob's token does not work for alice.
	b := f.client(t)
	b.login("bob", "bob-password")
	btok := csrf(t, b.get("/queue").Body)
	if btok == tok {
		t.Fatal("two sessions share a CSRF token")
	}
	if r := c.post("/items/4/undo", url.Values{"csrf": {btok}}); r.Code != http.StatusForbidden {
		t.Errorf("another session's token: %d", r.Code)
	}
}

// Two analysts decide the same item: the second is told who decided it
// and nothing is overwritten.
func TestConcurrentDecision(t *testing.T) {
	f := newFixture(t)
	alice, bob := f.client(t), f.client(t)
	alice.login("alice", "alice-password")
	bob.login("bob", "bob-password")
	pa, pb := alice.get("/items/1"), bob.get("/items/1")
	if !strings.Contains(pb.Body, `name="version" value="0"`) {
		t.Fatal("the decision form does not carry the item version")
	}
	r := alice.post("/items/1/decide", url.Values{"csrf": {csrf(t, pa.Body)}, "version": {"0"}, "verdict": {"same"}, "reason": {"same father, same case"}})
	if r.Code != http.StatusSeeOther {
		t.Fatalf("alice: %d", r.Code)
	}
	if loc := r.Header.Get("Location"); !strings.Contains(loc, "decided=1") {
		t.Errorf("after deciding: Location %q", loc)
	}
	r = bob.post("/items/1/decide", url.Values{"csrf": {csrf(t, pb.Body)}, "version": {"0"}, "verdict": {"different"}, "reason": {"born a year apart"}})
	if r.Code != http.StatusConflict {
		t.Fatalf("bob: %d, want 409", r.Code)
	}
	for _, want := range []string{"already decided by alice", "Your decision was not recorded", "born a year apart", "Different people"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("bob's page lacks %q", want)
		}
	}
	if len(f.queue.audit) != 1 || f.queue.audit[0].Actor != "alice" {
		t.Fatalf("audit = %+v, want only alice's decision", f.queue.audit)
	}
	it, _ := f.queue.ReviewItem(t.Context(), 1)
	if it.State != "decided" {
		t.Fatalf("item state %s", it.State)
	}
	// The item page now says who decided it and offers undo, not the buttons.
	p := bob.get("/items/1")
	if !strings.Contains(p.Body, "decided by <strong>alice</strong>") || strings.Contains(p.Body, `id="decide"`) {
		t.Errorf("decided item page:\n%s", p.Body)
	}
	// Undo is recorded under bob's name.
	if r := bob.post("/items/1/undo", url.Values{"csrf": {csrf(t, p.Body)}}); r.Code != http.StatusSeeOther {
		t.Fatalf("undo: %d", r.Code)
	}
	if last := f.queue.audit[len(f.queue.audit)-1]; last.Actor != "bob" || last.Action != "undo" {
		t.Fatalf("undo entry %+v", last)
	}
}

// A hostile name renders as text on every page that shows it.
func TestHostileNamesEscaped(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	c.login("alice", "alice-password")
	for _, p := range []string{"/queue", "/items/2", "/persons/P-000003", "/record?ref=ipm@2025-06-01:2",
		"/search?q=" + url.QueryEscape(hostile), "/api/queue"} {
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

func TestSecurityHeadersAndAssets(t *testing.T) {
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
	// Nothing embedded points off the machine, and no inline script or style.
	fs.WalkDir(assets, ".", func(p string, d fs.DirEntry, err error) error {
		if d.IsDir() {
			return nil
		}
		b, _ := fs.ReadFile(assets, p)
		s := string(b)
		for _, bad := range []string{"http://", "https://", "//cdn", "@import", "style=", "onclick", "onload", "javascript:"} {
			if strings.Contains(s, bad) && !(bad == "http://" && strings.HasSuffix(p, ".svg") && strings.Contains(s, "http://www.w3.org/2000/svg")) {
				t.Errorf("%s contains %q", p, bad)
			}
		}
		if strings.HasSuffix(p, ".html") && (strings.Contains(s, "<style") || strings.Contains(s, "<script>")) {
			t.Errorf("%s has an inline style or script", p)
		}
		return nil
	})
}

func TestQueuePage(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	c.login("alice", "alice-password")
	r := c.get("/queue")
	// Open only, highest impact first: 3 (90), 1 (80), 2 (40); 4 is decided.
	i3, i1, i2 := strings.Index(r.Body, `href="/items/3"`), strings.Index(r.Body, `href="/items/1"`), strings.Index(r.Body, `href="/items/2"`)
	if !(i3 > 0 && i3 < i1 && i1 < i2) || strings.Contains(r.Body, `href="/items/4"`) {
		t.Errorf("queue order: %d %d %d", i3, i1, i2)
	}
	if !strings.Contains(r.Body, `Doubtful match <span class="badge">1</span>`) {
		t.Error("no count per kind")
	}
	r = c.get("/queue?kind=match")
	if strings.Contains(r.Body, `href="/items/3?`) || !strings.Contains(r.Body, `href="/items/1?kind=match"`) {
		t.Error("kind filter")
	}
	r = c.get("/queue?source=cdr&group=anti-war")
	if !strings.Contains(r.Body, "/items/3?") || !strings.Contains(r.Body, "/items/2?") || strings.Contains(r.Body, "/items/1?") {
		t.Error("source and group filter")
	}
	if r := c.get("/queue?state=all"); !strings.Contains(r.Body, "an old decided one") {
		t.Error("state=all")
	}
	if r := c.get("/queue?state=bogus"); r.Code != http.StatusBadRequest {
		t.Errorf("bad state: %d", r.Code)
	}
	if r := c.get("/api/counts"); r.Code != 200 || !strings.Contains(r.Body, `"match": 1`) {
		t.Errorf("api counts: %s", r.Body)
	}
}

func TestItemPage(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	c.login("alice", "alice-password")
	r := c.get("/items/1?kind=match")
	if r.Code != 200 {
		t.Fatalf("item: %d", r.Code)
	}
	for _, want := range []string{
		"Həsənov Əli Vaqif oğlu", "Гасанов Али Вагиф оглы", // names as written, side by side
		"ipm@2025-06-01:1", "cdr@2025-09-01:7", `href="/record?ref=ipm%402025-06-01%3A1"`, // source, edition, raw row
		`<td class="diff">1985</td>`, // the birth years differ
		"Match probability <strong>72%</strong>",
		"surname", "&#43;5.10", "−2.40", `class="neg"`, `class="pos"`, // a bar per field
		"h → Г (Russian route)", // name rules
		`data-key="s"`, `data-key="d"`, `data-key="u"`, `data-key="x"`, `id="reason"`, `<label for="reason">`,
		`action="/items/1/decide?kind=match"`,
	} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("item page lacks %q", want)
		}
	}
	if strings.Contains(r.Body, `<td class="diff">Abzas Media</td>`) {
		t.Error("equal cases highlighted as different")
	}
	if strings.Contains(r.Body, `<td class="diff">Həsənov</td>`) {
		t.Error("Həsənov and Гасанов (one surname, two routes) highlighted as different")
	}
	// Deciding without a reason is refused, and the page says so.
	r2 := c.post("/items/1/decide?kind=match", url.Values{"csrf": {csrf(t, r.Body)}, "version": {"0"}, "verdict": {"same"}})
	if r2.Code != http.StatusBadRequest || !strings.Contains(r2.Body, "give a reason") {
		t.Errorf("no reason: %d", r2.Code)
	}
	// Deciding moves on to the next item of the same filtered queue.
	r3 := c.post("/items/3/decide", url.Values{"csrf": {csrf(t, r.Body)}, "version": {"0"}, "verdict": {"unsure"}, "reason": {"ask the source"}})
	if loc := r3.Header.Get("Location"); r3.Code != http.StatusSeeOther || loc != "/items/1?decided=3" {
		t.Errorf("after deciding 3: %d %q", r3.Code, loc)
	}
	if r := c.get("/items/1?decided=3"); !strings.Contains(r.Body, "decided: <strong>Unsure</strong> by alice") {
		t.Error("no flash after the decision")
	}
	if r := c.get("/items/999"); r.Code != http.StatusNotFound {
		t.Errorf("missing item: %d", r.Code)
	}
	if r := c.get("/items/abc"); r.Code != http.StatusBadRequest {
		t.Errorf("bad item id: %d", r.Code)
	}
}

func TestPersonSourcesSearchAudit(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	c.login("alice", "alice-password")
	r := c.get("/persons/P-000001")
	for _, want := range []string{"Həsənov Əli Vaqif oğlu", "✓ listed", "✗ omitted", "2025-06-01 (#1)"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("person page lacks %q", want)
		}
	}
	if r := c.get("/persons/P-999"); r.Code != http.StatusNotFound {
		t.Errorf("unknown person: %d", r.Code)
	}
	r = c.get("/sources")
	for _, want := range []string{"<svg", `role="img"`, "Journalists and bloggers", "ipm@2025-06-01", "unified registry", `class="sreg"`} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("sources page lacks %q", want)
		}
	}
	// Any spelling: Cyrillic finds the Latin record and vice versa.
	r = c.get("/search?q=" + url.QueryEscape("Гасанов Али"))
	if !strings.Contains(r.Body, "Həsənov Əli Vaqif oğlu") || !strings.Contains(r.Body, "P-000001") {
		t.Errorf("search Гасанов Али does not find Həsənov Əli:\n%s", r.Body)
	}
	r = c.get("/search?q=" + url.QueryEscape("Ali Hasanov"))
	if !strings.Contains(r.Body, "Гасанов Али Вагиф оглы") {
		t.Error("search Ali Hasanov does not find Гасанов Али")
	}
	if strings.Contains(r.Body, "Məmmədova Leyla") {
		t.Error("search shows an unrelated name")
	}
	// Audit: a decision shows up under the analyst's name.
	p := c.get("/items/2")
	c.post("/items/2/decide", url.Values{"csrf": {csrf(t, p.Body)}, "version": {"0"}, "verdict": {"dismiss"}, "reason": {"listed elsewhere"}})
	r = c.get("/audit")
	if !strings.Contains(r.Body, "<td>alice</td>") || !strings.Contains(r.Body, "listed elsewhere") {
		t.Errorf("audit page:\n%s", r.Body)
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"": "/queue", "/items/3": "/items/3", "//evil.example": "/queue", "https://evil.example": "/queue",
		"/\\evil.example": "/queue", "/queue?kind=match": "/queue?kind=match",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}
