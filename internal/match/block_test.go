package match

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/roster-coalition/roster/internal/roster"
)

// namesakes makes n records from a small pool of names, so that blocks
// grow large and overlap: the case the sliding window is for.
func namesakes(n int, seed uint64) []roster.Record {
	r := rand.New(rand.NewPCG(seed, 1))
	sur := []string{"Məmmədov", "Əliyev", "Hüseynov", "Həsənov", "Quliyev"}
	giv := []string{"Əli", "Rauf", "Elçin", "Tural", "Anar", "Orxan"}
	pat := []string{"", "Həsən", "Vaqif", "Rəşad"}
	var out []roster.Record
	for i := range n {
		x := roster.Record{Source: []string{"ipm", "mhm", "fpc"}[i%3], Edition: "2025-01-01", Ref: fmt.Sprint(i),
			Surname: sur[r.IntN(len(sur))], Given: giv[r.IntN(len(giv))]}
		if p := pat[r.IntN(len(pat))]; p != "" {
			x.Patronymic = p + " oğlu"
		}
		if r.IntN(3) > 0 {
			x.BirthYear = 1970 + r.IntN(12)
		}
		out = append(out, x)
	}
	return out
}

// Every candidate pair is given exactly once: the pairs that share a
// block of at most the cap, and the pairs that a giant block's window
// holds, less the clear conflicts; a sample gives exactly the pairs whose
// first record it accepts.
func TestBlockingGivesEachPairOnce(t *testing.T) {
	recs := namesakes(1500, 7)
	m := New(recs, Config{Workers: 1})
	all := make([][]blockKey, len(m.ps))
	for i := range m.ps {
		all[i] = blockKeys(&m.ps[i], true)
	}
	keys, off, slip := activeKeys(all)
	const maxBlock, window = 20, 6
	bl := newBlocking(m.ps, keys, off, slip, maxBlock, window, -1, 2)
	if bl.giant == 0 || bl.giant == bl.blocks {
		t.Fatalf("want both small and giant blocks, got %d giant of %d", bl.giant, bl.blocks)
	}
	// The reference, by brute force over the blocks.
	want := map[pairIdx]bool{}
	for _, sp := range bl.spans {
		kr := bl.kr[sp.s:sp.e]
		for x := range kr {
			for y := x + 1; y < len(kr); y++ {
				if sp.giant && y > x+window {
					break
				}
				i, j := kr[x].rec, kr[y].rec
				if i > j {
					i, j = j, i
				}
				if sp.giant && sharesSmallKey(bl, i, j) {
					continue
				}
				if !conflict(&m.ps[i], &m.ps[j]) {
					want[pairIdx{i, j}] = true
				}
			}
		}
	}
	walk := func(sample func(int32) bool) []pairIdx {
		var got []pairIdx
		var c pairCounts
		for _, sp := range bl.spans {
			bl.each(sp, sample, &c, func(i, j int32) {
				if i >= j {
					t.Fatalf("pair (%d, %d) not ordered", i, j)
				}
				got = append(got, pairIdx{i, j})
			})
		}
		if int(c.given) != len(got) {
			t.Fatalf("counted %d pairs, gave %d", c.given, len(got))
		}
		return got
	}
	got := walk(nil)
	slices.SortFunc(got, cmpPair)
	if d := len(got) - len(slices.Compact(slices.Clone(got))); d > 0 {
		t.Errorf("%d pairs given more than once", d)
	}
	for _, p := range got {
		if !want[p] {
			t.Errorf("pair %v given but no block holds it", p)
		}
	}
	if len(slices.Compact(got)) != len(want) {
		t.Errorf("gave %d distinct pairs, want %d", len(slices.Compact(got)), len(want))
	}
	// A sample gives the pairs whose first record it accepts.
	odd := func(i int32) bool { return i%2 == 1 }
	sampled := walk(odd)
	n := 0
	for p := range want {
		if odd(p.i) {
			n++
		}
	}
	if len(sampled) != n {
		t.Errorf("sample gave %d pairs, want %d", len(sampled), n)
	}
}

func sharesSmallKey(bl *blocking, i, j int32) bool {
	for x := bl.off[i]; x < bl.off[i+1]; x++ {
		for y := bl.off[j]; y < bl.off[j+1]; y++ {
			if bl.keys[x] == bl.keys[y] && bl.pos[x] < 0 {
				return true
			}
		}
	}
	return false
}

// The name cache gives what comparing afresh gives, collisions included.
func TestNameCacheAgrees(t *testing.T) {
	recs := namesakes(600, 3)
	m := New(recs, Config{Workers: 1})
	c := &newNameCaches(1)[0]
	for i := range int32(len(recs)) {
		for j := i + 1; j < int32(len(recs)); j += 7 {
			if got, want := m.gammaWith(c, i, j), m.gammaOf(int(i), int(j)); got != want {
				t.Fatalf("records %d, %d: cached %x, afresh %x", i, j, got, want)
			}
		}
	}
}
