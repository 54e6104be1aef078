package match

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strconv"
	"strings"

	"github.com/roster-coalition/roster/internal/names"
	"github.com/roster-coalition/roster/internal/roster"
)

// ParseName reads a record's name with the names engine: from the list's
// separate columns when it has them, else from the full name as written.
func ParseName(r roster.Record) names.Name {
	n, _ := ParseForms(r)
	return n
}

// ParseForms parses the name of a record and its other names: the main
// name from the split columns, or from the name cell without the pen
// names and former names it prints in brackets or after "also known as"
// (see [names.SplitAliases]); the aliases from the name cell and from the
// record's alias columns.
func ParseForms(r roster.Record) (names.Name, []names.Name) {
	r = Bound(r)
	if r.Surname != "" || r.Given != "" || r.Patronymic != "" {
		n := names.FromParts(r.Surname, r.Given, r.Patronymic)
		if r.Name == "" && len(r.Aliases) == 0 {
			return n, nil
		}
		_, aliases := names.ParseForms(r.Name, r.Aliases...)
		return n, aliases
	}
	return names.ParseForms(r.Name, r.Aliases...)
}

// Fingerprint is a content fingerprint of a record that is stable across
// re-imports (new row IDs, shuffled rows, row-number references) and
// across editions of a source: the source, the names engine's fine keys of
// the surname stem, given name and patronymic (sorted, so that the order
// the list printed them in does not matter) and the birth year.
//
// It has the form "fp1:" followed by 16 hex digits. Two records of one
// source with the same fingerprint are spellings of the same name with the
// same birth year; decisions and previous person IDs are found through it
// when the reference changed.
func Fingerprint(r roster.Record) string {
	return fingerprintOf(r.Source, ParseName(r), r.BirthYear)
}

func fingerprintOf(source string, n names.Name, birthYear int) string {
	parts := []string{n.SurnameStem, n.GivenKey, n.PatronymicKey}
	if parts[0] == "" && n.SurnameKey != "" {
		parts[0] = n.SurnameKey
	}
	sort.Strings(parts)
	var b strings.Builder
	b.WriteString(source)
	b.WriteByte(0)
	for _, p := range parts {
		b.WriteString(p)
		b.WriteByte(0)
	}
	b.WriteString(strconv.Itoa(birthYear))
	sum := sha256.Sum256([]byte(b.String()))
	return "fp1:" + hex.EncodeToString(sum[:8])
}
