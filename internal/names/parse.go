package names

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

type tokKind int

const (
	kWord    tokKind = iota
	kMarkerM         // oğlu, oglu, ogly, оглы, оглу
	kMarkerF         // qızı, gizi, kyzy, кызы, гызы
	kHonPost         // xanım, bəy, müəllim (after a given name)
	kHonPre          // hacı, kərbəlayi, məşədi, cənab (before a name)
	kTitle           // Mr, Mrs, Dr (always dropped when a name remains)
	kPrefix          // Mir, Seyid: part of the next name
	kInitial         // a single letter: T. (Tofiq), M. (the father's name)
)

type ptok struct {
	raw    string // as printed, punctuation trimmed
	text   string // homoglyphs repaired
	script string
	caps   bool
	ph     []rune
	fine   string
	kind   tokKind
	gender string // for markers
}

var markerM = map[string]bool{"oglu": true, "oghlu": true, "ogli": true, "oghli": true, "ogl": true, "ogly": true}
var markerF = map[string]bool{"gizi": true, "kizi": true, "gyzy": true, "kyzy": true}

var honPost = map[string]string{
	"khanim": "xanım", "khanum": "xanım", "hanim": "xanım", "hanum": "xanım", "khanym": "xanım",
	"bay": "bəy", "bey": "bəy", "bek": "bəy", "beg": "bəy",
	"muallim": "müəllim", "mualim": "müəllim", "muallima": "müəllimə",
}
var honPre = map[string]string{
	"haji": "hacı", "hajji": "hacı", "gaji": "hacı", "haci": "hacı",
	"karbalayi": "kərbəlayi", "kerbalay": "kərbəlayi", "karbalay": "kərbəlayi", "kerbalayi": "kərbəlayi",
	"mashadi": "məşədi", "meshadi": "məşədi", "mashhadi": "məşədi",
	"janab": "cənab",
}

// titles are dropped from a name when a name remains: forms of address,
// academic titles and the occupations lists print before a name
// ("journalist Ali Aliyev", "Dr. Ali Aliyev"). Lower case, no dot.
var titles = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "miss": true, "dr": true, "prof": true, "g-n": true, "gn": true, "gzha": true,
	"г-н": true, "г-жа": true, "гн": true, "д-р": true, "проф": true, "doctor": true, "professor": true, "dos": true, "dosent": true,
	"journalist": true, "jurnalist": true, "журналист": true, "журналистка": true, "blogger": true, "bloger": true, "блогер": true,
	"activist": true, "aktivist": true, "активист": true, "активистка": true, "poet": true, "şair": true, "поэт": true,
	"lawyer": true, "vəkil": true, "адвокат": true, "economist": true, "iqtisadçı": true, "экономист": true,
	"writer": true, "yazıçı": true, "писатель": true, "theologian": true, "ilahiyyatçı": true, "богослов": true,
	"reporter": true, "reportyor": true, "репортер": true, "репортёр": true, "editor": true, "redaktor": true, "редактор": true,
	"opposition": true, "müxalifətçi": true, "оппозиционер": true, "scholar": true, "researcher": true, "tədqiqatçı": true,
	"исследователь": true, "politician": true, "siyasətçi": true, "политик": true, "student": true, "tələbə": true, "студент": true,
}

// titleKeys are the fine keys of the titles: a cheap first test.
var titleKeys = func() map[string]bool {
	m := map[string]bool{}
	for t := range titles {
		m[FineKey(t)] = true
	}
	return m
}()

var prefixes = map[string]bool{"mir": true, "seyid": true, "seyyid": true, "sayyid": true, "sayid": true, "seid": true, "seyd": true}

// Russian-style patronymic endings, as phonemes (ovich/evich/ovna/evna).
func ruPatronymic(p []rune) (stem int, gender string) {
	n := len(p)
	if n >= 7 && p[n-1] == 'ç' && isI(p[n-2]) && p[n-3] == 'v' && (p[n-4] == 'o' || p[n-4] == 'e') {
		k := 4
		if p[n-4] == 'e' && p[n-5] == 'y' {
			k = 5
		}
		return n - k, "m"
	}
	if n >= 7 && p[n-1] == 'a' && p[n-2] == 'n' && p[n-3] == 'v' && (p[n-4] == 'o' || p[n-4] == 'e') {
		k := 4
		if p[n-4] == 'e' && p[n-5] == 'y' {
			k = 5
		}
		return n - k, "f"
	}
	return -1, ""
}

// stripRuPatronymic removes -ovich/-ovna style endings from a printed word.
func stripRuPatronymic(w string) string {
	l := strings.ToLower(w)
	for _, suf := range []string{"ovich", "evich", "yevich", "ovna", "evna", "yevna", "ович", "евич", "овна", "евна", "oviç", "eviç"} {
		if strings.HasSuffix(l, suf) && len(l) > len(suf) {
			return w[:len(w)-len(suf)]
		}
	}
	return w
}

func newTok(w string, az bool) ptok {
	t := ptok{raw: w}
	text, script, _ := repair(w)
	if script == scriptLatn && az {
		script = scriptAzLatn
	}
	t.text, t.script = text, script
	t.caps = isAllCaps(text)
	lower := lowerWord(text, az || script == scriptAzLatn)
	t.ph = wordPhonemes(make([]rune, 0, len(lower)+2), lower, script)
	t.fine = renderFine(t.ph)
	switch {
	case markerM[t.fine]:
		t.kind, t.gender = kMarkerM, "m"
	case markerF[t.fine]:
		t.kind, t.gender = kMarkerF, "f"
	case honPost[t.fine] != "":
		t.kind = kHonPost
	case honPre[t.fine] != "":
		t.kind = kHonPre
	case titleKeys[t.fine] && titles[strings.ToLower(strings.TrimRight(t.text, "."))]:
		t.kind = kTitle
	case utf8.RuneCountInString(t.text) == 1:
		t.kind = kInitial
		t.text += "."
	case prefixes[t.fine]:
		t.kind = kPrefix
	}
	return t
}

// splitName cuts a printed name into words, noting where the first comma
// fell (number of words before it; -1 when none) and dropping anything in
// brackets.
func splitName(s string) (words []string, comma int, dropped string) {
	comma = -1
	if strings.ContainsAny(s, "([") {
		var b, d strings.Builder
		depth := 0
		for _, r := range s {
			switch r {
			case '(', '[':
				depth++
				b.WriteRune(' ')
				continue
			case ')', ']':
				if depth > 0 {
					depth--
				}
				b.WriteRune(' ')
				continue
			}
			if depth > 0 {
				d.WriteRune(r)
			} else {
				b.WriteRune(r)
			}
		}
		s, dropped = b.String(), strings.TrimSpace(d.String())
	}
	start := -1
	flush := func(end int) {
		if start >= 0 {
			for _, w := range splitInitials(s[start:end]) {
				if w = trimPunct(w); w != "" {
					words = append(words, w)
				}
			}
			start = -1
		}
	}
	for i, r := range s {
		switch {
		case r == ',' || r == ';':
			flush(i)
			if comma < 0 && len(words) > 0 {
				comma = len(words)
			}
		case unicode.IsSpace(r) || r == '/' || r == '·':
			flush(i)
		default:
			if start < 0 {
				start = i
			}
		}
	}
	flush(len(s))
	if comma >= len(words) {
		comma = -1
	}
	return words, comma, dropped
}

// splitInitials cuts initials glued to the next word: "T.Yagublu" is
// "T." and "Yagublu", "A.B.Aliyev" is "A.", "B." and "Aliyev".
func splitInitials(w string) []string {
	var out []string
	for {
		r, n := utf8.DecodeRuneInString(w)
		if !unicode.IsLetter(r) || n >= len(w) || w[n] != '.' {
			break
		}
		rest := w[n+1:]
		r2, _ := utf8.DecodeRuneInString(rest)
		if !unicode.IsLetter(r2) {
			break
		}
		out = append(out, w[:n+1])
		w = rest
	}
	return append(out, w)
}

func parse(s string) Name {
	n := Name{Raw: s}
	words, comma, dropped := splitName(s)
	if dropped != "" {
		n.Cues = append(n.Cues, "bracketed text dropped: "+dropped)
	}
	if len(words) == 0 {
		n.Form = FormNone
		return n
	}
	az := isAzText(s)
	toks := make([]ptok, len(words))
	for i, w := range words {
		toks[i] = newTok(w, az)
	}
	n.Script = nameScript(toks)

	used := make([]bool, len(toks))
	var surname, given, patr []int
	patrGender := ""
	markerLast := false
	// Patronymic: a word followed by oğlu/qızı.
	for i, t := range toks {
		if t.kind != kMarkerM && t.kind != kMarkerF {
			continue
		}
		used[i] = true
		if i > 0 && !used[i-1] && len(patr) == 0 && toks[i-1].kind != kMarkerM && toks[i-1].kind != kMarkerF {
			patr = append(patr, i-1)
			used[i-1] = true
			patrGender = t.gender
			markerLast = i == len(toks)-1
			n.Cues = append(n.Cues, "patronymic marker: "+t.raw)
		} else {
			n.Cues = append(n.Cues, "stray patronymic marker dropped: "+t.raw)
		}
	}
	// Honorifics and titles.
	remaining := func() int {
		c := 0
		for i, t := range toks {
			if !used[i] && (t.kind == kWord || t.kind == kPrefix) {
				c++
			}
		}
		return c
	}
	for i, t := range toks {
		if used[i] {
			continue
		}
		switch t.kind {
		case kTitle:
			if len(toks) > 1 {
				used[i] = true
				n.Cues = append(n.Cues, "title dropped: "+t.raw)
			}
		case kHonPost:
			// xanım after a given name is "Mrs"; as the first word, or
			// where it leaves a lone word ("Həsənzadə Xanım"), it is the
			// name Xanım.
			if i > 0 && toks[i-1].kind == kWord && !used[i-1] && (remaining() >= 2 || !hasSurnameForm(toks[i-1])) {
				used[i] = true
				n.Cues = append(n.Cues, "honorific dropped: "+honPost[t.fine])
			}
		case kHonPre:
			if i+1 < len(toks) && remaining() >= 2 {
				used[i] = true
				n.Cues = append(n.Cues, "honorific dropped: "+honPre[t.fine])
			}
		}
	}
	// Russian-style patronymic (-ovich/-ovna) when none was marked.
	if len(patr) == 0 {
		for i, t := range toks {
			if used[i] || t.kind != kWord {
				continue
			}
			if cut, g := ruPatronymic(t.ph); cut >= 3 && remaining() >= 2 {
				patr = append(patr, i)
				used[i] = true
				patrGender = g
				markerLast = i == len(toks)-1
				n.Cues = append(n.Cues, "patronymic ending: "+t.raw)
				break
			}
		}
	}
	var rest, inits []int
	for i, t := range toks {
		switch {
		case used[i] || t.kind == kMarkerM || t.kind == kMarkerF:
		case t.kind == kInitial:
			inits = append(inits, i)
		default:
			rest = append(rest, i)
		}
	}
	if len(rest) == 0 { // nothing but initials: read them as words
		rest, inits = inits, nil
	}
	// Initials after the words mark the order "Surname Given F."
	trailingInits := len(inits) > 0 && len(rest) > 0 && inits[0] > rest[len(rest)-1]
	// Choose the surname.
	sIdx := -1
	switch {
	case len(rest) == 0:
	case comma > 0 && len(rest) >= 2:
		for _, i := range rest {
			if i < comma {
				surname = append(surname, i)
			}
		}
		if len(surname) > 0 && len(surname) < len(rest) {
			n.Cues = append(n.Cues, "comma")
		} else {
			surname = nil
		}
	}
	if surname == nil && len(rest) >= 2 {
		var capsIdx []int
		for _, i := range rest {
			if toks[i].caps {
				capsIdx = append(capsIdx, i)
			}
		}
		if len(capsIdx) == 1 {
			sIdx = capsIdx[0]
			n.Cues = append(n.Cues, "all-caps surname")
		}
	}
	if surname == nil && sIdx < 0 && len(rest) >= 1 {
		var formIdx []int
		for _, i := range rest {
			if _, f, _ := splitForm(toks[i].ph); f != FormNone && toks[i].kind == kWord {
				formIdx = append(formIdx, i)
			}
		}
		switch {
		case len(formIdx) == 1:
			sIdx = formIdx[0]
			_, f, _ := splitForm(toks[sIdx].ph)
			n.Cues = append(n.Cues, "surname form "+formWords[f])
		case len(formIdx) > 1:
			if len(patr) > 0 && markerLast {
				sIdx = formIdx[0]
			} else {
				sIdx = formIdx[len(formIdx)-1]
			}
			_, f, _ := splitForm(toks[sIdx].ph)
			n.Cues = append(n.Cues, "surname form "+formWords[f])
		case len(rest) == 1 && len(inits) > 0:
			sIdx = rest[0]
			n.Cues = append(n.Cues, "surname with initials")
		case len(rest) >= 2:
			if trailingInits && len(patr) == 0 {
				sIdx = rest[0]
				n.Cues = append(n.Cues, "order: surname, given name, initial")
			} else if len(patr) > 0 && markerLast && rest[0] < patr[0] {
				sIdx = rest[0]
				n.Cues = append(n.Cues, "order: surname, given name, patronymic")
			} else {
				sIdx = rest[len(rest)-1]
				n.Cues = append(n.Cues, "order assumed: given name first")
			}
		}
	}
	if sIdx >= 0 {
		surname = []int{sIdx}
	}
	for _, i := range rest {
		if !contains(surname, i) {
			given = append(given, i)
		}
	}
	// An unmarked father's name: "Given Father Surname" or "Surname Given
	// Father" with no oğlu/qızı, as many lists print it.
	if len(patr) == 0 && len(given) == 2 && len(surname) == 1 && len(inits) == 0 &&
		toks[given[0]].kind == kWord && toks[given[1]].kind == kWord {
		patr, given = given[1:], given[:1]
		n.Cues = append(n.Cues, "unmarked father's name: "+toks[patr[0]].raw)
	}
	// Initials: the given name's when it has none, else the father's.
	for _, i := range inits {
		switch {
		case len(given) == 0:
			given = []int{i}
			n.Cues = append(n.Cues, "given name initial: "+toks[i].text)
		case len(patr) == 0:
			patr = []int{i}
			n.Cues = append(n.Cues, "father's name initial: "+toks[i].text)
		default:
			n.Cues = append(n.Cues, "initial dropped: "+toks[i].text)
		}
	}
	n.GivenInitial = isInitial(toks, given)
	n.PatronymicInitial = isInitial(toks, patr)
	// A lone prefix (Mir, Seyid) belongs with the given name.
	n.SurnameRaw = joinRaw(toks, surname, false)
	n.GivenRaw = joinRaw(toks, given, false)
	n.PatronymicRaw = joinRaw(toks, patr, true)
	n.Surname = joinLatin(toks, surname, az, false)
	n.Given = joinLatin(toks, given, az, false)
	n.Patronymic = joinLatin(toks, patr, az, true)

	sp := joinPh(toks, surname)
	gp := joinPh(toks, given)
	pp := joinPh(toks, patr)
	if len(patr) > 0 {
		if cut, _ := ruPatronymic(pp); cut > 0 {
			pp = pp[:cut]
		}
	}
	n.fillKeys(sp, gp, pp)
	n.Gender = genderOf(n.Gender, patrGender)
	if n.Script == "" {
		n.Script = scriptLatn
	}
	return n
}

// hasSurnameForm reports a word ending like a surname (-ov, -li, -zadə …).
func hasSurnameForm(t ptok) bool {
	_, f, _ := splitForm(t.ph)
	return f != FormNone
}

// isInitial reports a part that is one initial.
func isInitial(toks []ptok, idx []int) bool {
	return len(idx) == 1 && toks[idx[0]].kind == kInitial
}

func genderOf(fromSurname, fromPatronymic string) string {
	if fromPatronymic != "" {
		return fromPatronymic
	}
	return fromSurname
}

// fillKeys sets form, surname gender and all keys from phonemes.
func (n *Name) fillKeys(sp, gp, pp []rune) {
	stem, form, g := splitForm(sp)
	if len(sp) == 0 {
		form = FormNone
	}
	n.Form = form
	n.Gender = g
	n.SurnameKey = fineOf(sp)
	n.SurnameStem = fineOf(stem)
	n.GivenKey = fineOf(gp)
	n.PatronymicKey = fineOf(pp)
	n.SurnameCoarse = coarseOf(stem)
	n.GivenCoarse = coarseOf(gp)
	n.PatronymicCoarse = coarseOf(pp)
}

// fineOf renders phonemes as a fine key, re-reading until stable.
func fineOf(p []rune) string {
	if len(p) == 0 {
		return ""
	}
	k := renderFine(p)
	if isASCII(k) {
		// The rules are stable on ASCII keys (fuzzed by FuzzKeys through
		// FineKey); only exotic letters need re-reading.
		return k
	}
	for range 3 {
		k2 := renderFine(phonemesOf(k))
		if k2 == k {
			break
		}
		k = k2
	}
	return k
}

func coarseOf(p []rune) string {
	if len(p) == 0 {
		return ""
	}
	k := renderCoarse(p)
	if isASCII(k) {
		return k
	}
	for range 3 {
		k2 := renderCoarse(phonemesOf(k))
		if k2 == k {
			break
		}
		k = k2
	}
	return k
}

func contains(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func joinRaw(toks []ptok, idx []int, patronymic bool) string {
	var parts []string
	for _, i := range idx {
		w := toks[i].text
		if patronymic {
			w = stripRuPatronymic(w)
		}
		parts = append(parts, w)
	}
	return strings.Join(parts, " ")
}

func joinLatin(toks []ptok, idx []int, az, patronymic bool) string {
	var parts []string
	for _, i := range idx {
		t := toks[i]
		w := t.text
		if patronymic {
			w = stripRuPatronymic(w)
		}
		l := wordToLatin(w, t.script, az)
		azw := az || t.script != scriptLatn
		if t.caps || casePattern(l) == 0 {
			l = titleWord(lowerWord(l, azw), azw)
		}
		parts = append(parts, l)
	}
	return strings.Join(parts, " ")
}

func joinPh(toks []ptok, idx []int) []rune {
	var p []rune
	for k, i := range idx {
		if k > 0 {
			p = append(p, ' ')
		}
		p = append(p, toks[i].ph...)
	}
	return p
}

func nameScript(toks []ptok) string {
	var lat, azl, cyr, azc bool
	for _, t := range toks {
		switch t.script {
		case scriptLatn:
			lat = true
		case scriptAzLatn:
			azl = true
		case scriptRuCyrl:
			cyr = true
		case scriptAzCyrl:
			azc = true
		}
	}
	switch {
	case (lat || azl) && (cyr || azc):
		return scriptMixed
	case azl:
		return scriptAzLatn
	case lat:
		return scriptLatn
	case azc:
		return scriptAzCyrl
	case cyr:
		return scriptRuCyrl
	}
	return ""
}

func fromParts(surname, given, patronymic string) Name {
	raw := strings.TrimSpace(strings.Join([]string{surname, given, patronymic}, " "))
	raw = strings.Join(strings.Fields(raw), " ")
	n := Name{Raw: raw}
	az := isAzText(raw)
	col := func(s string) []ptok {
		ws, _, _ := splitName(s)
		ts := make([]ptok, 0, len(ws))
		for _, w := range ws {
			ts = append(ts, newTok(w, az))
		}
		return ts
	}
	st, gt, pt := col(surname), col(given), col(patronymic)
	all := append(append(append([]ptok{}, st...), gt...), pt...)
	n.Script = nameScript(all)
	if n.Script == "" && raw != "" {
		n.Script = scriptLatn
	}
	idx := func(ts []ptok, keep func(ptok) bool) []int {
		var out []int
		for i, t := range ts {
			if keep(t) {
				out = append(out, i)
			}
		}
		return out
	}
	words := func(t ptok) bool { return t.kind != kTitle }
	si := idx(st, words)
	gi := idx(gt, func(t ptok) bool {
		return t.kind != kTitle && !(t.kind == kHonPost && len(gt) > 1)
	})
	patrGender := ""
	pi := idx(pt, func(t ptok) bool {
		switch t.kind {
		case kMarkerM, kMarkerF:
			patrGender = t.gender
			return false
		}
		return true
	})
	n.GivenInitial, n.PatronymicInitial = isInitial(gt, gi), isInitial(pt, pi)
	n.SurnameRaw, n.GivenRaw, n.PatronymicRaw = joinRaw(st, si, false), joinRaw(gt, gi, false), joinRaw(pt, pi, true)
	n.Surname, n.Given, n.Patronymic = joinLatin(st, si, az, false), joinLatin(gt, gi, az, false), joinLatin(pt, pi, az, true)
	pp := joinPh(pt, pi)
	if cut, g := ruPatronymic(pp); cut > 0 {
		pp = pp[:cut]
		if patrGender == "" {
			patrGender = g
		}
	}
	n.fillKeys(joinPh(st, si), joinPh(gt, gi), pp)
	n.Gender = genderOf(n.Gender, patrGender)
	n.Cues = append(n.Cues, "separate columns")
	return n
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
