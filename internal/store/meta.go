package store

import (
	"context"
	"database/sql"
	"fmt"
)

// DataVersion is a number that every import changes (in the same
// transaction). A match reads it before the records and passes it to
// SaveMatchRun, which refuses the run if the records changed meanwhile.
func (s *Store) DataVersion(ctx context.Context) (int64, error) { return dataVersion(ctx, s.db) }

func dataVersion(ctx context.Context, q querier) (int64, error) {
	var v int64
	if err := q.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'data_version'`).Scan(&v); err != nil {
		return 0, fmt.Errorf("read data version: %w", err)
	}
	return v, nil
}

func bumpDataVersion(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `UPDATE meta SET value = value + 1 WHERE key = 'data_version'`); err != nil {
		return fmt.Errorf("bump data version: %w", err)
	}
	return nil
}

// QueueState returns the last match run and the run the review queue was
// last rebuilt from (0 when none). The queue is stale when lastRun is the
// larger: a match was saved but the rebuild that follows it did not
// finish (killed, failed, or still running).
func (s *Store) QueueState(ctx context.Context) (lastRun, queueRun int64, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT (SELECT coalesce(max(id), 0) FROM runs),
		(SELECT value FROM meta WHERE key = 'queue_run')`).Scan(&lastRun, &queueRun)
	if err != nil {
		return 0, 0, fmt.Errorf("read the queue's state: %w", err)
	}
	return lastRun, queueRun, nil
}
