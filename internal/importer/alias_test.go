package importer

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/roster-coalition/roster/internal/roster"
	"github.com/xuri/excelize/v2"
)

func TestAliasHeaders(t *testing.T) {
	tests := []struct {
		header string
		want   roster.Field
	}{
		{"Alias", roster.FieldAlias},
		{"Aliases", roster.FieldAlias},
		{"Also known as", roster.FieldAlias},
		{"AKA", roster.FieldAlias},
		{"a.k.a.", roster.FieldAlias},
		{"Pen name", roster.FieldAlias},
		{"penName", roster.FieldAlias},
		{"Other names", roster.FieldAlias},
		{"Other name(s)", roster.FieldAlias},
		{"Former name", roster.FieldAlias},
		{"Former surname", roster.FieldAlias},
		{"Maiden name", roster.FieldAlias},
		{"Nickname", roster.FieldAlias},
		{"Псевдоним", roster.FieldAlias},
		{"Другие имена", roster.FieldAlias},
		{"Известен как", roster.FieldAlias},
		{"Девичья фамилия", roster.FieldAlias},
		{"Təxəllüs", roster.FieldAlias},
		{"Təxəllüsü", roster.FieldAlias},
		{"TƏXƏLLÜSÜ", roster.FieldAlias},
		{"Texellusu", roster.FieldAlias},
		{"Ləqəb", roster.FieldAlias},
		{"Ləqəbi", roster.FieldAlias},
		{"Digər adları", roster.FieldAlias},
		{"Əvvəlki soyadı", roster.FieldAlias},
		{"Qızlıq soyadı", roster.FieldAlias},
		{"Pen name (if any)", roster.FieldAlias},
		{"Name of the person also known as", roster.FieldAlias},
		// The name columns stay name columns.
		{"Name", roster.FieldName},
		{"Other", ""},
		{"Soyadı", roster.FieldSurname},
		{"Full name", roster.FieldName},
	}
	for _, tc := range tests {
		if got, _ := classifyHeader(tc.header); got != tc.want {
			t.Errorf("classifyHeader(%q) = %q; want %q", tc.header, got, tc.want)
		}
	}
}

// TestAliasColumns: alias columns in the three languages, several of them,
// several names in a cell; the name cell and the raw row stay as written.
func TestAliasColumns(t *testing.T) {
	tests := []struct {
		name     string
		data     string
		opts     Options
		names    []string
		aliases  [][]string
		header   string
		rawFirst string
	}{
		{
			name: "en one column",
			data: "No,Full name,Pen name,Born\n" +
				"1,Aytan Qasimli (Aytan Dalga),Aytan Dalga,1991\n" +
				"2,Rauf Mirzali,,1985\n",
			names:    []string{"Aytan Qasimli (Aytan Dalga)", "Rauf Mirzali"},
			aliases:  [][]string{{"Aytan Dalga"}, nil},
			header:   "Pen name",
			rawFirst: "1,Aytan Qasimli (Aytan Dalga),Aytan Dalga,1991",
		},
		{
			name: "az several columns and names",
			data: "Sıra №;Soyadı, adı, atasının adı;Təxəllüsü;Əvvəlki soyadı;Doğum ili\n" +
				"1;Nəsirova Lalə Vahid qızı;\"Lalə Dalğa; Lalə Sahil\";Kərimova;1990\n" +
				"2;Həsənli Orxan;—;;1988\n",
			names:    []string{"Nəsirova Lalə Vahid qızı", "Həsənli Orxan"},
			aliases:  [][]string{{"Lalə Dalğa", "Lalə Sahil", "Kərimova"}, nil},
			header:   "Təxəllüsü, Əvvəlki soyadı",
			rawFirst: "1;Nəsirova Lalə Vahid qızı;\"Lalə Dalğa; Lalə Sahil\";Kərimova;1990",
		},
		{
			name: "ru",
			data: "№;ФИО;Псевдоним;Другие имена\n" +
				"5;Гасанлы Орхан Рафик оглы;Орхан Дальга;\"Орхан Гасанов; Орхан Дальга\"\n",
			names:   []string{"Гасанлы Орхан Рафик оглы"},
			aliases: [][]string{{"Орхан Дальга", "Орхан Гасанов"}},
			header:  "Псевдоним, Другие имена",
		},
		{
			name: "map alias adds a column",
			data: "Ad Soyad;Ləqəb;Qeyd\n" +
				"Məmmədli Tural;Tural Dəniz;Tural Sahil\n",
			opts:    Options{Map: map[roster.Field]string{roster.FieldAlias: "Qeyd"}},
			names:   []string{"Məmmədli Tural"},
			aliases: [][]string{{"Tural Dəniz", "Tural Sahil"}},
			header:  "Ləqəb, Qeyd",
		},
		{
			name:    "json array of aliases",
			data:    `[{"name": "Kamran Yusifli", "aliases": ["Kamran Deniz", "K. Yusifov"]}, {"name": "Rena Aslanli", "aka": "Rena Ay"}]`,
			opts:    Options{Format: "json"},
			names:   []string{"Kamran Yusifli", "Rena Aslanli"},
			aliases: [][]string{{"Kamran Deniz", "K. Yusifov"}, {"Rena Ay"}},
			header:  "aliases, aka",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := mustRead(t, "a.csv", []byte(tc.data), tc.opts)
			if len(res.Records) != len(tc.names) {
				t.Fatalf("%d records; want %d", len(res.Records), len(tc.names))
			}
			for i, r := range res.Records {
				if r.Name != tc.names[i] {
					t.Errorf("record %d: Name = %q; want %q", i+1, r.Name, tc.names[i])
				}
				if !reflect.DeepEqual(r.Aliases, tc.aliases[i]) {
					t.Errorf("record %d: Aliases = %q; want %q", i+1, r.Aliases, tc.aliases[i])
				}
			}
			if got := res.Headers[roster.FieldAlias]; got != tc.header {
				t.Errorf("alias header = %q; want %q", got, tc.header)
			}
			if tc.rawFirst != "" && res.Records[0].Raw != tc.rawFirst {
				t.Errorf("raw = %q; want %q", res.Records[0].Raw, tc.rawFirst)
			}
		})
	}
}

func TestAliasColumnXLSX(t *testing.T) {
	f := excelize.NewFile()
	for i, r := range [][]any{
		{"#", "Full name", "Also known as", "Maiden name"},
		{1, "Leyla Orucova", "Leyla Yol;\nLeyla Ay", "Həsənova"},
	} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	res := mustRead(t, "a.xlsx", data, Options{})
	if got, want := res.Records[0].Aliases, []string{"Leyla Yol", "Leyla Ay", "Həsənova"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Aliases = %q; want %q", got, want)
	}
	if !strings.Contains(res.Records[0].Raw, "Leyla Yol") {
		t.Errorf("raw %q lost the alias", res.Records[0].Raw)
	}
}

func TestSplitAliasCell(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"—", nil},
		{" Aytan  Dalga ", []string{"Aytan Dalga"}},
		{"Dalga, Aytan", []string{"Dalga, Aytan"}},
		{"A. Dalga; Aytan Dalga;A. Dalga", []string{"A. Dalga", "Aytan Dalga"}},
		{"Orxan\r\nOrxan Dəniz;", []string{"Orxan", "Orxan Dəniz"}},
	}
	for _, tc := range tests {
		if got := splitAliasCell(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("splitAliasCell(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

// TestDocumentAliases: a document's pen names (label lines, brackets) and
// Azerbaijani arrest labels reach the records.
func TestDocumentAliases(t *testing.T) {
	text := "I. Jurnalistlər\n" +
		"1. Qasımlı Aytən Vaqif qızı (təxəllüsü Aytən Dalğa), həbs tarixi 02.10.2021\n" +
		"Təxəllüsü: Aytən Sahil\n" +
		"2. Məmmədli Tural, həbs edilib 3 noyabr 2022-ci il\n"
	res := mustRead(t, "a.txt", []byte(text), Options{})
	if len(res.Records) != 2 {
		t.Fatalf("%d records", len(res.Records))
	}
	r := res.Records[0]
	if r.Name != "Qasımlı Aytən Vaqif qızı" || !reflect.DeepEqual(r.Aliases, []string{"Aytən Dalğa", "Aytən Sahil"}) ||
		r.ArrestDate != "2021-10-02" || r.Notes != "" {
		t.Errorf("record 1 = %+v", r)
	}
	if r := res.Records[1]; r.Aliases != nil || r.ArrestDate != "2022-11-03" || r.Notes != "" {
		t.Errorf("record 2 = %+v", r)
	}
}
