import type { Item } from "../../shared/item";
import { mediaPath } from "../../shared/media";
import { type FeedFilter, filterQuery } from "./filter";

/*
 * What both feed formats say, worked out once: the feed's own addresses and the items as the
 * public sees them. atom.ts and json-feed.ts only write it out.
 */

/** An item's entry id: a URN of its own, so it never changes when the site moves. */
export function entryId(item: Item): string {
  return `urn:livedesk:item:${item.id}`;
}

/** The feed's id: one per filter, whatever address the feed is read from. */
export function feedId(filter: FeedFilter): string {
  const query = filterQuery(filter);
  return query === "" ? "urn:livedesk:feed" : `urn:livedesk:feed:${encodeURIComponent(query.slice(1))}`;
}

export interface FeedDocument {
  id: string;
  title: string;
  /** The feed's own address (`rel="self"`). */
  selfUrl: string;
  /** The dashboard showing the same news (`rel="alternate"`). */
  homeUrl: string;
  /** Where the public reads one item: `/items/:id`, absolute. */
  permalink: (item: Item) => string;
  /** The categories' scheme: the site's topic list. */
  topicsUrl: string;
  /** A WebSub hub subscribers may use, when one is configured. */
  hubUrl: string | undefined;
  /** When the timeline last changed (ISO 8601): the feed's `updated`. */
  updated: string;
  /** Public items (tombstones for retractions), the one changed last first. */
  items: readonly Item[];
}

/** The notice a retracted item shows in place of its text, as the permalink shows it. */
export function retractionNotice(item: Item): string {
  const what = item.withdrawn === true ? "This item was withdrawn." : "This item was retracted.";
  return item.retractionReason === null ? what : `${what} ${item.retractionReason}`;
}

/** The summary's paragraphs: blank lines (or single line breaks) separate them. */
export function paragraphs(text: string): string[] {
  return text.split(/\n+/).filter((line) => line.trim() !== "");
}

/** The width of an item's picture the feeds name: the widest served, for readers' large screens. */
export const FEED_PICTURE_WIDTH = 1280;

/** The absolute address of an item's picture at the feeds' width, or null when it has none. */
export function pictureUrl(item: Item, feed: Pick<FeedDocument, "homeUrl">): string | null {
  return item.image === null
    ? null
    : new URL(mediaPath(item.image.id, FEED_PICTURE_WIDTH), feed.homeUrl).href;
}
