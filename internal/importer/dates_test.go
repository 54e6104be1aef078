package importer

import "testing"

func TestParseDate(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"2024-03-12", "2024-03-12", true},
		{"2024-3-2", "2024-03-02", true},
		{"2024-03-12T00:00:00Z", "2024-03-12", true},
		{"2024-03-12 10:30", "2024-03-12", true},
		{"2024/03/12", "2024-03-12", true},
		{"12.03.2024", "2024-03-12", true},
		{"12.03.2024.", "2024-03-12", true},
		{"1.3.2024", "2024-03-01", true},
		{"12/03/2024", "2024-03-12", true},
		{"03/25/2024", "2024-03-25", true}, // month first when the second number is over 12
		{"12-03-2024", "2024-03-12", true},
		{"12.03.24", "2024-03-12", true},
		{"12.03.85", "1985-03-12", true},
		{"2024-03", "2024-03", true},
		{"2024.03", "2024-03", true},
		{"03.2024", "2024-03", true},
		{"3/2024", "2024-03", true},
		{"2024", "2024", true},
		{" 2024 ", "2024", true},
		{"2024 г.", "2024", true},
		{"2024-cü il", "2024", true},
		{"12 March 2024", "2024-03-12", true},
		{"12 Mar 2024", "2024-03-12", true},
		{"12th March 2024", "2024-03-12", true},
		{"March 12, 2024", "2024-03-12", true},
		{"Sept 1, 2023", "2023-09-01", true},
		{"March 2024", "2024-03", true},
		{"12 mart 2024", "2024-03-12", true},
		{"12 Mart 2024-cü il", "2024-03-12", true},
		{"1 yanvar 2023", "2023-01-01", true},
		{"5 fevral 2023", "2023-02-05", true},
		{"5 aprel 2023", "2023-04-05", true},
		{"5 may 2023", "2023-05-05", true},
		{"5 İyun 2023", "2023-06-05", true},
		{"5 IYUL 2023", "2023-07-05", true},
		{"5 avqust 2023", "2023-08-05", true},
		{"5 sentyabr 2023", "2023-09-05", true},
		{"5 oktyabr 2023", "2023-10-05", true},
		{"5 noyabr 2023", "2023-11-05", true},
		{"5 dekabr 2023", "2023-12-05", true},
		{"dekabr 2023", "2023-12", true},
		{"12 марта 2024", "2024-03-12", true},
		{"12 марта 2024 г.", "2024-03-12", true},
		{"12 март 2024", "2024-03-12", true},
		{"1 мая 2020", "2020-05-01", true},
		{"1 май 2020", "2020-05-01", true},
		{"3 сентября 2021 года", "2021-09-03", true},
		{"ноябрь 2015", "2015-11", true},
		{"15 Ёкабря 2015", "", false},
		{"spring 2023", "", false},
		{"весна 2023", "", false},
		{"19x5", "", false},
		{"31.04.2020", "", false},
		{"29.02.2023", "", false},
		{"29.02.2024", "2024-02-29", true},
		{"13.13.2020", "", false},
		{"12.03-2024", "", false},
		{"2024-13", "", false},
		{"1500", "", false},
		{"", "", false},
		{"unknown", "", false},
		{"12 Foo 2024", "", false},
	}
	for _, tc := range tests {
		got, ok := ParseDate(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseDate(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestParseYear(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"1985", 1985, true},
		{"12.03.1985", 1985, true},
		{"1985-03-12", 1985, true},
		{"born 1985", 1985, true},
		{"1985-ci il", 1985, true},
		{"1985 г.р.", 1985, true},
		{"c. 1985", 1985, true},
		{"1985 (approx.)", 1985, true},
		{"12 марта 1985 г.", 1985, true},
		{"19x5", 0, false},
		{"1985/1986", 0, false},
		{"85", 0, false},
		{"198", 0, false},
		{"19855", 0, false},
		{"", 0, false},
		{"unknown", 0, false},
	}
	for _, tc := range tests {
		got, ok := ParseYear(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseYear(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
