package estimate

import (
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
)

// table builds a table from counts by pattern name ("a+b").
func table(t testing.TB, lists []string, counts map[string]int) Table {
	t.Helper()
	var pats []Pattern
	names := make([]string, 0, len(counts))
	for name := range counts {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		p := pattern(t, lists, name)
		for range counts[name] {
			pats = append(pats, p)
		}
	}
	tb, err := NewTable(lists, pats)
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

func pattern(t testing.TB, lists []string, name string) Pattern {
	t.Helper()
	var p Pattern
	for _, l := range strings.Split(name, "+") {
		i := slices.Index(lists, l)
		if i < 0 {
			t.Fatalf("pattern %q: no list %q", name, l)
		}
		p |= 1 << uint(i)
	}
	return p
}

// persons turns a table into an Input's lists and persons.
func persons(tb Table) ([]List, []Person) {
	var lists []List
	for _, l := range tb.Lists {
		lists = append(lists, List{Name: l})
	}
	var ps []Person
	for p := 1; p < len(tb.Counts); p++ {
		for n := range tb.Counts[p] {
			var ls []string
			for i, l := range tb.Lists {
				if Pattern(p).Has(i) {
					ls = append(ls, l)
				}
			}
			ps = append(ps, Person{ID: fmt.Sprintf("P-%d-%d", p, n), Lists: ls})
		}
	}
	return lists, ps
}

// benchOverlap is the overlap of the five lists of fixtures/bench as
// `roster match` clusters them (302 persons).
var benchOverlap = map[string]int{
	"azk+fpc+ipm+mhm": 48, "azk+fpc+hrc+ipm+mhm": 45, "azk+ipm+mhm": 25, "fpc+ipm+mhm": 24, "ipm": 17,
	"fpc+hrc+ipm+mhm": 15, "hrc": 12, "fpc": 10, "azk+hrc+ipm+mhm": 10, "fpc+ipm": 9, "azk": 9, "ipm+mhm": 8,
	"hrc+ipm+mhm": 7, "azk+mhm": 7, "mhm": 6, "azk+ipm": 6, "azk+fpc+ipm": 6, "azk+hrc+ipm": 5, "azk+fpc+mhm": 5,
	"azk+fpc+hrc+ipm": 5, "fpc+hrc+mhm": 4, "hrc+ipm": 3, "fpc+hrc": 3, "azk+fpc": 3, "fpc+hrc+ipm": 2,
	"azk+hrc+mhm": 2, "azk+fpc+hrc+mhm": 2, "azk+fpc+hrc": 2, "fpc+mhm": 1, "azk+hrc": 1,
}

var benchLists = []string{"azk", "fpc", "hrc", "ipm", "mhm"}

func TestTable(t *testing.T) {
	tb := table(t, []string{"a", "b", "c"}, map[string]int{"a": 5, "a+b": 3, "b+c": 2, "a+b+c": 1, "c": 4})
	if got, want := tb.Observed(), 15; got != want {
		t.Errorf("Observed = %d, want %d", got, want)
	}
	for i, want := range []int{9, 6, 7} {
		if got := tb.ListTotal(i); got != want {
			t.Errorf("ListTotal(%d) = %d, want %d", i, got, want)
		}
	}
	if got, want := tb.Overlap(0, 1), 4; got != want {
		t.Errorf("Overlap(a, b) = %d, want %d", got, want)
	}
	var got []string
	for _, c := range tb.Cells() {
		got = append(got, fmt.Sprintf("%s=%d", strings.Join(c.Lists, "+"), c.Count))
	}
	want := []string{"a=5", "c=4", "a+b=3", "b+c=2", "a+b+c=1"}
	if !slices.Equal(got, want) {
		t.Errorf("Cells = %v, want %v", got, want)
	}
	if _, err := NewTable([]string{"a"}, []Pattern{2}); err == nil {
		t.Error("NewTable took a pattern outside its lists")
	}
}

// TestTwoListsChapman: with two lists the estimate is Chapman's, exactly,
// and the independence model's maximum-likelihood estimate is
// Lincoln–Petersen's n₁n₂/m.
func TestTwoListsChapman(t *testing.T) {
	for _, c := range []struct{ only1, only2, both int }{
		{40, 30, 20}, {100, 7, 3}, {5, 5, 1}, {120, 80, 60}, {1, 0, 9},
	} {
		tb := table(t, []string{"x", "y"}, map[string]int{"x": c.only1, "y": c.only2, "x+y": c.both})
		lists, ps := persons(tb)
		r, err := Estimate(Input{Lists: lists, Persons: ps})
		if err != nil {
			t.Fatal(err)
		}
		n1, n2, m := c.only1+c.both, c.only2+c.both, c.both
		chapman := float64(n1+1)*float64(n2+1)/float64(m+1) - 1
		if r.Estimate != chapman || r.Chapman != chapman {
			t.Errorf("%+v: Estimate = %v (Chapman %v), want Chapman %v exactly", c, r.Estimate, r.Chapman, chapman)
		}
		if !(r.Lower <= r.Estimate && r.Estimate <= r.Upper) || r.Lower < float64(tb.Observed()) {
			t.Errorf("%+v: interval %v–%v around %v (observed %d)", c, r.Lower, r.Upper, r.Estimate, tb.Observed())
		}
		f, err := FitModel(tb, Model{})
		if c.only1 == 0 || c.only2 == 0 {
			// Lincoln–Petersen puts nobody in the unseen cell: β₀ = −∞.
			if err == nil {
				t.Errorf("%+v: the independence model fitted (unseen %v)", c, f.Unseen)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		lp := float64(n1) * float64(n2) / float64(m)
		if math.Abs(f.Total-lp) > 1e-9*lp {
			t.Errorf("%+v: independence model total %v, want Lincoln–Petersen %v", c, f.Total, lp)
		}
		if len(r.Models) != 1 || r.Models[0].Name != "independence" {
			t.Errorf("%+v: models %+v, want independence alone", c, r.Models)
		}
	}
}

// TestKnownFit checks a fit against values computed by hand: for three
// lists under independence the fitted margins equal the observed ones.
func TestKnownFit(t *testing.T) {
	tb := table(t, []string{"a", "b", "c"}, map[string]int{"a": 30, "b": 25, "c": 20, "a+b": 12, "a+c": 10, "b+c": 8, "a+b+c": 5})
	f, err := FitModel(tb, Model{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		fitted := 0.0
		for p := 1; p < 8; p++ {
			if Pattern(p).Has(i) {
				fitted += f.Fitted[p]
			}
		}
		if math.Abs(fitted-float64(tb.ListTotal(i))) > 1e-8 {
			t.Errorf("list %d: fitted margin %v, observed %d", i, fitted, tb.ListTotal(i))
		}
	}
	if f.Params != 4 || f.Total <= float64(tb.Observed()) {
		t.Errorf("fit %+v", f)
	}
	// All two-way interactions on three lists: saturated on the observed
	// cells, deviance 0, and the unseen count is the classic
	// n₁₁₁·n₁₀₀·n₀₁₀·n₀₀₁ / (n₁₁₀·n₁₀₁·n₀₁₁).
	sat, err := FitModel(tb, Model{Interactions: allInteractions(3)})
	if err != nil {
		t.Fatal(err)
	}
	want := 5.0 * 30 * 25 * 20 / (12 * 10 * 8)
	if math.Abs(sat.Unseen-want) > 1e-8 || math.Abs(sat.Deviance) > 1e-8 {
		t.Errorf("saturated: unseen %v (want %v), deviance %v", sat.Unseen, want, sat.Deviance)
	}
}

func TestExistence(t *testing.T) {
	lists := []string{"a", "b", "c"}
	ab, ac, bc := Interaction{0, 1}, Interaction{0, 2}, Interaction{1, 2}
	cases := []struct {
		name   string
		counts map[string]int
		model  []Interaction
		exists bool
	}{
		{"all cells positive", map[string]int{"a": 9, "b": 8, "c": 7, "a+b": 3, "a+c": 4, "b+c": 2, "a+b+c": 1}, []Interaction{ab, ac, bc}, true},
		{"a and b share nobody: a×b has no estimate", map[string]int{"a": 9, "b": 8, "c": 7, "a+c": 4, "b+c": 2}, []Interaction{ab}, false},
		{"a and b share nobody: independence is fine", map[string]int{"a": 9, "b": 8, "c": 7, "a+c": 4, "b+c": 2}, nil, true},
		{"a inside b: a×b grows for ever", map[string]int{"b": 8, "c": 7, "a+b": 5, "b+c": 2, "a+b+c": 3}, []Interaction{ab}, false},
		// With a inside b, b×c lets the cell "a alone" sink with the unseen
		// cell while every positive cell stays put.
		{"a inside b: b×c has none either", map[string]int{"b": 8, "c": 7, "a+b": 5, "b+c": 2, "a+b+c": 3}, []Interaction{bc}, false},
		{"a inside b: independence is fine", map[string]int{"b": 8, "c": 7, "a+b": 5, "b+c": 2, "a+b+c": 3}, nil, true},
		{"one empty cell, saturated", map[string]int{"a": 9, "b": 8, "c": 7, "a+b": 3, "a+c": 4, "b+c": 2}, []Interaction{ab, ac, bc}, false},
		{"one empty cell, two interactions", map[string]int{"a": 9, "b": 8, "c": 7, "a+b": 3, "a+c": 4, "b+c": 2}, []Interaction{ab, ac}, true},
	}
	for _, c := range cases {
		tb := table(t, lists, c.counts)
		m := Model{Interactions: c.model}
		if got := mleExists(tb, m); got != c.exists {
			t.Errorf("%s: mleExists = %v, want %v", c.name, got, c.exists)
		}
		// Where the estimate does not exist, IRLS does not settle on one:
		// it fails or drives a coefficient towards infinity.
		if !c.exists {
			f, err := FitModel(tb, m)
			if err == nil && maxAbs(f.Coef) < 10 {
				t.Errorf("%s: a finite fit %v where no estimate exists", c.name, f.Coef)
			}
		}
	}
}

func maxAbs(xs []float64) float64 {
	m := 0.0
	for _, x := range xs {
		m = math.Max(m, math.Abs(x))
	}
	return m
}

func TestRefusals(t *testing.T) {
	cases := []struct {
		name   string
		lists  []string
		counts map[string]int
		code   string
		named  []string
	}{
		{"one list", []string{"a"}, map[string]int{"a": 10}, RefuseTooFewLists, nil},
		{"two lists, one empty", []string{"a", "b"}, map[string]int{"a": 10}, RefuseTooFewLists, nil},
		{"two lists sharing nobody", []string{"a", "b"}, map[string]int{"a": 10, "b": 7}, RefuseIsolated, []string{"a"}},
		{"a list sharing nobody", []string{"a", "b", "c"}, map[string]int{"a": 10, "b": 7, "b+c": 5, "c": 4}, RefuseIsolated, []string{"a"}},
	}
	for _, c := range cases {
		tb := table(t, c.lists, c.counts)
		lists, ps := persons(tb)
		r, err := Estimate(Input{Lists: lists, Persons: ps})
		if err != nil {
			t.Fatal(err)
		}
		if r.Refused == nil || r.Refused.Code != c.code {
			t.Errorf("%s: Refused = %+v, want %s", c.name, r.Refused, c.code)
			continue
		}
		if c.named != nil && !slices.Equal(r.Refused.Lists, c.named) {
			t.Errorf("%s: refusal names %v, want %v", c.name, r.Refused.Lists, c.named)
		}
		if r.Estimate != 0 || r.Observed != tb.Observed() {
			t.Errorf("%s: a refused estimate says %v of %d observed", c.name, r.Estimate, r.Observed)
		}
	}
}

func TestEmptyListDropped(t *testing.T) {
	tb := table(t, []string{"a", "b", "c", "d"}, map[string]int{"a": 30, "b": 25, "c": 20, "a+b": 12, "a+c": 10, "b+c": 8, "a+b+c": 5})
	lists, ps := persons(tb)
	r, err := Estimate(Input{Lists: lists, Persons: ps})
	if err != nil {
		t.Fatal(err)
	}
	if r.Refused != nil || r.Table.K() != 3 || !hasWarning(r, WarnEmptyList, "d") {
		t.Errorf("an empty list d: refused %+v, %d lists, warnings %+v", r.Refused, r.Table.K(), r.Warnings)
	}
}

func hasWarning(r Result, code string, lists ...string) bool {
	for _, w := range r.Warnings {
		if w.Code == code && slices.Equal(w.Lists, lists) {
			return true
		}
	}
	return false
}

// TestCopyDetected: a list made by copying most of another is named and
// merged into it.
func TestCopyDetected(t *testing.T) {
	counts := map[string]int{}
	for k, v := range benchOverlap {
		counts[k] = v
	}
	tb := table(t, benchLists, counts)
	lists, ps := persons(tb)
	// "cpy" copies 60 of mhm's persons and adds one of its own.
	lists = append(lists, List{Name: "cpy"})
	n := 0
	for i := range ps {
		if slices.Contains(ps[i].Lists, "mhm") && n < 60 {
			ps[i].Lists = append(ps[i].Lists, "cpy")
			n++
		}
	}
	ps = append(ps, Person{ID: "own", Lists: []string{"cpy"}})
	r, err := Estimate(Input{Lists: lists, Persons: ps})
	if err != nil {
		t.Fatal(err)
	}
	if !hasWarning(r, WarnCopy, "cpy", "mhm") {
		t.Fatalf("warnings %+v lack cpy copying mhm", r.Warnings)
	}
	if r.Table.K() != 5 || slices.Contains(r.Table.Lists, "cpy") || len(r.MergedLists) != 1 {
		t.Errorf("cpy not merged: lists %v, merged %v", r.Table.Lists, r.MergedLists)
	}
	// The real lists of the benchmark copy nobody.
	lists, ps = persons(tb)
	r, _ = Estimate(Input{Lists: lists, Persons: ps})
	for _, w := range r.Warnings {
		if w.Code == WarnCopy {
			t.Errorf("the benchmark lists: %+v", w)
		}
	}
}

func TestBenchEstimate(t *testing.T) {
	tb := table(t, benchLists, benchOverlap)
	lists, ps := persons(tb)
	for _, crit := range Criteria {
		r, err := Estimate(Input{Lists: lists, Persons: ps, Options: Options{Criterion: crit}})
		if err != nil {
			t.Fatal(err)
		}
		if r.Refused != nil {
			t.Fatalf("%s: refused %+v", crit, r.Refused)
		}
		t.Logf("%s: %s, total %.1f (%.1f–%.1f), %d models fitted", crit, r.Model.Name, r.Estimate, r.Lower, r.Upper, r.Fitted)
		if r.Observed != 302 || r.Fitted != 1024 || !(r.Lower < r.Estimate && r.Estimate < r.Upper) {
			t.Errorf("%s: observed %d, fitted %d, interval %v < %v < %v", crit, r.Observed, r.Fitted, r.Lower, r.Estimate, r.Upper)
		}
		chosen := 0
		for _, m := range r.Models {
			if m.Chosen {
				chosen++
				if m.Total != r.Estimate {
					t.Errorf("%s: the chosen model says %v, the estimate %v", crit, m.Total, r.Estimate)
				}
			}
		}
		if chosen != 1 {
			t.Errorf("%s: %d models marked chosen", crit, chosen)
		}
	}
}

// TestDeterministic: the same input and seed give the same result, the
// bootstrap and the link resamples included.
func TestDeterministic(t *testing.T) {
	tb := table(t, benchLists, benchOverlap)
	lists, ps := persons(tb)
	links := []Link{{A: ps[0].ID, B: ps[len(ps)-1].ID, Probability: 0.5}, {A: ps[10].ID, B: ps[200].ID, Probability: 0.7}}
	in := Input{Lists: lists, Persons: ps, Links: links, Options: Options{Interval: Bootstrap, Resamples: 60, LinkResamples: 40, Seed: 7}}
	a, err := Estimate(in)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Estimate(in)
	if a.Links == nil || b.Links == nil || *a.Links != *b.Links {
		t.Errorf("link effects differ: %+v, %+v", a.Links, b.Links)
	}
	a.Links, b.Links = nil, nil
	if fmt.Sprintf("%+v", a) != fmt.Sprintf("%+v", b) {
		t.Errorf("two runs differ:\n%+v\n%+v", a, b)
	}
}

// TestLinkUncertainty: review-band links that join persons lower the
// estimate in the resamples where they hold, and widen the interval.
func TestLinkUncertainty(t *testing.T) {
	lists := []string{"a", "b", "c"}
	tb := table(t, lists, map[string]int{"a": 60, "b": 50, "c": 40, "a+b": 30, "a+c": 25, "b+c": 20, "a+b+c": 15})
	ls, ps := persons(tb)
	// Links between persons on a only and persons on b only: if they are
	// one person each, a and b overlap more.
	var onlyA, onlyB []string
	for _, p := range ps {
		switch strings.Join(p.Lists, "+") {
		case "a":
			onlyA = append(onlyA, p.ID)
		case "b":
			onlyB = append(onlyB, p.ID)
		}
	}
	var links []Link
	for i := range 20 {
		links = append(links, Link{A: onlyA[i], B: onlyB[i], Probability: 0.5})
	}
	// And one between two persons of list a, which can never join.
	links = append(links, Link{A: onlyA[30], B: onlyA[31], Probability: 0.9})
	r, err := Estimate(Input{Lists: ls, Persons: ps, Links: links, Options: Options{Criterion: ByAIC, Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	le := r.Links
	if le == nil || le.Pairs != 21 || le.Resamples != 200 {
		t.Fatalf("links %+v", le)
	}
	if !(le.Low < r.Estimate && le.SD > 0 && le.Share > 0 && le.Share < 1) {
		t.Errorf("links %+v around %v", le, r.Estimate)
	}
	// Joining persons can only lower the estimate here: the interval with
	// links reaches further down and keeps the sampling interval.
	if !(le.Lower < r.Lower && le.Upper >= r.Upper && le.High < r.Estimate) {
		t.Errorf("the interval with links %v–%v (estimates %v–%v) against %v–%v", le.Lower, le.Upper, le.Low, le.High, r.Lower, r.Upper)
	}
}

func TestOptionsCheck(t *testing.T) {
	for _, o := range []Options{{Criterion: "aicc"}, {Interval: "wald"}, {Level: 1.5}} {
		if err := o.Check(); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
	if err := (Options{}).Check(); err != nil {
		t.Error(err)
	}
}

func TestHyperLowerTail(t *testing.T) {
	// cdr and fpp of the demo lists: 40 persons, fpp holds 36, cdr 32, of
	// whom 1 is outside fpp: P(X ≤ 1) = 1,566,873 / 76,904,685.
	if got, want := hyperLowerTail(1, 40, 4, 32), 1566873.0/76904685; math.Abs(got-want) > 1e-12 {
		t.Errorf("hyperLowerTail = %v, want %v", got, want)
	}
	if got := hyperLowerTail(32, 40, 4, 32); math.Abs(got-1) > 1e-12 {
		t.Errorf("the whole tail = %v", got)
	}
}

// TestBenchTruth estimates from the true persons of fixtures/bench (300
// made-up persons, 291 of them on a list): every criterion's interval
// holds 300.
func TestBenchTruth(t *testing.T) {
	f, err := os.Open("../../fixtures/bench/truth.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	on := map[string][]string{}
	for _, r := range rows[1:] { // source,edition,record_ref,person
		if !slices.Contains(on[r[3]], r[0]) {
			on[r[3]] = append(on[r[3]], r[0])
		}
	}
	var ps []Person
	for id, ls := range on {
		ps = append(ps, Person{ID: id, Lists: ls})
	}
	slices.SortFunc(ps, func(a, b Person) int { return strings.Compare(a.ID, b.ID) })
	var lists []List
	for _, l := range benchLists {
		lists = append(lists, List{Name: l})
	}
	for _, c := range Criteria {
		r, err := Estimate(Input{Lists: lists, Persons: ps, Options: Options{Criterion: c}})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d listed, %s: %.1f (%.1f–%.1f)", c, r.Observed, r.Model.Name, r.Estimate, r.Lower, r.Upper)
		if r.Observed != 291 || !(r.Lower <= 300 && 300 <= r.Upper) {
			t.Errorf("%s: %d listed, interval %.1f–%.1f does not hold the 300 persons", c, r.Observed, r.Lower, r.Upper)
		}
	}
}
