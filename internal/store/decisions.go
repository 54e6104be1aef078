package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/roster-coalition/roster/internal/roster"
)

const decisionCols = `id, a_source, a_edition, a_ref, a_fingerprint, b_source, b_edition, b_ref, b_fingerprint,
	coalesce(item_id, 0), verdict, reason, decided_by, decided_at, undone`

func scanDecision(sc interface{ Scan(...any) error }) (roster.Decision, error) {
	var d roster.Decision
	var at string
	var undone int
	err := sc.Scan(&d.ID, &d.A.Source, &d.A.Edition, &d.A.Ref, &d.A.Fingerprint, &d.B.Source, &d.B.Edition, &d.B.Ref,
		&d.B.Fingerprint, &d.ItemID, &d.Verdict, &d.Reason, &d.By, &at, &undone)
	d.At, _ = time.Parse(time.RFC3339, at)
	d.Undone = undone != 0
	return d, err
}

// ActiveDecisions returns the decisions that are not undone, oldest first:
// the matcher's must-link and cannot-link constraints come from them.
func (s *Store) ActiveDecisions(ctx context.Context) ([]roster.Decision, error) {
	return s.queryDecisions(ctx, s.db, `WHERE undone = 0 ORDER BY id`)
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func (s *Store) queryDecisions(ctx context.Context, q querier, where string, args ...any) ([]roster.Decision, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+decisionCols+` FROM decisions `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []roster.Decision
	for rows.Next() {
		d, err := scanDecision(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
