package store

import (
	"context"
	"database/sql"
	"fmt"

	schema "github.com/roster-coalition/roster"
)

// migrations[i] upgrades a database from user_version i+1 to i+2. A new
// database skips them all: it gets schema.sql whole. When schema.sql
// changes, bump schema.Version and append the step here; the test in
// migrate_test.go checks that a migrated file matches a fresh one.
var migrations = []func(ctx context.Context, tx *sql.Tx) error{
	migrateRecordAliases, // 1 → 2
	migratePrivacyMarks,  // 2 → 3 (issue 15: privacy.go)
	migrateMeta,          // 3 → 4 (issue 16)
	migrateReviewTeams,   // 4 → 5: review as a team (issue 14: migrate_teams.go)
	migrateUserLang,      // 5 → 6: each user's language of the web UI (issue 13)
}

// migrateRecordAliases adds records.aliases (issue 12): the other names
// a record's alias columns give, as a JSON array; ” for none, which is
// what every record imported before had.
func migrateRecordAliases(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `ALTER TABLE records ADD COLUMN aliases TEXT NOT NULL DEFAULT ''`)
	return err
}

// migrateMeta adds the meta table: the data version that every import
// bumps (a match refuses to save a run computed from records that changed
// meanwhile) and the run the review queue was built from (commands warn
// while the queue is older than the last run); a migrated database
// presumes its queue current. And the index that counts records per group
// of a list without reading the rows.
func migrateMeta(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `CREATE INDEX records_list_grp ON records(list_id, grp);
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO meta(key, value) VALUES ('data_version', 1), ('queue_run', (SELECT coalesce(max(id), 0) FROM runs));`)
	return err
}

// ---- 5 → 6 (issue 13): each user's language of the web UI ----

// migrateUserLang adds users.lang: the language a user chose for the web
// UI (az, ru or en); empty (every existing account) means none chosen, and
// the browser's Accept-Language decides.
func migrateUserLang(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `ALTER TABLE users ADD COLUMN lang TEXT NOT NULL DEFAULT ''`)
	return err
}

func (s *Store) migrate(ctx context.Context) error {
	if len(migrations) != schema.Version-1 {
		return fmt.Errorf("schema version %d but %d migration steps", schema.Version, len(migrations))
	}
	// A current file needs no write lock: check before taking it.
	var v int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if v == schema.Version {
		return nil
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		var v int
		if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
			return fmt.Errorf("read schema version: %w", err)
		}
		switch {
		case v == schema.Version:
			return nil
		case v > schema.Version:
			return fmt.Errorf("database schema version %d is newer than this roster (%d): upgrade roster", v, schema.Version)
		case v == 0:
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&n); err != nil {
				return fmt.Errorf("inspect database: %w", err)
			}
			if n > 0 {
				return fmt.Errorf("not a roster database (it has tables but no schema version)")
			}
			if _, err := tx.ExecContext(ctx, schema.SQL); err != nil {
				return fmt.Errorf("create schema: %w", err)
			}
		default:
			for i := v - 1; i < len(migrations); i++ {
				if err := migrations[i](ctx, tx); err != nil {
					return fmt.Errorf("migrate schema %d to %d: %w", i+1, i+2, err)
				}
			}
		}
		_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", schema.Version))
		return err
	})
}
