import type { Item } from "../../../shared/item";
import type { ItemStatusFilter, VerificationFilter as VerificationQuery } from "../../../shared/requests";
import { matchesFilter } from "../../../shared/search";
import { compareItems } from "../../../shared/timeline";

/** What the panel's list is narrowed to; the server answers it, live changes are held to it. */
export interface PanelQuery {
  q: string;
  /** A topic slug, or null for every topic. */
  topic: string | null;
  status: ItemStatusFilter;
  /**
   * Only items the desk marked so ("none": not said), or "any". The server pages by it
   * (`?verification=`), and live changes are held to it here.
   */
  verification?: VerificationFilter;
}

export type VerificationFilter = "any" | VerificationQuery;

/** The query parameters the server narrows the list by, beyond topic, text and status. */
export function panelQueryParams(verification: PanelQuery["verification"]): Record<string, string> {
  return verification === undefined || verification === "any" ? {} : { verification };
}

function matchesVerification(item: Item, wanted: VerificationFilter | undefined): boolean {
  if (wanted === undefined || wanted === "any") return true;
  return wanted === "none" ? item.verification === null : item.verification === wanted;
}

export function matchesPanelQuery(item: Item, query: PanelQuery): boolean {
  if (query.status !== "all" && item.status !== query.status) return false;
  if (!matchesVerification(item, query.verification)) return false;
  return matchesFilter(item, { topics: query.topic === null ? [] : [query.topic], q: query.q });
}

/**
 * The rows the panel shows: the pages read from the server, each item in the newest version the
 * live timeline holds, plus live items that belong within the range read so far (all of them once
 * the last page is in). An item whose newest version no longer matches the query leaves the list,
 * as it would from a fresh search.
 */
export function panelRows(
  pages: readonly Item[],
  live: readonly Item[],
  query: PanelQuery,
  complete: boolean,
): Item[] {
  const newest = new Map<string, Item>();
  for (const item of pages) newest.set(item.id, item);
  const oldest = pages.at(-1);
  for (const item of live) {
    const held = newest.get(item.id);
    if (held !== undefined) {
      if (item.version > held.version) newest.set(item.id, item);
      continue;
    }
    // Not read yet and older than the oldest row: it comes with a later page, in its place.
    if (!complete && (oldest === undefined || compareItems(item, oldest) > 0)) continue;
    newest.set(item.id, item);
  }
  return [...newest.values()].filter((item) => matchesPanelQuery(item, query)).sort(compareItems);
}
