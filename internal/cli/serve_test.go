package cli

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/store"
)

// seedWebStore makes a database on a t.TempDir() file with two lists, a
// small review queue (a doubtful match first) and two analysts.
func seedWebStore(t testing.TB) *store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "roster.db"))
	if err != nil {
		t.Fatal(err)
	}
	s.Now = func() time.Time { return time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC) }
	t.Cleanup(func() { s.Close() })
	type row struct {
		ref, name, grp, raw, cas, arrest string
		year                             int
	}
	imp := func(src, title, ed string, rows ...row) {
		f := store.ImportFile{Name: src + ".csv", SHA256: "sha-" + src, Format: "csv", Size: 100}
		for i, r := range rows {
			f.Records = append(f.Records, roster.Record{Row: i + 1, Ref: r.ref, Location: "row " + r.ref, Name: r.name,
				BirthYear: r.year, Group: r.grp, GroupRaw: r.raw, Case: r.cas, ArrestDate: r.arrest,
				Raw: r.ref + ";" + r.name + ";" + r.raw})
		}
		if _, err := s.Import(ctx, store.ImportRequest{Source: src, SourceTitle: title, Edition: ed, Files: []store.ImportFile{f}}); err != nil {
			t.Fatal(err)
		}
	}
	imp("ipm", "İctimai Palata Monitorinqi", "2025-06-01",
		row{"1", "Həsənov Əli Vaqif oğlu", "journalist", "Jurnalistlər", "Abzas Media", "2023-11-20", 1985},
		row{"2", "Bağırov Səbuhi Fikrət oğlu", "religious", "Dindarlar", "", "2022-10-07", 1972},
		row{"3", "<script>alert(1)</script>", "anti-war", "Müharibə əleyhinə", "", "2024-03-01", 1990})
	imp("mhm", "Мемориал", "2025-05-01",
		row{"14", "Гасанов Али Вагиф оглы", "journalist", "Журналисты", "Абзас Медиа", "2023-11-20", 1986},
		row{"15", "Багиров Сабухи Фикрет оглы", "religious", "Верующие", "", "2022-10-07", 1972})
	payload, _ := json.Marshal(map[string]any{
		"probability": 0.71,
		"sides": []map[string]string{
			{"source": "ipm", "edition": "2025-06-01", "ref": "1", "fingerprint": "fp-ipm-1"},
			{"source": "mhm", "edition": "2025-05-01", "ref": "14", "fingerprint": "fp-mhm-14"},
		},
		"explanation": map[string]any{
			"prior_weight": -7.2, "weight": 1.3, "probability": 0.71, "band": "review",
			"fields": []map[string]any{
				{"field": "surname", "level": "variant", "a": "Həsənov", "b": "Гасанов", "weight": 4.6,
					"rules": []string{"h → г on the Russian route", "ə → а on the Russian route"}},
				{"field": "given", "level": "variant", "a": "Əli", "b": "Али", "weight": 3.1},
				{"field": "patronymic", "level": "variant", "a": "Vaqif", "b": "Вагиф", "weight": 2.2, "rules": []string{"q → г on the Russian route"}},
				{"field": "birth_year", "level": "within 1 year", "a": "1985", "b": "1986", "weight": -1.9},
				{"field": "group", "level": "same", "a": "journalist", "b": "journalist", "weight": 0.9},
				{"field": "case", "level": "same", "a": "Abzas Media", "b": "Абзас Медиа", "weight": 1.2},
				{"field": "arrest_date", "level": "same day", "a": "2023-11-20", "b": "2023-11-20", "weight": 0.8, "tf_adjustment": 0},
			},
			"name_rules": []string{"h → г on the Russian route", "ə → а on the Russian route", "q → г on the Russian route", "oğlu ↔ оглы"},
		},
	})
	items := []roster.ReviewItem{
		{Key: "match:ipm@2025-06-01:1|mhm@2025-05-01:14", Kind: roster.KindMatch, Group: "journalist",
			Records: []string{"ipm@2025-06-01:1", "mhm@2025-05-01:14"},
			Title:   "Həsənov Əli Vaqif oğlu (ipm) ~ Гасанов Али Вагиф оглы (mhm)? (p=0.71)", Payload: string(payload), Impact: 70},
		{Key: "omission:mhm:ipm@2025-06-01:3", Kind: roster.KindOmission, Source: "mhm", Group: "anti-war",
			Records: []string{"ipm@2025-06-01:3"}, Title: "mhm does not list <script>alert(1)</script> (ipm lists them)", Payload: `{}`, Impact: 40},
		{Key: "group-gap:mhm:anti-war", Kind: roster.KindGroupGap, Source: "mhm", Group: "anti-war",
			Title: "mhm lists no anti-war activists (ipm lists 1)", Payload: `{"source":"mhm","group":"anti-war"}`, Impact: 30},
	}
	if _, err := s.SaveReviewItems(ctx, 1, items); err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"alice", "bob"} {
		if err := s.AddUser(ctx, u, u+"-password"); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// matchItemID is the ID of the seeded match item.
func matchItemID(t testing.TB, s *store.Store) int64 {
	items, err := s.ReviewItems(context.Background(), store.ReviewFilter{Kind: roster.KindMatch})
	if err != nil || len(items) != 1 {
		t.Fatalf("match items: %v %v", items, err)
	}
	return items[0].ID
}

type webClient struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newWebClient(t *testing.T, base string) *webClient {
	jar, _ := cookiejar.New(nil)
	return &webClient{t: t, base: base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

func (w *webClient) do(method, path string, form url.Values) (int, string) {
	w.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, w.base+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := w.c.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

var csrfFieldRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (w *webClient) csrf(page string) string {
	w.t.Helper()
	m := csrfFieldRE.FindStringSubmatch(page)
	if m == nil {
		w.t.Fatal("no CSRF token on the page")
	}
	return m[1]
}

// The UI wired to a real store: sessions live in the database, decisions
// land in the audit log under the analyst's name, and the store's
// optimistic concurrency reaches the second analyst as a 409.
func TestServeWithStore(t *testing.T) {
	ctx := context.Background()
	s := seedWebStore(t)
	h, err := newWebHandler(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	id := matchItemID(t, s)
	itemPath := "/items/" + itoa(id)

	alice, bob := newWebClient(t, srv.URL), newWebClient(t, srv.URL)
	if code, _ := alice.do("GET", itemPath, nil); code != http.StatusSeeOther {
		t.Fatalf("item without session: %d", code)
	}
	if code, _ := alice.do("POST", "/login", url.Values{"name": {"alice"}, "password": {"wrong-password"}}); code != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d", code)
	}
	for _, c := range []struct {
		w    *webClient
		name string
	}{{alice, "alice"}, {bob, "bob"}} {
		if code, body := c.w.do("POST", "/login", url.Values{"name": {c.name}, "password": {c.name + "-password"}}); code != http.StatusSeeOther {
			t.Fatalf("login %s: %d %s", c.name, code, body)
		}
	}
	users, _ := s.Users(ctx)
	if len(users) != 2 || users[0].Sessions != 1 {
		t.Fatalf("sessions not in the store: %+v", users)
	}

	code, pa := alice.do("GET", itemPath, nil)
	if code != 200 || !strings.Contains(pa, "Гасанов Али Вагиф оглы") || !strings.Contains(pa, "Match probability <strong>71%</strong>") {
		t.Fatalf("item page: %d\n%s", code, pa)
	}
	_, pb := bob.do("GET", itemPath, nil)

	// CSRF: bob's token is no good for alice.
	if code, _ := alice.do("POST", itemPath+"/decide", url.Values{"csrf": {bob.csrf(pb)}, "version": {"0"}, "verdict": {"same"}, "reason": {"x"}}); code != http.StatusForbidden {
		t.Fatalf("wrong CSRF token: %d", code)
	}
	code, _ = alice.do("POST", itemPath+"/decide", url.Values{"csrf": {alice.csrf(pa)}, "version": {"0"}, "verdict": {"same"},
		"reason": {"same father and case; Russian spelling"}})
	if code != http.StatusSeeOther {
		t.Fatalf("alice decides: %d", code)
	}
	code, body := bob.do("POST", itemPath+"/decide", url.Values{"csrf": {bob.csrf(pb)}, "version": {"0"}, "verdict": {"different"},
		"reason": {"born a year apart"}})
	if code != http.StatusConflict || !strings.Contains(body, "alice") || !strings.Contains(body, "born a year apart") {
		t.Fatalf("bob decides meanwhile: %d\n%s", code, body)
	}
	audit, err := s.Audit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(audit) != 1 || audit[0].Actor != "alice" || audit[0].Verdict != "same" || audit[0].ItemID != id {
		t.Fatalf("audit = %+v, want alice's one decision", audit)
	}
	// The item left the open queue and shows in the audit page.
	if _, q := alice.do("GET", "/queue", nil); strings.Contains(q, `href="`+itemPath+`"`) {
		t.Error("decided item still in the open queue")
	}
	if _, a := bob.do("GET", "/audit", nil); !strings.Contains(a, "same father and case") {
		t.Error("audit page lacks the decision")
	}
	// The other pages work on the real store, hostile name escaped.
	for _, p := range []string{"/queue", "/sources", "/search?q=" + url.QueryEscape("Гасанов"), "/record?ref=ipm:3", "/api/queue", "/audit"} {
		code, body := alice.do("GET", p, nil)
		if code != 200 {
			t.Errorf("GET %s: %d\n%s", p, code, body)
		}
		if strings.Contains(body, "<script>alert(1)") {
			t.Errorf("GET %s: hostile name not escaped", p)
		}
	}
	if _, body := alice.do("GET", "/search?q="+url.QueryEscape("Гасанов"), nil); !strings.Contains(body, "Həsənov Əli Vaqif oğlu") {
		t.Error("search Гасанов does not find Həsənov")
	}
	// Logout ends the session in the store.
	_, q := alice.do("GET", "/queue", nil)
	alice.do("POST", "/logout", url.Values{"csrf": {alice.csrf(q)}})
	if code, _ := alice.do("GET", "/queue", nil); code != http.StatusSeeOther {
		t.Fatalf("after logout: %d", code)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
