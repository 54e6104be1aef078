package names

import (
	"math/bits"
	"sort"
)

// The edit costs of comparing names: which letters the routes between
// scripts turn into one another, what a dropped or added letter costs, and
// the tables that make the lookups fast.

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

// subRule is a substitution between two phonemes, the same both ways.
type subRule struct {
	a, b rune
	cost float64
	rule string
}

// subRules are the substitutions that cost less than a full edit.
var subRules = []subRule{
	{'a', 'ə', 0.15, "ə ↔ a (English/Russian route)"},
	{'e', 'ə', 0.15, "ə ↔ e (Russian route or typed without Azerbaijani keyboard)"},
	{'a', 'e', 0.3, "a ↔ e (ə written two ways)"},
	{'i', 'ı', 0.1, "ı ↔ i"},
	{'ı', 'u', 0.3, "ı ↔ u (Russian route)"},
	{'i', 'ü', 0.35, "ü ↔ i"},
	{'i', 'u', 0.4, "i ↔ u"},
	{'ı', 'ü', 0.4, "ı ↔ ü"},
	{'u', 'ü', 0.15, "ü ↔ u/yu"},
	{'o', 'ö', 0.15, "ö ↔ o/yo"},
	{'ö', 'e', 0.4, "ö ↔ e (Russian ё)"},
	{'ö', 'ü', 0.5, "ö ↔ ü"},
	{'o', 'e', 0.45, "o ↔ e (ö written o, and е/ё in Russian)"},
	{'q', 'g', 0.15, "q ↔ g (English route)"},
	{'g', 'ğ', 0.15, "ğ ↔ g/gh"},
	{'q', 'ğ', 0.2, "ğ ↔ q"},
	{'q', 'k', 0.3, "q ↔ k (Russian route)"},
	{'g', 'k', 0.4, "g ↔ k"},
	{'ğ', 'k', 0.4, "ğ ↔ k"},
	{gamma, 'q', 0.1, "Г ↔ q (Russian route)"},
	{gamma, 'g', 0.1, "Г ↔ g (Russian route)"},
	{gamma, 'ğ', 0.1, "Г ↔ ğ (Russian route)"},
	{gamma, 'h', 0.2, "Г ↔ h (Russian route)"},
	{gamma, 'k', 0.3, "Г ↔ k (Russian route)"},
	{gamma, 'x', 0.5, "Г ↔ x"},
	{'g', 'h', 0.35, "g ↔ h (h went through Russian Г)"},
	{'q', 'h', 0.4, "g ↔ h (h went through Russian Г)"},
	{'ğ', 'h', 0.4, "ğ ↔ h"},
	{'h', 'x', 0.2, "h ↔ x/kh (Russian route: х)"},
	{'k', 'x', 0.5, "k ↔ kh"},
	{'g', 'x', 0.5, "kh ↔ g (h written х and Г in Russian)"},
	{'q', 'x', 0.6, "kh ↔ g (h written х and Г in Russian)"},
	{'c', 'j', 0.2, "c ↔ j/zh"},
	{'c', 'ç', 0.4, "c ↔ ç"},
	{'s', 'ş', 0.3, "ş ↔ s (typed without Azerbaijani keyboard)"},
	{'d', 't', 0.4, "d ↔ t (traditional Russian form, as in Мехтиев)"},
	{'b', 'p', 0.6, "b ↔ p"},
	{'v', 'f', 0.6, "v ↔ f"},
	{'y', 'i', 0.3, "y ↔ i"},
	{'y', 'ı', 0.3, "y ↔ i"},
}

// subs is subRules by pair of phonemes, both ways round.
var subs = subsByPair(subRules)

func subsByPair(rules []subRule) map[[2]rune]sub {
	m := make(map[[2]rune]sub, 2*len(rules))
	for _, r := range rules {
		m[[2]rune{r.a, r.b}] = sub{r.cost, r.rule}
		m[[2]rune{r.b, r.a}] = sub{r.cost, r.rule}
	}
	return m
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

// Indel rules, by kind.
const (
	indelDouble = iota
	indelGlide
	indelIY
	indelH
	indelInitialG
	indelSpace
	indelVowel
	indelLetter
	nIndel
)

var indelRules = [nIndel]string{
	indelDouble:   "doubled letter written single (mm ↔ m)",
	indelGlide:    "y dropped or added (-iyev/-iev, -ayı-/-ai-)",
	indelIY:       "ı dropped next to y (İsmayıl ↔ Ismail)",
	indelH:        "h dropped",
	indelInitialG: "initial h dropped (Hüseynov, Guseynov, Useynov)",
	indelSpace:    "words joined or split",
	indelVowel:    "vowel added or dropped",
	indelLetter:   "letter added or dropped",
}

// indelKind is the cost of dropping p[i] from its sequence, and its kind.
func indelKind(p []rune, i int) (float64, int) {
	r := p[i]
	if (i > 0 && p[i-1] == r) || (i+1 < len(p) && p[i+1] == r) {
		return costDouble, indelDouble
	}
	switch {
	case r == 'y':
		return costGlide, indelGlide
	case isI(r) && ((i > 0 && p[i-1] == 'y') || (i+1 < len(p) && p[i+1] == 'y')):
		return costGlide, indelIY
	case (r == 'h' || r == gamma) && (i == 0 || (i+1 < len(p) && !isVowel(p[i+1]))):
		return costHDrop, indelH
	case r == 'g' && i == 0:
		return 0.6, indelInitialG
	case r == ' ':
		return 0.1, indelSpace
	case isVowel(r):
		return costVowelIndel, indelVowel
	}
	return costGeneric, indelLetter
}

// Fast tables for distance. Every rule string distance can name gets a
// small ID, assigned in sorted string order, so that a set of IDs read in
// order gives the rules deduplicated and sorted. Phonemes that take part in
// a listed substitution, and the vowels, get small IDs too (0 = any other
// letter), and subTab holds the substitution cost and rule of each pair.
const (
	maxPhonID   = 64
	swapRule    = "letters swapped (typo)"
	initialRule = "an initial agrees with the name it starts"
)

type subEntry struct {
	cost float64
	rule uint8
}

// The tables, built from subRules and indelRules.
var (
	ruleNames     = sortedRules()        // by rule ID, sorted
	ruleIDs       = idsOf(ruleNames)     // inverse of ruleNames
	swapID        = ruleIDs[swapRule]    // rule ID of a swap
	initialRuleID = ruleIDs[initialRule] // rule ID of an agreeing initial
	indelRuleIDs  = indelIDs(ruleIDs)    // rule ID of each indel kind
	phonIDs       = phonemeIDs()         // phoneme ID of runes below 0x400; 0 = other
	subTab        = subTable(phonIDs)    // cost and rule ID of each pair of phoneme IDs
)

// ruleSet is a set of rule IDs.
type ruleSet [4]uint64

func (s *ruleSet) add(id uint8) { s[id>>6] |= 1 << (id & 63) }
func (s *ruleSet) count() int {
	return bits.OnesCount64(s[0]) + bits.OnesCount64(s[1]) + bits.OnesCount64(s[2]) + bits.OnesCount64(s[3])
}

func phonID(r rune) uint8 {
	if r >= 0 && r < rune(len(phonIDs)) {
		return phonIDs[r]
	}
	return 0
}

// sortedRules returns every rule string distance can name, sorted.
func sortedRules() []string {
	set := map[string]bool{swapRule: true, initialRule: true, "vowel changed": true, "letter changed": true}
	for _, s := range subRules {
		set[s.rule] = true
	}
	for _, r := range indelRules {
		set[r] = true
	}
	var names []string
	for r := range set {
		names = append(names, r)
	}
	sort.Strings(names)
	if len(names) > 255 {
		panic("names: too many rules")
	}
	return names
}

func idsOf(names []string) map[string]uint8 {
	ids := make(map[string]uint8, len(names))
	for i, r := range names {
		ids[r] = uint8(i)
	}
	return ids
}

func indelIDs(ids map[string]uint8) [nIndel]uint8 {
	var out [nIndel]uint8
	for k, r := range indelRules {
		out[k] = ids[r]
	}
	return out
}

// phonemeIDs numbers the vowels and the phonemes of subRules from 1.
func phonemeIDs() (ids [0x400]uint8) {
	n := 0
	add := func(r rune) {
		if r >= 0 && r < rune(len(ids)) && ids[r] == 0 {
			n++
			if n+1 > maxPhonID {
				panic("names: too many phonemes")
			}
			ids[r] = uint8(n)
		}
	}
	for _, r := range "aeəiıoöuü" {
		add(r)
	}
	for _, s := range subRules {
		add(s.a)
		add(s.b)
	}
	return ids
}

// subTable is subCost for every pair of phoneme IDs (ID 0: a letter
// outside the table).
func subTable(ids [0x400]uint8) (tab [maxPhonID * maxPhonID]subEntry) {
	n := 0
	for _, id := range ids {
		n = max(n, int(id))
	}
	all := make([]rune, n+1) // the phoneme of each ID; -1 for ID 0
	all[0] = -1
	for r, id := range ids {
		if id != 0 {
			all[id] = rune(r)
		}
	}
	for i, x := range all {
		for j, y := range all {
			var c float64
			var rule string
			switch {
			case x == -1 || y == -1:
				c, rule = costGeneric, "letter changed"
			default:
				c, rule = subCost(x, y)
			}
			tab[i*maxPhonID+j] = subEntry{c, ruleIDs[rule]}
		}
	}
	return tab
}

// subFast is subCost through the tables; ia, ib are phonID(a), phonID(b).
func subFast(a, b rune, ia, ib uint8) (float64, uint8) {
	if a == b {
		return 0, 0
	}
	e := subTab[int(ia)*maxPhonID+int(ib)]
	return e.cost, e.rule
}
