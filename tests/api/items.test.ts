import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { itemPageSchema, itemSchema } from "../../shared/item";
import { call, errorOf, publish } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const page = (answer: { body: unknown }) => itemPageSchema.parse(answer.body);

describe("POST /api/items", () => {
  it("publishes an item with every field and answers 201 with it", async () => {
    const answer = await call(server.url, "POST", "/api/items", {
      token: server.editorToken,
      body: {
        headline: "  Storm closes the northern pass  ",
        summary: "Line one\r\nLine two",
        url: "https://example.org/storm",
        topics: ["world", "politics", "world"],
        breaking: true,
        pinned: true,
        source: "Coast guard",
      },
    });
    expect(answer.status).toBe(201);
    const item = itemSchema.parse(answer.body);
    expect(item).toMatchObject({
      version: 1,
      headline: "Storm closes the northern pass",
      summary: "Line one\nLine two",
      url: "https://example.org/storm",
      topics: ["world", "politics"],
      breaking: true,
      pinned: true,
      status: "published",
      correction: null,
      retractionReason: null,
      source: "Coast guard",
      author: "test wire",
    });
    expect(item.id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(item.publishedAt).toBe(item.updatedAt);
    expect(answer.headers.get("location")).toBe(`/api/items/${item.id}`);
    expect((await call(server.url, "GET", `/api/items/${item.id}`)).body).toEqual(item);
  });

  it("answers 400 naming each bad field, and stores nothing", async () => {
    const before = page(await call(server.url, "GET", "/api/items?status=all")).seq;
    const answer = await call(server.url, "POST", "/api/items", {
      token: server.editorToken,
      body: {
        headline: "Bell\u0007 rings",
        summary: "x".repeat(4001),
        url: "javascript:alert(1)",
        topics: [],
        breaking: "yes",
        extra: 1,
      },
    });
    expect(answer.status).toBe(400);
    const error = errorOf(answer);
    expect(error.code).toBe("invalid_input");
    expect(Object.keys(error.fields ?? {}).sort()).toEqual([
      "breaking",
      "extra",
      "headline",
      "summary",
      "topics",
      "url",
    ]);
    expect(error.fields?.url).toMatch(/http or https/);
    expect(page(await call(server.url, "GET", "/api/items?status=all")).seq).toBe(before);
  });

  it("refuses a headline over 200 characters and an empty one", async () => {
    for (const headline of ["x".repeat(201), "   "]) {
      const answer = await call(server.url, "POST", "/api/items", {
        token: server.editorToken,
        body: { headline, topics: ["world"] },
      });
      expect(answer.status).toBe(400);
      expect(Object.keys(errorOf(answer).fields ?? {})).toEqual(["headline"]);
    }
  });

  it("answers 400 for an unknown topic, naming it", async () => {
    const answer = await call(server.url, "POST", "/api/items", {
      token: server.editorToken,
      body: { headline: "Hello", topics: ["world", "astrology"] },
    });
    expect(answer.status).toBe(400);
    expect(errorOf(answer).fields).toEqual({ "topics.1": 'unknown topic "astrology"' });
  });

  it("answers 401 without credentials or with a bad token, and lets admins publish too", async () => {
    const body = { headline: "Hello", topics: ["world"] };
    expect((await call(server.url, "POST", "/api/items", { body })).status).toBe(401);
    expect((await call(server.url, "POST", "/api/items", { body, token: "ldk_nonsense" })).status).toBe(401);
    const answer = await call(server.url, "POST", "/api/items", { body, token: server.adminToken });
    expect(answer.status).toBe(201);
  });

  it("answers 413 to a body over 1 MB, 400 to broken JSON and 415 to a form", async () => {
    const huge = await call(server.url, "POST", "/api/items", {
      token: server.editorToken,
      body: JSON.stringify({ headline: "Big", topics: ["world"], summary: "x".repeat(1_100_000) }),
    });
    expect(huge.status).toBe(413);
    expect(errorOf(huge).code).toBe("payload_too_large");
    const broken = await call(server.url, "POST", "/api/items", {
      token: server.editorToken,
      body: '{"headline": ',
    });
    expect(broken.status).toBe(400);
    expect(errorOf(broken).code).toBe("invalid_json");
    const form = await call(server.url, "POST", "/api/items", {
      token: server.editorToken,
      body: "headline=Hello&topics=world",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(form.status).toBe(415);
  });

  it("returns the first item for a retry with the same Idempotency-Key, instead of a duplicate", async () => {
    const body = { headline: "Retry me", topics: ["sport"] };
    const headers = { "idempotency-key": "wire-4711" };
    const first = await call(server.url, "POST", "/api/items", { token: server.editorToken, body, headers });
    const retries = await Promise.all(
      Array.from({ length: 5 }, () =>
        call(server.url, "POST", "/api/items", { token: server.editorToken, body, headers }),
      ),
    );
    expect(first.status).toBe(201);
    for (const retry of retries) {
      expect(retry.status).toBe(201);
      expect(retry.body).toEqual(first.body);
      expect(retry.headers.get("idempotent-replayed")).toBe("true");
    }
    const listed = page(await call(server.url, "GET", "/api/items?q=retry&limit=200"));
    expect(listed.items.filter((item) => item.headline === "Retry me")).toHaveLength(1);

    const reused = await call(server.url, "POST", "/api/items", {
      token: server.editorToken,
      body: { ...body, headline: "Something else" },
      headers,
    });
    expect(reused.status).toBe(422);
    expect(errorOf(reused).code).toBe("idempotency_key_reused");
    // The refusal shows the item the key made, so a client whose first answer was lost can link to it.
    expect(z.object({ current: itemSchema }).parse(reused.body).current).toEqual(first.body);
  });

  it("places an item with an older publishedAt in its timeline position", async () => {
    const newer = await publish(server.url, server.editorToken, {
      topics: ["politics"],
      headline: "Late test newer",
    });
    const late = await publish(server.url, server.editorToken, {
      topics: ["politics"],
      headline: "Late test older",
      publishedAt: "2020-05-01T08:00:00+02:00",
    });
    expect(late.publishedAt).toBe("2020-05-01T06:00:00.000Z");
    const listed = page(await call(server.url, "GET", "/api/items?topic=politics&limit=200")).items.map(
      (i) => i.id,
    );
    expect(listed.indexOf(newer.id)).toBeLessThan(listed.indexOf(late.id));
    expect(listed.at(-1)).toBe(late.id);
    const future = await call(server.url, "POST", "/api/items", {
      token: server.editorToken,
      body: { headline: "From the future", topics: ["world"], publishedAt: "2999-01-01T00:00:00Z" },
    });
    expect(future.status).toBe(400);
    expect(Object.keys(errorOf(future).fields ?? {})).toEqual(["publishedAt"]);
  });
});

describe("PATCH /api/items/:id and retract", () => {
  it("edits with a correction note, bumps version and keeps every revision oldest first", async () => {
    const item = await publish(server.url, server.editorToken, { headline: "Minister resings" });
    const edited = await call(server.url, "PATCH", `/api/items/${item.id}`, {
      token: server.editorToken,
      body: { version: 1, headline: "Minister resigns", correction: "Fixed a typo in the headline." },
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      version: 2,
      headline: "Minister resigns",
      correction: "Fixed a typo in the headline.",
      publishedAt: item.publishedAt,
    });
    const pinned = await call(server.url, "PATCH", `/api/items/${item.id}`, {
      token: server.editorToken,
      body: { version: 2, pinned: true },
    });
    expect(pinned.body).toMatchObject({
      version: 3,
      pinned: true,
      correction: "Fixed a typo in the headline.",
    });

    // Only the content edit is an update readers are told about, with its time; pinning is not.
    expect(item.contentUpdatedAt).toBeNull();
    expect(edited.body).toMatchObject({ contentUpdatedAt: itemSchema.parse(edited.body).updatedAt });
    expect(pinned.body).toMatchObject({ contentUpdatedAt: itemSchema.parse(edited.body).updatedAt });

    const revisions = z
      .object({ revisions: z.array(itemSchema) })
      .parse((await call(server.url, "GET", `/api/items/${item.id}/revisions`)).body).revisions;
    expect(revisions.map((r) => [r.version, r.headline, r.pinned])).toEqual([
      [1, "Minister resings", false],
      [2, "Minister resigns", false],
      [3, "Minister resigns", true],
    ]);
    expect(revisions.map((r) => r.seq)).toEqual([...revisions.map((r) => r.seq)].sort((a, b) => a - b));
  });

  it("answers 409 with the current item when the version is stale, and changes nothing", async () => {
    const item = await publish(server.url, server.editorToken);
    await call(server.url, "PATCH", `/api/items/${item.id}`, {
      token: server.editorToken,
      body: { version: 1, summary: "First editor" },
    });
    const stale = await call(server.url, "PATCH", `/api/items/${item.id}`, {
      token: server.editorToken,
      body: { version: 1, summary: "Second editor" },
    });
    expect(stale.status).toBe(409);
    expect(errorOf(stale).code).toBe("version_conflict");
    expect(z.object({ current: itemSchema }).parse(stale.body).current).toMatchObject({
      version: 2,
      summary: "First editor",
    });
    expect((await call(server.url, "GET", `/api/items/${item.id}`)).body).toMatchObject({
      summary: "First editor",
    });
  });

  it("answers 400 for a patch that changes nothing or misses version, and 404 for an unknown id", async () => {
    const item = await publish(server.url, server.editorToken);
    const empty = await call(server.url, "PATCH", `/api/items/${item.id}`, {
      token: server.editorToken,
      body: { version: 1 },
    });
    expect(empty.status).toBe(400);
    const noVersion = await call(server.url, "PATCH", `/api/items/${item.id}`, {
      token: server.editorToken,
      body: { headline: "x" },
    });
    expect(errorOf(noVersion).fields).toHaveProperty("version");
    const missing = await call(server.url, "PATCH", "/api/items/NOPE", {
      token: server.editorToken,
      body: { version: 1, headline: "x" },
    });
    expect(missing.status).toBe(404);
  });

  it("retracts with a reason: left out of the default list, readable by id, listed with status=all", async () => {
    const item = await publish(server.url, server.editorToken, { headline: "Retract test item" });
    const noReason = await call(server.url, "POST", `/api/items/${item.id}/retract`, {
      token: server.editorToken,
      body: {},
    });
    expect(errorOf(noReason).fields).toHaveProperty("reason");
    const retracted = await call(server.url, "POST", `/api/items/${item.id}/retract`, {
      token: server.editorToken,
      body: { reason: "The report was not confirmed." },
    });
    expect(retracted.status).toBe(200);
    expect(retracted.body).toMatchObject({
      status: "retracted",
      retractionReason: "The report was not confirmed.",
      version: 2,
    });
    expect((await call(server.url, "GET", `/api/items/${item.id}`)).body).toMatchObject({
      status: "retracted",
    });
    const ids = (status: string) =>
      call(server.url, "GET", `/api/items?q=retract&limit=200${status}`).then((a) =>
        page(a).items.map((i) => i.id),
      );
    expect(await ids("")).not.toContain(item.id);
    expect(await ids("&status=all")).toContain(item.id);
    const again = await call(server.url, "PATCH", `/api/items/${item.id}`, {
      token: server.editorToken,
      body: { version: 2, headline: "Back from the dead" },
    });
    expect(again.status).toBe(409);
    expect(errorOf(again).code).toBe("retracted");
  });
});

describe("GET /api/items", () => {
  it("pages through every item exactly once, newest first, with the cursor", async () => {
    const own = await Promise.all(
      Array.from({ length: 23 }, (_, i) =>
        publish(server.url, server.editorToken, {
          topics: ["sport"],
          headline: `Paging item ${i}`,
          // Several items share a publishedAt, so the id has to break the tie.
          publishedAt: new Date(Date.UTC(2025, 0, 1, 12, Math.floor(i / 3))).toISOString(),
        }),
      ),
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/api/items?topic=sport&q=paging&limit=5${cursor === null ? "" : `&before=${cursor}`}`;
      const result = page(await call(server.url, "GET", query));
      expect(result.items.length).toBeLessThanOrEqual(5);
      seen.push(...result.items.map((i) => i.id));
      cursor = result.nextCursor;
    } while (cursor !== null);
    expect(seen).toHaveLength(own.length);
    expect(new Set(seen)).toEqual(new Set(own.map((i) => i.id)));
    const expected = [...own].sort((a, b) =>
      a.publishedAt === b.publishedAt ? (a.id < b.id ? 1 : -1) : a.publishedAt < b.publishedAt ? 1 : -1,
    );
    expect(seen).toEqual(expected.map((i) => i.id));
  });

  it("filters by several topics as OR, searches headline and summary, and answers 400 for bad queries", async () => {
    await publish(server.url, server.editorToken, {
      topics: ["world"],
      headline: "Glacier retreats fast",
      summary: "",
    });
    await publish(server.url, server.editorToken, {
      topics: ["sport"],
      headline: "Ski race off",
      summary: "The glacier lacks snow",
    });
    const found = page(await call(server.url, "GET", "/api/items?q=glacier")).items.map((i) => i.headline);
    expect(found.sort()).toEqual(["Glacier retreats fast", "Ski race off"]);
    const both = page(await call(server.url, "GET", "/api/items?q=glacier&topic=world&topic=politics")).items;
    expect(both.map((i) => i.headline)).toEqual(["Glacier retreats fast"]);

    const bad = await call(server.url, "GET", "/api/items?limit=500&before=garbage");
    expect(bad.status).toBe(400);
    expect(errorOf(bad).fields).toHaveProperty("limit");
    const badCursor = await call(server.url, "GET", "/api/items?before=garbage");
    expect(errorOf(badCursor).fields).toHaveProperty("before");
  });

  it("defaults to 50 items and tells the seq to sync from", async () => {
    const result = page(await call(server.url, "GET", "/api/items"));
    expect(result.items.length).toBeLessThanOrEqual(50);
    expect(result.seq).toBeGreaterThan(0);
    expect((await call(server.url, "GET", "/api/items/unknown-id")).status).toBe(404);
    expect((await call(server.url, "GET", "/api/items/unknown-id/revisions")).status).toBe(404);
  });
});

describe("topics, health and unknown calls", () => {
  it("lists topics, lets an admin add one (409 when taken) and refuses editors", async () => {
    const added = await call(server.url, "POST", "/api/topics", {
      token: server.adminToken,
      body: { slug: "science", name: "Science" },
    });
    expect(added.status).toBe(201);
    expect(
      (
        await call(server.url, "POST", "/api/topics", {
          token: server.adminToken,
          body: { slug: "science", name: "S" },
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await call(server.url, "POST", "/api/topics", {
          token: server.editorToken,
          body: { slug: "arts", name: "Arts" },
        })
      ).status,
    ).toBe(403);
    const bad = await call(server.url, "POST", "/api/topics", {
      token: server.adminToken,
      body: { slug: "Not A Slug", name: "" },
    });
    expect(Object.keys(errorOf(bad).fields ?? {}).sort()).toEqual(["name", "slug"]);
    expect((await call(server.url, "GET", "/api/topics")).body).toContainEqual({
      slug: "science",
      name: "Science",
    });
  });

  it("answers /healthz and /readyz, and a JSON 404 for an unknown API call", async () => {
    expect((await call(server.url, "GET", "/healthz")).status).toBe(200);
    expect((await call(server.url, "GET", "/readyz")).status).toBe(200);
    const unknown = await call(server.url, "GET", "/api/nothing-here");
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown).code).toBe("not_found");
  });
});
