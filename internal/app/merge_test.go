package app

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/roster-coalition/roster/internal/match"
	"github.com/roster-coalition/roster/internal/review"
	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/store"
)

// TestMergeKeepsDecidedItem: an item about a person follows the person's
// ID through a merge. Sevinc Abbasova is on ipm and mhm under her name
// and on abc under a pen name, which the matcher does not link: two
// persons, the pen name's the older. cdr does not list her: an omission,
// which an analyst confirms. Then an analyst says the pen name is her;
// the next match merges her into the older person, and the rebuilt queue
// keeps the confirmed omission, under the surviving ID, decided.
func TestMergeKeepsDecidedItem(t *testing.T) {
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	now := func() time.Time { return time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC) }
	s.Now = now
	matchImportList(t, s, "abc", "2025-01-01", []string{"Vaqifqızı Sevinc", "Cəfərov Rəşad Tofiq oğlu"}, []int{0, 1979}, false, false)
	matchImportList(t, s, "ipm", "2025-01-01", []string{"Abbasova Sevinc Vaqif qızı", "Cəfərov Rəşad Tofiq oğlu"}, []int{1990, 1979}, false, false)
	matchImportList(t, s, "mhm", "2025-01-01", []string{"Аббасова Севиндж Вагиф кызы", "Джафаров Рашад Тофик оглы"}, []int{1990, 1979}, false, false)
	matchImportList(t, s, "cdr", "2025-01-01", []string{"Rashad JAFAROV"}, []int{1979}, false, false)
	for _, src := range []string{"abc", "ipm", "mhm", "cdr"} {
		if err := s.SetScope(ctx, "tester", store.Scope{Source: src, Comprehensive: true}); err != nil {
			t.Fatal(err)
		}
	}
	svc := New(s, now)
	run := func() {
		t.Helper()
		if _, err := svc.Match(ctx, match.Config{}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.RebuildReview(ctx, review.Options{}); err != nil {
			t.Fatal(err)
		}
	}
	run()
	pen, err := s.PersonOf(ctx, roster.RecordRef{Source: "abc", Edition: "2025-01-01", Ref: "1"})
	if err != nil {
		t.Fatal(err)
	}
	her, err := s.PersonOf(ctx, roster.RecordRef{Source: "ipm", Edition: "2025-01-01", Ref: "1"})
	if err != nil {
		t.Fatal(err)
	}
	if pen == her || pen > her {
		t.Fatalf("want the pen name apart and older: pen name %s, her %s", pen, her)
	}
	omission, err := s.ReviewItemByKey(ctx, "omission:cdr:"+her)
	if err != nil {
		t.Fatalf("no omission of %s against cdr: %v", her, err)
	}
	if _, err := s.DecideItem(ctx, omission.ID, -1, roster.VerdictConfirm, "cdr should list her", "alice"); err != nil {
		t.Fatal(err)
	}
	a := roster.Side{Source: "abc", Edition: "2025-01-01", Ref: "1"}
	b := roster.Side{Source: "ipm", Edition: "2025-01-01", Ref: "1"}
	if _, err := s.DecidePair(ctx, a, b, roster.VerdictSame, "Vaqifqızı is her pen name", "alice"); err != nil {
		t.Fatal(err)
	}
	run()
	after, err := s.PersonOf(ctx, roster.RecordRef{Source: "ipm", Edition: "2025-01-01", Ref: "1"})
	if err != nil || after != pen {
		t.Fatalf("after the merge she is %s (%v), want the older %s", after, err, pen)
	}
	it, err := s.ReviewItem(ctx, omission.ID)
	if err != nil {
		t.Fatal(err)
	}
	if it.Key != "omission:cdr:"+pen || it.State != store.StateDecided || it.PersonID != pen {
		t.Fatalf("the confirmed omission after the merge: key %s, state %s, person %s; want omission:cdr:%s, decided",
			it.Key, it.State, it.PersonID, pen)
	}
	open, err := s.ReviewItems(ctx, store.ReviewFilter{Kind: roster.KindOmission})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range open {
		if strings.HasSuffix(o.Key, ":"+pen) && o.Source == "cdr" {
			t.Errorf("the merge asks again: %s (%s)", o.Key, o.Title)
		}
	}
}

// TestPersonNamesKept: a rebuild parses again only the persons whose
// records' spellings changed.
func TestPersonNamesKept(t *testing.T) {
	in := review.Input{
		Records: []roster.Record{
			{Source: "ipm", Edition: "e", Ref: "1", Name: "Gasymov Orkhan"},
			{Source: "mhm", Edition: "e", Ref: "1", Name: "Qasımov Orxan Elman oğlu", Group: "journalist"},
			{Source: "mhm", Edition: "e", Ref: "2", Name: "Həsənova Leyla"},
		},
		Members: []roster.Membership{{PersonID: "P-1", Source: "ipm", Edition: "e", Ref: "1"},
			{PersonID: "P-1", Source: "mhm", Edition: "e", Ref: "1"}, {PersonID: "P-2", Source: "mhm", Edition: "e", Ref: "2"}},
	}
	names, changed, tally := personNames(in, nil)
	if names["P-1"] != "Qasımov Orxan Elman oğlu" || len(changed) != 2 || tally.Persons != 2 || tally.Groups["journalist"] != 1 ||
		tally.Groups[""] != 2 {
		t.Fatalf("first: %v, %d changed, tally %+v", names, len(changed), tally)
	}
	again, changed2, _ := personNames(in, changed)
	if len(changed2) != 0 || again["P-1"] != names["P-1"] || again["P-2"] != names["P-2"] {
		t.Fatalf("nothing changed, yet %d names computed again (%v)", len(changed2), again)
	}
	in.Records[2].Name = "Həsənova Leyla Rauf qızı"
	_, changed3, _ := personNames(in, changed)
	if len(changed3) != 1 || changed3["P-2"].Name != "Həsənova Leyla Rauf qızı" {
		t.Fatalf("a changed spelling: %+v", changed3)
	}
}
