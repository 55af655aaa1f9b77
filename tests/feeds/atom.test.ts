import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderAtom } from "../../server/feeds/atom";
import type { FeedDocument } from "../../server/feeds/document";
import { call, publish } from "../helpers/http";
import { sampleItem } from "../helpers/items";
import { startTestServer, type TestServer } from "../helpers/server";
import { ATOM_SCHEMA, readAtom, validateAtom, xpathText } from "./atom";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

async function atom(query = ""): Promise<string> {
  const answer = await fetch(`${server.url}/feed.atom${query}`);
  expect(answer.status).toBe(200);
  expect(answer.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
  return answer.text();
}

const entry = (position: number) => `/*[local-name()='feed']/*[local-name()='entry'][${position}]`;

describe("GET /feed.atom", () => {
  it("is valid Atom (RFC 4287's schema) with valid RFC 6721 tombstones, through edits, corrections and retractions", async () => {
    const story = await publish(server.url, server.editorToken, {
      headline: "Ferry service resumes",
      summary: "The first boat left at dawn.\n\nMore sailings follow.",
      url: "https://example.org/ferry",
      topics: ["world", "politics"],
      source: "Harbour office",
    });
    const corrected = await call(server.url, "PATCH", `/api/items/${story.id}`, {
      token: server.editorToken,
      body: { version: 1, summary: "The first boat left at noon.", correction: "It left at noon, not dawn." },
    });
    expect(corrected.status).toBe(200);
    const retracted = await publish(server.url, server.editorToken, { headline: "Bridge closed" });
    await call(server.url, "POST", `/api/items/${retracted.id}/retract`, {
      token: server.editorToken,
      body: { reason: "The bridge was never closed." },
    });
    const killed = await publish(server.url, server.editorToken, { headline: "Named suspect" });
    await call(server.url, "POST", `/api/items/${killed.id}/retract`, {
      token: server.editorToken,
      body: { reason: "Legal.", withdrawHeadline: true },
    });

    const xml = await atom();
    expect(validateAtom(xml, ATOM_SCHEMA)).toEqual({ valid: true, errors: "" });
    expect(validateAtom(xml)).toEqual({ valid: true, errors: "" });

    const feed = readAtom(xml);
    const shown = feed.entries.find((e) => e.id === `urn:livedesk:item:${story.id}`);
    expect(shown).toMatchObject({
      title: "Ferry service resumes",
      summary: "The first boat left at noon.",
      correction: "It left at noon, not dawn.",
      author: "test wire",
      topics: ["world", "politics"],
      published: story.publishedAt,
    });
    expect(shown?.paragraphs).toContain("Source: Harbour office");
    expect(shown?.links).toEqual([
      { rel: "alternate", href: `${server.url}/items/${story.id}` },
      { rel: "related", href: "https://example.org/ferry" },
    ]);
    // A retraction is a tombstone and no longer an entry; the reason is its comment.
    expect(feed.entries.map((e) => e.id)).not.toContain(`urn:livedesk:item:${retracted.id}`);
    expect(feed.tombstones).toContainEqual(
      expect.objectContaining({
        ref: `urn:livedesk:item:${retracted.id}`,
        comment: "The bridge was never closed.",
      }),
    );
    // A legal kill's headline appears nowhere in the feed.
    expect(xml).not.toContain("Named suspect");
    expect(feed.tombstones).toContainEqual(
      expect.objectContaining({ ref: `urn:livedesk:item:${killed.id}`, comment: "Legal." }),
    );
    expect(feed.links).toEqual(
      expect.arrayContaining([
        { rel: "self", href: `${server.url}/feed.atom` },
        { rel: "alternate", href: `${server.url}/` },
      ]),
    );
  });

  it("fails validation when a feed breaks the schema, so the checks above can fail", async () => {
    const xml = await renderAtom(
      document([sampleItem("a"), sampleItem("b", { status: "retracted", retractionReason: "No." })]),
    );
    expect(validateAtom(xml).valid).toBe(true);
    expect(validateAtom(xml.replace(/<id>urn:livedesk:item:a<\/id>/, "")).valid).toBe(false);
    expect(validateAtom(xml.replace(/ when="[^"]*"/, "")).valid).toBe(false);
  });

  it("keeps an entry's id when it is edited, and moves its updated", async () => {
    const item = await publish(server.url, server.editorToken, { headline: "Polls open" });
    const before = readAtom(await atom()).entries.find((e) => e.title === "Polls open");
    await call(server.url, "PATCH", `/api/items/${item.id}`, {
      token: server.editorToken,
      body: { version: 1, headline: "Polls open early" },
    });
    const after = readAtom(await atom()).entries.find((e) => e.title === "Polls open early");
    expect(before?.id).toBe(`urn:livedesk:item:${item.id}`);
    expect(after?.id).toBe(before?.id);
    expect(after?.published).toBe(before?.published);
    expect(Date.parse(after?.updated ?? "")).toBeGreaterThan(Date.parse(before?.updated ?? ""));
  });

  it("carries markup, ]]>, tabs, line breaks and odd Unicode in every field as the same text", async () => {
    const hostile = {
      headline: `<script>alert("x")</script> ]]> &amp; 'quotes' ‮RTL‬ e\u0301 👩🏽‍🚒 \u2028 \uFEFF\u200B`,
      summary: `First <b>line</b>\tand a tab\nsecond ]]> line &lt; 𝄞\n\n<![CDATA[ nested ]]> ⁦أهلا⁩`,
      source: `Wire <"&'> ]]>`,
      correction: `Was <i>wrong</i> ]]> & "off"\tby one`,
    };
    const token = (await server.livedesk.auth.createToken(`Desk <&> "]]>"`, "editor")).token;
    const item = await publish(server.url, token, {
      headline: hostile.headline,
      summary: "draft",
      source: hostile.source,
      url: `https://example.org/a?b=<c>&d="e"`,
    });
    const edited = await call(server.url, "PATCH", `/api/items/${item.id}`, {
      token,
      body: { version: 1, summary: hostile.summary, correction: hostile.correction },
    });
    expect(edited.status).toBe(200);
    const reason = `Retracted <em>because</em> ]]> "x" & y\twith a tab`;
    const gone = await publish(server.url, token, { headline: "Soon gone" });
    await call(server.url, "POST", `/api/items/${gone.id}/retract`, { token, body: { reason } });

    const xml = await atom();
    expect(validateAtom(xml)).toEqual({ valid: true, errors: "" });
    // libxml2 reads back exactly what was published...
    // The retraction is the newest change but a tombstone: the hostile item is the first entry.
    expect(xpathText(xml, `${entry(1)}/*[local-name()='title']`)).toBe(hostile.headline);
    expect(xpathText(xml, `${entry(1)}/*[local-name()='summary']`)).toBe(hostile.summary);
    expect(xpathText(xml, `${entry(1)}/*[local-name()='author']/*[local-name()='name']`)).toBe(
      `Desk <&> "]]>"`,
    );
    expect(
      xpathText(xml, `/*[local-name()='feed']/*[local-name()='deleted-entry'][1]/*[local-name()='comment']`),
    ).toBe(reason);
    // ...and so does a JavaScript feed reader, the correction marked as one.
    const shown = readAtom(xml).entries[0];
    expect(shown).toMatchObject({
      title: hostile.headline,
      summary: hostile.summary,
      correction: hostile.correction,
    });
    expect(shown?.paragraphs).toContain(`Source: ${hostile.source}`);
    expect(shown?.links[1]?.href).toBe(new URL(`https://example.org/a?b=<c>&d="e"`).href);
    expect(readAtom(xml).tombstones[0]?.comment).toBe(reason);
  });
});

function document(items: FeedDocument["items"]): FeedDocument {
  return {
    id: "urn:livedesk:feed",
    title: "livedesk",
    selfUrl: "http://localhost/feed.atom",
    homeUrl: "http://localhost/",
    permalink: (item) => `http://localhost/items/${item.id}`,
    topicsUrl: "http://localhost/api/topics",
    hubUrl: undefined,
    updated: "2026-03-01T10:00:00.000Z",
    items,
  };
}

describe("renderAtom", () => {
  it("writes characters XML cannot hold (from outside the API) as U+FFFD, and the feed stays valid", async () => {
    const xml = await renderAtom(
      document([
        sampleItem("a", {
          headline: "bell\u0007 nul\u0000 esc\u001b",
          summary: "nonchar \uFFFE\uFFFF lone \uD800 end\r\nnext",
        }),
      ]),
    );
    expect(validateAtom(xml)).toEqual({ valid: true, errors: "" });
    const shown = readAtom(xml).entries[0];
    expect(shown?.title).toBe("bell\uFFFD nul\uFFFD esc\uFFFD");
    expect(shown?.summary).toBe("nonchar \uFFFD\uFFFD lone \uFFFD end\nnext");
  });
});
