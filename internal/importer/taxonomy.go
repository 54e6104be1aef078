package importer

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"

	"github.com/agnivade/levenshtein"
	"github.com/roster-coalition/roster/internal/roster"
)

// Taxonomy maps group labels as lists write them to the registry's group
// keys. Build one with DefaultTaxonomy or LoadTaxonomy; a Taxonomy is not
// changed after it is built and is safe for concurrent use.
type Taxonomy struct {
	keys   []string                     // display order
	labels map[string]map[string]string // key -> lang -> display label
	exact  map[string]string            // folded synonym -> key ("" when two keys claim it)
	syns   []synonym
	vocab  []string       // distinct content words of all synonyms
	vocabI map[string]int // word -> index in vocab
}

type synonym struct {
	key    string
	folded string
	n      int   // length in runes
	tokens []int // content words, as indexes into vocab
}

// taxEntry is one group of the default taxonomy.
type taxEntry struct {
	key        string
	az, ru, en string
	synonyms   []string
}

// defaultGroups is the coalition's taxonomy: display labels in az/ru/en and
// the synonyms lists use. Read only.
var defaultGroups = []taxEntry{
	{roster.GroupReligious, "Dindarlar", "Верующие", "Religious believers", []string{
		"Dini fəallar", "Dindar", "Dini fəal", "Dini inanclarına görə həbs edilənlər", "Dini məhbuslar",
		"Müsəlman fəallar", "Религиозные", "Религиозные активисты", "Верующие мусульмане",
		"Преследуемые за веру", "Religious", "Religious activists", "Believers", "Religious prisoners",
		"Muslim believers", "Muslim activists",
	}},
	{roster.GroupOpposition, "Müxalifət fəalları", "Оппозиционные активисты", "Opposition activists", []string{
		"Müxalifət", "Müxalifət partiyalarının üzvləri", "Müxalifət partiyası üzvləri", "Müxalifətçilər",
		"Оппозиция", "Оппозиционеры", "Члены оппозиционных партий", "Opposition", "Opposition members",
		"Opposition party members", "Members of opposition parties",
	}},
	{roster.GroupJournalist, "Jurnalistlər və bloggerlər", "Журналисты и блогеры", "Journalists and bloggers", []string{
		"Jurnalistlər", "Jurnalist", "Bloggerlər", "Blogerlər", "Jurnalistlər və blogerlər", "Media işçiləri",
		"Журналисты", "Блогеры", "Журналисты и блоггеры", "Работники СМИ", "Journalists", "Journalist",
		"Bloggers", "Journalists and bloggers", "Media workers", "Media",
	}},
	{roster.GroupRightsDefender, "Hüquq müdafiəçiləri", "Правозащитники", "Human rights defenders", []string{
		"Hüquq müdafiəçisi", "İnsan haqları müdafiəçiləri", "İnsan hüquqları müdafiəçiləri",
		"Правозащитник", "Защитники прав человека", "Rights defenders", "Human rights activists",
		"Human rights defender", "HRDs",
	}},
	{roster.GroupEthnicMinority, "Etnik azlıqlar", "Этнические меньшинства", "Ethnic minorities", []string{
		"Etnik azlıqların fəalları", "Milli azlıqlar", "Talış fəalları", "Национальные меньшинства",
		"Этнические активисты", "Талышские активисты", "Ethnic minority activists", "Ethnic minority",
		"National minorities", "Talysh activists",
	}},
	{roster.GroupAntiWar, "Müharibə əleyhdarları", "Антивоенные активисты", "Anti-war activists", []string{
		"Müharibə əleyhinə fəallar", "Müharibə əleyhdarı", "Sülh fəalları", "Sülhsevərlər", "Антивоенные",
		"Противники войны", "Пацифисты", "Активисты за мир", "Anti-war", "Antiwar activists",
		"Peace activists", "Pacifists", "Opponents of the war",
	}},
	{roster.GroupDeportedRefugee, "Almaniyadan deportasiya olunan siyasi qaçqınlar", "Политические беженцы, депортированные из Германии", "Political refugees deported from Germany", []string{
		"Deportasiya olunan siyasi qaçqınlar", "Deportasiya olunanlar", "Deportasiya edilmiş qaçqınlar",
		"Avropadan deportasiya olunanlar", "Депортированные из Германии", "Депортированные беженцы",
		"Депортированные политические беженцы", "Deported refugees", "Deported political refugees",
		"Deported asylum seekers", "Deportees", "Refugees deported from Germany",
	}},
	{roster.GroupLifeSentence, "Ömürlük məhkumlar", "Пожизненно осуждённые", "Life prisoners", []string{
		"Ömürlük həbs cəzası çəkənlər", "Ömürlük həbsə məhkum edilənlər", "Ömürlük", "Пожизненно заключённые",
		"Пожизненники", "Осуждённые пожизненно", "Life-sentenced prisoners", "Life sentence",
		"Life sentences", "Lifers", "Prisoners serving life sentences", "Life imprisonment",
	}},
	{roster.GroupSoyudlu, "Soyudlu işi", "Дело Союдлу", "Soyudlu case", []string{
		"Soyudlu", "Soyudlu kəndi", "Soyudlu etirazı", "Soyudlu hadisələri", "Союдлу", "Протест в Союдлу",
		"Союдлинское дело", "Soyudlu protest", "Soyudlu village protest", "Soyudlu events",
	}},
	{roster.GroupImishli, "İmişli etirazı", "Протест в Имишли", "Imishli protest", []string{
		"İmişli", "İmişli işi", "İmişli hadisələri", "Имишли", "Имишлинский протест", "Дело Имишли",
		"Imishli", "Imishli case", "Imishli events", "Imishli riots",
	}},
	{roster.GroupTartar, "Tərtər işi", "Тертерское дело", "Tartar case", []string{
		"Tərtər", "Tərtər hadisələri", "Тертер", "Дело Тертер", "Тертерское", "Terter case", "Terter",
		"Tartar", "Tartar affair",
	}},
	{roster.GroupGanja, "Gəncə işi", "Гянджинское дело", "Ganja case", []string{
		"Gəncə", "Gəncə hadisələri", "Gəncə olayları", "Гянджа", "Гянджинские события", "Дело Гянджи",
		"Ganja", "Ganja events", "Ganja riots", "Ganja affair",
	}},
}

// DefaultTaxonomy returns the coalition's 12 groups with their labels and
// synonyms in Azerbaijani, Russian and English. It is built once; a
// Taxonomy is never changed after it is built (LoadTaxonomy extends a
// copy), so sharing it is safe.
func DefaultTaxonomy() *Taxonomy { return defaultTaxonomy() }

var defaultTaxonomy = sync.OnceValue(buildDefaultTaxonomy)

func buildDefaultTaxonomy() *Taxonomy {
	t := &Taxonomy{labels: map[string]map[string]string{}, exact: map[string]string{}, vocabI: map[string]int{}}
	for _, g := range defaultGroups {
		t.addKey(g.key)
		t.labels[g.key]["az"], t.labels[g.key]["ru"], t.labels[g.key]["en"] = g.az, g.ru, g.en
		t.add(g.key, g.key)
		for _, s := range append([]string{g.az, g.ru, g.en}, g.synonyms...) {
			t.add(g.key, s)
		}
	}
	return t
}

func (t *Taxonomy) addKey(key string) {
	if _, ok := t.labels[key]; !ok {
		t.keys = append(t.keys, key)
		t.labels[key] = map[string]string{}
	}
}

// add registers a synonym for key, in both ə-folds.
func (t *Taxonomy) add(key, label string) {
	for _, f := range []string{fold(label), foldA(label)} {
		if f == "" {
			continue
		}
		if k, ok := t.exact[f]; ok && k != key {
			t.exact[f] = "" // claimed by two keys: never an exact match
			continue
		}
		if _, ok := t.exact[f]; ok {
			continue
		}
		t.exact[f] = key
		var toks []int
		for _, w := range contentTokens(f) {
			i, ok := t.vocabI[w]
			if !ok {
				i = len(t.vocab)
				t.vocab = append(t.vocab, w)
				t.vocabI[w] = i
			}
			toks = append(toks, i)
		}
		t.syns = append(t.syns, synonym{key: key, folded: f, n: len([]rune(f)), tokens: toks})
	}
}

// clone copies t deeply.
func (t *Taxonomy) clone() *Taxonomy {
	c := &Taxonomy{
		keys:   append([]string(nil), t.keys...),
		labels: map[string]map[string]string{},
		exact:  make(map[string]string, len(t.exact)),
		syns:   append([]synonym(nil), t.syns...),
		vocab:  append([]string(nil), t.vocab...),
		vocabI: make(map[string]int, len(t.vocabI)),
	}
	for k, v := range t.vocabI {
		c.vocabI[k] = v
	}
	for k, m := range t.labels {
		c.labels[k] = map[string]string{}
		for l, v := range m {
			c.labels[k][l] = v
		}
	}
	for k, v := range t.exact {
		c.exact[k] = v
	}
	return c
}

var taxKeyRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// LoadTaxonomy reads a taxonomy file and returns base (nil: the default
// taxonomy) extended with it; base itself is not changed.
//
// The format is UTF-8 text, one entry per line, fields separated by tabs;
// blank lines and lines starting with '#' are ignored:
//
//	KEY<TAB>LABEL            LABEL is one more synonym of KEY
//	KEY<TAB>LANG<TAB>LABEL   LABEL is KEY's display label in LANG (az, ru, en), and a synonym
//
// KEY is lower-case letters, digits and '-'; a new key adds a group.
func LoadTaxonomy(r io.Reader, base *Taxonomy) (*Taxonomy, error) {
	if base == nil {
		base = DefaultTaxonomy()
	}
	t := base.clone()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimRight(sc.Text(), "\r")
		if line == 1 {
			s = strings.TrimPrefix(s, "\uFEFF")
		}
		if strings.TrimSpace(s) == "" || strings.HasPrefix(strings.TrimSpace(s), "#") {
			continue
		}
		parts := strings.Split(s, "\t")
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		key := parts[0]
		if !taxKeyRE.MatchString(key) {
			return nil, &Error{File: "taxonomy", Row: line, Msg: fmt.Sprintf("bad group key %q: expected lower-case letters, digits and '-'", key)}
		}
		switch len(parts) {
		case 2:
			if parts[1] == "" {
				return nil, &Error{File: "taxonomy", Row: line, Msg: "empty label: expected KEY<TAB>LABEL"}
			}
			t.addKey(key)
			t.add(key, key)
			t.add(key, parts[1])
		case 3:
			lang := parts[1]
			if lang != "az" && lang != "ru" && lang != "en" {
				return nil, &Error{File: "taxonomy", Row: line, Msg: fmt.Sprintf("bad language %q: expected az, ru or en", lang)}
			}
			if parts[2] == "" {
				return nil, &Error{File: "taxonomy", Row: line, Msg: "empty label: expected KEY<TAB>LANG<TAB>LABEL"}
			}
			t.addKey(key)
			t.add(key, key)
			t.labels[key][lang] = parts[2]
			t.add(key, parts[2])
		default:
			return nil, &Error{File: "taxonomy", Row: line, Msg: fmt.Sprintf("%d tab-separated fields: expected KEY<TAB>LABEL or KEY<TAB>LANG<TAB>LABEL", len(parts))}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read taxonomy: %w", err)
	}
	return t, nil
}

// Keys returns the group keys in display order.
func (t *Taxonomy) Keys() []string { return append([]string(nil), t.keys...) }

// Label returns key's display label in lang ("az", "ru", "en"), falling
// back to English, then Azerbaijani, then the key itself.
func (t *Taxonomy) Label(key, lang string) string {
	m := t.labels[key]
	for _, l := range []string{lang, "en", "az", "ru"} {
		if v := m[l]; v != "" {
			return v
		}
	}
	return key
}

// Map returns the group key of a label as a list writes it. Matching is
// case- and diacritic-insensitive (ə as e or a, ı/İ/I as i), ignores a
// leading numbering ("II.", "3)", "Group No. 1 –") and a trailing count
// ("(27)", "— 27 nəfər"), and falls back to fuzzy matching (edit distance,
// then word overlap) with thresholds that leave junk unmapped.
func (t *Taxonomy) Map(label string) (string, bool) {
	k, _ := t.lookup(label)
	return k, k != ""
}

// exactKey maps a label by folding alone (no fuzzy matching).
func (t *Taxonomy) exactKey(label string) string {
	return t.exact[fold(stripNumbering(label))]
}

// lookup is Map that also says whether the match was exact (after
// folding) rather than fuzzy.
func (t *Taxonomy) lookup(label string) (key string, exact bool) {
	s := stripNumbering(label)
	f := fold(s)
	if f == "" {
		return "", false
	}
	if k, ok := t.exact[f]; ok {
		return k, k != ""
	}
	// Edit distance on the whole label.
	n := len([]rune(f))
	if n >= 5 {
		best, bestSim, second := "", 0.0, 0.0
		for _, s := range t.syns {
			ls := s.n
			if ls < 5 {
				continue
			}
			m := n
			if ls > m {
				m = ls
			}
			if float64(abs(ls-n))/float64(m) > 0.25 {
				continue
			}
			sim := 1 - float64(levenshtein.ComputeDistance(f, s.folded))/float64(m)
			if sim > bestSim {
				if s.key != best {
					second = bestSim
				}
				best, bestSim = s.key, sim
			} else if s.key != best && sim > second {
				second = sim
			}
		}
		if bestSim >= 0.8 && bestSim-second >= 0.05 {
			return best, false
		}
	}
	// Word overlap (Dice over content words, fuzzy word equality).
	toks := contentTokens(f)
	if len(toks) == 0 {
		return "", false
	}
	// For each input word, the vocabulary words it matches.
	hits := make([]map[int]bool, len(toks))
	for i, a := range toks {
		for j, w := range t.vocab {
			if wordMatch(a, w) {
				if hits[i] == nil {
					hits[i] = map[int]bool{}
				}
				hits[i][j] = true
			}
		}
	}
	scores := map[string]float64{}
	for _, s := range t.syns {
		if len(s.tokens) == 0 {
			continue
		}
		m := 0
		for i := range toks {
			for _, w := range s.tokens {
				if hits[i][w] {
					m++
					break
				}
			}
		}
		d := 2 * float64(m) / float64(len(toks)+len(s.tokens))
		if d > scores[s.key] {
			scores[s.key] = d
		}
	}
	best, bestD, tie := "", 0.0, false
	for _, k := range t.keys {
		d := scores[k]
		if d > bestD {
			best, bestD, tie = k, d, false
		} else if d == bestD && d > 0 {
			tie = true
		}
	}
	if bestD >= 0.66 && !tie {
		return best, false
	}
	// Distinctive words: a label worded in a way no synonym is
	// ("Dini etiqadına görə həbs olunanlar") still names its group when its
	// words point to exactly one key, through words that only that key's
	// synonyms use. Words shared by several keys do not vote; two keys
	// named ("Journalists and opposition") stay unmapped.
	owner := map[int]string{} // vocab index -> the only key using it, "" when shared
	for _, s := range t.syns {
		for _, w := range s.tokens {
			if k, ok := owner[w]; !ok {
				owner[w] = s.key
			} else if k != s.key {
				owner[w] = ""
			}
		}
	}
	voted := ""
	for i := range toks {
		for w := range hits[i] {
			k := owner[w]
			if k == "" {
				continue
			}
			if voted != "" && voted != k {
				return "", false
			}
			voted = k
		}
	}
	return voted, false
}

// stopWords carry no group meaning in labels (folded both ways at start;
// read only).
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range []string{
		"və", "and", "и", "of", "the", "in", "в", "from", "из", "işi", "case", "дело", "group", "qrup",
		"группа", "fəallar", "fəalları", "активисты", "activists", "members", "political", "siyasi",
		"политические", "prisoners", "узники", "məhbuslar", "üzvləri", "члены",
		// words of how people are held, not why: "… görə həbs olunanlar", "arrested for …"
		"görə", "üçün", "həbs", "olunan", "olunanlar", "edilən", "edilənlər", "məhkum", "for", "by", "за", "по",
		"arrested", "detained", "jailed", "imprisoned", "persons", "people", "şəxslər", "лица",
		// words for any engaged person: an "ictimai fəal" (public activist) is
		// no more religious than an opposition or a civil-society one
		"fəal", "activist", "активист", "активистка", "member", "üzv", "üzvü", "член",
		"ictimai", "общественный", "общественная", "civil", "society", "vətəndaş", "cəmiyyəti",
	} {
		m[fold(w)], m[foldA(w)] = true, true
	}
	return m
}()

func contentTokens(f string) []string {
	var out []string
	for _, t := range strings.Fields(f) {
		if !stopWords[t] && len([]rune(t)) > 1 {
			out = append(out, t)
		}
	}
	return out
}

// wordMatch: equal, a shared stem of at least 5 letters (Azerbaijani and
// Russian inflect by suffix), or one edit apart for words of 6+ letters.
func wordMatch(a, b string) bool {
	if a == b {
		return true
	}
	ra, rb := []rune(a), []rune(b)
	p := 0
	for p < len(ra) && p < len(rb) && ra[p] == rb[p] {
		p++
	}
	if p >= 5 && (p == len(ra) || p == len(rb) || p >= 6) {
		return true
	}
	return len(ra) >= 6 && len(rb) >= 6 && abs(len(ra)-len(rb)) <= 1 && levenshtein.ComputeDistance(a, b) <= 1
}

var (
	// "II.", "3)", "12 -", "Group No. 1 –", "Qrup № 2:", "Группа 3." at the start.
	leadNumRE = regexp.MustCompile(`(?i)^\s*(?:(?:group|qrup|группа|kateqoriya|категория|category|section|bölmə|раздел)\s*(?:no\.?|№|nr\.?|n\.?)?\s*)?(?:[ivxlc]+|\d+)\s*(?:[.):]\s*|\s+[-–—:]\s*|\s*[-–—]\s*)`)
	// "(27)", "(27 nəfər)", "— 27 people", ": 27" at the end.
	trailCountRE = regexp.MustCompile(`\s*(?:\(\s*\d+[^()]*\)|\[\s*\d+[^\[\]]*\]|[-–—:]\s*\d+(?:\s+\pL+\.?)?)\s*$`)
)

// stripNumbering removes a leading numbering and a trailing count.
func stripNumbering(s string) string {
	s = strings.TrimSpace(s)
	if loc := leadNumRE.FindStringIndex(s); loc != nil && loc[1] < len(s) {
		s = s[loc[1]:]
	}
	s = trailCountRE.ReplaceAllString(s, "")
	return strings.TrimSpace(s)
}
