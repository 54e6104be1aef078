package importer

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/roster-coalition/roster/internal/roster"
)

// Plausible birth years; a year outside is a warning (a typo like 2985).
const (
	minBirthYear = 1880
	maxBirthYear = 2030
)

// fromEntries turns raw entries into records the same way for every
// format: it trims values, builds the name (as written, or the split parts
// joined surname first), splits the alias columns' names, parses birth and arrest dates, maps the group and
// assigns references (the list's own, else the entry number; repeats are
// left for the caller, see Read's notes). An empty name is an *Error; a value that does not
// parse is a Warning and leaves its field empty (the raw row keeps it).
func fromEntries(file string, entries []roster.RawEntry, opts Options) ([]roster.Record, []Warning, error) {
	tax := opts.Taxonomy
	if tax == nil {
		tax = DefaultTaxonomy()
	}
	lim := opts.Limits.withDefaults()
	if len(entries) > lim.Rows {
		e := entries[lim.Rows]
		row := e.Line
		if row == 0 {
			row = e.Row
		}
		return nil, nil, &Error{File: file, Row: row, Msg: fmt.Sprintf("more than %s rows, over the limit (--limit rows=N raises it)", group3(lim.Rows))}
	}
	recs := make([]roster.Record, 0, len(entries))
	var warns []Warning
	groupKeys := map[string]string{} // labels repeat: map each once
	for _, e := range entries {
		row := e.Line
		if row == 0 {
			row = e.Row
		}
		col := func(f roster.Field) string {
			if h := e.Columns[f]; h != "" {
				return h
			}
			return string(f)
		}
		if err := checkEntry(file, row, e, col, lim); err != nil {
			return nil, nil, err
		}
		get := func(f roster.Field) string { return trimValue(e.Fields[f]) }
		warn := func(f roster.Field, format string, args ...any) {
			warns = append(warns, Warning{File: file, Row: row, Column: col(f), Msg: fmt.Sprintf(format, args...)})
		}

		r := roster.Record{
			Row:        e.Row,
			Location:   e.Location,
			Name:       squeeze(get(roster.FieldName)),
			Surname:    squeeze(get(roster.FieldSurname)),
			Given:      squeeze(get(roster.FieldGiven)),
			Patronymic: squeeze(get(roster.FieldPatronymic)),
			Case:       get(roster.FieldCase),
			Sentence:   get(roster.FieldSentence),
			Status:     get(roster.FieldStatus),
			Charges:    get(roster.FieldCharges),
			Place:      get(roster.FieldPlace),
			Notes:      get(roster.FieldNotes),
			Raw:        e.Raw,
		}
		if r.Name == "" {
			r.Name = joinNonEmpty(r.Surname, r.Given, r.Patronymic)
		}
		r.Aliases = splitAliasCell(get(roster.FieldAlias))
		if r.Name == "" || !strings.ContainsFunc(r.Name, isLetter) {
			f := roster.FieldName
			if _, ok := e.Columns[f]; !ok {
				for _, g := range []roster.Field{roster.FieldSurname, roster.FieldGiven} {
					if _, ok := e.Columns[g]; ok {
						f = g
						break
					}
				}
			}
			what := "empty name"
			if r.Name != "" {
				what = fmt.Sprintf("name %q has no letters", clip(r.Name))
			}
			return nil, nil, &Error{File: file, Row: row, Column: col(f), Msg: what + ": expected the person's name"}
		}

		// Reference: the list's own number/ID, else the row number.
		ref := strings.TrimRight(get(roster.FieldRef), ".)")
		ref = strings.TrimSpace(ref)
		if ref == "" {
			ref = strconv.Itoa(e.Row)
		}
		r.Ref = ref

		if v := get(roster.FieldBirth); v != "" {
			y, ok := ParseYear(v)
			switch {
			case !ok:
				warn(roster.FieldBirth, "%q is not a birth year or date (expected e.g. 1985 or 12.03.1985); left empty", v)
			case y < minBirthYear || y > maxBirthYear:
				warn(roster.FieldBirth, "birth year %d is not plausible; left empty", y)
			default:
				r.BirthYear = y
				if iso, ok := ParseDate(v); ok && len(iso) > 4 {
					r.BirthDate = iso
				}
			}
		}
		if v := get(roster.FieldArrest); v != "" {
			if iso, ok := ParseDate(v); ok {
				r.ArrestDate = iso
			} else {
				warn(roster.FieldArrest, "%q is not a date (expected e.g. 12.03.2024, 2024-03-12, 12 March 2024 or 2024); left empty", v)
			}
		}
		if v := get(roster.FieldGender); v != "" {
			if g, ok := parseGender(v); ok {
				r.Gender = g
			} else {
				warn(roster.FieldGender, "%q is not a gender (expected m/f, kişi/qadın, муж/жен, male/female); left empty", v)
			}
		}
		if v := squeeze(get(roster.FieldGroup)); v != "" {
			r.GroupRaw = v
			k, seen := groupKeys[v]
			if !seen {
				k, _ = tax.Map(v)
				groupKeys[v] = k
			}
			r.Group = k
		}
		recs = append(recs, r)
	}
	return recs, warns, nil
}

// splitAliasCell splits an alias cell into its names: one per ";" or line,
// each squeezed, repeats given once. The names stay as written (a name
// with a comma, "Surname, Given", is one name).
func splitAliasCell(v string) []string {
	var out []string
	for _, a := range strings.FieldsFunc(v, func(r rune) bool { return r == ';' || r == '\n' || r == '\r' }) {
		// "—" or "-" for none is no name.
		if a = strings.Trim(squeeze(a), " ,"); strings.ContainsFunc(a, isLetter) && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

func joinNonEmpty(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " ")
}

func isLetter(r rune) bool { return unicode.IsLetter(r) }

// parseGender reads m/f in the three languages.
func parseGender(v string) (string, bool) {
	switch fold(v) {
	case "m", "male", "man", "k", "kisi", "erkek", "м", "муж", "мужской", "мужчина", "mr":
		return "m", true
	case "f", "female", "woman", "q", "qadin", "ж", "жен", "женский", "женщина", "ms", "mrs":
		return "f", true
	}
	return "", false
}
