import pg from "pg";
import { z } from "zod";
import type { Change, Item, Topic } from "../../../shared/item";
import { searchWords } from "../../../shared/search";
import { SqlWireStore, type WireStore } from "../../wires/store";
import type { Operator, StoredSession, StoredToken } from "../account-store";
import { changeAuditColumns } from "../audit";
import type { AdminAuditLine, AdminChange, AuditEntry, AuditQuery, AuditRecord } from "../audit-store";
import { asStorageError, StorageError } from "../errors";
import {
  auditRow,
  changeRow,
  epochRow,
  itemColumn,
  itemRow,
  operatorRow,
  sessionRow,
  tokenRow,
  topicRow,
  valueRow,
} from "../rows";
import { toTsQuery } from "../search";
import type { Storage } from "../storage";
import {
  type CommitRequest,
  type CommitResult,
  type Decision,
  type IdempotencyClaim,
  type ItemQuery,
  LASTING_KEYS_PRINCIPAL,
} from "../timeline-store";
import { adminChangeSql } from "./admin-changes";
import { PgMediaStore } from "./media";
import { pgMigrations } from "./migrations";
import { PgPushStore } from "./push";
import { pgSqlClient } from "./wires";

const INT8_OID = 20;
const MIGRATION_LOCK = 4_711_001;
/** Whether a row is a key event: word for word the condition of the partial index items_key_events. */
export const KEY_EVENT = "coalesce((data->>'keyEvent')::boolean, false)";

/** Every call to PostgreSQL has a deadline; a URL's query parameters of the same names override them. */
export interface PgTimeouts {
  /** Connecting, or waiting for a free connection of the pool. */
  connect_timeout_ms: number;
  /** Server side: a statement running longer is cancelled. */
  statement_timeout: number;
  /** Server side: waiting longer for a lock (the seq row, say) fails. */
  lock_timeout: number;
  /** Server side: a transaction left open without a query is ended. */
  idle_in_transaction_session_timeout: number;
  /**
   * Client side: no answer after this long ends the connection. A server that hangs (SIGSTOP, a
   * dead host behind a live network) answers nothing, so only the client can cut it off. A little
   * longer than statement_timeout, so a live server cancels its own statement first.
   */
  query_timeout: number;
}

export const DEFAULT_PG_TIMEOUTS: PgTimeouts = {
  connect_timeout_ms: 2000,
  statement_timeout: 3000,
  lock_timeout: 2000,
  idle_in_transaction_session_timeout: 5000,
  query_timeout: 4000,
};

const timeoutParam = z.coerce.number().int().min(1).max(3_600_000).optional();
const timeoutParams = z.object({
  connect_timeout: timeoutParam,
  statement_timeout: timeoutParam,
  lock_timeout: timeoutParam,
  idle_in_transaction_session_timeout: timeoutParam,
  query_timeout: timeoutParam,
});

/**
 * The timeouts for `url`: its query parameters (libpq's `connect_timeout` in seconds, the rest in
 * milliseconds) over the defaults. A bad value is an error naming it, at start.
 */
export function pgTimeouts(url: string): PgTimeouts {
  const parsed = timeoutParams.safeParse(Object.fromEntries(new URL(url).searchParams));
  if (!parsed.success) {
    throw new Error(
      `DATABASE_URL: ${parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`).join("; ")}`,
    );
  }
  const p = parsed.data;
  const d = DEFAULT_PG_TIMEOUTS;
  return {
    connect_timeout_ms: p.connect_timeout === undefined ? d.connect_timeout_ms : p.connect_timeout * 1000,
    statement_timeout: p.statement_timeout ?? d.statement_timeout,
    lock_timeout: p.lock_timeout ?? d.lock_timeout,
    idle_in_transaction_session_timeout:
      p.idle_in_transaction_session_timeout ?? d.idle_in_transaction_session_timeout,
    query_timeout: p.query_timeout ?? d.query_timeout,
  };
}

/**
 * A decision that raced a commit of the same item (or key) is taken again, after a short random
 * wait (so that writers racing for one item spread out), for this long at most.
 */
const COMMIT_RETRY_MS = 4000;
/** Closing waits this long for PostgreSQL to say goodbye; a hung server does not. */
const CLOSE_MS = 1500;
/** How long migrations may take at start, in all (see `migrate`). */
const MIGRATION_MS = 10 * 60 * 1000;
/**
 * PostgreSQL cannot be asked how much room it has left, so `ping` reports the disk full for this
 * long after a write failed for want of it, unless a commit succeeds meanwhile: long enough for
 * `/readyz` to say so, short enough that a node is not kept out of the load balancer for good.
 */
const FULL_REMEMBERED_MS = 10_000;

const readRow = z.object({
  data: z.nullable(itemColumn),
  seq: z.number().nullable(),
  fingerprint: z.string().nullable(),
  item_id: z.string().nullable(),
});
const committedRow = z.object({ seq: z.number().nullable() });

/**
 * PostgreSQL, for several nodes sharing one timeline. A commit of a change to an item is two
 * round trips: read the item and the idempotency key and decide, without a lock; then one call of
 * `livedesk_commit`, which locks the seq counter row, checks nothing changed since the read, and
 * writes the item, its topics, the change and the key, all in the statement's own transaction. A
 * new item is one round trip: decided as new without the read, which livedesk_commit checks. Writers on all nodes
 * take turns on the seq row, so the seq a commit takes is the next one and it commits before the
 * next writer reads the counter: gapless, and commit order is seq order. The lock is never held
 * while PostgreSQL waits for a node, so a node that freezes cannot stop the others.
 */
export class PgStorage implements Storage {
  /** When a write last failed for want of disk, until a commit succeeds. */
  private fullAt: number | undefined;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly onQuery: (sql: string) => void,
  ) {}

  /** `onQuery` hears of every statement sent (a round trip each), as tests count them. */
  static async open(url: string, options: { onQuery?: (sql: string) => void } = {}): Promise<PgStorage> {
    const timeouts = pgTimeouts(url);
    const pool = new pg.Pool({
      connectionString: url,
      max: 10,
      connectionTimeoutMillis: timeouts.connect_timeout_ms,
      statement_timeout: timeouts.statement_timeout,
      lock_timeout: timeouts.lock_timeout,
      idle_in_transaction_session_timeout: timeouts.idle_in_transaction_session_timeout,
      query_timeout: timeouts.query_timeout,
      keepAlive: true,
      // Seq and counts are BIGINT; they stay far below 2^53.
      types: {
        getTypeParser: (oid, format) => (oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format)),
      },
    });
    // A broken connection in the pool must not crash the node; the next query reconnects.
    pool.on("error", () => {});
    try {
      await PgStorage.migrate(url, timeouts.connect_timeout_ms);
    } catch (error) {
      await pool.end().catch(() => {});
      throw error;
    }
    return new PgStorage(pool, options.onQuery ?? (() => {}));
  }

  /**
   * Every query goes through here, so every failure of PostgreSQL itself becomes a StorageError:
   * a pool or connection error (no connection in time, no answer in time, the connection lost)
   * carries no SQLSTATE; a server error does, and asStorageError knows which ones are outages.
   */
  private async query(sql: string, params?: unknown[]): Promise<pg.QueryResult> {
    try {
      this.onQuery(sql);
      return await this.pool.query(sql, params);
    } catch (error) {
      const failure =
        asStorageError(error) ??
        (error instanceof pg.DatabaseError
          ? null
          : new StorageError(
              "unavailable",
              `PostgreSQL does not answer: ${error instanceof Error ? error.message : String(error)}`,
              { cause: error },
            ));
      if (failure === null) throw error;
      if (failure.kind === "full") this.fullAt = Date.now();
      throw failure;
    }
  }

  /**
   * Migrations run on a connection of their own, without the pool's deadlines: a step may
   * rightly take minutes on a big database, and nodes starting together wait for the first one's
   * advisory lock. They get MIGRATION_MS instead, so a hung server still ends the start.
   */
  private static async migrate(url: string, connectMs: number): Promise<void> {
    const client = new pg.Client({
      connectionString: url,
      connectionTimeoutMillis: connectMs,
      query_timeout: MIGRATION_MS,
    });
    client.on("error", () => {});
    await client.connect();
    try {
      await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
      await client.query("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)");
      const done = await client.query("SELECT count(*)::int AS value FROM schema_migrations");
      const applied = valueRow.parse(done.rows[0]);
      for (const [i, sql] of pgMigrations.entries()) {
        if (i < applied) continue;
        await client.query("BEGIN");
        await client.query(sql);
        await client.query("INSERT INTO schema_migrations (version) VALUES ($1)", [i + 1]);
        await client.query("COMMIT");
      }
      await PgStorage.indexSearchWords(client);
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => {});
      await client.end().catch(() => {});
    }
  }

  /**
   * Items written before the search words were stored get them here (the words are made in
   * TypeScript, so no SQL migration can). Runs under the migration lock.
   */
  private static async indexSearchWords(client: pg.Client): Promise<void> {
    const result = await client.query("SELECT id, headline, summary FROM items WHERE search_words IS NULL");
    const rows = z
      .array(z.object({ id: z.string(), headline: z.string(), summary: z.string() }))
      .parse(result.rows);
    for (const row of rows) {
      await client.query("UPDATE items SET search_words = array_to_tsvector($1::text[]) WHERE id = $2", [
        searchWords(`${row.headline} ${row.summary}`),
        row.id,
      ]);
    }
  }

  async commit(request: CommitRequest): Promise<CommitResult> {
    const claim = request.idempotency;
    // A new item (what a publish makes) is decided without a read: livedesk_commit checks under
    // the seq lock that no item has its id and that its key is unused, so a publish commits in one
    // round trip. When either is not so it writes nothing, and the commit reads and decides below.
    const unread = request.decide(null);
    if (unread.ok) {
      const change = await this.write(unread, null, claim);
      if (change !== null) return { status: "committed", change };
    }
    const started = Date.now();
    for (let attempt = 0; Date.now() - started < COMMIT_RETRY_MS; attempt += 1) {
      if (attempt > 0) {
        const wait = Math.random() * Math.min(50, 2 ** attempt);
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
      const read = readRow.parse(
        (
          await this.query(
            `SELECT i.data, i.seq, k.fingerprint, k.item_id FROM (SELECT 1) AS one
               LEFT JOIN items i ON i.id = $1
               LEFT JOIN idempotency_keys k ON k.principal = $2 AND k.key = $3`,
            [request.itemId, claim?.principal ?? null, claim?.key ?? null],
          )
        ).rows[0],
      );
      if (claim !== undefined && read.item_id !== null) {
        if (read.fingerprint !== claim.fingerprint) return { status: "key_reused", itemId: read.item_id };
        const item = read.item_id === request.itemId ? read.data : await this.getItem(read.item_id);
        if (item !== null) return { status: "replayed", item };
        // A key whose item is gone names nothing (as on SQLite): it is let go, and the commit goes
        // ahead as if it were new. livedesk_commit refuses a key that exists, so it goes first;
        // only while it still names a missing item, so a racing retry's new item keeps its key.
        await this.query(
          `DELETE FROM idempotency_keys k WHERE k.principal = $1 AND k.key = $2 AND k.item_id = $3
             AND NOT EXISTS (SELECT 1 FROM items i WHERE i.id = k.item_id)`,
          [claim.principal, claim.key, read.item_id],
        );
        continue;
      }
      const decision = request.decide(read.data);
      if (!decision.ok) return { status: "refused", refusal: decision.refusal };
      const change = await this.write(decision, read.seq, claim);
      if (change === null) continue; // changed since the read: read and decide again
      return { status: "committed", change };
    }
    throw new StorageError("unavailable", `item ${request.itemId} kept changing while it was committed`);
  }

  /**
   * One call of livedesk_commit: the change, when the item's seq is still `readSeq` (null: no
   * such item) and the key is unused; null when not, and then nothing was written.
   */
  private async write(
    decision: Extract<Decision, { ok: true }>,
    readSeq: number | null,
    claim: IdempotencyClaim | undefined,
  ): Promise<Change | null> {
    const { id, ...fields } = decision.item;
    // seq 0 stands in until livedesk_commit stamps the one it takes.
    const draft: Item = { id, seq: 0, ...fields };
    const committed = committedRow.parse(
      (
        await this.query("SELECT livedesk_commit($1, $2, $3, $4, $5, $6, $7, $8, $9) AS seq", [
          id,
          readSeq,
          decision.kind,
          draft,
          draft.topics,
          claim?.principal ?? null,
          claim?.key ?? null,
          claim?.fingerprint ?? null,
          searchWords(`${draft.headline} ${draft.summary}`),
        ])
      ).rows[0],
    );
    if (committed.seq === null) return null;
    this.fullAt = undefined;
    return { seq: committed.seq, kind: decision.kind, item: { ...draft, seq: committed.seq } };
  }

  async getItem(id: string): Promise<Item | null> {
    const result = await this.query("SELECT data FROM items WHERE id = $1", [id]);
    return result.rows[0] === undefined ? null : itemRow.parse(result.rows[0]);
  }

  async listItems(query: ItemQuery): Promise<Item[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (query.status !== "all") where.push(`status = ${param(query.status)}`);
    if (query.verification !== undefined) {
      // Items stored before the field existed have none: read as null, as the item schema reads them.
      where.push(
        query.verification === "none"
          ? "data->>'verification' IS NULL"
          : `data->>'verification' = ${param(query.verification)}`,
      );
    }
    if (query.topics.length > 0) {
      where.push(
        `EXISTS (SELECT 1 FROM item_topics t WHERE t.item_id = items.id AND t.topic = ANY(${param([...query.topics])}))`,
      );
    }
    const match = query.text === undefined ? null : toTsQuery(query.text);
    if (match !== null) where.push(`search_words @@ ${param(match)}::tsquery`);
    if (query.keyEvent !== undefined) {
      // The very expression of the partial index items_key_events (see the migration).
      where.push(query.keyEvent ? KEY_EVENT : `NOT ${KEY_EVENT}`);
    }
    if (query.after !== undefined) {
      const at = param(query.after.publishedAt);
      where.push(`(published_at < ${at} OR (published_at = ${at} AND id < ${param(query.after.id)}))`);
    }
    if (query.until !== undefined) {
      const at = param(query.until.publishedAt);
      where.push(`(published_at > ${at} OR (published_at = ${at} AND id >= ${param(query.until.id)}))`);
    }
    const filter = where.length > 0 ? `WHERE ${where.join(" AND ")}` : "";
    // By latest change: see the SQLite storage; the change log's primary key is walked backwards.
    const sql =
      query.order === "latestChange"
        ? `SELECT items.data FROM changes JOIN items ON items.id = changes.item_id AND items.seq = changes.seq
           ${filter} ORDER BY changes.seq DESC LIMIT ${param(query.limit)}`
        : `SELECT data FROM items ${filter} ORDER BY published_at DESC, id DESC LIMIT ${param(query.limit)}`;
    return (await this.query(sql, params)).rows.map((row) => itemRow.parse(row));
  }

  async listRevisions(id: string): Promise<Item[]> {
    const result = await this.query("SELECT seq, kind, item FROM changes WHERE item_id = $1 ORDER BY seq", [
      id,
    ]);
    return result.rows.map((row) => changeRow.parse(row).item);
  }

  async changesSince(since: number, limit: number): Promise<Change[]> {
    const result = await this.query(
      "SELECT seq, kind, item FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2",
      [since, limit],
    );
    return result.rows.map((row) => changeRow.parse(row));
  }

  async latestSeq(): Promise<number> {
    return valueRow.parse((await this.query("SELECT value FROM meta WHERE key = 'seq'")).rows[0]);
  }

  async epoch(): Promise<string> {
    return epochRow.parse((await this.query("SELECT epoch FROM timeline_epoch WHERE id = 1")).rows[0]);
  }

  async renewEpoch(): Promise<string> {
    const result = await this.query(
      "UPDATE timeline_epoch SET epoch = replace(gen_random_uuid()::text, '-', '') WHERE id = 1 RETURNING epoch",
    );
    return epochRow.parse(result.rows[0]);
  }

  async latestWindow(limit: number): Promise<Item[]> {
    const result = await this.query(
      `SELECT data FROM (
         (SELECT data, published_at, id FROM items ORDER BY published_at DESC, id DESC LIMIT $1)
         UNION
         SELECT data, published_at, id FROM items WHERE status = 'published' AND pinned
       ) AS window_items ORDER BY published_at DESC, id DESC`,
      [limit],
    );
    return result.rows.map((row) => itemRow.parse(row));
  }

  async forgetIdempotencyKeys(olderThan: Date): Promise<number> {
    return (
      (
        await this.query("DELETE FROM idempotency_keys WHERE created_at < $1 AND principal <> $2", [
          olderThan,
          LASTING_KEYS_PRINCIPAL,
        ])
      ).rowCount ?? 0
    );
  }

  async listTopics(): Promise<Topic[]> {
    const result = await this.query("SELECT slug, name FROM topics ORDER BY lower(name), slug");
    return result.rows.map((row) => topicRow.parse(row));
  }

  async createTopic(topic: Topic): Promise<boolean> {
    const result = await this.query(
      "INSERT INTO topics (slug, name) VALUES ($1, $2) ON CONFLICT DO NOTHING",
      [topic.slug, topic.name],
    );
    return result.rowCount === 1;
  }

  async countOperators(): Promise<number> {
    return valueRow.parse((await this.query("SELECT count(*)::int AS value FROM operators")).rows[0]);
  }

  async createOperator(operator: Operator): Promise<boolean> {
    const result = await this.query(
      "INSERT INTO operators (id, username, role, password_hash, disabled) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
      [operator.id, operator.username, operator.role, operator.passwordHash, operator.disabled],
    );
    return result.rowCount === 1;
  }

  async findOperatorByUsername(username: string): Promise<Operator | null> {
    const result = await this.query("SELECT * FROM operators WHERE lower(username) = lower($1)", [username]);
    return result.rows[0] === undefined ? null : operatorRow.parse(result.rows[0]);
  }

  async getOperator(id: string): Promise<Operator | null> {
    const result = await this.query("SELECT * FROM operators WHERE id = $1", [id]);
    return result.rows[0] === undefined ? null : operatorRow.parse(result.rows[0]);
  }

  async listOperators(): Promise<Operator[]> {
    return (await this.query("SELECT * FROM operators ORDER BY lower(username)")).rows.map((row) =>
      operatorRow.parse(row),
    );
  }

  async createSession(session: StoredSession): Promise<void> {
    await this.query(
      "INSERT INTO sessions (id_hash, operator_id, csrf_token, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $5)",
      [session.idHash, session.operatorId, session.csrfToken, session.createdAt, session.lastSeenAt],
    );
  }

  async findSession(idHash: string): Promise<StoredSession | null> {
    const result = await this.query("SELECT * FROM sessions WHERE id_hash = $1", [idHash]);
    return result.rows[0] === undefined ? null : sessionRow.parse(result.rows[0]);
  }

  async touchSession(idHash: string, lastSeenAt: string): Promise<void> {
    await this.query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2", [lastSeenAt, idHash]);
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.query("DELETE FROM sessions WHERE id_hash = $1", [idHash]);
  }

  async createToken(token: StoredToken): Promise<void> {
    await this.query(
      "INSERT INTO tokens (id, name, role, hash, revoked, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
      [token.id, token.name, token.role, token.hash, token.revoked, token.createdAt],
    );
  }

  async findTokenByHash(hash: string): Promise<StoredToken | null> {
    const result = await this.query("SELECT * FROM tokens WHERE hash = $1", [hash]);
    return result.rows[0] === undefined ? null : tokenRow.parse(result.rows[0]);
  }

  async listTokens(): Promise<StoredToken[]> {
    return (await this.query("SELECT * FROM tokens ORDER BY created_at DESC")).rows.map((row) =>
      tokenRow.parse(row),
    );
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    await this.query("INSERT INTO audit (at, actor, action, target, detail) VALUES ($1, $2, $3, $4, $5)", [
      entry.at,
      entry.actor,
      entry.action,
      entry.target,
      entry.detail,
    ]);
  }

  async listAudit(query: AuditQuery): Promise<AuditRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (query.actor !== undefined) where.push(`lower(actor) = lower(${param(query.actor)})`);
    if (query.action !== undefined) where.push(`action = ${param(query.action)}`);
    if (query.target !== undefined) where.push(`target = ${param(query.target)}`);
    if (query.after !== undefined) {
      const { at, origin, ord } = query.after;
      where.push(`(at, origin, ord) < (${param(at)}::text, ${param(origin)}::int, ${param(ord)}::bigint)`);
    }
    // The change log is the audit of the timeline; it is read, never copied into the audit table.
    const change = changeAuditColumns((table, name) => `(${table}.item->>'${name}')`);
    const result = await this.query(
      `SELECT at, actor, action, target, detail, origin, ord FROM (
         SELECT at, actor, action, target, detail, 1 AS origin, id AS ord FROM audit
         UNION ALL
         SELECT item->>'updatedAt', item->>'author', ${change.action}, item_id, ${change.detail}, 0, seq
         FROM changes
       ) AS log ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
       ORDER BY at DESC, origin DESC, ord DESC LIMIT ${param(query.limit)}`,
      params,
    );
    return result.rows.map((row) => auditRow.parse(row));
  }

  /**
   * The change and its audit line in one statement, so in one transaction and one round trip:
   * the change's data-modifying CTE (`changed`) returns the row it wrote, and the audit line is
   * inserted for each row it returned (every CTE runs once, whether or not the outer query reads it).
   */
  async applyAdminChange(change: AdminChange, line: AdminAuditLine): Promise<boolean> {
    const { ctes, params } = adminChangeSql(change);
    const at = (i: number) => `$${params.length + i}`;
    const result = await this.query(
      `WITH ${ctes},
         logged AS (INSERT INTO audit (at, actor, action, target, detail)
           SELECT ${at(1)}, ${at(2)}, ${at(3)}, ${at(4)}, ${at(5)} FROM changed)
       SELECT count(*)::int AS value FROM changed`,
      [...params, line.at, line.actor, change.action, line.target, line.detail],
    );
    return valueRow.parse(result.rows[0]) === 1;
  }

  async ping(): Promise<void> {
    await this.query("SELECT 1");
    if (this.fullAt !== undefined && Date.now() - this.fullAt < FULL_REMEMBERED_MS) {
      throw new StorageError("full", "PostgreSQL's disk was full at the last write.");
    }
  }

  /** The followed wires, kept in this database (server/wires/store.ts). */
  wires(): WireStore {
    return new SqlWireStore(pgSqlClient((sql, params) => this.query(sql, params)));
  }

  /** Readers' push subscriptions and the VAPID key pair, in this database (server/push/store.ts). */
  push(): PgPushStore {
    return new PgPushStore((sql, params) => this.query(sql, params));
  }

  /** Uploaded pictures, in this database (server/media/store.ts). */
  media(): PgMediaStore {
    return new PgMediaStore((sql, params) => this.query(sql, params));
  }

  /** PostgreSQL answers a commit once it is on disk. */
  async synced(): Promise<void> {}

  async close(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.pool.end(),
      new Promise((resolve) => {
        timer = setTimeout(resolve, CLOSE_MS);
      }),
    ]);
    clearTimeout(timer);
  }
}
