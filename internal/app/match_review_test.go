package app

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/roster-coalition/roster/internal/importer"
	"github.com/roster-coalition/roster/internal/match"
	"github.com/roster-coalition/roster/internal/review"
	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/store"
	"github.com/roster-coalition/roster/internal/synth"
)

// TestMatchAndReviewReadsNothingBack: roster match builds the queue from
// what the match holds instead of reading the records, clustering and
// pairs back from the store. The two must be the same input and give
// the same items: on generated lists (review-band pairs, within-list
// duplicates, omissions), on a first match and on a second one after a
// decision and a declared scope.
func TestMatchAndReviewReadsNothingBack(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	man, err := synth.Generate(synth.DefaultOptions(300, 5), func(name string) (io.WriteCloser, error) {
		return os.Create(filepath.Join(dir, name))
	})
	if err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, l := range man.Lists {
		data, err := os.ReadFile(filepath.Join(dir, l.File))
		if err != nil {
			t.Fatal(err)
		}
		res, err := importer.Read(l.File, data, importer.Options{})
		if err != nil {
			t.Fatal(err)
		}
		edition := l.Edition + "-01"
		for i := range res.Records {
			res.Records[i].Source, res.Records[i].Edition = l.Slug, edition
		}
		if _, err := s.Import(ctx, store.ImportRequest{Source: l.Slug, Edition: edition, Files: []store.ImportFile{{Name: res.File,
			SHA256: res.SHA256, Format: res.Format, Size: len(data), Records: res.Records}}}); err != nil {
			t.Fatal(err)
		}
	}
	svc := New(s, func() time.Time { return time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC) })

	for round := 1; round <= 2; round++ {
		_, m, err := svc.match(ctx, match.Config{}, true)
		if err != nil {
			t.Fatal(err)
		}
		kept, ok, err := svc.reviewInputAfter(ctx, m)
		if err != nil || !ok {
			t.Fatalf("round %d: no input kept from the match (%v)", round, err)
		}
		read, err := s.ReadReviewInput(ctx, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(read.Pairs) == 0 || len(read.Members) != len(read.Records) {
			t.Fatalf("round %d: %d pairs for review, %d members of %d records: the lists do not test much", round,
				len(read.Pairs), len(read.Members), len(read.Records))
		}
		// What the store's read leaves out and the builders do not read.
		recs := make([]roster.Record, len(kept.Records))
		for i, r := range kept.Records {
			r.ID, r.Aliases = 0, nil
			recs[i] = r
		}
		for name, same := range map[string]bool{
			"run":       kept.RunID == read.RunID,
			"records":   reflect.DeepEqual(recs, read.Records),
			"members":   reflect.DeepEqual(kept.Members, read.Members),
			"pairs":     reflect.DeepEqual(kept.Pairs, read.Pairs),
			"decisions": reflect.DeepEqual(kept.Decisions, read.Decisions),
			"scopes":    reflect.DeepEqual(kept.Scopes, read.Scopes),
		} {
			if !same {
				t.Errorf("round %d: the %s kept from the match differ from the store's", round, name)
			}
		}
		fromMatch, fromStore := review.Build(reviewInput(kept, review.Options{})), review.Build(reviewInput(read, review.Options{}))
		if len(fromStore) == 0 || !reflect.DeepEqual(fromMatch, fromStore) {
			t.Errorf("round %d: %d items from what the match kept, %d from the store; not the same", round, len(fromMatch), len(fromStore))
		}
		t.Logf("round %d: %d records, %d pairs for review, %d decisions, %d scopes, %d items", round, len(read.Records),
			len(read.Pairs), len(read.Decisions), len(read.Scopes), len(fromStore))
		if round == 1 {
			p := read.Pairs[0]
			if _, err := s.DecidePair(ctx, p.A, p.B, roster.VerdictSame, "test", "alice"); err != nil {
				t.Fatal(err)
			}
			if err := s.SetScope(ctx, "", store.Scope{Source: man.Lists[0].Slug, Groups: []string{"journalist"}}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestMatchAndReviewAfterAnImport: when an import lands between the
// match and the queue's rebuild, the rebuild reads the store.
func TestMatchAndReviewAfterAnImport(t *testing.T) {
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var az, en []string
	var born []int
	for _, p := range matchPeople {
		az, en, born = append(az, p.az), append(en, p.en), append(born, p.born)
	}
	matchImportList(t, s, "a", "2025-01-01", az, born, false, false)
	svc := New(s, nil)
	_, m, err := svc.match(ctx, match.Config{}, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, err := svc.reviewInputAfter(ctx, m); err != nil || !ok {
		t.Fatalf("nothing changed, yet the kept input is refused (%v)", err)
	}
	matchImportList(t, s, "b", "2025-01-01", en, born, false, false)
	if _, ok, err := svc.reviewInputAfter(ctx, m); err != nil || ok {
		t.Errorf("an import landed, yet the kept input is used (%v)", err)
	}
}
