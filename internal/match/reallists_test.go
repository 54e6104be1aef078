package match

import (
	"context"
	"fmt"
	"testing"

	"github.com/roster-coalition/roster/internal/roster"
)

// What real lists do to names and facts, on made-up people: a slip, an
// alias, an initial, facts that disagree, names and nothing else.

// realLists builds lists of the given names (one list per column) for the
// persons of rows; an empty cell leaves the person off that list.
func realLists(rows [][]string, fill func(list int, r *roster.Record)) []roster.Record {
	var out []roster.Record
	for l := range rows[0] {
		for p, row := range rows {
			if row[l] == "" {
				continue
			}
			r := roster.Record{Source: fmt.Sprintf("l%d", l+1), Edition: "2025-01-01", Ref: fmt.Sprint(p + 1), Name: row[l]}
			if fill != nil {
				fill(l, &r)
			}
			out = append(out, r)
		}
	}
	return out
}

// filler makes distinct made-up persons, so that the lists have a
// realistic size and the model something to estimate from.
func filler(n int) [][]string {
	given := []string{"Rauf", "Vüsal", "Elşən", "Nigar", "Orxan", "Səbinə", "Tural", "Lalə", "Kamran", "Aynur", "Fuad", "Günel"}
	sur := []string{"Qasımlı", "Nəsirov", "Bağırova", "Talıbov", "Əkbərli", "Sadıqova", "Zeynallı", "Rüstəmova", "Hüseynli", "Məlikova", "Şirinov", "Abdullayeva", "Kazımlı", "Hacıyeva"}
	var rows [][]string
	for i := range n {
		g, s := given[i%len(given)], sur[(i*5+i/len(given))%len(sur)]
		rows = append(rows, []string{g + " " + s, s + " " + g})
	}
	return rows
}

func runPairs(t *testing.T, recs []roster.Record) (*Matcher, map[[2]string]Pair) {
	t.Helper()
	m := New(recs, Config{Workers: 1})
	res, err := m.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	by := map[[2]string]Pair{}
	for _, p := range res.Pairs {
		a, b := recs[p.A].Name, recs[p.B].Name
		by[[2]string{a, b}], by[[2]string{b, a}] = p, p
	}
	return m, by
}

func TestRealListHabits(t *testing.T) {
	special := [][]string{
		{"Rəşad Tahirov", "Rashad Tairov"},                 // h dropped: one letter off
		{"Nərmin Qasımova (Nərmin Sahil)", "Narmin Sahil"}, // a pen name in brackets
		{"Tofiq Kəlbəliyev", "T.Kalbaliyev"},               // an initial
		{"Fəxri Rzayev", "Fakhri Vidadi oglu Rzayev"},      // facts that disagree (below)
		{"Aytən Məmmədova", "Ayten Mammadova, also known as Ayten Ay"},
	}
	rows := append(filler(60), special...)
	recs := realLists(rows, func(l int, r *roster.Record) {
		switch r.Name {
		case "Fəxri Rzayev":
			r.Group, r.Case, r.ArrestDate = "opposition", "Musavat", "2023-12-14"
		case "Fakhri Vidadi oglu Rzayev":
			r.Group, r.Case, r.ArrestDate = "journalist", "Toplum TV", "2015-02-04"
		}
	})
	m, pairs := runPairs(t, recs)
	review := m.Config().ReviewThreshold
	for _, sp := range special {
		p, ok := pairs[[2]string{sp[0], sp[1]}]
		if !ok {
			t.Errorf("%q and %q were never compared", sp[0], sp[1])
			continue
		}
		if p.Probability < review {
			t.Errorf("%q and %q: probability %.3f, below review (%.2f)", sp[0], sp[1], p.Probability, review)
		}
	}
	// The alias met, and the explanation says which names met.
	ia, ib := -1, -1
	for i, r := range recs {
		switch r.Name {
		case "Nərmin Qasımova (Nərmin Sahil)":
			ia = i
		case "Narmin Sahil":
			ib = i
		}
	}
	ex := m.Explain(ia, ib)
	if ex.FormA != "Nərmin Sahil" || ex.FormB != "" {
		t.Errorf("alias that met: A %q, B %q", ex.FormA, ex.FormB)
	}
	if ex.Probability < m.Config().LinkThreshold {
		t.Errorf("pen name pair: probability %.3f, want a link", ex.Probability)
	}
}

// Disagreement on group, case and arrest date lowers a pair the names
// agree on, but never below the review threshold.
func TestAttributesAreNoVeto(t *testing.T) {
	rows := append(filler(40), []string{"Fəxri Rzayev", "Fakhri Rzayev"})
	recs := realLists(rows, func(l int, r *roster.Record) {
		if r.Name == "Fəxri Rzayev" {
			r.Group, r.Case, r.ArrestDate = "opposition", "Musavat", "2023-12-14"
		}
		if r.Name == "Fakhri Rzayev" {
			r.Group, r.Case, r.ArrestDate = "religious", "Nardaran", "2015-02-04"
		}
	})
	m, pairs := runPairs(t, recs)
	p := pairs[[2]string{"Fəxri Rzayev", "Fakhri Rzayev"}]
	if p.Probability < m.Config().ReviewThreshold {
		t.Fatalf("whole-name agreement with every fact disagreeing: probability %.3f, below review", p.Probability)
	}
	// With a model in which the facts disagree at a heavy cost (as EM
	// finds on lists where one person always has one group and one case),
	// the bound holds the pair in review and the explanation shows it.
	mod := m.Model()
	for _, f := range []int{FieldGroup, FieldCase, FieldArrest} {
		mod.M[f] = append([]float64(nil), mod.M[f]...)
		last := len(mod.M[f]) - 1
		mod.M[f][1] += mod.M[f][last] - 0.001
		mod.M[f][last] = 0.001
	}
	heavy := New(recs, Config{Workers: 1, Model: &mod})
	if _, err := heavy.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	for i, r := range recs {
		if r.Name != "Fəxri Rzayev" {
			continue
		}
		for j, s := range recs {
			if s.Name == "Fakhri Rzayev" {
				ex := heavy.Explain(i, j)
				if ex.Bounded <= 0 || ex.Probability < heavy.Config().ReviewThreshold {
					t.Errorf("heavy disagreement: bounded %+.2f bits, probability %.3f; want a bound and review", ex.Bounded, ex.Probability)
				}
			}
		}
	}
	// The bound itself.
	if got := boundAttributes(3, -10, -1); got != -3.75 {
		t.Errorf("boundAttributes(3, -10, -1) = %v, want -3.75 (down to the review floor plus the margin)", got)
	}
	if got := boundAttributes(-2, -10, -1); got != -10 {
		t.Errorf("boundAttributes below the floor = %v, want -10 (no bound needed)", got)
	}
	if got := boundAttributes(3, 2, -1); got != 2 {
		t.Errorf("boundAttributes of an agreement = %v, want 2", got)
	}
}

// Names-only lists: a name unique in both lists links without review; two
// persons of one list who share a name send the pair to review.
func TestNamesOnlyOneToOne(t *testing.T) {
	rows := filler(48)
	rows = append(rows, []string{"Zaur Əlizadə", "Alizade Zaur"})
	recs := realLists(rows, nil)
	// A namesake in the second list only.
	recs = append(recs, roster.Record{Source: "l2", Edition: "2025-01-01", Ref: "x", Name: "Alizade Zaur"})
	m, pairs := runPairs(t, recs)
	link := m.Config().LinkThreshold
	var uniqueLinked, unique int
	var namesake []float64
	for _, row := range rows[:48] {
		unique++
		if p, ok := pairs[[2]string{row[0], row[1]}]; ok && p.Probability >= link {
			uniqueLinked++
		}
	}
	for k, p := range pairs {
		if k[0] == "Zaur Əlizadə" && k[1] == "Alizade Zaur" {
			namesake = append(namesake, p.Probability)
		}
	}
	if uniqueLinked < unique*95/100 {
		t.Errorf("names-only lists: %d of %d unique names linked", uniqueLinked, unique)
	}
	if len(namesake) == 0 {
		t.Fatal("the namesakes were not compared")
	}
	for _, p := range namesake {
		if p >= link {
			t.Errorf("a name two records of one list share was linked (p=%.3f); want review", p)
		}
	}
}

// The exact posterior of a small group of competing pairs: a record whose
// rival candidate has a better partner of its own is not held back by it.
func TestExactMarginals(t *testing.T) {
	pairs := []Pair{{A: 0, B: 2}, {A: 0, B: 3}, {A: 1, B: 3}}
	ratio := []float64{100, 10, 100}
	cross := []int32{0, 1, 2}
	prob := make([]float64, 3)
	var ex exactScratch
	ex.marginals(pairs, cross, []int32{0, 1, 2}, ratio, 1, prob)
	// Matchings: {}, {02}, {03}, {13}, {02,13}: weights 1, 100, 10, 100, 10000.
	z := 1.0 + 100 + 10 + 100 + 10000
	want := []float64{(100 + 10000) / z, 10 / z, (100 + 10000) / z}
	for i := range want {
		if d := prob[i] - want[i]; d > 1e-12 || d < -1e-12 {
			t.Errorf("pair %d: %.6f, want %.6f", i, prob[i], want[i])
		}
	}
}
