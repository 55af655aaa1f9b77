import { createHash } from "node:crypto";
import { parseFeed } from "feedsmith";
import { compile } from "html-to-text";
import { HEADLINE_MAX, SUMMARY_MAX, URL_MAX } from "../../shared/limits";
import { WireError } from "./errors";

/*
 * Pure: a wire's document in, its entries out, no I/O (the fetcher does the network). Whatever
 * the document holds, the result is plain text within the item's limits, or a WireError that
 * names what is wrong with the document.
 */

/** A document with more entries than this is refused whole: no wire publishes that many at once. */
export const WIRE_ENTRIES_MAX = 1000;

export { WireError };

/** One entry of a wire, as livedesk reads it. */
export interface WireEntry {
  /** Its identity within the source: guid, else link, else a hash of title and date (Miniflux's order). */
  guid: string;
  headline: string;
  summary: string;
  url: string | null;
  /** When the wire says it was published (or last updated), ISO 8601 UTC; null when it does not say. */
  publishedAt: string | null;
  /** Changes when what readers would read changes upstream. */
  contentHash: string;
}

export interface WireDocument {
  entries: WireEntry[];
  /** RSS `ttl`: how long the wire asks to be left alone, in seconds; null when it does not say. */
  ttlSeconds: number | null;
}

const CONTROL_CHARS = /[\p{Cc}\p{Cs}\u{FFFD}\u{FFFE}\u{FFFF}]/gu;
/** Bidirectional overrides and invisible separators that would make a headline read other than it is. */
const INVISIBLE = /[\u{200B}-\u{200F}\u{202A}-\u{202E}\u{2066}-\u{2069}\u{FEFF}]/gu;

/** Folds whitespace and drops control and invisible characters. */
function clean(text: string): string {
  return text.replace(CONTROL_CHARS, " ").replace(INVISIBLE, "").replace(/\s+/gu, " ").trim();
}

/** Cuts at `max` characters (code points), ending with an ellipsis when something was cut. */
export function cut(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars
    .slice(0, max - 1)
    .join("")
    .trimEnd()}…`;
}

/**
 * HTML (or text that may hold markup) as clean plain text: no markup, no scripts or styles, entities
 * decoded, whitespace folded, links as their words only.
 */
export function plainText(html: string): string {
  return clean(toText(html));
}

const toText = compile({
  wordwrap: false,
  decodeEntities: true,
  selectors: [
    { selector: "a", options: { ignoreHref: true } },
    { selector: "img", format: "skip" },
    { selector: "script", format: "skip" },
    { selector: "style", format: "skip" },
    { selector: "iframe", format: "skip" },
    { selector: "h1", options: { uppercase: false } },
    { selector: "h2", options: { uppercase: false } },
    { selector: "h3", options: { uppercase: false } },
    { selector: "h4", options: { uppercase: false } },
    { selector: "h5", options: { uppercase: false } },
    { selector: "h6", options: { uppercase: false } },
  ],
});

function httpUrl(value: string | undefined): string | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  if (trimmed.length > URL_MAX || !URL.canParse(trimmed)) return null;
  const { protocol } = new URL(trimmed);
  return protocol === "http:" || protocol === "https:" ? trimmed : null;
}

function instant(value: string | undefined): string | null {
  if (value === undefined) return null;
  const time = Date.parse(value.trim());
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

function hash(...parts: readonly string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("base64url");
}

interface RawEntry {
  guid: string | undefined;
  title: string | undefined;
  html: string | undefined;
  link: string | undefined;
  date: string | undefined;
}

function entryOf(raw: RawEntry): WireEntry | null {
  const headline = cut(plainText(raw.title ?? ""), HEADLINE_MAX);
  if (headline === "") return null;
  const summary = cut(plainText(raw.html ?? ""), SUMMARY_MAX);
  const url = httpUrl(raw.link);
  const publishedAt = instant(raw.date);
  const guid = clean(raw.guid ?? "") || url || `hash:${hash(headline, publishedAt ?? "")}`;
  return {
    guid: cut(guid, URL_MAX),
    headline,
    summary,
    url,
    publishedAt,
    contentHash: hash(headline, summary, url ?? ""),
  };
}

function rawEntries(text: string): { raw: RawEntry[]; ttlSeconds: number | null } {
  const parsed = parseFeed(text);
  switch (parsed.format) {
    case "rss": {
      const ttl = parsed.feed.ttl;
      return {
        ttlSeconds: typeof ttl === "number" && ttl > 0 ? ttl * 60 : null,
        raw: (parsed.feed.items ?? []).map((item) => ({
          guid: item.guid?.value,
          title: item.title,
          html: item.content?.encoded ?? item.description,
          link: item.link,
          date: item.pubDate ?? item.dc?.dates?.[0],
        })),
      };
    }
    case "rdf":
      return {
        ttlSeconds: null,
        raw: (parsed.feed.items ?? []).map((item) => ({
          guid: item.rdf?.about,
          title: item.title,
          html: item.content?.encoded ?? item.description,
          link: item.link,
          date: item.dc?.dates?.[0],
        })),
      };
    case "atom":
      return {
        ttlSeconds: null,
        raw: (parsed.feed.entries ?? []).map((entry) => ({
          guid: entry.id,
          title: entry.title?.value,
          html: entry.summary?.value ?? entry.content?.value,
          link: (
            entry.links?.find((link) => link.rel === undefined || link.rel === "alternate") ??
            entry.links?.[0]
          )?.href,
          date: entry.published ?? entry.updated,
        })),
      };
    case "json":
      return {
        ttlSeconds: null,
        raw: (parsed.feed.items ?? []).map((item) => ({
          guid: item.id,
          title: item.title,
          html: item.summary ?? item.content_html ?? item.content_text,
          link: item.url,
          date: item.date_published ?? item.date_modified,
        })),
      };
  }
}

/**
 * Reads a wire's document (RSS 2.0, RSS 1.0/RDF, Atom or JSON Feed). Refuses a document that
 * declares entities (a "billion laughs" or an external entity: the parser would not expand them,
 * but such a wire is hostile or broken, and its operator should hear so), anything that is not a
 * feed (an HTML page), and one with more than WIRE_ENTRIES_MAX entries.
 */
export function parseWire(text: string): WireDocument {
  // The prolog: what comes before the root element, where a DOCTYPE and its entities would be.
  const prolog = text.slice(0, Math.max(0, text.search(/<[A-Za-z]/)));
  if (/<!ENTITY/i.test(prolog)) {
    throw new WireError("The document declares XML entities; livedesk does not read those.");
  }
  if (/<!DOCTYPE\s+html/i.test(prolog) || /^\s*<html[\s>]/i.test(text)) {
    throw new WireError("The address answers with an HTML page, not a feed.");
  }
  // Counted before parsing, so that a huge document costs a scan, not a parse.
  const tags = text.match(/<(?:[A-Za-z0-9_-]+:)?(?:item|entry)[\s>]/g)?.length ?? 0;
  if (tags > WIRE_ENTRIES_MAX) {
    throw new WireError(`The feed holds ${tags} entries; livedesk reads at most ${WIRE_ENTRIES_MAX}.`);
  }
  let raw: RawEntry[];
  let ttlSeconds: number | null;
  try {
    ({ raw, ttlSeconds } = rawEntries(text));
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new WireError(`The document is not an RSS, Atom or JSON feed livedesk can read (${why}).`);
  }
  if (raw.length > WIRE_ENTRIES_MAX) {
    throw new WireError(`The feed holds ${raw.length} entries; livedesk reads at most ${WIRE_ENTRIES_MAX}.`);
  }
  const entries: WireEntry[] = [];
  const seen = new Set<string>();
  for (const one of raw) {
    const entry = entryOf(one);
    // The first of two entries with one guid wins, as a feed lists its newest first.
    if (entry === null || seen.has(entry.guid)) continue;
    seen.add(entry.guid);
    entries.push(entry);
  }
  return { entries, ttlSeconds };
}
