package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/roster-coalition/roster/internal/roster"
)

// privacySchema is the privacy_marks table and its triggers, exactly as
// schema.sql has them (issue 15): the migration step applies this text.
const privacySchema = `CREATE TABLE privacy_marks (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,              -- mark | unmark
    person_id TEXT NOT NULL DEFAULT '',   -- a person mark: the person ID as given
    source    TEXT NOT NULL DEFAULT '',   -- a column mark: the source ('' for every source)
    col       TEXT NOT NULL DEFAULT '',   -- a column mark: a field name (notes, birth…) or a header as written
    reason    TEXT NOT NULL DEFAULT '',
    asked_by  TEXT NOT NULL DEFAULT ''    -- who asked (a family, a lawyer, the source)
);
CREATE TRIGGER privacy_marks_append_only_update BEFORE UPDATE ON privacy_marks
BEGIN SELECT RAISE(ABORT, 'privacy marks are append-only'); END;
CREATE TRIGGER privacy_marks_append_only_delete BEFORE DELETE ON privacy_marks
BEGIN SELECT RAISE(ABORT, 'privacy marks are append-only'); END;
`

// migratePrivacyMarks adds the privacy marks (issue 15).
func migratePrivacyMarks(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, privacySchema)
	return err
}

// PrivacyAction is one line of the privacy log: a person or a column
// marked private or unmarked. It has the fields of audience.Mark.
type PrivacyAction struct {
	ID       int64
	At       string
	By       string
	Action   string // mark | unmark
	PersonID string
	Source   string
	Column   string
	Reason   string
	AskedBy  string
}

// Audit actions of the privacy log.
const (
	ActionPrivacyMark   = "privacy-mark"
	ActionPrivacyUnmark = "privacy-unmark"
)

// AddPrivacyAction records a mark or unmark, with its line in the audit
// log, in one transaction. A person must exist (under any status: a mark
// on a merged ID follows it to the survivor); a column needs a source
// that exists, or "" for every source. The action's ID and time are
// filled in.
func (s *Store) AddPrivacyAction(ctx context.Context, a PrivacyAction) (PrivacyAction, error) {
	if a.Action != "mark" && a.Action != "unmark" {
		return a, roster.Errorf(roster.EINVALID, "privacy action %q: want mark or unmark", a.Action)
	}
	if (a.PersonID == "") == (a.Column == "") {
		return a, roster.Errorf(roster.EINVALID, "a privacy mark names a person or a column")
	}
	if strings.TrimSpace(a.Reason) == "" {
		return a, roster.Errorf(roster.EINVALID, "a reason is required (--reason)")
	}
	if strings.TrimSpace(a.By) == "" {
		return a, roster.Errorf(roster.EINVALID, "who marks is required")
	}
	a.At = s.now()
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var n int
		switch {
		case a.PersonID != "":
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM persons WHERE id = ?`, a.PersonID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return roster.Errorf(roster.ENOTFOUND, "no person %s", a.PersonID)
			}
		case a.Source != "":
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM sources WHERE slug = ?`, a.Source).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return roster.Errorf(roster.ENOTFOUND, "no source %q", a.Source)
			}
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO privacy_marks(at, actor, action, person_id, source, col, reason, asked_by)
			VALUES(?,?,?,?,?,?,?,?)`, a.At, a.By, a.Action, a.PersonID, a.Source, a.Column, a.Reason, a.AskedBy)
		if err != nil {
			return fmt.Errorf("privacy mark: %w", err)
		}
		if a.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		key := "person:" + a.PersonID
		if a.Column != "" {
			key = "column:" + a.Source + ":" + a.Column
		}
		action := ActionPrivacyMark
		if a.Action == "unmark" {
			action = ActionPrivacyUnmark
		}
		detail := map[string]any{"key": key, "privacy_mark": a.ID}
		if a.AskedBy != "" {
			detail["asked_by"] = a.AskedBy
		}
		return insertAudit(ctx, tx, a.At, a.By, action, 0, 0, "", a.Reason, detail)
	})
	return a, err
}

// PrivacyLog returns every privacy action, oldest first.
func (s *Store) PrivacyLog(ctx context.Context) ([]PrivacyAction, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, at, actor, action, person_id, source, col, reason, asked_by
		FROM privacy_marks ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("privacy marks: %w", err)
	}
	defer rows.Close()
	var out []PrivacyAction
	for rows.Next() {
		var a PrivacyAction
		if err := rows.Scan(&a.ID, &a.At, &a.By, &a.Action, &a.PersonID, &a.Source, &a.Column, &a.Reason, &a.AskedBy); err != nil {
			return nil, fmt.Errorf("privacy marks: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("privacy marks: %w", err)
	}
	return out, nil
}

// PersonLineage returns where person IDs went: merged IDs and the ID each
// redirects to, and for each person the persons it was split from.
func (s *Store) PersonLineage(ctx context.Context) (redirect map[string]string, splitFrom map[string][]string, err error) {
	if redirect, err = s.redirects(ctx); err != nil {
		return nil, nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT person_id, other_id FROM person_history
		WHERE event = 'split-from' AND other_id <> '' ORDER BY person_id, other_id`)
	if err != nil {
		return nil, nil, fmt.Errorf("person lineage: %w", err)
	}
	defer rows.Close()
	splitFrom = map[string][]string{}
	for rows.Next() {
		var id, from string
		if err := rows.Scan(&id, &from); err != nil {
			return nil, nil, fmt.Errorf("person lineage: %w", err)
		}
		splitFrom[id] = append(splitFrom[id], from)
	}
	return redirect, splitFrom, rows.Err()
}
