package app

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/roster-coalition/roster/internal/match"
	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/store"
)

// Made-up people.
var matchPeople = []struct {
	az, ru, en string
	born       int
}{
	{"Məmmədov Əli Həsən oğlu", "Мамедов Али Гасан оглы", "Ali MAMMADOV", 1985},
	{"Hüseynova Leyla Rövşən qızı", "Гусейнова Лейла Ровшан кызы", "Leyla HUSEYNOVA", 1990},
	{"Cəfərov Rəşad Tofiq oğlu", "Джафаров Рашад Тофик оглы", "Rashad JAFAROV", 1979},
	{"Quliyev Elvin Zaur oğlu", "Гулиев Эльвин Заур оглы", "Elvin GULIYEV", 1995},
	{"Səfərli Nigar Anar qızı", "Сафарли Нигяр Анар кызы", "Nigar SAFARLI", 1988},
	{"Əliyev Tural Vüqar oğlu", "Алиев Турал Вугар оглы", "Tural ALIYEV", 2000},
}

func matchImportList(t *testing.T, s *store.Store, source, edition string, names []string, births []int, shuffle bool, replace bool) {
	t.Helper()
	f := store.ImportFile{Name: source + ".csv", SHA256: fmt.Sprintf("%s-%s-%v", source, edition, shuffle), Format: "csv"}
	order := make([]int, len(names))
	for i := range order {
		order[i] = i
	}
	if shuffle {
		rand.New(rand.NewPCG(9, 9)).Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	}
	for row, i := range order {
		// References are row numbers, so a shuffle changes them.
		f.Records = append(f.Records, roster.Record{Row: row + 1, Ref: fmt.Sprint(row + 1), Name: names[i], BirthYear: births[i],
			Raw: names[i]})
	}
	if _, err := s.Import(context.Background(), store.ImportRequest{Source: source, Edition: edition, Replace: replace,
		Files: []store.ImportFile{f}}); err != nil {
		t.Fatal(err)
	}
}

// personOf maps each (source, name as written) to its person ID.
func matchPersonOf(t *testing.T, s *store.Store) map[string]string {
	t.Helper()
	ctx := context.Background()
	recs, err := s.AllRecords(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byRef := map[[3]string]string{}
	for _, r := range recs {
		byRef[[3]string{r.Source, r.Edition, r.Ref}] = r.Name
	}
	ms, err := s.CurrentMembers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, m := range ms {
		out[m.Source+"@"+m.Edition+" "+byRef[[3]string{m.Source, m.Edition, m.Ref}]] = m.PersonID
	}
	return out
}

func TestMatchKeepsIDs(t *testing.T) {
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	now := func() time.Time { return time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC) }
	var az, ru, en []string
	var born []int
	for _, p := range matchPeople {
		az, ru, en, born = append(az, p.az), append(ru, p.ru), append(en, p.en), append(born, p.born)
	}
	matchImportList(t, s, "ipm", "2025-01-01", az, born, false, false)
	matchImportList(t, s, "mhm", "2025-01-01", ru, born, false, false)
	matchImportList(t, s, "cdr", "2025-01-01", en, born, false, false)
	sum, err := New(s, now).Match(ctx, match.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Persons != len(matchPeople) {
		t.Fatalf("persons=%d, want %d (%+v)", sum.Persons, len(matchPeople), matchPersonOf(t, s))
	}
	first := matchPersonOf(t, s)
	// Each person's three records share one ID.
	for i, p := range matchPeople {
		a, b, c := first["ipm@2025-01-01 "+p.az], first["mhm@2025-01-01 "+p.ru], first["cdr@2025-01-01 "+p.en]
		if a == "" || a != b || a != c {
			t.Errorf("person %d: IDs %q %q %q", i, a, b, c)
		}
	}
	same := func(step string, got map[string]string) {
		t.Helper()
		for k, v := range first {
			if got[k] != "" && got[k] != v {
				t.Errorf("%s: %s moved from %s to %s", step, k, v, got[k])
			}
		}
	}

	// Re-running changes nothing.
	if _, err := New(s, now).Match(ctx, match.Config{}); err != nil {
		t.Fatal(err)
	}
	same("rerun", matchPersonOf(t, s))

	// Re-importing a list with the rows shuffled (references are row
	// numbers) keeps every ID.
	matchImportList(t, s, "ipm", "2025-01-01", az, born, true, true)
	if _, err := New(s, now).Match(ctx, match.Config{}); err != nil {
		t.Fatal(err)
	}
	same("re-import shuffled", matchPersonOf(t, s))

	// A new edition without the last person and with a new one.
	az2 := append(append([]string{}, az[:len(az)-1]...), "Vaqifqızı Sevinc Vaqif qızı")
	born2 := append(append([]int{}, born[:len(born)-1]...), 1991)
	matchImportList(t, s, "ipm", "2025-06-01", az2, born2, true, false)
	sum, err = New(s, now).Match(ctx, match.Config{})
	if err != nil {
		t.Fatal(err)
	}
	got := matchPersonOf(t, s)
	same("new edition", got)
	for _, n := range az[:len(az)-1] {
		if got["ipm@2025-06-01 "+n] != first["ipm@2025-01-01 "+n] {
			t.Errorf("new edition: %s got %s, was %s", n, got["ipm@2025-06-01 "+n], first["ipm@2025-01-01 "+n])
		}
	}
	if id := got["ipm@2025-06-01 Vaqifqızı Sevinc Vaqif qızı"]; id != "P-000007" {
		t.Errorf("new person got %q, want P-000007", id)
	}

	// A cancelled match leaves the previous result.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := New(s, now).Match(cctx, match.Config{}); err == nil {
		t.Fatal("a cancelled match succeeded")
	}
	same("cancelled", matchPersonOf(t, s))
}

func TestMatchHonoursDecisions(t *testing.T) {
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	now := func() time.Time { return time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC) }
	matchImportList(t, s, "ipm", "2025-01-01", []string{"Məmmədov Əli Həsən oğlu", "Abbasova Sevinc Vaqif qızı", "Hüseynov Elvin"},
		[]int{1985, 1990, 1970}, false, false)
	matchImportList(t, s, "mhm", "2025-01-01", []string{"Мамедов Али Гасан оглы", "Вагифгызы Севиндж", "Гусейнов Эльвин"},
		[]int{1985, 1990, 1970}, false, false)
	run := func() map[string]string {
		t.Helper()
		if _, err := New(s, now).Match(ctx, match.Config{}); err != nil {
			t.Fatal(err)
		}
		return matchPersonOf(t, s)
	}
	got := run()
	if got["ipm@2025-01-01 Məmmədov Əli Həsən oğlu"] != got["mhm@2025-01-01 Мамедов Али Гасан оглы"] {
		t.Fatalf("identical people not linked: %v", got)
	}
	side := func(src, ref string) roster.Side {
		r, err := s.FindRecord(ctx, roster.RecordRef{Source: src, Ref: ref})
		if err != nil {
			t.Fatal(err)
		}
		return roster.Side{Source: r.Source, Edition: r.Edition, Ref: r.Ref, Fingerprint: match.Fingerprint(r)}
	}
	// An analyst says the two Məmmədovs are different people, and that
	// Abbasova Sevinc is Vaqifqızı Sevinc (a pen name).
	if _, err := s.DecidePair(ctx, side("ipm", "1"), side("mhm", "1"), roster.VerdictDifferent, "different fathers' papers", "tester"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DecidePair(ctx, side("ipm", "2"), side("mhm", "2"), roster.VerdictSame, "pen name", "tester"); err != nil {
		t.Fatal(err)
	}
	check := func(step string, got map[string]string) {
		t.Helper()
		if a, b := got["ipm@2025-01-01 Məmmədov Əli Həsən oğlu"], got["mhm@2025-01-01 Мамедов Али Гасан оглы"]; a == b {
			t.Errorf("%s: cannot-link ignored, both %s", step, a)
		}
		if a, b := got["ipm@2025-01-01 Abbasova Sevinc Vaqif qızı"], got["mhm@2025-01-01 Вагифгызы Севиндж"]; a != b {
			t.Errorf("%s: must-link ignored: %s vs %s", step, a, b)
		}
	}
	check("after the decisions", run())
	// The decisions survive a re-import with the rows shuffled.
	matchImportList(t, s, "ipm", "2025-01-01", []string{"Məmmədov Əli Həsən oğlu", "Abbasova Sevinc Vaqif qızı", "Hüseynov Elvin"},
		[]int{1985, 1990, 1970}, true, true)
	check("after a shuffled re-import", run())
}
