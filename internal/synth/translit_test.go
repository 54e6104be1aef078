package synth

import "testing"

// The routes against spellings attested in the research note
// (shared/research/azerbaijani-names.md and az-name-variants-dev.tsv).
func TestRenderWord(t *testing.T) {
	tests := []struct {
		az, route string
		alt       bool
		want      string
	}{
		{"Məmmədov", RouteAz, false, "Məmmədov"},
		{"İsmayılova", RouteAz, false, "İsmayılova"},
		{"Məmmədov", RouteAzCyrl, false, "Мәммәдов"},
		{"Hüseynov", RouteAzCyrl, false, "Һүсејнов"},
		{"Cəfərov", RouteAzCyrl, false, "Ҹәфәров"},
		{"Məmmədov", RouteRu, false, "Мамедов"},
		{"Həsənov", RouteRu, false, "Гасанов"},
		{"Hüseynov", RouteRu, false, "Гусейнов"},
		{"Əliyev", RouteRu, false, "Алиев"},
		{"Cəfərov", RouteRu, false, "Джафаров"},
		{"Quliyev", RouteRu, false, "Гулиев"},
		{"Quliyev", RouteRu, true, "Кулиев"},
		{"Qasımov", RouteRu, false, "Гасымов"},
		{"Qasımov", RouteRu, true, "Касумов"},
		{"İsmayılov", RouteRu, false, "Исмаилов"},
		{"Mehdiyev", RouteRu, false, "Мехтиев"},
		{"Hacıyev", RouteRu, false, "Гаджиев"},
		{"Orucov", RouteRu, false, "Оруджев"},
		{"Yaqublu", RouteRu, false, "Ягублу"},
		{"Muxtarlı", RouteRu, false, "Мухтарлы"},
		{"Kərimov", RouteRu, false, "Керимов"},
		{"Babayev", RouteRu, false, "Бабаев"},
		{"Səfərov", RouteRu, false, "Сафаров"},
		{"Həsənzadə", RouteRu, false, "Гасанзаде"},
		{"Elçin", RouteRu, false, "Эльчин"},
		{"Ülvi", RouteRu, false, "Ульви"},
		{"Tofiq", RouteRu, false, "Тофик"},
		{"Xədicə", RouteRu, false, "Хадиджа"},
		{"Məmmədov", RouteEnDirect, false, "Mammadov"},
		{"Həsənli", RouteEnDirect, false, "Hasanli"},
		{"Cəfərov", RouteEnDirect, false, "Jafarov"},
		{"Xədicə", RouteEnDirect, false, "Khadija"},
		{"İbadoğlu", RouteEnDirect, false, "Ibadoghlu"},
		{"İbadoğlu", RouteEnDirect, true, "Ibadoglu"},
		{"Məmmədov", RouteEnRuBGN, false, "Mamedov"},
		{"Əliyev", RouteEnRuBGN, false, "Aliyev"},
		{"Hüseynov", RouteEnRuBGN, false, "Guseynov"},
		{"Cəfərov", RouteEnRuBGN, false, "Dzhafarov"},
		{"Əliyev", RouteEnRuICAO, false, "Aliev"},
		{"Hüseynov", RouteEnRuICAO, false, "Guseinov"},
		{"Yaqublu", RouteEnRuICAO, false, "Iagublu"},
		{"Məmmədov", RouteAscii, false, "Memmedov"},
		{"Şəhla", RouteAscii, false, "Sehla"},
		{"İlqar", RouteAscii, false, "Ilqar"},
	}
	for _, tt := range tests {
		if got := renderWord(tt.az, tt.route, tt.alt); got != tt.want {
			t.Errorf("renderWord(%q, %s, alt=%v) = %q; want %q", tt.az, tt.route, tt.alt, got, tt.want)
		}
	}
}

func TestBuildSurname(t *testing.T) {
	tests := []struct{ root, form, gender, want string }{
		{"Məmməd", "ov", "m", "Məmmədov"},
		{"Məmməd", "ov", "f", "Məmmədova"},
		{"Əli", "ov", "m", "Əliyev"},
		{"Musa", "ov", "f", "Musayeva"},
		{"Murad", "li", "m", "Muradlı"},
		{"Həsən", "li", "f", "Həsənli"},
		{"Yaqub", "li", "m", "Yaqublu"},
		{"Şükür", "li", "m", "Şükürlü"},
		{"Cəfər", "zade", "f", "Cəfərzadə"},
		{"Cəfər", "oglu", "m", "Cəfəroğlu"},
	}
	for _, tt := range tests {
		if got := buildSurname(tt.root, tt.form, tt.gender); got != tt.want {
			t.Errorf("buildSurname(%q, %q, %q) = %q; want %q", tt.root, tt.form, tt.gender, got, tt.want)
		}
	}
}

func TestRenderWordSoftL(t *testing.T) {
	for az, want := range map[string]string{"Salmanov": "Салманов", "Elçin": "Эльчин", "Gülnar": "Гюльнар", "Süleymanov": "Сулейманов"} {
		if got := renderWord(az, RouteRu, false); got != want {
			t.Errorf("renderWord(%q, ru) = %q; want %q", az, got, want)
		}
	}
}
