package store

import "database/sql"

// DB exposes the handle to the tests of package store_test (e.g. to check
// that the audit log refuses changes).
func (s *Store) DB() *sql.DB { return s.db }

// SetRewrite sets when SaveReviewItems rewrites the table instead of
// updating it, and returns a func that restores the defaults.
func SetRewrite(min int, share float64) (restore func()) {
	m, sh := rewriteMin, rewriteShare
	rewriteMin, rewriteShare = min, share
	return func() { rewriteMin, rewriteShare = m, sh }
}

// SetSmallKind sets how few items of a kind make a filter read by kind,
// and returns a func that restores the default.
func SetSmallKind(n int) (restore func()) {
	old := smallKindItems
	smallKindItems = n
	return func() { smallKindItems = old }
}
