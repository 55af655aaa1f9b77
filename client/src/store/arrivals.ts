import type { Change, Item } from "../../../shared/item";
import { type Filter, matchesFilter } from "../../../shared/search";
import { compareItems, type TimelineView } from "../../../shared/timeline";

/** Where the reader stands when new items arrive. */
export interface ReaderContext {
  /** The view before the items arrived: its newest item is what a reader at the top looks at. */
  before: TimelineView;
  filter: Filter;
  /** Scrolled away from the top of the feed. */
  readerAway: boolean;
  /** The tab is hidden. */
  hidden: boolean;
}

/** What new items do to the reader's page. */
export interface ArrivalEffects {
  /** Held behind "N new items" so that the page does not move under the reader. */
  pending: string[];
  /** New items for the "(N)" of a hidden tab's title. */
  unseen: number;
  /** Breaking headlines for the screen reader, read out politely. */
  announcements: string[];
  /** Flash headlines (urgency 1), read out assertively: they interrupt. */
  flashes: string[];
}

/**
 * The new items a sync brought: those created after the view's seq (in the answer's changes or in
 * the live changes held while it ran) or, for a reset, those the view did not hold. Each one as it
 * stands after the sync, published and new to the view; an old item that was only edited is not
 * news, nor is one created and retracted while the reader was away. In the order in which they
 * would have come live.
 */
export function syncArrivals(
  before: TimelineView,
  after: TimelineView,
  created: readonly Change[],
  reset: boolean,
): Item[] {
  const held = new Set(before.items.map((item) => item.id));
  const ids = reset
    ? after.items.map((item) => item.id)
    : created.filter((change) => change.kind === "created" && change.seq > before.seq).map((c) => c.item.id);
  const wanted = new Set(ids);
  return after.items
    .filter((item) => wanted.has(item.id) && !held.has(item.id) && item.status === "published")
    .sort((a, b) => a.seq - b.seq);
}

/**
 * How arrivals show, the same for live changes and for a sync's catch-up, and only for items the
 * reader's filter shows: the others never appear on the page, so they are neither counted nor read out.
 */
export function arrivalEffects(arrived: readonly Item[], reader: ReaderContext): ArrivalEffects {
  const effects: ArrivalEffects = { pending: [], unseen: 0, announcements: [], flashes: [] };
  const top = reader.before.items.find(
    (item) => item.status === "published" && matchesFilter(item, reader.filter),
  );
  for (const item of arrived) {
    if (!matchesFilter(item, reader.filter)) continue;
    if (reader.hidden) effects.unseen += 1;
    if (item.urgency === 1) effects.flashes.push(item.headline);
    else if (item.breaking) effects.announcements.push(item.headline);
    // Only items that would land above what the reader is looking at wait behind the button; a
    // late item takes its place further down without moving anything.
    if (reader.readerAway && (top === undefined || compareItems(item, top) < 0))
      effects.pending.push(item.id);
  }
  return effects;
}
