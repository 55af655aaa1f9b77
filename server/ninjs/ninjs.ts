import type { Item, ItemImage } from "../../shared/item";
import { MEDIA_WIDTHS } from "../../shared/limits";
import { mediaPath } from "../../shared/media";
import { publicItem } from "../timeline/public";

/*
 * An item as IPTC ninjs 3.0 (News in JSON), for newsroom systems that take agency copy in that
 * format. Pure: the item and what the route knows (topic names, where the permalink is) in, the
 * ninjs object out. ninjs 3.0 spells its properties in camelCase (`infoSources`, `edNote`); 2.x
 * wrote `infosources` and `ednote`, which the 3.0 schema refuses.
 */

/** The schema every answer is valid against (a copy with its source is in tests/fixtures/ninjs/). */
export const NINJS_SCHEMA_URI = "http://www.iptc.org/std/ninjs/ninjs-schema_3.0.json#";

interface Text {
  role?: string;
  contentType: "text/plain";
  value: string;
}

/** The part of ninjs 3.0 livedesk writes. */
export interface Ninjs {
  uri: string;
  standard: { name: "ninjs"; version: "3.0"; schema: string };
  type: "text";
  representationType: "full";
  version: string;
  firstCreated: string;
  versionCreated: string;
  pubStatus: "usable" | "canceled";
  urgency: number;
  headlines: Text[];
  descriptions?: Text[];
  edNote?: string;
  subjects: { name: string; literal: string }[];
  infoSources?: { name: string; role?: string; uri?: string }[];
  by: string;
  renditions?: { name: string; href: string; contentType: "text/html"; title: string }[];
  associations?: Association[];
}

/** An associated object: the item's link (`name: "link"`), or its picture, a ninjs object of its own. */
type Association =
  | { name: string; uri: string }
  | {
      name: "mainpicture";
      uri: string;
      type: "picture";
      representationType: "full";
      descriptions: Text[];
      by?: string;
      renditions?: {
        name: string;
        href: string;
        contentType: "image/webp";
        width: number;
        height: number;
      }[];
    };

export interface NinjsContext {
  /** Topic names by slug; a topic missing here is named by its slug. */
  topicNames: ReadonlyMap<string, string>;
  /** The absolute URL of the item's page, when the request told where the site is. */
  permalink: string | null;
}

/**
 * The item's identity in every format livedesk gives out: a URN built only from the item's id, so
 * it never changes when the site moves or the item is edited, corrected or retracted.
 */
export function itemUri(id: string): string {
  return `urn:livedesk:item:${id}`;
}

/** ninjs urgency, 1 highest to 9 lowest: the item's own (its meaning is ninjs's). */
export function urgencyOf(item: Item): number {
  return item.urgency;
}

/** ninjs infosources: the free-text `source`, then the named sources with their roles and links. */
function infoSourcesOf(item: Item): { name: string; role?: string; uri?: string }[] {
  const named = item.sources.map(({ name, role, uri }) => ({
    name,
    ...(role === undefined ? {} : { role }),
    ...(uri === undefined ? {} : { uri }),
  }));
  return [...(item.source === null ? [] : [{ name: item.source }]), ...named];
}

/**
 * The item's picture as a ninjs association: its alt text as a description, the credit as `by`, and
 * a rendition for each width served (one at its own width for those it is narrower than), with the
 * addresses made absolute from the permalink's site.
 */
function pictureOf(image: ItemImage, permalink: string | null): Association {
  const renditions: NonNullable<Extract<Association, { type: "picture" }>["renditions"]> = [];
  for (const served of MEDIA_WIDTHS) {
    const width = Math.min(served, image.width);
    if (permalink === null || renditions.some((rendition) => rendition.width === width)) continue;
    renditions.push({
      name: `w${width}`,
      href: new URL(mediaPath(image.id, served), permalink).href,
      contentType: "image/webp",
      width,
      height: Math.round((image.height * width) / image.width),
    });
  }
  return {
    name: "mainpicture",
    uri: `urn:livedesk:media:${image.id}`,
    type: "picture",
    representationType: "full",
    descriptions: [plain(image.alt, "alt")],
    ...(image.credit === undefined ? {} : { by: image.credit }),
    ...(renditions.length === 0 ? {} : { renditions }),
  };
}

/** What readers are told about a retraction, worded as the permalink words it. */
function retractionNotice(item: Item): string {
  const what = item.withdrawn === true ? "Withdrawn" : "Retracted";
  return `${what}: ${item.retractionReason ?? "no reason given"}`;
}

function associationsOf(item: Item, context: NinjsContext): Association[] {
  return [
    ...(item.url === null ? [] : [{ name: "link", uri: item.url }]),
    ...(item.image === null ? [] : [pictureOf(item.image, context.permalink)]),
  ];
}

function plain(value: string, role?: string): Text {
  return role === undefined
    ? { contentType: "text/plain", value }
    : { role, contentType: "text/plain", value };
}

/**
 * The item as ninjs 3.0, as the public sees it: a retracted item is `canceled`, shows only its
 * tombstone (never the retracted text) and carries the retraction notice as its description and its
 * editorial note. A correction's note is the editorial note (for the receiving desk) and a
 * description with the role `correction` (for their readers).
 */
export function toNinjs(item: Item, context: NinjsContext): Ninjs {
  const shown = publicItem(item);
  const retracted = shown.status === "retracted";
  const descriptions: Text[] = [];
  let edNote: string | undefined;
  if (retracted) {
    edNote = retractionNotice(shown);
    descriptions.push(plain(edNote, "retraction"));
  } else {
    if (shown.summary !== "") descriptions.push(plain(shown.summary, "summary"));
    if (shown.correction !== null) {
      edNote = `Correction: ${shown.correction}`;
      descriptions.push(plain(shown.correction, "correction"));
    }
  }
  return {
    uri: itemUri(shown.id),
    standard: { name: "ninjs", version: "3.0", schema: NINJS_SCHEMA_URI },
    type: "text",
    representationType: "full",
    version: String(shown.version),
    firstCreated: shown.publishedAt,
    versionCreated: shown.updatedAt,
    pubStatus: retracted ? "canceled" : "usable",
    urgency: urgencyOf(shown),
    headlines: [plain(shown.headline, "main")],
    ...(descriptions.length > 0 ? { descriptions } : {}),
    ...(edNote === undefined ? {} : { edNote }),
    subjects: shown.topics.map((slug) => ({ name: context.topicNames.get(slug) ?? slug, literal: slug })),
    ...(infoSourcesOf(shown).length === 0 ? {} : { infoSources: infoSourcesOf(shown) }),
    by: shown.author,
    ...(context.permalink === null
      ? {}
      : {
          renditions: [
            {
              name: "permalink",
              href: context.permalink,
              contentType: "text/html",
              title: "The item's page, with its revision history",
            },
          ],
        }),
    ...(associationsOf(shown, context).length === 0 ? {} : { associations: associationsOf(shown, context) }),
  };
}
