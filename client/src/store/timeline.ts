import type { StateCreator } from "zustand";
import type { SyncChanges, SyncRequest, SyncReset } from "../../../shared/events";
import { TimelineFollower } from "../../../shared/follower";
import type { Change, Item } from "../../../shared/item";
import type { TimelineView } from "../../../shared/timeline";
import { type ArrivalEffects, arrivalEffects, syncArrivals } from "./arrivals";
import type { Store } from "./index";

export interface TimelineSlice {
  view: TimelineView;
  /** Ids of new items held back while the reader is scrolled down, shown behind "N new items". */
  pendingIds: readonly string[];
  /** New items that arrived while the tab was hidden, for the "(N)" in the title. */
  unseenCount: number;
  /** Breaking headlines not yet read out by the live region. */
  announcements: readonly string[];
  /** Flash headlines not yet read out by the assertive live region. */
  flashes: readonly string[];
  /** Whether the reader is scrolled away from the top of the feed. */
  readerAway: boolean;
  /** Whether a sync has answered since the page loaded: until then the page cannot say there is no news. */
  synced: boolean;
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
  takeFlashes(): readonly string[];
}

/** What the timeline asks of the page: whether the tab is hidden, and the time. */
export interface TimelineClock {
  isHidden(): boolean;
  now(): number;
}

/**
 * The timeline as this reader holds it. All changes go through the shared TimelineFollower, so
 * the dashboard applies exactly the rules the server's tests prove.
 */
export function createTimelineSlice(
  initial: TimelineView,
  clock: TimelineClock,
): StateCreator<Store, [], [], TimelineSlice> {
  const follower = new TimelineFollower(initial);
  // Items created while a sync runs are held by the follower and applied with its answer: they
  // are arrivals of that sync.
  let heldCreations: Change[] = [];

  return (set, get) => {
    /** Shows arrivals on the page the way the reader stands right now. */
    const effectsOf = (arrived: readonly Item[], before: TimelineView): ArrivalEffects => {
      const { filter, readerAway } = get();
      return arrivalEffects(arrived, { before, filter, readerAway, hidden: clock.isHidden() });
    };
    const update = (effects: ArrivalEffects, synced = get().synced) =>
      set((state) => ({
        view: follower.view,
        lastUpdateAt: clock.now(),
        synced,
        pendingIds: effects.pending.length > 0 ? [...state.pendingIds, ...effects.pending] : state.pendingIds,
        unseenCount: state.unseenCount + effects.unseen,
        announcements:
          effects.announcements.length > 0
            ? [...state.announcements, ...effects.announcements]
            : state.announcements,
        flashes: effects.flashes.length > 0 ? [...state.flashes, ...effects.flashes] : state.flashes,
      }));

    return {
      view: initial,
      pendingIds: [],
      unseenCount: 0,
      announcements: [],
      flashes: [],
      readerAway: false,
      synced: false,

      beginSync: () => follower.beginSync(),

      finishSync: (answer) => {
        const before = follower.view;
        const outcome = follower.finishSync(answer);
        const created = "reset" in answer ? heldCreations : [...answer.changes, ...heldCreations];
        heldCreations = [];
        const arrived = syncArrivals(before, follower.view, created, "reset" in answer);
        const effects = effectsOf(arrived, before);
        // Every answer brings arrivals like live changes do (the reader may be scrolled down, the
        // tab hidden), but the first after the page loads only paints what is there: nothing is
        // read out or counted. Only a reader the page put back down the feed, over the browser's
        // copy, has the news since then wait behind the button rather than move what they read.
        update(
          get().synced ? effects : { pending: effects.pending, unseen: 0, announcements: [], flashes: [] },
          true,
        );
        return outcome;
      },

      abortSync: () => {
        heldCreations = [];
        follower.abortSync();
      },

      receiveChanges: (changes) => {
        const before = follower.view;
        const arrived: Item[] = [];
        let gap = false;
        for (const change of changes) {
          const outcome = follower.receive(change);
          if (outcome === "gap") gap = true;
          if (change.kind !== "created") continue;
          if (outcome === "held") heldCreations.push(change);
          if (outcome === "applied") arrived.push(change.item);
        }
        update(effectsOf(arrived, before));
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
      takeFlashes: () => {
        const { flashes } = get();
        if (flashes.length > 0) set({ flashes: [] });
        return flashes;
      },
    };
  };
}
