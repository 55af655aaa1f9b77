import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { z } from "zod";
import type { Change, Item, Topic } from "../../../shared/item";
import { SqlWireStore, type WireStore } from "../../wires/store";
import type { Operator, StoredSession, StoredToken } from "../account-store";
import { boundFor, changeAuditColumns, changeKindOf, mergePage } from "../audit";
import type { AdminAuditLine, AdminChange, AuditEntry, AuditQuery, AuditRecord } from "../audit-store";
import { asStorageError, StorageError } from "../errors";
import {
  auditRow,
  changeRow,
  epochRow,
  idempotencyRow,
  itemRow,
  operatorRow,
  sessionRow,
  tokenRow,
  topicRow,
  valueRow,
} from "../rows";
import { searchText, toFtsQuery } from "../search";
import type { Storage } from "../storage";
import {
  type CommitRequest,
  type CommitResult,
  type ItemQuery,
  LASTING_KEYS_PRINCIPAL,
} from "../timeline-store";
import { SqliteMediaStore } from "./media";
import { migrations } from "./migrations";
import { SqlitePushStore } from "./push";
import { sqliteSqlClient } from "./wires";
import { statement, withSynchronous } from "./work";

/**
 * Below this much room the disk counts as full for `/readyz`: a group commit and the WAL's
 * checkpoint need room beyond the rows themselves.
 */
const MIN_FREE_BYTES = 1024 * 1024;
/** How often, at most, the group commits' own checkpoint runs (see `checkpoint`). */
const CHECKPOINT_EVERY_MS = 1000;
/** How long a group commit may wait for the previous one's sync, gathering publishes. */
const GATHER_MS = 2;
/** Whether a row is a key event: word for word the condition of the partial index items_key_events. */
export const KEY_EVENT = "json_extract(data, '$.keyEvent') IS 1";

function fdatasync(fd: number): Promise<void> {
  return new Promise((resolve, reject) =>
    fs.fdatasync(fd, (error) => (error === null ? resolve() : reject(error))),
  );
}

/**
 * The embedded default, in WAL mode. Every write is on disk before it is acknowledged: a group
 * commit of the timeline is written to the WAL and then synced off the event loop (see `flush`),
 * the others run with `synchronous=FULL` (but for the alert dispatcher's lease, see
 * `withSynchronous`), and the checkpoint is the desk's own, off the event loop too (see
 * `checkpoint`). better-sqlite3 is synchronous: a commit runs start to end without yielding, which
 * makes commit order and seq order the same.
 */
export class SqliteStorage implements Storage {
  private readonly db: Database.Database;

  /** Group commits written to the WAL so far, and how many of them are known to be on disk. */
  private written = 0;
  private durable = 0;
  /** The WAL's descriptor for the group commits' sync, opened at the first. */
  private walFd: number | undefined;
  private syncing: Promise<void> | undefined;
  /** The group commits' checkpoint under way, when the last one started, and its snapshot. */
  private checkpointing: Promise<void> | undefined;
  private checkpointedAt = 0;
  private snapshot: { db: Database.Database; pin: () => void; release: () => void } | undefined;
  private dbFd: number | undefined;
  /**
   * Set for good when the disk refused a sync: Linux may drop the pages it could not write and
   * report that once, so a later sync that succeeds proves nothing about them.
   */
  private syncFailure: StorageError | undefined;

  /** Set when a commit failed for want of room, with the free bytes then; cleared by a commit. */
  private fullAt: { free: number } | undefined;

  private constructor(
    db: Database.Database,
    private readonly file: string,
  ) {
    this.db = db;
  }

  /** Prepared once, reused: preparing is a good part of a small query's cost. */
  private statement(sql: string): Database.Statement {
    return statement(this.db, sql);
  }

  static open(file: string): SqliteStorage {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const db = new Database(file);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    db.pragma("foreign_keys = ON");
    db.pragma("busy_timeout = 5000");
    // Each commit of a group runs in a savepoint, whose undo pages (the statement journal) SQLite
    // would otherwise write to a temporary file: about 18 system calls per publish. They are only
    // needed while the transaction is open, so memory is the place; durability is the WAL's.
    db.pragma("temp_store = MEMORY");
    // A checkpoint runs inside the commit that takes the WAL past this many pages, and waits on
    // the event loop for two fsyncs, which take hundreds of milliseconds when the disk is busy:
    // every 4,000 pages (16 MB) rather than SQLite's 1,000, a quarter as many of those stalls.
    db.pragma("wal_autocheckpoint = 4000");
    const storage = new SqliteStorage(db, file);
    storage.migrate();
    return storage;
  }

  private migrate(): void {
    const applied = valueRow.parse({ value: this.db.pragma("user_version", { simple: true }) });
    const pending = migrations.slice(applied);
    this.db.transaction(() => {
      pending.forEach((sql, i) => {
        this.db.exec(sql);
        this.db.pragma(`user_version = ${applied + i + 1}`);
      });
      this.indexSearchText();
    })();
  }

  /**
   * Items written before the search words were stored get them here (the words are made in
   * TypeScript, so no SQL migration can); the full-text index follows through its trigger.
   */
  private indexSearchText(): void {
    const rows = z
      .array(z.object({ rowid: z.number(), headline: z.string(), summary: z.string() }))
      .parse(this.db.prepare("SELECT rowid, headline, summary FROM items WHERE search_text IS NULL").all());
    const update = this.db.prepare("UPDATE items SET search_text = ? WHERE rowid = ?");
    for (const row of rows) update.run(searchText(row), row.rowid);
  }

  private readItem(id: string): Item | null {
    const row = this.statement("SELECT data FROM items WHERE id = ?").get(id);
    return row === undefined ? null : itemRow.parse(row);
  }

  private readonly commitTransaction = (request: CommitRequest): CommitResult => {
    const claim = request.idempotency;
    if (claim !== undefined) {
      const row = this.statement(
        "SELECT fingerprint, item_id FROM idempotency_keys WHERE principal = ? AND key = ?",
      ).get(claim.principal, claim.key);
      if (row !== undefined) {
        const earlier = idempotencyRow.parse(row);
        if (earlier.fingerprint !== claim.fingerprint)
          return { status: "key_reused", itemId: earlier.itemId };
        // A key whose item is gone names nothing: the commit goes ahead and the key names the new item.
        const item = this.readItem(earlier.itemId);
        if (item !== null) return { status: "replayed", item };
      }
    }
    const decision = request.decide(this.readItem(request.itemId));
    if (!decision.ok) return { status: "refused", refusal: decision.refusal };

    const seq = valueRow.parse(
      this.statement("UPDATE meta SET value = value + 1 WHERE key = 'seq' RETURNING value").get(),
    );
    const { id, ...fields } = decision.item;
    const item: Item = { id, seq, ...fields };
    const data = JSON.stringify(item);
    this.statement(
      `INSERT INTO items (id, seq, status, pinned, published_at, headline, summary, search_text, data)
         VALUES (@id, @seq, @status, @pinned, @publishedAt, @headline, @summary, @searchText, @data)
         ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, status = excluded.status, pinned = excluded.pinned,
           published_at = excluded.published_at, headline = excluded.headline, summary = excluded.summary,
           search_text = excluded.search_text, data = excluded.data`,
    ).run({ ...item, pinned: item.pinned ? 1 : 0, searchText: searchText(item), data });
    this.statement("DELETE FROM item_topics WHERE item_id = ?").run(item.id);
    const addTopic = this.statement("INSERT INTO item_topics (topic, item_id) VALUES (?, ?)");
    for (const topic of item.topics) addTopic.run(topic, item.id);
    this.statement("INSERT INTO changes (seq, kind, item_id, item) VALUES (?, ?, ?, ?)").run(
      seq,
      decision.kind,
      item.id,
      data,
    );
    if (claim !== undefined) {
      this.statement(
        "INSERT OR REPLACE INTO idempotency_keys (principal, key, fingerprint, item_id, created_at) VALUES (?, ?, ?, ?, ?)",
      ).run(claim.principal, claim.key, claim.fingerprint, item.id, new Date().toISOString());
    }
    return { status: "committed", change: { seq, kind: decision.kind, item } };
  };

  private queue: {
    request: CommitRequest;
    resolve: (result: CommitResult) => void;
    reject: (error: unknown) => void;
  }[] = [];

  /**
   * Group commit: the commits asked for in one turn of the event loop share one transaction. Each
   * runs in a savepoint of its own, so one that throws takes none of the others with it. Seq order
   * is queue order.
   *
   * The transaction runs with `synchronous=NORMAL`: in WAL mode that writes it to the WAL (the
   * operating system's copy, which a crash of this process does not lose) without waiting for the
   * disk. It is answered at once, so the timeline broadcasts it, and the WAL is then synced with
   * `fdatasync` on libuv's thread pool; whoever acknowledges it to a client waits for `synced()`.
   * Most syncs take half a millisecond, but a few take hundreds when the disk flushes what other
   * files wrote, and each stalled every reader's delivery when it was waited for inside the commit.
   * What a reader may have seen and a power cut then lost is a restored backup's case: the reader
   * names the change at its seq and gets a reset (docs/reliability.md).
   */
  async commit(request: CommitRequest): Promise<CommitResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      if (this.queue.length === 1) this.scheduleFlush();
    });
  }

  /**
   * The next turn of the event loop, or, while the previous group's sync runs, when it ends (at
   * most GATHER_MS later): the publishes read meanwhile join the group. A group is one
   * transaction, one full-text segment and one broadcast, so under load fewer and larger groups
   * cost less per publish; a quiet desk's syncs end long before the next publish comes.
   */
  private scheduleFlush(): void {
    const syncing = this.syncing;
    if (syncing === undefined) {
      setImmediate(() => this.flush());
      return;
    }
    let gone = false;
    const go = () => {
      if (gone) return;
      gone = true;
      clearTimeout(timer);
      setImmediate(() => this.flush());
    };
    const timer = setTimeout(go, GATHER_MS);
    syncing.then(go, go);
  }

  private flush(): void {
    const batch = this.queue;
    this.queue = [];
    const one = this.db.transaction(this.commitTransaction);
    const outcomes: ({ ok: true; result: CommitResult } | { ok: false; error: unknown })[] = [];
    try {
      withSynchronous(this.db, "NORMAL", () =>
        this.db
          .transaction(() => {
            for (const { request } of batch) {
              try {
                outcomes.push({ ok: true, result: one(request) });
              } catch (error) {
                // SQLite rolls the whole transaction back by itself on some errors (SQLITE_FULL,
                // SQLITE_IOERR): the commits before this one are gone too, and the next ones would
                // run outside any transaction, each committing alone while this batch is reported
                // failed. So the batch ends here, as a whole.
                if (!this.db.inTransaction) throw error;
                outcomes.push({ ok: false, error });
              }
            }
          })
          .immediate(),
      );
    } catch (thrown) {
      // The batch as a whole did not commit (the disk is full, say): nothing of it was stored.
      const error = asStorageError(thrown) ?? thrown;
      if (error instanceof StorageError && error.kind === "full") this.fullAt = { free: this.freeBytes() };
      for (const { reject } of batch) reject(error);
      return;
    }
    this.fullAt = undefined;
    this.written += 1;
    batch.forEach(({ resolve, reject }, i) => {
      const outcome = outcomes[i];
      if (outcome?.ok) resolve(outcome.result);
      else reject(outcome?.error ?? new Error("commit lost"));
    });
  }

  /**
   * Resolves once every group commit answered so far is on disk; rejects when the disk refused
   * the sync. One sync at a time: the commits written while it runs share the next.
   */
  async synced(): Promise<void> {
    const upTo = this.written;
    while (this.durable < upTo) {
      if (this.syncFailure !== undefined) throw this.syncFailure;
      this.syncing ??= this.syncWal().finally(() => {
        this.syncing = undefined;
      });
      await this.syncing;
    }
  }

  private async syncWal(): Promise<void> {
    const upTo = this.written;
    // Pinned before the sync starts, the snapshot holds no frame this sync does not make durable.
    const checkpoint =
      this.checkpointing === undefined && Date.now() - this.checkpointedAt >= CHECKPOINT_EVERY_MS
        ? this.pinSnapshot()
        : false;
    try {
      this.walFd ??= fs.openSync(`${this.file}-wal`, "r+");
      await fdatasync(this.walFd);
    } catch (error) {
      throw this.failSync(error);
    }
    this.durable = Math.max(this.durable, upTo);
    if (checkpoint) {
      this.checkpointing = this.checkpoint().finally(() => {
        this.checkpointing = undefined;
      });
    }
  }

  private failSync(error: unknown): StorageError {
    this.syncFailure ??= new StorageError("unavailable", "The change could not be written to disk.", {
      cause: error,
    });
    return this.syncFailure;
  }

  /**
   * Starts a read transaction on a second connection, which holds the WAL's frames as they are
   * now: SQLite does not start the WAL over while a reader may still need them. False when the
   * connection cannot be opened: SQLite's own checkpoint then does the work.
   */
  private pinSnapshot(): boolean {
    try {
      if (this.snapshot === undefined) {
        const db = new Database(this.file);
        const read = db.prepare("SELECT value FROM meta WHERE key = 'seq'");
        const begin = db.prepare("BEGIN");
        const end = db.prepare("ROLLBACK");
        this.snapshot = {
          db,
          pin: () => {
            begin.run();
            read.get();
          },
          release: () => end.run(),
        };
      }
      this.snapshot.pin();
      return true;
    } catch {
      return false;
    }
  }

  /**
   * The group commits' checkpoint, which keeps the event loop from waiting for the disk: SQLite's
   * own (at `wal_autocheckpoint` pages, inside a commit) waits on it for an fsync of the WAL and
   * one of the database, each of which may take hundreds of milliseconds. This one runs once the
   * WAL up to the pinned snapshot is synced, so every frame it copies is durable, and copies them
   * into the database file without a sync (`synchronous=OFF`: PASSIVE copies no frame newer than
   * the snapshot); the database is then synced with `fdatasync` on the thread pool, and only then
   * is the snapshot released. Until then the WAL cannot start over, so a power cut at any point
   * leaves every copied frame in the WAL, and SQLite's recovery writes it again. SQLite's own
   * checkpoint stays, past 4,000 pages, for a WAL that the desk writes faster than this keeps up.
   */
  private async checkpoint(): Promise<void> {
    this.checkpointedAt = Date.now();
    try {
      withSynchronous(this.db, "OFF", () => this.statement("PRAGMA wal_checkpoint(PASSIVE)").get());
      this.dbFd ??= fs.openSync(this.file, "r+");
      await fdatasync(this.dbFd);
    } catch (error) {
      // The snapshot stays pinned: the frames the database may have lost stay in the WAL.
      this.failSync(error);
      return;
    }
    this.snapshot?.release();
  }

  async getItem(id: string): Promise<Item | null> {
    return this.readItem(id);
  }

  async listItems(query: ItemQuery): Promise<Item[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (query.status !== "all") {
      where.push("status = ?");
      params.push(query.status);
    }
    if (query.verification !== undefined) {
      // Items stored before the field existed have none: read as null, as the item schema reads them.
      if (query.verification === "none") where.push("json_extract(data, '$.verification') IS NULL");
      else {
        where.push("json_extract(data, '$.verification') = ?");
        params.push(query.verification);
      }
    }
    if (query.topics.length > 0) {
      where.push(
        `EXISTS (SELECT 1 FROM item_topics t WHERE t.item_id = items.id AND t.topic IN (${query.topics.map(() => "?").join(", ")}))`,
      );
      params.push(...query.topics);
    }
    if (query.text !== undefined) {
      const match = toFtsQuery(query.text);
      if (match !== null) {
        where.push("items.rowid IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ?)");
        params.push(match);
      }
    }
    if (query.keyEvent !== undefined) {
      // The very expression of the partial index items_key_events, so that key events are read
      // from it rather than by walking every item.
      where.push(query.keyEvent ? KEY_EVENT : `NOT ${KEY_EVENT}`);
    }
    if (query.after !== undefined) {
      where.push("(published_at < ? OR (published_at = ? AND id < ?))");
      params.push(query.after.publishedAt, query.after.publishedAt, query.after.id);
    }
    if (query.until !== undefined) {
      where.push("(published_at > ? OR (published_at = ? AND id >= ?))");
      params.push(query.until.publishedAt, query.until.publishedAt, query.until.id);
    }
    const filter = where.length > 0 ? `WHERE ${where.join(" AND ")}` : "";
    // By latest change: each item's current row is written by its latest change (items.seq), so
    // walking the change log backwards and keeping the rows that are an item's latest lists each
    // item once, newest change first.
    const sql =
      query.order === "latestChange"
        ? `SELECT items.data FROM changes JOIN items ON items.id = changes.item_id AND items.seq = changes.seq
           ${filter} ORDER BY changes.seq DESC LIMIT ?`
        : `SELECT data FROM items ${filter} ORDER BY published_at DESC, id DESC LIMIT ?`;
    return this.statement(sql)
      .all(...params, query.limit)
      .map((row) => itemRow.parse(row));
  }

  async listRevisions(id: string): Promise<Item[]> {
    return this.statement("SELECT seq, kind, item FROM changes WHERE item_id = ? ORDER BY seq")
      .all(id)
      .map((row) => changeRow.parse(row).item);
  }

  async changesSince(since: number, limit: number): Promise<Change[]> {
    return this.statement("SELECT seq, kind, item FROM changes WHERE seq > ? ORDER BY seq LIMIT ?")
      .all(since, limit)
      .map((row) => changeRow.parse(row));
  }

  async latestSeq(): Promise<number> {
    return valueRow.parse(this.statement("SELECT value FROM meta WHERE key = 'seq'").get());
  }

  async epoch(): Promise<string> {
    return epochRow.parse(this.statement("SELECT epoch FROM timeline_epoch WHERE id = 1").get());
  }

  async renewEpoch(): Promise<string> {
    return epochRow.parse(
      this.statement(
        "UPDATE timeline_epoch SET epoch = lower(hex(randomblob(16))) WHERE id = 1 RETURNING epoch",
      ).get(),
    );
  }

  async latestWindow(limit: number): Promise<Item[]> {
    const rows = this.statement(
      `SELECT data FROM (
           SELECT data, published_at, id FROM (SELECT * FROM items ORDER BY published_at DESC, id DESC LIMIT ?)
           UNION
           SELECT data, published_at, id FROM items WHERE status = 'published' AND pinned = 1
         ) ORDER BY published_at DESC, id DESC`,
    ).all(limit);
    return rows.map((row) => itemRow.parse(row));
  }

  async forgetIdempotencyKeys(olderThan: Date): Promise<number> {
    return this.statement("DELETE FROM idempotency_keys WHERE created_at < ? AND principal <> ?").run(
      olderThan.toISOString(),
      LASTING_KEYS_PRINCIPAL,
    ).changes;
  }

  async listTopics(): Promise<Topic[]> {
    return this.statement("SELECT slug, name FROM topics ORDER BY name COLLATE NOCASE, slug")
      .all()
      .map((row) => topicRow.parse(row));
  }

  async createTopic(topic: Topic): Promise<boolean> {
    return this.insertTopic(topic);
  }

  private insertTopic(topic: Topic): boolean {
    const result = this.statement(
      "INSERT INTO topics (slug, name, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
    ).run(topic.slug, topic.name, new Date().toISOString());
    return result.changes === 1;
  }

  async countOperators(): Promise<number> {
    return valueRow.parse(this.statement("SELECT count(*) AS value FROM operators").get());
  }

  async createOperator(operator: Operator): Promise<boolean> {
    return this.insertOperator(operator);
  }

  private insertOperator(operator: Operator): boolean {
    const result = this.statement(
      "INSERT INTO operators (id, username, role, password_hash, disabled) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
    ).run(operator.id, operator.username, operator.role, operator.passwordHash, operator.disabled ? 1 : 0);
    return result.changes === 1;
  }

  async findOperatorByUsername(username: string): Promise<Operator | null> {
    const row = this.statement("SELECT * FROM operators WHERE username = ?").get(username);
    return row === undefined ? null : operatorRow.parse(row);
  }

  async getOperator(id: string): Promise<Operator | null> {
    const row = this.statement("SELECT * FROM operators WHERE id = ?").get(id);
    return row === undefined ? null : operatorRow.parse(row);
  }

  async listOperators(): Promise<Operator[]> {
    return this.statement("SELECT * FROM operators ORDER BY username COLLATE NOCASE")
      .all()
      .map((row) => operatorRow.parse(row));
  }

  async createSession(session: StoredSession): Promise<void> {
    this.statement(
      "INSERT INTO sessions (id_hash, operator_id, csrf_token, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)",
    ).run(session.idHash, session.operatorId, session.csrfToken, session.createdAt, session.lastSeenAt);
  }

  async findSession(idHash: string): Promise<StoredSession | null> {
    const row = this.statement("SELECT * FROM sessions WHERE id_hash = ?").get(idHash);
    return row === undefined ? null : sessionRow.parse(row);
  }

  async touchSession(idHash: string, lastSeenAt: string): Promise<void> {
    this.statement("UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?").run(lastSeenAt, idHash);
  }

  async deleteSession(idHash: string): Promise<void> {
    this.statement("DELETE FROM sessions WHERE id_hash = ?").run(idHash);
  }

  async createToken(token: StoredToken): Promise<void> {
    this.insertToken(token);
  }

  private insertToken(token: StoredToken): void {
    this.statement(
      "INSERT INTO tokens (id, name, role, hash, revoked, created_at) VALUES (?, ?, ?, ?, ?, ?)",
    ).run(token.id, token.name, token.role, token.hash, token.revoked ? 1 : 0, token.createdAt);
  }

  async listTokens(): Promise<StoredToken[]> {
    return this.statement("SELECT * FROM tokens ORDER BY created_at DESC")
      .all()
      .map((row) => tokenRow.parse(row));
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    this.insertAudit(entry);
  }

  private insertAudit(entry: AuditEntry): void {
    this.statement("INSERT INTO audit (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)").run(
      entry.at,
      entry.actor,
      entry.action,
      entry.target,
      entry.detail,
    );
  }

  async listAudit(query: AuditQuery): Promise<AuditRecord[]> {
    // Each source is read in time order through an index, from the page's position down, and
    // at most `limit` lines of each: a page costs the same deep in the log as at its top.
    const change = changeAuditColumns((table, name) => `json_extract(${table}.item, '$.${name}')`);
    const read = (source: "audit" | "changes") => {
      const origin = source === "audit" ? 1 : 0;
      const at = source === "audit" ? "at" : "json_extract(item, '$.updatedAt')";
      const ord = source === "audit" ? "id" : "seq";
      const where: string[] = [];
      const params: (string | number)[] = [];
      if (query.actor !== undefined) {
        where.push(`lower(${source === "audit" ? "actor" : "json_extract(item, '$.author')"}) = lower(?)`);
        params.push(query.actor);
      }
      if (query.action !== undefined) {
        if (source === "audit") where.push("action = ?");
        else {
          // The kind first: only an update's line needs the version before it read to tell its action.
          const kind = changeKindOf(query.action);
          where.push("kind = ?");
          params.push(kind === "verification" ? "updated" : (kind ?? ""));
          where.push(`${change.action} = ?`);
        }
        params.push(query.action);
      }
      if (query.target !== undefined) {
        where.push(`${source === "audit" ? "target" : "item_id"} = ?`);
        params.push(query.target);
      }
      const bound = boundFor(query.after, origin);
      if (bound !== undefined) {
        // The plain `<=` lets SQLite seek in the index; the row value then orders within a time.
        where.push(`${at} <= ? AND (${at}, ${ord}) < (?, ?)`);
        params.push(bound.at, bound.at, bound.ord);
      }
      const columns =
        source === "audit"
          ? "at, actor, action, target, detail"
          : `${at} AS at, json_extract(item, '$.author') AS actor, ${change.action} AS action,
             item_id AS target, ${change.detail} AS detail`;
      return this.statement(
        `SELECT ${columns}, ${origin} AS origin, ${ord} AS ord FROM ${source}
         ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
         ORDER BY ${at} DESC, ${ord} DESC LIMIT ?`,
      )
        .all(...params, query.limit)
        .map((row) => auditRow.parse(row));
    };
    // The change log is the audit of the timeline; it is read, never copied into the audit table.
    const changes = changeKindOf(query.action) === null ? [] : read("changes");
    return mergePage(read("audit"), changes, query.limit);
  }

  async findTokenByHash(hash: string): Promise<StoredToken | null> {
    const row = this.statement("SELECT * FROM tokens WHERE hash = ?").get(hash);
    return row === undefined ? null : tokenRow.parse(row);
  }

  /**
   * The change and its audit line in one transaction. better-sqlite3 runs it start to end without
   * yielding, so no group commit of the timeline can interleave with it.
   */
  async applyAdminChange(change: AdminChange, line: AdminAuditLine): Promise<boolean> {
    try {
      return this.db.transaction(() => {
        const applied = this.applyChange(change);
        if (applied) this.insertAudit({ ...line, action: change.action });
        return applied;
      })();
    } catch (error) {
      throw asStorageError(error) ?? error;
    }
  }

  /** One admin change, inside the caller's transaction; false when it did not apply. */
  private applyChange(change: AdminChange): boolean {
    switch (change.action) {
      case "topic.created":
        return this.insertTopic(change.topic);
      case "topic.renamed":
        return (
          this.statement("UPDATE topics SET name = ? WHERE slug = ?").run(change.name, change.slug)
            .changes === 1
        );
      case "operator.created":
        return this.insertOperator(change.operator);
      case "operator.updated": {
        const { role, disabled, passwordHash } = change.change;
        const updated = this.statement(
          `UPDATE operators SET role = coalesce(?, role), disabled = coalesce(?, disabled),
             password_hash = coalesce(?, password_hash) WHERE id = ?`,
        ).run(
          role ?? null,
          disabled === undefined ? null : disabled ? 1 : 0,
          passwordHash ?? null,
          change.operatorId,
        );
        if (updated.changes !== 1) return false;
        if (change.endSessions)
          this.statement("DELETE FROM sessions WHERE operator_id = ?").run(change.operatorId);
        return true;
      }
      case "token.created":
        this.insertToken(change.token);
        return true;
      case "token.revoked":
        return (
          this.statement("UPDATE tokens SET revoked = 1 WHERE id = ? AND revoked = 0").run(change.tokenId)
            .changes === 1
        );
    }
  }

  /** Bytes the database's file system has left for it, or Infinity when it cannot tell. */
  private freeBytes(): number {
    try {
      const stats = fs.statfsSync(path.dirname(this.file));
      return stats.bavail * stats.bsize;
    } catch {
      return Number.POSITIVE_INFINITY;
    }
  }

  /**
   * Throws a StorageError "full" when the disk has no room: less than MIN_FREE_BYTES left, or a
   * commit failed for want of room and no room has been made since.
   */
  async ping(): Promise<void> {
    this.statement("SELECT 1").get();
    const free = this.freeBytes();
    if (free < MIN_FREE_BYTES || (this.fullAt !== undefined && free < this.fullAt.free + MIN_FREE_BYTES)) {
      throw new StorageError("full", `The disk of ${this.file} is full (${free} bytes free).`);
    }
  }

  /** The followed wires, kept in this database (server/wires/store.ts). */
  wires(): WireStore {
    return new SqlWireStore(sqliteSqlClient(this.db));
  }

  /** Readers' push subscriptions and the VAPID key pair, in this database (server/push/store.ts). */
  push(): SqlitePushStore {
    return new SqlitePushStore(this.db);
  }

  /** Uploaded pictures, in this database (server/media/store.ts). */
  media(): SqliteMediaStore {
    return new SqliteMediaStore(this.db);
  }

  async close(): Promise<void> {
    // A sync or checkpoint under way ends first: the descriptors close after it.
    await this.syncing?.catch(() => {});
    await this.checkpointing;
    this.snapshot?.db.close();
    this.snapshot = undefined;
    if (this.db.open) this.db.close();
    for (const fd of [this.walFd, this.dbFd]) if (fd !== undefined) fs.closeSync(fd);
    this.walFd = undefined;
    this.dbFd = undefined;
  }
}
