package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/roster-coalition/roster/internal/roster"
)

// Reads for the web UI's pages, each through an index, so that a page
// costs the same at a million records as at a hundred.

// AuditPage returns up to n entries older than the entry before (0: the
// newest), newest first, of one actor ("" all); more says older entries
// follow.
func (s *Store) AuditPage(ctx context.Context, actor string, before int64, n int) ([]AuditEntry, bool, error) {
	if before <= 0 {
		before = 1 << 62
	}
	where := `WHERE id < ?`
	args := []any{before}
	if actor != "" {
		where += ` AND actor = ?`
		args = append(args, actor)
	}
	out, err := s.queryAudit(ctx, where+` ORDER BY id DESC LIMIT `+strconv.Itoa(n+1), args...)
	if err != nil {
		return nil, false, err
	}
	more := len(out) > n
	if more {
		out = out[:n]
	}
	return out, more, nil
}

// AuditAbout returns the entries about some items or decisions, oldest
// first.
func (s *Store) AuditAbout(ctx context.Context, itemIDs, decisionIDs []int64) ([]AuditEntry, error) {
	if len(itemIDs) == 0 && len(decisionIDs) == 0 {
		return []AuditEntry{}, nil
	}
	return s.queryAudit(ctx, `WHERE item_id IN (`+idList(itemIDs)+`) OR decision_id IN (`+idList(decisionIDs)+`) ORDER BY id`)
}

// idList is a list of IDs for an IN clause ("NULL" for none).
func idList(ids []int64) string {
	if len(ids) == 0 {
		return "NULL"
	}
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

// DecisionsAbout returns the active decisions naming one of the records
// (full references), oldest first.
func (s *Store) DecisionsAbout(ctx context.Context, refs []string) ([]roster.Decision, error) {
	var out []roster.Decision
	seen := map[int64]bool{}
	for _, ref := range refs {
		r, err := roster.ParseRef(ref)
		if err != nil {
			continue
		}
		ds, err := s.queryDecisions(ctx, s.db, `WHERE undone = 0 AND ((a_source = ? AND a_edition = ? AND a_ref = ?)
			OR (b_source = ? AND b_edition = ? AND b_ref = ?)) ORDER BY id`, r.Source, r.Edition, r.Ref, r.Source, r.Edition, r.Ref)
		if err != nil {
			return nil, fmt.Errorf("decisions about %s: %w", ref, err)
		}
		for _, d := range ds {
			if !seen[d.ID] {
				seen[d.ID] = true
				out = append(out, d)
			}
		}
	}
	for i := 1; i < len(out); i++ { // by ID
		for j := i; j > 0 && out[j].ID < out[j-1].ID; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out, nil
}

// PersonOf returns the person a record is in now ("" for none); a
// reference without an edition names the source's latest.
func (s *Store) PersonOf(ctx context.Context, ref roster.RecordRef) (string, error) {
	ed := ref.Edition
	if ed == "" {
		if err := s.db.QueryRowContext(ctx, `SELECT coalesce(max(edition), '') FROM lists WHERE source = ?`, ref.Source).Scan(&ed); err != nil {
			return "", err
		}
	}
	var pid string
	err := s.db.QueryRowContext(ctx, `SELECT person_id FROM members WHERE source = ? AND edition = ? AND ref = ?`,
		ref.Source, ed, ref.Ref).Scan(&pid)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return pid, err
}

// PersonSummary is a person as a list of persons shows it.
type PersonSummary struct {
	ID      string
	Name    string // the name its first record writes
	Records int
	Lists   int
}

// PersonsPage returns up to n active persons after the ID after ("" from
// the first), by ID; more says others follow.
func (s *Store) PersonsPage(ctx context.Context, after string, n int) ([]PersonSummary, bool, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT p.id,
		(SELECT count(*) FROM members m WHERE m.person_id = p.id),
		(SELECT count(DISTINCT m.source) FROM members m WHERE m.person_id = p.id),
		coalesce((SELECT r.name FROM members m JOIN lists l ON l.source = m.source AND l.edition = m.edition
			JOIN records r ON r.list_id = l.id AND r.ref = m.ref WHERE m.person_id = p.id
			ORDER BY m.source, m.edition, m.ref LIMIT 1), '')
		FROM persons p WHERE p.status = 'active' AND p.id > ? ORDER BY p.id LIMIT ?`, after, n+1)
	if err != nil {
		return nil, false, fmt.Errorf("persons: %w", err)
	}
	defer rows.Close()
	var out []PersonSummary
	for rows.Next() {
		var p PersonSummary
		if err := rows.Scan(&p.ID, &p.Records, &p.Lists, &p.Name); err != nil {
			return nil, false, err
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	more := len(out) > n
	if more {
		out = out[:n]
	}
	return out, more, nil
}
