import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { Item } from "../../shared/item";
import { call, edit, errorOf, jsonAnswer, publish } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

/*
 * GET /api/items/:id/ninjs against the real server, every answer checked with ajv against IPTC's
 * own ninjs 3.0 JSON Schema (tests/fixtures/ninjs/, source in its README).
 */

const fixtures = path.resolve(import.meta.dirname, "..", "fixtures", "ninjs");
const jsonSchemaFile = z.record(z.string(), z.unknown());
const readSchema = (file: string) =>
  jsonSchemaFile.parse(JSON.parse(fs.readFileSync(path.join(fixtures, file), "utf8")));

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
// The ninjs schema refers to GeoJSON by its URL; IPTC's validation suite loads the same copy.
ajv.addSchema(readSchema("GeoJSON-schema.json"));
const validateNinjs = ajv.compile(readSchema("ninjs-schema_3.0.json"));

/** Fails the test, naming every complaint, unless `document` is valid ninjs 3.0. */
function expectValidNinjs(document: unknown): void {
  const valid = validateNinjs(document);
  expect(valid, ajv.errorsText(validateNinjs.errors, { separator: "\n" })).toBe(true);
}

const textSchema = z.object({ role: z.string().optional(), contentType: z.string(), value: z.string() });
/** What these tests read of an answer; the schema check above holds it to all of ninjs 3.0. */
const ninjsSchema = z.object({
  uri: z.string(),
  version: z.string(),
  firstCreated: z.string(),
  versionCreated: z.string(),
  pubStatus: z.enum(["usable", "withheld", "canceled"]),
  urgency: z.number(),
  headlines: z.array(textSchema),
  descriptions: z.array(textSchema).optional(),
  edNote: z.string().optional(),
  subjects: z.array(z.object({ name: z.string(), literal: z.string() })),
  infoSources: z.array(z.object({ name: z.string() })).optional(),
  by: z.string(),
  renditions: z.array(z.object({ name: z.string(), href: z.string() })).optional(),
  associations: z.array(z.object({ name: z.string(), uri: z.string() })).optional(),
});
type Ninjs = z.infer<typeof ninjsSchema>;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

/** The item's ninjs as a newsroom system fetches it: valid ninjs 3.0, and its raw text. */
async function ninjsOf(id: string, token?: string): Promise<{ ninjs: Ninjs; text: string }> {
  const answer = await call(
    server.url,
    "GET",
    `/api/items/${id}/ninjs`,
    token === undefined ? {} : { token },
  );
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  expect(answer.headers.get("content-type")).toMatch(/^application\/json/);
  expectValidNinjs(answer.body);
  return { ninjs: ninjsSchema.parse(answer.body), text: JSON.stringify(answer.body) };
}

async function retract(item: Item, body: Record<string, unknown>): Promise<void> {
  const answer = await call(server.url, "POST", `/api/items/${item.id}/retract`, {
    token: server.editorToken,
    body,
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
}

const descriptionOf = (ninjs: Ninjs, role: string) =>
  ninjs.descriptions?.find((description) => description.role === role)?.value;

describe("the schema check", () => {
  it("refuses what IPTC's own suite refuses, and ninjs 2.x spellings", () => {
    // validation/test_suite/3.0/should_fail/001_bad_toplevel.json and 006_bad_urgency.json
    expect(validateNinjs({ uri: "urn:001-test-bad-top-level-property", random: "not accepted" })).toBe(false);
    expect(validateNinjs({ uri: "urn:001-test-bad-top-level-urgency", urgency: 0.1 })).toBe(false);
    expect(validateNinjs({ uri: "urn:x", infosources: [{ name: "Wire" }] })).toBe(false);
    expect(validateNinjs({ uri: "urn:x", ednote: "a note" })).toBe(false);
    expect(validateNinjs({ headlines: [{ value: "no uri" }] })).toBe(false);
  });
});

describe("GET /api/items/:id/ninjs", () => {
  it("gives a published item with its headline, summary, topics, source, link and permalink", async () => {
    const item = await publish(server.url, server.editorToken, {
      headline: "Ferry service to the islands resumes",
      summary: "The first crossing since the storm left at dawn.\nMore sailings follow at noon.",
      topics: ["world", "politics"],
      source: "Harbour authority",
      url: "https://example.org/ferry",
    });
    const { ninjs } = await ninjsOf(item.id);
    expect(ninjs.uri).toBe(`urn:livedesk:item:${item.id}`);
    expect(ninjs.version).toBe("1");
    expect(ninjs.firstCreated).toBe(item.publishedAt);
    expect(ninjs.versionCreated).toBe(item.updatedAt);
    expect(ninjs.pubStatus).toBe("usable");
    expect(ninjs.urgency).toBe(5);
    expect(ninjs.headlines.map((headline) => headline.value)).toEqual([
      "Ferry service to the islands resumes",
    ]);
    expect(descriptionOf(ninjs, "summary")).toBe(
      "The first crossing since the storm left at dawn.\nMore sailings follow at noon.",
    );
    expect(ninjs.edNote).toBeUndefined();
    expect(ninjs.subjects).toEqual([
      { name: "World", literal: "world" },
      { name: "Politics", literal: "politics" },
    ]);
    expect(ninjs.infoSources).toEqual([{ name: "Harbour authority" }]);
    expect(ninjs.by).toBe("test wire");
    expect(ninjs.associations).toEqual([{ name: "link", uri: "https://example.org/ferry" }]);
    expect(ninjs.renditions?.map((rendition) => rendition.href)).toEqual([`${server.url}/items/${item.id}`]);
  });

  it("marks a breaking item urgent (3) and a plain one routine (5)", async () => {
    const breaking = await publish(server.url, server.editorToken, {
      headline: "Dam breached",
      breaking: true,
    });
    expect((await ninjsOf(breaking.id)).ninjs.urgency).toBe(3);
    const calmer = await edit(server.url, server.editorToken, breaking, { breaking: false });
    expect((await ninjsOf(calmer.id)).ninjs.urgency).toBe(5);
  });

  it("gives the item's own urgency and its named sources, still valid ninjs 3.0", async () => {
    const flash = await publish(server.url, server.editorToken, {
      headline: "Ninjs flash: dam breaks",
      urgency: 1,
      source: "Desk",
      sources: [
        { name: "River authority", role: "official", uri: "https://example.org/river" },
        { name: "AFP" },
      ],
    });
    const { ninjs, text } = await ninjsOf(flash.id);
    expect(ninjs.urgency).toBe(1);
    expect(JSON.parse(text).infoSources).toEqual([
      { name: "Desk" },
      { name: "River authority", role: "official", uri: "https://example.org/river" },
      { name: "AFP" },
    ]);
    expect(
      (await ninjsOf((await edit(server.url, server.editorToken, flash, { urgency: 7, breaking: false })).id))
        .ninjs.urgency,
    ).toBe(7);
  });

  it("follows an edit and a correction under the same uri, with the note as the editorial note", async () => {
    const item = await publish(server.url, server.editorToken, {
      headline: "Bridge closed after crash",
      summary: "Two lorries collided.",
    });
    const before = (await ninjsOf(item.id)).ninjs;
    const corrected = await edit(server.url, server.editorToken, item, {
      summary: "Three lorries collided.",
      correction: "An earlier version said two lorries collided; there were three.",
    });
    const { ninjs } = await ninjsOf(item.id);
    expect(ninjs.uri).toBe(before.uri);
    expect(ninjs.version).toBe("2");
    expect(ninjs.firstCreated).toBe(before.firstCreated);
    expect(ninjs.versionCreated).toBe(corrected.updatedAt);
    expect(Date.parse(ninjs.versionCreated)).toBeGreaterThanOrEqual(Date.parse(before.versionCreated));
    expect(ninjs.pubStatus).toBe("usable");
    expect(descriptionOf(ninjs, "summary")).toBe("Three lorries collided.");
    expect(ninjs.edNote).toBe("Correction: An earlier version said two lorries collided; there were three.");
    expect(descriptionOf(ninjs, "correction")).toBe(
      "An earlier version said two lorries collided; there were three.",
    );
  });

  it("gives a retracted item as canceled with the notice and none of the retracted text, to anyone", async () => {
    const item = await publish(server.url, server.editorToken, {
      headline: "Minister resigns",
      summary: "Saltmarsh summary that was wrong.",
      url: "https://example.org/resigns",
      source: "Lighthouse agency",
    });
    const corrected = await edit(server.url, server.editorToken, item, {
      correction: "Quillfeather correction note.",
    });
    await retract(corrected, { reason: "The minister has not resigned." });
    for (const token of [undefined, server.editorToken]) {
      const { ninjs, text } = await ninjsOf(item.id, token);
      expect(ninjs.uri).toBe(`urn:livedesk:item:${item.id}`);
      expect(ninjs.pubStatus).toBe("canceled");
      expect(ninjs.version).toBe("3");
      expect(ninjs.headlines.map((headline) => headline.value)).toEqual(["Minister resigns"]);
      expect(ninjs.edNote).toBe("Retracted: The minister has not resigned.");
      expect(ninjs.descriptions).toEqual([
        { role: "retraction", contentType: "text/plain", value: "Retracted: The minister has not resigned." },
      ]);
      expect(ninjs.infoSources).toEqual([{ name: "Lighthouse agency" }]);
      for (const hidden of ["Saltmarsh", "Quillfeather", "example.org/resigns"])
        expect(text).not.toContain(hidden);
    }
  });

  it("gives a legal kill as canceled, withdrawn, without its headline or source", async () => {
    const item = await publish(server.url, server.editorToken, {
      headline: "Juniperwood names the suspect",
      source: "Ashgrove court reporter",
    });
    await retract(item, { reason: "Legal: the court ordered it withdrawn.", withdrawHeadline: true });
    const { ninjs, text } = await ninjsOf(item.id);
    expect(ninjs.pubStatus).toBe("canceled");
    expect(ninjs.headlines.map((headline) => headline.value)).toEqual(["Withdrawn"]);
    expect(ninjs.edNote).toBe("Withdrawn: Legal: the court ordered it withdrawn.");
    expect(ninjs.infoSources).toBeUndefined();
    for (const hidden of ["Juniperwood", "Ashgrove"]) expect(text).not.toContain(hidden);
  });

  it("keeps markup, ]]>, line breaks and odd Unicode as the same text", async () => {
    const headline =
      `<script>alert("x")</script> ]]> &amp; \u202Eevil\u202C Zoë ☃ 𝔘𝔫𝔦 👩‍👩‍👧 e\u0301 \u200B`.trim();
    const summary = "Line one\n\tTabbed <b>bold</b> ]]><![CDATA[ & \uFEFF\u2028 العربية 中文 \u{10FFFD}";
    const source = "<Agence> \"quoted\" & 'single' ]]>";
    const item = await publish(server.url, server.editorToken, { headline, summary, source });
    const { ninjs } = await ninjsOf(item.id);
    expect(ninjs.headlines[0]?.value).toBe(item.headline);
    expect(descriptionOf(ninjs, "summary")).toBe(item.summary);
    expect(ninjs.infoSources).toEqual([{ name: item.source }]);
    expect(item.headline).toBe(headline);
  });

  it("names topics as they are named now", async () => {
    const created = await call(server.url, "POST", "/api/topics", {
      token: server.adminToken,
      body: { slug: "harbour", name: "Harbour" },
    });
    expect(created.status).toBe(201);
    const item = await publish(server.url, server.editorToken, { topics: ["harbour"] });
    const renamed = await call(server.url, "PATCH", "/api/topics/harbour", {
      token: server.adminToken,
      body: { name: "Harbour and ferries" },
    });
    expect(renamed.status).toBe(200);
    expect((await ninjsOf(item.id)).ninjs.subjects).toEqual([
      { name: "Harbour and ferries", literal: "harbour" },
    ]);
  });

  it("leaves the permalink out, and stays valid, when the Host header makes no URL", async () => {
    const item = await publish(server.url, server.editorToken);
    const { port } = new URL(server.url);
    const answer = await new Promise<{ status: number; body: unknown }>((resolve, reject) => {
      const request = http.get(
        { host: "127.0.0.1", port, path: `/api/items/${item.id}/ninjs`, headers: { host: "bad host:99999" } },
        (response) => jsonAnswer(response).then(resolve, reject),
      );
      request.on("error", reject);
    });
    expect(answer.status).toBe(200);
    expectValidNinjs(answer.body);
    const ninjs = ninjsSchema.parse(answer.body);
    expect(ninjs.uri).toBe(`urn:livedesk:item:${item.id}`);
    expect(ninjs.renditions).toBeUndefined();
  });

  it("answers 404 for an id no item has", async () => {
    const answer = await call(server.url, "GET", "/api/items/no-such-item/ninjs");
    expect(answer.status).toBe(404);
    expect(errorOf(answer).code).toBe("not_found");
  });
});
