package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/store"
)

// teamStore is a store with a few items and accounts: alice (admin), bob
// and carol (analysts), vera (viewer).
func teamStore(t *testing.T) (*store.Store, map[string]int64) {
	t.Helper()
	ctx := context.Background()
	s := MustOpen(t)
	a, b, c := "ipm@2025-06-01:1", "mhm@2025-05-01:7", "mhm@2025-05-01:9"
	items := []roster.ReviewItem{pairItem("match:1", a, b), pairItem("match:2", a, c),
		{Key: "omission:fpp:P-000001", Kind: roster.KindOmission, Source: "fpp", PersonID: "P-000001", Records: []string{a}, Impact: 70},
		{Key: "group-gap:mhm:anti-war", Kind: roster.KindGroupGap, Source: "mhm", Group: "anti-war", Impact: 100}}
	if _, err := s.SaveReviewItems(ctx, 1, items); err != nil {
		t.Fatal(err)
	}
	for _, u := range []struct{ name, role string }{{"alice", ""}, {"bob", store.RoleAnalyst}, {"carol", store.RoleAnalyst},
		{"vera", store.RoleViewer}} {
		if err := s.AddUserRole(ctx, "", u.name, "correct horse", u.role); err != nil {
			t.Fatal(err)
		}
	}
	ids := map[string]int64{}
	all, _ := s.ReviewItems(ctx, store.ReviewFilter{State: "all"})
	for _, it := range all {
		ids[it.Key] = it.ID
	}
	return s, ids
}

func TestDoubleReviewStore(t *testing.T) {
	ctx := context.Background()
	s, ids := teamStore(t)
	if err := s.SetDoubleReview(ctx, "bob", []string{"match"}); roster.ErrorCode(err) != roster.EFORBIDDEN {
		t.Fatalf("an analyst sets the review settings: %v", err)
	}
	if err := s.SetDoubleReview(ctx, "alice", []string{"match", "scope"}); roster.ErrorCode(err) != roster.EINVALID {
		t.Fatalf("scope items double reviewed: %v", err)
	}
	if err := s.SetDoubleReview(ctx, "alice", []string{"match", "duplicate"}); err != nil {
		t.Fatal(err)
	}
	m1, m2 := ids["match:1"], ids["match:2"]
	// The first vote decides nothing and is hidden from the queue of its voter only.
	res, err := s.DecideItem(ctx, m1, -1, roster.VerdictSame, "same father", "bob")
	if err != nil || res.Outcome != store.OutcomeVoted || res.ID != 0 {
		t.Fatalf("first vote: %+v %v", res, err)
	}
	if it, _ := s.ReviewItem(ctx, m1); it.State != store.StateOpen {
		t.Fatalf("one vote settled the item: %s", it.State)
	}
	in := func(voter string, id int64) bool {
		p, err := s.ReviewPage(ctx, store.ReviewFilter{Kind: "match", Voter: voter}, store.Cursor{}, 10, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range p.Items {
			if it.ID == id {
				return true
			}
		}
		return false
	}
	if in("bob", m1) || !in("carol", m1) {
		t.Error("the voted item should leave bob's queue and stay in carol's")
	}
	if _, err := s.DecideItem(ctx, m1, -1, roster.VerdictDifferent, "changed my mind", "bob"); roster.ErrorCode(err) != roster.ECONFLICT {
		t.Errorf("the same analyst votes twice: %v", err)
	}
	if a, _ := s.Audit(ctx); len(a) != 1 || a[0].Action != store.ActionConfig {
		t.Errorf("a pending vote is in the audit log: %+v", a)
	}
	// Agreement settles it under both names, with both votes logged.
	res, err = s.DecideItem(ctx, m1, -1, roster.VerdictSame, "same case number", "carol")
	if err != nil || res.Outcome != store.OutcomeAgreed || res.By != "bob+carol" || res.Verdict != roster.VerdictSame {
		t.Fatalf("agreement: %+v %v", res, err)
	}
	if it, _ := s.ReviewItem(ctx, m1); it.State != store.StateDecided {
		t.Fatalf("agreed item: %s", it.State)
	}
	// Disagreement holds the item and opens an adjudication.
	s.DecideItem(ctx, m2, -1, roster.VerdictSame, "looks alike", "bob")
	res, err = s.DecideItem(ctx, m2, -1, roster.VerdictDifferent, "born apart", "carol")
	if err != nil || res.Outcome != store.OutcomeDisagreed || res.Adjudication == 0 {
		t.Fatalf("disagreement: %+v %v", res, err)
	}
	held, _ := s.ReviewItem(ctx, m2)
	if !held.Held || held.State != store.StateOpen {
		t.Fatalf("held item %+v", held)
	}
	if _, err := s.DecideItem(ctx, m2, -1, roster.VerdictSame, "x", "alice"); roster.ErrorCode(err) != roster.ECONFLICT {
		t.Errorf("a held item decided directly: %v", err)
	}
	adj, _ := s.ReviewItem(ctx, res.Adjudication)
	if adj.Kind != roster.KindAdjudication || len(adj.Records) != 2 {
		t.Fatalf("adjudication %+v", adj)
	}
	if _, err := s.DecideItem(ctx, adj.ID, -1, roster.VerdictSame, "mine", "bob"); roster.ErrorCode(err) != roster.EFORBIDDEN {
		t.Errorf("a voter adjudicates: %v", err)
	}
	if _, err := s.DecideItem(ctx, adj.ID, -1, roster.VerdictConfirm, "x", "alice"); roster.ErrorCode(err) != roster.EINVALID {
		t.Errorf("an adjudication takes its item's verdicts, not confirm: %v", err)
	}
	res, err = s.DecideItem(ctx, adj.ID, -1, roster.VerdictDifferent, "the papers differ", "alice")
	if err != nil || res.Outcome != store.OutcomeDecided {
		t.Fatalf("adjudication: %+v %v", res, err)
	}
	for _, id := range []int64{m2, adj.ID} {
		if it, _ := s.ReviewItem(ctx, id); it.State != store.StateDecided || it.DecisionID != res.ID || it.Held {
			t.Errorf("item %d after adjudication: %+v", id, it)
		}
	}
	// The votes of both rounds are there for the statistics.
	votes, err := s.Votes(ctx)
	if err != nil || len(votes) != 4 {
		t.Fatalf("votes %d (%v), want 4", len(votes), err)
	}
	// Undoing the adjudicated decision reopens the item for a new round.
	if err := s.UndoDecision(ctx, res.ID, "alice"); err != nil {
		t.Fatal(err)
	}
	it, _ := s.ReviewItem(ctx, m2)
	adj, _ = s.ReviewItem(ctx, adj.ID)
	if it.State != store.StateOpen || it.Round != 1 || it.Held || adj.State != store.StateStale {
		t.Fatalf("after undo: item %+v, adjudication %s", it, adj.State)
	}
	if !in("bob", m2) {
		t.Error("after the undo, bob may vote again in the new round")
	}
	// A rebuild leaves adjudications alone.
	if _, err := s.SaveReviewItems(ctx, 2, []roster.ReviewItem{pairItem("match:1", "ipm@2025-06-01:1", "mhm@2025-05-01:7"),
		pairItem("match:2", "ipm@2025-06-01:1", "mhm@2025-05-01:9")}); err != nil {
		t.Fatal(err)
	}
	if adj2, err := s.ReviewItem(ctx, adj.ID); err != nil || adj2.Kind != roster.KindAdjudication {
		t.Fatalf("the rebuild dropped the adjudication: %+v %v", adj2, err)
	}
}

func TestUnsureKeepsOpenStore(t *testing.T) {
	ctx := context.Background()
	s, ids := teamStore(t)
	id := ids["omission:fpp:P-000001"]
	res, err := s.DecideItem(ctx, id, 0, roster.VerdictUnsure, "need the court record", "bob")
	if err != nil || res.Outcome != store.OutcomeUnsure || res.ID == 0 {
		t.Fatalf("unsure: %+v %v", res, err)
	}
	it, _ := s.ReviewItem(ctx, id)
	if it.State != store.StateOpen || !it.SecondLook || it.Version != 1 {
		t.Fatalf("after unsure: %+v", it)
	}
	if err := s.AssignItem(ctx, id, "vera", "bob"); roster.ErrorCode(err) != roster.EINVALID {
		t.Errorf("assigned to a viewer: %v", err)
	}
	if err := s.AssignItem(ctx, id, "carol", "vera"); roster.ErrorCode(err) != roster.EFORBIDDEN {
		t.Errorf("a viewer assigns: %v", err)
	}
	if err := s.AssignItem(ctx, id, "carol", "bob"); err != nil {
		t.Fatal(err)
	}
	p, err := s.ReviewPage(ctx, store.ReviewFilter{AssignedTo: "carol"}, store.Cursor{}, 10, false)
	if err != nil || len(p.Items) != 1 || p.Items[0].ID != id {
		t.Fatalf("carol's queue: %+v %v", p.Items, err)
	}
	p, _ = s.ReviewPage(ctx, store.ReviewFilter{SecondLook: true}, store.Cursor{}, 10, false)
	if len(p.Items) != 1 {
		t.Fatalf("second look queue: %d items", len(p.Items))
	}
	// Unsure is not a verdict an omission is settled by; confirm is.
	if _, err := s.DecideItem(ctx, id, -1, roster.VerdictConfirm, "the record names him", "carol"); err != nil {
		t.Fatal(err)
	}
	if it, _ := s.ReviewItem(ctx, id); it.State != store.StateDecided {
		t.Fatalf("after confirm: %s", it.State)
	}
	// Reasons are capped.
	long := make([]rune, roster.MaxReason+1)
	for i := range long {
		long[i] = 'ə'
	}
	if _, err := s.DecideItem(ctx, ids["group-gap:mhm:anti-war"], -1, roster.VerdictConfirm, string(long), "bob"); roster.ErrorCode(err) != roster.EINVALID {
		t.Errorf("a reason of %d characters: %v", len(long), err)
	}
}

func TestRolesStore(t *testing.T) {
	ctx := context.Background()
	s, ids := teamStore(t)
	for _, tc := range []struct {
		who, need string
		ok        bool
	}{{"alice", store.RoleAdmin, true}, {"bob", store.RoleAdmin, false}, {"bob", store.RoleAnalyst, true},
		{"vera", store.RoleAnalyst, false}, {"vera", store.RoleViewer, true}, {"mallory", store.RoleViewer, false}} {
		err := s.Authorize(ctx, tc.who, tc.need, "do it")
		if (err == nil) != tc.ok || (err != nil && roster.ErrorCode(err) != roster.EFORBIDDEN) {
			t.Errorf("Authorize(%s, %s) = %v, want ok=%v", tc.who, tc.need, err, tc.ok)
		}
	}
	if _, err := s.DecideItem(ctx, ids["match:1"], -1, roster.VerdictSame, "r", "vera"); roster.ErrorCode(err) != roster.EFORBIDDEN {
		t.Errorf("a viewer decides: %v", err)
	}
	if _, err := s.DecidePair(ctx, roster.Side{Source: "ipm", Edition: "2025-06-01", Ref: "1"}, roster.Side{Source: "mhm", Edition: "2025-05-01", Ref: "7"},
		roster.VerdictSame, "r", "vera"); roster.ErrorCode(err) != roster.EFORBIDDEN {
		t.Errorf("a viewer decides a pair: %v", err)
	}
	if err := s.SetScope(ctx, "bob", store.Scope{Source: "ipm", Comprehensive: true}); roster.ErrorCode(err) != roster.EFORBIDDEN {
		t.Errorf("an analyst sets a scope: %v", err)
	}
	// A database without accounts checks nothing: one person on the command line.
	empty := MustOpen(t)
	if err := empty.Authorize(ctx, "anyone", store.RoleAdmin, "do it"); err != nil {
		t.Errorf("no accounts: %v", err)
	}
}

func TestScopeStore(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	if _, err := s.Import(ctx, sampleImport("2025-06-01", "Məmmədov Əli")); err != nil {
		t.Fatal(err)
	}
	for _, sc := range []store.Scope{
		{Source: "ipm"}, // says nothing
		{Source: "ipm", Groups: []string{"journalists"}},
		{Source: "ipm", From: "2023-13"},
		{Source: "ipm", From: "2024", To: "2023"},
	} {
		if err := s.SetScope(ctx, "", sc); roster.ErrorCode(err) != roster.EINVALID {
			t.Errorf("SetScope(%+v) = %v, want EINVALID", sc, err)
		}
	}
	if err := s.SetScope(ctx, "", store.Scope{Source: "nosuch", Comprehensive: true}); roster.ErrorCode(err) != roster.ENOTFOUND {
		t.Errorf("unknown source: %v", err)
	}
	want := store.Scope{Source: "ipm", Groups: []string{"journalist", "anti-war"}, Cases: []string{"Abzas Media"}, From: "2023",
		Note: "journalists since 2023"}
	if err := s.SetScope(ctx, "", want); err != nil {
		t.Fatal(err)
	}
	got, err := s.Scopes(ctx)
	if err != nil || len(got) != 1 {
		t.Fatalf("scopes %+v %v", got, err)
	}
	if !reflect.DeepEqual(got[0].Groups, []string{"anti-war", "journalist"}) || got[0].From != "2023" || got[0].Cases[0] != "Abzas Media" {
		t.Errorf("scope read back %+v", got[0])
	}
	if err := s.ClearScope(ctx, "", "ipm", ""); err != nil {
		t.Fatal(err)
	}
	if err := s.ClearScope(ctx, "", "ipm", ""); roster.ErrorCode(err) != roster.ENOTFOUND {
		t.Errorf("clearing twice: %v", err)
	}
}

// A restart (the file opened again) keeps a lockout and the sessions.
func TestLockoutSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "r.db")
	now := time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)
	open := func() *store.Store {
		s, err := store.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		s.Now = func() time.Time { return now }
		return s
	}
	s := open()
	if err := s.AddUser(ctx, "alice", "correct horse"); err != nil {
		t.Fatal(err)
	}
	tok, _, err := s.CreateSession(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	for range 4 {
		if err := s.LoginFailed(ctx, "Alice"); err != nil {
			t.Fatal(err)
		}
	}
	if d, _ := s.LoginLocked(ctx, "alice"); d != 0 {
		t.Fatalf("locked after 4 failures: %v", d)
	}
	s.LoginFailed(ctx, "alice")
	s.Close()
	s = open()
	defer s.Close()
	if d, _ := s.LoginLocked(ctx, "ALICE"); d != 30*time.Second {
		t.Fatalf("after a restart the lockout is %v, want 30s", d)
	}
	if sess, err := s.Session(ctx, tok); err != nil || sess.User != "alice" || sess.Role != store.RoleAdmin {
		t.Fatalf("session after a restart: %+v %v", sess, err)
	}
	s.LoginFailed(ctx, "alice")
	if d, _ := s.LoginLocked(ctx, "alice"); d != time.Minute {
		t.Errorf("the sixth failure: %v, want 1m (doubling)", d)
	}
	if err := s.LoginSucceeded(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	if d, _ := s.LoginLocked(ctx, "alice"); d != 0 {
		t.Errorf("after a success: %v", d)
	}
	if n, err := s.RevokeSessions(ctx, "alice", "alice", ""); err != nil || n != 1 {
		t.Fatalf("revoke: %d %v", n, err)
	}
	if _, err := s.Session(ctx, tok); err == nil {
		t.Error("a revoked session still works")
	}
}

// The pages through the index give what the whole filtered list gives,
// in the same order, forward and backward, for every kind of filter; and
// the counts the triggers keep match a count of the items.
func TestReviewPagesMatchTheList(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	rng := rand.New(rand.NewPCG(3, 14))
	var items []roster.ReviewItem
	srcs := []string{"ipm", "mhm", "cdr"}
	for i := range 400 {
		k := []string{roster.KindMatch, roster.KindOmission, roster.KindConflict, roster.KindGroupGap}[rng.IntN(4)]
		it := roster.ReviewItem{Key: fmt.Sprintf("%s:%04d", k, i), Kind: k, Impact: float64(rng.IntN(8) * 10), Payload: `{}`}
		switch k {
		case roster.KindMatch, roster.KindConflict:
			it.Records = []string{srcs[rng.IntN(3)] + "@2025-01-01:" + fmt.Sprint(i), srcs[rng.IntN(3)] + "@2025-02-01:" + fmt.Sprint(i)}
		default:
			it.Source = srcs[rng.IntN(3)]
			it.Group = roster.Groups[rng.IntN(3)]
		}
		items = append(items, it)
	}
	if _, err := s.SaveReviewItems(ctx, 1, items); err != nil {
		t.Fatal(err)
	}
	all, _ := s.ReviewItems(ctx, store.ReviewFilter{State: "all"})
	for i, it := range all {
		if i%5 == 0 {
			if _, err := s.DecideItem(ctx, it.ID, -1, roster.VerdictDismiss, "r", "tester"); err != nil && roster.ErrorCode(err) != roster.EINVALID {
				t.Fatal(err)
			}
		}
	}
	check := func(step string) {
		t.Helper()
		for _, f := range []store.ReviewFilter{{}, {State: "all"}, {State: "decided"}, {Kind: roster.KindMatch}, {Source: "mhm"},
			{Source: "cdr", Kind: roster.KindMatch, State: "all"}, {Source: "ipm", Kind: roster.KindOmission}, {Group: roster.Groups[1]},
			{Kind: roster.KindOmission, Group: roster.Groups[0]}, {Kind: roster.KindGroupGap, Group: roster.Groups[2], State: "all"}} {
			want, err := s.ReviewItems(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			c := store.Cursor{}
			for {
				p, err := s.ReviewPage(ctx, f, c, 7, false)
				if err != nil {
					t.Fatal(err)
				}
				for _, it := range p.Items {
					got = append(got, it.ID)
				}
				if !p.More {
					break
				}
				c = store.CursorOf(p.Items[len(p.Items)-1])
			}
			var wantIDs []int64
			for _, it := range want {
				wantIDs = append(wantIDs, it.ID)
			}
			if !reflect.DeepEqual(got, wantIDs) {
				t.Errorf("%s: filter %+v: pages give %d items, the list %d (or another order)", step, f, len(got), len(wantIDs))
				continue
			}
			// Backward from the end gives the same, page by page.
			var back []int64
			if len(want) > 0 {
				c = store.CursorOf(want[len(want)-1])
				back = append(back, want[len(want)-1].ID)
				for {
					p, err := s.ReviewPage(ctx, f, c, 7, true)
					if err != nil {
						t.Fatal(err)
					}
					ids := []int64{}
					for _, it := range p.Items {
						ids = append(ids, it.ID)
					}
					back = append(ids, back...)
					if !p.More || len(p.Items) == 0 {
						break
					}
					c = store.CursorOf(p.Items[0])
				}
			}
			if len(want) > 0 && !reflect.DeepEqual(back, wantIDs) {
				t.Errorf("%s: filter %+v: backward pages differ", step, f)
			}
		}
		counts, err := s.ReviewCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		open, _ := s.ReviewItems(ctx, store.ReviewFilter{WithHeld: true})
		byKind := map[string]int{}
		for _, it := range open {
			byKind[it.Kind]++
		}
		if !reflect.DeepEqual(counts, byKind) {
			t.Errorf("%s: kept counts %v, counted %v", step, counts, byKind)
		}
	}
	check("after a save")
	// Read through the composite indexes too (not by the kind's alone).
	restoreKind := store.SetSmallKind(0)
	check("through the source's and group's indexes")
	restoreKind()
	// A save that rewrites the whole table (most items changed) drops the
	// triggers and refills the counts and sources at once: the same pages.
	restore := store.SetRewrite(0, 0)
	defer restore()
	for i := range items {
		items[i].Impact += 5
		items[i].Title = "changed"
	}
	if _, err := s.SaveReviewItems(ctx, 2, items); err != nil {
		t.Fatal(err)
	}
	check("after a rewrite")
	c, err := store.ParseCursor(store.CursorOf(all[3]).String())
	if err != nil || c != store.CursorOf(all[3]) {
		t.Errorf("cursor round trip: %+v %v", c, err)
	}
	for _, bad := range []string{"x", "open~1", "nope~1~2", "open~x~2", "open~1~0"} {
		if _, err := store.ParseCursor(bad); roster.ErrorCode(err) != roster.EINVALID {
			t.Errorf("ParseCursor(%q) = %v", bad, err)
		}
	}
}

// FuzzParseCursor: whatever a URL carries, ParseCursor answers a cursor or
// EINVALID, and a cursor it accepts writes back to the same cursor.
func FuzzParseCursor(f *testing.F) {
	for _, s := range []string{"", "open~52.5~1234", "decided~0~1", "stale~-3~9", "open~1e300~2", "open~NaN~3", "x~1~2", "open~~", "open~1~2~3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := store.ParseCursor(s)
		if err != nil {
			if roster.ErrorCode(err) != roster.EINVALID {
				t.Fatalf("ParseCursor(%q): %v, want EINVALID", s, err)
			}
			return
		}
		again, err := store.ParseCursor(c.String())
		if err != nil || again != c {
			t.Fatalf("ParseCursor(%q) = %+v; its String %q reads back as %+v, %v", s, c, c.String(), again, err)
		}
	})
}

// TestOnlyPairItemsDecidePairs: an item that happens to list two records
// but is not about whether they are one person (a group gap, an
// omission) records no pair decision when it is settled, so it cannot
// supersede an analyst's decision on those two records.
func TestOnlyPairItemsDecidePairs(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	a, b := "ipm@2025-06-01:1", "mhm@2025-05-01:7"
	items := []roster.ReviewItem{pairItem("match:1", a, b),
		{Key: "group-gap:mhm:anti-war", Kind: roster.KindGroupGap, Source: "mhm", Group: "anti-war", Records: []string{a, b}, Impact: 100},
		{Key: "omission:fpp:P-000001", Kind: roster.KindOmission, Source: "fpp", PersonID: "P-000001", Records: []string{a, b}, Impact: 70}}
	if _, err := s.SaveReviewItems(ctx, 1, items); err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	all, _ := s.ReviewItems(ctx, store.ReviewFilter{State: "all"})
	for _, it := range all {
		ids[it.Key] = it.ID
	}
	if _, err := s.DecideItem(ctx, ids["match:1"], -1, roster.VerdictSame, "same father", "bob"); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"group-gap:mhm:anti-war", "omission:fpp:P-000001"} {
		res, err := s.DecideItem(ctx, ids[key], -1, roster.VerdictConfirm, "checked", "bob")
		if err != nil {
			t.Fatal(err)
		}
		if res.Decision.A.Ref != "" || res.Decision.B.Ref != "" {
			t.Errorf("%s: settling it recorded a pair decision on %v and %v", key, res.Decision.A, res.Decision.B)
		}
	}
	active, err := s.ActiveDecisions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	same := 0
	for _, d := range active {
		if d.Verdict == roster.VerdictSame && d.A.Ref != "" {
			same++
		}
	}
	if same != 1 {
		t.Errorf("%d active same decisions on the pair, want 1 (%+v)", same, active)
	}
}
