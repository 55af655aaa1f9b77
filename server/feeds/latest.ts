import type { Item } from "../../shared/item";
import { matchesFilter } from "../../shared/search";
import type { Storage } from "../storage/storage";
import { publicItem } from "../timeline/public";
import type { FeedFilter } from "./filter";

/** How many items a feed carries: those of the newest changes, each item once. */
export const FEED_ITEMS = 50;

/** Reads of the seq and the items before a feed goes out without an ETag. */
const ATTEMPTS = 3;

/**
 * The items of the newest changes matching the filter, as the public sees them, and the seq they
 * stand at. The seq is read first; if a change committed between the two reads shows in the
 * items, both are read again, so that what goes out under one ETag is always the same document.
 * Returns `seq: null` when writers kept racing the read: the answer then goes out without an ETag.
 */
export async function readFeed(
  storage: Pick<Storage, "latestSeq" | "listItems">,
  filter: FeedFilter,
): Promise<{ seq: number | null; items: Item[] }> {
  for (let attempt = 1; ; attempt += 1) {
    const seq = await storage.latestSeq();
    const rows = await storage.listItems({
      topics: filter.topics,
      text: filter.q,
      after: undefined,
      limit: FEED_ITEMS,
      status: "all",
      order: "latestChange",
    });
    // A search matches a retracted item only by what its tombstone still shows, as on the API.
    const items = rows
      .map(publicItem)
      .filter(
        (item) =>
          filter.q === undefined ||
          item.status === "published" ||
          matchesFilter(item, { topics: [], q: filter.q }),
      );
    if (rows.every((row) => row.seq <= seq)) return { seq, items };
    if (attempt === ATTEMPTS) return { seq: null, items };
  }
}
