package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/mattn/go-sqlite3"

	schema "github.com/roster-coalition/roster"
	"github.com/roster-coalition/roster/internal/roster"
)

// checkPath says, before SQLite tries, why a database cannot be opened
// the way mode needs: a missing file (which only modeCreate creates), a
// directory that does not exist or that the user may not write, a file
// the user may not read, or (for writing) may not write. SQLite's own
// messages ("unable to open database file", "attempt to write a readonly
// database") do not say which.
func checkPath(path string, mode openMode) error {
	fi, err := os.Stat(path)
	dir := filepath.Dir(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if mode != modeCreate {
			return roster.Errorf(roster.ENOTFOUND, "no database at %s (create one with roster import)", path)
		}
		d, err := os.Stat(dir)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return fmt.Errorf("cannot create database %s: directory %s does not exist", path, dir)
		case err != nil:
			return fmt.Errorf("cannot create database %s: %w", path, err)
		case !d.IsDir():
			return fmt.Errorf("cannot create database %s: %s is not a directory", path, dir)
		}
		if err := access(dir, accessWrite); err != nil {
			return fmt.Errorf("cannot create database %s: no permission to create files in directory %s (%v)", path, dir, err)
		}
		return nil
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("cannot open database %s: no permission to look into directory %s", path, dir)
	case err != nil:
		return fmt.Errorf("cannot open database %s: %w", path, err)
	case fi.IsDir():
		return fmt.Errorf("cannot open database %s: it is a directory, not a database file", path)
	}
	if err := access(path, accessRead); err != nil {
		return fmt.Errorf("cannot read database %s: the file is not readable for this user (%v)", path, err)
	}
	if mode == modeRead {
		return nil
	}
	if err := access(path, accessWrite); err != nil {
		return fmt.Errorf("cannot write database %s: the file is read-only for this user (%v); commands that only read it (sources, lists, records, persons, export, review list …) still work", path, err)
	}
	if _, err := os.Stat(path + "-wal"); errors.Is(err, fs.ErrNotExist) {
		if err := access(dir, accessWrite); err != nil {
			return fmt.Errorf("cannot write database %s: SQLite keeps its write-ahead log (%s-wal) beside the database, and directory %s is not writable for this user (%v)", path, filepath.Base(path), dir, err)
		}
	}
	return nil
}

// explain adds the cause to an SQLite error whose own message does not
// give it: permissions, a file that is not a database, a lock.
func explain(path string, err error) error {
	var se sqlite3.Error
	if err == nil || !errors.As(err, &se) {
		return err
	}
	switch se.Code {
	case sqlite3.ErrReadonly:
		cause := "the database is read-only"
		switch {
		case se.ExtendedCode == sqlite3.ErrReadonlyRecovery:
			cause = "it needs recovery after an interrupted write, which needs write access (run a roster command as a user who may write it)"
		case access(path, accessWrite) != nil:
			cause = "the file is read-only for this user"
		case access(filepath.Dir(path), accessWrite) != nil:
			cause = "its directory is read-only for this user"
		}
		return fmt.Errorf("cannot write database %s: %s: %w", path, cause, err)
	case sqlite3.ErrCantOpen, sqlite3.ErrPerm:
		if cerr := checkPath(path, modeWrite); cerr != nil {
			return fmt.Errorf("%w (%v)", cerr, err)
		}
		return fmt.Errorf("cannot open database %s: %w", path, err)
	case sqlite3.ErrNotADB:
		return fmt.Errorf("%s is not a database file (not SQLite, or damaged): %w", path, err)
	case sqlite3.ErrBusy:
		return roster.Errorf(roster.ECONFLICT, "database %s is locked: %s is writing to it (%v)", path, lockHolder(path), err)
	}
	return err
}

// needsShm reports whether err is SQLite failing to open or create the
// -shm file a WAL database is read through.
func needsShm(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.Code == sqlite3.ErrReadonly || se.Code == sqlite3.ErrCantOpen)
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// isBusy reports whether err is SQLite's "database is locked".
func isBusy(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.Code == sqlite3.ErrBusy
}

// checkVersion is what a read-only open checks instead of migrating: the
// file is a Roster database of this schema version.
func (s *Store) checkVersion(ctx context.Context) error {
	var v int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return fmt.Errorf("open %s: %w", s.path, err)
	}
	switch {
	case v == schema.Version:
		return nil
	case v > schema.Version:
		return fmt.Errorf("open %s: database schema version %d is newer than this roster (%d): upgrade roster", s.path, v, schema.Version)
	case v == 0:
		var n int
		if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&n); err != nil {
			return fmt.Errorf("open %s: %w", s.path, err)
		}
		if n == 0 {
			return fmt.Errorf("open %s: not a roster database (it is empty; create one with roster import)", s.path)
		}
		return fmt.Errorf("open %s: not a roster database (it has tables but no schema version)", s.path)
	}
	return fmt.Errorf("open %s: database schema version %d is older than this roster's (%d): run a command that writes (e.g. roster review build) once to upgrade it",
		s.path, v, schema.Version)
}

// describeCommand turns a process's command line into what the waiting
// message names: "roster import (PID 4242)" for a roster command, the
// program's name otherwise.
func describeCommand(pid int, args []string) string {
	if len(args) == 0 {
		return fmt.Sprintf("process %d", pid)
	}
	prog := filepath.Base(args[0])
	if !strings.HasPrefix(prog, "roster") {
		return fmt.Sprintf("%s (PID %d)", prog, pid)
	}
	var words []string
	for i := 1; i < len(args) && len(words) < 2; i++ {
		a := args[i]
		switch {
		case a == "--db" || a == "--wait":
			i++
		case strings.HasPrefix(a, "-"):
		default:
			words = append(words, a)
			if a != "review" && a != "user" {
				i = len(args)
			}
		}
	}
	return fmt.Sprintf("roster %s (PID %d)", strings.Join(words, " "), pid)
}
