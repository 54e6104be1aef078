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
	migrateReviewTeams, // 1 -> 2: review as a team (issue 14)
}

func (s *Store) migrate(ctx context.Context) error {
	if len(migrations) != schema.Version-1 {
		return fmt.Errorf("schema version %d but %d migration steps", schema.Version, len(migrations))
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
