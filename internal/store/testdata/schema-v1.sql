-- Roster's whole current schema. internal/store applies it to a new
-- database and stamps PRAGMA user_version with the version below; older
-- files are migrated step by step by internal/store/migrate.go.
-- schema-version: 1

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
    UNIQUE (list_id, ref)
);
CREATE INDEX records_list_row ON records(list_id, row);

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
    updated_run INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX review_items_kind ON review_items(kind, state);

-- Analysts of the web UI.
CREATE TABLE users (
    name          TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user       TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
    csrf       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
