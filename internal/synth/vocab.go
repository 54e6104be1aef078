package synth

import "github.com/roster-coalition/roster/internal/roster"

// groupWeights is the share of each group among the made-up persons:
// religious believers are the largest group, as in the coalition's lists.
var groupWeights = map[string]float64{
	roster.GroupReligious:       30,
	roster.GroupOpposition:      17,
	roster.GroupJournalist:      10,
	roster.GroupRightsDefender:  4,
	roster.GroupEthnicMinority:  5,
	roster.GroupAntiWar:         4,
	roster.GroupDeportedRefugee: 3,
	roster.GroupLifeSentence:    7,
	roster.GroupSoyudlu:         3,
	roster.GroupImishli:         3,
	roster.GroupTartar:          8,
	roster.GroupGanja:           6,
}

// birthByGroup is the mean and spread of birth years per group.
var birthByGroup = map[string][2]int{
	roster.GroupReligious:       {1982, 10},
	roster.GroupOpposition:      {1978, 12},
	roster.GroupJournalist:      {1988, 8},
	roster.GroupRightsDefender:  {1975, 12},
	roster.GroupEthnicMinority:  {1972, 12},
	roster.GroupAntiWar:         {1996, 5},
	roster.GroupDeportedRefugee: {1985, 9},
	roster.GroupLifeSentence:    {1968, 9},
	roster.GroupSoyudlu:         {1975, 13},
	roster.GroupImishli:         {1980, 12},
	roster.GroupTartar:          {1985, 7},
	roster.GroupGanja:           {1984, 10},
}

// groupLabels are the labels a list prints for each group, by language.
var groupLabels = map[string][3]string{ // az, ru, en
	roster.GroupReligious:       {"Dini etiqadına görə həbs olunanlar", "Верующие", "Religious believers"},
	roster.GroupOpposition:      {"Müxalifət fəalları", "Оппозиционные активисты", "Opposition activists"},
	roster.GroupJournalist:      {"Jurnalistlər və bloggerlər", "Журналисты и блогеры", "Journalists and bloggers"},
	roster.GroupRightsDefender:  {"Hüquq müdafiəçiləri", "Правозащитники", "Human rights defenders"},
	roster.GroupEthnicMinority:  {"Etnik azlıqların nümayəndələri", "Представители этнических меньшинств", "Ethnic minority activists"},
	roster.GroupAntiWar:         {"Müharibə əleyhdarları", "Антивоенные активисты", "Anti-war activists"},
	roster.GroupDeportedRefugee: {"Deportasiya olunanlar və qaçqınlar", "Депортированные и беженцы", "Deported persons and refugees"},
	roster.GroupLifeSentence:    {"Ömürlük məhbuslar", "Пожизненно осуждённые", "Life-sentenced prisoners"},
	roster.GroupSoyudlu:         {"Söyüdlü işi", "Дело Сёюдлю", "Soyudlu case"},
	roster.GroupImishli:         {"İmişli etirazı", "Протест в Имишли", "Imishli protest"},
	roster.GroupTartar:          {"Tərtər işi", "Тертерское дело", "Tartar case"},
	roster.GroupGanja:           {"Gəncə işi", "Гянджинское дело", "Ganja case"},
}

// caseDef is a criminal case: its group, labels by language and when its
// arrests happened (zero Year: spread over 2012–2025).
type caseDef struct {
	Group       string
	Az, Ru, En  string
	Year, Month int
	Share       float64 // share of the group's persons in this case
}

var cases = []caseDef{
	{roster.GroupReligious, "Nardaran işi", "Нардаранское дело", "Nardaran case", 2015, 11, 0.35},
	{roster.GroupReligious, "Müsəlman Birliyi Hərəkatı işi", "Дело «Мусульманского единства»", "Muslim Unity Movement case", 2017, 3, 0.25},
	{roster.GroupOpposition, "AXCP üzvləri", "Члены НФПА", "APFP members", 0, 0, 0.5},
	{roster.GroupOpposition, "NİDA hərəkatı", "Движение NIDA", "NIDA movement", 2021, 4, 0.15},
	{roster.GroupJournalist, "Abzas Media işi", "Дело Abzas Media", "Abzas Media case", 2023, 11, 0.3},
	{roster.GroupJournalist, "Toplum TV işi", "Дело Toplum TV", "Toplum TV case", 2024, 3, 0.2},
	{roster.GroupJournalist, "Meydan TV işi", "Дело Meydan TV", "Meydan TV case", 2024, 12, 0.2},
	{roster.GroupEthnicMinority, "Talış fəalları işi", "Дело талышских активистов", "Talysh activists case", 2021, 7, 0.5},
	{roster.GroupAntiWar, "Müharibə əleyhinə bəyanat", "Антивоенное заявление", "Anti-war statement", 2023, 9, 0.6},
	{roster.GroupSoyudlu, "Söyüdlü işi", "Сёюдлюнское дело", "Soyudlu case", 2023, 6, 1},
	{roster.GroupImishli, "İmişli işi", "Имишлинское дело", "Imishli case", 2022, 8, 1},
	{roster.GroupTartar, "Tərtər işi", "Тертерское дело", "Tartar case", 2017, 5, 1},
	{roster.GroupGanja, "Gəncə işi", "Гянджинское дело", "Ganja case", 2018, 7, 1},
}

func langIndex(lang string) int {
	switch lang {
	case "ru":
		return 1
	case "en":
		return 2
	}
	return 0
}

func (c caseDef) label(lang string) string {
	return [3]string{c.Az, c.Ru, c.En}[langIndex(lang)]
}

// headers are the column headers by language.
var headers = map[string]map[string]string{
	"az": {"ref": "№", "name": "Soyadı, adı, atasının adı", "surname": "Soyadı", "given": "Adı", "patronymic": "Atasının adı",
		"birth": "Doğum ili", "group": "Kateqoriya", "case": "İş", "arrest": "Həbs tarixi"},
	"ru": {"ref": "№ п/п", "name": "ФИО", "surname": "Фамилия", "given": "Имя", "patronymic": "Отчество",
		"birth": "Год рождения", "group": "Категория", "case": "Дело", "arrest": "Дата ареста"},
	"en": {"ref": "No.", "name": "Full name", "surname": "Surname", "given": "Given name", "patronymic": "Father's name",
		"birth": "Year of birth", "group": "Category", "case": "Case", "arrest": "Date of arrest"},
	"json": {"ref": "id", "name": "name", "surname": "surname", "given": "given_name", "patronymic": "patronymic",
		"birth": "born", "group": "category", "case": "case", "arrest": "arrested"},
}
