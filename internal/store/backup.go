package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"

	schema "github.com/roster-coalition/roster"
	"github.com/roster-coalition/roster/internal/roster"
)

// BackupInfo describes a backup file.
type BackupInfo struct {
	Bytes         int64
	Pages         int
	SchemaVersion int
	Tables        map[string]int // rows per table
}

// Backup writes a consistent copy of the database to dest, a file that
// must not exist yet, with SQLite's online backup API: the copy is one
// snapshot, taken in a read transaction, so it can run while roster serve
// and others write (in WAL mode writers are not blocked). The copy is
// written beside dest, checked (PRAGMA integrity_check), made a single
// self-contained file (rollback journal, no -wal) and renamed into place.
func (s *Store) Backup(ctx context.Context, dest string) (BackupInfo, error) {
	if _, err := os.Stat(dest); err == nil {
		return BackupInfo{}, roster.Errorf(roster.ECONFLICT, "%s exists: a backup never overwrites a file", dest)
	}
	tmp, err := os.CreateTemp(filepath.Dir(dest), "."+filepath.Base(dest)+".*")
	if err != nil {
		return BackupInfo{}, fmt.Errorf("backup: %w", err)
	}
	tmpName := tmp.Name()
	tmp.Close()
	defer removeDB(tmpName)
	if err := os.Chmod(tmpName, 0o600); err != nil {
		return BackupInfo{}, fmt.Errorf("backup: %w", err)
	}
	if err := copyDatabase(ctx, s.db, tmpName); err != nil {
		return BackupInfo{}, fmt.Errorf("backup: %w", err)
	}
	info, err := CheckBackup(ctx, tmpName)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("backup: the copy fails its check: %w", err)
	}
	if err := syncFile(tmpName); err != nil {
		return BackupInfo{}, fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(tmpName, dest); err != nil {
		return BackupInfo{}, fmt.Errorf("backup: %w", err)
	}
	return info, nil
}

// copyDatabase copies the database src into the file dest (new or
// empty) through the backup API, and leaves dest in rollback-journal mode.
func copyDatabase(ctx context.Context, src *sql.DB, dest string) error {
	ddb, err := sql.Open("sqlite3", "file:"+(&url.URL{Path: dest}).EscapedPath()+"?_busy_timeout=10000")
	if err != nil {
		return err
	}
	defer ddb.Close()
	dconn, err := ddb.Conn(ctx)
	if err != nil {
		return err
	}
	defer dconn.Close()
	if err := backupInto(ctx, dconn, src); err != nil {
		return err
	}
	if _, err := dconn.ExecContext(ctx, "PRAGMA journal_mode=DELETE"); err != nil {
		return fmt.Errorf("single-file copy: %w", err)
	}
	return nil
}

// backupInto copies every page of src's main database into the
// connection dest in one step, retrying while a lock is held.
func backupInto(ctx context.Context, dest *sql.Conn, src *sql.DB) error {
	sconn, err := src.Conn(ctx)
	if err != nil {
		return err
	}
	defer sconn.Close()
	return dest.Raw(func(dc any) error {
		return sconn.Raw(func(sc any) error {
			d, ok1 := dc.(*sqlite3.SQLiteConn)
			s, ok2 := sc.(*sqlite3.SQLiteConn)
			if !ok1 || !ok2 {
				return errors.New("not a SQLite connection")
			}
			bk, err := d.Backup("main", s, "main")
			if err != nil {
				return err
			}
			for {
				done, err := bk.Step(-1)
				if err != nil {
					bk.Finish()
					return err
				}
				if done {
					return bk.Finish()
				}
				select { // busy or locked: another connection holds a lock
				case <-ctx.Done():
					bk.Finish()
					return ctx.Err()
				case <-time.After(20 * time.Millisecond):
				}
			}
		})
	})
}

// openReadOnly opens a database file for reading only, without touching
// it (no lock, no -wal or -shm beside it).
func openReadOnly(path string) (*sql.DB, error) {
	return sql.Open("sqlite3", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro&immutable=1")
}

// CheckBackup checks a backup file without changing it (see checkDB).
func CheckBackup(ctx context.Context, path string) (BackupInfo, error) {
	st, err := os.Stat(path)
	if err != nil {
		return BackupInfo{}, err
	}
	db, err := openReadOnly(path)
	if err != nil {
		return BackupInfo{}, err
	}
	defer db.Close()
	info, err := checkDB(ctx, db, path)
	info.Bytes = st.Size()
	return info, err
}

// checkDB checks a copy of a database: SQLite's integrity check and
// foreign-key check pass, it is a Roster database, and its schema is not
// newer than this roster's. name says which copy in errors.
func checkDB(ctx context.Context, db *sql.DB, name string) (BackupInfo, error) {
	info := BackupInfo{Tables: map[string]int{}}
	var res string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res); err != nil {
		return info, roster.Errorf(roster.EINVALID, "%s is not a readable SQLite database: %v", name, err)
	}
	if res != "ok" {
		return info, roster.Errorf(roster.EINVALID, "%s fails SQLite's integrity check: %s", name, res)
	}
	rows, err := db.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return info, err
	}
	bad := rows.Next()
	rows.Close()
	if bad {
		return info, roster.Errorf(roster.EINVALID, "%s fails the foreign-key check", name)
	}
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&info.SchemaVersion); err != nil {
		return info, err
	}
	if err := db.QueryRowContext(ctx, "PRAGMA page_count").Scan(&info.Pages); err != nil {
		return info, err
	}
	switch {
	case info.SchemaVersion == 0:
		return info, roster.Errorf(roster.EINVALID, "%s is not a roster database (no schema version)", name)
	case info.SchemaVersion > schema.Version:
		return info, roster.Errorf(roster.EINVALID, "%s has schema version %d, newer than this roster's (%d): upgrade roster", name,
			info.SchemaVersion, schema.Version)
	}
	tables, err := TableNames(ctx, db)
	if err != nil {
		return info, err
	}
	for _, t := range tables {
		var n int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM "`+t+`"`).Scan(&n); err != nil {
			return info, err
		}
		info.Tables[t] = n
	}
	for _, need := range []string{"sources", "lists", "records", "persons", "decisions", "audit"} {
		if _, ok := info.Tables[need]; !ok {
			return info, roster.Errorf(roster.EINVALID, "%s is not a roster database (no %s table)", name, need)
		}
	}
	return info, nil
}

// Snapshot is Backup into memory: a consistent copy of the database,
// checked, as the bytes of a single SQLite file (rollback-journal mode).
// An encrypted backup is made from it, so that no unencrypted copy is
// ever written to disk.
func (s *Store) Snapshot(ctx context.Context) ([]byte, BackupInfo, error) {
	mem, err := memoryDB()
	if err != nil {
		return nil, BackupInfo{}, err
	}
	defer mem.Close()
	conn, err := mem.Conn(ctx)
	if err != nil {
		return nil, BackupInfo{}, err
	}
	if err := backupInto(ctx, conn, s.db); err != nil {
		conn.Close()
		return nil, BackupInfo{}, fmt.Errorf("snapshot: %w", err)
	}
	var image []byte
	err = conn.Raw(func(dc any) error {
		c, ok := dc.(*sqlite3.SQLiteConn)
		if !ok {
			return errors.New("not a SQLite connection")
		}
		var err error
		image, err = c.Serialize("main")
		return err
	})
	conn.Close()
	if err != nil {
		return nil, BackupInfo{}, fmt.Errorf("snapshot: %w", err)
	}
	info, err := checkDB(ctx, mem, "the snapshot")
	if err != nil {
		return nil, info, err
	}
	// The file format read and write versions (header bytes 18 and 19):
	// 1 is the rollback journal, so the image opens as one file, without
	// a -wal beside it.
	if len(image) >= 20 {
		image[18], image[19] = 1, 1
	}
	info.Bytes = int64(len(image))
	return image, info, nil
}

// memoryDB is a private in-memory database on one connection.
func memoryDB() (*sql.DB, error) {
	db, err := sql.Open("sqlite3", ":memory:")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	return db, nil
}

// openImage opens the bytes of a database file in memory.
func openImage(ctx context.Context, image []byte) (*sql.DB, error) {
	db, err := memoryDB()
	if err != nil {
		return nil, err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		c, ok := dc.(*sqlite3.SQLiteConn)
		if !ok {
			return errors.New("not a SQLite connection")
		}
		return c.Deserialize(image, "main")
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// TableNames lists a database's tables, sorted.
func TableNames(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// Restore replaces the database at dbPath with the backup at src. It
// checks the backup first (CheckBackup) and replaces nothing when the
// check fails. The database there is kept at keep first (a consistent
// copy through the backup API; a file that no longer opens is moved
// there instead). The backup is then copied into the database with the
// backup API, in one transaction, so a server that has it open sees the
// restored data; the result is opened (migrated when the backup is
// older) and checked again. It returns where the old database is kept
// ("" when there was none).
func Restore(ctx context.Context, src, dbPath, keep string) (kept string, info BackupInfo, err error) {
	if _, err := os.Stat(src); err != nil {
		return "", info, err
	}
	srcDB, err := openReadOnly(src)
	if err != nil {
		return "", info, err
	}
	defer srcDB.Close()
	return restore(ctx, srcDB, src, dbPath, keep)
}

// RestoreImage is Restore from the bytes of a backup (a decrypted
// backup, held in memory only); name says what it is in errors.
func RestoreImage(ctx context.Context, image []byte, name, dbPath, keep string) (kept string, info BackupInfo, err error) {
	srcDB, err := openImage(ctx, image)
	if err != nil {
		return "", info, roster.Errorf(roster.EINVALID, "%s is not a SQLite database: %v", name, err)
	}
	defer srcDB.Close()
	return restore(ctx, srcDB, name, dbPath, keep)
}

func restore(ctx context.Context, srcDB *sql.DB, name, dbPath, keep string) (kept string, info BackupInfo, err error) {
	if info, err = checkDB(ctx, srcDB, name); err != nil {
		return "", info, err
	}
	if exists(keep) {
		return "", info, roster.Errorf(roster.ECONFLICT, "%s exists: the old database would overwrite it", keep)
	}
	if err := restoreInto(ctx, srcDB, dbPath, keep); err != nil {
		return "", info, err
	}
	if exists(keep) {
		kept = keep
	}
	s, err := Open(ctx, dbPath)
	if err != nil {
		return kept, info, fmt.Errorf("restore: the restored database does not open: %w", err)
	}
	defer s.Close()
	var res string
	if err := s.db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res); err != nil || res != "ok" {
		return kept, info, fmt.Errorf("restore: the restored database fails its integrity check: %s %v", res, err)
	}
	return kept, info, nil
}

// restoreInto copies srcDB into the database at dbPath, keeping the old
// one at keep.
func restoreInto(ctx context.Context, srcDB *sql.DB, dbPath, keep string) error {
	if !exists(dbPath) {
		return copyDatabase(ctx, srcDB, dbPath)
	}
	live, err := Open(ctx, dbPath)
	if err != nil {
		// The database does not open (that may be why it is restored):
		// move it, with its -wal and -shm, to keep.
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if exists(dbPath + suffix) {
				if err := os.Rename(dbPath+suffix, keep+suffix); err != nil {
					return fmt.Errorf("keep the old database: %w", err)
				}
			}
		}
		return copyDatabase(ctx, srcDB, dbPath)
	}
	defer live.Close()
	if _, err := live.Backup(ctx, keep); err != nil {
		return fmt.Errorf("keep the old database: %w", err)
	}
	conn, err := live.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := backupInto(ctx, conn, srcDB); err != nil {
		return fmt.Errorf("restore: %w (the old database is kept at %s)", err, keep)
	}
	return nil
}

// removeDB removes a database file and its -wal, -shm and -journal.
func removeDB(path string) {
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		os.Remove(path + suffix)
	}
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// KeepName is where Restore keeps the database it replaces:
// "roster.db.before-restore-20260115T100000Z".
func KeepName(dbPath string, now time.Time) string {
	return dbPath + ".before-restore-" + strings.ReplaceAll(now.UTC().Format("20060102T150405Z"), ":", "")
}
