// Package cli is Roster's command line: the cobra command tree and the
// composition root that wires the importer, the name engine, the matcher,
// the review queue, the exporters, the store and the web UI together.
//
// Output conventions: results go to stdout, diagnostics (warnings,
// progress, errors) to stderr prefixed "roster: "; listing commands take
// --json. Exit status: 0 ok, 1 failure, 2 usage (bad flags or arguments).
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/roster-coalition/roster/internal/store"
)

// Exit codes.
const (
	ExitOK      = 0
	ExitFailure = 1
	ExitUsage   = 2
)

// globalOptions holds the flags every command shares and the streams.
type globalOptions struct {
	DB     string
	Wait   time.Duration // how long a write waits for another writer
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Now is the clock; tests may set ROSTER_NOW (RFC 3339) for
	// deterministic output.
	Now func() time.Time
}

// openStore opens the existing database named by --db for a command that
// writes to it; it warns when the review queue is stale.
func (g *globalOptions) openStore(ctx context.Context) (*store.Store, error) {
	return g.open(ctx, store.OpenExisting, true)
}

// openStoreAs is openStore for a command that acts as someone (--by):
// it refuses an empty --by before opening anything.
func (g *globalOptions) openStoreAs(ctx context.Context, by string) (*store.Store, error) {
	if err := checkBy(by); err != nil {
		return nil, err
	}
	return g.openStore(ctx)
}

// openReader opens the existing database named by --db read-only, for a
// command that only reads: nothing is created or migrated, a file the
// user cannot write works, and a running writer does not block it.
func (g *globalOptions) openReader(ctx context.Context) (*store.Store, error) {
	return g.open(ctx, store.OpenReadOnly, true)
}

// createStore opens the database named by --db for writing, creating it
// when it does not exist (roster import, the only command that may).
func (g *globalOptions) createStore(ctx context.Context) (*store.Store, error) {
	return g.open(ctx, store.Open, true)
}

func (g *globalOptions) open(ctx context.Context, open func(context.Context, string) (*store.Store, error), warnStale bool) (*store.Store, error) {
	s, err := open(ctx, g.DB)
	if err != nil {
		return nil, err
	}
	s.Now = g.Now
	s.Wait = g.Wait
	s.Waiting = func(holder string) { g.warnf("waiting for %s to finish writing to %s…", holder, g.DB) }
	if warnStale {
		g.warnStaleQueue(ctx, s)
	}
	return s, nil
}

// warnStaleQueue warns while the review queue is older than the last
// match run: the run was saved but the rebuild that follows it did not
// finish (the match was killed, or is rebuilding right now).
func (g *globalOptions) warnStaleQueue(ctx context.Context, s *store.Store) {
	last, queue, err := s.QueueState(ctx)
	if err == nil && last > queue {
		g.warnf("warning: the review queue was built before match run %d (the match was interrupted before rebuilding it, or is rebuilding it now): run roster review build", last)
	}
}

// warnf prints a diagnostic to stderr.
func (g *globalOptions) warnf(format string, args ...any) {
	fmt.Fprintf(g.Stderr, "roster: "+format+"\n", args...)
}

// usageError marks an error as a usage error (exit status 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

const exitHelp = `
Exit status: 0 ok, 1 failure, 2 usage error.
Environment: ROSTER_DB names the database when --db is not given.`

// Run runs the roster command line and returns the exit status.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	g := &globalOptions{Stdin: stdin, Stdout: stdout, Stderr: stderr, Now: clockFromEnv()}
	root := newRootCmd(g)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	fmt.Fprintf(stderr, "roster: %v\n", err)
	var ue usageError
	if errors.As(err, &ue) || isCobraUsage(err) {
		return ExitUsage
	}
	return ExitFailure
}

func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand flag", "accepts ", "requires at least", "requires at most",
		"invalid argument", "flag needs an argument", "required flag"} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}

func clockFromEnv() func() time.Time {
	if v := os.Getenv("ROSTER_NOW"); v != "" {
		if t, err := time.Parse(time.RFC3339, v); err == nil {
			return func() time.Time { return t }
		}
	}
	return func() time.Time { return time.Now().UTC() }
}

func newRootCmd(g *globalOptions) *cobra.Command {
	root := &cobra.Command{
		Use:   "roster",
		Short: "Merge lists of political prisoners into one verifiable registry",
		Long: `Roster imports the lists that organisations publish (CSV, XLSX, JSON, DOCX,
PDF, HTML, text), understands Azerbaijani names across Latin, Cyrillic,
Russian and English spellings, clusters the records into persons with stable
IDs, queues every doubt for analysts, and exports one registry.
` + exitHelp,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	def := os.Getenv("ROSTER_DB")
	if def == "" {
		def = "roster.db"
	}
	root.PersistentFlags().StringVar(&g.DB, "db", def, "database `FILE` (default $ROSTER_DB or ./roster.db)")
	root.PersistentFlags().DurationVar(&g.Wait, "wait", 5*time.Minute, "how long a command that writes waits for another one to finish writing")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err} })
	for _, c := range commands(g) {
		root.AddCommand(c)
	}
	return root
}

// commands lists the subcommands. Each lives in its own file with an
// options struct and a runX(ctx, opts) function.
func commands(g *globalOptions) []*cobra.Command {
	return []*cobra.Command{
		newImportCmd(g),
		newSourcesCmd(g),
		newListsCmd(g),
		newRecordsCmd(g),
		newDemoCmd(g),
		newServeCmd(g),
		newUserCmd(g),
		newMatchCmd(g),
		newPersonsCmd(g),
		newPersonCmd(g),
		newExplainCmd(g),
		newSynthCmd(g),
		newEvalCmd(g),
		newReviewCmd(g),
		newDecideCmd(g),
		newDecisionsCmd(g),
		newDiffCmd(g),
		newExportCmd(g),
		newNamesCmd(g),
		newEstimateCmd(g),
		newReportCmd(g),
		newPrivacyCmd(g),
		newKeysCmd(g),
		newVerifyCmd(g),
		newBackupCmd(g),
		newRestoreCmd(g),
	}
}
