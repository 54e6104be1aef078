package match

import (
	"slices"
	"strconv"
	"strings"

	"github.com/roster-coalition/roster/internal/names"
)

// blockKey is a blocking key and, for keys whose blocks can grow large,
// a refinement used instead when the block holds more than cap records.
// Some keys are gated: they are kept only when another key's block (gate)
// holds at most gateMax records, or only when their block holds a seeker
// (a record with a partial name that the key is there to find).
type blockKey struct {
	base, refined uint64
	gate          uint64 // 0: none
	cap           int32
	gateMax       int32
	maxSize       int32 // kept only when the block holds at most this many records (0: any)
	seeker        bool  // this record looks for others through the key
	needSeeker    bool  // kept only when the block has a seeker
}

// refineCap is the block size above which the birth-year and patronymic
// keys are refined by the initial of the name part they leave out.
const refineCap int32 = 30

// blockKeys returns the blocking keys of a prepared record, of its main
// name and of each alias: the names engine's keys (but for its surname +
// given-initial key, which our surname + given key refines) plus
// combinations of coarse name keys with each other and with the birth
// year, the surname alone (refined by the given name's initial, so that
// a lone surname or an initial meets the full name), and the keys that
// survive one slip in a surname or given name. Two records are compared
// when they share at least one key.
//
// partial says that some record of the run has a partial name (a lone
// surname or an initial): without one, full names need no surname-only
// keys.
func blockKeys(p *prepared, partial bool) []blockKey {
	keys := make([]blockKey, 0, 16)
	add := func(k blockKey) { keys = append(keys, k) }
	nameKeys(p.name, p.birth, partial, add)
	for k := range p.aliases {
		nameKeys(&p.aliases[k], p.birth, partial, add)
	}
	if len(keys) == 0 && p.name.SurnameKey != "" {
		add(blockKey{base: fnv64("s\x00" + p.name.SurnameKey)})
	}
	return keys
}

// key makes a plain key, refined above cap when refined is not empty.
func key(base, refined string, cap int32) blockKey {
	k := blockKey{base: fnv64(base), cap: cap}
	if refined != "" {
		k.refined = fnv64(refined)
	}
	return k
}

// sgKey is the order-independent surname + given-name key.
func sgKey(s, g string) string {
	if g < s {
		s, g = g, s
	}
	return "sg\x00" + s + "\x00" + g
}

// Gates of the partial-name and slip keys.
const (
	loneSurnameMax int32 = 100 // a lone surname is looked up only among at most this many records with it
	slipGateMax    int32 = 10  // a name looks for its slips only when at most this many records share it
	slipMaxBlock   int32 = 60  // … and only in blocks of at most this many records (a slip of a common name is lost among its namesakes)
)

// nameKeys adds the blocking keys of one name.
func nameKeys(n *names.Name, birth int, partial bool, add func(blockKey)) {
	for _, k := range n.BlockingKeys() {
		// Its surname + given-initial key is wider than ours (sg) and its
		// given + patronymic key is ours (gp); keep any other.
		if strings.HasPrefix(k, "s:") || strings.HasPrefix(k, "g:") {
			continue
		}
		add(key("n\x00"+k, "", 0))
	}
	s, g, pa := n.SurnameCoarse, n.GivenCoarse, n.PatronymicCoarse
	if s != "" && g != "" {
		// Order-independent so that a swapped surname/given still meets.
		add(key(sgKey(s, g), "", 0))
	}
	// Father's names are few, so the patronymic keys are refined like the
	// birth-year keys.
	if g != "" && pa != "" {
		add(key("gp\x00"+g+"\x00"+pa, "gp\x00"+g+"\x00"+pa+"\x00"+head(s, 1), refineCap))
	}
	if s != "" && pa != "" {
		add(key("sp\x00"+s+"\x00"+pa, "sp\x00"+s+"\x00"+pa+"\x00"+head(g, 1), refineCap))
	}
	// "Rashad Agaaddin": a given name and a word with no surname form may
	// be a given name and a father's name, with the surname left out.
	if g != "" && s != "" && pa == "" && n.Form == names.FormNone && !n.GivenInitial {
		add(key("gp\x00"+g+"\x00"+s, "", 0))
	}
	if birth != 0 {
		y := strconv.Itoa(birth)
		if s != "" {
			add(key("sy\x00"+s+"\x00"+y, "sy\x00"+s+"\x00"+y+"\x00"+head(g, 1), refineCap))
		}
		if g != "" {
			add(key("gy\x00"+g+"\x00"+y, "gy\x00"+g+"\x00"+y+"\x00"+head(s, 1), refineCap))
		}
	}
	// Partial names: a surname with an initial ("N. Beidamirli") meets
	// the records with that surname whose given name starts alike; a lone
	// surname ("Beidemirli") every record with it, unless it is common.
	// The full names join these blocks only where a partial name is.
	if s != "" && (partial || partialName(n)) {
		initial := blockKey{base: fnv64("so\x00" + s + "\x00" + head(g, 1))}
		lone := blockKey{base: fnv64("so\x00" + s), maxSize: loneSurnameMax}
		switch {
		case g == "":
			lone.seeker = true
			add(lone)
		case n.GivenInitial:
			initial.seeker = true
			add(initial)
		default:
			initial.needSeeker, lone.needSeeker = true, true
			add(initial)
			add(lone)
		}
	}
	// One slip: a name that few records share also looks for the names
	// one sound away in its surname or given-name skeleton (Tairov and
	// Tahirov, Kekalov and Kelakov, Хаяла and Хаялв), through the keys
	// those names have: their surname + given-name key.
	if s != "" && g != "" && !n.GivenInitial {
		gate := fnv64(sgKey(s, g))
		for _, d := range deletions(s) {
			add(blockKey{base: fnv64(sgKey(d, g)), gate: gate, gateMax: slipGateMax, maxSize: slipMaxBlock})
		}
		for _, d := range deletions(g) {
			add(blockKey{base: fnv64(sgKey(s, d)), gate: gate, gateMax: slipGateMax, maxSize: slipMaxBlock})
		}
	}
}

// partialName reports a name that has a surname but no given name, or
// only its initial.
func partialName(n *names.Name) bool {
	return n.SurnameCoarse != "" && (n.GivenCoarse == "" || n.GivenInitial)
}

// deletions returns s with each one of its bytes left out (coarse keys
// are ASCII, spaces dropped): a skeleton one sound longer than another
// gives it, and two skeletons one sound apart give a common one. Keys of
// one letter give none.
func deletions(s string) []string {
	s = strings.ReplaceAll(s, " ", "")
	if len(s) < 2 {
		return nil
	}
	out := make([]string, 0, len(s))
	for i := range len(s) {
		if i > 0 && s[i] == s[i-1] {
			continue // the same deletion
		}
		out = append(out, s[:i]+s[i+1:])
	}
	return out
}

// activeKeys picks, for each record, the keys it is blocked on: a key
// whose block is above its cap is replaced by its refinement. Record i's
// keys, sorted, are keys[off[i]:off[i+1]]. slip holds the indexes into
// keys of the keys a record has only as a slip key: they do not count
// toward the pair budget (their blocks are small by construction, and most
// of their pairs are met again through the names' own keys).
func activeKeys(all [][]blockKey) (keys []uint64, off []int32, slip map[int64]bool) {
	// Per key: the records that have it ungated, those that look through
	// it (seekers), and those a gated key adds.
	type tally struct{ count, seekers, extra int32 }
	tallies := map[uint64]*tally{}
	at := func(k uint64) *tally {
		t := tallies[k]
		if t == nil {
			t = &tally{}
			tallies[k] = t
		}
		return t
	}
	n := 0
	for _, ks := range all {
		for _, k := range ks {
			if k.gate == 0 || k.seeker {
				t := at(k.base)
				if k.gate == 0 {
					t.count++
				}
				if k.seeker {
					t.seekers++
				}
			}
		}
		n += len(ks)
	}
	countOf := func(k uint64) int32 {
		if t := tallies[k]; t != nil {
			return t.count
		}
		return 0
	}
	// Gated keys: kept by their gate, then counted.
	kept := func(k blockKey) bool {
		switch {
		case k.gate != 0 && countOf(k.gate) > k.gateMax:
			return false
		case k.needSeeker && (tallies[k.base] == nil || tallies[k.base].seekers == 0):
			return false
		}
		return true
	}
	for _, ks := range all {
		for _, k := range ks {
			if k.gate != 0 && kept(k) {
				at(k.base).extra++
			}
		}
	}
	keys = make([]uint64, 0, n)
	off = make([]int32, len(all)+1)
	var own []uint64 // a record's keys that are not slip keys
	for i, ks := range all {
		start := len(keys)
		own = own[:0]
		for _, k := range ks {
			var size int32
			if t := tallies[k.base]; t != nil {
				size = t.count + t.extra
			}
			if !kept(k) || (k.maxSize > 0 && size > k.maxSize) {
				continue
			}
			x := k.base
			if k.refined != 0 && size > k.cap {
				x = k.refined
			}
			keys = append(keys, x)
			if k.gate == 0 {
				own = append(own, x)
			}
		}
		v := keys[start:]
		slices.Sort(v)
		keys = keys[:start+len(slices.Compact(v))]
		off[i+1] = int32(len(keys))
		if len(own) < len(keys)-start {
			if slip == nil {
				slip = map[int64]bool{}
			}
			for x := start; x < len(keys); x++ {
				if !slices.Contains(own, keys[x]) {
					slip[int64(x)] = true
				}
			}
		}
	}
	return keys, off, slip
}

// blocking is the outcome of blocking: the blocks, and what it takes to
// give each candidate pair exactly once without listing the pairs. A
// pair is given by the first block, in key order, that compares it: by
// the first small block the two records share, or, when they share none,
// by the first giant block whose window holds them both.
type blocking struct {
	keys   []uint64 // record i's active keys, sorted: keys[off[i]:off[i+1]]
	off    []int32
	pos    []int32  // parallel to keys: the record's place in its giant block's window order; -1 in a small block
	kr     []keyRec // by key, then record; a giant block's records in window order
	spans  []span   // the blocks of two records or more, in key order
	window int      // giant blocks compare each record with the next window records
	ps     []prepared
	// Stats.
	blocks   int   // blocks with at least two records
	giant    int   // blocks above the cap, compared by a sliding window
	allPairs int64 // n(n-1)/2
	maxBlock int   // records in the largest block
	cap      int   // the block cap used (lowered to fit the pair budget)
	estimate int64 // pairs the cap was chosen for (before removing pairs found through several keys)
}

type span struct {
	s, e  int32
	giant bool
}

type pairIdx struct{ i, j int32 }

type keyRec struct {
	key  uint64
	rec  int32
	slip bool // the record has the key only as a slip key
}

// minBlockCap is as far as a pair budget lowers the block cap.
const minBlockCap = 50

// newBlocking sorts the records into blocks. Blocks of up to maxBlock
// records give all their pairs; larger blocks are sorted by the records'
// secondary keys and compared within a sliding window, so that work stays
// near-linear whatever the distribution of names. With a budget, the cap
// comes down (to minBlockCap at least) until the estimated number of pairs
// fits it.
func newBlocking(ps []prepared, keys []uint64, off []int32, slip map[int64]bool, maxBlock, window int, budget int64, workers int) *blocking {
	n := len(ps)
	b := &blocking{keys: keys, off: off, window: window, ps: ps, allPairs: int64(n) * int64(n-1) / 2}
	b.kr = make([]keyRec, 0, len(keys))
	for i := 0; i < n; i++ {
		for x := off[i]; x < off[i+1]; x++ {
			b.kr = append(b.kr, keyRec{keys[x], int32(i), slip[int64(x)]})
		}
	}
	slices.SortFunc(b.kr, func(a, b keyRec) int {
		if a.key != b.key {
			if a.key < b.key {
				return -1
			}
			return 1
		}
		return int(a.rec - b.rec)
	})
	var all []span
	for s := 0; s < len(b.kr); {
		e := s + 1
		for e < len(b.kr) && b.kr[e].key == b.kr[s].key {
			e++
		}
		if e-s >= 2 {
			all = append(all, span{s: int32(s), e: int32(e)})
		}
		s = e
	}
	own := make([]int64, len(all)) // members of each block that are not there by a slip key
	for x, sp := range all {
		for _, kr := range b.kr[sp.s:sp.e] {
			if !kr.slip {
				own[x]++
			}
		}
	}
	estimate := func(c int) int64 {
		var t int64
		for x, sp := range all {
			if n := int64(sp.e - sp.s); n <= int64(c) {
				t += own[x] * (own[x] - 1) / 2
			} else {
				t += own[x] * int64(window)
			}
		}
		return t
	}
	if budget > 0 {
		for maxBlock > minBlockCap && estimate(maxBlock) > budget {
			maxBlock = max(minBlockCap, maxBlock*3/4)
		}
	}
	b.cap = maxBlock
	b.estimate = estimate(maxBlock)
	b.pos = make([]int32, len(keys))
	for x := range b.pos {
		b.pos[x] = -1
	}
	var giant []int
	for x := range all {
		sp := &all[x]
		size := int(sp.e - sp.s)
		b.blocks++
		b.maxBlock = max(b.maxBlock, size)
		if size > maxBlock {
			sp.giant = true
			b.giant++
			giant = append(giant, x)
		}
	}
	b.spans = all
	// Giant blocks: the window order, and each record's place in it. Each
	// (record, key) belongs to one block, so the blocks are independent.
	parallel(len(giant), workers, func(lo, hi int) {
		for _, x := range giant[lo:hi] {
			sp := all[x]
			recs := b.kr[sp.s:sp.e]
			slices.SortFunc(recs, func(x, y keyRec) int { return cmpWindow(&ps[x.rec], &ps[y.rec], x.rec, y.rec) })
			for p, kr := range recs {
				b.pos[b.keyIndex(kr.rec, kr.key)] = int32(p)
			}
		}
	})
	return b
}

// keyIndex returns the index in b.keys of record i's key k.
func (b *blocking) keyIndex(i int32, k uint64) int {
	lo, hi := int(b.off[i]), int(b.off[i+1])
	x, _ := slices.BinarySearch(b.keys[lo:hi], k)
	return lo + x
}

// givenHere reports whether the pair (i, j), met in the block of key k,
// is given by that block: k is the first small key they share, or (when
// k is giant) they share no small key and no earlier giant key whose
// window holds them both.
func (b *blocking) givenHere(i, j int32, k uint64, giant bool) bool {
	x, xe := int(b.off[i]), int(b.off[i+1])
	y, ye := int(b.off[j]), int(b.off[j+1])
	earlier := false // an earlier giant key holds the pair in its window
	for x < xe && y < ye {
		ki, kj := b.keys[x], b.keys[y]
		switch {
		case ki < kj:
			x++
		case ki > kj:
			y++
		default:
			pi, pj := b.pos[x], b.pos[y]
			if pi < 0 { // the first small block they share gives the pair
				return !giant && ki == k
			}
			if ki < k && abs(int(pi-pj)) <= b.window {
				earlier = true
			}
			x++
			y++
		}
	}
	return giant && !earlier
}

// conflict reports a pair that cannot reach the review band, so it is not
// compared at all: both birth years known and more than 3 years apart
// with no shared patronymic (the birth year alone weighs about -5 bits
// against a prior of -9 bits or less), or both patronymics known and
// different without the same birth year.
func conflict(a, b *prepared) bool {
	if len(a.aliases) > 0 || len(b.aliases) > 0 {
		return false // another name of the person may agree
	}
	pa, pb := a.name.PatronymicCoarse, b.name.PatronymicCoarse
	if a.name.PatronymicInitial || b.name.PatronymicInitial {
		// An initial says only how the father's name starts.
		pa, pb = head(pa, 1), head(pb, 1)
	}
	samePat := pa != "" && pa == pb
	bothBorn := a.birth != 0 && b.birth != 0
	if bothBorn && abs(a.birth-b.birth) > 3 && !samePat {
		return true
	}
	return pa != "" && pb != "" && !samePat && !(bothBorn && a.birth == b.birth)
}

// pairCounts counts the candidate pairs of a walk over blocks.
type pairCounts struct {
	given    int64 // pairs given to fn
	filtered int64 // given by their block but dropped for a clear conflict
}

// each calls fn(i, j), i < j, for every pair that block sp gives and that
// does not conflict. With a sample, only pairs whose smaller record the
// sample accepts are considered.
func (b *blocking) each(sp span, sample func(int32) bool, c *pairCounts, fn func(i, j int32)) {
	kr := b.kr[sp.s:sp.e]
	k := kr[0].key
	try := func(i, j int32) {
		if !b.givenHere(i, j, k, sp.giant) {
			return
		}
		if conflict(&b.ps[i], &b.ps[j]) {
			c.filtered++
			return
		}
		c.given++
		fn(i, j)
	}
	if !sp.giant {
		// Records are in index order: kr[x].rec < kr[y].rec.
		for x := range kr {
			if sample != nil && !sample(kr[x].rec) {
				continue
			}
			for y := x + 1; y < len(kr); y++ {
				try(kr[x].rec, kr[y].rec)
			}
		}
		return
	}
	for x := range kr {
		for y := x + 1; y < len(kr) && y <= x+b.window; y++ {
			i, j := kr[x].rec, kr[y].rec
			if i > j {
				i, j = j, i
			}
			if sample != nil && !sample(i) {
				continue
			}
			try(i, j)
		}
	}
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
