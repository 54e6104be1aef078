package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/store"
)

func pairItem(key, a, b string) roster.ReviewItem {
	payload, _ := json.Marshal(map[string]any{"sides": []map[string]string{
		sideJSON(a, "fp-"+a), sideJSON(b, "fp-"+b),
	}})
	return roster.ReviewItem{Key: key, Kind: roster.KindMatch, Records: []string{a, b}, Title: key, Payload: string(payload), Impact: 50}
}

func sideJSON(ref, fp string) map[string]string {
	r, _ := roster.ParseRef(ref)
	return map[string]string{"source": r.Source, "edition": r.Edition, "ref": r.Ref, "fingerprint": fp}
}

func TestSaveReviewItemsKeepsState(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	a, b, c := "ipm@2025-06-01:1", "mhm@2025-05-01:7", "mhm@2025-05-01:9"
	gap := roster.ReviewItem{Key: "group-gap:mhm:anti-war", Kind: roster.KindGroupGap, Source: "mhm", Group: "anti-war", Impact: 100}
	st, err := s.SaveReviewItems(ctx, 1, []roster.ReviewItem{pairItem("match:1", a, b), pairItem("match:2", a, c), gap})
	if err != nil {
		t.Fatal(err)
	}
	if st.New != 3 || st.Open != 3 {
		t.Fatalf("first build: %+v", st)
	}
	items, err := s.ReviewItems(ctx, store.ReviewFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if items[0].Kind != roster.KindGroupGap {
		t.Fatalf("first item %+v, want the group gap (highest impact)", items[0])
	}
	var m1 int64
	for _, it := range items {
		if it.Key == "match:1" {
			m1 = it.ID
		}
	}
	d, err := s.DecideItem(ctx, m1, 0, roster.VerdictSame, "same birth date and case", "alice")
	if err != nil {
		t.Fatal(err)
	}
	if d.A.Fingerprint != "fp-"+a || d.B.Ref != "7" {
		t.Fatalf("decision sides %+v %+v", d.A, d.B)
	}
	// Rebuild without match:2: it goes stale; match:1 stays decided.
	st, err = s.SaveReviewItems(ctx, 2, []roster.ReviewItem{pairItem("match:1", a, b), gap})
	if err != nil {
		t.Fatal(err)
	}
	if st.Stale != 1 || st.Kept != 2 || st.Open != 1 {
		t.Fatalf("second build: %+v", st)
	}
	it, err := s.ReviewItem(ctx, m1)
	if err != nil {
		t.Fatal(err)
	}
	if it.State != store.StateDecided || it.DecisionID != d.ID {
		t.Fatalf("decided item after rebuild: %+v", it)
	}
	// match:2 comes back: reopened.
	st, err = s.SaveReviewItems(ctx, 3, []roster.ReviewItem{pairItem("match:1", a, b), pairItem("match:2", a, c), gap})
	if err != nil {
		t.Fatal(err)
	}
	if st.Reopened != 1 || st.Open != 2 {
		t.Fatalf("third build: %+v", st)
	}
	counts, err := s.ReviewCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if counts[roster.KindMatch] != 1 || counts[roster.KindGroupGap] != 1 {
		t.Fatalf("counts %v", counts)
	}
	// Filters.
	for _, tc := range []struct {
		f    store.ReviewFilter
		want int
	}{
		{store.ReviewFilter{State: "all"}, 3},
		{store.ReviewFilter{State: "decided"}, 1},
		{store.ReviewFilter{Source: "mhm"}, 2},
		{store.ReviewFilter{Source: "ipm", State: "all"}, 2},
		{store.ReviewFilter{Group: "anti-war"}, 1},
		{store.ReviewFilter{Kind: roster.KindMatch, State: "all"}, 2},
	} {
		got, err := s.ReviewItems(ctx, tc.f)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != tc.want {
			t.Errorf("%+v: %d items, want %d", tc.f, len(got), tc.want)
		}
	}
	if _, err := s.ReviewItems(ctx, store.ReviewFilter{State: "bogus"}); roster.ErrorCode(err) != roster.EINVALID {
		t.Errorf("bogus state: err=%v", err)
	}
}

func TestDecideItemRules(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	gap := roster.ReviewItem{Key: "group-gap:mhm:anti-war", Kind: roster.KindGroupGap, Source: "mhm", Group: "anti-war"}
	if _, err := s.SaveReviewItems(ctx, 1, []roster.ReviewItem{gap, pairItem("match:1", "a@1:1", "b@1:2")}); err != nil {
		t.Fatal(err)
	}
	items, _ := s.ReviewItems(ctx, store.ReviewFilter{Kind: roster.KindGroupGap})
	id := items[0].ID
	for _, tc := range []struct {
		name                string
		id, version         int64
		verdict, reason, by string
		code                string
	}{
		{"no reason", id, -1, "dismiss", " ", "alice", roster.EINVALID},
		{"no actor", id, -1, "dismiss", "r", "", roster.EINVALID},
		{"bad verdict", id, -1, "maybe", "r", "alice", roster.EINVALID},
		{"same on a group gap", id, -1, "same", "r", "alice", roster.EINVALID},
		{"missing", 999, -1, "dismiss", "r", "alice", roster.ENOTFOUND},
		{"stale version", id, 7, "dismiss", "r", "alice", roster.ECONFLICT},
	} {
		_, err := s.DecideItem(ctx, tc.id, tc.version, tc.verdict, tc.reason, tc.by)
		if got := roster.ErrorCode(err); got != tc.code {
			t.Errorf("%s: code %q (%v), want %q", tc.name, got, err, tc.code)
		}
	}
	d, err := s.DecideItem(ctx, id, -1, roster.VerdictDismiss, "this list covers only journalists", "alice")
	if err != nil {
		t.Fatal(err)
	}
	if d.A.Source != "" {
		t.Fatalf("group-gap decision has sides: %+v", d)
	}
	_, err = s.DecideItem(ctx, id, -1, roster.VerdictUnsure, "r", "bob")
	if roster.ErrorCode(err) != roster.ECONFLICT || !strings.Contains(err.Error(), "already decided by alice (dismiss) at 2026-01-15T10:00:00Z") {
		t.Fatalf("second decision: %v", err)
	}
}

func TestUndoAndAudit(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	if _, err := s.SaveReviewItems(ctx, 1, []roster.ReviewItem{pairItem("match:1", "a@1:1", "b@1:2")}); err != nil {
		t.Fatal(err)
	}
	items, _ := s.ReviewItems(ctx, store.ReviewFilter{})
	it := items[0]
	if err := s.UndoItem(ctx, it.ID, "alice"); roster.ErrorCode(err) != roster.ECONFLICT {
		t.Fatalf("undo of an open item: %v", err)
	}
	d, err := s.DecideItem(ctx, it.ID, it.Version, roster.VerdictDifferent, "different fathers", "alice")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.UndoItem(ctx, it.ID, "bob"); err != nil {
		t.Fatal(err)
	}
	after, _ := s.ReviewItem(ctx, it.ID)
	if after.State != store.StateOpen || after.DecisionID != 0 || after.Version != it.Version+2 {
		t.Fatalf("after undo: %+v (before %+v)", after, it)
	}
	active, _ := s.ActiveDecisions(ctx)
	if len(active) != 0 {
		t.Fatalf("active decisions after undo: %+v", active)
	}
	all, _ := s.Decisions(ctx)
	if len(all) != 1 || !all[0].Undone || all[0].ID != d.ID {
		t.Fatalf("decisions: %+v", all)
	}
	// Decide again with the old version: refused (it changed since).
	if _, err := s.DecideItem(ctx, it.ID, it.Version, roster.VerdictSame, "r", "carol"); roster.ErrorCode(err) != roster.ECONFLICT {
		t.Fatalf("decide with an old version: %v", err)
	}
	if _, err := s.DecideItem(ctx, it.ID, after.Version, roster.VerdictSame, "same passport", "carol"); err != nil {
		t.Fatal(err)
	}
	hist, err := s.ItemDecisions(ctx, it.ID)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range hist {
		actions = append(actions, e.Action+":"+e.Actor)
	}
	if got, want := strings.Join(actions, " "), "decide:alice undo:bob decide:carol"; got != want {
		t.Fatalf("history %q, want %q", got, want)
	}
	// The audit log is append-only.
	if _, err := s.DB().ExecContext(ctx, `DELETE FROM audit`); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Fatalf("delete from audit: %v", err)
	}
}

func TestDecidePairSettlesItemAndSupersedes(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	a, b := "a@1:1", "b@1:2"
	if _, err := s.SaveReviewItems(ctx, 1, []roster.ReviewItem{pairItem("match:1", a, b)}); err != nil {
		t.Fatal(err)
	}
	sa := roster.Side{Source: "a", Edition: "1", Ref: "1", Fingerprint: "fa"}
	sb := roster.Side{Source: "b", Edition: "1", Ref: "2", Fingerprint: "fb"}
	d1, err := s.DecidePair(ctx, sa, sb, roster.VerdictSame, "same person", "alice")
	if err != nil {
		t.Fatal(err)
	}
	items, _ := s.ReviewItems(ctx, store.ReviewFilter{State: "all"})
	if items[0].State != store.StateDecided || items[0].DecisionID != d1.ID || d1.ItemID != items[0].ID {
		t.Fatalf("item %+v, decision %+v", items[0], d1)
	}
	// A later decision on the same pair (found by fingerprint, in a new edition) supersedes the first.
	sb2 := roster.Side{Source: "b", Edition: "2", Ref: "5", Fingerprint: "fb"}
	d2, err := s.DecidePair(ctx, sb2, sa, roster.VerdictDifferent, "different birth years confirmed", "bob")
	if err != nil {
		t.Fatal(err)
	}
	active, _ := s.ActiveDecisions(ctx)
	if len(active) != 1 || active[0].ID != d2.ID {
		t.Fatalf("active %+v", active)
	}
	it, _ := s.ReviewItem(ctx, items[0].ID)
	if it.DecisionID != d2.ID {
		t.Fatalf("item decision %d, want %d", it.DecisionID, d2.ID)
	}
	log, _ := s.Audit(ctx)
	if len(log) != 3 || log[2].Action != store.ActionUndo || log[2].DecisionID != d1.ID {
		t.Fatalf("audit %+v", log)
	}
}

// TestDecideRace decides one item from two goroutines through two stores
// on the same file: one wins, the other gets a conflict naming the winner,
// and both attempts' traces are consistent (one decision, one audit row).
func TestDecideRace(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "race.db")
	open := func() *store.Store {
		s, err := store.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	s1 := open()
	if _, err := s1.SaveReviewItems(ctx, 1, []roster.ReviewItem{pairItem("match:1", "a@1:1", "b@1:2")}); err != nil {
		t.Fatal(err)
	}
	s2 := open()
	for round := 0; round < 5; round++ {
		items, _ := s1.ReviewItems(ctx, store.ReviewFilter{})
		it := items[0]
		var wg sync.WaitGroup
		errs := make([]error, 2)
		start := make(chan struct{})
		for i, s := range []*store.Store{s1, s2} {
			wg.Add(1)
			go func(i int, s *store.Store) {
				defer wg.Done()
				<-start
				_, errs[i] = s.DecideItem(ctx, it.ID, it.Version, []string{"same", "different"}[i], "race", []string{"alice", "bob"}[i])
			}(i, s)
		}
		close(start)
		wg.Wait()
		var wins, conflicts int
		for _, err := range errs {
			switch {
			case err == nil:
				wins++
			case roster.ErrorCode(err) == roster.ECONFLICT && strings.Contains(err.Error(), "already decided by"):
				conflicts++
			default:
				t.Fatalf("round %d: unexpected error %v", round, err)
			}
		}
		if wins != 1 || conflicts != 1 {
			t.Fatalf("round %d: %d wins, %d conflicts (%v)", round, wins, conflicts, errs)
		}
		active, _ := s2.ActiveDecisions(ctx)
		if len(active) != 1 {
			t.Fatalf("round %d: %d active decisions", round, len(active))
		}
		if err := s2.UndoItem(ctx, it.ID, "carol"); err != nil {
			t.Fatal(err)
		}
	}
	log, _ := s1.Audit(ctx)
	if len(log) != 10 { // 5 decisions and 5 undos
		t.Fatalf("audit has %d entries, want 10", len(log))
	}
}

// A rebuild writes only the items whose content changed.
func TestSaveReviewItemsSkipsUnchanged(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	a, b, c := "ipm@2025-06-01:1", "mhm@2025-05-01:7", "mhm@2025-05-01:9"
	items := func(title string, impact float64) []roster.ReviewItem {
		m2 := pairItem("match:2", a, c)
		m2.Title, m2.Impact = title, impact
		return []roster.ReviewItem{pairItem("match:1", a, b), m2}
	}
	if _, err := s.SaveReviewItems(ctx, 1, items("two", 50)); err != nil {
		t.Fatal(err)
	}
	updatedRun := func(key string) (run int64) {
		t.Helper()
		if err := s.DB().QueryRow(`SELECT updated_run FROM review_items WHERE key = ?`, key).Scan(&run); err != nil {
			t.Fatal(err)
		}
		return run
	}
	st, err := s.SaveReviewItems(ctx, 2, items("two", 50))
	if err != nil {
		t.Fatal(err)
	}
	if st.Written != 0 || st.Kept != 2 || updatedRun("match:1") != 1 {
		t.Fatalf("identical rebuild: %+v, updated_run %d", st, updatedRun("match:1"))
	}
	for i, tc := range []struct {
		title  string
		impact float64
	}{{"two, renamed", 50}, {"two, renamed", 51}} {
		run := int64(3 + i)
		st, err := s.SaveReviewItems(ctx, run, items(tc.title, tc.impact))
		if err != nil {
			t.Fatal(err)
		}
		it, err := s.ReviewItemByKey(ctx, "match:2")
		if err != nil {
			t.Fatal(err)
		}
		if st.Written != 1 || it.Title != tc.title || it.Impact != tc.impact || updatedRun("match:2") != run || updatedRun("match:1") != 1 {
			t.Fatalf("%+v: %+v, item %+v", tc, st, it)
		}
	}
	// Unsorted input with a repeated key is refused, as sorted input is.
	for _, its := range [][]roster.ReviewItem{
		{pairItem("match:2", a, c), pairItem("match:1", a, b), pairItem("match:2", a, c)},
		{pairItem("match:3", a, c), pairItem("match:3", a, b)},
	} {
		if _, err := s.SaveReviewItems(ctx, 9, its); err == nil || !strings.Contains(err.Error(), "repeated key") {
			t.Errorf("repeated key: err=%v", err)
		}
	}
}

// seedPair imports two records, clusters them and stores their scored pair,
// as a match run would.
func seedPair(t *testing.T, s *store.Store) (a, b string) {
	t.Helper()
	ctx := context.Background()
	for _, l := range []struct{ src, ed, ref, name, raw string }{
		{"ipm", "2025-06-01", "1", "Həsənov Əli", "1;Həsənov Əli;1985"},
		{"mhm", "2025-05-01", "7", "Гасанов Али", "7;Гасанов Али;1986"},
	} {
		f := store.ImportFile{Name: l.src + ".csv", SHA256: "sha-" + l.src, Format: "csv", Size: 10, Records: []roster.Record{
			{Row: 1, Ref: l.ref, Location: "line 2", Name: l.name, BirthYear: 1985, Group: "journalist", Raw: l.raw}}}
		if _, err := s.Import(ctx, store.ImportRequest{Source: l.src, Edition: l.ed, Files: []store.ImportFile{f}}); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{
		`INSERT INTO persons(seq, id) VALUES (1, 'P-000001'), (2, 'P-000002')`,
		`INSERT INTO members(person_id, source, edition, ref, fingerprint, link, run_id) VALUES
			('P-000001', 'ipm', '2025-06-01', '1', 'fp-ipm-1', 'single', 1), ('P-000002', 'mhm', '2025-05-01', '7', 'fp-mhm-7', 'single', 1)`,
		`INSERT INTO pairs(run_id, a_source, a_edition, a_ref, b_source, b_edition, b_ref, probability, band, explanation)
			VALUES (1, 'mhm', '2025-05-01', '7', 'ipm', '2025-06-01', '1', 0.7, 'review', '{"weight":1.5,"fields":[]}')`,
	} {
		if _, err := s.DB().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	return "ipm@2025-06-01:1", "mhm@2025-05-01:7"
}

// Stored payloads are lean; an item as read for display has its records,
// sides and explanation, and a decided item keeps them when the records
// and the pair are gone.
func TestReviewItemCompletesPayload(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	a, b := seedPair(t, s)
	lean := roster.ReviewItem{Key: "match:" + a + "|" + b, Kind: roster.KindMatch, Records: []string{a, b}, Title: "?",
		Payload: `{"persons":["P-000001","P-000002"],"probability":0.7,"same_person":false}`, Impact: 57}
	if _, err := s.SaveReviewItems(ctx, 1, []roster.ReviewItem{lean}); err != nil {
		t.Fatal(err)
	}
	it, err := s.ReviewItemByKey(ctx, lean.Key)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"clusters":[{"ref":"ipm@2025-06-01:1","person_id":"P-000001","records":[{"ref":"ipm@2025-06-01:1","name":"Həsənov Əli"}],"total":1},` +
		`{"ref":"mhm@2025-05-01:7","person_id":"P-000002","records":[{"ref":"mhm@2025-05-01:7","name":"Гасанов Али"}],"total":1}],` +
		`"explanation":{"weight":1.5,"fields":[]},"persons":["P-000001","P-000002"],"probability":0.7,` +
		`"records":[{"ref":"ipm@2025-06-01:1","source":"ipm","edition":"2025-06-01","record_ref":"1","person_id":"P-000001",` +
		`"fingerprint":"fp-ipm-1","name":"Həsənov Əli","birth_year":1985,"group":"journalist","location":"line 2","raw":"1;Həsənov Əli;1985"},` +
		`{"ref":"mhm@2025-05-01:7","source":"mhm","edition":"2025-05-01","record_ref":"7","person_id":"P-000002",` +
		`"fingerprint":"fp-mhm-7","name":"Гасанов Али","birth_year":1985,"group":"journalist","location":"line 2","raw":"7;Гасанов Али;1986"}],` +
		`"same_person":false,"sides":[{"source":"ipm","edition":"2025-06-01","ref":"1","fingerprint":"fp-ipm-1"},` +
		`{"source":"mhm","edition":"2025-05-01","ref":"7","fingerprint":"fp-mhm-7"}]}`
	if it.Payload != want {
		t.Fatalf("payload for display\n got %s\nwant %s", it.Payload, want)
	}
	var stored string
	if err := s.DB().QueryRow(`SELECT payload FROM review_items WHERE id = ?`, it.ID).Scan(&stored); err != nil || stored != lean.Payload {
		t.Fatalf("stored payload %s (%v), want the lean one", stored, err)
	}
	d, err := s.DecideItem(ctx, it.ID, it.Version, roster.VerdictSame, "same person", "alice")
	if err != nil {
		t.Fatal(err)
	}
	if d.A.Fingerprint != "fp-ipm-1" || d.B.Fingerprint != "fp-mhm-7" {
		t.Errorf("decision sides %+v %+v: want the clustering's fingerprints", d.A, d.B)
	}
	// A rebuild that still finds the pair writes the lean payload and
	// completes it again.
	st, err := s.SaveReviewItems(ctx, 2, []roster.ReviewItem{lean})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.DB().QueryRow(`SELECT payload FROM review_items WHERE id = ?`, it.ID).Scan(&stored); err != nil || stored != want || st.Kept != 1 {
		t.Fatalf("decided item rebuilt (%+v): stored %s (%v)", st, stored, err)
	}
	// The next run links the pair (no longer in the pairs table) and a
	// re-import replaces the records: the decided item still shows both.
	for _, q := range []string{`DELETE FROM pairs`, `DELETE FROM members`, `DELETE FROM records`} {
		if _, err := s.DB().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	it, err = s.ReviewItem(ctx, it.ID)
	if err != nil {
		t.Fatal(err)
	}
	if it.Payload != want {
		t.Fatalf("decided payload once the records are gone\n got %s\nwant %s", it.Payload, want)
	}
	// An open item whose records are gone lists none.
	other := lean
	other.Key = "match:x"
	if _, err := s.SaveReviewItems(ctx, 3, []roster.ReviewItem{other}); err != nil {
		t.Fatal(err)
	}
	it, err = s.ReviewItemByKey(ctx, "match:x")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(it.Payload, `"records":[]`) || strings.Contains(it.Payload, "explanation") {
		t.Errorf("payload without records: %s", it.Payload)
	}
}

// The review input lists records by source, edition, file and row, with
// their memberships in the same order; detail adds what only display needs.
func TestReadReviewInput(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	file := func(name string, refs ...string) store.ImportFile {
		f := store.ImportFile{Name: name, SHA256: "sha-" + name, Format: "csv", Size: 10}
		for i, r := range refs {
			f.Records = append(f.Records, roster.Record{Row: i + 1, Ref: r, Name: "N " + r, Raw: "raw " + r, Location: "row " + r})
		}
		return f
	}
	// Two files whose rows both start at 1, imported before an earlier source.
	if _, err := s.Import(ctx, store.ImportRequest{Source: "mhm", Edition: "2025-05-01",
		Files: []store.ImportFile{file("a.csv", "a1", "a2", "a3"), file("b.csv", "b1", "b2")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(ctx, store.ImportRequest{Source: "ipm", Edition: "2025-06-01", Files: []store.ImportFile{file("c.csv", "c1", "c2")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().Exec(`INSERT INTO persons(seq, id) VALUES (1, 'P-1');
		INSERT INTO members(person_id, source, edition, ref, fingerprint, link, run_id) VALUES
		('P-1', 'mhm', '2025-05-01', 'b1', 'fp-b1', 'single', 1), ('P-1', 'ipm', '2025-06-01', 'c2', 'fp-c2', 'single', 1)`); err != nil {
		t.Fatal(err)
	}
	for _, detail := range []bool{false, true} {
		in, err := s.ReadReviewInput(ctx, detail)
		if err != nil {
			t.Fatal(err)
		}
		var refs []string
		for _, r := range in.Records {
			refs = append(refs, r.Ref)
			if (r.Raw != "") != detail || (r.Location != "") != detail {
				t.Errorf("detail=%v: record %+v", detail, r)
			}
		}
		if got, want := strings.Join(refs, " "), "c1 c2 a1 a2 a3 b1 b2"; got != want {
			t.Errorf("detail=%v: records %s, want %s", detail, got, want)
		}
		if len(in.Members) != 2 || in.Members[0].Ref != "c2" || in.Members[0].Fingerprint != "fp-c2" || in.Members[1].Ref != "b1" ||
			in.Members[1].PersonID != "P-1" || in.Members[1].Source != "mhm" {
			t.Errorf("detail=%v: members %+v", detail, in.Members)
		}
	}
}

// Rewriting the table gives what updating it row by row gives: the same
// IDs, states, versions, runs and content.
func TestSaveReviewItemsRewriteMatchesUpdate(t *testing.T) {
	ctx := context.Background()
	run := func(rewrite bool) string {
		t.Helper()
		defer store.SetRewrite(1<<30, 1)()
		s := MustOpen(t)
		a := "ipm@2025-06-01:1"
		item := func(n int, title string) roster.ReviewItem {
			it := pairItem(fmt.Sprintf("match:%02d", n), a, fmt.Sprintf("mhm@2025-05-01:%d", n))
			it.Title = title
			return it
		}
		var first []roster.ReviewItem
		for n := 1; n <= 8; n++ {
			first = append(first, item(n, "first"))
		}
		if _, err := s.SaveReviewItems(ctx, 1, first); err != nil {
			t.Fatal(err)
		}
		id := func(key string) int64 {
			it, err := s.ReviewItemByKey(ctx, key)
			if err != nil {
				t.Fatal(err)
			}
			return it.ID
		}
		if _, err := s.DecideItem(ctx, id("match:02"), -1, roster.VerdictSame, "same", "alice"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DecideItem(ctx, id("match:08"), -1, roster.VerdictDismiss, "no", "alice"); err != nil {
			t.Fatal(err)
		}
		// match:04 goes stale.
		if _, err := s.SaveReviewItems(ctx, 2, append(append([]roster.ReviewItem{}, first[:3]...), first[4:]...)); err != nil {
			t.Fatal(err)
		}
		d, err := s.DecidePair(ctx, roster.Side{Source: "ipm", Edition: "2025-06-01", Ref: "1"},
			roster.Side{Source: "mhm", Edition: "2025-05-01", Ref: "10"}, roster.VerdictDifferent, "not him", "bob")
		if err != nil {
			t.Fatal(err)
		}
		if rewrite {
			defer store.SetRewrite(0, 0)()
		}
		// Changed: 01, 02 (decided), 04 (reopens), 05, 06; 03 unchanged;
		// 07 goes stale and 08 stays decided; 09 and 10 (settled) are new.
		third := []roster.ReviewItem{item(1, "third"), item(2, "third"), item(3, "first"), item(4, "third"), item(5, "third"),
			item(6, "third"), item(9, "third"), item(10, "third")}
		third[7].DecisionID = d.ID
		st, err := s.SaveReviewItems(ctx, 3, third)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		fmt.Fprintf(&b, "%+v\n", st)
		rows, err := s.DB().Query(`SELECT id, key, kind, state, source, grp, person_id, records, title, payload, impact,
			coalesce(decision_id, 0), version, created_run, updated_run FROM review_items ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var v [15]any
			p := make([]any, len(v))
			for i := range v {
				p[i] = &v[i]
			}
			if err := rows.Scan(p...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintln(&b, v[:]...)
		}
		return b.String()
	}
	updated, rewritten := run(false), run(true)
	if updated != rewritten {
		t.Errorf("updated in place:\n%s\nrewritten:\n%s", updated, rewritten)
	}
	for _, want := range []string{"Written:5", "Stale:1", "Reopened:1", "New:2", "Decided:1", "match:07 match stale",
		"match:08 match decided", "match:04 match open"} {
		if !strings.Contains(updated, want) {
			t.Errorf("no %q in\n%s", want, updated)
		}
	}
}

// A save that writes many rows in place does it without the per-row
// triggers and refills the counts and item sources at once: the tables
// end as the row-by-row save leaves them.
func TestSaveReviewItemsBulkMatchesRowByRow(t *testing.T) {
	ctx := context.Background()
	dump := func(bulk bool) string {
		t.Helper()
		if bulk {
			defer store.SetRewrite(1, 2)() // never a rewrite; bulk from one write
		} else {
			defer store.SetRewrite(1<<30, 1)()
		}
		s := MustOpen(t)
		var items []roster.ReviewItem
		for n := 1; n <= 6; n++ {
			items = append(items, pairItem(fmt.Sprintf("match:%02d", n), "ipm@2025-06-01:1", fmt.Sprintf("mhm@2025-05-01:%d", n)))
		}
		if _, err := s.SaveReviewItems(ctx, 1, items); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SaveReviewItems(ctx, 2, append(items[:2:2], pairItem("match:09", "fpp@2025-01-01:4", "mhm@2025-05-01:9"))); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, q := range []string{`SELECT kind, state, n FROM review_counts ORDER BY 1, 2`,
			`SELECT source, state, impact, item_id, kind FROM review_item_sources ORDER BY 1, 2, 3, 4`,
			`SELECT id, key, state, records FROM review_items ORDER BY id`,
			// The indexes and triggers the bulk write drops come back as they were.
			`SELECT type, name, sql FROM sqlite_schema WHERE type IN ('index', 'trigger') ORDER BY 1, 2`} {
			rows, err := s.DB().Query(q)
			if err != nil {
				t.Fatal(err)
			}
			cols, _ := rows.Columns()
			for rows.Next() {
				v := make([]any, len(cols))
				p := make([]any, len(cols))
				for i := range v {
					p[i] = &v[i]
				}
				if err := rows.Scan(p...); err != nil {
					t.Fatal(err)
				}
				fmt.Fprintln(&b, v...)
			}
			rows.Close()
		}
		return b.String()
	}
	rowByRow, bulk := dump(false), dump(true)
	if rowByRow != bulk {
		t.Errorf("row by row:\n%s\nbulk:\n%s", rowByRow, bulk)
	}
	if !strings.Contains(rowByRow, "match stale 4") || !strings.Contains(rowByRow, "fpp open") ||
		!strings.Contains(rowByRow, "index review_queue_kind CREATE INDEX") {
		t.Errorf("unexpected tables:\n%s", rowByRow)
	}
}
