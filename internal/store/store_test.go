package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/store"
)

// MustOpen opens a store on a fresh file under t.TempDir().
func MustOpen(tb testing.TB) *store.Store {
	tb.Helper()
	s, err := store.Open(context.Background(), filepath.Join(tb.TempDir(), "roster.db"))
	if err != nil {
		tb.Fatal(err)
	}
	s.Now = func() time.Time { return time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC) }
	tb.Cleanup(func() { s.Close() })
	return s
}

func sampleImport(edition string, names ...string) store.ImportRequest {
	f := store.ImportFile{Name: "list.csv", SHA256: "sha-" + edition, Format: "csv", Size: 10}
	for i, n := range names {
		f.Records = append(f.Records, roster.Record{Row: i + 1, Ref: string(rune('1' + i)), Name: n, Raw: n + ";1985"})
	}
	return store.ImportRequest{Source: "ipm", Edition: edition, Files: []store.ImportFile{f}}
}

func TestImportAndRead(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	res, err := s.Import(ctx, sampleImport("2025-06-01", "Məmmədov Əli", "Həsənova Leyla"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res.Records, 2; got != want {
		t.Fatalf("Records=%d, want %d", got, want)
	}
	recs, err := s.Records(ctx, "ipm", "")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := recs[1].Raw, "Həsənova Leyla;1985"; got != want {
		t.Fatalf("Raw=%q, want %q", got, want)
	}
	if got, want := recs[0].Edition, "2025-06-01"; got != want {
		t.Fatalf("Edition=%q, want %q", got, want)
	}
}

func TestImportRefusesDuplicate(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	if _, err := s.Import(ctx, sampleImport("2025-06-01", "A B")); err != nil {
		t.Fatal(err)
	}
	// The same file again, same edition.
	_, err := s.Import(ctx, sampleImport("2025-06-01", "A B"))
	if got, want := roster.ErrorCode(err), roster.ECONFLICT; got != want {
		t.Fatalf("code=%q (%v), want %q", got, err, want)
	}
	// The same edition from another file.
	req := sampleImport("2025-06-01", "C D")
	req.Files[0].SHA256 = "other"
	if _, err := s.Import(ctx, req); roster.ErrorCode(err) != roster.ECONFLICT {
		t.Fatalf("err=%v, want a conflict", err)
	}
	// --replace replaces the edition.
	req.Replace = true
	res, err := s.Import(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if res.Replaced != 1 || res.Records != 1 {
		t.Fatalf("res=%+v", res)
	}
}

func TestImportIsAtomic(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	req := sampleImport("2025-06-01", "A B", "C D")
	req.Files[0].Records[1].Ref = req.Files[0].Records[0].Ref // duplicate reference fails the second insert
	_, err := s.Import(ctx, req)
	var e *roster.Error
	if !errors.As(err, &e) {
		t.Fatalf("err=%v, want a roster error", err)
	}
	lists, err := s.Lists(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(lists) != 0 {
		t.Fatalf("lists=%v after a failed import, want none", lists)
	}
}

func TestReopenKeepsSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "r.db")
	s, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(ctx, sampleImport("2025-06-01", "A B")); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	recs, err := s.Records(ctx, "ipm", "2025-06-01")
	if err != nil || len(recs) != 1 {
		t.Fatalf("recs=%v err=%v", recs, err)
	}
}

// MatchRecords reads the fields of every record that the matcher and the
// queue read, in the order of AllRecords, and leaves the free text out.
func TestMatchRecords(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	req := sampleImport("2025-06-01", "Məmmədov Əli", "Həsənova Leyla")
	r := &req.Files[0].Records[1]
	r.Surname, r.Given, r.Patronymic = "Həsənova", "Leyla", "Əli qızı"
	r.BirthYear, r.BirthDate, r.Gender, r.Group, r.GroupRaw = 1990, "1990-02", "f", "journalist", "Jurnalistlər"
	r.Case, r.ArrestDate, r.Notes, r.Sentence = "Abzas Media işi", "2023-11-21", "a note", "9 years"
	r.Status, r.Place, r.Location, r.Charges = "in prison", "Baku", "row 2", "smuggling"
	r.Aliases = []string{"Leyla Dalğa"}
	if _, err := s.Import(ctx, req); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(ctx, sampleImport("2025-07-01", "Əliyev Rauf")); err != nil {
		t.Fatal(err)
	}
	all, err := s.AllRecords(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.MatchRecords(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(all) || len(got) != 3 {
		t.Fatalf("MatchRecords gave %d records, AllRecords %d", len(got), len(all))
	}
	for i, w := range all {
		w.Location, w.Charges, w.Notes, w.Raw = "", "", "", ""
		if !reflect.DeepEqual(got[i], w) {
			t.Errorf("record %d:\n got  %+v\n want %+v", i, got[i], w)
		}
	}
}
