package importer

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// fold normalises text for matching headers, month names and group labels:
// compatibility decomposition with marks stripped (ş→s, ö→o, й→и, ё→е,
// № → "no"), every I-like letter (I, İ, ı) → i, ə/Ə (and the Cyrillic and
// IPA look-alikes) → e, lower case, punctuation → single spaces. '#' is
// kept as a token.
func fold(s string) string { return foldWith(s, 'e') }

// foldA is fold with ə → a (the other way English spellings render it).
func foldA(s string) string { return foldWith(s, 'a') }

func foldWith(s string, schwa rune) string {
	if isPlainLower(s) {
		return strings.Join(strings.Fields(s), " ")
	}
	d := norm.NFKD.String(s)
	var b strings.Builder
	b.Grow(len(d))
	space := true // suppress leading space
	for _, r := range d {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		switch r {
		case 'I', 'ı':
			r = 'i'
		case 'Ə', 'ə', 'Ǝ', 'ǝ':
			r = schwa
		case 'Ә', 'ә':
			r = 'е' // Cyrillic schwa → Cyrillic e
		default:
			r = unicode.ToLower(r)
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '#' {
			b.WriteRune(r)
			space = false
			continue
		}
		if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimRight(b.String(), " ")
}

// isPlainLower reports whether s is ASCII lower-case letters, digits and
// spaces only (nothing for fold to do but collapse spaces).
func isPlainLower(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == ' ') {
			return false
		}
	}
	return true
}

// splitCamel inserts a space at lower→upper transitions ("birthYear" →
// "birth Year"), for JSON keys.
func splitCamel(s string) string {
	var b strings.Builder
	prev := rune(0)
	for _, r := range s {
		if unicode.IsUpper(r) && unicode.IsLower(prev) {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

// squeeze trims s and collapses inner runs of white space (including
// no-break spaces) to one space.
func squeeze(s string) string {
	s = strings.TrimSpace(s)
	if !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) && r != ' ' }) && !strings.Contains(s, "  ") {
		return s
	}
	return strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
}

// trimValue trims white space (including NBSP) and a stray BOM.
func trimValue(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '\uFEFF' })
}
