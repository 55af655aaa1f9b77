import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { Item } from "../../../shared/item";
import { PAGE_MAX } from "../../../shared/limits";
import { upsertItem } from "../../../shared/timeline";
import { fetchItems } from "../api";
import { useStore } from "../store";
import { type PanelQuery, panelQueryParams, panelRows } from "./panelList";

const PAGE = 50;
/** A pause while the operator types, so that a search is not sent per keystroke. */
const TYPING_PAUSE_MS = 250;

interface Pages {
  items: readonly Item[];
  cursor: string | null;
  /** Every page has been read: nothing older matches. */
  done: boolean;
  /** The first page has come: an empty list now means nothing matches. */
  answered: boolean;
  loading: boolean;
  failed: boolean;
}

const EMPTY: Pages = { items: [], cursor: null, done: false, answered: false, loading: true, failed: false };

function merge(items: readonly Item[], more: readonly Item[]): readonly Item[] {
  let merged = items;
  for (const item of more) merged = upsertItem(merged, item);
  return merged;
}

/**
 * The panel's list of items: searched and paged on the server (`GET /api/items`), so an item
 * thousands back is as reachable as the newest, with live changes applied over what is shown.
 * After a reconnect it reads again what it showed, so nothing missed while away stays stale.
 */
export function usePanelList(query: PanelQuery): {
  rows: Item[];
  answered: boolean;
  done: boolean;
  loading: boolean;
  failed: boolean;
  loadMore: () => void;
} {
  const [pages, setPages] = useState<Pages>(EMPTY);
  const current = useRef(pages);
  current.current = pages;
  // Bumped for every new query: answers to an older query are dropped.
  const generation = useRef(0);
  const live = useStore((state) => state.view.items);
  const connection = useStore((state) => state.connection);
  const queryKey = JSON.stringify([query.q.trim(), query.topic, query.status, query.verification]);
  const more = useMemo(() => panelQueryParams(query.verification), [query.verification]);
  const filter = useMemo(
    () => ({ topics: query.topic === null ? [] : [query.topic], q: query.q }),
    [query.topic, query.q],
  );

  const update = useCallback((next: Pages) => {
    current.current = next;
    setPages(next);
  }, []);

  /** Reads from the newest item down until `atLeast` items are in (or there are no more). */
  const readFromTop = useCallback(
    async (atLeast: number) => {
      const mine = generation.current;
      let items: readonly Item[] = [];
      let cursor: string | null = null;
      do {
        const page = await fetchItems(
          filter,
          cursor,
          undefined,
          query.status,
          atLeast > PAGE ? PAGE_MAX : PAGE,
          // An operator searches what is stored, a retraction's hidden text and withdrawn headline too.
          "full",
          more,
        );
        if (generation.current !== mine) return;
        items = merge(items, page.items);
        cursor = page.nextCursor;
      } while (cursor !== null && items.length < atLeast);
      update({ items, cursor, done: cursor === null, answered: true, loading: false, failed: false });
    },
    [filter, query.status, more, update],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: `queryKey` stands for the query; `readFromTop` changes with it
  useEffect(() => {
    generation.current += 1;
    const mine = generation.current;
    update(EMPTY);
    const timer = setTimeout(() => {
      readFromTop(PAGE).catch(() => {
        if (generation.current === mine) update({ ...current.current, loading: false, failed: true });
      });
    }, TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [queryKey]);

  // Back from a dropped connection: what was shown may have changed meanwhile, beyond what the
  // timeline's sync replays (an edit to an old item, say). Read it again.
  const lost = useRef(false);
  useEffect(() => {
    if (connection === "reconnecting" || connection === "offline") lost.current = true;
    if (connection !== "live" || !lost.current) return;
    lost.current = false;
    readFromTop(Math.max(PAGE, current.current.items.length)).catch(() => {});
  }, [connection, readFromTop]);

  const loadMore = useCallback(() => {
    const state = current.current;
    if (state.loading || state.done) return;
    const mine = generation.current;
    update({ ...state, loading: true, failed: false });
    const failed = () => {
      if (generation.current === mine) update({ ...current.current, loading: false, failed: true });
    };
    // The first page never came: ask for it again.
    if (!state.answered) {
      readFromTop(PAGE).catch(failed);
      return;
    }
    fetchItems(filter, state.cursor, undefined, query.status, PAGE, "full", more).then((page) => {
      if (generation.current !== mine) return;
      const now = current.current;
      update({
        ...now,
        items: merge(now.items, page.items),
        cursor: page.nextCursor,
        done: page.nextCursor === null,
        loading: false,
      });
    }, failed);
  }, [filter, query.status, more, update, readFromTop]);

  const rows = useMemo(
    () => panelRows(pages.items, live, query, pages.done),
    [pages.items, pages.done, live, query],
  );
  return {
    rows,
    answered: pages.answered,
    done: pages.done,
    loading: pages.loading,
    failed: pages.failed,
    loadMore,
  };
}
