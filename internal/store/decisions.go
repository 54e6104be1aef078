package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

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

// validVerdict reports whether v is a verdict of some kind.
func validVerdict(v string) bool {
	for _, k := range roster.Kinds {
		if roster.VerdictAllowed(k, true, v) {
			return true
		}
	}
	return false
}

func checkDecision(verdict, reason, by string) error {
	if !validVerdict(verdict) {
		return roster.Errorf(roster.EINVALID, "verdict %q: want same, different, unsure, dismiss, confirm, not-omission, "+
			"out-of-scope, comprehensive or map:GROUP", verdict)
	}
	if err := CheckReason(reason); err != nil {
		return err
	}
	if strings.TrimSpace(by) == "" {
		return roster.Errorf(roster.EINVALID, "a decision needs the name of who made it")
	}
	return nil
}

// CheckReason checks a decision's reason: given, and at most
// roster.MaxReason characters (the audit log keeps every one for good).
func CheckReason(reason string) error {
	if strings.TrimSpace(reason) == "" {
		return roster.Errorf(roster.EINVALID, "a decision needs a reason")
	}
	if n := utf8.RuneCountInString(reason); n > roster.MaxReason {
		return roster.Errorf(roster.EINVALID, "the reason is %d characters long; the audit log keeps at most %d: shorten it "+
			"(cite a longer note instead of pasting it)", n, roster.MaxReason)
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
// is not about whether exactly two records are one person (a match, a
// duplicate, a conflict between two records). A group gap or an omission
// that happens to list two records decides nothing about them as a pair.
func sidesOf(ctx context.Context, tx *sql.Tx, it roster.ReviewItem) (a, b roster.Side, ok bool, err error) {
	if len(it.Records) != 2 || !(isPairKind(it.Kind) || it.Kind == roster.KindConflict) {
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
func fillFingerprint(ctx context.Context, q querier, sd *roster.Side) error {
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

// Outcomes of DecideItem.
const (
	OutcomeDecided   = "decided"   // the item is settled
	OutcomeUnsure    = "unsure"    // recorded; the item stays open for a second look
	OutcomeVoted     = "voted"     // blind double review: the first vote, waiting for a second analyst
	OutcomeAgreed    = "agreed"    // the second vote agrees with the first: the item is settled
	OutcomeDisagreed = "disagreed" // the votes disagree: an adjudication item is opened
)

// DecideResult is what deciding an item did: the decision recorded (none
// for a vote, which stays secret until the round is settled), the
// outcome, and the adjudication item opened on a disagreement.
type DecideResult struct {
	roster.Decision
	Outcome      string
	Adjudication int64
}

// DecideItem decides an open item. version is the item's Version as the
// analyst saw it (-1 = don't check). It returns a *roster.Error with code
// ECONFLICT and a message naming who decided it and when if it was decided
// meanwhile. Each kind accepts its own verdicts (roster.Verdicts): same
// and different need an item about exactly two records (they become
// must-link and cannot-link constraints for the next match); map:GROUP
// maps an unknown label to a group; comprehensive confirms a source's
// scope. by must be an analyst or an admin (when the database has
// accounts).
//
// unsure records the decision and keeps the item open for a second look.
// An item of a kind under blind double review (SetDoubleReview) takes a
// vote from each of two analysts: agreement settles it, disagreement
// opens an adjudication item for a third analyst or an admin, whose
// verdict settles both.
func (s *Store) DecideItem(ctx context.Context, id, version int64, verdict, reason, by string) (DecideResult, error) {
	if err := checkDecision(verdict, reason, by); err != nil {
		return DecideResult{}, err
	}
	var res DecideResult
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		if err := authorize(ctx, tx, by, RoleAnalyst, "decide review items"); err != nil {
			return err
		}
		it, err := reviewItemTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if it.State != StateOpen || (version >= 0 && version != it.Version) {
			return alreadyDecided(ctx, tx, it)
		}
		if it.Held {
			adj, _ := adjudicationOf(ctx, tx, it)
			return roster.Errorf(roster.ECONFLICT, "item %d waits for adjudication (item %d): two analysts disagreed on it", id, adj)
		}
		at := s.now()
		if it.Kind == roster.KindAdjudication {
			res, err = s.adjudicate(ctx, tx, it, verdict, reason, by, at)
			return err
		}
		if err := checkVerdict(ctx, tx, it, verdict); err != nil {
			return err
		}
		if verdict == roster.VerdictUnsure {
			res, err = s.unsureTx(ctx, tx, it, reason, by, at)
			return err
		}
		double, err := doubleReview(ctx, tx, it.Kind)
		if err != nil {
			return err
		}
		if double {
			res, err = s.voteTx(ctx, tx, it, verdict, reason, by, at)
			return err
		}
		d, err := s.settle(ctx, tx, it, verdict, reason, by, at, nil)
		res = DecideResult{Decision: d, Outcome: OutcomeDecided}
		return err
	})
	if err != nil {
		return DecideResult{}, err
	}
	return res, nil
}

// checkVerdict checks that an item's kind accepts a verdict.
func checkVerdict(ctx context.Context, tx *sql.Tx, it roster.ReviewItem, verdict string) error {
	pair := len(it.Records) == 2
	if roster.VerdictAllowed(it.Kind, pair, verdict) {
		return nil
	}
	allowed := roster.Verdicts(it.Kind, pair)
	for i, v := range allowed {
		if v == roster.VerdictMap {
			allowed[i] = "map:GROUP"
		}
	}
	if (verdict == roster.VerdictSame || verdict == roster.VerdictDifferent) && !pair {
		return roster.Errorf(roster.EINVALID, "item %d (%s) is not about two records, so %s does not apply: decide it with %s, "+
			"or use roster decide REF1 REF2 %s", it.ID, it.Kind, verdict, strings.Join(allowed, ", "), verdict)
	}
	return roster.Errorf(roster.EINVALID, "a %s item takes %s, not %q", it.Kind, strings.Join(allowed, ", "), verdict)
}

// settle records the verdict that settles an item (by one analyst, by two
// who agreed, or by an adjudicator), with what the verdict does: a pair
// decision supersedes earlier ones on the pair; map:GROUP maps the label;
// comprehensive confirms the source's scope. detail adds to the audit
// entry.
func (s *Store) settle(ctx context.Context, tx *sql.Tx, it roster.ReviewItem, verdict, reason, by, at string,
	detail map[string]any) (roster.Decision, error) {
	a, b, pair, err := sidesOf(ctx, tx, it)
	if err != nil {
		return roster.Decision{}, err
	}
	d := roster.Decision{ItemID: it.ID, Verdict: verdict, Reason: reason, By: by}
	if pair {
		d.A, d.B = a, b
	}
	d.At, _ = time.Parse(time.RFC3339, at)
	if d.ID, err = insertDecision(ctx, tx, d, at); err != nil {
		return d, err
	}
	r, err := tx.ExecContext(ctx, `UPDATE review_items SET state = 'decided', decision_id = ?, version = version + 1, held = 0
		WHERE id = ? AND version = ? AND state = 'open'`, d.ID, it.ID, it.Version)
	if err != nil {
		return d, err
	}
	if n, _ := r.RowsAffected(); n != 1 {
		cur, err := reviewItemTx(ctx, tx, it.ID)
		if err != nil {
			return d, err
		}
		return d, alreadyDecided(ctx, tx, cur)
	}
	if err := freezePayload(ctx, tx, it.ID, it.Kind, it.Records, it.Payload); err != nil {
		return d, err
	}
	if detail == nil {
		detail = map[string]any{}
	}
	detail["key"], detail["kind"], detail["title"], detail["records"] = it.Key, it.Kind, it.Title, it.Records
	switch base, grp, _ := strings.Cut(verdict, ":"); base {
	case roster.VerdictMap:
		n, err := mapLabel(ctx, tx, it, grp, by, at)
		if err != nil {
			return d, err
		}
		detail["records_mapped"] = n
	case roster.VerdictComprehensive:
		if err := confirmComprehensive(ctx, tx, it.Source, by, at); err != nil {
			return d, err
		}
	}
	if err := insertAudit(ctx, tx, at, by, ActionDecide, d.ID, it.ID, verdict, reason, detail); err != nil {
		return d, err
	}
	if pair && (verdict == roster.VerdictSame || verdict == roster.VerdictDifferent || verdict == roster.VerdictDismiss) {
		return d, s.supersede(ctx, tx, d, at)
	}
	return d, nil
}

// unsureTx records an unsure answer: a decision in the log (not a
// constraint), and the item stays open, marked for a second look.
func (s *Store) unsureTx(ctx context.Context, tx *sql.Tx, it roster.ReviewItem, reason, by, at string) (DecideResult, error) {
	d := roster.Decision{ItemID: it.ID, Verdict: roster.VerdictUnsure, Reason: reason, By: by}
	d.At, _ = time.Parse(time.RFC3339, at)
	var err error
	if d.ID, err = insertDecision(ctx, tx, d, at); err != nil {
		return DecideResult{}, err
	}
	r, err := tx.ExecContext(ctx, `UPDATE review_items SET second_look = 1, version = version + 1
		WHERE id = ? AND version = ? AND state = 'open'`, it.ID, it.Version)
	if err != nil {
		return DecideResult{}, err
	}
	if n, _ := r.RowsAffected(); n != 1 {
		cur, err := reviewItemTx(ctx, tx, it.ID)
		if err != nil {
			return DecideResult{}, err
		}
		return DecideResult{}, alreadyDecided(ctx, tx, cur)
	}
	detail := map[string]any{"key": it.Key, "kind": it.Kind, "title": it.Title, "records": it.Records, "kept_open": true}
	if err := insertAudit(ctx, tx, at, by, ActionDecide, d.ID, it.ID, roster.VerdictUnsure, reason, detail); err != nil {
		return DecideResult{}, err
	}
	return DecideResult{Decision: d, Outcome: OutcomeUnsure}, nil
}

// AssignItem asks an analyst to take the second look at an open item (to
// "" clears it). by must be an analyst or an admin, and so must to.
func (s *Store) AssignItem(ctx context.Context, id int64, to, by string) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		if err := authorize(ctx, tx, by, RoleAnalyst, "assign review items"); err != nil {
			return err
		}
		if to != "" {
			var role string
			err := tx.QueryRowContext(ctx, `SELECT role FROM users WHERE name = ?`, to).Scan(&role)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				var n int
				if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users`).Scan(&n); err != nil {
					return err
				}
				if n > 0 {
					return roster.Errorf(roster.EINVALID, "no account %q to assign item %d to (roster user list)", to, id)
				}
			case err != nil:
				return err
			case !RoleAtLeast(role, RoleAnalyst):
				return roster.Errorf(roster.EINVALID, "%s is a viewer: assign the item to an analyst", to)
			}
		}
		it, err := reviewItemTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if it.State != StateOpen {
			return roster.Errorf(roster.ECONFLICT, "item %d is %s: only open items are assigned", id, it.State)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE review_items SET assigned_to = ?, second_look = CASE WHEN ? <> '' THEN 1 ELSE second_look END,
			version = version + 1 WHERE id = ?`, to, to, id); err != nil {
			return err
		}
		return insertAudit(ctx, tx, s.now(), by, ActionAssign, 0, id, "", "", map[string]any{"assigned_to": to, "key": it.Key})
	})
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
	if err := authorize(ctx, tx, by, RoleAnalyst, "undo decisions"); err != nil {
		return err
	}
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
		// An undone adjudication goes stale (its item reopens for a new
		// round of votes); any other item reopens, for a new round.
		if _, err := tx.ExecContext(ctx, `UPDATE review_items SET state = CASE kind WHEN 'adjudication' THEN 'stale' ELSE 'open' END,
			decision_id = NULL, version = version + 1, held = 0, round = round + 1 WHERE id = ?`, id); err != nil {
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
	if !roster.VerdictAllowed(roster.KindMatch, true, verdict) {
		return roster.Decision{}, roster.Errorf(roster.EINVALID, "verdict %q: a pair of records takes same, different, unsure or dismiss", verdict)
	}
	if a.Source == "" || a.Ref == "" || b.Source == "" || b.Ref == "" {
		return roster.Decision{}, roster.Errorf(roster.EINVALID, "a pair decision needs two records")
	}
	if a.Source == b.Source && a.Edition == b.Edition && a.Ref == b.Ref {
		return roster.Decision{}, roster.Errorf(roster.EINVALID, "%s and %s are the same record", sideRef(a), sideRef(b))
	}
	var d roster.Decision
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		if err := authorize(ctx, tx, by, RoleAnalyst, "decide pairs of records"); err != nil {
			return err
		}
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
			if verdict == roster.VerdictUnsure {
				// Unsure settles nothing: the items stay open for a second look.
				if _, err := tx.ExecContext(ctx, `UPDATE review_items SET second_look = 1, version = version + 1 WHERE id = ?`, it.ID); err != nil {
					return err
				}
				continue
			}
			if _, err := tx.ExecContext(ctx, `UPDATE review_items SET state = 'decided', decision_id = ?, version = version + 1, held = 0
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
		if verdict == roster.VerdictUnsure {
			return nil // doubt undoes no one's decision
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
