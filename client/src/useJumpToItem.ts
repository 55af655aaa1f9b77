import { useEffect, useRef, useState } from "react";
import type { Item } from "../../shared/item";
import { useStore } from "./store";
import type { OlderPages } from "./useOlderPages";

/** How long a card the reader jumped to stays highlighted. */
const HIGHLIGHT_MS = 4000;
/** How many frames a jump waits for the virtualiser to render the card it scrolled to. */
const RENDER_FRAMES = 120;

/** The card of item `id` on the page, in the feed or among the pinned ones. */
function cardOf(id: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(`article[aria-labelledby="headline-${CSS.escape(id)}"]`);
}

/**
 * Carries out a jump the "Key events" navigation asked for: finds the item in the feed, loading
 * older pages down to it when it is further down than the reader has loaded (one call, `through`),
 * scrolls it into view, moves focus to its card and highlights the card for a moment. Returns the
 * id of the highlighted card.
 *
 * The scroll is a jump, never a smooth scroll: the feed's rows are measured as they render, and
 * a smooth scroll would be cut short as the rows above settle (and must not move under
 * prefers-reduced-motion anyway); the highlight shows the eye where it landed.
 */
export function useJumpToItem(
  feed: readonly Item[],
  pinned: readonly Item[],
  older: OlderPages,
  scrollToIndex: (index: number) => void,
): string | null {
  const target = useStore((state) => state.jumpTarget);
  const pendingIds = useStore((state) => state.pendingIds);
  const revealPending = useStore((state) => state.revealPending);
  const endJump = useStore((state) => state.endJump);
  const [highlighted, setHighlighted] = useState<string | null>(null);
  // The jump whose load was asked for: a failure after it ends that jump, an older one does not.
  const asked = useRef<typeof target>(null);

  useEffect(() => {
    if (target === null) return;
    const index = feed.findIndex((item) => item.id === target.id);
    if (index !== -1 || pinned.some((item) => item.id === target.id)) {
      if (index !== -1) scrollToIndex(index);
      let frames = 0;
      let frame = 0;
      const land = () => {
        const card = cardOf(target.id);
        if (card === null && frames++ < RENDER_FRAMES) {
          frame = requestAnimationFrame(land);
          return;
        }
        if (card === null) {
          endJump("missing");
          return;
        }
        if (index === -1) card.scrollIntoView({ block: "center" });
        // A pinned card is no row of the feed and takes no focus itself: its headline's link does.
        if (card.hasAttribute("tabindex")) card.focus();
        else card.querySelector<HTMLElement>("h2 a, h3 a")?.focus();
        setHighlighted(target.id);
        endJump("landed");
      };
      frame = requestAnimationFrame(land);
      return () => cancelAnimationFrame(frame);
    }
    if (pendingIds.includes(target.id)) {
      revealPending();
      return;
    }
    if (older.loading) return;
    if (older.failed && asked.current === target) {
      endJump("failed");
      return;
    }
    if (older.done) {
      endJump("missing");
      return;
    }
    asked.current = target;
    older.loadThrough(target.id);
  }, [target, feed, pinned, older, pendingIds, revealPending, endJump, scrollToIndex]);

  useEffect(() => {
    if (highlighted === null) return;
    const timer = setTimeout(() => setHighlighted(null), HIGHLIGHT_MS);
    return () => clearTimeout(timer);
  }, [highlighted]);

  return highlighted;
}
