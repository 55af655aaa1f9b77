import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { Item } from "../../shared/item";
import { PAGE_MAX } from "../../shared/limits";
import { type Filter, matchesFilter } from "../../shared/search";
import { compareItems } from "../../shared/timeline";
import { fetchItems } from "./api";
import { useStore } from "./store";

/** How many key events the navigation loads at first, and how many more each time it is asked. */
export const KEY_EVENTS_PAGE = 10;

interface Loaded {
  /** The filter the pages were loaded for. */
  key: string;
  items: readonly Item[];
  /** Where the next page starts; null once the server has no older key events. */
  cursor: string | null;
  /** Whether a page has answered since the filter was set. */
  answered: boolean;
  loading: boolean;
  failed: boolean;
}

export interface KeyEvents {
  /** The key events to list, newest first, as they stand now. */
  events: readonly Item[];
  /** Whether the server may hold older ones (or the first load failed and may be tried again). */
  more: boolean;
  loading: boolean;
  failed: boolean;
  loadMore(): void;
}

/**
 * What the navigation lists: the key events of the pages loaded, each as the newest version the
 * page knows of it (the timeline's view holds every change received live), published and in the
 * filter, newest first; none below the last one loaded while the server holds more.
 */
export function listedKeyEvents(
  loaded: { items: readonly Item[]; cursor: string | null },
  view: readonly Item[],
  filter: Filter,
): Item[] {
  const latest = new Map<string, Item>();
  for (const item of [...loaded.items, ...view]) {
    const known = latest.get(item.id);
    if (known === undefined || item.version > known.version) latest.set(item.id, item);
  }
  const last = loaded.items.at(-1);
  const below = (item: Item) => loaded.cursor !== null && last !== undefined && compareItems(item, last) > 0;
  return [...latest.values()]
    .filter(
      (item) => item.keyEvent && item.status === "published" && matchesFilter(item, filter) && !below(item),
    )
    .sort(compareItems);
}

/**
 * The key events of the reader's filter: the newest pages from `GET /api/items?keyEvent=true`,
 * kept live by the timeline. Every change the page receives is in the store's view, so an item
 * marked, unmarked, edited or retracted after a page was loaded is taken from there (its newer
 * version wins). Only key events at or above the last one loaded are listed: below it, the server
 * may hold key events this page has not loaded, and the list must not skip them.
 */
export function useKeyEvents(filter: Filter): KeyEvents {
  const key = JSON.stringify([filter.topics, filter.q.trim()]);
  const view = useStore((state) => state.view.items);
  const connection = useStore((state) => state.connection);
  const fresh = (): Loaded => ({
    key,
    items: [],
    cursor: null,
    answered: false,
    loading: false,
    failed: false,
  });
  const [loaded, setLoaded] = useState<Loaded>(fresh);
  const current = useRef(loaded);
  current.current = loaded;

  /** Loads a page: `before` the cursor to go on from, or from the top (as many as `limit`). */
  const load = useCallback(
    (before: string | null, limit: number, signal?: AbortSignal) => {
      const start = current.current;
      if (start.loading) return;
      const loading = { ...start, loading: true, failed: false };
      current.current = loading;
      setLoaded(loading);
      fetchItems(filter, before, signal, "published", limit, "public", { keyEvent: "true" }).then(
        (page) => {
          if (current.current.key !== start.key) return;
          const items = before === null ? page.items : [...current.current.items, ...page.items];
          const next = { ...current.current, items, cursor: page.nextCursor, answered: true, loading: false };
          current.current = next;
          setLoaded(next);
        },
        () => {
          if (current.current.key !== start.key || signal?.aborted) return;
          const next = { ...current.current, loading: false, failed: true };
          current.current = next;
          setLoaded(next);
        },
      );
    },
    [filter],
  );

  // A new filter lists its own key events, from its first page.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the filter; `load` changes with it
  useEffect(() => {
    const start = fresh();
    current.current = start;
    setLoaded(start);
    const controller = new AbortController();
    load(null, KEY_EVENTS_PAGE, controller.signal);
    return () => controller.abort();
  }, [key]);

  // Back from a cut: changes to key events outside the timeline's window may have been missed
  // (a sync brings the window, not them), so what is listed is read again.
  const wasLive = useRef(connection === "live");
  useEffect(() => {
    const live = connection === "live";
    if (live && !wasLive.current && current.current.answered) {
      load(null, Math.min(PAGE_MAX, Math.max(KEY_EVENTS_PAGE, current.current.items.length)));
    }
    wasLive.current = live;
  }, [connection, load]);

  const events = useMemo(() => listedKeyEvents(loaded, view, filter), [loaded, view, filter]);

  const loadMore = useCallback(() => {
    const { cursor, answered } = current.current;
    // Never answered: the first page is tried again.
    load(answered ? cursor : null, KEY_EVENTS_PAGE);
  }, [load]);

  return {
    events,
    // A first load that failed (offline, say) is offered again only beside key events the page
    // knows from its timeline; with none, the navigation stays away rather than show an error.
    more: loaded.cursor !== null || (!loaded.answered && loaded.failed && events.length > 0),
    loading: loaded.loading,
    failed: loaded.failed,
    loadMore,
  };
}
