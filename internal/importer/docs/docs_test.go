package docs

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/roster-coalition/roster/internal/roster"
)

func load(t testing.TB, name string) *Document {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "fixtures", "docs", name))
	if err != nil {
		t.Fatal(err)
	}
	d, err := Parse(filepath.Ext(name), b)
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return d
}

// want is an expected entry: the fields listed must match exactly (a field
// given as "" must be absent).
type want struct {
	line   int
	loc    string
	fields map[roster.Field]string
}

func TestFixtures(t *testing.T) {
	F := func(kv ...string) map[roster.Field]string {
		m := map[roster.Field]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[roster.Field(kv[i])] = kv[i+1]
		}
		return m
	}
	tests := []struct {
		file      string
		format    string
		entries   int
		headings  []string // "level:label:count:entries"
		want      []want
		notes     []string // substrings, each must be in some note
		unplaced  int
		tables    int
		tableHead []string
	}{
		{
			file: "numbered-groups-en.docx", format: "docx", entries: 7,
			headings: []string{
				"1:List of political prisoners in Azerbaijan:-1:0",
				"1:journalists and bloggers:3:3", "1:religious activists:4:3", "1:anti-war activists:1:1"},
			want: []want{
				{5, "paragraph 5", F("ref", "1", "name", "Nəsirov Elçin Tahir oğlu", "group", "journalists and bloggers",
					"birth", "1987", "arrest", "14 November 2023", "charges", "206.3.2, 192.3.2", "sentence", "8 years", "notes", "")}, // Word numbering, not text
				{6, "paragraph 6", F("ref", "2", "name", "Rzayeva, Günay Arif qızı", "birth", "1994", "arrest", "03.12.2023", "charges", "206.3.2", "notes", "blogger")},
				{7, "paragraph 7", F("ref", "3", "name", "Kazımlı Orxan V.")},
				{10, "paragraph 10", F("ref", "5", "name", "Aynur Sabir qızı Kərimova", "alias", "Aynur Kərimzadə", "notes", "", "birth", "1990", "sentence", "6 years and 6 months", "group", "religious activists")},
				{13, "paragraph 13", F("ref", "7", "group", "anti-war activists", "charges", "281.2", "arrest", "21 September 2024")},
			},
			notes: []string{
				`heading "Group No. 2 – religious activists (4)" (paragraph 8) announces 4 entries, 3 follow`,
				`document total "Total: 9" (paragraph 14) announces 9 entries, 7 found`,
				`heading counts add up to 8, document total "Total: 9" (paragraph 14) says 9`,
			},
			unplaced: 2,
		},
		{
			file: "person-blocks-en.docx", format: "docx", entries: 3,
			headings: []string{"1:Political prisoners: individual cases:-1:0", "1:Journalists:-1:2", "1:Opposition activists:-1:1"},
			want: []want{
				{3, "paragraph 3", F("ref", "17", "name", "Elvin Rauf oglu Quliyev", "group", "Journalists", "arrest", "12 March 2024", "charges", "234.4.3, 228.1",
					"place", "Baku Pre-trial Detention Facility No. 1", "sentence", "9 years", "birth", "1988")},
				{9, "paragraph 9", F("ref", "18", "name", "Lalə Bəhruz qızı Həsənova", "arrest", "05.01.2024", "charges", "206.3.2", "place", "Women's Prison No. 4",
					"birth", "1991", "sentence", "7 years in prison")},
				{13, "paragraph 13", F("ref", "19", "name", "Novruzov, Anar Şahin oğlu", "group", "Opposition activists", "arrest", "30 October 2023",
					"status", "pre-trial detention", "birth", "1983", "charges", "220.1, 233")},
			},
		},
		{
			file: "table-az.docx", format: "docx", entries: 0, tables: 1, unplaced: 2,
			tableHead: []string{"№", "Soyadı, adı, atasının adı", "Doğum ili", "Həbs tarixi", "Maddə", "Qrup"},
			headings:  []string{"1:Siyasi məhbusların siyahısı:-1:0"},
		},
		{
			file: "lettered-subcases-en.pdf", format: "pdf", entries: 6, unplaced: 1,
			headings: []string{"1:Journalists and bloggers:2:2", "1:Religious activists:-1:4",
				`2:"Freedom for Hijab" protest (5 October 2012):-1:2`, `2:"Nardaran" case (2015):-1:2`},
			want: []want{
				// a wrapped entry: the second PDF line continues the first
				{3, "page 1, line 3", F("ref", "1", "name", "Mirzəyev Kənan Oqtay oğlu", "birth", "1986", "arrest", "7 December 2023",
					"charges", "206.3.2, 192.3.2, 193-1.3.2", "sentence", "8 years and 6 months in prison", "group", "Journalists and bloggers", "case", "")},
				{6, "page 1, line 6", F("ref", "2", "name", "Şükürova Nərmin Vaqif qızı", "birth", "1995", "arrest", "15.01.2024")},
				{9, "page 1, line 9", F("ref", "3", "name", "Zeynalov Cavid Elman oğlu", "group", "Religious activists", "case", `"Freedom for Hijab" protest (5 October 2012)`, "sentence", "10 years")},
				{12, "page 2, line 2", F("ref", "5", "name", "Həsənli Toğrul Fikrət oğlu", "case", `"Nardaran" case (2015)`, "charges", "214.2.1, 228.3", "arrest", "26 November 2015")},
				{14, "page 2, line 4", F("ref", "6", "name", "Гусейнов Мурад Эльдар оглы", "birth", "1990", "arrest", "26.11.2015", "notes", "верующий")},
			},
		},
		{
			file: "az-list.txt", format: "txt", entries: 6, unplaced: 2,
			headings: []string{"1:Jurnalistlər və bloqerlər:3:3", "1:Dini fəallar:2:2", "1:Müharibə əleyhinə fəallar:-1:1"},
			want: []want{
				{5, "line 5", F("ref", "1", "name", "Mirzəyev Kənan Oqtay oğlu", "birth", "1986", "arrest", "07.12.2023", "charges", "206.3.2, 192.3.2", "sentence", "8 il həbs", "group", "Jurnalistlər və bloqerlər")},
				{10, "line 10", F("ref", "4", "name", "Zeynalov Cavid Elman oğlu", "charges", "234.4.3", "sentence", "10 il həbs", "group", "Dini fəallar")},
				{14, "line 14", F("ref", "6", "name", "Paşayev Nicat Fazil oğlu", "arrest", "21.09.2024", "charges", "281.2", "place", "1 saylı İstintaq Təcridxanası", "sentence", "5 il 6 ay")},
			},
			notes: []string{`document total "Cəmi: 7" (line 20) announces 7 entries, 6 found`},
		},
		{
			file: "russian-list-ru.html", format: "html", entries: 4, unplaced: 1, tables: 1,
			tableHead: []string{"№", "ФИО", "Год рождения", "Дата ареста", "Статья"},
			headings:  []string{"1:Список политических заключённых в Азербайджане:-1:0", "1:Журналисты и блогеры:3:2", "1:Верующие:-1:2", "1:Таблица: участники протеста:-1:0"},
			want: []want{
				{4, "paragraph 4", F("ref", "1", "name", "Гасымов Вугар Эльман оглы", "arrest", "12.03.2024", "birth", "1984", "charges", "206.3.2", "notes", "журналист", "group", "Журналисты и блогеры")},
				{5, "paragraph 5", F("ref", "2", "name", "Новрузов Анар Шахин оглы", "arrest", "3 ноября 2023", "sentence", "7 годам лишения свободы")},
				{7, "paragraph 7", F("ref", "3", "name", "Сулейманлы Айсель Надир кызы", "birth", "1992", "arrest", "14.11.2023", "group", "Верующие")},
				{8, "paragraph 8", F("ref", "4", "birth", "1985", "sentence", "9 лет")},
			},
			notes: []string{`heading "Журналисты и блогеры (3)" (paragraph 3) announces 3 entries, 2 follow`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			d := load(t, tc.file)
			if d.Format != tc.format {
				t.Errorf("Format = %q, want %q", d.Format, tc.format)
			}
			if len(d.Entries) != tc.entries {
				t.Errorf("%d entries, want %d", len(d.Entries), tc.entries)
			}
			var hs []string
			for _, h := range d.Headings {
				hs = append(hs, strings.Join([]string{itoa(h.Level), h.Label, itoa(h.Count), itoa(h.Entries)}, ":"))
			}
			if strings.Join(hs, "\n") != strings.Join(tc.headings, "\n") {
				t.Errorf("headings:\n%s\nwant:\n%s", strings.Join(hs, "\n"), strings.Join(tc.headings, "\n"))
			}
			for i, e := range d.Entries {
				if e.Row != i+1 || e.Line <= 0 || e.Location == "" || e.Raw == "" || e.Fields[roster.FieldName] == "" {
					t.Errorf("entry %d: Row %d Line %d Location %q Raw %q name %q", i, e.Row, e.Line, e.Location, e.Raw, e.Fields[roster.FieldName])
				}
			}
			for _, w := range tc.want {
				e := findEntry(d, w.line)
				if e == nil {
					t.Errorf("no entry at line %d", w.line)
					continue
				}
				if e.Location != w.loc {
					t.Errorf("line %d: Location %q, want %q", w.line, e.Location, w.loc)
				}
				for f, v := range w.fields {
					if got := e.Fields[f]; got != v {
						t.Errorf("line %d (%s): %s = %q, want %q", w.line, e.Fields[roster.FieldName], f, got, v)
					}
				}
			}
			for _, n := range tc.notes {
				if !containsNote(d.Notes, n) {
					t.Errorf("no note %q in %q", n, d.Notes)
				}
			}
			if len(d.Unplaced) != tc.unplaced {
				t.Errorf("%d unplaced lines, want %d: %+v", len(d.Unplaced), tc.unplaced, d.Unplaced)
			}
			if len(d.Tables) != tc.tables {
				t.Fatalf("%d tables, want %d", len(d.Tables), tc.tables)
			}
			if tc.tables > 0 {
				if got := strings.Join(d.Tables[0][0], "|"); got != strings.Join(tc.tableHead, "|") {
					t.Errorf("table header %q, want %q", got, strings.Join(tc.tableHead, "|"))
				}
				if len(d.Tables[0]) < 3 {
					t.Errorf("table has %d rows", len(d.Tables[0]))
				}
			}
		})
	}
}

func TestTableAzNumberedColumn(t *testing.T) {
	d := load(t, "table-az.docx")
	// the № column is numbered by Word, not typed
	if got := d.Tables[0][1][0]; got != "1." {
		t.Errorf("first № cell %q, want the Word number %q", got, "1.")
	}
	if got := d.Tables[0][3][1]; got != "Paşayev Nicat Fazil oğlu" {
		t.Errorf("cell %q", got)
	}
}

func TestScannedPDF(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "fixtures", "docs", "scanned-no-text.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Parse("pdf", b)
	if !errors.Is(err, ErrNoTextLayer) {
		t.Fatalf("err = %v, want ErrNoTextLayer", err)
	}
	if !strings.Contains(err.Error(), "pdf has no text layer (a scanned image?): run OCR first") {
		t.Errorf("message %q", err)
	}
}

func TestBadInput(t *testing.T) {
	for _, tc := range []struct{ format, data, msg string }{
		{"pdf", "hello", "not a pdf"},
		{"pdf", "%PDF-1.4\n garbage", "read pdf"},
		{"docx", "not a zip", "not a docx"},
		{"docx", "\xD0\xCF\x11\xE0rest", "legacy .doc"},
		{"odt", "x", "unsupported document format"},
	} {
		_, err := Parse(tc.format, []byte(tc.data))
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("Parse(%s, %q) = %v, want an error with %q", tc.format, tc.data, err, tc.msg)
		}
	}
}

func TestParseTextLayouts(t *testing.T) {
	tests := []struct {
		name, text string
		field      roster.Field
		want       []string // the field of each entry in order
	}{
		{"surname comma", "1. Məmmədov, Əli Həsən oğlu, born 1985", roster.FieldName, []string{"Məmmədov, Əli Həsən oğlu"}},
		{"initial", "1. Quliyev Elvin R.\n2. Quliyev Elvin Rauf oğlu.", roster.FieldName, []string{"Quliyev Elvin R.", "Quliyev Elvin Rauf oğlu"}},
		{"public name bracketed", "1. Aysel Tağıyeva (Aysel Vüqar qızı Tağıyeva), born 1980", roster.FieldAlias, []string{"Aysel Tağıyeva"}},
		{"russian dash", "1. Гасымов Вугар Эльман оглы — журналист, арестован 12.03.2024", roster.FieldArrest, []string{"12.03.2024"}},
		{"born forms", "1. A Bb, born in 1985\n2. A Bb (b. 1986)\n3. A Bb, 1987-ci ildə anadan olub\n4. А Бб, 1988 г.р.\n5. A Bb, born 1989", roster.FieldBirth,
			[]string{"1985", "1986", "1987", "1988", "1989"}},
		{"arrest forms", "1. A Bb, arrested on 12 March 2024\n2. A Bb, 12.03.2024-cü ildə həbs edilib\n3. А Бб, арестован 12.03.2024\n4. A Bb, detained on 2024-03-12", roster.FieldArrest,
			[]string{"12 March 2024", "12.03.2024", "12.03.2024", "2024-03-12"}},
		{"sentence forms", "1. A Bb, sentenced to 9 years\n2. A Bb, 9 il həbs\n3. А Бб, 9 лет\n4. A Bb, sentenced to life imprisonment", roster.FieldSentence,
			[]string{"9 years", "9 il həbs", "9 лет", "life imprisonment"}},
		{"articles not dates", "1. A Bb, arrested 12.03.2024, charged under 234.4.3, 228.1 and article 283", roster.FieldCharges, []string{"234.4.3, 228.1, 283"}},
		{"russian headings", "Журналисты и блогеры\n1. Аа Бб\nРаздел 2. Верующие\n2. Вв Гг", roster.FieldGroup, []string{"Журналисты и блогеры", "Верующие"}},
		{"az headings", "I. Jurnalistlər və bloqerlər (12)\n1. Aa Bb\nDini fəallar\n2. Cc Dd", roster.FieldGroup, []string{"Jurnalistlər və bloqerlər", "Dini fəallar"}},
		{"sub-case", "E. Religious activists\na. \"Freedom for Hijab\" protest (5 October 2012)\n1. Aa Bb", roster.FieldCase, []string{`"Freedom for Hijab" protest (5 October 2012)`}},
		{"unnumbered block title", "Aa Bb Cc\nDate of arrest: 1 May 2024\nMaddə: 228.1\n\nDd Ee\nHəbs tarixi: 2 May 2024", roster.FieldArrest, []string{"1 May 2024", "2 May 2024"}},
		{"labels ru", "1. Аа Бб\nДата ареста: 12.03.2024\nСтатья: 228.1\nМесто содержания: СИЗО-1\nПриговор: 9 лет", roster.FieldPlace, []string{"СИЗО-1"}},
		{"markdown", "# List\n## Journalists (1)\n1. **Aa Bb**, born 1990\n\n| № | Name |\n|---|---|\n| 1 | Aa Bb |", roster.FieldGroup, []string{"Journalists"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := ParseText(tc.text)
			var got []string
			for _, e := range d.Entries {
				got = append(got, e.Fields[tc.field])
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("%s: got %q, want %q (notes %q, unplaced %+v)", tc.field, got, tc.want, d.Notes, d.Unplaced)
			}
		})
	}
}

func TestMarkdownTable(t *testing.T) {
	d := ParseText("Intro\n\n| № | Name |\n|---|---|\n| 1 | Aa Bb |\n")
	if len(d.Tables) != 1 || len(d.Tables[0]) != 2 || d.Tables[0][1][1] != "Aa Bb" {
		t.Errorf("tables %q", d.Tables)
	}
	if len(d.Entries) != 0 {
		t.Errorf("table rows became entries: %+v", d.Entries)
	}
}

func findEntry(d *Document, line int) *roster.RawEntry {
	for i := range d.Entries {
		if d.Entries[i].Line == line {
			return &d.Entries[i]
		}
	}
	return nil
}

func containsNote(notes []string, s string) bool {
	for _, n := range notes {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}

func itoa(n int) string {
	if n < 0 {
		return "-" + itoa(-n)
	}
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
