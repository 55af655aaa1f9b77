import pg from "pg";
import { z } from "zod";
import {
  type Change,
  changeKindSchema,
  type Item,
  itemSchema,
  type Topic,
  topicSchema,
} from "../../../shared/item";
import { roleSchema } from "../../../shared/requests";
import { searchWords } from "../../../shared/search";
import { toTsQuery } from "../search";
import type {
  AuditEntry,
  AuditQuery,
  AuditRecord,
  CommitRequest,
  CommitResult,
  ItemQuery,
  Operator,
  OperatorChange,
  Storage,
  StoredSession,
  StoredToken,
} from "../storage";
import { pgMigrations } from "./migrations";

const INT8_OID = 20;
const MIGRATION_LOCK = 4_711_001;

const changeRow = z.object({ seq: z.number(), kind: changeKindSchema, item: itemSchema });
const dataRow = z.object({ data: itemSchema });
const valueRow = z.object({ value: z.number() });
const epochRow = z.object({ epoch: z.string() });
const operatorRow = z
  .object({
    id: z.string(),
    username: z.string(),
    role: roleSchema,
    password_hash: z.string(),
    disabled: z.boolean(),
  })
  .transform(
    (r): Operator => ({
      id: r.id,
      username: r.username,
      role: r.role,
      passwordHash: r.password_hash,
      disabled: r.disabled,
    }),
  );
const sessionRow = z
  .object({
    id_hash: z.string(),
    operator_id: z.string(),
    csrf_token: z.string(),
    created_at: z.string(),
    last_seen_at: z.string(),
  })
  .transform(
    (r): StoredSession => ({
      idHash: r.id_hash,
      operatorId: r.operator_id,
      csrfToken: r.csrf_token,
      createdAt: r.created_at,
      lastSeenAt: r.last_seen_at,
    }),
  );
const tokenRow = z
  .object({
    id: z.string(),
    name: z.string(),
    role: roleSchema,
    hash: z.string(),
    revoked: z.boolean(),
    created_at: z.string(),
  })
  .transform(
    (r): StoredToken => ({
      id: r.id,
      name: r.name,
      role: r.role,
      hash: r.hash,
      revoked: r.revoked,
      createdAt: r.created_at,
    }),
  );
const auditRow = z
  .object({
    at: z.string(),
    actor: z.string(),
    action: z.string(),
    target: z.string(),
    detail: z.string(),
    origin: z.union([z.literal(0), z.literal(1)]),
    ord: z.number(),
  })
  .transform(
    ({ origin, ord, ...entry }): AuditRecord => ({ ...entry, position: { at: entry.at, origin, ord } }),
  );
const idempotencyRow = z.object({ fingerprint: z.string(), item_id: z.string() });

/**
 * PostgreSQL, for several nodes sharing one timeline. Every commit first locks the seq counter
 * row (`SELECT … FOR UPDATE`), so writers on all nodes take turns: the seq a transaction takes is
 * the next one, and it commits before the next writer can read the counter. A rolled-back
 * transaction gives its seq back. Hence gapless, and commit order equals seq order.
 */
export class PgStorage implements Storage {
  private constructor(private readonly pool: pg.Pool) {}

  static async open(url: string): Promise<PgStorage> {
    const pool = new pg.Pool({
      connectionString: url,
      max: 10,
      // Seq and counts are BIGINT; they stay far below 2^53.
      types: {
        getTypeParser: (oid, format) => (oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format)),
      },
    });
    // A broken connection in the pool must not crash the node; the next query reconnects.
    pool.on("error", () => {});
    const storage = new PgStorage(pool);
    await storage.migrate();
    return storage;
  }

  /**
   * Items written before the search words were stored get them here (the words are made in
   * TypeScript, so no SQL migration can). Runs under the migration lock.
   */
  private async indexSearchWords(client: pg.PoolClient): Promise<void> {
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

  private async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
      await client.query("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)");
      const done = await client.query("SELECT count(*)::int AS value FROM schema_migrations");
      const applied = valueRow.parse(done.rows[0]).value;
      for (const [i, sql] of pgMigrations.entries()) {
        if (i < applied) continue;
        await client.query("BEGIN");
        await client.query(sql);
        await client.query("INSERT INTO schema_migrations (version) VALUES ($1)", [i + 1]);
        await client.query("COMMIT");
      }
      await this.indexSearchWords(client);
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => {});
      client.release();
    }
  }

  async commit(request: CommitRequest): Promise<CommitResult> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const locked = await client.query("SELECT value FROM meta WHERE key = 'seq' FOR UPDATE");
      const seq = valueRow.parse(locked.rows[0]).value + 1;
      const claim = request.idempotency;
      if (claim !== undefined) {
        const earlier = await client.query(
          "SELECT fingerprint, item_id FROM idempotency_keys WHERE principal = $1 AND key = $2",
          [claim.principal, claim.key],
        );
        if (earlier.rows[0] !== undefined) {
          const row = idempotencyRow.parse(earlier.rows[0]);
          await client.query("ROLLBACK");
          if (row.fingerprint !== claim.fingerprint) return { status: "key_reused", itemId: row.item_id };
          const item = await this.getItem(row.item_id);
          if (item !== null) return { status: "replayed", item };
          return { status: "key_reused", itemId: row.item_id };
        }
      }
      const current = await client.query("SELECT data FROM items WHERE id = $1", [request.itemId]);
      const decision = request.decide(
        current.rows[0] === undefined ? null : dataRow.parse(current.rows[0]).data,
      );
      if (!decision.ok) {
        await client.query("ROLLBACK");
        return { status: "refused", refusal: decision.refusal };
      }
      const { id, ...fields } = decision.item;
      const item: Item = { id, seq, ...fields };
      await client.query("UPDATE meta SET value = $1 WHERE key = 'seq'", [seq]);
      await client.query(
        `INSERT INTO items (id, seq, status, pinned, published_at, headline, summary, data, search_words)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, array_to_tsvector($9::text[]))
         ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, status = excluded.status, pinned = excluded.pinned,
           published_at = excluded.published_at, headline = excluded.headline, summary = excluded.summary,
           data = excluded.data, search_words = excluded.search_words`,
        [
          item.id,
          seq,
          item.status,
          item.pinned,
          item.publishedAt,
          item.headline,
          item.summary,
          item,
          searchWords(`${item.headline} ${item.summary}`),
        ],
      );
      await client.query("DELETE FROM item_topics WHERE item_id = $1", [item.id]);
      for (const topic of item.topics) {
        await client.query("INSERT INTO item_topics (topic, item_id) VALUES ($1, $2)", [topic, item.id]);
      }
      await client.query("INSERT INTO changes (seq, kind, item_id, item) VALUES ($1, $2, $3, $4)", [
        seq,
        decision.kind,
        item.id,
        item,
      ]);
      if (claim !== undefined) {
        await client.query(
          "INSERT INTO idempotency_keys (principal, key, fingerprint, item_id, created_at) VALUES ($1, $2, $3, $4, now())",
          [claim.principal, claim.key, claim.fingerprint, item.id],
        );
      }
      await client.query("COMMIT");
      return { status: "committed", change: { seq, kind: decision.kind, item } };
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async getItem(id: string): Promise<Item | null> {
    const result = await this.pool.query("SELECT data FROM items WHERE id = $1", [id]);
    return result.rows[0] === undefined ? null : dataRow.parse(result.rows[0]).data;
  }

  async listItems(query: ItemQuery): Promise<Item[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (query.status !== "all") where.push(`status = ${param(query.status)}`);
    if (query.topics.length > 0) {
      where.push(
        `EXISTS (SELECT 1 FROM item_topics t WHERE t.item_id = items.id AND t.topic = ANY(${param([...query.topics])}))`,
      );
    }
    const match = query.text === undefined ? null : toTsQuery(query.text);
    if (match !== null) where.push(`search_words @@ ${param(match)}::tsquery`);
    if (query.after !== undefined) {
      const at = param(query.after.publishedAt);
      where.push(`(published_at < ${at} OR (published_at = ${at} AND id < ${param(query.after.id)}))`);
    }
    const sql = `SELECT data FROM items ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
      ORDER BY published_at DESC, id DESC LIMIT ${param(query.limit)}`;
    return (await this.pool.query(sql, params)).rows.map((row) => dataRow.parse(row).data);
  }

  async listRevisions(id: string): Promise<Item[]> {
    const result = await this.pool.query(
      "SELECT seq, kind, item FROM changes WHERE item_id = $1 ORDER BY seq",
      [id],
    );
    return result.rows.map((row) => changeRow.parse(row).item);
  }

  async changesSince(since: number, limit: number): Promise<Change[]> {
    const result = await this.pool.query(
      "SELECT seq, kind, item FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2",
      [since, limit],
    );
    return result.rows.map((row) => changeRow.parse(row));
  }

  async latestSeq(): Promise<number> {
    return valueRow.parse((await this.pool.query("SELECT value FROM meta WHERE key = 'seq'")).rows[0]).value;
  }

  async epoch(): Promise<string> {
    return epochRow.parse((await this.pool.query("SELECT epoch FROM timeline_epoch WHERE id = 1")).rows[0])
      .epoch;
  }

  async renewEpoch(): Promise<string> {
    const result = await this.pool.query(
      "UPDATE timeline_epoch SET epoch = replace(gen_random_uuid()::text, '-', '') WHERE id = 1 RETURNING epoch",
    );
    return epochRow.parse(result.rows[0]).epoch;
  }

  async latestWindow(limit: number): Promise<Item[]> {
    const result = await this.pool.query(
      `SELECT data FROM (
         (SELECT data, published_at, id FROM items ORDER BY published_at DESC, id DESC LIMIT $1)
         UNION
         SELECT data, published_at, id FROM items WHERE status = 'published' AND pinned
       ) AS window_items ORDER BY published_at DESC, id DESC`,
      [limit],
    );
    return result.rows.map((row) => dataRow.parse(row).data);
  }

  async forgetIdempotencyKeys(olderThan: Date): Promise<number> {
    return (
      (await this.pool.query("DELETE FROM idempotency_keys WHERE created_at < $1", [olderThan])).rowCount ?? 0
    );
  }

  async listTopics(): Promise<Topic[]> {
    const result = await this.pool.query("SELECT slug, name FROM topics ORDER BY lower(name), slug");
    return result.rows.map((row) => topicSchema.parse(row));
  }

  async createTopic(topic: Topic): Promise<boolean> {
    const result = await this.pool.query(
      "INSERT INTO topics (slug, name) VALUES ($1, $2) ON CONFLICT DO NOTHING",
      [topic.slug, topic.name],
    );
    return result.rowCount === 1;
  }

  async renameTopic(slug: string, name: string): Promise<boolean> {
    return (
      (await this.pool.query("UPDATE topics SET name = $1 WHERE slug = $2", [name, slug])).rowCount === 1
    );
  }

  async countOperators(): Promise<number> {
    return valueRow.parse((await this.pool.query("SELECT count(*)::int AS value FROM operators")).rows[0])
      .value;
  }

  async createOperator(operator: Operator): Promise<boolean> {
    const result = await this.pool.query(
      "INSERT INTO operators (id, username, role, password_hash, disabled) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
      [operator.id, operator.username, operator.role, operator.passwordHash, operator.disabled],
    );
    return result.rowCount === 1;
  }

  async findOperatorByUsername(username: string): Promise<Operator | null> {
    const result = await this.pool.query("SELECT * FROM operators WHERE lower(username) = lower($1)", [
      username,
    ]);
    return result.rows[0] === undefined ? null : operatorRow.parse(result.rows[0]);
  }

  async getOperator(id: string): Promise<Operator | null> {
    const result = await this.pool.query("SELECT * FROM operators WHERE id = $1", [id]);
    return result.rows[0] === undefined ? null : operatorRow.parse(result.rows[0]);
  }

  async listOperators(): Promise<Operator[]> {
    return (await this.pool.query("SELECT * FROM operators ORDER BY lower(username)")).rows.map((row) =>
      operatorRow.parse(row),
    );
  }

  async updateOperator(id: string, change: OperatorChange): Promise<boolean> {
    const result = await this.pool.query(
      `UPDATE operators SET role = coalesce($2, role), disabled = coalesce($3, disabled),
         password_hash = coalesce($4, password_hash) WHERE id = $1`,
      [id, change.role ?? null, change.disabled ?? null, change.passwordHash ?? null],
    );
    return result.rowCount === 1;
  }

  async createSession(session: StoredSession): Promise<void> {
    await this.pool.query(
      "INSERT INTO sessions (id_hash, operator_id, csrf_token, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $5)",
      [session.idHash, session.operatorId, session.csrfToken, session.createdAt, session.lastSeenAt],
    );
  }

  async findSession(idHash: string): Promise<StoredSession | null> {
    const result = await this.pool.query("SELECT * FROM sessions WHERE id_hash = $1", [idHash]);
    return result.rows[0] === undefined ? null : sessionRow.parse(result.rows[0]);
  }

  async touchSession(idHash: string, lastSeenAt: string): Promise<void> {
    await this.pool.query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2", [lastSeenAt, idHash]);
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.pool.query("DELETE FROM sessions WHERE id_hash = $1", [idHash]);
  }

  async deleteSessionsOf(operatorId: string): Promise<void> {
    await this.pool.query("DELETE FROM sessions WHERE operator_id = $1", [operatorId]);
  }

  async createToken(token: StoredToken): Promise<void> {
    await this.pool.query(
      "INSERT INTO tokens (id, name, role, hash, revoked, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
      [token.id, token.name, token.role, token.hash, token.revoked, token.createdAt],
    );
  }

  async findTokenByHash(hash: string): Promise<StoredToken | null> {
    const result = await this.pool.query("SELECT * FROM tokens WHERE hash = $1", [hash]);
    return result.rows[0] === undefined ? null : tokenRow.parse(result.rows[0]);
  }

  async revokeToken(id: string): Promise<boolean> {
    return (
      (await this.pool.query("UPDATE tokens SET revoked = true WHERE id = $1 AND NOT revoked", [id]))
        .rowCount === 1
    );
  }

  async listTokens(): Promise<StoredToken[]> {
    return (await this.pool.query("SELECT * FROM tokens ORDER BY created_at DESC")).rows.map((row) =>
      tokenRow.parse(row),
    );
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    await this.pool.query(
      "INSERT INTO audit (at, actor, action, target, detail) VALUES ($1, $2, $3, $4, $5)",
      [entry.at, entry.actor, entry.action, entry.target, entry.detail],
    );
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
    const result = await this.pool.query(
      `SELECT at, actor, action, target, detail, origin, ord FROM (
         SELECT at, actor, action, target, detail, 1 AS origin, id AS ord FROM audit
         UNION ALL
         SELECT item->>'updatedAt', item->>'author', 'item.' || kind, item_id, item->>'headline', 0, seq FROM changes
       ) AS log ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
       ORDER BY at DESC, origin DESC, ord DESC LIMIT ${param(query.limit)}`,
      params,
    );
    return result.rows.map((row) => auditRow.parse(row));
  }

  async ping(): Promise<void> {
    await this.pool.query("SELECT 1");
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
