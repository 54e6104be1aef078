package names

import (
	"bytes"
	"math/bits"
	"slices"
	"sort"
	"strings"
	"sync"
)

// scratch holds the buffers of distance, reused through a pool.
type scratch struct {
	d      []float64
	pc     *partCache // nil: no cache (see Comparer)
	ra, rb []byte     // two readings' rules, joined (rulesAfter)
}

// partCache remembers comparisons of parts made by a Preparer (by their
// IDs): names prepared by one Preparer share their parts, so the same two
// spellings of a surname meet again and again.
type partCache [1 << 12]struct {
	a, b *part
	kind byte // 's' compareSurname, 'p' comparePlain
	v    pscore
}

func (sc *scratch) surname(a, b *part) pscore { return sc.cached('s', a, b) }
func (sc *scratch) plain(a, b *part) pscore   { return sc.cached('p', a, b) }

func (sc *scratch) cached(kind byte, a, b *part) pscore {
	compare := compareSurname
	if kind == 'p' {
		compare = comparePlain
	}
	if sc.pc == nil || a.id == 0 || b.id == 0 {
		return compare(sc, a, b)
	}
	h := (uint64(a.id)<<32 | uint64(b.id)) * 0x9e3779b97f4a7c15
	e := &sc.pc[(h>>40^uint64(kind))&(uint64(len(sc.pc))-1)]
	if e.a != a || e.b != b || e.kind != kind {
		e.a, e.b, e.kind, e.v = a, b, kind, compare(sc, a, b)
	}
	return e.v
}

// Comparer is CompareQuick with a memory: it remembers the comparisons of
// name parts it has made, which pays when the names come from one
// Preparer (a matcher comparing millions of pairs of a few thousand
// spellings). Its results are CompareQuick's. A Comparer is not safe for
// concurrent use: give each goroutine its own.
type Comparer struct {
	sc scratch
}

// NewComparer returns a Comparer with an empty memory (about 700 KB).
func NewComparer() *Comparer { return &Comparer{sc: scratch{pc: new(partCache)}} }

// CompareQuick is [CompareQuick].
func (c *Comparer) CompareQuick(a, b *Name) Comparison { return quick(align(&c.sc, a, b)) }

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n, n+16)
	}
	return s[:n]
}

// seq is a phoneme sequence with, for every position, the cost and rule
// ID of dropping it and its phoneme ID.
type seq struct {
	r    []rune
	cost []float64
	rule []uint8
	id   []uint8
}

// newSeqs makes the seqs of ps with one allocation per kind of slice.
func newSeqs(ps *[2][]rune) (out [2]seq) {
	n := 0
	for _, p := range ps {
		n += len(p)
	}
	costs := make([]float64, n)
	bs := make([]uint8, 2*n)
	for k, p := range ps {
		l := len(p)
		s := seq{r: p, cost: costs[:l:l], rule: bs[:l:l], id: bs[l : 2*l : 2*l]}
		costs, bs = costs[l:], bs[2*l:]
		for i, x := range p {
			c, kind := indelKind(p, i)
			s.cost[i], s.rule[i], s.id[i] = c, indelRuleIDs[kind], phonID(x)
		}
		out[k] = s
	}
	return out
}

// distance is a class-aware edit distance with the rules that fired and
// the number of edits no rule explains (a letter changed, added, dropped
// or two swapped). Symmetric by construction: costs and tie-breaking do
// not depend on order.
func distance(sc *scratch, sa, sb seq) (float64, ruleSet, int) {
	if slices.Equal(sa.r, sb.r) {
		// The diagonal costs nothing and names no rule.
		return 0, ruleSet{}, 0
	}
	if slices.Compare(sa.r, sb.r) > 0 {
		sa, sb = sb, sa
	}
	a, b := sa.r, sb.r
	n, m := len(a), len(b)
	w := m + 1
	sc.d = grow(sc.d, (n+1)*w)
	d, ca, cb, ida, idb, ra, rb := sc.d, sa.cost, sb.cost, sa.id, sb.id, sa.rule, sb.rule
	d[0] = 0
	for i := 1; i <= n; i++ {
		d[i*w] = d[(i-1)*w] + ca[i-1]
	}
	for j := 1; j <= m; j++ {
		d[j] = d[j-1] + cb[j-1]
	}
	for i := 1; i <= n; i++ {
		ai, ia, cai := a[i-1], ida[i-1], ca[i-1]
		row, prev := d[i*w:(i+1)*w], d[(i-1)*w:i*w]
		for j := 1; j <= m; j++ {
			best := prev[j-1]
			if bj := b[j-1]; ai != bj {
				best += subTab[int(ia)*maxPhonID+int(idb[j-1])].cost
			}
			if v := prev[j] + cai; v < best {
				best = v
			}
			if v := row[j-1] + cb[j-1]; v < best {
				best = v
			}
			if transposed(a, b, i, j) {
				if v := d[(i-2)*w+j-2] + costSwap; v < best {
					best = v
				}
			}
			row[j] = best
		}
	}
	// Trace back one optimal path to name the rules.
	var rules ruleSet
	edits := 0
	i, j := n, m
	const eps = 1e-9
	for i > 0 || j > 0 {
		if transposed(a, b, i, j) && abs(d[i*w+j]-(d[(i-2)*w+j-2]+costSwap)) < eps {
			rules.add(swapID)
			edits++
			i, j = i-2, j-2
			continue
		}
		if i > 0 && j > 0 {
			s, rule := subFast(a[i-1], b[j-1], ida[i-1], idb[j-1])
			if abs(d[i*w+j]-(d[(i-1)*w+j-1]+s)) < eps {
				if s > 0 {
					rules.add(rule)
					if s >= costVowelGeneric {
						edits++
					}
				}
				i, j = i-1, j-1
				continue
			}
		}
		if i > 0 {
			c := ca[i-1]
			if abs(d[i*w+j]-(d[(i-1)*w+j]+c)) < eps {
				rules.add(ra[i-1])
				if c >= costVowelIndel {
					edits++
				}
				i--
				continue
			}
		}
		c := cb[j-1]
		rules.add(rb[j-1])
		if c >= costVowelIndel {
			edits++
		}
		j--
	}
	return d[n*w+m], rules, edits
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// simOf turns a distance into a similarity in [0,1].
func simOf(cost float64, a, b []rune) float64 {
	l := max(len(a), len(b))
	if l == 0 {
		return 1
	}
	s := 1 - cost/float64(l)
	return min(max(s, 0), 1)
}

// part is what a comparison needs of one name part.
type part struct {
	id      uint32 // its number in its Preparer (from 1); 0 when made for one name
	ph      []rune
	stem    []rune
	phs     seq // ph and stem with their indel costs (set by prepare)
	stems   seq
	form    Form
	gender  string
	script  string
	raw     string
	initial bool   // one letter and a dot: "T."
	given   bool   // a given name
	fine    string // the phonemes as a fine key (given names only)
}

func (p *part) empty() bool { return len(p.ph) == 0 }

// isInitialRaw reports a part printed as one letter and a dot.
func isInitialRaw(raw string) bool {
	r := []rune(raw)
	return len(r) == 2 && r[1] == '.'
}

func partFromRaw(raw, key string, surname bool) part {
	var ph []rune
	script := ""
	if raw != "" {
		ph = phonemesOf(raw)
		ws, _, _ := splitName(raw)
		var buf [4]ptok
		ts := buf[:0]
		for _, w := range ws {
			_, s, _ := repair(w)
			ts = append(ts, ptok{script: s})
		}
		script = nameScript(ts)
	} else if key != "" {
		ph = phonemesOf(key)
		script = scriptLatn
	}
	p := part{ph: ph, script: script, raw: raw, form: FormNone, initial: isInitialRaw(raw) && len(ph) > 0}
	if surname && len(ph) > 0 && !p.initial {
		p.stem, p.form, p.gender = splitForm(ph)
	}
	return p
}

// prepared holds the parts of a Name as Compare reads them; Parse and
// FromParts compute it once so that Compare does not re-read the spellings.
// Parts are never modified, so names may share them (see Preparer).
type prepared struct {
	sur, giv, pat *part
}

func prepare(n Name) *prepared { return (*Preparer)(nil).prepared(n) }

// Preparer prepares names as [Name.Prepared] does, and shares the prepared
// parts between names that write a part alike (one surname spelled the
// same way in a thousand names is prepared once and kept once). It is
// safe for concurrent use. A matcher of a million records keeps a few
// hundred bytes per name instead of a few kilobytes.
type Preparer struct {
	mu    sync.Mutex
	parts map[string]*part
}

// NewPreparer returns an empty Preparer.
func NewPreparer() *Preparer { return &Preparer{parts: map[string]*part{}} }

// Prepare returns n with its prepared parts, shared where they can be.
func (c *Preparer) Prepare(n Name) Name {
	if n.prep == nil {
		n.prep = c.prepared(n)
	}
	return n
}

func (c *Preparer) prepared(n Name) *prepared {
	return &prepared{
		sur: c.part('s', n.SurnameRaw, n.SurnameKey),
		giv: c.part('g', n.GivenRaw, n.GivenKey),
		pat: c.part('p', n.PatronymicRaw, n.PatronymicKey),
	}
}

// part returns the prepared part of kind 's' (surname), 'g' (given name)
// or 'p' (patronymic) written raw with fine key key; a nil Preparer makes
// a new one each time.
func (c *Preparer) part(kind byte, raw, key string) *part {
	if c == nil {
		return newPart(kind, raw, key)
	}
	k := string(kind) + raw + "\x00" + key
	c.mu.Lock()
	p, ok := c.parts[k]
	c.mu.Unlock()
	if ok {
		return p
	}
	p = newPart(kind, raw, key)
	c.mu.Lock()
	if q, ok := c.parts[k]; ok {
		p = q
	} else {
		p.id = uint32(len(c.parts) + 1)
		c.parts[k] = p
	}
	c.mu.Unlock()
	return p
}

func newPart(kind byte, raw, key string) *part {
	p := partFromRaw(raw, key, kind != 'p')
	if kind == 'p' {
		if cut, _ := ruPatronymic(p.ph); cut > 0 {
			p.ph = p.ph[:cut]
		}
	}
	p.given = kind == 'g'
	if p.given {
		p.fine = renderFine(p.ph)
	}
	ss := newSeqs(&[2][]rune{p.ph, p.stem})
	p.phs, p.stems = ss[0], ss[1]
	return &p
}

// genderedGiven reports two given names of which one is the other's
// feminine form: a masculine name in -i and its feminine in -iyyə (Ülvi,
// Ülviyyə; Ульви, Ульвия; Ulvi, Ulviia). They are two people, a brother
// and a sister as often as not, never one person spelled two ways.
func genderedGiven(a, b *part) bool {
	if !a.given || !b.given {
		return false
	}
	s, l := a.fine, b.fine // ü, ı, ə read as u, i, a
	if len(s) > len(l) {
		s, l = l, s
	}
	if len(s) < 3 || s[len(s)-1] != 'i' || !strings.HasPrefix(l, s) {
		return false
	}
	switch l[len(s):] {
	case "ya", "yya", "ye", "yye", "ia", "iya":
		return true
	}
	return false
}

const genderedRule = "masculine and feminine given names (Ülvi, Ülviyyə)"

// parts returns the prepared parts of n, computing them when n was not
// made by Parse or FromParts.
func (n *Name) parts() *prepared {
	if n.prep != nil {
		return n.prep
	}
	return prepare(*n)
}

// pscore is a PartScore whose rules are kept as IDs until the alignment
// that shows them is chosen.
type pscore struct {
	ps     PartScore // Rules nil until render
	rules  ruleSet
	sa, sb string // scripts of the two sides
	extra  string // a gender rule shown after the others
	fa, fb Form   // the two surname forms, when they differ: a form rule shown after the others
}

func (p *pscore) render() PartScore {
	ps := p.ps
	extra := p.extra
	if p.fa != p.fb {
		extra = formRule(p.fa, p.fb) // built only when shown
	}
	ps.Rules = routeRules(p.rules, p.sa, p.sb, extra)
	return ps
}

// comparePlain compares a given name or patronymic.
func comparePlain(sc *scratch, a, b *part) pscore {
	if a.empty() || b.empty() {
		return pscore{ps: PartScore{Missing: true, Relation: "missing"}}
	}
	if a.initial || b.initial {
		return compareInitial(a, b)
	}
	cost, rules, edits := distance(sc, a.phs, b.phs)
	sim := simOf(cost, a.ph, b.ph)
	p := pscore{ps: PartScore{Sim: sim, Edits: edits, Len: max(len(a.ph), len(b.ph))}, rules: rules, sa: a.script, sb: b.script}
	p.ps.Relation = relation(cost, sim, edits > 0, sameThreshold)
	return p
}

// Similarity given to an initial that agrees with a name.
const initialSim = 0.7

// compareInitial compares two parts of which at least one is an initial:
// they agree when the names start with the same sound, allowing for the
// routes (Г. is H., Dzh. is C.).
func compareInitial(a, b *part) pscore {
	x, y := a.ph[0], b.ph[0]
	p := pscore{sa: a.script, sb: b.script, ps: PartScore{Len: 1}}
	same := x == y
	if !same {
		if isVowel(x) && isVowel(y) {
			c, _ := subCost(x, y)
			same = c <= 0.3
		} else {
			same = coarseClass(x) != 0 && coarseClass(x) == coarseClass(y)
		}
	}
	if same {
		p.ps.Sim, p.ps.Relation = initialSim, "initial"
		p.rules.add(initialRuleID)
	} else {
		p.ps.Relation, p.ps.Edits = "different", 1
	}
	return p
}

func relation(cost, sim float64, generic bool, thr float64) string {
	switch {
	case cost == 0:
		return "equal"
	case sim < thr:
		return "different"
	case generic:
		return "typo"
	}
	return "variant"
}

// compareSurname compares stems and surname forms.
func compareSurname(sc *scratch, a, b *part) pscore {
	if a.empty() || b.empty() {
		return pscore{ps: PartScore{Missing: true, Relation: "missing"}}
	}
	if a.initial || b.initial {
		return compareInitial(a, b)
	}
	if genderedGiven(a, b) {
		p := pscore{ps: PartScore{Relation: "different", Edits: 2, Len: max(len(a.ph), len(b.ph)), Sim: 0.5}, sa: a.script, sb: b.script}
		p.extra = genderedRule
		return p
	}
	cost, rules, edits := distance(sc, a.stems, b.stems)
	sim := simOf(cost, a.stem, b.stem)
	p := pscore{ps: PartScore{Sim: sim, Edits: edits, Len: max(len(a.ph), len(b.ph))}, rules: rules, sa: a.script, sb: b.script}
	ps := &p.ps
	switch {
	case a.form != b.form:
		// A misspelt ending can hide the form (Mirzoev, Mirzoea): read
		// whole, one slip is a typo, not another form of the name.
		if sim < familyThreshold && sim >= 0.6 && a.ph[0] == b.ph[0] && abs(float64(len(a.ph)-len(b.ph))) <= 1 {
			if c2, r2, e2 := distance(sc, a.phs, b.phs); e2 == 1 {
				if s2 := simOf(c2, a.ph, b.ph); s2 >= familyThreshold-0.1 {
					p.rules, ps.Sim, ps.Edits, ps.Relation = r2, s2, e2, "typo"
					return p
				}
			}
		}
		ps.Sim = sim * 0.85
		p.fa, p.fb = a.form, b.form
		if sim >= familyThreshold {
			ps.Relation = "family"
		} else {
			ps.Relation = "different"
		}
		return p
	case a.gender != b.gender && a.gender != "" && b.gender != "":
		ps.Sim = sim * 0.95
		p.extra = "-ov ↔ -ova: masculine and feminine form of one surname"
	}
	ps.Relation = relation(cost, sim, edits > 0, sameThreshold)
	if ps.Relation == "equal" && (ps.Sim < 1 || !slices.Equal(a.ph, b.ph)) {
		ps.Relation = "variant"
	}
	return p
}

func formRule(a, b Form) string {
	x, y := formWords[a], formWords[b]
	if x > y {
		x, y = y, x
	}
	if s, ok := formRules[[2]string{x, y}]; ok {
		return s
	}
	return x + " ↔ " + y + " surname form"
}

// formRules and scriptRules hold the rule texts for the known forms and
// scripts, so that Compare does not build them each time.
var (
	formRules   = formRuleTable()
	scriptRules = scriptRuleTable()
)

func formRuleTable() map[[2]string]string {
	m := map[[2]string]string{}
	for _, x := range formWords {
		for _, y := range formWords {
			if x <= y {
				m[[2]string{x, y}] = x + " ↔ " + y + " surname form"
			}
		}
	}
	return m
}

func scriptRuleTable() map[[2]string]string {
	m := map[[2]string]string{}
	ss := []string{scriptAzLatn, scriptAzCyrl, scriptRuCyrl, scriptLatn, "mixed"}
	for _, x := range ss {
		for _, y := range ss {
			if x < y {
				m[[2]string{x, y}] = "scripts: " + x + " ↔ " + y
			}
		}
	}
	return m
}

func scriptRule(a, b string) string {
	if a > b {
		a, b = b, a
	}
	if s, ok := scriptRules[[2]string{a, b}]; ok {
		return s
	}
	return "scripts: " + a + " ↔ " + b
}

// routeRules renders the rules that fired, deduplicated and sorted, adds
// the route (scripts sa, sb) to rules whose wording depends on it, and then
// extra, when not empty.
func routeRules(rules ruleSet, sa, sb, extra string) []string {
	n := rules.count()
	if n == 0 && extra == "" {
		return nil
	}
	out := make([]string, 0, n+2)
	eachRouteRule(rules, sa, sb, extra, func(r string) { out = append(out, r) })
	return out
}

// eachRouteRule calls f with each rule routeRules returns, in its order:
// the rules sorted with the scripts' rule among them, then extra.
func eachRouteRule(rules ruleSet, sa, sb, extra string, f func(string)) {
	script := ""
	if rules.count() > 0 && sa != sb && sa != "" && sb != "" {
		script = scriptRule(sa, sb)
	}
	for w, word := range rules {
		for word != 0 {
			k := bits.TrailingZeros64(word)
			word &= word - 1
			r := ruleNames[w*64+k]
			if script != "" && script < r {
				f(script)
				script = ""
			}
			f(r)
		}
	}
	if script != "" {
		f(script)
	}
	if extra != "" {
		f(extra)
	}
}

// joinedRules appends to dst the rules render gives, joined by "|",
// without building them as strings.
func (p *pscore) joinedRules(dst []byte) []byte {
	extra := p.extra
	if p.fa != p.fb {
		extra = formRule(p.fa, p.fb)
	}
	first := true
	eachRouteRule(p.rules, p.sa, p.sb, extra, func(r string) {
		if !first {
			dst = append(dst, '|')
		}
		first = false
		dst = append(dst, r...)
	})
	return dst
}

// rulesAfter reports whether x's rules, joined by "|", sort after y's:
// the tie-break between two readings of equal similarity.
func (sc *scratch) rulesAfter(x, y *pscore) bool {
	if x.rules == y.rules && x.sa == y.sa && x.sb == y.sb && x.extra == y.extra && x.fa == y.fa && x.fb == y.fb {
		return false // the same rules
	}
	sc.ra, sc.rb = x.joinedRules(sc.ra[:0]), y.joinedRules(sc.rb[:0])
	return bytes.Compare(sc.ra, sc.rb) > 0
}

func good(ps PartScore) bool {
	switch ps.Relation {
	case "equal", "variant", "typo", "family", "initial":
		return true
	}
	return false
}

// alignment is one way of pairing the parts of two names.
type alignment struct {
	sur, giv, pat pscore
	score         float64
	same          bool
	swapped       bool
	father        bool // one side's surname read as the other's father's name
}

func score(sur, giv, pat *pscore) (float64, bool) {
	var sum, wsum float64
	any := false
	ok := true
	for _, x := range [3]struct {
		p *PartScore
		w float64
	}{{&sur.ps, 0.425}, {&giv.ps, 0.425}, {&pat.ps, 0.15}} {
		if x.p.Missing {
			continue
		}
		any = true
		sum += x.p.Sim * x.w
		wsum += x.w
		if !good(*x.p) {
			ok = false
		}
	}
	if !any {
		return 0, false
	}
	return sum / wsum, ok
}

func compare(a, b *Name) Comparison {
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	best := align(sc, a, b)
	c := Comparison{Surname: best.sur.render(), Given: best.giv.render(), Patronymic: best.pat.render(), Score: best.score, Same: best.same, Swapped: best.swapped, FatherRead: best.father}
	if c.Swapped {
		c.Surname.Rules = append(c.Surname.Rules, "surname of one side read as the given name of the other")
	}
	if c.FatherRead {
		c.Patronymic.Rules = append(c.Patronymic.Rules, "second word of one side read as the father's name of the other (no surname printed)")
	}
	for _, p := range []*PartScore{&c.Surname, &c.Given, &c.Patronymic} {
		if p.Missing {
			p.Sim = 0
			p.Relation = "missing"
		}
	}
	if c.Patronymic.Missing && (a.PatronymicKey != "" || b.PatronymicKey != "") {
		c.Patronymic.Rules = append(c.Patronymic.Rules, "patronymic missing on one side")
	}
	if c.Surname.Missing && (a.SurnameKey != "" || b.SurnameKey != "") {
		c.Surname.Rules = append(c.Surname.Rules, "surname missing on one side")
	}
	if c.Given.Missing && (a.GivenKey != "" || b.GivenKey != "") {
		c.Given.Rules = append(c.Given.Rules, "given name missing on one side")
	}
	if k := len(c.Surname.Rules) + len(c.Given.Rules) + len(c.Patronymic.Rules); k > 0 {
		all := make([]string, 0, k)
		all = append(append(append(all, c.Surname.Rules...), c.Given.Rules...), c.Patronymic.Rules...)
		sort.Strings(all)
		c.Rules = slices.Compact(all)
	}
	return c
}

// CompareQuick is Compare without the rules: every field of the result
// but Rules (and the parts' Rules) is what Compare gives, and it does not
// allocate. The matcher scores millions of pairs with it and explains the
// few it shows with Compare.
func CompareQuick(a, b Name) Comparison {
	sc := scratchPool.Get().(*scratch)
	best := align(sc, &a, &b)
	scratchPool.Put(sc)
	return quick(best)
}

func quick(best alignment) Comparison {
	c := Comparison{Surname: best.sur.ps, Given: best.giv.ps, Patronymic: best.pat.ps, Score: best.score, Same: best.same, Swapped: best.swapped, FatherRead: best.father}
	for _, p := range []*PartScore{&c.Surname, &c.Given, &c.Patronymic} {
		if p.Missing {
			p.Sim = 0
			p.Relation = "missing"
		}
	}
	return c
}

// align scores the straight and the crosswise pairing of two names' parts
// and returns the better.
func align(sc *scratch, a, b *Name) alignment {
	pa, pb := a.parts(), b.parts()
	as, bs := pa.sur, pb.sur
	ag, bg := pa.giv, pb.giv
	pat := sc.plain(pa.pat, pb.pat)

	// Surname and given name are compared by the same function and weigh
	// the same, so that reading the printed order one way or the other
	// cannot change the score: the straight and the crosswise pairings
	// (surname of one side against the given name of the other) are both
	// scored and the better one is kept.
	ss, gg := sc.surname(as, bs), sc.surname(ag, bg)
	straight := alignment{sur: ss, giv: gg, pat: pat}
	straight.score, straight.same = score(&ss, &gg, &pat)
	best := straight
	var x1, x2 pscore
	if !(as.empty() && bs.empty()) && !(ag.empty() && bg.empty()) {
		x1, x2 = sc.surname(as, bg), sc.surname(ag, bs)
		if x2.ps.Sim > x1.ps.Sim || (x2.ps.Sim == x1.ps.Sim && sc.rulesAfter(&x2, &x1)) {
			x1, x2 = x2, x1
		}
		x := alignment{sur: x1, giv: x2, pat: pat, swapped: true}
		x.score, x.same = score(&x1, &x2, &pat)
		if better(x, best) {
			best = x
		}
	}
	// "Rashad Agaaddin" beside "Rashad Agaeddin oglu Ramazanov": a list
	// that prints the given and the father's name without the surname. A
	// second word with no surname form, on a side with no father's name,
	// may be the father's name the other side marks.
	if !best.same && pa.pat.empty() != pb.pat.empty() {
		a, b := pa, pb
		if !a.pat.empty() {
			a, b = pb, pa
		}
		if canReadFather(a, b) {
			if x := fatherReading(sc, a, b, gg); better(x, best) {
				best = x
			}
		}
	}
	return best
}

// canReadFather reports whether a's surname may be the father's name b
// prints: a has no father's name and a surname with no form, b has both.
func canReadFather(a, b *prepared) bool {
	return a.pat.empty() && !b.pat.empty() && !a.sur.empty() && !b.sur.empty() && a.sur.form == FormNone && !a.sur.initial
}

// fatherReading scores the reading where a's surname is the father's name
// that b prints (see canReadFather), the given names compared straight
// (gg).
func fatherReading(sc *scratch, a, b *prepared, gg pscore) alignment {
	pat := sc.plain(a.sur, b.pat)
	sur := pscore{ps: PartScore{Missing: true, Relation: "missing"}}
	x := alignment{sur: sur, giv: gg, pat: pat, father: true}
	x.score, x.same = score(&sur, &gg, &pat)
	return x
}

// better prefers a verdict of "same", then the higher score; ties keep the
// straight reading.
func better(x, best alignment) bool {
	if x.same != best.same {
		return x.same
	}
	return x.score > best.score+1e-12
}

// BlockingKeys returns a few short coarse keys such that two spellings of
// one person share at least one: surname-stem skeleton + the start of the
// given-name skeleton; given + patronymic skeletons (survives a change of
// surname form or a pen name); and, when the parser had to assume the
// order, the crosswise surname key.
func (n Name) BlockingKeys() []string {
	var keys []string
	head := func(s string, k int) string {
		s = strings.ReplaceAll(s, " ", "")
		if len(s) > k {
			return s[:k]
		}
		return s
	}
	if n.SurnameCoarse != "" && n.GivenCoarse != "" {
		keys = append(keys, "s:"+n.SurnameCoarse+"|"+head(n.GivenCoarse, 2))
	}
	if n.GivenCoarse != "" && n.PatronymicCoarse != "" {
		keys = append(keys, "g:"+strings.ReplaceAll(n.GivenCoarse, " ", "")+"|"+strings.ReplaceAll(n.PatronymicCoarse, " ", ""))
	}
	assumed := false
	for _, c := range n.Cues {
		if c == "order assumed: given name first" {
			assumed = true
		}
	}
	if assumed && n.SurnameCoarse != "" && n.GivenCoarse != "" {
		keys = append(keys, "s:"+strings.ReplaceAll(n.GivenCoarse, " ", "")+"|"+head(coarseOf(phonemesOf(n.SurnameRaw)), 2))
	}
	if len(keys) == 0 {
		switch {
		case n.SurnameCoarse != "":
			keys = append(keys, "s:"+n.SurnameCoarse)
		case n.GivenCoarse != "":
			keys = append(keys, "g:"+strings.ReplaceAll(n.GivenCoarse, " ", ""))
		}
	}
	sort.Strings(keys)
	out := keys[:0]
	for i, k := range keys {
		if i == 0 || k != keys[i-1] {
			out = append(out, k)
		}
	}
	return out
}

// transposed reports two neighbouring letters written in the other order.
func transposed(a, b []rune, i, j int) bool {
	return i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] && a[i-1] != a[i-2]
}
