-- Roster's whole current schema. internal/store applies it to a new
-- database and stamps PRAGMA user_version with the version below; older
-- files are migrated step by step by internal/store/migrate.go.
-- schema-version: 5

-- An organisation that publishes a list.
CREATE TABLE sources (
    slug       TEXT PRIMARY KEY,
    title      TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

-- One edition of a source's list.
CREATE TABLE lists (
    id          INTEGER PRIMARY KEY,
    source      TEXT NOT NULL REFERENCES sources(slug),
    edition     TEXT NOT NULL,              -- YYYY-MM-DD
    title       TEXT NOT NULL DEFAULT '',
    imported_at TEXT NOT NULL,
    UNIQUE (source, edition)
);

-- The files an edition was imported from, with their digests.
CREATE TABLE files (
    id          INTEGER PRIMARY KEY,
    list_id     INTEGER NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    format      TEXT NOT NULL,
    size        INTEGER NOT NULL,
    imported_at TEXT NOT NULL
);
CREATE INDEX files_sha ON files(sha256);

-- One entry of one list, with the row as read.
CREATE TABLE records (
    id          INTEGER PRIMARY KEY,
    list_id     INTEGER NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
    file_id     INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    row         INTEGER NOT NULL,
    ref         TEXT NOT NULL,
    location    TEXT NOT NULL DEFAULT '',
    name        TEXT NOT NULL,
    surname     TEXT NOT NULL DEFAULT '',
    given       TEXT NOT NULL DEFAULT '',
    patronymic  TEXT NOT NULL DEFAULT '',
    birth_year  INTEGER NOT NULL DEFAULT 0,
    birth_date  TEXT NOT NULL DEFAULT '',
    gender      TEXT NOT NULL DEFAULT '',
    grp         TEXT NOT NULL DEFAULT '',
    group_raw   TEXT NOT NULL DEFAULT '',
    case_name   TEXT NOT NULL DEFAULT '',
    arrest_date TEXT NOT NULL DEFAULT '',
    sentence    TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT '',
    charges     TEXT NOT NULL DEFAULT '',
    place       TEXT NOT NULL DEFAULT '',
    notes       TEXT NOT NULL DEFAULT '',
    raw         TEXT NOT NULL,
    aliases     TEXT NOT NULL DEFAULT '',   -- JSON array of the other names from alias columns; '' for none
    UNIQUE (list_id, ref)
);
CREATE INDEX records_list_row ON records(list_id, row);
-- Records per group of each list (roster sources, lists) from the index
-- alone: at a million records, 0.3 s instead of 1.8 s reading every row.
CREATE INDEX records_list_grp ON records(list_id, grp);

-- A match run: thresholds, counts and when it ran.
CREATE TABLE runs (
    id            INTEGER PRIMARY KEY,
    started_at    TEXT NOT NULL,
    finished_at   TEXT NOT NULL,
    link_threshold   REAL NOT NULL,
    review_threshold REAL NOT NULL,
    stats         TEXT NOT NULL DEFAULT '{}'   -- JSON summary
);

-- Persons with stable IDs. seq gives P-000123; a merged person keeps its
-- row with status 'merged' and redirect_to the surviving ID.
CREATE TABLE persons (
    seq         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    status      TEXT NOT NULL DEFAULT 'active',  -- active | merged | retired
    redirect_to TEXT,
    created_run INTEGER NOT NULL DEFAULT 0,
    updated_run INTEGER NOT NULL DEFAULT 0
);

-- The current assignment of records to persons. Keyed by the record's
-- stable identity (source, edition, ref) and a content fingerprint, so the
-- previous assignment survives a re-import that gives records new row IDs.
CREATE TABLE members (
    person_id   TEXT NOT NULL REFERENCES persons(id),
    source      TEXT NOT NULL,
    edition     TEXT NOT NULL,
    ref         TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    record_id   INTEGER,                         -- the record row at the time of the run
    link        TEXT NOT NULL,                   -- auto | analyst | single
    score       REAL NOT NULL DEFAULT 0,
    explanation TEXT NOT NULL DEFAULT '',        -- JSON: why this record is linked
    run_id      INTEGER NOT NULL,
    PRIMARY KEY (source, edition, ref)
);
CREATE INDEX members_person ON members(person_id);
CREATE INDEX members_fp ON members(source, fingerprint);

-- What happened to person IDs, run by run.
CREATE TABLE person_history (
    id        INTEGER PRIMARY KEY,
    run_id    INTEGER NOT NULL,
    person_id TEXT NOT NULL,
    event     TEXT NOT NULL,     -- created | merged-into | absorbed | split-from | retired | revived
    other_id  TEXT NOT NULL DEFAULT '',
    at        TEXT NOT NULL
);
CREATE INDEX person_history_person ON person_history(person_id);

-- Scored pairs of the last run that an analyst may want to see (review
-- band and above), with the explanation.
CREATE TABLE pairs (
    run_id      INTEGER NOT NULL,
    a_source    TEXT NOT NULL, a_edition TEXT NOT NULL, a_ref TEXT NOT NULL,
    b_source    TEXT NOT NULL, b_edition TEXT NOT NULL, b_ref TEXT NOT NULL,
    probability REAL NOT NULL,
    band        TEXT NOT NULL,   -- link | review | nonlink
    explanation TEXT NOT NULL,   -- JSON
    PRIMARY KEY (a_source, a_edition, a_ref, b_source, b_edition, b_ref)
);

-- Analyst decisions on pairs of records. Both sides are kept by reference
-- and by fingerprint so that a decision still applies after a re-import or
-- in a new edition of a source.
CREATE TABLE decisions (
    id          INTEGER PRIMARY KEY,
    a_source    TEXT NOT NULL, a_edition TEXT NOT NULL, a_ref TEXT NOT NULL, a_fingerprint TEXT NOT NULL,
    b_source    TEXT NOT NULL, b_edition TEXT NOT NULL, b_ref TEXT NOT NULL, b_fingerprint TEXT NOT NULL,
    item_id     INTEGER,                    -- the review item it settled, if any
    verdict     TEXT NOT NULL,              -- same | different | unsure | dismiss
    reason      TEXT NOT NULL,
    decided_by  TEXT NOT NULL,
    decided_at  TEXT NOT NULL,
    undone      INTEGER NOT NULL DEFAULT 0  -- 1 once undone (the undo is in the audit log)
);

-- Append-only audit log of every decision and undo, from the CLI and the UI.
CREATE TABLE audit (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,              -- decide | undo
    decision_id INTEGER,
    item_id     INTEGER,
    verdict     TEXT NOT NULL DEFAULT '',
    reason      TEXT NOT NULL DEFAULT '',
    detail      TEXT NOT NULL DEFAULT ''    -- JSON: the records or item concerned
);
CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;

-- The review queue. key identifies an item by its content (kind + the
-- records, person, source or group it is about) so that rebuilding the
-- queue after a new match keeps the state of items that still apply.
CREATE TABLE review_items (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'open',   -- open | decided | stale
    source      TEXT NOT NULL DEFAULT '',
    grp         TEXT NOT NULL DEFAULT '',
    person_id   TEXT NOT NULL DEFAULT '',
    records     TEXT NOT NULL DEFAULT '[]',     -- JSON array of "source@edition:ref"
    title       TEXT NOT NULL DEFAULT '',
    payload     TEXT NOT NULL DEFAULT '{}',     -- JSON: whatever the kind needs to be decided
    impact      REAL NOT NULL DEFAULT 0,
    decision_id INTEGER,
    version     INTEGER NOT NULL DEFAULT 0,     -- bumped on every state change (optimistic concurrency)
    created_run INTEGER NOT NULL DEFAULT 0,
    updated_run INTEGER NOT NULL DEFAULT 0,
    second_look INTEGER NOT NULL DEFAULT 0,     -- 1 once someone answered unsure: it stays open for a second look
    assigned_to TEXT NOT NULL DEFAULT '',       -- the analyst asked to take the second look
    round       INTEGER NOT NULL DEFAULT 0,     -- blind double review: the round of votes (bumped when reopened)
    held        INTEGER NOT NULL DEFAULT 0      -- 1 while an adjudication item settles the two votes' disagreement
);

-- Counters the store keeps (issue 16). data_version is bumped by every
-- import, so a match run can tell that the records changed while it ran;
-- queue_run is the match run the review queue was last rebuilt from.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO meta(key, value) VALUES ('data_version', 1), ('queue_run', 0);

-- Analysts of the web UI.
CREATE TABLE users (
    name          TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    role          TEXT NOT NULL DEFAULT 'analyst',  -- admin | analyst | viewer
    lang          TEXT NOT NULL DEFAULT ''          -- the web UI's language: az | ru | en; '' = the browser's (Accept-Language)
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user       TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
    csrf       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

-- Privacy marks (issue 15): an append-only log of mark and unmark actions
-- on persons (a family asked that the name not be published) and on
-- columns (a field or a list's header whose values stay inside the
-- coalition). The latest action on a target is its state; internal/audience
-- works out what is private now, following persons through merges and
-- splits. Each action also has its line in the audit log.
CREATE TABLE privacy_marks (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,              -- mark | unmark
    person_id TEXT NOT NULL DEFAULT '',   -- a person mark: the person ID as given
    source    TEXT NOT NULL DEFAULT '',   -- a column mark: the source ('' for every source)
    col       TEXT NOT NULL DEFAULT '',   -- a column mark: a field name (notes, birth…) or a header as written
    reason    TEXT NOT NULL DEFAULT '',
    asked_by  TEXT NOT NULL DEFAULT ''    -- who asked (a family, a lawyer, the source)
);
CREATE TRIGGER privacy_marks_append_only_update BEFORE UPDATE ON privacy_marks
BEGIN SELECT RAISE(ABORT, 'privacy marks are append-only'); END;
CREATE TRIGGER privacy_marks_append_only_delete BEFORE DELETE ON privacy_marks
BEGIN SELECT RAISE(ABORT, 'privacy marks are append-only'); END;

-- ---- Review as a team: list scope, blind double review, roles, sessions,
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

CREATE TRIGGER review_items_count_insert AFTER INSERT ON review_items BEGIN
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
-- decisions; omission_min: how many other sources must list a person for
-- an omission).
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

-- The canonical name of each person as the queue last computed it, with
-- a hash of the spellings it came from: a rebuild parses again only the
-- persons whose records' spellings changed.
CREATE TABLE person_names (
    person_id TEXT PRIMARY KEY,
    spellings INTEGER NOT NULL,
    name      TEXT NOT NULL
) WITHOUT ROWID;
