package importer

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/roster-coalition/roster/internal/roster"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
)

const azList = "Sıra №;Soyadı, adı, atasının adı;Doğum ili;Kateqoriya;Həbs tarixi\n" +
	"1;Məmmədov Elvin Həsən oğlu;1979;Jurnalistlər və bloggerlər;20.11.2023\n" +
	"2;Quliyeva Aynur Vaqif qızı;1988;Dindarlar;01.12.2023\n"

const ruList = "№ п/п;ФИО;Год рождения;Категория;Дата ареста\r\n" +
	"1;Мамедов Эльвин Гасан оглы;1979;Журналисты и блогеры;20 ноября 2023\r\n" +
	"2;Гулиева Айнур Вагиф кызы;1988;Верующие;01.12.2023\r\n"

func utf16Bytes(s string, big bool) []byte {
	u := utf16.Encode([]rune(s))
	var b bytes.Buffer
	if big {
		b.Write([]byte{0xFE, 0xFF})
	} else {
		b.Write([]byte{0xFF, 0xFE})
	}
	for _, c := range u {
		if big {
			binary.Write(&b, binary.BigEndian, c)
		} else {
			binary.Write(&b, binary.LittleEndian, c)
		}
	}
	return b.Bytes()
}

func win1251(t testing.TB, s string) []byte {
	b, err := charmap.Windows1251.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustRead(t *testing.T, name string, data []byte, opts Options) *Result {
	t.Helper()
	res, err := Read(name, data, opts)
	if err != nil {
		t.Fatalf("Read(%s): %v", name, err)
	}
	return res
}

func TestReadEncodingsAndDelimiters(t *testing.T) {
	tests := []struct {
		name      string
		file      string
		data      []byte
		enc       string
		delim     string
		format    string
		firstName string
		group     string
	}{
		{"utf8 semicolon", "a.csv", []byte(azList), encUTF8, ";", "csv", "Məmmədov Elvin Həsən oğlu", roster.GroupJournalist},
		{"utf8 bom", "a.csv", append(append([]byte{}, bomUTF8...), azList...), encUTF8BOM, ";", "csv", "Məmmədov Elvin Həsən oğlu", roster.GroupJournalist},
		{"utf16le bom", "a.csv", utf16Bytes(azList, false), encUTF16LE, ";", "csv", "Məmmədov Elvin Həsən oğlu", roster.GroupJournalist},
		{"utf16be bom", "a.csv", utf16Bytes(azList, true), encUTF16BE, ";", "csv", "Məmmədov Elvin Həsən oğlu", roster.GroupJournalist},
		{"windows-1251", "r.csv", win1251(t, ruList), enc1251, ";", "csv", "Мамедов Эльвин Гасан оглы", roster.GroupJournalist},
		{"utf16le russian", "r.csv", utf16Bytes(ruList, false), encUTF16LE, ";", "csv", "Мамедов Эльвин Гасан оглы", roster.GroupJournalist},
		// Without a BOM, UTF-16 is told by its zero bytes (issue 16): the
		// Russian list has few ASCII characters, so few zeros.
		{"utf16le no bom", "r.csv", utf16Bytes(ruList, false)[2:], encUTF16LE + "-nobom", ";", "csv", "Мамедов Эльвин Гасан оглы", roster.GroupJournalist},
		{"utf16be no bom", "a.csv", utf16Bytes(azList, true)[2:], encUTF16BE + "-nobom", ";", "csv", "Məmmədov Elvin Həsən oğlu", roster.GroupJournalist},
		{"comma", "a.csv", []byte(strings.Replace(strings.ReplaceAll(azList, ";", ","), "Soyadı, adı, atasının adı", `"Soyadı, adı, atasının adı"`, 1)), encUTF8, ",", "csv", "Məmmədov Elvin Həsən oğlu", roster.GroupJournalist},
		{"tab in .csv", "a.csv", []byte(strings.ReplaceAll(azList, ";", "\t")), encUTF8, "\t", "tsv", "Məmmədov Elvin Həsən oğlu", roster.GroupJournalist},
		{"tsv", "a.tsv", []byte(strings.ReplaceAll(azList, ";", "\t")), encUTF8, "\t", "tsv", "Məmmədov Elvin Həsən oğlu", roster.GroupJournalist},
		{"pipe", "a.csv", []byte(strings.ReplaceAll(azList, ";", "|")), encUTF8, "|", "csv", "Məmmədov Elvin Həsən oğlu", roster.GroupJournalist},
		{"no extension, sniffed", "list", []byte(azList), encUTF8, ";", "csv", "Məmmədov Elvin Həsən oğlu", roster.GroupJournalist},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := mustRead(t, tc.file, tc.data, Options{})
			if res.Encoding != tc.enc || res.Delimiter != tc.delim || res.Format != tc.format {
				t.Errorf("encoding/delimiter/format = %q/%q/%q, want %q/%q/%q", res.Encoding, res.Delimiter, res.Format, tc.enc, tc.delim, tc.format)
			}
			if len(res.Records) != 2 {
				t.Fatalf("records = %d, want 2", len(res.Records))
			}
			r := res.Records[0]
			if r.Name != tc.firstName || r.Group != tc.group || r.BirthYear != 1979 || r.ArrestDate != "2023-11-20" || r.Ref != "1" {
				t.Errorf("record 1 = %+v", r)
			}
			if res.Records[1].Group != roster.GroupReligious {
				t.Errorf("record 2 group = %q", res.Records[1].Group)
			}
			if len(res.Warnings) != 0 {
				t.Errorf("warnings: %v", res.Warnings)
			}
			if len(res.SHA256) != 64 {
				t.Errorf("sha256 = %q", res.SHA256)
			}
		})
	}
}

func TestRawRowKeptByteForByte(t *testing.T) {
	lines := []string{
		"Ad Soyad,Doğum ili,Qeyd",
		`Məmmədov  Elvin ,1979,"Bakı, Zabrat; ""Kürdəxanı"""`,
		`"Quliyeva Aynur",1988,"iki
sətirli qeyd"`,
		"Əliyev Şahin,1974,  boşluqlu  ",
	}
	for _, nl := range []string{"\n", "\r\n"} {
		data := strings.ReplaceAll(strings.Join(lines, "\n")+"\n", "\n", nl)
		res := mustRead(t, "raw.csv", []byte(data), Options{})
		if len(res.Records) != 3 {
			t.Fatalf("records = %d", len(res.Records))
		}
		want := []string{lines[1], strings.ReplaceAll(lines[2], "\n", nl), lines[3]}
		for i, r := range res.Records {
			if r.Raw != want[i] {
				t.Errorf("nl %q: raw %d = %q, want %q", nl, i, r.Raw, want[i])
			}
		}
		if res.Records[0].Name != "Məmmədov Elvin" || res.Records[0].Notes != `Bakı, Zabrat; "Kürdəxanı"` {
			t.Errorf("record 1 = %+v", res.Records[0])
		}
		if res.Records[1].Notes != "iki"+nl+"sətirli qeyd" || res.Records[2].Location != "line 5" {
			t.Errorf("record 2/3 = %+v / %+v", res.Records[1], res.Records[2])
		}
	}
	// Windows-1251 raw is decoded to UTF-8 and otherwise untouched.
	res := mustRead(t, "r.csv", win1251(t, ruList), Options{})
	if got, want := res.Records[1].Raw, "2;Гулиева Айнур Вагиф кызы;1988;Верующие;01.12.2023"; got != want {
		t.Errorf("1251 raw = %q, want %q", got, want)
	}
}

func TestHeaderDetection(t *testing.T) {
	F := func(fs ...roster.Field) []roster.Field { return fs }
	tests := []struct {
		name   string
		header string
		want   []roster.Field // per column ("" = not recognised)
	}{
		{"az full", "Sıra №;Soyadı, adı, atasının adı;Doğum ili;Kateqoriya;Həbs tarixi",
			F("ref", "name", "birth", "group", "arrest")},
		{"az split", "№;Soyadı;Adı;Atasının adı;Doğum tarixi;Qrup;Cinayət işi;Hökm;Vəziyyət;Qeydlər;Maddə;Cins;Saxlanma yeri",
			F("ref", "surname", "given", "patronymic", "birth", "group", "case", "sentence", "status", "notes", "charges", "gender", "place")},
		{"az caps turkish I", "SIRA;AD SOYAD;DOĞUM İLİ;İŞ;TUTULMA TARİXİ;QEYD",
			F("ref", "name", "birth", "case", "arrest", "notes")},
		{"az without letters", "Sira No;Soyadi adi atasinin adi;Dogum ili;Kateqoriya;Hebs tarixi",
			F("ref", "name", "birth", "group", "arrest")},
		{"ru full", "№ п/п;Ф.И.О.;Год рождения;Категория;Дата ареста;Приговор;Статус;Примечание;Статья;Пол;Место заключения",
			F("ref", "name", "birth", "group", "arrest", "sentence", "status", "notes", "charges", "gender", "place")},
		{"ru split", "№;Фамилия;Имя;Отчество;Дата рождения;Группа;Дело;Арестован;Срок",
			F("ref", "surname", "given", "patronymic", "birth", "group", "case", "arrest", "sentence")},
		{"en full", "#;Full name;DOB;Category;Case;Date of arrest;Sentence;Status;Notes;Charges;Sex;Place of detention",
			F("ref", "name", "birth", "group", "case", "arrest", "sentence", "status", "notes", "charges", "gender", "place")},
		{"en split", "ID;Last name;First name;Father's name;Year of birth;Group;Detained;Comment",
			F("ref", "surname", "given", "patronymic", "birth", "group", "arrest", "notes")},
		{"en name+surname", "No.;Name;Surname;Born",
			F("ref", "given", "surname", "birth")},
		{"en hints and variations", "Ref;Name and surname;Birth year (approx.);Arrest date (dd.mm.yyyy);Family name",
			F("ref", "name", "birth", "arrest", "surname")},
		{"fuzzy typos", "Sıra;Soyadı, adı, atasınn adı;Dogum ilı;Kateqorya;Hebs tarxi",
			F("ref", "name", "birth", "group", "arrest")},
		{"keywords", "N;ФИО заключённого;Год и место рождения;Date when detained;Political group;Criminal case number",
			F("ref", "name", "birth", "arrest", "group", "case")},
		{"unknown column kept out", "Ad Soyad;Telefon;Doğum ili",
			F("name", "", "birth")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cells := strings.Split(tc.header, ";")
			cm := mapHeaderRow(cells, nil)
			if len(cm.fields) != len(tc.want) {
				t.Fatalf("fields = %v", cm.fields)
			}
			for i := range tc.want {
				if cm.fields[i] != tc.want[i] {
					t.Errorf("column %q = %q, want %q", cells[i], cm.fields[i], tc.want[i])
				}
			}
		})
	}
}

func TestSplitNameColumns(t *testing.T) {
	tests := []struct {
		name, data             string
		want, sur, given, patr string
	}{
		{"az", "Soyadı;Adı;Ata adı;Doğum ili\nMəmmədov;Elvin;Həsən oğlu;1979\n",
			"Məmmədov Elvin Həsən oğlu", "Məmmədov", "Elvin", "Həsən oğlu"},
		{"ru", "Фамилия;Имя;Отчество\nГулиева;Айнур;Вагиф кызы\n",
			"Гулиева Айнур Вагиф кызы", "Гулиева", "Айнур", "Вагиф кызы"},
		{"en given first", "First name,Last name,Year of birth\nElvin,MAMMADOV,1979\n",
			"MAMMADOV Elvin", "MAMMADOV", "Elvin", ""},
		{"surname only", "Surname,Born\nAliyev,1974\n", "Aliyev", "Aliyev", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := mustRead(t, "s.csv", []byte(tc.data), Options{})
			r := res.Records[0]
			if r.Name != tc.want || r.Surname != tc.sur || r.Given != tc.given || r.Patronymic != tc.patr {
				t.Errorf("got %q (%q/%q/%q), want %q", r.Name, r.Surname, r.Given, r.Patronymic, tc.want)
			}
		})
	}
}

func TestHeaderBelowTitleAndRefFallback(t *testing.T) {
	data := "Siyasi məhbusların siyahısı\nİyun 2025\n\nAd Soyad;Doğum ili\nMəmmədov Elvin;1979\nQuliyeva Aynur;1988\n"
	res := mustRead(t, "t.csv", []byte(data), Options{})
	if res.HeaderRow != 4 || len(res.Records) != 2 {
		t.Fatalf("header row %d, %d records", res.HeaderRow, len(res.Records))
	}
	if res.Records[0].Ref != "1" || res.Records[1].Ref != "2" || res.Records[1].Location != "line 6" {
		t.Errorf("refs %q %q loc %q", res.Records[0].Ref, res.Records[1].Ref, res.Records[1].Location)
	}
	if res.Headers[roster.FieldName] != "Ad Soyad" {
		t.Errorf("headers = %v", res.Headers)
	}
}

func TestOverrideMap(t *testing.T) {
	data := "Nömrə;Şəxs;İl;Bölüm\n7;Məmmədov Elvin;1979;Dindarlar\n"
	if _, err := Read("o.csv", []byte(data), Options{}); err == nil {
		t.Fatal("want no-name-column error without a map")
	}
	res := mustRead(t, "o.csv", []byte(data), Options{Map: map[roster.Field]string{
		roster.FieldName: "şəxs", roster.FieldBirth: "#3", roster.FieldGroup: "Bölüm",
	}})
	r := res.Records[0]
	if r.Name != "Məmmədov Elvin" || r.BirthYear != 1979 || r.Group != roster.GroupReligious || r.Ref != "7" {
		t.Errorf("record = %+v", r)
	}
	if res.Headers[roster.FieldBirth] != "İl" {
		t.Errorf("headers = %v", res.Headers)
	}
	// The override wins over a recognised header.
	res = mustRead(t, "o.csv", []byte("Ad Soyad;Ləqəb\nMəmmədov Elvin;Elvo\n"), Options{Map: map[roster.Field]string{roster.FieldName: "Ləqəb"}})
	if res.Records[0].Name != "Elvo" {
		t.Errorf("override lost: %+v", res.Records[0])
	}
	// A map naming no column is an error naming the column.
	_, err := Read("o.csv", []byte("Ad Soyad;Doğum ili\nX Y;1979\n"), Options{Map: map[roster.Field]string{roster.FieldBirth: "Born"}})
	var e *Error
	if !errors.As(err, &e) || e.Column != "Born" {
		t.Errorf("err = %v", err)
	}
	if _, err := Read("o.csv", []byte(azList), Options{Map: map[roster.Field]string{"nonsense": "x"}}); err == nil {
		t.Error("unknown field in map accepted")
	}
}

func TestGroupHeadingRows(t *testing.T) {
	data := "№;Ad Soyad;Doğum ili\nI. Dindarlar (2);;\n1;Məmmədov Elvin;1994\n2;Qasımov Orxan;1986\nII. Jurnalistlər;;\n1;Quliyeva Aynur;1988\n"
	res := mustRead(t, "h.csv", []byte(data), Options{})
	if len(res.Records) != 3 {
		t.Fatalf("records = %d", len(res.Records))
	}
	want := []string{roster.GroupReligious, roster.GroupReligious, roster.GroupJournalist}
	for i, r := range res.Records {
		if r.Group != want[i] {
			t.Errorf("record %d group %q (raw %q)", i, r.Group, r.GroupRaw)
		}
	}
	// Numbering restarts per section: refs are kept as written, with a note.
	if res.Records[2].Ref != "1" || res.Records[2].Row != 3 || len(res.Warnings) != 0 || !strings.Contains(strings.Join(res.Notes, "\n"), `references repeat ("1")`) {
		t.Errorf("ref %q, warnings %v, notes %v", res.Records[2].Ref, res.Warnings, res.Notes)
	}
}

func TestWarningsAndStrict(t *testing.T) {
	data := "Ad Soyad;Doğum ili;Həbs tarixi;Cins\n" +
		"Məmmədov Elvin;19x5;spring 2023;kişi\n" +
		"Quliyeva Aynur;1988;12.03.2024;?\n" +
		"Əliyev Şahin;2985;2024;m\n"
	res := mustRead(t, "w.csv", []byte(data), Options{})
	want := []struct {
		row int
		col string
	}{{2, "Doğum ili"}, {2, "Həbs tarixi"}, {3, "Cins"}, {4, "Doğum ili"}}
	if len(res.Warnings) != len(want) {
		t.Fatalf("warnings = %v", res.Warnings)
	}
	for i, w := range want {
		if res.Warnings[i].Row != w.row || res.Warnings[i].Column != w.col || res.Warnings[i].File != "w.csv" {
			t.Errorf("warning %d = %v, want row %d column %q", i, res.Warnings[i], w.row, w.col)
		}
	}
	if s := res.Warnings[0].String(); !strings.HasPrefix(s, `w.csv:2: column "Doğum ili": "19x5"`) {
		t.Errorf("warning string = %q", s)
	}
	r := res.Records[0]
	if r.BirthYear != 0 || r.ArrestDate != "" || r.Gender != "m" || !strings.Contains(r.Raw, "19x5") {
		t.Errorf("record = %+v", r)
	}
	if res.Records[2].ArrestDate != "2024" {
		t.Errorf("year-only arrest = %q", res.Records[2].ArrestDate)
	}
	_, err := Read("w.csv", []byte(data), Options{Strict: true})
	var e *Error
	if !errors.As(err, &e) || e.Row != 2 || e.Column != "Doğum ili" {
		t.Fatalf("strict err = %v", err)
	}
	if roster.ErrorCode(err) != roster.EINVALID {
		t.Errorf("error code = %q", roster.ErrorCode(err))
	}
}

func TestBadInput(t *testing.T) {
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{0, 1, 2, 0xff}, 50)...)
	latin1 := []byte("Nom;Né\nJos\xe9 Garc\xeda;1979\nFran\xe7ois Dupr\xe9;1980\n")
	tests := []struct {
		name, file string
		data       []byte
		opts       Options
		row        int
		col        string
		msg        string
	}{
		{"binary", "x.csv", png, Options{}, 0, "", "binary file"},
		{"binary utf8 with NUL", "x.csv", []byte("Ad Soyad\nA\x00B\n"), Options{}, 0, "", "binary file"},
		{"control characters", "x.csv", []byte("Ad Soyad\n" + strings.Repeat("A\x01\x02\x03B\n", 20)), Options{}, 0, "", "binary file"},
		{"latin-1", "x.csv", latin1, Options{}, 2, "", "unknown encoding"},
		{"empty", "x.csv", nil, Options{}, 0, "", "empty file"},
		{"blank", "x.csv", []byte("\n\n  \n"), Options{}, 0, "", "empty file"},
		{"header only", "x.csv", []byte("Title\nAd Soyad;Doğum ili\n;\n"), Options{}, 2, "", "no records"},
		{"no name column", "x.csv", []byte("Doğum ili;Kateqoriya\n1979;Dindarlar\n"), Options{}, 0, "", "no name column"},
		{"unterminated quote", "x.csv", []byte("Ad Soyad;Doğum ili\nMəmmədov Elvin;1979\n\"Quliyeva Aynur;1988\nƏliyev Şahin;1974\n"), Options{}, 3, "Ad Soyad", "never closed"},
		{"text after quote", "x.csv", []byte("Ad Soyad;Doğum ili\nMəmmədov Elvin;1979\nQuliyeva Aynur;\"1988\"x\n"), Options{}, 3, "Doğum ili", "after a closing quote"},
		{"too few fields", "x.csv", []byte("Ad Soyad;Doğum ili;Qeyd\nMəmmədov Elvin;1979;\nQuliyeva Aynur;1988\n"), Options{}, 3, "Qeyd", "the row has 2 fields, the header has 3"},
		{"too many fields", "x.csv", []byte("Ad Soyad;Doğum ili\nMəmmədov Elvin;1979;Dindar\n"), Options{}, 2, "#3", "the row has 3 fields"},
		{"empty name", "x.csv", []byte("№;Ad Soyad;Doğum ili\n1;Məmmədov Elvin;1979\n2; ;1988\n"), Options{}, 3, "Ad Soyad", "empty name"},
		{"empty split name", "x.csv", []byte("Soyadı;Adı;Doğum ili\nMəmmədov;Elvin;1979\n;\t;1988\n"), Options{}, 3, "Soyadı", "empty name"},
		{"bad json", "x.json", []byte(`[{"name": "A"}, {"name": }]`), Options{}, 1, "", "invalid JSON in element 2"},
		{"bad json lines", "x.json", []byte("[\n{\"name\": \"A\"},\n {\"name\":\n x}]"), Options{}, 4, "", "invalid JSON in element 2 (which starts on line 3)"},
		{"json not array", "x.json", []byte(`"hello"`), Options{}, 0, "", "not an array"},
		{"json empty name", "x.json", []byte(`[{"name": "A B"}, {"name": null, "born": 1988}]`), Options{}, 2, "name", "empty name"},
		{"not xlsx", "x.xlsx", []byte("Ad Soyad\nA B\n"), Options{}, 0, "", "not an XLSX"},
		{"corrupt xlsx", "x.xlsx", []byte("PK\x03\x04garbage"), Options{}, 0, "", "unreadable XLSX"},
		{"unknown format", "x.csv", []byte(azList), Options{Format: "ods"}, 0, "", "unknown format"},
		{"old xls", "x.xls", []byte{0xD0, 0xCF, 0x11, 0xE0}, Options{}, 0, "", "not supported"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Read(tc.file, tc.data, tc.opts)
			if err == nil {
				t.Fatalf("no error; %d records", len(res.Records))
			}
			if res != nil {
				t.Error("partial result with an error")
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T %v is not an *Error", err, err)
			}
			if e.File != tc.file || e.Row != tc.row || e.Column != tc.col || !strings.Contains(e.Msg, tc.msg) {
				t.Errorf("error = %+v (%v), want row %d column %q msg ~%q", e, err, tc.row, tc.col, tc.msg)
			}
			if !strings.HasPrefix(err.Error(), tc.file+":") {
				t.Errorf("message %q does not start with the file", err)
			}
			if roster.ErrorCode(err) != roster.EINVALID {
				t.Errorf("code = %q", roster.ErrorCode(err))
			}
		})
	}
}

func TestErrorFormat(t *testing.T) {
	e := &Error{File: "a.csv", Row: 17, Column: "Doğum ili", Msg: "expected a year"}
	if got := e.Error(); got != `a.csv:17: column "Doğum ili": expected a year` {
		t.Errorf("got %q", got)
	}
	e = &Error{File: "a.csv", Msg: "empty file"}
	if got := e.Error(); got != "a.csv: empty file" { // row 0 is the whole file
		t.Errorf("got %q", got)
	}
}

func TestReadXLSX(t *testing.T) {
	f := excelize.NewFile()
	f.SetCellValue("Sheet1", "A1", "ignore me")
	f.NewSheet("List")
	f.SetCellValue("List", "A1", "Freedom for Political Prisoners — June 2025")
	rows := [][]any{
		{"No.", "First name", "Last name", "Year of birth", "Group", "Date of arrest"},
		{1, "Elvin", "MAMMADOV", 1979, "Journalists and bloggers", "12 March 2024"},
		{2, "Aynur", "Guliyeva", 1988, "Religious believers", nil},
		{},
		{3, "Shahin", "Aliyev", "1974", "II. Anti-war activists (2)", 45363}, // Excel serial for 2024-03-12
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+3)
		if err := f.SetSheetRow("List", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()

	// First sheet has no name column.
	if _, err := Read("f.xlsx", data, Options{}); err == nil || !strings.Contains(err.Error(), "no name column") {
		t.Fatalf("first sheet: err = %v", err)
	}
	_, err := Read("f.xlsx", data, Options{Sheet: "Missing"})
	if err == nil || !strings.Contains(err.Error(), `"List"`) {
		t.Fatalf("missing sheet: err = %v", err)
	}
	res := mustRead(t, "f.xlsx", data, Options{Sheet: "List"})
	if res.Format != "xlsx" || res.Sheet != "List" || res.HeaderRow != 3 || len(res.Records) != 3 {
		t.Fatalf("result = %+v", res)
	}
	r := res.Records[0]
	if r.Name != "MAMMADOV Elvin" || r.Given != "Elvin" || r.Surname != "MAMMADOV" || r.BirthYear != 1979 ||
		r.ArrestDate != "2024-03-12" || r.Group != roster.GroupJournalist || r.Raw != "1\tElvin\tMAMMADOV\t1979\tJournalists and bloggers\t12 March 2024" {
		t.Errorf("record 1 = %+v", r)
	}
	r = res.Records[2]
	if r.ArrestDate != "2024-03-12" || r.Group != roster.GroupAntiWar || r.Location != "row 7" || r.Ref != "3" {
		t.Errorf("record 3 = %+v", r)
	}
	// Sniffed without an extension.
	if res := mustRead(t, "download", data, Options{Sheet: "list"}); res.Format != "xlsx" {
		t.Errorf("sniffed format %q", res.Format)
	}
}

func TestReadJSON(t *testing.T) {
	data := `[
  {"id": "CDR-101", "name": "Mamedov Elvin", "born": 1979, "category": "Journalists", "arrested": "2023-11-20"},
  {"id": "CDR-103", "fullName": "Guliyeva Ainur", "birthYear": "1988", "category": "Religious", "tags": ["a", "b"], "extra": {"x": 1}},
  {"id": "CDR-105", "name": "Aliev Shakhin", "born": null, "category": "Entrepreneurs", "arrested": "2024-03-12T00:00:00Z"}
]`
	res := mustRead(t, "c.json", []byte(data), Options{})
	if len(res.Records) != 3 || res.Format != "json" {
		t.Fatalf("result = %+v", res)
	}
	if r := res.Records[0]; r.Ref != "CDR-101" || r.Name != "Mamedov Elvin" || r.BirthYear != 1979 || r.Group != roster.GroupJournalist ||
		r.Raw != `{"id": "CDR-101", "name": "Mamedov Elvin", "born": 1979, "category": "Journalists", "arrested": "2023-11-20"}` {
		t.Errorf("record 1 = %+v", r)
	}
	// "name" and "fullName" are both name keys: each object uses the one it has.
	if r := res.Records[1]; r.Name != "Guliyeva Ainur" || r.BirthYear != 1988 || r.Group != roster.GroupReligious {
		t.Errorf("record 2 = %+v", r)
	}
	if r := res.Records[2]; r.ArrestDate != "2024-03-12" || r.Group != "" || r.GroupRaw != "Entrepreneurs" || r.Location != "element 3" {
		t.Errorf("record 3 = %+v", r)
	}
	if len(res.Unmapped) != 1 || res.Unmapped[0] != "Entrepreneurs" || res.Groups[""] != 1 {
		t.Errorf("unmapped %v groups %v", res.Unmapped, res.Groups)
	}
	// Wrapped in an object.
	res = mustRead(t, "c.json", []byte(`{"updated": "2025-04", "prisoners": [{"ФИО": "Алиев Шахин", "Год рождения": 1974}]}`), Options{})
	if len(res.Records) != 1 || res.Records[0].BirthYear != 1974 {
		t.Errorf("wrapped: %+v", res.Records)
	}
	// UTF-8 BOM JSON.
	res = mustRead(t, "c.json", append(append([]byte{}, bomUTF8...), `[{"Name":"A B"}]`...), Options{})
	if res.Records[0].Name != "A B" {
		t.Errorf("bom json: %+v", res.Records)
	}
}

func TestReadJSONFullNameKey(t *testing.T) {
	res := mustRead(t, "c.json", []byte(`[{"full_name": "Guliyeva Ainur", "birth_year": 1988, "dateOfArrest": "01.12.2023"}]`), Options{})
	r := res.Records[0]
	if r.Name != "Guliyeva Ainur" || r.BirthYear != 1988 || r.ArrestDate != "2023-12-01" {
		t.Errorf("record = %+v (headers %v)", r, res.Headers)
	}
}

func TestDuplicateRefsAndTrailingDelimiter(t *testing.T) {
	data := "№;Ad Soyad;\n1.;Məmmədov Elvin;\n2.;Quliyeva Aynur;\n"
	res := mustRead(t, "d.csv", []byte(data), Options{})
	if res.Records[0].Ref != "1" || res.Records[1].Ref != "2" {
		t.Errorf("refs %q %q", res.Records[0].Ref, res.Records[1].Ref)
	}
}

func TestReadDocumentDispatch(t *testing.T) {
	html := `<html><body><h1>Siyahı</h1><table>
<tr><th>№</th><th>ФИО</th><th>Год рождения</th><th>Категория</th></tr>
<tr><td>1</td><td>Алиев Шахин Закир оглы</td><td>1974</td><td>Верующие</td></tr>
<tr><td>2</td><td>Гулиева Айнур Вагиф кызы</td><td>1988</td><td>Журналисты и блогеры</td></tr>
</table></body></html>`
	res := mustRead(t, "list.html", []byte(html), Options{})
	if len(res.Records) != 2 || res.Records[1].Group != roster.GroupJournalist || res.Records[0].BirthYear != 1974 {
		t.Errorf("html table: %+v", res.Records)
	}
	txt := "II. Jurnalistlər və bloggerlər (1)\n\n1. Məmmədov Elvin Həsən oğlu, 1979-cu il təvəllüdlü, 20.11.2023-cü ildə həbs edilib.\n"
	res = mustRead(t, "list.txt", []byte(txt), Options{})
	if len(res.Records) != 1 || !strings.Contains(res.Records[0].Name, "Məmmədov Elvin") {
		t.Errorf("text list: %+v", res.Records)
	}
}

func TestTotalRowAndDelimitedTxt(t *testing.T) {
	data := "№;Ad Soyad;Doğum ili\n1;Məmmədov Elvin;1979\n2;Quliyeva Aynur;1988\nCəmi: 2 nəfər;;\n"
	res := mustRead(t, "t.csv", []byte(data), Options{})
	if len(res.Records) != 2 {
		t.Errorf("records = %d", len(res.Records))
	}
	res = mustRead(t, "t.csv", []byte("ФИО,Год рождения\nАлиев Шахин,1974\nИтого,1\n"), Options{})
	if len(res.Records) != 1 {
		t.Errorf("records = %d", len(res.Records))
	}
	res = mustRead(t, "export.txt", []byte("Full name\tBorn\nShahin Aliyev\t1974\n"), Options{})
	if len(res.Records) != 1 || res.Records[0].BirthYear != 1974 {
		t.Errorf("txt as tsv: %+v", res.Records)
	}
}
