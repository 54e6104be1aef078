package importer

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/roster-coalition/roster/internal/roster"
)

// The demo lists in fixtures/lists read cleanly, and every record's
// reference is the one truth.csv gives for it.
func TestFixtures(t *testing.T) {
	dir := filepath.Join("..", "..", "fixtures", "lists")
	tf, err := os.Open(filepath.Join(dir, "truth.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer tf.Close()
	rows, err := csv.NewReader(tf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	truth := map[string][]string{} // "source edition" -> refs in order
	for _, r := range rows[1:] {
		k := r[0] + " " + r[1]
		truth[k] = append(truth[k], r[2])
	}
	files := []struct {
		file, key, format, enc string
		warnings               int
		unmapped               []string
		antiWar                int
	}{
		{"ipm-2025-06.csv", "ipm 2025-06-01", "csv", encUTF8, 0, []string{"Sahibkarlar"}, 2},
		{"ipm-2025-02.csv", "ipm 2025-02-01", "csv", encUTF8BOM, 0, []string{"Sahibkarlar"}, 2},
		{"mhm-2025-05.csv", "mhm 2025-05-15", "csv", enc1251, 0, nil, 0},
		{"fpp-2025-06.xlsx", "fpp 2025-06-01", "xlsx", "", 0, nil, 2},
		{"cdr-2025-04.json", "cdr 2025-04-15", "json", encUTF8, 1, []string{"Entrepreneurs"}, 2},
	}
	for _, f := range files {
		t.Run(f.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, f.file))
			if err != nil {
				t.Fatal(err)
			}
			res := mustRead(t, f.file, data, Options{})
			if res.Format != f.format || res.Encoding != f.enc {
				t.Errorf("format %q encoding %q", res.Format, res.Encoding)
			}
			want := truth[f.key]
			if len(res.Records) != len(want) || len(want) < 25 || len(want) > 35 {
				t.Fatalf("%d records, truth has %d", len(res.Records), len(want))
			}
			for i, r := range res.Records {
				if r.Ref != want[i] {
					t.Errorf("record %d ref %q, truth %q", i, r.Ref, want[i])
				}
				if r.Name == "" || r.BirthYear == 0 || r.GroupRaw == "" {
					t.Errorf("record %s incomplete: %+v", r.Ref, r)
				}
				if r.ArrestDate == "" && !strings.Contains(r.Raw, "spring") {
					t.Errorf("record %s: no arrest date: %q", r.Ref, r.Raw)
				}
			}
			if len(res.Warnings) != f.warnings {
				t.Errorf("warnings = %v", res.Warnings)
			}
			if strings.Join(res.Unmapped, "|") != strings.Join(f.unmapped, "|") {
				t.Errorf("unmapped = %v", res.Unmapped)
			}
			if res.Groups[roster.GroupAntiWar] != f.antiWar {
				t.Errorf("anti-war = %d, want %d", res.Groups[roster.GroupAntiWar], f.antiWar)
			}
			for _, g := range roster.Groups {
				if g != roster.GroupAntiWar && res.Groups[g] == 0 {
					t.Errorf("no records in group %s", g)
				}
			}
		})
	}
}
