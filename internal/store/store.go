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
// # Readers and writers
//
// The file is in WAL mode: readers read a snapshot and never wait for a
// writer, and a writer waits for another writer (Store.Wait), saying so
// through Store.Waiting, with the other writer named when the system
// tells (Linux: /proc/locks). OpenReadOnly opens a file for reading only
// (no migration, nothing written), so a file the user cannot write still
// serves every read; Open creates a database, OpenExisting refuses to.
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
	db       *sql.DB // read-write (IMMEDIATE transactions); a read-only store's only pool
	rdb      *sql.DB // read-only, deferred transactions: consistent snapshots that take no lock
	path     string
	readOnly bool
	// Now returns the current time; tests replace it for deterministic output.
	Now func() time.Time
	// Wait is how long a write waits for another process's write to end
	// before it fails (default 10 s).
	Wait time.Duration
	// Waiting, when set, is called once when a write has to wait for
	// another writer, with a description of it ("roster import (PID
	// 4242)", or "another process" when it is not known).
	Waiting func(holder string)
}

// Open opens the database at path for reading and writing, creating it
// (and its directory's WAL files) when it does not exist, and migrating an
// older schema. Only a command that brings data in (roster import) should
// create a database: see OpenExisting and OpenReadOnly.
func Open(ctx context.Context, path string) (*Store, error) {
	return open(ctx, path, modeCreate)
}

// OpenExisting is Open for a database that must exist already: a missing
// file is an ENOTFOUND error "no database at PATH (create one with roster
// import)", and nothing is created.
func OpenExisting(ctx context.Context, path string) (*Store, error) {
	return open(ctx, path, modeWrite)
}

// OpenReadOnly opens an existing database for reading only: nothing is
// created, migrated or written (no pragma that writes), the file may be
// one the user cannot write, and reads come from WAL snapshots, so they
// never wait for a writer. A database of another schema version is an
// error that says how to upgrade it.
func OpenReadOnly(ctx context.Context, path string) (*Store, error) {
	return open(ctx, path, modeRead)
}

type openMode int

const (
	modeRead openMode = iota
	modeWrite
	modeCreate
)

// writeBusy is how long one attempt to begin a write waits inside SQLite
// before the store says it is waiting (and keeps trying, up to Wait).
const writeBusy = 500 * time.Millisecond

func dsn(path string, q url.Values) string {
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

func open(ctx context.Context, path string, mode openMode) (*Store, error) {
	if path == "" {
		return nil, roster.Errorf(roster.EINVALID, "no database file given")
	}
	if err := checkPath(path, mode); err != nil {
		return nil, err
	}
	s := &Store{path: path, readOnly: mode == modeRead, Now: func() time.Time { return time.Now().UTC() }, Wait: 10 * time.Second}
	rq := url.Values{}
	rq.Set("mode", "ro")
	rq.Set("_query_only", "1")
	rq.Set("_foreign_keys", "on")
	rq.Set("_busy_timeout", "5000")
	rq.Set("_txlock", "deferred")
	rq.Set("_cache_size", "-65536")
	rdb, err := sql.Open("sqlite3", dsn(path, rq))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	s.rdb = rdb
	if mode == modeRead {
		s.db = rdb
		err := s.checkVersion(ctx)
		if err != nil && needsShm(err) && !exists(path+"-wal") {
			// Reading a WAL database needs its -shm file, which SQLite
			// cannot create in a directory this user may not write. With
			// no -wal file the database file holds everything committed,
			// so it can be read as an immutable file, without locks.
			rdb.Close()
			rq.Set("immutable", "1")
			if rdb, err = sql.Open("sqlite3", dsn(path, rq)); err != nil {
				return nil, fmt.Errorf("open %s: %w", path, err)
			}
			s.db, s.rdb = rdb, rdb
			err = s.checkVersion(ctx)
		}
		if err != nil {
			rdb.Close()
			return nil, explain(path, err)
		}
		return s, nil
	}
	q := url.Values{}
	q.Set("_foreign_keys", "on")
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", fmt.Sprint(writeBusy.Milliseconds()))
	q.Set("_txlock", "immediate")
	q.Set("_synchronous", "NORMAL")
	// 64 MB of page cache per connection (the default is 2 MB): a match
	// run rewrites a million memberships and their indexes in one
	// transaction, and a small cache re-reads index pages over and over.
	q.Set("_cache_size", "-65536")
	if mode == modeWrite {
		q.Set("mode", "rw") // never create
	}
	db, err := sql.Open("sqlite3", dsn(path, q))
	if err != nil {
		rdb.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	s.db = db
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, explain(path, fmt.Errorf("open %s: %w", path, err))
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error {
	// The read-only pool first: the last connection to close checkpoints
	// the WAL into the file and removes it, which only a writer can.
	var err error
	if s.rdb != s.db {
		err = s.rdb.Close()
	}
	if e := s.db.Close(); err == nil {
		err = e
	}
	return err
}

// Path is the database file's path.
func (s *Store) Path() string { return s.path }

// ReadOnly reports whether the store was opened with OpenReadOnly.
func (s *Store) ReadOnly() bool { return s.readOnly }

func (s *Store) now() string { return s.Now().UTC().Format(time.RFC3339) }

// withTx runs fn in one write transaction, committing when fn returns nil.
// When another process is writing, it waits (telling Waiting once) up to
// Wait, then fails naming the writer.
func (s *Store) withTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if s.readOnly {
		return roster.Errorf(roster.EINTERNAL, "database %s was opened read-only", s.path)
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return explain(s.path, err)
	}
	return explain(s.path, tx.Commit())
}

// begin begins an IMMEDIATE transaction: it holds the write lock from the
// start, so a transaction that reads, decides and writes cannot be
// overtaken by another writer in between.
func (s *Store) begin(ctx context.Context) (*sql.Tx, error) {
	wait := s.Wait
	if wait <= 0 {
		wait = 10 * time.Second
	}
	deadline := time.Now().Add(wait)
	told := false
	for {
		tx, err := s.db.BeginTx(ctx, nil)
		if err == nil || !isBusy(err) {
			return tx, explain(s.path, err)
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if time.Now().After(deadline) {
			return nil, roster.Errorf(roster.ECONFLICT, "database %s is locked: %s is writing to it (waited %v; --wait sets how long to wait)",
				s.path, lockHolder(s.path), wait.Round(time.Second))
		}
		if !told && s.Waiting != nil {
			s.Waiting(lockHolder(s.path))
			told = true
		}
	}
}

// readTx begins a read transaction on a snapshot of the database: it takes
// no lock, sees only what was committed when it first reads, and never
// waits for a writer.
func (s *Store) readTx(ctx context.Context) (*sql.Tx, error) {
	tx, err := s.rdb.BeginTx(ctx, nil)
	return tx, explain(s.path, err)
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
