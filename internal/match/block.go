package match

import (
	"slices"
	"strconv"
	"strings"
)

// blockKey is a blocking key and, for keys whose blocks can grow large,
// a refinement used instead when the block holds more than cap records.
type blockKey struct {
	base, refined uint64
	cap           int
}

// refineCap is the block size above which the birth-year and patronymic
// keys are refined by the initial of the name part they leave out.
const refineCap = 30

// blockKeys returns the blocking keys of a prepared record: the names
// engine's keys (but for its surname + given-initial key, which our
// surname + given key refines) plus combinations of coarse name keys with
// each other and with the birth year. Two records are compared when they
// share at least one key.
func blockKeys(p *prepared) []blockKey {
	n := p.name
	var keys []blockKey
	add := func(base, refined string, cap int) {
		k := blockKey{base: fnv64(base), cap: cap}
		if refined != "" {
			k.refined = fnv64(refined)
		}
		keys = append(keys, k)
	}
	for _, k := range n.BlockingKeys() {
		// Its surname + given-initial key is wider than ours (sg) and its
		// given + patronymic key is ours (gp); keep any other.
		if strings.HasPrefix(k, "s:") || strings.HasPrefix(k, "g:") {
			continue
		}
		add("n\x00"+k, "", 0)
	}
	s, g, pa := n.SurnameCoarse, n.GivenCoarse, n.PatronymicCoarse
	if s != "" && g != "" {
		// Order-independent so that a swapped surname/given still meets.
		x, y := s, g
		if y < x {
			x, y = y, x
		}
		add("sg\x00"+x+"\x00"+y, "", 0)
	}
	// Father's names are few, so the patronymic keys are refined like the
	// birth-year keys.
	if g != "" && pa != "" {
		add("gp\x00"+g+"\x00"+pa, "gp\x00"+g+"\x00"+pa+"\x00"+head(s, 1), refineCap)
	}
	if s != "" && pa != "" {
		add("sp\x00"+s+"\x00"+pa, "sp\x00"+s+"\x00"+pa+"\x00"+head(g, 1), refineCap)
	}
	if p.birth != 0 {
		y := strconv.Itoa(p.birth)
		if s != "" {
			add("sy\x00"+s+"\x00"+y, "sy\x00"+s+"\x00"+y+"\x00"+head(g, 1), refineCap)
		}
		if g != "" {
			add("gy\x00"+g+"\x00"+y, "gy\x00"+g+"\x00"+y+"\x00"+head(s, 1), refineCap)
		}
	}
	if len(keys) == 0 && n.SurnameKey != "" {
		add("s\x00"+n.SurnameKey, "", 0)
	}
	return keys
}

// activeKeys picks, for each record, the keys it is blocked on: a key
// whose block is above its cap is replaced by its refinement.
func activeKeys(all [][]blockKey) [][]uint64 {
	count := map[uint64]int{}
	for _, ks := range all {
		for _, k := range ks {
			count[k.base]++
		}
	}
	out := make([][]uint64, len(all))
	for i, ks := range all {
		v := make([]uint64, 0, len(ks))
		for _, k := range ks {
			if k.refined != 0 && count[k.base] > k.cap {
				v = append(v, k.refined)
			} else {
				v = append(v, k.base)
			}
		}
		slices.Sort(v)
		out[i] = slices.Compact(v)
	}
	return out
}

// blocking holds the outcome of blocking.
type blocking struct {
	pairs     []pairIdx
	blocks    int   // blocks with at least two records
	giant     int   // blocks above the cap, compared by a sliding window
	allPairs  int64 // n(n-1)/2
	maxBlock  int   // records in the largest block
	candidate int64 // pairs before removing those found through several keys
	filtered  int64 // distinct pairs dropped for a clear birth-year conflict
	cap       int   // the block cap used (lowered to fit the pair budget)
}

type pairIdx struct{ i, j int32 }

type keyRec struct {
	key uint64
	rec int32
}

// minBlockCap is as far as a pair budget lowers the block cap.
const minBlockCap = 50

// block generates each candidate pair once. Blocks of up to maxBlock
// records give all their pairs; larger blocks are sorted by the records'
// secondary keys and compared within a sliding window, so that work stays
// near-linear whatever the distribution of names.
func block(ps []prepared, keys [][]uint64, maxBlock, window int, budget int64) blocking {
	var res blocking
	n := len(ps)
	res.allPairs = int64(n) * int64(n-1) / 2
	var kr []keyRec
	for i, ks := range keys {
		for _, k := range ks {
			kr = append(kr, keyRec{k, int32(i)})
		}
	}
	slices.SortFunc(kr, func(a, b keyRec) int {
		if a.key != b.key {
			if a.key < b.key {
				return -1
			}
			return 1
		}
		return int(a.rec - b.rec)
	})
	// Sizes, to know which keys are giant. With a pair budget, the cap
	// comes down until the estimated number of pairs fits it.
	var sizes []int
	for s := 0; s < len(kr); {
		e := s + 1
		for e < len(kr) && kr[e].key == kr[s].key {
			e++
		}
		sizes = append(sizes, e-s)
		s = e
	}
	if budget > 0 {
		estimate := func(c int) int64 {
			var t int64
			for _, n := range sizes {
				if n <= c {
					t += int64(n) * int64(n-1) / 2
				} else {
					t += int64(n) * int64(window)
				}
			}
			return t
		}
		for maxBlock > minBlockCap && estimate(maxBlock) > budget {
			maxBlock = max(minBlockCap, maxBlock*3/4)
		}
	}
	res.cap = maxBlock
	giant := map[uint64]bool{}
	for s, x := 0, 0; s < len(kr); x++ {
		if sizes[x] > maxBlock {
			giant[kr[s].key] = true
		}
		s += sizes[x]
	}
	// firstShared reports whether key k is the first non-giant key both
	// records have (keys are sorted).
	firstShared := func(i, j int32, k uint64) bool {
		a, b := keys[i], keys[j]
		x, y := 0, 0
		for x < len(a) && y < len(b) {
			switch {
			case a[x] < b[y]:
				x++
			case a[x] > b[y]:
				y++
			default:
				if !giant[a[x]] {
					return a[x] == k
				}
				x++
				y++
			}
		}
		return false
	}
	sharesSmall := func(i, j int32) bool {
		a, b := keys[i], keys[j]
		x, y := 0, 0
		for x < len(a) && y < len(b) {
			switch {
			case a[x] < b[y]:
				x++
			case a[x] > b[y]:
				y++
			default:
				if !giant[a[x]] {
					return true
				}
				x++
				y++
			}
		}
		return false
	}
	// conflict reports a pair that cannot reach the review band, so it is
	// not compared at all: both birth years known and more than 3 years
	// apart with no shared patronymic (the birth year alone weighs about
	// -5 bits against a prior of -9 bits or less), or both patronymics
	// known and different without the same birth year.
	conflict := func(i, j int32) bool {
		a, b := &ps[i], &ps[j]
		pa, pb := a.name.PatronymicCoarse, b.name.PatronymicCoarse
		samePat := pa != "" && pa == pb
		bothBorn := a.birth != 0 && b.birth != 0
		if bothBorn && abs(a.birth-b.birth) > 3 && !samePat {
			return true
		}
		return pa != "" && pb != "" && !samePat && !(bothBorn && a.birth == b.birth)
	}
	var fromGiant []pairIdx
	for s := 0; s < len(kr); {
		e := s + 1
		for e < len(kr) && kr[e].key == kr[s].key {
			e++
		}
		size := e - s
		if size < 2 {
			s = e
			continue
		}
		res.blocks++
		res.maxBlock = max(res.maxBlock, size)
		k := kr[s].key
		if !giant[k] {
			for x := s; x < e; x++ {
				for y := x + 1; y < e; y++ {
					i, j := kr[x].rec, kr[y].rec
					res.candidate++
					if firstShared(i, j, k) {
						if conflict(i, j) {
							res.filtered++
							continue
						}
						res.pairs = append(res.pairs, pairIdx{i, j})
					}
				}
			}
		} else {
			res.giant++
			recs := make([]int32, 0, size)
			for x := s; x < e; x++ {
				recs = append(recs, kr[x].rec)
			}
			slices.SortFunc(recs, func(a, b int32) int { return cmpWindow(&ps[a], &ps[b], a, b) })
			for x := range recs {
				for y := x + 1; y < len(recs) && y <= x+window; y++ {
					i, j := recs[x], recs[y]
					if i > j {
						i, j = j, i
					}
					res.candidate++
					if !sharesSmall(i, j) && !conflict(i, j) {
						fromGiant = append(fromGiant, pairIdx{i, j})
					}
				}
			}
		}
		s = e
	}
	if len(fromGiant) > 0 {
		slices.SortFunc(fromGiant, cmpPair)
		fromGiant = slices.Compact(fromGiant)
		res.pairs = append(res.pairs, fromGiant...)
	}
	slices.SortFunc(res.pairs, cmpPair)
	return res
}

func cmpPair(a, b pairIdx) int {
	if a.i != b.i {
		return int(a.i - b.i)
	}
	return int(a.j - b.j)
}

// cmpWindow orders the records of a giant block for the sliding window:
// by birth year, then the coarse keys of patronymic, given name and
// surname (coarse keys do not depend on the script), so that the records
// of one person sit next to each other.
func cmpWindow(a, b *prepared, ia, ib int32) int {
	if a.birth != b.birth {
		return a.birth - b.birth
	}
	for _, c := range [...][2]string{
		{a.name.PatronymicCoarse, b.name.PatronymicCoarse},
		{a.name.GivenCoarse, b.name.GivenCoarse},
		{a.name.SurnameCoarse, b.name.SurnameCoarse},
	} {
		if c[0] != c[1] {
			if c[0] < c[1] {
				return -1
			}
			return 1
		}
	}
	return int(ia - ib)
}

// fnv64 is FNV-1a over the bytes of s: a fixed hash, so blocking is the
// same from run to run.
func fnv64(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// head returns the first n bytes of s (coarse keys are ASCII).
func head(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
