package names

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"testing"
)

// readTable reads a tab-separated fixture: '#' lines are comments, the
// first other line is the header.
func readTable(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows [][]string
	sc := bufio.NewScanner(f)
	header := true
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if header {
			header = false
			continue
		}
		rows = append(rows, strings.Split(line, "\t"))
	}
	return rows
}

func check(t *testing.T, what, got, want string) {
	t.Helper()
	if want != "*" && got != want {
		t.Errorf("%s = %q, want %q", what, got, want)
	}
}

func TestParseFixtures(t *testing.T) {
	for _, r := range readTable(t, "testdata/parse.tsv") {
		if len(r) < 7 {
			t.Fatalf("short row %q", r)
		}
		t.Run(r[0], func(t *testing.T) {
			n := Parse(r[0])
			check(t, "Surname", n.Surname, r[1])
			check(t, "Given", n.Given, r[2])
			check(t, "Patronymic", n.Patronymic, r[3])
			check(t, "Form", string(n.Form), r[4])
			check(t, "Gender", n.Gender, r[5])
			check(t, "Script", n.Script, r[6])
			if t.Failed() {
				t.Logf("cues: %v", n.Cues)
			}
		})
	}
}

func TestCompareFixtures(t *testing.T) {
	for _, r := range readTable(t, "testdata/compare.tsv") {
		if len(r) < 4 {
			t.Fatalf("short row %q", r)
		}
		t.Run(r[0]+" ~ "+r[1], func(t *testing.T) {
			c := Compare(Parse(r[0]), Parse(r[1]))
			if got := map[bool]string{true: "yes", false: "no"}[c.Same]; got != r[2] {
				t.Errorf("Same = %s, want %s (score %.2f, rules %v)", got, r[2], c.Score, c.Rules)
			}
			check(t, "surname relation", c.Surname.Relation, r[3])
			if len(r) > 4 && r[4] != "" && !slices.Contains(c.Rules, r[4]) {
				t.Errorf("rule %q did not fire; rules: %v", r[4], c.Rules)
			}
		})
	}
}

func TestKeysAcrossRoutes(t *testing.T) {
	tests := []struct {
		spellings []string
		fine      string // "" = fine keys need not agree
		coarse    string
	}{
		{[]string{"Məmmədov", "Мәммәдов", "Mammadov"}, "mammadov", "mtv"},
		{[]string{"Cəfərov", "Джафаров", "Dzhafarov", "Jafarov"}, "jafarov", "jfrv"},
		{[]string{"Həsənov", "Гасанов", "Hasanov", "Gasanov"}, "", "ksnv"},
		{[]string{"Əliyev", "Алиев", "Aliyev", "Aliev"}, "aliyev", "alv"},
		{[]string{"Babalı", "Babaly", "Бабалы", "Babali"}, "babali", "bl"},
		{[]string{"Pünhan", "Pyunkhan", "Piunkhan", "Punhan"}, "", "pnkn"},
		{[]string{"Teymur", "Teimur", "Teimour", "Теймур"}, "teymur", "tmr"},
	}
	for _, tt := range tests {
		for _, s := range tt.spellings {
			if tt.fine != "" {
				check(t, "FineKey("+s+")", FineKey(s), tt.fine)
			}
			check(t, "CoarseKey("+s+")", CoarseKey(s), tt.coarse)
		}
	}
}

func TestTransliteration(t *testing.T) {
	tests := []struct{ fn, in, want string }{
		{"ToLatin", "Мәммәдов Әли Һәсән оғлу", "Məmmədov Əli Həsən oğlu"},
		{"ToLatin", "Азəрбајҹан", "Azərbaycan"},
		{"ToLatin", "Гасанов", "Qasanov"},
		{"ToLatin", "Гюльнара", "Gülnara"},
		{"ToEnglish", "Məmmədov Əli Həsən oğlu", "Mammadov Ali Hasan oghlu"},
		{"ToEnglish", "Xədicə İsmayılova", "Khadija Ismayilova"},
		{"ToEnglish", "ŞƏHLA", "SHAHLA"},
		{"ToRussian", "Hacıyev", "Гаджиев"},
		{"ToRussian", "Əliyev", "Алиев"},
		{"ToRussian", "Cəfərov", "Джафаров"},
		{"ToRussian", "Gülnarə", "Гюльнаре"},
		{"ToAzCyrillic", "Məmmədov Əli", "Мәммәдов Әли"},
	}
	fns := map[string]func(string) string{"ToLatin": ToLatin, "ToEnglish": ToEnglish, "ToRussian": ToRussian, "ToAzCyrillic": ToAzCyrillic}
	for _, tt := range tests {
		if got := fns[tt.fn](tt.in); got != tt.want {
			t.Errorf("%s(%q) = %q, want %q", tt.fn, tt.in, got, tt.want)
		}
	}
}

func TestDisplay(t *testing.T) {
	tests := []struct{ in, want string }{
		{"İLQAR ELDAR OĞLU MƏMMƏDOV", "Məmmədov İlqar Eldar oğlu"},
		{"ilqar məmmədov", "Məmmədov İlqar"},
		{"Nərmin Vüsal qızı Həsənli", "Həsənli Nərmin Vüsal qızı"},
	}
	for _, tt := range tests {
		if got := Display(Parse(tt.in)); got != tt.want {
			t.Errorf("Display(Parse(%q)) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestBlockingKeysShared(t *testing.T) {
	pairs := [][2]string{
		{"Vüqar Həsənov", "Вугар Гасанов"},
		{"Orxan Muradov", "Orkhan Muradli"},
		{"Səbinə Tahir qızı Abbasova", "Sabina Tahir gizi Tahirgizi"},
		{"Kərimov Rauf", "Rauf Kerimov"},
	}
	for _, p := range pairs {
		a, b := Parse(p[0]).BlockingKeys(), Parse(p[1]).BlockingKeys()
		shared := false
		for _, k := range a {
			shared = shared || slices.Contains(b, k)
		}
		if !shared {
			t.Errorf("%q %v and %q %v share no blocking key", p[0], a, p[1], b)
		}
	}
}
