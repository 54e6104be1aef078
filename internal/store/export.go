package store

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/roster-coalition/roster/internal/roster"
)

// ExportRow is one record with its place in the current clustering: the
// input of the crosswalk and registry exports and of `roster eval`.
type ExportRow struct {
	roster.Record
	PersonID string  // the active person (redirects followed); "" when no match run has placed the record
	Link     string  // auto | analyst | single; "" when unplaced
	Score    float64 // probability of the link that brought the record in
}

// ExportRows returns every record of every edition with its person, sorted
// by source, edition and row. Members of merged persons are reported under
// the person they redirect to.
func (s *Store) ExportRows(ctx context.Context) ([]ExportRow, error) {
	redirect, err := s.redirects(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+recordCols+`,
		COALESCE(m.person_id, ''), COALESCE(m.link, ''), COALESCE(m.score, 0)
		FROM records r JOIN lists l ON l.id = r.list_id
		LEFT JOIN members m ON m.source = l.source AND m.edition = l.edition AND m.ref = r.ref
		ORDER BY l.source, l.edition, r.file_id, r.row`)
	if err != nil {
		return nil, fmt.Errorf("export rows: %w", err)
	}
	defer rows.Close()
	var out []ExportRow
	for rows.Next() {
		var x ExportRow
		var err error
		if x.Record, err = scanRecord(rows, &x.PersonID, &x.Link, &x.Score); err != nil {
			return nil, fmt.Errorf("export rows: %w", err)
		}
		x.PersonID = follow(redirect, x.PersonID)
		out = append(out, x)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("export rows: %w", err)
	}
	return out, nil
}

// redirects maps merged person IDs to the ID they redirect to.
func (s *Store) redirects(ctx context.Context) (map[string]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, redirect_to FROM persons WHERE redirect_to IS NOT NULL AND redirect_to <> ''`)
	if err != nil {
		return nil, fmt.Errorf("person redirects: %w", err)
	}
	defer rows.Close()
	m := map[string]string{}
	for rows.Next() {
		var id, to string
		if err := rows.Scan(&id, &to); err != nil {
			return nil, fmt.Errorf("person redirects: %w", err)
		}
		m[id] = to
	}
	return m, rows.Err()
}

// follow resolves a chain of redirects (bounded, in case of a cycle).
func follow(redirect map[string]string, id string) string {
	for i := 0; i < 64 && id != ""; i++ {
		to, ok := redirect[id]
		if !ok {
			break
		}
		id = to
	}
	return id
}

// OpenReviewKinds returns, per person, the kinds of open review items that
// concern them: items naming the person, and items naming one of their
// records. Each list of kinds is sorted and without repeats.
func (s *Store) OpenReviewKinds(ctx context.Context) (map[string][]string, error) {
	redirect, err := s.redirects(ctx)
	if err != nil {
		return nil, err
	}
	byRef := map[string]string{}
	mrows, err := s.db.QueryContext(ctx, `SELECT source, edition, ref, person_id FROM members`)
	if err != nil {
		return nil, fmt.Errorf("review states: %w", err)
	}
	for mrows.Next() {
		var src, ed, ref, pid string
		if err := mrows.Scan(&src, &ed, &ref, &pid); err != nil {
			mrows.Close()
			return nil, fmt.Errorf("review states: %w", err)
		}
		byRef[roster.FormatRef(src, ed, ref, true)] = follow(redirect, pid)
	}
	mrows.Close()
	if err := mrows.Err(); err != nil {
		return nil, fmt.Errorf("review states: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT kind, person_id, records FROM review_items WHERE state = 'open'`)
	if err != nil {
		return nil, fmt.Errorf("review states: %w", err)
	}
	defer rows.Close()
	set := map[string]map[string]bool{}
	mark := func(pid, kind string) {
		if pid == "" {
			return
		}
		if set[pid] == nil {
			set[pid] = map[string]bool{}
		}
		set[pid][kind] = true
	}
	for rows.Next() {
		var kind, pid, recs string
		if err := rows.Scan(&kind, &pid, &recs); err != nil {
			return nil, fmt.Errorf("review states: %w", err)
		}
		mark(follow(redirect, pid), kind)
		var refs []string
		if json.Unmarshal([]byte(recs), &refs) == nil {
			for _, ref := range refs {
				mark(byRef[ref], kind)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("review states: %w", err)
	}
	out := make(map[string][]string, len(set))
	for pid, kinds := range set {
		for k := range kinds {
			out[pid] = append(out[pid], k)
		}
		sort.Strings(out[pid])
	}
	return out, nil
}
