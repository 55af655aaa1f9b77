import { z } from "zod/mini";
import { changeFingerprintSchema, itemSchema } from "../../shared/item";
import { emptyView, lastChangeOf, type TimelineView } from "../../shared/timeline";

const KEY = "livedesk:timeline:v1";
/** Enough to fill a phone screen several times over; localStorage is small and synchronous. */
const KEEP = 150;

// Written by an earlier visit, perhaps by an older version of the dashboard: checked, not trusted.
// A window saved before epochs has none; its first sync then goes by seq alone, as it always did.
// One saved before fingerprints has no lastChange; the follower looks for it among the items.
const savedSchema = z.object({
  seq: z.int().check(z.nonnegative()),
  epoch: z.optional(z.string()),
  lastChange: z.optional(changeFingerprintSchema),
  items: z.array(itemSchema),
});

/**
 * The last window this browser saw, with the seq and epoch it was at and the fingerprint of the
 * change at that seq, so that a reload paints at once and then syncs only what changed (or, when
 * the server's timeline is another epoch or a restored backup by then, gets a fresh window). Anything unreadable is thrown away: the sync brings a fresh window.
 */
export function loadSavedView(): TimelineView {
  try {
    const raw = window.localStorage.getItem(KEY);
    if (raw === null) return emptyView;
    const parsed = savedSchema.safeParse(JSON.parse(raw));
    if (parsed.success) {
      const { seq, epoch, lastChange, items } = parsed.data;
      return {
        seq,
        ...(epoch === undefined ? {} : { epoch }),
        ...(lastChange === undefined ? {} : { lastChange }),
        items,
      };
    }
  } catch {
    // Storage disabled or corrupt: start empty.
  }
  return emptyView;
}

export function saveView(view: TimelineView): void {
  try {
    // The fingerprint is kept even when the item it names falls outside the kept items.
    const saved = {
      seq: view.seq,
      epoch: view.epoch,
      lastChange: lastChangeOf(view),
      items: view.items.slice(0, KEEP),
    };
    window.localStorage.setItem(KEY, JSON.stringify(saved));
  } catch {
    // Full or disabled storage only costs the instant paint on the next visit.
  }
}
