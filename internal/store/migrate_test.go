package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	schema "github.com/roster-coalition/roster"
	"github.com/roster-coalition/roster/internal/roster"
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

// TestMigrateFromV1: a database made by schema version 1 (testdata/
// schema-v1.sql, the schema as it was) opens migrated: its records read
// back (without aliases), and every table, column and index is what a
// fresh database has.
func TestMigrateFromV1(t *testing.T) {
	ctx := context.Background()
	v1, err := os.ReadFile(filepath.Join("testdata", "schema-v1.sql"))
	if err != nil {
		t.Fatal(err)
	}
	old := filepath.Join(t.TempDir(), "v1.db")
	db, err := sql.Open("sqlite3", old)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		string(v1),
		`PRAGMA user_version = 1`,
		`INSERT INTO sources(slug, created_at) VALUES ('ipm', '2025-06-01T00:00:00Z')`,
		`INSERT INTO lists(id, source, edition, imported_at) VALUES (1, 'ipm', '2025-06-01', '2025-06-01T00:00:00Z')`,
		`INSERT INTO files(id, list_id, name, sha256, format, size, imported_at) VALUES (1, 1, 'a.csv', 'x', 'csv', 1, '2025-06-01T00:00:00Z')`,
		`INSERT INTO records(list_id, file_id, row, ref, name, raw) VALUES (1, 1, 1, '1', 'Məmmədli Tural', '1;Məmmədli Tural')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	s, err := store.Open(ctx, old)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := s.AllRecords(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].Name != "Məmmədli Tural" || recs[0].Aliases != nil {
		t.Errorf("records after migration: %+v", recs)
	}
	migrated := schemaShape(t, s.DB())
	s.Close()

	fresh, err := store.Open(ctx, filepath.Join(t.TempDir(), "fresh.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	if want := schemaShape(t, fresh.DB()); !reflect.DeepEqual(migrated, want) {
		t.Errorf("migrated schema differs from a fresh one\n got %v\nwant %v", migrated, want)
	}
}

// schemaShape lists every table's columns (name, type, not null, default,
// primary key) and every index's and trigger's name, as SQLite reports them.
func schemaShape(t *testing.T, db *sql.DB) []string {
	t.Helper()
	var out, tables []string
	rows, err := db.Query(`SELECT type, name, tbl_name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var typ, name, tbl string
		if err := rows.Scan(&typ, &name, &tbl); err != nil {
			t.Fatal(err)
		}
		out = append(out, typ+" "+name+" on "+tbl)
		if typ == "table" {
			tables = append(tables, name)
		}
	}
	rows.Close()
	for _, tb := range tables {
		cols, err := db.Query(`SELECT name, type, "notnull", coalesce(dflt_value, 'NULL'), pk FROM pragma_table_info(?) ORDER BY cid`, tb)
		if err != nil {
			t.Fatal(err)
		}
		for cols.Next() {
			var name, typ, dflt string
			var notnull, pk int
			if err := cols.Scan(&name, &typ, &notnull, &dflt, &pk); err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprintf("%s.%s %s notnull=%d default=%s pk=%d", tb, name, typ, notnull, dflt, pk))
		}
		cols.Close()
	}
	return out
}

// TestMigrateFrom3: a version-3 file (the schema before the meta table and
// the group index, made here from version 1 by the first two steps) is
// migrated to what schema.sql creates, and its queue is presumed current.
func TestMigrateFrom3(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	fresh, old := filepath.Join(dir, "fresh.db"), filepath.Join(dir, "old.db")
	s, err := store.Open(ctx, fresh)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	v1, err := os.ReadFile(filepath.Join("testdata", "schema-v1.sql"))
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite3", old)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{string(v1), `PRAGMA user_version = 1`,
		`INSERT INTO runs(started_at, finished_at, link_threshold, review_threshold) VALUES('x', 'x', 0.8, 0.3)`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	if _, err := store.OpenReadOnly(ctx, old); err == nil || !strings.Contains(err.Error(), "schema version 1 is older than this roster's") {
		t.Errorf("OpenReadOnly on version 1: %v", err)
	}
	s, err = store.OpenExisting(ctx, old)
	if err != nil {
		t.Fatal(err)
	}
	last, queue, err := s.QueueState(ctx)
	s.Close()
	if err != nil || last != 1 || queue != 1 {
		t.Errorf("migrated queue state: last run %d, queue run %d (%v): want the queue presumed current", last, queue, err)
	}
	got, want := schemaShapeFile(t, old), schemaShapeFile(t, fresh)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("migrated schema differs from a new one:\n%s", lineDiff(got, want))
	}
}

// schemaShapeFile describes a database's structure: every table's columns
// (name, type, not null, default, key), every index's columns and
// condition, and the triggers, so that a migrated file can be compared
// with a fresh one whatever the text of their CREATE statements.
func schemaShapeFile(t *testing.T, path string) []string {
	t.Helper()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_schema ORDER BY type, name`)
	if err != nil {
		t.Fatal(err)
	}
	type obj struct{ typ, name, tbl, sql string }
	var objs []obj
	for rows.Next() {
		var o obj
		if err := rows.Scan(&o.typ, &o.name, &o.tbl, &o.sql); err != nil {
			t.Fatal(err)
		}
		objs = append(objs, o)
	}
	rows.Close()
	var out []string
	for _, o := range objs {
		switch o.typ {
		case "table":
			cols, err := db.Query(fmt.Sprintf("SELECT name, type, \"notnull\", coalesce(dflt_value, ''), pk FROM pragma_table_info(%q)", o.name))
			if err != nil {
				t.Fatal(err)
			}
			for cols.Next() {
				var name, typ, dflt string
				var notnull, pk int
				if err := cols.Scan(&name, &typ, &notnull, &dflt, &pk); err != nil {
					t.Fatal(err)
				}
				out = append(out, fmt.Sprintf("table %s: %s %s notnull=%d default=%s pk=%d", o.name, name, typ, notnull, dflt, pk))
			}
			cols.Close()
		case "index":
			// The CREATE INDEX text (autoindexes have none): columns and condition.
			out = append(out, fmt.Sprintf("index %s on %s: %s", o.name, o.tbl, strings.Join(strings.Fields(o.sql), " ")))
		case "trigger":
			out = append(out, fmt.Sprintf("trigger %s on %s: %s", o.name, o.tbl, strings.Join(strings.Fields(o.sql), " ")))
		}
	}
	return out
}

// TestMigrateV1Teams opens a version 1 file (schema.sql as it was) with data in
// it: the migrated file has the same tables, columns, indexes and
// triggers as a new one, the accounts become admins, and the queue's
// counts and item sources are filled in.
func TestMigrateV1Teams(t *testing.T) {
	ctx := context.Background()
	v1, err := os.ReadFile("testdata/schema-v1.sql")
	if err != nil {
		t.Fatal(err)
	}
	old := filepath.Join(t.TempDir(), "v1.db")
	db, err := sql.Open("sqlite3", old)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{string(v1), "PRAGMA user_version = 1",
		`INSERT INTO users(name, password_hash, created_at) VALUES ('alice', 'x', '2026-01-01T00:00:00Z')`,
		`INSERT INTO review_items(key, kind, state, source, records, title) VALUES
			('match:ipm@2025-06-01:1|mhm@2025-05-01:2', 'match', 'open', '', '["ipm@2025-06-01:1","mhm@2025-05-01:2"]', 't1'),
			('omission:fpp:P-000001', 'omission', 'open', 'fpp', '["ipm@2025-06-01:1"]', 't2'),
			('group-gap:mhm:anti-war', 'group-gap', 'decided', 'mhm', '[]', 't3')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	s, err := store.Open(ctx, old)
	if err != nil {
		t.Fatal(err)
	}
	users, err := s.Users(ctx)
	if err != nil || len(users) != 1 || users[0].Role != store.RoleAdmin {
		t.Errorf("users after the migration: %+v, %v", users, err)
	}
	// An account from before languages has chosen none (the browser's
	// decides) and can choose one.
	if _, sess, err := s.CreateSession(ctx, "alice"); err != nil || sess.Lang != "" {
		t.Errorf("alice's language after the migration: %q, %v", sess.Lang, err)
	}
	if err := s.SetLang(ctx, "alice", "az"); err != nil {
		t.Errorf("set a language after the migration: %v", err)
	}
	counts, err := s.ReviewCounts(ctx)
	if err != nil || counts[roster.KindMatch] != 1 || counts[roster.KindOmission] != 1 || counts[roster.KindGroupGap] != 0 {
		t.Errorf("open counts after the migration: %v, %v", counts, err)
	}
	for src, want := range map[string]int{"ipm": 1, "mhm": 1, "fpp": 1} {
		page, err := s.ReviewPage(ctx, store.ReviewFilter{Source: src}, store.Cursor{}, 10, false)
		if err != nil || len(page.Items) != want {
			t.Errorf("source %s after the migration: %d items (%v), want %d", src, len(page.Items), err, want)
		}
	}
	s.Close()
	fresh := filepath.Join(t.TempDir(), "v2.db")
	s, err = store.Open(ctx, fresh)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	got, want := schemaShapeFile(t, old), schemaShapeFile(t, fresh)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("migrated schema differs from a new one:\n%s", lineDiff(got, want))
	}
}

// lineDiff lists the lines only in got (-) or only in want (+).
func lineDiff(got, want []string) string {
	in := func(xs []string) map[string]bool {
		m := map[string]bool{}
		for _, x := range xs {
			m[x] = true
		}
		return m
	}
	g, w := in(got), in(want)
	var b strings.Builder
	for _, x := range got {
		if !w[x] {
			b.WriteString("- " + x + "\n")
		}
	}
	for _, x := range want {
		if !g[x] {
			b.WriteString("+ " + x + "\n")
		}
	}
	return b.String()
}
