import type { Item } from "../../shared/item";
import { mediaPath } from "../../shared/media";

/*
 * What a shared link unfurls with beyond Open Graph: schema.org JSON-LD for search engines and
 * link previews. `/` is a `LiveBlogPosting` whose updates are the newest items, `/items/:id` a
 * `NewsArticle`. Built from the public projection only: a retracted item is never an update, and
 * its article carries no summary. Pure: items and absolute addresses in, plain objects out.
 */

/** Who publishes the desk's news: both author and publisher, there being no byline setting yet. */
export const PUBLISHER_NAME = "livedesk";

/** The width of the picture a preview card shows (one of `GET /media/:id`'s fixed widths). */
const PREVIEW_IMAGE_WIDTH = 1280;

export interface Picture {
  url: string;
  alt: string;
  width: number;
  height: number;
}

/**
 * The picture a preview shows, at the preview width (a narrower picture is served as it is, never
 * enlarged), or undefined for an item without one.
 */
export function pictureOf(item: Item, origin: string): Picture | undefined {
  if (item.image === null) return undefined;
  const { id, alt, width, height } = item.image;
  const shownWidth = Math.min(width, PREVIEW_IMAGE_WIDTH);
  return {
    url: `${origin}${mediaPath(id, PREVIEW_IMAGE_WIDTH)}`,
    alt,
    width: shownWidth,
    height: Math.round((height * shownWidth) / width),
  };
}

const organization = { "@type": "Organization", name: PUBLISHER_NAME } as const;

/** When the item's content last changed: its first publication until an edit. */
function modifiedAt(item: Item): string {
  return item.contentUpdatedAt ?? item.publishedAt;
}

export function itemPath(item: Item): string {
  return `/items/${encodeURIComponent(item.id)}`;
}

/** `/items/:id` as a schema.org `NewsArticle`; a retracted item without its summary or picture. */
export function newsArticle(item: Item, origin: string): Record<string, unknown> {
  const url = `${origin}${itemPath(item)}`;
  const published = item.status === "published";
  const picture = published ? pictureOf(item, origin) : undefined;
  return {
    "@context": "https://schema.org",
    "@type": "NewsArticle",
    headline: item.headline,
    ...(published && item.summary !== "" ? { description: item.summary } : {}),
    datePublished: item.publishedAt,
    dateModified: published ? modifiedAt(item) : item.updatedAt,
    url,
    mainEntityOfPage: url,
    author: organization,
    publisher: organization,
    ...(picture === undefined ? {} : { image: [picture.url] }),
  };
}

/**
 * `/` as a schema.org `LiveBlogPosting`: its updates the newest items shown (retracted ones left
 * out), its coverage starting with the oldest of them.
 */
export function liveBlogPosting(items: readonly Item[], origin: string): Record<string, unknown> {
  const updates = items.filter((item) => item.status === "published");
  const oldest = updates.reduce<string | undefined>(
    (earliest, item) => (earliest === undefined || item.publishedAt < earliest ? item.publishedAt : earliest),
    undefined,
  );
  const newest = updates.reduce<string | undefined>(
    (latest, item) => (latest === undefined || modifiedAt(item) > latest ? modifiedAt(item) : latest),
    undefined,
  );
  return {
    "@context": "https://schema.org",
    "@type": "LiveBlogPosting",
    headline: "livedesk — live news",
    url: `${origin}/`,
    author: organization,
    publisher: organization,
    ...(oldest === undefined ? {} : { coverageStartTime: oldest, datePublished: oldest }),
    ...(newest === undefined ? {} : { dateModified: newest }),
    liveBlogUpdate: updates.map((item) => {
      const picture = pictureOf(item, origin);
      return {
        "@type": "BlogPosting",
        headline: item.headline,
        ...(item.summary === "" ? {} : { articleBody: item.summary }),
        datePublished: item.publishedAt,
        dateModified: modifiedAt(item),
        url: `${origin}${itemPath(item)}`,
        ...(picture === undefined ? {} : { image: [picture.url] }),
      };
    }),
  };
}

/**
 * JSON for inside `<script type="application/ld+json">`: `<` (so no `</script>` or `<!--` ends or
 * bends the block), `>`, `&` and the line separators JavaScript once refused are written as
 * `\uXXXX` escapes, which every JSON parser reads back as the same characters.
 */
export function jsonForScript(data: unknown): string {
  return JSON.stringify(data).replace(
    /[<>&\u2028\u2029]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
