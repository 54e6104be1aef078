package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/roster-coalition/roster/internal/app"
	"github.com/roster-coalition/roster/internal/match"
	"github.com/roster-coalition/roster/internal/store"
)

// TestStaleQueueWarning: a match saved without the queue rebuild that
// follows it (roster match killed in between) makes every command warn
// until the queue is rebuilt (issue 16, point 6).
func TestStaleQueueWarning(t *testing.T) {
	ctx := context.Background()
	h := cliHarness{t: t, db: filepath.Join(t.TempDir(), "r.db")}
	for _, f := range fixtureEditions[:3] {
		h.run("import", filepath.Join("../../fixtures/lists", f.file), "--source", f.source, "--edition", f.edition)
	}
	h.run("match")
	stderr := func(args ...string) string {
		var out, errb bytes.Buffer
		if code := Run(ctx, append([]string{"--db", h.db}, args...), nil, &out, &errb); code != 0 {
			t.Fatalf("roster %s: exit %d: %s", strings.Join(args, " "), code, errb.String())
		}
		return errb.String()
	}
	if e := stderr("lists"); strings.Contains(e, "warning") {
		t.Fatalf("warning after a whole match: %s", e)
	}
	// What a kill between the save and the rebuild leaves.
	s, err := store.OpenExisting(ctx, h.db)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := app.New(s, nil).Match(ctx, match.Config{})
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	want := "roster: warning: the review queue was built before match run 2 (the match was interrupted before rebuilding it, or is rebuilding it now): run roster review build\n"
	if sum.RunID != 2 {
		t.Fatalf("run %d", sum.RunID)
	}
	for _, args := range [][]string{{"lists"}, {"review", "list"}, {"persons"}, {"export", "registry", "-o", filepath.Join(t.TempDir(), "r.csv")}} {
		if e := stderr(args...); !strings.Contains(e, want) {
			t.Errorf("roster %s: stderr %q, want the stale-queue warning", strings.Join(args, " "), e)
		}
	}
	if e := stderr("review", "build"); strings.Contains(e, "warning") {
		t.Errorf("review build warned: %s", e)
	}
	if e := stderr("review", "list"); strings.Contains(e, "warning") {
		t.Errorf("warning after the rebuild: %s", e)
	}
}
