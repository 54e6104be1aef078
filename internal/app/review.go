package app

import (
	"context"
	"fmt"
	"os"
	"runtime/debug"
	"strings"

	"github.com/roster-coalition/roster/internal/match"
	"github.com/roster-coalition/roster/internal/review"
	"github.com/roster-coalition/roster/internal/roster"
)

// ReviewSummary says what a rebuild of the queue did.
type ReviewSummary struct {
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

func (s ReviewSummary) String() string {
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

// ReviewInput reads the store into the review builders' input, and
// returns the last match run's ID with it. detail also reads what only a
// record's display needs (location, raw row…): roster diff prints it; the
// queue and the tallies do not.
func (a *Service) ReviewInput(ctx context.Context, opts review.Options, detail bool) (review.Input, int64, error) {
	data, err := a.store.ReadReviewInput(ctx, detail)
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

// RebuildReview rebuilds the review queue from the current clustering and
// saves it (see store.SaveReviewItems: decided items stay decided, items
// that no longer apply become stale). roster match calls it at its end
// with the zero Options.
func (a *Service) RebuildReview(ctx context.Context, opts review.Options) (ReviewSummary, error) {
	if os.Getenv("GOMEMLIMIT") == "" {
		prev := debug.SetMemoryLimit(-1)
		debug.SetMemoryLimit(min(prev, reviewMemoryLimit))
		defer debug.SetMemoryLimit(prev)
	}
	in, runID, err := a.ReviewInput(ctx, opts, false)
	if err != nil {
		return ReviewSummary{}, err
	}
	items := review.Build(in) // in is dead from here: the records can go before the save
	st, err := a.store.SaveReviewItems(ctx, runID, items)
	if err != nil {
		return ReviewSummary{}, err
	}
	counts, err := a.store.ReviewCounts(ctx)
	if err != nil {
		return ReviewSummary{}, err
	}
	return ReviewSummary{RunID: runID, Items: st.Items, New: st.New, Kept: st.Kept, Reopened: st.Reopened, Decided: st.Decided,
		Stale: st.Stale, Open: st.Open, Counts: counts}, nil
}
