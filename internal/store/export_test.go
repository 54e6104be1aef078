package store_test

import (
	"context"
	"reflect"
	"testing"
)

func TestExportRowsAndReviewKinds(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	if _, err := s.Import(ctx, sampleImport("2025-06-01", "Məmmədov Əli", "Həsənova Leyla", "Quliyev Elçin")); err != nil {
		t.Fatal(err)
	}
	// A clustering as a match run leaves it: P-000003 was merged into
	// P-000001; record 3 has no person yet.
	for _, q := range []string{
		`INSERT INTO persons (seq, id, status) VALUES (1, 'P-000001', 'active'), (2, 'P-000002', 'active')`,
		`INSERT INTO persons (seq, id, status, redirect_to) VALUES (3, 'P-000003', 'merged', 'P-000001')`,
		`INSERT INTO members (person_id, source, edition, ref, fingerprint, link, score, run_id) VALUES
			('P-000003', 'ipm', '2025-06-01', '1', 'f1', 'auto', 0.97, 1),
			('P-000002', 'ipm', '2025-06-01', '2', 'f2', 'single', 0, 1)`,
		`INSERT INTO review_items (key, kind, state, person_id, records) VALUES
			('k1', 'conflict', 'open', 'P-000002', '[]'),
			('k2', 'match', 'open', '', '["ipm@2025-06-01:1","ipm@2025-06-01:2"]'),
			('k3', 'omission', 'decided', 'P-000001', '[]')`,
	} {
		if _, err := s.DB().ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := s.ExportRows(ctx)
	if err != nil {
		t.Fatal(err)
	}
	type got struct {
		Ref, Name, Person, Link string
		Score                   float64
	}
	var g []got
	for _, r := range rows {
		g = append(g, got{r.Ref, r.Name, r.PersonID, r.Link, r.Score})
	}
	want := []got{
		{"1", "Məmmədov Əli", "P-000001", "auto", 0.97},
		{"2", "Həsənova Leyla", "P-000002", "single", 0},
		{"3", "Quliyev Elçin", "", "", 0},
	}
	if !reflect.DeepEqual(g, want) {
		t.Errorf("ExportRows = %+v; want %+v", g, want)
	}
	kinds, err := s.OpenReviewKinds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantKinds := map[string][]string{"P-000001": {"match"}, "P-000002": {"conflict", "match"}}
	if !reflect.DeepEqual(kinds, wantKinds) {
		t.Errorf("OpenReviewKinds = %v; want %v", kinds, wantKinds)
	}
}
