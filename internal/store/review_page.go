package store

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/roster-coalition/roster/internal/roster"
)

// The queue in pages. Items are in queue order: open, then decided, then
// stale; within a state the highest impact first, then by ID. A page is
// read through an index from a cursor (keyset pagination), so that the
// thousandth page of a million-item queue costs what the first does.

// Cursor is a place in the queue order: the item (State, Impact, ID). A
// page read after a cursor starts with the item that follows it; the zero
// Cursor is before the first item.
type Cursor struct {
	State  string
	Impact float64
	ID     int64
}

// IsZero reports whether c is the start of the queue.
func (c Cursor) IsZero() bool { return c.State == "" && c.ID == 0 }

// String encodes a cursor for a URL: "open~52.5~1234".
func (c Cursor) String() string {
	if c.IsZero() {
		return ""
	}
	return c.State + "~" + strconv.FormatFloat(c.Impact, 'g', -1, 64) + "~" + strconv.FormatInt(c.ID, 10)
}

// ParseCursor reads a cursor written by String ("" is the zero Cursor).
func ParseCursor(s string) (Cursor, error) {
	if s == "" {
		return Cursor{}, nil
	}
	bad := roster.Errorf(roster.EINVALID, "page cursor %q: not one this program wrote", s)
	parts := strings.Split(s, "~")
	if len(parts) != 3 || stateRank(parts[0]) < 0 {
		return Cursor{}, bad
	}
	imp, err := strconv.ParseFloat(parts[1], 64)
	if err != nil || math.IsNaN(imp) || math.IsInf(imp, 0) {
		return Cursor{}, bad
	}
	id, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil || id <= 0 {
		return Cursor{}, bad
	}
	return Cursor{State: parts[0], Impact: imp, ID: id}, nil
}

// CursorOf is the place of an item in the queue order.
func CursorOf(it roster.ReviewItem) Cursor {
	return Cursor{State: it.State, Impact: it.Impact, ID: it.ID}
}

var queueStates = []string{StateOpen, StateDecided, StateStale}

func stateRank(s string) int { return slices.Index(queueStates, s) }

// ReviewPage is one page of the queue.
type ReviewPage struct {
	Items []roster.ReviewItem
	// More says that items follow the last one (in the direction read).
	More bool
}

// ReviewPage reads up to n items of the queue that match f, after the cursor
// (or, backward, the n items before it, still in queue order). A filter
// on a source, a group, a kind, an assignee or the second look is read
// through its own index; the other conditions are checked on the way.
func (s *Store) ReviewPage(ctx context.Context, f ReviewFilter, c Cursor, n int, backward bool) (ReviewPage, error) {
	states, err := filterStates(f.State)
	if err != nil {
		return ReviewPage{}, err
	}
	if n <= 0 {
		n = 50
	}
	if backward {
		slices.Reverse(states)
	}
	var out []roster.ReviewItem
	started := c.IsZero()
	for _, st := range states {
		if !started {
			if st != c.State {
				// States before the cursor's (in the direction read) are skipped.
				if (stateRank(st) < stateRank(c.State)) != backward {
					continue
				}
				started = true
			}
		}
		small, err := s.smallKind(ctx, f, st)
		if err != nil {
			return ReviewPage{}, err
		}
		q := queueQuery(f, st, small)
		var segs []string
		var args [][]any
		if !started && st == c.State {
			// The rest of the cursor's impact, then lower (higher) impacts.
			if backward {
				segs = append(segs, q.sql(`AND `+q.impact+` = ? AND `+q.id+` < ?`, true, true),
					q.sql(`AND `+q.impact+` > ?`, false, true))
			} else {
				segs = append(segs, q.sql(`AND `+q.impact+` = ? AND `+q.id+` > ?`, true, false),
					q.sql(`AND `+q.impact+` < ?`, false, false))
			}
			args = append(args, append(slices.Clone(q.args), c.Impact, c.ID), append(slices.Clone(q.args), c.Impact))
			started = true
		} else {
			segs = append(segs, q.sql("", false, backward))
			args = append(args, q.args)
		}
		for i, seg := range segs {
			need := n + 1 - len(out)
			if need <= 0 {
				break
			}
			items, err := s.queryItems(ctx, seg+` LIMIT `+strconv.Itoa(need), args[i]...)
			if err != nil {
				return ReviewPage{}, fmt.Errorf("review page: %w", err)
			}
			out = append(out, items...)
		}
		if len(out) > n {
			break
		}
	}
	p := ReviewPage{Items: out}
	if len(out) > n {
		p.Items, p.More = out[:n], true
	}
	if backward {
		slices.Reverse(p.Items)
	}
	return p, nil
}

// filterStates returns the states a filter's State selects, in queue order.
func filterStates(state string) ([]string, error) {
	switch state {
	case "", StateOpen:
		return []string{StateOpen}, nil
	case StateDecided, StateStale:
		return []string{state}, nil
	case "all":
		return slices.Clone(queueStates), nil
	}
	return nil, roster.Errorf(roster.EINVALID, "state %q: want open, decided, stale or all", state)
}

// queueSQL is a query of the queue in one state, through one index.
type queueSQL struct {
	from       string // FROM … WHERE … (the index's terms and the filter's)
	impact, id string // the ordering columns
	args       []any
}

// sql returns the query with extra terms, in queue order or (backward)
// its reverse; byID orders by ID alone (the impact is fixed).
func (q queueSQL) sql(extra string, byID, backward bool) string {
	order := q.impact + ` DESC, ` + q.id
	if backward {
		order = q.impact + `, ` + q.id + ` DESC`
	}
	if byID {
		order = q.id
		if backward {
			order += ` DESC`
		}
	}
	return `SELECT ` + reviewColsR + ` ` + q.from + ` ` + extra + ` ORDER BY ` + order
}

const reviewColsR = `r.id, r.key, r.kind, r.state, r.source, r.grp, r.person_id, r.records, r.title, r.payload, r.impact,
	coalesce(r.decision_id, 0), r.version, r.second_look, r.assigned_to, r.round, r.held`

// smallKindItems is the most items of a kind in a state for which a
// filter that also names a source or a group reads by kind: the kind's
// index then holds fewer rows to check than the source's or the group's.
var smallKindItems = 20000 // tests change it

// smallKind reports whether a filter with a kind and a source or group
// is better read through the kind's index (few items of that kind in the
// state, by the counts the triggers keep).
func (s *Store) smallKind(ctx context.Context, f ReviewFilter, state string) (bool, error) {
	if f.Kind == "" || (f.Source == "" && f.Group == "") || f.AssignedTo != "" || f.SecondLook {
		return false, nil
	}
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT coalesce((SELECT n FROM review_counts WHERE kind = ? AND state = ?), 0)`, f.Kind, state).Scan(&n)
	return n <= smallKindItems, err
}

// queueQuery picks the index for a filter in one state: the assignee's,
// the second look's, the kind's when it has few items (smallKind), the
// source's, the group's, the kind's, or the state's.
func queueQuery(f ReviewFilter, state string, smallKind bool) queueSQL {
	q := queueSQL{impact: "r.impact", id: "r.id"}
	var where []string
	// by says which of the filter's terms the chosen index answers.
	var by struct{ kind, source, group, second bool }
	switch {
	case f.AssignedTo != "":
		q.from = `FROM review_items r INDEXED BY review_queue_assigned`
		where = append(where, `r.assigned_to = ? AND r.assigned_to <> '' AND r.state = ?`)
		q.args = append(q.args, f.AssignedTo, state)
	case f.SecondLook:
		q.from = `FROM review_items r INDEXED BY review_queue_second`
		where = append(where, `r.second_look = 1 AND r.state = ?`)
		q.args = append(q.args, state)
		by.second = true
	case smallKind:
		q.from = `FROM review_items r INDEXED BY review_queue_kind`
		where = append(where, `r.kind = ? AND r.state = ?`)
		q.args = append(q.args, f.Kind, state)
		by.kind = true
	case f.Source != "" && f.Kind != "":
		q.from = `FROM review_item_sources x INDEXED BY review_item_sources_kind JOIN review_items r ON r.id = x.item_id`
		where = append(where, `x.source = ? AND x.kind = ? AND x.state = ?`)
		q.args = append(q.args, f.Source, f.Kind, state)
		q.impact, q.id = "x.impact", "x.item_id"
		by.source, by.kind = true, true
	case f.Source != "":
		q.from = `FROM review_item_sources x JOIN review_items r ON r.id = x.item_id`
		where = append(where, `x.source = ? AND x.state = ?`)
		q.args = append(q.args, f.Source, state)
		q.impact, q.id = "x.impact", "x.item_id"
		by.source = true
	case f.Group != "" && f.Kind != "":
		q.from = `FROM review_items r INDEXED BY review_queue_group_kind`
		where = append(where, `r.grp = ? AND r.grp <> '' AND r.kind = ? AND r.state = ?`)
		q.args = append(q.args, f.Group, f.Kind, state)
		by.group, by.kind = true, true
	case f.Group != "":
		q.from = `FROM review_items r INDEXED BY review_queue_group`
		where = append(where, `r.grp = ? AND r.grp <> '' AND r.state = ?`)
		q.args = append(q.args, f.Group, state)
		by.group = true
	case f.Kind != "":
		q.from = `FROM review_items r INDEXED BY review_queue_kind`
		where = append(where, `r.kind = ? AND r.state = ?`)
		q.args = append(q.args, f.Kind, state)
		by.kind = true
	default:
		q.from = `FROM review_items r INDEXED BY review_queue`
		where = append(where, `r.state = ?`)
		q.args = append(q.args, state)
	}
	// The filter's other terms, checked row by row.
	if f.Kind != "" && !by.kind {
		where = append(where, `r.kind = ?`)
		q.args = append(q.args, f.Kind)
	}
	if f.Group != "" && !by.group {
		where = append(where, `r.grp = ?`)
		q.args = append(q.args, f.Group)
	}
	if f.Source != "" && !by.source {
		where = append(where, `EXISTS (SELECT 1 FROM review_item_sources x WHERE x.item_id = r.id AND x.source = ?)`)
		q.args = append(q.args, f.Source)
	}
	if f.SecondLook && !by.second {
		where = append(where, `r.second_look = 1`)
	}
	if state == StateOpen && !f.WithHeld {
		where = append(where, `r.held = 0`)
	}
	if f.Voter != "" {
		// Blind double review: what the analyst already voted on in
		// the current round waits for someone else.
		where = append(where, `NOT EXISTS (SELECT 1 FROM review_votes v WHERE v.item_id = r.id AND v.round = r.round AND v.user = ?)`)
		q.args = append(q.args, f.Voter)
	}
	q.from += ` WHERE ` + strings.Join(where, ` AND `)
	return q
}

func (s *Store) queryItems(ctx context.Context, q string, args ...any) ([]roster.ReviewItem, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []roster.ReviewItem
	for rows.Next() {
		it, err := scanReviewItem(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// ReviewNeighbours returns the items just before and after an item in the
// queue order of a filter (0 when there is none), read from the item's
// place: the item itself need not match the filter (a decided item in the
// open queue has neighbours too).
func (s *Store) ReviewNeighbours(ctx context.Context, f ReviewFilter, it roster.ReviewItem) (prev, next int64, err error) {
	c := CursorOf(it)
	states, err := filterStates(f.State)
	if err != nil {
		return 0, 0, err
	}
	if !slices.Contains(states, c.State) {
		// Not in the filter's states: next is the filter's first item.
		p, err := s.ReviewPage(ctx, f, Cursor{}, 1, false)
		if err != nil || len(p.Items) == 0 {
			return 0, 0, err
		}
		return 0, p.Items[0].ID, nil
	}
	for _, backward := range []bool{true, false} {
		p, err := s.ReviewPage(ctx, f, c, 1, backward)
		if err != nil {
			return 0, 0, err
		}
		if len(p.Items) == 1 {
			if backward {
				prev = p.Items[0].ID
			} else {
				next = p.Items[0].ID
			}
		}
	}
	return prev, next, nil
}

// ItemsAbout returns the items about a person (by person ID) or naming
// one of the given records (full references) in a pair, every state, in
// queue order, up to limit.
func (s *Store) ItemsAbout(ctx context.Context, personID string, refs []string, limit int) ([]roster.ReviewItem, error) {
	seen := map[int64]bool{}
	var out []roster.ReviewItem
	add := func(q string, args ...any) error {
		items, err := s.queryItems(ctx, `SELECT `+reviewColsR+` FROM review_items r WHERE `+q, args...)
		if err != nil {
			return fmt.Errorf("items about %s: %w", personID, err)
		}
		for _, it := range items {
			if !seen[it.ID] {
				seen[it.ID] = true
				out = append(out, it)
			}
		}
		return nil
	}
	if personID != "" {
		if err := add(`r.person_id = ? AND r.person_id <> ''`, personID); err != nil {
			return nil, err
		}
	}
	for _, ref := range refs {
		for _, kind := range []string{roster.KindMatch, roster.KindDuplicate} {
			// The first record of a pair is in the key's prefix, the
			// second after its bar.
			lo := kind + ":" + ref + "|"
			hi := kind + ":" + ref + "}"
			if err := add(`r.key >= ? AND r.key < ?`, lo, hi); err != nil {
				return nil, err
			}
		}
		if err := add(`r.kind IN ('match', 'duplicate') AND substr(r.key, instr(r.key, '|') + 1) = ?`, ref); err != nil {
			return nil, err
		}
	}
	slices.SortFunc(out, func(a, b roster.ReviewItem) int {
		if d := stateRank(a.State) - stateRank(b.State); d != 0 {
			return d
		}
		if a.Impact != b.Impact {
			if a.Impact > b.Impact {
				return -1
			}
			return 1
		}
		return int(a.ID - b.ID)
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}
