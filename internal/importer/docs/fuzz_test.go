package docs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/roster-coalition/roster/internal/roster"
)

// FuzzParseText: the text-list parser never panics, every entry has a name,
// and every entry's line is a line of the input.
func FuzzParseText(f *testing.F) {
	for _, s := range []string{
		"Group No. 1 – journalists and bloggers (27)\n1. Məmmədov Əli Həsən oğlu, born 1985, arrested 12.03.2024\n",
		"E. Religious activists\na. \"Freedom for Hijab\" protest (5 October 2012)\n1. Aa Bb\n",
		"17. Elvin Rauf oglu Quliyev\nDate of arrest: 12 March 2024\nCharge: 234.4.3, 228.1\nCase background: born in 1988, sentenced to 9 years\n",
		"Раздел 2. Верующие\n1. Гасымов Вугар Эльман оглы — журналист, арестован 12.03.2024, 1984 г.р.\nВсего: 3\n",
		"I. Jurnalistlər (1)\n1. Zeynalov, Cavid Elman oğlu (b. 1981), 9 il həbs\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
		"1. Aysel Tağıyeva (Aysel Vüqar qızı Tağıyeva)\r\n2.\r\n3) \u00a0x\n",
		"1. Nəsirov Elçin, həbs tarixi 02.10.2021\nHəbs edilib 3 noyabr 2022-ci il, Bakı\n2. Qasımlı Aytən (təxəllüsü Aytən Dalğa)\n",
		"Məmmədli Tural\nTəxəllüsü: Tural Dəniz\nSaxlanılıb 2021\n\n3. Гасанлы Орхан — известный как Орхан Дальга, also known as\n",
	} {
		f.Add(s)
	}
	if b, err := os.ReadFile(filepath.Join("..", "..", "..", "fixtures", "docs", "az-list.txt")); err == nil {
		f.Add(string(b))
	}
	f.Fuzz(func(t *testing.T, s string) {
		d := ParseText(s)
		n := len(splitLines(s))
		for i, e := range d.Entries {
			if strings.TrimSpace(e.Fields[roster.FieldName]) == "" {
				t.Fatalf("entry %d has no name: %+v", i, e)
			}
			if e.Line < 1 || e.Line > n {
				t.Fatalf("entry %d line %d outside 1..%d", i, e.Line, n)
			}
			if e.Row != i+1 {
				t.Fatalf("entry %d has Row %d", i, e.Row)
			}
		}
		for _, h := range d.Headings {
			if h.Line < 1 || h.Line > n || (h.Level != 1 && h.Level != 2) {
				t.Fatalf("bad heading %+v", h)
			}
		}
		for _, u := range d.Unplaced {
			if u.Line < 1 || u.Line > n {
				t.Fatalf("unplaced line %d outside 1..%d", u.Line, n)
			}
		}
		if utf8.ValidString(s) {
			for _, e := range d.Entries {
				for k, v := range e.Fields {
					if !utf8.ValidString(v) {
						t.Fatalf("field %s not valid UTF-8: %q", k, v)
					}
				}
			}
		}
	})
}
