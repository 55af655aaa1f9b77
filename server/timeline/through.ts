import type { Item } from "../../shared/item";
import { THROUGH_MAX } from "../../shared/limits";
import { compareItems } from "../../shared/timeline";
import type { ItemQuery, TimelineStore } from "../storage/timeline-store";

/** One page of items and whether the timeline goes on after its last one. */
export interface ItemRun {
  items: Item[];
  more: boolean;
}

/**
 * `GET /api/items?through=ID`: the page as asked for, run on past its `limit` until it reaches
 * the place of `target` in the timeline (THROUGH_MAX items at most), so that a reader who jumps
 * to a key event far down the feed loads everything above it in one call rather than page by
 * page. The items above are all loaded, not only the target, because the feed shows the timeline
 * without holes. A target outside the filter still bounds the run by its place.
 *
 * `first` is the page as asked for; when it already reaches the target it is the answer as it is.
 */
export async function runThrough(
  store: Pick<TimelineStore, "listItems">,
  query: ItemQuery,
  first: ItemRun,
  target: Item,
): Promise<ItemRun> {
  const last = first.items.at(-1);
  if (!first.more || (last !== undefined && compareItems(last, target) >= 0)) return first;
  const rows = await store.listItems({ ...query, until: target, limit: THROUGH_MAX + 1 });
  if (rows.length > THROUGH_MAX) return { items: rows.slice(0, THROUGH_MAX), more: true };
  const end = rows.at(-1);
  // The run stops at the target: whether anything comes after it is one more row's question.
  const after = end === undefined ? query.after : end;
  const next = await store.listItems({ ...query, after, limit: 1 });
  return { items: rows, more: next.length > 0 };
}
