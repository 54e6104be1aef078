package cli

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/store"
	"github.com/roster-coalition/roster/internal/web"
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
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	b := webBackend{s}
	return web.New(web.Config{Queue: b, Users: b, Registry: b, Privacy: b, Health: s.Ping, Log: log, Now: s.Now})
}

// webBackend adapts *store.Store to web.Queue, web.Users and web.Registry.
type webBackend struct{ s *store.Store }

func (b webBackend) ReviewItems(ctx context.Context, f web.QueueFilter) ([]roster.ReviewItem, error) {
	return b.s.ReviewItems(ctx, store.ReviewFilter(f))
}

func (b webBackend) ReviewItem(ctx context.Context, id int64) (roster.ReviewItem, error) {
	return b.s.ReviewItem(ctx, id)
}

func (b webBackend) ReviewCounts(ctx context.Context) (map[string]int, error) {
	return b.s.ReviewCounts(ctx)
}

func (b webBackend) DecideItem(ctx context.Context, id, version int64, verdict, reason, by string) (roster.Decision, error) {
	return b.s.DecideItem(ctx, id, version, verdict, reason, by)
}

func (b webBackend) UndoItem(ctx context.Context, id int64, by string) error {
	return b.s.UndoItem(ctx, id, by)
}

func toWebAudit(in []store.AuditEntry, err error) ([]web.AuditEntry, error) {
	if err != nil {
		return nil, err
	}
	out := make([]web.AuditEntry, len(in))
	for i, a := range in {
		out[i] = web.AuditEntry(a)
	}
	return out, nil
}

func (b webBackend) Audit(ctx context.Context) ([]web.AuditEntry, error) {
	return toWebAudit(b.s.Audit(ctx))
}

func (b webBackend) ItemDecisions(ctx context.Context, id int64) ([]web.AuditEntry, error) {
	return toWebAudit(b.s.ItemDecisions(ctx, id))
}

func (b webBackend) CheckPassword(ctx context.Context, name, pw string) error {
	return b.s.CheckPassword(ctx, name, pw)
}

func (b webBackend) CreateSession(ctx context.Context, user string) (string, web.Session, error) {
	tok, s, err := b.s.CreateSession(ctx, user)
	return tok, web.Session(s), err
}

func (b webBackend) Session(ctx context.Context, token string) (web.Session, error) {
	s, err := b.s.Session(ctx, token)
	return web.Session(s), err
}

func (b webBackend) DeleteSession(ctx context.Context, token string) error {
	return b.s.DeleteSession(ctx, token)
}

func (b webBackend) Sources(ctx context.Context) ([]web.SourceInfo, error) {
	srcs, err := b.s.Sources(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]web.SourceInfo, 0, len(srcs))
	for _, x := range srcs {
		si := web.SourceInfo{Slug: x.Slug, Title: x.Title}
		for _, l := range x.Editions {
			ei := web.EditionInfo{Edition: l.Edition, Title: l.Title, ImportedAt: l.ImportedAt, Records: l.Records, Groups: l.Groups}
			for _, f := range l.Files {
				ei.Files = append(ei.Files, f.Name)
			}
			si.Editions = append(si.Editions, ei)
		}
		out = append(out, si)
	}
	return out, nil
}

func (b webBackend) AllRecords(ctx context.Context) ([]roster.Record, error) {
	return b.s.AllRecords(ctx)
}

func (b webBackend) FindRecord(ctx context.Context, ref roster.RecordRef) (roster.Record, error) {
	return b.s.FindRecord(ctx, ref)
}

func (b webBackend) Persons(ctx context.Context) ([]roster.Person, error) { return b.s.Persons(ctx) }

func (b webBackend) Person(ctx context.Context, id string) (roster.Person, []web.PersonEvent, error) {
	p, _, err := b.s.Person(ctx, id)
	if err != nil {
		return p, nil, err
	}
	hist, err := b.s.PersonHistory(ctx, p.ID)
	if err != nil {
		return p, nil, err
	}
	var ev []web.PersonEvent
	for _, h := range hist {
		at, _ := time.Parse(time.RFC3339, h.At)
		ev = append(ev, web.PersonEvent{At: at, Run: h.RunID, Event: h.Event, OtherID: h.Other})
	}
	return p, ev, nil
}

func (b webBackend) Decisions(ctx context.Context) ([]roster.Decision, error) {
	return b.s.ActiveDecisions(ctx)
}
