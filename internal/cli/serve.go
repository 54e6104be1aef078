package cli

import (
	"context"
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
the data is sensitive and the server speaks plain HTTP.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runServe(cmd.Context(), opts) },
	}
	cmd.Flags().StringVar(&opts.Addr, "addr", "127.0.0.1:8080", "`HOST:PORT` to listen on")
	cmd.Flags().BoolVar(&opts.AllowRemote, "allow-remote", false, "allow a non-loopback address (plain HTTP: put TLS in front of it)")
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
	if !opts.AllowRemote {
		if err := checkLoopback(opts.Addr); err != nil {
			return err
		}
	}
	s, err := opts.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	log := slog.New(slog.NewTextHandler(opts.Stderr, nil))
	h, err := newWebHandler(s, log)
	if err != nil {
		return err
	}
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
	if opts.AllowRemote && checkLoopback(opts.Addr) != nil {
		opts.warnf("listening on %s, reachable from other machines: put TLS in front of it", opts.Addr)
	}
	fmt.Fprintf(opts.Stdout, "roster: review UI on http://%s (database %s); Ctrl-C stops it\n", ln.Addr(), s.Path())
	return serveUntilDone(ctx, ln, h, log)
}

// serveUntilDone serves until ctx is cancelled, then shuts down gracefully.
func serveUntilDone(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger) error {
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
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// newWebHandler wires the store into the web UI's interfaces.
func newWebHandler(s *store.Store, log *slog.Logger) (http.Handler, error) {
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	b := webBackend{s}
	return web.New(web.Config{Queue: b, Users: b, Registry: b, Log: log, Now: s.Now})
}

// webBackend adapts *store.Store to web.Queue, web.Users and web.Registry.
type webBackend struct{ s *store.Store }

func (b webBackend) ReviewItems(ctx context.Context, f web.QueueFilter) ([]roster.ReviewItem, error) {
	return b.s.ReviewItems(ctx, store.ReviewFilter{Kind: f.Kind, Source: f.Source, Group: f.Group, State: f.State})
}

func (b webBackend) ReviewItem(ctx context.Context, id int64) (roster.ReviewItem, error) {
	return b.s.ReviewItem(ctx, id)
}

func (b webBackend) ReviewCounts(ctx context.Context) (map[string]int, error) {
	return b.s.ReviewCounts(ctx)
}

func (b webBackend) DecideItem(ctx context.Context, id, version int64, verdict, reason, by string) (roster.Decision, error) {
	res, err := b.s.DecideItem(ctx, id, version, verdict, reason, by)
	return res.Decision, err
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
