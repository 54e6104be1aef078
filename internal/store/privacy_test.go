package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	schema "github.com/roster-coalition/roster"
	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/store"
)

func TestPrivacyMarks(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	if _, err := s.Import(ctx, sampleImport("2025-06-01", "Məmmədov Əli", "Həsənova Leyla")); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)
	run := store.MatchRun{StartedAt: now, FinishedAt: now, LinkThreshold: .9, ReviewThreshold: .3,
		NewPersons: []store.PersonRow{{Seq: 1, ID: "P-000001"}, {Seq: 2, ID: "P-000002"}, {Seq: 3, ID: "P-000003"}},
		Members:    slices.Values([]roster.Membership{member("P-000001", "1"), member("P-000003", "2")}),
		History: []store.HistoryEvent{{PersonID: "P-000001", Event: "created"}, {PersonID: "P-000003", Event: "created"},
			{PersonID: "P-000003", Event: "split-from", Other: "P-000001"}},
		Redirects: []store.PersonRow{{ID: "P-000002", RedirectTo: "P-000001"}},
	}
	if _, err := s.SaveMatchRun(ctx, run); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name string
		a    store.PrivacyAction
		code string
	}{
		{"no reason", store.PrivacyAction{Action: "mark", PersonID: "P-000001", By: "alice"}, roster.EINVALID},
		{"no target", store.PrivacyAction{Action: "mark", Reason: "x", By: "alice"}, roster.EINVALID},
		{"both targets", store.PrivacyAction{Action: "mark", PersonID: "P-000001", Column: "notes", Reason: "x", By: "alice"}, roster.EINVALID},
		{"unknown person", store.PrivacyAction{Action: "mark", PersonID: "P-000099", Reason: "x", By: "alice"}, roster.ENOTFOUND},
		{"unknown source", store.PrivacyAction{Action: "mark", Source: "xyz", Column: "Phone", Reason: "x", By: "alice"}, roster.ENOTFOUND},
		{"bad action", store.PrivacyAction{Action: "hide", PersonID: "P-000001", Reason: "x", By: "alice"}, roster.EINVALID},
	} {
		if _, err := s.AddPrivacyAction(ctx, tc.a); roster.ErrorCode(err) != tc.code {
			t.Errorf("%s: err = %v; want code %s", tc.name, err, tc.code)
		}
	}

	a, err := s.AddPrivacyAction(ctx, store.PrivacyAction{Action: "mark", PersonID: "P-000002", Reason: "family asked", AskedBy: "a brother", By: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddPrivacyAction(ctx, store.PrivacyAction{Action: "mark", Source: "ipm", Column: "Phone", Reason: "contact data", By: "bob"}); err != nil {
		t.Fatal(err)
	}
	log, err := s.PrivacyLog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 2 || log[0] != a || log[1].Column != "Phone" || log[1].Source != "ipm" || log[0].At != "2026-01-15T10:00:00Z" {
		t.Errorf("privacy log = %+v", log)
	}
	audit, err := s.Audit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(audit) != 2 || audit[0].Action != store.ActionPrivacyMark || audit[0].Reason != "family asked" ||
		!strings.Contains(audit[0].Detail, `"person:P-000002"`) || !strings.Contains(audit[0].Detail, `"a brother"`) {
		t.Errorf("audit = %+v", audit)
	}
	if _, err := s.DB().Exec(`DELETE FROM privacy_marks`); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Errorf("deleting a mark: %v; want append-only", err)
	}

	redirect, split, err := s.PersonLineage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if redirect["P-000002"] != "P-000001" || !slices.Equal(split["P-000003"], []string{"P-000001"}) {
		t.Errorf("lineage = %v, %v", redirect, split)
	}
}

// TestPrivacySchemaMatches: the migration step applies the very text
// schema.sql has.
func TestPrivacySchemaMatches(t *testing.T) {
	if !strings.Contains(schema.SQL, store.PrivacySchema) {
		t.Error("schema.sql does not contain the privacy_marks DDL of internal/store/privacy.go")
	}
}
