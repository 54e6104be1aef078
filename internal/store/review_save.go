package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"hash/maphash"
	"sort"
	"strings"

	"github.com/roster-coalition/roster/internal/roster"
)

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
//
// Items about a person follow the person's ID: when a match merged the
// person into another (a redirect), the stored item takes the key the
// build now gives it under the surviving ID, so a decided question is not
// asked again. Adjudication items are not the builder's: a save leaves
// them alone, except that one whose item no longer applies goes stale.
func (s *Store) SaveReviewItems(ctx context.Context, runID int64, items []roster.ReviewItem) (BuildStats, error) {
	var st BuildStats
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		ex, err := readReviewState(ctx, tx)
		if err != nil {
			return err
		}
		if err := ex.followRedirects(ctx, tx); err != nil {
			return err
		}
		plan, err := planReviewSave(ex, items, &st)
		if err != nil {
			return err
		}
		switch {
		case len(ex.rows) >= rewriteMin && float64(plan.changed) >= rewriteShare*float64(len(ex.rows)):
			err = rewriteReviewItems(ctx, tx, runID, ex, plan, items)
		case plan.writes() >= rewriteMin:
			// Many rows to write in place (a first build, a new
			// edition): without the per-row triggers, refilled at once.
			err = bulkReviewWrite(ctx, tx, func() error { return updateReviewItems(ctx, tx, runID, ex, plan, items) })
		default:
			err = updateReviewItems(ctx, tx, runID, ex, plan, items)
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE meta SET value = ? WHERE key = 'queue_run'`, runID); err != nil {
			return fmt.Errorf("record the queue's run: %w", err)
		}
		if err := staleAdjudications(ctx, tx); err != nil {
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
	// What the analysts did to it, which a rewrite keeps.
	secondLook int
	assignedTo string
	round      int64
	held       int
	// person is the person it is about; rekeyed says its key changed to
	// the one under the ID the person was merged into.
	person  string
	rekeyed bool
}

type reviewState struct {
	rows  []storedItem
	byKey map[string]int32
}

func readReviewState(ctx context.Context, tx *sql.Tx) (reviewState, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM review_items WHERE kind <> 'adjudication'`).Scan(&n); err != nil {
		return reviewState{}, err
	}
	ex := reviewState{rows: make([]storedItem, 0, n), byKey: make(map[string]int32, n)}
	rows, err := tx.QueryContext(ctx, `SELECT r.id, r.key, r.state, coalesce(r.decision_id, 0), coalesce(d.undone, 0),
		`+contentSQL+`, r.impact, r.version, r.created_run, r.updated_run, r.second_look, r.assigned_to, r.round, r.held,
		r.person_id
		FROM review_items r LEFT JOIN decisions d ON d.id = r.decision_id WHERE r.kind <> 'adjudication'`)
	if err != nil {
		return ex, err
	}
	defer rows.Close()
	for rows.Next() {
		c := storedItem{built: -1}
		var key, content string
		var undone int
		if err := rows.Scan(&c.id, &key, &c.state, &c.decision, &undone, &content, &c.impact, &c.version, &c.createdRun,
			&c.updatedRun, &c.secondLook, &c.assignedTo, &c.round, &c.held, &c.person); err != nil {
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

// followRedirects gives each stored item about a merged person the key
// it has under the ID the person was merged into (following chains of
// merges), when no stored item has that key yet, so that the rebuilt item
// finds it. The key changes only when the build gives that key.
func (ex *reviewState) followRedirects(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, redirect_to FROM persons WHERE status = 'merged' AND redirect_to <> ''`)
	if err != nil {
		return err
	}
	redirect := map[string]string{}
	for rows.Next() {
		var id, to string
		if err := rows.Scan(&id, &to); err != nil {
			rows.Close()
			return err
		}
		redirect[id] = to
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(redirect) == 0 {
		return err
	}
	keys := make([]string, len(ex.rows))
	for k, i := range ex.byKey {
		keys[i] = k
	}
	for i := range ex.rows {
		c := &ex.rows[i]
		if c.person == "" {
			continue
		}
		to := follow(redirect, c.person)
		if to == c.person {
			continue
		}
		nk := rekey(keys[i], c.person, to)
		if _, taken := ex.byKey[nk]; nk == keys[i] || taken {
			continue
		}
		ex.byKey[nk] = int32(i)
		c.rekeyed = true
	}
	return nil
}

// rekey replaces the person ID from in a content key (one of its
// colon-separated parts) with to.
func rekey(key, from, to string) string {
	parts := strings.Split(key, ":")
	for i, p := range parts {
		if p == from {
			parts[i] = to
		}
	}
	return strings.Join(parts, ":")
}

// staleAdjudications marks stale the open adjudication items whose item
// is no longer open (it went stale in a rebuild, or was decided), and
// releases the hold on items whose adjudication is gone.
func staleAdjudications(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `UPDATE review_items SET state = 'stale', version = version + 1
		WHERE kind = 'adjudication' AND state = 'open' AND NOT EXISTS (SELECT 1 FROM review_items t
			WHERE t.id = json_extract(review_items.payload, '$.item_id') AND t.state = 'open')`)
	return err
}

// savePlan says what a save does to each rebuilt item.
type savePlan struct {
	steps   []saveStep // one per item
	changed int        // stored items whose content changes
}

// writes counts the rows the plan writes: new items and changed ones.
func (p *savePlan) writes() int {
	n := 0
	for _, st := range p.steps {
		if st.changed {
			n++
		}
	}
	return n
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
		payload := storedPayload(it.Payload)
		step := saveStep{stored: ci, state: c.state, decision: c.decision,
			changed: c.rekeyed || c.impact != it.Impact || c.hash != contentHash(&h, it.Kind, it.Source, it.Group, it.PersonID, rb, it.Title, payload)}
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
	ins, err := tx.PrepareContext(ctx, insertReviewItemSQL)
	if err != nil {
		return err
	}
	defer ins.Close()
	upd, err := tx.PrepareContext(ctx, `UPDATE review_items SET key = ?, kind = ?, source = ?, grp = ?, person_id = ?, records = ?,
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
		payload := storedPayload(it.Payload)
		if step.stored < 0 {
			if err := insertNew(ctx, ins, it, step, rb, payload, runID, i, ids); err != nil {
				return err
			}
			continue
		}
		c := ex.rows[step.stored]
		if _, ok := ids[i]; ok {
			ids[i] = c.id
		}
		if step.changed {
			if _, err := upd.ExecContext(ctx, it.Key, it.Kind, it.Source, it.Group, it.PersonID, string(rb), it.Title, payload,
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

// storedPayload is a payload as the table keeps it: an empty one is "{}".
func storedPayload(p string) string {
	if p == "" {
		return "{}"
	}
	return p
}

// insertReviewItemSQL inserts a new item, created and updated by the run.
const insertReviewItemSQL = `INSERT INTO review_items(key, kind, state, source, grp, person_id, records, title,
	payload, impact, decision_id, created_run, updated_run) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?12)`

// insertNew inserts item i, new to the table, with ins (prepared from
// insertReviewItemSQL); its ID goes into ids when ids asks for it (the
// items to freeze).
func insertNew(ctx context.Context, ins *sql.Stmt, it *roster.ReviewItem, step saveStep, records []byte, payload string, runID int64,
	i int, ids map[int]int64) error {
	r, err := ins.ExecContext(ctx, it.Key, it.Kind, step.state, it.Source, it.Group, it.PersonID, string(records), it.Title,
		payload, it.Impact, nullID(step.decision), runID)
	if err != nil {
		return fmt.Errorf("review item %s: %w", it.Key, err)
	}
	if _, ok := ids[i]; ok {
		if ids[i], err = r.LastInsertId(); err != nil {
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
	created_run, updated_run, second_look, assigned_to, round, held`

// rewriteReviewItems applies a plan by emptying the table and writing it
// again: the stored items that were rebuilt from memory, with their IDs,
// in ID order; those that were not (set aside in a temporary table, the
// open ones now stale) by ID; then the new items, which get the next IDs
// as they would in place.
func rewriteReviewItems(ctx context.Context, tx *sql.Tx, runID int64, ex reviewState, plan savePlan, items []roster.ReviewItem) error {
	return bulkReviewWrite(ctx, tx, func() error { return rewriteReviewItemsTx(ctx, tx, runID, ex, plan, items) })
}

// bulkReviewWrite runs a write of most of the queue without the triggers
// that keep its counts and item sources row by row (at a million items
// they would cost more than the write), then refills both at once and
// puts the triggers back, in the same transaction.
//
// The queue's secondary indexes (paging by kind, group, assignee, source)
// go the same way: dropped before the write and built again after it,
// since SQLite builds an index from the whole table faster than it keeps
// one row by row (a first build of 1.1 million items at a million records
// saves in 25 s instead of 30 s). Their definitions are read from the
// schema, so an index added later is rebuilt too.
func bulkReviewWrite(ctx context.Context, tx *sql.Tx, write func() error) error {
	for _, t := range reviewItemTriggers {
		if _, err := tx.ExecContext(ctx, `DROP TRIGGER `+t); err != nil {
			return err
		}
	}
	err := withoutIndexes(ctx, tx, []string{"review_items", "review_item_sources"}, func() error {
		if err := write(); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, refillQueueIndexesSQL)
		return err
	})
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, reviewItemTriggersSQL)
	return err
}

func rewriteReviewItemsTx(ctx context.Context, tx *sql.Tx, runID int64, ex reviewState, plan savePlan, items []roster.ReviewItem) error {
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
	if _, err := tx.ExecContext(ctx, `DELETE FROM main.review_items WHERE kind <> 'adjudication'`); err != nil {
		return err
	}
	put, err := tx.PrepareContext(ctx, `INSERT INTO main.review_items(`+reviewRowCols+`) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`)
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
		payload := storedPayload(it.Payload)
		version, updated := c.version, c.updatedRun
		if step.state != c.state || step.decision != c.decision {
			version++
		}
		if step.changed {
			updated = runID
		}
		if _, err := put.ExecContext(ctx, c.id, it.Key, it.Kind, step.state, it.Source, it.Group, it.PersonID, string(rb), it.Title,
			payload, it.Impact, nullID(step.decision), version, c.createdRun, updated, c.secondLook, c.assignedTo, c.round,
			c.held); err != nil {
			return fmt.Errorf("review item %s: %w", it.Key, err)
		}
		if _, ok := ids[i]; ok {
			ids[i] = c.id
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO main.review_items(`+reviewRowCols+`)
		SELECT id, key, kind, CASE state WHEN 'open' THEN 'stale' ELSE state END, source, grp, person_id, records, title, payload,
			impact, decision_id, CASE state WHEN 'open' THEN version + 1 ELSE version END, created_run,
			CASE state WHEN 'open' THEN ? ELSE updated_run END, second_look, assigned_to, round, held
		FROM temp.review_keep ORDER BY id`, runID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DROP TABLE temp.review_keep`); err != nil {
		return err
	}
	ins, err := tx.PrepareContext(ctx, insertReviewItemSQL)
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
		payload := storedPayload(it.Payload)
		if err := insertNew(ctx, ins, it, step, rb, payload, runID, i, ids); err != nil {
			return err
		}
	}
	return freezeAll(ctx, tx, freeze, ids, items)
}
