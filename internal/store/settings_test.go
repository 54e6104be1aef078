package store_test

import (
	"context"
	"testing"

	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/store"
)

// TestOmissionMinSetting: unset it is 0 (the builder's default); only an
// admin sets it, to 1 or more; it survives closing the database and the
// change is in the audit log.
func TestOmissionMinSetting(t *testing.T) {
	ctx := context.Background()
	s, _ := teamStore(t)
	if n, err := s.OmissionMin(ctx); err != nil || n != 0 {
		t.Fatalf("unset: %d %v, want 0", n, err)
	}
	if err := s.SetOmissionMin(ctx, "bob", 3); roster.ErrorCode(err) != roster.EFORBIDDEN {
		t.Errorf("an analyst sets it: %v", err)
	}
	if err := s.SetOmissionMin(ctx, "alice", 0); roster.ErrorCode(err) != roster.EINVALID {
		t.Errorf("0 other sources: %v", err)
	}
	if err := s.SetOmissionMin(ctx, "alice", 3); err != nil {
		t.Fatal(err)
	}
	path := s.Path()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := store.OpenExisting(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, err := s.OmissionMin(ctx); err != nil || n != 3 {
		t.Fatalf("after reopening: %d %v, want 3", n, err)
	}
	log, _ := s.Audit(ctx)
	if len(log) != 1 || log[0].Action != store.ActionConfig || log[0].Actor != "alice" {
		t.Errorf("audit log: %+v", log)
	}
}
