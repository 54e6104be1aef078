package docs

import (
	"strings"
	"testing"

	"github.com/roster-coalition/roster/internal/roster"
)

// TestAzArrestLabels: Azerbaijani lists write the arrest date after a
// label or a verb, with or without a colon, in person blocks and in the
// running text of numbered entries. It is read as the arrest date, and the
// label does not stay behind in the notes.
func TestAzArrestLabels(t *testing.T) {
	tests := []struct {
		name, text string
		arrest     []string // per entry
		notes      []string // per entry
		headings   int
	}{
		{"running text", "1. Nəsirov Elçin Tahir oğlu, həbs tarixi 02.10.2021\n" +
			"2. Rzayeva Günay Arif qızı, həbs edilib 03.11.2022\n" +
			"3. Kazımlı Orxan Vaqif oğlu, saxlanılıb 4 oktyabr 2023\n" +
			"4. Əlizadə Samir, tutulub: 2024-01-05\n" +
			"5. Quliyeva Lalə, həbs olunub 2020-ci ildə\n" +
			"6. Həsənli Murad, 12.03.2024-cü il tarixində saxlanılıb\n" +
			"7. Babayev Ramil, 2021-ci ildə həbs olunub",
			[]string{"02.10.2021", "03.11.2022", "4 oktyabr 2023", "2024-01-05", "2020", "12.03.2024", "2021"},
			[]string{"", "", "", "", "", "", ""}, 0},
		{"label line without a colon after a numbered entry", "1. Nəsirov Elçin\nHəbs tarixi 02.10.2021\n2. Rzayeva Günay\nhəbs edilib 3 noyabr 2022-ci il",
			[]string{"02.10.2021", "3 noyabr 2022"}, []string{"", ""}, 0},
		{"person blocks", "Nəsirov Elçin Tahir oğlu\nHəbs tarixi: 02.10.2021\nMaddə: 206.3.2\n\n" +
			"Rzayeva Günay Arif qızı\nHəbs edilib: 03.11.2022\n\n" +
			"Kazımlı Orxan\nSaxlanılıb 5 may 2022-ci il, Bakı şəhərində\n\n" +
			"Əlizadə Samir\nTutulub 2023\nHəbs tarixi 2023",
			[]string{"02.10.2021", "03.11.2022", "5 may 2022", "2023"},
			[]string{"", "", "Bakı şəhərində", ""}, 0},
		{"no date, no arrest", "1. Nəsirov Elçin, həbs edilib\nQeyd: həbs tarixi bilinmir",
			[]string{""}, []string{"həbs edilib; həbs tarixi bilinmir"}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := ParseText(tc.text)
			var arrest, notes []string
			for _, e := range d.Entries {
				arrest = append(arrest, e.Fields[roster.FieldArrest])
				notes = append(notes, e.Fields[roster.FieldNotes])
			}
			if strings.Join(arrest, "|") != strings.Join(tc.arrest, "|") {
				t.Errorf("arrest = %q; want %q", arrest, tc.arrest)
			}
			if strings.Join(notes, "|") != strings.Join(tc.notes, "|") {
				t.Errorf("notes = %q; want %q", notes, tc.notes)
			}
			if len(d.Headings) != tc.headings {
				t.Errorf("headings %+v; want %d", d.Headings, tc.headings)
			}
		})
	}
}

// TestAliases: pen names and other names in label lines (Təxəllüsü:, Pen
// name:, Псевдоним:), in brackets after the name and after a phrase in the
// running text go to the entry's aliases; a bracket that is no name stays
// in the notes.
func TestAliases(t *testing.T) {
	tests := []struct {
		name, text string
		names      []string
		aliases    []string
		notes      []string
	}{
		{"label lines", "Qasımlı Aytən Vaqif qızı\nTəxəllüsü: Aytən Dalğa\nHəbs tarixi: 02.10.2021\n\n" +
			"Mirzəli Rauf\nPen name: Rauf Sahil\nПсевдоним: Рауф Сахил\n\n" +
			"Гасанлы Орхан\nПсевдоним: Орхан Дальга\nДата ареста: 12.03.2024",
			[]string{"Qasımlı Aytən Vaqif qızı", "Mirzəli Rauf", "Гасанлы Орхан"},
			[]string{"Aytən Dalğa", "Rauf Sahil; Рауф Сахил", "Орхан Дальга"},
			[]string{"", "", ""}},
		{"running text", "1. Qasımlı Aytən (təxəllüsü Aytən Dalğa), jurnalist\n" +
			"2. Məmmədli Tural, also known as Tural Dəniz, born 1987\n" +
			"3. Гасанлы Орхан — известный как Орхан Дальга, арестован 12.03.2024\n" +
			"4. Nəsirova Lalə (pen name Dalğa)\n" +
			"5. Kərimova Aynur (jurnalist), həbs tarixi 02.10.2021\n" +
			"6. Həsənli Murad (1985)",
			[]string{"Qasımlı Aytən", "Məmmədli Tural", "Гасанлы Орхан", "Nəsirova Lalə", "Kərimova Aynur", "Həsənli Murad"},
			[]string{"Aytən Dalğa", "Tural Dəniz", "Орхан Дальга", "Dalğa", "", ""},
			[]string{"jurnalist", "", "", "", "jurnalist", ""}},
		{"bracket and label together", "Qasımlı Aytən (Aytən Dalğa)\nTəxəllüsü: Aytən Sahil",
			[]string{"Qasımlı Aytən"}, []string{"Aytən Dalğa; Aytən Sahil"}, []string{""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := ParseText(tc.text)
			var names, aliases, notes []string
			for _, e := range d.Entries {
				names = append(names, e.Fields[roster.FieldName])
				aliases = append(aliases, e.Fields[roster.FieldAlias])
				notes = append(notes, e.Fields[roster.FieldNotes])
			}
			for _, c := range []struct {
				what      string
				got, want []string
			}{{"names", names, tc.names}, {"aliases", aliases, tc.aliases}, {"notes", notes, tc.notes}} {
				if strings.Join(c.got, "|") != strings.Join(c.want, "|") {
					t.Errorf("%s = %q; want %q", c.what, c.got, c.want)
				}
			}
		})
	}
}
