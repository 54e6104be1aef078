package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/store"
)

// TestReviewBandPairs: the review-band pairs of the last run, less those
// an analyst settled as same or different (in either order); an undone
// or unsure decision leaves the pair in.
func TestReviewBandPairs(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	now := time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)
	ref := func(src, r string) roster.RecordRef {
		return roster.RecordRef{Source: src, Edition: "2025-06-01", Ref: r}
	}
	pair := func(a, b roster.RecordRef, p float64, band string) store.PairRow {
		return store.PairRow{A: a, B: b, Probability: p, Band: band}
	}
	run := store.MatchRun{StartedAt: now, FinishedAt: now, LinkThreshold: .8, ReviewThreshold: .3,
		Pairs: slices.Values([]store.PairRow{
			pair(ref("ipm", "1"), ref("mhm", "1"), .55, "review"),
			pair(ref("ipm", "2"), ref("mhm", "2"), .40, "review"),
			pair(ref("ipm", "3"), ref("mhm", "3"), .70, "review"),
			pair(ref("ipm", "4"), ref("mhm", "4"), .61, "review"),
			pair(ref("ipm", "5"), ref("mhm", "5"), .95, "link"),
			pair(ref("ipm", "6"), ref("ipm", "7"), .90, "duplicate"),
		}),
	}
	if _, err := s.SaveMatchRun(ctx, run); err != nil {
		t.Fatal(err)
	}
	side := func(r roster.RecordRef) roster.Side {
		return roster.Side{Source: r.Source, Edition: r.Edition, Ref: r.Ref, Fingerprint: "fp" + r.Ref}
	}
	decide := func(a, b roster.RecordRef, verdict string) roster.Decision {
		d, err := s.DecidePair(ctx, side(a), side(b), verdict, "checked the case file", "alice")
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	decide(ref("ipm", "1"), ref("mhm", "1"), roster.VerdictDifferent)
	decide(ref("mhm", "2"), ref("ipm", "2"), roster.VerdictSame) // the other order
	decide(ref("ipm", "3"), ref("mhm", "3"), roster.VerdictUnsure)
	d := decide(ref("ipm", "4"), ref("mhm", "4"), roster.VerdictSame)
	if err := s.UndoDecision(ctx, d.ID, "alice"); err != nil {
		t.Fatal(err)
	}
	got, err := s.ReviewBandPairs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []store.BandPair{{A: ref("ipm", "3"), B: ref("mhm", "3"), Probability: .70}, {A: ref("ipm", "4"), B: ref("mhm", "4"), Probability: .61}}
	if !slices.Equal(got, want) {
		t.Errorf("ReviewBandPairs = %+v, want %+v", got, want)
	}
}
