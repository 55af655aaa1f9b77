import { useCallback, useEffect, useRef, useState } from "react";
import { PAGE_DEFAULT } from "../../shared/limits";
import type { Filter } from "../../shared/search";
import { fetchItems } from "./api";
import { useStore } from "./store";

interface Paging {
  key: string;
  cursor: string | null;
  done: boolean;
  loading: boolean;
  failed: boolean;
}

/** The feed's older pages: what is loaded of them, and the calls that load more. */
export interface OlderPages {
  loadMore: () => void;
  /** Loads every item down to the item `id` (a key event far down) in one call, then goes on after it. */
  loadThrough: (id: string) => void;
  loading: boolean;
  done: boolean;
  failed: boolean;
}

/**
 * Loads older items for the active filter from `GET /api/items`, page by page, and merges them
 * into the timeline. A new filter starts over from its first page (after a short pause while the
 * reader types), so a filtered view shows matches the live window does not hold.
 */
export function useOlderPages(filter: Filter): OlderPages {
  const key = JSON.stringify([filter.topics, filter.q.trim()]);
  const [paging, setPaging] = useState<Paging>({
    key,
    cursor: null,
    done: false,
    loading: false,
    failed: false,
  });
  const current = useRef(paging);
  current.current = paging;
  const mergeItems = useStore((state) => state.mergeItems);

  const load = useCallback(
    (state: Paging, signal?: AbortSignal, through?: string) => {
      if (state.loading || state.done) return;
      const loading = { ...state, loading: true, failed: false };
      current.current = loading;
      setPaging(loading);
      // Tombstones too, as the live window holds them: older pages look as a present reader saw them.
      const more = through === undefined ? {} : { through };
      fetchItems(filter, state.cursor, signal, "all", PAGE_DEFAULT, "public", more).then(
        (page) => {
          if (current.current.key !== state.key) return;
          mergeItems(page.items);
          const next = { ...state, cursor: page.nextCursor, done: page.nextCursor === null, loading: false };
          current.current = next;
          setPaging(next);
        },
        () => {
          if (current.current.key !== state.key || signal?.aborted) return;
          const next = { ...state, loading: false, failed: true };
          current.current = next;
          setPaging(next);
        },
      );
    },
    [filter, mergeItems],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the filter; `load` changes with it
  useEffect(() => {
    const fresh: Paging = { key, cursor: null, done: false, loading: false, failed: false };
    setPaging(fresh);
    current.current = fresh;
    const filtered = filter.topics.length > 0 || filter.q.trim() !== "";
    if (!filtered) return;
    const controller = new AbortController();
    const timer = setTimeout(() => load(fresh, controller.signal), 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [key]);

  const loadMore = useCallback(() => load(current.current), [load]);
  const loadThrough = useCallback((id: string) => load(current.current, undefined, id), [load]);
  return { loadMore, loadThrough, loading: paging.loading, done: paging.done, failed: paging.failed };
}
