package synth

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"sort"
	"strings"
	"testing"

	"github.com/roster-coalition/roster/internal/roster"
)

type memFile struct {
	bytes.Buffer
}

func (m *memFile) Close() error { return nil }

func generate(t testing.TB, opts Options) (map[string][]byte, *Manifest) {
	t.Helper()
	return collect(t, func(create FileCreator) (*Manifest, error) { return Generate(opts, create) })
}

// collect runs a generator into memory and returns its files by name.
func collect(t testing.TB, gen func(FileCreator) (*Manifest, error)) (map[string][]byte, *Manifest) {
	t.Helper()
	files := map[string]*memFile{}
	man, err := gen(func(name string) (io.WriteCloser, error) {
		f := &memFile{}
		files[name] = f
		return f, nil
	})
	if err != nil {
		t.Fatalf("generate: %v", err)
	}
	out := map[string][]byte{}
	for k, v := range files {
		out[k] = v.Bytes()
	}
	return out, man
}

func TestGenerateIsDeterministic(t *testing.T) {
	a, _ := generate(t, DefaultOptions(400, 7))
	b, _ := generate(t, DefaultOptions(400, 7))
	if len(a) != 7 {
		t.Fatalf("got %d files, want 5 lists + truth.csv + manifest.json", len(a))
	}
	for name := range a {
		if !bytes.Equal(a[name], b[name]) {
			t.Errorf("%s differs between two runs with the same seed", name)
		}
	}
	c, _ := generate(t, DefaultOptions(400, 8))
	if bytes.Equal(a["truth.csv"], c["truth.csv"]) {
		t.Errorf("truth.csv is the same for seeds 7 and 8")
	}
}

func TestGenerateTruthAndManifest(t *testing.T) {
	files, man := generate(t, DefaultOptions(1000, 1))
	rows, err := csv.NewReader(bytes.NewReader(files["truth.csv"])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := rows[0], []string{"source", "edition", "record_ref", "person"}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("truth header = %v; want %v", got, want)
	}
	if got, want := len(rows)-1, man.Records; got != want {
		t.Errorf("truth rows = %d; want %d (manifest records)", got, want)
	}
	seen := map[string]bool{}
	perSource := map[string]int{}
	for _, r := range rows[1:] {
		k := r[0] + "|" + r[2]
		if seen[k] {
			t.Fatalf("record %s:%s twice in truth", r[0], r[2])
		}
		seen[k] = true
		perSource[r[0]]++
	}
	var m Manifest
	if err := json.Unmarshal(files["manifest.json"], &m); err != nil {
		t.Fatalf("manifest.json: %v", err)
	}
	for _, l := range m.Lists {
		if _, ok := files[l.File]; !ok {
			t.Errorf("manifest names %s, which was not written", l.File)
		}
		if perSource[l.Slug] != l.Records {
			t.Errorf("%s: truth has %d records, manifest %d", l.Slug, perSource[l.Slug], l.Records)
		}
		for _, g := range l.OmitGroups {
			if l.ByGroup[g] != 0 {
				t.Errorf("%s omits %s but lists %d of them", l.Slug, g, l.ByGroup[g])
			}
		}
		if l.Records < 300 || l.Records > 950 {
			t.Errorf("%s: %d records for 1000 persons; coverage looks wrong", l.Slug, l.Records)
		}
	}
	// Religious believers are the largest group in the comprehensive list.
	ipm := m.Lists[sort.Search(len(m.Lists), func(i int) bool { return m.Lists[i].Slug >= "ipm" })]
	for _, g := range roster.Groups {
		if ipm.ByGroup[g] > ipm.ByGroup[roster.GroupReligious] {
			t.Errorf("ipm: %s (%d) outnumbers religious (%d)", g, ipm.ByGroup[g], ipm.ByGroup[roster.GroupReligious])
		}
	}
}

func TestXLSXFallsBackToCSVWhenLarge(t *testing.T) {
	opts := DefaultOptions(300, 1)
	opts.XLSXMaxRows = 10
	files, man := generate(t, opts)
	for _, l := range man.Lists {
		if l.Format == FormatXLSX && (l.Written != FormatCSV || !strings.HasSuffix(l.File, ".csv")) {
			t.Errorf("%s: written as %s (%s); want csv", l.Slug, l.Written, l.File)
		}
	}
	if _, ok := files["fpc-2025-07.xlsx"]; ok {
		t.Errorf("fpc-2025-07.xlsx written despite XLSXMaxRows")
	}
}

func TestAddTypo(t *testing.T) {
	tests := []struct {
		s    string
		pos  uint64
		kind int
		want string
	}{
		{"Mammadov", 0, 0, "Mmmadov"},
		{"Mammadov", 0, 1, "Maammadov"},
		{"Mammadov", 0, 2, "Mmamadov"},
		{"Əli", 0, 0, "Əli"}, // too short to touch
	}
	for _, tt := range tests {
		if got := addTypo(tt.s, tt.pos, tt.kind); got != tt.want {
			t.Errorf("addTypo(%q, %d, %d) = %q; want %q", tt.s, tt.pos, tt.kind, got, tt.want)
		}
	}
}

// BenchmarkGenerate measures the generator alone; b.N runs of 20,000
// persons (about 68,000 records) with XLSX replaced by CSV.
func BenchmarkGenerate(b *testing.B) {
	opts := DefaultOptions(20000, 1)
	opts.XLSXMaxRows = 1
	for b.Loop() {
		_, err := Generate(opts, func(string) (io.WriteCloser, error) { return nopCloser{io.Discard}, nil })
		if err != nil {
			b.Fatal(err)
		}
	}
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }
