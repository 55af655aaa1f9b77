import type { StateCreator } from "zustand";
import type { SyncChanges, SyncRequest, SyncReset } from "../../../shared/events";
import { TimelineFollower } from "../../../shared/follower";
import type { Change, Item } from "../../../shared/item";
import { compareItems, type TimelineView } from "../../../shared/timeline";
import type { Store } from "./index";

export interface TimelineSlice {
  view: TimelineView;
  /** Ids of new items held back while the reader is scrolled down, shown behind "N new items". */
  pendingIds: readonly string[];
  /** New items that arrived while the tab was hidden, for the "(N)" in the title. */
  unseenCount: number;
  /** Breaking headlines not yet read out by the live region. */
  announcements: readonly string[];
  /** Whether the reader is scrolled away from the top of the feed. */
  readerAway: boolean;
  beginSync(): SyncRequest;
  finishSync(answer: SyncChanges | SyncReset): "applied" | "gap";
  abortSync(): void;
  /** Applies a batch of live changes; returns true when one revealed a gap. */
  receiveChanges(changes: readonly Change[]): boolean;
  mergeItems(items: readonly Item[]): void;
  revealPending(): void;
  setReaderAway(away: boolean): void;
  markSeen(): void;
  takeAnnouncements(): readonly string[];
}

/**
 * The timeline as this reader holds it. All changes go through the shared TimelineFollower, so
 * the dashboard applies exactly the rules the server's tests prove.
 */
export function createTimelineSlice(initial: TimelineView): StateCreator<Store, [], [], TimelineSlice> {
  const follower = new TimelineFollower(initial);
  return (set, get) => ({
    view: initial,
    pendingIds: [],
    unseenCount: 0,
    announcements: [],
    readerAway: false,

    beginSync: () => follower.beginSync(),

    finishSync: (answer) => {
      const outcome = follower.finishSync(answer);
      set({ view: follower.view, lastUpdateAt: Date.now() });
      return outcome;
    },

    abortSync: () => follower.abortSync(),

    receiveChanges: (changes) => {
      const { readerAway } = get();
      const hidden = typeof document !== "undefined" && document.visibilityState === "hidden";
      const top = follower.view.items.find((item) => item.status === "published");
      const pending: string[] = [];
      const announcements: string[] = [];
      let unseen = 0;
      let gap = false;
      for (const change of changes) {
        const outcome = follower.receive(change);
        if (outcome === "gap") gap = true;
        if (outcome !== "applied" || change.kind !== "created") continue;
        const { item } = change;
        if (hidden) unseen += 1;
        if (item.breaking) announcements.push(item.headline);
        // Only items that would land above what the reader is looking at wait behind the button;
        // a late item takes its place further down without moving anything.
        if (readerAway && (top === undefined || compareItems(item, top) < 0)) pending.push(item.id);
      }
      set((state) => ({
        view: follower.view,
        lastUpdateAt: Date.now(),
        pendingIds: pending.length > 0 ? [...state.pendingIds, ...pending] : state.pendingIds,
        unseenCount: state.unseenCount + unseen,
        announcements:
          announcements.length > 0 ? [...state.announcements, ...announcements] : state.announcements,
      }));
      return gap;
    },

    mergeItems: (items) => {
      follower.merge(items);
      set({ view: follower.view });
    },

    revealPending: () => set({ pendingIds: [] }),

    setReaderAway: (away) => set(away ? { readerAway: true } : { readerAway: false, pendingIds: [] }),

    markSeen: () => set({ unseenCount: 0 }),

    takeAnnouncements: () => {
      const { announcements } = get();
      if (announcements.length > 0) set({ announcements: [] });
      return announcements;
    },
  });
}
