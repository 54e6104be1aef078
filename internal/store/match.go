package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/roster-coalition/roster/internal/roster"
)

// PersonRow is a row of the persons table.
type PersonRow struct {
	Seq        int64
	ID         string
	Status     string // active | merged | retired
	RedirectTo string
	CreatedRun int64
	UpdatedRun int64
}

// HistoryEvent is a line of person_history.
type HistoryEvent struct {
	RunID    int64
	PersonID string
	Event    string
	Other    string
	At       string
}

// PairRow is a scored pair kept for analysts (the pairs table).
type PairRow struct {
	A, B        roster.RecordRef
	Probability float64
	Band        string // link | review | duplicate
	Explanation string // JSON
}

// MatchRun is the whole result of a match, written in one transaction.
type MatchRun struct {
	StartedAt       time.Time
	FinishedAt      time.Time
	LinkThreshold   float64
	ReviewThreshold float64
	Stats           string                      // JSON
	NewPersons      []PersonRow                 // Seq and ID of the persons this run created
	Redirects       []PersonRow                 // ID merged into RedirectTo
	Retired         []string                    // IDs with no records left
	Members         iter.Seq[roster.Membership] // the complete new assignment, read once while writing
	History         []HistoryEvent              // RunID and At are filled in
	Pairs           iter.Seq[PairRow]           // read once while writing
	// DataVersion is the data version (see Store.DataVersion) read before
	// the records: the save is refused when an import changed it since.
	// 0 skips the check (versions start at 1).
	DataVersion int64
}

// RunRow is a row of the runs table.
type RunRow struct {
	ID              int64
	StartedAt       string
	FinishedAt      string
	LinkThreshold   float64
	ReviewThreshold float64
	Stats           string
}

// PrevMember is a current membership with its person's sequence number.
type PrevMember struct {
	roster.Membership
	Seq int64
}

// CurrentMembers returns the memberships of the last run with the seq of
// each person, sorted by source, edition and ref, without their
// explanations (the next match reads them for the IDs only). Source and
// edition strings are shared by the members of a list.
func (s *Store) CurrentMembers(ctx context.Context) ([]PrevMember, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT m.person_id, p.seq, m.source, m.edition, m.ref, m.fingerprint,
		coalesce(m.record_id, 0), m.link, m.score
		FROM members m JOIN persons p ON p.id = m.person_id ORDER BY m.source, m.edition, m.ref`)
	if err != nil {
		return nil, fmt.Errorf("read members: %w", err)
	}
	defer rows.Close()
	var out []PrevMember
	in := interner{}
	for rows.Next() {
		var m PrevMember
		if err := rows.Scan(&m.PersonID, &m.Seq, &m.Source, &m.Edition, &m.Ref, &m.Fingerprint, &m.RecordID, &m.Link,
			&m.Score); err != nil {
			return nil, fmt.Errorf("read members: %w", err)
		}
		m.Source, m.Edition, m.Link = in.get(m.Source), in.get(m.Edition), in.get(m.Link)
		out = append(out, m)
	}
	return out, rows.Err()
}

// NextPersonSeq returns the sequence number the next new person gets.
func (s *Store) NextPersonSeq(ctx context.Context) (int64, error) {
	var n sql.NullInt64
	if err := s.db.QueryRowContext(ctx, `SELECT max(seq) FROM persons`).Scan(&n); err != nil {
		return 0, fmt.Errorf("read persons: %w", err)
	}
	return n.Int64 + 1, nil
}

// SaveMatchRun writes a match run in one transaction: the run, new and
// merged persons, the complete member assignment, the history and the
// pairs for review. If anything fails, the previous result is untouched.
// A run computed from records that changed since (run.DataVersion) is
// refused with an ECONFLICT error. The review queue is rebuilt apart (see
// SaveReviewItems); until it is, QueueState tells that it is stale.
func (s *Store) SaveMatchRun(ctx context.Context, run MatchRun) (int64, error) {
	var runID int64
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		if run.DataVersion != 0 {
			v, err := dataVersion(ctx, tx)
			if err != nil {
				return err
			}
			if v != run.DataVersion {
				return roster.Errorf(roster.ECONFLICT, "the records changed while match ran (a list was imported or replaced meanwhile): this run was not saved and the previous result stands; run roster match again")
			}
		}
		now := s.now()
		r, err := tx.ExecContext(ctx, `INSERT INTO runs(started_at, finished_at, link_threshold, review_threshold, stats)
			VALUES(?,?,?,?,?)`, run.StartedAt.UTC().Format(time.RFC3339), run.FinishedAt.UTC().Format(time.RFC3339),
			run.LinkThreshold, run.ReviewThreshold, orJSON(run.Stats))
		if err != nil {
			return fmt.Errorf("insert run: %w", err)
		}
		runID, _ = r.LastInsertId()
		np, err := tx.PrepareContext(ctx, `INSERT INTO persons(seq, id, status, created_run, updated_run) VALUES(?,?,'active',?,?)`)
		if err != nil {
			return err
		}
		defer np.Close()
		created := make(map[string]bool, len(run.NewPersons))
		for _, p := range run.NewPersons {
			if _, err := np.ExecContext(ctx, p.Seq, p.ID, runID, runID); err != nil {
				return fmt.Errorf("insert person %s: %w", p.ID, err)
			}
			created[p.ID] = true
		}
		for _, p := range run.Redirects {
			if _, err := tx.ExecContext(ctx, `UPDATE persons SET status = 'merged', redirect_to = ?, updated_run = ? WHERE id = ?`,
				p.RedirectTo, runID, p.ID); err != nil {
				return fmt.Errorf("merge person %s: %w", p.ID, err)
			}
			// Older redirects to the merged person now point to the survivor.
			if _, err := tx.ExecContext(ctx, `UPDATE persons SET redirect_to = ? WHERE redirect_to = ?`, p.RedirectTo, p.ID); err != nil {
				return fmt.Errorf("merge person %s: %w", p.ID, err)
			}
		}
		for _, id := range run.Retired {
			if _, err := tx.ExecContext(ctx, `UPDATE persons SET status = 'retired', redirect_to = NULL, updated_run = ? WHERE id = ?`,
				runID, id); err != nil {
				return fmt.Errorf("retire person %s: %w", id, err)
			}
		}
		// Every membership is written again: the indexes by person and by
		// fingerprint are built once after the write (see withoutIndexes).
		active := map[string]bool{}
		err = withoutIndexes(ctx, tx, []string{"members"}, func() error {
			if _, err := tx.ExecContext(ctx, `DELETE FROM members`); err != nil {
				return fmt.Errorf("replace members: %w", err)
			}
			ins, err := tx.PrepareContext(ctx, `INSERT INTO members(person_id, source, edition, ref, fingerprint, record_id, link,
				score, explanation, run_id) VALUES(?,?,?,?,?,?,?,?,?,?)`)
			if err != nil {
				return err
			}
			defer ins.Close()
			for m := range orNone(run.Members) {
				var rid any
				if m.RecordID != 0 {
					rid = m.RecordID
				}
				if _, err = ins.ExecContext(ctx, m.PersonID, m.Source, m.Edition, m.Ref, m.Fingerprint, rid, m.Link, m.Score,
					m.Explanation, runID); err != nil {
					err = fmt.Errorf("insert member %s: %w", roster.FormatRef(m.Source, m.Edition, m.Ref, true), err)
					break
				}
				active[m.PersonID] = true
			}
			return err
		})
		if err != nil {
			return err
		}
		up, err := tx.PrepareContext(ctx, `UPDATE persons SET status = 'active', redirect_to = NULL, updated_run = ? WHERE id = ?`)
		if err != nil {
			return err
		}
		defer up.Close()
		for id := range active {
			if created[id] {
				continue // inserted active by this run
			}
			if _, err := up.ExecContext(ctx, runID, id); err != nil {
				return fmt.Errorf("update person %s: %w", id, err)
			}
		}
		hi, err := tx.PrepareContext(ctx, `INSERT INTO person_history(run_id, person_id, event, other_id, at) VALUES(?,?,?,?,?)`)
		if err != nil {
			return err
		}
		defer hi.Close()
		for _, h := range run.History {
			if _, err := hi.ExecContext(ctx, runID, h.PersonID, h.Event, h.Other, now); err != nil {
				return fmt.Errorf("insert history: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM pairs`); err != nil {
			return fmt.Errorf("replace pairs: %w", err)
		}
		pi, err := tx.PrepareContext(ctx, `INSERT INTO pairs(run_id, a_source, a_edition, a_ref, b_source, b_edition, b_ref,
			probability, band, explanation) VALUES(?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING`)
		if err != nil {
			return err
		}
		defer pi.Close()
		for p := range orNone(run.Pairs) {
			if _, err = pi.ExecContext(ctx, runID, p.A.Source, p.A.Edition, p.A.Ref, p.B.Source, p.B.Edition, p.B.Ref,
				p.Probability, p.Band, orJSON(p.Explanation)); err != nil {
				return fmt.Errorf("insert pair: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("save match run: %w", err)
	}
	return runID, nil
}

// orNone is seq, or an empty sequence when seq is nil.
func orNone[T any](seq iter.Seq[T]) iter.Seq[T] {
	if seq == nil {
		return func(func(T) bool) {}
	}
	return seq
}

func orJSON(s string) string {
	if s == "" {
		return "{}"
	}
	return s
}

// LastRun returns the latest match run.
func (s *Store) LastRun(ctx context.Context) (RunRow, error) {
	var r RunRow
	err := s.db.QueryRowContext(ctx, `SELECT id, started_at, finished_at, link_threshold, review_threshold, stats
		FROM runs ORDER BY id DESC LIMIT 1`).Scan(&r.ID, &r.StartedAt, &r.FinishedAt, &r.LinkThreshold, &r.ReviewThreshold, &r.Stats)
	if err != nil {
		return r, notFound(err, "no match run yet; run roster match")
	}
	return r, nil
}

// Persons returns the active persons with their members, sorted by seq.
func (s *Store) Persons(ctx context.Context) ([]roster.Person, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT p.id, m.source, m.edition, m.ref, m.fingerprint, coalesce(m.record_id, 0),
		m.link, m.score, m.explanation FROM persons p JOIN members m ON m.person_id = p.id
		WHERE p.status = 'active' ORDER BY p.seq, m.source, m.edition, m.ref`)
	if err != nil {
		return nil, fmt.Errorf("read persons: %w", err)
	}
	defer rows.Close()
	var out []roster.Person
	for rows.Next() {
		var m roster.Membership
		if err := rows.Scan(&m.PersonID, &m.Source, &m.Edition, &m.Ref, &m.Fingerprint, &m.RecordID, &m.Link, &m.Score,
			&m.Explanation); err != nil {
			return nil, fmt.Errorf("read persons: %w", err)
		}
		if len(out) == 0 || out[len(out)-1].ID != m.PersonID {
			out = append(out, roster.Person{ID: m.PersonID, Status: "active"})
		}
		p := &out[len(out)-1]
		p.Members = append(p.Members, m)
	}
	return out, rows.Err()
}

// Person returns a person by ID, following redirects from merged persons;
// redirects lists the IDs passed through (empty when id is active).
func (s *Store) Person(ctx context.Context, id string) (p roster.Person, redirects []string, err error) {
	for range 100 {
		var status string
		var to sql.NullString
		err := s.db.QueryRowContext(ctx, `SELECT status, redirect_to FROM persons WHERE id = ?`, id).Scan(&status, &to)
		if err != nil {
			return p, redirects, notFound(err, "no person %s", id)
		}
		if status == "merged" && to.Valid && to.String != "" {
			redirects = append(redirects, id)
			id = to.String
			continue
		}
		p = roster.Person{ID: id, Status: status}
		rows, err := s.db.QueryContext(ctx, `SELECT person_id, source, edition, ref, fingerprint, coalesce(record_id, 0), link,
			score, explanation FROM members WHERE person_id = ? ORDER BY source, edition, ref`, id)
		if err != nil {
			return p, redirects, fmt.Errorf("read person %s: %w", id, err)
		}
		defer rows.Close()
		for rows.Next() {
			var m roster.Membership
			if err := rows.Scan(&m.PersonID, &m.Source, &m.Edition, &m.Ref, &m.Fingerprint, &m.RecordID, &m.Link, &m.Score,
				&m.Explanation); err != nil {
				return p, redirects, fmt.Errorf("read person %s: %w", id, err)
			}
			p.Members = append(p.Members, m)
		}
		return p, redirects, rows.Err()
	}
	return p, redirects, errors.New("redirect loop at person " + id)
}

// PersonHistory returns the history of a person, oldest first.
func (s *Store) PersonHistory(ctx context.Context, id string) ([]HistoryEvent, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT run_id, person_id, event, other_id, at FROM person_history
		WHERE person_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("read history: %w", err)
	}
	defer rows.Close()
	var out []HistoryEvent
	for rows.Next() {
		var h HistoryEvent
		if err := rows.Scan(&h.RunID, &h.PersonID, &h.Event, &h.Other, &h.At); err != nil {
			return nil, fmt.Errorf("read history: %w", err)
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// PersonRows returns every row of the persons table, by seq.
func (s *Store) PersonRows(ctx context.Context) ([]PersonRow, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT seq, id, status, coalesce(redirect_to, ''), created_run, updated_run
		FROM persons ORDER BY seq`)
	if err != nil {
		return nil, fmt.Errorf("read persons: %w", err)
	}
	defer rows.Close()
	var out []PersonRow
	for rows.Next() {
		var p PersonRow
		if err := rows.Scan(&p.Seq, &p.ID, &p.Status, &p.RedirectTo, &p.CreatedRun, &p.UpdatedRun); err != nil {
			return nil, fmt.Errorf("read persons: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
