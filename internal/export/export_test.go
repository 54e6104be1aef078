package export

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/roster-coalition/roster/internal/roster"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// sample is a small clustering: P-000001 listed by three organisations
// (one of them in two editions) in Azerbaijani Latin, Russian and English;
// P-000002 only in Russian (its name is reconstructed); one record not
// placed yet. P-000001 has a pen name, written in three of its records
// (once in the name cell, in brackets).
func sample() []Member {
	rec := func(src, ed, ref string, row int, name, grp, cs string, born int) roster.Record {
		return roster.Record{Source: src, Edition: ed, Ref: ref, Row: row, Name: name, Group: grp, Case: cs, BirthYear: born}
	}
	return []Member{
		{rec("mhm", "2025-05-01", "7", 7, "Мамедов Али Гасан оглы (Али Дальга)", "journalist", "Дело Abzas Media", 1985), "P-000001", "auto", 0.9731, []string{"Али Дальга"}},
		{rec("ipm", "2025-06-01", "12", 12, "Məmmədov Əli Həsən oğlu", "journalist", "Abzas Media işi", 1985), "P-000001", "auto", 0.9912, []string{"Əli Dalğa", "Ali Dalga"}},
		{rec("ipm", "2025-01-01", "10", 10, "Məmmədov Əli", "opposition", "", 1986), "P-000001", "analyst", 1, nil},
		{rec("fpc", "2025-07-01", "3", 3, "Ali MAMMADOV", "journalist", "", 0), "P-000001", "auto", 0.95, []string{"Ali Dalga"}},
		{rec("mhm", "2025-05-01", "2", 2, "Гусейнов Рашад", "religious", "Нардаранское дело", 1979), "P-000002", "single", 0, nil},
		{rec("fpc", "2025-07-01", "9", 9, "Elchin GULIYEV", "", "", 0), "", "", 0, nil},
	}
}

// testNamer stands in for the name engine: it knows the sample's names.
var testNamer = Namer{
	Parse: func(r roster.Record) NameParts {
		known := map[string]NameParts{
			"Məmmədov Əli Həsən oğlu": {"Məmmədov", "Əli", "Həsən", "m", true, false, ""},
			"Məmmədov Əli":            {"Məmmədov", "Əli", "", "", true, false, ""},
			"Мамедов Али Гасан оглы (Али Дальга)": {"Mamedov", "Ali", "Qasan", "m", false, true, "Мамедов Али Гасан оглы"},
			"Ali MAMMADOV":   {"Mammadov", "Ali", "", "", false, false, ""},
			"Гусейнов Рашад": {"Hüseynov", "Rəşad", "", "m", false, true, ""},
		}
		return known[r.Name]
	},
	English: func(s string) string {
		return strings.NewReplacer("ə", "a", "Ə", "A", "ü", "u", "ş", "sh", "ğ", "gh", "ı", "i").Replace(s)
	},
	Russian: func(s string) string { return "ru(" + s + ")" },
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it)\ngot:\n%s\nwant:\n%s", name, got, want)
	}
}

func TestGolden(t *testing.T) {
	cw := Crosswalk(sample())
	reg := Registry(sample(), testNamer, map[string][]string{"P-000001": {"conflict"}})
	for _, format := range []string{CSV, JSON} {
		var a, b bytes.Buffer
		if err := WriteCrosswalk(&a, format, cw); err != nil {
			t.Fatal(err)
		}
		golden(t, "crosswalk."+format, a.Bytes())
		if err := WriteRegistry(&b, format, reg); err != nil {
			t.Fatal(err)
		}
		golden(t, "registry."+format, b.Bytes())
	}
}

func TestRegistry(t *testing.T) {
	reg := Registry(sample(), testNamer, nil)
	if len(reg) != 2 {
		t.Fatalf("got %d persons; want 2 (the unplaced record is left out)", len(reg))
	}
	p1, p2 := reg[0], reg[1]
	checks := []struct{ what, got, want string }{
		{"canonical name (best-attested Azerbaijani Latin)", p1.Name, "Məmmədov Əli Həsən oğlu"},
		{"English form", p1.NameEN, "Mammadov Ali Hasan oghlu"},
		{"sources (editions shown where a source has several)", strings.Join(p1.Sources, "; "), "fpc:3; ipm@2025-01-01:10; ipm@2025-06-01:12; mhm:7"},
		{"groups in registry order", strings.Join(p1.Groups, ","), "opposition,journalist"},
		{"aliases of every record, once each, sorted", strings.Join(p1.Aliases, "; "), "Ali Dalga; Əli Dalğa; Али Дальга"},
		{"Russian form as written, without the pen name in its cell", p1.NameRU, "Мамедов Али Гасан оглы"},
		{"reconstructed name", p2.Name, "Hüseynov Rəşad"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q; want %q", c.what, c.got, c.want)
		}
	}
	if p2.Aliases == nil || len(p2.Aliases) != 0 {
		t.Errorf("P-000002 aliases = %#v; want an empty list", p2.Aliases)
	}
	if p1.BirthYear != 1985 || p1.Lists != 3 || !p1.Attested || p2.Attested {
		t.Errorf("P-000001 born %d, lists %d, attested %v; P-000002 attested %v; want 1985, 3, true, false", p1.BirthYear, p1.Lists, p1.Attested, p2.Attested)
	}
}

// XLSX bytes repeat, and the cells read back.
func TestXLSXIsDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	reg := Registry(sample(), testNamer, nil)
	if err := WriteRegistry(&a, XLSX, reg); err != nil {
		t.Fatal(err)
	}
	if err := WriteRegistry(&b, XLSX, reg); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatalf("two XLSX exports of the same registry differ")
	}
	f, err := excelize.OpenReader(bytes.NewReader(a.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("registry")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0][0] != "person_id" || rows[1][1] != "Məmmədov Əli Həsən oğlu" ||
		rows[0][5] != "aliases" || rows[1][5] != "Ali Dalga; Əli Dalğa; Али Дальга" {
		t.Errorf("rows = %q", rows)
	}
}

func TestUnknownFormat(t *testing.T) {
	err := WriteCrosswalk(&bytes.Buffer{}, "pdf", nil)
	if roster.ErrorCode(err) != roster.EINVALID {
		t.Errorf("WriteCrosswalk(pdf) = %v; want an EINVALID error", err)
	}
}

func TestCrosswalkAliases(t *testing.T) {
	got := map[string]string{}
	for _, r := range Crosswalk(sample()) {
		got[r.Source+":"+r.RecordRef] = strings.Join(r.Aliases, "; ")
	}
	want := map[string]string{"fpc:3": "Ali Dalga", "fpc:9": "", "ipm:10": "", "ipm:12": "Ali Dalga; Əli Dalğa", "mhm:2": "",
		"mhm:7": "Али Дальга"}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("crosswalk %s aliases = %q; want %q", k, got[k], w)
		}
	}
}
