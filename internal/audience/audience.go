// Package audience is the one filter every export and page passes
// through before it is written: it decides, from the privacy marks the
// store keeps, what an audience may see. Writers (the registry, the
// crosswalk, the tallies, the estimate, the report) never decide by
// themselves what is private; they write what the filter leaves them.
//
// # Audiences
//
//   - public: what may be published. No private person is named (their
//     records, names and changes are left out), but every count still
//     counts them, and the output says how many are withheld. Private
//     fields are left out, and so are the rows as imported, which can hold
//     any column of a list.
//   - coalition (the default): for the coalition's own work. Private
//     persons are named; private fields are left out, and so is the row as
//     imported of a source that has any private column.
//   - internal: everything. Whoever asks for it is warned.
//
// # Marks
//
// A person mark names a person ID; it follows the person through merges
// (a mark on an ID that was merged into another makes the survivor
// private) and splits (a person split from a private one is private too),
// until that person is unmarked by name. A column mark names a field
// (notes, birth, case …) or a header of the list ("Phone", "Lawyer") of
// one source, or of every source. Marks are a log of mark and unmark
// actions; the latest action on a target is its state.
//
// The package is pure: values in, values out.
package audience

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/roster-coalition/roster/internal/roster"
)

// Audience is who an export or page is for.
type Audience string

// The audiences, from the most to the least restricted.
const (
	Public    Audience = "public"
	Coalition Audience = "coalition"
	Internal  Audience = "internal"
)

// Default is the audience when none is asked for.
const Default = Coalition

// Audiences lists the audiences, most restricted first.
var Audiences = []Audience{Public, Coalition, Internal}

// Parse reads an audience's name; "" is the default.
func Parse(s string) (Audience, error) {
	if s == "" {
		return Default, nil
	}
	for _, a := range Audiences {
		if strings.EqualFold(s, string(a)) {
			return a, nil
		}
	}
	return "", roster.Errorf(roster.EINVALID, "audience %q: want public, coalition or internal", s)
}

// Roles of the people who ask for exports and pages (the web UI's
// accounts; the command line runs as whoever holds the database file).
const (
	RoleAdmin   = "admin"
	RoleAnalyst = "analyst"
	RoleViewer  = "viewer"
)

// Allow returns nil when role may ask for audience a: a viewer may see
// the public and coalition views, never internal; analysts and admins may
// see every view. An unknown role is treated as a viewer.
func Allow(role string, a Audience) error {
	switch role {
	case RoleAdmin, RoleAnalyst:
		return nil
	}
	if a == Internal {
		return roster.Errorf(roster.EFORBIDDEN, "a %s cannot ask for the internal audience: it holds private persons and fields", roleName(role))
	}
	return nil
}

func roleName(role string) string {
	if role == "" {
		return "viewer"
	}
	return role
}

// Actions of the mark log.
const (
	ActionMark   = "mark"
	ActionUnmark = "unmark"
)

// Mark is one action of the privacy log, as the store keeps it. A person
// mark has PersonID; a column mark has Column (and Source, "" for every
// source).
type Mark struct {
	ID       int64 // order of the actions
	At       string
	By       string // who marked or unmarked
	Action   string // mark | unmark
	PersonID string
	Source   string
	Column   string
	Reason   string
	AskedBy  string
}

// Lineage says where person IDs went: Redirect maps a merged ID to the
// ID it was merged into, SplitFrom a person to the persons it was split
// from (person_history).
type Lineage struct {
	Redirect  map[string]string
	SplitFrom map[string][]string
}

// current follows the redirects from id (bounded, in case of a cycle).
func (l Lineage) current(id string) string {
	for i := 0; i < 64; i++ {
		to, ok := l.Redirect[id]
		if !ok || to == "" {
			break
		}
		id = to
	}
	return id
}

// PrivatePerson is a person the marks make private, and why.
type PrivatePerson struct {
	ID string // the current (active) person ID
	// Mark is the action that makes the person private: on ID itself, on
	// an ID merged into it, or on a person it was split from.
	Mark Mark
	// Via says how the mark reaches ID: "" (marked by name), "merged"
	// (the mark is on Mark.PersonID, merged into ID) or "split" (ID was
	// split from a private person).
	Via string
}

// PrivateColumn is a column that is private now.
type PrivateColumn struct {
	Source string // "" for every source
	Column string // a field name (notes, birth…) or a header as written
	Field  roster.Field
	Mark   Mark
}

// Marks are the privacy marks in force.
type Marks struct {
	persons map[string]PrivatePerson
	columns []PrivateColumn
	// unmarked is the latest unmark action on a person ID, if its latest
	// action is an unmark.
	unmarked map[string]Mark
}

// Resolve works out from the log of actions and the persons' lineage
// which persons and columns are private now.
func Resolve(log []Mark, lin Lineage) Marks {
	log = slices.Clone(log)
	slices.SortStableFunc(log, func(a, b Mark) int { return cmp.Compare(a.ID, b.ID) })
	latestPerson := map[string]Mark{}
	latestColumn := map[[2]string]Mark{}
	for _, m := range log {
		switch {
		case m.PersonID != "":
			latestPerson[m.PersonID] = m
		case m.Column != "":
			latestColumn[[2]string{m.Source, ColumnKey(m.Column)}] = m
		}
	}
	ms := Marks{persons: map[string]PrivatePerson{}, unmarked: map[string]Mark{}}
	for id, m := range latestPerson {
		if m.Action == ActionUnmark {
			ms.unmarked[id] = m
		}
	}
	// overridden: the person's own unmark came after the mark.
	overridden := func(id string, m Mark) bool {
		u, ok := ms.unmarked[id]
		return ok && u.ID > m.ID
	}
	add := func(id string, pp PrivatePerson) bool {
		if overridden(id, pp.Mark) {
			return false
		}
		if old, ok := ms.persons[id]; ok && (old.Via == "" || old.Mark.ID >= pp.Mark.ID && pp.Via != "") {
			return false
		}
		ms.persons[id] = pp
		return true
	}
	ids := make([]string, 0, len(latestPerson))
	for id := range latestPerson {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		m := latestPerson[id]
		if m.Action != ActionMark {
			continue
		}
		cur := lin.current(id)
		via := ""
		if cur != id {
			via = "merged"
		}
		add(cur, PrivatePerson{ID: cur, Mark: m, Via: via})
	}
	// A person split from a private person is private: repeat until
	// nothing changes (a split of a split).
	split := make([]string, 0, len(lin.SplitFrom))
	for id := range lin.SplitFrom {
		split = append(split, id)
	}
	slices.Sort(split)
	for changed := true; changed; {
		changed = false
		for _, id := range split {
			cur := lin.current(id)
			for _, from := range lin.SplitFrom[id] {
				pp, ok := ms.persons[lin.current(from)]
				if !ok || lin.current(from) == cur {
					continue
				}
				if _, done := ms.persons[cur]; done {
					continue
				}
				if add(cur, PrivatePerson{ID: cur, Mark: pp.Mark, Via: "split"}) {
					changed = true
				}
			}
		}
	}
	keys := make([][2]string, 0, len(latestColumn))
	for k := range latestColumn {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [2]string) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	for _, k := range keys {
		m := latestColumn[k]
		if m.Action != ActionMark {
			continue
		}
		f, _ := FieldOf(m.Column)
		ms.columns = append(ms.columns, PrivateColumn{Source: m.Source, Column: m.Column, Field: f, Mark: m})
	}
	return ms
}

// Person returns why a person is private, if it is.
func (ms Marks) Person(id string) (PrivatePerson, bool) {
	pp, ok := ms.persons[id]
	return pp, ok
}

// Persons lists the private persons by ID.
func (ms Marks) Persons() []PrivatePerson {
	out := make([]PrivatePerson, 0, len(ms.persons))
	for _, pp := range ms.persons {
		out = append(out, pp)
	}
	slices.SortFunc(out, func(a, b PrivatePerson) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// Columns lists the private columns, by source ("" first) and column.
func (ms Marks) Columns() []PrivateColumn { return slices.Clone(ms.columns) }

// ColumnKey is how columns compare: case- and space-insensitively.
func ColumnKey(col string) string {
	return strings.ToLower(strings.Join(strings.Fields(col), " "))
}

// markable are the fields that can be private. The name and its parts
// and the reference cannot: a person who must not be named is marked
// private as a person.
var markable = map[roster.Field]bool{
	roster.FieldAlias: true, roster.FieldBirth: true, roster.FieldGender: true, roster.FieldGroup: true, roster.FieldCase: true,
	roster.FieldArrest: true, roster.FieldSentence: true, roster.FieldStatus: true, roster.FieldCharges: true,
	roster.FieldPlace: true, roster.FieldNotes: true,
}

// FieldOf returns the record field a column name stands for ("notes",
// "birth"), or "" for a header that maps to no field ("Phone").
func FieldOf(col string) (roster.Field, bool) {
	f := roster.Field(ColumnKey(col))
	if markable[f] {
		return f, true
	}
	return "", false
}

// CheckColumn refuses a column that cannot be private: empty, or the name,
// its parts or the reference.
func CheckColumn(col string) error {
	switch roster.Field(ColumnKey(col)) {
	case "":
		return roster.Errorf(roster.EINVALID, "no column given")
	case roster.FieldName, roster.FieldSurname, roster.FieldGiven, roster.FieldPatronymic:
		return roster.Errorf(roster.EINVALID, "column %q: a name cannot be a private field; mark the person private instead", col)
	case roster.FieldRef:
		return roster.Errorf(roster.EINVALID, "column %q: the list's reference cannot be private (the crosswalk is keyed on it)", col)
	}
	return nil
}

// String is a person's privacy in words, for listings.
func (pp PrivatePerson) String() string {
	switch pp.Via {
	case "merged":
		return fmt.Sprintf("marked as %s, merged into %s", pp.Mark.PersonID, pp.ID)
	case "split":
		return fmt.Sprintf("split from a private person (mark on %s)", pp.Mark.PersonID)
	}
	return "marked"
}
