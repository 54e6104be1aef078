package app

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/roster-coalition/roster/internal/match"
	"github.com/roster-coalition/roster/internal/review"
	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/store"
)

// twoLists is a store with matchPeople in two lists, ipm in Azerbaijani
// and mhm in Russian; it returns mhm's names and the birth years.
func twoLists(t *testing.T) (s *store.Store, ru []string, born []int) {
	t.Helper()
	s, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	var az []string
	for _, p := range matchPeople {
		az, ru, born = append(az, p.az), append(ru, p.ru), append(born, p.born)
	}
	matchImportList(t, s, "ipm", "2025-01-01", az, born, false, false)
	matchImportList(t, s, "mhm", "2025-01-01", ru, born, false, false)
	return s, ru, born
}

// TestMatchRefusesWhenRecordsChange: an import that lands while match
// computes (here: from another connection, as soon as the matcher has
// read the records) makes the save fail with a message saying so, and the
// previous run, its persons and the queue stay as they were (issue 16,
// point 3: the run used to be saved with members pointing at records the
// import had replaced).
func TestMatchRefusesWhenRecordsChange(t *testing.T) {
	ctx := context.Background()
	s, ru, born := twoLists(t)
	svc := New(s, nil)
	first, err := svc.Match(ctx, match.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.RebuildReview(ctx, review.Options{}); err != nil {
		t.Fatal(err)
	}
	before, err := s.Persons(ctx)
	if err != nil {
		t.Fatal(err)
	}

	other, err := store.OpenExisting(ctx, s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	imported := false
	cfg := match.Config{Progress: func(stage string, _, _ int64) {
		if stage == "prepare" && !imported {
			imported = true
			// Replace mhm's list with a shuffled copy: new record rows and refs.
			matchImportList(t, other, "mhm", "2025-01-01", ru, born, true, true)
		}
	}}
	_, err = svc.Match(ctx, cfg)
	if !imported {
		t.Fatal("the import did not run during the match")
	}
	if err == nil || roster.ErrorCode(err) != roster.ECONFLICT || !strings.Contains(err.Error(), "the records changed while match ran") {
		t.Fatalf("Match = %v, want a conflict saying the records changed", err)
	}
	run, err := s.LastRun(ctx)
	if err != nil || run.ID != first.RunID {
		t.Fatalf("last run %d (%v), want the first run %d still", run.ID, err, first.RunID)
	}
	after, err := s.Persons(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before) {
		t.Errorf("persons %d after the refused run, %d before", len(after), len(before))
	}
	// Run again: now it reads the new records and saves.
	sum, err := svc.Match(ctx, match.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.DataVersion <= first.DataVersion {
		t.Errorf("data version %d after an import, %d before", sum.DataVersion, first.DataVersion)
	}
}

// TestQueueStaleUntilRebuilt: a match saved without the rebuild that
// follows it (a kill in between) leaves the queue marked stale, and the
// rebuild clears it (issue 16, point 6).
func TestQueueStaleUntilRebuilt(t *testing.T) {
	ctx := context.Background()
	s, _, _ := twoLists(t)
	svc := New(s, nil)
	sum, err := svc.Match(ctx, match.Config{})
	if err != nil {
		t.Fatal(err)
	}
	last, queue, err := s.QueueState(ctx)
	if err != nil || last != sum.RunID || queue >= last {
		t.Fatalf("after a match alone: last run %d, queue run %d (%v): want the queue stale", last, queue, err)
	}
	if _, err := svc.RebuildReview(ctx, review.Options{}); err != nil {
		t.Fatal(err)
	}
	if last, queue, err = s.QueueState(ctx); err != nil || queue != last {
		t.Fatalf("after the rebuild: last run %d, queue run %d (%v)", last, queue, err)
	}
}
