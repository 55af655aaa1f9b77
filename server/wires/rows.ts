import { z } from "zod";
import { sourceModeSchema } from "../../shared/wires";
import type { EntryRecord, HeldEntry, SourceChange, SourceRecord } from "./store";

/*
 * The wire store's rows, mapped once for both storages: times are ISO 8601 text, flags 0/1 (or
 * PostgreSQL booleans), counts numbers (or BIGINT strings), topics JSON text.
 */

const flag = z.union([z.boolean(), z.number()]).transform((v) => v === true || v === 1);
const count = z.union([z.number(), z.string()]).transform(Number);
const topicsJson = z.string().transform((s, ctx) => {
  const parsed = z.array(z.string()).safeParse(JSON.parse(s));
  if (!parsed.success) {
    ctx.addIssue({ code: "custom", message: "stored topics do not parse" });
    return z.NEVER;
  }
  return parsed.data;
});

export const sourceRow = z
  .object({
    id: z.string(),
    url: z.string(),
    name: z.string(),
    topics: topicsJson,
    mode: sourceModeSchema,
    enabled: flag,
    interval_seconds: count.nullable(),
    adaptive_seconds: count,
    created_at: z.string(),
    last_fetched_at: z.string().nullable(),
    last_success_at: z.string().nullable(),
    last_status: count.nullable(),
    last_error: z.string().nullable(),
    next_fetch_at: z.string(),
    consecutive_errors: count,
    disabled_reason: z.string().nullable(),
    entries_created: count,
    etag: z.string().nullable(),
    last_modified: z.string().nullable(),
  })
  .transform(
    (r): SourceRecord => ({
      id: r.id,
      url: r.url,
      name: r.name,
      topics: r.topics,
      mode: r.mode,
      enabled: r.enabled,
      intervalSeconds: r.interval_seconds,
      adaptiveSeconds: r.adaptive_seconds,
      createdAt: r.created_at,
      lastFetchedAt: r.last_fetched_at,
      lastSuccessAt: r.last_success_at,
      lastStatus: r.last_status,
      lastError: r.last_error,
      nextFetchAt: r.next_fetch_at,
      consecutiveErrors: r.consecutive_errors,
      disabledReason: r.disabled_reason,
      entriesCreated: r.entries_created,
      etag: r.etag,
      lastModified: r.last_modified,
    }),
  );

const entryState = z.enum(["published", "held", "discarded", "passed"]);
const entryColumns = {
  id: z.string(),
  source_id: z.string(),
  guid: z.string(),
  state: entryState,
  item_id: z.string().nullable(),
  content_hash: z.string(),
  headline: z.string(),
  summary: z.string(),
  url: z.string().nullable(),
  published_at: z.string().nullable(),
  received_at: z.string(),
};
type EntryColumns = z.infer<z.ZodObject<typeof entryColumns>>;
function entryOf(r: EntryColumns): EntryRecord {
  return {
    id: r.id,
    sourceId: r.source_id,
    guid: r.guid,
    state: r.state,
    itemId: r.item_id,
    contentHash: r.content_hash,
    headline: r.headline,
    summary: r.summary,
    url: r.url,
    publishedAt: r.published_at,
    receivedAt: r.received_at,
  };
}
export const entryRow = z.object(entryColumns).transform(entryOf);
export const heldRow = z
  .object({ ...entryColumns, source_name: z.string() })
  .transform((r): HeldEntry => ({ ...entryOf(r), sourceName: r.source_name }));

export const SOURCE_COLUMNS = `id, url, name, topics, mode, enabled, interval_seconds, adaptive_seconds, created_at,
  last_fetched_at, last_success_at, last_status, last_error, next_fetch_at, consecutive_errors,
  disabled_reason, entries_created, etag, last_modified`;

/** The columns a change sets, with the values as stored. */
export function changedColumns(c: SourceChange): [string, unknown][] {
  const sets: [string, unknown][] = [];
  const set = (column: string, value: unknown) => {
    if (value !== undefined) sets.push([column, value]);
  };
  set("url", c.url);
  set("name", c.name);
  set("topics", c.topics === undefined ? undefined : JSON.stringify(c.topics));
  set("mode", c.mode);
  set("interval_seconds", c.intervalSeconds);
  set("enabled", c.enabled === undefined ? undefined : c.enabled ? 1 : 0);
  set("disabled_reason", c.disabledReason);
  set("consecutive_errors", c.consecutiveErrors);
  set("last_error", c.lastError);
  set("next_fetch_at", c.nextFetchAt);
  set("etag", c.etag);
  set("last_modified", c.lastModified);
  return sets;
}
