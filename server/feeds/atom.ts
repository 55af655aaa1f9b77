import type { XMLBuilder } from "fast-xml-parser";
import type { Item } from "../../shared/item";
import { entryId, type FeedDocument, paragraphs, pictureUrl, retractionNotice } from "./document";
import { xmlText } from "./xml-text";

/*
 * Atom 1.0 (RFC 4287), with retractions as RFC 6721 tombstones. Written by fast-xml-parser's
 * builder with entity processing on, so every text and attribute is escaped by the builder and
 * never by hand; text passes through xmlText first, since escaping cannot make a control
 * character legal XML.
 */

export const ATOM_NS = "http://www.w3.org/2005/Atom";
export const TOMBSTONES_NS = "http://purl.org/atompub/tombstones/1.0";
const XHTML_NS = "http://www.w3.org/1999/xhtml";

/**
 * The builder, made on the first Atom feed served: fast-xml-parser is loaded then, not at start,
 * as a node whose readers take no Atom feed never needs it.
 */
let builder: Promise<XMLBuilder> | undefined;
function atomBuilder(): Promise<XMLBuilder> {
  builder ??= import("fast-xml-parser").then(
    ({ XMLBuilder }) =>
      new XMLBuilder({
        ignoreAttributes: false,
        attributeNamePrefix: "@",
        textNodeName: "#text",
        processEntities: true,
        suppressEmptyNode: true,
        suppressBooleanAttributes: false,
      }),
  );
  return builder;
}

type Node = Record<string, unknown>;

const text = (value: string): Node => ({ "@type": "text", "#text": xmlText(value) });
const link = (rel: string, href: string, type?: string): Node => ({
  "@rel": rel,
  "@href": href,
  ...(type === undefined ? {} : { "@type": type }),
});

/**
 * The entry's content as XHTML: the summary's paragraphs, the correction (marked as one), the
 * source. Plain text goes in as text nodes, never as markup, so it cannot inject elements.
 */
function content(item: Item, src: string | null): Node {
  const blocks: Node[] = paragraphs(item.summary).map((paragraph) => ({ "#text": xmlText(paragraph) }));
  if (item.correction !== null) {
    blocks.push({ "@class": "correction", strong: "Correction:", "#text": ` ${xmlText(item.correction)}` });
  }
  if (item.source !== null) blocks.push({ "@class": "source", "#text": `Source: ${xmlText(item.source)}` });
  // Atom's content is never empty: an item with nothing but a headline says its headline.
  const p = blocks.length === 0 ? [{ "#text": xmlText(item.headline) }] : blocks;
  if (item.image === null || src === null) return { "@type": "xhtml", div: { "@xmlns": XHTML_NS, p } };
  const { alt, credit, width, height } = item.image;
  const img = { "@src": src, "@alt": xmlText(alt), "@width": String(width), "@height": String(height) };
  const figure = {
    img,
    ...(credit === undefined ? {} : { figcaption: `Picture: ${xmlText(credit)}` }),
  };
  return { "@type": "xhtml", div: { "@xmlns": XHTML_NS, figure, p } };
}

function entry(item: Item, feed: FeedDocument): Node {
  const picture = pictureUrl(item, feed);
  return {
    id: entryId(item),
    title: text(item.headline),
    updated: item.updatedAt,
    published: item.publishedAt,
    author: { name: xmlText(item.author) },
    link: [
      link("alternate", feed.permalink(item), "text/html"),
      ...(item.url === null ? [] : [link("related", new URL(item.url).href)]),
      // The picture, for readers that show enclosures (livedesk serves every picture as WebP).
      ...(picture === null ? [] : [link("enclosure", picture, "image/webp")]),
    ],
    category: item.topics.map((topic) => ({ "@term": topic, "@scheme": feed.topicsUrl })),
    ...(item.summary === "" ? {} : { summary: text(item.summary) }),
    content: content(item, picture),
  };
}

/** RFC 6721: `ref` is the entry's id, `when` the retraction, the comment its reason. */
function tombstone(item: Item, feed: FeedDocument): Node {
  return {
    "@ref": entryId(item),
    "@when": item.updatedAt,
    "at:comment": text(item.retractionReason ?? retractionNotice(item)),
    link: link("alternate", feed.permalink(item), "text/html"),
  };
}

/** The feed as an Atom document. Pure, once the builder is loaded. */
export async function renderAtom(feed: FeedDocument): Promise<string> {
  const published = feed.items.filter((item) => item.status === "published");
  const retracted = feed.items.filter((item) => item.status === "retracted");
  const document: Node = {
    "?xml": { "@version": "1.0", "@encoding": "utf-8" },
    feed: {
      "@xmlns": ATOM_NS,
      "@xmlns:at": TOMBSTONES_NS,
      id: feed.id,
      title: text(feed.title),
      updated: feed.updated,
      author: { name: "livedesk" },
      generator: "livedesk",
      link: [
        link("self", feed.selfUrl, "application/atom+xml"),
        link("alternate", feed.homeUrl, "text/html"),
        ...(feed.hubUrl === undefined ? [] : [link("hub", feed.hubUrl)]),
      ],
      "at:deleted-entry": retracted.map((item) => tombstone(item, feed)),
      entry: published.map((item) => entry(item, feed)),
    },
  };
  return (await atomBuilder()).build(document);
}
