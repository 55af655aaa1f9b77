import type { Item } from "../../shared/item";
import { escapeHtml } from "../pages/html";
import { entryId, type FeedDocument, paragraphs, pictureUrl, retractionNotice } from "./document";

/*
 * JSON Feed 1.1 (https://jsonfeed.org/version/1.1). A retracted item stays in the feed, with its
 * text replaced by the retraction notice and `_livedesk: { status: "retracted", reason }`, so a
 * reader that already shows it can withdraw it. Every item carries `_livedesk`, so a reader can
 * tell a correction from a first version without reading the text.
 */

/** JSON Feed's extension object for livedesk's own fields (underscore names are extensions). */
export interface LivedeskExtension {
  status: Item["status"];
  /** The retraction's reason, on a retracted item. */
  reason?: string;
  correction: string | null;
  breaking: boolean;
  /** ninjs urgency: 1 flash, 2 alert, 3 urgent, 4–9 routine. */
  urgency: number;
  verification: Item["verification"];
  keyEvent: boolean;
  version: number;
  source: string | null;
  /** The picture's alt text, credit and size (its address is the item's `image`). */
  image: Item["image"];
}

/** The picture as a figure with its alt text and credit, for readers that show content_html. */
function figure(item: Item, src: string | null): string[] {
  if (item.image === null || src === null) return [];
  const { alt, credit, width, height } = item.image;
  const caption = credit === undefined ? "" : `<figcaption>Picture: ${escapeHtml(credit)}</figcaption>`;
  return [
    `<figure><img src="${escapeHtml(src)}" alt="${escapeHtml(alt)}" width="${width}" height="${height}">${caption}</figure>`,
  ];
}

function html(item: Item, src: string | null): string {
  const parts = paragraphs(item.summary).map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`);
  if (item.correction !== null) {
    parts.push(`<p class="correction"><strong>Correction:</strong> ${escapeHtml(item.correction)}</p>`);
  }
  if (item.source !== null) parts.push(`<p class="source">Source: ${escapeHtml(item.source)}</p>`);
  const text = parts.length === 0 ? [`<p>${escapeHtml(item.headline)}</p>`] : parts;
  return [...figure(item, src), ...text].join("");
}

function plain(item: Item): string {
  const parts = item.summary === "" ? [] : [item.summary];
  if (item.correction !== null) parts.push(`Correction: ${item.correction}`);
  if (item.source !== null) parts.push(`Source: ${item.source}`);
  return parts.length === 0 ? item.headline : parts.join("\n\n");
}

function jsonItem(item: Item, feed: FeedDocument) {
  const retracted = item.status === "retracted";
  const notice = retractionNotice(item);
  const extension: LivedeskExtension = {
    status: item.status,
    ...(retracted ? { reason: item.retractionReason ?? "" } : {}),
    correction: item.correction,
    breaking: item.breaking,
    urgency: item.urgency,
    verification: item.verification,
    keyEvent: item.keyEvent,
    version: item.version,
    source: item.source,
    image: item.image,
  };
  const image = pictureUrl(item, feed);
  return {
    id: entryId(item),
    url: feed.permalink(item),
    ...(item.url === null ? {} : { external_url: new URL(item.url).href }),
    title: item.headline,
    content_text: retracted ? notice : plain(item),
    content_html: retracted ? `<p><strong>${escapeHtml(notice)}</strong></p>` : html(item, image),
    ...(retracted || item.summary === "" ? {} : { summary: item.summary }),
    ...(image === null ? {} : { image }),
    date_published: item.publishedAt,
    date_modified: item.updatedAt,
    authors: [{ name: item.author }],
    tags: [...item.topics],
    _livedesk: extension,
  };
}

/** The feed as a JSON Feed 1.1 document (text). Pure. */
export function renderJsonFeed(feed: FeedDocument): string {
  return JSON.stringify({
    version: "https://jsonfeed.org/version/1.1",
    title: feed.title,
    home_page_url: feed.homeUrl,
    feed_url: feed.selfUrl,
    description: "The latest news of the live desk: every edit, correction and retraction.",
    authors: [{ name: "livedesk" }],
    ...(feed.hubUrl === undefined ? {} : { hubs: [{ type: "WebSub", url: feed.hubUrl }] }),
    items: feed.items.map((item) => jsonItem(item, feed)),
  });
}
