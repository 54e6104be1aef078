package app

import (
	"context"
	"strings"

	"github.com/roster-coalition/roster/internal/names"
	"github.com/roster-coalition/roster/internal/store"
)

// Search by name through the store's index of name keys. A record is
// indexed under the name engine's phonetic skeleton of each part, tagged
// with the part: 1 surname, 2 given name, 3 father's name ("1mt 2al
// 3ksn" for Məmmədov Əli Həsən oğlu, and for Мамедов Али Гасан оглы). A
// query matches the records that have each of its parts in some place,
// so "Mamedov" finds Məmmədov and "Ali Mamedov" finds "Məmmədov Əli".

// nameKeys are a name's index tokens.
func nameKeys(n names.Name) string {
	var b strings.Builder
	for i, k := range []string{n.SurnameCoarse, n.GivenCoarse, n.PatronymicCoarse} {
		if k = token(k); k == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteByte(byte('1' + i))
		b.WriteString(k)
	}
	return b.String()
}

// token keeps the letters and digits of a key (the index's tokenizer
// splits on anything else).
func token(k string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, strings.ToLower(k))
}

// SearchQuery is the index query for a name as typed: each part the name
// engine reads in it must be in some place of a record's name. "" when
// it has no part to look for.
func SearchQuery(q string) (string, names.Name) {
	n := names.Parse(q)
	var terms []string
	seen := map[string]bool{}
	for _, k := range []string{n.SurnameCoarse, n.GivenCoarse, n.PatronymicCoarse} {
		k = token(k)
		if k == "" || seen[k] {
			continue
		}
		seen[k] = true
		terms = append(terms, "(1"+k+" OR 2"+k+" OR 3"+k+")")
	}
	return strings.Join(terms, " AND "), n.Prepared()
}

// indexBatch is how many records IndexNames reads and writes at a time.
const indexBatch = 50000

// IndexNames brings the name index up to date: the records imported
// since it last was are parsed (on all cores) and indexed. It returns how
// many it indexed.
func (a *Service) IndexNames(ctx context.Context) (int, error) {
	total := 0
	for {
		recs, err := a.store.UnindexedNames(ctx, indexBatch)
		if err != nil || len(recs) == 0 {
			return total, err
		}
		keys := make([]string, len(recs))
		ids := make([]int64, len(recs))
		eachOnAllCores(len(recs), func() func(int) {
			return func(i int) { keys[i] = nameKeys(parseRecordName(recs[i])) }
		})
		for i, r := range recs {
			ids[i] = r.ID
		}
		if err := a.store.IndexNames(ctx, ids, keys); err != nil {
			return total, err
		}
		total += len(recs)
	}
}

// parseRecordName reads a record's name: from the list's own columns
// when it splits the name, else from the name as written.
func parseRecordName(r store.NameToIndex) names.Name {
	if r.Surname != "" || r.Given != "" {
		return names.FromParts(r.Surname, r.Given, r.Patronymic)
	}
	return names.Parse(r.Name)
}
