package docs

import (
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/roster-coalition/roster/internal/roster"
)

// fieldNarrative marks labels whose value is free narrative: it goes to
// FieldNotes and is searched for birth year, arrest date, articles and
// sentence.
const fieldNarrative roster.Field = "narrative"

// labels maps the labels of per-person blocks (en, az, ru) to fields.
var labels = map[roster.Field][]string{
	roster.FieldName: {"name", "full name", "surname, name", "surname, name, patronymic",
		"ad", "adı", "ad, soyad", "soyad, ad", "soyadı, adı", "soyad, ad, ata adı", "soyadı, adı, atasının adı",
		"фио", "ф.и.о.", "имя", "фамилия, имя, отчество", "фамилия имя отчество"},
	roster.FieldBirth: {"date of birth", "year of birth", "birth date", "birth year", "born", "d.o.b.", "dob",
		"doğum tarixi", "doğum ili", "təvəllüdü", "təvəllüd", "anadan olduğu il",
		"год рождения", "дата рождения", "г.р.", "родился", "родилась"},
	roster.FieldArrest: {"date of arrest", "arrest date", "date of detention", "detention date", "arrested", "detained",
		"arrested on", "detained on", "in custody since",
		"həbs tarixi", "həbs olunduğu tarix", "həbs edildiyi tarix", "saxlanılma tarixi", "tutulma tarixi", "həbs olunub",
		"həbs edilib", "həbs olunmuşdur", "həbs edilmişdir", "saxlanılıb", "saxlanılmışdır", "tutulub", "tutulmuşdur",
		"дата ареста", "дата задержания", "арестован", "арестована", "задержан", "задержана", "под стражей с"},
	roster.FieldCharges: {"charge", "charges", "article", "articles", "criminal code articles", "criminal code article",
		"accused under", "charged under", "criminal charges",
		"maddə", "maddələr", "maddəsi", "ittiham", "ittihamlar", "ittiham olunduğu maddələr", "cinayət məcəlləsinin maddələri",
		"статья", "статьи", "обвинение", "обвинения", "статьи ук", "статья ук"},
	roster.FieldSentence: {"sentence", "verdict", "punishment", "term",
		"hökm", "cəza", "cəza müddəti", "hökm edilən cəza",
		"приговор", "срок", "наказание", "мера наказания"},
	roster.FieldPlace: {"place of detention", "detention facility", "detention place", "place of imprisonment", "prison", "held in", "location",
		"saxlanıldığı yer", "saxlanılma yeri", "cəzaçəkmə müəssisəsi", "saxlandığı yer", "həbsdə olduğu yer",
		"место содержания", "место заключения", "место лишения свободы", "учреждение"},
	roster.FieldStatus: {"status", "current status", "statusu", "vəziyyəti", "статус", "положение"},
	roster.FieldGroup:  {"group", "category", "qrup", "kateqoriya", "группа", "категория"},
	roster.FieldCase:   {"case", "case name", "iş", "cinayət işi", "дело", "уголовное дело"},
	roster.FieldGender: {"gender", "sex", "cinsi", "cins", "пол"},
	roster.FieldAlias: {"pen name", "also known as", "aka", "a.k.a.", "alias", "aliases", "other names", "former name", "maiden name", "nickname",
		"təxəllüsü", "təxəllüs", "ləqəbi", "ləqəb", "digər adları", "digər adı", "əvvəlki soyadı", "qızlıq soyadı",
		"псевдоним", "другие имена", "известен как", "известна как", "девичья фамилия", "прежняя фамилия"},
	fieldNarrative: {"case background", "background", "details", "summary", "notes", "note", "comment", "comments", "description", "circumstances",
		"işin mahiyyəti", "qısa məlumat", "məlumat", "qeyd", "qeydlər", "işin təsviri", "işin qısa təsviri",
		"фабула", "суть дела", "описание", "примечание", "примечания", "справка", "обстоятельства дела", "комментарий"},
}

// dateLabels are the labels Azerbaijani lists write before an arrest date
// without a colon: "Həbs tarixi 02.10.2021", "həbs edilib 3 oktyabr 2021".
var dateLabels = []string{
	"həbs tarixi", "həbs olunduğu tarix", "həbs edildiyi tarix", "saxlanılma tarixi", "tutulma tarixi",
	"həbs olunub", "həbs edilib", "həbs olunmuşdur", "həbs edilmişdir", "saxlanılıb", "saxlanılmışdır", "tutulub", "tutulmuşdur",
}

var (
	labelField  = map[string]roster.Field{} // folded label -> field
	reLabel     *regexp.Regexp              // a label at the start of a line, then ":" (or a dash)
	reLabelMid  *regexp.Regexp              // a further label inside a line, after ";" or "|"
	reLabelDate *regexp.Regexp              // a date label at the start of a line, then a date without a colon
)

func init() {
	var all []string
	for f, ls := range labels {
		for _, l := range ls {
			labelField[foldLabel(l)] = f
			all = append(all, l)
		}
	}
	sort.Slice(all, func(i, j int) bool { return len(all[i]) > len(all[j]) })
	alts := make([]string, len(all))
	for i, l := range all {
		alts[i] = labelPattern(l)
	}
	alt := strings.Join(alts, "|")
	reLabel = regexp.MustCompile(`(?i)^[\s\-•·*–—]*(` + alt + `)\s*(?:\(\s*[^)]{0,20}\))?\s*(?::|：|\s[-–—]\s)\s*(.*)$`)
	reLabelMid = regexp.MustCompile(`(?i)[;|]\s*(` + alt + `)\s*(?::|：)`)
	dates := make([]string, len(dateLabels))
	for i, l := range dateLabels {
		dates[i] = labelPattern(l)
	}
	reLabelDate = regexp.MustCompile(`(?i)^[\s\-•·*–—]*(` + strings.Join(dates, "|") + `)\s+(` + dateRe + `)` + azDateTail + `(.*)$`)
}

// labelPattern quotes a label for a case-insensitive regexp, letting i/İ
// and ı/I match each other and spaces stretch.
func labelPattern(l string) string {
	var b strings.Builder
	for _, r := range l {
		switch r {
		case 'i':
			b.WriteString("[iİı]")
		case 'ı':
			b.WriteString("[ıIi]")
		case ' ':
			b.WriteString(`\s+`)
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	return b.String()
}

// foldLabel folds a label for lookup in labelField.
func foldLabel(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case 'İ', 'I', 'ı':
			return 'i'
		}
		return unicode.ToLower(r)
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// matchLabel reports the field and value of a labelled line ("Date of
// arrest: 12.03.2024"); further labels after ";" or "|" on the same line are
// returned too.
func matchLabel(s string) ([]labelled, bool) {
	m := reLabel.FindStringSubmatchIndex(s)
	if m == nil {
		return matchDateLabel(s)
	}
	f, ok := labelField[foldLabel(strings.Trim(s[m[2]:m[3]], " *_"))]
	if !ok {
		return nil, false
	}
	out := []labelled{{field: f, label: strings.TrimSpace(s[m[2]:m[3]])}}
	rest := s[m[4]:m[5]]
	for len(rest) <= maxScan {
		mm := reLabelMid.FindStringSubmatchIndex(rest)
		if mm == nil {
			break
		}
		f2, ok := labelField[foldLabel(rest[mm[2]:mm[3]])]
		if !ok {
			break
		}
		out[len(out)-1].value = cleanValue(rest[:mm[0]])
		out = append(out, labelled{field: f2, label: strings.TrimSpace(rest[mm[2]:mm[3]])})
		rest = rest[mm[1]:]
	}
	out[len(out)-1].value = cleanValue(rest)
	return out, true
}

// matchDateLabel reads "Həbs tarixi 02.10.2021" (a date label, no colon,
// a date): the date is the label's value and what follows it on the line
// is narrative.
func matchDateLabel(s string) ([]labelled, bool) {
	if len(s) > maxScan {
		return nil, false
	}
	m := reLabelDate.FindStringSubmatch(s)
	if m == nil {
		return nil, false
	}
	out := []labelled{{field: roster.FieldArrest, label: strings.TrimSpace(m[1]), value: m[2]}}
	if rest := cleanValue(strings.TrimLeft(m[3], " ,;.:—–-")); rest != "" {
		out = append(out, labelled{field: fieldNarrative, value: rest})
	}
	return out, true
}

type labelled struct {
	field roster.Field
	label string
	value string
}

func cleanValue(s string) string {
	return strings.Trim(strings.TrimSpace(s), "*_ ;|")
}

// ---- facts in narrative text ----

const (
	monthEN = `jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?`
	monthAZ = `yanvar|fevral|mart|aprel|may|iyun|iyul|avqust|sentyabr|oktyabr|noyabr|dekabr`
	monthRU = `январ[яь]|феврал[яь]|марта?|апрел[яь]|ма[яй]|июн[яь]|июл[яь]|августа?|сентябр[яь]|октябр[яь]|ноябр[яь]|декабр[яь]`
	month   = `(?:` + monthEN + `|` + monthAZ + `|` + monthRU + `)\.?`
	// dateRe matches a date as written, most specific first.
	dateRe = `(?:\d{4}-\d{2}-\d{2}` +
		`|\d{1,2}[./]\d{1,2}[./](?:\d{4}|\d{2})` +
		`|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?` + month + `,?\s+\d{4}` +
		`|` + month + `\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}` +
		`|` + month + `\s+\d{4}` +
		`|(?:19|20)\d{2})`
	yearRe = `(?:19|20)\d{2}`
	azSfx  = `(?:\s*-?\s*(?:c[iıuü]|[iıuü]nc[iıuü]))?`
	// azDateTail is what may follow a date in Azerbaijani: "-ci il",
	// "-cü ildə", "tarixində".
	azDateTail = azSfx + `(?:\s+il(?:də|in)?)?(?:\s+tarixində)?`
	nb         = `(?:^|[^\p{L}\d])` // a non-letter boundary (\b is ASCII-only in Go)
)

type factRule struct {
	field roster.Field
	need  []string       // the rule runs only when the lower-cased text holds one of these
	re    *regexp.Regexp // group 1 is the value
}

var factRules = []factRule{
	// birth
	{roster.FieldBirth, []string{"born"}, regexp.MustCompile(`(?i)` + nb + `born\s+(?:in\s+|on\s+)?(` + dateRe + `)`)},
	{roster.FieldBirth, []string{"("}, regexp.MustCompile(`^\s*\(\s*(` + yearRe + `)\s*\)`)},
	{roster.FieldBirth, []string{"b."}, regexp.MustCompile(`(?i)\(\s*b\.\s*(` + dateRe + `)\s*\)`)},
	{roster.FieldBirth, []string{"b."}, regexp.MustCompile(`(?i)` + nb + `b\.\s*(` + yearRe + `)`)},
	{roster.FieldBirth, []string{"anadan", "doğul", "təvəllüd"}, regexp.MustCompile(`(?i)(` + dateRe + `)` + azSfx + `(?:\s+il(?:də|i)?)?(?:\s+tarixində)?\s+(?:anadan\s+olub|anadan\s+olmuşdur|doğulub|təvəllüdlü)`)},
	{roster.FieldBirth, []string{"г.р", "г. р", "рождения"}, regexp.MustCompile(`(?i)(` + yearRe + `)\s*(?:г\.?\s*р\.?|года\s+рождения|г\.\s*рождения)`)},
	{roster.FieldBirth, []string{"родил"}, regexp.MustCompile(`(?i)` + nb + `родил(?:ся|ась)\s+(?:в\s+)?(` + dateRe + `)`)},
	// arrest
	{roster.FieldArrest, []string{"arrest", "detain", "custody"}, regexp.MustCompile(`(?i)` + nb + `(?:arrested|detained|taken\s+into\s+custody|remanded\s+in\s+custody|in\s+custody\s+since)\s+(?:on\s+|in\s+|since\s+)?(` + dateRe + `)`)},
	{roster.FieldArrest, []string{"həbs", "saxlanıl", "tutul"}, regexp.MustCompile(`(?i)(` + dateRe + `)` + azDateTail + `\s+(?:həbs|saxlanıl|tutul)`)},
	// "həbs tarixi 02.10.2021", "həbs edilib: 3 oktyabr 2021", "saxlanılıb 2021-ci ildə"
	{roster.FieldArrest, []string{"həbs", "saxlanıl", "tutul"}, regexp.MustCompile(`(?i)` + nb + `(?:(?:həbs|tutulma|saxlanılma)\s+tarixi|həbs\s+(?:edilib|olunub|edilmişdir|olunmuşdur)|saxlanılıb|saxlanılmışdır|tutulub|tutulmuşdur)\s*[:\-–—]?\s*(` + dateRe + `)` + azDateTail)},
	{roster.FieldArrest, []string{"арестов", "задержан", "под стражу"}, regexp.MustCompile(`(?i)` + nb + `(?:арестован[аыо]?|задержан[аыо]?|взят[аыо]?\s+под\s+стражу)\s+(?:в\s+|с\s+)?(` + dateRe + `)`)},
	// sentence
	{roster.FieldSentence, []string{"sentenced"}, regexp.MustCompile(`(?i)` + nb + `sentenced\s+to\s+(life(?:\s+imprisonment)?|(?:\d+(?:[.,]5)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|twenty)(?:\s+and\s+a\s+half)?\s+years?(?:\s+(?:and\s+)?\d+\s+months?)?(?:\s+(?:in\s+prison|of\s+imprisonment|imprisonment|in\s+jail|in\s+a\s+(?:\p{L}+\s+)?(?:prison|colony)))?|\d+\s+months?(?:\s+(?:in\s+prison|of\s+imprisonment))?)`)},
	{roster.FieldSentence, []string{"həbs", "məhrum"}, regexp.MustCompile(`(?i)` + nb + `(ömürlük\s+həbs|\d+\s+il(?:\s+\d+\s+ay)?\s+(?:müddətinə\s+)?(?:həbs|azadlıqdan\s+məhrum\s+etmə)|\d+\s+ay\s+(?:müddətinə\s+)?(?:həbs|azadlıqdan\s+məhrum\s+etmə))`)},
	{roster.FieldSentence, []string{"приговор"}, regexp.MustCompile(`(?i)приговор\p{L}*\s+(?:к\s+)?(пожизненно\p{L}*(?:\s+лишению\s+свободы)?|\d+\s*(?:годам|года|году|год|лет)(?:\s+и\s+\d+\s+месяц\p{L}*)?(?:\s+(?:лишения\s+свободы|заключения|колонии|тюрьмы))?)`)},
	{roster.FieldSentence, []string{"лет", "год"}, regexp.MustCompile(`(?i)` + nb + `(\d{1,2}\s*(?:лет|года?)(?:\s+и\s+\d+\s+месяц\p{L}*)?)(?:[^\p{L}]|$)`)},
}

var (
	reNumDate     = regexp.MustCompile(`\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{4}-\d{2}-\d{2}`)
	reDottedArt   = regexp.MustCompile(`[1-3]\d{2}(?:-\d(?:\.\d{1,2}){0,3}|(?:\.\d{1,2}){1,3})`)
	reArtKeyword  = regexp.MustCompile(`(?i)(?:articles?|art\.|статьям?|статьи|ст\.|maddə\p{L}*)\s*((?:\d{1,3}(?:-\d)?(?:\.\d{1,2}){0,3}(?:\s*(?:,|;|and|və|и|&)\s*)?)+)`)
	reArtBefore   = regexp.MustCompile(`(?i)((?:\d{1,3}(?:\.\d{1,2}){0,3}` + azSfx + `\s*(?:,|və)?\s*)+)\s*maddə`)
	reArtNumber   = regexp.MustCompile(`\d{1,3}(?:-\d)?(?:\.\d{1,2}){0,3}`)
	reRussianAge  = regexp.MustCompile(`(?i)(?:возрасте|рождения)\s*$`)
	reLettersOnly = regexp.MustCompile(`\p{L}{4,}`)
)

// maxScan bounds the text searched for facts and further labels, keeping
// parsing linear on pathological input (regexp matching is O(text × pattern)).
const maxScan = 8 << 10

// facts holds what was found in a narrative.
type facts struct {
	values map[roster.Field]string
	spans  [][2]int // byte spans consumed (in the searched text)
}

// findFacts searches text for birth, arrest date, sentence and charges.
func findFacts(text string) facts {
	f := facts{values: map[roster.Field]string{}}
	if len(text) > maxScan {
		// facts are near the start; a longer text stays in the notes whole
		text = text[:maxScan]
	}
	if !strings.ContainsAny(text, "0123456789") && !strings.Contains(text, "ömürlük") && !strings.Contains(text, "life") && !strings.Contains(text, "пожизнен") {
		return f
	}
	lower := strings.ToLower(text)
	for _, r := range factRules {
		if _, done := f.values[r.field]; done {
			continue
		}
		needed := false
		for _, k := range r.need {
			if strings.Contains(lower, k) {
				needed = true
				break
			}
		}
		if !needed {
			continue
		}
		for _, m := range r.re.FindAllStringSubmatchIndex(text, -1) {
			if m[2] < 0 {
				continue
			}
			v := strings.TrimSpace(text[m[2]:m[3]])
			if r.field == roster.FieldSentence && reRussianAge.MatchString(text[:m[2]]) {
				continue
			}
			f.values[r.field] = v
			f.spans = append(f.spans, [2]int{m[0], m[1]})
			break
		}
	}
	if arts, spans := findArticles(text); len(arts) > 0 {
		f.values[roster.FieldCharges] = strings.Join(arts, ", ")
		f.spans = append(f.spans, spans...)
	}
	return f
}

// findArticles finds criminal-code article numbers: dotted numbers such as
// 234.4.3 anywhere (dates excluded), and plain numbers next to "article",
// "maddə", "статья".
func findArticles(text string) ([]string, [][2]int) {
	// blank out dates so that 12.03.2024 is not read as an article
	blank := []byte(text)
	for _, m := range reNumDate.FindAllStringIndex(text, -1) {
		for i := m[0]; i < m[1]; i++ {
			blank[i] = ' '
		}
	}
	b := string(blank)
	type hit struct {
		pos int
		s   string
	}
	var hits []hit
	var spans [][2]int
	seen := map[string]bool{}
	add := func(pos int, s string) {
		s = strings.TrimRight(s, ".")
		if s == "" || seen[s] {
			return
		}
		seen[s] = true
		hits = append(hits, hit{pos, s})
	}
	for _, m := range reDottedArt.FindAllStringIndex(b, -1) {
		if m[0] > 0 && (isDigit(b[m[0]-1]) || b[m[0]-1] == '.') {
			continue
		}
		if m[1] < len(b) && isDigit(b[m[1]]) {
			continue
		}
		if m[1]+1 < len(b) && b[m[1]] == '.' && isDigit(b[m[1]+1]) {
			continue
		}
		add(m[0], b[m[0]:m[1]])
		spans = append(spans, [2]int{m[0], m[1]})
	}
	for _, re := range []*regexp.Regexp{reArtKeyword, reArtBefore} {
		for _, m := range re.FindAllStringSubmatchIndex(b, -1) {
			spans = append(spans, [2]int{m[0], m[1]})
			for _, n := range reArtNumber.FindAllStringIndex(b[m[2]:m[3]], -1) {
				add(m[2]+n[0], b[m[2]+n[0]:m[2]+n[1]])
			}
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].pos < hits[j].pos })
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.s
	}
	return out, spans
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// stopwords are the words left over in a clause once its facts are taken
// out ("charged under", "was"); a clause of only these is dropped from the
// notes.
var stopwords = map[string]bool{
	"born": true, "arrested": true, "detained": true, "charged": true, "under": true, "accused": true, "sentenced": true,
	"was": true, "were": true, "and": true, "the": true, "with": true, "has": true, "been": true, "since": true, "articles": true, "article": true,
	"ildə": true, "edilib": true, "olunub": true, "tarixi": true, "saxlanılıb": true, "tutulub": true, "anadan": true, "olub": true, "maddələri": true, "maddəsi": true, "ilə": true, "ittiham": true, "olunur": true, "tarixində": true,
	"арестован": true, "арестована": true, "задержан": true, "задержана": true, "статьям": true, "статье": true, "статьи": true, "обвиняется": true, "приговорен": true, "приговорён": true, "приговорена": true, "года": true, "рождения": true,
}

// leftover removes the consumed spans from text and returns the clauses
// that still say something.
func leftover(text string, spans [][2]int) []string {
	if text == "" {
		return nil
	}
	b := []byte(text)
	for _, s := range spans {
		for i := s[0]; i < s[1] && i < len(b); i++ {
			b[i] = ' '
		}
	}
	var out []string
	for _, c := range splitClauses(string(b)) {
		c = strings.Trim(strings.TrimSpace(c), ".,;:()—–- ")
		if c == "" {
			continue
		}
		meaningful := false
		for _, w := range reLettersOnly.FindAllString(c, -1) {
			if !stopwords[strings.ToLower(w)] {
				meaningful = true
				break
			}
		}
		if meaningful {
			out = append(out, strings.Join(strings.Fields(c), " "))
		}
	}
	return out
}

var reClause = regexp.MustCompile(`[,;]\s+|\s+[—–-]\s+`)

func splitClauses(s string) []string { return reClause.Split(s, -1) }
