import type { StateCreator } from "zustand";
import type { Store } from "./index";

/** An item the reader chose to go to in the feed (from "Key events"), named for what the page says meanwhile. */
export interface JumpTarget {
  id: string;
  headline: string;
}

/**
 * How the last jump ended: the item brought into view (`landed`), no longer in the feed
 * (`missing`: retracted, or outside the filter meanwhile), or not loaded (`failed`).
 */
export type JumpOutcome = "landed" | "missing" | "failed";

/**
 * A jump to an item far down the feed. The "Key events" navigation asks for it; the feed, which
 * knows its rows and its older pages, carries it out and says how it ended.
 */
export interface JumpSlice {
  jumpTarget: JumpTarget | null;
  jumpOutcome: { target: JumpTarget; outcome: JumpOutcome } | null;
  jumpTo(target: JumpTarget): void;
  endJump(outcome: JumpOutcome): void;
}

export const createJumpSlice: StateCreator<Store, [], [], JumpSlice> = (set, get) => ({
  jumpTarget: null,
  jumpOutcome: null,
  jumpTo: (target) => set({ jumpTarget: target, jumpOutcome: null }),
  endJump: (outcome) => {
    const target = get().jumpTarget;
    if (target !== null) set({ jumpTarget: null, jumpOutcome: { target, outcome } });
  },
});
