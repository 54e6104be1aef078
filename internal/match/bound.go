package match

import (
	"strings"
	"unicode/utf8"

	"github.com/roster-coalition/roster/internal/roster"
)

// What the matcher reads of a record is bounded. Real names are short
// (the longest of the 404 real mentions in the shared dev data has 39
// letters), but an import accepts a name cell of up to 4 KB, and the cost
// of comparing two names grows with the product of their lengths (the
// parser puts every middle word into the given name), so a few thousand
// such names would make match run for hours. The matcher therefore reads
// at most MaxNameRunes of a name cell, MaxPartRunes of a surname, given
// name or patronymic column and MaxCaseRunes of a case name, cut at a
// word boundary; the record itself keeps the whole value. Every path
// that parses a record's name for matching (New, ParseForms and so
// Fingerprint) applies the same bound, so fingerprints agree.
const (
	MaxNameRunes = 64
	MaxPartRunes = 32
	MaxCaseRunes = 128
)

// Bound returns r with the fields the matcher compares cut to their
// bounds (r itself when nothing is over).
func Bound(r roster.Record) roster.Record {
	if !overBound(r) {
		return r
	}
	r.Name = clipRunes(r.Name, MaxNameRunes)
	r.Surname = clipRunes(r.Surname, MaxPartRunes)
	r.Given = clipRunes(r.Given, MaxPartRunes)
	r.Patronymic = clipRunes(r.Patronymic, MaxPartRunes)
	r.Case = clipRunes(r.Case, MaxCaseRunes)
	return r
}

func overBound(r roster.Record) bool {
	return len(r.Name) > MaxNameRunes || len(r.Surname) > MaxPartRunes || len(r.Given) > MaxPartRunes ||
		len(r.Patronymic) > MaxPartRunes || len(r.Case) > MaxCaseRunes
}

// bounded is records with every record bounded; it copies the slice only
// when a field is cut. (overBound counts bytes, so a Cyrillic case name of
// 70 letters passes it; copying the slice for it would hold every record
// twice: 355 MB at a million records.)
func bounded(records []roster.Record) []roster.Record {
	var out []roster.Record
	for i := range records {
		if !overBound(records[i]) {
			continue
		}
		b := Bound(records[i])
		if !clipped(records[i], b) {
			continue
		}
		if out == nil {
			out = append([]roster.Record(nil), records...)
		}
		out[i] = b
	}
	if out == nil {
		return records
	}
	return out
}

// clipped reports whether Bound cut any field of r (b is Bound(r)); a cut
// only shortens, so comparing lengths is enough.
func clipped(r, b roster.Record) bool {
	return len(b.Name) != len(r.Name) || len(b.Surname) != len(r.Surname) || len(b.Given) != len(r.Given) ||
		len(b.Patronymic) != len(r.Patronymic) || len(b.Case) != len(r.Case)
}

// clipRunes cuts s to at most n runes, at the last space before the cut
// when there is one.
func clipRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i, count := 0, 0
	for i < len(s) && count < n {
		_, w := utf8.DecodeRuneInString(s[i:])
		i += w
		count++
	}
	if i >= len(s) {
		return s
	}
	if s[i] == ' ' {
		return strings.TrimRight(s[:i], " ")
	}
	if sp := strings.LastIndexByte(s[:i], ' '); sp > 0 {
		return strings.TrimRight(s[:sp], " ")
	}
	return s[:i]
}
