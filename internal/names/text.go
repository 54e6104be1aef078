package names

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Script labels.
const (
	scriptAzLatn = "az-latn"
	scriptAzCyrl = "az-cyrl"
	scriptRuCyrl = "ru-cyrl"
	scriptLatn   = "latn"
	scriptMixed  = "mixed"
)

// Homoglyph repair tables: letters that look alike in Latin and Cyrillic.
// A token is repaired toward its majority script.
var (
	cyrToLat = map[rune]rune{
		'а': 'a', 'е': 'e', 'о': 'o', 'р': 'p', 'с': 'c', 'х': 'x', 'у': 'y',
		'ә': 'ə', 'Ә': 'Ə', 'ј': 'j', 'Ј': 'J', 'һ': 'h', 'Һ': 'H', 'і': 'i', 'І': 'I',
		'к': 'k', 'ү': 'y', 'Ү': 'Y',
		'А': 'A', 'В': 'B', 'Е': 'E', 'К': 'K', 'М': 'M', 'Н': 'H', 'О': 'O',
		'Р': 'P', 'С': 'C', 'Т': 'T', 'Х': 'X', 'У': 'Y',
	}
	latToCyr = map[rune]rune{
		'a': 'а', 'e': 'е', 'o': 'о', 'p': 'р', 'c': 'с', 'x': 'х', 'y': 'у',
		'ə': 'ә', 'Ə': 'Ә', 'j': 'ј', 'J': 'Ј', 'h': 'һ', 'H': 'Н', 'i': 'и',
		'k': 'к', 'm': 'м', 'A': 'А', 'B': 'В', 'E': 'Е', 'K': 'К', 'M': 'М',
		'O': 'О', 'P': 'Р', 'C': 'С', 'T': 'Т', 'X': 'Х', 'Y': 'У',
	}
)

// azCyrlOnly are letters that occur in Azerbaijani Cyrillic but not in Russian.
func azCyrlOnly(r rune) bool {
	switch r {
	case 'ә', 'Ә', 'ғ', 'Ғ', 'ҝ', 'Ҝ', 'ј', 'Ј', 'ҹ', 'Ҹ', 'һ', 'Һ', 'ө', 'Ө', 'ү', 'Ү', 'ҷ', 'Ҷ', 'қ', 'Қ':
		return true
	}
	return false
}

// azLatnOnly are letters that mark Azerbaijani (or Turkish) Latin text.
func azLatnOnly(r rune) bool {
	switch r {
	case 'ə', 'Ə', 'ğ', 'Ğ', 'ı', 'İ', 'ş', 'Ş', 'ç', 'Ç', 'ö', 'Ö', 'ü', 'Ü', 'ä', 'Ä':
		return true
	}
	return false
}

func isCyr(r rune) bool { return r >= 0x0400 && r <= 0x04FF }

// isLat reports Latin letters (ASCII and Latin extensions used here).
func isLat(r rune) bool {
	return (r < 0x0250 && unicode.IsLetter(r)) || r == 'ə' || r == 'Ə' || r == 'ǝ' || r == 'Ǝ'
}

// repair folds typing variants (Ǝ/ǝ, Ä/ä) and maps homoglyphs toward the
// token's majority script. It returns the repaired word, its script and
// whether anything was changed.
func repair(w string) (string, string, bool) {
	var nLat, nCyr, nAzC, nAzL int
	ascii := true
	for _, r := range w {
		if r >= utf8.RuneSelf {
			ascii = false
		}
		switch {
		case isCyr(r):
			nCyr++
			if azCyrlOnly(r) {
				nAzC++
			}
		case isLat(r):
			nLat++
			if azLatnOnly(r) {
				nAzL++
			}
		}
	}
	if ascii {
		return w, scriptLatn, false
	}
	if hasMarks(w) && !norm.NFC.IsNormalString(w) {
		w = norm.NFC.String(w)
	}
	changed := false
	var b strings.Builder
	b.Grow(len(w))
	toCyr := nCyr > nLat || (nCyr == nLat && nCyr > 0 && nAzL == 0)
	for _, r := range w {
		o := r
		switch r {
		case 'ǝ', 'ä', 'ă':
			o = 'ə'
		case 'Ǝ', 'Ä', 'Ă':
			o = 'Ə'
		}
		if toCyr {
			if c, ok := latToCyr[o]; ok && nLat > 0 {
				o = c
				if r == 'y' && nAzC > 0 {
					o = 'ү'
				}
			}
		} else if nCyr > 0 {
			if c, ok := cyrToLat[o]; ok {
				o = c
			}
		}
		if o != r {
			changed = true
		}
		b.WriteRune(o)
	}
	out := b.String()
	script := scriptLatn
	if toCyr {
		script = scriptRuCyrl
		for _, r := range out {
			if azCyrlOnly(r) {
				script = scriptAzCyrl
				break
			}
		}
	} else {
		for _, r := range out {
			if azLatnOnly(r) {
				script = scriptAzLatn
				break
			}
		}
	}
	return out, script, changed
}

// isAllCaps reports a word of two or more letters with no lower-case letter.
func isAllCaps(w string) bool {
	n := 0
	for _, r := range w {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsUpper(r) {
			n++
		}
	}
	return n >= 2
}

// lowerWord lower-cases a word. With az set (the name is Azerbaijani Latin)
// the Turkish/Azerbaijani I rules apply: İ→i, and I→ı inside all-caps words;
// a capital I opening a mixed-case word is taken as İ, the usual mistype.
func lowerWord(w string, az bool) string {
	ascii := true
	hasUpper := false
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
		if c >= 'A' && c <= 'Z' {
			hasUpper = true
		}
	}
	if ascii && !hasUpper {
		return w
	}
	if !az {
		if ascii {
			return strings.ToLower(w)
		}
		return strings.Map(func(r rune) rune {
			if r == 'İ' {
				return 'i'
			}
			return unicode.ToLower(r)
		}, w)
	}
	caps := isAllCaps(w)
	return strings.Map(func(r rune) rune {
		switch r {
		case 'İ':
			return 'i'
		case 'I':
			if caps {
				return 'ı'
			}
			return 'i'
		}
		return unicode.ToLower(r)
	}, w)
}

// titleWord capitalises a lower-case word with Azerbaijani rules (i→İ) when
// az is set.
func titleWord(w string, az bool) string {
	r, n := utf8.DecodeRuneInString(w)
	if n == 0 {
		return w
	}
	var u rune
	switch {
	case r == 'i' && az:
		u = 'İ'
	default:
		u = unicode.ToUpper(r)
	}
	return string(u) + w[n:]
}

// trimPunct removes punctuation around a word (keeps inner hyphens and apostrophes).
func trimPunct(w string) string {
	return strings.TrimFunc(w, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsMark(r)
	})
}

// hasMarks reports combining marks (the only thing NFC changes in names).
func hasMarks(w string) bool {
	for _, r := range w {
		if r >= 0x0300 && (unicode.Is(unicode.Mn, r) || r >= 0xAC00) {
			return true
		}
	}
	return false
}
