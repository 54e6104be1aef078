package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

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
	ActionVote   = "vote"   // a blind vote, logged when its round is settled
	ActionAssign = "assign" // an item assigned for a second look
	ActionScope  = "scope"  // a source's scope set or cleared
	ActionConfig = "config" // a project setting changed
)

// ReviewFilter selects review items. Empty fields match everything; State
// is "", "open", "decided", "stale" or "all" ("" means open).
type ReviewFilter struct {
	Kind, Source, Group, State string
	// AssignedTo keeps the items assigned to one analyst; SecondLook the
	// items someone answered unsure to.
	AssignedTo string
	SecondLook bool
	// Voter hides the items this analyst already voted on in a blind
	// double review (they wait for someone else).
	Voter string
	// WithHeld shows open items waiting for an adjudication, which the
	// queue leaves out (the adjudication item stands for them).
	WithHeld bool
}

const reviewCols = `id, key, kind, state, source, grp, person_id, records, title, payload, impact,
	coalesce(decision_id, 0), version, second_look, assigned_to, round, held`

func scanReviewItem(sc interface{ Scan(...any) error }) (roster.ReviewItem, error) {
	var it roster.ReviewItem
	var recs string
	err := sc.Scan(&it.ID, &it.Key, &it.Kind, &it.State, &it.Source, &it.Group, &it.PersonID, &recs, &it.Title,
		&it.Payload, &it.Impact, &it.DecisionID, &it.Version, &it.SecondLook, &it.AssignedTo, &it.Round, &it.Held)
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
		if !f.WithHeld {
			where = append(where, "held = 0")
		}
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
		where = append(where, "id IN (SELECT item_id FROM review_item_sources WHERE source = ?)")
		args = append(args, f.Source)
	}
	if f.Group != "" {
		where = append(where, "grp = ?")
		args = append(args, f.Group)
	}
	if f.AssignedTo != "" {
		where = append(where, "assigned_to = ?")
		args = append(args, f.AssignedTo)
	}
	if f.SecondLook {
		where = append(where, "second_look = 1")
	}
	if f.Voter != "" {
		where = append(where, `NOT EXISTS (SELECT 1 FROM review_votes v WHERE v.item_id = review_items.id AND v.round = review_items.round AND v.user = ?)`)
		args = append(args, f.Voter)
	}
	q := `SELECT ` + reviewCols + ` FROM review_items`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += ` ORDER BY CASE state WHEN 'open' THEN 0 WHEN 'decided' THEN 1 ELSE 2 END, impact DESC, id`
	out, err := s.queryItems(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("review items: %w", err)
	}
	if out == nil {
		out = []roster.ReviewItem{}
	}
	return out, nil
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

func reviewItemTx(ctx context.Context, q querier, id int64) (roster.ReviewItem, error) {
	it, err := scanReviewItem(q.QueryRowContext(ctx, `SELECT `+reviewCols+` FROM review_items WHERE id = ?`, id))
	if err != nil {
		return it, notFound(err, "no review item %d", id)
	}
	return it, nil
}

// ReviewCounts returns the number of open items per kind (kinds without
// open items are absent), from the counts the triggers keep: reading them
// costs nothing at any size. Items waiting for an adjudication count.
func (s *Store) ReviewCounts(ctx context.Context) (map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT kind, n FROM review_counts WHERE state = 'open' AND n > 0`)
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

// ReviewItemByKey returns the item with a content key
// ("group-gap:mhm:anti-war"); ENOTFOUND when there is none.
func (s *Store) ReviewItemByKey(ctx context.Context, key string) (roster.ReviewItem, error) {
	it, err := scanReviewItem(s.db.QueryRowContext(ctx, `SELECT `+reviewCols+` FROM review_items WHERE key = ?`, key))
	if err != nil {
		return it, notFound(err, "no review item %q", key)
	}
	return it, completePayload(ctx, s.db, &it)
}
