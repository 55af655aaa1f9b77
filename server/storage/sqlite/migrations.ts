/**
 * Schema migrations, applied in order on start. `PRAGMA user_version` records how many ran.
 * Append new steps; never edit a step that has shipped.
 */
export const migrations: readonly string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT;
  INSERT INTO meta (key, value) VALUES ('seq', 0);

  CREATE TABLE topics (slug TEXT PRIMARY KEY, name TEXT NOT NULL, created_at TEXT NOT NULL) STRICT;

  -- The current state of each item. The integer rowid is the key of the full-text index.
  CREATE TABLE items (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    seq INTEGER NOT NULL,
    status TEXT NOT NULL,
    pinned INTEGER NOT NULL,
    published_at TEXT NOT NULL,
    headline TEXT NOT NULL,
    summary TEXT NOT NULL,
    data TEXT NOT NULL
  ) STRICT;
  CREATE INDEX items_timeline ON items (published_at DESC, id DESC);

  CREATE TABLE item_topics (topic TEXT NOT NULL, item_id TEXT NOT NULL, PRIMARY KEY (topic, item_id)) STRICT, WITHOUT ROWID;
  CREATE INDEX item_topics_item ON item_topics (item_id);

  -- The change log. Every change makes a new version of one item, so it is the revision history too.
  CREATE TABLE changes (
    seq INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    item_id TEXT NOT NULL,
    item TEXT NOT NULL
  ) STRICT;
  CREATE INDEX changes_item ON changes (item_id, seq);

  CREATE VIRTUAL TABLE items_fts USING fts5(
    headline, summary, content='items', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
  );
  CREATE TRIGGER items_fts_insert AFTER INSERT ON items BEGIN
    INSERT INTO items_fts (rowid, headline, summary) VALUES (new.rowid, new.headline, new.summary);
  END;
  CREATE TRIGGER items_fts_update AFTER UPDATE ON items BEGIN
    INSERT INTO items_fts (items_fts, rowid, headline, summary) VALUES ('delete', old.rowid, old.headline, old.summary);
    INSERT INTO items_fts (rowid, headline, summary) VALUES (new.rowid, new.headline, new.summary);
  END;

  CREATE TABLE idempotency_keys (
    principal TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    item_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (principal, key)
  ) STRICT;
  CREATE INDEX idempotency_keys_age ON idempotency_keys (created_at);

  CREATE TABLE operators (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0
  ) STRICT;

  CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    operator_id TEXT NOT NULL REFERENCES operators (id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
  ) STRICT;

  CREATE TABLE tokens (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    revoked INTEGER NOT NULL DEFAULT 0
  ) STRICT;
  `,
  `
  ALTER TABLE tokens ADD COLUMN created_at TEXT NOT NULL DEFAULT '1970-01-01T00:00:00.000Z';

  CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL
  ) STRICT;
  CREATE INDEX audit_at ON audit (at);
  CREATE INDEX sessions_operator ON sessions (operator_id);
  `,
  `
  -- The timeline's epoch: drawn once, when the storage is created (or, for a database made before
  -- epochs, when this step runs), and kept for good. Readers keep it with their seq, so a seq from
  -- another database (a restored or replaced one) is never taken for one of this timeline's.
  CREATE TABLE timeline_epoch (id INTEGER PRIMARY KEY CHECK (id = 1), epoch TEXT NOT NULL) STRICT;
  INSERT INTO timeline_epoch (id, epoch) VALUES (1, lower(hex(randomblob(16))));
  `,
  `
  -- Search runs on the words shared/search.ts makes (Arabic without its article, emoji as words),
  -- written by the storage on every commit; rows from before get them when the storage opens.
  -- Emoji are symbols (So), so the tokenizer keeps them as tokens.
  ALTER TABLE items ADD COLUMN search_text TEXT;
  DROP TRIGGER items_fts_insert;
  DROP TRIGGER items_fts_update;
  DROP TABLE items_fts;
  CREATE VIRTUAL TABLE items_fts USING fts5(
    search_text, content='items', content_rowid='rowid',
    tokenize="unicode61 remove_diacritics 0 categories 'L* N* Co So'"
  );
  CREATE TRIGGER items_fts_insert AFTER INSERT ON items BEGIN
    INSERT INTO items_fts (rowid, search_text) VALUES (new.rowid, coalesce(new.search_text, ''));
  END;
  -- A row from before (search_text NULL) is not in the new index yet: nothing to delete for it.
  CREATE TRIGGER items_fts_update AFTER UPDATE ON items BEGIN
    INSERT INTO items_fts (items_fts, rowid, search_text)
      SELECT 'delete', old.rowid, old.search_text WHERE old.search_text IS NOT NULL;
    INSERT INTO items_fts (rowid, search_text) VALUES (new.rowid, coalesce(new.search_text, ''));
  END;
  `,
  `
  -- The audit log reads the change log in time order, a page at a time: by the time of each
  -- change, then its seq (see listAudit).
  CREATE INDEX changes_audit ON changes (json_extract(item, '$.updatedAt'), seq);
  `,
  `
  -- Followed wires (server/wires/store.ts). Times are ISO 8601 UTC text, flags 0/1, topics JSON
  -- text, so one set of statements runs on both storages. The lease (lease_owner, lease_until)
  -- lets exactly one node fetch a source at a time.
  CREATE TABLE wire_sources (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    name TEXT NOT NULL,
    topics TEXT NOT NULL,
    mode TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    interval_seconds INTEGER,
    adaptive_seconds INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    last_fetched_at TEXT,
    last_success_at TEXT,
    last_status INTEGER,
    last_error TEXT,
    next_fetch_at TEXT NOT NULL,
    consecutive_errors INTEGER NOT NULL DEFAULT 0,
    disabled_reason TEXT,
    entries_created INTEGER NOT NULL DEFAULT 0,
    etag TEXT,
    last_modified TEXT,
    lease_owner TEXT,
    lease_until TEXT
  ) STRICT;
  CREATE INDEX wire_sources_due ON wire_sources (next_fetch_at);

  -- Every entry a wire has shown, by its identity in that wire (guid, else link, else a hash of
  -- title and date), and what became of it: published (item_id), held for an operator, or
  -- discarded. A re-poll finds it here and creates nothing.
  CREATE TABLE wire_entries (
    id TEXT PRIMARY KEY,
    source_id TEXT NOT NULL,
    guid TEXT NOT NULL,
    state TEXT NOT NULL,
    item_id TEXT,
    content_hash TEXT NOT NULL,
    headline TEXT NOT NULL,
    summary TEXT NOT NULL,
    url TEXT,
    published_at TEXT,
    received_at TEXT NOT NULL,
    UNIQUE (source_id, guid)
  ) STRICT;
  CREATE INDEX wire_entries_state ON wire_entries (state);
  `,
  `
  -- Web Push (server/push/): the VAPID key pair made on first start when none is configured, kept
  -- here so that every node signs with the same one; and readers' subscriptions, one per endpoint,
  -- with their topics as JSON text.
  CREATE TABLE push_vapid (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    public_key TEXT NOT NULL,
    private_key TEXT NOT NULL,
    created_at TEXT NOT NULL
  ) STRICT;
  CREATE TABLE push_subscriptions (
    endpoint TEXT PRIMARY KEY,
    p256dh TEXT NOT NULL,
    auth TEXT NOT NULL,
    topics TEXT NOT NULL,
    min_urgency INTEGER NOT NULL,
    created_at TEXT NOT NULL
  ) STRICT;
  `,
  `
  -- Uploaded pictures (server/media/): the bytes livedesk re-encoded, never the upload's, kept
  -- here so that every node serves them. Served widths are made from these on demand.
  CREATE TABLE media (
    id TEXT PRIMARY KEY,
    content_type TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    bytes BLOB NOT NULL,
    uploaded_by TEXT NOT NULL,
    created_at TEXT NOT NULL
  ) STRICT;
  `,
  `
  -- Push alerts' progress (server/push/dispatch.ts): the change log is the outbox. One node at a
  -- time holds the lease and works out the alerts of every change after alerted_through; a node
  -- that dies leaves the cursor where its last settled alert was, and the next holder goes on
  -- from there. Starts at the current seq: changes before push alerts existed alert nobody.
  CREATE TABLE push_dispatch (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    alerted_through INTEGER NOT NULL,
    lease_owner TEXT,
    lease_until TEXT
  ) STRICT;
  INSERT INTO push_dispatch (id, alerted_through) SELECT 1, value FROM meta WHERE key = 'seq';
  `,
  `
  -- The readers' "Key events" list (GET /api/items?keyEvent=true) reads key events in timeline
  -- order from this index, however few of them there are among the items. A row from before the
  -- field (no keyEvent in its data) is no key event. The storage's queries name this condition
  -- word for word (KEY_EVENT in sqlite-storage.ts), so that SQLite sees it covers them.
  CREATE INDEX items_key_events ON items (published_at DESC, id DESC) WHERE json_extract(data, '$.keyEvent') IS 1;
  `,
];
