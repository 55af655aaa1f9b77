import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Item, itemPageSchema } from "../../shared/item";
import { THROUGH_MAX } from "../../shared/limits";
import { call, edit, errorOf, publish } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

/*
 * The readers' "Key events" (#15): `GET /api/items?keyEvent=true` lists them, paged, with the
 * usual filters; `through=ID` answers, in one call, every item down to one far down the feed.
 */

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

async function page(query: string) {
  const answer = await call(server.url, "GET", `/api/items?${query}`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return itemPageSchema.parse(answer.body);
}

/** Publishes `count` items, oldest first, each a second after the one before (from `start`). */
async function publishRun(count: number, start: number, fields: Record<string, unknown> = {}) {
  const items: Item[] = [];
  for (let i = 0; i < count; i++) {
    const publishedAt = new Date(start + i * 1000).toISOString();
    items.push(
      await publish(server.url, server.editorToken, { headline: `Run item ${i}`, publishedAt, ...fields }),
    );
  }
  return items;
}

describe("GET /api/items?keyEvent=true", () => {
  it("lists key events only, newest first, paged, with the topic and text filters, live to marks and retractions", async () => {
    const at = Date.parse("2026-02-01T10:00:00.000Z");
    const first = await publish(server.url, server.editorToken, {
      headline: "Ceasefire signed in Geneva",
      keyEvent: true,
      topics: ["politics"],
      publishedAt: new Date(at).toISOString(),
    });
    await publishRun(3, at + 1000);
    const second = await publish(server.url, server.editorToken, {
      headline: "Border crossing reopens",
      keyEvent: true,
      topics: ["world"],
      publishedAt: new Date(at + 10_000).toISOString(),
    });
    const headlines = (items: Item[]) => items.map((item) => item.headline);

    const all = await page("keyEvent=true");
    expect(headlines(all.items)).toEqual(["Border crossing reopens", "Ceasefire signed in Geneva"]);
    expect(all.nextCursor).toBeNull();
    const one = await page("keyEvent=true&limit=1");
    expect(headlines(one.items)).toEqual(["Border crossing reopens"]);
    expect(one.nextCursor).not.toBeNull();
    const next = await page(`keyEvent=true&limit=1&before=${one.nextCursor}`);
    expect(headlines(next.items)).toEqual(["Ceasefire signed in Geneva"]);
    expect(headlines((await page("keyEvent=true&topic=politics")).items)).toEqual([
      "Ceasefire signed in Geneva",
    ]);
    expect(headlines((await page("keyEvent=true&q=border")).items)).toEqual(["Border crossing reopens"]);
    expect((await page("keyEvent=false")).items.every((item) => !item.keyEvent)).toBe(true);

    // Unmarked, it leaves the list; retracted, it leaves what readers get.
    await edit(server.url, server.editorToken, second, { keyEvent: false });
    expect(headlines((await page("keyEvent=true")).items)).toEqual(["Ceasefire signed in Geneva"]);
    const retracted = await call(server.url, "POST", `/api/items/${first.id}/retract`, {
      token: server.editorToken,
      body: { reason: "Not signed after all" },
    });
    expect(retracted.status).toBe(200);
    expect((await page("keyEvent=true")).items).toEqual([]);
    expect(headlines((await page("keyEvent=true&status=all")).items)).toEqual(["Ceasefire signed in Geneva"]);
  });

  it("refuses a keyEvent that is not true or false, naming it", async () => {
    for (const value of ["yes", "1", "TRUE", ""]) {
      const answer = await call(server.url, "GET", `/api/items?keyEvent=${value}`);
      expect(answer.status).toBe(400);
      expect(errorOf(answer).fields).toEqual({ keyEvent: "must be true or false" });
    }
  });
});

describe("GET /api/items?through=ID", () => {
  it("answers every item down to one 300 items down in one call, and the next page goes on after it", async () => {
    const at = Date.parse("2026-06-01T00:00:00.000Z");
    const [target, ...older] = (await publishRun(5, at)).reverse();
    if (target === undefined) throw new Error("nothing published");
    const newer = await publishRun(300, at + 60_000);

    const answer = await page(`through=${target.id}&limit=50`);
    expect(answer.items).toHaveLength(301);
    expect(answer.items.at(-1)?.id).toBe(target.id);
    expect(answer.items.slice(0, 300).map((item) => item.id)).toEqual(newer.map((item) => item.id).reverse());
    // The page ends at the item: the rest of the timeline follows from its cursor, nothing twice.
    const rest = await page(`before=${answer.nextCursor}&limit=4`);
    expect(rest.items.map((item) => item.id)).toEqual(older.map((item) => item.id));

    // From a cursor on, and with a target already within `limit`: the page as asked for.
    const from = await page(`limit=10`);
    const on = await page(`before=${from.nextCursor}&through=${target.id}&limit=10`);
    expect(on.items[0]?.id).toBe(newer.at(-11)?.id);
    expect(on.items.at(-1)?.id).toBe(target.id);
    const near = await page(`through=${newer.at(-3)?.id}&limit=10`);
    expect(near.items).toHaveLength(10);
  });

  it(`stops at ${THROUGH_MAX} items, with a cursor to go on from`, async () => {
    const solo = await startTestServer();
    try {
      // Seeded through the storage, as the API would take a while for over a thousand items.
      const at = Date.parse("2025-01-01T00:00:00.000Z");
      const target = await publish(solo.url, solo.editorToken, { publishedAt: new Date(at).toISOString() });
      await Promise.all(
        Array.from({ length: THROUGH_MAX + 5 }, (_, i) =>
          solo.livedesk.timeline.publish(
            {
              headline: `Filler ${i}`,
              summary: "",
              url: null,
              topics: ["world"],
              pinned: false,
              source: null,
              publishedAt: new Date(at + (i + 1) * 1000).toISOString(),
            },
            { name: "test", principal: "test" },
          ),
        ),
      );
      const first = itemPageSchema.parse(
        (await call(solo.url, "GET", `/api/items?through=${target.id}`)).body,
      );
      expect(first.items).toHaveLength(THROUGH_MAX);
      const second = itemPageSchema.parse(
        (await call(solo.url, "GET", `/api/items?through=${target.id}&before=${first.nextCursor}`)).body,
      );
      expect(second.items.at(-1)?.id).toBe(target.id);
      expect(second.nextCursor).toBeNull();
    } finally {
      await solo.close();
    }
  });

  it("refuses an id of no item, naming through", async () => {
    const answer = await call(server.url, "GET", "/api/items?through=no-such-item");
    expect(answer.status).toBe(400);
    expect(errorOf(answer).fields).toEqual({ through: "must be the id of an item" });
  });
});
