import type { SourceMode, WireSource } from "../../shared/wires";
import { changedColumns, entryRow, heldRow, SOURCE_COLUMNS, sourceRow } from "./rows";

/*
 * What livedesk keeps about followed wires: the sources with their health and lease, and one row
 * per entry seen (its identity, what became of it, and, while held, its text). The same SQL runs
 * on SQLite and PostgreSQL, and rows.ts maps its rows once for both.
 */

/** A source as stored: what the API shows, plus what the poller needs. */
export interface SourceRecord extends WireSource {
  createdAt: string;
  etag: string | null;
  lastModified: string | null;
  /** The interval that fits the wire's rhythm (schedule.ts), used while `intervalSeconds` is null. */
  adaptiveSeconds: number;
}

/**
 * What became of a wire entry: in the timeline, waiting in Incoming, discarded by an operator, or
 * passed over (older than the newest entries a new source's first fetch takes).
 */
export type EntryState = "published" | "held" | "discarded" | "passed";

export interface EntryRecord {
  id: string;
  sourceId: string;
  guid: string;
  state: EntryState;
  itemId: string | null;
  contentHash: string;
  headline: string;
  summary: string;
  url: string | null;
  publishedAt: string | null;
  receivedAt: string;
}

/** A held entry with its source's name, as Incoming lists it. */
export interface HeldEntry extends EntryRecord {
  sourceName: string;
}

/** The fields of a source an admin changes, and those the poller and the API set besides. */
export interface SourceChange {
  url?: string;
  name?: string;
  topics?: string[];
  mode?: SourceMode;
  intervalSeconds?: number | null;
  enabled?: boolean;
  disabledReason?: string | null;
  consecutiveErrors?: number;
  lastError?: string | null;
  nextFetchAt?: string;
  etag?: string | null;
  lastModified?: string | null;
}

/** What one fetch did to a source's health; written when its lease is given back. */
export interface FetchRecord {
  fetchedAt: string;
  status: number | null;
  error: string | null;
  succeeded: boolean;
  consecutiveErrors: number;
  nextFetchAt: string;
  etag: string | null;
  lastModified: string | null;
  adaptiveSeconds: number;
  entriesCreated: number;
  /** Set when this fetch made livedesk stop following the wire. */
  disabledReason: string | null;
}

/** The storage of wires; each backend provides one (SqliteStorage.wires(), PgStorage.wires()). */
export interface WireStore {
  createSource(source: SourceRecord): Promise<void>;
  listSources(): Promise<SourceRecord[]>;
  getSource(id: string): Promise<SourceRecord | null>;
  /** False when there is no such source. */
  updateSource(id: string, change: SourceChange): Promise<boolean>;
  /** Removes the source and what it remembers of its entries (items it made stay). False when there is none. */
  deleteSource(id: string): Promise<boolean>;
  /**
   * Takes the lease of up to `limit` enabled sources due at `now` whose lease is free or expired,
   * for `owner` until `until`. Under any number of nodes, a source is leased to one at a time.
   */
  claimDue(owner: string, now: string, until: string, limit: number): Promise<SourceRecord[]>;
  /** Takes the lease of one source whatever its schedule (poll now); null when another holds it. */
  claim(id: string, owner: string, now: string, until: string): Promise<SourceRecord | null>;
  /** Records a fetch's outcome and gives the lease back; false when `owner` no longer held it. */
  finishFetch(id: string, owner: string, record: FetchRecord): Promise<boolean>;

  findEntry(sourceId: string, guid: string): Promise<EntryRecord | null>;
  getEntry(id: string): Promise<EntryRecord | null>;
  /** False when the source already has an entry with this guid. */
  insertEntry(entry: EntryRecord): Promise<boolean>;
  /** Writes the entry's state and text; `fromState` guards against another node having settled it meanwhile. */
  updateEntry(entry: EntryRecord, fromState: EntryState): Promise<boolean>;
  listHeld(limit: number): Promise<HeldEntry[]>;
}

/** The little of a SQL connection the wire store needs; `?` marks each parameter. */
export interface SqlClient {
  all(sql: string, params: readonly unknown[]): Promise<unknown[]>;
  /** The number of rows changed. */
  run(sql: string, params: readonly unknown[]): Promise<number>;
}

/** The wire store on any SQL backend that runs the migrations of this feature. */
export class SqlWireStore implements WireStore {
  constructor(private readonly sql: SqlClient) {}

  private async sources(query: string, params: readonly unknown[]): Promise<SourceRecord[]> {
    return (await this.sql.all(query, params)).map((row) => sourceRow.parse(row));
  }

  async createSource(s: SourceRecord): Promise<void> {
    await this.sql.run(
      `INSERT INTO wire_sources (${SOURCE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        s.id,
        s.url,
        s.name,
        JSON.stringify(s.topics),
        s.mode,
        s.enabled ? 1 : 0,
        s.intervalSeconds,
        s.adaptiveSeconds,
        s.createdAt,
        s.lastFetchedAt,
        s.lastSuccessAt,
        s.lastStatus,
        s.lastError,
        s.nextFetchAt,
        s.consecutiveErrors,
        s.disabledReason,
        s.entriesCreated,
        s.etag,
        s.lastModified,
      ],
    );
  }

  listSources(): Promise<SourceRecord[]> {
    return this.sources(`SELECT ${SOURCE_COLUMNS} FROM wire_sources ORDER BY created_at, id`, []);
  }

  async getSource(id: string): Promise<SourceRecord | null> {
    return (await this.sources(`SELECT ${SOURCE_COLUMNS} FROM wire_sources WHERE id = ?`, [id]))[0] ?? null;
  }

  async updateSource(id: string, change: SourceChange): Promise<boolean> {
    const sets = changedColumns(change);
    if (sets.length === 0) return (await this.getSource(id)) !== null;
    const changed = await this.sql.run(
      `UPDATE wire_sources SET ${sets.map(([column]) => `${column} = ?`).join(", ")} WHERE id = ?`,
      [...sets.map(([, value]) => value), id],
    );
    return changed > 0;
  }

  async deleteSource(id: string): Promise<boolean> {
    await this.sql.run("DELETE FROM wire_entries WHERE source_id = ?", [id]);
    return (await this.sql.run("DELETE FROM wire_sources WHERE id = ?", [id])) > 0;
  }

  claimDue(owner: string, now: string, until: string, limit: number): Promise<SourceRecord[]> {
    // The lease condition is checked again by the UPDATE itself: on PostgreSQL a node that waited
    // for another's row lock re-reads the row and finds the lease taken.
    return this.sources(
      `UPDATE wire_sources SET lease_owner = ?, lease_until = ?
       WHERE id IN (
         SELECT id FROM wire_sources
         WHERE enabled = 1 AND next_fetch_at <= ? AND (lease_until IS NULL OR lease_until < ?)
         ORDER BY next_fetch_at LIMIT ?
       ) AND enabled = 1 AND next_fetch_at <= ? AND (lease_until IS NULL OR lease_until < ?)
       RETURNING ${SOURCE_COLUMNS}`,
      [owner, until, now, now, limit, now, now],
    );
  }

  async claim(id: string, owner: string, now: string, until: string): Promise<SourceRecord | null> {
    const [claimed] = await this.sources(
      `UPDATE wire_sources SET lease_owner = ?, lease_until = ?
       WHERE id = ? AND (lease_until IS NULL OR lease_until < ?)
       RETURNING ${SOURCE_COLUMNS}`,
      [owner, until, id, now],
    );
    return claimed ?? null;
  }

  async finishFetch(id: string, owner: string, r: FetchRecord): Promise<boolean> {
    const changed = await this.sql.run(
      `UPDATE wire_sources SET
         last_fetched_at = ?, last_status = ?, last_error = ?,
         last_success_at = CASE WHEN ? = 1 THEN ? ELSE last_success_at END,
         consecutive_errors = ?, next_fetch_at = ?,
         etag = CASE WHEN ? = 1 THEN ? ELSE etag END,
         last_modified = CASE WHEN ? = 1 THEN ? ELSE last_modified END,
         adaptive_seconds = ?, entries_created = entries_created + ?,
         enabled = CASE WHEN ? = 1 THEN 0 ELSE enabled END,
         disabled_reason = COALESCE(?, disabled_reason),
         lease_owner = NULL, lease_until = NULL
       WHERE id = ? AND lease_owner = ?`,
      [
        r.fetchedAt,
        r.status,
        r.error,
        r.succeeded ? 1 : 0,
        r.fetchedAt,
        r.consecutiveErrors,
        r.nextFetchAt,
        r.succeeded ? 1 : 0,
        r.etag,
        r.succeeded ? 1 : 0,
        r.lastModified,
        r.adaptiveSeconds,
        r.entriesCreated,
        r.disabledReason === null ? 0 : 1,
        r.disabledReason,
        id,
        owner,
      ],
    );
    return changed > 0;
  }

  async findEntry(sourceId: string, guid: string): Promise<EntryRecord | null> {
    const rows = await this.sql.all("SELECT * FROM wire_entries WHERE source_id = ? AND guid = ?", [
      sourceId,
      guid,
    ]);
    return rows.length === 0 ? null : entryRow.parse(rows[0]);
  }

  async getEntry(id: string): Promise<EntryRecord | null> {
    const rows = await this.sql.all("SELECT * FROM wire_entries WHERE id = ?", [id]);
    return rows.length === 0 ? null : entryRow.parse(rows[0]);
  }

  async insertEntry(e: EntryRecord): Promise<boolean> {
    const inserted = await this.sql.run(
      `INSERT INTO wire_entries (id, source_id, guid, state, item_id, content_hash, headline, summary, url, published_at, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source_id, guid) DO NOTHING`,
      [
        e.id,
        e.sourceId,
        e.guid,
        e.state,
        e.itemId,
        e.contentHash,
        e.headline,
        e.summary,
        e.url,
        e.publishedAt,
        e.receivedAt,
      ],
    );
    return inserted > 0;
  }

  async updateEntry(e: EntryRecord, fromState: EntryState): Promise<boolean> {
    const changed = await this.sql.run(
      `UPDATE wire_entries SET state = ?, item_id = ?, content_hash = ?, headline = ?, summary = ?, url = ?, published_at = ?
       WHERE id = ? AND state = ?`,
      [e.state, e.itemId, e.contentHash, e.headline, e.summary, e.url, e.publishedAt, e.id, fromState],
    );
    return changed > 0;
  }

  async listHeld(limit: number): Promise<HeldEntry[]> {
    const rows = await this.sql.all(
      `SELECT e.*, s.name AS source_name FROM wire_entries e JOIN wire_sources s ON s.id = e.source_id
       WHERE e.state = 'held' ORDER BY COALESCE(e.published_at, e.received_at) DESC, e.id DESC LIMIT ?`,
      [limit],
    );
    return rows.map((row) => heldRow.parse(row));
  }
}

/** Rewrites `?` placeholders as PostgreSQL's `$1`, `$2`, … (the wire store's SQL has no `?` in literals). */
export function numberedPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => {
    n += 1;
    return `$${n}`;
  });
}
