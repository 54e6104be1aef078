package synth

import (
	"strings"
	"unicode"
)

// Spelling routes: how an organisation's typist renders a name that exists
// in Azerbaijani Latin. They are kept apart from internal/names on purpose
// (see the package doc). Each route is a pure function of the Azerbaijani
// Latin word (plus, for a few letters, a per-record variant choice).
const (
	RouteAz       = "az"         // Azerbaijani Latin as is (Məmmədov)
	RouteAzCyrl   = "az-cyrl"    // Azerbaijani Cyrillic 1958–91, letter for letter (Мәммәдов)
	RouteRu       = "ru"         // Russian Cyrillic, practical transcription with traditional forms (Мамедов)
	RouteEnDirect = "en"         // English straight from Azerbaijani Latin (Mammadov)
	RouteEnRuBGN  = "en-ru-bgn"  // English through Russian, BGN/PCGN style (Mamedov, Aliyev, Guseynov)
	RouteEnRuICAO = "en-ru-icao" // English through Russian, ICAO passport style (Aliev, Guseinov)
	RouteAscii    = "ascii"      // Azerbaijani typed without an Azerbaijani keyboard (Memmedov)
)

// Routes lists the spelling routes.
var Routes = []string{RouteAz, RouteAzCyrl, RouteRu, RouteEnDirect, RouteEnRuBGN, RouteEnRuICAO, RouteAscii}

// lowerAz lowercases Azerbaijani Latin text (I → ı, İ → i).
func lowerAz(s string) string { return strings.ToLowerSpecial(unicode.AzeriCase, s) }

// upperAz uppercases Azerbaijani Latin text (i → İ, ı → I).
func upperAz(s string) string { return strings.ToUpperSpecial(unicode.AzeriCase, s) }

// titleWord capitalises the first letter of a word; az selects the
// Azerbaijani dotted/dotless i rules.
func titleWord(w string, az bool) string {
	if w == "" {
		return w
	}
	r := []rune(w)
	first := string(r[0])
	if az {
		first = upperAz(first)
	} else {
		first = strings.ToUpper(first)
	}
	return first + string(r[1:])
}

// renderWord renders one capitalised Azerbaijani Latin word (a name part
// or one word of it) by route. alt selects the less common of two
// traditional variants where a route has them (Гасымов/Касумов).
func renderWord(w, route string, alt bool) string {
	lw := lowerAz(w)
	switch route {
	case RouteAz:
		return titleWord(lw, true)
	case RouteAzCyrl:
		return titleWord(azToCyrl(lw), false)
	case RouteRu:
		return titleWord(azToRu(lw, alt), false)
	case RouteEnDirect:
		return titleWord(azToEn(lw, alt), false)
	case RouteEnRuBGN:
		return titleWord(ruToLatin(azToRu(lw, alt), false), false)
	case RouteEnRuICAO:
		return titleWord(ruToLatin(azToRu(lw, alt), true), false)
	case RouteAscii:
		return titleWord(azToASCII(lw, alt), false)
	}
	return w
}

// renderName renders a possibly multi-word part.
func renderName(s, route string, alt bool) string {
	ws := strings.Fields(s)
	for i, w := range ws {
		ws[i] = renderWord(w, route, alt)
	}
	return strings.Join(ws, " ")
}

// upperRoute uppercases a rendered word in the route's script.
func upperRoute(s, route string) string {
	if route == RouteAz {
		return upperAz(s)
	}
	return strings.ToUpper(s)
}

var azCyrl = map[rune]string{
	'a': "а", 'b': "б", 'c': "ҹ", 'ç': "ч", 'd': "д", 'e': "е", 'ə': "ә", 'f': "ф", 'g': "ҝ", 'ğ': "ғ",
	'h': "һ", 'x': "х", 'ı': "ы", 'i': "и", 'j': "ж", 'k': "к", 'q': "г", 'l': "л", 'm': "м", 'n': "н",
	'o': "о", 'ö': "ө", 'p': "п", 'r': "р", 's': "с", 'ş': "ш", 't': "т", 'u': "у", 'ü': "ү", 'v': "в",
	'y': "ј", 'z': "з",
}

// azToCyrl maps lowercase Azerbaijani Latin to Azerbaijani Cyrillic
// (1958–91), letter for letter (BGN/PCGN 1993 correspondence).
func azToCyrl(w string) string {
	var b strings.Builder
	for _, r := range w {
		if c, ok := azCyrl[r]; ok {
			b.WriteString(c)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// azToEn is the English rendering made directly from Azerbaijani Latin
// (the 2020 official table, as Azerbaijani-run English outlets write):
// ə→a, x→kh, q→g, c→j, ş→sh, ç→ch, ğ→gh, ı→i, ü→u, ö→o. alt gives the
// common alternatives ə→e and ğ→g.
func azToEn(w string, alt bool) string {
	var b strings.Builder
	for _, r := range w {
		switch r {
		case 'ə':
			if alt {
				b.WriteString("e")
			} else {
				b.WriteString("a")
			}
		case 'x':
			b.WriteString("kh")
		case 'q':
			b.WriteString("g")
		case 'c':
			b.WriteString("j")
		case 'ş':
			b.WriteString("sh")
		case 'ç':
			b.WriteString("ch")
		case 'ğ':
			if alt {
				b.WriteString("g")
			} else {
				b.WriteString("gh")
			}
		case 'ı', 'i':
			b.WriteString("i")
		case 'ü':
			b.WriteString("u")
		case 'ö':
			b.WriteString("o")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// azToASCII is Azerbaijani typed on a keyboard without Azerbaijani
// letters: ə→e (alt: a), ı→i, ş→s, ç→c, ğ→g, ö→o, ü→u; q, x and c stay.
func azToASCII(w string, alt bool) string {
	var b strings.Builder
	for _, r := range w {
		switch r {
		case 'ə':
			if alt {
				b.WriteString("a")
			} else {
				b.WriteString("e")
			}
		case 'ı':
			b.WriteString("i")
		case 'ş':
			b.WriteString("s")
		case 'ç':
			b.WriteString("c")
		case 'ğ':
			b.WriteString("g")
		case 'ö':
			b.WriteString("o")
		case 'ü':
			b.WriteString("u")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ruTraditional holds word beginnings whose Russian form is fixed by
// usage rather than by the transcription rules (Мамедов, Гасанов,
// Гусейнов, Алиев, Мехтиев, Гаджиев). Each entry gives the usual form
// and an alternative (used when a record takes the alternative route).
var ruTraditional = map[string][2]string{
	"məmməd":    {"мамед", "мамед"},
	"süleyman":  {"сулейман", "сулейман"},
	"həsən":     {"гасан", "гасан"},
	"hüseyn":    {"гусейн", "гусейн"},
	"cəfər":     {"джафар", "джафар"},
	"qasım":     {"гасым", "касум"},
	"ismayıl":   {"исмаил", "исмайл"},
	"ibrahim":   {"ибрагим", "ибрагим"},
	"rəhim":     {"рагим", "рахим"},
	"heydər":    {"гейдар", "гейдар"},
	"əhməd":     {"ахмед", "ахмед"},
	"mehdi":     {"мехти", "мехти"},
	"hacı":      {"гаджи", "гаджи"},
	"rəcəb":     {"раджаб", "раджаб"},
	"nağı":      {"наги", "наги"},
	"tağı":      {"таги", "таги"},
	"quli":      {"гули", "кули"},
	"qurban":    {"гурбан", "курбан"},
	"kərim":     {"керим", "керим"},
	"əli":       {"али", "али"},
	"vəli":      {"вели", "вели"},
	"əkbər":     {"акпер", "акбер"},
	"ələkbər":   {"алекпер", "алекпер"},
	"tofiq":     {"тофик", "тофиг"},
	"ilqar":     {"ильгар", "ильгар"},
	"vüqar":     {"вугар", "вугар"},
	"rövşən":    {"ровшан", "ровшан"},
	"xədicə":    {"хадиджа", "хадиджа"},
	"hafiz":     {"хафиз", "хафиз"},
	"hikmət":    {"хикмет", "хикмет"},
	"hümbət":    {"гумбат", "гумбат"},
	"qənbər":    {"ганбар", "канбар"},
	"səməd":     {"самед", "самед"},
	"nəcəf":     {"наджаф", "наджаф"},
	"rüstəm":    {"рустам", "рустам"},
	"məhərrəm":  {"магеррам", "магеррам"},
	"əsgər":     {"аскер", "аскер"},
	"ələsgər":   {"алескер", "алескер"},
	"bəhruz":    {"бахруз", "бахруз"},
	"şəhriyar":  {"шахрияр", "шахрияр"},
	"ülviyyə":   {"ульвия", "ульвия"},
	"gülnarə":   {"гюльнара", "гюльнара"},
	"mübariz":   {"мубариз", "мубариз"},
	"fəxrəddin": {"фахраддин", "фахреддин"},
}

// ruTraditionalOrder is ruTraditional's keys, longest first, so that
// "ələkbər" wins over "əli"-like shorter beginnings.
var ruTraditionalOrder = func() []string {
	keys := make([]string, 0, len(ruTraditional))
	for k := range ruTraditional {
		keys = append(keys, k)
	}
	// insertion sort by length desc, then lexically (the map is small)
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0; j-- {
			a, b := keys[j-1], keys[j]
			la, lb := len([]rune(a)), len([]rune(b))
			if la < lb || la == lb && a > b {
				keys[j-1], keys[j] = b, a
			}
		}
	}
	return keys
}()

func isAzVowel(r rune) bool { return strings.ContainsRune("aeəıioöuü", r) }

// azToRu renders lowercase Azerbaijani Latin in Russian Cyrillic by the
// practical transcription: ə→а/е/я by position, h→г initially and х
// elsewhere, q→г (к at the end), c→дж, ı→ы, ü→ю/у, ö→ё/о, y→й/я/ю/е,
// doubled mm and yy single, l→ль before a consonant after a front vowel, -ov→-ев after a
// hushing consonant; traditional beginnings come from ruTraditional.
func azToRu(w string, alt bool) string {
	if stem, ok := strings.CutSuffix(w, "zadə"); ok && stem != "" {
		return azToRu(stem, alt) + "заде"
	}
	var b strings.Builder
	src := []rune(w)
	start := 0
	var prev rune // previous Azerbaijani letter
	for _, k := range ruTraditionalOrder {
		if strings.HasPrefix(w, k) {
			v := ruTraditional[k]
			if alt {
				b.WriteString(v[1])
			} else {
				b.WriteString(v[0])
			}
			start = len([]rune(k))
			prev = src[start-1]
			break
		}
	}
	vowelsBefore := 0
	for i := 0; i < start; i++ {
		if isAzVowel(src[i]) {
			vowelsBefore++
		}
	}
	for i := start; i < len(src); i++ {
		r := src[i]
		var next rune
		if i+1 < len(src) {
			next = src[i+1]
		}
		initial := i == 0
		switch r {
		case 'ə':
			switch {
			case initial:
				b.WriteString("а")
			case strings.ContainsRune("cçfhxjqşğ", prev):
				b.WriteString("а")
			case prev == 'g':
				b.WriteString("я")
			case prev == 'k' || prev == 'l':
				b.WriteString("е")
			case vowelsBefore == 0 || i == len(src)-1:
				b.WriteString("а")
			default:
				b.WriteString("е")
			}
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
			if initial || isAzVowel(prev) {
				b.WriteString("э")
			} else {
				b.WriteString("е")
			}
		case 'f':
			b.WriteString("ф")
		case 'g':
			b.WriteString("г")
		case 'ğ':
			b.WriteString("г")
		case 'h':
			if initial {
				b.WriteString("г")
			} else {
				b.WriteString("х")
			}
		case 'x':
			b.WriteString("х")
		case 'ı':
			if strings.ContainsRune("cçjşy", prev) {
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
		case 'q':
			if i == len(src)-1 {
				b.WriteString("к")
			} else {
				b.WriteString("г")
			}
		case 'l':
			if next != 0 && !isAzVowel(next) && next != 'y' && strings.ContainsRune("eəiöü", prev) {
				b.WriteString("ль")
			} else {
				b.WriteString("л")
			}
		case 'm':
			if next == 'm' {
				continue // doubled mm is written single
			}
			b.WriteString("м")
		case 'n':
			b.WriteString("н")
		case 'o':
			// -ov after a hushing consonant becomes -ев (Оруджев)
			if next == 'v' && i == len(src)-2 || next == 'v' && i == len(src)-3 && src[len(src)-1] == 'a' {
				if strings.ContainsRune("cçş", prev) {
					b.WriteString("е")
					break
				}
			}
			b.WriteString("о")
		case 'ö':
			if initial || !strings.ContainsRune("gk", prev) {
				b.WriteString("о")
			} else {
				b.WriteString("ё")
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
			if initial || strings.ContainsRune("hqx", prev) {
				b.WriteString("у")
			} else {
				b.WriteString("ю")
			}
		case 'v':
			b.WriteString("в")
		case 'y':
			if next == 'y' {
				continue // doubled yy is written single
			}
			switch {
			case next == 'a' || next == 'ə':
				b.WriteString("я")
				i++
				prev = next
				vowelsBefore++
				continue
			case next == 'u' || next == 'ü':
				b.WriteString("ю")
				i++
				prev = next
				vowelsBefore++
				continue
			case next == 'e' && (initial || isAzVowel(prev)):
				b.WriteString("е") // -yev after a vowel: Əliyev → Алиев, Musayev → Мусаев
				i++
				prev = next
				vowelsBefore++
				continue
			case next == 'o' && initial:
				b.WriteString("ё")
				i++
				prev = next
				vowelsBefore++
				continue
			case next == 'ı' && isAzVowel(prev):
				b.WriteString("и") // Ismayıl → Исмаил
				i++
				prev = next
				vowelsBefore++
				continue
			}
			b.WriteString("й")
		case 'z':
			b.WriteString("з")
		default:
			b.WriteRune(r)
		}
		if isAzVowel(r) {
			vowelsBefore++
		}
		prev = r
	}
	return b.String()
}

// ruToLatin romanises Russian Cyrillic as an English-language list made
// from a Russian source does: BGN/PCGN style (Aliyev, Guseynov,
// Dzhafarov) or, with icao, the passport style (Aliev, Guseinov, Iagublu).
func ruToLatin(w string, icao bool) string {
	var b strings.Builder
	src := []rune(w)
	for i, r := range src {
		var prev rune
		if i > 0 {
			prev = src[i-1]
		}
		afterVowel := i == 0 || strings.ContainsRune("аеёиоуыэюяьъ", prev)
		switch r {
		case 'а':
			b.WriteString("a")
		case 'б':
			b.WriteString("b")
		case 'в':
			b.WriteString("v")
		case 'г':
			b.WriteString("g")
		case 'д':
			b.WriteString("d")
		case 'е':
			if !icao && afterVowel {
				b.WriteString("ye")
			} else {
				b.WriteString("e")
			}
		case 'ё':
			if icao {
				b.WriteString("e")
			} else if afterVowel {
				b.WriteString("yo")
			} else {
				b.WriteString("yo")
			}
		case 'ж':
			b.WriteString("zh")
		case 'з':
			b.WriteString("z")
		case 'и':
			b.WriteString("i")
		case 'й':
			if icao {
				b.WriteString("i")
			} else {
				b.WriteString("y")
			}
		case 'к':
			b.WriteString("k")
		case 'л':
			b.WriteString("l")
		case 'м':
			b.WriteString("m")
		case 'н':
			b.WriteString("n")
		case 'о':
			b.WriteString("o")
		case 'п':
			b.WriteString("p")
		case 'р':
			b.WriteString("r")
		case 'с':
			b.WriteString("s")
		case 'т':
			b.WriteString("t")
		case 'у':
			b.WriteString("u")
		case 'ф':
			b.WriteString("f")
		case 'х':
			b.WriteString("kh")
		case 'ц':
			b.WriteString("ts")
		case 'ч':
			b.WriteString("ch")
		case 'ш':
			b.WriteString("sh")
		case 'щ':
			b.WriteString("shch")
		case 'ъ', 'ь':
		case 'ы':
			b.WriteString("y")
		case 'э':
			b.WriteString("e")
		case 'ю':
			if icao {
				b.WriteString("iu")
			} else {
				b.WriteString("yu")
			}
		case 'я':
			if icao {
				b.WriteString("ia")
			} else {
				b.WriteString("ya")
			}
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
