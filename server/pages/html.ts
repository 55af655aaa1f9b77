import type { Item } from "../../shared/item";
import {
  itemPath,
  jsonForScript,
  liveBlogPosting,
  newsArticle,
  type Picture,
  pictureOf,
} from "./structured-data";

/*
 * The pages' first paint, before the dashboard's JavaScript runs: the built index.html with the
 * latest headlines (or one item) inside `#root`, which the app replaces when it starts, and a
 * title, description, Open Graph tags and JSON-LD a shared link unfurls with. Pure: text in, text
 * out. Nothing here runs: JSON-LD is a data block (`application/ld+json`), which browsers never
 * execute, so the Content-Security-Policy (no inline script) holds.
 */

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text made safe for HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/** What one page puts in the shell's head and in `#root`. `body` is HTML, already escaped. */
export interface PageContent {
  title: string;
  description: string;
  /** Open Graph for a page worth sharing: og:title is `title`, og:description is `description`. */
  openGraph?: { url: string; type: "website" | "article"; image?: Picture | undefined };
  /** schema.org JSON-LD describing the page (structured-data.ts). */
  structuredData?: Record<string, unknown>;
  /** Feeds of what the page shows, for browsers and feed readers to discover (`<link rel="alternate">`). */
  feeds?: readonly FeedLink[];
  body: string;
}

/** A feed of the page's news: its address, its type and its name. */
export interface FeedLink {
  href: string;
  type: "application/atom+xml" | "application/feed+json";
  title: string;
}

/**
 * The feeds of the dashboard showing `query` (`?topic=…&q=…`, or "" for everything): the same
 * filter, as Atom and as JSON Feed. The dashboard's app keeps the same links up to date
 * (client/src/components/FeedLinks.tsx).
 */
export function dashboardFeeds(query: string): FeedLink[] {
  return [
    { href: `/feed.atom${query}`, type: "application/atom+xml", title: "livedesk — Atom feed" },
    { href: `/feed.json${query}`, type: "application/feed+json", title: "livedesk — JSON Feed" },
  ];
}

const TITLE = /<title>[^<]*<\/title>/;
const DESCRIPTION = /<meta name="description" content="[^"]*"\s*\/?>/;
const ROOT = /<div id="root"><\/div>/;

/** Throws when index.html lacks a place a page is written into, so a changed template fails loudly. */
export function checkTemplate(template: string): void {
  for (const [name, pattern] of [
    ["<title>", TITLE],
    ['<meta name="description">', DESCRIPTION],
    ['<div id="root"></div>', ROOT],
  ] as const) {
    if (!pattern.test(template)) throw new Error(`index.html has no ${name} to fill in`);
  }
}

/** The built index.html with a page's head and first paint written in. */
export function renderPage(template: string, page: PageContent): string {
  const title = escapeHtml(page.title);
  const description = escapeHtml(page.description);
  const openGraph =
    page.openGraph === undefined
      ? ""
      : [
          `<meta property="og:title" content="${title}" />`,
          `<meta property="og:description" content="${description}" />`,
          `<meta property="og:url" content="${escapeHtml(page.openGraph.url)}" />`,
          `<meta property="og:type" content="${page.openGraph.type}" />`,
          `<meta property="og:site_name" content="livedesk" />`,
          ...imageTags(page.openGraph.image),
          `<link rel="canonical" href="${escapeHtml(page.openGraph.url)}" />`,
        ].join("\n    ");
  const structuredData =
    page.structuredData === undefined
      ? ""
      : `<script type="application/ld+json">${jsonForScript(page.structuredData)}</script>`;
  const feeds = (page.feeds ?? [])
    .map(
      (feed) =>
        `<link rel="alternate" type="${feed.type}" title="${escapeHtml(feed.title)}" href="${escapeHtml(feed.href)}" />`,
    )
    .join("\n    ");
  const head = [openGraph, structuredData, feeds].filter((part) => part !== "").join("\n    ");
  // Functions as replacements, so "$&" and friends in user text stay literal.
  return template
    .replace(TITLE, () => `<title>${title}</title>`)
    .replace(
      DESCRIPTION,
      () => `<meta name="description" content="${description}" />${head === "" ? "" : `\n    ${head}`}`,
    )
    .replace(ROOT, () => `<div id="root">${page.body}</div>`);
}

/** og:image and the large preview card when there is a picture; a plain summary card otherwise. */
function imageTags(image: Picture | undefined): string[] {
  if (image === undefined) return [`<meta name="twitter:card" content="summary" />`];
  return [
    `<meta property="og:image" content="${escapeHtml(image.url)}" />`,
    `<meta property="og:image:width" content="${image.width}" />`,
    `<meta property="og:image:height" content="${image.height}" />`,
    `<meta property="og:image:alt" content="${escapeHtml(image.alt)}" />`,
    `<meta name="twitter:card" content="summary_large_image" />`,
  ];
}

const SITE_DESCRIPTION = "Live news: breaking headlines and a feed filtered by topic.";

/** A description fit for a preview card: the first ~200 characters, cut at a word. */
export function shorten(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

function time(iso: string): string {
  return `<time datetime="${escapeHtml(iso)}">${escapeHtml(iso.slice(0, 16).replace("T", " "))} UTC</time>`;
}

/** "Updated …" as the app's UpdatedMark says it, in UTC: the server does not know the reader's time zone. */
function updatedMark(item: Item): string {
  if (item.status !== "published" || item.contentUpdatedAt === null) return "";
  return `<div class="badges"><span class="badge badge-updated">Updated ${time(item.contentUpdatedAt)}</span></div>`;
}

/** The feed links readers see on the page; the app's FeedLinks renders the same. */
function feedNav(feeds: readonly FeedLink[]): string {
  const [atom, json] = feeds;
  if (atom === undefined || json === undefined) return "";
  return `<nav class="feed-links" aria-label="Feeds"><a href="${escapeHtml(atom.href)}" type="${atom.type}">Atom feed</a> <a href="${escapeHtml(json.href)}" type="${json.type}">JSON Feed</a></nav>`;
}

/**
 * `/`: the latest headlines as a plain list of links; `origin` is the site's (`https://host`),
 * `feedQuery` the filter's (`?topic=…`, or "").
 */
export function dashboardPage(items: readonly Item[], origin: string, feedQuery = ""): PageContent {
  const list =
    items.length === 0
      ? "<p>Loading the latest news…</p>"
      : `<ul class="latest">${items
          .map(
            (item) =>
              `<li><a href="${itemPath(item)}" dir="auto">${escapeHtml(item.headline)}</a> ${time(item.publishedAt)}</li>`,
          )
          .join("")}</ul>`;
  const feeds = dashboardFeeds(feedQuery);
  return {
    title: "livedesk — live news",
    description: SITE_DESCRIPTION,
    openGraph: { url: `${origin}/`, type: "website" },
    structuredData: liveBlogPosting(items, origin),
    feeds,
    body: `<header class="masthead"><p class="brand">livedesk</p>${feedNav(feeds)}</header><main class="page"><h1>Latest news</h1>${list}</main>`,
  };
}

/**
 * `/items/:id`: the item's headline and summary; a retracted item shows only its tombstone (the
 * headline, the notice and its reason), whatever the item passed in still carries, and its meta
 * neither its summary nor its picture. `origin` is the site's (`https://host`).
 */
export function itemPage(item: Item, origin: string): PageContent {
  const retracted = item.status === "retracted";
  // A legal kill withdraws the headline too; the public item then carries "Withdrawn" as its headline.
  const what = item.withdrawn === true ? "This item was withdrawn." : "This item was retracted.";
  const notice = `${what}${item.retractionReason === null ? "" : ` ${item.retractionReason}`}`;
  const text = retracted
    ? `<p class="retraction"><strong>${what}</strong> <span dir="auto">${escapeHtml(item.retractionReason ?? "")}</span></p>`
    : [
        item.summary === "" ? "" : `<p class="summary" dir="auto">${escapeHtml(item.summary)}</p>`,
        item.correction === null
          ? ""
          : `<p class="correction"><strong>Correction:</strong> <span dir="auto">${escapeHtml(item.correction)}</span></p>`,
      ].join("");
  return {
    title: `${item.headline} — livedesk`,
    description: shorten(retracted ? notice : item.summary === "" ? item.headline : item.summary),
    openGraph: {
      url: `${origin}${itemPath(item)}`,
      type: "article",
      image: retracted ? undefined : pictureOf(item, origin),
    },
    structuredData: newsArticle(item, origin),
    body: [
      `<main class="page permalink"><p><a href="/">← All news</a></p>`,
      `<article class="${retracted ? "item tombstone" : "item"}" aria-labelledby="item-headline">`,
      updatedMark(item),
      `<h1 id="item-headline" class="headline" dir="auto">${escapeHtml(item.headline)}</h1>`,
      text,
      `<div class="meta">${time(item.publishedAt)}</div>`,
      "</article></main>",
    ].join(""),
  };
}

/** Any address nobody serves, and an item id nobody published. */
export function notFoundPage(message = "Page not found"): PageContent {
  return {
    title: `${message} — livedesk`,
    description: SITE_DESCRIPTION,
    body: `<main class="page"><h1>${escapeHtml(message)}</h1><p><a href="/">Go to the latest news</a></p></main>`,
  };
}
