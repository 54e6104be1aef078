package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/store"
)

func member(id, ref string) roster.Membership {
	return roster.Membership{PersonID: id, Source: "ipm", Edition: "2025-06-01", Ref: ref, Fingerprint: "fp" + ref, Link: roster.LinkSingle}
}

func TestSaveMatchRun(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	now := time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)
	run1 := store.MatchRun{StartedAt: now, FinishedAt: now, LinkThreshold: .9, ReviewThreshold: .3,
		NewPersons: []store.PersonRow{{Seq: 1, ID: "P-000001"}, {Seq: 2, ID: "P-000002"}},
		Members:    slices.Values([]roster.Membership{member("P-000001", "1"), member("P-000002", "2")}),
		History:    []store.HistoryEvent{{PersonID: "P-000001", Event: "created"}, {PersonID: "P-000002", Event: "created"}},
		Pairs: slices.Values([]store.PairRow{{A: roster.RecordRef{Source: "ipm", Edition: "2025-06-01", Ref: "1"},
			B: roster.RecordRef{Source: "ipm", Edition: "2025-06-01", Ref: "2"}, Probability: .95, Band: "duplicate"}}),
	}
	if _, err := s.SaveMatchRun(ctx, run1); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.NextPersonSeq(ctx); n != 3 {
		t.Errorf("NextPersonSeq=%d, want 3", n)
	}
	// The save drops the members' indexes for its write and builds them
	// again: both are there after it.
	var plan string
	err := s.DB().QueryRow(`SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_schema
		WHERE type = 'index' AND tbl_name = 'members' AND sql IS NOT NULL ORDER BY name)`).Scan(&plan)
	if err != nil || plan != "members_fp members_person" {
		t.Errorf("members' indexes after a save: %q, %v; want members_fp members_person", plan, err)
	}

	t.Run("a failing run changes nothing", func(t *testing.T) {
		bad := store.MatchRun{StartedAt: now, FinishedAt: now, LinkThreshold: .9, ReviewThreshold: .3,
			NewPersons: []store.PersonRow{{Seq: 3, ID: "P-000003"}},
			// The second member names a person that does not exist: the
			// insert fails after the old members were deleted.
			Members: slices.Values([]roster.Membership{member("P-000003", "1"), member("P-999999", "2")}),
		}
		if _, err := s.SaveMatchRun(ctx, bad); err == nil {
			t.Fatal("want an error")
		}
		ms, err := s.CurrentMembers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) != 2 || ms[0].PersonID != "P-000001" || ms[1].PersonID != "P-000002" {
			t.Errorf("members after a failed run: %+v", ms)
		}
		if n, _ := s.NextPersonSeq(ctx); n != 3 {
			t.Errorf("a failed run left persons behind: next seq %d", n)
		}
		if r, _ := s.LastRun(ctx); r.ID != 1 {
			t.Errorf("last run=%d, want 1", r.ID)
		}
	})

	t.Run("a cancelled run changes nothing", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		run := run1
		run.NewPersons = nil
		run.Members = slices.Values([]roster.Membership{member("P-000001", "1"), member("P-000001", "2")})
		if _, err := s.SaveMatchRun(cctx, run); err == nil {
			t.Fatal("want an error")
		}
		ms, _ := s.CurrentMembers(ctx)
		if len(ms) != 2 || ms[1].PersonID != "P-000002" {
			t.Errorf("members after a cancelled run: %+v", ms)
		}
	})

	t.Run("a merge leaves a redirect", func(t *testing.T) {
		run2 := store.MatchRun{StartedAt: now, FinishedAt: now, LinkThreshold: .9, ReviewThreshold: .3,
			Redirects: []store.PersonRow{{ID: "P-000002", RedirectTo: "P-000001"}},
			Members:   slices.Values([]roster.Membership{member("P-000001", "1"), member("P-000001", "2")}),
			History:   []store.HistoryEvent{{PersonID: "P-000002", Event: "merged-into", Other: "P-000001"}},
		}
		if _, err := s.SaveMatchRun(ctx, run2); err != nil {
			t.Fatal(err)
		}
		p, via, err := s.Person(ctx, "P-000002")
		if err != nil {
			t.Fatal(err)
		}
		if p.ID != "P-000001" || len(via) != 1 || via[0] != "P-000002" || len(p.Members) != 2 {
			t.Errorf("person=%+v via=%v", p, via)
		}
		ps, _ := s.Persons(ctx)
		if len(ps) != 1 {
			t.Errorf("persons=%+v, want one active", ps)
		}
		h, _ := s.PersonHistory(ctx, "P-000002")
		if len(h) == 0 || h[len(h)-1].Event != "merged-into" {
			t.Errorf("history=%+v", h)
		}
	})
	if _, _, err := s.Person(ctx, "P-123456"); roster.ErrorCode(err) != roster.ENOTFOUND {
		t.Errorf("unknown person: err=%v", err)
	}
}
