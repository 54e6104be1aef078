package store_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/store"
)

func pairItem(key, a, b string) roster.ReviewItem {
	payload, _ := json.Marshal(map[string]any{"sides": []map[string]string{
		sideJSON(a, "fp-"+a), sideJSON(b, "fp-"+b),
	}})
	return roster.ReviewItem{Key: key, Kind: roster.KindMatch, Records: []string{a, b}, Title: key, Payload: string(payload), Impact: 50}
}

func sideJSON(ref, fp string) map[string]string {
	r, _ := roster.ParseRef(ref)
	return map[string]string{"source": r.Source, "edition": r.Edition, "ref": r.Ref, "fingerprint": fp}
}

func TestSaveReviewItemsKeepsState(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	a, b, c := "ipm@2025-06-01:1", "mhm@2025-05-01:7", "mhm@2025-05-01:9"
	gap := roster.ReviewItem{Key: "group-gap:mhm:anti-war", Kind: roster.KindGroupGap, Source: "mhm", Group: "anti-war", Impact: 100}
	st, err := s.SaveReviewItems(ctx, 1, []roster.ReviewItem{pairItem("match:1", a, b), pairItem("match:2", a, c), gap})
	if err != nil {
		t.Fatal(err)
	}
	if st.New != 3 || st.Open != 3 {
		t.Fatalf("first build: %+v", st)
	}
	items, err := s.ReviewItems(ctx, store.ReviewFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if items[0].Kind != roster.KindGroupGap {
		t.Fatalf("first item %+v, want the group gap (highest impact)", items[0])
	}
	var m1 int64
	for _, it := range items {
		if it.Key == "match:1" {
			m1 = it.ID
		}
	}
	d, err := s.DecideItem(ctx, m1, 0, roster.VerdictSame, "same birth date and case", "alice")
	if err != nil {
		t.Fatal(err)
	}
	if d.A.Fingerprint != "fp-"+a || d.B.Ref != "7" {
		t.Fatalf("decision sides %+v %+v", d.A, d.B)
	}
	// Rebuild without match:2: it goes stale; match:1 stays decided.
	st, err = s.SaveReviewItems(ctx, 2, []roster.ReviewItem{pairItem("match:1", a, b), gap})
	if err != nil {
		t.Fatal(err)
	}
	if st.Stale != 1 || st.Kept != 2 || st.Open != 1 {
		t.Fatalf("second build: %+v", st)
	}
	it, err := s.ReviewItem(ctx, m1)
	if err != nil {
		t.Fatal(err)
	}
	if it.State != store.StateDecided || it.DecisionID != d.ID {
		t.Fatalf("decided item after rebuild: %+v", it)
	}
	// match:2 comes back: reopened.
	st, err = s.SaveReviewItems(ctx, 3, []roster.ReviewItem{pairItem("match:1", a, b), pairItem("match:2", a, c), gap})
	if err != nil {
		t.Fatal(err)
	}
	if st.Reopened != 1 || st.Open != 2 {
		t.Fatalf("third build: %+v", st)
	}
	counts, err := s.ReviewCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if counts[roster.KindMatch] != 1 || counts[roster.KindGroupGap] != 1 {
		t.Fatalf("counts %v", counts)
	}
	// Filters.
	for _, tc := range []struct {
		f    store.ReviewFilter
		want int
	}{
		{store.ReviewFilter{State: "all"}, 3},
		{store.ReviewFilter{State: "decided"}, 1},
		{store.ReviewFilter{Source: "mhm"}, 2},
		{store.ReviewFilter{Source: "ipm", State: "all"}, 2},
		{store.ReviewFilter{Group: "anti-war"}, 1},
		{store.ReviewFilter{Kind: roster.KindMatch, State: "all"}, 2},
	} {
		got, err := s.ReviewItems(ctx, tc.f)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != tc.want {
			t.Errorf("%+v: %d items, want %d", tc.f, len(got), tc.want)
		}
	}
	if _, err := s.ReviewItems(ctx, store.ReviewFilter{State: "bogus"}); roster.ErrorCode(err) != roster.EINVALID {
		t.Errorf("bogus state: err=%v", err)
	}
}

func TestDecideItemRules(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	gap := roster.ReviewItem{Key: "group-gap:mhm:anti-war", Kind: roster.KindGroupGap, Source: "mhm", Group: "anti-war"}
	if _, err := s.SaveReviewItems(ctx, 1, []roster.ReviewItem{gap, pairItem("match:1", "a@1:1", "b@1:2")}); err != nil {
		t.Fatal(err)
	}
	items, _ := s.ReviewItems(ctx, store.ReviewFilter{Kind: roster.KindGroupGap})
	id := items[0].ID
	for _, tc := range []struct {
		name                string
		id, version         int64
		verdict, reason, by string
		code                string
	}{
		{"no reason", id, -1, "dismiss", " ", "alice", roster.EINVALID},
		{"no actor", id, -1, "dismiss", "r", "", roster.EINVALID},
		{"bad verdict", id, -1, "maybe", "r", "alice", roster.EINVALID},
		{"same on a group gap", id, -1, "same", "r", "alice", roster.EINVALID},
		{"missing", 999, -1, "dismiss", "r", "alice", roster.ENOTFOUND},
		{"stale version", id, 7, "dismiss", "r", "alice", roster.ECONFLICT},
	} {
		_, err := s.DecideItem(ctx, tc.id, tc.version, tc.verdict, tc.reason, tc.by)
		if got := roster.ErrorCode(err); got != tc.code {
			t.Errorf("%s: code %q (%v), want %q", tc.name, got, err, tc.code)
		}
	}
	d, err := s.DecideItem(ctx, id, -1, roster.VerdictDismiss, "this list covers only journalists", "alice")
	if err != nil {
		t.Fatal(err)
	}
	if d.A.Source != "" {
		t.Fatalf("group-gap decision has sides: %+v", d)
	}
	_, err = s.DecideItem(ctx, id, -1, roster.VerdictUnsure, "r", "bob")
	if roster.ErrorCode(err) != roster.ECONFLICT || !strings.Contains(err.Error(), "already decided by alice (dismiss) at 2026-01-15T10:00:00Z") {
		t.Fatalf("second decision: %v", err)
	}
}

func TestUndoAndAudit(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	if _, err := s.SaveReviewItems(ctx, 1, []roster.ReviewItem{pairItem("match:1", "a@1:1", "b@1:2")}); err != nil {
		t.Fatal(err)
	}
	items, _ := s.ReviewItems(ctx, store.ReviewFilter{})
	it := items[0]
	if err := s.UndoItem(ctx, it.ID, "alice"); roster.ErrorCode(err) != roster.ECONFLICT {
		t.Fatalf("undo of an open item: %v", err)
	}
	d, err := s.DecideItem(ctx, it.ID, it.Version, roster.VerdictDifferent, "different fathers", "alice")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.UndoItem(ctx, it.ID, "bob"); err != nil {
		t.Fatal(err)
	}
	after, _ := s.ReviewItem(ctx, it.ID)
	if after.State != store.StateOpen || after.DecisionID != 0 || after.Version != it.Version+2 {
		t.Fatalf("after undo: %+v (before %+v)", after, it)
	}
	active, _ := s.ActiveDecisions(ctx)
	if len(active) != 0 {
		t.Fatalf("active decisions after undo: %+v", active)
	}
	all, _ := s.Decisions(ctx)
	if len(all) != 1 || !all[0].Undone || all[0].ID != d.ID {
		t.Fatalf("decisions: %+v", all)
	}
	// Decide again with the old version: refused (it changed since).
	if _, err := s.DecideItem(ctx, it.ID, it.Version, roster.VerdictSame, "r", "carol"); roster.ErrorCode(err) != roster.ECONFLICT {
		t.Fatalf("decide with an old version: %v", err)
	}
	if _, err := s.DecideItem(ctx, it.ID, after.Version, roster.VerdictSame, "same passport", "carol"); err != nil {
		t.Fatal(err)
	}
	hist, err := s.ItemDecisions(ctx, it.ID)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range hist {
		actions = append(actions, e.Action+":"+e.Actor)
	}
	if got, want := strings.Join(actions, " "), "decide:alice undo:bob decide:carol"; got != want {
		t.Fatalf("history %q, want %q", got, want)
	}
	// The audit log is append-only.
	if _, err := s.DB().ExecContext(ctx, `DELETE FROM audit`); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Fatalf("delete from audit: %v", err)
	}
}

func TestDecidePairSettlesItemAndSupersedes(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	a, b := "a@1:1", "b@1:2"
	if _, err := s.SaveReviewItems(ctx, 1, []roster.ReviewItem{pairItem("match:1", a, b)}); err != nil {
		t.Fatal(err)
	}
	sa := roster.Side{Source: "a", Edition: "1", Ref: "1", Fingerprint: "fa"}
	sb := roster.Side{Source: "b", Edition: "1", Ref: "2", Fingerprint: "fb"}
	d1, err := s.DecidePair(ctx, sa, sb, roster.VerdictSame, "same person", "alice")
	if err != nil {
		t.Fatal(err)
	}
	items, _ := s.ReviewItems(ctx, store.ReviewFilter{State: "all"})
	if items[0].State != store.StateDecided || items[0].DecisionID != d1.ID || d1.ItemID != items[0].ID {
		t.Fatalf("item %+v, decision %+v", items[0], d1)
	}
	// A later decision on the same pair (found by fingerprint, in a new edition) supersedes the first.
	sb2 := roster.Side{Source: "b", Edition: "2", Ref: "5", Fingerprint: "fb"}
	d2, err := s.DecidePair(ctx, sb2, sa, roster.VerdictDifferent, "different birth years confirmed", "bob")
	if err != nil {
		t.Fatal(err)
	}
	active, _ := s.ActiveDecisions(ctx)
	if len(active) != 1 || active[0].ID != d2.ID {
		t.Fatalf("active %+v", active)
	}
	it, _ := s.ReviewItem(ctx, items[0].ID)
	if it.DecisionID != d2.ID {
		t.Fatalf("item decision %d, want %d", it.DecisionID, d2.ID)
	}
	log, _ := s.Audit(ctx)
	if len(log) != 3 || log[2].Action != store.ActionUndo || log[2].DecisionID != d1.ID {
		t.Fatalf("audit %+v", log)
	}
}

// TestDecideRace decides one item from two goroutines through two stores
// on the same file: one wins, the other gets a conflict naming the winner,
// and both attempts' traces are consistent (one decision, one audit row).
func TestDecideRace(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "race.db")
	open := func() *store.Store {
		s, err := store.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	s1 := open()
	if _, err := s1.SaveReviewItems(ctx, 1, []roster.ReviewItem{pairItem("match:1", "a@1:1", "b@1:2")}); err != nil {
		t.Fatal(err)
	}
	s2 := open()
	for round := 0; round < 5; round++ {
		items, _ := s1.ReviewItems(ctx, store.ReviewFilter{})
		it := items[0]
		var wg sync.WaitGroup
		errs := make([]error, 2)
		start := make(chan struct{})
		for i, s := range []*store.Store{s1, s2} {
			wg.Add(1)
			go func(i int, s *store.Store) {
				defer wg.Done()
				<-start
				_, errs[i] = s.DecideItem(ctx, it.ID, it.Version, []string{"same", "different"}[i], "race", []string{"alice", "bob"}[i])
			}(i, s)
		}
		close(start)
		wg.Wait()
		var wins, conflicts int
		for _, err := range errs {
			switch {
			case err == nil:
				wins++
			case roster.ErrorCode(err) == roster.ECONFLICT && strings.Contains(err.Error(), "already decided by"):
				conflicts++
			default:
				t.Fatalf("round %d: unexpected error %v", round, err)
			}
		}
		if wins != 1 || conflicts != 1 {
			t.Fatalf("round %d: %d wins, %d conflicts (%v)", round, wins, conflicts, errs)
		}
		active, _ := s2.ActiveDecisions(ctx)
		if len(active) != 1 {
			t.Fatalf("round %d: %d active decisions", round, len(active))
		}
		if err := s2.UndoItem(ctx, it.ID, "carol"); err != nil {
			t.Fatal(err)
		}
	}
	log, _ := s1.Audit(ctx)
	if len(log) != 10 { // 5 decisions and 5 undos
		t.Fatalf("audit has %d entries, want 10", len(log))
	}
}
