package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/roster-coalition/roster/internal/roster"
)

// Blind double review. A project may ask that items of some kinds be
// decided by two analysts independently (SetDoubleReview). Each analyst's
// decision is then a vote, kept in review_votes and shown to no one (the
// queue hides the item from its voter; the item page and the audit log do
// not show it) until a second analyst votes in the same round. Agreement
// settles the item under both names; disagreement holds the item and
// opens an adjudication item, for a third analyst or an admin, that shows
// both votes with their reasons. Both votes go to the audit log when the
// round is settled.

// settingDoubleReview names the setting with the kinds under double review.
const settingDoubleReview = "double_review"

// DoubleReviewKinds returns the kinds under blind double review, sorted.
func (s *Store) DoubleReviewKinds(ctx context.Context) ([]string, error) {
	return doubleReviewKinds(ctx, s.db)
}

func doubleReviewKinds(ctx context.Context, q querier) ([]string, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM settings WHERE name = ?`, settingDoubleReview).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) || v == "" {
		return []string{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read settings: %w", err)
	}
	return strings.Split(v, ","), nil
}

func doubleReview(ctx context.Context, q querier, kind string) (bool, error) {
	kinds, err := doubleReviewKinds(ctx, q)
	return slices.Contains(kinds, kind), err
}

// SetDoubleReview sets the kinds under blind double review (none turns it
// off); by must be an admin. Adjudication and scope items cannot be
// double reviewed. Votes already cast stay; an item whose kind is no
// longer double reviewed is decided by the next analyst alone.
func (s *Store) SetDoubleReview(ctx context.Context, by string, kinds []string) error {
	var clean []string
	for _, k := range kinds {
		k = strings.TrimSpace(k)
		if k == "" || slices.Contains(clean, k) {
			continue
		}
		if !slices.Contains(roster.Kinds, k) || k == roster.KindAdjudication || k == roster.KindScope {
			return roster.Errorf(roster.EINVALID, "kind %q cannot be double reviewed: want some of match, duplicate, conflict, "+
				"omission, group-gap, unknown-group, change", k)
		}
		clean = append(clean, k)
	}
	slices.Sort(clean)
	return s.setSetting(ctx, by, settingDoubleReview, strings.Join(clean, ","), clean)
}

// Vote is one analyst's blind decision on an item in a round.
type Vote struct {
	ID      int64
	ItemID  int64
	Round   int64
	Kind    string
	User    string
	Verdict string
	Reason  string
	At      time.Time
	Outcome string // "" (pending), agreed, disagreed
}

func scanVotes(rows *sql.Rows) ([]Vote, error) {
	defer rows.Close()
	var out []Vote
	for rows.Next() {
		var v Vote
		var at string
		if err := rows.Scan(&v.ID, &v.ItemID, &v.Round, &v.Kind, &v.User, &v.Verdict, &v.Reason, &at, &v.Outcome); err != nil {
			return nil, err
		}
		v.At, _ = time.Parse(time.RFC3339, at)
		out = append(out, v)
	}
	return out, rows.Err()
}

const voteCols = `id, item_id, round, kind, user, verdict, reason, at, outcome`

// Votes returns the votes of settled rounds (agreed or disagreed), by
// item and round: what the agreement statistics read. Pending votes are
// secret and left out.
func (s *Store) Votes(ctx context.Context) ([]Vote, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+voteCols+` FROM review_votes WHERE outcome <> '' ORDER BY item_id, round, at, id`)
	if err != nil {
		return nil, fmt.Errorf("votes: %w", err)
	}
	return scanVotes(rows)
}

// MyVote returns user's pending vote on an item's current round, if any
// (an analyst sees their own vote, and no one else's).
func (s *Store) MyVote(ctx context.Context, it roster.ReviewItem, user string) (Vote, bool, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+voteCols+` FROM review_votes WHERE item_id = ? AND round = ? AND user = ?`,
		it.ID, it.Round, user)
	if err != nil {
		return Vote{}, false, err
	}
	vs, err := scanVotes(rows)
	if err != nil || len(vs) == 0 {
		return Vote{}, false, err
	}
	return vs[0], true, nil
}

// voteTx records a blind vote; the second vote of a round settles it.
func (s *Store) voteTx(ctx context.Context, tx *sql.Tx, it roster.ReviewItem, verdict, reason, by, at string) (DecideResult, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+voteCols+` FROM review_votes WHERE item_id = ? AND round = ? ORDER BY id`, it.ID, it.Round)
	if err != nil {
		return DecideResult{}, err
	}
	prior, err := scanVotes(rows)
	if err != nil {
		return DecideResult{}, err
	}
	for _, v := range prior {
		if v.User == by {
			return DecideResult{}, roster.Errorf(roster.ECONFLICT, "you (%s) already decided item %d in this double review: "+
				"a second analyst decides it independently", by, it.ID)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO review_votes(item_id, round, kind, user, verdict, reason, at) VALUES(?,?,?,?,?,?,?)`,
		it.ID, it.Round, it.Kind, by, verdict, reason, at); err != nil {
		return DecideResult{}, fmt.Errorf("vote: %w", err)
	}
	if len(prior) == 0 {
		return DecideResult{Outcome: OutcomeVoted}, nil
	}
	first := prior[0]
	second := Vote{ItemID: it.ID, Round: it.Round, Kind: it.Kind, User: by, Verdict: verdict, Reason: reason}
	second.At, _ = time.Parse(time.RFC3339, at)
	votes := []Vote{first, second}
	outcome := "disagreed"
	if first.Verdict == verdict {
		outcome = "agreed"
	}
	if _, err := tx.ExecContext(ctx, `UPDATE review_votes SET outcome = ? WHERE item_id = ? AND round = ?`, outcome, it.ID, it.Round); err != nil {
		return DecideResult{}, err
	}
	if err := logVotes(ctx, tx, at, it, votes, outcome); err != nil {
		return DecideResult{}, err
	}
	if outcome == "agreed" {
		reason := first.User + ": " + first.Reason + "\n" + by + ": " + reason
		d, err := s.settle(ctx, tx, it, verdict, reason, first.User+"+"+by, at, map[string]any{"double_review": "agreed",
			"round": it.Round})
		return DecideResult{Decision: d, Outcome: OutcomeAgreed}, err
	}
	adj, err := openAdjudication(ctx, tx, it, votes)
	return DecideResult{Outcome: OutcomeDisagreed, Adjudication: adj}, err
}

// logVotes appends a round's votes to the audit log, now that they may
// be seen.
func logVotes(ctx context.Context, tx *sql.Tx, at string, it roster.ReviewItem, votes []Vote, outcome string) error {
	for _, v := range votes {
		detail := map[string]any{"key": it.Key, "kind": it.Kind, "round": it.Round, "outcome": outcome,
			"voted_at": v.At.UTC().Format(time.RFC3339)}
		if err := insertAudit(ctx, tx, at, v.User, ActionVote, 0, it.ID, v.Verdict, v.Reason, detail); err != nil {
			return err
		}
	}
	return nil
}

// adjudicationPayload is the payload of an adjudication item.
type adjudicationPayload struct {
	ItemID   int64          `json:"item_id"`
	ItemKind string         `json:"item_kind"`
	ItemKey  string         `json:"item_key"`
	Round    int64          `json:"round"`
	Votes    []adjudication `json:"votes"`
}

type adjudication struct {
	User    string `json:"user"`
	Verdict string `json:"verdict"`
	Reason  string `json:"reason"`
	At      string `json:"at"`
}

// openAdjudication holds an item whose votes disagree and opens an
// adjudication item that shows them.
func openAdjudication(ctx context.Context, tx *sql.Tx, it roster.ReviewItem, votes []Vote) (int64, error) {
	p := adjudicationPayload{ItemID: it.ID, ItemKind: it.Kind, ItemKey: it.Key, Round: it.Round}
	var who []string
	for _, v := range votes {
		p.Votes = append(p.Votes, adjudication{User: v.User, Verdict: v.Verdict, Reason: v.Reason, At: v.At.UTC().Format(time.RFC3339)})
		who = append(who, v.User+" said "+v.Verdict)
	}
	// What the analysts decided on (the score and its explanation, say)
	// goes with the votes; the records are added when it is shown.
	shown := it
	if err := completePayload(ctx, tx, &shown); err != nil {
		return 0, err
	}
	m := map[string]json.RawMessage{}
	if json.Unmarshal([]byte(shown.Payload), &m) != nil || m == nil {
		m = map[string]json.RawMessage{}
	}
	for _, k := range []string{"records", "record", "sides", "clusters"} {
		delete(m, k)
	}
	own, err := json.Marshal(p)
	if err != nil {
		return 0, err
	}
	var ownM map[string]json.RawMessage
	if err := json.Unmarshal(own, &ownM); err != nil {
		return 0, err
	}
	for k, v := range ownM {
		m[k] = v
	}
	payload, err := json.Marshal(m)
	if err != nil {
		return 0, err
	}
	recs, err := json.Marshal(it.Records)
	if err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE review_items SET held = 1, version = version + 1 WHERE id = ?`, it.ID); err != nil {
		return 0, err
	}
	title := fmt.Sprintf("Two analysts disagree (%s) on item %d: %s", strings.Join(who, ", "), it.ID, it.Title)
	r, err := tx.ExecContext(ctx, `INSERT INTO review_items(key, kind, state, source, grp, person_id, records, title, payload, impact,
		created_run, updated_run) VALUES(?,?,?,?,?,?,?,?,?,?,
		(SELECT coalesce(max(id), 0) FROM runs), (SELECT coalesce(max(id), 0) FROM runs))`,
		fmt.Sprintf("adjudication:%d:%d", it.ID, it.Round), roster.KindAdjudication, StateOpen, it.Source, it.Group, it.PersonID,
		string(recs), title, string(payload), it.Impact+100)
	if err != nil {
		return 0, fmt.Errorf("open adjudication: %w", err)
	}
	return r.LastInsertId()
}

// adjudicationOf returns the open adjudication item of a held item.
func adjudicationOf(ctx context.Context, q querier, it roster.ReviewItem) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM review_items WHERE key = ?`, fmt.Sprintf("adjudication:%d:%d", it.ID, it.Round)).Scan(&id)
	return id, err
}

// AdjudicationTarget returns the item an adjudication item settles, with
// the votes that disagree on it.
func AdjudicationTarget(it roster.ReviewItem) (itemID int64, kind string, votes []Vote, err error) {
	var p adjudicationPayload
	if err := json.Unmarshal([]byte(it.Payload), &p); err != nil || p.ItemID == 0 {
		return 0, "", nil, roster.Errorf(roster.EINTERNAL, "adjudication item %d: no item in its payload", it.ID)
	}
	for _, v := range p.Votes {
		at, _ := time.Parse(time.RFC3339, v.At)
		votes = append(votes, Vote{ItemID: p.ItemID, Round: p.Round, Kind: p.ItemKind, User: v.User, Verdict: v.Verdict, Reason: v.Reason, At: at})
	}
	return p.ItemID, p.ItemKind, votes, nil
}

// adjudicate settles an adjudication item and the item it holds with the
// adjudicator's verdict. The adjudicator is a third analyst, or an admin
// (who may have voted).
func (s *Store) adjudicate(ctx context.Context, tx *sql.Tx, adj roster.ReviewItem, verdict, reason, by, at string) (DecideResult, error) {
	targetID, _, votes, err := AdjudicationTarget(adj)
	if err != nil {
		return DecideResult{}, err
	}
	for _, v := range votes {
		if v.User != by {
			continue
		}
		var role string
		if err := tx.QueryRowContext(ctx, `SELECT role FROM users WHERE name = ?`, by).Scan(&role); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return DecideResult{}, err
		}
		if role != RoleAdmin {
			return DecideResult{}, roster.Errorf(roster.EFORBIDDEN, "you (%s) voted on item %d: a third analyst or an admin adjudicates",
				by, targetID)
		}
	}
	target, err := reviewItemTx(ctx, tx, targetID)
	if err != nil {
		return DecideResult{}, err
	}
	if target.State != StateOpen {
		return DecideResult{}, alreadyDecided(ctx, tx, target)
	}
	if verdict == roster.VerdictUnsure {
		if err := checkVerdict(ctx, tx, target, verdict); err != nil {
			return DecideResult{}, err
		}
		return s.unsureTx(ctx, tx, adj, reason, by, at)
	}
	if err := checkVerdict(ctx, tx, target, verdict); err != nil {
		return DecideResult{}, err
	}
	d, err := s.settle(ctx, tx, target, verdict, reason, by, at, map[string]any{"double_review": "adjudicated", "adjudication": adj.ID})
	if err != nil {
		return DecideResult{}, err
	}
	// The adjudication item carries the same decision.
	if _, err := tx.ExecContext(ctx, `UPDATE review_items SET state = 'decided', decision_id = ?, version = version + 1 WHERE id = ?`,
		d.ID, adj.ID); err != nil {
		return DecideResult{}, err
	}
	return DecideResult{Decision: d, Outcome: OutcomeDecided}, nil
}

// mapLabel maps an unknown-group item's label to a group: the records it
// names get the group, and later imports of the source read the mapping.
func mapLabel(ctx context.Context, tx *sql.Tx, it roster.ReviewItem, grp, by, at string) (int, error) {
	var p struct {
		Label  string `json:"label"`
		Source string `json:"source"`
	}
	if err := json.Unmarshal([]byte(it.Payload), &p); err != nil || p.Label == "" {
		return 0, roster.Errorf(roster.EINVALID, "item %d names no group label to map", it.ID)
	}
	src := it.Source
	if src == "" {
		src = p.Source
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO group_labels(source, label, grp, set_by, set_at) VALUES(?,?,?,?,?)
		ON CONFLICT(source, label) DO UPDATE SET grp = excluded.grp, set_by = excluded.set_by, set_at = excluded.set_at`,
		src, strings.ToLower(strings.TrimSpace(p.Label)), grp, by, at); err != nil {
		return 0, err
	}
	n := 0
	for _, ref := range it.Records {
		r, err := roster.ParseRef(ref)
		if err != nil || r.Edition == "" {
			continue
		}
		res, err := tx.ExecContext(ctx, `UPDATE records SET grp = ? WHERE grp = '' AND ref = ?
			AND list_id = (SELECT id FROM lists WHERE source = ? AND edition = ?)`, grp, r.Ref, r.Source, r.Edition)
		if err != nil {
			return n, err
		}
		k, _ := res.RowsAffected()
		n += int(k)
	}
	return n, nil
}

// GroupLabels returns the labels analysts mapped for a source: label (as
// folded to lower case) -> group key.
func (s *Store) GroupLabels(ctx context.Context, source string) (map[string]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT label, grp FROM group_labels WHERE source = ? ORDER BY label`, source)
	if err != nil {
		return nil, fmt.Errorf("group labels: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var l, g string
		if err := rows.Scan(&l, &g); err != nil {
			return nil, err
		}
		out[l] = g
	}
	return out, rows.Err()
}

// Act is a decision or a vote, by whom and when (what throughput counts).
type Act struct {
	Who string
	At  time.Time
}

// Acts returns every decision and every vote, oldest first: what each
// analyst did and when.
func (s *Store) Acts(ctx context.Context) ([]Act, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT decided_by, decided_at FROM decisions
		UNION ALL SELECT user, at FROM review_votes ORDER BY 2`)
	if err != nil {
		return nil, fmt.Errorf("acts: %w", err)
	}
	defer rows.Close()
	var out []Act
	for rows.Next() {
		var a Act
		var at string
		if err := rows.Scan(&a.Who, &at); err != nil {
			return nil, err
		}
		a.At, _ = time.Parse(time.RFC3339, at)
		out = append(out, a)
	}
	return out, rows.Err()
}

// PendingVotes counts the first votes still waiting for a second analyst.
func (s *Store) PendingVotes(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM review_votes WHERE outcome = ''`).Scan(&n)
	return n, err
}
