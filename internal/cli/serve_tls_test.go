package cli

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// testCert writes a self-signed certificate for 127.0.0.1 and localhost
// and its key, and returns their paths, the certificate, and the base64
// SHA-256 of its public key (what Chromium's
// --ignore-certificate-errors-spki-list takes).
func testCert(t *testing.T) (certFile, keyFile string, cert *x509.Certificate, spki string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "roster test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ = x509.ParseCertificate(der)
	kder, _ := x509.MarshalPKCS8PrivateKey(key)
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}), 0o600)
	sum := sha256.Sum256(cert.RawSubjectPublicKeyInfo)
	return certFile, keyFile, cert, base64.StdEncoding.EncodeToString(sum[:])
}

// syncBuffer is a buffer several goroutines write and read.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var servingRE = regexp.MustCompile(`review UI on (https?://[0-9.:]+) `)

// startServe runs roster serve in-process on db with args, and returns
// its base URL, its stderr, and a stop function that cancels it (as
// SIGTERM does) and returns its error.
func startServe(t *testing.T, db string, args ...string) (string, *syncBuffer, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errs syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, append([]string{"--db", db, "serve", "--addr", "127.0.0.1:0"}, args...), strings.NewReader(""), &out, &errs)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if m := servingRE.FindStringSubmatch(out.String()); m != nil {
			stop := func() error {
				cancel()
				select {
				case code := <-done:
					if code != 0 {
						return &exec.ExitError{}
					}
					return nil
				case <-time.After(30 * time.Second):
					t.Fatal("serve did not stop")
				}
				return nil
			}
			t.Cleanup(func() { cancel() })
			return m[1], &errs, stop
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited with %d: %s", code, errs.String())
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve did not start: %s %s", out.String(), errs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestServeTLSHeaders: roster serve --tls-cert --tls-key speaks HTTPS
// only, with the security headers on every response, HSTS included, a
// Secure session cookie, /healthz, and request logs without names or
// cookies.
func TestServeTLSHeaders(t *testing.T) {
	s := seedWebStore(t)
	certFile, keyFile, cert, _ := testCert(t)
	base, logs, stop := startServe(t, s.Path(), "--tls-cert", certFile, "--tls-key", keyFile, "--log-format", "json")
	if !strings.HasPrefix(base, "https://") {
		t.Fatalf("serving on %s", base)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	client := &http.Client{
		Transport:     &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	get := func(path string) *http.Response {
		t.Helper()
		res, err := client.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res
	}
	want := map[string]string{
		"Strict-Transport-Security": "max-age=63072000; includeSubDomains",
		"Content-Security-Policy":   "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'",
		"X-Content-Type-Options":    "nosniff",
		"X-Frame-Options":           "DENY",
		"Referrer-Policy":           "no-referrer",
	}
	for _, path := range []string{"/login", "/queue", "/healthz", "/static/app.css", "/nowhere"} {
		res := get(path)
		if res.TLS == nil || res.TLS.Version < tls.VersionTLS12 {
			t.Errorf("%s: not over TLS 1.2+", path)
		}
		for k, v := range want {
			if got := res.Header.Get(k); got != v {
				t.Errorf("%s: %s = %q; want %q", path, k, got, v)
			}
		}
	}
	if res := get("/healthz"); res.StatusCode != 200 {
		t.Errorf("/healthz: %d", res.StatusCode)
	}
	res, err := client.PostForm(base+"/login", url.Values{"name": {"alice"}, "password": {"alice-password"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	ck := res.Header.Get("Set-Cookie")
	for _, w := range []string{"roster_session=", "Secure", "HttpOnly", "SameSite=Strict"} {
		if !strings.Contains(ck, w) {
			t.Errorf("session cookie %q lacks %s", ck, w)
		}
	}
	// Plain HTTP to the HTTPS port gets nothing of the UI.
	if res, err := http.Get(strings.Replace(base, "https://", "http://", 1) + "/login"); err == nil {
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusBadRequest || strings.Contains(string(b), "password") {
			t.Errorf("plain HTTP to the TLS port: %d %q", res.StatusCode, b)
		}
	}
	if err := stop(); err != nil {
		t.Fatalf("serve after the stop: %v\n%s", err, logs.String())
	}
	out := logs.String()
	for _, w := range []string{`"msg":"request"`, `"route":"GET /healthz"`, `"route":"POST /login"`, `"tls":true`, `"msg":"stopped"`} {
		if !strings.Contains(out, w) {
			t.Errorf("logs lack %s", w)
		}
	}
	for _, bad := range []string{"roster_session=", "alice-password"} {
		if strings.Contains(out, bad) {
			t.Errorf("logs hold %q", bad)
		}
	}
}

// TestBrowserOverTLS drives headless Chromium to the HTTPS server:
// without being told to trust the test certificate it refuses the page;
// told (--ignore-certificate-errors-spki-list with the certificate's
// key hash), it logs in, sees the queue in a secure context, and the
// session cookie is out of reach of scripts.
func TestBrowserOverTLS(t *testing.T) {
	bin := chromium(t)
	s := seedWebStore(t)
	certFile, keyFile, _, spki := testCert(t)
	base, _, stop := startServe(t, s.Path(), "--tls-cert", certFile, "--tls-key", keyFile)
	// browser starts Chromium; a start that fails on a loaded machine
	// (the process exits before it listens) is tried once more.
	browser := func(trust bool) (context.Context, context.CancelFunc) {
		for attempt := 1; ; attempt++ {
			opts := []chromedp.ExecAllocatorOption{
				chromedp.ExecPath(bin), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
				chromedp.NoDefaultBrowserCheck, chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
				chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true), chromedp.Flag("disable-extensions", true),
				chromedp.Flag("disable-dev-shm-usage", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1200, 800),
			}
			if trust {
				opts = append(opts, chromedp.Flag("ignore-certificate-errors-spki-list", spki))
			}
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
			bctx, bcancel := chromedp.NewContext(actx)
			stop := func() { bcancel(); acancel(); cancel() }
			err := chromedp.Do(bctx) // start the browser and a tab
			if err == nil {
				return bctx, stop
			}
			stop()
			if attempt == 2 {
				t.Fatalf("start chromium: %v", err)
			}
			t.Logf("start chromium (attempt %d): %v", attempt, err)
		}
	}

	untrusting, done := browser(false)
	err := chromedp.Do(untrusting, chromedp.Navigate(base+"/login"))
	done()
	if err == nil || !strings.Contains(err.Error(), "ERR_CERT") {
		t.Fatalf("a browser that does not trust the test certificate loaded the page (err %v)", err)
	}

	bctx, done := browser(true)
	defer done()
	if err := chromedp.Do(bctx,
		chromedp.Navigate(base+"/queue"),
		chromedp.WaitVisible(chromedp.ID("name")),
		chromedp.SendKeys(chromedp.ID("name"), "alice"),
		chromedp.SendKeys(chromedp.ID("password"), "alice-password"),
		chromedp.Submit(chromedp.ID("password")),
		chromedp.WaitVisible(chromedp.ID("queue")),
	); err != nil {
		t.Fatalf("log in over HTTPS: %v", err)
	}
	loc, err := chromedp.Run(bctx, chromedp.Location())
	if err != nil || !strings.HasPrefix(loc, "https://127.0.0.1:") || !strings.HasSuffix(loc, "/queue") {
		t.Fatalf("after login at %q (%v)", loc, err)
	}
	secure, err := chromedp.Run(bctx, chromedp.Evaluate[bool](`window.isSecureContext`))
	if err != nil || !secure {
		t.Errorf("not a secure context (%v)", err)
	}
	cookies, err := chromedp.Run(bctx, chromedp.Evaluate[string](`document.cookie`))
	if err != nil || strings.Contains(cookies, "roster_session") {
		t.Errorf("scripts can read the session cookie: %q (%v)", cookies, err)
	}
	queue, err := chromedp.Run(bctx, chromedp.Text(chromedp.ID("queue")))
	if err != nil || !strings.Contains(queue, "Гасанов") && !strings.Contains(queue, "Həsənov") {
		t.Errorf("the queue over HTTPS: %q (%v)", queue, err)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

// TestShutdownFinishesInFlight: once a stop is asked for, the request in
// flight finishes with its answer and new connections are refused.
func TestShutdownFinishesInFlight(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	started, release := make(chan struct{}), make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-release
		io.WriteString(w, "finished")
	})
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() {
		served <- serveUntilDone(ctx, ln, h, slog.New(slog.NewTextHandler(io.Discard, nil)), 10*time.Second)
	}()
	answer := make(chan string, 1)
	go func() {
		res, err := http.Get("http://" + ln.Addr().String() + "/slow")
		if err != nil {
			answer <- "error: " + err.Error()
			return
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		answer <- string(b)
	}()
	<-started
	cancel() // what SIGTERM does
	time.Sleep(100 * time.Millisecond)
	if c, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second); err == nil {
		c.Close()
		t.Error("a new connection was accepted during the shutdown")
	}
	select {
	case err := <-served:
		t.Fatalf("serve returned before the request in flight finished: %v", err)
	default:
	}
	close(release)
	if got := <-answer; got != "finished" {
		t.Errorf("the request in flight got %q", got)
	}
	if err := <-served; err != nil {
		t.Errorf("serve: %v", err)
	}
}
