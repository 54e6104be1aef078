package cli

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/roster-coalition/roster/internal/i18n"
	"github.com/roster-coalition/roster/internal/store"
)

// chromium finds a Chromium binary; without one the browser test is
// skipped locally and fails in CI ($CI=true), where .ci/run installs it.
func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no chromium binary in $PATH; CI must run the browser test (apt-get install chromium)")
	}
	t.Skip("no chromium binary in $PATH (apt-get install chromium); skipped outside CI")
	return ""
}

// TestBrowserReview drives a real headless Chromium through the review UI
// wired to a real store, once per language: log in (the login page in the
// browser's language), pick the language in the header, open the queue,
// decide the first item with the keyboard, see it leave the queue and
// appear in the audit log, and log in again to find the language kept.
// Each run's browser asks for another language (Accept-Language), so the
// user's choice is what the pages follow. It saves a screenshot of the
// item page per language in $ROSTER_SCREENSHOT_DIR (or a temporary
// directory): screenshot-item-az.png, -ru.png, -en.png.
func TestBrowserReview(t *testing.T) {
	bin := chromium(t)
	browserLang := map[i18n.Lang]i18n.Lang{i18n.Azerbaijani: i18n.Russian, i18n.Russian: i18n.English, i18n.English: i18n.Azerbaijani}
	for _, lang := range i18n.Langs {
		t.Run(string(lang), func(t *testing.T) { browserReview(t, bin, lang, browserLang[lang]) })
	}
}

func browserReview(t *testing.T, bin string, lang, browserLang i18n.Lang) {
	p, bp := i18n.New(lang), i18n.New(browserLang)
	s := seedWebStore(t)
	h, err := newWebHandler(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h) // 127.0.0.1, an ephemeral port
	defer srv.Close()
	itemID := matchItemID(t, s)

	bctx, problems := startBrowser(t, bin)
	base := srv.URL
	do := func(step string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(bctx, steps...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	get := func(step string, a chromedp.Action[string]) string {
		t.Helper()
		v, err := chromedp.Run(bctx, a)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		return v
	}
	// heading checks the page's language and its first heading.
	heading := func(step string, l i18n.Lang, want string) {
		t.Helper()
		if got := get(step+": lang", chromedp.Evaluate[string](`document.documentElement.lang`)); got != string(l) {
			t.Errorf("%s: the page is in %q, want %s", step, got, l)
		}
		if got := get(step+": heading", chromedp.Text(chromedp.CSS("main h1"))); strings.TrimSpace(got) != want {
			t.Errorf("%s: heading %q, want %q", step, got, want)
		}
	}
	if _, err := chromedp.Call(bctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{
		Headers: network.Headers{"Accept-Language": string(browserLang)}}); err != nil {
		t.Fatalf("set Accept-Language: %v", err)
	}
	login := func() {
		t.Helper()
		do("log in",
			chromedp.Navigate(base+"/queue"),
			chromedp.WaitVisible(chromedp.ID("name")),
		)
		heading("the login page, before a choice", browserLang, bp.T("web.login.title"))
		do("log in",
			chromedp.SendKeys(chromedp.ID("name"), "alice"),
			chromedp.SendKeys(chromedp.ID("password"), "alice-password"),
			chromedp.Submit(chromedp.ID("password")),
			chromedp.WaitVisible(chromedp.ID("queue")),
		)
	}
	login()
	if lang != browserLang {
		heading("the queue, before a choice", browserLang, bp.T("web.queue.title"))
	}
	do("pick the language in the header",
		chromedp.Click(chromedp.CSS(`#lang button[value="`+string(lang)+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#lang button[value="`+string(lang)+`"][aria-pressed="true"]`)),
		chromedp.WaitVisible(chromedp.ID("queue")),
	)
	heading("the queue", lang, p.T("web.queue.title"))
	queueHTML := get("read the queue", chromedp.OuterHTML(chromedp.ID("queue")))
	itemHref := fmt.Sprintf(`href="/items/%d"`, itemID)
	if !strings.Contains(queueHTML, itemHref) || !strings.Contains(queueHTML, p.T("kind.match")) {
		t.Fatalf("the queue lacks item %d or its kind in %s:\n%s", itemID, lang, queueHTML)
	}
	// j selects the first row (the highest impact: the match), Enter opens it.
	do("open the item with the keyboard",
		chromedp.KeyEvent("j"),
		chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(chromedp.ID("decide")),
	)
	if loc := get("location", chromedp.Location()); !strings.HasSuffix(loc, fmt.Sprintf("/items/%d", itemID)) {
		t.Fatalf("j, Enter opened %s", loc)
	}
	itemText := get("read the item", chromedp.Text(chromedp.CSS("main")))
	prob := strings.TrimSpace(strings.Split(p.T("web.ex.prob"), "%")[0])
	for _, want := range []string{"Гасанов Али Вагиф оглы", "Həsənov Əli Vaqif oğlu", "h → г on the Russian route", p.T("kind.match"),
		p.T("web.item.why"), prob, p.T("web.ex.title"), p.T("web.col.decision"), p.T("web.sbs.caption"), p.T("field.birth_year"),
		p.T("web.level.within-1-year")} {
		if !strings.Contains(itemText, want) {
			t.Errorf("item page in %s lacks %q", lang, want)
		}
	}
	buttons := get("read the buttons", chromedp.Text(chromedp.CSS("#decide .verdicts")))
	for _, v := range []string{"same", "different", "unsure", "dismiss"} {
		if !strings.Contains(buttons, p.T("web.button."+v)) {
			t.Errorf("the item's buttons in %s lack %q: %q", lang, p.T("web.button."+v), buttons)
		}
	}
	shot, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	dir := os.Getenv("ROSTER_SCREENSHOT_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	shotPath := filepath.Join(dir, "screenshot-item-"+string(lang)+".png")
	if err := os.WriteFile(shotPath, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot of the item page in %s: %s", lang, shotPath)

	// s without a reason records nothing and puts the cursor in the reason box.
	do("s without a reason", chromedp.KeyEvent("s"), chromedp.Sleep(150*time.Millisecond))
	active, err := chromedp.Run(bctx, chromedp.Evaluate[string](`document.activeElement.id`))
	if err != nil || active != "reason" {
		t.Fatalf("s without a reason: focus on %q (%v), want the reason box", active, err)
	}
	if a, _ := s.Audit(context.Background()); len(a) != 0 {
		t.Fatal("a decision without a reason was recorded")
	}
	do("decide with the keyboard",
		chromedp.KeyEvent("same father, same case; the Russian spelling of the ipm name"),
		chromedp.KeyEvent(kb.Escape),
		chromedp.KeyEvent("s"),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	if loc := get("location", chromedp.Location()); !strings.Contains(loc, fmt.Sprintf("decided=%d", itemID)) {
		t.Errorf("after deciding: at %s", loc)
	}
	if flash := get("read the note", chromedp.Text(chromedp.CSS(".flash"))); !strings.Contains(flash, p.T("verdict.same")) ||
		!strings.Contains(flash, p.T("web.undo")) {
		t.Errorf("the note after the decision in %s: %q", lang, flash)
	}
	do("back to the queue", chromedp.Navigate(base+"/queue"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	if html := get("read the queue", chromedp.OuterHTML(chromedp.CSS("main"))); strings.Contains(html, itemHref) {
		t.Error("the decided item is still in the open queue")
	}
	do("the audit log", chromedp.Navigate(base+"/audit"), chromedp.WaitVisible(chromedp.ID("audit")))
	heading("the audit log", lang, p.T("web.audit.title"))
	auditText := get("read the audit log", chromedp.Text(chromedp.ID("audit")))
	for _, want := range []string{"alice", p.T("verdict.same"), p.T("web.action.decide"), "same father, same case"} {
		if !strings.Contains(auditText, want) {
			t.Errorf("audit log in %s lacks %q:\n%s", lang, want, auditText)
		}
	}
	audit, err := s.Audit(context.Background())
	if err != nil || len(audit) != 1 || audit[0].Actor != "alice" || audit[0].ItemID != itemID || audit[0].Verdict != "same" {
		t.Fatalf("store audit = %+v, %v", audit, err)
	}
	// The help dialog opens with ?, in the language.
	do("help", chromedp.KeyEvent("?"), chromedp.Sleep(150*time.Millisecond))
	if open, err := chromedp.Run(bctx, chromedp.Evaluate[bool](`document.getElementById("help").open`)); err != nil || !open {
		t.Errorf("? does not open the help (%v)", err)
	}
	if title := get("the help's title", chromedp.Text(chromedp.ID("help-title"))); title != p.T("web.help.title") {
		t.Errorf("the help's title in %s: %q", lang, title)
	}
	// Log out and in again: the choice is kept (in the database), whatever
	// the browser asks for.
	do("close the help, log out", chromedp.KeyEvent(kb.Escape),
		chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)), chromedp.WaitVisible(chromedp.ID("name")))
	login()
	heading("the queue after logging in again", lang, p.T("web.queue.title"))
	for _, pr := range problems() {
		t.Errorf("browser console: %s", pr)
	}
}

// browser is a headless Chromium with the console errors and exceptions
// of all its tabs (a CSP violation, an inline script or a script error
// is one).
type browser struct {
	ctx      context.Context // the first tab
	mu       sync.Mutex
	problems []string
}

// startBrowser starts a headless Chromium; its first tab is b.ctx.
func startBrowser(t *testing.T, bin string) (context.Context, func() []string) {
	b := newBrowser(t, bin)
	return b.ctx, b.console
}

func newBrowser(t *testing.T, bin string) *browser {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1366, 900),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(acancel)
	bctx, bcancel := startChromium(t, actx) // the browser and its first tab
	t.Cleanup(bcancel)
	b := &browser{ctx: bctx}
	b.watch(bctx)
	return b
}

// newTab opens a tab in a browser context of its own: its own cookies,
// another analyst.
func (b *browser) newTab(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("new browser context: %v", err)
	}
	b.watch(ctx)
	return ctx
}

// watch collects a tab's console errors and exceptions.
func (b *browser) watch(ctx context.Context) {
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException {
				b.mu.Lock()
				b.problems = append(b.problems, string(m.Type)+": "+m.Text)
				b.mu.Unlock()
			}
		}
	}()
}

func (b *browser) console() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.problems...)
}

// TestBrowserDoubleReview drives blind double review in a real Chromium,
// with each analyst in a browser context of their own: bob and carol
// decide a doubtful match without seeing each other's decision, disagree,
// and alice (an admin who did not vote) settles the adjudication that
// shows both. It saves a screenshot of the adjudication page.
func TestBrowserDoubleReview(t *testing.T) {
	bin := chromium(t)
	ctx := context.Background()
	s := seedWebStore(t)
	if err := s.SetDoubleReview(ctx, "alice", []string{"match"}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddUserRole(ctx, "alice", "carol", "carol-password", "analyst"); err != nil {
		t.Fatal(err)
	}
	h, err := newWebHandler(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	itemID := matchItemID(t, s)
	itemURL := fmt.Sprintf("%s/items/%d", srv.URL, itemID)

	b := newBrowser(t, bin)
	bob, carol, alice := b.newTab(t), b.newTab(t), b.newTab(t)
	do := func(tab context.Context, step string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(tab, steps...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	text := func(tab context.Context, step string, css string) string {
		t.Helper()
		v, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS(css)))
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		return v
	}
	login := func(tab context.Context, name string) {
		t.Helper()
		do(tab, name+" logs in",
			chromedp.Navigate(srv.URL+"/login"),
			chromedp.WaitVisible(chromedp.ID("name")),
			chromedp.SendKeys(chromedp.ID("name"), name),
			chromedp.SendKeys(chromedp.ID("password"), name+"-password"),
			chromedp.Submit(chromedp.ID("password")),
			chromedp.WaitVisible(chromedp.CSS("main h1")),
		)
	}
	// decide types a reason and presses a verdict's key, as an analyst does.
	decide := func(tab context.Context, who, reason, key string) {
		t.Helper()
		do(tab, who+" decides",
			chromedp.Navigate(itemURL),
			chromedp.WaitVisible(chromedp.ID("decide")),
			chromedp.KeyEvent("r"),
			chromedp.KeyEvent(reason),
			chromedp.KeyEvent(kb.Escape),
			chromedp.KeyEvent(key),
			chromedp.WaitVisible(chromedp.CSS(".flash")),
		)
	}
	login(bob, "bob")
	login(carol, "carol")
	login(alice, "alice")

	decide(bob, "bob", "same father, same case", "s")
	if f := text(bob, "bob's note", ".flash"); !strings.Contains(f, "recorded, unseen by others") {
		t.Errorf("bob's note after his decision: %q", f)
	}
	do(bob, "bob reopens the item", chromedp.Navigate(itemURL), chromedp.WaitVisible(chromedp.ID("myvote")))
	// Carol sees nothing of bob's decision.
	do(carol, "carol opens the item", chromedp.Navigate(itemURL), chromedp.WaitVisible(chromedp.ID("decide")))
	if page := text(carol, "carol's page", "main"); strings.Contains(page, "same father, same case") ||
		strings.Contains(page, "Same person —") || strings.Contains(page, "You decided") {
		t.Errorf("carol's page shows bob's decision:\n%s", page)
	}
	decide(carol, "carol", "born a year apart, different photos", "d")
	if f := text(carol, "carol's note", ".flash"); !strings.Contains(f, "disagree") || !strings.Contains(f, "adjudication item") {
		t.Errorf("carol's note after the disagreement: %q", f)
	}
	adj, err := s.ReviewItemByKey(ctx, fmt.Sprintf("adjudication:%d:0", itemID))
	if err != nil {
		t.Fatalf("no adjudication item: %v", err)
	}
	adjURL := fmt.Sprintf("%s/items/%d", srv.URL, adj.ID)
	// The reasons are recorded as typed (r only opens the box).
	if _, _, votes, err := store.AdjudicationTarget(adj); err != nil || len(votes) != 2 || votes[0].Reason != "same father, same case" ||
		votes[1].Reason != "born a year apart, different photos" {
		t.Errorf("the votes as recorded: %+v %v", votes, err)
	}
	// Bob may read the adjudication, not settle it.
	do(bob, "bob opens the adjudication", chromedp.Navigate(adjURL), chromedp.WaitVisible(chromedp.ID("barred")))
	// Alice sees both decisions with their reasons, and settles it.
	do(alice, "alice opens the queue", chromedp.Navigate(srv.URL+"/queue?kind=adjudication"), chromedp.WaitVisible(chromedp.ID("queue")))
	do(alice, "alice opens the adjudication", chromedp.Navigate(adjURL), chromedp.WaitVisible(chromedp.ID("votes")))
	votes := text(alice, "the votes", "#votes")
	for _, want := range []string{"bob said Same person", "same father, same case", "carol said Different people", "born a year apart"} {
		if !strings.Contains(votes, want) {
			t.Errorf("the adjudication lacks %q: %q", want, votes)
		}
	}
	shot, err := chromedp.Run(alice, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	dir := os.Getenv("ROSTER_SCREENSHOT_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.WriteFile(filepath.Join(dir, "screenshot-adjudication.png"), shot, 0o644); err != nil {
		t.Fatal(err)
	}
	do(alice, "alice adjudicates",
		chromedp.KeyEvent("r"),
		chromedp.KeyEvent("the birth certificates differ"),
		chromedp.KeyEvent(kb.Escape),
		chromedp.KeyEvent("d"),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	it, err := s.ReviewItem(ctx, itemID)
	if err != nil || it.State != "decided" {
		t.Fatalf("after the adjudication: %+v %v", it, err)
	}
	d, err := s.Decision(ctx, it.DecisionID)
	if err != nil || d.By != "alice" || d.Verdict != "different" {
		t.Fatalf("the decision in force: %+v %v", d, err)
	}
	// The agreement page counts the round.
	do(alice, "the agreement page", chromedp.Navigate(srv.URL+"/stats"), chromedp.WaitVisible(chromedp.ID("by-pair")))
	if st := text(alice, "the agreement", "#by-pair"); !strings.Contains(st, "bob & carol") {
		t.Errorf("agreement by pair: %q", st)
	}
	for _, p := range b.console() {
		t.Errorf("browser console: %s", p)
	}
}
