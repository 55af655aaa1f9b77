import { useCallback, useEffect, useRef } from "react";
import { z } from "zod/mini";
import type { Item } from "../../shared/item";

/** Which article the reader was looking at, and where on the screen its top stood. */
const anchorSchema = z.object({ id: z.string(), top: z.number() });
type Anchor = z.infer<typeof anchorSchema>;

/**
 * Where the reader was in the feed, per history entry. The feed is virtualised and its rows are
 * measured as they render, so a scroll offset alone would land elsewhere after a remount: the
 * article itself is what is restored. Kept in the tab's session storage, so that a reload (or a
 * phone discarding the tab in the background) puts the reader back as the browser would on any
 * other page; arrivals above the article then wait behind "N new items" as for any reader away
 * from the top. The history entry's key survives a reload with the entry's state.
 */
const anchors = {
  get(key: string): Anchor | undefined {
    try {
      const raw = window.sessionStorage.getItem(`livedesk:feed-position:${key}`);
      if (raw === null) return undefined;
      const parsed = anchorSchema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : undefined;
    } catch {
      // Storage disabled or the value corrupt: the feed starts at the top.
      return undefined;
    }
  },
  set(key: string, anchor: Anchor): void {
    try {
      window.sessionStorage.setItem(`livedesk:feed-position:${key}`, JSON.stringify(anchor));
    } catch {
      // Storage full or disabled: the position is simply not kept.
    }
  },
};

function entryKey(): string | null {
  const state: unknown = window.history.state;
  if (
    typeof state === "object" &&
    state !== null &&
    "feedEntry" in state &&
    typeof state.feedEntry === "string"
  )
    return state.feedEntry;
  return null;
}

/** Marks the current history entry so that its feed position can be found when the reader comes back. */
function markEntry(): string {
  const existing = entryKey();
  if (existing !== null) return existing;
  const key = crypto.randomUUID();
  const state: unknown = window.history.state;
  window.history.replaceState(
    typeof state === "object" && state !== null ? { ...state, feedEntry: key } : { feedEntry: key },
    "",
  );
  return key;
}

/** What the feed's virtualiser knows: where each row starts and ends on the page, as laid out. */
export interface FeedLayout {
  rows(): readonly { index: number; start: number; end: number }[];
  startOf(index: number): number | undefined;
}

/**
 * Keeps the feed's position when the reader opens a permalink and comes back, or reloads: the
 * article that was at the top of the screen is put back where it stood, once the feed has laid it
 * out (after a reload, once the article is back in the feed).
 * Positions come from the feed's layout, not from the screen, where an arriving item's slide-in
 * would shift them for a moment.
 */
export function useFeedPosition(layout: FeedLayout, feed: readonly Item[]): void {
  const feedRef = useRef(feed);
  feedRef.current = feed;
  const layoutRef = useRef(layout);
  layoutRef.current = layout;
  const keyRef = useRef<string | null>(null);
  const restoring = useRef(false);

  /** The first article not wholly above the screen, and where its top stands. */
  const record = useCallback(() => {
    const key = keyRef.current;
    // Only while this history entry is the one shown: a scroll or a render that lands after the
    // reader opened a permalink (Preact runs effects a frame late) must not record the new page's
    // scroll as the feed's.
    if (key === null || restoring.current || entryKey() !== key) return;
    const row = layoutRef.current.rows().find((candidate) => candidate.end > window.scrollY);
    const item = row === undefined ? undefined : feedRef.current[row.index];
    if (row !== undefined && item !== undefined)
      anchors.set(key, { id: item.id, top: row.start - window.scrollY });
  }, []);

  // Recorded as the reader scrolls, and after each render: the rows on screen change a frame after
  // the scroll that brings them.
  useEffect(() => {
    record();
  });
  useEffect(() => {
    let frame = 0;
    const onScroll = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(record);
    };
    window.addEventListener("scroll", onScroll, { passive: true });
    return () => {
      window.removeEventListener("scroll", onScroll);
      cancelAnimationFrame(frame);
    };
  }, [record]);

  // Coming back: scroll so that the article's top stands where it stood, asking the feed each frame
  // where the article starts (it learns the real heights of the rows it renders), until it stays
  // put or the reader scrolls or clicks.
  useEffect(() => {
    window.history.scrollRestoration = "manual";
    const key = entryKey();
    keyRef.current = markEntry();
    const anchor = key === null ? undefined : anchors.get(key);
    if (anchor === undefined) return;
    restoring.current = true;
    let frame = 0;
    let still = 0;
    // Long enough for a slow phone to lay the rows out; any scroll by the reader ends it sooner.
    const deadline = performance.now() + 10_000;
    const stop = () => {
      restoring.current = false;
      cancelAnimationFrame(frame);
      window.removeEventListener("wheel", stop);
      window.removeEventListener("touchstart", stop);
      window.removeEventListener("pointerdown", stop);
      window.removeEventListener("keydown", stop);
    };
    const correct = () => {
      const index = feedRef.current.findIndex((item) => item.id === anchor.id);
      // After a reload the article may come with the first answer rather than the browser's copy.
      if (index === -1) {
        if (performance.now() < deadline) frame = requestAnimationFrame(correct);
        else stop();
        return;
      }
      const start = layoutRef.current.startOf(index);
      const target = start === undefined ? window.scrollY : Math.max(0, start - anchor.top);
      if (Math.abs(window.scrollY - target) > 0.5) {
        window.scrollTo(0, target);
        still = 0;
      } else {
        still += 1;
      }
      if (still < 20 && performance.now() < deadline) frame = requestAnimationFrame(correct);
      else stop();
    };
    window.addEventListener("wheel", stop, { passive: true });
    window.addEventListener("touchstart", stop, { passive: true });
    // A click ("1 new item", say) is the reader taking over as much as a scroll is.
    window.addEventListener("pointerdown", stop, { passive: true });
    window.addEventListener("keydown", stop);
    frame = requestAnimationFrame(correct);
    return stop;
  }, []);
}
