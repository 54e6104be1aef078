package names

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Azerbaijani Cyrillic (1958–91) → Azerbaijani Latin, BGN/PCGN 1993. Old
// letters (й ҷ қ э ю я ё ц щ) are read as the 1939–58 alphabet used them.
var azCyrLat = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "q", 'ғ': "ğ", 'д': "d", 'е': "e", 'ә': "ə",
	'ж': "j", 'з': "z", 'и': "i", 'ы': "ı", 'ј': "y", 'к': "k", 'ҝ': "g", 'л': "l",
	'м': "m", 'н': "n", 'о': "o", 'ө': "ö", 'п': "p", 'р': "r", 'с': "s", 'т': "t",
	'у': "u", 'ү': "ü", 'ф': "f", 'х': "x", 'һ': "h", 'ч': "ç", 'ҹ': "c", 'ш': "ş",
	'й': "y", 'ҷ': "c", 'қ': "g", 'э': "e", 'ю': "yu", 'я': "ya", 'ё': "yo", 'ц': "ts",
	'щ': "şç", 'ъ': "", 'ь': "", 'і': "i",
}

// Azerbaijani Latin → Azerbaijani Cyrillic (the inverse of azCyrLat on the
// 1958–91 letters; lossless).
var azLatCyr = map[rune]rune{
	'a': 'а', 'b': 'б', 'c': 'ҹ', 'ç': 'ч', 'd': 'д', 'e': 'е', 'ə': 'ә', 'f': 'ф',
	'g': 'ҝ', 'ğ': 'ғ', 'h': 'һ', 'x': 'х', 'ı': 'ы', 'i': 'и', 'j': 'ж', 'k': 'к',
	'q': 'г', 'l': 'л', 'm': 'м', 'n': 'н', 'o': 'о', 'ö': 'ө', 'p': 'п', 'r': 'р',
	's': 'с', 'ş': 'ш', 't': 'т', 'u': 'у', 'ü': 'ү', 'v': 'в', 'y': 'ј', 'z': 'з',
}

// casePattern of a word: 0 lower, 1 title, 2 all caps.
func casePattern(w string) int {
	if isAllCaps(w) {
		return 2
	}
	r, _ := utf8.DecodeRuneInString(w)
	if unicode.IsUpper(r) {
		return 1
	}
	return 0
}

func applyCase(lower string, pat int, az bool) string {
	switch pat {
	case 1:
		return titleWord(lower, az)
	case 2:
		if az {
			return strings.ToUpperSpecial(unicode.AzeriCase, lower)
		}
		return strings.ToUpper(lower)
	}
	return lower
}

// ruToLatin reads a lower-case Russian word into Azerbaijani Latin, best
// effort. Russian spellings of Azerbaijani names are many-to-one (Г is q, g,
// ğ or h; Х is x or h; е is e or ə), so Гасанов gives "Qasanov", not
// Həsənov: the traditional forms are not derivable letter by letter. The
// comparison does not depend on this reconstruction.
func ruToLatin(w string) string {
	rs := []rune(w)
	var b strings.Builder
	vowel := func(r rune) bool { return cyrVowel(r) }
	for i, r := range rs {
		var prev, next rune
		if i > 0 {
			prev = rs[i-1]
		}
		if i+1 < len(rs) {
			next = rs[i+1]
		}
		afterCons := prev != 0 && !vowel(prev) && prev != 'ь' && prev != 'ъ'
		switch r {
		case 'г':
			switch next {
			case 'е', 'и', 'ю', 'я', 'ё', 'ь', 'э':
				b.WriteString("g")
			default:
				b.WriteString("q")
			}
		case 'д':
			if next == 'ж' {
				b.WriteString("c")
			} else {
				b.WriteString("d")
			}
		case 'ж':
			if prev != 'д' {
				b.WriteString("j")
			}
		case 'е':
			if afterCons {
				b.WriteString("e")
			} else {
				b.WriteString("ye")
			}
		case 'ё':
			if afterCons {
				b.WriteString("ö")
			} else {
				b.WriteString("yo")
			}
		case 'ю':
			if afterCons {
				b.WriteString("ü")
			} else {
				b.WriteString("yu")
			}
		case 'я':
			if afterCons && (prev == 'г' || prev == 'к' || prev == 'л') {
				b.WriteString("ə")
			} else {
				b.WriteString("ya")
			}
		default:
			if s, ok := azCyrLat[r]; ok {
				b.WriteString(s)
			} else if s, ok := cyrSimple[r]; ok {
				b.WriteString(s)
			} else {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

func azCyrToLatin(w string) string {
	var b strings.Builder
	for _, r := range w {
		if s, ok := azCyrLat[r]; ok {
			b.WriteString(s)
		} else if s, ok := cyrSimple[r]; ok {
			b.WriteString(s)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// wordToLatin converts one repaired word of a known script.
func wordToLatin(text, script string, az bool) string {
	pat := casePattern(text)
	switch script {
	case scriptAzCyrl:
		return applyCase(azCyrToLatin(strings.ToLower(text)), pat, true)
	case scriptRuCyrl:
		return applyCase(ruToLatin(strings.ToLower(text)), pat, true)
	}
	az = az || script == scriptAzLatn
	return applyCase(lowerWord(text, az), pat, az)
}

// ToLatin converts any script to Azerbaijani Latin, best effort: Azerbaijani
// Cyrillic losslessly (BGN/PCGN 1993), Russian Cyrillic by reversing the
// practical transcription letter by letter (Гасанов → Qasanov, Гусейнов → Quseynov;
// traditional forms cannot be derived), Latin kept as
// written with homoglyphs repaired (Cyrillic Һ/Ј/Х in a Latin word, Ǝ/ǝ for
// Ə/ə). Word case is kept (title, all caps, lower).
func ToLatin(s string) string {
	az := isAzText(s)
	var b strings.Builder
	i := 0
	for i < len(s) {
		j := i
		for j < len(s) {
			r, sz := utf8.DecodeRuneInString(s[j:])
			if !(unicode.IsLetter(r) || unicode.IsMark(r)) {
				break
			}
			j += sz
		}
		if j > i {
			t, script, _ := repair(s[i:j])
			b.WriteString(wordToLatin(t, script, az))
			i = j
			continue
		}
		_, sz := utf8.DecodeRuneInString(s[i:])
		b.WriteString(s[i : i+sz])
		i += sz
	}
	return b.String()
}

// ToEnglish writes Azerbaijani Latin with the 2020 official English table
// (Cabinet of Ministers Resolution 498): ə→a, ı→i, ö→o, ü→u, ğ→gh, ç→ch,
// ş→sh, c→j, x→kh, q→g, j→zh. Case is kept.
func ToEnglish(azLatin string) string {
	var b strings.Builder
	rs := []rune(azLatin)
	for i, r := range rs {
		lower := unicode.ToLower(r)
		if r == 'İ' {
			lower = 'i'
		}
		upper := r != lower
		var s string
		switch lower {
		case 'ə', 'ä':
			s = "a"
		case 'ı', 'i':
			s = "i"
		case 'ö':
			s = "o"
		case 'ü':
			s = "u"
		case 'ğ':
			s = "gh"
		case 'ç':
			s = "ch"
		case 'ş':
			s = "sh"
		case 'c':
			s = "j"
		case 'x':
			s = "kh"
		case 'q':
			s = "g"
		case 'j':
			s = "zh"
		default:
			b.WriteRune(r)
			continue
		}
		if upper {
			nextUpper := i+1 < len(rs) && unicode.IsUpper(rs[i+1])
			prevUpper := i > 0 && unicode.IsUpper(rs[i-1])
			if nextUpper || (prevUpper && (i+1 == len(rs) || !unicode.IsLetter(rs[i+1]))) {
				s = strings.ToUpper(s)
			} else {
				s = strings.ToUpper(s[:1]) + s[1:]
			}
		}
		b.WriteString(s)
	}
	return b.String()
}

// ToRussian writes Azerbaijani Latin in Russian practical transcription
// (ru.wikipedia rules): ə → а word-initially and after c ç f h x j q ş, я
// after g k l, е after other consonants; h → г word-initially (as in
// established names: Гасан, Гусейн), х elsewhere; q, ğ → г; c → дж;
// ı → ы (и after c ç j ş y); ö, ü → о, у initially and ё, ю after
// consonants; l → ль before a consonant after a front vowel; y + vowel →
// я ю е ё; -yev → -ев. Traditional forms (Мамедов for Məmmədov, Мехтиев)
// are not produced; doubled letters are kept. Case is kept.
func ToRussian(azLatin string) string {
	var b strings.Builder
	for i, w := range splitKeep(azLatin) {
		_ = i
		if w == "" {
			continue
		}
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsLetter(r) {
			b.WriteString(w)
			continue
		}
		pat := casePattern(w)
		b.WriteString(applyCase(wordToRussian([]rune(lowerWord(w, true))), pat, false))
	}
	return b.String()
}

// splitKeep splits s into alternating runs of letters and non-letters.
func splitKeep(s string) []string {
	var out []string
	start := 0
	inWord := false
	for i, r := range s {
		l := unicode.IsLetter(r) || unicode.IsMark(r) || r == '\''
		if i == 0 {
			inWord = l
			continue
		}
		if l != inWord {
			out = append(out, s[start:i])
			start = i
			inWord = l
		}
	}
	return append(out, s[start:])
}

func frontVowel(r rune) bool {
	switch r {
	case 'e', 'i', 'ö', 'ü', 'ə':
		return true
	}
	return false
}

func wordToRussian(w []rune) string {
	var b strings.Builder
	for i := 0; i < len(w); i++ {
		r := w[i]
		var prev, next rune
		if i > 0 {
			prev = w[i-1]
		}
		if i+1 < len(w) {
			next = w[i+1]
		}
		afterCons := prev != 0 && !isVowel(prev)
		switch r {
		case 'a':
			b.WriteString("а")
		case 'b':
			b.WriteString("б")
		case 'c':
			b.WriteString("дж")
		case 'ç':
			b.WriteString("ч")
		case 'd':
			b.WriteString("д")
		case 'e':
			if i == 0 {
				b.WriteString("э")
			} else {
				b.WriteString("е")
			}
		case 'ə':
			switch {
			case i == 0 || !afterCons:
				b.WriteString("а")
			case strings.ContainsRune("cçfhxjqş", prev):
				b.WriteString("а")
			case strings.ContainsRune("gkl", prev):
				b.WriteString("я")
			default:
				b.WriteString("е")
			}
		case 'f':
			b.WriteString("ф")
		case 'g', 'ğ', 'q':
			b.WriteString("г")
		case 'h':
			if i == 0 {
				b.WriteString("г")
			} else {
				b.WriteString("х")
			}
		case 'x':
			b.WriteString("х")
		case 'ı':
			if strings.ContainsRune("cçjşy", prev) && prev != 0 {
				b.WriteString("и")
			} else {
				b.WriteString("ы")
			}
		case 'i':
			b.WriteString("и")
		case 'j':
			b.WriteString("ж")
		case 'k':
			b.WriteString("к")
		case 'l':
			if next != 0 && !isVowel(next) && next != 'y' && frontVowel(prev) {
				b.WriteString("ль")
			} else {
				b.WriteString("л")
			}
		case 'm':
			b.WriteString("м")
		case 'n':
			b.WriteString("н")
		case 'o':
			b.WriteString("о")
		case 'ö':
			if afterCons {
				b.WriteString("ё")
			} else {
				b.WriteString("о")
			}
		case 'p':
			b.WriteString("п")
		case 'r':
			b.WriteString("р")
		case 's':
			b.WriteString("с")
		case 'ş':
			b.WriteString("ш")
		case 't':
			b.WriteString("т")
		case 'u':
			b.WriteString("у")
		case 'ü':
			if afterCons {
				b.WriteString("ю")
			} else {
				b.WriteString("у")
			}
		case 'v':
			b.WriteString("в")
		case 'y':
			switch next {
			case 'a', 'ə':
				b.WriteString("я")
				i++
			case 'u', 'ü':
				b.WriteString("ю")
				i++
			case 'e':
				b.WriteString("е")
				i++
			case 'o', 'ö':
				b.WriteString("ё")
				i++
			default:
				b.WriteString("й")
			}
		case 'z':
			b.WriteString("з")
		case '\'', '’':
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ToAzCyrillic writes Azerbaijani Latin in the 1958–91 Azerbaijani Cyrillic
// alphabet (lossless; the inverse of ToLatin on Azerbaijani Cyrillic).
func ToAzCyrillic(azLatin string) string {
	var b strings.Builder
	for _, w := range splitKeep(azLatin) {
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsLetter(r) {
			b.WriteString(w)
			continue
		}
		pat := casePattern(w)
		var c strings.Builder
		for _, r := range lowerWord(w, true) {
			if o, ok := azLatCyr[r]; ok {
				c.WriteRune(o)
			} else {
				c.WriteRune(r)
			}
		}
		b.WriteString(applyCase(c.String(), pat, false))
	}
	return b.String()
}

// Display writes the name as "Surname Given Patronymic oğlu/qızı" in
// Azerbaijani Latin, with Azerbaijani capitalisation (İ for i).
func Display(n Name) string {
	parts := make([]string, 0, 4)
	if n.Surname != "" {
		parts = append(parts, n.Surname)
	}
	if n.Given != "" {
		parts = append(parts, n.Given)
	}
	if n.Patronymic != "" {
		parts = append(parts, n.Patronymic)
		switch n.Gender {
		case "m":
			parts = append(parts, "oğlu")
		case "f":
			parts = append(parts, "qızı")
		}
	}
	return strings.Join(parts, " ")
}
