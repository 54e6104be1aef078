package store_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/store"
)

// TestRecordAliasesRoundTrip: a record's aliases are written on import
// and read back by every record read; a record without any stores ”.
func TestRecordAliasesRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	req := sampleImport("2025-06-01", "Qasımlı Aytən (Aytən Dalğa)", "Mirzəli Rauf")
	req.Files[0].Records[0].Aliases = []string{"Aytən Dalğa", "Aytan Dalga"}
	if _, err := s.Import(ctx, req); err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"Aytən Dalğa", "Aytan Dalga"}, nil}
	check := func(what string, recs []roster.Record) {
		t.Helper()
		if len(recs) != 2 {
			t.Fatalf("%s: %d records", what, len(recs))
		}
		for i, r := range recs {
			if !reflect.DeepEqual(r.Aliases, want[i]) {
				t.Errorf("%s: record %s aliases = %q; want %q", what, r.Ref, r.Aliases, want[i])
			}
		}
		if got := recs[0].Name; got != "Qasımlı Aytən (Aytən Dalğa)" {
			t.Errorf("%s: name %q; want the cell as written", what, got)
		}
	}
	recs, err := s.Records(ctx, "ipm", "")
	if err != nil {
		t.Fatal(err)
	}
	check("Records", recs)
	if recs, err = s.AllRecords(ctx); err != nil {
		t.Fatal(err)
	}
	check("AllRecords", recs)
	if recs, err = s.MatchRecords(ctx); err != nil {
		t.Fatal(err)
	}
	check("MatchRecords", recs)
	rows, err := s.ExportRows(ctx)
	if err != nil {
		t.Fatal(err)
	}
	check("ExportRows", []roster.Record{rows[0].Record, rows[1].Record})
	one, err := s.FindRecord(ctx, roster.RecordRef{Source: "ipm", Ref: "1"})
	if err != nil {
		t.Fatal(err)
	}
	two, err := s.FindRecord(ctx, roster.RecordRef{Source: "ipm", Edition: "2025-06-01", Ref: "2"})
	if err != nil {
		t.Fatal(err)
	}
	check("FindRecord", []roster.Record{one, two})

	var stored []string
	qr, err := s.DB().QueryContext(ctx, `SELECT aliases FROM records ORDER BY row`)
	if err != nil {
		t.Fatal(err)
	}
	defer qr.Close()
	for qr.Next() {
		var a string
		if err := qr.Scan(&a); err != nil {
			t.Fatal(err)
		}
		stored = append(stored, a)
	}
	if want := []string{`["Aytən Dalğa","Aytan Dalga"]`, ""}; !reflect.DeepEqual(stored, want) {
		t.Errorf("stored aliases %q; want %q", stored, want)
	}

	// A value that is not a JSON array is an error naming the record.
	if _, err := s.DB().ExecContext(ctx, `UPDATE records SET aliases = 'Dalğa' WHERE ref = '2'`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AllRecords(ctx); err == nil || !strings.Contains(err.Error(), "ipm@2025-06-01:2") {
		t.Errorf("AllRecords with a broken aliases value: err = %v", err)
	}
}

// TestReviewPayloadShowsAliases: a review item's records, completed from
// the database for display, carry their aliases.
func TestReviewPayloadShowsAliases(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	f := store.ImportFile{Name: "a.csv", SHA256: "sha-a", Format: "csv", Size: 10, Records: []roster.Record{
		{Row: 1, Ref: "1", Name: "Nəsirova Lalə", Aliases: []string{"Lalə Dalğa"}, Raw: "1;Nəsirova Lalə;Lalə Dalğa"},
		{Row: 2, Ref: "2", Name: "Lalə Dalğa", Raw: "2;Lalə Dalğa;"},
	}}
	if _, err := s.Import(ctx, store.ImportRequest{Source: "ipm", Edition: "2025-06-01", Files: []store.ImportFile{f}}); err != nil {
		t.Fatal(err)
	}
	a, b := "ipm@2025-06-01:1", "ipm@2025-06-01:2"
	it := roster.ReviewItem{Key: "duplicate:" + a + "|" + b, Kind: roster.KindDuplicate, Records: []string{a, b}, Title: "?",
		Payload: `{"probability":0.6}`}
	if _, err := s.SaveReviewItems(ctx, 1, []roster.ReviewItem{it}); err != nil {
		t.Fatal(err)
	}
	got, err := s.ReviewItemByKey(ctx, it.Key)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got.Payload, `"name":"Nəsirova Lalə","aliases":["Lalə Dalğa"]`) {
		t.Errorf("payload %s: want the first record's aliases", got.Payload)
	}
	if strings.Count(got.Payload, `"aliases"`) != 1 {
		t.Errorf("payload %s: want aliases only where a record has some", got.Payload)
	}
}
