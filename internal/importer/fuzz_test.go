package importer

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/roster-coalition/roster/internal/faults/bomb"
)

func FuzzReadCSV(f *testing.F) {
	f.Add([]byte(azList), false)
	f.Add([]byte(ruList), true)
	f.Add([]byte("Ad Soyad,Doğum ili\n\"Məmmədov, Elvin\",1979\n\"a\"\"b\",x\n"), false)
	f.Add([]byte("title\n\n№|ФИО|Год рождения\n1|Алиев Шахин|1974\n"), false)
	f.Add([]byte("Surname\tGiven name\tBorn\nAliyev\tShahin\t12.03.1974\n"), false)
	f.Add([]byte("Ad Soyad;Kateqoriya\nI. Dindarlar;\nX Y;\"unterminated\n"), false)
	f.Add([]byte{0xFF, 0xFE, 'A', 0, 'd', 0, '\n', 0}, false)
	f.Fuzz(func(t *testing.T, data []byte, strict bool) {
		res, err := Read("fuzz.csv", data, Options{Strict: strict})
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not an *Error: %v", err, err)
			}
			if res != nil {
				t.Fatal("result with an error")
			}
			if e.File != "fuzz.csv" || e.Row < 0 {
				t.Fatalf("bad error location: %+v", e)
			}
			return
		}
		// Every record comes from at least one line (UTF-16 has as many
		// line breaks as its UTF-8 decoding).
		lines := strings.Count(string(data), "\n") + strings.Count(string(data), "\r") + 1
		if len(res.Records) > lines {
			t.Fatalf("%d records from %d lines", len(res.Records), lines)
		}
		for _, r := range res.Records {
			if strings.TrimSpace(r.Name) == "" || r.Ref == "" {
				t.Fatalf("record without name or ref: %+v", r)
			}
		}
		if strict && len(res.Warnings) > 0 {
			t.Fatal("warnings in strict mode")
		}
	})
}

var isoRE = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2})?)?$`)

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2024-03-12", "12.03.2024", "12/03/2024", "2024-03", "03.2024", "12 March 2024",
		"March 12, 2024", "12 mart 2024", "12 марта 2024 г.", "12.03.24", "1985", "spring 2023", "29.02.2024", "2024-03-12T10:00:00Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		iso, ok := ParseDate(s)
		if !ok {
			if iso != "" {
				t.Fatalf("!ok with %q", iso)
			}
			return
		}
		if !isoRE.MatchString(iso) {
			t.Fatalf("ParseDate(%q) = %q: not ISO", s, iso)
		}
		if again, ok := ParseDate(iso); !ok || again != iso {
			t.Fatalf("ParseDate(%q) = %q, but ParseDate(%q) = %q, %v", s, iso, iso, again, ok)
		}
		if y, ok := ParseYear(s); !ok || y < 1800 || y > 2100 {
			t.Fatalf("ParseYear(%q) = %d, %v after ParseDate ok", s, y, ok)
		}
	})
}

func FuzzTaxonomyMap(f *testing.F) {
	tax := DefaultTaxonomy()
	for _, s := range []string{"II. Jurnalistlər və bloggerlər (27)", "Dindarlar", "Group No. 1 – Religious", "Прочие", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k, ok := tax.Map(s)
		if ok != (k != "") {
			t.Fatalf("Map(%q) = %q, %v", s, k, ok)
		}
	})
}

// FuzzCheckPDF: the PDF stream check never panics, reads no further than
// the data, refuses only with an *Error naming the file, and never
// refuses under a limit nothing can reach.
func FuzzCheckPDF(f *testing.F) {
	f.Add(bomb.PDF(1<<20, false), int64(1<<19))
	f.Add(bomb.PDF(1<<20, true), int64(1<<21))
	f.Add([]byte("%PDF-1.4\n1 0 obj\n<< /Length 3 >>\nstream\r\nabc\nendstream\nendobj\nstream"), int64(1))
	f.Add([]byte("stream\n\x78\x9c\x03\x00\x00\x00\x00\x01endstream stream\n\x78\x01"), int64(0))
	f.Fuzz(func(t *testing.T, data []byte, limit int64) {
		if limit <= 0 || limit > 1<<24 {
			limit = 1 << 20
		}
		err := checkPDF("fuzz.pdf", data, Limits{Unzipped: limit})
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.File != "fuzz.pdf" {
				t.Fatalf("error %T does not name the file: %v", err, err)
			}
		}
		if err := checkPDF("fuzz.pdf", data, Limits{Unzipped: 1 << 40}); err != nil {
			t.Fatalf("refused under a limit of 1 TB: %v", err)
		}
	})
}
