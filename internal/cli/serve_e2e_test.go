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

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
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
// wired to a real store: log in, open the queue, decide the first item
// with the keyboard, see it leave the queue and appear in the audit log.
// It saves a screenshot of the item page in $ROSTER_SCREENSHOT_DIR (or a
// temporary directory).
func TestBrowserReview(t *testing.T) {
	bin := chromium(t)
	s := seedWebStore(t)
	h, err := newWebHandler(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h) // 127.0.0.1, an ephemeral port
	defer srv.Close()
	itemID := matchItemID(t, s)

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
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Second)
	defer cancel()
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()

	// Collect the console: a CSP violation (an inline script or style) or
	// a script error fails the test. Console subscribes when it returns.
	if err := chromedp.Do(bctx); err != nil { // start the browser and the tab
		t.Fatalf("start chromium: %v", err)
	}
	var mu sync.Mutex
	var problems []string
	cctx, ccancel := context.WithCancel(bctx)
	defer ccancel()
	consoleDone := make(chan struct{})
	msgs := chromedp.Console(cctx)
	go func() {
		defer close(consoleDone)
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException {
				mu.Lock()
				problems = append(problems, string(m.Type)+": "+m.Text)
				mu.Unlock()
			}
		}
	}()

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
	do("log in",
		chromedp.Navigate(base+"/queue"),
		chromedp.WaitVisible(chromedp.ID("name")),
		chromedp.SendKeys(chromedp.ID("name"), "alice"),
		chromedp.SendKeys(chromedp.ID("password"), "alice-password"),
		chromedp.Submit(chromedp.ID("password")),
		chromedp.WaitVisible(chromedp.ID("queue")),
	)
	queueHTML := get("read the queue", chromedp.OuterHTML(chromedp.ID("queue")))
	itemHref := fmt.Sprintf(`href="/items/%d"`, itemID)
	if !strings.Contains(queueHTML, itemHref) {
		t.Fatalf("the queue lacks item %d:\n%s", itemID, queueHTML)
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
	for _, want := range []string{"Гасанов Али Вагиф оглы", "Həsənov Əli Vaqif oğlu", "Match probability", "h → г on the Russian route"} {
		if !strings.Contains(itemText, want) {
			t.Errorf("item page lacks %q", want)
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
	shotPath := filepath.Join(dir, "screenshot-item.png")
	if err := os.WriteFile(shotPath, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot of the item page: %s", shotPath)

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
	do("back to the queue", chromedp.Navigate(base+"/queue"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	if html := get("read the queue", chromedp.OuterHTML(chromedp.CSS("main"))); strings.Contains(html, itemHref) {
		t.Error("the decided item is still in the open queue")
	}
	do("the audit log", chromedp.Navigate(base+"/audit"), chromedp.WaitVisible(chromedp.ID("audit")))
	auditText := get("read the audit log", chromedp.Text(chromedp.ID("audit")))
	for _, want := range []string{"alice", "Same person", "same father, same case"} {
		if !strings.Contains(auditText, want) {
			t.Errorf("audit log lacks %q:\n%s", want, auditText)
		}
	}
	audit, err := s.Audit(context.Background())
	if err != nil || len(audit) != 1 || audit[0].Actor != "alice" || audit[0].ItemID != itemID || audit[0].Verdict != "same" {
		t.Fatalf("store audit = %+v, %v", audit, err)
	}
	// The help dialog opens with ?.
	do("help", chromedp.KeyEvent("?"), chromedp.Sleep(150*time.Millisecond))
	if open, err := chromedp.Run(bctx, chromedp.Evaluate[bool](`document.getElementById("help").open`)); err != nil || !open {
		t.Errorf("? does not open the help (%v)", err)
	}
	ccancel()
	<-consoleDone
	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Errorf("browser console: %s", p)
	}
}
