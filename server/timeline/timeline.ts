import { createHash, getRandomValues } from "node:crypto";
import { monotonicFactory } from "ulid";
import type { SyncChanges, SyncReset } from "../../shared/events";
import type { ItemImageInput } from "../../shared/fields";
import {
  type Change,
  fingerprintOf,
  type Item,
  type ItemImage,
  isFingerprintOf,
  type Origin,
} from "../../shared/item";
import { SYNC_MAX_CHANGES, SYNC_WINDOW } from "../../shared/limits";
import type {
  CreateItemInput,
  ListItemsQuery,
  PatchItemInput,
  RetractItemInput,
} from "../../shared/requests";
import { matchesFilter } from "../../shared/search";
import type { MediaStore } from "../media/store";
import {
  type CommitResult,
  type IdempotencyClaim,
  LASTING_KEYS_PRINCIPAL,
  type Refusal,
  type TimelineStore,
  type TopicStore,
} from "../storage/timeline-store";
import { decodeCursor, encodeCursor } from "./cursor";
import { decideCreate, decideEdit, decideRetract } from "./decisions";
import { publicItem, publicRevisions, type View } from "./public";
import { runThrough } from "./through";

/** A request the timeline refuses. The HTTP layer maps `code` to a status. */
export class TimelineError extends Error {
  constructor(
    readonly code:
      | "not_found"
      | "version_conflict"
      | "retracted"
      | "invalid_input"
      | "idempotency_key_reused",
    message: string,
    readonly details: { current?: Item; fields?: Record<string, string> } = {},
  ) {
    super(message);
  }
}

function refusalError(refusal: Refusal): TimelineError {
  switch (refusal.code) {
    case "not_found":
      return new TimelineError("not_found", "No item has this id.");
    case "version_conflict":
      return new TimelineError(
        "version_conflict",
        `The item changed since version you edited; it is now at version ${refusal.current.version}.`,
        { current: refusal.current },
      );
    case "retracted":
      return new TimelineError("retracted", "The item is retracted and can no longer change.", {
        current: refusal.current,
      });
  }
}

function keyReusedError(earlier: Item | null): TimelineError {
  return new TimelineError(
    "idempotency_key_reused",
    "This Idempotency-Key was already used for a different item; use a new key for a new item.",
    earlier === null ? {} : { current: earlier },
  );
}

export interface TimelineOptions {
  now?: () => Date;
  /** Where uploaded pictures are kept; without it, an item with an `image` is refused. */
  media?: Pick<MediaStore, "mediaSize"> | undefined;
}

/** Who made a change, as shown in `author`, and the key under which their idempotency keys live. */
export interface Author {
  name: string;
  principal: string;
}

/**
 * Random bytes for ids, drawn from the OS 4 KB at a time: ulid's default asks for one byte per
 * character, sixteen calls for each new id, a visible share of a publish's cost.
 */
function pooledRandom(): () => number {
  const pool = new Uint8Array(4096);
  let next = pool.length;
  return () => {
    if (next === pool.length) {
      getRandomValues(pool);
      next = 0;
    }
    const byte = pool[next] ?? 0;
    next += 1;
    return byte / 256;
  };
}

/**
 * The ordered news timeline: validates changes against what is stored, commits them through the
 * storage (which assigns seq) and tells its listeners about each committed change.
 */
export class Timeline {
  private readonly listeners = new Set<(change: Change) => void>();
  private readonly newId = monotonicFactory(pooledRandom());
  private readonly now: () => Date;
  private readonly media: Pick<MediaStore, "mediaSize"> | undefined;
  private readonly knownTopics = new Set<string>();
  private epochRead: Promise<string> | undefined;

  constructor(
    private readonly storage: TimelineStore & Pick<TopicStore, "listTopics">,
    options: TimelineOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.media = options.media;
  }

  /** Calls `listener` with every change this timeline commits. Returns the unsubscribe function. */
  onChange(listener: (change: Change) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Tells the listeners of a committed change at once (readers need not wait for the disk: no
   * crash of the server loses it), then answers once it is on disk, so that what a client is told
   * was stored survives a power cut. A replay waits too: its first commit may still be syncing.
   */
  private async settle(result: CommitResult): Promise<Item> {
    switch (result.status) {
      case "committed":
        for (const listener of this.listeners) listener(result.change);
        await this.storage.synced();
        return result.change.item;
      case "replayed":
        await this.storage.synced();
        return result.item;
      case "refused":
        throw refusalError(result.refusal);
      case "key_reused":
        throw keyReusedError(null);
    }
  }

  private async checkTopics(topics: readonly string[] | undefined): Promise<void> {
    if (topics === undefined) return;
    // Topics are only ever added: a slug seen once stays known. An unknown one is looked up again,
    // since another node (or the admin API) may just have created it.
    if (topics.every((slug) => this.knownTopics.has(slug))) return;
    for (const topic of await this.storage.listTopics()) this.knownTopics.add(topic.slug);
    const known = this.knownTopics;
    const fields: Record<string, string> = {};
    topics.forEach((slug, i) => {
      if (!known.has(slug)) fields[`topics.${i}`] = `unknown topic "${slug}"`;
    });
    if (Object.keys(fields).length > 0)
      throw new TimelineError("invalid_input", "Unknown topic.", { fields });
  }

  private checkNotInFuture(publishedAt: string | undefined): void {
    // A minute of slack for the clocks of newsroom tools.
    if (publishedAt !== undefined && Date.parse(publishedAt) > this.now().getTime() + 60_000) {
      throw new TimelineError("invalid_input", "publishedAt is in the future.", {
        fields: { publishedAt: "must not be in the future" },
      });
    }
  }

  /**
   * The item's picture as kept: the request's id, alt text and credit, with the width and height
   * of the stored picture (a client's are never taken). An id no upload gave out is refused.
   */
  private async imageOf(input: ItemImageInput | null | undefined): Promise<ItemImage | null | undefined> {
    if (input === undefined || input === null) return input;
    const size = this.media === undefined ? null : await this.media.mediaSize(input.id);
    if (size === null) {
      throw new TimelineError("invalid_input", "The image names no uploaded picture.", {
        fields: { "image.id": "names no uploaded picture: upload it with POST /api/media first" },
      });
    }
    return { ...input, width: size.width, height: size.height };
  }

  async publish(
    input: CreateItemInput,
    author: Author,
    idempotencyKey?: string,
    origin: Origin | null = null,
  ): Promise<{ item: Item; replayed: boolean }> {
    return this.create(
      input,
      author,
      idempotencyKey === undefined
        ? undefined
        : {
            principal: author.principal,
            key: idempotencyKey,
            fingerprint: createHash("sha256").update(JSON.stringify(input)).digest("base64url"),
          },
      origin,
    );
  }

  /**
   * Publishes an item known by `identity` (e.g. a hash of an imported block's text) at most once,
   * whoever asks and however long after: the identity is kept for good under the principal
   * `LASTING_KEYS_PRINCIPAL`, and asking again answers the item it made with `replayed`.
   */
  async publishOnce(
    input: CreateItemInput,
    author: Author,
    identity: string,
    origin: Origin | null = null,
  ): Promise<{ item: Item; replayed: boolean }> {
    return this.create(
      input,
      author,
      {
        principal: LASTING_KEYS_PRINCIPAL,
        key: identity,
        // The identity alone decides: the same block imported later (another time, other topics)
        // is the same item, not a reused key.
        fingerprint: identity,
      },
      origin,
    );
  }

  private async create(
    input: CreateItemInput,
    author: Author,
    idempotency: IdempotencyClaim | undefined,
    origin: Origin | null = null,
  ): Promise<{ item: Item; replayed: boolean }> {
    await this.checkTopics(input.topics);
    this.checkNotInFuture(input.publishedAt);
    const image = (await this.imageOf(input.image)) ?? null;
    const id = this.newId();
    const now = this.now().toISOString();
    const result = await this.storage.commit({
      itemId: id,
      decide: (current) => decideCreate(current, id, input, author.name, now, origin, image),
      ...(idempotency === undefined ? {} : { idempotency }),
    });
    // The item the key made comes with the refusal, so a client whose answer was lost can show it.
    if (result.status === "key_reused") throw keyReusedError(await this.storage.getItem(result.itemId));
    return { item: await this.settle(result), replayed: result.status === "replayed" };
  }

  async edit(id: string, input: PatchItemInput, author: Author): Promise<Item> {
    await this.checkTopics(input.topics);
    this.checkNotInFuture(input.publishedAt);
    const image = await this.imageOf(input.image);
    const now = this.now().toISOString();
    return this.settle(
      await this.storage.commit({
        itemId: id,
        decide: (current) => decideEdit(current, input, author.name, now, image),
      }),
    );
  }

  async retract(id: string, input: RetractItemInput, author: Author): Promise<Item> {
    const now = this.now().toISOString();
    return this.settle(
      await this.storage.commit({
        itemId: id,
        decide: (current) => decideRetract(current, input, author.name, now),
      }),
    );
  }

  /** The item; a retracted one as its tombstone unless an operator asks for the `full` view. */
  async get(id: string, view: View = "public"): Promise<Item> {
    const item = await this.storage.getItem(id);
    if (item === null) throw new TimelineError("not_found", "No item has this id.");
    return view === "full" ? item : publicItem(item);
  }

  /** Every version, oldest first; all of them tombstones once retracted, unless the view is `full`. */
  async revisions(id: string, view: View = "public"): Promise<Item[]> {
    const revisions = await this.storage.listRevisions(id);
    if (revisions.length === 0) throw new TimelineError("not_found", "No item has this id.");
    return view === "full" ? revisions : publicRevisions(revisions);
  }

  /**
   * One page of the timeline, newest first. `seq` is read first, so a client may sync from it.
   * In the public view a search matches a retracted item only by what its tombstone shows, so a
   * page may hold fewer than `limit` items while `nextCursor` still leads on.
   */
  async list(
    query: ListItemsQuery,
    view: View = "public",
  ): Promise<{ items: Item[]; nextCursor: string | null; seq: number; epoch: string }> {
    const after = query.before === undefined ? undefined : decodeCursor(query.before);
    if (after === null) {
      throw new TimelineError("invalid_input", "The cursor is not one this server gave out.", {
        fields: { before: "must be a nextCursor from an earlier page" },
      });
    }
    const target = query.through === undefined ? undefined : await this.storage.getItem(query.through);
    if (target === null) {
      throw new TimelineError("invalid_input", "No item has the id given in `through`.", {
        fields: { through: "must be the id of an item" },
      });
    }
    const [seq, epoch] = await Promise.all([this.storage.latestSeq(), this.epoch()]);
    const text = query.q === "" ? undefined : query.q;
    const filter = {
      topics: query.topic ?? [],
      text,
      after,
      limit: query.limit + 1,
      status: query.status,
      verification: query.verification,
      keyEvent: query.keyEvent,
    };
    const rows = await this.storage.listItems(filter);
    const asked = { items: rows.slice(0, query.limit), more: rows.length > query.limit };
    const run = target === undefined ? asked : await runThrough(this.storage, filter, asked, target);
    const page = run.items;
    const last = page.at(-1);
    const nextCursor = run.more && last !== undefined ? encodeCursor(last) : null;
    if (view === "full") return { items: page, nextCursor, seq, epoch };
    const shown = page.map(publicItem);
    const items =
      text === undefined
        ? shown
        : shown.filter((item) => item.status === "published" || matchesFilter(item, { topics: [], q: text }));
    return { items, nextCursor, seq, epoch };
  }

  /** The seq of the last committed change. */
  latestSeq(): Promise<number> {
    return this.storage.latestSeq();
  }

  /**
   * The timeline's epoch. Read once: it changes only with the database (which is replaced, or
   * renewed, only while the server is stopped), and every sync carries it.
   */
  epoch(): Promise<string> {
    if (this.epochRead === undefined) {
      const read = this.storage.epoch();
      this.epochRead = read;
      // A failed read is not kept: the next sync asks the storage again.
      read.catch(() => {
        if (this.epochRead === read) this.epochRead = undefined;
      });
    }
    return this.epochRead;
  }

  /**
   * Answers `timeline:sync`: the changes after `since`, or a reset with the latest window when
   * `since` is missing, not a whole number, ahead of the server, further back than the log
   * replays, from another epoch than this timeline's (`epoch` given and not the server's), or
   * when `sinceChange` is given and the change at `since` here is another one (a restored backup
   * gave that seq out again). Checking it costs nothing more: the change at `since` is read with
   * the ones after it. The answer is the full view: the socket makes it public (`publicSync`) on
   * its way out, since it also answers from the changes it holds in memory.
   */
  async sync(since: unknown, epoch?: unknown, sinceChange?: unknown): Promise<SyncChanges | SyncReset> {
    const [latest, current] = await Promise.all([this.storage.latestSeq(), this.epoch()]);
    if (
      (epoch === undefined || epoch === current) &&
      typeof since === "number" &&
      Number.isSafeInteger(since) &&
      since >= 0 &&
      since <= latest &&
      latest - since <= SYNC_MAX_CHANGES
    ) {
      if (sinceChange === undefined || since === 0) {
        const changes = await this.storage.changesSince(since, SYNC_MAX_CHANGES);
        return { seq: changes.at(-1)?.seq ?? since, epoch: current, changes };
      }
      const [at, ...changes] = await this.storage.changesSince(since - 1, SYNC_MAX_CHANGES + 1);
      if (at?.seq === since && isFingerprintOf(at.item, sinceChange)) {
        return { seq: changes.at(-1)?.seq ?? since, epoch: current, changes };
      }
    }
    const items = await this.storage.latestWindow(SYNC_WINDOW);
    const written = latest === 0 ? undefined : await this.itemWrittenAt(latest, items);
    return written === undefined
      ? { seq: latest, epoch: current, reset: true, items }
      : { seq: latest, epoch: current, reset: true, items, lastChange: fingerprintOf(written) };
  }

  /**
   * The item as the change at `seq` wrote it: usually in the window at hand (an item's `seq` is
   * that of the change that wrote its version), else read from the change log.
   */
  private async itemWrittenAt(seq: number, window: readonly Item[]): Promise<Item | undefined> {
    const inWindow = window.find((item) => item.seq === seq);
    if (inWindow !== undefined) return inWindow;
    const [change] = await this.storage.changesSince(seq - 1, 1);
    return change?.seq === seq ? change.item : undefined;
  }
}
