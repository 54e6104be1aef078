package web_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/roster-coalition/roster/internal/app"
	"github.com/roster-coalition/roster/internal/match"
	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/store"
)

// TestAliasesShown: the item page shows each record's other names (alias
// columns and a pen name in the name cell) beside the names as written;
// the person page shows the person's other names. Made-up people.
func TestAliasesShown(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, filepath.Join(t.TempDir(), "roster.db"))
	t.Cleanup(func() { s.Close() })
	imp := func(src, ed string, recs ...roster.Record) {
		f := store.ImportFile{Name: src + ".csv", SHA256: "sha-" + src, Format: "csv", Size: 100}
		for i := range recs {
			recs[i].Row, recs[i].Raw = i+1, recs[i].Name
		}
		f.Records = recs
		if _, err := s.Import(ctx, store.ImportRequest{Source: src, Edition: ed, Files: []store.ImportFile{f}}); err != nil {
			t.Fatal(err)
		}
	}
	imp("ipm", "2025-06-01",
		roster.Record{Ref: "1", Name: "Həsənov Əli Vaqif oğlu", Aliases: []string{"Əli Dalğa"}, BirthYear: 1985},
		roster.Record{Ref: "2", Name: "Quliyev Samir", BirthYear: 1990})
	imp("cdr", "2025-09-01",
		roster.Record{Ref: "7", Name: "Гасанов Али Вагиф оглы (Али Дальга)", BirthYear: 1985})
	if _, err := app.New(s, now).Match(ctx, match.Config{}); err != nil {
		t.Fatal(err)
	}
	items := []roster.ReviewItem{{Key: "match:cdr@2025-09-01:7|ipm@2025-06-01:1", Kind: roster.KindMatch,
		Records: []string{"ipm@2025-06-01:1", "cdr@2025-09-01:7"}, Title: "a pair", Payload: `{}`, Impact: 80}}
	if _, err := s.SaveReviewItems(ctx, 1, items); err != nil {
		t.Fatal(err)
	}
	if err := s.AddUserRole(ctx, "", "alice", "alice-password", ""); err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, s: s, items: map[string]int64{}}
	f.serve(s)
	all, err := s.ReviewItems(ctx, store.ReviewFilter{State: "all"})
	if err != nil || len(all) != 1 {
		t.Fatalf("items: %v %v", all, err)
	}
	c := f.client(t)
	c.login("alice")
	r := c.get(fmt.Sprintf("/items/%d", all[0].ID))
	for _, want := range []string{"Other names", "Əli Dalğa", "Али Дальга"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("item page lacks %q", want)
		}
	}
	r = c.get("/persons/" + f.pid("ipm@2025-06-01:1"))
	if !strings.Contains(r.Body, "Also known as:") || !strings.Contains(r.Body, "Əli Dalğa") {
		t.Errorf("person page lacks the person's other names:\n%s", r.Body)
	}
	r = c.get("/persons/" + f.pid("ipm@2025-06-01:2"))
	if strings.Contains(r.Body, "Also known as") {
		t.Error("a person without other names shows an aliases line")
	}
}
