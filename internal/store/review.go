package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"sort"
	"strings"
	"time"

	"github.com/roster-coalition/roster/internal/roster"
)

// Review item states.
const (
	StateOpen    = "open"
	StateDecided = "decided"
	StateStale   = "stale"
)

// Audit actions.
const (
	ActionDecide = "decide"
	ActionUndo   = "undo"
)

// ReviewFilter selects review items. Empty fields match everything; State
// is "", "open", "decided", "stale" or "all" ("" means open).
type ReviewFilter struct {
	Kind, Source, Group, State string
}

const reviewCols = `id, key, kind, state, source, grp, person_id, records, title, payload, impact,
	coalesce(decision_id, 0), version`

func scanReviewItem(sc interface{ Scan(...any) error }) (roster.ReviewItem, error) {
	var it roster.ReviewItem
	var recs string
	err := sc.Scan(&it.ID, &it.Key, &it.Kind, &it.State, &it.Source, &it.Group, &it.PersonID, &recs, &it.Title,
		&it.Payload, &it.Impact, &it.DecisionID, &it.Version)
	if err != nil {
		return it, err
	}
	if recs != "" {
		if err := json.Unmarshal([]byte(recs), &it.Records); err != nil {
			return it, fmt.Errorf("review item %d: records: %w", it.ID, err)
		}
	}
	return it, nil
}

// ReviewItems returns the items that match f: open items first, then
// decided, then stale; within a state the highest impact first, then by id.
func (s *Store) ReviewItems(ctx context.Context, f ReviewFilter) ([]roster.ReviewItem, error) {
	var where []string
	var args []any
	switch f.State {
	case "", StateOpen:
		where = append(where, "state = 'open'")
	case "all":
	case StateDecided, StateStale:
		where = append(where, "state = ?")
		args = append(args, f.State)
	default:
		return nil, roster.Errorf(roster.EINVALID, "state %q: want open, decided, stale or all", f.State)
	}
	if f.Kind != "" {
		where = append(where, "kind = ?")
		args = append(args, f.Kind)
	}
	if f.Source != "" {
		// Items about a source; items about no source in particular
		// (match, conflict) when one of their records is from it.
		where = append(where, "(source = ? OR (source = '' AND EXISTS (SELECT 1 FROM json_each(review_items.records) j WHERE j.value LIKE ? || '@%')))")
		args = append(args, f.Source, f.Source)
	}
	if f.Group != "" {
		where = append(where, "grp = ?")
		args = append(args, f.Group)
	}
	q := `SELECT ` + reviewCols + ` FROM review_items`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += ` ORDER BY CASE state WHEN 'open' THEN 0 WHEN 'decided' THEN 1 ELSE 2 END, impact DESC, id`
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("review items: %w", err)
	}
	defer rows.Close()
	out := []roster.ReviewItem{}
	for rows.Next() {
		it, err := scanReviewItem(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// ReviewItem returns one item with its payload complete for display;
// ENOTFOUND when there is none. Payloads are stored lean: the store adds
// what the database already holds (see completePayload).
func (s *Store) ReviewItem(ctx context.Context, id int64) (roster.ReviewItem, error) {
	it, err := reviewItemTx(ctx, s.db, id)
	if err != nil {
		return it, err
	}
	return it, completePayload(ctx, s.db, &it)
}

type rowQuerier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func reviewItemTx(ctx context.Context, q rowQuerier, id int64) (roster.ReviewItem, error) {
	it, err := scanReviewItem(q.QueryRowContext(ctx, `SELECT `+reviewCols+` FROM review_items WHERE id = ?`, id))
	if err != nil {
		return it, notFound(err, "no review item %d", id)
	}
	return it, nil
}

// ReviewCounts returns the number of open items per kind (kinds without
// open items are absent).
func (s *Store) ReviewCounts(ctx context.Context) (map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT kind, count(*) FROM review_items WHERE state = 'open' GROUP BY kind`)
	if err != nil {
		return nil, fmt.Errorf("review counts: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		out[k] = n
	}
	return out, rows.Err()
}

// Decision returns one decision; ENOTFOUND when there is none.
func (s *Store) Decision(ctx context.Context, id int64) (roster.Decision, error) {
	d, err := scanDecision(s.db.QueryRowContext(ctx, `SELECT `+decisionCols+` FROM decisions WHERE id = ?`, id))
	if err != nil {
		return d, notFound(err, "no decision %d", id)
	}
	return d, nil
}

// Decisions returns every decision, undone ones included, oldest first.
func (s *Store) Decisions(ctx context.Context) ([]roster.Decision, error) {
	return s.queryDecisions(ctx, s.db, `ORDER BY id`)
}

// validVerdict reports whether v is a verdict.
func validVerdict(v string) bool {
	switch v {
	case roster.VerdictSame, roster.VerdictDifferent, roster.VerdictUnsure, roster.VerdictDismiss:
		return true
	}
	return false
}

func checkDecision(verdict, reason, by string) error {
	if !validVerdict(verdict) {
		return roster.Errorf(roster.EINVALID, "verdict %q: want same, different, unsure or dismiss", verdict)
	}
	if strings.TrimSpace(reason) == "" {
		return roster.Errorf(roster.EINVALID, "a decision needs a reason")
	}
	if strings.TrimSpace(by) == "" {
		return roster.Errorf(roster.EINVALID, "a decision needs the name of who made it")
	}
	return nil
}

// alreadyDecided is the ECONFLICT error for an item that is no longer open.
func alreadyDecided(ctx context.Context, tx *sql.Tx, it roster.ReviewItem) error {
	switch it.State {
	case StateDecided:
		d, err := scanDecision(tx.QueryRowContext(ctx, `SELECT `+decisionCols+` FROM decisions WHERE id = ?`, it.DecisionID))
		if err != nil {
			return roster.Errorf(roster.ECONFLICT, "item %d was already decided", it.ID)
		}
		return roster.Errorf(roster.ECONFLICT, "item %d was already decided by %s (%s) at %s", it.ID, d.By, d.Verdict,
			d.At.UTC().Format(time.RFC3339))
	case StateStale:
		return roster.Errorf(roster.ECONFLICT, "item %d is stale: it no longer applies to the current match", it.ID)
	}
	return roster.Errorf(roster.ECONFLICT, "item %d changed since it was read (now version %d); reload it", it.ID, it.Version)
}

// sidesOf returns the two records of a pair item as decision sides, with
// their fingerprints from the current clustering; ok is false when the item
// is not about exactly two records.
func sidesOf(ctx context.Context, tx *sql.Tx, it roster.ReviewItem) (a, b roster.Side, ok bool, err error) {
	if len(it.Records) != 2 {
		return a, b, false, nil
	}
	var sides [2]roster.Side
	for i, r := range it.Records {
		ref, err := roster.ParseRef(r)
		if err != nil {
			return a, b, false, fmt.Errorf("item %d: %w", it.ID, err)
		}
		sides[i] = roster.Side{Source: ref.Source, Edition: ref.Edition, Ref: ref.Ref}
	}
	// The payload may carry the fingerprints the builder saw.
	var p struct {
		Sides []struct {
			Source, Edition, Ref, Fingerprint string
		} `json:"sides"`
	}
	if json.Unmarshal([]byte(it.Payload), &p) == nil {
		for _, ps := range p.Sides {
			for i := range sides {
				if sides[i].Source == ps.Source && sides[i].Edition == ps.Edition && sides[i].Ref == ps.Ref {
					sides[i].Fingerprint = ps.Fingerprint
				}
			}
		}
	}
	for i := range sides {
		if err := fillFingerprint(ctx, tx, &sides[i]); err != nil {
			return a, b, false, err
		}
	}
	return sides[0], sides[1], true, nil
}

// fillFingerprint sets a side's fingerprint from the current clustering
// when the caller did not give one.
func fillFingerprint(ctx context.Context, q rowQuerier, sd *roster.Side) error {
	if sd.Fingerprint != "" {
		return nil
	}
	err := q.QueryRowContext(ctx, `SELECT fingerprint FROM members WHERE source = ? AND edition = ? AND ref = ?`,
		sd.Source, sd.Edition, sd.Ref).Scan(&sd.Fingerprint)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	return nil
}

func insertDecision(ctx context.Context, tx *sql.Tx, d roster.Decision, at string) (int64, error) {
	var item any
	if d.ItemID != 0 {
		item = d.ItemID
	}
	r, err := tx.ExecContext(ctx, `INSERT INTO decisions(a_source, a_edition, a_ref, a_fingerprint, b_source, b_edition, b_ref,
		b_fingerprint, item_id, verdict, reason, decided_by, decided_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		d.A.Source, d.A.Edition, d.A.Ref, d.A.Fingerprint, d.B.Source, d.B.Edition, d.B.Ref, d.B.Fingerprint,
		item, d.Verdict, d.Reason, d.By, at)
	if err != nil {
		return 0, fmt.Errorf("insert decision: %w", err)
	}
	return r.LastInsertId()
}

func insertAudit(ctx context.Context, tx *sql.Tx, at, actor, action string, decisionID, itemID int64, verdict, reason string, detail any) error {
	b, err := json.Marshal(detail)
	if err != nil {
		return err
	}
	var did, iid any
	if decisionID != 0 {
		did = decisionID
	}
	if itemID != 0 {
		iid = itemID
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO audit(at, actor, action, decision_id, item_id, verdict, reason, detail)
		VALUES(?,?,?,?,?,?,?,?)`, at, actor, action, did, iid, verdict, reason, string(b))
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

func sideRef(sd roster.Side) string { return roster.FormatRef(sd.Source, sd.Edition, sd.Ref, true) }

// sameSide reports whether two sides name the same record: by reference,
// or by fingerprint within the same source.
func sameSide(x, y roster.Side) bool {
	if x.Source != y.Source {
		return false
	}
	if x.Edition == y.Edition && x.Ref == y.Ref {
		return true
	}
	return x.Fingerprint != "" && x.Fingerprint == y.Fingerprint
}

func samePair(d roster.Decision, a, b roster.Side) bool {
	return (sameSide(d.A, a) && sameSide(d.B, b)) || (sameSide(d.A, b) && sameSide(d.B, a))
}

// supersede undoes the active decisions on the same pair as d (other than
// d itself), logging each undo, so that the matcher never sees two verdicts
// on one pair.
func (s *Store) supersede(ctx context.Context, tx *sql.Tx, d roster.Decision, at string) error {
	if d.A.Source == "" || d.B.Source == "" {
		return nil
	}
	olds, err := s.queryDecisions(ctx, tx, `WHERE undone = 0 AND id <> ? AND ((a_source = ? AND b_source = ?) OR (a_source = ? AND b_source = ?))`,
		d.ID, d.A.Source, d.B.Source, d.B.Source, d.A.Source)
	if err != nil {
		return err
	}
	for _, o := range olds {
		if !samePair(o, d.A, d.B) {
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE decisions SET undone = 1 WHERE id = ?`, o.ID); err != nil {
			return err
		}
		detail := map[string]any{"superseded_by": d.ID, "records": []string{sideRef(o.A), sideRef(o.B)}}
		if err := insertAudit(ctx, tx, at, d.By, ActionUndo, o.ID, o.ItemID, o.Verdict, "superseded by decision "+fmt.Sprint(d.ID), detail); err != nil {
			return err
		}
		if o.ItemID != 0 {
			// The old item now carries the new decision.
			if _, err := tx.ExecContext(ctx, `UPDATE review_items SET decision_id = ?, version = version + 1
				WHERE id = ? AND state = 'decided' AND decision_id = ?`, d.ID, o.ItemID, o.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// DecideItem decides an open item. version is the item's Version as the
// analyst saw it (-1 = don't check). It returns a *roster.Error with code
// ECONFLICT and a message naming who decided it and when if it was decided
// meanwhile. same and different need an item about exactly two records
// (they become must-link and cannot-link constraints for the next match).
func (s *Store) DecideItem(ctx context.Context, id, version int64, verdict, reason, by string) (roster.Decision, error) {
	if err := checkDecision(verdict, reason, by); err != nil {
		return roster.Decision{}, err
	}
	var d roster.Decision
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		it, err := reviewItemTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if it.State != StateOpen || (version >= 0 && version != it.Version) {
			return alreadyDecided(ctx, tx, it)
		}
		a, b, pair, err := sidesOf(ctx, tx, it)
		if err != nil {
			return err
		}
		if !pair && (verdict == roster.VerdictSame || verdict == roster.VerdictDifferent) {
			return roster.Errorf(roster.EINVALID, "item %d (%s) is not about two records: decide it with unsure or dismiss, "+
				"or use roster decide REF1 REF2 %s", id, it.Kind, verdict)
		}
		at := s.now()
		d = roster.Decision{A: a, B: b, ItemID: id, Verdict: verdict, Reason: reason, By: by}
		d.At, _ = time.Parse(time.RFC3339, at)
		if d.ID, err = insertDecision(ctx, tx, d, at); err != nil {
			return err
		}
		r, err := tx.ExecContext(ctx, `UPDATE review_items SET state = 'decided', decision_id = ?, version = version + 1
			WHERE id = ? AND version = ? AND state = 'open'`, d.ID, id, it.Version)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n != 1 {
			cur, err := reviewItemTx(ctx, tx, id)
			if err != nil {
				return err
			}
			return alreadyDecided(ctx, tx, cur)
		}
		if err := freezePayload(ctx, tx, id, it.Kind, it.Records, it.Payload); err != nil {
			return err
		}
		detail := map[string]any{"key": it.Key, "kind": it.Kind, "title": it.Title, "records": it.Records}
		if err := insertAudit(ctx, tx, at, by, ActionDecide, d.ID, id, verdict, reason, detail); err != nil {
			return err
		}
		if pair {
			return s.supersede(ctx, tx, d, at)
		}
		return nil
	})
	if err != nil {
		return roster.Decision{}, err
	}
	return d, nil
}

// UndoItem undoes the decision on a decided item and reopens it; the undo
// is logged. An item that is not decided gives ECONFLICT.
func (s *Store) UndoItem(ctx context.Context, id int64, by string) error {
	if strings.TrimSpace(by) == "" {
		return roster.Errorf(roster.EINVALID, "an undo needs the name of who made it")
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		it, err := reviewItemTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if it.State != StateDecided || it.DecisionID == 0 {
			return roster.Errorf(roster.ECONFLICT, "item %d is %s, not decided: nothing to undo", id, it.State)
		}
		return s.undoTx(ctx, tx, it.DecisionID, by)
	})
}

// UndoDecision undoes one decision (made on an item or directly on a pair)
// and reopens the item it settled; the undo is logged.
func (s *Store) UndoDecision(ctx context.Context, decisionID int64, by string) error {
	if strings.TrimSpace(by) == "" {
		return roster.Errorf(roster.EINVALID, "an undo needs the name of who made it")
	}
	return s.withTx(ctx, func(tx *sql.Tx) error { return s.undoTx(ctx, tx, decisionID, by) })
}

func (s *Store) undoTx(ctx context.Context, tx *sql.Tx, decisionID int64, by string) error {
	d, err := scanDecision(tx.QueryRowContext(ctx, `SELECT `+decisionCols+` FROM decisions WHERE id = ?`, decisionID))
	if err != nil {
		return notFound(err, "no decision %d", decisionID)
	}
	if d.Undone {
		return roster.Errorf(roster.ECONFLICT, "decision %d was already undone", decisionID)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE decisions SET undone = 1 WHERE id = ?`, d.ID); err != nil {
		return err
	}
	// Reopen every item this decision settles (its own, and items it took
	// over from decisions it superseded).
	rows, err := tx.QueryContext(ctx, `SELECT id FROM review_items WHERE decision_id = ?`, d.ID)
	if err != nil {
		return err
	}
	var items []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		items = append(items, id)
	}
	rows.Close()
	for _, id := range items {
		if _, err := tx.ExecContext(ctx, `UPDATE review_items SET state = 'open', decision_id = NULL, version = version + 1
			WHERE id = ?`, id); err != nil {
			return err
		}
	}
	itemID := d.ItemID
	if itemID == 0 && len(items) > 0 {
		itemID = items[0]
	}
	detail := map[string]any{"undone_decision": d.ID, "reopened_items": items}
	if d.A.Source != "" {
		detail["records"] = []string{sideRef(d.A), sideRef(d.B)}
	}
	return insertAudit(ctx, tx, s.now(), by, ActionUndo, d.ID, itemID, d.Verdict, "", detail)
}

// DecidePair records a verdict on any two records, queued or not: how an
// analyst splits a wrong auto-link (different) or joins two persons (same).
// Sides without a fingerprint get the one of the current clustering. Open
// items about exactly these two records are settled by the decision, and
// an earlier active decision on the same pair is superseded.
func (s *Store) DecidePair(ctx context.Context, a, b roster.Side, verdict, reason, by string) (roster.Decision, error) {
	if err := checkDecision(verdict, reason, by); err != nil {
		return roster.Decision{}, err
	}
	if a.Source == "" || a.Ref == "" || b.Source == "" || b.Ref == "" {
		return roster.Decision{}, roster.Errorf(roster.EINVALID, "a pair decision needs two records")
	}
	if a.Source == b.Source && a.Edition == b.Edition && a.Ref == b.Ref {
		return roster.Decision{}, roster.Errorf(roster.EINVALID, "%s and %s are the same record", sideRef(a), sideRef(b))
	}
	var d roster.Decision
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		if err := fillFingerprint(ctx, tx, &a); err != nil {
			return err
		}
		if err := fillFingerprint(ctx, tx, &b); err != nil {
			return err
		}
		at := s.now()
		// Open items about exactly this pair.
		ra, rb := sideRef(a), sideRef(b)
		rows, err := tx.QueryContext(ctx, `SELECT `+reviewCols+` FROM review_items WHERE state = 'open'
			AND json_array_length(records) = 2
			AND EXISTS (SELECT 1 FROM json_each(review_items.records) j WHERE j.value = ?)
			AND EXISTS (SELECT 1 FROM json_each(review_items.records) j WHERE j.value = ?) ORDER BY id`, ra, rb)
		if err != nil {
			return err
		}
		var items []roster.ReviewItem
		for rows.Next() {
			it, err := scanReviewItem(rows)
			if err != nil {
				rows.Close()
				return err
			}
			items = append(items, it)
		}
		rows.Close()
		d = roster.Decision{A: a, B: b, Verdict: verdict, Reason: reason, By: by}
		if len(items) > 0 {
			d.ItemID = items[0].ID
		}
		d.At, _ = time.Parse(time.RFC3339, at)
		if d.ID, err = insertDecision(ctx, tx, d, at); err != nil {
			return err
		}
		for _, it := range items {
			if _, err := tx.ExecContext(ctx, `UPDATE review_items SET state = 'decided', decision_id = ?, version = version + 1
				WHERE id = ? AND state = 'open'`, d.ID, it.ID); err != nil {
				return err
			}
			if err := freezePayload(ctx, tx, it.ID, it.Kind, it.Records, it.Payload); err != nil {
				return err
			}
		}
		detail := map[string]any{"records": []string{ra, rb}, "fingerprints": []string{a.Fingerprint, b.Fingerprint}}
		if err := insertAudit(ctx, tx, at, by, ActionDecide, d.ID, d.ItemID, verdict, reason, detail); err != nil {
			return err
		}
		return s.supersede(ctx, tx, d, at)
	})
	if err != nil {
		return roster.Decision{}, err
	}
	return d, nil
}

// AuditEntry is one line of the append-only audit log.
type AuditEntry struct {
	ID                                     int64
	At                                     time.Time
	Actor, Action, Verdict, Reason, Detail string
	DecisionID, ItemID                     int64
}

func (s *Store) queryAudit(ctx context.Context, where string, args ...any) ([]AuditEntry, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, at, actor, action, coalesce(decision_id, 0), coalesce(item_id, 0),
		verdict, reason, detail FROM audit `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	defer rows.Close()
	out := []AuditEntry{}
	for rows.Next() {
		var e AuditEntry
		var at string
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.DecisionID, &e.ItemID, &e.Verdict, &e.Reason, &e.Detail); err != nil {
			return nil, err
		}
		e.At, _ = time.Parse(time.RFC3339, at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// Audit returns the whole audit log, oldest first.
func (s *Store) Audit(ctx context.Context) ([]AuditEntry, error) {
	return s.queryAudit(ctx, `ORDER BY id`)
}

// ItemDecisions returns the history of one item: the audit entries about
// it or about decisions that settled it, oldest first.
func (s *Store) ItemDecisions(ctx context.Context, itemID int64) ([]AuditEntry, error) {
	return s.queryAudit(ctx, `WHERE item_id = ? OR decision_id IN (SELECT id FROM decisions WHERE item_id = ?)
		OR decision_id IN (SELECT decision_id FROM review_items WHERE id = ? AND decision_id IS NOT NULL) ORDER BY id`,
		itemID, itemID, itemID)
}

// BuildStats says what saving a rebuilt queue did.
type BuildStats struct {
	Items    int // items built
	New      int // items seen for the first time
	Kept     int // items that existed and still apply (state kept)
	Reopened int // stale items that apply again
	Decided  int // items settled by an existing decision (e.g. made with roster decide)
	Stale    int // open items that no longer apply
	Open     int // open items after the save
	Written  int // existing items whose content (title, payload, impact, records…) changed and was rewritten
}

// contentSep separates an item's content fields when they are hashed; the
// fixed fields and JSON never contain it, so the split is unambiguous.
const contentSep = "\x1f"

// contentSQL is an item's content as one string, hashed to tell whether a
// rebuilt item differs from the stored one (impact is compared apart).
const contentSQL = `r.kind || char(31) || r.source || char(31) || r.grp || char(31) || r.person_id || char(31) ||
	r.records || char(31) || r.title || char(31) || r.payload`

var contentSeed = maphash.MakeSeed()

// contentHash hashes an item's content as contentSQL concatenates it.
func contentHash(h *maphash.Hash, kind, source, grp, person string, records []byte, title, payload string) uint64 {
	h.Reset()
	for _, f := range [...]string{kind, source, grp, person} {
		h.WriteString(f)
		h.WriteString(contentSep)
	}
	h.Write(records)
	h.WriteString(contentSep)
	h.WriteString(title)
	h.WriteString(contentSep)
	h.WriteString(payload)
	return h.Sum64()
}

// appendRecordsJSON appends the JSON array of an item's records, as
// json.Marshal writes it.
func appendRecordsJSON(b []byte, recs []string) []byte {
	b = append(b, '[')
	for i, r := range recs {
		if i > 0 {
			b = append(b, ',')
		}
		plain := true
		for j := 0; j < len(r) && plain; j++ {
			c := r[j]
			plain = c >= 0x20 && c < 0x80 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
		}
		if plain {
			b = append(b, '"')
			b = append(b, r...)
			b = append(b, '"')
			continue
		}
		q, _ := json.Marshal(r) // a string always marshals
		b = append(b, q...)
	}
	return append(b, ']')
}

// SaveReviewItems upserts a rebuilt queue by key in one transaction: a new
// key is inserted (with the state the builder gave: open, or decided when
// an active decision already settles it); an existing item keeps its state
// (an item already decided is not asked again) and gets the new title,
// payload, impact and records when they changed (an unchanged item is not
// written, so updated_run is the run that last changed it); open items
// whose key is missing become stale (never deleted); stale items that
// apply again reopen. The payload of an item that is decided after the
// save and was written by it is completed and kept (see freezePayload).
//
// When most stored items change (a new payload format, or a re-match that
// moves every score), the table is rewritten rather than updated row by
// row: SQLite updates a million rows in place several times slower than it
// writes them afresh, and shrinking rows in place leaves the table as
// large as before. Item IDs, states, versions and runs are kept either way.
func (s *Store) SaveReviewItems(ctx context.Context, runID int64, items []roster.ReviewItem) (BuildStats, error) {
	var st BuildStats
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		ex, err := readReviewState(ctx, tx)
		if err != nil {
			return err
		}
		plan, err := planReviewSave(ex, items, &st)
		if err != nil {
			return err
		}
		if len(ex.rows) >= rewriteMin && float64(plan.changed) >= rewriteShare*float64(len(ex.rows)) {
			err = rewriteReviewItems(ctx, tx, runID, ex, plan, items)
		} else {
			err = updateReviewItems(ctx, tx, runID, ex, plan, items)
		}
		if err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM review_items WHERE state = 'open'`).Scan(&st.Open)
	})
	if err != nil {
		return BuildStats{}, fmt.Errorf("save review items: %w", err)
	}
	return st, nil
}

// A save rewrites the table when at least rewriteMin items are stored and
// it changes at least rewriteShare of them (tests change these).
var (
	rewriteMin   = 10000
	rewriteShare = 0.75
)

// storedItem is what a save needs to know of a stored item.
type storedItem struct {
	id, decision int64
	state        string
	undone       bool
	built        int32 // index of the rebuilt item with its key, -1 if none
	hash         uint64
	impact       float64
	version      int64
	createdRun   int64
	updatedRun   int64
}

type reviewState struct {
	rows  []storedItem
	byKey map[string]int32
}

func readReviewState(ctx context.Context, tx *sql.Tx) (reviewState, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM review_items`).Scan(&n); err != nil {
		return reviewState{}, err
	}
	ex := reviewState{rows: make([]storedItem, 0, n), byKey: make(map[string]int32, n)}
	rows, err := tx.QueryContext(ctx, `SELECT r.id, r.key, r.state, coalesce(r.decision_id, 0), coalesce(d.undone, 0),
		`+contentSQL+`, r.impact, r.version, r.created_run, r.updated_run
		FROM review_items r LEFT JOIN decisions d ON d.id = r.decision_id`)
	if err != nil {
		return ex, err
	}
	defer rows.Close()
	for rows.Next() {
		c := storedItem{built: -1}
		var key, content string
		var undone int
		if err := rows.Scan(&c.id, &key, &c.state, &c.decision, &undone, &content, &c.impact, &c.version, &c.createdRun,
			&c.updatedRun); err != nil {
			return ex, err
		}
		switch c.state { // one copy of each state string
		case StateOpen:
			c.state = StateOpen
		case StateDecided:
			c.state = StateDecided
		case StateStale:
			c.state = StateStale
		}
		c.undone = undone != 0
		c.hash = maphash.String(contentSeed, content)
		ex.byKey[key] = int32(len(ex.rows))
		ex.rows = append(ex.rows, c)
	}
	return ex, rows.Err()
}

// savePlan says what a save does to each rebuilt item.
type savePlan struct {
	steps   []saveStep // one per item
	changed int        // stored items whose content changes
}

type saveStep struct {
	stored   int32 // index in reviewState.rows, -1 for a new item
	changed  bool  // content to write (always for a new item)
	state    string
	decision int64
}

// planReviewSave decides each item's fate and counts it in st.
func planReviewSave(ex reviewState, items []roster.ReviewItem, st *BuildStats) (savePlan, error) {
	plan := savePlan{steps: make([]saveStep, len(items))}
	// Repeated keys: adjacent when the items are sorted by key (as
	// review.Build gives them), else found with a map.
	sorted := sort.SliceIsSorted(items, func(i, j int) bool { return items[i].Key < items[j].Key })
	var seenNew map[string]bool
	if !sorted {
		seenNew = map[string]bool{}
	}
	var rb []byte
	var h maphash.Hash
	h.SetSeed(contentSeed)
	for i := range items {
		it := &items[i]
		ci, ok := ex.byKey[it.Key]
		if it.Key == "" || (ok && ex.rows[ci].built >= 0) || (sorted && i > 0 && items[i-1].Key == it.Key) || (!sorted && !ok && seenNew[it.Key]) {
			return plan, fmt.Errorf("review item %q: empty or repeated key", it.Key)
		}
		st.Items++
		state := StateOpen
		if it.DecisionID != 0 {
			state = StateDecided
		}
		if !ok {
			if !sorted {
				seenNew[it.Key] = true
			}
			plan.steps[i] = saveStep{stored: -1, changed: true, state: state, decision: it.DecisionID}
			st.New++
			if state == StateDecided {
				st.Decided++
			}
			continue
		}
		c := &ex.rows[ci]
		c.built = int32(i)
		rb = appendRecordsJSON(rb[:0], it.Records)
		payload := it.Payload
		if payload == "" {
			payload = "{}"
		}
		step := saveStep{stored: ci, state: c.state, decision: c.decision,
			changed: c.impact != it.Impact || c.hash != contentHash(&h, it.Kind, it.Source, it.Group, it.PersonID, rb, it.Title, payload)}
		if step.changed {
			plan.changed++
			st.Written++
		}
		switch {
		case c.state == StateDecided && !c.undone:
			st.Kept++
		case c.state == StateOpen && it.DecisionID != 0:
			step.state, step.decision = StateDecided, it.DecisionID
			st.Decided++
		case c.state == StateOpen:
			st.Kept++
		default: // stale, or decided by a decision since undone
			step.state, step.decision = state, it.DecisionID
			if state == StateDecided {
				st.Decided++
			} else {
				st.Reopened++
			}
		}
		plan.steps[i] = step
	}
	for _, c := range ex.rows {
		if c.built < 0 && c.state == StateOpen {
			st.Stale++
		}
	}
	return plan, nil
}

// nullID is a decision ID as a column value: NULL for none.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// freezes returns the decided items whose payload the plan writes (by
// index), which freezePayload completes once their IDs are known.
func (p savePlan) freezes(ex reviewState) []int {
	var out []int
	for i, step := range p.steps {
		if step.state != StateDecided {
			continue
		}
		if step.stored < 0 || step.changed || ex.rows[step.stored].state != StateDecided {
			out = append(out, i)
		}
	}
	return out
}

// updateReviewItems applies a plan row by row.
func updateReviewItems(ctx context.Context, tx *sql.Tx, runID int64, ex reviewState, plan savePlan, items []roster.ReviewItem) error {
	ins, err := tx.PrepareContext(ctx, `INSERT INTO review_items(key, kind, state, source, grp, person_id, records, title,
		payload, impact, decision_id, created_run, updated_run) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?12)`)
	if err != nil {
		return err
	}
	defer ins.Close()
	upd, err := tx.PrepareContext(ctx, `UPDATE review_items SET kind = ?, source = ?, grp = ?, person_id = ?, records = ?,
		title = ?, payload = ?, impact = ?, updated_run = ? WHERE id = ?`)
	if err != nil {
		return err
	}
	defer upd.Close()
	setState, err := tx.PrepareContext(ctx, `UPDATE review_items SET state = ?, decision_id = ?, version = version + 1 WHERE id = ?`)
	if err != nil {
		return err
	}
	defer setState.Close()
	ids := make(map[int]int64) // item -> ID, for the items to freeze
	freeze := plan.freezes(ex)
	for _, i := range freeze {
		ids[i] = 0
	}
	var rb []byte
	for i := range items {
		it, step := &items[i], plan.steps[i]
		rb = appendRecordsJSON(rb[:0], it.Records)
		payload := it.Payload
		if payload == "" {
			payload = "{}"
		}
		if step.stored < 0 {
			r, err := ins.ExecContext(ctx, it.Key, it.Kind, step.state, it.Source, it.Group, it.PersonID, string(rb), it.Title,
				payload, it.Impact, nullID(step.decision), runID)
			if err != nil {
				return fmt.Errorf("review item %s: %w", it.Key, err)
			}
			if _, ok := ids[i]; ok {
				if ids[i], err = r.LastInsertId(); err != nil {
					return err
				}
			}
			continue
		}
		c := ex.rows[step.stored]
		if _, ok := ids[i]; ok {
			ids[i] = c.id
		}
		if step.changed {
			if _, err := upd.ExecContext(ctx, it.Kind, it.Source, it.Group, it.PersonID, string(rb), it.Title, payload,
				it.Impact, runID, c.id); err != nil {
				return fmt.Errorf("review item %s: %w", it.Key, err)
			}
		}
		if step.state != c.state || step.decision != c.decision {
			if _, err := setState.ExecContext(ctx, step.state, nullID(step.decision), c.id); err != nil {
				return err
			}
		}
	}
	if err := freezeAll(ctx, tx, freeze, ids, items); err != nil {
		return err
	}
	var stale []int64
	for _, c := range ex.rows {
		if c.built < 0 && c.state == StateOpen {
			stale = append(stale, c.id)
		}
	}
	if len(stale) == 0 {
		return nil
	}
	mark, err := tx.PrepareContext(ctx, `UPDATE review_items SET state = 'stale', version = version + 1, updated_run = ? WHERE id = ?`)
	if err != nil {
		return err
	}
	defer mark.Close()
	for _, id := range stale {
		if _, err := mark.ExecContext(ctx, runID, id); err != nil {
			return err
		}
	}
	return nil
}

func freezeAll(ctx context.Context, tx *sql.Tx, freeze []int, ids map[int]int64, items []roster.ReviewItem) error {
	for _, i := range freeze {
		it := &items[i]
		if err := freezePayload(ctx, tx, ids[i], it.Kind, it.Records, it.Payload); err != nil {
			return err
		}
	}
	return nil
}

// reviewRowCols are the columns of a review item, as rewriteReviewItems
// copies them.
const reviewRowCols = `id, key, kind, state, source, grp, person_id, records, title, payload, impact, decision_id, version,
	created_run, updated_run`

// rewriteReviewItems applies a plan by emptying the table and writing it
// again: the stored items that were rebuilt from memory, with their IDs,
// in ID order; those that were not (set aside in a temporary table, the
// open ones now stale) by ID; then the new items, which get the next IDs
// as they would in place.
func rewriteReviewItems(ctx context.Context, tx *sql.Tx, runID int64, ex reviewState, plan savePlan, items []roster.ReviewItem) error {
	for _, q := range []string{
		`DROP TABLE IF EXISTS temp.review_keep`,
		`CREATE TEMP TABLE review_keep AS SELECT ` + reviewRowCols + ` FROM main.review_items WHERE 0`,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	keep, err := tx.PrepareContext(ctx, `INSERT INTO temp.review_keep SELECT `+reviewRowCols+` FROM main.review_items WHERE id = ?`)
	if err != nil {
		return err
	}
	defer keep.Close()
	var rebuilt []int32 // stored items rebuilt, by ID
	for ci, c := range ex.rows {
		if c.built >= 0 {
			rebuilt = append(rebuilt, int32(ci))
			continue
		}
		if _, err := keep.ExecContext(ctx, c.id); err != nil {
			return err
		}
	}
	sort.Slice(rebuilt, func(i, j int) bool { return ex.rows[rebuilt[i]].id < ex.rows[rebuilt[j]].id })
	if _, err := tx.ExecContext(ctx, `DELETE FROM main.review_items`); err != nil {
		return err
	}
	put, err := tx.PrepareContext(ctx, `INSERT INTO main.review_items(`+reviewRowCols+`) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`)
	if err != nil {
		return err
	}
	defer put.Close()
	ids := map[int]int64{}
	freeze := plan.freezes(ex)
	for _, i := range freeze {
		ids[i] = 0
	}
	var rb []byte
	for _, ci := range rebuilt {
		c := ex.rows[ci]
		i := int(c.built)
		it, step := &items[i], plan.steps[i]
		rb = appendRecordsJSON(rb[:0], it.Records)
		payload := it.Payload
		if payload == "" {
			payload = "{}"
		}
		version, updated := c.version, c.updatedRun
		if step.state != c.state || step.decision != c.decision {
			version++
		}
		if step.changed {
			updated = runID
		}
		if _, err := put.ExecContext(ctx, c.id, it.Key, it.Kind, step.state, it.Source, it.Group, it.PersonID, string(rb), it.Title,
			payload, it.Impact, nullID(step.decision), version, c.createdRun, updated); err != nil {
			return fmt.Errorf("review item %s: %w", it.Key, err)
		}
		if _, ok := ids[i]; ok {
			ids[i] = c.id
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO main.review_items(`+reviewRowCols+`)
		SELECT id, key, kind, CASE state WHEN 'open' THEN 'stale' ELSE state END, source, grp, person_id, records, title, payload,
			impact, decision_id, CASE state WHEN 'open' THEN version + 1 ELSE version END, created_run,
			CASE state WHEN 'open' THEN ? ELSE updated_run END
		FROM temp.review_keep ORDER BY id`, runID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DROP TABLE temp.review_keep`); err != nil {
		return err
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO review_items(key, kind, state, source, grp, person_id, records, title,
		payload, impact, decision_id, created_run, updated_run) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?12)`)
	if err != nil {
		return err
	}
	defer ins.Close()
	for i := range items {
		it, step := &items[i], plan.steps[i]
		if step.stored >= 0 {
			continue
		}
		rb = appendRecordsJSON(rb[:0], it.Records)
		payload := it.Payload
		if payload == "" {
			payload = "{}"
		}
		r, err := ins.ExecContext(ctx, it.Key, it.Kind, step.state, it.Source, it.Group, it.PersonID, string(rb), it.Title,
			payload, it.Impact, nullID(step.decision), runID)
		if err != nil {
			return fmt.Errorf("review item %s: %w", it.Key, err)
		}
		if _, ok := ids[i]; ok {
			if ids[i], err = r.LastInsertId(); err != nil {
				return err
			}
		}
	}
	return freezeAll(ctx, tx, freeze, ids, items)
}

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
}

// interner keeps one copy of the strings that repeat across records
// (sources, editions, groups, labels, statuses…), up to a bound.
type interner map[string]string

func (in interner) get(s string) string {
	if s == "" {
		return ""
	}
	if t, ok := in[s]; ok {
		return t
	}
	if len(in) < 1<<17 {
		in[s] = s
	}
	return s
}

// ReadReviewInput reads every record, the current clustering, the scored
// pairs of the last run and the active decisions. detail also reads what
// only a record's display needs (location, raw row, charges, place, notes,
// IDs and row numbers): roster diff shows it; the queue does not.
func (s *Store) ReadReviewInput(ctx context.Context, detail bool) (ReviewInput, error) {
	var in ReviewInput
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
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
	return in, nil
}

// readReviewRecords appends the records and their memberships to in, in
// the order given; ordered reports whether they came by file and row
// within each list.
func readReviewRecords(ctx context.Context, tx *sql.Tx, in *ReviewInput, str interner, detail bool, order string) (ordered bool, err error) {
	cols := `l.source, l.edition, r.ref, r.name, r.surname, r.given, r.patronymic, r.birth_year, r.birth_date, r.gender, r.grp,
		r.group_raw, r.case_name, r.arrest_date, r.sentence, r.status, m.ref IS NOT NULL, coalesce(m.person_id, ''),
		coalesce(m.fingerprint, ''), r.list_id, r.file_id, r.row`
	if detail {
		cols += `, r.id, r.location, r.charges, r.place, r.notes, r.raw`
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
		&x.Gender, &x.Group, &x.GroupRaw, &x.Case, &x.ArrestDate, &x.Sentence, &x.Status, &member, &m.PersonID, &m.Fingerprint,
		&x.ListID, &file, &x.Row}
	if detail {
		dest = append(dest, &x.ID, &x.Location, &x.Charges, &x.Place, &x.Notes, &x.Raw)
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
		in.Records = append(in.Records, x)
		if member {
			m.Source, m.Edition, m.Ref = x.Source, x.Edition, x.Ref
			in.Members = append(in.Members, m)
		}
	}
	return ordered, rows.Err()
}

// ReviewItemByKey returns the item with a content key
// ("group-gap:mhm:anti-war"); ENOTFOUND when there is none.
func (s *Store) ReviewItemByKey(ctx context.Context, key string) (roster.ReviewItem, error) {
	it, err := scanReviewItem(s.db.QueryRowContext(ctx, `SELECT `+reviewCols+` FROM review_items WHERE key = ?`, key))
	if err != nil {
		return it, notFound(err, "no review item %q", key)
	}
	return it, completePayload(ctx, s.db, &it)
}

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
func completePayload(ctx context.Context, q rowQuerier, it *roster.ReviewItem) error {
	var m map[string]json.RawMessage
	if json.Unmarshal([]byte(it.Payload), &m) != nil || m == nil {
		return nil
	}
	if _, ok := m["explanation"]; !ok && isPairKind(it.Kind) && len(it.Records) == 2 {
		expl, ok, err := pairExplanation(ctx, q, it.Records[0], it.Records[1])
		if err != nil {
			return err
		}
		if ok {
			m["explanation"] = explanationValue(expl)
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
	case recordsOf(it.Kind) && len(it.Records) <= maxCompleted:
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
	if _, ok := m["sides"]; !ok && len(it.Records) == 2 && (isPairKind(it.Kind) || it.Kind == roster.KindConflict) {
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
func completeRecord(ctx context.Context, q rowQuerier, r *roster.RecordView, fps map[string]string, lookup bool) (found bool, err error) {
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
func pairExplanation(ctx context.Context, q rowQuerier, a, b string) (string, bool, error) {
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
