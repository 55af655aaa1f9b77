import type { StateCreator } from "zustand";
import type { Filter } from "../../../shared/search";
import type { Store } from "./index";

export interface FilterSlice {
  filter: Filter;
  setFilter(filter: Filter): void;
  toggleTopic(slug: string): void;
  clearTopics(): void;
  setQuery(q: string): void;
}

/** Reads `/?topic=a&topic=b&q=…`. */
export function filterFromSearch(search: string): Filter {
  const params = new URLSearchParams(search);
  return { topics: [...new Set(params.getAll("topic").filter((t) => t !== ""))], q: params.get("q") ?? "" };
}

/** Writes a filter as the query string of a shareable URL (empty for no filter). */
export function searchFromFilter(filter: Filter): string {
  const params = new URLSearchParams();
  for (const topic of filter.topics) params.append("topic", topic);
  if (filter.q.trim() !== "") params.set("q", filter.q);
  const search = params.toString();
  return search === "" ? "" : `?${search}`;
}

export function createFilterSlice(initial: Filter): StateCreator<Store, [], [], FilterSlice> {
  return (set) => ({
    filter: initial,
    setFilter: (filter) => set({ filter }),
    toggleTopic: (slug) =>
      set(({ filter }) => ({
        filter: {
          ...filter,
          topics: filter.topics.includes(slug)
            ? filter.topics.filter((t) => t !== slug)
            : [...filter.topics, slug],
        },
      })),
    clearTopics: () => set(({ filter }) => ({ filter: { ...filter, topics: [] } })),
    setQuery: (q) => set(({ filter }) => ({ filter: { ...filter, q } })),
  });
}
