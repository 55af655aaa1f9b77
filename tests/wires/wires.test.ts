import path from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { createApp, type LivedeskApp } from "../../server/app";
import { SqliteStorage } from "../../server/storage/sqlite/sqlite-storage";
import type { EntryRecord } from "../../server/wires/store";
import { type Item, itemPageSchema, itemSchema } from "../../shared/item";
import {
  type IncomingEntry,
  incomingEntrySchema,
  type PollResult,
  pollResultSchema,
  type WireSource,
  wireSourceSchema,
} from "../../shared/wires";
import { type FeedServer, serveDocument, startFeedServer } from "../helpers/feed-server";
import { call, errorOf, publish } from "../helpers/http";
import { Reader } from "../helpers/reader";
import { startTestServer, type TestServer, tempDir, WIRES_POLLED_BY_HAND } from "../helpers/server";
import { atom, entries, type FixtureEntry, jsonFeed, rdf, rss } from "./feeds";

/*
 * Wires against real feed servers on loopback. The poller's own tick is an hour here, so each test
 * fetches with "poll now" and knows what happened; the last describe block lets the poller run.
 */

let feeds: FeedServer;
let server: TestServer;

beforeAll(async () => {
  feeds = await startFeedServer();
  server = await startTestServer({ wires: WIRES_POLLED_BY_HAND });
});
afterAll(async () => {
  await server.close();
  await feeds.close();
});

let pathCount = 0;
/** A fresh path on the feed server, answered by `route`. */
function serve(route: Parameters<FeedServer["route"]>[1]): string {
  pathCount += 1;
  const path = `/feed-${pathCount}`;
  feeds.route(path, route);
  return path;
}

async function addSource(path: string, fields: Record<string, unknown> = {}): Promise<WireSource> {
  const answer = await call(server.url, "POST", "/api/sources", {
    token: server.adminToken,
    body: { url: `${feeds.url}${path}`, name: `Wire ${path}`, topics: ["world"], ...fields },
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return wireSourceSchema.parse(answer.body);
}

async function poll(source: WireSource): Promise<PollResult> {
  const answer = await call(server.url, "POST", `/api/sources/${source.id}/poll`, {
    token: server.adminToken,
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return pollResultSchema.parse(answer.body);
}

async function sourceNow(source: WireSource): Promise<WireSource> {
  const answer = await call(server.url, "GET", `/api/sources/${source.id}`, { token: server.editorToken });
  return wireSourceSchema.parse(answer.body);
}

/** The items a source made, newest first, as the timeline lists them. */
async function itemsOf(source: WireSource): Promise<Item[]> {
  const answer = await call(server.url, "GET", "/api/items?limit=200&status=all");
  const { items } = itemPageSchema.parse(answer.body);
  return items.filter((item) => item.origin?.sourceId === source.id);
}

async function incoming(): Promise<IncomingEntry[]> {
  const answer = await call(server.url, "GET", "/api/incoming", { token: server.editorToken });
  expect(answer.status).toBe(200);
  return incomingEntrySchema.array().parse(answer.body);
}

const story: FixtureEntry[] = [
  {
    id: "urn:agency:2",
    title: "Talks resume in Geneva",
    html: "<p>Delegations <b>met</b> again &amp; agreed to continue.</p><script>alert(1)</script>",
    link: "https://agency.example/2",
    date: "2026-03-01T11:00:00.000Z",
  },
  {
    id: "urn:agency:1",
    title: "Ceasefire holds overnight",
    html: "<p>No shelling was reported.</p>",
    link: "https://agency.example/1",
    date: "2026-03-01T10:00:00.000Z",
  },
];

describe("following a wire", () => {
  it.each([
    ["RSS 2.0", rss(story), "application/rss+xml"],
    ["RSS 1.0 (RDF)", rdf(story), "application/rdf+xml"],
    ["Atom", atom(story), "application/atom+xml"],
    ["JSON Feed", jsonFeed(story), "application/feed+json"],
  ])(
    "turns a %s wire's entries into items with link, time, source, the wire as a named source and origin",
    async (_format, body, type) => {
      const source = await addSource(serve(serveDocument(body, type)));
      expect(await poll(source)).toEqual({ created: 2, updated: 0, held: 0, skipped: 0 });
      const items = await itemsOf(source);
      expect(items.map((i) => i.headline)).toEqual(["Talks resume in Geneva", "Ceasefire holds overnight"]);
      expect(items[0]).toMatchObject({
        summary: "Delegations met again & agreed to continue.",
        url: "https://agency.example/2",
        publishedAt: "2026-03-01T11:00:00.000Z",
        source: source.name,
        sources: [{ name: source.name, role: "wire", uri: `${feeds.url}/` }],
        topics: ["world"],
        origin: { sourceId: source.id, guid: "urn:agency:2" },
      });
      const after = await sourceNow(source);
      expect(after).toMatchObject({
        lastStatus: 200,
        lastError: null,
        consecutiveErrors: 0,
        entriesCreated: 2,
      });
      expect(after.lastSuccessAt).not.toBeNull();
    },
  );

  it("names the wire by its site only, never by a feed address that carries a subscriber's key", async () => {
    const path = "/private-feed?key=s3cret-subscriber-key";
    feeds.route(path, serveDocument(rss(story), "application/rss+xml"));
    const source = await addSource(path, { name: "Agency (subscription)" });
    expect(await poll(source)).toMatchObject({ created: 2 });
    const items = await itemsOf(source);
    expect(items.map((item) => item.sources)).toEqual([
      [{ name: "Agency (subscription)", role: "wire", uri: `${feeds.url}/` }],
      [{ name: "Agency (subscription)", role: "wire", uri: `${feeds.url}/` }],
    ]);
    // Nor does it reach readers any other way: not in the item, its ninjs or the public feeds.
    for (const pathname of [`/api/items/${items[0]?.id}`, `/api/items/${items[0]?.id}/ninjs`, "/feed.json"]) {
      const answer = await fetch(`${server.url}${pathname}`);
      expect(await answer.text()).not.toContain("s3cret");
    }
  });

  it("creates nothing on a re-poll, and asks conditionally with the ETag and Last-Modified it was given", async () => {
    const lastModified = "Sun, 01 Mar 2026 11:00:00 GMT";
    const path = serve(
      serveDocument(rss(story), "application/rss+xml", '"v1"', { "last-modified": lastModified }),
    );
    const source = await addSource(path);
    expect((await poll(source)).created).toBe(2);
    expect(await poll(source)).toEqual({ created: 0, updated: 0, held: 0, skipped: 0 });
    const second = feeds.requestsTo(path).at(-1);
    expect(second?.headers["if-none-match"]).toBe('"v1"');
    expect(second?.headers["if-modified-since"]).toBe(lastModified);
    expect((await sourceNow(source)).lastStatus).toBe(304);

    // A wire without validators answers in full each time: still nothing new.
    const plain = await addSource(serve(serveDocument(rss(story), "application/rss+xml")));
    await poll(plain);
    expect(await poll(plain)).toEqual({ created: 0, updated: 0, held: 0, skipped: 2 });
    expect(await itemsOf(plain)).toHaveLength(2);
  });

  it("takes at most the 20 newest entries on a new source's first poll, and never the older ones later", async () => {
    let body = rss(entries(30));
    const source = await addSource(
      serve((_req, res) => res.writeHead(200, { "content-type": "application/xml" }).end(body)),
    );
    expect(await poll(source)).toEqual({ created: 20, updated: 0, held: 0, skipped: 10 });
    const items = await itemsOf(source);
    expect(items[0]?.headline).toBe("Entry 30");
    expect(items.at(-1)?.headline).toBe("Entry 11");
    body = rss(entries(31, "2026-03-01T12:01:00.000Z"));
    expect((await poll(source)).created).toBe(1);
    expect((await itemsOf(source)).map((i) => i.headline)).not.toContain("Entry 10");
  });

  it("turns an entry edited upstream into an updated change of the same item that readers receive", async () => {
    let body = rss(story);
    const source = await addSource(
      serve((_req, res) => res.writeHead(200, { "content-type": "application/xml" }).end(body)),
    );
    await poll(source);
    const [first] = await itemsOf(source);
    const reader = new Reader(server.url);
    try {
      await reader.waitForSyncs(1);
      body = rss([
        { ...(story[0] ?? { id: "", title: "" }), title: "Talks resume in Geneva, officials say" },
        ...story.slice(1),
      ]);
      expect(await poll(source)).toEqual({ created: 0, updated: 1, held: 0, skipped: 1 });
      const [edited] = await itemsOf(source);
      expect(edited).toMatchObject({
        id: first?.id,
        version: 2,
        headline: "Talks resume in Geneva, officials say",
      });
      expect(edited?.contentUpdatedAt).not.toBeNull();
      await reader.until(
        () =>
          reader.follower.view.items.some((i) => i.id === first?.id && i.headline.endsWith("officials say")),
        "the reader sees the update",
      );
    } finally {
      reader.close();
    }
  });

  it("leaves an item an operator retracted retracted, whatever the wire does with its entry", async () => {
    let body = rss(story);
    const source = await addSource(
      serve((_req, res) => res.writeHead(200, { "content-type": "application/xml" }).end(body)),
    );
    await poll(source);
    const [talks] = await itemsOf(source);
    const retracted = await call(server.url, "POST", `/api/items/${talks?.id}/retract`, {
      token: server.editorToken,
      body: { reason: "Not confirmed" },
    });
    expect(retracted.status).toBe(200);
    body = rss([
      { ...(story[0] ?? { id: "", title: "" }), title: "Talks resume in Geneva, again" },
      ...story.slice(1),
    ]);
    expect(await poll(source)).toEqual({ created: 0, updated: 0, held: 0, skipped: 2 });
    const [after] = await itemsOf(source);
    expect(after).toMatchObject({ id: talks?.id, status: "retracted", headline: "Talks resume in Geneva" });
  });

  it("places a late entry by its published time, below newer items", async () => {
    const newer = await publish(server.url, server.editorToken, { headline: "Published by hand just now" });
    const source = await addSource(
      serve(
        serveDocument(
          rss([
            {
              id: "late",
              title: "Reported yesterday",
              date: new Date(Date.now() - 86_400_000).toISOString(),
            },
          ]),
          "application/xml",
        ),
      ),
    );
    await poll(source);
    const answer = await call(server.url, "GET", "/api/items?limit=200");
    const ids = itemPageSchema.parse(answer.body).items.map((i) => i.id);
    const [late] = await itemsOf(source);
    expect(ids.indexOf(late?.id ?? "")).toBeGreaterThan(ids.indexOf(newer.id));
  });
});

describe("Incoming (mode hold)", () => {
  it("holds entries for an operator, who publishes one (edited) and discards another; neither comes back", async () => {
    const source = await addSource(serve(serveDocument(atom(story), "application/atom+xml")), {
      mode: "hold",
    });
    expect(await poll(source)).toEqual({ created: 0, updated: 0, held: 2, skipped: 0 });
    expect(await itemsOf(source)).toEqual([]);
    const held = (await incoming()).filter((e) => e.sourceId === source.id);
    expect(held.map((e) => e.headline)).toEqual(["Talks resume in Geneva", "Ceasefire holds overnight"]);
    const [talks, ceasefire] = held;

    const published = await call(server.url, "POST", `/api/incoming/${talks?.id}/publish`, {
      token: server.editorToken,
      body: { breaking: true, headline: "BREAKING: Talks resume in Geneva" },
    });
    expect(published.status, JSON.stringify(published.body)).toBe(201);
    expect(itemSchema.parse(published.body)).toMatchObject({
      headline: "BREAKING: Talks resume in Geneva",
      breaking: true,
      sources: [{ name: source.name, role: "wire", uri: `${feeds.url}/` }],
      origin: { sourceId: source.id, guid: "urn:agency:2" },
    });
    const discarded = await call(server.url, "DELETE", `/api/incoming/${ceasefire?.id}`, {
      token: server.editorToken,
    });
    expect(discarded.status).toBe(204);
    const again = await call(server.url, "DELETE", `/api/incoming/${ceasefire?.id}`, {
      token: server.editorToken,
    });
    expect(again.status).toBe(409);

    expect(await poll(source)).toEqual({ created: 0, updated: 0, held: 0, skipped: 2 });
    expect((await incoming()).filter((e) => e.sourceId === source.id)).toEqual([]);
    expect(await itemsOf(source)).toHaveLength(1);
  });

  it("shows a held entry's upstream edit in Incoming, still held", async () => {
    let body = rss(story);
    const source = await addSource(
      serve((_req, res) => res.writeHead(200, { "content-type": "application/xml" }).end(body)),
      { mode: "hold" },
    );
    await poll(source);
    body = rss([
      { ...(story[0] ?? { id: "", title: "" }), title: "Talks resume in Geneva, delegates say" },
      ...story.slice(1),
    ]);
    expect(await poll(source)).toEqual({ created: 0, updated: 1, held: 0, skipped: 1 });
    const held = (await incoming()).filter((e) => e.sourceId === source.id);
    expect(held.map((e) => e.headline)).toEqual([
      "Talks resume in Geneva, delegates say",
      "Ceasefire holds overnight",
    ]);
    expect(await itemsOf(source)).toEqual([]);
  });

  it("refuses a bad edit with the field named, and readers cannot see Incoming", async () => {
    const source = await addSource(serve(serveDocument(jsonFeed(story), "application/feed+json")), {
      mode: "hold",
    });
    await poll(source);
    const [entry] = (await incoming()).filter((e) => e.sourceId === source.id);
    const bad = await call(server.url, "POST", `/api/incoming/${entry?.id}/publish`, {
      token: server.editorToken,
      body: { url: "javascript:alert(1)" },
    });
    expect(bad.status).toBe(400);
    expect(errorOf(bad).fields).toHaveProperty("url");
    expect((await call(server.url, "GET", "/api/incoming")).status).toBe(401);
  });
});

/** Bytes that are not UTF-8 (a lone continuation byte and a truncated sequence) in a feed that says it is. */
const brokenUtf8 = Buffer.concat([
  Buffer.from('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><item><title>Caf'),
  Buffer.from([0xc3, 0x28, 0x80]),
  Buffer.from("</title></item></channel></rss>"),
]);

describe("a hostile or broken wire", () => {
  it.each<[string, Parameters<FeedServer["route"]>[1], RegExp]>([
    [
      "a DOCTYPE with entities",
      serveDocument(
        `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><rss version="2.0"><channel><item><title>&b;</title></item></channel></rss>`,
        "application/rss+xml",
      ),
      /entities/,
    ],
    [
      "an external entity",
      serveDocument(
        `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><item><title>&x;</title></item></channel></rss>`,
        "application/rss+xml",
      ),
      /entities/,
    ],
    [
      "a body over 5 MB",
      (_req, res) => {
        res.writeHead(200, { "content-type": "application/rss+xml" });
        res.write('<?xml version="1.0"?><rss version="2.0"><channel>');
        res.end(
          `<item><title>x</title><description>${"a".repeat(6 * 1024 * 1024)}</description></item></channel></rss>`,
        );
      },
      /larger than 5 MB/,
    ],
    ["a server that never answers", () => {}, /did not answer within/],
    [
      "an HTML page",
      serveDocument("<!DOCTYPE html><html><body><h1>Our news</h1></body></html>", "text/html"),
      /HTML page/,
    ],
    [
      "bytes that are not the declared encoding",
      serveDocument(brokenUtf8, "application/rss+xml"),
      /not valid utf-8/,
    ],
    [
      "an encoding nobody knows",
      serveDocument(rss(story), "application/rss+xml; charset=klingon-8"),
      /klingon-8/,
    ],
    ["10,000 entries", serveDocument(rss(entries(10_000)), "application/rss+xml"), /10000 entries/],
    ["an error status", (_req, res) => res.writeHead(500).end(), /HTTP 500/],
  ])("%s ends as an error on its source, with nothing created", async (_what, route, error) => {
    const source = await addSource(serve(route));
    expect(await poll(source)).toEqual({ created: 0, updated: 0, held: 0, skipped: 0 });
    const after = await sourceNow(source);
    expect(after.lastError).toMatch(error);
    expect(after.consecutiveErrors).toBe(1);
    expect(await itemsOf(source)).toEqual([]);
    expect((await call(server.url, "GET", "/healthz")).status).toBe(200);
  });

  it("leaves the server's memory where it was, however many hostile fetches it makes", async () => {
    // A collection on demand, so that the heap is measured without garbage in it.
    setFlagsFromString("--expose-gc");
    const collect = z.function().parse(runInNewContext("gc"));
    const huge = await addSource(
      serve((_req, res) => {
        res.writeHead(200, { "content-type": "application/rss+xml" });
        res.end(
          `<rss version="2.0"><channel><item><title>${"a".repeat(6 * 1024 * 1024)}</title></item></channel></rss>`,
        );
      }),
    );
    const many = await addSource(serve(serveDocument(rss(entries(10_000)), "application/rss+xml")));
    const round = async () => {
      await poll(huge);
      await poll(many);
    };
    for (let i = 0; i < 3; i += 1) await round();
    collect();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 15; i += 1) await round();
    collect();
    const grown = process.memoryUsage().heapUsed - before;
    expect(grown).toBeLessThan(8 * 1024 * 1024);
    expect(await itemsOf(huge)).toEqual([]);
    expect(await itemsOf(many)).toEqual([]);
  });

  it("a wire that cannot be reached ends as an error on its source", async () => {
    const source = await addSource("/unused", {});
    await call(server.url, "PATCH", `/api/sources/${source.id}`, {
      token: server.adminToken,
      body: { url: "http://127.0.0.1:1/feed" },
    });
    await poll(source);
    expect((await sourceNow(source)).lastError).toMatch(/could not be reached/);
  });

  it("stops following a wire that answers 410, with the reason shown", async () => {
    const source = await addSource(serve((_req, res) => res.writeHead(410).end()));
    await poll(source);
    expect(await sourceNow(source)).toMatchObject({ enabled: false, lastStatus: 410 });
    expect((await sourceNow(source)).disabledReason).toMatch(/410/);
  });

  it("stops following a wire after 10 failures in a row; enabling it again starts afresh", async () => {
    const source = await addSource(serve((_req, res) => res.writeHead(503).end()));
    for (let i = 0; i < 9; i += 1) await poll(source);
    expect(await sourceNow(source)).toMatchObject({ enabled: true, consecutiveErrors: 9 });
    await poll(source);
    const stopped = await sourceNow(source);
    expect(stopped).toMatchObject({ enabled: false, consecutiveErrors: 10 });
    expect(stopped.disabledReason).toMatch(/10 times in a row.*HTTP 503/);
    const enabled = await call(server.url, "PATCH", `/api/sources/${source.id}`, {
      token: server.adminToken,
      body: { enabled: true },
    });
    expect(wireSourceSchema.parse(enabled.body)).toMatchObject({
      enabled: true,
      consecutiveErrors: 0,
      disabledReason: null,
    });
  });

  it("honours Retry-After on an error and Cache-Control max-age on success, and backs off otherwise", async () => {
    const busy = await addSource(serve((_req, res) => res.writeHead(503, { "retry-after": "7200" }).end()));
    await poll(busy);
    expect(Date.parse((await sourceNow(busy)).nextFetchAt) - Date.now()).toBeGreaterThan(7100_000);

    const at = new Date(Date.now() + 3 * 3600_000).toUTCString();
    const dated = await addSource(serve((_req, res) => res.writeHead(429, { "retry-after": at }).end()));
    await poll(dated);
    expect(Date.parse((await sourceNow(dated)).nextFetchAt) - Date.now()).toBeGreaterThan(
      3 * 3600_000 - 120_000,
    );

    const cached = await addSource(
      serve(serveDocument(rss(story), "application/xml", undefined, { "cache-control": "max-age=1800" })),
    );
    await poll(cached);
    expect(Date.parse((await sourceNow(cached)).nextFetchAt) - Date.now()).toBeGreaterThan(1700_000);

    const failing = await addSource(
      serve((_req, res) => res.writeHead(500).end()),
      { intervalSeconds: 600 },
    );
    await poll(failing);
    const first = Date.parse((await sourceNow(failing)).nextFetchAt) - Date.now();
    expect(first).toBeGreaterThan(290_000);
    expect(first).toBeLessThan(910_000);
  });
});

describe("politeness", () => {
  it("fetches one wire of a host at a time from a node", async () => {
    let inFlight = 0;
    let most = 0;
    const slow: Parameters<FeedServer["route"]>[1] = (_req, res) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      setTimeout(() => {
        inFlight -= 1;
        res.writeHead(200, { "content-type": "application/xml" }).end(rss(story));
      }, 200);
    };
    const sources = await Promise.all([
      addSource(serve(slow)),
      addSource(serve(slow)),
      addSource(serve(slow)),
    ]);
    const results = await Promise.all(sources.map(poll));
    expect(results.map((r) => r.created)).toEqual([2, 2, 2]);
    expect(most).toBe(1);
  });

  it("adapts the interval to how often the wire publishes", async () => {
    const every20Minutes = entries(10).map((e, i) => ({
      ...e,
      date: new Date(Date.parse("2026-03-01T12:00:00.000Z") - i * 20 * 60_000).toISOString(),
    }));
    const source = await addSource(serve(serveDocument(rss(every20Minutes), "application/xml")));
    await poll(source);
    const wait = Date.parse((await sourceNow(source)).nextFetchAt) - Date.now();
    // Half the 20-minute gap: about 10 minutes, not the default 5.
    expect(wait).toBeGreaterThan(590_000);
    expect(wait).toBeLessThan(610_000);
  });
});

describe("/api/sources", () => {
  it("lets admins manage wires and editors see them; names each bad field", async () => {
    const body = { url: `${feeds.url}/x`, name: "X", topics: ["world"] };
    expect((await call(server.url, "POST", "/api/sources", { body })).status).toBe(401);
    expect((await call(server.url, "POST", "/api/sources", { token: server.editorToken, body })).status).toBe(
      403,
    );
    expect((await call(server.url, "GET", "/api/sources", { token: server.editorToken })).status).toBe(200);
    const bad = await call(server.url, "POST", "/api/sources", {
      token: server.adminToken,
      body: { url: "ftp://example.com/feed", name: "", topics: ["nope"], mode: "later", intervalSeconds: 5 },
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(errorOf(bad).fields ?? {}).sort()).toEqual(["intervalSeconds", "mode", "name", "url"]);
    const unknownTopic = await call(server.url, "POST", "/api/sources", {
      token: server.adminToken,
      body: { ...body, topics: ["nope"] },
    });
    expect(errorOf(unknownTopic).fields).toEqual({ "topics.0": 'unknown topic "nope"' });

    const source = await addSource("/x", { mode: "hold", intervalSeconds: 120 });
    expect(source).toMatchObject({ mode: "hold", intervalSeconds: 120, enabled: true, lastFetchedAt: null });
    const renamed = await call(server.url, "PATCH", `/api/sources/${source.id}`, {
      token: server.adminToken,
      body: { name: "Renamed", mode: "publish" },
    });
    expect(wireSourceSchema.parse(renamed.body)).toMatchObject({ name: "Renamed", mode: "publish" });
    expect(
      (await call(server.url, "DELETE", `/api/sources/${source.id}`, { token: server.adminToken })).status,
    ).toBe(204);
    expect(
      (await call(server.url, "GET", `/api/sources/${source.id}`, { token: server.adminToken })).status,
    ).toBe(404);
    expect(
      (await call(server.url, "POST", `/api/sources/${source.id}/poll`, { token: server.adminToken })).status,
    ).toBe(404);
  });

  it("shows each wire's health in /metrics", async () => {
    const source = await addSource(serve(serveDocument(rss(story), "application/xml")));
    await poll(source);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain(`livedesk_wire_fetches_total{source="${source.id}"} 1`);
    expect(metrics).toContain(`livedesk_wire_entries_created_total{source="${source.id}"} 2`);
    expect(metrics).toMatch(
      new RegExp(`livedesk_wire_last_success_timestamp_seconds\\{source="${source.id}"\\} \\d+`),
    );
  });
});

describe("a node that stops between publishing an entry's item and recording the entry", () => {
  it("gets the same item back on the next fetch, not a second one", async () => {
    const storage = SqliteStorage.open(path.join(tempDir(), "livedesk.db"));
    const store = storage.wires();
    let failNext = true;
    // The fault: recording the first entry fails, after its item was committed.
    const faulty = new Proxy(store, {
      get(target, property, receiver) {
        if (property !== "insertEntry") return Reflect.get(target, property, receiver);
        return async (entry: EntryRecord) => {
          if (failNext) {
            failNext = false;
            throw new Error("the node stopped here");
          }
          return target.insertEntry(entry);
        };
      },
    });
    const node = await createApp(
      { clientDir: "/nonexistent", wires: { tickMs: 3_600_000 } },
      { storage, logger: pino({ level: "silent" }), wires: faulty },
    );
    try {
      await node.listen(0, "127.0.0.1");
      const address = node.httpServer.address();
      if (address === null || typeof address === "string") throw new Error("not listening");
      const url = `http://127.0.0.1:${address.port}`;
      const token = (await node.auth.createToken("admin", "admin")).token;
      await call(url, "POST", "/api/topics", { token, body: { slug: "world", name: "World" } });
      const created = await call(url, "POST", "/api/sources", {
        token,
        body: {
          url: `${feeds.url}${serve(serveDocument(rss(story.slice(1)), "application/xml"))}`,
          name: "W",
          topics: ["world"],
        },
      });
      const source = wireSourceSchema.parse(created.body);
      await call(url, "POST", `/api/sources/${source.id}/poll`, { token });
      const failed = wireSourceSchema.parse(
        (await call(url, "GET", `/api/sources/${source.id}`, { token })).body,
      );
      expect(failed.lastError).toMatch(/the node stopped here/);
      const again = await call(url, "POST", `/api/sources/${source.id}/poll`, { token });
      expect(pollResultSchema.parse(again.body).created).toBe(1);
      const { items } = itemPageSchema.parse((await call(url, "GET", "/api/items")).body);
      expect(items.map((i) => i.headline)).toEqual(["Ceasefire holds overnight"]);
    } finally {
      await node.close(500);
    }
  });
});

describe("the poller", () => {
  const nodes: LivedeskApp[] = [];
  afterEach(async () => {
    await Promise.all(nodes.splice(0).map((node) => node.close(500)));
  });

  it("fetches a new wire by itself, and one node at a time fetches it", async () => {
    // Two nodes on one database, both polling every 20 ms.
    const file = path.join(tempDir(), "livedesk.db");
    for (let i = 0; i < 2; i += 1) {
      const storage = SqliteStorage.open(file);
      const node = await createApp(
        { clientDir: "/nonexistent", wires: { tickMs: 20 } },
        { storage, logger: pino({ level: "silent" }), wires: storage.wires() },
      );
      await node.listen(0, "127.0.0.1");
      nodes.push(node);
    }
    const [first] = nodes;
    if (first === undefined) throw new Error("no node");
    const address = first.httpServer.address();
    if (address === null || typeof address === "string") throw new Error("not listening");
    const url = `http://127.0.0.1:${address.port}`;
    const token = (await first.auth.createToken("admin", "admin")).token;
    await call(url, "POST", "/api/topics", { token, body: { slug: "world", name: "World" } });

    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const feedPath = serve(
      (_req, res) =>
        void held.then(() => res.writeHead(200, { "content-type": "application/xml" }).end(rss(story))),
    );
    const answer = await call(url, "POST", "/api/sources", {
      token,
      body: { url: `${feeds.url}${feedPath}`, name: "Self-fetched", topics: ["world"] },
    });
    const source = wireSourceSchema.parse(answer.body);
    await vi.waitFor(() => expect(feeds.requestsTo(feedPath)).toHaveLength(1), { timeout: 10_000 });
    // While that fetch is held up, both pollers keep ticking; the lease keeps every other fetch away.
    const busy = await call(url, "POST", `/api/sources/${source.id}/poll`, { token });
    expect(busy.status).toBe(409);
    expect(errorOf(busy).code).toBe("source_busy");
    release();
    await vi.waitFor(
      async () => expect((await call(url, "GET", "/api/items")).body).toMatchObject({ items: [{}, {}] }),
      { timeout: 10_000 },
    );
    expect(feeds.requestsTo(feedPath)).toHaveLength(1);
  });
});
