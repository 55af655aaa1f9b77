import { useWindowVirtualizer } from "@tanstack/react-virtual";
import {
  type KeyboardEvent,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from "react";
import { useShallow } from "zustand/react/shallow";
import type { Item } from "../../../shared/item";
import { matchesFilter } from "../../../shared/search";
import { useStore, useStoreApi } from "../store";
import { useFeedPosition } from "../useFeedPosition";
import { useJumpToItem } from "../useJumpToItem";
import { useOlderPages } from "../useOlderPages";
import { ItemCard } from "./ItemCard";

/** Scrolled further than this from the top, the reader is "away": new items wait behind a button. */
const AWAY_PX = 200;

function useReaderAway() {
  const store = useStoreApi();
  const setReaderAway = useStore((state) => state.setReaderAway);
  useEffect(() => {
    let frame = 0;
    const onScroll = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        const away = window.scrollY > AWAY_PX;
        if (away !== store.getState().readerAway) setReaderAway(away);
      });
    };
    window.addEventListener("scroll", onScroll, { passive: true });
    return () => {
      window.removeEventListener("scroll", onScroll);
      cancelAnimationFrame(frame);
    };
  }, [store, setReaderAway]);
}

/** The items the feed shows: the filter applied, pinned ones apart, new ones held back while away. */
function useFeedItems(): { pinned: Item[]; feed: Item[]; pending: number } {
  const { items, filter, pendingIds } = useStore(
    useShallow((state) => ({ items: state.view.items, filter: state.filter, pendingIds: state.pendingIds })),
  );
  return useMemo(() => {
    const held = new Set(pendingIds);
    const pinned: Item[] = [];
    const feed: Item[] = [];
    let pending = 0;
    for (const item of items) {
      if (!matchesFilter(item, filter)) continue;
      if (held.has(item.id)) pending += 1;
      else if (item.pinned && item.status === "published") pinned.push(item);
      else feed.push(item);
    }
    return { pinned, feed, pending };
  }, [items, filter, pendingIds]);
}

/** The room left above the feed's first item when "N new items" scrolls down to it. */
const FEED_START_MARGIN_PX = 16;

/** How long after an item arrives its row may still slide in (the animation takes 300 ms). */
const ARRIVAL_MS = 1000;

/**
 * When each item came into the feed while the reader was watching. The feed known at the first
 * answer (or painted from the browser's copy) arrived before the reader looked, and a row the
 * virtualiser mounts as the reader scrolls is no arrival either: only these rows slide in.
 */
function useArrivals(feed: readonly Item[], synced: boolean): (id: string) => boolean {
  const known = useRef<Set<string> | null>(null);
  const arrivedAt = useRef(new Map<string, number>());
  // Taken during render, so that the render that first shows an item already knows it arrived.
  if (synced) {
    const now = performance.now();
    if (known.current === null) {
      known.current = new Set(feed.map((item) => item.id));
    } else {
      for (const item of feed) {
        if (known.current.has(item.id)) continue;
        known.current.add(item.id);
        // An older page the reader scrolled to brings old items: they take their place quietly.
        if (Date.now() - Date.parse(item.updatedAt) < 10_000) arrivedAt.current.set(item.id, now);
      }
    }
  }
  return (id) => {
    const at = arrivedAt.current.get(id);
    if (at === undefined) return false;
    if (performance.now() - at < ARRIVAL_MS) return true;
    arrivedAt.current.delete(id);
    return false;
  };
}

export function PinnedItems({ items, highlighted }: { items: Item[]; highlighted?: string | null }) {
  if (items.length === 0) return null;
  return (
    <section className="pinned" aria-labelledby="pinned-heading">
      <h2 id="pinned-heading" className="section-title">
        Pinned
      </h2>
      {items.map((item) => (
        <ItemCard key={item.id} item={item} headingLevel={3} highlighted={item.id === highlighted} />
      ))}
    </section>
  );
}

/**
 * The news feed: `role="feed"`, only the articles on screen rendered (window virtualisation),
 * older pages loaded as the reader nears the end, Page Down / Page Up moving between articles.
 */
export function Feed() {
  useReaderAway();
  const { pinned, feed, pending } = useFeedItems();
  const filter = useStore((state) => state.filter);
  const revealPending = useStore((state) => state.revealPending);
  const connection = useStore((state) => state.connection);
  const synced = useStore((state) => state.synced);
  const older = useOlderPages(filter);
  const listRef = useRef<HTMLDivElement>(null);
  const [scrollMargin, setScrollMargin] = useState(0);

  // Where the list starts on the page moves when anything above it changes size. Measured when the
  // page's size changes, after layout, rather than on every render, which would force a layout each
  // time a change arrives.
  useLayoutEffect(() => {
    const list = listRef.current;
    if (list === null) return;
    const measure = () => setScrollMargin(list.offsetTop);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(document.body);
    return () => observer.disconnect();
  }, []);

  const virtualizer = useWindowVirtualizer({
    count: feed.length,
    estimateSize: () => 140,
    overscan: 6,
    scrollMargin,
    gap: 12,
    getItemKey: (index) => feed[index]?.id ?? index,
  });
  // The virtualiser keeps the rows in place when one above the fold changes size, judging "above"
  // by the offset its scroll listener last saw. That lags a jump the page has just made ("1 new
  // item" scrolls to the top): the new row, measured before the scroll event arrives, counted as
  // above the old offset and the page was pulled back down. The window's own offset does not lag.
  virtualizer.shouldAdjustScrollPositionOnItemSizeChange = (item, _delta, instance) => {
    const offset = window.scrollY;
    if (!instance.itemSizeCache.has(item.key)) return item.start < offset;
    return item.end <= offset && instance.scrollDirection !== "backward";
  };
  useFeedPosition(
    {
      rows: () => virtualizer.getVirtualItems(),
      startOf: (index) => virtualizer.measurementsCache[index]?.start,
    },
    feed,
  );
  const scrollToIndex = useCallback(
    (index: number) => virtualizer.scrollToIndex(index, { align: "center" }),
    [virtualizer],
  );
  const highlighted = useJumpToItem(feed, pinned, older, scrollToIndex);
  const justArrived = useArrivals(feed, synced);
  const virtualItems = virtualizer.getVirtualItems();
  const lastIndex = virtualItems.at(-1)?.index ?? -1;

  useEffect(() => {
    if (connection !== "live" || older.done || older.loading || older.failed) return;
    if (lastIndex >= feed.length - 5) older.loadMore();
  }, [lastIndex, feed.length, connection, older]);

  // A jump, not a smooth scroll: the feed re-measures as the new items come in, and a smooth
  // scroll would be cut short by the virtualiser keeping the rows in place.
  const showNew = () => {
    revealPending();
    requestAnimationFrame(() => {
      // The top of the page, unless what stands above the feed (pinned items, a desk's many
      // topics) would keep the new items off the screen: then the feed's start.
      const start = document.getElementById("feed-start");
      const at = start === null ? 0 : start.getBoundingClientRect().top + window.scrollY;
      window.scrollTo({ top: at > window.innerHeight / 2 ? at - FEED_START_MARGIN_PX : 0 });
      start?.focus({ preventScroll: true });
    });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== "PageDown" && event.key !== "PageUp") return;
    const article = (event.target instanceof HTMLElement ? event.target : null)?.closest(
      "article[data-index]",
    );
    const index = Number(article?.getAttribute("data-index") ?? -1);
    const target = event.key === "PageDown" ? index + 1 : index - 1;
    if (target < 0 || target >= feed.length) return;
    event.preventDefault();
    virtualizer.scrollToIndex(target, { align: "start" });
    requestAnimationFrame(() =>
      listRef.current?.querySelector<HTMLElement>(`article[data-index="${target}"]`)?.focus(),
    );
  };

  const filtered = filter.topics.length > 0 || filter.q.trim() !== "";
  return (
    <>
      <PinnedItems items={pinned} highlighted={highlighted} />
      {pending > 0 && (
        <button type="button" className="new-items" onClick={showNew}>
          {pending} new {pending === 1 ? "item" : "items"}
        </button>
      )}
      <div
        role="feed"
        aria-label="News feed"
        aria-busy={older.loading}
        className="feed"
        ref={listRef}
        onKeyDown={onKeyDown}
        style={{ height: virtualizer.getTotalSize(), position: "relative" }}
      >
        {virtualItems.map((row) => {
          const item = feed[row.index];
          if (item === undefined) return null;
          return (
            <ItemCard
              key={row.key}
              ref={virtualizer.measureElement}
              item={item}
              arriving={justArrived(item.id)}
              highlighted={item.id === highlighted}
              position={{ index: row.index, size: older.done ? feed.length : -1 }}
              style={{
                position: "absolute",
                top: 0,
                left: 0,
                width: "100%",
                transform: `translateY(${row.start - scrollMargin}px)`,
              }}
            />
          );
        })}
      </div>
      <p className="feed-end" aria-live="polite">
        {older.loading
          ? "Loading older items…"
          : older.failed
            ? "Older items could not be loaded."
            : feed.length === 0 && pinned.length === 0
              ? // Nothing is claimed before the server's first answer: the page may just not know yet.
                !synced
                ? "Loading the latest news…"
                : filtered
                  ? "No items match this filter."
                  : "Nothing published yet."
              : older.done
                ? "You have reached the end."
                : ""}
      </p>
      {older.failed && (
        <button type="button" onClick={older.loadMore}>
          Try again
        </button>
      )}
    </>
  );
}
