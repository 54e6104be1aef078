package importer

import (
	"strings"

	"github.com/agnivade/levenshtein"
	"github.com/roster-coalition/roster/internal/roster"
)

// headerSynonyms lists, per field, header texts seen in Azerbaijani,
// Russian and English lists. They are folded (see fold) before use.
var headerSynonyms = map[roster.Field][]string{
	roster.FieldRef: {
		"№", "No", "No.", "Nr", "#", "N", "NN", "ID", "Ref", "Reference", "Sıra", "Sıra №", "Sıra no",
		"Sıra sayı", "S/s", "№ п/п", "п/п", "п.п.", "Номер", "Number", "Num", "List no", "Number in list",
		"Row", "Record", "Record ID", "Nömrə",
	},
	roster.FieldName: {
		"Ad Soyad", "Ad, soyad", "Adı soyadı", "Adı, soyadı", "Soyad ad", "Soyadı adı", "Soyad, ad",
		"Soyadı, adı, atasının adı", "Soyadı adı atasının adı", "Soyad, ad, ata adı", "Soyad ad ata adı",
		"Ad, soyad, ata adı", "Adı, soyadı, atasının adı", "Soyadı, adı və atasının adı", "S.A.A.",
		"ФИО", "Ф.И.О.", "Фамилия имя отчество", "Фамилия, имя, отчество", "Фамилия имя", "Имя фамилия",
		"Имя и фамилия", "Фамилия и имя", "Полное имя", "Full name", "Fullname", "Name", "Names",
		"Name and surname", "Surname and name", "Surname, name", "Name surname", "Prisoner", "Person",
		"Political prisoner", "Name of prisoner", "Prisoner name", "Məhbus", "Məhbusun adı", "Siyasi məhbus",
	},
	roster.FieldSurname: {
		"Soyad", "Soyadı", "Фамилия", "Surname", "Last name", "Lastname", "Family name", "Last",
	},
	roster.FieldGiven: {
		"Ad", "Adı", "Имя", "Given name", "Given names", "First name", "Firstname", "Forename", "First",
	},
	roster.FieldPatronymic: {
		"Ata adı", "Atasının adı", "Atanın adı", "Отчество", "Patronymic", "Father's name", "Fathers name",
		"Father name", "Middle name",
	},
	roster.FieldAlias: {
		"Alias", "Aliases", "Also known as", "AKA", "A.K.A.", "Known as", "Pen name", "Pen names", "Pseudonym",
		"Other name", "Other names", "Former name", "Former names", "Former surname", "Maiden name", "Nickname",
		"Псевдоним", "Псевдонимы", "Другие имена", "Другое имя", "Известен как", "Известна как", "Прежняя фамилия",
		"Девичья фамилия", "Təxəllüs", "Təxəllüsü", "Ləqəb", "Ləqəbi", "Digər adları", "Digər adı", "Əvvəlki soyadı",
		"Əvvəlki adı", "Qızlıq soyadı",
	},
	roster.FieldBirth: {
		"Doğum ili", "Doğum tarixi", "Doğum", "Təvəllüd", "Год рождения", "Дата рождения", "Г.р.", "Born",
		"Birth year", "Year of birth", "Date of birth", "DOB", "Birth", "Birthdate", "Birth date", "YOB",
	},
	roster.FieldGender: {"Cins", "Cinsi", "Пол", "Gender", "Sex"},
	roster.FieldGroup: {
		"Kateqoriya", "Kateqoriyası", "Qrup", "Qrupu", "Bölmə", "Категория", "Группа", "Раздел",
		"Category", "Group", "Section",
	},
	roster.FieldCase: {
		"İş", "Cinayət işi", "İşin adı", "Дело", "Уголовное дело", "Case", "Criminal case", "Case name",
	},
	roster.FieldArrest: {
		"Həbs tarixi", "Tutulma tarixi", "Saxlanılma tarixi", "Həbs olunub", "Həbs edilib",
		"Дата ареста", "Арестован", "Дата задержания", "Задержан", "Arrest date", "Date of arrest",
		"Arrested", "Detained", "Date of detention", "Detention date", "Arrest",
	},
	roster.FieldSentence: {
		"Hökm", "Cəza", "Cəza müddəti", "Приговор", "Срок", "Срок наказания", "Sentence", "Term", "Prison term",
	},
	roster.FieldStatus: {"Status", "Статус", "Vəziyyət", "Vəziyyəti", "Состояние", "Current status", "State"},
	roster.FieldNotes: {
		"Qeyd", "Qeydlər", "Əlavə məlumat", "Примечание", "Примечания", "Комментарий", "Notes", "Note",
		"Comment", "Comments", "Remarks", "Additional information", "Info",
	},
	roster.FieldCharges: {
		"Maddə", "Maddələr", "İttiham", "Статья", "Статьи", "Обвинение", "Articles", "Article", "Charges",
		"Charge", "Criminal code articles",
	},
	roster.FieldPlace: {
		"Place of detention", "Место заключения", "Место содержания", "Saxlanma yeri", "Saxlanıldığı yer",
		"Həbsxana", "Cəzaçəkmə müəssisəsi", "Prison", "Facility", "Detention facility", "Place",
	},
}

// headerIndex maps a folded header text to its field. Built once at start
// from headerSynonyms and never changed.
var headerIndex = func() map[string]roster.Field {
	m := map[string]roster.Field{}
	for f, syns := range headerSynonyms {
		for _, s := range syns {
			m[fold(s)] = f
			m[foldA(s)] = f
		}
	}
	return m
}()

// headerByLen lists the folded synonyms of 5+ runes by rune length, for
// fuzzy matching. Built once at start; read only.
var headerByLen = func() map[int][]headerSyn {
	m := map[int][]headerSyn{}
	for s, f := range headerIndex {
		if n := len([]rune(s)); n >= 5 {
			m[n] = append(m[n], headerSyn{s, f})
		}
	}
	return m
}()

type headerSyn struct {
	folded string
	field  roster.Field
}

// Match confidence of a header classification.
const (
	confKeyword = 1
	confFuzzy   = 2
	confExact   = 3
	confMap     = 4
)

// classifyHeader recognises a header cell.
func classifyHeader(h string) (roster.Field, int) {
	if len(h) > 400 { // no header is this long: a data cell (bounded cost)
		return "", 0
	}
	k := fold(splitCamel(h))
	if k == "" || len(k) > 80 {
		return "", 0
	}
	if f, ok := headerIndex[k]; ok {
		return f, confExact
	}
	// Drop a parenthesised hint: "Doğum ili (il)", "Date of arrest (dd.mm.yyyy)".
	if i := strings.IndexAny(h, "([{"); i > 0 {
		if f, ok := headerIndex[fold(splitCamel(h[:i]))]; ok {
			return f, confExact
		}
	}
	if n := len([]rune(k)); n >= 5 && n <= 40 {
		best, bestD := roster.Field(""), 99
		ambiguous := false
		for ls := n - 2; ls <= n+2; ls++ {
			for _, hs := range headerByLen[ls] {
				d := levenshtein.ComputeDistance(k, hs.folded)
				lim := 1
				if n >= 9 && ls >= 9 {
					lim = 2
				}
				if d > lim {
					continue
				}
				if d < bestD {
					best, bestD, ambiguous = hs.field, d, false
				} else if d == bestD && hs.field != best {
					ambiguous = true
				}
			}
		}
		if best != "" && !ambiguous {
			return best, confFuzzy
		}
	}
	if f := keywordHeader(k); f != "" {
		return f, confKeyword
	}
	return "", 0
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// keywordHeader classifies a longer folded header by the words in it.
func keywordHeader(k string) roster.Field {
	toks := strings.Fields(k)
	has := func(ws ...string) bool {
		for _, t := range toks {
			for _, w := range ws {
				if t == w {
					return true
				}
			}
		}
		return false
	}
	pre := func(ps ...string) bool {
		for _, t := range toks {
			for _, p := range ps {
				if strings.HasPrefix(t, p) {
					return true
				}
			}
		}
		return false
	}
	sub := func(ss ...string) bool {
		for _, s := range ss {
			if strings.Contains(k, s) {
				return true
			}
		}
		return false
	}
	switch {
	// Before the name cases: "Maiden name", "Əvvəlki soyadı" are other names.
	case sub("also known", "known as", "pen name", "other name", "former name", "former surname", "maiden name",
		"nickname", "nick name", "alias", "pseudonym", "псевдоним", "другие имена", "другое имя", "известен как",
		"известна как", "прежняя фамилия", "девичья фамилия", "texellus", "leqeb", "diger ad", "evvelki soyad",
		"evvelki ad", "qizliq soyad") || has("aka"):
		return roster.FieldAlias
	case sub("saxlanma yeri", "saxlanildigi yer", "место заключ", "место содерж", "place of", "detention facility") ||
		pre("prison", "facility", "hebsxana", "cezacekme", "колони", "учрежден", "тюрьм"):
		return roster.FieldPlace
	case pre("dogum", "рожд", "birth", "born", "tevellud") || has("dob", "yob", "г р"):
		return roster.FieldBirth
	case pre("hebs", "tutul", "арест", "задерж", "arrest", "detain", "detention", "saxlanil"):
		return roster.FieldArrest
	case pre("soyad") && has("ad", "adi") || has("фио") || pre("фамил") && has("имя") ||
		has("name", "names") && has("surname", "surnames") || sub("full name"):
		return roster.FieldName
	case has("ata", "atasinin", "atanin") && pre("ad") || pre("отчеств", "patronym", "father"):
		return roster.FieldPatronymic
	case pre("soyad", "фамил", "surname") || has("last", "family") && has("name"):
		return roster.FieldSurname
	case has("имя", "ad", "adi") || has("first", "given") && has("name", "names"):
		return roster.FieldGiven
	case has("name", "names"):
		return roster.FieldName
	case pre("kateqor", "категор", "групп", "qrup", "group", "category"):
		return roster.FieldGroup
	case pre("дело", "cinayet") || has("case", "is", "isi", "дела"):
		return roster.FieldCase
	case pre("hokm", "ceza", "приговор", "срок", "sentence"):
		return roster.FieldSentence
	case pre("status", "статус", "veziyyet"):
		return roster.FieldStatus
	case pre("madde", "стать", "article", "charge", "ittiham", "обвин"):
		return roster.FieldCharges
	case pre("cins", "gender") || has("пол", "sex"):
		return roster.FieldGender
	case pre("qeyd", "примеч", "note", "comment", "remark", "коммент"):
		return roster.FieldNotes
	case has("no", "#", "id", "sira", "номер", "nomre", "number"):
		return roster.FieldRef
	}
	return ""
}

// columnMap is the outcome of header detection for one row.
type columnMap struct {
	fields []roster.Field // per column, "" when not used
	conf   []int
	alts   []roster.Field // per column: the field it would have given, when another column won it
	dups   [][2]int       // pairs of columns that read as one field equally well (the first is kept)
	score  int
}

func (c columnMap) has(f roster.Field) bool {
	for _, g := range c.fields {
		if g == f {
			return true
		}
	}
	return false
}

func (c columnMap) hasName() bool {
	return c.has(roster.FieldName) || c.has(roster.FieldSurname) || c.has(roster.FieldGiven)
}

// mapHeaderRow classifies one candidate header row; overrides win.
func mapHeaderRow(cells []string, ov map[roster.Field]string) columnMap {
	cm := columnMap{fields: make([]roster.Field, len(cells)), conf: make([]int, len(cells)), alts: make([]roster.Field, len(cells))}
	for i, c := range cells {
		cm.fields[i], cm.conf[i] = classifyHeader(c)
	}
	for f, want := range ov {
		if i, ok := overrideColumn(cells, want); ok {
			for j := range cm.fields {
				if cm.fields[j] == f && f != roster.FieldAlias { // --map alias adds a column
					cm.fields[j], cm.conf[j] = "", 0
				}
			}
			cm.fields[i], cm.conf[i] = f, confMap
		}
	}
	// One column per field: keep the most confident, then the leftmost.
	// A list may have several alias columns (pen name, maiden name): all
	// are kept.
	for i, f := range cm.fields {
		if f == "" || f == roster.FieldAlias {
			continue
		}
		for j := i + 1; j < len(cm.fields); j++ {
			if cm.fields[j] != f {
				continue
			}
			if cm.conf[j] > cm.conf[i] {
				cm.alts[i] = f
				cm.fields[i], cm.conf[i] = "", 0
				break
			}
			if cm.conf[j] == cm.conf[i] {
				cm.dups = append(cm.dups, [2]int{i, j})
			}
			cm.alts[j] = f
			cm.fields[j], cm.conf[j] = "", 0
		}
	}
	// "Name" next to "Surname" (and no given-name column) means the given name.
	if cm.has(roster.FieldName) && cm.has(roster.FieldSurname) && !cm.has(roster.FieldGiven) {
		for i, f := range cm.fields {
			if f == roster.FieldName && cm.conf[i] < confMap {
				switch fold(cells[i]) {
				case "name", "ad", "adi", "имя", "first":
					cm.fields[i] = roster.FieldGiven
				}
			}
		}
	}
	for i, f := range cm.fields {
		if f != "" {
			cm.score += cm.conf[i]
		}
	}
	return cm
}

// overrideColumn finds the column an override names: "#3" is the third
// column, else the header text compared folded.
func overrideColumn(cells []string, want string) (int, bool) {
	if strings.HasPrefix(want, "#") {
		n := 0
		for _, c := range want[1:] {
			if c < '0' || c > '9' {
				n = -1
				break
			}
			n = n*10 + int(c-'0')
		}
		if n >= 1 && n <= len(cells) {
			return n - 1, true
		}
	}
	w := fold(want)
	for i, c := range cells {
		if fold(c) == w {
			return i, true
		}
	}
	return -1, false
}

// findHeader picks the header row among the first rows: the one whose
// recognised columns (including a name column) score best; earliest wins
// a tie. It returns -1 when no row has a name column.
func findHeader(rows []tabRow, ov map[roster.Field]string) (int, columnMap) {
	best, bestMap := -1, columnMap{}
	limit := min(len(rows), headerRows)
	for i := 0; i < limit; i++ {
		if blankRow(rows[i].cells) {
			continue
		}
		cm := mapHeaderRow(rows[i].cells, ov)
		if !cm.hasName() {
			continue
		}
		if best < 0 || cm.score > bestMap.score {
			best, bestMap = i, cm
		}
	}
	return best, bestMap
}

func blankRow(cells []string) bool {
	for _, c := range cells {
		if trimValue(c) != "" {
			return false
		}
	}
	return true
}
