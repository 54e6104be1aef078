// Package roster holds Roster's domain vocabulary: sources and their lists
// (editions), records as read from a list, persons, links, analyst
// decisions, review items and the registry's groups. It has no behaviour
// beyond small helpers and imports only the standard library.
//
// # Model
//
// A Source is an organisation that publishes a list (slug "ipd", "cmpp").
// A List is one edition of a source's list (the file imported on a date).
// A Record is one row/entry of a list, kept with the raw text it was read
// from. The matcher groups records into Persons with stable IDs
// ("P-000123"). Analyst Decisions on pairs of records are hard constraints
// for the next match.
package roster

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Group keys: the 12 groups the coalition counts, in the order the
// coalition's lists print them.
const (
	GroupReligious       = "religious"
	GroupOpposition      = "opposition"
	GroupJournalist      = "journalist"
	GroupRightsDefender  = "rights-defender"
	GroupEthnicMinority  = "ethnic-minority"
	GroupAntiWar         = "anti-war"
	GroupDeportedRefugee = "deported-refugee"
	GroupLifeSentence    = "life-sentence"
	GroupSoyudlu         = "soyudlu-case"
	GroupImishli         = "imishli-protest"
	GroupTartar          = "tartar-case"
	GroupGanja           = "ganja-case"
)

// Groups lists the group keys in display order.
var Groups = []string{
	GroupReligious, GroupOpposition, GroupJournalist, GroupRightsDefender,
	GroupEthnicMinority, GroupAntiWar, GroupDeportedRefugee, GroupLifeSentence,
	GroupSoyudlu, GroupImishli, GroupTartar, GroupGanja,
}

// IsGroup reports whether key is one of the registry's group keys.
func IsGroup(key string) bool {
	for _, g := range Groups {
		if g == key {
			return true
		}
	}
	return false
}

// Source is an organisation that publishes a list.
type Source struct {
	Slug  string
	Title string
}

// List is one edition of a source's list, as imported from one file.
type List struct {
	ID         int64
	Source     string
	Edition    string // YYYY-MM-DD; the import date when the file gives none
	Title      string
	File       string // base name of the file as given
	SHA256     string // hex digest of the file's bytes
	Format     string
	ImportedAt time.Time
	Records    int
}

// Field names a canonical field of a record. Readers map a file's columns
// or labelled lines to these.
type Field string

// The canonical fields.
const (
	FieldRef        Field = "ref"        // the list's own number or ID
	FieldName       Field = "name"       // full name as written
	FieldSurname    Field = "surname"    // when the list splits the name
	FieldGiven      Field = "given"      // given name(s)
	FieldPatronymic Field = "patronymic" // father's name (with or without oğlu/qızı)
	FieldAlias      Field = "alias"      // the person's other names: pen name, former or maiden name, nickname ("; " between names)
	FieldBirth      Field = "birth"      // birth year or date
	FieldGender     Field = "gender"
	FieldGroup      Field = "group"  // group / category label
	FieldCase       Field = "case"   // case or sub-case
	FieldArrest     Field = "arrest" // arrest / detention date
	FieldSentence   Field = "sentence"
	FieldStatus     Field = "status"
	FieldCharges    Field = "charges" // criminal-code articles
	FieldPlace      Field = "place"   // place of detention
	FieldNotes      Field = "notes"
)

// Fields lists the canonical fields in a stable order.
var Fields = []Field{
	FieldRef, FieldName, FieldSurname, FieldGiven, FieldPatronymic, FieldAlias, FieldBirth,
	FieldGender, FieldGroup, FieldCase, FieldArrest, FieldSentence, FieldStatus,
	FieldCharges, FieldPlace, FieldNotes,
}

// RawEntry is what a format reader produces: one row or entry of a file,
// with raw (unparsed) field values. The importer turns entries into Records
// (parsing dates and years, mapping groups) the same way for every format.
type RawEntry struct {
	Row      int              // 1-based ordinal of the entry in the file (data row, or entry number in a document)
	Line     int              // 1-based physical line/paragraph where the entry starts, 0 if not known
	Location string           // human form of where it came from: "row 17", "paragraph 42", "page 3"
	Raw      string           // the row or entry text exactly as read
	Fields   map[Field]string // raw values by canonical field; a missing key means absent
	Columns  map[Field]string // for tabular files: the header each field came from (for error messages)
}

// Record is one entry of one list, as stored.
type Record struct {
	ID         int64
	ListID     int64
	Source     string
	Edition    string
	Ref        string // the list's own reference (number or ID), else the row number
	Row        int
	Location   string
	Name       string // full name as written (or the split parts joined, surname first)
	Surname    string // as written, where the list splits the name
	Given      string
	Patronymic string
	// Aliases are the record's other names from the list's alias columns
	// (pen name, former name, "also known as"…), one entry per name, as
	// written. Other names written inside the name cell stay in Name;
	// names.SplitAliases reads them where names are read.
	Aliases    []string
	BirthYear  int    // 0 when unknown
	BirthDate  string // ISO date or partial (YYYY-MM), "" when unknown
	Gender     string // "m", "f" or ""
	Group      string // group key, "" when unknown
	GroupRaw   string // the label as written
	Case       string
	ArrestDate string // ISO date or partial (YYYY-MM, YYYY), "" when unknown
	Sentence   string
	Status     string
	Charges    string
	Place      string
	Notes      string
	Raw        string // the raw row or entry as read
}

// Ref returns the reference of a record in the CLI's notation:
// "source:ref", or "source@edition:ref" when withEdition is true.
func FormatRef(source, edition, ref string, withEdition bool) string {
	if withEdition && edition != "" {
		return source + "@" + edition + ":" + ref
	}
	return source + ":" + ref
}

// RecordRef is a parsed record reference.
type RecordRef struct {
	Source  string
	Edition string // "" means the latest edition
	Ref     string
}

// ParseRef parses "source:ref" or "source@edition:ref".
func ParseRef(s string) (RecordRef, error) {
	i := strings.IndexByte(s, ':')
	if i <= 0 || i == len(s)-1 {
		return RecordRef{}, Errorf(EINVALID, "record reference %q: want source:ref or source@edition:ref", s)
	}
	src, ref := s[:i], s[i+1:]
	var ed string
	if j := strings.IndexByte(src, '@'); j >= 0 {
		src, ed = src[:j], src[j+1:]
		if src == "" || ed == "" {
			return RecordRef{}, Errorf(EINVALID, "record reference %q: want source@edition:ref", s)
		}
	}
	return RecordRef{Source: src, Edition: ed, Ref: ref}, nil
}

func (r RecordRef) String() string { return FormatRef(r.Source, r.Edition, r.Ref, r.Edition != "") }

// Link kinds, as shown in the crosswalk.
const (
	LinkAuto    = "auto"    // linked by the matcher above the link threshold
	LinkAnalyst = "analyst" // linked by an analyst's "same" decision
	LinkSingle  = "single"  // the only record of its person
)

// Decision verdicts. Which ones an item accepts depends on its kind (see
// Verdicts).
const (
	VerdictSame      = "same"
	VerdictDifferent = "different"
	VerdictUnsure    = "unsure" // keeps the item open for a second look
	VerdictDismiss   = "dismiss"
	// VerdictConfirm says the doubt is real: the omission, the gap, the
	// disagreement or the change stands.
	VerdictConfirm = "confirm"
	// VerdictNotOmission says a person is not missing from the list (it
	// lists them under another name, or should not list them).
	VerdictNotOmission = "not-omission"
	// VerdictOutOfScope says the list does not mean to cover the person
	// (or the group).
	VerdictOutOfScope = "out-of-scope"
	// VerdictComprehensive confirms that a source with no declared scope
	// means to list everyone.
	VerdictComprehensive = "comprehensive"
	// VerdictMap maps an unknown group label to a group: "map:journalist".
	VerdictMap = "map"
)

// Verdicts returns the verdicts an item of a kind accepts, in the order
// the UI offers them; pair says whether the item is about exactly two
// records (a conflict between two records can be split with different).
// An adjudication accepts the verdicts of the kind it adjudicates (its
// own kind is not known here: see the store). Map is offered as "map",
// to be completed with a group key.
func Verdicts(kind string, pair bool) []string {
	switch kind {
	case KindMatch, KindDuplicate:
		return []string{VerdictSame, VerdictDifferent, VerdictUnsure, VerdictDismiss}
	case KindConflict:
		if pair {
			return []string{VerdictConfirm, VerdictDifferent, VerdictUnsure, VerdictDismiss}
		}
		return []string{VerdictConfirm, VerdictUnsure, VerdictDismiss}
	case KindOmission:
		return []string{VerdictConfirm, VerdictNotOmission, VerdictOutOfScope, VerdictUnsure}
	case KindGroupGap:
		return []string{VerdictConfirm, VerdictOutOfScope, VerdictUnsure, VerdictDismiss}
	case KindUnknownGroup:
		return []string{VerdictMap, VerdictUnsure, VerdictDismiss}
	case KindChange:
		return []string{VerdictConfirm, VerdictUnsure, VerdictDismiss}
	case KindScope:
		return []string{VerdictComprehensive, VerdictUnsure, VerdictDismiss}
	}
	return []string{VerdictUnsure, VerdictDismiss}
}

// VerdictAllowed reports whether an item of a kind accepts verdict v
// ("map:GROUP" for a map to a known group).
func VerdictAllowed(kind string, pair bool, v string) bool {
	base, grp, isMap := strings.Cut(v, ":")
	if isMap && (base != VerdictMap || !IsGroup(grp)) {
		return false
	}
	if base == VerdictMap && !isMap {
		return false
	}
	for _, x := range Verdicts(kind, pair) {
		if x == base {
			return true
		}
	}
	return false
}

// MaxReason is the longest reason a decision may give, in characters.
const MaxReason = 4000

// Review item kinds.
const (
	KindMatch        = "match"
	KindDuplicate    = "duplicate"
	KindConflict     = "conflict"
	KindOmission     = "omission"
	KindGroupGap     = "group-gap"
	KindUnknownGroup = "unknown-group"
	KindChange       = "change"
	// KindScope asks whether a source with no declared scope means to
	// list everyone: until it is confirmed (or given a scope), no
	// omission or group gap is raised against it.
	KindScope = "scope"
	// KindAdjudication settles two blind decisions that disagree.
	KindAdjudication = "adjudication"
)

// Kinds lists the review item kinds in display order.
var Kinds = []string{KindAdjudication, KindMatch, KindDuplicate, KindConflict, KindOmission, KindGroupGap, KindUnknownGroup,
	KindChange, KindScope}

// Error codes, turned into exit codes or HTTP statuses at the edges.
const (
	EINVALID  = "invalid" // bad input from the user or a file
	ENOTFOUND = "not_found"
	ECONFLICT = "conflict" // already exists, already decided
	// EFORBIDDEN: the user's role does not allow it (a viewer deciding an
	// item, or asking for the internal audience).
	EFORBIDDEN = "forbidden"
	EINTERNAL  = "internal"
)

// Error is a domain error with a code and a message meant for the user.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the given code.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// Side is one record of a decided pair, kept by reference and by content
// fingerprint so that the decision still finds the record after a re-import
// (new row IDs) or in a later edition of the source (new reference, same
// person).
type Side struct {
	Source      string
	Edition     string
	Ref         string
	Fingerprint string
}

// Decision is an analyst's verdict on a pair of records (or on a review
// item, where A/B may be empty).
type Decision struct {
	ID      int64
	A, B    Side
	ItemID  int64 // the review item it settled, 0 if decided directly
	Verdict string
	Reason  string
	By      string
	At      time.Time
	Undone  bool
}

// Membership is one record's place in the current clustering.
type Membership struct {
	PersonID    string
	Source      string
	Edition     string
	Ref         string
	Fingerprint string
	RecordID    int64
	Link        string  // auto | analyst | single
	Score       float64 // the probability of the link that brought it in (1 for analyst, 0 for single)
	Explanation string  // JSON or text: why this record is linked
}

// Person is a cluster of records with a stable ID.
type Person struct {
	ID         string // "P-000123"
	Status     string // active | merged | retired
	RedirectTo string
	Members    []Membership
}

// ReviewItem is one doubt in the review queue.
type ReviewItem struct {
	ID         int64
	Key        string   // content key: kind + what it is about; stable across rebuilds
	Kind       string   // KindMatch, ...
	State      string   // open | decided | stale
	Source     string   // the source it concerns, if any
	Group      string   // the group key it concerns, if any
	PersonID   string   // the person it concerns, if any
	Records    []string // "source@edition:ref" of the records involved
	Title      string   // one line for the queue
	Payload    string   // JSON with what an analyst needs to decide
	Impact     float64  // higher first in the queue
	DecisionID int64
	Version    int64
	// SecondLook says someone answered unsure: the item stays open for a
	// second look, by AssignedTo when it names an analyst.
	SecondLook bool
	AssignedTo string
	// Round is the blind double review's round of votes; Held says the
	// round's votes disagree and an adjudication item settles them.
	Round int64
	Held  bool
}

// RecordView is a record as a review item shows it. The review builders
// store it lean (the name and the facts the item is about); the store adds
// Source, Edition, RecordRef, Fingerprint, Aliases, Location and Raw back
// when it shows an item.
type RecordView struct {
	Ref         string   `json:"ref"` // source@edition:ref
	Source      string   `json:"source"`
	Edition     string   `json:"edition"`
	RecordRef   string   `json:"record_ref"`
	PersonID    string   `json:"person_id,omitempty"`
	Fingerprint string   `json:"fingerprint"`
	Name        string   `json:"name"`
	Aliases     []string `json:"aliases,omitempty"` // the record's alias columns (Record.Aliases)
	BirthYear   int      `json:"birth_year,omitempty"`
	BirthDate   string   `json:"birth_date,omitempty"`
	Gender      string   `json:"gender,omitempty"`
	Group       string   `json:"group,omitempty"`
	GroupRaw    string   `json:"group_raw,omitempty"`
	Case        string   `json:"case,omitempty"`
	ArrestDate  string   `json:"arrest_date,omitempty"`
	Sentence    string   `json:"sentence,omitempty"`
	Status      string   `json:"status,omitempty"`
	Location    string   `json:"location,omitempty"`
	Raw         string   `json:"raw,omitempty"`
}

// MergeAliases returns the union of lists of other names: each name with
// its white space squeezed, names that differ only in letter case given
// once (the first in sorted order), sorted; nil when there are none.
func MergeAliases(lists ...[]string) []string {
	var all []string
	for _, l := range lists {
		for _, a := range l {
			if a = strings.Join(strings.Fields(a), " "); a != "" {
				all = append(all, a)
			}
		}
	}
	if len(all) == 0 {
		return nil
	}
	sort.Strings(all)
	out := all[:0]
	seen := make(map[string]bool, len(all))
	for _, a := range all {
		k := strings.ToLower(a)
		if !seen[k] {
			seen[k] = true
			out = append(out, a)
		}
	}
	return out
}
