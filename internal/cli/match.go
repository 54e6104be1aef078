package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"

	"github.com/roster-coalition/roster/internal/app"
	"github.com/roster-coalition/roster/internal/match"
	"github.com/roster-coalition/roster/internal/review"
	"github.com/roster-coalition/roster/internal/store"
)

type matchOptions struct {
	*globalOptions
	LinkThreshold   float64
	ReviewThreshold float64
	JSON            bool
	By              string
}

func newMatchCmd(g *globalOptions) *cobra.Command {
	opts := &matchOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "match [--threshold-link P] [--threshold-review P] [--json]",
		Short: "Block, score and cluster every record into persons with stable IDs",
		Long: `Match compares the records of every list and edition, scores each compared
pair with a Fellegi–Sunter model whose weights are estimated from the data
(EM), clusters the records into persons and keeps each person's ID from the
previous run. Analyst decisions are hard constraints. Pairs in the review
band and within-list duplicates are stored for the review queue.

A pair with a match probability at or above --threshold-link (default 0.8)
is linked; from --threshold-review (default 0.3) up to that, it goes to
review; below, it is a non-link. The run is written in one transaction:
an interrupted match leaves the previous result as it was.` + exitHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runMatch(cmd.Context(), opts) },
	}
	cmd.Flags().Float64Var(&opts.LinkThreshold, "threshold-link", match.DefaultLinkThreshold, "link pairs at or above this match probability")
	cmd.Flags().Float64Var(&opts.ReviewThreshold, "threshold-review", match.DefaultReviewThreshold, "send pairs at or above this probability (and below the link threshold) to review")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the summary as JSON")
	addByFlag(cmd, &opts.By, "who runs it (an analyst or admin, once the database has accounts)")
	return cmd
}

func runMatch(ctx context.Context, opts *matchOptions) error {
	cfg := match.Config{LinkThreshold: opts.LinkThreshold, ReviewThreshold: opts.ReviewThreshold}
	if err := cfg.Validate(); err != nil {
		return usagef("%v", err)
	}
	s, err := opts.open(ctx, store.OpenExisting, false) // it rebuilds the queue: no stale warning
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.Authorize(ctx, opts.By, store.RoleAnalyst, "run the match"); err != nil {
		return err
	}
	if stderrIsTerminal(opts.Stderr) {
		cfg.Progress = progressBar(opts.Stderr)
	}
	// A match at a million records holds a few GB; a soft limit makes the
	// collector work harder instead of letting the heap double (unless the
	// user set GOMEMLIMIT).
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(3 << 30)
	}
	svc := app.New(s, opts.Now)
	// The queue follows the clustering: it is rebuilt, keeping the state
	// of items that still apply.
	sum, rs, err := svc.MatchAndReview(ctx, cfg, review.Options{})
	if cfg.Progress != nil {
		fmt.Fprint(opts.Stderr, "\r\033[K")
	}
	if err != nil && sum.RunID != 0 {
		return fmt.Errorf("match saved as run %d, but rebuilding the review queue failed (run roster review build): %w", sum.RunID, err)
	}
	if err != nil {
		return err
	}
	if _, err := svc.IndexNames(ctx); err != nil {
		return fmt.Errorf("match saved as run %d, but indexing the names for search failed: %w", sum.RunID, err)
	}
	if opts.JSON {
		return writeJSON(opts.Stdout, struct {
			app.MatchSummary
			Review app.ReviewSummary `json:"review"`
		}{sum, rs})
	}
	w := opts.Stdout
	fmt.Fprintf(w, "records          %d in %d lists\n", sum.Records, sum.Lists)
	fmt.Fprintf(w, "blocks           %d (%d above the cap of %d records, compared by window)\n", sum.Blocks, sum.GiantBlocks, sum.BlockCap)
	pct := 0.0
	if sum.AllPairs > 0 {
		pct = 100 * float64(sum.PairsCompared) / float64(sum.AllPairs)
	}
	fmt.Fprintf(w, "pairs compared   %d of %d possible (%.3g%% kept by blocking)\n", sum.PairsCompared, sum.AllPairs, pct)
	fmt.Fprintf(w, "model            EM %d iterations (converged: %v), prior %.3g, %d random pairs for u\n",
		sum.Model.Iterations, sum.Model.Converged, sum.Model.Lambda, sum.Model.RandomPairs)
	fmt.Fprintf(w, "persons          %d (%d new, %d merged into others, %d retired)\n", sum.Persons, sum.NewPersons, sum.MergedPersons, sum.RetiredPersons)
	fmt.Fprintf(w, "auto links       %d (p >= %.3g; %d refused as conflicting)\n", sum.AutoLinks, sum.LinkThreshold, sum.Refused)
	fmt.Fprintf(w, "analyst links    %d\n", sum.AnalystLinks)
	fmt.Fprintf(w, "for review       %d (%d pairs in the review band or refused, %d within-list duplicates)\n",
		sum.ReviewPairs+sum.Duplicates, sum.ReviewPairs, sum.Duplicates)
	fmt.Fprintf(w, "run              %d\n", sum.RunID)
	fmt.Fprintln(w, rs.String())
	return nil
}

func stderrIsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

// progressBar draws a one-line bar on a terminal.
func progressBar(w io.Writer) func(stage string, done, total int64) {
	return func(stage string, done, total int64) {
		const width = 30
		frac := 1.0
		if total > 0 {
			frac = float64(done) / float64(total)
		}
		n := int(frac * width)
		fmt.Fprintf(w, "\r\033[Kroster: %-8s [%s%s] %3.0f%%", stage, strings.Repeat("#", n), strings.Repeat(".", width-n), 100*frac)
	}
}
