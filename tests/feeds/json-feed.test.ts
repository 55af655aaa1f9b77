import fs from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { call, publish } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const schemaFile = path.resolve(import.meta.dirname, "..", "fixtures", "feeds", "jsonfeed-1.1.schema.json");
// strictRequired off: the schema says "content_html or content_text" with `required` inside anyOf.
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
addFormats.default(ajv);
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaFile, "utf8")));

/** What these tests read of a JSON Feed item; the schema above checks the whole document. */
const itemShape = z.object({
  id: z.string(),
  url: z.string(),
  external_url: z.string().optional(),
  title: z.string(),
  content_text: z.string(),
  content_html: z.string(),
  summary: z.string().optional(),
  date_published: z.string(),
  date_modified: z.string(),
  tags: z.array(z.string()),
  authors: z.array(z.object({ name: z.string() })),
  _livedesk: z.object({
    status: z.enum(["published", "retracted"]),
    reason: z.string().optional(),
    correction: z.string().nullable(),
  }),
});
const feedShape = z.object({ feed_url: z.string(), home_page_url: z.string(), items: z.array(itemShape) });

async function jsonFeed(query = ""): Promise<{ raw: unknown; feed: z.infer<typeof feedShape> }> {
  const answer = await fetch(`${server.url}/feed.json${query}`);
  expect(answer.status).toBe(200);
  expect(answer.headers.get("content-type")).toBe("application/feed+json; charset=utf-8");
  const raw: unknown = await answer.json();
  return { raw, feed: feedShape.parse(raw) };
}

describe("GET /feed.json", () => {
  it("is valid JSON Feed 1.1: a correction in the content, a retraction as its notice with _livedesk", async () => {
    const story = await publish(server.url, server.editorToken, {
      headline: "Ferry service resumes",
      summary: "The first boat left at dawn.",
      url: "https://example.org/ferry",
      topics: ["world", "sport"],
    });
    await call(server.url, "PATCH", `/api/items/${story.id}`, {
      token: server.editorToken,
      body: { version: 1, summary: "The first boat left at noon.", correction: "Noon, not dawn." },
    });
    const gone = await publish(server.url, server.editorToken, {
      headline: "Bridge closed",
      summary: "Secret text",
    });
    await call(server.url, "POST", `/api/items/${gone.id}/retract`, {
      token: server.editorToken,
      body: { reason: "The bridge was never closed." },
    });

    const { raw, feed } = await jsonFeed();
    expect(validate(raw), ajv.errorsText(validate.errors)).toBe(true);
    expect(feed.feed_url).toBe(`${server.url}/feed.json`);
    const shown = feed.items.find((item) => item.id === `urn:livedesk:item:${story.id}`);
    expect(shown).toMatchObject({
      url: `${server.url}/items/${story.id}`,
      external_url: "https://example.org/ferry",
      title: "Ferry service resumes",
      date_published: story.publishedAt,
      tags: ["world", "sport"],
      authors: [{ name: "test wire" }],
      _livedesk: { status: "published", correction: "Noon, not dawn." },
    });
    expect(shown?.content_text).toBe("The first boat left at noon.\n\nCorrection: Noon, not dawn.");
    expect(shown?.content_html).toContain(
      '<p class="correction"><strong>Correction:</strong> Noon, not dawn.</p>',
    );
    expect(shown?.date_modified).not.toBe(story.updatedAt);

    const withdrawn = feed.items.find((item) => item.id === `urn:livedesk:item:${gone.id}`);
    expect(withdrawn).toMatchObject({
      title: "Bridge closed",
      content_text: "This item was retracted. The bridge was never closed.",
      _livedesk: { status: "retracted", reason: "The bridge was never closed." },
    });
    expect(JSON.stringify(raw)).not.toContain("Secret text");
  });

  it("fails the schema when a feed breaks it, so the check above can fail", async () => {
    const { raw } = await jsonFeed();
    expect(validate({ ...z.looseObject({}).parse(raw), version: "https://jsonfeed.org/version/1" })).toBe(
      false,
    );
    expect(validate({ version: "https://jsonfeed.org/version/1.1", title: "x", items: [{ id: "a" }] })).toBe(
      false,
    );
  });

  it("carries markup, tabs, line breaks and odd Unicode as the same text, escaped in content_html", async () => {
    const headline = `<script>alert("x")</script> ]]> &amp; 'q' ‮RTL‬ e\u0301 👩🏽‍🚒 \u2028 \uFFFE\u200B`;
    const summary = `<b>bold</b>\ttab\nline ]]> 𝄞 ⁦أهلا⁩`;
    const item = await publish(server.url, server.editorToken, { headline, summary });
    const { raw, feed } = await jsonFeed();
    expect(validate(raw), ajv.errorsText(validate.errors)).toBe(true);
    const shown = feed.items.find((i) => i.id === `urn:livedesk:item:${item.id}`);
    expect(shown?.title).toBe(headline);
    expect(shown?.summary).toBe(summary);
    expect(shown?.content_text).toBe(summary);
    expect(shown?.content_html).toBe("<p>&lt;b&gt;bold&lt;/b&gt;\ttab</p><p>line ]]&gt; 𝄞 ⁦أهلا⁩</p>");
  });
});
