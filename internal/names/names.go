// Package names parses, transliterates and compares Azerbaijani personal names
// as they are printed in Azerbaijani Latin, Azerbaijani Cyrillic (1958–91),
// Russian Cyrillic and English romanisations made directly or through Russian.
//
// The package is pure: no I/O, no mutable globals, no logging.
package names

// Form is the form (suffix class) of a surname.
type Form string

// Surname forms.
const (
	FormOv   Form = "ov"   // -ov/-ova/-yev/-yeva/-ev/-eva (and Russian -ов/-ев)
	FormLi   Form = "li"   // -li/-lı/-lu/-lü/-ly
	FormZade Form = "zade" // -zadə/-zade/-zadeh/-заде
	FormOglu Form = "oglu" // surname ending -oğlu (İbadoğlu)
	FormQizi Form = "qizi" // surname ending -qızı (Vaqifqızı)
	FormNone Form = "none"
)

// Name is a parsed personal name.
type Name struct {
	Raw        string // the input as given
	Script     string // "az-latn", "az-cyrl", "ru-cyrl", "latn" (ASCII/English), "mixed", ""
	Surname    string // surname in Azerbaijani Latin (best reconstruction), "" when none found
	Given      string // given name(s) in Azerbaijani Latin
	Patronymic string // father's given name in Azerbaijani Latin, without oğlu/qızı/-ovich
	Form       Form   // surname form
	Gender     string // "m", "f" or "" (from -ova/-yeva, qızı/кызы/-овна, oğlu/оглы/-ович)
	// GivenInitial and PatronymicInitial say that the part is an initial
	// ("T." in "T. Yagublu", "M." in "Hazi Seymur M."): it agrees with
	// every name that starts with its letter.
	GivenInitial, PatronymicInitial bool
	Cues                            []string // parse cues that fired: "comma", "all-caps surname", "patronymic marker", "honorific dropped: xanım", ...
	// Keys. Fine keys for scoring; coarse keys (phonetic skeletons) for blocking.
	SurnameKey       string // fine key of the whole surname
	SurnameStem      string // fine key of the surname without its form suffix (Muradov, Muradli → "murad")
	GivenKey         string
	PatronymicKey    string
	SurnameCoarse    string // coarse key of the surname stem
	GivenCoarse      string
	PatronymicCoarse string

	// The parts as printed (honorifics and patronymic markers removed), so
	// that a comparison can tell which route (Russian, English, Azerbaijani)
	// each spelling took. Space-separated when a part has several words.
	SurnameRaw    string
	GivenRaw      string
	PatronymicRaw string

	// The parts as Compare reads them (phonemes, stems, forms), computed
	// once by Prepared; nil otherwise, and then Compare computes them on
	// each call. Shared by copies; never modified.
	prep *prepared
}

// PartScore is the comparison of one name part.
type PartScore struct {
	Sim      float64  // similarity in [0,1]
	Missing  bool     // the part is missing on at least one side (Sim is then 0 and should be ignored)
	Relation string   // "equal", "variant", "family" (same stem, different surname form), "initial", "typo", "different", "missing"
	Rules    []string // rules that fired, in analyst words
	// Edits counts the changes no spelling rule explains (a letter
	// changed, added or dropped, two letters swapped): 0 for a variant,
	// 1 for "one letter off". Len is the length of the longer part in
	// sounds, so that two edits in a long name read differently from two
	// in a short one.
	Edits int
	Len   int
}

// Comparison is the result of Compare.
type Comparison struct {
	Surname, Given, Patronymic PartScore
	Score                      float64  // overall similarity in [0,1]; symmetric; independent of token order in the inputs
	Same                       bool     // the engine's own verdict that these are spellings of the same name
	Swapped                    bool     // parts matched crosswise (surname of one side = given of the other)
	FatherRead                 bool     // one side's second word read as the other's father's name (no surname printed)
	Rules                      []string // all rules that fired, deduplicated, sorted
}

// Parse reads a name as printed, in any order and script.
func Parse(s string) Name {
	return parse(s)
}

// FromParts builds a Name from a list's separate surname/given/patronymic
// columns (any may be empty; patronymic may include oğlu/qızı/оглы/-ович).
func FromParts(surname, given, patronymic string) Name {
	return fromParts(surname, given, patronymic)
}

// Prepared returns n with the parts Compare reads (phonemes, stems,
// surname forms) computed once and kept, so that comparing n many times —
// as the matcher and the search do — costs far less. Compare gives the
// same result either way. Change no field of the result afterwards.
func (n Name) Prepared() Name {
	if n.prep == nil {
		n.prep = prepare(n)
	}
	return n
}

// Compare compares two names part by part. It is symmetric, its scores lie
// in [0,1], and it does not depend on the order the parts were printed in:
// when the parser could not tell surname from given name, the crosswise
// alignment is tried as well.
func Compare(a, b Name) Comparison { return compare(&a, &b) }
