package webstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/store"
	"github.com/roster-coalition/roster/internal/webstore"
)

// TestTwentyAnalysts has 20 analysts decide over HTTP at once, for a
// minute (ROSTER_LOAD_SECONDS changes it; -short runs 5 seconds), on a
// real database file: each reads a page of the queue, opens an item and
// decides it, and now and then searches, lists persons, reads the audit
// log and the agreement. Group gaps are under blind double review, so
// votes and adjudications happen too. It counts every answer: no 500, no
// "database is locked" shown, and no lost decision (each decision the
// server accepted is in the database, under its analyst, once; no item
// is settled twice).
func TestTwentyAnalysts(t *testing.T) {
	seconds := 60
	if testing.Short() {
		seconds = 5
	}
	if v := os.Getenv("ROSTER_LOAD_SECONDS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			t.Fatalf("ROSTER_LOAD_SECONDS=%q", v)
		}
		seconds = n
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "roster.db")
	s, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const nItems = 12000
	kinds := []string{roster.KindChange, roster.KindOmission, roster.KindGroupGap}
	var items []roster.ReviewItem
	for i := range nItems {
		k := kinds[i%len(kinds)]
		items = append(items, roster.ReviewItem{Key: fmt.Sprintf("%s:load:%06d", k, i), Kind: k, Source: "ipm",
			Title: fmt.Sprintf("load item %d", i), Payload: `{}`, Impact: float64(i % 97)})
	}
	if _, err := s.SaveReviewItems(ctx, 1, items); err != nil {
		t.Fatal(err)
	}
	if err := s.SetDoubleReview(ctx, "", []string{roster.KindGroupGap}); err != nil { // before any account: no one to ask
		t.Fatal(err)
	}
	const analysts = 20
	for i := range analysts {
		if err := s.AddUserRole(ctx, "", fmt.Sprintf("a%02d", i), "load-password", store.RoleAnalyst); err != nil {
			t.Fatal(err)
		}
	}
	var logMu sync.Mutex
	var logged strings.Builder
	log := slog.New(slog.NewTextHandler(&lockedWriter{mu: &logMu, w: &logged}, &slog.HandlerOptions{Level: slog.LevelError}))
	h, err := webstore.New(s, log)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	type tally struct {
		ok       map[string]int // accepted decisions by outcome
		conflict int
		other    []string
		reads    int
	}
	results := make([]tally, analysts)
	deadline := time.Now().Add(time.Duration(seconds) * time.Second)
	var wg sync.WaitGroup
	for i := range analysts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("a%02d", i)
			res := &results[i]
			res.ok = map[string]int{}
			a := newAnalyst(t, srv.URL, name)
			rng := rand.New(rand.NewPCG(uint64(i), 7))
			for n := 0; time.Now().Before(deadline); n++ {
				if n%10 == 9 {
					for _, p := range []string{"/search?q=Mamedov", "/persons", "/audit", "/stats", "/sources"} {
						code, body := a.get(p)
						res.reads++
						if code != 200 || strings.Contains(body, "database is locked") {
							res.other = append(res.other, fmt.Sprintf("GET %s: %d %s", p, code, snippet(body)))
						}
					}
				}
				kind := kinds[rng.IntN(len(kinds))]
				code, body := a.get("/queue?kind=" + kind)
				res.reads++
				if code != 200 || strings.Contains(body, "database is locked") {
					res.other = append(res.other, fmt.Sprintf("GET queue: %d %s", code, snippet(body)))
					continue
				}
				ids := itemRE.FindAllStringSubmatch(body, -1)
				if len(ids) == 0 {
					continue
				}
				id := ids[rng.IntN(len(ids))][1]
				code, page := a.get("/items/" + id)
				res.reads++
				if code != 200 || strings.Contains(page, "database is locked") {
					res.other = append(res.other, fmt.Sprintf("GET item: %d %s", code, snippet(page)))
					continue
				}
				vm, cm := versionRE.FindStringSubmatch(page), csrfRE.FindStringSubmatch(page)
				if vm == nil || cm == nil {
					continue // decided meanwhile, or waiting for an adjudication, or already voted on
				}
				verdict := map[string][]string{roster.KindChange: {"confirm", "dismiss", "unsure"},
					roster.KindOmission: {"confirm", "not-omission", "out-of-scope"}, roster.KindGroupGap: {"confirm", "out-of-scope"}}[kind]
				v := verdict[rng.IntN(len(verdict))]
				if strings.Contains(page, "Two blind decisions") { // an adjudication
					v = "confirm"
				}
				code, loc, body := a.post("/items/"+id+"/decide", url.Values{"csrf": {cm[1]}, "version": {vm[1]}, "verdict": {v},
					"reason": {fmt.Sprintf("%s on %s, %d", name, id, n)}})
				switch {
				case strings.Contains(body, "database is locked"):
					res.other = append(res.other, "decide: database is locked shown")
				case code == http.StatusSeeOther:
					u, _ := url.Parse(loc)
					res.ok[u.Query().Get("outcome")]++
				case code == http.StatusConflict:
					res.conflict++
				default:
					res.other = append(res.other, fmt.Sprintf("decide %s %s: %d %s", id, v, code, snippet(body)))
				}
			}
		}()
	}
	wg.Wait()
	accepted, conflicts, reads := map[string]int{}, 0, 0
	for i, r := range results {
		for _, o := range r.other {
			t.Errorf("a%02d: %s", i, o)
		}
		for k, n := range r.ok {
			accepted[k] += n
		}
		conflicts += r.conflict
		reads += r.reads
	}
	if logged.Len() > 0 {
		t.Errorf("the server logged errors:\n%s", logged.String())
	}
	// No lost decision: each accepted decision is a decision or a vote of
	// its analyst in the database (read on a connection of its own).
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	total := 0
	for i, r := range results {
		name := fmt.Sprintf("a%02d", i)
		mine := 0
		for _, n := range r.ok {
			mine += n
		}
		total += mine
		var inDB int
		if err := db.QueryRow(`SELECT (SELECT count(*) FROM decisions WHERE decided_by = ?) +
			(SELECT count(*) FROM review_votes WHERE user = ?)`, name, name).Scan(&inDB); err != nil {
			t.Fatal(err)
		}
		if inDB != mine {
			t.Errorf("%s: the server accepted %d decisions, the database has %d", name, mine, inDB)
		}
	}
	var twice int
	if err := db.QueryRow(`SELECT count(*) FROM (SELECT item_id FROM decisions WHERE verdict <> 'unsure' AND undone = 0
		AND item_id IS NOT NULL AND item_id NOT IN (SELECT id FROM review_items WHERE kind = 'adjudication')
		GROUP BY item_id HAVING count(*) > 1)`).Scan(&twice); err != nil {
		t.Fatal(err)
	}
	if twice > 0 {
		t.Errorf("%d items settled twice", twice)
	}
	if total == 0 {
		t.Fatal("no decision was accepted")
	}
	t.Logf("%d analysts, %d s: %d decisions accepted %v, %d refused as decided meanwhile (409, told who), %d pages read; %.0f decisions/s",
		analysts, seconds, total, accepted, conflicts, reads, float64(total)/float64(seconds))
}

var (
	itemRE    = regexp.MustCompile(`class="item-link" href="/items/(\d+)`)
	versionRE = regexp.MustCompile(`name="version" value="(\d+)"`)
	csrfRE    = regexp.MustCompile(`id="decide" class="decide">\s*<input type="hidden" name="csrf" value="([^"]+)"`)
)

type analyst struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newAnalyst(t *testing.T, base, name string) *analyst {
	jar, _ := cookiejar.New(nil)
	a := &analyst{t: t, base: base, c: &http.Client{Jar: jar, Timeout: 60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	if code, _, body := a.post("/login", url.Values{"name": {name}, "password": {"load-password"}}); code != http.StatusSeeOther {
		t.Errorf("login %s: %d %s", name, code, snippet(body))
	}
	return a
}

func (a *analyst) get(path string) (int, string) {
	res, err := a.c.Get(a.base + path)
	if err != nil {
		return 0, err.Error()
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func (a *analyst) post(path string, form url.Values) (int, string, string) {
	res, err := a.c.PostForm(a.base+path, form)
	if err != nil {
		return 0, "", err.Error()
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Location"), string(b)
}

func snippet(s string) string {
	if i := strings.Index(s, `role="alert"`); i >= 0 {
		s = s[i:]
	}
	if len(s) > 300 {
		s = s[:300]
	}
	return s
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
