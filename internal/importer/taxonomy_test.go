package importer

import (
	"errors"
	"strings"
	"testing"

	"github.com/roster-coalition/roster/internal/roster"
)

func TestTaxonomyMap(t *testing.T) {
	tax := DefaultTaxonomy()
	tests := []struct {
		label, want string
	}{
		// exact labels and synonyms in three languages
		{"Dindarlar", roster.GroupReligious},
		{"Dini fəallar", roster.GroupReligious},
		{"Верующие", roster.GroupReligious},
		{"Религиозные", roster.GroupReligious},
		{"Religious believers", roster.GroupReligious},
		{"Jurnalistlər və bloggerlər", roster.GroupJournalist},
		{"Журналисты и блогеры", roster.GroupJournalist},
		{"Journalists and bloggers", roster.GroupJournalist},
		{"Müharibə əleyhdarları", roster.GroupAntiWar},
		{"Антивоенные активисты", roster.GroupAntiWar},
		{"Anti-war activists", roster.GroupAntiWar},
		{"Almaniyadan deportasiya olunan siyasi qaçqınlar", roster.GroupDeportedRefugee},
		{"Ömürlük məhkumlar", roster.GroupLifeSentence},
		{"Пожизненно осуждённые", roster.GroupLifeSentence},
		{"Life prisoners", roster.GroupLifeSentence},
		{"Soyudlu işi", roster.GroupSoyudlu},
		{"İmişli etirazı", roster.GroupImishli},
		{"Tərtər işi", roster.GroupTartar},
		{"Gəncə işi", roster.GroupGanja},
		{"Hüquq müdafiəçiləri", roster.GroupRightsDefender},
		{"Etnik azlıqlar", roster.GroupEthnicMinority},
		{"Müxalifət fəalları", roster.GroupOpposition},
		{"opposition", roster.GroupOpposition},
		{"life-sentence", roster.GroupLifeSentence},
		// case and diacritics
		{"DINDARLAR", roster.GroupReligious},
		{"DİNDARLAR", roster.GroupReligious},
		{"jurnalistler ve bloggerler", roster.GroupJournalist},
		{"Muharibe eleyhdarlari", roster.GroupAntiWar},
		{"Muhariba aleyhdarlari", roster.GroupAntiWar},
		{"Omurluk mehkumlar", roster.GroupLifeSentence},
		{"IMISHLI PROTEST", roster.GroupImishli},
		{"imisli etirazi", roster.GroupImishli},
		{"Gence isi", roster.GroupGanja},
		{"Ganca isi", roster.GroupGanja},
		{"ПОЖИЗНЕННО ОСУЖДЕННЫЕ", roster.GroupLifeSentence},
		// numbering and counts
		{"II. Jurnalistlər və bloggerlər (27)", roster.GroupJournalist},
		{"3) Dindarlar", roster.GroupReligious},
		{"Group No. 1 – Religious believers", roster.GroupReligious},
		{"XII. Gəncə işi — 14", roster.GroupGanja},
		{"Qrup № 6: Müharibə əleyhdarları (2 nəfər)", roster.GroupAntiWar},
		{"I. İmişli etirazı", roster.GroupImishli},
		// fuzzy
		{"Jurnalisttlər", roster.GroupJournalist},
		{"Journalist and blogers", roster.GroupJournalist},
		{"Jailed journalists", roster.GroupJournalist},
		{"Ethnic minorities (Talysh)", roster.GroupEthnicMinority},
		{"Soyudlu village", roster.GroupSoyudlu},
		{"Deported from Germany", roster.GroupDeportedRefugee},
		{"Антивоенные", roster.GroupAntiWar},
		{"Верующие (мусульмане-шииты)", roster.GroupReligious},
		// worded unlike any synonym, but with a word only one group uses
		{"Dini etiqadına görə həbs olunanlar", roster.GroupReligious},
		{"Преследуемые журналисты", roster.GroupJournalist},
		{"Persecuted anti-war bloggers and journalists", ""}, // two groups named
		// junk and unknown labels stay unmapped
		{"Sahibkarlar", ""},
		{"Entrepreneurs", ""},
		{"Other", ""},
		{"Digər", ""},
		{"Прочие", ""},
		{"Journalists and opposition", ""},
		{"Political prisoners", ""},
		// "activist" says nothing of why a person was jailed
		{"ictimai fəal", ""},
		{"Civil society activist", ""},
		{"общественный активист", ""},
		{"x", ""},
		{"", ""},
		{"123", ""},
		{"II.", ""},
	}
	for _, tc := range tests {
		got, ok := tax.Map(tc.label)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("Map(%q) = %q, %v; want %q", tc.label, got, ok, tc.want)
		}
	}
}

func TestTaxonomyLabelsAndKeys(t *testing.T) {
	tax := DefaultTaxonomy()
	keys := tax.Keys()
	if len(keys) != len(roster.Groups) {
		t.Fatalf("keys = %v", keys)
	}
	for i, k := range roster.Groups {
		if keys[i] != k {
			t.Errorf("key %d = %q, want %q", i, keys[i], k)
		}
		for _, lang := range []string{"az", "ru", "en"} {
			l := tax.Label(k, lang)
			if l == "" || l == k {
				t.Errorf("Label(%q, %q) = %q", k, lang, l)
			}
			// Every display label maps back to its key.
			if got, _ := tax.Map(l); got != k {
				t.Errorf("Map(Label(%q, %q) = %q) = %q", k, lang, l, got)
			}
		}
	}
	if tax.Label(roster.GroupAntiWar, "az") != "Müharibə əleyhdarları" || tax.Label(roster.GroupAntiWar, "fr") != "Anti-war activists" {
		t.Errorf("labels: %q %q", tax.Label(roster.GroupAntiWar, "az"), tax.Label(roster.GroupAntiWar, "fr"))
	}
	if tax.Label("nope", "en") != "nope" {
		t.Error("unknown key label")
	}
}

func TestLoadTaxonomy(t *testing.T) {
	base := DefaultTaxonomy()
	file := "# coalition additions\n" +
		"business\ten\tEntrepreneurs and economists\n" +
		"business\taz\tSahibkarlar və iqtisadçılar\n" +
		"business\tSahibkarlar\n" +
		"religious\tGülən hərəkatı\n" +
		"\n"
	tax, err := LoadTaxonomy(strings.NewReader(file), base)
	if err != nil {
		t.Fatal(err)
	}
	for label, want := range map[string]string{
		"Sahibkarlar":                  "business",
		"SAHIBKARLAR":                  "business",
		"Entrepreneurs and economists": "business",
		"Gulen herekati":               roster.GroupReligious,
		"Dindarlar":                    roster.GroupReligious,
	} {
		if got, _ := tax.Map(label); got != want {
			t.Errorf("Map(%q) = %q, want %q", label, got, want)
		}
	}
	if tax.Label("business", "en") != "Entrepreneurs and economists" || tax.Label("business", "ru") != "Entrepreneurs and economists" {
		t.Errorf("label = %q", tax.Label("business", "en"))
	}
	if k := tax.Keys(); k[len(k)-1] != "business" || len(k) != 13 {
		t.Errorf("keys = %v", k)
	}
	// The base is not changed.
	if got, _ := base.Map("Sahibkarlar"); got != "" {
		t.Errorf("base changed: %q", got)
	}
	// nil base = default.
	tax, err = LoadTaxonomy(strings.NewReader("anti-war\tSülh tərəfdarları\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := tax.Map("Sülh tərəfdarları"); got != roster.GroupAntiWar {
		t.Errorf("Map = %q", got)
	}
	for _, bad := range []string{"Bad Key\tx\n", "k\n", "k\tfr\tx\n", "k\t\n", "k\ta\tb\tc\n"} {
		_, err := LoadTaxonomy(strings.NewReader(bad), nil)
		var e *Error
		if !errors.As(err, &e) || e.Row != 1 {
			t.Errorf("LoadTaxonomy(%q) err = %v", bad, err)
		}
	}
	// Read uses a loaded taxonomy.
	res := mustRead(t, "x.csv", []byte("Ad Soyad;Kateqoriya\nMəmmədov Elvin;Sahibkarlar\n"), Options{Taxonomy: tax})
	if res.Records[0].Group != "" {
		t.Errorf("group = %q", res.Records[0].Group)
	}
	tax2, _ := LoadTaxonomy(strings.NewReader(file), nil)
	res = mustRead(t, "x.csv", []byte("Ad Soyad;Kateqoriya\nMəmmədov Elvin;Sahibkarlar\n"), Options{Taxonomy: tax2})
	if res.Records[0].Group != "business" || len(res.Unmapped) != 0 {
		t.Errorf("group = %q unmapped %v", res.Records[0].Group, res.Unmapped)
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"İLQAR MƏMMƏDOV IŞIQ": "ilqar memmedov isiq",
		"Sıra №":              "sira no",
		"Ф.И.О.":              "ф и о",
		"Ёлка  йод":           "елка иод",
		"Şəki–Zaqatala":       "seki zaqatala",
		"Mämmädov":            "mammadov",
	} {
		if got := fold(in); got != want {
			t.Errorf("fold(%q) = %q, want %q", in, got, want)
		}
	}
	if got := foldA("Məmmədov"); got != "mammadov" {
		t.Errorf("foldA = %q", got)
	}
}
