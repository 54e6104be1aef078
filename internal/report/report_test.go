package report

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/roster-coalition/roster/internal/estimate"
	"github.com/roster-coalition/roster/internal/i18n"
	"github.com/roster-coalition/roster/internal/review"
	"github.com/roster-coalition/roster/internal/roster"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// sample is a small made-up registry: three lists, 64 persons.
func sample(t *testing.T, lang i18n.Lang) Input {
	t.Helper()
	counts := map[string]int{"a": 14, "b": 11, "c": 9, "a+b": 9, "a+c": 7, "b+c": 5, "a+b+c": 9}
	lists := []estimate.List{{Name: "a", Edition: "2025-06-01"}, {Name: "b", Edition: "2025-05-15"}, {Name: "c", Edition: "2025-04-01"}}
	var ps []estimate.Person
	var persons []Person
	n := 0
	for _, pat := range []string{"a", "b", "c", "a+b", "a+c", "b+c", "a+b+c"} {
		for range counts[pat] {
			n++
			id := fmt.Sprintf("P-%06d", n)
			on := strings.Split(pat, "+")
			ps = append(ps, estimate.Person{ID: id, Lists: on})
			g := roster.Groups[n%3]
			persons = append(persons, Person{ID: id, Name: fmt.Sprintf("Məmmədov Əli %d", n), NameRU: fmt.Sprintf("Мамедов Али %d", n),
				NameEN: fmt.Sprintf("Mammadov Ali %d", n), Spellings: []string{fmt.Sprintf("Мамедов Али %d", n), fmt.Sprintf("Mamedov Ali %d", n)},
				Groups: []string{g}, Lists: on})
		}
	}
	links := []estimate.Link{{A: "P-000001", B: "P-000015", Probability: 0.6}, {A: "P-000002", B: "P-000016", Probability: 0.4}}
	est, err := estimate.Estimate(estimate.Input{Lists: lists, Persons: ps, Links: links, Options: estimate.Options{Seed: 1, LinkResamples: 50}})
	if err != nil {
		t.Fatal(err)
	}
	small, err := estimate.Estimate(estimate.Input{Lists: lists, Persons: ps[:6], Options: estimate.Options{Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	tally := review.Tally{Sources: []string{"a", "b", "c"}, Editions: map[string]string{"a": "2025-06-01", "b": "2025-05-15", "c": "2025-04-01"},
		Clustered: true, Rows: []review.TallyRow{
			{Group: roster.GroupReligious, BySource: map[string]int{"a": 13, "b": 11, "c": 0}, Registry: 21, Gaps: []string{"c"}},
			{Group: roster.GroupOpposition, BySource: map[string]int{"a": 13, "b": 12, "c": 10}, Registry: 22},
			{Group: roster.GroupJournalist, BySource: map[string]int{"a": 13, "b": 11, "c": 20}, Registry: 21},
			{Group: "total", BySource: map[string]int{"a": 39, "b": 34, "c": 30}, Registry: 64},
		}}
	return Input{Lang: lang, AsOf: "2026-01-15", Persons: persons,
		Former: []Person{{ID: "P-000099", Name: "Quliyev Fərid Tahir oğlu", NameRU: "Гулиев Фарид Тахир оглу", NameEN: "Guliyev Farid Tahir oghlu"}},
		Sources: []Source{
			{Slug: "a", Title: "Monitoring A", Edition: "2025-06-01", Earlier: []string{"2025-02-01"}, Records: 39, Persons: 39, Editions: 2},
			{Slug: "b", Edition: "2025-05-15", Records: 34, Persons: 34, Editions: 1},
			{Slug: "c", Edition: "2025-04-01", Records: 30, Persons: 30, Editions: 1},
		},
		Tally: tally,
		Changes: []review.Diff{{Source: "a", From: "2025-02-01", To: "2025-06-01", Kept: 37,
			Added:   []review.DiffEntry{{ID: "P-000001", PersonID: "P-000001"}, {ID: "P-000002", PersonID: "P-000002"}},
			Removed: []review.DiffEntry{{ID: "P-000099", PersonID: "P-000099"}}}},
		Estimate: est,
		Groups:   []GroupEstimate{{Group: roster.GroupReligious, Result: est}, {Group: roster.GroupJournalist, Result: small}},
	}
}

// TestGolden compares the report of a small made-up registry with the
// golden files (go test ./internal/report -update rewrites them), and
// checks that every message is there and formatted in each language.
func TestGolden(t *testing.T) {
	for _, l := range i18n.Langs {
		var buf bytes.Buffer
		if err := Write(&buf, sample(t, l)); err != nil {
			t.Fatal(err)
		}
		got := buf.Bytes()
		if m := regexp.MustCompile(`\[(report|estimate|group|format|month|lang)\.[a-z.-]+\]|%!`).Find(got); m != nil {
			t.Errorf("%s: a missing message or a bad format: %s", l, m)
		}
		var again bytes.Buffer
		if err := Write(&again, sample(t, l)); err != nil || !bytes.Equal(again.Bytes(), got) {
			t.Errorf("%s: two writes of one input differ", l)
		}
		path := filepath.Join("testdata", "report-"+string(l)+".golden.html")
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: the report differs from %s (go test ./internal/report -update, then read the diff)", l, path)
		}
	}
}

// TestNamesInScript: each language shows the name in its script, with
// the lists' spellings beside it, and the changes name former persons.
func TestNamesInScript(t *testing.T) {
	want := map[i18n.Lang][2]string{
		i18n.Azerbaijani: {"<td>Məmmədov Əli 1</td><td class=\"muted\">Mamedov Ali 1; Мамедов Али 1</td>", "Quliyev Fərid Tahir oğlu (P-000099)"},
		i18n.Russian:     {"<td>Мамедов Али 1</td><td class=\"muted\">Mamedov Ali 1</td>", "Гулиев Фарид Тахир оглу (P-000099)"},
		i18n.English:     {"<td>Mammadov Ali 1</td><td class=\"muted\">Mamedov Ali 1; Мамедов Али 1</td>", "Guliyev Farid Tahir oghlu (P-000099)"},
	}
	for l, w := range want {
		var buf bytes.Buffer
		if err := Write(&buf, sample(t, l)); err != nil {
			t.Fatal(err)
		}
		for _, s := range w {
			if !strings.Contains(buf.String(), s) {
				t.Errorf("%s: the report lacks %s", l, s)
			}
		}
	}
}
