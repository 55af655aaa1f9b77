import type { Change, ChangeKind, Item, Topic } from "../../shared/item";
import type { ItemStatusFilter, Role } from "../../shared/requests";

/** An item as the core builds it; the storage stamps the seq when it commits. */
export type ItemDraft = Omit<Item, "seq">;

/** Why the core refused a change. */
export type Refusal =
  | { code: "not_found" }
  | { code: "version_conflict"; current: Item }
  | { code: "retracted"; current: Item };

/** The core's decision about one item, taken inside the storage's write transaction. */
export type Decision = { ok: true; kind: ChangeKind; item: ItemDraft } | { ok: false; refusal: Refusal };

/**
 * The principal whose keys `forgetIdempotencyKeys` never forgets: identities of items that must be
 * made only once for good, like the blocks of a plain-text import (`Timeline.publishOnce`). It
 * cannot be taken for a client's, which are `token:<id>` or `operator:<id>`.
 */
export const LASTING_KEYS_PRINCIPAL = "lasting";

/** Remembers which item a client's `Idempotency-Key` produced. `fingerprint` identifies the request body. */
export interface IdempotencyClaim {
  principal: string;
  key: string;
  fingerprint: string;
}

export interface CommitRequest {
  itemId: string;
  /** Pure: given the item as stored (or null), what it becomes. Runs inside the transaction. */
  decide: (current: Item | null) => Decision;
  idempotency?: IdempotencyClaim;
}

export type CommitResult =
  | { status: "committed"; change: Change }
  | { status: "refused"; refusal: Refusal }
  | { status: "replayed"; item: Item }
  /** The key already made another item (`itemId`) from a different body. */
  | { status: "key_reused"; itemId: string };

export interface ItemQuery {
  topics: readonly string[];
  text: string | undefined;
  /** Timeline position to start after (exclusive); only in the timeline's order. */
  after: { publishedAt: string; id: string } | undefined;
  limit: number;
  /** Which items: published only (what readers see), retracted only, or both. */
  status: ItemStatusFilter;
  /**
   * `timeline` (the default): by `publishedAt`, then `id`, newest first. `latestChange`: the item
   * whose latest change is newest first (by `seq`), as the feeds list them; read by walking the
   * change log back from its end, so it costs the changes walked, not a sort of every item.
   */
  order?: "timeline" | "latestChange";
}

export interface Operator {
  id: string;
  username: string;
  role: Role;
  passwordHash: string;
  disabled: boolean;
}

export interface StoredSession {
  idHash: string;
  operatorId: string;
  csrfToken: string;
  createdAt: string;
  lastSeenAt: string;
}

export interface StoredToken {
  id: string;
  name: string;
  role: Role;
  hash: string;
  revoked: boolean;
  createdAt: string;
}

/** One line of the audit log: who did what to which thing, when. */
export interface AuditEntry {
  at: string;
  actor: string;
  /** `item.created`, `item.updated`, `item.retracted`, `topic.created`, `operator.updated`, … */
  action: string;
  target: string;
  detail: string;
}

/**
 * Where a line sits in the audit log, newest first: its time, then whether it came from the audit
 * table (1) or the change log (0), then its id or seq within that source. Unique per line.
 */
export interface AuditPosition {
  at: string;
  origin: 0 | 1;
  ord: number;
}

/** A line of the audit log with its position, so that a page can say where the next one starts. */
export interface AuditRecord extends AuditEntry {
  position: AuditPosition;
}

/** Which lines of the audit log to read: each filter matches exactly (`actor` regardless of case). */
export interface AuditQuery {
  limit: number;
  /** Start after this position (exclusive). */
  after?: AuditPosition | undefined;
  actor?: string | undefined;
  action?: string | undefined;
  target?: string | undefined;
}

export interface OperatorChange {
  role?: Role;
  disabled?: boolean;
  passwordHash?: string;
}

/**
 * Everything livedesk keeps. Every implementation passes tests/storage/contract.ts.
 *
 * Invariant of `commit`: each committed change gets the next seq, gapless and in commit order,
 * however many writers share the storage.
 */
export interface Storage {
  commit(request: CommitRequest): Promise<CommitResult>;
  getItem(id: string): Promise<Item | null>;
  listItems(query: ItemQuery): Promise<Item[]>;
  /** Every version of an item, oldest first; empty when there is no such item. */
  listRevisions(id: string): Promise<Item[]>;
  /** Changes after `since`, in seq order, at most `limit`. */
  changesSince(since: number, limit: number): Promise<Change[]>;
  latestSeq(): Promise<number>;
  /**
   * The timeline's epoch: an id drawn when the storage was created and kept for good, so that a
   * reader's seq is only ever compared with seqs of the same history.
   */
  epoch(): Promise<string>;
  /**
   * Draws a new epoch, optionally, for a database restored from a backup: its seqs are about to be
   * given out again to other changes, and every reader, even one that does not name the change at
   * its seq, then starts afresh.
   */
  renewEpoch(): Promise<string>;
  /**
   * The newest `limit` items, retracted ones too (a newcomer sees their tombstones where present
   * readers do), and every pinned published item, newest first.
   */
  latestWindow(limit: number): Promise<Item[]>;
  /** Forgets the keys claimed before `olderThan`, except those of `LASTING_KEYS_PRINCIPAL`. */
  forgetIdempotencyKeys(olderThan: Date): Promise<number>;

  listTopics(): Promise<Topic[]>;
  /** False when the slug is taken. */
  createTopic(topic: Topic): Promise<boolean>;
  /** False when there is no such topic. */
  renameTopic(slug: string, name: string): Promise<boolean>;

  countOperators(): Promise<number>;
  /** False when the username is taken. */
  createOperator(operator: Operator): Promise<boolean>;
  findOperatorByUsername(username: string): Promise<Operator | null>;
  getOperator(id: string): Promise<Operator | null>;
  listOperators(): Promise<Operator[]>;
  /** False when there is no such operator. */
  updateOperator(id: string, change: OperatorChange): Promise<boolean>;

  createSession(session: StoredSession): Promise<void>;
  findSession(idHash: string): Promise<StoredSession | null>;
  touchSession(idHash: string, lastSeenAt: string): Promise<void>;
  deleteSession(idHash: string): Promise<void>;
  /** Ends every session of an operator (disabled, or given a new password). */
  deleteSessionsOf(operatorId: string): Promise<void>;

  createToken(token: StoredToken): Promise<void>;
  findTokenByHash(hash: string): Promise<StoredToken | null>;
  /** False when there is no such live token. */
  revokeToken(id: string): Promise<boolean>;
  listTokens(): Promise<StoredToken[]>;

  appendAudit(entry: AuditEntry): Promise<void>;
  /**
   * The audit log, newest first: the entries appended here together with every change of the
   * timeline (its author, kind and headline), which the change log already keeps.
   */
  listAudit(query: AuditQuery): Promise<AuditRecord[]>;

  /** Throws when the storage does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
