package store

import (
	"context"
	"database/sql"
	"fmt"
)

// migrateReviewTeams upgrades a version 4 database to the review-as-a-team
// schema (issue 14): roles on users, the review items' second look,
// assignee, double-review round and hold, the queue's indexes and counts,
// scopes, settings, votes, mapped group labels, login failures and the
// name search index. Existing accounts become admins (they could do
// everything before roles existed); the counts and the items' sources are
// filled in from the items already stored. The name search index starts
// empty: roster match (or the first search) fills it.
func migrateReviewTeams(ctx context.Context, tx *sql.Tx) error {
	for _, q := range []string{
		`ALTER TABLE review_items ADD COLUMN second_look INTEGER NOT NULL DEFAULT 0`,
		`ALTER TABLE review_items ADD COLUMN assigned_to TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE review_items ADD COLUMN round INTEGER NOT NULL DEFAULT 0`,
		`ALTER TABLE review_items ADD COLUMN held INTEGER NOT NULL DEFAULT 0`,
		`ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'analyst'`,
		`UPDATE users SET role = 'admin'`,
		`DROP INDEX IF EXISTS review_items_kind`,
		reviewTeamsSQL,
		`INSERT INTO list_group_counts(list_id, grp, n) SELECT list_id, grp, count(*) FROM records GROUP BY list_id, grp`,
		refillQueueIndexesSQL,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("review teams: %w", err)
		}
	}
	return nil
}

// reviewTeamsSQL is what schema version 5 adds to schema.sql in new
// tables, indexes and triggers (the same text as there).
const reviewTeamsSQL = `-- ---- Review as a team: list scope, blind double review, roles, sessions,
-- ---- paging and search (schema version 5).

-- The queue's open items first, highest impact first, by kind, group and
-- assignee; items about a person; pair items by their second record.
CREATE INDEX review_queue ON review_items(state, impact DESC, id);
CREATE INDEX review_queue_kind ON review_items(kind, state, impact DESC, id);
CREATE INDEX review_queue_group ON review_items(grp, state, impact DESC, id) WHERE grp <> '';
CREATE INDEX review_queue_group_kind ON review_items(grp, kind, state, impact DESC, id) WHERE grp <> '';
CREATE INDEX review_queue_assigned ON review_items(assigned_to, state, impact DESC, id) WHERE assigned_to <> '';
CREATE INDEX review_queue_second ON review_items(state, impact DESC, id) WHERE second_look = 1;
CREATE INDEX review_items_person ON review_items(person_id) WHERE person_id <> '';
CREATE INDEX review_items_pair_b ON review_items(substr(key, instr(key, '|') + 1)) WHERE kind IN ('match', 'duplicate');
CREATE INDEX decisions_item ON decisions(item_id);
CREATE INDEX decisions_a ON decisions(a_source, a_edition, a_ref);
CREATE INDEX decisions_b ON decisions(b_source, b_edition, b_ref);
CREATE INDEX audit_item ON audit(item_id);
CREATE INDEX audit_decision ON audit(decision_id);
CREATE INDEX audit_actor ON audit(actor, id);

-- The sources each item concerns (its own source, or its records'), kept
-- by triggers, so that the queue filtered by source pages through an index.
CREATE TABLE review_item_sources (
    source  TEXT NOT NULL,
    state   TEXT NOT NULL,
    impact  REAL NOT NULL,
    item_id INTEGER NOT NULL,
    kind    TEXT NOT NULL,
    PRIMARY KEY (source, state, impact DESC, item_id)
) WITHOUT ROWID;
CREATE INDEX review_item_sources_item ON review_item_sources(item_id);
CREATE INDEX review_item_sources_kind ON review_item_sources(source, kind, state, impact DESC, item_id);

-- Items per kind and state, kept by triggers (the queue's counts).
CREATE TABLE review_counts (
    kind  TEXT NOT NULL,
    state TEXT NOT NULL,
    n     INTEGER NOT NULL,
    PRIMARY KEY (kind, state)
) WITHOUT ROWID;

` + reviewItemTriggersSQL + `
-- What a source's list covers: for every edition (edition '') or one
-- edition. Omissions and group gaps are raised against a list only for
-- the persons its scope covers; a source with no scope is asked about
-- once (an item of kind scope) and raises none until it is confirmed
-- comprehensive or given a scope.
CREATE TABLE scopes (
    source        TEXT NOT NULL,
    edition       TEXT NOT NULL DEFAULT '',
    comprehensive INTEGER NOT NULL DEFAULT 0,  -- 1: the list means to cover everyone (within the limits below)
    groups        TEXT NOT NULL DEFAULT '',    -- comma-separated group keys; '' = every group
    cases         TEXT NOT NULL DEFAULT '[]',  -- JSON array of case names; [] = every case
    period_from   TEXT NOT NULL DEFAULT '',    -- arrests on or after (YYYY, YYYY-MM or YYYY-MM-DD)
    period_to     TEXT NOT NULL DEFAULT '',    -- arrests on or before
    country       TEXT NOT NULL DEFAULT '',    -- where the persons are held, when the list says
    note          TEXT NOT NULL DEFAULT '',
    set_by        TEXT NOT NULL,
    set_at        TEXT NOT NULL,
    PRIMARY KEY (source, edition)
);

-- Project settings (double_review: the item kinds that need two blind
-- decisions).
CREATE TABLE settings (
    name   TEXT PRIMARY KEY,
    value  TEXT NOT NULL,
    set_by TEXT NOT NULL,
    set_at TEXT NOT NULL
);

-- Blind double review: each analyst's vote on an item, by round. Votes
-- are shown to no one until the round is settled (agreement, or an
-- adjudication item).
CREATE TABLE review_votes (
    id       INTEGER PRIMARY KEY,
    item_id  INTEGER NOT NULL,
    round    INTEGER NOT NULL,
    kind     TEXT NOT NULL,
    user     TEXT NOT NULL,
    verdict  TEXT NOT NULL,
    reason   TEXT NOT NULL,
    at       TEXT NOT NULL,
    outcome  TEXT NOT NULL DEFAULT '',  -- '' pending | agreed | disagreed
    UNIQUE (item_id, round, user)
);
CREATE INDEX review_votes_user ON review_votes(user, at);

-- Group labels an analyst mapped to a group from an unknown-group item;
-- later imports of the source read them too.
CREATE TABLE group_labels (
    source TEXT NOT NULL,
    label  TEXT NOT NULL,   -- folded to lower case
    grp    TEXT NOT NULL,
    set_by TEXT NOT NULL,
    set_at TEXT NOT NULL,
    PRIMARY KEY (source, label)
);

-- Failed logins by user name (folded), so that a lockout survives a restart.
CREATE TABLE login_failures (
    name         TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    locked_until TEXT NOT NULL DEFAULT '',
    last_at      TEXT NOT NULL
);

-- Search by name: the folded name keys of every record (docid = records.id).
CREATE VIRTUAL TABLE name_search USING fts4(keys, tokenize=simple);
CREATE TRIGGER records_name_search_delete AFTER DELETE ON records BEGIN
    DELETE FROM name_search WHERE docid = OLD.id;
END;

-- The canonical name of each person as the queue last computed it, with
-- a hash of the spellings it came from: a rebuild parses again only the
-- persons whose records' spellings changed.
CREATE TABLE person_names (
    person_id TEXT PRIMARY KEY,
    spellings INTEGER NOT NULL,
    name      TEXT NOT NULL
) WITHOUT ROWID;

-- Records per list and group, kept by triggers: the sources page reads
-- them instead of counting a million records.
CREATE TABLE list_group_counts (
    list_id INTEGER NOT NULL,
    grp     TEXT NOT NULL,
    n       INTEGER NOT NULL,
    PRIMARY KEY (list_id, grp)
) WITHOUT ROWID;
CREATE TRIGGER records_group_count_insert AFTER INSERT ON records BEGIN
    INSERT INTO list_group_counts(list_id, grp, n) VALUES (NEW.list_id, NEW.grp, 1)
        ON CONFLICT (list_id, grp) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER records_group_count_delete AFTER DELETE ON records BEGIN
    UPDATE list_group_counts SET n = n - 1 WHERE list_id = OLD.list_id AND grp = OLD.grp;
END;
CREATE TRIGGER records_group_count_update AFTER UPDATE OF grp, list_id ON records
WHEN OLD.grp <> NEW.grp OR OLD.list_id <> NEW.list_id BEGIN
    UPDATE list_group_counts SET n = n - 1 WHERE list_id = OLD.list_id AND grp = OLD.grp;
    INSERT INTO list_group_counts(list_id, grp, n) VALUES (NEW.list_id, NEW.grp, 1)
        ON CONFLICT (list_id, grp) DO UPDATE SET n = n + 1;
END;
`

// reviewItemTriggersSQL keeps the queue's counts and the items' sources
// as items are inserted, deleted and updated (schema.sql has the same
// text). A save that rewrites the whole queue drops them and refills the
// two tables at once (see bulkReviewWrite).
const reviewItemTriggersSQL = `CREATE TRIGGER review_items_count_insert AFTER INSERT ON review_items BEGIN
    INSERT INTO review_counts(kind, state, n) VALUES (NEW.kind, NEW.state, 1)
        ON CONFLICT (kind, state) DO UPDATE SET n = n + 1;
    INSERT OR IGNORE INTO review_item_sources(source, state, impact, item_id, kind)
        SELECT NEW.source, NEW.state, NEW.impact, NEW.id, NEW.kind WHERE NEW.source <> ''
        UNION SELECT substr(j.value, 1, instr(j.value, '@') - 1), NEW.state, NEW.impact, NEW.id, NEW.kind
            FROM json_each(NEW.records) j WHERE NEW.source = '' AND instr(j.value, '@') > 1;
END;
CREATE TRIGGER review_items_count_delete AFTER DELETE ON review_items BEGIN
    UPDATE review_counts SET n = n - 1 WHERE kind = OLD.kind AND state = OLD.state;
    DELETE FROM review_item_sources WHERE item_id = OLD.id;
END;
CREATE TRIGGER review_items_count_state AFTER UPDATE OF kind, state ON review_items
WHEN OLD.kind <> NEW.kind OR OLD.state <> NEW.state BEGIN
    UPDATE review_counts SET n = n - 1 WHERE kind = OLD.kind AND state = OLD.state;
    INSERT INTO review_counts(kind, state, n) VALUES (NEW.kind, NEW.state, 1)
        ON CONFLICT (kind, state) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER review_items_sources_update AFTER UPDATE OF state, impact, source, records, kind ON review_items
WHEN OLD.state <> NEW.state OR OLD.impact <> NEW.impact OR OLD.source <> NEW.source OR OLD.records <> NEW.records
    OR OLD.kind <> NEW.kind BEGIN
    DELETE FROM review_item_sources WHERE item_id = OLD.id;
    INSERT OR IGNORE INTO review_item_sources(source, state, impact, item_id, kind)
        SELECT NEW.source, NEW.state, NEW.impact, NEW.id, NEW.kind WHERE NEW.source <> ''
        UNION SELECT substr(j.value, 1, instr(j.value, '@') - 1), NEW.state, NEW.impact, NEW.id, NEW.kind
            FROM json_each(NEW.records) j WHERE NEW.source = '' AND instr(j.value, '@') > 1;
END;
`

// refillQueueIndexesSQL fills the queue's counts and the items' sources
// from the items, set-based.
const refillQueueIndexesSQL = `DELETE FROM review_counts;
DELETE FROM review_item_sources;
INSERT INTO review_counts(kind, state, n) SELECT kind, state, count(*) FROM review_items GROUP BY kind, state;
INSERT OR IGNORE INTO review_item_sources(source, state, impact, item_id, kind)
	SELECT source, state, impact, id, kind FROM review_items WHERE source <> ''
	UNION SELECT substr(j.value, 1, instr(j.value, '@') - 1), r.state, r.impact, r.id, r.kind
		FROM review_items r, json_each(r.records) j WHERE r.source = '' AND instr(j.value, '@') > 1
	ORDER BY 1, 2, 3 DESC, 4;`

// reviewItemTriggers names the triggers reviewItemTriggersSQL creates.
var reviewItemTriggers = []string{"review_items_count_insert", "review_items_count_delete", "review_items_count_state",
	"review_items_sources_update"}
