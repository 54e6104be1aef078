package store

import "database/sql"

// DB exposes the handle to the tests of package store_test (e.g. to check
// that the audit log refuses changes).
func (s *Store) DB() *sql.DB { return s.db }
