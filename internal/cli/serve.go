package cli

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/roster-coalition/roster/internal/app"
	"github.com/roster-coalition/roster/internal/store"
	"github.com/roster-coalition/roster/internal/web"
	"github.com/roster-coalition/roster/internal/webstore"
)

type serveOptions struct {
	*globalOptions
	Addr        string
	AllowRemote bool
	TLSCert     string
	TLSKey      string
	LogFormat   string // text | json
	// ShutdownGrace is how long in-flight requests may take to finish
	// once a stop is asked for (SIGTERM, Ctrl-C).
	ShutdownGrace time.Duration
}

func newServeCmd(g *globalOptions) *cobra.Command {
	opts := &serveOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "serve [--addr 127.0.0.1:8080]",
		Short: "Serve the analysts' review UI in the browser (local only by default)",
		Long: `Serve starts the review UI: the queue, the items with their records side by
side and the score explained, persons, sources and search by any spelling.
Analysts log in with accounts made by "roster user add NAME"; every decision
is recorded under their name in the same audit log as the CLI's.

It listens on the loopback interface only, unless --allow-remote is given:
the data is sensitive and the server speaks plain HTTP. With --tls-cert and
--tls-key it speaks HTTPS only (TLS 1.2 and up), every response carries
Strict-Transport-Security, the session cookie is Secure, and it may listen
on any address.

GET /healthz answers {"status":"ok"} (503 when the database does not
answer) without a session. Every request is logged on stderr as one line
(--log-format json for JSON): method, route pattern, status, bytes,
duration, TLS, remote address; never a path's query, a name or a cookie.
SIGTERM or Ctrl-C stops it gracefully: it stops accepting connections and
lets the requests in flight finish (up to --shutdown-grace).
` + exitHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runServe(cmd.Context(), opts) },
	}
	cmd.Flags().StringVar(&opts.Addr, "addr", "127.0.0.1:8080", "`HOST:PORT` to listen on")
	cmd.Flags().BoolVar(&opts.AllowRemote, "allow-remote", false, "allow a non-loopback address over plain HTTP (put TLS in front of it)")
	cmd.Flags().StringVar(&opts.TLSCert, "tls-cert", "", "serve HTTPS with this certificate `FILE` (PEM, the chain after the leaf)")
	cmd.Flags().StringVar(&opts.TLSKey, "tls-key", "", "the certificate's private key `FILE` (PEM)")
	cmd.Flags().StringVar(&opts.LogFormat, "log-format", "text", "request and server logs on stderr: text or json")
	cmd.Flags().DurationVar(&opts.ShutdownGrace, "shutdown-grace", 20*time.Second, "how long requests in flight may take to finish on SIGTERM")
	return cmd
}

// checkLoopback refuses an address other machines could reach.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return usagef("--addr %s: %v", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	what := host
	if host == "" || host == "0.0.0.0" || host == "::" {
		what = "every interface"
	}
	return usagef("refusing to listen on %s (%s): not a loopback address, so other machines could reach the "+
		"registry's sensitive data over plain HTTP; use 127.0.0.1, or pass --allow-remote if that is really meant", addr, what)
}

func runServe(ctx context.Context, opts *serveOptions) error {
	if (opts.TLSCert == "") != (opts.TLSKey == "") {
		return usagef("--tls-cert and --tls-key go together")
	}
	useTLS := opts.TLSCert != ""
	if !opts.AllowRemote && !useTLS {
		if err := checkLoopback(opts.Addr); err != nil {
			return err
		}
	}
	var tlsConf *tls.Config
	if useTLS {
		cert, err := tls.LoadX509KeyPair(opts.TLSCert, opts.TLSKey)
		if err != nil {
			return fmt.Errorf("--tls-cert/--tls-key: %w", err)
		}
		tlsConf = &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}
	}
	var log *slog.Logger
	switch opts.LogFormat {
	case "text":
		log = slog.New(slog.NewTextHandler(opts.Stderr, nil))
	case "json":
		log = slog.New(slog.NewJSONHandler(opts.Stderr, nil))
	default:
		return usagef("--log-format %q: want text or json", opts.LogFormat)
	}
	s, err := opts.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	h, err := newWebHandler(s, log)
	if err != nil {
		return err
	}
	h = web.LogRequests(log, h)
	users, err := s.Users(ctx)
	if err != nil {
		return err
	}
	if len(users) == 0 {
		opts.warnf("no analyst accounts yet: create one with roster user add NAME")
	}
	// Search reads the name index: bring it up to date before serving
	// (records imported since the last match).
	if n, err := app.New(s, opts.Now).IndexNames(ctx); err != nil {
		return err
	} else if n > 0 {
		opts.warnf("indexed %d names for search", n)
	}
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	if opts.AllowRemote && !useTLS && checkLoopback(opts.Addr) != nil {
		opts.warnf("listening on %s, reachable from other machines: put TLS in front of it", opts.Addr)
	}
	scheme := "http"
	if useTLS {
		scheme = "https"
		ln = tls.NewListener(ln, tlsConf)
	}
	fmt.Fprintf(opts.Stdout, "roster: review UI on %s://%s (database %s); Ctrl-C or SIGTERM stops it\n", scheme, ln.Addr(), s.Path())
	return serveUntilDone(ctx, ln, h, log, opts.ShutdownGrace)
}

// serveUntilDone serves until ctx is cancelled (SIGTERM, Ctrl-C), then
// shuts down gracefully: no new connections, the requests in flight
// finish (for up to grace).
func serveUntilDone(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger, grace time.Duration) error {
	if grace <= 0 {
		grace = 20 * time.Second
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing the requests in flight", "grace", grace)
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

// newWebHandler wires the store into the web UI's interfaces.
func newWebHandler(s *store.Store, log *slog.Logger) (http.Handler, error) {
	return webstore.New(s, log)
}
