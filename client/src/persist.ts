import { z } from "zod/mini";
import { itemSchema } from "../../shared/item";
import { emptyView, type TimelineView } from "../../shared/timeline";

const KEY = "livedesk:timeline:v1";
/** Enough to fill a phone screen several times over; localStorage is small and synchronous. */
const KEEP = 150;

// Written by an earlier visit, perhaps by an older version of the dashboard: checked, not trusted.
const savedSchema = z.object({ seq: z.int().check(z.nonnegative()), items: z.array(itemSchema) });

/**
 * The last window this browser saw, so that a reload paints at once and then syncs only what
 * changed. Anything unreadable is thrown away: the sync brings a fresh window.
 */
export function loadSavedView(): TimelineView {
  try {
    const raw = window.localStorage.getItem(KEY);
    if (raw === null) return emptyView;
    const parsed = savedSchema.safeParse(JSON.parse(raw));
    if (parsed.success) return parsed.data;
  } catch {
    // Storage disabled or corrupt: start empty.
  }
  return emptyView;
}

export function saveView(view: TimelineView): void {
  try {
    window.localStorage.setItem(KEY, JSON.stringify({ seq: view.seq, items: view.items.slice(0, KEEP) }));
  } catch {
    // Full or disabled storage only costs the instant paint on the next visit.
  }
}
