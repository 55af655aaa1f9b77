import { createStore, type StoreApi } from "zustand/vanilla";
import { emptyView, type TimelineView } from "../../../shared/timeline";
import { type ConnectionSlice, createConnectionSlice } from "./connection";
import { createFilterSlice, type FilterSlice } from "./filter";
import { createJumpSlice, type JumpSlice } from "./jump";
import { createPanelSlice, type PanelSlice } from "./panel";
import { createTimelineSlice, type TimelineSlice } from "./timeline";

export type Store = TimelineSlice & FilterSlice & ConnectionSlice & PanelSlice & JumpSlice;

/** One dashboard's store: the reader's page and the operator panel of one tab share it. */
export type DeskStore = StoreApi<Store>;

/** What a new store starts from, and what it asks of the page it runs in. */
export interface DeskStoreOptions {
  /** The timeline painted before the first sync answers (the browser's saved copy); empty by default. */
  view?: TimelineView;
  /** The address's query string, read for the reader's filter (`?topic=…&q=…`); none by default. */
  search?: string;
  /** Whether the tab is hidden right now: new items then count for the title's "(N)". */
  isHidden?: () => boolean;
  /** The clock behind "updated … ago" (ms since the epoch). */
  now?: () => number;
}

function documentHidden(): boolean {
  return typeof document !== "undefined" && document.visibilityState === "hidden";
}

/**
 * Makes a store of its own, built from the slices. The page makes one at start (client/src/main.tsx)
 * and provides it to every component through `StoreProvider`; a test makes as many as it likes,
 * each with its own timeline follower, so none leaks into another.
 */
export function createDeskStore(options: DeskStoreOptions = {}): DeskStore {
  const clock = { isHidden: options.isHidden ?? documentHidden, now: options.now ?? Date.now };
  return createStore<Store>()((...a) => ({
    ...createTimelineSlice(options.view ?? emptyView, clock)(...a),
    ...createFilterSlice(options.search ?? "")(...a),
    ...createConnectionSlice(...a),
    ...createPanelSlice(...a),
    ...createJumpSlice(...a),
  }));
}

export { StoreProvider, useStore, useStoreApi } from "./context";
