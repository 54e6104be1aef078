package store_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/store"
)

// TestOpenMissing: only Open creates a database; the others say where
// none is and leave no file behind (issue 16, point 5).
func TestOpenMissing(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "typo.db")
	for name, open := range map[string]func(context.Context, string) (*store.Store, error){
		"OpenExisting": store.OpenExisting, "OpenReadOnly": store.OpenReadOnly,
	} {
		_, err := open(ctx, path)
		want := "no database at " + path + " (create one with roster import)"
		if err == nil || err.Error() != want || roster.ErrorCode(err) != roster.ENOTFOUND {
			t.Errorf("%s: err = %v, want %q", name, err, want)
		}
		if ents, _ := os.ReadDir(dir); len(ents) > 0 {
			t.Fatalf("%s left %s behind", name, ents[0].Name())
		}
	}
	_, err := store.Open(ctx, filepath.Join(dir, "no", "such", "x.db"))
	if err == nil || !strings.Contains(err.Error(), "directory "+filepath.Join(dir, "no", "such")+" does not exist") {
		t.Errorf("Open in a missing directory: %v", err)
	}
}

// holdWriteLock begins a write on its own connection, as another process
// would, and returns the function that commits it.
func holdWriteLock(t *testing.T, path string) (commit func()) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`INSERT OR IGNORE INTO sources(slug, created_at) VALUES('held', 'now')`); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	commit = func() {
		once.Do(func() {
			if err := tx.Commit(); err != nil {
				t.Error(err)
			}
			db.Close()
		})
	}
	t.Cleanup(commit)
	return commit
}

// TestReadersNotBlocked: while another connection holds the write lock
// with uncommitted rows, a read-only store opens and reads at once, from
// the last committed snapshot (issue 16, point 2: roster sources failed
// after 10 s with "database is locked").
func TestReadersNotBlocked(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	if _, err := s.Import(ctx, sampleImport("2025-06-01", "Məmmədov Əli")); err != nil {
		t.Fatal(err)
	}
	holdWriteLock(t, s.Path())
	start := time.Now()
	r, err := store.OpenReadOnly(ctx, s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	srcs, err := r.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("read took %v while a writer held the lock", d)
	}
	if len(srcs) != 1 || srcs[0].Slug != "ipm" {
		t.Errorf("sources = %+v, want only ipm (the held write is not committed)", srcs)
	}
	// A writer opens without the lock too (no migration to do), and its
	// reads do not wait either.
	w, err := store.OpenExisting(ctx, s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := w.Lists(ctx, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := w.ReadReviewInput(ctx, false); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("opening a writer and reading took %v while a writer held the lock", d)
	}
}

// TestWriterWaits: a write that finds another writer says it waits (once,
// naming the writer as far as the system tells), then goes on when the
// other commits, or fails naming it after Wait.
func TestWriterWaits(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	var told []string
	s.Waiting = func(holder string) { told = append(told, holder) }

	commit := holdWriteLock(t, s.Path())
	go func() { time.Sleep(1500 * time.Millisecond); commit() }()
	s.Wait = time.Minute
	start := time.Now()
	if _, err := s.Import(ctx, sampleImport("2025-06-01", "Məmmədov Əli")); err != nil {
		t.Fatalf("Import after waiting: %v", err)
	}
	if d := time.Since(start); d < time.Second {
		t.Errorf("the import did not wait (%v)", d)
	}
	if len(told) != 1 || told[0] != "another connection of this process" && told[0] != "another process" {
		t.Errorf("Waiting calls = %q, want one naming the other writer", told)
	}

	told = nil
	holdWriteLock(t, s.Path())
	s.Wait = 800 * time.Millisecond
	_, err := s.Import(ctx, sampleImport("2025-07-01", "Həsənova Leyla"))
	if err == nil || roster.ErrorCode(err) != roster.ECONFLICT || !strings.Contains(err.Error(), "is locked") ||
		!strings.Contains(err.Error(), "is writing to it (waited 1s; --wait sets how long to wait)") {
		t.Errorf("Import while locked: %v", err)
	}
	if len(told) != 1 {
		t.Errorf("Waiting called %d times", len(told))
	}
}

func TestReadOnlyStoreRefusesWrites(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	r, err := store.OpenReadOnly(ctx, s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := r.Import(ctx, sampleImport("2025-06-01", "A B")); err == nil {
		t.Fatal("a read-only store imported")
	}
}
