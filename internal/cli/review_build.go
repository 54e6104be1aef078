package cli

import (
	"context"
	"fmt"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/roster-coalition/roster/internal/match"
	"github.com/roster-coalition/roster/internal/review"
	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/store"
)

type reviewBuildOptions struct {
	*globalOptions
	OmissionMin int
	JSON        bool
}

func newReviewBuildCmd(g *globalOptions) *cobra.Command {
	opts := &reviewBuildOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "build [--omission-min N]",
		Short: "Rebuild the queue from the current match (roster match does this at its end)",
		Long: `Build rebuilds the review queue from the current clustering. Items are
matched to the stored ones by their content key: decided items stay
decided, open items that no longer apply become stale, stale items that
apply again reopen.

An omission is a person listed in the latest editions of at least
--omission-min other sources but not in this source's latest edition. A
group gap is a group this source's latest edition lists none of while some
other source lists at least 2 and the other sources' median is at least 1,
or "far fewer": at most half the other sources' median and at least 3 below
it.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runReviewBuild(cmd.Context(), opts) },
	}
	cmd.Flags().IntVar(&opts.OmissionMin, "omission-min", 2, "other sources that must list a person for an omission")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

func runReviewBuild(ctx context.Context, opts *reviewBuildOptions) error {
	if opts.OmissionMin < 1 {
		return usagef("--omission-min %d: want 1 or more", opts.OmissionMin)
	}
	s, err := opts.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	sum, err := buildReview(ctx, s, review.Options{OmissionMinSources: opts.OmissionMin})
	if err != nil {
		return err
	}
	if opts.JSON {
		return writeJSON(opts.Stdout, sum)
	}
	fmt.Fprintln(opts.Stdout, sum.String())
	return nil
}

// reviewSummary says what a rebuild of the queue did.
type reviewSummary struct {
	RunID    int64          `json:"run_id"`
	Items    int            `json:"items"`
	New      int            `json:"new"`
	Kept     int            `json:"kept"`
	Reopened int            `json:"reopened"`
	Decided  int            `json:"settled_by_decisions"`
	Stale    int            `json:"stale"`
	Open     int            `json:"open"`
	Counts   map[string]int `json:"open_by_kind"`
}

func (s reviewSummary) String() string {
	var parts []string
	for _, k := range roster.Kinds {
		if n := s.Counts[k]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", k, n))
		}
	}
	by := ""
	if len(parts) > 0 {
		by = ": " + strings.Join(parts, ", ")
	}
	return fmt.Sprintf("review queue: %d open%s (%d new, %d kept, %d reopened, %d settled by earlier decisions, %d stale)",
		s.Open, by, s.New, s.Kept, s.Reopened, s.Decided, s.Stale)
}

// rebuildReview rebuilds the review queue from the current clustering
// with the default options; roster match calls it at its end.
func rebuildReview(ctx context.Context, g *globalOptions, s *store.Store) (reviewSummary, error) {
	_ = g
	return buildReview(ctx, s, review.Options{})
}

// reviewInput reads the store into the review builders' input. detail
// also reads what only a record's display needs (location, raw row…):
// roster diff prints it; the queue and the tallies do not.
func reviewInput(ctx context.Context, s *store.Store, opts review.Options, detail bool) (review.Input, int64, error) {
	data, err := s.ReadReviewInput(ctx, detail)
	if err != nil {
		return review.Input{}, 0, err
	}
	in := review.Input{Records: data.Records, Members: data.Members, Decisions: data.Decisions, Fingerprint: match.Fingerprint,
		Options: opts, Pairs: make([]review.Pair, len(data.Pairs))}
	for i, p := range data.Pairs {
		in.Pairs[i] = review.Pair{A: p.A, B: p.B, Probability: p.Probability, Band: p.Band}
	}
	return in, data.RunID, nil
}

// reviewMemoryLimit is the soft memory limit while the queue is rebuilt:
// at a million records the build holds about 1.3 GB at its peak, and
// without a limit the collector lets the heap grow to twice that.
const reviewMemoryLimit = 1536 << 20

func buildReview(ctx context.Context, s *store.Store, opts review.Options) (reviewSummary, error) {
	if os.Getenv("GOMEMLIMIT") == "" {
		prev := debug.SetMemoryLimit(-1)
		debug.SetMemoryLimit(min(prev, reviewMemoryLimit))
		defer debug.SetMemoryLimit(prev)
	}
	in, runID, err := reviewInput(ctx, s, opts, false)
	if err != nil {
		return reviewSummary{}, err
	}
	items := review.Build(in) // in is dead from here: the records can go before the save
	st, err := s.SaveReviewItems(ctx, runID, items)
	if err != nil {
		return reviewSummary{}, err
	}
	counts, err := s.ReviewCounts(ctx)
	if err != nil {
		return reviewSummary{}, err
	}
	return reviewSummary{RunID: runID, Items: st.Items, New: st.New, Kept: st.Kept, Reopened: st.Reopened, Decided: st.Decided,
		Stale: st.Stale, Open: st.Open, Counts: counts}, nil
}
