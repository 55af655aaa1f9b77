import { afterAll, beforeAll, expect, it } from "vitest";
import { call, publish } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { type AtomEntry, readAtom, validateAtom } from "./atom";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

/**
 * A feed reader as feed readers work: it polls the feed with the ETag it has, keeps entries by
 * id (a newer `updated` replaces one), and withdraws an entry an RFC 6721 tombstone names.
 */
class FeedReader {
  readonly entries = new Map<string, AtomEntry>();
  readonly withdrawn = new Map<string, string>();
  private etag: string | undefined;

  constructor(private readonly url: string) {}

  /** One poll; true when the feed had changed. */
  async poll(): Promise<boolean> {
    const answer = await fetch(
      this.url,
      this.etag === undefined ? {} : { headers: { "if-none-match": this.etag } },
    );
    if (answer.status === 304) return false;
    expect(answer.status).toBe(200);
    this.etag = answer.headers.get("etag") ?? undefined;
    const xml = await answer.text();
    expect(validateAtom(xml)).toEqual({ valid: true, errors: "" });
    const feed = readAtom(xml);
    for (const entry of feed.entries) {
      const known = this.entries.get(entry.id);
      if (known === undefined || Date.parse(entry.updated) > Date.parse(known.updated))
        this.entries.set(entry.id, entry);
    }
    for (const tombstone of feed.tombstones) {
      this.entries.delete(tombstone.ref);
      this.withdrawn.set(tombstone.ref, tombstone.comment);
    }
    return true;
  }
}

it("a feed reader following /feed.atom sees an entry appear, change with its correction, and be withdrawn with its reason", async () => {
  const reader = new FeedReader(`${server.url}/feed.atom?topic=world`);
  expect(await reader.poll()).toBe(true);
  expect(reader.entries.size).toBe(0);
  expect(await reader.poll()).toBe(false);

  const item = await publish(server.url, server.editorToken, {
    headline: "Dam holds after storm",
    summary: "Engineers inspected the dam overnight.",
    topics: ["world"],
  });
  const id = `urn:livedesk:item:${item.id}`;
  expect(await reader.poll()).toBe(true);
  expect(reader.entries.get(id)).toMatchObject({
    title: "Dam holds after storm",
    summary: "Engineers inspected the dam overnight.",
    correction: undefined,
  });
  const first = reader.entries.get(id)?.updated;
  expect(await reader.poll()).toBe(false);

  const edited = await call(server.url, "PATCH", `/api/items/${item.id}`, {
    token: server.editorToken,
    body: {
      version: 1,
      headline: "Dam holds after storm, engineers say",
      summary: "Engineers inspected the dam at dawn.",
      correction: "The inspection was at dawn, not overnight.",
    },
  });
  expect(edited.status).toBe(200);
  expect(await reader.poll()).toBe(true);
  expect(reader.entries.size).toBe(1);
  const changed = reader.entries.get(id);
  expect(changed).toMatchObject({
    title: "Dam holds after storm, engineers say",
    summary: "Engineers inspected the dam at dawn.",
    correction: "The inspection was at dawn, not overnight.",
  });
  expect(Date.parse(changed?.updated ?? "")).toBeGreaterThan(Date.parse(first ?? ""));

  await call(server.url, "POST", `/api/items/${item.id}/retract`, {
    token: server.editorToken,
    body: { reason: "The dam report could not be confirmed." },
  });
  expect(await reader.poll()).toBe(true);
  expect(reader.entries.has(id)).toBe(false);
  expect(reader.withdrawn.get(id)).toBe("The dam report could not be confirmed.");
  expect(await reader.poll()).toBe(false);
});
