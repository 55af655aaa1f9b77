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
];
