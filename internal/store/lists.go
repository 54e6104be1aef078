package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/roster-coalition/roster/internal/roster"
)

// ImportFile is one file's records, ready to store.
type ImportFile struct {
	Name    string
	SHA256  string
	Format  string
	Size    int
	Records []roster.Record
}

// ImportRequest is one import: one or more files into one edition of a
// source.
type ImportRequest struct {
	Source      string
	SourceTitle string
	Edition     string
	Title       string
	Replace     bool // replace the edition if it exists
	Files       []ImportFile
}

// ImportResult says what an import did.
type ImportResult struct {
	ListID   int64
	Records  int
	Replaced int // records of the replaced edition
}

// Import stores an edition in one transaction. It refuses, with an
// ECONFLICT error, an edition that already exists or a file that was
// already imported into the source, unless Replace is set.
func (s *Store) Import(ctx context.Context, req ImportRequest) (ImportResult, error) {
	var res ImportResult
	if req.Source == "" || req.Edition == "" {
		return res, roster.Errorf(roster.EINVALID, "import needs a source and an edition")
	}
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO sources(slug, title, created_at) VALUES(?,?,?)
			ON CONFLICT(slug) DO UPDATE SET title = CASE WHEN excluded.title <> '' THEN excluded.title ELSE sources.title END`,
			req.Source, req.SourceTitle, now); err != nil {
			return err
		}
		// The same file already in this source?
		for _, f := range req.Files {
			var ed, name string
			err := tx.QueryRowContext(ctx, `SELECT l.edition, f.name FROM files f JOIN lists l ON l.id = f.list_id
				WHERE l.source = ? AND f.sha256 = ? LIMIT 1`, req.Source, f.SHA256).Scan(&ed, &name)
			if err == nil && !(req.Replace && ed == req.Edition) {
				return roster.Errorf(roster.ECONFLICT, "%s: already imported into %s@%s (as %s, same SHA-256); use --replace to replace that edition",
					f.Name, req.Source, ed, name)
			}
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		var old int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM lists WHERE source = ? AND edition = ?`, req.Source, req.Edition).Scan(&old)
		switch {
		case err == nil && !req.Replace:
			return roster.Errorf(roster.ECONFLICT, "%s@%s already exists; use --replace to replace that edition", req.Source, req.Edition)
		case err == nil:
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM records WHERE list_id = ?`, old).Scan(&res.Replaced); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM lists WHERE id = ?`, old); err != nil {
				return fmt.Errorf("replace %s@%s: %w", req.Source, req.Edition, err)
			}
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		r, err := tx.ExecContext(ctx, `INSERT INTO lists(source, edition, title, imported_at) VALUES(?,?,?,?)`,
			req.Source, req.Edition, req.Title, now)
		if err != nil {
			return err
		}
		res.ListID, _ = r.LastInsertId()
		if err := bumpDataVersion(ctx, tx); err != nil {
			return err
		}
		rec, err := tx.PrepareContext(ctx, `INSERT INTO records(list_id, file_id, row, ref, location, name, surname, given,
			patronymic, birth_year, birth_date, gender, grp, group_raw, case_name, arrest_date, sentence, status, charges,
			place, notes, raw, aliases) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`)
		if err != nil {
			return err
		}
		defer rec.Close()
		for _, f := range req.Files {
			r, err := tx.ExecContext(ctx, `INSERT INTO files(list_id, name, sha256, format, size, imported_at) VALUES(?,?,?,?,?,?)`,
				res.ListID, f.Name, f.SHA256, f.Format, f.Size, now)
			if err != nil {
				return err
			}
			fileID, _ := r.LastInsertId()
			for _, x := range f.Records {
				if _, err := rec.ExecContext(ctx, res.ListID, fileID, x.Row, x.Ref, x.Location, x.Name, x.Surname, x.Given,
					x.Patronymic, x.BirthYear, x.BirthDate, x.Gender, x.Group, x.GroupRaw, x.Case, x.ArrestDate, x.Sentence,
					x.Status, x.Charges, x.Place, x.Notes, x.Raw, encodeAliases(x.Aliases)); err != nil {
					if strings.Contains(err.Error(), "UNIQUE") {
						return roster.Errorf(roster.EINVALID, "%s:%d: reference %q appears twice in %s@%s", f.Name, x.Row, x.Ref, req.Source, req.Edition)
					}
					return fmt.Errorf("%s:%d: %w", f.Name, x.Row, err)
				}
				res.Records++
			}
		}
		return nil
	})
	if err != nil {
		return ImportResult{}, err
	}
	return res, nil
}

// SourceSummary describes a source and its editions.
type SourceSummary struct {
	Slug     string
	Title    string
	Editions []ListSummary
}

// ListSummary describes one edition.
type ListSummary struct {
	ID         int64
	Source     string
	Edition    string
	Title      string
	ImportedAt string
	Files      []FileSummary
	Records    int
	Groups     map[string]int // records per group key; "" = unmapped
}

// FileSummary is a file an edition came from.
type FileSummary struct {
	Name   string
	SHA256 string
	Format string
	Size   int
}

// Sources returns every source with its editions, sorted by slug and edition.
func (s *Store) Sources(ctx context.Context) ([]SourceSummary, error) {
	lists, err := s.Lists(ctx, "")
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT slug, title FROM sources ORDER BY slug`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SourceSummary
	for rows.Next() {
		var ss SourceSummary
		if err := rows.Scan(&ss.Slug, &ss.Title); err != nil {
			return nil, err
		}
		for _, l := range lists {
			if l.Source == ss.Slug {
				ss.Editions = append(ss.Editions, l)
			}
		}
		out = append(out, ss)
	}
	return out, rows.Err()
}

// Lists returns the editions of one source (or all when source is ""),
// sorted by source and edition, with record counts per group.
func (s *Store) Lists(ctx context.Context, source string) ([]ListSummary, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, source, edition, title, imported_at FROM lists
		WHERE ? = '' OR source = ? ORDER BY source, edition`, source, source)
	if err != nil {
		return nil, err
	}
	var out []ListSummary
	byID := map[int64]int{}
	for rows.Next() {
		var l ListSummary
		if err := rows.Scan(&l.ID, &l.Source, &l.Edition, &l.Title, &l.ImportedAt); err != nil {
			rows.Close()
			return nil, err
		}
		l.Groups = map[string]int{}
		byID[l.ID] = len(out)
		out = append(out, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	grows, err := s.db.QueryContext(ctx, `SELECT list_id, grp, count(*) FROM records GROUP BY list_id, grp`)
	if err != nil {
		return nil, err
	}
	for grows.Next() {
		var id int64
		var g string
		var n int
		if err := grows.Scan(&id, &g, &n); err != nil {
			grows.Close()
			return nil, err
		}
		if i, ok := byID[id]; ok {
			out[i].Groups[g] = n
			out[i].Records += n
		}
	}
	grows.Close()
	frows, err := s.db.QueryContext(ctx, `SELECT list_id, name, sha256, format, size FROM files ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer frows.Close()
	for frows.Next() {
		var id int64
		var f FileSummary
		if err := frows.Scan(&id, &f.Name, &f.SHA256, &f.Format, &f.Size); err != nil {
			return nil, err
		}
		if i, ok := byID[id]; ok {
			out[i].Files = append(out[i].Files, f)
		}
	}
	return out, frows.Err()
}

// LatestEdition returns the latest edition of a source.
func (s *Store) LatestEdition(ctx context.Context, source string) (string, error) {
	var ed sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT max(edition) FROM lists WHERE source = ?`, source).Scan(&ed)
	if err != nil {
		return "", err
	}
	if !ed.Valid {
		return "", roster.Errorf(roster.ENOTFOUND, "no source %q", source)
	}
	return ed.String, nil
}

const recordCols = `r.id, r.list_id, l.source, l.edition, r.ref, r.row, r.location, r.name, r.surname, r.given, r.patronymic,
	r.birth_year, r.birth_date, r.gender, r.grp, r.group_raw, r.case_name, r.arrest_date, r.sentence, r.status,
	r.charges, r.place, r.notes, r.raw, r.aliases`

func scanRecord(sc interface{ Scan(...any) error }, extra ...any) (roster.Record, error) {
	var x roster.Record
	var aliases string
	dest := append([]any{&x.ID, &x.ListID, &x.Source, &x.Edition, &x.Ref, &x.Row, &x.Location, &x.Name, &x.Surname, &x.Given,
		&x.Patronymic, &x.BirthYear, &x.BirthDate, &x.Gender, &x.Group, &x.GroupRaw, &x.Case, &x.ArrestDate, &x.Sentence,
		&x.Status, &x.Charges, &x.Place, &x.Notes, &x.Raw, &aliases}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return x, err
	}
	var err error
	x.Aliases, err = decodeAliases(aliases)
	if err != nil {
		return x, fmt.Errorf("record %s: %w", roster.FormatRef(x.Source, x.Edition, x.Ref, true), err)
	}
	return x, nil
}

// encodeAliases is how records.aliases holds a record's other names: a
// JSON array, ” for none.
func encodeAliases(as []string) string {
	if len(as) == 0 {
		return ""
	}
	b, _ := json.Marshal(as) // a []string always marshals
	return string(b)
}

// decodeAliases reads records.aliases back.
func decodeAliases(s string) ([]string, error) {
	if s == "" {
		return nil, nil
	}
	var as []string
	if err := json.Unmarshal([]byte(s), &as); err != nil {
		return nil, fmt.Errorf("aliases %q: %w", s, err)
	}
	if len(as) == 0 {
		return nil, nil
	}
	return as, nil
}

func (s *Store) queryRecords(ctx context.Context, where string, args ...any) ([]roster.Record, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+recordCols+` FROM records r JOIN lists l ON l.id = r.list_id `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []roster.Record
	for rows.Next() {
		x, err := scanRecord(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// Records returns the records of one edition (the latest when edition is
// "") in file order.
func (s *Store) Records(ctx context.Context, source, edition string) ([]roster.Record, error) {
	if edition == "" {
		ed, err := s.LatestEdition(ctx, source)
		if err != nil {
			return nil, err
		}
		edition = ed
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM lists WHERE source = ? AND edition = ?`, source, edition).Scan(&n); err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, roster.Errorf(roster.ENOTFOUND, "no edition %s@%s", source, edition)
	}
	return s.queryRecords(ctx, `WHERE l.source = ? AND l.edition = ? ORDER BY r.file_id, r.row`, source, edition)
}

// AllRecords returns every record of every edition, sorted by source,
// edition and row: the matcher's input.
func (s *Store) AllRecords(ctx context.Context) ([]roster.Record, error) {
	return s.queryRecords(ctx, `ORDER BY l.source, l.edition, r.file_id, r.row`)
}

// MatchRecords returns every record of every edition, in the order of
// AllRecords, with only the fields the matcher and the review queue read:
// ID, list, row, source, edition, reference, the name and its parts, the
// aliases, birth year and date, gender, group (key and label), case,
// arrest date, sentence, status and place. Values that repeat (source,
// edition, group, case, dates…) share one string. At a million records
// this is a fraction of AllRecords' memory (no raw rows, notes or other
// free text).
func (s *Store) MatchRecords(ctx context.Context) ([]roster.Record, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM records`).Scan(&n); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT r.id, r.list_id, l.source, l.edition, r.ref, r.name, r.surname, r.given,
	r.patronymic, r.birth_year, r.birth_date, r.gender, r.grp, r.group_raw, r.case_name, r.arrest_date, r.aliases,
	r.sentence, r.status, r.place, r.row
	FROM records r JOIN lists l ON l.id = r.list_id ORDER BY l.source, l.edition, r.file_id, r.row`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]roster.Record, 0, n)
	in := interner{}
	var aliases string
	for rows.Next() {
		var x roster.Record
		if err := rows.Scan(&x.ID, &x.ListID, &x.Source, &x.Edition, &x.Ref, &x.Name, &x.Surname, &x.Given, &x.Patronymic,
			&x.BirthYear, &x.BirthDate, &x.Gender, &x.Group, &x.GroupRaw, &x.Case, &x.ArrestDate, &aliases,
			&x.Sentence, &x.Status, &x.Place, &x.Row); err != nil {
			return nil, err
		}
		if x.Aliases, err = decodeAliases(aliases); err != nil {
			return nil, fmt.Errorf("record %s: %w", roster.FormatRef(x.Source, x.Edition, x.Ref, true), err)
		}
		// Few distinct values: share one string each.
		x.Source, x.Edition, x.Gender, x.Group, x.GroupRaw = in.get(x.Source), in.get(x.Edition), in.get(x.Gender), in.get(x.Group), in.get(x.GroupRaw)
		x.BirthDate, x.Case, x.ArrestDate = in.get(x.BirthDate), in.get(x.Case), in.get(x.ArrestDate)
		x.Sentence, x.Status, x.Place = in.get(x.Sentence), in.get(x.Status), in.get(x.Place)
		out = append(out, x)
	}
	return out, rows.Err()
}

// FindRecord resolves a reference ("source:ref" or "source@edition:ref");
// without an edition, the latest edition of the source that has the ref.
func (s *Store) FindRecord(ctx context.Context, ref roster.RecordRef) (roster.Record, error) {
	var recs []roster.Record
	var err error
	if ref.Edition != "" {
		recs, err = s.queryRecords(ctx, `WHERE l.source = ? AND l.edition = ? AND r.ref = ?`, ref.Source, ref.Edition, ref.Ref)
	} else {
		recs, err = s.queryRecords(ctx, `WHERE l.source = ? AND r.ref = ? ORDER BY l.edition DESC LIMIT 1`, ref.Source, ref.Ref)
	}
	if err != nil {
		return roster.Record{}, err
	}
	if len(recs) == 0 {
		return roster.Record{}, roster.Errorf(roster.ENOTFOUND, "no record %s", ref)
	}
	return recs[0], nil
}

// Editions returns, per source, its editions in order.
func (s *Store) Editions(ctx context.Context) (map[string][]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT source, edition FROM lists ORDER BY source, edition`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var src, ed string
		if err := rows.Scan(&src, &ed); err != nil {
			return nil, err
		}
		out[src] = append(out[src], ed)
	}
	for _, v := range out {
		sort.Strings(v)
	}
	return out, rows.Err()
}
