/**
 * PostgreSQL schema migrations, applied in order on start under an advisory lock, so that several
 * nodes starting at once migrate once. Append new steps; never edit a step that has shipped.
 */
export const pgMigrations: readonly string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value BIGINT NOT NULL);
  INSERT INTO meta (key, value) VALUES ('seq', 0);

  CREATE TABLE topics (slug TEXT PRIMARY KEY, name TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now());

  CREATE TABLE items (
    id TEXT PRIMARY KEY,
    seq BIGINT NOT NULL,
    status TEXT NOT NULL,
    pinned BOOLEAN NOT NULL,
    published_at TEXT NOT NULL,
    headline TEXT NOT NULL,
    summary TEXT NOT NULL,
    data JSONB NOT NULL,
    search TSVECTOR GENERATED ALWAYS AS (to_tsvector('simple', headline || ' ' || summary)) STORED
  );
  CREATE INDEX items_timeline ON items (published_at DESC, id DESC);
  CREATE INDEX items_search ON items USING GIN (search);

  CREATE TABLE item_topics (topic TEXT NOT NULL, item_id TEXT NOT NULL, PRIMARY KEY (topic, item_id));
  CREATE INDEX item_topics_item ON item_topics (item_id);

  CREATE TABLE changes (seq BIGINT PRIMARY KEY, kind TEXT NOT NULL, item_id TEXT NOT NULL, item JSONB NOT NULL);
  CREATE INDEX changes_item ON changes (item_id, seq);

  CREATE TABLE idempotency_keys (
    principal TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    item_id TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (principal, key)
  );
  CREATE INDEX idempotency_keys_age ON idempotency_keys (created_at);

  CREATE TABLE operators (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled BOOLEAN NOT NULL DEFAULT false
  );
  CREATE UNIQUE INDEX operators_username ON operators (lower(username));

  CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    operator_id TEXT NOT NULL REFERENCES operators (id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
  );
  CREATE INDEX sessions_operator ON sessions (operator_id);

  CREATE TABLE tokens (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    revoked BOOLEAN NOT NULL DEFAULT false,
    created_at TEXT NOT NULL
  );

  CREATE TABLE audit (
    id BIGSERIAL PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL
  );
  CREATE INDEX audit_at ON audit (at);
  `,
  `
  -- The timeline's epoch: drawn once, when the storage is created (or, for a database made before
  -- epochs, when this step runs), and kept for good. See the SQLite migration of the same name.
  CREATE TABLE timeline_epoch (id INTEGER PRIMARY KEY CHECK (id = 1), epoch TEXT NOT NULL);
  INSERT INTO timeline_epoch (id, epoch) VALUES (1, replace(gen_random_uuid()::text, '-', ''));
  `,
  `
  -- Search runs on the words shared/search.ts makes (Arabic without its article, emoji as words),
  -- written by the storage on every commit as lexemes kept as they are; rows from before get them
  -- when a node starts. The 'simple' parser's vector it replaces dropped emoji.
  ALTER TABLE items DROP COLUMN search;
  ALTER TABLE items ADD COLUMN search_words TSVECTOR;
  CREATE INDEX items_search_words ON items USING GIN (search_words);
  `,
  // One commit in one statement: the seq row is locked only while PostgreSQL runs this function,
  // never across a round trip to a node, so a node that freezes mid-commit holds nobody up. The
  // node read the item (and the idempotency key) and decided without a lock; the function checks
  // under the lock that neither changed since (the item's seq is the same, the key still unused)
  // and answers NULL when one did, after which the node reads and decides again.
  `
  CREATE FUNCTION livedesk_commit(
    p_id TEXT, p_read_seq BIGINT, p_kind TEXT, p_item JSONB, p_topics TEXT[],
    p_principal TEXT, p_key TEXT, p_fingerprint TEXT, p_search_words TEXT[]
  ) RETURNS BIGINT LANGUAGE plpgsql AS $$
  DECLARE
    next_seq BIGINT;
    stored_seq BIGINT;
  BEGIN
    SELECT value + 1 INTO next_seq FROM meta WHERE key = 'seq' FOR UPDATE;
    SELECT seq INTO stored_seq FROM items WHERE id = p_id;
    IF stored_seq IS DISTINCT FROM p_read_seq THEN RETURN NULL; END IF;
    IF p_key IS NOT NULL AND EXISTS (
      SELECT 1 FROM idempotency_keys WHERE principal = p_principal AND key = p_key
    ) THEN RETURN NULL; END IF;
    UPDATE meta SET value = next_seq WHERE key = 'seq';
    p_item := jsonb_set(p_item, '{seq}', to_jsonb(next_seq));
    INSERT INTO items (id, seq, status, pinned, published_at, headline, summary, data, search_words)
      VALUES (p_id, next_seq, p_item->>'status', (p_item->>'pinned')::boolean, p_item->>'publishedAt',
              p_item->>'headline', p_item->>'summary', p_item, array_to_tsvector(p_search_words))
      ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, status = excluded.status, pinned = excluded.pinned,
        published_at = excluded.published_at, headline = excluded.headline, summary = excluded.summary,
        data = excluded.data, search_words = excluded.search_words;
    DELETE FROM item_topics WHERE item_id = p_id;
    INSERT INTO item_topics (topic, item_id) SELECT DISTINCT topic, p_id FROM unnest(p_topics) AS topic;
    INSERT INTO changes (seq, kind, item_id, item) VALUES (next_seq, p_kind, p_id, p_item);
    IF p_key IS NOT NULL THEN
      INSERT INTO idempotency_keys (principal, key, fingerprint, item_id, created_at)
        VALUES (p_principal, p_key, p_fingerprint, p_id, now());
    END IF;
    RETURN next_seq;
  END
  $$;
  `,
  `
  -- The audit log reads the change log in time order, a page at a time: with this index the
  -- planner merges it with the audit table's index (Merge Append), so a page reads about as many
  -- rows as it shows, however long the log (see listAudit).
  CREATE INDEX changes_audit ON changes ((item->>'updatedAt'), seq);
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
  );
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
  );
  CREATE INDEX wire_entries_state ON wire_entries (state);
  `,
  `
  -- Web Push (server/push/): the VAPID key pair made on first start when none is configured, kept
  -- here so that every node signs with the same one; and readers' subscriptions, one per endpoint.
  CREATE TABLE push_vapid (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    public_key TEXT NOT NULL,
    private_key TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE push_subscriptions (
    endpoint TEXT PRIMARY KEY,
    p256dh TEXT NOT NULL,
    auth TEXT NOT NULL,
    topics TEXT[] NOT NULL,
    min_urgency INTEGER NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX push_subscriptions_topics ON push_subscriptions USING GIN (topics);
  `,
  `
  -- Uploaded pictures (server/media/): the bytes livedesk re-encoded, never the upload's, kept
  -- here so that every node serves them. Served widths are made from these on demand.
  CREATE TABLE media (
    id TEXT PRIMARY KEY,
    content_type TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    bytes BYTEA NOT NULL,
    uploaded_by TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  `,
  `
  -- Push alerts' progress (server/push/dispatch.ts): the change log is the outbox. One node at a
  -- time holds the lease and works out the alerts of every change after alerted_through; a node
  -- that dies leaves the cursor where its last settled alert was, and the next holder goes on
  -- from there. Starts at the current seq: changes before push alerts existed alert nobody.
  CREATE TABLE push_dispatch (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    alerted_through BIGINT NOT NULL,
    lease_owner TEXT,
    lease_until TEXT
  );
  INSERT INTO push_dispatch (id, alerted_through) SELECT 1, value FROM meta WHERE key = 'seq';
  `,
  `
  -- The readers' "Key events" list reads key events in timeline order from this index; see the
  -- SQLite migration of the same name. The storage's queries name the condition word for word
  -- (KEY_EVENT in pg-storage.ts), so that the planner sees it covers them.
  CREATE INDEX items_key_events ON items (published_at DESC, id DESC)
    WHERE coalesce((data->>'keyEvent')::boolean, false);
  `,
];
