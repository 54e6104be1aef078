package names

import (
	"strings"
	"testing"
)

// rulesAfter is the tie-break between the two crosswise readings of a
// name: it must order two part scores exactly as their rendered rules,
// joined by "|", would sort (the comparison it replaced, which built the
// strings for every tie).
func TestRulesAfterSortsAsTheRenderedRules(t *testing.T) {
	words := []string{"Məmmədov", "Мамедов", "Mammadov", "MAMEDOV", "Mamedova", "Məmmədli", "Həsənov", "Гасанов", "Hasanov",
		"Gasanov", "Həsənova", "Гусейнова", "Huseynova", "Guseynova", "Əli", "Али", "Ali", "Alı", "Rəşad", "Рашад", "Rashad",
		"Cəfərov", "Джафаров", "Jafarov", "Dzhafarov", "Cafarov", "Tofiq", "Тофик", "Tofik", "Toffiq", "Zaur", "Заур",
		"Quliyev", "Гулиев", "Guliyev", "Kuliev", "Leyla", "Лейла", "Leila", "Nigar", "Нигяр", "Nigyar", "T.", "Г.", "H."}
	var scores []pscore
	sc := &scratch{}
	for _, a := range words {
		for _, b := range words {
			pa, pb := newPart('s', a, ""), newPart('s', b, "")
			if pa.empty() || pb.empty() {
				continue
			}
			scores = append(scores, compareSurname(sc, pa, pb))
		}
	}
	if len(scores) < 1000 {
		t.Fatalf("only %d scores", len(scores))
	}
	differ := 0
	for i := 0; i < len(scores); i += 7 {
		for j := 0; j < len(scores); j += 11 {
			x, y := &scores[i], &scores[j]
			want := strings.Join(x.render().Rules, "|") > strings.Join(y.render().Rules, "|")
			if got := sc.rulesAfter(x, y); got != want {
				t.Fatalf("rulesAfter(%q, %q) = %v, want %v", x.render().Rules, y.render().Rules, got, want)
			}
			if want {
				differ++
			}
		}
	}
	if differ == 0 {
		t.Fatal("no pair of scores sorts apart: the test compares nothing")
	}
}
