import type { Item } from "./item";

/** Lower-case words without diacritics: "Café-Owner" → ["cafe", "owner"]. */
export function searchWords(text: string): string[] {
  return (
    text
      .normalize("NFKD")
      .replace(/\p{M}/gu, "")
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/** What a reader filters the feed by: at least one of `topics` (none means all), and every word of `q`. */
export interface Filter {
  topics: readonly string[];
  q: string;
}

/**
 * Whether an item passes a filter, with the server's search semantics (every word of the query is
 * the prefix of a word in the headline or summary), so live arrivals are filtered as a page from
 * `GET /api/items` would be.
 */
export function matchesFilter(item: Item, filter: Filter): boolean {
  if (filter.topics.length > 0 && !item.topics.some((topic) => filter.topics.includes(topic))) return false;
  const wanted = searchWords(filter.q);
  if (wanted.length === 0) return true;
  const words = searchWords(`${item.headline} ${item.summary}`);
  return wanted.every((prefix) => words.some((word) => word.startsWith(prefix)));
}
