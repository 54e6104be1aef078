package cli

import (
	"bytes"
	"context"
	"image/png"
	"io"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/ledongthuc/pdf"

	"github.com/roster-coalition/roster/internal/i18n"
)

// demoDB builds the demo database (the bundled fixtures, imported and
// matched as `roster demo` does) in a temporary directory.
func demoDB(t *testing.T) *globalOptions {
	t.Helper()
	g := &globalOptions{Stdout: io.Discard, Stderr: io.Discard,
		Now: func() time.Time { return time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC) }}
	path := filepath.Join(t.TempDir(), "demo.db")
	if err := runDemo(context.Background(), &demoOptions{globalOptions: g, Keep: path}); err != nil {
		t.Fatal(err)
	}
	g.DB = path
	return g
}

// TestReportDeterministic: the same database gives the same bytes, in
// every language, and the file asks for nothing outside itself.
func TestReportDeterministic(t *testing.T) {
	g := demoDB(t)
	for _, l := range i18n.Langs {
		var files [2][]byte
		for i := range files {
			dir := t.TempDir()
			if err := runReport(context.Background(), &reportOptions{globalOptions: g, Lang: string(l), Out: dir, Criterion: "bic"}); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(filepath.Join(dir, "index.html"))
			if err != nil {
				t.Fatal(err)
			}
			files[i] = b
		}
		if !bytes.Equal(files[0], files[1]) {
			t.Errorf("%s: two reports of one database differ", l)
		}
		html := string(files[0])
		for _, bad := range []string{"<script", "http://", "https://", "src=", "@import", "url("} {
			if strings.Contains(strings.ReplaceAll(html, `xmlns="http://www.w3.org/2000/svg"`, ""), bad) {
				t.Errorf("%s: the report contains %q", l, bad)
			}
		}
		if !strings.Contains(html, `<html lang="`+string(l)+`">`) {
			t.Errorf("%s: no lang attribute", l)
		}
	}
}

// TestBrowserReport opens the report of the demo database in each
// language in a real headless Chromium: it renders, shows its tables and
// charts in that language, logs no console error and sends no request
// beyond its own file; its screenshot is not empty and it prints to A4.
// Screenshots go to $ROSTER_SCREENSHOT_DIR (or a temporary directory) as
// report-LANG.png (the whole page), report-LANG-top.png (the first 2250
// pixels: the tables and the overlap chart) and report-LANG-estimate.png
// (the estimate section), as the README shows them.
func TestBrowserReport(t *testing.T) {
	bin := chromium(t)
	g := demoDB(t)
	shots := os.Getenv("ROSTER_SCREENSHOT_DIR")
	if shots == "" {
		shots = t.TempDir()
	}
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1200, 2250),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	defer acancel()

	for _, l := range i18n.Langs {
		t.Run(string(l), func(t *testing.T) {
			dir := t.TempDir()
			if err := runReport(context.Background(), &reportOptions{globalOptions: g, Lang: string(l), Out: dir, Criterion: "bic"}); err != nil {
				t.Fatal(err)
			}
			fileURL := (&url.URL{Scheme: "file", Path: filepath.Join(dir, "index.html")}).String()

			bctx, bcancel := startChromium(t, actx)
			defer bcancel()
			var mu sync.Mutex
			var problems, requests []string
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
					if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException || m.Type == chromedp.ConsoleWarning {
						mu.Lock()
						problems = append(problems, string(m.Type)+": "+m.Text)
						mu.Unlock()
					}
				}
			}()
			if err := chromedp.Listen(cctx, func(ev any) {
				if e, ok := ev.(*network.EventRequestWillBeSent); ok && e.Request.URL != fileURL {
					mu.Lock()
					requests = append(requests, e.Request.URL)
					mu.Unlock()
				}
			}); err != nil {
				t.Fatal(err)
			}
			if err := chromedp.Do(bctx, chromedp.Navigate(fileURL), chromedp.WaitVisible(chromedp.ID("persons"))); err != nil {
				t.Fatalf("open the report: %v", err)
			}
			text, err := chromedp.Run(bctx, chromedp.Evaluate[string](`document.body.innerText`))
			if err != nil {
				t.Fatal(err)
			}
			p := i18n.New(l)
			for _, key := range []string{"report.title", "report.coverage.title", "report.omissions.title", "report.overlap.title",
				"report.changes.title", "report.estimate.title", "report.estimate.models.title", "report.method.title",
				"report.persons.title", "group.religious", "group.anti-war", "estimate.assume.closed"} {
				if want := p.T(key); !strings.Contains(text, want) {
					t.Errorf("the page lacks %s %q", key, want)
				}
			}
			if strings.Contains(text, "[report.") || strings.Contains(text, "[estimate.") || strings.Contains(text, "%!") {
				t.Error("the page shows a missing message or a bad format")
			}
			// A name in the script of the language (the demo's P01).
			wantName := map[i18n.Lang]string{i18n.Azerbaijani: "Məmmədov Elvin Həsən oğlu", i18n.Russian: "Мамедов Эльвин Гасан оглы",
				i18n.English: "Mammadov Elvin Hasan oghlu"}[l]
			if !strings.Contains(text, wantName) {
				t.Errorf("the persons table lacks %q", wantName)
			}
			// The charts drew: three SVGs with a size, the overlap chart
			// with a bar per combination of lists.
			charts, err := chromedp.Run(bctx, chromedp.Evaluate[[]float64](`Array.from(document.querySelectorAll("figure svg")).map(s => s.getBoundingClientRect().width * s.getBoundingClientRect().height)`))
			if err != nil {
				t.Fatal(err)
			}
			if len(charts) < 3 {
				t.Errorf("%d charts, want at least 3", len(charts))
			}
			for i, area := range charts {
				if area < 1000 {
					t.Errorf("chart %d is %v px²", i, area)
				}
			}
			bars, err := chromedp.Run(bctx, chromedp.Evaluate[int](`document.querySelectorAll("#overlap rect.bar").length`))
			if err != nil || bars < 5 {
				t.Errorf("the overlap chart has %d bars (%v)", bars, err)
			}
			rows, err := chromedp.Run(bctx, chromedp.Evaluate[int](`document.querySelectorAll("#persons tbody tr").length`))
			if err != nil || rows != 39 {
				t.Errorf("the persons table has %d rows, want 39 (%v)", rows, err)
			}

			full, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatalf("screenshot: %v", err)
			}
			checkScreenshot(t, full)
			top, err := chromedp.Run(bctx, chromedp.CaptureScreenshot())
			if err != nil {
				t.Fatalf("screenshot: %v", err)
			}
			checkScreenshot(t, top)
			est, err := chromedp.Run(bctx, chromedp.Screenshot(chromedp.ID("estimate")))
			if err != nil {
				t.Fatalf("screenshot: %v", err)
			}
			for name, b := range map[string][]byte{"report-" + string(l) + ".png": full, "report-" + string(l) + "-top.png": top,
				"report-" + string(l) + "-estimate.png": est} {
				if err := os.WriteFile(filepath.Join(shots, name), b, 0o644); err != nil {
					t.Fatal(err)
				}
			}

			// It prints to A4.
			doc, err := chromedp.Run(bctx, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize()))
			if err != nil {
				t.Fatalf("print: %v", err)
			}
			r, err := pdf.NewReader(bytes.NewReader(doc), int64(len(doc)))
			if err != nil {
				t.Fatalf("read the PDF: %v", err)
			}
			box := r.Page(1).V.Key("MediaBox")
			for v := r.Page(1).V; box.IsNull() && !v.IsNull(); v = v.Key("Parent") {
				box = v.Key("MediaBox")
			}
			w, h := box.Index(2).Float64()-box.Index(0).Float64(), box.Index(3).Float64()-box.Index(1).Float64()
			if math.Abs(w-595.3) > 2 || math.Abs(h-841.9) > 2 || r.NumPage() < 2 {
				t.Errorf("printed %d pages of %.1f × %.1f pt, want A4 (595 × 842)", r.NumPage(), w, h)
			}
			t.Logf("%s: %d charts, %d persons, %d printed A4 pages; screenshots in %s", l, len(charts), rows, r.NumPage(), shots)

			ccancel()
			<-consoleDone
			mu.Lock()
			defer mu.Unlock()
			if len(problems) > 0 {
				t.Errorf("console: %s", strings.Join(problems, "\n"))
			}
			if len(requests) > 0 {
				t.Errorf("requests beyond the file: %s", strings.Join(requests, ", "))
			}
		})
	}
}

// startChromium starts a browser, trying a second time when the first
// start fails: with the whole test suite running on two cores, Chromium
// now and then exits before it has printed its address, which says
// nothing about the report.
func startChromium(t *testing.T, actx context.Context) (context.Context, context.CancelFunc) {
	t.Helper()
	var err error
	for try := 1; try <= 2; try++ {
		bctx, bcancel := chromedp.NewContext(actx)
		if err = chromedp.Do(bctx); err == nil {
			return bctx, bcancel
		}
		bcancel()
		t.Logf("start chromium (try %d): %v", try, err)
	}
	t.Fatalf("start chromium: %v", err)
	return nil, nil
}

// checkScreenshot fails on a picture that is empty or of one colour.
func checkScreenshot(t *testing.T, b []byte) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	bounds := img.Bounds()
	if bounds.Dx() < 800 || bounds.Dy() < 600 {
		t.Errorf("screenshot of %v", bounds)
	}
	colours := map[[3]uint32]bool{}
	for y := bounds.Min.Y; y < bounds.Max.Y; y += 7 {
		for x := bounds.Min.X; x < bounds.Max.X; x += 7 {
			r, g, b, _ := img.At(x, y).RGBA()
			colours[[3]uint32{r >> 8, g >> 8, b >> 8}] = true
		}
	}
	if len(colours) < 20 {
		t.Errorf("the screenshot has %d colours: blank?", len(colours))
	}
}
