package match

import (
	"context"
	"math"
	"testing"

	"github.com/roster-coalition/roster/internal/roster"
)

func TestLevels(t *testing.T) {
	for _, tc := range []struct {
		name string
		got  int
		want int
	}{
		{"birth exact", birthLevel(1985, 1985), 1},
		{"birth off by one", birthLevel(1985, 1986), 2},
		{"birth within 3", birthLevel(1985, 1982), 3},
		{"birth different", birthLevel(1985, 1970), 4},
		{"birth missing", birthLevel(0, 1970), 0},
		{"arrest same day", arrestLevel(parseDate("2024-03-12"), parseDate("2024-03-12")), 1},
		{"arrest same month", arrestLevel(parseDate("2024-03-12"), parseDate("2024-03")), 2},
		{"arrest within a year", arrestLevel(parseDate("2024-03-12"), parseDate("2023-11-02")), 3},
		{"arrest different", arrestLevel(parseDate("2024-03-12"), parseDate("2020-01-01")), 4},
		{"arrest year only", arrestLevel(parseDate("2024"), parseDate("2024-05-01")), 3},
		{"arrest missing", arrestLevel(parseDate(""), parseDate("2024-05-01")), 0},
		{"gender same", genderLevel('m', 'm'), 1},
		{"gender different", genderLevel('m', 'f'), 2},
		{"group different", groupLevel("journalist", "anti-war"), 2},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: level=%d, want %d", tc.name, tc.got, tc.want)
		}
	}
}

func TestCaseLevel(t *testing.T) {
	mk := func(s string) *prepared {
		p := &prepared{}
		p.caseKey, p.caseTok = caseKey(s)
		p.caseSk = caseSkeletons(p.caseTok)
		return p
	}
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"Abzas Media case", "the Abzas Media", 1},
		{"Abzas Media", "Abzas Media journalists", 2},
		{"Abzas Media", "Toplum TV", 3},
		{"", "Toplum TV", 0},
		// one case in three languages and scripts
		{"Ganja case", "Гянджинское дело", 2},
		{"Gəncə işi", "Ganja events", 2},
		{"AbzasMedia", "Abzas Media", 2},
		{"Kanal 13", "Канал-13", 1},
		{"Ganja case", "Tərtər işi", 3},
	} {
		if got := caseLevel(mk(tc.a), mk(tc.b)); got != tc.want {
			t.Errorf("caseLevel(%q, %q)=%d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestCompareNames(t *testing.T) {
	rec := func(name string, by int) roster.Record {
		return roster.Record{Source: "x", Edition: "2025-01-01", Name: name, BirthYear: by}
	}
	for _, tc := range []struct {
		a, b          string
		field, atMost int // the level of field must be at most atMost (1 = exact)
	}{
		{"Məmmədov Əli Həsən oğlu", "Мамедов Али Гасан оглы", FieldSurname, 2},
		{"Məmmədov Əli Həsən oğlu", "Мамедов Али Гасан оглы", FieldGiven, 2},
		{"Məmmədov Əli Həsən oğlu", "Ali MAMMADOV", FieldGiven, 2},
	} {
		ra, rb := rec(tc.a, 1985), rec(tc.b, 1985)
		na, nb := ParseName(ra).Prepared(), ParseName(rb).Prepared()
		a, b := prepare(ra, &na, 0), prepare(rb, &nb, 1)
		g, _, _ := compare(&a, &b)
		if l := g.level(tc.field); l == 0 || l > tc.atMost {
			t.Errorf("%q vs %q: %s level %s, want at most %s", tc.a, tc.b, FieldNames[tc.field], LevelName(tc.field, l),
				LevelName(tc.field, tc.atMost))
		}
	}
}

func TestFingerprint(t *testing.T) {
	a := roster.Record{Source: "ipm", Edition: "2025-01-01", Ref: "1", Row: 1, Name: "Məmmədov Əli Həsən oğlu", BirthYear: 1985}
	b := a
	b.Edition, b.Ref, b.Row, b.ID = "2025-06-01", "17", 17, 99
	if Fingerprint(a) != Fingerprint(b) {
		t.Errorf("fingerprint changed with edition/ref/row: %s vs %s", Fingerprint(a), Fingerprint(b))
	}
	c := a
	c.Name, c.Surname, c.Given, c.Patronymic = "", "Məmmədov", "Əli", "Həsən oğlu"
	if Fingerprint(a) != Fingerprint(c) {
		t.Errorf("fingerprint differs between full name and split columns: %s vs %s", Fingerprint(a), Fingerprint(c))
	}
	d := a
	d.BirthYear = 1986
	e := a
	e.Source = "cdr"
	if Fingerprint(a) == Fingerprint(d) || Fingerprint(a) == Fingerprint(e) {
		t.Errorf("fingerprint ignores birth year or source")
	}
}

// TestEMConverges draws comparison vectors from a known model and checks
// that EM recovers its m probabilities and the share of matches.
func TestEMConverges(t *testing.T) {
	var u [NumFields][]float64
	for f := range u {
		u[f] = append([]float64(nil), priorU[f]...)
	}
	trueM := [NumFields][]float64{
		FieldSurname:    {0, .5, .3, .1, .05, .05},
		FieldGiven:      {0, .6, .3, .05, .05},
		FieldPatronymic: {0, .5, .3, .1, .1},
		FieldBirthYear:  {0, .9, .05, .03, .02},
		FieldGender:     {0, .98, .02},
		FieldGroup:      {0, .85, .15},
		FieldCase:       {0, .7, .2, .1},
		FieldArrest:     {0, .6, .2, .1, .1},
	}
	blockedU := u
	blockedU[FieldSurname] = []float64{0, .3, .3, .2, .1, .1}
	blockedU[FieldGiven] = []float64{0, .1, .1, .1, .7}
	blockedU[FieldPatronymic] = []float64{0, .05, .05, .1, .8}
	const n, lambda = 20000, 0.3
	// Deterministic "sampling": lay out the expected counts.
	draw := func(p []float64, x float64) int {
		for l := 1; l < len(p); l++ {
			x -= p[l]
			if x < 0 {
				return l
			}
		}
		return len(p) - 1
	}
	var gs []gamma
	for k := 0; k < n; k++ {
		match := float64(k) < lambda*n
		var g gamma
		for f := 0; f < NumFields; f++ {
			x := math.Mod(float64(k)*0.6180339887*float64(f+1)+0.1*float64(f), 1)
			if match {
				g.set(f, draw(trueM[f], x))
			} else {
				g.set(f, draw(blockedU[f], x))
			}
		}
		gs = append(gs, g)
	}
	m := estimate(patterns(gs), u, n)
	if !m.Converged {
		t.Fatalf("EM did not converge in %d iterations", m.Iterations)
	}
	if math.Abs(m.BlockLambda-lambda) > 0.05 {
		t.Errorf("blocked lambda=%.3f, want about %.2f", m.BlockLambda, lambda)
	}
	for _, f := range []int{FieldBirthYear, FieldSurname} {
		if got, want := m.M[f][1], trueM[f][1]; math.Abs(got-want) > 0.08 {
			t.Errorf("m[%s][exact]=%.3f, want about %.2f", FieldNames[f], got, want)
		}
	}
}

func TestEMDoesNotRunAway(t *testing.T) {
	var u [NumFields][]float64
	for f := range u {
		u[f] = append([]float64(nil), priorU[f]...)
	}
	// Every pair identical: EM must stay within its clamps.
	var g gamma
	for f := 0; f < NumFields; f++ {
		g.set(f, 1)
	}
	m := estimate(patterns([]gamma{g, g, g}), u, 3)
	if m.BlockLambda > 0.9 || m.BlockLambda < 1e-4 {
		t.Errorf("lambda=%v outside its clamps", m.BlockLambda)
	}
	for f := 0; f < NumFields; f++ {
		for l := 1; l < len(m.M[f]); l++ {
			if m.M[f][l] < probFloor/2 || math.IsNaN(m.M[f][l]) {
				t.Errorf("m[%d][%d]=%v", f, l, m.M[f][l])
			}
		}
	}
}

func TestTFAdjustment(t *testing.T) {
	if tfAdjust(0.01, 0.1) >= 0 {
		t.Errorf("a common name (10%%) should weigh less than the reference (1%%)")
	}
	if tfAdjust(0.01, 0.001) <= 0 {
		t.Errorf("a rare name should weigh more")
	}
	// End to end: two identical pairs of records, one with the commonest
	// surname, one with a rare one.
	recs, _ := genRecords(300, 1)
	add := func(name string) (int, int) {
		i := len(recs)
		recs = append(recs, roster.Record{Source: "p", Edition: "2025-01-01", Ref: name + "1", Name: name, BirthYear: 1980},
			roster.Record{Source: "q", Edition: "2025-01-01", Ref: name + "2", Name: name, BirthYear: 1980})
		return i, i + 1
	}
	ca, cb := add("Məmmədov Elvin")
	ra, rb := add("Vaqifqızı Elvin")
	m := New(recs, Config{Workers: 1})
	if _, err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	wc, _ := m.Score(ca, cb)
	wr, _ := m.Score(ra, rb)
	if !(wc < wr) {
		t.Errorf("common surname weight %.2f should be below rare surname weight %.2f", wc, wr)
	}
	ex := m.Explain(ca, cb)
	if ex.Fields[FieldSurname].TF >= 0 {
		t.Errorf("Məmmədov TF adjustment=%.2f, want negative", ex.Fields[FieldSurname].TF)
	}
}

// TestAccuracyOnGenerated checks blocking recall and the link decisions
// on generated lists.
func TestAccuracyOnGenerated(t *testing.T) {
	recs, truth := genRecords(400, 2)
	m := New(recs, Config{})
	res, err := m.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.Stats.PairsCompared*20 > res.Stats.AllPairs {
		t.Errorf("blocking kept %d of %d pairs", res.Stats.PairsCompared, res.Stats.AllPairs)
	}
	var tp, fp, fn int
	linked := map[[2]int]bool{}
	for _, p := range res.Pairs {
		if p.Probability >= DefaultLinkThreshold {
			linked[[2]int{p.A, p.B}] = true
			if truth[p.A] == truth[p.B] {
				tp++
			} else {
				fp++
			}
		}
	}
	for i := range recs {
		for j := i + 1; j < len(recs); j++ {
			if truth[i] == truth[j] && !linked[[2]int{i, j}] {
				fn++
			}
		}
	}
	prec := float64(tp) / float64(tp+fp)
	rec := float64(tp) / float64(tp+fn)
	t.Logf("records %d, pairs compared %d of %d, links: precision %.4f recall %.4f", len(recs), res.Stats.PairsCompared,
		res.Stats.AllPairs, prec, rec)
	// The generator is namesake-heavy on purpose (few name parts, Zipf
	// frequencies); this guards against regressions, the accuracy target
	// is measured with roster synth + roster eval.
	if prec < 0.95 || rec < 0.85 {
		t.Errorf("precision %.4f recall %.4f", prec, rec)
	}
}

func BenchmarkMatch10k(b *testing.B) {
	recs, _ := genRecords(3400, 3)
	b.ReportMetric(float64(len(recs)), "records")
	for b.Loop() {
		m := New(recs, Config{})
		if _, err := m.Run(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}

func TestRounded(t *testing.T) {
	e := Explanation{Prior: -13.615296785108612, Weight: 3.7428512924145645, Probability: 0.9304968632628414, NameScore: 0.9349999999999999,
		Fields: []FieldWeight{{M: 0.21458466481616642, U: 0.007390438247011953, Weight: 4.8597432505289655, TF: -0.36180564052818664}}}
	r := e.Rounded()
	f := r.Fields[0]
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"prior", r.Prior, -13.6153}, {"weight", r.Weight, 3.7429}, {"probability", r.Probability, 0.930497},
		{"name score", r.NameScore, 0.935}, {"m", f.M, 0.2146}, {"u", f.U, 0.00739}, {"field weight", f.Weight, 4.8597},
		{"tf", f.TF, -0.3618},
	} {
		if c.got != c.want {
			t.Errorf("%s: %v, want %v", c.name, c.got, c.want)
		}
	}
	if e.Fields[0].M != 0.21458466481616642 {
		t.Error("Rounded changed the original")
	}
}
