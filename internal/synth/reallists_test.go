package synth

import (
	"io"
	"strings"
	"testing"
)

// Made-up mentions: two persons, one mention in the genitive (dropped), one
// spelling written twice (kept once), whitespace to collapse.
const mentionsTSV = "person_key\tsource\tname_as_written\tcategory\tcase_name\tarrest_date\tsentence\tbirth_year\tnotes\n" +
	"A1\tx\tRauf Qasımlı\tjournalist\tToplum TV\t2024-01-02\t\t1990\t\n" +
	"A1\ty\tРауф  Гасымлы\tжурналист\t\t\t5 лет\t\t\n" +
	"A1\tz\tРауфа Гасымлы\t\t\t\t\t\tgenitive as printed\n" +
	"A1\tw\tRauf Qasımlı\t\t\t\t\t\t\n" +
	"B2\tx\tNigar Talıbova\topposition\t\t\t\t\t\n"

func TestFromMentions(t *testing.T) {
	files, man := collect(t, func(create FileCreator) (*Manifest, error) {
		return FromMentions(strings.NewReader(mentionsTSV), "2025-03", create)
	})
	if len(man.Lists) != 2 || man.Records != 3 || man.Persons != 2 {
		t.Fatalf("manifest: %d lists, %d records, %d persons; want 2, 3, 2", len(man.Lists), man.Records, man.Persons)
	}
	want1 := "No,Name,Category,Case,Arrest date,Sentence,Birth year\n" +
		"1,Rauf Qasımlı,journalist,Toplum TV,2024-01-02,,1990\n" +
		"2,Nigar Talıbova,opposition,,,,\n"
	if got := string(files["m01-2025-03.csv"]); got != want1 {
		t.Errorf("m01:\n%s\nwant\n%s", got, want1)
	}
	want2 := "No,Name,Category,Case,Arrest date,Sentence,Birth year\n1,Рауф Гасымлы,журналист,,,5 лет,\n"
	if got := string(files["m02-2025-03.csv"]); got != want2 {
		t.Errorf("m02:\n%s\nwant\n%s", got, want2)
	}
	wantTruth := "source,edition,record_ref,person\nm01,2025-03-01,1,A1\nm01,2025-03-01,2,B2\nm02,2025-03-01,1,A1\n"
	if got := string(files["truth.csv"]); got != wantTruth {
		t.Errorf("truth:\n%s\nwant\n%s", got, wantTruth)
	}
	if _, err := FromMentions(strings.NewReader("name_as_written\nRauf\n"), "", func(string) (io.WriteCloser, error) { return nil, nil }); err == nil {
		t.Error("a table without person_key was accepted")
	}
}

const variantsTSV = "group_id\ttype\tgender\taz_latin\tru_cyrillic\ten_from_az_latin\ten_from_russian\n" +
	"S1\tsurname\tm\tHəsənov\tГасанов\tHasanov\tGasanov\n" +
	"S2\tsurname\tany\tMuxtarlı\tМухтарлы; Мухтарли\tMukhtarli\tMukhtarly\n" +
	"G1\tgiven\tm\tRəşad\tРашад\tRashad\tRashad\n" +
	"G2\tgiven\tf\tNərmin\tНармин\tNarmin\tNarmin\n" +
	"P1\tpatronymic\tm\toğlu\tоглы\toglu\togly\n"

func TestNamesOnlyFromVariants(t *testing.T) {
	files, man := collect(t, func(create FileCreator) (*Manifest, error) {
		return NamesOnly(NamesOnlyOptions{Persons: 3, Seed: 1, Variants: strings.NewReader(variantsTSV)}, create)
	})
	if len(man.Lists) != 4 || man.Records != 12 {
		t.Fatalf("manifest: %d lists, %d records; want 4, 12", len(man.Lists), man.Records)
	}
	// Three persons fit: Rəşad Həsənov, Rəşad Muxtarlı, Nərmin Muxtarlı
	// (a feminine given name does not take the masculine Həsənov).
	for _, f := range []string{"naz-2025-01.csv", "nru-2025-01.csv", "nen-2025-01.csv", "ner-2025-01.csv"} {
		body := string(files[f])
		if !strings.HasPrefix(body, "Name\n") || strings.Count(body, "\n") != 4 {
			t.Errorf("%s:\n%s", f, body)
		}
		if strings.Contains(body, "Нармин Гасанов") || strings.Contains(body, "Həsənov Nərmin") {
			t.Errorf("%s pairs a feminine given name with a masculine surname:\n%s", f, body)
		}
	}
	if _, err := NamesOnly(NamesOnlyOptions{Persons: 4, Variants: strings.NewReader(variantsTSV)}, func(string) (io.WriteCloser, error) { return nil, nil }); err == nil {
		t.Error("more persons than given × surname pairs was accepted")
	}
}
