package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/roster-coalition/roster/internal/roster"
)

// Search by name. Every record's name is kept in an FTS4 index
// (name_search, docid = the record's ID) as the name engine's folded keys,
// which the caller computes (the store knows no names): a query finds its
// candidates through the index and the caller ranks them. FTS4 rather
// than FTS5 because go-sqlite3 builds FTS5 only under a build tag, which
// every go build and go test would then need.

// NameToIndex is a record whose name is not indexed yet.
type NameToIndex struct {
	ID                               int64
	Name, Surname, Given, Patronymic string
}

// UnindexedNames returns the records imported since the name index was
// last brought up to date (record IDs grow; a deleted record leaves the
// index by a trigger), at most limit (0: all).
func (s *Store) UnindexedNames(ctx context.Context, limit int) ([]NameToIndex, error) {
	q := `SELECT id, name, surname, given, patronymic FROM records WHERE id > (SELECT coalesce(max(docid), 0) FROM name_search) ORDER BY id`
	if limit > 0 {
		q += ` LIMIT ` + strconv.Itoa(limit)
	}
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("names to index: %w", err)
	}
	defer rows.Close()
	var out []NameToIndex
	for rows.Next() {
		var n NameToIndex
		if err := rows.Scan(&n.ID, &n.Name, &n.Surname, &n.Given, &n.Patronymic); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// CountUnindexedNames counts the records the name index lacks.
func (s *Store) CountUnindexedNames(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM records WHERE id > (SELECT coalesce(max(docid), 0) FROM name_search)`).Scan(&n)
	return n, err
}

// IndexNames adds records' name keys (space-separated tokens of letters
// and digits) to the index, in one transaction.
func (s *Store) IndexNames(ctx context.Context, ids []int64, keys []string) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, `INSERT OR REPLACE INTO name_search(docid, keys) VALUES(?, ?)`)
		if err != nil {
			return err
		}
		defer st.Close()
		for i, id := range ids {
			if _, err := st.ExecContext(ctx, id, keys[i]); err != nil {
				return fmt.Errorf("index names: %w", err)
			}
		}
		return nil
	})
}

// NameHit is a record a name query found, with its person (if any).
type NameHit struct {
	Record   roster.Record
	PersonID string
}

// SearchNames returns up to limit records whose keys match an FTS4 query
// (terms, AND, OR and parentheses), with their persons, by record ID. It
// also reports whether more matched.
func (s *Store) SearchNames(ctx context.Context, query string, limit int) ([]NameHit, bool, error) {
	if strings.TrimSpace(query) == "" {
		return nil, false, nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT h.docid, coalesce(m.person_id, '') FROM
		(SELECT docid FROM name_search WHERE keys MATCH ? ORDER BY docid LIMIT ?) h
		JOIN records r ON r.id = h.docid JOIN lists l ON l.id = r.list_id
		LEFT JOIN members m ON m.source = l.source AND m.edition = l.edition AND m.ref = r.ref
		ORDER BY h.docid`, query, limit+1)
	if err != nil {
		return nil, false, fmt.Errorf("search names: %w", err)
	}
	var ids []string
	person := map[int64]string{}
	for rows.Next() {
		var id int64
		var pid string
		if err := rows.Scan(&id, &pid); err != nil {
			rows.Close()
			return nil, false, err
		}
		ids = append(ids, strconv.FormatInt(id, 10))
		person[id] = pid
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(ids) == 0 {
		return nil, false, err
	}
	more := len(ids) > limit
	if more {
		ids = ids[:limit]
	}
	recs, err := s.queryRecords(ctx, `WHERE r.id IN (`+strings.Join(ids, ",")+`) ORDER BY r.id`)
	if err != nil {
		return nil, false, fmt.Errorf("search names: %w", err)
	}
	out := make([]NameHit, len(recs))
	for i, r := range recs {
		out[i] = NameHit{Record: r, PersonID: person[r.ID]}
	}
	return out, more, nil
}
