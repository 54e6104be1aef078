package names

import (
	"sort"
	"strings"
)

// Costs of the edit operations between phoneme sequences. Alternations that
// the routes produce are cheap; anything else costs a full edit.
const (
	costGeneric      = 1.0
	costVowelGeneric = 0.8
	costVowelIndel   = 0.8
	costDouble       = 0.2
	costGlide        = 0.25
	costHDrop        = 0.5
	costSwap         = 0.7

	sameThreshold   = 0.84 // part similarity for "same name"
	familyThreshold = 0.88 // stem similarity for "same family" when forms differ
)

type sub struct {
	cost float64
	rule string
}

var subs = map[[2]rune]sub{}

func addSub(a, b rune, cost float64, rule string) {
	subs[[2]rune{a, b}] = sub{cost, rule}
	subs[[2]rune{b, a}] = sub{cost, rule}
}

func init() {
	addSub('a', 'ə', 0.15, "ə ↔ a (English/Russian route)")
	addSub('e', 'ə', 0.15, "ə ↔ e (Russian route or typed without Azerbaijani keyboard)")
	addSub('a', 'e', 0.3, "a ↔ e (ə written two ways)")
	addSub('i', 'ı', 0.1, "ı ↔ i")
	addSub('ı', 'u', 0.3, "ı ↔ u (Russian route)")
	addSub('i', 'ü', 0.35, "ü ↔ i")
	addSub('i', 'u', 0.4, "i ↔ u")
	addSub('ı', 'ü', 0.4, "ı ↔ ü")
	addSub('u', 'ü', 0.15, "ü ↔ u/yu")
	addSub('o', 'ö', 0.15, "ö ↔ o/yo")
	addSub('ö', 'e', 0.4, "ö ↔ e (Russian ё)")
	addSub('ö', 'ü', 0.5, "ö ↔ ü")
	addSub('o', 'e', 0.45, "o ↔ e (ö written o, and е/ё in Russian)")
	addSub('q', 'g', 0.15, "q ↔ g (English route)")
	addSub('g', 'ğ', 0.15, "ğ ↔ g/gh")
	addSub('q', 'ğ', 0.2, "ğ ↔ q")
	addSub('q', 'k', 0.3, "q ↔ k (Russian route)")
	addSub('g', 'k', 0.4, "g ↔ k")
	addSub('ğ', 'k', 0.4, "ğ ↔ k")
	addSub(gamma, 'q', 0.1, "Г ↔ q (Russian route)")
	addSub(gamma, 'g', 0.1, "Г ↔ g (Russian route)")
	addSub(gamma, 'ğ', 0.1, "Г ↔ ğ (Russian route)")
	addSub(gamma, 'h', 0.2, "Г ↔ h (Russian route)")
	addSub(gamma, 'k', 0.3, "Г ↔ k (Russian route)")
	addSub(gamma, 'x', 0.5, "Г ↔ x")
	addSub('g', 'h', 0.35, "g ↔ h (h went through Russian Г)")
	addSub('q', 'h', 0.4, "g ↔ h (h went through Russian Г)")
	addSub('ğ', 'h', 0.4, "ğ ↔ h")
	addSub('h', 'x', 0.2, "h ↔ x/kh (Russian route: х)")
	addSub('k', 'x', 0.5, "k ↔ kh")
	addSub('g', 'x', 0.5, "kh ↔ g (h written х and Г in Russian)")
	addSub('q', 'x', 0.6, "kh ↔ g (h written х and Г in Russian)")
	addSub('c', 'j', 0.2, "c ↔ j/zh")
	addSub('c', 'ç', 0.4, "c ↔ ç")
	addSub('s', 'ş', 0.3, "ş ↔ s (typed without Azerbaijani keyboard)")
	addSub('d', 't', 0.4, "d ↔ t (traditional Russian form, as in Мехтиев)")
	addSub('b', 'p', 0.6, "b ↔ p")
	addSub('v', 'f', 0.6, "v ↔ f")
	addSub('y', 'i', 0.3, "y ↔ i")
	addSub('y', 'ı', 0.3, "y ↔ i")
}

func subCost(a, b rune) (float64, string) {
	if a == b {
		return 0, ""
	}
	if s, ok := subs[[2]rune{a, b}]; ok {
		return s.cost, s.rule
	}
	if isVowel(a) && isVowel(b) {
		return costVowelGeneric, "vowel changed"
	}
	return costGeneric, "letter changed"
}

// indelCost is the cost of dropping p[i] from its sequence.
func indelCost(p []rune, i int) (float64, string) {
	r := p[i]
	if (i > 0 && p[i-1] == r) || (i+1 < len(p) && p[i+1] == r) {
		return costDouble, "doubled letter written single (mm ↔ m)"
	}
	switch {
	case r == 'y':
		return costGlide, "y dropped or added (-iyev/-iev, -ayı-/-ai-)"
	case isI(r) && ((i > 0 && p[i-1] == 'y') || (i+1 < len(p) && p[i+1] == 'y')):
		return costGlide, "ı dropped next to y (İsmayıl ↔ Ismail)"
	case (r == 'h' || r == gamma) && (i == 0 || (i+1 < len(p) && !isVowel(p[i+1]))):
		return costHDrop, "h dropped"
	case r == 'g' && i == 0:
		return 0.6, "initial h dropped (Hüseynov, Guseynov, Useynov)"
	case r == ' ':
		return 0.1, "words joined or split"
	case isVowel(r):
		return costVowelIndel, "vowel added or dropped"
	}
	return costGeneric, "letter added or dropped"
}

// distance is a class-aware edit distance with the rules that fired.
// Symmetric by construction: costs and tie-breaking do not depend on order.
func distance(a, b []rune) (float64, []string, bool) {
	if string(a) > string(b) {
		a, b = b, a
	}
	n, m := len(a), len(b)
	w := m + 1
	d := make([]float64, (n+1)*w)
	for i := 1; i <= n; i++ {
		c, _ := indelCost(a, i-1)
		d[i*w] = d[(i-1)*w] + c
	}
	for j := 1; j <= m; j++ {
		c, _ := indelCost(b, j-1)
		d[j] = d[j-1] + c
	}
	for i := 1; i <= n; i++ {
		for j := 1; j <= m; j++ {
			sc, _ := subCost(a[i-1], b[j-1])
			best := d[(i-1)*w+j-1] + sc
			ca, _ := indelCost(a, i-1)
			if v := d[(i-1)*w+j] + ca; v < best {
				best = v
			}
			cb, _ := indelCost(b, j-1)
			if v := d[i*w+j-1] + cb; v < best {
				best = v
			}
			if transposed(a, b, i, j) {
				if v := d[(i-2)*w+j-2] + costSwap; v < best {
					best = v
				}
			}
			d[i*w+j] = best
		}
	}
	// Trace back one optimal path to name the rules.
	var rules []string
	generic := false
	i, j := n, m
	const eps = 1e-9
	for i > 0 || j > 0 {
		if transposed(a, b, i, j) && abs(d[i*w+j]-(d[(i-2)*w+j-2]+costSwap)) < eps {
			rules = append(rules, "letters swapped (typo)")
			generic = true
			i, j = i-2, j-2
			continue
		}
		if i > 0 && j > 0 {
			sc, rule := subCost(a[i-1], b[j-1])
			if abs(d[i*w+j]-(d[(i-1)*w+j-1]+sc)) < eps {
				if sc > 0 {
					rules = append(rules, rule)
					generic = generic || sc >= costVowelGeneric
				}
				i, j = i-1, j-1
				continue
			}
		}
		if i > 0 {
			c, rule := indelCost(a, i-1)
			if abs(d[i*w+j]-(d[(i-1)*w+j]+c)) < eps {
				rules = append(rules, rule)
				generic = generic || c >= costVowelIndel
				i--
				continue
			}
		}
		c, rule := indelCost(b, j-1)
		rules = append(rules, rule)
		generic = generic || c >= costVowelIndel
		_ = c
		j--
	}
	return d[n*w+m], rules, generic
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
	ph     []rune
	stem   []rune
	form   Form
	gender string
	script string
	raw    string
}

func (p part) empty() bool { return len(p.ph) == 0 }

func partFromRaw(raw, key string, surname bool) part {
	var ph []rune
	script := ""
	if raw != "" {
		ph = phonemesOf(raw)
		ws, _, _ := splitName(raw)
		var ts []ptok
		for _, w := range ws {
			ts = append(ts, ptok{script: func() string { _, s, _ := repair(w); return s }()})
		}
		script = nameScript(ts)
	} else if key != "" {
		ph = phonemesOf(key)
		script = scriptLatn
	}
	p := part{ph: ph, script: script, raw: raw, form: FormNone}
	if surname && len(ph) > 0 {
		p.stem, p.form, p.gender = splitForm(ph)
	}
	return p
}

func patronymicPart(n Name) part {
	p := partFromRaw(n.PatronymicRaw, n.PatronymicKey, false)
	if cut, _ := ruPatronymic(p.ph); cut > 0 {
		p.ph = p.ph[:cut]
	}
	return p
}

// comparePlain compares a given name or patronymic.
func comparePlain(a, b part) PartScore {
	if a.empty() || b.empty() {
		return PartScore{Missing: true, Relation: "missing"}
	}
	cost, rules, generic := distance(a.ph, b.ph)
	sim := simOf(cost, a.ph, b.ph)
	ps := PartScore{Sim: sim, Rules: routeRules(rules, a, b)}
	ps.Relation = relation(cost, sim, generic, sameThreshold)
	return ps
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
func compareSurname(a, b part) PartScore {
	if a.empty() || b.empty() {
		return PartScore{Missing: true, Relation: "missing"}
	}
	cost, rules, generic := distance(a.stem, b.stem)
	sim := simOf(cost, a.stem, b.stem)
	ps := PartScore{Sim: sim, Rules: routeRules(rules, a, b)}
	switch {
	case a.form != b.form:
		ps.Sim = sim * 0.85
		ps.Rules = append(ps.Rules, formRule(a.form, b.form))
		if sim >= familyThreshold {
			ps.Relation = "family"
		} else {
			ps.Relation = "different"
		}
		return ps
	case a.gender != b.gender && a.gender != "" && b.gender != "":
		ps.Sim = sim * 0.95
		ps.Rules = append(ps.Rules, "-ov ↔ -ova: masculine and feminine form of one surname")
	}
	ps.Relation = relation(cost, sim, generic, sameThreshold)
	if ps.Relation == "equal" && (ps.Sim < 1 || string(a.ph) != string(b.ph)) {
		ps.Relation = "variant"
	}
	return ps
}

func formRule(a, b Form) string {
	x, y := formWords[a], formWords[b]
	if x > y {
		x, y = y, x
	}
	return x + " ↔ " + y + " surname form"
}

// routeRules adds the route to rules whose wording depends on it and drops
// duplicates.
func routeRules(rules []string, a, b part) []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range rules {
		if !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	if a.script != b.script && a.script != "" && b.script != "" && len(out) > 0 {
		s := []string{a.script, b.script}
		sort.Strings(s)
		out = append(out, "scripts: "+s[0]+" ↔ "+s[1])
	}
	sort.Strings(out)
	return out
}

func good(ps PartScore) bool {
	switch ps.Relation {
	case "equal", "variant", "typo", "family":
		return true
	}
	return false
}

// alignment is one way of pairing the parts of two names.
type alignment struct {
	sur, giv, pat PartScore
	score         float64
	same          bool
	swapped       bool
}

func score(sur, giv, pat PartScore) (float64, bool) {
	var sum, wsum float64
	any := false
	ok := true
	for _, x := range []struct {
		p PartScore
		w float64
	}{{sur, 0.425}, {giv, 0.425}, {pat, 0.15}} {
		if x.p.Missing {
			continue
		}
		any = true
		sum += x.p.Sim * x.w
		wsum += x.w
		if !good(x.p) {
			ok = false
		}
	}
	if !any {
		return 0, false
	}
	return sum / wsum, ok
}

func compare(a, b Name) Comparison {
	as, bs := partFromRaw(a.SurnameRaw, a.SurnameKey, true), partFromRaw(b.SurnameRaw, b.SurnameKey, true)
	ag, bg := partFromRaw(a.GivenRaw, a.GivenKey, true), partFromRaw(b.GivenRaw, b.GivenKey, true)
	ap, bp := patronymicPart(a), patronymicPart(b)
	pat := comparePlain(ap, bp)

	// Surname and given name are compared by the same function and weigh
	// the same, so that reading the printed order one way or the other
	// cannot change the score: the straight and the crosswise pairings
	// (surname of one side against the given name of the other) are both
	// scored and the better one is kept.
	straight := alignment{sur: compareSurname(as, bs), giv: compareSurname(ag, bg), pat: pat}
	straight.score, straight.same = score(straight.sur, straight.giv, pat)
	best := straight
	if !(as.empty() && bs.empty()) && !(ag.empty() && bg.empty()) {
		x1, x2 := compareSurname(as, bg), compareSurname(ag, bs)
		if x2.Sim > x1.Sim || (x2.Sim == x1.Sim && strings.Join(x2.Rules, "|") > strings.Join(x1.Rules, "|")) {
			x1, x2 = x2, x1
		}
		x := alignment{sur: x1, giv: x2, pat: pat, swapped: true}
		x.score, x.same = score(x1, x2, pat)
		if better(x, best) {
			best = x
		}
	}
	c := Comparison{Surname: best.sur, Given: best.giv, Patronymic: best.pat, Score: best.score, Same: best.same, Swapped: best.swapped}
	if c.Swapped {
		c.Surname.Rules = append(c.Surname.Rules, "surname of one side read as the given name of the other")
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
	seen := map[string]bool{}
	for _, p := range []PartScore{c.Surname, c.Given, c.Patronymic} {
		for _, r := range p.Rules {
			if !seen[r] {
				seen[r] = true
				c.Rules = append(c.Rules, r)
			}
		}
	}
	sort.Strings(c.Rules)
	return c
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
