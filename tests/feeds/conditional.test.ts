import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { publish } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  await publish(server.url, server.editorToken, { headline: "First story" });
});
afterAll(async () => {
  await server.close();
});

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { headers });

describe.each(["/feed.atom", "/feed.json"])("conditional GET of %s", (feed) => {
  it("gives a strong ETag, Last-Modified and a short public Cache-Control", async () => {
    const answer = await get(feed);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("etag")).toMatch(/^"[^"]+"$/);
    expect(answer.headers.get("cache-control")).toBe("public, max-age=5");
    const lastModified = Date.parse(answer.headers.get("last-modified") ?? "");
    const latest = (await server.storage.changesSince((await server.storage.latestSeq()) - 1, 1))[0];
    expect(lastModified).toBe(Math.floor(Date.parse(latest?.item.updatedAt ?? "") / 1000) * 1000);
  });

  it("answers 304 to If-None-Match and If-Modified-Since without reading any item", async () => {
    const first = await get(feed);
    const etag = first.headers.get("etag") ?? "";
    const lastModified = first.headers.get("last-modified") ?? "";
    const reads = vi.spyOn(server.storage, "listItems");
    try {
      for (const headers of [
        { "if-none-match": etag },
        { "if-none-match": `"other", W/${etag}` },
        { "if-none-match": "*" },
        { "if-modified-since": lastModified },
      ]) {
        const answer = await get(feed, headers);
        expect(answer.status, JSON.stringify(headers)).toBe(304);
        expect(await answer.text()).toBe("");
        expect(answer.headers.get("etag")).toBe(etag);
        expect(answer.headers.get("cache-control")).toBe("public, max-age=5");
      }
      expect(reads).not.toHaveBeenCalled();
      // The spy does see reads: a feed not rendered before is read.
      expect((await get(`${feed}?q=unseen`)).status).toBe(200);
      expect(reads).toHaveBeenCalled();
    } finally {
      reads.mockRestore();
    }
  });

  it("answers in full once the timeline changed, under a new ETag", async () => {
    const before = await get(feed);
    const etag = before.headers.get("etag") ?? "";
    await publish(server.url, server.editorToken, { headline: `Story after ${feed}` });
    const after = await get(feed, { "if-none-match": etag });
    expect(after.status).toBe(200);
    expect(after.headers.get("etag")).not.toBe(etag);
    expect(await after.text()).toContain(`Story after ${feed}`);
    const stale = await get(feed, { "if-modified-since": new Date(Date.now() - 3_600_000).toUTCString() });
    expect(stale.status).toBe(200);
  });

  it("answers HEAD with the same validators and no body", async () => {
    const full = await get(feed);
    const head = await fetch(`${server.url}${feed}`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("etag")).toBe(full.headers.get("etag"));
    expect(head.headers.get("last-modified")).toBe(full.headers.get("last-modified"));
    expect(await head.text()).toBe("");
  });

  it("gives each filter its own ETag", async () => {
    const tags = new Set<string | null>();
    for (const query of ["", "?topic=world", "?topic=sport", "?topic=world&topic=sport", "?q=story"]) {
      tags.add((await get(`${feed}${query}`)).headers.get("etag"));
    }
    expect(tags.size).toBe(5);
    // The same filter written in another order is the same feed.
    const a = (await get(`${feed}?topic=world&topic=sport`)).headers.get("etag");
    const b = (await get(`${feed}?topic=sport&topic=world`)).headers.get("etag");
    expect(a).toBe(b);
  });
});

describe("feed counters", () => {
  it("count 304s apart from renders in /metrics", async () => {
    const etag = (await get("/feed.atom")).headers.get("etag") ?? "";
    await get("/feed.atom", { "if-none-match": etag });
    const text = await (await get("/metrics")).text();
    expect(text).toMatch(/livedesk_feed_requests_total\{format="atom",answer="not_modified"\} [1-9]/);
    expect(text).toMatch(/livedesk_feed_requests_total\{format="atom",answer="rendered"\} [1-9]/);
  });
});
