// Package store is the only package that speaks SQL. It keeps Roster's
// sources, lists, records, persons, decisions, review items and users in
// one SQLite file (github.com/mattn/go-sqlite3).
//
// # Transactions
//
// Every public method that writes runs in one transaction (begun
// IMMEDIATE through the DSN's _txlock), so an import or a match run lands
// whole or not at all: a killed process leaves the database as it was.
// Methods take ctx first; unexported helpers take the *sql.Tx.
//
// # Schema
//
// A new file gets schema.sql (embedded by the root package) and
// PRAGMA user_version = schema.Version. Older files are migrated by the
// ordered steps in migrate.go.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"time"

	_ "github.com/mattn/go-sqlite3" // the SQLite driver

	"github.com/roster-coalition/roster/internal/roster"
)

// Store is an open Roster database.
type Store struct {
	db   *sql.DB
	path string
	// Now returns the current time; tests replace it for deterministic output.
	Now func() time.Time
}

// Open opens (creating and migrating when needed) the database at path.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, roster.Errorf(roster.EINVALID, "no database file given")
	}
	q := url.Values{}
	q.Set("_foreign_keys", "on")
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", "10000")
	q.Set("_txlock", "immediate")
	q.Set("_synchronous", "NORMAL")
	// 64 MB of page cache per connection (the default is 2 MB): a match
	// run rewrites a million memberships and their indexes in one
	// transaction, and a small cache re-reads index pages over and over.
	q.Set("_cache_size", "-65536")
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	s := &Store{db: db, path: path, Now: func() time.Time { return time.Now().UTC() }}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Path is the database file's path.
func (s *Store) Path() string { return s.path }

func (s *Store) now() string { return s.Now().UTC().Format(time.RFC3339) }

// withTx runs fn in one transaction, committing when fn returns nil.
func (s *Store) withTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// querier reads from the database or within a transaction (*sql.DB and
// *sql.Tx both are one).
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// notFound turns sql.ErrNoRows into an ENOTFOUND error.
func notFound(err error, format string, args ...any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return roster.Errorf(roster.ENOTFOUND, format, args...)
	}
	return err
}

// interner keeps one copy of the strings that repeat across records
// (sources, editions, groups, labels, statuses…), up to a bound.
type interner map[string]string

func (in interner) get(s string) string {
	if s == "" {
		return ""
	}
	if t, ok := in[s]; ok {
		return t
	}
	if len(in) < 1<<17 {
		in[s] = s
	}
	return s
}
