import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, errorOf, publish } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { readAtom } from "./atom";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

async function titles(query: string): Promise<string[]> {
  const answer = await fetch(`${server.url}/feed.atom${query}`);
  expect(answer.status).toBe(200);
  return readAtom(await answer.text()).entries.map((entry) => entry.title);
}

describe("feed filters", () => {
  it("keep the topics and the search of GET /api/items, and name them in the feed's title and links", async () => {
    await publish(server.url, server.editorToken, { headline: "Cup final tonight", topics: ["sport"] });
    await publish(server.url, server.editorToken, {
      headline: "Summit opens",
      topics: ["politics", "world"],
    });
    await publish(server.url, server.editorToken, { headline: "Storm reaches coast", topics: ["world"] });

    expect(await titles("?topic=sport")).toEqual(["Cup final tonight"]);
    expect(await titles("?topic=world")).toEqual(["Storm reaches coast", "Summit opens"]);
    expect(await titles("?topic=sport&topic=politics")).toEqual(["Summit opens", "Cup final tonight"]);
    expect(await titles("?q=storm")).toEqual(["Storm reaches coast"]);
    expect(await titles("?topic=world&q=summit")).toEqual(["Summit opens"]);

    const feed = readAtom(await (await fetch(`${server.url}/feed.atom?topic=sport&q=cup`)).text());
    expect(feed.title).toBe("livedesk — live news: topic sport; search “cup”");
    expect(feed.links).toEqual(
      expect.arrayContaining([
        { rel: "self", href: `${server.url}/feed.atom?topic=sport&q=cup` },
        { rel: "alternate", href: `${server.url}/?topic=sport&q=cup` },
      ]),
    );
    expect(feed.id).not.toBe(readAtom(await (await fetch(`${server.url}/feed.atom`)).text()).id);
  });

  it("refuses a bad filter with a 400 naming the field", async () => {
    for (const [path, field] of [
      ["/feed.atom?topic=Not%20A%20Slug", "topic"],
      [`/feed.json?q=${"x".repeat(201)}`, "q"],
    ] as const) {
      const answer = await call(server.url, "GET", path);
      expect(answer.status).toBe(400);
      expect(Object.keys(errorOf(answer).fields ?? {})).toContain(field);
    }
  });

  it("a search finds a retracted item only by what its tombstone still shows", async () => {
    const item = await publish(server.url, server.editorToken, {
      headline: "Dam report",
      summary: "Quillfeather leak found",
    });
    expect(await titles("?q=quillfeather")).toEqual(["Dam report"]);
    await call(server.url, "POST", `/api/items/${item.id}/retract`, {
      token: server.editorToken,
      body: { reason: "Unverified." },
    });
    const retracted = readAtom(await (await fetch(`${server.url}/feed.atom?q=quillfeather`)).text());
    expect(retracted.entries).toEqual([]);
    expect(retracted.tombstones).toEqual([]);
    const byHeadline = readAtom(await (await fetch(`${server.url}/feed.atom?q=dam`)).text());
    expect(byHeadline.tombstones.map((t) => t.ref)).toEqual([`urn:livedesk:item:${item.id}`]);
  });

  it("carries the items of the newest 50 changes: an old story edited comes back in", async () => {
    const oldest = await publish(server.url, server.editorToken, {
      headline: "Oldest story",
      topics: ["politics"],
    });
    for (let i = 0; i < 55; i += 1) {
      await publish(server.url, server.editorToken, { headline: `Filler ${i}`, topics: ["politics"] });
    }
    const before = await titles("?topic=politics");
    expect(before).toHaveLength(50);
    expect(before[0]).toBe("Filler 54");
    expect(before).not.toContain("Oldest story");
    await call(server.url, "PATCH", `/api/items/${oldest.id}`, {
      token: server.editorToken,
      body: { version: 1, headline: "Oldest story, updated", correction: "Date fixed." },
    });
    const after = await titles("?topic=politics");
    expect(after).toHaveLength(50);
    expect(after[0]).toBe("Oldest story, updated");
  });
});
