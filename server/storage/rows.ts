import { z } from "zod";
import { BREAKING_URGENCY_MAX, changeKindSchema, itemSchema, topicSchema } from "../../shared/item";
import { roleSchema } from "../../shared/requests";
import type { StoredMedia } from "../media/store";
import type { Operator, StoredSession, StoredToken } from "./account-store";
import type { AuditRecord } from "./audit-store";

/*
 * Rows as both backends return them, mapped to what the rest of livedesk uses: the one place
 * where column names and the backends' differences meet. SQLite gives a flag as 0 or 1 and an item
 * as JSON text; PostgreSQL gives a boolean and parsed JSONB. Counts and seqs are numbers on both
 * (the PostgreSQL pool parses BIGINT as a number; they stay far below 2^53).
 */

/** A flag column: SQLite's 0/1 or PostgreSQL's boolean. */
const flag = z.union([z.boolean(), z.number().transform((n) => n !== 0)]);

/**
 * Items stored before urgency existed have only `breaking`: a breaking one reads as urgency 3
 * ("urgent"), so that `breaking` still equals urgency ≤ 3; the rest take the default (5, from the
 * item's schema). No migration: items are stored as JSON.
 */
function withLegacyUrgency(data: unknown): unknown {
  if (typeof data !== "object" || data === null || "urgency" in data) return data;
  return "breaking" in data && data.breaking === true ? { ...data, urgency: BREAKING_URGENCY_MAX } : data;
}

/** An item column: SQLite's JSON text or PostgreSQL's JSONB, checked against the item's schema. */
export const itemColumn = z
  .union([
    z.string().transform((text, ctx) => {
      try {
        return JSON.parse(text);
      } catch {
        ctx.addIssue({ code: "custom", message: "stored item is not JSON" });
        return z.NEVER;
      }
    }),
    z.record(z.string(), z.unknown()),
  ])
  .transform(withLegacyUrgency)
  .pipe(itemSchema);

/** `SELECT data FROM items`. */
export const itemRow = z.object({ data: itemColumn }).transform((r) => r.data);

/** `SELECT seq, kind, item FROM changes`. */
export const changeRow = z.object({ seq: z.number(), kind: changeKindSchema, item: itemColumn });

/** `SELECT slug, name FROM topics`. */
export const topicRow = topicSchema;

/** A single number selected `AS value` (a counter, a count). */
export const valueRow = z.object({ value: z.number() }).transform((r) => r.value);

/** `SELECT epoch FROM timeline_epoch`. */
export const epochRow = z.object({ epoch: z.string() }).transform((r) => r.epoch);

/** `SELECT fingerprint, item_id FROM idempotency_keys`. */
export const idempotencyRow = z
  .object({ fingerprint: z.string(), item_id: z.string() })
  .transform((r) => ({ fingerprint: r.fingerprint, itemId: r.item_id }));

/** `SELECT * FROM operators`. */
export const operatorRow = z
  .object({
    id: z.string(),
    username: z.string(),
    role: roleSchema,
    password_hash: z.string(),
    disabled: flag,
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

/** `SELECT * FROM sessions`. */
export const sessionRow = z
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

/** `SELECT * FROM tokens`. */
export const tokenRow = z
  .object({
    id: z.string(),
    name: z.string(),
    role: roleSchema,
    hash: z.string(),
    revoked: flag,
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

/** One audit line as both storages select it (origin and ord make its position in the log). */
export const auditRow = z
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

/** A picture's size, as both backends read it. */
export const mediaSizeRow = z.object({ width: z.number(), height: z.number() });
/** A `count(*) AS count` answer. */
export const countRow = z.object({ count: z.number() });
/** An uploaded picture (server/media/store.ts). */
export const mediaRow = z
  .object({
    id: z.string(),
    content_type: z.string(),
    width: z.number(),
    height: z.number(),
    bytes: z.instanceof(Buffer),
    uploaded_by: z.string(),
    created_at: z.string(),
  })
  .transform(
    (r): StoredMedia => ({
      id: r.id,
      contentType: r.content_type,
      width: r.width,
      height: r.height,
      bytes: r.bytes,
      uploadedBy: r.uploaded_by,
      createdAt: r.created_at,
    }),
  );
