import type { StateCreator } from "zustand";
import { FILTER_TOPICS_MAX } from "../../../shared/limits";
import type { Filter } from "../../../shared/search";
import type { Store } from "./index";

export interface FilterSlice {
  filter: Filter;
  /**
   * How many topics the address asked for when it named more than a filter holds (the first
   * FILTER_TOPICS_MAX are kept); 0 otherwise. The topic bar says so until the reader changes topics.
   */
  topicsAsked: number;
  setFilter(filter: Filter, topicsAsked?: number): void;
  toggleTopic(slug: string): void;
  clearTopics(): void;
  setQuery(q: string): void;
}

function topicsOfSearch(search: string): string[] {
  return [...new Set(new URLSearchParams(search).getAll("topic").filter((t) => t !== ""))];
}

/**
 * Reads `/?topic=a&topic=b&q=…`. A shared or hand-made address may name more topics than the
 * server's filter takes: the first FILTER_TOPICS_MAX are kept, so the feed loads instead of failing.
 */
export function filterFromSearch(search: string): Filter {
  const params = new URLSearchParams(search);
  return { topics: topicsOfSearch(search).slice(0, FILTER_TOPICS_MAX), q: params.get("q") ?? "" };
}

/** How many topics the address names when that is more than a filter holds; 0 otherwise. */
export function topicsAskedBeyondLimit(search: string): number {
  const asked = topicsOfSearch(search).length;
  return asked > FILTER_TOPICS_MAX ? asked : 0;
}

/** Writes a filter as the query string of a shareable URL (empty for no filter). */
export function searchFromFilter(filter: Filter): string {
  const params = new URLSearchParams();
  for (const topic of filter.topics) params.append("topic", topic);
  if (filter.q.trim() !== "") params.set("q", filter.q);
  const search = params.toString();
  return search === "" ? "" : `?${search}`;
}

export function createFilterSlice(search: string): StateCreator<Store, [], [], FilterSlice> {
  return (set) => ({
    filter: filterFromSearch(search),
    topicsAsked: topicsAskedBeyondLimit(search),
    setFilter: (filter, topicsAsked = 0) => set({ filter, topicsAsked }),
    toggleTopic: (slug) =>
      set(({ filter }) => {
        const chosen = filter.topics.includes(slug);
        // The topic bar disables further topics at the limit; a click that slips through changes nothing.
        if (!chosen && filter.topics.length >= FILTER_TOPICS_MAX) return {};
        return {
          topicsAsked: 0,
          filter: {
            ...filter,
            topics: chosen ? filter.topics.filter((t) => t !== slug) : [...filter.topics, slug],
          },
        };
      }),
    clearTopics: () => set(({ filter }) => ({ topicsAsked: 0, filter: { ...filter, topics: [] } })),
    setQuery: (q) => set(({ filter }) => ({ filter: { ...filter, q } })),
  });
}
