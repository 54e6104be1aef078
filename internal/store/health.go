package store

import "context"

// Ping checks that the database answers a query (for /healthz).
func (s *Store) Ping(ctx context.Context) error {
	var n int
	return s.db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&n)
}
