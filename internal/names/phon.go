package names

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Phonemes. A spelling from any route is read into a sequence of
// Azerbaijani Latin lower-case letters (one letter per sound), plus 'γ' for
// a Russian Г, which may stand for Azerbaijani q, g, ğ or h. Keys and the
// comparison work on these sequences.
const gamma = 'γ'

func isVowel(r rune) bool {
	switch r {
	case 'a', 'e', 'ə', 'i', 'ı', 'o', 'ö', 'u', 'ü':
		return true
	}
	return false
}

// vowel classes as they surface in ASCII (used so that the rules below see
// ə and a, ı and i, ö and o, ü and u alike; this keeps keys idempotent).
func isA(r rune) bool { return r == 'a' || r == 'ə' }
func isI(r rune) bool { return r == 'i' || r == 'ı' }
func isO(r rune) bool { return r == 'o' || r == 'ö' }
func isU(r rune) bool { return r == 'u' || r == 'ü' }
func isCons(r rune) bool {
	return r != ' ' && !isVowel(r) && r != 'y'
}

// Latin letters outside Azerbaijani that turn up in other romanisations.
var latinFold = map[rune]rune{
	'ä': 'ə', 'ǝ': 'ə', 'ă': 'ə', 'á': 'a', 'à': 'a', 'â': 'a', 'ã': 'a', 'å': 'a', 'ā': 'a',
	'é': 'e', 'è': 'e', 'ê': 'e', 'ë': 'e', 'ė': 'e', 'ē': 'e', 'ě': 'e',
	'í': 'i', 'ì': 'i', 'î': 'i', 'ï': 'i', 'ī': 'i',
	'ó': 'o', 'ò': 'o', 'ô': 'o', 'õ': 'o', 'ō': 'o', 'ȯ': 'ö', 'ø': 'ö',
	'ú': 'u', 'ù': 'u', 'û': 'u', 'ū': 'u', 'ů': 'ü',
	'ñ': 'n', 'ń': 'n', 'č': 'ç', 'ć': 'ç', 'š': 'ş', 'ś': 'ş', 'ž': 'j', 'ź': 'z', 'ż': 'z',
	'ġ': 'g', 'ḣ': 'h', 'ẏ': 'y', 'w': 'v', 'ß': 's', 'ł': 'l', 'ř': 'r', 'ý': 'y', 'ÿ': 'y',
	'ţ': 't', 'ț': 't',
}

// Cyrillic letters to phonemes. Azerbaijani Cyrillic (1958–91) is read with
// the BGN/PCGN table (г = q); Russian with an Azerbaijani-aware table
// (г = γ, х = x, ы = ı). Context-dependent letters (е ё ю я) are handled in
// cyrPhonemes.
var cyrSimple = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'д': "d", 'ж': "j", 'з': "z", 'и': "i", 'й': "y",
	'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s",
	'т': "t", 'у': "u", 'ф': "f", 'х': "x", 'ц': "ts", 'ч': "ç", 'ш': "ş", 'щ': "şç",
	'ы': "ı", 'э': "e", 'ә': "ə", 'ғ': "ğ", 'ҝ': "g", 'ј': "y", 'ҹ': "c", 'һ': "h",
	'ө': "ö", 'ү': "ü", 'ҷ': "c", 'қ': "g", 'і': "i", 'ї': "yi", 'ґ': "g", 'џ': "c",
	'ђ': "c", 'ћ': "ç", 'љ': "l", 'њ': "n", 'ў': "u", 'ѕ': "z",
}

func cyrVowel(r rune) bool {
	switch r {
	case 'а', 'е', 'ё', 'и', 'о', 'у', 'ы', 'э', 'ю', 'я', 'ә', 'ө', 'ү', 'і', 'є', 'ї':
		return true
	}
	return false
}

// cyrPhonemes reads a lower-case Cyrillic word. az selects the Azerbaijani
// Cyrillic reading of г (q) instead of the Russian one (γ).
func cyrPhonemes(dst []rune, w string, az bool) []rune {
	prev := rune(0) // previous Cyrillic letter (0 at start; ь/ъ count as a break)
	rs := []rune(w)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		afterCons := prev != 0 && !cyrVowel(prev) && prev != 'ь' && prev != 'ъ'
		switch r {
		case 'г':
			if az {
				dst = append(dst, 'q')
			} else {
				dst = append(dst, gamma)
			}
		case 'д':
			if i+1 < len(rs) && rs[i+1] == 'ж' {
				dst = append(dst, 'c')
				i++
				r = 'ж'
			} else {
				dst = append(dst, 'd')
			}
		case 'е', 'є':
			if afterCons {
				dst = append(dst, 'e')
			} else {
				dst = append(dst, 'y', 'e')
			}
		case 'ё':
			if afterCons {
				dst = append(dst, 'ö')
			} else {
				dst = append(dst, 'y', 'o')
			}
		case 'ю':
			if afterCons {
				dst = append(dst, 'ü')
			} else {
				dst = append(dst, 'y', 'u')
			}
		case 'я':
			dst = append(dst, 'y', 'a')
		case 'ь', 'ъ', '\'', '’':
		default:
			if s, ok := cyrSimple[r]; ok {
				for _, c := range s {
					dst = append(dst, c)
				}
			} else if unicode.IsLetter(r) {
				dst = append(dst, unicode.ToLower(r))
			} else {
				continue
			}
		}
		prev = r
	}
	return dst
}

// latPhonemes reads a lower-case Latin word. English digraphs (kh sh ch gh
// zh dzh dj) are read as single sounds. ascii says the word is plain ASCII
// (English or Azerbaijani typed without its letters): then j is the English
// j (= Azerbaijani c); in Azerbaijani Latin j stays j (zh).
func latPhonemes(dst []rune, w string, ascii bool) []rune {
	n := len(w)
	for i := 0; i < n; {
		c := w[i]
		if c >= utf8.RuneSelf {
			r, sz := utf8.DecodeRuneInString(w[i:])
			i += sz
			if f, ok := latinFold[r]; ok {
				r = f
			}
			if isCyr(r) {
				dst = cyrPhonemes(dst, string(r), false)
				continue
			}
			if unicode.IsLetter(r) {
				dst = append(dst, r)
			}
			continue
		}
		next := byte(0)
		if i+1 < n {
			next = w[i+1]
		}
		switch {
		case c == 'd' && next == 'z' && i+2 < n && w[i+2] == 'h':
			dst = append(dst, 'c')
			i += 3
			continue
		case c == 'd' && next == 'j':
			dst = append(dst, 'c')
			i += 2
			continue
		case next == 'h' && (c == 'k' || c == 's' || c == 'c' || c == 'g' || c == 'z'):
			dst = append(dst, digraphH(c))
			i += 2
			continue
		case c == 'j':
			if ascii {
				dst = append(dst, 'c')
			} else {
				dst = append(dst, 'j')
			}
		case c == 'w':
			dst = append(dst, 'v')
		case c >= 'a' && c <= 'z':
			dst = append(dst, rune(c))
		}
		i++
	}
	return dst
}

// post applies the spelling alternations that every route shares, so that
// -iyev/-iev, Teimur/Teymur, Pyunkhan/Pünhan, Babaly/Babalı read alike.
func post(p []rune) []rune {
	// d + c / d + zh / d + z + h → c (dzh, dj read as one sound).
	out := p[:0]
	for i := 0; i < len(p); i++ {
		r := p[i]
		if r == 'd' && i+1 < len(p) && (p[i+1] == 'c' || p[i+1] == 'j') {
			r = 'c'
			i++
		} else if r == 'd' && i+2 < len(p) && p[i+1] == 'z' && p[i+2] == 'h' {
			r = 'c'
			i += 2
		}
		if r == 'c' {
			for len(out) > 0 && out[len(out)-1] == 'd' {
				out = out[:len(out)-1]
			}
		}
		out = append(out, r)
	}
	p = out
	// i/ı/y + u after a consonant → ü, y + o → ö (Pyunkhan, Giulnara, Gyozal); o+u → u.
	out = p[:0]
	for i := 0; i < len(p); i++ {
		r := p[i]
		if i > 0 && isCons(p[i-1]) && i+1 < len(p) && ((isI(r) || r == 'y') && isU(p[i+1]) || r == 'y' && isO(p[i+1])) {
			if isU(p[i+1]) {
				out = append(out, 'ü')
			} else {
				out = append(out, 'ö')
			}
			i++
			continue
		}
		if isO(r) && i+1 < len(p) && isU(p[i+1]) {
			out = append(out, p[i+1])
			i++
			continue
		}
		out = append(out, r)
	}
	p = out
	// i/ı after a vowel → y (Teimur, Guseinov, Ismailov);
	// i/ı before a, ə after a consonant, at the start or after i → y (Iagublu, Nigiar, Ulviia).
	for i := 0; i < len(p); i++ {
		if !isI(p[i]) {
			continue
		}
		if i > 0 && isVowel(p[i-1]) && !isI(p[i-1]) {
			p[i] = 'y'
			continue
		}
		if i+1 < len(p) && isA(p[i+1]) && (i == 0 || isCons(p[i-1]) || isI(p[i-1])) {
			p[i] = 'y'
		}
	}
	// y not next to a vowel → ı (Babaly, Gasymov, Mukhtarly).
	for i := 0; i < len(p); i++ {
		if p[i] != 'y' {
			continue
		}
		prevV := i > 0 && (isVowel(p[i-1]) || p[i-1] == 'y')
		nextV := i+1 < len(p) && (isVowel(p[i+1]) || p[i+1] == 'y')
		if !prevV && !nextV {
			p[i] = 'ı'
		}
	}
	// a, ə, i, ı + e → insert y (Aliev → Aliyev, Mustafaeva → Mustafayeva).
	for i := 0; i+1 < len(p); i++ {
		if (isA(p[i]) || isI(p[i])) && p[i+1] == 'e' {
			p = append(p, 0)
			copy(p[i+2:], p[i+1:])
			p[i+1] = 'y'
			i++
		}
	}
	return p
}

// word is the phonemic reading of one printed word.
func wordPhonemes(dst []rune, lower, script string) []rune {
	start := len(dst)
	switch script {
	case scriptAzCyrl:
		dst = cyrPhonemes(dst, lower, true)
	case scriptRuCyrl:
		dst = cyrPhonemes(dst, lower, false)
	default:
		dst = latPhonemes(dst, lower, script == scriptLatn)
	}
	p := post(dst[start:])
	return append(dst[:start], p...)
}

// phonemesOf reads a whole string (one or more words) in any script.
func phonemesOf(s string) []rune {
	dst := make([]rune, 0, len(s)+4)
	az := isAzText(s)
	for _, w := range strings.Fields(s) {
		w = trimPunct(w)
		if w == "" {
			continue
		}
		t, script, _ := repair(w)
		if script == scriptLatn && az {
			script = scriptAzLatn
		}
		if len(dst) > 0 {
			dst = append(dst, ' ')
		}
		dst = wordPhonemes(dst, lowerWord(t, az || script == scriptAzLatn), script)
		if len(dst) > 0 && dst[len(dst)-1] == ' ' {
			dst = dst[:len(dst)-1]
		}
	}
	return dst
}

// isAzText reports whether a string contains letters that only Azerbaijani
// (or Turkish) Latin uses, so that Turkish-I casing applies.
func isAzText(s string) bool {
	for _, r := range s {
		if azLatnOnly(r) || r == 'ǝ' || r == 'Ǝ' {
			return true
		}
	}
	return false
}

// renderFine writes phonemes with the 2020 official English table (ə→a,
// ı→i, ö→o, ü→u, ğ→gh, ç→ch, ş→sh, c→j, x→kh, q→g, j→zh).
func renderFine(p []rune) string {
	b := make([]byte, 0, len(p)+4)
	for _, r := range p {
		switch r {
		case 'ə':
			b = append(b, 'a')
		case 'ı':
			b = append(b, 'i')
		case 'ö':
			b = append(b, 'o')
		case 'ü':
			b = append(b, 'u')
		case 'ğ':
			b = append(b, 'g', 'h')
		case 'ç':
			b = append(b, 'c', 'h')
		case 'ş':
			b = append(b, 's', 'h')
		case 'c':
			b = append(b, 'j')
		case 'x':
			b = append(b, 'k', 'h')
		case 'q', gamma:
			b = append(b, 'g')
		case 'j':
			b = append(b, 'z', 'h')
		default:
			if r < utf8.RuneSelf {
				b = append(b, byte(r))
			} else {
				b = utf8.AppendRune(b, r)
			}
		}
	}
	return string(b)
}

// coarse class of a phoneme; 0 means dropped.
func coarseClass(r rune) rune {
	switch r {
	case 'g', 'q', 'ğ', 'k', gamma, 'h', 'x':
		return 'k'
	case 'c', 'j', 'ç':
		return 'j'
	case 's', 'ş':
		return 's'
	case 'd', 't':
		return 't'
	case 'y':
		return 0
	}
	if isVowel(r) {
		return 0
	}
	return r
}

// renderCoarse writes the phonetic skeleton: an initial vowel as "a", then
// consonant classes with vowels, y and repeats dropped; empty words vanish.
func renderCoarse(p []rune) string {
	b := make([]byte, 0, len(p))
	last := rune(0)
	wordStart := true
	for _, r := range p {
		if r == ' ' {
			if len(b) > 0 && b[len(b)-1] != ' ' {
				b = append(b, ' ')
			}
			last, wordStart = 0, true
			continue
		}
		c := coarseClass(r)
		if wordStart && isVowel(r) {
			c = 'a'
		}
		wordStart = false
		if c == 0 || c == last {
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, byte(c))
		} else {
			b = utf8.AppendRune(b, c)
		}
		last = c
	}
	for len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return string(b)
}

// FineKey is the scoring key of a name part: the spelling read through its
// route into Azerbaijani sounds and written with the 2020 official English
// table. "Məmmədov", "Мәммәдов" and "Mammadov" give "mammadov"; "Джафаров",
// "Dzhafarov" and "Cəfərov" give "jafarov". Idempotent.
func FineKey(s string) string {
	k := renderFine(phonemesOf(s))
	// The rules are designed to be stable; re-reading guarantees it.
	for range 4 {
		k2 := renderFine(phonemesOf(k))
		if k2 == k {
			break
		}
		k = k2
	}
	return k
}

// CoarseKey is the blocking key of a name part: a phonetic skeleton that
// folds the alternations of every route (ə/a/e, h/x/kh/Г, q/g/k/ğ, c/j/dzh,
// ş/s, d/t, doubled letters, vowels). "Həsənov" and "Гасанов" give "ksnv".
// Idempotent.
func CoarseKey(s string) string {
	k := renderCoarse(phonemesOf(s))
	for range 3 {
		k2 := renderCoarse(phonemesOf(k))
		if k2 == k {
			break
		}
		k = k2
	}
	return k
}

func digraphH(c byte) rune {
	switch c {
	case 'k':
		return 'x'
	case 's':
		return 'ş'
	case 'c':
		return 'ç'
	case 'g':
		return 'ğ'
	}
	return 'j' // zh
}
