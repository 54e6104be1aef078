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
