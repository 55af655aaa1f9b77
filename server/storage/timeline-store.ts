import type { Change, ChangeKind, Item, Topic } from "../../shared/item";
import type { ItemStatusFilter, VerificationFilter } from "../../shared/requests";

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
  /**
   * Timeline position to stop at (inclusive): nothing after it is listed. With `after`, it bounds
   * the run of items a reader jumping to one far down the feed loads; only in the timeline's order.
   */
  until?: { publishedAt: string; id: string } | undefined;
  limit: number;
  /** Which items: published only (what readers see), retracted only, or both. */
  status: ItemStatusFilter;
  /** Only items with this verification (`none`: not said); every item when absent. */
  verification?: VerificationFilter | undefined;
  /** Key events only (true), every other item (false), or either (absent). */
  keyEvent?: boolean | undefined;
  /**
   * `timeline` (the default): by `publishedAt`, then `id`, newest first. `latestChange`: the item
   * whose latest change is newest first (by `seq`), as the feeds list them; read by walking the
   * change log back from its end, so it costs the changes walked, not a sort of every item.
   */
  order?: "timeline" | "latestChange";
}

/**
 * The timeline as the storage keeps it: items, the change log (which is their revisions too), the
 * seq counter, the epoch and the idempotency keys. What `Timeline`, the sequencer and the sync use.
 *
 * Invariant of `commit`: each committed change gets the next seq, gapless and in commit order,
 * however many writers share the storage.
 *
 * An idempotency key whose item is no longer stored (removed by hand, say) names nothing: a
 * commit with it goes ahead as if the key were new, and the key then names the new item. Both
 * backends answer so (tests/storage/contract.ts).
 */
export interface TimelineStore {
  commit(request: CommitRequest): Promise<CommitResult>;
  getItem(id: string): Promise<Item | null>;
  listItems(query: ItemQuery): Promise<Item[]>;
  /** Every version of an item, oldest first; empty when there is no such item. */
  listRevisions(id: string): Promise<Item[]>;
  /** Changes after `since`, in seq order, at most `limit`. */
  changesSince(since: number, limit: number): Promise<Change[]>;
  latestSeq(): Promise<number>;
  /**
   * Resolves once every commit answered so far is on disk. A commit is answered (and broadcast)
   * as soon as its seq is given out and no crash of the server can lose it; whoever acknowledges
   * it to a client waits for this too, so an acknowledged change survives a power cut.
   */
  synced(): Promise<void>;
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
}

/**
 * The topics items are filed under. Creating one here is not audited: it is for seeding (the
 * demo wire, tests); an admin's topic goes through `AdminStore.applyAdminChange`.
 */
export interface TopicStore {
  listTopics(): Promise<Topic[]>;
  /** False when the slug is taken. */
  createTopic(topic: Topic): Promise<boolean>;
}
