package names

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Lists print a person's other names — a pen name, a maiden or former
// name, the legal name behind a pen name — in brackets or after a phrase
// ("also known as", "псевдоним", "təxəllüsü"). SplitAliases takes them out
// of the name cell, so that the main name is parsed alone and each other
// name can be compared in its own right.

// aliasPhrases introduce an alias in running text, after the main name:
// "Ali Aliyev, also known as Ali Gunesh". Folded: lower case, no
// punctuation but spaces. Longer phrases first.
var aliasPhrases = []string{
	"who goes by the pen name", "who goes by the name", "who goes by", "writing under the pen name",
	"writing as", "also known as", "better known as", "known as", "pen name", "born as", "born", "nee",
	"formerly", "real name", "aka", "alias",
	"известный под псевдонимом", "известная под псевдонимом", "известный как", "известная как",
	"также известный как", "также известная как", "псевдоним", "урожденная", "урожд", "настоящее имя",
	"он же", "она же",
	"təxəllüsü", "təxəllüs", "ləqəbi", "ləqəb", "kimi tanınan", "kimi tanınır", "əsl adı", "digər adı",
}

// phraseFirst holds the first letters of the alias phrases.
var phraseFirst = func() map[rune]bool {
	m := map[rune]bool{}
	for _, ph := range aliasPhrases {
		r, _ := utf8.DecodeRuneInString(ph)
		m[r] = true
	}
	return m
}()

// phraseStarts indexes the alias phrases, as words, by their first word.
var phraseStarts = func() map[string][][]string {
	m := map[string][][]string{}
	for _, ph := range aliasPhrases {
		pw := strings.Fields(ph)
		m[pw[0]] = append(m[pw[0]], pw)
	}
	return m
}()

// notAliasWords, met in a bracket, mark it as a note rather than a name:
// occupations, organisations, places and the like. Folded.
var notAliasWords = map[string]bool{
	"journalist": true, "jurnalist": true, "журналист": true, "журналистка": true, "blogger": true, "bloger": true, "блогер": true,
	"activist": true, "fəal": true, "feal": true, "активист": true, "активистка": true, "poet": true, "şair": true, "поэт": true,
	"writer": true, "yazıçı": true, "писатель": true, "lawyer": true, "vəkil": true, "адвокат": true, "director": true, "direktor": true, "директор": true,
	"editor": true, "redaktor": true, "редактор": true, "reporter": true, "reportyor": true, "репортер": true, "economist": true,
	"iqtisadçı": true, "экономист": true, "imam": true, "имам": true, "teacher": true, "müəllim": true, "учитель": true,
	"media": true, "медиа": true, "tv": true, "тв": true, "news": true, "party": true, "partiya": true, "партия": true, "партии": true,
	"front": true, "cəbhə": true, "фронт": true, "movement": true, "hərəkat": true, "hərəkatı": true, "движение": true,
	"union": true, "ittifaq": true, "союз": true, "group": true, "qrup": true, "группа": true, "case": true, "işi": true, "дело": true,
	"member": true, "üzv": true, "член": true, "chairman": true, "sədr": true, "председатель": true, "deputy": true, "müavin": true,
	"заместитель": true, "head": true, "founder": true, "təsisçi": true, "основатель": true, "released": true, "azad": true,
	"освобожден": true, "освобождена": true, "deceased": true, "died": true, "умер": true, "son": true, "brother": true,
	"qardaşı": true, "брат": true, "wife": true, "husband": true, "жена": true, "муж": true, "father": true, "mother": true,
	"and": true, "və": true, "и": true, "of": true, "the": true, "in": true, "b": true, "д": true, "г": true, "р": true,
	"baku": true, "bakı": true, "баку": true, "ganja": true, "gəncə": true, "гянджа": true, "azerbaijan": true, "azərbaycan": true,
	"азербайджан": true, "ngo": true, "npo": true, "ictimai": true, "общественный": true, "political": true, "siyasi": true, "политический": true,
	"prisoner": true, "məhbus": true, "заключенный": true, "detained": true, "arrested": true, "həbs": true, "арестован": true,
}

// SplitAliases takes the other names of a person out of a name cell: the
// text in brackets and what follows an alias phrase ("also known as",
// "aka", "псевдоним", "известный как", "təxəllüsü" …). It returns the main
// name and the aliases as written (an alias may be a surname alone:
// "Aytaj Ahmadova (Tapdig)"; [ParseForms] completes it). Bracketed text
// that reads as a note — digits, an occupation, an organisation, more than
// four words — is neither kept as an alias nor left in the main name.
func SplitAliases(s string) (main string, aliases []string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	var b strings.Builder
	depth := 0
	var inner strings.Builder
	for _, r := range s {
		switch r {
		case '(', '[', '{':
			if depth == 0 {
				inner.Reset()
			} else {
				inner.WriteRune(' ')
			}
			depth++
			b.WriteRune(' ')
			continue
		case ')', ']', '}':
			if depth > 0 {
				depth--
				if depth == 0 {
					if a := bracketAlias(inner.String()); a != "" {
						aliases = append(aliases, a)
					}
				} else {
					inner.WriteRune(' ')
				}
			}
			b.WriteRune(' ')
			continue
		}
		if depth > 0 {
			inner.WriteRune(r)
		} else {
			b.WriteRune(r)
		}
	}
	if depth > 0 { // an unclosed bracket: its text is still an alias candidate
		if a := bracketAlias(inner.String()); a != "" {
			aliases = append(aliases, a)
		}
	}
	main = strings.Join(strings.Fields(b.String()), " ")
	// An alias phrase in the running text: the main name is before it.
	if before, after, ok := cutPhrase(main); ok {
		main = before
		for _, a := range splitAliasList(after) {
			if a = cleanAlias(a); a != "" {
				aliases = append(aliases, a)
			}
		}
	}
	main = strings.Trim(main, " ,;:-–—")
	if main == "" && len(aliases) > 0 {
		main, aliases = aliases[0], aliases[1:]
	}
	return main, dedupe(aliases, main)
}

// bracketAlias returns the alias in a bracket's text, or "" when the text
// reads as a note.
func bracketAlias(t string) string {
	t = strings.Join(strings.Fields(t), " ")
	if t == "" {
		return ""
	}
	// "(pen name Tapdyg)", "(псевдоним Тапдыг)": drop the lead phrase.
	if _, after, ok := cutLead(t); ok {
		t = after
	}
	return cleanAlias(t)
}

// cleanAlias checks that t reads as a name: one to four words of letters
// (with hyphens, apostrophes and dots of initials), none of them a note
// word, at least one beginning with a capital letter.
func cleanAlias(t string) string {
	t = strings.Trim(strings.Join(strings.Fields(t), " "), " ,;:-–—\"'«»“”")
	if t == "" {
		return ""
	}
	words := strings.Fields(t)
	if len(words) > 4 {
		return ""
	}
	capital := false
	for _, w := range words {
		w = strings.Trim(w, ",;:.\"'«»“”")
		if w == "" {
			continue
		}
		for _, r := range w {
			if unicode.IsDigit(r) {
				return ""
			}
			if !unicode.IsLetter(r) && r != '-' && r != '\'' && r != '’' && r != '.' {
				return ""
			}
		}
		if notAliasWords[foldWord(w)] {
			return ""
		}
		if r := []rune(w)[0]; unicode.IsUpper(r) {
			capital = true
		}
	}
	if !capital {
		return ""
	}
	return t
}

// cutPhrase finds an alias phrase in s (as a whole word sequence) and
// returns the text before and after it.
func cutPhrase(s string) (before, after string, ok bool) {
	words := strings.Fields(s)
	if len(words) < 3 {
		return s, "", false // a phrase needs a name before it and one after
	}
	folded := make([]string, len(words))
	for i := 1; i < len(words)-1; i++ { // a phrase never opens nor ends the cell
		r, _ := utf8.DecodeRuneInString(words[i])
		if !phraseFirst[unicode.ToLower(r)] {
			continue
		}
		if folded[i] == "" {
			for k := i; k < len(words); k++ {
				folded[k] = foldWord(words[k])
			}
		}
		for _, pw := range phraseStarts[folded[i]] {
			if i+len(pw) > len(words) || !equalWords(folded[i:i+len(pw)], pw) {
				continue
			}
			// "born" alone introduces a maiden name only before a capital
			// ("Leyla Yunus, born Islamova"), never a date.
			rest := strings.Join(words[i+len(pw):], " ")
			if rest == "" {
				continue
			}
			return strings.Join(words[:i], " "), rest, true
		}
	}
	return s, "", false
}

// cutLead drops an alias phrase that opens t.
func cutLead(t string) (lead, after string, ok bool) {
	words := strings.Fields(t)
	if len(words) < 2 {
		return "", t, false
	}
	folded := make([]string, len(words))
	for i, w := range words {
		folded[i] = foldWord(w)
	}
	for _, pw := range phraseStarts[folded[0]] {
		if len(pw) < len(words) && equalWords(folded[:len(pw)], pw) {
			return strings.Join(words[:len(pw)], " "), strings.Join(words[len(pw):], " "), true
		}
	}
	return "", t, false
}

// splitAliasList splits "Tapdig, Tapdyg or T. Tapdig" into its names.
func splitAliasList(s string) []string {
	f := func(r rune) bool { return r == ',' || r == ';' || r == '/' }
	var out []string
	for _, part := range strings.FieldsFunc(s, f) {
		out = append(out, splitWordSeq(part, []string{"or", "ya", "или"})...)
	}
	return out
}

func splitWordSeq(s string, seps []string) []string {
	words := strings.Fields(s)
	var out []string
	start := 0
	for i, w := range words {
		for _, sep := range seps {
			if foldWord(w) == sep && i > start {
				out = append(out, strings.Join(words[start:i], " "))
				start = i + 1
			}
		}
	}
	if start < len(words) {
		out = append(out, strings.Join(words[start:], " "))
	}
	return out
}

func equalWords(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// foldWord lower-cases a word (Azerbaijani casing when it looks
// Azerbaijani) and drops punctuation around it and dots inside it.
func foldWord(w string) string {
	w = strings.Trim(w, ",;:.!?\"'«»“”()[]{}-–—")
	w = strings.ReplaceAll(w, ".", "")
	return lowerWord(w, isAzText(w))
}

func dedupe(xs []string, main string) []string {
	var out []string
	seen := map[string]bool{strings.ToLower(main): true}
	for _, x := range xs {
		k := strings.ToLower(x)
		if !seen[k] {
			seen[k] = true
			out = append(out, x)
		}
	}
	return out
}

// ParseForms parses a name cell and the person's other names: the main
// name, then each alias found in the cell (see [SplitAliases]) and each of
// extra (an alias column's values, one name each). An alias of one word is
// read as another surname of the person ("Aytaj Ahmadova (Tapdig)" is
// also Aytaj Tapdig) and completed with the main name's given name and
// patronymic.
func ParseForms(cell string, extra ...string) (main Name, aliases []Name) {
	m, as := SplitAliases(cell)
	for _, e := range extra {
		if e = strings.TrimSpace(e); e != "" {
			as = append(as, e)
		}
	}
	as = dedupe(as, m)
	main = Parse(m)
	if len(as) > 0 {
		main.Cues = append(main.Cues, "other names: "+strings.Join(as, "; "))
	}
	for _, a := range as {
		aliases = append(aliases, parseAlias(a, main))
	}
	return main, aliases
}

// parseAlias parses one alias of a person whose main name is main.
func parseAlias(a string, main Name) Name {
	words, _, _ := splitName(a)
	if len(words) == 1 && (main.GivenRaw != "" || main.PatronymicRaw != "") {
		n := FromParts(words[0], main.GivenRaw, main.PatronymicRaw)
		n.Raw = a
		n.Cues = append(n.Cues[:0:0], "alias of one word read as a surname, with the main name's given name")
		return n
	}
	n := Parse(a)
	n.Cues = append(n.Cues, "alias")
	return n
}
