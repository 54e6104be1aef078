package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/roster-coalition/roster/internal/roster"
)

// maxCompleted bounds the records completePayload looks up in the database
// for one item (an unknown group label may name thousands).
const maxCompleted = 50

// completePayload adds to an item's stored payload what the builder leaves
// out because the database holds it (see review.Build): a match or
// duplicate item's pair explanation (from the pairs table of the last run,
// unless the payload kept its own when it was decided); the records of a
// match, duplicate, conflict or omission item (from its references, the
// records table and the clustering); the sides of a two-record match,
// duplicate or conflict item (the fingerprints from the clustering); and
// the source, edition, record_ref, fingerprint, location and raw row of
// records a payload lists. A record
// no longer in the database keeps what the payload has of it, or is left
// out. A payload that is not a JSON object is left as it is.
func completePayload(ctx context.Context, q querier, it *roster.ReviewItem) error {
	var m map[string]json.RawMessage
	if json.Unmarshal([]byte(it.Payload), &m) != nil || m == nil {
		return nil
	}
	kind := it.Kind
	if kind == roster.KindAdjudication {
		// An adjudication shows what its item shows.
		var k string
		if json.Unmarshal(m["item_kind"], &k) == nil && k != "" {
			kind = k
		}
	}
	if _, ok := m["explanation"]; !ok && isPairKind(kind) && len(it.Records) == 2 {
		expl, ok, err := pairExplanation(ctx, q, it.Records[0], it.Records[1])
		if err != nil {
			return err
		}
		if ok {
			m["explanation"] = explanationValue(expl)
		}
	}
	if _, ok := m["clusters"]; !ok && isPairKind(kind) && len(it.Records) == 2 {
		cl, err := pairClusters(ctx, q, it.Records)
		if err != nil {
			return err
		}
		if cl != nil {
			m["clusters"] = cl
		}
	}
	fps := map[string]string{} // full reference -> fingerprint, from the sides
	var p struct {
		Sides []struct{ Source, Edition, Ref, Fingerprint string } `json:"sides"`
	}
	if json.Unmarshal([]byte(it.Payload), &p) == nil {
		for _, sd := range p.Sides {
			fps[roster.FormatRef(sd.Source, sd.Edition, sd.Ref, true)] = sd.Fingerprint
		}
	}
	var recs []roster.RecordView
	raw, listed := m["records"]
	switch {
	case listed:
		if json.Unmarshal(raw, &recs) != nil {
			recs = nil
		}
	case recordsOf(kind) && len(it.Records) <= maxCompleted:
		for _, r := range it.Records {
			recs = append(recs, roster.RecordView{Ref: r})
		}
	}
	if recs != nil {
		out := recs[:0]
		for i := range recs {
			found, err := completeRecord(ctx, q, &recs[i], fps, i < maxCompleted)
			if err != nil {
				return err
			}
			if found || recs[i].Name != "" {
				out = append(out, recs[i])
			}
		}
		b, err := json.Marshal(out)
		if err != nil {
			return err
		}
		m["records"] = b
	}
	if _, ok := m["sides"]; !ok && len(it.Records) == 2 && (isPairKind(kind) || kind == roster.KindConflict) {
		// The fingerprints were the clustering's.
		type side struct {
			Source      string `json:"source"`
			Edition     string `json:"edition"`
			Ref         string `json:"ref"`
			Fingerprint string `json:"fingerprint"`
		}
		var sides []side
		for _, r := range it.Records {
			ref, err := roster.ParseRef(r)
			if err != nil {
				sides = nil
				break
			}
			sd := roster.Side{Source: ref.Source, Edition: ref.Edition, Ref: ref.Ref}
			if err := fillFingerprint(ctx, q, &sd); err != nil {
				return err
			}
			sides = append(sides, side(sd))
		}
		if sides != nil {
			b, err := json.Marshal(sides)
			if err != nil {
				return err
			}
			m["sides"] = b
		}
	}
	if raw, ok := m["record"]; ok {
		var rec *roster.RecordView
		if json.Unmarshal(raw, &rec) == nil && rec != nil {
			if _, err := completeRecord(ctx, q, rec, fps, true); err != nil {
				return err
			}
			b, err := json.Marshal(rec)
			if err != nil {
				return err
			}
			m["record"] = b
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	it.Payload = string(b)
	return nil
}

// recordsOf reports whether the builder leaves an item kind's records out
// of its payload, for the store to add.
func recordsOf(kind string) bool {
	switch kind {
	case roster.KindMatch, roster.KindDuplicate, roster.KindConflict, roster.KindOmission:
		return true
	}
	return false
}

// completeRecord fills in a payload record from the database: everything
// when it has only its reference, else what the builder leaves out. found
// says whether the record is still in the database. Without lookup, only
// what the reference gives is filled in (and found is false).
func completeRecord(ctx context.Context, q querier, r *roster.RecordView, fps map[string]string, lookup bool) (found bool, err error) {
	ref, err := roster.ParseRef(r.Ref)
	if err != nil || ref.Edition == "" {
		return false, nil
	}
	if r.Source == "" && r.Edition == "" && r.RecordRef == "" {
		r.Source, r.Edition, r.RecordRef = ref.Source, ref.Edition, ref.Ref
	}
	if !lookup {
		return false, nil
	}
	var person, fp sql.NullString
	err = q.QueryRowContext(ctx, `SELECT person_id, fingerprint FROM members WHERE source = ? AND edition = ? AND ref = ?`,
		ref.Source, ref.Edition, ref.Ref).Scan(&person, &fp)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, err
	}
	if r.Fingerprint == "" {
		if f, ok := fps[r.Ref]; ok {
			r.Fingerprint = f
		} else {
			r.Fingerprint = fp.String
		}
	}
	var x roster.Record
	var aliases string
	err = q.QueryRowContext(ctx, `SELECT r.name, r.birth_year, r.birth_date, r.gender, r.grp, r.group_raw, r.case_name,
		r.arrest_date, r.sentence, r.status, r.location, r.raw, r.aliases FROM records r JOIN lists l ON l.id = r.list_id
		WHERE l.source = ? AND l.edition = ? AND r.ref = ?`, ref.Source, ref.Edition, ref.Ref).Scan(&x.Name, &x.BirthYear,
		&x.BirthDate, &x.Gender, &x.Group, &x.GroupRaw, &x.Case, &x.ArrestDate, &x.Sentence, &x.Status, &x.Location, &x.Raw, &aliases)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if r.Name == "" { // only the reference: the record as it is now
		r.PersonID, r.Name, r.BirthYear, r.BirthDate, r.Gender = person.String, x.Name, x.BirthYear, x.BirthDate, x.Gender
		r.Group, r.GroupRaw, r.Case, r.ArrestDate, r.Sentence, r.Status = x.Group, x.GroupRaw, x.Case, x.ArrestDate, x.Sentence, x.Status
	}
	if r.Location == "" && r.Raw == "" {
		r.Location, r.Raw = x.Location, x.Raw
	}
	if r.Aliases == nil {
		r.Aliases, _ = decodeAliases(aliases) // a payload shows what it can
	}
	return true, nil
}

func isPairKind(kind string) bool { return kind == roster.KindMatch || kind == roster.KindDuplicate }

// explanationValue is a pair explanation as a payload value: the JSON
// itself, or a JSON string when it is not valid JSON.
func explanationValue(expl string) json.RawMessage {
	if json.Valid([]byte(expl)) {
		return json.RawMessage(expl)
	}
	b, _ := json.Marshal(expl)
	return b
}

// pairExplanation returns the explanation the last match run stored for
// the pair of records a and b (full references), in either order.
func pairExplanation(ctx context.Context, q querier, a, b string) (string, bool, error) {
	ra, err := roster.ParseRef(a)
	if err != nil {
		return "", false, nil
	}
	rb, err := roster.ParseRef(b)
	if err != nil {
		return "", false, nil
	}
	var expl string
	err = q.QueryRowContext(ctx, `SELECT explanation FROM pairs WHERE band IN ('review', 'duplicate') AND
		((a_source = ?1 AND a_edition = ?2 AND a_ref = ?3 AND b_source = ?4 AND b_edition = ?5 AND b_ref = ?6) OR
		 (a_source = ?4 AND a_edition = ?5 AND a_ref = ?6 AND b_source = ?1 AND b_edition = ?2 AND b_ref = ?3))
		ORDER BY a_source, a_edition, a_ref, b_source, b_edition, b_ref LIMIT 1`,
		ra.Source, ra.Edition, ra.Ref, rb.Source, rb.Edition, rb.Ref).Scan(&expl)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return expl, err == nil, err
}

// freezePayload completes a decided item's stored payload (see
// completePayload) once, when it is decided or rebuilt while decided: it
// then keeps showing what was decided on, the records as they were and a
// match's explanation, after the records change or the pair leaves the
// pairs table (a "same" becomes a link, which the table does not keep).
func freezePayload(ctx context.Context, tx *sql.Tx, id int64, kind string, records []string, payload string) error {
	it := roster.ReviewItem{Kind: kind, Records: records, Payload: payload}
	if it.Payload == "" {
		it.Payload = "{}"
	}
	if err := completePayload(ctx, tx, &it); err != nil || it.Payload == payload {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE review_items SET payload = ? WHERE id = ?`, it.Payload, id)
	return err
}

// ClusterView is the person a record of a pair is in, with that person's
// records (at most maxClusterRecords): what the pair would join.
type ClusterView struct {
	Ref      string          `json:"ref"` // the pair's record
	PersonID string          `json:"person_id"`
	Records  []ClusterRecord `json:"records"`
	Total    int             `json:"total"`
}

// ClusterRecord is one record of a person, by reference and name.
type ClusterRecord struct {
	Ref  string `json:"ref"` // source@edition:ref
	Name string `json:"name"`
}

const maxClusterRecords = 20

// pairClusters returns, as a payload value, the persons the two records
// of a pair are in (nil when neither is in one).
func pairClusters(ctx context.Context, q querier, refs []string) (json.RawMessage, error) {
	var out []ClusterView
	any := false
	for _, r := range refs {
		cv := ClusterView{Ref: r, Records: []ClusterRecord{}}
		ref, err := roster.ParseRef(r)
		if err != nil {
			return nil, nil
		}
		err = q.QueryRowContext(ctx, `SELECT person_id FROM members WHERE source = ? AND edition = ? AND ref = ?`,
			ref.Source, ref.Edition, ref.Ref).Scan(&cv.PersonID)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		if cv.PersonID != "" {
			any = true
			rows, err := q.QueryContext(ctx, `SELECT m.source, m.edition, m.ref, coalesce(r.name, '') FROM members m
				LEFT JOIN lists l ON l.source = m.source AND l.edition = m.edition
				LEFT JOIN records r ON r.list_id = l.id AND r.ref = m.ref
				WHERE m.person_id = ? ORDER BY m.source, m.edition, m.ref`, cv.PersonID)
			if err != nil {
				return nil, err
			}
			for rows.Next() {
				var src, ed, rf, name string
				if err := rows.Scan(&src, &ed, &rf, &name); err != nil {
					rows.Close()
					return nil, err
				}
				cv.Total++
				if len(cv.Records) < maxClusterRecords {
					cv.Records = append(cv.Records, ClusterRecord{Ref: roster.FormatRef(src, ed, rf, true), Name: name})
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, err
			}
		}
		out = append(out, cv)
	}
	if !any {
		return nil, nil
	}
	return json.Marshal(out)
}
