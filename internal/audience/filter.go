package audience

import (
	"slices"

	"github.com/roster-coalition/roster/internal/review"
	"github.com/roster-coalition/roster/internal/roster"
)

// Policy is what one audience may see, given the marks in force.
type Policy struct {
	Audience Audience
	Marks    Marks
}

// New returns the policy of audience a under the marks ms.
func New(a Audience, ms Marks) Policy { return Policy{Audience: a, Marks: ms} }

// Named reports whether the audience may see the person named: every
// audience but public sees every person. A record in no person ("") is
// named.
func (p Policy) Named(personID string) bool {
	if p.Audience != Public || personID == "" {
		return true
	}
	_, private := p.Marks.persons[personID]
	return !private
}

// Record returns r as the audience may see it: internal sees it whole;
// coalition and public see it without its private fields, and without the
// row as imported when the source has any private column (the row holds
// every column). Public never sees the row as imported.
func (p Policy) Record(r roster.Record) roster.Record {
	if p.Audience == Internal {
		return r
	}
	rawPrivate := p.Audience == Public
	for _, c := range p.Marks.columns {
		if c.Source != "" && c.Source != r.Source {
			continue
		}
		rawPrivate = true
		blankField(&r, c.Field)
	}
	if rawPrivate {
		r.Raw = ""
	}
	return r
}

// blankField empties a field of a record ("" does nothing: a header
// that maps to no field lives only in the row as imported).
func blankField(r *roster.Record, f roster.Field) {
	switch f {
	case roster.FieldAlias:
		r.Aliases = nil
	case roster.FieldBirth:
		r.BirthYear, r.BirthDate = 0, ""
	case roster.FieldGender:
		r.Gender = ""
	case roster.FieldGroup:
		r.Group, r.GroupRaw = "", ""
	case roster.FieldCase:
		r.Case = ""
	case roster.FieldArrest:
		r.ArrestDate = ""
	case roster.FieldSentence:
		r.Sentence = ""
	case roster.FieldStatus:
		r.Status = ""
	case roster.FieldCharges:
		r.Charges = ""
	case roster.FieldPlace:
		r.Place = ""
	case roster.FieldNotes:
		r.Notes = ""
	}
}

// Rows filters rows that carry a record and its person: it keeps the rows
// whose person the audience may see named, each with its record as the
// audience may see it (at rec, which the filter rewrites in its copy of
// the row), and returns the IDs of the persons it withheld, sorted.
func Rows[T any](p Policy, rows []T, rec func(row *T) (*roster.Record, string)) (kept []T, withheld []string) {
	kept = make([]T, 0, len(rows))
	seen := map[string]bool{}
	for _, row := range rows {
		r, pid := rec(&row)
		if !p.Named(pid) {
			if !seen[pid] {
				seen[pid] = true
				withheld = append(withheld, pid)
			}
			continue
		}
		*r = p.Record(*r)
		kept = append(kept, row)
	}
	slices.Sort(withheld)
	return kept, withheld
}

// WithheldByGroup counts, per tally row (group key, "unknown", "total"),
// the registry persons the audience counts but does not name: for the
// public audience the private persons, under the group the tallies give
// them; nil for the others. in is the tallies' input.
func (p Policy) WithheldByGroup(in review.Input) map[string]int {
	if p.Audience != Public || len(p.Marks.persons) == 0 {
		return nil
	}
	priv := in
	priv.Members = nil
	for _, m := range in.Members {
		if !p.Named(m.PersonID) {
			priv.Members = append(priv.Members, m)
		}
	}
	if len(priv.Members) == 0 {
		return nil
	}
	out := map[string]int{}
	for _, row := range review.Tallies(priv).Rows {
		if row.Registry > 0 {
			out[row.Group] = row.Registry
		}
	}
	return out
}

// Diff returns an edition diff as the audience may see it: the entries of
// persons it may not name are left out (and counted), the others' records
// lose their private fields.
func (p Policy) Diff(d review.Diff) (out review.Diff, withheldAdded, withheldRemoved int) {
	out = d
	out.Added, withheldAdded = p.diffEntries(d.Added)
	out.Removed, withheldRemoved = p.diffEntries(d.Removed)
	return out, withheldAdded, withheldRemoved
}

func (p Policy) diffEntries(es []review.DiffEntry) ([]review.DiffEntry, int) {
	out := make([]review.DiffEntry, 0, len(es))
	n := 0
	for _, e := range es {
		if !p.Named(e.PersonID) || !p.Named(e.Record.PersonID) {
			n++
			continue
		}
		e.Record = p.View(e.Record)
		out = append(out, e)
	}
	return out, n
}

// View is Record for a record as the review builders show it.
func (p Policy) View(v roster.RecordView) roster.RecordView {
	r := p.Record(roster.Record{Source: v.Source, Aliases: v.Aliases, BirthYear: v.BirthYear, BirthDate: v.BirthDate, Gender: v.Gender,
		Group: v.Group, GroupRaw: v.GroupRaw, Case: v.Case, ArrestDate: v.ArrestDate, Sentence: v.Sentence, Status: v.Status, Raw: v.Raw})
	v.Aliases, v.BirthYear, v.BirthDate, v.Gender = r.Aliases, r.BirthYear, r.BirthDate, r.Gender
	v.Group, v.GroupRaw, v.Case, v.ArrestDate, v.Sentence, v.Status, v.Raw = r.Group, r.GroupRaw, r.Case, r.ArrestDate, r.Sentence, r.Status, r.Raw
	return v
}

// HidesAnywhere reports whether the audience may not see field f of the
// records of some source.
func (p Policy) HidesAnywhere(f roster.Field) bool {
	if p.Audience == Internal || f == "" {
		return false
	}
	for _, c := range p.Marks.columns {
		if c.Field == f {
			return true
		}
	}
	return false
}

// Hiding reports whether the audience may not see something of some
// record: a private column is in force and the audience is not internal.
func (p Policy) Hiding() bool {
	return p.Audience != Internal && len(p.Marks.columns) > 0
}

// FieldOfName returns the record field a comparison or conflict names
// ("birth_year", "arrest_date", "case"…), "" for a name part or an
// unknown name.
func FieldOfName(name string) roster.Field {
	switch name {
	case "birth_year", "birth_date", "birth":
		return roster.FieldBirth
	case "arrest_date", "arrest":
		return roster.FieldArrest
	case "gender", "group", "case", "sentence", "status", "charges", "place", "notes", "alias":
		return roster.Field(name)
	case "group_raw":
		return roster.FieldGroup
	}
	return ""
}
