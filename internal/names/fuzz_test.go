package names

import (
	"math"
	"slices"
	"strings"
	"testing"
	"unicode"
)

var fuzzSeeds = []string{
	"Ilgar Eldar oglu MAMMADOV", "Галандаров Мехман Гусейн оглу", "Мәммәдов Әли", "Karimov, Faraj",
	"Xədicə Rövşən qızı İsmayılova", "Ilham Heydarovich Aliyev", "Elmira xanım", "Sevinj Vagifgyzy (Abbasova)",
	"Азəрбајҹан", "ƎLİYEV ǝli", "dzh dj zh kh", "Iagublu Ulviia Shakhriiar", "", " , ", "оглы", "ı İ I i",
}

// Parsing never panics and everything derived from a parse is well formed.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Parse(s)
		_ = Display(n)
		_ = n.BlockingKeys()
		_ = ToLatin(s)
		_ = ToRussian(ToEnglish(s))
		_ = ToAzCyrillic(s)
		m := FromParts(s, s, s)
		c := Compare(n, m)
		if c.Score < 0 || c.Score > 1 || math.IsNaN(c.Score) {
			t.Fatalf("score %v out of [0,1]", c.Score)
		}
	})
}

// Keys are idempotent: a key read again as a name gives itself.
func FuzzKeys(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if k := FineKey(s); FineKey(k) != k {
			t.Fatalf("FineKey(%q) = %q, FineKey of that = %q", s, k, FineKey(k))
		}
		if k := CoarseKey(s); CoarseKey(k) != k {
			t.Fatalf("CoarseKey(%q) = %q, CoarseKey of that = %q", s, k, CoarseKey(k))
		}
	})
}

// Compare is symmetric and in [0,1].
func FuzzCompare(f *testing.F) {
	f.Add("Гасанов Ильхам", "Ilham Hasanov")
	f.Add("Elmaddin Muradov", "Muradli Elmaddin")
	f.Add("Ulvi", "Ulviyya Hasanli Rövşən qızı")
	f.Add("", "x")
	f.Fuzz(func(t *testing.T, a, b string) {
		x, y := Parse(a), Parse(b)
		c1, c2 := Compare(x, y), Compare(y, x)
		if c1.Score < 0 || c1.Score > 1 || math.IsNaN(c1.Score) {
			t.Fatalf("score %v out of [0,1]", c1.Score)
		}
		if c1.Score != c2.Score || c1.Same != c2.Same || !slices.Equal(c1.Rules, c2.Rules) {
			t.Fatalf("not symmetric: %q vs %q: %v/%v %v/%v %v / %v", a, b, c1.Score, c2.Score, c1.Same, c2.Same, c1.Rules, c2.Rules)
		}
	})
}

// nameWord keeps the letters of s, so it can stand as one name word, and
// reports false when it is empty or a word the parser treats specially
// (oğlu, xanım, Mr, Mir...).
func nameWord(s string) (string, bool) {
	w := strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) {
			return r
		}
		return -1
	}, s)
	if w == "" {
		return "", false
	}
	t := newTok(w, isAzText(w))
	if t.kind != kWord || len(t.ph) == 0 {
		return "", false
	}
	if _, g := ruPatronymic(t.ph); g != "" {
		return "", false
	}
	return w, true
}

// The comparison does not depend on the order the parts were printed in.
func FuzzOrder(f *testing.F) {
	f.Add("Məmmədov", "Əli", "Həsən", "Mamedov Ali")
	f.Add("Hasanli", "Ulvi", "", "Ulvi Gasanli")
	f.Add("Nağı", "Vafa", "Tofiq", "Вафа Наги")
	f.Fuzz(func(t *testing.T, s, g, p, other string) {
		s, ok1 := nameWord(s)
		g, ok2 := nameWord(g)
		if !ok1 || !ok2 {
			t.Skip()
		}
		x := Parse(other)
		var orders []string
		if p, ok := nameWord(p); ok {
			orders = []string{s + " " + g + " " + p + " oğlu", g + " " + p + " oğlu " + s}
		} else {
			orders = []string{s + " " + g, g + " " + s}
		}
		c0 := Compare(Parse(orders[0]), x)
		for _, o := range orders[1:] {
			c := Compare(Parse(o), x)
			if math.Abs(c.Score-c0.Score) > 1e-9 || c.Same != c0.Same {
				t.Fatalf("order changes the result: %q → %v %v, %q → %v %v (vs %q)", orders[0], c0.Score, c0.Same, o, c.Score, c.Same, other)
			}
		}
	})
}
