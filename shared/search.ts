import type { Item } from "./item";

/**
 * A word: a run of letters and digits; an emoji (each pictograph of a sequence, its skin tone and
 * joiners dropped); or a flag (a pair of regional indicators).
 */
const WORD = /[\p{L}\p{N}]+|\p{Extended_Pictographic}|\p{Regional_Indicator}{2}/gu;

/**
 * Arabic's definite article "ال" is written joined to its word, alone or after a one-letter
 * conjunction or preposition (و ف ب ك), or contracted after ل as "لل": "الميزانية" is found by
 * "ميزانية". Stripped only when at least two letters remain.
 */
const ARABIC_ARTICLE = /^(?:[وفبك]?ال|لل)(?=\p{L}{2})/u;

/**
 * The words search compares, the same on both ends of the wire and in both storages: lower case,
 * without diacritics ("Café-Owner" → ["cafe", "owner"]), Arabic letters in one form (hamza and
 * madda forms of alef are alef, ى is ي, ة is ه, no tatweel) and without the definite article, emoji
 * as words of their own.
 */
export function searchWords(text: string): string[] {
  const words =
    text
      .normalize("NFKD")
      .replace(/\p{M}/gu, "")
      .replace(/\u0640/g, "")
      .replace(/\u0649/g, "\u064a")
      .replace(/\u0629/g, "\u0647")
      .toLowerCase()
      .match(WORD) ?? [];
  return words.map((word) => word.replace(ARABIC_ARTICLE, ""));
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
