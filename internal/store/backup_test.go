package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/store"
)

// dumpTables reads every row of every table, in rowid order, as text.
func dumpTables(t *testing.T, path string) map[string][]string {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tables, err := store.TableNames(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, tb := range tables {
		rows, err := db.Query(`SELECT * FROM "` + tb + `" ORDER BY rowid`)
		if err != nil && strings.Contains(err.Error(), "no such column: rowid") {
			// A WITHOUT ROWID table: its rows in key order.
			rows, err = db.Query(`SELECT * FROM "` + tb + `" ORDER BY 1, 2, 3`)
		}
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		out[tb] = []string{}
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for _, v := range vals {
				if x, ok := v.([]byte); ok {
					v = string(x)
				}
				fmt.Fprintf(&b, "%v|", v)
			}
			out[tb] = append(out[tb], b.String())
		}
		rows.Close()
	}
	return out
}

func manyRecords(n int) store.ImportRequest {
	f := store.ImportFile{Name: "list.csv", SHA256: "sha-many", Format: "csv", Size: 10}
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("Adsız%03d Şəxs", i)
		f.Records = append(f.Records, roster.Record{Row: i + 1, Ref: fmt.Sprint(i + 1), Name: name, Raw: name})
	}
	return store.ImportRequest{Source: "ipm", Edition: "2025-06-01", Files: []store.ImportFile{f}}
}

// TestBackupDuringConcurrentDecisions takes a backup (through a second
// handle on the file, as roster backup does beside roster serve) while 8
// writers record 1,000 decisions, restores it, and compares every table:
// the restored database equals the backup, holds a whole prefix of the
// decisions (each with its audit line), and every other table equals the
// live database's.
func TestBackupDuringConcurrentDecisions(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	live := filepath.Join(dir, "roster.db")
	s, err := store.Open(ctx, live)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Import(ctx, manyRecords(60)); err != nil {
		t.Fatal(err)
	}
	type pair struct{ a, b int }
	var pairs []pair
	for i := 1; i <= 60 && len(pairs) < 1000; i++ {
		for j := i + 1; j <= 60 && len(pairs) < 1000; j++ {
			pairs = append(pairs, pair{i, j})
		}
	}
	side := func(i int) roster.Side {
		return roster.Side{Source: "ipm", Edition: "2025-06-01", Ref: fmt.Sprint(i), Fingerprint: fmt.Sprintf("fp%d", i)}
	}

	const writers = 8
	var done atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, writers+1)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for k := w; k < len(pairs); k += writers {
				p := pairs[k]
				verdict := []string{roster.VerdictSame, roster.VerdictDifferent, roster.VerdictUnsure}[k%3]
				if _, err := s.DecidePair(ctx, side(p.a), side(p.b), verdict, fmt.Sprintf("reason %d", k), fmt.Sprintf("analyst%d", w)); err != nil {
					errs <- err
					return
				}
				done.Add(1)
			}
		}(w)
	}
	backup := filepath.Join(dir, "backup.db")
	var atBackup, afterBackup int64
	var info store.BackupInfo
	wg.Add(1)
	go func() {
		defer wg.Done()
		for done.Load() < 300 {
			time.Sleep(time.Millisecond)
		}
		b, err := store.Open(ctx, live) // another handle, as another process would have
		if err != nil {
			errs <- err
			return
		}
		defer b.Close()
		atBackup = done.Load()
		info, err = b.Backup(ctx, backup)
		afterBackup = done.Load()
		if err != nil {
			errs <- err
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if n := done.Load(); n != 1000 {
		t.Fatalf("%d decisions recorded, want 1000", n)
	}
	k := info.Tables["decisions"]
	t.Logf("backup of %d bytes taken after %d–%d decisions; it holds %d", info.Bytes, atBackup, afterBackup, k)
	if k == 0 || k == 1000 || int64(k) < atBackup || int64(k) > afterBackup {
		t.Fatalf("the backup holds %d decisions; want a number taken while the writers ran (%d–%d)", k, atBackup, afterBackup)
	}
	if _, err := os.Stat(backup + "-wal"); err == nil {
		t.Error("the backup left a -wal file: it must be one self-contained file")
	}

	// Restore into a new file, and over the live database (kept first).
	restored := filepath.Join(dir, "restored.db")
	if kept, _, err := store.Restore(ctx, backup, restored, restored+".old"); err != nil || kept != "" {
		t.Fatalf("restore into a new file: kept %q, %v", kept, err)
	}
	s.Close()
	keep := filepath.Join(dir, "roster.db.before-restore")
	kept, _, err := store.Restore(ctx, backup, live, keep)
	if err != nil || kept != keep {
		t.Fatalf("restore over the live database: kept %q, %v", kept, err)
	}

	want := dumpTables(t, backup)
	final := dumpTables(t, keep) // the live database as it was: 1,000 decisions
	for _, path := range []string{restored, live} {
		got := dumpTables(t, path)
		if !reflect.DeepEqual(keys(got), keys(final)) {
			t.Fatalf("%s has tables %v; want %v", path, keys(got), keys(final))
		}
		for tb, rows := range got {
			if !reflect.DeepEqual(rows, want[tb]) {
				t.Errorf("%s: table %s differs from the backup (%d rows, backup %d)", filepath.Base(path), tb, len(rows), len(want[tb]))
			}
			switch tb {
			case "decisions", "audit":
				// A whole prefix of the decisions, each with its audit line.
				if len(rows) != k || !reflect.DeepEqual(rows, final[tb][:len(rows)]) {
					t.Errorf("%s: table %s is not the first %d rows of the live table", filepath.Base(path), tb, k)
				}
			default:
				if !reflect.DeepEqual(rows, final[tb]) {
					t.Errorf("%s: table %s differs from the live database", filepath.Base(path), tb)
				}
			}
		}
	}
	if len(final["decisions"]) != 1000 || len(final["audit"]) != 1000 {
		t.Errorf("the kept database has %d decisions and %d audit lines; want 1000 each", len(final["decisions"]), len(final["audit"]))
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestRestoreRefusesABadBackup: a backup with damaged pages, a file that
// is not a database, or a newer schema replaces nothing.
func TestRestoreRefusesABadBackup(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	live := filepath.Join(dir, "roster.db")
	s, err := store.Open(ctx, live)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(ctx, manyRecords(400)); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "good.db")
	if _, err := s.Backup(ctx, good); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Backup(ctx, good); roster.ErrorCode(err) != roster.ECONFLICT {
		t.Errorf("a second backup over the first: %v; want a refusal", err)
	}
	s.Close()
	before := dumpTables(t, live)
	b, _ := os.ReadFile(good)

	damaged := filepath.Join(dir, "damaged.db")
	d := append([]byte(nil), b...)
	for i := len(d) / 2; i < len(d)/2+4096 && i < len(d); i++ { // one page of zeros in the records
		d[i] = 0
	}
	os.WriteFile(damaged, d, 0o600)
	notDB := filepath.Join(dir, "notes.txt")
	os.WriteFile(notDB, []byte(strings.Repeat("not a database\n", 400)), 0o600)
	for _, bad := range []string{damaged, notDB} {
		_, _, err := store.Restore(ctx, bad, live, live+".kept")
		if err == nil {
			t.Errorf("restore of %s: no error", filepath.Base(bad))
		}
		t.Logf("%s: %v", filepath.Base(bad), err)
		if _, err := os.Stat(live + ".kept"); err == nil {
			t.Errorf("restore of %s kept (moved) the database although it refused", filepath.Base(bad))
		}
		if after := dumpTables(t, live); !reflect.DeepEqual(after, before) {
			t.Errorf("restore of %s changed the database", filepath.Base(bad))
		}
	}
	if _, _, err := store.Restore(ctx, good, live, live+".kept"); err != nil {
		t.Fatalf("restore of the good backup: %v", err)
	}
}
