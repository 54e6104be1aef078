package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"github.com/roster-coalition/roster/internal/roster"
)

// settingOmissionMin names the setting with how many other sources must
// list a person for their absence from a source to be an omission.
const settingOmissionMin = "omission_min"

// OmissionMin returns the project's omission threshold: how many other
// sources' latest editions must list a person for their absence from a
// source to be an omission. It is 0 when none was set (the review
// builder's default applies).
func (s *Store) OmissionMin(ctx context.Context) (int, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE name = ?`, settingOmissionMin).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read settings: %w", err)
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("read settings: %s is %q, not a number", settingOmissionMin, v)
	}
	return n, nil
}

// SetOmissionMin sets the project's omission threshold (1 or more); by
// must be an admin, and the change is in the audit log. Every later
// rebuild of the queue, by roster match or roster review build, uses it.
func (s *Store) SetOmissionMin(ctx context.Context, by string, n int) error {
	if n < 1 {
		return roster.Errorf(roster.EINVALID, "omission threshold %d: want 1 or more other sources", n)
	}
	return s.setSetting(ctx, by, settingOmissionMin, strconv.Itoa(n), n)
}

// setSetting sets a project setting to value as admin by, with its line
// in the audit log (detail is the value as the log gives it).
func (s *Store) setSetting(ctx context.Context, by, name, value string, detail any) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		if err := authorize(ctx, tx, by, RoleAdmin, "change the review settings"); err != nil {
			return err
		}
		at := s.now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO settings(name, value, set_by, set_at) VALUES(?,?,?,?)
			ON CONFLICT(name) DO UPDATE SET value = excluded.value, set_by = excluded.set_by, set_at = excluded.set_at`,
			name, value, by, at); err != nil {
			return fmt.Errorf("set %s: %w", name, err)
		}
		return insertAudit(ctx, tx, at, by, ActionConfig, 0, 0, "", "", map[string]any{name: detail})
	})
}
