import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { itemSchema } from "../../shared/item";
import { call, edit, errorOf, publish } from "../helpers/http";
import { Reader } from "../helpers/reader";
import { startTestServer, type TestServer } from "../helpers/server";

/*
 * Editorial signals (#15): urgency with `breaking` kept equal to urgency ≤ 3, verification, key
 * events and named sources, through the API, the revisions, ninjs and Socket.IO.
 */

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe("urgency and breaking", () => {
  it("defaults to 5 and not breaking; a flash is breaking; breaking alone is urgent (3)", async () => {
    expect(await publish(server.url, server.editorToken)).toMatchObject({ urgency: 5, breaking: false });
    expect(await publish(server.url, server.editorToken, { urgency: 1 })).toMatchObject({
      urgency: 1,
      breaking: true,
    });
    expect(await publish(server.url, server.editorToken, { breaking: true })).toMatchObject({
      urgency: 3,
      breaking: true,
    });
    expect(await publish(server.url, server.editorToken, { urgency: 7, breaking: false })).toMatchObject({
      urgency: 7,
      breaking: false,
    });
  });

  it("follows PRODUCT.md's write rules on edits: breaking: true alone sets 3 from above, false sets 5 from 3 or below", async () => {
    const routine = await publish(server.url, server.editorToken, { urgency: 8 });
    const urgent = await edit(server.url, server.editorToken, routine, { breaking: true });
    expect(urgent).toMatchObject({ urgency: 3, breaking: true });
    const flash = await edit(server.url, server.editorToken, urgent, { urgency: 1 });
    expect(flash).toMatchObject({ urgency: 1, breaking: true });
    // Already breaking: breaking: true keeps the flash a flash.
    const still = await edit(server.url, server.editorToken, flash, {
      breaking: true,
      headline: "Still a flash",
    });
    expect(still).toMatchObject({ urgency: 1, breaking: true });
    expect(await edit(server.url, server.editorToken, still, { breaking: false })).toMatchObject({
      urgency: 5,
      breaking: false,
    });
  });

  it("keeps a v1 client's breaking flag working unchanged", async () => {
    const item = await publish(server.url, server.editorToken, { breaking: true, pinned: true });
    expect(item.breaking).toBe(true);
    expect((await edit(server.url, server.editorToken, item, { breaking: false })).breaking).toBe(false);
  });

  it("refuses an urgency out of 1–9 and a breaking flag that contradicts it, naming the field", async () => {
    for (const [body, field] of [
      [{ urgency: 0 }, "urgency"],
      [{ urgency: 10 }, "urgency"],
      [{ urgency: 2.5 }, "urgency"],
      [{ urgency: "1" }, "urgency"],
      [{ urgency: 1, breaking: false }, "breaking"],
      [{ urgency: 6, breaking: true }, "breaking"],
    ] as const) {
      const answer = await call(server.url, "POST", "/api/items", {
        token: server.editorToken,
        body: { headline: "Bad", topics: ["world"], ...body },
      });
      expect(answer.status).toBe(400);
      expect(Object.keys(errorOf(answer).fields ?? {})).toEqual([field]);
    }
    const item = await publish(server.url, server.editorToken);
    const answer = await call(server.url, "PATCH", `/api/items/${item.id}`, {
      token: server.editorToken,
      body: { version: item.version, urgency: 2, breaking: false },
    });
    expect(answer.status).toBe(400);
    expect(Object.keys(errorOf(answer).fields ?? {})).toEqual(["breaking"]);
  });

  it("makes a retracted item routine again, since it is no longer breaking", async () => {
    const flash = await publish(server.url, server.editorToken, { urgency: 1 });
    const answer = await call(server.url, "POST", `/api/items/${flash.id}/retract`, {
      token: server.editorToken,
      body: { reason: "Wrong" },
    });
    expect(answer.status).toBe(200);
    expect(itemSchema.parse(answer.body)).toMatchObject({ breaking: false, urgency: 5 });
  });
});

describe("verification, key events and sources", () => {
  it("stores them, and a change of verification is a revision of its own", async () => {
    const item = await publish(server.url, server.editorToken, {
      verification: "unconfirmed",
      keyEvent: true,
      sources: [{ name: "Coast guard", role: "official", uri: "https://example.org/cg" }, { name: "AFP" }],
    });
    expect(item).toMatchObject({
      verification: "unconfirmed",
      keyEvent: true,
      sources: [{ name: "Coast guard", role: "official", uri: "https://example.org/cg" }, { name: "AFP" }],
    });
    const confirmed = await edit(server.url, server.editorToken, item, { verification: "confirmed" });
    expect(confirmed).toMatchObject({ version: 2, verification: "confirmed", contentUpdatedAt: null });
    const revisions = z
      .object({ revisions: z.array(itemSchema) })
      .parse((await call(server.url, "GET", `/api/items/${item.id}/revisions`)).body).revisions;
    expect(revisions.map((r) => r.verification)).toEqual(["unconfirmed", "confirmed"]);
    expect(await edit(server.url, server.editorToken, confirmed, { verification: null })).toMatchObject({
      verification: null,
    });
  });

  it("defaults to no verification, no key event and no sources", async () => {
    expect(await publish(server.url, server.editorToken)).toMatchObject({
      verification: null,
      keyEvent: false,
      sources: [],
    });
  });

  it("refuses a bad verification, key event or sources, naming each field", async () => {
    const answer = await call(server.url, "POST", "/api/items", {
      token: server.editorToken,
      body: {
        headline: "Bad",
        topics: ["world"],
        verification: "probably",
        keyEvent: "yes",
        sources: [{ name: "ok" }, ...Array.from({ length: 10 }, (_, i) => ({ name: `s${i}` }))],
      },
    });
    expect(answer.status).toBe(400);
    expect(Object.keys(errorOf(answer).fields ?? {}).sort()).toEqual(["keyEvent", "sources", "verification"]);
    const badSource = await call(server.url, "POST", "/api/items", {
      token: server.editorToken,
      body: {
        headline: "Bad",
        topics: ["world"],
        sources: [{ name: "x", uri: "javascript:alert(1)", extra: 1 }],
      },
    });
    expect(badSource.status).toBe(400);
    expect(Object.keys(errorOf(badSource).fields ?? {}).join()).toMatch(/sources/);
  });
});

describe("the verification filter of GET /api/items", () => {
  it("lists only the items with that verification, reaching past the first page", async () => {
    const disputed = await publish(server.url, server.editorToken, {
      headline: "Filter: a disputed claim",
      topics: ["politics"],
      verification: "disputed",
    });
    // More newer items than one page holds, none disputed.
    for (let i = 0; i < 5; i += 1) {
      await publish(server.url, server.editorToken, {
        headline: `Filter: routine ${i}`,
        topics: ["politics"],
      });
    }
    const confirmed = await edit(
      server.url,
      server.editorToken,
      await publish(server.url, server.editorToken, {
        headline: "Filter: confirmed later",
        topics: ["politics"],
        verification: "unconfirmed",
      }),
      { verification: "confirmed" },
    );
    const list = async (query: string) => {
      const answer = await call(server.url, "GET", `/api/items?topic=politics&limit=3&${query}`);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      return z
        .object({ items: z.array(itemSchema) })
        .parse(answer.body)
        .items.map((item) => item.headline);
    };
    expect(await list("verification=disputed")).toEqual([disputed.headline]);
    expect(await list("verification=confirmed")).toEqual([confirmed.headline]);
    expect(await list("verification=unconfirmed")).toEqual([]);
    expect(await list("verification=none")).toEqual([
      "Filter: routine 4",
      "Filter: routine 3",
      "Filter: routine 2",
    ]);
  });

  it("refuses a verification it does not know, naming the field", async () => {
    const answer = await call(server.url, "GET", "/api/items?verification=probably");
    expect(answer.status).toBe(400);
    expect(Object.keys(errorOf(answer).fields ?? {})).toEqual(["verification"]);
  });
});

describe("ninjs and Socket.IO", () => {
  it("gives ninjs the item's own urgency and its named sources as infoSources", async () => {
    const item = await publish(server.url, server.editorToken, {
      urgency: 2,
      source: "Desk",
      sources: [{ name: "Coast guard", role: "official", uri: "https://example.org/cg" }],
    });
    const answer = await call(server.url, "GET", `/api/items/${item.id}/ninjs`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      urgency: 2,
      infoSources: [
        { name: "Desk" },
        { name: "Coast guard", role: "official", uri: "https://example.org/cg" },
      ],
    });
  });

  it("gives JSON Feed readers the urgency, verification and key event in _livedesk", async () => {
    const item = await publish(server.url, server.editorToken, {
      headline: "Feed signals",
      urgency: 2,
      verification: "disputed",
      keyEvent: true,
    });
    const answer = await call(server.url, "GET", "/feed.json");
    const feed = z
      .object({ items: z.array(z.object({ id: z.string(), _livedesk: z.record(z.string(), z.unknown()) })) })
      .parse(answer.body);
    expect(feed.items.find((entry) => entry.id.endsWith(item.id))?._livedesk).toMatchObject({
      breaking: true,
      urgency: 2,
      verification: "disputed",
      keyEvent: true,
    });
  });

  it("sends readers the signals and a change of verification live", async () => {
    const reader = new Reader(server.url);
    try {
      await reader.waitForSeq(0);
      const item = await publish(server.url, server.editorToken, { urgency: 1, verification: "unconfirmed" });
      await reader.waitForSeq(item.seq);
      expect(reader.follower.view.items.find((i) => i.id === item.id)).toMatchObject({
        urgency: 1,
        verification: "unconfirmed",
      });
      const confirmed = await edit(server.url, server.editorToken, item, { verification: "confirmed" });
      await reader.waitForSeq(confirmed.seq);
      expect(reader.follower.view.items.find((i) => i.id === item.id)).toMatchObject({
        verification: "confirmed",
      });
    } finally {
      reader.close();
    }
  });
});
