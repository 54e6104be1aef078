package store

import (
	"context"
	"database/sql"
	"encoding/json"
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

// ListGroupCounts returns, per edition (list ID), its records per group
// key ("" for none), from the counts the triggers keep.
func (s *Store) ListGroupCounts(ctx context.Context) (map[int64]map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT list_id, grp, n FROM list_group_counts WHERE n > 0`)
	if err != nil {
		return nil, fmt.Errorf("group counts: %w", err)
	}
	defer rows.Close()
	out := map[int64]map[string]int{}
	for rows.Next() {
		var id int64
		var g string
		var n int
		if err := rows.Scan(&id, &g, &n); err != nil {
			return nil, err
		}
		if out[id] == nil {
			out[id] = map[string]int{}
		}
		out[id][g] = n
	}
	return out, rows.Err()
}

// RegistryTally is the unified registry's persons per group, as the last
// rebuild of the queue counted them.
type RegistryTally struct {
	Persons int            `json:"persons"`
	Groups  map[string]int `json:"groups"` // persons with a record in the group ("" for none)
}

const settingRegistryTally = "registry_tally"

// SaveRegistryTally keeps the registry's tally (see RegistryTally).
func (s *Store) SaveRegistryTally(ctx context.Context, t RegistryTally) error {
	b, err := json.Marshal(t)
	if err != nil {
		return err
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO settings(name, value, set_by, set_at) VALUES(?,?,'roster',?)
		ON CONFLICT(name) DO UPDATE SET value = excluded.value, set_at = excluded.set_at`, settingRegistryTally, string(b), s.now())
		return err
	})
}

// LoadRegistryTally returns the kept tally (ok false before the first
// rebuild of the queue).
func (s *Store) LoadRegistryTally(ctx context.Context) (t RegistryTally, ok bool, err error) {
	var v string
	err = s.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE name = ?`, settingRegistryTally).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return t, false, nil
	}
	if err != nil {
		return t, false, err
	}
	return t, true, json.Unmarshal([]byte(v), &t)
}

// EditionSummary is an edition as the sources page shows it.
type EditionSummary struct {
	ID                         int64
	Source, SourceTitle        string
	Edition, Title, ImportedAt string
	Records                    int
	Groups                     map[string]int
	Files                      []string
}

// ListSummaries returns every edition, by source and edition, with its
// records per group from the counts the triggers keep (no count of the
// records table) and its files.
func (s *Store) ListSummaries(ctx context.Context) ([]EditionSummary, error) {
	counts, err := s.ListGroupCounts(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT l.id, l.source, coalesce(s.title, ''), l.edition, l.title, l.imported_at,
		coalesce((SELECT group_concat(f.name, char(31)) FROM files f WHERE f.list_id = l.id), '')
		FROM lists l LEFT JOIN sources s ON s.slug = l.source ORDER BY l.source, l.edition`)
	if err != nil {
		return nil, fmt.Errorf("lists: %w", err)
	}
	defer rows.Close()
	var out []EditionSummary
	for rows.Next() {
		var l EditionSummary
		var files string
		if err := rows.Scan(&l.ID, &l.Source, &l.SourceTitle, &l.Edition, &l.Title, &l.ImportedAt, &files); err != nil {
			return nil, err
		}
		if files != "" {
			l.Files = strings.Split(files, "\x1f")
		}
		l.Groups = counts[l.ID]
		if l.Groups == nil {
			l.Groups = map[string]int{}
		}
		for _, n := range l.Groups {
			l.Records += n
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// PersonName is a person's canonical name as last computed, with the
// hash of the spellings it came from.
type PersonName struct {
	Spellings int64
	Name      string
}

// PersonNames returns the canonical names kept by the last rebuild of the
// queue, by person ID.
func (s *Store) PersonNames(ctx context.Context) (map[string]PersonName, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM person_names`).Scan(&n); err != nil {
		return nil, err
	}
	out := make(map[string]PersonName, n)
	rows, err := s.db.QueryContext(ctx, `SELECT person_id, spellings, name FROM person_names`)
	if err != nil {
		return nil, fmt.Errorf("person names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var p PersonName
		if err := rows.Scan(&id, &p.Spellings, &p.Name); err != nil {
			return nil, err
		}
		out[id] = p
	}
	return out, rows.Err()
}

// PersonNamesOf returns the canonical names kept by the last rebuild of
// the queue of the persons among ids that have one.
func (s *Store) PersonNamesOf(ctx context.Context, ids []string) (map[string]string, error) {
	out := make(map[string]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.db.QueryContext(ctx, `SELECT person_id, name FROM person_names WHERE person_id IN (?`+
		strings.Repeat(",?", len(ids)-1)+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("person names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		out[id] = name
	}
	return out, rows.Err()
}

// SavePersonNames keeps canonical names (new or changed), in one
// transaction.
func (s *Store) SavePersonNames(ctx context.Context, names map[string]PersonName) error {
	if len(names) == 0 {
		return nil
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, `INSERT INTO person_names(person_id, spellings, name) VALUES(?,?,?)
			ON CONFLICT(person_id) DO UPDATE SET spellings = excluded.spellings, name = excluded.name`)
		if err != nil {
			return err
		}
		defer st.Close()
		for id, p := range names {
			if _, err := st.ExecContext(ctx, id, p.Spellings, p.Name); err != nil {
				return fmt.Errorf("person names: %w", err)
			}
		}
		return nil
	})
}
