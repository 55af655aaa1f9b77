import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { itemPageSchema } from "../../shared/item";
import { auditPageSchema } from "../../shared/requests";
import { call, errorOf, publish } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

// What the operator panel reads: every item by status, and the audit log page by page.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe("GET /api/items?status=", () => {
  it("lists only retracted items with status=retracted, with topic and text filters", async () => {
    const kept = await publish(server.url, server.editorToken, { headline: "Status filter: ferry kept" });
    const pulled = await publish(server.url, server.editorToken, { headline: "Status filter: ferry pulled" });
    const sport = await publish(server.url, server.editorToken, {
      headline: "Status filter: ferry race pulled",
      topics: ["sport"],
    });
    for (const item of [pulled, sport]) {
      await call(server.url, "POST", `/api/items/${item.id}/retract`, {
        token: server.editorToken,
        body: { reason: "Not confirmed." },
      });
    }
    const ids = async (query: string) =>
      itemPageSchema
        .parse((await call(server.url, "GET", `/api/items?q=status%20filter${query}`)).body)
        .items.map((item) => item.id);
    expect(await ids("&status=retracted")).toEqual([sport.id, pulled.id]);
    expect(await ids("&status=retracted&topic=world")).toEqual([pulled.id]);
    expect(await ids("&status=published")).toEqual([kept.id]);
    expect(await ids("&status=all")).toEqual([sport.id, pulled.id, kept.id]);
    const bad = await call(server.url, "GET", "/api/items?status=deleted");
    expect(bad.status).toBe(400);
    expect(errorOf(bad).fields).toHaveProperty("status");
  });
});

describe("GET /api/audit", () => {
  const audit = async (query: string) => {
    const answer = await call(server.url, "GET", `/api/audit?${query}`, { token: server.adminToken });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return auditPageSchema.parse(answer.body);
  };

  it("pages through the whole log with nextCursor, each line once, newest first", async () => {
    const items = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        publish(server.url, server.editorToken, { headline: `Audit paging ${i}` }),
      ),
    );
    const whole = await audit("limit=500");
    expect(whole.nextCursor).toBeNull();
    expect(new Set(whole.entries.map((entry) => entry.id)).size).toBe(whole.entries.length);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof audit>> = await audit(
        `limit=5${cursor === null ? "" : `&before=${cursor}`}`,
      );
      expect(page.entries.length).toBeLessThanOrEqual(5);
      seen.push(...page.entries.map((entry) => `${entry.at}|${entry.action}|${entry.target}`));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 100);
    expect(seen).toEqual(whole.entries.map((entry) => `${entry.at}|${entry.action}|${entry.target}`));
    expect(seen.length).toBeGreaterThanOrEqual(12);
    for (const item of items)
      expect(seen.some((line) => line.endsWith(`|item.created|${item.id}`))).toBe(true);
  });

  it("filters by actor, action and target, and pages within a filter", async () => {
    const item = await publish(server.url, server.editorToken, { headline: "Audit filter: bridge" });
    await call(server.url, "PATCH", `/api/items/${item.id}`, {
      token: server.adminToken,
      body: { version: 1, headline: "Audit filter: bridge reopens" },
    });
    await call(server.url, "POST", `/api/items/${item.id}/retract`, {
      token: server.editorToken,
      body: { reason: "Wrong bridge." },
    });
    const history = await audit(`target=${item.id}`);
    expect(history.entries.map((entry) => [entry.actor, entry.action, entry.detail])).toEqual([
      ["test wire", "item.retracted", "Audit filter: bridge reopens"],
      ["test admin", "item.updated", "Audit filter: bridge reopens"],
      ["test wire", "item.created", "Audit filter: bridge"],
    ]);
    const byAdmin = await audit(`target=${item.id}&actor=TEST%20ADMIN`);
    expect(byAdmin.entries.map((entry) => entry.action)).toEqual(["item.updated"]);
    const retractions = await audit("action=item.retracted");
    expect(retractions.entries.every((entry) => entry.action === "item.retracted")).toBe(true);
    expect(retractions.entries.map((entry) => entry.target)).toContain(item.id);

    const first = await audit(`target=${item.id}&limit=2`);
    expect(first.entries.map((entry) => entry.action)).toEqual(["item.retracted", "item.updated"]);
    const rest = await audit(`target=${item.id}&limit=2&before=${first.nextCursor}`);
    expect(rest).toEqual({
      entries: [expect.objectContaining({ action: "item.created" })],
      nextCursor: null,
    });

    expect((await audit("target=no-such-thing")).entries).toEqual([]);
  });

  it("answers 400 naming a bad cursor or filter", async () => {
    for (const [query, field] of [
      ["before=garbage", "before"],
      ["limit=0", "limit"],
      ["actor=", "actor"],
      ["action=", "action"],
      ["action=item.published", "action"],
      [`target=${"x".repeat(201)}`, "target"],
    ] as const) {
      const answer = await call(server.url, "GET", `/api/audit?${query}`, { token: server.adminToken });
      expect(answer.status, query).toBe(400);
      expect(errorOf(answer).fields, query).toHaveProperty(field);
    }
    // A misspelt action is told apart from one nobody has done yet, with the ones there are.
    const misspelt = await call(server.url, "GET", "/api/audit?action=item.retract", {
      token: server.adminToken,
    });
    expect(errorOf(misspelt).fields?.action).toContain("item.retracted");
  });
});
