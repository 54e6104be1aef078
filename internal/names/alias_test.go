package names

import (
	"slices"
	"testing"
)

func TestSplitAliases(t *testing.T) {
	tests := []struct {
		in      string
		main    string
		aliases []string
	}{
		{"Rəna Qasımova", "Rəna Qasımova", nil},
		{"Rena Gasimova (Rena Sahil)", "Rena Gasimova", []string{"Rena Sahil"}},
		{"Rena Gasimova (Sahil)", "Rena Gasimova", []string{"Sahil"}},
		{"Rena Gasimova, also known as Sahil", "Rena Gasimova", []string{"Sahil"}},
		{"Rena Gasimova aka Rena Sahil", "Rena Gasimova", []string{"Rena Sahil"}},
		{"Rena Gasimova a.k.a. Sahil", "Rena Gasimova", []string{"Sahil"}},
		{"Rena Gasimova, who goes by the pen name Rena Sahil", "Rena Gasimova", []string{"Rena Sahil"}},
		{"Рена Гасымова (псевдоним Рена Сахил)", "Рена Гасымова", []string{"Рена Сахил"}},
		{"Рена Гасымова, известная как Сахил", "Рена Гасымова", []string{"Сахил"}},
		{"Rəna Qasımova (təxəllüsü Sahil)", "Rəna Qasımova", []string{"Sahil"}},
		{"Rəna Sahil (Rəna Vüqar qızı Qasımova)", "Rəna Sahil", []string{"Rəna Vüqar qızı Qasımova"}},
		// Notes in brackets are not names.
		{"Rena Gasimova (journalist)", "Rena Gasimova", nil},
		{"Rena Gasimova (b. 1990)", "Rena Gasimova", nil},
		{"Rena Gasimova (Kanal 13)", "Rena Gasimova", nil},
		{"Rena Gasimova (Toplum TV)", "Rena Gasimova", nil},
		{"Rena Gasimova (released in 2024 after a pardon)", "Rena Gasimova", nil},
		{"Rena Gasimova (Rena Gasimova)", "Rena Gasimova", nil},
		{"Rena Gasimova, born 1990", "Rena Gasimova", nil},
		{"(Sahil)", "Sahil", nil},
	}
	for _, tt := range tests {
		main, aliases := SplitAliases(tt.in)
		if main != tt.main || !slices.Equal(aliases, tt.aliases) {
			t.Errorf("SplitAliases(%q) = %q, %q; want %q, %q", tt.in, main, aliases, tt.main, tt.aliases)
		}
	}
}

func TestParseFormsCompletesOneWordAlias(t *testing.T) {
	main, aliases := ParseForms("Rena Gasimova (Sahil)")
	if main.Surname != "Gasimova" || main.Given != "Rena" {
		t.Fatalf("main = %q %q", main.Given, main.Surname)
	}
	if len(aliases) != 1 || aliases[0].Given != "Rena" || aliases[0].Surname != "Sahil" {
		t.Fatalf("aliases = %+v", aliases)
	}
	_, aliases = ParseForms("Rena Gasimova", "Rena Sahil", "Sahilova")
	if len(aliases) != 2 || aliases[0].Surname != "Sahil" || aliases[1].Surname != "Sahilova" || aliases[1].Given != "Rena" {
		t.Fatalf("aliases from extra = %+v", aliases)
	}
}
