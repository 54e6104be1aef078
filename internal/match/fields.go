package match

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/roster-coalition/roster/internal/names"
	"github.com/roster-coalition/roster/internal/roster"
)

// The compared fields, in waterfall order.
const (
	FieldSurname = iota
	FieldGiven
	FieldPatronymic
	FieldBirthYear
	FieldGender
	FieldGroup
	FieldCase
	FieldArrest
	NumFields
)

// FieldNames names the compared fields, indexed by the Field constants.
var FieldNames = [NumFields]string{"surname", "given", "patronymic", "birth_year", "gender", "group", "case", "arrest_date"}

// Level 0 of every field is "null": the field is missing on at least one
// side and adds no weight. The other levels go from the strongest
// agreement to disagreement.
var levelNames = [NumFields][]string{
	FieldSurname:    {"missing", "exact", "variant", "family", "one letter off", "two letters off", "different"},
	FieldGiven:      {"missing", "exact", "variant", "initial", "one letter off", "two letters off", "different"},
	FieldPatronymic: {"missing", "exact", "variant", "initial", "one letter off", "different"},
	FieldBirthYear:  {"missing", "exact", "within 1 year", "within 3 years", "different"},
	FieldGender:     {"missing", "same", "different"},
	FieldGroup:      {"missing", "same", "different"},
	FieldCase:       {"missing", "same", "similar", "different"},
	FieldArrest:     {"missing", "same day", "same month", "within a year", "different"},
}

// LevelName returns the name of level l of field f.
func LevelName(f, l int) string {
	if f < 0 || f >= NumFields || l < 0 || l >= len(levelNames[f]) {
		return "?"
	}
	return levelNames[f][l]
}

// NumLevels returns the number of levels of field f, the null level included.
func NumLevels(f int) int { return len(levelNames[f]) }

// gamma is a comparison vector: 4 bits per field.
type gamma uint32

func (g gamma) level(f int) int { return int(g>>(4*f)) & 0xF }
func (g *gamma) set(f, l int)   { *g |= gamma(l) << (4 * f) }

// prepared is a record made ready for comparison: its name parsed once and
// its other fields normalised once.
type prepared struct {
	name    *names.Name  // shared by the records that write the name alike
	aliases []names.Name // the record's other names (pen names, former names), shared likewise
	list    int32        // index of (source, edition)
	birth   int
	gender  byte // 'm', 'f' or 0
	group   string
	caseKey string
	caseTok []string
	caseSk  []string // phonetic skeleton of each case token
	arrest  date
	// term-frequency keys
	surTF, givTF string
}

type date struct{ y, m, d int } // 0 where unknown

func parseDate(s string) date {
	s = strings.TrimSpace(s)
	var d date
	parts := strings.Split(s, "-")
	if len(parts) == 0 || len(parts[0]) != 4 {
		return date{}
	}
	d.y, _ = strconv.Atoi(parts[0])
	if len(parts) > 1 {
		d.m, _ = strconv.Atoi(parts[1])
	}
	if len(parts) > 2 {
		d.d, _ = strconv.Atoi(parts[2])
	}
	return d
}

// prepare readies record r whose name, parsed and prepared, is n.
func prepare(r roster.Record, n *names.Name, list int32) prepared {
	p := prepared{name: n, list: list, birth: r.BirthYear, group: r.Group, arrest: parseDate(r.ArrestDate)}
	if p.birth == 0 && len(r.BirthDate) >= 4 {
		p.birth, _ = strconv.Atoi(r.BirthDate[:4])
	}
	switch g := strings.ToLower(r.Gender); {
	case g == "m" || g == "f":
		p.gender = g[0]
	case n.Gender == "m" || n.Gender == "f":
		p.gender = n.Gender[0]
	}
	p.caseKey, p.caseTok = caseKey(r.Case)
	p.caseSk = caseSkeletons(p.caseTok)
	// Term frequencies count fine keys: coarse keys merge distinct names
	// (Hüseynov and Həsənov share a skeleton).
	p.surTF = n.SurnameStem
	if p.surTF == "" {
		p.surTF = n.SurnameKey
	}
	p.givTF = n.GivenKey
	return p
}

// caseKey folds a case name to lower-case letters and digits, dropping
// filler words in three languages, so that "the Abzas Media case" meets
// "Abzas media"; each token is kept with its phonetic skeleton, so that
// one case written in another script or language still meets
// ("Ganja case", "Гянджинское дело", "Gəncə işi").
func caseKey(s string) (string, []string) {
	if s == "" {
		return "", nil
	}
	s = names.ToLatin(s)
	f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	var toks []string
	for _, w := range f {
		if caseFiller[w] {
			continue
		}
		toks = append(toks, w)
	}
	return strings.Join(toks, " "), toks
}

// caseFiller are words of case names that say nothing of which case
// (after ToLatin and lower-casing).
var caseFiller = map[string]bool{
	"case": true, "the": true, "of": true, "and": true, "işi": true, "isi": true, "iş": true, "delo": true, "дело": true,
	"po": true, "по": true, "delu": true, "делу": true, "cinayət": true, "cinayet": true, "criminal": true,
	"ugolovnoe": true, "ugolovnoye": true, "ugolovnomu": true, "və": true, "ve": true, "i": true,
}

// caseTokensMeet reports two case-name tokens that name the same thing:
// equal, sharing a stem of five letters, or one's phonetic skeleton
// (three sounds at least) starting the other's ("ganja" and
// "gyandzhinskoye", "abzas" and "abzasmedia").
func caseTokensMeet(x, y, kx, ky string) bool {
	if x == y || (len(x) >= 5 && len(y) >= 5 && x[:5] == y[:5]) {
		return true
	}
	if len(x) < 4 || len(y) < 4 {
		return false
	}
	if len(kx) > len(ky) {
		kx, ky = ky, kx
	}
	return len(kx) >= 3 && strings.HasPrefix(ky, kx)
}

// caseSkeletons returns the phonetic skeleton of each case token.
func caseSkeletons(toks []string) []string {
	if len(toks) == 0 {
		return nil
	}
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = names.CoarseKey(t)
	}
	return out
}

// Name levels shared by the three name fields (the patronymic has no "two
// letters off": a father's name is short and seldom printed twice).
const (
	lvlExact   = 1
	lvlVariant = 2
	lvlFamily  = 3 // surname
	lvlInitial = 3 // given name, patronymic
	lvlOneOff  = 4
	lvlTwoOff  = 5
)

// nameLevel maps the names engine's verdict on one part to a level:
// spelled alike, a variant the spelling rules explain, another surname
// form of one stem (family) or an initial that agrees, then graded by
// the edits no rule explains — one slip in a name of four sounds or more,
// two in a name of six or more — and different beyond that.
func nameLevel(ps names.PartScore, f int) int {
	if ps.Missing || ps.Relation == "missing" {
		return 0
	}
	different := NumLevels(f) - 1
	switch ps.Relation {
	case "equal":
		return lvlExact
	case "variant":
		return lvlVariant
	case "family":
		if f == FieldSurname {
			return lvlFamily
		}
		return lvlVariant
	case "initial":
		if f == FieldSurname {
			return lvlTwoOff
		}
		return lvlInitial
	}
	switch {
	case ps.Edits == 1 && ps.Len >= 4, ps.Edits == 0 && ps.Len >= 4:
		// Edits == 0 here: explained alternations only, but so many that
		// the names drifted apart.
		return lvlOneOff
	case ps.Edits == 2 && ps.Len >= 6 && f != FieldPatronymic:
		return lvlTwoOff
	}
	return different
}

// compare computes the comparison vector of two prepared records and the
// names engine's comparison (kept for explanations), with the forms that
// met: 0 for the main name, k for alias k-1.
func compare(a, b *prepared) (gamma, names.Comparison, [2]int) {
	fa, fb := bestForms(a, b, func(x, y *names.Name) names.Comparison { return names.CompareQuick(*x, *y) })
	c := names.Compare(*form(a, fa), *form(b, fb))
	return nameGamma(c) | otherGamma(a, b), c, [2]int{fa, fb}
}

// form returns form k of a record: its main name (0) or alias k-1.
func form(p *prepared, k int) *names.Name {
	if k == 0 {
		return p.name
	}
	return &p.aliases[k-1]
}

// bestForms compares every name of a with every name of b (main names and
// aliases) and returns the forms of the best-supported pair: a verdict of
// "same name" first, then the higher score; ties keep the main names.
func bestForms(a, b *prepared, cmp func(x, y *names.Name) names.Comparison) (int, int) {
	if len(a.aliases) == 0 && len(b.aliases) == 0 {
		return 0, 0
	}
	bi, bj := 0, 0
	best := cmp(a.name, b.name)
	for i := 0; i <= len(a.aliases); i++ {
		for j := 0; j <= len(b.aliases); j++ {
			if i == 0 && j == 0 {
				continue
			}
			c := cmp(form(a, i), form(b, j))
			if (c.Same && !best.Same) || (c.Same == best.Same && c.Score > best.Score+1e-12) {
				best, bi, bj = c, i, j
			}
		}
	}
	return bi, bj
}

// nameGamma is the part of a comparison vector that the names engine gives.
func nameGamma(c names.Comparison) gamma {
	var g gamma
	g.set(FieldSurname, nameLevel(c.Surname, FieldSurname))
	g.set(FieldGiven, nameLevel(c.Given, FieldGiven))
	g.set(FieldPatronymic, nameLevel(c.Patronymic, FieldPatronymic))
	return g
}

// otherGamma compares the fields other than the name.
func otherGamma(a, b *prepared) gamma {
	var g gamma
	g.set(FieldBirthYear, birthLevel(a.birth, b.birth))
	g.set(FieldGender, genderLevel(a.gender, b.gender))
	g.set(FieldGroup, groupLevel(a.group, b.group))
	g.set(FieldCase, caseLevel(a, b))
	g.set(FieldArrest, arrestLevel(a.arrest, b.arrest))
	return g
}

func birthLevel(a, b int) int {
	if a == 0 || b == 0 {
		return 0
	}
	d := a - b
	if d < 0 {
		d = -d
	}
	switch {
	case d == 0:
		return 1
	case d == 1:
		return 2
	case d <= 3:
		return 3
	}
	return 4
}

func genderLevel(a, b byte) int {
	switch {
	case a == 0 || b == 0:
		return 0
	case a == b:
		return 1
	}
	return 2
}

func groupLevel(a, b string) int {
	switch {
	case a == "" || b == "":
		return 0
	case a == b:
		return 1
	}
	return 2
}

func caseLevel(a, b *prepared) int {
	switch {
	case a.caseKey == "" || b.caseKey == "":
		return 0
	case a.caseKey == b.caseKey:
		return 1
	}
	common := 0
	for i, x := range a.caseTok {
		for j, y := range b.caseTok {
			if caseTokensMeet(x, y, a.caseSk[i], b.caseSk[j]) {
				common++
				break
			}
		}
	}
	small := min(len(a.caseTok), len(b.caseTok))
	if small > 0 && 2*common >= small {
		return 2
	}
	return 3
}

func arrestLevel(a, b date) int {
	if a.y == 0 || b.y == 0 {
		return 0
	}
	if a.m == 0 || b.m == 0 {
		if a.y == b.y {
			return 3
		}
		return 4
	}
	if a.y == b.y && a.m == b.m {
		if a.d != 0 && a.d == b.d {
			return 1
		}
		if a.d == 0 || b.d == 0 || abs(a.d-b.d) <= 3 {
			return 2
		}
		return 3
	}
	months := abs((a.y*12 + a.m) - (b.y*12 + b.m))
	if months <= 12 {
		return 3
	}
	return 4
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
