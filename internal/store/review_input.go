package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/roster-coalition/roster/internal/roster"
)

// ReviewPair is a scored pair of the last match run (the pairs table).
type ReviewPair struct {
	A, B        roster.Side // Fingerprint empty
	Probability float64
	Band        string // review | duplicate
}

// ReviewInput is what the review queue is built from, read in one
// transaction so that it is consistent.
type ReviewInput struct {
	RunID int64 // the last match run, 0 before the first
	// Records are every record, by source, edition, file and row. Unless
	// the read asked for the detail, they carry only what the builders
	// read (and list and row): no ID, location, charges, place, notes or
	// raw row.
	Records []roster.Record
	// Members are the memberships of those records, in the same order
	// (records without one are skipped); only person ID, reference and
	// fingerprint are read.
	Members   []roster.Membership
	Pairs     []ReviewPair      // the review and duplicate bands
	Decisions []roster.Decision // active decisions, oldest first
	Scopes    []Scope           // the sources' declared scopes
}

// ReadReviewInput reads every record, the current clustering, the scored
// pairs of the last run and the active decisions. detail also reads what
// only a record's display needs (location, raw row, charges, place, notes,
// IDs and row numbers): roster diff shows it; the queue does not.
func (s *Store) ReadReviewInput(ctx context.Context, detail bool) (ReviewInput, error) {
	var in ReviewInput
	tx, err := s.readTx(ctx)
	if err != nil {
		return in, err
	}
	defer tx.Rollback()
	var run sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT max(id) FROM runs`).Scan(&run); err != nil {
		return in, fmt.Errorf("read runs: %w", err)
	}
	in.RunID = run.Int64
	var nrec, nmem, npair int
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM records), (SELECT count(*) FROM members),
		(SELECT count(*) FROM pairs)`).Scan(&nrec, &nmem, &npair); err != nil {
		return in, fmt.Errorf("read records: %w", err)
	}
	in.Records = make([]roster.Record, 0, nrec)
	in.Members = make([]roster.Membership, 0, min(nmem, nrec))
	in.Pairs = make([]ReviewPair, 0, npair)
	// Lists in order, each list's records by row: both come from indexes,
	// with no sort. Records are wanted by file, then row; a list whose
	// files number their rows apart is read again, sorted by SQLite.
	str := interner{}
	ordered, err := readReviewRecords(ctx, tx, &in, str, detail, `ORDER BY l.source, l.edition, r.row`)
	if err == nil && !ordered {
		in.Records, in.Members = in.Records[:0], in.Members[:0]
		_, err = readReviewRecords(ctx, tx, &in, str, detail, `ORDER BY l.source, l.edition, r.file_id, r.row`)
	}
	if err != nil {
		return in, fmt.Errorf("read records: %w", err)
	}
	if len(in.Members) == 0 {
		// A clustering whose records are all gone still counts as one.
		var m roster.Membership
		err := tx.QueryRowContext(ctx, `SELECT person_id, source, edition, ref, fingerprint FROM members LIMIT 1`).Scan(
			&m.PersonID, &m.Source, &m.Edition, &m.Ref, &m.Fingerprint)
		switch {
		case err == nil:
			in.Members = append(in.Members, m)
		case !errors.Is(err, sql.ErrNoRows):
			return in, fmt.Errorf("read members: %w", err)
		}
	}
	rows, err := tx.QueryContext(ctx, `SELECT a_source, a_edition, a_ref, b_source, b_edition, b_ref, probability, band
		FROM pairs WHERE band IN ('review', 'duplicate') ORDER BY a_source, a_edition, a_ref, b_source, b_edition, b_ref`)
	if err != nil {
		return in, fmt.Errorf("read pairs: %w", err)
	}
	var p ReviewPair
	dest := []any{&p.A.Source, &p.A.Edition, &p.A.Ref, &p.B.Source, &p.B.Edition, &p.B.Ref, &p.Probability, &p.Band}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			rows.Close()
			return in, err
		}
		p.A.Source, p.A.Edition, p.B.Source, p.B.Edition = str.get(p.A.Source), str.get(p.A.Edition), str.get(p.B.Source), str.get(p.B.Edition)
		p.Band = str.get(p.Band)
		in.Pairs = append(in.Pairs, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return in, fmt.Errorf("read pairs: %w", err)
	}
	if in.Decisions, err = s.queryDecisions(ctx, tx, `WHERE undone = 0 ORDER BY id`); err != nil {
		return in, fmt.Errorf("read decisions: %w", err)
	}
	if in.Scopes, err = scopes(ctx, tx); err != nil {
		return in, err
	}
	return in, nil
}

// readReviewRecords appends the records and their memberships to in, in
// the order given; ordered reports whether they came by file and row
// within each list.
func readReviewRecords(ctx context.Context, tx *sql.Tx, in *ReviewInput, str interner, detail bool, order string) (ordered bool, err error) {
	cols := `l.source, l.edition, r.ref, r.name, r.surname, r.given, r.patronymic, r.birth_year, r.birth_date, r.gender, r.grp,
		r.group_raw, r.case_name, r.arrest_date, r.sentence, r.status, r.place, m.ref IS NOT NULL, coalesce(m.person_id, ''),
		coalesce(m.fingerprint, ''), r.list_id, r.file_id, r.row`
	if detail {
		cols += `, r.id, r.location, r.charges, r.notes, r.raw`
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+cols+` FROM lists l CROSS JOIN records r ON r.list_id = l.id
		LEFT JOIN members m ON m.source = l.source AND m.edition = l.edition AND m.ref = r.ref `+order)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	// Scanned into one record and membership, copied into the slices.
	var x roster.Record
	var m roster.Membership
	var member bool
	var file int64
	dest := []any{&x.Source, &x.Edition, &x.Ref, &x.Name, &x.Surname, &x.Given, &x.Patronymic, &x.BirthYear, &x.BirthDate,
		&x.Gender, &x.Group, &x.GroupRaw, &x.Case, &x.ArrestDate, &x.Sentence, &x.Status, &x.Place, &member, &m.PersonID,
		&m.Fingerprint, &x.ListID, &file, &x.Row}
	if detail {
		dest = append(dest, &x.ID, &x.Location, &x.Charges, &x.Notes, &x.Raw)
	}
	ordered = true
	var prevList, prevFile int64
	prevRow := 0
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return false, err
		}
		if x.ListID == prevList && (file < prevFile || (file == prevFile && x.Row < prevRow)) {
			ordered = false
		}
		prevList, prevFile, prevRow = x.ListID, file, x.Row
		x.Source, x.Edition = str.get(x.Source), str.get(x.Edition)
		x.BirthDate, x.Gender, x.Group, x.GroupRaw = str.get(x.BirthDate), str.get(x.Gender), str.get(x.Group), str.get(x.GroupRaw)
		x.Case, x.ArrestDate, x.Sentence, x.Status = str.get(x.Case), str.get(x.ArrestDate), str.get(x.Sentence), str.get(x.Status)
		x.Place = str.get(x.Place)
		in.Records = append(in.Records, x)
		if member {
			m.Source, m.Edition, m.Ref = x.Source, x.Edition, x.Ref
			in.Members = append(in.Members, m)
		}
	}
	return ordered, rows.Err()
}
