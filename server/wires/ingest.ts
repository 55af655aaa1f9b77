import { createHash } from "node:crypto";
import { monotonicFactory } from "ulid";
import type { ItemImageInput } from "../../shared/fields";
import type { Item, ItemSource } from "../../shared/item";
import { createItemSchema, type PatchItemInput } from "../../shared/requests";
import type { PollResult } from "../../shared/wires";
import { type Author, type Timeline, TimelineError } from "../timeline/timeline";
import type { WireEntry } from "./parse";
import type { EntryRecord, EntryState, SourceRecord, WireStore } from "./store";

/*
 * What a wire's entries do to the timeline: a new entry becomes an item (or waits in Incoming),
 * an entry seen before creates nothing, and one whose text changed upstream becomes an `updated`
 * change of its item.
 */

/** The first fetch of a new source takes at most this many of its newest entries. */
export const FIRST_POLL_ENTRIES_MAX = 20;

const newId = monotonicFactory();

/** Wire items are written in the source's name, under a principal of their own. */
export function wireAuthor(source: Pick<SourceRecord, "id" | "name">): Author {
  return { name: source.name, principal: `wire:${source.id}` };
}

/**
 * The lasting identity of an entry's item (Timeline.publishOnce): if the node stops between
 * publishing the item and recording the entry, the next fetch, however much later, gets the same
 * item back; two editors publishing one held entry at once get one item.
 */
export function entryKey(sourceId: string, guid: string): string {
  return `wire:${createHash("sha256").update(`${sourceId}\u0000${guid}`).digest("base64url")}`;
}

/** Newest first by the entry's time; entries without one keep the feed's order, after the dated ones. */
function newestFirst(entries: readonly WireEntry[]): WireEntry[] {
  const dated = entries.filter((e) => e.publishedAt !== null);
  const undated = entries.filter((e) => e.publishedAt === null);
  dated.sort((a, b) => (b.publishedAt ?? "").localeCompare(a.publishedAt ?? ""));
  return [...dated, ...undated];
}

export interface IngestDeps {
  store: WireStore;
  timeline: Timeline;
  now: () => Date;
  /** Called when entries were added to Incoming, so operators' panels refresh. */
  onHeld: () => void;
}

export interface EntryText {
  headline: string;
  summary: string;
  url: string | null;
  topics: string[];
  breaking?: boolean;
  pinned?: boolean;
  publishedAt: string | null;
  /** A picture an operator added before publishing a held entry. */
  image?: ItemImageInput | null;
}

/**
 * The wire as an item's named source (ninjs infosource): its name, the role "wire", and the
 * address of its site. Only the feed's origin, never its path or query: a subscriber's feed
 * address often carries a key that readers must not see.
 */
export function wireItemSource(source: Pick<SourceRecord, "name" | "url">): ItemSource {
  return { name: source.name, role: "wire", uri: `${new URL(source.url).origin}/` };
}

/**
 * Publishes a wire entry as an item with its origin and the wire as its source; a second call
 * for one entry returns the same item.
 */
export async function publishEntry(
  timeline: Timeline,
  source: Pick<SourceRecord, "id" | "name" | "url">,
  guid: string,
  text: EntryText,
  now: Date,
): Promise<Item> {
  // A wire's clock may run ahead: an entry from the future is published now.
  const publishedAt =
    text.publishedAt !== null && Date.parse(text.publishedAt) <= now.getTime() ? text.publishedAt : undefined;
  const input = createItemSchema.parse({
    headline: text.headline,
    summary: text.summary,
    url: text.url,
    topics: text.topics,
    breaking: text.breaking ?? false,
    pinned: text.pinned ?? false,
    source: source.name,
    sources: [wireItemSource(source)],
    ...(publishedAt === undefined ? {} : { publishedAt }),
    ...(text.image === undefined ? {} : { image: text.image }),
  });
  const { item } = await timeline.publishOnce(input, wireAuthor(source), entryKey(source.id, guid), {
    sourceId: source.id,
    guid,
  });
  return item;
}

/** Brings an item in line with its entry's new text upstream; a retracted item stays as it is. */
async function updateItem(
  timeline: Timeline,
  source: SourceRecord,
  itemId: string,
  entry: WireEntry,
): Promise<boolean> {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    let current: Item;
    try {
      current = await timeline.get(itemId, "full");
    } catch (error) {
      if (error instanceof TimelineError && error.code === "not_found") return false;
      throw error;
    }
    if (current.status === "retracted") return false;
    const patch: PatchItemInput = {
      version: current.version,
      headline: entry.headline,
      summary: entry.summary,
      url: entry.url,
    };
    try {
      await timeline.edit(itemId, patch, wireAuthor(source));
      return true;
    } catch (error) {
      // An operator edited it meanwhile: read it again and apply the wire's text on top.
      if (error instanceof TimelineError && error.code === "version_conflict") continue;
      if (error instanceof TimelineError && error.code === "retracted") return false;
      throw error;
    }
  }
  return false;
}

function recordOf(source: SourceRecord, entry: WireEntry, state: EntryState, now: Date): EntryRecord {
  return {
    id: newId(),
    sourceId: source.id,
    guid: entry.guid,
    state,
    itemId: null,
    contentHash: entry.contentHash,
    headline: entry.headline,
    summary: entry.summary,
    url: entry.url,
    publishedAt: entry.publishedAt,
    receivedAt: now.toISOString(),
  };
}

/**
 * Applies one fetch's entries. The first fetch of a source takes only its newest
 * FIRST_POLL_ENTRIES_MAX; entries are applied oldest first, so the timeline's changes follow the wire.
 */
export async function ingest(
  deps: IngestDeps,
  source: SourceRecord,
  entries: readonly WireEntry[],
): Promise<PollResult> {
  const result: PollResult = { created: 0, updated: 0, held: 0, skipped: 0 };
  const ordered = newestFirst(entries);
  const taken = source.lastSuccessAt === null ? ordered.slice(0, FIRST_POLL_ENTRIES_MAX) : ordered;
  // The older entries of a new source are remembered as passed over, so later fetches leave them be.
  for (const entry of ordered.slice(taken.length)) {
    await deps.store.insertEntry(recordOf(source, entry, "passed", deps.now()));
    result.skipped += 1;
  }
  for (const entry of taken.reverse()) {
    const known = await deps.store.findEntry(source.id, entry.guid);
    if (known !== null) {
      if (
        known.contentHash === entry.contentHash ||
        known.state === "discarded" ||
        known.state === "passed"
      ) {
        result.skipped += 1;
        continue;
      }
      const changed: EntryRecord = {
        ...known,
        contentHash: entry.contentHash,
        headline: entry.headline,
        summary: entry.summary,
        url: entry.url,
        publishedAt: entry.publishedAt ?? known.publishedAt,
      };
      if (known.state === "published" && known.itemId !== null) {
        if (await updateItem(deps.timeline, source, known.itemId, entry)) result.updated += 1;
        else result.skipped += 1;
      } else {
        result.updated += 1;
      }
      await deps.store.updateEntry(changed, known.state);
      continue;
    }
    const record = recordOf(source, entry, source.mode === "hold" ? "held" : "published", deps.now());
    if (source.mode === "hold") {
      if (await deps.store.insertEntry(record)) result.held += 1;
      continue;
    }
    const item = await publishEntry(
      deps.timeline,
      source,
      entry.guid,
      { ...entry, topics: source.topics },
      deps.now(),
    );
    await deps.store.insertEntry({ ...record, itemId: item.id });
    result.created += 1;
  }
  if (result.held > 0) deps.onHeld();
  return result;
}
