import type { Item } from "../../shared/item";
import { searchWords } from "../../shared/search";

/*
 * Both storages index the words shared/search.ts makes of an item and look up the words it makes
 * of a query, each a prefix, so the server finds what the dashboard's own filter keeps (Arabic
 * without its article, emoji as words) whichever storage runs.
 */

/** What a storage indexes for an item: its search words, separated by spaces. */
export function searchText(item: Pick<Item, "headline" | "summary">): string {
  return searchWords(`${item.headline} ${item.summary}`).join(" ");
}

/**
 * A reader's search text as an FTS5 query: every word must match, as a prefix, so that "earthq"
 * finds "earthquake". Words are quoted, so FTS5 operators in the text are plain words.
 */
export function toFtsQuery(text: string): string | null {
  const words = searchWords(text);
  if (words.length === 0) return null;
  return words.map((word) => `"${word.replaceAll('"', '""')}"*`).join(" ");
}

/**
 * A reader's search text as a PostgreSQL tsquery literal (cast with `::tsquery`, which keeps each
 * quoted lexeme as written): every word must match as a prefix.
 */
export function toTsQuery(text: string): string | null {
  const words = searchWords(text);
  if (words.length === 0) return null;
  return words.map((word) => `'${word.replaceAll("\\", "\\\\").replaceAll("'", "''")}':*`).join(" & ");
}
