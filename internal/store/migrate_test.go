package store_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	schema "github.com/roster-coalition/roster"
	"github.com/roster-coalition/roster/internal/store"
)

func TestOpenStampsVersion(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v.db")
	s, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v int
	if err := db.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	if got, want := v, schema.Version; got != want {
		t.Fatalf("user_version=%d, want %d", got, want)
	}
}

func TestOpenRefuses(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		setup string
		want  string
	}{
		{"newer schema", "PRAGMA user_version = 999", "newer than this roster"},
		{"foreign database", "CREATE TABLE t(x)", "not a roster database"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "x.db")
			db, err := sql.Open("sqlite3", path)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec(tt.setup); err != nil {
				t.Fatal(err)
			}
			db.Close()
			_, err = store.Open(ctx, path)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Open: err=%v, want %q", err, tt.want)
			}
		})
	}
}

// schemaOf lists a database's schema (type, name, SQL with white space
// squeezed), sorted.
func schemaOf(t *testing.T, path string) []string {
	t.Helper()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT type, name, coalesce(sql, '') FROM sqlite_schema ORDER BY type, name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var typ, name, text string
		if err := rows.Scan(&typ, &name, &text); err != nil {
			t.Fatal(err)
		}
		out = append(out, typ+" "+name+" "+strings.Join(strings.Fields(text), " "))
	}
	return out
}

// TestMigrateFrom1: a version-1 file (no meta table, no group index) is
// migrated to what schema.sql creates, and its queue is presumed current.
func TestMigrateFrom1(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	fresh, old := filepath.Join(dir, "fresh.db"), filepath.Join(dir, "old.db")
	for _, p := range []string{fresh, old} {
		s, err := store.Open(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
	}
	db, err := sql.Open("sqlite3", old)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DROP TABLE meta`, `DROP INDEX records_list_grp`,
		`INSERT INTO runs(started_at, finished_at, link_threshold, review_threshold) VALUES('x', 'x', 0.8, 0.3)`, `PRAGMA user_version = 1`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	if _, err := store.OpenReadOnly(ctx, old); err == nil || !strings.Contains(err.Error(), "schema version 1 is older than this roster's") {
		t.Errorf("OpenReadOnly on version 1: %v", err)
	}
	s, err := store.OpenExisting(ctx, old)
	if err != nil {
		t.Fatal(err)
	}
	last, queue, err := s.QueueState(ctx)
	s.Close()
	if err != nil || last != 1 || queue != 1 {
		t.Errorf("migrated queue state: last run %d, queue run %d (%v): want the queue presumed current", last, queue, err)
	}
	got, want := schemaOf(t, old), schemaOf(t, fresh)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("migrated schema:\n%s\nfresh schema:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
