package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/roster-coalition/roster/internal/app"
	"github.com/roster-coalition/roster/internal/store"
	"github.com/roster-coalition/roster/internal/webstore"
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
	return webstore.New(s, log)
}
