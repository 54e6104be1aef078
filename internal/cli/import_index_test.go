package cli

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/roster-coalition/roster/internal/app"
	"github.com/roster-coalition/roster/internal/store"
)

// An imported list can be searched by name at once, before any match:
// roster import indexes the names it brings in.
func TestImportIndexesNamesForSearch(t *testing.T) {
	db := filepath.Join(t.TempDir(), "r.db")
	mustRoster(t, db, "import", filepath.Join("..", "..", "fixtures", "lists", "ipm-2025-02.csv"), "--source", "ipm")

	ctx := context.Background()
	s, err := store.OpenReadOnly(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	unindexed, err := s.UnindexedNames(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(unindexed) != 0 {
		t.Errorf("%d records left out of the name index after import, want 0", len(unindexed))
	}
	// Written in Russian, it finds the Azerbaijani Latin "Bağırov Səbuhi".
	q, _ := app.SearchQuery("Багиров Сабухи")
	hits, _, err := s.SearchNames(ctx, q, 10)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, h := range hits {
		if h.Record.Name == "Bağırov Səbuhi Fikrət oğlu" {
			found = true
		}
		if h.PersonID != "" {
			t.Errorf("hit %q has person %s before any match", h.Record.Name, h.PersonID)
		}
	}
	if !found {
		t.Errorf("search %q before any match found %d records, not the imported Bağırov Səbuhi Fikrət oğlu", q, len(hits))
	}
}
