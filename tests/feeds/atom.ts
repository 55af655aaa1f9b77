import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { XMLParser } from "fast-xml-parser";
import { z } from "zod";
import { tempDir } from "../helpers/server";

/*
 * What a feed reader makes of livedesk's Atom: a parser of its own (not the builder the server
 * uses), and xmllint for the schema and for reading text back independently of any JavaScript.
 */

const SCHEMAS = path.resolve(import.meta.dirname, "..", "fixtures", "feeds");

/** RFC 4287's schema alone, and with RFC 6721's tombstones checked too. */
export const ATOM_SCHEMA = path.join(SCHEMAS, "rfc4287.rng");
export const ATOM_TOMBSTONES_SCHEMA = path.join(SCHEMAS, "atom-tombstones.rng");

/** Runs `xmllint --noout --relaxng schema` on the document; `errors` is what it said (libxml2's "Unimplemented block" notes left out). */
export function validateAtom(
  xml: string,
  schema = ATOM_TOMBSTONES_SCHEMA,
): { valid: boolean; errors: string } {
  const dir = tempDir();
  const file = path.join(dir, "feed.atom");
  fs.writeFileSync(file, xml);
  try {
    const run = spawnSync("xmllint", ["--noout", "--relaxng", schema, file], { encoding: "utf8" });
    const errors = run.stderr
      .split("\n")
      .filter(
        (line) => line !== "" && !line.startsWith("Unimplemented block") && !line.endsWith(" validates"),
      )
      .join("\n");
    return { valid: run.status === 0, errors };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The string value of an XPath over the document, as libxml2 reads it. */
export function xpathText(xml: string, xpath: string): string {
  const dir = tempDir();
  const file = path.join(dir, "feed.atom");
  fs.writeFileSync(file, xml);
  try {
    const run = spawnSync("xmllint", ["--xpath", `string(${xpath})`, file], { encoding: "utf8" });
    if (run.status !== 0) throw new Error(`xmllint --xpath failed: ${run.stderr}`);
    // xmllint ends what it prints with a line break of its own.
    return run.stdout.endsWith("\n") ? run.stdout.slice(0, -1) : run.stdout;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: false,
  isArray: (name) => ["entry", "at:deleted-entry", "link", "category", "p"].includes(name),
});

const textNode = z
  .union([z.string(), z.object({ "#text": z.string().default("") })])
  .transform((node) => (typeof node === "string" ? node : node["#text"]));
const linkNode = z.object({
  "@rel": z.string().optional(),
  "@href": z.string(),
  "@type": z.string().optional(),
});
const paragraphNode = z.union([
  z.string(),
  z.object({
    "@class": z.string().optional(),
    strong: z.string().optional(),
    "#text": z.string().default(""),
  }),
]);

const entryNode = z.object({
  id: z.string(),
  title: textNode,
  updated: z.string(),
  published: z.string(),
  author: z.object({ name: z.string() }),
  link: z.array(linkNode),
  category: z.array(z.object({ "@term": z.string() })).default([]),
  summary: textNode.optional(),
  content: z.object({ "@type": z.literal("xhtml"), div: z.object({ p: z.array(paragraphNode) }) }),
});

const tombstoneNode = z.object({
  "@ref": z.string(),
  "@when": z.string(),
  "at:comment": textNode,
  link: z.array(linkNode).default([]),
});

const feedNode = z.object({
  feed: z.object({
    id: z.string(),
    title: textNode,
    updated: z.string(),
    link: z.array(linkNode),
    entry: z.array(entryNode).default([]),
    "at:deleted-entry": z.array(tombstoneNode).default([]),
  }),
});

export interface AtomEntry {
  id: string;
  title: string;
  updated: string;
  published: string;
  author: string;
  summary: string | undefined;
  /** The content's paragraphs as text (a correction's with its "Correction:" label). */
  paragraphs: string[];
  /** The correction note the content marks as one, if any. */
  correction: string | undefined;
  links: { rel: string | undefined; href: string }[];
  topics: string[];
}

export interface AtomTombstone {
  ref: string;
  when: string;
  comment: string;
}

export interface AtomFeed {
  id: string;
  title: string;
  updated: string;
  links: { rel: string | undefined; href: string }[];
  entries: AtomEntry[];
  tombstones: AtomTombstone[];
}

/** Reads an Atom document as a feed reader would. */
export function readAtom(xml: string): AtomFeed {
  const { feed } = feedNode.parse(parser.parse(xml));
  const links = (nodes: z.infer<typeof linkNode>[]) =>
    nodes.map((l) => ({ rel: l["@rel"], href: l["@href"] }));
  return {
    id: feed.id,
    title: feed.title,
    updated: feed.updated,
    links: links(feed.link),
    entries: feed.entry.map((entry) => {
      const paragraphs = entry.content.div.p.map((p) =>
        typeof p === "string" ? p : `${p.strong ?? ""}${p["#text"]}`,
      );
      const correction = entry.content.div.p.find(
        (p) => typeof p !== "string" && p["@class"] === "correction" && p.strong === "Correction:",
      );
      return {
        id: entry.id,
        title: entry.title,
        updated: entry.updated,
        published: entry.published,
        author: entry.author.name,
        summary: entry.summary,
        paragraphs,
        correction:
          correction === undefined || typeof correction === "string"
            ? undefined
            : correction["#text"].slice(1),
        links: links(entry.link),
        topics: entry.category.map((c) => c["@term"]),
      };
    }),
    tombstones: feed["at:deleted-entry"].map((t) => ({
      ref: t["@ref"],
      when: t["@when"],
      comment: t["at:comment"],
    })),
  };
}
