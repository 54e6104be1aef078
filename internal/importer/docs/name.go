package docs

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// particles are the lower-case words that belong to a name: patronymic
// markers in the three scripts and a few connectors.
var particles = map[string]bool{
	"oğlu": true, "oglu": true, "oghlu": true, "ogly": true, "oğlı": true, "qızı": true, "qizi": true, "gizi": true, "gyzy": true, "kyzy": true, "kizi": true,
	"оглы": true, "оглу": true, "кызы": true, "гызы": true, "кизи": true,
	"bin": true, "ibn": true, "al": true, "əl": true, "de": true, "van": true, "von": true,
}

var patronymicMarkers = map[string]bool{
	"oğlu": true, "oglu": true, "oghlu": true, "ogly": true, "oğlı": true, "qızı": true, "qizi": true, "gizi": true, "gyzy": true, "kyzy": true, "kizi": true,
	"оглы": true, "оглу": true, "кызы": true, "гызы": true, "кизи": true,
}

const maxNameTokens = 7

// nameToken reports whether w (without trailing punctuation) can be part of
// a personal name: a capitalised word, an initial, or a particle.
func nameToken(w string) bool {
	if w == "" {
		return false
	}
	if particles[strings.ToLower(strings.TrimRight(w, "."))] {
		return true
	}
	r, _ := utf8.DecodeRuneInString(w)
	if !unicode.IsUpper(r) {
		return false
	}
	letters := 0
	for _, r := range w {
		switch {
		case unicode.IsLetter(r) || unicode.Is(unicode.Mn, r):
			letters++
		case r == '-' || r == '\'' || r == '’' || r == 'ʼ' || r == '.':
		default:
			return false
		}
	}
	return letters > 0
}

func hasPatronymic(name string) bool {
	for _, w := range strings.Fields(name) {
		lw := strings.ToLower(w)
		if patronymicMarkers[lw] || strings.HasSuffix(lw, "ovich") || strings.HasSuffix(lw, "ovna") || strings.HasSuffix(lw, "ович") || strings.HasSuffix(lw, "овна") || strings.HasSuffix(lw, "евич") || strings.HasSuffix(lw, "евна") {
			return true
		}
	}
	return false
}

// nameOnly reports whether s is nothing but a name of 2 to 6 words.
func nameOnly(s string) bool {
	name, aka, rest := splitName(s)
	_ = aka
	n := len(strings.Fields(name))
	return name != "" && strings.TrimSpace(rest) == "" && n >= 2 && n <= 6
}

// akaLead are the words that introduce another name of the person, in a
// bracket after the name ("(təxəllüsü Aytən Dalğa)") or right after it
// (", also known as Tural Dəniz"). Lower case; longer phrases first.
var akaLead = []string{
	"who goes by the pen name", "writing under the pen name", "also known as", "better known as", "known as", "pen name",
	"a.k.a.", "aka", "alias",
	"известный под псевдонимом", "известная под псевдонимом", "известный как", "известная как", "известен как",
	"известна как", "псевдоним", "он же", "она же",
	"təxəllüsü", "təxəllüs", "ləqəbi", "kimi tanınan", "digər adı",
}

// cutAkaLead returns s without an akaLead phrase that opens it (and the
// separators before it), and whether there was one.
func cutAkaLead(s string) (string, bool) {
	t := strings.TrimLeft(s, " ,;—–-")
	for _, l := range akaLead {
		n := prefixLen(t, utf8.RuneCountInString(l))
		if !strings.EqualFold(t[:n], l) {
			continue
		}
		if after := t[n:]; after == "" || after[0] == ' ' || after[0] == ':' {
			return strings.TrimLeft(after, " :"), true
		}
	}
	return s, false
}

// prefixLen is the byte length of the first n runes of s (all of s when
// it is shorter).
func prefixLen(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}

// splitName takes the name off the start of an entry's text. It returns the
// name as written (the legal form when another form is given in brackets),
// the other form ("also known as"), and the rest of the text.
//
// Handled: "Məmmədov Əli Həsən oğlu, born ...", "Surname, Given Patronymic
// oğlu, ...", "Surname Given P.", "Фамилия Имя Отчество оглы — журналист",
// "Leyla Yunus (Leyla Islam qızı Yunusova)", "Qasımlı Aytən (təxəllüsü
// Aytən Dalğa)", "Tural Məmmədli, also known as Tural Dəniz, ...".
func splitName(s string) (name, aka, rest string) {
	s = strings.TrimSpace(s)
	s = strings.TrimLeft(s, "*_ ")
	toks, end, stop := nameTokens(s)
	if len(toks) == 0 {
		return "", "", s
	}
	name = strings.Join(toks, " ")
	rest = s[end:]
	// "Surname, Given Patronymic oğlu"
	if len(toks) == 1 && stop == ',' {
		r2 := strings.TrimSpace(rest[1:])
		toks2, end2, _ := nameTokens(r2)
		seg := r2
		if i := strings.IndexAny(r2, ",;(—–"); i >= 0 {
			seg = r2[:i]
		}
		if n := len(toks2); n >= 1 && n <= 4 && strings.TrimSpace(seg) == strings.TrimSpace(r2[:end2]) {
			name = name + ", " + strings.Join(toks2, " ")
			rest = r2[end2:]
			toks = append(toks, toks2...)
		}
	}
	// a trailing full stop is not part of the name unless it ends an initial
	if strings.HasSuffix(name, ".") {
		last := toks[len(toks)-1]
		if utf8.RuneCountInString(last) > 2 {
			name = strings.TrimSuffix(name, ".")
		}
	}
	// bracketed other form of the name, or birth year
	r := strings.TrimSpace(rest)
	if strings.HasPrefix(r, "(") {
		if j := strings.IndexByte(r, ')'); j > 0 {
			inner, led := cutAkaLead(strings.TrimSpace(r[1:j]))
			itoks, iend, _ := nameTokens(inner)
			if (len(itoks) >= 2 || led && len(itoks) == 1) && iend >= len(strings.TrimRight(inner, ".")) {
				other := strings.Join(itoks, " ")
				legalInside := !led && (hasPatronymic(other) && !hasPatronymic(name) ||
					hasPatronymic(other) == hasPatronymic(name) && len(itoks) > len(toks))
				if legalInside {
					name, aka = other, name
				} else {
					aka = other
				}
				rest = r[j+1:]
			}
		}
	}
	// ", also known as Tural Dəniz", "— псевдоним Орхан Дальга"
	if aka == "" {
		if after, ok := cutAkaLead(rest); ok {
			if atoks, aend, _ := nameTokens(after); len(atoks) > 0 {
				aka, rest = strings.Trim(strings.Join(atoks, " "), `"'«»“”`), after[aend:]
			}
		}
	}
	name = strings.Trim(name, `"'«»“” `)
	if name == "" || len([]rune(name)) < 2 {
		return "", "", s
	}
	return name, aka, rest
}

// nameTokens reads name tokens from the start of s. It returns them, the
// byte offset where the name ends, and the punctuation that stopped it (0
// when a non-name word or the end did).
func nameTokens(s string) (toks []string, end int, stop byte) {
	i := 0
	for i < len(s) && len(toks) < maxNameTokens {
		for i < len(s) && s[i] == ' ' {
			i++
		}
		j := i
		for j < len(s) && s[j] != ' ' {
			j++
		}
		w := s[i:j]
		if w == "" {
			break
		}
		trail := byte(0)
		if k := strings.IndexAny(w, ",;:("); k >= 0 {
			if k == 0 {
				return toks, end, w[0]
			}
			trail = w[k]
			w = w[:k]
			j = i + k
		}
		cw := strings.Trim(w, `"«»“”`)
		if !nameToken(cw) || (strings.HasSuffix(cw, ".") && utf8.RuneCountInString(cw) > 2 && len(toks) == 0) {
			return toks, end, 0
		}
		toks = append(toks, cw)
		end = j
		if trail != 0 {
			return toks, end, trail
		}
		// a full stop after a long word ends the name ("... oğlu. Born ...")
		if strings.HasSuffix(cw, ".") && utf8.RuneCountInString(cw) > 2 {
			return toks, end, '.'
		}
		i = j
	}
	return toks, end, 0
}
