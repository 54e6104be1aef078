package match

import (
	"context"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/roster-coalition/roster/internal/roster"
)

func TestClipRunes(t *testing.T) {
	tests := []struct {
		s    string
		n    int
		want string
	}{
		{"Məmmədov Əli", 20, "Məmmədov Əli"},
		{"Məmmədov Əli Həsən oğlu", 14, "Məmmədov Əli"},
		{"Məmmədov Əli Həsən oğlu", 12, "Məmmədov Əli"},
		{"Məmmədov Əli Həsən oğlu", 11, "Məmmədov"},
		{"Əəəəəəəəəə", 4, "Əəəə"},
		{"", 3, ""},
	}
	for _, tc := range tests {
		if got := clipRunes(tc.s, tc.n); got != tc.want {
			t.Errorf("clipRunes(%q, %d) = %q, want %q", tc.s, tc.n, got, tc.want)
		}
	}
}

// hostileName is a name cell of n bytes made of real name words, so that
// its keys collide with every other such name: the import accepts up to
// 4 KB.
func hostileName(rng *rand.Rand, n int) string {
	words := strings.Fields("Məmmədov Əliyev Həsənov Quliyev Hüseynov Əli Həsən Leyla Rauf Nigar Elçin Vüqar oğlu qızı Kərimov Abbasov")
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(words[rng.IntN(len(words))])
		b.WriteByte(' ')
	}
	s := b.String()[:n]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return strings.TrimSpace(s)
}

// TestBoundedCost: records whose names are as long as an import allows
// (4 KB) cost the matcher a few times what ordinary records do, not
// hours (issue 16, point 1: a 1 MB name took 7.6 s and 333 MB, 2,000
// names of 4 KB did not finish in 11 minutes). Fingerprints read the same
// bounded name as the matcher.
func TestBoundedCost(t *testing.T) {
	if testing.Short() {
		t.Skip("matches 2 × 1,200 records")
	}
	const n = 1200
	rng := rand.New(rand.NewPCG(16, 1))
	normal, _ := genRecords(n/3, 16)
	normal = normal[:min(n, len(normal))]
	hostile := make([]roster.Record, len(normal))
	for i, r := range normal {
		r.Name = hostileName(rng, 4000)
		r.Case = hostileName(rng, 60000)
		hostile[i] = r
	}
	run := func(recs []roster.Record) (time.Duration, uint64) {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		start := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		m := New(recs, Config{})
		if _, err := m.Run(ctx); err != nil {
			t.Fatalf("after %v: %v", time.Since(start), err)
		}
		d := time.Since(start)
		runtime.ReadMemStats(&after)
		return d, after.TotalAlloc - before.TotalAlloc
	}
	dn, an := run(normal)
	dh, ah := run(hostile)
	t.Logf("%d records: ordinary names %v, %.1f MB allocated; 4 KB names and 60 KB cases %v, %.1f MB allocated",
		len(normal), dn, float64(an)/(1<<20), dh, float64(ah)/(1<<20))
	if ah > 4*an {
		t.Errorf("hostile records allocated %.1f× the ordinary ones", float64(ah)/float64(an))
	}
	if dh > 20*dn+2*time.Second {
		t.Errorf("hostile records took %v, ordinary ones %v", dh, dn)
	}
	r := hostile[0]
	if Fingerprint(r) != Fingerprint(Bound(r)) {
		t.Error("a fingerprint does not read the bounded name")
	}
	if b := Bound(r); utf8.RuneCountInString(b.Name) > MaxNameRunes || utf8.RuneCountInString(b.Case) > MaxCaseRunes || b.Name == "" {
		t.Errorf("Bound: name %d runes, case %d runes", utf8.RuneCountInString(b.Name), utf8.RuneCountInString(b.Case))
	}
	if len(hostile[0].Name) < 3900 {
		t.Error("New cut the caller's records: the store keeps the whole name")
	}
}

// TestBoundedCopiesOnlyWhenItCuts: a value over the bound in bytes but
// not in letters (Cyrillic) leaves the records as they are, shared; a
// value over it in letters is cut in a copy, and the caller's records
// keep the whole value.
func TestBoundedCopiesOnlyWhenItCuts(t *testing.T) {
	cyrCase := strings.Repeat("дело ", 20)  // 100 letters, 180 bytes
	longCase := strings.Repeat("case ", 40) // 200 letters
	tests := []struct {
		name     string
		recs     []roster.Record
		wantCopy bool
	}{
		{"short values", []roster.Record{{Name: "Ali Mammadov", Case: "Ganja case"}}, false},
		{"Cyrillic over in bytes only", []roster.Record{{Name: "Мамедов Али Гасан оглы Мамедов Али Гасан", Case: cyrCase}}, false},
		{"over in letters", []roster.Record{{Name: "Ali"}, {Name: "Ali", Case: longCase}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := bounded(tt.recs)
			if copied := &got[0] != &tt.recs[0]; copied != tt.wantCopy {
				t.Fatalf("copied = %v, want %v", copied, tt.wantCopy)
			}
			for i := range got {
				if utf8.RuneCountInString(got[i].Case) > MaxCaseRunes {
					t.Errorf("record %d: case of %d letters not cut", i, utf8.RuneCountInString(got[i].Case))
				}
				if tt.recs[i].Case != "" && len(got[i].Case) > len(tt.recs[i].Case) {
					t.Errorf("record %d: case grew", i)
				}
			}
			if tt.wantCopy && tt.recs[1].Case != longCase {
				t.Error("the caller's record was cut")
			}
		})
	}
}
