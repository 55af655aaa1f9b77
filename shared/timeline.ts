import type { SyncChanges, SyncReset } from "./events";
import { type Change, type ChangeFingerprint, fingerprintOf, type Item } from "./item";

/**
 * Timeline order: `publishedAt` descending, then `id` descending. Negative when `a` comes first.
 * ISO 8601 UTC strings of one format compare correctly as strings.
 */
export function compareItems(a: Item, b: Item): number {
  if (a.publishedAt !== b.publishedAt) return a.publishedAt > b.publishedAt ? -1 : 1;
  if (a.id !== b.id) return a.id > b.id ? -1 : 1;
  return 0;
}

/**
 * A client's copy of the timeline: the items it holds in timeline order, the last seq applied,
 * the epoch that seq belongs to (absent until a sync answer names one) and the fingerprint of the
 * change at that seq (absent when no answer named it, as in a view kept from before fingerprints).
 */
export interface TimelineView {
  readonly seq: number;
  readonly epoch?: string;
  readonly lastChange?: ChangeFingerprint;
  readonly items: readonly Item[];
}

export const emptyView: TimelineView = { seq: 0, items: [] };

/** What applying a change did: `gap` means changes were missed and the client must sync again. */
export type ApplyOutcome = "applied" | "duplicate" | "gap";

/** Index at which `item` belongs in `items` (sorted in timeline order), by binary search. */
function insertionIndex(items: readonly Item[], item: Item): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const other = items[mid];
    if (other !== undefined && compareItems(other, item) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * Puts `item` in its place, replacing an older version of the same item. A version older than the
 * one held is ignored, so a slow page of history can never undo a live change.
 */
export function upsertItem(items: readonly Item[], item: Item): readonly Item[] {
  const existingIndex = items.findIndex((other) => other.id === item.id);
  const existing = existingIndex === -1 ? undefined : items[existingIndex];
  if (existing !== undefined && existing.version >= item.version) return items;
  const rest = existingIndex === -1 ? items : items.filter((_, i) => i !== existingIndex);
  const at = insertionIndex(rest, item);
  return [...rest.slice(0, at), item, ...rest.slice(at)];
}

/**
 * Applies one change. A change at or below the view's seq is a duplicate and dropped; one past
 * `seq + 1` reveals a gap and leaves the view as it is, for the caller to resync.
 */
export function applyChange(
  view: TimelineView,
  change: Change,
): { view: TimelineView; outcome: ApplyOutcome } {
  if (change.seq <= view.seq) return { view, outcome: "duplicate" };
  if (change.seq > view.seq + 1) return { view, outcome: "gap" };
  return {
    view: {
      ...view,
      seq: change.seq,
      lastChange: fingerprintOf(change.item),
      items: upsertItem(view.items, change.item),
    },
    outcome: "applied",
  };
}

/**
 * Applies a sync answer: a reset replaces the items, a list of changes is applied in order. Either
 * way the view takes the answer's epoch. Changes from another epoch than the view's are not
 * for this view (see `isForeign`); the caller checks before.
 */
export function applySync(view: TimelineView, answer: SyncChanges | SyncReset): TimelineView {
  if ("reset" in answer) {
    const items = [...answer.items].sort(compareItems);
    const { seq, epoch, lastChange } = answer;
    return lastChange === undefined ? { seq, epoch, items } : { seq, epoch, lastChange, items };
  }
  let next: TimelineView = { ...view, epoch: answer.epoch };
  for (const change of answer.changes) next = applyChange(next, change).view;
  return next;
}

/**
 * True when a sync answer of changes belongs to another epoch than the view's seq: the database
 * behind the server was restored or replaced, and its seqs name other changes. A view that has
 * not heard of an epoch yet (kept from before epochs) takes the answer as it is.
 */
export function isForeign(view: TimelineView, answer: SyncChanges | SyncReset): boolean {
  return !("reset" in answer) && view.epoch !== undefined && answer.epoch !== view.epoch;
}

/**
 * The fingerprint of the change at the view's seq, to send with it. A view that was not told it (kept
 * from before fingerprints) finds it among its items when it holds the item that change wrote:
 * an item's `seq` is the seq of the change that wrote that version.
 */
export function lastChangeOf(view: TimelineView): ChangeFingerprint | undefined {
  if (view.lastChange !== undefined || view.seq === 0) return view.lastChange;
  const written = view.items.find((item) => item.seq === view.seq);
  return written === undefined ? undefined : fingerprintOf(written);
}

/** Adds items read over HTTP (older pages) without touching the seq. */
export function mergeItems(view: TimelineView, items: readonly Item[]): TimelineView {
  let merged = view.items;
  for (const item of items) merged = upsertItem(merged, item);
  return merged === view.items ? view : { ...view, items: merged };
}
